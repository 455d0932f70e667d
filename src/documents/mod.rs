//! Configuration documents: export settings for every kind of client, and import and lint
//! Thunderbird autoconfig files.
//!
//! ## Export
//!
//! [`export`] turns an [`ExportInput`] — a whole [`Account`], or an email address whose provider
//! is in the curated table — into one [`Format`]:
//!
//! | format         | what                                                         | file |
//! |----------------|--------------------------------------------------------------|------|
//! | `autoconfig`   | Thunderbird autoconfig `clientConfig` v1.1                   | `config-v1.1.xml` |
//! | `autodiscover` | Outlook Autodiscover POX response (MS-OXDSCLI)               | `autodiscover.xml` |
//! | `mobileconfig` | Apple configuration profile, `com.apple.mail.managed` payload | `mail.mobileconfig` |
//! | `srv`          | DNS SRV zone lines (RFC 6186, RFC 8314 §5.1)                  | `srv.zone` |
//! | `markdown`     | a settings card for a help page                              | `mail-settings.md` |
//! | `html`         | the same card as an HTML fragment                            | `mail-settings.html` |
//!
//! Every document is produced by a writer that escapes what it writes (quick-xml for the XML
//! formats, checked DNS names for zone lines, escaping table writers for the cards); user input is
//! never glued into markup. No document ever contains a password. The same input always gives the
//! same bytes (the profile's UUIDs are derived from the input).
//!
//! Every format writes hosts and domains the way every client reads them: IDNA A-labels, lower
//! case, no trailing dot, IPv6 addresses without brackets. Input no format can carry (control
//! characters) is refused with the field named, before any format is chosen; what one format
//! cannot say (a TLS client certificate in autoconfig, OAuth2 in Autodiscover) is refused by that
//! format with what to do instead. Nothing is exported that its client would refuse: the test
//! suite reads every autoconfig export with Thunderbird's own reader.
//!
//! ## Import and lint
//!
//! [`import_autoconfig`] reads an autoconfig file into [`Account`]s with a defensive XML reader
//! (no DTDs, no entities, size, depth and element caps; see [`xml`]). [`lint_autoconfig`] reports
//! what is wrong with such a file: the D-family rules about the document itself, and every normal
//! validation rule on each server in it, with field paths that name the server
//! (`incomingServer[2].port`).

mod autoconfig;
mod autodiscover;
mod card;
mod clients;
pub(crate) mod lint;
mod mobileconfig;
mod srv;
pub mod xml;

pub use autoconfig::{
    import_autoconfig, AuthMethod, ImportError, Imported, ImportedServer, SkippedServer,
    MAX_SERVERS, PLACEHOLDERS,
};
pub use lint::{lint_autoconfig, THUNDERBIRD_REFUSES};

use crate::error::InputError;
use crate::model::{labels, Account, Auth, Pop3Options, Protocol, Security};
use crate::providers::{self, Provider, UsernameFormat};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// A document format [`export`] can produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Format {
    /// Thunderbird autoconfig (`clientConfig` v1.1), also read by K-9/Thunderbird for Android,
    /// Evolution, KMail and others.
    Autoconfig,
    /// Outlook's Autodiscover "POX" response for IMAP/POP3/SMTP accounts.
    Autodiscover,
    /// An Apple configuration profile for Mail on iOS, iPadOS, macOS and visionOS.
    Mobileconfig,
    /// DNS SRV records a domain publishes so clients can find its servers.
    Srv,
    /// A Markdown settings card.
    Markdown,
    /// An HTML settings card (a fragment, ready to embed).
    Html,
}

impl Format {
    /// Every format, in the order of [`Format::NAMES`].
    pub const ALL: &'static [Format] = &[
        Format::Autoconfig,
        Format::Autodiscover,
        Format::Mobileconfig,
        Format::Srv,
        Format::Markdown,
        Format::Html,
    ];
    /// The names the CLI and the JS API use.
    pub const NAMES: &'static [&'static str] = &[
        "autoconfig",
        "autodiscover",
        "mobileconfig",
        "srv",
        "markdown",
        "html",
    ];

    /// The name the CLI and the JS API use.
    pub const fn as_str(self) -> &'static str {
        match self {
            Format::Autoconfig => "autoconfig",
            Format::Autodiscover => "autodiscover",
            Format::Mobileconfig => "mobileconfig",
            Format::Srv => "srv",
            Format::Markdown => "markdown",
            Format::Html => "html",
        }
    }

    /// The conventional file name for a download.
    pub const fn file_name(self) -> &'static str {
        match self {
            // The name Thunderbird fetches from autoconfig.<domain>/mail/.
            Format::Autoconfig => "config-v1.1.xml",
            Format::Autodiscover => "autodiscover.xml",
            Format::Mobileconfig => "mail.mobileconfig",
            Format::Srv => "srv.zone",
            Format::Markdown => "mail-settings.md",
            Format::Html => "mail-settings.html",
        }
    }

    /// The media type to serve or download it with.
    pub const fn media_type(self) -> &'static str {
        match self {
            Format::Autoconfig | Format::Autodiscover => "application/xml",
            // What Safari and Apple devices expect for a profile download.
            Format::Mobileconfig => "application/x-apple-aspen-config",
            // RFC 4027.
            Format::Srv => "text/dns",
            Format::Markdown => "text/markdown",
            Format::Html => "text/html",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = InputError;
    fn from_str(s: &str) -> Result<Self, InputError> {
        let t = s.trim();
        Format::ALL
            .iter()
            .copied()
            .find(|f| f.as_str().eq_ignore_ascii_case(t))
            .ok_or_else(|| InputError::unknown_value("format", s, Format::NAMES))
    }
}

/// Why a document could not be produced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// The text given as an email address is not one.
    #[error(
        "{} is not an email address (expected name@domain)",
        crate::text::Quoted(email)
    )]
    InvalidEmail {
        /// The text given.
        email: String,
    },
    /// No provider in the curated table for the address's domain.
    #[error("no provider in mailsetup's table serves {domain}; export a whole account (its servers) instead")]
    UnknownProvider {
        /// The address's domain.
        domain: String,
    },
    /// The provider offers no standard mail access.
    #[error("{provider} offers no IMAP, POP3 or SMTP access{}", note.map(|n| format!(": {n}")).unwrap_or_default())]
    NoServers {
        /// The provider's name.
        provider: &'static str,
        /// What the table says instead ("use the Tuta apps").
        note: Option<&'static str>,
    },
    /// The format needs the email address (its domain), and the account gives none.
    #[error("{format} needs the account's email address ({why}); add `email` to the account")]
    NeedsEmail {
        /// The format asked for.
        format: Format,
        /// What it needs the address for.
        why: &'static str,
    },
    /// The account's servers do not fit together (an SMTP server as the incoming one, …).
    #[error("{0}")]
    InvalidAccount(String),
    /// The format cannot say what the account needs.
    #[error("{format} cannot express {what}; {help}")]
    Unexpressible {
        /// The format asked for.
        format: Format,
        /// What it cannot say ("OAuth2 on imap.gmail.com").
        what: String,
        /// What to do instead.
        help: String,
    },
    /// A name that must be a DNS host name is not one (SRV targets, zone owner names).
    #[error(
        "{what} {} is not a DNS host name ({why}); SRV records need one",
        crate::text::Quoted(value)
    )]
    NotAHostName {
        /// Which name (`SRV target`).
        what: &'static str,
        /// The name.
        value: String,
        /// What is wrong with it.
        why: String,
    },
    /// A field holds a character no document can carry (a control character, U+FFFE, U+FFFF).
    #[error("`{field}` contains {character}, which no configuration document can carry (control characters, U+FFFE, U+FFFF); remove it")]
    ControlCharacter {
        /// The field (`incoming.username`).
        field: String,
        /// The character (`U+0001`).
        character: String,
    },
    /// A server's host is not a host name.
    #[error("`{field}` {} is not a host name ({why})", crate::text::Quoted(value))]
    InvalidHost {
        /// The field (`incoming.host`).
        field: String,
        /// The host as given.
        value: String,
        /// What is wrong with it.
        why: String,
    },
    /// Writing the document failed (cannot happen when writing to memory; kept for honesty).
    #[error("could not write the document: {0}")]
    Write(String),
}

impl From<std::io::Error> for ExportError {
    fn from(e: std::io::Error) -> Self {
        ExportError::Write(e.to_string())
    }
}

/// What to export: a whole account, or an email address whose provider is in the curated table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportInput {
    /// A whole account: its servers exactly as given.
    Account(Account),
    /// An email address; the servers come from its provider's entry.
    Email(String),
}

impl ExportInput {
    /// Reads JSON text (the CLI's account files): see [`ExportInput::from_json_value`].
    pub fn from_json(text: &str) -> Result<ExportInput, InputError> {
        ExportInput::from_json_value(crate::error::json_value(text)?)
    }

    /// Reads the input the JS API and the CLI take: an account object (it has `incoming`), an
    /// object with only `email`, or a bare email-address string.
    pub fn from_json_value(value: serde_json::Value) -> Result<ExportInput, InputError> {
        match value {
            serde_json::Value::String(email) => Ok(ExportInput::Email(email)),
            serde_json::Value::Object(ref obj) if obj.contains_key("incoming") => {
                crate::error::from_value(value).map(ExportInput::Account)
            }
            serde_json::Value::Object(ref obj) => match obj.get("email") {
                Some(serde_json::Value::String(email)) if obj.len() == 1 => {
                    Ok(ExportInput::Email(email.clone()))
                }
                _ => Err(InputError::Field {
                    path: String::new(),
                    message: "expected an account (with `incoming`) or `{ \"email\": … }`".into(),
                }),
            },
            _ => Err(InputError::Field {
                path: String::new(),
                message: "expected an account object or an email address".into(),
            }),
        }
    }
}

/// Exports `input` as `format`. The one entry point the CLI (`mailsetup export`) and the JS API
/// (`exportConfig`) call.
pub fn export(input: &ExportInput, format: Format) -> Result<String, ExportError> {
    refuse_control_characters(input)?;
    let plan = match input {
        ExportInput::Account(a) => Plan::from_account(a)?,
        ExportInput::Email(e) => Plan::for_email(e)?,
    };
    match format {
        Format::Autoconfig => autoconfig::write(&plan),
        Format::Autodiscover => autodiscover::write(&plan),
        Format::Mobileconfig => mobileconfig::write(&plan),
        Format::Srv => srv::write(&plan),
        Format::Markdown => card::markdown(&plan),
        Format::Html => card::html(&plan),
    }
}

/// Refuses a control character (C0, DEL, C1) or a noncharacter XML forbids (U+FFFE, U+FFFF) in
/// any text field, naming the field: XML cannot carry most of them, and none belongs in an
/// address, a host or a username.
fn refuse_control_characters(input: &ExportInput) -> Result<(), ExportError> {
    let mut fields: Vec<(&str, &str)> = Vec::new();
    match input {
        ExportInput::Email(e) => fields.push(("email", e)),
        ExportInput::Account(a) => {
            fields.extend(a.email.as_deref().map(|e| ("email", e)));
            for (name, s) in [
                ("incoming", Some(&a.incoming)),
                ("outgoing", a.outgoing.as_ref()),
            ] {
                let Some(s) = s else { continue };
                fields.push((
                    if name == "incoming" {
                        "incoming.host"
                    } else {
                        "outgoing.host"
                    },
                    &s.host,
                ));
                if let Some(u) = &s.username {
                    fields.push((
                        if name == "incoming" {
                            "incoming.username"
                        } else {
                            "outgoing.username"
                        },
                        u,
                    ));
                }
            }
        }
    }
    for (field, value) in fields {
        if let Some(c) = value
            .chars()
            .find(|&c| c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}'))
        {
            return Err(ExportError::ControlCharacter {
                field: field.into(),
                character: format!("U+{:04X}", c as u32),
            });
        }
    }
    Ok(())
}

/// A server's host as every format writes it: A-labels, lower case, no trailing dot, an IPv6
/// address without brackets; refused when it is not a host name at all.
fn plan_host(field: &str, typed: &str) -> Result<String, ExportError> {
    use crate::model::HostProblem;
    let h = crate::model::Host::parse(typed);
    let cosmetic = |p: &HostProblem| {
        matches!(
            p,
            HostProblem::Whitespace | HostProblem::UpperCase | HostProblem::TrailingDot
        )
    };
    if h.kind.is_some() && h.problems.iter().all(cosmetic) {
        return Ok(h.ascii);
    }
    let why = h.problems.iter().find(|p| !cosmetic(p)).map_or_else(
        || "not a host name".to_owned(),
        |p| match p {
            HostProblem::Syntax(why) => why.clone(),
            HostProblem::Empty => "it is empty".into(),
            HostProblem::Url { .. } => format!("a URL; write the bare host name {}", h.ascii),
            HostProblem::Port(port) => {
                format!("a port in the host; write {} and port {port}", h.ascii)
            }
            _ => format!("write the bare host name {}", h.ascii),
        },
    );
    Err(ExportError::InvalidHost {
        field: field.into(),
        value: typed.into(),
        why,
    })
}

/// An email address split at its last `@`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EmailParts {
    pub address: String,
    pub local: String,
    pub domain: String,
}

impl EmailParts {
    /// Splits a typed address: trimmed, both parts non-empty, no whitespace.
    pub fn parse(email: &str) -> Result<EmailParts, ExportError> {
        let t = email.trim();
        let bad = || ExportError::InvalidEmail {
            email: email.to_owned(),
        };
        let (local, domain) = crate::model::email::split(t).ok_or_else(bad)?;
        if local.is_empty() || domain.is_empty() || t.chars().any(char::is_whitespace) {
            return Err(bad());
        }
        // The domain as every format writes it: A-labels (IDNA), lower case.
        let host = crate::model::Host::parse(domain);
        Ok(EmailParts {
            address: t.to_owned(),
            local: local.to_owned(),
            domain: match host.kind {
                Some(_) => host.ascii,
                None => domain.trim_end_matches('.').to_ascii_lowercase(),
            },
        })
    }
}

impl EmailParts {
    /// An address to export: also its syntax as mail clients need it (one `@`, a domain name).
    pub fn parse_strict(email: &str) -> Result<EmailParts, ExportError> {
        let parts = EmailParts::parse(email)?;
        crate::model::email::address_problem(&parts.address).map_err(|_| {
            ExportError::InvalidEmail {
                email: email.to_owned(),
            }
        })?;
        Ok(parts)
    }
}

/// What the username is, said once for every format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Username {
    /// The whole email address.
    Address,
    /// The part before the `@`.
    LocalPart,
    /// Exactly this text.
    Literal(String),
    /// Not said: clients default to the email address.
    NotSaid,
}

impl Username {
    /// The concrete username, when it can be known.
    pub fn resolve(&self, email: Option<&EmailParts>) -> Option<String> {
        match (self, email) {
            (Username::Literal(s), _) => Some(s.clone()),
            (Username::Address | Username::NotSaid, Some(e)) => Some(e.address.clone()),
            (Username::LocalPart, Some(e)) => Some(e.local.clone()),
            (_, None) => None,
        }
    }
}

/// One server to export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PlanServer {
    pub protocol: Protocol,
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// Authentication methods in order of preference; never empty.
    pub auth: Vec<Auth>,
    pub username: Username,
}

/// Everything an exporter needs, whatever the input was.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub email: Option<EmailParts>,
    /// Email domains the document is for (the address's first).
    pub domains: Vec<String>,
    pub display_name: String,
    pub provider: Option<&'static Provider>,
    /// Incoming servers, best first.
    pub incoming: Vec<PlanServer>,
    /// Outgoing servers, best first.
    pub outgoing: Vec<PlanServer>,
    /// POP3 download options (apply to the POP3 servers).
    pub pop3: Option<Pop3Options>,
}

impl Plan {
    /// The plan for an address whose provider is in the curated table: every server the provider
    /// offers, in its order of preference (IMAP before POP3, as the provider lists them).
    pub fn for_email(email: &str) -> Result<Plan, ExportError> {
        let parts = EmailParts::parse_strict(email)?;
        let provider =
            providers::by_domain(&parts.domain).ok_or_else(|| ExportError::UnknownProvider {
                domain: parts.domain.clone(),
            })?;
        if provider.servers.is_empty() {
            return Err(ExportError::NoServers {
                provider: &provider.name,
                note: provider.no_access_note(),
            });
        }
        let server = |e: &providers::Endpoint| -> Result<PlanServer, ExportError> {
            Ok(PlanServer {
                protocol: e.protocol,
                host: plan_host("host", &e.host)?,
                port: e.port,
                security: e.security,
                auth: provider.sign_in_methods(e.protocol),
                username: e.username.format().map_or(Username::NotSaid, username_of),
            })
        };
        let domain = parts.domain.as_str();
        let incoming: Vec<PlanServer> = provider
            .servers_for_domain(Protocol::Imap, domain)
            .chain(provider.servers_for_domain(Protocol::Pop3, domain))
            .map(server)
            .collect::<Result<_, _>>()?;
        let outgoing = provider
            .servers_for_domain(Protocol::Smtp, domain)
            .map(server)
            .collect::<Result<_, _>>()?;
        let offers_pop3 = provider.offers(Protocol::Pop3);
        let mut domains = vec![parts.domain.clone()];
        domains.extend(
            provider
                .domain_names()
                .filter(|d| *d != parts.domain)
                .map(str::to_owned),
        );
        Ok(Plan {
            email: Some(parts),
            domains,
            display_name: provider.name.to_owned(),
            provider: Some(provider),
            incoming,
            outgoing,
            // Keeping a copy on the server is the safe default: other devices still see the mail.
            pop3: offers_pop3.then_some(Pop3Options {
                leave_on_server: true,
                delete_after_days: None,
            }),
        })
    }

    /// The plan for one account: its servers exactly as given.
    pub fn from_account(a: &Account) -> Result<Plan, ExportError> {
        let email = a
            .email
            .as_deref()
            .map(EmailParts::parse_strict)
            .transpose()?;
        if !a.incoming.protocol.is_incoming() {
            return Err(ExportError::InvalidAccount(format!(
                "the incoming server's protocol is {}; it must be imap or pop3",
                a.incoming.protocol
            )));
        }
        if let Some(o) = &a.outgoing {
            if o.protocol != Protocol::Smtp {
                return Err(ExportError::InvalidAccount(format!(
                    "the outgoing server's protocol is {}; it must be smtp",
                    o.protocol
                )));
            }
        }
        let provider = email
            .as_ref()
            .and_then(|e| providers::by_domain(&e.domain))
            .or_else(|| providers::by_host(&a.incoming.host))
            .or_else(|| {
                a.outgoing
                    .as_ref()
                    .and_then(|o| providers::by_host(&o.host))
            });
        let server = |s: &crate::model::Server, field: &str| -> Result<PlanServer, ExportError> {
            Ok(PlanServer {
                protocol: s.protocol,
                host: plan_host(field, &s.host)?,
                port: s.port,
                security: s.security,
                auth: match s.auth {
                    Some(auth) => vec![auth],
                    // Not said: what the provider accepts, else the normal password.
                    None => provider
                        .map_or_else(|| vec![Auth::Password], |p| p.sign_in_methods(s.protocol)),
                },
                // Spaces around a username are never part of it (the settings rules say so too),
                // and an empty one is not given.
                // The address becomes the placeholder only where the client is given the same
                // text: an internationalised domain may reach it in A-labels.
                username: match (s.username.as_deref().map(str::trim), &email) {
                    (None | Some(""), _) => Username::NotSaid,
                    (Some(u), Some(e)) if u == e.address && e.address.is_ascii() => {
                        Username::Address
                    }
                    (Some(u), Some(e)) if u == e.local => Username::LocalPart,
                    (Some(u), _) => Username::Literal(u.to_owned()),
                },
            })
        };
        let display_name = provider.map_or_else(
            || {
                email
                    .as_ref()
                    .map_or_else(|| a.incoming.host.clone(), |e| e.domain.clone())
            },
            |p| p.name.to_owned(),
        );
        let incoming = vec![server(&a.incoming, "incoming.host")?];
        let outgoing = match &a.outgoing {
            Some(o) => vec![server(o, "outgoing.host")?],
            None => Vec::new(),
        };
        Ok(Plan {
            domains: email.iter().map(|e| e.domain.clone()).collect(),
            email,
            display_name,
            provider,
            incoming,
            outgoing,
            pop3: a.pop3,
        })
    }

    /// Every server, incoming first.
    pub fn servers(&self) -> impl Iterator<Item = &PlanServer> {
        self.incoming.iter().chain(&self.outgoing)
    }
}

fn username_of(format: UsernameFormat) -> Username {
    match format {
        UsernameFormat::LocalPart => Username::LocalPart,
        // "Either" works with the address; a generated name (a local bridge) cannot be known.
        UsernameFormat::EmailAddress | UsernameFormat::Either => Username::Address,
        UsernameFormat::Generated => Username::NotSaid,
    }
}

/// How the cards and error messages name an authentication method, in a sentence ("normal
/// password", "OAuth2 (sign in with the provider)").
pub(crate) fn auth_label(a: Auth) -> std::borrow::Cow<'static, str> {
    labels::in_sentence(labels::auth(a))
}

/// A stable name-based UUID (RFC 9562 version 5, SHA-1) for `name` in `namespace`, in upper
/// case as Apple's profiles write them.
pub(crate) fn uuid_v5(namespace: [u8; 16], name: &[u8]) -> String {
    let uuid = uuid::Uuid::new_v5(&uuid::Uuid::from_bytes(namespace), name);
    format!("{:X}", uuid.hyphenated())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip() {
        for (f, n) in Format::ALL.iter().zip(Format::NAMES) {
            assert_eq!(f.as_str(), *n);
            assert_eq!(n.parse::<Format>().unwrap(), *f);
            assert_eq!(serde_json::to_string(f).unwrap(), format!("\"{n}\""));
        }
        assert_eq!(" HTML ".parse::<Format>().unwrap(), Format::Html);
        let e = "pdf".parse::<Format>().unwrap_err().to_string();
        assert!(e.contains("pdf") && e.contains("mobileconfig"), "{e}");
    }

    #[test]
    fn uuid_v5_matches_rfc_example() {
        // RFC 9562 appendix A.4: the DNS namespace and "www.example.com".
        let dns = [
            0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4,
            0x30, 0xc8,
        ];
        assert_eq!(
            uuid_v5(dns, b"www.example.com"),
            "2ED6657D-E927-568B-95E1-2665A8AEA6A2"
        );
    }

    #[test]
    fn export_input_from_json() {
        let v = serde_json::json!("me@gmail.com");
        assert_eq!(
            ExportInput::from_json_value(v).unwrap(),
            ExportInput::Email("me@gmail.com".into())
        );
        let v = serde_json::json!({"email": "me@gmail.com"});
        assert!(matches!(
            ExportInput::from_json_value(v),
            Ok(ExportInput::Email(_))
        ));
        let v = serde_json::json!({"incoming": {"protocol": "imap", "host": "h", "port": 993, "security": "tls"}});
        assert!(matches!(
            ExportInput::from_json_value(v),
            Ok(ExportInput::Account(_))
        ));
        let v = serde_json::json!({"incoming": {"protocol": "imap", "host": "h", "port": 0, "security": "tls"}});
        let e = ExportInput::from_json_value(v).unwrap_err();
        assert_eq!(e.path(), Some("incoming.port"));
        assert!(ExportInput::from_json_value(serde_json::json!(3)).is_err());
        assert!(ExportInput::from_json_value(serde_json::json!({"mail": "x"})).is_err());
    }

    #[test]
    fn email_parts() {
        let e = EmailParts::parse(" Me@Example.COM. ").unwrap();
        assert_eq!(
            (e.address.as_str(), e.local.as_str(), e.domain.as_str()),
            ("Me@Example.COM.", "Me", "example.com")
        );
        for bad in ["", "me", "@x", "me@", "m e@x.com"] {
            assert!(EmailParts::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn plan_errors() {
        assert!(matches!(
            Plan::for_email("me@example.invalid"),
            Err(ExportError::UnknownProvider { .. })
        ));
        assert!(matches!(
            Plan::for_email("nobody"),
            Err(ExportError::InvalidEmail { .. })
        ));
        let p = Plan::for_email("me@gmail.com").unwrap();
        assert_eq!(p.domains, ["gmail.com", "googlemail.com"]);
        assert_eq!(p.incoming[0].host, "imap.gmail.com");
        assert_eq!(p.incoming[1].protocol, Protocol::Pop3);
        assert_eq!(p.outgoing.len(), 2);
    }
}
