//! Outlook for Windows, from Microsoft's documentation:
//!
//! - Classic Outlook ("Outlook 2016 implementation of Autodiscover"): for a computer not joined
//!   to a domain, a Microsoft 365 mailbox is found by asking Microsoft directly; otherwise
//!   Autodiscover POX at `https://D/autodiscover/autodiscover.xml`, then
//!   `https://autodiscover.D/…`, then the HTTP redirect method (GET `http://autodiscover.D/…`;
//!   a 302 is followed only after the person is warned and accepts — MS-OXDISCO 3.1.5.4), then
//!   the `_autodiscover._tcp` SRV record (MS-OXDISCO 3.1.5.3). An IMAP/POP3/SMTP `<Protocol>`
//!   gives the server, port and encryption (`Encryption`: `SSL`, `TLS`, `None`; else `SSL`
//!   on/off). Nothing found: the person types the IMAP/POP3 settings.
//! - The new Outlook: Microsoft documents no discovery order for IMAP accounts; adding one asks
//!   the person to let Microsoft sync the mailbox through its cloud, so the server is reached
//!   from Microsoft's data centers.

use super::{CertificatePolicy, Cite, Client, ClientDoc, ClientResult, Outcome, Sim};
use crate::audit::facts::{server_label, Facts, Fetch, PoxProtocol, PoxRead};
use crate::audit::plan::{self as aplan, autodiscover_lookup, autodiscover_srv, srv_first};
use crate::discovery::evidence::{Lookup, RecordType};
use crate::discovery::plan;
use crate::model::{Security, Server};
use crate::text::Quoted;

const SUPPORT: &str = "https://support.microsoft.com/en-us/topic/outlook-2016-implementation-of-autodiscover-0d7b2709-958a-7249-1c87-434d257b9087";

/// Classic Outlook's documentation and sources.
pub const DOC: ClientDoc = ClientDoc {
    name: "Outlook",
    behaviour: "Asks Microsoft directly for Microsoft 365 mailboxes; otherwise Autodiscover POX at the domain, at autodiscover.<domain>, by HTTP redirect (after warning the person) and by SRV; otherwise the person types the IMAP/POP3 settings. It reads no autoconfig, ISPDB or RFC 6186 SRV.",
    sources: &[
        Cite { key: "Outlook 2016 implementation of Autodiscover", source: SUPPORT, kind: "Microsoft support article, read through a stored copy (date not recorded)" },
        Cite { key: "MS-OXDISCO 3.1.5.4", source: "https://learn.microsoft.com/en-us/openspecs/exchange_server_protocols/ms-oxdisco/115f06cf-62db-46a1-a825-8b30897f27d3", kind: "Microsoft protocol specification (Locations Found by an HTTP Redirect), stored copy (date not recorded)" },
        Cite { key: "MS-OXDISCO 3.1.5.3", source: "https://msdn.microsoft.com/en-us/library/ee200858(v=exchg.80).aspx", kind: "Microsoft protocol specification (Locations Found from SRV DNS Records), stored copy (date not recorded)" },
        Cite { key: "POX Protocol", source: "https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/protocol-pox", kind: "Microsoft reference (Protocol, Type, Server, Port, SSL, Encryption elements), cited by chatmail core's auto_outlook.rs" },
    ],
};

/// The new Outlook's documentation and sources.
pub const NEW_DOC: ClientDoc = ClientDoc {
    name: "Outlook (new)",
    behaviour: "Microsoft 365 mailboxes sign in directly. For IMAP accounts Microsoft documents no discovery order; the account is synced through the Microsoft Cloud after the person agrees, so the server must be reachable from Microsoft's data centers.",
    sources: &[
        Cite { key: "Sync to the Microsoft Cloud", source: "https://neowin.net/amp/new-outlook-for-windows-wants-to-send-your-non-msa-data-to-its-servers-for-your-own-good", kind: "news report quoting the new Outlook's IMAP dialog and Microsoft's support article on syncing non-Microsoft accounts to the Microsoft Cloud (stored copy, date not recorded)" },
        Cite { key: "Outlook 2016 implementation of Autodiscover", source: SUPPORT, kind: "Microsoft support article (Microsoft 365 direct connect), stored copy (date not recorded)" },
    ],
};

/// The security Outlook gives an Autodiscover `<Protocol>`: `Encryption` when present, else
/// `SSL` (`off`: none; `on`: implicit TLS on a TLS port, STARTTLS on 143, 110, 25, 587 — the
/// documentation does not say which TLS `SSL on` means, so the port decides, as discovery and
/// Thunderbird read it).
pub fn pox_security(p: &PoxProtocol, port: u16) -> Security {
    match p.encryption.as_deref() {
        Some("ssl") => return Security::Tls,
        Some("tls") => return Security::Starttls,
        Some("none") => return Security::None,
        _ => {}
    }
    if p.ssl.as_deref() == Some("off") {
        return Security::None;
    }
    match port {
        143 | 110 | 25 | 587 => Security::Starttls,
        _ => Security::Tls,
    }
}

/// The MX host, when it is Microsoft 365's (`*.mail.protection.outlook.com`).
pub(crate) fn microsoft_365_mx(facts: &Facts) -> Option<String> {
    let (_, top) = facts.mx()?;
    let top = top?;
    top.ends_with(".mail.protection.outlook.com").then_some(top)
}

/// Classic Outlook.
pub fn simulate(facts: &Facts) -> ClientResult {
    let mut sim = Sim::new(facts, Client::Outlook);
    let d = facts.domain.clone();
    sim.notes.push("a computer joined to a Windows domain asks Active Directory (SCP) first; that cannot be seen from outside".into());
    if let Some(mx) = microsoft_365_mx(facts) {
        sim.step(
            "Microsoft 365 direct connect",
            format!("the mail goes to {mx}: Outlook asks Microsoft directly and sets up a Microsoft 365 (Exchange) account; the person signs in with Microsoft"),
            "Outlook 2016 implementation of Autodiscover",
        );
        return microsoft_365(sim, &mx);
    }
    let own = plan::registrable_domain(&d).unwrap_or_else(|| d.clone());
    let mut tries: Vec<(Lookup, String, Option<String>, &'static str)> = vec![
        (
            autodiscover_lookup(facts.request, true, false, true),
            "the root domain".into(),
            None,
            "Outlook 2016 implementation of Autodiscover",
        ),
        (
            autodiscover_lookup(facts.request, true, true, true),
            "autodiscover.".to_owned() + &d,
            None,
            "Outlook 2016 implementation of Autodiscover",
        ),
    ];
    let http = autodiscover_lookup(facts.request, false, true, false);
    match facts.fetch(&http) {
        Fetch::Body { result, .. } | Fetch::Failed(result)
            if !result.redirects.is_empty() && result.final_url.starts_with("https://") =>
        {
            let host = crate::discovery::analyze::host_of(&result.final_url);
            sim.step(
                format!("GET http://autodiscover.{d}/autodiscover/autodiscover.xml"),
                format!("redirects to {}", Quoted(&result.final_url)),
                "MS-OXDISCO 3.1.5.4",
            );
            tries.push((
                aplan::autodiscover_post_to(facts.request, &result.final_url),
                "the HTTP redirect".into(),
                Some(host),
                "MS-OXDISCO 3.1.5.4",
            ));
        }
        other => sim.step(
            format!("GET http://autodiscover.{d}/autodiscover/autodiscover.xml"),
            format!("{}: no redirect", other.words()),
            "MS-OXDISCO 3.1.5.4",
        ),
    }
    match facts.dns(&autodiscover_srv(&d), RecordType::Srv) {
        Some(r) => match srv_first(r.records()) {
            Some((target, port)) => tries.push((
                aplan::autodiscover_post_to(
                    facts.request,
                    &aplan::autodiscover_srv_url(&target, port),
                ),
                format!("the SRV record ({target})"),
                None,
                "MS-OXDISCO 3.1.5.3",
            )),
            None => sim.step(
                format!("SRV {}", autodiscover_srv(&d)),
                "no record",
                "MS-OXDISCO 3.1.5.3",
            ),
        },
        None => sim.step(
            format!("SRV {}", autodiscover_srv(&d)),
            "not looked up in this round",
            "MS-OXDISCO 3.1.5.3",
        ),
    }
    for (lookup, name, redirected_to, cite) in tries {
        let Lookup::Http { url, .. } = &lookup else {
            continue;
        };
        let fetch = facts.fetch(&lookup);
        if fetch.body().is_none() {
            sim.step(format!("POST {url}"), fetch.words(), cite);
            continue;
        }
        match facts.pox(&lookup) {
            Some(PoxRead::Settings(ps)) => {
                let pick = |incoming: bool| {
                    ps.iter().find_map(|p| {
                        let (protocol, port) = (p.protocol()?, p.port?);
                        (protocol.is_incoming() == incoming && !p.server.is_empty()).then(|| {
                            Server {
                                protocol,
                                host: plan::normalize(&p.server),
                                port,
                                security: pox_security(p, port),
                                auth: None,
                                username: Some(
                                    p.login_name.clone().unwrap_or_else(|| facts.email.clone()),
                                ),
                            }
                        })
                    })
                };
                let (Some(i), o) = (pick(true), pick(false)) else {
                    sim.step(format!("POST {url}"), "a response without an IMAP or POP3 server (Outlook would set up Exchange from it; not simulated)", cite);
                    continue;
                };
                if let Some(host) = redirected_to {
                    let theirs = plan::registrable_domain(&host).unwrap_or(host);
                    if theirs != own {
                        sim.confirm.push(format!("allow {theirs} to configure the account: Outlook warns about an Autodiscover redirect and goes on only if the person accepts"));
                    }
                }
                sim.step(
                    format!("POST {url}"),
                    format!(
                        "settings from {name}: incoming {}, outgoing {}",
                        server_label(&i),
                        o.as_ref().map_or("none".into(), server_label)
                    ),
                    cite,
                );
                sim.found_by = Some(format!("Autodiscover at {url}"));
                return sim.finish(Some(i), o, CertificatePolicy::Ask, true);
            }
            Some(PoxRead::Redirect(to)) => sim.step(
                format!("POST {url}"),
                format!("redirects to {} (not simulated)", Quoted(to)),
                cite,
            ),
            Some(PoxRead::Unusable(why)) => sim.step(format!("POST {url}"), why.clone(), cite),
            None => sim.step(format!("POST {url}"), "not read", cite),
        }
    }
    sim.step(
        "nothing found",
        "the person chooses IMAP or POP3 and types the servers",
        "Outlook 2016 implementation of Autodiscover",
    );
    sim.finish(None, None, CertificatePolicy::Ask, true)
}

fn microsoft_365(mut sim: Sim, mx: &str) -> ClientResult {
    sim.found_by = Some(format!("Microsoft 365 (the MX host {mx})"));
    sim.notes.push("Microsoft 365 mailboxes are Exchange accounts reached with a Microsoft sign-in; mailsetup does not probe Microsoft's service".into());
    sim.notes.push("Outlook asks Microsoft's service whether the address is a Microsoft 365 mailbox; mailsetup infers it from the MX host (*.mail.protection.outlook.com), which is what that service would say for a domain delivered there".into());
    let mut r = sim.finish(None, None, CertificatePolicy::Ask, true);
    r.outcome = Outcome::Unverified;
    r.headline = format!("{} sets up a Microsoft 365 account for the domain (its mail goes to {mx}); the person signs in with Microsoft (not probed)", r.name);
    r
}

/// The new Outlook.
pub fn simulate_new(facts: &Facts) -> ClientResult {
    let mut sim = Sim::new(facts, Client::NewOutlook);
    if let Some(mx) = microsoft_365_mx(facts) {
        sim.step(
            "Microsoft 365",
            format!("the mail goes to {mx}: the person signs in with Microsoft"),
            "Outlook 2016 implementation of Autodiscover",
        );
        return microsoft_365(sim, &mx);
    }
    sim.step(
        "IMAP account",
        "Microsoft documents no discovery order for IMAP accounts in the new Outlook; adding one asks the person to let Microsoft sync the mailbox through the Microsoft Cloud",
        "Sync to the Microsoft Cloud",
    );
    sim.confirm.push("agree that Microsoft syncs the mailbox through the Microsoft Cloud (the server is then reached from Microsoft's data centers, not from the person's computer)".into());
    sim.notes.push("what the new Outlook configures for this domain is not documented; mailsetup does not guess it".into());
    let mut r = sim.finish(None, None, CertificatePolicy::Ask, true);
    r.outcome = Outcome::NotDocumented;
    r.headline = "the new Outlook does not document how it finds IMAP settings; it syncs IMAP accounts through the Microsoft Cloud once the person agrees".into();
    r
}
