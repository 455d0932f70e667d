//! What to look up for an address: the first round ([`Request::initial`]) and what the answers so
//! far call for ([`Request::follow_up`]: the MX host's domains, the guessed hosts that resolve).
//! The executor runs the lookups; this module only decides them.

use super::evidence::{DnsRecord, Document, Evidence, Lookup, RecordType};
use crate::model::ports::*;
use crate::model::{Host, HostKind, HostProblem};
use crate::model::{Protocol, Security};

/// Thunderbird's ISPDB (the default of `--ispdb-url`): `<base><domain>`.
pub const DEFAULT_ISPDB_URL: &str = "https://autoconfig.thunderbird.net/v1.1/";

/// The RFC 6186 / RFC 8314 SRV services, with what each one offers.
pub const SRV_SERVICES: [(&str, Protocol, Security); 6] = [
    ("_imaps", Protocol::Imap, Security::Tls),
    ("_imap", Protocol::Imap, Security::Starttls),
    ("_pop3s", Protocol::Pop3, Security::Tls),
    ("_pop3", Protocol::Pop3, Security::Starttls),
    ("_submissions", Protocol::Smtp, Security::Tls),
    ("_submission", Protocol::Smtp, Security::Starttls),
];

/// The host names guessed (with the bare domain, `""`), and the protocols each is tried for.
pub const GUESSES: [(&str, &[Protocol]); 6] = [
    ("imap.", &[Protocol::Imap]),
    ("pop3.", &[Protocol::Pop3]),
    ("pop.", &[Protocol::Pop3]),
    ("mail.", &[Protocol::Imap, Protocol::Pop3, Protocol::Smtp]),
    ("smtp.", &[Protocol::Smtp]),
    ("", &[Protocol::Imap, Protocol::Pop3, Protocol::Smtp]),
];

/// How to discover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Send the address to the domain's autoconfig (`?emailaddress=`) and to Autodiscover.
    pub send_address: bool,
    /// Also try plain-HTTP autoconfig (results are marked untrusted).
    pub allow_http: bool,
    /// The ISPDB's base URL: `<base><domain>` is fetched.
    pub ispdb_url: String,
    /// Where the standard ports are (0 normally; N moves 443 → 443 + N, 993 → 993 + N, …), as for
    /// a lab or test network that maps ports. SRV records and documents give their own ports.
    pub port_offset: u16,
    /// Guess host names and probe them (greeting and capabilities only).
    pub guess: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            send_address: false,
            allow_http: false,
            ispdb_url: DEFAULT_ISPDB_URL.into(),
            port_offset: 0,
            guess: true,
        }
    }
}

/// Input discovery cannot work with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// Neither an email address nor a domain name.
    #[error(
        "{} is not an email address or a domain name: {reason}",
        crate::text::Quoted(input)
    )]
    Input {
        /// What was given.
        input: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A standard port plus `port_offset` passes 65535.
    #[error("port offset {offset} moves port {port} past 65535")]
    PortOffset {
        /// The offset given.
        offset: u16,
        /// The standard port it moves too far.
        port: u16,
    },
}

/// One discovery: for whom, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The address, when one was given (`None` for a bare domain).
    pub email: Option<String>,
    /// The domain (lower case, IDNA A-labels, no trailing dot).
    pub domain: String,
    /// How to discover.
    pub options: Options,
}

impl Request {
    /// Reads `someone@example.org` or `example.org`.
    pub fn new(input: &str, options: Options) -> Result<Request, RequestError> {
        let bad = |reason: &str| RequestError::Input {
            input: input.to_owned(),
            reason: reason.to_owned(),
        };
        let t = input.trim();
        let (email, domain) = match t.rsplit_once('@') {
            Some(("", _)) => return Err(bad("nothing before the @")),
            Some((local, _)) if local.chars().any(|c| c.is_whitespace() || c.is_control()) => {
                return Err(bad(
                    "the part before the @ has spaces or control characters",
                ))
            }
            Some((_, d)) => (Some(t), d),
            None => (None, t),
        };
        let host = Host::parse(domain);
        match host.kind {
            Some(HostKind::Name) => {}
            Some(HostKind::Ip(_)) => return Err(bad("an IP address is not a mail domain")),
            None => return Err(bad("the domain is not a valid host name")),
        }
        if let Some(p) = host.problems.iter().find(|p| {
            !matches!(
                p,
                HostProblem::UpperCase | HostProblem::TrailingDot | HostProblem::Whitespace
            )
        }) {
            let why = match p {
                HostProblem::Syntax(s) => s.clone(),
                HostProblem::Url { .. } => "give the domain, not a URL".into(),
                HostProblem::Port(_) => "give the domain without a port".into(),
                _ => "the domain is not a valid host name".into(),
            };
            return Err(bad(&why));
        }
        if !host.ascii.contains('.') {
            return Err(bad("a mail domain has at least two labels (example.org)"));
        }
        for port in [443, 80, IMAPS, IMAP, POP3S, POP3, SUBMISSIONS, SUBMISSION] {
            if port.checked_add(options.port_offset).is_none() {
                return Err(RequestError::PortOffset {
                    offset: options.port_offset,
                    port,
                });
            }
        }
        let email = email.map(|e| {
            let (local, _) = e.rsplit_once('@').unwrap_or(("", ""));
            format!("{local}@{}", host.ascii)
        });
        Ok(Request {
            email,
            domain: host.ascii,
            options,
        })
    }

    /// A standard port moved by the offset (checked in [`Request::new`]).
    pub fn port(&self, standard: u16) -> u16 {
        standard.saturating_add(self.options.port_offset)
    }

    fn origin(&self, scheme: &str, host: &str) -> String {
        let standard = if scheme == "https" { 443 } else { 80 };
        match self.options.port_offset {
            0 => format!("{scheme}://{host}"),
            _ => format!("{scheme}://{host}:{}", self.port(standard)),
        }
    }

    /// The autoconfig URLs of a domain (HTTPS; with `allow_http` also plain HTTP).
    pub fn autoconfig_lookups(&self, domain: &str, via_mx: bool) -> Vec<Lookup> {
        let query = match (&self.email, self.options.send_address && !via_mx) {
            (Some(e), true) => format!("?emailaddress={}", percent_encode(e)),
            _ => String::new(),
        };
        let mut out = Vec::new();
        let schemes: &[&str] = if self.options.allow_http {
            &["https", "http"]
        } else {
            &["https"]
        };
        for &scheme in schemes {
            for well_known in [false, true] {
                let url = if well_known {
                    format!(
                        "{}/.well-known/autoconfig/mail/config-v1.1.xml{query}",
                        self.origin(scheme, domain)
                    )
                } else {
                    let host = format!("autoconfig.{domain}");
                    format!("{}/mail/config-v1.1.xml{query}", self.origin(scheme, &host))
                };
                out.push(Lookup::Http {
                    url,
                    document: Document::Autoconfig {
                        domain: domain.to_owned(),
                        well_known,
                        http: scheme == "http",
                        via_mx,
                    },
                    post: None,
                });
            }
        }
        out
    }

    /// The ISPDB lookup of a domain.
    pub fn ispdb_lookup(&self, domain: &str, via_mx: bool) -> Lookup {
        Lookup::Http {
            url: format!("{}{domain}", self.options.ispdb_url),
            document: Document::Ispdb {
                domain: domain.to_owned(),
                via_mx,
            },
            post: None,
        }
    }

    /// The SRV names (`_imaps._tcp.example.org`), with what each offers.
    pub fn srv_names(&self) -> impl Iterator<Item = (String, Protocol, Security)> + '_ {
        SRV_SERVICES
            .iter()
            .map(|&(s, p, sec)| (format!("{s}._tcp.{}", self.domain), p, sec))
    }

    /// The guessed host names, with the protocols each is tried for.
    pub fn guessed_hosts(&self) -> impl Iterator<Item = (String, &'static [Protocol])> + '_ {
        GUESSES
            .iter()
            .map(|&(prefix, ps)| (format!("{prefix}{}", self.domain), ps))
    }

    /// Everything to look up at once.
    pub fn initial(&self) -> Vec<Lookup> {
        let d = &self.domain;
        let mut out = vec![Lookup::Dns {
            name: d.clone(),
            rtype: RecordType::Mx,
        }];
        out.extend(self.srv_names().map(|(name, _, _)| Lookup::Dns {
            name,
            rtype: RecordType::Srv,
        }));
        out.extend(self.autoconfig_lookups(d, false));
        out.push(self.ispdb_lookup(d, false));
        if let (Some(email), true) = (&self.email, self.options.send_address) {
            for host_prefix in [true, false] {
                let host = if host_prefix {
                    format!("autodiscover.{d}")
                } else {
                    d.clone()
                };
                out.push(Lookup::Http {
                    url: format!(
                        "{}/autodiscover/autodiscover.xml",
                        self.origin("https", &host)
                    ),
                    document: Document::Autodiscover {
                        domain: d.clone(),
                        host_prefix,
                    },
                    post: Some(autodiscover_request(email)),
                });
            }
        }
        if self.options.guess {
            for (host, _) in self.guessed_hosts() {
                out.push(Lookup::Dns {
                    name: host,
                    rtype: RecordType::A,
                });
            }
        }
        out
    }

    /// The lookups the evidence so far calls for and that were not made yet: the MX host's
    /// domains (ISPDB and autoconfig; the provider table needs no lookup) and the probes of
    /// guessed hosts that resolved.
    pub fn follow_up(&self, evidence: &Evidence) -> Vec<Lookup> {
        let mut out = Vec::new();
        if let Some(mx) = evidence.dns(&self.domain, RecordType::Mx) {
            if let Some(top) = top_exchanger(mx.records()) {
                for d in mx_domains(&top) {
                    if d == self.domain {
                        continue;
                    }
                    out.push(self.ispdb_lookup(&d, true));
                    out.extend(self.autoconfig_lookups(&d, true));
                }
            }
        }
        if self.options.guess {
            for (host, protocols) in self.guessed_hosts() {
                let Some(a) = evidence.dns(&host, RecordType::A) else {
                    continue;
                };
                let Some(address) = a.records().iter().find_map(|r| match r {
                    DnsRecord::A { address } => Some(address.clone()),
                    _ => None,
                }) else {
                    continue;
                };
                for &protocol in protocols {
                    for (port, security) in standard_endpoints(protocol) {
                        out.push(Lookup::Probe {
                            host: host.clone(),
                            address: address.clone(),
                            port: self.port(port),
                            protocol,
                            security,
                        });
                    }
                }
            }
        }
        out.retain(|l| !evidence.has(l));
        out
    }
}

/// RFC 8314's order: implicit TLS first, then STARTTLS.
pub const fn standard_endpoints(p: Protocol) -> [(u16, Security); 2] {
    match p {
        Protocol::Imap => [(IMAPS, Security::Tls), (IMAP, Security::Starttls)],
        Protocol::Pop3 => [(POP3S, Security::Tls), (POP3, Security::Starttls)],
        Protocol::Smtp => [
            (SUBMISSIONS, Security::Tls),
            (SUBMISSION, Security::Starttls),
        ],
    }
}

/// The exchanger with the lowest preference (the first of equals), without its trailing dot.
pub fn top_exchanger(records: &[DnsRecord]) -> Option<String> {
    records
        .iter()
        .filter_map(|r| match r {
            DnsRecord::Mx {
                preference,
                exchange,
            } => Some((*preference, exchange)),
            _ => None,
        })
        .min_by_key(|(p, _)| *p)
        .map(|(_, e)| normalize(e))
        .filter(|e| !e.is_empty())
}

/// A DNS name as compared here: lower case, no trailing dot.
pub fn normalize(name: &str) -> String {
    name.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// The registrable domain of a host (Public Suffix List): `aspmx.l.google.com` → `google.com`.
pub fn registrable_domain(host: &str) -> Option<String> {
    super::suffix::registrable_domain(&normalize(host))
}

/// The domains an MX host stands for, most specific first: the registrable domain's next label
/// (`mx1.mail.ovh.net` → `mail.ovh.net`) when the host has one below it, then the registrable
/// domain (`ovh.net`).
pub fn mx_domains(mx_host: &str) -> Vec<String> {
    let host = normalize(mx_host);
    let Some(reg) = registrable_domain(&host) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(below) = host.strip_suffix(&format!(".{reg}")) {
        // The label just above the registrable domain, if the host has more than one below it.
        let labels: Vec<&str> = below.split('.').collect();
        if labels.len() >= 2 {
            out.push(format!("{}.{reg}", labels[labels.len() - 1]));
        }
    }
    out.push(reg);
    out
}

/// Whether `host` is `domain` or below it.
pub fn within(host: &str, domain: &str) -> bool {
    let (h, d) = (normalize(host), normalize(domain));
    h == d || h.ends_with(&format!(".{d}"))
}

/// Whether two hosts share a registrable domain (a redirect from `example.org` to
/// `www.example.org` stays with the owner; one to `hoster.net` does not).
pub fn same_owner(a: &str, b: &str) -> bool {
    match (registrable_domain(a), registrable_domain(b)) {
        (Some(x), Some(y)) => x == y,
        _ => normalize(a) == normalize(b),
    }
}

/// The Autodiscover POX request for an address (the schema Outlook sends).
pub fn autodiscover_request(email: &str) -> String {
    let email = xml_escape(email);
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006\">\n\
         <Request>\n<EMailAddress>{email}</EMailAddress>\n\
         <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>\n\
         </Request>\n</Autodiscover>\n"
    )
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mx_domains_follow_the_public_suffix_list() {
        assert_eq!(
            mx_domains("aspmx.l.google.com."),
            ["l.google.com", "google.com"]
        );
        assert_eq!(mx_domains("mx1.mail.ovh.net"), ["mail.ovh.net", "ovh.net"]);
        assert_eq!(mx_domains("mx.example.co.uk"), ["example.co.uk"]);
        assert_eq!(
            mx_domains("example-org.mail.protection.outlook.com"),
            ["protection.outlook.com", "outlook.com"]
        );
        assert!(mx_domains("").is_empty());
    }

    #[test]
    fn requests_read_addresses_and_domains() {
        let r = Request::new(" Someone@Example.ORG. ", Options::default()).unwrap();
        assert_eq!(r.domain, "example.org");
        assert_eq!(r.email.as_deref(), Some("Someone@example.org"));
        assert!(Request::new("example.org", Options::default())
            .unwrap()
            .email
            .is_none());
        for bad in [
            "",
            "@example.org",
            "a b@example.org",
            "localhost",
            "127.0.0.1",
            "https://x.org/",
        ] {
            assert!(Request::new(bad, Options::default()).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_address_is_sent_only_when_asked() {
        let mut o = Options::default();
        let r = Request::new("me@example.org", o.clone()).unwrap();
        assert!(r
            .initial()
            .iter()
            .all(|l| !format!("{l:?}").contains("me%40")));
        assert!(r
            .initial()
            .iter()
            .all(|l| !matches!(l, Lookup::Http { post: Some(_), .. })));
        o.send_address = true;
        let r = Request::new("me@example.org", o).unwrap();
        assert!(r
            .initial()
            .iter()
            .any(|l| format!("{l:?}").contains("emailaddress=me%40example.org")));
    }

    #[test]
    fn offsets_move_every_standard_port() {
        let o = Options {
            port_offset: 10000,
            ..Options::default()
        };
        let r = Request::new("example.org", o).unwrap();
        let urls: Vec<String> = r
            .autoconfig_lookups("example.org", false)
            .into_iter()
            .filter_map(|l| match l {
                Lookup::Http { url, .. } => Some(url),
                _ => None,
            })
            .collect();
        assert_eq!(
            urls,
            [
                "https://autoconfig.example.org:10443/mail/config-v1.1.xml",
                "https://example.org:10443/.well-known/autoconfig/mail/config-v1.1.xml"
            ]
        );
        let o = Options {
            port_offset: 65000,
            ..Options::default()
        };
        assert!(matches!(
            Request::new("example.org", o),
            Err(RequestError::PortOffset { .. })
        ));
    }
}
