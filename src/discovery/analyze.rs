//! From evidence to an answer: every candidate server with where it came from and how far to
//! trust it, validated with the rules and ranked; the disagreements between sources; the trace of
//! every attempt with its reason; and what the domain's admin could publish. No I/O.

use super::evidence::*;
use super::plan::{self, Request};
use crate::diagnostic::{Finding, Severity};
use crate::documents::{self, xml};
use crate::model::{Account, Protocol, Security, Server, Settings};
use crate::providers::{self, Provider};
use crate::text::Quoted;
use serde::Serialize;

/// Where a candidate (or a trace step) comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "wasm-discovery", derive(tsify::Tsify))]
// Its TypeScript name: `Source` is a provider's source already.
#[cfg_attr(feature = "wasm-discovery", tsify(rename = "DiscoverySource"))]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// mailsetup's curated provider table.
    ProviderTable,
    /// The domain's own autoconfig file.
    Autoconfig,
    /// RFC 6186 / RFC 8314 SRV records.
    Srv,
    /// Thunderbird's ISPDB.
    Ispdb,
    /// The domain's MX records, mapped to a provider.
    Mx,
    /// Microsoft Autodiscover (POX).
    Autodiscover,
    /// Guessed host names, probed.
    Guess,
}

impl Source {
    /// In words, for the trace and the disagreements.
    pub fn words(self) -> &'static str {
        match self {
            Source::ProviderTable => "the provider table",
            Source::Autoconfig => "the domain's autoconfig",
            Source::Srv => "the SRV records",
            Source::Ispdb => "the ISPDB",
            Source::Mx => "the MX records",
            Source::Autodiscover => "Autodiscover",
            Source::Guess => "guessing",
        }
    }
}

/// How far a candidate can be trusted (best first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "wasm-discovery", derive(tsify::Tsify))]
#[serde(rename_all = "kebab-case")]
pub enum Trust {
    /// Curated, or published by the domain over verified HTTPS or DNSSEC.
    High,
    /// Published, but not authenticated end to end (DNS without DNSSEC, a redirect to another
    /// domain, derived from the MX host, a guess whose certificate verified).
    Medium,
    /// Anyone on the path could have changed it (plain HTTP), or a guess that did not verify.
    Low,
}

impl Trust {
    fn lower(self) -> Trust {
        match self {
            Trust::High => Trust::Medium,
            _ => Trust::Low,
        }
    }
}

/// Where a candidate came from, exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-discovery", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Provenance {
    /// The kind of source.
    #[cfg_attr(feature = "wasm-discovery", tsify(type = "DiscoverySource"))]
    pub source: Source,
    /// The URL, DNS query or table entry it was read from.
    pub origin: String,
    /// The MX host it was derived from, for MX-derived candidates.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-discovery", tsify(optional))]
    pub via_mx: Option<String>,
    /// Came over HTTPS with a verified certificate (`None`: not from HTTP).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-discovery", tsify(optional))]
    pub https_verified: Option<bool>,
    /// The DNS answers it rests on were DNSSEC-validated (`None`: not from DNS).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-discovery", tsify(optional))]
    pub dnssec: Option<bool>,
    /// HTTP redirects on the way.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "wasm-discovery", tsify(optional))]
    pub redirects: Vec<Redirect>,
    /// Why the trust is what it is, in words.
    pub notes: Vec<String>,
}

/// A server some source suggests.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm-discovery", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    /// The server, as a client would set it up.
    pub server: Server,
    /// Where it came from.
    pub provenance: Provenance,
    /// How far to trust it.
    pub trust: Trust,
    /// What the rules say about the server (`mailsetup check`'s findings).
    pub findings: Vec<Finding>,
    /// Its position within its source (the source's own order).
    pub position: usize,
}

impl Candidate {
    fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    /// `imap.example.org:993 (IMAP, SSL/TLS)`.
    pub fn label(&self) -> String {
        let s = &self.server;
        format!(
            "{}:{} ({})",
            s.host,
            s.port,
            super::endpoint_words(s.protocol, s.security)
        )
    }
}

/// How one attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-discovery", derive(tsify::Tsify))]
#[serde(rename_all = "kebab-case")]
pub enum StepOutcome {
    /// It answered with something usable.
    Found,
    /// It answered: there is nothing (NXDOMAIN, no record, HTTP 404, no server).
    NotFound,
    /// It failed (timeout, SERVFAIL, certificate, refused document).
    Failed,
    /// It was not tried.
    Skipped,
}

/// One line of the trace.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm-discovery", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct TraceStep {
    /// The source the attempt was for.
    #[cfg_attr(feature = "wasm-discovery", tsify(type = "DiscoverySource"))]
    pub source: Source,
    /// `MX example.org`, `GET https://…`, `probe imap.example.org:993 (IMAP, SSL/TLS)`.
    pub what: String,
    /// How it ended.
    pub outcome: StepOutcome,
    /// What happened, with the reason (text from outside is escaped).
    pub detail: String,
    /// When it began, ms after the discovery began.
    pub start_ms: f64,
    /// How long it took.
    pub ms: f64,
}

/// Sources that suggest different servers for the same role.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm-discovery", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Disagreement {
    /// `incoming` or `outgoing`.
    pub role: &'static str,
    /// The disagreement in words, with what to do.
    pub message: String,
    /// The best candidate of each source that disagrees (indexes into `candidates`).
    pub candidates: Vec<usize>,
}

/// Something the domain's admin could publish so that clients find the settings.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm-discovery", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Advice {
    /// What to publish and why.
    pub message: String,
    /// The records or document to publish, when discovery can write them.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-discovery", tsify(optional))]
    pub publish: Option<String>,
}

/// The best security a domain offers (for the batch summary).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-discovery", derive(tsify::Tsify))]
#[serde(rename_all = "kebab-case")]
pub enum Offer {
    /// Some candidate with implicit TLS.
    ImplicitTls,
    /// STARTTLS at best.
    StarttlsOnly,
    /// Cleartext only.
    CleartextOnly,
    /// No settings at all.
    Nothing,
}

/// What a domain publishes, in short (the batch summary's columns).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-discovery", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// An autoconfig file of the domain itself was read.
    pub autoconfig: bool,
    /// SRV records offer some service.
    pub srv: bool,
    /// The best security offered.
    pub offer: Offer,
    /// Lookups that got no answer (a DNS timeout, SERVFAIL or error, an HTTP timeout) or were
    /// not made: what they would have said is not known, so "nothing" may not be nothing.
    pub unanswered: usize,
}

/// The answer of one discovery.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm-discovery", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Discovery {
    /// The domain looked up.
    pub domain: String,
    /// The address, when one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-discovery", tsify(optional))]
    pub email: Option<String>,
    /// The best incoming server (index into `candidates`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-discovery", tsify(optional))]
    pub incoming: Option<usize>,
    /// The best outgoing server (index into `candidates`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-discovery", tsify(optional))]
    pub outgoing: Option<usize>,
    /// Every candidate, best first.
    pub candidates: Vec<Candidate>,
    /// Sources that disagree.
    pub disagreements: Vec<Disagreement>,
    /// Every attempt, in the order they began.
    pub trace: Vec<TraceStep>,
    /// What the domain's admin could publish.
    pub advice: Vec<Advice>,
    /// The domain in short.
    pub summary: Summary,
}

impl Discovery {
    /// The account a client would set up from the winners.
    pub fn account(&self) -> Option<Account> {
        let incoming = self.candidates.get(self.incoming?)?.server.clone();
        let outgoing = self
            .outgoing
            .and_then(|i| self.candidates.get(i))
            .map(|c| c.server.clone());
        Some(Account {
            email: self.email.clone(),
            incoming,
            outgoing,
            pop3: None,
        })
    }
}

/// Turns the evidence of one discovery into ranked candidates, disagreements, trace and advice.
pub fn analyze(request: &Request, evidence: &Evidence) -> Discovery {
    let mut a = Analysis {
        request,
        evidence,
        candidates: Vec::new(),
        trace: Vec::new(),
    };
    a.provider_table();
    let mut obs: Vec<&Observation> = evidence.observations.iter().collect();
    obs.sort_by(|x, y| x.start_ms.total_cmp(&y.start_ms));
    for o in obs {
        a.observation(o);
    }
    let Analysis {
        mut candidates,
        trace,
        ..
    } = a;
    for c in &mut candidates {
        c.findings = crate::validate(&Settings::Server(c.server.clone())).findings;
    }
    candidates.sort_by_key(rank_key);
    let dedup = dedup(candidates);
    let pick = |incoming: bool| {
        dedup.iter().position(|c| {
            c.server.protocol.is_incoming() == incoming
                && c.server.security != Security::None
                && !c.has_errors()
        })
    };
    let (incoming, outgoing) = (pick(true), pick(false));
    let disagreements = disagreements(&dedup);
    let summary = summary(request, evidence, &dedup);
    let mut d = Discovery {
        domain: request.domain.clone(),
        email: request.email.clone(),
        incoming,
        outgoing,
        candidates: dedup,
        disagreements,
        trace,
        advice: Vec::new(),
        summary,
    };
    d.advice = advice(request, evidence, &d);
    d
}

/// Best first: never cleartext first; no rule errors before errors; trust; the source; IMAP
/// before POP3; the source's own order; implicit TLS before STARTTLS.
fn rank_key(c: &Candidate) -> impl Ord {
    let security = match c.server.security {
        Security::Tls => 0,
        Security::Starttls => 1,
        Security::None => 2,
    };
    (
        c.server.security == Security::None,
        c.has_errors(),
        c.trust,
        c.provenance.source,
        c.server.protocol != Protocol::Imap,
        c.position,
        security,
    )
}

/// One candidate per server (protocol, host, port, security): the best ranked keeps its place,
/// and the others' sources join its notes.
fn dedup(ranked: Vec<Candidate>) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    for c in ranked {
        let same = out.iter_mut().find(|o| {
            o.server.protocol == c.server.protocol
                && o.server.host.eq_ignore_ascii_case(&c.server.host)
                && o.server.port == c.server.port
                && o.server.security == c.server.security
        });
        match same {
            Some(o) => {
                let note = format!(
                    "{} says the same ({})",
                    c.provenance.source.words(),
                    c.provenance.origin
                );
                if !o.provenance.notes.contains(&note) {
                    o.provenance.notes.push(note);
                }
            }
            None => out.push(c),
        }
    }
    out
}

struct Analysis<'a> {
    request: &'a Request,
    evidence: &'a Evidence,
    candidates: Vec<Candidate>,
    trace: Vec<TraceStep>,
}

impl Analysis<'_> {
    fn step(
        &mut self,
        source: Source,
        what: String,
        outcome: StepOutcome,
        detail: String,
        o: Option<&Observation>,
    ) {
        let detail = match o {
            Some(o) if o.shared => {
                format!("{detail} (the answer another discovery of this run fetched: asked once)")
            }
            _ => detail,
        };
        self.trace.push(TraceStep {
            source,
            what,
            outcome,
            detail,
            start_ms: o.map_or(0.0, |o| o.start_ms),
            ms: o.map_or(0.0, |o| o.ms),
        });
    }

    fn push(&mut self, server: Server, provenance: Provenance, trust: Trust, position: usize) {
        self.candidates.push(Candidate {
            server,
            provenance,
            trust,
            findings: Vec::new(),
            position,
        });
    }

    /// The curated table, by the domain itself (the MX-derived entries come with the MX answer).
    fn provider_table(&mut self) {
        let domain = self.request.domain.clone();
        match providers::by_domain(&domain) {
            Some(p) => {
                let n = self.provider_candidates(p, Source::ProviderTable, None, None);
                self.step(
                    Source::ProviderTable,
                    format!("provider table {domain}"),
                    StepOutcome::Found,
                    format!("{} ({}): {n} servers", p.name, p.id),
                    None,
                );
            }
            None => self.step(
                Source::ProviderTable,
                format!("provider table {domain}"),
                StepOutcome::NotFound,
                "not a domain of any provider in the table".into(),
                None,
            ),
        }
    }

    /// The servers of a provider entry for the address's domain (its custom-domain servers when
    /// the domain is one the provider hosts, not one of its own); returns how many.
    fn provider_candidates(
        &mut self,
        p: &Provider,
        source: Source,
        via_mx: Option<&str>,
        dnssec: Option<bool>,
    ) -> usize {
        let page = p
            .help_page()
            .map(|h| h.url.as_str())
            .or_else(|| p.sources.iter().find_map(|s| s.url.as_deref()));
        let mut notes = vec![match page {
            Some(url) => format!(
                "curated entry {} ({}), from its sources: {url}",
                Quoted(&p.name),
                p.id
            ),
            None => format!("curated entry {} ({})", Quoted(&p.name), p.id),
        }];
        let mut trust = Trust::High;
        if let Some(mx) = via_mx {
            notes.push(format!(
                "the domain's mail goes to {mx}, a host of {}",
                p.name
            ));
            if dnssec != Some(true) {
                trust = Trust::Medium;
                notes.push("the MX answer is not DNSSEC-validated: someone who can change DNS answers could send you elsewhere".into());
            }
        }
        let email = self.request.email.clone();
        let domain = self.request.domain.clone();
        let mut n = 0;
        for protocol in [Protocol::Imap, Protocol::Pop3, Protocol::Smtp] {
            for (i, e) in p.servers_for_domain(protocol, &domain).enumerate() {
                let username = match (e.username.format(), email.as_deref()) {
                    (_, None) => None,
                    (Some(crate::model::UsernameFormat::LocalPart), Some(m)) => {
                        m.rsplit_once('@').map(|(l, _)| l.to_owned())
                    }
                    (
                        Some(
                            crate::model::UsernameFormat::EmailAddress
                            | crate::model::UsernameFormat::Either,
                        ),
                        Some(m),
                    ) => Some(m.to_owned()),
                    _ => None,
                };
                let server = Server {
                    protocol: e.protocol,
                    host: e.host.clone(),
                    port: e.port,
                    security: e.security,
                    auth: None,
                    username,
                };
                let mut notes = notes.clone();
                let mut trust = trust;
                if !e.confirmed {
                    // What only a database lists is shown as such (the provider's own word is
                    // what makes a curated entry trusted).
                    notes.push(format!(
                        "{}:{} is listed by a database, not confirmed by {}'s own documentation",
                        e.host, e.port, p.name
                    ));
                    trust = trust.max(Trust::Medium);
                }
                let provenance = Provenance {
                    source,
                    origin: format!("provider table: {} ({})", p.name, p.id),
                    via_mx: via_mx.map(str::to_owned),
                    https_verified: None,
                    dnssec,
                    redirects: Vec::new(),
                    notes,
                };
                self.push(server, provenance, trust, i);
                n += 1;
            }
        }
        n
    }

    fn observation(&mut self, o: &Observation) {
        let what = o.lookup.label();
        match (&o.lookup, &o.observed) {
            (_, Observed::Skipped { reason }) => {
                let source = source_of(&o.lookup);
                self.step(source, what, StepOutcome::Skipped, reason.clone(), Some(o));
            }
            (Lookup::Dns { name, rtype }, Observed::Dns(r)) => self.dns(o, name, *rtype, r),
            (Lookup::Http { document, url, .. }, Observed::Http(r)) => {
                self.http(o, url, document, r)
            }
            (
                Lookup::Probe {
                    host,
                    port,
                    protocol,
                    security,
                    ..
                },
                Observed::Probe(r),
            ) => self.probe(o, host, *port, *protocol, *security, r),
            _ => self.step(
                source_of(&o.lookup),
                what,
                StepOutcome::Failed,
                "internal: the result does not match the lookup".into(),
                Some(o),
            ),
        }
    }

    fn dns(&mut self, o: &Observation, name: &str, rtype: RecordType, r: &DnsResult) {
        let what = o.lookup.label();
        let source = source_of(&o.lookup);
        let sec = if r.authenticated {
            " (DNSSEC-validated)"
        } else {
            ""
        };
        let (outcome, detail) = match &r.outcome {
            DnsOutcome::Answer { records } => (
                StepOutcome::Found,
                format!("{}{sec}", records_words(records)),
            ),
            other => dns_failure(other),
        };
        let outcome = match (rtype, &r.outcome) {
            (RecordType::Srv, DnsOutcome::Answer { records }) if srv_not_offered(records) => {
                StepOutcome::NotFound
            }
            _ => outcome,
        };
        let mut detail = detail;
        if rtype == RecordType::Srv
            && outcome == StepOutcome::NotFound
            && matches!(r.outcome, DnsOutcome::Answer { .. })
        {
            detail = format!("target \".\": the service is explicitly not offered (RFC 2782){sec}");
        }
        self.step(source, what, outcome, detail, Some(o));
        match rtype {
            RecordType::Mx => self.mx(o, r),
            RecordType::Srv => self.srv(name, r),
            _ => {}
        }
    }

    fn mx(&mut self, o: &Observation, r: &DnsResult) {
        let Some(top) = plan::top_exchanger(r.records()) else {
            return;
        };
        let domains = plan::mx_domains(&top);
        let found =
            providers::by_mx(&top).or_else(|| domains.iter().find_map(|d| providers::by_domain(d)));
        let what = format!("provider table MX {top}");
        match found {
            Some(p) if providers::by_domain(&self.request.domain).map(|q| &q.id) == Some(&p.id) => {
                self.step(
                    Source::Mx,
                    what,
                    StepOutcome::Found,
                    format!("{} (the same as the domain's own entry)", p.name),
                    Some(o),
                );
            }
            Some(p) => {
                let n = self.provider_candidates(p, Source::Mx, Some(&top), Some(r.authenticated));
                self.step(
                    Source::Mx,
                    what,
                    StepOutcome::Found,
                    format!("{} ({}): {n} servers", p.name, p.id),
                    Some(o),
                );
            }
            None => self.step(
                Source::Mx,
                what,
                StepOutcome::NotFound,
                format!(
                    "no provider in the table runs {top} (tried {})",
                    domains.join(", ")
                ),
                Some(o),
            ),
        }
    }

    fn srv(&mut self, name: &str, r: &DnsResult) {
        let Some((_, protocol, security)) = self.request.srv_names().find(|(n, _, _)| n == name)
        else {
            return;
        };
        let mut records: Vec<(u16, u16, u16, String)> = r
            .records()
            .iter()
            .filter_map(|rec| match rec {
                DnsRecord::Srv {
                    priority,
                    weight,
                    port,
                    target,
                } => Some((*priority, *weight, *port, plan::normalize(target))),
                _ => None,
            })
            .collect();
        // RFC 2782: lowest priority first; among equals, the heavier weight first here (a
        // client picks at random by weight; the heaviest is the likeliest).
        records.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        for (i, (_, _, port, target)) in records.into_iter().enumerate() {
            if target.is_empty() || port == 0 {
                continue;
            }
            let mut trust = if r.authenticated {
                Trust::High
            } else {
                Trust::Medium
            };
            let mut notes = Vec::new();
            if !r.authenticated {
                notes.push("the SRV answer is not DNSSEC-validated".into());
            }
            if !plan::within(&target, &self.request.domain) {
                trust = trust.lower();
                notes.push(format!(
                    "the SRV target {target} is outside {}: the certificate must name {target}, and the domain hands its mail to another host",
                    self.request.domain
                ));
            }
            let provenance = Provenance {
                source: Source::Srv,
                origin: format!("SRV {name}"),
                via_mx: None,
                https_verified: None,
                dnssec: Some(r.authenticated),
                redirects: Vec::new(),
                notes,
            };
            let server = Server {
                protocol,
                host: target,
                port,
                security,
                auth: None,
                username: self.request.email.clone(),
            };
            self.push(server, provenance, trust, i);
        }
    }

    fn http(&mut self, o: &Observation, url: &str, document: &Document, r: &HttpResult) {
        let what = o.lookup.label();
        let source = match document {
            Document::Autoconfig { via_mx: false, .. } => Source::Autoconfig,
            Document::Autoconfig { via_mx: true, .. } => Source::Mx,
            Document::Ispdb { .. } => Source::Ispdb,
            Document::Autodiscover { .. } => Source::Autodiscover,
        };
        let redirects = redirect_words(&r.redirects);
        let body = match &r.outcome {
            HttpOutcome::Body { body, .. } => body,
            other => {
                let (outcome, detail) = http_failure(other);
                self.step(
                    source,
                    what,
                    outcome,
                    format!("{detail}{redirects}"),
                    Some(o),
                );
                return;
            }
        };
        // Trust: the channel, then the redirects.
        let http = url.starts_with("http://");
        let mut trust = if http || !r.https_verified {
            Trust::Low
        } else {
            Trust::High
        };
        let mut notes = Vec::new();
        if http {
            notes.push("fetched over plain HTTP: anyone on the path could have changed it (untrusted; only with --allow-http)".to_owned());
        }
        for red in &r.redirects {
            let (a, b) = (host_of(&red.from), host_of(&red.to));
            if !plan::same_owner(&a, &b) {
                trust = trust.max(Trust::Medium);
                notes.push(format!("redirected from {a} to {b}, another domain: the settings come from whoever runs {b}"));
            }
        }
        let via_mx = match document {
            Document::Autoconfig {
                via_mx: true,
                domain,
                ..
            }
            | Document::Ispdb {
                via_mx: true,
                domain,
            } => {
                trust = trust.max(Trust::Medium);
                notes.push(format!(
                    "for {domain}, the domain of the MX host, not for {} itself",
                    self.request.domain
                ));
                self.evidence
                    .dns(&self.request.domain, RecordType::Mx)
                    .and_then(|m| plan::top_exchanger(m.records()))
            }
            _ => None,
        };
        let found = match document {
            Document::Autodiscover { .. } => {
                autodiscover_servers(body, self.request.email.as_deref())
            }
            _ => documents::import_autoconfig(body, self.request.email.as_deref())
                .map_err(|e| format!("XML refused by the importer: {e}"))
                .map(|imp| {
                    let mut skipped: Vec<String> = imp
                        .skipped
                        .iter()
                        .map(|s| format!("{} left out: {}", s.path, s.reason))
                        .collect();
                    if !imp.domains.is_empty()
                        && !imp
                            .domains
                            .iter()
                            .any(|d| plan::normalize(d) == document.domain())
                    {
                        skipped.push(format!(
                            "the file does not list {} among its domains ({})",
                            document.domain(),
                            imp.domains
                                .iter()
                                .map(|d| Quoted(d).to_string())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ));
                    }
                    let servers = imp
                        .incoming
                        .into_iter()
                        .chain(imp.outgoing)
                        .map(|s| s.server)
                        .collect();
                    (servers, skipped)
                }),
        };
        match found {
            Err(reason) => self.step(
                source,
                what,
                StepOutcome::Failed,
                format!("{reason}{redirects}"),
                Some(o),
            ),
            Ok((servers, skipped)) if servers.is_empty() => {
                let why = if skipped.is_empty() {
                    "no server in it".to_owned()
                } else {
                    skipped.join("; ")
                };
                self.step(
                    source,
                    what,
                    StepOutcome::Failed,
                    format!("a document, but no usable server: {why}{redirects}"),
                    Some(o),
                );
            }
            Ok((servers, skipped)) => {
                let mut detail = format!(
                    "{} servers{}",
                    servers.len(),
                    if http { " (plain HTTP, untrusted)" } else { "" }
                );
                if !skipped.is_empty() {
                    detail.push_str(&format!("; {}", skipped.join("; ")));
                }
                detail.push_str(&redirects);
                self.step(source, what, StepOutcome::Found, detail, Some(o));
                for (i, server) in servers.into_iter().enumerate() {
                    let provenance = Provenance {
                        source,
                        origin: url.to_owned(),
                        via_mx: via_mx.clone(),
                        https_verified: Some(r.https_verified),
                        dnssec: None,
                        redirects: r.redirects.clone(),
                        notes: notes.clone(),
                    };
                    self.push(server, provenance, trust, i);
                }
            }
        }
    }

    fn probe(
        &mut self,
        o: &Observation,
        host: &str,
        port: u16,
        protocol: Protocol,
        security: Security,
        r: &ProbeResult,
    ) {
        let what = o.lookup.label();
        let e = match r {
            ProbeResult::Error { message } => {
                self.step(
                    Source::Guess,
                    what,
                    StepOutcome::Failed,
                    message.clone(),
                    Some(o),
                );
                return;
            }
            ProbeResult::Report { endpoint } => endpoint,
        };
        let greeted = e.greeting.is_some() && e.protocol == Some(protocol);
        let obtained = e.security;
        if !greeted || obtained.is_none() {
            let detail = match &e.failure {
                Some(f) => f.message.clone(),
                None => "no usable greeting".into(),
            };
            let outcome = match e.failure.as_ref().map(|f| &f.kind) {
                Some(crate::probe::FailureKind::ConnectFailed) => StepOutcome::NotFound,
                _ => StepOutcome::Failed,
            };
            self.step(Source::Guess, what, outcome, detail, Some(o));
            return;
        }
        let obtained = obtained.unwrap_or(security);
        let mut notes = vec![
            "guessed from the host name and probed (greeting and capabilities only)".to_owned(),
        ];
        let trust = if e.secure {
            Trust::Medium
        } else {
            if let Some(t) = &e.tls {
                if !t.verified {
                    notes.push(format!(
                        "the certificate does not verify for {host}: {}",
                        t.chain_error.clone().unwrap_or_else(|| if t.name_matches {
                            "untrusted".into()
                        } else {
                            format!("it does not name {host}")
                        })
                    ));
                }
            }
            Trust::Low
        };
        let detail = format!(
            "{} answered{}",
            super::endpoint_words(protocol, obtained),
            if e.secure {
                ", certificate verified"
            } else {
                ", not secure"
            }
        );
        self.step(Source::Guess, what, StepOutcome::Found, detail, Some(o));
        let provenance = Provenance {
            source: Source::Guess,
            origin: format!("{host}:{port}"),
            via_mx: None,
            https_verified: None,
            dnssec: None,
            redirects: Vec::new(),
            notes,
        };
        let server = Server {
            protocol,
            host: host.to_owned(),
            port,
            security: obtained,
            auth: None,
            username: self.request.email.clone(),
        };
        // The protocol's own name first (imap., pop3., pop., smtp.), then mail., then the domain.
        let position = if host.starts_with("mail.") {
            1
        } else if host == self.request.domain {
            2
        } else {
            0
        };
        self.push(server, provenance, trust, position);
    }
}

/// The source a lookup belongs to.
pub fn source_of(l: &Lookup) -> Source {
    match l {
        Lookup::Dns {
            rtype: RecordType::Mx,
            ..
        } => Source::Mx,
        Lookup::Dns {
            rtype: RecordType::Srv,
            ..
        } => Source::Srv,
        Lookup::Dns { .. } | Lookup::Probe { .. } => Source::Guess,
        Lookup::Http { document, .. } => match document {
            Document::Autoconfig { via_mx: true, .. } | Document::Ispdb { via_mx: true, .. } => {
                Source::Mx
            }
            Document::Autoconfig { .. } => Source::Autoconfig,
            Document::Ispdb { .. } => Source::Ispdb,
            Document::Autodiscover { .. } => Source::Autodiscover,
        },
    }
}

fn srv_not_offered(records: &[DnsRecord]) -> bool {
    let srv: Vec<&DnsRecord> = records
        .iter()
        .filter(|r| matches!(r, DnsRecord::Srv { .. }))
        .collect();
    !srv.is_empty()
        && srv.iter().all(
            |r| matches!(r, DnsRecord::Srv { target, .. } if plan::normalize(target).is_empty()),
        )
}

fn records_words(records: &[DnsRecord]) -> String {
    let words: Vec<String> = records
        .iter()
        .map(|r| match r {
            DnsRecord::Mx {
                preference,
                exchange,
            } => format!("MX {preference} {exchange}"),
            DnsRecord::Srv {
                priority,
                weight,
                port,
                target,
            } => format!("SRV {priority} {weight} {port} {target}"),
            DnsRecord::A { address } | DnsRecord::Aaaa { address } => address.clone(),
            DnsRecord::Cname { name, target } => format!("{name} is an alias of {target}"),
        })
        .collect();
    words.join(", ")
}

fn dns_failure(o: &DnsOutcome) -> (StepOutcome, String) {
    match o {
        DnsOutcome::Answer { records } => (StepOutcome::Found, records_words(records)),
        DnsOutcome::NoData => (
            StepOutcome::NotFound,
            "no record of this type (NODATA)".into(),
        ),
        DnsOutcome::NxDomain => (
            StepOutcome::NotFound,
            "the name does not exist (NXDOMAIN)".into(),
        ),
        DnsOutcome::ServFail => (
            StepOutcome::Failed,
            "the resolver could not answer (SERVFAIL)".into(),
        ),
        DnsOutcome::Rcode { code } => {
            (StepOutcome::Failed, format!("the resolver answered {code}"))
        }
        DnsOutcome::Timeout { seconds } => (
            StepOutcome::Failed,
            format!(
                "no answer within {} s (timeout)",
                crate::text::number(*seconds)
            ),
        ),
        DnsOutcome::Error { message } => (StepOutcome::Failed, message.clone()),
    }
}

fn http_failure(o: &HttpOutcome) -> (StepOutcome, String) {
    match o {
        HttpOutcome::Body { code, .. } => (StepOutcome::Found, format!("HTTP {code}")),
        HttpOutcome::Status { code: 404 } => {
            (StepOutcome::NotFound, "HTTP 404 (no such document)".into())
        }
        HttpOutcome::Status { code } => (StepOutcome::Failed, format!("HTTP {code}")),
        HttpOutcome::TooLarge { limit } => (
            StepOutcome::Failed,
            format!("the document is larger than {limit} bytes; reading stopped there"),
        ),
        HttpOutcome::NotText => (StepOutcome::Failed, "the document is not UTF-8 text".into()),
        HttpOutcome::TooManyRedirects { limit } => (
            StepOutcome::Failed,
            format!("more than {limit} redirects (a loop?)"),
        ),
        HttpOutcome::RedirectRefused { to, reason } => (
            StepOutcome::Failed,
            format!("redirect to {} not followed: {reason}", Quoted(to)),
        ),
        HttpOutcome::Dns { message } => (
            StepOutcome::NotFound,
            format!("the host does not resolve: {message}"),
        ),
        HttpOutcome::Connect { message } => {
            (StepOutcome::NotFound, format!("no connection: {message}"))
        }
        HttpOutcome::Tls { message } => (StepOutcome::Failed, format!("TLS failed: {message}")),
        HttpOutcome::Timeout { seconds } => (
            StepOutcome::Failed,
            format!(
                "no answer within {} s (timeout)",
                crate::text::number(*seconds)
            ),
        ),
        HttpOutcome::Error { message } => (StepOutcome::Failed, message.clone()),
    }
}

fn redirect_words(r: &[Redirect]) -> String {
    if r.is_empty() {
        return String::new();
    }
    let hops: Vec<String> = r
        .iter()
        .map(|h| format!("{} → {}", h.status, Quoted(&h.to)))
        .collect();
    format!(" (redirected: {})", hops.join(", "))
}

/// The host of an http(s) URL, lower case (empty when there is none).
pub fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        authority.split(':').next().unwrap_or("")
    };
    plan::normalize(host)
}

/// The servers of an Autodiscover POX response (`<Account><Protocol>` with `Type` IMAP, POP3 or
/// SMTP), read with the project's defensive XML reader.
fn autodiscover_servers(
    body: &str,
    email: Option<&str>,
) -> Result<(Vec<Server>, Vec<String>), String> {
    let root = xml::parse(body).map_err(|e| format!("XML refused by the reader: {e}"))?;
    if root.name != "Autodiscover" {
        return Err(format!(
            "not an Autodiscover response: the root element is <{}>",
            root.name
        ));
    }
    let Some(account) = root.child("Response").and_then(|r| r.child("Account")) else {
        let error = root
            .child("Response")
            .and_then(|r| r.child("Error"))
            .and_then(|e| e.child_text("Message"))
            .map(|m| format!(": {}", Quoted(m)))
            .unwrap_or_default();
        return Err(format!(
            "an Autodiscover response without an account{error}"
        ));
    };
    let mut notes = Vec::new();
    match account.child_text("Action") {
        Some("settings") | None => {}
        Some(action) => {
            let to = account
                .child_text("RedirectAddr")
                .or_else(|| account.child_text("RedirectUrl"))
                .unwrap_or("");
            return Err(format!("Autodiscover answered {} to {} (not followed: it would send the address elsewhere)", Quoted(action), Quoted(to)));
        }
    }
    let mut servers = Vec::new();
    for (i, p) in account.children_named("Protocol").enumerate() {
        let kind = p.child_text("Type").unwrap_or("");
        let protocol = match kind.to_ascii_uppercase().as_str() {
            "IMAP" => Protocol::Imap,
            "POP3" => Protocol::Pop3,
            "SMTP" => Protocol::Smtp,
            _ => {
                notes.push(format!(
                    "Protocol[{}] of type {} left out (not IMAP, POP3 or SMTP)",
                    i + 1,
                    Quoted(kind)
                ));
                continue;
            }
        };
        let host = p.child_text("Server").unwrap_or("");
        let port = p
            .child_text("Port")
            .and_then(|s| s.parse::<u16>().ok())
            .filter(|&p| p > 0);
        let (true, Some(port)) = (!host.is_empty(), port) else {
            notes.push(format!(
                "Protocol[{}] ({kind}) left out: no server or no valid port",
                i + 1
            ));
            continue;
        };
        let ssl = !p
            .child_text("SSL")
            .is_some_and(|s| s.eq_ignore_ascii_case("off"));
        // `Encryption` (when present) overrides `SSL`: `SSL` is implicit TLS, `TLS` is STARTTLS.
        let security = match p
            .child_text("Encryption")
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("ssl") => Security::Tls,
            Some("tls") => Security::Starttls,
            Some("none") => Security::None,
            _ if !ssl => Security::None,
            _ => match port {
                crate::model::ports::IMAP
                | crate::model::ports::POP3
                | crate::model::ports::SUBMISSION => Security::Starttls,
                _ => Security::Tls,
            },
        };
        let username = p
            .child_text("LoginName")
            .map(str::to_owned)
            .or_else(|| email.map(str::to_owned));
        servers.push(Server {
            protocol,
            host: plan::normalize(host),
            port,
            security,
            auth: None,
            username,
        });
    }
    Ok((servers, notes))
}

fn disagreements(c: &[Candidate]) -> Vec<Disagreement> {
    let mut out = Vec::new();
    for (role, incoming) in [("incoming", true), ("outgoing", false)] {
        // The best candidate of each source, for this role.
        let mut best: Vec<usize> = Vec::new();
        for (i, x) in c.iter().enumerate() {
            if x.server.protocol.is_incoming() == incoming
                && x.server.security != Security::None
                && !best
                    .iter()
                    .any(|&b| c[b].provenance.source == x.provenance.source)
            {
                best.push(i);
            }
        }
        let hosts: Vec<String> = best
            .iter()
            .map(|&i| c[i].server.host.to_ascii_lowercase())
            .collect();
        if hosts.iter().all(|h| h == &hosts[0]) {
            continue;
        }
        let parts: Vec<String> = best
            .iter()
            .map(|&i| {
                let x = &c[i];
                let via = match (&x.provenance.via_mx, x.provenance.source) {
                    (Some(mx), _) => format!(" (its MX is {mx})"),
                    _ => String::new(),
                };
                format!("{}{via} says {}", x.provenance.source.words(), x.label())
            })
            .collect();
        out.push(Disagreement {
            role,
            message: format!(
                "the sources disagree on the {role} server: {}",
                parts.join("; ")
            ),
            candidates: best,
        });
    }
    out
}

fn summary(request: &Request, evidence: &Evidence, c: &[Candidate]) -> Summary {
    let autoconfig = c.iter().any(|x| x.provenance.source == Source::Autoconfig);
    let srv = request.srv_names().any(|(n, _, _)| {
        evidence
            .dns(&n, RecordType::Srv)
            .is_some_and(|r| !r.records().is_empty() && !srv_not_offered(r.records()))
    });
    let has = |s: Security| c.iter().any(|x| x.server.security == s);
    let offer = if has(Security::Tls) {
        Offer::ImplicitTls
    } else if has(Security::Starttls) {
        Offer::StarttlsOnly
    } else if has(Security::None) {
        Offer::CleartextOnly
    } else {
        Offer::Nothing
    };
    let unanswered = evidence
        .observations
        .iter()
        .filter(|o| match &o.observed {
            Observed::Dns(r) => !matches!(
                r.outcome,
                DnsOutcome::Answer { .. } | DnsOutcome::NoData | DnsOutcome::NxDomain
            ),
            Observed::Http(r) => matches!(r.outcome, HttpOutcome::Timeout { .. }),
            Observed::Probe(_) => false,
            Observed::Skipped { .. } => true,
        })
        .count();
    Summary {
        autoconfig,
        srv,
        offer,
        unanswered,
    }
}

fn advice(request: &Request, evidence: &Evidence, d: &Discovery) -> Vec<Advice> {
    let domain = &request.domain;
    let mut out = Vec::new();
    let published = d.summary.autoconfig || d.summary.srv;
    let from_table = d
        .incoming
        .and_then(|i| d.candidates.get(i))
        .is_some_and(|c| matches!(c.provenance.source, Source::ProviderTable | Source::Mx));
    let account = d.account().map(|mut a| {
        if a.email.is_none() {
            a.email = Some(format!("someone@{domain}"));
        }
        a
    });
    let export = |format| {
        account.as_ref().and_then(|a| {
            documents::export(&documents::ExportInput::Account(a.clone()), format).ok()
        })
    };
    if !d.summary.autoconfig && !from_table {
        out.push(Advice {
            message: format!(
                "publish an autoconfig file at https://autoconfig.{domain}/mail/config-v1.1.xml (a certificate naming autoconfig.{domain}); Thunderbird, Thunderbird for Android and Delta Chat read it{}",
                if account.is_some() { "; this one holds the settings found" } else { "; `mailsetup export --format autoconfig` writes one" }
            ),
            publish: export(documents::Format::Autoconfig),
        });
    }
    if !d.summary.srv && !from_table {
        out.push(Advice {
            message: format!("publish RFC 6186 / RFC 8314 SRV records for {domain} (target \".\" for a service not offered); himalaya reads them, and RFC 8314 asks clients to"),
            publish: export(documents::Format::Srv).or_else(|| {
                Some(format!(
                    "_imaps._tcp.{domain}. 3600 IN SRV 0 1 993 mail.{domain}.\n_submissions._tcp.{domain}. 3600 IN SRV 0 1 465 mail.{domain}.\n_imap._tcp.{domain}. 3600 IN SRV 0 0 0 .\n_pop3._tcp.{domain}. 3600 IN SRV 0 0 0 .\n_pop3s._tcp.{domain}. 3600 IN SRV 0 0 0 .\n_submission._tcp.{domain}. 3600 IN SRV 0 0 0 ."
                ))
            }),
        });
    }
    for o in &evidence.observations {
        if let (
            Lookup::Http {
                url,
                document:
                    Document::Autoconfig {
                        via_mx: false,
                        http: false,
                        ..
                    },
                ..
            },
            Observed::Http(HttpResult {
                outcome: HttpOutcome::Tls { message },
                ..
            }),
        ) = (&o.lookup, &o.observed)
        {
            out.push(Advice {
                message: format!(
                    "fix the certificate of {}: {message}; clients refuse the file",
                    host_of(url)
                ),
                publish: None,
            });
        }
    }
    let http_only = d.candidates.iter().any(|c| {
        c.provenance.origin.starts_with("http://") && c.provenance.source == Source::Autoconfig
    }) && !d.candidates.iter().any(|c| {
        c.provenance.origin.starts_with("https://") && c.provenance.source == Source::Autoconfig
    });
    if http_only {
        out.push(Advice {
            message: format!("serve the autoconfig file over HTTPS with a certificate for autoconfig.{domain}: over plain HTTP it is untrusted, Thunderbird for Android asks first and others refuse it"),
            publish: None,
        });
    }
    match d.summary.offer {
        Offer::StarttlsOnly => out.push(Advice {
            message: "offer implicit TLS (IMAP 993, POP3 995, submission 465) and publish it first: RFC 8314 prefers it to STARTTLS".into(),
            publish: None,
        }),
        Offer::CleartextOnly => out.push(Advice {
            message: "only cleartext was found: passwords would cross the network readable; offer TLS (RFC 8314) before publishing anything".into(),
            publish: None,
        }),
        _ => {}
    }
    if !published && d.candidates.is_empty() {
        out.push(Advice {
            message: format!("nothing was found for {domain}: no provider entry, autoconfig, SRV, Autodiscover or server at a guessable name; publish the records above, or tell users the provider's settings"),
            publish: None,
        });
    }
    out
}
