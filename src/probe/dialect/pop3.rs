//! POP3 (RFC 1939; CAPA and its capabilities RFC 2449, STLS RFC 2595, AUTH RFC 5034).

use super::Framing;
use super::{clip, refused, response_code, strip_ci, wrong_protocol, Command, Dialect, Expect};
use super::{InjectionTest, Reply, Status, Stop};
use crate::model::Protocol;
use crate::probe::report::{EndpointReport, FailureKind, Pop3Info};

/// POP3.
pub struct Pop3;

/// A status line: `+OK` (positive), `-ERR` (negative) or a SASL go-ahead (`+ `), and its text.
fn status_line(line: &str) -> Option<(Status, &str)> {
    if let Some(rest) = strip_ci(line, "+OK") {
        Some((Status::Positive, rest.trim()))
    } else if let Some(rest) = strip_ci(line, "-ERR") {
        Some((Status::Negative, rest.trim()))
    } else if line.starts_with('+') {
        Some((Status::GoAhead, line))
    } else {
        None
    }
}

/// A CAPA line's keyword (upper case) and its parameters.
fn keyword(line: &str) -> (String, &str) {
    let (k, rest) = line.split_once(' ').unwrap_or((line, ""));
    (k.to_ascii_uppercase(), rest.trim())
}

/// The "leave on server" relevant capabilities, and APOP from the greeting.
fn info(caps: &[String], greeting: &str) -> Pop3Info {
    let mut p = Pop3Info {
        apop: greeting.contains('<') && greeting.contains('@') && greeting.contains('>'),
        ..Pop3Info::default()
    };
    for l in caps {
        let (k, rest) = keyword(l);
        match k.as_str() {
            "UIDL" => p.uidl = true,
            "TOP" => p.top = true,
            "PIPELINING" => p.pipelining = true,
            "EXPIRE" => p.expire = Some(rest.to_string()),
            "LOGIN-DELAY" => {
                p.login_delay = rest
                    .split_ascii_whitespace()
                    .next()
                    .and_then(|n| n.parse().ok())
            }
            _ => {}
        }
    }
    p
}

impl Dialect for Pop3 {
    fn protocol(&self) -> Protocol {
        Protocol::Pop3
    }

    /// One status line; with `list`, a `+OK` opens a list that ends with a lone `.`.
    fn framing(&self, expect: &Expect, before: &[String], line: &str) -> Result<Framing, Stop> {
        if !before.is_empty() {
            return Ok(if line == "." {
                Framing::End
            } else {
                Framing::More
            });
        }
        match status_line(line) {
            Some((Status::Positive, _)) if expect.list => Ok(Framing::More),
            Some(_) => Ok(Framing::End),
            None => Err(Stop::new(
                FailureKind::WrongProtocol,
                format!("not a POP3 answer: {:?}", clip(line, 120)),
            )),
        }
    }

    fn status(&self, reply: &Reply) -> Status {
        status_line(reply.first()).map_or(Status::Negative, |(s, _)| s)
    }

    /// `+OK text` or `-ERR text` (a go-ahead as sent).
    fn words(&self, reply: &Reply) -> String {
        match status_line(reply.first()) {
            Some((Status::Positive, text)) => format!("+OK {text}"),
            Some((Status::Negative, text)) => format!("-ERR {text}"),
            _ => reply.first().to_string(),
        }
    }

    /// `+OK` welcomes; `-ERR` refuses service.
    fn check_greeting(&self, greeting: &Reply) -> Result<(), Stop> {
        match status_line(greeting.first()) {
            Some((Status::Positive, _)) => Ok(()),
            Some((Status::Negative, _)) => Err(refused(greeting)),
            _ => Err(wrong_protocol(Some(Protocol::Pop3), greeting.first())),
        }
    }

    fn capability_command(&self, _tag: &str, _client_name: &str) -> Command {
        Command::new(
            "CAPA",
            Expect {
                list: true,
                ..Expect::default()
            },
        )
    }

    /// The lines of the CAPA list, dot-unstuffed; `None` when the server does not know CAPA.
    fn capabilities(&self, reply: &Reply) -> Option<Vec<String>> {
        if self.status(reply) != Status::Positive || reply.last() != "." {
            return None;
        }
        let list = &reply.lines[1..reply.lines.len() - 1];
        Some(
            list.iter()
                .map(|l| l.strip_prefix('.').unwrap_or(l).to_string())
                .collect(),
        )
    }

    fn no_capabilities(&self) -> &'static str {
        "CAPA not supported"
    }

    /// The `SASL` line's mechanisms, and `USER` when the USER command is offered.
    fn mechanisms(&self, caps: &[String]) -> Vec<String> {
        let mut out = Vec::new();
        for l in caps {
            let (k, rest) = keyword(l);
            if k == "SASL" {
                out.extend(rest.split_ascii_whitespace().map(str::to_ascii_uppercase));
            }
        }
        if caps.iter().any(|l| keyword(l).0 == "USER") {
            out.push("USER".into());
        }
        out
    }

    /// `USER mailsetup-probe`: a name no account has, and no password. A server that requires
    /// TLS refuses the command (`-ERR TLS required`, Cyrus: `-ERR [AUTH] USER command only
    /// available under a layer`); one that takes cleartext passwords answers `+OK`.
    fn cleartext_login_check(&self, caps: &[String]) -> Option<Command> {
        caps.iter()
            .any(|l| keyword(l).0 == "USER")
            .then(|| Command::new("USER mailsetup-probe", Expect::default()))
    }

    /// RFC 2449 §8: `[LOGIN-DELAY]`, `[IN-USE]`; RFC 3206: `[SYS/TEMP]`.
    fn login_deferred(&self, reply: &Reply) -> Option<&'static str> {
        let (Status::Negative, text) = status_line(reply.first())? else {
            return None;
        };
        match response_code(text)?.as_str() {
            "LOGIN-DELAY" => Some("the server allows logins only so often ([LOGIN-DELAY])"),
            "IN-USE" => Some("the mailbox is in use by another session ([IN-USE])"),
            "SYS/TEMP" => Some("a temporary failure on the server ([SYS/TEMP])"),
            _ => None,
        }
    }

    fn starttls_advertised(&self, caps: &[String]) -> bool {
        caps.iter().any(|l| keyword(l).0 == "STLS")
    }

    fn password_login_offered(&self, caps: &[String]) -> bool {
        self.mechanisms(caps)
            .iter()
            .any(|m| m == "USER" || m == "PLAIN" || m == "LOGIN")
    }

    fn any_login_offered(&self, caps: &[String]) -> bool {
        !self.mechanisms(caps).is_empty()
    }

    fn login_disabled(&self, _caps: &[String]) -> Option<bool> {
        None
    }

    fn details(&self, caps: &[String], greeting: &str, into: &mut EndpointReport) {
        into.pop3 = Some(info(caps, greeting));
    }

    fn before_starttls(&self, _client_name: &str) -> Option<Command> {
        None
    }

    fn starttls_command(&self, _tag: &str) -> Command {
        Command::new("STLS", Expect::default())
    }

    /// `STLS` with an unknown command, which answers `-ERR`: a `-ERR` before CAPA's `+OK` inside
    /// TLS gives the injection away.
    fn injection_test(&self, _client_name: &str) -> InjectionTest {
        InjectionTest {
            pair: b"STLS\r\nXMAILSETUPPROBE\r\n",
            expect: Expect::default(),
            then: self.capability_command("", ""),
            needs_capabilities: true,
        }
    }

    fn injected_answer(&self, reply: &Reply) -> Option<String> {
        (self.status(reply) == Status::Negative).then(|| self.words(reply))
    }

    /// AUTH PLAIN (with its initial response) when offered, else USER and PASS.
    #[cfg(all(feature = "probe", not(target_arch = "wasm32")))]
    fn login(
        &self,
        _tag: &str,
        caps: &[String],
        creds: &crate::probe::Credentials,
    ) -> Result<super::Login, super::NoLogin> {
        use crate::probe::Secret;
        let login = |mechanism, steps: Vec<String>, proceed_on| super::Login {
            mechanism,
            steps: steps.into_iter().map(Secret::new).collect(),
            proceed_on,
            expect: Expect::default(),
        };
        if self.mechanisms(caps).iter().any(|m| m == "PLAIN") {
            let plain = creds.sasl_plain();
            let step = format!("AUTH PLAIN {}", plain.expose());
            return Ok(login("AUTH PLAIN", vec![step], Status::GoAhead));
        }
        let (user, pass) = (creds.user.as_str(), creds.password.expose());
        if [user, pass].iter().any(|s| s.contains(['\r', '\n'])) {
            return Err(super::NoLogin {
                mechanism: "USER/PASS",
                why: "the user name or password contains a line break".into(),
            });
        }
        let steps = vec![format!("USER {user}"), format!("PASS {pass}")];
        Ok(login("USER/PASS", steps, Status::Positive))
    }

    fn quit_command(&self, _tag: &str) -> Command {
        Command::new("QUIT", Expect::default())
    }
}

#[cfg(test)]
mod tests {
    use super::super::reply_of;
    use super::*;

    fn caps(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn capa_parsing() {
        let before = caps(&["CAPA", "TOP", "UIDL", "STLS", "SASL"]);
        assert!(Pop3.starttls_advertised(&before));
        assert!(Pop3.mechanisms(&before).is_empty());
        assert!(!Pop3.password_login_offered(&before));
        let after = caps(&[
            "USER",
            "SASL PLAIN LOGIN",
            "UIDL",
            "EXPIRE 30 USER",
            "LOGIN-DELAY 900",
        ]);
        assert_eq!(Pop3.mechanisms(&after), ["PLAIN", "LOGIN", "USER"]);
        assert!(Pop3.password_login_offered(&after));
        let i = info(&after, "+OK ready <1.2@mail.test>");
        assert!(i.uidl && i.apop);
        assert_eq!(i.expire.as_deref(), Some("30 USER"));
        assert_eq!(i.login_delay, Some(900));
        assert!(!info(&caps(&["TOP"]), "+OK").uidl);
    }

    #[test]
    fn capa_is_a_dot_terminated_list() {
        let capa = Pop3.capability_command("", "");
        let r = reply_of(&Pop3, &capa.expect, &["+OK list", "TOP", "..odd", "."]).unwrap();
        assert_eq!(Pop3.capabilities(&r), Some(caps(&["TOP", ".odd"])));
        let r = reply_of(&Pop3, &capa.expect, &["-ERR unknown"]).unwrap();
        assert_eq!(Pop3.capabilities(&r), None);
        assert_eq!(Pop3.words(&r), "-ERR unknown");
        assert_eq!(
            Pop3.framing(&capa.expect, &[], "* OK imap")
                .unwrap_err()
                .kind,
            FailureKind::WrongProtocol
        );
        let go = reply_of(&Pop3, &Expect::default(), &["+ "]).unwrap();
        assert_eq!(Pop3.status(&go), Status::GoAhead);
    }

    #[test]
    fn the_injected_answer_is_an_err_before_capa() {
        let then = Pop3.injection_test("").then;
        let r = reply_of(&Pop3, &then.expect, &["-ERR Unknown command"]).unwrap();
        assert_eq!(
            Pop3.injected_answer(&r).as_deref(),
            Some("-ERR Unknown command")
        );
        let r = reply_of(&Pop3, &then.expect, &["+OK", "STLS", "."]).unwrap();
        assert_eq!(Pop3.injected_answer(&r), None);
    }

    #[cfg(all(feature = "probe", not(target_arch = "wasm32")))]
    #[test]
    fn logins_use_auth_plain_or_user_pass() {
        use crate::probe::{Credentials, Secret};
        let creds = |user: &str| Credentials {
            user: user.into(),
            password: Secret::new("pw".into()),
        };
        let l = Pop3
            .login("", &caps(&["SASL PLAIN"]), &creds("bob"))
            .unwrap();
        assert_eq!(l.mechanism, "AUTH PLAIN");
        assert_eq!(l.steps[0].expose(), "AUTH PLAIN AGJvYgBwdw==");
        let l = Pop3.login("", &caps(&["USER"]), &creds("bob")).unwrap();
        let steps: Vec<&str> = l.steps.iter().map(|s| s.expose()).collect();
        assert_eq!(
            (l.mechanism, steps),
            ("USER/PASS", vec!["USER bob", "PASS pw"])
        );
        assert_eq!(l.proceed_on, Status::Positive);
        let delay = reply_of(
            &Pop3,
            &Expect::default(),
            &["-ERR [LOGIN-DELAY] Logins must be at least 1 minute apart"],
        )
        .unwrap();
        assert!(Pop3.login_deferred(&delay).unwrap().contains("LOGIN-DELAY"));
        let wrong = reply_of(&Pop3, &Expect::default(), &["-ERR [AUTH] wrong"]).unwrap();
        assert_eq!(Pop3.login_deferred(&wrong), None);
        assert!(Pop3.cleartext_login_check(&caps(&["USER"])).is_some());
        assert!(Pop3.cleartext_login_check(&caps(&["SASL PLAIN"])).is_none());
        assert!(Pop3.login("", &caps(&["USER"]), &creds("b\nob")).is_err());
    }
}
