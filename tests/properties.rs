//! Property tests: no input makes the core panic, and the report's `fixed` settings are coherent
//! (validated again, they leave no error that a fix could remove; fixes of one field agree; the
//! fixed settings are valid input again).

use mailsetup::providers;
use mailsetup::{
    parse_settings_json, validate, Account, Auth, Pop3Options, Protocol, Security, Server,
    Settings, Severity,
};
use proptest::prelude::*;
use serde_json::Value;

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<u16>().prop_map(Value::from),
        ".*".prop_map(Value::String),
        field_value().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((field_name(), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// Keys of the model (and near misses), so random objects often get deep into parsing.
fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "protocol",
            "host",
            "port",
            "security",
            "auth",
            "username",
            "email",
            "incoming",
            "outgoing",
            "pop3",
            "leaveOnServer",
            "deleteAfterDays",
            "prot",
            "Host",
        ])
        .prop_map(str::to_owned),
        "[a-zA-Z]{0,10}",
    ]
}

/// Values of the vocabularies, aliases and junk.
fn field_value() -> impl Strategy<Value = String> {
    let mut words: Vec<&'static str> = Vec::new();
    words.extend(Protocol::NAMES);
    words.extend(Security::NAMES);
    words.extend(Auth::NAMES);
    words.extend([
        "SSL", "ssl/tls", "plain", "STARTTLS", "pop", "993", "0", "70000",
    ]);
    prop_oneof![prop::sample::select(words).prop_map(str::to_owned), host()]
}

/// A well-formed account built from real-looking parts, so the rules' deep paths are exercised.
fn known_host() -> impl Strategy<Value = String> {
    let hosts: Vec<&'static str> = providers::hosts_by_length().map(|(h, _)| h).collect();
    prop::sample::select(hosts).prop_map(str::to_owned)
}

/// A known host with one slip: a character dropped, doubled, swapped or replaced.
fn misspelt_host() -> impl Strategy<Value = String> {
    (known_host(), any::<prop::sample::Index>(), 0..4u8, "[a-z.]").prop_map(|(h, i, kind, c)| {
        let mut b: Vec<char> = h.chars().collect();
        let i = i.index(b.len());
        match kind {
            0 => {
                b.remove(i);
            }
            1 => b.insert(i, b[i]),
            2 if i + 1 < b.len() => b.swap(i, i + 1),
            _ => b[i] = c.chars().next().unwrap_or('x'),
        }
        b.into_iter().collect()
    })
}

fn host() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => known_host(),
        3 => misspelt_host(),
        1 => known_host().prop_map(|h| format!("imaps://{h}:993/INBOX")),
        1 => known_host().prop_map(|h| format!(" {} ", h.to_uppercase())),
        1 => known_host().prop_map(|h| format!("{h}:587")),
        1 => known_host().prop_map(|h| format!("me@{h}")),
        1 => Just("127.0.0.1".to_owned()),
        1 => Just("::1".to_owned()),
        1 => Just("[::1]:1143".to_owned()),
        1 => Just("localhost".to_owned()),
        1 => Just("192.168.1.10".to_owned()),
        1 => Just("142.250.27.108".to_owned()),
        1 => Just("mail.bücher.example".to_owned()),
        1 => Just(String::new()),
        2 => "[a-z0-9]{1,10}(\\.[a-z0-9-]{1,10}){0,3}",
        2 => "[a-zA-Z0-9.:/@_ \\[\\]%-]{0,30}",
        2 => ".{0,40}",
    ]
}

fn email() -> impl Strategy<Value = Option<String>> {
    let domains: Vec<&'static str> = providers::all()
        .iter()
        .flat_map(|p| p.domain_names())
        .collect();
    prop_oneof![
        2 => Just(None),
        4 => ("[a-z]{1,8}", prop::sample::select(domains)).prop_map(|(l, d)| Some(format!("{l}@{d}"))),
        2 => "[a-z]{1,8}@[a-z]{1,8}\\.(com|org|de)".prop_map(Some),
        1 => ".{0,20}".prop_map(Some),
        1 => "[a-z@. ]{0,20}".prop_map(Some),
    ]
}

fn username() -> impl Strategy<Value = Option<String>> {
    let domains: Vec<&'static str> = providers::all()
        .iter()
        .flat_map(|p| p.domain_names())
        .collect();
    prop_oneof![
        2 => Just(None),
        3 => ("[a-z]{1,8}", prop::sample::select(domains)).prop_map(|(l, d)| Some(format!("{l}@{d}"))),
        1 => "[a-z]{1,8}".prop_map(Some),
        1 => "(recent:|RECENT:|recent: )?[a-z]{1,8}@gmail\\.com".prop_map(Some),
        1 => "[ \t]{0,2}[a-z @]{0,12}[ ]{0,2}".prop_map(Some),
        1 => ".{0,20}".prop_map(Some),
    ]
}

fn port() -> impl Strategy<Value = u16> {
    prop_oneof![
        3 => prop::sample::select(vec![25u16, 110, 143, 465, 587, 993, 995, 1025, 1143, 2525]),
        1 => 1..=u16::MAX,
    ]
}

fn server() -> impl Strategy<Value = Server> {
    (
        prop::sample::select(Protocol::ALL.to_vec()),
        host(),
        port(),
        prop::sample::select(Security::ALL.to_vec()),
        prop::option::of(prop::sample::select(Auth::ALL.to_vec())),
        username(),
    )
        .prop_map(|(protocol, host, port, security, auth, username)| Server {
            protocol,
            host,
            port,
            security,
            auth,
            username,
        })
}

fn settings() -> impl Strategy<Value = Settings> {
    let account = (
        email(),
        server(),
        prop::option::of(server()),
        prop::option::of((any::<bool>(), prop::option::of(0u32..60))),
    )
        .prop_map(|(email, incoming, outgoing, pop3)| {
            Settings::Account(Account {
                email,
                incoming,
                outgoing,
                pop3: pop3.map(|(leave_on_server, delete_after_days)| Pop3Options {
                    leave_on_server,
                    delete_after_days,
                }),
            })
        });
    prop_oneof![1 => server().prop_map(Settings::Server), 3 => account]
}

/// The coherence properties of one report.
fn check_coherent(settings: &Settings) -> Result<(), TestCaseError> {
    let report = validate(settings);
    // Fixes of one field agree.
    for f in &report.findings {
        for g in &report.findings {
            if let (Some(a), Some(b)) = (&f.fix, &g.fix) {
                prop_assert!(
                    a.field != b.field || a.value == b.value,
                    "{} and {} fix {} differently: {:?} vs {:?}",
                    f.code,
                    g.code,
                    a.field,
                    a.value,
                    b.value
                );
            }
        }
    }
    prop_assert_eq!(
        report.fixed.is_some(),
        report.findings.iter().any(|f| f.fix.is_some())
    );
    let Some(fixed) = &report.fixed else {
        return Ok(());
    };
    // The fixed settings are valid input again.
    let json = serde_json::to_string(fixed).unwrap();
    let reparsed = parse_settings_json(&json);
    prop_assert!(
        reparsed.is_ok(),
        "fixed does not parse: {json}: {:?}",
        reparsed
    );
    prop_assert_eq!(&reparsed.unwrap(), fixed);
    // Validated again, nothing fixable at error severity is left.
    let again = validate(fixed);
    let left: Vec<_> = again
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error && f.fix.is_some())
        .collect();
    prop_assert!(
        left.is_empty(),
        "fixed still has fixable errors:\ninput: {}\nfirst: {:#?}\nfixed: {json}\nleft: {:#?}",
        serde_json::to_string(settings).unwrap(),
        report.findings,
        left
    );
    Ok(())
}

proptest! {
    // A longer hunt for new inputs: PROPTEST_RNG_SEED=$RANDOM PROPTEST_CASES=100000 (the seed is
    // fixed in .cargo/config.toml, so that every run draws the same cases).
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2000),
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,200}") {
        if let Ok(s) = parse_settings_json(&text) {
            let _ = validate(&s);
        }
    }

    #[test]
    fn arbitrary_json_never_panics(value in any_json()) {
        let text = value.to_string();
        match parse_settings_json(&text) {
            Ok(s) => { let _ = validate(&s); }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn arbitrary_fields_never_panic(
        email in prop::option::of(".*"),
        host in ".*",
        username in prop::option::of(".*"),
        port in any::<i64>(),
        protocol in field_value(),
        security in field_value(),
        auth in field_value(),
    ) {
        let v = serde_json::json!({
            "email": email,
            "incoming": {"protocol": protocol, "host": host, "port": port, "security": security,
                         "auth": auth, "username": username},
        });
        if let Ok(s) = parse_settings_json(&v.to_string()) {
            let _ = validate(&s);
        }
    }

    #[test]
    fn fixes_are_coherent(s in settings()) {
        check_coherent(&s)?;
    }
}

#[test]
fn acceptance_example_is_coherent() {
    let s = parse_settings_json(
        r#"{"protocol":"imap","host":"imap.gmial.com","port":995,"security":"starttls"}"#,
    )
    .unwrap();
    check_coherent(&s).unwrap();
}
