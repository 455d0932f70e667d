//! Data-driven validation vectors: every `tests/vectors/*.json` (format in its README.md), in the
//! one vector shape the rules use inline (`mailsetup::diagnostic::Vector`).

use mailsetup::catalog::RULES;
use mailsetup::diagnostic::{Report, Vector};
use mailsetup::providers::Providers;
use mailsetup::{parse_settings_json, validate_with, ValidationContext};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn vector_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

/// The report for a vector's input (with its runtime provider and address, when it gives them),
/// or the message that refused it.
fn run(v: &Vector) -> Result<Report, String> {
    let own: Vec<_> = v.runtime_provider()?.into_iter().collect();
    let context = ValidationContext {
        email: v.email.as_deref(),
        providers: Providers::with(&own),
    };
    parse_settings_json(&v.input)
        .map(|s| validate_with(&s, &context))
        .map_err(|e| e.to_string())
}

#[test]
fn vectors() {
    let files = vector_files();
    let mut covered = BTreeSet::new();
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(path).unwrap();
        let vector: Vector = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{name}: not a vector: {e}"));
                continue;
            }
        };
        for f in vector.expect.findings.iter().flatten() {
            covered.insert(f.code.clone());
        }
        for e in vector.mismatches(&run(&vector)) {
            failures.push(format!("{name}: {e}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} vectors failed:\n  {}",
        failures.len(),
        files.len(),
        failures.join("\n  ")
    );
    assert!(files.len() >= 134, "only {} vectors", files.len());
    let uncovered: Vec<&str> = RULES
        .iter()
        .map(|r| r.code)
        // Settings rules only: D, N and C (lint, probe, audit) have their vectors beside them.
        .filter(|c| !c.starts_with(['D', 'N', 'C']) && !covered.contains(*c))
        .collect();
    assert!(
        uncovered.is_empty(),
        "rules no vector expects: {uncovered:?}"
    );
}
