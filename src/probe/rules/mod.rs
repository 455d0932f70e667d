//! N: what a real connection shows — the rules behind the findings of `mailsetup probe`, each
//! with its documentation, its check and its vectors, in a file by what it checks:
//!
//! - [`connection`]: N0xx reaching the server;
//! - [`tls`]: N1xx TLS and certificates;
//! - [`starttls`]: N2xx STARTTLS and cleartext;
//! - [`login`]: N3xx logging in;
//! - [`pop3`]: N4xx POP3 options;
//! - [`smtp`]: N5xx SMTP submission (per host);
//! - [`settings`]: N6xx the configured settings against what the server does.
//!
//! The checks judge what a server did, not what a person typed: they are pure functions of the
//! probe's reports ([`EndpointReport`]). Only the native probe (feature `probe`) makes reports,
//! but the rules compile everywhere, so `mailsetup rules N104`, the rules page and the documents
//! module's `rules()` explain them. Their vectors are report fixtures and the findings the checks
//! must give; the probe's tests (`tests/probe_*.rs`, against a real Dovecot and misbehaving peers)
//! produce each one for real.
//!
//! Fields: a finding about one probed endpoint names it by its index in the probe report
//! (`endpoints.0.certificate`, `endpoints.1.starttls`, …); a finding about the settings the person
//! gave uses the settings' own paths (`security`, `port`, `auth`), with a fix where one is known.

pub mod connection;
pub mod login;
pub mod pop3;
pub mod settings;
pub mod smtp;
pub mod starttls;
pub mod tls;

pub use settings::{compare, Configured};

use super::report::EndpointReport;
use crate::diagnostic::{Finding, FixValue, Rule};
use crate::text::Escaped;

/// An endpoint's own findings; `i` is its index in the report (for field paths). In a fixed
/// order: why the conversation stopped, then TLS and the certificate, STARTTLS and cleartext,
/// logging in, POP3, SMTP.
pub fn endpoint(i: usize, e: &EndpointReport) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(fail) = &e.failure {
        let stopped = connection::failure(i, e, fail)
            .or_else(|| tls::failure(i, e, fail))
            .or_else(|| starttls::failure(i, e, fail));
        out.extend(stopped);
    }
    tls::check(i, e, &mut out);
    starttls::check(i, e, &mut out);
    login::check(i, e, &mut out);
    pop3::check(i, e, &mut out);
    out
}

/// Findings about the probe as a whole: hosts that do not resolve, protocols without a secure
/// endpoint, STARTTLS without implicit TLS. `all_protocols`: every protocol's standard endpoints
/// were probed because no target named one.
pub fn overall(endpoints: &[EndpointReport], all_protocols: bool) -> Vec<Finding> {
    let mut out = connection::unresolved(endpoints);
    let unresolved = !out.is_empty();
    out.extend(connection::local(endpoints));
    settings::endpoints(endpoints, all_protocols, unresolved, &mut out);
    smtp::overall(endpoints, &mut out);
    out
}

/// `endpoints.{i}.{part}`: a finding about endpoint `i`.
fn field(i: usize, part: &str) -> String {
    format!("endpoints.{i}.{part}")
}

/// A finding. Messages quote what servers, certificates and DNS said; whatever the rule put in,
/// control characters, escape sequences and direction overrides come out as visible escapes,
/// so a finding is safe on a terminal wherever it is shown.
fn finding(
    rule: &'static Rule,
    field: String,
    message: String,
    help: impl Into<String>,
    fix: Option<FixValue>,
) -> Finding {
    let help = help.into();
    rule.finding(
        field,
        Escaped(&message).to_string(),
        Escaped(&help).to_string(),
        fix,
    )
}

/// The vectors' shape and fixtures: probe reports as the session would write them, built without
/// a network.
#[cfg(test)]
pub(crate) mod vectors {
    pub use super::Configured;
    use super::*;
    use crate::model::{Protocol, Security};
    use crate::probe::report::{CertInfo, Failure, FailureKind, Role, StageKind, TlsInfo};

    /// What a check reads.
    #[allow(clippy::large_enum_variant)] // fixtures, built once per vector
    pub enum Input {
        /// One endpoint's own findings ([`endpoint`]).
        Endpoint(EndpointReport),
        /// The probe as a whole ([`overall`]); `true` when every protocol was probed.
        Overall(Vec<EndpointReport>, bool),
        /// The configured settings against the endpoints ([`compare`]).
        Compare(Configured, Vec<EndpointReport>),
    }

    /// A report fixture and the codes of the findings it must give, in order.
    pub struct Vector {
        pub what: &'static str,
        pub input: Input,
        pub codes: &'static [&'static str],
    }

    impl Vector {
        fn findings(&self) -> Vec<Finding> {
            match &self.input {
                Input::Endpoint(e) => super::endpoint(0, e),
                Input::Overall(eps, all) => overall(eps, *all),
                Input::Compare(cfg, eps) => compare(cfg, eps),
            }
        }
    }

    /// Checks every vector, and that each of a family's `rules` fires in some vector and some
    /// vector gives none of them.
    #[track_caller]
    pub fn run(rules: &[&Rule], vectors: &[Vector]) {
        let mut failures = Vec::new();
        let mut fired: Vec<&str> = Vec::new();
        let mut a_pass = false;
        for v in vectors {
            let found = v.findings();
            let codes: Vec<&str> = found.iter().map(|f| f.code).collect();
            if codes != v.codes {
                failures.push(format!(
                    "{}: expected {:?}, got {:#?}",
                    v.what,
                    v.codes,
                    found
                        .iter()
                        .map(|f| format!("{} {}: {}", f.code, f.field, f.message))
                        .collect::<Vec<_>>()
                ));
            }
            fired.extend(&codes);
            a_pass |= !codes.iter().any(|c| rules.iter().any(|r| r.code == *c));
        }
        for r in rules {
            if !fired.contains(&r.code) {
                failures.push(format!("{} ({}) fires in no vector", r.code, r.name));
            }
        }
        if !a_pass {
            failures.push("no vector where the family stays silent".into());
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// An endpoint on `mail.example.com` before anything was observed.
    pub fn endpoint(
        protocol: Protocol,
        port: u16,
        expected: Security,
        role: Role,
    ) -> EndpointReport {
        EndpointReport::new(
            "mail.example.com",
            port,
            Some(protocol),
            Some(expected),
            role,
        )
    }

    /// `e` changed by `f`.
    pub fn with(mut e: EndpointReport, f: impl FnOnce(&mut EndpointReport)) -> EndpointReport {
        f(&mut e);
        e
    }

    /// `e` whose conversation stopped at `stage`.
    pub fn failed(
        e: EndpointReport,
        stage: StageKind,
        kind: FailureKind,
        message: &str,
    ) -> EndpointReport {
        with(e, |e| {
            e.failure = Some(Failure {
                stage,
                kind,
                message: message.into(),
            })
        })
    }

    /// `e` after a conversation that went well with `security`: greeted, TLS 1.3 with a verified
    /// certificate that has 300 days left.
    pub fn secure(e: EndpointReport, security: Security) -> EndpointReport {
        with(e, |e| {
            e.security = Some(security);
            e.secure = true;
            e.greeting = Some("* OK ready".into());
            e.tls = Some(TlsInfo {
                version: "TLSv1.3".into(),
                cipher_suite: "TLS_AES_256_GCM_SHA384".into(),
                key_exchange: Some("X25519".into()),
                trust: "ca-file",
                verified: true,
                chain_problem: None,
                chain_error: None,
                name_checked: e.host.clone(),
                name_matches: true,
                chain: vec![CertInfo {
                    subject: "CN=mail.example.com".into(),
                    issuer: "CN=Test CA".into(),
                    sans: vec![e.host.clone()],
                    not_before: "2025-01-01T00:00:00Z".into(),
                    not_after: "2026-01-01T00:00:00Z".into(),
                    days_left: 300,
                    days_until_valid: 0,
                    key_type: "EC P-256".into(),
                    key_bits: 256,
                    signature_algorithm: "ecdsa-with-SHA256".into(),
                    serial: "01".into(),
                    self_signed: false,
                    is_ca: false,
                    common_name: Some("mail.example.com".into()),
                }],
                legacy_versions: Vec::new(),
            });
        })
    }
}
