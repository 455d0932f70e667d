//! V: provider policy — the credential the provider accepts from mail apps (split from the SASL
//! mechanism, with its dated changes), switches to turn on in the web settings, plan limits,
//! protocols the provider does not offer or does not document, and an account whose servers
//! belong to two providers.
//!
//! Severity follows what the sources say: an error only where a source says something fails (a
//! credential refused, a protocol not offered); a warning where the provider documents something
//! else than what was typed (it may still work); advice where no source says anything.

use super::analysis::{Analysis, Field, ServerView};
use super::findings::Findings;
use super::registry::SettingsRule;
#[cfg(test)]
use crate::diagnostic::Vector;
use crate::diagnostic::{Rule, Severity};
use crate::model::labels;
use crate::model::{Auth, Protocol};
use crate::providers::{
    credential_kinds, AuthVerdict, ChangeStatus, Credential, CredentialKind, Mechanism, Provider,
    Requirement,
};

pub(crate) const V401: SettingsRule = SettingsRule {
    rule: Rule {
        code: "V401",
        name: "oauth2-required",
        severity: Severity::Error,
        summary: "the provider accepts only OAuth2 sign-in from mail apps",
        what: "A password or app password at a provider whose sources say it refuses them and accepts only \
               OAuth2 (Outlook.com, Microsoft 365 for IMAP and POP3).",
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
            Vector::silent(
                "V401",
                "a password for Microsoft 365 SMTP, which still takes it until the announced change",
                r#"{"protocol":"smtp","host":"smtp.office365.com","port":587,"security":"starttls","auth":"password"}"#,
            )
            .with_email("me@contoso.example"),
            Vector::fires(
                "V401",
                "a password at Microsoft 365 IMAP",
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
    for (s, p, refused, fact) in refused_auth(a) {
        if !only_oauth2(p, s.server.protocol) {
            continue;
        }
        out.emit(
            &V401.rule,
            s.field(Field::Auth),
            format!(
                "{} accepts only OAuth2 sign-in from mail apps; {} is refused{} ({})",
                p.name,
                refused,
                since(fact),
                p.attribution(fact)
            ),
            format!(
                "set auth to oauth2: {}",
                sign_in_help(p, s.server.protocol, Some(Auth::Oauth2))
            ),
            s.auth_fix(),
        );
    }
}

/// Whether every credential a source says is accepted for `protocol` is OAuth2.
fn only_oauth2(p: &Provider, protocol: Protocol) -> bool {
    let mut accepted = p.accepted(protocol).peekable();
    accepted.peek().is_some() && accepted.all(|c| c.kind == CredentialKind::Oauth2)
}

/// For V401–V403: each server whose sign-in method a source says the provider refuses (`none`
/// is A311's), with the provider, the method and the fact that refuses it.
fn refused_auth<'s, 'a>(
    a: &'s Analysis<'a>,
) -> impl Iterator<Item = (&'s ServerView<'a>, &'a Provider, Auth, &'a Credential)> {
    a.servers.iter().filter_map(|s| {
        let p = s.provider?;
        let auth = s.server.auth?;
        match p.judge_auth(s.server.protocol, auth) {
            AuthVerdict::Refused(c) => Some((s, p, auth, c)),
            _ => None,
        }
    })
}

/// " since 2022-11-01", when the fact has a date.
fn since(c: &Credential) -> String {
    c.since
        .as_deref()
        .map(|d| format!(" since {d}"))
        .unwrap_or_default()
}

/// "an authorization code or OAuth2 (signing in through its web page)": what is accepted.
fn accepted_list(p: &Provider, protocol: Protocol) -> String {
    let mut names: Vec<&str> = Vec::new();
    for c in p.accepted(protocol) {
        if !names.contains(&c.kind.phrase()) {
            names.push(c.kind.phrase());
        }
    }
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => (*last).to_owned(),
        None => String::new(),
    }
}

/// How to get the credential to use instead — the one the fix sets (`target`), else the first
/// accepted — what it needs first, and where the facts come from.
fn sign_in_help(p: &Provider, protocol: Protocol, target: Option<Auth>) -> String {
    let kinds = target.map(credential_kinds).unwrap_or(&[]);
    let chosen = p
        .accepted(protocol)
        .filter(|c| kinds.contains(&c.kind))
        .max_by_key(|c| c.how.is_some())
        .or_else(|| p.accepted(protocol).find(|c| c.how.is_some()))
        .or_else(|| p.accepted(protocol).next());
    let Some(c) = chosen else {
        return format!("see {}'s help for mail apps", p.name);
    };
    let mut text = match c.kind {
        CredentialKind::Oauth2 => {
            "choose OAuth2 (\"sign in with\" the provider) in the mail app".to_owned()
        }
        k => format!("type {} in the mail app's password field", k.phrase()),
    };
    let needs: Vec<&str> = c.requires.iter().map(|r| requirement(*r)).collect();
    if !needs.is_empty() {
        text.push_str(&format!("; it needs {} first", needs.join(" and ")));
    }
    if let Some(how) = &c.how {
        text.push_str(&format!(". {how}"));
    }
    text.push_str(&format!(" ({})", p.attribution(c)));
    text
}

/// What a prerequisite is, in words.
fn requirement(r: Requirement) -> &'static str {
    match r {
        Requirement::TwoStepVerification => "two-step verification on the account",
        Requirement::PaidPlan => "a paid plan",
        Requirement::EnableAccess => "mail-app access switched on in web mail",
        Requirement::BridgeRunning => "the bridge running on this computer",
    }
}

pub(crate) const V402: SettingsRule = SettingsRule {
    rule: Rule {
        code: "V402",
        name: "app-password-required",
        severity: Severity::Error,
        summary: "the provider refuses the account's own password in mail apps; it wants a generated one",
        what: "Auth `password` (the account's own password) at a provider whose sources say it refuses that \
               password from mail apps and accepts one generated for them: an app password (Gmail, iCloud), an \
               authorization code (QQ, NetEase), a Secure Mail Key (AT&T), a password for external apps \
               (Mail.ru).",
        why: "The sign-in fails with \"wrong password\" although the password is right. In the mail app, choose \
              the normal-password method and type the generated secret in the password field.",
        example: "QQ Mail with `password` → `app-password` (the 16-character authorization code).",
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
            Vector::silent(
                "V402",
                "a password where no source says which password works (KPN)",
                r#"{"protocol":"imap","host":"imap.kpnmail.nl","port":993,"security":"tls","auth":"password"}"#,
            ),
            Vector::fires(
                "V402",
                "the account's own password at Gmail",
                r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","auth":"password"}"#,
            ),
            Vector::fires(
                "V402",
                "the QQ password, where QQ wants an authorization code",
                r#"{"email":"me@qq.com","incoming":{"protocol":"imap","host":"imap.qq.com","port":993,"security":"tls","auth":"password"}}"#,
            ),
        ]
    },
};

fn normal_password_refused(a: &Analysis, out: &mut Findings) {
    for (s, p, refused, fact) in refused_auth(a) {
        let protocol = s.server.protocol;
        if refused != Auth::Password || only_oauth2(p, protocol) || !generated_accepted(p, protocol)
        {
            continue;
        }
        out.emit(
            &V402.rule,
            s.field(Field::Auth),
            format!(
                "{} refuses the account's own password in mail apps{} ({}); it accepts {}",
                p.name,
                since(fact),
                p.attribution(fact),
                accepted_list(p, protocol)
            ),
            format!(
                "set auth to {}: {}",
                target_auth(s),
                sign_in_help(p, protocol, s.target.auth)
            ),
            s.auth_fix(),
        );
    }
}

/// Whether a source says a password generated for mail apps is accepted.
fn generated_accepted(p: &Provider, protocol: Protocol) -> bool {
    p.accepted(protocol)
        .any(|c| credential_kinds(Auth::AppPassword).contains(&c.kind))
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
        summary: "a source says the provider refuses this sign-in method",
        what: "A sign-in method whose credential a source says the provider refuses from mail apps, other than \
               the cases V401 and V402 name (an app password where the provider has none).",
        why: "The server refuses the sign-in; the client must use what the provider accepts.",
        example: "Outlook.com with `app-password` → `oauth2`.",
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
            Vector::silent(
                "V403",
                "encrypted password at Gmail: not documented, not refused (V408)",
                r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","auth":"encrypted-password"}"#,
            ),
            Vector::fires(
                "V403",
                "an app password at an organisation that issues none",
                r#"{"email":"me@example.org","incoming":{"protocol":"imap","host":"mail.example.org","port":993,"security":"tls","auth":"app-password"}}"#,
            )
            .with_provider(NO_APP_PASSWORDS),
        ]
    },
};

/// An organisation (given at run time) that takes the account's password and has no app
/// passwords.
#[cfg(test)]
const NO_APP_PASSWORDS: &str = r#"{"id":"example-org","name":"Example Org","domains":[{"names":["example.org"]}],
"servers":[{"protocol":"imap","host":"mail.example.org","port":993,"security":"tls","username":"email-address"}],
"credentials":[{"kind":"account-password","accepted":true},{"kind":"app-password","accepted":false}]}"#;

fn auth_not_accepted(a: &Analysis, out: &mut Findings) {
    for (s, p, refused, fact) in refused_auth(a) {
        let protocol = s.server.protocol;
        let v402 = refused == Auth::Password && generated_accepted(p, protocol);
        if only_oauth2(p, protocol) || v402 {
            continue;
        }
        let instead = match accepted_list(p, protocol) {
            l if l.is_empty() => String::new(),
            l => format!("; it accepts {l}"),
        };
        out.emit(
            &V403.rule,
            s.field(Field::Auth),
            format!(
                "{} does not accept {} from mail apps{} ({}){instead}",
                p.name,
                fact.kind.phrase(),
                since(fact),
                p.attribution(fact)
            ),
            match s.auth_fix() {
                Some(_) => format!(
                    "set auth to {}: {}",
                    target_auth(s),
                    sign_in_help(p, protocol, s.target.auth)
                ),
                None => format!("sign in the way {} documents for mail apps", p.name),
            },
            s.auth_fix(),
        );
    }
}

pub(crate) const V404: SettingsRule = SettingsRule {
    rule: Rule {
        code: "V404",
        name: "auth-not-given",
        severity: Severity::Info,
        summary: "no sign-in method is given, and the provider refuses the account's own password",
        what: "A server with no `auth` at a provider whose sources say it refuses the account's own password from \
               mail apps.",
        why: "Clients default to the account's own password, which this provider refuses; choose the method it \
              accepts before the first sign-in fails.",
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
                "nothing said at Gmail, which refuses the account's own password",
                r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls"}"#,
            ),
        ]
    },
};

fn auth_missing_where_password_refused(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let Some(p) = s.provider else {
            continue;
        };
        if s.server.auth.is_some() {
            continue;
        }
        let protocol = s.server.protocol;
        let AuthVerdict::Refused(fact) = p.judge_auth(protocol, Auth::Password) else {
            continue;
        };
        out.emit(
            &V404.rule,
            s.field(Field::Auth),
            format!(
                "no sign-in method is given; {} refuses the account's own password from mail apps{} ({}) and accepts {}",
                p.name,
                since(fact),
                p.attribution(fact),
                accepted_list(p, protocol)
            ),
            format!(
                "set auth to {}: {}",
                target_auth(s),
                sign_in_help(p, protocol, s.target.auth)
            ),
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
        what: "A protocol for which a source says the provider has an on/off switch in its web interface (Gmail's \
               POP download, QQ's and NetEase's IMAP/POP3/SMTP service).",
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
                "Gmail IMAP, which nobody can switch off",
                r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","auth":"oauth2"}"#,
            ),
            Vector::fires(
                "V405",
                "Gmail POP3, off until switched on",
                r#"{"protocol":"pop3","host":"pop.gmail.com","port":995,"security":"tls","auth":"oauth2"}"#,
            ),
            Vector::fires(
                "V405",
                "QQ Mail IMAP, a service to switch on",
                r#"{"email":"me@qq.com","incoming":{"protocol":"imap","host":"imap.qq.com","port":993,"security":"tls","auth":"app-password"}}"#,
            ),
        ]
    },
};

fn protocol_needs_enabling(a: &Analysis, out: &mut Findings) {
    // One switch is said once, on the first server it concerns (QQ's one switch serves IMAP and
    // SMTP).
    let mut said: Vec<&crate::providers::Enable> = Vec::new();
    for s in &a.servers {
        let Some(p) = s.provider else {
            continue;
        };
        let Some(t) = p.enable_for(s.server.protocol) else {
            continue;
        };
        if said.iter().any(|x| std::ptr::eq(*x, t)) {
            continue;
        }
        said.push(t);
        let url = t
            .url
            .as_deref()
            .map(|u| format!(" ({u})"))
            .unwrap_or_default();
        let off = if t.off_by_default {
            " (it is off by default)"
        } else {
            ""
        };
        out.emit(
            &V405.rule,
            s.field(Field::Protocol),
            format!(
                "{} serves {} only after it is switched on in its web settings{off} ({})",
                p.name,
                labels::protocol(s.server.protocol),
                p.attribution(t)
            ),
            format!("{}{url}", t.steps),
            None,
        );
    }
}

pub(crate) const V406: SettingsRule = SettingsRule {
    rule: Rule {
        code: "V406",
        name: "provider-lacks-protocol",
        severity: Severity::Error,
        summary: "a source says the provider does not offer this protocol",
        what: "A protocol a source says the provider does not offer (POP3 at iCloud, IMAP at I.UA), or any access \
               by a mail app where a source says there is none (Tuta, and Proton's servers other than its \
               bridge).",
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
            Vector::silent(
                "V406",
                "POP3 at QQ Mail, which has it though ISPDB lists none",
                r#"{"email":"me@qq.com","incoming":{"protocol":"pop3","host":"pop.qq.com","port":995,"security":"tls","auth":"app-password"}}"#,
            ),
            Vector::silent(
                "V406",
                "POP3 at Daum, which no source here documents nor denies (V411)",
                r#"{"email":"me@daum.net","incoming":{"protocol":"pop3","host":"pop.daum.net","port":995,"security":"tls"}}"#,
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
            Vector::fires(
                "V406",
                "IMAP at Tuta, which has no mail-app access",
                r#"{"email":"me@tuta.com","incoming":{"protocol":"imap","host":"imap.tuta.com","port":993,"security":"tls"}}"#,
            ),
        ]
    },
};

fn protocol_not_offered(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let Some(p) = s.provider else {
            continue;
        };
        let proto = s.server.protocol;
        // A documented host (Proton's bridge, under any loopback name) is how mail apps do
        // connect; the typed host decides.
        let documented = p.servers_for(proto).any(|e| {
            e.host == s.name()
                || (s.host.is_loopback() && super::analysis::is_loopback_name(&e.host))
        });
        let fact = match p.protocol_not_offered(proto) {
            Some(f) => f,
            None => match p.mail_app_access_not_offered() {
                Some(f) if !documented => f,
                _ => continue,
            },
        };
        let alternative = [Protocol::Imap, Protocol::Pop3]
            .into_iter()
            .filter(|x| proto.is_incoming() && *x != proto)
            .find_map(|x| p.preferred(x));
        let help = match (alternative, p.bridges.first()) {
            (Some(e), _) => format!(
                "use {} instead: {}, port {}, security {}",
                labels::protocol(e.protocol),
                e.host,
                e.port,
                e.security
            ),
            (None, Some(b)) => format!("{}: {}", b.name, b.summary),
            (None, None) => format!("use the apps or web mail of {}", p.name),
        };
        out.emit(
            &V406.rule,
            s.field(Field::Protocol),
            format!(
                "{} does not offer {}: {} ({})",
                p.name,
                if fact.protocol.is_some() {
                    labels::protocol(proto)
                } else {
                    "access by mail apps"
                },
                fact.summary.trim_end_matches('.'),
                p.attribution(fact)
            ),
            help,
            None,
        );
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
    if std::ptr::eq(pi, po)
        || a.providers
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

pub(crate) const V408: SettingsRule = SettingsRule {
    rule: Rule {
        code: "V408",
        name: "auth-not-documented",
        severity: Severity::Warning,
        summary: "the provider documents other sign-in methods than this one",
        what: "A sign-in method that none of the provider's sources mentions while they do name others: a \
               credential (OAuth2 at QQ Mail, which documents an authorization code), or a mechanism missing from \
               the mechanisms listed for the protocol (`encrypted-password` where ISPDB lists only \
               `password-cleartext` and `oauth2`).",
        why: "It may work, but nothing says so, and the documented method is the one that keeps working; if the \
              sign-in fails, that is why.",
        example: "Gmail with `encrypted-password` → `oauth2` or an app password.",
        references: &["the provider table (`mailsetup providers`)"],
    },
    check: auth_not_documented,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "V408",
                "an app password at Gmail, documented",
                r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","auth":"app-password"}"#,
            ),
            Vector::silent(
                "V408",
                "a password at KPN, where no source names any credential (V409)",
                r#"{"protocol":"imap","host":"imap.kpnmail.nl","port":993,"security":"tls","auth":"password"}"#,
            ),
            Vector::fires(
                "V408",
                "encrypted password at Gmail",
                r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","auth":"encrypted-password"}"#,
            ),
            Vector::fires(
                "V408",
                "OAuth2 at QQ Mail, which documents an authorization code",
                r#"{"email":"me@qq.com","incoming":{"protocol":"imap","host":"imap.qq.com","port":993,"security":"tls","auth":"oauth2"}}"#,
            ),
        ]
    },
};

fn auth_not_documented(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let (Some(p), Some(auth)) = (s.provider, s.server.auth) else {
            continue;
        };
        let protocol = s.server.protocol;
        let message = match auth {
            Auth::Password | Auth::AppPassword | Auth::Oauth2 => {
                // OAuth2 is a mechanism and a credential at once: ISPDB listing it documents it.
                let listed_oauth2 = auth == Auth::Oauth2
                    && p.mechanisms_for(protocol).any(|m| m == Mechanism::Oauth2);
                if p.judge_auth(protocol, auth) != AuthVerdict::Unknown
                    || p.accepted(protocol).next().is_none()
                    || listed_oauth2
                {
                    continue;
                }
                format!(
                    "{} documents {} for mail apps, not {}",
                    p.name,
                    accepted_list(p, protocol),
                    labels::auth(auth)
                )
            }
            Auth::EncryptedPassword | Auth::ClientCertificate => {
                let listed: Vec<Mechanism> = p.mechanisms_for(protocol).collect();
                let wanted = if auth == Auth::EncryptedPassword {
                    Mechanism::PasswordEncrypted
                } else {
                    Mechanism::TlsClientCert
                };
                if listed.is_empty() || listed.contains(&wanted) {
                    continue;
                }
                let names: Vec<&str> = listed.iter().map(|m| m.as_str()).collect();
                let fact = p
                    .mechanisms
                    .iter()
                    .find(|m| m.protocols.contains(&protocol));
                format!(
                    "{} lists {} for {}, not {}{}",
                    p.name,
                    names.join(", "),
                    labels::protocol(protocol),
                    wanted.as_str(),
                    fact.map(|f| format!(" ({})", p.attribution(f)))
                        .unwrap_or_default()
                )
            }
            _ => continue,
        };
        out.emit(
            &V408.rule,
            s.field(Field::Auth),
            message,
            format!("if the sign-in fails, {}", sign_in_help(p, protocol, None)),
            None,
        );
    }
}

pub(crate) const V409: SettingsRule = SettingsRule {
    rule: Rule {
        code: "V409",
        name: "credential-unknown",
        severity: Severity::Info,
        summary: "no source says which password the provider accepts from mail apps",
        what: "A password sign-in (or none said) at a provider of the table about whose credentials no source \
               says anything: ISPDB names mechanisms, not which password works.",
        why: "Many providers refuse the account's own password in mail apps and want a password generated for \
              them; where nothing says so, the person should know it is unknown, not confirmed.",
        example: "KPN with `password` → works if KPN takes the account's password; else look for an app password.",
        references: &["the provider table (`mailsetup providers`)"],
    },
    check: credential_unknown,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "V409",
                "Gmail, whose sources say",
                r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","auth":"app-password"}"#,
            ),
            Vector::silent(
                "V409",
                "an unknown provider",
                r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls","auth":"password"}"#,
            ),
            Vector::fires(
                "V409",
                "a password at KPN",
                r#"{"protocol":"imap","host":"imap.kpnmail.nl","port":993,"security":"tls","auth":"password"}"#,
            ),
        ]
    },
};

fn credential_unknown(a: &Analysis, out: &mut Findings) {
    // Said once per account, on the first server judged against the provider.
    let mut said: Vec<&Provider> = Vec::new();
    for s in &a.servers {
        let Some(p) = s.provider else {
            continue;
        };
        if said.iter().any(|x| std::ptr::eq(*x, p)) {
            continue;
        }
        let protocol = s.server.protocol;
        if !matches!(
            s.server.auth,
            None | Some(Auth::Password | Auth::AppPassword)
        ) {
            continue;
        }
        if p.credentials_for(protocol).any(|c| c.accepted.is_some())
            || p.mail_app_access_not_offered().is_some()
        {
            continue;
        }
        said.push(p);
        out.emit(
            &V409.rule,
            s.field(Field::Auth),
            format!(
                "no source here says which password {} accepts from mail apps: the account's own, or one generated for them",
                p.name
            ),
            format!(
                "if the sign-in fails although the password is right, look in {}'s help for an app password",
                p.name
            ),
            None,
        );
    }
}

pub(crate) const V410: SettingsRule = SettingsRule {
    rule: Rule {
        code: "V410",
        name: "announced-change",
        severity: Severity::Warning,
        summary: "the provider has announced a change that will stop this sign-in",
        what: "A password sign-in (or none said) for a protocol about which the provider has announced a dated \
               change (Microsoft's retirement of basic authentication for SMTP AUTH).",
        why: "It works today and stops on the announced date; moving to the method that stays saves a sudden \
              failure.",
        example: "Microsoft 365 SMTP with `password` → `oauth2`.",
        references: &["the provider table (`mailsetup providers`)"],
    },
    check: announced_change,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "V410",
                "OAuth2 for Microsoft 365 SMTP",
                r#"{"protocol":"smtp","host":"smtp.office365.com","port":587,"security":"starttls","auth":"oauth2"}"#,
            ),
            Vector::fires(
                "V410",
                "a password for Microsoft 365 SMTP",
                r#"{"protocol":"smtp","host":"smtp.office365.com","port":587,"security":"starttls","auth":"password"}"#,
            )
            .with_email("me@contoso.example"),
        ]
    },
};

fn announced_change(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let Some(p) = s.provider else {
            continue;
        };
        if !matches!(
            s.server.auth,
            None | Some(Auth::Password | Auth::AppPassword)
        ) {
            continue;
        }
        let protocol = s.server.protocol;
        let announced = p.changes.iter().filter(|c| {
            c.status == ChangeStatus::Announced
                && (c.protocols.is_empty() || c.protocols.contains(&protocol))
        });
        for c in announced {
            out.emit(
                &V410.rule,
                s.field(Field::Auth),
                format!(
                    "{} has announced for {}: {} ({})",
                    p.name,
                    c.date,
                    c.summary.trim_end_matches('.'),
                    p.attribution(c)
                ),
                match p
                    .accepted(protocol)
                    .find(|x| x.kind == CredentialKind::Oauth2)
                {
                    Some(_) => "set auth to oauth2, which stays".to_owned(),
                    None => format!("watch {}'s announcements", p.name),
                },
                None,
            );
        }
    }
}

pub(crate) const V411: SettingsRule = SettingsRule {
    rule: Rule {
        code: "V411",
        name: "protocol-not-documented",
        severity: Severity::Warning,
        summary: "the provider documents no server for this protocol",
        what: "A protocol for which no source names a server of the provider and none says it is not offered \
               (POP3 at NetEase 126 and Daum, whose POP3 hosts no source here names).",
        why: "The provider may offer it, but nothing here says where; take the server from the provider's own \
              help, or use a protocol it documents.",
        example: "Daum with POP3 → check Daum's help, or IMAP on `imap.daum.net`.",
        references: &["the provider table (`mailsetup providers`)"],
    },
    check: protocol_not_documented,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "V411",
                "IMAP at Gmail",
                r#"{"email":"me@gmail.com","incoming":{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls"}}"#,
            ),
            Vector::silent(
                "V411",
                "POP3 at iCloud: a source says there is none (V406)",
                r#"{"email":"me@icloud.com","incoming":{"protocol":"pop3","host":"pop.mail.me.com","port":995,"security":"tls"}}"#,
            ),
            Vector::fires(
                "V411",
                "POP3 at Daum",
                r#"{"email":"me@daum.net","incoming":{"protocol":"pop3","host":"pop.daum.net","port":995,"security":"tls"}}"#,
            ),
        ]
    },
};

fn protocol_not_documented(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let Some(p) = s.provider else {
            continue;
        };
        let proto = s.server.protocol;
        if p.offers(proto)
            || p.protocol_not_offered(proto).is_some()
            || p.mail_app_access_not_offered().is_some()
            || p.servers.is_empty()
        {
            continue;
        }
        let documented: Vec<&str> = [Protocol::Imap, Protocol::Pop3, Protocol::Smtp]
            .into_iter()
            .filter(|x| p.offers(*x))
            .map(labels::protocol)
            .collect();
        let alternative = [Protocol::Imap, Protocol::Pop3]
            .into_iter()
            .filter(|x| proto.is_incoming() && *x != proto)
            .find_map(|x| p.preferred(x));
        out.emit(
            &V411.rule,
            s.field(Field::Protocol),
            format!(
                "{} documents no {} server here (it documents {}); it may have one, but no source says where",
                p.name,
                labels::protocol(proto),
                documented.join(" and ")
            ),
            match alternative {
                Some(e) => format!(
                    "take the server from {}'s own help, or use {} on {}, port {}, security {}",
                    p.name,
                    labels::protocol(e.protocol),
                    e.host,
                    e.port,
                    e.security
                ),
                None => format!("take the server from {}'s own help", p.name),
            },
            None,
        );
    }
}

pub(crate) const V412: SettingsRule = SettingsRule {
    rule: Rule {
        code: "V412",
        name: "plan-limit",
        severity: Severity::Info,
        summary: "the provider limits this access by plan, or limits sending",
        what: "An incoming protocol (IMAP, POP3) that the provider's sources tie to a plan (mail.com's POP3 and \
               IMAP only on Premium, Xtra Mail a paid subscription). Sending limits are said by `advise` and \
               `mailsetup providers`, not on every check.",
        why: "On a free plan the sign-in fails however right the settings are.",
        example: "mail.com IMAP → a mail.com Premium plan.",
        references: &["the provider table (`mailsetup providers`)"],
    },
    check: plan_limit,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "V412",
                "iCloud IMAP",
                r#"{"email":"me@icloud.com","incoming":{"protocol":"imap","host":"imap.mail.me.com","port":993,"security":"tls"}}"#,
            ),
            Vector::fires(
                "V412",
                "mail.com IMAP, Premium only",
                r#"{"email":"me@mail.com","incoming":{"protocol":"imap","host":"imap.mail.com","port":993,"security":"tls"}}"#,
            ),
        ]
    },
};

fn plan_limit(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let Some(p) = s.provider else {
            continue;
        };
        let proto = s.server.protocol;
        if !proto.is_incoming() {
            continue;
        }
        for plan in p
            .plans
            .iter()
            .filter(|x| x.protocols.is_empty() || x.protocols.contains(&proto))
        {
            out.emit(
                &V412.rule,
                s.field(Field::Protocol),
                format!(
                    "{}: {} ({})",
                    p.name,
                    plan.text.trim_end_matches('.'),
                    p.attribution(plan)
                ),
                format!("a limit of your {} plan, not of these settings", p.name),
                None,
            );
        }
    }
}
