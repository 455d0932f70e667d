//! The probe against a real Dovecot on loopback (scripts/mailserver/): IMAP, POP3 and submission,
//! implicit TLS and STARTTLS, the certificate chain, capabilities, logins, and the comparison with
//! configured settings. A second Dovecot without TLS that accepts cleartext logins shows that the
//! probe never sends a credential in cleartext.

mod common;

use common::*;
use mailsetup::probe::{
    Credentials, EndpointReport, Injection, LoginResult, ProbeReport, Progress, Role, Secret,
    StageKind,
};
use mailsetup::{Auth, Protocol, Security};
use std::io::{BufRead, BufReader, Write};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(5);
const HOST: &str = "127.0.0.2";

/// The main Dovecot: TLS with the test CA (RSA keys, as most real servers have).
fn dovecot_main() -> &'static Harness {
    static H: OnceLock<Harness> = OnceLock::new();
    H.get_or_init(|| dovecot("dovecot-main", 0, &[]))
}

/// A Dovecot with no TLS at all that accepts cleartext logins.
fn dovecot_cleartext() -> &'static Harness {
    static H: OnceLock<Harness> = OnceLock::new();
    H.get_or_init(|| {
        dovecot(
            "dovecot-cleartext",
            1,
            &[
                ("SSL_MODE", "no"),
                ("ALLOW_CLEARTEXT", "yes"),
                ("CERT_KEY_ALG", "ec"),
            ],
        )
    })
}

/// The main Dovecot's PORT_BASE.
fn base() -> u16 {
    dovecot_main().base
}

fn clear_base() -> u16 {
    dovecot_cleartext().base
}

fn url(scheme: &str, port: u16) -> String {
    format!("{scheme}://{HOST}:{port}")
}

fn one(targets: &[&str]) -> ProbeReport {
    probe(targets, &dovecot_main().ca(), TIMEOUT)
}

fn only(r: &ProbeReport) -> &EndpointReport {
    assert_eq!(r.endpoints.len(), 1, "{}", json(r));
    &r.endpoints[0]
}

fn stages(e: &EndpointReport) -> Vec<StageKind> {
    e.timeline.iter().map(|s| s.stage).collect()
}

fn creds(password: &str) -> Credentials {
    Credentials {
        user: "alice@mail.test".into(),
        password: Secret::new(password.into()),
    }
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs Dovecot on loopback: cargo test --features real-servers"
)]
fn imaps_gives_a_complete_report() {
    let r = one(&[&url("imaps", base() + 993)]);
    assert_eq!(codes(&r), Vec::<&str>::new(), "{}", json(&r));
    let e = only(&r);
    assert!(e.secure && e.failure.is_none());
    assert_eq!(
        (e.protocol, e.security),
        (Some(Protocol::Imap), Some(Security::Tls))
    );
    // The conversation's stages in order, and beside them TLS 1.1 and 1.0 tried on a connection
    // of their own.
    let main: Vec<StageKind> = stages(e)
        .into_iter()
        .filter(|s| *s != StageKind::OldTlsVersions)
        .collect();
    assert_eq!(
        main,
        [
            StageKind::Resolve,
            StageKind::Connect,
            StageKind::Tls,
            StageKind::Greeting,
            StageKind::CapabilitiesAfterTls,
            StageKind::Logout
        ]
    );
    assert!(stages(e).contains(&StageKind::OldTlsVersions));
    assert!(e.timeline.iter().all(|s| s.ok && s.ms >= 0.0));
    let t = e.tls.as_ref().unwrap();
    assert_eq!(t.version, "TLSv1.3");
    // IANA's names (and OpenSSL's, for TLS 1.3).
    assert!(t.cipher_suite.starts_with("TLS_AES_"), "{}", t.cipher_suite);
    assert!(
        t.legacy_versions.is_empty(),
        "Dovecot 2.3 refuses TLS 1.0/1.1"
    );
    assert!(t.verified && t.name_matches && t.chain_error.is_none());
    assert_eq!((t.trust, t.name_checked.as_str()), ("ca-file", HOST));
    assert_eq!(t.chain.len(), 2, "leaf and intermediate");
    let leaf = &t.chain[0];
    assert!(leaf.subject.contains("CN=mail.test"), "{}", leaf.subject);
    assert!(leaf.issuer.contains("Intermediate"), "{}", leaf.issuer);
    assert!(leaf.sans.iter().any(|s| s == "127.0.0.2"));
    assert!(leaf.sans.iter().any(|s| s == "mail.test"));
    assert_eq!((leaf.key_type.as_str(), leaf.key_bits), ("RSA", 2048));
    assert!(leaf.days_left > 3000, "{}", leaf.days_left);
    assert!(!leaf.self_signed && !leaf.is_ca && t.chain[1].is_ca);
    assert!(e.greeting.as_deref().unwrap().starts_with("* OK"));
    let caps = e.capabilities.after_tls.as_ref().unwrap();
    assert!(caps.iter().any(|c| c == "IMAP4rev1"));
    assert_eq!(
        e.auth.after_tls.as_deref(),
        Some(&["PLAIN".to_string(), "LOGIN".to_string()][..])
    );
    assert!(e.capabilities.before_tls.is_none() && e.starttls.is_none());
    assert!(e.bytes_received > 500 && e.bytes_received < 64 * 1024);
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs Dovecot on loopback: cargo test --features real-servers"
)]
fn imap_starttls_before_and_after() {
    let r = one(&[&url("imap", base() + 143)]);
    assert_eq!(codes(&r), Vec::<&str>::new(), "{}", json(&r));
    let e = only(&r);
    assert_eq!(e.security, Some(Security::Starttls));
    let before = e.capabilities.before_tls.as_ref().unwrap();
    assert!(before.iter().any(|c| c == "STARTTLS") && before.iter().any(|c| c == "LOGINDISABLED"));
    assert_eq!(e.auth.login_disabled_before_tls, Some(true));
    assert_eq!(e.auth.before_tls.as_deref(), Some(&[][..]));
    assert!(!e.auth.cleartext_password_offered);
    assert!(e
        .auth
        .after_tls
        .as_ref()
        .unwrap()
        .contains(&"PLAIN".to_string()));
    let st = e.starttls.as_ref().unwrap();
    assert!(st.advertised && st.accepted && st.discarded_bytes == 0);
    // Dovecot reads pipelined bytes as TLS and aborts that handshake: not vulnerable.
    assert!(
        matches!(st.injection, Injection::NotVulnerable { .. }),
        "{:?}",
        st.injection
    );
    for s in [
        StageKind::Capabilities,
        StageKind::Starttls,
        StageKind::Tls,
        StageKind::CapabilitiesAfterTls,
        StageKind::InjectionTest,
    ] {
        assert!(stages(e).contains(&s), "{s:?}");
    }
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs Dovecot on loopback: cargo test --features real-servers"
)]
fn loopback_from_the_same_address_offers_cleartext_passwords() {
    // Dovecot treats 127.0.0.1 → 127.0.0.1 as "secured": AUTH=PLAIN and LOGIN before STARTTLS.
    let r = one(&[&format!("imap://127.0.0.1:{}", base() + 143)]);
    assert_eq!(codes(&r), ["N204"], "{}", json(&r));
    assert!(only(&r).auth.cleartext_password_offered);
    assert_eq!(only(&r).auth.login_disabled_before_tls, Some(false));
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs Dovecot on loopback: cargo test --features real-servers"
)]
fn pop3_both_ways_with_leave_on_server_details() {
    // 26995 is not a well-known port: protocol and security are detected.
    let r = one(&[
        &url("pop3", base() + 110),
        &format!("{HOST}:{}", base() + 995),
    ]);
    assert_eq!(codes(&r), Vec::<&str>::new(), "{}", json(&r));
    for e in &r.endpoints {
        assert!(e.secure, "{}", json(&r));
        assert_eq!(e.protocol, Some(Protocol::Pop3));
        let p = e.pop3.as_ref().unwrap();
        assert!(p.uidl && p.top);
        assert!(e
            .auth
            .after_tls
            .as_ref()
            .unwrap()
            .contains(&"USER".to_string()));
    }
    assert_eq!(r.endpoints[0].security, Some(Security::Starttls));
    assert_eq!(r.endpoints[1].security, Some(Security::Tls));
    assert_eq!(r.endpoints[1].expected, None);
    assert_eq!(r.endpoints[0].auth.before_tls.as_deref(), Some(&[][..]));
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs Dovecot on loopback: cargo test --features real-servers"
)]
fn submission_both_ways() {
    let r = one(&[
        &url("submission", base() + 587),
        &url("submissions", base() + 465),
    ]);
    assert_eq!(codes(&r), Vec::<&str>::new(), "{}", json(&r));
    for e in &r.endpoints {
        assert!(e.secure);
        let s = e.smtp.as_ref().unwrap();
        assert_eq!(s.size, Some(10 * 1024 * 1024));
        assert!(s.pipelining && s.eight_bit_mime);
        assert_eq!(s.auth, ["PLAIN", "LOGIN"]);
    }
    // Before STARTTLS Dovecot sends `250-AUTH ` with an empty list.
    assert_eq!(r.endpoints[0].auth.before_tls.as_deref(), Some(&[][..]));
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs Dovecot on loopback: cargo test --features real-servers"
)]
fn standard_endpoints_are_probed_side_by_side() {
    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = events.clone();
    let r = probe_with(&[HOST], |req| {
        req.protocol = Some(Protocol::Imap);
        req.options.trust = dovecot_main().ca();
        req.options.timeout = TIMEOUT;
        req.options.standard_port_offset = base();
        req.options.progress = Some(Arc::new(move |p: &Progress| {
            seen.lock().unwrap().push((p.index, p.stage, p.done));
        }));
    });
    assert_eq!(codes(&r), Vec::<&str>::new(), "{}", json(&r));
    let ports: Vec<u16> = r.endpoints.iter().map(|e| e.port).collect();
    assert_eq!(ports, [base() + 993, base() + 143]);
    assert!(r
        .endpoints
        .iter()
        .all(|e| e.secure && e.role == Role::Standard));
    // Concurrently: every endpoint began connecting before any had finished. (The time that
    // saves is a budget in scripts/bench-probe.sh, not an assertion here.)
    let events = events.lock().unwrap();
    let first_done = events
        .iter()
        .position(|e| e.2)
        .expect("no endpoint finished");
    for i in 0..r.endpoints.len() {
        assert!(
            events[..first_done].contains(&(i, "connect", false)),
            "endpoint {i} began connecting only after another had finished: {events:?}"
        );
    }
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs Dovecot on loopback: cargo test --features real-servers"
)]
fn every_protocol_when_nothing_says_which() {
    let r = probe_with(&[HOST], |req| {
        req.options.trust = dovecot_main().ca();
        req.options.timeout = TIMEOUT;
        req.options.standard_port_offset = base();
    });
    assert_eq!(r.endpoints.len(), 6);
    assert!(r.endpoints.iter().all(|e| e.secure), "{}", json(&r));
    assert_eq!(codes(&r), Vec::<&str>::new());
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs Dovecot on loopback: cargo test --features real-servers"
)]
fn logins_are_checked_once_per_protocol() {
    let targets = [
        url("imaps", base() + 993),
        url("imap", base() + 143),
        url("pop3s", base() + 995),
        url("pop3", base() + 110),
        url("submissions", base() + 465),
        url("submission", base() + 587),
    ];
    let refs: Vec<&str> = targets.iter().map(String::as_str).collect();
    let r = probe_with(&refs, |req| {
        req.options.trust = dovecot_main().ca();
        req.options.timeout = TIMEOUT;
        req.options.login = Some(creds("alice-secret"));
    });
    assert_eq!(codes(&r), Vec::<&str>::new(), "{}", json(&r));
    // Every endpoint named and secure: the login goes to each protocol's implicit-TLS one
    // (RFC 8314), once; the STARTTLS ones only say goodbye.
    let mut logins = Vec::new();
    for e in &r.endpoints {
        if e.security == Some(Security::Tls) {
            let l = e.login.as_ref().unwrap();
            assert_eq!(
                l.result,
                LoginResult::Accepted,
                "{}: {}",
                e.port,
                l.response
            );
            assert!(l.mechanism.is_some());
            let s = e
                .timeline
                .iter()
                .find(|s| s.stage == StageKind::Login)
                .unwrap();
            assert!(s.ok, "{}: {}", e.port, s.detail);
            logins.push(e.protocol);
        } else {
            assert!(e.login.is_none(), "{}: {:?}", e.port, e.login);
            assert!(!stages(e).contains(&StageKind::Login));
            assert!(stages(e).contains(&StageKind::Logout));
        }
    }
    assert_eq!(
        logins,
        [
            Some(Protocol::Imap),
            Some(Protocol::Pop3),
            Some(Protocol::Smtp)
        ]
    );
    let text = json(&r);
    assert!(
        !text.contains("alice-secret"),
        "the password is in the report"
    );
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs Dovecot on loopback: cargo test --features real-servers"
)]
fn a_wrong_password_is_rejected_in_the_servers_words() {
    let r = probe_with(
        &[&url("imaps", base() + 993), &url("pop3s", base() + 995)],
        |req| {
            req.options.trust = dovecot_main().ca();
            req.options.timeout = TIMEOUT;
            req.options.login = Some(creds("not-the-password"));
        },
    );
    assert_eq!(codes(&r), ["N303"], "{}", json(&r));
    for e in &r.endpoints {
        let l = e.login.as_ref().unwrap();
        assert_eq!(l.result, LoginResult::Rejected);
        assert!(l.response.contains("AUTH"), "{}", l.response);
    }
    assert!(!json(&r).contains("not-the-password"));
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs Dovecot on loopback: cargo test --features real-servers"
)]
fn implicit_tls_configured_on_the_starttls_port() {
    let r = probe_with(&[&format!("{HOST}:{}", base() + 143)], |req| {
        req.protocol = Some(Protocol::Imap);
        req.security = Some(Security::Tls);
        req.options.trust = dovecot_main().ca();
        req.options.timeout = TIMEOUT;
    });
    // N601 says it, with the fix; the endpoint's own N108 would say it again.
    assert_finding(&r, "N601");
    assert_no_finding(&r, "N108");
    let e = only(&r);
    assert!(e.implicit_tls_answered_in_cleartext);
    // It went on with STARTTLS on a new connection, which works.
    assert_eq!(e.security, Some(Security::Starttls));
    let fix = r
        .findings
        .iter()
        .find(|f| f.code == "N601")
        .and_then(|f| f.fix.as_ref())
        .unwrap();
    assert_eq!(fix.field, "security");
    let fixed = serde_json::to_value(r.fixed.as_ref().unwrap()).unwrap();
    assert_eq!(fixed["security"], "starttls");
    assert_eq!(
        fixed["port"],
        base() + 143,
        "the fix keeps the port: {fixed}"
    );
    // Without settings to compare, the endpoint's own finding says it.
    let r = one(&[&url("imaps", base() + 143)]);
    assert_finding(&r, "N108");
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs Dovecot on loopback: cargo test --features real-servers"
)]
fn cleartext_configured_where_starttls_works() {
    let r = probe_with(&[&format!("{HOST}:{}", base() + 143)], |req| {
        req.protocol = Some(Protocol::Imap);
        req.security = Some(Security::None);
        req.options.trust = dovecot_main().ca();
        req.options.timeout = TIMEOUT;
    });
    assert_finding(&r, "N602");
    let f = r.findings.iter().find(|f| f.code == "N602").unwrap();
    assert_eq!(
        f.fix.as_ref().unwrap().value,
        mailsetup::FixValue::Security(Security::Starttls)
    );
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs Dovecot on loopback: cargo test --features real-servers"
)]
fn configured_authentication_the_server_does_not_offer() {
    let cfg = |auth: Auth| {
        probe_with(&[&url("imaps", base() + 993)], |req| {
            req.auth = Some(auth);
            req.email = Some("alice@mail.test".into());
            req.options.trust = dovecot_main().ca();
            req.options.timeout = TIMEOUT;
        })
    };
    let r = cfg(Auth::Oauth2);
    assert_finding(&r, "N302");
    let f = r.findings.iter().find(|f| f.code == "N302").unwrap();
    assert_eq!(f.field, "incoming.auth");
    assert!(f.fix.is_none());
    let r = cfg(Auth::EncryptedPassword);
    let f = r.findings.iter().find(|f| f.code == "N302").unwrap();
    assert_eq!(
        f.fix.as_ref().unwrap().value,
        mailsetup::FixValue::Auth(Auth::Password)
    );
    assert_no_finding(&cfg(Auth::Password), "N302");
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs Dovecot on loopback: cargo test --features real-servers"
)]
fn no_credential_ever_goes_to_a_cleartext_server_that_would_accept_it() {
    let h = dovecot_cleartext();
    // The server would accept it: a cleartext LOGIN succeeds (sent here by the test itself).
    let mut s = std::net::TcpStream::connect((HOST, clear_base() + 143)).unwrap();
    s.set_read_timeout(Some(TIMEOUT)).unwrap();
    let mut r = BufReader::new(s.try_clone().unwrap());
    let mut line = String::new();
    r.read_line(&mut line).unwrap();
    s.write_all(b"t1 LOGIN bob@mail.test bob-secret\r\n")
        .unwrap();
    loop {
        line.clear();
        r.read_line(&mut line).unwrap();
        if line.starts_with("t1 ") {
            break;
        }
    }
    assert!(line.starts_with("t1 OK"), "control login: {line}");
    drop(s);

    let targets = [
        url("imap", clear_base() + 143),
        url("pop3", clear_base() + 110),
        url("submission", clear_base() + 587),
    ];
    let refs: Vec<&str> = targets.iter().map(String::as_str).collect();
    let r = probe_with(&refs, |req| {
        req.options.trust = h.ca();
        req.options.timeout = TIMEOUT;
        req.options.login = Some(creds("alice-secret"));
    });
    for code in ["N201", "N204", "N304", "N603"] {
        assert_finding(&r, code);
    }
    for e in &r.endpoints {
        assert_eq!(e.security, Some(Security::None), "{}", json(&r));
        assert_eq!(e.login.as_ref().unwrap().result, LoginResult::NotAttempted);
        assert!(!stages(e).contains(&StageKind::Login));
    }
    assert!(!json(&r).contains("alice-secret"));
    // Dovecot saw no authentication attempt from alice on any protocol.
    std::thread::sleep(Duration::from_millis(300));
    let log = std::fs::read_to_string(h.get("DOVECOT_LOG")).unwrap();
    assert!(
        log.contains("user=<bob@mail.test>"),
        "the control login is logged:\n{log}"
    );
    assert!(!log.contains("alice"), "alice was sent to Dovecot:\n{log}");
}

#[test]
#[cfg_attr(
    not(feature = "real-servers"),
    ignore = "needs Dovecot on loopback: cargo test --features real-servers"
)]
fn starttls_configured_where_there_is_none() {
    let h = dovecot_cleartext();
    let r = probe_with(&[&format!("{HOST}:{}", clear_base() + 143)], |req| {
        req.protocol = Some(Protocol::Imap);
        req.security = Some(Security::Starttls);
        req.options.trust = h.ca();
        req.options.timeout = TIMEOUT;
        req.options.standard_port_offset = clear_base();
    });
    assert_finding(&r, "N601");
    assert_finding(&r, "N201");
    // The implicit-TLS alternative was tried and is closed: no fix to give.
    assert!(r
        .endpoints
        .iter()
        .any(|e| e.role == Role::Alternative && e.port == clear_base() + 993));
    let f = r.findings.iter().find(|f| f.code == "N601").unwrap();
    assert!(f.fix.is_none(), "{f:?}");
    assert_no_finding(&r, "N002");
}
