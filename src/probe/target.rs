//! What to probe: targets as typed (`host`, `host:port`, `[v6]:port`, `imaps://host:port`), and
//! their expansion into endpoints (one per port and security).

use super::report::Role;
use crate::model::ports::*;
use crate::model::{Host, HostKind, Protocol, Security};

/// A target as given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// As typed.
    pub text: String,
    /// The host: a DNS name (lower case, IDNA A-labels) or an IP literal without brackets.
    pub host: String,
    /// The port, when the target gives one (a URL scheme gives its default).
    pub port: Option<u16>,
    /// From a URL scheme (`imaps://` → IMAP).
    pub protocol: Option<Protocol>,
    /// From a URL scheme (`imaps://` → implicit TLS, `imap://` → STARTTLS).
    pub security: Option<Security>,
}

/// URL schemes: protocol, security, default port.
const SCHEMES: &[(&str, Protocol, Security, u16)] = &[
    ("imap", Protocol::Imap, Security::Starttls, IMAP),
    ("imaps", Protocol::Imap, Security::Tls, IMAPS),
    ("pop", Protocol::Pop3, Security::Starttls, POP3),
    ("pop3", Protocol::Pop3, Security::Starttls, POP3),
    ("pop3s", Protocol::Pop3, Security::Tls, POP3S),
    ("pops", Protocol::Pop3, Security::Tls, POP3S),
    ("smtp", Protocol::Smtp, Security::Starttls, SUBMISSION),
    ("smtps", Protocol::Smtp, Security::Tls, SUBMISSIONS),
    ("submission", Protocol::Smtp, Security::Starttls, SUBMISSION),
    ("submissions", Protocol::Smtp, Security::Tls, SUBMISSIONS),
];

/// The ports whose use is standard: protocol and security (RFC 8314 §7, RFC 6409, RFC 9051).
pub const fn port_use(port: u16) -> Option<(Protocol, Security)> {
    Some(match port {
        IMAP => (Protocol::Imap, Security::Starttls),
        IMAPS => (Protocol::Imap, Security::Tls),
        POP3 => (Protocol::Pop3, Security::Starttls),
        POP3S => (Protocol::Pop3, Security::Tls),
        SUBMISSION | SMTP_RELAY => (Protocol::Smtp, Security::Starttls),
        SUBMISSIONS => (Protocol::Smtp, Security::Tls),
        _ => return None,
    })
}

/// The standard client endpoints of a protocol: implicit TLS first (RFC 8314 prefers it), then STARTTLS.
pub const fn standard_endpoints(p: Protocol) -> [(u16, Security); 2] {
    match p {
        Protocol::Imap => [(IMAPS, Security::Tls), (IMAP, Security::Starttls)],
        Protocol::Pop3 => [(POP3S, Security::Tls), (POP3, Security::Starttls)],
        Protocol::Smtp => [
            (SUBMISSIONS, Security::Tls),
            (SUBMISSION, Security::Starttls),
        ],
    }
}

/// The standard port for a protocol and security (cleartext shares the STARTTLS port).
pub const fn standard_port(p: Protocol, s: Security) -> u16 {
    let [tls, starttls] = standard_endpoints(p);
    match s {
        Security::Tls => tls.0,
        _ => starttls.0,
    }
}

const PROTOCOLS: [Protocol; 3] = [Protocol::Imap, Protocol::Pop3, Protocol::Smtp];

impl Target {
    /// Parses `host`, `host:port`, `[v6]:port`, a bare IPv6 literal, or `scheme://host[:port][/]`.
    pub fn parse(text: &str) -> Result<Target, String> {
        let t = text.trim();
        if t.is_empty() {
            return Err("empty target; give a host name, host:port or imaps://host".into());
        }
        let (scheme, rest) = match t.split_once("://") {
            Some((s, r)) => {
                let known = SCHEMES
                    .iter()
                    .find(|(name, ..)| name.eq_ignore_ascii_case(s))
                    .ok_or_else(|| {
                        format!(
                            "unknown scheme {s:?} in {t:?}; use one of {}",
                            SCHEMES.iter().map(|s| s.0).collect::<Vec<_>>().join(", ")
                        )
                    })?;
                (Some(known), r.trim_end_matches('/'))
            }
            None => (None, t),
        };
        if rest.contains(['/', '@', '?', '#']) {
            return Err(format!(
                "{t:?} is not a host[:port]: no path, user or query belongs in a probe target"
            ));
        }
        let (host, port) = split_host_port(rest).ok_or_else(|| {
            format!("{t:?}: the part after the last colon is not a port number (1-65535)")
        })?;
        let parsed = Host::parse(host);
        if parsed.kind.is_none() {
            return Err(format!("{host:?} is not a host name or IP address"));
        }
        let host = match parsed.kind {
            Some(HostKind::Ip(ip)) => ip.to_string(),
            _ => parsed.ascii,
        };
        Ok(Target {
            text: t.to_string(),
            host,
            port: port.or(scheme.map(|s| s.3)),
            protocol: scheme.map(|s| s.1),
            security: scheme.map(|s| s.2),
        })
    }
}

/// `host:port`, `[v6]:port`, `[v6]`, `v6` (two or more colons), `host`. `None`: a bad port.
fn split_host_port(s: &str) -> Option<(&str, Option<u16>)> {
    let port = |p: &str| p.parse::<u16>().ok().filter(|&p| p > 0);
    if let Some(inner) = s.strip_prefix('[') {
        let (host, after) = inner.split_once(']')?;
        return match after {
            "" => Some((host, None)),
            _ => Some((host, Some(port(after.strip_prefix(':')?)?))),
        };
    }
    match s.matches(':').count() {
        0 => Some((s, None)),
        1 => {
            let (h, p) = s.split_once(':')?;
            Some((h, Some(port(p)?)))
        }
        _ => Some((s, None)),
    }
}

/// One endpoint to probe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    /// Which target it came from.
    pub target: usize,
    pub host: String,
    pub port: u16,
    /// Expected protocol; `None`: recognise it from the greeting.
    pub protocol: Option<Protocol>,
    /// Expected security; `None`: detect it.
    pub expected: Option<Security>,
    /// Start with a TLS handshake (falling back to cleartext when the server greets in cleartext).
    pub tls_first: bool,
    pub role: Role,
}

impl Spec {
    /// `offset`: where the standard ports are (0 normally; see [`super::ProbeOptions`]).
    pub fn new(
        target: usize,
        host: &str,
        port: u16,
        protocol: Option<Protocol>,
        expected: Option<Security>,
        role: Role,
        offset: u16,
    ) -> Spec {
        // Implicit TLS expected, nothing known, or a well-known implicit-TLS port configured as
        // something else: open with a handshake (a cleartext server greets first, so it shows).
        let tls_port = matches!(
            port.checked_sub(offset).and_then(port_use),
            Some((_, Security::Tls))
        );
        Spec {
            target,
            host: host.to_string(),
            port,
            protocol,
            expected,
            tls_first: matches!(expected, Some(Security::Tls) | None) || tls_port,
            role,
        }
    }
}

/// How targets were expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansion {
    pub specs: Vec<Spec>,
    /// Some target named neither a port nor a protocol: every protocol's standard endpoints were added.
    pub all_protocols: bool,
}

/// Expands targets with the command-line defaults into endpoints. `offset` moves every standard
/// port (993 → 993 + offset), for test servers and port-mapped labs.
pub fn expand(
    targets: &[Target],
    protocol: Option<Protocol>,
    port: Option<u16>,
    security: Option<Security>,
    offset: u16,
) -> Result<Expansion, String> {
    let moved = |p: u16| {
        p.checked_add(offset)
            .ok_or_else(|| format!("standard port {p} + offset {offset} is above 65535"))
    };
    let mut specs = Vec::new();
    let mut all_protocols = false;
    for (i, t) in targets.iter().enumerate() {
        let protocol = merge("protocol", protocol, t.protocol, &t.text)?;
        let security = merge("security", security, t.security, &t.text)?;
        let port = t.port.or(port);
        match port {
            Some(port) => {
                let known = port.checked_sub(offset).and_then(port_use);
                let protocol = protocol.or(known.map(|k| k.0));
                let security = security.or(match (known, protocol) {
                    (Some((kp, ks)), Some(p)) if kp == p => Some(ks),
                    _ => None,
                });
                specs.push(Spec::new(
                    i,
                    &t.host,
                    port,
                    protocol,
                    security,
                    Role::Given,
                    offset,
                ));
            }
            None => {
                let protocol = protocol.or_else(|| protocol_from_host(&t.host));
                match (protocol, security) {
                    (Some(p), Some(s)) => specs.push(Spec::new(
                        i,
                        &t.host,
                        moved(standard_port(p, s))?,
                        Some(p),
                        Some(s),
                        Role::Given,
                        offset,
                    )),
                    (Some(p), None) => {
                        for (port, s) in standard_endpoints(p) {
                            specs.push(Spec::new(
                                i,
                                &t.host,
                                moved(port)?,
                                Some(p),
                                Some(s),
                                Role::Standard,
                                offset,
                            ));
                        }
                    }
                    (None, s) => {
                        all_protocols = true;
                        for p in PROTOCOLS {
                            for (port, std_s) in standard_endpoints(p) {
                                if s.is_none_or(|s| {
                                    s == std_s
                                        || (s == Security::None && std_s == Security::Starttls)
                                }) {
                                    specs.push(Spec::new(
                                        i,
                                        &t.host,
                                        moved(port)?,
                                        Some(p),
                                        Some(s.unwrap_or(std_s)),
                                        Role::Standard,
                                        offset,
                                    ));
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    // The same endpoint twice (two targets naming it) is probed once.
    let mut seen = Vec::new();
    specs.retain(|s| {
        let key = (s.host.clone(), s.port);
        let new = !seen.contains(&key);
        seen.push(key);
        new
    });
    Ok(Expansion {
        specs,
        all_protocols,
    })
}

fn merge<T: PartialEq + std::fmt::Display + Copy>(
    what: &str,
    flag: Option<T>,
    from_target: Option<T>,
    text: &str,
) -> Result<Option<T>, String> {
    match (flag, from_target) {
        (Some(a), Some(b)) if a != b => Err(format!(
            "--{what} {a} contradicts the target {text:?} ({what} {b})"
        )),
        (a, b) => Ok(a.or(b)),
    }
}

/// `imap.example.com` → IMAP, `pop.…`/`pop3.…` → POP3, `smtp.…`/`submission.…` → SMTP.
pub fn protocol_from_host(host: &str) -> Option<Protocol> {
    let word = host
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()?
        .trim_end_matches(|c: char| c.is_ascii_digit());
    match word {
        "imap" | "imaps" => Some(Protocol::Imap),
        "pop" | "pops" | "pop3s" => Some(Protocol::Pop3),
        "smtp" | "smtps" | "submission" | "submissions" | "mailout" | "outgoing" => {
            Some(Protocol::Smtp)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Target {
        Target::parse(s).unwrap()
    }

    #[test]
    fn targets_parse() {
        let a = t("Mail.Example.COM:993");
        assert_eq!((a.host.as_str(), a.port), ("mail.example.com", Some(993)));
        let b = t("imaps://127.0.0.2:10993/");
        assert_eq!(
            (b.host.as_str(), b.port, b.protocol, b.security),
            (
                "127.0.0.2",
                Some(10993),
                Some(Protocol::Imap),
                Some(Security::Tls)
            )
        );
        assert_eq!(t("submission://smtp.example.com").port, Some(587));
        assert_eq!(t("[::1]:143").host, "::1");
        assert_eq!(t("::1").port, None);
        assert_eq!(t("[::1]").port, None);
        for bad in [
            "",
            "host:0",
            "host:99999",
            "host:x",
            "ftp://host",
            "imaps://u@host",
            "a b",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_port_names_one_endpoint_with_what_it_implies() {
        let e = expand(&[t("h:993")], None, None, None, 0).unwrap();
        assert_eq!(
            e.specs,
            vec![Spec::new(
                0,
                "h",
                993,
                Some(Protocol::Imap),
                Some(Security::Tls),
                Role::Given,
                0
            )]
        );
        assert!(e.specs[0].tls_first);
        let e = expand(&[t("h:143")], None, None, None, 0).unwrap();
        assert_eq!(e.specs[0].expected, Some(Security::Starttls));
        assert!(!e.specs[0].tls_first);
        // Unknown port: protocol and security are detected; TLS first.
        let e = expand(&[t("h:10993")], None, None, None, 0).unwrap();
        assert_eq!((e.specs[0].protocol, e.specs[0].expected), (None, None));
        assert!(e.specs[0].tls_first);
        // STARTTLS configured on 993: still opened with TLS, so the truth shows quickly.
        let e = expand(&[t("h:993")], None, None, Some(Security::Starttls), 0).unwrap();
        assert!(e.specs[0].tls_first);
        // A port of another protocol does not imply a security for this one.
        let e = expand(&[t("h:995")], Some(Protocol::Imap), None, None, 0).unwrap();
        assert_eq!(e.specs[0].expected, None);
    }

    #[test]
    fn no_port_gives_the_standard_endpoints() {
        let e = expand(&[t("imap.example.com")], None, None, None, 0).unwrap();
        let ports: Vec<u16> = e.specs.iter().map(|s| s.port).collect();
        assert_eq!(ports, [993, 143]);
        assert!(e.specs.iter().all(|s| s.role == Role::Standard));
        assert!(!e.all_protocols);
        let e = expand(&[t("mail.example.com")], None, None, None, 0).unwrap();
        assert_eq!(e.specs.len(), 6);
        assert!(e.all_protocols);
        let e = expand(
            &[t("mail.example.com")],
            Some(Protocol::Pop3),
            None,
            Some(Security::Starttls),
            0,
        )
        .unwrap();
        assert_eq!(
            e.specs,
            vec![Spec::new(
                0,
                "mail.example.com",
                110,
                Some(Protocol::Pop3),
                Some(Security::Starttls),
                Role::Given,
                0
            )]
        );
        let e = expand(&[t("mail.example.com")], None, Some(465), None, 0).unwrap();
        assert_eq!(e.specs[0].protocol, Some(Protocol::Smtp));
        // Standard ports moved by an offset (a test server on PORT_BASE + standard port).
        let e = expand(&[t("imap.example.com")], None, None, None, 10000).unwrap();
        let ports: Vec<u16> = e.specs.iter().map(|s| s.port).collect();
        assert_eq!(ports, [10993, 10143]);
        assert!(e.specs[0].tls_first && !e.specs[1].tls_first);
        let e = expand(&[t("h:10995")], None, None, None, 10000).unwrap();
        assert_eq!(
            (e.specs[0].protocol, e.specs[0].expected),
            (Some(Protocol::Pop3), Some(Security::Tls))
        );
        assert!(expand(&[t("imap.example.com")], None, None, None, 65000).is_err());
    }

    #[test]
    fn contradictions_and_duplicates() {
        assert!(expand(&[t("imaps://h")], Some(Protocol::Pop3), None, None, 0).is_err());
        let e = expand(&[t("h:993"), t("imaps://h")], None, None, None, 0).unwrap();
        assert_eq!(e.specs.len(), 1);
    }

    #[test]
    fn protocol_from_host_names() {
        assert_eq!(protocol_from_host("imap.gmail.com"), Some(Protocol::Imap));
        assert_eq!(protocol_from_host("pop3.example.com"), Some(Protocol::Pop3));
        assert_eq!(
            protocol_from_host("smtp-mail.outlook.com"),
            Some(Protocol::Smtp)
        );
        assert_eq!(protocol_from_host("mail.example.com"), None);
        assert_eq!(protocol_from_host("127.0.0.1"), None);
    }
}
