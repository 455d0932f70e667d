//! Thunderbird for Android (formerly K-9 Mail), from thunderbird-android's
//! `feature/autodiscovery` and `feature/account/setup`:
//!
//! - `RealAutoDiscoveryRegistry.kt`: the domain's autoconfig, then the ISPDB, then the MX
//!   lookup, run at once by priority (`PriorityParallelRunner.kt`: the highest-priority result
//!   with settings wins), with `httpsOnly = false` and `includeEmailAddress = false` (the address
//!   is never sent).
//! - `ProviderAutoconfigUrlProvider.kt`: `https://autoconfig.D/…`, `https://D/.well-known/…`,
//!   then both over plain HTTP — each URL its own source, so a file the parser refuses only
//!   moves on to the next URL (`RealAutoconfigFetcher.kt`).
//! - `MxLookupAutoconfigDiscovery.kt`: the most preferred MX host; nothing when its base domain
//!   is the address's; else the host without its first label (`RealSubDomainExtractor.kt`)
//!   and the base domain, each at `https://autoconfig.X/…` and in the ISPDB
//!   (`PostMxLookupAutoconfigUrlProvider.kt`); trusted only when the MX answer was
//!   DNSSEC-validated (`MiniDnsMxResolver.kt`).
//! - `OkHttpFetcher.kt`: a result is trusted only when every hop was HTTPS; an untrusted result
//!   is shown with a checkbox the person must tick (`AutoDiscoveryResultApprovalView.kt`).
//! - `RealAutoconfigParser.kt` (followed by lint's D302/D303): IMAP and SMTP only, `SSL` or
//!   `STARTTLS` only, a problem anywhere refuses the whole file.
//! - Nothing found: the person types the servers (`AccountAutoDiscoveryStateMapper.kt` fills in
//!   only the username). A certificate that does not verify opens the certificate error screen,
//!   where the person may accept it (`ServerCertificateErrorContract.kt`).

use super::{CertificatePolicy, Cite, Client, ClientDoc, ClientResult, Sim};
use crate::audit::facts::{server_label, Facts, Fetch};
use crate::audit::plan as aplan;
use crate::discovery::evidence::{DnsOutcome, Lookup};
use crate::discovery::plan;
use crate::model::Server;

/// Thunderbird for Android's documentation and sources.
pub const DOC: ClientDoc = ClientDoc {
    name: "Thunderbird for Android",
    behaviour: "Asks the domain's autoconfig (HTTPS, then plain HTTP), the ISPDB and the MX host's domains by priority, never sending the address; asks the person to approve anything not fetched over HTTPS end to end (or MX not DNSSEC-validated); reads IMAP and SMTP only; otherwise the person types the servers.",
    sources: &[
        Cite { key: "RealAutoDiscoveryRegistry.kt", source: "thunderbird/thunderbird-android@375419b90c3400a8df2049119b85e458d97f0bcf feature/autodiscovery/service/src/main/kotlin/app/k9mail/autodiscovery/service/RealAutoDiscoveryRegistry.kt", kind: "source file at that commit" },
        Cite { key: "PriorityParallelRunner.kt", source: "thunderbird/thunderbird-android@6a80fefd84629258e9eb9a47af800c232a0bb087 feature/autodiscovery/service/src/main/kotlin/app/k9mail/autodiscovery/service/PriorityParallelRunner.kt", kind: "source file at that commit" },
        Cite { key: "ProviderAutoconfigUrlProvider.kt", source: "thunderbird/thunderbird-android@3e5b7b1772b58964b7d14df670824aedcf898a58 feature/autodiscovery/autoconfig/src/main/kotlin/app/k9mail/autodiscovery/autoconfig/ProviderAutoconfigUrlProvider.kt", kind: "source file at that commit" },
        Cite { key: "RealAutoconfigFetcher.kt", source: "thunderbird/thunderbird-android@0404b33dc560490d647a3851c64f3afa01a8dd99 feature/autodiscovery/autoconfig/src/main/kotlin/app/k9mail/autodiscovery/autoconfig/RealAutoconfigFetcher.kt", kind: "source file at that commit" },
        Cite { key: "OkHttpFetcher.kt", source: "thunderbird/thunderbird-android@3f4b3510d1803a2af8a26106053dd8a7a59fc512 feature/autodiscovery/autoconfig/src/main/kotlin/app/k9mail/autodiscovery/autoconfig/OkHttpFetcher.kt", kind: "source file at that commit" },
        Cite { key: "MxLookupAutoconfigDiscovery.kt", source: "thunderbird/thunderbird-android@32ddde8719a5acb3a6729de3b94b4cdc7c8ec032 feature/autodiscovery/autoconfig/src/main/kotlin/app/k9mail/autodiscovery/autoconfig/MxLookupAutoconfigDiscovery.kt (with PostMxLookupAutoconfigUrlProvider.kt)", kind: "source file at that commit" },
        Cite { key: "RealSubDomainExtractor.kt", source: "thunderbird/thunderbird-android@18d0a86c4dffd885a992d196edaa83b751c48d07 feature/autodiscovery/autoconfig/src/main/kotlin/app/k9mail/autodiscovery/autoconfig/RealSubDomainExtractor.kt", kind: "source file at that commit" },
        Cite { key: "MiniDnsMxResolver.kt", source: "thunderbird/thunderbird-android@18d0a86c4dffd885a992d196edaa83b751c48d07 feature/autodiscovery/autoconfig/src/main/kotlin/app/k9mail/autodiscovery/autoconfig/MiniDnsMxResolver.kt", kind: "source file at that commit" },
        Cite { key: "RealAutoconfigParser.kt", source: "thunderbird/thunderbird-android@f88679b1905a134bec3359172025064e239db3f1 feature/autodiscovery/autoconfig/src/main/kotlin/app/k9mail/autodiscovery/autoconfig/RealAutoconfigParser.kt (followed by src/documents/clients/android.rs)", kind: "source file at that commit" },
        Cite { key: "AutoDiscoveryResultApprovalView.kt", source: "thunderbird/thunderbird-android@58f7cf0018859d9c110e283e196f2241c2b056e7 feature/account/setup/src/main/kotlin/app/k9mail/feature/account/setup/ui/autodiscovery/view/AutoDiscoveryResultApprovalView.kt (ValidateConfigurationApproval: ApprovalRequired)", kind: "source file at that commit" },
        Cite { key: "AccountAutoDiscoveryStateMapper.kt", source: "thunderbird/thunderbird-android@009f235fe785b4a089340a5032b5bc536cf7bdd7 feature/account/setup/src/main/kotlin/app/k9mail/feature/account/setup/ui/autodiscovery/AccountAutoDiscoveryStateMapper.kt", kind: "source file at that commit" },
        Cite { key: "ServerCertificateErrorContract.kt", source: "thunderbird/thunderbird-android feature/account/server/certificate/src/main/kotlin/app/k9mail/feature/account/server/certificate/ui/ServerCertificateErrorContract.kt (OnCertificateAcceptedClicked)", kind: "source file (commit not recorded)" },
    ],
};

/// A document as Android's parser takes it.
enum Read {
    Accept(Server, Server),
    Refuse(String),
    Failed(String),
}

fn read(facts: &Facts, lookup: &Lookup) -> (Read, bool) {
    let fetch = facts.fetch(lookup);
    match fetch {
        Fetch::Body { result, .. } => {
            // OkHttp follows redirects; trusted only when every hop was HTTPS.
            let trusted = result.final_url.starts_with("https://")
                && lookup_url(lookup).starts_with("https://")
                && result
                    .redirects
                    .iter()
                    .all(|r| r.to.starts_with("https://"));
            let Some(r) = facts.autoconfig(lookup) else {
                return (Read::Failed("not read".into()), trusted);
            };
            if let Some(why) = &r.android_refuses {
                return (Read::Refuse(why.clone()), trusted);
            }
            match r.android_servers() {
                (Some(i), Some(o)) => (Read::Accept(i.clone(), o.clone()), trusted),
                _ => (
                    Read::Refuse("no IMAP and SMTP server it can use".into()),
                    trusted,
                ),
            }
        }
        other => (Read::Failed(other.words()), false),
    }
}

fn lookup_url(l: &Lookup) -> &str {
    match l {
        Lookup::Http { url, .. } => url,
        _ => "",
    }
}

/// Runs the simulation.
pub fn simulate(facts: &Facts) -> ClientResult {
    let mut sim = Sim::new(facts, Client::ThunderbirdAndroid);
    let d = facts.domain.clone();
    sim.notes.push("Thunderbird for Android does not send the address to autoconfig; mailsetup asked with ?emailaddress= as Thunderbird desktop does, and a server that answers differently without it is not seen".into());
    let mut found: Option<(Server, Server, bool, String)> = None;
    // The domain's own four URLs, each its own source.
    for (https, wk) in [(true, false), (true, true), (false, false), (false, true)] {
        let l = facts.own_autoconfig(https, wk);
        if let Some(f) = attempt(
            &mut sim,
            &l,
            format!("the domain's autoconfig at {}", lookup_url(&l)),
            true,
        ) {
            found = Some(f);
            break;
        }
    }
    if found.is_none() {
        let l = facts.ispdb(&d, false);
        found = attempt(
            &mut sim,
            &l,
            format!("the ISPDB entry {}", lookup_url(&l)),
            true,
        );
    }
    if found.is_none() {
        found = mx(&mut sim, &d);
    }
    let Some((i, o, trusted, by)) = found else {
        sim.step(
            "nothing found",
            "the person types the incoming and outgoing servers (only the username is filled in)",
            "AccountAutoDiscoveryStateMapper.kt",
        );
        return sim.finish(None, None, CertificatePolicy::Ask, true);
    };
    sim.found_by = Some(by);
    if !trusted {
        sim.confirm.push("tick the checkbox approving a configuration that was not fetched over HTTPS end to end (or rests on an MX answer without DNSSEC)".into());
        sim.step(
            "untrusted result",
            "shown with a disclaimer and a checkbox the person must tick before going on",
            "AutoDiscoveryResultApprovalView.kt",
        );
    }
    sim.step("validate the servers", "logs in; a certificate that does not verify opens the certificate error screen, where the person may accept it", "ServerCertificateErrorContract.kt");
    sim.finish(Some(i), Some(o), CertificatePolicy::Ask, true)
}

fn attempt(
    sim: &mut Sim,
    l: &Lookup,
    by: String,
    trust_https: bool,
) -> Option<(Server, Server, bool, String)> {
    let (r, trusted) = read(sim.facts, l);
    let what = format!("GET {}", lookup_url(l));
    let cite = if by.contains("MX") {
        "MxLookupAutoconfigDiscovery.kt"
    } else {
        "ProviderAutoconfigUrlProvider.kt"
    };
    match r {
        Read::Accept(i, o) => {
            sim.step(
                what,
                format!(
                    "settings: {} and {}{}",
                    server_label(&i),
                    server_label(&o),
                    if trusted {
                        ""
                    } else {
                        " (not trusted: not HTTPS end to end)"
                    }
                ),
                cite,
            );
            Some((i, o, trusted && trust_https, by))
        }
        Read::Refuse(why) => {
            sim.step(
                what,
                format!("answered, but the parser refuses it ({why}); the next source is tried"),
                "RealAutoconfigParser.kt",
            );
            None
        }
        Read::Failed(why) => {
            sim.step(what, why, "RealAutoconfigFetcher.kt");
            None
        }
    }
}

fn mx(sim: &mut Sim, d: &str) -> Option<(Server, Server, bool, String)> {
    let facts = sim.facts;
    let (r, top) = facts.mx()?;
    let Some(top) = top else {
        let why = match &r.outcome {
            DnsOutcome::NxDomain => "the domain does not exist",
            _ => "no MX record",
        };
        sim.step(format!("MX {d}"), why, "MxLookupAutoconfigDiscovery.kt");
        return None;
    };
    let base = plan::registrable_domain(&top)?;
    if base == d {
        sim.step(
            format!("MX {d}"),
            format!("{top} is in the domain itself: nothing more (as Thunderbird does)"),
            "MxLookupAutoconfigDiscovery.kt",
        );
        return None;
    }
    let dnssec = r.authenticated;
    sim.step(
        format!("MX {d}"),
        format!(
            "{top}{}",
            if dnssec {
                " (DNSSEC-validated)"
            } else {
                " (not DNSSEC-validated: results from it are not trusted)"
            }
        ),
        "MiniDnsMxResolver.kt",
    );
    let mut domains = Vec::new();
    domains.extend(aplan::android_mx_subdomain(&top));
    domains.push(base);
    for x in domains {
        let ac = facts.autoconfig_lookup(&x, true, true, false);
        if let Some(f) = attempt(
            sim,
            &ac,
            format!("the autoconfig of {x} (MX {top})"),
            dnssec,
        ) {
            return Some(f);
        }
        let db = facts.ispdb(&x, true);
        if let Some(f) = attempt(
            sim,
            &db,
            format!("the ISPDB entry for {x} (MX {top})"),
            dnssec,
        ) {
            return Some(f);
        }
    }
    None
}
