//! D0xx: the autoconfig file's structure — a provider, a domain, an incoming and an outgoing
//! server a client can use, and only elements the format defines.

use super::{at, DocumentRule, Lint, ANDROID, FORMAT, READER};
#[cfg(test)]
use crate::diagnostic::Vector;
use crate::diagnostic::{FixValue, Rule, Severity};
use crate::documents::autoconfig::Direction;
use crate::rules::findings::Findings;
use std::sync::LazyLock;

pub(crate) const D001: DocumentRule = DocumentRule {
    rule: Rule {
        code: "D001",
        name: "autoconfig-no-email-provider",
        severity: Severity::Error,
        summary: "the file has no <emailProvider>",
        what: "A `<clientConfig>` without the `<emailProvider>` element that holds domains and servers.",
        why: "Clients refuse the whole file: there is nothing to configure.",
        example: "`<clientConfig version=\"1.1\"></clientConfig>` → add `<emailProvider id=\"example.com\">` with the domain and servers.",
        references: &[FORMAT, READER],
    },
    check: no_email_provider,
    #[cfg(test)]
    vectors: || {
        use super::fixtures::*;
        vec![
            Vector::silent("D001", "a clean file", GOOD),
            Vector::fires("D001", "a clientConfig with nothing in it", r#"<clientConfig version="1.1"/>"#),
        ]
    },
};

fn no_email_provider(lint: &Lint, out: &mut Findings) {
    let doc = lint.doc;
    if doc.provider.is_some() {
        return;
    }
    out.emit(
        &D001.rule,
        "clientConfig",
        format!("there is no <emailProvider>{}", at(doc.root.line)),
        "put the domains and servers inside <emailProvider id=\"your-domain\">".into(),
        None,
    );
}

pub(crate) const D002: DocumentRule = DocumentRule {
    rule: Rule {
        code: "D002",
        name: "autoconfig-no-domain",
        severity: Severity::Error,
        summary: "the file names no email domain",
        what: "An `<emailProvider>` without a `<domain>` that is a host name as Thunderbird checks one (ASCII letters, digits, hyphens and dots; a placeholder such as `%EMAILDOMAIN%` is accepted).",
        why: "Thunderbird refuses a file with no proper domain (\"need proper <domain> in XML\"), and the ISPDB finds files by domain.",
        example: "Add `<domain>example.com</domain>` for each email domain the settings serve.",
        references: &[FORMAT, READER],
    },
    check: no_domain,
    #[cfg(test)]
    vectors: || {
        use super::fixtures::*;
        vec![
            Vector::silent("D002", "a clean file", GOOD),
            Vector::fires(
                "D002",
                "a provider without a <domain>",
                format!(r#"<clientConfig><emailProvider id="x">{IMAP_OK}</emailProvider></clientConfig>"#),
            ),
            Vector::fires(
                "D002",
                "a <domain> that is not a domain name",
                r#"<clientConfig><emailProvider id="x"><domain>not a domain</domain></emailProvider></clientConfig>"#,
            ),
            Vector::silent(
                "D002",
                "<domain>%EMAILDOMAIN%</domain>, as mailcow and Mailu serve it",
                provider("").replace("<domain>example.com</domain>", "<domain>%EMAILDOMAIN%</domain>"),
            ),
            Vector::fires(
                "D002",
                "an internationalised domain in Unicode (Thunderbird checks ASCII only)",
                provider("").replace("<domain>example.com</domain>", "<domain>bücher.example</domain>"),
            ),
        ]
    },
};

fn no_domain(lint: &Lint, out: &mut Findings) {
    let Some(provider) = lint.doc.provider else {
        return;
    };
    if lint.thunderbird.domain_ok {
        return;
    }
    out.emit(
        &D002.rule,
        "emailProvider",
        format!("no <domain> with a valid domain name{}", at(provider.line)),
        "add <domain>example.com</domain> for each email domain these settings serve".into(),
        None,
    );
}

pub(crate) const D003: DocumentRule = DocumentRule {
    rule: Rule {
        code: "D003",
        name: "autoconfig-no-incoming-server",
        severity: Severity::Error,
        summary: "no incoming server a client can use",
        what: "No `<incomingServer>` Thunderbird reads: of a type it knows (`imap`, `pop3`, or `exchange`, `ews`, `owa`, `nntp`), with a host name, a `socketType` and an `authentication` it knows.",
        why: "Thunderbird refuses the whole file (\"Need proper <incomingServer>\").",
        example:
            "An IMAP server with `hostname`, `port`, `socketType`, `authentication` and `username`.",
        references: &[FORMAT, READER],
    },
    check: no_incoming_server,
    #[cfg(test)]
    vectors: || {
        use super::fixtures::*;
        vec![
            Vector::silent("D003", "a clean file", GOOD),
            Vector::silent("D003", "IMAP beside non-mail server types", OFFICE365_LIKE),
            Vector::fires(
                "D003",
                "only an Exchange Web Services server without sign-in",
                provider(r#"<incomingServer type="ews"><url>https://example.com/ews</url></incomingServer>"#),
            ),
            Vector::silent(
                "D003",
                "only an Exchange server, which Thunderbird reads",
                provider(r#"<incomingServer type="exchange"><hostname>mail.example.com</hostname><port>443</port><socketType>SSL</socketType><authentication>password-cleartext</authentication><username>%EMAILADDRESS%</username></incomingServer>"#),
            ),
            Vector::fires(
                "D003",
                "the only IMAP server's socketType has spaces around it",
                good_with(&[("<socketType>SSL</socketType>", "<socketType> SSL </socketType>")]),
            ),
        ]
    },
};

fn no_incoming_server(lint: &Lint, out: &mut Findings) {
    no_usable_server(lint, &D003.rule, Direction::Incoming, out);
}

/// D003 and D004: no server of one direction that a client can use, with the reasons the
/// importer skipped the servers there are.
fn no_usable_server(lint: &Lint, rule: &'static Rule, direction: Direction, out: &mut Findings) {
    let Some(provider) = lint.doc.provider else {
        return;
    };
    let what = match direction {
        Direction::Incoming => "incoming",
        Direction::Outgoing => "outgoing (SMTP)",
    };
    if lint.thunderbird.has_server(lint.doc, direction) {
        return;
    }
    let why: Vec<String> = lint
        .doc
        .servers
        .iter()
        .zip(&lint.thunderbird.servers)
        .filter(|(e, _)| e.direction == direction)
        .filter_map(|(e, r)| {
            r.as_ref()
                .err()
                .map(|skip| format!("{}: {}", e.path, skip.why))
        })
        .collect();
    out.emit(
        rule,
        "emailProvider",
        if why.is_empty() {
            format!("there is no {what} server{}", at(provider.line))
        } else {
            format!(
                "no {what} server Thunderbird can use ({}){}",
                why.join("; "),
                at(provider.line)
            )
        },
        format!("add a complete {what} server"),
        None,
    );
}

pub(crate) const D004: DocumentRule = DocumentRule {
    rule: Rule {
        code: "D004",
        name: "autoconfig-no-outgoing-server",
        severity: Severity::Error,
        summary: "no outgoing server a client can use",
        what: "No `<outgoingServer type=\"smtp\">` Thunderbird reads: a host name, a port, a `socketType` and an `authentication` it knows.",
        why: "Thunderbird refuses the whole file (\"Need proper <outgoingServer>\"): an account that cannot send is not set up.",
        example: "Add `<outgoingServer type=\"smtp\">` with `hostname`, `port`, `socketType`, `authentication` and `username`.",
        references: &[FORMAT, READER],
    },
    check: no_outgoing_server,
    #[cfg(test)]
    vectors: || {
        use super::fixtures::*;
        vec![
            Vector::silent("D004", "a clean file", GOOD),
            Vector::fires("D004", "an IMAP server and no SMTP server", provider(IMAP_OK)),
        ]
    },
};

fn no_outgoing_server(lint: &Lint, out: &mut Findings) {
    no_usable_server(lint, &D004.rule, Direction::Outgoing, out);
}

pub(crate) const D005: DocumentRule = DocumentRule {
    rule: Rule {
        code: "D005",
        name: "unknown-element",
        severity: Severity::Warning,
        summary: "an element the format does not define (often a misspelling)",
        what: "An element name that is not part of the autoconfig format, such as `<displayNameShort>` for `<displayShortName>` or `<sockettype>` for `<socketType>`.",
        why: "Clients ignore elements they do not know, so a misspelt setting silently has no effect.",
        example: "`<displayNameShort>` → `<displayShortName>`.",
        references: &[FORMAT],
    },
    check: unknown_element,
    #[cfg(test)]
    vectors: || {
        use super::fixtures::*;
        vec![
            Vector::silent("D005", "a clean file", GOOD),
            Vector::silent("D005", "an <oAuth2> block", GMAIL_LIKE),
            Vector::fires(
                "D005",
                "<displayNameShort> for <displayShortName>",
                provider("<displayNameShort>X</displayNameShort>"),
            ),
        ]
    },
};

fn unknown_element(lint: &Lint, out: &mut Findings) {
    for (path, e) in &lint.paths {
        if KNOWN_ELEMENTS.binary_search(&e.name.as_str()).is_ok() {
            continue;
        }
        let suggestion = suggest_element(&e.name);
        out.emit(
            &D005.rule,
            &path.clone(),
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

pub(crate) const D006: DocumentRule = DocumentRule {
    rule: Rule {
        code: "D006",
        name: "autoconfig-provider-id-invalid",
        severity: Severity::Error,
        summary: "the emailProvider id is missing or not a host name",
        what: "An `<emailProvider>` without an `id`, or whose `id` is not a host name as Thunderbird checks one (a placeholder such as `%EMAILDOMAIN%` is accepted).",
        why: "Thunderbird refuses the whole file: `readFromXML` checks the id before anything else.",
        example: "`<emailProvider>` → `<emailProvider id=\"example.com\">` (the main domain).",
        references: &[FORMAT, READER],
    },
    check: provider_id_invalid,
    #[cfg(test)]
    vectors: || {
        use super::fixtures::*;
        vec![
            Vector::silent("D006", "a clean file", GOOD),
            Vector::fires(
                "D006",
                "no id",
                good_with(&[(r#"<emailProvider id="example.com">"#, "<emailProvider>")]),
            ),
            Vector::fires(
                "D006",
                "an id that is not a host name",
                good_with(&[(r#"id="example.com""#, r#"id="Example Mail""#)]),
            ),
        ]
    },
};

fn provider_id_invalid(lint: &Lint, out: &mut Findings) {
    let (Some(provider), Some(why)) = (lint.doc.provider, &lint.thunderbird.id_refused) else {
        return;
    };
    let fix = lint.doc.domain_names().into_iter().next();
    out.emit(
        &D006.rule,
        "emailProvider@id",
        format!("Thunderbird refuses the file: {why}{}", at(provider.line)),
        "set id to the main email domain, such as example.com".into(),
        fix.map(FixValue::Text),
    );
}

pub(crate) const D007: DocumentRule = DocumentRule {
    rule: Rule {
        code: "D007",
        name: "several-email-providers",
        severity: Severity::Warning,
        summary: "more than one <emailProvider>: clients disagree which one counts",
        what: "A `<clientConfig>` with several `<emailProvider>` elements.",
        why: "Thunderbird reads the first and ignores the others; Thunderbird for Android reads every one (refusing the file if any is broken) and uses the last.",
        example: "Two `<emailProvider>` blocks → one file per provider.",
        references: &[FORMAT, READER, ANDROID],
    },
    check: several_providers,
    #[cfg(test)]
    vectors: || {
        use super::fixtures::*;
        vec![
            Vector::silent("D007", "a clean file", GOOD),
            Vector::fires(
                "D007",
                "two providers",
                good_with(&[(
                    "</clientConfig>",
                    r#"<emailProvider id="example.net"><domain>example.net</domain></emailProvider></clientConfig>"#,
                )]),
            ),
        ]
    },
};

fn several_providers(lint: &Lint, out: &mut Findings) {
    let providers: Vec<_> = lint.doc.root.children_named("emailProvider").collect();
    if let [_, .., last] = providers[..] {
        out.emit(
            &D007.rule,
            "clientConfig",
            format!(
                "{} <emailProvider> elements: Thunderbird reads the first, Thunderbird for Android the last (line {}){}",
                providers.len(),
                last.line,
                at(lint.doc.root.line)
            ),
            "keep one <emailProvider> per file".into(),
            None,
        );
    }
}

pub(crate) const D008: DocumentRule = DocumentRule {
    rule: Rule {
        code: "D008",
        name: "placeholder-domain",
        severity: Severity::Info,
        summary: "the file is for any domain (%EMAILDOMAIN%)",
        what: "A `<domain>` or the `emailProvider id` that is a placeholder, as the autoconfig of mail suites such as mailcow and Mailu serves it from `autoconfig.<domain>`.",
        why: "Thunderbird accepts it, but such a file cannot go into the ISPDB (which finds files by domain), says nothing about which addresses it serves, and Thunderbird for Android refuses a placeholder `id`.",
        example: "`<domain>%EMAILDOMAIN%</domain>` → one `<domain>` per email domain the server hosts, and `id` set to the main one.",
        references: &[FORMAT, READER, ANDROID],
    },
    check: placeholder_domain,
    #[cfg(test)]
    vectors: || {
        use super::fixtures::*;
        vec![
            Vector::silent("D008", "a clean file", GOOD),
            Vector::fires(
                "D008",
                "<domain>%EMAILDOMAIN%</domain>",
                good_with(&[("<domain>example.com</domain>", "<domain>%EMAILDOMAIN%</domain>")]),
            ),
        ]
    },
};

fn placeholder_domain(lint: &Lint, out: &mut Findings) {
    let Some(provider) = lint.doc.provider else {
        return;
    };
    let id = provider.attribute("id").filter(|i| i.contains('%'));
    let domain = lint.doc.domains.iter().find(|d| d.text.contains('%'));
    let (field, line) = match (domain, id) {
        (Some(d), _) => ("domain", d.line),
        (None, Some(_)) => ("emailProvider@id", provider.line),
        (None, None) => return,
    };
    out.emit(
        &D008.rule,
        field,
        format!(
            "the file names no domain of its own, only a placeholder{}",
            at(line)
        ),
        "list each email domain the server hosts in its own <domain>, and set id to the main one"
            .into(),
        None,
    );
}

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

/// The known element a misspelt name most likely meant: same name in another case, the same
/// camel-case words in another order (`displayNameShort`), or one or two typos.
pub(super) fn suggest_element(name: &str) -> Option<&'static str> {
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
        out.sort();
        out
    }
    static KNOWN_WORDS: LazyLock<Vec<(Vec<String>, &'static str)>> =
        LazyLock::new(|| KNOWN_ELEMENTS.iter().map(|k| (words(k), *k)).collect());
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
            KNOWN_WORDS.iter().find(|(kw, _)| *kw == w).map(|(_, k)| *k)
        })
        .or_else(|| crate::text::closest(name, KNOWN_ELEMENTS.iter().copied()))
}
