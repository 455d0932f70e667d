//! The STARTTLS command-injection check (CVE-2011-0411 and its many siblings), on a connection of
//! its own beside the main conversation: STARTTLS and a second command in one write. A safe server
//! answers only STARTTLS and then either discards the second command or fails the handshake (it
//! read the command as TLS bytes); a vulnerable one answers it inside TLS. What to send and how to
//! tell the answers apart is each protocol's [`InjectionTest`](super::dialect::InjectionTest).

use super::dialect::{clip, Dialect, Status, Stop};
use super::io::{exchange, read_greeting, read_reply, Conn, Counted, Lines};
use super::report::Injection;
use super::session::Ctx;
use super::tls;
use std::net::SocketAddr;
use tokio::time::{timeout_at, Instant};
use tokio_rustls::TlsConnector;

/// What the test saw, before it is judged against the main conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The server refused STARTTLS sent together with another command (its words): safe,
    /// whatever TLS does on this endpoint.
    Refused(String),
    /// The handshake failed after the pair: the server read the injected command as TLS bytes —
    /// safe, if TLS works on this endpoint at all (otherwise it shows nothing).
    HandshakeAborted,
    /// The injected command was not answered inside TLS.
    Discarded,
    /// The injected command was answered inside TLS (the answer).
    Vulnerable(String),
    /// The test could not tell (why).
    Inconclusive(String),
}

impl Outcome {
    /// The result, knowing whether STARTTLS worked on the main connection.
    pub fn judge(self, upgraded: bool) -> Injection {
        match self {
            Outcome::Refused(words) => Injection::NotVulnerable {
                how: format!("refused STARTTLS sent together with another command ({words})"),
            },
            Outcome::HandshakeAborted if upgraded => Injection::NotVulnerable {
                how: "aborted the TLS handshake (it read the injected command as TLS data, not as a command)".into(),
            },
            Outcome::HandshakeAborted => Injection::Inconclusive {
                why: "the TLS handshake failed, as it does on this endpoint without an injected command".into(),
            },
            Outcome::Discarded => Injection::NotVulnerable {
                how: "discarded the command sent together with STARTTLS".into(),
            },
            Outcome::Vulnerable(answer) => Injection::Vulnerable { answer },
            Outcome::Inconclusive(why) => Injection::Inconclusive { why },
        }
    }
}

/// Runs the test against `addr`. (A POP3 server without CAPA cannot be told apart: the caller,
/// which knows, says so.)
pub async fn check(
    ctx: &Ctx,
    addr: SocketAddr,
    d: &dyn Dialect,
    deadline: Instant,
    client_name: &str,
    host: &str,
) -> Outcome {
    let inconclusive = Outcome::Inconclusive;
    let test = d.injection_test(client_name);
    let stream = match super::io::connect(addr, deadline).await {
        Ok(s) => s,
        Err(e) => return inconclusive(format!("second connection failed: {e}")),
    };
    let mut lines = Lines::new(Conn::Plain(Counted::new(stream)), deadline);
    let before = async {
        read_greeting(&mut lines, Some(d.protocol()))
            .await
            .map_err(|(s, _)| s)?;
        if let Some(hello) = d.before_starttls(client_name) {
            exchange(&mut lines, d, &hello).await?;
        }
        lines.send(test.pair).await?;
        let mut answer = Default::default();
        read_reply(&mut lines, d, &test.expect, None, &mut answer).await?;
        Ok::<_, Stop>(answer)
    };
    let answer = match before.await {
        Ok(a) => a,
        Err(s) => return inconclusive(s.message),
    };
    if d.status(&answer) != Status::Positive {
        return Outcome::Refused(clip(&d.words(&answer), 80));
    }
    let (conn, _) = lines.into_conn_discarding();
    let Conn::Plain(counted) = conn else {
        return inconclusive("unexpected connection state".into());
    };
    let setup = match ctx.tls() {
        Ok(s) => s,
        Err(s) => return inconclusive(s.message),
    };
    let (config, _observer) = setup.config();
    let name = ctx.tls_name.clone().unwrap_or_else(|| host.to_string());
    let Ok(name) = tls::server_name(&name) else {
        return inconclusive("no usable TLS name".into());
    };
    let tls = match timeout_at(deadline, TlsConnector::from(config).connect(name, counted)).await {
        Err(_) => return inconclusive("the TLS handshake timed out".into()),
        Ok(Err(_)) => return Outcome::HandshakeAborted,
        Ok(Ok(t)) => t,
    };
    let mut lines = Lines::new(Conn::Tls(Box::new(tls)), deadline);
    let then = exchange(&mut lines, d, &test.then).await;
    lines.close().await;
    match then {
        Ok(reply) => match d.injected_answer(&reply) {
            Some(answer) => Outcome::Vulnerable(clip(&answer, 120)),
            None => Outcome::Discarded,
        },
        Err(s) => inconclusive(s.message),
    }
}

/// The timeline's line for a result: whether the stage went well, and what happened.
pub fn describe(injection: &Injection) -> (bool, String) {
    match injection {
        Injection::NotVulnerable { how } => (true, format!("not vulnerable: the server {how}")),
        Injection::Vulnerable { answer } => (
            false,
            format!("VULNERABLE: the command sent with STARTTLS was answered inside TLS: {answer}"),
        ),
        Injection::Inconclusive { why } => (true, format!("inconclusive: {why}")),
        Injection::NotTested => (true, "not tested".into()),
    }
}
