//! `mailsetup probe` as a person runs it: the human timeline, `--json` in the shape every command
//! shares, exit codes, `--login` with the password from the environment or a hidden prompt, and
//! progress on a terminal.

mod common;

use common::*;
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

const PASSWORD: &str = "alice-secret";

fn server() -> &'static Harness {
    static H: OnceLock<Harness> = OnceLock::new();
    H.get_or_init(|| dovecot("cli", 3, &[("CERT_KEY_ALG", "ec")]))
}

/// The misbehaving peers, the hostile ones among them.
fn peers() -> &'static Harness {
    static H: OnceLock<Harness> = OnceLock::new();
    H.get_or_init(|| fault_peers("cli-peers", 4, &[("CERT_KEY_ALG", "ec")]))
}

/// The Dovecot's PORT_BASE.
fn base() -> u16 {
    server().base
}

fn mailsetup(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mailsetup"))
        .args(args)
        .env_remove("MAILSETUP_PASSWORD")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Runs a shell command line under `script`, which gives it a terminal; `input` is typed after a pause.
fn on_terminal(cmdline: &str, input: Option<&str>) -> String {
    require("script", "bsdutils");
    let feed = match input {
        Some(i) => format!("(sleep 1; printf '%s\\n' '{i}'; sleep 5)"),
        None => "true".into(),
    };
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("{feed} | script -qec \"{cmdline}\" /dev/null"))
        .env_remove("MAILSETUP_PASSWORD")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs Dovecot on loopback: cargo test --features real-servers"
)]
fn the_done_when_command_prints_a_complete_report() {
    let h = server();
    let target = format!("127.0.0.1:{}", base() + 993);
    let o = mailsetup(&["probe", &target, "--ca-file", h.get("MAIL_CA_FILE")]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}\n{err}");
    for want in [
        "IMAP, implicit TLS",
        "secure",
        "resolve",
        "connect",
        "tls",
        "TLSv1.3",
        "greeting",
        "* OK",
        "capabilities-after-tls",
        "IMAP4rev1",
        "logout",
        "certificate",
        "CN=mail.test",
        "issued by",
        "expires in",
        "names: mail.test",
        "verified for 127.0.0.1 against ca-file",
        "after TLS: PLAIN LOGIN",
        "findings: ok",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }
    assert!(err.is_empty(), "{err}");
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs Dovecot on loopback: cargo test --features real-servers"
)]
fn json_carries_the_shared_findings_shape() {
    let h = server();
    let closed = format!("127.0.0.2:{}", base() + 299);
    let o = mailsetup(&[
        "probe",
        &closed,
        "--protocol",
        "imap",
        "--json",
        "--timeout",
        "2",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    for key in [
        "verdict",
        "findings",
        "targets",
        "checkedAt",
        "ms",
        "endpoints",
    ] {
        assert!(v.get(key).is_some(), "no {key}: {v}");
    }
    assert_eq!(v["verdict"], "error");
    let probe_finding = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "N002")
        .expect("N002")
        .clone();
    // `check` reports a finding with the same keys (the core's Finding type).
    let c = mailsetup(&[
        "check",
        "--protocol",
        "imap",
        "--host",
        "imap.example.com",
        "--port",
        "995",
        "--security",
        "tls",
        "--json",
    ]);
    let cv: serde_json::Value = serde_json::from_slice(&c.stdout).unwrap();
    let check_finding = &cv["findings"][0];
    let keys = |f: &serde_json::Value| {
        let mut k: Vec<String> = f
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| *k != "fix")
            .cloned()
            .collect();
        k.sort();
        k
    };
    assert_eq!(keys(&probe_finding), keys(check_finding));
    assert!(probe_finding["url"].as_str().unwrap().ends_with("N002"));
    let e = &v["endpoints"][0];
    assert_eq!(e["failure"]["kind"], "connect-failed");
    assert!(e["timeline"].as_array().unwrap().len() >= 2);

    let ok = mailsetup(&[
        "probe",
        &format!("imaps://127.0.0.2:{}", base() + 993),
        "--ca-file",
        h.get("MAIL_CA_FILE"),
        "--json",
    ]);
    assert_eq!(ok.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&ok.stdout).unwrap();
    let e = &v["endpoints"][0];
    assert_eq!(v["verdict"], "ok");
    assert_eq!(e["secure"], true);
    assert_eq!(e["tls"]["chain"][0]["keyType"], "EC P-256");
    // Named as x509-parser's registry names it, not left as an OID.
    let signature = e["tls"]["chain"][0]["signatureAlgorithm"].as_str().unwrap();
    assert!(signature.starts_with("ecdsa-with-SHA"), "{signature}");
    assert!(e["tls"]["chain"][0]["daysLeft"].as_i64().unwrap() > 3000);
    assert_eq!(e["timeline"][0]["stage"], "resolve");
}

/// What a terminal would act on: ESC (every escape sequence), the C1 controls (U+0080-U+009F,
/// among them the one-character CSI U+009B), and the direction controls (U+061C, U+200E/F,
/// U+202A-U+202E, U+2066-U+2069). The probe's own progress line clears itself with ESC [2K on
/// stderr; that one sequence is the probe's, and is taken out first.
fn terminal_controls(screen: &str) -> Vec<char> {
    screen
        .replace("\u{1b}[2K", "")
        .chars()
        .filter(|&c| {
            c == '\u{1b}'
                || ('\u{80}'..='\u{9f}').contains(&c)
                || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs the fault peers (python3, openssl): cargo test --features real-servers"
)]
fn nothing_a_hostile_server_sends_reaches_the_terminal() {
    // Peers whose greeting, capabilities and every answer carry OSC 0, CSI 2J, OSC 52, CSI 8m, a
    // C1 CSI and direction overrides; one serves a certificate whose subject carries them too.
    let h = peers();
    let bin = env!("CARGO_BIN_EXE_mailsetup");
    let at = |key: &str| format!("127.0.0.1:{}", h.port(&format!("FAULT_{key}_PORT")));
    let hostile_cert = format!("{}/hostile.crt", h.get("MAIL_CERTS_DIR"));
    let runs = [
        format!("{bin} probe imap://{} --timeout 2", at("HOSTILE_IMAP")),
        format!("{bin} probe submission://{} --timeout 2", at("HOSTILE_SMTP")),
        format!("{bin} probe {} --protocol smtp --timeout 2", at("HOSTILE_SMTP")),
        format!("{bin} probe imaps://{} --timeout 2", at("HOSTILE_CERT_IMAP")),
        // Trusted (the very certificate), so the login happens and its answer is hostile too.
        format!(
            "MAILSETUP_PASSWORD=pw {bin} probe imaps://{} --timeout 2 --ca-file {hostile_cert} --login alice",
            at("HOSTILE_CERT_IMAP")
        ),
        format!("{bin} probe imaps://{} --timeout 2 --json", at("HOSTILE_CERT_IMAP")),
        format!("{bin} probe imap://{} --timeout 2 --json", at("HOSTILE_IMAP")),
    ];
    for cmd in runs {
        let screen = on_terminal(&format!("sh -c '{cmd}'"), None);
        // It ran, and showed the server's words (escaped).
        assert!(
            screen.contains("PWNED") || screen.contains("CAPS"),
            "{cmd}:\n{screen}"
        );
        let bad = terminal_controls(&screen);
        assert!(
            bad.is_empty(),
            "{cmd}: {bad:?} reached the terminal:\n{screen:?}"
        );
    }
}

#[test]
fn dns_that_never_answers_ends_the_process_on_time() {
    // The process, not only the probe: a runtime that waited for the lookup on shutdown kept it
    // alive 10-90 s after a 1 s timeout (D4).
    let dns = dns::dns_server(dns::Zone::BlackHole);
    let started = std::time::Instant::now();
    let o = mailsetup(&[
        "probe",
        "mail.example.com",
        "--resolver",
        &dns.to_string(),
        "--timeout",
        "1",
        "--json",
    ]);
    let took = started.elapsed();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["endpoints"].as_array().unwrap().len(), 6);
    assert_eq!(v["findings"][0]["code"], "N001", "{v}");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        took < std::time::Duration::from_secs(2),
        "--timeout 1 took {took:?}"
    );
}

#[test]
fn running_out_of_file_descriptors_is_this_computers_problem() {
    // 40 endpoints under a limit of 12 open files: the ones that cannot be tried are one local
    // finding (N008), never "connection failed" (N002) blamed on the server.
    let targets: Vec<String> = (1..=40)
        .map(|p| format!("127.0.0.1:{}", 40000 + p))
        .collect();
    let cmd = format!(
        "ulimit -n 12 && exec {} probe {} --protocol imap --timeout 2 --json",
        env!("CARGO_BIN_EXE_mailsetup"),
        targets.join(" ")
    );
    let o = Command::new("sh").arg("-c").arg(&cmd).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stderr)));
    let findings = v["findings"].as_array().unwrap();
    let n008: Vec<_> = findings.iter().filter(|f| f["code"] == "N008").collect();
    assert_eq!(n008.len(), 1, "{v}");
    assert!(
        n008[0]["message"].as_str().unwrap().contains("open files"),
        "{}",
        n008[0]
    );
    let local = v["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["failure"]["kind"] == "local")
        .count();
    assert!(local > 0, "{v}");
    // The endpoints that could not be tried got no finding of their own: no "connection failed"
    // blamed on the server for them.
    let n002: Vec<_> = findings.iter().filter(|f| f["code"] == "N002").collect();
    assert!(n002.len() + local <= 40, "{v}");
    assert!(
        n002.iter().all(|f| !f.to_string().contains("open files")),
        "{v}"
    );
}

#[test]
fn bad_usage_exits_2_with_a_message() {
    for args in [
        vec!["probe", "imaps://"],
        vec!["probe", "ftp://host"],
        vec!["probe", "host:0"],
        vec!["probe", "127.0.0.1:993", "--ca-file", "/nonexistent/ca.pem"],
        vec!["probe", "127.0.0.1:993", "--timeout", "0"],
        vec!["probe", "imaps://127.0.0.1", "--protocol", "pop3"],
        vec!["probe", "127.0.0.1:10993", "--auth", "password"],
    ] {
        let o = mailsetup(&args);
        let (out, err) = text(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {out} {err}");
        assert!(
            !err.trim().is_empty() && !err.contains("panicked"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_ca_file_is_read_with_a_cap() {
    // /dev/zero never ends, and a large file is not a CA file: both refused at once, without
    // reading them whole (D10).
    let big = std::env::temp_dir().join(format!("mailsetup-bigca-{}.pem", std::process::id()));
    std::fs::write(&big, vec![b'A'; 3 << 20]).unwrap();
    for path in ["/dev/zero", big.to_str().unwrap()] {
        let o = mailsetup(&["probe", "127.0.0.1:993", "--ca-file", path]);
        assert_eq!(o.status.code(), Some(2), "{path}");
        assert!(
            text(&o).1.contains("larger than 1048576 bytes"),
            "{path}: {}",
            text(&o).1
        );
    }
    let _ = std::fs::remove_file(&big);
}

#[test]
fn a_ca_file_that_is_not_pem_is_refused() {
    let path = std::env::temp_dir().join(format!("mailsetup-notpem-{}.txt", std::process::id()));
    std::fs::write(&path, "hello").unwrap();
    let o = mailsetup(&[
        "probe",
        "127.0.0.1:993",
        "--ca-file",
        path.to_str().unwrap(),
    ]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).1.contains("no certificate"), "{}", text(&o).1);
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs Dovecot on loopback: cargo test --features real-servers"
)]
fn login_from_the_environment_is_never_echoed() {
    let h = server();
    let target = format!("imaps://127.0.0.2:{}", base() + 993);
    for json in [false, true] {
        let mut args = vec![
            "probe",
            &target,
            "--ca-file",
            h.get("MAIL_CA_FILE"),
            "--login",
            "alice@mail.test",
        ];
        if json {
            args.push("--json");
        }
        let o = Command::new(env!("CARGO_BIN_EXE_mailsetup"))
            .args(&args)
            .env("MAILSETUP_PASSWORD", PASSWORD)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let (out, err) = text(&o);
        assert_eq!(o.status.code(), Some(0), "{out}\n{err}");
        assert!(out.contains("accepted"), "{out}");
        assert!(!out.contains(PASSWORD) && !err.contains(PASSWORD));
    }
    // A wrong password: exit 1, the server's words, still no password.
    let o = Command::new(env!("CARGO_BIN_EXE_mailsetup"))
        .args([
            "probe",
            &target,
            "--ca-file",
            h.get("MAIL_CA_FILE"),
            "--login",
            "alice@mail.test",
        ])
        .env("MAILSETUP_PASSWORD", "wrong-one")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out.contains("N303") && out.contains("AUTHENTICATIONFAILED"),
        "{out}"
    );
    assert!(!out.contains("wrong-one") && !err.contains("wrong-one"));
}

#[test]
fn login_without_a_password_source_is_a_usage_error() {
    let o = mailsetup(&["probe", "127.0.0.1:993", "--login", "alice@mail.test"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).1.contains("MAILSETUP_PASSWORD"));
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs Dovecot on loopback: cargo test --features real-servers"
)]
fn the_hidden_prompt_does_not_echo_the_password() {
    let h = server();
    let cmd = format!(
        "{} probe imaps://127.0.0.2:{} --ca-file {} --login alice@mail.test",
        env!("CARGO_BIN_EXE_mailsetup"),
        base() + 993,
        h.get("MAIL_CA_FILE")
    );
    let screen = on_terminal(&cmd, Some(PASSWORD));
    assert!(screen.contains("password for alice@mail.test"), "{screen}");
    assert!(screen.contains("accepted"), "{screen}");
    assert!(
        !screen.contains(PASSWORD),
        "the password was echoed:\n{screen}"
    );
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs Dovecot on loopback: cargo test --features real-servers"
)]
fn progress_shows_on_a_terminal_only() {
    let h = server();
    let cmd = format!(
        "{} probe 127.0.0.2 --protocol imap --ca-file {} --standard-port-offset {}",
        env!("CARGO_BIN_EXE_mailsetup"),
        h.get("MAIL_CA_FILE"),
        h.base
    );
    let screen = on_terminal(&cmd, None);
    assert!(screen.contains("probing"), "{screen}");
    assert!(screen.contains("(standard endpoint)"), "{screen}");
    let json = on_terminal(&format!("{cmd} --json"), None);
    assert!(!json.contains("probing"), "{json}");
    // Piped (not a terminal): no progress either.
    let o = mailsetup(&[
        "probe",
        "127.0.0.2",
        "--protocol",
        "imap",
        "--ca-file",
        h.get("MAIL_CA_FILE"),
        "--standard-port-offset",
        &base().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o).0);
    assert!(text(&o).1.is_empty());
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs Dovecot on loopback: cargo test --features real-servers"
)]
fn configured_settings_are_compared_with_reality() {
    let h = server();
    let o = mailsetup(&[
        "probe",
        &format!("127.0.0.2:{}", base() + 143),
        "--protocol",
        "imap",
        "--security",
        "none",
        "--ca-file",
        h.get("MAIL_CA_FILE"),
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "N602"),
        "{v}"
    );
    assert_eq!(v["configured"]["security"], "none");
    assert_eq!(v["fixed"]["security"], "starttls");
}

#[test]
fn probe_rules_are_documented() {
    let o = mailsetup(&["rules", "N203"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o).0.contains("starttls-command-injection"));
}

#[test]
fn every_probe_rule_has_a_test_that_produces_it() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut text = String::new();
    for f in ["probe_faults.rs", "probe_dovecot.rs", "probe_cli.rs"] {
        text += &std::fs::read_to_string(dir.join(f)).unwrap();
    }
    let own = "every_probe_rule_has_a_test_that_produces_it";
    let text = &text[..text.find(own).unwrap_or(text.len())];
    for r in mailsetup::catalog::RULES
        .iter()
        .filter(|r| r.code.starts_with('N'))
    {
        assert!(
            text.contains(&format!("\"{}\"", r.code)),
            "no probe test asserts {} ({})",
            r.code,
            r.name
        );
    }
}
