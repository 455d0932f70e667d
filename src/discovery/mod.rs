//! Discovery: the right settings for any address, from every source at once, with a trace of
//! every attempt.
//!
//! The sources: the curated provider table; the domain's own autoconfig file (HTTPS, the
//! subdomain and the well-known URL; plain HTTP only when allowed, and then untrusted);
//! Thunderbird's ISPDB; the MX host's domains (Public Suffix List) in the provider table, the
//! ISPDB and their autoconfig; RFC 6186 / RFC 8314 SRV records; Microsoft Autodiscover (POX);
//! and guessed host names, probed for their greeting and capabilities (never a password).
//!
//! The split, so that the same code runs natively and in the browser:
//!
//! - [`plan`] decides what to look up: [`Request::initial`] (everything at once) and
//!   [`Request::follow_up`] (what the answers so far call for: the MX host's domains, the
//!   probes of guessed hosts that resolve).
//! - [`evidence`] is the one round of fetching as data: every [`Lookup`] with what came back
//!   ([`Observed`]: DNS answer with its DNSSEC status, HTTP result with redirects and
//!   certificate status, probe report), timed. The domain audit reads the same evidence.
//! - [`analyze()`] turns evidence into a [`Discovery`]: ranked candidates with provenance and
//!   trust, disagreements, the trace, and what the admin could publish. No I/O, no clock.
//! - `net` (feature `discover`, native only) runs the lookups: hickory-resolver for DNS,
//!   reqwest on rustls for HTTPS, the probe for guesses, each with its own deadline and caps.
//! - [`wire`] (with `discover` or `wasm-discovery`): the DNS messages, read and written by
//!   hickory-proto, for the native resolver and for DNS-over-HTTPS alike.
//! - [`page`]: discovery as a web page runs it (the `wasm-discovery` module): DNS through
//!   DNS-over-HTTPS, what a page cannot fetch recorded as skipped with the reason.

pub mod analyze;
pub mod evidence;
#[cfg(any(feature = "discover", feature = "wasm-discovery"))]
pub mod page;
pub mod plan;
pub mod suffix;
#[cfg(any(feature = "discover", feature = "wasm-discovery"))]
pub mod wire;

#[cfg(all(feature = "discover", not(target_arch = "wasm32")))]
pub mod net;

pub use analyze::{
    analyze, Advice, Candidate, Disagreement, Discovery, Offer, Provenance, Source, StepOutcome,
    Summary, TraceStep, Trust,
};
pub use evidence::{
    DnsOutcome, DnsRecord, DnsResult, Document, Evidence, HttpOutcome, HttpResult, Lookup,
    Observation, Observed, ProbeResult, RecordType, Redirect,
};
pub use plan::{Options, Request, RequestError, DEFAULT_ISPDB_URL};

use crate::model::{Protocol, Security};

/// `IMAP, SSL/TLS`: a protocol and security in the words clients use.
pub fn endpoint_words(protocol: Protocol, security: Security) -> String {
    let p = match protocol {
        Protocol::Imap => "IMAP",
        Protocol::Pop3 => "POP3",
        Protocol::Smtp => "SMTP",
    };
    let s = match security {
        Security::Tls => "SSL/TLS",
        Security::Starttls => "STARTTLS",
        Security::None => "no encryption",
    };
    format!("{p}, {s}")
}
