//! IMAP (RFC 9051 / 3501): CAPABILITY, STARTTLS, LOGINDISABLED, AUTHENTICATE PLAIN and LOGIN.

use super::conv::{clip, Credentials, Stop};
use super::io::{Lines, MAX_RESPONSE};
use super::report::{FailureKind, LoginResult};

/// A tagged response and what came before it.
#[derive(Debug, Default)]
pub struct Tagged {
    /// `OK`, `NO` or `BAD` (upper case).
    pub status: String,
    /// The rest of the tagged line.
    pub text: String,
    /// Untagged lines (`* …`, `+ …`).
    pub untagged: Vec<String>,
    /// Lines tagged with another tag (answers to commands this one did not send).
    pub other_tagged: Vec<String>,
}

impl Tagged {
    pub fn ok(&self) -> bool {
        self.status == "OK"
    }

    /// `NO [AUTHENTICATIONFAILED] Authentication failed.`
    pub fn answer(&self) -> String {
        format!("{} {}", self.status, self.text).trim().to_string()
    }
}

/// Sends `tag command` and reads up to its tagged response.
pub async fn command(lines: &mut Lines, tag: &str, command: &str) -> Result<Tagged, Stop> {
    lines
        .send(format!("{tag} {command}\r\n").as_bytes())
        .await?;
    read_tagged(lines, tag).await
}

/// Reads lines up to the response tagged `tag`, within [`MAX_RESPONSE`].
pub async fn read_tagged(lines: &mut Lines, tag: &str) -> Result<Tagged, Stop> {
    let mut out = Tagged::default();
    let mut total = 0usize;
    loop {
        let line = lines.line().await?;
        total += line.len() + 2;
        if total > MAX_RESPONSE {
            return Err(super::io::IoFailure::TooLong.into());
        }
        if let Some(n) = literal_len(&line) {
            // A literal inside a response we only skim: skip its bytes; the line goes on after it.
            lines.skip(n).await?;
        }
        if let Some(rest) = line.strip_prefix(tag).and_then(|r| r.strip_prefix(' ')) {
            let (status, text) = rest.split_once(' ').unwrap_or((rest, ""));
            out.status = status.to_ascii_uppercase();
            out.text = text.to_string();
            return Ok(out);
        }
        if line.starts_with('*') || line.starts_with('+') {
            out.untagged.push(line);
        } else {
            out.other_tagged.push(line);
        }
    }
}

/// `{123}` or `{123+}` at the end of a line.
fn literal_len(line: &str) -> Option<usize> {
    let inner = line.strip_suffix('}')?;
    let open = inner.rfind('{')?;
    inner[open + 1..].trim_end_matches('+').parse().ok()
}

/// The atoms of a `* CAPABILITY …` line among untagged responses.
pub fn capabilities(untagged: &[String]) -> Option<Vec<String>> {
    untagged.iter().find_map(|l| {
        let rest = l.strip_prefix("* ")?;
        let (word, atoms) = rest.split_once(' ').unwrap_or((rest, ""));
        word.eq_ignore_ascii_case("CAPABILITY")
            .then(|| atoms.split_ascii_whitespace().map(str::to_string).collect())
    })
}

fn has(caps: &[String], atom: &str) -> bool {
    caps.iter().any(|c| c.eq_ignore_ascii_case(atom))
}

/// SASL mechanisms (`AUTH=PLAIN` → `PLAIN`).
pub fn mechanisms(caps: &[String]) -> Vec<String> {
    caps.iter()
        .filter_map(|c| {
            c.get(..5)
                .filter(|p| p.eq_ignore_ascii_case("AUTH="))
                .map(|_| c[5..].to_ascii_uppercase())
        })
        .collect()
}

pub fn login_disabled(caps: &[String]) -> bool {
    has(caps, "LOGINDISABLED")
}

pub fn starttls_advertised(caps: &[String]) -> bool {
    has(caps, "STARTTLS")
}

/// A password can be sent: AUTH=PLAIN or AUTH=LOGIN, or the LOGIN command (no LOGINDISABLED).
pub fn password_login_offered(caps: &[String]) -> bool {
    !login_disabled(caps)
        || mechanisms(caps)
            .iter()
            .any(|m| m == "PLAIN" || m == "LOGIN")
}

/// Any way at all to log in.
pub fn any_login_offered(caps: &[String]) -> bool {
    !login_disabled(caps) || !mechanisms(caps).is_empty()
}

/// The pipelined pair of the injection test and the tag whose answer must not come back over TLS.
pub fn injection_pair() -> (&'static [u8], &'static str, &'static str) {
    (b"i1 STARTTLS\r\ni2 NOOP\r\n", "i1", "i2")
}

/// After the handshake of the injection test: asks for something and tells whether the injected
/// command was answered inside TLS (its answer, if so).
pub async fn injection_check(
    lines: &mut Lines,
    injected_tag: &str,
) -> Result<Option<String>, Stop> {
    let r = command(lines, "i3", "CAPABILITY").await?;
    let prefix = format!("{injected_tag} ");
    Ok(r.other_tagged.into_iter().find(|l| l.starts_with(&prefix)))
}

/// Logs in with AUTHENTICATE PLAIN when offered (with SASL-IR in one command), else LOGIN.
/// Returns the result, the mechanism used and the server's words.
pub async fn login(
    lines: &mut Lines,
    tag: &str,
    caps: &[String],
    creds: &Credentials,
) -> Result<(LoginResult, String, String), Stop> {
    let mechs = mechanisms(caps);
    if mechs.iter().any(|m| m == "PLAIN") {
        let resp = if has(caps, "SASL-IR") {
            lines
                .send(format!("{tag} AUTHENTICATE PLAIN {}\r\n", creds.sasl_plain()).as_bytes())
                .await?;
            read_tagged(lines, tag).await?
        } else {
            lines
                .send(format!("{tag} AUTHENTICATE PLAIN\r\n").as_bytes())
                .await?;
            match continuation(lines, tag).await? {
                Err(refused) => refused,
                Ok(()) => {
                    lines
                        .send(format!("{}\r\n", creds.sasl_plain()).as_bytes())
                        .await?;
                    read_tagged(lines, tag).await?
                }
            }
        };
        return Ok(outcome(resp, "AUTHENTICATE PLAIN", creds));
    }
    if login_disabled(caps) {
        return Ok((
            LoginResult::NotAttempted,
            String::new(),
            "the server offers neither AUTH=PLAIN nor the LOGIN command".into(),
        ));
    }
    let (user, pass) = (creds.user.as_str(), creds.password.expose());
    if [user, pass].iter().any(|s| s.contains(['\r', '\n', '\0'])) {
        return Ok((
            LoginResult::NotAttempted,
            "LOGIN".into(),
            "the user name or password contains a line break or NUL, which LOGIN cannot carry"
                .into(),
        ));
    }
    let resp = if [user, pass].iter().all(|s| s.is_ascii()) {
        lines
            .send(format!("{tag} LOGIN {} {}\r\n", quoted(user), quoted(pass)).as_bytes())
            .await?;
        read_tagged(lines, tag).await?
    } else {
        // Non-ASCII needs literals: `{n}` and wait for the go-ahead each time.
        lines
            .send(format!("{tag} LOGIN {{{}}}\r\n", user.len()).as_bytes())
            .await?;
        match continuation(lines, tag).await? {
            Err(refused) => refused,
            Ok(()) => {
                lines
                    .send(format!("{user} {{{}}}\r\n", pass.len()).as_bytes())
                    .await?;
                match continuation(lines, tag).await? {
                    Err(refused) => refused,
                    Ok(()) => {
                        lines.send(format!("{pass}\r\n").as_bytes()).await?;
                        read_tagged(lines, tag).await?
                    }
                }
            }
        }
    };
    Ok(outcome(resp, "LOGIN", creds))
}

/// Waits for `+ …` (go ahead) or the tagged refusal.
async fn continuation(lines: &mut Lines, tag: &str) -> Result<Result<(), Tagged>, Stop> {
    let mut total = 0;
    loop {
        let line = lines.line().await?;
        total += line.len();
        if total > MAX_RESPONSE {
            return Err(super::io::IoFailure::TooLong.into());
        }
        if line.starts_with('+') {
            return Ok(Ok(()));
        }
        if let Some(rest) = line.strip_prefix(tag).and_then(|r| r.strip_prefix(' ')) {
            let (status, text) = rest.split_once(' ').unwrap_or((rest, ""));
            return Ok(Err(Tagged {
                status: status.to_ascii_uppercase(),
                text: text.into(),
                ..Tagged::default()
            }));
        }
    }
}

fn outcome(resp: Tagged, mechanism: &str, creds: &Credentials) -> (LoginResult, String, String) {
    let result = if resp.ok() {
        LoginResult::Accepted
    } else {
        LoginResult::Rejected
    };
    (
        result,
        mechanism.into(),
        creds.scrub(&clip(&resp.answer(), 300)),
    )
}

/// An IMAP quoted string (ASCII without CR/LF).
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

/// Sends LOGOUT and waits briefly for the server's goodbye.
pub async fn logout(lines: &mut Lines, tag: &str) -> Result<String, Stop> {
    let r = command(lines, tag, "LOGOUT").await?;
    Ok(r.answer())
}

/// The greeting must say `* OK` or `* PREAUTH`; `* BYE` refuses service.
pub fn check_greeting(line: &str) -> Result<(), Stop> {
    let u = line.to_ascii_uppercase();
    if u.starts_with("* OK") || u.starts_with("* PREAUTH") {
        Ok(())
    } else if u.starts_with("* BYE") {
        Err(Stop::new(
            FailureKind::Refused,
            format!("the server refused service: {:?}", clip(line, 200)),
        ))
    } else {
        Err(super::conv::wrong_protocol(
            Some(crate::model::Protocol::Imap),
            line,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caps(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn capability_parsing() {
        let u = vec![
            "* OK hi".to_string(),
            "* CAPABILITY IMAP4rev1 SASL-IR STARTTLS LOGINDISABLED".to_string(),
        ];
        let c = capabilities(&u).unwrap();
        assert_eq!(c.len(), 4);
        assert!(starttls_advertised(&c) && login_disabled(&c));
        assert!(!password_login_offered(&c));
        assert!(!any_login_offered(&c));
        let after = caps("IMAP4rev1 SASL-IR AUTH=PLAIN auth=login");
        assert_eq!(mechanisms(&after), ["PLAIN", "LOGIN"]);
        assert!(password_login_offered(&after));
        assert!(
            password_login_offered(&caps("IMAP4rev1")),
            "no LOGINDISABLED: LOGIN works"
        );
        assert!(!password_login_offered(&caps(
            "IMAP4rev1 LOGINDISABLED AUTH=XOAUTH2"
        )));
        assert!(any_login_offered(&caps(
            "IMAP4rev1 LOGINDISABLED AUTH=XOAUTH2"
        )));
    }

    #[test]
    fn literals_and_quoting() {
        assert_eq!(literal_len("* 1 FETCH (BODY[] {42}"), Some(42));
        assert_eq!(literal_len("* X {7+}"), Some(7));
        assert_eq!(literal_len("* OK {no}"), None);
        assert_eq!(quoted(r#"a"b\c"#), r#""a\"b\\c""#);
    }

    #[test]
    fn greetings() {
        assert!(check_greeting("* OK ready").is_ok());
        assert!(check_greeting("* PREAUTH hi").is_ok());
        assert_eq!(
            check_greeting("* BYE go").unwrap_err().kind,
            FailureKind::Refused
        );
        assert_eq!(
            check_greeting("+OK pop").unwrap_err().kind,
            FailureKind::WrongProtocol
        );
    }
}
