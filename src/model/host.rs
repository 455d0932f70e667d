//! Host names as people type them: pasted URLs, `host:port`, stray whitespace, upper case, a
//! trailing dot, internationalised names, IP literals.
//!
//! [`Host::parse`] turns what was typed into the name a client should be given, and says what it had
//! to undo on the way, so the rules can explain it. It never fails: syntax problems are reported in
//! [`Host::problems`], because a finding is more useful than an error.

use crate::text::Quoted;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// What kind of host a cleaned host string is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostKind {
    /// A DNS name (ASCII, after IDNA).
    Name,
    /// An IPv4 or IPv6 literal.
    Ip(IpAddr),
}

/// Something [`Host::parse`] had to undo or could not accept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostProblem {
    /// Nothing was typed.
    Empty,
    /// A URL was pasted (`imaps://mail.example.com/`); the scheme and path were dropped.
    Url {
        /// The scheme, in lower case (`imaps`).
        scheme: String,
    },
    /// A port was typed with the host (`mail.example.com:993`).
    Port(u16),
    /// Leading or trailing whitespace.
    Whitespace,
    /// Upper-case letters (harmless to DNS, but the canonical form is lower case).
    UpperCase,
    /// A trailing dot (a fully qualified name; some clients refuse it).
    TrailingDot,
    /// An email address (or `user@host`) was typed where the host goes.
    AtSign,
    /// The name breaks RFC 1123 syntax; the text says how.
    Syntax(String),
}

/// A host as typed, cleaned and classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    /// The name to give the client: trimmed, lower case, no trailing dot, IDNA A-labels.
    pub ascii: String,
    /// Name or IP literal; `None` when the syntax is broken beyond use.
    pub kind: Option<HostKind>,
    /// Whether the typed name had non-ASCII labels (IDNA applied).
    pub internationalized: bool,
    /// Everything that had to be undone or is wrong, in the order found.
    pub problems: Vec<HostProblem>,
}

/// Longest DNS name in text form (RFC 1035 §2.3.4, less the root's trailing dot).
pub const MAX_HOST_LEN: usize = 253;
/// Longest label (RFC 1035 §2.3.4).
pub const MAX_LABEL_LEN: usize = 63;

impl Host {
    /// Cleans and classifies a typed host. Never fails; see [`Host::problems`].
    pub fn parse(typed: &str) -> Host {
        let mut problems = Vec::new();
        let mut s = typed;
        if s.trim() != s {
            problems.push(HostProblem::Whitespace);
            s = s.trim();
        }
        if s.is_empty() {
            problems.push(HostProblem::Empty);
            return Host {
                ascii: String::new(),
                kind: None,
                internationalized: false,
                problems,
            };
        }
        // A pasted URL: scheme://[user@]host[:port][/path]
        if let Some(i) = s.find("://") {
            let scheme = &s[..i];
            if !scheme.is_empty()
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
            {
                problems.push(HostProblem::Url {
                    scheme: scheme.to_ascii_lowercase(),
                });
                s = &s[i + 3..];
                s = s.split(['/', '?', '#']).next().unwrap_or("");
            }
        } else if let Some(rest) = strip_prefix_ignore_case(s, "mailto:") {
            problems.push(HostProblem::Url {
                scheme: "mailto".into(),
            });
            s = rest;
        }
        // An address or a URL's user part before the host: the host is what follows the last @.
        if let Some((_, after)) = super::email::split(s) {
            problems.push(HostProblem::AtSign);
            s = after;
        }
        // host:port, [v6]:port, but not a bare IPv6 literal.
        let mut host_part = s;
        if let Some(inner) = s.strip_prefix('[') {
            if let Some(end) = inner.find(']') {
                host_part = &inner[..end];
                if let Some(p) = inner[end + 1..].strip_prefix(':') {
                    push_port(&mut problems, p);
                }
            }
        } else if s.matches(':').count() == 1 {
            let (h, p) = s.split_once(':').unwrap_or((s, ""));
            host_part = h;
            push_port(&mut problems, p);
        }
        let mut name = host_part;
        if name.len() > 1 && name.ends_with('.') {
            problems.push(HostProblem::TrailingDot);
            name = &name[..name.len() - 1];
        }
        if name.chars().any(|c| c.is_uppercase()) {
            problems.push(HostProblem::UpperCase);
        }
        if let Ok(ip) = name.parse::<IpAddr>() {
            return Host {
                ascii: ip.to_string(),
                kind: Some(HostKind::Ip(ip)),
                internationalized: false,
                problems,
            };
        }
        let internationalized = !name.is_ascii();
        // An A-label typed as such (`xn--…`) must be one IDNA accepts: Punycode that decodes to a
        // label IDNA allows, in the form it would write (`xn--zz` is none of that).
        if !internationalized && has_a_label(name) {
            let lower = name.to_ascii_lowercase();
            if domain_to_ascii(&lower).as_deref() != Some(lower.as_str()) {
                problems.push(HostProblem::Syntax(
                    "an xn-- label is not a valid internationalised label (IDNA): its Punycode does not decode to a name IDNA allows".into(),
                ));
                return Host {
                    ascii: lower,
                    kind: None,
                    internationalized,
                    problems,
                };
            }
        }
        let ascii = if internationalized {
            match domain_to_ascii(name) {
                Some(a) => a,
                None => {
                    problems.push(HostProblem::Syntax(format!(
                        "{} is not a valid internationalised domain name (IDNA)",
                        Quoted(name)
                    )));
                    return Host {
                        // ASCII case only: Unicode case tables would add 8 KB (gzip) to the wasm.
                        ascii: name.to_ascii_lowercase(),
                        kind: None,
                        internationalized,
                        problems,
                    };
                }
            }
        } else {
            name.to_ascii_lowercase()
        };
        let kind = match check_syntax(&ascii) {
            Ok(()) => Some(HostKind::Name),
            Err(why) => {
                problems.push(HostProblem::Syntax(why));
                None
            }
        };
        Host {
            ascii,
            kind,
            internationalized,
            problems,
        }
    }

    /// True for 127.0.0.0/8, ::1 and `localhost` (a local bridge such as Proton Mail Bridge).
    pub fn is_loopback(&self) -> bool {
        match self.kind {
            Some(HostKind::Ip(ip)) => ip.is_loopback(),
            Some(HostKind::Name) => self.ascii == "localhost" || self.ascii.ends_with(".localhost"),
            None => false,
        }
    }

    /// The name as a person reads it and as IDNA maps it (lower case, NFC): each A-label of
    /// [`Host::ascii`] decoded to its U-label. `None` for an IP literal or a name that is not
    /// valid; for an all-ASCII name, the name.
    pub fn unicode(&self) -> Option<String> {
        if self.kind != Some(HostKind::Name) {
            return None;
        }
        let mut out = String::with_capacity(self.ascii.len());
        for label in self.ascii.split('.') {
            if !out.is_empty() {
                out.push('.');
            }
            match label.strip_prefix("xn--") {
                Some(puny) => out.push_str(&punycode_decode(puny)?),
                None => out.push_str(label),
            }
        }
        Some(out)
    }

    /// Whether the name a client resolves has internationalised labels (`xn--…`), typed as such
    /// or made by IDNA from non-ASCII letters.
    pub fn has_a_label(&self) -> bool {
        self.kind == Some(HostKind::Name) && has_a_label(&self.ascii)
    }

    /// The UTS #39 confusable skeleton of the name ([`Host::unicode`]) when it is made of ASCII
    /// letters, digits, `-` and `.`, the characters of every known host and provider domain: two
    /// names with the same skeleton look alike (`imap.gmаil.com` with a Cyrillic а, and
    /// `imap.gmail.com`, are both `imap.grnail.corn`). `None` when the skeleton has other
    /// characters, since such a name cannot pass for an ASCII one.
    pub fn skeleton(&self) -> Option<String> {
        let unicode = self.unicode()?;
        let mut out = String::with_capacity(unicode.len());
        for c in unicode.chars() {
            match lookalike(c) {
                Some(skeleton) => out.push_str(skeleton),
                None if c.is_ascii() => out.push(c),
                None => return None,
            }
        }
        Some(out)
    }

    /// True for an IP literal.
    pub fn is_ip(&self) -> bool {
        matches!(self.kind, Some(HostKind::Ip(_)))
    }

    /// True when the host is usable as typed by a client after the harmless clean-ups only
    /// (case, trailing dot): no URL, port, at-sign, whitespace, or syntax error.
    pub fn is_clean(&self) -> bool {
        self.kind.is_some()
            && self
                .problems
                .iter()
                .all(|p| matches!(p, HostProblem::UpperCase | HostProblem::TrailingDot))
    }

    /// The port typed inside the host field, if any.
    pub fn typed_port(&self) -> Option<u16> {
        self.problems.iter().find_map(|p| match p {
            HostProblem::Port(p) => Some(*p),
            _ => None,
        })
    }

    /// Whether an IPv4/IPv6 literal is a private, link-local or otherwise non-public address.
    pub fn is_private_ip(&self) -> bool {
        match self.kind {
            Some(HostKind::Ip(IpAddr::V4(v4))) => is_private_v4(v4),
            Some(HostKind::Ip(IpAddr::V6(v6))) => is_private_v6(v6),
            _ => false,
        }
    }
}

/// What a character a host name may hold after IDNA looks like (UTS #39), when that is ASCII
/// and not itself: its skeleton (`а` U+0430 → `a`; `ı` → `i`; `m` → `rn`).
pub fn lookalike(c: char) -> Option<&'static str> {
    super::confusables::LOOKALIKES.split(' ').find_map(|group| {
        let (skeleton, chars) = group.split_once('=')?;
        chars.contains(c).then_some(skeleton)
    })
}

/// RFC 3492 §6.2: the Unicode label a label's Punycode (what follows `xn--`) encodes, or `None`
/// when it is not Punycode.
///
/// Not the `idna` crate's decoder, which the native build has: in the WebAssembly module, where
/// the browser does the rest of IDNA, it cost 1,440 bytes (gzip) of the main module's 100 KB
/// budget, against about a third of that for this (measured with the lookalike rules, which need
/// it). `tests/confusables.rs` holds it to the crate's on every label it round-trips.
pub fn punycode_decode(input: &str) -> Option<String> {
    const BASE: u32 = 36;
    const T_MIN: u32 = 1;
    const T_MAX: u32 = 26;
    let adapt = |delta: u32, points: u32, first: bool| {
        let mut delta = delta / if first { 700 } else { 2 };
        delta += delta / points;
        let mut k = 0;
        while delta > (BASE - T_MIN) * T_MAX / 2 {
            delta /= BASE - T_MIN;
            k += BASE;
        }
        k + (BASE - T_MIN + 1) * delta / (delta + 38)
    };
    // The last `-` ends the basic code points, unless it is the first character.
    let (basic, digits) = match input.rfind('-') {
        Some(i) if i > 0 => (&input[..i], &input[i + 1..]),
        _ => ("", input),
    };
    if !input.is_ascii() {
        return None;
    }
    let mut output: Vec<char> = basic.chars().collect();
    let (mut n, mut i, mut bias) = (0x80u32, 0u32, 72u32);
    let mut digits = digits.bytes().peekable();
    while digits.peek().is_some() {
        let (old_i, mut w, mut k) = (i, 1u32, BASE);
        loop {
            let digit = match digits.next()? {
                b @ b'a'..=b'z' => b - b'a',
                b @ b'A'..=b'Z' => b - b'A',
                b @ b'0'..=b'9' => b - b'0' + 26,
                _ => return None,
            } as u32;
            i = i.checked_add(digit.checked_mul(w)?)?;
            let t = k.saturating_sub(bias).clamp(T_MIN, T_MAX);
            if digit < t {
                break;
            }
            w = w.checked_mul(BASE - t)?;
            k += BASE;
        }
        let points = output.len() as u32 + 1;
        bias = adapt(i - old_i, points, old_i == 0);
        n = n.checked_add(i / points)?;
        i %= points;
        output.insert(i as usize, char::from_u32(n)?);
        i += 1;
    }
    Some(output.into_iter().collect())
}

fn has_a_label(name: &str) -> bool {
    name.split('.')
        .any(|l| l.len() >= 4 && l.is_char_boundary(4) && l[..4].eq_ignore_ascii_case("xn--"))
}

fn is_private_v4(ip: Ipv4Addr) -> bool {
    ip.is_private()
        || ip.is_link_local()
        || ip.is_loopback()
        || ip.is_unspecified()
        || ip.octets()[0] == 100 && (ip.octets()[1] & 0xc0) == 64
}

fn is_private_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    ip.is_loopback()
        || ip.is_unspecified()
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
}

fn push_port(problems: &mut Vec<HostProblem>, p: &str) {
    match p.parse::<u16>() {
        Ok(n) if n > 0 => problems.push(HostProblem::Port(n)),
        _ => problems.push(HostProblem::Syntax(format!(
            "{} after the colon is not a port number",
            Quoted(p)
        ))),
    }
}

/// IDNA ToASCII (UTS #46 with the WHATWG URL Standard's options) for a name with non-ASCII
/// labels; `None` when the name is not a valid internationalised domain name.
///
/// Natively this is the `idna` crate. On wasm32 its Unicode tables would double the size of the
/// module, and the browser has the same algorithm built in (its URL parser), so the embedder
/// supplies it through [`set_idna`]; without it, non-ASCII names are refused.
fn domain_to_ascii(name: &str) -> Option<String> {
    #[cfg(not(target_arch = "wasm32"))]
    return idna::domain_to_ascii(name).ok();
    #[cfg(target_arch = "wasm32")]
    return IDNA.get().and_then(|to_ascii| to_ascii(name));
}

#[cfg(target_arch = "wasm32")]
static IDNA: std::sync::OnceLock<fn(&str) -> Option<String>> = std::sync::OnceLock::new();

/// Supplies IDNA ToASCII on wasm32 (see `domain_to_ascii`); the first call wins. Natively the
/// `idna` crate is always used and this does nothing.
pub fn set_idna(to_ascii: fn(&str) -> Option<String>) {
    #[cfg(target_arch = "wasm32")]
    let _ = IDNA.set(to_ascii);
    #[cfg(not(target_arch = "wasm32"))]
    let _ = to_ascii;
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    (s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix))
    .then(|| &s[prefix.len()..])
}

/// RFC 1123 §2.1 host name syntax (letters, digits, hyphens; labels 1–63; total ≤ 253), with
/// underscores refused too (valid in DNS, never in a mail server's host name).
fn check_syntax(ascii: &str) -> Result<(), String> {
    if ascii.len() > MAX_HOST_LEN {
        return Err(format!(
            "the name is {} characters long; the limit is {MAX_HOST_LEN}",
            ascii.len()
        ));
    }
    for label in ascii.split('.') {
        if label.is_empty() {
            return Err("the name has an empty label (two dots in a row, or a leading dot)".into());
        }
        if label.len() > MAX_LABEL_LEN {
            return Err(format!(
                "the label {} is {} characters long; the limit is {MAX_LABEL_LEN}",
                Quoted(label),
                label.len()
            ));
        }
        if let Some(c) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
        {
            return Err(format!(
                "{} is not allowed in a host name (letters, digits, hyphens and dots only)",
                Quoted(c.encode_utf8(&mut [0; 4]))
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(format!(
                "the label {} starts or ends with a hyphen",
                Quoted(label)
            ));
        }
    }
    if ascii
        .rsplit('.')
        .next()
        .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(
            "the last label is all digits, which is neither a name nor a complete IP address"
                .into(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_name() {
        let h = Host::parse("imap.gmail.com");
        assert_eq!(h.ascii, "imap.gmail.com");
        assert!(h.problems.is_empty() && h.is_clean());
    }

    #[test]
    fn cleanups() {
        let h = Host::parse("  IMAP.Gmail.com. ");
        assert_eq!(h.ascii, "imap.gmail.com");
        assert_eq!(
            h.problems,
            [
                HostProblem::Whitespace,
                HostProblem::TrailingDot,
                HostProblem::UpperCase
            ]
        );
    }

    #[test]
    fn pasted_url_and_port() {
        let h = Host::parse("imaps://imap.gmail.com:993/INBOX");
        assert_eq!(h.ascii, "imap.gmail.com");
        assert_eq!(h.typed_port(), Some(993));
        assert!(matches!(&h.problems[0], HostProblem::Url { scheme } if scheme == "imaps"));
        let h = Host::parse("smtp.example.com:587");
        assert_eq!(
            (h.ascii.as_str(), h.typed_port()),
            ("smtp.example.com", Some(587))
        );
        assert!(!h.is_clean());
    }

    #[test]
    fn idna() {
        let h = Host::parse("mail.bücher.example");
        assert_eq!(h.ascii, "mail.xn--bcher-kva.example");
        assert!(h.internationalized && h.is_clean());
    }

    #[test]
    fn a_labels_are_checked_and_read() {
        for bad in [
            "xn--zz.example.com",
            "xn--.com",
            "imap.xn--a.com",
            "XN--ZZ.example",
        ] {
            let h = Host::parse(bad);
            assert!(h.kind.is_none(), "{bad}: {h:?}");
            assert!(
                matches!(&h.problems[..], [.., HostProblem::Syntax(why)] if why.contains("not a valid internationalised label")),
                "{bad}: {:?}",
                h.problems
            );
        }
        let h = Host::parse("imap.xn--gmil-63d.com");
        assert!(h.is_clean() && h.has_a_label() && !h.internationalized);
        assert_eq!(h.unicode().as_deref(), Some("imap.gm\u{430}il.com"));
        let h = Host::parse("imap.gm\u{430}il.com");
        assert_eq!(h.ascii, "imap.xn--gmil-63d.com");
        assert_eq!(h.unicode().as_deref(), Some("imap.gm\u{430}il.com"));
        assert!(!Host::parse("imap.gmail.com").has_a_label());
        assert_eq!(Host::parse("127.0.0.1").unicode(), None);
    }

    #[test]
    fn skeletons_see_through_lookalikes() {
        let skeleton = |h: &str| Host::parse(h).skeleton();
        let gmail = skeleton("imap.gmail.com");
        assert!(gmail.is_some());
        for spoof in [
            "imap.gm\u{430}il.com",
            "\u{131}map.gmail.com",
            "imap.gmail.c\u{3bf}m",
            "imap.xn--gmil-63d.com",
            "imap.gmai1.com",
        ] {
            assert_eq!(skeleton(spoof), gmail, "{spoof}");
        }
        assert_eq!(skeleton("mail.b\u{fc}cher.example"), None);
        assert_ne!(skeleton("imap.gmial.com"), gmail);
        assert_eq!(lookalike('\u{430}'), Some("a"));
        assert_eq!(lookalike('m'), Some("rn"));
        assert_eq!(lookalike('a'), None);
    }

    #[test]
    fn ip_literals() {
        let h = Host::parse("127.0.0.1");
        assert!(h.is_ip() && h.is_loopback());
        let h = Host::parse("[::1]:1143");
        assert!(h.is_loopback());
        assert_eq!(h.typed_port(), Some(1143));
        assert!(Host::parse("::1").is_loopback());
        assert!(Host::parse("192.168.1.10").is_private_ip());
        assert!(!Host::parse("8.8.8.8").is_private_ip());
    }

    #[test]
    fn syntax_errors() {
        for bad in [
            "mail..example.com",
            "-mail.example.com",
            "mail_box.example.com",
            "a b.com",
            "1.2.3.999",
        ] {
            let h = Host::parse(bad);
            assert!(h.kind.is_none(), "{bad}: {h:?}");
        }
        let long = format!("{}.com", "a".repeat(64));
        assert!(Host::parse(&long).kind.is_none());
        assert!(Host::parse(&format!("{}com", "abcdefghi.".repeat(26)))
            .kind
            .is_none());
    }

    #[test]
    fn email_in_host_field() {
        let h = Host::parse("me@mail.example.com");
        assert_eq!(h.ascii, "mail.example.com");
        assert!(h.problems.contains(&HostProblem::AtSign));
    }

    #[test]
    fn empty() {
        assert_eq!(
            Host::parse("   ").problems,
            [HostProblem::Whitespace, HostProblem::Empty]
        );
    }
}
