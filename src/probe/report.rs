//! What a probe found: [`ProbeReport`], serialized as the stable `--json` output of `mailsetup probe`.
//!
//! The top level carries the same `verdict` and `findings` as the core's [`crate::Report`] (so a
//! consumer parses findings the same way whichever command produced them), and beside them the
//! details of every endpoint probed. JSON keys are camelCase; times are milliseconds as numbers
//! (`startMs` from the endpoint's start, `ms` a duration).
//!
//! ```json
//! {
//!   "verdict": "ok",
//!   "findings": [],
//!   "targets": ["imaps://127.0.0.2:10993"],
//!   "checkedAt": "2025-11-26T08:00:00Z",
//!   "ms": 5.1,
//!   "endpoints": [{
//!     "protocol": "imap", "host": "127.0.0.2", "port": 10993,
//!     "expected": "tls", "security": "tls", "role": "given", "secure": true,
//!     "verdict": "ok", "findings": [],
//!     "timeline": [{ "stage": "connect", "startMs": 0.0, "ms": 0.2, "ok": true, "detail": "127.0.0.2:10993" }, …],
//!     "addresses": ["127.0.0.2"], "address": "127.0.0.2:10993",
//!     "tls": { "version": "TLSv1.3", "cipherSuite": "TLS_AES_256_GCM_SHA384", "verified": true, … },
//!     "greeting": "* OK [CAPABILITY …] ready.",
//!     "capabilities": { "afterTls": ["IMAP4rev1", "AUTH=PLAIN", …] },
//!     "auth": { "afterTls": ["PLAIN", "LOGIN"], "cleartextPasswordOffered": false },
//!     "bytesReceived": 3412, "ms": 4.9
//!   }]
//! }
//! ```

use crate::diagnostic::{Finding, Report, Verdict};
use crate::model::{labels, Protocol, Security, Settings};
use serde::Serialize;

/// The result of `mailsetup probe`: the verdict and findings (the core's shape), the settings that
/// were compared with reality, and every endpoint's details.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProbeReport {
    /// The worst severity among `findings`, or `ok`.
    pub verdict: Verdict,
    /// Every finding, worst first: the endpoints' own, the comparison with the configured settings,
    /// and (when settings were given) the static checks of `mailsetup check`.
    pub findings: Vec<Finding>,
    /// The targets as given.
    pub targets: Vec<String>,
    /// The settings compared with what the server does (from `--security`, `--auth`, … ).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub configured: Option<Settings>,
    /// `configured` with every fix applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed: Option<Settings>,
    /// When the probe ran (UTC, RFC 3339); certificate lifetimes are counted from here.
    pub checked_at: String,
    /// Wall time of the whole probe.
    pub ms: f64,
    /// Every endpoint probed, in the order of the targets (alternatives last).
    pub endpoints: Vec<EndpointReport>,
}

impl ProbeReport {
    /// The findings as a core [`Report`] (for renderers shared with `check`).
    pub fn as_report(&self) -> Report {
        Report {
            verdict: self.verdict,
            provider: None,
            findings: self.findings.clone(),
            fixed: self.fixed.clone(),
        }
    }

    /// True when any finding is at error severity.
    pub fn has_errors(&self) -> bool {
        self.verdict == Verdict::Error
    }
}

/// Why an endpoint was probed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Named by the person (a port was given, or the settings name it).
    Given,
    /// One of the protocol's standard endpoints, probed because no port was given.
    Standard,
    /// A standard endpoint probed because the configured one failed, to find the fix.
    Alternative,
}

/// One stage of the conversation with an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StageKind {
    /// Looking up the host's addresses.
    Resolve,
    /// The TCP connection.
    Connect,
    /// The TLS handshake (implicit, or after STARTTLS).
    Tls,
    /// Reading the server's greeting.
    Greeting,
    /// The capabilities before TLS (IMAP CAPABILITY, POP3 CAPA, SMTP EHLO).
    Capabilities,
    /// The STARTTLS command (POP3: STLS).
    Starttls,
    /// The capabilities inside TLS.
    CapabilitiesAfterTls,
    /// The STARTTLS command-injection test, on a connection of its own.
    InjectionTest,
    /// After a refused modern handshake, one offering TLS 1.0–1.2 with the older cipher suites,
    /// on a connection of its own: which version and suite the server would use.
    LegacyTls,
    /// After a modern handshake that worked, TLS 1.1 and 1.0 handshakes on connections of their
    /// own: whether the server still accepts them (RFC 8996).
    OldTlsVersions,
    /// A cleartext login command tried without a password on a connection of its own (POP3
    /// `USER`): whether the server takes the cleartext login it announces.
    CleartextLoginCheck,
    /// The `--login` credential check.
    Login,
    /// The goodbye (LOGOUT, QUIT).
    Logout,
}

impl StageKind {
    /// The stage's name as in the JSON (`capabilities-after-tls`).
    pub const fn as_str(self) -> &'static str {
        match self {
            StageKind::Resolve => "resolve",
            StageKind::Connect => "connect",
            StageKind::Tls => "tls",
            StageKind::Greeting => "greeting",
            StageKind::Capabilities => "capabilities",
            StageKind::Starttls => "starttls",
            StageKind::CapabilitiesAfterTls => "capabilities-after-tls",
            StageKind::InjectionTest => "injection-test",
            StageKind::LegacyTls => "legacy-tls",
            StageKind::OldTlsVersions => "old-tls-versions",
            StageKind::CleartextLoginCheck => "cleartext-login-check",
            StageKind::Login => "login",
            StageKind::Logout => "logout",
        }
    }
}

/// A timed stage.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stage {
    /// Which stage.
    pub stage: StageKind,
    /// When it began, from the endpoint's start.
    pub start_ms: f64,
    /// How long it took.
    pub ms: f64,
    /// The stage went as a working server's would.
    pub ok: bool,
    /// What happened, in a few words (the address, the TLS version, the greeting, the error).
    pub detail: String,
}

/// The details of one endpoint (host, port, protocol and security).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EndpointReport {
    /// The protocol expected, or the one recognised from the greeting; absent when neither is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocol: Option<Protocol>,
    /// The host as given (lower case, IDNA A-labels) or an IP literal.
    pub host: String,
    /// The TCP port.
    pub port: u16,
    /// The security asked for or implied by the port; absent when it was to be detected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<Security>,
    /// The security actually obtained: `tls` (implicit TLS worked), `starttls` (the upgrade
    /// worked) or `none` (the conversation stayed in cleartext: no STARTTLS); absent when
    /// nothing got that far, or when TLS was begun and failed (the failure says how).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security: Option<Security>,
    /// Why this endpoint was probed.
    pub role: Role,
    /// TLS completed, the certificate verified for the host name, and the server greeted.
    pub secure: bool,
    /// The worst severity among this endpoint's findings.
    pub verdict: Verdict,
    /// This endpoint's findings (also in the report's top-level `findings`).
    pub findings: Vec<Finding>,
    /// Every stage, in order, with its time.
    pub timeline: Vec<Stage>,
    /// The host's addresses (an IP literal gives itself).
    pub addresses: Vec<String>,
    /// The address that accepted the connection.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// The TLS session and certificate chain, when a handshake completed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls: Option<TlsInfo>,
    /// A TLS handshake was answered with a cleartext greeting (the probe then went on without TLS).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub implicit_tls_answered_in_cleartext: bool,
    /// The server's first line (and continuation lines for SMTP), as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub greeting: Option<String>,
    /// The capabilities listed before and after TLS.
    pub capabilities: Capabilities,
    /// The STARTTLS upgrade, on an endpoint that began in cleartext.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub starttls: Option<StarttlsInfo>,
    /// The authentication offered before and after TLS.
    pub auth: AuthInfo,
    /// POP3's "leave on server" options, for a POP3 server that lists its capabilities.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pop3: Option<Pop3Info>,
    /// SMTP submission's extensions, for an SMTP server that answered EHLO.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub smtp: Option<SmtpInfo>,
    /// The credential check, with `--login`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub login: Option<LoginInfo>,
    /// What went wrong, when the conversation could not be completed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
    /// Bytes received from the server on the main connection (TLS records included).
    pub bytes_received: u64,
    /// Wall time of this endpoint.
    pub ms: f64,
}

impl EndpointReport {
    /// The report of an endpoint before anything was observed.
    pub fn new(
        host: &str,
        port: u16,
        protocol: Option<Protocol>,
        expected: Option<Security>,
        role: Role,
    ) -> EndpointReport {
        EndpointReport {
            protocol,
            host: host.to_string(),
            port,
            expected,
            security: None,
            role,
            secure: false,
            verdict: Verdict::Ok,
            findings: Vec::new(),
            timeline: Vec::new(),
            addresses: Vec::new(),
            address: None,
            tls: None,
            implicit_tls_answered_in_cleartext: false,
            greeting: None,
            capabilities: Capabilities::default(),
            starttls: None,
            auth: AuthInfo::default(),
            pop3: None,
            smtp: None,
            login: None,
            failure: None,
            bytes_received: 0,
            ms: 0.0,
        }
    }

    /// TLS worked on the conversation (implicit TLS or STARTTLS), whatever the certificate.
    pub fn secure_transport(&self) -> bool {
        matches!(self.security, Some(Security::Tls | Security::Starttls))
    }

    /// `127.0.0.2:993 (IMAP, implicit TLS)`: the security obtained, else the one expected.
    pub fn label(&self) -> String {
        labels::endpoint(
            &self.host,
            self.port,
            self.protocol,
            self.security.or(self.expected),
        )
    }
}

/// The negotiated TLS session and the server's certificate.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TlsInfo {
    /// `TLSv1.3` or `TLSv1.2`.
    pub version: String,
    /// The cipher suite as IANA names it (`TLS_AES_256_GCM_SHA384`,
    /// `TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384`).
    pub cipher_suite: String,
    /// The key exchange group (`X25519`), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_exchange: Option<String>,
    /// `ca-file` (only `--ca-file` is trusted) or `webpki-roots` (the usual public roots).
    pub trust: &'static str,
    /// The chain verified to a trusted root and the name matched.
    pub verified: bool,
    /// What is wrong with the chain (the name is judged apart, in `nameMatches`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chain_problem: Option<CertProblem>,
    /// The chain's problem in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chain_error: Option<String>,
    /// The name checked against the certificate (RFC 7817: the host as configured).
    pub name_checked: String,
    /// The certificate names `nameChecked` (in its subject alternative names).
    pub name_matches: bool,
    /// Obsolete versions the server still accepts in a handshake of their own (`TLSv1.0`,
    /// `TLSv1.1`; RFC 8996 deprecates them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub legacy_versions: Vec<String>,
    /// The chain as the server sent it, leaf first.
    pub chain: Vec<CertInfo>,
}

/// Why a certificate chain did not verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CertProblem {
    /// Not issued by a trusted root (an unknown CA, a bad signature, the wrong purpose, …).
    Untrusted,
    /// Self-signed: no authority vouches for it.
    SelfSigned,
    /// The server sent its certificate without the intermediate that links it to an authority.
    IncompleteChain,
    /// Past its `notAfter` date.
    Expired,
    /// Before its `notBefore` date.
    NotYetValid,
}

/// One certificate of the chain.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CertInfo {
    /// The subject's distinguished name (`CN=mail.example.com`).
    pub subject: String,
    /// The issuer's distinguished name.
    pub issuer: String,
    /// Subject alternative names: DNS names and IP addresses.
    pub sans: Vec<String>,
    /// RFC 3339, UTC.
    pub not_before: String,
    /// RFC 3339, UTC.
    pub not_after: String,
    /// Whole days from the probe's time to `notAfter` (negative once expired).
    pub days_left: i64,
    /// Whole days from the probe's time to `notBefore`, while it is ahead (a certificate not
    /// valid yet); absent once it has passed.
    #[serde(skip_serializing_if = "is_not_positive")]
    pub days_until_valid: i64,
    /// `RSA`, `EC P-256`, `Ed25519`, …
    pub key_type: String,
    /// The key's size in bits.
    pub key_bits: u32,
    /// The signature algorithm (`sha256WithRSAEncryption`, `ecdsa-with-SHA256`, or its OID).
    pub signature_algorithm: String,
    /// The serial number (hexadecimal bytes, colon-separated).
    pub serial: String,
    /// Subject and issuer are the same name.
    pub self_signed: bool,
    /// A CA certificate (basic constraints CA:TRUE).
    pub is_ca: bool,
    /// The subject's common name (CN), which clients ignore for the name check (RFC 6125).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub common_name: Option<String>,
}

fn is_not_positive(n: &i64) -> bool {
    *n <= 0
}

/// Capabilities as listed by the server (IMAP CAPABILITY atoms, POP3 CAPA lines, SMTP EHLO
/// keywords with their parameters).
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Capabilities {
    /// As listed in cleartext.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before_tls: Option<Vec<String>>,
    /// As listed inside TLS.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_tls: Option<Vec<String>>,
}

/// The STARTTLS upgrade on a cleartext port.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StarttlsInfo {
    /// Listed in the capabilities before TLS.
    pub advertised: bool,
    /// The command was accepted.
    pub accepted: bool,
    /// The server's answer to the command.
    pub response: String,
    /// Cleartext bytes that followed the answer before the handshake, discarded.
    pub discarded_bytes: usize,
    /// The result of the command-injection test (a second connection).
    pub injection: Injection,
}

/// Whether the server runs commands pipelined after STARTTLS inside the TLS session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "result")]
pub enum Injection {
    /// The injected command was not answered inside TLS (or the server aborted the handshake).
    NotVulnerable {
        /// How the server avoided it.
        how: String,
    },
    /// The injected command was answered inside TLS.
    Vulnerable {
        /// The answer to the injected command.
        answer: String,
    },
    /// The test could not tell (STARTTLS refused, connection failed, …).
    Inconclusive {
        /// Why.
        why: String,
    },
    /// Not run (no STARTTLS on this endpoint).
    NotTested,
}

/// Authentication offered before and after TLS.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthInfo {
    /// SASL mechanisms (and `LOGIN`/`USER` commands) offered before TLS.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before_tls: Option<Vec<String>>,
    /// SASL mechanisms (and `LOGIN`/`USER` commands) offered inside TLS.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_tls: Option<Vec<String>>,
    /// IMAP LOGINDISABLED before TLS.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub login_disabled_before_tls: Option<bool>,
    /// A cleartext password login was offered without TLS (and, where it could be tried
    /// without a password, was not refused).
    pub cleartext_password_offered: bool,
    /// The server's refusal of a cleartext login command tried before TLS without a password
    /// (POP3 `USER`): it announces the command but does not take it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cleartext_refused: Option<String>,
}

/// POP3 options that decide whether "leave a copy on the server" works.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pop3Info {
    /// UIDL: unique message identifiers, which "leave on server" needs.
    pub uidl: bool,
    /// `EXPIRE` as sent (`NEVER`, `0`, `30`, `30 USER`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expire: Option<String>,
    /// `LOGIN-DELAY` seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub login_delay: Option<u64>,
    /// TOP: headers without the whole message.
    pub top: bool,
    /// PIPELINING: commands sent without waiting for each answer.
    pub pipelining: bool,
    /// The greeting carries an APOP timestamp.
    pub apop: bool,
}

/// SMTP submission extensions (after TLS when there was TLS).
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SmtpInfo {
    /// `SIZE` limit in bytes, when the server declares one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// `SIZE` without a limit (bare `SIZE`, or `SIZE 0`): no fixed limit (RFC 1870 §4).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub no_size_limit: bool,
    /// 8BITMIME: 8-bit message bodies.
    pub eight_bit_mime: bool,
    /// SMTPUTF8: internationalized addresses and headers.
    pub smtputf8: bool,
    /// PIPELINING: commands sent without waiting for each answer.
    pub pipelining: bool,
    /// CHUNKING: BDAT, message data in chunks.
    pub chunking: bool,
    /// ENHANCEDSTATUSCODES: `5.7.8`-style codes beside the reply codes.
    pub enhanced_status_codes: bool,
    /// AUTH mechanisms.
    pub auth: Vec<String>,
}

/// The credential check of `--login`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginInfo {
    /// The user name the login was checked for.
    pub user: String,
    /// `accepted`, `rejected`, `inconclusive` or `not-attempted`.
    pub result: LoginResult,
    /// The command or mechanism used (`AUTHENTICATE PLAIN`, `USER/PASS`, `AUTH LOGIN`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mechanism: Option<String>,
    /// The server's answer, or why nothing was sent.
    pub response: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
/// What became of the credentials.
pub enum LoginResult {
    /// The server accepted them.
    Accepted,
    /// The server refused them.
    Rejected,
    /// The server did not say whether they are right: it deferred the login (`[LOGIN-DELAY]`,
    /// `[IN-USE]`, `[UNAVAILABLE]`, an SMTP 4xx), did not answer in time, or closed.
    Inconclusive,
    /// Nothing was sent: no TLS, an unverified certificate, or no usable login command.
    NotAttempted,
}

/// Why the conversation with an endpoint stopped early.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Failure {
    /// The stage that failed.
    pub stage: StageKind,
    /// What kind of failure (one finding each).
    pub kind: FailureKind,
    /// What happened, with the server's words where it gave some.
    pub message: String,
}

/// The kinds of failure, each with its own finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailureKind {
    /// The name did not resolve (N001).
    NotFound,
    /// No TCP connection (N002).
    ConnectFailed,
    /// A deadline passed (N003).
    Timeout,
    /// Another protocol answered (N004).
    WrongProtocol,
    /// The greeting refused service (N005).
    Refused,
    /// The server closed the connection (N006).
    Closed,
    /// A line or answer over the caps (N007).
    TooLong,
    /// This computer could not open a connection (too many open files): nothing is known about
    /// the server (N008).
    Local,
    /// TLS failed (N101).
    Tls,
    /// The server speaks only obsolete TLS (N102).
    TlsObsolete,
    /// The server speaks TLS 1.2 only with cipher suites the probe does not offer (N109).
    TlsLegacyCiphers,
    /// A cleartext greeting where TLS was expected (N108).
    CleartextOnTlsPort,
    /// STARTTLS not offered (N201).
    StarttlsUnavailable,
    /// STARTTLS advertised but refused (N202).
    StarttlsRefused,
}
