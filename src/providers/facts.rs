//! What mailsetup knows about a provider, fact by fact, each with the sources behind it.
//!
//! A [`Provider`] is made from a data file (`src/providers/data/<id>.toml`, compiled in) or from
//! JSON given at run time ([`Provider::from_json`]); both go through the one format of
//! [`super::schema`]. Every fact lists its sources (indexes into [`Provider::sources`]) and says
//! whether the provider's own documentation backs it (`confirmed`). What no fact says is not
//! documented — never "does not work": only a [`NotOffered`] fact says something is not offered.

use crate::model::{Auth, Protocol, Security, UsernameFormat};
use serde::Serialize;

/// Defines a kebab-case string enum with its names (for parsing the data and for JSON).
macro_rules! name_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name the data and JSON use.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The value with this name (exactly as the data spells it).
            pub fn from_name(name: &str) -> Option<$name> {
                match name { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

name_enum! {
    /// What kind of source a fact rests on.
    SourceKind {
        /// The provider's own help or web page.
        ProviderPage = "provider-page",
        /// Source code the provider publishes (Proton Mail Bridge, Tuta's apps).
        ProviderCode = "provider-code",
        /// Thunderbird's ISPDB (autoconfig database).
        Ispdb = "ispdb",
        /// Delta Chat's (chatmail's) provider database.
        ProviderDb = "provider-db",
        /// Anything else: guides, blogs, other projects' tables, mirrors of a provider's page.
        ThirdParty = "third-party",
        /// What an organisation states about its own service, given at run time.
        Definition = "definition",
    }
}

impl SourceKind {
    /// Whether a fact with a source of this kind counts as confirmed by the provider.
    pub const fn confirms(self) -> bool {
        matches!(
            self,
            SourceKind::ProviderPage | SourceKind::ProviderCode | SourceKind::Definition
        )
    }
}

name_enum! {
    /// What the username is, in the words the sources use.
    UsernameForm {
        /// The whole email address.
        EmailAddress = "email-address",
        /// The part before the @.
        LocalPart = "local-part",
        /// Either works.
        Either = "either",
        /// A name the provider or its bridge shows.
        Generated = "generated",
        /// The account's own address at the provider, not the custom-domain address (iCloud+).
        AccountAddress = "account-address",
        /// Something else; the endpoint's `usernameNote` says what.
        Other = "other",
        /// No source says.
        Unknown = "unknown",
    }
}

impl UsernameForm {
    /// The form the settings rules can judge a username against, when there is one.
    pub const fn format(self) -> Option<UsernameFormat> {
        match self {
            UsernameForm::EmailAddress => Some(UsernameFormat::EmailAddress),
            UsernameForm::LocalPart => Some(UsernameFormat::LocalPart),
            UsernameForm::Either => Some(UsernameFormat::Either),
            UsernameForm::Generated => Some(UsernameFormat::Generated),
            UsernameForm::AccountAddress | UsernameForm::Other | UsernameForm::Unknown => None,
        }
    }
}

name_enum! {
    /// Which accounts an endpoint is for, where a provider documents different ones.
    Variant {
        /// Personal accounts.
        Personal = "personal",
        /// Organisation (business, school) accounts.
        Org = "org",
        /// Addresses on one's own domain hosted by the provider.
        CustomDomain = "custom-domain",
    }
}

name_enum! {
    /// What a [`NotOffered`] fact says is not offered.
    NotOfferedKind {
        /// A protocol (`protocol` says which).
        Protocol = "protocol",
        /// A port (`protocol` and `port` say which).
        Port = "port",
        /// Any unencrypted connection.
        Unencrypted = "unencrypted",
        /// Any access by a mail app (only the provider's own apps or a bridge).
        MailAppAccess = "mail-app-access",
    }
}

name_enum! {
    /// A SASL mechanism as ISPDB names it. Not a credential: `password-cleartext` says nothing
    /// about which password works.
    Mechanism {
        /// PLAIN / LOGIN.
        PasswordCleartext = "password-cleartext",
        /// CRAM-MD5 and the like.
        PasswordEncrypted = "password-encrypted",
        /// XOAUTH2 / OAUTHBEARER.
        Oauth2 = "oauth2",
        /// No sign-in.
        None = "none",
        /// The server trusts the network the client is on (an ISP's relay).
        ClientIpAddress = "client-ip-address",
        /// A TLS client certificate.
        TlsClientCert = "tls-client-cert",
        /// Kerberos.
        Gssapi = "gssapi",
        /// NTLM.
        Ntlm = "ntlm",
    }
}

name_enum! {
    /// The secret a mail app signs in with.
    CredentialKind {
        /// The password of the account (the one for web mail).
        AccountPassword = "account-password",
        /// A password generated for one app.
        AppPassword = "app-password",
        /// One separate password for all mail programs (T-Online's E-Mail-Passwort).
        MailPassword = "mail-password",
        /// An authorization code generated in web mail (QQ, NetEase).
        AuthorizationCode = "authorization-code",
        /// AT&T's Secure Mail Key.
        SecureMailKey = "secure-mail-key",
        /// Mail.ru's password for external apps.
        ExternalAppPassword = "external-app-password",
        /// The password a local bridge shows (Proton Mail Bridge).
        BridgePassword = "bridge-password",
        /// Sign-in through the provider's web page.
        Oauth2 = "oauth2",
        /// No source says which credential works.
        Unknown = "unknown",
    }
}

name_enum! {
    /// What must be in place before a credential works.
    Requirement {
        /// Two-step verification on the account.
        TwoStepVerification = "2-step-verification",
        /// A paid plan.
        PaidPlan = "paid-plan",
        /// Mail-app access switched on in web mail.
        EnableAccess = "enable-access",
        /// The bridge running on the same computer.
        BridgeRunning = "bridge-running",
    }
}

name_enum! {
    /// Whether a dated change has happened.
    ChangeStatus {
        /// In effect since its date.
        InEffect = "in-effect",
        /// Announced for its date (which may lie ahead).
        Announced = "announced",
    }
}

/// Where a fact comes from: indexes into [`Provider::sources`], and whether one of them is the
/// provider's own documentation.
pub trait Sourced {
    /// The sources, as indexes into the provider's `sources`.
    fn sources(&self) -> &[u16];
    /// True when a source is the provider's own page or code (or the organisation's definition).
    fn confirmed(&self) -> bool;
}

macro_rules! sourced {
    ($($t:ty),+) => {$(
        impl Sourced for $t {
            fn sources(&self) -> &[u16] { &self.sources }
            fn confirmed(&self) -> bool { self.confirmed }
        }
    )+};
}

/// A source the facts of a provider cite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Source {
    /// The id the data file gives it (in the WebAssembly modules, a short one).
    pub id: String,
    /// What kind of source it is.
    pub kind: SourceKind,
    /// The address of what was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub url: Option<String>,
    /// What it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub title: Option<String>,
    /// The words that back the facts. Native build only (`mailsetup providers --json` has them;
    /// the WebAssembly modules' table leaves them out).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub quote: Option<String>,
    /// Where in the source the facts are (and any mirror it was read through). Native only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub locator: Option<String>,
    /// The date of the copy that was read (`YYYY-MM-DD` or `YYYY-MM`), or `unknown` when the
    /// copy shows none.
    pub as_of: String,
    /// The day it was read (`YYYY-MM-DD`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub read_on: Option<String>,
    /// A date the page states about itself (posted, last updated).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub published: Option<String>,
    /// ISPDB: the file (`qq.com.xml`); provider-db: the entry (`qq.md`). Native only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub file: Option<String>,
    /// Which copy of the database was read. Native only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub snapshot: Option<String>,
}

impl Source {
    /// The newest date known for this source's content: the copy's date, else the day it was read.
    pub fn newest_date(&self) -> Option<&str> {
        if self.as_of != "unknown" {
            Some(&self.as_of)
        } else {
            self.read_on.as_deref()
        }
    }
}

/// Address domains of the provider (`user@<domain>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Domains {
    /// The domains, lower case.
    pub names: Vec<String>,
    /// Indexes into the provider's `sources`.
    pub sources: Vec<u16>,
    /// Whether the provider's own documentation backs it.
    pub confirmed: bool,
}

/// MX host suffixes that identify the provider for an own domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct MxSuffixes {
    /// `olc.protection.outlook.com`, …
    pub suffixes: Vec<String>,
    /// Indexes into the provider's `sources`.
    pub sources: Vec<u16>,
    /// Whether the provider's own documentation backs it.
    pub confirmed: bool,
}

/// One server endpoint, in the provider's order of preference per protocol.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    /// What it speaks.
    pub protocol: Protocol,
    /// Its host name (or a loopback address for a local bridge).
    pub host: String,
    /// Its port.
    pub port: u16,
    /// Its connection security.
    pub security: Security,
    /// What the username is there.
    pub username: UsernameForm,
    /// What to type, when `username` is `other`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub username_note: Option<String>,
    /// Which accounts it is for, where the provider documents different ones.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub variant: Option<Variant>,
    /// The provider's domains it applies to, when not all of them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub domains: Vec<String>,
    /// Anything else about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub note: Option<String>,
    /// Indexes into the provider's `sources`.
    pub sources: Vec<u16>,
    /// Whether the provider's own documentation backs it.
    pub confirmed: bool,
}

/// Something a source says the provider does not offer: the only way to say "X has no POP3".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct NotOffered {
    /// What is not offered.
    pub what: NotOfferedKind,
    /// The protocol, for `protocol` and `port`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub protocol: Option<Protocol>,
    /// The port, for `port`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub port: Option<u16>,
    /// In plain words.
    pub summary: String,
    /// Indexes into the provider's `sources`.
    pub sources: Vec<u16>,
    /// Whether the provider's own documentation backs it.
    pub confirmed: bool,
}

/// SASL mechanisms as ISPDB lists them, per protocol.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Mechanisms {
    /// The protocols.
    pub protocols: Vec<Protocol>,
    /// The mechanisms.
    pub names: Vec<Mechanism>,
    /// Anything else about them.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub note: Option<String>,
    /// Indexes into the provider's `sources`.
    pub sources: Vec<u16>,
    /// Whether the provider's own documentation backs it.
    pub confirmed: bool,
}

/// Whether the provider accepts a credential from mail apps (or that no source says which).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Credential {
    /// The credential.
    pub kind: CredentialKind,
    /// Accepted or refused; absent for `unknown`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub accepted: Option<bool>,
    /// The protocols it is about; empty for all.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub protocols: Vec<Protocol>,
    /// What must be in place first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub requires: Vec<Requirement>,
    /// How to get it, step by step.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub how: Option<String>,
    /// Since when (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub since: Option<String>,
    /// Until when.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub until: Option<String>,
    /// Anything else about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub note: Option<String>,
    /// Indexes into the provider's `sources`.
    pub sources: Vec<u16>,
    /// Whether the provider's own documentation backs it.
    pub confirmed: bool,
}

impl Credential {
    /// Whether it is about `protocol`.
    pub fn covers(&self, protocol: Protocol) -> bool {
        self.protocols.is_empty() || self.protocols.contains(&protocol)
    }
}

/// A dated policy change, in effect or announced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Change {
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub date: String,
    /// In effect or announced.
    pub status: ChangeStatus,
    /// What changes.
    pub summary: String,
    /// The protocols it is about; empty for all.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub protocols: Vec<Protocol>,
    /// Indexes into the provider's `sources`.
    pub sources: Vec<u16>,
    /// Whether the provider's own documentation backs it.
    pub confirmed: bool,
}

/// A switch the person turns on in the provider's web settings first (or, with `required`
/// false, the fact that nothing needs switching on).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Enable {
    /// The protocols it switches on.
    pub protocols: Vec<Protocol>,
    /// Where the switch is, step by step.
    pub steps: String,
    /// The page with the switch.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub url: Option<String>,
    /// True when a source says the switch starts off.
    pub off_by_default: bool,
    /// False when a source says nothing needs switching on.
    pub required: bool,
    /// Indexes into the provider's `sources`.
    pub sources: Vec<u16>,
    /// Whether the provider's own documentation backs it.
    pub confirmed: bool,
}

/// One sentence of a kind (a plan limit, a client requirement, no mail-app access, a note).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Statement {
    /// In plain words.
    pub text: String,
    /// The protocols it is about; empty for all.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub protocols: Vec<Protocol>,
    /// Indexes into the provider's `sources`.
    pub sources: Vec<u16>,
    /// Whether the provider's own documentation backs it.
    pub confirmed: bool,
}

/// A local bridge mail apps connect to (Proton Mail Bridge).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Bridge {
    /// Its name.
    pub name: String,
    /// What it does.
    pub summary: String,
    /// Where to get it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub url: Option<String>,
    /// Indexes into the provider's `sources`.
    pub sources: Vec<u16>,
    /// Whether the provider's own documentation backs it.
    pub confirmed: bool,
}

/// POP3 specifics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Pop3Fact {
    /// In plain words.
    pub summary: String,
    /// Gmail's "recent mode": `recent:` before the username gives each POP3 client the last 30
    /// days.
    pub recent_mode: bool,
    /// The provider's own setting decides what happens to its copy after a POP3 download (the
    /// client's "leave a copy on the server" does not).
    pub server_setting: bool,
    /// Indexes into the provider's `sources`.
    pub sources: Vec<u16>,
    /// Whether the provider's own documentation backs it.
    pub confirmed: bool,
}

/// A page with instructions for mail apps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Help {
    /// Its address.
    pub url: String,
    /// Its title.
    pub title: String,
    /// Indexes into the provider's `sources`.
    pub sources: Vec<u16>,
    /// Whether the provider's own documentation backs it.
    pub confirmed: bool,
}

sourced!(
    Domains, MxSuffixes, Endpoint, NotOffered, Mechanisms, Credential, Change, Enable, Statement,
    Bridge, Pop3Fact, Help
);

/// One provider: every fact mailsetup has about it, with its sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Provider {
    /// Stable id (`gmail`).
    pub id: String,
    /// Its name as people know it (`Gmail`).
    pub name: String,
    /// True for a provider given at run time (an organisation's own), false for the curated table.
    pub defined: bool,
    /// Address domains.
    pub domains: Vec<Domains>,
    /// MX host suffixes for own domains.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub mx: Vec<MxSuffixes>,
    /// Server endpoints, in order of preference per protocol.
    pub servers: Vec<Endpoint>,
    /// What a source says is not offered.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub not_offered: Vec<NotOffered>,
    /// SASL mechanisms (ISPDB).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub mechanisms: Vec<Mechanisms>,
    /// Credentials accepted or refused from mail apps.
    pub credentials: Vec<Credential>,
    /// Dated policy changes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub changes: Vec<Change>,
    /// Switches to turn on first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub enable: Vec<Enable>,
    /// Paid-plan and sending limits.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub plans: Vec<Statement>,
    /// What a mail app must do or avoid.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub client_requirements: Vec<Statement>,
    /// Local bridges.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub bridges: Vec<Bridge>,
    /// The service has no mail-app access at all.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub no_mail_app_access: Vec<Statement>,
    /// POP3 specifics.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub pop3: Vec<Pop3Fact>,
    /// Anything else a person must know.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub notes: Vec<Statement>,
    /// Pages with instructions for mail apps.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub help: Vec<Help>,
    /// Every source the facts cite.
    pub sources: Vec<Source>,
    /// What to choose as the sign-in method, for each protocol it offers: derived from
    /// `credentials` and `mechanisms` (no sources of its own), for a page that shows settings.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub sign_in: Vec<SignIn>,
}

/// The sign-in method to choose for one protocol, and the credential it takes, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
pub struct SignIn {
    /// The protocol.
    pub protocol: Protocol,
    /// The settings that work, best first.
    pub methods: Vec<Auth>,
    /// Which credential to type, in words ("an app password (with two-step verification on)").
    pub note: String,
}
