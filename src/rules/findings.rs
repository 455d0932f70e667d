//! The findings collector the rules emit into.

use crate::diagnostic::{Finding, FixValue, Rule, Severity};

/// The findings being collected.
#[derive(Debug, Default)]
pub(crate) struct Findings(Vec<Finding>);

impl Findings {
    /// Records a finding of `rule` about `field`.
    ///
    /// Always inlined, and reading only the rule's code, name and severity, so that a call site
    /// never refers to the rule constant itself: a build without `rules()` (the main WebAssembly
    /// module) then carries none of the rules' documentation. The work is in [`Findings::record`],
    /// shared by every call site.
    #[inline(always)]
    pub fn emit(
        &mut self,
        rule: &'static Rule,
        field: &str,
        message: String,
        help: String,
        fix: Option<FixValue>,
    ) {
        self.record(
            rule.code,
            rule.name,
            rule.severity,
            field,
            message,
            help,
            fix,
        );
    }

    #[inline(never)]
    #[allow(clippy::too_many_arguments)]
    fn record(
        &mut self,
        code: &'static str,
        name: &'static str,
        severity: Severity,
        field: &str,
        message: String,
        help: String,
        fix: Option<FixValue>,
    ) {
        self.0.push(Finding::new(
            code,
            name,
            severity,
            field.to_owned(),
            message,
            help,
            fix,
        ));
    }

    /// The findings, in the order they were emitted.
    pub fn into_vec(self) -> Vec<Finding> {
        self.0
    }
}
