//! V: provider policy — authentication the provider accepts (with its dated facts), switches to
//! turn on in the web settings, protocols the provider does not offer, and an account whose
//! servers belong to two providers.

use super::analysis::{Analysis, Field, ServerView};
use super::findings::Findings;
use super::registry::SettingsRule;
#[cfg(test)]
use crate::diagnostic::Vector;
use crate::diagnostic::{Rule, Severity};
use crate::model::labels;
use crate::model::{Auth, Protocol};
use crate::providers::{Provider, PROVIDERS};

pub(crate) const V401: SettingsRule = SettingsRule {
    rule: Rule {
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
    },
    check: oauth2_only,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "V401",
                "OAuth2 at Microsoft 365",
                r#"{"protocol":"imap","host":"outlook.office365.com","port":993,"security":"tls","auth":"oauth2"}"#,
            ),
            Vector::silent(
                "V401",
                "an app password at Gmail",
                r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","auth":"app-password"}"#,
            ),
            Vector::fires(
                "V401",
                "a password at Microsoft 365",
                r#"{"protocol":"imap","host":"outlook.office365.com","port":993,"security":"tls","auth":"password"}"#,
            ),
            Vector::fires(
                "V401",
                "an app password at Outlook.com POP3",
                r#"{"email":"me@hotmail.com","incoming":{"protocol":"pop3","host":"outlook.office365.com","port":995,"security":"tls","auth":"app-password"}}"#,
            ),
        ]
    },
};

fn oauth2_only(a: &Analysis, out: &mut Findings) {
    for (s, p, refused) in refused_auth(a) {
        if p.auth.accepted != [Auth::Oauth2] {
            continue;
        }
        out.emit(
            &V401.rule,
            s.field(Field::Auth),
            format!(
                "{} accepts only OAuth2 sign-in from mail apps{}; {refused} is refused",
                p.name,
                dated(p)
            ),
            format!("set auth to oauth2: {}", p.auth.note),
            s.auth_fix(),
        );
    }
}

/// For V401–V403: each server judged against a provider's policy whose sign-in the provider
/// refuses (`none` is A311's), with the provider and the refused method.
fn refused_auth<'s, 'a>(
    a: &'s Analysis<'a>,
) -> impl Iterator<Item = (&'s ServerView<'a>, &'static Provider, Auth)> {
    a.servers.iter().filter_map(|s| {
        let p = s.provider.filter(|_| s.endpoint.is_some())?;
        let auth = s
            .server
            .auth
            .filter(|x| *x != Auth::None && !p.accepts(*x))?;
        Some((s, p, auth))
    })
}

pub(crate) const V402: SettingsRule = SettingsRule {
    rule: Rule {
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
    },
    check: normal_password_refused,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "V402",
                "an app password at Gmail",
                r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","auth":"app-password"}"#,
            ),
            Vector::silent(
                "V402",
                "a password at an unknown provider",
                r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls","auth":"password"}"#,
            ),
            Vector::fires(
                "V402",
                "the normal password at Gmail",
                r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","auth":"password"}"#,
            ),
            Vector::fires(
                "V402",
                "the normal password at iCloud",
                r#"{"protocol":"imap","host":"imap.mail.me.com","port":993,"security":"tls","auth":"password"}"#,
            ),
        ]
    },
};

fn normal_password_refused(a: &Analysis, out: &mut Findings) {
    for (s, p, refused) in refused_auth(a) {
        let app_password_instead = refused == Auth::Password && p.accepts(Auth::AppPassword);
        if p.auth.accepted == [Auth::Oauth2] || !app_password_instead {
            continue;
        }
        out.emit(
            &V402.rule,
            s.field(Field::Auth),
            format!(
                "{} refuses the account's normal password in mail apps{}; it accepts {}",
                p.name,
                dated(p),
                accepted_list(p)
            ),
            format!("set auth to {}: {}", target_auth(s), p.auth.note),
            s.auth_fix(),
        );
    }
}

/// The sign-in a fix sets, for the help.
fn target_auth(s: &ServerView) -> &'static str {
    s.target.auth.map_or("", |a| a.as_str())
}

pub(crate) const V403: SettingsRule = SettingsRule {
    rule: Rule {
        code: "V403",
        name: "auth-not-accepted",
        severity: Severity::Error,
        summary: "the provider does not accept this sign-in method",
        what: "An authentication method the provider does not accept from mail apps, other than the cases V401 \
               and V402 name (e.g. `encrypted-password` or `client-certificate` at Gmail).",
        why: "The server does not offer the mechanism; the client cannot sign in.",
        example: "Gmail with `encrypted-password` → `oauth2`.",
        references: &["the provider table (`mailsetup providers`)"],
    },
    check: auth_not_accepted,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "V403",
                "OAuth2 at Gmail",
                r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","auth":"oauth2"}"#,
            ),
            Vector::fires(
                "V403",
                "encrypted password at Gmail",
                r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","auth":"encrypted-password"}"#,
            ),
            Vector::fires(
                "V403",
                "a client certificate at iCloud",
                r#"{"protocol":"imap","host":"imap.mail.me.com","port":993,"security":"tls","auth":"client-certificate"}"#,
            ),
        ]
    },
};

fn auth_not_accepted(a: &Analysis, out: &mut Findings) {
    for (s, p, refused) in refused_auth(a) {
        let app_password_instead = refused == Auth::Password && p.accepts(Auth::AppPassword);
        if p.auth.accepted == [Auth::Oauth2] || app_password_instead {
            continue;
        }
        out.emit(
            &V403.rule,
            s.field(Field::Auth),
            format!(
                "{} does not accept {refused} from mail apps; it accepts {}{}",
                p.name,
                accepted_list(p),
                dated(p)
            ),
            format!("set auth to {}: {}", target_auth(s), p.auth.note),
            s.auth_fix(),
        );
    }
}

pub(crate) const V404: SettingsRule = SettingsRule {
    rule: Rule {
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
    },
    check: auth_missing_where_password_refused,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "V404",
                "OAuth2 said at Gmail",
                r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","auth":"oauth2"}"#,
            ),
            Vector::silent(
                "V404",
                "nothing said at an unknown provider",
                r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"}"#,
            ),
            Vector::fires(
                "V404",
                "nothing said at Gmail, which refuses the normal password",
                r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls"}"#,
            ),
        ]
    },
};

fn auth_missing_where_password_refused(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let Some(p) = s.provider.filter(|_| s.endpoint.is_some()) else {
            continue;
        };
        if s.server.auth.is_some() || p.accepts(Auth::Password) {
            continue;
        }
        out.emit(
            &V404.rule,
            s.field(Field::Auth),
            format!(
                "no sign-in method is given; {} refuses the normal password from mail apps and accepts {}{}",
                p.name,
                accepted_list(p),
                dated(p)
            ),
            format!("set auth to {}: {}", target_auth(s), p.auth.note),
            s.auth_fix(),
        );
    }
}

pub(crate) const V405: SettingsRule = SettingsRule {
    rule: Rule {
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
    },
    check: protocol_needs_enabling,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "V405",
                "Gmail IMAP, on by default",
                r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","auth":"oauth2"}"#,
            ),
            Vector::fires(
                "V405",
                "Gmail POP3, off until switched on",
                r#"{"protocol":"pop3","host":"pop.gmail.com","port":995,"security":"tls","auth":"oauth2"}"#,
            ),
        ]
    },
};

fn protocol_needs_enabling(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let Some(p) = s.provider.filter(|_| s.endpoint.is_some()) else {
            continue;
        };
        let Some(t) = p.toggle_for(s.server.protocol) else {
            continue;
        };
        let url = t.url.map(|u| format!(" ({u})")).unwrap_or_default();
        out.emit(
            &V405.rule,
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

pub(crate) const V406: SettingsRule = SettingsRule {
    rule: Rule {
        code: "V406",
        name: "provider-lacks-protocol",
        severity: Severity::Error,
        summary: "the provider does not offer this protocol at all",
        what: "A protocol the provider has no server for: POP3 at iCloud, anything at all at Tuta (which has no \
               IMAP, POP3 or SMTP access).",
        why: "No setting can make it work; use a protocol the provider offers, or its own apps.",
        example: "iCloud with POP3 → IMAP on `imap.mail.me.com`, port 993, `tls`.",
        references: &["the provider table (`mailsetup providers`)", "https://support.apple.com/en-us/102525"],
    },
    check: protocol_not_offered,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "V406",
                "iCloud IMAP",
                r#"{"email":"me@icloud.com","incoming":{"protocol":"imap","host":"imap.mail.me.com","port":993,"security":"tls"}}"#,
            ),
            Vector::fires(
                "V406",
                "POP3 at iCloud, which has none",
                r#"{"email":"me@icloud.com","incoming":{"protocol":"pop3","host":"pop.mail.me.com","port":995,"security":"tls"}}"#,
            ),
            Vector::fires(
                "V406",
                "POP3 on iCloud's IMAP host",
                r#"{"protocol":"pop3","host":"imap.mail.me.com","port":995,"security":"tls"}"#,
            ),
        ]
    },
};

fn protocol_not_offered(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let Some(p) = s.provider.filter(|_| s.endpoint.is_none()) else {
            continue;
        };
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
            &V406.rule,
            s.field(Field::Protocol),
            format!("{} has no {} server", p.name, labels::protocol(proto)),
            help,
            None,
        );
    }
}

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

pub(crate) const V407: SettingsRule = SettingsRule {
    rule: Rule {
        code: "V407",
        name: "servers-of-different-providers",
        severity: Severity::Warning,
        summary: "the incoming and outgoing servers belong to different providers",
        what: "An account (without an email address of a known provider) whose incoming server is one provider's \
               and whose outgoing server is another's.",
        why: "One account's password works at one provider only, and providers refuse to send mail from \
              addresses that are not theirs; it is almost always a copy-paste slip.",
        example: "`imap.gmail.com` with `smtp.mail.me.com` → `smtp.gmail.com`.",
        references: &["the provider table (`mailsetup providers`)"],
    },
    check: servers_of_different_providers,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "V407",
                "Gmail in, Gmail out",
                r#"{"incoming":{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls"},"outgoing":{"protocol":"smtp","host":"smtp.gmail.com","port":465,"security":"tls"}}"#,
            ),
            Vector::fires(
                "V407",
                "Gmail in, iCloud out",
                r#"{"incoming":{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls"},"outgoing":{"protocol":"smtp","host":"smtp.mail.me.com","port":587,"security":"starttls"}}"#,
            ),
        ]
    },
};

fn servers_of_different_providers(a: &Analysis, out: &mut Findings) {
    let incoming = a.servers.iter().find(|s| s.prefix == "incoming.");
    let outgoing = a.servers.iter().find(|s| s.prefix == "outgoing.");
    let (Some(i), Some(o)) = (incoming, outgoing) else {
        return;
    };
    if a.provider_by_email() {
        return;
    }
    let (Some(pi), Some(po)) = (i.owner, o.owner) else {
        return;
    };
    if pi.id == po.id
        || PROVIDERS
            .iter()
            .any(|p| p.owns_host(i.name()) && p.owns_host(o.name()))
    {
        return;
    }
    let help = match o.host_fix() {
        Some(_) => format!("use the SMTP server of {}: {}", pi.name, o.target.host),
        None => format!("use the SMTP server of {}", pi.name),
    };
    out.emit(
        &V407.rule,
        "outgoing.host",
        format!(
            "the incoming server {} belongs to {}, but the outgoing server {} to {}",
            i.name(),
            pi.name,
            o.name(),
            po.name
        ),
        help,
        o.host_fix(),
    );
}
