//! The analysis of one input, computed once for every rule: each server with its field paths,
//! its parsed host, the provider it is judged against, that provider's endpoint it should match,
//! its typed username taken apart, and its fix target.

use super::target::{intended_security, Target};
use crate::diagnostic::FixValue;
use crate::model::email::address_problem;
use crate::model::labels;
use crate::model::{Account, Email, Host, HostProblem, Server, Settings};
use crate::providers::{self, Endpoint, Provider};

/// A server of the input, with its field-path prefix, its parsed host, the provider it is judged
/// against, and what it should be once every fix is applied.
#[derive(Debug)]
pub struct ServerView<'a> {
    /// `incoming.`, `outgoing.` or empty for a bare server.
    pub prefix: &'static str,
    pub server: &'a Server,
    pub host: Host,
    /// The provider that runs the typed host (for any protocol), if any.
    pub owner: Option<&'static Provider>,
    /// A known provider host that the typed host is probably a misspelling of (`imap.gmial.com` →
    /// `imap.gmail.com`). Only set when no provider runs the typed host.
    pub typo_of: Option<(&'static str, &'static Provider)>,
    /// The provider whose servers and policies apply to this server (see [`Analysis::new`]).
    pub provider: Option<&'static Provider>,
    /// The provider's endpoint this server should match; `None` without a provider, or when the
    /// provider does not offer the protocol.
    pub endpoint: Option<&'static Endpoint>,
    /// The typed username, taken apart.
    pub username: Option<UsernameParts<'a>>,
    /// The server as it should be: every fix of every rule takes its value from here, so fixes
    /// never contradict each other.
    pub target: Target<'a>,
}

/// A field of a server, for its field path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Host,
    Port,
    Security,
    Auth,
    Username,
    Protocol,
}

/// Every server field path, by prefix (bare, `incoming.`, `outgoing.`) and [`Field`]: static, so
/// looking a path up costs no allocation on the path where nothing is found.
const FIELD_PATHS: [[&str; 6]; 3] = [
    ["host", "port", "security", "auth", "username", "protocol"],
    [
        "incoming.host",
        "incoming.port",
        "incoming.security",
        "incoming.auth",
        "incoming.username",
        "incoming.protocol",
    ],
    [
        "outgoing.host",
        "outgoing.port",
        "outgoing.security",
        "outgoing.auth",
        "outgoing.username",
        "outgoing.protocol",
    ],
];

impl ServerView<'_> {
    /// The field path of one of this server's fields (`incoming.port`, or `port` alone).
    pub fn field(&self, name: Field) -> &'static str {
        let row = match self.prefix {
            "incoming." => 1,
            "outgoing." => 2,
            _ => 0,
        };
        FIELD_PATHS[row][name as usize]
    }

    /// The host name judged by the rules: the typed host cleaned (lower case, no URL, no port).
    pub fn name(&self) -> &str {
        &self.host.ascii
    }

    /// The fix for the host field, when the target host differs from what was typed and is usable.
    pub fn host_fix(&self) -> Option<FixValue> {
        (self.target.host_usable && self.target.host != self.server.host)
            .then(|| FixValue::Text(self.target.host.to_string()))
    }

    /// The fix for the port field, when the target differs.
    pub fn port_fix(&self) -> Option<FixValue> {
        (self.target.port != self.server.port).then_some(FixValue::Port(self.target.port))
    }

    /// The fix for the security field, when the target differs.
    pub fn security_fix(&self) -> Option<FixValue> {
        (self.target.security != self.server.security)
            .then_some(FixValue::Security(self.target.security))
    }

    /// The fix for the auth field, when the target differs.
    pub fn auth_fix(&self) -> Option<FixValue> {
        match self.target.auth {
            Some(a) if self.server.auth != Some(a) => Some(FixValue::Auth(a)),
            _ => None,
        }
    }

    /// The fix for the username field, when the target differs.
    pub fn username_fix(&self) -> Option<FixValue> {
        match &self.target.username {
            Some(u) if self.server.username.as_deref() != Some(u) => {
                Some(FixValue::Text(u.to_string()))
            }
            _ => None,
        }
    }

    /// "Gmail serves IMAP on imap.gmail.com, port 993 with implicit TLS (tls)", for messages.
    pub fn endpoint_label(&self) -> Option<String> {
        let (p, e) = (self.provider?, self.endpoint?);
        Some(format!(
            "{} serves {} on {}, port {} with {}",
            p.name,
            labels::protocol(e.protocol),
            e.host,
            e.port,
            labels::security_in_messages(e.security)
        ))
    }
}

/// A server before the provider is known.
struct Parsed<'a> {
    prefix: &'static str,
    server: &'a Server,
    host: Host,
    /// The provider that runs the host, by the host index.
    owner: Option<&'static Provider>,
    typo: Option<(&'static str, &'static Provider)>,
}

/// The provider recognised by the servers' hosts: the first host a provider runs (or that is a
/// misspelling of one). Hosts shared by two providers (Gmail and Google Workspace, Outlook.com
/// and Microsoft 365): of those that run every recognised host of the account, a custom-domain
/// service (no email domains of its own) for an address at a domain no provider has, a
/// consumer service otherwise.
fn by_host(parsed: &[Parsed], custom_domain: bool) -> Option<&'static Provider> {
    let (first, name) = parsed.iter().find_map(|x| match (x.owner, x.typo) {
        (Some(p), _) => Some((p, x.host.ascii.as_str())),
        (None, Some((t, p))) => Some((p, t)),
        (None, None) => None,
    })?;
    let runs_all = |p: &Provider| {
        parsed.iter().all(|x| match (x.owner, x.typo) {
            (Some(_), _) => p.owns_host(&x.host.ascii),
            (None, Some((t, _))) => p.owns_host(t),
            (None, None) => true,
        })
    };
    if runs_all(first) && first.domains.is_empty() == custom_domain {
        return Some(first);
    }
    let candidates = || {
        providers::PROVIDERS
            .iter()
            .filter(|p| p.owns_host(name) && runs_all(p))
    };
    candidates()
        .find(|p| p.domains.is_empty() == custom_domain)
        .or_else(|| candidates().next())
        .or(Some(first))
}

/// How the provider was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderBy {
    /// The email address's domain.
    Email,
    /// The incoming (or outgoing) server's host.
    Host,
}

/// Everything the rules need to know about one input, computed once.
#[derive(Debug)]
pub struct Analysis<'a> {
    pub settings: &'a Settings,
    pub servers: Vec<ServerView<'a>>,
    pub email: Option<Email<'a>>,
    /// The provider whose rules apply, and how it was recognised.
    pub provider: Option<(&'static Provider, ProviderBy)>,
}

impl<'a> Analysis<'a> {
    /// Analyses the input. The provider is the email domain's; without one, the provider that
    /// runs the first server's host (or the host it is a misspelling of). Each server is judged
    /// against that provider, except a loopback or private address that the provider does not
    /// list (a local bridge or proxy), and, when the provider was recognised by host, a server
    /// whose host no provider runs.
    pub fn new(settings: &'a Settings) -> Analysis<'a> {
        let email = settings.email().and_then(Email::split);
        let by_email = email.and_then(|e| providers::by_email(e.domain));
        // Hosts under the person's own (unknown) email domain are theirs, not misspellings.
        let own_domain = match (email, by_email) {
            (Some(e), None) if e.invalid.is_none() => Some(e.domain),
            _ => None,
        };
        let parsed: Vec<Parsed<'a>> = settings
            .servers()
            .map(|(prefix, server)| {
                let host = Host::parse(&server.host);
                let owner = (!host.is_ip()).then(|| owner_of(&host.ascii)).flatten();
                let typo = match owner {
                    Some(_) => None,
                    None => super::host::typo_candidate(&host, own_domain, by_email),
                };
                Parsed {
                    prefix,
                    server,
                    host,
                    owner,
                    typo,
                }
            })
            .collect();
        let provider = by_email
            .map(|p| (p, ProviderBy::Email))
            .or_else(|| by_host(&parsed, own_domain.is_some()).map(|p| (p, ProviderBy::Host)));
        let servers = parsed
            .into_iter()
            .map(|x| {
                let applies = applicable(provider, &x.host, x.owner, x.typo);
                let corrected: &str = x.typo.map_or(&x.host.ascii, |(h, _)| h);
                let endpoint =
                    applies.and_then(|p| choose_endpoint(p, x.server, corrected, &x.host));
                let username = x
                    .server
                    .username
                    .as_deref()
                    .map(|u| UsernameParts::of(u, email, by_email));
                let target = Target::new(
                    x.server, &x.host, corrected, applies, endpoint, email, username,
                );
                ServerView {
                    prefix: x.prefix,
                    server: x.server,
                    host: x.host,
                    owner: x.owner,
                    typo_of: x.typo,
                    provider: applies,
                    endpoint,
                    username,
                    target,
                }
            })
            .collect();
        Analysis {
            settings,
            servers,
            email,
            provider,
        }
    }

    pub fn provider(&self) -> Option<&'static Provider> {
        self.provider.map(|(p, _)| p)
    }

    /// True when the provider was recognised by the email address.
    pub fn provider_by_email(&self) -> bool {
        matches!(self.provider, Some((_, ProviderBy::Email)))
    }

    /// True when the input is a whole account (field paths have `incoming.`/`outgoing.` prefixes).
    pub fn is_account(&self) -> bool {
        matches!(self.settings, Settings::Account(_))
    }

    /// The account, when the input is one.
    pub fn account(&self) -> Option<&'a Account> {
        match self.settings {
            Settings::Account(a) => Some(a),
            Settings::Server(_) => None,
        }
    }
}

/// The provider that runs a host (already cleaned), by binary search of the host index.
pub fn owner_of(host: &str) -> Option<&'static Provider> {
    let hosts = providers::all_hosts();
    hosts
        .binary_search_by(|(h, _)| (*h).cmp(host))
        .ok()
        .map(|i| hosts[i].1)
}

/// True for a loopback address written in an endpoint (`127.0.0.1`, `::1`, `localhost`).
pub(crate) fn is_loopback_name(host: &str) -> bool {
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Whether the account's provider applies to one server (see [`Analysis::new`]).
fn applicable(
    provider: Option<(&'static Provider, ProviderBy)>,
    host: &Host,
    owner: Option<&'static Provider>,
    typo: Option<(&str, &'static Provider)>,
) -> Option<&'static Provider> {
    let (p, by) = provider?;
    if p.owns_host(&host.ascii) {
        return Some(p);
    }
    if host.is_loopback() {
        // A local bridge the provider documents (Proton Mail Bridge), under any loopback name.
        return p
            .servers
            .iter()
            .any(|e| is_loopback_name(e.host))
            .then_some(p);
    }
    if host.is_private_ip() {
        return None;
    }
    match by {
        ProviderBy::Email => Some(p),
        ProviderBy::Host => {
            let empty = host.problems.contains(&HostProblem::Empty);
            (empty || owner.is_some() || typo.is_some()).then_some(p)
        }
    }
}

/// The provider endpoint closest to what was typed: same host first (when the host is one of
/// the provider's for this protocol), then exact port and security, then the intended security,
/// then the same port; ties go to the provider's order of preference.
fn choose_endpoint(
    p: &'static Provider,
    server: &Server,
    corrected: &str,
    host: &Host,
) -> Option<&'static Endpoint> {
    let host_matches =
        |e: &Endpoint| e.host == corrected || (host.is_loopback() && is_loopback_name(e.host));
    let any_host_match = p.servers_for(server.protocol).any(&host_matches);
    let intended = intended_security(server.port, server.security);
    let score = |e: &Endpoint| {
        let mut s = 0;
        if any_host_match && host_matches(e) {
            s += 1000;
        }
        if e.port == server.port && e.security == server.security {
            s += 100;
        }
        if Some(e.security) == intended {
            s += 10;
        }
        if e.port == server.port {
            s += 1;
        }
        s
    };
    let mut best: Option<(&'static Endpoint, i32)> = None;
    for e in p.servers_for(server.protocol) {
        let s = score(e);
        if best.is_none_or(|(_, b)| s > b) {
            best = Some((e, s));
        }
    }
    best.map(|(e, _)| e)
}

/// Gmail's "recent mode" prefix (`recent:me@gmail.com`), matched without regard to case.
pub const RECENT_PREFIX: &str = "recent:";

/// Splits the recent-mode prefix off a username: `(had_prefix, rest)`.
pub fn split_recent(username: &str) -> (bool, &str) {
    let t = username.trim_start();
    match t.get(..RECENT_PREFIX.len()) {
        Some(p) if p.eq_ignore_ascii_case(RECENT_PREFIX) => (true, &t[RECENT_PREFIX.len()..]),
        _ => (false, username),
    }
}

/// A typed username taken apart once: the recent-mode prefix, the trimmed core, and, when it
/// is an address, its syntax and its domain's provider.
#[derive(Debug, Clone, Copy)]
pub struct UsernameParts<'a> {
    /// As typed.
    pub raw: &'a str,
    /// Whether it starts with `recent:`.
    pub recent: bool,
    /// After the prefix, untrimmed.
    pub rest: &'a str,
    /// After the prefix, trimmed.
    pub core: &'a str,
    /// Whether `core` contains an @.
    pub at: bool,
    /// Why `core` is not a valid address (only when it contains an @).
    pub address_problem: Option<&'static str>,
    /// The provider of the address's domain (only for a valid address).
    pub domain_provider: Option<&'static Provider>,
}

impl<'a> UsernameParts<'a> {
    /// Takes `raw` apart; when its core is the account's email address, the address's facts
    /// (`email` and its domain's provider) are reused rather than worked out again.
    pub fn of(
        raw: &'a str,
        email: Option<Email<'_>>,
        email_provider: Option<&'static Provider>,
    ) -> UsernameParts<'a> {
        let (recent, rest) = split_recent(raw);
        let core = rest.trim();
        let at = core.contains('@');
        let (address_problem, domain_provider) = match email {
            Some(e) if at && e.address == core => (e.invalid, email_provider),
            _ if at => {
                let problem = address_problem(core).err();
                let provider = match problem {
                    None => crate::providers::by_email(core),
                    Some(_) => None,
                };
                (problem, provider)
            }
            _ => (None, None),
        };
        UsernameParts {
            raw,
            recent,
            rest,
            core,
            at,
            address_problem,
            domain_provider,
        }
    }

    /// Spaces around or inside the username.
    pub fn has_whitespace(&self) -> bool {
        if self.raw.bytes().all(|b| b > b' ' && b.is_ascii()) {
            return false;
        }
        self.raw.trim() != self.raw
            || self.rest.trim() != self.rest
            || self.core.contains(char::is_whitespace)
    }
}
