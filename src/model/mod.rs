//! The settings model: what a person types into a mail client.
//!
//! Everything here is plain data with strict, forgiving-where-it-is-safe parsing: the aliases people
//! type (`SSL`, `ssl/tls`, `plain`) are accepted, anything else is refused with the allowed values.
//! Nothing here judges the settings; that is the job of the rules ([`crate::validate`]).

mod confusables;
pub mod email;
mod enums;
mod host;
pub mod labels;
mod parse;

pub use email::Email;
pub use enums::{Auth, Protocol, Security, UsernameFormat};
pub use host::{lookalike, punycode_decode, set_idna, Host, HostKind, HostProblem, MAX_HOST_LEN};
pub use parse::{parse_settings, parse_settings_json};

use serde::{Deserialize, Serialize};

/// Well-known ports, each with the standard that assigns it.
pub mod ports {
    /// IMAP with STARTTLS (RFC 9051 §2.1, RFC 3501).
    pub const IMAP: u16 = 143;
    /// IMAP over implicit TLS (RFC 8314 §7.2).
    pub const IMAPS: u16 = 993;
    /// POP3 with STLS (RFC 1939, RFC 2595).
    pub const POP3: u16 = 110;
    /// POP3 over implicit TLS (RFC 8314 §7.2).
    pub const POP3S: u16 = 995;
    /// SMTP relay between servers (RFC 5321); not for clients.
    pub const SMTP_RELAY: u16 = 25;
    /// Message submission with STARTTLS (RFC 6409).
    pub const SUBMISSION: u16 = 587;
    /// Message submission over implicit TLS (RFC 8314 §7.3).
    pub const SUBMISSIONS: u16 = 465;
}

/// One server as a mail client is configured for it.
///
/// JSON: `{ "protocol": "imap", "host": "imap.example.com", "port": 993, "security": "tls",
/// "auth": "password", "username": "me@example.com" }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Server {
    /// What the server speaks.
    pub protocol: Protocol,
    /// Host name or IP literal, as typed (the rules normalise and judge it).
    pub host: String,
    /// TCP port, 1–65535.
    #[serde(deserialize_with = "deserialize_port")]
    pub port: u16,
    /// Connection security.
    pub security: Security,
    /// How the client authenticates; absent means "not said".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub auth: Option<Auth>,
    /// The login name; absent means "not said".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub username: Option<String>,
}

/// POP3 download options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Pop3Options {
    /// "Leave a copy of messages on the server".
    pub leave_on_server: bool,
    /// Remove them from the server after this many days (only with `leaveOnServer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub delete_after_days: Option<u32>,
}

/// A whole mail account: an incoming server, usually an outgoing one, and POP3 options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Account {
    /// The email address, as typed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub email: Option<String>,
    /// The server mail is read from (IMAP or POP3).
    pub incoming: Server,
    /// The server mail is sent with (SMTP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub outgoing: Option<Server>,
    /// What a POP3 client does with downloaded mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub pop3: Option<Pop3Options>,
}

/// What `validate` accepts: a whole account, or one server checked alone.
///
/// In JSON the two are told apart by the `incoming` key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(untagged)]
pub enum Settings {
    /// A whole account (field paths `incoming.port`, …).
    Account(Account),
    /// One server alone (field paths `port`, …).
    Server(Server),
}

impl Settings {
    /// The servers with the field-path prefix their findings use (`incoming.`, `outgoing.`, or none).
    pub fn servers(&self) -> impl Iterator<Item = (&'static str, &Server)> {
        let (a, b) = match self {
            Settings::Account(a) => (
                Some(("incoming.", &a.incoming)),
                a.outgoing.as_ref().map(|s| ("outgoing.", s)),
            ),
            Settings::Server(s) => (Some(("", s)), None),
        };
        a.into_iter().chain(b)
    }

    /// The email address, when an account gives one.
    pub fn email(&self) -> Option<&str> {
        match self {
            Settings::Account(a) => a.email.as_deref(),
            Settings::Server(_) => None,
        }
    }
}

impl From<Account> for Settings {
    fn from(a: Account) -> Self {
        Settings::Account(a)
    }
}

impl From<Server> for Settings {
    fn from(s: Server) -> Self {
        Settings::Server(s)
    }
}

/// Ports arrive as numbers or, from forms, as numeric strings; 0 and anything above 65535 are refused.
fn deserialize_port<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u16, D::Error> {
    struct PortVisitor;
    impl serde::de::Visitor<'_> for PortVisitor {
        type Value = u16;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a port number from 1 to 65535")
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<u16, E> {
            match u16::try_from(v) {
                Ok(p) if p > 0 => Ok(p),
                _ => Err(E::custom(format_args!("port {v} is outside 1-65535"))),
            }
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<u16, E> {
            match u64::try_from(v) {
                Ok(u) => self.visit_u64(u),
                Err(_) => Err(E::custom(format_args!("port {v} is outside 1-65535"))),
            }
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<u16, E> {
            // JavaScript numbers arrive as f64; accept whole numbers only.
            if v.fract() == 0.0 && (1.0..=65535.0).contains(&v) {
                Ok(v as u16)
            } else {
                Err(E::custom(format_args!(
                    "port {} is not a whole number from 1 to 65535",
                    crate::text::number(v)
                )))
            }
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<u16, E> {
            let t = v.trim();
            match t.parse::<u64>() {
                Ok(n) => self.visit_u64(n),
                Err(_) => Err(E::custom(format_args!(
                    "port {} is not a number; expected a port number from 1 to 65535",
                    crate::text::Quoted(v)
                ))),
            }
        }
    }
    d.deserialize_any(PortVisitor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_servers_have_prefixes() {
        let s = Server {
            protocol: Protocol::Imap,
            host: "imap.example.com".into(),
            port: 993,
            security: Security::Tls,
            auth: None,
            username: None,
        };
        let acc = Settings::Account(Account {
            email: None,
            incoming: s.clone(),
            outgoing: Some(Server {
                protocol: Protocol::Smtp,
                port: 465,
                ..s.clone()
            }),
            pop3: None,
        });
        let prefixes: Vec<_> = acc.servers().map(|(p, _)| p).collect();
        assert_eq!(prefixes, ["incoming.", "outgoing."]);
        let alone = Settings::Server(s);
        assert_eq!(alone.servers().map(|(p, _)| p).collect::<Vec<_>>(), [""]);
    }
}
