//! Whether a server a client would use works and is safe, from what the probe saw: something
//! answers, TLS completes, the certificate verifies *for the host the client was told* (RFC
//! 7817), and no password would cross the network in cleartext. No I/O.

use super::facts::{Facts, Probed};
use crate::discovery::evidence::DnsOutcome;
use crate::model::{Security, Server};
use crate::probe::{EndpointReport, FailureKind};
use crate::text::Quoted;
use serde::Serialize;

/// The judgement of one server, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckStatus {
    /// It answers, TLS completes and the certificate verifies for the host.
    Ok,
    /// Not probed (probing off, no address looked up, deadline).
    NotProbed,
    /// It answers with TLS, but the certificate does not verify for the host: clients refuse it
    /// or ask the person to accept it.
    Certificate,
    /// It answers, but the password would cross the network readable (no TLS).
    Cleartext,
    /// Nothing usable answers (no address, no connection, another protocol, TLS fails).
    Fails,
}

/// What the probe says about a server a client would use.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerCheck {
    /// The judgement.
    pub status: CheckStatus,
    /// What the probe saw, in one sentence.
    pub summary: String,
    /// The DNS names the server's certificate carries (for the fix when they do not include the
    /// host).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub certificate_names: Vec<String>,
}

impl ServerCheck {
    /// Whether the server is usable without anyone accepting a risk.
    pub fn ok(&self) -> bool {
        self.status == CheckStatus::Ok
    }
}

/// Judges a server from the evidence.
pub fn check(facts: &Facts, server: &Server) -> ServerCheck {
    match facts.probe(&server.host, server.port, server.protocol) {
        Probed::Not(why) => ServerCheck {
            status: CheckStatus::NotProbed,
            summary: format!("not probed: {why}"),
            certificate_names: Vec::new(),
        },
        Probed::NoAddress(o) => ServerCheck {
            status: CheckStatus::Fails,
            summary: format!("{} does not resolve ({})", server.host, dns_words(o)),
            certificate_names: Vec::new(),
        },
        Probed::Error(e) => ServerCheck {
            status: CheckStatus::Fails,
            summary: format!("the probe could not run: {e}"),
            certificate_names: Vec::new(),
        },
        Probed::Report(e) => judge(server, e),
    }
}

fn dns_words(o: &DnsOutcome) -> String {
    match o {
        DnsOutcome::Answer { .. } | DnsOutcome::NoData => "no address record".into(),
        DnsOutcome::NxDomain => "the name does not exist".into(),
        DnsOutcome::ServFail => "SERVFAIL".into(),
        DnsOutcome::Rcode { code } => code.clone(),
        DnsOutcome::Timeout { seconds } => {
            format!("no answer within {} s", crate::text::number(*seconds))
        }
        DnsOutcome::Error { message } => message.clone(),
    }
}

/// The judgement of one probe report for the server a client was told about.
pub fn judge(server: &Server, e: &EndpointReport) -> ServerCheck {
    let names: Vec<String> = e
        .tls
        .as_ref()
        .and_then(|t| t.chain.first())
        .map(|c| {
            c.sans
                .iter()
                .filter(|s| s.parse::<std::net::IpAddr>().is_err())
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let fails = |summary: String| ServerCheck {
        status: CheckStatus::Fails,
        summary,
        certificate_names: names.clone(),
    };
    if let Some(f) = &e.failure {
        let hard = matches!(
            f.kind,
            FailureKind::NotFound
                | FailureKind::ConnectFailed
                | FailureKind::Timeout
                | FailureKind::WrongProtocol
                | FailureKind::Refused
                | FailureKind::Closed
                | FailureKind::TooLong
                | FailureKind::TlsObsolete
        ) || (f.kind == FailureKind::Tls && e.tls.is_none());
        if hard || e.greeting.is_none() {
            return fails(format!(
                "{}:{}: {}",
                server.host,
                server.port,
                f.message.trim_end_matches('.')
            ));
        }
    }
    if e.greeting.is_none() {
        return fails(format!("{}:{}: no greeting", server.host, server.port));
    }
    let obtained = e.security.unwrap_or(Security::None);
    match (server.security, obtained) {
        (Security::None, _) => {
            return ServerCheck {
                status: CheckStatus::Cleartext,
                summary: format!(
                    "the settings say no encryption: the password crosses the network readable{}",
                    if obtained != Security::None {
                        " (the server offers TLS)"
                    } else {
                        ""
                    }
                ),
                certificate_names: names,
            }
        }
        (Security::Tls, Security::Tls) | (Security::Starttls, Security::Starttls) => {}
        (Security::Tls, _) => {
            return fails(format!(
                "{}:{} does not speak TLS at once (it answered {}), so SSL/TLS fails",
                server.host,
                server.port,
                if e.implicit_tls_answered_in_cleartext {
                    "in cleartext"
                } else {
                    "otherwise"
                }
            ))
        }
        (Security::Starttls, _) => {
            let why = match &e.starttls {
                Some(s) if !s.advertised => "does not offer STARTTLS",
                Some(s) if !s.accepted => "refuses STARTTLS",
                _ => "did not complete STARTTLS",
            };
            return fails(format!("{}:{} {why}", server.host, server.port));
        }
    }
    let Some(tls) = &e.tls else {
        return fails(format!("{}:{}: no TLS session", server.host, server.port));
    };
    if !tls.verified {
        let why = if !tls.name_matches {
            format!(
                "its certificate does not name {} (it names {})",
                server.host,
                if names.is_empty() {
                    "no host".to_owned()
                } else {
                    names
                        .iter()
                        .map(|n| Quoted(n).to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            )
        } else {
            format!(
                "its certificate does not verify: {}",
                tls.chain_error.as_deref().unwrap_or("untrusted")
            )
        };
        return ServerCheck {
            status: CheckStatus::Certificate,
            summary: format!(
                "{}:{} answers with {}, but {why}",
                server.host, server.port, tls.version
            ),
            certificate_names: names,
        };
    }
    ServerCheck {
        status: CheckStatus::Ok,
        summary: format!(
            "{} answers, {} with {}, certificate valid for {}",
            server.host,
            match obtained {
                Security::Tls => "implicit TLS",
                _ => "STARTTLS",
            },
            tls.version,
            server.host
        ),
        certificate_names: names,
    }
}
