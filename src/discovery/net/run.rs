//! The executor: every lookup of the plan at once, each with its own deadline, the follow-ups
//! started as soon as the answer that calls for them arrives, and an overall deadline after
//! which what is left is recorded as skipped.

use super::dns::Dns;
use super::http::Http;
use crate::discovery::analyze::{analyze, Discovery};
use crate::discovery::evidence::*;
use crate::discovery::plan::Request;
use crate::model::Protocol;
use crate::probe::{self, ProbeOptions, ProbeReport, ProbeRequest, Trust};
use futures_util::stream::{FuturesUnordered, StreamExt};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How the network side runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The resolvers to ask (`None`: those of /etc/resolv.conf).
    pub resolvers: Option<Vec<SocketAddr>>,
    /// The roots HTTPS and the probe verify certificates against.
    pub trust: Trust,
    /// Each DNS query.
    pub dns_timeout: Duration,
    /// Each HTTP request (redirects and body included).
    pub http_timeout: Duration,
    /// Each probe of a guessed server.
    pub probe_timeout: Duration,
    /// The whole discovery.
    pub deadline: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            resolvers: None,
            trust: Trust::WebPkiRoots,
            dns_timeout: Duration::from_secs(3),
            http_timeout: Duration::from_secs(5),
            probe_timeout: Duration::from_secs(5),
            deadline: Duration::from_secs(15),
        }
    }
}

/// Runs discoveries; one engine serves a whole batch (its DNS and HTTP clients are shared).
pub struct Engine {
    dns: Arc<Dns>,
    http: Http,
    config: Config,
}

impl Engine {
    /// Builds the resolver and the HTTP client once.
    pub fn new(config: Config) -> Result<Engine, String> {
        let dns = Arc::new(Dns::new(config.resolvers.as_deref(), config.dns_timeout)?);
        let http = Http::new(dns.clone(), &config.trust, config.http_timeout)?;
        Ok(Engine { dns, http, config })
    }

    /// The resolvers asked.
    pub fn resolver_label(&self) -> &str {
        self.dns.label()
    }

    /// Discovers and analyses.
    pub async fn discover(&self, request: &Request) -> (Evidence, Discovery) {
        let evidence = self.gather(request).await;
        let d = analyze(request, &evidence);
        (evidence, d)
    }

    /// The one round of fetching: every lookup the plan asks for, and the follow-ups.
    pub async fn gather(&self, request: &Request) -> Evidence {
        self.gather_with(request, |_| Vec::new()).await
    }

    /// [`Engine::gather`], with the lookups `more` asks for as the evidence grows (called with
    /// the empty evidence first, then after each answer) in the same round: the domain audit's
    /// hook, so that what each simulated client would fetch and every server found are looked
    /// up and probed together with discovery's own lookups.
    pub async fn gather_with(
        &self,
        request: &Request,
        more: impl Fn(&Evidence) -> Vec<Lookup>,
    ) -> Evidence {
        let t0 = Instant::now();
        let deadline = tokio::time::Instant::now() + self.config.deadline;
        let mut evidence = Evidence::default();
        let mut started: Vec<Lookup> = Vec::new();
        let mut running = FuturesUnordered::new();
        for l in request.initial().into_iter().chain(more(&evidence)) {
            if !started.contains(&l) {
                started.push(l.clone());
                running.push(self.run(l, t0, request));
            }
        }
        loop {
            let next = tokio::time::timeout_at(deadline, running.next()).await;
            match next {
                Ok(Some(o)) => {
                    evidence.observations.push(o);
                    for l in request
                        .follow_up(&evidence)
                        .into_iter()
                        .chain(more(&evidence))
                    {
                        if !started.contains(&l) {
                            started.push(l.clone());
                            running.push(self.run(l, t0, request));
                        }
                    }
                }
                Ok(None) => break,
                Err(_) => {
                    let at = ms(t0.elapsed());
                    for l in started {
                        if !evidence.has(&l) {
                            evidence.observations.push(Observation {
                                lookup: l,
                                observed: Observed::Skipped {
                                    reason: format!(
                                        "the discovery's deadline ({} s) passed first",
                                        crate::text::number(self.config.deadline.as_secs_f64())
                                    ),
                                },
                                start_ms: at,
                                ms: 0.0,
                            });
                        }
                    }
                    break;
                }
            }
        }
        evidence
    }

    async fn run(&self, lookup: Lookup, t0: Instant, request: &Request) -> Observation {
        let start = t0.elapsed();
        let observed = match &lookup {
            Lookup::Dns { name, rtype } => Observed::Dns(self.dns.query(name, *rtype).await),
            Lookup::Http { url, post, .. } => {
                Observed::Http(self.http.fetch(url, post.as_deref()).await)
            }
            Lookup::Probe {
                host,
                address,
                port,
                protocol,
                ..
            } => Observed::Probe(
                self.probe_one(host, address, *port, *protocol, request.options.port_offset)
                    .await,
            ),
        };
        Observation {
            lookup,
            observed,
            start_ms: ms(start),
            ms: ms(t0.elapsed() - start),
        }
    }

    /// Greeting and capabilities of one endpoint — never a password.
    async fn probe_one(
        &self,
        host: &str,
        address: &str,
        port: u16,
        protocol: Protocol,
        offset: u16,
    ) -> ProbeResult {
        let target = match address.parse::<std::net::IpAddr>() {
            Ok(std::net::IpAddr::V6(v6)) => format!("[{v6}]:{port}"),
            _ => format!("{address}:{port}"),
        };
        let request = ProbeRequest {
            targets: vec![target],
            protocol: Some(protocol),
            options: ProbeOptions {
                timeout: self.config.probe_timeout,
                trust: self.config.trust.clone(),
                tls_name: Some(host.to_owned()),
                standard_port_offset: offset,
                ..ProbeOptions::default()
            },
            ..ProbeRequest::default()
        };
        match probe::probe(request).await {
            Ok(mut report) if !report.endpoints.is_empty() => {
                let mut e = report.endpoints.swap_remove(0);
                e.host = host.to_owned();
                ProbeResult::Report {
                    endpoint: Box::new(e),
                }
            }
            Ok(_) => ProbeResult::Error {
                message: "the probe reported no endpoint".into(),
            },
            Err(e) => ProbeResult::Error {
                message: e.to_string(),
            },
        }
    }

    /// `--verify`: probes the chosen servers (greeting, TLS, capabilities; never a password),
    /// resolving with discovery's DNS.
    pub async fn verify(&self, d: &Discovery, offset: u16) -> Vec<Result<ProbeReport, String>> {
        let mut out = Vec::new();
        for i in [d.incoming, d.outgoing].into_iter().flatten() {
            let s = &d.candidates[i].server;
            let ip = match self.dns.addresses(&s.host).await {
                Ok(ips) => ips[0],
                Err(e) => {
                    out.push(Err(format!("{} does not resolve: {e}", s.host)));
                    continue;
                }
            };
            let target = match ip {
                std::net::IpAddr::V6(v6) => format!("[{v6}]:{}", s.port),
                v4 => format!("{v4}:{}", s.port),
            };
            let request = ProbeRequest {
                targets: vec![target],
                protocol: Some(s.protocol),
                security: Some(s.security),
                options: ProbeOptions {
                    timeout: self.config.probe_timeout,
                    trust: self.config.trust.clone(),
                    tls_name: Some(s.host.clone()),
                    standard_port_offset: offset,
                    ..ProbeOptions::default()
                },
                ..ProbeRequest::default()
            };
            out.push(match probe::probe(request).await {
                Ok(mut r) => {
                    for e in &mut r.endpoints {
                        e.host = s.host.clone();
                    }
                    Ok(r)
                }
                Err(e) => Err(e.to_string()),
            });
        }
        out
    }
}

/// Milliseconds, to the microsecond.
pub fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}
