//! H: the host field — empty, pasted URLs, ports typed into it, syntax, canonical form,
//! misspelt provider hosts, another provider's host, the host of another protocol, IP literals.

use super::analysis::{is_loopback_name, Analysis, Field, ServerView};
use super::findings::Findings;
use super::registry::SettingsRule;
#[cfg(test)]
use crate::diagnostic::Vector;
use crate::diagnostic::{Rule, Severity};
use crate::model::labels;
use crate::model::{Host, HostKind, HostProblem};
use crate::providers::{self, Endpoint, Provider};
use crate::text::Quoted;
use std::cmp::Ordering;
use std::sync::LazyLock;

pub(crate) const H001: SettingsRule = SettingsRule {
    rule: Rule {
        code: "H001",
        name: "host-empty",
        severity: Severity::Error,
        summary: "the server host is empty",
        what: "A server with no host name.",
        why: "The client has nowhere to connect.",
        example: "`\"host\": \"\"` with `me@gmail.com` → `imap.gmail.com`.",
        references: &["RFC 1123 §2.1"],
    },
    check: host_empty,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "H001",
                "a host name",
                r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"}"#,
            ),
            Vector::fires(
                "H001",
                "a host of spaces only",
                r#"{"protocol":"imap","host":"  ","port":993,"security":"tls"}"#,
            ),
            Vector::fires(
                "H001",
                "an empty host in a Gmail account",
                r#"{"email":"me@gmail.com","incoming":{"protocol":"imap","host":"","port":993,"security":"tls"}}"#,
            ),
        ]
    },
};

fn host_empty(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        if !s.host.problems.contains(&HostProblem::Empty) {
            continue;
        }
        let help = match s.host_fix() {
            Some(_) => format!("type {}", s.target.host),
            None => "type the server's host name from your provider's help page".into(),
        };
        out.emit(
            &H001.rule,
            s.field(Field::Host),
            "the server host is empty".into(),
            help,
            s.host_fix(),
        );
    }
}

pub(crate) const H002: SettingsRule = SettingsRule {
    rule: Rule {
        code: "H002",
        name: "host-pasted-url",
        severity: Severity::Error,
        summary: "a URL or an email address was typed where the host name goes",
        what: "A host field holding a URL (`imaps://mail.example.com/`, `https://…`, `mailto:`) or an address with `@`.",
        why: "Clients look the whole text up in DNS and fail; only the bare host name belongs there.",
        example: "`imaps://imap.gmail.com/` → `imap.gmail.com`.",
        references: &["RFC 3986 §3.2.2", "RFC 1123 §2.1"],
    },
    check: host_pasted_url,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "H002",
                "a host name",
                r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"}"#,
            ),
            Vector::fires(
                "H002",
                "an imaps:// URL as the host",
                r#"{"protocol":"imap","host":"imaps://imap.example.com/","port":993,"security":"tls"}"#,
            ),
            Vector::fires(
                "H002",
                "an email address as the host",
                r#"{"protocol":"smtp","host":"me@smtp.example.com","port":465,"security":"tls"}"#,
            ),
        ]
    },
};

fn host_pasted_url(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let problems = &s.host.problems;
        for p in problems {
            if let HostProblem::Url { scheme } = p {
                out.emit(
                    &H002.rule,
                    s.field(Field::Host),
                    format!("the host is a URL ({scheme}:), not a host name"),
                    format!("type only the host name: {}", s.target.host),
                    s.host_fix(),
                );
            }
        }
        // An address typed as the host; a URL with a user part is said once, as a URL.
        let url = problems
            .iter()
            .any(|p| matches!(p, HostProblem::Url { .. }));
        if problems.contains(&HostProblem::AtSign) && !url {
            out.emit(
                &H002.rule,
                s.field(Field::Host),
                "the host contains an @: it looks like an email address, not a server name".into(),
                format!("type only the server name: {}", s.target.host),
                s.host_fix(),
            );
        }
    }
}

pub(crate) const H003: SettingsRule = SettingsRule {
    rule: Rule {
        code: "H003",
        name: "host-includes-port",
        severity: Severity::Error,
        summary: "a port number was typed into the host field",
        what: "A host of the form `host:port`.",
        why: "Clients treat the whole text as a name and the lookup fails; the port has its own field.",
        example: "`smtp.example.com:587` → host `smtp.example.com`, port 587.",
        references: &["RFC 3986 §3.2.3"],
    },
    check: host_with_port,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "H003",
                "the port in its own field",
                r#"{"protocol":"smtp","host":"smtp.example.com","port":587,"security":"starttls"}"#,
            ),
            Vector::fires(
                "H003",
                "the port typed after the host",
                r#"{"protocol":"smtp","host":"smtp.example.com:587","port":587,"security":"starttls"}"#,
            ),
        ]
    },
};

fn host_with_port(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        for p in &s.host.problems {
            if let HostProblem::Port(port) = p {
                out.emit(
                    &H003.rule,
                    s.field(Field::Host),
                    format!("the host ends with the port :{port}"),
                    format!(
                        "type {} as the host and the port in the port field",
                        s.target.host
                    ),
                    s.host_fix(),
                );
            }
        }
    }
}

pub(crate) const H004: SettingsRule = SettingsRule {
    rule: Rule {
        code: "H004",
        name: "host-syntax",
        severity: Severity::Error,
        summary: "the host name breaks DNS syntax",
        what: "Host names that RFC 1123 does not allow: empty labels, labels over 63 or names over 253 characters, \
               characters other than letters, digits and hyphens, hyphens at the ends of a label.",
        why: "Such a name cannot be looked up; it is always a typo.",
        example: "`imap..example.com` → `imap.example.com`.",
        references: &["RFC 1123 §2.1", "RFC 1035 §2.3.4", "RFC 5890 (IDNA)"],
    },
    check: host_invalid,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "H004",
                "an internationalised host name",
                r#"{"protocol":"imap","host":"mail.bücher.example","port":993,"security":"tls"}"#,
            ),
            Vector::silent(
                "H004",
                "a loopback IP address",
                r#"{"protocol":"imap","host":"127.0.0.1","port":1143,"security":"starttls"}"#,
            ),
            Vector::fires(
                "H004",
                "an empty label (two dots)",
                r#"{"protocol":"imap","host":"imap..example.com","port":993,"security":"tls"}"#,
            ),
            Vector::fires(
                "H004",
                "an underscore in the host",
                r#"{"protocol":"imap","host":"mail_server.example.com","port":993,"security":"tls"}"#,
            ),
        ]
    },
};

fn host_invalid(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        for p in &s.host.problems {
            let HostProblem::Syntax(why) = p else {
                continue;
            };
            let help = match (s.typo_of, s.host_fix()) {
                (_, None) => "check the server name for typos".into(),
                (Some((t, p)), Some(_)) => {
                    format!("did you mean {t} ({})? type {}", p.name, s.target.host)
                }
                (None, Some(_)) => format!("type {}", s.target.host),
            };
            out.emit(
                &H004.rule,
                s.field(Field::Host),
                format!("{} is not a valid host name: {why}", Quoted(&s.server.host)),
                help,
                s.host_fix(),
            );
        }
    }
}

pub(crate) const H005: SettingsRule = SettingsRule {
    rule: Rule {
        code: "H005",
        name: "host-not-canonical",
        severity: Severity::Info,
        summary: "the host has spaces, capitals or a trailing dot",
        what: "Leading or trailing whitespace, upper-case letters, or a trailing dot in the host.",
        why: "DNS ignores case, but some clients fail on stray spaces or the trailing dot; the canonical form always works.",
        example: "` IMAP.Example.com. ` → `imap.example.com`.",
        references: &["RFC 4343", "RFC 1034 §3.1"],
    },
    check: host_not_canonical,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "H005",
                "a host in canonical form",
                r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"}"#,
            ),
            Vector::fires(
                "H005",
                "spaces, capitals and a trailing dot",
                r#"{"protocol":"imap","host":" IMAP.Example.com. ","port":993,"security":"tls"}"#,
            ),
        ]
    },
};

fn host_not_canonical(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let h = &s.host;
        let cosmetic = h.problems.iter().any(|p| {
            matches!(
                p,
                HostProblem::Whitespace | HostProblem::UpperCase | HostProblem::TrailingDot
            )
        });
        if cosmetic && h.kind.is_some() {
            out.emit(
                &H005.rule,
                s.field(Field::Host),
                format!("{} is not in canonical form", Quoted(&s.server.host)),
                format!("type {}", s.target.host),
                s.host_fix(),
            );
        }
    }
}

pub(crate) const H006: SettingsRule = SettingsRule {
    rule: Rule {
        code: "H006",
        name: "host-typo",
        severity: Severity::Error,
        summary: "the host looks like a misspelling of a known provider's server",
        what: "A host that no provider in the table runs, one or two keystrokes away from one that a provider does \
               run (a swapped, missing, extra or wrong letter or dot). Changes only in a two-letter country \
               suffix, short labels changed twice, and hosts under the person's own email domain do not count.",
        why: "A misspelt host fails the DNS lookup, or worse, reaches a stranger's server that collects passwords \
              (typosquatting).",
        example: "`imap.gmial.com` → `imap.gmail.com`.",
        references: &["RFC 1123 §2.1", "the provider table (`mailsetup providers`)"],
    },
    check: host_typo,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "H006",
                "Gmail's own host",
                r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls"}"#,
            ),
            Vector::silent(
                "H006",
                "another provider one letter away (mail.de)",
                r#"{"protocol":"imap","host":"imap.mail.de","port":993,"security":"tls"}"#,
            ),
            Vector::silent(
                "H006",
                "a host under the person's own domain",
                r#"{"email":"me@gmial.com","incoming":{"protocol":"imap","host":"imap.gmial.com","port":993,"security":"tls"}}"#,
            ),
            Vector::fires(
                "H006",
                "imap.gmial.com",
                r#"{"protocol":"imap","host":"imap.gmial.com","port":993,"security":"tls"}"#,
            ),
            Vector::fires(
                "H006",
                "smtp.gmail.con",
                r#"{"protocol":"smtp","host":"smtp.gmail.con","port":465,"security":"tls"}"#,
            ),
            Vector::fires(
                "H006",
                "a dot left out (imapgmail.com) with a Gmail address",
                r#"{"email":"me@gmail.com","incoming":{"protocol":"imap","host":"imapgmail.com","port":993,"security":"tls"}}"#,
            ),
            Vector::fires(
                "H006",
                "imap.gmx.nett",
                r#"{"protocol":"imap","host":"imap.gmx.nett","port":993,"security":"tls"}"#,
            ),
        ]
    },
};

fn host_typo(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let Some((candidate, p)) = s.typo_of else {
            continue;
        };
        let help = if s.target.host == candidate {
            format!("type {candidate}")
        } else {
            format!("for this account type {}", s.target.host)
        };
        out.emit(
            &H006.rule,
            s.field(Field::Host),
            format!(
                "no provider runs {}; did you mean {candidate} ({})?",
                Quoted(&s.host.ascii),
                p.name
            ),
            help,
            s.host_fix(),
        );
    }
}

pub(crate) const H007: SettingsRule = SettingsRule {
    rule: Rule {
        code: "H007",
        name: "host-of-other-provider",
        severity: Severity::Error,
        summary: "the host belongs to another provider than the email address",
        what: "An account whose email domain belongs to one provider and whose server is another provider's \
               (a Gmail address with iCloud's `imap.mail.me.com`).",
        why: "A provider's servers only accept its own accounts; the sign-in fails, and the password of one \
              provider is sent to another.",
        example: "`me@gmail.com` with `imap.mail.me.com` → `imap.gmail.com`.",
        references: &["the provider table (`mailsetup providers`)"],
    },
    check: host_other_provider,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "H007",
                "the provider's own host",
                r#"{"email":"me@gmail.com","incoming":{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls"}}"#,
            ),
            Vector::silent(
                "H007",
                "an own domain on iCloud's servers",
                r#"{"email":"me@example.org","incoming":{"protocol":"imap","host":"imap.mail.me.com","port":993,"security":"tls"}}"#,
            ),
            Vector::fires(
                "H007",
                "iCloud's host with a Gmail address",
                r#"{"email":"me@gmail.com","incoming":{"protocol":"imap","host":"imap.mail.me.com","port":993,"security":"tls"}}"#,
            ),
            Vector::fires(
                "H007",
                "Gmail's SMTP host with an iCloud address",
                r#"{"email":"me@icloud.com","incoming":{"protocol":"imap","host":"imap.mail.me.com","port":993,"security":"tls"},"outgoing":{"protocol":"smtp","host":"smtp.gmail.com","port":587,"security":"starttls"}}"#,
            ),
        ]
    },
};

fn host_other_provider(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let Some((p, e, whose)) = judged_by_email_provider(a, s) else {
            continue;
        };
        let Some(other) = s.owner else {
            continue;
        };
        out.emit(
            &H007.rule,
            s.field(Field::Host),
            format!("{} is a server of {}, but {whose}", s.name(), other.name),
            format!(
                "type {}, where {} serves {}{}",
                e.host,
                p.name,
                labels::protocol(s.server.protocol),
                local_note(p, e)
            ),
            s.host_fix(),
        );
    }
}

pub(crate) const H008: SettingsRule = SettingsRule {
    rule: Rule {
        code: "H008",
        name: "host-not-documented",
        severity: Severity::Warning,
        summary: "the host is not one of the servers the email's provider documents",
        what: "An account whose email domain belongs to a known provider, with a host the provider does not \
               document for the protocol and that is not a misspelling of a known host. Loopback and private \
               addresses (a local bridge or proxy) are left alone.",
        why: "Old or unofficial names stop working without notice, and an unknown name may not be the provider's \
              at all; the documented server is the one that keeps working.",
        example: "`me@gmail.com` with `mail.google.com` → `imap.gmail.com`.",
        references: &["the provider table (`mailsetup providers`)"],
    },
    check: host_not_documented,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "H008",
                "the provider's documented host",
                r#"{"email":"me@gmail.com","incoming":{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls"}}"#,
            ),
            Vector::silent(
                "H008",
                "a loopback address (a local proxy)",
                r#"{"email":"me@gmail.com","incoming":{"protocol":"imap","host":"127.0.0.1","port":1143,"security":"starttls"}}"#,
            ),
            Vector::fires(
                "H008",
                "a Google host Gmail does not document for IMAP",
                r#"{"email":"me@gmail.com","incoming":{"protocol":"imap","host":"mail.google.com","port":993,"security":"tls"}}"#,
            ),
        ]
    },
};

fn host_not_documented(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let Some((p, e, whose)) = judged_by_email_provider(a, s) else {
            continue;
        };
        if s.owner.is_some() {
            continue;
        }
        let proto = labels::protocol(s.server.protocol);
        out.emit(
            &H008.rule,
            s.field(Field::Host),
            format!(
                "{} is not a server {} documents for {proto}; {whose}",
                s.name(),
                p.name
            ),
            format!(
                "type {}, where {} serves {proto}{}",
                e.host,
                p.name,
                local_note(p, e)
            ),
            s.host_fix(),
        );
    }
}

/// For H007 and H008: the provider of the person's email address, its endpoint, and whose the
/// account is ("me@gmail.com is an address at Gmail"), when that provider applies to a server
/// whose host it does not run (and the host is a name worth correcting). Recognised by host
/// only, the incoming server decides, and the account rule (V407) speaks instead.
fn judged_by_email_provider(
    a: &Analysis,
    s: &ServerView,
) -> Option<(&'static Provider, &'static Endpoint, String)> {
    let (p, e) = (s.provider?, s.endpoint?);
    if s.typo_of.is_some() || s.host.kind.is_none() || p.owns_host(s.name()) {
        return None;
    }
    if s.host.is_loopback() || s.host.is_private_ip() || s.target.host == s.server.host {
        return None;
    }
    if !a.provider_by_email() {
        return None;
    }
    let m = a.email?;
    Some((p, e, format!("{} is an address at {}", m.address, p.name)))
}

/// The provider's note when its endpoint is a local bridge (Proton Mail Bridge), for the help.
fn local_note(p: &Provider, e: &Endpoint) -> String {
    if is_loopback_name(e.host) {
        p.note.map(|n| format!(". {n}")).unwrap_or_default()
    } else {
        String::new()
    }
}

pub(crate) const H009: SettingsRule = SettingsRule {
    rule: Rule {
        code: "H009",
        name: "host-of-other-protocol",
        severity: Severity::Error,
        summary: "the host is the provider's server for another protocol",
        what: "A provider's host used for a protocol it does not serve there: the POP3 host for IMAP, the IMAP \
               host for POP3, the SMTP host for reading mail.",
        why: "The server answers on another port with another protocol, or not at all; the client cannot connect.",
        example: "IMAP with `pop.gmail.com` → `imap.gmail.com`.",
        references: &["the provider table (`mailsetup providers`)"],
    },
    check: host_of_other_protocol,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "H009",
                "Gmail's POP3 host for POP3",
                r#"{"protocol":"pop3","host":"pop.gmail.com","port":995,"security":"tls"}"#,
            ),
            Vector::silent(
                "H009",
                "a host that serves IMAP among others",
                r#"{"protocol":"imap","host":"outlook.office365.com","port":993,"security":"tls"}"#,
            ),
            Vector::fires(
                "H009",
                "Gmail's POP3 host for IMAP",
                r#"{"protocol":"imap","host":"pop.gmail.com","port":993,"security":"tls"}"#,
            ),
            Vector::fires(
                "H009",
                "Gmail's IMAP host for POP3",
                r#"{"protocol":"pop3","host":"imap.gmail.com","port":995,"security":"tls"}"#,
            ),
            Vector::fires(
                "H009",
                "Gmail's SMTP host for IMAP",
                r#"{"protocol":"imap","host":"smtp.gmail.com","port":993,"security":"tls"}"#,
            ),
        ]
    },
};

fn host_of_other_protocol(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let (Some(p), Some(e)) = (s.provider, s.endpoint) else {
            continue;
        };
        let name = s.name();
        if s.typo_of.is_some() || s.host.kind.is_none() || !p.owns_host(name) {
            continue;
        }
        if p.servers_for(s.server.protocol).any(|x| x.host == name) {
            continue;
        }
        let proto = labels::protocol(s.server.protocol);
        out.emit(
            &H009.rule,
            s.field(Field::Host),
            format!(
                "{} serves {} on {name}, not {proto}",
                p.name,
                other_protocols(p, name)
            ),
            format!("type {}, where {} serves {proto}", e.host, p.name),
            s.host_fix(),
        );
    }
}

pub(crate) const H010: SettingsRule = SettingsRule {
    rule: Rule {
        code: "H010",
        name: "host-ip-address",
        severity: Severity::Warning,
        summary: "an IP address is used instead of the server's name",
        what: "An IPv4 or IPv6 literal that is not a loopback address, on a connection with TLS.",
        why: "Certificates name hosts, not addresses: the name check fails (RFC 7817 §3), and a client that lets \
              it pass cannot tell the real server from an impostor. Addresses also change without notice.",
        example: "`142.250.27.108` → `imap.gmail.com`.",
        references: &["RFC 7817 §3", "RFC 6125 §6.4"],
    },
    check: host_ip_address,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "H010",
                "a loopback address",
                r#"{"protocol":"imap","host":"127.0.0.1","port":1143,"security":"starttls"}"#,
            ),
            Vector::silent(
                "H010",
                "a host name",
                r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"}"#,
            ),
            Vector::fires(
                "H010",
                "a public IP address with TLS",
                r#"{"protocol":"imap","host":"142.250.27.108","port":993,"security":"tls"}"#,
            ),
            Vector::fires(
                "H010",
                "a private IP address with STARTTLS",
                r#"{"protocol":"smtp","host":"192.168.1.10","port":587,"security":"starttls"}"#,
            ),
        ]
    },
};

fn host_ip_address(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let Some(HostKind::Ip(ip)) = s.host.kind else {
            continue;
        };
        if s.host.is_loopback() || !s.server.security.is_encrypted() {
            continue;
        }
        let help = match s.host_fix() {
            Some(_) => format!("type the server's name: {}", s.target.host),
            None => "type the server's name as your provider gives it".into(),
        };
        out.emit(
            &H010.rule,
            s.field(Field::Host),
            format!("{ip} is an IP address; the server's TLS certificate names a host, so the name check fails"),
            help,
            s.host_fix(),
        );
    }
}

/// "POP3", "IMAP and SMTP": what a provider serves on one of its hosts.
fn other_protocols(p: &Provider, host: &str) -> String {
    let mut names: Vec<&str> = Vec::new();
    for e in p.servers.iter().filter(|e| e.host == host) {
        let n = labels::protocol(e.protocol);
        if !names.contains(&n) {
            names.push(n);
        }
    }
    names.join(" and ")
}

/// Longest DNS name (RFC 1035 §2.3.4); longer text is no misspelling of a host.
const MAX_HOST_LEN: usize = 253;

/// The known provider host that `host` is most likely a misspelling of, if any (see [`H006`]).
/// `own_domain` is the person's email domain when no provider runs it: hosts under it are theirs.
///
/// Two known hosts equally close make the answer unknowable, unless exactly one of them belongs to
/// `preferred` (the provider of the person's email address): `imapgmail.com` is as close to
/// `imap.gmail.com` as to `imap.mail.com`, but not for a Gmail address.
pub(super) fn typo_candidate(
    host: &Host,
    own_domain: Option<&str>,
    preferred: Option<&'static Provider>,
) -> Option<(&'static str, &'static Provider)> {
    let name = host.ascii.as_str();
    if name.is_empty() || host.is_ip() || name.len() > MAX_HOST_LEN {
        return None;
    }
    if let Some(d) = own_domain {
        let d = d.trim_end_matches('.');
        if name.len() >= d.len()
            && name.is_char_boundary(name.len() - d.len())
            && name[name.len() - d.len()..].eq_ignore_ascii_case(d)
        {
            return None;
        }
    }
    // A lookalike of a known host (H011) is taken for it, as a misspelling is.
    if let Some(hit) = super::lookalike::lookalike_host(host) {
        return Some(hit);
    }
    let mut best: Option<(usize, &'static str, &'static Provider)> = None;
    let mut tie = false;
    let index = &*TYPO_INDEX;
    // Each edit changes the length by at most one: only hosts within two bytes of it.
    let from = index.partition_point(|(h, _)| h.len() + 2 < name.len());
    let to = index.partition_point(|(h, _)| h.len() <= name.len() + 2);
    for &(candidate, p) in &index[from..to.max(from)] {
        if candidate == name {
            // A known host is nobody's misspelling.
            return None;
        }
        let d = strsim::osa_distance(name, candidate);
        if d > best.map_or(2, |(bd, _, _)| bd) || !plausible_typo(name, candidate, d) {
            continue;
        }
        let is_preferred = |q: &Provider| preferred.is_some_and(|x| x.id == q.id);
        match best {
            Some((bd, bh, bp)) if d == bd => match (is_preferred(bp), is_preferred(p)) {
                (true, false) => {}
                (false, true) => {
                    best = Some((d, candidate, p));
                    tie = false;
                }
                _ => match dot_slip_order(name, bh, candidate) {
                    Ordering::Less => {}
                    Ordering::Greater => {
                        best = Some((d, candidate, p));
                        tie = false;
                    }
                    Ordering::Equal => tie = true,
                },
            },
            _ => {
                best = Some((d, candidate, p));
                tie = false;
            }
        }
    }
    best.filter(|_| !tie).map(|(_, h, p)| (h, p))
}

/// Which of two hosts equally close to `typed` is the likelier intent: the one that is closer once
/// dots are ignored, since a dot left out or typed twice is the commonest slip in a host name
/// (`imapgmail.com` is `imap.gmail.com` without its dot; `imap.mail.com` needs a letter changed).
/// `Less` favours `a`.
fn dot_slip_order(typed: &str, a: &str, b: &str) -> Ordering {
    let dotless = |s: &str| s.replace('.', "");
    let typed = dotless(typed);
    let distance = |h: &str| strsim::osa_distance(&typed, &dotless(h)).min(3);
    distance(a).cmp(&distance(b))
}

/// Every known provider host, sorted by length (then name), built once: a misspelling is within
/// two bytes of the length of what it misspells, and each of those hosts' distance is worked out
/// in full (strsim). Measured against the hand-written banded distance with a character-profile
/// bound this replaced, in one session: `cargo bench --bench validate` validate/unknown-host (two
/// typo searches) 172 µs against 5.0 µs, and `cargo bench --bench lint` (the ISPDB corpus, 163
/// files) 22 ms against 7 ms, within its 50 ms budget; no budget needs the faster code.
static TYPO_INDEX: LazyLock<Vec<(&'static str, &'static Provider)>> = LazyLock::new(|| {
    let mut v = providers::all_hosts().to_vec();
    v.sort_unstable_by(|a, b| (a.0.len(), a.0).cmp(&(b.0.len(), b.0)));
    v
});

/// Whether a distance-`d` difference between a typed host and a known one is a typing slip
/// rather than another name: not a change of a two-letter country suffix only, and not two
/// changes in a short label (`aim` is not `aol`).
fn plausible_typo(typed: &str, known: &str, d: usize) -> bool {
    if d == 0 {
        return false;
    }
    let (tn, kn) = (typed.split('.').count(), known.split('.').count());
    if tn != kn {
        // A dot missing or doubled (`imapgmail.com`, `imap..gmail.com`).
        return d == 1;
    }
    let last = tn - 1;
    for (i, (t, k)) in typed.split('.').zip(known.split('.')).enumerate() {
        if t == k {
            continue;
        }
        if i == last && t.len() <= 2 {
            return false;
        }
        let ld = strsim::osa_distance(t, k).min(3);
        if ld * 3 > t.len().min(k.len()) {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typo(h: &str) -> Option<&'static str> {
        typo_candidate(&Host::parse(h), None, None).map(|(h, _)| h)
    }

    #[test]
    fn typos_found() {
        assert_eq!(typo("imap.gmial.com"), Some("imap.gmail.com"));
        assert_eq!(typo("imap.gmail.con"), Some("imap.gmail.com"));
        // As close to imap.mail.com, but only a dot is missing from imap.gmail.com.
        assert_eq!(typo("imapgmail.com"), Some("imap.gmail.com"));
        // Equally close both ways, dots or not: unknowable, unless the address decides.
        assert_eq!(
            typo("imap.gail.com"),
            None,
            "imap.gmail.com or imap.mail.com?"
        );
        let gmail = providers::by_id("gmail");
        let h = typo_candidate(&Host::parse("imap.gail.com"), None, gmail);
        assert_eq!(h.map(|(h, _)| h), Some("imap.gmail.com"));
        assert_eq!(typo("imap..gmail.com"), Some("imap.gmail.com"));
        assert_eq!(typo("smtp.gmaill.com"), Some("smtp.gmail.com"));
        assert_eq!(typo("imap.mail.me.co"), None, "country suffix swap");
    }

    #[test]
    fn non_typos_ignored() {
        for h in [
            "imap.gmail.com",
            "imap.example.com",
            "mail.gmx.de",
            "imap.gmail.de",
            "x",
            "",
            "127.0.0.2",
            "imap.gmail.com.example.org",
        ] {
            assert_eq!(typo(h), None, "{h}");
        }
        let own = typo_candidate(&Host::parse("imap.gmial.com"), Some("gmial.com"), None);
        assert!(own.is_none());
    }

    #[test]
    fn non_ascii_hosts_never_panic() {
        for h in [
            "imäp.gmail.com",
            "ü",
            "imap.gmail.cöm",
            "é.é",
            "日本.jp",
            "gmail.com\u{301}",
        ] {
            let _ = typo(h);
            let _ = plausible_typo(h, "imap.gmail.com", 1);
        }
    }
}
