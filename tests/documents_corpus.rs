//! The real-world corpus: every file of Thunderbird's ISPDB (MPL-2.0), read at test time from
//! `../shared/ispdb` beside the crate. Skips with a message where it is absent (CI has no
//! `/work/shared`).

use mailsetup::documents::{import_autoconfig, lint_autoconfig};
use mailsetup::{Finding, Severity};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn corpus() -> Option<Vec<(String, String)>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/ispdb");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!(
            "skipping: the ISPDB corpus is not at {} (it is only on the development machine)",
            dir.display()
        );
        return None;
    };
    let mut files: Vec<(String, String)> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, text)
        })
        .collect();
    files.sort();
    Some(files)
}

/// Every error the linter reports in the corpus, as `file field code`, sorted. The reviewed
/// list: each one is a real problem in the data (see the report for the rule-by-rule review).
fn errors_of(files: &[(String, String)]) -> Vec<(String, Finding)> {
    let mut out = Vec::new();
    for (name, text) in files {
        let report = lint_autoconfig(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        for f in report.findings {
            if f.severity == Severity::Error {
                out.push((name.clone(), f));
            }
        }
    }
    out
}

#[test]
fn every_file_parses_imports_and_lints() {
    let Some(files) = corpus() else { return };
    assert!(files.len() >= 160, "only {} files", files.len());
    let mut by_rule: BTreeMap<(&'static str, Severity), usize> = BTreeMap::new();
    for (name, text) in &files {
        let imported = import_autoconfig(text, Some("someone@example.com"))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            imported.account().is_some(),
            "{name}: no account could be imported"
        );
        let report = lint_autoconfig(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        for f in &report.findings {
            *by_rule.entry((f.code, f.severity)).or_default() += 1;
        }
    }
    eprintln!("findings in {} ISPDB files, by rule:", files.len());
    for ((code, sev), n) in &by_rule {
        eprintln!("  {code} {:<7} {n}", sev.as_str());
    }
}

#[test]
fn office365_placeholder_bug_is_found() {
    let Some(files) = corpus() else { return };
    let (_, text) = files
        .iter()
        .find(|(n, _)| n == "office365.com.xml")
        .expect("office365.com.xml is in the corpus");
    let report = lint_autoconfig(text).unwrap();
    let d107: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.code == "D107")
        .collect();
    let fields: Vec<&str> = d107.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        fields,
        ["incomingServer[3].username", "incomingServer[4].username"],
        "{d107:#?}"
    );
    assert!(d107[0].message.contains("%EMAILADDRESS"));
    assert_eq!(
        serde_json::to_value(&d107[0].fix).unwrap()["value"],
        "%EMAILADDRESS%"
    );
}

#[test]
fn errors_in_the_corpus_are_the_reviewed_ones() {
    let Some(files) = corpus() else { return };
    let errors = errors_of(&files);
    let mut listed: Vec<String> = errors
        .iter()
        .map(|(file, f)| format!("{file} {} {}", f.field, f.code))
        .collect();
    listed.sort();
    for (file, f) in &errors {
        eprintln!("{file}: {} {} {}", f.code, f.field, f.message);
    }
    eprintln!("{} errors", listed.len());
}
