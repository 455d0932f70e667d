//! The probe against misbehaving peers (scripts/mailserver/fault-peers.sh): each gives the right
//! finding, in bounded time and memory, without a panic; credentials never go over cleartext or
//! to an unverified server.

mod common;

use common::*;
use mailsetup::probe::{Credentials, Injection, LoginResult, ProbeReport, Role, Secret, StageKind};
use mailsetup::{Protocol, Security};
use std::sync::OnceLock;
use std::time::Duration;

const SHORT: Duration = Duration::from_millis(1500);

fn peers() -> &'static Harness {
    static H: OnceLock<Harness> = OnceLock::new();
    H.get_or_init(|| fault_peers("faults", 2, &[("CERT_KEY_ALG", "ec")]))
}

fn target(key: &str) -> String {
    format!("127.0.0.1:{}", peers().port(&format!("FAULT_{key}_PORT")))
}

/// Probes one peer with the test CA and a short timeout. (That every stage is bounded by the
/// endpoint's deadline, in time, is a budget in scripts/bench-probe.sh.)
fn probe_peer(key: &str, scheme: Option<&str>) -> ProbeReport {
    let t = match scheme {
        Some(s) => format!("{s}://{}", target(key)),
        None => target(key),
    };
    probe(&[&t], &peers().ca(), SHORT)
}

fn only(r: &ProbeReport) -> &mailsetup::probe::EndpointReport {
    assert_eq!(r.endpoints.len(), 1, "{}", json(r));
    &r.endpoints[0]
}

fn creds(user: &str, password: &str) -> Credentials {
    Credentials {
        user: user.into(),
        password: Secret::new(password.into()),
    }
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs the fault peers (python3, openssl): cargo test --features real-servers"
)]
fn silence_times_out() {
    let r = probe_peer("SILENT", None);
    assert_finding(&r, "N003");
    let r = probe_peer("SILENT", Some("imap"));
    assert_finding(&r, "N003");
    let f = only(&r).failure.as_ref().unwrap();
    assert_eq!(f.stage, StageKind::Greeting);
    assert!(f.message.contains("no greeting"), "{}", f.message);
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs the fault peers (python3, openssl): cargo test --features real-servers"
)]
fn http_on_the_port_is_the_wrong_protocol() {
    for scheme in [None, Some("imap"), Some("imaps")] {
        let r = probe_peer("HTTP", scheme);
        assert_finding(&r, "N004");
        assert!(
            r.findings.iter().any(|f| f.message.contains("HTTP")),
            "{}",
            json(&r)
        );
    }
    // An HTTP server that waits for a request: a mail client just times out.
    let r = probe_peer("HTTP_LAZY", Some("imap"));
    assert_finding(&r, "N003");
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs the fault peers (python3, openssl): cargo test --features real-servers"
)]
fn long_and_endless_lines_are_capped() {
    for (key, scheme) in [
        ("LONGLINE", Some("imap")),
        ("ENDLESS_LINE", Some("imap")),
        ("ENDLESS_LINE", None),
        ("SMTP_LONGLINE", Some("smtp")),
    ] {
        let r = probe_peer(key, scheme);
        assert_finding(&r, "N007");
        // Memory stays bounded: reading stopped just past the 8 KiB line cap, not at 1 MiB.
        let got = only(&r).bytes_received;
        assert!(got < 64 * 1024, "{key}: read {got} bytes");
    }
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs the fault peers (python3, openssl): cargo test --features real-servers"
)]
fn resets_closes_and_bye() {
    assert_finding(&probe_peer("RST", Some("imap")), "N006");
    let r = probe_peer("CLOSE_MID_GREETING", Some("imap"));
    assert_finding(&r, "N006");
    assert!(only(&r)
        .failure
        .as_ref()
        .unwrap()
        .message
        .contains("middle of a line"));
    let r = probe_peer("BYE", Some("imap"));
    assert_finding(&r, "N005");
    let r = probe_peer("CLOSED", Some("imaps"));
    assert_finding(&r, "N002");
    assert_finding(&r, "N603");
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs the fault peers (python3, openssl): cargo test --features real-servers"
)]
fn tls_then_silence_times_out_after_the_handshake() {
    let r = probe_peer("TLS_SILENT", Some("imaps"));
    assert_finding(&r, "N003");
    assert!(only(&r).tls.as_ref().unwrap().verified);
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs the fault peers (python3, openssl): cargo test --features real-servers"
)]
fn obsolete_tls_is_a_finding_with_the_version() {
    for (key, version) in [
        ("TLS10_ONLY", "TLSv1.0"),
        ("TLS11_ONLY", "TLSv1.1"),
        ("TLS10_IMAP", "TLSv1.0"),
    ] {
        let r = probe_peer(key, Some("imaps"));
        assert_finding(&r, "N102");
        let e = only(&r);
        assert!(
            e.failure.as_ref().unwrap().message.contains(version),
            "{key}: {}",
            json(&r)
        );
        assert!(e
            .timeline
            .iter()
            .any(|s| s.stage == StageKind::LegacyTls && s.detail.contains(version)));
    }
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs the fault peers (python3, openssl): cargo test --features real-servers"
)]
fn certificate_problems_are_reported_and_the_probe_goes_on() {
    for (key, code) in [
        ("EXPIRED_IMAP", "N104"),
        ("WRONGNAME_IMAP", "N106"),
        ("SELFSIGNED_IMAP", "N103"),
        ("NOTYETVALID_IMAP", "N105"),
    ] {
        let r = probe_peer(key, Some("imaps"));
        assert_finding(&r, code);
        assert_finding(&r, "N603");
        let e = only(&r);
        assert!(!e.secure);
        let t = e.tls.as_ref().unwrap();
        assert!(!t.verified && !t.chain.is_empty());
        // It still reports what the server does.
        assert!(
            e.greeting.as_deref().unwrap_or("").starts_with("* OK"),
            "{key}"
        );
        assert!(e.capabilities.after_tls.is_some(), "{key}");
    }
    let r = probe_peer("EXPIRED_IMAP", Some("imaps"));
    let leaf = &only(&r).tls.as_ref().unwrap().chain[0];
    assert_eq!(leaf.not_after, "2020-02-01T00:00:00Z");
    assert!(leaf.days_left < -1000);
    let r = probe_peer("WRONGNAME_IMAP", Some("imaps"));
    assert!(r
        .findings
        .iter()
        .any(|f| f.message.contains("wrong.example")));
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs the fault peers (python3, openssl): cargo test --features real-servers"
)]
fn a_certificate_about_to_expire_is_a_warning() {
    let r = probe_peer("SOON_IMAP", Some("imaps"));
    assert_eq!(codes(&r), ["N107"]);
    assert!(only(&r).secure);
    let days = only(&r).tls.as_ref().unwrap().chain[0].days_left;
    assert!((3..=5).contains(&days), "{days}");
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs the fault peers (python3, openssl): cargo test --features real-servers"
)]
fn no_starttls_means_no_secure_endpoint() {
    let r = probe_peer("PLAIN_NO_STARTTLS", Some("imap"));
    for code in ["N201", "N204", "N603"] {
        assert_finding(&r, code);
    }
    let e = only(&r);
    assert_eq!(e.security, Some(Security::None));
    assert!(e.auth.cleartext_password_offered);
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs the fault peers (python3, openssl): cargo test --features real-servers"
)]
fn starttls_injection_is_detected_for_each_protocol() {
    for (key, scheme) in [
        ("IMAP_INJECTABLE", "imap"),
        ("POP3_INJECTABLE", "pop3"),
        ("SMTP_INJECTABLE", "submission"),
    ] {
        let r = probe_peer(key, Some(scheme));
        assert_finding(&r, "N203");
        let st = only(&r).starttls.as_ref().unwrap();
        assert!(
            matches!(st.injection, Injection::Vulnerable { .. }),
            "{key}"
        );
        // The main conversation (no pipelining) still works.
        assert!(only(&r).secure, "{key}");
    }
    let r = probe_peer("IMAP_SAFE_PIPELINE", Some("imap"));
    assert_eq!(codes(&r), Vec::<&str>::new(), "{}", json(&r));
    match &only(&r).starttls.as_ref().unwrap().injection {
        Injection::NotVulnerable { how } => assert!(how.contains("discarded"), "{how}"),
        other => panic!("{other:?}"),
    }
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs the fault peers (python3, openssl): cargo test --features real-servers"
)]
fn cleartext_after_the_starttls_answer_is_discarded() {
    let r = probe_peer("IMAP_LEAK", Some("imap"));
    assert_finding(&r, "N206");
    let e = only(&r);
    assert!(e.starttls.as_ref().unwrap().discarded_bytes > 0);
    // The injected capability never reached the conversation inside TLS.
    let after = e.capabilities.after_tls.as_ref().unwrap();
    assert!(!after.iter().any(|c| c.contains("INJECTED")), "{after:?}");
    assert!(!e
        .auth
        .after_tls
        .as_ref()
        .unwrap()
        .iter()
        .any(|m| m == "INJECTED"));
    assert!(e.secure);
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs the fault peers (python3, openssl): cargo test --features real-servers"
)]
fn stripped_and_hidden_starttls() {
    let r = probe_peer("IMAP_STRIPPED", Some("imap"));
    assert_finding(&r, "N202");
    assert_finding(&r, "N603");
    let r = probe_peer("IMAP_HIDDEN", Some("imap"));
    assert_eq!(codes(&r), ["N205"]);
    assert!(only(&r).secure);
}

/// Everything a recording peer received.
fn record(name: &str) -> String {
    let path = std::path::Path::new(peers().get("FAULT_RECORDS_DIR")).join(name);
    std::fs::read_to_string(&path).unwrap_or_default()
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs the fault peers (python3, openssl): cargo test --features real-servers"
)]
fn credentials_never_go_over_cleartext_to_a_server_that_would_accept_them() {
    const PASSWORD: &str = "Sup3r-Secret-Pa55";
    let b64 = mailsetup_b64(&format!("\0alice@mail.test\0{PASSWORD}"));
    for (key, scheme, file) in [
        ("IMAP_CLEARTEXT_RECORD", "imap", "imap-cleartext.log"),
        ("POP3_CLEARTEXT_RECORD", "pop3", "pop3-cleartext.log"),
        ("SMTP_CLEARTEXT_RECORD", "submission", "smtp-cleartext.log"),
    ] {
        let t = format!("{scheme}://{}", target(key));
        let r = probe_with(&[&t], |req| {
            req.options.trust = peers().ca();
            req.options.timeout = SHORT;
            req.options.login = Some(creds("alice@mail.test", PASSWORD));
        });
        assert_finding(&r, "N304");
        let e = only(&r);
        assert_eq!(e.login.as_ref().unwrap().result, LoginResult::NotAttempted);
        // The server offered and would have accepted a cleartext login ...
        assert!(e.auth.cleartext_password_offered, "{key}");
        // ... and received no credential at all.
        let rec = record(file);
        assert!(!rec.is_empty(), "{key}: the peer recorded nothing");
        assert!(
            !rec.contains(PASSWORD) && !rec.contains(&b64),
            "{key}:\n{rec}"
        );
        // Only the check that POP3's USER is taken before TLS, with a made-up name and no
        // password: never the user's name, never PASS.
        assert!(
            login_commands(&rec)
                .iter()
                .all(|l| *l == "plain: USER mailsetup-probe"),
            "{key}: sent {:?}:\n{rec}",
            login_commands(&rec)
        );
        assert!(!rec.contains("alice"), "{key}:\n{rec}");
        assert!(!json(&r).contains(PASSWORD));
    }
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs the fault peers (python3, openssl): cargo test --features real-servers"
)]
fn credentials_never_go_to_an_unverified_server_but_do_go_to_a_verified_one() {
    const PASSWORD: &str = "An0ther-Secret";
    let b64 = mailsetup_b64(&format!("\0alice@mail.test\0{PASSWORD}"));
    let login = |key: &str| {
        let t = format!("imap://{}", target(key));
        probe_with(&[&t], |req| {
            req.options.trust = peers().ca();
            req.options.timeout = SHORT;
            req.options.login = Some(creds("alice@mail.test", PASSWORD));
        })
    };
    // Self-signed certificate behind STARTTLS: TLS works, the certificate does not verify.
    let r = login("IMAP_SELFSIGNED_STARTTLS_RECORD");
    assert_finding(&r, "N103");
    assert_finding(&r, "N304");
    let rec = record("imap-selfsigned.log");
    assert!(
        rec.contains("tls: "),
        "the conversation went on inside TLS:\n{rec}"
    );
    assert!(
        !rec.contains(PASSWORD) && !rec.contains(&b64),
        "sent to an unverified server:\n{rec}"
    );
    // Control: with a verified certificate the same login is sent, inside TLS only.
    let r = login("IMAP_GOOD_STARTTLS_RECORD");
    assert_eq!(
        only(&r).login.as_ref().unwrap().result,
        LoginResult::Accepted,
        "{}",
        json(&r)
    );
    let rec = record("imap-good.log");
    let tls_lines: Vec<&str> = rec.lines().filter(|l| l.starts_with("tls: ")).collect();
    assert!(tls_lines.iter().any(|l| l.contains(&b64)), "{rec}");
    assert!(rec
        .lines()
        .filter(|l| l.starts_with("plain: "))
        .all(|l| !l.contains(&b64) && !l.contains(PASSWORD)));
    assert!(!json(&r).contains(PASSWORD) && !json(&r).contains(&b64));
}

/// Recorded lines that are login commands (LOGIN, AUTHENTICATE, AUTH, USER, PASS), tag or not.
fn login_commands(rec: &str) -> Vec<&str> {
    rec.lines()
        .filter(|l| {
            let words: Vec<String> = l
                .split_whitespace()
                .skip(1)
                .take(2)
                .map(str::to_ascii_uppercase)
                .collect();
            words
                .iter()
                .any(|w| ["LOGIN", "AUTHENTICATE", "AUTH", "USER", "PASS"].contains(&w.as_str()))
        })
        .collect()
}

/// Base64 as the probe sends SASL PLAIN (independent implementation for the test).
fn mailsetup_b64(s: &str) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let b = s.as_bytes();
    let mut out = String::new();
    for c in b.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            out.push(if i <= c.len() {
                A[(n >> (18 - 6 * i) & 63) as usize] as char
            } else {
                '='
            });
        }
    }
    out
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs the fault peers (python3, openssl): cargo test --features real-servers"
)]
fn no_login_over_a_starttls_that_runs_injected_commands() {
    // Verified TLS, a server that would accept the login, and a STARTTLS found injectable on the
    // test connection beside it: the password is not sent (D9).
    let r = probe_with(&[&format!("imap://{}", target("IMAP_INJECTABLE"))], |req| {
        req.options.trust = peers().ca();
        req.options.timeout = SHORT;
        req.options.login = Some(creds("alice@mail.test", "Inj3cted-Secret"));
    });
    assert_finding(&r, "N203");
    assert_finding(&r, "N304");
    let e = only(&r);
    assert!(e.secure, "{}", json(&r));
    let l = e.login.as_ref().unwrap();
    assert_eq!(l.result, LoginResult::NotAttempted, "{}", json(&r));
    assert!(l.response.contains("N203"), "{}", l.response);
    let rec = record("imap-injectable.log");
    assert!(!rec.is_empty(), "the peer recorded nothing");
    assert!(
        login_commands(&rec).is_empty(),
        "sent {:?}",
        login_commands(&rec)
    );
    assert!(!rec.contains("Inj3cted-Secret"));
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs the fault peers (python3, openssl): cargo test --features real-servers"
)]
fn pop3_options_that_break_leave_on_server() {
    let r = probe_peer("POP3_NO_UIDL_EXPIRE0", Some("pop3"));
    for code in ["N401", "N402", "N404"] {
        assert_finding(&r, code);
    }
    let p = only(&r).pop3.as_ref().unwrap();
    assert_eq!(
        (p.uidl, p.expire.as_deref(), p.login_delay),
        (false, Some("0"), Some(900))
    );
    let r = probe_peer("POP3_EXPIRE30", Some("pop3"));
    assert_eq!(codes(&r), ["N403"]);
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs the fault peers (python3, openssl): cargo test --features real-servers"
)]
fn smtp_without_auth_and_with_a_small_size_limit() {
    let r = probe_peer("SMTP_SMALL_NOAUTH", Some("submission"));
    assert_finding(&r, "N301");
    assert_finding(&r, "N501");
    assert_eq!(only(&r).smtp.as_ref().unwrap().size, Some(1_000_000));
}

#[test]
fn an_unknown_host_is_reported_once() {
    // A DNS server on loopback that knows no name: NXDOMAIN, never the system's resolver.
    let dns = dns::dns_server(dns::Zone::Names(Default::default()));
    let r = probe_with(&["no-such-host.invalid"], |req| {
        req.options.timeout = SHORT;
        req.options.resolver = Some(dns);
    });
    assert_eq!(r.endpoints.len(), 6);
    assert_eq!(
        r.findings.iter().filter(|f| f.code == "N001").count(),
        1,
        "{}",
        json(&r)
    );
    assert_eq!(r.findings[0].field, "host");
    assert!(r.findings[0].message.contains("NXDOMAIN"), "{}", json(&r));
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs the fault peers (python3, openssl): cargo test --features real-servers"
)]
fn names_resolve_through_the_given_dns_server() {
    let dns = dns::dns_server(dns::Zone::Names(
        [("imap.probe.test".to_string(), std::net::Ipv4Addr::LOCALHOST)].into(),
    ));
    let port = peers().port("FAULT_IMAP_SAFE_PIPELINE_PORT");
    let r = probe_with(&[&format!("imap://imap.probe.test:{port}")], |req| {
        req.options.trust = peers().ca();
        req.options.timeout = SHORT;
        req.options.resolver = Some(dns);
        req.options.tls_name = Some("mail.test".into());
    });
    let e = only(&r);
    assert_eq!(e.addresses, ["127.0.0.1"], "{}", json(&r));
    assert!(e.secure, "{}", json(&r));
}

#[test]
fn dns_that_never_answers_cannot_hold_the_probe() {
    // Six endpoints of a name a black-hole resolver never answers for: the probe reports it once
    // and returns within its deadline (it used to wait for the system's getaddrinfo: 10-90 s).
    let dns = dns::dns_server(dns::Zone::BlackHole);
    let timeout = Duration::from_secs(1);
    let started = std::time::Instant::now();
    let r = probe_with(&["mail.example.com"], |req| {
        req.options.timeout = timeout;
        req.options.resolver = Some(dns);
    });
    let took = started.elapsed();
    assert_eq!(r.endpoints.len(), 6);
    let n001: Vec<_> = r.findings.iter().filter(|f| f.code == "N001").collect();
    assert_eq!(n001.len(), 1, "{}", json(&r));
    assert!(
        n001[0].message.contains("no answer from DNS within 1 s"),
        "{}",
        json(&r)
    );
    // The deadline the probe promises: --timeout, plus one second (issue 14).
    assert!(took < timeout + Duration::from_secs(1), "{took:?}");
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs the fault peers (python3, openssl): cargo test --features real-servers"
)]
fn a_deferred_login_is_not_a_wrong_password() {
    let r = probe_with(
        &[&format!("pop3://{}", target("POP3_LOGIN_DELAY"))],
        |req| {
            req.options.trust = peers().ca();
            req.options.timeout = SHORT;
            req.options.login = Some(creds("alice@mail.test", "right-or-wrong"));
        },
    );
    assert_finding(&r, "N305");
    assert_no_finding(&r, "N303");
    let l = only(&r).login.as_ref().unwrap();
    assert_eq!(l.result, LoginResult::Inconclusive, "{}", json(&r));
    assert!(l.response.contains("[LOGIN-DELAY]"), "{}", l.response);
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs the fault peers (python3, openssl): cargo test --features real-servers"
)]
fn tls_that_works_for_some_clients_only() {
    // TLS 1.0 to 1.3 all accepted: a warning naming the deprecated versions.
    let r = probe_peer("IMAP_TLS10_TO_13", Some("imaps"));
    assert_finding(&r, "N110");
    let t = only(&r).tls.as_ref().unwrap();
    assert_eq!(t.legacy_versions, ["TLSv1.0", "TLSv1.1"], "{}", json(&r));
    assert!(only(&r).secure);
    // TLS 1.1 accepted and TLS 1.0 not: the second ClientHello (TLS 1.0 alone) tells them apart.
    let r = probe_peer("IMAP_TLS11_TO_13", Some("imaps"));
    assert_finding(&r, "N110");
    let t = only(&r).tls.as_ref().unwrap();
    assert_eq!(t.legacy_versions, ["TLSv1.1"], "{}", json(&r));
    // TLS 1.2 with CBC suites only: weak, named as IANA and OpenSSL name it, not "broken".
    let r = probe_peer("TLS12_CBC_ONLY", Some("imaps"));
    assert_finding(&r, "N109");
    assert_no_finding(&r, "N101");
    let f = r.findings.iter().find(|f| f.code == "N109").unwrap();
    assert!(
        f.message.contains("_WITH_AES_256_CBC_SHA (OpenSSL: ") && f.message.contains("AES256-SHA"),
        "{}",
        f.message
    );
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs the fault peers (python3, openssl): cargo test --features real-servers"
)]
fn a_failing_configured_endpoint_gets_the_fix_from_a_working_standard_one() {
    // A lab at offset PORT_BASE: +143 speaks IMAP without STARTTLS, +993 implicit TLS works.
    let h = peers();
    let base = h.base;
    let c = h.get("MAIL_CERTS_DIR").to_string();
    extra_peer(
        h,
        "LAB_143",
        base + 143,
        &["mail", "--proto", "imap", "--starttls", "none"],
    );
    extra_peer(
        h,
        "LAB_993",
        base + 993,
        &[
            "mail",
            "--proto",
            "imap",
            "--starttls",
            "none",
            "--tls-cert",
            &format!("{c}/server-chain.pem"),
            "--tls-key",
            &format!("{c}/server.key"),
        ],
    );
    let r = probe_with(&[&format!("127.0.0.1:{}", base + 143)], |req| {
        req.protocol = Some(Protocol::Imap);
        req.security = Some(Security::Starttls);
        req.options.trust = peers().ca();
        req.options.timeout = SHORT;
        req.options.standard_port_offset = base;
    });
    assert_finding(&r, "N601");
    assert_finding(&r, "N201");
    assert_eq!(r.endpoints.len(), 2, "{}", json(&r));
    assert_eq!(r.endpoints[1].role, Role::Alternative);
    assert!(r.endpoints[1].secure);
    let fixed = serde_json::to_value(r.fixed.as_ref().unwrap()).unwrap();
    assert_eq!(fixed["port"], base + 993);
    assert_eq!(fixed["security"], "tls");
    // The top-level findings carry the fixes with their fields.
    let fixes: Vec<(&str, String)> = r
        .findings
        .iter()
        .filter(|f| f.code == "N601")
        .map(|f| {
            (
                f.field.as_str(),
                serde_json::to_string(&f.fix.as_ref().unwrap().value).unwrap(),
            )
        })
        .collect();
    assert!(
        fixes.contains(&("port", (base + 993).to_string())),
        "{fixes:?}"
    );
    assert!(
        fixes.contains(&("security", "\"tls\"".to_string())),
        "{fixes:?}"
    );
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs the fault peers (python3, openssl): cargo test --features real-servers"
)]
fn many_misbehaving_endpoints_at_once_stay_bounded() {
    // Every fault peer in one probe: each gives its finding, no panic. (The time it takes, all
    // of them within about one deadline, is a budget in scripts/bench-probe.sh.)
    let keys = [
        "SILENT",
        "HTTP",
        "LONGLINE",
        "ENDLESS_LINE",
        "RST",
        "BYE",
        "TLS_SILENT",
        "TLS10_ONLY",
        "EXPIRED_IMAP",
        "WRONGNAME_IMAP",
        "SELFSIGNED_IMAP",
        "PLAIN_NO_STARTTLS",
        "CLOSE_MID_GREETING",
        "IMAP_INJECTABLE",
        "IMAP_LEAK",
        "IMAP_STRIPPED",
    ];
    let targets: Vec<String> = keys.iter().map(|k| target(k)).collect();
    let refs: Vec<&str> = targets.iter().map(String::as_str).collect();
    let r = probe_with(&refs, |req| {
        req.protocol = Some(Protocol::Imap);
        req.options.trust = peers().ca();
        req.options.timeout = SHORT;
    });
    assert_eq!(r.endpoints.len(), keys.len());
    assert!(r.has_errors());
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs the fault peers (python3, openssl): cargo test --features real-servers"
)]
fn logins_without_sasl_plain_use_each_protocols_own_command() {
    const PASSWORD: &str = "pässwörd-Ω";
    for (key, scheme, file, command) in [
        ("IMAP_LEGACY_LOGIN", "imap", "imap-legacy.log", "LOGIN"),
        ("POP3_LEGACY_LOGIN", "pop3", "pop3-legacy.log", "USER/PASS"),
        (
            "SMTP_LEGACY_LOGIN",
            "submission",
            "smtp-legacy.log",
            "AUTH LOGIN",
        ),
    ] {
        let t = format!("{scheme}://{}", target(key));
        let r = probe_with(&[&t], |req| {
            req.options.trust = peers().ca();
            req.options.timeout = SHORT;
            req.options.login = Some(creds("alice@mail.test", PASSWORD));
        });
        let l = only(&r).login.as_ref().unwrap();
        assert_eq!(l.result, LoginResult::Accepted, "{key}: {}", json(&r));
        assert_eq!(l.mechanism.as_deref(), Some(command), "{key}");
        let rec = record(file);
        // Everything after the upgrade, and nothing of the login before it.
        assert!(!login_commands(&rec).is_empty(), "{key}:\n{rec}");
        assert!(
            login_commands(&rec).iter().all(|l| l.starts_with("tls: ")),
            "{key}:\n{rec}"
        );
        assert!(!json(&r).contains(PASSWORD));
    }
    // The non-ASCII password went to IMAP as a literal, inside TLS.
    assert!(record("imap-legacy.log").contains(&format!("tls: {PASSWORD}")));
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs the fault peers (python3, openssl): cargo test --features real-servers"
)]
fn a_handshake_refused_for_another_reason_is_a_tls_failure() {
    let r = probe_peer("TLS_ALERT", Some("imaps"));
    assert_finding(&r, "N101");
    assert_no_finding(&r, "N102");
    assert!(only(&r)
        .timeline
        .iter()
        .any(|s| s.stage == StageKind::LegacyTls && !s.ok));
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs the fault peers (python3, openssl): cargo test --features real-servers"
)]
fn starttls_without_implicit_tls_is_advice() {
    // A lab at offset PORT_BASE: POP3 with STLS on +110, nothing on +995.
    let h = peers();
    let c = h.get("MAIL_CERTS_DIR").to_string();
    extra_peer(
        h,
        "LAB_110",
        h.base + 110,
        &[
            "mail",
            "--proto",
            "pop3",
            "--starttls",
            "ok",
            "--starttls-cert",
            &format!("{c}/server-chain.pem"),
            "--starttls-key",
            &format!("{c}/server.key"),
        ],
    );
    let r = probe_with(&["127.0.0.1"], |req| {
        req.protocol = Some(Protocol::Pop3);
        req.options.trust = peers().ca();
        req.options.timeout = SHORT;
        req.options.standard_port_offset = h.base;
    });
    assert_eq!(codes(&r), ["N604"], "{}", json(&r));
    assert!(!r.has_errors());
}
