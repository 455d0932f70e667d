//! Fix targets: what each server should be once every fix is applied. Every rule takes its fix
//! values from its server's one [`Target`], so two fixes of one field never contradict each other.

use super::analysis::is_loopback_name;
use super::analysis::{UsernameParts, RECENT_PREFIX};
use super::port;
use crate::model::{email, Auth, Email, Host, Protocol, Security, Server, UsernameFormat};
use crate::providers::{Endpoint, Provider};
use std::borrow::Cow;

/// What a server should be after every fix. Values equal to the input mean "no change".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target<'a> {
    pub host: Cow<'a, str>,
    /// Whether `host` is a usable host name (a fix may set it); false for a broken name nobody
    /// could correct.
    pub host_usable: bool,
    pub port: u16,
    pub security: Security,
    pub auth: Option<Auth>,
    pub username: Option<Cow<'a, str>>,
}

/// The security a person most likely meant: implicit TLS when either the security or the port
/// says so (RFC 8314 prefers it), STARTTLS when chosen, nothing for `none` on another port.
pub(super) fn intended_security(port: u16, security: Security) -> Option<Security> {
    if security == Security::Tls
        || port::port_use(port).is_some_and(|u| u.security == Security::Tls)
    {
        Some(Security::Tls)
    } else if security == Security::Starttls {
        Some(Security::Starttls)
    } else {
        None
    }
}

/// Port and security without a provider: a port of another protocol, or port 25 for a client,
/// moves to the standard port for the intended security; a standard port of the protocol
/// decides the security (implicit TLS wins a conflict, RFC 8314); `none` on a STARTTLS port
/// becomes STARTTLS; a non-standard port is kept and nothing is inferred from it.
fn generic_transport(protocol: Protocol, port: u16, security: Security) -> (u16, Security) {
    let intended = intended_security(port, security);
    match port::port_use(port) {
        Some(u) if u.protocol != protocol || port == crate::model::ports::SMTP_RELAY => {
            let s = intended.unwrap_or(Security::Starttls);
            (port::standard_port(protocol, s), s)
        }
        Some(u) if security == Security::None => (port, u.security),
        Some(u) if security == u.security => (port, security),
        Some(_) => (port::standard_port(protocol, Security::Tls), Security::Tls),
        None => (port, security),
    }
}

impl<'a> Target<'a> {
    /// The target of one server.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn new(
        server: &'a Server,
        host: &Host,
        corrected: &str,
        provider: Option<&'static Provider>,
        endpoint: Option<&'static Endpoint>,
        email: Option<Email<'a>>,
        username: Option<UsernameParts<'a>>,
    ) -> Target<'a> {
        let (host_text, host_usable): (Cow<'a, str>, bool) = match endpoint {
            Some(e) if e.host == corrected => (cow_if_differs(&server.host, e.host), true),
            // A loopback name for a documented local bridge: keep it, cleaned.
            Some(e) if host.is_loopback() && is_loopback_name(e.host) => {
                (cow_owned_if_differs(&server.host, corrected), true)
            }
            Some(e) => (Cow::Borrowed(e.host), true),
            None => {
                let usable = host.kind.is_some() || corrected != host.ascii;
                (cow_owned_if_differs(&server.host, corrected), usable)
            }
        };
        let (port, security) = match endpoint {
            Some(e) => (e.port, e.security),
            None => generic_transport(server.protocol, server.port, server.security),
        };
        let auth = target_auth(server.auth, provider, endpoint);
        let username = target_username(server, username, provider, endpoint, email, auth);
        Target {
            host: host_text,
            host_usable,
            port,
            security,
            auth,
            username,
        }
    }
}

fn cow_if_differs<'a>(typed: &'a str, want: &'static str) -> Cow<'a, str> {
    if typed == want {
        Cow::Borrowed(typed)
    } else {
        Cow::Borrowed(want)
    }
}

fn cow_owned_if_differs<'a>(typed: &'a str, want: &str) -> Cow<'a, str> {
    if typed == want {
        Cow::Borrowed(typed)
    } else {
        Cow::Owned(want.to_owned())
    }
}

/// The authentication the provider accepts: an unaccepted password becomes an app password where
/// the provider has them, anything else unaccepted (or `none`, or nothing said where the normal
/// password fails) becomes the provider's first choice.
fn target_auth(
    auth: Option<Auth>,
    provider: Option<&'static Provider>,
    endpoint: Option<&'static Endpoint>,
) -> Option<Auth> {
    let (Some(p), Some(_)) = (provider, endpoint) else {
        return auth;
    };
    let first = p.auth.accepted.first().copied();
    match auth {
        Some(a) if p.accepts(a) => Some(a),
        Some(Auth::Password) if p.accepts(Auth::AppPassword) => Some(Auth::AppPassword),
        Some(_) => first,
        None if p.accepts(Auth::Password) => None,
        None => first,
    }
}

/// Whether the server signs in with a username at all.
pub(super) fn needs_username(auth: Option<Auth>) -> bool {
    !matches!(auth, Some(Auth::None | Auth::ClientCertificate))
}

/// The provider's username format for the endpoint the server should use.
pub(super) fn format_for(
    provider: Option<&'static Provider>,
    endpoint: Option<&'static Endpoint>,
) -> Option<UsernameFormat> {
    let (p, e) = (provider?, endpoint?);
    Some(e.username.unwrap_or(p.username))
}

/// Whether recent mode (`recent:`) is valid here: POP3 at a provider that has it.
pub(super) fn recent_allowed(protocol: Protocol, provider: Option<&'static Provider>) -> bool {
    protocol == Protocol::Pop3
        && provider.is_some_and(|p| p.pop3.is_some_and(|n| n.recent_mode))
        && provider.is_some_and(|p| p.offers(Protocol::Pop3))
}

/// The username the server should have: trimmed, in the provider's form, without a misplaced
/// `recent:` prefix, derived from the email address where it is missing, empty or wrong and the
/// provider's form is known. `None` when nothing was typed and nothing can be derived.
pub(super) fn target_username<'a>(
    server: &Server,
    parts: Option<UsernameParts<'a>>,
    provider: Option<&'static Provider>,
    endpoint: Option<&'static Endpoint>,
    email: Option<Email<'a>>,
    auth: Option<Auth>,
) -> Option<Cow<'a, str>> {
    let format = format_for(provider, endpoint);
    let derived: Option<&'a str> = match (format, email.and_then(|e| e.valid().map(|a| (e, a)))) {
        (Some(UsernameFormat::EmailAddress | UsernameFormat::Either), Some((_, a))) => Some(a),
        (Some(UsernameFormat::LocalPart), Some((e, _))) => Some(e.local),
        _ => None,
    };
    let Some(u) = parts else {
        return derived.filter(|_| needs_username(auth)).map(Cow::Borrowed);
    };
    let raw = u.raw;
    if !needs_username(auth) {
        return Some(Cow::Borrowed(raw));
    }
    let keep_recent = u.recent && recent_allowed(server.protocol, provider);
    let core = u.core;
    let wrong_provider = u
        .domain_provider
        .zip(provider)
        .is_some_and(|(q, p)| q.id != p.id);
    let unusable = core.is_empty() || core.contains(char::is_whitespace);
    let wants_address = format == Some(UsernameFormat::EmailAddress) && !u.at;
    let new: &str = if unusable || wants_address {
        derived.unwrap_or(core)
    } else if format == Some(UsernameFormat::LocalPart) && u.at {
        // A local part holds no bare @: with several, there is no local part to keep.
        match email::split(core) {
            Some((l, _)) if !l.is_empty() && !l.contains('@') => l,
            _ => derived.unwrap_or(core),
        }
    } else if u.at && (u.address_problem.is_some() || wrong_provider) {
        derived.unwrap_or(core)
    } else {
        core
    };
    if new.is_empty() {
        return Some(Cow::Borrowed(raw));
    }
    let composed_len = new.len() + if keep_recent { RECENT_PREFIX.len() } else { 0 };
    if composed_len == raw.len()
        && raw.ends_with(new)
        && (!keep_recent || raw.starts_with(RECENT_PREFIX))
    {
        return Some(Cow::Borrowed(raw));
    }
    Some(if keep_recent {
        Cow::Owned(format!("{RECENT_PREFIX}{new}"))
    } else {
        Cow::Owned(new.to_owned())
    })
}

/// Whether no username rule objects to `username` at provider `p` with `format`.
pub(super) fn username_acceptable(
    username: &str,
    format: Option<UsernameFormat>,
    p: &'static Provider,
) -> bool {
    let u = UsernameParts::of(username, None, None);
    if u.recent || u.core.is_empty() || u.has_whitespace() {
        return false;
    }
    match format {
        Some(UsernameFormat::EmailAddress) if !u.at => return false,
        Some(UsernameFormat::LocalPart) if u.at => return false,
        _ => {}
    }
    !u.at || (u.address_problem.is_none() && u.domain_provider.is_none_or(|q| q.id == p.id))
}
