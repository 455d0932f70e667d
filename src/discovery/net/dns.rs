//! DNS for discovery: hickory's name-server pool (UDP, TCP when truncated), asked directly so that
//! each query's response code and AD bit reach the trace. Only the resolvers given (or those of
//! /etc/resolv.conf) are asked — never the system's `getaddrinfo`.

use crate::discovery::evidence::{DnsOutcome, DnsRecord, DnsResult, RecordType};
use futures_util::StreamExt;
use hickory_resolver::config::{NameServerConfigGroup, ResolverOpts};
use hickory_resolver::name_server::{NameServerPool, TokioConnectionProvider};
use hickory_resolver::proto::op::{Message, MessageType, OpCode, Query, ResponseCode};
use hickory_resolver::proto::rr::{Name, RData, RecordType as HRecordType};
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
}

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
        })
    }

    /// The resolvers asked, `127.0.0.1:53`.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// One query, with its deadline.
    pub async fn query(&self, name: &str, rtype: RecordType) -> DnsResult {
        let outcome = match tokio::time::timeout(self.timeout, self.exchange(name, rtype)).await {
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
        let qname = match Name::from_ascii(format!("{}.", name.trim_end_matches('.'))) {
            Ok(n) => n,
            Err(e) => {
                return (
                    DnsOutcome::Error {
                        message: format!("not a DNS name: {e}"),
                    },
                    false,
                )
            }
        };
        let htype = match rtype {
            RecordType::Mx => HRecordType::MX,
            RecordType::Srv => HRecordType::SRV,
            RecordType::A => HRecordType::A,
            RecordType::Aaaa => HRecordType::AAAA,
        };
        let mut message = Message::new();
        message
            .set_id(rand_id())
            .set_message_type(MessageType::Query)
            .set_op_code(OpCode::Query)
            .set_recursion_desired(true)
            // RFC 6840 §5.7: AD in a query asks the resolver to say whether it validated.
            .set_authentic_data(true)
            .add_query(Query::query(qname, htype));
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
            Some(Ok(response)) => {
                let ad = response.authentic_data();
                let mut records = Vec::new();
                for r in response.answers() {
                    let owner = r.name().to_ascii().trim_end_matches('.').to_owned();
                    match r.data() {
                        RData::MX(mx) if rtype == RecordType::Mx => records.push(DnsRecord::Mx {
                            preference: mx.preference(),
                            exchange: mx.exchange().to_ascii().trim_end_matches('.').to_owned(),
                        }),
                        RData::SRV(s) if rtype == RecordType::Srv => records.push(DnsRecord::Srv {
                            priority: s.priority(),
                            weight: s.weight(),
                            port: s.port(),
                            target: s.target().to_ascii().trim_end_matches('.').to_owned(),
                        }),
                        RData::A(a) if rtype == RecordType::A => records.push(DnsRecord::A {
                            address: a.0.to_string(),
                        }),
                        RData::AAAA(a) if rtype == RecordType::Aaaa => {
                            records.push(DnsRecord::Aaaa {
                                address: a.0.to_string(),
                            })
                        }
                        RData::CNAME(c) => records.push(DnsRecord::Cname {
                            name: owner,
                            target: c.0.to_ascii().trim_end_matches('.').to_owned(),
                        }),
                        _ => {}
                    }
                }
                let wanted = records
                    .iter()
                    .any(|r| !matches!(r, DnsRecord::Cname { .. }));
                if wanted || !records.is_empty() {
                    // An alias alone is an answer too: the caller follows it.
                    (DnsOutcome::Answer { records }, ad)
                } else {
                    (DnsOutcome::NoData, ad)
                }
            }
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
