//! One endpoint's conversation: resolve, connect, TLS (implicit, or STARTTLS with its injection test
//! on a second connection), greeting, capabilities before and after TLS, an optional login, logout.
//! Every stage is timed and bounded by the endpoint's deadline; the first failure ends the
//! conversation and is recorded with its stage.

use super::dialect::{self, address_literal, classify, clip, wrong_protocol, Dialect, Expect};
use super::dialect::{Greeting, Reply, Status, Stop};
use super::io::{exchange, read_greeting, read_reply, Conn, Counted, Lines};
use super::legacy_tls::{self, LegacyAnswer};
use super::report::*;
use super::target::Spec;
use super::tls::{self, TlsSetup, Trust};
use super::{injection, Credentials, Progress, ProgressFn};
use crate::model::{Protocol, Security};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio::time::{timeout, timeout_at, Instant};
use tokio_rustls::TlsConnector;

/// What every endpoint of one probe shares.
pub struct Ctx {
    pub timeout: Duration,
    pub trust: Trust,
    tls: OnceLock<Result<TlsSetup, String>>,
    pub tls_name: Option<String>,
    pub login: Option<Credentials>,
    pub now_unix: i64,
    pub progress: Option<ProgressFn>,
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
    ) -> Ctx {
        Ctx {
            timeout,
            trust,
            tls: OnceLock::new(),
            tls_name,
            login,
            now_unix,
            progress,
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
            let result = match timeout(self.timeout, tokio::net::lookup_host((host, 0))).await {
                Err(_) => Err(format!(
                    "no answer from DNS within {:.0} s",
                    self.timeout.as_secs_f64()
                )),
                Ok(Err(e)) => Err(e.to_string()),
                Ok(Ok(addrs)) => {
                    let mut ips: Vec<IpAddr> = Vec::new();
                    for a in addrs {
                        if !ips.contains(&a.ip()) {
                            ips.push(a.ip());
                        }
                    }
                    if ips.is_empty() {
                        Err("the name has no address".into())
                    } else {
                        Ok(ips)
                    }
                }
            };
            Resolution {
                result,
                ms: ms(t.elapsed()),
                literal: false,
            }
        })
        .await
        .clone()
    }
}

/// Milliseconds, to the microsecond.
pub fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}

/// Probes one endpoint.
pub async fn run(ctx: Arc<Ctx>, spec: Spec, index: usize) -> EndpointReport {
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
    };
    ep.run().await;
    ep.r.protocol = ep.protocol;
    if let (Some(creds), None, Some(_)) = (&ctx.login, &ep.r.login, &ep.r.greeting) {
        // The conversation never reached the login: say why nothing was sent.
        let tls = matches!(ep.r.security, Some(Security::Tls | Security::Starttls));
        let response = if !tls {
            "no TLS on this endpoint; the password is never sent in cleartext".to_string()
        } else if !ep.r.tls.as_ref().is_some_and(|t| t.verified) {
            "the certificate did not verify; the password is never sent to a server that cannot be authenticated".to_string()
        } else {
            format!(
                "the conversation stopped before the login: {}",
                ep.r.failure.as_ref().map_or("", |f| f.message.as_str())
            )
        };
        ep.r.login = Some(LoginInfo {
            user: creds.user.clone(),
            result: LoginResult::NotAttempted,
            mechanism: None,
            response,
        });
    }
    ep.r.ms = ms(t0.elapsed());
    // The injection test ran beside the main conversation: show stages in the order they began.
    ep.r.timeline
        .sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
    ep.progress("done", true);
    ep.r
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
}

/// How an implicit-TLS attempt ended.
enum Implicit {
    Done,
    /// The server greeted in cleartext: go on without TLS first.
    Cleartext,
}

/// Why a handshake failed.
enum HsFail {
    /// A cleartext mail greeting arrived instead of a ServerHello.
    Cleartext {
        line: String,
        protocol: Protocol,
    },
    /// The server refused TLS 1.2 and 1.3 (a version alert or an old ServerHello).
    Legacy(Stop),
    Stop(Stop),
}

impl Ep<'_> {
    fn progress(&self, stage: &'static str, done: bool) {
        if let Some(p) = &self.ctx.progress {
            p(&Progress {
                index: self.index,
                label: endpoint_label(
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
        self.r.timeline.push(Stage {
            stage,
            start_ms: ms(started - self.t0),
            ms: ms(started.elapsed()),
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

    async fn run(&mut self) {
        let Some(addrs) = self.resolve().await else {
            return;
        };
        if self.spec.tls_first {
            if let Implicit::Done = self.implicit(&addrs).await {
                return;
            }
        }
        self.plain(&addrs).await;
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
            match timeout(share, TcpStream::connect(sa)).await {
                Ok(Ok(s)) => {
                    let _ = s.set_nodelay(true);
                    if let Ok(local) = s.local_addr() {
                        self.client_name = address_literal(local.ip());
                    }
                    self.r.address = Some(sa.to_string());
                    self.record(StageKind::Connect, t, true, sa.to_string());
                    return Some(s);
                }
                Ok(Err(e)) => {
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
                        _ => (FailureKind::ConnectFailed, e.to_string()),
                    }
                }
                Err(_) => {
                    kind = FailureKind::ConnectFailed;
                    last = format!("no answer within {:.1} s", share.as_secs_f64());
                }
            }
            if addrs.len() > 1 {
                last = format!("{sa}: {last}");
            }
        }
        self.fail(StageKind::Connect, t, Stop::new(kind, last));
        None
    }

    /// Opens with a TLS handshake.
    async fn implicit(&mut self, addrs: &[IpAddr]) -> Implicit {
        let Some(stream) = self.connect(addrs).await else {
            return Implicit::Done;
        };
        let t = self.begin(StageKind::Tls);
        match self.handshake(Counted::new(stream), true).await {
            Ok(conn) => {
                self.record_tls(t);
                self.r.security = Some(Security::Tls);
                let lines = Lines::new(conn, self.deadline);
                self.over_tls(lines, None).await;
                Implicit::Done
            }
            Err(HsFail::Cleartext { line, protocol }) => {
                self.record(
                    StageKind::Tls,
                    t,
                    false,
                    format!(
                        "no TLS here: the server greeted in cleartext ({:?}); retrying without TLS",
                        clip(&line, 80)
                    ),
                );
                self.r.implicit_tls_answered_in_cleartext = true;
                if self.protocol.is_some_and(|p| p != protocol) {
                    let stop = wrong_protocol(self.protocol, &line);
                    self.fail(StageKind::Greeting, Instant::now(), stop);
                    return Implicit::Done;
                }
                self.protocol = Some(protocol);
                Implicit::Cleartext
            }
            Err(HsFail::Legacy(stop)) => {
                self.fail(StageKind::Tls, t, stop.clone());
                self.legacy(addrs, stop).await;
                Implicit::Done
            }
            Err(HsFail::Stop(stop)) => {
                self.fail(StageKind::Tls, t, stop);
                Implicit::Done
            }
        }
    }

    fn record_tls(&mut self, t: Instant) {
        let detail = match &self.r.tls {
            Some(i) => format!(
                "{} {}{}; certificate {}",
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
    /// `self.r.tls`.
    async fn handshake(&mut self, counted: Counted, implicit: bool) -> Result<Conn, HsFail> {
        let setup = self.ctx.tls().map_err(HsFail::Stop)?;
        let (config, observer) = setup.config();
        let name_text = self
            .ctx
            .tls_name
            .clone()
            .unwrap_or_else(|| self.spec.host.clone());
        let name = tls::server_name(&name_text)
            .map_err(|e| HsFail::Stop(Stop::new(FailureKind::Tls, e)))?;
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
            Ok(Err((e, counted))) => {
                self.r.bytes_received = counted.received();
                if implicit {
                    if let Some(fail) = cleartext_answer(counted.first_bytes(), self.protocol) {
                        return Err(fail);
                    }
                }
                Err(handshake_error(&e))
            }
        }
    }

    /// After a refused modern handshake: a legacy ClientHello on a new connection tells whether the
    /// server speaks TLS 1.0/1.1 only.
    async fn legacy(&mut self, addrs: &[IpAddr], modern: Stop) {
        let t = self.begin(StageKind::LegacyTls);
        let addr = self
            .r
            .address
            .as_deref()
            .and_then(|a| a.parse::<SocketAddr>().ok())
            .unwrap_or_else(|| SocketAddr::new(addrs[0], self.spec.port));
        let deadline = self.deadline.min(Instant::now() + Duration::from_secs(5));
        let starttls = (!self.spec.tls_first || self.r.security.is_some())
            .then_some(self.protocol)
            .flatten()
            .map(dialect::dialect);
        let answer =
            legacy_tls::check(addr, deadline, starttls, &self.client_name, &self.spec.host).await;
        match answer {
            Ok(LegacyAnswer::Speaks(v)) if v != "TLSv1.2" => {
                self.record(
                    StageKind::LegacyTls,
                    t,
                    true,
                    format!("the server answers {v}"),
                );
                if let Some(f) = &mut self.r.failure {
                    f.kind = FailureKind::TlsObsolete;
                    f.message = format!(
                        "the server refused TLS 1.2 and 1.3 and speaks {v}: {}",
                        modern.message
                    );
                }
            }
            Ok(LegacyAnswer::Alert(a)) => self.record(
                StageKind::LegacyTls,
                t,
                false,
                format!("the server refused TLS 1.0/1.1 too (alert {a})"),
            ),
            Ok(other) => self.record(
                StageKind::LegacyTls,
                t,
                false,
                format!("no legacy TLS either ({other:?})"),
            ),
            Err(e) => self.record(StageKind::LegacyTls, t, false, e),
        }
    }

    /// Reads the greeting; returns the dialect of its protocol (expected, or recognised).
    async fn greeting(&mut self, lines: &mut Lines) -> Option<&'static dyn Dialect> {
        let t = self.begin(StageKind::Greeting);
        let res = read_greeting(lines, self.protocol).await;
        self.note_bytes(lines);
        match res {
            Ok((d, greeting)) => {
                let text = greeting.text();
                self.protocol = Some(d.protocol());
                self.record(StageKind::Greeting, t, true, clip(&text, 200));
                self.r.greeting = Some(text);
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
                            "no greeting within {:.1} s (a server that waits for the client to speak first: HTTP, or implicit TLS where cleartext was expected?)",
                            self.ctx.timeout.as_secs_f64()
                        ),
                    )
                } else if stop.kind == FailureKind::Timeout {
                    Stop::new(
                        FailureKind::Timeout,
                        format!(
                            "no greeting within {:.1} s after the TLS handshake",
                            self.ctx.timeout.as_secs_f64()
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
        let mechs = known.then(|| d.mechanisms(&caps));
        if after_tls {
            self.r.capabilities.after_tls = known.then(|| caps.clone());
            self.r.auth.after_tls = mechs;
        } else {
            self.r.capabilities.before_tls = known.then(|| caps.clone());
            self.r.auth.before_tls = mechs;
            self.r.auth.cleartext_password_offered = known && d.password_login_offered(&caps);
            if known {
                self.r.auth.login_disabled_before_tls = d.login_disabled(&caps);
            }
        }
        Some(caps)
    }

    /// Cleartext: greeting, capabilities, STARTTLS (and the injection test beside it), then the
    /// conversation inside TLS.
    async fn plain(&mut self, addrs: &[IpAddr]) {
        let Some(stream) = self.connect(addrs).await else {
            return;
        };
        let peer = stream.peer_addr().ok();
        let mut lines = Lines::new(Conn::Plain(Counted::new(stream)), self.deadline);
        let Some(d) = self.greeting(&mut lines).await else {
            return;
        };
        self.r.security = Some(Security::None);
        let Some(caps) = self.capabilities(&mut lines, d, false).await else {
            return;
        };
        let advertised = d.starttls_advertised(&caps);
        let caps_known = self.r.capabilities.before_tls.is_some();
        let ctx = self.ctx;
        let deadline = self.deadline;
        let client_name = self.client_name.clone();
        let host = self.spec.host.clone();
        let injection = async move {
            match peer {
                Some(addr) if advertised => {
                    let t = Instant::now();
                    let inj =
                        injection::check(ctx, addr, d, deadline, &client_name, &host, caps_known)
                            .await;
                    Some((t, t.elapsed(), inj))
                }
                _ => None,
            }
        };
        let ((), inj) = tokio::join!(self.starttls(lines, d, advertised), injection);
        if let Some((t, took, inj)) = inj {
            let upgraded = self.r.security == Some(Security::Starttls);
            let inj = match inj {
                Injection::NotVulnerable { .. } if !upgraded => Injection::Inconclusive {
                    why: "STARTTLS did not work on this endpoint".into(),
                },
                other => other,
            };
            let (ok, detail) = injection::describe(&inj);
            self.r.timeline.push(Stage {
                stage: StageKind::InjectionTest,
                start_ms: ms(t - self.t0),
                ms: ms(took),
                ok,
                detail,
            });
            if let Some(st) = &mut self.r.starttls {
                st.injection = inj;
            }
        }
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
                Stop::new(kind, format!("{what}: {:?}", clip(&response, 120))),
            );
            self.logout(lines, d).await;
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
        let t = self.begin(StageKind::Tls);
        match self.handshake(counted, false).await {
            Ok(conn) => {
                self.record_tls(t);
                self.r.security = Some(Security::Starttls);
                self.over_tls(Lines::new(conn, self.deadline), Some(d))
                    .await;
            }
            Err(HsFail::Legacy(stop)) => {
                self.fail(StageKind::Tls, t, stop.clone());
                let addrs: Vec<IpAddr> = self
                    .r
                    .address
                    .as_deref()
                    .and_then(|a| a.parse::<SocketAddr>().ok())
                    .map(|a| vec![a.ip()])
                    .unwrap_or_default();
                if !addrs.is_empty() {
                    self.legacy(&addrs, stop).await;
                }
            }
            Err(HsFail::Stop(stop)) => self.fail(StageKind::Tls, t, stop),
            Err(HsFail::Cleartext { line, .. }) => self.fail(
                StageKind::Tls,
                t,
                Stop::new(
                    FailureKind::Tls,
                    format!(
                        "cleartext where the TLS handshake should be: {:?}",
                        clip(&line, 80)
                    ),
                ),
            ),
        }
    }

    /// Inside TLS: the greeting (implicit TLS only: `d` is `None` until it names the protocol),
    /// capabilities, login, logout.
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
        if self.ctx.login.is_some() {
            self.login(&mut lines, d, &caps).await;
            if self.r.failure.is_some() {
                return;
            }
        }
        self.logout(lines, d).await;
    }

    /// The credential check. The one place credentials are written to a connection: only inside
    /// TLS whose certificate verified for the host name.
    async fn login(&mut self, lines: &mut Lines, d: &dyn Dialect, caps: &[String]) {
        let Some(creds) = self.ctx.login.as_ref() else {
            return;
        };
        let verified = self.r.tls.as_ref().is_some_and(|t| t.verified);
        let not = |why: &str| LoginInfo {
            user: creds.user.clone(),
            result: LoginResult::NotAttempted,
            mechanism: None,
            response: why.to_string(),
        };
        if !lines.conn().is_tls() {
            self.r.login = Some(not(
                "no TLS on this connection; the password is never sent in cleartext",
            ));
            return;
        }
        if !verified {
            self.r.login = Some(not("the certificate did not verify; the password is never sent to a server that cannot be authenticated"));
            return;
        }
        let t = self.begin(StageKind::Login);
        let tag = self.next_tag();
        let res = match d.login(&tag, caps, creds) {
            Err(no) => Ok((LoginResult::NotAttempted, no.mechanism, no.why)),
            Ok(login) => run_login(lines, d, &login, creds)
                .await
                .map(|(result, words)| (result, login.mechanism, words)),
        };
        match res {
            Ok((result, mechanism, response)) => {
                let ok = result == LoginResult::Accepted;
                let detail = match result {
                    LoginResult::Accepted => format!(
                        "{} accepted {} ({mechanism})",
                        clip(&response, 100),
                        creds.user
                    ),
                    LoginResult::Rejected => {
                        format!("rejected ({mechanism}): {}", clip(&response, 160))
                    }
                    LoginResult::NotAttempted => format!("not attempted: {response}"),
                };
                self.record(StageKind::Login, t, ok, detail);
                self.r.login = Some(LoginInfo {
                    user: creds.user.clone(),
                    result,
                    mechanism: (!mechanism.is_empty()).then(|| mechanism.to_string()),
                    response,
                });
            }
            Err(stop) => {
                self.r.login = Some(LoginInfo {
                    user: creds.user.clone(),
                    result: LoginResult::Rejected,
                    mechanism: None,
                    response: stop.message.clone(),
                });
                self.fail(StageKind::Login, t, stop);
            }
        }
    }

    /// Says goodbye and waits (briefly) for the answer, then closes.
    async fn logout(&mut self, mut lines: Lines, d: &dyn Dialect) {
        let t = self.begin(StageKind::Logout);
        let tag = self.next_tag();
        let res = exchange(&mut lines, d, &d.quit_command(&tag)).await;
        self.note_bytes(&lines);
        // A goodbye that goes wrong is shown, but is not a failure of the endpoint.
        match res {
            Ok(reply) => self.record(StageKind::Logout, t, true, clip(&d.words(&reply), 120)),
            Err(stop) => self.record(StageKind::Logout, t, false, stop.message),
        }
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
    let result = if d.status(&reply) == Status::Positive {
        LoginResult::Accepted
    } else {
        LoginResult::Rejected
    };
    Ok((result, creds.scrub(&clip(&d.words(&reply), 300))))
}

/// The first bytes of a failed implicit-TLS handshake: a cleartext mail greeting (fall back), or
/// another service's text (wrong protocol). `None`: TLS records, or nothing.
fn cleartext_answer(first: &[u8], expected: Option<Protocol>) -> Option<HsFail> {
    let b = *first.first()?;
    if b == 0x15 || b == 0x16 || !(b.is_ascii_graphic() || b == b' ') {
        return None;
    }
    let text = String::from_utf8_lossy(first);
    let line = text.lines().next().unwrap_or("").to_string();
    match classify(&line) {
        Greeting::Mail { protocol, .. } => Some(HsFail::Cleartext { line, protocol }),
        _ => Some(HsFail::Stop(Stop::new(
            FailureKind::WrongProtocol,
            format!(
                "no TLS here, and not a mail server: {}",
                wrong_protocol(expected, &line).message
            ),
        ))),
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
    let msg = format!("TLS handshake failed: {rerr}");
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
