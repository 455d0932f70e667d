//! V: provider policy — authentication the provider accepts (with its dated facts), switches to
//! turn on in the web settings, protocols the provider does not offer.

use super::analysis::{Analysis, Field, ServerView};
use super::findings::Findings;
use crate::diagnostic::Rule;
use crate::diagnostic::Severity;
use crate::model::labels;
use crate::model::{Auth, Protocol};
use crate::providers::Provider;

pub(crate) const V401: Rule = Rule {
    code: "V401",
    name: "oauth2-required",
    severity: Severity::Error,
    summary: "the provider accepts only OAuth2 sign-in from mail apps",
    what: "A password, app password or other method at a provider that accepts only OAuth2 (Outlook.com and \
           Microsoft 365 since they turned off basic authentication).",
    why: "The server refuses the sign-in whatever the password; the client must sign in through the \
          provider's web page.",
    example: "Outlook.com with `password` → `oauth2`.",
    references: &[
        "the provider table (`mailsetup providers`)",
        "RFC 7628 (SASL OAUTHBEARER)",
        "https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/deprecation-of-basic-authentication-exchange-online",
    ],
    pass: &[
        r#"{"protocol":"imap","host":"outlook.office365.com","port":993,"security":"tls","auth":"oauth2"}"#,
        r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","auth":"app-password"}"#,
    ],
    fail: &[
        r#"{"protocol":"imap","host":"outlook.office365.com","port":993,"security":"tls","auth":"password"}"#,
        r#"{"email":"me@hotmail.com","incoming":{"protocol":"pop3","host":"outlook.office365.com","port":995,"security":"tls","auth":"app-password"}}"#,
    ],
};

pub(crate) const V402: Rule = Rule {
    code: "V402",
    name: "app-password-required",
    severity: Severity::Error,
    summary: "the provider refuses the normal password in mail apps; it needs an app password",
    what: "Auth `password` at a provider that accepts app passwords but not the account's own password from \
           mail apps (Gmail, iCloud, Yahoo, AOL, Fastmail, …).",
    why: "The sign-in fails with \"wrong password\" although the password is right; the provider wants a \
          separate password generated for this app (usually after turning on two-step verification), or \
          OAuth2 where it offers it.",
    example: "Gmail with `password` → `app-password` (or `oauth2`).",
    references: &["the provider table (`mailsetup providers`)", "https://support.google.com/accounts/answer/185833"],
    pass: &[
        r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","auth":"app-password"}"#,
        r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls","auth":"password"}"#,
    ],
    fail: &[
        r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","auth":"password"}"#,
        r#"{"protocol":"imap","host":"imap.mail.me.com","port":993,"security":"tls","auth":"password"}"#,
    ],
};

pub(crate) const V403: Rule = Rule {
    code: "V403",
    name: "auth-not-accepted",
    severity: Severity::Error,
    summary: "the provider does not accept this sign-in method",
    what: "An authentication method the provider does not accept from mail apps, other than the cases V401 \
           and V402 name (e.g. `encrypted-password` or `client-certificate` at Gmail).",
    why: "The server does not offer the mechanism; the client cannot sign in.",
    example: "Gmail with `encrypted-password` → `oauth2`.",
    references: &["the provider table (`mailsetup providers`)"],
    pass: &[r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","auth":"oauth2"}"#],
    fail: &[
        r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","auth":"encrypted-password"}"#,
        r#"{"protocol":"imap","host":"imap.mail.me.com","port":993,"security":"tls","auth":"client-certificate"}"#,
    ],
};

pub(crate) const V404: Rule = Rule {
    code: "V404",
    name: "auth-not-given",
    severity: Severity::Info,
    summary: "no sign-in method is given, and the provider refuses the normal password",
    what: "A server with no `auth` at a provider that does not accept the account's normal password from \
           mail apps.",
    why: "Clients default to the normal password, which this provider refuses; choose the method it accepts \
          before the first sign-in fails.",
    example: "Gmail without `auth` → `oauth2` (or an app password).",
    references: &["the provider table (`mailsetup providers`)"],
    pass: &[
        r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","auth":"oauth2"}"#,
        r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"}"#,
    ],
    fail: &[r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls"}"#],
};

pub(crate) const V405: Rule = Rule {
    code: "V405",
    name: "enable-in-web-settings",
    severity: Severity::Info,
    summary: "the provider serves this protocol only after it is switched on in its web settings",
    what: "A protocol for which the provider has an on/off switch in its web interface (Gmail's and \
           Outlook.com's POP download, for example).",
    why: "Until it is switched on, the server refuses the sign-in with an unhelpful message, and people \
          change settings that were right.",
    example: "Gmail POP3 → Settings → Forwarding and POP/IMAP → Enable POP.",
    references: &["the provider table (`mailsetup providers`)"],
    pass: &[r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","auth":"oauth2"}"#],
    fail: &[r#"{"protocol":"pop3","host":"pop.gmail.com","port":995,"security":"tls","auth":"oauth2"}"#],
};

pub(crate) const V406: Rule = Rule {
    code: "V406",
    name: "provider-lacks-protocol",
    severity: Severity::Error,
    summary: "the provider does not offer this protocol at all",
    what: "A protocol the provider has no server for: POP3 at iCloud, anything at all at Tuta (which has no \
           IMAP, POP3 or SMTP access).",
    why: "No setting can make it work; use a protocol the provider offers, or its own apps.",
    example: "iCloud with POP3 → IMAP on `imap.mail.me.com`, port 993, `tls`.",
    references: &["the provider table (`mailsetup providers`)", "https://support.apple.com/en-us/102525"],
    pass: &[r#"{"email":"me@icloud.com","incoming":{"protocol":"imap","host":"imap.mail.me.com","port":993,"security":"tls"}}"#],
    fail: &[
        r#"{"email":"me@icloud.com","incoming":{"protocol":"pop3","host":"pop.mail.me.com","port":995,"security":"tls"}}"#,
        r#"{"protocol":"pop3","host":"imap.mail.me.com","port":995,"security":"tls"}"#,
    ],
};

/// " (policy since 2022-05-30; checked 2026-11-26)": the dated facts behind a policy message.
fn dated(p: &Provider) -> String {
    let checked = p.sources.iter().map(|s| s.verified).max();
    match (p.auth.since, checked) {
        (Some(since), Some(c)) => format!(" (since {since}; checked {c})"),
        (None, Some(c)) => format!(" (checked {c})"),
        (Some(since), None) => format!(" (since {since})"),
        (None, None) => String::new(),
    }
}

/// "oauth2 or app-password".
fn accepted_list(p: &Provider) -> String {
    let names: Vec<&str> = p.auth.accepted.iter().map(|a| a.as_str()).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => (*last).to_owned(),
        None => String::new(),
    }
}

pub(super) fn check(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let Some(p) = s.provider else { continue };
        if s.endpoint.is_none() {
            lacks_protocol(s, p, out);
            continue;
        }
        auth_policy(s, p, out);
        if let Some(t) = p.toggle_for(s.server.protocol) {
            let url = t.url.map(|u| format!(" ({u})")).unwrap_or_default();
            out.emit(
                &V405,
                s.field(Field::Protocol),
                format!(
                    "{} serves {} only after it is switched on in its web settings",
                    p.name,
                    labels::protocol(s.server.protocol)
                ),
                format!("{}{url}", t.note),
                None,
            );
        }
    }
}

/// V401–V404.
fn auth_policy(s: &ServerView, p: &'static Provider, out: &mut Findings) {
    let field = s.field(Field::Auth);
    let fix = s.auth_fix();
    let target = s.target.auth.map_or("", |a| a.as_str());
    match s.server.auth {
        None if !p.accepts(Auth::Password) => out.emit(
            &V404,
            field,
            format!(
                "no sign-in method is given; {} refuses the normal password from mail apps and accepts {}{}",
                p.name,
                accepted_list(p),
                dated(p)
            ),
            format!("set auth to {target}: {}", p.auth.note),
            fix,
        ),
        // `none` is A311's.
        None | Some(Auth::None) => {}
        Some(a) if p.accepts(a) => {}
        Some(a) if p.auth.accepted == [Auth::Oauth2] => out.emit(
            &V401,
            field,
            format!(
                "{} accepts only OAuth2 sign-in from mail apps{}; {a} is refused",
                p.name,
                dated(p)
            ),
            format!("set auth to oauth2: {}", p.auth.note),
            fix,
        ),
        Some(Auth::Password) if p.accepts(Auth::AppPassword) => out.emit(
            &V402,
            field,
            format!(
                "{} refuses the account's normal password in mail apps{}; it accepts {}",
                p.name,
                dated(p),
                accepted_list(p)
            ),
            format!("set auth to {target}: {}", p.auth.note),
            fix,
        ),
        Some(a) => out.emit(
            &V403,
            field,
            format!(
                "{} does not accept {a} from mail apps; it accepts {}{}",
                p.name,
                accepted_list(p),
                dated(p)
            ),
            format!("set auth to {target}: {}", p.auth.note),
            fix,
        ),
    }
}

/// V406.
fn lacks_protocol(s: &ServerView, p: &'static Provider, out: &mut Findings) {
    let proto = s.server.protocol;
    let alternative = [Protocol::Imap, Protocol::Pop3]
        .into_iter()
        .filter(|x| proto.is_incoming() && *x != proto)
        .find_map(|x| p.preferred(x));
    let help = match (alternative, p.note) {
        (Some(e), _) => format!(
            "use {} instead: {}, port {}, security {}",
            labels::protocol(e.protocol),
            e.host,
            e.port,
            e.security
        ),
        (None, Some(note)) => note.to_owned(),
        (None, None) => format!("use the apps or web mail of {}", p.name),
    };
    out.emit(
        &V406,
        s.field(Field::Protocol),
        format!("{} has no {} server", p.name, labels::protocol(proto)),
        help,
        None,
    );
}
