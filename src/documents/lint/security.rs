//! D2xx: security — passwords and tokens over plain connections, a password written into the
//! file, and OAuth2 that clients cannot use.

use super::{at, chosen_security, DocumentRule, Lint, FORMAT, READER};
#[cfg(test)]
use crate::diagnostic::Vector;
use crate::diagnostic::{Rule, Severity};
use crate::documents::autoconfig::{AuthMethod, ServerElement};
use crate::documents::clients::js::JsValue;
use crate::documents::clients::thunderbird::{auth_method, hostname, oauth2_details};
use crate::model::{Protocol, Security};
use crate::rules::findings::Findings;
use crate::rules::port::standard_port;
use crate::text::Quoted;

pub(crate) const D201: DocumentRule = DocumentRule {
    rule: Rule {
        code: "D201",
        name: "plaintext-password",
        severity: Severity::Error,
        summary: "a password or token sent over an unencrypted connection",
        what: "A server with `socketType` `plain` whose sign-in (`password-cleartext`, or `OAuth2`) sends the secret as it is.",
        why: "Anyone on the path (public Wi-Fi, the ISP, a compromised router) reads the password and then all the mail.",
        example: "`plain` on 110 with `password-cleartext` → `SSL` on 995 (or `STARTTLS` on 110) if the server offers it; if it does not, the provider must enable TLS.",
        references: &["RFC 8314 §3 and §4", "RFC 1939 §13", "RFC 9051 §11.1", FORMAT],
    },
    check: password_over_plain,
    #[cfg(test)]
    vectors: || {
        use super::fixtures::*;
        vec![
            Vector::silent("D201", "a clean file", GOOD),
            Vector::fires("D201", "a password over plain IMAP", good_with(&PLAIN_IMAP)),
        ]
    },
};

fn password_over_plain(lint: &Lint, out: &mut Findings) {
    for (s, protocol, tb) in lint.mail_servers() {
        if chosen_security(tb) != Some(Security::None) {
            continue;
        }
        let secret = match tb.map(|t| t.auth) {
            Some(AuthMethod::OAuth2) => "the OAuth2 token",
            Some(AuthMethod::PasswordCleartext) => "the password",
            _ => continue,
        };
        out.emit(
            &D201.rule,
            &s.field("socketType"),
            format!(
                "{secret} is sent unencrypted: socketType is plain{}",
                at(s.element.line)
            ),
            use_tls_help(protocol),
            None,
        );
    }
}

/// The help of D201 and D202.
fn use_tls_help(protocol: Protocol) -> String {
    format!(
        "use SSL on port {} or STARTTLS on port {}, if the server offers it",
        standard_port(protocol, Security::Tls),
        standard_port(protocol, Security::Starttls)
    )
}

pub(crate) const D202: DocumentRule = DocumentRule {
    rule: Rule {
        code: "D202",
        name: "unencrypted-connection",
        severity: Severity::Warning,
        summary: "a server reached without encryption",
        what: "A server with `socketType` `plain` that does not send the password itself (`password-encrypted`, `none`, …).",
        why: "The mail itself travels readable and can be changed on the way; challenge-response logins like CRAM-MD5 can be cracked offline.",
        example: "`plain` with `password-encrypted` → `SSL` (implicit TLS) or `STARTTLS`.",
        references: &["RFC 8314 §3", "RFC 8314 §4"],
    },
    check: plain_connection,
    #[cfg(test)]
    vectors: || {
        use super::fixtures::*;
        vec![
            Vector::silent("D202", "a clean file", GOOD),
            Vector::silent("D202", "a password over plain IMAP (D201's)", good_with(&PLAIN_IMAP)),
            Vector::fires(
                "D202",
                "an encrypted password over plain IMAP",
                good_with(&[
                    PLAIN_IMAP[0],
                    PLAIN_IMAP[1],
                    ("password-cleartext", "password-encrypted"),
                ]),
            ),
        ]
    },
};

fn plain_connection(lint: &Lint, out: &mut Findings) {
    for (s, protocol, tb) in lint.mail_servers() {
        if chosen_security(tb) != Some(Security::None) {
            continue;
        }
        // A password or token over it is D201's.
        if matches!(
            tb.map(|t| t.auth),
            Some(AuthMethod::PasswordCleartext | AuthMethod::OAuth2)
        ) {
            continue;
        }
        out.emit(
            &D202.rule,
            &s.field("socketType"),
            format!(
                "the connection is not encrypted: socketType is plain{}",
                at(s.element.line)
            ),
            use_tls_help(protocol),
            None,
        );
    }
}

pub(crate) const D203: DocumentRule = DocumentRule {
    rule: Rule {
        code: "D203",
        name: "embedded-password",
        severity: Severity::Error,
        summary: "a password written into the file",
        what: "A `<password>` element with a value in a server.",
        why: "Autoconfig files are published on the web; a password in one is public.",
        example: "Remove `<password>…</password>`; clients ask for the password.",
        references: &[FORMAT],
    },
    check: password_in_file,
    #[cfg(test)]
    vectors: || {
        use super::fixtures::*;
        vec![
            Vector::silent("D203", "a clean file", GOOD),
            Vector::fires(
                "D203",
                "a <password> in the file",
                good_with(&[(
                    "</incomingServer>",
                    "<password>hunter2</password></incomingServer>",
                )]),
            ),
        ]
    },
};

fn password_in_file(lint: &Lint, out: &mut Findings) {
    for s in &lint.doc.servers {
        let Some(p) = s.element.child("password") else {
            continue;
        };
        if p.text.trim().is_empty() {
            continue;
        }
        out.emit(
            &D203.rule,
            &s.field("password"),
            format!("a password is written into the file{}", at(p.line)),
            "remove the <password> element; clients ask the person for it".into(),
            None,
        );
    }
}

pub(crate) const D204: DocumentRule = DocumentRule {
    rule: Rule {
        code: "D204",
        name: "oauth-unavailable",
        severity: Severity::Error,
        summary: "OAuth2 is the only sign-in, and no client knows how to do it here",
        what: "A server whose only authentication is `OAuth2`, for a host whose OAuth2 settings Thunderbird does not have built in (its `OAuth2Providers` table: Google, Microsoft, Yahoo, AOL, Fastmail, Comcast, mail.ru, Yandex, …). An `<oAuth2>` block in the file does not help: Thunderbird's reader does not read it.",
        why: "A client needs the issuer, scopes, authorization and token URLs; without them it cannot sign in, and Thunderbird drops the server.",
        example: "Add an `<oAuth2>` block (issuer, scope, authURL, tokenURL), or a password method after `OAuth2`.",
        references: &[
            FORMAT,
            "Thunderbird's built-in OAuth2 providers: comm-central mailnews/base/src/OAuth2Providers.sys.mjs",
            "RFC 6749",
            "RFC 7628",
        ],
    },
    check: oauth2_unusable,
    #[cfg(test)]
    vectors: || {
        use super::fixtures::*;
        vec![
            Vector::silent("D204", "a clean file", GOOD),
            Vector::silent("D204", "OAuth2 on hosts clients know", GMAIL_LIKE),
            Vector::fires(
                "D204",
                "OAuth2 alone on a host clients know no endpoints for",
                good_with(&[("password-cleartext", "OAuth2")]),
            ),
            Vector::fires(
                "D204",
                "OAuth2 alone, with an <oAuth2> block Thunderbird does not read",
                good_with(&[
                    ("password-cleartext", "OAuth2"),
                    (
                        "</clientConfig>",
                        "<oAuth2><issuer>login.example.com</issuer><scope>mail</scope><authURL>https://login.example.com/auth</authURL><tokenURL>https://login.example.com/token</tokenURL></oAuth2></clientConfig>",
                    ),
                ]),
            ),
        ]
    },
};

fn oauth2_unusable(lint: &Lint, out: &mut Findings) {
    for (s, host, usable) in oauth2_unknown(lint) {
        if !usable.is_empty() {
            continue;
        }
        out.emit(
            &D204.rule,
            &s.field("authentication"),
            format!(
                "OAuth2 is the only sign-in, but Thunderbird knows no OAuth2 settings for {host}{}",
                at(s.element.line)
            ),
            "add a password method after OAuth2".into(),
            None,
        );
    }
}

/// For D204 and D205: each mail server that lists OAuth2 where Thunderbird knows no OAuth2
/// settings for its host, with the host and the methods it can use instead.
fn oauth2_unknown<'l>(
    lint: &'l Lint,
) -> impl Iterator<Item = (&'l ServerElement<'l>, String, Vec<AuthMethod>)> {
    lint.mail_servers().filter_map(|(s, ..)| {
        let listed: Vec<AuthMethod> = s
            .element
            .children_named("authentication")
            .filter_map(|a| auth_method(&a.text, s.direction))
            .collect();
        let host = hostname(&JsValue::of_element(s.element.child("hostname"))).ok()?;
        let kind = s.type_attr.unwrap_or("");
        if !listed.contains(&AuthMethod::OAuth2) || oauth2_details(&host, kind) {
            return None;
        }
        let others = listed
            .into_iter()
            .filter(|m| *m != AuthMethod::OAuth2)
            .collect();
        Some((s, host, others))
    })
}

pub(crate) const D205: DocumentRule = DocumentRule {
    rule: Rule {
        code: "D205",
        name: "oauth-unavailable-fallback",
        severity: Severity::Warning,
        summary: "OAuth2 is listed but no client knows how to do it here; clients fall back",
        what: "`OAuth2` listed with other methods for a host whose OAuth2 settings Thunderbird does not have built in (an `<oAuth2>` block in the file does not help: Thunderbird's reader does not read it).",
        why: "Thunderbird skips OAuth2 and signs in with the next method, so the OAuth2 entry is dead weight and the provider's preferred sign-in is never used.",
        example: "Remove `OAuth2`, or ask Thunderbird to add the provider to its OAuth2 table.",
        references: &[
            FORMAT,
            "Thunderbird's built-in OAuth2 providers: comm-central mailnews/base/src/OAuth2Providers.sys.mjs",
        ],
    },
    check: oauth2_skipped,
    #[cfg(test)]
    vectors: || {
        use super::fixtures::*;
        vec![
            Vector::silent("D205", "a clean file", GOOD),
            Vector::silent("D205", "OAuth2 on hosts Thunderbird knows", GMAIL_LIKE),
            Vector::silent(
                "D205",
                "OAuth2 alone (D204's)",
                good_with(&[("password-cleartext", "OAuth2")]),
            ),
            Vector::fires(
                "D205",
                "OAuth2 before a password, no endpoints known",
                good_with(&[(
                    "<authentication>password-cleartext</authentication>",
                    "<authentication>OAuth2</authentication><authentication>password-cleartext</authentication>",
                )]),
            ),
        ]
    },
};

fn oauth2_skipped(lint: &Lint, out: &mut Findings) {
    for (s, host, usable) in oauth2_unknown(lint) {
        let Some(instead) = usable.first() else {
            continue;
        };
        out.emit(
            &D205.rule,
            &s.field("authentication"),
            format!(
                "Thunderbird skips OAuth2 and uses {}: it knows no OAuth2 settings for {host}{}",
                instead.name(),
                at(s.element.line)
            ),
            "remove OAuth2, or write the method Thunderbird uses first".into(),
            None,
        );
    }
}

pub(crate) const D206: DocumentRule = DocumentRule {
    rule: Rule {
        code: "D206",
        name: "oauth-config-invalid",
        severity: Severity::Error,
        summary: "an <oAuth2> block clients cannot use",
        what: "An `<oAuth2>` block without `issuer`, `scope`, `authURL` or `tokenURL`, or with an authorization or token URL that is not `https://`.",
        why: "Clients need all four; tokens and codes must never travel over plain HTTP (RFC 6749 §3.1, §3.2).",
        example: "`<tokenURL>http://login.example.com/token</tokenURL>` → `https://…`.",
        references: &[FORMAT, "RFC 6749 §3.1 and §3.2"],
    },
    check: oauth2_block_incomplete,
    #[cfg(test)]
    vectors: || {
        use super::fixtures::*;
        vec![
            Vector::silent("D206", "a clean file", GOOD),
            Vector::silent("D206", "a complete <oAuth2> block", GMAIL_LIKE),
            Vector::fires(
                "D206",
                "an http:// token URL",
                good_with(&[(
                    "</clientConfig>",
                    "<oAuth2><issuer>login.example.com</issuer><scope>mail</scope><authURL>https://login.example.com/auth</authURL><tokenURL>http://login.example.com/token</tokenURL></oAuth2></clientConfig>",
                )]),
            ),
        ]
    },
};

fn oauth2_block_incomplete(lint: &Lint, out: &mut Findings) {
    let Some(block) = lint.doc.oauth2 else {
        return;
    };
    for child in ["issuer", "scope", "authURL", "tokenURL"] {
        match block.child_text(child) {
            None | Some("") => out.emit(
                &D206.rule,
                &format!("oAuth2.{child}"),
                format!("the <oAuth2> block has no <{child}>{}", at(block.line)),
                format!("add <{child}>"),
                None,
            ),
            Some(url)
                if child.ends_with("URL") && !url.to_ascii_lowercase().starts_with("https://") =>
            {
                out.emit(
                    &D206.rule,
                    &format!("oAuth2.{child}"),
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

pub(crate) const D207: DocumentRule = DocumentRule {
    rule: Rule {
        code: "D207",
        name: "network-trusted-sending",
        severity: Severity::Info,
        summary: "the SMTP server trusts the sender's network instead of a sign-in",
        what: "An outgoing server whose authentication is `client-IP-address` (the server accepts mail from the provider's own network) or `smtp-after-pop` (a POP3 sign-in unlocks sending for a while).",
        why: "This is how many ISPs' relays work, and Thunderbird reads it as \"no sign-in\" on purpose. It works only from inside the provider's network (or after fetching mail): on another Wi-Fi or mobile data, sending fails.",
        example: "`client-IP-address` on `smtp.isp.example:25` → if the provider offers it, submission on 465 or 587 with `password-cleartext` works from anywhere.",
        references: &[FORMAT, READER, "RFC 6409 §4.3"],
    },
    check: network_trusted_sending,
    #[cfg(test)]
    vectors: || {
        use super::fixtures::*;
        vec![
            Vector::silent("D207", "a clean file", GOOD),
            Vector::fires(
                "D207",
                "an ISP relay that trusts its network",
                good_with(&[
                    ("<port>465</port>", "<port>25</port>"),
                    (
                        "<authentication>password-cleartext</authentication>\n      <username>%EMAILADDRESS%</username>\n    </outgoingServer>",
                        "<authentication>client-IP-address</authentication>\n    </outgoingServer>",
                    ),
                ]),
            ),
        ]
    },
};

fn network_trusted_sending(lint: &Lint, out: &mut Findings) {
    for (s, _, tb) in lint.mail_servers() {
        // Thunderbird reads both as "no sign-in"; the first it knows is the one it takes.
        let Some(m) = tb.map(|t| t.auth).filter(|m| m.outgoing_only()) else {
            continue;
        };
        out.emit(
            &D207.rule,
            &s.field("authentication"),
            format!(
                "{}: sending works only from inside the provider's network{}",
                m.name(),
                at(s.element.line)
            ),
            "if the provider offers submission with sign-in (465 or 587), list it first".into(),
            None,
        );
    }
}
