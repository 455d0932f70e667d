//! The findings collector the settings rules emit into.

use crate::diagnostic::{Finding, FixValue, Rule};

/// The findings being collected.
#[derive(Debug, Default)]
pub struct Findings(pub(super) Vec<Finding>);

impl Findings {
    /// Records a finding of `rule` about `field`. (Inlined like [`Rule::finding`].)
    #[inline(always)]
    pub fn emit(
        &mut self,
        rule: &'static Rule,
        field: &str,
        message: String,
        help: String,
        fix: Option<FixValue>,
    ) {
        self.0
            .push(rule.finding(field.to_owned(), message, help, fix));
    }

    /// Whether a finding with `code` about `field` was already emitted (rules that would repeat
    /// a more specific one stay quiet).
    pub fn has(&self, code: &str, field: &str) -> bool {
        self.0.iter().any(|f| f.code == code && f.field == field)
    }

    /// Whether any finding concerns `field`.
    pub fn touches(&self, field: &str) -> bool {
        self.0.iter().any(|f| f.field == field)
    }
}
