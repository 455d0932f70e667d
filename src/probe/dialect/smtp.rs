//! SMTP submission (RFC 5321, 6409): numbered replies, EHLO, STARTTLS (RFC 3207), AUTH
//! (RFC 4954), SIZE, 8BITMIME, SMTPUTF8, PIPELINING.

use super::{clip, refused, Command, Dialect, Expect, Framing, InjectionTest, Reply};
use super::{Status, Stop};
use crate::model::Protocol;
use crate::probe::report::{EndpointReport, FailureKind, SmtpInfo};

/// SMTP.
pub struct Smtp;

/// `[127.0.0.1]` / `[IPv6:::1]`: an address literal for EHLO (RFC 5321 §4.1.3).
pub fn address_literal(local: std::net::IpAddr) -> String {
    match local {
        std::net::IpAddr::V4(v4) => format!("[{v4}]"),
        std::net::IpAddr::V6(v6) => format!("[IPv6:{v6}]"),
    }
}

/// The reply code of a reply line (`250-…`, `250 …`, `250`).
pub(super) fn code(line: &str) -> Option<u16> {
    let b = line.as_bytes();
    if b.len() >= 3
        && b[..3].iter().all(u8::is_ascii_digit)
        && matches!(b.get(3), None | Some(b' ' | b'-'))
    {
        line[..3].parse().ok()
    } else {
        None
    }
}

/// The text of each line, after the code.
fn texts(reply: &Reply) -> impl Iterator<Item = &str> {
    reply.lines.iter().map(|l| l.get(4..).unwrap_or(""))
}

/// An EHLO keyword (upper case) and its parameters.
fn keyword(line: &str) -> (String, &str) {
    let (k, rest) = line.split_once([' ', '=']).unwrap_or((line, ""));
    (k.to_ascii_uppercase(), rest.trim())
}

fn info(exts: &[String]) -> SmtpInfo {
    let mut s = SmtpInfo {
        auth: Smtp.mechanisms(exts),
        ..SmtpInfo::default()
    };
    for l in exts {
        let (k, rest) = keyword(l);
        match k.as_str() {
            // Bare SIZE, or SIZE 0, declares no fixed limit (RFC 1870 §4).
            "SIZE" => match rest.split_ascii_whitespace().next().map(str::parse::<u64>) {
                Some(Ok(n)) if n > 0 => s.size = Some(n),
                None | Some(Ok(_)) => s.no_size_limit = true,
                Some(Err(_)) => {}
            },
            "8BITMIME" => s.eight_bit_mime = true,
            "SMTPUTF8" => s.smtputf8 = true,
            "PIPELINING" => s.pipelining = true,
            "CHUNKING" => s.chunking = true,
            "ENHANCEDSTATUSCODES" => s.enhanced_status_codes = true,
            _ => {}
        }
    }
    s
}

impl Dialect for Smtp {
    fn protocol(&self) -> Protocol {
        Protocol::Smtp
    }

    /// Lines `250-…` go on, `250 …` ends; every line carries the same code.
    fn framing(&self, _expect: &Expect, before: &[String], line: &str) -> Result<Framing, Stop> {
        let Some(c) = code(line) else {
            return Err(Stop::new(
                FailureKind::WrongProtocol,
                format!("not an SMTP reply: {:?}", clip(line, 120)),
            ));
        };
        if let Some(first) = before.first().and_then(|l| code(l)).filter(|&f| f != c) {
            return Err(Stop::new(
                FailureKind::WrongProtocol,
                format!("SMTP reply lines with different codes ({first} then {c})"),
            ));
        }
        Ok(if line.as_bytes().get(3) == Some(&b'-') {
            Framing::More
        } else {
            Framing::End
        })
    }

    fn status(&self, reply: &Reply) -> Status {
        match code(reply.last()).unwrap_or(0) {
            200..=299 => Status::Positive,
            300..=399 => Status::GoAhead,
            _ => Status::Negative,
        }
    }

    /// `250 first line / second line`.
    fn words(&self, reply: &Reply) -> String {
        let c = code(reply.first()).unwrap_or(0);
        format!("{c} {}", texts(reply).collect::<Vec<_>>().join(" / "))
            .trim()
            .to_string()
    }

    /// 220 is service ready; 421 and 554 refuse.
    fn check_greeting(&self, greeting: &Reply) -> Result<(), Stop> {
        match code(greeting.first()) {
            Some(220) => Ok(()),
            _ => Err(refused(greeting)),
        }
    }

    fn capability_command(&self, _tag: &str, client_name: &str) -> Command {
        Command::new(format!("EHLO {client_name}"), Expect::default())
    }

    /// The extension lines (keyword and parameters) after EHLO's first line; `None` when EHLO is
    /// refused.
    fn capabilities(&self, reply: &Reply) -> Option<Vec<String>> {
        if self.status(reply) != Status::Positive {
            return None;
        }
        Some(
            texts(reply)
                .skip(1)
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect(),
        )
    }

    fn no_capabilities(&self) -> &'static str {
        "EHLO refused"
    }

    /// AUTH mechanisms (`AUTH PLAIN LOGIN`, also the old `AUTH=PLAIN`). Dovecot sends `AUTH `
    /// with an empty list before TLS.
    fn mechanisms(&self, exts: &[String]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for l in exts {
            let (k, rest) = keyword(l);
            if k == "AUTH" {
                for m in rest.split_ascii_whitespace().map(str::to_ascii_uppercase) {
                    if !out.contains(&m) {
                        out.push(m);
                    }
                }
            }
        }
        out
    }

    /// A 4xx answer: a temporary failure (RFC 4954 §6: 454 4.7.0), no verdict on the password.
    fn login_deferred(&self, reply: &Reply) -> Option<&'static str> {
        matches!(code(reply.last()), Some(400..=499))
            .then_some("a temporary failure on the server (an SMTP 4xx answer)")
    }

    fn starttls_advertised(&self, exts: &[String]) -> bool {
        exts.iter().any(|l| keyword(l).0 == "STARTTLS")
    }

    fn password_login_offered(&self, exts: &[String]) -> bool {
        self.mechanisms(exts)
            .iter()
            .any(|m| m == "PLAIN" || m == "LOGIN")
    }

    fn any_login_offered(&self, exts: &[String]) -> bool {
        !self.mechanisms(exts).is_empty()
    }

    fn login_disabled(&self, _exts: &[String]) -> Option<bool> {
        None
    }

    fn details(&self, exts: &[String], _greeting: &str, into: &mut EndpointReport) {
        into.smtp = Some(info(exts));
    }

    fn before_starttls(&self, client_name: &str) -> Option<Command> {
        Some(self.capability_command("", client_name))
    }

    fn starttls_command(&self, _tag: &str) -> Command {
        Command::new("STARTTLS", Expect::default())
    }

    /// `STARTTLS` with an unknown command, which gets a 5xx: a 5xx before EHLO's 250 inside TLS
    /// gives the injection away.
    fn injection_test(&self, client_name: &str) -> InjectionTest {
        InjectionTest {
            pair: b"STARTTLS\r\nXMAILSETUPPROBE\r\n",
            expect: Expect::default(),
            then: self.capability_command("", client_name),
            needs_capabilities: false,
        }
    }

    fn injected_answer(&self, reply: &Reply) -> Option<String> {
        (code(reply.last()).unwrap_or(0) >= 500).then(|| self.words(reply))
    }

    /// AUTH PLAIN when offered, else AUTH LOGIN (user and password each after a 334).
    #[cfg(all(feature = "probe", not(target_arch = "wasm32")))]
    fn login(
        &self,
        _tag: &str,
        exts: &[String],
        creds: &crate::probe::Credentials,
    ) -> Result<super::Login, super::NoLogin> {
        use crate::probe::Secret;
        use base64::prelude::{Engine, BASE64_STANDARD};
        let mechs = self.mechanisms(exts);
        let (mechanism, steps) = if mechs.iter().any(|m| m == "PLAIN") {
            let plain = creds.sasl_plain();
            ("AUTH PLAIN", vec![format!("AUTH PLAIN {}", plain.expose())])
        } else if mechs.iter().any(|m| m == "LOGIN") {
            let b64 = |s: &str| BASE64_STANDARD.encode(s);
            (
                "AUTH LOGIN",
                vec![
                    "AUTH LOGIN".to_string(),
                    b64(&creds.user),
                    b64(creds.password.expose()),
                ],
            )
        } else {
            return Err(super::NoLogin {
                mechanism: "",
                why: "the server offers neither AUTH PLAIN nor AUTH LOGIN".into(),
            });
        };
        Ok(super::Login {
            mechanism,
            steps: steps.into_iter().map(Secret::new).collect(),
            proceed_on: Status::GoAhead,
            expect: Expect::default(),
        })
    }

    fn quit_command(&self, _tag: &str) -> Command {
        Command::new("QUIT", Expect::default())
    }
}

#[cfg(test)]
mod tests {
    use super::super::reply_of;
    use super::*;

    fn exts(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn ehlo_parsing() {
        let r = reply_of(
            &Smtp,
            &Expect::default(),
            &[
                "250-mail.test",
                "250-8BITMIME",
                "250-AUTH ",
                "250-SIZE 10485760",
                "250-STARTTLS",
                "250 PIPELINING",
            ],
        )
        .unwrap();
        let before = Smtp.capabilities(&r).unwrap();
        assert_eq!(
            before,
            [
                "8BITMIME",
                "AUTH",
                "SIZE 10485760",
                "STARTTLS",
                "PIPELINING"
            ]
        );
        assert!(Smtp.starttls_advertised(&before));
        assert!(Smtp.mechanisms(&before).is_empty());
        let after = exts(&[
            "AUTH PLAIN LOGIN",
            "AUTH=LOGIN",
            "SIZE 10485760",
            "SMTPUTF8",
            "CHUNKING",
        ]);
        assert_eq!(Smtp.mechanisms(&after), ["PLAIN", "LOGIN"]);
        assert!(Smtp.password_login_offered(&after));
        let i = info(&after);
        assert_eq!(i.size, Some(10_485_760));
        assert!(i.smtputf8 && i.chunking && !i.eight_bit_mime);
        assert_eq!(info(&exts(&["SIZE"])).size, None);
        assert!(info(&exts(&["SIZE"])).no_size_limit && info(&exts(&["SIZE 0"])).no_size_limit);
        assert!(!i.no_size_limit);
        assert_eq!(address_literal("127.0.0.1".parse().unwrap()), "[127.0.0.1]");
        assert_eq!(address_literal("::1".parse().unwrap()), "[IPv6:::1]");
    }

    #[test]
    fn replies_are_numbered_lines() {
        let e = Expect::default();
        assert_eq!(
            Smtp.framing(&e, &[], "+OK pop").unwrap_err().kind,
            FailureKind::WrongProtocol
        );
        assert!(Smtp
            .framing(&e, &["250-a".into()], "251 b")
            .unwrap_err()
            .message
            .contains("different codes"));
        let r = reply_of(&Smtp, &e, &["535-5.7.8 no", "535 5.7.8 really"]).unwrap();
        assert_eq!(Smtp.status(&r), Status::Negative);
        assert_eq!(Smtp.words(&r), "535 5.7.8 no / 5.7.8 really");
        assert_eq!(Smtp.capabilities(&r), None);
        let go = reply_of(&Smtp, &e, &["334 VXNlcm5hbWU6"]).unwrap();
        assert_eq!(Smtp.status(&go), Status::GoAhead);
        let injected = reply_of(&Smtp, &e, &["502 5.5.2 unknown command"]).unwrap();
        assert_eq!(
            Smtp.injected_answer(&injected).as_deref(),
            Some("502 5.5.2 unknown command")
        );
        assert_eq!(Smtp.login_deferred(&r), None);
        let temp = reply_of(&Smtp, &e, &["454 4.7.0 Temporary authentication failure"]).unwrap();
        assert!(Smtp.login_deferred(&temp).is_some());
        let closing = reply_of(&Smtp, &e, &["421 busy"]).unwrap();
        assert_eq!(Smtp.injected_answer(&closing), None);
    }

    #[cfg(all(feature = "probe", not(target_arch = "wasm32")))]
    #[test]
    fn logins_use_auth_plain_or_auth_login() {
        use crate::probe::{Credentials, Secret};
        let c = Credentials {
            user: "bob".into(),
            password: Secret::new("pw".into()),
        };
        let l = Smtp.login("", &exts(&["AUTH LOGIN"]), &c).unwrap();
        let steps: Vec<&str> = l.steps.iter().map(|s| s.expose()).collect();
        assert_eq!(steps, ["AUTH LOGIN", "Ym9i", "cHc="]);
        let l = Smtp.login("", &exts(&["AUTH PLAIN LOGIN"]), &c).unwrap();
        assert_eq!(l.mechanism, "AUTH PLAIN");
        assert!(Smtp.login("", &exts(&["AUTH XOAUTH2"]), &c).is_err());
    }
}
