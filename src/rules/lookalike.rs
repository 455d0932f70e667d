//! H011, H013: hosts whose letters are not what they look like. A host that looks like a known
//! provider's host or domain but is another name (UTS #39 confusable skeletons: a Cyrillic а, a
//! Greek ο, a dotless ı), and any other internationalised host, shown as the A-label a client
//! really looks up.

use super::analysis::{Analysis, Field};
use super::findings::Findings;
use super::registry::SettingsRule;
#[cfg(test)]
use crate::diagnostic::Vector;
use crate::diagnostic::{Rule, Severity};
use crate::model::{lookalike, Host};
use crate::providers::{self, Provider};
use crate::text::Quoted;

pub(crate) const H011: SettingsRule = SettingsRule {
    rule: Rule {
        code: "H011",
        name: "host-lookalike",
        severity: Severity::Error,
        summary: "the host looks like a known provider's server but is another name",
        what: "A host whose letters look like those of a known provider's host or domain but are other \
               characters (a Cyrillic а, a Greek ο, a dotless ı): the same Unicode confusable skeleton \
               (UTS #39), another name. Typed in Unicode or as the A-label (`xn--…`) it becomes.",
        why: "A client connects to the name the characters spell, not to the one they resemble: a name \
              anyone can register, and a classic way to collect passwords (a homograph attack). Such \
              a host usually comes from a message or a page that meant to deceive.",
        example: "`imap.gmаil.com` with a Cyrillic а is `imap.xn--gmil-63d.com`, not `imap.gmail.com`.",
        references: &[
            "UTS #39 §4 (confusable detection)",
            "RFC 5890 (IDNA)",
            "the provider table (`mailsetup providers`)",
        ],
    },
    check: host_lookalike,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "H011",
                "Gmail's own host",
                r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls"}"#,
            ),
            Vector::silent(
                "H011",
                "an internationalised name like no known one",
                r#"{"protocol":"imap","host":"mail.bücher.example","port":993,"security":"tls"}"#,
            ),
            Vector::fires(
                "H011",
                "imap.gmаil.com with a Cyrillic а",
                r#"{"protocol":"imap","host":"imap.gm\u0430il.com","port":993,"security":"tls"}"#,
            ),
            Vector::fires(
                "H011",
                "ımap.gmail.com with a dotless ı",
                r#"{"protocol":"imap","host":"\u0131map.gmail.com","port":993,"security":"tls"}"#,
            ),
            Vector::fires(
                "H011",
                "imap.gmail.cοm with a Greek ο",
                r#"{"protocol":"imap","host":"imap.gmail.c\u03bfm","port":993,"security":"tls"}"#,
            ),
            Vector::fires(
                "H011",
                "the A-label of the Cyrillic one",
                r#"{"protocol":"imap","host":"imap.xn--gmil-63d.com","port":993,"security":"tls"}"#,
            ),
            Vector::fires(
                "H011",
                "a server under a lookalike of Gmail's domain, with a Gmail address",
                r#"{"email":"me@gmail.com","incoming":{"protocol":"imap","host":"mail.gm\u0430il.com","port":993,"security":"tls"}}"#,
            ),
        ]
    },
};

fn host_lookalike(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let Some(look) = lookalike_of(&s.host) else {
            continue;
        };
        out.emit(
            &H011.rule,
            s.field(Field::Host),
            format!(
                "{} looks like {} ({}) but is another name: {}; clients would connect to {}",
                Quoted(&look.unicode),
                look.known,
                look.provider.name,
                disguise(&look.unicode),
                s.host.ascii
            ),
            format!(
                "type the server by hand from your provider's help page: {} is not {}",
                s.host.ascii, look.known
            ),
            s.host_fix(),
        );
    }
}

pub(crate) const H013: SettingsRule = SettingsRule {
    rule: Rule {
        code: "H013",
        name: "host-internationalized",
        severity: Severity::Warning,
        summary: "the host is an internationalised name: clients look up its A-label",
        what: "A host with non-ASCII letters, or with an A-label (`xn--…`) typed as such, that looks like \
               no known provider's host. The message shows both forms, and the letters that only look \
               like ASCII ones (a Cyrillic а among Latin letters).",
        why: "What a client looks up is the A-label, which shows nothing of what the letters look like; \
              letters of another script that look like Latin ones are how a lookalike server is \
              disguised. Check the name against your provider's help; typing the A-label gives \
              every client exactly that name (some older ones cannot convert it themselves).",
        example: "`mail.bücher.example` → clients look up `mail.xn--bcher-kva.example`.",
        references: &["RFC 5890 (IDNA)", "RFC 3492 (Punycode)", "UTS #39 §5 (mixed scripts)"],
    },
    check: host_internationalized,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "H013",
                "an ASCII host",
                r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"}"#,
            ),
            Vector::silent(
                "H013",
                "a lookalike of Gmail's host (H011 says more)",
                r#"{"protocol":"imap","host":"imap.gm\u0430il.com","port":993,"security":"tls"}"#,
            ),
            Vector::fires(
                "H013",
                "an internationalised name",
                r#"{"protocol":"imap","host":"mail.bücher.example","port":993,"security":"tls"}"#,
            ),
            Vector::fires(
                "H013",
                "an A-label typed as such",
                r#"{"protocol":"imap","host":"mail.xn--bcher-kva.example","port":993,"security":"tls"}"#,
            ),
            Vector::fires(
                "H013",
                "a Cyrillic а among Latin letters of an unknown name",
                r#"{"protocol":"smtp","host":"mail.p\u0430ypal.com","port":465,"security":"tls"}"#,
            ),
        ]
    },
};

fn host_internationalized(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        if !s.host.has_a_label() || lookalike_of(&s.host).is_some() {
            continue;
        }
        let Some(unicode) = s.host.unicode() else {
            continue;
        };
        let mut message = format!(
            "{} is an internationalised name: clients look up {}",
            Quoted(&unicode),
            s.host.ascii
        );
        // Letters that only look like ASCII ones (a Cyrillic а among Latin letters).
        let disguised = disguise(&unicode);
        if !disguised.is_empty() {
            message.push_str("; its letters are not all what they look like: ");
            message.push_str(&disguised);
        }
        out.emit(
            &H013.rule,
            s.field(Field::Host),
            message,
            format!(
                "check the name against your provider's help; type {} to give every client exactly this name",
                s.host.ascii
            ),
            s.host_fix(),
        );
    }
}

/// `"а" (\u{430}) looks like a, "ο" (\u{3bf}) looks like o`: the non-ASCII letters of `unicode`
/// that look like ASCII.
fn disguise(unicode: &str) -> String {
    let mut out = String::new();
    for c in unicode.chars().filter(|c| !c.is_ascii()) {
        if let Some(skeleton) = lookalike(c) {
            if !out.is_empty() {
                out.push_str(", ");
            }
            out.push_str(&format!(
                "{} (\\u{{{:x}}}) looks like {skeleton}",
                Quoted(c.encode_utf8(&mut [0; 4])),
                u32::from(c)
            ));
        }
    }
    out
}

/// What a lookalike host was taken for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Known {
    /// A server host of the provider.
    Host,
    /// One of the provider's email domains (the host is that domain or a name under it).
    Domain,
}

/// A host that looks like a known one.
#[derive(Debug)]
pub(super) struct Lookalike {
    unicode: String,
    known: &'static str,
    provider: &'static Provider,
    of: Known,
}

/// The known host, or provider domain, that `host` looks like without being it: internationalised
/// names only (an ASCII misspelling is a typo, H006). A host matches a known host when their
/// skeletons are equal, and a provider domain when it is that domain, or a name under it, by
/// skeleton; the host match wins.
///
/// Plain loops over the table, the known skeletons worked out on each call (a few hundred short
/// ASCII names, and only for a host with an A-label): a cached index and iterator chains cost
/// more of the WebAssembly module's budget than they save in time.
pub(super) fn lookalike_of(host: &Host) -> Option<Lookalike> {
    if !host.has_a_label() {
        return None;
    }
    let skeleton = host.skeleton()?;
    let unicode = host.unicode()?;
    // Known names are ASCII, in lower case: their skeletons need no parsing, only what each
    // ASCII character looks like, looked up once per call.
    let ascii: Vec<Option<&'static str>> = (0..128u8).map(|b| lookalike(char::from(b))).collect();
    let skeleton_of = |name: &str| -> Option<String> {
        let mut out = String::with_capacity(name.len() + 4);
        for c in name.chars() {
            match ascii.get(c as usize).copied().flatten() {
                Some(s) => out.push_str(s),
                None => out.push(c),
            }
        }
        Some(out)
    };
    for (known, provider) in providers::hosts_by_length() {
        if skeleton_of(known).as_deref() == Some(skeleton.as_str()) {
            return Some(Lookalike {
                unicode,
                known,
                provider,
                of: Known::Host,
            });
        }
    }
    for provider in providers::all() {
        for domain in provider.domain_names() {
            let Some(d) = skeleton_of(domain) else {
                continue;
            };
            let under = skeleton == d
                || skeleton
                    .strip_suffix(d.as_str())
                    .is_some_and(|rest| rest.ends_with('.'));
            if under && !unicode.ends_with(domain) {
                return Some(Lookalike {
                    unicode,
                    known: domain,
                    provider,
                    of: Known::Domain,
                });
            }
        }
    }
    None
}

/// The known host `host` looks like, for the typo search (H006 and the fix take it from there).
pub(super) fn lookalike_host(host: &Host) -> Option<(&'static str, &'static Provider)> {
    lookalike_of(host)
        .filter(|l| l.of == Known::Host)
        .map(|l| (l.known, l.provider))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn looks_like(h: &str) -> Option<&'static str> {
        lookalike_of(&Host::parse(h)).map(|l| l.known)
    }

    #[test]
    fn the_reported_spoofs_are_seen() {
        for spoof in [
            "imap.gm\u{430}il.com",
            "\u{131}map.gmail.com",
            "imap.gmail.c\u{3bf}m",
            "imap.xn--gmil-63d.com",
            "IMAP.GM\u{410}IL.COM",
        ] {
            assert_eq!(looks_like(spoof), Some("imap.gmail.com"), "{spoof}");
        }
        assert_eq!(looks_like("mail.gm\u{430}il.com"), Some("gmail.com"));
        assert_eq!(looks_like("g\u{43c}ail.com"), None, "Cyrillic м is not m");
    }

    #[test]
    fn ascii_and_honest_names_are_not_lookalikes() {
        for h in [
            "imap.gmail.com",
            "imap.gmai1.com", // an ASCII typo: H006's
            "mail.b\u{fc}cher.example",
            "xn--zz.example.com",
            "127.0.0.1",
            "",
        ] {
            assert_eq!(looks_like(h), None, "{h}");
        }
    }

    #[test]
    fn every_known_name_has_a_skeleton() {
        // Known names are ASCII: each has one, so none can be missed.
        let hosts = providers::hosts_by_length().map(|(h, _)| h);
        let domains = providers::all().iter().flat_map(|p| p.domain_names());
        for name in hosts.chain(domains) {
            assert!(Host::parse(name).skeleton().is_some(), "{name}");
        }
    }
}
