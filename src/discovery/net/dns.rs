//! DNS for discovery: hickory's name-server pool (UDP, TCP when truncated), asked directly so that
//! each query's response code and AD bit reach the trace. Only the resolvers given (or those of
//! /etc/resolv.conf) are asked — never the system's `getaddrinfo`.

use crate::discovery::evidence::{DnsOutcome, DnsRecord, DnsResult, RecordType};
use crate::discovery::wire;
use futures_util::StreamExt;
use hickory_resolver::config::{NameServerConfigGroup, ResolverOpts};
use hickory_resolver::name_server::{NameServerPool, TokioConnectionProvider};
use hickory_resolver::proto::op::ResponseCode;
use hickory_resolver::proto::xfer::{DnsHandle, DnsRequest, DnsRequestOptions};
use hickory_resolver::proto::{ProtoError, ProtoErrorKind};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

/// A DNS client for one discovery (or a whole batch: it is shared).
pub struct Dns {
    pool: NameServerPool<TokioConnectionProvider>,
    label: String,
    /// The AD bit is believed only from a resolver on this machine (a local validating resolver,
    /// as Postfix and Exim do for DANE): from farther away, anyone on the path could set it.
    trust_ad: bool,
    timeout: Duration,
    /// Queries in flight at most: a batch's burst would overflow a resolver's receive queue and
    /// lose queries to timeouts (measured: half the SRV answers of a 10,000-domain batch).
    in_flight: tokio::sync::Semaphore,
}

/// DNS queries in flight at most, for all the discoveries of an engine.
pub const DNS_IN_FLIGHT: usize = 128;

impl Dns {
    /// `resolvers`: where to ask (`None`: the name servers of /etc/resolv.conf). `timeout`: for
    /// each query, retries included.
    pub fn new(resolvers: Option<&[SocketAddr]>, timeout: Duration) -> Result<Dns, String> {
        let mut opts = ResolverOpts::default();
        opts.timeout = timeout;
        opts.attempts = 1;
        opts.cache_size = 0;
        opts.edns0 = true;
        opts.try_tcp_on_error = true;
        let servers: Vec<SocketAddr> = match resolvers {
            Some(r) if !r.is_empty() => r.to_vec(),
            Some(_) => return Err("no resolver given".into()),
            None => {
                let (config, _) = hickory_resolver::system_conf::read_system_conf()
                    .map_err(|e| format!("cannot read the system's resolvers (/etc/resolv.conf): {e}; give --resolver ADDR:PORT"))?;
                let mut out: Vec<SocketAddr> = Vec::new();
                for ns in config.name_servers() {
                    if !out.contains(&ns.socket_addr) {
                        out.push(ns.socket_addr);
                    }
                }
                if out.is_empty() {
                    return Err(
                        "/etc/resolv.conf names no resolver; give --resolver ADDR:PORT".into(),
                    );
                }
                out
            }
        };
        let mut group = NameServerConfigGroup::new();
        for s in &servers {
            group.merge(NameServerConfigGroup::from_ips_clear(
                &[s.ip()],
                s.port(),
                true,
            ));
        }
        let label = servers
            .iter()
            .map(SocketAddr::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let trust_ad = servers.iter().all(|s| s.ip().is_loopback());
        let pool = NameServerPool::from_config(group, opts, TokioConnectionProvider::default());
        Ok(Dns {
            pool,
            label,
            trust_ad,
            timeout,
            in_flight: tokio::sync::Semaphore::new(DNS_IN_FLIGHT),
        })
    }

    /// The resolvers asked, `127.0.0.1:53`.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// One query, with its deadline. The time waiting for a free slot (see [`DNS_IN_FLIGHT`]) is
    /// not the resolver's: the deadline starts when the query is sent. A UDP query that has no
    /// answer after a third of the deadline is sent again (on a new port), as stub resolvers do,
    /// and the first answer of either counts: one lost datagram is not a lost answer.
    pub async fn query(&self, name: &str, rtype: RecordType) -> DnsResult {
        let _slot = self.in_flight.acquire().await.ok();
        let resend_after = self.timeout / 3;
        let hedged = async {
            let first = self.exchange(name, rtype);
            tokio::pin!(first);
            tokio::select! {
                r = &mut first => r,
                _ = tokio::time::sleep(resend_after) => {
                    let second = self.exchange(name, rtype);
                    tokio::pin!(second);
                    tokio::select! {
                        r = &mut first => r,
                        r = &mut second => r,
                    }
                }
            }
        };
        let outcome = match tokio::time::timeout(self.timeout, hedged).await {
            Err(_) => (
                DnsOutcome::Timeout {
                    seconds: self.timeout.as_secs_f64(),
                },
                false,
            ),
            Ok(r) => r,
        };
        DnsResult {
            outcome: outcome.0,
            authenticated: outcome.1 && self.trust_ad,
            resolver: self.label.clone(),
        }
    }

    async fn exchange(&self, name: &str, rtype: RecordType) -> (DnsOutcome, bool) {
        // hickory's exchange puts its own query id in.
        let message = match wire::query(name, rtype, rand_id()) {
            Ok(m) => m,
            Err(message) => return (DnsOutcome::Error { message }, false),
        };
        let mut options = DnsRequestOptions::default();
        options.use_edns = true;
        let mut stream = self.pool.send(DnsRequest::new(message, options));
        match stream.next().await {
            None => (
                DnsOutcome::Error {
                    message: "no response".into(),
                },
                false,
            ),
            Some(Err(e)) => (failure(&e, self.timeout), false),
            // The same reader as the browser's DNS-over-HTTPS answers.
            Some(Ok(response)) => wire::read_answer(response.as_buffer(), name, rtype),
        }
    }

    /// The addresses of a host (A, then AAAA), for the HTTP client and the probe. An answer that
    /// holds only an alias (an authoritative server answers so for a target in another zone) is
    /// followed, a few hops at most.
    pub async fn addresses(&self, host: &str) -> Result<Vec<IpAddr>, String> {
        if let Ok(ip) = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
        {
            return Ok(vec![ip]);
        }
        let mut name = host.to_owned();
        for _ in 0..8 {
            let (a, aaaa) = tokio::join!(
                self.query(&name, RecordType::A),
                self.query(&name, RecordType::Aaaa)
            );
            let mut out = Vec::new();
            let mut alias = None;
            for r in a.records().iter().chain(aaaa.records()) {
                match r {
                    DnsRecord::A { address } | DnsRecord::Aaaa { address } => {
                        if let Ok(ip) = address.parse() {
                            out.push(ip);
                        }
                    }
                    DnsRecord::Cname { name: from, target } if from.eq_ignore_ascii_case(&name) => {
                        alias = Some(target.clone());
                    }
                    _ => {}
                }
            }
            if !out.is_empty() {
                return Ok(out);
            }
            if let Some(next) = alias {
                name = next;
                continue;
            }
            return Err(match (&a.outcome, &aaaa.outcome) {
                (DnsOutcome::NxDomain, _) => "the name does not exist (NXDOMAIN)".to_owned(),
                (DnsOutcome::Timeout { .. }, _) | (_, DnsOutcome::Timeout { .. }) => format!(
                    "no answer from DNS within {} s",
                    crate::text::number(self.timeout.as_secs_f64())
                ),
                (DnsOutcome::ServFail, _) => "the resolver could not answer (SERVFAIL)".into(),
                _ => "the name has no address".into(),
            });
        }
        Err(format!("more than 8 aliases from {host}"))
    }
}

fn failure(e: &ProtoError, timeout: Duration) -> DnsOutcome {
    match &*e.kind {
        ProtoErrorKind::NoRecordsFound { response_code, .. } => match *response_code {
            ResponseCode::NXDomain => DnsOutcome::NxDomain,
            ResponseCode::NoError => DnsOutcome::NoData,
            ResponseCode::ServFail => DnsOutcome::ServFail,
            code => DnsOutcome::Rcode {
                code: code.to_str().to_owned(),
            },
        },
        ProtoErrorKind::Timeout => DnsOutcome::Timeout {
            seconds: timeout.as_secs_f64(),
        },
        _ => DnsOutcome::Error {
            message: e.to_string(),
        },
    }
}

/// A query id: hickory's exchange replaces it, but a message needs one.
fn rand_id() -> u16 {
    use std::sync::atomic::{AtomicU16, Ordering};
    static NEXT: AtomicU16 = AtomicU16::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}
