//! `mailsetup audit` on the scenario domains (tests/audit_scenarios), against discovery's
//! loopback fixtures: a real DNS server and a real HTTPS server with a run-time CA, in process.
//! Without mail servers these runs use `--no-probe`: what each client configures and what a
//! person must confirm, without whether the servers work (tests/audit_real.rs adds Dovecot).
//! The HTML reports are written to target/e2e/audit/ for the browser test (e2e/audit.test.mjs).

mod audit_scenarios;
mod discover_fixture;

use audit_scenarios::{Scenario, SCENARIOS};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

fn reports_dir() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/e2e/audit");
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A free offset for the fixture's HTTP(S) ports (443 + o, 80 + o), away from the ranges the
/// discovery tests seed.
fn free_offset() -> u16 {
    let seed = (std::process::id() as u16).wrapping_mul(31) % 150;
    for k in 0..60u16 {
        let o = 41000 + ((seed + k * 7) % 150) * 100;
        let free = |p: u16| std::net::TcpListener::bind(("127.0.0.1", p)).is_ok();
        if free(443 + o) && free(80 + o) {
            return o;
        }
    }
    panic!("no free port pair for the fixtures");
}

struct Env {
    fixture: discover_fixture::Fixture,
    offset: u16,
}

fn env() -> &'static Env {
    static E: OnceLock<Env> = OnceLock::new();
    E.get_or_init(|| {
        let offset = free_offset();
        let fixture = discover_fixture::start(audit_scenarios::zone(offset), Some(offset));
        Env { fixture, offset }
    })
}

fn audit(args: &[&str]) -> (i32, String, String) {
    let e = env();
    let out = Command::new(env!("CARGO_BIN_EXE_mailsetup"))
        .arg("audit")
        .args(e.fixture.args())
        .args(["--timeout", "3", "--deadline", "15"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn audit_json(s: &Scenario, html: &std::path::Path) -> Value {
    let (code, out, err) = audit(&[
        s.domain,
        "--no-probe",
        "--json",
        "--html",
        html.to_str().unwrap(),
    ]);
    assert!(code == 0 || code == 1, "{}: exit {code}: {err}", s.name);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{}: {e}: {out}", s.name))
}

fn client<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["client"] == id)
        .unwrap_or_else(|| panic!("no client {id}"))
}

/// Every scenario, every client: the outcome without probes, the host, the confirmations, the
/// findings — each expectation with the client behaviour it rests on (audit_scenarios).
#[test]
fn scenarios_without_probes() {
    let dir = reports_dir();
    let mut failures = Vec::new();
    for s in SCENARIOS {
        let v = audit_json(
            s,
            &dir.join(format!("{}.html", s.domain.trim_end_matches(".test"))),
        );
        assert_eq!(v["probed"], false);
        assert_eq!(v["domain"], s.domain);
        assert_eq!(v["email"], format!("postmaster@{}", s.domain));
        for x in s.expect {
            let c = client(&v, x.client);
            if c["outcome"] != x.unprobed {
                failures.push(format!(
                    "{} / {}: outcome {} (expected {}: {}) — {}",
                    s.name, x.client, c["outcome"], x.unprobed, x.because, c["headline"]
                ));
            }
            let host = c["incoming"]["server"]["host"].as_str();
            match (host, x.host) {
                (Some(h), Some(want)) if h != want => failures.push(format!(
                    "{} / {}: host {h} (expected {want}: {})",
                    s.name, x.client, x.because
                )),
                (Some(h), None) => failures.push(format!(
                    "{} / {}: host {h} (expected none: {})",
                    s.name, x.client, x.because
                )),
                _ => {}
            }
            // Every step cites one of the client's sources.
            for step in c["steps"].as_array().unwrap() {
                assert!(
                    !step["cite"].as_str().unwrap_or("").is_empty(),
                    "{}: {step}",
                    s.name
                );
            }
        }
        let codes: Vec<&str> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap())
            .collect();
        for want in s.findings {
            if !codes.contains(want) {
                failures.push(format!("{}: no {want} among {codes:?}", s.name));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// The stale autoconfig: C101 names the MX host, and what to publish is the MX host's
/// settings, written by the exporters.
#[test]
fn stale_autoconfig_gets_the_mx_hosts_settings_to_publish() {
    let s = SCENARIOS.iter().find(|s| s.domain == "stale.test").unwrap();
    let v = audit_json(s, &reports_dir().join("stale-2.html"));
    let c101 = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "C101")
        .expect("C101");
    let m = c101["message"].as_str().unwrap();
    assert!(
        m.contains("mail.stale.test") && m.contains("mx.newhost.test"),
        "{m}"
    );
    let publish = v["publish"].as_array().unwrap();
    let ac = publish
        .iter()
        .find(|p| p["format"] == "autoconfig")
        .expect("an autoconfig to publish");
    let xml = ac["content"].as_str().unwrap();
    assert!(xml.contains("<hostname>mail.test</hostname>"), "{xml}");
    assert!(!xml.contains("mail.stale.test"), "{xml}");
    // The exported file is one Thunderbird reads (lint: no refusal).
    let lint = mailsetup::documents::lint_autoconfig(xml).unwrap();
    assert!(
        lint.findings
            .iter()
            .all(|f| !mailsetup::documents::THUNDERBIRD_REFUSES.contains(&f.code)),
        "{lint:?}"
    );
    let srv = publish.iter().find(|p| p["format"] == "srv").unwrap();
    assert!(srv["content"]
        .as_str()
        .unwrap()
        .contains("_imaps._tcp.stale.test."));
    assert!(publish.iter().any(|p| p["format"] == "autodiscover"));
}

/// What Thunderbird does differs from what Android does for Microsoft 365: each cuts the MX
/// host its own way (getNextSubDomain vs. the host without its first label).
#[test]
fn each_thunderbird_cuts_the_mx_host_its_own_way() {
    let s = SCENARIOS.iter().find(|s| s.domain == "ms.test").unwrap();
    let v = audit_json(s, &reports_dir().join("ms-2.html"));
    let tb = client(&v, "thunderbird");
    assert!(
        tb["foundBy"].as_str().unwrap().contains("outlook.com"),
        "{tb}"
    );
    let steps = tb["steps"].to_string();
    assert!(steps.contains("/v1.1/protection.outlook.com"), "{steps}");
    let android = client(&v, "thunderbird-android");
    assert!(
        android["foundBy"]
            .as_str()
            .unwrap()
            .contains("mail.protection.outlook.com"),
        "{android}"
    );
    assert!(android["confirm"].to_string().contains("checkbox"));
}

/// The human output names every client and escapes what came from outside.
#[test]
fn human_output() {
    let (code, out, err) = audit(&["mailcow.test", "--no-probe"]);
    assert!(code == 0 || code == 1, "{err}");
    for name in [
        "Thunderbird",
        "Thunderbird for Android",
        "Outlook",
        "Apple Mail",
        "Delta Chat",
        "What mailcow.test publishes",
        "Each client, step by step",
    ] {
        assert!(out.contains(name), "{name}:\n{out}");
    }
    assert!(!out.contains('\u{1b}'), "no colour when not a terminal");
}

/// Bad input is a usage error with a message, never a panic.
#[test]
fn bad_input() {
    for bad in ["", "not a domain", "127.0.0.1", "https://example.test/"] {
        let (code, _, err) = audit(&[bad, "--no-probe"]);
        assert_eq!(code, 2, "{bad:?}: {err}");
        assert!(err.contains("mailsetup: error:"), "{err}");
    }
}

/// A batch: JSON Lines, one HTML overview of every line, resumable.
#[test]
fn batch_lines_overview_and_resume() {
    let dir = reports_dir();
    let list = dir.join("batch.txt");
    let out = dir.join("batch.jsonl");
    let html = dir.join("overview.html");
    let _ = std::fs::remove_file(&out);
    let domains: Vec<&str> = SCENARIOS.iter().map(|s| s.domain).collect();
    std::fs::write(
        &list,
        format!("# scenarios\n{}\nnot a domain\n", domains.join("\n")),
    )
    .unwrap();
    let run = || {
        audit(&[
            "--batch",
            list.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
            "--html",
            html.to_str().unwrap(),
            "--no-probe",
        ])
    };
    let (code, _, err) = run();
    assert_eq!(code, 0, "{err}");
    let lines: Vec<Value> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), domains.len() + 1);
    assert_eq!(lines.iter().filter(|l| l.get("error").is_some()).count(), 1);
    let page = std::fs::read_to_string(&html).unwrap();
    for d in &domains {
        assert!(page.contains(d), "{d} missing from the overview");
    }
    // Resumed: nothing new to do, and the overview still has every line.
    let (code, _, err) = run();
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(&format!("{} resumed", domains.len() + 1)),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&out).unwrap().lines().count(),
        domains.len() + 1
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(domains.iter().all(|d| page.contains(d)));
    let _ = env().offset;
}

/// What the domain serves is text in the report, never markup (the browser test opens it).
#[test]
fn hostile_text_is_escaped_in_the_report() {
    let html = reports_dir().join("hostile.html");
    let (code, out, err) = audit(&[
        "hostile.test",
        "--no-probe",
        "--html",
        html.to_str().unwrap(),
    ]);
    assert!(code == 0 || code == 1, "{err}");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("&lt;script&gt;alert(1)"),
        "the message is shown, escaped"
    );
    assert!(!page.contains("<script"), "no script element");
    assert!(!page.contains("<img"), "no image element");
    assert!(!page.contains('\u{1b}'));
    // The terminal output escapes it too.
    assert!(!out.contains('\u{1b}'));
}

fn audit_domain(domain: &str) -> Value {
    let (code, out, err) = audit(&[domain, "--no-probe", "--json"]);
    assert!(code == 0 || code == 1, "{domain}: exit {code}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{domain}: {e}: {out}"))
}

fn codes(v: &Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

/// Thunderbird reads only the first autoconfig URL that answers: when its reader refuses that
/// file, the whole ISP source fails (FetchConfig.sys.mjs, promiseFirstSuccessful then
/// readFromXML). Thunderbird for Android treats each URL as its own source and moves on to the
/// well-known URL (ProviderAutoconfigUrlProvider.kt); Delta Chat's lenient reader trims the
/// value (auto_mozilla.rs) and takes the first file.
#[test]
fn a_refused_first_file_stops_thunderbird_but_not_android() {
    let v = audit_domain("refused.test");
    let tb = client(&v, "thunderbird");
    assert!(tb["incoming"].is_null(), "{tb}");
    let steps = tb["steps"].to_string();
    assert!(steps.contains("does not read the lower URLs"), "{steps}");
    assert!(!steps.contains("/.well-known/"), "{steps}");
    let android = client(&v, "thunderbird-android");
    assert!(
        android["foundBy"]
            .as_str()
            .unwrap()
            .contains("/.well-known/"),
        "{android}"
    );
    let delta = client(&v, "delta-chat");
    assert!(
        delta["foundBy"]
            .as_str()
            .unwrap()
            .contains("https://autoconfig.refused.test"),
        "{delta}"
    );
    assert_eq!(delta["incoming"]["server"]["security"], "tls");
    assert!(codes(&v).contains(&"C107".to_owned()), "{:?}", codes(&v));
}

/// Autodiscover only by the HTTP redirect method, to another domain: Outlook warns and asks
/// (MS-OXDISCO 3.1.5.4), and C113 says so.
#[test]
fn autodiscover_by_redirect_needs_the_persons_consent() {
    let v = audit_domain("redirect.test");
    let outlook = client(&v, "outlook");
    assert_eq!(outlook["outcome"], "confirm", "{outlook}");
    assert!(
        outlook["confirm"].to_string().contains("hoster2.test"),
        "{outlook}"
    );
    assert_eq!(outlook["incoming"]["server"]["host"], "mail.test");
    assert!(codes(&v).contains(&"C113".to_owned()), "{:?}", codes(&v));
    // Thunderbird reaches it too (nothing else is published), after asking.
    let tb = client(&v, "thunderbird");
    assert!(tb["confirm"].to_string().contains("hoster2.test"), "{tb}");
}
