//! Thunderbird autoconfig (`clientConfig` version 1.1): the vocabulary, a typed view of a parsed
//! file, the importer and the writer.
//!
//! Format: <https://wiki.mozilla.org/Thunderbird:Autoconfiguration:ConfigFileFormat>; how
//! Thunderbird reads it: `mail/components/accountcreation/modules/readFromXML.sys.mjs` (servers
//! are tried in document order; the first `<socketType>` and `<authentication>` a client knows
//! wins; OAuth2 only counts where the client knows the provider's OAuth2 endpoints).

use super::clients::js::JsValue;
use super::clients::thunderbird::{self, Reading, Skip, TbServer};
use super::xml::{self, Element, XmlError, XmlWriter};
use super::{EmailParts, ExportError, Plan, PlanServer, Username};
use crate::model::{Account, Auth, Pop3Options, Protocol, Security, Server};
use crate::providers::{self, Provider};
use serde::Serialize;

/// The placeholders clients replace, without their `%` signs (`%EMAILADDRESS%`).
pub const PLACEHOLDERS: &[&str] = &["EMAILADDRESS", "EMAILDOMAIN", "EMAILLOCALPART", "REALNAME"];

/// `<socketType>` values and what they mean.
pub(crate) const SOCKET_TYPES: &[(&str, Security)] = &[
    ("plain", Security::None),
    ("SSL", Security::Tls),
    ("STARTTLS", Security::Starttls),
];

/// The `<socketType>` value for a security setting.
pub(crate) fn socket_type_name(s: Security) -> &'static str {
    SOCKET_TYPES
        .iter()
        .find(|(_, v)| *v == s)
        .map_or("SSL", |(n, _)| n)
}

/// Parses a `<socketType>` value exactly as clients do (case matters).
pub(crate) fn parse_socket_type(v: &str) -> Option<Security> {
    SOCKET_TYPES.iter().find(|(n, _)| *n == v).map(|(_, s)| *s)
}

/// An `<authentication>` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum AuthMethod {
    /// `password-cleartext`: the password over the (encrypted) connection (SASL PLAIN/LOGIN).
    PasswordCleartext,
    /// `password-encrypted`: CRAM-MD5 or DIGEST-MD5.
    PasswordEncrypted,
    /// `OAuth2`.
    OAuth2,
    /// `GSSAPI`: Kerberos.
    Gssapi,
    /// `NTLM`.
    Ntlm,
    /// `TLS-client-cert`.
    TlsClientCert,
    /// `client-IP-address`: outgoing only; the server trusts the network.
    ClientIpAddress,
    /// `smtp-after-pop`: outgoing only; a POP3 login unlocks sending.
    SmtpAfterPop,
    /// `none`.
    None,
}

impl AuthMethod {
    /// Every value with its name; the deprecated aliases `plain` and `secure` are D105's (deprecated-authentication).
    pub const ALL: &'static [(&'static str, AuthMethod)] = &[
        ("password-cleartext", AuthMethod::PasswordCleartext),
        ("password-encrypted", AuthMethod::PasswordEncrypted),
        ("OAuth2", AuthMethod::OAuth2),
        ("GSSAPI", AuthMethod::Gssapi),
        ("NTLM", AuthMethod::Ntlm),
        ("TLS-client-cert", AuthMethod::TlsClientCert),
        ("client-IP-address", AuthMethod::ClientIpAddress),
        ("smtp-after-pop", AuthMethod::SmtpAfterPop),
        ("none", AuthMethod::None),
    ];

    /// The value as the file writes it (`password-cleartext`).
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, m)| *m == self)
            .map_or("none", |(n, _)| n)
    }

    /// Parses a value exactly as clients do (case matters), including the deprecated aliases.
    pub fn parse(v: &str) -> Option<AuthMethod> {
        Self::ALL
            .iter()
            .chain(DEPRECATED_AUTH)
            .find(|(n, _)| *n == v)
            .map(|(_, m)| *m)
    }

    /// Whether the method is only for outgoing servers.
    pub fn outgoing_only(self) -> bool {
        matches!(self, AuthMethod::ClientIpAddress | AuthMethod::SmtpAfterPop)
    }

    /// The model's name for it; `None` for Kerberos, which the model has no word for.
    pub fn to_auth(self) -> Option<Auth> {
        Some(match self {
            AuthMethod::PasswordCleartext => Auth::Password,
            // NTLM is a challenge-response like CRAM-MD5: the password is not sent.
            AuthMethod::PasswordEncrypted | AuthMethod::Ntlm => Auth::EncryptedPassword,
            AuthMethod::OAuth2 => Auth::Oauth2,
            AuthMethod::TlsClientCert => Auth::ClientCertificate,
            AuthMethod::ClientIpAddress | AuthMethod::SmtpAfterPop | AuthMethod::None => Auth::None,
            AuthMethod::Gssapi => return None,
        })
    }

    /// The value to write for a model auth. An app password is sent like a password.
    pub fn from_auth(a: Auth) -> AuthMethod {
        match a {
            Auth::Password | Auth::AppPassword => AuthMethod::PasswordCleartext,
            Auth::EncryptedPassword => AuthMethod::PasswordEncrypted,
            Auth::Oauth2 => AuthMethod::OAuth2,
            Auth::ClientCertificate => AuthMethod::TlsClientCert,
            _ => AuthMethod::None,
        }
    }
}

/// Deprecated `<authentication>` aliases and their replacements.
pub(crate) const DEPRECATED_AUTH: &[(&str, AuthMethod)] = &[
    ("plain", AuthMethod::PasswordCleartext),
    ("secure", AuthMethod::PasswordEncrypted),
];

/// Which way a server element points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    Incoming,
    Outgoing,
}

/// What a server element's `type` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ServerKind {
    /// IMAP, POP3 or SMTP: what mailsetup imports and checks.
    Mail(Protocol),
    /// A type other clients use (Exchange, EWS, OWA, Graph, NNTP, JMAP, ActiveSync); not imported.
    Other,
    /// A type nobody defines, or none.
    Unknown,
}

/// Server types that are not mail protocols mailsetup imports but are legitimate in autoconfig
/// files (Thunderbird reads `exchange` and `nntp`; the ISPDB carries `ews`, `owa` and `graph`
/// for other clients). Sorted.
pub(crate) const OTHER_SERVER_TYPES: &[&str] = &[
    "activesync",
    "ews",
    "exchange",
    "graph",
    "jmap",
    "nntp",
    "owa",
];

/// A server element of a document, with its field path (`incomingServer[2]`).
#[derive(Debug)]
pub(crate) struct ServerElement<'a> {
    pub element: &'a Element,
    pub path: String,
    pub direction: Direction,
    pub kind: ServerKind,
    pub type_attr: Option<&'a str>,
}

impl ServerElement<'_> {
    /// The field path of a child (`incomingServer[2].port`).
    pub fn field(&self, child: &str) -> String {
        format!("{}.{child}", self.path)
    }

    /// The trimmed text of the first child with this name.
    pub fn text(&self, child: &str) -> Option<&str> {
        self.element.child_text(child)
    }
}

/// A parsed autoconfig file, with the parts the importer and the lint rules look at.
#[derive(Debug)]
pub(crate) struct ConfigDoc<'a> {
    pub root: &'a Element,
    pub provider: Option<&'a Element>,
    /// `<domain>` elements.
    pub domains: Vec<&'a Element>,
    /// Incoming then outgoing server elements, each in document order.
    pub servers: Vec<ServerElement<'a>>,
    /// The `<oAuth2>` block (under `clientConfig` or, leniently, under `emailProvider`).
    pub oauth2: Option<&'a Element>,
}

impl<'a> ConfigDoc<'a> {
    pub fn new(root: &'a Element) -> ConfigDoc<'a> {
        let provider = root.child("emailProvider");
        let mut servers = Vec::new();
        if let Some(p) = provider {
            for (name, direction) in [
                ("incomingServer", Direction::Incoming),
                ("outgoingServer", Direction::Outgoing),
            ] {
                for (i, element) in p.children_named(name).enumerate() {
                    let type_attr = element.attribute("type");
                    // Exactly as written: clients compare the type without trimming it.
                    let kind = match (direction, type_attr) {
                        (Direction::Incoming, Some("imap")) => ServerKind::Mail(Protocol::Imap),
                        (Direction::Incoming, Some("pop3")) => ServerKind::Mail(Protocol::Pop3),
                        (Direction::Outgoing, Some("smtp")) => ServerKind::Mail(Protocol::Smtp),
                        (Direction::Incoming, Some(t))
                            if OTHER_SERVER_TYPES.binary_search(&t).is_ok() =>
                        {
                            ServerKind::Other
                        }
                        _ => ServerKind::Unknown,
                    };
                    servers.push(ServerElement {
                        element,
                        path: format!("{name}[{}]", i + 1),
                        direction,
                        kind,
                        type_attr,
                    });
                }
            }
        }
        let oauth2 = root
            .child("oAuth2")
            .or_else(|| provider.and_then(|p| p.child("oAuth2")));
        ConfigDoc {
            root,
            provider,
            domains: provider
                .map(|p| p.children_named("domain").collect())
                .unwrap_or_default(),
            servers,
            oauth2,
        }
    }

    /// The domains, trimmed and lower case, without empty ones.
    pub fn domain_names(&self) -> Vec<String> {
        self.domains
            .iter()
            .map(|d| d.text.trim().trim_end_matches('.').to_ascii_lowercase())
            .filter(|d| !d.is_empty())
            .collect()
    }

    /// The curated provider the file is about: by its domains, then by its server hosts.
    pub fn provider(&self) -> Option<&'static Provider> {
        self.domain_names()
            .iter()
            .find_map(|d| providers::by_domain(d))
            .or_else(|| {
                self.servers
                    .iter()
                    .filter_map(|s| s.text("hostname"))
                    .find_map(providers::by_host)
            })
    }

    /// Every element with its field path: paths are relative to `emailProvider` inside it
    /// (`incomingServer[2].username`, `domain[3]`) and to `clientConfig` elsewhere
    /// (`oAuth2.issuer`); the root itself is `clientConfig`. Siblings are indexed (`[n]`, from
    /// 1) when a name repeats, and servers always are.
    pub fn elements_with_paths(&self) -> Vec<(String, &'a Element)> {
        fn walk<'e>(e: &'e Element, path: &str, out: &mut Vec<(String, &'e Element)>) {
            // For each child: how many siblings share its name, and which of them it is. Sorting
            // keeps this O(n log n) for documents with thousands of siblings (a stable sort keeps
            // siblings of one name in document order).
            let kids = &e.children;
            let mut order: Vec<usize> = (0..kids.len()).collect();
            order.sort_by(|&a, &b| kids[a].name.cmp(&kids[b].name));
            let mut nth = vec![(0usize, 0usize); kids.len()];
            for group in order.chunk_by(|&a, &b| kids[a].name == kids[b].name) {
                for (k, &i) in group.iter().enumerate() {
                    nth[i] = (k + 1, group.len());
                }
            }
            for (c, &(nth, total)) in kids.iter().zip(&nth) {
                let repeated = total > 1;
                let name = if repeated || c.name.ends_with("Server") {
                    format!("{}[{nth}]", c.name)
                } else {
                    c.name.clone()
                };
                let p = if path.is_empty() {
                    name
                } else {
                    format!("{path}.{name}")
                };
                out.push((p.clone(), c));
                // emailProvider's children are named from it, without its own name.
                let child_base = if path.is_empty() && c.name == "emailProvider" {
                    String::new()
                } else {
                    p
                };
                walk(c, &child_base, out);
            }
        }
        let mut out = vec![("clientConfig".to_owned(), self.root)];
        walk(self.root, "", &mut out);
        out
    }
}

/// A placeholder-like token that clients will not replace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PlaceholderProblem {
    /// Where it is in the text (byte range).
    pub span: std::ops::Range<usize>,
    /// The text as written (`%EMAILADDRESS`).
    pub found: String,
    /// What it should be (`%EMAILADDRESS%`), when that is clear.
    pub fix: Option<String>,
    pub why: &'static str,
}

/// Finds malformed placeholders in `text`: a known name missing its closing `%`
/// (`%EMAILADDRESS`), a known name in the wrong case (`%emailaddress%`), or a misspelt one
/// (`%EMAILADRESS%`). Percent-encoding (`%2F`, `%E5%85`) is left alone.
pub(crate) fn placeholder_problems(text: &str, custom: &[String]) -> Vec<PlaceholderProblem> {
    let known = |name: &str| PLACEHOLDERS.contains(&name) || custom.iter().any(|c| c == name);
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'%' {
            i += 1;
            continue;
        }
        let start = i + 1;
        let mut end = start;
        while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
            end += 1;
        }
        let ident = &text[start..end];
        if ident.is_empty() || !ident.as_bytes()[0].is_ascii_alphabetic() {
            i = start;
            continue;
        }
        let closed = bytes.get(end) == Some(&b'%');
        let upper = ident.to_ascii_uppercase();
        let near =
            crate::text::closest(&upper, PLACEHOLDERS.iter().copied()).filter(|_| upper.len() >= 5);
        if closed {
            if !known(ident) {
                if known(&upper) {
                    out.push(PlaceholderProblem {
                        span: i..end + 1,
                        found: format!("%{ident}%"),
                        fix: Some(format!("%{upper}%")),
                        why: "placeholders are upper case; clients replace only the exact name",
                    });
                } else if let Some(n) = near {
                    out.push(PlaceholderProblem {
                        span: i..end + 1,
                        found: format!("%{ident}%"),
                        fix: Some(format!("%{n}%")),
                        why: "not a placeholder clients know",
                    });
                } else if ident.bytes().all(|b| b.is_ascii_uppercase()) && ident.len() >= 4 {
                    out.push(PlaceholderProblem {
                        span: i..end + 1,
                        found: format!("%{ident}%"),
                        fix: None,
                        why: "not a placeholder clients know",
                    });
                }
            }
            i = end + 1;
        } else {
            // The longest known name the identifier starts with: `%EMAILADDRESS` or
            // `%EMAILLOCALPARTfoo`; else a misspelt known name.
            let prefix = PLACEHOLDERS
                .iter()
                .copied()
                .chain(custom.iter().map(String::as_str))
                .filter(|n| upper.starts_with(n))
                .max_by_key(|n| n.len())
                .map(str::to_owned);
            if let Some(n) = prefix.or_else(|| near.map(str::to_owned)) {
                out.push(PlaceholderProblem {
                    span: i..end,
                    found: format!("%{ident}"),
                    fix: Some(format!("%{n}%")),
                    why: "the closing % is missing, so clients leave it as written",
                });
            }
            i = end;
        }
    }
    out
}

/// `text` with every problem replaced by its fix, in one pass; `None` when a problem has no fix.
pub(crate) fn fix_placeholders(text: &str, problems: &[PlaceholderProblem]) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for p in problems {
        out.push_str(text.get(at..p.span.start)?);
        out.push_str(p.fix.as_deref()?);
        at = p.span.end;
    }
    out.push_str(text.get(at..)?);
    Some(out)
}

/// Replaces the placeholders of `text` with the parts of `email`.
pub(crate) fn substitute(text: &str, email: &EmailParts) -> String {
    text.replace("%EMAILADDRESS%", &email.address)
        .replace("%EMAILLOCALPART%", &email.local)
        .replace("%EMAILDOMAIN%", &email.domain)
}

/// Why an autoconfig file could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// Not well-formed, or refused by the defensive reader (DTD, entities, size, depth).
    #[error("{0}")]
    Xml(#[from] XmlError),
    /// Well-formed XML, but not an autoconfig file.
    #[error("not an autoconfig file: the root element is <{root}>, expected <clientConfig>")]
    NotAutoconfig {
        /// The root element's name.
        root: String,
    },
    /// More server elements than [`MAX_SERVERS`].
    #[error("the file lists {count} servers; at most {max} are accepted")]
    TooManyServers {
        /// How many the file lists.
        count: usize,
        /// How many are accepted.
        max: usize,
    },
    /// The address given to fill in the placeholders is not an email address.
    #[error(
        "{} is not an email address (expected name@domain)",
        crate::text::Quoted(email)
    )]
    InvalidEmail {
        /// The text given.
        email: String,
    },
}

/// One server read from a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportedServer {
    /// The server, placeholders filled in when an address was given.
    pub server: Server,
    /// POP3 options from the server's `<pop3>` block.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pop3: Option<Pop3Options>,
    /// Its field path (`incomingServer[2]`).
    pub path: String,
    /// The line of its element.
    pub line: u32,
    /// Further authentication methods the file offers, in order (after `server.auth`).
    pub other_auth: Vec<Auth>,
}

/// A server element the importer had to leave out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SkippedServer {
    /// Its field path (`incomingServer[2]`).
    pub path: String,
    /// The line of its element.
    pub line: u32,
    /// Why it was left out.
    pub reason: String,
}

/// What an autoconfig file says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Imported {
    /// `emailProvider id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `displayName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// The `<domain>`s, as written.
    pub domains: Vec<String>,
    /// IMAP and POP3 servers, best first.
    pub incoming: Vec<ImportedServer>,
    /// SMTP servers, best first.
    pub outgoing: Vec<ImportedServer>,
    /// Server elements that could not be imported (other protocols, missing or invalid fields).
    pub skipped: Vec<SkippedServer>,
    /// The address the placeholders were filled in with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

impl Imported {
    /// The account a client would set up: the first incoming and the first outgoing server.
    pub fn account(&self) -> Option<Account> {
        let first = self.incoming.first()?;
        Some(self.account_with(first))
    }

    /// One account per incoming server, each with the first outgoing server.
    pub fn accounts(&self) -> Vec<Account> {
        self.incoming.iter().map(|s| self.account_with(s)).collect()
    }

    fn account_with(&self, incoming: &ImportedServer) -> Account {
        Account {
            email: self.email.clone(),
            incoming: incoming.server.clone(),
            outgoing: self.outgoing.first().map(|o| o.server.clone()),
            pop3: incoming.pop3,
        }
    }
}

/// Reads an autoconfig file. With `email`, the placeholders (`%EMAILADDRESS%`, …) are filled in;
/// without, they stay as written. Servers a client could not use are listed in
/// [`Imported::skipped`] with the reason; [`lint_autoconfig`](super::lint_autoconfig) explains
/// them in detail.
pub fn import_autoconfig(xml: &str, email: Option<&str>) -> Result<Imported, ImportError> {
    let email = email
        .map(|e| {
            EmailParts::parse(e).map_err(|_| ImportError::InvalidEmail {
                email: e.to_owned(),
            })
        })
        .transpose()?;
    let root = parse_root(xml)?;
    let doc = ConfigDoc::new(&root);
    Ok(import_doc(&doc, &thunderbird::read(&doc), email.as_ref()))
}

/// The most server elements accepted in one file. Real files list a handful; a file with more
/// is broken or hostile, and checking each server costs a full validation.
pub const MAX_SERVERS: usize = 100;

/// Parses the XML and checks it is an autoconfig file of sane size.
pub(crate) fn parse_root(xml: &str) -> Result<Element, ImportError> {
    let root = xml::parse(xml)?;
    if root.name != "clientConfig" {
        return Err(ImportError::NotAutoconfig { root: root.name });
    }
    let servers = root
        .children_named("emailProvider")
        .flat_map(|p| p.children.iter())
        .filter(|c| c.name == "incomingServer" || c.name == "outgoingServer")
        .count();
    if servers > MAX_SERVERS {
        return Err(ImportError::TooManyServers {
            count: servers,
            max: MAX_SERVERS,
        });
    }
    Ok(root)
}

/// What a client would set up from a parsed file: the IMAP, POP3 and SMTP servers Thunderbird
/// reads (`reading`), with the values it takes.
pub(crate) fn import_doc(
    doc: &ConfigDoc,
    reading: &Reading,
    email: Option<&EmailParts>,
) -> Imported {
    let provider = email
        .and_then(|e| providers::by_domain(&e.domain))
        .or_else(|| doc.provider());
    let mut imported = Imported {
        id: doc
            .provider
            .and_then(|p| p.attribute("id"))
            .map(|s| s.trim().to_owned()),
        display_name: doc
            .provider
            .and_then(|p| p.child_text("displayName"))
            .map(str::to_owned),
        domains: doc.domain_names(),
        incoming: Vec::new(),
        outgoing: Vec::new(),
        skipped: Vec::new(),
        email: email.map(|e| e.address.clone()),
    };
    for (s, read) in doc.servers.iter().zip(&reading.servers) {
        match import_server(s, read, email, provider) {
            Ok(server) => match s.direction {
                Direction::Incoming => imported.incoming.push(server),
                Direction::Outgoing => imported.outgoing.push(server),
            },
            Err(reason) => imported.skipped.push(SkippedServer {
                path: s.path.clone(),
                line: s.element.line,
                reason,
            }),
        }
    }
    imported
}

/// Parses a port exactly: digits only, 1–65535.
pub(crate) fn parse_port(text: &str) -> Option<u16> {
    let t = text.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) || t.len() > 5 {
        return None;
    }
    t.parse::<u16>().ok().filter(|&p| p > 0)
}

fn import_server(
    s: &ServerElement,
    read: &Result<TbServer, Skip>,
    email: Option<&EmailParts>,
    provider: Option<&'static Provider>,
) -> Result<ImportedServer, String> {
    let tb = read.as_ref().map_err(|skip| skip.why.clone())?;
    let ServerKind::Mail(protocol) = s.kind else {
        return Err(format!(
            "type {} is not a mail protocol mailsetup imports",
            crate::text::Quoted(&tb.kind)
        ));
    };
    let fill = |t: &str| match email {
        Some(e) => substitute(t, e),
        None => t.to_owned(),
    };
    let port = tb.port.ok_or("there is no <port>")?;
    // `password-cleartext` names a mechanism, not which password: where the provider takes
    // passwords generated for mail apps, that is the one a client sends.
    let app_password = provider.is_some_and(|p| p.accepts_generated_password(protocol));
    let mut auths: Vec<Option<Auth>> = tb
        .usable_auth
        .iter()
        .map(|m| {
            m.to_auth().map(|a| match a {
                Auth::Password if app_password => Auth::AppPassword,
                a => a,
            })
        })
        .collect();
    let first = auths.remove(0);
    let pop3 = match (protocol, s.element.child("pop3")) {
        (Protocol::Pop3, Some(p)) => Some(Pop3Options {
            leave_on_server: JsValue::of_element(p.child("leaveMessagesOnServer")).to_bool()
                == Some(true),
            delete_after_days: JsValue::of_element(p.child("daysToLeaveMessagesOnServer"))
                .to_integer()
                .and_then(|d| u32::try_from(d).ok()),
        }),
        _ => None,
    };
    Ok(ImportedServer {
        server: Server {
            protocol,
            host: fill(&tb.hostname),
            port,
            security: tb.security,
            auth: first,
            // A missing <username> stays missing (Thunderbird would send the word "undefined").
            username: s
                .element
                .child("username")
                .and(tb.username.as_deref())
                .map(fill),
        },
        pop3,
        path: s.path.clone(),
        line: s.element.line,
        other_auth: auths.into_iter().flatten().collect(),
    })
}

/// Writes the autoconfig file for a plan, or says what in it Thunderbird could not read: every
/// value is checked the way its reader checks it (host names, JXON's reading of numbers, the
/// authentication values it maps), so that what it reads is what the account says.
pub(crate) fn write(plan: &Plan) -> Result<String, ExportError> {
    let Some(id) = plan.domains.first() else {
        return Err(ExportError::NeedsEmail {
            format: super::Format::Autoconfig,
            why: "its domain goes in <domain>",
        });
    };
    if plan.outgoing.is_empty() {
        return Err(unexpressible(
            "an account without an outgoing server".into(),
            "clients refuse an autoconfig file that has no <outgoingServer>; add `outgoing` to the account".into(),
        ));
    }
    for d in &plan.domains {
        readable_host(d, "the email domain")?;
    }
    let mut servers = Vec::new();
    for (s, direction) in plan
        .incoming
        .iter()
        .map(|s| (s, Direction::Incoming))
        .chain(plan.outgoing.iter().map(|s| (s, Direction::Outgoing)))
    {
        readable_host(&s.host, "the host")?;
        if let Username::Literal(u) = &s.username {
            readable_username(u)?;
        }
        servers.push((s, direction, methods_for(s, direction)?));
    }
    let mut w = XmlWriter::new(b' ', 2);
    w.declaration("UTF-8");
    w.start("clientConfig", &[("version", "1.1")]);
    w.start("emailProvider", &[("id", id)]);
    for d in &plan.domains {
        w.element("domain", &[], d);
    }
    w.element("displayName", &[], &plan.display_name);
    w.element("displayShortName", &[], &plan.display_name);
    for (s, direction, methods) in &servers {
        let (name, pop3) = match direction {
            Direction::Incoming => (
                "incomingServer",
                plan.pop3.filter(|_| s.protocol == Protocol::Pop3),
            ),
            Direction::Outgoing => ("outgoingServer", None),
        };
        server_element(&mut w, name, s, methods, pop3);
    }
    if let Some(p) = plan.provider {
        let mut protocols: Vec<Protocol> = plan.servers().map(|s| s.protocol).collect();
        protocols.dedup();
        for t in protocols.iter().filter_map(|pr| p.enable_for(*pr)) {
            // The format's <enable visiturl>: the page where the switch is, else the help page.
            let url = t
                .url
                .as_deref()
                .or_else(|| p.help_page().map(|h| h.url.as_str()));
            match url {
                Some(url) => w.start("enable", &[("visiturl", url)]),
                None => w.start("enable", &[]),
            }
            w.element("instruction", &[("lang", "en")], &t.steps);
            w.end("enable");
        }
        if let Some(help) = p.help_page() {
            w.start("documentation", &[("url", help.url.as_str())]);
            w.element("descr", &[("lang", "en")], &help.title);
            w.end("documentation");
        }
    }
    w.end("emailProvider");
    w.end("clientConfig");
    Ok(w.finish()?)
}

fn unexpressible(what: String, help: String) -> ExportError {
    ExportError::Unexpressible {
        format: super::Format::Autoconfig,
        what,
        help,
    }
}

/// A host or domain Thunderbird reads back as written (its host-name check, and JXON, which would
/// read `1e3` as the number 1000).
fn readable_host(host: &str, what: &str) -> Result<(), ExportError> {
    let value = JsValue::parse_text(host);
    match thunderbird::hostname(&value) {
        Ok(read) if read == host && value.exact() => Ok(()),
        Ok(read) => Err(unexpressible(
            format!("{what} {}", crate::text::Quoted(host)),
            format!(
                "Thunderbird would read it as {}",
                crate::text::Quoted(&read)
            ),
        )),
        Err(why) => Err(unexpressible(
            format!("{what} {}", crate::text::Quoted(host)),
            format!("Thunderbird refuses the file: the host {why}"),
        )),
    }
}

/// A username Thunderbird reads back as written: JXON reads text that looks like a number or a
/// boolean as one (`007` becomes `7`), and Thunderbird replaces the placeholders in it.
fn readable_username(u: &str) -> Result<(), ExportError> {
    let what = || format!("the username {}", crate::text::Quoted(u));
    let value = JsValue::parse_text(u);
    let read = value.to_js_string();
    if read != u || !value.exact() {
        return Err(unexpressible(
            what(),
            format!(
                "Thunderbird reads it as {}; give the username in the mail app instead",
                crate::text::Quoted(&read)
            ),
        ));
    }
    if let Some(p) = PLACEHOLDERS.iter().find(|p| u.contains(&format!("%{p}%"))) {
        return Err(unexpressible(
            what(),
            format!("Thunderbird replaces %{p}% in it; give the username in the mail app instead"),
        ));
    }
    Ok(())
}

/// The `<authentication>` values for a server: its methods, deduplicated. Methods Thunderbird
/// cannot use here are dropped where another remains, and refused where none would: OAuth2 where
/// it knows no OAuth2 settings for the host, a TLS client certificate (no client reads
/// `TLS-client-cert`), and no sign-in on an incoming server (not a value for incoming servers).
fn methods_for(s: &PlanServer, direction: Direction) -> Result<Vec<AuthMethod>, ExportError> {
    let mut out: Vec<AuthMethod> = Vec::new();
    for a in &s.auth {
        let m = AuthMethod::from_auth(*a);
        if !out.contains(&m) {
            out.push(m);
        }
    }
    let kind = match s.protocol {
        Protocol::Imap => "imap",
        Protocol::Pop3 => "pop3",
        Protocol::Smtp => "smtp",
    };
    let readable = |m: &AuthMethod| {
        thunderbird::auth_method(m.name(), direction).is_some()
            && (*m != AuthMethod::OAuth2 || thunderbird::oauth2_details(&s.host, kind))
    };
    if let Some(first) = out.first().copied().filter(|_| !out.iter().any(readable)) {
        return Err(unexpressible(
            match first {
                AuthMethod::OAuth2 => format!("OAuth2 for {}", s.host),
                AuthMethod::TlsClientCert => format!("a TLS client certificate on {}", s.host),
                _ => format!("an incoming server without sign-in ({})", s.host),
            },
            match first {
                AuthMethod::OAuth2 => "Thunderbird knows the OAuth2 settings (issuer, scopes, authorization and token URLs) only for the big providers, and not this server's; add a password method",
                AuthMethod::TlsClientCert => "Thunderbird and Thunderbird for Android do not read TLS-client-cert, and refuse the server; set the certificate up in the mail app, with a password method in the file",
                _ => "autoconfig has no value for an incoming server without sign-in, and Thunderbird refuses the server; give the sign-in method the server uses",
            }
            .into(),
        ));
    }
    out.retain(readable);
    Ok(out)
}

fn server_element(
    w: &mut XmlWriter,
    name: &str,
    s: &PlanServer,
    methods: &[AuthMethod],
    pop3: Option<Pop3Options>,
) {
    let kind = match s.protocol {
        Protocol::Imap => "imap",
        Protocol::Pop3 => "pop3",
        Protocol::Smtp => "smtp",
    };
    w.start(name, &[("type", kind)]);
    w.element("hostname", &[], &s.host);
    w.element("port", &[], &s.port.to_string());
    w.element("socketType", &[], socket_type_name(s.security));
    for m in methods {
        w.element("authentication", &[], m.name());
    }
    let username = match &s.username {
        Username::Address | Username::NotSaid => "%EMAILADDRESS%",
        Username::LocalPart => "%EMAILLOCALPART%",
        Username::Literal(u) => u.as_str(),
    };
    // A server without sign-in needs no username, unless one was given.
    let no_login = methods.iter().all(|m| *m == AuthMethod::None);
    if !(no_login && s.username == Username::NotSaid) {
        w.element("username", &[], username);
    }
    if let Some(p) = pop3 {
        w.start("pop3", &[]);
        let leave = if p.leave_on_server { "true" } else { "false" };
        w.element("leaveMessagesOnServer", &[], leave);
        if let Some(d) = p.delete_after_days {
            w.element("daysToLeaveMessagesOnServer", &[], &d.to_string());
        }
        w.end("pop3");
    }
    w.end(name);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_sorted() {
        assert!(OTHER_SERVER_TYPES.windows(2).all(|w| w[0] < w[1]));
        for (n, m) in AuthMethod::ALL {
            assert_eq!(AuthMethod::parse(n), Some(*m));
            assert_eq!(m.name(), *n);
        }
        for (n, s) in SOCKET_TYPES {
            assert_eq!(parse_socket_type(n), Some(*s));
            assert_eq!(socket_type_name(*s), *n);
        }
        assert_eq!(parse_socket_type("ssl"), None);
    }

    #[test]
    fn placeholders() {
        let p = |t: &str| placeholder_problems(t, &[]);
        assert!(p("%EMAILADDRESS%").is_empty());
        assert!(p("%EMAILLOCALPART%.%EMAILDOMAIN%").is_empty());
        assert!(p("https://example.com/a%2Fb?q=%E5%85%AC").is_empty());
        assert!(p("100% sure").is_empty());
        let unclosed = p("%EMAILADDRESS");
        assert_eq!(unclosed.len(), 1);
        assert_eq!(unclosed[0].fix.as_deref(), Some("%EMAILADDRESS%"));
        assert_eq!(p("%EMAILLOCALPART.%EMAILDOMAIN%").len(), 1);
        assert_eq!(p("%EMAILADRESS%")[0].fix.as_deref(), Some("%EMAILADDRESS%"));
        assert_eq!(
            p("%emailaddress%")[0].fix.as_deref(),
            Some("%EMAILADDRESS%")
        );
        assert!(placeholder_problems("%USERNAME%", &["USERNAME".into()]).is_empty());
        assert_eq!(p("%USERNAME%").len(), 1);
    }

    #[test]
    fn ports_are_strict() {
        assert_eq!(parse_port(" 993 "), Some(993));
        for bad in ["0", "65536", "99999999999", "-1", "993a", "", "1e3", "+993"] {
            assert_eq!(parse_port(bad), None, "{bad}");
        }
    }
}
