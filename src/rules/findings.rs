//! The findings collector the rules emit into.

use crate::diagnostic::{Finding, FixValue, Rule};

/// The findings being collected.
#[derive(Debug, Default)]
pub(crate) struct Findings(Vec<Finding>);

impl Findings {
    /// Records a finding of `rule` about `field`. (Inlined like [`Rule::finding`].)
    #[inline(always)]
    pub fn emit(
        &mut self,
        rule: &'static Rule,
        field: impl Into<String>,
        message: String,
        help: String,
        fix: Option<FixValue>,
    ) {
        self.0.push(rule.finding(field.into(), message, help, fix));
    }

    /// The findings, in the order they were emitted.
    pub fn into_vec(self) -> Vec<Finding> {
        self.0
    }
}
