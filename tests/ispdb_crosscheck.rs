//! The provider data against both public databases, vendored in `tests/data`: Thunderbird's
//! ISPDB (`ispdb/*.xml`) and Delta Chat's provider-db (`provider-db/_providers/*.md`), both
//! MPL-2.0.
//!
//! - Every ISPDB file and provider-db entry is cited by a provider (a source naming it) or listed
//!   in `src/providers/data/EXCLUDED.toml` with a reason; so is every domain in them.
//! - Every disagreement between a provider's facts and a database it cites — an endpoint one side
//!   lacks, another username form, other ISPDB mechanisms, a domain filed under another provider —
//!   is listed in `src/providers/data/EXCEPTIONS.toml` with a reason and sources; the test fails
//!   on an unexplained disagreement and on an exception that no longer matches one.
//! - The database sources carry the databases' own dates (ISPDB's snapshot, provider-db's
//!   `last_checked`).
//!
//! `cargo test --test ispdb_crosscheck -- --nocapture` prints the counts.

mod data;

use mailsetup::providers::{self, Provider, SourceKind};
use quick_xml::events::Event;
use quick_xml::Reader;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// The date of the vendored ISPDB snapshot (tests/data/README.md): every ISPDB source's `as_of`.
const ISPDB_SNAPSHOT_DATE: &str = "2026-03-12";

/// One endpoint as a database describes it. `security`: `tls`, `starttls`, `none` or `unknown`;
/// `username`: `email-address`, `local-part`, `other` or `unknown`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Ep {
    protocol: String,
    host: String,
    port: u16,
    security: String,
    username: String,
    /// ISPDB's `<authentication>` values, lower case.
    mechanisms: Vec<String>,
}

impl Ep {
    fn key(&self) -> String {
        format!(
            "{} {}:{} {}",
            self.protocol, self.host, self.port, self.security
        )
    }
}

/// One ISPDB file: its domains and mail endpoints (`%EMAILDOMAIN%` expanded per domain).
#[derive(Debug)]
struct IspdbFile {
    domains: Vec<String>,
    endpoints: Vec<Ep>,
}

/// Parses one `clientConfig` document (only what the cross-check needs). Server types other
/// than IMAP, POP3 and SMTP (Exchange, EWS, Graph) are not mail-app protocols here.
fn parse_ispdb(file: &str, xml: &str) -> IspdbFile {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().trim_text(true);
    let mut domains = Vec::new();
    let mut raw: Vec<(String, BTreeMap<String, String>, Vec<String>)> = Vec::new();
    let mut path: Vec<String> = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let name = e.name().as_ref().trim().to_owned();
                if name == "incomingServer" || name == "outgoingServer" {
                    let kind = e
                        .try_get_attribute("type")
                        .ok()
                        .flatten()
                        .map(|a| a.value.trim().to_owned())
                        .unwrap_or_default();
                    raw.push((kind, BTreeMap::new(), Vec::new()));
                }
                path.push(name);
            }
            Ok(Event::End(_)) => {
                path.pop();
            }
            Ok(Event::Text(t)) => {
                let value = t.trim().to_owned();
                let parent = path.iter().rev().nth(1).map(String::as_str);
                match (path.last().map(String::as_str), parent) {
                    (Some("domain"), Some("emailProvider")) => {
                        domains.push(value.to_ascii_lowercase())
                    }
                    (Some("authentication"), Some("incomingServer" | "outgoingServer")) => {
                        if let Some(s) = raw.last_mut() {
                            s.2.push(value.to_ascii_lowercase());
                        }
                    }
                    (Some(field), Some("incomingServer" | "outgoingServer")) => {
                        if let Some(s) = raw.last_mut() {
                            s.1.entry(field.to_owned()).or_default().push_str(&value);
                        }
                    }
                    _ => {}
                }
            }
            Ok(Event::Eof) => break,
            Err(e) => panic!("{file}: not well-formed XML: {e}"),
            _ => {}
        }
    }
    let mut endpoints = Vec::new();
    for (kind, fields, mechanisms) in raw {
        if !matches!(kind.as_str(), "imap" | "pop3" | "smtp") {
            continue;
        }
        let get = |k: &str| fields.get(k).map(String::as_str).unwrap_or("");
        let security = match get("socketType") {
            "SSL" => "tls",
            "STARTTLS" => "starttls",
            "plain" => "none",
            _ => "unknown",
        };
        let username = match get("username") {
            "%EMAILADDRESS%" => "email-address",
            "%EMAILLOCALPART%" => "local-part",
            "" => "unknown",
            _ => "other",
        };
        let host = get("hostname").to_ascii_lowercase();
        let hosts: Vec<String> = if host.contains("%emaildomain%") {
            domains
                .iter()
                .map(|d| host.replace("%emaildomain%", d))
                .collect()
        } else {
            vec![host]
        };
        for host in hosts {
            endpoints.push(Ep {
                protocol: kind.clone(),
                host,
                port: get("port").parse().unwrap_or(0),
                security: security.to_owned(),
                username: username.to_owned(),
                mechanisms: mechanisms.clone(),
            });
        }
    }
    IspdbFile { domains, endpoints }
}

/// One provider-db entry: its domains, servers and `last_checked`.
#[derive(Debug)]
struct PdbEntry {
    domains: Vec<String>,
    servers: Vec<Ep>,
    last_checked: String,
}

/// The YAML front matter (between `---` lines) of a provider-db entry.
fn parse_pdb(path: &str, text: &str) -> PdbEntry {
    use yaml_rust2::{Yaml, YamlLoader};
    let mut parts = text.splitn(3, "---");
    let (_, front) = (
        parts.next(),
        parts
            .next()
            .unwrap_or_else(|| panic!("{path}: no front matter")),
    );
    let docs = YamlLoader::load_from_str(front).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc = &docs[0];
    let text_of = |y: &Yaml| match y {
        Yaml::String(s) => s.clone(),
        Yaml::Integer(i) => i.to_string(),
        _ => String::new(),
    };
    let domains = doc["domains"]
        .as_vec()
        .map(|v| v.iter().map(|d| text_of(d).to_ascii_lowercase()).collect())
        .unwrap_or_default();
    let servers = doc["server"]
        .as_vec()
        .map(|v| {
            v.iter()
                .map(|s| Ep {
                    protocol: text_of(&s["type"]).to_ascii_lowercase(),
                    host: text_of(&s["hostname"]).to_ascii_lowercase(),
                    port: text_of(&s["port"]).parse().unwrap_or(0),
                    security: match text_of(&s["socket"]).to_ascii_uppercase().as_str() {
                        "SSL" => "tls",
                        "STARTTLS" => "starttls",
                        "PLAIN" => "none",
                        _ => "unknown",
                    }
                    .to_owned(),
                    username: match text_of(&s["username_pattern"])
                        .to_ascii_uppercase()
                        .as_str()
                    {
                        "EMAILLOCALPART" => "local-part",
                        _ => "email-address",
                    }
                    .to_owned(),
                    mechanisms: Vec::new(),
                })
                .collect()
        })
        .unwrap_or_default();
    PdbEntry {
        domains,
        servers,
        last_checked: text_of(&doc["last_checked"]),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Excluded {
    #[serde(default)]
    ispdb: Vec<ExcludedFile>,
    #[serde(default)]
    ispdb_domain: Vec<ExcludedDomain>,
    #[serde(default)]
    provider_db: Vec<ExcludedEntry>,
    #[serde(default)]
    provider_db_domain: Vec<ExcludedEntryDomain>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExcludedFile {
    file: String,
    reason: String,
}
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExcludedDomain {
    file: String,
    domain: String,
    reason: String,
}
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExcludedEntry {
    entry: String,
    reason: String,
}
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExcludedEntryDomain {
    entry: String,
    domain: String,
    reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Exceptions {
    exception: Vec<Exception>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Exception {
    provider: String,
    database: String,
    file: String,
    kind: String,
    subject: String,
    reason: String,
    sources: Vec<String>,
}

fn read_toml<T: serde::de::DeserializeOwned>(name: &str) -> T {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/providers/data")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// (provider, database, file, kind, subject) → what differs.
type Disagreements = BTreeMap<(String, String, String, String, String), String>;

/// Everything the cross-check finds: problems (each a failure) and disagreements.
struct Outcome {
    problems: Vec<String>,
    disagreements: Disagreements,
    counts: BTreeMap<&'static str, usize>,
}

fn cross_check(
    providers: &[Provider],
    ispdb: &BTreeMap<String, IspdbFile>,
    pdb: &BTreeMap<String, PdbEntry>,
    excluded: &Excluded,
) -> Outcome {
    let mut problems = Vec::new();
    let mut d: Disagreements = BTreeMap::new();
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut disagree = |p: &str, db: &str, file: &str, kind: &str, subject: &str, what: String| {
        d.insert(
            (
                p.into(),
                db.into(),
                file.into(),
                kind.into(),
                subject.into(),
            ),
            what,
        );
    };

    // Where each address domain and MX suffix lives.
    let mut owners: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for p in providers {
        for name in p.domain_names().chain(p.mx_suffixes()) {
            owners.entry(name).or_default().push(&p.id);
        }
    }
    let owners_of = |domain: &str| owners.get(domain).cloned().unwrap_or_default();

    // Who cites what.
    let mut citing_ispdb: BTreeMap<&str, Vec<&Provider>> = BTreeMap::new();
    let mut citing_pdb: BTreeMap<&str, Vec<&Provider>> = BTreeMap::new();
    for p in providers {
        for s in &p.sources {
            let file = s.file.as_deref().unwrap_or("");
            match s.kind {
                SourceKind::Ispdb => {
                    match ispdb.get(file) {
                        None => problems.push(format!("{} source {}: ISPDB file {file:?} is not in the corpus", p.id, s.id)),
                        Some(_) if s.as_of != ISPDB_SNAPSHOT_DATE => problems.push(format!(
                            "{} source {}: as_of {} is not the snapshot's date {ISPDB_SNAPSHOT_DATE}",
                            p.id, s.id, s.as_of
                        )),
                        Some(_) => {}
                    }
                    citing_ispdb.entry(file).or_default().push(p);
                }
                SourceKind::ProviderDb => {
                    match pdb.get(file) {
                        None => problems.push(format!(
                            "{} source {}: provider-db entry {file:?} is not in the corpus",
                            p.id, s.id
                        )),
                        Some(e) if e.last_checked != s.as_of => problems.push(format!(
                            "{} source {}: as_of {} is not the entry's last_checked {}",
                            p.id, s.id, s.as_of, e.last_checked
                        )),
                        Some(_) => {}
                    }
                    citing_pdb.entry(file).or_default().push(p);
                }
                _ => {}
            }
        }
    }
    for (what, reasons) in [
        (
            "ispdb",
            excluded.ispdb.iter().map(|e| &e.reason).collect::<Vec<_>>(),
        ),
        (
            "ispdb_domain",
            excluded.ispdb_domain.iter().map(|e| &e.reason).collect(),
        ),
        (
            "provider_db",
            excluded.provider_db.iter().map(|e| &e.reason).collect(),
        ),
        (
            "provider_db_domain",
            excluded
                .provider_db_domain
                .iter()
                .map(|e| &e.reason)
                .collect(),
        ),
    ] {
        if reasons.iter().any(|r| r.trim().is_empty()) {
            problems.push(format!("EXCLUDED.toml: a {what} entry has no reason"));
        }
    }

    // ISPDB.
    for (name, f) in ispdb {
        let cited = citing_ispdb.get(name.as_str()).cloned().unwrap_or_default();
        let file_excluded = excluded.ispdb.iter().any(|e| &e.file == name);
        match (cited.is_empty(), file_excluded) {
            (true, false) => {
                problems.push(format!(
                    "ISPDB {name} is neither cited by a provider nor in EXCLUDED.toml"
                ));
                continue;
            }
            (false, true) => problems.push(format!("ISPDB {name} is both cited and excluded")),
            (true, true) => {
                *counts.entry("ISPDB files excluded").or_default() += 1;
                continue;
            }
            (false, false) => *counts.entry("ISPDB files included").or_default() += 1,
        }
        for domain in f.domains.iter().collect::<BTreeSet<_>>() {
            let owners = owners_of(domain);
            if excluded
                .ispdb_domain
                .iter()
                .any(|e| &e.file == name && &e.domain == domain)
            {
                *counts.entry("ISPDB domains excluded").or_default() += 1;
                if !owners.is_empty() {
                    problems.push(format!(
                        "ISPDB domain {domain} ({name}) is both excluded and listed by {owners:?}"
                    ));
                }
                continue;
            }
            if owners.is_empty() {
                problems.push(format!(
                    "ISPDB domain {domain} ({name}) is in no provider and not excluded"
                ));
                continue;
            }
            *counts.entry("ISPDB domains included").or_default() += 1;
            for o in owners {
                if !cited.iter().any(|p| p.id == o) {
                    disagree(
                        &cited[0].id,
                        "ispdb",
                        name,
                        "domain-elsewhere",
                        domain,
                        format!("ISPDB {name} lists {domain}; the data puts it with {o}"),
                    );
                }
            }
        }
        for p in cited {
            let file_domains: BTreeSet<&str> = f.domains.iter().map(String::as_str).collect();
            let ours = endpoints_by_key(p, |e| {
                e.domains.is_empty() || e.domains.iter().any(|x| file_domains.contains(x.as_str()))
            });
            let mut theirs: BTreeMap<String, &Ep> = BTreeMap::new();
            for e in &f.endpoints {
                theirs.entry(e.key()).or_insert(e);
            }
            for (key, e) in &theirs {
                match ours.get(key) {
                    None => disagree(
                        &p.id,
                        "ispdb",
                        name,
                        "endpoint-missing-in-data",
                        key,
                        "ISPDB lists it".into(),
                    ),
                    Some(u) if *u != e.username && *u != "either" => disagree(
                        &p.id,
                        "ispdb",
                        name,
                        "username",
                        key,
                        format!("ISPDB {}, data {u}", e.username),
                    ),
                    Some(_) => {}
                }
            }
            for key in ours.keys() {
                if !theirs.contains_key(key) {
                    disagree(
                        &p.id,
                        "ispdb",
                        name,
                        "endpoint-missing-in-database",
                        key,
                        "the data lists it".into(),
                    );
                }
            }
            // Mechanisms per protocol: this file's against the data's facts that cite this file
            // (or no ISPDB file at all: they apply to every file).
            let mut mech_theirs: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
            for e in &f.endpoints {
                mech_theirs
                    .entry(e.protocol.clone())
                    .or_default()
                    .extend(e.mechanisms.iter().cloned());
            }
            let mut mech_ours: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
            for m in &p.mechanisms {
                let sources: Vec<_> = p.sources_of(m).collect();
                let this_file = sources.iter().any(|s| {
                    s.kind == SourceKind::Ispdb && s.file.as_deref() == Some(name.as_str())
                });
                let any_ispdb = sources.iter().any(|s| s.kind == SourceKind::Ispdb);
                if this_file || !any_ispdb {
                    for proto in &m.protocols {
                        mech_ours
                            .entry(proto.as_str().to_owned())
                            .or_default()
                            .extend(m.names.iter().map(|n| n.as_str().to_owned()));
                    }
                }
            }
            let protocols: BTreeSet<&String> = mech_theirs.keys().chain(mech_ours.keys()).collect();
            for proto in protocols {
                let (t, o) = (
                    mech_theirs.get(proto).cloned().unwrap_or_default(),
                    mech_ours.get(proto).cloned().unwrap_or_default(),
                );
                if t != o {
                    disagree(
                        &p.id,
                        "ispdb",
                        name,
                        "mechanisms",
                        proto,
                        format!("ISPDB {t:?}; data {o:?}"),
                    );
                }
            }
        }
    }

    // provider-db.
    for (name, entry) in pdb {
        let cited = citing_pdb.get(name.as_str()).cloned().unwrap_or_default();
        let excluded_entry = excluded.provider_db.iter().any(|e| &e.entry == name);
        match (cited.is_empty(), excluded_entry) {
            (true, false) => {
                problems.push(format!(
                    "provider-db {name} is neither cited by a provider nor in EXCLUDED.toml"
                ));
                continue;
            }
            (false, true) => {
                problems.push(format!("provider-db {name} is both cited and excluded"))
            }
            (true, true) => {
                *counts.entry("provider-db entries excluded").or_default() += 1;
                *counts.entry("provider-db domains excluded").or_default() += entry.domains.len();
                continue;
            }
            (false, false) => *counts.entry("provider-db entries included").or_default() += 1,
        }
        for domain in entry.domains.iter().collect::<BTreeSet<_>>() {
            let owners = owners_of(domain);
            if excluded
                .provider_db_domain
                .iter()
                .any(|e| &e.entry == name && &e.domain == domain)
            {
                *counts.entry("provider-db domains excluded").or_default() += 1;
                continue;
            }
            if owners.is_empty() {
                problems.push(format!(
                    "provider-db domain {domain} ({name}) is in no provider and not excluded"
                ));
                continue;
            }
            *counts.entry("provider-db domains included").or_default() += 1;
            for o in owners {
                if !cited.iter().any(|p| p.id == o) {
                    disagree(
                        &cited[0].id,
                        "provider-db",
                        name,
                        "domain-elsewhere",
                        domain,
                        format!("provider-db {name} lists {domain}; the data puts it with {o}"),
                    );
                }
            }
        }
        for p in cited {
            let ours = endpoints_by_key(p, |_| true);
            for e in &entry.servers {
                let key = e.key();
                match ours.get(&key) {
                    None => disagree(
                        &p.id,
                        "provider-db",
                        name,
                        "endpoint-missing-in-data",
                        &key,
                        "provider-db lists it".into(),
                    ),
                    Some(u) if *u != e.username && *u != "either" => disagree(
                        &p.id,
                        "provider-db",
                        name,
                        "username",
                        &key,
                        format!("provider-db {}, data {u}", e.username),
                    ),
                    Some(_) => {}
                }
            }
        }
    }
    Outcome {
        problems,
        disagreements: d,
        counts,
    }
}

/// A provider's endpoints by key, with their username form; the plain entry wins over a variant
/// (organisation, own domain) of the same server, whose username may differ on purpose.
fn endpoints_by_key(
    p: &Provider,
    applies: impl Fn(&providers::Endpoint) -> bool,
) -> BTreeMap<String, &'static str> {
    let mut found: BTreeMap<String, (&'static str, bool)> = BTreeMap::new();
    for e in p.servers.iter().filter(|e| applies(e)) {
        let key = format!("{} {}:{} {}", e.protocol, e.host, e.port, e.security);
        let plain = e.variant.is_none();
        let keep = found
            .get(&key)
            .is_none_or(|(_, was_plain)| !was_plain && plain);
        if keep {
            found.insert(key, (e.username.as_str(), plain));
        }
    }
    found.into_iter().map(|(k, (u, _))| (k, u)).collect()
}

fn corpora() -> (BTreeMap<String, IspdbFile>, BTreeMap<String, PdbEntry>) {
    let ispdb = data::ispdb()
        .iter()
        .map(|f| (f.path.clone(), parse_ispdb(&f.path, &f.text)))
        .collect();
    let pdb = data::provider_db()
        .iter()
        .map(|f| {
            let name = f.path.trim_start_matches("_providers/").to_owned();
            (name, parse_pdb(&f.path, &f.text))
        })
        .collect();
    (ispdb, pdb)
}

#[test]
fn every_database_entry_is_included_or_excluded_and_every_disagreement_explained() {
    let (ispdb, pdb) = corpora();
    let excluded: Excluded = read_toml("EXCLUDED.toml");
    let exceptions: Exceptions = read_toml("EXCEPTIONS.toml");
    let all = providers::all();
    let outcome = cross_check(all, &ispdb, &pdb, &excluded);
    let mut problems = outcome.problems;

    let mut listed = BTreeSet::new();
    for (i, x) in exceptions.exception.iter().enumerate() {
        let key = (
            x.provider.clone(),
            x.database.clone(),
            x.file.clone(),
            x.kind.clone(),
            x.subject.clone(),
        );
        let at = format!("EXCEPTIONS.toml exception[{i}] {key:?}");
        if !listed.insert(key.clone()) {
            problems.push(format!("{at}: listed twice"));
        }
        if x.reason.trim().is_empty() {
            problems.push(format!("{at}: needs a reason"));
        }
        if x.sources.is_empty() {
            problems.push(format!("{at}: needs sources (\"provider:source-id\")"));
        }
        for r in &x.sources {
            let (pid, sid) = r.split_once(':').unwrap_or((r, ""));
            let known =
                providers::by_id(pid).is_some_and(|p| p.sources.iter().any(|s| s.id == sid));
            if !known {
                problems.push(format!(
                    "{at}: source {r:?} names no source of a provider file"
                ));
            }
        }
        if !outcome.disagreements.contains_key(&key) {
            problems.push(format!("{at}: matches no current disagreement (stale)"));
        }
    }
    for (key, what) in &outcome.disagreements {
        if !listed.contains(key) {
            problems.push(format!(
                "unexplained disagreement {key:?}: {what} (add it to EXCEPTIONS.toml with a reason and sources)"
            ));
        }
    }
    for (k, v) in &outcome.counts {
        println!("{k}: {v}");
    }
    println!(
        "disagreements, all explained: {}",
        outcome.disagreements.len()
    );
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert_eq!(
        outcome
            .counts
            .get("ISPDB files included")
            .copied()
            .unwrap_or(0)
            + outcome
                .counts
                .get("ISPDB files excluded")
                .copied()
                .unwrap_or(0),
        ispdb.len()
    );
}

/// The cross-check can fail: a provider that drops a database's endpoint, or cites a database it
/// disagrees with, is reported.
#[test]
fn cross_check_finds_disagreements() {
    let (ispdb, pdb) = corpora();
    let excluded: Excluded = read_toml("EXCLUDED.toml");
    let mut changed: Vec<Provider> = providers::all().to_vec();
    let kpn = changed.iter_mut().find(|p| p.id == "kpn").unwrap();
    kpn.servers.retain(|e| e.port != 143);
    kpn.servers[0].username = providers::UsernameForm::LocalPart;
    let outcome = cross_check(&changed, &ispdb, &pdb, &excluded);
    let kinds: BTreeSet<&str> = outcome
        .disagreements
        .keys()
        .filter(|k| k.0 == "kpn")
        .map(|k| k.3.as_str())
        .collect();
    assert!(kinds.contains("endpoint-missing-in-data"), "{kinds:?}");
    assert!(kinds.contains("username"), "{kinds:?}");
    // And a domain nobody lists is a problem.
    let ziggo = changed.iter_mut().find(|p| p.id == "ziggo").unwrap();
    ziggo.domains.clear();
    let outcome = cross_check(&changed, &ispdb, &pdb, &excluded);
    assert!(
        outcome
            .problems
            .iter()
            .any(|p| p.contains("ziggo.nl") && p.contains("in no provider")),
        "{:?}",
        outcome.problems
    );
}

#[test]
fn parsers_read_servers_domains_usernames_and_mechanisms() {
    let xml = r#"<?xml version="1.0"?>
<clientConfig version="1.1"><emailProvider id="example.org">
  <domain>Example.org</domain><domain>example.net</domain>
  <incomingServer type="imap"><hostname>mail.%EMAILDOMAIN%</hostname><port>993</port>
    <socketType>SSL</socketType><username>%EMAILLOCALPART%</username>
    <authentication>password-cleartext</authentication><authentication>OAuth2</authentication></incomingServer>
  <incomingServer type="exchange"><hostname>ex.example.org</hostname><port>443</port></incomingServer>
  <outgoingServer type="smtp"><hostname>smtp.example.org</hostname><port>587</port>
    <socketType>STARTTLS</socketType><username>%EMAILADDRESS%</username></outgoingServer>
</emailProvider></clientConfig>"#;
    let f = parse_ispdb("example.org.xml", xml);
    assert_eq!(f.domains, ["example.org", "example.net"]);
    let keys: Vec<String> = f.endpoints.iter().map(Ep::key).collect();
    assert_eq!(
        keys,
        [
            "imap mail.example.org:993 tls",
            "imap mail.example.net:993 tls",
            "smtp smtp.example.org:587 starttls"
        ]
    );
    assert_eq!(f.endpoints[0].username, "local-part");
    assert_eq!(f.endpoints[0].mechanisms, ["password-cleartext", "oauth2"]);
    let md = "---\nname: X\ndomains:\n  - X.example\nserver:\n  - type: imap\n    socket: SSL\n    hostname: imap.x.example\n    port: 993\n    username_pattern: EMAILLOCALPART\nlast_checked: 2024-11\n---\nText.";
    let e = parse_pdb("x.md", md);
    assert_eq!(e.domains, ["x.example"]);
    assert_eq!(e.servers[0].key(), "imap imap.x.example:993 tls");
    assert_eq!(e.servers[0].username, "local-part");
    assert_eq!(e.last_checked, "2024-11");
}
