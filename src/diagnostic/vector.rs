//! Vectors: the one shape every test case of the rules has, inline beside a rule or in a data
//! file (`tests/vectors/*.json`, `tests/advisor-vectors/*.json`):
//!
//! ```json
//! { "about": "IMAP on the POP3 port",
//!   "input": { "protocol": "imap", "host": "imap.example.com", "port": 995, "security": "tls" },
//!   "expect": { "fires": "P101" } }
//! ```
//!
//! `input` is the text the engine reads: a JSON value stands for its own text, a string for
//! itself (an autoconfig file, or text that is not JSON at all). `expect` says what the result
//! must show; for a [`Report`] the keys of [`Expect`], checked by [`Vector::mismatches`]. The
//! advisor's vectors have the same `about`, `input` and `expect`, with keys about a
//! recommendation.

use super::Report;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// One test case: what it shows, the input text, and what the result must be.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vector<E = Expect> {
    /// What the case shows, in one line.
    pub about: String,
    /// The text the engine reads.
    #[serde(deserialize_with = "input_text")]
    pub input: String,
    /// What the result must be.
    pub expect: E,
    /// A provider given at run time (its JSON, the data-file format) that the input is judged
    /// with, before the curated table.
    #[serde(default)]
    pub provider: Option<Value>,
    /// The email address given beside the input, as `check --email` gives it for one server.
    #[serde(default)]
    pub email: Option<String>,
}

/// What a [`Report`] (or the refusal of the input) must show. Every key is optional; an unknown
/// key is an error, so a misspelt expectation cannot pass unnoticed.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Expect {
    /// A rule that must fire (at least one finding with this code).
    pub fires: Option<String>,
    /// A rule that must stay silent.
    pub silent: Option<String>,
    /// The findings, each by code and field: all of them, or with `partial` at least these.
    pub findings: Option<Vec<ExpectedFinding>>,
    /// Whether findings beyond `findings` are allowed.
    #[serde(default)]
    pub partial: bool,
    /// The verdict (`ok`, `info`, `warning`, `error`).
    pub verdict: Option<String>,
    /// The id of the provider the report names; `null` for none.
    #[serde(default, deserialize_with = "present")]
    pub provider: Option<Value>,
    /// The report's `fixed` settings exactly; `null` for none.
    #[serde(default, deserialize_with = "present")]
    pub fixed: Option<Value>,
    /// The input must be refused with a message that starts with this.
    pub error: Option<String>,
}

/// One finding a report must have.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedFinding {
    /// The rule's code.
    pub code: String,
    /// The field path.
    pub field: String,
    /// `error`, `warning` or `info`.
    pub severity: String,
    /// The fix's value; absent when the finding must have no fix.
    #[serde(default, deserialize_with = "present")]
    pub fix: Option<Value>,
    /// Text the message or the help must contain.
    #[serde(default)]
    pub says: Vec<String>,
}

/// A JSON value as the text an engine reads: a string is the text itself.
fn input_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => s,
        v => v.to_string(),
    })
}

/// A key that is present, even as `null`, is `Some`.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

impl<E> Vector<E> {
    /// The runtime provider of [`Vector::provider`], read; `Err` says why it is refused.
    pub fn runtime_provider(&self) -> Result<Option<crate::providers::Provider>, String> {
        self.provider
            .clone()
            .map(|v| crate::providers::Provider::from_json_value(v).map_err(|e| e.to_string()))
            .transpose()
    }
}

impl Vector {
    /// A vector on which the rule `code` must fire.
    pub fn fires(code: &str, about: &str, input: impl Into<String>) -> Vector {
        Vector {
            about: about.to_owned(),
            input: input.into(),
            expect: Expect {
                fires: Some(code.to_owned()),
                ..Expect::default()
            },
            provider: None,
            email: None,
        }
    }

    /// A vector on which the rule `code` must stay silent.
    pub fn silent(code: &str, about: &str, input: impl Into<String>) -> Vector {
        Vector {
            about: about.to_owned(),
            input: input.into(),
            expect: Expect {
                silent: Some(code.to_owned()),
                ..Expect::default()
            },
            provider: None,
            email: None,
        }
    }

    /// The same vector, judged with a provider given at run time (its JSON).
    pub fn with_provider(mut self, json: &str) -> Vector {
        self.provider = Some(serde_json::from_str(json).expect("a vector's provider is JSON"));
        self
    }

    /// The same vector, with an email address given beside the input.
    pub fn with_email(mut self, email: &str) -> Vector {
        self.email = Some(email.to_owned());
        self
    }

    /// Everything in `result` (the report for [`Vector::input`], or the message that refused
    /// it) that does not match [`Vector::expect`]; empty when the vector holds.
    pub fn mismatches(&self, result: &Result<Report, String>) -> Vec<String> {
        let e = &self.expect;
        let report = match (result, &e.error) {
            (Err(have), Some(want)) if have.starts_with(want.as_str()) => return Vec::new(),
            (Err(have), Some(want)) => {
                return vec![format!("error {have:?} does not start with {want:?}")]
            }
            (Ok(_), Some(want)) => {
                return vec![format!("expected the error {want:?}, but it was read")]
            }
            (Err(have), None) => return vec![format!("the input was refused: {have}")],
            (Ok(report), None) => report,
        };
        let mut errors = Vec::new();
        let listing = || {
            report
                .findings
                .iter()
                .map(|f| format!("{} {}: {}", f.code, f.field, f.message))
                .collect::<Vec<_>>()
        };
        if let Some(code) = &e.fires {
            if !report.findings.iter().any(|f| f.code == code) {
                errors.push(format!("{code} should fire; found {:#?}", listing()));
            }
        }
        if let Some(code) = &e.silent {
            if report.findings.iter().any(|f| f.code == code) {
                errors.push(format!("{code} should stay silent; found {:#?}", listing()));
            }
        }
        let json = serde_json::to_value(report).unwrap_or_default();
        if let Some(want) = &e.provider {
            let have = json.pointer("/provider/id").cloned().unwrap_or(Value::Null);
            if &have != want {
                errors.push(format!("provider: expected {want}, got {have}"));
            }
        }
        if let Some(want) = &e.verdict {
            if report.verdict.as_str() != want {
                errors.push(format!(
                    "verdict: expected {want}, got {}",
                    report.verdict.as_str()
                ));
            }
        }
        if let Some(want) = &e.fixed {
            let have = json.get("fixed").cloned().unwrap_or(Value::Null);
            if &have != want {
                errors.push(format!(
                    "fixed: expected\n      {want}\n    got\n      {have}"
                ));
            }
        }
        if let Some(expected) = &e.findings {
            errors.extend(finding_mismatches(expected, e.partial, &json));
        }
        errors
    }
}

/// The findings of a report (as JSON) against the expected ones.
fn finding_mismatches(expected: &[ExpectedFinding], partial: bool, json: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    let findings = json["findings"].as_array().cloned().unwrap_or_default();
    let mut matched = vec![false; findings.len()];
    for e in expected {
        let (code, field) = (&e.code, &e.field);
        let hit = findings.iter().enumerate().find(|(i, f)| {
            !matched[*i] && f["code"] == code.as_str() && f["field"] == field.as_str()
        });
        let Some((i, f)) = hit else {
            errors.push(format!("missing finding {code} on {field}"));
            continue;
        };
        matched[i] = true;
        if f["severity"] != e.severity.as_str() {
            errors.push(format!(
                "{code} on {field}: severity {} instead of {}",
                f["severity"], e.severity
            ));
        }
        let have_fix = f.pointer("/fix/value");
        if have_fix != e.fix.as_ref() {
            errors.push(format!(
                "{code} on {field}: fix {} instead of {}",
                have_fix.map_or("none".into(), Value::to_string),
                e.fix.as_ref().map_or("none".into(), Value::to_string)
            ));
        }
        let text = format!("{} {}", f["message"], f["help"]);
        for s in &e.says {
            if !text.contains(s.as_str()) {
                errors.push(format!("{code} on {field}: does not say {s:?}: {text}"));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Finding, Severity};

    fn report(codes: &[(&'static str, &str)]) -> Report {
        let findings = codes
            .iter()
            .map(|(code, field)| Finding {
                code,
                rule: "x",
                severity: Severity::Error,
                field: (*field).into(),
                message: "the message".into(),
                help: "the help".into(),
                fix: None,
                url: String::new(),
            })
            .collect();
        Report::new(None, findings, None)
    }

    /// The runner can fail: each kind of expectation reports a mismatch.
    #[test]
    fn mismatches_are_reported() {
        let r = Ok(report(&[("P101", "port")]));
        assert!(Vector::fires("P101", "x", "").mismatches(&r).is_empty());
        assert_eq!(Vector::fires("P102", "x", "").mismatches(&r).len(), 1);
        assert_eq!(Vector::silent("P101", "x", "").mismatches(&r).len(), 1);
        let v: Vector = serde_json::from_str(
            r#"{"about":"x","input":{"a":1},"expect":{"verdict":"ok","provider":null,"fixed":null,
                "findings":[{"code":"H001","field":"host","severity":"error","says":["nonsense"]},
                            {"code":"P101","field":"port","severity":"warning","fix":993}]}}"#,
        )
        .unwrap();
        assert_eq!(v.input, r#"{"a":1}"#);
        let errors = v.mismatches(&r);
        for want in [
            "verdict: expected ok",
            "missing finding H001",
            "P101 on port: severity",
            "P101 on port: fix none instead of 993",
        ] {
            assert!(
                errors.iter().any(|e| e.starts_with(want)),
                "{want}: {errors:#?}"
            );
        }
        let v: Vector = serde_json::from_str(
            r#"{"about":"x","input":"not json","expect":{"error":"input is not"}}"#,
        )
        .unwrap();
        assert_eq!(v.input, "not json");
        assert!(v
            .mismatches(&Err("input is not valid JSON".into()))
            .is_empty());
        assert_eq!(v.mismatches(&Err("other".into())).len(), 1);
        assert_eq!(v.mismatches(&r).len(), 1);
        let v: Vector =
            serde_json::from_str(r#"{"about":"x","input":"","expect":{"findings":[]}}"#).unwrap();
        let errors = v.mismatches(&r);
        assert!(errors[0].starts_with("unexpected finding"), "{errors:#?}");
        let partial: Vector = serde_json::from_str(
            r#"{"about":"x","input":"","expect":{"findings":[],"partial":true}}"#,
        )
        .unwrap();
        assert!(partial.mismatches(&r).is_empty());
        let typo =
            serde_json::from_str::<Vector>(r#"{"about":"x","input":1,"expect":{"fire":"P101"}}"#);
        assert!(typo.is_err());
    }
}
