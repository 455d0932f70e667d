//! H: the host field — empty, pasted URLs, ports typed into it, syntax, canonical form.

use super::{Analysis, Findings, Rule};
use crate::diagnostic::{FixValue, Severity};
use crate::model::HostProblem;

pub(super) const H001: Rule = Rule {
    code: "H001",
    name: "host-empty",
    severity: Severity::Error,
    summary: "the server host is empty",
    what: "A server with no host name.",
    why: "The client has nowhere to connect.",
    example: "`\"host\": \"\"` → type the provider's server name, e.g. `imap.gmail.com`.",
    references: &["RFC 1123 §2.1"],
    pass: &[r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"}"#],
    fail: &[r#"{"protocol":"imap","host":"  ","port":993,"security":"tls"}"#],
};

pub(super) const H002: Rule = Rule {
    code: "H002",
    name: "host-pasted-url",
    severity: Severity::Error,
    summary: "a URL or an email address was typed where the host name goes",
    what: "A host field holding a URL (`imaps://mail.example.com/`, `https://…`, `mailto:`) or an address with `@`.",
    why: "Clients look the whole text up in DNS and fail; only the bare host name belongs there.",
    example: "`imaps://imap.gmail.com/` → `imap.gmail.com`.",
    references: &["RFC 3986 §3.2.2", "RFC 1123 §2.1"],
    pass: &[r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"}"#],
    fail: &[
        r#"{"protocol":"imap","host":"imaps://imap.example.com/","port":993,"security":"tls"}"#,
        r#"{"protocol":"smtp","host":"me@smtp.example.com","port":465,"security":"tls"}"#,
    ],
};

pub(super) const H003: Rule = Rule {
    code: "H003",
    name: "host-includes-port",
    severity: Severity::Error,
    summary: "a port number was typed into the host field",
    what: "A host of the form `host:port`.",
    why: "Clients treat the whole text as a name and the lookup fails; the port has its own field.",
    example: "`smtp.example.com:587` → host `smtp.example.com`, port 587.",
    references: &["RFC 3986 §3.2.3"],
    pass: &[r#"{"protocol":"smtp","host":"smtp.example.com","port":587,"security":"starttls"}"#],
    fail: &[
        r#"{"protocol":"smtp","host":"smtp.example.com:587","port":587,"security":"starttls"}"#,
    ],
};

pub(super) const H004: Rule = Rule {
    code: "H004",
    name: "host-syntax",
    severity: Severity::Error,
    summary: "the host name breaks DNS syntax",
    what: "Host names that RFC 1123 does not allow: empty labels, labels over 63 or names over 253 characters, \
           characters other than letters, digits and hyphens, hyphens at the ends of a label.",
    why: "Such a name cannot be looked up; it is always a typo.",
    example: "`imap..example.com` → `imap.example.com`.",
    references: &["RFC 1123 §2.1", "RFC 1035 §2.3.4", "RFC 5890 (IDNA)"],
    pass: &[
        r#"{"protocol":"imap","host":"mail.bücher.example","port":993,"security":"tls"}"#,
        r#"{"protocol":"imap","host":"127.0.0.1","port":1143,"security":"starttls"}"#,
    ],
    fail: &[
        r#"{"protocol":"imap","host":"imap..example.com","port":993,"security":"tls"}"#,
        r#"{"protocol":"imap","host":"mail_server.example.com","port":993,"security":"tls"}"#,
    ],
};

pub(super) const H005: Rule = Rule {
    code: "H005",
    name: "host-not-canonical",
    severity: Severity::Info,
    summary: "the host has spaces, capitals or a trailing dot",
    what: "Leading or trailing whitespace, upper-case letters, or a trailing dot in the host.",
    why: "DNS ignores case, but some clients fail on stray spaces or the trailing dot; the canonical form always works.",
    example: "` IMAP.Example.com. ` → `imap.example.com`.",
    references: &["RFC 4343", "RFC 1034 §3.1"],
    pass: &[r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"}"#],
    fail: &[r#"{"protocol":"imap","host":" IMAP.Example.com. ","port":993,"security":"tls"}"#],
};

pub(super) fn check(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let field = s.field("host");
        let h = &s.host;
        let fix = || Some(FixValue::Text(h.ascii.clone()));
        if h.problems.contains(&HostProblem::Empty) {
            out.emit(
                &H001,
                field,
                "the server host is empty".into(),
                "type the server's host name".into(),
                None,
            );
            continue;
        }
        for p in &h.problems {
            match p {
                HostProblem::Url { scheme } => out.emit(
                    &H002,
                    field.clone(),
                    format!("the host is a {scheme}: URL, not a host name"),
                    format!("type only the host name: {}", h.ascii),
                    fix(),
                ),
                HostProblem::AtSign => out.emit(
                    &H002,
                    field.clone(),
                    "the host contains an @: it looks like an email address, not a server name"
                        .into(),
                    format!("type only the server name: {}", h.ascii),
                    fix(),
                ),
                HostProblem::Port(port) => out.emit(
                    &H003,
                    field.clone(),
                    format!("the host ends with the port :{port}"),
                    format!("type {} as the host and {port} in the port field", h.ascii),
                    fix(),
                ),
                HostProblem::Syntax(why) => out.emit(
                    &H004,
                    field.clone(),
                    format!("{:?} is not a valid host name: {why}", s.server.host),
                    "check the server name for typos".into(),
                    None,
                ),
                _ => {}
            }
        }
        let cosmetic = h.problems.iter().any(|p| {
            matches!(
                p,
                HostProblem::Whitespace | HostProblem::UpperCase | HostProblem::TrailingDot
            )
        });
        let only_cosmetic = h.kind.is_some() && !out.touches(&field);
        if cosmetic && only_cosmetic {
            out.emit(
                &H005,
                field,
                format!("{:?} is not in canonical form", s.server.host),
                format!("type {}", h.ascii),
                fix(),
            );
        }
    }
}
