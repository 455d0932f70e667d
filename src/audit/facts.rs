//! The evidence of one round, read the way the simulations need it: each lookup's result in
//! words, every autoconfig file read once (by Thunderbird's reader, with lint saying what
//! Thunderbird and Thunderbird for Android refuse), every Autodiscover response read once, and
//! the probe of a server. No I/O.

use crate::diagnostic::Report;
use crate::discovery::evidence::*;
use crate::discovery::plan::{self, Request};
use crate::documents::{self, xml, Imported};
use crate::model::{Protocol, Security, Server};
use crate::probe::EndpointReport;
use crate::text::Quoted;
use std::collections::HashMap;

/// What came back for one lookup, as the simulations use it.
#[derive(Debug, Clone, Copy)]
pub enum Fetch<'a> {
    /// The lookup is not in the evidence (not asked in this round).
    NotAsked,
    /// It was not run (deadline, or not allowed).
    Skipped(&'a str),
    /// It failed or found nothing: the HTTP result (status, TLS, connection, …).
    Failed(&'a HttpResult),
    /// A 2xx answer with a body.
    Body {
        /// The whole result (redirects, certificate status, final URL).
        result: &'a HttpResult,
        /// The document.
        body: &'a str,
        /// The `Content-Type` header.
        content_type: Option<&'a str>,
    },
}

impl<'a> Fetch<'a> {
    /// The body, when there is one.
    pub fn body(&self) -> Option<&'a str> {
        match self {
            Fetch::Body { body, .. } => Some(body),
            _ => None,
        }
    }

    /// What happened, in words (`HTTP 404`, `TLS failed: …`, `HTTP 200`).
    pub fn words(&self) -> String {
        match self {
            Fetch::NotAsked => "not looked up in this round".into(),
            Fetch::Skipped(why) => format!("not looked up: {why}"),
            Fetch::Failed(r) => http_words(&r.outcome),
            Fetch::Body {
                result,
                content_type,
                ..
            } => {
                let code = match result.outcome {
                    HttpOutcome::Body { code, .. } => code,
                    _ => 200,
                };
                let mut s = format!(
                    "HTTP {code}{}",
                    content_type
                        .map(|c| format!(" ({})", Quoted(c)))
                        .unwrap_or_default()
                );
                if !result.redirects.is_empty() {
                    s.push_str(&format!(
                        ", after {} redirect{} to {}",
                        result.redirects.len(),
                        if result.redirects.len() == 1 { "" } else { "s" },
                        Quoted(&result.final_url)
                    ));
                }
                s
            }
        }
    }

    /// Whether the fetch failed on TLS (certificate or handshake).
    pub fn tls_failed(&self) -> Option<&'a str> {
        match self {
            Fetch::Failed(HttpResult {
                outcome: HttpOutcome::Tls { message },
                ..
            }) => Some(message),
            _ => None,
        }
    }
}

/// An HTTP outcome in words.
pub fn http_words(o: &HttpOutcome) -> String {
    match o {
        HttpOutcome::Body { code, .. } => format!("HTTP {code}"),
        HttpOutcome::Status { code: 404 } => "HTTP 404 (no such document)".into(),
        HttpOutcome::Status { code } => format!("HTTP {code}"),
        HttpOutcome::TooLarge { limit } => format!("larger than {limit} bytes"),
        HttpOutcome::NotText => "not UTF-8 text".into(),
        HttpOutcome::TooManyRedirects { limit } => format!("more than {limit} redirects"),
        HttpOutcome::RedirectRefused { to, reason } => {
            format!("redirect to {} not followed: {reason}", Quoted(to))
        }
        HttpOutcome::Dns { message } => format!("the host does not resolve ({message})"),
        HttpOutcome::Connect { message } => format!("no connection ({message})"),
        HttpOutcome::Tls { message } => format!("TLS failed: {message}"),
        HttpOutcome::Timeout { seconds } => {
            format!("no answer within {} s", crate::text::number(*seconds))
        }
        HttpOutcome::Error { message } => message.clone(),
    }
}

/// An autoconfig file (the domain's, an MX domain's or the ISPDB's) as the clients read it.
#[derive(Debug, Clone)]
pub struct AutoconfigRead {
    /// Thunderbird's reading, placeholders filled with the audited address (`None`: the XML
    /// could not be read at all).
    pub imported: Option<Imported>,
    /// What lint says about the file.
    pub lint: Option<Report>,
    /// Why the file cannot be read at all (XML refused, not an autoconfig file).
    pub unreadable: Option<String>,
    /// Why Thunderbird refuses the whole file (lint's D001–D004/D006), if it does.
    pub thunderbird_refuses: Option<String>,
    /// Why Thunderbird for Android refuses the whole file (D302, or what Thunderbird refuses:
    /// Android's reader is the stricter one), if it does.
    pub android_refuses: Option<String>,
}

impl AutoconfigRead {
    fn new(body: &str, email: &str) -> AutoconfigRead {
        let lint = documents::lint_autoconfig(body);
        let imported = documents::import_autoconfig(body, Some(email));
        let unreadable = match (&lint, &imported) {
            (Err(e), _) | (_, Err(e)) => Some(e.to_string()),
            _ => None,
        };
        let lint = lint.ok();
        let refusal = |codes: &[&str]| {
            lint.as_ref().and_then(|r| {
                r.findings
                    .iter()
                    .find(|f| codes.contains(&f.code))
                    .map(|f| format!("{} {}", f.code, f.message))
            })
        };
        let thunderbird_refuses = unreadable
            .clone()
            .or_else(|| refusal(documents::THUNDERBIRD_REFUSES));
        let android_refuses = thunderbird_refuses.clone().or_else(|| refusal(&["D302"]));
        AutoconfigRead {
            imported: imported.ok(),
            lint,
            unreadable,
            thunderbird_refuses,
            android_refuses,
        }
    }

    /// Thunderbird's choice: the first incoming and the first outgoing server it reads.
    pub fn thunderbird_servers(&self) -> (Option<&Server>, Option<&Server>) {
        let Some(i) = &self.imported else {
            return (None, None);
        };
        (
            i.incoming.first().map(|s| &s.server),
            i.outgoing.first().map(|s| &s.server),
        )
    }

    /// Thunderbird for Android's choice: the first IMAP server and the first SMTP server (it
    /// reads no other type; `RealAutoconfigParser.kt`).
    pub fn android_servers(&self) -> (Option<&Server>, Option<&Server>) {
        let Some(i) = &self.imported else {
            return (None, None);
        };
        (
            i.incoming
                .iter()
                .map(|s| &s.server)
                .find(|s| s.protocol == Protocol::Imap),
            i.outgoing.first().map(|s| &s.server),
        )
    }

    /// Every server the file names (incoming and outgoing), placeholders filled.
    pub fn servers(&self) -> Vec<&Server> {
        self.imported
            .iter()
            .flat_map(|i| i.incoming.iter().chain(&i.outgoing))
            .map(|s| &s.server)
            .collect()
    }
}

/// One `<Protocol>` of an Autodiscover POX response, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoxProtocol {
    /// `IMAP`, `POP3`, `SMTP` (upper case).
    pub kind: String,
    /// `<Server>`.
    pub server: String,
    /// `<Port>`, when a number.
    pub port: Option<u16>,
    /// `<SSL>` (`on`/`off`, lower case), when present.
    pub ssl: Option<String>,
    /// `<Encryption>` (`none`, `ssl`, `tls`, `auto`, lower case), when present.
    pub encryption: Option<String>,
    /// `<LoginName>`, when present.
    pub login_name: Option<String>,
}

impl PoxProtocol {
    /// The protocol, for `IMAP`, `POP3` and `SMTP`.
    pub fn protocol(&self) -> Option<Protocol> {
        match self.kind.as_str() {
            "IMAP" => Some(Protocol::Imap),
            "POP3" => Some(Protocol::Pop3),
            "SMTP" => Some(Protocol::Smtp),
            _ => None,
        }
    }
}

/// An Autodiscover POX response, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PoxRead {
    /// `<Action>settings</Action>` (or none) with these protocols.
    Settings(Vec<PoxProtocol>),
    /// `<Action>redirectUrl|redirectAddr</Action>`: where to ask instead.
    Redirect(String),
    /// Not a usable response, and why.
    Unusable(String),
}

impl PoxRead {
    /// Reads a response with the project's defensive XML reader.
    pub fn new(body: &str) -> PoxRead {
        let root = match xml::parse(body) {
            Ok(r) => r,
            Err(e) => return PoxRead::Unusable(format!("XML refused by the reader: {e}")),
        };
        if root.name != "Autodiscover" {
            return PoxRead::Unusable(format!(
                "not an Autodiscover response: the root element is <{}>",
                root.name
            ));
        }
        let Some(account) = root.child("Response").and_then(|r| r.child("Account")) else {
            let message = root
                .child("Response")
                .and_then(|r| r.child("Error"))
                .and_then(|e| e.child_text("Message"))
                .map(|m| format!(": {}", Quoted(m)))
                .unwrap_or_default();
            return PoxRead::Unusable(format!("a response without an account{message}"));
        };
        match account.child_text("Action").map(str::to_ascii_lowercase) {
            Some(a) if a == "redirecturl" || a == "redirectaddr" => {
                let to = account
                    .child_text("RedirectUrl")
                    .or_else(|| account.child_text("RedirectAddr"))
                    .unwrap_or("");
                return PoxRead::Redirect(to.trim().to_owned());
            }
            _ => {}
        }
        let lower = |s: Option<&str>| s.map(|v| v.trim().to_ascii_lowercase());
        let protocols = account
            .children_named("Protocol")
            .map(|p| PoxProtocol {
                kind: p
                    .child_text("Type")
                    .unwrap_or("")
                    .trim()
                    .to_ascii_uppercase(),
                server: p.child_text("Server").unwrap_or("").trim().to_owned(),
                port: p.child_text("Port").and_then(|s| s.trim().parse().ok()),
                ssl: lower(p.child_text("SSL")),
                encryption: lower(p.child_text("Encryption")),
                login_name: p.child_text("LoginName").map(|s| s.trim().to_owned()),
            })
            .collect();
        PoxRead::Settings(protocols)
    }
}

/// What the probe saw of one server.
#[derive(Debug, Clone, Copy)]
pub enum Probed<'a> {
    /// Not probed, and why (probing off, the host does not resolve, the deadline).
    Not(&'a str),
    /// Not probed: the host does not resolve (what the resolver said).
    NoAddress(&'a DnsOutcome),
    /// The probe could not run.
    Error(&'a str),
    /// What the probe saw.
    Report(&'a EndpointReport),
}

/// The evidence of one audit, read once.
pub struct Facts<'a> {
    /// The request (domain, address, options).
    pub request: &'a Request,
    /// The evidence.
    pub evidence: &'a Evidence,
    /// Whether probes were allowed.
    pub probed: bool,
    /// The domain.
    pub domain: String,
    /// The address simulated.
    pub email: String,
    autoconfig: HashMap<String, AutoconfigRead>,
    pox: HashMap<(String, bool), PoxRead>,
}

impl<'a> Facts<'a> {
    /// Reads every document of the evidence once.
    pub fn new(request: &'a Request, evidence: &'a Evidence, probed: bool) -> Facts<'a> {
        let email = request
            .email
            .clone()
            .unwrap_or_else(|| super::default_address(&request.domain));
        let mut autoconfig = HashMap::new();
        let mut pox = HashMap::new();
        for o in &evidence.observations {
            let (
                Lookup::Http {
                    url,
                    document,
                    post,
                },
                Observed::Http(HttpResult {
                    outcome: HttpOutcome::Body { body, .. },
                    ..
                }),
            ) = (&o.lookup, &o.observed)
            else {
                continue;
            };
            match document {
                Document::Autodiscover { .. } => {
                    pox.insert((url.clone(), post.is_some()), PoxRead::new(body));
                }
                _ => {
                    autoconfig.insert(url.clone(), AutoconfigRead::new(body, &email));
                }
            }
        }
        Facts {
            request,
            evidence,
            probed,
            domain: request.domain.clone(),
            email,
            autoconfig,
            pox,
        }
    }

    /// What came back for a lookup.
    pub fn fetch(&self, lookup: &Lookup) -> Fetch<'a> {
        let Some(o) = self.evidence.get(lookup) else {
            return Fetch::NotAsked;
        };
        match &o.observed {
            Observed::Skipped { reason } => Fetch::Skipped(reason),
            Observed::Http(r) => match &r.outcome {
                HttpOutcome::Body {
                    body, content_type, ..
                } => Fetch::Body {
                    result: r,
                    body,
                    content_type: content_type.as_deref(),
                },
                _ => Fetch::Failed(r),
            },
            _ => Fetch::NotAsked,
        }
    }

    /// The autoconfig file a lookup fetched, read (`None` when there was no body).
    pub fn autoconfig(&self, lookup: &Lookup) -> Option<&AutoconfigRead> {
        match lookup {
            Lookup::Http { url, .. } => self.autoconfig.get(url),
            _ => None,
        }
    }

    /// The Autodiscover response a lookup fetched, read.
    pub fn pox(&self, lookup: &Lookup) -> Option<&PoxRead> {
        match lookup {
            Lookup::Http { url, post, .. } => self.pox.get(&(url.clone(), post.is_some())),
            _ => None,
        }
    }

    /// A DNS answer.
    pub fn dns(&self, name: &str, rtype: RecordType) -> Option<&'a DnsResult> {
        self.evidence.dns(&plan::normalize(name), rtype)
    }

    /// The domain's own autoconfig lookup: `https` or plain HTTP, the `autoconfig.` host or the
    /// well-known URL on the domain.
    pub fn own_autoconfig(&self, https: bool, well_known: bool) -> Lookup {
        self.autoconfig_lookup(&self.domain.clone(), false, https, well_known)
    }

    /// An autoconfig lookup of some domain, as discovery and the audit plan make it.
    pub fn autoconfig_lookup(
        &self,
        domain: &str,
        via_mx: bool,
        https: bool,
        well_known: bool,
    ) -> Lookup {
        autoconfig_lookup(self.request, domain, via_mx, https, well_known)
    }

    /// The ISPDB lookup of a domain.
    pub fn ispdb(&self, domain: &str, via_mx: bool) -> Lookup {
        self.request.ispdb_lookup(domain, via_mx)
    }

    /// The MX answer and its most preferred exchanger (no trailing dot).
    pub fn mx(&self) -> Option<(&'a DnsResult, Option<String>)> {
        let r = self.dns(&self.domain, RecordType::Mx)?;
        Some((r, plan::top_exchanger(r.records())))
    }

    /// What the probe saw of a server (host, port, protocol).
    pub fn probe(&self, host: &str, port: u16, protocol: Protocol) -> Probed<'a> {
        let host = plan::normalize(host);
        for o in &self.evidence.observations {
            if let Lookup::Probe {
                host: h,
                port: p,
                protocol: pr,
                ..
            } = &o.lookup
            {
                if plan::normalize(h) == host && *p == port && *pr == protocol {
                    return match &o.observed {
                        Observed::Probe(ProbeResult::Report { endpoint }) => {
                            Probed::Report(endpoint)
                        }
                        Observed::Probe(ProbeResult::Error { message }) => Probed::Error(message),
                        Observed::Skipped { reason } => Probed::Not(reason),
                        _ => Probed::Not("the result does not match the lookup"),
                    };
                }
            }
        }
        if !self.probed {
            return Probed::Not("probing was turned off (--no-probe)");
        }
        if host.parse::<std::net::IpAddr>().is_err() {
            match self.dns(&host, RecordType::A) {
                Some(r) if r.records().iter().any(|x| matches!(x, DnsRecord::A { .. })) => {}
                Some(r) => return Probed::NoAddress(&r.outcome),
                None => return Probed::Not("its address was not looked up in this round"),
            }
        }
        Probed::Not("not probed in this round")
    }
}

/// An autoconfig lookup exactly as [`Request::autoconfig_lookups`] makes it (so that it matches
/// the evidence), for plain HTTP too whatever the options say.
pub fn autoconfig_lookup(
    request: &Request,
    domain: &str,
    via_mx: bool,
    https: bool,
    well_known: bool,
) -> Lookup {
    let mut r = request.clone();
    r.options.allow_http = true;
    r.autoconfig_lookups(domain, via_mx)
        .into_iter()
        .find(|l| {
            matches!(l, Lookup::Http { document: Document::Autoconfig { http, well_known: w, .. }, .. }
                if *http != https && *w == well_known)
        })
        .expect("autoconfig_lookups makes the four URLs when HTTP is allowed")
}

/// The security a server's settings name, in the clients' words (`SSL/TLS`).
pub fn security_words(s: Security) -> &'static str {
    match s {
        Security::Tls => "SSL/TLS",
        Security::Starttls => "STARTTLS",
        Security::None => "no encryption",
    }
}

/// `mail.example.org:993 (IMAP, SSL/TLS)`.
pub fn server_label(s: &Server) -> String {
    format!(
        "{}:{} ({})",
        s.host,
        s.port,
        crate::discovery::endpoint_words(s.protocol, s.security)
    )
}
