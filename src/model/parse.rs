//! Settings from JSON: an [`Account`] or a bare [`Server`], with the field path in every error.

use super::Settings;
use crate::error::{from_value, json_kind, json_value, InputError};

/// Parses an [`Account`](super::Account) or a bare [`Server`](super::Server) from a
/// JSON value (the WebAssembly API converts JS values to one), with the field path in every error.
///
/// An object with an `incoming` key is an account; any other object is a server.
pub fn parse_settings(value: serde_json::Value) -> Result<Settings, InputError> {
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

/// Parses settings from JSON text.
pub fn parse_settings_json(text: &str) -> Result<Settings, InputError> {
    parse_settings(json_value(text)?)
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
