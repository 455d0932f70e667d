//! One endpoint's conversation: resolve, connect, TLS (implicit, or STARTTLS with its injection
//! test on a second connection), greeting, capabilities before and after TLS, logout. Every
//! stage is timed and bounded by the endpoint's deadline; the first failure ends the
//! conversation and is recorded with its stage.
//!
//! With `--login`, a secure endpoint is left open after its capabilities ([`Parked`]): the
//! probe as a whole decides where to log in (once per protocol), then logs in on one parked
//! connection and says goodbye on the others.

use super::dialect::{self, address_literal, classify, clip, wrong_protocol, Dialect, Expect};
use super::dialect::{Greeting, Reply, Status, Stop};
use super::injection::{self, Outcome};
use super::io::{exchange, read_greeting, read_reply, Conn, Counted, Lines};
use super::legacy_tls::{self, LegacyAnswer};
use super::report::*;
use super::target::Spec;
use super::tls::{self, suite_names, TlsSetup, Trust};
use super::{Credentials, Progress, ProgressFn};
use crate::model::{labels, Protocol, Security};
use crate::text::{number, Quoted};
use hickory_resolver::TokioResolver;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio::time::{timeout, timeout_at, Instant};
use tokio_rustls::TlsConnector;

/// How long the probe listens on a port of unknown security before it speaks: a cleartext
/// server greets at once, an implicit-TLS one waits for the client. Sending a ClientHello to a
/// cleartext SMTP server that greets first is what attack tools do (Postfix's postscreen logs
/// it as PREGREET).
const GREETING_WAIT: Duration = Duration::from_millis(300);

/// What every endpoint of one probe shares.
pub struct Ctx {
    pub timeout: Duration,
    pub trust: Trust,
    tls: OnceLock<Result<TlsSetup, String>>,
    pub tls_name: Option<String>,
    pub login: Option<Credentials>,
    pub now_unix: i64,
    pub progress: Option<ProgressFn>,
    /// The DNS server to ask instead of the system's (`--resolver`).
    resolver_at: Option<SocketAddr>,
    dns: OnceLock<Result<TokioResolver, String>>,
    resolutions: Mutex<HashMap<String, Arc<tokio::sync::OnceCell<Resolution>>>>,
}

/// A host's addresses, looked up once per probe.
#[derive(Debug, Clone)]
struct Resolution {
    result: Result<Vec<IpAddr>, String>,
    ms: f64,
    literal: bool,
}

impl Ctx {
    pub fn new(
        timeout: Duration,
        trust: Trust,
        tls_name: Option<String>,
        login: Option<Credentials>,
        now_unix: i64,
        progress: Option<ProgressFn>,
        resolver_at: Option<SocketAddr>,
    ) -> Ctx {
        Ctx {
            timeout,
            trust,
            tls: OnceLock::new(),
            tls_name,
            login,
            now_unix,
            progress,
            resolver_at,
            dns: OnceLock::new(),
            resolutions: Mutex::new(HashMap::new()),
        }
    }

    /// The TLS setup, built on first use (the root store is loaded only when a handshake happens).
    pub(super) fn tls(&self) -> Result<&TlsSetup, Stop> {
        self.tls
            .get_or_init(|| TlsSetup::new(&self.trust))
            .as_ref()
            .map_err(|e| Stop::new(FailureKind::Tls, e.clone()))
    }

    /// The resolver, built on first use: the system's configuration (/etc/resolv.conf and
    /// /etc/hosts), or only the `--resolver` server. Each query is bounded by the endpoint's
    /// timeout and is abandoned, not awaited, when it passes.
    fn dns(&self) -> Result<&TokioResolver, String> {
        self.dns
            .get_or_init(|| {
                use hickory_resolver::config::{
                    LookupIpStrategy, NameServerConfigGroup, ResolveHosts, ResolverConfig,
                };
                use hickory_resolver::name_server::TokioConnectionProvider;
                let provider = TokioConnectionProvider::default();
                let mut builder = match self.resolver_at {
                    Some(at) => {
                        let servers = NameServerConfigGroup::from_ips_clear(&[at.ip()], at.port(), true);
                        let mut b = TokioResolver::builder_with_config(
                            ResolverConfig::from_parts(None, Vec::new(), servers),
                            provider,
                        );
                        b.options_mut().use_hosts_file = ResolveHosts::Never;
                        b
                    }
                    None => TokioResolver::builder(provider).map_err(|e| {
                        format!("cannot read the system's DNS configuration (/etc/resolv.conf): {e}; give --resolver ADDR:PORT")
                    })?,
                };
                let opts = builder.options_mut();
                opts.timeout = self.timeout;
                opts.attempts = 1;
                opts.ip_strategy = LookupIpStrategy::Ipv4AndIpv6;
                Ok(builder.build())
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    async fn resolve(&self, host: &str) -> Resolution {
        if let Ok(ip) = host.parse::<IpAddr>() {
            return Resolution {
                result: Ok(vec![ip]),
                ms: 0.0,
                literal: true,
            };
        }
        let cell = self
            .resolutions
            .lock()
            .map(|mut m| m.entry(host.to_string()).or_default().clone())
            .unwrap_or_default();
        cell.get_or_init(|| async {
            let t = Instant::now();
            Resolution {
                result: self.lookup(host).await,
                ms: ms(t.elapsed()),
                literal: false,
            }
        })
        .await
        .clone()
    }

    async fn lookup(&self, host: &str) -> Result<Vec<IpAddr>, String> {
        let dns = self.dns()?;
        // With --resolver, the name is absolute (no search domains); otherwise as typed, so the
        // system's search list applies as it does for every other program.
        let name = match self.resolver_at {
            Some(_) => format!("{}.", host.trim_end_matches('.')),
            None => host.to_string(),
        };
        let answer = match timeout(self.timeout, dns.lookup_ip(name)).await {
            Err(_) => {
                return Err(format!(
                    "no answer from DNS within {} s",
                    number(self.timeout.as_secs_f64())
                ))
            }
            Ok(a) => a,
        };
        match answer {
            Ok(found) => {
                let mut ips: Vec<IpAddr> = Vec::new();
                for ip in found.iter() {
                    if !ips.contains(&ip) {
                        ips.push(ip);
                    }
                }
                if ips.is_empty() {
                    Err("the name has no address".into())
                } else {
                    Ok(ips)
                }
            }
            Err(e) if e.is_nx_domain() => Err("no such name (NXDOMAIN)".into()),
            Err(e) if e.is_no_records_found() => {
                Err("the name has no address (no A or AAAA record)".into())
            }
            Err(e) => Err(format!("the DNS lookup failed: {e}")),
        }
    }
}

/// Milliseconds, to the microsecond.
pub fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}

/// A secure connection left open after its capabilities, for the login the probe may choose to
/// make there (`--login`). Dropping it closes the connection.
pub struct Parked {
    lines: Lines,
    d: &'static dyn Dialect,
    caps: Vec<String>,
    tag: u32,
    t0: Instant,
}

impl std::fmt::Debug for Parked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Parked")
            .field("protocol", &self.d.protocol())
            .finish()
    }
}

/// Probes one endpoint; with `--login`, a secure one comes back [`Parked`].
pub async fn run(ctx: Arc<Ctx>, spec: Spec, index: usize) -> (EndpointReport, Option<Parked>) {
    let t0 = Instant::now();
    let mut ep = Ep {
        ctx: &ctx,
        spec: &spec,
        index,
        t0,
        deadline: t0 + ctx.timeout,
        protocol: spec.protocol,
        tag: 0,
        client_name: "[127.0.0.1]".into(),
        r: blank(&spec),
        parked: None,
        early: Early::default(),
    };
    ep.run().await;
    ep.r.protocol = ep.protocol;
    ep.r.ms = ms(t0.elapsed());
    // Side checks ran beside the main conversation: show stages in the order they began.
    ep.r.timeline
        .sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
    ep.progress("done", true);
    (ep.r, ep.parked)
}

impl Parked {
    /// Logs in with `creds` (the one place credentials are written to a connection: only here,
    /// inside TLS whose certificate verified), records it in `r`, and says goodbye.
    pub async fn login(mut self, ctx: &Ctx, creds: &Credentials, r: &mut EndpointReport) {
        // The login has a deadline of its own: the endpoint's stages may have used its time.
        self.lines.set_deadline(Instant::now() + ctx.timeout);
        let t = Instant::now();
        self.tag += 1;
        let tag = format!("a{}", self.tag);
        let d = self.d;
        let res = match d.login(&tag, &self.caps, creds) {
            Err(no) => Ok((LoginResult::NotAttempted, no.mechanism, no.why)),
            Ok(login) => run_login(&mut self.lines, d, &login, creds)
                .await
                .map(|(result, words)| (result, login.mechanism, words)),
        };
        let (result, mechanism, response, goodbye) = match res {
            Ok((result, mechanism, response)) => (result, mechanism, response, true),
            Err(stop) => {
                let why = match stop.kind {
                    FailureKind::Timeout => format!(
                        "no answer within {} s: nothing is known about the password (servers slow down failed logins, Courier by about 5 s; try a longer --timeout)",
                        number(ctx.timeout.as_secs_f64())
                    ),
                    FailureKind::Closed => "the server closed the connection without answering the login".into(),
                    _ => format!("the login exchange failed: {}", stop.message),
                };
                (LoginResult::Inconclusive, "", why, false)
            }
        };
        let detail = match result {
            LoginResult::Accepted => format!(
                "{} accepted {} ({mechanism})",
                clip(&response, 100),
                creds.user
            ),
            LoginResult::Rejected => format!("rejected ({mechanism}): {}", clip(&response, 160)),
            LoginResult::Inconclusive => format!("inconclusive: {}", clip(&response, 200)),
            LoginResult::NotAttempted => format!("not attempted: {response}"),
        };
        push_stage(
            r,
            self.t0,
            StageKind::Login,
            t,
            result == LoginResult::Accepted,
            detail,
        );
        r.login = Some(LoginInfo {
            user: creds.user.clone(),
            result,
            mechanism: (!mechanism.is_empty()).then(|| mechanism.to_string()),
            response,
        });
        if goodbye {
            self.logout(r).await;
        } else {
            self.lines.close().await;
        }
    }

    /// Says goodbye (no login here).
    pub async fn logout(mut self, r: &mut EndpointReport) {
        self.lines
            .set_deadline(Instant::now() + Duration::from_secs(2));
        self.tag += 1;
        let tag = format!("a{}", self.tag);
        logout(&mut self.lines, self.d, &tag, r, self.t0).await;
        self.lines.close().await;
        r.ms = ms(self.t0.elapsed());
        r.timeline.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
    }
}

/// A report with nothing observed yet.
fn blank(spec: &Spec) -> EndpointReport {
    EndpointReport::new(
        &spec.host,
        spec.port,
        spec.protocol,
        spec.expected,
        spec.role,
    )
}

/// The report for an endpoint whose task failed (a bug): says so instead of losing the endpoint.
pub fn crashed(spec: &Spec) -> EndpointReport {
    let mut r = blank(spec);
    r.failure = Some(Failure {
        stage: StageKind::Connect,
        kind: FailureKind::Closed,
        message: "internal error: the probe of this endpoint stopped unexpectedly".into(),
    });
    r
}

fn push_stage(
    r: &mut EndpointReport,
    t0: Instant,
    stage: StageKind,
    started: Instant,
    ok: bool,
    detail: String,
) {
    r.timeline.push(Stage {
        stage,
        start_ms: ms(started - t0),
        ms: ms(started.elapsed()),
        ok,
        detail,
    });
}

/// The goodbye, recorded; a goodbye that goes wrong is shown, but is not a failure.
async fn logout(
    lines: &mut Lines,
    d: &dyn Dialect,
    tag: &str,
    r: &mut EndpointReport,
    t0: Instant,
) {
    let t = Instant::now();
    let res = exchange(lines, d, &d.quit_command(tag)).await;
    r.bytes_received = r.bytes_received.max(lines.conn().counted().received());
    match res {
        Ok(reply) => push_stage(
            r,
            t0,
            StageKind::Logout,
            t,
            true,
            clip(&d.words(&reply), 120),
        ),
        Err(stop) => push_stage(r, t0, StageKind::Logout, t, false, stop.message),
    }
}

struct Ep<'a> {
    ctx: &'a Ctx,
    spec: &'a Spec,
    index: usize,
    t0: Instant,
    deadline: Instant,
    protocol: Option<Protocol>,
    tag: u32,
    /// This side's name for SMTP's EHLO: the local address as a literal.
    client_name: String,
    r: EndpointReport,
    parked: Option<Parked>,
    /// The injection test and the old TLS versions check were started with the connection (the
    /// endpoint's protocol and security were known): the conversation does not start its own.
    early: Early,
}

/// Which side checks began with the connection.
#[derive(Debug, Clone, Copy, Default)]
struct Early {
    injection: bool,
    versions: bool,
}

/// Why a handshake failed.
enum HsFail {
    /// A cleartext mail greeting arrived instead of a ServerHello.
    Cleartext {
        line: String,
        protocol: Protocol,
    },
    /// The server refused what rustls offers (a version or cipher alert, an old ServerHello).
    Legacy(Stop),
    Stop(Stop),
}

/// A side check running beside the conversation, on the heap: its own connection's futures
/// (a TLS handshake, buffers) would otherwise sit inside the endpoint's, which grew past 100 KB
/// and overflowed a test thread's stack.
type SideCheck<'a, T> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Option<Side<T>>> + Send + 'a>>;

/// What a side check on a connection of its own found, with when it began and how long it took.
struct Side<T> {
    started: Instant,
    took: Duration,
    result: T,
}

async fn side<T>(check: impl std::future::Future<Output = T>) -> Side<T> {
    let started = Instant::now();
    let result = check.await;
    Side {
        started,
        took: started.elapsed(),
        result,
    }
}

/// The answer to a cleartext login command without a password (POP3 `USER`), on a connection
/// of its own: `Ok(words)` with whether it was taken, or why the check could not tell.
async fn cleartext_login_check(
    addr: SocketAddr,
    deadline: Instant,
    d: &dyn Dialect,
    command: dialect::Command,
) -> Result<(bool, String), String> {
    let stream = super::io::connect(addr, deadline)
        .await
        .map_err(|e| format!("cannot connect again: {e}"))?;
    let mut lines = Lines::new(Conn::Plain(Counted::new(stream)), deadline);
    let talk = async {
        read_greeting(&mut lines, Some(d.protocol()))
            .await
            .map_err(|(s, _)| s)?;
        let reply = exchange(&mut lines, d, &command).await?;
        let _ = exchange(&mut lines, d, &d.quit_command("q1")).await;
        Ok::<_, Stop>((d.status(&reply) == Status::Positive, d.words(&reply)))
    };
    let res = talk.await.map_err(|s| s.message);
    lines.close().await;
    res
}

impl<'a> Ep<'a> {
    fn progress(&self, stage: &'static str, done: bool) {
        if let Some(p) = &self.ctx.progress {
            p(&Progress {
                index: self.index,
                label: labels::endpoint(
                    &self.spec.host,
                    self.spec.port,
                    self.protocol,
                    self.spec.expected,
                ),
                stage,
                done,
            });
        }
    }

    fn begin(&self, stage: StageKind) -> Instant {
        self.progress(stage.as_str(), false);
        Instant::now()
    }

    fn record(&mut self, stage: StageKind, started: Instant, ok: bool, detail: String) {
        push_stage(&mut self.r, self.t0, stage, started, ok, detail);
    }

    fn record_side<T>(&mut self, stage: StageKind, s: &Side<T>, ok: bool, detail: String) {
        self.r.timeline.push(Stage {
            stage,
            start_ms: ms(s.started - self.t0),
            ms: ms(s.took),
            ok,
            detail,
        });
    }

    /// Records a failed stage and, if it is the first failure, the reason the conversation stops.
    fn fail(&mut self, stage: StageKind, started: Instant, stop: Stop) {
        self.record(stage, started, false, stop.message.clone());
        if self.r.failure.is_none() {
            self.r.failure = Some(Failure {
                stage,
                kind: stop.kind,
                message: stop.message,
            });
        }
    }

    /// The next command's tag (`a1`, `a2`, …): IMAP's; the other dialects ignore it.
    fn next_tag(&mut self) -> String {
        self.tag += 1;
        format!("a{}", self.tag)
    }

    fn note_bytes(&mut self, lines: &Lines) {
        self.r.bytes_received = self.r.bytes_received.max(lines.conn().counted().received());
    }

    /// The address the main connection went to.
    fn address(&self) -> Option<SocketAddr> {
        self.r.address.as_deref().and_then(|a| a.parse().ok())
    }

    async fn run(&mut self) {
        let Some(addrs) = self.resolve().await else {
            return;
        };
        let Some(stream) = self.connect(&addrs).await else {
            return;
        };
        // When the port says how it is spoken, the side checks on connections of their own start
        // now, beside the whole conversation (not after its first exchanges): their own greeting,
        // EHLO and STARTTLS overlap the main ones. Their results count once the conversation
        // shows they apply.
        let (injection, versions) = match (self.spec.expected, self.spec.protocol) {
            (Some(Security::Tls), _) => (None, Some(self.old_versions_check(None))),
            (Some(Security::Starttls), Some(p)) => {
                let d = dialect::dialect(p);
                (
                    Some(self.injection_check(d)),
                    Some(self.old_versions_check(Some(d))),
                )
            }
            _ => (None, None),
        };
        self.early = Early {
            injection: injection.is_some(),
            versions: versions.is_some(),
        };
        let checks = async {
            let injection = async {
                match injection {
                    Some(f) => f.await,
                    None => None,
                }
            };
            let versions = async {
                match versions {
                    Some(f) => f.await,
                    None => None,
                }
            };
            tokio::join!(injection, versions)
        };
        let ((), (injection, versions)) = tokio::join!(self.converse(stream, &addrs), checks);
        if self.early.injection {
            let st = self.r.starttls.as_ref();
            let advertised = st.is_some_and(|s| s.advertised);
            let upgraded = self.r.security == Some(Security::Starttls);
            // Run for an endpoint whose STARTTLS is neither announced nor working: nothing to say.
            if advertised || upgraded {
                self.record_injection(injection, upgraded);
            }
        }
        if self.early.versions && self.r.secure_transport() {
            self.record_versions(versions);
        }
    }

    /// The conversation on the connection made: implicit TLS, cleartext (with STARTTLS), or,
    /// when the security is not known, whichever the server shows by greeting or not.
    async fn converse(&mut self, stream: TcpStream, addrs: &[IpAddr]) {
        if self.spec.expected == Some(Security::Tls) {
            // Implicit TLS configured: the client speaks first, as a mail client would.
            self.implicit(Counted::new(stream), addrs, None).await;
            return;
        }
        let mut lines = Lines::new(Conn::Plain(Counted::new(stream)), self.deadline);
        if !self.spec.tls_first {
            self.plain(lines).await;
            return;
        }
        // Security unknown (or a TLS port configured otherwise): listen before speaking.
        let t = Instant::now();
        let until = t + GREETING_WAIT.min(self.ctx.timeout / 3);
        match lines.wait_for_data(until).await {
            Ok(true) => self.plain(lines).await,
            Ok(false) => {
                let (conn, _) = lines.into_conn_discarding();
                if let Conn::Plain(counted) = conn {
                    self.implicit(counted, addrs, Some(t)).await;
                }
            }
            Err(e) => self.fail(StageKind::Greeting, t, e.into()),
        }
    }

    async fn resolve(&mut self) -> Option<Vec<IpAddr>> {
        self.progress("resolve", false);
        let res = self.ctx.resolve(&self.spec.host).await;
        let detail = match (&res.result, res.literal) {
            (Ok(ips), true) => format!("{} (IP literal)", ips[0]),
            (Ok(ips), false) => ips
                .iter()
                .map(IpAddr::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            (Err(e), _) => format!("{} does not resolve: {e}", self.spec.host),
        };
        self.r.timeline.push(Stage {
            stage: StageKind::Resolve,
            start_ms: 0.0,
            ms: res.ms,
            ok: res.result.is_ok(),
            detail: detail.clone(),
        });
        match res.result {
            Ok(ips) => {
                self.r.addresses = ips.iter().map(IpAddr::to_string).collect();
                Some(ips)
            }
            Err(_) => {
                self.r.failure = Some(Failure {
                    stage: StageKind::Resolve,
                    kind: FailureKind::NotFound,
                    message: detail,
                });
                None
            }
        }
    }

    async fn connect(&mut self, addrs: &[IpAddr]) -> Option<TcpStream> {
        let t = self.begin(StageKind::Connect);
        let mut last = String::new();
        let mut kind = FailureKind::ConnectFailed;
        for (i, ip) in addrs.iter().enumerate() {
            let sa = SocketAddr::new(*ip, self.spec.port);
            // Share what is left between the addresses still to try.
            let left = self.deadline.saturating_duration_since(Instant::now());
            let share = left / (addrs.len() - i) as u32;
            match super::io::connect(sa, Instant::now() + share).await {
                Ok(s) => {
                    if let Ok(local) = s.local_addr() {
                        self.client_name = address_literal(local.ip());
                    }
                    self.r.address = Some(sa.to_string());
                    self.record(StageKind::Connect, t, true, sa.to_string());
                    return Some(s);
                }
                Err(e) => {
                    (kind, last) = match e.kind() {
                        std::io::ErrorKind::ConnectionRefused => (
                            FailureKind::ConnectFailed,
                            "connection refused (nothing listens on this port)".to_string(),
                        ),
                        // The handshake completed (a refusal is ECONNREFUSED) and the server reset
                        // the connection before the socket reported it connected: the server
                        // closed it, as when the reset comes a moment later.
                        std::io::ErrorKind::ConnectionReset => (
                            FailureKind::Closed,
                            "the server reset the connection as soon as it was made".to_string(),
                        ),
                        std::io::ErrorKind::TimedOut => (
                            FailureKind::ConnectFailed,
                            format!("no answer within {} s", number(share.as_secs_f64())),
                        ),
                        // EMFILE, ENFILE: this computer, not the server.
                        _ if matches!(e.raw_os_error(), Some(23 | 24)) => (
                            FailureKind::Local,
                            format!("this computer could not open a connection ({e}); nothing was learnt about the server"),
                        ),
                        _ => (FailureKind::ConnectFailed, e.to_string()),
                    }
                }
            }
            if addrs.len() > 1 {
                last = format!("{sa}: {last}");
            }
            if kind == FailureKind::Local {
                break;
            }
        }
        self.fail(StageKind::Connect, t, Stop::new(kind, last));
        None
    }

    /// A TLS handshake first on `counted` (after `waited`, the silence it began with).
    async fn implicit(&mut self, counted: Counted, addrs: &[IpAddr], waited: Option<Instant>) {
        let t = waited.unwrap_or_else(|| self.begin(StageKind::Tls));
        match self.handshake(counted, true).await {
            Ok(conn) => {
                self.record_tls(t, waited.is_some());
                self.r.security = Some(Security::Tls);
                let lines = Lines::new(conn, self.deadline);
                if self.early.versions {
                    self.over_tls(lines, None).await;
                } else {
                    let versions = self.old_versions_check(None);
                    let ((), versions) = tokio::join!(self.over_tls(lines, None), versions);
                    self.record_versions(versions);
                }
            }
            Err(HsFail::Cleartext { line, protocol }) => {
                self.record(
                    StageKind::Tls,
                    t,
                    false,
                    format!(
                        "no TLS here: the server greeted in cleartext ({}); retrying without TLS",
                        Quoted(&clip(&line, 80))
                    ),
                );
                self.r.implicit_tls_answered_in_cleartext = true;
                if self.protocol.is_some_and(|p| p != protocol) {
                    let stop = wrong_protocol(self.protocol, &line);
                    self.fail(StageKind::Greeting, Instant::now(), stop);
                    return;
                }
                self.protocol = Some(protocol);
                let Some(stream) = self.connect(addrs).await else {
                    return;
                };
                self.plain(Lines::new(Conn::Plain(Counted::new(stream)), self.deadline))
                    .await;
            }
            Err(HsFail::Legacy(stop)) => {
                self.fail(StageKind::Tls, t, stop);
                self.legacy(None).await;
            }
            Err(HsFail::Stop(stop)) => self.fail(StageKind::Tls, t, stop),
        }
    }

    fn record_tls(&mut self, t: Instant, waited: bool) {
        let detail = match &self.r.tls {
            Some(i) => format!(
                "{}{} {}{}; certificate {}",
                if waited {
                    "no greeting: a TLS port; "
                } else {
                    ""
                },
                i.version,
                i.cipher_suite,
                i.key_exchange
                    .as_deref()
                    .map(|k| format!(" {k}"))
                    .unwrap_or_default(),
                if i.verified {
                    format!("verified for {}", i.name_checked)
                } else {
                    let mut why = Vec::new();
                    if let Some(e) = &i.chain_error {
                        why.push(e.clone());
                    }
                    if !i.name_matches {
                        why.push(format!("not valid for {}", i.name_checked));
                    }
                    format!("NOT verified: {}", why.join("; "))
                }
            ),
            None => String::new(),
        };
        self.record(StageKind::Tls, t, true, detail);
    }

    /// A TLS handshake over `counted`; on success the session and certificate details are in
    /// `self.r.tls`. After STARTTLS (`implicit` false), cleartext where the handshake should be
    /// is the server's own explanation of a failure: its words are kept.
    async fn handshake(&mut self, mut counted: Counted, implicit: bool) -> Result<Conn, HsFail> {
        let setup = self.ctx.tls().map_err(HsFail::Stop)?;
        let (config, observer) = setup.config();
        let name_text = self
            .ctx
            .tls_name
            .clone()
            .unwrap_or_else(|| self.spec.host.clone());
        let name = tls::server_name(&name_text)
            .map_err(|e| HsFail::Stop(Stop::new(FailureKind::Tls, e)))?;
        counted.capture_from_here();
        let connect = TlsConnector::from(config)
            .connect(name, counted)
            .into_fallible();
        match timeout_at(self.deadline, connect).await {
            Err(_) => Err(HsFail::Stop(Stop::new(
                FailureKind::Timeout,
                "the TLS handshake did not complete in time",
            ))),
            Ok(Ok(stream)) => {
                self.r.tls = Some(tls::session_info(
                    stream.get_ref().1,
                    &observer.observation(),
                    setup.trust,
                    &name_text,
                    self.ctx.now_unix,
                ));
                self.r.bytes_received = stream.get_ref().0.received();
                Ok(Conn::Tls(Box::new(stream)))
            }
            Ok(Err((e, mut counted))) => {
                self.r.bytes_received = counted.received();
                if looks_like_text(counted.first_bytes()) {
                    let wait = self
                        .deadline
                        .min(Instant::now() + Duration::from_millis(500));
                    counted.finish_cleartext_line(wait).await;
                    let first = counted.first_bytes();
                    if implicit {
                        return Err(cleartext_answer(first, self.protocol));
                    }
                    let text = String::from_utf8_lossy(first);
                    let line = text.lines().next().unwrap_or("");
                    return Err(HsFail::Stop(Stop::new(
                        FailureKind::Tls,
                        format!(
                            "the server answered in cleartext where the TLS handshake should be: {}",
                            Quoted(&clip(line, 300))
                        ),
                    )));
                }
                Err(handshake_error(&e))
            }
        }
    }

    /// After a refused modern handshake: a ClientHello offering TLS 1.0–1.2 with the older cipher
    /// suites, on a new connection (after STARTTLS when `starttls` is the endpoint's dialect),
    /// tells which version and suite the server would use.
    async fn legacy(&mut self, starttls: Option<&'static dyn Dialect>) {
        let t = self.begin(StageKind::LegacyTls);
        let Some(addr) = self.address() else {
            return;
        };
        let deadline = self.deadline.min(Instant::now() + Duration::from_secs(5));
        let host = self.tls_name();
        let answer = legacy_tls::hello(
            addr,
            deadline,
            starttls,
            &self.client_name,
            &host,
            legacy_tls::TLS1_2,
        )
        .await;
        let modern = self
            .r
            .failure
            .as_ref()
            .map(|f| f.message.clone())
            .unwrap_or_default();
        let set_failure = |r: &mut EndpointReport, kind, message| {
            if let Some(f) = &mut r.failure {
                f.kind = kind;
                f.message = message;
            }
        };
        match answer {
            Ok(LegacyAnswer::Speaks { version, suite }) => {
                let v = legacy_tls::version_name(version);
                let suite_text = match suite_names(suite) {
                    Some(n) => format!("{} (OpenSSL: {})", n.iana, n.openssl),
                    None => format!("suite 0x{suite:04x}"),
                };
                self.record(
                    StageKind::LegacyTls,
                    t,
                    true,
                    format!("the server answers {v} with {suite_text}"),
                );
                if version < legacy_tls::TLS1_2 {
                    set_failure(
                        &mut self.r,
                        FailureKind::TlsObsolete,
                        format!("the server refused TLS 1.2 and 1.3 and speaks {v} ({modern})"),
                    );
                } else if let Some(n) = suite_names(suite).filter(|n| !n.modern()) {
                    let why = if !n.forward_secrecy {
                        "RSA key exchange, without forward secrecy"
                    } else if n.ffdhe {
                        "finite-field Diffie-Hellman, which RFC 9325 retires"
                    } else {
                        "CBC encryption, which RFC 9325 retires"
                    };
                    set_failure(
                        &mut self.r,
                        FailureKind::TlsLegacyCiphers,
                        format!(
                            "the server speaks TLSv1.2, but only with cipher suites this probe does not offer (it offers ECDHE with AES-GCM or ChaCha20, as current clients prefer): the server chose {suite_text}: {why}"
                        ),
                    );
                }
            }
            Ok(LegacyAnswer::Alert(a)) => self.record(
                StageKind::LegacyTls,
                t,
                false,
                format!(
                    "the server refused TLS 1.0-1.2 with the older cipher suites too ({})",
                    legacy_tls::alert_name(a)
                ),
            ),
            Ok(LegacyAnswer::Other) => self.record(
                StageKind::LegacyTls,
                t,
                false,
                "no TLS ServerHello to a TLS 1.0-1.2 ClientHello either".into(),
            ),
            Err(e) => self.record(StageKind::LegacyTls, t, false, e),
        }
    }

    /// The name TLS is checked for (and sent as SNI).
    fn tls_name(&self) -> String {
        self.ctx
            .tls_name
            .clone()
            .unwrap_or_else(|| self.spec.host.clone())
    }

    /// The check for TLS 1.1 and 1.0 still accepted, as a future that owns what it needs (it
    /// runs beside the main conversation).
    fn old_versions_check(
        &self,
        starttls: Option<&'static dyn Dialect>,
    ) -> SideCheck<'static, Vec<u16>> {
        let addr = self.address();
        let deadline = self.deadline;
        let client_name = self.client_name.clone();
        let host = self.tls_name();
        Box::pin(async move {
            let addr = addr?;
            Some(
                side(legacy_tls::accepted_versions(
                    addr,
                    deadline,
                    starttls,
                    &client_name,
                    &host,
                ))
                .await,
            )
        })
    }

    /// Records the injection test, judged knowing whether STARTTLS worked on the main connection.
    fn record_injection(&mut self, injection: Option<Side<Outcome>>, upgraded: bool) {
        let Some(inj) = injection else {
            return;
        };
        let d = self.protocol.map(dialect::dialect);
        let mut verdict = inj.result.clone().judge(upgraded);
        // The POP3 test tells the answers apart by CAPA succeeding: without CAPA it cannot tell.
        if d.is_some_and(|d| d.injection_test("").needs_capabilities)
            && self.r.capabilities.before_tls.is_none()
            && !matches!(inj.result, Outcome::Refused(_))
        {
            verdict = Injection::Inconclusive {
                why: "the server does not support CAPA, which the test relies on".into(),
            };
        }
        let (ok, detail) = injection::describe(&verdict);
        self.record_side(StageKind::InjectionTest, &inj, ok, detail);
        if let Some(st) = &mut self.r.starttls {
            st.injection = verdict;
        }
    }

    /// Records the old versions check, once TLS worked on the main connection.
    fn record_versions(&mut self, versions: Option<Side<Vec<u16>>>) {
        let Some(v) = versions else {
            return;
        };
        let Some(tls) = self.r.tls.as_mut() else {
            return;
        };
        let names: Vec<String> = v
            .result
            .iter()
            .map(|&x| legacy_tls::version_name(x))
            .collect();
        tls.legacy_versions = names.clone();
        let detail = if names.is_empty() {
            "TLS 1.1 and 1.0 refused".to_string()
        } else {
            format!("the server still accepts {}", names.join(" and "))
        };
        self.record_side(StageKind::OldTlsVersions, &v, names.is_empty(), detail);
    }

    /// Reads the greeting; returns the dialect of its protocol (expected, or recognised).
    async fn greeting(&mut self, lines: &mut Lines) -> Option<&'static dyn Dialect> {
        let t = self.begin(StageKind::Greeting);
        let res = read_greeting(lines, self.protocol).await;
        self.note_bytes(lines);
        match res {
            Ok((d, greeting)) => {
                self.protocol = Some(d.protocol());
                // One line in the timeline: an SMTP greeting's lines joined.
                self.record(
                    StageKind::Greeting,
                    t,
                    true,
                    clip(&greeting.lines.join(" / "), 200),
                );
                self.r.greeting = Some(greeting.text());
                Some(d)
            }
            Err((stop, text)) => {
                if let Some(text) = text {
                    self.r.greeting = Some(text);
                }
                let stop = if stop.kind == FailureKind::Timeout && !lines.conn().is_tls() {
                    Stop::new(
                        FailureKind::Timeout,
                        format!(
                            "no greeting within {} s (a server that waits for the client to speak first: HTTP, or implicit TLS where cleartext was expected?)",
                            number(self.ctx.timeout.as_secs_f64())
                        ),
                    )
                } else if stop.kind == FailureKind::Timeout {
                    Stop::new(
                        FailureKind::Timeout,
                        format!(
                            "no greeting within {} s after the TLS handshake",
                            number(self.ctx.timeout.as_secs_f64())
                        ),
                    )
                } else {
                    stop
                };
                self.fail(StageKind::Greeting, t, stop);
                None
            }
        }
    }

    /// Asks for the capabilities (IMAP CAPABILITY, POP3 CAPA, SMTP EHLO) and records them, with
    /// the authentication they offer and the protocol's details. An empty list when the server
    /// lists none.
    async fn capabilities(
        &mut self,
        lines: &mut Lines,
        d: &dyn Dialect,
        after_tls: bool,
    ) -> Option<Vec<String>> {
        let stage = if after_tls {
            StageKind::CapabilitiesAfterTls
        } else {
            StageKind::Capabilities
        };
        let t = self.begin(stage);
        let tag = self.next_tag();
        let res = exchange(lines, d, &d.capability_command(&tag, &self.client_name)).await;
        self.note_bytes(lines);
        let listed = match res {
            Ok(reply) => d.capabilities(&reply),
            Err(stop) => {
                self.fail(stage, t, stop);
                return None;
            }
        };
        let known = listed.is_some();
        let caps = listed.unwrap_or_default();
        let detail = if known {
            clip(&caps.join(" "), 400)
        } else {
            d.no_capabilities().into()
        };
        self.record(stage, t, true, detail);
        if known {
            let greeting = self.r.greeting.clone().unwrap_or_default();
            d.details(&caps, &greeting, &mut self.r);
        }
        let methods = known.then(|| d.login_methods(&caps));
        if after_tls {
            self.r.capabilities.after_tls = known.then(|| caps.clone());
            self.r.auth.after_tls = methods;
        } else {
            self.r.capabilities.before_tls = known.then(|| caps.clone());
            self.r.auth.before_tls = methods;
            self.r.auth.cleartext_password_offered = known && d.password_login_offered(&caps);
            if known {
                self.r.auth.login_disabled_before_tls = d.login_disabled(&caps);
            }
        }
        Some(caps)
    }

    /// Cleartext: greeting, capabilities, STARTTLS (with the injection test, the old TLS versions
    /// and the cleartext login check beside it), then the conversation inside TLS.
    async fn plain(&mut self, mut lines: Lines) {
        let Some(d) = self.greeting(&mut lines).await else {
            return;
        };
        self.r.security = Some(Security::None);
        let Some(caps) = self.capabilities(&mut lines, d, false).await else {
            return;
        };
        let advertised = d.starttls_advertised(&caps);
        let user_check = {
            let (addr, deadline) = (self.address(), self.deadline);
            let command = d.cleartext_login_check(&caps);
            async move {
                match (addr, command) {
                    (Some(addr), Some(c)) => {
                        Some(side(cleartext_login_check(addr, deadline, d, c)).await)
                    }
                    _ => None,
                }
            }
        };
        // Begun with the connection already when the endpoint's protocol was known.
        let here = advertised && !self.early.injection;
        let (injection, versions) = if here {
            (
                Some(self.injection_check(d)),
                Some(self.old_versions_check(Some(d))),
            )
        } else {
            (None, None)
        };
        let side_checks = async {
            let injection = async {
                match injection {
                    Some(f) => f.await,
                    None => None,
                }
            };
            let versions = async {
                match versions {
                    Some(f) => f.await,
                    None => None,
                }
            };
            tokio::join!(injection, versions, user_check)
        };
        let ((), (mut injection, mut versions, user)) =
            tokio::join!(self.starttls(lines, d, advertised), side_checks);
        let upgraded = self.r.security == Some(Security::Starttls);
        if upgraded && !advertised && !self.early.injection {
            // STARTTLS works without being announced (stripped by a middlebox?): the checks that
            // wait for an announced STARTTLS run now.
            let i = self.injection_check(d);
            let v = self.old_versions_check(Some(d));
            (injection, versions) = tokio::join!(i, v);
        }
        if !self.early.injection {
            self.record_injection(injection, upgraded);
        }
        if upgraded && !self.early.versions {
            self.record_versions(versions);
        }
        if let Some(u) = user {
            let (ok, detail) = match &u.result {
                Ok((true, words)) => (
                    false,
                    format!(
                        "USER before TLS taken ({}): a password would follow in cleartext",
                        clip(words, 120)
                    ),
                ),
                Ok((false, words)) => {
                    self.r.auth.cleartext_refused = Some(clip(words, 200));
                    (
                        true,
                        format!("USER before TLS refused: {}", clip(words, 120)),
                    )
                }
                Err(e) => (true, format!("could not tell: {e}")),
            };
            self.record_side(StageKind::CleartextLoginCheck, &u, ok, detail);
            if self.r.auth.cleartext_refused.is_some() {
                // The command it announces is refused: what is left offers a password?
                let left = d.cleartext_methods(&caps).into_iter().any(|m| m != "USER");
                self.r.auth.cleartext_password_offered = left;
            }
        }
    }

    /// The STARTTLS command-injection test as a future that owns what it needs.
    fn injection_check(&self, d: &'static dyn Dialect) -> SideCheck<'a, Outcome> {
        let addr = self.address();
        let deadline = self.deadline;
        let client_name = self.client_name.clone();
        let host = self.spec.host.clone();
        let ctx: &'a Ctx = self.ctx;
        Box::pin(async move {
            let addr = addr?;
            Some(
                side(injection::check(
                    ctx,
                    addr,
                    d,
                    deadline,
                    &client_name,
                    &host,
                ))
                .await,
            )
        })
    }

    async fn starttls(&mut self, mut lines: Lines, d: &'static dyn Dialect, advertised: bool) {
        let t = self.begin(StageKind::Starttls);
        let tag = self.next_tag();
        let (accepted, response) = match exchange(&mut lines, d, &d.starttls_command(&tag)).await {
            Ok(reply) => (d.status(&reply) == Status::Positive, d.words(&reply)),
            Err(stop) => {
                self.fail(StageKind::Starttls, t, stop);
                return;
            }
        };
        self.r.starttls = Some(StarttlsInfo {
            advertised,
            accepted,
            response: clip(&response, 200),
            discarded_bytes: 0,
            injection: Injection::NotTested,
        });
        if !accepted {
            let (kind, what) = if advertised {
                (
                    FailureKind::StarttlsRefused,
                    "STARTTLS is advertised but refused",
                )
            } else {
                (
                    FailureKind::StarttlsUnavailable,
                    "STARTTLS is neither advertised nor accepted",
                )
            };
            self.fail(
                StageKind::Starttls,
                t,
                Stop::new(kind, format!("{what}: {}", Quoted(&clip(&response, 120)))),
            );
            let tag = self.next_tag();
            logout(&mut lines, d, &tag, &mut self.r, self.t0).await;
            lines.close().await;
            return;
        }
        self.record(StageKind::Starttls, t, true, clip(&response, 120));
        // Anything the server sent after its "go ahead" arrived in cleartext: drop it unread.
        let (conn, discarded) = lines.into_conn_discarding();
        if let Some(st) = &mut self.r.starttls {
            st.discarded_bytes = discarded;
        }
        let Conn::Plain(counted) = conn else {
            return;
        };
        // TLS has begun: whatever happens now, the conversation is no longer a cleartext one.
        self.r.security = None;
        let t = self.begin(StageKind::Tls);
        match self.handshake(counted, false).await {
            Ok(conn) => {
                self.record_tls(t, false);
                self.r.security = Some(Security::Starttls);
                self.over_tls(Lines::new(conn, self.deadline), Some(d))
                    .await;
            }
            Err(HsFail::Legacy(stop)) => {
                self.fail(StageKind::Tls, t, stop);
                self.legacy(Some(d)).await;
            }
            Err(HsFail::Stop(stop)) => self.fail(StageKind::Tls, t, stop),
            Err(HsFail::Cleartext { line, .. }) => self.fail(
                StageKind::Tls,
                t,
                Stop::new(
                    FailureKind::Tls,
                    format!(
                        "the server answered in cleartext where the TLS handshake should be: {}",
                        Quoted(&clip(&line, 300))
                    ),
                ),
            ),
        }
    }

    /// Inside TLS: the greeting (implicit TLS only: `d` is `None` until it names the protocol),
    /// capabilities, then logout — or, with `--login` on a secure endpoint, the connection is
    /// parked for the login the probe may choose to make here.
    async fn over_tls(&mut self, mut lines: Lines, d: Option<&'static dyn Dialect>) {
        let d = match d {
            Some(d) => d,
            None => match self.greeting(&mut lines).await {
                Some(d) => d,
                None => return,
            },
        };
        let Some(caps) = self.capabilities(&mut lines, d, true).await else {
            return;
        };
        self.r.secure = self.r.tls.as_ref().is_some_and(|t| t.verified);
        if self.ctx.login.is_some() && self.r.secure {
            self.parked = Some(Parked {
                lines,
                d,
                caps,
                tag: self.tag,
                t0: self.t0,
            });
            return;
        }
        let tag = self.next_tag();
        logout(&mut lines, d, &tag, &mut self.r, self.t0).await;
        lines.close().await;
    }
}

/// Runs a login exchange: each step after the go-ahead to the one before. Returns the result and
/// the server's last words, with the password scrubbed should the server echo it.
async fn run_login(
    lines: &mut Lines,
    d: &dyn Dialect,
    login: &dialect::Login,
    creds: &Credentials,
) -> Result<(LoginResult, String), Stop> {
    let mut reply = Reply::default();
    for (i, step) in login.steps.iter().enumerate() {
        let more = i + 1 < login.steps.len();
        let expect = Expect {
            go_ahead: more,
            ..login.expect.clone()
        };
        // The line carries the credentials: build it where it is wiped after sending.
        let mut line = zeroize::Zeroizing::new(Vec::with_capacity(step.expose().len() + 2));
        line.extend_from_slice(step.expose().as_bytes());
        line.extend_from_slice(b"\r\n");
        lines.send(&line).await?;
        reply = Reply::default();
        read_reply(lines, d, &expect, None, &mut reply).await?;
        if !more || d.status(&reply) != login.proceed_on {
            break;
        }
    }
    let words = creds.scrub(&clip(&d.words(&reply), 300));
    let result = if d.status(&reply) == Status::Positive {
        LoginResult::Accepted
    } else if let Some(why) = d.login_deferred(&reply) {
        return Ok((
            LoginResult::Inconclusive,
            format!("{words} ({why}; nothing is known about the password)"),
        ));
    } else {
        LoginResult::Rejected
    };
    Ok((result, words))
}

/// The first bytes look like text (a line of a protocol), not TLS records.
fn looks_like_text(first: &[u8]) -> bool {
    first
        .first()
        .is_some_and(|&b| b != 0x15 && b != 0x16 && (b.is_ascii_graphic() || b == b' '))
}

/// The first bytes of a failed implicit-TLS handshake, text: a cleartext mail greeting (fall
/// back), or another service's text (wrong protocol).
fn cleartext_answer(first: &[u8], expected: Option<Protocol>) -> HsFail {
    let text = String::from_utf8_lossy(first);
    let line = text.lines().next().unwrap_or("").to_string();
    match classify(&line) {
        Greeting::Mail { protocol, .. } => HsFail::Cleartext { line, protocol },
        _ => HsFail::Stop(Stop::new(
            FailureKind::WrongProtocol,
            format!(
                "no TLS here, and not a mail server: {}",
                wrong_protocol(expected, &line).message
            ),
        )),
    }
}

fn handshake_error(e: &std::io::Error) -> HsFail {
    use rustls::{AlertDescription as A, PeerIncompatible as P};
    let Some(rerr) = e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) else {
        return HsFail::Stop(match e.kind() {
            std::io::ErrorKind::UnexpectedEof => Stop::new(
                FailureKind::Closed,
                "the server closed the connection during the TLS handshake",
            ),
            std::io::ErrorKind::ConnectionReset => Stop::new(
                FailureKind::Closed,
                "the server reset the connection during the TLS handshake",
            ),
            _ => Stop::new(FailureKind::Tls, format!("TLS handshake failed: {e}")),
        });
    };
    let msg = match rerr {
        rustls::Error::AlertReceived(a) => format!(
            "TLS handshake failed: the server sent the alert {}",
            legacy_tls::alert_name(u8::from(*a))
        ),
        other => format!("TLS handshake failed: {other}"),
    };
    match rerr {
        rustls::Error::AlertReceived(
            A::ProtocolVersion | A::HandshakeFailure | A::InsufficientSecurity,
        )
        | rustls::Error::PeerIncompatible(
            P::ServerDoesNotSupportTls12Or13
            | P::ServerTlsVersionIsDisabledByOurConfig
            | P::NoCipherSuitesInCommon,
        ) => HsFail::Legacy(Stop::new(FailureKind::Tls, msg)),
        _ => HsFail::Stop(Stop::new(FailureKind::Tls, msg)),
    }
}

#[cfg(test)]
mod tests {
    /// An endpoint's future stays small: it is built on the stack before it is spawned, and once
    /// the side checks sat inside it (112 KB) a test thread's 2 MB stack overflowed.
    #[test]
    fn an_endpoints_future_is_small() {
        let ctx = std::sync::Arc::new(super::Ctx::new(
            std::time::Duration::from_secs(1),
            super::Trust::WebPkiRoots,
            None,
            None,
            0,
            None,
            None,
        ));
        let spec = super::super::target::Spec::new(0, "h", 1, None, None, super::Role::Given, 0);
        let size = std::mem::size_of_val(&super::run(ctx, spec, 0));
        assert!(size < 32 * 1024, "{size} bytes");
    }
}
