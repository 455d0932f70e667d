//! SMTP submission (RFC 5321, 6409): EHLO, STARTTLS (RFC 3207), AUTH (RFC 4954), SIZE, 8BITMIME,
//! SMTPUTF8, PIPELINING.

use super::conv::{base64, clip, Credentials, Stop};
use super::io::{IoFailure, Lines, MAX_RESPONSE};
use super::report::{FailureKind, LoginResult, SmtpInfo};

/// A reply: its code and the text of each line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub code: u16,
    pub lines: Vec<String>,
}

impl Reply {
    pub fn text(&self) -> String {
        format!("{} {}", self.code, self.lines.join(" / "))
            .trim()
            .to_string()
    }
}

/// Reads one (possibly multi-line) reply.
pub async fn reply(lines: &mut Lines) -> Result<Reply, Stop> {
    let mut out = Reply {
        code: 0,
        lines: Vec::new(),
    };
    let mut total = 0;
    loop {
        let line = lines.line().await?;
        total += line.len() + 2;
        if total > MAX_RESPONSE {
            return Err(IoFailure::TooLong.into());
        }
        let b = line.as_bytes();
        let code = (b.len() >= 3 && b[..3].iter().all(u8::is_ascii_digit))
            .then(|| line[..3].parse::<u16>().ok())
            .flatten();
        let Some(code) = code.filter(|_| matches!(b.get(3), None | Some(b' ' | b'-'))) else {
            return Err(Stop::new(
                FailureKind::WrongProtocol,
                format!("not an SMTP reply: {:?}", clip(&line, 120)),
            ));
        };
        if out.code != 0 && code != out.code {
            return Err(Stop::new(
                FailureKind::WrongProtocol,
                format!(
                    "SMTP reply lines with different codes ({} then {code})",
                    out.code
                ),
            ));
        }
        out.code = code;
        out.lines.push(line.get(4..).unwrap_or("").to_string());
        if b.get(3) != Some(&b'-') {
            return Ok(out);
        }
    }
}

pub async fn command(lines: &mut Lines, cmd: &str) -> Result<Reply, Stop> {
    lines.send(format!("{cmd}\r\n").as_bytes()).await?;
    reply(lines).await
}

/// EHLO: the extension lines (keyword and parameters), or `None` when EHLO is refused.
pub async fn ehlo(lines: &mut Lines, name: &str) -> Result<Option<Vec<String>>, Stop> {
    let r = command(lines, &format!("EHLO {name}")).await?;
    if r.code != 250 {
        return Ok(None);
    }
    Ok(Some(
        r.lines
            .into_iter()
            .skip(1)
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect(),
    ))
}

fn keyword(line: &str) -> (String, &str) {
    let (k, rest) = line.split_once([' ', '=']).unwrap_or((line, ""));
    (k.to_ascii_uppercase(), rest.trim())
}

/// AUTH mechanisms (`AUTH PLAIN LOGIN`, also the old `AUTH=PLAIN`). Dovecot sends `AUTH ` with an
/// empty list before TLS.
pub fn mechanisms(exts: &[String]) -> Vec<String> {
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

pub fn starttls_advertised(exts: &[String]) -> bool {
    exts.iter().any(|l| keyword(l).0 == "STARTTLS")
}

pub fn password_login_offered(exts: &[String]) -> bool {
    mechanisms(exts)
        .iter()
        .any(|m| m == "PLAIN" || m == "LOGIN")
}

pub fn info(exts: &[String]) -> SmtpInfo {
    let mut s = SmtpInfo {
        auth: mechanisms(exts),
        ..SmtpInfo::default()
    };
    for l in exts {
        let (k, rest) = keyword(l);
        match k.as_str() {
            "SIZE" => {
                s.size = rest
                    .split_ascii_whitespace()
                    .next()
                    .and_then(|n| n.parse().ok())
                    .or(Some(0))
            }
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

/// `STARTTLS` plus an unknown command in one write; the unknown one is answered with a 5xx, so
/// a 5xx before our EHLO's 250 inside TLS gives the injection away.
pub fn injection_pair() -> &'static [u8] {
    b"STARTTLS\r\nXMAILSETUPPROBE\r\n"
}

pub async fn injection_check(lines: &mut Lines, ehlo_name: &str) -> Result<Option<String>, Stop> {
    let r = command(lines, &format!("EHLO {ehlo_name}")).await?;
    Ok((r.code >= 500).then(|| r.text()))
}

/// AUTH PLAIN when offered, else AUTH LOGIN.
pub async fn login(
    lines: &mut Lines,
    exts: &[String],
    creds: &Credentials,
) -> Result<(LoginResult, String, String), Stop> {
    let mechs = mechanisms(exts);
    let (r, how) = if mechs.iter().any(|m| m == "PLAIN") {
        (
            command(lines, &format!("AUTH PLAIN {}", creds.sasl_plain())).await?,
            "AUTH PLAIN",
        )
    } else if mechs.iter().any(|m| m == "LOGIN") {
        let mut r = command(lines, "AUTH LOGIN").await?;
        if r.code == 334 {
            r = command(lines, &base64(creds.user.as_bytes())).await?;
            if r.code == 334 {
                r = command(lines, &base64(creds.password.expose().as_bytes())).await?;
            }
        }
        (r, "AUTH LOGIN")
    } else {
        return Ok((
            LoginResult::NotAttempted,
            String::new(),
            "the server offers neither AUTH PLAIN nor AUTH LOGIN".into(),
        ));
    };
    let result = if r.code == 235 {
        LoginResult::Accepted
    } else {
        LoginResult::Rejected
    };
    Ok((result, how.into(), creds.scrub(&clip(&r.text(), 300))))
}

/// The greeting (already read whole): 220 is service ready; 421 and 554 refuse.
pub fn check_greeting(r: &Reply) -> Result<(), Stop> {
    match r.code {
        220 => Ok(()),
        _ => Err(Stop::new(
            FailureKind::Refused,
            format!("the server refused service: {:?}", clip(&r.text(), 200)),
        )),
    }
}

/// `[127.0.0.1]` / `[IPv6:::1]`: an address literal for EHLO (RFC 5321 §4.1.3).
pub fn ehlo_name(local: std::net::IpAddr) -> String {
    match local {
        std::net::IpAddr::V4(v4) => format!("[{v4}]"),
        std::net::IpAddr::V6(v6) => format!("[IPv6:{v6}]"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exts(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn ehlo_parsing() {
        let before = exts(&[
            "8BITMIME",
            "AUTH",
            "SIZE 10485760",
            "STARTTLS",
            "PIPELINING",
        ]);
        assert!(starttls_advertised(&before));
        assert!(mechanisms(&before).is_empty());
        let after = exts(&[
            "AUTH PLAIN LOGIN",
            "AUTH=LOGIN",
            "SIZE 10485760",
            "SMTPUTF8",
            "CHUNKING",
        ]);
        assert_eq!(mechanisms(&after), ["PLAIN", "LOGIN"]);
        assert!(password_login_offered(&after));
        let i = info(&after);
        assert_eq!(i.size, Some(10_485_760));
        assert!(i.smtputf8 && i.chunking && !i.eight_bit_mime);
        assert_eq!(info(&exts(&["SIZE"])).size, Some(0));
        assert_eq!(ehlo_name("127.0.0.1".parse().unwrap()), "[127.0.0.1]");
        assert_eq!(ehlo_name("::1".parse().unwrap()), "[IPv6:::1]");
    }
}
