//! DNS SRV zone lines so clients can find a domain's mail servers (RFC 6186), with RFC 8314's
//! implicit-TLS services (`_submissions`, `_imaps`, `_pop3s`).
//!
//! Every service gets a record. Lower priority is preferred (RFC 2782): the plan's order, which
//! puts implicit TLS and IMAP first where the provider does, becomes 0, 10, 20, … across IMAP and
//! POP3 (RFC 6186 §3.4) and across the two submission services (RFC 8314 §5.1). A service that is
//! not offered gets the target `.` ("decidedly not available", RFC 2782; RFC 6186 §4).
//! Names are checked to be DNS host names before they are written.

use super::{ExportError, Format, Plan, PlanServer};
use crate::model::{Host, HostKind, Protocol, Security};
use std::fmt::Write as _;

/// The six services, in the order they are written.
const SERVICES: &[(&str, Protocol, Security)] = &[
    ("_submissions", Protocol::Smtp, Security::Tls),
    ("_submission", Protocol::Smtp, Security::Starttls),
    ("_imaps", Protocol::Imap, Security::Tls),
    ("_imap", Protocol::Imap, Security::Starttls),
    ("_pop3s", Protocol::Pop3, Security::Tls),
    ("_pop3", Protocol::Pop3, Security::Starttls),
];

/// The time to live written on every record, in seconds.
pub const TTL: u32 = 3600;

/// A host name in canonical form with the root's trailing dot, or why it is not one.
fn fqdn(what: &'static str, name: &str) -> Result<String, ExportError> {
    let h = Host::parse(name);
    let bad = |why: String| ExportError::NotAHostName {
        what,
        value: name.to_owned(),
        why,
    };
    match h.kind {
        Some(HostKind::Name) if h.is_clean() || cosmetic_only(&h) => {}
        Some(HostKind::Ip(_)) => {
            return Err(bad(
                "an IP address; an SRV target must be a name (RFC 2782)".into(),
            ))
        }
        _ => {
            let why = h
                .problems
                .iter()
                .find_map(|p| match p {
                    crate::model::HostProblem::Syntax(s) => Some(s.clone()),
                    _ => None,
                })
                .unwrap_or_else(|| "not a bare host name".into());
            return Err(bad(why));
        }
    }
    if !h.ascii.contains('.') {
        return Err(bad("a single label; it needs its domain".into()));
    }
    Ok(format!("{}.", h.ascii))
}

/// Whether the only problems are case, surrounding spaces or a trailing dot (fixed by canonicalising).
fn cosmetic_only(h: &Host) -> bool {
    h.problems.iter().all(|p| {
        matches!(
            p,
            crate::model::HostProblem::Whitespace
                | crate::model::HostProblem::UpperCase
                | crate::model::HostProblem::TrailingDot
        )
    })
}

/// Which service a server is published under; a server without encryption is published under
/// the STARTTLS name (the port is the same), which clients then upgrade or refuse.
fn service_of(s: &PlanServer) -> &'static str {
    let tls = s.security == Security::Tls;
    SERVICES
        .iter()
        .find(|(_, p, sec)| *p == s.protocol && (*sec == Security::Tls) == tls)
        .map_or("_imap", |(n, _, _)| n)
}

pub(crate) fn write(plan: &Plan) -> Result<String, ExportError> {
    let Some(domain) = plan.domains.first() else {
        return Err(ExportError::NeedsEmail {
            format: Format::Srv,
            why: "the records are published under its domain",
        });
    };
    let name = domain;
    let domain = fqdn("the domain", domain)?;
    // The records' names are the domain under `_submissions._tcp.`, the longest service label:
    // that must still be a DNS name (253 characters; found by fuzz/fuzz_targets/export.rs).
    let longest = "_submissions._tcp.".len() + domain.len() - 1;
    if longest > crate::model::MAX_HOST_LEN {
        return Err(ExportError::NotAHostName {
            what: "the domain",
            value: name.clone(),
            why: format!(
                "too long for SRV records: _submissions._tcp. and the domain make {longest} characters, and a DNS name holds {}",
                crate::model::MAX_HOST_LEN
            ),
        });
    }
    // (service, priority, port, target)
    let mut records: Vec<(&'static str, u16, u16, String)> = Vec::new();
    for group in [&plan.incoming, &plan.outgoing] {
        for (i, s) in group.iter().enumerate() {
            let priority = u16::try_from(i * 10).unwrap_or(u16::MAX);
            records.push((
                service_of(s),
                priority,
                s.port,
                fqdn("the server", &s.host)?,
            ));
        }
    }
    let mut lines: Vec<(String, String)> = Vec::new();
    for (service, _, _) in SERVICES {
        let owner = format!("{service}._tcp.{domain}");
        let mine: Vec<_> = records.iter().filter(|r| r.0 == *service).collect();
        if mine.is_empty() {
            lines.push((owner.clone(), "0 0 0 .".into()));
        }
        for (_, priority, port, target) in mine {
            lines.push((owner.clone(), format!("{priority} 1 {port} {target}")));
        }
    }
    let width = lines.iter().map(|(o, _)| o.len()).max().unwrap_or(0);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "; Mail service records for {} (RFC 6186; RFC 8314 section 5.1 for _submissions, _imaps, _pop3s).",
        domain.trim_end_matches('.')
    );
    let _ = writeln!(
        out,
        "; Lower priority is preferred. A target of \".\" means the service is not offered (RFC 2782)."
    );
    for (owner, data) in lines {
        let _ = writeln!(out, "{owner:<width$} {TTL} IN SRV {data}");
    }
    Ok(out)
}
