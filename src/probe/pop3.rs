//! POP3 (RFC 1939, CAPA and its capabilities RFC 2449, STLS RFC 2595, AUTH RFC 5034).

use super::conv::{clip, Credentials, Stop};
use super::io::{IoFailure, Lines, MAX_RESPONSE};
use super::report::{FailureKind, LoginResult, Pop3Info};

/// A one-line answer: `+OK …` (true) or `-ERR …` (false) and its text.
pub async fn status(lines: &mut Lines) -> Result<(bool, String), Stop> {
    let line = lines.line().await?;
    if let Some(rest) = strip_ci(&line, "+OK") {
        Ok((true, rest.trim().to_string()))
    } else if let Some(rest) = strip_ci(&line, "-ERR") {
        Ok((false, rest.trim().to_string()))
    } else if line.starts_with('+') {
        // A SASL continuation (`+ `): the server wants more than we sent.
        Ok((false, line))
    } else {
        Err(Stop::new(
            FailureKind::WrongProtocol,
            format!("not a POP3 answer: {:?}", clip(&line, 120)),
        ))
    }
}

fn strip_ci<'a>(line: &'a str, prefix: &str) -> Option<&'a str> {
    line.get(..prefix.len())
        .filter(|p| p.eq_ignore_ascii_case(prefix))
        .map(|_| &line[prefix.len()..])
}

pub async fn command(lines: &mut Lines, cmd: &str) -> Result<(bool, String), Stop> {
    lines.send(format!("{cmd}\r\n").as_bytes()).await?;
    status(lines).await
}

/// The lines of a multi-line answer up to the lone `.`, dot-unstuffed.
async fn multiline(lines: &mut Lines) -> Result<Vec<String>, Stop> {
    let mut out = Vec::new();
    let mut total = 0;
    loop {
        let line = lines.line().await?;
        total += line.len() + 2;
        if total > MAX_RESPONSE {
            return Err(IoFailure::TooLong.into());
        }
        if line == "." {
            return Ok(out);
        }
        out.push(line.strip_prefix('.').map_or(line.clone(), str::to_string));
    }
}

/// CAPA: the capability lines, or `None` when the server does not know CAPA.
pub async fn capa(lines: &mut Lines) -> Result<Option<Vec<String>>, Stop> {
    let (ok, _) = command(lines, "CAPA").await?;
    if !ok {
        return Ok(None);
    }
    multiline(lines).await.map(Some)
}

fn keyword(line: &str) -> (String, &str) {
    let (k, rest) = line.split_once(' ').unwrap_or((line, ""));
    (k.to_ascii_uppercase(), rest.trim())
}

/// SASL mechanisms from the `SASL` line, and `USER` when the USER command is offered.
pub fn mechanisms(caps: &[String]) -> Vec<String> {
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

pub fn stls_advertised(caps: &[String]) -> bool {
    caps.iter().any(|l| keyword(l).0 == "STLS")
}

pub fn password_login_offered(caps: &[String]) -> bool {
    mechanisms(caps)
        .iter()
        .any(|m| m == "USER" || m == "PLAIN" || m == "LOGIN")
}

/// The "leave on server" relevant capabilities.
pub fn info(caps: &[String], greeting: &str) -> Pop3Info {
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

/// `STLS` plus an unknown command in one write; the unknown one answers `-ERR`, so a `-ERR`
/// before our `CAPA` answer inside TLS gives the injection away.
pub fn injection_pair() -> &'static [u8] {
    b"STLS\r\nXMAILSETUPPROBE\r\n"
}

/// After the handshake of the injection test: `Some(answer)` when the first answer inside TLS is
/// the injected command's (`-ERR`) rather than CAPA's (`+OK`).
pub async fn injection_check(lines: &mut Lines) -> Result<Option<String>, Stop> {
    let (ok, text) = command(lines, "CAPA").await?;
    Ok((!ok).then(|| format!("-ERR {text}")))
}

/// Logs in with AUTH PLAIN (initial response) when offered, else USER/PASS.
pub async fn login(
    lines: &mut Lines,
    caps: &[String],
    creds: &Credentials,
) -> Result<(LoginResult, String, String), Stop> {
    let mechs = mechanisms(caps);
    let (ok, text, how) = if mechs.iter().any(|m| m == "PLAIN") {
        let (ok, text) = command(lines, &format!("AUTH PLAIN {}", creds.sasl_plain())).await?;
        (ok, text, "AUTH PLAIN")
    } else {
        if creds.user.contains(['\r', '\n']) || creds.password.expose().contains(['\r', '\n']) {
            return Ok((
                LoginResult::NotAttempted,
                "USER/PASS".into(),
                "the user name or password contains a line break".into(),
            ));
        }
        let (ok, text) = command(lines, &format!("USER {}", creds.user)).await?;
        if ok {
            let (ok, text) = command(lines, &format!("PASS {}", creds.password.expose())).await?;
            (ok, text, "USER/PASS")
        } else {
            (ok, text, "USER/PASS")
        }
    };
    let word = if ok { "+OK" } else { "-ERR" };
    Ok((
        if ok {
            LoginResult::Accepted
        } else {
            LoginResult::Rejected
        },
        how.into(),
        creds.scrub(&clip(&format!("{word} {text}"), 300)),
    ))
}

pub fn check_greeting(line: &str) -> Result<(), Stop> {
    if strip_ci(line, "+OK").is_some() {
        Ok(())
    } else if strip_ci(line, "-ERR").is_some() {
        Err(Stop::new(
            FailureKind::Refused,
            format!("the server refused service: {:?}", clip(line, 200)),
        ))
    } else {
        Err(super::conv::wrong_protocol(
            Some(crate::model::Protocol::Pop3),
            line,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caps(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn capa_parsing() {
        let before = caps(&["CAPA", "TOP", "UIDL", "STLS", "SASL"]);
        assert!(stls_advertised(&before));
        assert!(mechanisms(&before).is_empty());
        assert!(!password_login_offered(&before));
        let after = caps(&[
            "USER",
            "SASL PLAIN LOGIN",
            "UIDL",
            "EXPIRE 30 USER",
            "LOGIN-DELAY 900",
        ]);
        assert_eq!(mechanisms(&after), ["PLAIN", "LOGIN", "USER"]);
        assert!(password_login_offered(&after));
        let i = info(&after, "+OK ready <1.2@mail.test>");
        assert!(i.uidl && i.apop);
        assert_eq!(i.expire.as_deref(), Some("30 USER"));
        assert_eq!(i.login_delay, Some(900));
        assert!(!info(&caps(&["TOP"]), "+OK").uidl);
    }

    #[test]
    fn greetings() {
        assert!(check_greeting("+OK Dovecot ready.").is_ok());
        assert_eq!(
            check_greeting("-ERR busy").unwrap_err().kind,
            FailureKind::Refused
        );
        assert_eq!(
            check_greeting("* OK imap").unwrap_err().kind,
            FailureKind::WrongProtocol
        );
    }
}
