//! The real-world corpus: every file of Thunderbird's ISPDB (MPL-2.0), read at test time from
//! `../shared/ispdb` beside the crate. Skips with a message where it is absent (CI has no
//! `/work/shared`).

use mailsetup::documents::{import_autoconfig, lint_autoconfig};
use mailsetup::{Finding, Severity};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn corpus() -> Option<Vec<(String, String)>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/ispdb");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!(
            "skipping: the ISPDB corpus is not at {} (it is only on the development machine)",
            dir.display()
        );
        return None;
    };
    let mut files: Vec<(String, String)> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, text)
        })
        .collect();
    files.sort();
    Some(files)
}

/// Every error the linter reports in the ISPDB, reviewed one by one against the file: each is a
/// real problem in the data, none is a false alarm. An error that appears (a new rule, a changed
/// rule, a changed file) or disappears fails the test until it is reviewed and listed here.
const REVIEWED_ERRORS: &[(&str, &str, &str)] = &[
    // D101: an outgoing server with password-cleartext and no <username>. Thunderbird's reader
    // turns the missing value into the literal username "undefined".
    ("teol.net.xml", "outgoingServer[1].username", "D101"),
    // D107: `%EMAILADDRESS` without its closing `%` in the EWS and OWA servers: clients send the
    // text as written, so the login fails (the known bug).
    ("office365.com.xml", "incomingServer[3].username", "D107"),
    ("office365.com.xml", "incomingServer[4].username", "D107"),
    // D201: socketType plain with password-cleartext: the password (and all mail) crosses the
    // network readable. Japanese ISPs with POP3 on 110 and SMTP on 25/587 without TLS, Rediffmail's
    // plain alternatives, Tiscali CZ.
    ("bay.wind.ne.jp.xml", "incomingServer[1].socketType", "D201"),
    ("bay.wind.ne.jp.xml", "outgoingServer[1].socketType", "D201"),
    ("bb-niigata.jp.xml", "incomingServer[1].socketType", "D201"),
    ("bb-niigata.jp.xml", "outgoingServer[1].socketType", "D201"),
    ("broba.cc.xml", "incomingServer[1].socketType", "D201"),
    ("broba.cc.xml", "outgoingServer[1].socketType", "D201"),
    ("clio.ne.jp.xml", "incomingServer[1].socketType", "D201"),
    ("co1.wind.ne.jp.xml", "incomingServer[1].socketType", "D201"),
    ("co1.wind.ne.jp.xml", "outgoingServer[1].socketType", "D201"),
    ("co2.wind.ne.jp.xml", "incomingServer[1].socketType", "D201"),
    ("co2.wind.ne.jp.xml", "outgoingServer[1].socketType", "D201"),
    ("co3.wind.ne.jp.xml", "incomingServer[1].socketType", "D201"),
    ("co3.wind.ne.jp.xml", "outgoingServer[1].socketType", "D201"),
    ("dan.wind.ne.jp.xml", "incomingServer[1].socketType", "D201"),
    ("dan.wind.ne.jp.xml", "outgoingServer[1].socketType", "D201"),
    ("go.tvm.ne.jp.xml", "incomingServer[1].socketType", "D201"),
    ("go.tvm.ne.jp.xml", "outgoingServer[1].socketType", "D201"),
    ("goo.jp.xml", "incomingServer[1].socketType", "D201"),
    ("goo.jp.xml", "outgoingServer[1].socketType", "D201"),
    ("hal.ne.jp.xml", "incomingServer[1].socketType", "D201"),
    ("hana.or.jp.xml", "incomingServer[1].socketType", "D201"),
    ("hana.or.jp.xml", "outgoingServer[1].socketType", "D201"),
    ("ic-net.or.jp.xml", "incomingServer[1].socketType", "D201"),
    ("ic-net.or.jp.xml", "outgoingServer[1].socketType", "D201"),
    (
        "inet-shibata.or.jp.xml",
        "incomingServer[1].socketType",
        "D201",
    ),
    (
        "inet-shibata.or.jp.xml",
        "outgoingServer[1].socketType",
        "D201",
    ),
    ("iwafune.ne.jp.xml", "incomingServer[1].socketType", "D201"),
    ("iwafune.ne.jp.xml", "outgoingServer[1].socketType", "D201"),
    ("kl.wind.ne.jp.xml", "incomingServer[1].socketType", "D201"),
    ("kl.wind.ne.jp.xml", "outgoingServer[1].socketType", "D201"),
    ("kokuyou.ne.jp.xml", "incomingServer[1].socketType", "D201"),
    ("mahoroba.ne.jp.xml", "incomingServer[1].socketType", "D201"),
    ("mahoroba.ne.jp.xml", "outgoingServer[1].socketType", "D201"),
    (
        "mail.iwafune.ne.jp.xml",
        "incomingServer[1].socketType",
        "D201",
    ),
    (
        "mail.iwafune.ne.jp.xml",
        "outgoingServer[1].socketType",
        "D201",
    ),
    (
        "mail.wind.ne.jp.xml",
        "incomingServer[1].socketType",
        "D201",
    ),
    (
        "mail.wind.ne.jp.xml",
        "outgoingServer[1].socketType",
        "D201",
    ),
    (
        "ml.murakami.ne.jp.xml",
        "incomingServer[1].socketType",
        "D201",
    ),
    (
        "ml.murakami.ne.jp.xml",
        "outgoingServer[1].socketType",
        "D201",
    ),
    ("mx1.tiki.ne.jp.xml", "incomingServer[1].socketType", "D201"),
    ("mx1.tiki.ne.jp.xml", "outgoingServer[1].socketType", "D201"),
    ("parabox.or.jp.xml", "incomingServer[1].socketType", "D201"),
    ("parabox.or.jp.xml", "outgoingServer[1].socketType", "D201"),
    ("po.wind.ne.jp.xml", "incomingServer[1].socketType", "D201"),
    ("po.wind.ne.jp.xml", "outgoingServer[1].socketType", "D201"),
    (
        "pop.shibata.ne.jp.xml",
        "incomingServer[1].socketType",
        "D201",
    ),
    (
        "pop.shibata.ne.jp.xml",
        "outgoingServer[1].socketType",
        "D201",
    ),
    ("rediffmail.com.xml", "incomingServer[2].socketType", "D201"),
    ("rediffmail.com.xml", "outgoingServer[3].socketType", "D201"),
    ("so.wind.ne.jp.xml", "incomingServer[1].socketType", "D201"),
    ("so.wind.ne.jp.xml", "outgoingServer[1].socketType", "D201"),
    ("tiki.ne.jp.xml", "incomingServer[1].socketType", "D201"),
    ("tiki.ne.jp.xml", "outgoingServer[1].socketType", "D201"),
    ("tiscali.cz.xml", "incomingServer[1].socketType", "D201"),
    ("tiscali.cz.xml", "outgoingServer[1].socketType", "D201"),
    ("vp.tiki.ne.jp.xml", "incomingServer[1].socketType", "D201"),
    ("vp.tiki.ne.jp.xml", "outgoingServer[1].socketType", "D201"),
    ("xp.wind.jp.xml", "incomingServer[1].socketType", "D201"),
    ("xp.wind.jp.xml", "outgoingServer[1].socketType", "D201"),
    // P101: a port of another protocol. Aruba PEC's POP3 server on 993 (IMAP over TLS; POP3 over
    // TLS is 995); Portland State's second IMAP server on 587 (message submission; IMAP with
    // STARTTLS is 143).
    ("arubapec.it.xml", "incomingServer[2].port", "P101"),
    ("pdx.edu.xml", "incomingServer[2].port", "P101"),
];

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
    let Some(files) = corpus() else { return };
    assert!(files.len() >= 160, "only {} files", files.len());
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
    let Some(files) = corpus() else { return };
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
    let Some(files) = corpus() else { return };
    let errors = errors_of(&files);
    let mut found: Vec<(String, String, String)> = errors
        .iter()
        .map(|(file, f)| (file.clone(), f.field.clone(), f.code.to_owned()))
        .collect();
    found.sort();
    let mut reviewed: Vec<(String, String, String)> = REVIEWED_ERRORS
        .iter()
        .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned()))
        .collect();
    reviewed.sort();
    let new: Vec<String> = errors
        .iter()
        .filter(|(file, f)| !reviewed.contains(&(file.clone(), f.field.clone(), f.code.to_owned())))
        .map(|(file, f)| format!("{file}: {} {} {}", f.code, f.field, f.message))
        .collect();
    let gone: Vec<&(String, String, String)> =
        reviewed.iter().filter(|r| !found.contains(r)).collect();
    assert!(
        new.is_empty() && gone.is_empty(),
        "errors not yet reviewed:\n{}\nreviewed errors no longer reported: {gone:?}",
        new.join("\n")
    );
}
