//! The Public Suffix List: which part of a host name is the domain someone registered
//! (`aspmx.l.google.com` → `google.com`). The list's rules are data (`data/`), read once by the
//! `publicsuffix` crate; internationalised rules are put in A-labels with the model's IDNA (the
//! `idna` crate natively, the browser's own in WebAssembly), since discovery compares A-labels.

use crate::model::Host;
use publicsuffix::{List, Psl};
use std::sync::OnceLock;

/// The rules, one a line (see data/README.md).
const RULES: &str = include_str!("data/public_suffix_list.txt");

/// The list, read at first use (a few milliseconds).
fn list() -> &'static List {
    static LIST: OnceLock<List> = OnceLock::new();
    LIST.get_or_init(|| read(RULES))
}

/// The rules as `publicsuffix` reads them: its format's section marker first (the file has none:
/// every rule counts alike here), each non-ASCII label in A-labels. A rule that cannot be put in
/// A-labels is left out (a test holds the vendored list to none).
fn read(rules: &str) -> List {
    let mut text = String::with_capacity(rules.len() + 64);
    text.push_str("// ===BEGIN ICANN DOMAINS===\n");
    for rule in rules.lines().map(str::trim) {
        if rule.is_empty() || rule.starts_with("//") {
            continue;
        }
        match ascii_rule(rule) {
            Some(r) => text.push_str(&r),
            None => continue,
        }
        text.push('\n');
    }
    // The list is ours and tested; were it ever unreadable, no rule is safer than a panic: every
    // name then falls back to the implicit `*` rule (the last two labels).
    text.parse().unwrap_or_default()
}

/// A rule with its non-ASCII labels in A-labels (`!` and `*` kept).
fn ascii_rule(rule: &str) -> Option<String> {
    if rule.is_ascii() {
        return Some(rule.to_ascii_lowercase());
    }
    let (bang, body) = match rule.strip_prefix('!') {
        Some(b) => ("!", b),
        None => ("", rule),
    };
    let labels: Option<Vec<String>> = body
        .split('.')
        .map(|label| match label {
            "*" => Some("*".to_owned()),
            l if l.is_ascii() => Some(l.to_ascii_lowercase()),
            l => {
                let h = Host::parse(l);
                (h.problems
                    .iter()
                    .all(|p| matches!(p, crate::model::HostProblem::UpperCase))
                    && !h.ascii.contains('.'))
                .then_some(h.ascii)
            }
        })
        .collect();
    Some(format!("{bang}{}", labels?.join(".")))
}

/// The registrable domain of a host in A-labels, lower case, without a trailing dot; `None`
/// when the host is a public suffix itself (or empty).
pub fn registrable_domain(host: &str) -> Option<String> {
    let d = list().domain(host.as_bytes())?;
    std::str::from_utf8(d.as_bytes()).ok().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vendored_rule_is_read() {
        let skipped: Vec<&str> = RULES
            .lines()
            .filter(|r| !r.trim().is_empty() && ascii_rule(r.trim()).is_none())
            .collect();
        assert!(skipped.is_empty(), "rules left out: {skipped:?}");
        assert!(!list().is_empty());
    }

    #[test]
    fn registrable_domains() {
        for (host, want) in [
            ("aspmx.l.google.com", Some("google.com")),
            ("mx.example.co.uk", Some("example.co.uk")),
            (
                "example-org.mail.protection.outlook.com",
                Some("outlook.com"),
            ),
            ("mx1.mail.ovh.net", Some("ovh.net")),
            // Wildcard and exception rules: *.ck, !www.ck.
            ("a.b.ck", Some("a.b.ck")),
            ("www.ck", Some("www.ck")),
            // An internationalised suffix, in A-labels (中国 is xn--fiqs8s).
            ("mail.example.xn--fiqs8s", Some("example.xn--fiqs8s")),
            // A private suffix: each user's subdomain is its own.
            ("mx.someone.github.io", Some("someone.github.io")),
            ("co.uk", None),
            ("", None),
        ] {
            assert_eq!(registrable_domain(host).as_deref(), want, "{host}");
        }
    }
}
