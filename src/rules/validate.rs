//! Validation: every settings rule on one input, the provider it was judged against, and the
//! input with every fix applied.

use super::analysis::{Analysis, ValidationContext};
use super::findings::Findings;
use super::precedence;
use super::registry::{Check, CHECKS};
use crate::diagnostic::{Basis, Finding, Fix, ProviderRef, Report, Severity};
use crate::model::Settings;

/// Validates an account or a bare server: every rule, the provider it was judged against, and the
/// input with every fix applied.
pub fn validate(settings: &Settings) -> Report {
    validate_with(settings, &ValidationContext::default())
}

/// Validates settings in a context: the address they are for (when they do not say) and the
/// providers to judge them against (an organisation's own, given at run time, before the curated
/// table).
///
/// ```
/// use mailsetup::providers::{Provider, Providers};
/// use mailsetup::{parse_settings_json, validate_with, ValidationContext};
/// let own = [Provider::from_json(r#"{"id":"example-org","name":"Example Org",
///   "domains":[{"names":["example.org"]}],
///   "servers":[{"protocol":"imap","host":"mail.example.org","port":993,"security":"tls","username":"email-address"}]}"#).unwrap()];
/// let settings = parse_settings_json(r#"{"protocol":"imap","host":"mail.example.org","port":143,"security":"starttls"}"#).unwrap();
/// let context = ValidationContext { email: Some("me@example.org"), providers: Providers::with(&own) };
/// let report = validate_with(&settings, &context);
/// assert_eq!(report.provider.unwrap().id, "example-org");
/// assert!(report.findings.iter().any(|f| f.code == "P108"));
/// ```
pub fn validate_with(settings: &Settings, context: &ValidationContext) -> Report {
    run(settings, context, CHECKS.iter())
}

/// Runs `checks` on `settings` (in any order: the result is the same).
///
/// A fix can lead to a server whose provider asks more than the one the input was judged
/// against (an organisation's IMAP documented at Microsoft 365, which takes OAuth2 only): what
/// the fixed settings would still be told at error severity, with a fix, is said now, so that one
/// round of fixes is enough (the property test `fixes_are_coherent` found two such inputs). Two
/// more rounds at most.
fn run<'c>(
    settings: &Settings,
    context: &ValidationContext,
    checks: impl Iterator<Item = &'c Check> + Clone,
) -> Report {
    let analysis = Analysis::new(settings, context);
    let mut findings = findings(&analysis, checks.clone());
    let mut fixed = apply_fixes(settings, &findings);
    for _ in 0..2 {
        let Some(once) = &fixed else { break };
        let more: Vec<Finding> = findings_of(once, context, checks.clone())
            .into_iter()
            .filter(|f| f.severity == Severity::Error && f.fix.is_some())
            .collect();
        if more.is_empty() {
            break;
        }
        // A field fixed to a value that is still wrong there takes the later fix: the earlier
        // finding keeps its words, without its fix.
        for f in &mut findings {
            let later = |x: &Fix| {
                more.iter()
                    .any(|m| m.fix.as_ref().is_some_and(|y| y.field == x.field))
            };
            if f.fix.as_ref().is_some_and(later) {
                f.fix = None;
            }
        }
        findings.extend(more);
        precedence::apply(&mut findings, precedence::SETTINGS);
        fixed = apply_fixes(settings, &findings);
    }
    Report::new(provider_ref(&analysis), findings, fixed)
}

/// The findings of `checks` on `settings`, precedence applied.
fn findings_of<'c>(
    settings: &Settings,
    context: &ValidationContext,
    checks: impl Iterator<Item = &'c Check>,
) -> Vec<Finding> {
    findings(&Analysis::new(settings, context), checks)
}

fn findings<'c>(analysis: &Analysis, checks: impl Iterator<Item = &'c Check>) -> Vec<Finding> {
    let mut out = Findings::default();
    for check in checks {
        check(analysis, &mut out);
    }
    let mut findings = out.into_vec();
    precedence::apply(&mut findings, precedence::SETTINGS);
    findings
}

/// The provider the input was judged against, with the endpoint each server was judged against.
fn provider_ref(a: &Analysis) -> Option<ProviderRef> {
    let p = a.provider()?;
    let mut r = ProviderRef::from(p);
    for s in &a.servers {
        let (Some(q), Some(e)) = (s.provider, s.endpoint) else {
            continue;
        };
        if std::ptr::eq(p, q) {
            r.basis
                .push(Basis::of(p, s.prefix.trim_end_matches('.'), e));
        }
    }
    Some(r)
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

    /// MIT documents IMAP at Microsoft 365 (ISPDB): the fix to that host brings Microsoft's
    /// OAuth2-only sign-in with it, in the same round of fixes (found by `fixes_are_coherent`).
    #[test]
    fn a_fix_to_another_providers_host_brings_its_requirements() {
        let input = r#"{"protocol":"imap","host":"outgoing.mit.edu:587","port":25,"security":"tls","auth":"password"}"#;
        let report = validate(&parse_settings_json(input).unwrap());
        let fixed = report.fixed.clone().unwrap();
        let json = serde_json::to_string(&fixed).unwrap();
        assert!(json.contains(r#""host":"outlook.office365.com""#), "{json}");
        assert!(json.contains(r#""auth":"oauth2""#), "{json}");
        let left: Vec<_> = validate(&fixed)
            .findings
            .into_iter()
            .filter(|f| f.severity == Severity::Error && f.fix.is_some())
            .map(|f| f.code)
            .collect();
        assert!(left.is_empty(), "{json}: {left:?}");
    }

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
            let context = ValidationContext::default();
            assert_eq!(
                run(&settings, &context, CHECKS.iter().rev()),
                want,
                "{json}"
            );
            let (a, b) = CHECKS.split_at(CHECKS.len() / 2);
            assert_eq!(run(&settings, &context, b.iter().chain(a)), want, "{json}");
            compared += 1;
        }
        assert!(compared > 100, "{compared}");
    }
}
