//! Cross-check of the curated provider table against Thunderbird's ISPDB (files named by domain,
//! MPL-2.0), vendored as test data in `tests/data/ispdb` (`tests/data/README.md`).
//!
//! For every provider whose email domain ISPDB also lists, the IMAP, POP3 and SMTP endpoints
//! (host, port, connection security) and their username formats must agree, or the difference
//! must be listed in [`KNOWN_DIFFERENCES`] with its reason. The test fails on a difference that is
//! not listed, and on a listed difference that no longer exists. A missing ISPDB file fails it.

mod data;

use mailsetup::providers::{Provider, UsernameFormat, PROVIDERS};
use mailsetup::{Protocol, Security};
use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::{BTreeMap, BTreeSet};

/// One side has an endpoint the other lacks, or both have it with different usernames.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// ISPDB lists an endpoint the table does not.
    OnlyIspdb,
    /// The table lists an endpoint ISPDB does not.
    OnlyOurs,
    /// Both list the endpoint; the username format differs.
    Username,
}

/// A difference between the table and ISPDB that is known and explained.
struct KnownDifference {
    provider: &'static str,
    /// The ISPDB file (its domain).
    ispdb: &'static str,
    kind: Kind,
    protocol: Protocol,
    host: &'static str,
    port: u16,
    reason: &'static str,
}

/// Every known difference, with why it is right to differ.
const KNOWN_DIFFERENCES: &[KnownDifference] = &[KnownDifference {
    provider: "gmail",
    ispdb: "googlemail.com",
    kind: Kind::OnlyOurs,
    protocol: Protocol::Smtp,
    host: "smtp.gmail.com",
    port: 587,
    reason: "ISPDB lists only implicit TLS on 465; Google's developer page documents 587 with STARTTLS too",
}];

/// An endpoint as both sides describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Ep {
    protocol: Protocol,
    host: String,
    port: u16,
    security: Security,
    /// `None` when ISPDB's username is neither the address nor the local part.
    username: Option<UsernameFormat>,
}

/// One ISPDB file: its domains and mail endpoints.
struct IspdbEntry {
    file: String,
    domains: Vec<String>,
    endpoints: Vec<Ep>,
}

fn text(s: &str) -> String {
    s.trim().to_string()
}

/// Parses one ISPDB `clientConfig` document (only what the cross-check needs).
fn parse_ispdb(file: &str, xml: &str) -> IspdbEntry {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().trim_text(true);
    let mut entry = IspdbEntry {
        file: file.to_string(),
        domains: Vec::new(),
        endpoints: Vec::new(),
    };
    let mut path: Vec<String> = Vec::new();
    // The server being read: type, hostname, port, socketType, username.
    let mut server: Option<[String; 5]> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let name = text(e.name().as_ref());
                if name == "incomingServer" || name == "outgoingServer" {
                    let kind = e
                        .try_get_attribute("type")
                        .ok()
                        .flatten()
                        .map(|a| text(&a.value))
                        .unwrap_or_default();
                    server = Some([
                        kind,
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                    ]);
                }
                path.push(name);
            }
            Ok(Event::End(_)) => {
                let name = path.pop().unwrap_or_default();
                if name == "incomingServer" || name == "outgoingServer" {
                    if let Some([kind, host, port, socket, user]) = server.take() {
                        if let Some(ep) = endpoint(&kind, host, &port, &socket, &user) {
                            entry.endpoints.push(ep);
                        }
                    }
                }
            }
            Ok(Event::Text(t)) => {
                let value = text(&t);
                let parent = path.iter().rev().nth(1).map(String::as_str);
                let in_server = matches!(parent, Some("incomingServer" | "outgoingServer"));
                match (path.last().map(String::as_str), parent) {
                    (Some("domain"), Some("emailProvider")) => {
                        entry.domains.push(value.to_ascii_lowercase())
                    }
                    (Some(field), _) if in_server => {
                        if let Some(s) = server.as_mut() {
                            let slot = match field {
                                "hostname" => 1,
                                "port" => 2,
                                "socketType" => 3,
                                "username" => 4,
                                _ => continue,
                            };
                            s[slot].push_str(&value);
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
    entry
}

fn endpoint(kind: &str, host: String, port: &str, socket: &str, user: &str) -> Option<Ep> {
    let protocol = match kind {
        "imap" => Protocol::Imap,
        "pop3" => Protocol::Pop3,
        "smtp" => Protocol::Smtp,
        _ => return None, // exchange, ews, graph, …: not ours to compare
    };
    let security = match socket {
        "SSL" => Security::Tls,
        "STARTTLS" => Security::Starttls,
        _ => Security::None,
    };
    let username = match user {
        "%EMAILADDRESS%" => Some(UsernameFormat::EmailAddress),
        "%EMAILLOCALPART%" => Some(UsernameFormat::LocalPart),
        _ => None,
    };
    Some(Ep {
        protocol,
        host: host.to_ascii_lowercase(),
        port: port.parse().ok()?,
        security,
        username,
    })
}

fn load_ispdb() -> Vec<IspdbEntry> {
    data::ispdb()
        .iter()
        .map(|f| parse_ispdb(f.path.strip_suffix(".xml").unwrap_or(&f.path), &f.text))
        .collect()
}

fn ours(p: &Provider) -> Vec<Ep> {
    p.servers
        .iter()
        .map(|e| Ep {
            protocol: e.protocol,
            host: e.host.to_string(),
            port: e.port,
            security: e.security,
            username: Some(e.username.unwrap_or(p.username)),
        })
        .collect()
}

/// A difference found: provider, ISPDB file, kind, protocol, host, port, detail.
type Found = (String, String, Kind, Protocol, String, u16, String);

/// Every difference between the table and ISPDB, for providers whose domains ISPDB lists.
fn differences(ispdb: &[IspdbEntry]) -> (Vec<Found>, usize) {
    let mut by_domain: BTreeMap<&str, &IspdbEntry> = BTreeMap::new();
    for entry in ispdb {
        for d in &entry.domains {
            by_domain.entry(d.as_str()).or_insert(entry);
        }
    }
    let mut found = Vec::new();
    let mut compared = 0;
    for p in PROVIDERS {
        let files: BTreeSet<&str> = p
            .domains
            .iter()
            .filter_map(|d| by_domain.get(d).map(|e| e.file.as_str()))
            .collect();
        for file in files {
            compared += 1;
            let entry = ispdb.iter().find(|e| e.file == file).unwrap();
            let key = |e: &Ep| (e.protocol, e.host.clone(), e.port, e.security);
            let mine: BTreeMap<_, _> = ours(p).into_iter().map(|e| (key(&e), e)).collect();
            let theirs: BTreeMap<_, _> = entry.endpoints.iter().map(|e| (key(e), e)).collect();
            let mut push = |kind, e: &Ep, detail: String| {
                found.push((
                    p.id.to_string(),
                    file.to_string(),
                    kind,
                    e.protocol,
                    e.host.clone(),
                    e.port,
                    detail,
                ));
            };
            for (k, e) in &theirs {
                match mine.get(k) {
                    None => push(Kind::OnlyIspdb, e, format!("{:?}", e.security)),
                    Some(m) if e.username.is_some() && m.username != e.username => push(
                        Kind::Username,
                        e,
                        format!("ours {:?}, ISPDB {:?}", m.username, e.username),
                    ),
                    Some(_) => {}
                }
            }
            for (k, e) in &mine {
                if !theirs.contains_key(k) {
                    push(Kind::OnlyOurs, e, format!("{:?}", e.security));
                }
            }
        }
    }
    (found, compared)
}

#[test]
fn ispdb_agrees_or_the_difference_is_explained() {
    let ispdb = load_ispdb();
    assert!(ispdb.len() > 100, "only {} ISPDB files parsed", ispdb.len());
    let (found, compared) = differences(&ispdb);
    assert!(
        compared >= 40,
        "only {compared} providers matched ISPDB by domain"
    );

    let listed = |f: &Found| {
        KNOWN_DIFFERENCES.iter().any(|k| {
            k.provider == f.0
                && k.ispdb == f.1
                && k.kind == f.2
                && k.protocol == f.3
                && k.host == f.4
                && k.port == f.5
        })
    };
    let unlisted: Vec<String> = found
        .iter()
        .filter(|f| !listed(f))
        .map(|f| {
            format!(
                "{} vs ISPDB {}: {:?} {} {}:{} ({})",
                f.0, f.1, f.2, f.3, f.4, f.5, f.6
            )
        })
        .collect();
    let stale: Vec<String> = KNOWN_DIFFERENCES
        .iter()
        .filter(|k| {
            !found.iter().any(|f| {
                k.provider == f.0
                    && k.ispdb == f.1
                    && k.kind == f.2
                    && k.protocol == f.3
                    && k.host == f.4
                    && k.port == f.5
            })
        })
        .map(|k| {
            format!(
                "{} vs ISPDB {}: {:?} {} {}:{}",
                k.provider, k.ispdb, k.kind, k.protocol, k.host, k.port
            )
        })
        .collect();
    assert!(
        unlisted.is_empty() && stale.is_empty(),
        "differences not in KNOWN_DIFFERENCES (fix the data or list them with a reason):\n{}\n\
         listed differences that no longer exist (remove them):\n{}",
        unlisted.join("\n"),
        stale.join("\n")
    );
    println!(
        "{compared} provider/ISPDB pairs compared, {} known differences",
        KNOWN_DIFFERENCES.len()
    );
}

#[test]
fn known_differences_are_well_formed() {
    let mut seen = BTreeSet::new();
    for k in KNOWN_DIFFERENCES {
        let p = PROVIDERS
            .iter()
            .find(|p| p.id == k.provider)
            .unwrap_or_else(|| panic!("unknown provider {}", k.provider));
        assert!(k.reason.len() > 20, "{}: give the reason", k.provider);
        assert!(
            seen.insert((k.provider, k.ispdb, k.kind, k.protocol, k.host, k.port)),
            "listed twice"
        );
        let ours = p.endpoint(k.protocol, k.host, k.port).is_some();
        assert_eq!(
            ours,
            k.kind != Kind::OnlyIspdb,
            "{}: {} {}:{}",
            k.provider,
            k.protocol,
            k.host,
            k.port
        );
    }
}

#[test]
fn parser_reads_servers_domains_and_usernames() {
    let xml = r#"<?xml version="1.0"?>
<clientConfig version="1.1"><emailProvider id="example.org">
  <domain>Example.org</domain><domain>example.net</domain>
  <!-- a comment -->
  <incomingServer type="imap"><hostname>imap.example.org</hostname><port>993</port>
    <socketType>SSL</socketType><username>%EMAILLOCALPART%</username></incomingServer>
  <incomingServer type="exchange"><hostname>ex.example.org</hostname><port>443</port></incomingServer>
  <outgoingServer type="smtp"><hostname>smtp.example.org</hostname><port>587</port>
    <socketType>STARTTLS</socketType><username>%EMAILADDRESS%</username></outgoingServer>
  <documentation url="https://example.org/help"><descr>Help &amp; more</descr></documentation>
</emailProvider></clientConfig>"#;
    let e = parse_ispdb("example.org", xml);
    assert_eq!(e.domains, ["example.org", "example.net"]);
    assert_eq!(
        e.endpoints,
        [
            Ep {
                protocol: Protocol::Imap,
                host: "imap.example.org".into(),
                port: 993,
                security: Security::Tls,
                username: Some(UsernameFormat::LocalPart),
            },
            Ep {
                protocol: Protocol::Smtp,
                host: "smtp.example.org".into(),
                port: 587,
                security: Security::Starttls,
                username: Some(UsernameFormat::EmailAddress),
            },
        ]
    );
}
