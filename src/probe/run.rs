//! Running a probe (native only): the request and its options, every endpoint probed
//! concurrently, the alternatives to a configured endpoint that fails, and the findings.

use super::report::*;
use super::rules::{self, Configured};
use super::target::{self, Target};
use super::{session, Credentials, Trust};
use crate::diagnostic::{Finding, Fix, Report};
use crate::model::{Account, Auth, Protocol, Security, Server, Settings};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The default time allowed for each endpoint.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

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
    /// Check this login on every endpoint that is safe for it.
    pub login: Option<Credentials>,
    /// Called as each endpoint begins a stage and when it is done.
    pub progress: Option<ProgressFn>,
    /// The time certificate lifetimes are counted from (default: now).
    pub now: Option<SystemTime>,
    /// Where the standard ports are: 0 normally; N moves each one to N + its number (993 →
    /// 10993), as for a test server or a lab that maps ports. Applies to the endpoints probed
    /// without a port, the alternatives to a failing configured endpoint, and port inference.
    pub standard_port_offset: u16,
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

/// Probes every endpoint of the request, concurrently, and reports.
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
    ));

    let mut specs = expansion.specs;
    let mut endpoints = run_all(&ctx, &specs, 0).await;
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
                let more = run_all(&ctx, &alts, endpoints.len()).await;
                endpoints.extend(more);
                specs.extend(alts);
            }
        }
    }

    let mut all = Vec::new();
    for (i, e) in endpoints.iter_mut().enumerate() {
        e.findings = rules::endpoint(i, e);
        e.verdict = crate::Verdict::of(&e.findings);
        all.extend(e.findings.iter().cloned());
    }
    all.extend(rules::overall(&endpoints, expansion.all_protocols));
    let (settings, fixed) = match configured {
        Some((cfg, settings)) => {
            let mut extra = rules::compare(&cfg, &endpoints);
            extra.extend(crate::validate(&settings).findings);
            let fixed = apply_fixes(&settings, &extra);
            all.extend(extra);
            (Some(settings), fixed)
        }
        None => (None, None),
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
pub fn probe_blocking(request: ProbeRequest) -> Result<ProbeReport, ProbeError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ProbeError::Runtime(e.to_string()))?
        .block_on(probe(request))
}

async fn run_all(
    ctx: &Arc<session::Ctx>,
    specs: &[target::Spec],
    first: usize,
) -> Vec<EndpointReport> {
    let mut set = tokio::task::JoinSet::new();
    for (k, spec) in specs.iter().enumerate() {
        let (ctx, spec) = (ctx.clone(), spec.clone());
        set.spawn(async move { (k, session::run(ctx, spec, first + k).await) });
    }
    let mut out: Vec<Option<EndpointReport>> = vec![None; specs.len()];
    while let Some(done) = set.join_next().await {
        if let Ok((k, r)) = done {
            out[k] = Some(r);
        }
    }
    out.into_iter()
        .zip(specs)
        .map(|(r, spec)| r.unwrap_or_else(|| session::crashed(spec)))
        .collect()
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

/// The settings with every fix applied (the first fix for a field wins); `None` without fixes.
fn apply_fixes(settings: &Settings, found: &[Finding]) -> Option<Settings> {
    let fixes: Vec<&Fix> = found.iter().filter_map(|f| f.fix.as_ref()).collect();
    if fixes.is_empty() {
        return None;
    }
    let mut fixed = settings.clone();
    let mut done: Vec<&str> = Vec::new();
    for fix in fixes {
        if !done.contains(&fix.field.as_str()) && fix.apply(&mut fixed).is_ok() {
            done.push(&fix.field);
        }
    }
    Some(fixed)
}
