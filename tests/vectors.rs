//! Data-driven validation vectors: every `tests/vectors/*.json` (format in its README.md).

use mailsetup::catalog::RULES;
use mailsetup::{parse_settings_json, validate};
use serde_json::Value;
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

/// Runs one vector; returns what did not match. Also records the codes it expects.
fn run(vector: &Value, covered: &mut BTreeSet<String>) -> Vec<String> {
    let mut errors = Vec::new();
    let Some(obj) = vector.as_object() else {
        return vec!["the vector is not a JSON object".into()];
    };
    for key in obj.keys() {
        if ![
            "about",
            "input",
            "inputText",
            "provider",
            "verdict",
            "findings",
            "partial",
            "fixed",
            "error",
        ]
        .contains(&key.as_str())
        {
            errors.push(format!("unknown key {key:?} in the vector"));
        }
    }
    if !obj.get("about").is_some_and(Value::is_string) {
        errors.push("no \"about\"".into());
    }
    let text = match (obj.get("input"), obj.get("inputText")) {
        (Some(v), None) => v.to_string(),
        (None, Some(Value::String(t))) => t.clone(),
        _ => return vec!["exactly one of \"input\" and \"inputText\" (a string) is needed".into()],
    };
    let parsed = parse_settings_json(&text);
    if let Some(want) = obj.get("error") {
        let want = want.as_str().unwrap_or_default();
        match parsed {
            Ok(_) => errors.push(format!("expected the input error {want:?}, but it parsed")),
            Err(e) if !e.to_string().contains(want) => errors.push(format!(
                "error {:?} does not contain {want:?}",
                e.to_string()
            )),
            Err(_) => {}
        }
        return errors;
    }
    let settings = match parsed {
        Ok(s) => s,
        Err(e) => return vec![format!("input does not parse: {e}")],
    };
    let report = validate(&settings);
    let got = serde_json::to_value(&report).unwrap();

    if let Some(want) = obj.get("provider") {
        let have = got.pointer("/provider/id").cloned().unwrap_or(Value::Null);
        if &have != want {
            errors.push(format!("provider: expected {want}, got {have}"));
        }
    }
    if let Some(want) = obj.get("verdict") {
        if got["verdict"] != *want {
            errors.push(format!("verdict: expected {want}, got {}", got["verdict"]));
        }
    }
    if let Some(want) = obj.get("fixed") {
        let have = got.get("fixed").cloned().unwrap_or(Value::Null);
        if &have != want {
            errors.push(format!(
                "fixed: expected\n      {want}\n    got\n      {have}"
            ));
        }
    }
    let partial = obj.get("partial").and_then(Value::as_bool).unwrap_or(false);
    let expected = obj
        .get("findings")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let findings = got["findings"].as_array().cloned().unwrap_or_default();
    let mut matched = vec![false; findings.len()];
    for e in &expected {
        let code = e["code"].as_str().unwrap_or_default();
        covered.insert(code.to_owned());
        let hit = findings
            .iter()
            .enumerate()
            .find(|(i, f)| !matched[*i] && f["code"] == e["code"] && f["field"] == e["field"]);
        let Some((i, f)) = hit else {
            errors.push(format!("missing finding {code} on {}", e["field"]));
            continue;
        };
        matched[i] = true;
        if f["severity"] != e["severity"] {
            errors.push(format!(
                "{code} on {}: severity {} instead of {}",
                e["field"], f["severity"], e["severity"]
            ));
        }
        let have_fix = f.pointer("/fix/value");
        if have_fix != e.get("fix") {
            errors.push(format!(
                "{code} on {}: fix {} instead of {}",
                e["field"],
                have_fix.map_or("none".into(), Value::to_string),
                e.get("fix").map_or("none".into(), Value::to_string)
            ));
        }
        let text = format!("{} {}", f["message"], f["help"]);
        for s in e
            .get("says")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let s = s.as_str().unwrap_or_default();
            if !text.contains(s) {
                errors.push(format!(
                    "{code} on {}: does not say {s:?}: {text}",
                    e["field"]
                ));
            }
        }
    }
    if !partial {
        for (f, _) in findings.iter().zip(&matched).filter(|(_, m)| !**m) {
            errors.push(format!(
                "unexpected finding {} {} on {}: {}",
                f["severity"], f["code"], f["field"], f["message"]
            ));
        }
    }
    errors
}

#[test]
fn vectors() {
    let files = vector_files();
    let mut covered = BTreeSet::new();
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(path).unwrap();
        let vector: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{name}: not JSON: {e}"));
                continue;
            }
        };
        for e in run(&vector, &mut covered) {
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
    assert!(files.len() >= 60, "only {} vectors", files.len());
    let uncovered: Vec<&str> = RULES
        .iter()
        .map(|r| r.code)
        .filter(|c| !c.starts_with(['D', 'N']) && !covered.contains(*c))
        .collect();
    assert!(
        uncovered.is_empty(),
        "rules no vector expects: {uncovered:?}"
    );
}

/// The runner itself must be able to fail.
#[test]
fn runner_detects_mismatches() {
    let mut covered = BTreeSet::new();
    let v: Value = serde_json::from_str(
        r#"{"about":"x","input":{"protocol":"imap","host":"imap.example.com","port":995,"security":"tls"},
            "verdict":"ok","findings":[{"code":"H001","field":"host","severity":"error"}]}"#,
    )
    .unwrap();
    let errors = run(&v, &mut covered);
    assert!(
        errors.iter().any(|e| e.starts_with("verdict")),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|e| e.starts_with("missing finding H001")),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|e| e.starts_with("unexpected finding")),
        "{errors:?}"
    );
    let v: Value = serde_json::from_str(
        r#"{"about":"x","input":{"protocol":"imap","host":"imap.example.com","port":995,"security":"tls"},
            "findings":[{"code":"P101","field":"port","severity":"error","fix":995,"says":["nonsense"]}]}"#,
    )
    .unwrap();
    let errors = run(&v, &mut covered);
    assert!(
        errors.iter().any(|e| e.contains("fix 993 instead of 995")),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|e| e.contains("does not say")),
        "{errors:?}"
    );
}
