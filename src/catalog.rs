//! The catalog of every rule of every family — settings (H, P, T, A, V, O), document lint (D),
//! network probe (N) and domain audit (C) — sorted by code, for listings (`mailsetup rules`, the
//! rules page) and lookup.
//!
//! It sits above every layer that defines rules, so that no lower layer needs to know the others.

use crate::audit;
use crate::diagnostic::Rule;
use crate::documents::lint;
use crate::probe;
use crate::rules;

/// Every rule of the registry, sorted by code (a test keeps it so).
pub static RULES: &[&Rule] = &[
    &rules::auth::A301.rule,
    &rules::auth::A302.rule,
    &rules::auth::A303.rule,
    &rules::auth::A304.rule,
    &rules::auth::A305.rule,
    &rules::auth::A306.rule,
    &rules::auth::A307.rule,
    &rules::auth::A308.rule,
    &rules::auth::A309.rule,
    &rules::auth::A310.rule,
    &rules::auth::A311.rule,
    &rules::auth::A312.rule,
    &audit::rules::C101,
    &audit::rules::C102,
    &audit::rules::C103,
    &audit::rules::C104,
    &audit::rules::C105,
    &audit::rules::C106,
    &audit::rules::C107,
    &audit::rules::C108,
    &audit::rules::C109,
    &audit::rules::C110,
    &audit::rules::C111,
    &audit::rules::C112,
    &audit::rules::C113,
    &audit::rules::C120,
    &audit::rules::C121,
    &lint::structure::D001.rule,
    &lint::structure::D002.rule,
    &lint::structure::D003.rule,
    &lint::structure::D004.rule,
    &lint::structure::D005.rule,
    &lint::structure::D006.rule,
    &lint::structure::D007.rule,
    &lint::structure::D008.rule,
    &lint::values::D101.rule,
    &lint::values::D102.rule,
    &lint::values::D103.rule,
    &lint::values::D104.rule,
    &lint::values::D105.rule,
    &lint::values::D106.rule,
    &lint::values::D107.rule,
    &lint::values::D108.rule,
    &lint::values::D109.rule,
    &lint::values::D110.rule,
    &lint::values::D111.rule,
    &lint::security::D201.rule,
    &lint::security::D202.rule,
    &lint::security::D203.rule,
    &lint::security::D204.rule,
    &lint::security::D205.rule,
    &lint::security::D206.rule,
    &lint::security::D207.rule,
    &lint::clients::D301.rule,
    &lint::clients::D302.rule,
    &lint::clients::D303.rule,
    &rules::host::H001.rule,
    &rules::host::H002.rule,
    &rules::host::H003.rule,
    &rules::host::H004.rule,
    &rules::host::H005.rule,
    &rules::host::H006.rule,
    &rules::host::H007.rule,
    &rules::host::H008.rule,
    &rules::host::H009.rule,
    &rules::host::H010.rule,
    &rules::lookalike::H011.rule,
    &rules::host::H012.rule,
    &rules::lookalike::H013.rule,
    &probe::rules::connection::N001,
    &probe::rules::connection::N002,
    &probe::rules::connection::N003,
    &probe::rules::connection::N004,
    &probe::rules::connection::N005,
    &probe::rules::connection::N006,
    &probe::rules::connection::N007,
    &probe::rules::connection::N008,
    &probe::rules::tls::N101,
    &probe::rules::tls::N102,
    &probe::rules::tls::N103,
    &probe::rules::tls::N104,
    &probe::rules::tls::N105,
    &probe::rules::tls::N106,
    &probe::rules::tls::N107,
    &probe::rules::tls::N108,
    &probe::rules::tls::N109,
    &probe::rules::tls::N110,
    &probe::rules::starttls::N201,
    &probe::rules::starttls::N202,
    &probe::rules::starttls::N203,
    &probe::rules::starttls::N204,
    &probe::rules::starttls::N205,
    &probe::rules::starttls::N206,
    &probe::rules::login::N301,
    &probe::rules::login::N302,
    &probe::rules::login::N303,
    &probe::rules::login::N304,
    &probe::rules::login::N305,
    &probe::rules::pop3::N401,
    &probe::rules::pop3::N402,
    &probe::rules::pop3::N403,
    &probe::rules::pop3::N404,
    &probe::rules::smtp::N501,
    &probe::rules::settings::N601,
    &probe::rules::settings::N602,
    &probe::rules::settings::N603,
    &probe::rules::settings::N604,
    &rules::pop3::O501.rule,
    &rules::pop3::O502.rule,
    &rules::pop3::O503.rule,
    &rules::pop3::O504.rule,
    &rules::pop3::O505.rule,
    &rules::pop3::O506.rule,
    &rules::pop3::O507.rule,
    &rules::port::P101.rule,
    &rules::port::P102.rule,
    &rules::port::P103.rule,
    &rules::port::P104.rule,
    &rules::port::P105.rule,
    &rules::port::P106.rule,
    &rules::port::P107.rule,
    &rules::port::P108.rule,
    &rules::tls::T201.rule,
    &rules::tls::T202.rule,
    &rules::tls::T203.rule,
    &rules::tls::T204.rule,
    &rules::tls::T205.rule,
    &rules::tls::T206.rule,
    &rules::tls::T207.rule,
    &rules::provider::V401.rule,
    &rules::provider::V402.rule,
    &rules::provider::V403.rule,
    &rules::provider::V404.rule,
    &rules::provider::V405.rule,
    &rules::provider::V406.rule,
    &rules::provider::V407.rule,
    &rules::provider::V408.rule,
    &rules::provider::V409.rule,
    &rules::provider::V410.rule,
    &rules::provider::V411.rule,
    &rules::provider::V412.rule,
];

/// A rule by its code (`P101`) or name (`port-protocol-mismatch`), case-insensitively.
pub fn lookup(code_or_name: &str) -> Option<&'static Rule> {
    let q = code_or_name.trim();
    RULES
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(q) || r.name.eq_ignore_ascii_case(q))
}

#[cfg(test)]
mod tests {
    use super::*;

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
                    && b"HPTAVODNC".contains(&b[0])
                    && b[1..].iter().all(u8::is_ascii_digit),
                "{}",
                r.code
            );
            assert!(
                r.name.starts_with(|c: char| c.is_ascii_lowercase())
                    && r.name
                        .bytes()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-'),
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
        }
    }

    /// The catalog lists exactly the rules of the registries that check them (settings,
    /// documents and the audit; each of those has its check and its vectors beside it), and the
    /// N rules.
    #[test]
    fn catalog_matches_the_registries() {
        let mut want: Vec<&str> = rules::registry::SETTINGS
            .iter()
            .map(|r| r.rule.code)
            .chain(lint::RULES.iter().map(|r| r.rule.code))
            .chain(audit::rules::RULES.iter().map(|r| r.code))
            .collect();
        want.sort_unstable();
        let have: Vec<&str> = RULES
            .iter()
            .map(|r| r.code)
            .filter(|c| !c.starts_with('N'))
            .collect();
        assert_eq!(have, want);
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
