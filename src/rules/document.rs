//! D: autoconfig documents — the file itself, before any server in it is judged.
//!
//! These rules look at what a client does with the file (Thunderbird's `readFromXML.sys.mjs`
//! is the reference reader): values it does not know are skipped, a server missing a field is
//! dropped, placeholders must be written exactly. Each server a client could use is then checked
//! with every normal rule by [`crate::documents::lint_autoconfig`].
//!
//! D rules take XML, not Account JSON, so their pass/fail vectors are the XML documents in
//! `vectors()`, checked by this file's tests.

use crate::diagnostic::Rule;
use crate::diagnostic::{Finding, FixValue, Severity};
use crate::documents::{AuthMethod, ConfigDoc, Imported, ServerElement, ServerKind, PLACEHOLDERS};
use crate::model::{Host, HostKind, Security};
use crate::text::Quoted;

const FORMAT: &str = "Thunderbird autoconfig file format: https://wiki.mozilla.org/Thunderbird:Autoconfiguration:ConfigFileFormat";
const READER: &str = "Thunderbird's reader: comm-central mail/components/accountcreation/modules/readFromXML.sys.mjs";

pub(crate) const D001: Rule = Rule {
    code: "D001",
    name: "autoconfig-no-email-provider",
    severity: Severity::Error,
    summary: "the file has no <emailProvider>",
    what: "A `<clientConfig>` without the `<emailProvider>` element that holds domains and servers.",
    why: "Clients refuse the whole file: there is nothing to configure.",
    example: "`<clientConfig version=\"1.1\"></clientConfig>` → add `<emailProvider id=\"example.com\">` with the domain and servers.",
    references: &[FORMAT, READER],
    pass: &[],
    fail: &[],
};

pub(crate) const D002: Rule = Rule {
    code: "D002",
    name: "autoconfig-no-domain",
    severity: Severity::Error,
    summary: "the file names no email domain",
    what: "An `<emailProvider>` without a `<domain>` that is a valid domain name.",
    why: "Thunderbird refuses a file with no proper domain (\"need proper <domain> in XML\"), and the ISPDB finds files by domain.",
    example: "Add `<domain>example.com</domain>` for each email domain the settings serve.",
    references: &[FORMAT, READER],
    pass: &[],
    fail: &[],
};

pub(crate) const D003: Rule = Rule {
    code: "D003",
    name: "autoconfig-no-incoming-server",
    severity: Severity::Error,
    summary: "no incoming server a client can use",
    what: "No `<incomingServer type=\"imap\">` or `type=\"pop3\"` with every field a client needs.",
    why: "Thunderbird refuses the whole file (\"Need proper <incomingServer>\").",
    example:
        "An IMAP server with `hostname`, `port`, `socketType`, `authentication` and `username`.",
    references: &[FORMAT, READER],
    pass: &[],
    fail: &[],
};

pub(crate) const D004: Rule = Rule {
    code: "D004",
    name: "autoconfig-no-outgoing-server",
    severity: Severity::Error,
    summary: "no outgoing server a client can use",
    what: "No `<outgoingServer type=\"smtp\">` with every field a client needs.",
    why: "Thunderbird refuses the whole file (\"Need proper <outgoingServer>\"): an account that cannot send is not set up.",
    example: "Add `<outgoingServer type=\"smtp\">` with `hostname`, `port`, `socketType`, `authentication` and `username`.",
    references: &[FORMAT, READER],
    pass: &[],
    fail: &[],
};

pub(crate) const D005: Rule = Rule {
    code: "D005",
    name: "unknown-element",
    severity: Severity::Warning,
    summary: "an element the format does not define (often a misspelling)",
    what: "An element name that is not part of the autoconfig format, such as `<displayNameShort>` for `<displayShortName>` or `<sockettype>` for `<socketType>`.",
    why: "Clients ignore elements they do not know, so a misspelt setting silently has no effect.",
    example: "`<displayNameShort>` → `<displayShortName>`.",
    references: &[FORMAT],
    pass: &[],
    fail: &[],
};

pub(crate) const D101: Rule = Rule {
    code: "D101",
    name: "server-field-missing",
    severity: Severity::Error,
    summary: "a server lacks a field clients need",
    what: "An IMAP, POP3 or SMTP server without `hostname`, `port`, `socketType` or `authentication`; an incoming server without `username`; an outgoing server with password sign-in but no `username`.",
    why: "Thunderbird drops a server with a missing field; a missing username becomes the literal text \"undefined\".",
    example: "An `<outgoingServer>` with `password-cleartext` and no username → add `<username>%EMAILADDRESS%</username>`.",
    references: &[FORMAT, READER],
    pass: &[],
    fail: &[],
};

pub(crate) const D102: Rule = Rule {
    code: "D102",
    name: "unknown-server-type",
    severity: Severity::Warning,
    summary: "a server type no client defines",
    what: "An `<incomingServer>` whose `type` is not `imap`, `pop3` or a known non-mail type (`exchange`, `ews`, `owa`, `graph`, `nntp`, `jmap`, `activesync`), or an `<outgoingServer>` that is not `smtp`.",
    why: "Clients skip the server, so its settings are never used.",
    example: "`<incomingServer type=\"imaps\">` → `type=\"imap\"` with `<socketType>SSL</socketType>`.",
    references: &[FORMAT, READER],
    pass: &[],
    fail: &[],
};

pub(crate) const D103: Rule = Rule {
    code: "D103",
    name: "unknown-socket-type",
    severity: Severity::Error,
    summary: "a socketType value clients do not know",
    what: "A `<socketType>` other than `plain`, `SSL` or `STARTTLS` (exactly so written).",
    why: "Clients skip the value; a server with no value they know is dropped.",
    example: "`<socketType>ssl</socketType>` → `SSL`; `TLS` is ambiguous: `SSL` for implicit TLS (993, 995, 465), `STARTTLS` for 143, 110, 587.",
    references: &[FORMAT, READER, "RFC 8314 §3"],
    pass: &[],
    fail: &[],
};

pub(crate) const D104: Rule = Rule {
    code: "D104",
    name: "unknown-authentication",
    severity: Severity::Error,
    summary: "an authentication value clients do not know",
    what: "An `<authentication>` other than `password-cleartext`, `password-encrypted`, `OAuth2`, `GSSAPI`, `NTLM`, `TLS-client-cert`, `none` (and, for outgoing servers, `client-IP-address`, `smtp-after-pop`).",
    why: "Clients skip the value; a server with no value they know is dropped, and a server whose first choice is skipped signs in differently than intended.",
    example: "`<authentication>oauth2</authentication>` → `OAuth2`.",
    references: &[FORMAT, READER],
    pass: &[],
    fail: &[],
};

pub(crate) const D105: Rule = Rule {
    code: "D105",
    name: "deprecated-authentication",
    severity: Severity::Warning,
    summary: "a deprecated authentication value",
    what: "`<authentication>plain</authentication>` or `secure`, the old names of `password-cleartext` and `password-encrypted`.",
    why: "Thunderbird marks them for removal; newer clients may not know them.",
    example: "`plain` → `password-cleartext`; `secure` → `password-encrypted`.",
    references: &[FORMAT, READER],
    pass: &[],
    fail: &[],
};

pub(crate) const D106: Rule = Rule {
    code: "D106",
    name: "port-invalid",
    severity: Severity::Error,
    summary: "a port that is not a number from 1 to 65535",
    what: "A `<port>` that is empty, not a whole number, 0, or above 65535.",
    why: "Clients drop the server.",
    example: "`<port>993a</port>` → `993`; `<port>99300</port>` → `993`.",
    references: &[FORMAT, "RFC 6335 §6"],
    pass: &[],
    fail: &[],
};

pub(crate) const D107: Rule = Rule {
    code: "D107",
    name: "malformed-placeholder",
    severity: Severity::Error,
    summary: "a placeholder clients will not replace",
    what: "A placeholder missing its closing `%` (`%EMAILADDRESS`), in the wrong case (`%emailaddress%`), or misspelt (`%EMAILADRESS%`). Known: `%EMAILADDRESS%`, `%EMAILLOCALPART%`, `%EMAILDOMAIN%`, `%REALNAME%`, and the keys of `<inputField>`.",
    why: "Clients replace only exact placeholders; anything else is sent to the server as written, so the login fails.",
    example: "`<username>%EMAILADDRESS</username>` → `%EMAILADDRESS%`.",
    references: &[FORMAT],
    pass: &[],
    fail: &[],
};

pub(crate) const D108: Rule = Rule {
    code: "D108",
    name: "invalid-value",
    severity: Severity::Warning,
    summary: "a boolean or number clients cannot read",
    what: "`leaveMessagesOnServer`, `downloadOnBiff`, `useGlobalPreferredServer`, `addThisServer` other than `true`/`false`; `daysToLeaveMessagesOnServer` or `checkInterval minutes` that is not a whole number.",
    why: "Clients ignore the value and use their default, which may not be what the file means (a POP3 client deleting mail it should keep).",
    example: "`<leaveMessagesOnServer>yes</leaveMessagesOnServer>` → `true`.",
    references: &[FORMAT, READER],
    pass: &[],
    fail: &[],
};

pub(crate) const D109: Rule = Rule {
    code: "D109",
    name: "duplicate-server",
    severity: Severity::Warning,
    summary: "the same server is listed twice",
    what: "Two servers of the same kind with the same host, port and socketType.",
    why: "The second is never needed; usually a copy-paste where one entry was meant to differ (another port or security).",
    example: "Two `imap` entries for `imap.example.com:993 SSL` → keep one.",
    references: &[FORMAT],
    pass: &[],
    fail: &[],
};

pub(crate) const D201: Rule = Rule {
    code: "D201",
    name: "plaintext-password",
    severity: Severity::Error,
    summary: "a password or token sent over an unencrypted connection",
    what: "A server with `socketType` `plain` whose sign-in (`password-cleartext`, or `OAuth2`) sends the secret as it is.",
    why: "Anyone on the path (public Wi-Fi, the ISP, a compromised router) reads the password and then all the mail.",
    example: "`plain` on 110 with `password-cleartext` → `SSL` on 995 (or `STARTTLS` on 110) if the server offers it; if it does not, the provider must enable TLS.",
    references: &["RFC 8314 §3 and §4", "RFC 1939 §13", "RFC 9051 §11.1", FORMAT],
    pass: &[],
    fail: &[],
};

pub(crate) const D202: Rule = Rule {
    code: "D202",
    name: "unencrypted-connection",
    severity: Severity::Warning,
    summary: "a server reached without encryption",
    what: "A server with `socketType` `plain` that does not send the password itself (`password-encrypted`, `none`, …).",
    why: "The mail itself travels readable and can be changed on the way; challenge-response logins like CRAM-MD5 can be cracked offline.",
    example: "`plain` with `password-encrypted` → `SSL` (implicit TLS) or `STARTTLS`.",
    references: &["RFC 8314 §3", "RFC 8314 §4"],
    pass: &[],
    fail: &[],
};

pub(crate) const D203: Rule = Rule {
    code: "D203",
    name: "embedded-password",
    severity: Severity::Error,
    summary: "a password written into the file",
    what: "A `<password>` element with a value in a server.",
    why: "Autoconfig files are published on the web; a password in one is public.",
    example: "Remove `<password>…</password>`; clients ask for the password.",
    references: &[FORMAT],
    pass: &[],
    fail: &[],
};

pub(crate) const D204: Rule = Rule {
    code: "D204",
    name: "oauth-unavailable",
    severity: Severity::Error,
    summary: "OAuth2 is the only sign-in, and no client knows how to do it here",
    what: "A server whose only authentication is `OAuth2`, with no `<oAuth2>` block in the file, for a host whose OAuth2 endpoints clients do not have built in.",
    why: "A client needs the issuer, scopes, authorization and token URLs; without them it cannot sign in, and Thunderbird drops the server.",
    example: "Add an `<oAuth2>` block (issuer, scope, authURL, tokenURL), or a password method after `OAuth2`.",
    references: &[
        FORMAT,
        "Thunderbird's built-in OAuth2 providers: comm-central mailnews/base/src/OAuth2Providers.sys.mjs",
        "RFC 6749",
        "RFC 7628",
    ],
    pass: &[],
    fail: &[],
};

pub(crate) const D205: Rule = Rule {
    code: "D205",
    name: "oauth-unavailable-fallback",
    severity: Severity::Warning,
    summary: "OAuth2 is listed but no client knows how to do it here; clients fall back",
    what: "`OAuth2` listed with other methods, no `<oAuth2>` block, for a host whose OAuth2 endpoints clients do not have built in.",
    why: "Clients skip OAuth2 and sign in with the next method, so the OAuth2 entry is dead weight and the provider's preferred sign-in is never used.",
    example: "Add an `<oAuth2>` block, or remove `OAuth2`.",
    references: &[
        FORMAT,
        "Thunderbird's built-in OAuth2 providers: comm-central mailnews/base/src/OAuth2Providers.sys.mjs",
    ],
    pass: &[],
    fail: &[],
};

pub(crate) const D206: Rule = Rule {
    code: "D206",
    name: "oauth-config-invalid",
    severity: Severity::Error,
    summary: "an <oAuth2> block clients cannot use",
    what: "An `<oAuth2>` block without `issuer`, `scope`, `authURL` or `tokenURL`, or with an authorization or token URL that is not `https://`.",
    why: "Clients need all four; tokens and codes must never travel over plain HTTP (RFC 6749 §3.1, §3.2).",
    example: "`<tokenURL>http://login.example.com/token</tokenURL>` → `https://…`.",
    references: &[FORMAT, "RFC 6749 §3.1 and §3.2"],
    pass: &[],
    fail: &[],
};

/// Every element name of the format (and of the ISPDB's extensions), sorted.
pub(crate) const KNOWN_ELEMENTS: &[&str] = &[
    "addThisServer",
    "addressBook",
    "authURL",
    "authentication",
    "calendar",
    "checkInterval",
    "clientConfig",
    "clientConfigUpdate",
    "daysToLeaveMessagesOnServer",
    "descr",
    "displayName",
    "displayShortName",
    "documentation",
    "domain",
    "downloadOnBiff",
    "easURL",
    "emailProvider",
    "enable",
    "ewsURL",
    "exchangeURL",
    "hostname",
    "identity",
    "incomingServer",
    "inputField",
    "instruction",
    "issuer",
    "leaveMessagesOnServer",
    "loginButton",
    "loginPage",
    "loginPageInfo",
    "oAuth2",
    "outgoingServer",
    "owaURL",
    "password",
    "passwordField",
    "pop3",
    "port",
    "restriction",
    "scope",
    "serverURL",
    "socketType",
    "tokenURL",
    "url",
    "useGlobalPreferredServer",
    "username",
    "usernameField",
    "webMail",
];

const BOOLEANS: &[&str] = &[
    "addThisServer",
    "downloadOnBiff",
    "leaveMessagesOnServer",
    "useGlobalPreferredServer",
];

/// The D findings being collected. (Its own small collector: D findings name document fields,
/// and the rules module's `Findings` is shaped for settings.)
#[derive(Default)]
struct Findings(Vec<Finding>);

impl Findings {
    /// Inlined like [`Rule::finding`].
    #[inline(always)]
    fn emit(
        &mut self,
        rule: &'static Rule,
        field: String,
        message: String,
        help: String,
        fix: Option<FixValue>,
    ) {
        self.0.push(rule.finding(field, message, help, fix));
    }
}

fn at(line: u32) -> String {
    format!(" (line {line})")
}

/// Runs every D rule on a parsed file. `imported` is what the importer made of it.
pub(crate) fn check(doc: &ConfigDoc, imported: &Imported) -> Vec<Finding> {
    let mut out = Findings::default();
    let Some(provider) = doc.provider else {
        out.emit(
            &D001,
            "clientConfig".into(),
            format!("there is no <emailProvider>{}", at(doc.root.line)),
            "put the domains and servers inside <emailProvider id=\"your-domain\">".into(),
            None,
        );
        return out.0;
    };
    let domains_ok = doc.domains.iter().any(|d| {
        let h = Host::parse(d.text.trim());
        h.kind == Some(HostKind::Name) && h.ascii.contains('.')
    });
    if !domains_ok {
        out.emit(
            &D002,
            "emailProvider".into(),
            format!("no <domain> with a valid domain name{}", at(provider.line)),
            "add <domain>example.com</domain> for each email domain these settings serve".into(),
            None,
        );
    }
    for (direction, rule, list, what) in [
        (
            crate::documents::Direction::Incoming,
            &D003,
            &imported.incoming,
            "incoming (IMAP or POP3)",
        ),
        (
            crate::documents::Direction::Outgoing,
            &D004,
            &imported.outgoing,
            "outgoing (SMTP)",
        ),
    ] {
        if list.is_empty() {
            let why: Vec<String> = imported
                .skipped
                .iter()
                .filter(|s| {
                    doc.servers
                        .iter()
                        .any(|e| e.path == s.path && e.direction == direction)
                })
                .map(|s| format!("{}: {}", s.path, s.reason))
                .collect();
            out.emit(
                rule,
                "emailProvider".into(),
                if why.is_empty() {
                    format!("there is no {what} server{}", at(provider.line))
                } else {
                    format!(
                        "no {what} server a client can use ({}){}",
                        why.join("; "),
                        at(provider.line)
                    )
                },
                format!("add a complete {what} server"),
                None,
            );
        }
    }
    let paths = doc.elements_with_paths();
    unknown_elements(&paths, &mut out);
    for s in &doc.servers {
        server_checks(doc, s, &mut out);
    }
    duplicates(doc, &mut out);
    placeholders(doc, &paths, &mut out);
    values(&paths, &mut out);
    oauth2_block(doc, &mut out);
    out.0
}

fn unknown_elements(paths: &[(String, &crate::documents::xml::Element)], out: &mut Findings) {
    for (path, e) in paths {
        if KNOWN_ELEMENTS.binary_search(&e.name.as_str()).is_ok() {
            continue;
        }
        let suggestion = suggest_element(&e.name);
        out.emit(
            &D005,
            path.clone(),
            format!(
                "<{}> is not part of the autoconfig format{}",
                e.name,
                at(e.line)
            ),
            match suggestion {
                Some(s) => format!("did you mean <{s}>?"),
                None => "remove it, or check the element name against the format".into(),
            },
            None,
        );
    }
}

/// The known element a misspelt name most likely meant: same name in another case, the same
/// camel-case words in another order (`displayNameShort`), or one or two typos.
fn suggest_element(name: &str) -> Option<&'static str> {
    fn words(s: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in s.chars() {
            if c.is_ascii_uppercase() || out.is_empty() {
                out.push(String::new());
            }
            if let Some(w) = out.last_mut() {
                w.push(c.to_ascii_lowercase());
            }
        }
        crate::text::sort_small_by(&mut out, Ord::cmp);
        out
    }
    static KNOWN_WORDS: std::sync::OnceLock<Vec<(Vec<String>, &'static str)>> =
        std::sync::OnceLock::new();
    let known = KNOWN_WORDS.get_or_init(|| KNOWN_ELEMENTS.iter().map(|k| (words(k), *k)).collect());
    // No element name is longer than 27 characters; a much longer name is not a typo of one.
    if name.len() > 40 {
        return None;
    }
    KNOWN_ELEMENTS
        .iter()
        .find(|k| k.eq_ignore_ascii_case(name))
        .copied()
        .or_else(|| {
            let w = words(name);
            known.iter().find(|(kw, _)| *kw == w).map(|(_, k)| *k)
        })
        .or_else(|| crate::text::closest(name, KNOWN_ELEMENTS.iter().copied()))
}

fn server_checks(doc: &ConfigDoc, s: &ServerElement, out: &mut Findings) {
    let e = s.element;
    if let Some(p) = e.child("password") {
        if !p.text.trim().is_empty() {
            out.emit(
                &D203,
                s.field("password"),
                format!("a password is written into the file{}", at(p.line)),
                "remove the <password> element; clients ask the person for it".into(),
                None,
            );
        }
    }
    let protocol = match s.kind {
        ServerKind::Mail(p) => p,
        ServerKind::Other => return,
        ServerKind::Unknown => {
            let expected = match s.direction {
                crate::documents::Direction::Incoming => "\"imap\" or \"pop3\"",
                crate::documents::Direction::Outgoing => "\"smtp\"",
            };
            out.emit(
                &D102,
                format!("{}@type", s.path),
                match s.type_attr {
                    Some(t) => format!(
                        "server type {} is not one clients know{}",
                        Quoted(t),
                        at(e.line)
                    ),
                    None => format!("the server has no type{}", at(e.line)),
                },
                format!("set type to {expected}"),
                None,
            );
            return;
        }
    };
    let incoming = protocol.is_incoming();
    for field in ["hostname", "port", "socketType", "authentication"] {
        if s.text(field).is_none_or(str::is_empty) {
            out.emit(
                &D101,
                s.field(field),
                format!("the server has no <{field}>{}", at(e.line)),
                format!("add <{field}>"),
                None,
            );
        }
    }
    // The socketType a client would pick: the first it knows.
    let mut security = None;
    for st in e.children_named("socketType") {
        let v = st.text.trim();
        match crate::documents::parse_socket_type(v) {
            Some(sec) => {
                security.get_or_insert(sec);
            }
            None if v.is_empty() => {}
            None => {
                let fix = crate::documents::SOCKET_TYPES
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(v))
                    .map(|(n, _)| *n);
                out.emit(
                    &D103,
                    s.field("socketType"),
                    format!("socketType {} is not plain, SSL or STARTTLS{}", Quoted(v), at(st.line)),
                    match fix {
                        Some(f) => format!("write {f}"),
                        None => "write SSL for implicit TLS (ports 993, 995, 465) or STARTTLS for 143, 110, 587".into(),
                    },
                    fix.map(|f| FixValue::Text(f.into())),
                );
            }
        }
    }
    for a in e.children_named("authentication") {
        let v = a.text.trim();
        if let Some((old, new)) = crate::documents::DEPRECATED_AUTH
            .iter()
            .find(|(n, _)| *n == v)
        {
            out.emit(
                &D105,
                s.field("authentication"),
                format!("authentication {} is deprecated{}", Quoted(old), at(a.line)),
                format!("write {}", new.name()),
                Some(FixValue::Text(new.name().into())),
            );
            continue;
        }
        let known = AuthMethod::parse(v).filter(|m| !(incoming && m.outgoing_only()));
        if known.is_none() && !v.is_empty() {
            let candidates = AuthMethod::ALL
                .iter()
                .filter(|(_, m)| !(incoming && m.outgoing_only()))
                .map(|(n, _)| *n);
            let fix = candidates
                .clone()
                .find(|n| n.eq_ignore_ascii_case(v))
                .or_else(|| crate::text::closest(v, candidates));
            out.emit(
                &D104,
                s.field("authentication"),
                format!(
                    "authentication {} is not a value clients know for {} servers{}",
                    Quoted(v),
                    if incoming { "incoming" } else { "outgoing" },
                    at(a.line)
                ),
                match fix {
                    Some(f) => format!("did you mean {f}?"),
                    None => "use password-cleartext, password-encrypted or OAuth2".into(),
                },
                fix.map(|f| FixValue::Text(f.into())),
            );
        }
    }
    if let Some(port_el) = e.child("port") {
        let t = port_el.text.trim();
        if !t.is_empty() && crate::documents::parse_port(t).is_none() {
            let fix = security.map(|sec| super::port::standard_port(protocol, sec));
            out.emit(
                &D106,
                s.field("port"),
                format!(
                    "port {} is not a number from 1 to 65535{}",
                    Quoted(t),
                    at(port_el.line)
                ),
                match fix {
                    Some(p) => format!("the standard port here is {p}"),
                    None => "write the port number".into(),
                },
                fix.map(FixValue::Port),
            );
        }
    }
    let usable = crate::documents::usable_auth(s, doc.oauth2.is_some());
    let chosen = usable.first().copied();
    let password_login = matches!(
        chosen,
        Some(AuthMethod::PasswordCleartext | AuthMethod::PasswordEncrypted | AuthMethod::Ntlm)
    );
    if s.text("username").is_none_or(str::is_empty) && (incoming || password_login) {
        out.emit(
            &D101,
            s.field("username"),
            format!("the server has no <username>{}", at(e.line)),
            "add <username>%EMAILADDRESS%</username> (or %EMAILLOCALPART%)".into(),
            Some(FixValue::Text("%EMAILADDRESS%".into())),
        );
    }
    if security == Some(Security::None) {
        match chosen {
            Some(m @ (AuthMethod::PasswordCleartext | AuthMethod::OAuth2)) => out.emit(
                &D201,
                s.field("socketType"),
                format!(
                    "{} is sent unencrypted: socketType is plain{}",
                    if m == AuthMethod::OAuth2 {
                        "the OAuth2 token"
                    } else {
                        "the password"
                    },
                    at(e.line)
                ),
                format!(
                    "use SSL on port {} or STARTTLS on port {}, if the server offers it",
                    super::port::standard_port(protocol, Security::Tls),
                    super::port::standard_port(protocol, Security::Starttls)
                ),
                None,
            ),
            _ => out.emit(
                &D202,
                s.field("socketType"),
                format!(
                    "the connection is not encrypted: socketType is plain{}",
                    at(e.line)
                ),
                format!(
                    "use SSL on port {} or STARTTLS on port {}, if the server offers it",
                    super::port::standard_port(protocol, Security::Tls),
                    super::port::standard_port(protocol, Security::Starttls)
                ),
                None,
            ),
        }
    }
    let lists_oauth2 = e
        .children_named("authentication")
        .any(|a| a.text.trim() == "OAuth2");
    if lists_oauth2 && !usable.contains(&AuthMethod::OAuth2) {
        let host = s.text("hostname").unwrap_or("this host");
        if usable.is_empty() {
            out.emit(
                &D204,
                s.field("authentication"),
                format!("OAuth2 is the only sign-in, but there is no <oAuth2> block and clients know no OAuth2 endpoints for {host}{}", at(e.line)),
                "add an <oAuth2> block (issuer, scope, authURL, tokenURL) to the file, or a password method".into(),
                None,
            );
        } else {
            out.emit(
                &D205,
                s.field("authentication"),
                format!(
                    "clients skip OAuth2 and use {}: there is no <oAuth2> block and no client knows OAuth2 endpoints for {host}{}",
                    usable[0].name(),
                    at(e.line)
                ),
                "add an <oAuth2> block (issuer, scope, authURL, tokenURL), or remove OAuth2".into(),
                None,
            );
        }
    }
}

fn duplicates(doc: &ConfigDoc, out: &mut Findings) {
    // (kind, host, port, socketType, position), sorted so that copies sit together, the first
    // of each group being the earliest in the file.
    let mut keys: Vec<(String, String, &str, &str, usize)> = doc
        .servers
        .iter()
        .enumerate()
        .filter(|(_, s)| matches!(s.kind, ServerKind::Mail(_)))
        .filter_map(|(i, s)| {
            Some((
                s.path.split('[').next().unwrap_or("").to_owned() + s.type_attr.unwrap_or(""),
                s.text("hostname")?.to_ascii_lowercase(),
                s.text("port")?,
                s.text("socketType")?,
                i,
            ))
        })
        .collect();
    crate::text::sort_small_by(&mut keys, Ord::cmp);
    for group in keys.chunk_by(|a, b| (&a.0, &a.1, a.2, a.3) == (&b.0, &b.1, b.2, b.3)) {
        let first = &doc.servers[group[0].4];
        for (_, host, port, socket, i) in &group[1..] {
            let s = &doc.servers[*i];
            out.emit(
                &D109,
                s.path.clone(),
                format!(
                    "{} repeats {} ({host} port {port} {socket}){}",
                    s.path,
                    first.path,
                    at(s.element.line)
                ),
                "remove the copy, or change the setting that was meant to differ".into(),
                None,
            );
        }
    }
}

fn placeholders(
    doc: &ConfigDoc,
    paths: &[(String, &crate::documents::xml::Element)],
    out: &mut Findings,
) {
    for (path, e) in paths {
        let mut spots: Vec<(String, &str)> = vec![(path.clone(), e.text.trim())];
        for (k, v) in &e.attributes {
            spots.push((format!("{path}@{k}"), v.as_str()));
        }
        for (field, text) in spots {
            let problems = crate::documents::placeholder_problems(text, &doc.custom_placeholders);
            if problems.is_empty() {
                continue;
            }
            let fixed = crate::documents::fix_placeholders(text, &problems);
            // One finding per distinct token in a field, however often it repeats.
            let mut reported: Vec<&str> = Vec::new();
            for p in &problems {
                if reported.contains(&p.found.as_str()) {
                    continue;
                }
                reported.push(&p.found);
                out.emit(
                    &D107,
                    field.clone(),
                    format!("{}: {}{}", Quoted(&p.found), p.why, at(e.line)),
                    match &p.fix {
                        Some(f) => format!("write {f}"),
                        None => format!("use one of {}", known_list()),
                    },
                    fixed.clone().map(FixValue::Text),
                );
            }
        }
    }
}

fn known_list() -> String {
    PLACEHOLDERS
        .iter()
        .map(|p| format!("%{p}%"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn values(paths: &[(String, &crate::documents::xml::Element)], out: &mut Findings) {
    for (path, e) in paths {
        let t = e.text.trim();
        if BOOLEANS.contains(&e.name.as_str()) && t != "true" && t != "false" {
            let fix = match t.to_ascii_lowercase().as_str() {
                "true" | "yes" | "1" | "on" => Some("true"),
                "false" | "no" | "0" | "off" => Some("false"),
                _ => None,
            };
            out.emit(
                &D108,
                path.clone(),
                format!("{} is not true or false{}", Quoted(t), at(e.line)),
                "write true or false".into(),
                fix.map(|f| FixValue::Text(f.into())),
            );
        }
        if e.name == "daysToLeaveMessagesOnServer" && t.parse::<u32>().is_err() {
            out.emit(
                &D108,
                path.clone(),
                format!("{} is not a number of days{}", Quoted(t), at(e.line)),
                "write a whole number of days".into(),
                None,
            );
        }
        if e.name == "checkInterval" {
            if let Some(m) = e.attribute("minutes") {
                if m.trim().parse::<u32>().is_err() {
                    out.emit(
                        &D108,
                        format!("{path}@minutes"),
                        format!("{} is not a number of minutes{}", Quoted(m), at(e.line)),
                        "write a whole number of minutes".into(),
                        None,
                    );
                }
            }
        }
    }
}

fn oauth2_block(doc: &ConfigDoc, out: &mut Findings) {
    let Some(block) = doc.oauth2 else { return };
    for child in ["issuer", "scope", "authURL", "tokenURL"] {
        match block.child_text(child) {
            None | Some("") => out.emit(
                &D206,
                format!("oAuth2.{child}"),
                format!("the <oAuth2> block has no <{child}>{}", at(block.line)),
                format!("add <{child}>"),
                None,
            ),
            Some(url)
                if child.ends_with("URL") && !url.to_ascii_lowercase().starts_with("https://") =>
            {
                out.emit(
                    &D206,
                    format!("oAuth2.{child}"),
                    format!(
                        "{child} {} is not an https:// URL{}",
                        Quoted(url),
                        at(block.line)
                    ),
                    "use the https:// endpoint".into(),
                    None,
                )
            }
            Some(_) => {}
        }
    }
}

/// XML vectors for the D rules: for each rule, documents on which it must stay silent and
/// documents on which it must fire. Checked by this file's tests (the registry's vector test
/// reads Account JSON, so D rules keep theirs here).
#[cfg(test)]
pub(crate) fn vectors() -> Vec<(&'static Rule, Vec<String>, Vec<String>)> {
    use tests::{GMAIL_LIKE, GOOD, OFFICE365_LIKE};
    let good = |edits: &[(&str, &str)]| tests::good_with(edits);
    let doc = |s: &str| s.to_owned();
    let provider = |inner: &str| {
        format!(
            r#"<clientConfig version="1.1"><emailProvider id="example.com"><domain>example.com</domain>{inner}</emailProvider></clientConfig>"#
        )
    };
    let imap_ok = r#"<incomingServer type="imap"><hostname>imap.example.com</hostname><port>993</port><socketType>SSL</socketType><authentication>password-cleartext</authentication><username>%EMAILADDRESS%</username></incomingServer>"#;
    let plain_imap = [
        ("<port>993</port>", "<port>143</port>"),
        (
            "<socketType>SSL</socketType>",
            "<socketType>plain</socketType>",
        ),
    ];
    vec![
        (&D001, vec![doc(GOOD)], vec![doc(r#"<clientConfig version="1.1"/>"#)]),
        (
            &D002,
            vec![doc(GOOD)],
            vec![
                doc(&format!(r#"<clientConfig><emailProvider id="x">{imap_ok}</emailProvider></clientConfig>"#)),
                doc(r#"<clientConfig><emailProvider id="x"><domain>not a domain</domain></emailProvider></clientConfig>"#),
            ],
        ),
        (
            &D003,
            vec![doc(GOOD), doc(OFFICE365_LIKE)],
            vec![provider(r#"<incomingServer type="ews"><url>https://example.com/ews</url></incomingServer>"#)],
        ),
        (&D004, vec![doc(GOOD)], vec![provider(imap_ok)]),
        (
            &D005,
            vec![doc(GOOD), doc(GMAIL_LIKE)],
            vec![provider("<displayNameShort>X</displayNameShort>")],
        ),
        (
            &D101,
            vec![doc(GOOD)],
            vec![
                provider(r#"<outgoingServer type="smtp"><hostname>smtp.example.com</hostname><port>465</port><socketType>SSL</socketType><authentication>password-cleartext</authentication></outgoingServer>"#),
                good(&[("<hostname>imap.example.com</hostname>", "")]),
            ],
        ),
        (
            &D102,
            vec![doc(GOOD), doc(OFFICE365_LIKE)],
            vec![good(&[(r#"type="imap""#, r#"type="imaps""#)])],
        ),
        (
            &D103,
            vec![doc(GOOD)],
            vec![good(&[("<socketType>SSL</socketType>", "<socketType>ssl</socketType>")])],
        ),
        (
            &D104,
            vec![doc(GOOD)],
            vec![
                good(&[("password-cleartext", "password-plain")]),
                good(&[("password-cleartext", "client-IP-address")]),
            ],
        ),
        (
            &D105,
            vec![doc(GOOD)],
            vec![good(&[("password-cleartext", "plain")])],
        ),
        (
            &D106,
            vec![doc(GOOD)],
            vec![
                good(&[("<port>993</port>", "<port>99300</port>")]),
                good(&[("<port>993</port>", "<port>993a</port>")]),
            ],
        ),
        (
            &D107,
            vec![doc(GOOD)],
            vec![
                good(&[("%EMAILADDRESS%", "%EMAILADDRESS")]),
                good(&[("%EMAILADDRESS%", "%emailaddress%")]),
            ],
        ),
        (
            &D108,
            vec![doc(GOOD)],
            vec![good(&[(
                "</incomingServer>",
                "<useGlobalPreferredServer>yes</useGlobalPreferredServer></incomingServer>",
            )])],
        ),
        (
            &D109,
            vec![doc(GOOD)],
            vec![good(&[("<outgoingServer", &format!("{imap_ok}<outgoingServer"))])],
        ),
        (&D201, vec![doc(GOOD)], vec![good(&plain_imap)]),
        (
            &D202,
            vec![doc(GOOD), good(&plain_imap)],
            vec![good(&[
                plain_imap[0],
                plain_imap[1],
                ("password-cleartext", "password-encrypted"),
            ])],
        ),
        (
            &D203,
            vec![doc(GOOD)],
            vec![good(&[("</incomingServer>", "<password>hunter2</password></incomingServer>")])],
        ),
        (
            &D204,
            vec![doc(GOOD), doc(GMAIL_LIKE)],
            vec![good(&[("password-cleartext", "OAuth2")])],
        ),
        (
            &D205,
            vec![doc(GOOD), doc(GMAIL_LIKE), good(&[("password-cleartext", "OAuth2")])],
            vec![good(&[(
                "<authentication>password-cleartext</authentication>",
                "<authentication>OAuth2</authentication><authentication>password-cleartext</authentication>",
            )])],
        ),
        (
            &D206,
            vec![doc(GOOD), doc(GMAIL_LIKE)],
            vec![good(&[(
                "</clientConfig>",
                "<oAuth2><issuer>login.example.com</issuer><scope>mail</scope><authURL>https://login.example.com/auth</authURL><tokenURL>http://login.example.com/token</tokenURL></oAuth2></clientConfig>",
            )])],
        ),
    ]
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A clean file: one IMAP and one SMTP server, both over implicit TLS.
    pub(crate) const GOOD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="example.com">
    <domain>example.com</domain>
    <displayName>Example Mail</displayName>
    <displayShortName>Example</displayShortName>
    <incomingServer type="imap">
      <hostname>imap.example.com</hostname>
      <port>993</port>
      <socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILADDRESS%</username>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.example.com</hostname>
      <port>465</port>
      <socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILADDRESS%</username>
    </outgoingServer>
    <documentation url="https://example.com/help/mail?user=%EMAILADDRESS%&amp;lang=en%2Fus">
      <descr lang="en">Mail settings</descr>
    </documentation>
  </emailProvider>
</clientConfig>
"#;

    /// OAuth2 on hosts clients know, and an <oAuth2> block that is complete.
    pub(crate) const GMAIL_LIKE: &str = r#"<clientConfig version="1.1">
  <emailProvider id="googlemail.com">
    <domain>gmail.com</domain>
    <incomingServer type="imap">
      <hostname>imap.gmail.com</hostname><port>993</port><socketType>SSL</socketType>
      <authentication>OAuth2</authentication><authentication>password-cleartext</authentication>
      <username>%EMAILADDRESS%</username>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.gmail.com</hostname><port>465</port><socketType>SSL</socketType>
      <authentication>OAuth2</authentication>
      <username>%EMAILADDRESS%</username>
    </outgoingServer>
  </emailProvider>
  <oAuth2>
    <issuer>accounts.google.com</issuer>
    <scope>https://mail.google.com/</scope>
    <authURL>https://accounts.google.com/o/oauth2/auth</authURL>
    <tokenURL>https://www.googleapis.com/oauth2/v3/token</tokenURL>
  </oAuth2>
</clientConfig>"#;

    /// Non-mail server types (EWS, OWA, Graph, Exchange) beside IMAP and SMTP.
    pub(crate) const OFFICE365_LIKE: &str = r#"<clientConfig version="1.1">
  <emailProvider id="example.com">
    <domain>example.com</domain>
    <incomingServer type="imap"><hostname>imap.example.com</hostname><port>993</port><socketType>SSL</socketType><authentication>password-cleartext</authentication><username>%EMAILADDRESS%</username></incomingServer>
    <incomingServer type="ews"><username>%EMAILADDRESS%</username><authentication>OAuth2</authentication><url>https://example.com/ews/exchange.asmx</url></incomingServer>
    <incomingServer type="owa"><username>%EMAILADDRESS%</username><url>https://example.com/owa/</url></incomingServer>
    <incomingServer type="graph"><username>%EMAILADDRESS%</username><url>https://graph.example.com/</url></incomingServer>
    <incomingServer type="exchange"><hostname>example.com</hostname><port>443</port><username>%EMAILADDRESS%</username><socketType>SSL</socketType><authentication>OAuth2</authentication></incomingServer>
    <outgoingServer type="smtp"><hostname>smtp.example.com</hostname><port>465</port><socketType>SSL</socketType><authentication>password-cleartext</authentication><username>%EMAILADDRESS%</username></outgoingServer>
  </emailProvider>
</clientConfig>"#;

    /// GOOD with text replacements applied in order (each replaces the first occurrence).
    pub(crate) fn good_with(edits: &[(&str, &str)]) -> String {
        let mut s = GOOD.to_owned();
        for (from, to) in edits {
            assert!(s.contains(from), "vector edit {from:?} does not apply");
            s = s.replacen(from, to, 1);
        }
        s
    }

    fn d_findings(xml: &str) -> Vec<Finding> {
        let root = crate::documents::xml::parse(xml).expect("vector parses");
        let doc = ConfigDoc::new(&root);
        let imported = crate::documents::import_doc(&doc, None);
        check(&doc, &imported)
    }

    #[test]
    fn every_d_rule_has_vectors_and_they_hold() {
        let d_rules: Vec<&Rule> = crate::catalog::RULES
            .iter()
            .copied()
            .filter(|r| r.code.starts_with('D'))
            .collect();
        let vectors = vectors();
        assert_eq!(d_rules.len(), vectors.len(), "a D rule without vectors");
        for rule in d_rules {
            let (_, pass, fail) = vectors
                .iter()
                .find(|(r, _, _)| r.code == rule.code)
                .unwrap_or_else(|| panic!("{}: no vectors", rule.code));
            assert!(!pass.is_empty() && !fail.is_empty(), "{}", rule.code);
            for (docs, must_fire) in [(pass, false), (fail, true)] {
                for xml in docs {
                    let findings = d_findings(xml);
                    let fired = findings.iter().any(|f| f.code == rule.code);
                    assert_eq!(fired, must_fire, "{} on {xml}: {findings:#?}", rule.code);
                }
            }
        }
    }

    #[test]
    fn good_is_clean_of_d_findings() {
        for xml in [GOOD, GMAIL_LIKE, OFFICE365_LIKE] {
            assert_eq!(d_findings(xml), [], "{xml}");
        }
    }

    #[test]
    fn known_elements_sorted() {
        assert!(KNOWN_ELEMENTS.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(
            suggest_element("displayNameShort"),
            Some("displayShortName")
        );
        assert_eq!(suggest_element("sockettype"), Some("socketType"));
        assert_eq!(suggest_element("hostnmae"), Some("hostname"));
    }

    #[test]
    fn findings_name_the_server_and_line() {
        let xml = good_with(&[("%EMAILADDRESS%", "%EMAILADDRESS")]);
        let f = d_findings(&xml);
        let p = f.iter().find(|f| f.code == "D107").unwrap();
        assert_eq!(p.field, "incomingServer[1].username");
        assert!(p.message.contains("line 12"), "{}", p.message);
        assert_eq!(
            p.fix.as_ref().map(|x| &x.value),
            Some(&FixValue::Text("%EMAILADDRESS%".into()))
        );
    }
}
