//! Terminal safety (issue 14, D7 and D8 of the adversarial report): every command (check, lint,
//! export, advise, providers, rules) is run on a real terminal (a pty, through util-linux's
//! `script`, so colour is on and nothing is stripped on the way) with hostile files, file names,
//! standard input and arguments: window-title and clipboard (OSC 0, OSC 52) sequences, clear
//! screen, concealed text, a raw C1 CSI, direction overrides and isolates, zero-width and tag
//! characters. What reaches the terminal, stdout and stderr together, holds no escape sequence
//! but the colours the command itself writes, no BEL, no C1 control and no invisible or
//! direction-changing character; and the hostile text is shown, escaped, rather than dropped.
//! Also: the reproducers of D8 (a backtick in a value) and D11 (a key given twice).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_mailsetup");

/// Everything a hostile input tries at once.
const PAYLOAD: &str = "\u{1b}]0;PWNED\u{7}\u{1b}[2J\u{1b}]52;c;cHduZWQ=\u{7}\u{1b}[8mHIDDEN\u{9b}2J\u{202e}gro.live\u{2066}\u{200b}\u{e0041}";

/// The same, as JSON string content (every character escaped the JSON way).
fn json_escaped(text: &str) -> String {
    serde_json::to_string(text)
        .unwrap()
        .trim_matches('"')
        .to_owned()
}

/// A scratch directory for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("hostile-cli-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs mailsetup with `args` on a pseudo-terminal (standard input from `stdin`, a file, when
/// given) and returns what the terminal received: stdout and stderr as they were interleaved.
fn on_terminal(args: &[&str], stdin: Option<&Path>) -> Vec<u8> {
    // The arguments travel in the environment: no shell ever parses them.
    let mut command = String::from("exec \"$MAILSETUP_BIN\"");
    for i in 0..args.len() {
        command.push_str(&format!(" \"$ARG{i}\""));
    }
    if stdin.is_some() {
        command.push_str(" <\"$STDIN_FILE\"");
    }
    let mut script = Command::new("script");
    script
        .args(["-qec", &command, "/dev/null"])
        .env("MAILSETUP_BIN", BIN)
        .env("TERM", "xterm-256color")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (i, a) in args.iter().enumerate() {
        script.env(format!("ARG{i}"), a);
    }
    if let Some(path) = stdin {
        script.env("STDIN_FILE", path);
    }
    let out = script
        .output()
        .expect("util-linux's `script` runs the command on a pseudo-terminal; install util-linux");
    assert!(
        out.stderr.is_empty(),
        "script: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// SGR parameters the command's own styles use (anstyle: bold, dim, reset, the colours).
fn own_style(parameters: &str) -> bool {
    parameters.split(';').all(|p| {
        matches!(
            p,
            "" | "0" | "1" | "2" | "22" | "39" | "31" | "32" | "33" | "34" | "35" | "36" | "37"
        )
    })
}

/// Asserts the terminal received nothing but text, line breaks and the command's own colours.
fn assert_safe(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let mut rest = text.as_ref();
    while let Some(i) = rest.find('\u{1b}') {
        let after = &rest[i + 1..];
        let sgr = after
            .strip_prefix('[')
            .and_then(|p| p.find('m').map(|end| &p[..end]))
            .filter(|params| params.bytes().all(|b| b.is_ascii_digit() || b == b';'));
        match sgr {
            Some(params) if own_style(params) => rest = &after[params.len() + 2..],
            _ => panic!(
                "{what}: an escape sequence reached the terminal: {:?}\n{text}",
                &after[..after.len().min(20)]
            ),
        }
    }
    for c in text.chars() {
        assert!(
            matches!(c, '\n' | '\r' | '\t' | '\u{1b}') || !mailsetup::text::is_hidden(c),
            "{what}: U+{:04X} reached the terminal:\n{text}",
            u32::from(c)
        );
    }
}

/// Runs a case, checks the terminal is safe, and that the hostile text was shown escaped.
fn case(what: &str, args: &[&str], stdin: Option<&Path>, shown: bool) {
    let bytes = on_terminal(args, stdin);
    assert!(!bytes.is_empty(), "{what}: no output");
    assert_safe(what, &bytes);
    if shown {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            text.contains("\\u{1b}") || text.contains("\\u001b") || text.contains("\\x1b"),
            "{what}: the hostile text is not shown escaped:\n{text}"
        );
    }
}

fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

#[test]
fn check_shows_hostile_files_arguments_and_stdin_escaped() {
    let dir = scratch("check");
    let p = json_escaped(PAYLOAD);
    let account = format!(
        r#"{{"email":"{p}x@gmail.com","incoming":{{"protocol":"imap","host":"mail.example.org{p}","port":995,"security":"tls","username":"u{p}"}},"outgoing":{{"protocol":"smtp","host":"smtp.gmail.com","port":465,"security":"tls","username":"{p}"}}}}"#
    );
    let file = write(&dir, "account.json", &account);
    let file = file.to_str().unwrap();
    case("check FILE", &["check", file], None, true);
    case("check FILE --json", &["check", file, "--json"], None, true);
    case(
        "check - (stdin)",
        &["check", "-"],
        Some(Path::new(file)),
        true,
    );
    // The suggested command line for a bare server quotes the host with $'…'.
    let server = write(
        &dir,
        "server.json",
        &format!(r#"{{"protocol":"imap","host":"imap.gmail.com{p}","port":995,"security":"tls"}}"#),
    );
    case(
        "check server",
        &["check", server.to_str().unwrap()],
        None,
        true,
    );
    case(
        "check flags",
        &[
            "check",
            "--protocol",
            "imap",
            "--host",
            &format!("imap.gmail.com{PAYLOAD}"),
            "--port",
            "993",
            "--security",
            "tls",
            "--username",
            PAYLOAD,
            "--email",
            &format!("{PAYLOAD}@gmail.com"),
        ],
        None,
        true,
    );
    // Refusals echo what they refuse: an unknown value, an unknown key, a key given twice.
    for (name, json) in [
        (
            "unknown value",
            format!(r#"{{"protocol":"imap","host":"h","port":993,"security":"{p}"}}"#),
        ),
        (
            "unknown key",
            format!(r#"{{"protocol":"imap","host":"h","port":993,"security":"tls","{p}":1}}"#),
        ),
        (
            "duplicate key",
            format!(
                r#"{{"protocol":"imap","host":"h","port":993,"security":"tls","{p}":1,"{p}":2}}"#
            ),
        ),
    ] {
        let f = write(&dir, &format!("{name}.json"), &json);
        case(
            &format!("check: {name}"),
            &["check", f.to_str().unwrap()],
            None,
            true,
        );
    }
    // A hostile file name, existing and missing.
    let named = write(&dir, &format!("x{PAYLOAD}.json"), &account);
    case(
        "check: hostile file name",
        &["check", named.to_str().unwrap()],
        None,
        true,
    );
    let missing = dir.join(format!("missing{PAYLOAD}.json"));
    case(
        "check: missing hostile file",
        &["check", missing.to_str().unwrap()],
        None,
        true,
    );
    // clap's own errors repeat the argument.
    case(
        "check: bad --port",
        &[
            "check",
            "--protocol",
            "imap",
            "--host",
            "h",
            "--security",
            "tls",
            "--port",
            PAYLOAD,
        ],
        None,
        false,
    );
    case(
        "check: bad --protocol",
        &[
            "check",
            "--protocol",
            PAYLOAD,
            "--host",
            "h",
            "--security",
            "tls",
            "--port",
            "1",
        ],
        None,
        true,
    );
}

#[test]
fn lint_shows_hostile_documents_and_names_escaped() {
    let dir = scratch("lint");
    // Refused where the ESC is (the document is not XML), saying so without echoing it.
    let root = write(
        &dir,
        "root.xml",
        &format!("<?xml version=\"1.0\"?>\n<{PAYLOAD}/>"),
    );
    case(
        "lint: hostile root element",
        &["lint", root.to_str().unwrap()],
        None,
        false,
    );
    // Joiners are allowed in XML names: echoed as the root element, escaped.
    let joined = write(
        &dir,
        "joined.xml",
        "<?xml version=\"1.0\"?>\n<client\u{200d}Config\u{200c}/>",
    );
    let text = String::from_utf8_lossy(&on_terminal(&["lint", joined.to_str().unwrap()], None))
        .into_owned();
    assert_safe("lint: joiners in the root element", text.as_bytes());
    assert!(text.contains("client\\u{200d}Config\\u{200c}"), "{text}");
    // Character references the XML reader accepts, echoed by the findings.
    let refs: String = PAYLOAD
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '<' && c != '&' {
                c.to_string()
            } else {
                format!("&#x{:x};", u32::from(c))
            }
        })
        .collect();
    let doc = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="example.com">
    <domain>example.com{refs}</domain>
    <displayName>Example{refs}</displayName>
    <incomingServer type="imap">
      <hostname>imap.example.com{refs}</hostname>
      <port>993</port>
      <socketType>SSL{refs}</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILADDRESS%{refs}</username>
    </incomingServer>
  </emailProvider>
</clientConfig>
"#
    );
    let file = write(&dir, "config.xml", &doc);
    case(
        "lint: hostile values",
        &["lint", file.to_str().unwrap()],
        None,
        false,
    );
    case(
        "lint --json",
        &["lint", file.to_str().unwrap(), "--json"],
        None,
        false,
    );
    case("lint: stdin", &["lint", "-"], Some(&file), false);
    let named = write(&dir, &format!("c{PAYLOAD}.xml"), &doc);
    case(
        "lint: hostile file name",
        &["lint", named.to_str().unwrap(), root.to_str().unwrap()],
        None,
        true,
    );
    case(
        "lint: missing hostile file",
        &["lint", dir.join(PAYLOAD).to_str().unwrap()],
        None,
        true,
    );
}

#[test]
fn export_advise_providers_rules_show_hostile_arguments_escaped() {
    let dir = scratch("others");
    let p = json_escaped(PAYLOAD);
    let account = format!(
        r#"{{"email":"me@example.com","incoming":{{"protocol":"imap","host":"mail.example.com","port":993,"security":"tls","username":"u{p}"}},"outgoing":{{"protocol":"smtp","host":"mail.example.com","port":465,"security":"tls"}}}}"#
    );
    let file = write(&dir, "account.json", &account);
    for format in [
        "autoconfig",
        "autodiscover",
        "mobileconfig",
        "srv",
        "markdown",
        "html",
    ] {
        case(
            &format!("export FILE --format {format}"),
            &["export", file.to_str().unwrap(), "--format", format],
            None,
            false,
        );
        case(
            &format!("export --email hostile --format {format}"),
            &[
                "export",
                "--email",
                &format!("a{PAYLOAD}@gmail.com"),
                "--format",
                format,
            ],
            None,
            false,
        );
    }
    case(
        "export --json",
        &[
            "export",
            file.to_str().unwrap(),
            "--format",
            "autoconfig",
            "--json",
        ],
        None,
        false,
    );
    case(
        "export --output hostile name",
        &[
            "export",
            "--email",
            "me@gmail.com",
            "--format",
            "srv",
            "--output",
            dir.join(PAYLOAD).to_str().unwrap(),
        ],
        None,
        true,
    );
    case(
        "advise --provider",
        &["advise", "--provider", PAYLOAD],
        None,
        true,
    );
    case(
        "advise --email",
        &[
            "advise",
            "--email",
            &format!("{PAYLOAD}@gmail.com"),
            "--devices",
            "2",
        ],
        None,
        false,
    );
    case(
        "advise --email --json",
        &[
            "advise",
            "--email",
            &format!("me{PAYLOAD}@gmail.com"),
            "--json",
        ],
        None,
        false,
    );
    case("providers ID", &["providers", PAYLOAD], None, true);
    case(
        "providers address",
        &["providers", &format!("{PAYLOAD}@gmail.com")],
        None,
        false,
    );
    case("rules CODE", &["rules", PAYLOAD], None, true);
    case(
        "rules CODE --json",
        &["rules", PAYLOAD, "--json"],
        None,
        true,
    );
}

#[test]
fn the_checker_catches_a_terminal_it_would_not_be_safe_on() {
    // The checks above can fail: raw escape sequences, a BEL, C1 and direction controls are seen.
    for bad in [
        "\u{1b}]0;t\u{7}",
        "\u{1b}[2J",
        "\u{1b}[8m",
        "x\u{9b}2J",
        "a\u{202e}b",
        "\u{7}",
    ] {
        let caught = std::panic::catch_unwind(|| assert_safe("sample", bad.as_bytes()));
        assert!(caught.is_err(), "{bad:?} passed");
    }
    assert_safe("own colours", b"\x1b[1m\x1b[31merror\x1b[0m ok\r\n");
}

#[test]
fn a_backtick_in_a_value_cannot_garble_the_message() {
    // D8: `{"security":"a`b"}` printed "unknown value `a`; expected one of `, expected one of `, …".
    let dir = scratch("backtick");
    let f = write(
        &dir,
        "a.json",
        r#"{"protocol":"imap","host":"h","port":993,"security":"x`, `tls"}"#,
    );
    let out = Command::new(BIN)
        .args(["check", f.to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.contains(r#"unknown value "x`, `tls"; expected one of `tls`, `starttls`, `none`"#),
        "{err}"
    );
}

#[test]
fn a_key_given_twice_is_refused_naming_it() {
    // D11: the second host silently won, and the account was checked as Gmail's.
    let dir = scratch("duplicate");
    let f = write(
        &dir,
        "a.json",
        r#"{"protocol":"imap","host":"imap.evil.com","port":993,"security":"tls","host":"imap.gmail.com"}"#,
    );
    for command in ["check", "export"] {
        let mut args = vec![command, f.to_str().unwrap()];
        if command == "export" {
            args.extend(["--format", "autoconfig"]);
        }
        let out = Command::new(BIN).args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{command}: {err}");
        assert!(
            err.contains("`host`: the key is given twice"),
            "{command}: {err}"
        );
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn an_invalid_a_label_is_no_host_to_export() {
    // Found by fuzz/fuzz_targets/export.rs: `xn--0m` is no Punycode IDNA allows, yet the SRV
    // records named it as a target, which a zone parser refuses.
    let dir = scratch("a-label");
    let f = write(
        &dir,
        "a.json",
        r#"{"email":"me@t-online.db","incoming":{"protocol":"imap","host":"dyq8umtpop.t.xn--0m.auttttt5m","port":30384,"security":"starttls"},"outgoing":{"protocol":"smtp","host":"smtp.example.com","port":465,"security":"tls"}}"#,
    );
    for format in ["srv", "autoconfig", "mobileconfig"] {
        let out = Command::new(BIN)
            .args(["export", f.to_str().unwrap(), "--format", format])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{format}: {err}");
        assert!(err.contains("not a valid internationalised label"), "{err}");
    }
}

#[test]
fn srv_records_for_a_domain_too_long_for_them_are_refused() {
    // Found by fuzz/fuzz_targets/export.rs: a domain of 246 characters is a name, but
    // `_submissions._tcp.` and it are not (over 253), and the zone did not load.
    let label = "x".repeat(60);
    let domain = format!("{label}.{label}.{label}.{}.example", "y".repeat(55));
    let dir = scratch("srv-long");
    let f = write(
        &dir,
        "a.json",
        &format!(
            r#"{{"email":"me@{domain}","incoming":{{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"}},"outgoing":{{"protocol":"smtp","host":"smtp.example.com","port":465,"security":"tls"}}}}"#
        ),
    );
    let out = Command::new(BIN)
        .args(["export", f.to_str().unwrap(), "--format", "srv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("too long for SRV records"), "{err}");
}
