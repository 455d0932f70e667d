//! What the domain publishes, checked: MX, the RFC 6186/8314 SRV records, autoconfig at both
//! URLs (HTTPS and plain HTTP), the ISPDB entries clients read for it, Autodiscover however the
//! clients ask — every document linted, and every server any of them names probed.

use super::check::{self, ServerCheck};
use super::clients::thunderbird::{self, Read};
use super::facts::{Facts, Fetch, PoxRead};
use super::plan::{self as aplan, autodiscover_lookup};
use crate::diagnostic::ProviderRef;
use crate::diagnostic::Report;
use crate::discovery::evidence::{DnsOutcome, DnsRecord, Lookup, RecordType};
use crate::discovery::plan;
use crate::model::{Protocol, Security, Server};
use serde::Serialize;

/// The domain's MX.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MxCheck {
    /// The records, in words (`10 mx.example.org`), or what the resolver said.
    pub answer: String,
    /// The most preferred exchanger.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top: Option<String>,
    /// The provider in mailsetup's table that runs it, when one does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<ProviderRef>,
    /// The answer was DNSSEC-validated.
    pub dnssec: bool,
}

/// One SRV name.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SrvCheck {
    /// `_imaps._tcp.example.org`.
    pub name: String,
    /// What it offers.
    pub protocol: Protocol,
    /// With what security.
    pub security: Security,
    /// The answer, in words.
    pub answer: String,
    /// Some target offers the service.
    pub offered: bool,
}

/// How a client takes a document.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case", tag = "result", content = "detail")]
pub enum Taken {
    /// It reads these servers.
    Reads(String),
    /// It refuses the document: why.
    Refuses(String),
    /// There is nothing to read.
    Absent,
}

/// One autoconfig document (the domain's, an MX domain's or an ISPDB entry).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentCheck {
    /// What it is (`autoconfig (HTTPS)`, `well-known (plain HTTP)`, `ISPDB`, …).
    pub kind: String,
    /// The URL.
    pub url: String,
    /// What came back, in words.
    pub fetched: String,
    /// Whether there was a document.
    pub found: bool,
    /// Over HTTPS with a certificate verified on every hop.
    pub https_verified: bool,
    /// What lint says about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lint: Option<Report>,
    /// How Thunderbird takes it.
    pub thunderbird: Taken,
    /// How Thunderbird for Android takes it.
    pub android: Taken,
    /// The servers it names (placeholders filled for the audited address).
    pub servers: Vec<Server>,
}

/// One Autodiscover request.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AutodiscoverCheck {
    /// `POST` or `GET`.
    pub method: &'static str,
    /// The URL.
    pub url: String,
    /// What came back, in words.
    pub fetched: String,
    /// The servers the response names, read as Outlook reads them.
    pub servers: Vec<Server>,
    /// A redirect the response gives.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect: Option<String>,
}

/// A server some source names, and what the probe says.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerRow {
    /// The server.
    pub server: Server,
    /// Which sources name it.
    pub named_by: Vec<String>,
    /// The probe's judgement.
    pub check: ServerCheck,
}

/// What the domain publishes.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Published {
    /// MX.
    pub mx: MxCheck,
    /// The six RFC 6186/8314 SRV names.
    pub srv: Vec<SrvCheck>,
    /// The domain's autoconfig URLs (HTTPS and plain HTTP, both URLs).
    pub autoconfig: Vec<DocumentCheck>,
    /// The ISPDB entries clients read for the domain and its MX host's domains, and the MX
    /// domains' autoconfig.
    pub ispdb: Vec<DocumentCheck>,
    /// Autodiscover, every way a client asks.
    pub autodiscover: Vec<AutodiscoverCheck>,
    /// `_autodiscover._tcp`, in words.
    pub autodiscover_srv: String,
    /// Every server named, probed.
    pub servers: Vec<ServerRow>,
}

fn dns_answer(o: Option<&crate::discovery::DnsResult>) -> String {
    let Some(r) = o else {
        return "not looked up in this round".into();
    };
    match &r.outcome {
        DnsOutcome::Answer { records } => records
            .iter()
            .map(|x| match x {
                DnsRecord::Mx {
                    preference,
                    exchange,
                } => format!("{preference} {}", plan::normalize(exchange)),
                DnsRecord::Srv {
                    priority,
                    weight,
                    port,
                    target,
                } => format!("{priority} {weight} {port} {target}"),
                DnsRecord::A { address } | DnsRecord::Aaaa { address } => address.clone(),
                DnsRecord::Cname { name, target } => format!("{name} → {target}"),
            })
            .collect::<Vec<_>>()
            .join(", "),
        DnsOutcome::NoData => "no record".into(),
        DnsOutcome::NxDomain => "the name does not exist".into(),
        DnsOutcome::ServFail => "SERVFAIL".into(),
        DnsOutcome::Rcode { code } => code.clone(),
        DnsOutcome::Timeout { seconds } => {
            format!("no answer within {} s", crate::text::number(*seconds))
        }
        DnsOutcome::Error { message } => message.clone(),
    }
}

/// An autoconfig document checked.
pub(crate) fn document(facts: &Facts, kind: String, lookup: &Lookup) -> DocumentCheck {
    let Lookup::Http { url, .. } = lookup else {
        unreachable!("autoconfig lookups are HTTP")
    };
    let fetch = facts.fetch(lookup);
    let read = facts.autoconfig(lookup);
    let taken = |r: Read| match r {
        Read::Accept(i, o) => Taken::Reads(format!(
            "{}{}",
            super::facts::server_label(&i),
            o.map(|o| format!(" and {}", super::facts::server_label(&o)))
                .unwrap_or_default()
        )),
        Read::Refuse(why) => Taken::Refuses(why),
        Read::Failed(_) => Taken::Absent,
    };
    let android = match read {
        None => Taken::Absent,
        Some(r) => match (&r.android_refuses, r.android_servers()) {
            (Some(why), _) => Taken::Refuses(why.clone()),
            (None, (Some(i), Some(o))) => Taken::Reads(format!(
                "{} and {}",
                super::facts::server_label(i),
                super::facts::server_label(o)
            )),
            _ => Taken::Refuses("no IMAP and SMTP server".into()),
        },
    };
    DocumentCheck {
        kind,
        url: url.clone(),
        fetched: fetch.words(),
        found: fetch.body().is_some(),
        https_verified: matches!(fetch, Fetch::Body { result, .. } if result.https_verified),
        lint: read.and_then(|r| r.lint.clone()),
        thunderbird: taken(thunderbird::read_autoconfig(facts, lookup)),
        android,
        servers: read
            .map(|r| r.servers().into_iter().cloned().collect())
            .unwrap_or_default(),
    }
}

/// Checks what the domain publishes.
pub fn published(facts: &Facts) -> Published {
    let d = facts.domain.clone();
    let mx_result = facts.dns(&d, RecordType::Mx);
    let top = mx_result.and_then(|r| plan::top_exchanger(r.records()));
    let provider = top.as_deref().and_then(|t| {
        crate::providers::by_mx(t).or_else(|| {
            plan::mx_domains(t)
                .iter()
                .find_map(|x| crate::providers::by_domain(x))
        })
    });
    let mx = MxCheck {
        answer: dns_answer(mx_result),
        top: top.clone(),
        provider: provider.map(ProviderRef::from),
        dnssec: mx_result.is_some_and(|r| r.authenticated),
    };
    let srv = facts
        .request
        .srv_names()
        .map(|(name, protocol, security)| {
            let r = facts.dns(&name, RecordType::Srv);
            SrvCheck {
                offered: r.is_some_and(|r| aplan::srv_first(r.records()).is_some()),
                answer: dns_answer(r),
                name,
                protocol,
                security,
            }
        })
        .collect();
    let mut autoconfig = Vec::new();
    for (https, wk) in [(true, false), (true, true), (false, false), (false, true)] {
        let kind = format!(
            "{} ({})",
            if wk {
                "well-known URL"
            } else {
                "autoconfig host"
            },
            if https { "HTTPS" } else { "plain HTTP" }
        );
        autoconfig.push(document(facts, kind, &facts.own_autoconfig(https, wk)));
    }
    let mut ispdb = vec![document(
        facts,
        "ISPDB entry".into(),
        &facts.ispdb(&d, false),
    )];
    if let Some(t) = &top {
        let mut domains = plan::mx_domains(t);
        domains.extend(aplan::thunderbird_mx_subdomain(t));
        domains.extend(aplan::android_mx_subdomain(t));
        domains.sort();
        domains.dedup();
        for x in domains.iter().filter(|x| **x != d) {
            for (kind, l) in [
                (format!("ISPDB entry for {x} (MX)"), facts.ispdb(x, true)),
                (
                    format!("autoconfig of {x} (MX)"),
                    facts.autoconfig_lookup(x, true, true, false),
                ),
            ] {
                if facts.evidence.has(&l) {
                    ispdb.push(document(facts, kind, &l));
                }
            }
        }
    }
    let mut autodiscover = Vec::new();
    let mut lookups = vec![];
    for hp in [false, true] {
        lookups.push(autodiscover_lookup(facts.request, true, hp, true));
        lookups.push(autodiscover_lookup(facts.request, true, hp, false));
    }
    lookups.push(autodiscover_lookup(facts.request, false, true, false));
    for o in &facts.evidence.observations {
        if let Lookup::Http {
            document: crate::discovery::evidence::Document::Autodiscover { .. },
            ..
        } = &o.lookup
        {
            if !lookups.contains(&o.lookup) {
                lookups.push(o.lookup.clone());
            }
        }
    }
    for l in lookups {
        let Lookup::Http { url, post, .. } = &l else {
            continue;
        };
        let fetch = facts.fetch(&l);
        if matches!(fetch, Fetch::NotAsked) {
            continue;
        }
        let (servers, redirect) = match facts.pox(&l) {
            Some(PoxRead::Settings(ps)) => (
                ps.iter()
                    .filter_map(|p| {
                        let (protocol, port) = (p.protocol()?, p.port?);
                        Some(Server {
                            protocol,
                            host: plan::normalize(&p.server),
                            port,
                            security: super::clients::outlook::pox_security(p, port),
                            auth: None,
                            username: p.login_name.clone(),
                        })
                    })
                    .collect(),
                None,
            ),
            Some(PoxRead::Redirect(to)) => (Vec::new(), Some(to.clone())),
            _ => (Vec::new(), None),
        };
        let fetched = match facts.pox(&l) {
            Some(PoxRead::Unusable(why)) => format!("{}; {why}", fetch.words()),
            _ => fetch.words(),
        };
        autodiscover.push(AutodiscoverCheck {
            method: if post.is_some() { "POST" } else { "GET" },
            url: url.clone(),
            fetched,
            servers,
            redirect,
        });
    }
    let autodiscover_srv = dns_answer(facts.dns(&aplan::autodiscover_srv(&d), RecordType::Srv));
    let servers = servers(facts);
    Published {
        mx,
        srv,
        autoconfig,
        ispdb,
        autodiscover,
        autodiscover_srv,
        servers,
    }
}

/// Every server named, with who names it, probed.
fn servers(facts: &Facts) -> Vec<ServerRow> {
    let mut rows: Vec<ServerRow> = Vec::new();
    let mut add = |server: Server, by: String| {
        let key = |s: &Server| (plan::normalize(&s.host), s.port, s.protocol, s.security);
        match rows.iter_mut().find(|r| key(&r.server) == key(&server)) {
            Some(r) => {
                if !r.named_by.contains(&by) {
                    r.named_by.push(by);
                }
            }
            None => rows.push(ServerRow {
                check: check::check(facts, &server),
                server,
                named_by: vec![by],
            }),
        }
    };
    for o in &facts.evidence.observations {
        match &o.lookup {
            Lookup::Http { url, document, .. } => {
                let short = match document {
                    crate::discovery::evidence::Document::Autodiscover { .. } => "Autodiscover",
                    crate::discovery::evidence::Document::Ispdb { .. } => "ISPDB",
                    crate::discovery::evidence::Document::Autoconfig { via_mx: true, .. } => {
                        "MX domain's autoconfig"
                    }
                    crate::discovery::evidence::Document::Autoconfig { .. } => "autoconfig",
                };
                if let Some(r) = facts.autoconfig(&o.lookup) {
                    for s in r.servers() {
                        add(s.clone(), format!("{short} {url}"));
                    }
                }
                if let Some(PoxRead::Settings(ps)) = facts.pox(&o.lookup) {
                    for p in ps {
                        if let (Some(protocol), Some(port)) = (p.protocol(), p.port) {
                            add(
                                Server {
                                    protocol,
                                    host: plan::normalize(&p.server),
                                    port,
                                    security: super::clients::outlook::pox_security(p, port),
                                    auth: None,
                                    username: None,
                                },
                                format!("{short} {url}"),
                            );
                        }
                    }
                }
            }
            Lookup::Dns {
                name,
                rtype: RecordType::Srv,
            } => {
                let Some((_, protocol, security)) =
                    facts.request.srv_names().find(|(n, _, _)| n == name)
                else {
                    continue;
                };
                if let Some(r) = facts.dns(name, RecordType::Srv) {
                    for rec in r.records() {
                        if let DnsRecord::Srv { port, target, .. } = rec {
                            let t = plan::normalize(target);
                            if !t.is_empty() && *port > 0 {
                                add(
                                    Server {
                                        protocol,
                                        host: t,
                                        port: *port,
                                        security,
                                        auth: None,
                                        username: None,
                                    },
                                    format!("SRV {name}"),
                                );
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    rows.sort_by(|a, b| {
        (
            a.server.protocol != Protocol::Imap,
            a.server.protocol,
            &a.server.host,
            a.server.port,
        )
            .cmp(&(
                b.server.protocol != Protocol::Imap,
                b.server.protocol,
                &b.server.host,
                b.server.port,
            ))
    });
    rows
}
