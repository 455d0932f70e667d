//! Fuzzes the autoconfig importer and linter: any bytes, as text, must give a result or a clear
//! error, never a panic, and never take long (libFuzzer's -timeout catches slow inputs).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailsetup::documents::{import_autoconfig, lint_autoconfig};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match import_autoconfig(&text, Some("someone@example.com")) {
        Ok(imported) => {
            // Whatever was imported must be usable as accounts.
            for account in imported.accounts() {
                let _ = mailsetup::validate(&account.into());
            }
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
    if let Ok(report) = lint_autoconfig(&text) {
        for f in &report.findings {
            assert!(!f.message.is_empty() && !f.field.is_empty());
        }
    }
});
