//! Thunderbird desktop's reader, `readFromXML` (comm-central
//! `mail/components/accountcreation/modules/readFromXML.sys.mjs`, with `InputSanitizer.sys.mjs`,
//! `hostnameUtils.sys.mjs` and `OAuth2Providers.sys.mjs`; the commit in
//! `js-tests/thunderbird/comm-central/SOURCE_COMMIT`), step for step:
//!
//! - the first `<emailProvider>`; its `id` must be a host name (or contain a placeholder), else the
//!   whole file is refused;
//! - at least one `<domain>` that is a host name (placeholders allowed), else refused;
//! - each server is read or skipped whole: a type it knows (`pop3 imap nntp exchange ews owa`
//!   incoming, `smtp` outgoing, compared exactly), a host name, a port from 1 to 65535 (incoming:
//!   optional), the first `<socketType>` and the first `<authentication>` it knows, compared
//!   exactly (no trimming), OAuth2 only for hosts in its built-in OAuth2 table;
//! - no incoming, or no outgoing, server left: the whole file is refused.

use super::js::{js_trim, JsValue};
use crate::documents::autoconfig::{AuthMethod, ConfigDoc, Direction, ServerElement};
use crate::documents::xml::Element;
use crate::model::Security;
use crate::text::Quoted;

/// A server Thunderbird reads, with the values it takes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TbServer {
    /// Its `type`, as written (`imap`).
    pub kind: String,
    /// The host, trimmed and in lower case (a host with a placeholder stays as written).
    pub hostname: String,
    /// The port; an incoming server may leave it out.
    pub port: Option<u16>,
    pub security: Security,
    /// The first authentication Thunderbird knows and can use here.
    pub auth: AuthMethod,
    /// Every authentication value it could use, in order (`auth` first).
    pub usable_auth: Vec<AuthMethod>,
    /// `String()` of `<username>`, as Thunderbird keeps it; `None` for an outgoing server
    /// without one that signs in without a password.
    pub username: Option<String>,
}

/// Why Thunderbird skips a server: the field, and the reason in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Skip {
    pub field: String,
    pub why: String,
}

/// What Thunderbird makes of a file's provider and servers.
#[derive(Debug)]
pub(crate) struct Reading {
    /// Why `emailProvider id` is refused (which refuses the file), if it is.
    pub id_refused: Option<String>,
    /// Whether a `<domain>` is one it accepts.
    pub domain_ok: bool,
    /// Each of `doc.servers`, in the same order: read, or skipped and why.
    pub servers: Vec<Result<TbServer, Skip>>,
}

impl Reading {
    /// Whether a server of this direction is left.
    pub fn has_server(&self, doc: &ConfigDoc, direction: Direction) -> bool {
        doc.servers
            .iter()
            .zip(&self.servers)
            .any(|(e, r)| e.direction == direction && r.is_ok())
    }
}

/// Reads `doc` as Thunderbird does.
pub(crate) fn read(doc: &ConfigDoc) -> Reading {
    let id_refused = doc.provider.and_then(|p| {
        hostname(&JsValue::of_attribute(p.attribute("id")))
            .err()
            .map(|why| format!("emailProvider id {why}"))
    });
    let domain_ok = doc
        .domains
        .iter()
        .any(|d| hostname(&JsValue::of_element(Some(d))).is_ok());
    Reading {
        id_refused,
        domain_ok,
        servers: doc.servers.iter().map(read_server).collect(),
    }
}

/// The incoming types `readFromXML` reads (`graph` only behind a preference that is off).
const INCOMING_TYPES: &[&str] = &["pop3", "imap", "nntp", "exchange", "ews", "owa"];

fn read_server(s: &ServerElement) -> Result<TbServer, Skip> {
    let skip = |field: &str, why: String| Skip {
        field: s.field(field),
        why,
    };
    let e = s.element;
    let value = |name: &str| JsValue::of_element(e.child(name));
    let type_value = JsValue::of_attribute(s.type_attr);
    let kind = type_value.text().filter(|t| match s.direction {
        Direction::Incoming => INCOMING_TYPES.contains(t),
        Direction::Outgoing => *t == "smtp",
    });
    let Some(kind) = kind else {
        return Err(Skip {
            field: format!("{}@type", s.path),
            why: format!(
                "type {} is not one it reads",
                Quoted(&type_value.to_js_string())
            ),
        });
    };
    let incoming = s.direction == Direction::Incoming;
    let mut host = None;
    if !incoming || e.child("hostname").is_some() {
        let h = hostname(&value("hostname")).map_err(|why| skip("hostname", why))?;
        host = Some(h);
    }
    let mut port = None;
    if !incoming || e.child("port").is_some() {
        let v = value("port");
        port = Some(v.to_port().ok_or_else(|| {
            skip(
                "port",
                format!(
                    "port {} is not a number from 1 to 65535",
                    Quoted(&v.to_js_string())
                ),
            )
        })?);
    }
    let mut security = None;
    if incoming {
        // An exchange, EWS or OWA server may give its host and security by URL.
        if let Some(url) = e
            .child("url")
            .and_then(|u| JsValue::of_element(Some(u)).text().map(str::to_owned))
        {
            if let Some((https, url_host)) = url_host(&url) {
                if let Ok(h) = hostname(&JsValue::Text(url_host.to_owned())) {
                    host = Some(h);
                    security = Some(if https { Security::Tls } else { Security::None });
                }
            }
        }
    }
    let username =
        (incoming || e.child("username").is_some()).then(|| value("username").to_js_string());
    let written: Vec<JsValue> = e
        .children_named("socketType")
        .map(|st| JsValue::of_element(Some(st)))
        .collect();
    if let Some(sec) = written.iter().find_map(|v| {
        v.text()
            .and_then(crate::documents::autoconfig::parse_socket_type)
    }) {
        security = Some(sec);
    }
    let Some(security) = security else {
        return Err(skip(
            "socketType",
            match written.first() {
                None => "there is no <socketType>".into(),
                Some(v) => format!(
                    "socketType {} is not plain, SSL or STARTTLS (compared exactly)",
                    Quoted(&v.to_js_string())
                ),
            },
        ));
    };
    let Some(hostname) = host else {
        return Err(skip("hostname", "there is no <hostname>".into()));
    };
    let usable_auth = usable_auth(e, &hostname, kind, s.direction);
    let Some(&auth) = usable_auth.first() else {
        return Err(skip(
            "authentication",
            no_auth_reason(e, &hostname, s.direction),
        ));
    };
    let password = matches!(
        auth,
        AuthMethod::PasswordCleartext | AuthMethod::PasswordEncrypted
    );
    Ok(TbServer {
        kind: kind.to_owned(),
        hostname,
        port,
        security,
        auth,
        usable_auth,
        username: username.or_else(|| password.then(|| "undefined".into())),
    })
}

/// The authentication values of a server Thunderbird can use, in order.
fn usable_auth(e: &Element, host: &str, kind: &str, direction: Direction) -> Vec<AuthMethod> {
    let mut out = Vec::new();
    for a in e.children_named("authentication") {
        let Some(m) = JsValue::of_element(Some(a))
            .text()
            .and_then(|t| auth_method(t, direction))
        else {
            continue;
        };
        if (m != AuthMethod::OAuth2 || oauth2_details(host, kind)) && !out.contains(&m) {
            out.push(m);
        }
    }
    out
}

/// The `<authentication>` values `readFromXML` maps, for each direction.
pub(crate) fn auth_method(value: &str, direction: Direction) -> Option<AuthMethod> {
    let m = AuthMethod::parse(value)?;
    let known = match m {
        AuthMethod::TlsClientCert => false,
        AuthMethod::None | AuthMethod::ClientIpAddress | AuthMethod::SmtpAfterPop => {
            direction == Direction::Outgoing
        }
        _ => true,
    };
    known.then_some(m)
}

fn no_auth_reason(e: &Element, host: &str, direction: Direction) -> String {
    let values: Vec<JsValue> = e
        .children_named("authentication")
        .map(|a| JsValue::of_element(Some(a)))
        .collect();
    if values.is_empty() {
        return "there is no <authentication>".into();
    }
    if values
        .iter()
        .any(|v| v.text().and_then(|t| auth_method(t, direction)) == Some(AuthMethod::OAuth2))
    {
        return format!("it knows no OAuth2 settings for {host}, and no other sign-in is listed");
    }
    let list: Vec<String> = values
        .iter()
        .map(|v| Quoted(&v.to_js_string()).to_string())
        .collect();
    format!(
        "it knows none of the authentication values {} for {} servers (compared exactly)",
        list.join(", "),
        match direction {
            Direction::Incoming => "incoming",
            Direction::Outgoing => "outgoing",
        }
    )
}

/// `InputSanitizer.hostname`: the host, trimmed and in lower case, or why it is refused.
pub(crate) fn hostname(v: &JsValue) -> Result<String, String> {
    if !v.truthy() {
        return Err(match v {
            JsValue::Missing => "is missing".into(),
            _ => format!("{} is empty", Quoted(&v.to_js_string())),
        });
    }
    let raw = v.to_js_string();
    let s = js_trim(&raw);
    if has_placeholder(s) {
        return Ok(s.to_owned());
    }
    if legal_host_or_ip(s) {
        return Ok(s.to_ascii_lowercase());
    }
    Err(format!(
        "{} is not a host name it accepts (ASCII letters, digits, hyphens and dots, or an IP address without brackets)",
        Quoted(&raw)
    ))
}

/// `^[a-zA-Z0-9\-\.]*(%[A-Z0-9]+%[a-zA-Z0-9\-\.]*)+$`: a host name with placeholders.
fn has_placeholder(s: &str) -> bool {
    let name = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '.';
    let mut parts = s.split('%');
    // Odd parts are placeholder names, even parts the text around them.
    let count = s.matches('%').count();
    count >= 2
        && count % 2 == 0
        && parts.by_ref().enumerate().all(|(i, p)| {
            if i % 2 == 1 {
                !p.is_empty()
                    && p.chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            } else {
                p.chars().all(name)
            }
        })
}

/// `isLegalHostNameOrIP(s, false)`: an IPv4 address in dotted decimal is a legal host name too,
/// so this is the host-name pattern or an IPv6 address.
pub(crate) fn legal_host_or_ip(s: &str) -> bool {
    legal_host_name(s) || legal_ipv6(s)
}

/// `isLegalHostName`: LDH labels of at most 63, dots between, an optional final dot, 255 in all.
fn legal_host_name(s: &str) -> bool {
    let s2 = s.strip_suffix('.').unwrap_or(s);
    s.len() <= 255
        && !s2.is_empty()
        && s2.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// `isLegalIPv6Address`, step for step (it accepts a few odd forms, such as `:1:2:3:4:5:6:7`):
/// split at `:`, an IPv4 address last counts as two parts, one empty inner part stands for the
/// missing zeros, empty first and last parts are zeros, every other part is 1–4 hex digits, and
/// the address is not all zeros.
fn legal_ipv6(s: &str) -> bool {
    let parts: Vec<&str> = s.split(':').collect();
    let n = parts.len();
    if n < 3 {
        return false;
    }
    let v4 = legal_ipv4(parts[n - 1]);
    let inner_empty = parts[1..n - 1].iter().filter(|p| p.is_empty()).count();
    let count = n + usize::from(v4);
    if inner_empty > 1 || (inner_empty == 0 && count != 8) || count > 8 {
        return false;
    }
    let hex = &parts[..n - usize::from(v4)];
    hex.iter()
        .all(|p| p.len() <= 4 && p.bytes().all(|b| b.is_ascii_hexdigit()))
        && (v4 || hex.iter().any(|p| p.bytes().any(|b| b != b'0')))
}

/// `isLegalIPv4Address(s, false)`: four decimal parts below 256, the first not 0.
fn legal_ipv4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            (p == &"0" || (!p.starts_with('0') && !p.is_empty() && p.len() <= 10))
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u64>().is_ok_and(|n| n < 256)
        })
        && parts[0] != "0"
}

/// `new URL(url)` of an `http:` or `https:` URL that `InputSanitizer.url` accepts: whether it is
/// https, and its `host` (with the port, when there is one: then no host name).
fn url_host(url: &str) -> Option<(bool, &str)> {
    let (https, rest) = if let Some(r) = url.strip_prefix("https://") {
        (true, r)
    } else {
        (false, url.strip_prefix("http://")?)
    };
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    (!host.is_empty()).then_some((https, host))
}

/// Hosts (and their parent domains) Thunderbird has OAuth2 settings for: `kHostnames` of
/// `OAuth2Providers.sys.mjs` at the vendored commit, with the server types each serves
/// (`None`: every type but `exchange`, for issuers without Exchange support; `Some`: these).
/// Sorted (a test checks it against the vendored source).
pub(crate) const OAUTH2_HOSTS: &[(&str, Option<&[&str]>)] = &[
    ("aol.com", None),
    ("apidata.googleusercontent.com", None),
    ("att.net", None),
    ("caldav.fastmail.com", None),
    ("carddav.fastmail.com", None),
    ("external.test", None),
    ("gmail.com", Some(GOOGLE)),
    ("googlemail.com", Some(GOOGLE)),
    ("graph.microsoft.com", Some(MICROSOFT)),
    ("hotmail.com", Some(MICROSOFT)),
    ("imap.comcast.net", None),
    ("imap.fastmail.com", Some(FASTMAIL)),
    ("imap.mail.ru", None),
    ("imap.yandex.com", None),
    ("mochi.test", None),
    ("net.thunderbird.test", None),
    ("office365.com", Some(MICROSOFT)),
    ("outlook.com", Some(MICROSOFT)),
    ("pop.comcast.net", None),
    ("pop.fastmail.com", Some(FASTMAIL)),
    ("smtp.comcast.net", None),
    ("smtp.fastmail.com", Some(FASTMAIL)),
    ("smtp.mail.ru", None),
    ("smtp.yandex.com", None),
    ("stage-thundermail.com", None),
    ("test.test", Some(&["imap", "pop3", "smtp", "ews"])),
    ("thundermail.com", None),
    ("www.googleapis.com", None),
    ("yahoo.com", None),
];
const GOOGLE: &[&str] = &["imap", "pop3", "smtp"];
const FASTMAIL: &[&str] = &["imap", "pop3", "smtp"];
const MICROSOFT: &[&str] = &["imap", "pop3", "smtp", "ews", "exchange"];
/// Issuers whose scopes are one string but that have no Exchange support.
const NO_EXCHANGE: &[&str] = &[
    "aol.com",
    "att.net",
    "imap.comcast.net",
    "imap.mail.ru",
    "imap.yandex.com",
    "pop.comcast.net",
    "smtp.comcast.net",
    "smtp.mail.ru",
    "smtp.yandex.com",
    "yahoo.com",
];

/// `OAuth2Providers.getHostnameDetails(host, type)` finds settings: the host or a parent domain
/// is in the table, for this server type.
pub(crate) fn oauth2_details(host: &str, kind: &str) -> bool {
    let mut h = host.to_ascii_lowercase();
    while h.contains('.') {
        if let Ok(i) = OAUTH2_HOSTS.binary_search_by(|(k, _)| (*k).cmp(&h)) {
            let (key, types) = OAUTH2_HOSTS[i];
            return match types {
                Some(types) => types.contains(&kind),
                None => kind != "exchange" || !NO_EXCHANGE.contains(&key),
            };
        }
        h = h
            .split_once('.')
            .map_or(String::new(), |(_, rest)| rest.to_owned());
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_as_thunderbird_checks_them() {
        let h = |s: &str| hostname(&JsValue::parse_text(s));
        assert_eq!(h(" IMAP.Example.COM ").as_deref(), Ok("imap.example.com"));
        assert_eq!(h("mail.%EMAILDOMAIN%").as_deref(), Ok("mail.%EMAILDOMAIN%"));
        assert_eq!(h("%EMAILDOMAIN%").as_deref(), Ok("%EMAILDOMAIN%"));
        assert_eq!(h("::1").as_deref(), Ok("::1"));
        assert_eq!(h("2001:DB8::1").as_deref(), Ok("2001:db8::1"));
        assert_eq!(h("::ffff:192.0.2.1").as_deref(), Ok("::ffff:192.0.2.1"));
        assert_eq!(h(":1:2:3:4:5:6:7").as_deref(), Ok(":1:2:3:4:5:6:7"));
        assert_eq!(h("1:2:3:4:5:6:7:8").as_deref(), Ok("1:2:3:4:5:6:7:8"));
        assert_eq!(h("192.0.2.1").as_deref(), Ok("192.0.2.1"));
        assert_eq!(h("localhost").as_deref(), Ok("localhost"));
        for bad in [
            "[::1]",
            "bücher.example",
            "imap_x.example.com",
            "-a.example",
            "a..b",
            "%emaildomain%",
            "::",
            "1::2::3",
            "1:2:3:4:5:6:7:8:9",
            "::0.1.2.3",
            "12345::1",
            "",
        ] {
            assert!(h(bad).is_err(), "{bad}");
        }
        assert!(hostname(&JsValue::Missing).is_err());
        assert!(hostname(&JsValue::Object).is_err());
        assert_eq!(hostname(&JsValue::Bool(true)).as_deref(), Ok("true"));
    }

    /// The table is `kHostnames` of the vendored `OAuth2Providers.sys.mjs`: each entry is
    /// `[host, [issuer, scopes]]`; the host is the first string of an entry.
    #[test]
    fn oauth2_table_is_thunderbirds() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/js-tests/thunderbird/comm-central/OAuth2Providers.sys.mjs"
        );
        let source = std::fs::read_to_string(path).unwrap();
        let start = source.find("var kHostnames = new Map([").unwrap() + 26;
        let (mut depth, mut hosts, mut taken) = (1, Vec::new(), false);
        let mut chars = source[start..].chars();
        while let Some(c) = chars.next() {
            match c {
                '[' => {
                    depth += 1;
                    taken &= depth > 2;
                }
                ']' => depth -= 1,
                '"' => {
                    let s: String = chars.by_ref().take_while(|&c| c != '"').collect();
                    if depth == 2 && !taken {
                        hosts.push(s);
                        taken = true;
                    }
                }
                _ => {}
            }
            if depth == 0 {
                break;
            }
        }
        hosts.sort();
        let ours: Vec<&str> = OAUTH2_HOSTS.iter().map(|(h, _)| *h).collect();
        assert_eq!(ours, hosts);
    }

    #[test]
    fn oauth2_table_is_sorted_and_matches_parents() {
        assert!(OAUTH2_HOSTS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(oauth2_details("imap.gmail.com", "imap"));
        assert!(oauth2_details("outlook.office365.com", "exchange"));
        assert!(oauth2_details("imap.mail.yahoo.com", "imap"));
        assert!(!oauth2_details("imap.mail.yahoo.com", "exchange"));
        assert!(!oauth2_details("imap.gmail.com", "exchange"));
        assert!(!oauth2_details("pop.mail.ru", "pop3"));
        assert!(!oauth2_details("com", "imap"));
    }
}
