//! P: ports and transport — which port goes with which protocol and security, and the roles of
//! an account's servers (an outgoing server to send with, each server in its role).

use super::analysis::Documented;
use super::analysis::{split_recent, Analysis, Field, ServerView, UsernameParts};
use super::findings::Findings;
use super::registry::SettingsRule;
use super::target::{target_auth, target_username, username_acceptable};
#[cfg(test)]
use crate::diagnostic::Vector;
use crate::diagnostic::{FixValue, Rule, Severity};
use crate::model::labels;
use crate::model::ports::*;
use crate::model::{Protocol, Security, Server};

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

pub(crate) const P101: SettingsRule = SettingsRule {
    rule: Rule {
        code: "P101",
        name: "port-protocol-mismatch",
        severity: Severity::Error,
        summary: "the port belongs to another mail protocol",
        what: "A well-known port of one protocol used for another: 995 (POP3) for IMAP, 993 (IMAP) for SMTP, 587 for POP3, ….",
        why: "The server on that port speaks another protocol; the client waits for a greeting it never gets, or fails at once.",
        example: "IMAP on port 995 → 993 (IMAP over TLS).",
        references: &["RFC 8314 §7", "RFC 9051 §2.1", "RFC 1939 §3", "RFC 6409 §3.1", "IANA service name and port registry"],
    },
    check: port_protocol_mismatch,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "P101",
                "IMAP on its implicit-TLS port",
                r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"}"#,
            ),
            Vector::silent(
                "P101",
                "IMAP on a non-standard port",
                r#"{"protocol":"imap","host":"imap.example.com","port":10143,"security":"starttls"}"#,
            ),
            Vector::fires(
                "P101",
                "IMAP on POP3's implicit-TLS port",
                r#"{"protocol":"imap","host":"imap.example.com","port":995,"security":"tls"}"#,
            ),
            Vector::fires(
                "P101",
                "SMTP on IMAP's implicit-TLS port",
                r#"{"protocol":"smtp","host":"smtp.example.com","port":993,"security":"tls"}"#,
            ),
        ]
    },
};

fn port_protocol_mismatch(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let srv = s.server;
        let Some(u) = port_use(srv.port).filter(|u| u.protocol != srv.protocol) else {
            continue;
        };
        out.emit(
            &P101.rule,
            s.field(Field::Port),
            format!(
                "port {} is {}, not {}; {}",
                srv.port,
                u.label,
                labels::protocol(srv.protocol),
                where_it_goes(s)
            ),
            format!("set the port to {}", s.target.port),
            s.port_fix(),
        );
    }
}

pub(crate) const P102: SettingsRule = SettingsRule {
    rule: Rule {
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
    },
    check: port_security_mismatch,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "P102",
                "IMAP over TLS on 993",
                r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"}"#,
            ),
            Vector::silent(
                "P102",
                "SMTP with STARTTLS on 587",
                r#"{"protocol":"smtp","host":"smtp.example.com","port":587,"security":"starttls"}"#,
            ),
            Vector::silent(
                "P102",
                "POP3 with STARTTLS on 110",
                r#"{"protocol":"pop3","host":"pop.example.com","port":110,"security":"starttls"}"#,
            ),
            Vector::fires(
                "P102",
                "STARTTLS on 993",
                r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"starttls"}"#,
            ),
            Vector::fires(
                "P102",
                "implicit TLS on 587",
                r#"{"protocol":"smtp","host":"smtp.example.com","port":587,"security":"tls"}"#,
            ),
            Vector::fires(
                "P102",
                "no encryption on 995",
                r#"{"protocol":"pop3","host":"pop.example.com","port":995,"security":"none"}"#,
            ),
            Vector::fires(
                "P102",
                "STARTTLS on a port of another protocol",
                r#"{"protocol":"imap","host":"imap.example.com","port":995,"security":"starttls"}"#,
            ),
        ]
    },
};

fn port_security_mismatch(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let srv = s.server;
        let port_field = s.field(Field::Port);
        let sec_field = s.field(Field::Security);
        let mut security_said = false;
        // A standard port of this protocol (port 25 is P103's) with the other kind of security.
        let own_port =
            port_use(srv.port).filter(|u| u.protocol == srv.protocol && srv.port != SMTP_RELAY);
        match own_port {
            Some(u) if srv.security != u.security && srv.security.is_encrypted() => {
                let says = format!(
                    "port {} is {}, but security is {}",
                    srv.port,
                    u.label,
                    labels::security_in_messages(srv.security)
                );
                if s.target.port != srv.port {
                    out.emit(
                        &P102.rule,
                        port_field,
                        format!("{says}; {}", where_it_goes(s)),
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
                        format!("{says}; {}", where_it_goes(s))
                    };
                    out.emit(
                        &P102.rule,
                        sec_field,
                        message,
                        format!("set security to {}", s.target.security),
                        s.security_fix(),
                    );
                    security_said = true;
                }
            }
            Some(u) if u.security == Security::Tls && srv.security == Security::None => {
                out.emit(
                    &P102.rule,
                    sec_field,
                    format!(
                        "port {} is {}: the server expects TLS from the first byte, so a client with no encryption cannot connect",
                        srv.port, u.label
                    ),
                    format!("set security to {}", s.target.security),
                    s.security_fix(),
                );
                security_said = true;
            }
            _ => {}
        }
        // The port a fix moves to decides the security that goes with it (T205 says it when the
        // provider's endpoint decides).
        if s.endpoint.is_none()
            && !security_said
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
                    &P102.rule,
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
    }
}

pub(crate) const P103: SettingsRule = SettingsRule {
    rule: Rule {
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
    },
    check: smtp_relay_port,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "P103",
                "submission over TLS on 465",
                r#"{"protocol":"smtp","host":"smtp.example.com","port":465,"security":"tls"}"#,
            ),
            Vector::silent(
                "P103",
                "submission on 2525",
                r#"{"protocol":"smtp","host":"smtp.example.com","port":2525,"security":"starttls"}"#,
            ),
            Vector::fires(
                "P103",
                "port 25 with STARTTLS",
                r#"{"protocol":"smtp","host":"smtp.example.com","port":25,"security":"starttls"}"#,
            ),
            Vector::fires(
                "P103",
                "port 25 at Gmail",
                r#"{"protocol":"smtp","host":"smtp.gmail.com","port":25,"security":"tls"}"#,
            ),
        ]
    },
};

fn smtp_relay_port(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let srv = s.server;
        let relay = port_use(srv.port)
            .is_some_and(|u| u.protocol == srv.protocol && srv.port == SMTP_RELAY);
        if !relay {
            continue;
        }
        out.emit(
            &P103.rule,
            s.field(Field::Port),
            "port 25 is for relaying between mail servers; networks often block it for clients and servers refuse to relay there".into(),
            format!("set the port to {} ({})", s.target.port, where_it_goes(s)),
            s.port_fix(),
        );
    }
}

pub(crate) const P104: SettingsRule = SettingsRule {
    rule: Rule {
        code: "P104",
        name: "port-not-offered",
        severity: Severity::Error,
        summary: "a source says the provider does not serve this protocol on this port",
        what: "A known provider's server with a port that a source says the provider does not offer for the \
               protocol.",
        why: "Nothing answers on that port, or something else does; the client cannot connect.",
        example: "A provider that closed POP3 on port 110 → 995 with `tls`.",
        references: &["the provider table (`mailsetup providers`)"],
    },
    check: port_not_offered,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "P104",
                "a port Gmail documents",
                r#"{"protocol":"smtp","host":"smtp.gmail.com","port":587,"security":"starttls"}"#,
            ),
            Vector::silent(
                "P104",
                "a port Gmail does not document: a warning (P108), not an error",
                r#"{"protocol":"imap","host":"imap.gmail.com","port":143,"security":"starttls"}"#,
            ),
            Vector::fires(
                "P104",
                "a port the provider says it closed",
                r#"{"protocol":"pop3","host":"pop.example.org","port":110,"security":"starttls"}"#,
            )
            .with_provider(CLOSED_110),
        ]
    },
};

/// A provider given at run time whose source says POP3 on port 110 is not offered.
#[cfg(test)]
const CLOSED_110: &str = r#"{"id":"closed-110","name":"Closed 110","domains":[{"names":["example.org"]}],
"servers":[{"protocol":"pop3","host":"pop.example.org","port":995,"security":"tls","username":"email-address"}],
"not_offered":[{"what":"port","protocol":"pop3","port":110,"summary":"POP3 on port 110 was switched off."}]}"#;

fn port_not_offered(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let srv = s.server;
        let Some(p) = s.provider else {
            continue;
        };
        let Some(fact) = p.port_not_offered(srv.protocol, srv.port) else {
            continue;
        };
        out.emit(
            &P104.rule,
            s.field(Field::Port),
            format!(
                "{} does not offer {} on port {}: {} ({})",
                p.name,
                labels::protocol(srv.protocol),
                srv.port,
                fact.summary.trim_end_matches('.'),
                p.attribution(fact)
            ),
            format!("set the port to {} ({})", s.target.port, where_it_goes(s)),
            s.port_fix(),
        );
    }
}

pub(crate) const P108: SettingsRule = SettingsRule {
    rule: Rule {
        code: "P108",
        name: "port-not-documented",
        severity: Severity::Warning,
        summary: "the provider documents other ports for this protocol",
        what: "A known provider's server with a port that none of the provider's sources names for the protocol on \
               that host (and that no more specific rule explains).",
        why: "The port may work (providers do not list every port they open), but nothing says so; the \
              documented port is the one that keeps working.",
        example: "`imap.gmail.com` on port 143 → 993, which Gmail documents.",
        references: &["the provider table (`mailsetup providers`)"],
    },
    check: port_not_documented,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "P108",
                "a port Gmail documents",
                r#"{"protocol":"smtp","host":"smtp.gmail.com","port":587,"security":"starttls"}"#,
            ),
            Vector::silent(
                "P108",
                "port 143 at an unknown provider",
                r#"{"protocol":"imap","host":"imap.example.com","port":143,"security":"starttls"}"#,
            ),
            Vector::silent(
                "P108",
                "Yahoo's SMTP on 587, which Yahoo documents",
                r#"{"email":"me@yahoo.com","incoming":{"protocol":"imap","host":"imap.mail.yahoo.com","port":993,"security":"tls"},"outgoing":{"protocol":"smtp","host":"smtp.mail.yahoo.com","port":587,"security":"starttls"}}"#,
            ),
            Vector::fires(
                "P108",
                "port 143 at Gmail",
                r#"{"protocol":"imap","host":"imap.gmail.com","port":143,"security":"starttls"}"#,
            ),
            Vector::fires(
                "P108",
                "port 2525 at Gmail",
                r#"{"protocol":"smtp","host":"smtp.gmail.com","port":2525,"security":"starttls"}"#,
            ),
        ]
    },
};

fn port_not_documented(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let srv = s.server;
        if s.endpoint.is_none() || s.target.port == srv.port || s.documented != Documented::PortNot
        {
            continue;
        }
        let p = s.provider.map_or("", |p| p.name.as_str());
        out.emit(
            &P108.rule,
            s.field(Field::Port),
            format!(
                "{p} does not document port {} for {}; {}",
                srv.port,
                labels::protocol(srv.protocol),
                where_it_goes(s)
            ),
            format!("set the port to {}", s.target.port),
            s.port_fix(),
        );
    }
}

pub(crate) const P105: SettingsRule = SettingsRule {
    rule: Rule {
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
    },
    check: nonstandard_port,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "P105",
                "a standard port",
                r#"{"protocol":"smtp","host":"smtp.example.com","port":587,"security":"starttls"}"#,
            ),
            Vector::fires(
                "P105",
                "port 2525 at an unknown provider",
                r#"{"protocol":"smtp","host":"smtp.example.com","port":2525,"security":"starttls"}"#,
            ),
        ]
    },
};

fn nonstandard_port(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let srv = s.server;
        if s.endpoint.is_some() || port_use(srv.port).is_some() {
            continue;
        }
        let proto = labels::protocol(srv.protocol);
        out.emit(
            &P105.rule,
            s.field(Field::Port),
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

pub(crate) const P106: SettingsRule = SettingsRule {
    rule: Rule {
        code: "P106",
        name: "no-outgoing-server",
        severity: Severity::Info,
        summary: "the account has no outgoing (SMTP) server",
        what: "An account with an incoming server and no `outgoing` one.",
        why: "The client can read mail but not send it; where the provider is known, its SMTP server is the fix.",
        example: "a Gmail account with only IMAP → outgoing `smtp.gmail.com`, port 465, `tls`.",
        references: &["RFC 6409", "RFC 8314 §3.3"],
    },
    check: no_outgoing_server,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "P106",
                "an account with both servers",
                r#"{"incoming":{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"},"outgoing":{"protocol":"smtp","host":"smtp.example.com","port":465,"security":"tls"}}"#,
            ),
            Vector::silent(
                "P106",
                "a bare server",
                r#"{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"}"#,
            ),
            Vector::fires(
                "P106",
                "a Gmail account with only IMAP",
                r#"{"email":"me@gmail.com","incoming":{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","auth":"oauth2","username":"me@gmail.com"}}"#,
            ),
        ]
    },
};

fn no_outgoing_server(a: &Analysis, out: &mut Findings) {
    let Some(acc) = a.account() else { return };
    let incoming = a.servers.iter().find(|s| s.prefix == "incoming.");
    // A provider without SMTP (Tuta) has nothing to add; V406 says why.
    let sends = incoming
        .and_then(|i| i.provider)
        .is_none_or(|p| p.offers(Protocol::Smtp));
    if acc.outgoing.is_some() || !acc.incoming.protocol.is_incoming() || !sends {
        return;
    }
    let fix = incoming.and_then(|i| provider_smtp(a, i));
    let help = match &fix {
        Some(s) => format!(
            "add an outgoing server: {}, port {}, security {}",
            s.host, s.port, s.security
        ),
        None => "add your provider's SMTP server as the outgoing server".into(),
    };
    out.emit(
        &P106.rule,
        "outgoing",
        "the account has no outgoing server, so it cannot send mail".into(),
        help,
        fix.map(FixValue::Server),
    );
}

pub(crate) const P107: SettingsRule = SettingsRule {
    rule: Rule {
        code: "P107",
        name: "server-role-mismatch",
        severity: Severity::Error,
        summary: "an SMTP server is set for reading mail, or IMAP/POP3 for sending it",
        what: "`incoming` with protocol `smtp`, or `outgoing` with `imap` or `pop3`.",
        why: "SMTP only sends and IMAP/POP3 only read: the client cannot do the job with that server.",
        example: "`outgoing` with `imap` → `smtp` with the provider's SMTP host and port.",
        references: &["RFC 6409 §1", "RFC 9051 §1", "RFC 1939 §1"],
    },
    check: server_role_mismatch,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "P107",
                "IMAP in, SMTP out",
                r#"{"incoming":{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"},"outgoing":{"protocol":"smtp","host":"smtp.example.com","port":465,"security":"tls"}}"#,
            ),
            Vector::fires(
                "P107",
                "SMTP as the incoming server",
                r#"{"incoming":{"protocol":"smtp","host":"smtp.example.com","port":465,"security":"tls"}}"#,
            ),
            Vector::fires(
                "P107",
                "IMAP as the outgoing server",
                r#"{"incoming":{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"},"outgoing":{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"}}"#,
            ),
        ]
    },
};

fn server_role_mismatch(a: &Analysis, out: &mut Findings) {
    let Some(acc) = a.account() else { return };
    if acc.incoming.protocol == Protocol::Smtp {
        out.emit(
            &P107.rule,
            "incoming.protocol",
            "the incoming server uses SMTP, which only sends mail".into(),
            "set the incoming protocol to imap (or pop3) with your provider's server for it".into(),
            None,
        );
    }
    if let Some(o) = acc
        .outgoing
        .as_ref()
        .filter(|o| o.protocol != Protocol::Smtp)
    {
        out.emit(
            &P107.rule,
            "outgoing.protocol",
            format!(
                "the outgoing server uses {}, which only reads mail",
                labels::protocol(o.protocol)
            ),
            "set the outgoing protocol to smtp with your provider's SMTP server".into(),
            None,
        );
    }
}

/// The provider's preferred SMTP server for this account, with a sign-in that the provider
/// accepts and the username in its form (when it is knowable).
fn provider_smtp(a: &Analysis, incoming: &ServerView) -> Option<Server> {
    let p = incoming.provider?;
    let e = p.preferred(Protocol::Smtp)?;
    // The incoming sign-in, unless a source says SMTP refuses it.
    let auth = target_auth(Protocol::Smtp, incoming.target.auth, Some(p));
    let mut server = Server {
        protocol: Protocol::Smtp,
        host: e.host.clone(),
        port: e.port,
        security: e.security,
        auth,
        username: None,
    };
    // The username: derived from the email address, else the incoming one, normalised to the
    // form SMTP wants, when the result is one the username rules accept.
    server.username = incoming
        .target
        .username
        .as_deref()
        .map(|u| split_recent(u).1.trim().to_owned());
    let parts = server
        .username
        .as_deref()
        .map(|u| UsernameParts::of(a.providers, u, None, None));
    let format = e.username.format();
    let username = target_username(&server, parts, Some(p), format, a.email, auth)
        .map(|u| u.into_owned())
        .filter(|u| username_acceptable(u, format, p, a.providers));
    server.username = username;
    Some(server)
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
