//! The curated provider table: what each big provider really requires, with sources and dates.
//!
//! The data is static Rust ([`PROVIDERS`], sorted by id) so it costs nothing to load, in the
//! browser or the terminal. Lookups go by email address, domain, MX host or server host.

mod table;

pub use table::PROVIDERS;

pub use crate::model::UsernameFormat;

use crate::model::{Auth, Protocol, Security};
use serde::Serialize;
use std::sync::LazyLock;

/// One server endpoint a provider offers, in the provider's order of preference per protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    /// What it speaks.
    pub protocol: Protocol,
    /// Its host name.
    pub host: &'static str,
    /// Its port.
    pub port: u16,
    /// Its connection security.
    pub security: Security,
    /// The username format for this endpoint when it differs from the provider's
    /// ([`Provider::username`]); iCloud wants the local part for IMAP and the address for SMTP.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub username: Option<UsernameFormat>,
}

/// A dated fact about authentication: which methods work, since when.
///
/// `accepted` lists [`Auth::Password`] and [`Auth::AppPassword`] together where the provider takes
/// a password over TLS but its own help could not confirm whether that must be an app-specific
/// one; a provider that refuses the account password lists only the methods that work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct AuthPolicy {
    /// The methods that work for mail clients, best first; empty only for a provider with no
    /// servers at all.
    pub accepted: &'static [Auth],
    /// One sentence a person can act on ("Create an app password at …").
    pub note: &'static str,
    /// When the policy took effect (ISO date), where the provider announced one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub since: Option<&'static str>,
}

/// A setting the person must switch on in the provider's web interface before a client can connect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct EnableToggle {
    /// The protocol it switches on.
    pub protocol: Protocol,
    /// Where the switch is, in the provider's words.
    pub note: &'static str,
    /// The page with the switch, when the provider links one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub url: Option<&'static str>,
}

/// POP3 specifics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Pop3Notes {
    /// Gmail's "recent mode": `recent:` before the username gives each POP client the last 30 days.
    pub recent_mode: bool,
    /// What the server does with mail a POP client downloaded, when the provider decides it
    /// (Gmail's keep / archive / delete setting), in the provider's words.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub server_side_setting: Option<&'static str>,
    /// Anything else a POP3 user must know.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub note: Option<&'static str>,
}

/// Where facts came from and when they were last checked against that source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Source {
    /// The page read.
    pub url: &'static str,
    /// What the source is ("Gmail Help: Read Gmail messages on other email clients using POP").
    pub title: &'static str,
    /// ISO date of the last check.
    pub verified: &'static str,
    /// Which of the provider's facts this source backs. Every fact the provider states is backed
    /// by at least one source (a test keeps it so).
    pub covers: &'static [Fact],
}

/// A kind of fact about a provider, for [`Source::covers`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "kebab-case")]
pub enum Fact {
    /// [`Provider::domains`].
    Domains,
    /// [`Provider::mx_suffixes`].
    Mx,
    /// [`Provider::servers`]: hosts, ports and connection security (or that there are none).
    Servers,
    /// [`Provider::username`] and the endpoints' overrides.
    Username,
    /// [`Provider::auth`].
    Auth,
    /// [`Provider::enable`].
    Enable,
    /// [`Provider::pop3`].
    Pop3,
}

impl Fact {
    /// Every kind, in declaration order.
    pub const ALL: &'static [Fact] = &[
        Fact::Domains,
        Fact::Mx,
        Fact::Servers,
        Fact::Username,
        Fact::Auth,
        Fact::Enable,
        Fact::Pop3,
    ];
}

/// One provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Provider {
    /// Stable id (`gmail`), sorted in [`PROVIDERS`].
    pub id: &'static str,
    /// Its name as people know it (`Gmail`).
    pub name: &'static str,
    /// Email domains, sorted.
    pub domains: &'static [&'static str],
    /// Suffixes of MX hosts that identify the provider for custom domains (`.google.com`).
    pub mx_suffixes: &'static [&'static str],
    /// Servers in order of preference within each protocol; empty for providers with no
    /// standard access (Tuta).
    pub servers: &'static [Endpoint],
    /// What the username must be (endpoints may differ: [`Endpoint::username`]).
    pub username: UsernameFormat,
    /// Which sign-in methods work, since when.
    pub auth: AuthPolicy,
    /// Switches to turn on in the web interface first.
    pub enable: &'static [EnableToggle],
    /// POP3 specifics, for providers that offer POP3.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub pop3: Option<Pop3Notes>,
    /// Anything else a person must know (e.g. "no IMAP at all; use the Tuta apps").
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub note: Option<&'static str>,
    /// The provider's own help page for mail clients.
    pub help_url: &'static str,
    /// Where every fact above comes from, with the date it was checked.
    pub sources: &'static [Source],
}

impl Provider {
    /// The provider's servers for one protocol, best first.
    pub fn servers_for(&self, protocol: Protocol) -> impl Iterator<Item = &'static Endpoint> {
        self.servers.iter().filter(move |e| e.protocol == protocol)
    }

    /// The preferred server for one protocol.
    pub fn preferred(&self, protocol: Protocol) -> Option<&'static Endpoint> {
        self.servers_for(protocol).next()
    }

    /// Whether the provider offers the protocol at all.
    pub fn offers(&self, protocol: Protocol) -> bool {
        self.preferred(protocol).is_some()
    }

    /// Whether `host` (normalised) is one of the provider's server hosts.
    pub fn owns_host(&self, host: &str) -> bool {
        self.servers.iter().any(|e| e.host == host)
    }

    /// The documented endpoint with exactly this protocol, host (normalised) and port.
    pub fn endpoint(&self, protocol: Protocol, host: &str, port: u16) -> Option<&'static Endpoint> {
        self.servers
            .iter()
            .find(|e| e.protocol == protocol && e.host == host && e.port == port)
    }

    /// The sources that back one kind of fact.
    pub fn sources_for(&self, fact: Fact) -> impl Iterator<Item = &'static Source> {
        self.sources
            .iter()
            .filter(move |s| s.covers.contains(&fact))
    }

    /// The toggle to switch on for `protocol`, if the provider has one.
    pub fn toggle_for(&self, protocol: Protocol) -> Option<&'static EnableToggle> {
        self.enable.iter().find(|t| t.protocol == protocol)
    }

    /// The username format for a protocol (an endpoint's override, else the provider's).
    pub fn username_for(&self, protocol: Protocol) -> UsernameFormat {
        self.preferred(protocol)
            .and_then(|e| e.username)
            .unwrap_or(self.username)
    }

    /// Whether `auth` works with this provider.
    pub fn accepts(&self, auth: Auth) -> bool {
        self.auth.accepted.contains(&auth)
    }
}

/// A provider by its id.
pub fn by_id(id: &str) -> Option<&'static Provider> {
    PROVIDERS
        .binary_search_by(|p| p.id.cmp(id))
        .ok()
        .map(|i| &PROVIDERS[i])
}

/// The provider whose email domains include this address's domain (or this domain), in any
/// case and with a trailing dot allowed; allocates only for a domain with capitals.
pub fn by_email(email_or_domain: &str) -> Option<&'static Provider> {
    let d = crate::model::email::domain_of(email_or_domain);
    if d.bytes().any(|b| b.is_ascii_uppercase()) {
        by_domain(&d.to_ascii_lowercase())
    } else {
        by_domain(d)
    }
}

/// The provider for an exact email domain (lower case).
pub fn by_domain(domain: &str) -> Option<&'static Provider> {
    DOMAIN_INDEX
        .binary_search_by(|(d, _)| (*d).cmp(domain))
        .ok()
        .map(|i| &PROVIDERS[DOMAIN_INDEX[i].1])
}

/// The provider that runs a server host (`imap.gmail.com` → Gmail).
///
/// IP literals never identify a provider here: `127.0.0.1` is Proton Mail Bridge only on Bridge's
/// ports, and any local server otherwise; [`by_endpoint`] finds those. Where two providers share a
/// host (Gmail and Google Workspace, Microsoft 365 and Outlook.com) the first by id answers.
pub fn by_host(host: &str) -> Option<&'static Provider> {
    let host = normalize_host(host);
    if host.parse::<std::net::IpAddr>().is_ok() {
        return None;
    }
    PROVIDERS.iter().find(|p| p.owns_host(&host))
}

/// The provider with a documented endpoint of exactly this protocol, host and port
/// (`imap 127.0.0.1:1143` → Proton Mail Bridge).
pub fn by_endpoint(protocol: Protocol, host: &str, port: u16) -> Option<&'static Provider> {
    let host = normalize_host(host);
    PROVIDERS
        .iter()
        .find(|p| p.endpoint(protocol, &host, port).is_some())
}

fn normalize_host(host: &str) -> String {
    host.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// The provider that runs an MX host (`alt1.gmail-smtp-in.l.google.com` → Gmail), for custom domains.
pub fn by_mx(mx_host: &str) -> Option<&'static Provider> {
    let mx = normalize_host(mx_host);
    PROVIDERS.iter().find(|p| {
        p.mx_suffixes.iter().any(|s| {
            mx.ends_with(s)
                && (mx.len() == s.len()
                    || s.starts_with('.')
                    || mx.as_bytes()[mx.len() - s.len() - 1] == b'.')
        })
    })
}

/// Every server host name in the table, sorted and deduplicated, with its provider (for typo
/// search). IP literals (Proton Mail Bridge's `127.0.0.1`) are left out: they are nobody's typo.
pub fn all_hosts() -> &'static [(&'static str, &'static Provider)] {
    &HOST_INDEX
}

/// Every email domain with its provider's position in [`PROVIDERS`], sorted, built once.
static DOMAIN_INDEX: LazyLock<Vec<(&'static str, usize)>> = LazyLock::new(|| {
    let mut v: Vec<_> = PROVIDERS
        .iter()
        .enumerate()
        .flat_map(|(i, p)| p.domains.iter().map(move |d| (*d, i)))
        .collect();
    v.sort_unstable();
    v
});

/// See [`all_hosts`].
static HOST_INDEX: LazyLock<Vec<(&'static str, &'static Provider)>> = LazyLock::new(|| {
    let mut v: Vec<_> = PROVIDERS
        .iter()
        .flat_map(|p| p.servers.iter().map(move |e| (e.host, p)))
        .filter(|(host, _)| host.parse::<std::net::IpAddr>().is_err())
        .collect();
    v.sort_unstable_by(|a, b| a.0.cmp(b.0).then(a.1.id.cmp(b.1.id)));
    v.dedup_by(|a, b| a.0 == b.0);
    v
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        assert_eq!(by_email("Someone@GMAIL.com").map(|p| p.id), Some("gmail"));
        assert_eq!(by_email("googlemail.com").map(|p| p.id), Some("gmail"));
        assert_eq!(by_host("imap.gmail.com").map(|p| p.id), Some("gmail"));
        assert_eq!(by_id("icloud").map(|p| p.name), Some("iCloud Mail"));
        assert!(by_email("nobody@example.invalid").is_none());
        // A Google MX means a custom domain on Google's servers: Google Workspace.
        assert_eq!(
            by_mx("alt1.gmail-smtp-in.l.google.com.").map(|p| p.id),
            Some("google-workspace")
        );
        assert_eq!(
            by_mx("contoso-com.mail.protection.outlook.com").map(|p| p.id),
            Some("microsoft-365")
        );
        // IP literals identify nobody by host alone, only by a documented endpoint.
        assert!(by_host("127.0.0.1").is_none());
        assert_eq!(
            by_endpoint(Protocol::Imap, "127.0.0.1", 1143).map(|p| p.id),
            Some("proton")
        );
        assert!(by_endpoint(Protocol::Imap, "127.0.0.1", 993).is_none());
        assert!(all_hosts().iter().all(|(h, _)| *h != "127.0.0.1"));
    }
}
