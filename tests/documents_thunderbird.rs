//! Thunderbird's own autoconfig reader as the oracle: comm-central's unmodified modules
//! (`js-tests/thunderbird/comm-central/`, MPL-2.0) run in node, reading the files exactly as
//! Thunderbird does (`js-tests/thunderbird/read.mjs`). They hold lint and export to what the
//! client really does:
//!
//! - on every real document (the vendored ISPDB and the edge files of `tests/data/documents/lint`)
//!   lint says "Thunderbird refuses this file" exactly when Thunderbird's reader refuses it, and
//!   what mailsetup imports is what Thunderbird reads, server by server;
//! - every export of every provider and of every edge account is read by it, with the servers the
//!   account says, or refused by `export` with a message that names what cannot be written;
//! - the same for generated accounts and documents (properties, read by node in one batch).
//!
//! They need node (20 or newer) and the oracle's packages (`npm ci` in `js-tests/thunderbird`):
//! `make test` (scripts/test.sh) installs both and runs them with `--include-ignored`; a plain
//! `cargo test` skips them, and they fail, naming what is missing, when it is not there.

mod data;

use mailsetup::documents::{
    export, import_autoconfig, lint_autoconfig, xml, ExportError, ExportInput, Format, Imported,
    THUNDERBIRD_REFUSES,
};
use mailsetup::model::Host;
use mailsetup::{Account, Auth, Protocol, Security, Server};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

// ---------- the oracle ----------

/// What Thunderbird's reader made of one file.
#[derive(Debug, Clone)]
struct Reading {
    file: PathBuf,
    /// `Err(message)` when Thunderbird refuses the file.
    config: Result<Value, String>,
}

/// Reads every `(file, email)` with Thunderbird's reader, in one node process.
fn thunderbird_reads(files: &[(PathBuf, String)]) -> Vec<Reading> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("js-tests/thunderbird");
    for package in ["@xmldom/xmldom", "saxes"] {
        assert!(
            dir.join("node_modules").join(package).is_dir(),
            "Thunderbird's reader needs its npm packages: run `npm ci` in {} (scripts/test.sh does)",
            dir.display()
        );
    }
    let list = scratch().join("list.json");
    let entries: Vec<Value> = files
        .iter()
        .map(|(f, e)| serde_json::json!({"file": f, "email": e}))
        .collect();
    std::fs::write(&list, serde_json::to_vec(&entries).unwrap()).unwrap();
    let out = Command::new("node")
        .args(["--import", "./gecko.mjs", "read.mjs"])
        .arg(&list)
        .current_dir(&dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run node ({e}): install Node.js 20 or newer"));
    assert!(
        out.status.success(),
        "Thunderbird's reader failed to run:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: Vec<Value> = serde_json::from_slice(&out.stdout).expect("read.mjs prints JSON");
    assert_eq!(results.len(), files.len());
    results
        .into_iter()
        .zip(files)
        .map(|(r, (file, _))| Reading {
            file: file.clone(),
            config: if r["ok"] == true {
                Ok(r["config"].clone())
            } else {
                Err(r["error"].as_str().unwrap_or("?").to_owned())
            },
        })
        .collect()
}

/// A new directory for files (tests run in parallel: each call gets its own).
fn scratch() -> PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let d = std::env::temp_dir().join(format!("mailsetup-thunderbird-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A server as Thunderbird read it: (type, host, port, socketType, auth, username).
type TbServer = (String, String, i64, String, String, String);

fn tb_servers(config: &Value, list: &str) -> Vec<TbServer> {
    config[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["type"].as_str().unwrap_or("").to_owned(),
                s["hostname"].as_str().unwrap_or("").to_owned(),
                s["port"].as_i64().unwrap_or(-1),
                s["socketType"].as_str().unwrap_or("").to_owned(),
                s["auth"].as_str().unwrap_or("").to_owned(),
                match &s["username"] {
                    Value::String(u) => u.clone(),
                    Value::Null => "(none)".into(),
                    v => v.to_string(),
                },
            )
        })
        .collect()
}

fn socket_type(s: Security) -> &'static str {
    match s {
        Security::Tls => "SSL",
        Security::Starttls => "STARTTLS",
        _ => "plain",
    }
}

// ---------- lint agrees with Thunderbird on real documents ----------

/// The documents: the vendored ISPDB and the edge files, with their bytes.
fn real_documents() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = data::ispdb()
        .into_iter()
        .map(|f| data::dir("ispdb").join(f.path))
        .collect();
    let edge = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/documents/lint");
    let mut edge_files: Vec<PathBuf> = std::fs::read_dir(&edge)
        .unwrap_or_else(|e| panic!("{}: {e}", edge.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    edge_files.sort();
    assert!(edge_files.len() >= 90, "the edge corpus is incomplete");
    files.extend(edge_files);
    files
}

/// What lint says about a file's bytes: `Err` when it cannot read it, else its report's codes.
fn lint_file(bytes: &[u8]) -> Result<mailsetup::Report, String> {
    let text = xml::decode(bytes).map_err(|e| e.to_string())?;
    lint_autoconfig(&text).map_err(|e| e.to_string())
}

/// The address the placeholders are filled in with: at the file's first usable domain.
fn address_for(text: Option<&str>) -> String {
    let domain = text
        .and_then(|t| import_autoconfig(t, None).ok())
        .and_then(|i| {
            i.domains
                .into_iter()
                .find(|d| Host::parse(d).is_clean() && !d.contains('%'))
        })
        .unwrap_or_else(|| "example.org".into());
    format!("someone@{domain}")
}

#[test]
#[ignore = "needs node and `npm ci` in js-tests/thunderbird (make test provides both)"]
fn lint_agrees_with_thunderbird_on_every_real_document() {
    let files = real_documents();
    let texts: Vec<Option<String>> = files
        .iter()
        .map(|f| xml::decode(&std::fs::read(f).unwrap()).ok())
        .collect();
    let list: Vec<(PathBuf, String)> = files
        .iter()
        .zip(&texts)
        .map(|(f, t)| (f.clone(), address_for(t.as_deref())))
        .collect();
    let readings = thunderbird_reads(&list);
    let mut disagreements = Vec::new();
    let (mut refused, mut read) = (0, 0);
    for (r, (_, email)) in readings.iter().zip(&list) {
        let name = r.file.file_name().unwrap().to_string_lossy().into_owned();
        let lint = lint_file(&std::fs::read(&r.file).unwrap());
        let refusal: Vec<String> = match &lint {
            Err(e) => vec![format!("cannot be read: {e}")],
            Ok(report) => report
                .findings
                .iter()
                .filter(|f| THUNDERBIRD_REFUSES.contains(&f.code))
                .map(|f| format!("{} {}", f.code, f.message))
                .collect(),
        };
        match (&r.config, refusal.is_empty()) {
            (Ok(_), true) => read += 1,
            (Err(_), false) => refused += 1,
            (Ok(_), false) => disagreements.push(format!(
                "{name}: Thunderbird reads it, lint says it refuses it: {}",
                refusal.join("; ")
            )),
            (Err(e), true) => disagreements.push(format!(
                "{name}: Thunderbird refuses it ({e}), lint does not say so: {:?}",
                lint.map(|l| l.findings.iter().map(|f| f.code).collect::<Vec<_>>())
            )),
        }
        // What mailsetup imports is what Thunderbird reads, server by server.
        if let (Ok(config), Ok(text)) = (&r.config, xml::decode(&std::fs::read(&r.file).unwrap())) {
            let imported = import_autoconfig(&text, Some(email)).unwrap();
            for problem in import_differences(&imported, config, email) {
                disagreements.push(format!("{name}: {problem}"));
            }
        }
    }
    eprintln!(
        "{} documents: Thunderbird reads {read}, refuses {refused}; lint agrees on all but {}",
        readings.len(),
        disagreements.len()
    );
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
    assert!(
        read > 150 && refused > 30,
        "the corpus should hold both kinds"
    );
}

/// Where mailsetup's import differs from Thunderbird's reading (IMAP, POP3 and SMTP servers with
/// a port, which is what mailsetup imports).
fn import_differences(imported: &Imported, config: &Value, email: &str) -> Vec<String> {
    let (local, domain) = email.rsplit_once('@').unwrap();
    // Thunderbird fills the placeholders in only some servers (not outgoing alternatives).
    let fill = |t: &str| {
        t.replace("%EMAILADDRESS%", email)
            .replace("%EMAILLOCALPART%", local)
            .replace("%EMAILDOMAIN%", domain)
    };
    let auth_name = |a: Option<Auth>| match a {
        Some(Auth::Password | Auth::AppPassword) => "password-cleartext",
        Some(Auth::EncryptedPassword) => "password-encrypted",
        Some(Auth::Oauth2) => "OAuth2",
        Some(Auth::None) => "none",
        _ => "other",
    };
    let mut out = Vec::new();
    for (list, ours) in [
        ("incoming", &imported.incoming),
        ("outgoing", &imported.outgoing),
    ] {
        let theirs: Vec<TbServer> = tb_servers(config, list)
            .into_iter()
            .filter(|s| ["imap", "pop3", "smtp"].contains(&s.0.as_str()) && s.2 > 0)
            .map(|mut s| {
                s.1 = fill(&s.1);
                // Thunderbird says "undefined" (or nothing) where there is no <username>;
                // mailsetup imports no username.
                s.5 = if s.5 == "undefined" {
                    "(none)".into()
                } else {
                    fill(&s.5)
                };
                // GSSAPI has no name in mailsetup's model; NTLM is its encrypted password.
                s.4 = match s.4.as_str() {
                    "GSSAPI" => "other".into(),
                    "NTLM" => "password-encrypted".into(),
                    "none" => "none".into(),
                    a => a.into(),
                };
                s
            })
            .collect();
        let ours: Vec<TbServer> = ours
            .iter()
            .map(|s| {
                let srv = &s.server;
                (
                    srv.protocol.to_string(),
                    srv.host.clone(),
                    i64::from(srv.port),
                    socket_type(srv.security).into(),
                    auth_name(srv.auth).into(),
                    srv.username.clone().unwrap_or_else(|| "(none)".into()),
                )
            })
            .collect();
        if theirs != ours {
            out.push(format!(
                "{list} servers differ:\n  Thunderbird {theirs:?}\n  mailsetup   {ours:?}"
            ));
        }
    }
    out
}

// ---------- exports are read by Thunderbird, or refused with a reason ----------

/// One export to check: the input, the address to fill in, and what Thunderbird must read.
struct Case {
    name: String,
    input: ExportInput,
    email: String,
    expect: Option<Account>,
}

/// The account Thunderbird should set up from an export of `a`: hosts as A-labels in lower case,
/// usernames without spaces around them (an empty one is not given).
fn expected_reading(a: &Account) -> Account {
    let mut a = a.clone();
    for s in std::iter::once(&mut a.incoming).chain(a.outgoing.as_mut()) {
        s.host = Host::parse(&s.host).ascii;
        s.username = s
            .username
            .as_ref()
            .map(|u| u.trim().to_owned())
            .filter(|u| !u.is_empty());
    }
    a
}

/// Checks Thunderbird's reading of an export against the account it came from. Where Thunderbird
/// refused the address itself (before any file is read, in its account setup), the placeholders
/// are filled in here.
fn reading_differences(config: &Value, a: &Account, email: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (local, domain) = email.rsplit_once('@').unwrap_or((email, ""));
    let fill = |t: &str| {
        if config["substituted"] == true {
            t.to_owned()
        } else {
            t.replace("%EMAILADDRESS%", email)
                .replace("%EMAILLOCALPART%", local)
                .replace("%EMAILDOMAIN%", domain)
        }
    };
    // Where the account does not say its sign-in, the export offers what the provider accepts.
    let provider = a
        .email
        .as_deref()
        .and_then(mailsetup::providers::by_email)
        .or_else(|| mailsetup::providers::by_host(&a.incoming.host))
        .or_else(|| {
            a.outgoing
                .as_ref()
                .and_then(|o| mailsetup::providers::by_host(&o.host))
        });
    for (list, s) in [
        ("incoming", Some(&a.incoming)),
        ("outgoing", a.outgoing.as_ref()),
    ] {
        let Some(s) = s else { continue };
        let Some(mut tb) = tb_servers(config, list).into_iter().next() else {
            out.push(format!("no {list} server"));
            continue;
        };
        tb.5 = fill(&tb.5);
        let name = |a: Auth| match a {
            Auth::Password | Auth::AppPassword => "password-cleartext",
            Auth::EncryptedPassword => "password-encrypted",
            Auth::Oauth2 => "OAuth2",
            Auth::None => "none",
            _ => "?",
        };
        let auth = match (s.auth, provider) {
            (Some(a), _) => name(a),
            (None, None) => "password-cleartext",
            // One the provider accepts: the first Thunderbird can use.
            (None, Some(p))
                if p.sign_in_methods(s.protocol)
                    .iter()
                    .any(|a| name(*a) == tb.4) =>
            {
                tb.4.as_str()
            }
            (None, Some(_)) => "one the provider accepts",
        };
        let username = match (&s.username, s.auth) {
            (Some(u), _) => u.clone(),
            (None, Some(Auth::None)) if list == "outgoing" => "(none)".into(),
            (None, _) => email.to_owned(),
        };
        let want = (
            s.protocol.to_string(),
            s.host.clone(),
            i64::from(s.port),
            socket_type(s.security).to_owned(),
            auth.to_owned(),
            username,
        );
        if tb != want {
            out.push(format!(
                "{list}: Thunderbird read {tb:?}, the account says {want:?}"
            ));
        }
    }
    out
}

/// Exports every case, has Thunderbird read every document, and checks each: read as the account
/// says, or refused by `export` with an error that names the field or what cannot be written.
/// Returns the refusals, for the report.
fn check_exports(cases: &[Case]) -> Vec<String> {
    let dir = scratch();
    let mut files = Vec::new();
    let mut refusals = Vec::new();
    let mut failures = Vec::new();
    let mut exported = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        match export(&c.input, Format::Autoconfig) {
            Ok(doc) => {
                let path = dir.join(format!("export-{i}.xml"));
                std::fs::write(&path, &doc).unwrap();
                files.push((path, c.email.clone()));
                exported.push((c, doc));
            }
            Err(e) => {
                let names_it = match &e {
                    ExportError::Unexpressible { what, help, .. } => {
                        !what.is_empty() && !help.is_empty()
                    }
                    ExportError::ControlCharacter { field, .. }
                    | ExportError::InvalidHost { field, .. } => !field.is_empty(),
                    ExportError::NeedsEmail { .. }
                    | ExportError::InvalidEmail { .. }
                    | ExportError::NoServers { .. }
                    | ExportError::InvalidAccount(_) => true,
                    _ => false,
                };
                if !names_it {
                    failures.push(format!("{}: refused without saying what: {e:?}", c.name));
                }
                refusals.push(format!("{}: {e}", c.name));
            }
        }
    }
    let readings = thunderbird_reads(&files);
    for (r, (c, doc)) in readings.iter().zip(&exported) {
        match (&r.config, &c.expect) {
            (Err(e), _) => failures.push(format!(
                "{}: exported, but Thunderbird refuses it: {e}\n{doc}",
                c.name
            )),
            (Ok(config), Some(a)) => {
                for d in reading_differences(config, &expected_reading(a), &c.email) {
                    failures.push(format!("{}: {d}\n{doc}", c.name));
                }
            }
            (Ok(_), None) => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    refusals
}

/// The address Thunderbird's `replaceVariables` is given: the account's, with its domain in
/// A-labels (Thunderbird checks the domain as a host name).
fn address_of(a: &Account) -> String {
    let email = a
        .email
        .clone()
        .unwrap_or_else(|| "someone@example.org".into());
    match email.rsplit_once('@') {
        Some((local, domain)) => format!("{local}@{}", Host::parse(domain).ascii),
        None => email,
    }
}

fn account_case(name: &str, a: Account) -> Case {
    Case {
        name: name.into(),
        email: address_of(&a),
        expect: Some(a.clone()),
        input: ExportInput::Account(a),
    }
}

fn server(protocol: Protocol, host: &str, port: u16, security: Security, auth: Auth) -> Server {
    Server {
        protocol,
        host: host.into(),
        port,
        security,
        auth: Some(auth),
        username: Some("me@example.org".into()),
    }
}

/// The edge accounts: the account files of `tests/data/documents/accounts`, and the cases the
/// issue lists (IDN, IPv6, POP3-only, no SMTP sign-in, client certificate, unencrypted, encrypted
/// password, OAuth2, XML-special and control characters), each varied where it matters.
fn edge_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/documents/accounts");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for p in paths {
        let text = std::fs::read_to_string(&p).unwrap();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        match ExportInput::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}")) {
            ExportInput::Account(a) => cases.push(account_case(&name, a)),
            input => cases.push(Case {
                name,
                input,
                email: "someone@example.org".into(),
                expect: None,
            }),
        }
    }
    let base = Account {
        email: Some("me@example.org".into()),
        incoming: server(
            Protocol::Imap,
            "imap.example.org",
            993,
            Security::Tls,
            Auth::Password,
        ),
        outgoing: Some(server(
            Protocol::Smtp,
            "smtp.example.org",
            465,
            Security::Tls,
            Auth::Password,
        )),
        pop3: None,
    };
    let vary = |name: &str, f: &dyn Fn(&mut Account)| {
        let mut a = base.clone();
        f(&mut a);
        account_case(name, a)
    };
    cases.extend([
        vary("clean", &|_| {}),
        vary("idn hosts and domain", &|a| {
            a.email = Some("jörg@bücher.example".into());
            a.incoming.host = "imap.bücher.example".into();
            a.outgoing.as_mut().unwrap().host = "SMTP.Bücher.Example.".into();
        }),
        vary("ipv6 and ipv4", &|a| {
            a.incoming.host = "2001:db8::1".into();
            a.outgoing.as_mut().unwrap().host = "[::1]".into();
        }),
        vary("ipv4 loopback", &|a| a.incoming.host = "127.0.0.1".into()),
        vary("pop3 only", &|a| {
            a.incoming = server(
                Protocol::Pop3,
                "pop.example.org",
                995,
                Security::Tls,
                Auth::Password,
            );
            a.pop3 = Some(mailsetup::Pop3Options {
                leave_on_server: true,
                delete_after_days: Some(14),
            });
        }),
        vary("smtp without sign-in", &|a| {
            let o = a.outgoing.as_mut().unwrap();
            o.auth = Some(Auth::None);
            o.username = None;
            o.port = 25;
            o.security = Security::Starttls;
        }),
        vary("client certificate incoming", &|a| {
            a.incoming.auth = Some(Auth::ClientCertificate)
        }),
        vary("client certificate outgoing", &|a| {
            a.outgoing.as_mut().unwrap().auth = Some(Auth::ClientCertificate)
        }),
        vary("incoming without sign-in", &|a| {
            a.incoming.auth = Some(Auth::None)
        }),
        vary("unencrypted", &|a| {
            a.incoming.security = Security::None;
            a.incoming.port = 143;
            let o = a.outgoing.as_mut().unwrap();
            o.security = Security::None;
            o.port = 25;
        }),
        vary("encrypted password", &|a| {
            a.incoming.auth = Some(Auth::EncryptedPassword);
            a.outgoing.as_mut().unwrap().auth = Some(Auth::EncryptedPassword);
        }),
        vary("app password", &|a| {
            a.incoming.auth = Some(Auth::AppPassword)
        }),
        vary("oauth2 on a host Thunderbird knows", &|a| {
            a.incoming = server(
                Protocol::Imap,
                "imap.gmail.com",
                993,
                Security::Tls,
                Auth::Oauth2,
            );
            a.outgoing = Some(server(
                Protocol::Smtp,
                "smtp.gmail.com",
                465,
                Security::Tls,
                Auth::Oauth2,
            ));
        }),
        vary("oauth2 on a host it does not know", &|a| {
            a.incoming.auth = Some(Auth::Oauth2)
        }),
        vary("oauth2 on a known host with a trailing dot", &|a| {
            a.incoming = server(
                Protocol::Imap,
                "imap.gmail.com.",
                993,
                Security::Tls,
                Auth::Oauth2,
            );
        }),
        vary("xml-special username", &|a| {
            a.incoming.username = Some("o'brien & <co> \"x\" ]]>".into())
        }),
        vary("unicode username", &|a| {
            a.incoming.username = Some("jörg 名前".into())
        }),
        vary("username with a leading zero", &|a| {
            a.incoming.username = Some("007".into())
        }),
        vary("numeric username", &|a| {
            a.incoming.username = Some("123456".into())
        }),
        vary("username true", &|a| {
            a.incoming.username = Some("TRUE".into())
        }),
        vary("username with a placeholder", &|a| {
            a.incoming.username = Some("%REALNAME%".into())
        }),
        vary("username padded", &|a| {
            a.incoming.username = Some(" me ".into())
        }),
        vary("username empty", &|a| {
            a.incoming.username = Some(String::new())
        }),
        vary("username not given", &|a| a.incoming.username = None),
        vary("local part username", &|a| {
            a.incoming.username = Some("me".into())
        }),
        vary("control character in the username", &|a| {
            a.incoming.username = Some("me\u{1}".into())
        }),
        vary("NUL in the host", &|a| {
            a.incoming.host = "imap\0.example.org".into()
        }),
        vary("U+FFFE in the email", &|a| {
            a.email = Some("me\u{fffe}@example.org".into())
        }),
        vary("escape in the email", &|a| {
            a.email = Some("me\u{1b}[31m@example.org".into())
        }),
        vary("underscore host", &|a| {
            a.incoming.host = "imap_1.example.org".into()
        }),
        vary("host with a port", &|a| {
            a.incoming.host = "imap.example.org:993".into()
        }),
        vary("host as a URL", &|a| {
            a.incoming.host = "imaps://imap.example.org/".into()
        }),
        vary("no outgoing server", &|a| a.outgoing = None),
        vary("no email", &|a| a.email = None),
        vary("single-label host", &|a| {
            a.incoming.host = "localhost".into()
        }),
    ]);
    cases
}

#[test]
#[ignore = "needs node and `npm ci` in js-tests/thunderbird (make test provides both)"]
fn every_provider_and_edge_export_is_read_or_refused_with_a_reason() {
    let mut cases = Vec::new();
    for p in mailsetup::providers::all() {
        for d in p.domain_names() {
            let email = format!("someone@{d}");
            cases.push(Case {
                name: format!("{} ({d})", p.id),
                input: ExportInput::Email(email.clone()),
                email,
                expect: None,
            });
        }
    }
    let provider_cases = cases.len();
    cases.extend(edge_cases());
    let refusals = check_exports(&cases);
    eprintln!(
        "{} exports ({provider_cases} provider addresses); refused:\n  {}",
        cases.len(),
        refusals.join("\n  ")
    );
    // The provider exports Thunderbird reads use the provider's first servers.
    let gmail = export(
        &ExportInput::Email("someone@gmail.com".into()),
        Format::Autoconfig,
    )
    .unwrap();
    let path = scratch().join("gmail.xml");
    std::fs::write(&path, gmail).unwrap();
    let r = thunderbird_reads(&[(path, "someone@gmail.com".into())]);
    let config = r[0].config.as_ref().unwrap();
    let first_in = &tb_servers(config, "incoming")[0];
    assert_eq!(
        (first_in.1.as_str(), first_in.2, first_in.4.as_str()),
        ("imap.gmail.com", 993, "OAuth2")
    );
    // Each inexpressible setting is refused, and says so.
    for (name, what) in [
        ("client certificate incoming", "TLS client certificate"),
        ("incoming without sign-in", "without sign-in"),
        ("oauth2 on a host it does not know", "OAuth2"),
        ("username with a leading zero", "username"),
        ("control character in the username", "incoming.username"),
        ("underscore host", "incoming.host"),
    ] {
        assert!(
            refusals
                .iter()
                .any(|r| r.starts_with(name) && r.contains(what)),
            "{name} should be refused naming {what}"
        );
    }
}

// ---------- properties: generated accounts and documents, read in one batch ----------

/// Hosts of every kind a person might give.
fn arb_host() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => "[a-z][a-z0-9-]{0,8}\\.example\\.(org|com)",
        3 => "[A-Z][a-zA-Z0-9]{0,6}\\.Example\\.ORG\\.?",
        2 => Just("mail.bücher.example".to_owned()),
        1 => Just("ΜΑΙΛ.παράδειγμα.δοκιμή".to_owned()),
        2 => "(192\\.0\\.2|198\\.51\\.100)\\.[1-9][0-9]?",
        1 => Just("2001:db8::25".to_owned()),
        1 => Just("[2001:db8::25]".to_owned()),
        1 => Just("::1".to_owned()),
        3 => "imap\\.gmail\\.com|smtp\\.gmail\\.com|outlook\\.office365\\.com|imap\\.mail\\.yahoo\\.com",
        1 => "[a-z]{1,5}_[a-z]{1,5}\\.example\\.org",
        1 => "[0-9]{1,3}(e[0-9])?",
        2 => " ?[a-z]{1,6}\\.example\\.net ?",
        1 => "\\PC{0,12}",
    ]
}

/// Usernames of every kind, numbers and XML-special characters included.
fn arb_username() -> impl Strategy<Value = Option<String>> {
    proptest::option::weighted(
        0.7,
        prop_oneof![
            8 => "[a-z][a-z0-9._+-]{0,12}(@example\\.org)?",
            2 => "[0-9]{1,8}",
            1 => "[0-9.eE+-]{1,6}",
            1 => "(true|false|TRUE|False|Infinity|NaN)",
            2 => "[<>&'\"\\]a-z ]{0,10}",
            1 => "%[A-Z]{4,14}%",
            2 => "\\PC{0,10}",
            1 => "[\\x00-\\x1f\\x7f\\u{85}\\u{fffe}a]{1,4}",
        ],
    )
}

fn arb_server(protocol: Protocol) -> impl Strategy<Value = Server> {
    (
        arb_host(),
        1u16..,
        prop_oneof![
            Just(Security::Tls),
            Just(Security::Starttls),
            Just(Security::None)
        ],
        proptest::option::weighted(
            0.8,
            proptest::sample::select(vec![
                Auth::Password,
                Auth::AppPassword,
                Auth::EncryptedPassword,
                Auth::Oauth2,
                Auth::ClientCertificate,
                Auth::None,
            ]),
        ),
        arb_username(),
    )
        .prop_map(move |(host, port, security, auth, username)| Server {
            protocol,
            host,
            port,
            security,
            auth,
            username,
        })
}

fn arb_account() -> impl Strategy<Value = Account> {
    (
        proptest::option::weighted(
            0.9,
            prop_oneof![
                9 => "[a-z][a-z0-9_+-]{0,10}@(example\\.org|gmail\\.com|bücher\\.example|Example\\.ORG)",
                1 => "\\PC{0,6}@\\PC{0,8}",
            ],
        ),
        any::<bool>(),
        arb_server(Protocol::Imap),
        arb_server(Protocol::Pop3),
        proptest::option::weighted(0.9, arb_server(Protocol::Smtp)),
    )
        .prop_map(|(email, pop, imap, pop3, outgoing)| Account {
            email,
            incoming: if pop { pop3 } else { imap },
            outgoing,
            pop3: None,
        })
}

/// Values a `TestRunner` draws from a strategy (no shrinking: the failures print the inputs).
fn draw<T: std::fmt::Debug>(strategy: impl Strategy<Value = T>, n: usize) -> Vec<T> {
    let mut runner = TestRunner::deterministic();
    (0..n)
        .map(|_| strategy.new_tree(&mut runner).unwrap().current())
        .collect()
}

/// For any account, `export autoconfig` is read by Thunderbird as the account says, or refused
/// with a message that names what cannot be written.
#[test]
#[ignore = "needs node and `npm ci` in js-tests/thunderbird (make test provides both)"]
fn any_account_is_read_by_thunderbird_or_refused() {
    let accounts = draw(arb_account(), 1000);
    let cases: Vec<Case> = accounts
        .into_iter()
        .enumerate()
        .map(|(i, a)| account_case(&format!("account {i}: {a:?}"), a))
        .collect();
    let refusals = check_exports(&cases);
    let read = cases.len() - refusals.len();
    for kind in [
        "cannot express a TLS client certificate",
        "cannot express an incoming server without sign-in",
        "cannot express OAuth2",
        "cannot express the username",
        "cannot express the host",
        "cannot express an account without an outgoing",
        "is not a host name",
        "which no configuration document can carry",
        "needs the account's email",
        "is not an email address",
    ] {
        let n = refusals.iter().filter(|r| r.contains(kind)).count();
        eprintln!("  {n:4} refused: {kind}");
    }
    eprintln!(
        "{} accounts: {read} exported and read as written",
        cases.len()
    );
    assert!(
        read > 150,
        "the generator should make many exportable accounts"
    );
}

/// Server elements with odd values (numbers JXON reads as numbers, whitespace, case, entities),
/// in documents mailsetup imports and Thunderbird reads: the same servers come out.
fn arb_document() -> impl Strategy<Value = String> {
    // Mostly values Thunderbird reads, so that most servers are compared; then the odd ones.
    let value = |usual: Vec<&'static str>, odd: Vec<&'static str>| {
        prop_oneof![
            12 => proptest::sample::select(usual).prop_map(str::to_owned),
            2 => proptest::sample::select(odd).prop_map(str::to_owned),
            1 => "[ a-zA-Z0-9.%_:\\-]{0,10}",
        ]
    };
    let server = (
        proptest::sample::select(vec![
            "imap", "imap", "pop3", "pop3", "smtp", "smtp", "smtp", "smtp", " imap", "IMAP", "exchange",
        ]),
        value(
            vec!["imap.example.org", "mail.example.net", "%EMAILDOMAIN%"],
            vec![
                " IMAP.Example.org ", "::1", "[::1]", "1e3", "007", "true", "mail.%EMAILDOMAIN%",
                "imap_x.example.org", "bücher.example", "192.0.2.1", "0x10", ":1:2:3:4:5:6:7",
                "::0.1.2.3", "::ffff:192.0.2.1", "1::2::3", "::", "1:2:3:4:5:6:7:8:9", "2001:DB8::A",
                "0.1.2.3", "a..b", "-a.example", "a-.example", "x.y.", "localhost",
            ],
        ),
        value(
            vec!["993", "465", "587"],
            vec![" 993 ", "993a", "993.7", "1e3", "0x3E1", "+465", "0", "65536", "", "  ", "-1"],
        ),
        value(
            vec!["SSL", "STARTTLS", "plain"],
            vec![" SSL ", "ssl", "TLS", "", "true"],
        ),
        value(
            vec!["password-cleartext", "password-cleartext", "password-encrypted", "OAuth2"],
            vec!["none", "client-IP-address", "TLS-client-cert", "plain", "secure", "GSSAPI", "NTLM", " password-cleartext", "smtp-after-pop", ""],
        ),
        proptest::option::weighted(
            0.8,
            value(
                vec!["%EMAILADDRESS%", "%EMAILLOCALPART%", "me"],
                vec![
                    "007", "1e5", "TRUE", " me ", "", "  ", "%REALNAME%", "%EMAILDOMAIN%.x", "12345",
                    "1234567890123456", "0.1", "1e-7", "-0", "1.50", "+4", "5e21", "1e-400",
                ],
            ),
        ),
        prop_oneof![9 => Just(false), 1 => Just(true)],
    )
        .prop_map(|(kind, host, port, socket, auth, user, other_side)| {
            // SMTP goes out and the others come in, and now and then the other way round.
            let outgoing = (kind == "smtp") != other_side;
            let tag = if outgoing { "outgoingServer" } else { "incomingServer" };
            let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
            format!(
                "<{tag} type=\"{}\"><hostname>{}</hostname><port>{}</port><socketType>{}</socketType><authentication>{}</authentication>{}</{tag}>",
                esc(kind),
                esc(&host),
                esc(&port),
                esc(&socket),
                esc(&auth),
                user.map(|u| format!("<username>{}</username>", esc(&u))).unwrap_or_default()
            )
        });
    proptest::collection::vec(server, 1..8).prop_map(|servers| {
        format!(
            "<clientConfig version=\"1.1\"><emailProvider id=\"example.org\"><domain>example.org</domain>{}{}{}</emailProvider></clientConfig>",
            // Always one server of each direction Thunderbird reads, so the file is read and
            // every generated server is compared.
            "<incomingServer type=\"imap\"><hostname>anchor.example.org</hostname><port>993</port><socketType>SSL</socketType><authentication>password-cleartext</authentication><username>%EMAILADDRESS%</username></incomingServer>",
            servers.join(""),
            "<outgoingServer type=\"smtp\"><hostname>anchor.example.org</hostname><port>465</port><socketType>SSL</socketType><authentication>password-cleartext</authentication><username>%EMAILADDRESS%</username></outgoingServer>",
        )
    })
}

#[test]
#[ignore = "needs node and `npm ci` in js-tests/thunderbird (make test provides both)"]
fn mailsetup_reads_generated_documents_as_thunderbird_does() {
    let docs = draw(arb_document(), 500);
    let dir = scratch();
    let email = "someone@example.org";
    let files: Vec<(PathBuf, String)> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let p = dir.join(format!("doc-{i}.xml"));
            std::fs::write(&p, d).unwrap();
            (p, email.to_owned())
        })
        .collect();
    let readings = thunderbird_reads(&files);
    let mut failures = Vec::new();
    let mut compared = 0;
    for (r, doc) in readings.iter().zip(&docs) {
        let config = r
            .config
            .as_ref()
            .unwrap_or_else(|e| panic!("refused: {e}\n{doc}"));
        let imported = import_autoconfig(doc, Some(email)).unwrap();
        compared += imported.incoming.len() + imported.outgoing.len() - 2;
        for d in import_differences(&imported, config, email) {
            failures.push(format!("{d}\n{doc}"));
        }
    }
    eprintln!(
        "{} documents, {compared} generated servers read alike",
        docs.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(
        compared > 300,
        "the generator should make many servers Thunderbird reads"
    );
}
