//! The domain audit: what each mail client would configure for an address at a domain, whether
//! that works and is safe, and what the domain should publish instead.
//!
//! One round of fetching — discovery's executor and [`Evidence`], with the lookups of
//! [`plan::lookups`] added: what each simulated client would fetch that discovery does not
//! (Autodiscover the way Outlook and Delta Chat ask, the MX host's domains the way each
//! Thunderbird cuts them), and a probe of every server any source names (greeting, TLS,
//! certificate, capabilities; never a password). Then, without I/O:
//!
//! - [`clients`]: one simulation per client, each following that client's documented behaviour
//!   step by step and citing it (source file at a commit, or the vendor's documentation):
//!   Thunderbird, Thunderbird for Android, Outlook (classic and new), Apple Mail, Delta Chat. Each
//!   says the settings the client ends with, what a person must confirm, and — from the probes —
//!   whether they work and are safe.
//! - [`published`]: what the domain publishes (MX, SRV, autoconfig at both URLs, Autodiscover),
//!   every document linted, every server checked; shadowing and drift become findings of the C
//!   rules ([`rules`]) with the exact records or file to publish ([`fixes`]).
//! - [`html`]: the self-contained report (inline CSS, no request off the page, printable).
//!
//! The audit sits above discovery (it reads discovery's evidence and uses its analysis for the
//! best settings); nothing below it knows about it.

pub mod check;
pub mod clients;
pub mod facts;
pub mod fixes;
pub mod html;
pub mod plan;
pub mod published;
pub mod rules;

use crate::diagnostic::{Finding, Verdict};
use crate::discovery::{Discovery, Evidence, Request};
use serde::Serialize;

pub use check::{CheckStatus, ServerCheck};
pub use clients::{Client, ClientResult, Configured, Outcome, Step};
pub use fixes::Publish;
pub use published::Published;

/// What the audit of one domain found.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Audit {
    /// The domain audited (lower case, A-labels).
    pub domain: String,
    /// The address the clients were simulated for (and sent where clients send it).
    pub email: String,
    /// Whether mail servers were probed (`--no-probe` turns it off).
    pub probed: bool,
    /// One result per client, in [`Client::ALL`] order: the matrix.
    pub clients: Vec<ClientResult>,
    /// What the domain publishes, checked.
    pub published: Published,
    /// Problems of the domain's publications (C rules), worst first.
    pub findings: Vec<Finding>,
    /// The worst severity among the findings.
    pub verdict: Verdict,
    /// What to publish: corrected documents and records, ready to use.
    pub publish: Vec<Publish>,
    /// Discovery's answer from the same evidence (best settings, trace, disagreements).
    pub discovery: Discovery,
}

impl Audit {
    /// The result of one client.
    pub fn client(&self, c: Client) -> Option<&ClientResult> {
        self.clients.iter().find(|r| r.client == c)
    }
}

/// Audits a domain from the evidence of one round of fetching (discovery's lookups and
/// [`plan::lookups`]). `probed`: whether probes were allowed (so that a missing probe is reported
/// as "not probed" rather than as a failure).
pub fn audit(request: &Request, evidence: &Evidence, probed: bool) -> Audit {
    let discovery = crate::discovery::analyze(request, &plan::discovery_view(request, evidence));
    let facts = facts::Facts::new(request, evidence, probed);
    let advertised = discovery.account();
    let clients = Client::ALL
        .iter()
        .map(|&c| clients::simulate(c, &facts, advertised.as_ref()))
        .collect::<Vec<_>>();
    let published = published::published(&facts);
    let best = fixes::best_settings(&facts, &discovery);
    let mut findings = rules::check(&facts, &published, &clients, best.as_ref());
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.code.cmp(b.code))
            .then_with(|| a.field.cmp(&b.field))
    });
    let verdict = Verdict::of(&findings);
    let publish = fixes::publish(&facts, best.as_ref(), &findings);
    Audit {
        domain: request.domain.clone(),
        email: facts.email.clone(),
        probed,
        clients,
        published,
        findings,
        verdict,
        publish,
        discovery,
    }
}

/// The address an audit simulates for a domain given alone: `postmaster@<domain>`, the one
/// address every mail domain must accept (RFC 5321 §4.5.1), so that what is sent where clients
/// send an address names a real mailbox of the domain's own admin.
pub fn default_address(domain: &str) -> String {
    format!("postmaster@{domain}")
}

/// Discovery's options for an audit: send the address where clients send it (Thunderbird
/// sends it to autoconfig by default, Outlook to Autodiscover), read plain-HTTP autoconfig (the
/// clients do, so the audit must see what they see), and guess host names (Thunderbird and
/// Delta Chat do) unless probing is off.
pub fn discovery_options(
    ispdb_url: &str,
    port_offset: u16,
    probe: bool,
) -> crate::discovery::Options {
    crate::discovery::Options {
        send_address: true,
        allow_http: true,
        ispdb_url: ispdb_url.to_owned(),
        port_offset,
        guess: probe,
    }
}
