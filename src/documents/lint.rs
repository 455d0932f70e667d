//! Lint an autoconfig file: the D rules on the document, then every normal validation rule on
//! each IMAP, POP3 and SMTP server a client could use, reported with the server's field path.

use super::autoconfig::{
    import_doc, parse_root, socket_type_name, AuthMethod, ConfigDoc, ImportError, Imported,
    ImportedServer,
};
use super::EmailParts;
use crate::diagnostic::{Finding, FixValue, Report};
use crate::model::{Account, Settings};

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
    let imported = import_doc(&doc, Some(&sample));
    let mut findings = crate::rules::check_document(&doc, &imported);
    findings.extend(validate_servers(&doc, &imported, &sample));
    let covered = |f: &Finding, all: &[Finding]| {
        COVERED_BY.iter().any(|(d, by)| {
            *d == f.code
                && all
                    .iter()
                    .any(|g| g.field == f.field && by.contains(&g.code))
        })
    };
    let drop: Vec<bool> = findings.iter().map(|f| covered(f, &findings)).collect();
    let mut keep = drop.iter().map(|d| !d);
    findings.retain(|_| keep.next().unwrap_or(true));
    // The same finding can come from two passes (an account check sees both servers).
    crate::text::sort_any_by(&mut findings, |a, b| {
        (a.code, &a.field, &a.message).cmp(&(b.code, &b.field, &b.message))
    });
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

/// D rules that say, in the file's words, what a normal rule also says about the same field.
/// Where the normal rule fired, the D finding is dropped, so each problem is reported once; where
/// it did not (a build without that rule, or a case it leaves to the D rule), the D rule speaks.
const COVERED_BY: &[(&str, &[&str])] = &[
    // Password or token over a plain connection: T201 cleartext-password.
    ("D201", &["T201"]),
    // A plain connection without a cleartext password: T201, A308 (CRAM-MD5 without TLS), T203.
    ("D202", &["T201", "T203", "A308"]),
];

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
