//! What the person tells the advisor about how they read mail, and its strict parsing.

use crate::error::{from_value, json_value, InputError};
use crate::model::email::address_problem;
use crate::providers;
use crate::text::closest;
use serde::{Deserialize, Serialize};

/// A person's situation. Every field is optional; a missing flag means "no", a missing device
/// count means "not said".
///
/// JSON: `{ "devices": 1, "backup": true, "email": "someone@gmail.com" }`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Situation {
    /// How many devices (computers, phones, tablets) read this mailbox; at least 1.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_devices"
    )]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub devices: Option<u32>,
    /// Also reads this mailbox in the provider's web interface.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub webmail: Option<bool>,
    /// Needs the full history without a connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub offline: Option<bool>,
    /// Wants a local archive of every message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub backup: Option<bool>,
    /// The server quota is tight.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub low_storage: Option<bool>,
    /// Dial-up, metered or unreliable connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub slow: Option<bool>,
    /// Organises mail in folders or labels that should match everywhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub folders: Option<bool>,
    /// Several people read this mailbox.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub shared: Option<bool>,
    /// Wants mail taken off the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub keep_nothing_on_server: Option<bool>,
    /// The person's address: selects the provider and fills in the username.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub email: Option<String>,
    /// A provider id from the provider table (`gmail`), for an address on an own domain hosted
    /// by that provider. An address on a provider's own domain (`@gmail.com`) overrules it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub provider: Option<String>,
}

impl Situation {
    /// The device count the advisor works with: `None` when not said; 0 counts as 1.
    pub fn device_count(&self) -> Option<u32> {
        self.devices.map(|n| n.max(1))
    }

    /// Web mail is used too (said yes; not said counts as no).
    pub fn webmail(&self) -> bool {
        self.webmail == Some(true)
    }
    /// The whole history is needed offline.
    pub fn offline(&self) -> bool {
        self.offline == Some(true)
    }
    /// A local archive is wanted.
    pub fn backup(&self) -> bool {
        self.backup == Some(true)
    }
    /// The mailbox on the server is small.
    pub fn low_storage(&self) -> bool {
        self.low_storage == Some(true)
    }
    /// The connection is slow or metered.
    pub fn slow(&self) -> bool {
        self.slow == Some(true)
    }
    /// Folders or labels should match everywhere.
    pub fn folders(&self) -> bool {
        self.folders == Some(true)
    }
    /// Several people share the mailbox.
    pub fn shared(&self) -> bool {
        self.shared == Some(true)
    }
    /// Nothing should stay on the server.
    pub fn keep_nothing_on_server(&self) -> bool {
        self.keep_nothing_on_server == Some(true)
    }

    /// True when more than one mail client downloads from the mailbox: several devices, or
    /// several people.
    pub fn several_clients(&self) -> bool {
        self.device_count().is_some_and(|n| n > 1) || self.shared()
    }

    /// Checks what serde cannot: a device count of at least 1, an address that is an address,
    /// a provider id that exists. Empty strings (blank form fields) count as absent. The parse
    /// functions call it; a situation built in code (the CLI's flags) calls it directly.
    pub fn checked(mut self) -> Result<Situation, InputError> {
        if self.devices == Some(0) {
            return Err(field(
                "devices",
                "must be at least 1 (the number of devices that read this mailbox)".into(),
            ));
        }
        self.email = self
            .email
            .map(|e| e.trim().to_owned())
            .filter(|e| !e.is_empty());
        if let Some(e) = &self.email {
            if let Err(why) = address_problem(e) {
                return Err(field(
                    "email",
                    format!(
                        "{} is not a valid email address: {why}; expected one like name@example.com",
                        crate::text::Quoted(e)
                    ),
                ));
            }
        }
        self.provider = self
            .provider
            .map(|p| p.trim().to_ascii_lowercase())
            .filter(|p| !p.is_empty());
        if let Some(id) = &self.provider {
            if providers::by_id(id).is_none() {
                let mut message = format!("unknown provider id {}", crate::error::shown(id));
                if let Some(best) = closest(id, providers::all().iter().map(|p| p.id.as_str())) {
                    message.push_str(&format!(" (did you mean `{best}`?)"));
                }
                message.push_str("; known ids: ");
                message.push_str(
                    &providers::all()
                        .iter()
                        .map(|p| p.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                );
                return Err(field("provider", message));
            }
        }
        Ok(self)
    }
}

fn field(path: &str, message: String) -> InputError {
    InputError::Field {
        path: path.to_owned(),
        message,
    }
}

/// Parses a [`Situation`] from JSON text.
pub fn parse_situation_json(text: &str) -> Result<Situation, InputError> {
    parse_situation(json_value(text)?)
}

/// Parses a [`Situation`] from a JSON value (the WebAssembly API converts JS values to one), with
/// the field path in every error, and checks the values serde cannot (device count, address,
/// provider id).
pub fn parse_situation(value: serde_json::Value) -> Result<Situation, InputError> {
    if !value.is_object() {
        return Err(field(
            "",
            format!(
                "expected an object describing the situation (such as {{\"devices\": 2, \"webmail\": true}}), found {}",
                match value {
                    serde_json::Value::Null => "null",
                    serde_json::Value::Bool(_) => "a boolean",
                    serde_json::Value::Number(_) => "a number",
                    serde_json::Value::String(_) => "a string",
                    serde_json::Value::Array(_) => "an array",
                    serde_json::Value::Object(_) => "an object",
                }
            ),
        ));
    }
    from_value::<Situation>(value)?.checked()
}

/// Device counts arrive as numbers or, from forms, as numeric strings; `null` means "not said".
fn deserialize_devices<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    struct DevicesVisitor;
    impl serde::de::Visitor<'_> for DevicesVisitor {
        type Value = Option<u32>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a whole number of devices, at least 1")
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Option<u32>, E> {
            Ok(None)
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Option<u32>, E> {
            Ok(None)
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Option<u32>, E> {
            u32::try_from(v)
                .map(Some)
                .map_err(|_| E::custom(format_args!("{v} devices is more than can be counted")))
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Option<u32>, E> {
            match u64::try_from(v) {
                Ok(u) => self.visit_u64(u),
                Err(_) => Err(E::custom(format_args!(
                    "{v} is not a number of devices; expected a whole number, at least 1"
                ))),
            }
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Option<u32>, E> {
            // JavaScript numbers arrive as f64; accept whole numbers only.
            if v.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&v) {
                Ok(Some(v as u32))
            } else {
                Err(E::custom(format_args!(
                    "{} is not a number of devices; expected a whole number, at least 1",
                    crate::text::number(v)
                )))
            }
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Option<u32>, E> {
            match v.trim().parse::<u64>() {
                Ok(n) => self.visit_u64(n),
                Err(_) => Err(E::custom(format_args!(
                    "{} is not a number of devices; expected a whole number, at least 1",
                    crate::text::Quoted(v)
                ))),
            }
        }
    }
    d.deserialize_any(DevicesVisitor)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(json: &str) -> String {
        parse_situation_json(json).unwrap_err().to_string()
    }

    #[test]
    fn all_fields_optional_and_camel_case() {
        assert_eq!(parse_situation_json("{}").unwrap(), Situation::default());
        let s = parse_situation_json(
            r#"{"devices":"2","webmail":true,"lowStorage":true,"keepNothingOnServer":false,
                "email":" me@GMAIL.com ","provider":"Gmail"}"#,
        )
        .unwrap();
        assert_eq!(s.devices, Some(2));
        assert!(s.webmail() && s.low_storage() && !s.keep_nothing_on_server());
        assert_eq!(s.keep_nothing_on_server, Some(false));
        assert_eq!(s.email.as_deref(), Some("me@GMAIL.com"));
        assert_eq!(s.provider.as_deref(), Some("gmail"));
        assert_eq!(
            parse_situation_json(r#"{"devices":null,"email":"  ","provider":""}"#).unwrap(),
            Situation::default()
        );
        assert_eq!(
            parse_situation_json(r#"{"devices":3.0}"#).unwrap().devices,
            Some(3)
        );
    }

    #[test]
    fn errors_name_the_field() {
        let e = err(r#"{"device":2}"#);
        assert!(
            e.contains("unknown field `device`") && e.contains("did you mean `devices`"),
            "{e}"
        );
        assert!(err(r#"{"devices":0}"#).starts_with("`devices`: must be at least 1"));
        assert!(err(r#"{"devices":-1}"#).starts_with("`devices`"));
        assert!(err(r#"{"devices":1.5}"#).starts_with("`devices`"));
        assert!(err(r#"{"devices":"two"}"#).starts_with("`devices`"));
        assert!(err(r#"{"webmail":"yes"}"#).starts_with("`webmail`"));
        assert!(err(r#"{"email":"someone"}"#)
            .starts_with("`email`: \"someone\" is not a valid email address: it has no @"));
        assert!(err(r#"{"email":"a..b@c.de"}"#).contains("misplaced dot"));
        assert!(err(r#"{"email":"a b@c.d"}"#).starts_with("`email`"));
        // Found by the advise fuzz target: an id with DEL characters was shown as it came.
        let e = err(r#"{"provider":"cd\u007f\u007fx\u001b]0;x"}"#);
        assert!(!e.chars().any(crate::text::is_hidden), "{e:?}");
        assert!(e.contains(r#""cd\u{7f}\u{7f}x\u{1b}]0;x""#), "{e}");
        let e = err(r#"{"provider":"gmial"}"#);
        assert!(
            e.starts_with("`provider`: unknown provider id `gmial` (did you mean `gmail`?)"),
            "{e}"
        );
        assert!(err("[]").contains("expected an object"));
        assert!(err("{").starts_with("input is not valid JSON"));
    }

    #[test]
    fn serializes_only_what_was_said() {
        let s = Situation {
            devices: Some(1),
            backup: Some(true),
            webmail: Some(false),
            ..Situation::default()
        };
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            r#"{"devices":1,"webmail":false,"backup":true}"#
        );
    }
}
