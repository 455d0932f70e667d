//! `mailsetup export` and `mailsetup lint` as a person runs them: output, files, JSON, exit codes.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mailsetup"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs mailsetup");
    let mut pipe = child.stdin.take().unwrap();
    pipe.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(pipe);
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn temp(name: &str, content: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("mailsetup-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p
}

#[test]
fn export_gmail_autoconfig_lints_clean() {
    let o = run(
        &[
            "export",
            "--email",
            "someone@gmail.com",
            "--format",
            "autoconfig",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let xml = stdout(&o);
    assert!(xml
        .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<clientConfig version=\"1.1\">"));
    let path = temp("gmail.xml", &xml);
    let lint = run(&["lint", path.to_str().unwrap()], None);
    assert_eq!(lint.status.code(), Some(0), "{}", stdout(&lint));
}

#[test]
fn export_json_output_and_files() {
    let o = run(
        &[
            "export",
            "--email",
            "someone@icloud.com",
            "--format",
            "mobileconfig",
            "--json",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["format"], "mobileconfig");
    assert_eq!(v["fileName"], "mail.mobileconfig");
    assert_eq!(v["mediaType"], "application/x-apple-aspen-config");
    assert!(v["content"]
        .as_str()
        .unwrap()
        .contains("com.apple.mail.managed"));

    let out = std::env::temp_dir().join(format!("mailsetup-cli-{}-card.md", std::process::id()));
    let o = run(
        &[
            "export",
            "--email",
            "someone@gmail.com",
            "--format",
            "markdown",
            "--output",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    assert!(stderr(&o).contains("wrote"), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .contains("imap.gmail.com"));
}

#[test]
fn export_an_account_file_or_stdin() {
    let account = r#"{"incoming":{"protocol":"imap","host":"mail.example.org","port":993,"security":"tls","auth":"password","username":"me@example.org"},
                      "outgoing":{"protocol":"smtp","host":"mail.example.org","port":465,"security":"tls","auth":"password","username":"me@example.org"}}"#;
    let path = temp("account.json", account);
    let o = run(
        &[
            "export",
            path.to_str().unwrap(),
            "--email",
            "me@example.org",
            "--format",
            "srv",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let zone: Vec<String> = stdout(&o)
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert!(
        zone.iter()
            .any(|l| l == "_imaps._tcp.example.org. 3600 IN SRV 0 1 993 mail.example.org."),
        "{zone:#?}"
    );
    let o = run(&["export", "-", "--format", "autodiscover"], Some(account));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("<LoginName>me@example.org</LoginName>"));
    // Without an address, autoconfig cannot name the domain.
    let o = run(&["export", "-", "--format", "autoconfig"], Some(account));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("needs the account's email address"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn export_usage_errors_exit_2() {
    for (args, needle) in [
        (
            vec!["export", "--email", "a@gmail.com", "--format", "pdf"],
            "mobileconfig",
        ),
        (vec!["export", "--format", "html"], "--email"),
        (
            vec!["export", "--email", "a@example.invalid", "--format", "html"],
            "example.invalid",
        ),
        (
            vec![
                "export",
                "--email",
                "someone@outlook.com",
                "--format",
                "mobileconfig",
            ],
            "OAuth2",
        ),
    ] {
        let o = run(&args, None);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
    }
}

const BROKEN_PLACEHOLDER: &str = r#"<clientConfig version="1.1"><emailProvider id="example.com"><domain>example.com</domain>
<incomingServer type="imap"><hostname>imap.example.com</hostname><port>993</port><socketType>SSL</socketType><authentication>password-cleartext</authentication><username>%EMAILADDRESS</username></incomingServer>
<outgoingServer type="smtp"><hostname>smtp.example.com</hostname><port>465</port><socketType>SSL</socketType><authentication>password-cleartext</authentication><username>%EMAILADDRESS%</username></outgoingServer>
</emailProvider></clientConfig>"#;

#[test]
fn lint_reports_findings_with_paths_and_exit_codes() {
    let bad = temp("bad.xml", BROKEN_PLACEHOLDER);
    let o = run(&["lint", bad.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    assert!(
        text.contains("D107") && text.contains("incomingServer[1].username"),
        "{text}"
    );
    assert!(text.contains("line 2"), "{text}");

    let o = run(&["lint", "-", "--json"], Some(BROKEN_PLACEHOLDER));
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v[0]["file"], "-");
    assert_eq!(v[0]["report"]["verdict"], "error");
    assert_eq!(v[0]["report"]["findings"][0]["code"], "D107");
    assert_eq!(
        v[0]["report"]["findings"][0]["fix"]["value"],
        "%EMAILADDRESS%"
    );

    let broken = temp(
        "broken.xml",
        "<clientConfig>\n<emailProvider>\n</clientConfig>",
    );
    let o = run(
        &[
            "lint",
            bad.to_str().unwrap(),
            broken.to_str().unwrap(),
            "--json",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2), "an unreadable file is exit 2");
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(v[1]["error"].as_str().unwrap().starts_with("line 3"), "{v}");
    assert!(v[1].get("report").is_none());

    let o = run(&["lint", "/nonexistent/config.xml"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("cannot open"), "{}", stdout(&o));
}

#[test]
fn lint_refuses_hostile_files() {
    let bomb = temp(
        "bomb.xml",
        r#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><clientConfig>&b;</clientConfig>"#,
    );
    let o = run(&["lint", bomb.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("DOCTYPE"), "{}", stdout(&o));
    let big = std::env::temp_dir().join(format!("mailsetup-cli-{}-big.xml", std::process::id()));
    std::fs::write(&big, vec![b'a'; 50 << 20]).unwrap();
    let o = run(&["lint", big.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("larger than"), "{}", stdout(&o));
    let _ = std::fs::remove_file(&big);
    // Latin-1 bytes without a declaration are not UTF-8: refused, saying where.
    let latin1 =
        std::env::temp_dir().join(format!("mailsetup-cli-{}-latin1.xml", std::process::id()));
    std::fs::write(&latin1, b"<clientConfig>\xe9</clientConfig>").unwrap();
    let o = run(&["lint", latin1.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).contains("UTF-8") && stdout(&o).contains("offset 14"),
        "{}",
        stdout(&o)
    );
}

fn temp_bytes(name: &str, content: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("mailsetup-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p
}

/// The one byte-order-mark policy, for every reader: a UTF-8 BOM is dropped and a UTF-16 one says
/// the encoding, for `check`, `export` and `lint` alike, from a file or from standard input.
#[test]
fn every_reader_takes_a_byte_order_mark() {
    let account = r#"{"email":"me@example.org","incoming":{"protocol":"imap","host":"imap.example.org","port":993,"security":"tls","auth":"password"},"outgoing":{"protocol":"smtp","host":"smtp.example.org","port":465,"security":"tls","auth":"password"}}"#;
    let utf8_bom = [b"\xef\xbb\xbf".as_slice(), account.as_bytes()].concat();
    let utf16: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(account.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    for (name, bytes) in [("bom8.json", utf8_bom), ("utf16.json", utf16)] {
        let p = temp_bytes(name, &bytes);
        let check = run(&["check", p.to_str().unwrap()], None);
        assert_eq!(check.status.code(), Some(0), "{name}: {}", stderr(&check));
        let exp = run(&["export", p.to_str().unwrap(), "--format", "srv"], None);
        assert_eq!(exp.status.code(), Some(0), "{name}: {}", stderr(&exp));
        assert!(stdout(&exp).contains("imap.example.org."));
        let doc = run(
            &["export", p.to_str().unwrap(), "--format", "autoconfig"],
            None,
        );
        let xml = stdout(&doc);
        let xml_bytes: Vec<u8> = if name == "utf16.json" {
            [0xfe, 0xff]
                .into_iter()
                .chain(
                    xml.replace("UTF-8", "UTF-16")
                        .encode_utf16()
                        .flat_map(u16::to_be_bytes),
                )
                .collect()
        } else {
            [b"\xef\xbb\xbf".as_slice(), xml.as_bytes()].concat()
        };
        let x = temp_bytes(&format!("{name}.xml"), &xml_bytes);
        let lint = run(&["lint", x.to_str().unwrap()], None);
        assert_eq!(lint.status.code(), Some(0), "{name}: {}", stdout(&lint));
    }
    // Standard input too.
    let o = run(&["check", "-"], Some(&format!("\u{feff}{account}")));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// A declared legacy encoding is read as Thunderbird reads it; one nobody knows is refused,
/// naming it.
#[test]
fn lint_reads_declared_encodings_and_names_the_ones_it_refuses() {
    let edge = |f: &str| {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/documents/lint")
            .join(f)
    };
    for f in [
        "encoding-iso-8859-1.xml",
        "encoding-windows-1252.xml",
        "encoding-shift-jis.xml",
        "encoding-utf16le-bom.xml",
        "encoding-utf16be-bom.xml",
    ] {
        let o = run(&["lint", "--json", edge(f).to_str().unwrap()], None);
        assert_eq!(o.status.code(), Some(0), "{f}: {}", stdout(&o));
    }
    let o = run(
        &["lint", edge("encoding-unknown-label.xml").to_str().unwrap()],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("x-no-such-encoding"), "{}", stdout(&o));
}

/// Control characters never reach a document: `export` refuses them, naming the field.
#[test]
fn export_refuses_control_characters_naming_the_field() {
    let o = run(
        &[
            "export",
            "--email",
            "a\u{1b}b@gmail.com",
            "--format",
            "autodiscover",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`email`") && stderr(&o).contains("U+001B"),
        "{}",
        stderr(&o)
    );
    let account = r#"{"email":"me@example.org","incoming":{"protocol":"imap","host":"imap.example.org","port":993,"security":"tls","username":"me\u0001"},"outgoing":{"protocol":"smtp","host":"smtp.example.org","port":465,"security":"tls"}}"#;
    for format in [
        "autoconfig",
        "autodiscover",
        "mobileconfig",
        "srv",
        "markdown",
        "html",
    ] {
        let o = run(&["export", "-", "--format", format], Some(account));
        assert_eq!(o.status.code(), Some(2), "{format}");
        assert!(
            stderr(&o).contains("`incoming.username`") && stderr(&o).contains("U+0001"),
            "{format}: {}",
            stderr(&o)
        );
    }
}

/// What autoconfig cannot say is refused with what to do instead (the interoperability report's
/// D-5, D-6, D-7: those exports were refused whole by Thunderbird while `export` exited 0).
#[test]
fn export_autoconfig_refuses_what_thunderbird_cannot_read() {
    let accounts =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/documents/accounts");
    for (file, says) in [
        ("a5-encpw.json", "TLS client certificate"),
        ("a14-incoming-none.json", "without sign-in"),
    ] {
        let o = run(
            &[
                "export",
                accounts.join(file).to_str().unwrap(),
                "--format",
                "autoconfig",
            ],
            None,
        );
        assert_eq!(o.status.code(), Some(2), "{file}");
        assert!(stderr(&o).contains(says), "{file}: {}", stderr(&o));
    }
    let idn = run(
        &[
            "export",
            accounts.join("a9-idn.json").to_str().unwrap(),
            "--format",
            "autoconfig",
        ],
        None,
    );
    assert_eq!(idn.status.code(), Some(0), "{}", stderr(&idn));
    assert!(stdout(&idn).contains("<hostname>mail.xn--bcher-kva.example</hostname>"));
    assert!(stdout(&idn).contains("<domain>xn--bcher-kva.example</domain>"));
    for format in ["autoconfig", "autodiscover", "mobileconfig"] {
        let ip = run(
            &[
                "export",
                accounts.join("a10-localhost-ip.json").to_str().unwrap(),
                "--format",
                format,
            ],
            None,
        );
        assert_eq!(ip.status.code(), Some(0), "{format}: {}", stderr(&ip));
        assert!(
            !stdout(&ip).contains("[::1]") && stdout(&ip).contains("::1"),
            "{format}"
        );
    }
}
