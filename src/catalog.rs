//! The catalog of every rule of every family — settings (H, P, T, A, V, O), document lint (D) and
//! network probe (N) — sorted by code, for listings (`mailsetup rules`, the rules page) and lookup.
//!
//! It sits above every layer that defines rules, so that no lower layer needs to know the others.

use crate::diagnostic::Rule;
use crate::probe;
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
    &rules::document::D001,
    &rules::document::D002,
    &rules::document::D003,
    &rules::document::D004,
    &rules::document::D005,
    &rules::document::D101,
    &rules::document::D102,
    &rules::document::D103,
    &rules::document::D104,
    &rules::document::D105,
    &rules::document::D106,
    &rules::document::D107,
    &rules::document::D108,
    &rules::document::D109,
    &rules::document::D201,
    &rules::document::D202,
    &rules::document::D203,
    &rules::document::D204,
    &rules::document::D205,
    &rules::document::D206,
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
    &probe::rules::connection::N001,
    &probe::rules::connection::N002,
    &probe::rules::connection::N003,
    &probe::rules::connection::N004,
    &probe::rules::connection::N005,
    &probe::rules::connection::N006,
    &probe::rules::connection::N007,
    &probe::rules::tls::N101,
    &probe::rules::tls::N102,
    &probe::rules::tls::N103,
    &probe::rules::tls::N104,
    &probe::rules::tls::N105,
    &probe::rules::tls::N106,
    &probe::rules::tls::N107,
    &probe::rules::tls::N108,
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
    &probe::rules::pop3::N401,
    &probe::rules::pop3::N402,
    &probe::rules::pop3::N403,
    &probe::rules::pop3::N404,
    &probe::rules::smtp::N501,
    &probe::rules::settings::N601,
    &probe::rules::settings::N602,
    &probe::rules::settings::N603,
    &probe::rules::settings::N604,
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
