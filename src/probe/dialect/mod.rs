//! IMAP, POP3 and SMTP as one vocabulary: how a server greets, how a reply ends, the capability
//! command and what its answer means, the STARTTLS command, the SASL mechanisms, the login
//! exchange and the goodbye.
//!
//! Pure, like the rest of the rules: a [`Dialect`] says what to send and what an answer means; the
//! session (feature `probe`) does the I/O. The N rules read capabilities through the same
//! vocabulary, so a protocol's meaning of `LOGINDISABLED` or `SASL` lives in one file.
//!
//! The session holds a `&'static dyn Dialect`, chosen once the greeting says which protocol
//! answers: a trait object rather than an enum, because each protocol is then one type in one
//! file whose compiler-checked answer to every question sits together, and rather than a generic
//! session, because the protocol is only known at run time and three copies of the async
//! conversation would triple its code. Every method is synchronous, so the trait is object-safe.

mod imap;
mod pop3;
mod smtp;

#[cfg(all(feature = "probe", not(target_arch = "wasm32")))]
pub use smtp::address_literal;

use super::report::{EndpointReport, FailureKind};
use crate::model::{labels, Protocol};
use crate::text::Quoted;

/// The dialect of a protocol.
pub fn dialect(protocol: Protocol) -> &'static dyn Dialect {
    match protocol {
        Protocol::Imap => &imap::Imap,
        Protocol::Pop3 => &pop3::Pop3,
        Protocol::Smtp => &smtp::Smtp,
    }
}

/// What one mail protocol says and means. Lines are without their CRLF.
pub trait Dialect: Sync {
    /// The protocol spoken.
    fn protocol(&self) -> Protocol;

    /// How a reply goes on after `line`, given the lines of the reply before it.
    fn framing(&self, expect: &Expect, before: &[String], line: &str) -> Result<Framing, Stop>;

    /// What a complete reply says.
    fn status(&self, reply: &Reply) -> Status;

    /// The reply in the server's words, for the report (`NO [AUTHENTICATIONFAILED] …`,
    /// `+OK Logged in.`, `535 5.7.8 … / …`).
    fn words(&self, reply: &Reply) -> String;

    /// Whether the greeting welcomes a client: refused service and another protocol are errors.
    fn check_greeting(&self, greeting: &Reply) -> Result<(), Stop>;

    /// The command that lists the capabilities (IMAP CAPABILITY, POP3 CAPA, SMTP EHLO).
    /// `client_name` is this side's name for SMTP's EHLO.
    fn capability_command(&self, tag: &str, client_name: &str) -> Command;

    /// The capabilities in the answer (IMAP atoms, POP3 CAPA lines, SMTP EHLO keyword lines);
    /// `None` when the server did not list any.
    fn capabilities(&self, reply: &Reply) -> Option<Vec<String>>;

    /// What it means when [`Dialect::capabilities`] is `None`, in a few words.
    fn no_capabilities(&self) -> &'static str;

    /// The SASL mechanisms offered, upper case (POP3 adds `USER` for the USER command).
    fn mechanisms(&self, caps: &[String]) -> Vec<String>;

    /// Every way to log in offered, for the report: the SASL mechanisms and the protocol's own
    /// login commands (POP3 `USER`, IMAP's `LOGIN` command, shown as `LOGIN` like AUTH=LOGIN:
    /// both send the password as it is).
    fn login_methods(&self, caps: &[String]) -> Vec<String> {
        self.mechanisms(caps)
    }

    /// The offered ways to log in that send the password as it is (PLAIN, LOGIN, USER, IMAP's
    /// LOGIN command), as [`Dialect::login_methods`] names them; not challenge-response
    /// mechanisms (CRAM-MD5, SCRAM), which never reveal it.
    fn cleartext_methods(&self, caps: &[String]) -> Vec<String> {
        self.login_methods(caps)
            .into_iter()
            .filter(|m| matches!(m.as_str(), "PLAIN" | "LOGIN" | "USER"))
            .collect()
    }

    /// A command that shows, without any password, whether the server takes a cleartext login
    /// it announces (POP3: `USER` with a made-up name, which a server that requires TLS
    /// refuses). `None` where no such command exists (IMAP LOGIN and SASL carry the password).
    fn cleartext_login_check(&self, _caps: &[String]) -> Option<Command> {
        None
    }

    /// A negative answer to a login that is no verdict on the password: the server deferred it
    /// (POP3 `[LOGIN-DELAY]`, `[IN-USE]`, `[SYS/TEMP]`, IMAP `[UNAVAILABLE]`, `[INUSE]`, an
    /// SMTP 4xx). The reason in a few words.
    fn login_deferred(&self, reply: &Reply) -> Option<&'static str>;

    /// STARTTLS (POP3: STLS) is in the capabilities.
    fn starttls_advertised(&self, caps: &[String]) -> bool;

    /// A password can be sent as it is (PLAIN, LOGIN, IMAP's LOGIN command, POP3's USER/PASS).
    fn password_login_offered(&self, caps: &[String]) -> bool;

    /// Any way at all to log in.
    fn any_login_offered(&self, caps: &[String]) -> bool;

    /// IMAP: whether LOGINDISABLED is listed; `None` for the protocols without it.
    fn login_disabled(&self, caps: &[String]) -> Option<bool>;

    /// Fills the report's protocol details from the capabilities (POP3 "leave on server"
    /// options, SMTP submission extensions).
    fn details(&self, caps: &[String], greeting: &str, into: &mut EndpointReport);

    /// The command that must come before STARTTLS on a fresh connection (SMTP's EHLO).
    fn before_starttls(&self, client_name: &str) -> Option<Command>;

    /// The STARTTLS command (POP3: STLS).
    fn starttls_command(&self, tag: &str) -> Command;

    /// The STARTTLS command-injection test (see [`InjectionTest`]).
    fn injection_test(&self, client_name: &str) -> InjectionTest;

    /// The answer to the injected command, when it arrived inside TLS before the answer to
    /// [`InjectionTest::then`].
    fn injected_answer(&self, reply: &Reply) -> Option<String>;

    /// The login exchange for these capabilities and credentials, or why none is possible.
    #[cfg(all(feature = "probe", not(target_arch = "wasm32")))]
    fn login(
        &self,
        tag: &str,
        caps: &[String],
        creds: &super::Credentials,
    ) -> Result<Login, NoLogin>;

    /// The goodbye (IMAP LOGOUT, POP3 and SMTP QUIT).
    fn quit_command(&self, tag: &str) -> Command;
}

/// A command and how its reply ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// The line to send, without its CRLF.
    pub line: String,
    pub expect: Expect,
}

impl Command {
    /// A command whose reply is one answer.
    pub fn new(line: impl Into<String>, expect: Expect) -> Command {
        Command {
            line: line.into(),
            expect,
        }
    }
}

/// What ends the reply the client waits for. The default is one answer: the greeting, a POP3
/// status line, an SMTP reply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expect {
    /// IMAP: the line tagged with this tag ends the reply.
    pub tag: Option<String>,
    /// POP3: a positive answer opens a list that ends with a lone `.` (CAPA).
    pub list: bool,
    /// A go-ahead (IMAP `+`) ends the reply: the server waits for more from the client.
    pub go_ahead: bool,
}

impl Expect {
    /// The reply ends with the line tagged `tag` (IMAP).
    pub fn tagged(tag: &str) -> Expect {
        Expect {
            tag: Some(tag.to_string()),
            ..Expect::default()
        }
    }
}

/// How a reply goes on after a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// More lines follow.
    More,
    /// The line announced this many bytes of data (an IMAP literal): skip them, then more lines.
    Skip(usize),
    /// The reply is complete.
    End,
}

/// A reply: its lines as received, the one that ended it last.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reply {
    pub lines: Vec<String>,
}

impl Reply {
    /// The line that ended the reply.
    pub fn last(&self) -> &str {
        self.lines.last().map_or("", String::as_str)
    }

    /// The first line.
    pub fn first(&self) -> &str {
        self.lines.first().map_or("", String::as_str)
    }

    /// Every line, as sent, one per line.
    pub fn text(&self) -> String {
        self.lines.join("\n")
    }
}

/// What a reply says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Done (IMAP `OK`, POP3 `+OK`, SMTP 2xx).
    Positive,
    /// Go on: the server waits for more (IMAP `+`, POP3 `+ `, SMTP 3xx).
    GoAhead,
    /// Refused or failed (IMAP `NO`/`BAD`, POP3 `-ERR`, SMTP 4xx/5xx).
    Negative,
}

/// The STARTTLS command-injection test on a connection of its own: STARTTLS and a second command
/// in one write. A safe server answers only STARTTLS and then discards the second command (or
/// fails the handshake, having read it as TLS bytes); a vulnerable one answers it inside TLS,
/// before the answer to the command sent there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InjectionTest {
    /// STARTTLS and the injected command, with their CRLFs, sent in one write.
    pub pair: &'static [u8],
    /// How the answer to STARTTLS ends.
    pub expect: Expect,
    /// The command sent inside TLS.
    pub then: Command,
    /// The test tells the answers apart by the success of the capability command (POP3 CAPA):
    /// on a server without it, the test cannot tell.
    pub needs_capabilities: bool,
}

/// A login exchange: each step is sent after the server's go-ahead to the one before.
#[cfg(all(feature = "probe", not(target_arch = "wasm32")))]
#[derive(Debug)]
pub struct Login {
    /// The command or mechanism, for the report (`AUTHENTICATE PLAIN`, `USER/PASS`, `AUTH LOGIN`).
    pub mechanism: &'static str,
    /// The lines to send, without CRLF; they carry the credentials.
    pub steps: Vec<super::Secret>,
    /// The answer to a step that lets the next one go (a go-ahead; POP3's USER: `+OK`).
    pub proceed_on: Status,
    /// How each answer ends (the go-ahead ends an answer when more steps follow).
    pub expect: Expect,
}

/// Why no login is attempted.
#[cfg(all(feature = "probe", not(target_arch = "wasm32")))]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoLogin {
    /// The command that cannot be used, if one was chosen.
    pub mechanism: &'static str,
    pub why: String,
}

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
    let mail = |protocol, ok| Greeting::Mail { protocol, ok };
    if u.starts_with("* OK") || u.starts_with("* PREAUTH") {
        return mail(Protocol::Imap, true);
    }
    if u.starts_with("* BYE") {
        return mail(Protocol::Imap, false);
    }
    if u.starts_with("+OK") {
        return mail(Protocol::Pop3, true);
    }
    if u.starts_with("-ERR") {
        return mail(Protocol::Pop3, false);
    }
    if u.starts_with("HTTP/") || u.starts_with("<!DOCTYPE") || u.starts_with("<HTML") {
        return Greeting::Http;
    }
    if u.starts_with("SSH-") {
        return Greeting::Ssh;
    }
    if smtp::code(l).is_some() {
        return mail(Protocol::Smtp, &l[..3] == "220");
    }
    Greeting::Unknown
}

/// A capability a middlebox put where STARTTLS was: `XXXXXXXA` (Cisco's ESMTP inspection),
/// or STARTTLS's letters all overwritten with `X`.
pub fn masked_starttls(caps: &[String]) -> Option<&str> {
    caps.iter()
        .map(|c| c.split([' ', '=']).next().unwrap_or(""))
        .find(|k| {
            k.eq_ignore_ascii_case("XXXXXXXA")
                || (k.len() >= 4 && k.bytes().all(|b| b.eq_ignore_ascii_case(&b'X')))
        })
}

/// The response code in brackets at the start of a server's text (`[LOGIN-DELAY]`,
/// `[AUTHENTICATIONFAILED]`), upper case.
fn response_code(text: &str) -> Option<String> {
    let rest = text.trim_start().strip_prefix('[')?;
    let code = rest.split([']', ' ']).next()?;
    Some(code.to_ascii_uppercase())
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
        Greeting::Mail { protocol, .. } => format!("a {} greeting", labels::protocol(protocol)),
        Greeting::Http => "an HTTP response".into(),
        Greeting::Ssh => "an SSH banner".into(),
        Greeting::Unknown => "something that is not a mail greeting".into(),
    };
    let wanted = expected.map_or("mail".to_string(), |p| labels::protocol(p).to_string());
    Stop::new(
        FailureKind::WrongProtocol,
        format!(
            "expected a {wanted} server, got {what}: {}",
            Quoted(&clip(line, 120))
        ),
    )
}

/// The greeting refuses service.
fn refused(greeting: &Reply) -> Stop {
    Stop::new(
        FailureKind::Refused,
        format!(
            "the server refused service: {}",
            Quoted(&clip(&greeting.text(), 200))
        ),
    )
}

/// `line` starts with `prefix`, in any case; the rest.
fn strip_ci<'a>(line: &'a str, prefix: &str) -> Option<&'a str> {
    line.get(..prefix.len())
        .filter(|p| p.eq_ignore_ascii_case(prefix))
        .map(|_| &line[prefix.len()..])
}

/// Reads a whole reply from lines given in advance, as the session would (tests).
#[cfg(test)]
fn reply_of(d: &dyn Dialect, expect: &Expect, lines: &[&str]) -> Result<Reply, Stop> {
    let mut reply = Reply::default();
    for line in lines {
        let framing = d.framing(expect, &reply.lines, line)?;
        reply.lines.push(line.to_string());
        if framing == Framing::End {
            return Ok(reply);
        }
    }
    panic!("the reply did not end: {lines:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greetings_are_recognised() {
        use Greeting::*;
        let mail = |protocol, ok| Mail { protocol, ok };
        assert_eq!(
            classify("* OK [CAPABILITY IMAP4rev1] ready"),
            mail(Protocol::Imap, true)
        );
        assert_eq!(classify("* BYE shutting down"), mail(Protocol::Imap, false));
        assert_eq!(classify("+OK Dovecot ready."), mail(Protocol::Pop3, true));
        assert_eq!(classify("220-mail.test ESMTP"), mail(Protocol::Smtp, true));
        assert_eq!(classify("554 5.7.1 go away"), mail(Protocol::Smtp, false));
        assert_eq!(classify("HTTP/1.1 400 Bad Request"), Http);
        assert_eq!(classify("SSH-2.0-OpenSSH_9.2"), Ssh);
        assert_eq!(classify("AAAA"), Unknown);
        assert_eq!(classify(""), Unknown);
        assert!(wrong_protocol(Some(Protocol::Imap), "+OK pop")
            .message
            .contains("POP3 greeting"));
        assert!(wrong_protocol(None, "HTTP/1.1 400")
            .message
            .starts_with("expected a mail server, got an HTTP response"));
        assert_eq!(
            masked_starttls(&["PIPELINING".into(), "XXXXXXXA".into()]),
            Some("XXXXXXXA")
        );
        assert_eq!(masked_starttls(&["XXXX".into()]), Some("XXXX"));
        assert_eq!(masked_starttls(&["X-LINK2STATE".into()]), None);
        assert_eq!(
            response_code(" [LOGIN-DELAY] wait"),
            Some("LOGIN-DELAY".into())
        );
        assert_eq!(response_code("no code"), None);
    }

    #[test]
    fn every_dialect_checks_its_greeting() {
        let check = |p, lines: &[&str]| {
            let d = dialect(p);
            let reply = reply_of(d, &Expect::default(), lines)?;
            d.check_greeting(&reply)
        };
        assert!(check(Protocol::Imap, &["* OK ready"]).is_ok());
        assert!(check(Protocol::Imap, &["* PREAUTH hi"]).is_ok());
        assert!(check(Protocol::Pop3, &["+OK Dovecot ready."]).is_ok());
        assert!(check(Protocol::Smtp, &["220-mail.test ESMTP", "220 hi"]).is_ok());
        for (p, line) in [
            (Protocol::Imap, "* BYE go"),
            (Protocol::Pop3, "-ERR busy"),
            (Protocol::Smtp, "554 5.7.1 go away"),
        ] {
            assert_eq!(check(p, &[line]).unwrap_err().kind, FailureKind::Refused);
        }
        for (p, line) in [(Protocol::Imap, "+OK pop"), (Protocol::Pop3, "* OK imap")] {
            assert_eq!(
                check(p, &[line]).unwrap_err().kind,
                FailureKind::WrongProtocol
            );
        }
        assert_eq!(
            check(Protocol::Smtp, &["220-mail.test", "554 no"])
                .unwrap_err()
                .kind,
            FailureKind::WrongProtocol
        );
    }

    #[test]
    fn every_dialect_has_its_own_commands() {
        let commands: Vec<(String, String, String)> =
            [Protocol::Imap, Protocol::Pop3, Protocol::Smtp]
                .into_iter()
                .map(|p| {
                    let d = dialect(p);
                    assert_eq!(d.protocol(), p);
                    (
                        d.capability_command("a1", "[127.0.0.1]").line,
                        d.starttls_command("a2").line,
                        d.quit_command("a3").line,
                    )
                })
                .collect();
        let s = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
        assert_eq!(
            commands,
            [
                s("a1 CAPABILITY", "a2 STARTTLS", "a3 LOGOUT"),
                s("CAPA", "STLS", "QUIT"),
                s("EHLO [127.0.0.1]", "STARTTLS", "QUIT"),
            ]
        );
    }

    #[test]
    fn clipping_counts_characters() {
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("äbcd", 2), "äb…");
    }
}
