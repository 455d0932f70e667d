//! Thunderbird desktop, step for step from comm-central's account setup
//! (`mail/components/accountcreation/modules/`):
//!
//! 1. `FindConfig.sys.mjs` runs the sources at once and takes the highest-priority one that
//!    succeeds: a file in the installation directory, the ISP's autoconfig, the ISPDB, then the
//!    MX host's domains (`promiseFirstSuccessful` waits for every higher source to fail).
//!    Exchange Autodiscover runs beside them and is used only when all of them fail.
//! 2. `FetchConfig.sys.mjs`: the ISP's file at `https://autoconfig.D/…`, `https://D/.well-known/…`,
//!    then the same two over plain HTTP (`fetchFromISP.sslOnly` is false by default,
//!    `mailnews.js`); the first URL that answers 2xx is the one read — if Thunderbird's reader
//!    refuses it, the whole source fails (the lower URLs are not read). For MX: the most
//!    preferred exchanger; nothing when its registrable domain is the address's; else its
//!    `getNextSubDomain` and then its registrable domain, each at `https://autoconfig.X/…` and in
//!    the ISPDB.
//! 3. `FetchHTTP.sys.mjs`: an XMLHttpRequest (redirects followed) whose body is parsed as XML
//!    only for `text/xml`, `application/xml` or `text/rdf`; any other type reaches the reader
//!    as a string, which it refuses.
//! 4. `ExchangeAutoDiscover.sys.mjs`: POST to `https://autodiscover.D/…` and `https://D/…` with
//!    the address and password (HTTP Basic), GET `http://autodiscover.D/…` whose HTTPS redirect
//!    target is re-posted, and the `_autodiscover._tcp` SRV target; a redirect or SRV target on
//!    another registrable domain (but `office365.com`, `outlook.com`) is used only after the
//!    person confirms. IMAP/POP3/SMTP `<Protocol>`s: `SSL off` or `Encryption none` is plain,
//!    else STARTTLS on 143/110/25/587 and SSL/TLS on any other port.
//! 5. `GuessConfig.sys.mjs` when nothing is found: `imap.`, `pop3.`, `pop.`, `mail.` and the
//!    domain for incoming, `smtp.`, `mail.` and the domain for outgoing, every port, sorted:
//!    encrypted first, IMAP before POP3, SSL/TLS before STARTTLS; the first success whose
//!    better tries all failed wins. An SSL/TLS try with a certificate that does not verify
//!    fails (`guess.requireGoodCert` is true); a STARTTLS try succeeds when the capabilities
//!    list STARTTLS (TLS is not started while guessing).
//! 6. `ConfigVerifier.sys.mjs`: at "Done" it logs in to the incoming server; a certificate
//!    error opens the certificate exception dialog. A configuration without encryption needs
//!    "I understand the risks" ticked (`accountSetup.ftl`).

use super::{CertificatePolicy, Cite, Client, ClientDoc, ClientResult, Sim};
use crate::audit::facts::{server_label, Facts, Fetch, PoxRead};
use crate::audit::plan::{self as aplan, autodiscover_lookup, autodiscover_srv, srv_first};
use crate::discovery::evidence::{DnsOutcome, DnsRecord, HttpOutcome, Lookup, RecordType};
use crate::discovery::plan;
use crate::model::{Auth, Protocol, Security, Server};
use crate::probe::EndpointReport;
use crate::text::Quoted;

/// Thunderbird's documentation and sources.
pub const DOC: ClientDoc = ClientDoc {
    name: "Thunderbird",
    behaviour: "Runs the ISP's autoconfig (HTTPS, then plain HTTP), the ISPDB and the MX host's domains at once and takes the highest-priority success; Exchange Autodiscover only when they all fail; then guesses host names; logs in at the end, asking about certificates that do not verify.",
    sources: &[
        Cite {
            key: "FindConfig.sys.mjs",
            source: "mozilla/releases-comm-central@0d459e11cf6085ce98917d41e9e3e11f607199fb mail/components/accountcreation/modules/FindConfig.sys.mjs",
            kind: "source file at that commit",
        },
        Cite {
            key: "FetchConfig.sys.mjs",
            source: "mozilla/releases-comm-central@058114d3481d87fe774349f1d1b902e2d7faf9db mail/components/accountcreation/modules/FetchConfig.sys.mjs",
            kind: "source file at that commit",
        },
        Cite {
            key: "FetchHTTP.sys.mjs",
            source: "mozilla/releases-comm-central@058114d3481d87fe774349f1d1b902e2d7faf9db mail/components/accountcreation/modules/FetchHTTP.sys.mjs",
            kind: "source file at that commit",
        },
        Cite {
            key: "ExchangeAutoDiscover.sys.mjs",
            source: "mozilla/releases-comm-central@058114d3481d87fe774349f1d1b902e2d7faf9db mail/components/accountcreation/modules/ExchangeAutoDiscover.sys.mjs",
            kind: "source file at that commit",
        },
        Cite {
            key: "GuessConfig.sys.mjs",
            source: "mozilla/releases-comm-central@7d101fa3a96aa99c61ede48502bef5b94fb1c712 mail/components/accountcreation/modules/GuessConfig.sys.mjs",
            kind: "source file at that commit",
        },
        Cite {
            key: "ConfigVerifier.sys.mjs",
            source: "mozilla/releases-comm-central@303f21bc41f978f931bf340088a1ae672ed30479 mail/components/accountcreation/modules/ConfigVerifier.sys.mjs",
            kind: "source file at that commit",
        },
        Cite {
            key: "mailnews.js",
            source: "mozilla/releases-comm-central@00ea97499fd1ea23f54d2b79b614c92ced8cc9ec mailnews/mailnews.js (mailnews.auto_config.* defaults)",
            kind: "source file at that commit",
        },
        Cite {
            key: "readFromXML.sys.mjs",
            source: "js-tests/thunderbird/comm-central/readFromXML.sys.mjs (vendored unmodified from comm-central, see SOURCE_COMMIT; lint follows it, and the test suite holds lint to it)",
            kind: "source file vendored in this repository",
        },
        Cite {
            key: "accountSetup.ftl",
            source: "mozilla/releases-comm-central@9846308b143dc3cf040b29a041defa02f24467bb mail/locales/en-US/messenger/accountcreation/accountSetup.ftl (account-setup-warning-cleartext, account-setup-insecure-server-checkbox)",
            kind: "source file at that commit",
        },
    ],
};

/// A document as Thunderbird's reader takes it.
pub(crate) enum Read {
    /// The servers it sets up.
    Accept(Server, Option<Server>),
    /// It refuses the answer, and why.
    Refuse(String),
    /// There was no answer to read, and why.
    Failed(String),
}

/// The MIME types `FetchHTTP.sys.mjs` parses as XML.
pub(crate) fn xml_content_type(ct: Option<&str>) -> bool {
    ct.is_some_and(|c| {
        ["text/xml", "application/xml", "text/rdf"]
            .iter()
            .any(|m| c.starts_with(m))
    })
}

/// An autoconfig or ISPDB answer read the way Thunderbird reads it.
pub(crate) fn read_autoconfig(facts: &Facts, lookup: &Lookup) -> Read {
    let fetch = facts.fetch(lookup);
    match fetch {
        Fetch::Body { content_type, .. } => {
            if !xml_content_type(content_type) {
                return Read::Refuse(format!(
                    "served as {}, which Thunderbird does not parse as XML (it reads text/xml, application/xml or text/rdf only), so its reader refuses it",
                    content_type.map_or("no Content-Type".to_owned(), |c| Quoted(c).to_string())
                ));
            }
            let Some(read) = facts.autoconfig(lookup) else {
                return Read::Failed("the document was not read".into());
            };
            if let Some(why) = &read.thunderbird_refuses {
                return Read::Refuse(format!("Thunderbird's reader refuses it: {why}"));
            }
            match read.thunderbird_servers() {
                (Some(i), o) => Read::Accept(i.clone(), o.cloned()),
                (None, _) => Read::Refuse("no incoming server Thunderbird can use".into()),
            }
        }
        Fetch::Failed(r) => {
            if let HttpOutcome::RedirectRefused { to, .. } = &r.outcome {
                return Read::Failed(format!(
                    "it redirects to {} over plain HTTP; Thunderbird's XMLHttpRequest follows such a redirect (mailsetup did not, so what is there is not known)",
                    Quoted(to)
                ));
            }
            Read::Failed(fetch.words())
        }
        other => Read::Failed(other.words()),
    }
}

/// Runs the simulation.
pub fn simulate(facts: &Facts) -> ClientResult {
    let mut sim = Sim::new(facts, Client::Thunderbird);
    sim.notes.push("a file in Thunderbird's installation directory (isp/<domain>.xml) comes first; an organisation may deploy one, and it cannot be seen from outside".into());
    let d = facts.domain.clone();
    let found = from_isp(&mut sim, &d)
        .or_else(|| from_db(&mut sim, &d))
        .or_else(|| for_mx(&mut sim, &d))
        .or_else(|| exchange(&mut sim, &d))
        .or_else(|| guess(&mut sim, &d));
    let (incoming, outgoing) = match found {
        Some((i, o)) => (Some(i), o),
        None => (None, None),
    };
    for s in incoming.iter().chain(&outgoing) {
        if s.security == Security::None {
            sim.confirm.push(format!(
                "tick \"I understand the risks\": {} uses no encryption (accountSetup.ftl)",
                server_label(s)
            ));
        }
        if s.auth == Some(Auth::Oauth2) {
            sim.notes.push(format!(
                "{} signs in with OAuth2: the person signs in with the provider in a browser window",
                server_label(s)
            ));
        }
    }
    if incoming.is_some() {
        sim.step(
            "verify (Done)",
            "Thunderbird logs in to the incoming server with the password; a certificate that does not verify opens the certificate exception dialog, and only an accepted exception goes on; the outgoing server is not tested until the first message is sent",
            "ConfigVerifier.sys.mjs",
        );
    }
    if facts.probed || incoming.is_some() || sim.found_by.is_some() {
        sim.finish(incoming, outgoing, CertificatePolicy::Ask, true)
    } else {
        let mut r = sim.finish(None, None, CertificatePolicy::Ask, true);
        r.outcome = super::Outcome::Unverified;
        r.headline = "Thunderbird finds nothing published and would guess host names, which needs the probe (--no-probe was given)".into();
        r
    }
}

type Found = Option<(Server, Option<Server>)>;

fn take(
    sim: &mut Sim,
    what: String,
    read: Read,
    found_by: String,
    cite: &'static str,
) -> Result<Found, ()> {
    match read {
        Read::Accept(i, o) => {
            sim.step(
                what,
                format!(
                    "accepted: incoming {}, outgoing {}",
                    server_label(&i),
                    o.as_ref().map_or("none".into(), server_label)
                ),
                cite,
            );
            sim.found_by = Some(found_by);
            Ok(Some((i, o)))
        }
        Read::Refuse(why) => {
            sim.step(what, format!("answered, but {why}"), cite);
            Err(())
        }
        Read::Failed(why) => {
            sim.step(what, why, cite);
            Ok(None)
        }
    }
}

/// `fetchConfigFromISP`: the four URLs in priority order; the first that answers is read.
fn from_isp(sim: &mut Sim, d: &str) -> Found {
    for (https, well_known) in [(true, false), (true, true), (false, false), (false, true)] {
        let lookup = sim.facts.own_autoconfig(https, well_known);
        let Lookup::Http { url, .. } = &lookup else {
            continue;
        };
        let read = read_autoconfig(sim.facts, &lookup);
        let channel = if https {
            "HTTPS"
        } else {
            "plain HTTP, no warning shown"
        };
        match take(
            sim,
            format!("GET {url}"),
            read,
            format!("the domain's autoconfig at {url} ({channel})"),
            "FetchConfig.sys.mjs",
        ) {
            Ok(Some(found)) => {
                if !https {
                    sim.notes.push(format!("the settings came over plain HTTP from {url}: anyone on the network path could have changed them, and Thunderbird shows them like any other"));
                }
                return Some(found);
            }
            Ok(None) => continue,
            Err(()) => {
                sim.step(
                    format!("autoconfig of {d}"),
                    "the first URL that answered was refused, so the whole source fails: Thunderbird does not read the lower URLs",
                    "FetchConfig.sys.mjs",
                );
                return None;
            }
        }
    }
    None
}

/// `fetchConfigFromDB`: the ISPDB entry of the domain.
fn from_db(sim: &mut Sim, d: &str) -> Found {
    let lookup = sim.facts.ispdb(d, false);
    let Lookup::Http { url, .. } = &lookup else {
        return None;
    };
    let read = read_autoconfig(sim.facts, &lookup);
    take(
        sim,
        format!("GET {url}"),
        read,
        format!("the ISPDB entry {url}"),
        "FetchConfig.sys.mjs",
    )
    .unwrap_or(None)
}

/// `fetchConfigForMX`.
fn for_mx(sim: &mut Sim, d: &str) -> Found {
    let Some((r, top)) = sim.facts.mx() else {
        sim.step(
            format!("MX {d}"),
            "not looked up in this round",
            "FetchConfig.sys.mjs",
        );
        return None;
    };
    let Some(top) = top else {
        let why = match &r.outcome {
            DnsOutcome::Answer { .. } | DnsOutcome::NoData => "no MX record".to_owned(),
            DnsOutcome::NxDomain => "the domain does not exist".to_owned(),
            other => format!("{other:?}"),
        };
        sim.step(format!("MX {d}"), why, "FetchConfig.sys.mjs");
        return None;
    };
    let Some(sld) = plan::registrable_domain(&top) else {
        sim.step(
            format!("MX {d}"),
            format!("{top}: no registrable domain"),
            "FetchConfig.sys.mjs",
        );
        return None;
    };
    if sld == d {
        sim.step(
            format!("MX {d}"),
            format!("{top} is in the domain itself: \"MX lookup would be no different from domain\", nothing more"),
            "FetchConfig.sys.mjs",
        );
        return None;
    }
    sim.step(
        format!("MX {d}"),
        format!("most preferred exchanger {top}"),
        "FetchConfig.sys.mjs",
    );
    let mut domains = Vec::new();
    if let Some(sub) = aplan::thunderbird_mx_subdomain(&top) {
        if sub != sld {
            domains.push(sub);
        }
    }
    domains.push(sld);
    for x in domains {
        let ac = sim.facts.autoconfig_lookup(&x, true, true, false);
        let Lookup::Http { url, .. } = &ac else {
            continue;
        };
        let read = read_autoconfig(sim.facts, &ac);
        if let Ok(Some(f)) = take(
            sim,
            format!("GET {url}"),
            read,
            format!("the autoconfig of {x}, the domain of the MX host {top}, at {url}"),
            "FetchConfig.sys.mjs",
        ) {
            return Some(f);
        }
        let db = sim.facts.ispdb(&x, true);
        let Lookup::Http { url, .. } = &db else {
            continue;
        };
        let read = read_autoconfig(sim.facts, &db);
        if let Ok(Some(f)) = take(
            sim,
            format!("GET {url}"),
            read,
            format!("the ISPDB entry for {x}, the domain of the MX host {top}"),
            "FetchConfig.sys.mjs",
        ) {
            return Some(f);
        }
    }
    None
}

/// The security Thunderbird gives an Autodiscover `<Protocol>`.
pub(crate) fn pox_security(ssl: Option<&str>, encryption: Option<&str>, port: u16) -> Security {
    if ssl == Some("off") || encryption == Some("none") {
        return Security::None;
    }
    match port {
        143 | 110 | 25 | 587 => Security::Starttls,
        _ => Security::Tls,
    }
}

/// `fetchConfigFromExchange` (only when every other source failed).
fn exchange(sim: &mut Sim, d: &str) -> Found {
    sim.notes.push(format!("Thunderbird sends the address — and the password, when the person has entered it (HTTP Basic, startFetchWithAuth) — to https://autodiscover.{d}/autodiscover/autodiscover.xml and to https://{d}/autodiscover/autodiscover.xml; the second is usually the domain's web site"));
    let facts = sim.facts;
    let mut tries: Vec<(Lookup, String, Option<String>)> = vec![
        (
            autodiscover_lookup(facts.request, true, true, true),
            "url1".into(),
            None,
        ),
        (
            autodiscover_lookup(facts.request, true, false, true),
            "url2".into(),
            None,
        ),
    ];
    // url3: plain HTTP, its HTTPS redirect target re-posted.
    let http = autodiscover_lookup(facts.request, false, true, false);
    match facts.fetch(&http) {
        Fetch::Body { result, .. } | Fetch::Failed(result)
            if !result.redirects.is_empty() && result.final_url.starts_with("https://") =>
        {
            tries.push((
                aplan::autodiscover_post_to(facts.request, &result.final_url),
                format!("the HTTPS redirect target of http://autodiscover.{d}/…"),
                Some(crate::discovery::analyze::host_of(&result.final_url)),
            ));
        }
        other => sim.step(
            format!("GET http://autodiscover.{d}/autodiscover/autodiscover.xml"),
            format!("{}: no redirect to HTTPS to follow", other.words()),
            "ExchangeAutoDiscover.sys.mjs",
        ),
    }
    match facts.dns(&autodiscover_srv(d), RecordType::Srv) {
        Some(r) => match srv_first(r.records()) {
            Some((target, port)) => tries.push((
                aplan::autodiscover_post_to(
                    facts.request,
                    &aplan::autodiscover_srv_url(&target, port),
                ),
                format!("the SRV target {target}"),
                Some(target),
            )),
            None => sim.step(
                format!("SRV {}", autodiscover_srv(d)),
                "no record",
                "ExchangeAutoDiscover.sys.mjs",
            ),
        },
        None => sim.step(
            format!("SRV {}", autodiscover_srv(d)),
            "not looked up in this round",
            "ExchangeAutoDiscover.sys.mjs",
        ),
    }
    let own = plan::registrable_domain(d).unwrap_or_else(|| d.to_owned());
    for (lookup, name, elsewhere) in tries {
        let Lookup::Http { url, .. } = &lookup else {
            continue;
        };
        let fetch = facts.fetch(&lookup);
        let Fetch::Body { content_type, .. } = fetch else {
            sim.step(
                format!("POST {url}"),
                fetch.words(),
                "ExchangeAutoDiscover.sys.mjs",
            );
            continue;
        };
        if !xml_content_type(content_type) {
            sim.step(
                format!("POST {url}"),
                "answered, but not as XML: Thunderbird cannot read it",
                "ExchangeAutoDiscover.sys.mjs",
            );
            continue;
        }
        match facts.pox(&lookup) {
            Some(PoxRead::Settings(ps)) => {
                let mut incoming = None;
                let mut outgoing = None;
                for p in ps {
                    let (Some(protocol), Some(port)) = (p.protocol(), p.port) else {
                        continue;
                    };
                    let server = Server {
                        protocol,
                        host: plan::normalize(&p.server),
                        port,
                        security: pox_security(p.ssl.as_deref(), p.encryption.as_deref(), port),
                        auth: None,
                        username: Some(p.login_name.clone().unwrap_or_else(|| facts.email.clone())),
                    };
                    match protocol {
                        Protocol::Smtp if outgoing.is_none() => outgoing = Some(server),
                        Protocol::Imap | Protocol::Pop3 if incoming.is_none() => {
                            incoming = Some(server)
                        }
                        _ => {}
                    }
                }
                let Some(i) = incoming else {
                    sim.step(format!("POST {url}"), "an Autodiscover response without IMAP or POP3 (an Exchange-only answer needs an add-on or EWS)", "ExchangeAutoDiscover.sys.mjs");
                    continue;
                };
                if let Some(host) = &elsewhere {
                    let theirs = plan::registrable_domain(host).unwrap_or_default();
                    if theirs != own && theirs != "office365.com" && theirs != "outlook.com" {
                        sim.confirm.push(format!("allow Autodiscover at {theirs} ({name}): Thunderbird asks before sending the credentials to another domain"));
                    }
                }
                sim.step(
                    format!("POST {url}"),
                    format!(
                        "accepted ({name}): incoming {}, outgoing {}",
                        server_label(&i),
                        outgoing.as_ref().map_or("none".into(), server_label)
                    ),
                    "ExchangeAutoDiscover.sys.mjs",
                );
                sim.found_by = Some(format!("Exchange Autodiscover at {url}"));
                return Some((i, outgoing));
            }
            Some(PoxRead::Redirect(to)) => {
                sim.step(format!("POST {url}"), format!("redirects to {} (an address redirect is followed for another domain; not simulated)", Quoted(to)), "ExchangeAutoDiscover.sys.mjs");
            }
            Some(PoxRead::Unusable(why)) => sim.step(
                format!("POST {url}"),
                why.clone(),
                "ExchangeAutoDiscover.sys.mjs",
            ),
            None => sim.step(
                format!("POST {url}"),
                "not read",
                "ExchangeAutoDiscover.sys.mjs",
            ),
        }
    }
    None
}

/// One guess: host, port, protocol, security.
#[derive(Debug, Clone)]
struct Try {
    host: String,
    port: u16,
    protocol: Protocol,
    security: Security,
}

/// The incoming tries in Thunderbird's order (`getIncomingTryOrder`, `sortTriesByPreference`).
fn incoming_tries(d: &str, offset: u16) -> Vec<Try> {
    let mut tries = Vec::new();
    let hosts = [
        (format!("imap.{d}"), Some(Protocol::Imap)),
        (format!("pop3.{d}"), Some(Protocol::Pop3)),
        (format!("pop.{d}"), Some(Protocol::Pop3)),
        (format!("mail.{d}"), None),
        (d.to_owned(), None),
    ];
    for (host, protocol) in hosts {
        let order: Vec<(Protocol, Security)> = match protocol {
            Some(p) => vec![
                (p, Security::Starttls),
                (p, Security::Tls),
                (p, Security::None),
            ],
            None => vec![
                (Protocol::Imap, Security::Starttls),
                (Protocol::Imap, Security::Tls),
                (Protocol::Pop3, Security::Starttls),
                (Protocol::Pop3, Security::Tls),
                (Protocol::Imap, Security::None),
                (Protocol::Pop3, Security::None),
            ],
        };
        for (protocol, security) in order {
            let port = match (protocol, security) {
                (Protocol::Imap, Security::Tls) => 993,
                (Protocol::Imap, _) => 143,
                (Protocol::Pop3, Security::Tls) => 995,
                _ => 110,
            };
            tries.push(Try {
                host: host.clone(),
                port: port + offset,
                protocol,
                security,
            });
        }
    }
    sort_tries(tries)
}

/// The outgoing tries (`getOutgoingTryOrder`: STARTTLS 587, STARTTLS 25, SSL 465, none 587,
/// none 25 on each host), sorted.
fn outgoing_tries(d: &str, offset: u16) -> Vec<Try> {
    let mut tries = Vec::new();
    for host in [format!("smtp.{d}"), format!("mail.{d}"), d.to_owned()] {
        for (port, security) in [
            (587, Security::Starttls),
            (25, Security::Starttls),
            (465, Security::Tls),
            (587, Security::None),
            (25, Security::None),
        ] {
            tries.push(Try {
                host: host.clone(),
                port: port + offset,
                protocol: Protocol::Smtp,
                security,
            });
        }
    }
    sort_tries(tries)
}

/// `sortTriesByPreference` (a stable sort): encrypted first, IMAP before POP3, SSL/TLS before
/// STARTTLS, else the order above.
fn sort_tries(mut tries: Vec<Try>) -> Vec<Try> {
    tries.sort_by_key(|t| {
        (
            t.security == Security::None,
            t.protocol == Protocol::Pop3,
            t.security == Security::Starttls,
        )
    });
    tries
}

/// How one guess ends, from the probe.
enum Guess {
    Success,
    /// Failed (why, for the trace).
    Failed(String),
    Unknown(String),
}

fn judge_try(facts: &Facts, t: &Try) -> Guess {
    use crate::audit::facts::Probed;
    let e: &EndpointReport = match facts.probe(&t.host, t.port, t.protocol) {
        Probed::Report(e) => e,
        Probed::NoAddress(_) => return Guess::Failed("the name does not resolve".into()),
        Probed::Error(m) => return Guess::Failed(m.to_owned()),
        Probed::Not(why) => return Guess::Unknown(why.to_owned()),
    };
    if e.greeting.is_none() || e.protocol != Some(t.protocol) {
        return Guess::Failed(
            e.failure
                .as_ref()
                .map_or("no greeting".into(), |f| f.message.clone()),
        );
    }
    match t.security {
        Security::Tls => match (&e.tls, e.security) {
            (Some(tls), Some(Security::Tls)) if tls.verified => Guess::Success,
            (Some(_), Some(Security::Tls)) => Guess::Failed("the certificate does not verify for the name, and guessing requires a good certificate (guess.requireGoodCert)".into()),
            _ => Guess::Failed("no implicit TLS".into()),
        },
        Security::Starttls => match &e.starttls {
            Some(s) if s.advertised => Guess::Success,
            _ => Guess::Failed("STARTTLS is not listed".into()),
        },
        Security::None => Guess::Success,
    }
}

/// Runs the detector: the first success whose better tries all failed.
fn detect(sim: &mut Sim, tries: &[Try], what: &str) -> Option<Try> {
    let mut unknown = Vec::new();
    let mut failed = Vec::new();
    for t in tries {
        match judge_try(sim.facts, t) {
            Guess::Success => {
                if !unknown.is_empty() {
                    sim.notes.push(format!(
                        "guessing {what}: {} better tr{} could not be judged ({}); Thunderbird would wait for them",
                        unknown.len(),
                        if unknown.len() == 1 { "y" } else { "ies" },
                        unknown.join(", ")
                    ));
                }
                return Some(t.clone());
            }
            Guess::Failed(why) => failed.push(format!("{}:{} {why}", t.host, t.port)),
            Guess::Unknown(why) => unknown.push(format!("{}:{} ({why})", t.host, t.port)),
        }
    }
    if let Some(first) = failed.first() {
        sim.notes.push(format!(
            "guessing {what}: all {} tries failed (the first: {first})",
            failed.len()
        ));
    }
    None
}

/// `guessConfig`.
fn guess(sim: &mut Sim, d: &str) -> Found {
    if !sim.facts.probed {
        sim.step(
            format!("guess host names of {d}"),
            "not simulated: it needs the probe (--no-probe)",
            "GuessConfig.sys.mjs",
        );
        return None;
    }
    let offset = sim.facts.request.options.port_offset;
    let inc = detect(sim, &incoming_tries(d, offset), "incoming");
    let out = detect(sim, &outgoing_tries(d, offset), "outgoing");
    sim.notes
        .push("port 25 is not probed by mailsetup; Thunderbird also tries SMTP there".into());
    let to_server = |t: &Try| Server {
        protocol: t.protocol,
        host: t.host.clone(),
        port: t.port,
        security: t.security,
        auth: None,
        username: Some(sim.facts.email.clone()),
    };
    match (inc, out) {
        (Some(i), Some(o)) => {
            let (i, o) = (to_server(&i), to_server(&o));
            sim.step(
                format!("guess host names of {d}"),
                format!(
                    "incoming {}, outgoing {}",
                    server_label(&i),
                    server_label(&o)
                ),
                "GuessConfig.sys.mjs",
            );
            sim.found_by = Some(format!("guessed host names of {d}"));
            Some((i, Some(o)))
        }
        (i, o) => {
            sim.step(
                format!("guess host names of {d}"),
                format!(
                    "no {} found: the guess fails, and the person types the settings",
                    match (i.is_none(), o.is_none()) {
                        (true, true) => "incoming or outgoing server",
                        (true, false) => "incoming server",
                        _ => "outgoing server",
                    }
                ),
                "GuessConfig.sys.mjs",
            );
            None
        }
    }
}

/// The first MX record's host, for tests and the report.
pub fn mx_host(records: &[DnsRecord]) -> Option<String> {
    plan::top_exchanger(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_are_sorted_as_thunderbird_sorts_them() {
        let t = incoming_tries("example.org", 0);
        let first: Vec<String> = t
            .iter()
            .take(4)
            .map(|t| format!("{}:{}", t.host, t.port))
            .collect();
        // SSL/TLS IMAP on every host first, in host order; then STARTTLS IMAP.
        assert_eq!(
            first,
            [
                "imap.example.org:993",
                "mail.example.org:993",
                "example.org:993",
                "imap.example.org:143"
            ]
        );
        assert!(t.iter().rev().take(4).all(|t| t.security == Security::None));
        let o = outgoing_tries("example.org", 0);
        assert_eq!(
            format!("{}:{}", o[0].host, o[0].port),
            "smtp.example.org:465"
        );
        assert_eq!(
            format!("{}:{}", o[3].host, o[3].port),
            "smtp.example.org:587"
        );
    }

    #[test]
    fn pox_security_follows_the_port_as_thunderbird_does() {
        assert_eq!(pox_security(Some("on"), None, 993), Security::Tls);
        assert_eq!(pox_security(Some("on"), None, 587), Security::Starttls);
        // Thunderbird reads Encryption only for "none": TLS on 993 is still SSL/TLS.
        assert_eq!(pox_security(None, Some("tls"), 993), Security::Tls);
        assert_eq!(pox_security(Some("off"), None, 993), Security::None);
        assert!(xml_content_type(Some("text/xml; charset=utf-8")));
        assert!(!xml_content_type(Some("text/plain")));
        assert!(!xml_content_type(None));
    }
}
