//! A: authentication and username — the username's presence, form and syntax, the email
//! address's syntax, and authentication methods against the connection security.

use super::analysis::{Analysis, Field, ServerView};
use super::findings::Findings;
use super::target::{format_for, needs_username};
use crate::diagnostic::Rule;
use crate::diagnostic::{FixValue, Severity};
use crate::model::email::address_problem;
use crate::model::labels;
use crate::model::Auth;
use crate::providers::UsernameFormat;
use crate::text::Quoted;

pub(crate) const A301: Rule = Rule {
    code: "A301",
    name: "username-empty",
    severity: Severity::Error,
    summary: "the username is empty",
    what: "A username that is empty or only spaces (or only Gmail's `recent:` prefix) where the server needs \
           a sign-in.",
    why: "The server cannot tell whose mailbox to open; the sign-in fails.",
    example: "`\"username\": \"\"` with `me@gmail.com` → `me@gmail.com`.",
    references: &["RFC 9051 §6.2.3", "RFC 1939 §7", "RFC 4954 §4"],
    pass: &[
        r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls","username":"me"}"#,
        r#"{"protocol":"smtp","host":"smtp.example.com","port":465,"security":"tls","auth":"none","username":""}"#,
    ],
    fail: &[
        r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls","username":"  "}"#,
        r#"{"email":"me@gmail.com","incoming":{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","username":""}}"#,
    ],
};

pub(crate) const A302: Rule = Rule {
    code: "A302",
    name: "username-not-given",
    severity: Severity::Info,
    summary: "no username is given; the provider's form is known",
    what: "An account with an email address at a known provider whose server has no username.",
    why: "Clients guess the username, and guess the wrong form at providers that want the whole address or \
          only the part before the @.",
    example: "`me@gmail.com` without a username → `me@gmail.com`.",
    references: &["the provider table (`mailsetup providers`)"],
    pass: &[
        r#"{"email":"me@gmail.com","incoming":{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","username":"me@gmail.com"}}"#,
        r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls"}"#,
    ],
    fail: &[
        r#"{"email":"me@gmail.com","incoming":{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls"}}"#,
    ],
};

pub(crate) const A303: Rule = Rule {
    code: "A303",
    name: "username-whitespace",
    severity: Severity::Error,
    summary: "the username has spaces in it or around it",
    what: "Leading, trailing or inner whitespace in the username.",
    why: "Servers compare the username exactly; a pasted space makes the sign-in fail with a \"wrong \
          password\" message that sends people looking in the wrong place.",
    example: "`\" me@example.com \"` → `me@example.com`.",
    references: &["RFC 5321 §4.1.2", "RFC 4616 §2"],
    pass: &[r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls","username":"me@example.com"}"#],
    fail: &[
        r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls","username":" me@example.com "}"#,
        r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls","username":"john smith"}"#,
    ],
};

pub(crate) const A304: Rule = Rule {
    code: "A304",
    name: "username-format",
    severity: Severity::Error,
    summary: "the username has the wrong form for this provider",
    what: "Only the part before the @ where the provider wants the whole email address, or the whole address \
           where it wants only the part before the @.",
    why: "The provider looks the account up by exactly that form; the other one fails to sign in.",
    example: "Gmail with `me` → `me@gmail.com`.",
    references: &["the provider table (`mailsetup providers`)"],
    pass: &[
        r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","username":"me@gmail.com"}"#,
        r#"{"protocol":"imap","host":"imap.mail.me.com","port":993,"security":"tls","username":"me"}"#,
    ],
    fail: &[
        r#"{"email":"me@gmail.com","incoming":{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","username":"me"}}"#,
        r#"{"protocol":"smtp","host":"smtp.mail.me.com","port":587,"security":"starttls","username":"me"}"#,
    ],
};

pub(crate) const A305: Rule = Rule {
    code: "A305",
    name: "username-syntax",
    severity: Severity::Error,
    summary: "the username looks like an email address but is not a valid one",
    what: "A username with an @ that is not a valid `local@domain`: two @, nothing before or after it, a \
           domain that is not a host name.",
    why: "It is a typo of the address; the sign-in fails.",
    example: "`me@@gmail.com` → `me@gmail.com`.",
    references: &["RFC 5321 §4.1.2", "RFC 5322 §3.4.1"],
    pass: &[r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls","username":"me@example.com"}"#],
    fail: &[
        r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls","username":"me@@example.com"}"#,
        r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls","username":"me@example"}"#,
    ],
};

pub(crate) const A306: Rule = Rule {
    code: "A306",
    name: "email-syntax",
    severity: Severity::Error,
    summary: "the email address is not a valid address",
    what: "An `email` that is not a valid `local@domain`.",
    why: "The address selects the provider and the username; an invalid one leads every later guess astray, \
          and mail sent from it is refused.",
    example: "`me.gmail.com` → `me@gmail.com`.",
    references: &["RFC 5322 §3.4.1", "RFC 5321 §4.1.2", "RFC 6531"],
    pass: &[
        r#"{"email":"me@example.com","incoming":{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"}}"#,
        r#"{"email":"jörg@bücher.example","incoming":{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"}}"#,
    ],
    fail: &[
        r#"{"email":"me.example.com","incoming":{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"}}"#,
        r#"{"email":"me@example..com","incoming":{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"}}"#,
        r#"{"email":"me@localhost","incoming":{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"}}"#,
    ],
};

pub(crate) const A307: Rule = Rule {
    code: "A307",
    name: "username-other-provider",
    severity: Severity::Warning,
    summary: "the username is an address at another provider",
    what:
        "A username that is an address at a known provider other than the one whose server this is.",
    why: "Usually the address of another account pasted by mistake; the server does not know it.",
    example: "`me@icloud.com` on `imap.gmail.com` → the Gmail address.",
    references: &["the provider table (`mailsetup providers`)"],
    pass: &[
        r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","username":"me@googlemail.com"}"#,
    ],
    fail: &[
        r#"{"email":"me@gmail.com","incoming":{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","username":"me@icloud.com"}}"#,
    ],
};

pub(crate) const A308: Rule = Rule {
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
    pass: &[r#"{"protocol":"pop3","host":"pop.example.com","port":995,"security":"tls","auth":"encrypted-password"}"#],
    fail: &[r#"{"protocol":"pop3","host":"pop.example.com","port":110,"security":"none","auth":"encrypted-password"}"#],
};

pub(crate) const A309: Rule = Rule {
    code: "A309",
    name: "encrypted-password-obsolete",
    severity: Severity::Info,
    summary: "over TLS, encrypted-password adds nothing and is often unsupported",
    what: "Auth `encrypted-password` on an encrypted connection to a server of no known provider.",
    why: "Inside TLS the password is already protected; CRAM-MD5 and APOP need the server to store the \
          password in a reversible form, and many servers have dropped them, so the sign-in fails.",
    example: "`encrypted-password` over TLS → `password`, unless the provider documents CRAM-MD5.",
    references: &["RFC 8314 §3", "RFC 6331", "RFC 2195"],
    pass: &[r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls","auth":"password"}"#],
    fail: &[r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls","auth":"encrypted-password"}"#],
};

pub(crate) const A310: Rule = Rule {
    code: "A310",
    name: "client-certificate-without-tls",
    severity: Severity::Error,
    summary: "a client certificate needs TLS",
    what: "Auth `client-certificate` on a connection with security `none`.",
    why: "The certificate is presented in the TLS handshake; without TLS there is nothing to sign in with.",
    example: "`client-certificate` with `none` on 143 → `starttls`.",
    references: &["RFC 8446 §4.4.2", "RFC 4422 Appendix A (EXTERNAL)"],
    pass: &[r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls","auth":"client-certificate"}"#],
    fail: &[r#"{"protocol":"imap","host":"imap.example.com","port":143,"security":"none","auth":"client-certificate"}"#],
};

pub(crate) const A311: Rule = Rule {
    code: "A311",
    name: "auth-none",
    severity: Severity::Warning,
    summary: "no sign-in: the server will almost certainly refuse",
    what: "Auth `none` on a server that is not on this computer.",
    why: "IMAP and POP3 servers open a mailbox only after sign-in, and submission servers send only for \
          signed-in users (RFC 6409 §4.3); an open relay would be abused within hours.",
    example: "Gmail with auth `none` → `oauth2`.",
    references: &["RFC 6409 §4.3", "RFC 4954", "RFC 9051 §3"],
    pass: &[r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls","auth":"password"}"#],
    fail: &[
        r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","auth":"none"}"#,
        r#"{"protocol":"smtp","host":"smtp.example.com","port":587,"security":"starttls","auth":"none"}"#,
    ],
};

pub(super) fn check(a: &Analysis, out: &mut Findings) {
    email_syntax(a, out);
    for s in &a.servers {
        username(s, out);
        auth_security(s, out);
    }
}

/// A306.
fn email_syntax(a: &Analysis, out: &mut Findings) {
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
        &A306,
        "email",
        format!("{} is not a valid email address: {why}", Quoted(typed)),
        "type the whole address, like name@example.com".into(),
        None,
    );
}

/// A301–A305, A307.
fn username(s: &ServerView, out: &mut Findings) {
    let field = s.field(Field::Username);
    let fix = s.username_fix();
    // The sign-in the server will have once fixed decides whether a username is needed.
    if !needs_username(s.target.auth) {
        return;
    }
    let Some(u) = s.username else {
        if let (Some(target), Some(p)) = (&s.target.username, s.provider) {
            out.emit(
                &A302,
                field,
                format!(
                    "no username is given; {} signs in to {} with {target}",
                    p.name,
                    labels::protocol(s.server.protocol)
                ),
                format!("set the username to {target}"),
                fix,
            );
        }
        return;
    };
    let help = |what: &str| match &fix {
        Some(FixValue::Text(t)) => format!("set the username to {t}"),
        _ => what.to_owned(),
    };
    let core = u.core;
    if core.is_empty() {
        out.emit(
            &A301,
            field,
            "the username is empty".into(),
            help("type the username your provider gives, usually your email address"),
            fix,
        );
        return;
    }
    if u.has_whitespace() {
        out.emit(
            &A303,
            field,
            format!(
                "the username {} has spaces in it or around it",
                Quoted(u.raw)
            ),
            help("remove the spaces"),
            fix,
        );
        return;
    }
    let format = format_for(s.provider, s.endpoint);
    let pname = s.provider.map_or("", |p| p.name);
    match format {
        Some(UsernameFormat::EmailAddress) if !u.at => {
            out.emit(
                &A304,
                field,
                format!(
                    "{pname} wants the whole email address as the username, not only {}",
                    Quoted(core)
                ),
                help("type your whole email address as the username"),
                fix,
            );
            return;
        }
        Some(UsernameFormat::LocalPart) if u.at => {
            out.emit(
                &A304,
                field,
                format!(
                    "{pname} wants only the part before the @ as the username, not {}",
                    Quoted(core)
                ),
                help("type only the part before the @"),
                fix,
            );
            return;
        }
        _ => {}
    }
    if let Some(why) = u.address_problem {
        out.emit(
            &A305,
            field,
            format!(
                "the username {} is not a valid email address: {why}",
                Quoted(core)
            ),
            help("check the address for typos"),
            fix,
        );
        return;
    }
    if let (Some(q), Some(p)) = (u.domain_provider, s.provider) {
        if q.id != p.id {
            out.emit(
                &A307,
                field,
                format!(
                    "the username {core} is an address at {}, but this server belongs to {}",
                    q.name, p.name
                ),
                help(&format!("type the address of your {} account", p.name)),
                fix,
            );
        }
    }
}

/// A308–A311.
fn auth_security(s: &ServerView, out: &mut Findings) {
    let srv = s.server;
    let Some(auth) = srv.auth else { return };
    let field_sec = s.field(Field::Security);
    let sec_help = || match s.security_fix() {
        Some(_) => format!("set security to {}", s.target.security),
        None => "use tls or starttls, with the port your provider documents for it".into(),
    };
    match auth {
        Auth::EncryptedPassword if !srv.security.is_encrypted() => out.emit(
            &A308,
            field_sec,
            "encrypted-password hides the password but not the mail, and a recorded exchange can be cracked offline: it is no substitute for TLS".into(),
            sec_help(),
            s.security_fix(),
        ),
        Auth::EncryptedPassword if s.provider.is_none() => out.emit(
            &A309,
            s.field(Field::Auth),
            "over TLS, encrypted-password (CRAM-MD5, APOP) adds nothing, and many servers no longer offer it".into(),
            "use password (it travels inside TLS) unless your provider documents encrypted-password".into(),
            None,
        ),
        Auth::ClientCertificate if !srv.security.is_encrypted() => out.emit(
            &A310,
            field_sec,
            "a client certificate is presented in the TLS handshake, and security none has no handshake".into(),
            sec_help(),
            s.security_fix(),
        ),
        Auth::None if !s.host.is_loopback() => {
            let why = if srv.protocol.is_incoming() {
                "the server opens a mailbox only after sign-in"
            } else {
                "the server sends mail only for signed-in users"
            };
            out.emit(
                &A311,
                s.field(Field::Auth),
                format!("auth is none: {why}"),
                match s.auth_fix() {
                    Some(_) => format!("set auth to {}", s.target.auth.map_or("", |a| a.as_str())),
                    None => "set auth to the method your provider documents, usually password".into(),
                },
                s.auth_fix(),
            );
        }
        _ => {}
    }
}
