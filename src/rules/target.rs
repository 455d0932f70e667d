//! Fix targets: what each server should be once every fix is applied. Every rule takes its fix
//! values from its server's one [`Target`], so two fixes of one field never contradict each other.

use super::analysis::is_loopback_name;
use super::analysis::{Documented, UsernameParts, RECENT_PREFIX};
use super::port;
use crate::model::{email, Auth, Email, Host, Protocol, Security, Server, UsernameFormat};
use crate::providers::{AuthVerdict, CredentialKind, Endpoint, Provider};
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
        provider: Option<&'a Provider>,
        endpoint: Option<&'a Endpoint>,
        documented: Documented,
        email: Option<Email<'a>>,
        username: Option<UsernameParts<'a>>,
    ) -> Target<'a> {
        let (host_text, host_usable): (Cow<'a, str>, bool) = match endpoint {
            Some(e) if e.host == corrected => (cow_if_differs(&server.host, &e.host), true),
            // A loopback name for a documented local bridge: keep it, cleaned.
            Some(e) if host.is_loopback() && is_loopback_name(&e.host) => {
                (cow_owned_if_differs(&server.host, corrected), true)
            }
            Some(e) => (Cow::Borrowed(e.host.as_str()), true),
            None => {
                let usable = host.kind.is_some() || corrected != host.ascii;
                (cow_owned_if_differs(&server.host, corrected), usable)
            }
        };
        let (port, security) = match endpoint {
            Some(e) => (e.port, e.security),
            None => generic_transport(server.protocol, server.port, server.security),
        };
        let auth = target_auth(server.protocol, server.auth, provider);
        let format = match documented {
            Documented::NoProvider | Documented::HostNot => None,
            _ => endpoint.and_then(|e| e.username.format()),
        };
        let username = target_username(server, username, provider, format, email, auth);
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

fn cow_if_differs<'a>(typed: &'a str, want: &'a str) -> Cow<'a, str> {
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

/// The sign-in method the server should use: what was typed, unless a source says the provider
/// refuses it (then a password generated for mail apps in place of the account's own password,
/// where the provider accepts one, else the provider's first accepted method); nothing said
/// where a source says the account's own password (the clients' default) is refused becomes the
/// first accepted method. What no source speaks about is left as it is.
pub(super) fn target_auth(
    protocol: Protocol,
    auth: Option<Auth>,
    provider: Option<&Provider>,
) -> Option<Auth> {
    let Some(p) = provider else {
        return auth;
    };
    let refused = |a: Auth| matches!(p.judge_auth(protocol, a), AuthVerdict::Refused(_));
    match auth {
        // No sign-in at a provider whose sources name what it accepts: that (A311 says why).
        Some(Auth::None) => p.best_auth(protocol).or(auth),
        Some(a) if refused(a) => {
            let generated = p.accepted(protocol).any(|c| {
                !matches!(
                    c.kind,
                    CredentialKind::Oauth2 | CredentialKind::AccountPassword
                )
            });
            if a == Auth::Password && generated {
                Some(Auth::AppPassword)
            } else {
                p.best_auth(protocol).or(auth)
            }
        }
        Some(a) => Some(a),
        None if refused(Auth::Password) => p.best_auth(protocol),
        None => None,
    }
}

/// Whether the server signs in with a username at all.
pub(super) fn needs_username(auth: Option<Auth>) -> bool {
    !matches!(auth, Some(Auth::None | Auth::ClientCertificate))
}

/// Whether recent mode (`recent:`) is valid here: POP3 at a provider that has it.
pub(super) fn recent_allowed(protocol: Protocol, provider: Option<&Provider>) -> bool {
    protocol == Protocol::Pop3
        && provider.is_some_and(|p| p.recent_mode() && p.offers(Protocol::Pop3))
}

/// The username the server should have: trimmed, in the provider's form, without a misplaced
/// `recent:` prefix, derived from the email address where it is missing, empty or wrong and the
/// provider's form is known. `None` when nothing was typed and nothing can be derived.
pub(super) fn target_username<'a>(
    server: &Server,
    parts: Option<UsernameParts<'a>>,
    provider: Option<&Provider>,
    format: Option<UsernameFormat>,
    email: Option<Email<'a>>,
    auth: Option<Auth>,
) -> Option<Cow<'a, str>> {
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
    p: &Provider,
    providers: crate::providers::Providers<'_>,
) -> bool {
    let u = UsernameParts::of(providers, username, None, None);
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
