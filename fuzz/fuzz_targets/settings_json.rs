//! Fuzzes the settings reader and the rules: any bytes are read as the command line reads a
//! settings file (the one encoding policy, then JSON). Each input gives a report or a clear
//! refusal; a report is coherent (fixes of one field agree, `fixed` is there exactly when a
//! finding has a fix, reads back as itself, and leaves no fixable error), and its JSON reads back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailsetup::{parse_settings_json, validate, Severity};

fuzz_target!(|data: &[u8]| {
    let text = match mailsetup::decode(data, None) {
        Ok(text) => text,
        Err(e) => return assert!(!e.to_string().is_empty()),
    };
    let settings = match parse_settings_json(&text) {
        Ok(settings) => settings,
        Err(e) => {
            let message = e.to_string();
            assert!(!message.is_empty());
            // Refusals quote what they echo: nothing in them can drive a terminal.
            assert!(!message.chars().any(mailsetup::text::is_hidden), "{message:?}");
            return;
        }
    };
    let report = validate(&settings);
    let json = serde_json::to_string(&report).expect("a report serializes");
    serde_json::from_str::<serde_json::Value>(&json).expect("and reads back");
    for f in &report.findings {
        assert!(!f.message.is_empty() && !f.help.is_empty() && !f.field.is_empty());
        for g in &report.findings {
            if let (Some(a), Some(b)) = (&f.fix, &g.fix) {
                assert!(
                    a.field != b.field || a.value == b.value,
                    "{} and {} fix {} differently",
                    f.code,
                    g.code,
                    a.field
                );
            }
        }
    }
    assert_eq!(
        report.fixed.is_some(),
        report.findings.iter().any(|f| f.fix.is_some())
    );
    if let Some(fixed) = &report.fixed {
        let json = serde_json::to_string(fixed).expect("fixed settings serialize");
        assert_eq!(&parse_settings_json(&json).expect("and read back"), fixed);
        let again = validate(fixed);
        let left: Vec<_> = again
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error && f.fix.is_some())
            .map(|f| &f.code)
            .collect();
        assert!(left.is_empty(), "fixed still has fixable errors: {left:?} in {json}");
    }
});
