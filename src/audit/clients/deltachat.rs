//! Delta Chat (chatmail core, `src/configure.rs`), step for step:
//!
//! 1. its built-in provider database, by the address's domain only (`provider.rs`,
//!    `get_provider_info`: no MX lookup);
//! 2. else, one after the other until one answers and parses: `https://autoconfig.D/…`,
//!    `https://D/.well-known/…`, `http://autoconfig.D/…` (each with `?emailaddress=`), then
//!    Autodiscover by GET at `https://D/autodiscover/autodiscover.xml` and
//!    `https://autodiscover.D/…` (following `RedirectUrl`), then the ISPDB of the domain;
//! 3. its autoconfig reader (`auto_mozilla.rs`) takes every `imap` and `smtp` server with a
//!    host, port and username, in order, `plain` included; Autodiscover's `SSL on` leaves the
//!    security to be tried (TLS, then STARTTLS on that port) (`auto_outlook.rs`);
//! 4. a protocol with no server gets guesses (`server_params.rs`): the domain, `imap.`/`smtp.`
//!    and `mail.`, each with STARTTLS (143/587) then TLS (993/465);
//! 5. it connects to the candidates in order and keeps the first that works, with strict
//!    certificate checks unless the provider database says otherwise (`transport.rs`,
//!    `strict_tls`); no question is asked — a certificate for another name fails.

use super::{CertificatePolicy, Cite, Client, ClientDoc, ClientResult, Sim};
use crate::audit::check::{self, CheckStatus};
use crate::audit::facts::{server_label, Facts, PoxRead};

use crate::audit::plan::autodiscover_lookup;
use crate::discovery::evidence::Lookup;
use crate::discovery::plan;
use crate::model::{Protocol, Security, Server};

/// Delta Chat's documentation and sources.
pub const DOC: ClientDoc = ClientDoc {
    name: "Delta Chat",
    behaviour: "Its provider database (by domain, no MX), then autoconfig (HTTPS, well-known, plain HTTP), Autodiscover by GET and the ISPDB, one after the other; then guesses; connects to the candidates in order with strict certificate checks and never asks the person anything.",
    sources: &[
        Cite { key: "configure.rs", source: "chatmail/core@00d31e5306ba0527e39d25d21f5ec6c78ef8b116 src/configure.rs", kind: "source file at that commit" },
        Cite { key: "auto_mozilla.rs", source: "chatmail/core@37341143e3b201edc46646309df3dd266dada4dc src/configure/auto_mozilla.rs", kind: "source file at that commit" },
        Cite { key: "auto_outlook.rs", source: "chatmail/core@37341143e3b201edc46646309df3dd266dada4dc src/configure/auto_outlook.rs", kind: "source file at that commit" },
        Cite { key: "server_params.rs", source: "chatmail/core src/configure/server_params.rs (expand_hostnames, expand_ports)", kind: "source file (commit not recorded)" },
        Cite { key: "transport.rs", source: "chatmail/core src/transport.rs (ConfiguredLoginParam::strict_tls: Automatic is strict unless the provider database says otherwise)", kind: "source file (commit not recorded)" },
        Cite { key: "provider.rs", source: "chatmail/core src/provider.rs (get_provider_info: by domain, wildcard patterns; no MX)", kind: "source file (commit not recorded)" },
    ],
};

/// Runs the simulation.
pub fn simulate(facts: &Facts) -> ClientResult {
    let mut sim = Sim::new(facts, Client::DeltaChat);
    let d = facts.domain.clone();
    if let Some(p) = crate::providers::by_domain(&d) {
        sim.step("provider database", format!("{d} is {}'s own domain; Delta Chat's database lists most such providers (mailsetup does not carry Delta Chat's database, so this is assumed from its own table)", p.name), "provider.rs");
    } else {
        sim.step("provider database", format!("{d} is not a public provider's domain: not in the database (Delta Chat does not look at MX)"), "provider.rs");
    }
    let mut found: Option<Vec<Server>> = None;
    for (https, wk) in [(true, false), (true, true), (false, false)] {
        let l = facts.own_autoconfig(https, wk);
        let Lookup::Http { url, .. } = &l else {
            continue;
        };
        let fetch = facts.fetch(&l);
        match fetch.body().map(|b| lenient_autoconfig(b, &facts.email)) {
            Some(Ok(servers)) => {
                sim.step(
                    format!("GET {url}"),
                    format!(
                        "read: {} IMAP/SMTP server{}",
                        servers.len(),
                        if servers.len() == 1 { "" } else { "s" }
                    ),
                    "auto_mozilla.rs",
                );
                sim.found_by = Some(format!("the domain's autoconfig at {url}"));
                found = Some(servers);
                break;
            }
            Some(Err(why)) => sim.step(
                format!("GET {url}"),
                format!("not parsed: {why}"),
                "auto_mozilla.rs",
            ),
            None => sim.step(format!("GET {url}"), fetch.words(), "configure.rs"),
        }
    }
    if found.is_none() {
        for host_prefix in [false, true] {
            let l = autodiscover_lookup(facts.request, true, host_prefix, false);
            let Lookup::Http { url, .. } = &l else {
                continue;
            };
            match facts.pox(&l) {
                Some(PoxRead::Settings(ps)) => {
                    let servers: Vec<Server> = ps
                        .iter()
                        .filter_map(|p| {
                            let protocol = p.protocol().filter(|p| *p != Protocol::Pop3)?;
                            let port = p.port?;
                            // SSL on: tried with TLS, then STARTTLS, on that port.
                            let security = if p.ssl.as_deref() == Some("off") {
                                Security::None
                            } else {
                                Security::Tls
                            };
                            Some(Server {
                                protocol,
                                host: plan::normalize(&p.server),
                                port,
                                security,
                                auth: None,
                                username: Some(facts.email.clone()),
                            })
                        })
                        .collect();
                    sim.step(
                        format!("GET {url}"),
                        format!(
                            "read: {} IMAP/SMTP server{}",
                            servers.len(),
                            if servers.len() == 1 { "" } else { "s" }
                        ),
                        "auto_outlook.rs",
                    );
                    sim.found_by = Some(format!("Autodiscover at {url}"));
                    found = Some(servers);
                    break;
                }
                Some(PoxRead::Redirect(to)) => sim.step(
                    format!("GET {url}"),
                    format!("redirects to {to} (followed up to 10 times; not simulated)"),
                    "auto_outlook.rs",
                ),
                Some(PoxRead::Unusable(why)) => {
                    sim.step(format!("GET {url}"), why.clone(), "auto_outlook.rs")
                }
                None => sim.step(
                    format!("GET {url}"),
                    facts.fetch(&l).words(),
                    "configure.rs",
                ),
            }
        }
    }
    if found.is_none() {
        let l = facts.ispdb(&d, false);
        if let Lookup::Http { url, .. } = &l {
            let fetch = facts.fetch(&l);
            match fetch.body().map(|b| lenient_autoconfig(b, &facts.email)) {
                Some(Ok(servers)) => {
                    sim.step(
                        format!("GET {url}"),
                        format!("read: {} IMAP/SMTP servers", servers.len()),
                        "configure.rs",
                    );
                    sim.found_by = Some(format!("the ISPDB entry {url}"));
                    found = Some(servers);
                }
                Some(Err(why)) => sim.step(
                    format!("GET {url}"),
                    format!("not parsed: {why}"),
                    "auto_mozilla.rs",
                ),
                None => sim.step(format!("GET {url}"), fetch.words(), "configure.rs"),
            }
        }
    }
    let servers = found.unwrap_or_default();
    let incoming = pick(&mut sim, &servers, Protocol::Imap, &d);
    let outgoing = pick(&mut sim, &servers, Protocol::Smtp, &d);
    let guessing = !servers.iter().any(|s| s.protocol == Protocol::Imap);
    let mut r = sim.finish(incoming, outgoing, CertificatePolicy::Refuse, false);
    if guessing && !facts.probed && r.incoming.is_none() {
        r.outcome = super::Outcome::Unverified;
        r.headline = "Delta Chat finds nothing it reads and would guess host names of the domain, which needs the probe (--no-probe was given)".into();
    }
    r
}

/// An autoconfig file as Delta Chat's reader takes it (`auto_mozilla.rs`): every
/// `incomingServer`/`outgoingServer` of type `imap` or `smtp` with a host name, a port and a
/// username, in order; values trimmed, `socketType` compared without case (`ssl`, `starttls`,
/// `plain`; anything else leaves the security to be tried: TLS, then STARTTLS); the three
/// placeholders filled. The XML is read with mailsetup's defensive reader (which refuses a
/// DTD, as Delta Chat's quick-xml would not: such a file is reported as not parsed).
pub(crate) fn lenient_autoconfig(body: &str, email: &str) -> Result<Vec<Server>, String> {
    let root = crate::documents::xml::parse(body)
        .map_err(|e| format!("XML refused by the reader: {e}"))?;
    let (local, domain) = email.rsplit_once('@').unwrap_or((email, ""));
    let fill = |v: &str| {
        v.replace("%EMAILADDRESS%", email)
            .replace("%EMAILLOCALPART%", local)
            .replace("%EMAILDOMAIN%", domain)
    };
    let mut out = Vec::new();
    for e in root.descendants() {
        let lower = e.name.to_ascii_lowercase();
        if lower != "incomingserver" && lower != "outgoingserver" {
            continue;
        }
        let kind = e
            .attributes
            .iter()
            .find(|(k, _)| k.trim().eq_ignore_ascii_case("type"))
            .map(|(_, v)| v.to_ascii_lowercase())
            .unwrap_or_default();
        let protocol = match kind.as_str() {
            "imap" => Protocol::Imap,
            "smtp" => Protocol::Smtp,
            _ => continue,
        };
        let text = |name: &str| {
            e.children
                .iter()
                .find(|c| c.name.eq_ignore_ascii_case(name))
                .map(|c| c.text.trim().to_owned())
        };
        let (Some(host), Some(port), Some(_user)) =
            (text("hostname"), text("port"), text("username"))
        else {
            continue;
        };
        let security = match text("socketType")
            .map(|s| s.to_ascii_lowercase())
            .as_deref()
        {
            Some("starttls") => Security::Starttls,
            Some("plain") => Security::None,
            _ => Security::Tls,
        };
        out.push(Server {
            protocol,
            host: plan::normalize(&fill(&host)),
            port: port.parse().unwrap_or(0),
            security,
            auth: None,
            username: Some(email.to_owned()),
        });
    }
    Ok(out)
}

/// The candidates of one protocol, in Delta Chat's order (the file's servers, or guesses), and
/// the first that works — or, when none does, the first (what the error names).
fn pick(sim: &mut Sim, servers: &[Server], protocol: Protocol, d: &str) -> Option<Server> {
    let mut candidates: Vec<Server> = servers
        .iter()
        .filter(|s| s.protocol == protocol)
        .cloned()
        .collect();
    let guessed = candidates.is_empty();
    if guessed {
        let offset = sim.facts.request.options.port_offset;
        let named = match protocol {
            Protocol::Smtp => "smtp.",
            _ => "imap.",
        };
        let (starttls, tls) = match protocol {
            Protocol::Smtp => (587, 465),
            _ => (143, 993),
        };
        for host in [d.to_owned(), format!("{named}{d}"), format!("mail.{d}")] {
            for (port, security) in [(starttls, Security::Starttls), (tls, Security::Tls)] {
                candidates.push(Server {
                    protocol,
                    host: host.clone(),
                    port: port + offset,
                    security,
                    auth: None,
                    username: Some(sim.facts.email.clone()),
                });
            }
        }
    }
    let words = if protocol == Protocol::Smtp {
        "SMTP"
    } else {
        "IMAP"
    };
    if !sim.facts.probed {
        let first = candidates.into_iter().next();
        sim.step(
            format!("connect {words}"),
            if guessed {
                "guesses need the probe (--no-probe): not simulated".into()
            } else {
                format!(
                    "first candidate {} (not probed)",
                    first.as_ref().map_or(String::new(), server_label)
                )
            },
            "server_params.rs",
        );
        return if guessed { None } else { first };
    }
    for c in &candidates {
        let mut tried = c.clone();
        // Autodiscover's "SSL on": TLS first, then STARTTLS on the same port.
        let mut variants = vec![tried.clone()];
        if !guessed
            && c.security == Security::Tls
            && sim
                .found_by
                .as_deref()
                .is_some_and(|f| f.starts_with("Autodiscover"))
        {
            tried.security = Security::Starttls;
            variants.push(tried);
        }
        for v in variants {
            let ch = check::check(sim.facts, &v);
            if ch.status == CheckStatus::Ok
                || (ch.status == CheckStatus::Cleartext && v.security == Security::None)
            {
                sim.step(
                    format!("connect {words}"),
                    format!(
                        "{} works ({}){}",
                        server_label(&v),
                        ch.summary,
                        if guessed { ", guessed" } else { "" }
                    ),
                    if guessed {
                        "server_params.rs"
                    } else {
                        "configure.rs"
                    },
                );
                if guessed {
                    sim.found_by
                        .get_or_insert_with(|| format!("guessed host names of {d}"));
                }
                return Some(v);
            }
        }
    }
    let tried: Vec<String> = candidates.iter().map(server_label).collect();
    sim.step(
        format!("connect {words}"),
        format!(
            "none works (strict certificate checks): {}",
            tried.join(", ")
        ),
        if guessed {
            "server_params.rs"
        } else {
            "transport.rs"
        },
    );
    if guessed {
        None
    } else {
        candidates.into_iter().next()
    }
}
