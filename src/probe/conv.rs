//! What the three protocols share: the reason a conversation stops, credentials that never print,
//! base64 for SASL, and recognising a greeting.

use super::io::IoFailure;
use super::report::FailureKind;
use crate::model::Protocol;

/// Why a conversation stopped: the failure kind (one finding each) and what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stop {
    pub kind: FailureKind,
    pub message: String,
}

impl Stop {
    pub fn new(kind: FailureKind, message: impl Into<String>) -> Stop {
        Stop {
            kind,
            message: message.into(),
        }
    }
}

impl From<IoFailure> for Stop {
    fn from(f: IoFailure) -> Stop {
        let kind = match &f {
            IoFailure::Timeout => FailureKind::Timeout,
            IoFailure::Closed { .. } => FailureKind::Closed,
            IoFailure::TooLong => FailureKind::TooLong,
            IoFailure::Io(e) => {
                if e.get_ref()
                    .is_some_and(|inner| inner.downcast_ref::<rustls::Error>().is_some())
                {
                    FailureKind::Tls
                } else {
                    FailureKind::Closed
                }
            }
        };
        Stop {
            kind,
            message: f.to_string(),
        }
    }
}

/// A password that never prints: `Debug` shows `[redacted]`, and there is no `Display`.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: String) -> Secret {
        Secret(s)
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

impl Drop for Secret {
    fn drop(&mut self) {
        // Best effort: overwrite the bytes before the allocation is freed.
        let mut bytes = std::mem::take(&mut self.0).into_bytes();
        bytes.iter_mut().for_each(|b| *b = 0);
        std::hint::black_box(&bytes);
    }
}

/// A user name and password for `--login`.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: String,
    pub password: Secret,
}

impl Credentials {
    /// SASL PLAIN (RFC 4616): `\0user\0password`, base64.
    pub(crate) fn sasl_plain(&self) -> String {
        let mut raw = Vec::with_capacity(self.user.len() + self.password.0.len() + 2);
        raw.push(0);
        raw.extend_from_slice(self.user.as_bytes());
        raw.push(0);
        raw.extend_from_slice(self.password.0.as_bytes());
        let out = base64(&raw);
        raw.iter_mut().for_each(|b| *b = 0);
        out
    }

    /// Replaces the password wherever a server echoed it (it should not, but its words are reported).
    pub(crate) fn scrub(&self, text: &str) -> String {
        if self.password.0.len() >= 3 {
            text.replace(&self.password.0, "[redacted]")
        } else {
            text.to_string()
        }
    }
}

/// Standard base64 with padding (RFC 4648 §4).
pub fn base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// What a first line says about the service behind a port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Greeting {
    /// A mail protocol's greeting; `ok` false when it refuses service.
    Mail { protocol: Protocol, ok: bool },
    /// An HTTP response.
    Http,
    /// An SSH banner.
    Ssh,
    /// Anything else.
    Unknown,
}

/// Recognises a greeting line.
pub fn classify(line: &str) -> Greeting {
    let l = line.trim_start();
    let u: String = l.chars().take(12).collect::<String>().to_ascii_uppercase();
    if u.starts_with("* OK") || u.starts_with("* PREAUTH") {
        return Greeting::Mail {
            protocol: Protocol::Imap,
            ok: true,
        };
    }
    if u.starts_with("* BYE") {
        return Greeting::Mail {
            protocol: Protocol::Imap,
            ok: false,
        };
    }
    if u.starts_with("+OK") {
        return Greeting::Mail {
            protocol: Protocol::Pop3,
            ok: true,
        };
    }
    if u.starts_with("-ERR") {
        return Greeting::Mail {
            protocol: Protocol::Pop3,
            ok: false,
        };
    }
    if u.starts_with("HTTP/") || u.starts_with("<!DOCTYPE") || u.starts_with("<HTML") {
        return Greeting::Http;
    }
    if u.starts_with("SSH-") {
        return Greeting::Ssh;
    }
    let b = l.as_bytes();
    if b.len() >= 3
        && b[..3].iter().all(u8::is_ascii_digit)
        && matches!(b.get(3), None | Some(b' ' | b'-'))
    {
        let ok = &l[..3] == "220";
        return Greeting::Mail {
            protocol: Protocol::Smtp,
            ok,
        };
    }
    Greeting::Unknown
}

/// "IMAP", "POP3", "SMTP".
pub fn protocol_name(p: Protocol) -> &'static str {
    match p {
        Protocol::Imap => "IMAP",
        Protocol::Pop3 => "POP3",
        Protocol::Smtp => "SMTP",
    }
}

/// At most `n` characters of a server's text, for messages.
pub fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n).collect();
        t.push('…');
        t
    }
}

/// The greeting was not the expected protocol's: a message naming what it was.
pub fn wrong_protocol(expected: Option<Protocol>, line: &str) -> Stop {
    let what = match classify(line) {
        Greeting::Mail { protocol, .. } => format!("a {} greeting", protocol_name(protocol)),
        Greeting::Http => "an HTTP response".into(),
        Greeting::Ssh => "an SSH banner".into(),
        Greeting::Unknown => "something that is not a mail greeting".into(),
    };
    let wanted = expected.map_or("a mail server".to_string(), |p| {
        format!("{} server", protocol_name(p))
    });
    Stop::new(
        FailureKind::WrongProtocol,
        format!("expected a {wanted}, got {what}: {:?}", clip(line, 120)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_vectors() {
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(i.as_bytes()), o);
        }
        let c = Credentials {
            user: "alice@mail.test".into(),
            password: Secret::new("alice-secret".into()),
        };
        assert_eq!(c.sasl_plain(), "AGFsaWNlQG1haWwudGVzdABhbGljZS1zZWNyZXQ=");
        assert!(!format!("{c:?}").contains("alice-secret"));
        assert_eq!(c.scrub("no alice-secret here"), "no [redacted] here");
    }

    #[test]
    fn greetings() {
        use Greeting::*;
        assert_eq!(
            classify("* OK [CAPABILITY IMAP4rev1] ready"),
            Mail {
                protocol: Protocol::Imap,
                ok: true
            }
        );
        assert_eq!(
            classify("* BYE shutting down"),
            Mail {
                protocol: Protocol::Imap,
                ok: false
            }
        );
        assert_eq!(
            classify("+OK Dovecot ready."),
            Mail {
                protocol: Protocol::Pop3,
                ok: true
            }
        );
        assert_eq!(
            classify("220-mail.test ESMTP"),
            Mail {
                protocol: Protocol::Smtp,
                ok: true
            }
        );
        assert_eq!(
            classify("554 5.7.1 go away"),
            Mail {
                protocol: Protocol::Smtp,
                ok: false
            }
        );
        assert_eq!(classify("HTTP/1.1 400 Bad Request"), Http);
        assert_eq!(classify("SSH-2.0-OpenSSH_9.2"), Ssh);
        assert_eq!(classify("AAAA"), Unknown);
        assert_eq!(classify(""), Unknown);
        assert!(wrong_protocol(Some(Protocol::Imap), "+OK pop")
            .message
            .contains("POP3 greeting"));
    }
}
