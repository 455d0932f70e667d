//! Errors for input that cannot be understood at all.
//!
//! Anything that parses is judged by the rules and reported as findings; these errors are only
//! for input that is not JSON, has a value outside a vocabulary, an unknown key, or a port outside
//! 1–65535. Each says where (a field path such as `incoming.security`), what, and what is allowed.

use crate::model::Settings;
use crate::text::closest;

/// Input that cannot be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// The text is not well-formed JSON.
    #[error("input is not valid JSON (line {line}, column {column}): {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    /// A field is missing, unknown or has a value that cannot be used.
    #[error("{}{message}", if path.is_empty() { String::new() } else { format!("`{path}`: ") })]
    Field { path: String, message: String },
    /// A value outside a fixed vocabulary (command-line flags).
    #[error("unknown {what} {value:?}; expected one of {}", quote_list(allowed))]
    UnknownValue {
        what: &'static str,
        value: String,
        allowed: &'static [&'static str],
    },
}

impl InputError {
    pub(crate) fn unknown_value(
        what: &'static str,
        value: &str,
        allowed: &'static [&'static str],
    ) -> Self {
        InputError::UnknownValue {
            what,
            value: value.to_owned(),
            allowed,
        }
    }

    /// The field path the error concerns, when there is one.
    pub fn path(&self) -> Option<&str> {
        match self {
            InputError::Field { path, .. } if !path.is_empty() => Some(path),
            _ => None,
        }
    }
}

/// `"a", "b", "c"` for error messages.
pub(crate) fn quote_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("{s:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parses an [`Account`](crate::model::Account) or a bare [`Server`](crate::model::Server) from any
/// serde deserializer (JSON text, a JS value), with the field path in every error.
///
/// An object with an `incoming` key is an account; any other object is a server.
pub fn parse_settings<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Settings, InputError> {
    let value: serde_json::Value =
        serde::Deserialize::deserialize(d).map_err(|e: D::Error| InputError::Field {
            path: String::new(),
            message: e.to_string(),
        })?;
    settings_from_value(value)
}

/// Parses settings from JSON text.
pub fn parse_settings_json(text: &str) -> Result<Settings, InputError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| InputError::Syntax {
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })?;
    settings_from_value(value)
}

fn settings_from_value(value: serde_json::Value) -> Result<Settings, InputError> {
    let Some(obj) = value.as_object() else {
        return Err(InputError::Field {
            path: String::new(),
            message: format!(
                "expected an object (an account with `incoming`, or a server with `protocol`, `host`, `port`, `security`), found {}",
                json_kind(&value)
            ),
        });
    };
    if obj.contains_key("incoming") {
        from_value(value).map(Settings::Account)
    } else {
        from_value(value).map(Settings::Server)
    }
}

/// Deserializes `T` from a JSON value, mapping the error to an [`InputError::Field`] with its path.
pub fn from_value<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
) -> Result<T, InputError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let mut path = e.path().to_string();
        let message = explain(&e.into_inner().to_string());
        // For an unknown key the path ends with the key itself; report its parent object.
        if message.starts_with("unknown field") {
            path = path
                .rsplit_once('.')
                .map_or(String::new(), |(parent, _)| parent.to_owned());
        }
        let path = if path == "." { String::new() } else { path };
        InputError::Field { path, message }
    })
}

/// Deserializes `T` from JSON text with path-carrying errors.
pub fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, InputError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| InputError::Syntax {
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })?;
    from_value(value)
}

fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

fn strip_position(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg.to_owned(),
    }
}

/// Adds "did you mean" to serde's `unknown field`/`unknown variant` messages.
fn explain(msg: &str) -> String {
    let msg = strip_position(msg);
    let kind = if msg.starts_with("unknown field `") {
        "field"
    } else if msg.starts_with("unknown variant `") {
        "value"
    } else {
        return msg;
    };
    let mut ticks = msg.split('`').skip(1).step_by(2);
    let Some(bad) = ticks.next() else { return msg };
    let allowed: Vec<&str> = ticks.collect();
    let mut out = format!("unknown {kind} `{bad}`");
    if let Some(best) = closest(bad, allowed.iter().copied()) {
        out.push_str(&format!(" (did you mean `{best}`?)"));
    }
    if !allowed.is_empty() {
        out.push_str("; expected one of ");
        out.push_str(
            &allowed
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(json: &str) -> String {
        parse_settings_json(json).unwrap_err().to_string()
    }

    #[test]
    fn unknown_field_suggests() {
        let e = err(r#"{"protocol":"imap","host":"h","prot":993,"security":"tls"}"#);
        assert!(
            e.contains("unknown field `prot`") && e.contains("did you mean `port`"),
            "{e}"
        );
    }

    #[test]
    fn unknown_value_names_path_and_allowed() {
        let e = err(r#"{"incoming":{"protocol":"imap","host":"h","port":993,"security":"tsl"}}"#);
        assert!(e.starts_with("`incoming.security`"), "{e}");
        assert!(e.contains("did you mean `tls`"), "{e}");
        assert!(e.contains("`starttls`"), "{e}");
    }

    #[test]
    fn port_range() {
        for p in ["0", "65536", "-1", "99.5", "\"abc\""] {
            let e = err(&format!(
                r#"{{"protocol":"imap","host":"h","port":{p},"security":"tls"}}"#
            ));
            assert!(e.starts_with("`port`"), "{p}: {e}");
        }
        let ok =
            parse_settings_json(r#"{"protocol":"imap","host":"h","port":"993","security":"SSL"}"#)
                .unwrap();
        assert!(matches!(ok, Settings::Server(s) if s.port == 993));
    }

    #[test]
    fn syntax_and_shape() {
        assert!(err("{").starts_with("input is not valid JSON"));
        assert!(err("[1]").contains("expected an object"));
        assert!(err(r#"{"protocol":"imap"}"#).contains("missing field `host`"));
    }
}
