//! What discovery looks up ([`Lookup`]) and what came back ([`Observation`]): the one round of
//! fetching that [`super::analyze`] (and, later, the domain audit's client simulations) read.
//!
//! These are plain data. The native executor (`net`, feature `discover`) fills them from DNS,
//! HTTPS and the probe; the browser fills the DNS part from DNS-over-HTTPS. Nothing here does I/O.

use crate::model::{Protocol, Security};
use crate::probe::EndpointReport;
use serde::Serialize;

/// A DNS record type discovery asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum RecordType {
    /// Mail exchangers (RFC 5321).
    Mx,
    /// Services (RFC 2782; RFC 6186 for mail).
    Srv,
    /// IPv4 addresses.
    A,
    /// IPv6 addresses.
    Aaaa,
}

impl RecordType {
    /// `MX`, `SRV`, `A`, `AAAA`.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordType::Mx => "MX",
            RecordType::Srv => "SRV",
            RecordType::A => "A",
            RecordType::Aaaa => "AAAA",
        }
    }
}

/// Where an HTTP document is expected to come from, and what it should hold.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Document {
    /// A domain's own autoconfig file (`autoconfig.<domain>/mail/config-v1.1.xml` or
    /// `<domain>/.well-known/autoconfig/mail/config-v1.1.xml`).
    Autoconfig {
        /// The domain whose file it is.
        domain: String,
        /// The `.well-known` URL on the domain itself (not the `autoconfig.` host).
        well_known: bool,
        /// Plain HTTP (only with `--allow-http`; never trusted).
        http: bool,
        /// The domain came from the MX host (not the address).
        via_mx: bool,
    },
    /// Thunderbird's ISPDB entry for a domain.
    Ispdb {
        /// The domain looked up in the ISPDB.
        domain: String,
        /// The domain came from the MX host (not the address).
        via_mx: bool,
    },
    /// Microsoft Autodiscover, plain-old-XML (POX), unauthenticated.
    Autodiscover {
        /// The address's domain.
        domain: String,
        /// Asked at `autodiscover.<domain>` (else at the domain itself).
        host_prefix: bool,
    },
}

impl Document {
    /// The domain the document speaks for.
    pub fn domain(&self) -> &str {
        match self {
            Document::Autoconfig { domain, .. }
            | Document::Ispdb { domain, .. }
            | Document::Autodiscover { domain, .. } => domain,
        }
    }
}

/// One lookup: a DNS query, an HTTP(S) request, or a probe of a mail server.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Lookup {
    /// A DNS query.
    Dns {
        /// The name asked for (lower case, no trailing dot).
        name: String,
        /// The record type asked for.
        rtype: RecordType,
    },
    /// An HTTP(S) request for a document.
    Http {
        /// The URL requested.
        url: String,
        /// What the document should be.
        document: Document,
        /// The request body (Autodiscover's POST); `None`: GET.
        #[serde(skip_serializing_if = "Option::is_none")]
        post: Option<String>,
    },
    /// Greeting and capabilities of a guessed server — never a password.
    Probe {
        /// The guessed host name (the name the certificate must match).
        host: String,
        /// The address to connect to (resolved by discovery's own resolver).
        address: String,
        /// The port.
        port: u16,
        /// The protocol spoken.
        protocol: Protocol,
        /// Implicit TLS or STARTTLS.
        security: Security,
    },
}

impl Lookup {
    /// A short line for the trace: `MX example.org`, `GET https://…`, `probe imap.example.org:993`.
    pub fn label(&self) -> String {
        match self {
            Lookup::Dns { name, rtype } => format!("{} {name}", rtype.as_str()),
            Lookup::Http { url, post, .. } => {
                format!("{} {url}", if post.is_some() { "POST" } else { "GET" })
            }
            Lookup::Probe {
                host,
                port,
                protocol,
                security,
                ..
            } => format!(
                "probe {host}:{port} ({})",
                super::endpoint_words(*protocol, *security)
            ),
        }
    }
}

/// One DNS record of an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "type")]
pub enum DnsRecord {
    /// A mail exchanger.
    Mx {
        /// Lower is preferred.
        preference: u16,
        /// The exchanger's host name (as in the answer, trailing dot included).
        exchange: String,
    },
    /// A service location.
    Srv {
        /// Lower is preferred.
        priority: u16,
        /// Share among records of equal priority.
        weight: u16,
        /// The port of the service.
        port: u16,
        /// The host offering it (`.`: the service is not offered).
        target: String,
    },
    /// An IPv4 address.
    A {
        /// Dotted decimal.
        address: String,
    },
    /// An IPv6 address.
    Aaaa {
        /// RFC 5952 text.
        address: String,
    },
    /// An alias met on the way (`name` is an alias of `target`).
    Cname {
        /// The alias.
        name: String,
        /// The name it stands for.
        target: String,
    },
}

/// How a DNS query ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "status")]
pub enum DnsOutcome {
    /// NOERROR with records of the type asked (CNAMEs met on the way included).
    Answer {
        /// The records, in the order the resolver gave them.
        records: Vec<DnsRecord>,
    },
    /// NOERROR, but no record of that type (NODATA).
    NoData,
    /// The name does not exist.
    NxDomain,
    /// The resolver could not answer (SERVFAIL).
    ServFail,
    /// Another response code (REFUSED, FORMERR, …).
    Rcode {
        /// Its name (`REFUSED`).
        code: String,
    },
    /// No answer within the deadline.
    Timeout {
        /// The deadline.
        seconds: f64,
    },
    /// The query could not be sent or the answer not read.
    Error {
        /// What went wrong.
        message: String,
    },
}

/// A DNS answer as discovery saw it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DnsResult {
    /// How the query ended.
    pub outcome: DnsOutcome,
    /// The resolver said it validated the answer with DNSSEC (the AD bit) and discovery trusts
    /// that resolver to have done so (see `resolver_trusted`).
    pub authenticated: bool,
    /// The resolver asked, `127.0.0.1:53`.
    pub resolver: String,
}

impl DnsResult {
    /// The records, when there was an answer.
    pub fn records(&self) -> &[DnsRecord] {
        match &self.outcome {
            DnsOutcome::Answer { records } => records,
            _ => &[],
        }
    }
}

/// One HTTP redirect followed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-discovery", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Redirect {
    /// The status code (301, 302, 307, 308).
    pub status: u16,
    /// The URL redirected.
    pub from: String,
    /// Where it pointed (absolute).
    pub to: String,
}

/// How an HTTP(S) request ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "status")]
pub enum HttpOutcome {
    /// A 2xx answer and its body (within the size cap).
    Body {
        /// The status code.
        code: u16,
        /// The `Content-Type` header, when there was one.
        #[serde(skip_serializing_if = "Option::is_none")]
        content_type: Option<String>,
        /// The document.
        body: String,
    },
    /// Another status code (404, 500, …).
    Status {
        /// The status code.
        code: u16,
    },
    /// The document was larger than the cap; reading stopped there.
    TooLarge {
        /// The cap, in bytes.
        limit: u64,
    },
    /// The body is not UTF-8 text.
    NotText,
    /// More redirects than allowed, or a loop.
    TooManyRedirects {
        /// How many are allowed.
        limit: usize,
    },
    /// A redirect discovery refused to follow (HTTPS to plain HTTP, or not http(s)).
    RedirectRefused {
        /// Where it pointed.
        to: String,
        /// Why it was not followed.
        reason: String,
    },
    /// The host name did not resolve.
    Dns {
        /// What the resolver said.
        message: String,
    },
    /// No TCP connection.
    Connect {
        /// What the connection attempt said.
        message: String,
    },
    /// The TLS handshake failed or the certificate did not verify (in words).
    Tls {
        /// The problem, in words.
        message: String,
    },
    /// No answer within the deadline.
    Timeout {
        /// The deadline.
        seconds: f64,
    },
    /// Anything else the client reported.
    Error {
        /// What it reported.
        message: String,
    },
}

/// An HTTP(S) request as discovery saw it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpResult {
    /// How the request ended.
    pub outcome: HttpOutcome,
    /// Redirects followed, in order.
    pub redirects: Vec<Redirect>,
    /// The URL the answer came from (after redirects).
    pub final_url: String,
    /// The answer came over HTTPS with a certificate verified for the host (every hop).
    pub https_verified: bool,
}

/// A probe of a guessed server.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase", tag = "status")]
pub enum ProbeResult {
    /// The probe ran; the endpoint's report says what the server did.
    Report {
        /// What the probe saw.
        endpoint: Box<EndpointReport>,
    },
    /// The probe could not run (a request it refused).
    Error {
        /// Why.
        message: String,
    },
}

/// What came back for one lookup.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Observed {
    /// A DNS answer (or its failure).
    Dns(DnsResult),
    /// An HTTP(S) answer (or its failure).
    Http(HttpResult),
    /// A probe's report.
    Probe(ProbeResult),
    /// The lookup was not run (its source's deadline passed first, or it was not allowed).
    Skipped {
        /// Why, in words.
        reason: String,
    },
}

/// A lookup and its result, timed from the start of the discovery.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Observation {
    /// What was looked up.
    pub lookup: Lookup,
    /// What came back.
    pub observed: Observed,
    /// When it began, ms after the discovery began.
    pub start_ms: f64,
    /// How long it took.
    pub ms: f64,
    /// The answer was shared with another discovery of the same run (a batch asks the ISPDB
    /// and an MX provider's autoconfig once for all its domains): `ms` is the wait for it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub shared: bool,
}

/// Every observation of one discovery, in the order they finished.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    /// The observations.
    pub observations: Vec<Observation>,
}

impl Evidence {
    /// The observation of a lookup, when it has one.
    pub fn get(&self, lookup: &Lookup) -> Option<&Observation> {
        self.observations.iter().find(|o| &o.lookup == lookup)
    }

    /// The DNS result for a name and type.
    pub fn dns(&self, name: &str, rtype: RecordType) -> Option<&DnsResult> {
        self.observations
            .iter()
            .find_map(|o| match (&o.lookup, &o.observed) {
                (Lookup::Dns { name: n, rtype: t }, Observed::Dns(r))
                    if n == name && *t == rtype =>
                {
                    Some(r)
                }
                _ => None,
            })
    }

    /// Whether a lookup was already made.
    pub fn has(&self, lookup: &Lookup) -> bool {
        self.get(lookup).is_some()
    }
}
