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
    /// The documentation of every C rule among the findings (what, why, and the client
    /// behaviour each rests on), sorted by code.
    pub rules: Vec<&'static crate::diagnostic::Rule>,
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
    let rules = rules::RULES
        .iter()
        .copied()
        .filter(|r| findings.iter().any(|f| f.code == r.code))
        .collect();
    Audit {
        domain: request.domain.clone(),
        email: facts.email.clone(),
        probed,
        clients,
        published,
        findings,
        verdict,
        publish,
        rules,
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

/// Evidence made by hand, for the simulations' and rules' vectors.
#[cfg(test)]
pub(crate) mod testing {
    use crate::discovery::evidence::*;
    use crate::discovery::Request;

    pub fn request(domain: &str) -> Request {
        let mut r = Request::new(
            domain,
            super::discovery_options(crate::discovery::DEFAULT_ISPDB_URL, 0, false),
        )
        .unwrap();
        r.email = Some(super::default_address(&r.domain));
        r
    }

    pub fn http(lookup: Lookup, code: u16, content_type: Option<&str>, body: &str) -> Observation {
        let url = match &lookup {
            Lookup::Http { url, .. } => url.clone(),
            _ => unreachable!(),
        };
        Observation {
            lookup,
            observed: Observed::Http(HttpResult {
                outcome: HttpOutcome::Body {
                    code,
                    content_type: content_type.map(str::to_owned),
                    body: body.into(),
                },
                redirects: Vec::new(),
                https_verified: url.starts_with("https://"),
                final_url: url,
            }),
            start_ms: 0.0,
            ms: 0.0,
            shared: false,
        }
    }

    pub fn good_autoconfig(domain: &str) -> String {
        format!(
            r#"<?xml version="1.0"?>
<clientConfig version="1.1"><emailProvider id="{domain}"><domain>{domain}</domain>
<incomingServer type="imap"><hostname>mail.{domain}</hostname><port>993</port><socketType>SSL</socketType><authentication>password-cleartext</authentication><username>%EMAILADDRESS%</username></incomingServer>
<outgoingServer type="smtp"><hostname>mail.{domain}</hostname><port>465</port><socketType>SSL</socketType><authentication>password-cleartext</authentication><username>%EMAILADDRESS%</username></outgoingServer>
</emailProvider></clientConfig>"#
        )
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;
    use crate::discovery::evidence::Evidence;

    fn codes(a: &Audit) -> Vec<&'static str> {
        a.findings.iter().map(|f| f.code).collect()
    }

    /// FetchHTTP.sys.mjs parses XML only for text/xml, application/xml and text/rdf: a file
    /// served as text/plain reaches the reader as a string and is refused (C108), while
    /// Thunderbird for Android and Delta Chat, which do not look at the type, read it.
    #[test]
    fn a_file_served_as_text_plain_is_refused_by_thunderbird_only() {
        let r = request("plain.example");
        let f = facts::autoconfig_lookup(&r, "plain.example", false, true, false);
        let ev = Evidence {
            observations: vec![http(
                f,
                200,
                Some("text/plain"),
                &good_autoconfig("plain.example"),
            )],
        };
        let a = audit(&r, &ev, false);
        assert!(codes(&a).contains(&"C108"), "{:?}", codes(&a));
        let tb = a.client(Client::Thunderbird).unwrap();
        assert!(tb.incoming.is_none(), "{tb:?}");
        let android = a.client(Client::ThunderbirdAndroid).unwrap();
        assert_eq!(
            android.incoming.as_ref().unwrap().server.host,
            "mail.plain.example"
        );
        let delta = a.client(Client::DeltaChat).unwrap();
        assert_eq!(
            delta.incoming.as_ref().unwrap().server.host,
            "mail.plain.example"
        );
        // The same file as application/xml: no C108, Thunderbird reads it.
        let f = facts::autoconfig_lookup(&r, "plain.example", false, true, false);
        let ev = Evidence {
            observations: vec![http(
                f,
                200,
                Some("application/xml; charset=utf-8"),
                &good_autoconfig("plain.example"),
            )],
        };
        let a = audit(&r, &ev, false);
        assert!(!codes(&a).contains(&"C108"));
        assert!(a.client(Client::Thunderbird).unwrap().incoming.is_some());
    }

    /// A plain-HTTP file: Thunderbird takes it without a question, Android asks (C106).
    #[test]
    fn http_only_autoconfig() {
        let r = request("http.example");
        let f = facts::autoconfig_lookup(&r, "http.example", false, false, false);
        let ev = Evidence {
            observations: vec![http(
                f,
                200,
                Some("text/xml"),
                &good_autoconfig("http.example"),
            )],
        };
        let a = audit(&r, &ev, false);
        assert!(codes(&a).contains(&"C106"));
        let tb = a.client(Client::Thunderbird).unwrap();
        assert!(tb.confirm.is_empty() && tb.incoming.is_some(), "{tb:?}");
        let android = a.client(Client::ThunderbirdAndroid).unwrap();
        assert_eq!(android.outcome, Outcome::Confirm);
    }

    /// Nothing in the evidence: every client either finds nothing or cannot be simulated
    /// without probes, and the report still renders.
    #[test]
    fn empty_evidence() {
        let r = request("empty.example");
        let a = audit(&r, &Evidence::default(), false);
        assert_eq!(a.clients.len(), Client::ALL.len());
        assert!(a.publish.is_empty());
        let page = html::report(&a);
        assert!(page.starts_with("<!DOCTYPE html>") && page.contains("empty.example"));
    }
}
