//! The analysis of one input, computed once for every rule: each server with its field paths,
//! its parsed host, the provider it is judged against, what that provider documents about it,
//! its typed username taken apart, and its fix target.

use super::host::{typo_candidate, Typo};
use super::target::{intended_security, Target};
use crate::diagnostic::FixValue;
use crate::model::email::address_problem;
use crate::model::labels;
use crate::model::{Account, Email, Host, HostProblem, Server, Settings};
use crate::providers::{Endpoint, Provider, Providers, UsernameFormat};

/// What a check is given besides the settings: the address they are for (when the settings do
/// not say, as for a server checked alone) and the providers to judge them against.
#[derive(Debug, Clone, Copy, Default)]
pub struct ValidationContext<'a> {
    /// The email address the settings are for, when the settings give none (`check --email`
    /// with a single server). An account's own `email` wins.
    pub email: Option<&'a str>,
    /// Where providers are looked up: an organisation's own ([`Providers::with`]) before the
    /// curated table. The default is the table alone.
    pub providers: Providers<'a>,
}

/// [`ValidationContext`] owned, as the JavaScript API and JSON give it:
/// `{ "email"?: string, "provider"?: ProviderDefinition | ProviderDefinition[] }`, each provider in
/// the data-file format ([`Provider::from_json_value`]).
#[derive(Debug, Clone, Default)]
pub struct ValidationOptions {
    /// The address the settings are for, when they give none.
    pub email: Option<String>,
    /// Providers given at run time, judged before the curated table.
    pub providers: Vec<Provider>,
}

impl ValidationOptions {
    /// Reads the options; `Err` names the field (`provider.servers[0].port`,
    /// `provider[1].id`, `email`).
    pub fn from_json_value(value: serde_json::Value) -> Result<Self, crate::InputError> {
        use crate::InputError;
        use serde_json::Value;
        let field = |path: &str, message: String| InputError::Field {
            path: path.to_owned(),
            message,
        };
        let Value::Object(map) = value else {
            return Err(field(
                "",
                "the options are an object: { email?, provider? }".into(),
            ));
        };
        let mut options = ValidationOptions::default();
        for (key, v) in map {
            match (key.as_str(), v) {
                ("email", Value::Null) | ("provider", Value::Null) => {}
                ("email", Value::String(e)) => options.email = Some(e),
                ("email", _) => return Err(field("email", "must be a string".into())),
                ("provider", Value::Array(list)) => {
                    for (i, p) in list.into_iter().enumerate() {
                        options.providers.push(
                            Provider::from_json_value(p)
                                .map_err(|e| nest(&format!("provider[{i}]"), e))?,
                        );
                    }
                }
                ("provider", p) => options
                    .providers
                    .push(Provider::from_json_value(p).map_err(|e| nest("provider", e))?),
                (other, _) => {
                    return Err(field(
                        other,
                        format!(
                            "unknown option {}; expected email or provider",
                            crate::text::Quoted(other)
                        ),
                    ))
                }
            }
        }
        Ok(options)
    }

    /// The context these options give.
    pub fn context(&self) -> ValidationContext<'_> {
        ValidationContext {
            email: self.email.as_deref(),
            providers: Providers::with(&self.providers),
        }
    }
}

/// An error inside a nested value, with the path of that value before its own.
fn nest(prefix: &str, e: crate::InputError) -> crate::InputError {
    match e {
        crate::InputError::Field { path, message } => crate::InputError::Field {
            path: if path.is_empty() {
                prefix.to_owned()
            } else if path.starts_with('[') {
                format!("{prefix}{path}")
            } else {
                format!("{prefix}.{path}")
            },
            message,
        },
        other => other,
    }
}

/// What the provider documents about a server (its target host, after any fix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Documented {
    /// No provider applies.
    NoProvider,
    /// The provider documents nothing for this protocol on this host.
    HostNot,
    /// The host is documented for this protocol; the port is not.
    PortNot,
    /// The host and port are documented for this protocol, with another security.
    SecurityNot,
    /// Exactly this endpoint is documented.
    Exact,
}

/// A server of the input, with its field-path prefix, its parsed host, the provider it is judged
/// against, and what it should be once every fix is applied.
#[derive(Debug)]
pub struct ServerView<'a> {
    /// `incoming.`, `outgoing.` or empty for a bare server.
    pub prefix: &'static str,
    pub server: &'a Server,
    pub host: Host,
    /// The provider that runs the typed host (a documented host of it, for any protocol).
    pub owner: Option<&'a Provider>,
    /// The provider under whose own domains the typed host lies (`imap-mail.outlook.com` is
    /// under Outlook.com's `outlook.com`), when no provider runs it.
    pub org: Option<&'a Provider>,
    /// A known host the typed one may be a misspelling of (only when no provider runs it and it
    /// lies under no provider's domain).
    pub typo: Option<Typo<'a>>,
    /// The provider whose servers and policies apply to this server (see [`Analysis::new`]).
    pub provider: Option<&'a Provider>,
    /// The provider's endpoint this server should match; `None` without a provider, when the
    /// provider documents nothing for the protocol, or when the typed host is under the
    /// provider's own domain without being documented (it is left alone).
    pub endpoint: Option<&'a Endpoint>,
    /// What the provider documents about the target.
    pub documented: Documented,
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

    /// "Gmail documents IMAP on imap.gmail.com, port 993 with implicit TLS (tls) (per …)", for
    /// messages.
    pub fn endpoint_label(&self) -> Option<String> {
        let (p, e) = (self.provider?, self.endpoint?);
        Some(format!(
            "{} documents {} on {}, port {} with {} ({})",
            p.name,
            labels::protocol(e.protocol),
            e.host,
            e.port,
            labels::security_in_messages(e.security),
            p.attribution(e)
        ))
    }

    /// The provider's username form for the endpoint this server should use, when the target is
    /// a documented host (a form documented for another host says nothing about this one).
    pub fn username_format(&self) -> Option<UsernameFormat> {
        if matches!(
            self.documented,
            Documented::NoProvider | Documented::HostNot
        ) {
            return None;
        }
        self.endpoint?.username.format()
    }
}

/// A server before the provider is known.
struct Parsed<'a> {
    prefix: &'static str,
    server: &'a Server,
    host: Host,
    /// The provider that runs the host.
    owner: Option<&'a Provider>,
    /// The provider under whose own domains the host lies.
    org: Option<&'a Provider>,
    typo: Option<Typo<'a>>,
}

/// The provider recognised by the servers' hosts: the first host a provider runs. Hosts shared
/// by two providers (Gmail and Google Workspace, Outlook.com and Microsoft 365): of those that
/// run every recognised host of the account, for an address at a domain no provider has, a
/// service that hosts own domains (one with MX facts) with the fewest address domains of its
/// own; otherwise the consumer service, the one with the most address domains (ties: by id).
fn by_host<'a>(
    providers: Providers<'a>,
    parsed: &[Parsed<'a>],
    custom_domain: bool,
) -> Option<&'a Provider> {
    // A host a provider runs, or the one a sure misspelling is of.
    let known = |x: &Parsed<'a>| -> Option<(&'a Provider, &'a str)> {
        match (x.owner, x.typo) {
            (Some(p), _) => Some((p, providers_host(p, &x.host.ascii))),
            (None, Some(t)) if t.sure => Some((t.provider, t.host)),
            _ => None,
        }
    };
    let (first, name) = parsed.iter().find_map(known)?;
    let runs_all = |p: &Provider| {
        parsed
            .iter()
            .all(|x| known(x).is_none_or(|(_, h)| p.owns_host(h)))
    };
    // Those that run every recognised host; when the servers are of different providers, those
    // that run the first (the same choice as once the servers are made one provider's).
    let owners: Vec<&'a Provider> = providers.iter().filter(|p| p.owns_host(name)).collect();
    let all: Vec<&'a Provider> = owners.iter().copied().filter(|p| runs_all(p)).collect();
    let candidates = if all.is_empty() { owners } else { all };
    let domains = |p: &Provider| p.domain_names().count();
    let chosen = if custom_domain {
        candidates
            .iter()
            .filter(|p| !p.mx.is_empty())
            .min_by_key(|p| domains(p))
            .or_else(|| candidates.first())
    } else {
        // `max_by_key` keeps the last of equals: reversed, the first by id.
        candidates.iter().rev().max_by_key(|p| domains(p))
    };
    chosen.copied().or(Some(first))
}

/// The provider's own spelling of a host it runs (the typed one is the same, cleaned).
fn providers_host<'a>(p: &'a Provider, host: &str) -> &'a str {
    p.servers
        .iter()
        .find(|e| e.host == host)
        .map_or("", |e| e.host.as_str())
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
    /// The providers the input is judged against.
    pub providers: Providers<'a>,
    pub servers: Vec<ServerView<'a>>,
    pub email: Option<Email<'a>>,
    /// The provider whose rules apply, and how it was recognised.
    pub provider: Option<(&'a Provider, ProviderBy)>,
}

impl<'a> Analysis<'a> {
    /// Analyses the input. The provider is the email domain's; without one, the provider that
    /// runs the first server's host. Each server is judged against that provider, except a
    /// loopback or private address that the provider does not list (a local bridge or proxy),
    /// and, when the provider was recognised by host, a server whose host it does not run.
    pub fn new(settings: &'a Settings, context: &ValidationContext<'a>) -> Analysis<'a> {
        let providers = context.providers;
        let email = settings.email().or(context.email).and_then(Email::split);
        let by_email = email.and_then(|e| providers.by_email(e.domain));
        // Hosts under the person's own (unknown) email domain are theirs, not misspellings.
        let own_domain = match (email, by_email) {
            (Some(e), None) if e.invalid.is_none() => Some(e.domain),
            _ => None,
        };
        let parsed: Vec<Parsed<'a>> = settings
            .servers()
            .map(|(prefix, server)| {
                let host = Host::parse(&server.host);
                let named = !host.is_ip() && !host.ascii.is_empty();
                let owner = named.then(|| providers.by_host(&host.ascii)).flatten();
                let org = match owner {
                    None if named => providers.organisation_of(&host.ascii),
                    _ => None,
                };
                // A host no provider runs may be a misspelling; one under a provider's own domain
                // only when its name is broken (`imap..gmail.com`) or internationalised, and then
                // only of that provider's hosts.
                let broken = host
                    .problems
                    .iter()
                    .any(|p| matches!(p, HostProblem::Syntax(_)));
                // Whose account it is: the address's provider, else that of an address typed
                // as the username.
                let whose = by_email.or_else(|| {
                    server
                        .username
                        .as_deref()
                        .map(str::trim)
                        .filter(|u| u.contains('@'))
                        .and_then(|u| providers.by_email(u))
                });
                let typo = match (owner, org) {
                    (None, None) => typo_candidate(providers, &host, own_domain, whose, None),
                    // An internationalised name under a provider's domain may be a lookalike of
                    // one of its hosts (ımap.gmail.com).
                    (None, Some(o)) if broken || host.has_a_label() => {
                        typo_candidate(providers, &host, own_domain, whose, Some(o))
                    }
                    _ => None,
                };
                Parsed {
                    prefix,
                    server,
                    host,
                    owner,
                    org,
                    typo,
                }
            })
            .collect();
        let provider = by_email.map(|p| (p, ProviderBy::Email)).or_else(|| {
            by_host(providers, &parsed, own_domain.is_some()).map(|p| (p, ProviderBy::Host))
        });
        let domain = email
            .filter(|e| e.invalid.is_none())
            .map(|e| e.domain.to_ascii_lowercase());
        let servers = parsed
            .into_iter()
            .map(|x| {
                let applies = applicable(provider, &x.host, x.owner, x.typo);
                // A misspelling is corrected only where the address says what was meant.
                let corrected: &str = match x.typo {
                    Some(t) if t.sure => t.host,
                    _ => &x.host.ascii,
                };
                // A host under the provider's own domains that it does not document is left
                // alone: it is probably its older or other name (imap.yandex.ru).
                // (Not where a source says mail apps cannot reach the provider's servers at all:
                // there the host is wrong, and the documented bridge is the fix.)
                let own_alias = applies.is_some_and(|p| {
                    x.org.is_some_and(|o| std::ptr::eq(o, p))
                        && !p.owns_host(corrected)
                        && p.mail_app_access_not_offered().is_none()
                });
                let endpoint = applies.filter(|_| !own_alias).and_then(|p| {
                    choose_endpoint(p, x.server, corrected, &x.host, domain.as_deref())
                });
                let documented = match applies {
                    None => Documented::NoProvider,
                    Some(p) => documented(p, x.server, endpoint, corrected, &x.host),
                };
                let username = x
                    .server
                    .username
                    .as_deref()
                    .map(|u| UsernameParts::of(providers, u, email, by_email));
                let target = Target::new(
                    x.server, &x.host, corrected, applies, endpoint, documented, email, username,
                );
                ServerView {
                    prefix: x.prefix,
                    server: x.server,
                    host: x.host,
                    owner: x.owner,
                    org: x.org,
                    typo: x.typo,
                    provider: applies,
                    endpoint,
                    documented,
                    username,
                    target,
                }
            })
            .collect();
        Analysis {
            settings,
            providers,
            servers,
            email,
            provider,
        }
    }

    pub fn provider(&self) -> Option<&'a Provider> {
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

/// True for a loopback address written in an endpoint (`127.0.0.1`, `::1`, `localhost`).
pub(crate) fn is_loopback_name(host: &str) -> bool {
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Whether the account's provider applies to one server (see [`Analysis::new`]).
fn applicable<'a>(
    provider: Option<(&'a Provider, ProviderBy)>,
    host: &Host,
    owner: Option<&'a Provider>,
    typo: Option<Typo<'a>>,
) -> Option<&'a Provider> {
    let (p, by) = provider?;
    if p.owns_host(&host.ascii) {
        return Some(p);
    }
    if host.is_loopback() {
        // A local bridge the provider documents (Proton Mail Bridge), under any loopback name.
        return p
            .servers
            .iter()
            .any(|e| is_loopback_name(&e.host))
            .then_some(p);
    }
    if host.is_private_ip() {
        return None;
    }
    match by {
        ProviderBy::Email => Some(p),
        ProviderBy::Host => {
            let empty = host.problems.contains(&HostProblem::Empty);
            let sure_typo = typo.is_some_and(|t| t.sure);
            (empty || owner.is_some() || sure_typo).then_some(p)
        }
    }
}

/// What the provider documents for the server once its host is corrected.
fn documented(
    p: &Provider,
    server: &Server,
    endpoint: Option<&Endpoint>,
    corrected: &str,
    host: &Host,
) -> Documented {
    let Some(e) = endpoint else {
        return Documented::HostNot;
    };
    // The target host: the corrected one when the provider documents it, else the endpoint's.
    let loopback = host.is_loopback() && is_loopback_name(&e.host);
    let on_host = |x: &&Endpoint| {
        x.protocol == server.protocol
            && (x.host == corrected || (loopback && is_loopback_name(&x.host)))
    };
    let target_host_documented = p.servers.iter().any(|x| on_host(&x));
    if !target_host_documented {
        // The host is fixed to the endpoint's; judge the rest against it.
        return match (e.port == server.port, e.security == server.security) {
            (true, true) => Documented::Exact,
            (true, false) => Documented::SecurityNot,
            _ => Documented::PortNot,
        };
    }
    let same_port: Vec<&Endpoint> = p
        .servers
        .iter()
        .filter(on_host)
        .filter(|x| x.port == server.port)
        .collect();
    if same_port.is_empty() {
        Documented::PortNot
    } else if same_port.iter().any(|x| x.security == server.security) {
        Documented::Exact
    } else {
        Documented::SecurityNot
    }
}

/// The provider endpoint closest to what was typed: same host first (when the host is one of
/// the provider's for this protocol), then exact port and security, then the intended security,
/// then the same port; ties go to the provider's order of preference. Endpoints for other
/// domains of the provider than the address's, and for organisations or own domains, come after
/// the others.
fn choose_endpoint<'p>(
    p: &'p Provider,
    server: &Server,
    corrected: &str,
    host: &Host,
    domain: Option<&str>,
) -> Option<&'p Endpoint> {
    let host_matches =
        |e: &Endpoint| e.host == corrected || (host.is_loopback() && is_loopback_name(&e.host));
    let for_domain = |e: &Endpoint| {
        e.domains.is_empty() || domain.is_none_or(|d| e.domains.iter().any(|x| x == d))
    };
    let candidates = || {
        p.servers_for(server.protocol)
            .filter(|e| for_domain(e) || host_matches(e))
    };
    let any_host_match = candidates().any(host_matches);
    let intended = intended_security(server.port, server.security);
    let score = |e: &Endpoint| {
        let mut s = 0;
        if any_host_match && host_matches(e) {
            s += 1000;
        }
        if e.variant
            .is_none_or(|v| v == crate::providers::Variant::Personal)
        {
            s += 500;
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
    let mut best: Option<(&'p Endpoint, i32)> = None;
    for e in candidates() {
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
    pub domain_provider: Option<&'a Provider>,
}

impl<'a> UsernameParts<'a> {
    /// Takes `raw` apart; when its core is the account's email address, the address's facts
    /// (`email` and its domain's provider) are reused rather than worked out again.
    pub fn of(
        providers: Providers<'a>,
        raw: &'a str,
        email: Option<Email<'_>>,
        email_provider: Option<&'a Provider>,
    ) -> UsernameParts<'a> {
        let (recent, rest) = split_recent(raw);
        let core = rest.trim();
        let at = core.contains('@');
        let (address_problem, domain_provider) = match email {
            Some(e) if at && e.address == core => (e.invalid, email_provider),
            _ if at => {
                let problem = address_problem(core).err();
                let provider = match problem {
                    None => providers.by_email(core),
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
