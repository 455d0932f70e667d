//! P: ports and transport — which port goes with which protocol and security.

use super::analysis::{Analysis, Field, ServerView};
use super::findings::Findings;
use crate::diagnostic::Rule;
use crate::diagnostic::Severity;
use crate::model::labels;
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

pub(crate) const P101: Rule = Rule {
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

pub(crate) const P102: Rule = Rule {
    code: "P102",
    name: "port-security-mismatch",
    severity: Severity::Error,
    summary: "the port and the connection security contradict each other",
    what: "A standard port of the protocol with the other kind of security: 993, 995 and 465 are implicit TLS \
           (TLS from the first byte), 143, 110 and 587 are STARTTLS (plain text upgraded by a command). Also \
           `none` on an implicit-TLS port, and the security that goes with the port a fix moves to.",
    why: "Client and server wait for each other: a STARTTLS client on 993 waits for a greeting that arrives \
          inside TLS, an implicit-TLS client on 587 sends a handshake the server reads as a command. The \
          connection times out or fails.",
    example: "IMAP on 993 with `starttls` → `tls`; SMTP on 587 with `tls` → port 465.",
    references: &["RFC 8314 §3.3 and §7", "RFC 3207", "RFC 2595", "RFC 9051 §2.1", "RFC 6409 §3.1"],
    pass: &[
        r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"}"#,
        r#"{"protocol":"smtp","host":"smtp.example.com","port":587,"security":"starttls"}"#,
        r#"{"protocol":"pop3","host":"pop.example.com","port":110,"security":"starttls"}"#,
    ],
    fail: &[
        r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"starttls"}"#,
        r#"{"protocol":"smtp","host":"smtp.example.com","port":587,"security":"tls"}"#,
        r#"{"protocol":"pop3","host":"pop.example.com","port":995,"security":"none"}"#,
        r#"{"protocol":"imap","host":"imap.example.com","port":995,"security":"starttls"}"#,
    ],
};

pub(crate) const P103: Rule = Rule {
    code: "P103",
    name: "smtp-relay-port",
    severity: Severity::Warning,
    summary: "port 25 is for relaying between mail servers, not for a mail client",
    what: "An SMTP server for sending on port 25.",
    why: "Port 25 is where servers hand mail to each other (RFC 5321). Many networks block it for clients, \
          servers refuse to relay for clients there, and it offers no implicit TLS. Mail clients submit on \
          465 (implicit TLS) or 587 (STARTTLS) with sign-in (RFC 6409, RFC 8314).",
    example: "SMTP on port 25 with `starttls` → 587; with `tls` → 465.",
    references: &["RFC 6409 §1 and §3.1", "RFC 8314 §3.3", "RFC 5321"],
    pass: &[
        r#"{"protocol":"smtp","host":"smtp.example.com","port":465,"security":"tls"}"#,
        r#"{"protocol":"smtp","host":"smtp.example.com","port":2525,"security":"starttls"}"#,
    ],
    fail: &[
        r#"{"protocol":"smtp","host":"smtp.example.com","port":25,"security":"starttls"}"#,
        r#"{"protocol":"smtp","host":"smtp.gmail.com","port":25,"security":"tls"}"#,
    ],
};

pub(crate) const P104: Rule = Rule {
    code: "P104",
    name: "port-not-providers",
    severity: Severity::Error,
    summary: "the provider does not serve this protocol on this port",
    what: "A known provider's server with a port that is none of the ports the provider documents for the \
           protocol (and that no more specific rule explains).",
    why: "Nothing answers on that port, or something else does; the client cannot connect.",
    example: "`imap.gmail.com` on port 143 → 993.",
    references: &["the provider table (`mailsetup providers`)"],
    pass: &[
        r#"{"protocol":"smtp","host":"smtp.gmail.com","port":587,"security":"starttls"}"#,
        r#"{"protocol":"imap","host":"imap.example.com","port":143,"security":"starttls"}"#,
    ],
    fail: &[
        r#"{"protocol":"imap","host":"imap.gmail.com","port":143,"security":"starttls"}"#,
        r#"{"protocol":"smtp","host":"smtp.gmail.com","port":2525,"security":"starttls"}"#,
    ],
};

pub(crate) const P105: Rule = Rule {
    code: "P105",
    name: "nonstandard-port",
    severity: Severity::Info,
    summary: "the port is not a standard mail port; nothing is assumed from it",
    what: "A port that is not one of 25, 110, 143, 465, 587, 993 or 995, on a server of no known provider.",
    why: "Non-standard ports are allowed (bridges, proxies, hosts that dodge blocked ports), so the rules infer \
          nothing from them; make sure it is the port your provider documents, with the security it \
          documents for it.",
    example: "SMTP on port 2525 with `starttls`: fine if the provider says so.",
    references: &["RFC 8314 §7", "IANA service name and port registry"],
    pass: &[r#"{"protocol":"smtp","host":"smtp.example.com","port":587,"security":"starttls"}"#],
    fail: &[r#"{"protocol":"smtp","host":"smtp.example.com","port":2525,"security":"starttls"}"#],
};

pub(super) fn check(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let srv = s.server;
        let port_field = s.field(Field::Port);
        let sec_field = s.field(Field::Security);
        let proto = labels::protocol(srv.protocol);
        // Formatted only when a finding needs it.
        let wanted = || where_it_goes(s);
        match port_use(srv.port) {
            Some(u) if u.protocol != srv.protocol => {
                out.emit(
                    &P101,
                    port_field,
                    format!(
                        "port {} is {}, not {proto}; {}",
                        srv.port,
                        u.label,
                        wanted()
                    ),
                    format!("set the port to {}", s.target.port),
                    s.port_fix(),
                );
            }
            Some(_) if srv.port == SMTP_RELAY => {
                out.emit(
                    &P103,
                    port_field,
                    "port 25 is for relaying between mail servers; networks often block it for clients and servers refuse to relay there".into(),
                    format!("set the port to {} ({})", s.target.port, wanted()),
                    s.port_fix(),
                );
            }
            Some(u) if srv.security != u.security && srv.security.is_encrypted() => {
                let says = format!(
                    "port {} is {}, but security is {}",
                    srv.port,
                    u.label,
                    labels::security_in_messages(srv.security)
                );
                if s.target.port != srv.port {
                    out.emit(
                        &P102,
                        port_field,
                        format!("{says}; {}", wanted()),
                        format!("set the port to {}", s.target.port),
                        s.port_fix(),
                    );
                }
                if s.target.security != srv.security {
                    let message = if s.target.port == srv.port {
                        format!(
                            "{says}; on this port only {} connects",
                            labels::security_in_messages(s.target.security)
                        )
                    } else {
                        format!("{says}; {}", wanted())
                    };
                    out.emit(
                        &P102,
                        sec_field,
                        message,
                        format!("set security to {}", s.target.security),
                        s.security_fix(),
                    );
                }
            }
            Some(u) if u.security == Security::Tls && srv.security == Security::None => {
                out.emit(
                    &P102,
                    sec_field,
                    format!(
                        "port {} is {}: the server expects TLS from the first byte, so a client with no encryption cannot connect",
                        srv.port, u.label
                    ),
                    format!("set security to {}", s.target.security),
                    s.security_fix(),
                );
            }
            _ => {}
        }
        // The port a fix moves to decides the security that goes with it (T205 says it when the
        // provider's endpoint decides).
        if s.endpoint.is_none()
            && !out.touches(sec_field)
            && s.target.port != srv.port
            && s.target.security != srv.security
        {
            // `none` on a STARTTLS port still connects: the cleartext rules speak about it.
            let moved_to = port_use(s.target.port).filter(|t| {
                t.protocol == srv.protocol
                    && (srv.security.is_encrypted() || t.security == Security::Tls)
            });
            if let Some(t) = moved_to {
                out.emit(
                    &P102,
                    sec_field,
                    format!(
                        "with the port set to {} ({}), security {} does not connect; it must be {}",
                        s.target.port, t.label, srv.security, s.target.security
                    ),
                    format!("set security to {}", s.target.security),
                    s.security_fix(),
                );
            }
        }
        if s.endpoint.is_some() && s.target.port != srv.port && !out.touches(port_field) {
            out.emit(
                &P104,
                port_field,
                format!("{}; nothing answers {proto} on port {}", wanted(), srv.port),
                format!("set the port to {}", s.target.port),
                s.port_fix(),
            );
        }
        if s.endpoint.is_none() && port_use(srv.port).is_none() {
            out.emit(
                &P105,
                port_field,
                format!(
                    "port {} is not a standard {proto} port; nothing is assumed from it",
                    srv.port
                ),
                format!(
                    "make sure your provider documents port {} with {} for {proto}",
                    srv.port,
                    labels::security_in_messages(srv.security)
                ),
                None,
            );
        }
    }
}

/// Where the server should connect, for messages: the provider's endpoint when known
/// ("Gmail serves IMAP on imap.gmail.com, port 993 with implicit TLS (tls)"), else the
/// standard port ("IMAP over TLS uses 993").
fn where_it_goes(s: &ServerView) -> String {
    if let Some(label) = s.endpoint_label() {
        return label;
    }
    format!(
        "{} uses {}",
        label_of(s.server.protocol, s.target.security),
        standard_port(s.server.protocol, s.target.security)
    )
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
