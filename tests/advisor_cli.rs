//! `mailsetup advise` as a person runs it.

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mailsetup"))
        .arg("advise")
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("runs mailsetup")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn assert_contains(text: &str, parts: &[&str]) {
    for p in parts {
        assert!(text.contains(p), "missing {p:?} in:\n{text}");
    }
}

#[test]
fn one_computer_with_backup_at_gmail_gets_pop3_and_a_settings_card() {
    let o = run(&["--devices", "1", "--backup", "--email", "someone@gmail.com"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.starts_with("Use POP3"), "{out}");
    assert_contains(
        &out,
        &[
            "You want a local archive",
            "Only one device reads this mailbox",
            "Settings for Gmail",
            "server pop.gmail.com  port 995  security SSL/TLS",
            "server smtp.gmail.com  port 465  security SSL/TLS",
            "username someone@gmail.com",
            "leave a copy on the server: yes",
            "Enable POP",
            "app password",
            "With 2 devices, IMAP would fit.",
        ],
    );
    assert!(!out.contains('\x1b'), "colour with NO_COLOR / no terminal");
}

#[test]
fn three_devices_at_icloud_get_imap_with_the_reason() {
    let o = run(&["--devices", "3", "--email", "someone@icloud.com"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.starts_with("Use IMAP"), "{out}");
    assert_contains(
        &out,
        &[
            "iCloud Mail has no POP3",
            "Three devices read this mailbox",
            "IMAP mirrors the server",
            "server imap.mail.me.com  port 993  security SSL/TLS",
            "server smtp.mail.me.com  port 587  security STARTTLS",
            "sign-in app password",
            "app-specific password",
        ],
    );
    // Only the three strongest reasons are listed without --explain.
    let why = out
        .split("Why")
        .nth(1)
        .unwrap()
        .split("\n\n")
        .next()
        .unwrap();
    assert!(why.matches("  • ").count() <= 3, "{why}");
}

#[test]
fn json_is_the_recommendation() {
    let o = run(&[
        "--devices",
        "1",
        "--backup",
        "--email",
        "someone@gmail.com",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["protocol"], "pop3");
    assert_eq!(v["settings"]["incoming"]["host"], "pop.gmail.com");
    assert_eq!(v["settings"]["pop3"]["leaveOnServer"], true);
    assert_eq!(v["provider"]["id"], "gmail");
}

#[test]
fn explain_prints_the_weights() {
    let o = run(&["--explain", "--slow"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.starts_with("Weights"), "{out}");
    for w in mailsetup::advisor::WEIGHTS {
        assert!(out.contains(w.input.as_str()), "{:?} missing", w.input);
    }
    assert_contains(&out, &["✓ slow", "5 or more", "Use POP3"]);
    let o = run(&["--explain", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["weights"].as_array().unwrap().len(),
        mailsetup::advisor::WEIGHTS.len()
    );
    assert_eq!(v["recommendation"]["protocol"], "imap");
}

#[test]
fn bad_input_is_usage_error() {
    for (args, want) in [
        (&["--devices", "0"][..], "--devices"),
        (
            &["--email", "someone"][..],
            "--email: \"someone\" is not a valid email address: it has no @",
        ),
        (&["--provider", "gmial"][..], "did you mean `gmail`"),
        (&["--webmial"][..], "--webmail"),
    ] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(o.stderr).unwrap();
        assert!(err.contains(want), "{args:?}: {err}");
    }
}

#[test]
fn unknown_providers_still_answer() {
    let o = run(&["--devices", "2", "--email", "me@example.org"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.starts_with("Use IMAP"));
    assert_contains(&out, &["example.org is not in the provider table"]);
    assert!(!out.contains("Settings for"));
}
