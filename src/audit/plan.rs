//! What the audit looks up beyond discovery's own lookups, in the same round: what a simulated
//! client would fetch that discovery does not, and a probe of every server any source names.
//! Called with the evidence so far; returns what is not in it yet. No I/O.

use super::facts::PoxRead;
use crate::discovery::evidence::*;
use crate::discovery::plan::{self, Request};
use crate::model::{Protocol, Security};

/// The URL path of Autodiscover (POX).
pub const AUTODISCOVER_PATH: &str = "/autodiscover/autodiscover.xml";
/// The SRV name Outlook and Thunderbird ask for Autodiscover (MS-OXDISCO 3.1.5.3).
pub fn autodiscover_srv(domain: &str) -> String {
    format!("_autodiscover._tcp.{domain}")
}

/// The probes of certificate names tried per mismatching server (to find the name the fix
/// should advise), at most.
const CERTIFICATE_NAMES_TRIED: usize = 2;

/// An Autodiscover lookup: `https` or plain HTTP, on `autodiscover.<domain>` or the domain,
/// POST (Outlook's, Thunderbird's) or GET (Delta Chat's; the HTTP redirect method).
pub fn autodiscover_lookup(
    request: &Request,
    https: bool,
    host_prefix: bool,
    post: bool,
) -> Lookup {
    let d = &request.domain;
    let host = if host_prefix {
        format!("autodiscover.{d}")
    } else {
        d.clone()
    };
    let (scheme, standard) = if https { ("https", 443) } else { ("http", 80) };
    let origin = match request.options.port_offset {
        0 => format!("{scheme}://{host}"),
        _ => format!("{scheme}://{host}:{}", request.port(standard)),
    };
    let email = request
        .email
        .clone()
        .unwrap_or_else(|| super::default_address(d));
    Lookup::Http {
        url: format!("{origin}{AUTODISCOVER_PATH}"),
        document: Document::Autodiscover {
            domain: d.clone(),
            host_prefix,
        },
        post: post.then(|| plan::autodiscover_request(&email)),
    }
}

/// A POST of the Autodiscover request to a URL found by a redirect or an SRV record.
pub fn autodiscover_post_to(request: &Request, url: &str) -> Lookup {
    let email = request
        .email
        .clone()
        .unwrap_or_else(|| super::default_address(&request.domain));
    Lookup::Http {
        url: url.to_owned(),
        document: Document::Autodiscover {
            domain: request.domain.clone(),
            host_prefix: true,
        },
        post: Some(plan::autodiscover_request(&email)),
    }
}

/// The URL Outlook and Thunderbird derive from an `_autodiscover._tcp` SRV target.
pub fn autodiscover_srv_url(target: &str, port: u16) -> String {
    let host = plan::normalize(target);
    match port {
        443 | 0 => format!("https://{host}{AUTODISCOVER_PATH}"),
        p => format!("https://{host}:{p}{AUTODISCOVER_PATH}"),
    }
}

/// The domain of an MX host as Thunderbird desktop cuts it: `Services.eTLD.getNextSubDomain`,
/// the registrable domain with one more label (`aspmx.l.google.com` → `l.google.com`,
/// `mx.example.net` → `mx.example.net`), when that differs from the registrable domain
/// (comm-central `FetchConfig.sys.mjs`, `fetchConfigForMX`).
pub fn thunderbird_mx_subdomain(mx_host: &str) -> Option<String> {
    let host = plan::normalize(mx_host);
    let reg = plan::registrable_domain(&host)?;
    let below = host.strip_suffix(&format!(".{reg}"))?;
    let label = below.rsplit('.').next()?;
    Some(format!("{label}.{reg}"))
}

/// The domain of an MX host as Thunderbird for Android cuts it: the host without its first
/// label (`RealSubDomainExtractor.kt`), when that differs from the registrable domain
/// (`example-org.mail.protection.outlook.com` → `mail.protection.outlook.com`).
pub fn android_mx_subdomain(mx_host: &str) -> Option<String> {
    let host = plan::normalize(mx_host);
    let reg = plan::registrable_domain(&host)?;
    let below = host.strip_suffix(&format!(".{reg}"))?;
    below
        .split_once('.')
        .map(|(_, rest)| format!("{rest}.{reg}"))
        .filter(|d| *d != reg)
}

/// Every lookup the audit adds, given the evidence so far (those already made are left out).
pub fn lookups(request: &Request, evidence: &Evidence, probe: bool) -> Vec<Lookup> {
    let mut out = Vec::new();
    let d = &request.domain;
    // Autodiscover the ways the clients ask: Outlook and Thunderbird POST to both HTTPS URLs
    // (discovery asks those too), Delta Chat GETs them (configure.rs), and the HTTP redirect
    // method starts with plain HTTP on autodiscover.<domain> (MS-OXDISCO 3.1.5.4).
    for host_prefix in [false, true] {
        out.push(autodiscover_lookup(request, true, host_prefix, true));
        out.push(autodiscover_lookup(request, true, host_prefix, false));
    }
    out.push(autodiscover_lookup(request, false, true, false));
    out.push(Lookup::Dns {
        name: autodiscover_srv(d),
        rtype: RecordType::Srv,
    });
    // The HTTP redirect method: the redirect's HTTPS target gets the POST (Thunderbird's
    // ExchangeAutoDiscover.sys.mjs re-posts there; Outlook after the person agrees).
    if let Some(Observation {
        observed: Observed::Http(r),
        ..
    }) = evidence.get(&autodiscover_lookup(request, false, true, false))
    {
        if !r.redirects.is_empty() && r.final_url.starts_with("https://") {
            out.push(autodiscover_post_to(request, &r.final_url));
        }
    }
    if let Some(srv) = evidence.dns(&autodiscover_srv(d), RecordType::Srv) {
        if let Some((target, port)) = srv_first(srv.records()) {
            out.push(autodiscover_post_to(
                request,
                &autodiscover_srv_url(&target, port),
            ));
        }
    }
    // The MX host's domains as each Thunderbird cuts them (discovery asks the registrable
    // domain and its next label when the host has two labels below it).
    if let Some(mx) = evidence.dns(d, RecordType::Mx) {
        if let Some(top) = plan::top_exchanger(mx.records()) {
            let reg = plan::registrable_domain(&top);
            let mut extra: Vec<String> = Vec::new();
            extra.extend(thunderbird_mx_subdomain(&top));
            extra.extend(android_mx_subdomain(&top));
            for x in extra {
                if Some(&x) == reg.as_ref() || x == *d {
                    continue;
                }
                out.push(request.ispdb_lookup(&x, true));
                out.push(super::facts::autoconfig_lookup(
                    request, &x, true, true, false,
                ));
            }
        }
    }
    if probe {
        out.extend(probes(request, evidence));
    }
    out.retain(|l| !evidence.has(l));
    let mut seen = Vec::new();
    out.retain(|l| {
        if seen.contains(l) {
            false
        } else {
            seen.push(l.clone());
            true
        }
    });
    out
}

/// The SRV record a client uses first (lowest priority, then heaviest weight), when the service
/// is offered.
pub fn srv_first(records: &[DnsRecord]) -> Option<(String, u16)> {
    records
        .iter()
        .filter_map(|r| match r {
            DnsRecord::Srv {
                priority,
                weight,
                port,
                target,
            } if !plan::normalize(target).is_empty() && *port > 0 => Some((
                *priority,
                std::cmp::Reverse(*weight),
                plan::normalize(target),
                *port,
            )),
            _ => None,
        })
        .min()
        .map(|(_, _, t, p)| (t, p))
}

/// The servers every source of the evidence names: autoconfig files and ISPDB entries (as
/// Thunderbird reads them), Autodiscover responses, SRV targets and the candidates discovery
/// found (the provider table's entries among them).
pub fn servers_named(
    request: &Request,
    evidence: &Evidence,
) -> Vec<(String, u16, Protocol, Security)> {
    let email = request
        .email
        .clone()
        .unwrap_or_else(|| super::default_address(&request.domain));
    let mut out = Vec::new();
    for o in &evidence.observations {
        match (&o.lookup, &o.observed) {
            (
                Lookup::Http { document, .. },
                Observed::Http(HttpResult {
                    outcome: HttpOutcome::Body { body, .. },
                    ..
                }),
            ) => match document {
                Document::Autodiscover { .. } => {
                    if let PoxRead::Settings(ps) = PoxRead::new(body) {
                        for p in ps {
                            if let (Some(protocol), Some(port)) = (p.protocol(), p.port) {
                                if !p.server.is_empty() {
                                    let sec = super::clients::outlook::pox_security(&p, port);
                                    out.push((plan::normalize(&p.server), port, protocol, sec));
                                }
                            }
                        }
                    }
                }
                _ => {
                    for s in autoconfig_servers(body, &email) {
                        out.push((plan::normalize(&s.host), s.port, s.protocol, s.security));
                    }
                }
            },
            (
                Lookup::Dns {
                    name,
                    rtype: RecordType::Srv,
                },
                Observed::Dns(r),
            ) => {
                let Some((_, protocol, security)) = request.srv_names().find(|(n, _, _)| n == name)
                else {
                    continue;
                };
                for rec in r.records() {
                    if let DnsRecord::Srv { port, target, .. } = rec {
                        let t = plan::normalize(target);
                        if !t.is_empty() && *port > 0 {
                            out.push((t, *port, protocol, security));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    // The provider table, by the domain and by the MX host (servers at their documented ports).
    let mut providers: Vec<&crate::providers::Provider> = Vec::new();
    providers.extend(crate::providers::by_domain(&request.domain));
    if let Some(top) = evidence
        .dns(&request.domain, RecordType::Mx)
        .and_then(|m| plan::top_exchanger(m.records()))
    {
        providers.extend(crate::providers::by_mx(&top).or_else(|| {
            plan::mx_domains(&top)
                .iter()
                .find_map(|d| crate::providers::by_domain(d))
        }));
    }
    for p in providers {
        for e in &p.servers {
            out.push((e.host.clone(), e.port, e.protocol, e.security));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The probes (and the address lookups they need) of every server named, and of the names a
/// mismatching certificate carries.
fn probes(request: &Request, evidence: &Evidence) -> Vec<Lookup> {
    let mut out = Vec::new();
    let mut targets = servers_named(request, evidence);
    // A certificate that does not name the host: try the names it does carry, on the same
    // port, so that the fix can advise a name that verifies.
    for o in &evidence.observations {
        if let (
            Lookup::Probe {
                port,
                protocol,
                security,
                ..
            },
            Observed::Probe(ProbeResult::Report { endpoint }),
        ) = (&o.lookup, &o.observed)
        {
            let Some(tls) = &endpoint.tls else { continue };
            if tls.name_matches {
                continue;
            }
            let names = tls
                .chain
                .first()
                .map(|c| c.sans.clone())
                .unwrap_or_default();
            for n in names
                .iter()
                .filter(|n| !n.starts_with('*') && n.parse::<std::net::IpAddr>().is_err())
                .take(CERTIFICATE_NAMES_TRIED)
            {
                targets.push((plan::normalize(n), *port, *protocol, *security));
            }
        }
    }
    for (host, port, protocol, security) in targets {
        if host.is_empty() {
            continue;
        }
        let address = if let Ok(ip) = host.parse::<std::net::IpAddr>() {
            Some(ip.to_string())
        } else {
            let a = Lookup::Dns {
                name: host.clone(),
                rtype: RecordType::A,
            };
            match evidence.dns(&host, RecordType::A) {
                None => {
                    out.push(a);
                    None
                }
                Some(r) => r.records().iter().find_map(|x| match x {
                    DnsRecord::A { address } => Some(address.clone()),
                    _ => None,
                }),
            }
        };
        if let Some(address) = address {
            out.push(Lookup::Probe {
                host,
                address,
                port,
                protocol,
                security,
            });
        }
    }
    out
}

/// The evidence discovery's analysis should see: its own lookups only (the audit's probes of
/// named servers are not guesses, and its extra Autodiscover requests are the clients').
pub fn discovery_view(request: &Request, evidence: &Evidence) -> Evidence {
    let guessed: Vec<String> = request.guessed_hosts().map(|(h, _)| h).collect();
    let srv: Vec<String> = request.srv_names().map(|(n, _, _)| n).collect();
    let own = |l: &Lookup| match l {
        Lookup::Probe { host, .. } => guessed.contains(host),
        Lookup::Dns { name, rtype } => match rtype {
            RecordType::Mx => *name == request.domain,
            RecordType::Srv => srv.contains(name),
            _ => guessed.contains(name),
        },
        Lookup::Http {
            url,
            document: Document::Autodiscover { .. },
            post,
        } => {
            post.is_some() && url.starts_with("https://") && {
                let ours = [true, false].map(|hp| autodiscover_lookup(request, true, hp, true));
                ours.iter()
                    .any(|o| matches!(o, Lookup::Http { url: u, .. } if u == url))
            }
        }
        Lookup::Http { .. } => true,
    };
    Evidence {
        observations: evidence
            .observations
            .iter()
            .filter(|o| own(&o.lookup))
            .cloned()
            .collect(),
    }
}

/// The servers of an autoconfig file (Thunderbird's reading, placeholders filled).
fn autoconfig_servers(body: &str, email: &str) -> Vec<crate::model::Server> {
    match crate::documents::import_autoconfig(body, Some(email)) {
        Ok(i) => i
            .incoming
            .into_iter()
            .chain(i.outgoing)
            .map(|s| s.server)
            .collect(),
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mx_subdomains_as_each_thunderbird_cuts_them() {
        // Desktop: getNextSubDomain; Android: without the first label.
        let ms = "example-org.mail.protection.outlook.com";
        assert_eq!(
            thunderbird_mx_subdomain(ms).as_deref(),
            Some("protection.outlook.com")
        );
        assert_eq!(
            android_mx_subdomain(ms).as_deref(),
            Some("mail.protection.outlook.com")
        );
        let g = "aspmx.l.google.com.";
        assert_eq!(thunderbird_mx_subdomain(g).as_deref(), Some("l.google.com"));
        assert_eq!(android_mx_subdomain(g).as_deref(), Some("l.google.com"));
        assert_eq!(
            thunderbird_mx_subdomain("mx.example.net").as_deref(),
            Some("mx.example.net")
        );
        assert_eq!(android_mx_subdomain("mx.example.net"), None);
        assert_eq!(thunderbird_mx_subdomain("example.net"), None);
    }

    #[test]
    fn srv_first_takes_the_lowest_priority_then_the_heaviest() {
        let r = |priority, weight, target: &str| DnsRecord::Srv {
            priority,
            weight,
            port: 443,
            target: target.into(),
        };
        let recs = [
            r(10, 5, "b.test."),
            r(0, 1, "c.test."),
            r(0, 9, "a.test."),
            r(0, 0, "."),
        ];
        assert_eq!(srv_first(&recs), Some(("a.test".into(), 443)));
        assert_eq!(srv_first(&[r(0, 0, ".")]), None);
    }
}
