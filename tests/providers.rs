//! Invariants of the curated provider table: it is large and sorted, every fact has a dated
//! https source, every endpoint is self-consistent, every lookup finds every provider, and every
//! documented setting passes our own rules without an error.

use mailsetup::model::{ports, Host};
use mailsetup::providers::{self, Endpoint, Fact, Provider, Source, UsernameFormat, PROVIDERS};
use mailsetup::{
    validate, Account, Auth, Pop3Options, Protocol, Security, Server, Settings, Severity,
};
use std::collections::{BTreeMap, BTreeSet};

const ISPDB_PREFIX: &str = "https://autoconfig.thunderbird.net/v1.1/";

fn is_ispdb(s: &Source) -> bool {
    s.url.starts_with(ISPDB_PREFIX)
}

#[test]
fn table_is_large_and_has_the_big_providers() {
    assert!(PROVIDERS.len() >= 40, "only {} providers", PROVIDERS.len());
    for id in [
        "gmail",
        "google-workspace",
        "outlook",
        "microsoft-365",
        "yahoo",
        "aol",
        "icloud",
        "fastmail",
        "zoho",
        "zoho-eu",
        "zoho-in",
        "zoho-au",
        "zoho-jp",
        "gmx",
        "web-de",
        "t-online",
        "1und1",
        "orange",
        "free",
        "sfr",
        "laposte",
        "libero",
        "virgilio",
        "mail-ru",
        "yandex",
        "qq",
        "netease-163",
        "netease-126",
        "naver",
        "daum",
        "comcast",
        "att",
        "posteo",
        "mailbox-org",
        "proton",
        "tuta",
        "seznam",
        "rambler",
        "bt",
        "sky",
        "telstra",
    ] {
        assert!(providers::by_id(id).is_some(), "{id} is missing");
    }
}

#[test]
fn ids_sorted_unique_and_kebab_case() {
    for w in PROVIDERS.windows(2) {
        assert!(
            w[0].id < w[1].id,
            "not sorted: {} then {}",
            w[0].id,
            w[1].id
        );
    }
    for p in PROVIDERS {
        assert!(
            !p.id.is_empty()
                && p.id
                    .bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-'),
            "id {:?}",
            p.id
        );
        assert!(!p.name.trim().is_empty(), "{}: no name", p.id);
    }
}

#[test]
fn domains_and_mx_suffixes_are_clean_sorted_and_unique() {
    let mut owner: BTreeMap<&str, &str> = BTreeMap::new();
    for p in PROVIDERS {
        assert!(
            p.domains.windows(2).all(|w| w[0] < w[1]),
            "{}: domains not sorted and unique",
            p.id
        );
        for d in p.domains.iter().chain(p.mx_suffixes) {
            let h = Host::parse(d);
            assert!(
                h.problems.is_empty() && h.ascii == *d && !h.is_ip(),
                "{}: {d:?} is not a clean lower-case domain: {:?}",
                p.id,
                h.problems
            );
        }
        for d in p.domains {
            if let Some(other) = owner.insert(d, p.id) {
                panic!("{d} belongs to both {other} and {}", p.id);
            }
        }
        let mx: BTreeSet<_> = p.mx_suffixes.iter().collect();
        assert_eq!(
            mx.len(),
            p.mx_suffixes.len(),
            "{}: duplicate MX suffix",
            p.id
        );
    }
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().ok();
    match (num(0..4), num(5..7), num(8..10)) {
        (Some(y), Some(m), Some(d)) => {
            let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
            let days = [
                31,
                if leap { 29 } else { 28 },
                31,
                30,
                31,
                30,
                31,
                31,
                30,
                31,
                30,
                31,
            ];
            (1990..=2100).contains(&y)
                && (1..=12).contains(&m)
                && d >= 1
                && d <= days[m as usize - 1]
        }
        _ => false,
    }
}

#[test]
fn iso_date_check_can_fail() {
    assert!(is_iso_date("2026-11-26"));
    for bad in [
        "2026-11-31",
        "2026-13-01",
        "2026-2-01",
        "26-11-2026",
        "2025-02-29",
        "",
    ] {
        assert!(!is_iso_date(bad), "{bad}");
    }
    assert!(is_iso_date("2024-02-29"));
}

/// The facts a provider states, which must each be backed by a source.
fn stated_facts(p: &Provider) -> Vec<Fact> {
    let mut facts = vec![Fact::Servers, Fact::Auth];
    if !p.servers.is_empty() {
        facts.push(Fact::Username);
    }
    if !p.domains.is_empty() {
        facts.push(Fact::Domains);
    }
    if !p.mx_suffixes.is_empty() {
        facts.push(Fact::Mx);
    }
    if !p.enable.is_empty() {
        facts.push(Fact::Enable);
    }
    if p.pop3.is_some() {
        facts.push(Fact::Pop3);
    }
    facts
}

#[test]
fn every_fact_has_a_dated_https_source() {
    for p in PROVIDERS {
        assert!(!p.sources.is_empty(), "{}: no source", p.id);
        let urls: BTreeSet<_> = p.sources.iter().map(|s| s.url).collect();
        assert_eq!(
            urls.len(),
            p.sources.len(),
            "{}: a source is listed twice",
            p.id
        );
        for s in p.sources {
            assert!(s.url.starts_with("https://"), "{}: source {}", p.id, s.url);
            assert!(
                !s.title.trim().is_empty(),
                "{}: untitled source {}",
                p.id,
                s.url
            );
            assert!(
                is_iso_date(s.verified),
                "{}: verified {:?}",
                p.id,
                s.verified
            );
            assert!(
                !s.covers.is_empty(),
                "{}: source {} backs nothing",
                p.id,
                s.url
            );
        }
        for fact in stated_facts(p) {
            assert!(
                p.sources_for(fact).next().is_some(),
                "{}: {fact:?} has no source",
                p.id
            );
        }
        assert!(
            p.help_url.starts_with("https://"),
            "{}: help_url {}",
            p.id,
            p.help_url
        );
        if let Some(d) = p.auth.since {
            assert!(is_iso_date(d), "{}: auth.since {d:?}", p.id);
        }
    }
}

#[test]
fn notes_are_short_sentences() {
    for p in PROVIDERS {
        let mut notes = vec![p.auth.note];
        notes.extend(p.note);
        notes.extend(p.enable.iter().map(|t| t.note));
        if let Some(pop) = &p.pop3 {
            notes.extend(pop.server_side_setting);
            notes.extend(pop.note);
        }
        for n in notes {
            assert!(
                !n.trim().is_empty() && n.len() <= 220 && n.ends_with(['.', ')']),
                "{}: note {n:?} should be one short sentence",
                p.id
            );
        }
    }
}

/// The protocol and security a well-known mail port is for (`None` for other ports).
fn well_known(port: u16) -> Option<(Protocol, Security)> {
    Some(match port {
        ports::IMAPS => (Protocol::Imap, Security::Tls),
        ports::IMAP => (Protocol::Imap, Security::Starttls),
        ports::POP3S => (Protocol::Pop3, Security::Tls),
        ports::POP3 => (Protocol::Pop3, Security::Starttls),
        ports::SUBMISSIONS => (Protocol::Smtp, Security::Tls),
        ports::SUBMISSION => (Protocol::Smtp, Security::Starttls),
        _ => return None,
    })
}

/// Endpoints whose port and security break the usual pairing because the provider's server does,
/// each with where that is documented.
const NONSTANDARD_ENDPOINTS: &[(&str, Protocol, u16, Security, &str)] = &[(
    "charter",
    Protocol::Smtp,
    587,
    Security::Tls,
    "ISPDB charter.net.xml: \"Yes, they have SSL (not STARTTLS, not plain SMTP) on port 587. Spec violation.\"",
)];

#[test]
fn every_endpoint_is_consistent() {
    for p in PROVIDERS {
        let mut seen = BTreeSet::new();
        for e in p.servers {
            let what = format!("{} {} {}:{}", p.id, e.protocol, e.host, e.port);
            assert!(
                seen.insert((e.protocol, e.host, e.port)),
                "{what}: listed twice"
            );
            let h = Host::parse(e.host);
            assert!(
                h.problems.is_empty() && h.ascii == e.host,
                "{what}: host not clean"
            );
            assert_ne!(e.security, Security::None, "{what}: no encryption");
            assert_ne!(
                e.port,
                ports::SMTP_RELAY,
                "{what}: port 25 is not for mail clients"
            );
            let documented_exception =
                NONSTANDARD_ENDPOINTS.iter().any(|(id, pr, port, sec, _)| {
                    *id == p.id && *pr == e.protocol && *port == e.port && *sec == e.security
                });
            match well_known(e.port) {
                Some(_) if documented_exception => {}
                Some(use_) => assert_eq!(
                    use_,
                    (e.protocol, e.security),
                    "{what}: port and security disagree"
                ),
                // Only a local bridge may use other ports.
                None => assert!(
                    h.is_loopback(),
                    "{what}: non-standard port on a remote host"
                ),
            }
            if let Some(u) = e.username {
                assert_ne!(
                    u, p.username,
                    "{what}: username override equals the default"
                );
            }
        }
        for protocol in [Protocol::Imap, Protocol::Pop3, Protocol::Smtp] {
            // RFC 8314: implicit TLS is preferred over STARTTLS.
            let mut list = p.servers_for(protocol);
            if let Some(first) = list.next() {
                let any_tls = p.servers_for(protocol).any(|e| e.security == Security::Tls);
                assert!(
                    !any_tls || first.security == Security::Tls,
                    "{}: {protocol} lists STARTTLS before implicit TLS",
                    p.id
                );
            }
        }
        let toggles: BTreeSet<_> = p.enable.iter().map(|t| t.protocol).collect();
        assert_eq!(
            toggles.len(),
            p.enable.len(),
            "{}: two toggles for one protocol",
            p.id
        );
        for t in p.enable {
            assert!(
                p.offers(t.protocol),
                "{}: toggle for {} it does not offer",
                p.id,
                t.protocol
            );
            if let Some(u) = t.url {
                assert!(u.starts_with("https://"), "{}: toggle url {u}", p.id);
            }
        }
        if p.pop3.is_some() {
            assert!(
                p.offers(Protocol::Pop3),
                "{}: POP3 notes without POP3",
                p.id
            );
        }
        let accepted: BTreeSet<_> = p.auth.accepted.iter().collect();
        assert_eq!(
            accepted.len(),
            p.auth.accepted.len(),
            "{}: auth listed twice",
            p.id
        );
        assert!(
            !p.accepts(Auth::None),
            "{}: accepts no authentication",
            p.id
        );
        assert_eq!(p.auth.accepted.is_empty(), p.servers.is_empty(), "{}", p.id);
        if p.servers.is_empty() {
            assert!(
                p.note.is_some(),
                "{}: no servers and no note saying why",
                p.id
            );
        }
    }
}

#[test]
fn lookups_find_every_provider() {
    for p in PROVIDERS {
        assert_eq!(providers::by_id(p.id).map(|q| q.id), Some(p.id));
        for d in p.domains {
            assert_eq!(
                providers::by_domain(d).map(|q| q.id),
                Some(p.id),
                "domain {d}"
            );
            let email = format!("Jane.Doe@{}.", d.to_ascii_uppercase());
            assert_eq!(
                providers::by_email(&email).map(|q| q.id),
                Some(p.id),
                "{email}"
            );
        }
        for s in p.mx_suffixes {
            let mx = format!("mx1.{s}.");
            assert_eq!(providers::by_mx(&mx).map(|q| q.id), Some(p.id), "MX {mx}");
            assert_eq!(providers::by_mx(s).map(|q| q.id), Some(p.id), "MX {s}");
        }
        for e in p.servers {
            if e.host.parse::<std::net::IpAddr>().is_ok() {
                assert!(
                    providers::by_host(e.host).is_none(),
                    "{}: IP {}",
                    p.id,
                    e.host
                );
                assert_eq!(
                    providers::by_endpoint(e.protocol, e.host, e.port).map(|q| q.id),
                    Some(p.id)
                );
                continue;
            }
            let found = providers::by_host(&format!(" {}. ", e.host.to_ascii_uppercase()))
                .unwrap_or_else(|| panic!("{}: host {} not found", p.id, e.host));
            let sharers: Vec<_> = PROVIDERS.iter().filter(|q| q.owns_host(e.host)).collect();
            // A host shared by several providers answers with the first of them by id.
            assert_eq!(found.id, sharers[0].id, "host {}", e.host);
            assert!(
                providers::by_endpoint(e.protocol, e.host, e.port).is_some(),
                "{}: endpoint {}:{}",
                p.id,
                e.host,
                e.port
            );
            assert!(
                providers::all_hosts().iter().any(|(h, _)| *h == e.host),
                "{}: {} missing from all_hosts",
                p.id,
                e.host
            );
        }
    }
    assert!(providers::by_email("someone@example.invalid").is_none());
    assert!(providers::by_mx("mx.example.invalid").is_none());
    assert!(
        providers::by_mx("notgoogle.com").is_none(),
        "suffixes match whole labels"
    );
    assert!(providers::by_host("imap.example.invalid").is_none());
}

#[test]
fn shared_hosts_are_the_known_ones() {
    // Providers that share servers: the host lookup cannot tell them apart, so keep the list
    // short and deliberate.
    let mut shared: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for p in PROVIDERS {
        let hosts: BTreeSet<_> = p.servers.iter().map(|e| e.host).collect();
        for h in hosts {
            shared.entry(h).or_default().push(p.id);
        }
    }
    shared.retain(|_, ids| ids.len() > 1);
    let got: Vec<_> = shared
        .iter()
        .map(|(h, ids)| format!("{h}: {}", ids.join(" ")))
        .collect();
    assert_eq!(
        got,
        [
            "imap.gmail.com: gmail google-workspace",
            "outlook.office365.com: microsoft-365 outlook",
            "pop.gmail.com: gmail google-workspace",
            "smtp.gmail.com: gmail google-workspace",
        ]
    );
}

/// A sample address at the provider (or at a custom domain for providers without their own).
fn sample_email(p: &Provider) -> String {
    format!(
        "jane.doe@{}",
        p.domains.first().copied().unwrap_or("example.com")
    )
}

fn username(format: UsernameFormat, email: &str) -> String {
    match format {
        UsernameFormat::LocalPart => email.split('@').next().unwrap_or(email).to_string(),
        // Bridge shows the address as the username; `Either` takes it too.
        _ => email.to_string(),
    }
}

fn server(p: &Provider, e: &Endpoint, auth: Auth, email: &str) -> Server {
    Server {
        protocol: e.protocol,
        host: e.host.to_string(),
        port: e.port,
        security: e.security,
        auth: Some(auth),
        username: Some(username(e.username.unwrap_or(p.username), email)),
    }
}

fn errors(settings: &Settings) -> Vec<String> {
    validate(settings)
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| format!("{} {} {}: {}", f.code, f.rule, f.field, f.message))
        .collect()
}

#[test]
fn every_documented_setting_passes_our_rules() {
    let mut failures = Vec::new();
    for p in PROVIDERS {
        let email = sample_email(p);
        // Each endpoint alone, with each accepted method.
        for e in p.servers {
            for &auth in p.auth.accepted {
                let s = Settings::Server(server(p, e, auth, &email));
                for err in errors(&s) {
                    failures.push(format!("{} {}:{} ({auth}): {err}", p.id, e.host, e.port));
                }
            }
        }
        // The whole account, as a client would be set up, for each incoming protocol offered.
        let Some(&auth) = p.auth.accepted.first() else {
            continue;
        };
        for incoming in [Protocol::Imap, Protocol::Pop3] {
            let Some(inc) = p.preferred(incoming) else {
                continue;
            };
            let account = Account {
                email: Some(email.clone()),
                incoming: server(p, inc, auth, &email),
                outgoing: p
                    .preferred(Protocol::Smtp)
                    .map(|o| server(p, o, auth, &email)),
                pop3: (incoming == Protocol::Pop3).then_some(Pop3Options {
                    leave_on_server: true,
                    delete_after_days: None,
                }),
            };
            for err in errors(&Settings::Account(account)) {
                failures.push(format!("{} account via {incoming}: {err}", p.id));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "our rules reject documented settings:\n{}",
        failures.join("\n")
    );
}

#[test]
fn table_serializes_with_sources() {
    let json = serde_json::to_value(PROVIDERS).expect("serializes");
    let gmail = json
        .as_array()
        .and_then(|a| a.iter().find(|p| p["id"] == "gmail"))
        .expect("gmail");
    assert_eq!(gmail["servers"][0]["host"], "imap.gmail.com");
    assert_eq!(gmail["auth"]["accepted"][0], "oauth2");
    assert!(gmail["sources"][0]["covers"]
        .as_array()
        .is_some_and(|c| !c.is_empty()));
    assert!(gmail["sources"][0]["verified"].is_string());
}

/// How each stated fact is backed: by the provider's own pages, by ISPDB only, or both. Printed
/// with `--nocapture`; fails if any fact is backed by nothing.
#[test]
fn fact_backing_summary() {
    let (mut own, mut ispdb_only, mut both) = (0, 0, 0);
    for p in PROVIDERS {
        for fact in stated_facts(p) {
            let sources: Vec<_> = p.sources_for(fact).collect();
            let by_ispdb = sources.iter().any(|s| is_ispdb(s));
            let by_own = sources.iter().any(|s| !is_ispdb(s));
            match (by_own, by_ispdb) {
                (true, true) => both += 1,
                (true, false) => own += 1,
                (false, true) => ispdb_only += 1,
                (false, false) => panic!("{}: {fact:?} unbacked", p.id),
            }
        }
    }
    println!(
        "{} providers; stated facts: {} from provider pages only, {} from ISPDB only, {} from both",
        PROVIDERS.len(),
        own,
        ispdb_only,
        both
    );
}
