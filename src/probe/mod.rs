//! The network probe: connect to a mail server for real and report what it does, in the same
//! findings format as [`crate::validate`].
//!
//! For each endpoint (host, port, protocol, security) the probe resolves the host (its own DNS
//! client, bounded by the timeout), connects, does TLS (implicit, or STARTTLS) and records the
//! session and the certificate chain, reads the greeting, asks for the capabilities before and
//! after TLS, and times every stage. Beside the conversation, on connections of their own, it
//! tests the STARTTLS upgrade for command injection, asks whether TLS 1.1 or 1.0 is still
//! accepted (RFC 8996: one ClientHello offering both, a second for TLS 1.0 alone only when TLS 1.1
//! was chosen), and, for POP3, whether `USER` is taken before TLS; after a refused handshake, it asks which older
//! version or suite the server would use. On a port whose security is unknown it listens before
//! it speaks (a cleartext server greets first). What it saw becomes N-family findings
//! ([`rules`]); the settings given are compared with it, with one coherent set of fixes.
//!
//! The report types ([`report`]) and the N rules ([`rules`]) compile everywhere, the browser
//! included, so the rules are documented wherever the others are. The I/O — the session, TLS,
//! sockets, and the [`probe`] entry point — needs the `probe` feature and a native target.
//!
//! Safety: credentials are sent only with `ProbeOptions::login`, once per protocol (on the
//! endpoint named, or else the best one: implicit TLS first), one protocol after the other, only
//! inside TLS whose certificate verified for the host name and over a STARTTLS that showed no
//! injection, and never appear in the report. A certificate that does not verify is recorded,
//! not trusted: the probe finishes the handshake (to report what the server does) and marks the
//! endpoint as not secure. Every stage is bounded by the endpoint's timeout; lines and answers
//! are capped (8 KiB, 64 KiB), so a hostile peer costs bounded time and memory. Everything the
//! server said is kept as it was in the report, and shown escaped: findings escape it themselves
//! (`crate::text::Escaped`), the command line everything else.

// Without the session, only the capability vocabulary is used (by the N rules).
#[cfg_attr(
    not(all(feature = "probe", not(target_arch = "wasm32"))),
    allow(dead_code)
)]
mod dialect;
pub mod report;
pub mod rules;

#[cfg(all(feature = "probe", not(target_arch = "wasm32")))]
mod credentials;
#[cfg(all(feature = "probe", not(target_arch = "wasm32")))]
mod injection;
#[cfg(all(feature = "probe", not(target_arch = "wasm32")))]
mod io;
#[cfg(all(feature = "probe", not(target_arch = "wasm32")))]
mod legacy_tls;
#[cfg(all(feature = "probe", not(target_arch = "wasm32")))]
mod run;
#[cfg(all(feature = "probe", not(target_arch = "wasm32")))]
mod session;
#[cfg(all(feature = "probe", not(target_arch = "wasm32")))]
mod target;
#[cfg(all(feature = "probe", not(target_arch = "wasm32")))]
mod tls;

pub use report::*;

#[cfg(all(feature = "probe", not(target_arch = "wasm32")))]
pub use credentials::{Credentials, Secret};
#[cfg(all(feature = "probe", not(target_arch = "wasm32")))]
pub use run::*;
#[cfg(all(feature = "probe", not(target_arch = "wasm32")))]
pub use target::Target;
#[cfg(all(feature = "probe", not(target_arch = "wasm32")))]
pub use tls::{suite_names, suite_names_of, SuiteNames, Trust, MAX_CA_FILE};
