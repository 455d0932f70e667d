//! The `mailsetup` command as a person and a script use it: exit codes, the JSON contract of
//! `check`, `providers` and `rules`, error text for input that cannot be understood, colour
//! only on a terminal (and never with NO_COLOR), a quiet exit when stdout closes early.

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_mailsetup");

/// Runs mailsetup with `args`, `stdin`, and extra environment; colour variables are cleared so
/// the caller decides.
fn run_env(args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn mailsetup");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn run(args: &[&str]) -> Output {
    run_env(args, None, &[])
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", stdout(o)))
}

const GMIAL: &[&str] = &[
    "check",
    "--protocol",
    "imap",
    "--host",
    "imap.gmial.com",
    "--port",
    "995",
    "--security",
    "starttls",
    "--email",
    "me@gmail.com",
];

#[test]
fn acceptance_example_says_what_to_type() {
    let o = run(GMIAL);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let text = stdout(&o);
    for want in [
        "check (provider: Gmail): error",
        "H006",
        "did you mean imap.gmail.com",
        "host = \"imap.gmail.com\"",
        "port 995 is POP3 over TLS",
        "port = 993",
        "security = tls",
        "mailsetup check --protocol imap --host imap.gmail.com --port 993 --security tls",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
    assert!(!text.contains('\x1b'), "colour on a pipe:\n{text}");
    let mut args = GMIAL.to_vec();
    args.push("--json");
    let r = json(&run(&args));
    let fixed = &r["fixed"];
    assert_eq!(fixed["host"], "imap.gmail.com");
    assert_eq!(fixed["port"], 993);
    assert_eq!(fixed["security"], "tls");
    // Without the address nothing says the person is at Gmail: a question, and no fix that
    // would send their password to Gmail.
    let r = json(&run(&[&GMIAL[..GMIAL.len() - 2], &["--json"]].concat()));
    assert!(r.get("provider").is_none(), "{r}");
    let h012 = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "H012")
        .expect("H012");
    assert!(h012.get("fix").is_none(), "{h012}");
    assert_eq!(r["fixed"]["host"], "imap.gmial.com");
}

#[test]
fn human_output_is_aligned() {
    let text = stdout(&run(GMIAL));
    // The field and message columns start at the same place on every finding line.
    let starts: Vec<usize> = text
        .lines()
        .filter(|l| {
            l.starts_with("  error") || l.starts_with("  warning") || l.starts_with("  info")
        })
        .map(|l| {
            l.find("  host")
                .or(l.find("  port"))
                .or(l.find("  security"))
                .or(l.find("  auth"))
                .or(l.find("  username"))
                .unwrap()
        })
        .collect();
    assert!(
        starts.len() >= 3 && starts.windows(2).all(|w| w[0] == w[1]),
        "{text}"
    );
    let help_cols: Vec<usize> = text
        .lines()
        .filter(|l| l.trim_start().starts_with("help:") || l.trim_start().starts_with("fix:"))
        .map(|l| l.len() - l.trim_start().len())
        .collect();
    assert!(help_cols.windows(2).all(|w| w[0] == w[1]), "{text}");
}

#[test]
fn exit_codes() {
    let clean = run(&[
        "check",
        "--protocol",
        "imap",
        "--host",
        "imap.gmail.com",
        "--port",
        "993",
        "--security",
        "tls",
        "--auth",
        "oauth2",
    ]);
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    assert!(stdout(&clean).contains("no problems found"));
    // Warnings and advice do not fail the command.
    let warning = run(&[
        "check",
        "--protocol",
        "smtp",
        "--host",
        "smtp.example.com",
        "--port",
        "25",
        "--security",
        "starttls",
    ]);
    assert_eq!(warning.status.code(), Some(0), "{}", stdout(&warning));
    assert!(stdout(&warning).contains("P103"));
    assert_eq!(run(GMIAL).status.code(), Some(1));
    let usage = run(&["check", "--protocol", "imap"]);
    assert_eq!(usage.status.code(), Some(2));
    assert!(
        stderr(&usage).contains("missing --host, --port, --security"),
        "{}",
        stderr(&usage)
    );
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(run(&["--help"]).status.code(), Some(0));
    assert_eq!(run(&["--version"]).status.code(), Some(0));
}

#[test]
fn help_has_examples() {
    for args in [
        &["--help"][..],
        &["check", "--help"],
        &["providers", "--help"],
        &["rules", "--help"],
    ] {
        let text = stdout(&run(args));
        assert!(text.contains("Examples:"), "{args:?}:\n{text}");
        assert!(text.contains("mailsetup "), "{args:?}:\n{text}");
    }
}

#[test]
fn check_json_shape() {
    let input = r#"{"email":"me@gmail.com","incoming":{"protocol":"imap","host":"imap.gmail.com","port":143,"security":"none","auth":"password","username":"me"}}"#;
    let o = run_env(&["check", "-", "--json"], Some(input), &[]);
    assert_eq!(o.status.code(), Some(1));
    let r = json(&o);
    assert_eq!(r["verdict"], "error");
    assert_eq!(r["provider"]["id"], "gmail");
    assert_eq!(r["provider"]["name"], "Gmail");
    // What the server was judged against, with its sources and their dates.
    let basis = &r["provider"]["basis"][0];
    assert_eq!(basis["server"], "incoming");
    assert_eq!(basis["endpoint"]["host"], "imap.gmail.com");
    assert!(basis["attribution"]
        .as_str()
        .unwrap()
        .starts_with("per Gmail's own page"));
    assert!(basis["sources"][0]["asOf"].is_string());
    let findings = r["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    let mut last_severity = 3;
    for f in findings {
        let keys: Vec<&str> = f.as_object().unwrap().keys().map(String::as_str).collect();
        for k in [
            "code", "rule", "severity", "field", "message", "help", "url",
        ] {
            assert!(keys.contains(&k), "{k} missing in {f}");
        }
        assert!(
            keys.iter().all(|k| [
                "code", "rule", "severity", "field", "message", "help", "url", "fix"
            ]
            .contains(k)),
            "{f}"
        );
        let code = f["code"].as_str().unwrap();
        assert!(code.len() == 4 && f["url"].as_str().unwrap().ends_with(code));
        if let Some(fix) = f.get("fix") {
            assert_eq!(fix["field"], f["field"]);
            assert!(fix.get("value").is_some());
        }
        // Worst first.
        let rank = match f["severity"].as_str().unwrap() {
            "error" => 2,
            "warning" => 1,
            "info" => 0,
            other => panic!("severity {other}"),
        };
        assert!(rank <= last_severity);
        last_severity = rank;
    }
    let fixed = &r["fixed"];
    assert_eq!(fixed["incoming"]["port"], 993);
    assert_eq!(fixed["incoming"]["security"], "tls");
    assert_eq!(fixed["incoming"]["auth"], "app-password");
    assert_eq!(fixed["incoming"]["username"], "me@gmail.com");
    assert_eq!(fixed["outgoing"]["host"], "smtp.gmail.com");
    // The fixed account passes again with nothing at error severity.
    let again = run_env(&["check", "-", "--json"], Some(&fixed.to_string()), &[]);
    assert_eq!(again.status.code(), Some(0), "{}", stdout(&again));
}

#[test]
fn check_reads_a_file() {
    let dir = std::env::temp_dir().join(format!("mailsetup-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("account.json");
    std::fs::write(
        &path,
        r#"{"incoming":{"protocol":"pop3","host":"pop.example.com","port":995,"security":"tls","username":"me"},"outgoing":{"protocol":"smtp","host":"smtp.example.com","port":465,"security":"tls","username":"me"},"pop3":{"leaveOnServer":false}}"#,
    )
    .unwrap();
    let o = run(&["check", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("O501") && text.contains("pop3.leaveOnServer = true"),
        "{text}"
    );
    assert!(text.contains("leave on server: yes"), "{text}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_input_errors_say_what_and_where() {
    let cases: &[(&[&str], Option<&str>, &[&str])] = &[
        (
            &["check", "-"],
            Some(r#"{"protocol":"imap","host":"imap.gmail.com","prot":993,"security":"tls"}"#),
            &["unknown field `prot`", "did you mean `port`"],
        ),
        (
            &["check", "-"],
            Some(r#"{"incoming":{"protocol":"imap","host":"h","port":993,"security":"ssl3"}}"#),
            &["`incoming.security`", "unknown value `ssl3`", "`starttls`"],
        ),
        (
            &["check", "-"],
            Some(r#"{"protocol":"imap","host":"h","port":0,"security":"tls"}"#),
            &["`port`", "port 0 is outside 1-65535"],
        ),
        (
            &["check", "-"],
            Some(r#"{"protocol":"imap","host":"h","port":70000,"security":"tls"}"#),
            &["port 70000 is outside 1-65535"],
        ),
        (
            &["check", "-"],
            Some("imap.gmail.com 993"),
            &["not valid JSON", "line 1"],
        ),
        (
            &["check", "/nonexistent/account.json"],
            None,
            &["/nonexistent/account.json: cannot open"],
        ),
        (
            &[
                "check",
                "--protocol",
                "imap",
                "--host",
                "h",
                "--port",
                "0",
                "--security",
                "tls",
            ],
            None,
            &["--port", "0"],
        ),
        (
            &[
                "check",
                "--protocol",
                "imap",
                "--host",
                "h",
                "--port",
                "70000",
                "--security",
                "tls",
            ],
            None,
            &["--port", "70000"],
        ),
        (
            &[
                "check",
                "--protocol",
                "imap",
                "--host",
                "h",
                "--port",
                "993",
                "--security",
                "tsl",
            ],
            None,
            &["tsl", "expected one of", "\"starttls\""],
        ),
        (&["rules", "Z999"], None, &["no rule \"Z999\""]),
        (
            &["providers", "nosuchprovider"],
            None,
            &["no provider \"nosuchprovider\""],
        ),
    ];
    for (args, stdin, wants) in cases {
        let o = run_env(args, *stdin, &[]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            o.stdout.is_empty(),
            "{args:?} printed to stdout: {}",
            stdout(&o)
        );
        for w in *wants {
            assert!(err.contains(w), "{args:?}: {w:?} not in {err:?}");
        }
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn providers_json_shape() {
    let all = json(&run(&["providers", "--json"]));
    let list = all.as_array().unwrap();
    assert!(!list.is_empty());
    for p in list {
        for k in [
            "id",
            "name",
            "defined",
            "domains",
            "servers",
            "credentials",
            "sources",
        ] {
            assert!(p.get(k).is_some(), "{k} missing in {}", p["id"]);
        }
        for s in p["servers"].as_array().unwrap() {
            for k in [
                "protocol",
                "host",
                "port",
                "security",
                "username",
                "sources",
                "confirmed",
            ] {
                assert!(s.get(k).is_some(), "{k} missing in a server of {}", p["id"]);
            }
        }
    }
    let ids: Vec<&str> = list.iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "not sorted: {ids:?}");
    let gmail = json(&run(&["providers", "gmail", "--json"]));
    assert_eq!(gmail["id"], "gmail");
    let by_address = json(&run(&["providers", "someone@googlemail.com", "--json"]));
    assert_eq!(by_address["id"], "gmail");
    let human = stdout(&run(&["providers", "gmail"]));
    assert!(
        human.contains("imap.gmail.com") && human.contains("per Gmail's own page"),
        "{human}"
    );
}

#[test]
fn rules_json_shape() {
    let all = json(&run(&["rules", "--json"]));
    let list = all.as_array().unwrap();
    assert_eq!(list.len(), mailsetup::catalog::RULES.len());
    for r in list {
        let keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys.len(),
            8,
            "{keys:?}: code name severity summary what why example references"
        );
        for k in [
            "code",
            "name",
            "severity",
            "summary",
            "what",
            "why",
            "example",
            "references",
        ] {
            assert!(keys.contains(&k), "{k} missing in {}", r["code"]);
        }
    }
    let one = json(&run(&["rules", "port-protocol-mismatch", "--json"]));
    assert_eq!(one["code"], "P101");
    let human = stdout(&run(&["rules", "h006"]));
    assert!(
        human.contains("host-typo") && human.contains("Why"),
        "{human}"
    );
}

#[test]
fn colour_follows_clicolor_force_and_no_color() {
    let forced = run_env(GMIAL, None, &[("CLICOLOR_FORCE", "1")]);
    assert!(
        stdout(&forced).contains("\x1b["),
        "CLICOLOR_FORCE gave no colour"
    );
    let both = run_env(GMIAL, None, &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
    assert!(
        !stdout(&both).contains('\x1b'),
        "NO_COLOR did not win over CLICOLOR_FORCE"
    );
    // JSON never carries colour.
    let mut args = GMIAL.to_vec();
    args.push("--json");
    let j = run_env(&args, None, &[("CLICOLOR_FORCE", "1")]);
    assert!(!stdout(&j).contains('\x1b'));
}

/// On a real terminal (a pseudo-terminal from util-linux `script`): colour by default, none with
/// NO_COLOR.
#[test]
fn colour_on_a_terminal_unless_no_color() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!(
            "skipped: `script` (util-linux) is not installed, no pseudo-terminal to test with"
        );
        return;
    }
    let on_tty = |no_color: bool| {
        let mut cmd = Command::new("script");
        cmd.args(["-qec", &format!("{BIN} rules P101"), "/dev/null"])
            .env("TERM", "xterm-256color")
            .env_remove("CLICOLOR")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("NO_COLOR")
            .stdin(Stdio::null());
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        let o = cmd.output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
    };
    let coloured = on_tty(false);
    assert!(
        coloured.contains("P101") && coloured.contains("\x1b["),
        "{coloured:?}"
    );
    let plain = on_tty(true);
    assert!(
        plain.contains("P101") && !plain.contains('\x1b'),
        "{plain:?}"
    );
}

/// `mailsetup rules | head -1`: the reader goes away; no error message, no panic.
#[test]
fn closed_stdout_is_quiet() {
    for args in [
        &["rules"][..],
        &["rules", "--json"],
        &["providers"],
        &["providers", "--json"],
        GMIAL,
    ] {
        let mut child = Command::new(BIN)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // close the read end before the command writes
        let o = child.wait_with_output().unwrap();
        let err = stderr(&o);
        assert!(err.is_empty(), "{args:?}: {err}");
        let want = if args == GMIAL { 1 } else { 0 };
        assert_eq!(o.status.code(), Some(want), "{args:?}");
    }
    // Through a real shell pipe too.
    let o = Command::new("sh")
        .args(["-c", &format!("{BIN} rules | head -n 1")])
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(stdout(&o).lines().count(), 1);
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
}
