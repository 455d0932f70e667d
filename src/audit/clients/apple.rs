//! Apple Mail (macOS, iOS, iPadOS). Apple documents no lookup of a domain's DNS records or
//! files: its built-in providers are set up from a list, every other address by typing the
//! servers — or from a configuration profile (`com.apple.mail.managed`) the admin publishes
//! and the person installs, confirming it. Once set up, Mail "automatically manages connection
//! settings": when it cannot connect it tries other ports, with or without TLS, and other
//! authentication methods, without changing the saved settings (HT204208; the order is not
//! documented).
//!
//! So the simulation shows what the person would type — the settings the domain publishes, as
//! discovery ranks them — and whether those work.

use super::{CertificatePolicy, Cite, Client, ClientDoc, ClientResult, Sim};
use crate::audit::facts::{server_label, Facts};

/// Apple Mail's documentation and sources.
pub const DOC: ClientDoc = ClientDoc {
    name: "Apple Mail",
    behaviour: "No lookup of the domain is documented: the person types the servers (or installs a configuration profile the admin publishes). When it cannot connect, Mail tries other ports and TLS settings on its own, in an order Apple does not document.",
    sources: &[
        Cite { key: "HT204208", source: "https://support.apple.com/en-afri/HT204208", kind: "Apple support article \"Automatically manage connection settings in Mail on your Mac\", stored copy (date not recorded)" },
        Cite { key: "Mail User Guide: Outgoing server settings", source: "https://support.apple.com/en-az/guide/mail/change-outgoing-server-settings-cpmlprefsmtpserver/15.0/mac/12.0", kind: "Apple Mail User Guide, stored copy (date not recorded)" },
        Cite { key: "com.apple.mail.managed", source: "https://developer.apple.com/documentation/devicemanagement/mail", kind: "Apple device-management reference for the Mail payload (what `mailsetup export --format mobileconfig` writes)" },
    ],
};

/// Runs the simulation.
pub fn simulate(facts: &Facts, best: Option<&crate::model::Account>) -> ClientResult {
    let mut sim = Sim::new(facts, Client::AppleMail);
    sim.step(
        "add account (Other)",
        "Mail looks up nothing published by the domain: the person chooses IMAP or POP and types the servers",
        "Mail User Guide: Outgoing server settings",
    );
    sim.notes.push("a configuration profile (.mobileconfig) linked from the admin's page fills the settings in; installing it asks the person to confirm. mailsetup cannot see whether the domain links one (there is no standard place)".into());
    sim.notes.push("when it cannot connect, Mail tries other ports and TLS settings on its own (HT204208); the order is not documented, so the port Mail ends on may differ from the one typed".into());
    let Some(a) = best else {
        sim.step("what to type", "the domain publishes no settings mailsetup could find, so the person needs them from the admin", "HT204208");
        return sim.finish(None, None, CertificatePolicy::Ask, true);
    };
    sim.step(
        "what to type",
        format!(
            "the settings the domain publishes, best first: incoming {}, outgoing {}",
            server_label(&a.incoming),
            a.outgoing.as_ref().map_or("none".into(), server_label)
        ),
        "HT204208",
    );
    sim.found_by = Some("the person, typing what the domain publishes".into());
    let mut r = sim.finish(
        Some(a.incoming.clone()),
        a.outgoing.clone(),
        CertificatePolicy::Ask,
        true,
    );
    // Typed by hand whatever the probe says: the check shows whether what is typed works.
    if r.outcome != super::Outcome::Fails && r.outcome != super::Outcome::Unsafe {
        r.outcome = super::Outcome::Manual;
        r.headline = format!(
            "Apple Mail finds nothing by itself: the person types {}{}",
            server_label(&a.incoming),
            match (&r.incoming, &r.outgoing) {
                (Some(i), Some(o)) if i.check.ok() && o.check.ok() => " — which works".to_owned(),
                (Some(i), _) if i.check.status == crate::audit::CheckStatus::NotProbed =>
                    " (not probed)".to_owned(),
                _ => format!(" — {}", r.confirm.join("; ")),
            }
        );
    }
    r
}
