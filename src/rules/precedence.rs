//! Precedence: which finding gives way to which. A check says what it sees; when two rules speak
//! about one field, the table below, not the order the checks run in, decides which finding stays.
//! It is applied once, after every check ran ([`apply`]).

use super::{auth, host, lookalike, pop3, port, provider, tls};
use crate::diagnostic::Finding;

/// A finding of `silenced` is dropped when a finding of one of `by` concerns the same field (or,
/// for [`Precedence::anywhere`], any field).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Precedence {
    pub silenced: &'static str,
    pub by: &'static [&'static str],
    /// Whether `by` must be about the same field.
    pub same_field: bool,
}

impl Precedence {
    /// `silenced` gives way to `by` on the field both concern.
    pub const fn same_field(silenced: &'static str, by: &'static [&'static str]) -> Precedence {
        Precedence {
            silenced,
            by,
            same_field: true,
        }
    }

    /// `silenced` gives way to `by` wherever the finding of `by` is.
    pub const fn anywhere(silenced: &'static str, by: &'static [&'static str]) -> Precedence {
        Precedence {
            silenced,
            by,
            same_field: false,
        }
    }
}

/// Every host rule but H001, which a host's emptiness silences.
const HOST_SAYS_MORE: &[&str] = &[
    host::H001.rule.code,
    host::H002.rule.code,
    host::H003.rule.code,
    host::H004.rule.code,
    host::H006.rule.code,
    host::H007.rule.code,
    host::H008.rule.code,
    host::H009.rule.code,
    lookalike::H011.rule.code,
    host::H012.rule.code,
];

/// The settings rules' precedence. Closed under transitivity (a test keeps it so): when A
/// silences B and B silences C on a field, A silences C, so the result never depends on which
/// silenced finding is dropped first.
pub(crate) const SETTINGS: &[Precedence] = &[
    // An empty host: nothing else about it is worth saying.
    Precedence::same_field(host::H002.rule.code, &[host::H001.rule.code]),
    Precedence::same_field(host::H003.rule.code, &[host::H001.rule.code]),
    Precedence::same_field(host::H004.rule.code, &[host::H001.rule.code]),
    Precedence::same_field(host::H007.rule.code, &[host::H001.rule.code]),
    Precedence::same_field(host::H008.rule.code, &[host::H001.rule.code]),
    Precedence::same_field(host::H009.rule.code, &[host::H001.rule.code]),
    // A host that is not a valid name is no misspelling of a known one; a lookalike is more
    // than a misspelling.
    Precedence::same_field(
        host::H006.rule.code,
        &[
            host::H001.rule.code,
            host::H004.rule.code,
            lookalike::H011.rule.code,
        ],
    ),
    // An internationalised name that looks like a known one: H011 says what it is.
    Precedence::same_field(lookalike::H013.rule.code, &[lookalike::H011.rule.code]),
    // An IP address, then canonical form, are worth saying only when nothing worse is said.
    Precedence::same_field(host::H010.rule.code, HOST_SAYS_MORE),
    Precedence::same_field(
        host::H005.rule.code,
        &[
            host::H001.rule.code,
            host::H002.rule.code,
            host::H003.rule.code,
            host::H004.rule.code,
            host::H006.rule.code,
            host::H007.rule.code,
            host::H008.rule.code,
            host::H009.rule.code,
            host::H010.rule.code,
            lookalike::H011.rule.code,
            host::H012.rule.code,
        ],
    ),
    // A port the provider does not serve: the more specific port rules say why.
    Precedence::same_field(
        port::P104.rule.code,
        &[
            port::P101.rule.code,
            port::P102.rule.code,
            port::P103.rule.code,
        ],
    ),
    Precedence::same_field(
        port::P108.rule.code,
        &[
            port::P101.rule.code,
            port::P102.rule.code,
            port::P103.rule.code,
            port::P104.rule.code,
        ],
    ),
    // Security none on an implicit-TLS port does not connect at all (P102): not a cleartext risk.
    Precedence::same_field(tls::T201.rule.code, &[port::P102.rule.code]),
    Precedence::same_field(tls::T202.rule.code, &[port::P102.rule.code]),
    Precedence::same_field(
        tls::T203.rule.code,
        &[port::P102.rule.code, tls::T207.rule.code],
    ),
    // The provider's security: only when no other rule already speaks about the security.
    Precedence::same_field(
        tls::T205.rule.code,
        &[
            port::P102.rule.code,
            tls::T201.rule.code,
            tls::T202.rule.code,
            tls::T203.rule.code,
            tls::T204.rule.code,
            tls::T207.rule.code,
        ],
    ),
    Precedence::same_field(
        tls::T206.rule.code,
        &[
            port::P102.rule.code,
            tls::T201.rule.code,
            tls::T202.rule.code,
            tls::T203.rule.code,
            tls::T204.rule.code,
            tls::T205.rule.code,
            tls::T207.rule.code,
        ],
    ),
    // One username problem at a time, the most basic first.
    Precedence::same_field(auth::A303.rule.code, &[auth::A301.rule.code]),
    Precedence::same_field(
        auth::A304.rule.code,
        &[auth::A301.rule.code, auth::A303.rule.code],
    ),
    Precedence::same_field(
        auth::A312.rule.code,
        &[auth::A301.rule.code, auth::A303.rule.code],
    ),
    Precedence::same_field(
        auth::A305.rule.code,
        &[
            auth::A301.rule.code,
            auth::A303.rule.code,
            auth::A304.rule.code,
            auth::A312.rule.code,
        ],
    ),
    Precedence::same_field(
        auth::A307.rule.code,
        &[
            auth::A301.rule.code,
            auth::A303.rule.code,
            auth::A304.rule.code,
            auth::A312.rule.code,
            auth::A305.rule.code,
        ],
    ),
    // Recent-mode advice only for a username nothing is wrong with.
    Precedence::same_field(
        pop3::O505.rule.code,
        &[
            auth::A301.rule.code,
            auth::A302.rule.code,
            auth::A303.rule.code,
            auth::A304.rule.code,
            auth::A312.rule.code,
            auth::A305.rule.code,
            auth::A307.rule.code,
        ],
    ),
    // Servers of two providers: the host rules already speak about a host they question.
    Precedence::same_field(
        provider::V407.rule.code,
        &[
            host::H001.rule.code,
            host::H002.rule.code,
            host::H003.rule.code,
            host::H004.rule.code,
            host::H005.rule.code,
            host::H006.rule.code,
            host::H007.rule.code,
            host::H008.rule.code,
            host::H009.rule.code,
            host::H010.rule.code,
            lookalike::H011.rule.code,
            host::H012.rule.code,
            lookalike::H013.rule.code,
        ],
    ),
    // The refusal (V401-V403) says more than "not documented" (V408) or "unknown" (V409).
    Precedence::same_field(
        provider::V408.rule.code,
        &[
            provider::V401.rule.code,
            provider::V402.rule.code,
            provider::V403.rule.code,
        ],
    ),
    // "Not offered" says more than "not documented".
    Precedence::same_field(provider::V411.rule.code, &[provider::V406.rule.code]),
];

/// Drops every finding that gives way (by `table`) to another finding.
pub(crate) fn apply(findings: &mut Vec<Finding>, table: &[Precedence]) {
    // The findings that silence others: few, even when a lint has thousands of findings.
    let silencers: Vec<(&str, &str)> = findings
        .iter()
        .filter(|g| table.iter().any(|p| p.by.contains(&g.code)))
        .map(|g| (g.code, g.field.as_str()))
        .collect();
    if silencers.is_empty() {
        return;
    }
    let silenced = |f: &Finding| {
        table.iter().any(|p| {
            p.silenced == f.code
                && silencers.iter().any(|(code, field)| {
                    p.by.contains(code) && (!p.same_field || *field == f.field)
                })
        })
    };
    let drop: Vec<bool> = findings.iter().map(silenced).collect();
    let mut keep = drop.iter().map(|d| !d);
    findings.retain(|_| keep.next().unwrap_or(true));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn silencers(code: &str) -> Vec<&'static str> {
        SETTINGS
            .iter()
            .filter(|p| p.silenced == code)
            .flat_map(|p| p.by.iter().copied())
            .collect()
    }

    /// Each rule is named once as `silenced`, never silences itself, and every code is a
    /// settings rule.
    #[test]
    fn table_is_well_formed() {
        let codes: Vec<&str> = super::super::registry::SETTINGS
            .iter()
            .map(|r| r.rule.code)
            .collect();
        for (i, p) in SETTINGS.iter().enumerate() {
            assert!(codes.contains(&p.silenced), "{}", p.silenced);
            assert!(
                !p.by.contains(&p.silenced),
                "{} silences itself",
                p.silenced
            );
            for b in p.by {
                assert!(codes.contains(b), "{b}");
            }
            assert!(
                SETTINGS[..i].iter().all(|q| q.silenced != p.silenced),
                "{} twice",
                p.silenced
            );
        }
    }

    /// When A silences B and B silences C, A silences C: then dropping every silenced finding at
    /// once gives what dropping them one by one, in any order, would.
    #[test]
    fn table_is_transitive() {
        for p in SETTINGS {
            for b in p.by {
                for a in silencers(b) {
                    assert!(
                        silencers(p.silenced).contains(&a),
                        "{a} silences {b}, which silences {}, but {a} does not silence {}",
                        p.silenced,
                        p.silenced
                    );
                }
            }
        }
    }

    #[test]
    fn apply_drops_only_on_the_same_field() {
        let f = |code: &'static str, field: &str| Finding {
            code,
            rule: "x",
            severity: crate::diagnostic::Severity::Error,
            field: field.into(),
            message: String::new(),
            help: String::new(),
            fix: None,
            url: String::new(),
        };
        let mut v = vec![
            f("H006", "host"),
            f("H004", "host"),
            f("H006", "incoming.host"),
        ];
        apply(&mut v, SETTINGS);
        let left: Vec<(&str, &str)> = v.iter().map(|f| (f.code, f.field.as_str())).collect();
        assert_eq!(left, [("H004", "host"), ("H006", "incoming.host")]);
    }
}
