//! The registry of settings rules: every check, in the order they run, and (for tests) every
//! rule of the H, P, T, A, V and O families.

use super::analysis::Analysis;
use super::findings::Findings;
use super::{account, auth, host, pop3, port, provider, tls};
#[cfg(test)]
use crate::diagnostic::Rule;

/// One family's check.
pub(super) type Check = fn(&Analysis, &mut Findings);

/// Every check, in the order they run.
pub(super) const CHECKS: &[Check] = &[
    host::check,
    port::check,
    tls::check,
    auth::check,
    provider::check,
    pop3::check,
    account::check,
];

/// Every settings rule (families H, P, T, A, V, O), sorted by code.
#[cfg(test)]
pub(super) const RULES: &[&Rule] = &[
    &auth::A301,
    &auth::A302,
    &auth::A303,
    &auth::A304,
    &auth::A305,
    &auth::A306,
    &auth::A307,
    &auth::A308,
    &auth::A309,
    &auth::A310,
    &auth::A311,
    &host::H001,
    &host::H002,
    &host::H003,
    &host::H004,
    &host::H005,
    &host::H006,
    &host::H007,
    &host::H008,
    &host::H009,
    &host::H010,
    &pop3::O501,
    &pop3::O502,
    &pop3::O503,
    &pop3::O504,
    &pop3::O505,
    &pop3::O506,
    &pop3::O507,
    &port::P101,
    &port::P102,
    &port::P103,
    &port::P104,
    &port::P105,
    &account::P106,
    &account::P107,
    &tls::T201,
    &tls::T202,
    &tls::T203,
    &tls::T204,
    &tls::T205,
    &provider::V401,
    &provider::V402,
    &provider::V403,
    &provider::V404,
    &provider::V405,
    &provider::V406,
    &account::V407,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse_settings_json;
    use crate::rules::validate;

    #[test]
    fn rule_vectors() {
        let mut failures = Vec::new();
        for r in RULES {
            for (vectors, must_fire) in [(r.pass, false), (r.fail, true)] {
                for json in vectors {
                    let settings = parse_settings_json(json)
                        .unwrap_or_else(|e| panic!("{}: bad vector {json}: {e}", r.code));
                    let report = validate(&settings);
                    let fired = report.findings.iter().any(|f| f.code == r.code);
                    if fired != must_fire {
                        let codes: Vec<String> = report
                            .findings
                            .iter()
                            .map(|f| format!("{} {}: {}", f.code, f.field, f.message))
                            .collect();
                        failures.push(format!(
                            "{} should {}fire on {json}\n    found: {codes:#?}",
                            r.code,
                            if must_fire { "" } else { "not " }
                        ));
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
