//! The settings the domain should publish, and the documents and records that publish them,
//! written by the exporters (`documents::export`): the autoconfig file, the SRV zone lines, the
//! Autodiscover response and an Apple configuration profile.

use super::check::{self, CheckStatus};
use super::facts::Facts;
use crate::diagnostic::Finding;
use crate::discovery::{Discovery, Source};
use crate::documents::{self, ExportInput, Format};
use crate::model::{Account, Server};
use serde::Serialize;

/// The settings the domain should publish, and why those.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Best {
    /// The account (for the audited address).
    pub account: Account,
    /// Why these settings.
    pub why: String,
    /// They come from the MX host's provider (the domain's mail is delivered there).
    pub from_mx_provider: bool,
}

/// A document or records to publish.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Publish {
    /// The format (`autoconfig`, `srv`, `autodiscover`, `mobileconfig`).
    pub format: Format,
    /// Where to publish it.
    pub place: String,
    /// Which clients read it, and which findings it fixes.
    pub why: String,
    /// The document, when the exporter could write it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Why the exporter could not write it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A server to advise: the candidate itself when it works, else the name its certificate carries
/// that does verify on the same port (a shared host), else the candidate.
fn advisable(facts: &Facts, s: &Server) -> (Server, Option<String>) {
    let c = check::check(facts, s);
    if c.status != CheckStatus::Certificate {
        return (s.clone(), None);
    }
    for name in &c.certificate_names {
        if name.starts_with('*') {
            continue;
        }
        let mut other = s.clone();
        other.host = name.clone();
        if check::check(facts, &other).ok() {
            return (
                other,
                Some(format!(
                    "{} is advised instead of {}: the certificate on that server names it, and it verifies",
                    name, s.host
                )),
            );
        }
    }
    (s.clone(), None)
}

/// The settings the domain should publish: those its MX leads to — the provider of the MX
/// host in mailsetup's table, else the MX host's domain's ISPDB entry or autoconfig (the
/// domain's mail is delivered there, so the mailbox is there) — else the best-ranked candidate
/// of discovery that works (a certificate name that verifies standing in for one that does
/// not).
pub fn best_settings(facts: &Facts, d: &Discovery) -> Option<Best> {
    let via_mx = |c: &&crate::discovery::Candidate| c.provenance.source == Source::Mx;
    let from_table =
        |c: &&crate::discovery::Candidate| c.provenance.source == Source::ProviderTable;
    // The provider table first (curated), by the MX host or the domain itself.
    for (group, why) in [
        (
            d.candidates
                .iter()
                .filter(|c| via_mx(c) || from_table(c))
                .filter(|c| c.provenance.origin.starts_with("provider table"))
                .collect::<Vec<_>>(),
            "curated",
        ),
        (d.candidates.iter().filter(via_mx).collect::<Vec<_>>(), "mx"),
        (d.candidates.iter().collect::<Vec<_>>(), "ranked"),
    ] {
        let Some((incoming, note_in)) = pick(facts, &group, true) else {
            continue;
        };
        let outgoing = pick(facts, &group, false);
        let mut text = match why {
            "curated" | "mx" => {
                let c = group
                    .iter()
                    .find(|c| c.server.protocol.is_incoming())
                    .copied();
                format!(
                    "the domain's mail is delivered to {} ({})",
                    c.and_then(|c| c.provenance.via_mx.clone())
                        .unwrap_or_else(|| facts.domain.clone()),
                    c.map(|c| c
                        .provenance
                        .origin
                        .trim_start_matches("provider table: ")
                        .to_owned())
                        .unwrap_or_default()
                )
            }
            _ => "the best-ranked servers the domain's sources name that work".to_owned(),
        };
        for n in note_in
            .iter()
            .chain(outgoing.as_ref().and_then(|(_, n)| n.as_ref()))
        {
            text.push_str("; ");
            text.push_str(n);
        }
        let with_user = |mut s: Server| {
            if s.username.is_none() {
                s.username = Some(facts.email.clone());
            }
            s
        };
        return Some(Best {
            account: Account {
                email: Some(facts.email.clone()),
                incoming: with_user(incoming),
                outgoing: outgoing.map(|(s, _)| with_user(s)),
                pop3: None,
            },
            why: text,
            from_mx_provider: why != "ranked",
        });
    }
    None
}

/// The first candidate of a group (incoming or outgoing, encrypted) that works, else the first
/// not probed.
fn pick(
    facts: &Facts,
    group: &[&crate::discovery::Candidate],
    incoming: bool,
) -> Option<(Server, Option<String>)> {
    let mut fallback = None;
    for c in group {
        if c.server.protocol.is_incoming() != incoming
            || c.server.security == crate::model::Security::None
        {
            continue;
        }
        let (s, note) = advisable(facts, &c.server);
        let status = check::check(facts, &s).status;
        if status == CheckStatus::Ok {
            return Some((s, note));
        }
        if fallback.is_none() && status == CheckStatus::NotProbed {
            fallback = Some((s, note));
        }
    }
    fallback
}

/// The documents and records that publish the best settings.
pub fn publish(facts: &Facts, best: Option<&Best>, findings: &[Finding]) -> Vec<Publish> {
    let Some(best) = best else {
        return Vec::new();
    };
    let d = &facts.domain;
    let codes = |wanted: &[&str]| {
        let hit: Vec<&str> = findings
            .iter()
            .map(|f| f.code)
            .filter(|c| wanted.contains(c))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        if hit.is_empty() {
            String::new()
        } else {
            format!(" Fixes {}.", hit.join(", "))
        }
    };
    let export = |format| documents::export(&ExportInput::Account(best.account.clone()), format);
    let mut out = Vec::new();
    for (format, place, why) in [
        (
            Format::Autoconfig,
            format!("https://autoconfig.{d}/mail/config-v1.1.xml (and https://{d}/.well-known/autoconfig/mail/config-v1.1.xml), served as text/xml or application/xml over HTTPS with a certificate naming the host"),
            format!("Thunderbird, Thunderbird for Android and Delta Chat read it first.{}", codes(&["C101", "C103", "C104", "C105", "C106", "C107", "C108", "C109", "C111"])),
        ),
        (
            Format::Srv,
            format!("the DNS zone of {d}"),
            format!("RFC 6186 / RFC 8314 SRV records; none of the simulated clients reads them, other clients (himalaya's email-lib) do, and RFC 8314 asks clients to.{}", codes(&["C112"])),
        ),
        (
            Format::Autodiscover,
            format!("the answer to POST https://autodiscover.{d}/autodiscover/autodiscover.xml (a certificate naming autodiscover.{d})"),
            format!("Outlook reads it (and Thunderbird and Delta Chat when nothing else is found). Answer each request with the address it asks for (LoginName below is the audited one).{}", codes(&["C110", "C113"])),
        ),
        (
            Format::Mobileconfig,
            "a link on the help page for users of Apple Mail (installing it asks them to confirm)".into(),
            "Apple Mail looks up nothing; a configuration profile fills the settings in. A profile names one address: make one per person (this one is for the audited address).".into(),
        ),
    ] {
        let (content, error) = match export(format) {
            Ok(c) => (Some(c), None),
            Err(e) => (None, Some(e.to_string())),
        };
        out.push(Publish {
            format,
            place,
            why,
            content,
            error,
        });
    }
    out
}
