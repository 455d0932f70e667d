//! The one findings shape, used by the rules, the CLI's `--json`, the probe and the JS API; the
//! identity and documentation of a rule; and the vectors every rule is tested with.

pub mod vector;

pub use vector::Vector;

use crate::model::{Account, Auth, Security, Server, Settings};
use crate::providers::{Endpoint, Provider, Source};
use serde::Serialize;

/// How bad a finding is. Ordered: `Info < Warning < Error`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Advice.
    Info,
    /// Works, but risky, obsolete or fragile.
    Warning,
    /// Will not work, or exposes the password.
    Error,
}

impl Severity {
    /// The name JSON uses (`error`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// The worst severity present, or `ok`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// No findings.
    Ok,
    /// Advice only.
    Info,
    /// At worst a warning.
    Warning,
    /// At least one error.
    Error,
}

impl Verdict {
    /// The verdict for a set of findings.
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Verdict {
        match findings.into_iter().map(|f| f.severity).max() {
            None => Verdict::Ok,
            Some(Severity::Info) => Verdict::Info,
            Some(Severity::Warning) => Verdict::Warning,
            Some(Severity::Error) => Verdict::Error,
        }
    }

    /// The name JSON uses (`ok`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Info => "info",
            Verdict::Warning => "warning",
            Verdict::Error => "error",
        }
    }
}

/// The value a fix sets. Serialized as the bare JSON value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(untagged)]
pub enum FixValue {
    /// `host`, `username`, `email`.
    Text(String),
    /// `port`.
    Port(u16),
    /// `security`.
    Security(Security),
    /// `auth`.
    Auth(Auth),
    /// `pop3.leaveOnServer`.
    Flag(bool),
    /// `pop3.deleteAfterDays`.
    Days(u32),
    /// A whole server (`outgoing` when it is missing and the provider's is known).
    Server(Server),
}

/// A change that makes the finding go away: set `field` to `value`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
pub struct Fix {
    /// The field path, as in [`Finding::field`].
    pub field: String,
    /// The value to set it to.
    pub value: FixValue,
}

/// One problem or piece of advice about one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
pub struct Finding {
    /// Stable code: a family letter and three digits (`P101`).
    pub code: &'static str,
    /// Stable kebab-case rule name (`port-protocol-mismatch`).
    pub rule: &'static str,
    /// How bad it is.
    pub severity: Severity,
    /// The field it concerns (`incoming.port`, `email`, or `port` for a bare server).
    pub field: String,
    /// What is wrong, in one sentence, lower case first.
    pub message: String,
    /// What to do about it.
    pub help: String,
    /// The exact change, when the right value is knowable.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub fix: Option<Fix>,
    /// The rule's documentation.
    pub url: String,
}

impl Finding {
    /// A finding of the rule `code` (`rule` is its name) about `field`, with its fix setting that
    /// same field. Rules make findings through [`Rule::finding`].
    pub(crate) fn new(
        code: &'static str,
        rule: &'static str,
        severity: Severity,
        field: String,
        message: String,
        help: String,
        fix: Option<FixValue>,
    ) -> Finding {
        let fix = fix.map(|value| Fix {
            field: field.clone(),
            value,
        });
        Finding {
            code,
            rule,
            severity,
            field,
            message,
            help,
            fix,
            url: docs_url(code),
        }
    }
}

/// Where rule documentation lives, relative to the page root (the page renders `rules()` there).
/// The CLI shows the same text with `mailsetup rules CODE`.
pub const RULE_DOCS_PATH: &str = "rules.html#";

/// The documentation link for the rule `code` (`rules.html#P101`).
pub fn docs_url(code: &str) -> String {
    format!("{RULE_DOCS_PATH}{code}")
}

/// One rule: its identity and documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    /// Family letter + three digits, never reused.
    pub code: &'static str,
    /// Stable kebab-case name.
    pub name: &'static str,
    /// The severity of its findings.
    pub severity: Severity,
    /// One line, for listings.
    pub summary: &'static str,
    /// What it checks.
    pub what: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// An example of a failing setting and its fix.
    pub example: &'static str,
    /// Standards and provider pages behind the rule.
    pub references: &'static [&'static str],
}

impl Rule {
    /// A finding of this rule about `field`, with the fix (when the right value is knowable)
    /// setting that same field. The one way findings are made: settings rules, document lint and
    /// the probe all go through here.
    ///
    /// Always inlined, so that a call site reads only the code, name and severity out of the
    /// rule constant and never refers to the rule itself: a build without `rules()` (the
    /// WebAssembly embed module) then leaves every rule's documentation out.
    #[inline(always)]
    pub fn finding(
        &'static self,
        field: String,
        message: String,
        help: String,
        fix: Option<FixValue>,
    ) -> Finding {
        Finding::new(
            self.code,
            self.name,
            self.severity,
            field,
            message,
            help,
            fix,
        )
    }
}

/// A rule together with the function that checks it: one entry of a rule registry, so that a
/// rule's identity, documentation and check are one value, found by its code. `C` is the check's
/// type, which differs between the engines (settings, documents).
///
/// The engines run `check` through a list of the checks alone (a `const` made from the
/// registry): referring to the registry at run time would put every rule's documentation into
/// builds that never show it (the main WebAssembly module).
#[derive(Debug, Clone, Copy)]
pub(crate) struct CheckedRule<C: 'static> {
    /// Identity and documentation.
    pub rule: Rule,
    /// Emits the rule's findings.
    pub check: C,
    /// The cases it must fire on and stay silent on.
    #[cfg(test)]
    pub vectors: fn() -> Vec<Vector>,
}

/// The checks of a registry, copied out at compile time into a `const` (see [`CheckedRule`]);
/// `N` is the registry's length, `placeholder` fills the array before the copy.
pub(crate) const fn checks_of<C: Copy, const N: usize>(
    registry: &[&CheckedRule<C>],
    placeholder: C,
) -> [C; N] {
    let mut checks = [placeholder; N];
    let mut i = 0;
    while i < N {
        checks[i] = registry[i].check;
        i += 1;
    }
    checks
}

/// The provider a report was judged against, and what each server was judged against, with
/// where that comes from (so that a page can show the source and its date beside the settings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
pub struct ProviderRef {
    /// The provider's stable id (`gmail`).
    pub id: String,
    /// Its name (`Gmail`).
    pub name: String,
    /// True for a provider given at run time (an organisation's own), false for the curated
    /// table.
    pub defined: bool,
    /// For each server of the input that was judged against a documented endpoint: which one,
    /// and its sources. Empty in reports about documents.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub basis: Vec<Basis>,
}

/// The documented endpoint one server of the input was judged against, and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Basis {
    /// The server's field-path prefix: `incoming`, `outgoing`, or empty for a server alone.
    pub server: String,
    /// The provider's endpoint (its `sources` index `sources` below, in order).
    pub endpoint: Endpoint,
    /// Whether the provider's own documentation backs the endpoint.
    pub confirmed: bool,
    /// "per Gmail's own page (developers.google.cn, read 2026-12-02)", or "per Thunderbird's
    /// ISPDB (as of 2026-03-12) only; unconfirmed by KPN".
    pub attribution: String,
    /// The newest date among the sources (the copy's date, else the day it was read).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub as_of: Option<String>,
    /// The endpoint's sources.
    pub sources: Vec<Source>,
}

impl Basis {
    /// The basis of `endpoint` of `provider` for the server at `server` (`incoming`, …).
    pub fn of(provider: &Provider, server: &str, endpoint: &Endpoint) -> Basis {
        Basis {
            server: server.to_owned(),
            endpoint: endpoint.clone(),
            confirmed: endpoint.confirmed,
            attribution: provider.attribution(endpoint),
            as_of: provider.newest_date(endpoint),
            sources: provider.sources_of(endpoint).cloned().collect(),
        }
    }
}

impl From<&Provider> for ProviderRef {
    fn from(p: &Provider) -> ProviderRef {
        ProviderRef {
            id: p.id.clone(),
            name: p.name.clone(),
            defined: p.defined,
            basis: Vec::new(),
        }
    }
}

/// The result of a check: the verdict, the findings (worst first), and the input with every fix applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
pub struct Report {
    /// The worst severity among the findings.
    pub verdict: Verdict,
    /// The provider the input was judged against, when one was recognised.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub provider: Option<ProviderRef>,
    /// Worst first, then by field and code.
    pub findings: Vec<Finding>,
    /// The input with every fix applied; absent when no finding has a fix.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub fixed: Option<Settings>,
}

impl Report {
    /// Builds a report: sorts findings (worst first, then by field and code), computes the verdict.
    pub fn new(
        provider: Option<ProviderRef>,
        mut findings: Vec<Finding>,
        fixed: Option<Settings>,
    ) -> Report {
        findings.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then_with(|| a.field.cmp(&b.field))
                .then_with(|| a.code.cmp(b.code))
        });
        Report {
            verdict: Verdict::of(&findings),
            provider,
            findings,
            fixed,
        }
    }

    /// True when any finding is at error severity.
    pub fn has_errors(&self) -> bool {
        self.verdict == Verdict::Error
    }
}

/// Why a fix could not be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FixError {
    /// The settings have no such field (an `outgoing.` path without an outgoing server).
    #[error("no field `{0}` in these settings")]
    NoSuchField(String),
    /// The field holds another kind of value.
    #[error("a {value} cannot be stored in `{field}`")]
    WrongType {
        /// The field path.
        field: String,
        /// The kind of value the fix carries.
        value: &'static str,
    },
}

impl FixValue {
    fn kind(&self) -> &'static str {
        match self {
            FixValue::Text(_) => "text",
            FixValue::Port(_) => "port",
            FixValue::Security(_) => "security value",
            FixValue::Auth(_) => "auth value",
            FixValue::Flag(_) => "boolean",
            FixValue::Days(_) => "number of days",
            FixValue::Server(_) => "server",
        }
    }
}

impl Fix {
    /// Applies this fix to `settings`.
    pub fn apply(&self, settings: &mut Settings) -> Result<(), FixError> {
        let wrong = || FixError::WrongType {
            field: self.field.clone(),
            value: self.value.kind(),
        };
        let missing = || FixError::NoSuchField(self.field.clone());
        match settings {
            Settings::Server(s) => apply_server(s, &self.field, &self.value)
                .ok_or_else(missing)?
                .ok_or_else(wrong),
            Settings::Account(a) => apply_account(a, &self.field, &self.value)
                .ok_or_else(missing)?
                .ok_or_else(wrong),
        }
    }
}

/// `None`: no such field; `Some(None)`: wrong type; `Some(Some(()))`: applied.
#[allow(clippy::unit_arg)] // `Some(field = value)`: assign and report success in one arm
fn apply_server(s: &mut Server, field: &str, v: &FixValue) -> Option<Option<()>> {
    Some(match (field, v) {
        ("host", FixValue::Text(t)) => Some(s.host = t.clone()),
        ("port", FixValue::Port(p)) => Some(s.port = *p),
        ("security", FixValue::Security(x)) => Some(s.security = *x),
        ("auth", FixValue::Auth(x)) => Some(s.auth = Some(*x)),
        ("username", FixValue::Text(t)) => Some(s.username = Some(t.clone())),
        ("host" | "port" | "security" | "auth" | "username", _) => None,
        _ => return None,
    })
}

#[allow(clippy::unit_arg)]
fn apply_account(a: &mut Account, field: &str, v: &FixValue) -> Option<Option<()>> {
    if let Some(rest) = field.strip_prefix("incoming.") {
        return apply_server(&mut a.incoming, rest, v);
    }
    if let Some(rest) = field.strip_prefix("outgoing.") {
        return apply_server(a.outgoing.as_mut()?, rest, v);
    }
    Some(match (field, v) {
        ("email", FixValue::Text(t)) => Some(a.email = Some(t.clone())),
        ("outgoing", FixValue::Server(s)) => Some(a.outgoing = Some(s.clone())),
        ("pop3.leaveOnServer", FixValue::Flag(b)) => {
            let p = a.pop3.get_or_insert(crate::model::Pop3Options {
                leave_on_server: *b,
                delete_after_days: None,
            });
            Some(p.leave_on_server = *b)
        }
        ("pop3.deleteAfterDays", FixValue::Days(d)) => {
            let p = a.pop3.get_or_insert(crate::model::Pop3Options {
                leave_on_server: true,
                delete_after_days: None,
            });
            Some(p.delete_after_days = Some(*d))
        }
        ("email" | "outgoing" | "pop3.leaveOnServer" | "pop3.deleteAfterDays", _) => None,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Protocol;

    fn server() -> Server {
        Server {
            protocol: Protocol::Imap,
            host: "h".into(),
            port: 143,
            security: Security::None,
            auth: None,
            username: None,
        }
    }

    #[test]
    fn verdict_is_worst() {
        assert_eq!(Verdict::of(&[]), Verdict::Ok);
        let f = |s| Finding {
            code: "X000",
            rule: "x",
            severity: s,
            field: "port".into(),
            message: String::new(),
            help: String::new(),
            fix: None,
            url: String::new(),
        };
        assert_eq!(
            Verdict::of(&[f(Severity::Info), f(Severity::Error), f(Severity::Warning)]),
            Verdict::Error
        );
    }

    #[test]
    fn fixes_apply_by_path() {
        let mut s = Settings::Server(server());
        Fix {
            field: "port".into(),
            value: FixValue::Port(993),
        }
        .apply(&mut s)
        .unwrap();
        Fix {
            field: "security".into(),
            value: FixValue::Security(Security::Tls),
        }
        .apply(&mut s)
        .unwrap();
        let Settings::Server(ref srv) = s else {
            unreachable!()
        };
        assert_eq!((srv.port, srv.security), (993, Security::Tls));
        let bad = Fix {
            field: "port".into(),
            value: FixValue::Flag(true),
        }
        .apply(&mut s);
        assert!(matches!(bad, Err(FixError::WrongType { .. })));
        let bad = Fix {
            field: "incoming.port".into(),
            value: FixValue::Port(1),
        }
        .apply(&mut s);
        assert!(matches!(bad, Err(FixError::NoSuchField(_))));

        let mut a = Settings::Account(Account {
            email: None,
            incoming: server(),
            outgoing: None,
            pop3: None,
        });
        Fix {
            field: "incoming.host".into(),
            value: FixValue::Text("x".into()),
        }
        .apply(&mut a)
        .unwrap();
        Fix {
            field: "pop3.leaveOnServer".into(),
            value: FixValue::Flag(true),
        }
        .apply(&mut a)
        .unwrap();
        assert!(Fix {
            field: "outgoing.port".into(),
            value: FixValue::Port(1)
        }
        .apply(&mut a)
        .is_err());
        let Settings::Account(acc) = a else {
            unreachable!()
        };
        assert_eq!(acc.incoming.host, "x");
        assert!(acc.pop3.unwrap().leave_on_server);
    }
}
