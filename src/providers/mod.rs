//! What mailsetup knows about mail providers: one file per provider in `src/providers/data/`
//! (`SCHEMA.md` there says how to write one), compiled in by the build script, each fact with its
//! sources ([`facts`]). Lookups go by email address, domain, MX host or server host.
//!
//! The table is [`all`]; a provider can also come from JSON at run time
//! ([`Provider::from_json`]), and [`Providers`] is a set to look providers up in: such runtime
//! providers first, then the table.

mod convert;
mod facts;
mod schema;

pub use crate::model::UsernameFormat;
pub use facts::*;

use crate::error::InputError;
use crate::model::{Auth, Protocol, Security};
use std::sync::OnceLock;

/// The data files, checked and compiled by `build.rs` into the JSON of [`schema::ProviderFile`]s
/// (sorted by id). The WebAssembly modules do not carry it: 182 providers are more than the main
/// module's size budget allows (measured: 27 KB gzip even in a compact binary form), so a page
/// loads the table as a file of its own and hands it over with [`install`].
#[cfg(not(target_arch = "wasm32"))]
const DATA: &str = include_str!(concat!(env!("OUT_DIR"), "/providers.json"));

/// The table: compiled in (native), or installed once (WebAssembly).
static TABLE: OnceLock<Table> = OnceLock::new();

/// The providers with their lookup indexes, built once.
struct Table {
    providers: Vec<Provider>,
    /// Every address domain with its provider's position, sorted.
    domains: Vec<(String, usize)>,
    /// Every server host name (IP literals left out) with its provider's position, sorted by
    /// name, the first provider by id where two share one.
    hosts: Vec<(String, usize)>,
    /// The same hosts sorted by length, then name (for the typo search).
    hosts_by_length: Vec<(String, usize)>,
    /// Every own domain ([`Provider::own_domains`]) with its provider's position, sorted.
    orgs: Vec<(String, usize)>,
}

impl Table {
    fn new(providers: Vec<Provider>) -> Table {
        let mut domains: Vec<(String, usize)> = Vec::new();
        let mut hosts: Vec<(String, usize)> = Vec::new();
        let mut orgs: Vec<(String, usize)> = Vec::new();
        for (i, p) in providers.iter().enumerate() {
            domains.extend(p.domain_names().map(|d| (d.to_owned(), i)));
            hosts.extend(
                p.servers
                    .iter()
                    .filter(|e| e.host.parse::<std::net::IpAddr>().is_err())
                    .map(|e| (e.host.clone(), i)),
            );
            orgs.extend(p.own_domains().map(|d| (d.to_owned(), i)));
        }
        domains.sort_unstable();
        // By name, then position: the providers are sorted by id, so of a shared name the first
        // provider's stays.
        hosts.sort_unstable();
        hosts.dedup_by(|a, b| a.0 == b.0);
        orgs.sort_unstable();
        orgs.dedup_by(|a, b| a.0 == b.0);
        let mut hosts_by_length = hosts.clone();
        hosts_by_length.sort_unstable_by(|a, b| (a.0.len(), &a.0).cmp(&(b.0.len(), &b.0)));
        Table {
            providers,
            domains,
            hosts,
            hosts_by_length,
            orgs,
        }
    }
}

/// An empty table: before [`install`] in the WebAssembly modules.
#[cfg(target_arch = "wasm32")]
static EMPTY: Table = Table {
    providers: Vec::new(),
    domains: Vec::new(),
    hosts: Vec::new(),
    hosts_by_length: Vec::new(),
    orgs: Vec::new(),
};

fn table() -> &'static Table {
    #[cfg(not(target_arch = "wasm32"))]
    {
        TABLE.get_or_init(|| {
            // build.rs wrote DATA with these very types after checking every file, so it always
            // reads; tests/providers_data.rs checks the same files.
            let value = serde_json::from_str(DATA).expect("build.rs writes JSON");
            let providers =
                read_table(&value).expect("build.rs writes the provider data it checked");
            Table::new(providers)
        })
    }
    #[cfg(target_arch = "wasm32")]
    {
        TABLE.get().unwrap_or(&EMPTY)
    }
}

/// Reads a table in the compiled format (a JSON array of providers in the data-file format).
fn read_table(value: &serde_json::Value) -> Result<Vec<Provider>, InputError> {
    let serde_json::Value::Array(items) = value else {
        return Err(InputError::Field {
            path: String::new(),
            message: "the provider table is a JSON array of providers".into(),
        });
    };
    let mut providers = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let file = schema::read(item).map_err(|problems| {
            let p = convert::first_problem(problems);
            InputError::Field {
                path: if p.path.is_empty() {
                    format!("[{i}]")
                } else {
                    format!("[{i}].{}", p.path)
                },
                message: p.message,
            }
        })?;
        providers.push(convert::convert(file, false));
    }
    providers.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    Ok(providers)
}

/// Installs the provider table — the file `build.rs` writes and `scripts/build-pkg.sh` ships as
/// the default export of `pkg/provider-table.js` — once, before the first lookup: the WebAssembly
/// modules do not carry it.
/// Returns how many providers it holds. The native build has the table compiled in, so there it
/// is always an error, as is a second call.
pub fn install(table: &serde_json::Value) -> Result<usize, InputError> {
    let refused = |message: &str| InputError::Field {
        path: String::new(),
        message: message.to_owned(),
    };
    if TABLE.get().is_some() || cfg!(not(target_arch = "wasm32")) {
        return Err(refused("the provider table is already loaded"));
    }
    let table = Table::new(read_table(table)?);
    let count = table.providers.len();
    TABLE
        .set(table)
        .map_err(|_| refused("the provider table is already loaded"))?;
    Ok(count)
}

/// Whether the provider table is there (always, natively; after [`install`] in WebAssembly).
pub fn loaded() -> bool {
    cfg!(not(target_arch = "wasm32")) || TABLE.get().is_some()
}

/// The curated providers, sorted by id (none in WebAssembly before [`install`]).
pub fn all() -> &'static [Provider] {
    &table().providers
}

/// A provider of the table by its id.
pub fn by_id(id: &str) -> Option<&'static Provider> {
    let t = all();
    t.binary_search_by(|p| p.id.as_str().cmp(id))
        .ok()
        .map(|i| &t[i])
}

/// The provider of the table whose address domains include this address's domain (or this
/// domain), in any case and with a trailing dot allowed.
pub fn by_email(email_or_domain: &str) -> Option<&'static Provider> {
    by_domain(&normalize_host(crate::model::email::domain_of(
        email_or_domain,
    )))
}

/// The provider of the table for an exact address domain (lower case, no trailing dot).
pub fn by_domain(domain: &str) -> Option<&'static Provider> {
    let t = table();
    t.domains
        .binary_search_by(|(d, _)| d.as_str().cmp(domain))
        .ok()
        .map(|i| &t.providers[t.domains[i].1])
}

/// The provider of the table that runs a server host (`imap.gmail.com` → Gmail).
///
/// IP literals never identify a provider here: `127.0.0.1` is Proton Mail Bridge only on Bridge's
/// ports, and any local server otherwise; [`by_endpoint`] finds those. Where two providers share
/// a host (Gmail and Google Workspace, Microsoft 365 and Outlook.com) the first by id answers.
pub fn by_host(host: &str) -> Option<&'static Provider> {
    let host = normalize_host(host);
    let t = table();
    t.hosts
        .binary_search_by(|(h, _)| h.as_str().cmp(host.as_str()))
        .ok()
        .map(|i| &t.providers[t.hosts[i].1])
}

/// The provider of the table with a documented endpoint of exactly this protocol, host and port
/// (`imap 127.0.0.1:1143` → Proton Mail Bridge).
pub fn by_endpoint(protocol: Protocol, host: &str, port: u16) -> Option<&'static Provider> {
    Providers::BUILT_IN.by_endpoint(protocol, host, port)
}

/// The provider of the table that runs an MX host (`alt1.gmail-smtp-in.l.google.com` →
/// Google Workspace), for own domains.
pub fn by_mx(mx_host: &str) -> Option<&'static Provider> {
    Providers::BUILT_IN.by_mx(mx_host)
}

/// Every server host name of the table with its provider, sorted by length and then name (the
/// order the typo search wants: a misspelling is within two bytes of the length of what it
/// misspells). IP literals (Proton Mail Bridge's `127.0.0.1`) are left out; a host two providers
/// share is listed once, with the first by id.
pub fn hosts_by_length() -> impl ExactSizeIterator<Item = (&'static str, &'static Provider)> + Clone
{
    let t = table();
    t.hosts_by_length
        .iter()
        .map(move |(h, i)| (h.as_str(), &t.providers[*i]))
}

/// The number of known hosts of each length up to `len` (for the typo search's window).
pub(crate) fn hosts_by_length_slice() -> &'static [(String, usize)] {
    &table().hosts_by_length
}

/// The provider at a position of the table.
pub(crate) fn at(i: usize) -> &'static Provider {
    &table().providers[i]
}

/// Lower case, no surrounding space, no trailing dot.
fn normalize_host(host: &str) -> String {
    host.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// Second-level public suffixes that occur in providers' host names: a host directly under one
/// (`mail.xtra.co.nz`'s parent is `xtra.co.nz`, but `co.nz` is nobody's).
const PUBLIC_SUFFIXES: &[&str] = &[
    "ac.jp", "ad.jp", "co.id", "co.il", "co.in", "co.jp", "co.kr", "co.nz", "co.th", "co.uk",
    "co.za", "com.ar", "com.au", "com.br", "com.cn", "com.hk", "com.mx", "com.my", "com.sg",
    "com.tr", "com.tw", "com.vn", "gr.jp", "ne.jp", "net.au", "net.nz", "or.jp", "org.uk",
];

/// The domain a server host belongs to: its parent (`imap.gmail.com` → `gmail.com`), or the host
/// itself when it has two labels or its parent is a public suffix. `None` for IP literals and
/// onion services.
fn host_domain(host: &str) -> Option<&str> {
    if host.parse::<std::net::IpAddr>().is_ok() || host.ends_with(".onion") {
        return None;
    }
    match host.split_once('.') {
        Some((_, parent)) if parent.contains('.') && !PUBLIC_SUFFIXES.contains(&parent) => {
            Some(parent)
        }
        Some(_) => Some(host),
        None => None,
    }
}

/// Whether `host` is `domain` or a name under it.
fn is_under(host: &str, domain: &str) -> bool {
    host.len() >= domain.len()
        && host.ends_with(domain)
        && (host.len() == domain.len() || host.as_bytes()[host.len() - domain.len() - 1] == b'.')
}

/// Where providers are looked up: providers given at run time (an organisation's own), then the
/// curated table. Copy it freely; it borrows the runtime providers.
#[derive(Debug, Clone, Copy, Default)]
pub struct Providers<'p> {
    own: &'p [Provider],
}

impl<'p> Providers<'p> {
    /// The curated table alone.
    pub const BUILT_IN: Providers<'static> = Providers { own: &[] };

    /// `own` first (an organisation's own providers, [`Provider::from_json`]), then the table.
    pub const fn with(own: &'p [Provider]) -> Providers<'p> {
        Providers { own }
    }

    /// The providers given at run time.
    pub fn own(&self) -> &'p [Provider] {
        self.own
    }

    /// Every provider: the runtime ones, then the table.
    pub fn iter(&self) -> impl Iterator<Item = &'p Provider> {
        self.own.iter().chain(all())
    }

    /// By id: a runtime provider first.
    pub fn by_id(&self, id: &str) -> Option<&'p Provider> {
        self.own.iter().find(|p| p.id == id).or_else(|| by_id(id))
    }

    /// By the address's domain (or a domain): a runtime provider first.
    pub fn by_email(&self, email_or_domain: &str) -> Option<&'p Provider> {
        let domain = normalize_host(crate::model::email::domain_of(email_or_domain));
        self.own
            .iter()
            .find(|p| p.domain_names().any(|d| d == domain))
            .or_else(|| by_domain(&domain))
    }

    /// By a server host it runs (a runtime provider first); never by an IP literal.
    pub fn by_host(&self, host: &str) -> Option<&'p Provider> {
        let name = normalize_host(host);
        if name.parse::<std::net::IpAddr>().is_ok() {
            return None;
        }
        self.own
            .iter()
            .find(|p| p.owns_host(&name))
            .or_else(|| by_host(&name))
    }

    /// The provider under whose own domains ([`Provider::own_domains`]) a host name lies, the
    /// most specific domain first: `imap-mail.outlook.com` → Outlook.com, `smtp.upcmail.nl` →
    /// Ziggo. Such a host is that provider's, documented or not: never a misspelling of another
    /// provider's host.
    pub fn organisation_of(&self, host: &str) -> Option<&'p Provider> {
        let host = normalize_host(host);
        if host.parse::<std::net::IpAddr>().is_ok() {
            return None;
        }
        let mut suffix = host.as_str();
        loop {
            // Two labels at least: a top-level domain is nobody's.
            if !suffix.contains('.') {
                return None;
            }
            if let Some(p) = self
                .own
                .iter()
                .find(|p| p.own_domains().any(|d| d == suffix))
            {
                return Some(p);
            }
            let orgs = &table().orgs;
            if let Ok(i) = orgs.binary_search_by(|(d, _)| d.as_str().cmp(suffix)) {
                return Some(at(orgs[i].1));
            }
            suffix = suffix.split_once('.')?.1;
        }
    }

    /// By a documented endpoint of exactly this protocol, host and port.
    pub fn by_endpoint(&self, protocol: Protocol, host: &str, port: u16) -> Option<&'p Provider> {
        let host = normalize_host(host);
        self.iter()
            .find(|p| p.endpoint(protocol, &host, port).is_some())
    }

    /// By an MX host of an own domain.
    pub fn by_mx(&self, mx_host: &str) -> Option<&'p Provider> {
        let mx = normalize_host(mx_host);
        self.iter().find(|p| {
            p.mx_suffixes().any(|s| {
                mx.ends_with(s)
                    && (mx.len() == s.len()
                        || s.starts_with('.')
                        || mx.as_bytes()[mx.len() - s.len() - 1] == b'.')
            })
        })
    }
}

impl Provider {
    /// Every address domain.
    pub fn domain_names(&self) -> impl Iterator<Item = &str> {
        self.domains
            .iter()
            .flat_map(|d| d.names.iter().map(String::as_str))
    }

    /// Every MX suffix.
    pub fn mx_suffixes(&self) -> impl Iterator<Item = &str> {
        self.mx
            .iter()
            .flat_map(|d| d.suffixes.iter().map(String::as_str))
    }

    /// Its own domains: its address domains and the domains of its server hosts
    /// (`imap.gmail.com` → `gmail.com`; see [`Providers::organisation_of`]).
    pub fn own_domains(&self) -> impl Iterator<Item = &str> {
        self.domain_names()
            .chain(self.servers.iter().filter_map(|e| host_domain(&e.host)))
    }

    /// Whether a host name lies under one of its own domains.
    pub fn is_own_host(&self, host: &str) -> bool {
        self.own_domains().any(|d| is_under(host, d))
    }

    /// Whether `domain` (lower case) is one of its address domains.
    pub fn has_domain(&self, domain: &str) -> bool {
        self.domain_names().any(|d| d == domain)
    }

    /// The documented endpoints for one protocol, best first.
    pub fn servers_for(&self, protocol: Protocol) -> impl Iterator<Item = &Endpoint> {
        self.servers.iter().filter(move |e| e.protocol == protocol)
    }

    /// The documented endpoints for one protocol that apply to an address at `domain` (lower
    /// case), best first: those for that domain only, and of the right variant — at one of the
    /// provider's own domains the personal ones, at an own domain hosted by the provider its
    /// custom-domain ones where it documents such, else the others.
    pub fn servers_for_domain<'a>(
        &'a self,
        protocol: Protocol,
        domain: &'a str,
    ) -> impl Iterator<Item = &'a Endpoint> {
        let own = self.has_domain(domain);
        let custom_documented = !own
            && self
                .servers_for(protocol)
                .any(|e| e.variant == Some(Variant::CustomDomain));
        self.servers_for(protocol).filter(move |e| {
            let for_domain = e.domains.is_empty() || e.domains.iter().any(|d| d == domain);
            let variant = match e.variant {
                Some(Variant::CustomDomain) => !own,
                Some(Variant::Org) => false,
                _ => !custom_documented,
            };
            for_domain && variant
        })
    }

    /// The preferred documented endpoint for one protocol (a personal one before an
    /// organisation's or a custom domain's).
    pub fn preferred(&self, protocol: Protocol) -> Option<&Endpoint> {
        self.servers_for(protocol)
            .find(|e| e.variant.is_none_or(|v| v == Variant::Personal))
            .or_else(|| self.servers_for(protocol).next())
    }

    /// Whether it documents the protocol (an endpoint for it).
    pub fn offers(&self, protocol: Protocol) -> bool {
        self.servers_for(protocol).next().is_some()
    }

    /// Whether `host` (normalised) is one of its server hosts.
    pub fn owns_host(&self, host: &str) -> bool {
        self.servers.iter().any(|e| e.host == host)
    }

    /// The documented endpoint with exactly this protocol, host (normalised) and port.
    pub fn endpoint(&self, protocol: Protocol, host: &str, port: u16) -> Option<&Endpoint> {
        self.servers
            .iter()
            .find(|e| e.protocol == protocol && e.host == host && e.port == port)
    }

    /// The fact saying the protocol is not offered, if a source says so.
    pub fn protocol_not_offered(&self, protocol: Protocol) -> Option<&NotOffered> {
        self.not_offered
            .iter()
            .find(|n| n.what == NotOfferedKind::Protocol && n.protocol == Some(protocol))
    }

    /// The fact saying a port is not offered for a protocol, if a source says so.
    pub fn port_not_offered(&self, protocol: Protocol, port: u16) -> Option<&NotOffered> {
        self.not_offered.iter().find(|n| {
            n.what == NotOfferedKind::Port && n.protocol == Some(protocol) && n.port == Some(port)
        })
    }

    /// The fact saying unencrypted connections are refused, if a source says so.
    pub fn unencrypted_not_offered(&self) -> Option<&NotOffered> {
        self.not_offered
            .iter()
            .find(|n| n.what == NotOfferedKind::Unencrypted)
    }

    /// The fact saying mail apps cannot connect to the provider's servers at all (only to a
    /// bridge, or not at all), if a source says so.
    pub fn mail_app_access_not_offered(&self) -> Option<&NotOffered> {
        self.not_offered
            .iter()
            .find(|n| n.what == NotOfferedKind::MailAppAccess)
    }

    /// The switch to turn on for `protocol`, when a source says there is one.
    pub fn enable_for(&self, protocol: Protocol) -> Option<&Enable> {
        self.enable
            .iter()
            .find(|t| t.required && t.protocols.contains(&protocol))
    }

    /// The username form for a protocol (its preferred endpoint's).
    pub fn username_for(&self, protocol: Protocol) -> UsernameForm {
        self.preferred(protocol)
            .map_or(UsernameForm::Unknown, |e| e.username)
    }

    /// Whether POP3 has Gmail's recent mode.
    pub fn recent_mode(&self) -> bool {
        self.pop3.iter().any(|p| p.recent_mode)
    }

    /// The mechanisms listed for a protocol.
    pub fn mechanisms_for(&self, protocol: Protocol) -> impl Iterator<Item = Mechanism> + '_ {
        self.mechanisms
            .iter()
            .filter(move |m| m.protocols.contains(&protocol))
            .flat_map(|m| m.names.iter().copied())
    }

    /// The credential facts about `protocol`.
    pub fn credentials_for(&self, protocol: Protocol) -> impl Iterator<Item = &Credential> {
        self.credentials.iter().filter(move |c| c.covers(protocol))
    }

    /// The credentials a source says are accepted for `protocol`, in the data's order.
    pub fn accepted(&self, protocol: Protocol) -> impl Iterator<Item = &Credential> {
        self.credentials_for(protocol)
            .filter(|c| c.accepted == Some(true))
    }

    /// What the sources say about the sign-in method `auth` for `protocol`.
    pub fn judge_auth(&self, protocol: Protocol, auth: Auth) -> AuthVerdict<'_> {
        let kinds = credential_kinds(auth);
        if kinds.is_empty() {
            return AuthVerdict::Unknown;
        }
        let facts: Vec<&Credential> = self
            .credentials_for(protocol)
            .filter(|c| kinds.contains(&c.kind))
            .collect();
        if let Some(c) = facts.iter().find(|c| c.accepted == Some(true)) {
            return AuthVerdict::Accepted(c);
        }
        // Every kind `auth` stands for is refused by a source (an app password stands for
        // several kinds: refused only when none of them is accepted and one is refused).
        match facts.iter().find(|c| c.accepted == Some(false)) {
            Some(c) => AuthVerdict::Refused(c),
            None => AuthVerdict::Unknown,
        }
    }

    /// The sign-in method to use for `protocol`: the first accepted credential's, when a source
    /// says one is accepted.
    pub fn best_auth(&self, protocol: Protocol) -> Option<Auth> {
        self.accepted(protocol).find_map(|c| auth_of(c.kind))
    }

    /// The first page with instructions for mail apps.
    pub fn help_page(&self) -> Option<&Help> {
        self.help.first()
    }

    /// Why mail apps cannot reach the mailbox directly, when a source says so (Tuta, Proton).
    pub fn no_access_note(&self) -> Option<&str> {
        self.no_mail_app_access
            .first()
            .map(|s| s.text.as_str())
            .or_else(|| {
                self.mail_app_access_not_offered()
                    .map(|n| n.summary.as_str())
            })
    }

    /// The sign-in methods of the settings that work for `protocol`, best first: those of the
    /// credentials a source says are accepted; where no source says, what the mechanisms ISPDB
    /// lists allow (a password, OAuth2, CRAM-MD5), else a password.
    pub fn sign_in_methods(&self, protocol: Protocol) -> Vec<Auth> {
        let mut out: Vec<Auth> = Vec::new();
        for a in self.accepted(protocol).filter_map(|c| auth_of(c.kind)) {
            if !out.contains(&a) {
                out.push(a);
            }
        }
        if out.is_empty() {
            for m in self.mechanisms_for(protocol) {
                let a = match m {
                    Mechanism::PasswordCleartext => Auth::Password,
                    Mechanism::Oauth2 => Auth::Oauth2,
                    Mechanism::PasswordEncrypted => Auth::EncryptedPassword,
                    _ => continue,
                };
                if !out.contains(&a) {
                    out.push(a);
                }
            }
        }
        if out.is_empty() {
            out.push(Auth::Password);
        }
        out
    }

    /// Whether a source says a password generated for mail apps (an app password, an
    /// authorization code, …) is accepted for `protocol`.
    pub fn accepts_generated_password(&self, protocol: Protocol) -> bool {
        matches!(
            self.judge_auth(protocol, Auth::AppPassword),
            AuthVerdict::Accepted(_)
        )
    }

    /// Whether a source says the account's own password is refused for `protocol` and a
    /// password generated for mail apps (an app password, an authorization code, …) accepted.
    pub fn wants_generated_password(&self, protocol: Protocol) -> bool {
        matches!(
            self.judge_auth(protocol, Auth::AppPassword),
            AuthVerdict::Accepted(_)
        ) && matches!(
            self.judge_auth(protocol, Auth::Password),
            AuthVerdict::Refused(_)
        )
    }

    /// How to sign in from a mail app, in one or two sentences: what is accepted (and what it
    /// needs first), what is refused, or that no source says.
    pub fn sign_in_note(&self, protocol: Protocol) -> String {
        let mut accepted: Vec<String> = Vec::new();
        for c in self.accepted(protocol) {
            let mut text = c.kind.phrase().to_owned();
            if c.requires.contains(&Requirement::TwoStepVerification) {
                text.push_str(" (with two-step verification on)");
            }
            if !accepted.contains(&text) {
                accepted.push(text);
            }
        }
        let refused = matches!(
            self.judge_auth(protocol, Auth::Password),
            AuthVerdict::Refused(_)
        );
        match (accepted.is_empty(), refused) {
            (true, _) => format!(
                "No source here says which password {} accepts from mail apps; if the account's own password is refused, look for an app password in its help.",
                self.name
            ),
            (false, true) => format!(
                "{} accepts {} from mail apps, not the account's own password.",
                self.name,
                join(&accepted, "or")
            ),
            (false, false) => format!(
                "{} accepts {} from mail apps.",
                self.name,
                join(&accepted, "or")
            ),
        }
    }

    /// The sources of a fact.
    pub fn sources_of<'a>(&'a self, fact: &'a dyn Sourced) -> impl Iterator<Item = &'a Source> {
        fact.sources()
            .iter()
            .filter_map(|&i| self.sources.get(usize::from(i)))
    }

    /// The newest date among a fact's sources (the copy's date, else the day it was read).
    pub fn newest_date(&self, fact: &dyn Sourced) -> Option<String> {
        self.sources_of(fact)
            .filter_map(|s| s.newest_date())
            .max()
            .map(str::to_owned)
    }

    /// Where a fact comes from, for people: "per Gmail's own documentation (developers.google.cn,
    /// read 2026-12-02)" or "per Thunderbird's ISPDB (as of 2026-03-12) only; unconfirmed by
    /// Gmail".
    pub fn attribution(&self, fact: &dyn Sourced) -> String {
        let sources: Vec<&Source> = self.sources_of(fact).collect();
        if sources.is_empty() {
            return "no source".to_owned();
        }
        let confirming: Vec<&Source> = sources
            .iter()
            .copied()
            .filter(|s| s.kind.confirms())
            .collect();
        if let Some(best) = newest(&confirming) {
            return format!("per {}", describe(self, best));
        }
        let mut kinds: Vec<String> = Vec::new();
        for kind in [
            SourceKind::Ispdb,
            SourceKind::ProviderDb,
            SourceKind::ThirdParty,
        ] {
            let of_kind: Vec<&Source> =
                sources.iter().copied().filter(|s| s.kind == kind).collect();
            if let Some(s) = newest(&of_kind) {
                kinds.push(describe(self, s));
            }
        }
        let only = if kinds.len() == 1 { " only" } else { "" };
        format!(
            "per {}{only}; unconfirmed by {}",
            join_and(&kinds),
            self.name
        )
    }
}

/// One fact of a provider, for listings (`mailsetup providers --stale`): its table in the data
/// format, its position there, and a one-line summary.
pub struct FactRef<'a> {
    /// The table (`servers`, `credentials`, …).
    pub table: &'static str,
    /// Its position in that table.
    pub index: usize,
    /// What it says, in one line.
    pub summary: String,
    /// The fact itself, for its sources.
    pub fact: &'a dyn Sourced,
}

impl Provider {
    /// Every fact, in the order of the data format. A credential of kind `unknown` is the
    /// absence of a fact and is left out.
    pub fn facts(&self) -> Vec<FactRef<'_>> {
        let mut v: Vec<FactRef<'_>> = Vec::new();
        for (i, f) in self.domains.iter().enumerate() {
            v.push(fact("domains", i, short(&f.names.join(", ")), f));
        }
        for (i, f) in self.mx.iter().enumerate() {
            v.push(fact("mx", i, f.suffixes.join(", "), f));
        }
        for (i, f) in self.servers.iter().enumerate() {
            let summary = format!("{} {}:{} {}", f.protocol, f.host, f.port, f.security);
            v.push(fact("servers", i, summary, f));
        }
        for (i, f) in self.not_offered.iter().enumerate() {
            v.push(fact("not_offered", i, short(&f.summary), f));
        }
        for (i, f) in self.mechanisms.iter().enumerate() {
            let names: Vec<&str> = f.names.iter().map(|m| m.as_str()).collect();
            let protocols: Vec<&str> = f.protocols.iter().map(|p| p.as_str()).collect();
            let summary = format!("{}: {}", protocols.join(", "), names.join(", "));
            v.push(fact("mechanisms", i, summary, f));
        }
        for (i, f) in self.credentials.iter().enumerate() {
            let verdict = match f.accepted {
                Some(true) => "accepted",
                Some(false) => "refused",
                None => continue,
            };
            v.push(fact("credentials", i, format!("{} {verdict}", f.kind), f));
        }
        for (i, f) in self.changes.iter().enumerate() {
            let summary = short(&format!("{} ({}): {}", f.date, f.status, f.summary));
            v.push(fact("changes", i, summary, f));
        }
        for (i, f) in self.enable.iter().enumerate() {
            v.push(fact("enable", i, short(&f.steps), f));
        }
        for (table, list) in [
            ("plans", &self.plans),
            ("client_requirements", &self.client_requirements),
            ("no_mail_app_access", &self.no_mail_app_access),
            ("notes", &self.notes),
        ] {
            for (i, f) in list.iter().enumerate() {
                v.push(fact(table, i, short(&f.text), f));
            }
        }
        for (i, f) in self.bridges.iter().enumerate() {
            v.push(fact("bridges", i, f.name.clone(), f));
        }
        for (i, f) in self.pop3.iter().enumerate() {
            v.push(fact("pop3", i, short(&f.summary), f));
        }
        for (i, f) in self.help.iter().enumerate() {
            v.push(fact("help", i, f.url.clone(), f));
        }
        v
    }
}

fn fact<'a>(table: &'static str, index: usize, summary: String, f: &'a dyn Sourced) -> FactRef<'a> {
    FactRef {
        table,
        index,
        summary,
        fact: f,
    }
}

/// At most 80 characters, cut at a character boundary with "…".
fn short(text: &str) -> String {
    match text.char_indices().nth(79) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_owned(),
    }
}

/// The source with the newest date.
fn newest<'a>(sources: &[&'a Source]) -> Option<&'a Source> {
    sources.iter().copied().max_by(|a, b| {
        a.newest_date()
            .cmp(&b.newest_date())
            .then(b.kind.cmp(&a.kind))
    })
}

/// "Gmail's own page (developers.google.cn, read 2026-12-02)", "Thunderbird's ISPDB (as of
/// 2026-03-12)", "Delta Chat's provider database (checked 2024-08)", "a third-party page
/// (koishi.chat, read 2026-12-02)".
fn describe(p: &Provider, s: &Source) -> String {
    let site = s.url.as_deref().and_then(site_of);
    let when = match (s.as_of.as_str(), s.read_on.as_deref()) {
        ("unknown", Some(r)) => format!("read {r}"),
        ("unknown", None) => "undated".to_owned(),
        (a, _) if s.kind == SourceKind::ProviderDb => format!("checked {a}"),
        (a, _) => format!("as of {a}"),
    };
    let at = |what: String| match site {
        Some(site) => format!("{what} ({site}, {when})"),
        None => format!("{what} ({when})"),
    };
    match s.kind {
        SourceKind::ProviderPage => at(format!("{}'s own page", p.name)),
        SourceKind::ProviderCode => at(format!("{}'s own code", p.name)),
        SourceKind::Definition => format!("{}'s own settings", p.name),
        SourceKind::Ispdb => format!("Thunderbird's ISPDB ({when})"),
        SourceKind::ProviderDb => format!("Delta Chat's provider database ({when})"),
        SourceKind::ThirdParty => at("a third-party page".to_owned()),
    }
}

/// `developers.google.com` from `https://developers.google.com/gmail/…`.
fn site_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty()).then(|| host.trim_start_matches("www."))
}

/// "a", "a and b", "a, b and c".
fn join_and(items: &[String]) -> String {
    join(items, "and")
}

/// "a", "a or b", "a, b or c" (with `or`).
fn join(items: &[String], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {conjunction} {last}", init.join(", ")),
    }
}

/// What the sources say about one sign-in method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthVerdict<'a> {
    /// A source says a credential of this kind is accepted.
    Accepted(&'a Credential),
    /// A source says it is refused, and none says it is accepted.
    Refused(&'a Credential),
    /// No source says.
    Unknown,
}

/// The credential kinds a sign-in method of the settings stands for: `password` is the
/// account's own password; `app-password` any password generated for mail apps (an app
/// password, QQ's authorization code, AT&T's Secure Mail Key, …); `oauth2` itself. The others
/// are mechanisms, not credentials.
pub fn credential_kinds(auth: Auth) -> &'static [CredentialKind] {
    match auth {
        Auth::Password => &[CredentialKind::AccountPassword],
        Auth::AppPassword => &[
            CredentialKind::AppPassword,
            CredentialKind::MailPassword,
            CredentialKind::AuthorizationCode,
            CredentialKind::SecureMailKey,
            CredentialKind::ExternalAppPassword,
            CredentialKind::BridgePassword,
        ],
        Auth::Oauth2 => &[CredentialKind::Oauth2],
        _ => &[],
    }
}

/// The sign-in method of the settings that uses a credential.
pub fn auth_of(kind: CredentialKind) -> Option<Auth> {
    match kind {
        CredentialKind::AccountPassword => Some(Auth::Password),
        CredentialKind::Oauth2 => Some(Auth::Oauth2),
        CredentialKind::Unknown => None,
        _ => Some(Auth::AppPassword),
    }
}

impl CredentialKind {
    /// What people call it: "an app password", "an authorization code", … (the words are
    /// `model::labels::CREDENTIAL`, which the page shares).
    pub fn phrase(self) -> &'static str {
        crate::model::labels::label(crate::model::labels::CREDENTIAL, self.as_str())
    }
}

/// The security an endpoint's port and security mean together, for messages.
pub fn security_label(security: Security) -> &'static str {
    crate::model::labels::security_in_messages(security)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        assert_eq!(
            by_email("Someone@GMAIL.com").map(|p| p.id.as_str()),
            Some("gmail")
        );
        assert_eq!(
            by_email("googlemail.com").map(|p| p.id.as_str()),
            Some("gmail")
        );
        assert_eq!(
            by_host("imap.gmail.com").map(|p| p.id.as_str()),
            Some("gmail")
        );
        assert_eq!(
            by_id("icloud").map(|p| p.name.as_str()),
            Some("iCloud Mail")
        );
        assert!(by_email("nobody@example.invalid").is_none());
        assert_eq!(
            by_mx("contoso-com.mail.protection.outlook.com").map(|p| p.id.as_str()),
            Some("microsoft-365")
        );
        // IP literals identify nobody by host alone, only by a documented endpoint.
        assert!(by_host("127.0.0.1").is_none());
        assert_eq!(
            by_endpoint(Protocol::Imap, "127.0.0.1", 1143).map(|p| p.id.as_str()),
            Some("proton")
        );
        assert!(by_endpoint(Protocol::Imap, "127.0.0.1", 993).is_none());
        assert!(hosts_by_length().all(|(h, _)| h != "127.0.0.1"));
        // Natively the table is compiled in; installing another is refused.
        assert!(install(&serde_json::json!([])).is_err());
    }

    #[test]
    fn attribution_says_where_a_fact_comes_from() {
        let gmail = by_id("gmail").unwrap();
        let imap = gmail.preferred(Protocol::Imap).unwrap();
        let a = gmail.attribution(imap);
        assert!(a.starts_with("per Gmail's own page"), "{a}");
        let kpn = by_id("kpn").unwrap();
        let a = kpn.attribution(kpn.preferred(Protocol::Imap).unwrap());
        assert!(
            a.contains("Thunderbird's ISPDB (as of 2026-03-12) only; unconfirmed by KPN"),
            "{a}"
        );
    }

    #[test]
    fn auth_is_judged_by_credential() {
        let qq = by_id("qq").unwrap();
        assert!(matches!(
            qq.judge_auth(Protocol::Imap, Auth::Password),
            AuthVerdict::Refused(_)
        ));
        assert!(matches!(
            qq.judge_auth(Protocol::Imap, Auth::AppPassword),
            AuthVerdict::Accepted(c) if c.kind == CredentialKind::AuthorizationCode
        ));
        let kpn = by_id("kpn").unwrap();
        assert_eq!(
            kpn.judge_auth(Protocol::Imap, Auth::Password),
            AuthVerdict::Unknown
        );
    }

    #[test]
    fn runtime_provider_comes_first() {
        let own = Provider::from_json(
            r#"{"id":"example-org","name":"Example Org","domains":[{"names":["example.org"]}],
                "servers":[{"protocol":"imap","host":"mail.example.org","port":993,"security":"tls","username":"email-address"}]}"#,
        )
        .unwrap();
        let own = [own];
        let set = Providers::with(&own);
        assert_eq!(
            set.by_email("me@example.org").map(|p| p.id.as_str()),
            Some("example-org")
        );
        assert_eq!(
            set.by_host("MAIL.example.org.").map(|p| p.id.as_str()),
            Some("example-org")
        );
        assert_eq!(
            set.by_email("me@gmail.com").map(|p| p.id.as_str()),
            Some("gmail")
        );
        let e = Provider::from_json(r#"{"id":"x","name":"X","servers":[{"protocol":"imap","host":"h.example","port":0,"security":"tls","username":"email-address"}]}"#)
            .unwrap_err();
        assert_eq!(e.path(), Some("servers[0].port"), "{e}");
    }
}
