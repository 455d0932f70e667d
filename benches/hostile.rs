//! How fast hostile and worst-case autoconfig documents are refused or linted (the budgets that
//! used to be wall-clock asserts in `tests/documents.rs` and `tests/documents_cli.rs`, which now
//! check only what happens). Baselines run in the same session:
//!
//! - `hostile/baseline-small-document`: lint of a small, ordinary document. Each refusal
//!   (`hostile/refuse-*`) is meant to cost about as much, whatever the input's size: a refusal
//!   that grows with the input is the bug these catch. Budget: 200 ms each.
//! - `hostile/worst-case-*`: documents just under every cap. Budget: 1 s each.
//! - `cli/lint-small-file` against `cli/lint-50MB-file`: the whole `mailsetup lint` process; the
//!   capped reader refuses the big file without reading it whole. Budget: 5 s.
use criterion::{criterion_group, criterion_main, Criterion};
use mailsetup::documents::lint_autoconfig;
use std::hint::black_box;
use std::process::{Command, Stdio};

const SMALL: &str = r#"<clientConfig version="1.1"><emailProvider id="example.com">
<domain>example.com</domain>
<incomingServer type="imap"><hostname>imap.example.com</hostname><port>993</port>
<socketType>SSL</socketType><authentication>password-cleartext</authentication>
<username>%EMAILADDRESS%</username></incomingServer>
<outgoingServer type="smtp"><hostname>smtp.example.com</hostname><port>465</port>
<socketType>SSL</socketType><authentication>password-cleartext</authentication>
<username>%EMAILADDRESS%</username></outgoingServer>
</emailProvider></clientConfig>"#;

fn documents(c: &mut Criterion) {
    let laughs = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol9 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<clientConfig><emailProvider id="&lol9;"><domain>&lol9;</domain></emailProvider></clientConfig>"#
        .to_owned();
    let deep = format!("{}{}", "<a>".repeat(100_000), "</a>".repeat(100_000));
    let many = format!("<clientConfig>{}</clientConfig>", "<x/>".repeat(200_000));
    let servers = format!(
        "<clientConfig><emailProvider>{}</emailProvider></clientConfig>",
        "<incomingServer type=\"imap\"/>".repeat(1000)
    );
    let huge = format!(
        "<clientConfig><emailProvider><domain>{}</domain></emailProvider></clientConfig>",
        "a".repeat(50 << 20)
    );
    let unknown: String = (0..9_000)
        .map(|i| format!("<unknownElement{i}>%EMAILADDRESS %EMAILADRESS% %x</unknownElement{i}>"))
        .collect();
    let unknown =
        format!("<clientConfig><emailProvider id=\"x\">{unknown}</emailProvider></clientConfig>");
    let placeholders = format!(
        "<clientConfig><emailProvider id=\"x\"><domain>{}</domain></emailProvider></clientConfig>",
        "%EMAILADDRESS ".repeat(70_000)
    );

    assert!(lint_autoconfig(SMALL).is_ok(), "the baseline lints");
    let mut g = c.benchmark_group("hostile");
    g.bench_function("baseline-small-document", |b| {
        b.iter(|| lint_autoconfig(black_box(SMALL)).is_ok())
    });
    for (name, doc) in [
        ("refuse-billion-laughs", &laughs),
        ("refuse-deep-nesting-100k", &deep),
        ("refuse-200k-elements", &many),
        ("refuse-1000-servers", &servers),
        ("refuse-50MB-document", &huge),
    ] {
        assert!(lint_autoconfig(doc).is_err(), "{name}: refused");
        g.bench_function(name, |b| {
            b.iter(|| lint_autoconfig(black_box(doc)).is_err())
        });
    }
    g.sample_size(10);
    for (name, doc) in [
        ("worst-case-9000-unknown-elements", &unknown),
        ("worst-case-70000-placeholders", &placeholders),
    ] {
        assert!(lint_autoconfig(doc).is_ok(), "{name}: linted");
        g.bench_function(name, |b| b.iter(|| lint_autoconfig(black_box(doc)).is_ok()));
    }
    g.finish();
}

/// Runs `mailsetup lint FILE` to the end; its exit code says clean (0), findings, or refused (2).
fn lint_file(path: &std::path::Path) -> Option<i32> {
    Command::new(env!("CARGO_BIN_EXE_mailsetup"))
        .arg("lint")
        .arg(path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("runs mailsetup")
        .code()
}

fn cli(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("mailsetup-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let small = dir.join("small.xml");
    std::fs::write(&small, SMALL).unwrap();
    let big = dir.join("big.xml");
    std::fs::write(&big, vec![b'a'; 50 << 20]).unwrap();
    assert_eq!(lint_file(&big), Some(2), "the 50 MB file is refused");

    let mut g = c.benchmark_group("cli");
    g.sample_size(20);
    g.bench_function("lint-small-file", |b| b.iter(|| lint_file(&small)));
    g.bench_function("lint-50MB-file", |b| b.iter(|| lint_file(&big)));
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, documents, cli);
criterion_main!(benches);
