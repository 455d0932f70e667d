//! Discovery by guessing, against a real Dovecot on loopback (scripts/mailserver/, started by the
//! probe tests' harness): `imap.guess.test` and friends resolve (through the fixture DNS server)
//! to Dovecot's 127.0.0.2, and discovery finds its IMAP and submission servers by probing them —
//! greeting and capabilities only. Needs `--features real-servers`; without it the test is
//! ignored, and with it a missing Dovecot fails the test naming the package.

mod common;
mod discover_fixture;

use serde_json::Value;
use std::process::Command;

/// The probe tests use slots 0-5; discovery's Dovecot has its own.
const SLOT: u16 = 8;

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs Dovecot on loopback: cargo test --features real-servers"
)]
fn guess_only_finds_dovecot() {
    let dovecot = common::dovecot("discover-guess", SLOT, &[]);
    // The fixture's HTTP(S) ports move with Dovecot's base, so one offset serves both.
    let f = discover_fixture::start(discover_fixture::scenarios(), Some(dovecot.base));
    let out = Command::new(env!("CARGO_BIN_EXE_mailsetup"))
        .arg("discover")
        .args(f.args())
        .args(["--ca-file", dovecot.get("MAIL_CA_FILE")])
        .args([
            "--timeout",
            "3",
            "--deadline",
            "10",
            "--json",
            "someone@guess.test",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let inc = &v["candidates"][v["incoming"].as_u64().expect("an incoming server") as usize];
    assert_eq!(inc["server"]["host"], "imap.guess.test", "{v:#}");
    assert_eq!(inc["server"]["port"], dovecot.base + 993);
    assert_eq!(inc["server"]["security"], "tls");
    assert_eq!(inc["provenance"]["source"], "guess");
    // Dovecot's certificate names mail.test, not the guessed name: found, but not trusted.
    assert_eq!(inc["trust"], "low");
    assert!(
        inc["provenance"]["notes"]
            .to_string()
            .contains("does not verify for imap.guess.test"),
        "{inc:#}"
    );
    let out = &v["candidates"][v["outgoing"].as_u64().expect("an outgoing server") as usize];
    assert_eq!(out["server"]["host"], "smtp.guess.test", "{v:#}");
    assert_eq!(out["server"]["port"], dovecot.base + 465);
    // Every probe is in the trace; none sent a password (the probe has no credentials).
    let trace = v["trace"].to_string();
    assert!(trace.contains("probe imap.guess.test") && trace.contains("probe mail.guess.test"));
}
