//! Email addresses: the one place where an address is split at its `@` and its syntax judged.
//!
//! An address is split at its last `@` (RFC 5321 §4.1.2: the domain follows the last `@`; a
//! quoted local part may hold one), by [`split`]. Every part of the crate that needs the local
//! part or the domain of an address goes through it, [`Email::split`] or [`domain_of`].

use super::{Host, HostKind};

/// An email address split into its parts, with its syntax judged once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Email<'a> {
    /// The address, trimmed.
    pub address: &'a str,
    /// The part before the last `@`.
    pub local: &'a str,
    /// The part after the last `@`, as typed (any case, a trailing dot kept).
    pub domain: &'a str,
    /// Why the address is not a valid `local@domain`, or `None` when it is.
    pub invalid: Option<&'static str>,
}

/// `(local, domain)`: `text` split at its last `@`, as typed; `None` without an `@`.
pub fn split(text: &str) -> Option<(&str, &str)> {
    text.rsplit_once('@')
}

impl<'a> Email<'a> {
    /// Splits a typed address (trimmed) at its last `@`; `None` when it has no `@`.
    pub fn split(text: &'a str) -> Option<Email<'a>> {
        let address = text.trim();
        let (local, domain) = split(address)?;
        Some(Email {
            address,
            local,
            domain,
            invalid: address_problem(address).err(),
        })
    }

    /// The address when its syntax is valid.
    pub fn valid(&self) -> Option<&'a str> {
        self.invalid.is_none().then_some(self.address)
    }
}

/// The domain part of an email address (after its last `@`), or the text itself when it has no
/// `@`; trimmed, without a trailing dot, case kept.
pub fn domain_of(email_or_domain: &str) -> &str {
    let t = email_or_domain.trim();
    split(t).map_or(t, |(_, d)| d).trim_end_matches('.')
}

/// Checks `local@domain` syntax as mail clients need it (RFC 5321 §4.1.2 / RFC 5322 dot-atom,
/// non-ASCII allowed as in RFC 6531); the error says what is wrong.
pub fn address_problem(s: &str) -> Result<(), &'static str> {
    let Some((local, domain)) = split(s) else {
        return Err("it has no @");
    };
    if local.contains('@') {
        return Err("it has more than one @");
    }
    if has_space_or_control(s) {
        return Err("it contains spaces or control characters");
    }
    if local.is_empty() {
        return Err("nothing comes before the @");
    }
    if local.len() > 64 {
        return Err("the part before the @ is longer than 64 characters");
    }
    let l = local.as_bytes();
    if l[0] == b'.' || l[l.len() - 1] == b'.' || l.windows(2).any(|w| w == b"..") {
        return Err("the part before the @ has a misplaced dot");
    }
    // RFC 5322 atext and dots; bytes of non-ASCII characters are allowed (RFC 6531).
    let atext =
        |b: &u8| !b.is_ascii() || b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~.-".contains(b);
    if !l.iter().all(atext) {
        return Err("the part before the @ has a character addresses cannot contain");
    }
    if domain.is_empty() {
        return Err("nothing comes after the @");
    }
    if !domain_is_valid(domain) {
        return Err("the part after the @ is not a valid domain name");
    }
    if !domain.trim_end_matches('.').contains('.') {
        return Err("the domain after the @ has no dot");
    }
    Ok(())
}

/// Whitespace or control characters anywhere, checked bytewise for ASCII text.
fn has_space_or_control(s: &str) -> bool {
    if s.is_ascii() {
        s.bytes().any(|b| b <= b' ' || b == 0x7f)
    } else {
        s.chars().any(|c| c.is_whitespace() || c.is_control())
    }
}

/// A domain name as [`Host::parse`] accepts it (a name, not an IP; case and a trailing dot
/// allowed), checked without allocating for ASCII names.
fn domain_is_valid(domain: &str) -> bool {
    if !domain.is_ascii() {
        let h = Host::parse(domain);
        return h.kind == Some(HostKind::Name) && h.is_clean();
    }
    let d = domain.strip_suffix('.').unwrap_or(domain);
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    !d.is_empty()
        && d.len() <= 253
        && d.split('.').all(label_ok)
        && !d
            .rsplit('.')
            .next()
            .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_the_last_at() {
        let e = Email::split("  me@example.com ").unwrap();
        assert_eq!(
            (e.address, e.local, e.domain),
            ("me@example.com", "me", "example.com")
        );
        assert_eq!(e.valid(), Some("me@example.com"));
        let e = Email::split("a@b@example.com").unwrap();
        assert_eq!((e.local, e.domain), ("a@b", "example.com"));
        assert_eq!(e.invalid, Some("it has more than one @"));
        assert!(Email::split("nobody").is_none());
    }

    #[test]
    fn domains() {
        assert_eq!(domain_of(" Me@Example.COM. "), "Example.COM");
        assert_eq!(domain_of("gmail.com"), "gmail.com");
        assert_eq!(domain_of("a@b@c.org"), "c.org");
    }

    #[test]
    fn address_syntax() {
        for ok in [
            "me@example.com",
            "first.last+tag@sub.example.org",
            "jörg@bücher.example",
        ] {
            assert_eq!(address_problem(ok), Ok(()), "{ok}");
        }
        let cases = [
            ("me", "it has no @"),
            ("a@b@c.com", "it has more than one @"),
            ("m e@x.com", "it contains spaces or control characters"),
            ("@x.com", "nothing comes before the @"),
            ("me.@x.com", "the part before the @ has a misplaced dot"),
            (
                "m(e)@x.com",
                "the part before the @ has a character addresses cannot contain",
            ),
            ("me@", "nothing comes after the @"),
            (
                "me@-x.com",
                "the part after the @ is not a valid domain name",
            ),
            (
                "me@1.2.3.4",
                "the part after the @ is not a valid domain name",
            ),
            ("me@localhost", "the domain after the @ has no dot"),
        ];
        for (bad, why) in cases {
            assert_eq!(address_problem(bad), Err(why), "{bad}");
        }
    }
}
