//! Validation: every settings rule on one input, the provider it was judged against, and the
//! input with every fix applied.

use super::analysis::Analysis;
use super::findings::Findings;
use super::registry::CHECKS;
use crate::diagnostic::{Finding, Fix, Report, Severity};
use crate::model::Settings;

/// Validates an account or a bare server: every rule, the provider it was judged against, and the
/// input with every fix applied.
pub fn validate(settings: &Settings) -> Report {
    let analysis = Analysis::new(settings);
    let mut out = Findings::default();
    for check in CHECKS {
        check(&analysis, &mut out);
    }
    let fixed = apply_fixes(settings, &out.0);
    Report::new(analysis.provider().map(Into::into), out.0, fixed)
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
    crate::text::sort_small_by(&mut fixes, |(f, s), (g, t)| {
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
