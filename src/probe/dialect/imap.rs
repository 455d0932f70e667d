//! IMAP (RFC 9051 / 3501): tagged replies, CAPABILITY, STARTTLS, LOGINDISABLED, AUTHENTICATE
//! PLAIN (with SASL-IR, RFC 4959) and LOGIN.

use super::{refused, response_code, wrong_protocol, Command, Dialect, Expect, Framing};
use super::{InjectionTest, Reply};
use super::{Status, Stop};
use crate::model::Protocol;
use crate::probe::report::EndpointReport;

/// IMAP.
pub struct Imap;

/// The tags of the injection test: STARTTLS, the injected NOOP, and the command inside TLS.
const INJECTED_TAG: &str = "i2";

fn has(caps: &[String], atom: &str) -> bool {
    caps.iter().any(|c| c.eq_ignore_ascii_case(atom))
}

/// `{123}` or `{123+}` at the end of a line: a literal of that many bytes follows.
fn literal_len(line: &str) -> Option<usize> {
    let inner = line.strip_suffix('}')?;
    let open = inner.rfind('{')?;
    inner[open + 1..].trim_end_matches('+').parse().ok()
}

/// The line is tagged `tag`: its status word and text.
fn tagged<'a>(line: &'a str, tag: &str) -> Option<(&'a str, &'a str)> {
    let rest = line.strip_prefix(tag)?.strip_prefix(' ')?;
    Some(rest.split_once(' ').unwrap_or((rest, "")))
}

/// An IMAP quoted string (ASCII without CR/LF).
#[cfg(all(feature = "probe", not(target_arch = "wasm32")))]
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

impl Dialect for Imap {
    fn protocol(&self) -> Protocol {
        Protocol::Imap
    }

    fn framing(&self, expect: &Expect, _before: &[String], line: &str) -> Result<Framing, Stop> {
        let Some(tag) = &expect.tag else {
            // The greeting: one untagged line.
            return Ok(Framing::End);
        };
        if tagged(line, tag).is_some() || (expect.go_ahead && line.starts_with('+')) {
            return Ok(Framing::End);
        }
        // A literal inside a response we only skim: skip its bytes; the line goes on after it.
        Ok(literal_len(line).map_or(Framing::More, Framing::Skip))
    }

    fn status(&self, reply: &Reply) -> Status {
        let last = reply.last();
        if last.starts_with('+') {
            return Status::GoAhead;
        }
        let status = last.split(' ').nth(1).unwrap_or("");
        if status.eq_ignore_ascii_case("OK") {
            Status::Positive
        } else {
            Status::Negative
        }
    }

    /// The final line without its tag, the status word upper case: `NO [AUTHENTICATIONFAILED] …`.
    fn words(&self, reply: &Reply) -> String {
        let last = reply.last();
        if last.starts_with('+') {
            return last.to_string();
        }
        let rest = last.split_once(' ').map_or("", |(_, r)| r);
        let (status, text) = rest.split_once(' ').unwrap_or((rest, ""));
        format!("{} {text}", status.to_ascii_uppercase())
            .trim()
            .to_string()
    }

    /// `* OK` or `* PREAUTH` welcome; `* BYE` refuses service.
    fn check_greeting(&self, greeting: &Reply) -> Result<(), Stop> {
        let u = greeting.first().to_ascii_uppercase();
        if u.starts_with("* OK") || u.starts_with("* PREAUTH") {
            Ok(())
        } else if u.starts_with("* BYE") {
            Err(refused(greeting))
        } else {
            Err(wrong_protocol(Some(Protocol::Imap), greeting.first()))
        }
    }

    fn capability_command(&self, tag: &str, _client_name: &str) -> Command {
        Command::new(format!("{tag} CAPABILITY"), Expect::tagged(tag))
    }

    /// The atoms of the `* CAPABILITY …` line among the untagged responses.
    fn capabilities(&self, reply: &Reply) -> Option<Vec<String>> {
        reply.lines.iter().find_map(|l| {
            let rest = l.strip_prefix("* ")?;
            let (word, atoms) = rest.split_once(' ').unwrap_or((rest, ""));
            word.eq_ignore_ascii_case("CAPABILITY")
                .then(|| atoms.split_ascii_whitespace().map(str::to_string).collect())
        })
    }

    fn no_capabilities(&self) -> &'static str {
        "no CAPABILITY response"
    }

    /// `AUTH=PLAIN` → `PLAIN`.
    fn mechanisms(&self, caps: &[String]) -> Vec<String> {
        caps.iter()
            .filter_map(|c| {
                c.get(..5)
                    .filter(|p| p.eq_ignore_ascii_case("AUTH="))
                    .map(|_| c[5..].to_ascii_uppercase())
            })
            .collect()
    }

    /// The SASL mechanisms, and `LOGIN` for the LOGIN command when LOGINDISABLED is not listed.
    fn login_methods(&self, caps: &[String]) -> Vec<String> {
        let mut out = self.mechanisms(caps);
        if !has(caps, "LOGINDISABLED") && !out.iter().any(|m| m == "LOGIN") {
            out.push("LOGIN".into());
        }
        out
    }

    /// `NO [UNAVAILABLE]` (RFC 5530: a temporary failure), `[INUSE]`, `[LIMIT]`.
    fn login_deferred(&self, reply: &Reply) -> Option<&'static str> {
        let words = self.words(reply);
        let text = words.split_once(' ').map_or("", |(_, t)| t);
        match response_code(text)?.as_str() {
            "UNAVAILABLE" => Some("the server cannot check logins now ([UNAVAILABLE])"),
            "INUSE" => Some("the mailbox is in use by another session ([INUSE])"),
            "LIMIT" => Some("a limit was reached, such as too many sessions ([LIMIT])"),
            _ => None,
        }
    }

    fn starttls_advertised(&self, caps: &[String]) -> bool {
        has(caps, "STARTTLS")
    }

    /// AUTH=PLAIN or AUTH=LOGIN, or the LOGIN command (a capability list without LOGINDISABLED
    /// means LOGIN works).
    fn password_login_offered(&self, caps: &[String]) -> bool {
        !has(caps, "LOGINDISABLED")
            || self
                .mechanisms(caps)
                .iter()
                .any(|m| m == "PLAIN" || m == "LOGIN")
    }

    fn any_login_offered(&self, caps: &[String]) -> bool {
        !has(caps, "LOGINDISABLED") || !self.mechanisms(caps).is_empty()
    }

    fn login_disabled(&self, caps: &[String]) -> Option<bool> {
        Some(has(caps, "LOGINDISABLED"))
    }

    fn details(&self, _caps: &[String], _greeting: &str, _into: &mut EndpointReport) {}

    fn before_starttls(&self, _client_name: &str) -> Option<Command> {
        None
    }

    fn starttls_command(&self, tag: &str) -> Command {
        Command::new(format!("{tag} STARTTLS"), Expect::tagged(tag))
    }

    /// `i1 STARTTLS` with `i2 NOOP`; inside TLS `i3 CAPABILITY`, whose reply must not carry an
    /// answer tagged `i2`.
    fn injection_test(&self, _client_name: &str) -> InjectionTest {
        InjectionTest {
            pair: b"i1 STARTTLS\r\ni2 NOOP\r\n",
            expect: Expect::tagged("i1"),
            then: Command::new("i3 CAPABILITY", Expect::tagged("i3")),
            needs_capabilities: false,
        }
    }

    fn injected_answer(&self, reply: &Reply) -> Option<String> {
        reply
            .lines
            .iter()
            .find(|l| tagged(l, INJECTED_TAG).is_some())
            .cloned()
    }

    /// AUTHENTICATE PLAIN when offered (in one command with SASL-IR), else LOGIN (quoted strings,
    /// or literals for non-ASCII, each after the server's go-ahead).
    #[cfg(all(feature = "probe", not(target_arch = "wasm32")))]
    fn login(
        &self,
        tag: &str,
        caps: &[String],
        creds: &crate::probe::Credentials,
    ) -> Result<super::Login, super::NoLogin> {
        use crate::probe::Secret;
        let login = |mechanism, steps: Vec<String>| super::Login {
            mechanism,
            steps: steps.into_iter().map(Secret::new).collect(),
            proceed_on: Status::GoAhead,
            expect: Expect::tagged(tag),
        };
        if self.mechanisms(caps).iter().any(|m| m == "PLAIN") {
            let plain = creds.sasl_plain();
            let steps = if has(caps, "SASL-IR") {
                vec![format!("{tag} AUTHENTICATE PLAIN {}", plain.expose())]
            } else {
                vec![
                    format!("{tag} AUTHENTICATE PLAIN"),
                    plain.expose().to_string(),
                ]
            };
            return Ok(login("AUTHENTICATE PLAIN", steps));
        }
        if has(caps, "LOGINDISABLED") {
            return Err(super::NoLogin {
                mechanism: "",
                why: "the server offers neither AUTH=PLAIN nor the LOGIN command".into(),
            });
        }
        let (user, pass) = (creds.user.as_str(), creds.password.expose());
        if [user, pass].iter().any(|s| s.contains(['\r', '\n', '\0'])) {
            return Err(super::NoLogin {
                mechanism: "LOGIN",
                why: "the user name or password contains a line break or NUL, which LOGIN cannot carry"
                    .into(),
            });
        }
        let steps = if [user, pass].iter().all(|s| s.is_ascii()) {
            vec![format!("{tag} LOGIN {} {}", quoted(user), quoted(pass))]
        } else {
            // Non-ASCII needs literals: `{n}` and wait for the go-ahead each time.
            vec![
                format!("{tag} LOGIN {{{}}}", user.len()),
                format!("{user} {{{}}}", pass.len()),
                pass.to_string(),
            ]
        };
        Ok(login("LOGIN", steps))
    }

    fn quit_command(&self, tag: &str) -> Command {
        Command::new(format!("{tag} LOGOUT"), Expect::tagged(tag))
    }
}

#[cfg(test)]
mod tests {
    use super::super::reply_of;
    use super::*;

    fn caps(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn capability_parsing() {
        let r = reply_of(
            &Imap,
            &Expect::tagged("a1"),
            &[
                "* OK hi",
                "* CAPABILITY IMAP4rev1 SASL-IR STARTTLS LOGINDISABLED",
                "a1 OK done",
            ],
        )
        .unwrap();
        let c = Imap.capabilities(&r).unwrap();
        assert_eq!(c.len(), 4);
        assert!(Imap.starttls_advertised(&c) && Imap.login_disabled(&c) == Some(true));
        assert!(!Imap.password_login_offered(&c));
        assert!(!Imap.any_login_offered(&c));
        let after = caps("IMAP4rev1 SASL-IR AUTH=PLAIN auth=login");
        assert_eq!(Imap.mechanisms(&after), ["PLAIN", "LOGIN"]);
        assert_eq!(Imap.login_methods(&after), ["PLAIN", "LOGIN"]);
        assert_eq!(Imap.login_methods(&caps("IMAP4rev1")), ["LOGIN"]);
        assert_eq!(
            Imap.cleartext_methods(&caps("AUTH=CRAM-MD5 AUTH=PLAIN")),
            ["PLAIN", "LOGIN"]
        );
        assert!(Imap.login_methods(&c).is_empty());
        assert!(Imap.password_login_offered(&after));
        assert!(
            Imap.password_login_offered(&caps("IMAP4rev1")),
            "no LOGINDISABLED: LOGIN works"
        );
        let oauth_only = caps("IMAP4rev1 LOGINDISABLED AUTH=XOAUTH2");
        assert!(!Imap.password_login_offered(&oauth_only));
        assert!(Imap.any_login_offered(&oauth_only));
        assert_eq!(Imap.capabilities(&Reply::default()), None);
    }

    #[test]
    fn replies_end_at_their_tag_and_skip_literals() {
        let e = Expect::tagged("a2");
        assert_eq!(
            Imap.framing(&e, &[], "* 1 FETCH (BODY[] {42}"),
            Ok(Framing::Skip(42))
        );
        assert_eq!(Imap.framing(&e, &[], "* X {7+}"), Ok(Framing::Skip(7)));
        assert_eq!(Imap.framing(&e, &[], "* OK {no}"), Ok(Framing::More));
        assert_eq!(Imap.framing(&e, &[], "a1 OK other"), Ok(Framing::More));
        assert_eq!(Imap.framing(&e, &[], "+ go"), Ok(Framing::More));
        let go = Expect {
            go_ahead: true,
            ..e.clone()
        };
        assert_eq!(Imap.framing(&go, &[], "+ go"), Ok(Framing::End));
        let r = reply_of(&Imap, &e, &["* BYE", "a2 no [AUTHENTICATIONFAILED] nope"]).unwrap();
        assert_eq!(Imap.status(&r), Status::Negative);
        assert_eq!(Imap.words(&r), "NO [AUTHENTICATIONFAILED] nope");
        assert_eq!(Imap.login_deferred(&r), None);
        let busy = reply_of(&Imap, &e, &["a2 NO [INUSE] mailbox locked"]).unwrap();
        assert!(Imap.login_deferred(&busy).is_some());
        let ok = reply_of(&Imap, &e, &["a2 OK"]).unwrap();
        assert_eq!(
            (Imap.status(&ok), Imap.words(&ok).as_str()),
            (Status::Positive, "OK")
        );
    }

    #[test]
    fn the_injected_answer_is_the_one_tagged_i2() {
        let t = Imap.injection_test("");
        let r = reply_of(
            &Imap,
            &t.then.expect,
            &["i2 OK NOOP done", "* CAPABILITY IMAP4rev1", "i3 OK"],
        )
        .unwrap();
        assert_eq!(Imap.injected_answer(&r).as_deref(), Some("i2 OK NOOP done"));
        let clean = reply_of(&Imap, &t.then.expect, &["* CAPABILITY IMAP4rev1", "i3 OK"]).unwrap();
        assert_eq!(Imap.injected_answer(&clean), None);
    }

    #[cfg(all(feature = "probe", not(target_arch = "wasm32")))]
    #[test]
    fn logins_choose_plain_then_login_then_literals() {
        use crate::probe::{Credentials, Secret};
        let creds = |user: &str, pass: &str| Credentials {
            user: user.into(),
            password: Secret::new(pass.into()),
        };
        let steps = |l: &super::super::Login| -> Vec<String> {
            l.steps.iter().map(|s| s.expose().to_string()).collect()
        };
        let alice = creds("alice@mail.test", "alice-secret");
        let l = Imap
            .login("a4", &caps("SASL-IR AUTH=PLAIN"), &alice)
            .unwrap();
        assert_eq!(
            steps(&l),
            ["a4 AUTHENTICATE PLAIN AGFsaWNlQG1haWwudGVzdABhbGljZS1zZWNyZXQ="]
        );
        let l = Imap.login("a4", &caps("AUTH=PLAIN"), &alice).unwrap();
        assert_eq!(steps(&l).len(), 2);
        let l = Imap.login("a4", &caps("IMAP4rev1"), &alice).unwrap();
        assert_eq!(
            (l.mechanism, steps(&l)),
            (
                "LOGIN",
                vec![r#"a4 LOGIN "alice@mail.test" "alice-secret""#.to_string()]
            )
        );
        let l = Imap
            .login("a4", &caps("IMAP4rev1"), &creds("jö", "pä\"ss"))
            .unwrap();
        assert_eq!(steps(&l), ["a4 LOGIN {3}", "jö {6}", "pä\"ss"]);
        assert_eq!(
            Imap.login("a4", &caps("LOGINDISABLED"), &alice)
                .unwrap_err()
                .mechanism,
            ""
        );
        assert_eq!(
            Imap.login("a4", &caps("IMAP4rev1"), &creds("a\r\nb", "x"))
                .unwrap_err()
                .mechanism,
            "LOGIN"
        );
        assert_eq!(quoted(r#"a"b\c"#), r#""a\"b\\c""#);
    }
}
