//! N3xx: logging in — the server offers a way to log in, the configured method among them, and
//! (with `--login`) what happened to the credentials.

use super::{field, finding};
use crate::diagnostic::{Finding, FixValue, Rule, Severity};
use crate::model::{Auth, Protocol, Security};
use crate::probe::dialect::dialect;
use crate::probe::report::{EndpointReport, LoginResult};

/// `N301`: no way to log in.
pub const N301: Rule = Rule {
    code: "N301",
    name: "no-login-offered",
    severity: Severity::Error,
    summary: "the server offers no way to log in, even over TLS",
    what: "After TLS the server advertises no authentication at all: IMAP LOGINDISABLED with no AUTH= mechanism, POP3 \
           neither USER nor SASL, SMTP no AUTH.",
    why: "The client cannot log in. On a submission port, mail cannot be sent.",
    example: "Port 587 with no `AUTH` after STARTTLS → this is a relay server, not submission; use the provider's submission server.",
    references: &["RFC 9051 §6.2", "RFC 2449 §6.3", "RFC 4954 §3", "RFC 6409 §4.1"],
};

/// `N302`: the configured authentication method is not offered.
pub const N302: Rule = Rule {
    code: "N302",
    name: "configured-auth-not-offered",
    severity: Severity::Error,
    summary: "the server does not offer the configured authentication method",
    what: "The `auth` setting (`--auth`) asks for a method the server does not advertise after TLS: a normal password \
           without PLAIN/LOGIN, OAuth2 without XOAUTH2/OAUTHBEARER, an encrypted password without CRAM-MD5, SCRAM or APOP.",
    why: "The client fails at login with a confusing error.",
    example: "`--auth encrypted-password` on a server that offers only PLAIN over TLS → set the authentication to normal password.",
    references: &["RFC 4954 §3", "RFC 7628", "RFC 5802", "RFC 9051 §6.2.2"],
};

/// `N303`: the login was rejected.
pub const N303: Rule = Rule {
    code: "N303",
    name: "login-failed",
    severity: Severity::Error,
    summary: "the server rejected the login",
    what: "With `--login`, the server refused the user name and password; the finding quotes the server's own words.",
    why: "The user name or password is wrong, or the provider requires an app password or OAuth2 for this client.",
    example: "`a5 NO [AUTHENTICATIONFAILED] Authentication failed.` → check the user name (often the full address) and password.",
    references: &["RFC 9051 §6.2.3", "RFC 5530", "RFC 4954 §6", "RFC 1939 §7"],
};

/// `N304`: the login was not attempted because the connection was not safe.
pub const N304: Rule = Rule {
    code: "N304",
    name: "login-not-attempted",
    severity: Severity::Warning,
    summary: "the login was not tried because the connection was not safe",
    what: "`--login` was given, but this endpoint had no TLS, or its certificate did not verify, so the probe did not send \
           the password.",
    why: "The probe never sends credentials over cleartext or to a server it cannot authenticate; a mail client should not either.",
    example: "Port 143 without STARTTLS → login skipped; use an endpoint with TLS.",
    references: &["RFC 8314 §5", "RFC 7817 §3", "RFC 9051 §6.2.3"],
};

/// `N305`: the server did not say whether the login is right.
pub const N305: Rule = Rule {
    code: "N305",
    name: "login-inconclusive",
    severity: Severity::Warning,
    summary: "the server did not say whether the user name and password are right",
    what: "With `--login`, the server deferred the login instead of judging the password: POP3 `[LOGIN-DELAY]` (one \
           login every so often) or `[IN-USE]`, IMAP `[UNAVAILABLE]` or `[INUSE]`, an SMTP 4xx; or it gave no answer \
           within the time limit (servers slow down failed logins), or closed the connection.",
    why: "None of these says the password is wrong; reporting them as a rejected password sends people to change a \
          password that works. A LOGIN-DELAY also means a mail client checking more often gets the same refusal.",
    example: "`-ERR [LOGIN-DELAY] Logins must be at least 1 minute apart` → try again later; set the client to check \
              for mail no more often than the server allows.",
    references: &["RFC 2449 §8.1", "RFC 3206", "RFC 5530 §3", "RFC 4954 §6"],
};

/// N301 from the capabilities after TLS, then N303, N304 or N305 from `--login`.
pub fn check(i: usize, e: &EndpointReport, out: &mut Vec<Finding>) {
    let w = e.label();
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
                field(i, "auth"),
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
                field(i, "login"),
                format!("{w}: the server rejected the login of {}: {}", l.user, l.response),
                "check the user name (often the whole address) and the password; some providers require an app password or OAuth2",
                None,
            )),
            LoginResult::Inconclusive => out.push(finding(
                &N305,
                field(i, "login"),
                format!(
                    "{w}: the server did not judge the login of {}: {}",
                    l.user, l.response
                ),
                "nothing says the password is wrong: try again later (or with a longer --timeout); a mail client must not check more often than a LOGIN-DELAY allows",
                None,
            )),
            LoginResult::NotAttempted if e.greeting.is_some() && !safe(e) => out.push(finding(
                &N304,
                field(i, "login"),
                format!("{w}: login not attempted: {}", l.response),
                "use an endpoint with TLS, a valid certificate and a clean STARTTLS to check the login",
                None,
            )),
            _ => {}
        }
    }
}

/// Verified TLS, and a STARTTLS (if any) that nobody could have meddled with: no injected
/// commands answered (N203), no cleartext after its answer (N206).
fn safe(e: &EndpointReport) -> bool {
    e.secure
        && e.starttls.as_ref().is_none_or(|st| {
            st.discarded_bytes == 0
                && !matches!(
                    st.injection,
                    crate::probe::report::Injection::Vulnerable { .. }
                )
        })
}

/// N302: the configured authentication `auth` (the settings' `field`) against what endpoint `e`
/// offers after TLS; with a fix when a normal password works instead of an encrypted one.
pub fn configured_auth(auth: Auth, e: &EndpointReport, field: &str) -> Option<Finding> {
    let caps = e.capabilities.after_tls.as_ref()?;
    let protocol = e.protocol?;
    let d = dialect(protocol);
    let mechs = e.auth.after_tls.clone().unwrap_or_default();
    let has = |m: &str| mechs.iter().any(|x| x == m);
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
            "authentication {auth} is configured, but {} offers {list}",
            e.label()
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
mod vectors {
    use super::super::vectors::*;
    use super::*;
    use crate::model::Server;
    use crate::probe::report::{LoginInfo, Role};
    use crate::probe::rules::Configured;

    fn after_tls(protocol: Protocol, port: u16, caps: &[&str]) -> EndpointReport {
        let d = dialect(protocol);
        let caps: Vec<String> = caps.iter().map(|c| c.to_string()).collect();
        with(
            secure(
                endpoint(protocol, port, Security::Tls, Role::Given),
                Security::Tls,
            ),
            |e| {
                e.auth.after_tls = Some(d.login_methods(&caps));
                e.capabilities.after_tls = Some(caps);
            },
        )
    }

    fn login(mut e: EndpointReport, result: LoginResult, response: &str) -> EndpointReport {
        e.login = Some(LoginInfo {
            user: "alice@mail.test".into(),
            result,
            mechanism: None,
            response: response.into(),
        });
        e
    }

    /// The settings name IMAP on 993 with `auth`.
    fn configured(auth: Auth) -> Configured {
        Configured {
            server: Server {
                protocol: Protocol::Imap,
                host: "mail.example.com".into(),
                port: 993,
                security: Security::Tls,
                auth: Some(auth),
                username: None,
            },
            prefix: "",
            endpoint: 0,
        }
    }

    #[test]
    fn n3xx() {
        let imap = after_tls(Protocol::Imap, 993, &["IMAP4rev1", "AUTH=PLAIN"]);
        let unverified = with(imap.clone(), |e| {
            e.secure = false;
            e.tls.as_mut().unwrap().verified = false;
            e.tls.as_mut().unwrap().name_matches = false;
        });
        run(
            &[&N301, &N302, &N303, &N304, &N305],
            &[
                Vector {
                    what: "IMAP with AUTH=PLAIN after TLS",
                    input: Input::Endpoint(imap.clone()),
                    codes: &[],
                },
                Vector {
                    what: "IMAP with LOGINDISABLED and no mechanism, even over TLS",
                    input: Input::Endpoint(after_tls(
                        Protocol::Imap,
                        993,
                        &["IMAP4rev1", "LOGINDISABLED"],
                    )),
                    codes: &["N301"],
                },
                Vector {
                    what: "IMAP with LOGINDISABLED and OAuth2 only: a way to log in",
                    input: Input::Endpoint(after_tls(
                        Protocol::Imap,
                        993,
                        &["IMAP4rev1", "LOGINDISABLED", "AUTH=XOAUTH2"],
                    )),
                    codes: &[],
                },
                Vector {
                    what: "SMTP without AUTH",
                    input: Input::Endpoint(after_tls(
                        Protocol::Smtp,
                        465,
                        &["SIZE 1000", "PIPELINING"],
                    )),
                    codes: &["N301"],
                },
                Vector {
                    what: "POP3 without USER or SASL",
                    input: Input::Endpoint(after_tls(Protocol::Pop3, 995, &["UIDL", "TOP"])),
                    codes: &["N301"],
                },
                Vector {
                    what: "the login accepted",
                    input: Input::Endpoint(login(
                        imap.clone(),
                        LoginResult::Accepted,
                        "OK Logged in",
                    )),
                    codes: &[],
                },
                Vector {
                    what: "the login rejected",
                    input: Input::Endpoint(login(
                        imap.clone(),
                        LoginResult::Rejected,
                        "NO [AUTHENTICATIONFAILED] Authentication failed.",
                    )),
                    codes: &["N303"],
                },
                Vector {
                    what: "the login deferred: LOGIN-DELAY",
                    input: Input::Endpoint(login(
                        imap.clone(),
                        LoginResult::Inconclusive,
                        "-ERR [LOGIN-DELAY] Logins must be at least 1 minute apart",
                    )),
                    codes: &["N305"],
                },
                Vector {
                    what: "no login where the certificate does not verify",
                    input: Input::Endpoint(login(
                        unverified.clone(),
                        LoginResult::NotAttempted,
                        "the certificate did not verify",
                    )),
                    codes: &["N106", "N304"],
                },
                Vector {
                    what: "no login on an endpoint that never greeted: nothing to add",
                    input: Input::Endpoint(login(
                        with(unverified, |e| e.greeting = None),
                        LoginResult::NotAttempted,
                        "the conversation stopped before the login",
                    )),
                    codes: &["N106"],
                },
                Vector {
                    what: "an encrypted password configured, PLAIN offered",
                    input: Input::Compare(configured(Auth::EncryptedPassword), vec![imap.clone()]),
                    codes: &["N302"],
                },
                Vector {
                    what: "OAuth2 configured, PLAIN offered",
                    input: Input::Compare(configured(Auth::Oauth2), vec![imap.clone()]),
                    codes: &["N302"],
                },
                Vector {
                    what: "a password configured, PLAIN offered",
                    input: Input::Compare(configured(Auth::Password), vec![imap.clone()]),
                    codes: &[],
                },
                Vector {
                    what: "an encrypted password configured, CRAM-MD5 offered",
                    input: Input::Compare(
                        configured(Auth::EncryptedPassword),
                        vec![after_tls(
                            Protocol::Imap,
                            993,
                            &["AUTH=CRAM-MD5", "LOGINDISABLED"],
                        )],
                    ),
                    codes: &[],
                },
            ],
        );
        let n302 = configured_auth(Auth::EncryptedPassword, &imap, "auth").unwrap();
        assert_eq!(
            n302.fix.as_ref().unwrap().value,
            FixValue::Auth(Auth::Password)
        );
        assert!(
            n302.message.ends_with("offers PLAIN, LOGIN"),
            "{}",
            n302.message
        );
        assert!(configured_auth(Auth::Oauth2, &imap, "auth")
            .unwrap()
            .fix
            .is_none());
    }
}
