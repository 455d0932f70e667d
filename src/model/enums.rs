//! The three vocabularies of DESIGN.md, with the aliases people type.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Defines a string enum: canonical names (serialized), accepted aliases (input only, matched
/// case-insensitively after trimming), `FromStr`, `Display` and a helpful serde error.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $canon:literal $(| $alias:literal)* ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $canon)] $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The canonical names, as JSON and the CLI spell them.
            pub const NAMES: &'static [&'static str] = &[$($canon),+];

            /// The canonical name.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $canon),+ }
            }

            /// Parses a canonical name or an alias, ignoring case and surrounding whitespace.
            pub fn parse(input: &str) -> Option<Self> {
                let t = input.trim();
                $(
                    if t.eq_ignore_ascii_case($canon) $(|| t.eq_ignore_ascii_case($alias))* {
                        return Some($name::$variant);
                    }
                )+
                None
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = crate::error::InputError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s).ok_or_else(|| crate::error::InputError::unknown_value($what, s, Self::NAMES))
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl serde::de::Visitor<'_> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        write!(f, "one of {}", crate::error::quote_list($name::NAMES))
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        $name::parse(v).ok_or_else(|| E::unknown_variant(v, $name::NAMES))
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}

string_enum! {
    /// A mail protocol: two for reading mail, one for sending it.
    Protocol, "protocol" {
        /// IMAP (RFC 9051 / 3501): mail stays on the server, every device sees the same folders.
        Imap = "imap" | "imap4" | "imaps",
        /// POP3 (RFC 1939): mail is downloaded to one device.
        Pop3 = "pop3" | "pop" | "pop3s",
        /// SMTP submission (RFC 6409): sending mail.
        Smtp = "smtp" | "submission" | "smtps",
    }
}

string_enum! {
    /// Connection security, as mail clients name it.
    Security, "security" {
        /// Implicit TLS: TLS from the first byte (RFC 8314); clients call it "SSL/TLS".
        Tls = "tls" | "ssl" | "ssl/tls" | "tls/ssl" | "implicit" | "implicit-tls",
        /// STARTTLS: a cleartext connection upgraded to TLS by a command (RFC 3207, 2595, 3501).
        Starttls = "starttls" | "start-tls" | "start_tls" | "stls",
        /// No encryption at all.
        None = "none" | "plain" | "plaintext" | "cleartext" | "insecure" | "off",
    }
}

string_enum! {
    /// How the client proves who it is.
    Auth, "auth" {
        /// The account's normal password, sent over the (hopefully encrypted) connection.
        Password = "password" | "normal-password" | "password-cleartext" | "plain" | "login",
        /// A provider-generated password for one app (needs two-step verification at most providers).
        AppPassword = "app-password" | "app_password" | "apppassword" | "application-password",
        /// OAuth 2.0 (SASL XOAUTH2 / OAUTHBEARER): the client signs in through the provider's web page.
        Oauth2 = "oauth2" | "oauth" | "xoauth2" | "oauthbearer" | "modern",
        /// A challenge-response mechanism (CRAM-MD5, APOP): hides the password, not the mail.
        EncryptedPassword = "encrypted-password" | "password-encrypted" | "cram-md5" | "apop" | "digest-md5",
        /// A TLS client certificate.
        ClientCertificate = "client-certificate" | "tls-client-cert" | "certificate" | "external",
        /// No authentication.
        None = "none" | "no-authentication" | "anonymous",
    }
}

/// What the username must be: the words a provider's help uses for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "kebab-case")]
pub enum UsernameFormat {
    /// The whole email address (`me@example.com`).
    EmailAddress,
    /// The part before the `@` (`me`).
    LocalPart,
    /// Either works.
    Either,
    /// Something the provider or a local bridge generates (Proton Mail Bridge).
    Generated,
}

impl UsernameFormat {
    /// Every value, in declaration order.
    pub const ALL: &'static [UsernameFormat] = &[
        UsernameFormat::EmailAddress,
        UsernameFormat::LocalPart,
        UsernameFormat::Either,
        UsernameFormat::Generated,
    ];

    /// The name JSON uses (`email-address`).
    pub const fn as_str(self) -> &'static str {
        match self {
            UsernameFormat::EmailAddress => "email-address",
            UsernameFormat::LocalPart => "local-part",
            UsernameFormat::Either => "either",
            UsernameFormat::Generated => "generated",
        }
    }
}

impl Security {
    /// True when the connection is encrypted (from the start, or after STARTTLS).
    pub const fn is_encrypted(self) -> bool {
        !matches!(self, Security::None)
    }
}

impl Auth {
    /// True when the mechanism sends a reusable secret (a password of either kind).
    pub const fn sends_password(self) -> bool {
        matches!(self, Auth::Password | Auth::AppPassword)
    }
}

impl Protocol {
    /// True for the protocols that read mail (IMAP and POP3).
    pub const fn is_incoming(self) -> bool {
        !matches!(self, Protocol::Smtp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_parse() {
        for (s, want) in [
            ("SSL", Security::Tls),
            ("ssl/tls", Security::Tls),
            (" TLS ", Security::Tls),
            ("plain", Security::None),
            ("plaintext", Security::None),
            ("STARTTLS", Security::Starttls),
        ] {
            assert_eq!(Security::parse(s), Some(want), "{s}");
        }
        assert_eq!(Protocol::parse("POP"), Some(Protocol::Pop3));
        assert_eq!(Auth::parse("OAuth2"), Some(Auth::Oauth2));
        assert_eq!(Security::parse("ssl3"), None);
    }

    #[test]
    fn serde_round_trip_uses_canonical_names() {
        let s: Security = serde_json::from_str("\"SSL/TLS\"").unwrap();
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"tls\"");
        let a: Auth = serde_json::from_str("\"app-password\"").unwrap();
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"app-password\"");
    }

    #[test]
    fn unknown_value_lists_allowed_values() {
        let e = serde_json::from_str::<Security>("\"ssl3\"")
            .unwrap_err()
            .to_string();
        assert!(e.contains("ssl3") && e.contains("starttls"), "{e}");
        let e = "bogus".parse::<Protocol>().unwrap_err().to_string();
        assert!(e.contains("bogus") && e.contains("imap"), "{e}");
    }

    #[test]
    fn names_match_as_str() {
        for (v, n) in Auth::ALL.iter().zip(Auth::NAMES) {
            assert_eq!(v.as_str(), *n);
        }
        for u in UsernameFormat::ALL {
            assert_eq!(
                serde_json::to_string(u).unwrap(),
                format!("\"{}\"", u.as_str())
            );
        }
    }
}
