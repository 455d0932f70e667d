//! Credentials for `--login`: a password that never prints and is wiped from memory when dropped.

use base64::prelude::{Engine, BASE64_STANDARD};
use zeroize::Zeroizing;

/// A password that never prints: `Debug` shows `[redacted]`, there is no `Display`, and its bytes
/// are overwritten when it is dropped.
#[derive(Clone)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Wraps a password (or a line that carries one).
    pub fn new(s: String) -> Secret {
        Secret(Zeroizing::new(s))
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

/// A user name and password for `--login`.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The user name, as the server expects it (often the whole address).
    pub user: String,
    /// The password, which never prints.
    pub password: Secret,
}

impl Credentials {
    /// SASL PLAIN (RFC 4616): `\0user\0password`, base64.
    pub(crate) fn sasl_plain(&self) -> Secret {
        let mut raw = Zeroizing::new(Vec::with_capacity(
            self.user.len() + self.password.0.len() + 2,
        ));
        raw.push(0);
        raw.extend_from_slice(self.user.as_bytes());
        raw.push(0);
        raw.extend_from_slice(self.password.0.as_bytes());
        Secret::new(BASE64_STANDARD.encode(&*raw))
    }

    /// Replaces the password wherever a server echoed it (it should not, but its words are reported).
    pub(crate) fn scrub(&self, text: &str) -> String {
        if self.password.0.len() >= 3 {
            text.replace(self.password.0.as_str(), "[redacted]")
        } else {
            text.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sasl_plain_and_redaction() {
        let c = Credentials {
            user: "alice@mail.test".into(),
            password: Secret::new("alice-secret".into()),
        };
        assert_eq!(
            c.sasl_plain().expose(),
            "AGFsaWNlQG1haWwudGVzdABhbGljZS1zZWNyZXQ="
        );
        assert!(!format!("{c:?}").contains("alice-secret"));
        assert_eq!(c.scrub("no alice-secret here"), "no [redacted] here");
        assert_eq!(c.scrub("ab"), "ab");
        // The standard alphabet with padding (RFC 4648 §4), as SASL wants.
        for (i, o) in [
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foob", "Zm9vYg=="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(BASE64_STANDARD.encode(i), o);
        }
    }
}
