//! Thunderbird for Android's reader (formerly K-9 Mail): `RealAutoconfigParser.kt` in
//! thunderbird-android, `feature/autodiscovery/autoconfig/src/main/kotlin/app/k9mail/autodiscovery/autoconfig/`
//! (read at commit f88679b1905a134bec3359172025064e239db3f1). It cannot run here, so this
//! follows its source, which is stricter than the desktop's and stops at the first problem:
//!
//! - every `<emailProvider>` is read and the **last** one is used; its `id` must be a host name
//!   (no placeholders);
//! - a `<domain>` must be a host name once `%EMAILDOMAIN%`, `%EMAILLOCALPART%` and
//!   `%EMAILADDRESS%` are replaced;
//! - only `<incomingServer type="imap">` and `<outgoingServer type="smtp">` are read, others
//!   skipped;
//! - such a server needs a host name, a port (digits only), a `<username>`, a `<socketType>` of
//!   exactly `SSL` or `STARTTLS` (`plain`, or any other value, refuses the file) and at least one
//!   `<authentication>` of `OAuth2`, `password-cleartext` or `password-encrypted` (others are
//!   ignored); a server missing one refuses the whole file, and so does a file left without an
//!   IMAP or an SMTP server.

use super::thunderbird::legal_host_or_ip;
use crate::documents::xml::Element;
use crate::documents::EmailParts;
use crate::text::Quoted;

/// Where Thunderbird for Android's source is, for messages.
pub(crate) const SOURCE: &str = "RealAutoconfigParser.kt";

/// Why Thunderbird for Android refuses a file: the field and its line, the reason in words, and
/// what would make it read the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub field: String,
    pub line: u32,
    pub why: String,
    pub help: &'static str,
}

/// What it reads: the field paths of the servers it uses, in order.
#[derive(Debug, Default)]
pub(crate) struct Reading {
    pub used: Vec<String>,
}

/// Reads a file's root as Thunderbird for Android does, for the address `email`.
pub(crate) fn read(root: &Element, email: &EmailParts) -> Result<Reading, Refusal> {
    let providers: Vec<&Element> = root.children_named("emailProvider").collect();
    let mut last = None;
    for (i, p) in providers.iter().enumerate() {
        let base = if providers.len() > 1 {
            format!("emailProvider[{}]", i + 1)
        } else {
            String::new()
        };
        last = Some(read_provider(p, &base, email)?);
    }
    last.ok_or_else(|| Refusal {
        field: "clientConfig".into(),
        line: root.line,
        why: "there is no <emailProvider>".into(),
        help: "add an <emailProvider>",
    })
}

fn read_provider(p: &Element, base: &str, email: &EmailParts) -> Result<Reading, Refusal> {
    let path = |rest: &str| match (base.is_empty(), rest.is_empty()) {
        (true, true) => "emailProvider".to_owned(),
        (true, false) if rest.starts_with('@') => format!("emailProvider{rest}"),
        (true, false) => rest.to_owned(),
        (false, true) => base.to_owned(),
        (false, false) if rest.starts_with('@') => format!("{base}{rest}"),
        (false, false) => format!("{base}.{rest}"),
    };
    let refuse = |field: String, why: String, help| Refusal {
        field,
        line: p.line,
        why,
        help,
    };
    const ID_HELP: &str = "set id to the main email domain (no placeholder)";
    match p.attribute("id") {
        None => {
            return Err(refuse(
                path("@id"),
                "emailProvider has no id".into(),
                ID_HELP,
            ))
        }
        Some(id) if !host_ok(id) => {
            return Err(refuse(
                path("@id"),
                format!("emailProvider id {} is not a host name", Quoted(id)),
                ID_HELP,
            ))
        }
        Some(_) => {}
    }
    let mut reading = Reading::default();
    let mut domain_found = false;
    let (mut incoming, mut outgoing) = (0, 0);
    let (mut imap, mut smtp) = (false, false);
    for c in &p.children {
        let (wanted, n) = match c.name.as_str() {
            "domain" => {
                domain_found |= host_ok(&replace(text(c, &path("domain"))?, email));
                continue;
            }
            "incomingServer" => {
                incoming += 1;
                ("imap", incoming)
            }
            "outgoingServer" => {
                outgoing += 1;
                ("smtp", outgoing)
            }
            _ => continue,
        };
        let server = path(&format!("{}[{n}]", c.name));
        if c.attribute("type") != Some(wanted) {
            continue;
        }
        read_server(c, &server, email)?;
        imap |= wanted == "imap";
        smtp |= wanted == "smtp";
        reading.used.push(server);
    }
    if !domain_found {
        return Err(refuse(
            path("domain"),
            "no <domain> is a host name (once %EMAILDOMAIN% is replaced)".into(),
            "add a <domain> with the email domain, in ASCII",
        ));
    }
    if !imap {
        return Err(refuse(
            path(""),
            "there is no IMAP server: it reads only <incomingServer type=\"imap\">".into(),
            "add an IMAP server, if the provider offers one",
        ));
    }
    if !smtp {
        return Err(refuse(
            path(""),
            "there is no SMTP server".into(),
            "add an SMTP server",
        ));
    }
    Ok(reading)
}

/// An IMAP or SMTP server: every child it looks for is read (at any depth), and a missing or
/// unusable one refuses the file.
fn read_server(s: &Element, path: &str, email: &EmailParts) -> Result<(), Refusal> {
    let refuse = |field: &str, why: String| {
        Refusal {
        field: format!("{path}.{field}"),
        line: s.line,
        why,
        help: match field {
            "hostname" => "write the host name in ASCII (IDNA A-labels), an IP address without brackets",
            "port" => "write the port as digits only, without spaces",
            "socketType" => "use SSL (or STARTTLS): it does not connect without encryption",
            "username" => "add <username>%EMAILADDRESS%</username> (or the username): harmless where no sign-in is needed",
            "authentication" => "list password-cleartext, password-encrypted or OAuth2 too (it uses the first it knows)",
            _ => "see the rule's documentation",
        },
    }
    };
    let (mut host, mut port, mut username, mut security) = (false, false, false, false);
    let mut auth = false;
    for e in s.descendants().into_iter().skip(1) {
        let name = e.name.as_str();
        if !matches!(
            name,
            "hostname" | "port" | "username" | "authentication" | "socketType"
        ) {
            continue;
        }
        let t = text(e, &format!("{path}.{name}"))?;
        match name {
            "hostname" if !host_ok(&replace(t, email)) => {
                return Err(refuse(
                    name,
                    format!("hostname {} is not a host name", Quoted(t)),
                ))
            }
            "port" if !kotlin_port(t) => {
                return Err(refuse(
                    name,
                    format!("port {} is not a whole number (digits only)", Quoted(t)),
                ))
            }
            "socketType" if !matches!(t, "SSL" | "STARTTLS") => {
                return Err(refuse(
                    name,
                    format!("socketType {} is not SSL or STARTTLS", Quoted(t)),
                ))
            }
            "hostname" => host = true,
            "port" => port = true,
            "username" => username = true,
            "socketType" => security = true,
            _ => auth |= matches!(t, "OAuth2" | "password-cleartext" | "password-encrypted"),
        }
    }
    let missing = [
        (host, "hostname", "there is no <hostname>"),
        (port, "port", "there is no <port>"),
        (
            username,
            "username",
            "there is no <username> (it needs one even without sign-in)",
        ),
        (
            auth,
            "authentication",
            "no <authentication> is OAuth2, password-cleartext or password-encrypted",
        ),
        (security, "socketType", "there is no <socketType>"),
    ];
    match missing.iter().find(|(found, ..)| !found) {
        Some((_, field, why)) => Err(refuse(field, (*why).into())),
        None => Ok(()),
    }
}

/// `readText()`: the element's text; an element inside it refuses the file.
fn text<'e>(e: &'e Element, field: &str) -> Result<&'e str, Refusal> {
    match e.children.first() {
        Some(c) => Err(Refusal {
            field: field.to_owned(),
            line: c.line,
            why: format!("<{}> inside <{}> where text is expected", c.name, e.name),
            help: "leave only text in the element",
        }),
        None => Ok(&e.text),
    }
}

/// `replaceVariables()`.
fn replace(t: &str, email: &EmailParts) -> String {
    t.replace("%EMAILDOMAIN%", &email.domain)
        .replace("%EMAILLOCALPART%", &email.local)
        .replace("%EMAILADDRESS%", &email.address)
}

/// `isValidHostname()`: trimmed, then a host name or an IP address.
fn host_ok(t: &str) -> bool {
    legal_host_or_ip(t.trim())
}

/// Kotlin's `toIntOrNull()` in `0..65535`: an optional sign, then digits only.
fn kotlin_port(t: &str) -> bool {
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && t.parse::<i64>().is_ok_and(|n| (0..=65535).contains(&n))
}
