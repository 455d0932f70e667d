//! Running a probe (native only): the request and its options, every endpoint probed
//! concurrently, the alternatives to a configured endpoint that fails, and the findings.

use super::report::*;
use super::rules::{self, Configured};
use super::session::{self, Parked};
use super::target::{self, Target};
use super::{Credentials, Trust};
use crate::diagnostic::Report;
use crate::model::{Account, Auth, Protocol, Security, Server, Settings};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The default time allowed for each endpoint.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// At most this many endpoints are probed at once. Each may hold four sockets (the
/// conversation, the injection test, the old TLS versions, the cleartext login check): 64 of them
/// stay well inside the usual limit of 1024 open files, and hold more endpoints than a person
/// probes (one host is six), so the deadlines hold for all of them at once.
pub const MAX_CONCURRENT_ENDPOINTS: usize = 64;

/// A progress event: endpoint `index` began `stage` (or is `done`).
#[derive(Debug, Clone)]
pub struct Progress {
    /// The endpoint's index in the report.
    pub index: usize,
    /// `127.0.0.2:993 (IMAP, implicit TLS)`.
    pub label: String,
    /// The stage that began (`connect`, `tls`, …), or `done`.
    pub stage: &'static str,
    /// The endpoint is finished.
    pub done: bool,
}

/// A progress callback; called from the probe's task, so keep it quick.
pub type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// How to probe.
#[derive(Clone)]
pub struct ProbeOptions {
    /// Time allowed for each endpoint, all stages together.
    pub timeout: Duration,
    /// The roots certificates are verified against.
    pub trust: Trust,
    /// Verify the certificate for (and send as SNI) this name instead of the host.
    pub tls_name: Option<String>,
    /// Check this login, once per protocol: on the endpoint named for it, or else the best one
    /// (implicit TLS first, RFC 8314), and only where the connection is safe for it.
    pub login: Option<Credentials>,
    /// Called as each endpoint begins a stage and when it is done.
    pub progress: Option<ProgressFn>,
    /// The time certificate lifetimes are counted from (default: now).
    pub now: Option<SystemTime>,
    /// Where the standard ports are: 0 normally; N moves each one to N + its number (993 →
    /// 10993), as for a test server or a lab that maps ports. Applies to the endpoints probed
    /// without a port, the alternatives to a failing configured endpoint, and port inference.
    pub standard_port_offset: u16,
    /// Ask this DNS server (`ADDR:PORT`) instead of the system's resolvers and hosts file.
    pub resolver: Option<SocketAddr>,
}

impl Default for ProbeOptions {
    fn default() -> Self {
        ProbeOptions {
            timeout: DEFAULT_TIMEOUT,
            trust: Trust::WebPkiRoots,
            tls_name: None,
            login: None,
            progress: None,
            now: None,
            standard_port_offset: 0,
            resolver: None,
        }
    }
}

impl std::fmt::Debug for ProbeOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProbeOptions")
            .field("timeout", &self.timeout)
            .field("trust", &self.trust.label())
            .field("tls_name", &self.tls_name)
            .field("login", &self.login)
            .field("progress", &self.progress.is_some())
            .field("standard_port_offset", &self.standard_port_offset)
            .field("resolver", &self.resolver)
            .finish()
    }
}

/// What to probe: targets and, like `mailsetup check`, the settings to compare with reality.
#[derive(Debug, Clone, Default)]
pub struct ProbeRequest {
    /// `host`, `host:port`, `[v6]:port` or `imaps://host:port` (also imap, pop3(s), smtp(s), submission(s)).
    pub targets: Vec<String>,
    /// The protocol, when neither the port nor a scheme says it.
    pub protocol: Option<Protocol>,
    /// The port, for targets that do not give one.
    pub port: Option<u16>,
    /// The configured security. Giving it (or `auth`, `username`, `email`) compares the settings
    /// with what the server does.
    pub security: Option<Security>,
    /// The configured authentication method.
    pub auth: Option<Auth>,
    /// The configured username.
    pub username: Option<String>,
    /// The email address (an incoming server's account).
    pub email: Option<String>,
    /// How to probe.
    pub options: ProbeOptions,
}

impl ProbeRequest {
    /// Whether settings were given to compare with reality.
    pub fn compares(&self) -> bool {
        self.security.is_some()
            || self.auth.is_some()
            || self.username.is_some()
            || self.email.is_some()
    }
}

/// A request the probe cannot carry out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProbeError {
    /// A target could not be understood.
    #[error("{0}")]
    Target(String),
    /// The settings to compare are incomplete or contradict the target.
    #[error("{0}")]
    Settings(String),
    /// The async runtime could not start.
    #[error("cannot start the network runtime: {0}")]
    Runtime(String),
}

/// Probes every endpoint of the request, concurrently (at most [`MAX_CONCURRENT_ENDPOINTS`] at
/// once), then logs in where `--login` asks (once per protocol, one after the other), and reports.
pub async fn probe(request: ProbeRequest) -> Result<ProbeReport, ProbeError> {
    let started = std::time::Instant::now();
    if request.targets.is_empty() {
        return Err(ProbeError::Target("no target given".into()));
    }
    let targets: Vec<Target> = request
        .targets
        .iter()
        .map(|t| Target::parse(t))
        .collect::<Result<_, _>>()
        .map_err(ProbeError::Target)?;
    let offset = request.options.standard_port_offset;
    let expansion = target::expand(
        &targets,
        request.protocol,
        request.port,
        request.security,
        offset,
    )
    .map_err(ProbeError::Settings)?;
    let configured = configured(&request, &targets, &expansion.specs)?;
    let now = request.options.now.unwrap_or_else(SystemTime::now);
    let now_unix = now
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let opts = request.options;
    let ctx = Arc::new(session::Ctx::new(
        opts.timeout,
        opts.trust,
        opts.tls_name,
        opts.login,
        now_unix,
        opts.progress,
        opts.resolver,
    ));

    let mut specs = expansion.specs;
    let (mut endpoints, mut parked) = run_all(&ctx, &specs, 0).await;
    // The configured endpoint failed: probe the protocol's standard endpoints to find the fix.
    if let Some((cfg, _)) = &configured {
        let e = &endpoints[cfg.endpoint];
        if !e.secure {
            let host = specs[cfg.endpoint].host.clone();
            let alts: Vec<target::Spec> = target::standard_endpoints(cfg.server.protocol)
                .into_iter()
                .filter_map(|(port, sec)| Some((port.checked_add(offset)?, sec)))
                .filter(|(port, _)| !specs.iter().any(|s| s.host == host && s.port == *port))
                .map(|(port, sec)| {
                    let p = Some(cfg.server.protocol);
                    target::Spec::new(0, &host, port, p, Some(sec), Role::Alternative, offset)
                })
                .collect();
            if !alts.is_empty() {
                let (more, more_parked) = run_all(&ctx, &alts, endpoints.len()).await;
                endpoints.extend(more);
                parked.extend(more_parked);
                specs.extend(alts);
            }
        }
    }
    logins(&ctx, &mut endpoints, parked).await;

    let compared = configured
        .as_ref()
        .map(|(cfg, settings)| rules::settings::judge(cfg, settings, &endpoints));
    let mut all = Vec::new();
    for (i, e) in endpoints.iter_mut().enumerate() {
        e.findings = rules::endpoint(i, e);
        // The comparison with the settings says it (with the fix): not twice.
        if let (Some(c), Some((cfg, _))) = (&compared, &configured) {
            if i == cfg.endpoint {
                e.findings.retain(|f| !c.supersedes(f));
            }
        }
        e.verdict = crate::Verdict::of(&e.findings);
        all.extend(e.findings.iter().cloned());
    }
    all.extend(rules::overall(&endpoints, expansion.all_protocols));
    let (settings, fixed) = match (configured, compared) {
        (Some((_, settings)), Some(c)) => {
            all.extend(c.findings);
            (Some(settings), c.fixed)
        }
        _ => (None, None),
    };
    let report = Report::new(None, all, None);
    Ok(ProbeReport {
        verdict: report.verdict,
        findings: report.findings,
        targets: targets.into_iter().map(|t| t.text).collect(),
        configured: settings,
        fixed,
        checked_at: super::tls::rfc3339(now_unix),
        ms: session::ms(started.elapsed()),
        endpoints,
    })
}

/// [`probe`] on a single-threaded runtime of its own.
///
/// ```no_run
/// use mailsetup::probe::{probe_blocking, ProbeRequest};
/// let report = probe_blocking(ProbeRequest {
///     targets: vec!["imap.example.com".into()],
///     ..ProbeRequest::default()
/// })?;
/// println!("{}: {} findings", report.verdict.as_str(), report.findings.len());
/// # Ok::<(), mailsetup::probe::ProbeError>(())
/// ```
///
/// The runtime is shut down without waiting for what is left (a DNS query that never came
/// back): the probe ends when its deadlines say, not when the slowest resolver gives up.
pub fn probe_blocking(request: ProbeRequest) -> Result<ProbeReport, ProbeError> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ProbeError::Runtime(e.to_string()))?;
    let report = rt.block_on(probe(request));
    rt.shutdown_background();
    report
}

/// Probes `specs` concurrently, at most [`MAX_CONCURRENT_ENDPOINTS`] at once; the reports in
/// order, and the connections parked for a login.
async fn run_all(
    ctx: &Arc<session::Ctx>,
    specs: &[target::Spec],
    first: usize,
) -> (Vec<EndpointReport>, Vec<Option<Parked>>) {
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONCURRENT_ENDPOINTS));
    let mut set = tokio::task::JoinSet::new();
    for (k, spec) in specs.iter().enumerate() {
        let (ctx, spec, slots) = (ctx.clone(), spec.clone(), slots.clone());
        set.spawn(async move {
            let _slot = slots.acquire_owned().await;
            (k, session::run(ctx, spec, first + k).await)
        });
    }
    let mut out: Vec<Option<(EndpointReport, Option<Parked>)>> = Vec::new();
    out.resize_with(specs.len(), || None);
    while let Some(done) = set.join_next().await {
        if let Ok((k, r)) = done {
            out[k] = Some(r);
        }
    }
    out.into_iter()
        .zip(specs)
        .map(|(r, spec)| r.unwrap_or_else(|| (session::crashed(spec), None)))
        .unzip()
}

/// `--login`: once per protocol, one protocol after the other, on the endpoint named for it
/// (or, when none was named, the best: a secure one, implicit TLS before STARTTLS as RFC 8314
/// prefers), and only when that endpoint is safe for a password. The other parked connections
/// say goodbye. One mistyped password is then one failed login per protocol, not one per
/// endpoint (lock-outs, fail2ban), and two logins never race (POP3's LOGIN-DELAY).
async fn logins(
    ctx: &session::Ctx,
    endpoints: &mut [EndpointReport],
    mut parked: Vec<Option<Parked>>,
) {
    if let Some(creds) = ctx.login.clone() {
        for protocol in [Protocol::Imap, Protocol::Pop3, Protocol::Smtp] {
            let of: Vec<usize> = (0..endpoints.len())
                .filter(|&i| endpoints[i].protocol == Some(protocol))
                .collect();
            let named: Vec<usize> = of
                .iter()
                .copied()
                .filter(|&i| endpoints[i].role == Role::Given)
                .collect();
            let pool = if named.is_empty() { of } else { named };
            let Some(best) = pool.into_iter().min_by_key(|&i| {
                let e = &endpoints[i];
                (!e.secure, e.security != Some(Security::Tls), i)
            }) else {
                continue;
            };
            let e = &mut endpoints[best];
            let not = |why: String| LoginInfo {
                user: creds.user.clone(),
                result: LoginResult::NotAttempted,
                mechanism: None,
                response: why,
            };
            match (no_login_reason(e), parked[best].take()) {
                (None, Some(p)) => p.login(ctx, &creds, e).await,
                (Some(why), p) => {
                    if e.greeting.is_some() {
                        e.login = Some(not(why));
                    }
                    if let Some(p) = p {
                        p.logout(e).await;
                    }
                }
                (None, None) => {
                    e.login = Some(not("the conversation stopped before the login".into()))
                }
            }
        }
    }
    // The others say goodbye all at once: one after the other took a round trip each.
    let goodbyes = endpoints
        .iter_mut()
        .zip(parked)
        .filter_map(|(e, p)| p.map(|p| p.logout(e)));
    futures_util::future::join_all(goodbyes).await;
}

/// Why no password may be sent to this endpoint, if it may not.
fn no_login_reason(e: &EndpointReport) -> Option<String> {
    if !e.secure {
        let tls = matches!(e.security, Some(Security::Tls | Security::Starttls));
        return Some(if e.tls.as_ref().is_some_and(|t| !t.verified) {
            "the certificate did not verify; the password is never sent to a server that cannot be authenticated".into()
        } else if let Some(f) = &e.failure {
            format!("the conversation stopped before the login: {}", f.message)
        } else if !tls {
            "no TLS on this endpoint; the password is never sent in cleartext".into()
        } else {
            "the connection is not secure".into()
        });
    }
    let st = e.starttls.as_ref()?;
    if matches!(st.injection, Injection::Vulnerable { .. }) {
        return Some("STARTTLS here runs commands sent before it (N203): someone in the network path could make the server act on the login; the password is not sent".into());
    }
    (st.discarded_bytes > 0).then(|| "cleartext arrived after the STARTTLS answer (N206), as when someone in the network path injects it; the password is not sent".into())
}

/// The configured settings (when the request compares) and which endpoint stands for them.
fn configured(
    req: &ProbeRequest,
    targets: &[Target],
    specs: &[target::Spec],
) -> Result<Option<(Configured, Settings)>, ProbeError> {
    if !req.compares() {
        return Ok(None);
    }
    let given: Vec<usize> = (0..specs.len())
        .filter(|&i| specs[i].role == Role::Given)
        .collect();
    let [i] = given[..] else {
        return Err(ProbeError::Settings(
            "to compare settings, name exactly one endpoint: one target with a port, or --protocol with --security".into(),
        ));
    };
    let spec = &specs[i];
    let (Some(protocol), Some(security)) = (spec.protocol, spec.expected) else {
        return Err(ProbeError::Settings(format!(
            "to compare settings on port {}, give --protocol and --security (the port does not say them)",
            spec.port
        )));
    };
    let server = Server {
        protocol,
        host: targets[spec.target].host.clone(),
        port: spec.port,
        security,
        auth: req.auth,
        username: req.username.clone(),
    };
    let (settings, prefix) = match &req.email {
        None => (Settings::Server(server.clone()), ""),
        Some(_) if !protocol.is_incoming() => {
            return Err(ProbeError::Settings(
                "--email goes with an incoming server (IMAP or POP3)".into(),
            ))
        }
        Some(email) => (
            Settings::Account(Account {
                email: Some(email.clone()),
                incoming: server.clone(),
                outgoing: None,
                pop3: None,
            }),
            "incoming.",
        ),
    };
    Ok(Some((
        Configured {
            server,
            prefix,
            endpoint: i,
        },
        settings,
    )))
}
