//! D1xx: the values a client reads — every field a server needs, socket types, authentication
//! methods, ports, placeholders, booleans and numbers, and servers listed twice.

use super::{at, Findings, Lint, FORMAT, READER};
use crate::diagnostic::{FixValue, Rule, Severity};
use crate::documents::autoconfig::{
    fix_placeholders, parse_port, parse_socket_type, placeholder_problems, usable_auth, AuthMethod,
    Direction, ServerElement, ServerKind, DEPRECATED_AUTH, PLACEHOLDERS, SOCKET_TYPES,
};
use crate::rules::port::standard_port;
use crate::text::Quoted;

pub(crate) const D101: Rule = Rule {
    code: "D101",
    name: "server-field-missing",
    severity: Severity::Error,
    summary: "a server lacks a field clients need",
    what: "An IMAP, POP3 or SMTP server without `hostname`, `port`, `socketType` or `authentication`; an incoming server without `username`; an outgoing server with password sign-in but no `username`.",
    why: "Thunderbird drops a server with a missing field; a missing username becomes the literal text \"undefined\".",
    example: "An `<outgoingServer>` with `password-cleartext` and no username → add `<username>%EMAILADDRESS%</username>`.",
    references: &[FORMAT, READER],
    pass: &[],
    fail: &[],
};

pub(crate) const D102: Rule = Rule {
    code: "D102",
    name: "unknown-server-type",
    severity: Severity::Warning,
    summary: "a server type no client defines",
    what: "An `<incomingServer>` whose `type` is not `imap`, `pop3` or a known non-mail type (`exchange`, `ews`, `owa`, `graph`, `nntp`, `jmap`, `activesync`), or an `<outgoingServer>` that is not `smtp`.",
    why: "Clients skip the server, so its settings are never used.",
    example: "`<incomingServer type=\"imaps\">` → `type=\"imap\"` with `<socketType>SSL</socketType>`.",
    references: &[FORMAT, READER],
    pass: &[],
    fail: &[],
};

pub(crate) const D103: Rule = Rule {
    code: "D103",
    name: "unknown-socket-type",
    severity: Severity::Error,
    summary: "a socketType value clients do not know",
    what: "A `<socketType>` other than `plain`, `SSL` or `STARTTLS` (exactly so written).",
    why: "Clients skip the value; a server with no value they know is dropped.",
    example: "`<socketType>ssl</socketType>` → `SSL`; `TLS` is ambiguous: `SSL` for implicit TLS (993, 995, 465), `STARTTLS` for 143, 110, 587.",
    references: &[FORMAT, READER, "RFC 8314 §3"],
    pass: &[],
    fail: &[],
};

pub(crate) const D104: Rule = Rule {
    code: "D104",
    name: "unknown-authentication",
    severity: Severity::Error,
    summary: "an authentication value clients do not know",
    what: "An `<authentication>` other than `password-cleartext`, `password-encrypted`, `OAuth2`, `GSSAPI`, `NTLM`, `TLS-client-cert`, `none` (and, for outgoing servers, `client-IP-address`, `smtp-after-pop`).",
    why: "Clients skip the value; a server with no value they know is dropped, and a server whose first choice is skipped signs in differently than intended.",
    example: "`<authentication>oauth2</authentication>` → `OAuth2`.",
    references: &[FORMAT, READER],
    pass: &[],
    fail: &[],
};

pub(crate) const D105: Rule = Rule {
    code: "D105",
    name: "deprecated-authentication",
    severity: Severity::Warning,
    summary: "a deprecated authentication value",
    what: "`<authentication>plain</authentication>` or `secure`, the old names of `password-cleartext` and `password-encrypted`.",
    why: "Thunderbird marks them for removal; newer clients may not know them.",
    example: "`plain` → `password-cleartext`; `secure` → `password-encrypted`.",
    references: &[FORMAT, READER],
    pass: &[],
    fail: &[],
};

pub(crate) const D106: Rule = Rule {
    code: "D106",
    name: "port-invalid",
    severity: Severity::Error,
    summary: "a port that is not a number from 1 to 65535",
    what: "A `<port>` that is empty, not a whole number, 0, or above 65535.",
    why: "Clients drop the server.",
    example: "`<port>993a</port>` → `993`; `<port>99300</port>` → `993`.",
    references: &[FORMAT, "RFC 6335 §6"],
    pass: &[],
    fail: &[],
};

pub(crate) const D107: Rule = Rule {
    code: "D107",
    name: "malformed-placeholder",
    severity: Severity::Error,
    summary: "a placeholder clients will not replace",
    what: "A placeholder missing its closing `%` (`%EMAILADDRESS`), in the wrong case (`%emailaddress%`), or misspelt (`%EMAILADRESS%`). Known: `%EMAILADDRESS%`, `%EMAILLOCALPART%`, `%EMAILDOMAIN%`, `%REALNAME%`, and the keys of `<inputField>`.",
    why: "Clients replace only exact placeholders; anything else is sent to the server as written, so the login fails.",
    example: "`<username>%EMAILADDRESS</username>` → `%EMAILADDRESS%`.",
    references: &[FORMAT],
    pass: &[],
    fail: &[],
};

pub(crate) const D108: Rule = Rule {
    code: "D108",
    name: "invalid-value",
    severity: Severity::Warning,
    summary: "a boolean or number clients cannot read",
    what: "`leaveMessagesOnServer`, `downloadOnBiff`, `useGlobalPreferredServer`, `addThisServer` other than `true`/`false`; `daysToLeaveMessagesOnServer` or `checkInterval minutes` that is not a whole number.",
    why: "Clients ignore the value and use their default, which may not be what the file means (a POP3 client deleting mail it should keep).",
    example: "`<leaveMessagesOnServer>yes</leaveMessagesOnServer>` → `true`.",
    references: &[FORMAT, READER],
    pass: &[],
    fail: &[],
};

pub(crate) const D109: Rule = Rule {
    code: "D109",
    name: "duplicate-server",
    severity: Severity::Warning,
    summary: "the same server is listed twice",
    what: "Two servers of the same kind with the same host, port and socketType.",
    why: "The second is never needed; usually a copy-paste where one entry was meant to differ (another port or security).",
    example: "Two `imap` entries for `imap.example.com:993 SSL` → keep one.",
    references: &[FORMAT],
    pass: &[],
    fail: &[],
};

const BOOLEANS: &[&str] = &[
    "addThisServer",
    "downloadOnBiff",
    "leaveMessagesOnServer",
    "useGlobalPreferredServer",
];

/// D101–D109.
pub(super) fn check(lint: &Lint, out: &mut Findings) {
    for s in &lint.doc.servers {
        server_values(lint, s, out);
    }
    duplicates(lint, out);
    placeholders(lint, out);
    values(lint, out);
}

/// D101–D106 on one server element.
fn server_values(lint: &Lint, s: &ServerElement, out: &mut Findings) {
    let e = s.element;
    let protocol = match s.kind {
        ServerKind::Mail(p) => p,
        ServerKind::Other => return,
        ServerKind::Unknown => {
            let expected = match s.direction {
                Direction::Incoming => "\"imap\" or \"pop3\"",
                Direction::Outgoing => "\"smtp\"",
            };
            out.emit(
                &D102,
                format!("{}@type", s.path),
                match s.type_attr {
                    Some(t) => format!(
                        "server type {} is not one clients know{}",
                        Quoted(t),
                        at(e.line)
                    ),
                    None => format!("the server has no type{}", at(e.line)),
                },
                format!("set type to {expected}"),
                None,
            );
            return;
        }
    };
    let incoming = protocol.is_incoming();
    for field in ["hostname", "port", "socketType", "authentication"] {
        if s.text(field).is_none_or(str::is_empty) {
            out.emit(
                &D101,
                s.field(field),
                format!("the server has no <{field}>{}", at(e.line)),
                format!("add <{field}>"),
                None,
            );
        }
    }
    // The socketType a client would pick: the first it knows.
    let mut security = None;
    for st in e.children_named("socketType") {
        let v = st.text.trim();
        match parse_socket_type(v) {
            Some(sec) => {
                security.get_or_insert(sec);
            }
            None if v.is_empty() => {}
            None => {
                let fix = SOCKET_TYPES
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(v))
                    .map(|(n, _)| *n);
                out.emit(
                    &D103,
                    s.field("socketType"),
                    format!("socketType {} is not plain, SSL or STARTTLS{}", Quoted(v), at(st.line)),
                    match fix {
                        Some(f) => format!("write {f}"),
                        None => "write SSL for implicit TLS (ports 993, 995, 465) or STARTTLS for 143, 110, 587".into(),
                    },
                    fix.map(|f| FixValue::Text(f.into())),
                );
            }
        }
    }
    for a in e.children_named("authentication") {
        let v = a.text.trim();
        if let Some((old, new)) = DEPRECATED_AUTH.iter().find(|(n, _)| *n == v) {
            out.emit(
                &D105,
                s.field("authentication"),
                format!("authentication {} is deprecated{}", Quoted(old), at(a.line)),
                format!("write {}", new.name()),
                Some(FixValue::Text(new.name().into())),
            );
            continue;
        }
        let known = AuthMethod::parse(v).filter(|m| !(incoming && m.outgoing_only()));
        if known.is_none() && !v.is_empty() {
            let candidates = AuthMethod::ALL
                .iter()
                .filter(|(_, m)| !(incoming && m.outgoing_only()))
                .map(|(n, _)| *n);
            let fix = candidates
                .clone()
                .find(|n| n.eq_ignore_ascii_case(v))
                .or_else(|| crate::text::closest(v, candidates));
            out.emit(
                &D104,
                s.field("authentication"),
                format!(
                    "authentication {} is not a value clients know for {} servers{}",
                    Quoted(v),
                    if incoming { "incoming" } else { "outgoing" },
                    at(a.line)
                ),
                match fix {
                    Some(f) => format!("did you mean {f}?"),
                    None => "use password-cleartext, password-encrypted or OAuth2".into(),
                },
                fix.map(|f| FixValue::Text(f.into())),
            );
        }
    }
    if let Some(port_el) = e.child("port") {
        let t = port_el.text.trim();
        if !t.is_empty() && parse_port(t).is_none() {
            let fix = security.map(|sec| standard_port(protocol, sec));
            out.emit(
                &D106,
                s.field("port"),
                format!(
                    "port {} is not a number from 1 to 65535{}",
                    Quoted(t),
                    at(port_el.line)
                ),
                match fix {
                    Some(p) => format!("the standard port here is {p}"),
                    None => "write the port number".into(),
                },
                fix.map(FixValue::Port),
            );
        }
    }
    let usable = usable_auth(s, lint.doc.oauth2.is_some());
    let chosen = usable.first().copied();
    let password_login = matches!(
        chosen,
        Some(AuthMethod::PasswordCleartext | AuthMethod::PasswordEncrypted | AuthMethod::Ntlm)
    );
    if s.text("username").is_none_or(str::is_empty) && (incoming || password_login) {
        out.emit(
            &D101,
            s.field("username"),
            format!("the server has no <username>{}", at(e.line)),
            "add <username>%EMAILADDRESS%</username> (or %EMAILLOCALPART%)".into(),
            Some(FixValue::Text("%EMAILADDRESS%".into())),
        );
    }
}

fn duplicates(lint: &Lint, out: &mut Findings) {
    let doc = lint.doc;
    // (kind, host, port, socketType, position), sorted so that copies sit together, the first
    // of each group being the earliest in the file.
    let mut keys: Vec<(String, String, &str, &str, usize)> = doc
        .servers
        .iter()
        .enumerate()
        .filter(|(_, s)| matches!(s.kind, ServerKind::Mail(_)))
        .filter_map(|(i, s)| {
            Some((
                s.path.split('[').next().unwrap_or("").to_owned() + s.type_attr.unwrap_or(""),
                s.text("hostname")?.to_ascii_lowercase(),
                s.text("port")?,
                s.text("socketType")?,
                i,
            ))
        })
        .collect();
    crate::text::sort_small_by(&mut keys, Ord::cmp);
    for group in keys.chunk_by(|a, b| (&a.0, &a.1, a.2, a.3) == (&b.0, &b.1, b.2, b.3)) {
        let first = &doc.servers[group[0].4];
        for (_, host, port, socket, i) in &group[1..] {
            let s = &doc.servers[*i];
            out.emit(
                &D109,
                s.path.clone(),
                format!(
                    "{} repeats {} ({host} port {port} {socket}){}",
                    s.path,
                    first.path,
                    at(s.element.line)
                ),
                "remove the copy, or change the setting that was meant to differ".into(),
                None,
            );
        }
    }
}

fn placeholders(lint: &Lint, out: &mut Findings) {
    let doc = lint.doc;
    for (path, e) in &lint.paths {
        let mut spots: Vec<(String, &str)> = vec![(path.clone(), e.text.trim())];
        for (k, v) in &e.attributes {
            spots.push((format!("{path}@{k}"), v.as_str()));
        }
        for (field, text) in spots {
            let problems = placeholder_problems(text, &doc.custom_placeholders);
            if problems.is_empty() {
                continue;
            }
            let fixed = fix_placeholders(text, &problems);
            // One finding per distinct token in a field, however often it repeats.
            let mut reported: Vec<&str> = Vec::new();
            for p in &problems {
                if reported.contains(&p.found.as_str()) {
                    continue;
                }
                reported.push(&p.found);
                out.emit(
                    &D107,
                    field.clone(),
                    format!("{}: {}{}", Quoted(&p.found), p.why, at(e.line)),
                    match &p.fix {
                        Some(f) => format!("write {f}"),
                        None => format!("use one of {}", known_list()),
                    },
                    fixed.clone().map(FixValue::Text),
                );
            }
        }
    }
}

fn known_list() -> String {
    PLACEHOLDERS
        .iter()
        .map(|p| format!("%{p}%"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn values(lint: &Lint, out: &mut Findings) {
    for (path, e) in &lint.paths {
        let t = e.text.trim();
        if BOOLEANS.contains(&e.name.as_str()) && t != "true" && t != "false" {
            let fix = match t.to_ascii_lowercase().as_str() {
                "true" | "yes" | "1" | "on" => Some("true"),
                "false" | "no" | "0" | "off" => Some("false"),
                _ => None,
            };
            out.emit(
                &D108,
                path.clone(),
                format!("{} is not true or false{}", Quoted(t), at(e.line)),
                "write true or false".into(),
                fix.map(|f| FixValue::Text(f.into())),
            );
        }
        if e.name == "daysToLeaveMessagesOnServer" && t.parse::<u32>().is_err() {
            out.emit(
                &D108,
                path.clone(),
                format!("{} is not a number of days{}", Quoted(t), at(e.line)),
                "write a whole number of days".into(),
                None,
            );
        }
        if e.name == "checkInterval" {
            if let Some(m) = e.attribute("minutes") {
                if m.trim().parse::<u32>().is_err() {
                    out.emit(
                        &D108,
                        format!("{path}@minutes"),
                        format!("{} is not a number of minutes{}", Quoted(m), at(e.line)),
                        "write a whole number of minutes".into(),
                        None,
                    );
                }
            }
        }
    }
}

/// XML vectors: for each rule, documents on which it must stay silent and documents on which
/// it must fire (checked by `lint::tests`).
#[cfg(test)]
pub(super) fn vectors() -> Vec<(&'static Rule, Vec<String>, Vec<String>)> {
    use super::fixtures::*;
    let good = |edits: &[(&str, &str)]| good_with(edits);
    let doc = |s: &str| s.to_owned();
    vec![
        (
            &D101,
            vec![doc(GOOD)],
            vec![
                provider(
                    r#"<outgoingServer type="smtp"><hostname>smtp.example.com</hostname><port>465</port><socketType>SSL</socketType><authentication>password-cleartext</authentication></outgoingServer>"#,
                ),
                good(&[("<hostname>imap.example.com</hostname>", "")]),
            ],
        ),
        (
            &D102,
            vec![doc(GOOD), doc(OFFICE365_LIKE)],
            vec![good(&[(r#"type="imap""#, r#"type="imaps""#)])],
        ),
        (
            &D103,
            vec![doc(GOOD)],
            vec![good(&[(
                "<socketType>SSL</socketType>",
                "<socketType>ssl</socketType>",
            )])],
        ),
        (
            &D104,
            vec![doc(GOOD)],
            vec![
                good(&[("password-cleartext", "password-plain")]),
                good(&[("password-cleartext", "client-IP-address")]),
            ],
        ),
        (
            &D105,
            vec![doc(GOOD)],
            vec![good(&[("password-cleartext", "plain")])],
        ),
        (
            &D106,
            vec![doc(GOOD)],
            vec![
                good(&[("<port>993</port>", "<port>99300</port>")]),
                good(&[("<port>993</port>", "<port>993a</port>")]),
            ],
        ),
        (
            &D107,
            vec![doc(GOOD)],
            vec![
                good(&[("%EMAILADDRESS%", "%EMAILADDRESS")]),
                good(&[("%EMAILADDRESS%", "%emailaddress%")]),
            ],
        ),
        (
            &D108,
            vec![doc(GOOD)],
            vec![good(&[(
                "</incomingServer>",
                "<useGlobalPreferredServer>yes</useGlobalPreferredServer></incomingServer>",
            )])],
        ),
        (
            &D109,
            vec![doc(GOOD)],
            vec![good(&[(
                "<outgoingServer",
                &format!("{IMAP_OK}<outgoingServer"),
            )])],
        ),
    ]
}
