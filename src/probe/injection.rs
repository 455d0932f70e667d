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
use tokio::net::TcpStream;
use tokio::time::{timeout_at, Instant};
use tokio_rustls::TlsConnector;

/// Runs the test against `addr`. `caps_known`: the server listed its capabilities before TLS.
pub async fn check(
    ctx: &Ctx,
    addr: SocketAddr,
    d: &dyn Dialect,
    deadline: Instant,
    client_name: &str,
    host: &str,
    caps_known: bool,
) -> Injection {
    let inconclusive = |why: String| Injection::Inconclusive { why };
    let test = d.injection_test(client_name);
    let stream = match timeout_at(deadline, TcpStream::connect(addr)).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => return inconclusive(format!("second connection failed: {e}")),
        Err(_) => return inconclusive("second connection timed out".into()),
    };
    let _ = stream.set_nodelay(true);
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
        return Injection::NotVulnerable {
            how: format!(
                "refused STARTTLS sent together with another command ({})",
                clip(&d.words(&answer), 80)
            ),
        };
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
        Ok(Err(_)) => {
            return Injection::NotVulnerable {
                how: "aborted the TLS handshake (it read the injected command as TLS data, not as a command)".into(),
            }
        }
        Ok(Ok(t)) => t,
    };
    let mut lines = Lines::new(Conn::Tls(Box::new(tls)), deadline);
    if test.needs_capabilities && !caps_known {
        lines.close().await;
        return inconclusive("the server does not support CAPA, which the test relies on".into());
    }
    let then = exchange(&mut lines, d, &test.then).await;
    lines.close().await;
    match then {
        Ok(reply) => match d.injected_answer(&reply) {
            Some(answer) => Injection::Vulnerable {
                answer: clip(&answer, 120),
            },
            None => Injection::NotVulnerable {
                how: "discarded the command sent together with STARTTLS".into(),
            },
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
            format!(
                "VULNERABLE: the command sent with STARTTLS was answered inside TLS: {answer:?}"
            ),
        ),
        Injection::Inconclusive { why } => (true, format!("inconclusive: {why}")),
        Injection::NotTested => (true, "not tested".into()),
    }
}
