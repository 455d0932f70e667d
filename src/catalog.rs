//! The catalog of every rule of every family — settings (H, P, T, A, V, O), document lint (D) and
//! network probe (N) — sorted by code, for listings (`mailsetup rules`, the rules page) and lookup.
//!
//! It sits above every layer that defines rules, so that no lower layer needs to know the others.

use crate::diagnostic::Rule;
use crate::documents::lint;
use crate::rules;

/// Every rule of the registry, sorted by code (a test keeps it so).
pub static RULES: &[&Rule] = &[
    &rules::auth::A301,
    &rules::auth::A302,
    &rules::auth::A303,
    &rules::auth::A304,
    &rules::auth::A305,
    &rules::auth::A306,
    &rules::auth::A307,
    &rules::auth::A308,
    &rules::auth::A309,
    &rules::auth::A310,
    &rules::auth::A311,
    &lint::structure::D001,
    &lint::structure::D002,
    &lint::structure::D003,
    &lint::structure::D004,
    &lint::structure::D005,
    &lint::values::D101,
    &lint::values::D102,
    &lint::values::D103,
    &lint::values::D104,
    &lint::values::D105,
    &lint::values::D106,
    &lint::values::D107,
    &lint::values::D108,
    &lint::values::D109,
    &lint::security::D201,
    &lint::security::D202,
    &lint::security::D203,
    &lint::security::D204,
    &lint::security::D205,
    &lint::security::D206,
    &rules::host::H001,
    &rules::host::H002,
    &rules::host::H003,
    &rules::host::H004,
    &rules::host::H005,
    &rules::host::H006,
    &rules::host::H007,
    &rules::host::H008,
    &rules::host::H009,
    &rules::host::H010,
    &rules::probe::N001,
    &rules::probe::N002,
    &rules::probe::N003,
    &rules::probe::N004,
    &rules::probe::N005,
    &rules::probe::N006,
    &rules::probe::N007,
    &rules::probe::N101,
    &rules::probe::N102,
    &rules::probe::N103,
    &rules::probe::N104,
    &rules::probe::N105,
    &rules::probe::N106,
    &rules::probe::N107,
    &rules::probe::N108,
    &rules::probe::N201,
    &rules::probe::N202,
    &rules::probe::N203,
    &rules::probe::N204,
    &rules::probe::N205,
    &rules::probe::N206,
    &rules::probe::N301,
    &rules::probe::N302,
    &rules::probe::N303,
    &rules::probe::N304,
    &rules::probe::N401,
    &rules::probe::N402,
    &rules::probe::N403,
    &rules::probe::N404,
    &rules::probe::N501,
    &rules::probe::N601,
    &rules::probe::N602,
    &rules::probe::N603,
    &rules::probe::N604,
    &rules::pop3::O501,
    &rules::pop3::O502,
    &rules::pop3::O503,
    &rules::pop3::O504,
    &rules::pop3::O505,
    &rules::pop3::O506,
    &rules::pop3::O507,
    &rules::port::P101,
    &rules::port::P102,
    &rules::port::P103,
    &rules::port::P104,
    &rules::port::P105,
    &rules::account::P106,
    &rules::account::P107,
    &rules::tls::T201,
    &rules::tls::T202,
    &rules::tls::T203,
    &rules::tls::T204,
    &rules::tls::T205,
    &rules::provider::V401,
    &rules::provider::V402,
    &rules::provider::V403,
    &rules::provider::V404,
    &rules::provider::V405,
    &rules::provider::V406,
    &rules::account::V407,
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
                    && b"HPTAVODN".contains(&b[0])
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
    fn lookup_by_code_or_name() {
        assert_eq!(lookup("p101").map(|r| r.code), Some("P101"));
        assert_eq!(
            lookup("port-protocol-mismatch").map(|r| r.code),
            Some("P101")
        );
        assert!(lookup("Z999").is_none());
    }
}
