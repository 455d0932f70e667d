//! N2xx: STARTTLS and cleartext — the upgrade is offered and works, is advertised, cannot be
//! injected into, starts clean, and no password is offered before it.

use super::{field, finding};
use crate::diagnostic::{Finding, Rule, Severity};
use crate::model::labels;
use crate::probe::dialect::{dialect, masked_starttls};
use crate::probe::report::{EndpointReport, Failure, FailureKind, Injection};
use crate::text::Quoted;

/// `N201`: no STARTTLS on a cleartext port.
pub const N201: Rule = Rule {
    code: "N201",
    name: "starttls-not-offered",
    severity: Severity::Warning,
    summary: "the cleartext port does not offer STARTTLS",
    what: "A cleartext endpoint that neither advertises STARTTLS (POP3: STLS) nor accepts it when asked. When the \
           capabilities show `XXXXXXXA` where STARTTLS would be, a middlebox (a firewall's SMTP inspection) masks it.",
    why: "A client on this port can only send the password and the mail unencrypted. It is an error when no other \
          endpoint offers TLS (see N603).",
    example: "IMAP on 143 without STARTTLS → use 993 with SSL/TLS if the server offers it.",
    references: &["RFC 8314 §3", "RFC 3207 §4", "RFC 2595 §3", "RFC 9051 §6.2.1"],
};

/// `N202`: STARTTLS advertised but refused.
pub const N202: Rule = Rule {
    code: "N202",
    name: "starttls-refused",
    severity: Severity::Error,
    summary: "the server advertises STARTTLS but refuses it",
    what: "STARTTLS (STLS) is in the capabilities, but the command is answered with an error.",
    why: "A client that requires encryption cannot connect; one that falls back sends everything in cleartext. A middlebox \
          that rewrites the conversation (STARTTLS stripping) looks exactly like this.",
    example: "`a2 NO TLS unavailable` → the server's TLS setup is broken, or something between here and the server interferes.",
    references: &["RFC 3207 §4", "RFC 2595 §3.1", "Poddebniak et al., \"Why TLS is better without STARTTLS\", USENIX Security 2021"],
};

/// `N203`: STARTTLS command injection.
pub const N203: Rule = Rule {
    code: "N203",
    name: "starttls-command-injection",
    severity: Severity::Error,
    summary: "the server runs commands sent in cleartext before STARTTLS as if they came over TLS",
    what: "The probe sent STARTTLS and a second command in one write. The server answered the second one inside the \
           TLS session, so it kept cleartext input across the upgrade.",
    why: "An attacker in the network path can inject commands that the server runs in the encrypted session (for \
          example to save a login in a folder the attacker reads).",
    example: "`a2 STARTTLS\\r\\na3 NOOP\\r\\n` → `a3 OK` arrives over TLS: the server must discard buffered input at STARTTLS.",
    references: &["RFC 3207 §4.2", "CVE-2011-0411", "Poddebniak et al., \"Why TLS is better without STARTTLS\", USENIX Security 2021"],
};

/// `N204`: a password login offered without TLS.
pub const N204: Rule = Rule {
    code: "N204",
    name: "cleartext-password-offered",
    severity: Severity::Warning,
    summary: "the server offers password login before TLS",
    what: "Before STARTTLS the server advertises a cleartext password mechanism: IMAP without LOGINDISABLED or with \
           AUTH=PLAIN/LOGIN, POP3 USER or SASL PLAIN/LOGIN, SMTP AUTH PLAIN/LOGIN.",
    why: "A client set to \"no encryption\", or one tricked by STARTTLS stripping, sends the password in cleartext and \
          the server accepts it.",
    example: "IMAP on 143 advertising `AUTH=PLAIN` before STARTTLS → the server should set LOGINDISABLED until TLS.",
    references: &["RFC 9051 §6.2.3", "RFC 2595 §3.2", "RFC 4954 §4", "RFC 8314 §5"],
};

/// `N205`: STARTTLS works but is not advertised.
pub const N205: Rule = Rule {
    code: "N205",
    name: "starttls-not-advertised",
    severity: Severity::Warning,
    summary: "STARTTLS works but is not in the capabilities",
    what: "The capabilities before TLS do not list STARTTLS (STLS), yet the command succeeds.",
    why: "Clients that follow the capabilities never upgrade and send everything in cleartext. The capability may be \
          stripped by something in the network path.",
    example: "`CAPABILITY IMAP4rev1 AUTH=PLAIN`, then `STARTTLS` → OK.",
    references: &["RFC 3207 §4", "RFC 2595 §3.1", "RFC 9051 §6.2.1"],
};

/// `N206`: extra data before the TLS handshake.
pub const N206: Rule = Rule {
    code: "N206",
    name: "data-before-tls-handshake",
    severity: Severity::Warning,
    summary: "cleartext data arrived after the STARTTLS answer, before TLS began",
    what: "Bytes that followed the server's \"begin TLS\" answer in cleartext. The probe discarded them, as every client must.",
    why: "Anything sent there was not protected by TLS. It is either a server bug or an attacker injecting answers \
          (the client-side variant of STARTTLS injection).",
    example: "`a2 OK Begin TLS` followed at once by `* OK [CAPABILITY … AUTH=PLAIN]` in cleartext.",
    references: &["RFC 3207 §4.2", "RFC 2595 §3.1", "Poddebniak et al., \"Why TLS is better without STARTTLS\", USENIX Security 2021"],
};

/// N201, N202: STARTTLS did not work.
pub fn failure(i: usize, e: &EndpointReport, fail: &Failure) -> Option<Finding> {
    let msg = format!("{}: {}", e.label(), fail.message);
    let masked = e
        .capabilities
        .before_tls
        .as_deref()
        .and_then(masked_starttls);
    Some(match fail.kind {
        FailureKind::StarttlsUnavailable if masked.is_some() => finding(
            &N201,
            field(i, "starttls"),
            format!(
                "{msg}; the capabilities show {} where STARTTLS would be: a middlebox between here and the server (a firewall's SMTP inspection, such as Cisco's) masks STARTTLS and blocks it",
                Quoted(masked.unwrap_or_default())
            ),
            format!(
                "the server itself may offer STARTTLS: turn off the middlebox's STARTTLS masking (or use another network); meanwhile use the implicit-TLS port ({}); never send a password here",
                labels::standard_ports(e.protocol)
            ),
            None,
        ),
        FailureKind::StarttlsUnavailable => finding(
            &N201,
            field(i, "starttls"),
            msg,
            format!(
                "use the implicit-TLS port if the server has one ({}); never send a password here",
                labels::standard_ports(e.protocol)
            ),
            None,
        ),
        FailureKind::StarttlsRefused => finding(
            &N202,
            field(i, "starttls"),
            msg,
            "do not fall back to cleartext; try the implicit-TLS port, and tell the provider (or check for a middlebox that strips STARTTLS)",
            None,
        ),
        _ => return None,
    })
}

/// N205, N206, N203 from the STARTTLS upgrade, then N204 from the capabilities before it.
pub fn check(i: usize, e: &EndpointReport, out: &mut Vec<Finding>) {
    let w = e.label();
    if let Some(st) = &e.starttls {
        if st.accepted && !st.advertised {
            out.push(finding(
                &N205,
                field(i, "starttls"),
                format!("{w}: STARTTLS works but is not in the capabilities"),
                "make the client require STARTTLS; tell the provider (or look for a middlebox that strips the capability)",
                None,
            ));
        }
        if st.discarded_bytes > 0 {
            out.push(finding(
                &N206,
                field(i, "starttls"),
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
                field(i, "starttls"),
                format!(
                    "{w}: a command sent together with STARTTLS was answered inside TLS ({})",
                    Quoted(answer)
                ),
                "prefer the implicit-TLS port; the provider must fix the server (discard buffered input at STARTTLS)",
                None,
            ));
        }
    }
    if e.auth.cleartext_password_offered {
        // Only what sends the password as it is: CRAM-MD5 and SCRAM never reveal it; a command
        // the server refused when tried (POP3 USER) is not offered.
        let caps = e.capabilities.before_tls.as_deref().unwrap_or_default();
        let mut what: Vec<String> = e
            .protocol
            .map(|p| dialect(p).cleartext_methods(caps))
            .unwrap_or_default()
            .into_iter()
            .filter(|m| !(m == "USER" && e.auth.cleartext_refused.is_some()))
            .map(|m| match m.as_str() {
                "LOGIN" if e.auth.login_disabled_before_tls == Some(false) => {
                    "LOGIN (no LOGINDISABLED)".to_string()
                }
                "USER" => "USER/PASS".to_string(),
                _ => m,
            })
            .collect();
        what.dedup();
        out.push(finding(
            &N204,
            field(i, "auth"),
            format!(
                "{}: before TLS the server offers password login: {}",
                labels::endpoint(&e.host, e.port, e.protocol, None),
                what.join(", ")
            ),
            "make sure the client uses TLS (STARTTLS required, or the implicit-TLS port); the server should refuse passwords before TLS",
            None,
        ));
    }
}

#[cfg(test)]
mod vectors {
    use super::super::vectors::*;
    use super::*;
    use crate::model::{Protocol, Security};
    use crate::probe::report::{Role, StageKind, StarttlsInfo};

    /// IMAP on 143 upgraded with STARTTLS, as `f` changes it.
    fn upgraded(f: impl FnOnce(&mut StarttlsInfo)) -> EndpointReport {
        let mut st = StarttlsInfo {
            advertised: true,
            accepted: true,
            response: "OK Begin TLS negotiation now.".into(),
            discarded_bytes: 0,
            injection: Injection::NotVulnerable {
                how: "discarded the command sent together with STARTTLS".into(),
            },
        };
        f(&mut st);
        with(
            secure(
                endpoint(Protocol::Imap, 143, Security::Starttls, Role::Given),
                Security::Starttls,
            ),
            |e| e.starttls = Some(st),
        )
    }

    #[test]
    fn n2xx() {
        let refused = |kind| {
            let mut e = upgraded(|st| st.accepted = false);
            e = failed(
                e,
                StageKind::Starttls,
                kind,
                "STARTTLS is advertised but refused",
            );
            e.secure = false;
            e.tls = None;
            e
        };
        let before = |caps: &[&str], login_disabled| {
            with(upgraded(|_| {}), |e| {
                let caps: Vec<String> = caps.iter().map(|m| m.to_string()).collect();
                e.auth.before_tls = Some(dialect(e.protocol.unwrap()).login_methods(&caps));
                e.capabilities.before_tls = Some(caps);
                e.auth.login_disabled_before_tls = login_disabled;
                e.auth.cleartext_password_offered = true;
            })
        };
        run(
            &[&N201, &N202, &N203, &N204, &N205, &N206],
            &[
                Vector {
                    what: "STARTTLS advertised, accepted, not injectable",
                    input: Input::Endpoint(upgraded(|_| {})),
                    codes: &[],
                },
                Vector {
                    what: "no STARTTLS",
                    input: Input::Endpoint(refused(FailureKind::StarttlsUnavailable)),
                    codes: &["N201"],
                },
                Vector {
                    what: "STARTTLS advertised, refused",
                    input: Input::Endpoint(refused(FailureKind::StarttlsRefused)),
                    codes: &["N202"],
                },
                Vector {
                    what: "the injected command answered inside TLS",
                    input: Input::Endpoint(upgraded(|st| {
                        st.injection = Injection::Vulnerable {
                            answer: "i2 OK NOOP completed".into(),
                        }
                    })),
                    codes: &["N203"],
                },
                Vector {
                    what: "the injection test could not tell",
                    input: Input::Endpoint(upgraded(|st| {
                        st.injection = Injection::Inconclusive {
                            why: "second connection failed".into(),
                        }
                    })),
                    codes: &[],
                },
                Vector {
                    what: "IMAP LOGIN allowed before TLS",
                    input: Input::Endpoint(before(&["IMAP4rev1", "AUTH=PLAIN"], Some(false))),
                    codes: &["N204"],
                },
                Vector {
                    what: "POP3 USER before TLS",
                    input: Input::Endpoint(with(before(&["USER"], None), |e| {
                        e.protocol = Some(Protocol::Pop3)
                    })),
                    codes: &["N204"],
                },
                Vector {
                    what: "STARTTLS works, not advertised",
                    input: Input::Endpoint(upgraded(|st| st.advertised = false)),
                    codes: &["N205"],
                },
                Vector {
                    what: "cleartext after the STARTTLS answer",
                    input: Input::Endpoint(upgraded(|st| st.discarded_bytes = 15)),
                    codes: &["N206"],
                },
            ],
        );
        let mut out = Vec::new();
        check(
            0,
            &before(&["IMAP4rev1", "AUTH=CRAM-MD5", "AUTH=PLAIN"], Some(false)),
            &mut out,
        );
        assert!(
            out[0].message.ends_with("PLAIN, LOGIN (no LOGINDISABLED)"),
            "{}",
            out[0].message
        );
        // A masked STARTTLS names the middlebox.
        let masked = with(refused(FailureKind::StarttlsUnavailable), |e| {
            e.capabilities.before_tls = Some(vec!["PIPELINING".into(), "XXXXXXXA".into()])
        });
        let f = failure(0, &masked, masked.failure.as_ref().unwrap()).unwrap();
        assert_eq!(f.code, "N201");
        assert!(f.message.contains("middlebox"), "{}", f.message);
    }
}
