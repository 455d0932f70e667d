//! Fuzzes host parsing (URLs, ports, addresses, IDNA, IP literals) and the host rules: the
//! cleaned name a client would be given is a DNS name a resolver takes (letters, digits, hyphens
//! and dots; labels of 1-63, 253 in all) or an IP literal, cleaning it again changes nothing, and
//! a server with any host is judged without a panic. Terminal escaping leaves nothing hidden.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailsetup::model::{Host, HostKind};
use mailsetup::text::{is_hidden, Escaped, Quoted};
use mailsetup::{validate, Protocol, Security, Server, Settings};

fuzz_target!(|data: &[u8]| {
    let Ok(typed) = std::str::from_utf8(data) else {
        return;
    };
    let host = Host::parse(typed);
    match host.kind {
        Some(HostKind::Name) => {
            let name = &host.ascii;
            assert!(name.len() <= 253, "{name}");
            for label in name.split('.') {
                assert!((1..=63).contains(&label.len()), "{name}");
                assert!(
                    label.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                    "{name}"
                );
            }
            let again = Host::parse(name);
            assert_eq!(&again.ascii, name);
            assert!(again.is_clean(), "{name}: {:?}", again.problems);
        }
        Some(HostKind::Ip(ip)) => assert_eq!(host.ascii, ip.to_string()),
        None => assert!(!host.problems.is_empty()),
    }
    for shown in [Escaped(typed).to_string(), Quoted(typed).to_string()] {
        assert!(!shown.chars().any(is_hidden), "{shown:?}");
    }
    let server = Server {
        protocol: Protocol::Imap,
        host: typed.to_owned(),
        port: 993,
        security: Security::Tls,
        auth: None,
        username: None,
    };
    let report = validate(&Settings::Server(server));
    if let Some(Settings::Server(fixed)) = &report.fixed {
        // A host fix is a name a client can use.
        let h = Host::parse(&fixed.host);
        assert!(h.kind.is_some() || fixed.host == typed, "{:?} -> {:?}", typed, fixed.host);
    }
});
