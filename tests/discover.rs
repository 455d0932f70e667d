//! `mailsetup discover` against the loopback fixtures (tests/discover_fixture/): a real DNS
//! server and a real HTTPS server in process. No test asks the system resolver or leaves loopback.

mod discover_fixture;

use discover_fixture::*;
use serde_json::Value;
use std::process::Command;
use std::sync::OnceLock;

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| start(scenarios(), None))
}

/// Runs `mailsetup discover` with the fixture's options and `extra`; the exit code and stdout.
fn discover(extra: &[&str]) -> (i32, String, String) {
    let f = fixture();
    let out = Command::new(env!("CARGO_BIN_EXE_mailsetup"))
        .arg("discover")
        .args(f.args())
        .args(["--timeout", "2", "--deadline", "8"])
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn json(extra: &[&str]) -> (i32, Value) {
    let mut args = extra.to_vec();
    args.push("--json");
    let (code, out, err) = discover(&args);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
    (code, v)
}

fn chosen<'a>(v: &'a Value, role: &str) -> Option<&'a Value> {
    let i = v.get(role)?.as_u64()? as usize;
    Some(&v["candidates"][i])
}

fn host_port(c: &Value) -> String {
    format!(
        "{}:{}",
        c["server"]["host"].as_str().unwrap(),
        c["server"]["port"]
    )
}

/// The trace step whose `what` contains `what`.
fn step<'a>(v: &'a Value, what: &str) -> &'a Value {
    v["trace"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["what"].as_str().unwrap().contains(what))
        .unwrap_or_else(|| panic!("no trace step {what}: {:#}", v["trace"]))
}

#[test]
fn own_autoconfig_over_https_is_found_and_trusted() {
    let (code, v) = json(&["someone@own.test"]);
    assert_eq!(code, 0, "{v:#}");
    let inc = chosen(&v, "incoming").unwrap();
    assert_eq!(host_port(inc), "imap.own.test:993");
    assert_eq!(inc["server"]["security"], "tls");
    assert_eq!(inc["server"]["username"], "someone@own.test");
    assert_eq!(inc["trust"], "high");
    assert_eq!(inc["provenance"]["source"], "autoconfig");
    assert_eq!(inc["provenance"]["httpsVerified"], true);
    assert_eq!(
        host_port(chosen(&v, "outgoing").unwrap()),
        "smtp.own.test:587"
    );
    assert_eq!(step(&v, "autoconfig.own.test")["outcome"], "found");
    // The address was not sent (no --send-address).
    assert!(!v["trace"].to_string().contains("emailaddress="));
    assert_eq!(v["summary"]["autoconfig"], true);
}

#[test]
fn the_well_known_url_is_read() {
    let (code, v) = json(&["someone@wellknown.test"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(
        host_port(chosen(&v, "incoming").unwrap()),
        "mail.wellknown.test:993"
    );
    assert_eq!(step(&v, "/.well-known/")["outcome"], "found");
    assert_eq!(
        step(&v, "autoconfig.wellknown.test")["outcome"],
        "not-found"
    );
}

#[test]
fn the_address_is_sent_only_with_send_address() {
    let (_, v) = json(&["someone@own.test", "--send-address"]);
    assert!(step(&v, "autoconfig.own.test")["what"]
        .as_str()
        .unwrap()
        .contains("emailaddress=someone%40own.test"));
}

#[test]
fn ispdb_only() {
    let (code, v) = json(&["someone@ispdb-only.test"]);
    assert_eq!(code, 0, "{v:#}");
    let inc = chosen(&v, "incoming").unwrap();
    assert_eq!(host_port(inc), "imap.mailhost.test:993");
    assert_eq!(inc["provenance"]["source"], "ispdb");
    assert_eq!(step(&v, "/v1.1/ispdb-only.test")["outcome"], "found");
    assert_eq!(
        step(&v, "autoconfig.ispdb-only.test")["outcome"],
        "not-found"
    );
    // The MX host's domains were asked too.
    step(&v, "/v1.1/mailhost.test");
}

#[test]
fn mx_at_google_gives_googles_settings() {
    let (code, v) = json(&["someone@google-hosted.test"]);
    assert_eq!(code, 0, "{v:#}");
    let inc = chosen(&v, "incoming").unwrap();
    assert_eq!(host_port(inc), "imap.gmail.com:993");
    assert_eq!(inc["provenance"]["source"], "mx");
    assert_eq!(inc["provenance"]["viaMx"], "aspmx.l.google.com");
    // Not DNSSEC-validated: medium, and it says why.
    assert_eq!(inc["trust"], "medium");
    assert!(inc["provenance"]["notes"]
        .to_string()
        .contains("not DNSSEC-validated"));
    assert_eq!(
        step(&v, "provider table MX aspmx.l.google.com")["outcome"],
        "found"
    );
}

#[test]
fn mx_at_microsoft_gives_microsofts_settings() {
    let (code, v) = json(&["someone@ms-hosted.test"]);
    assert_eq!(code, 0, "{v:#}");
    let inc = chosen(&v, "incoming").unwrap();
    assert_eq!(inc["server"]["host"], "outlook.office365.com", "{v:#}");
}

#[test]
fn a_stale_autoconfig_against_a_google_mx_is_shown_as_a_disagreement() {
    let (_, v) = json(&["someone@stale.test"]);
    let d = v["disagreements"].to_string();
    assert!(
        d.contains("mail.stale.test") && d.contains("imap.gmail.com"),
        "{d}"
    );
    assert!(d.contains("its MX is aspmx.l.google.com"), "{d}");
}

#[test]
fn srv_only_with_dot_for_services_not_offered() {
    let (code, v) = json(&["someone@srv.test"]);
    assert_eq!(code, 0, "{v:#}");
    let inc = chosen(&v, "incoming").unwrap();
    assert_eq!(host_port(inc), "imap.srv.test:993");
    assert_eq!(inc["provenance"]["source"], "srv");
    assert_eq!(inc["provenance"]["dnssec"], false);
    assert_eq!(inc["trust"], "medium");
    let out = chosen(&v, "outgoing").unwrap();
    assert_eq!(host_port(out), "smtp.srv.test:465");
    let pop = step(&v, "SRV _pop3s._tcp.srv.test");
    assert_eq!(pop["outcome"], "not-found");
    assert!(pop["detail"]
        .as_str()
        .unwrap()
        .contains("explicitly not offered"));
    assert!(!v["candidates"].to_string().contains("\"pop3\""));
    assert_eq!(v["summary"]["srv"], true);
}

#[test]
fn dnssec_validated_srv_is_trusted() {
    let (_, v) = json(&["someone@secure.test"]);
    let inc = chosen(&v, "incoming").unwrap();
    assert_eq!(inc["provenance"]["dnssec"], true);
    assert_eq!(inc["trust"], "high");
    assert!(step(&v, "SRV _imaps._tcp.secure.test")["detail"]
        .as_str()
        .unwrap()
        .contains("DNSSEC-validated"));
}

#[test]
fn srv_pointing_elsewhere_lowers_trust_and_says_so() {
    let (_, v) = json(&["someone@srv-elsewhere.test"]);
    let inc = chosen(&v, "incoming").unwrap();
    assert_eq!(host_port(inc), "imap.hoster.test:993");
    assert_eq!(inc["trust"], "low");
    assert!(inc["provenance"]["notes"]
        .to_string()
        .contains("outside srv-elsewhere.test"));
}

#[test]
fn autodiscover_pox_with_send_address() {
    let (code, v) = json(&["someone@autodiscover.test", "--send-address"]);
    assert_eq!(code, 0, "{v:#}");
    let inc = chosen(&v, "incoming").unwrap();
    assert_eq!(host_port(inc), "imap.autodiscover.test:993");
    assert_eq!(inc["provenance"]["source"], "autodiscover");
    let out = chosen(&v, "outgoing").unwrap();
    assert_eq!(out["server"]["security"], "starttls");
    // Without --send-address Autodiscover is not asked.
    let (_, v) = json(&["someone@autodiscover.test"]);
    assert!(!v["trace"].to_string().contains("autodiscover.xml"));
}

#[test]
fn nothing_found_says_what_to_publish() {
    let (code, v) = json(&["someone@nothing.test", "--no-guess"]);
    assert_eq!(code, 1, "{v:#}");
    assert!(v.get("incoming").is_none());
    assert_eq!(step(&v, "MX nothing.test")["outcome"], "not-found");
    assert!(step(&v, "MX nothing.test")["detail"]
        .as_str()
        .unwrap()
        .contains("NODATA"));
    assert_eq!(step(&v, "autoconfig.nothing.test")["outcome"], "not-found");
    let advice = v["advice"].to_string();
    assert!(
        advice.contains("https://autoconfig.nothing.test/mail/config-v1.1.xml"),
        "{advice}"
    );
    assert!(advice.contains("_imaps._tcp.nothing.test"), "{advice}");
    assert_eq!(v["summary"]["offer"], "nothing");
    // And in words.
    let (code, out, _) = discover(&["someone@nothing.test", "--no-guess"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("nothing usable found") && out.contains("could publish"),
        "{out}"
    );
}

#[test]
fn guess_only_finds_nothing_where_no_server_listens() {
    // guess.test's names resolve (to 127.0.0.2) but, without the real servers, nothing listens.
    let (_, v) = json(&["someone@guess.test"]);
    let p = step(&v, "probe imap.guess.test");
    assert_eq!(p["outcome"], "not-found", "{p:#}");
    assert_eq!(step(&v, "A pop3.guess.test")["outcome"], "not-found");
}

#[test]
fn black_hole_dns_times_out_within_the_deadline() {
    let t = std::time::Instant::now();
    let (code, v) = json(&[
        "someone@blackhole.test",
        "--timeout",
        "0.5",
        "--deadline",
        "3",
    ]);
    assert_eq!(code, 1);
    let mx = step(&v, "MX blackhole.test");
    assert_eq!(mx["outcome"], "failed");
    assert!(mx["detail"].as_str().unwrap().contains("timeout"), "{mx:#}");
    // A functional bound, not a budget: far below the 30 s the server holds the query.
    assert!(t.elapsed().as_secs() < 10);
}

#[test]
fn servfail_is_named() {
    let (_, v) = json(&["someone@servfail.test"]);
    assert!(step(&v, "MX servfail.test")["detail"]
        .as_str()
        .unwrap()
        .contains("SERVFAIL"));
}

#[test]
fn slow_dns_still_finds() {
    let (code, v) = json(&["someone@slowdns.test"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(
        host_port(chosen(&v, "incoming").unwrap()),
        "imap.slowdns.test:993"
    );
    assert!(step(&v, "MX slowdns.test")["ms"].as_f64().unwrap() >= 250.0);
}

#[test]
fn redirect_loops_stop() {
    let (_, v) = json(&["someone@loop.test"]);
    let s = step(&v, "autoconfig.loop.test");
    assert_eq!(s["outcome"], "failed");
    assert!(s["detail"].as_str().unwrap().contains("redirects"), "{s:#}");
}

#[test]
fn cross_domain_redirects_lower_trust_and_say_so() {
    let (_, v) = json(&["someone@cross.test"]);
    let inc = chosen(&v, "incoming").unwrap();
    assert_eq!(host_port(inc), "imap.hoster.test:993");
    assert_eq!(inc["trust"], "medium");
    assert!(inc["provenance"]["notes"]
        .to_string()
        .contains("another domain"));
    assert_eq!(inc["provenance"]["redirects"].as_array().unwrap().len(), 1);
}

#[test]
fn a_50_mb_document_is_cut_at_the_cap() {
    let (_, v) = json(&["someone@large.test"]);
    let s = step(&v, "autoconfig.large.test");
    assert_eq!(s["outcome"], "failed");
    assert!(
        s["detail"]
            .as_str()
            .unwrap()
            .contains("larger than 1048576 bytes"),
        "{s:#}"
    );
}

#[test]
fn a_wrong_certificate_is_said_in_words() {
    let (_, v) = json(&["someone@wrongcert.test"]);
    let s = step(&v, "autoconfig.wrongcert.test");
    assert_eq!(s["outcome"], "failed", "{s:#}");
    let d = s["detail"].as_str().unwrap();
    assert!(
        d.contains("certificate is for another name") && d.contains("wrong.example"),
        "{d}"
    );
    assert!(v.get("incoming").is_none());
    assert!(v["advice"]
        .to_string()
        .contains("fix the certificate of autoconfig.wrongcert.test"));
}

#[test]
fn plain_http_autoconfig_only_with_allow_http_and_untrusted() {
    let (code, v) = json(&["someone@httponly.test", "--no-guess"]);
    assert_eq!(code, 1, "{v:#}");
    assert!(!v["trace"].to_string().contains("http://"));
    let (_, v) = json(&["someone@httponly.test", "--allow-http", "--no-guess"]);
    let inc = chosen(&v, "incoming").unwrap();
    assert_eq!(host_port(inc), "imap.httponly.test:993");
    assert_eq!(inc["trust"], "low");
    assert_eq!(inc["provenance"]["httpsVerified"], false);
    assert!(v["advice"].to_string().contains("over HTTPS"));
}

#[test]
fn a_slow_http_server_times_out() {
    let (_, v) = json(&[
        "someone@slowhttp.test",
        "--timeout",
        "0.5",
        "--deadline",
        "3",
    ]);
    let s = step(&v, "autoconfig.slowhttp.test");
    assert_eq!(s["outcome"], "failed");
    assert!(s["detail"].as_str().unwrap().contains("timeout"), "{s:#}");
}

#[test]
fn xml_the_importer_refuses_is_explained() {
    let (_, v) = json(&["someone@refused.test"]);
    let s = step(&v, "autoconfig.refused.test");
    assert_eq!(s["outcome"], "failed");
    assert!(
        s["detail"]
            .as_str()
            .unwrap()
            .contains("refused by the importer"),
        "{s:#}"
    );
}

#[test]
fn the_human_trace_names_every_attempt() {
    let (code, out, _) = discover(&["someone@own.test"]);
    assert_eq!(code, 0, "{out}");
    for want in [
        "Incoming  imap.own.test:993 (IMAP, SSL/TLS)",
        "Trace",
        "MX own.test",
        "SRV _imaps._tcp.own.test",
        "GET https://autoconfig.own.test",
        "NXDOMAIN",
    ] {
        assert!(out.contains(want), "{want} missing:\n{out}");
    }
    assert!(!out.contains('\x1b'), "no colour when not a terminal");
}

#[test]
fn bad_input_is_a_usage_error() {
    let (code, _, err) = discover(&["not an address"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("not an email address or a domain name"),
        "{err}"
    );
}

#[test]
fn batch_writes_json_lines_resumes_and_sums_up() {
    let dir = std::env::temp_dir().join(format!("mailsetup-discover-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("in.txt");
    let output = dir.join("out.jsonl");
    let _ = std::fs::remove_file(&output);
    std::fs::write(
        &input,
        "# test\nown.test\nsrv.test\nnothing.test\nservfail.test\n\nnot a domain\n",
    )
    .unwrap();
    let run = || {
        discover(&[
            "--batch",
            input.to_str().unwrap(),
            "--output",
            output.to_str().unwrap(),
            "--no-guess",
        ])
    };
    let (code, _, err) = run();
    assert_eq!(code, 0, "{err}");
    let lines: Vec<Value> = std::fs::read_to_string(&output)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    // A domain whose DNS failed is "unknown", never "nothing".
    assert!(
        err.contains("4 domains")
            && err.contains("autoconfig 1")
            && err.contains("SRV 1")
            && err.contains("nothing 1")
            && err.contains("unknown 1")
            && err.contains("1 with lookups that got no answer"),
        "{err}"
    );
    let servfail = lines
        .iter()
        .find(|l| l["input"] == "servfail.test")
        .unwrap();
    assert!(
        servfail["discovery"]["summary"]["unanswered"]
            .as_u64()
            .unwrap()
            >= 7
    );
    // Resumed: nothing is done twice.
    let (_, _, err) = run();
    assert!(
        err.contains("0 domains") && err.contains("5 resumed"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&output).unwrap().lines().count(), 5);
    // An interrupted run left its last line cut short: that input is done again, on a new line.
    let text = std::fs::read_to_string(&output).unwrap();
    std::fs::write(&output, &text[..text.len() - 20]).unwrap();
    let (code, _, err) = run();
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("1 domains") && err.contains("4 resumed"),
        "{err}"
    );
    let text = std::fs::read_to_string(&output).unwrap();
    let whole = text
        .lines()
        .filter(|l| serde_json::from_str::<Value>(l).is_ok())
        .count();
    assert_eq!(whole, 5, "{text}");
}

#[test]
fn every_ca_file_counts_in_discover_and_audit() {
    // --ca-file is repeatable in both commands (one set of lookup options): a second file adds
    // to the first rather than replacing it, so an unreadable first file is reported.
    let dir = std::env::temp_dir().join(format!("mailsetup-ca-files-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let missing = dir.join("missing.pem");
    let good = &fixture().ca_file;
    for cmd in ["discover", "audit"] {
        // The fixture's resolver and ISPDB: should the files be misread, nothing leaves loopback.
        let out = Command::new(env!("CARGO_BIN_EXE_mailsetup"))
            .args([cmd, "example.invalid", "--timeout", "1", "--deadline", "2"])
            .args(fixture().args())
            .arg("--ca-file")
            .arg(&missing)
            .arg("--ca-file")
            .arg(good)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{cmd}: {err}");
        assert!(err.contains("missing.pem"), "{cmd}: {err}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
