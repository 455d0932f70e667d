//! D1xx: the values a client reads — every field a server needs, socket types, authentication
//! methods, ports, placeholders, booleans and numbers, and servers listed twice.

use super::{at, chosen_security, DocumentRule, Lint, ANDROID, FORMAT, READER};
#[cfg(test)]
use crate::diagnostic::Vector;
use crate::diagnostic::{FixValue, Rule, Severity};
use crate::documents::autoconfig::{
    fix_placeholders, parse_port, parse_socket_type, placeholder_problems, AuthMethod, Direction,
    ServerKind, DEPRECATED_AUTH, PLACEHOLDERS, SOCKET_TYPES,
};
use crate::documents::clients::js::JsValue;
use crate::documents::clients::thunderbird::auth_method;
use crate::rules::findings::Findings;
use crate::rules::port::standard_port;
use crate::text::Quoted;

pub(crate) const D101: DocumentRule = DocumentRule {
    rule: Rule {
        code: "D101",
        name: "server-field-missing",
        severity: Severity::Error,
        summary: "a server lacks a field clients need",
        what: "An IMAP, POP3 or SMTP server without `hostname`, `port`, `socketType` or `authentication`; an incoming server without `username`; an outgoing server with password sign-in but no `username`.",
        why: "Thunderbird drops a server without a host, security or sign-in (an SMTP server without a port too) and guesses an incoming server's port; a missing username becomes the literal text \"undefined\". Thunderbird for Android refuses the whole file.",
        example: "An `<outgoingServer>` with `password-cleartext` and no username → add `<username>%EMAILADDRESS%</username>`.",
        references: &[FORMAT, READER],
    },
    check: server_field_missing,
    #[cfg(test)]
    vectors: || {
        use super::fixtures::*;
        vec![
            Vector::silent("D101", "a clean file", GOOD),
            Vector::fires(
                "D101",
                "an SMTP server with a password and no <username>",
                provider(
                    r#"<outgoingServer type="smtp"><hostname>smtp.example.com</hostname><port>465</port><socketType>SSL</socketType><authentication>password-cleartext</authentication></outgoingServer>"#,
                ),
            ),
            Vector::fires(
                "D101",
                "an IMAP server without <hostname>",
                good_with(&[("<hostname>imap.example.com</hostname>", "")]),
            ),
        ]
    },
};

fn server_field_missing(lint: &Lint, out: &mut Findings) {
    for (s, protocol, tb) in lint.mail_servers() {
        let line = s.element.line;
        for field in ["hostname", "port", "socketType", "authentication"] {
            if s.text(field).is_none_or(str::is_empty) {
                out.emit(
                    &D101.rule,
                    &s.field(field),
                    format!("the server has no <{field}>{}", at(line)),
                    format!("add <{field}>"),
                    None,
                );
            }
        }
        // A username is needed to read mail, and to send with a password.
        let password_login = matches!(
            tb.map(|t| t.auth),
            Some(AuthMethod::PasswordCleartext | AuthMethod::PasswordEncrypted | AuthMethod::Ntlm)
        );
        if s.text("username").is_none_or(str::is_empty)
            && (protocol.is_incoming() || password_login)
        {
            out.emit(
                &D101.rule,
                &s.field("username"),
                format!("the server has no <username>{}", at(line)),
                "add <username>%EMAILADDRESS%</username> (or %EMAILLOCALPART%)".into(),
                Some(FixValue::Text("%EMAILADDRESS%".into())),
            );
        }
    }
}

pub(crate) const D102: DocumentRule = DocumentRule {
    rule: Rule {
        code: "D102",
        name: "unknown-server-type",
        severity: Severity::Warning,
        summary: "a server type no client defines",
        what: "An `<incomingServer>` whose `type` is not `imap`, `pop3` or a known non-mail type (`exchange`, `ews`, `owa`, `graph`, `nntp`, `jmap`, `activesync`), or an `<outgoingServer>` that is not `smtp`.",
        why: "Clients skip the server, so its settings are never used.",
        example: "`<incomingServer type=\"imaps\">` → `type=\"imap\"` with `<socketType>SSL</socketType>`.",
        references: &[FORMAT, READER],
    },
    check: unknown_server_type,
    #[cfg(test)]
    vectors: || {
        use super::fixtures::*;
        vec![
            Vector::silent("D102", "a clean file", GOOD),
            Vector::silent("D102", "non-mail server types clients know", OFFICE365_LIKE),
            Vector::fires(
                "D102",
                "type imaps",
                good_with(&[(r#"type="imap""#, r#"type="imaps""#)]),
            ),
        ]
    },
};

fn unknown_server_type(lint: &Lint, out: &mut Findings) {
    for s in &lint.doc.servers {
        if s.kind != ServerKind::Unknown {
            continue;
        }
        let line = s.element.line;
        let expected = match s.direction {
            Direction::Incoming => "\"imap\" or \"pop3\"",
            Direction::Outgoing => "\"smtp\"",
        };
        out.emit(
            &D102.rule,
            &format!("{}@type", s.path),
            match s.type_attr {
                Some(t) => format!(
                    "server type {} is not one clients know{}",
                    Quoted(t),
                    at(line)
                ),
                None => format!("the server has no type{}", at(line)),
            },
            format!("set type to {expected}"),
            None,
        );
    }
}

pub(crate) const D103: DocumentRule = DocumentRule {
    rule: Rule {
        code: "D103",
        name: "unknown-socket-type",
        severity: Severity::Error,
        summary: "a socketType value clients do not know",
        what: "A `<socketType>` other than `plain`, `SSL` or `STARTTLS` exactly so written: no other case, no spaces or line breaks around it.",
        why: "Clients compare the value exactly. Thunderbird skips it (and drops a server with no value it knows); Thunderbird for Android refuses the whole file. XML formatters that put values on their own lines produce exactly this.",
        example: "`<socketType>ssl</socketType>` → `SSL`; `<socketType> SSL </socketType>` → `SSL`; `TLS` is ambiguous: `SSL` for implicit TLS (993, 995, 465), `STARTTLS` for 143, 110, 587.",
        references: &[FORMAT, READER, "RFC 8314 §3"],
    },
    check: unknown_socket_type,
    #[cfg(test)]
    vectors: || {
        use super::fixtures::*;
        vec![
            Vector::silent("D103", "a clean file", GOOD),
            Vector::fires(
                "D103",
                "socketType ssl in lower case",
                good_with(&[("<socketType>SSL</socketType>", "<socketType>ssl</socketType>")]),
            ),
            Vector::fires(
                "D103",
                "spaces around SSL",
                good_with(&[("<socketType>SSL</socketType>", "<socketType> SSL </socketType>")]),
            ),
        ]
    },
};

fn unknown_socket_type(lint: &Lint, out: &mut Findings) {
    for (s, ..) in lint.mail_servers() {
        for st in s.element.children_named("socketType") {
            let v = st.text.as_str();
            if v.trim().is_empty() || parse_socket_type(v).is_some() {
                continue;
            }
            let fix = SOCKET_TYPES
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(v.trim()))
                .map(|(n, _)| *n);
            out.emit(
                &D103.rule,
                &s.field("socketType"),
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

pub(crate) const D104: DocumentRule = DocumentRule {
    rule: Rule {
        code: "D104",
        name: "unknown-authentication",
        severity: Severity::Error,
        summary: "no authentication value clients know",
        what: "A server none of whose `<authentication>` values is one Thunderbird reads, exactly so written: `password-cleartext`, `password-encrypted`, `OAuth2`, `GSSAPI`, `NTLM` (and, for outgoing servers, `none`, `client-IP-address`, `smtp-after-pop`). `TLS-client-cert` is in the format's description, but neither Thunderbird nor Thunderbird for Android reads it; `none` is not read for incoming servers.",
        why: "Thunderbird drops the server (and the whole file when no server is left); Thunderbird for Android, which reads only `OAuth2`, `password-cleartext` and `password-encrypted`, refuses the whole file.",
        example: "`<authentication>oauth2</authentication>` → `OAuth2`; `<authentication>⏎ password-cleartext⏎ </authentication>` → `password-cleartext`.",
        references: &[FORMAT, READER],
    },
    check: unknown_authentication,
    #[cfg(test)]
    vectors: || {
        use super::fixtures::*;
        vec![
            Vector::silent("D104", "a clean file", GOOD),
            Vector::fires(
                "D104",
                "password-plain",
                good_with(&[("password-cleartext", "password-plain")]),
            ),
            Vector::fires(
                "D104",
                "client-IP-address for an incoming server",
                good_with(&[("password-cleartext", "client-IP-address")]),
            ),
            Vector::fires(
                "D104",
                "TLS-client-cert, which no client reads",
                good_with(&[("password-cleartext", "TLS-client-cert")]),
            ),
            Vector::fires(
                "D104",
                "a value on its own line, as formatters write it",
                good_with(&[("password-cleartext", "\n        password-cleartext\n      ")]),
            ),
            Vector::silent(
                "D104",
                "an unknown value before a known one (D110's)",
                good_with(&[(
                    "<authentication>password-cleartext</authentication>",
                    "<authentication>TLS-client-cert</authentication><authentication>password-cleartext</authentication>",
                )]),
            ),
        ]
    },
};

fn unknown_authentication(lint: &Lint, out: &mut Findings) {
    unknown_auth_values(lint, false, out);
}

/// D104 (`beside_known` false: no value clients know) and D110 (true): each value clients skip.
fn unknown_auth_values(lint: &Lint, beside_known: bool, out: &mut Findings) {
    let rule = if beside_known { &D110.rule } else { &D104.rule };
    for (s, ..) in lint.mail_servers() {
        let known = s
            .element
            .children_named("authentication")
            .find_map(|a| auth_method(&a.text, s.direction));
        if known.is_some() != beside_known {
            continue;
        }
        let instead = known.map_or(String::new(), |m| {
            format!("; clients skip it and use {}", m.name())
        });
        for a in s.element.children_named("authentication") {
            let v = a.text.as_str();
            // Deprecated aliases are D105's.
            if v.trim().is_empty()
                || auth_method(v, s.direction).is_some()
                || DEPRECATED_AUTH.iter().any(|(n, _)| *n == v)
            {
                continue;
            }
            let (fix, why) = auth_fix(v.trim(), s.direction);
            out.emit(
                rule,
                &s.field("authentication"),
                format!(
                    "authentication {} is not a value {}{instead}{}",
                    Quoted(v),
                    why,
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
}

fn unknown_authentication_skipped(lint: &Lint, out: &mut Findings) {
    unknown_auth_values(lint, true, out);
}

/// The value an unknown `<authentication>` most likely meant, and why it is not known.
fn auth_fix(v: &str, direction: Direction) -> (Option<&'static str>, &'static str) {
    let candidates = AuthMethod::ALL
        .iter()
        .chain(DEPRECATED_AUTH)
        .filter(|(n, _)| auth_method(n, direction).is_some())
        .map(|(n, m)| {
            if DEPRECATED_AUTH.iter().any(|(d, _)| d == n) {
                m.name()
            } else {
                n
            }
        });
    let exact = candidates.clone().find(|n| n.eq_ignore_ascii_case(v));
    let why = match AuthMethod::parse(v) {
        Some(AuthMethod::TlsClientCert) => {
            "clients read: the format describes it, but Thunderbird and Thunderbird for Android do not implement it"
        }
        Some(_) if direction == Direction::Incoming => "clients read for incoming servers",
        _ if exact.is_some() => "clients read: they compare it exactly, case and spaces included",
        _ => "clients know",
    };
    let fix = exact.or_else(|| {
        (AuthMethod::parse(v).is_none())
            .then(|| crate::text::closest(v, candidates))
            .flatten()
    });
    (fix, why)
}

pub(crate) const D110: DocumentRule = DocumentRule {
    rule: Rule {
        code: "D110",
        name: "unknown-authentication-skipped",
        severity: Severity::Warning,
        summary: "an authentication value clients skip for the next one",
        what: "An `<authentication>` value Thunderbird does not read (misspelt, in another case, with spaces, `TLS-client-cert`), beside one it reads.",
        why: "Clients take the first value they know, so the file still works, but not with the sign-in written first: a misspelt `OAuth2` before a password means the password is used.",
        example: "`<authentication>oauth2</authentication><authentication>password-cleartext</authentication>` → `OAuth2`.",
        references: &[FORMAT, READER, ANDROID],
    },
    check: unknown_authentication_skipped,
    #[cfg(test)]
    vectors: || {
        use super::fixtures::*;
        vec![
            Vector::silent("D110", "a clean file", GOOD),
            Vector::fires(
                "D110",
                "TLS-client-cert before a password",
                good_with(&[(
                    "<authentication>password-cleartext</authentication>",
                    "<authentication>TLS-client-cert</authentication><authentication>password-cleartext</authentication>",
                )]),
            ),
        ]
    },
};

pub(crate) const D105: DocumentRule = DocumentRule {
    rule: Rule {
        code: "D105",
        name: "deprecated-authentication",
        severity: Severity::Warning,
        summary: "a deprecated authentication value",
        what: "`<authentication>plain</authentication>` or `secure`, the old names of `password-cleartext` and `password-encrypted`.",
        why: "Thunderbird marks them for removal; newer clients may not know them.",
        example: "`plain` → `password-cleartext`; `secure` → `password-encrypted`.",
        references: &[FORMAT, READER],
    },
    check: deprecated_authentication,
    #[cfg(test)]
    vectors: || {
        use super::fixtures::*;
        vec![
            Vector::silent("D105", "a clean file", GOOD),
            Vector::fires(
                "D105",
                "the deprecated plain",
                good_with(&[("password-cleartext", "plain")]),
            ),
        ]
    },
};

fn deprecated_authentication(lint: &Lint, out: &mut Findings) {
    for (s, ..) in lint.mail_servers() {
        for a in s.element.children_named("authentication") {
            let Some((old, new)) = DEPRECATED_AUTH.iter().find(|(n, _)| *n == a.text) else {
                continue;
            };
            out.emit(
                &D105.rule,
                &s.field("authentication"),
                format!("authentication {} is deprecated{}", Quoted(old), at(a.line)),
                format!("write {}", new.name()),
                Some(FixValue::Text(new.name().into())),
            );
        }
    }
}

pub(crate) const D106: DocumentRule = DocumentRule {
    rule: Rule {
        code: "D106",
        name: "port-invalid",
        severity: Severity::Error,
        summary: "a port that is not a number from 1 to 65535",
        what: "A `<port>` that is empty, not a whole number, 0, or above 65535.",
        why: "Thunderbird reads only the leading digits (`993a` as 993) or drops the server when there are none; Thunderbird for Android refuses the whole file.",
        example: "`<port>993a</port>` → `993`; `<port>99300</port>` → `993`.",
        references: &[FORMAT, "RFC 6335 §6"],
    },
    check: invalid_port,
    #[cfg(test)]
    vectors: || {
        use super::fixtures::*;
        vec![
            Vector::silent("D106", "a clean file", GOOD),
            Vector::fires(
                "D106",
                "port 99300",
                good_with(&[("<port>993</port>", "<port>99300</port>")]),
            ),
            Vector::fires(
                "D106",
                "port 993a",
                good_with(&[("<port>993</port>", "<port>993a</port>")]),
            ),
        ]
    },
};

fn invalid_port(lint: &Lint, out: &mut Findings) {
    for (s, protocol, tb) in lint.mail_servers() {
        let Some(port_el) = s.element.child("port") else {
            continue;
        };
        let t = port_el.text.trim();
        if t.is_empty() || parse_port(t).is_some() {
            continue;
        }
        let fix = chosen_security(tb).map(|sec| standard_port(protocol, sec));
        out.emit(
            &D106.rule,
            &s.field("port"),
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

pub(crate) const D107: DocumentRule = DocumentRule {
    rule: Rule {
        code: "D107",
        name: "malformed-placeholder",
        severity: Severity::Error,
        summary: "a placeholder clients will not replace",
        what: "A placeholder missing its closing `%` (`%EMAILADDRESS`), in the wrong case (`%emailaddress%`), or misspelt (`%EMAILADRESS%`). Known: `%EMAILADDRESS%`, `%EMAILLOCALPART%`, `%EMAILDOMAIN%`, `%REALNAME%`; the keys of `<inputField>` are not placeholders (Thunderbird does not replace them).",
        why: "Clients replace only exact placeholders; anything else is sent to the server as written, so the login fails.",
        example: "`<username>%EMAILADDRESS</username>` → `%EMAILADDRESS%`.",
        references: &[FORMAT],
    },
    check: misspelt_placeholder,
    #[cfg(test)]
    vectors: || {
        use super::fixtures::*;
        vec![
            Vector::silent("D107", "a clean file", GOOD),
            Vector::fires(
                "D107",
                "a placeholder without its closing %",
                good_with(&[("%EMAILADDRESS%", "%EMAILADDRESS")]),
            ),
            Vector::fires(
                "D107",
                "a placeholder in lower case",
                good_with(&[("%EMAILADDRESS%", "%emailaddress%")]),
            ),
        ]
    },
};

fn misspelt_placeholder(lint: &Lint, out: &mut Findings) {
    for (path, e) in &lint.paths {
        let mut spots: Vec<(String, &str)> = vec![(path.clone(), e.text.trim())];
        for (k, v) in &e.attributes {
            spots.push((format!("{path}@{k}"), v.as_str()));
        }
        for (field, text) in spots {
            let problems = placeholder_problems(text, &[]);
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
                    &D107.rule,
                    &field.clone(),
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

pub(crate) const D108: DocumentRule = DocumentRule {
    rule: Rule {
        code: "D108",
        name: "invalid-value",
        severity: Severity::Warning,
        summary: "a boolean or number clients cannot read",
        what: "`leaveMessagesOnServer`, `downloadOnBiff`, `useGlobalPreferredServer`, `addThisServer` other than `true`/`false` (in any case); `daysToLeaveMessagesOnServer` that does not start with a number, or `checkInterval minutes` that is not a whole number.",
        why: "Clients ignore the value and use their default, which may not be what the file means (a POP3 client deleting mail it should keep).",
        example: "`<leaveMessagesOnServer>yes</leaveMessagesOnServer>` → `true`.",
        references: &[FORMAT, READER],
    },
    check: invalid_value,
    #[cfg(test)]
    vectors: || {
        use super::fixtures::*;
        vec![
            Vector::silent("D108", "a clean file", GOOD),
            Vector::fires(
                "D108",
                "yes for a boolean",
                good_with(&[(
                    "</incomingServer>",
                    "<useGlobalPreferredServer>yes</useGlobalPreferredServer></incomingServer>",
                )]),
            ),
        ]
    },
};

fn invalid_value(lint: &Lint, out: &mut Findings) {
    for (path, e) in &lint.paths {
        let t = e.text.trim();
        let value = JsValue::of_element(Some(e));
        if BOOLEANS.contains(&e.name.as_str()) && value.to_bool().is_none() {
            let fix = match t.to_ascii_lowercase().as_str() {
                "true" | "yes" | "1" | "on" => Some("true"),
                "false" | "no" | "0" | "off" => Some("false"),
                _ => None,
            };
            out.emit(
                &D108.rule,
                &path.clone(),
                format!("{} is not true or false{}", Quoted(t), at(e.line)),
                "write true or false".into(),
                fix.map(|f| FixValue::Text(f.into())),
            );
        }
        if e.name == "daysToLeaveMessagesOnServer" && value.to_integer().is_none() {
            out.emit(
                &D108.rule,
                &path.clone(),
                format!("{} is not a number of days{}", Quoted(t), at(e.line)),
                "write a whole number of days".into(),
                None,
            );
        }
        if e.name == "checkInterval" {
            if let Some(m) = e.attribute("minutes") {
                if m.trim().parse::<u32>().is_err() {
                    out.emit(
                        &D108.rule,
                        &format!("{path}@minutes"),
                        format!("{} is not a number of minutes{}", Quoted(m), at(e.line)),
                        "write a whole number of minutes".into(),
                        None,
                    );
                }
            }
        }
    }
}

pub(crate) const D109: DocumentRule = DocumentRule {
    rule: Rule {
        code: "D109",
        name: "duplicate-server",
        severity: Severity::Warning,
        summary: "the same server is listed twice",
        what: "Two servers of the same kind with the same host, port and socketType.",
        why: "The second is never needed; usually a copy-paste where one entry was meant to differ (another port or security).",
        example: "Two `imap` entries for `imap.example.com:993 SSL` → keep one.",
        references: &[FORMAT],
    },
    check: duplicate_server,
    #[cfg(test)]
    vectors: || {
        use super::fixtures::*;
        vec![
            Vector::silent("D109", "a clean file", GOOD),
            Vector::fires(
                "D109",
                "the same IMAP server twice",
                good_with(&[("<outgoingServer", &format!("{IMAP_OK}<outgoingServer"))]),
            ),
        ]
    },
};

fn duplicate_server(lint: &Lint, out: &mut Findings) {
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
    keys.sort();
    for group in keys.chunk_by(|a, b| (&a.0, &a.1, a.2, a.3) == (&b.0, &b.1, b.2, b.3)) {
        let first = &doc.servers[group[0].4];
        for (_, host, port, socket, i) in &group[1..] {
            let s = &doc.servers[*i];
            out.emit(
                &D109.rule,
                &s.path.clone(),
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

const BOOLEANS: &[&str] = &[
    "addThisServer",
    "downloadOnBiff",
    "leaveMessagesOnServer",
    "useGlobalPreferredServer",
];

fn known_list() -> String {
    PLACEHOLDERS
        .iter()
        .map(|p| format!("%{p}%"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) const D111: DocumentRule = DocumentRule {
    rule: Rule {
        code: "D111",
        name: "value-read-as-number",
        severity: Severity::Error,
        summary: "Thunderbird reads a username or host name as a number",
        what: "A `<username>` or `<hostname>` whose text looks like a number or like true/false (`007`, `1e3`, `TRUE`), or is only spaces: Thunderbird's reader (JXON) turns it into one, and back into text differently (`7`, `1000`, `true`, `NaN`).",
        why: "Thunderbird signs in with, or connects to, something other than what the file says, and the login or connection fails.",
        example: "`<username>007</username>` is sent as `7`: there is no way to write it that Thunderbird reads as written; leave the username to the person, or use `%EMAILLOCALPART%` if it is the part of the address before the @.",
        references: &[READER, "Thunderbird's JXON: comm-central mailnews/base/src/JXON.sys.mjs (parseText)"],
    },
    check: value_read_as_number,
    #[cfg(test)]
    vectors: || {
        use super::fixtures::*;
        vec![
            Vector::silent("D111", "a clean file", GOOD),
            Vector::fires(
                "D111",
                "a username with a leading zero",
                good_with(&[("%EMAILADDRESS%", "007")]),
            ),
            Vector::silent(
                "D111",
                "a numeric username read as written",
                good_with(&[("%EMAILADDRESS%", "123456")]),
            ),
        ]
    },
};

fn value_read_as_number(lint: &Lint, out: &mut Findings) {
    for (s, ..) in lint.mail_servers() {
        for name in ["username", "hostname"] {
            let Some(e) = s.element.child(name) else {
                continue;
            };
            let value = JsValue::of_element(Some(e));
            let read = value.to_js_string();
            let same = read == e.text && value.exact();
            if !matches!(value, JsValue::Bool(_) | JsValue::Number(_)) || same {
                continue;
            }
            out.emit(
                &D111.rule,
                &s.field(name),
                format!(
                    "Thunderbird reads <{name}>{}</{name}> as {}{}",
                    e.text,
                    Quoted(&read),
                    at(e.line)
                ),
                "it cannot be written so that Thunderbird reads it as it is: leave it to the person, or use a placeholder".into(),
                None,
            );
        }
    }
}
