//! N1xx: TLS and certificates — the handshake works with current clients, the certificate chain
//! verifies, names the host and is in its validity period, and an implicit-TLS port speaks TLS.

use super::{field, finding};
use crate::diagnostic::{Finding, Rule, Severity};
use crate::model::{labels, Security};
use crate::probe::report::{CertProblem, EndpointReport, Failure, FailureKind};

/// `N101`: the TLS handshake failed.
pub const N101: Rule = Rule {
    code: "N101",
    name: "tls-handshake-failed",
    severity: Severity::Error,
    summary: "the TLS handshake failed",
    what: "TLS could not be established for a reason other than the ones with their own rule (old TLS version, \
           certificate problems, cleartext on a TLS port): an alert from the server, no common cipher suite, a broken record.",
    why: "Without TLS nothing may be sent, and a client shows a connection error.",
    example: "`received fatal alert: HandshakeFailure` → the server offers no cipher suite a current client accepts.",
    references: &["RFC 8446 §6", "RFC 8314 §5", "RFC 9325"],
};

/// `N102`: the server speaks only TLS 1.0/1.1.
pub const N102: Rule = Rule {
    code: "N102",
    name: "tls-obsolete-version",
    severity: Severity::Error,
    summary: "the server only speaks TLS 1.0 or 1.1",
    what: "The server refused TLS 1.2 and 1.3; a second, legacy handshake shows it answers TLS 1.0 or 1.1 (or refuses every version).",
    why: "TLS 1.0 and 1.1 are deprecated for mail (RFC 8997): current clients refuse them, so the account stops working \
          after an update, and the old versions have known weaknesses.",
    example: "A server that answers only TLS 1.0 → the provider must enable TLS 1.2 or later.",
    references: &["RFC 8996", "RFC 8997", "RFC 8314 §4.1"],
};

/// `N103`: the certificate chain does not lead to a trusted root.
pub const N103: Rule = Rule {
    code: "N103",
    name: "certificate-untrusted",
    severity: Severity::Error,
    summary: "the certificate is not signed by a trusted authority",
    what: "The certificate chain does not verify against the trusted roots (the usual web roots, or `--ca-file`): \
           a self-signed certificate, an unknown or missing intermediate, a bad signature, or a certificate not meant for servers.",
    why: "Anyone in the network path can present such a certificate; a client that accepts it hands the password to them. \
          The probe continues only to report what the server does, and never sends credentials on such a connection.",
    example: "A self-signed certificate on `mail.example.com` → install a certificate from a public CA (e.g. Let's Encrypt).",
    references: &["RFC 5280 §6", "RFC 8314 §5", "RFC 7817 §3"],
};

/// `N104`: the certificate has expired.
pub const N104: Rule = Rule {
    code: "N104",
    name: "certificate-expired",
    severity: Severity::Error,
    summary: "the server's certificate has expired",
    what: "The current time is after the certificate's `notAfter` date.",
    why: "Clients refuse the connection or train people to click through warnings; the certificate must be renewed.",
    example: "`notAfter 2020-02-01` → the provider must renew the certificate.",
    references: &["RFC 5280 §4.1.2.5", "RFC 8314 §5"],
};

/// `N105`: the certificate is not valid yet.
pub const N105: Rule = Rule {
    code: "N105",
    name: "certificate-not-yet-valid",
    severity: Severity::Error,
    summary: "the server's certificate is not valid yet",
    what: "The current time is before the certificate's `notBefore` date.",
    why: "Clients refuse it. Usually the server's (or this computer's) clock is wrong.",
    example: "`notBefore 2099-01-01` → check the clocks; reissue the certificate.",
    references: &["RFC 5280 §4.1.2.5"],
};

/// `N106`: the certificate is for another name.
pub const N106: Rule = Rule {
    code: "N106",
    name: "certificate-name-mismatch",
    severity: Severity::Error,
    summary: "the certificate is not valid for the host name the client uses",
    what: "None of the certificate's subject alternative names matches the host name that was probed (RFC 7817: the name \
           the person configured, not one found through DNS).",
    why: "A client cannot tell the server from an impostor. Often the right host name is the one in the certificate.",
    example: "Probing `mail.example.com`, certificate for `*.hosting.example` → configure the host the certificate names, \
              if the provider documents it.",
    references: &["RFC 7817 §3", "RFC 6125 §6", "RFC 8314 §5"],
};

/// `N107`: the certificate expires soon.
pub const N107: Rule = Rule {
    code: "N107",
    name: "certificate-expires-soon",
    severity: Severity::Warning,
    summary: "the server's certificate expires within 14 days",
    what: "A certificate that verifies today but whose `notAfter` is less than 14 days away.",
    why: "Automated renewal normally happens 30 days ahead; a certificate this close to its end has probably missed it, \
          and clients will fail when it runs out.",
    example: "5 days left → the provider should renew now.",
    references: &["RFC 5280 §4.1.2.5"],
};

/// `N108`: a TLS port answered in cleartext.
pub const N108: Rule = Rule {
    code: "N108",
    name: "cleartext-on-tls-port",
    severity: Severity::Error,
    summary: "the port answered in cleartext where implicit TLS was expected",
    what: "The probe started a TLS handshake and the server answered with a cleartext greeting: this port uses \
           STARTTLS (or nothing), not implicit TLS.",
    why: "A client set to SSL/TLS on this port fails with a handshake error.",
    example: "Port 143 set to SSL/TLS → set the security to STARTTLS, or use port 993 with SSL/TLS.",
    references: &["RFC 8314 §3", "RFC 9051 §6.2.1"],
};

/// `N109`: TLS 1.2 only with older cipher suites.
pub const N109: Rule = Rule {
    code: "N109",
    name: "tls-older-cipher-suites-only",
    severity: Severity::Warning,
    summary: "the server offers TLS 1.2 only with older cipher suites",
    what: "The modern handshake failed, and a handshake offering the older suites shows the server speaks TLS 1.2, \
           but only with suites current guidance retires: RSA key exchange (no forward secrecy), finite-field \
           Diffie-Hellman, or CBC encryption. The probe offers only ECDHE with AES-GCM or ChaCha20 (and TLS 1.3), \
           so it could not check the rest of this endpoint.",
    why: "Clients that still accept those suites connect, for now; clients that follow RFC 9325 (and this probe) do not. \
          Without forward secrecy, whoever later gets the server's key can decrypt recorded sessions.",
    example: "A server that offers only `TLS_RSA_WITH_AES_256_CBC_SHA` (OpenSSL `AES256-SHA`) → the provider should \
              enable ECDHE suites with AES-GCM, and TLS 1.3.",
    references: &["RFC 9325 §4.1", "RFC 9325 §4.2", "RFC 8446"],
};

/// `N110`: TLS 1.0 or 1.1 still accepted.
pub const N110: Rule = Rule {
    code: "N110",
    name: "tls-deprecated-versions-accepted",
    severity: Severity::Warning,
    summary: "the server still accepts TLS 1.0 or TLS 1.1",
    what: "Besides TLS 1.2 or 1.3, the server completes the first step of a TLS 1.0 or TLS 1.1 handshake on a \
           connection of its own.",
    why: "TLS 1.0 and 1.1 are deprecated (RFC 8996) and must not be used for mail (RFC 8997); a server that still \
          accepts them lets old or misconfigured clients connect with broken cryptography, and leaves room for \
          downgrade attacks.",
    example: "Postfix with its default `smtpd_tls_protocols` on Debian 12 → set `smtpd_tls_protocols = >=TLSv1.2`.",
    references: &["RFC 8996", "RFC 8997", "RFC 9325 §3.1.1"],
};

/// "TLS 1.0" for `TLSv1.0`: versions as the RFCs write them.
fn version_in_words(v: &str) -> String {
    v.replace("TLSv", "TLS ")
}

/// "3 days", "1 day".
fn days(n: i64) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

/// N101, N102, N109: the handshake failed.
pub fn failure(i: usize, e: &EndpointReport, fail: &Failure) -> Option<Finding> {
    let msg = format!("{}: {}", e.label(), fail.message);
    Some(match fail.kind {
        FailureKind::Tls => finding(
            &N101,
            field(i, "tls"),
            msg,
            "the server's TLS setup does not work with current clients; the provider must fix it",
            None,
        ),
        FailureKind::TlsObsolete => finding(
            &N102,
            field(i, "tls"),
            msg,
            "the provider must enable TLS 1.2 or 1.3; current clients refuse TLS 1.0 and 1.1",
            None,
        ),
        FailureKind::TlsLegacyCiphers => finding(
            &N109,
            field(i, "tls"),
            msg,
            "the provider should enable ECDHE cipher suites with AES-GCM or ChaCha20 (and TLS 1.3); until then, clients that follow current guidance cannot connect",
            None,
        ),
        _ => return None,
    })
}

/// N108 (a cleartext greeting on an implicit-TLS port), then the certificate: N104, N105 or
/// N103 for the chain, N106 for the name, N107 for a verified one about to expire.
pub fn check(i: usize, e: &EndpointReport, out: &mut Vec<Finding>) {
    let w = e.label();
    if e.implicit_tls_answered_in_cleartext && e.expected == Some(Security::Tls) {
        let help = if e.security == Some(Security::Starttls) && e.secure {
            "set the security to STARTTLS for this port (STARTTLS works here), or use the implicit-TLS port".to_string()
        } else {
            format!(
                "use the implicit-TLS port ({})",
                labels::standard_ports(e.protocol)
            )
        };
        out.push(finding(
            &N108,
            field(i, "tls"),
            format!(
                "{}: the server answered a TLS handshake with a cleartext greeting: port {} does not speak implicit TLS",
                labels::endpoint(&e.host, e.port, e.protocol, None),
                e.port
            ),
            help,
            None,
        ));
    }
    let Some(t) = &e.tls else {
        return;
    };
    let leaf = t.chain.first();
    let untrusted = |out: &mut Vec<Finding>, help: &str| {
        out.push(finding(
            &N103,
            field(i, "certificate"),
            format!(
                "{w}: the certificate is {}",
                t.chain_error.as_deref().unwrap_or("not trusted")
            ),
            help,
            None,
        ))
    };
    match t.chain_problem {
        Some(CertProblem::Expired) => out.push(finding(
            &N104,
            field(i, "certificate"),
            format!(
                "{w}: the certificate expired on {} ({} ago)",
                leaf.map_or("?", |c| c.not_after.as_str()),
                days(leaf.map_or(0, |c| -c.days_left))
            ),
            "the provider must renew the certificate; do not accept it in the client",
            None,
        )),
        Some(CertProblem::NotYetValid) => out.push(finding(
            &N105,
            field(i, "certificate"),
            format!(
                "{w}: the certificate is not valid before {}{}",
                leaf.map_or("?", |c| c.not_before.as_str()),
                leaf.filter(|c| c.days_until_valid > 0)
                    .map(|c| format!(" (in {})", days(c.days_until_valid)))
                    .unwrap_or_default()
            ),
            "check this computer's clock; otherwise the provider must reissue the certificate",
            None,
        )),
        Some(CertProblem::SelfSigned) => untrusted(
            out,
            "a self-signed certificate cannot be told from an impostor's: the provider should use one signed by a certificate authority; if this is your own server and you trust this very certificate, give it with --ca-file (the probe sent no credentials)",
        ),
        Some(CertProblem::IncompleteChain) => untrusted(
            out,
            "the server must send its intermediate certificate with its own (configure the full-chain file); clients that do not fetch a missing intermediate themselves refuse the connection (the probe sent no credentials)",
        ),
        Some(CertProblem::Untrusted) => untrusted(
            out,
            "the provider must use a certificate from an authority clients trust (for a private authority, give its certificate with --ca-file); the probe sent no credentials",
        ),
        None => {}
    }
    if !t.name_matches {
        let names = leaf.map(|c| c.sans.join(", ")).unwrap_or_default();
        let message = match leaf.and_then(|c| c.common_name.as_deref()) {
            Some(cn) if names.is_empty() => format!(
                "{w}: the certificate is not valid for {}: it has no subjectAltName, and names {cn} only in its subject's CN, which clients ignore (RFC 6125 §6.4.4)",
                t.name_checked
            ),
            _ if names.is_empty() => format!(
                "{w}: the certificate is not valid for {}: it has no subjectAltName (no DNS name or address)",
                t.name_checked
            ),
            _ => format!(
                "{w}: the certificate is not valid for {} (it names {names})",
                t.name_checked
            ),
        };
        let help = if names.is_empty() {
            "the provider must reissue the certificate with the host name in its subjectAltName"
        } else {
            "use a host name the certificate lists, if the provider documents it; otherwise the provider must fix the certificate"
        };
        out.push(finding(&N106, field(i, "certificate"), message, help, None));
    }
    if t.verified {
        if let Some(c) = leaf.filter(|c| c.days_left < 14) {
            out.push(finding(
                &N107,
                field(i, "certificate"),
                format!(
                    "{w}: the certificate expires on {} ({} left)",
                    c.not_after,
                    days(c.days_left)
                ),
                "the provider should renew it now; automated renewal normally happens 30 days ahead",
                None,
            ));
        }
    }
    if !t.legacy_versions.is_empty() {
        let versions: Vec<String> = t
            .legacy_versions
            .iter()
            .map(|v| version_in_words(v))
            .collect();
        out.push(finding(
            &N110,
            field(i, "tls"),
            format!(
                "{w}: the server still accepts {} besides {} (deprecated since 2021, RFC 8996)",
                versions.join(" and "),
                version_in_words(&t.version)
            ),
            "the provider should accept TLS 1.2 and 1.3 only (Postfix: smtpd_tls_protocols = >=TLSv1.2; Dovecot: ssl_min_protocol = TLSv1.2)",
            None,
        ));
    }
}

#[cfg(test)]
mod vectors {
    use super::super::vectors::*;
    use super::*;
    use crate::model::Protocol;
    use crate::probe::report::{Role, StageKind};

    fn imaps() -> EndpointReport {
        secure(
            endpoint(Protocol::Imap, 993, Security::Tls, Role::Given),
            Security::Tls,
        )
    }

    /// An implicit-TLS endpoint whose certificate is as `f` makes it.
    fn cert(f: impl FnOnce(&mut crate::probe::report::TlsInfo)) -> EndpointReport {
        with(imaps(), |e| {
            e.secure = false;
            f(e.tls.as_mut().unwrap());
            let t = e.tls.as_ref().unwrap();
            e.secure = t.chain_problem.is_none() && t.name_matches;
            e.tls.as_mut().unwrap().verified = e.secure;
        })
    }

    #[test]
    fn n1xx() {
        let stopped = |kind| failed(imaps(), StageKind::Tls, kind, "TLS handshake failed");
        let cleartext_greeting = |works: bool| {
            with(
                endpoint(Protocol::Imap, 143, Security::Tls, Role::Given),
                |e| {
                    e.implicit_tls_answered_in_cleartext = true;
                    if works {
                        *e = secure(e.clone(), Security::Starttls);
                    }
                },
            )
        };
        run(
            &[
                &N101, &N102, &N103, &N104, &N105, &N106, &N107, &N108, &N109, &N110,
            ],
            &[
                Vector {
                    what: "a verified certificate with months left",
                    input: Input::Endpoint(imaps()),
                    codes: &[],
                },
                Vector {
                    what: "the handshake failed",
                    input: Input::Endpoint(stopped(FailureKind::Tls)),
                    codes: &["N101"],
                },
                Vector {
                    what: "TLS 1.0 only",
                    input: Input::Endpoint(stopped(FailureKind::TlsObsolete)),
                    codes: &["N102"],
                },
                Vector {
                    what: "TLS 1.2 with RSA key exchange only",
                    input: Input::Endpoint(stopped(FailureKind::TlsLegacyCiphers)),
                    codes: &["N109"],
                },
                Vector {
                    what: "TLS 1.0 and 1.1 still accepted besides TLS 1.3",
                    input: Input::Endpoint(cert(|t| {
                        t.legacy_versions = vec!["TLSv1.0".into(), "TLSv1.1".into()]
                    })),
                    codes: &["N110"],
                },
                Vector {
                    what: "self-signed, marked as a CA",
                    input: Input::Endpoint(cert(|t| {
                        t.chain_problem = Some(CertProblem::SelfSigned);
                        t.chain_error = Some("self-signed".into());
                    })),
                    codes: &["N103"],
                },
                Vector {
                    what: "the intermediate missing",
                    input: Input::Endpoint(cert(|t| {
                        t.chain_problem = Some(CertProblem::IncompleteChain);
                        t.chain_error = Some("sent alone".into());
                    })),
                    codes: &["N103"],
                },
                Vector {
                    what: "self-signed",
                    input: Input::Endpoint(cert(|t| {
                        t.chain_problem = Some(CertProblem::Untrusted);
                        t.chain_error = Some("not issued by a trusted authority".into());
                    })),
                    codes: &["N103"],
                },
                Vector {
                    what: "expired",
                    input: Input::Endpoint(cert(|t| {
                        t.chain_problem = Some(CertProblem::Expired);
                        t.chain[0].days_left = -3;
                    })),
                    codes: &["N104"],
                },
                Vector {
                    what: "not yet valid",
                    input: Input::Endpoint(cert(|t| {
                        t.chain_problem = Some(CertProblem::NotYetValid)
                    })),
                    codes: &["N105"],
                },
                Vector {
                    what: "another name",
                    input: Input::Endpoint(cert(|t| t.name_matches = false)),
                    codes: &["N106"],
                },
                Vector {
                    what: "expired and for another name",
                    input: Input::Endpoint(cert(|t| {
                        t.chain_problem = Some(CertProblem::Expired);
                        t.name_matches = false;
                    })),
                    codes: &["N104", "N106"],
                },
                Vector {
                    what: "verified, 13 days left",
                    input: Input::Endpoint(cert(|t| t.chain[0].days_left = 13)),
                    codes: &["N107"],
                },
                Vector {
                    what: "verified, 14 days left",
                    input: Input::Endpoint(cert(|t| t.chain[0].days_left = 14)),
                    codes: &[],
                },
                Vector {
                    what: "unverified and about to expire: the chain is the problem",
                    input: Input::Endpoint(cert(|t| {
                        t.chain_problem = Some(CertProblem::Untrusted);
                        t.chain[0].days_left = 2;
                    })),
                    codes: &["N103"],
                },
                Vector {
                    what: "implicit TLS configured on a port that greets in cleartext",
                    input: Input::Endpoint(cleartext_greeting(false)),
                    codes: &["N108"],
                },
                Vector {
                    what: "the same, where STARTTLS works",
                    input: Input::Endpoint(cleartext_greeting(true)),
                    codes: &["N108"],
                },
            ],
        );
        let mut help = Vec::new();
        for works in [false, true] {
            let mut out = Vec::new();
            check(0, &cleartext_greeting(works), &mut out);
            help.push(out[0].help.clone());
        }
        assert!(help[0].starts_with("use the implicit-TLS port (IMAP uses 993"));
        assert!(help[1].starts_with("set the security to STARTTLS"));
        // Words, not numbers with signs.
        let message = |e: EndpointReport| {
            let mut out = Vec::new();
            check(0, &e, &mut out);
            out[0].message.clone()
        };
        let expired = message(cert(|t| {
            t.chain_problem = Some(CertProblem::Expired);
            t.chain[0].days_left = -1067;
        }));
        assert!(expired.ends_with("(1067 days ago)"), "{expired}");
        let later = message(cert(|t| {
            t.chain_problem = Some(CertProblem::NotYetValid);
            t.chain[0].days_until_valid = 1;
        }));
        assert!(later.ends_with("(in 1 day)"), "{later}");
        let cn_only = message(cert(|t| {
            t.name_matches = false;
            t.chain[0].sans.clear();
        }));
        assert!(
            cn_only.contains("no subjectAltName")
                && cn_only.contains("mail.example.com only in its subject's CN"),
            "{cn_only}"
        );
        let old = message(cert(|t| t.legacy_versions = vec!["TLSv1.0".into()]));
        assert!(
            old.contains("still accepts TLS 1.0 besides TLS 1.3"),
            "{old}"
        );
    }
}
