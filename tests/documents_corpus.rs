//! The real-world corpus: every file of Thunderbird's ISPDB (MPL-2.0), vendored in
//! `tests/data/ispdb` (`tests/data/README.md` names the snapshot). A missing file fails the test.

mod data;

use mailsetup::documents::{import_autoconfig, lint_autoconfig};
use mailsetup::{Finding, Severity};
use std::collections::BTreeMap;

/// The corpus as (file name, text), sorted by name.
fn corpus() -> Vec<(String, String)> {
    data::ispdb()
        .into_iter()
        .map(|f| (f.path, f.text))
        .collect()
}

/// Every error the linter reports in the ISPDB, reviewed one by one against the file: each is a
/// real problem in the data, none is a false alarm. Each entry names the file, the field and the
/// rule codes that may report it (a D rule yields to the normal rule that says the same, so the
/// code depends on which rules the build has). An error that appears, or a listed one that
/// disappears while one of its rules is in the registry, fails the test until it is reviewed.
const REVIEWED_ERRORS: &[(&str, &str, &[&str])] = &[
    // D101: an outgoing server with password-cleartext and no <username>. Thunderbird's reader
    // turns the missing value into the literal username "undefined".
    ("teol.net.xml", "outgoingServer[1].username", &["D101"]),
    // D107: `%EMAILADDRESS` without its closing `%` in the EWS and OWA servers: clients send the
    // text as written, so the login fails (the known bug).
    ("office365.com.xml", "incomingServer[3].username", &["D107"]),
    ("office365.com.xml", "incomingServer[4].username", &["D107"]),
    // P101: a port of another protocol. Aruba PEC's POP3 server on 993 (IMAP over TLS; POP3 over
    // TLS is 995); Portland State's second IMAP server on 587 (message submission; IMAP with
    // STARTTLS is 143).
    ("arubapec.it.xml", "incomingServer[2].port", &["P101"]),
    ("pdx.edu.xml", "incomingServer[2].port", &["P101"]),
    // A308: socketType plain with password-encrypted (CRAM-MD5): the mail is readable on the way
    // and a recorded exchange can be cracked offline. Japanese ISPs and PeoplePC.
    ("clio.ne.jp.xml", "outgoingServer[1].socketType", &["A308"]),
    ("hal.ne.jp.xml", "outgoingServer[1].socketType", &["A308"]),
    (
        "ji.jet.ne.jp.xml",
        "incomingServer[1].socketType",
        &["A308"],
    ),
    (
        "ji.jet.ne.jp.xml",
        "outgoingServer[1].socketType",
        &["A308"],
    ),
    ("nifty.com.xml", "incomingServer[1].socketType", &["A308"]),
    ("nifty.com.xml", "outgoingServer[1].socketType", &["A308"]),
    ("nsat.jp.xml", "incomingServer[1].socketType", &["A308"]),
    ("nsat.jp.xml", "outgoingServer[1].socketType", &["A308"]),
    (
        "peoplepc.com.xml",
        "incomingServer[1].socketType",
        &["A308"],
    ),
    (
        "peoplepc.com.xml",
        "incomingServer[2].socketType",
        &["A308"],
    ),
    // D201 / T201: socketType plain with password-cleartext: the password (and all mail) crosses
    // the network readable. Japanese ISPs with POP3 on 110 and SMTP on 25/587 without TLS,
    // Rediffmail's plain alternatives, Tiscali CZ.
    (
        "bay.wind.ne.jp.xml",
        "incomingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "bay.wind.ne.jp.xml",
        "outgoingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "bb-niigata.jp.xml",
        "incomingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "bb-niigata.jp.xml",
        "outgoingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "broba.cc.xml",
        "incomingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "broba.cc.xml",
        "outgoingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "clio.ne.jp.xml",
        "incomingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "co1.wind.ne.jp.xml",
        "incomingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "co1.wind.ne.jp.xml",
        "outgoingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "co2.wind.ne.jp.xml",
        "incomingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "co2.wind.ne.jp.xml",
        "outgoingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "co3.wind.ne.jp.xml",
        "incomingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "co3.wind.ne.jp.xml",
        "outgoingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "dan.wind.ne.jp.xml",
        "incomingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "dan.wind.ne.jp.xml",
        "outgoingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "go.tvm.ne.jp.xml",
        "incomingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "go.tvm.ne.jp.xml",
        "outgoingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    ("goo.jp.xml", "incomingServer[1].socketType", PLAIN_PASSWORD),
    ("goo.jp.xml", "outgoingServer[1].socketType", PLAIN_PASSWORD),
    (
        "hal.ne.jp.xml",
        "incomingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "hana.or.jp.xml",
        "incomingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "hana.or.jp.xml",
        "outgoingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "ic-net.or.jp.xml",
        "incomingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "ic-net.or.jp.xml",
        "outgoingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "inet-shibata.or.jp.xml",
        "incomingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "inet-shibata.or.jp.xml",
        "outgoingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "iwafune.ne.jp.xml",
        "incomingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "iwafune.ne.jp.xml",
        "outgoingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "kl.wind.ne.jp.xml",
        "incomingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "kl.wind.ne.jp.xml",
        "outgoingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "kokuyou.ne.jp.xml",
        "incomingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "mahoroba.ne.jp.xml",
        "incomingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "mahoroba.ne.jp.xml",
        "outgoingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "mail.iwafune.ne.jp.xml",
        "incomingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "mail.iwafune.ne.jp.xml",
        "outgoingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "mail.wind.ne.jp.xml",
        "incomingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "mail.wind.ne.jp.xml",
        "outgoingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "ml.murakami.ne.jp.xml",
        "incomingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "ml.murakami.ne.jp.xml",
        "outgoingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "mx1.tiki.ne.jp.xml",
        "incomingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "mx1.tiki.ne.jp.xml",
        "outgoingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "parabox.or.jp.xml",
        "incomingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "parabox.or.jp.xml",
        "outgoingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "po.wind.ne.jp.xml",
        "incomingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "po.wind.ne.jp.xml",
        "outgoingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "pop.shibata.ne.jp.xml",
        "incomingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "pop.shibata.ne.jp.xml",
        "outgoingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "rediffmail.com.xml",
        "incomingServer[2].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "rediffmail.com.xml",
        "outgoingServer[3].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "so.wind.ne.jp.xml",
        "incomingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "so.wind.ne.jp.xml",
        "outgoingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "tiki.ne.jp.xml",
        "incomingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "tiki.ne.jp.xml",
        "outgoingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "tiscali.cz.xml",
        "incomingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "tiscali.cz.xml",
        "outgoingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "vp.tiki.ne.jp.xml",
        "incomingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "vp.tiki.ne.jp.xml",
        "outgoingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "xp.wind.jp.xml",
        "incomingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
    (
        "xp.wind.jp.xml",
        "outgoingServer[1].socketType",
        PLAIN_PASSWORD,
    ),
];

/// The codes that report a password sent over a plain connection.
const PLAIN_PASSWORD: &[&str] = &["D201", "T201"];

/// The corpus errors: file and finding.
fn errors_of(files: &[(String, String)]) -> Vec<(String, Finding)> {
    let mut out = Vec::new();
    for (name, text) in files {
        let report = lint_autoconfig(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        for f in report.findings {
            if f.severity == Severity::Error {
                out.push((name.clone(), f));
            }
        }
    }
    out
}

#[test]
fn every_file_parses_imports_and_lints() {
    let files = corpus();
    assert_eq!(files.len(), 163, "the snapshot tests/data/README.md names");
    let mut by_rule: BTreeMap<(&'static str, Severity), usize> = BTreeMap::new();
    for (name, text) in &files {
        let imported = import_autoconfig(text, Some("someone@example.com"))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            imported.account().is_some(),
            "{name}: no account could be imported"
        );
        let report = lint_autoconfig(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        for f in &report.findings {
            *by_rule.entry((f.code, f.severity)).or_default() += 1;
        }
    }
    eprintln!("findings in {} ISPDB files, by rule:", files.len());
    for ((code, sev), n) in &by_rule {
        eprintln!("  {code} {:<7} {n}", sev.as_str());
    }
}

#[test]
fn office365_placeholder_bug_is_found() {
    let files = corpus();
    let (_, text) = files
        .iter()
        .find(|(n, _)| n == "office365.com.xml")
        .expect("office365.com.xml is in the corpus");
    let report = lint_autoconfig(text).unwrap();
    let d107: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.code == "D107")
        .collect();
    let fields: Vec<&str> = d107.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        fields,
        ["incomingServer[3].username", "incomingServer[4].username"],
        "{d107:#?}"
    );
    assert!(d107[0].message.contains("%EMAILADDRESS"));
    assert_eq!(
        serde_json::to_value(&d107[0].fix).unwrap()["value"],
        "%EMAILADDRESS%"
    );
}

#[test]
fn errors_in_the_corpus_are_the_reviewed_ones() {
    let files = corpus();
    let errors = errors_of(&files);
    let reviewed = |file: &str, f: &Finding| {
        REVIEWED_ERRORS
            .iter()
            .any(|(rf, field, codes)| *rf == file && *field == f.field && codes.contains(&f.code))
    };
    let new: Vec<String> = errors
        .iter()
        .filter(|(file, f)| !reviewed(file, f))
        .map(|(file, f)| format!("{file}: {} {} {}", f.code, f.field, f.message))
        .collect();
    // A listed error must still be found, unless none of its rules is in this build.
    let gone: Vec<String> = REVIEWED_ERRORS
        .iter()
        .filter(|(_, _, codes)| {
            codes
                .iter()
                .any(|c| mailsetup::catalog::lookup(c).is_some())
        })
        .filter(|(file, field, codes)| {
            !errors
                .iter()
                .any(|(ef, f)| ef == file && f.field == *field && codes.contains(&f.code))
        })
        .map(|(file, field, codes)| format!("{file}: {} {field}", codes.join("/")))
        .collect();
    assert!(
        new.is_empty() && gone.is_empty(),
        "errors not yet reviewed:\n{}\nreviewed errors no longer reported:\n{}",
        new.join("\n"),
        gone.join("\n")
    );
}
