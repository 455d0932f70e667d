//! P: ports and transport — which port goes with which protocol and security.

use super::{Analysis, Findings, Rule};
use crate::diagnostic::{FixValue, Severity};
use crate::model::ports::*;
use crate::model::{Protocol, Security};

/// What a well-known port is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortUse {
    pub port: u16,
    pub protocol: Protocol,
    pub security: Security,
    /// How people name it ("IMAP over TLS").
    pub label: &'static str,
}

/// The well-known mail ports, sorted by port (a test keeps it so).
pub const WELL_KNOWN: &[PortUse] = &[
    PortUse {
        port: SMTP_RELAY,
        protocol: Protocol::Smtp,
        security: Security::Starttls,
        label: "SMTP relay between servers",
    },
    PortUse {
        port: POP3,
        protocol: Protocol::Pop3,
        security: Security::Starttls,
        label: "POP3 with STARTTLS",
    },
    PortUse {
        port: IMAP,
        protocol: Protocol::Imap,
        security: Security::Starttls,
        label: "IMAP with STARTTLS",
    },
    PortUse {
        port: SUBMISSIONS,
        protocol: Protocol::Smtp,
        security: Security::Tls,
        label: "SMTP submission over TLS",
    },
    PortUse {
        port: SUBMISSION,
        protocol: Protocol::Smtp,
        security: Security::Starttls,
        label: "SMTP submission with STARTTLS",
    },
    PortUse {
        port: IMAPS,
        protocol: Protocol::Imap,
        security: Security::Tls,
        label: "IMAP over TLS",
    },
    PortUse {
        port: POP3S,
        protocol: Protocol::Pop3,
        security: Security::Tls,
        label: "POP3 over TLS",
    },
];

/// What a port is for, if it is a well-known mail port.
pub fn port_use(port: u16) -> Option<&'static PortUse> {
    WELL_KNOWN
        .binary_search_by_key(&port, |u| u.port)
        .ok()
        .map(|i| &WELL_KNOWN[i])
}

/// The standard client port for a protocol and security (`None` security maps to the STARTTLS port,
/// which is also the cleartext one).
pub const fn standard_port(protocol: Protocol, security: Security) -> u16 {
    match (protocol, security) {
        (Protocol::Imap, Security::Tls) => IMAPS,
        (Protocol::Imap, _) => IMAP,
        (Protocol::Pop3, Security::Tls) => POP3S,
        (Protocol::Pop3, _) => POP3,
        (Protocol::Smtp, Security::Tls) => SUBMISSIONS,
        (Protocol::Smtp, _) => SUBMISSION,
    }
}

pub(super) const P101: Rule = Rule {
    code: "P101",
    name: "port-protocol-mismatch",
    severity: Severity::Error,
    summary: "the port belongs to another mail protocol",
    what: "A well-known port of one protocol used for another: 995 (POP3) for IMAP, 993 (IMAP) for SMTP, 587 for POP3, ….",
    why: "The server on that port speaks another protocol; the client waits for a greeting it never gets, or fails at once.",
    example: "IMAP on port 995 → 993 (IMAP over TLS).",
    references: &["RFC 8314 §7", "RFC 9051 §2.1", "RFC 1939 §3", "RFC 6409 §3.1", "IANA service name and port registry"],
    pass: &[
        r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"}"#,
        r#"{"protocol":"imap","host":"imap.example.com","port":10143,"security":"starttls"}"#,
    ],
    fail: &[
        r#"{"protocol":"imap","host":"imap.example.com","port":995,"security":"tls"}"#,
        r#"{"protocol":"smtp","host":"smtp.example.com","port":993,"security":"tls"}"#,
    ],
};

pub(super) fn check(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let srv = s.server;
        if let Some(u) = port_use(srv.port) {
            if u.protocol != srv.protocol {
                let right = standard_port(srv.protocol, srv.security);
                out.emit(
                    &P101,
                    s.field("port"),
                    format!(
                        "port {} is {}; {} uses {right}",
                        srv.port,
                        u.label,
                        label_of(srv.protocol, srv.security)
                    ),
                    format!("set the port to {right}"),
                    Some(FixValue::Port(right)),
                );
            }
        }
    }
}

/// "IMAP over TLS", "SMTP submission with STARTTLS", …
fn label_of(protocol: Protocol, security: Security) -> &'static str {
    port_use(standard_port(protocol, security)).map_or("this protocol", |u| u.label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_known_sorted_and_consistent() {
        assert!(WELL_KNOWN.windows(2).all(|w| w[0].port < w[1].port));
        for p in [Protocol::Imap, Protocol::Pop3, Protocol::Smtp] {
            for s in [Security::Tls, Security::Starttls] {
                let u = port_use(standard_port(p, s)).unwrap();
                assert_eq!((u.protocol, u.security), (p, s));
            }
        }
    }
}
