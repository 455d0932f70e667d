//! Property tests of the advisor: any situation gets an answer without panicking; another device
//! never moves the answer towards POP3; a backup wish or a slow link never towards IMAP; what-ifs
//! really flip the answer; settings always validate; parsing round-trips and never panics.

use mailsetup::advisor::{
    advise, parse_situation_json, score, ConstraintKind, Input, Recommendation, Situation, WhatIf,
};
use mailsetup::{validate, Protocol, Settings};
use proptest::prelude::*;

fn ids() -> Vec<&'static str> {
    mailsetup::providers::all()
        .iter()
        .map(|p| p.id.as_str())
        .collect()
}

fn domains() -> Vec<&'static str> {
    mailsetup::providers::all()
        .iter()
        .flat_map(|p| p.domain_names())
        .chain(["example.org", "mail.example.net"])
        .collect()
}

/// Situations that `parse_situation` accepts (device counts from 1, addresses, known ids).
fn valid_situation() -> impl Strategy<Value = Situation> {
    let flag = || proptest::option::of(any::<bool>());
    (
        proptest::option::of(prop_oneof![1u32..8, 1u32..=u32::MAX]),
        (flag(), flag(), flag(), flag()),
        (flag(), flag(), flag(), flag()),
        proptest::option::of((
            "[a-z][a-z0-9_-]{0,6}(\\.[a-z0-9]{1,4})?",
            proptest::sample::select(domains()),
        ))
        .prop_map(|e| e.map(|(l, d)| format!("{l}@{d}"))),
        proptest::option::of(proptest::sample::select(ids())).prop_map(|p| p.map(str::to_owned)),
    )
        .prop_map(
            |(
                devices,
                (webmail, offline, backup, low_storage),
                (slow, folders, shared, keep),
                email,
                provider,
            )| {
                Situation {
                    devices,
                    webmail,
                    offline,
                    backup,
                    low_storage,
                    slow,
                    folders,
                    shared,
                    keep_nothing_on_server: keep,
                    email,
                    provider,
                }
            },
        )
}

/// Any situation at all, including what parsing would refuse (0 devices, junk addresses and ids).
fn any_situation() -> impl Strategy<Value = Situation> {
    (
        valid_situation(),
        proptest::option::of(any::<u32>()),
        proptest::option::of(any::<String>()),
        proptest::option::of(any::<String>()),
    )
        .prop_map(|(mut s, devices, email, provider)| {
            if devices.is_some() {
                s.devices = devices;
            }
            if email.is_some() {
                s.email = email;
            }
            if provider.is_some() {
                s.provider = provider;
            }
            s
        })
}

fn lead(s: &Situation) -> i64 {
    score(s).0.imap_lead()
}

/// Merges a what-if's changed fields into a situation.
fn merged(s: &Situation, w: &WhatIf) -> Situation {
    let set = &w.set;
    Situation {
        devices: set.devices.or(s.devices),
        webmail: set.webmail.or(s.webmail),
        offline: set.offline.or(s.offline),
        backup: set.backup.or(s.backup),
        low_storage: set.low_storage.or(s.low_storage),
        slow: set.slow.or(s.slow),
        folders: set.folders.or(s.folders),
        shared: set.shared.or(s.shared),
        keep_nothing_on_server: set.keep_nothing_on_server.or(s.keep_nothing_on_server),
        email: s.email.clone(),
        provider: s.provider.clone(),
    }
}

fn invariants(s: &Situation, r: &Recommendation) -> Result<(), TestCaseError> {
    prop_assert!(matches!(r.protocol, Protocol::Imap | Protocol::Pop3));
    prop_assert!(
        (0.5..=1.0).contains(&r.confidence),
        "confidence {}",
        r.confidence
    );
    let (imap, pop3) = r
        .factors
        .iter()
        .fold((0u32, 0u32), |(i, p), f| match f.favours {
            Protocol::Pop3 => (i, p + f.weight),
            _ => (i + f.weight, p),
        });
    prop_assert_eq!((imap, pop3), (r.scores.imap, r.scores.pop3));
    prop_assert!(r.factors.windows(2).all(|w| w[0].weight >= w[1].weight));
    prop_assert!(r.factors.iter().any(|f| f.input == Input::Baseline));
    for w in &r.what_if {
        prop_assert_ne!(w.protocol, r.protocol);
        prop_assert_eq!(
            advise(&merged(s, w)).protocol,
            w.protocol,
            "{}",
            &w.sentence
        );
    }
    if r.constraint.is_none() {
        prop_assert_eq!(r.protocol, r.scores.winner());
    }
    prop_assert_eq!(r, &advise(s), "not deterministic");
    serde_json::to_string(r).expect("serializes");
    Ok(())
}

/// Addresses close to valid ones (dots, dashes, odd domains, known providers' domains).
fn rough_email() -> impl Strategy<Value = String> {
    (
        "[a-z.+_-]{0,6}",
        "@?",
        prop_oneof![
            proptest::sample::select(domains()).prop_map(str::to_owned),
            "[a-z0-9.-]{0,10}"
        ],
    )
        .prop_map(|(l, at, d)| format!("{l}@{at}{d}"))
}

/// No error in the recommended settings, except what the standards say about a provider that
/// documents only unencrypted servers (T201, A308), which the advice must say too.
fn only_said_errors(
    r: &mailsetup::Recommendation,
    a: &mailsetup::Account,
    report: &mailsetup::Report,
) -> bool {
    let plain = !a.incoming.security.is_encrypted()
        || a.outgoing
            .as_ref()
            .is_some_and(|o| !o.security.is_encrypted());
    report
        .findings
        .iter()
        .filter(|f| f.severity == mailsetup::Severity::Error)
        .all(|f| plain && r.has_caveat("unencrypted-only") && matches!(f.code, "T201" | "A308"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn accepted_situations_get_settings_that_validate(
        s in valid_situation(),
        email in proptest::option::of(rough_email()),
    ) {
        let s = Situation { email, ..s };
        if let Ok(s) = s.checked() {
            let r = advise(&s);
            invariants(&s, &r)?;
            if let Some(a) = &r.settings {
                let report = validate(&Settings::Account(a.clone()));
                prop_assert!(only_said_errors(&r, a, &report), "{:?}\n{:#?}", a, report.findings);
            }
        }
    }

    #[test]
    fn any_situation_gets_an_answer(s in any_situation()) {
        let r = advise(&s);
        invariants(&s, &r)?;
    }

    #[test]
    fn valid_situations_get_settings_that_validate(s in valid_situation()) {
        let r = advise(&s);
        invariants(&s, &r)?;
        if let Some(a) = &r.settings {
            let report = validate(&Settings::Account(a.clone()));
            prop_assert!(only_said_errors(&r, a, &report), "{:?}\n{:#?}", a, report.findings);
            prop_assert_eq!(a.pop3.is_some(), r.protocol == Protocol::Pop3);
            if s.several_clients() || s.webmail() {
                prop_assert!(a.pop3.is_none_or(|o| o.leave_on_server), "others need a copy on the server");
            }
        }
        let no_access = r.constraint.as_ref().is_some_and(|c| matches!(c.kind, ConstraintKind::NoMailAccess | ConstraintKind::NothingDocumented));
        if r.protocol == Protocol::Pop3 && (s.several_clients() || s.webmail()) && !no_access {
            prop_assert!(r.has_caveat("pop3-leave-copy"));
        }
        if r.protocol == Protocol::Imap && !no_access {
            prop_assert!(r.has_caveat("imap-mirrors"));
        }
        if no_access {
            prop_assert!(r.settings.is_none());
            prop_assert!(r.caveats.iter().all(|c| !c.id.starts_with("imap-") && !c.id.starts_with("pop3-")));
        }
    }

    #[test]
    fn another_device_never_moves_towards_pop3(s in any_situation(), n in 1u32..64) {
        let fewer = Situation { devices: Some(n), ..s.clone() };
        let more = Situation { devices: Some(n + 1), ..s };
        prop_assert!(lead(&more) >= lead(&fewer));
        if advise(&fewer).protocol == Protocol::Imap {
            prop_assert_eq!(advise(&more).protocol, Protocol::Imap);
        }
    }

    #[test]
    fn backup_or_slow_never_moves_towards_imap(s in any_situation(), which in 0..2usize) {
        let mut with = s.clone();
        if which == 0 { with.backup = Some(true) } else { with.slow = Some(true) }
        prop_assert!(lead(&with) <= lead(&s));
        if advise(&s).protocol == Protocol::Pop3 {
            prop_assert_eq!(advise(&with).protocol, Protocol::Pop3);
        }
    }

    #[test]
    fn valid_situations_round_trip_through_json(s in valid_situation()) {
        let json = serde_json::to_string(&s).unwrap();
        prop_assert_eq!(parse_situation_json(&json).unwrap(), s);
    }

    #[test]
    fn parsing_never_panics(text in any::<String>()) {
        let _ = parse_situation_json(&text);
    }

    #[test]
    fn parsing_json_objects_never_panics(
        key in prop_oneof![
            Just("devices".to_owned()), Just("webmail".to_owned()), Just("email".to_owned()),
            Just("provider".to_owned()), Just("lowStorage".to_owned()), "[a-zA-Z_]{1,12}"
        ],
        value in prop_oneof![
            any::<i64>().prop_map(|n| n.to_string()),
            any::<f64>().prop_map(|f| if f.is_finite() { f.to_string() } else { "null".into() }),
            any::<bool>().prop_map(|b| b.to_string()),
            any::<String>().prop_map(|s| serde_json::to_string(&s).unwrap()),
            Just("null".to_owned()), Just("[]".to_owned()), Just("{}".to_owned()),
        ],
    ) {
        let text = format!("{{{}: {value}}}", serde_json::to_string(&key).unwrap());
        if let Ok(s) = parse_situation_json(&text) {
            invariants(&s, &advise(&s))?;
        }
    }
}
