//! A: authentication and username — the username's presence, form and syntax, the email
//! address's syntax, and authentication methods against the connection security.

use super::analysis::{Analysis, Field, ServerView, UsernameParts};
use super::findings::Findings;
use super::registry::SettingsRule;
use super::target::needs_username;
#[cfg(test)]
use crate::diagnostic::Vector;
use crate::diagnostic::{FixValue, Rule, Severity};
use crate::model::email::address_problem;
use crate::model::labels;
use crate::model::{Auth, Protocol};
use crate::providers::Mechanism;
use crate::providers::UsernameFormat;
use crate::text::Quoted;

pub(crate) const A301: SettingsRule = SettingsRule {
    rule: Rule {
        code: "A301",
        name: "username-empty",
        severity: Severity::Error,
        summary: "the username is empty",
        what: "A username that is empty or only spaces (or only Gmail's `recent:` prefix) where the server needs \
               a sign-in.",
        why: "The server cannot tell whose mailbox to open; the sign-in fails.",
        example: "`\"username\": \"\"` with `me@gmail.com` → `me@gmail.com`.",
        references: &["RFC 9051 §6.2.3", "RFC 1939 §7", "RFC 4954 §4"],
    },
    check: username_empty,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "A301",
                "a username is given",
                r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls","username":"me"}"#,
            ),
            Vector::silent(
                "A301",
                "no sign-in: an empty username does not matter",
                r#"{"protocol":"smtp","host":"smtp.example.com","port":465,"security":"tls","auth":"none","username":""}"#,
            ),
            Vector::fires(
                "A301",
                "a username of spaces only",
                r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls","username":"  "}"#,
            ),
            Vector::fires(
                "A301",
                "an empty username at Gmail",
                r#"{"email":"me@gmail.com","incoming":{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","username":""}}"#,
            ),
        ]
    },
};

fn username_empty(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        if !typed_username(s).is_some_and(|u| u.core.is_empty()) {
            continue;
        }
        out.emit(
            &A301.rule,
            s.field(Field::Username),
            "the username is empty".into(),
            username_help(
                s,
                "type the username your provider gives, usually your email address",
            ),
            s.username_fix(),
        );
    }
}

/// The typed username, taken apart, when the server signs in with one (the sign-in it will have
/// once fixed decides): what the username rules judge.
fn typed_username<'a>(s: &ServerView<'a>) -> Option<UsernameParts<'a>> {
    s.username.filter(|_| needs_username(s.target.auth))
}

/// The help of a username rule: the username to set when the fix knows it, else `what`.
fn username_help(s: &ServerView, what: &str) -> String {
    match s.username_fix() {
        Some(FixValue::Text(t)) => format!("set the username to {t}"),
        _ => what.to_owned(),
    }
}

pub(crate) const A302: SettingsRule = SettingsRule {
    rule: Rule {
        code: "A302",
        name: "username-not-given",
        severity: Severity::Info,
        summary: "no username is given; the provider's form is known",
        what: "An account with an email address at a known provider whose server has no username.",
        why: "Clients guess the username, and guess the wrong form at providers that want the whole address or \
              only the part before the @.",
        example: "`me@gmail.com` without a username → `me@gmail.com`.",
        references: &["the provider table (`mailsetup providers`)"],
    },
    check: username_missing,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "A302",
                "the Gmail address as the username",
                r#"{"email":"me@gmail.com","incoming":{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","username":"me@gmail.com"}}"#,
            ),
            Vector::silent(
                "A302",
                "no address to derive a username from",
                r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls"}"#,
            ),
            Vector::fires(
                "A302",
                "a Gmail account with no username",
                r#"{"email":"me@gmail.com","incoming":{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls"}}"#,
            ),
        ]
    },
};

fn username_missing(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        if s.username.is_some() || !needs_username(s.target.auth) {
            continue;
        }
        let (Some(target), Some(p)) = (&s.target.username, s.provider) else {
            continue;
        };
        out.emit(
            &A302.rule,
            s.field(Field::Username),
            format!(
                "no username is given; {} signs in to {} with {target}",
                p.name,
                labels::protocol(s.server.protocol)
            ),
            format!("set the username to {target}"),
            s.username_fix(),
        );
    }
}

pub(crate) const A303: SettingsRule = SettingsRule {
    rule: Rule {
        code: "A303",
        name: "username-whitespace",
        severity: Severity::Error,
        summary: "the username has spaces in it or around it",
        what: "Leading, trailing or inner whitespace in the username.",
        why: "Servers compare the username exactly; a pasted space makes the sign-in fail with a \"wrong \
              password\" message that sends people looking in the wrong place.",
        example: "`\" me@example.com \"` → `me@example.com`.",
        references: &["RFC 5321 §4.1.2", "RFC 4616 §2"],
    },
    check: username_whitespace,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "A303",
                "a clean username",
                r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls","username":"me@example.com"}"#,
            ),
            Vector::fires(
                "A303",
                "spaces around the username",
                r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls","username":" me@example.com "}"#,
            ),
            Vector::fires(
                "A303",
                "a space inside the username",
                r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls","username":"john smith"}"#,
            ),
        ]
    },
};

fn username_whitespace(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let Some(u) = typed_username(s).filter(|u| u.has_whitespace()) else {
            continue;
        };
        out.emit(
            &A303.rule,
            s.field(Field::Username),
            format!(
                "the username {} has spaces in it or around it",
                Quoted(u.raw)
            ),
            username_help(s, "remove the spaces"),
            s.username_fix(),
        );
    }
}

pub(crate) const A304: SettingsRule = SettingsRule {
    rule: Rule {
        code: "A304",
        name: "username-format",
        severity: Severity::Error,
        summary: "the username has the wrong form for this provider",
        what: "Only the part before the @ where the provider's own documentation wants the whole email address, \
               or the whole address where it wants only the part before the @ (A312 speaks where only a \
               database lists the form).",
        why: "The provider looks the account up by exactly that form; the other one fails to sign in.",
        example: "Gmail with `me` → `me@gmail.com`.",
        references: &["the provider table (`mailsetup providers`)"],
    },
    check: username_form,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "A304",
                "the whole address at Gmail",
                r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","username":"me@gmail.com"}"#,
            ),
            Vector::silent(
                "A304",
                "only the local part at iCloud IMAP",
                r#"{"protocol":"imap","host":"imap.mail.me.com","port":993,"security":"tls","username":"me"}"#,
            ),
            Vector::fires(
                "A304",
                "only the local part at Gmail",
                r#"{"email":"me@gmail.com","incoming":{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","username":"me"}}"#,
            ),
            Vector::fires(
                "A304",
                "the local part at Gmail SMTP, which wants the address",
                r#"{"protocol":"smtp","host":"smtp.gmail.com","port":465,"security":"tls","username":"me"}"#,
            ),
        ]
    },
};

fn username_form(a: &Analysis, out: &mut Findings) {
    username_form_rule(a, out, true);
}

/// A304 (`confirmed`: the provider's own documentation gives the form) or A312 (only a database
/// or a third party does).
fn username_form_rule(a: &Analysis, out: &mut Findings, confirmed: bool) {
    for s in &a.servers {
        let Some(u) = typed_username(s) else {
            continue;
        };
        if s.endpoint.is_some_and(|e| e.confirmed) != confirmed {
            continue;
        }
        let p = s.provider;
        let pname = p.map_or("", |p| p.name.as_str());
        let per = match (p, s.endpoint) {
            (Some(p), Some(e)) => format!(" ({})", p.attribution(e)),
            _ => String::new(),
        };
        let (message, what) = match s.username_format() {
            Some(UsernameFormat::EmailAddress) if !u.at => (
                format!(
                    "{pname} wants the whole email address as the username, not only {}{per}",
                    Quoted(u.core)
                ),
                "type your whole email address as the username",
            ),
            Some(UsernameFormat::LocalPart) if u.at => (
                format!(
                    "{pname} wants only the part before the @ as the username, not {}{per}",
                    Quoted(u.core)
                ),
                "type only the part before the @",
            ),
            _ => continue,
        };
        let rule = if confirmed { &A304.rule } else { &A312.rule };
        out.emit(
            rule,
            s.field(Field::Username),
            message,
            username_help(s, what),
            s.username_fix(),
        );
    }
}

pub(crate) const A312: SettingsRule = SettingsRule {
    rule: Rule {
        code: "A312",
        name: "username-format-unconfirmed",
        severity: Severity::Warning,
        summary: "the username has another form than a database lists for this provider",
        what: "Only the part before the @ where the provider's server is listed (by ISPDB, Delta Chat's \
               database or a third party, not by the provider's own documentation) with the whole address, or \
               the other way round. A304 speaks where the provider's own documentation gives the form.",
        why: "Databases copy each other and servers often take both forms, so the form is likely but not \
              certain; if the sign-in fails, the listed form is the first thing to try.",
        example: "KPN with `me` → `me@kpnmail.nl`, as ISPDB lists it.",
        references: &["the provider table (`mailsetup providers`)"],
    },
    check: username_form_unconfirmed,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "A312",
                "the whole address at KPN, as listed",
                r#"{"email":"me@kpnmail.nl","incoming":{"protocol":"imap","host":"imap.kpnmail.nl","port":993,"security":"tls","username":"me@kpnmail.nl"}}"#,
            ),
            Vector::silent(
                "A312",
                "the local part at Gmail, whose own page gives the form (A304)",
                r#"{"email":"me@gmail.com","incoming":{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","username":"me"}}"#,
            ),
            Vector::fires(
                "A312",
                "the local part at KPN, where ISPDB lists the whole address",
                r#"{"email":"me@kpnmail.nl","incoming":{"protocol":"imap","host":"imap.kpnmail.nl","port":993,"security":"tls","username":"me"}}"#,
            ),
        ]
    },
};

fn username_form_unconfirmed(a: &Analysis, out: &mut Findings) {
    username_form_rule(a, out, false);
}

pub(crate) const A305: SettingsRule = SettingsRule {
    rule: Rule {
        code: "A305",
        name: "username-syntax",
        severity: Severity::Error,
        summary: "the username looks like an email address but is not a valid one",
        what: "A username with an @ that is not a valid `local@domain`: two @, nothing before or after it, a \
               domain that is not a host name.",
        why: "It is a typo of the address; the sign-in fails.",
        example: "`me@@gmail.com` → `me@gmail.com`.",
        references: &["RFC 5321 §4.1.2", "RFC 5322 §3.4.1"],
    },
    check: username_invalid_address,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "A305",
                "a valid address as the username",
                r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls","username":"me@example.com"}"#,
            ),
            Vector::fires(
                "A305",
                "two @ in the username",
                r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls","username":"me@@example.com"}"#,
            ),
            Vector::fires(
                "A305",
                "a username address whose domain has no dot",
                r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls","username":"me@example"}"#,
            ),
        ]
    },
};

fn username_invalid_address(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let Some(u) = typed_username(s) else {
            continue;
        };
        let Some(why) = u.address_problem else {
            continue;
        };
        out.emit(
            &A305.rule,
            s.field(Field::Username),
            format!(
                "the username {} is not a valid email address: {why}",
                Quoted(u.core)
            ),
            username_help(s, "check the address for typos"),
            s.username_fix(),
        );
    }
}

pub(crate) const A306: SettingsRule = SettingsRule {
    rule: Rule {
        code: "A306",
        name: "email-syntax",
        severity: Severity::Error,
        summary: "the email address is not a valid address",
        what: "An `email` that is not a valid `local@domain`.",
        why: "The address selects the provider and the username; an invalid one leads every later guess astray, \
              and mail sent from it is refused.",
        example: "`me.gmail.com` → `me@gmail.com`.",
        references: &["RFC 5322 §3.4.1", "RFC 5321 §4.1.2", "RFC 6531"],
    },
    check: email_invalid,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "A306",
                "a valid address",
                r#"{"email":"me@example.com","incoming":{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"}}"#,
            ),
            Vector::silent(
                "A306",
                "an internationalised address",
                r#"{"email":"jörg@bücher.example","incoming":{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"}}"#,
            ),
            Vector::fires(
                "A306",
                "an address without @",
                r#"{"email":"me.example.com","incoming":{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"}}"#,
            ),
            Vector::fires(
                "A306",
                "two dots in a row in the domain",
                r#"{"email":"me@example..com","incoming":{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"}}"#,
            ),
            Vector::fires(
                "A306",
                "a domain without a dot",
                r#"{"email":"me@localhost","incoming":{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"}}"#,
            ),
        ]
    },
};

fn email_invalid(a: &Analysis, out: &mut Findings) {
    let Some(typed) = a.settings.email() else {
        return;
    };
    let t = typed.trim();
    let why = if t.is_empty() {
        "it is empty"
    } else {
        match address_problem(t) {
            Ok(()) => return,
            Err(why) => why,
        }
    };
    out.emit(
        &A306.rule,
        "email",
        format!("{} is not a valid email address: {why}", Quoted(typed)),
        "type the whole address, like name@example.com".into(),
        None,
    );
}

pub(crate) const A307: SettingsRule = SettingsRule {
    rule: Rule {
        code: "A307",
        name: "username-other-provider",
        severity: Severity::Warning,
        summary: "the username is an address at another provider",
        what:
            "A username that is an address at a known provider other than the one whose server this is.",
        why: "Usually the address of another account pasted by mistake; the server does not know it.",
        example: "`me@icloud.com` on `imap.gmail.com` → the Gmail address.",
        references: &["the provider table (`mailsetup providers`)"],
    },
    check: username_other_provider,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "A307",
                "a googlemail.com address at Gmail",
                r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","username":"me@googlemail.com"}"#,
            ),
            Vector::fires(
                "A307",
                "an iCloud address as the username at Gmail",
                r#"{"email":"me@gmail.com","incoming":{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","username":"me@icloud.com"}}"#,
            ),
        ]
    },
};

fn username_other_provider(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let Some(u) = typed_username(s) else {
            continue;
        };
        let (Some(q), Some(p)) = (u.domain_provider, s.provider) else {
            continue;
        };
        if q.id == p.id {
            continue;
        }
        out.emit(
            &A307.rule,
            s.field(Field::Username),
            format!(
                "the username {} is an address at {}, but this server belongs to {}",
                u.core, q.name, p.name
            ),
            username_help(s, &format!("type the address of your {} account", p.name)),
            s.username_fix(),
        );
    }
}

pub(crate) const A308: SettingsRule = SettingsRule {
    rule: Rule {
        code: "A308",
        name: "encrypted-password-without-tls",
        severity: Severity::Error,
        summary: "encrypted-password (CRAM-MD5, APOP) is no substitute for TLS",
        what: "Auth `encrypted-password` on a connection with security `none`.",
        why: "Challenge-response hides the password itself, not the mail; a recorded exchange can be cracked \
              offline (MD5), and an attacker in the middle can make the client fall back to a plain password. \
              Only TLS protects the session.",
        example: "POP3 on 110 with `none` and `encrypted-password` → `starttls`.",
        references: &["RFC 8314 §3", "RFC 2195", "RFC 1939 §7 (APOP)", "RFC 6331"],
    },
    check: encrypted_password_cleartext,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "A308",
                "encrypted password over TLS",
                r#"{"protocol":"pop3","host":"pop.example.com","port":995,"security":"tls","auth":"encrypted-password"}"#,
            ),
            Vector::fires(
                "A308",
                "encrypted password without TLS",
                r#"{"protocol":"pop3","host":"pop.example.com","port":110,"security":"none","auth":"encrypted-password"}"#,
            ),
        ]
    },
};

fn encrypted_password_cleartext(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        if s.server.auth != Some(Auth::EncryptedPassword) || s.server.security.is_encrypted() {
            continue;
        }
        out.emit(
            &A308.rule,
            s.field(Field::Security),
            "encrypted-password hides the password but not the mail, and a recorded exchange can be cracked offline: it is no substitute for TLS".into(),
            security_help(s),
            s.security_fix(),
        );
    }
}

/// The help of A308 and A310: the security to set.
fn security_help(s: &ServerView) -> String {
    match s.security_fix() {
        Some(_) => format!("set security to {}", s.target.security),
        None => "use tls or starttls, with the port your provider documents for it".into(),
    }
}

pub(crate) const A309: SettingsRule = SettingsRule {
    rule: Rule {
        code: "A309",
        name: "encrypted-password-obsolete",
        severity: Severity::Info,
        summary: "over TLS, encrypted-password adds nothing and is often unsupported",
        what: "Auth `encrypted-password` on an encrypted connection to a server of no known provider.",
        why: "Inside TLS the password is already protected; CRAM-MD5 and APOP need the server to store the \
              password in a reversible form, and many servers have dropped them, so the sign-in fails.",
        example: "`encrypted-password` over TLS → `password`, unless the provider documents CRAM-MD5.",
        references: &["RFC 8314 §3", "RFC 6331", "RFC 2195"],
    },
    check: encrypted_password_unneeded,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "A309",
                "the normal password over TLS",
                r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls","auth":"password"}"#,
            ),
            Vector::fires(
                "A309",
                "encrypted password over TLS at an unknown provider",
                r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls","auth":"encrypted-password"}"#,
            ),
        ]
    },
};

fn encrypted_password_unneeded(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let over_tls = s.server.security.is_encrypted();
        if s.server.auth != Some(Auth::EncryptedPassword) || !over_tls || s.provider.is_some() {
            continue;
        }
        out.emit(
            &A309.rule,
            s.field(Field::Auth),
            "over TLS, encrypted-password (CRAM-MD5, APOP) adds nothing, and many servers no longer offer it".into(),
            "use password (it travels inside TLS) unless your provider documents encrypted-password".into(),
            None,
        );
    }
}

pub(crate) const A310: SettingsRule = SettingsRule {
    rule: Rule {
        code: "A310",
        name: "client-certificate-without-tls",
        severity: Severity::Error,
        summary: "a client certificate needs TLS",
        what: "Auth `client-certificate` on a connection with security `none`.",
        why: "The certificate is presented in the TLS handshake; without TLS there is nothing to sign in with.",
        example: "`client-certificate` with `none` on 143 → `starttls`.",
        references: &["RFC 8446 §4.4.2", "RFC 4422 Appendix A (EXTERNAL)"],
    },
    check: client_certificate_cleartext,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "A310",
                "a client certificate over TLS",
                r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls","auth":"client-certificate"}"#,
            ),
            Vector::fires(
                "A310",
                "a client certificate without TLS",
                r#"{"protocol":"imap","host":"imap.example.com","port":143,"security":"none","auth":"client-certificate"}"#,
            ),
        ]
    },
};

fn client_certificate_cleartext(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        if s.server.auth != Some(Auth::ClientCertificate) || s.server.security.is_encrypted() {
            continue;
        }
        out.emit(
            &A310.rule,
            s.field(Field::Security),
            "a client certificate is presented in the TLS handshake, and security none has no handshake".into(),
            security_help(s),
            s.security_fix(),
        );
    }
}

pub(crate) const A311: SettingsRule = SettingsRule {
    rule: Rule {
        code: "A311",
        name: "auth-none",
        severity: Severity::Warning,
        summary: "no sign-in: the server will almost certainly refuse",
        what: "Auth `none` on a server that is not on this computer, unless the provider documents sending without \
               sign-in from its own network (an ISP's relay: ISPDB's `none` or `client-IP-address` for SMTP).",
        why: "IMAP and POP3 servers open a mailbox only after sign-in, and submission servers send only for \
              signed-in users (RFC 6409 §4.3) or for the network of the provider that runs them (an ISP's relay, \
              which refuses everyone elsewhere); an open relay would be abused within hours.",
        example: "Gmail with auth `none` → `oauth2`.",
        references: &["RFC 6409 §4.3", "RFC 4954", "RFC 9051 §3"],
    },
    check: auth_none,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "A311",
                "sign-in with a password",
                r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls","auth":"password"}"#,
            ),
            Vector::silent(
                "A311",
                "an ISP's relay that ISPDB documents without sign-in",
                r#"{"protocol":"smtp","host":"smtp.kokuyou.ne.jp","port":25,"security":"none","auth":"none"}"#,
            ),
            Vector::fires(
                "A311",
                "no sign-in at Gmail IMAP",
                r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","auth":"none"}"#,
            ),
            Vector::fires(
                "A311",
                "no sign-in for sending",
                r#"{"protocol":"smtp","host":"smtp.example.com","port":587,"security":"starttls","auth":"none"}"#,
            ),
        ]
    },
};

fn auth_none(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        if s.server.auth != Some(Auth::None) || s.host.is_loopback() {
            continue;
        }
        let relay = s.server.protocol == Protocol::Smtp
            && s.provider.is_some_and(|p| {
                p.mechanisms_for(Protocol::Smtp)
                    .any(|m| matches!(m, Mechanism::None | Mechanism::ClientIpAddress))
            });
        if relay {
            continue;
        }
        let why = if s.server.protocol.is_incoming() {
            "the server opens a mailbox only after sign-in"
        } else {
            "a submission server sends mail only for signed-in users, or, at an internet provider's relay, only from that provider's own network"
        };
        out.emit(
            &A311.rule,
            s.field(Field::Auth),
            format!("auth is none: {why}"),
            match s.auth_fix() {
                Some(_) => format!("set auth to {}", s.target.auth.map_or("", |a| a.as_str())),
                None => "set auth to the method your provider documents, usually password".into(),
            },
            s.auth_fix(),
        );
    }
}
