//! T: connection security — cleartext, STARTTLS where implicit TLS is offered, the provider's
//! security.

use super::analysis::{Analysis, Documented, Field, ServerView};
use super::findings::Findings;
use super::registry::SettingsRule;
use crate::diagnostic::Rule;
#[cfg(test)]
use crate::diagnostic::Vector;
use crate::diagnostic::{FixValue, Severity};
use crate::model::labels;
use crate::model::{Auth, Security};
use crate::providers::Endpoint;

pub(crate) const T201: SettingsRule = SettingsRule {
    rule: Rule {
        code: "T201",
        name: "cleartext-password",
        severity: Severity::Error,
        summary: "the password (or sign-in token) would travel unencrypted",
        what: "Security `none` on a server that is not on this computer, with a password, an app password, an \
               OAuth2 token, or no auth said (clients then send the password).",
        why: "Anyone on the path — the café's Wi-Fi, the hotel, the ISP — reads the password and the mail. \
              RFC 8314 requires TLS for mail access and submission.",
        example: "IMAP on 143 with `none` → `starttls` (better: 993 with `tls`).",
        references: &["RFC 8314 §3 and §5", "RFC 9051 §11.1", "RFC 2595 §2"],
    },
    check: cleartext_password,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "T201",
                "STARTTLS",
                r#"{"protocol":"imap","host":"imap.example.com","port":143,"security":"starttls"}"#,
            ),
            Vector::silent(
                "T201",
                "no encryption to a loopback bridge",
                r#"{"protocol":"imap","host":"127.0.0.1","port":1143,"security":"none","auth":"password"}"#,
            ),
            Vector::fires(
                "T201",
                "no encryption, nothing said about sign-in",
                r#"{"protocol":"imap","host":"imap.example.com","port":143,"security":"none"}"#,
            ),
            Vector::fires(
                "T201",
                "an app password without encryption",
                r#"{"protocol":"smtp","host":"smtp.example.com","port":587,"security":"none","auth":"app-password"}"#,
            ),
            Vector::fires(
                "T201",
                "an OAuth2 token without encryption",
                r#"{"protocol":"pop3","host":"pop.example.com","port":1110,"security":"none","auth":"oauth2"}"#,
            ),
        ]
    },
};

fn cleartext_password(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let Some(secret) = cleartext_secret(s).filter(|_| !s.host.is_loopback()) else {
            continue;
        };
        out.emit(
            &T201.rule,
            s.field(Field::Security),
            format!(
                "security is none: {secret} would travel unencrypted to {}",
                s.host.ascii
            ),
            cleartext_help(s),
            s.security_fix(),
        );
    }
}

/// For T201 and T202: on a server with security `none`, the secret the client sends, by its
/// sign-in ("your password"); `None` for no encryption where no secret travels, or one with its
/// own rule (challenge-response A308, certificates A310, no sign-in T203).
fn cleartext_secret(s: &ServerView) -> Option<&'static str> {
    if s.server.security != Security::None {
        return None;
    }
    match s.server.auth {
        None | Some(Auth::Password) => Some("your password"),
        Some(Auth::AppPassword) => Some("your app password"),
        Some(Auth::Oauth2) => Some("your sign-in token"),
        _ => None,
    }
}

/// The help of the cleartext rules: the security (and port) to set.
fn cleartext_help(s: &ServerView) -> String {
    match s.security_fix() {
        Some(_) => format!(
            "set security to {}{}",
            s.target.security,
            if s.target.port != s.server.port {
                format!(" and the port to {}", s.target.port)
            } else {
                String::new()
            }
        ),
        None => "use tls or starttls, with the port your provider documents for it".into(),
    }
}

pub(crate) const T202: SettingsRule = SettingsRule {
    rule: Rule {
        code: "T202",
        name: "cleartext-password-loopback",
        severity: Severity::Warning,
        summary: "the password travels unencrypted to a server on this computer",
        what: "Security `none` with a password to a loopback address (127.0.0.0/8, ::1, localhost), such as a \
               local bridge (Proton Mail Bridge) or proxy.",
        why: "It never leaves the computer, so this is how local bridges are often set up; but other programs and \
              users on the same machine can still listen, and a mistyped host would send the password over the \
              network. Use STARTTLS or TLS where the bridge offers it.",
        example: "`127.0.0.1:1143` with `none` → `starttls` (Proton Mail Bridge offers it).",
        references: &["RFC 8314 §3", "https://proton.me/support/protonmail-bridge-faq"],
    },
    check: cleartext_loopback,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "T202",
                "STARTTLS to a loopback bridge",
                r#"{"protocol":"imap","host":"127.0.0.1","port":1143,"security":"starttls","auth":"password"}"#,
            ),
            Vector::fires(
                "T202",
                "a password without encryption to 127.0.0.1",
                r#"{"protocol":"imap","host":"127.0.0.1","port":1143,"security":"none","auth":"password"}"#,
            ),
            Vector::fires(
                "T202",
                "no encryption to localhost",
                r#"{"protocol":"smtp","host":"localhost","port":1025,"security":"none"}"#,
            ),
        ]
    },
};

fn cleartext_loopback(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let Some(secret) = cleartext_secret(s).filter(|_| s.host.is_loopback()) else {
            continue;
        };
        out.emit(
            &T202.rule,
            s.field(Field::Security),
            format!(
                "security is none: {secret} goes unencrypted to {}; acceptable only because it stays on this computer",
                s.host.ascii
            ),
            if s.security_fix().is_some() {
                cleartext_help(s)
            } else {
                "use starttls or tls if the local bridge or proxy offers it".into()
            },
            s.security_fix(),
        );
    }
}

pub(crate) const T203: SettingsRule = SettingsRule {
    rule: Rule {
        code: "T203",
        name: "cleartext-connection",
        severity: Severity::Warning,
        summary: "mail travels unencrypted",
        what: "Security `none` with no sign-in at all, on a server that is not on this computer.",
        why:
            "No password is exposed, but every message read or sent can be read and changed on the way.",
        example: "SMTP on 587 with `none` and auth `none` → `starttls`.",
        references: &["RFC 8314 §3", "RFC 3207"],
    },
    check: cleartext_connection,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "T203",
                "no sign-in with STARTTLS",
                r#"{"protocol":"smtp","host":"smtp.example.com","port":587,"security":"starttls","auth":"none"}"#,
            ),
            Vector::fires(
                "T203",
                "no sign-in and no encryption",
                r#"{"protocol":"smtp","host":"smtp.example.com","port":587,"security":"none","auth":"none"}"#,
            ),
        ]
    },
};

fn cleartext_connection(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let no_sign_in = s.server.auth == Some(Auth::None);
        if s.server.security != Security::None || !no_sign_in || s.host.is_loopback() {
            continue;
        }
        out.emit(
            &T203.rule,
            s.field(Field::Security),
            "security is none: every message read or sent travels unencrypted".into(),
            cleartext_help(s),
            s.security_fix(),
        );
    }
}

pub(crate) const T204: SettingsRule = SettingsRule {
    rule: Rule {
        code: "T204",
        name: "starttls-implicit-available",
        severity: Severity::Info,
        summary: "the provider offers implicit TLS; prefer it to STARTTLS",
        what: "A provider's STARTTLS endpoint when the same provider offers the protocol with implicit TLS.",
        why: "STARTTLS begins in plain text: a network attacker can strip the upgrade, and many clients and servers \
              had command-injection bugs in the switch (the NO STARTTLS study, USENIX Security 2021). RFC 8314 \
              says clients should prefer implicit TLS.",
        example: "Gmail SMTP on 587 with `starttls` → 465 with `tls`.",
        references: &[
            "RFC 8314 §3 and §5",
            "Poddebniak et al., Why TLS is better without STARTTLS (USENIX Security 2021), https://nostarttls.secvuln.info/",
        ],
    },
    check: starttls_where_tls_offered,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "T204",
                "Gmail SMTP over implicit TLS",
                r#"{"protocol":"smtp","host":"smtp.gmail.com","port":465,"security":"tls"}"#,
            ),
            Vector::silent(
                "T204",
                "STARTTLS at an unknown provider",
                r#"{"protocol":"smtp","host":"smtp.example.com","port":587,"security":"starttls"}"#,
            ),
            Vector::fires(
                "T204",
                "Gmail SMTP with STARTTLS on 587",
                r#"{"protocol":"smtp","host":"smtp.gmail.com","port":587,"security":"starttls"}"#,
            ),
        ]
    },
};

fn starttls_where_tls_offered(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        starttls_advice(s, out);
    }
}

/// T204 on one server: a provider STARTTLS endpoint used exactly, when the provider offers
/// implicit TLS too.
fn starttls_advice(s: &ServerView, out: &mut Findings) {
    let (Some(p), Some(e)) = (s.provider, s.endpoint) else {
        return;
    };
    let srv = s.server;
    if srv.security != Security::Starttls || e.security != Security::Starttls || e.port != srv.port
    {
        return;
    }
    let implicit = |x: &&Endpoint| x.security == Security::Tls && x.variant == e.variant;
    let Some(tls) = p
        .servers_for(srv.protocol)
        .filter(implicit)
        .find(|x| x.host == e.host)
        .or_else(|| p.servers_for(srv.protocol).find(implicit))
    else {
        return;
    };
    let message = format!(
        "{} also documents {} on {}, port {} with {}; STARTTLS can be stripped or injected on the way (RFC 8314 prefers implicit TLS)",
        p.name,
        labels::protocol(srv.protocol),
        tls.host,
        tls.port,
        labels::security_in_messages(Security::Tls)
    );
    let help = format!("set security to tls and the port to {}", tls.port);
    if tls.host != e.host {
        // Another host too: one finding on the host would be needed; advice only.
        out.emit(&T204.rule, s.field(Field::Security), message, help, None);
        return;
    }
    // The change is two fields; both findings carry their half so `fixed` stays consistent.
    out.emit(
        &T204.rule,
        s.field(Field::Security),
        message,
        help.clone(),
        Some(FixValue::Security(Security::Tls)),
    );
    out.emit(
        &T204.rule,
        s.field(Field::Port),
        format!(
            "{} documents {} with implicit TLS on port {}",
            p.name,
            labels::protocol(srv.protocol),
            tls.port
        ),
        help,
        Some(FixValue::Port(tls.port)),
    );
}

pub(crate) const T205: SettingsRule = SettingsRule {
    rule: Rule {
        code: "T205",
        name: "security-not-providers",
        severity: Severity::Error,
        summary: "the provider documents another connection security on this very port",
        what: "A known provider's server on a host and port the provider documents for the protocol with implicit \
               TLS where the settings start in plain text (STARTTLS or none), or the other way round: a port speaks \
               TLS from the first byte or not at all.",
        why: "The client and the server disagree on when TLS starts; the connection fails.",
        example: "Proton Mail Bridge on 127.0.0.1:1143 with `tls` → `starttls`.",
        references: &["RFC 8314 §3.3", "the provider table (`mailsetup providers`)"],
    },
    check: security_not_providers,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "T205",
                "Gmail's security",
                r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls"}"#,
            ),
            Vector::silent(
                "T205",
                "STARTTLS on 143 at Gmail, a port Gmail does not document (P108, T206)",
                r#"{"protocol":"imap","host":"imap.gmail.com","port":143,"security":"starttls"}"#,
            ),
            Vector::fires(
                "T205",
                "implicit TLS on Proton Mail Bridge's STARTTLS port",
                r#"{"email":"me@proton.me","incoming":{"protocol":"imap","host":"127.0.0.1","port":1143,"security":"tls"}}"#,
            ),
            Vector::fires(
                "T205",
                "STARTTLS on Spectrum's port 587, which speaks implicit TLS there",
                r#"{"email":"me@charter.net","incoming":{"protocol":"imap","host":"mobile.charter.net","port":993,"security":"tls"},"outgoing":{"protocol":"smtp","host":"mobile.charter.net","port":587,"security":"starttls"}}"#,
            ),
        ]
    },
};

fn security_not_providers(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let srv = s.server;
        if s.documented != Documented::SecurityNot || s.target.security == srv.security {
            continue;
        }
        // Only implicit TLS against a plain start cannot connect: no security on a STARTTLS port
        // still connects (the cleartext rules speak about it), and STARTTLS where a port is
        // documented without any may be offered all the same.
        if (srv.security == Security::Tls) == (s.target.security == Security::Tls) {
            continue;
        }
        out.emit(
            &T205.rule,
            s.field(Field::Security),
            format!(
                "{}; security {} does not connect on that port",
                s.endpoint_label().unwrap_or_default(),
                srv.security
            ),
            format!("set security to {}", s.target.security),
            s.security_fix(),
        );
    }
}

pub(crate) const T206: SettingsRule = SettingsRule {
    rule: Rule {
        code: "T206",
        name: "security-not-documented",
        severity: Severity::Warning,
        summary: "the provider documents another connection security for this server",
        what: "A known provider's server whose port the provider does not document (P108 says so), with a \
               security other than the one that goes with the documented port (and that no more specific rule \
               explains).",
        why: "Moving to the documented port means moving to its security too; the two are one setting.",
        example: "`imap.gmail.com` on 143 with `starttls` → 993 with `tls`.",
        references: &["RFC 8314 §3.3", "the provider table (`mailsetup providers`)"],
    },
    check: security_not_documented,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "T206",
                "Gmail's documented endpoint",
                r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls"}"#,
            ),
            Vector::fires(
                "T206",
                "STARTTLS on 143 at Gmail, which documents 993 with implicit TLS",
                r#"{"protocol":"imap","host":"imap.gmail.com","port":143,"security":"starttls"}"#,
            ),
        ]
    },
};

fn security_not_documented(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let srv = s.server;
        if s.documented != Documented::PortNot
            || s.endpoint.is_none()
            || s.target.security == srv.security
        {
            continue;
        }
        out.emit(
            &T206.rule,
            s.field(Field::Security),
            format!(
                "{}; security {} goes with another port",
                s.endpoint_label().unwrap_or_default(),
                srv.security
            ),
            format!(
                "set security to {} with port {}",
                s.target.security, s.target.port
            ),
            s.security_fix(),
        );
    }
}

pub(crate) const T207: SettingsRule = SettingsRule {
    rule: Rule {
        code: "T207",
        name: "provider-refuses-unencrypted",
        severity: Severity::Error,
        summary: "a source says the provider refuses unencrypted connections",
        what: "Security `none` at a provider whose sources say it accepts only encrypted connections (T-Online \
               since 2014, Fastmail, Autistici).",
        why: "The server refuses the connection or the sign-in; no setting but encryption works.",
        example: "T-Online IMAP on 143 with `none` → 993 with `tls`.",
        references: &["RFC 8314", "the provider table (`mailsetup providers`)"],
    },
    check: provider_refuses_unencrypted,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "T207",
                "T-Online over implicit TLS",
                r#"{"email":"me@t-online.de","incoming":{"protocol":"imap","host":"secureimap.t-online.de","port":993,"security":"tls"}}"#,
            ),
            Vector::silent(
                "T207",
                "no security at an unknown provider (T201/T203 speak)",
                r#"{"protocol":"imap","host":"imap.example.com","port":143,"security":"none"}"#,
            ),
            Vector::fires(
                "T207",
                "T-Online without encryption",
                r#"{"email":"me@t-online.de","incoming":{"protocol":"imap","host":"secureimap.t-online.de","port":143,"security":"none"}}"#,
            ),
        ]
    },
};

fn provider_refuses_unencrypted(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let srv = s.server;
        let Some(p) = s.provider else {
            continue;
        };
        if srv.security != Security::None || s.host.is_loopback() {
            continue;
        }
        let Some(fact) = p.unencrypted_not_offered() else {
            continue;
        };
        out.emit(
            &T207.rule,
            s.field(Field::Security),
            format!(
                "{} refuses unencrypted connections: {} ({})",
                p.name,
                fact.summary.trim_end_matches('.'),
                p.attribution(fact)
            ),
            match s.security_fix() {
                Some(_) => format!(
                    "set security to {} (port {})",
                    s.target.security, s.target.port
                ),
                None => "use tls or starttls, with the port the provider documents for it".into(),
            },
            s.security_fix(),
        );
    }
}
