//! From what the probe saw to findings (the N rules of `crate::rules::probe`): each endpoint's own,
//! those about the host and protocol as a whole, and the comparison with configured settings.
//! Pure functions of the reports, so they are tested without a network.

use super::dialect::{clip, dialect, protocol_name};
use super::report::{endpoint_label as label, *};
use crate::diagnostic::Rule;
use crate::diagnostic::{Finding, FixValue};
use crate::model::{Auth, Protocol, Security, Server};
use crate::rules::probe::*;

fn finding(
    rule: &'static Rule,
    field: String,
    message: String,
    help: impl Into<String>,
    fix: Option<FixValue>,
) -> Finding {
    rule.finding(field, message, help.into(), fix)
}

fn who(e: &EndpointReport) -> String {
    e.label()
}

/// The implicit-TLS and STARTTLS ports of a protocol, for help texts.
fn ports_hint(p: Option<Protocol>) -> &'static str {
    match p {
        Some(Protocol::Imap) => "IMAP uses 993 (implicit TLS) or 143 (STARTTLS)",
        Some(Protocol::Pop3) => "POP3 uses 995 (implicit TLS) or 110 (STARTTLS)",
        Some(Protocol::Smtp) => "SMTP submission uses 465 (implicit TLS) or 587 (STARTTLS)",
        None => "IMAP uses 993/143, POP3 995/110, SMTP submission 465/587",
    }
}

/// An endpoint's own findings; `i` is its index in the report (for field paths).
pub fn endpoint(i: usize, e: &EndpointReport) -> Vec<Finding> {
    let mut out = Vec::new();
    let f = |part: &str| format!("endpoints.{i}.{part}");
    let w = who(e);
    if let Some(fail) = &e.failure {
        let stage = fail.stage.as_str();
        let msg = format!("{w}: {}", fail.message);
        let hint = ports_hint(e.protocol);
        match fail.kind {
            // Reported once per host, by `overall`.
            FailureKind::NotFound => {}
            FailureKind::ConnectFailed if e.role == Role::Given => out.push(finding(
                &N002,
                f("connect"),
                msg,
                format!("check the port ({hint}); a firewall may also block it"),
                None,
            )),
            FailureKind::ConnectFailed => {}
            FailureKind::Timeout => out.push(finding(
                &N003,
                f(stage),
                format!("{w}: {stage}: {}", fail.message),
                format!("check that this is the provider's server and port ({hint}) and the security setting"),
                None,
            )),
            FailureKind::WrongProtocol => out.push(finding(
                &N004,
                f(stage),
                msg,
                format!("check the port and the protocol: {}", ports_hint(None)),
                None,
            )),
            FailureKind::Refused => out.push(finding(
                &N005,
                f("greeting"),
                msg,
                "the server refuses clients now: try again later, or ask the provider",
                None,
            )),
            FailureKind::Closed => out.push(finding(
                &N006,
                f(stage),
                format!("{w}: {stage}: {}", fail.message),
                format!("check the port ({hint}); the service may be down or reject this address"),
                None,
            )),
            FailureKind::TooLong => out.push(finding(
                &N007,
                f(stage),
                format!("{w}: {stage}: {}", fail.message),
                format!("this is not a working mail server; check the host and port ({hint})"),
                None,
            )),
            FailureKind::Tls => out.push(finding(
                &N101,
                f("tls"),
                msg,
                "the server's TLS setup does not work with current clients; the provider must fix it",
                None,
            )),
            FailureKind::TlsObsolete => out.push(finding(
                &N102,
                f("tls"),
                msg,
                "the provider must enable TLS 1.2 or 1.3; current clients refuse TLS 1.0 and 1.1",
                None,
            )),
            FailureKind::CleartextOnTlsPort => {}
            FailureKind::StarttlsUnavailable => out.push(finding(
                &N201,
                f("starttls"),
                msg,
                format!("use the implicit-TLS port if the server has one ({hint}); never send a password here"),
                None,
            )),
            FailureKind::StarttlsRefused => out.push(finding(
                &N202,
                f("starttls"),
                msg,
                "do not fall back to cleartext; try the implicit-TLS port, and tell the provider (or check for a middlebox that strips STARTTLS)",
                None,
            )),
        }
    }
    if e.implicit_tls_answered_in_cleartext && e.expected == Some(Security::Tls) {
        let help = if e.security == Some(Security::Starttls) && e.secure {
            "set the security to STARTTLS for this port (STARTTLS works here), or use the implicit-TLS port".to_string()
        } else {
            format!("use the implicit-TLS port ({})", ports_hint(e.protocol))
        };
        out.push(finding(
            &N108,
            f("tls"),
            format!(
                "{}: the server answered a TLS handshake with a cleartext greeting: port {} does not speak implicit TLS",
                label(&e.host, e.port, e.protocol, None),
                e.port
            ),
            help,
            None,
        ));
    }
    if let Some(t) = &e.tls {
        let leaf = t.chain.first();
        let trust = match t.trust {
            "ca-file" => "the --ca-file roots",
            _ => "the usual public roots",
        };
        match t.chain_problem {
            Some(CertProblem::Expired) => out.push(finding(
                &N104,
                f("certificate"),
                format!(
                    "{w}: the certificate expired on {} ({} days ago)",
                    leaf.map_or("?", |c| c.not_after.as_str()),
                    leaf.map_or(0, |c| -c.days_left)
                ),
                "the provider must renew the certificate; do not accept it in the client",
                None,
            )),
            Some(CertProblem::NotYetValid) => out.push(finding(
                &N105,
                f("certificate"),
                format!(
                    "{w}: the certificate is not valid before {}",
                    leaf.map_or("?", |c| c.not_before.as_str())
                ),
                "check this computer's clock; otherwise the provider must reissue the certificate",
                None,
            )),
            Some(CertProblem::Untrusted) => out.push(finding(
                &N103,
                f("certificate"),
                format!(
                    "{w}: the certificate is {} (checked against {trust})",
                    t.chain_error.as_deref().unwrap_or("not trusted")
                ),
                "the provider must use a certificate from a public CA (or give you its CA file); the probe sent no credentials",
                None,
            )),
            None => {}
        }
        if !t.name_matches {
            let names = leaf.map(|c| c.sans.join(", ")).unwrap_or_default();
            out.push(finding(
                &N106,
                f("certificate"),
                format!(
                    "{w}: the certificate is not valid for {} (it names {})",
                    t.name_checked,
                    if names.is_empty() { "no DNS name or address".to_string() } else { names }
                ),
                "use a host name the certificate lists, if the provider documents it; otherwise the provider must fix the certificate",
                None,
            ));
        }
        if t.verified {
            if let Some(c) = leaf.filter(|c| c.days_left < 14) {
                out.push(finding(
                    &N107,
                    f("certificate"),
                    format!(
                        "{w}: the certificate expires on {} ({} days left)",
                        c.not_after, c.days_left
                    ),
                    "the provider should renew it now; automated renewal normally happens 30 days ahead",
                    None,
                ));
            }
        }
    }
    if let Some(st) = &e.starttls {
        if st.accepted && !st.advertised {
            out.push(finding(
                &N205,
                f("starttls"),
                format!("{w}: STARTTLS works but is not in the capabilities"),
                "make the client require STARTTLS; tell the provider (or look for a middlebox that strips the capability)",
                None,
            ));
        }
        if st.discarded_bytes > 0 {
            out.push(finding(
                &N206,
                f("starttls"),
                format!(
                    "{w}: {} bytes of cleartext followed the STARTTLS answer before TLS began (discarded)",
                    st.discarded_bytes
                ),
                "tell the provider; if it recurs only on some networks, something in the path injects data",
                None,
            ));
        }
        if let Injection::Vulnerable { answer } = &st.injection {
            out.push(finding(
                &N203,
                f("starttls"),
                format!(
                    "{w}: a command sent together with STARTTLS was answered inside TLS ({answer:?})"
                ),
                "prefer the implicit-TLS port; the provider must fix the server (discard buffered input at STARTTLS)",
                None,
            ));
        }
    }
    if e.auth.cleartext_password_offered {
        let mut what = e.auth.before_tls.clone().unwrap_or_default();
        if e.auth.login_disabled_before_tls == Some(false) {
            what.push("LOGIN command (no LOGINDISABLED)".into());
        }
        out.push(finding(
            &N204,
            f("auth"),
            format!(
                "{}: before TLS the server offers password login: {}",
                label(&e.host, e.port, e.protocol, None),
                what.join(", ")
            ),
            "make sure the client uses TLS (STARTTLS required, or the implicit-TLS port); the server should refuse passwords before TLS",
            None,
        ));
    }
    if let (Some(p), Some(caps), Some(Security::Tls | Security::Starttls)) =
        (e.protocol, &e.capabilities.after_tls, e.security)
    {
        if !dialect(p).any_login_offered(caps) {
            let help = if p == Protocol::Smtp {
                "this is not a submission server for you: use the provider's submission server (port 465 or 587 with AUTH)"
            } else {
                "check the host and port against the provider's documentation"
            };
            out.push(finding(
                &N301,
                f("auth"),
                format!("{w}: even over TLS the server offers no way to log in"),
                help,
                None,
            ));
        }
    }
    if let Some(l) = &e.login {
        match l.result {
            LoginResult::Rejected => out.push(finding(
                &N303,
                f("login"),
                format!("{w}: the server rejected the login of {}: {}", l.user, l.response),
                "check the user name (often the whole address) and the password; some providers require an app password or OAuth2",
                None,
            )),
            LoginResult::NotAttempted if !e.secure && e.greeting.is_some() => out.push(finding(
                &N304,
                f("login"),
                format!("{w}: login not attempted: {}", l.response),
                "use an endpoint with TLS and a valid certificate to check the login",
                None,
            )),
            _ => {}
        }
    }
    if let Some(p) = &e.pop3 {
        if !p.uidl {
            out.push(finding(
                &N401,
                f("pop3"),
                format!("{w}: no UIDL: \"leave a copy on the server\" cannot tell old messages from new"),
                "use IMAP, or let the client delete messages after downloading",
                None,
            ));
        }
        let expire = p
            .expire
            .as_deref()
            .and_then(|x| x.split_ascii_whitespace().next());
        match expire.map(|x| x.parse::<u64>()) {
            Some(Ok(0)) => out.push(finding(
                &N402,
                f("pop3"),
                format!("{w}: EXPIRE 0: the server deletes messages once they are downloaded"),
                "\"leave a copy on the server\" cannot work here; use IMAP for several devices",
                None,
            )),
            Some(Ok(days)) => out.push(finding(
                &N403,
                f("pop3"),
                format!("{w}: EXPIRE {days}: downloaded messages are deleted from the server after {days} days"),
                "copies left on the server disappear after that time, whatever the client says",
                None,
            )),
            _ => {}
        }
        if let Some(secs) = p.login_delay.filter(|&s| s > 0) {
            out.push(finding(
                &N404,
                f("pop3"),
                format!("{w}: LOGIN-DELAY {secs}: at most one login every {secs} seconds"),
                format!(
                    "set the client to check for mail every {} minutes or less often",
                    secs.div_ceil(60)
                ),
                None,
            ));
        }
    }
    if let Some(s) = &e.smtp {
        if let Some(size) = s.size.filter(|&n| n > 0 && n < 10 * 1024 * 1024) {
            out.push(finding(
                &N501,
                f("smtp"),
                format!(
                    "{w}: messages are limited to {size} bytes (about {} KB of attachments)",
                    size * 3 / 4 / 1000
                ),
                "send large files another way (a link) or ask the provider",
                None,
            ));
        }
    }
    out
}

/// Findings about the probe as a whole: hosts that do not resolve, protocols without a secure
/// endpoint, STARTTLS without implicit TLS.
pub fn overall(endpoints: &[EndpointReport], all_protocols: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut hosts: Vec<&str> = Vec::new();
    for e in endpoints {
        if let Some(fail) = e
            .failure
            .as_ref()
            .filter(|f| f.kind == FailureKind::NotFound)
        {
            if !hosts.contains(&e.host.as_str()) {
                hosts.push(&e.host);
                out.push(finding(
                    &N001,
                    "host".into(),
                    fail.message.clone(),
                    "check the spelling of the host name against the provider's documentation",
                    None,
                ));
            }
        }
    }
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
        && hosts.is_empty()
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
        if let (Some(Protocol::Imap | Protocol::Pop3 | Protocol::Smtp), Some(tls), Some(st)) = (
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
                        protocol_name(protocol.unwrap_or(Protocol::Imap)),
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
    out
}

/// `993: connection refused`, `143: STARTTLS, verified`.
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

/// The configured settings against what the server did (N601, N602, N302), with fixes.
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
    let sec_name = |s: Security| match s {
        Security::Tls => "implicit TLS",
        Security::Starttls => "STARTTLS",
        _ => "no encryption",
    };
    let configured = format!("port {} with {}", c.port, sec_name(c.security));
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
        let head = format!("{why}; port {} with {} works", to.port, sec_name(to_sec));
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
                sec_name(got),
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
        if let Some(b) = best {
            if let Some(f) = auth_mismatch(auth, b, &field("auth")) {
                out.push(f);
            }
        }
    }
    out
}

fn auth_mismatch(auth: Auth, e: &EndpointReport, field: &str) -> Option<Finding> {
    let caps = e.capabilities.after_tls.as_ref()?;
    let protocol = e.protocol?;
    let mechs = e.auth.after_tls.clone().unwrap_or_default();
    let has = |m: &str| mechs.iter().any(|x| x == m);
    let d = dialect(protocol);
    let password = d.password_login_offered(caps);
    let oauth = has("XOAUTH2") || has("OAUTHBEARER");
    let encrypted = mechs
        .iter()
        .any(|m| m == "CRAM-MD5" || m == "DIGEST-MD5" || m.starts_with("SCRAM-"))
        || e.pop3.as_ref().is_some_and(|p| p.apop);
    let offered = match auth {
        Auth::Password | Auth::AppPassword => password,
        Auth::Oauth2 => oauth,
        Auth::EncryptedPassword => encrypted,
        Auth::ClientCertificate => has("EXTERNAL"),
        _ => true,
    };
    if offered {
        return None;
    }
    let fix =
        (auth == Auth::EncryptedPassword && password).then_some(FixValue::Auth(Auth::Password));
    let list = if mechs.is_empty() {
        "no SASL mechanism".to_string()
    } else {
        mechs.join(", ")
    };
    Some(finding(
        &N302,
        field.to_string(),
        format!(
            "authentication {auth} is configured, but {} offers {list}{}",
            label(&e.host, e.port, e.protocol, e.security),
            if d.login_disabled(caps) == Some(false) {
                " and the LOGIN command"
            } else {
                ""
            }
        ),
        if fix.is_some() {
            "set the authentication to password: over TLS a normal password is protected"
                .to_string()
        } else {
            format!("choose an authentication method the server offers ({list})")
        },
        fix,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ep(port: u16, expected: Security, role: Role) -> EndpointReport {
        EndpointReport::new(
            "mail.example.com",
            port,
            Some(Protocol::Imap),
            Some(expected),
            role,
        )
    }

    fn fail(e: &mut EndpointReport, kind: FailureKind) {
        e.failure = Some(Failure {
            stage: StageKind::Connect,
            kind,
            message: "connection refused".into(),
        });
    }

    fn codes(f: &[Finding]) -> Vec<&str> {
        f.iter().map(|f| f.code).collect()
    }

    #[test]
    fn closed_standard_endpoints_are_not_findings_but_named_ones_are() {
        let mut a = ep(993, Security::Tls, Role::Standard);
        fail(&mut a, FailureKind::ConnectFailed);
        assert!(endpoint(0, &a).is_empty());
        a.role = Role::Given;
        assert_eq!(codes(&endpoint(0, &a)), ["N002"]);
    }

    #[test]
    fn starttls_only_gives_n604_and_nothing_secure_gives_n603() {
        let mut tls = ep(993, Security::Tls, Role::Standard);
        fail(&mut tls, FailureKind::ConnectFailed);
        let mut st = ep(143, Security::Starttls, Role::Standard);
        st.secure = true;
        st.security = Some(Security::Starttls);
        let all = overall(&[tls.clone(), st.clone()], false);
        assert_eq!(codes(&all), ["N604"]);
        st.secure = false;
        st.greeting = Some("* OK".into());
        assert_eq!(codes(&overall(&[tls, st], false)), ["N603"]);
    }

    #[test]
    fn all_protocol_discovery_ignores_absent_protocols() {
        let mut imap_ep = ep(993, Security::Tls, Role::Standard);
        imap_ep.secure = true;
        let mut pop = ep(995, Security::Tls, Role::Standard);
        pop.protocol = Some(Protocol::Pop3);
        fail(&mut pop, FailureKind::ConnectFailed);
        assert!(overall(&[imap_ep, pop.clone()], true).is_empty());
        assert_eq!(codes(&overall(&[pop], true)), ["N603"]);
    }

    #[test]
    fn compare_gives_fixes() {
        let server = Server {
            protocol: Protocol::Imap,
            host: "mail.example.com".into(),
            port: 143,
            security: Security::Starttls,
            auth: Some(Auth::EncryptedPassword),
            username: None,
        };
        let mut given = ep(143, Security::Starttls, Role::Given);
        given.failure = Some(Failure {
            stage: StageKind::Starttls,
            kind: FailureKind::StarttlsUnavailable,
            message: "STARTTLS is neither advertised nor accepted".into(),
        });
        let mut alt = ep(993, Security::Tls, Role::Alternative);
        alt.secure = true;
        alt.security = Some(Security::Tls);
        alt.capabilities.after_tls = Some(vec!["IMAP4rev1".into(), "AUTH=PLAIN".into()]);
        alt.auth.after_tls = Some(vec!["PLAIN".into()]);
        let cfg = Configured {
            server,
            prefix: "",
            endpoint: 0,
        };
        let f = compare(&cfg, &[given, alt]);
        assert_eq!(codes(&f), ["N601", "N601", "N302"]);
        assert_eq!(f[0].fix.as_ref().unwrap().value, FixValue::Port(993));
        assert_eq!(
            f[1].fix.as_ref().unwrap().value,
            FixValue::Security(Security::Tls)
        );
        assert_eq!(
            f[2].fix.as_ref().unwrap().value,
            FixValue::Auth(Auth::Password)
        );
    }

    #[test]
    fn cleartext_configured_where_starttls_works() {
        let server = Server {
            protocol: Protocol::Imap,
            host: "h".into(),
            port: 143,
            security: Security::None,
            auth: None,
            username: None,
        };
        let mut e = ep(143, Security::None, Role::Given);
        e.secure = true;
        e.security = Some(Security::Starttls);
        let f = compare(
            &Configured {
                server,
                prefix: "incoming.",
                endpoint: 0,
            },
            &[e],
        );
        assert_eq!(codes(&f), ["N602"]);
        assert_eq!(f[0].field, "incoming.security");
    }

    #[test]
    fn pop3_and_smtp_details() {
        let mut e = ep(995, Security::Tls, Role::Given);
        e.pop3 = Some(Pop3Info {
            uidl: false,
            expire: Some("0".into()),
            login_delay: Some(900),
            ..Pop3Info::default()
        });
        assert_eq!(codes(&endpoint(0, &e)), ["N401", "N402", "N404"]);
        e.pop3.as_mut().unwrap().expire = Some("30 USER".into());
        e.pop3.as_mut().unwrap().uidl = true;
        e.pop3.as_mut().unwrap().login_delay = None;
        assert_eq!(codes(&endpoint(0, &e)), ["N403"]);
        e.pop3 = None;
        e.smtp = Some(SmtpInfo {
            size: Some(1_000_000),
            ..SmtpInfo::default()
        });
        assert_eq!(codes(&endpoint(0, &e)), ["N501"]);
    }
}
