//! The build script's checks of the provider data files (`build.rs`, the rules of
//! `src/providers/schema.rs`), run here on broken copies: every problem is reported as
//! `file:line: path: message`, so a contributor who breaks a file sees where.

#[allow(dead_code)]
#[path = "../build.rs"]
mod build;

use std::path::{Path, PathBuf};

/// A scratch directory of provider files, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str, files: &[(&str, &str)]) -> Scratch {
        let dir = std::env::temp_dir().join(format!(
            "mailsetup-providers-data-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (file, text) in files {
            std::fs::write(dir.join(file), text).unwrap();
        }
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const GOOD: &str = r#"id = "example"
name = "Example Mail"

[[sources]]
id = "help"
kind = "provider-page"
url = "https://example.org/mail"
title = "Example Mail help"
quote = "IMAP: imap.example.org, port 993, SSL"
as_of = "unknown"
read_on = "2026-12-02"

[[domains]]
names = ["example.org"]
sources = ["help"]

[[servers]]
protocol = "imap"
host = "imap.example.org"
port = 993
security = "tls"
username = "email-address"
sources = ["help"]
"#;

fn problems(files: &[(&str, &str)]) -> Vec<String> {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let scratch = Scratch::new(&n.to_string(), files);
    let (_, problems) = build::load(&scratch.0);
    let prefix = format!("{}/", scratch.0.display());
    problems
        .into_iter()
        .map(|p| p.replacen(&prefix, "", 1))
        .collect()
}

#[test]
fn the_real_data_has_no_problems() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/providers/data");
    let (providers, problems) = build::load(&dir);
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(
        providers.windows(2).all(|w| w[0].id < w[1].id),
        "sorted by id"
    );
    assert!(providers.len() >= 120);
}

#[test]
fn a_good_file_passes() {
    assert_eq!(problems(&[("example.toml", GOOD)]), Vec::<String>::new());
}

#[test]
fn problems_name_the_file_the_line_and_the_field() {
    let bad_port = GOOD.replace("port = 993", "port = 0");
    assert_eq!(
        problems(&[("example.toml", &bad_port)]),
        ["example.toml:20: servers[0].port: 0 is not a port (1-65535)"]
    );
    let bad_kind = GOOD.replace("kind = \"provider-page\"", "kind = \"blog\"");
    let p = problems(&[("example.toml", &bad_kind)]);
    assert!(
        p.len() == 1 && p[0].starts_with("example.toml:6: sources[0].kind: \"blog\" is not one of"),
        "{p:?}"
    );
    let unsourced = GOOD.replace("sources = [\"help\"]\n\n[[servers]]", "\n[[servers]]");
    let p = problems(&[("example.toml", &unsourced)]);
    assert!(
        p.iter()
            .any(|x| x.starts_with("example.toml:13: domains[0].sources: every fact cites")),
        "{p:?}"
    );
    let undefined = GOOD.replace(
        "sources = [\"help\"]\n\n[[servers]]",
        "sources = [\"faq\"]\n\n[[servers]]",
    );
    let p = problems(&[("example.toml", &undefined)]);
    assert!(
        p.iter()
            .any(|x| x.starts_with("example.toml:15: domains[0].sources[0]: no source \"faq\"")),
        "{p:?}"
    );
    let future_less = GOOD.replace("as_of = \"unknown\"", "as_of = \"2026-02-30\"");
    let p = problems(&[("example.toml", &future_less)]);
    assert!(
        p.iter()
            .any(|x| x.contains("sources[0].as_of: \"2026-02-30\" is not a real date")),
        "{p:?}"
    );
}

#[test]
fn syntax_errors_and_unknown_keys_name_the_line() {
    let p = problems(&[(
        "example.toml",
        &GOOD.replace("port = 993", "port = 993 993"),
    )]);
    assert!(
        p.len() == 1 && p[0].starts_with("example.toml:20:"),
        "{p:?}"
    );
    // Every problem at once: the key that is missing, and the one nobody knows.
    let p = problems(&[("example.toml", &GOOD.replace("username = ", "user = "))]);
    assert_eq!(
        p,
        [
            "example.toml:17: servers[0].username: is missing",
            "example.toml:17: servers[0]: unknown field `user`; expected one of protocol, host, port, security, username, username_note, variant, domains, sources, note",
        ],
    );
    let p = problems(&[("other.toml", GOOD)]);
    assert!(
        p.iter()
            .any(|x| x
                .starts_with("other.toml:1: id: \"example\" must equal the file name \"other\"")),
        "{p:?}"
    );
}

#[test]
fn a_domain_of_two_providers_is_named_in_both_files() {
    let second = GOOD.replace("id = \"example\"", "id = \"second\"");
    let p = problems(&[("example.toml", GOOD), ("second.toml", &second)]);
    assert_eq!(
        p,
        [
            "example.toml:14: domains[0].names[0]: example.org is listed by example and second (mark every entry `shared = true` if they really share it)",
            "second.toml:14: domains[0].names[0]: example.org is listed by example and second (mark every entry `shared = true` if they really share it)",
        ]
    );
}
