//! The rule registry and the engine that runs it.
//!
//! Every rule is a [`Rule`] constant in the file of its family, with its documentation and its
//! pass/fail vectors beside it; [`RULES`] lists them all, sorted by code. A family's `check`
//! function looks at the [`Analysis`] of the input and emits findings through [`Findings::emit`].
//!
//! Families (the letter of the code): H host, P port/transport, T TLS, A auth and username,
//! V provider policy, O POP3 options, D document lint, N network probe. Codes are never reused.

mod account;
mod auth;
mod document;
mod host;
mod pop3;
mod port;
pub mod probe;
mod provider;
mod tls;

use crate::diagnostic::{Finding, Fix, FixValue, Report, Severity};
use crate::model::{Host, Server, Settings};
use crate::providers::{self, Provider};
use serde::Serialize;

/// Where rule documentation lives, relative to the page root (the page renders `rules()` there).
/// The CLI shows the same text with `mailsetup rules CODE`.
pub const RULE_DOCS_PATH: &str = "rules.html#";

/// One rule: identity, documentation and test vectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    /// Family letter + three digits, never reused.
    pub code: &'static str,
    /// Stable kebab-case name.
    pub name: &'static str,
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
    /// Inputs (Account or Server JSON) on which the rule must stay silent.
    #[serde(skip)]
    pub pass: &'static [&'static str],
    /// Inputs on which the rule must fire.
    #[serde(skip)]
    pub fail: &'static [&'static str],
}

impl Rule {
    /// The documentation link for this rule.
    pub fn url(&self) -> String {
        format!("{RULE_DOCS_PATH}{}", self.code)
    }
}

/// Every rule of the registry, sorted by code (a test keeps it so).
pub static RULES: &[&Rule] = &[
    &document::D001,
    &document::D002,
    &document::D003,
    &document::D004,
    &document::D005,
    &document::D101,
    &document::D102,
    &document::D103,
    &document::D104,
    &document::D105,
    &document::D106,
    &document::D107,
    &document::D108,
    &document::D109,
    &document::D201,
    &document::D202,
    &document::D203,
    &document::D204,
    &document::D205,
    &document::D206,
    &host::H001,
    &host::H002,
    &host::H003,
    &host::H004,
    &host::H005,
    &probe::N001,
    &probe::N002,
    &probe::N003,
    &probe::N004,
    &probe::N005,
    &probe::N006,
    &probe::N007,
    &probe::N101,
    &probe::N102,
    &probe::N103,
    &probe::N104,
    &probe::N105,
    &probe::N106,
    &probe::N107,
    &probe::N108,
    &probe::N201,
    &probe::N202,
    &probe::N203,
    &probe::N204,
    &probe::N205,
    &probe::N206,
    &probe::N301,
    &probe::N302,
    &probe::N303,
    &probe::N304,
    &probe::N401,
    &probe::N402,
    &probe::N403,
    &probe::N404,
    &probe::N501,
    &probe::N601,
    &probe::N602,
    &probe::N603,
    &probe::N604,
    &port::P101,
];

pub(crate) use document::check as check_document;

/// A rule by its code (`P101`) or name (`port-protocol-mismatch`), case-insensitively.
pub fn lookup(code_or_name: &str) -> Option<&'static Rule> {
    let q = code_or_name.trim();
    RULES
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(q) || r.name.eq_ignore_ascii_case(q))
}

/// A server of the input, with its field-path prefix and its host already parsed.
#[derive(Debug)]
pub struct ServerView<'a> {
    /// `incoming.`, `outgoing.` or empty for a bare server.
    pub prefix: &'static str,
    pub server: &'a Server,
    pub host: Host,
}

impl ServerView<'_> {
    /// The field path of one of this server's fields.
    pub fn field(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }
}

/// An email address split into its parts (syntax is judged by the rules, not here).
#[derive(Debug, Clone, Copy)]
pub struct Email<'a> {
    pub address: &'a str,
    pub local: &'a str,
    pub domain: &'a str,
}

impl<'a> Email<'a> {
    fn split(address: &'a str) -> Option<Email<'a>> {
        let t = address.trim();
        let (local, domain) = t.rsplit_once('@')?;
        Some(Email {
            address: t,
            local,
            domain,
        })
    }
}

/// How the provider was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderBy {
    /// The email address's domain.
    Email,
    /// The incoming (or outgoing) server's host.
    Host,
}

/// Everything the rules need to know about one input, computed once.
#[derive(Debug)]
pub struct Analysis<'a> {
    pub settings: &'a Settings,
    pub servers: Vec<ServerView<'a>>,
    pub email: Option<Email<'a>>,
    /// The provider whose rules apply, and how it was recognised.
    pub provider: Option<(&'static Provider, ProviderBy)>,
}

impl<'a> Analysis<'a> {
    pub fn new(settings: &'a Settings) -> Analysis<'a> {
        let servers: Vec<ServerView<'a>> = settings
            .servers()
            .map(|(prefix, server)| ServerView {
                prefix,
                server,
                host: Host::parse(&server.host),
            })
            .collect();
        let email = settings.email().and_then(Email::split);
        let provider = email
            .and_then(|e| providers::by_email(e.domain))
            .map(|p| (p, ProviderBy::Email))
            .or_else(|| {
                servers
                    .iter()
                    .find_map(|s| providers::by_host(&s.host.ascii))
                    .map(|p| (p, ProviderBy::Host))
            });
        Analysis {
            settings,
            servers,
            email,
            provider,
        }
    }

    pub fn provider(&self) -> Option<&'static Provider> {
        self.provider.map(|(p, _)| p)
    }

    /// True when the input is a whole account (field paths have `incoming.`/`outgoing.` prefixes).
    pub fn is_account(&self) -> bool {
        matches!(self.settings, Settings::Account(_))
    }
}

/// The findings being collected.
#[derive(Debug, Default)]
pub struct Findings(Vec<Finding>);

impl Findings {
    /// Records a finding of `rule` about `field`.
    pub fn emit(
        &mut self,
        rule: &'static Rule,
        field: String,
        message: String,
        help: String,
        fix: Option<FixValue>,
    ) {
        let fix = fix.map(|value| Fix {
            field: field.clone(),
            value,
        });
        self.0.push(Finding {
            code: rule.code,
            rule: rule.name,
            severity: rule.severity,
            field,
            message,
            help,
            fix,
            url: rule.url(),
        });
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

/// Validates an account or a bare server: every rule, the provider it was judged against, and the
/// input with every fix applied.
pub fn validate(settings: &Settings) -> Report {
    let analysis = Analysis::new(settings);
    let mut out = Findings::default();
    host::check(&analysis, &mut out);
    port::check(&analysis, &mut out);
    tls::check(&analysis, &mut out);
    auth::check(&analysis, &mut out);
    provider::check(&analysis, &mut out);
    pop3::check(&analysis, &mut out);
    account::check(&analysis, &mut out);
    let fixed = apply_fixes(settings, &out.0);
    Report::new(analysis.provider().map(Provider::as_ref), out.0, fixed)
}

/// The input with every fix applied (the first fix for a field wins); `None` when there is none.
fn apply_fixes(settings: &Settings, findings: &[Finding]) -> Option<Settings> {
    let mut fixes: Vec<&Fix> = findings.iter().filter_map(|f| f.fix.as_ref()).collect();
    if fixes.is_empty() {
        return None;
    }
    // Worst finding first decides a field; a whole-server fix goes before fixes inside it.
    fixes.sort_by_key(|f| f.field.matches('.').count());
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
    use crate::error::parse_settings_json;

    #[test]
    fn registry_is_sorted_unique_and_documented() {
        for w in RULES.windows(2) {
            assert!(
                w[0].code < w[1].code,
                "RULES not sorted: {} then {}",
                w[0].code,
                w[1].code
            );
        }
        let mut names: Vec<_> = RULES.iter().map(|r| r.name).collect();
        names.sort();
        let n = names.len();
        names.dedup();
        assert_eq!(n, names.len(), "duplicate rule name");
        for r in RULES {
            let b = r.code.as_bytes();
            assert!(
                b.len() == 4
                    && b"HPTAVODN".contains(&b[0])
                    && b[1..].iter().all(u8::is_ascii_digit),
                "{}",
                r.code
            );
            assert!(
                r.name.bytes().all(|c| c.is_ascii_lowercase() || c == b'-'),
                "{}: name {}",
                r.code,
                r.name
            );
            for (what, text) in [
                ("summary", r.summary),
                ("what", r.what),
                ("why", r.why),
                ("example", r.example),
            ] {
                assert!(!text.trim().is_empty(), "{}: empty {what}", r.code);
            }
            assert!(!r.references.is_empty(), "{}: no references", r.code);
            if !r.code.starts_with(['D', 'N']) {
                assert!(
                    !r.pass.is_empty() && !r.fail.is_empty(),
                    "{}: needs pass and fail vectors",
                    r.code
                );
            }
        }
    }

    #[test]
    fn rule_vectors() {
        for r in RULES {
            for (vectors, must_fire) in [(r.pass, false), (r.fail, true)] {
                for json in vectors {
                    let settings = parse_settings_json(json)
                        .unwrap_or_else(|e| panic!("{}: bad vector {json}: {e}", r.code));
                    let report = validate(&settings);
                    let fired = report.findings.iter().any(|f| f.code == r.code);
                    assert_eq!(
                        fired, must_fire,
                        "{} on {json}: {:#?}",
                        r.code, report.findings
                    );
                }
            }
        }
    }

    #[test]
    fn lookup_by_code_or_name() {
        assert_eq!(lookup("p101").map(|r| r.code), Some("P101"));
        assert_eq!(
            lookup("port-protocol-mismatch").map(|r| r.code),
            Some("P101")
        );
        assert!(lookup("Z999").is_none());
    }
}
