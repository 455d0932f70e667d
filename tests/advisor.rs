//! The advisor against its vectors (tests/advisor-vectors/*.json, format in the README there, the
//! one vector shape of `mailsetup::diagnostic::Vector`),
//! and every provider's recommended account against `validate`.

use mailsetup::advisor::{advise, parse_situation_json, ConstraintKind, Recommendation, Situation};
use mailsetup::diagnostic::Vector;
use mailsetup::{validate, Protocol, Settings, Severity};
use serde_json::Value;
use std::path::Path;

fn vector_files() -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/advisor-vectors");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

/// `expected` is a partial description of `actual`: every key it gives must match (`null` means
/// absent or null).
fn partial_match(path: &str, expected: &Value, actual: Option<&Value>, errors: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Null, None | Some(Value::Null)) => {}
        (Value::Object(want), Some(Value::Object(have))) => {
            for (k, v) in want {
                partial_match(&format!("{path}.{k}"), v, have.get(k), errors);
            }
        }
        (want, Some(have)) if want == have => {}
        (want, have) => errors.push(format!("{path}: expected {want}, got {have:?}")),
    }
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("`{key}` must be an array"))
        .iter()
        .map(|s| {
            s.as_str()
                .unwrap_or_else(|| panic!("`{key}`: strings only"))
                .to_owned()
        })
        .collect()
}

fn check(rec: &Recommendation, expect: &serde_json::Map<String, Value>) -> Vec<String> {
    let json = serde_json::to_value(rec).unwrap();
    let mut errors = Vec::new();
    for (key, want) in expect {
        match key.as_str() {
            "protocol" | "confidence" | "scores" => {
                partial_match(key, want, json.get(key), &mut errors);
                if key == "scores" && json.get(key) != Some(want) {
                    errors.push(format!(
                        "scores: expected exactly {want}, got {}",
                        json[key]
                    ));
                }
            }
            "factors" => {
                let have: serde_json::Map<String, Value> = rec
                    .factors
                    .iter()
                    .map(|f| (f.input.as_str().to_owned(), Value::from(f.favours.as_str())))
                    .collect();
                if &Value::Object(have.clone()) != want {
                    errors.push(format!(
                        "factors: expected {want}, got {}",
                        Value::Object(have)
                    ));
                }
            }
            "reasons" => {
                let want = strings(want, key);
                let have: Vec<&str> = rec.reasons().map(|f| f.input.as_str()).collect();
                if !have.starts_with(&want.iter().map(String::as_str).collect::<Vec<_>>()) {
                    errors.push(format!(
                        "reasons: expected to start with {want:?}, got {have:?}"
                    ));
                }
            }
            "caveats" | "noCaveats" => {
                for id in strings(want, key) {
                    if rec.has_caveat(&id) != (key == "caveats") {
                        errors.push(format!(
                            "{key}: {id} {} (caveats: {:?})",
                            if key == "caveats" {
                                "missing"
                            } else {
                                "present"
                            },
                            rec.caveats.iter().map(|c| c.id).collect::<Vec<_>>()
                        ));
                    }
                }
            }
            "constraint" | "settings" => partial_match(key, want, json.get(key), &mut errors),
            "provider" => {
                let have = rec.provider.as_ref().map(|p| p.id.as_str());
                if want.as_str() != have {
                    errors.push(format!("provider: expected {want}, got {have:?}"));
                }
            }
            "whatIf" => {
                for s in strings(want, key) {
                    if !rec.what_if.iter().any(|w| w.sentence == s) {
                        errors.push(format!(
                            "whatIf: {s:?} missing from {:?}",
                            rec.what_if.iter().map(|w| &w.sentence).collect::<Vec<_>>()
                        ));
                    }
                }
            }
            "whatIfCount" => {
                if want.as_u64() != Some(rec.what_if.len() as u64) {
                    errors.push(format!(
                        "whatIfCount: expected {want}, got {:?}",
                        rec.what_if.iter().map(|w| &w.sentence).collect::<Vec<_>>()
                    ));
                }
            }
            "steps" => {
                let have: Vec<Value> = json["steps"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s["kind"].clone())
                    .collect();
                if &Value::Array(have.clone()) != want {
                    errors.push(format!(
                        "steps: expected {want}, got {}",
                        Value::Array(have)
                    ));
                }
            }
            "stepText" => {
                for s in strings(want, key) {
                    if !rec.steps.iter().any(|st| st.text.contains(&s)) {
                        errors.push(format!("stepText: no step mentions {s:?}"));
                    }
                }
            }
            other => {
                panic!("unknown expectation key `{other}` (see tests/advisor-vectors/README.md)")
            }
        }
    }
    errors
}

/// An advisor vector: the one vector shape, with expectations about a recommendation (or
/// `error`, the start of the message that refuses the situation).
type AdvisorVector = Vector<serde_json::Map<String, Value>>;

#[test]
fn vectors() {
    let mut count = 0;
    let mut failures = Vec::new();
    for file in vector_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let vectors: Vec<AdvisorVector> =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for v in vectors {
            count += 1;
            let name = &v.about;
            let mut expect = v.expect.clone();
            let error = expect.remove("error");
            match (parse_situation_json(&v.input), error) {
                (Err(e), Some(want)) => {
                    let want = want.as_str().expect("`error` is a string");
                    if !e.to_string().starts_with(want) {
                        failures.push(format!("{name}: error {e:?} does not start with {want:?}"));
                    }
                    assert!(expect.is_empty(), "{name}: `error` goes alone");
                }
                (Ok(s), None) => {
                    let rec = advise(&s);
                    for e in check(&rec, &expect) {
                        failures.push(format!("{name}: {e}"));
                    }
                    // Every answer is deterministic and every settings card validates.
                    assert_eq!(rec, advise(&s), "{name}: not deterministic");
                    if let Some(a) = &rec.settings {
                        let report = validate(&Settings::Account(a.clone()));
                        if report.has_errors() {
                            failures.push(format!(
                                "{name}: settings do not validate: {:#?}",
                                report.findings
                            ));
                        }
                    }
                }
                (Ok(_), Some(_)) => {
                    failures.push(format!("{name}: expected an error, got an answer"))
                }
                (Err(e), None) => failures.push(format!("{name}: unexpected error: {e}")),
            }
        }
    }
    assert!(count >= 53, "only {count} advisor vectors");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Situations that lead to every kind of account: IMAP, POP3 for one device (with and without
/// a copy on the server), POP3 for several clients (Gmail's recent mode), POP3 with webmail.
fn situations() -> Vec<Situation> {
    [
        r#"{"devices": 3, "webmail": true, "folders": true}"#,
        r#"{"devices": 1, "backup": true}"#,
        r#"{"devices": 1, "keepNothingOnServer": true}"#,
        r#"{"devices": 1, "lowStorage": true, "slow": true}"#,
        r#"{"devices": 2, "backup": true, "slow": true}"#,
        r#"{"devices": 2, "backup": true, "slow": true, "lowStorage": true}"#,
        r#"{"shared": true, "backup": true, "slow": true, "keepNothingOnServer": true}"#,
        r#"{"devices": 1, "backup": true, "webmail": true}"#,
        r#"{}"#,
    ]
    .iter()
    .map(|j| mailsetup::advisor::parse_situation_json(j).unwrap())
    .collect()
}

#[test]
fn every_provider_gets_settings_that_validate() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for p in mailsetup::providers::all() {
        // Every address domain of the provider, and the provider id without an address.
        let whos: Vec<(Option<String>, Option<String>)> = p
            .domain_names()
            .map(|d| (Some(format!("someone@{d}")), None))
            .chain([(None, Some(p.id.to_owned()))])
            .collect();
        for base in situations() {
            for (email, provider) in &whos {
                let s = Situation {
                    email: email.clone(),
                    provider: provider.clone(),
                    ..base.clone()
                };
                let rec = advise(&s);
                let label = format!("{} {:?}", p.id, serde_json::to_string(&s).unwrap());
                if rec.provider.as_ref().map(|r| r.id.as_str()) != Some(p.id.as_str()) {
                    failures.push(format!("{label}: provider not recognised"));
                    continue;
                }
                let (imap, pop3) = (p.offers(Protocol::Imap), p.offers(Protocol::Pop3));
                if !imap && !pop3 {
                    let kind = rec.constraint.as_ref().map(|c| c.kind);
                    let said = matches!(
                        kind,
                        Some(ConstraintKind::NoMailAccess | ConstraintKind::NothingDocumented)
                    );
                    if rec.settings.is_some() || !said {
                        failures.push(format!(
                            "{label}: no mail access must be said, with no settings"
                        ));
                    }
                    continue;
                }
                let Some(account) = &rec.settings else {
                    failures.push(format!("{label}: no settings"));
                    continue;
                };
                if !p.offers(rec.protocol) {
                    failures.push(format!(
                        "{label}: recommends {} which it does not offer",
                        rec.protocol
                    ));
                }
                // The preferred endpoint for the address's domain (some are per domain).
                let domain = email.as_deref().and_then(|e| e.split('@').nth(1));
                let want = domain
                    .and_then(|d| p.servers_for_domain(rec.protocol, d).next())
                    .or_else(|| p.preferred(rec.protocol))
                    .unwrap();
                if (account.incoming.host.as_str(), account.incoming.port)
                    != (want.host.as_str(), want.port)
                {
                    failures.push(format!("{label}: incoming is not the preferred endpoint"));
                }
                if p.offers(Protocol::Smtp) != account.outgoing.is_some() {
                    failures.push(format!("{label}: outgoing server missing or invented"));
                }
                if !(imap && pop3) && rec.constraint.is_none() {
                    failures.push(format!("{label}: the provider's limit is not explained"));
                }
                checked += 1;
                let report = validate(&Settings::Account(account.clone()));
                // Where the provider documents only unencrypted servers, the standards' errors
                // about that (T201 cleartext password, A308 CRAM-MD5 without TLS) are right, and
                // the advice must say so.
                let plain_only = !account.incoming.security.is_encrypted()
                    || account
                        .outgoing
                        .as_ref()
                        .is_some_and(|o| !o.security.is_encrypted());
                if plain_only && !rec.has_caveat("unencrypted-only") {
                    failures.push(format!("{label}: unencrypted servers without a caveat"));
                }
                let errors: Vec<String> = report
                    .findings
                    .iter()
                    .filter(|f| f.severity == Severity::Error)
                    .filter(|f| !(plain_only && matches!(f.code, "T201" | "A308")))
                    .map(|f| format!("{} {} {}: {}", f.code, f.rule, f.field, f.message))
                    .collect();
                if !errors.is_empty() {
                    failures.push(format!(
                        "{label}: {}\n    account: {}\n    {}",
                        rec.protocol,
                        serde_json::to_string(account).unwrap(),
                        errors.join("\n    ")
                    ));
                }
            }
        }
    }
    assert!(checked > 0);
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn json_shape_is_camel_case_and_stable() {
    let s = mailsetup::advisor::parse_situation_json(
        r#"{"devices": 2, "backup": true, "slow": true, "email": "someone@gmail.com"}"#,
    )
    .unwrap();
    let v = serde_json::to_value(advise(&s)).unwrap();
    for key in [
        "protocol",
        "confidence",
        "scores",
        "factors",
        "caveats",
        "whatIf",
        "provider",
        "settings",
        "steps",
    ] {
        assert!(v.get(key).is_some(), "missing {key}: {v}");
    }
    assert_eq!(v["factors"][0]["input"], "devices");
    assert_eq!(v["factors"][0]["favours"], "imap");
    assert!(v["factors"][0]["reason"].as_str().unwrap().ends_with('.'));
    assert_eq!(v["whatIf"][0]["protocol"], "imap");
    assert!(v["whatIf"][0]["set"].is_object());
    assert_eq!(v["settings"]["pop3"]["leaveOnServer"], true);
    assert_eq!(v["provider"]["id"], "gmail");
}
