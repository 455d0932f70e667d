//! Validation: every settings rule on one input, the provider it was judged against, and the
//! input with every fix applied.

use super::analysis::Analysis;
use super::findings::Findings;
use super::precedence;
use super::registry::{Check, CHECKS};
use crate::diagnostic::{Finding, Fix, Report, Severity};
use crate::model::Settings;

/// Validates an account or a bare server: every rule, the provider it was judged against, and the
/// input with every fix applied.
pub fn validate(settings: &Settings) -> Report {
    run(settings, CHECKS.iter())
}

/// Runs `checks` on `settings` (in any order: the result is the same).
fn run<'c>(settings: &Settings, checks: impl Iterator<Item = &'c Check>) -> Report {
    let analysis = Analysis::new(settings);
    let mut out = Findings::default();
    for check in checks {
        check(&analysis, &mut out);
    }
    let mut findings = out.into_vec();
    precedence::apply(&mut findings, precedence::SETTINGS);
    let fixed = apply_fixes(settings, &findings);
    Report::new(analysis.provider().map(Into::into), findings, fixed)
}

/// The input with every fix applied; `None` when no finding has a fix.
///
/// Every rule takes its fix values from the one [`Target`] of its server, so two fixes of one
/// field agree; should they not, the worst finding decides. A whole-server fix (`outgoing`) goes
/// before fixes inside it.
fn apply_fixes(settings: &Settings, findings: &[Finding]) -> Option<Settings> {
    let mut fixes: Vec<(&Fix, Severity)> = findings
        .iter()
        .filter_map(|f| f.fix.as_ref().map(|x| (x, f.severity)))
        .collect();
    if fixes.is_empty() {
        return None;
    }
    fixes.sort_by(|(f, s), (g, t)| {
        let key = |f: &Fix, s: Severity| (f.field.matches('.').count(), std::cmp::Reverse(s));
        key(f, *s).cmp(&key(g, *t))
    });
    let fixes = fixes.into_iter().map(|(f, _)| f);
    let mut fixed = settings.clone();
    let mut done: Vec<&str> = Vec::new();
    for fix in fixes {
        if done.contains(&fix.field.as_str()) {
            continue;
        }
        // A fix that cannot apply (its server is absent) is skipped; the finding still says it.
        if fix.apply(&mut fixed).is_ok() {
            done.push(&fix.field);
        }
    }
    Some(fixed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse_settings_json;
    use crate::rules::registry::SETTINGS;

    /// The checks run in reverse, or starting half-way, give the same report: precedence is
    /// declared, not a matter of call order.
    #[test]
    fn call_order_does_not_matter() {
        let inputs: Vec<String> = SETTINGS
            .iter()
            .flat_map(|r| (r.vectors)())
            .map(|v| v.input)
            .collect();
        let mut compared = 0;
        for json in &inputs {
            let settings = parse_settings_json(json).unwrap();
            let want = validate(&settings);
            assert_eq!(run(&settings, CHECKS.iter().rev()), want, "{json}");
            let (a, b) = CHECKS.split_at(CHECKS.len() / 2);
            assert_eq!(run(&settings, b.iter().chain(a)), want, "{json}");
            compared += 1;
        }
        assert!(compared > 100, "{compared}");
    }
}
