//! The page's labels (`www/labels.js`) are generated from the one Rust source,
//! `src/model/labels.rs`: this test fails when the file differs from what the Rust labels give,
//! and `UPDATE_LABELS=1 cargo test --test labels` writes it.

use mailsetup::model::labels::{self, Table};
use mailsetup::model::UsernameFormat;
use mailsetup::{Auth, Protocol, Security, Severity};
use std::path::Path;

const HEADER: &str = "// Generated from src/model/labels.rs by `UPDATE_LABELS=1 cargo test --test labels`. Do not edit.\n";

/// A JSON string literal.
fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// The text `www/labels.js` must hold.
fn generate(tables: &[(&str, Table)]) -> String {
    let rows: Vec<String> = tables
        .iter()
        .map(|(name, table)| {
            let entries: Vec<String> = table
                .iter()
                .map(|(k, v)| format!("{}: {}", quote(k), quote(v)))
                .collect();
            format!("  {}: {{{}}}", quote(name), entries.join(", "))
        })
        .collect();
    format!(
        "{HEADER}export const LABELS = {{\n{}\n}};\n",
        rows.join(",\n")
    )
}

#[test]
fn www_labels_are_generated_from_rust() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("www/labels.js");
    let want = generate(labels::ALL);
    if std::env::var_os("UPDATE_LABELS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    assert!(
        have == want,
        "{} differs from src/model/labels.rs; run `UPDATE_LABELS=1 cargo test --test labels`\n--- have\n{have}\n--- want\n{want}",
        path.display()
    );
}

/// The file is JSON after `export const LABELS = `, ending with `;`, and every label table names
/// every value of its vocabulary as the JSON API spells it.
#[test]
fn labels_cover_every_value() {
    let text = generate(labels::ALL);
    let json = text
        .strip_prefix(HEADER)
        .and_then(|t| t.strip_prefix("export const LABELS = "))
        .and_then(|t| t.strip_suffix(";\n"))
        .expect("the shape of www/labels.js");
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    let names =
        |table: &str| -> Vec<String> { v[table].as_object().unwrap().keys().cloned().collect() };
    fn serde_names<T: serde::Serialize>(values: &[T]) -> Vec<String> {
        let name = |x: &T| {
            serde_json::to_value(x)
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned()
        };
        values.iter().map(name).collect()
    }
    let protocols = serde_names(Protocol::ALL);
    let securities = serde_names(Security::ALL);
    let auths = serde_names(Auth::ALL);
    let formats = serde_names(UsernameFormat::ALL);
    let severities = serde_names(&[Severity::Error, Severity::Warning, Severity::Info]);
    let credentials = serde_names(mailsetup::providers::CredentialKind::ALL);
    for (table, want) in [
        ("protocol", &protocols),
        ("protocolRole", &protocols),
        ("security", &securities),
        ("securityShort", &securities),
        ("auth", &auths),
        ("authShort", &auths),
        ("username", &formats),
        ("credential", &credentials),
        ("severity", &severities),
    ] {
        let mut have = names(table);
        let mut want = want.clone();
        have.sort();
        want.sort();
        assert_eq!(have, want, "{table}");
    }
    assert_eq!(v.as_object().unwrap().len(), 9);
}

/// The test itself can fail: a changed label is noticed.
#[test]
fn a_changed_label_is_noticed() {
    let mut changed: Vec<(&str, Table)> = labels::ALL.to_vec();
    changed[0].1 = &[("imap", "Imap"), ("pop3", "POP3"), ("smtp", "SMTP")];
    assert_ne!(generate(&changed), generate(labels::ALL));
}
