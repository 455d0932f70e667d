//! N6xx: the settings against what the server does — the configured endpoint (with the fix from
//! a standard one that works), and a protocol's endpoints taken together.

use super::{finding, login};
use crate::diagnostic::{Finding, FixValue, Rule, Severity};
use crate::model::{Protocol, Security, Server};
use crate::probe::dialect::{clip, protocol_name};
use crate::probe::report::{EndpointReport, FailureKind, Role};

/// `N601`: the configured port and security do not work.
pub const N601: Rule = Rule {
    code: "N601",
    name: "configured-endpoint-fails",
    severity: Severity::Error,
    summary: "the configured port and security do not give a safe connection",
    what: "The endpoint the settings name (host, port, security) failed or could not be secured. The probe then tries \
           the protocol's standard endpoints and, when one works, gives the fix.",
    why: "The client will fail to connect, or connect without protection.",
    example: "STARTTLS configured on 143, the server does not offer it, 993 with TLS works → port 993, security tls.",
    references: &["RFC 8314 §3", "RFC 8314 §5", "RFC 6186"],
};

/// `N602`: cleartext configured although TLS works.
pub const N602: Rule = Rule {
    code: "N602",
    name: "cleartext-configured-tls-available",
    severity: Severity::Warning,
    summary: "no encryption is configured, but the server offers TLS",
    what: "The settings say `security: none` while the same port accepts STARTTLS, or the server offers implicit TLS.",
    why: "The password and the mail travel in cleartext for no reason.",
    example: "IMAP on 143 with no encryption, STARTTLS works → set the security to STARTTLS.",
    references: &["RFC 8314 §3", "RFC 8314 §5"],
};

/// `N603`: no secure endpoint.
pub const N603: Rule = Rule {
    code: "N603",
    name: "no-secure-endpoint",
    severity: Severity::Error,
    summary: "no probed endpoint gives a verified, encrypted connection",
    what: "Of the endpoints probed for a protocol, none completed TLS with a certificate that verifies for the host name.",
    why: "There is no way to use this server without exposing the password or trusting an unauthenticated peer.",
    example: "Only cleartext IMAP on 143 → ask the provider for TLS; do not send the password this way.",
    references: &["RFC 8314 §3", "RFC 8314 §5"],
};

/// `N604`: only STARTTLS, no implicit TLS.
pub const N604: Rule = Rule {
    code: "N604",
    name: "implicit-tls-unavailable",
    severity: Severity::Info,
    summary: "the server offers STARTTLS but not implicit TLS",
    what: "Of the protocol's standard endpoints, the STARTTLS one works and the implicit TLS one (993, 995, 465) does not.",
    why: "RFC 8314 prefers implicit TLS: it cannot be stripped and has no cleartext phase. STARTTLS is still fine when the \
          client requires it.",
    example: "143 with STARTTLS works, 993 is closed → use STARTTLS on 143 and make the client require it.",
    references: &["RFC 8314 §3", "RFC 8314 §4.5"],
};

/// The settings given to compare with reality.
#[derive(Debug, Clone)]
pub struct Configured {
    /// The configured server.
    pub server: Server,
    /// `incoming.` for an account, empty for a bare server.
    pub prefix: &'static str,
    /// The index of the endpoint probed for it.
    pub endpoint: usize,
}

/// `security` in words.
fn security_name(s: Security) -> &'static str {
    match s {
        Security::Tls => "implicit TLS",
        Security::Starttls => "STARTTLS",
        _ => "no encryption",
    }
}

/// The configured settings against what the server did (N601, N602, and N302 for the
/// authentication), with fixes.
pub fn compare(cfg: &Configured, endpoints: &[EndpointReport]) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(e) = endpoints.get(cfg.endpoint) else {
        return out;
    };
    let c = &cfg.server;
    let field = |name: &str| format!("{}{name}", cfg.prefix);
    let alt = endpoints
        .iter()
        .filter(|a| a.role == Role::Alternative && a.secure && a.host == e.host)
        .min_by_key(|a| (a.security != Some(Security::Tls), a.port));
    let configured = format!("port {} with {}", c.port, security_name(c.security));
    let reason = || -> String {
        if let Some(f) = &e.failure {
            return f.message.clone();
        }
        match &e.tls {
            Some(t) if !t.verified => "the certificate does not verify".into(),
            _ => "no TLS".into(),
        }
    };
    let switch = |out: &mut Vec<Finding>, rule: &'static Rule, why: String, to: &EndpointReport| {
        let to_sec = to.security.unwrap_or(Security::Tls);
        let head = format!(
            "{why}; port {} with {} works",
            to.port,
            security_name(to_sec)
        );
        if to.port != c.port {
            out.push(finding(
                rule,
                field("port"),
                head.clone(),
                format!("set the port to {}", to.port),
                Some(FixValue::Port(to.port)),
            ));
        }
        if to_sec != c.security {
            out.push(finding(
                rule,
                field("security"),
                head,
                format!("set the security to {}", to_sec),
                Some(FixValue::Security(to_sec)),
            ));
        }
    };
    match (c.security, e.secure, e.security) {
        (s, true, Some(got)) if got == s => {}
        (Security::None, true, Some(Security::Starttls)) => out.push(finding(
            &N602,
            field("security"),
            format!("{configured} sends the password in cleartext, but the server offers STARTTLS there"),
            "set the security to starttls",
            Some(FixValue::Security(Security::Starttls)),
        )),
        (_, true, Some(got)) => out.push(finding(
            &N601,
            field("security"),
            format!(
                "{configured} does not work: the server speaks {} on port {}",
                security_name(got),
                c.port
            ),
            format!("set the security to {got}"),
            Some(FixValue::Security(got)),
        )),
        (Security::None, false, _) => {
            if let Some(a) = alt {
                switch(
                    &mut out,
                    &N602,
                    format!("{configured} sends the password in cleartext"),
                    a,
                );
            }
        }
        _ => match alt {
            Some(a) => switch(
                &mut out,
                &N601,
                format!("{configured} does not give a safe connection ({})", reason()),
                a,
            ),
            None => out.push(finding(
                &N601,
                field("security"),
                format!(
                    "{configured} does not give a safe connection ({}), and no standard endpoint of {} does either",
                    reason(),
                    c.host
                ),
                "check the host name; if it is right, the provider offers no safe way to connect",
                None,
            )),
        },
    }
    if let Some(auth) = c.auth {
        let best = if e.secure { Some(e) } else { alt };
        if let Some(f) = best.and_then(|b| login::configured_auth(auth, b, &field("auth"))) {
            out.push(f);
        }
    }
    out
}

/// N603 for each host and protocol without a secure endpoint, N604 where only STARTTLS works.
/// `all_protocols`: every protocol was probed because none was named, so the absent ones are
/// not findings. `unresolved`: some host did not resolve (N001 says so already).
pub fn endpoints(
    endpoints: &[EndpointReport],
    all_protocols: bool,
    unresolved: bool,
    out: &mut Vec<Finding>,
) {
    // Group by host and protocol (endpoints whose protocol is unknown form their own group).
    let mut groups: Vec<(&str, Option<Protocol>, Vec<&EndpointReport>)> = Vec::new();
    for e in endpoints {
        match groups
            .iter_mut()
            .find(|(h, p, _)| *h == e.host && *p == e.protocol)
        {
            Some(g) => g.2.push(e),
            None => groups.push((&e.host, e.protocol, vec![e])),
        }
    }
    let mut any_reported = false;
    for (host, protocol, eps) in &groups {
        if eps.iter().any(|e| e.secure)
            || eps.iter().all(|e| {
                e.failure
                    .as_ref()
                    .is_some_and(|f| f.kind == FailureKind::NotFound)
            })
        {
            continue;
        }
        let answered = eps.iter().any(|e| e.greeting.is_some() || e.tls.is_some());
        let named = eps.iter().any(|e| e.role != Role::Standard);
        if all_protocols && !answered && !named {
            continue;
        }
        any_reported = true;
        let name = protocol.map_or("mail", protocol_name);
        let tried: Vec<String> = eps.iter().map(|e| summary(e)).collect();
        out.push(finding(
            &N603,
            "endpoints".into(),
            format!(
                "no {name} endpoint of {host} gives a verified TLS connection ({})",
                tried.join("; ")
            ),
            "do not send a password to this server until it offers TLS with a valid certificate",
            None,
        ));
    }
    if all_protocols
        && !any_reported
        && !endpoints.iter().any(|e| e.secure)
        && !endpoints.is_empty()
        && !unresolved
    {
        out.push(finding(
            &N603,
            "endpoints".into(),
            format!(
                "no mail endpoint answered on {}",
                endpoints.first().map_or("", |e| e.host.as_str())
            ),
            "check the host name; give the port and protocol if the server uses non-standard ones",
            None,
        ));
    }
    for (host, protocol, eps) in &groups {
        let standard = |s: Security| {
            eps.iter()
                .find(|e| e.role == Role::Standard && e.expected == Some(s))
        };
        if let (Some(protocol), Some(tls), Some(st)) = (
            protocol,
            standard(Security::Tls),
            standard(Security::Starttls),
        ) {
            if !tls.secure && st.secure {
                out.push(finding(
                    &N604,
                    "endpoints".into(),
                    format!(
                        "{host} offers {} with STARTTLS on port {}, but not implicit TLS on port {} ({})",
                        protocol_name(*protocol),
                        st.port,
                        tls.port,
                        summary(tls)
                    ),
                    "use STARTTLS and make the client require it (never \"STARTTLS if available\")",
                    None,
                ));
            }
        }
    }
}

/// `993: connection refused`, `143: works`.
fn summary(e: &EndpointReport) -> String {
    let state = match (&e.failure, e.secure) {
        (_, true) => "works".to_string(),
        (Some(f), _) => clip(&f.message, 90),
        (None, false) => match &e.tls {
            Some(t) if !t.verified => "certificate does not verify".into(),
            _ => "no TLS".into(),
        },
    };
    format!("{}: {state}", e.port)
}

#[cfg(test)]
mod vectors {
    use super::super::vectors::*;
    use super::*;
    use crate::model::Auth;
    use crate::probe::report::{Failure, StageKind};

    fn imap(port: u16, expected: Security, role: Role) -> EndpointReport {
        endpoint(Protocol::Imap, port, expected, role)
    }

    fn refused(e: EndpointReport) -> EndpointReport {
        failed(
            e,
            StageKind::Connect,
            FailureKind::ConnectFailed,
            "connection refused",
        )
    }

    fn server(port: u16, security: Security, auth: Option<Auth>) -> Server {
        Server {
            protocol: Protocol::Imap,
            host: "mail.example.com".into(),
            port,
            security,
            auth,
            username: None,
        }
    }

    fn configured(server: Server, prefix: &'static str) -> Configured {
        Configured {
            server,
            prefix,
            endpoint: 0,
        }
    }

    /// STARTTLS configured on 143, which does not offer it; 993 works and offers PLAIN.
    fn starttls_missing() -> (Configured, Vec<EndpointReport>) {
        let given = with(imap(143, Security::Starttls, Role::Given), |e| {
            e.failure = Some(Failure {
                stage: StageKind::Starttls,
                kind: FailureKind::StarttlsUnavailable,
                message: "STARTTLS is neither advertised nor accepted".into(),
            })
        });
        let alt = with(
            secure(imap(993, Security::Tls, Role::Alternative), Security::Tls),
            |e| {
                e.capabilities.after_tls = Some(vec!["IMAP4rev1".into(), "AUTH=PLAIN".into()]);
                e.auth.after_tls = Some(vec!["PLAIN".into()]);
            },
        );
        let cfg = configured(
            server(143, Security::Starttls, Some(Auth::EncryptedPassword)),
            "",
        );
        (cfg, vec![given, alt])
    }

    #[test]
    fn n6xx() {
        let tls_closed = refused(imap(993, Security::Tls, Role::Standard));
        let starttls_works = secure(
            imap(143, Security::Starttls, Role::Standard),
            Security::Starttls,
        );
        let starttls_unverified = with(starttls_works.clone(), |e| {
            e.secure = false;
            e.tls.as_mut().unwrap().verified = false;
        });
        let pop_closed = with(refused(imap(995, Security::Tls, Role::Standard)), |e| {
            e.protocol = Some(Protocol::Pop3)
        });
        let imaps_works = secure(imap(993, Security::Tls, Role::Standard), Security::Tls);
        let (missing, missing_eps) = starttls_missing();
        let cleartext_where_starttls_works =
            secure(imap(143, Security::None, Role::Given), Security::Starttls);
        run(
            &[&N601, &N602, &N603, &N604],
            &[
                Vector {
                    what: "993 and 143 both work",
                    input: Input::Overall(vec![imaps_works.clone(), starttls_works.clone()], false),
                    codes: &[],
                },
                Vector {
                    what: "993 closed, 143 with STARTTLS works",
                    input: Input::Overall(vec![tls_closed.clone(), starttls_works], false),
                    codes: &["N604"],
                },
                Vector {
                    what: "993 closed, 143's certificate does not verify",
                    input: Input::Overall(vec![tls_closed, starttls_unverified], false),
                    codes: &["N603"],
                },
                Vector {
                    what: "every protocol probed: an absent POP3 is not a finding",
                    input: Input::Overall(vec![imaps_works, pop_closed.clone()], true),
                    codes: &[],
                },
                Vector {
                    what: "every protocol probed, nothing answered",
                    input: Input::Overall(vec![pop_closed], true),
                    codes: &["N603"],
                },
                Vector {
                    what: "STARTTLS configured where there is none; 993 works",
                    input: Input::Compare(missing, missing_eps),
                    codes: &["N601", "N601", "N302"],
                },
                Vector {
                    what: "no encryption configured where STARTTLS works",
                    input: Input::Compare(
                        configured(server(143, Security::None, None), "incoming."),
                        vec![cleartext_where_starttls_works],
                    ),
                    codes: &["N602"],
                },
                Vector {
                    what: "the configured endpoint works as configured",
                    input: Input::Compare(
                        configured(server(993, Security::Tls, None), ""),
                        vec![secure(imap(993, Security::Tls, Role::Given), Security::Tls)],
                    ),
                    codes: &[],
                },
            ],
        );

        let (cfg, eps) = starttls_missing();
        let f = compare(&cfg, &eps);
        assert_eq!(f[0].fix.as_ref().unwrap().value, FixValue::Port(993));
        assert_eq!(
            f[1].fix.as_ref().unwrap().value,
            FixValue::Security(Security::Tls)
        );
        assert_eq!(
            f[2].fix.as_ref().unwrap().value,
            FixValue::Auth(Auth::Password)
        );
        let e = secure(imap(143, Security::None, Role::Given), Security::Starttls);
        let f = compare(
            &configured(server(143, Security::None, None), "incoming."),
            &[e],
        );
        assert_eq!(f[0].field, "incoming.security");
    }
}
