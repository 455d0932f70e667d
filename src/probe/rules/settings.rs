//! N6xx: the settings against what the server does — the configured endpoint (with the fix from
//! a standard one that works), and a protocol's endpoints taken together.

use super::{finding, login};
use crate::diagnostic::{Finding, Fix, FixValue, Rule, Severity};
use crate::model::{labels, Protocol, Security, Server, Settings};
use crate::probe::dialect::clip;
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

/// The settings compared with what the server did: the findings (the probe's comparison and
/// the static checks of `mailsetup check`) and the settings with their fixes, as one coherent
/// set: every fix a finding still carries is applied in `fixed`, and `fixed` is a setting
/// `mailsetup check` accepts (no error about the port or the security).
#[derive(Debug, Clone)]
pub struct Judgement {
    /// The comparison's findings, then the static checks' that still hold once the probe's
    /// fixes are applied.
    pub findings: Vec<Finding>,
    /// The settings with every fix applied; `None` without fixes.
    pub fixed: Option<Settings>,
    /// N601 already says that the configured security does not work on this port.
    security_judged: bool,
}

impl Judgement {
    /// The configured endpoint's own finding `f` says again what the comparison says (N108: a
    /// cleartext greeting on the port configured for implicit TLS).
    pub fn supersedes(&self, f: &Finding) -> bool {
        self.security_judged && f.code == N108_CODE
    }
}

const N108_CODE: &str = "N108";

/// The comparison (N601, N602, N302) and the static checks of the settings, with one coherent
/// set of fixes. The probe's fixes come first: they rest on what the server did. The static
/// checks then judge the settings with those fixes in: a finding the probe's fixes resolve is
/// gone (it would propose another, conflicting fix: 993 for a STARTTLS port configured as
/// implicit TLS, where the probe says STARTTLS), and the rest come with fixes that fit. Fixes
/// whose result `mailsetup check` rejects are withdrawn (a server that speaks implicit TLS on
/// 143 works, but no client should be set up so).
pub fn judge(cfg: &Configured, settings: &Settings, endpoints: &[EndpointReport]) -> Judgement {
    let mut probe = compare(cfg, endpoints);
    let security_judged = probe
        .iter()
        .any(|f| f.code == N601.code && f.field.ends_with("security") && f.fix.is_some());
    // The probe takes no outgoing server: what the checks say about the lack of one is noise.
    let relevant = |f: &Finding| f.field != "outgoing" && !f.field.starts_with("outgoing.");
    let checks = |s: &Settings| -> Vec<Finding> {
        crate::validate(s)
            .findings
            .into_iter()
            .filter(relevant)
            .collect()
    };
    let rejects = |s: &Settings| {
        checks(s).iter().any(|f| {
            f.severity == Severity::Error
                && (f.field.ends_with("port") || f.field.ends_with("security"))
        })
    };
    let mut fixed = settings.clone();
    let mut done: Vec<String> = Vec::new();
    if !apply(&mut fixed, &mut probe, &mut done) || rejects(&fixed) {
        // The probe's fixes lead where the checks refuse to go: withdraw them.
        fixed = settings.clone();
        done.clear();
        for f in &mut probe {
            f.fix = None;
        }
    }
    // The checks as they judge the settings once the probe's fixes are in: what those fixes
    // resolve is gone, and what is left comes with fixes that fit them.
    let mut kept = checks(&fixed);
    let before = fixed.clone();
    let done_by_probe = done.clone();
    if !apply(&mut fixed, &mut kept, &mut done) || rejects(&fixed) {
        fixed = before;
        done = done_by_probe;
        for f in &mut kept {
            f.fix = None;
        }
    }
    probe.extend(kept);
    Judgement {
        findings: probe,
        fixed: (!done.is_empty()).then_some(fixed),
        security_judged,
    }
}

/// Applies the findings' fixes in order, the first for a field winning; a later fix for a field
/// already set is dropped from its finding (its advice stays). `false` when a fix cannot apply.
fn apply(settings: &mut Settings, findings: &mut [Finding], done: &mut Vec<String>) -> bool {
    for f in findings {
        let Some(fix) = &f.fix else {
            continue;
        };
        if done.contains(&fix.field) {
            f.fix = None;
            continue;
        }
        if Fix::apply(fix, settings).is_err() {
            return false;
        }
        done.push(fix.field.clone());
    }
    true
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
    let configured = format!(
        "port {} with {}",
        c.port,
        labels::security_on_the_wire(c.security)
    );
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
            labels::security_on_the_wire(to_sec)
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
                labels::security_on_the_wire(got),
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
        // A host that does not resolve (N001) or endpoints this computer could not try (N008)
        // say nothing about the server.
        if eps.iter().any(|e| e.secure)
            || eps.iter().all(|e| {
                e.failure
                    .as_ref()
                    .is_some_and(|f| matches!(f.kind, FailureKind::NotFound | FailureKind::Local))
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
        let name = protocol.map_or("mail", labels::protocol);
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
                        labels::protocol(*protocol),
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

    /// Every way a configured server can meet a server: the probe's fixes and the static checks'
    /// combine into one set that `mailsetup check` accepts, and every fix a finding still
    /// carries is what `fixed` holds (D-H1: never 993 + STARTTLS).
    #[test]
    fn fixes_are_coherent_and_pass_check() {
        use crate::diagnostic::Fix;
        use crate::probe::target::standard_endpoints;
        let securities = [Security::Tls, Security::Starttls, Security::None];
        let mut cases = 0;
        for protocol in [Protocol::Imap, Protocol::Pop3, Protocol::Smtp] {
            let [(tls_port, _), (starttls_port, _)] = standard_endpoints(protocol);
            for port in [tls_port, starttls_port, 25, 2525] {
                for configured_security in securities {
                    // How the configured endpoint answered: secure with a security, in
                    // cleartext only, with a certificate that does not verify, or not at all.
                    for outcome in 0..6 {
                        // Which standard endpoints work when it was not secure.
                        for alts in 0..4 {
                            let mut given =
                                endpoint(protocol, port, configured_security, Role::Given);
                            match outcome {
                                0 => given = secure(given, Security::Tls),
                                1 => given = secure(given, Security::Starttls),
                                2 => {
                                    given = with(secure(given, Security::Starttls), |e| {
                                        e.secure = false;
                                        e.tls.as_mut().unwrap().verified = false;
                                    })
                                }
                                3 => {
                                    given = with(given, |e| {
                                        e.security = Some(Security::None);
                                        e.greeting = Some("* OK".into());
                                    })
                                }
                                4 => {
                                    given = failed(
                                        given,
                                        StageKind::Connect,
                                        FailureKind::ConnectFailed,
                                        "refused",
                                    )
                                }
                                _ => {
                                    given = failed(
                                        given,
                                        StageKind::Starttls,
                                        FailureKind::StarttlsUnavailable,
                                        "no STARTTLS",
                                    )
                                }
                            }
                            let mut eps = vec![given.clone()];
                            if !given.secure {
                                for (k, (p, sec)) in
                                    standard_endpoints(protocol).into_iter().enumerate()
                                {
                                    if p == port {
                                        continue;
                                    }
                                    let alt = endpoint(protocol, p, sec, Role::Alternative);
                                    eps.push(if alts & (1 << k) != 0 {
                                        secure(alt, sec)
                                    } else {
                                        failed(
                                            alt,
                                            StageKind::Connect,
                                            FailureKind::ConnectFailed,
                                            "refused",
                                        )
                                    });
                                }
                            }
                            let srv = Server {
                                protocol,
                                host: "mail.example.com".into(),
                                port,
                                security: configured_security,
                                auth: None,
                                username: None,
                            };
                            let cfg = configured(srv.clone(), "");
                            let settings = Settings::Server(srv);
                            let j = judge(&cfg, &settings, &eps);
                            cases += 1;
                            let what = format!(
                                "{protocol:?} {port} {configured_security:?}, outcome {outcome}, alternatives {alts}"
                            );
                            let Some(fixed) = &j.fixed else {
                                assert!(
                                    j.findings.iter().all(|f| f.fix.is_none()),
                                    "{what}: fixes but no fixed settings"
                                );
                                continue;
                            };
                            // One coherent set: each fix a finding carries is already in `fixed`.
                            for f in &j.findings {
                                if let Some(fix) = &f.fix {
                                    let mut again = fixed.clone();
                                    Fix::apply(fix, &mut again).unwrap();
                                    assert_eq!(
                                        &again, fixed,
                                        "{what}: {} {} disagrees with fixed",
                                        f.code, f.field
                                    );
                                }
                            }
                            // And `mailsetup check` accepts it: no error, nothing more to fix
                            // about the port or the security.
                            for f in crate::validate(fixed).findings {
                                let transport =
                                    f.field.ends_with("port") || f.field.ends_with("security");
                                assert!(
                                    !(transport
                                        && (f.severity == Severity::Error || f.fix.is_some())),
                                    "{what}: fixed {fixed:?} gets {} {}: {}",
                                    f.code,
                                    f.field,
                                    f.message
                                );
                            }
                        }
                    }
                }
            }
        }
        assert!(cases > 800, "{cases}");
        // The report's case: IMAP's STARTTLS port configured as implicit TLS, STARTTLS works
        // there: the fix is STARTTLS on 143, not 993 with STARTTLS, and the N108 of the
        // endpoint gives way to the N601 that carries the fix.
        let given = with(
            secure(imap(143, Security::Tls, Role::Given), Security::Starttls),
            |e| e.implicit_tls_answered_in_cleartext = true,
        );
        let srv = server(143, Security::Tls, None);
        let j = judge(
            &configured(srv.clone(), ""),
            &Settings::Server(srv),
            std::slice::from_ref(&given),
        );
        let Some(Settings::Server(fixed)) = &j.fixed else {
            panic!("no fix: {:?}", j.findings);
        };
        assert_eq!((fixed.port, fixed.security), (143, Security::Starttls));
        assert!(
            j.findings.iter().all(|f| f.code != "P102"),
            "{:?}",
            j.findings
        );
        let n108 = super::super::endpoint(0, &given);
        assert!(n108.iter().any(|f| j.supersedes(f)));
    }
}
