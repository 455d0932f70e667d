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
use crate::providers::{self, Endpoint, Provider, Providers};
use crate::text::Quoted;
use std::cmp::Ordering;

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
            let help = match (s.typo, s.host_fix()) {
                (_, None) => "check the server name for typos".into(),
                (Some(t), Some(_)) => {
                    format!(
                        "did you mean {} ({})? type {}",
                        t.host, t.provider.name, s.target.host
                    )
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
        summary: "the host is a misspelling of the email provider's server",
        what: "A host that no provider in the table runs and that lies under no provider's own domain, one or two \
               keystrokes away from a server of the provider of the person's own email address (a swapped, \
               missing, extra or wrong letter or dot). Changes only in a two-letter country suffix, and short \
               labels changed twice, do not count.",
        why: "A misspelt host fails the DNS lookup, or worse, reaches a stranger's server that collects passwords \
              (typosquatting). The address says which provider was meant, so the correction is safe to apply.",
        example: "`me@gmail.com` with `imap.gmial.com` → `imap.gmail.com`.",
        references: &["RFC 1123 §2.1", "the provider table (`mailsetup providers`)"],
    },
    check: host_typo,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "H006",
                "Gmail's own host",
                r#"{"email":"me@gmail.com","incoming":{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls"}}"#,
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
            Vector::silent(
                "H006",
                "no address says which provider was meant: a question (H012), not a fix",
                r#"{"protocol":"imap","host":"imap.gmial.com","port":993,"security":"tls"}"#,
            ),
            Vector::silent(
                "H006",
                "a host under the provider's own domain is no misspelling (imap-mail.outlook.com)",
                r#"{"email":"me@hotmail.com","incoming":{"protocol":"imap","host":"imap-mail.outlook.com","port":993,"security":"tls"}}"#,
            ),
            Vector::silent(
                "H006",
                "a host under another provider's domain is no misspelling (smtp.upcmail.nl is not smtp.kpnmail.nl)",
                r#"{"protocol":"smtp","host":"smtp.upcmail.nl","port":587,"security":"starttls"}"#,
            ),
            Vector::fires(
                "H006",
                "imap.gmial.com with a Gmail address",
                r#"{"email":"me@gmail.com","incoming":{"protocol":"imap","host":"imap.gmial.com","port":993,"security":"tls"}}"#,
            ),
            Vector::fires(
                "H006",
                "smtp.gmail.con with a Gmail address",
                r#"{"email":"me@gmail.com","incoming":{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls"},"outgoing":{"protocol":"smtp","host":"smtp.gmail.con","port":465,"security":"tls"}}"#,
            ),
            Vector::fires(
                "H006",
                "a dot left out (imapgmail.com) with a Gmail address",
                r#"{"email":"me@gmail.com","incoming":{"protocol":"imap","host":"imapgmail.com","port":993,"security":"tls"}}"#,
            ),
        ]
    },
};

fn host_typo(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let Some(t) = s.typo.filter(|t| t.sure) else {
            continue;
        };
        let help = if s.target.host == t.host {
            format!("type {}", t.host)
        } else {
            format!("for this account type {}", s.target.host)
        };
        out.emit(
            &H006.rule,
            s.field(Field::Host),
            format!(
                "no provider runs {}; did you mean {}, the server of {}, your address's provider?",
                Quoted(&s.host.ascii),
                t.host,
                t.provider.name
            ),
            help,
            s.host_fix(),
        );
    }
}

pub(crate) const H012: SettingsRule = SettingsRule {
    rule: Rule {
        code: "H012",
        name: "host-maybe-typo",
        severity: Severity::Warning,
        summary: "the host looks like a misspelling of a known provider's server; which one was meant is a question",
        what: "A host that no provider in the table runs and that lies under no provider's own domain, one or two \
               keystrokes away from a known provider's server, when no email address says that this provider was \
               meant (no address, or an address at another or an unknown provider).",
        why: "A misspelt host fails, or reaches a stranger's server. But the known host belongs to a company that \
              may not be the person's: correcting to it would send their password there. So it is a question, \
              with no fix to apply.",
        example: "`imap.gmial.com` alone → did you mean `imap.gmail.com` (Gmail)? Only if your address is at Gmail.",
        references: &["RFC 1123 §2.1", "the provider table (`mailsetup providers`)"],
    },
    check: host_maybe_typo,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "H012",
                "a host nobody runs and nothing is close to",
                r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"}"#,
            ),
            Vector::silent(
                "H012",
                "the address's provider was meant: a fix (H006)",
                r#"{"email":"me@gmail.com","incoming":{"protocol":"imap","host":"imap.gmial.com","port":993,"security":"tls"}}"#,
            ),
            Vector::fires(
                "H012",
                "imap.gmial.com without an address",
                r#"{"protocol":"imap","host":"imap.gmial.com","port":993,"security":"tls"}"#,
            ),
            Vector::fires(
                "H012",
                "imap.gmx.nett without an address",
                r#"{"protocol":"imap","host":"imap.gmx.nett","port":993,"security":"tls"}"#,
            ),
            Vector::fires(
                "H012",
                "a Gmail-like host with an address at another provider",
                r#"{"email":"me@web.de","incoming":{"protocol":"imap","host":"imap.gmial.com","port":993,"security":"tls"}}"#,
            ),
        ]
    },
};

fn host_maybe_typo(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let Some(t) = s.typo.filter(|t| !t.sure) else {
            continue;
        };
        out.emit(
            &H012.rule,
            s.field(Field::Host),
            format!(
                "no provider runs {}; did you mean {} ({})?",
                Quoted(&s.host.ascii),
                t.host,
                t.provider.name
            ),
            format!(
                "check the host against your provider's help; only if your account is at {}, type {}",
                t.provider.name, t.host
            ),
            None,
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
        let Some((p, whose)) = judged_by_email_provider(a, s) else {
            continue;
        };
        // Documented by another provider, or under another provider's own domain.
        let (other, how) = match (s.owner, s.org) {
            (Some(o), _) => (o, format!("a server of {}", o.name)),
            (None, Some(o)) if !std::ptr::eq(o, p) => (
                o,
                format!("under a domain of {}, so it is {}'s", o.name, o.name),
            ),
            _ => continue,
        };
        let help = match s.endpoint {
            Some(e) => format!(
                "type {}, where {} documents {}{}",
                e.host,
                p.name,
                labels::protocol(s.server.protocol),
                local_note(p, e)
            ),
            None => format!(
                "type the server {} documents for {}",
                p.name,
                labels::protocol(s.server.protocol)
            ),
        };
        let _ = other;
        out.emit(
            &H007.rule,
            s.field(Field::Host),
            format!("{} is {how}, but {whose}", s.name()),
            help,
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
        let Some((p, whose)) = judged_by_email_provider(a, s) else {
            continue;
        };
        if s.owner.is_some() || s.org.is_some_and(|o| !std::ptr::eq(o, p)) {
            continue;
        }
        let proto = labels::protocol(s.server.protocol);
        let Some(documented) = p.preferred(s.server.protocol) else {
            continue;
        };
        let shown = s.endpoint.unwrap_or(documented);
        let theirs = format!(
            "{} documents {} for {proto} ({})",
            p.name,
            shown.host,
            p.attribution(shown)
        );
        if s.org.is_some() && s.endpoint.is_none() {
            // Under the provider's own domain: probably an older or other name of its server.
            out.emit(
                &H008.rule,
                s.field(Field::Host),
                format!(
                    "{} is not a server {} documents, but it is under {}'s own domain, so it is probably an older or other name of its server; {theirs}",
                    s.name(),
                    p.name,
                    p.name
                ),
                format!("it may well work; if it does not, type {}", shown.host),
                None,
            );
            continue;
        }
        out.emit(
            &H008.rule,
            s.field(Field::Host),
            format!(
                "{} is not a server {} documents for {proto}; {whose}, and {theirs}",
                s.name(),
                p.name
            ),
            format!("type {}{}", shown.host, local_note(p, shown)),
            s.host_fix(),
        );
    }
}

/// For H007 and H008: the provider of the person's email address and whose the account is
/// ("me@gmail.com is an address at Gmail"), when that provider applies to a server whose host it
/// does not run (and the host is a name, not a misspelling). Recognised by host only, the
/// incoming server decides, and the account rule (V407) speaks instead.
fn judged_by_email_provider<'a>(
    a: &Analysis<'a>,
    s: &ServerView<'a>,
) -> Option<(&'a Provider, String)> {
    let p = s.provider?;
    if s.typo.is_some() || s.host.kind.is_none() || p.owns_host(s.name()) {
        return None;
    }
    if s.host.is_loopback() || s.host.is_private_ip() {
        return None;
    }
    if !a.provider_by_email() {
        return None;
    }
    let m = a.email?;
    Some((p, format!("{} is an address at {}", m.address, p.name)))
}

/// The bridge's words when the endpoint is a local bridge (Proton Mail Bridge), for the help.
fn local_note(p: &Provider, e: &Endpoint) -> String {
    if is_loopback_name(&e.host) {
        p.bridges
            .first()
            .map(|b| format!(". {}: {}", b.name, b.summary))
            .unwrap_or_default()
    } else {
        String::new()
    }
}

pub(crate) const H009: SettingsRule = SettingsRule {
    rule: Rule {
        code: "H009",
        name: "host-of-other-protocol",
        severity: Severity::Warning,
        summary: "the host is the provider's server for another protocol",
        what: "A provider's host used for a protocol the provider documents on another host only: the POP3 host \
               for IMAP, the IMAP host for POP3, the SMTP host for reading mail.",
        why: "Such a server usually answers only the protocol it is documented for, and the client cannot \
              connect; since no source says the other protocol is refused there, it is a warning.",
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
        if s.typo.is_some() || s.host.kind.is_none() || !p.owns_host(name) {
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
                "{} documents {name} for {}, not for {proto}",
                p.name,
                other_protocols(p, name)
            ),
            format!(
                "type {}, where {} documents {proto} ({})",
                e.host,
                p.name,
                p.attribution(e)
            ),
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

/// A known host that a typed one may be a misspelling of.
#[derive(Debug, Clone, Copy)]
pub struct Typo<'a> {
    /// The known host.
    pub host: &'a str,
    /// Its provider.
    pub provider: &'a Provider,
    /// Whether the provider is the one of the person's email address: then it is what they
    /// meant ([`H006`], with a fix); otherwise a question ([`H012`], without one).
    pub sure: bool,
}

/// The known provider host that `host` is most likely a misspelling of, if any (see [`H006`]).
/// The caller asks only for a host that no provider runs and that lies under no provider's own
/// domain. `own_domain` is the person's email domain when no provider runs it: hosts under it
/// are theirs. `preferred` is the provider of the person's email address.
///
/// Two known hosts equally close make the answer unknowable, unless exactly one of them belongs to
/// `preferred`: `imapgmail.com` is as close to `imap.gmail.com` as to `imap.mail.com`, but not for
/// a Gmail address.
pub(super) fn typo_candidate<'a>(
    providers: Providers<'a>,
    host: &Host,
    own_domain: Option<&str>,
    preferred: Option<&'a Provider>,
    org: Option<&'a Provider>,
) -> Option<Typo<'a>> {
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
    let mut best: Option<(usize, &'a str, &'a Provider)> = None;
    let mut tie = false;
    let is_preferred = |q: &Provider| preferred.is_some_and(|x| std::ptr::eq(x, q) || x.id == q.id);
    let in_org = |q: &Provider| org.is_some_and(|x| std::ptr::eq(x, q) || x.id == q.id);
    // A lookalike of a known host (H011) is taken for it with a fix: what the person read, and
    // meant, is that host's name, letter for letter, so the fix sends nothing to anyone they did
    // not mean (unlike an edit-distance neighbour, which can be another company's). Within an
    // organisation's own settings, only its own hosts.
    if let Some((known, p)) = super::lookalike::lookalike_host(host) {
        if org.is_none() || in_org(p) {
            return Some(Typo {
                host: known,
                provider: p,
                sure: true,
            });
        }
    }
    let mut consider = |candidate: &'a str, p: &'a Provider| -> bool {
        if candidate == name || suffix_swap(name, candidate) {
            // A known host, or a known name under another country suffix, is nobody's
            // misspelling (imap.gmail.de is not imap.mail.de with a g too many).
            return false;
        }
        if org.is_some() && !in_org(p) {
            return true;
        }
        let limit = best.map_or(2, |(bd, _, _)| bd);
        if profile_bound(name, candidate) > limit {
            return true;
        }
        let d = strsim::osa_distance(name, candidate);
        if d > limit || !plausible_typo(name, candidate, d) {
            return true;
        }
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
                    Ordering::Equal => tie = bh != candidate,
                },
            },
            _ => {
                best = Some((d, candidate, p));
                tie = false;
            }
        }
        true
    };
    for p in providers.own() {
        for e in &p.servers {
            if e.host.parse::<std::net::IpAddr>().is_err() && !consider(&e.host, p) {
                return None;
            }
        }
    }
    let index = providers::hosts_by_length_slice();
    // Each edit changes the length by at most one: only hosts within two bytes of it.
    let from = index.partition_point(|(h, _)| h.len() + 2 < name.len());
    let to = index.partition_point(|(h, _)| h.len() <= name.len() + 2);
    for (candidate, p) in &index[from..to.max(from)] {
        if !consider(candidate, providers::at(*p)) {
            return None;
        }
    }
    best.filter(|_| !tie).map(|(_, h, p)| Typo {
        host: h,
        provider: p,
        // The address's provider, or the very organisation whose domain the host is under.
        sure: is_preferred(p) || in_org(p),
    })
}

/// A lower bound of the edit distance of two host names from their letters alone: each edit
/// (insertion, deletion, substitution, swap) changes the counts of at most two letters by one,
/// so half the letters that do not pair up. Counting them takes a pass over each name, where
/// the distance takes their product: the search skips most candidates on it.
fn profile_bound(a: &str, b: &str) -> usize {
    let mut counts = [0i16; 128];
    for c in a.bytes() {
        counts[usize::from(c & 0x7f)] += 1;
    }
    for c in b.bytes() {
        counts[usize::from(c & 0x7f)] -= 1;
    }
    let unpaired: usize = counts.iter().map(|&n| usize::from(n.unsigned_abs())).sum();
    unpaired.div_ceil(2)
}

/// Whether two host names differ only in a two-letter country suffix.
fn suffix_swap(typed: &str, known: &str) -> bool {
    let (Some((t_rest, t_tld)), Some((k_rest, _))) =
        (typed.rsplit_once('.'), known.rsplit_once('.'))
    else {
        return false;
    };
    t_rest == k_rest && t_tld.len() == 2
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

// The typo search works out the full distance (strsim) to every known host within two bytes of
// the typed one's length (`providers::hosts_by_length_slice`) whose letters allow it
// (`profile_bound`). Measured in one session with `cargo bench --bench validate`,
// validate/unknown-host (two typo searches): 80 µs with the 55 providers of table.rs; 507 µs
// with the 182 of the data files and strsim alone (90 % of it in osa_distance); 32 µs with the
// bound in front.

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
        typo_candidate(Providers::BUILT_IN, &Host::parse(h), None, None, None).map(|t| t.host)
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
        let h = typo_candidate(
            Providers::BUILT_IN,
            &Host::parse("imap.gail.com"),
            None,
            gmail,
            None,
        );
        assert_eq!(h.map(|t| (t.host, t.sure)), Some(("imap.gmail.com", true)));
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
        let own = typo_candidate(
            Providers::BUILT_IN,
            &Host::parse("imap.gmial.com"),
            Some("gmial.com"),
            None,
            None,
        );
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
