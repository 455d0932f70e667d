//! D2xx: security — passwords and tokens over plain connections, a password written into the
//! file, and OAuth2 that clients cannot use.

use super::{at, Findings, Lint, FORMAT};
use crate::diagnostic::{Rule, Severity};
use crate::documents::autoconfig::{
    parse_socket_type, usable_auth, AuthMethod, ServerElement, ServerKind,
};
use crate::model::Security;
use crate::rules::port::standard_port;
use crate::text::Quoted;

pub(crate) const D201: Rule = Rule {
    code: "D201",
    name: "plaintext-password",
    severity: Severity::Error,
    summary: "a password or token sent over an unencrypted connection",
    what: "A server with `socketType` `plain` whose sign-in (`password-cleartext`, or `OAuth2`) sends the secret as it is.",
    why: "Anyone on the path (public Wi-Fi, the ISP, a compromised router) reads the password and then all the mail.",
    example: "`plain` on 110 with `password-cleartext` → `SSL` on 995 (or `STARTTLS` on 110) if the server offers it; if it does not, the provider must enable TLS.",
    references: &["RFC 8314 §3 and §4", "RFC 1939 §13", "RFC 9051 §11.1", FORMAT],
    pass: &[],
    fail: &[],
};

pub(crate) const D202: Rule = Rule {
    code: "D202",
    name: "unencrypted-connection",
    severity: Severity::Warning,
    summary: "a server reached without encryption",
    what: "A server with `socketType` `plain` that does not send the password itself (`password-encrypted`, `none`, …).",
    why: "The mail itself travels readable and can be changed on the way; challenge-response logins like CRAM-MD5 can be cracked offline.",
    example: "`plain` with `password-encrypted` → `SSL` (implicit TLS) or `STARTTLS`.",
    references: &["RFC 8314 §3", "RFC 8314 §4"],
    pass: &[],
    fail: &[],
};

pub(crate) const D203: Rule = Rule {
    code: "D203",
    name: "embedded-password",
    severity: Severity::Error,
    summary: "a password written into the file",
    what: "A `<password>` element with a value in a server.",
    why: "Autoconfig files are published on the web; a password in one is public.",
    example: "Remove `<password>…</password>`; clients ask for the password.",
    references: &[FORMAT],
    pass: &[],
    fail: &[],
};

pub(crate) const D204: Rule = Rule {
    code: "D204",
    name: "oauth-unavailable",
    severity: Severity::Error,
    summary: "OAuth2 is the only sign-in, and no client knows how to do it here",
    what: "A server whose only authentication is `OAuth2`, with no `<oAuth2>` block in the file, for a host whose OAuth2 endpoints clients do not have built in.",
    why: "A client needs the issuer, scopes, authorization and token URLs; without them it cannot sign in, and Thunderbird drops the server.",
    example: "Add an `<oAuth2>` block (issuer, scope, authURL, tokenURL), or a password method after `OAuth2`.",
    references: &[
        FORMAT,
        "Thunderbird's built-in OAuth2 providers: comm-central mailnews/base/src/OAuth2Providers.sys.mjs",
        "RFC 6749",
        "RFC 7628",
    ],
    pass: &[],
    fail: &[],
};

pub(crate) const D205: Rule = Rule {
    code: "D205",
    name: "oauth-unavailable-fallback",
    severity: Severity::Warning,
    summary: "OAuth2 is listed but no client knows how to do it here; clients fall back",
    what: "`OAuth2` listed with other methods, no `<oAuth2>` block, for a host whose OAuth2 endpoints clients do not have built in.",
    why: "Clients skip OAuth2 and sign in with the next method, so the OAuth2 entry is dead weight and the provider's preferred sign-in is never used.",
    example: "Add an `<oAuth2>` block, or remove `OAuth2`.",
    references: &[
        FORMAT,
        "Thunderbird's built-in OAuth2 providers: comm-central mailnews/base/src/OAuth2Providers.sys.mjs",
    ],
    pass: &[],
    fail: &[],
};

pub(crate) const D206: Rule = Rule {
    code: "D206",
    name: "oauth-config-invalid",
    severity: Severity::Error,
    summary: "an <oAuth2> block clients cannot use",
    what: "An `<oAuth2>` block without `issuer`, `scope`, `authURL` or `tokenURL`, or with an authorization or token URL that is not `https://`.",
    why: "Clients need all four; tokens and codes must never travel over plain HTTP (RFC 6749 §3.1, §3.2).",
    example: "`<tokenURL>http://login.example.com/token</tokenURL>` → `https://…`.",
    references: &[FORMAT, "RFC 6749 §3.1 and §3.2"],
    pass: &[],
    fail: &[],
};

/// D201–D206.
pub(super) fn check(lint: &Lint, out: &mut Findings) {
    for s in &lint.doc.servers {
        server_security(lint, s, out);
    }
    oauth2_block(lint, out);
}

/// D201–D205 on one server element.
fn server_security(lint: &Lint, s: &ServerElement, out: &mut Findings) {
    let e = s.element;
    if let Some(p) = e.child("password") {
        if !p.text.trim().is_empty() {
            out.emit(
                &D203,
                s.field("password"),
                format!("a password is written into the file{}", at(p.line)),
                "remove the <password> element; clients ask the person for it".into(),
                None,
            );
        }
    }
    let ServerKind::Mail(protocol) = s.kind else {
        return;
    };
    // The socketType a client would pick: the first it knows.
    let security = e
        .children_named("socketType")
        .find_map(|st| parse_socket_type(st.text.trim()));
    let usable = usable_auth(s, lint.doc.oauth2.is_some());
    let chosen = usable.first().copied();
    if security == Some(Security::None) {
        match chosen {
            Some(m @ (AuthMethod::PasswordCleartext | AuthMethod::OAuth2)) => out.emit(
                &D201,
                s.field("socketType"),
                format!(
                    "{} is sent unencrypted: socketType is plain{}",
                    if m == AuthMethod::OAuth2 {
                        "the OAuth2 token"
                    } else {
                        "the password"
                    },
                    at(e.line)
                ),
                format!(
                    "use SSL on port {} or STARTTLS on port {}, if the server offers it",
                    standard_port(protocol, Security::Tls),
                    standard_port(protocol, Security::Starttls)
                ),
                None,
            ),
            _ => out.emit(
                &D202,
                s.field("socketType"),
                format!(
                    "the connection is not encrypted: socketType is plain{}",
                    at(e.line)
                ),
                format!(
                    "use SSL on port {} or STARTTLS on port {}, if the server offers it",
                    standard_port(protocol, Security::Tls),
                    standard_port(protocol, Security::Starttls)
                ),
                None,
            ),
        }
    }
    let lists_oauth2 = e
        .children_named("authentication")
        .any(|a| a.text.trim() == "OAuth2");
    if lists_oauth2 && !usable.contains(&AuthMethod::OAuth2) {
        let host = s.text("hostname").unwrap_or("this host");
        if usable.is_empty() {
            out.emit(
                &D204,
                s.field("authentication"),
                format!("OAuth2 is the only sign-in, but there is no <oAuth2> block and clients know no OAuth2 endpoints for {host}{}", at(e.line)),
                "add an <oAuth2> block (issuer, scope, authURL, tokenURL) to the file, or a password method".into(),
                None,
            );
        } else {
            out.emit(
                &D205,
                s.field("authentication"),
                format!(
                    "clients skip OAuth2 and use {}: there is no <oAuth2> block and no client knows OAuth2 endpoints for {host}{}",
                    usable[0].name(),
                    at(e.line)
                ),
                "add an <oAuth2> block (issuer, scope, authURL, tokenURL), or remove OAuth2".into(),
                None,
            );
        }
    }
}

fn oauth2_block(lint: &Lint, out: &mut Findings) {
    let Some(block) = lint.doc.oauth2 else {
        return;
    };
    for child in ["issuer", "scope", "authURL", "tokenURL"] {
        match block.child_text(child) {
            None | Some("") => out.emit(
                &D206,
                format!("oAuth2.{child}"),
                format!("the <oAuth2> block has no <{child}>{}", at(block.line)),
                format!("add <{child}>"),
                None,
            ),
            Some(url)
                if child.ends_with("URL") && !url.to_ascii_lowercase().starts_with("https://") =>
            {
                out.emit(
                    &D206,
                    format!("oAuth2.{child}"),
                    format!(
                        "{child} {} is not an https:// URL{}",
                        Quoted(url),
                        at(block.line)
                    ),
                    "use the https:// endpoint".into(),
                    None,
                )
            }
            Some(_) => {}
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
        (&D201, vec![doc(GOOD)], vec![good(&PLAIN_IMAP)]),
        (
            &D202,
            vec![doc(GOOD), good(&PLAIN_IMAP)],
            vec![good(&[
                PLAIN_IMAP[0],
                PLAIN_IMAP[1],
                ("password-cleartext", "password-encrypted"),
            ])],
        ),
        (
            &D203,
            vec![doc(GOOD)],
            vec![good(&[("</incomingServer>", "<password>hunter2</password></incomingServer>")])],
        ),
        (
            &D204,
            vec![doc(GOOD), doc(GMAIL_LIKE)],
            vec![good(&[("password-cleartext", "OAuth2")])],
        ),
        (
            &D205,
            vec![doc(GOOD), doc(GMAIL_LIKE), good(&[("password-cleartext", "OAuth2")])],
            vec![good(&[(
                "<authentication>password-cleartext</authentication>",
                "<authentication>OAuth2</authentication><authentication>password-cleartext</authentication>",
            )])],
        ),
        (
            &D206,
            vec![doc(GOOD), doc(GMAIL_LIKE)],
            vec![good(&[(
                "</clientConfig>",
                "<oAuth2><issuer>login.example.com</issuer><scope>mail</scope><authURL>https://login.example.com/auth</authURL><tokenURL>http://login.example.com/token</tokenURL></oAuth2></clientConfig>",
            )])],
        ),
    ]
}
