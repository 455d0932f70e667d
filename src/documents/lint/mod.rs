//! Lint an autoconfig file: the D rules on the document, then every normal validation rule on
//! each IMAP, POP3 and SMTP server a client could use, reported with the server's field path.
//!
//! The D rules live here, beside the autoconfig code they read, each with its documentation,
//! its check and its vectors: [`structure`] (D0xx: the file's structure), [`values`] (D1xx: the
//! values a client reads), [`security`] (D2xx) and [`clients`] (D3xx: what each client would
//! refuse or skip). They follow what the clients do with the file, step for step
//! ([`super::clients`]): Thunderbird's `readFromXML.sys.mjs` is the reference reader, so a file
//! it refuses gets one of [`THUNDERBIRD_REFUSES`] and no other file does (the test suite holds
//! this to Thunderbird's own code); Thunderbird for Android, stricter, gets its own findings.
//! D rules take XML, not Account JSON, so their vectors are XML documents.

pub(crate) mod clients;
pub(crate) mod security;
pub(crate) mod structure;
pub(crate) mod values;

use super::autoconfig::{
    import_doc, parse_root, socket_type_name, AuthMethod, ConfigDoc, ImportError, Imported,
    ImportedServer, ServerElement, ServerKind,
};
use super::clients::{android, thunderbird};
use super::xml::Element;
use super::EmailParts;
use crate::diagnostic::{checks_of, CheckedRule, Finding, FixValue, Report};
use crate::model::{Account, Protocol, Security, Settings};
use crate::rules::findings::Findings;
use crate::rules::precedence::{self, Precedence};
use crate::rules::{auth, tls};

const FORMAT: &str = "Thunderbird autoconfig file format: https://wiki.mozilla.org/Thunderbird:Autoconfiguration:ConfigFileFormat";
const READER: &str = "Thunderbird's reader: comm-central mail/components/accountcreation/modules/readFromXML.sys.mjs";
const ANDROID: &str = "Thunderbird for Android's reader: thunderbird-android feature/autodiscovery/autoconfig/…/RealAutoconfigParser.kt";

/// The D rules that say Thunderbird refuses the whole file: a lint with one of them (or that
/// cannot read the file at all) is exactly a file Thunderbird's reader throws on.
pub const THUNDERBIRD_REFUSES: &[&str] = &[
    structure::D001.rule.code,
    structure::D002.rule.code,
    structure::D003.rule.code,
    structure::D004.rule.code,
    structure::D006.rule.code,
];

/// What the D rules look at: the parsed file, what Thunderbird and Thunderbird for Android make
/// of it, and every element with its field path.
pub(crate) struct Lint<'a> {
    doc: &'a ConfigDoc<'a>,
    thunderbird: &'a thunderbird::Reading,
    android: &'a Result<android::Reading, android::Refusal>,
    paths: Vec<(String, &'a Element)>,
}

impl<'a> Lint<'a> {
    /// The IMAP, POP3 and SMTP server elements, with their protocol and what Thunderbird reads
    /// there (`None`: it skips the server).
    fn mail_servers(
        &self,
    ) -> impl Iterator<Item = (&ServerElement<'a>, Protocol, Option<&thunderbird::TbServer>)> {
        self.doc
            .servers
            .iter()
            .zip(&self.thunderbird.servers)
            .filter_map(|(s, r)| match s.kind {
                ServerKind::Mail(p) => Some((s, p, r.as_ref().ok())),
                _ => None,
            })
    }
}

/// The security Thunderbird uses on a server it reads.
fn chosen_security(tb: Option<&thunderbird::TbServer>) -> Option<Security> {
    tb.map(|t| t.security)
}

/// A D rule's check: it looks at the file and emits findings.
pub(crate) type Check = fn(&Lint, &mut Findings);

/// A D rule with its check.
pub(crate) type DocumentRule = CheckedRule<Check>;

/// Every D rule, sorted by code (a test keeps it so).
pub(crate) const RULES: &[&DocumentRule] = &[
    &structure::D001,
    &structure::D002,
    &structure::D003,
    &structure::D004,
    &structure::D005,
    &structure::D006,
    &structure::D007,
    &structure::D008,
    &values::D101,
    &values::D102,
    &values::D103,
    &values::D104,
    &values::D105,
    &values::D106,
    &values::D107,
    &values::D108,
    &values::D109,
    &values::D110,
    &values::D111,
    &security::D201,
    &security::D202,
    &security::D203,
    &security::D204,
    &security::D205,
    &security::D206,
    &security::D207,
    &clients::D301,
    &clients::D302,
    &clients::D303,
];

/// The checks of [`RULES`], copied out at compile time (see [`CheckedRule`]).
const CHECKS: [Check; RULES.len()] = checks_of(RULES, |_, _| {});

/// D001: a file without `<emailProvider>` has nothing else worth judging.
const NO_PROVIDER: &[&str] = &[structure::D001.rule.code];

/// Which finding gives way to which in a lint: the D rules that say, in the file's words, what a
/// normal rule also says about the same field (each problem is reported once; where the normal
/// rule does not fire, the D rule speaks), and every D rule to D001.
const PRECEDENCE: &[Precedence] = &[
    Precedence::anywhere(structure::D002.rule.code, NO_PROVIDER),
    Precedence::anywhere(structure::D003.rule.code, NO_PROVIDER),
    Precedence::anywhere(structure::D004.rule.code, NO_PROVIDER),
    Precedence::anywhere(structure::D005.rule.code, NO_PROVIDER),
    Precedence::anywhere(structure::D006.rule.code, NO_PROVIDER),
    Precedence::anywhere(structure::D007.rule.code, NO_PROVIDER),
    Precedence::anywhere(structure::D008.rule.code, NO_PROVIDER),
    Precedence::anywhere(values::D101.rule.code, NO_PROVIDER),
    Precedence::anywhere(values::D102.rule.code, NO_PROVIDER),
    Precedence::anywhere(values::D103.rule.code, NO_PROVIDER),
    Precedence::anywhere(values::D104.rule.code, NO_PROVIDER),
    Precedence::anywhere(values::D105.rule.code, NO_PROVIDER),
    Precedence::anywhere(values::D106.rule.code, NO_PROVIDER),
    Precedence::anywhere(values::D107.rule.code, NO_PROVIDER),
    Precedence::anywhere(values::D108.rule.code, NO_PROVIDER),
    Precedence::anywhere(values::D109.rule.code, NO_PROVIDER),
    Precedence::anywhere(values::D110.rule.code, NO_PROVIDER),
    Precedence::anywhere(values::D111.rule.code, NO_PROVIDER),
    // An empty <username> is missing (D101) before it is the word "true".
    Precedence::same_field(values::D111.rule.code, &[values::D101.rule.code]),
    Precedence::anywhere(security::D201.rule.code, NO_PROVIDER),
    Precedence::anywhere(security::D202.rule.code, NO_PROVIDER),
    Precedence::anywhere(security::D203.rule.code, NO_PROVIDER),
    Precedence::anywhere(security::D204.rule.code, NO_PROVIDER),
    Precedence::anywhere(security::D205.rule.code, NO_PROVIDER),
    Precedence::anywhere(security::D206.rule.code, NO_PROVIDER),
    Precedence::anywhere(security::D207.rule.code, NO_PROVIDER),
    // A server Thunderbird skips: the rule that says why in the file's words speaks, on the same
    // field (D301 speaks where none does, with the fix, even when D003/D004 say the file is
    // refused for want of a server).
    Precedence::same_field(clients::D301.rule.code, SAYS_WHY_A_SERVER_IS_SKIPPED),
    Precedence::anywhere(clients::D301.rule.code, NO_PROVIDER),
    // Thunderbird for Android refusing a file Thunderbird desktop refuses too adds nothing.
    Precedence::anywhere(clients::D302.rule.code, THUNDERBIRD_REFUSES),
    Precedence::anywhere(clients::D303.rule.code, NO_PROVIDER),
    // An SMTP server that trusts the sender's network (client-IP-address, smtp-after-pop) is not
    // one without sign-in by mistake: D207 explains it; A311 would call it a mistake.
    Precedence::same_field(auth::A311.rule.code, &[security::D207.rule.code]),
    // Password or token over a plain connection: T201 cleartext-password.
    Precedence::same_field(security::D201.rule.code, &[tls::T201.rule.code]),
    // A plain connection without a cleartext password: T201, T203, A308 (CRAM-MD5 without TLS).
    Precedence::same_field(
        security::D202.rule.code,
        &[
            tls::T201.rule.code,
            tls::T203.rule.code,
            auth::A308.rule.code,
        ],
    ),
];

/// The D rules that say, on the field, why Thunderbird skips a server.
const SAYS_WHY_A_SERVER_IS_SKIPPED: &[&str] = &[
    values::D101.rule.code,
    values::D102.rule.code,
    values::D103.rule.code,
    values::D104.rule.code,
    values::D106.rule.code,
    values::D111.rule.code,
    security::D204.rule.code,
];

/// " (line 12)", for messages.
fn at(line: u32) -> String {
    format!(" (line {line})")
}

/// Runs every D rule on a parsed file, with what each client makes of it.
fn check_document(
    doc: &ConfigDoc,
    thunderbird: &thunderbird::Reading,
    android: &Result<android::Reading, android::Refusal>,
) -> Vec<Finding> {
    let lint = Lint {
        doc,
        thunderbird,
        android,
        paths: doc.elements_with_paths(),
    };
    let mut out = Findings::default();
    for check in CHECKS {
        check(&lint, &mut out);
    }
    out.into_vec()
}

/// The local part of the address placeholders are filled in with while checking. Any name would
/// do; the rules only compare usernames with the address.
const SAMPLE_LOCAL_PART: &str = "someone";

/// Lints an autoconfig file (Thunderbird's ISPDB format).
///
/// `Err` only when the text cannot be read as an autoconfig file at all: not well-formed XML,
/// refused by the defensive reader (DTD, entities, too large or deep), or another root element.
/// Everything else is a finding. Field paths name the element: `incomingServer[2].port`,
/// `outgoingServer[1].socketType`, `domain`, `oAuth2.tokenURL`. Messages say the line.
pub fn lint_autoconfig(xml: &str) -> Result<Report, ImportError> {
    let root = parse_root(xml)?;
    let doc = ConfigDoc::new(&root);
    let domain = doc
        .domain_names()
        .into_iter()
        .find(|d| crate::model::Host::parse(d).is_clean())
        .unwrap_or_else(|| "example.com".into());
    let sample = EmailParts {
        address: format!("{SAMPLE_LOCAL_PART}@{domain}"),
        local: SAMPLE_LOCAL_PART.into(),
        domain,
    };
    let reading = thunderbird::read(&doc);
    let android = android::read(&root, &sample);
    let imported = import_doc(&doc, &reading, Some(&sample));
    let mut findings = check_document(&doc, &reading, &android);
    findings.extend(validate_servers(&doc, &imported, &sample));
    precedence::apply(&mut findings, PRECEDENCE);
    // The same finding can come from two passes (an account check sees both servers).
    findings.sort_by(|a, b| (a.code, &a.field, &a.message).cmp(&(b.code, &b.field, &b.message)));
    findings.dedup_by(|a, b| a.code == b.code && a.field == b.field && a.message == b.message);
    Ok(Report::new(doc.provider().map(Into::into), findings, None))
}

/// Every normal rule on each server. An incoming server is checked in an account with the first
/// outgoing server, and each outgoing server with the first incoming one; each finding is kept
/// once, for the server it is about.
fn validate_servers(doc: &ConfigDoc, imported: &Imported, sample: &EmailParts) -> Vec<Finding> {
    let mut out = Vec::new();
    let first_out = imported.outgoing.first();
    for inc in &imported.incoming {
        let account = Account {
            email: Some(sample.address.clone()),
            incoming: inc.server.clone(),
            outgoing: first_out.map(|o| o.server.clone()),
            pop3: inc.pop3,
        };
        let report = crate::validate(&Settings::Account(account));
        for f in report.findings {
            let mapped = if let Some(rest) = f.field.strip_prefix("incoming.") {
                Some(path_of(&inc.path, rest))
            } else {
                f.field
                    .strip_prefix("pop3.")
                    .map(|rest| path_of(&format!("{}.pop3", inc.path), rest))
            };
            if let Some(field) = mapped {
                out.push(remap(f, field, doc, inc, sample));
            }
        }
    }
    let first_in = imported.incoming.first();
    for o in &imported.outgoing {
        let settings = match first_in {
            Some(i) => Settings::Account(Account {
                email: Some(sample.address.clone()),
                incoming: i.server.clone(),
                outgoing: Some(o.server.clone()),
                pop3: None,
            }),
            None => Settings::Server(o.server.clone()),
        };
        let prefix = if first_in.is_some() { "outgoing." } else { "" };
        let report = crate::validate(&settings);
        for f in report.findings {
            if let Some(rest) = f.field.strip_prefix(prefix) {
                if prefix.is_empty() || f.field.starts_with(prefix) {
                    let field = path_of(&o.path, rest);
                    out.push(remap(f, field, doc, o, sample));
                }
            }
        }
    }
    out
}

/// The document path of a model field of the server at `server_path`: the element that holds
/// it (`incomingServer[2].socketType`), or the `type` attribute for the protocol.
fn path_of(server_path: &str, model_field: &str) -> String {
    let element = match model_field {
        "protocol" => return format!("{server_path}@type"),
        "host" => "hostname",
        "security" => "socketType",
        "auth" => "authentication",
        "leaveOnServer" => "leaveMessagesOnServer",
        "deleteAfterDays" => "daysToLeaveMessagesOnServer",
        other => other,
    };
    format!("{server_path}.{element}")
}

/// Moves a finding onto the document: its field path, a fix in the file's vocabulary, and the
/// sample address written back as the placeholder.
fn remap(
    mut f: Finding,
    field: String,
    doc: &ConfigDoc,
    server: &ImportedServer,
    sample: &EmailParts,
) -> Finding {
    let line = doc
        .servers
        .iter()
        .find(|s| s.path == server.path)
        .map_or(server.line, |s| s.element.line);
    let unsample = |t: &str| t.replace(&sample.address, "%EMAILADDRESS%");
    f.message = format!("{} (line {line})", unsample(&f.message));
    f.help = unsample(&f.help);
    if let Some(fix) = f.fix.as_mut() {
        fix.field = field.clone();
        fix.value = match &fix.value {
            FixValue::Security(s) => FixValue::Text(socket_type_name(*s).into()),
            FixValue::Auth(a) => FixValue::Text(AuthMethod::from_auth(*a).name().into()),
            FixValue::Text(t) if *t == sample.address => FixValue::Text("%EMAILADDRESS%".into()),
            FixValue::Text(t) if *t == sample.local => FixValue::Text("%EMAILLOCALPART%".into()),
            v => v.clone(),
        };
    }
    f.field = field;
    f
}

#[cfg(test)]
pub(crate) mod fixtures {

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

    /// An emailProvider for example.com around `inner`.
    pub(crate) fn provider(inner: &str) -> String {
        format!(
            r#"<clientConfig version="1.1"><emailProvider id="example.com"><domain>example.com</domain>{inner}</emailProvider></clientConfig>"#
        )
    }

    /// A complete IMAP server.
    pub(crate) const IMAP_OK: &str = r#"<incomingServer type="imap"><hostname>imap.example.com</hostname><port>993</port><socketType>SSL</socketType><authentication>password-cleartext</authentication><username>%EMAILADDRESS%</username></incomingServer>"#;

    /// GOOD's IMAP server on port 143 without TLS.
    pub(crate) const PLAIN_IMAP: [(&str, &str); 2] = [
        ("<port>993</port>", "<port>143</port>"),
        (
            "<socketType>SSL</socketType>",
            "<socketType>plain</socketType>",
        ),
    ];
}

#[cfg(test)]
mod d_rule_tests {
    use super::fixtures::*;
    use super::*;

    /// The D findings for a file (the D rules alone, without the settings rules on its
    /// servers), in the order a lint keeps them.
    fn d_findings(xml: &str) -> Vec<Finding> {
        let root = crate::documents::xml::parse(xml).expect("vector parses");
        let doc = ConfigDoc::new(&root);
        let reading = thunderbird::read(&doc);
        let sample = EmailParts {
            address: "someone@example.com".into(),
            local: "someone".into(),
            domain: "example.com".into(),
        };
        let android = android::read(&root, &sample);
        let mut findings = check_document(&doc, &reading, &android);
        precedence::apply(&mut findings, PRECEDENCE);
        findings
    }

    /// Every D rule has documents it fires on and documents it stays silent on, all about it,
    /// and they hold.
    #[test]
    fn every_d_rule_has_vectors_and_they_hold() {
        assert!(RULES.windows(2).all(|w| w[0].rule.code < w[1].rule.code));
        let mut failures = Vec::new();
        let mut count = 0;
        for r in RULES {
            let code = r.rule.code;
            let vectors = (r.vectors)();
            let about_this_rule = |x: &Option<String>| x.as_deref() == Some(code);
            assert!(
                vectors.iter().any(|v| about_this_rule(&v.expect.fires)),
                "{code}: no vector it fires on"
            );
            assert!(
                vectors.iter().any(|v| about_this_rule(&v.expect.silent)),
                "{code}: no vector it is silent on"
            );
            for v in &vectors {
                assert!(
                    about_this_rule(&v.expect.fires) || about_this_rule(&v.expect.silent),
                    "{code}: {} is about another rule",
                    v.about
                );
                count += 1;
                let report = Report::new(None, d_findings(&v.input), None);
                for e in v.mismatches(&Ok(report)) {
                    failures.push(format!("{code} ({}): {e}", v.about));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        assert!(count >= 53, "only {count} vectors");
    }

    #[test]
    fn good_is_clean_of_d_findings() {
        for xml in [GOOD, GMAIL_LIKE, OFFICE365_LIKE] {
            assert_eq!(d_findings(xml), [], "{xml}");
        }
    }

    #[test]
    fn known_elements_sorted() {
        assert!(structure::KNOWN_ELEMENTS.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(
            structure::suggest_element("displayNameShort"),
            Some("displayShortName")
        );
        assert_eq!(structure::suggest_element("sockettype"), Some("socketType"));
        assert_eq!(structure::suggest_element("hostnmae"), Some("hostname"));
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
