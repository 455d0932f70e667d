//! The rule registry and the engine that runs it.
//!
//! Every rule is a [`Rule`] constant in the file of its family, with its documentation and its
//! pass/fail vectors beside it; [`RULES`] lists them all, sorted by code. A family's `check`
//! function looks at the [`Analysis`] of the input and emits findings through [`Findings::emit`].
//!
//! Families (the letter of the code): H host, P port/transport, T TLS, A auth and username,
//! V provider policy, O POP3 options, D document lint, N network probe. Codes are never reused.

pub(crate) mod account;
pub(crate) mod auth;
pub(crate) mod host;
pub(crate) mod pop3;
pub(crate) mod port;
pub(crate) mod probe;
pub(crate) mod provider;
pub(crate) mod tls;

use crate::diagnostic::{Finding, Fix, FixValue, Report, Rule, Severity};
use crate::model::{
    Account, Auth, Host, HostKind, HostProblem, Protocol, Security, Server, Settings,
};
use crate::providers::{self, Endpoint, Provider};
use std::borrow::Cow;

/// Every settings rule (families H, P, T, A, V, O), sorted by code.
#[cfg(test)]
const RULES: &[&Rule] = &[
    &auth::A301,
    &auth::A302,
    &auth::A303,
    &auth::A304,
    &auth::A305,
    &auth::A306,
    &auth::A307,
    &auth::A308,
    &auth::A309,
    &auth::A310,
    &auth::A311,
    &host::H001,
    &host::H002,
    &host::H003,
    &host::H004,
    &host::H005,
    &host::H006,
    &host::H007,
    &host::H008,
    &host::H009,
    &host::H010,
    &pop3::O501,
    &pop3::O502,
    &pop3::O503,
    &pop3::O504,
    &pop3::O505,
    &pop3::O506,
    &pop3::O507,
    &port::P101,
    &port::P102,
    &port::P103,
    &port::P104,
    &port::P105,
    &account::P106,
    &account::P107,
    &tls::T201,
    &tls::T202,
    &tls::T203,
    &tls::T204,
    &tls::T205,
    &provider::V401,
    &provider::V402,
    &provider::V403,
    &provider::V404,
    &provider::V405,
    &provider::V406,
    &account::V407,
];

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
    pub username: Option<auth::UsernameParts<'a>>,
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

    /// Whether the provider runs this exact host (for any protocol).
    pub fn provider_owns_host(&self) -> bool {
        self.provider.is_some_and(|p| p.owns_host(&self.host.ascii))
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
            protocol_label(e.protocol),
            e.host,
            e.port,
            security_label(e.security)
        ))
    }
}

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

/// An email address split into its parts, with its syntax judged once.
#[derive(Debug, Clone, Copy)]
pub struct Email<'a> {
    /// The address, trimmed.
    pub address: &'a str,
    pub local: &'a str,
    pub domain: &'a str,
    /// Why the address is not a valid `local@domain`, or `None` when it is.
    pub invalid: Option<&'static str>,
}

impl<'a> Email<'a> {
    fn split(address: &'a str) -> Option<Email<'a>> {
        let t = address.trim();
        let (local, domain) = t.rsplit_once('@')?;
        Some(Email {
            address: t,
            local,
            domain,
            invalid: address_problem(t).err(),
        })
    }

    /// The address when its syntax is valid.
    pub fn valid(&self) -> Option<&'a str> {
        self.invalid.is_none().then_some(self.address)
    }
}

/// Checks `local@domain` syntax as mail clients need it (RFC 5321 §4.1.2 / RFC 5322 dot-atom,
/// non-ASCII allowed as in RFC 6531); the error says what is wrong.
pub fn address_problem(s: &str) -> Result<(), &'static str> {
    let Some((local, domain)) = s.split_once('@') else {
        return Err("it has no @");
    };
    if domain.contains('@') {
        return Err("it has more than one @");
    }
    if has_space_or_control(s) {
        return Err("it contains spaces or control characters");
    }
    if local.is_empty() {
        return Err("nothing comes before the @");
    }
    if local.len() > 64 {
        return Err("the part before the @ is longer than 64 characters");
    }
    let l = local.as_bytes();
    if l[0] == b'.' || l[l.len() - 1] == b'.' || l.windows(2).any(|w| w == b"..") {
        return Err("the part before the @ has a misplaced dot");
    }
    // RFC 5322 atext and dots; bytes of non-ASCII characters are allowed (RFC 6531).
    let atext =
        |b: &u8| !b.is_ascii() || b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~.-".contains(b);
    if !l.iter().all(atext) {
        return Err("the part before the @ has a character addresses cannot contain");
    }
    if domain.is_empty() {
        return Err("nothing comes after the @");
    }
    if !domain_is_valid(domain) {
        return Err("the part after the @ is not a valid domain name");
    }
    if !domain.trim_end_matches('.').contains('.') {
        return Err("the domain after the @ has no dot");
    }
    Ok(())
}

/// Whitespace or control characters anywhere, checked bytewise for ASCII text.
pub(crate) fn has_space_or_control(s: &str) -> bool {
    if s.is_ascii() {
        s.bytes().any(|b| b <= b' ' || b == 0x7f)
    } else {
        s.chars().any(|c| c.is_whitespace() || c.is_control())
    }
}

/// A domain name as [`Host::parse`] accepts it (a name, not an IP; case and a trailing dot
/// allowed), checked without allocating for ASCII names.
fn domain_is_valid(domain: &str) -> bool {
    if !domain.is_ascii() {
        let h = Host::parse(domain);
        return h.kind == Some(HostKind::Name) && h.is_clean();
    }
    let d = domain.strip_suffix('.').unwrap_or(domain);
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    !d.is_empty()
        && d.len() <= 253
        && d.split('.').all(label_ok)
        && !d
            .rsplit('.')
            .next()
            .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
}

/// The provider of an email domain (any case, a trailing dot allowed), allocating only for a
/// domain with capitals.
pub fn provider_of_domain(domain: &str) -> Option<&'static Provider> {
    let d = domain.trim().trim_end_matches('.');
    if d.bytes().any(|b| b.is_ascii_uppercase()) {
        providers::by_domain(&d.to_ascii_lowercase())
    } else {
        providers::by_domain(d)
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
        let by_email = email.and_then(|e| provider_of_domain(e.domain));
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
                    None => host::typo_candidate(&host, own_domain, by_email),
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
                    .map(|u| auth::UsernameParts::of(u, email, by_email));
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

/// The security a person most likely meant: implicit TLS when either the security or the port
/// says so (RFC 8314 prefers it), STARTTLS when chosen, nothing for `none` on another port.
fn intended_security(port: u16, security: Security) -> Option<Security> {
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
    fn new(
        server: &'a Server,
        host: &Host,
        corrected: &str,
        provider: Option<&'static Provider>,
        endpoint: Option<&'static Endpoint>,
        email: Option<Email<'a>>,
        username: Option<auth::UsernameParts<'a>>,
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
        let username = auth::target_username(server, username, provider, endpoint, email, auth);
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

/// "IMAP", "POP3", "SMTP".
pub fn protocol_label(p: Protocol) -> &'static str {
    match p {
        Protocol::Imap => "IMAP",
        Protocol::Pop3 => "POP3",
        _ => "SMTP",
    }
}

/// "implicit TLS (tls)", "STARTTLS (starttls)", "no encryption (none)".
pub fn security_label(s: Security) -> &'static str {
    match s {
        Security::Tls => "implicit TLS (tls)",
        Security::Starttls => "STARTTLS (starttls)",
        _ => "no encryption (none)",
    }
}

/// The findings being collected.
#[derive(Debug, Default)]
pub struct Findings(Vec<Finding>);

impl Findings {
    /// Records a finding of `rule` about `field`. (Inlined like [`Rule::finding`].)
    #[inline(always)]
    pub fn emit(
        &mut self,
        rule: &'static Rule,
        field: &str,
        message: String,
        help: String,
        fix: Option<FixValue>,
    ) {
        self.0
            .push(rule.finding(field.to_owned(), message, help, fix));
    }

    /// Whether a finding with `code` about `field` was already emitted (rules that would repeat
    /// a more specific one stay quiet).
    pub fn has(&self, code: &str, field: &str) -> bool {
        self.0.iter().any(|f| f.code == code && f.field == field)
    }

    /// Whether any finding concerns `field`.
    pub fn touches(&self, field: &str) -> bool {
        self.0.iter().any(|f| f.field == field)
    }
}

/// Validates an account or a bare server: every rule, the provider it was judged against, and the
/// input with every fix applied.
pub fn validate(settings: &Settings) -> Report {
    let analysis = Analysis::new(settings);
    let mut out = Findings::default();
    host::check(&analysis, &mut out);
    port::check(&analysis, &mut out);
    tls::check(&analysis, &mut out);
    auth::check(&analysis, &mut out);
    provider::check(&analysis, &mut out);
    pop3::check(&analysis, &mut out);
    account::check(&analysis, &mut out);
    let fixed = apply_fixes(settings, &out.0);
    Report::new(analysis.provider().map(Into::into), out.0, fixed)
}

/// The input with every fix applied; `None` when no finding has a fix.
///
/// Every rule takes its fix values from the one [`Target`] of its server, so two fixes of one
/// field agree; should they not, the worst finding decides. A whole-server fix (`outgoing`) goes
/// before fixes inside it.
fn apply_fixes(settings: &Settings, findings: &[Finding]) -> Option<Settings> {
    let mut fixes: Vec<(&Fix, Severity)> = findings
        .iter()
        .filter_map(|f| f.fix.as_ref().map(|x| (x, f.severity)))
        .collect();
    if fixes.is_empty() {
        return None;
    }
    crate::text::sort_small_by(&mut fixes, |(f, s), (g, t)| {
        let key = |f: &Fix, s: Severity| (f.field.matches('.').count(), std::cmp::Reverse(s));
        key(f, *s).cmp(&key(g, *t))
    });
    let fixes = fixes.into_iter().map(|(f, _)| f);
    let mut fixed = settings.clone();
    let mut done: Vec<&str> = Vec::new();
    for fix in fixes {
        if done.contains(&fix.field.as_str()) {
            continue;
        }
        // A fix that cannot apply (its server is absent) is skipped; the finding still says it.
        if fix.apply(&mut fixed).is_ok() {
            done.push(&fix.field);
        }
    }
    Some(fixed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse_settings_json;

    #[test]
    fn rule_vectors() {
        let mut failures = Vec::new();
        for r in RULES {
            for (vectors, must_fire) in [(r.pass, false), (r.fail, true)] {
                for json in vectors {
                    let settings = parse_settings_json(json)
                        .unwrap_or_else(|e| panic!("{}: bad vector {json}: {e}", r.code));
                    let report = validate(&settings);
                    let fired = report.findings.iter().any(|f| f.code == r.code);
                    if fired != must_fire {
                        let codes: Vec<String> = report
                            .findings
                            .iter()
                            .map(|f| format!("{} {}: {}", f.code, f.field, f.message))
                            .collect();
                        failures.push(format!(
                            "{} should {}fire on {json}\n    found: {codes:#?}",
                            r.code,
                            if must_fire { "" } else { "not " }
                        ));
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
