//! The registry of settings rules: every rule of the H, P, T, A, V and O families with its check,
//! sorted by code.

use super::analysis::Analysis;
use super::findings::Findings;
use super::{auth, host, lookalike, pop3, port, provider, tls};
use crate::diagnostic::{checks_of, CheckedRule};

/// A settings rule's check: it looks at the analysis of the input and emits findings.
pub(crate) type Check = fn(&Analysis, &mut Findings);

/// A settings rule with its check.
pub(crate) type SettingsRule = CheckedRule<Check>;

/// Every settings rule, sorted by code (a test keeps it so). Which finding gives way to which is
/// declared in [`precedence`](super::precedence), so the order the checks run in does not matter.
pub(crate) const SETTINGS: &[&SettingsRule] = &[
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
    &auth::A312,
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
    &lookalike::H011,
    &host::H012,
    &lookalike::H013,
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
    &port::P106,
    &port::P107,
    &port::P108,
    &tls::T201,
    &tls::T202,
    &tls::T203,
    &tls::T204,
    &tls::T205,
    &tls::T206,
    &tls::T207,
    &provider::V401,
    &provider::V402,
    &provider::V403,
    &provider::V404,
    &provider::V405,
    &provider::V406,
    &provider::V407,
    &provider::V408,
    &provider::V409,
    &provider::V410,
    &provider::V411,
    &provider::V412,
];

/// The checks of [`SETTINGS`], copied out at compile time: the engine runs these, so that a build
/// that never shows the rules' documentation (the main WebAssembly module) does not contain it.
pub(super) const CHECKS: [Check; SETTINGS.len()] = checks_of(SETTINGS, |_, _| {});

/// The report for a settings vector's input (or the message that refused it).
#[cfg(test)]
pub(crate) fn run_vector(
    v: &crate::diagnostic::Vector,
) -> Result<crate::diagnostic::Report, String> {
    let own: Vec<crate::providers::Provider> = v.runtime_provider()?.into_iter().collect();
    let context = super::ValidationContext {
        email: v.email.as_deref(),
        providers: crate::providers::Providers::with(&own),
    };
    crate::model::parse_settings_json(&v.input)
        .map(|s| super::validate_with(&s, &context))
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_sorted() {
        assert!(SETTINGS.windows(2).all(|w| w[0].rule.code < w[1].rule.code));
    }

    /// Every settings rule has vectors it fires on and vectors it stays silent on, all about it,
    /// and they hold.
    #[test]
    fn rule_vectors() {
        let mut failures = Vec::new();
        let mut count = 0;
        for r in SETTINGS {
            let code = r.rule.code;
            let vectors = (r.vectors)();
            let about_this_rule = |x: &Option<String>| x.as_deref() == Some(code);
            assert!(
                vectors.iter().any(|v| about_this_rule(&v.expect.fires)),
                "{code}: no vector it fires on"
            );
            assert!(
                vectors.iter().any(|v| about_this_rule(&v.expect.silent)),
                "{code}: no vector it is silent on"
            );
            for v in &vectors {
                assert!(
                    about_this_rule(&v.expect.fires) || about_this_rule(&v.expect.silent),
                    "{code}: {} is about another rule",
                    v.about
                );
                count += 1;
                for e in v.mismatches(&run_vector(v)) {
                    failures.push(format!("{code} ({}): {e}\n    input: {}", v.about, v.input));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        assert!(count >= 149, "only {count} vectors");
    }
}
