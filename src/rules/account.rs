//! Account-level rules: the servers of one account together (roles, a missing outgoing server,
//! servers of different providers).

use super::analysis::UsernameParts;
use super::analysis::{Analysis, ServerView};
use super::findings::Findings;
use super::target::{format_for, target_username, username_acceptable};
use crate::diagnostic::Rule;
use crate::diagnostic::{FixValue, Severity};
use crate::model::labels;
use crate::model::{Auth, Protocol, Server};
use crate::providers::PROVIDERS;

pub(crate) const P106: Rule = Rule {
    code: "P106",
    name: "no-outgoing-server",
    severity: Severity::Info,
    summary: "the account has no outgoing (SMTP) server",
    what: "An account with an incoming server and no `outgoing` one.",
    why: "The client can read mail but not send it; where the provider is known, its SMTP server is the fix.",
    example: "a Gmail account with only IMAP → outgoing `smtp.gmail.com`, port 465, `tls`.",
    references: &["RFC 6409", "RFC 8314 §3.3"],
    pass: &[
        r#"{"incoming":{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"},"outgoing":{"protocol":"smtp","host":"smtp.example.com","port":465,"security":"tls"}}"#,
        r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"}"#,
    ],
    fail: &[r#"{"email":"me@gmail.com","incoming":{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","auth":"oauth2","username":"me@gmail.com"}}"#],
};

pub(crate) const P107: Rule = Rule {
    code: "P107",
    name: "server-role-mismatch",
    severity: Severity::Error,
    summary: "an SMTP server is set for reading mail, or IMAP/POP3 for sending it",
    what: "`incoming` with protocol `smtp`, or `outgoing` with `imap` or `pop3`.",
    why: "SMTP only sends and IMAP/POP3 only read: the client cannot do the job with that server.",
    example: "`outgoing` with `imap` → `smtp` with the provider's SMTP host and port.",
    references: &["RFC 6409 §1", "RFC 9051 §1", "RFC 1939 §1"],
    pass: &[
        r#"{"incoming":{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"},"outgoing":{"protocol":"smtp","host":"smtp.example.com","port":465,"security":"tls"}}"#,
    ],
    fail: &[
        r#"{"incoming":{"protocol":"smtp","host":"smtp.example.com","port":465,"security":"tls"}}"#,
        r#"{"incoming":{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"},"outgoing":{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"}}"#,
    ],
};

pub(crate) const V407: Rule = Rule {
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
    pass: &[r#"{"incoming":{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls"},"outgoing":{"protocol":"smtp","host":"smtp.gmail.com","port":465,"security":"tls"}}"#],
    fail: &[r#"{"incoming":{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls"},"outgoing":{"protocol":"smtp","host":"smtp.mail.me.com","port":587,"security":"starttls"}}"#],
};

pub(super) fn check(a: &Analysis, out: &mut Findings) {
    let Some(acc) = a.account() else { return };
    let incoming = a.servers.iter().find(|s| s.prefix == "incoming.");
    let outgoing = a.servers.iter().find(|s| s.prefix == "outgoing.");
    if acc.incoming.protocol == Protocol::Smtp {
        out.emit(
            &P107,
            "incoming.protocol",
            "the incoming server uses SMTP, which only sends mail".into(),
            "set the incoming protocol to imap (or pop3) with your provider's server for it".into(),
            None,
        );
    }
    match (&acc.outgoing, outgoing) {
        (Some(o), _) if o.protocol != Protocol::Smtp => out.emit(
            &P107,
            "outgoing.protocol",
            format!(
                "the outgoing server uses {}, which only reads mail",
                labels::protocol(o.protocol)
            ),
            "set the outgoing protocol to smtp with your provider's SMTP server".into(),
            None,
        ),
        // A provider without SMTP (Tuta) has nothing to add; V406 says why.
        (None, _)
            if acc.incoming.protocol.is_incoming()
                && incoming
                    .and_then(|i| i.provider)
                    .is_none_or(|p| p.offers(Protocol::Smtp)) =>
        {
            let fix = incoming.and_then(|i| provider_smtp(a, i));
            let help = match &fix {
                Some(s) => format!(
                    "add an outgoing server: {}, port {}, security {}",
                    s.host, s.port, s.security
                ),
                None => "add your provider's SMTP server as the outgoing server".into(),
            };
            out.emit(
                &P106,
                "outgoing",
                "the account has no outgoing server, so it cannot send mail".into(),
                help,
                fix.map(FixValue::Server),
            );
        }
        _ => {}
    }
    if let (Some(i), Some(o)) = (incoming, outgoing) {
        different_providers(a, i, o, out);
    }
}

/// The provider's preferred SMTP server for this account, with a sign-in that the provider
/// accepts and the username in its form (when it is knowable).
fn provider_smtp(a: &Analysis, incoming: &ServerView) -> Option<Server> {
    let p = incoming.provider?;
    let e = p.preferred(Protocol::Smtp)?;
    let auth = match incoming.target.auth {
        Some(x) if p.accepts(x) => Some(x),
        // Not said: the client's default, the normal password, works there.
        _ if p.accepts(Auth::Password) => None,
        _ => p.auth.accepted.first().copied(),
    };
    let mut server = Server {
        protocol: Protocol::Smtp,
        host: e.host.to_owned(),
        port: e.port,
        security: e.security,
        auth,
        username: None,
    };
    // The username: derived from the email address, else the incoming one, normalised to the
    // form SMTP wants, when the result is one the username rules accept.
    server.username = incoming
        .target
        .username
        .as_deref()
        .map(|u| super::analysis::split_recent(u).1.trim().to_owned());
    let parts = server
        .username
        .as_deref()
        .map(|u| UsernameParts::of(u, None, None));
    let username = target_username(&server, parts, Some(p), Some(e), a.email, auth)
        .map(|u| u.into_owned())
        .filter(|u| username_acceptable(u, format_for(Some(p), Some(e)), p));
    server.username = username;
    Some(server)
}

/// V407.
fn different_providers(a: &Analysis, i: &ServerView, o: &ServerView, out: &mut Findings) {
    if a.provider_by_email() || out.touches("outgoing.host") {
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
        &V407,
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
