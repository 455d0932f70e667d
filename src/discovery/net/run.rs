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
use futures_util::future::{BoxFuture, FutureExt, Shared};
use futures_util::stream::{FuturesUnordered, StreamExt};
use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

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

/// Runs discoveries; one engine serves a whole batch: its resolver, HTTP client, limits and
/// shared documents are made once, and cloning it is cheap (each discovery of a batch runs as its
/// own task with a clone).
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

struct Inner {
    dns: Arc<Dns>,
    http: Http,
    config: Config,
    /// Documents every address of a batch asks for alike (the ISPDB, the MX provider's
    /// autoconfig), fetched once.
    shared: SharedDocuments,
    /// At most this many ISPDB requests at once: a batch must not flood the ISPDB.
    ispdb: Arc<Semaphore>,
}

/// ISPDB requests at once (one batch of 10,000 domains asks it 10,000 times, over a few kept-alive
/// connections).
pub const ISPDB_IN_FLIGHT: usize = 16;

impl Engine {
    /// Builds the resolver and the HTTP client once.
    pub fn new(config: Config) -> Result<Engine, String> {
        let dns = Arc::new(Dns::new(config.resolvers.as_deref(), config.dns_timeout)?);
        let http = Http::new(dns.clone(), &config.trust, config.http_timeout)?;
        Ok(Engine {
            inner: Arc::new(Inner {
                dns,
                http,
                config,
                shared: SharedDocuments::default(),
                ispdb: Arc::new(Semaphore::new(ISPDB_IN_FLIGHT)),
            }),
        })
    }

    /// The resolvers asked.
    pub fn resolver_label(&self) -> &str {
        self.inner.dns.label()
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
        let deadline = tokio::time::Instant::now() + self.inner.config.deadline;
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
                                        crate::text::number(
                                            self.inner.config.deadline.as_secs_f64()
                                        )
                                    ),
                                },
                                start_ms: at,
                                ms: 0.0,
                                shared: false,
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
        let mut shared = false;
        let observed = match &lookup {
            Lookup::Dns { name, rtype } => Observed::Dns(self.inner.dns.query(name, *rtype).await),
            Lookup::Http {
                url,
                post: None,
                document:
                    document @ (Document::Ispdb { .. } | Document::Autoconfig { via_mx: true, .. }),
            } => {
                let (r, hit) = self
                    .inner
                    .shared
                    .fetch(url, || {
                        // The future outlives this discovery when others wait for it too: it
                        // holds what it needs, not the engine.
                        let (http, url) = (self.inner.http.clone(), url.clone());
                        let limit = matches!(document, Document::Ispdb { .. })
                            .then(|| self.inner.ispdb.clone());
                        async move {
                            let _permit = match &limit {
                                Some(l) => l.acquire().await.ok(),
                                None => None,
                            };
                            http.fetch(&url, None).await
                        }
                    })
                    .await;
                shared = hit;
                Observed::Http(r)
            }
            Lookup::Http { url, post, .. } => {
                Observed::Http(self.inner.http.fetch(url, post.as_deref()).await)
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
            shared,
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
                timeout: self.inner.config.probe_timeout,
                trust: self.inner.config.trust.clone(),
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
            let ip = match self.inner.dns.addresses(&s.host).await {
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
                    timeout: self.inner.config.probe_timeout,
                    trust: self.inner.config.trust.clone(),
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

/// Documents fetched once for every discovery that asks for the same URL (the ISPDB entry of a
/// provider, the autoconfig of the MX provider's domain): one request in flight per URL, and the
/// answers kept a while, within a count and a size, so a batch's memory stays flat.
#[derive(Default)]
struct SharedDocuments {
    state: Mutex<SharedState>,
}

#[derive(Default)]
struct SharedState {
    pending: HashMap<String, Shared<BoxFuture<'static, HttpResult>>>,
    done: HashMap<String, (Instant, HttpResult)>,
    /// The order answers were kept in (the oldest is dropped first).
    order: VecDeque<String>,
    bytes: usize,
}

impl SharedDocuments {
    /// Answers kept at most.
    const ENTRIES: usize = 512;
    /// Bytes of documents kept at most.
    const BYTES: usize = 8 << 20;
    /// How long an answer is reused (a batch is a snapshot, but not one of hours ago).
    const FRESH: Duration = Duration::from_secs(600);

    /// The answer for `url`, fetched by `fetch` unless another discovery fetched it (or is
    /// fetching it); `true` when it was shared.
    async fn fetch<F, Fut>(&self, url: &str, fetch: F) -> (HttpResult, bool)
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = HttpResult> + Send + 'static,
    {
        let (future, shared) = {
            let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
            match s.done.get(url) {
                Some((at, r)) if at.elapsed() < Self::FRESH => return (r.clone(), true),
                _ => {}
            }
            match s.pending.get(url) {
                Some(f) => (f.clone(), true),
                None => {
                    let f = fetch().boxed().shared();
                    s.pending.insert(url.to_owned(), f.clone());
                    (f, false)
                }
            }
        };
        let result = future.await;
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if s.pending.remove(url).is_some() {
            s.keep(url, &result);
        }
        (result, shared)
    }
}

impl SharedState {
    fn keep(&mut self, url: &str, result: &HttpResult) {
        let size = size_of(result);
        if size > SharedDocuments::BYTES / 8 {
            return;
        }
        if let Some((_, old)) = self.done.remove(url) {
            self.bytes -= size_of(&old);
            self.order.retain(|u| u != url);
        }
        while self.order.len() >= SharedDocuments::ENTRIES
            || self.bytes + size > SharedDocuments::BYTES
        {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            if let Some((_, old)) = self.done.remove(&oldest) {
                self.bytes -= size_of(&old);
            }
        }
        self.bytes += size;
        self.order.push_back(url.to_owned());
        self.done
            .insert(url.to_owned(), (Instant::now(), result.clone()));
    }
}

fn size_of(r: &HttpResult) -> usize {
    let body = match &r.outcome {
        HttpOutcome::Body { body, .. } => body.len(),
        _ => 0,
    };
    body + r.final_url.len() + 256
}
