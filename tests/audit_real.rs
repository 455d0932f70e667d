//! `mailsetup audit` on the scenario domains with every server probed, against a real Dovecot on
//! loopback (scripts/mailserver/, started by the probe tests' harness; its certificate names
//! `mail.test`): every mail host of the scenarios resolves to its 127.0.0.2. Each client's
//! expected outcome — works, needs confirmation, typed by hand, fails — is written down in
//! tests/audit_scenarios with the client behaviour it rests on. The reports go to
//! target/e2e/audit-real/. Needs `--features real-servers`; without it the test is ignored, and
//! with it a missing Dovecot fails the test naming the package.

mod audit_scenarios;
mod common;
mod discover_fixture;

use audit_scenarios::SCENARIOS;
use serde_json::Value;
use std::process::Command;

/// The probe tests use slots 0-5, discovery's real test 8.
const SLOT: u16 = 9;

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs Dovecot on loopback: cargo test --features real-servers"
)]
fn scenarios_with_probes() {
    let dovecot = common::dovecot("audit", SLOT, &[]);
    let base = dovecot.base;
    // One offset for the fixture's HTTP(S) and Dovecot's mail ports, as discover_real does.
    let f = discover_fixture::start(audit_scenarios::zone(base), Some(base));
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/e2e/audit-real");
    std::fs::create_dir_all(&dir).unwrap();
    let mut failures = Vec::new();
    let mut matrix = Vec::new();
    for s in SCENARIOS {
        let html = dir.join(format!("{}.html", s.domain.trim_end_matches(".test")));
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_mailsetup"));
        cmd.arg("audit")
            .args(f.args())
            .args(["--ca-file", dovecot.get("MAIL_CA_FILE")])
            .args(["--timeout", "3", "--deadline", "25", "--json"])
            .args(["--html", html.to_str().unwrap()])
            .arg(s.domain);
        if !s.probe {
            cmd.arg("--no-probe");
        }
        let out = cmd.output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| {
            panic!(
                "{}: {e}: {text}\n{}",
                s.name,
                String::from_utf8_lossy(&out.stderr)
            )
        });
        let mut row = vec![format!("{:<40}", s.name)];
        for x in s.expect {
            let c = v["clients"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["client"] == x.client)
                .unwrap();
            row.push(format!("{:<15}", c["outcome"].as_str().unwrap()));
            if c["outcome"] != x.probed {
                failures.push(format!(
                    "{} / {}: {} (expected {}: {}) — {}\n    steps: {}",
                    s.name, x.client, c["outcome"], x.probed, x.because, c["headline"], c["steps"]
                ));
            }
            let host = c["incoming"]["server"]["host"].as_str();
            if host != x.host {
                failures.push(format!(
                    "{} / {}: host {host:?} (expected {:?}: {})",
                    s.name, x.client, x.host, x.because
                ));
            }
        }
        matrix.push(row.join(" "));
        let codes: Vec<&str> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap())
            .collect();
        let wanted = s
            .findings
            .iter()
            .chain(if s.probe { s.probed_findings } else { &[] });
        for want in wanted {
            if !codes.contains(want) {
                failures.push(format!("{}: no {want} among {codes:?}", s.name));
            }
        }
        // Never a password: the probe had no credentials, and no report carries one.
        assert!(!text.contains("alice-secret"), "{}", s.name);
    }
    eprintln!("{}", matrix.join("\n"));
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// The shared-host template: the fix advises the name the certificate carries, which the audit
/// probed in the same round and which verifies.
#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs Dovecot on loopback: cargo test --features real-servers"
)]
fn wrong_certificate_fix_advises_the_certificates_name() {
    let dovecot = common::dovecot("audit-cert", SLOT + 1, &[]);
    let base = dovecot.base;
    let f = discover_fixture::start(audit_scenarios::zone(base), Some(base));
    let out = Command::new(env!("CARGO_BIN_EXE_mailsetup"))
        .arg("audit")
        .args(f.args())
        .args(["--ca-file", dovecot.get("MAIL_CA_FILE")])
        .args([
            "--timeout",
            "3",
            "--deadline",
            "25",
            "--json",
            "wrongcert.test",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "error findings: exit 1");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let c103 = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "C103")
        .expect("C103");
    assert!(c103["message"]
        .as_str()
        .unwrap()
        .contains("mail.wrongcert.test"));
    assert!(
        c103["help"].as_str().unwrap().contains("mail.test"),
        "{c103}"
    );
    let ac = v["publish"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["format"] == "autoconfig")
        .unwrap();
    let xml = ac["content"].as_str().unwrap();
    assert!(xml.contains("<hostname>mail.test</hostname>"), "{xml}");
}
