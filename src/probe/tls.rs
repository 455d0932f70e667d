//! TLS for the probe: rustls configuration, a verifier that records its verdict instead of
//! aborting, and certificate details. (The legacy handshake is in `legacy_tls.rs`.)

use super::report::{CertInfo, CertProblem, TlsInfo};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{verify_server_name, WebPkiServerVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use std::net::IpAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// The most a `--ca-file` may hold: every other input file is capped at 1 MiB too.
pub const MAX_CA_FILE: u64 = 1 << 20;

/// Which roots certificates are verified against.
#[derive(Debug, Clone)]
pub enum Trust {
    /// The usual public web roots (Mozilla's set, compiled in through `webpki-roots`).
    WebPkiRoots,
    /// Only the certificates of a PEM file (`--ca-file`): a private CA, a test CA, or a server's
    /// own self-signed certificate (trusted when the server presents exactly that one).
    CaFile(Vec<CertificateDer<'static>>),
}

impl Trust {
    /// Reads every certificate of a PEM file, refusing one larger than [`MAX_CA_FILE`] without
    /// reading it all (`/dev/zero`, a huge file) and anything that is not a file.
    pub fn from_pem_file(path: &Path) -> Result<Trust, String> {
        use std::io::Read;
        let shown = path.display();
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_CA_FILE + 1).read_to_end(&mut bytes))
            .map_err(|e| format!("cannot read CA file {shown}: {e}"))?;
        Trust::from_pem(&bytes, &shown.to_string())
    }

    /// Every certificate of PEM text; `shown` names it in messages.
    pub fn from_pem(bytes: &[u8], shown: &str) -> Result<Trust, String> {
        use rustls::pki_types::pem::PemObject;
        if bytes.len() as u64 > MAX_CA_FILE {
            return Err(format!(
                "CA file {shown} is larger than {MAX_CA_FILE} bytes; that is not a CA file"
            ));
        }
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(bytes)
            .collect::<Result<_, _>>()
            .map_err(|e| format!("CA file {shown} is not valid PEM: {e}"))?;
        if certs.is_empty() {
            return Err(format!("CA file {shown} holds no certificate (expected PEM `-----BEGIN CERTIFICATE-----` blocks)"));
        }
        Ok(Trust::CaFile(certs))
    }

    /// `webpki-roots` or `ca-file`, as the report says.
    pub fn label(&self) -> &'static str {
        match self {
            Trust::WebPkiRoots => "webpki-roots",
            Trust::CaFile(_) => "ca-file",
        }
    }
}

/// Built once per probe, on the first handshake: the crypto provider and the standard verifier.
#[derive(Debug)]
pub struct TlsSetup {
    provider: Arc<CryptoProvider>,
    verifier: Arc<WebPkiServerVerifier>,
    /// The `--ca-file` certificates: one of them served as the server's own certificate is
    /// trusted as it is (as OpenSSL does with `-CAfile`), self-signed CA or not.
    pinned: Arc<Vec<CertificateDer<'static>>>,
    pub trust: &'static str,
}

impl TlsSetup {
    pub fn new(trust: &Trust) -> Result<TlsSetup, String> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = RootCertStore::empty();
        let mut pinned = Vec::new();
        match trust {
            Trust::WebPkiRoots => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
            Trust::CaFile(certs) => {
                for c in certs {
                    roots.add(c.clone()).map_err(|e| {
                        format!("a certificate of the CA file is not usable as a root: {e}")
                    })?;
                }
                pinned = certs.clone();
            }
        }
        let verifier =
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                .build()
                .map_err(|e| format!("cannot build the certificate verifier: {e}"))?;
        Ok(TlsSetup {
            provider,
            verifier,
            pinned: Arc::new(pinned),
            trust: trust.label(),
        })
    }

    /// A client configuration for one handshake, with its own observer. TLS 1.2 and 1.3 only;
    /// no session resumption (every probe sees the full handshake and the certificate).
    pub fn config(&self) -> (Arc<ClientConfig>, Arc<DangerousObservingVerifier>) {
        let observer = Arc::new(DangerousObservingVerifier {
            inner: self.verifier.clone(),
            pinned: self.pinned.clone(),
            seen: Mutex::new(Observation::default()),
        });
        let mut config = ClientConfig::builder_with_provider(self.provider.clone())
            .with_protocol_versions(rustls::ALL_VERSIONS)
            .expect("ring supports TLS 1.2 and 1.3")
            .dangerous()
            .with_custom_certificate_verifier(observer.clone())
            .with_no_client_auth();
        config.resumption = rustls::client::Resumption::disabled();
        (Arc::new(config), observer)
    }
}

/// What the verifier saw during one handshake.
#[derive(Debug, Default, Clone)]
pub struct Observation {
    /// The chain as sent, leaf first.
    pub chain: Vec<CertificateDer<'static>>,
    /// The chain's verdict (trusted root, validity dates, purpose), apart from the name.
    pub chain_error: Option<rustls::Error>,
    /// The name check (RFC 7817 / RFC 6125 against the subject alternative names).
    pub name_error: Option<rustls::Error>,
    /// Whether the verifier ran at all.
    pub ran: bool,
}

/// A certificate verifier that runs the standard webpki verification, records the verdict, and
/// lets the handshake go on whatever it is. DANGEROUS by design: it exists so the probe can report
/// everything a server does even when its certificate is bad. The probe marks such a connection
/// as not secure and never sends credentials over it. Handshake signatures are still verified.
#[derive(Debug)]
pub struct DangerousObservingVerifier {
    inner: Arc<WebPkiServerVerifier>,
    pinned: Arc<Vec<CertificateDer<'static>>>,
    seen: Mutex<Observation>,
}

impl DangerousObservingVerifier {
    pub fn observation(&self) -> Observation {
        self.seen.lock().map(|o| o.clone()).unwrap_or_default()
    }
}

fn is_name_error(e: &rustls::Error) -> bool {
    matches!(
        e,
        rustls::Error::InvalidCertificate(
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. }
        )
    )
}

impl ServerCertVerifier for DangerousObservingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verdict = self.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        );
        // webpki checks the chain first and the name last; when the chain fails, check the name
        // on its own so the report tells both.
        let (mut chain_error, name_error) = match verdict {
            Ok(_) => (None, None),
            Err(e) if is_name_error(&e) => (None, Some(e)),
            Err(e) => {
                let name = ParsedCertificate::try_from(end_entity)
                    .and_then(|c| verify_server_name(&c, server_name))
                    .err();
                (Some(e), name)
            }
        };
        // The server presents a certificate the --ca-file holds as it is (a self-signed one made
        // with `openssl req -x509`, CA:TRUE, which webpki refuses as a server's own): trusted,
        // within its validity dates, as OpenSSL trusts it. The name is still checked.
        if chain_error.is_some()
            && self
                .pinned
                .iter()
                .any(|p| p.as_ref() == end_entity.as_ref())
        {
            chain_error = validity_error(end_entity, now);
        }
        let chain = std::iter::once(end_entity)
            .chain(intermediates)
            .map(|c| c.clone().into_owned())
            .collect();
        if let Ok(mut seen) = self.seen.lock() {
            *seen = Observation {
                chain,
                chain_error,
                name_error,
                ran: true,
            };
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// The name to verify and send as SNI: the host as given (RFC 7817 §3), or `--tls-name`.
pub fn server_name(name: &str) -> Result<ServerName<'static>, String> {
    if let Ok(ip) = name.parse::<IpAddr>() {
        return Ok(ServerName::IpAddress(ip.into()));
    }
    ServerName::try_from(name.to_owned()).map_err(|_| {
        format!("{name:?} cannot be checked against a certificate (not a DNS name or IP address)")
    })
}

/// The validity dates of a certificate against `now`: `None` within them.
fn validity_error(der: &CertificateDer<'_>, now: UnixTime) -> Option<rustls::Error> {
    use x509_parser::prelude::*;
    let Ok((_, cert)) = X509Certificate::from_der(der.as_ref()) else {
        return Some(rustls::Error::InvalidCertificate(
            CertificateError::BadEncoding,
        ));
    };
    let now = now.as_secs() as i64;
    if now < cert.validity().not_before.timestamp() {
        Some(rustls::Error::InvalidCertificate(
            CertificateError::NotValidYet,
        ))
    } else if now > cert.validity().not_after.timestamp() {
        Some(rustls::Error::InvalidCertificate(CertificateError::Expired))
    } else {
        None
    }
}

/// What is wrong with a chain, in plain words and as a kind, knowing the chain as sent (leaf
/// first): a self-signed certificate, a leaf sent without its intermediate, a CA certificate
/// used as a server's, an unknown authority, dates.
pub fn diagnose(e: &rustls::Error, chain: &[CertInfo], trust: &str) -> (CertProblem, String) {
    let roots = match trust {
        "ca-file" => "the --ca-file certificates",
        _ => "the usual public authorities",
    };
    let leaf = chain.first();
    let self_signed = leaf.is_some_and(|c| c.self_signed);
    let ca_as_leaf = matches!(e, rustls::Error::InvalidCertificate(CertificateError::Other(o))
        if o.to_string().contains("CaUsedAsEndEntity"));
    match e {
        rustls::Error::InvalidCertificate(c) => match c {
            _ if self_signed && (ca_as_leaf || matches!(c, CertificateError::UnknownIssuer)) => (
                CertProblem::SelfSigned,
                format!(
                    "self-signed: it vouches for itself, no authority signed it{}; it is not among {roots}",
                    if leaf.is_some_and(|c| c.is_ca) {
                        ", and it is marked as a CA certificate (CA:TRUE, as `openssl req -x509` makes it)"
                    } else {
                        ""
                    }
                ),
            ),
            _ if ca_as_leaf => (
                CertProblem::Untrusted,
                "a CA certificate (CA:TRUE) used as the server's own, which clients refuse".into(),
            ),
            CertificateError::UnknownIssuer if chain.len() == 1 => (
                CertProblem::IncompleteChain,
                format!(
                    "sent alone, without the intermediate certificate that links it to the authority it names ({}), which is not among {roots}: the intermediate is missing (or that authority is not trusted)",
                    leaf.map_or("?", |c| c.issuer.as_str())
                ),
            ),
            CertificateError::UnknownIssuer => (
                CertProblem::Untrusted,
                format!(
                    "issued by an authority that is not among {roots} ({})",
                    chain.last().map_or("?", |c| c.issuer.as_str())
                ),
            ),
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                (CertProblem::Expired, "expired".into())
            }
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                (CertProblem::NotYetValid, "not valid yet".into())
            }
            CertificateError::BadSignature => (CertProblem::Untrusted, "badly signed".into()),
            CertificateError::BadEncoding => {
                (CertProblem::Untrusted, "not a well-formed certificate".into())
            }
            CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => (
                CertProblem::Untrusted,
                "not meant for TLS servers (its extended key usage)".into(),
            ),
            CertificateError::Revoked => (CertProblem::Untrusted, "revoked".into()),
            CertificateError::UnsupportedSignatureAlgorithmContext { .. } => (
                CertProblem::Untrusted,
                "signed with an algorithm current clients do not accept".into(),
            ),
            CertificateError::Other(o) => (
                CertProblem::Untrusted,
                format!("refused by the certificate checks ({o})"),
            ),
            other => (
                CertProblem::Untrusted,
                format!("refused by the certificate checks ({other:?})"),
            ),
        },
        other => (CertProblem::Untrusted, other.to_string()),
    }
}

/// `TLSv1_3` → `TLSv1.3`.
pub fn version_name(v: rustls::ProtocolVersion) -> String {
    super::legacy_tls::version_name(u16::from(v))
}

/// A cipher suite's names and what kind it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SuiteNames {
    /// As IANA's registry (and OpenSSL for TLS 1.3) names it: `TLS_RSA_WITH_AES_256_CBC_SHA`.
    pub iana: &'static str,
    /// As OpenSSL (and so `openssl s_client`, Postfix, Dovecot settings) names it: `AES256-SHA`.
    pub openssl: &'static str,
    /// The key exchange gives forward secrecy (ECDHE, DHE, TLS 1.3).
    pub forward_secrecy: bool,
    /// Finite-field DHE (RFC 9325 §4.1: not to be used).
    pub ffdhe: bool,
    /// AEAD or SHA-2 MAC: TLS 1.2 only (no TLS 1.0/1.1 server can choose it).
    pub aead_or_sha2: bool,
}

/// The suites a mail server may choose: every one the probe (rustls) offers and every one the
/// legacy ClientHellos offer. Written out because neither rustls nor a crate maps IANA names to
/// OpenSSL's; the names are IANA's TLS Cipher Suites registry and `openssl ciphers -stdname`.
const SUITES: &[(u16, &str, &str)] = &[
    (0x1301, "TLS_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256"),
    (0x1302, "TLS_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384"),
    (
        0x1303,
        "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_CHACHA20_POLY1305_SHA256",
    ),
    (
        0xc02b,
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "ECDHE-ECDSA-AES128-GCM-SHA256",
    ),
    (
        0xc02c,
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "ECDHE-ECDSA-AES256-GCM-SHA384",
    ),
    (
        0xc02f,
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "ECDHE-RSA-AES128-GCM-SHA256",
    ),
    (
        0xc030,
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "ECDHE-RSA-AES256-GCM-SHA384",
    ),
    (
        0xcca8,
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        "ECDHE-RSA-CHACHA20-POLY1305",
    ),
    (
        0xcca9,
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        "ECDHE-ECDSA-CHACHA20-POLY1305",
    ),
    (
        0xc023,
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
        "ECDHE-ECDSA-AES128-SHA256",
    ),
    (
        0xc024,
        "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
        "ECDHE-ECDSA-AES256-SHA384",
    ),
    (
        0xc027,
        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
        "ECDHE-RSA-AES128-SHA256",
    ),
    (
        0xc028,
        "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
        "ECDHE-RSA-AES256-SHA384",
    ),
    (
        0xc009,
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
        "ECDHE-ECDSA-AES128-SHA",
    ),
    (
        0xc00a,
        "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
        "ECDHE-ECDSA-AES256-SHA",
    ),
    (
        0xc013,
        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
        "ECDHE-RSA-AES128-SHA",
    ),
    (
        0xc014,
        "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
        "ECDHE-RSA-AES256-SHA",
    ),
    (
        0x009e,
        "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
        "DHE-RSA-AES128-GCM-SHA256",
    ),
    (
        0x009f,
        "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
        "DHE-RSA-AES256-GCM-SHA384",
    ),
    (
        0xccaa,
        "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        "DHE-RSA-CHACHA20-POLY1305",
    ),
    (
        0x0067,
        "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256",
        "DHE-RSA-AES128-SHA256",
    ),
    (
        0x006b,
        "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
        "DHE-RSA-AES256-SHA256",
    ),
    (
        0x0033,
        "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
        "DHE-RSA-AES128-SHA",
    ),
    (
        0x0039,
        "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
        "DHE-RSA-AES256-SHA",
    ),
    (
        0x009c,
        "TLS_RSA_WITH_AES_128_GCM_SHA256",
        "AES128-GCM-SHA256",
    ),
    (
        0x009d,
        "TLS_RSA_WITH_AES_256_GCM_SHA384",
        "AES256-GCM-SHA384",
    ),
    (0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256", "AES128-SHA256"),
    (0x003d, "TLS_RSA_WITH_AES_256_CBC_SHA256", "AES256-SHA256"),
    (0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA", "AES128-SHA"),
    (0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA", "AES256-SHA"),
    (0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "DES-CBC3-SHA"),
    (0x0005, "TLS_RSA_WITH_RC4_128_SHA", "RC4-SHA"),
    (0x0004, "TLS_RSA_WITH_RC4_128_MD5", "RC4-MD5"),
];

impl SuiteNames {
    /// What rustls (and current clients first) use: forward secrecy by elliptic curves, and
    /// AEAD encryption (AES-GCM, ChaCha20-Poly1305).
    pub fn modern(&self) -> bool {
        self.forward_secrecy
            && !self.ffdhe
            && (self.iana.contains("_GCM_") || self.iana.contains("CHACHA20"))
    }
}

/// The names of a cipher suite by its number; `None` for one the probe never offers.
pub fn suite_names(code: u16) -> Option<SuiteNames> {
    let &(_, iana, openssl) = SUITES.iter().find(|(c, ..)| *c == code)?;
    Some(SuiteNames {
        iana,
        openssl,
        forward_secrecy: iana.starts_with("TLS_ECDHE_")
            || iana.starts_with("TLS_DHE_")
            || !iana.contains("_WITH_"),
        ffdhe: iana.starts_with("TLS_DHE_"),
        aead_or_sha2: iana.contains("GCM")
            || iana.contains("CHACHA")
            || iana.ends_with("SHA256")
            || iana.ends_with("SHA384"),
    })
}

/// The names of a cipher suite by its IANA name (as the report gives it).
pub fn suite_names_of(iana: &str) -> Option<SuiteNames> {
    SUITES
        .iter()
        .find(|(_, name, _)| *name == iana)
        .and_then(|&(code, ..)| suite_names(code))
}

/// The IANA name of a suite by its number (`0x1234` when unknown).
pub fn suite_name(code: u16) -> String {
    suite_names(code).map_or_else(|| format!("0x{code:04x}"), |n| n.iana.to_string())
}

/// Fills the session and certificate details after a handshake.
pub fn session_info(
    conn: &rustls::ClientConnection,
    seen: &Observation,
    trust: &'static str,
    name_checked: &str,
    now_unix: i64,
) -> TlsInfo {
    let chain: Vec<CertInfo> = seen.chain.iter().map(|c| cert_info(c, now_unix)).collect();
    let diagnosis = seen
        .chain_error
        .as_ref()
        .map(|e| diagnose(e, &chain, trust));
    TlsInfo {
        version: conn
            .protocol_version()
            .map(version_name)
            .unwrap_or_else(|| "unknown".into()),
        cipher_suite: conn
            .negotiated_cipher_suite()
            .map(|s| suite_name(u16::from(s.suite())))
            .unwrap_or_else(|| "unknown".into()),
        key_exchange: conn
            .negotiated_key_exchange_group()
            .map(|g| format!("{:?}", g.name())),
        trust,
        verified: seen.ran && seen.chain_error.is_none() && seen.name_error.is_none(),
        chain_problem: diagnosis.as_ref().map(|d| d.0),
        chain_error: diagnosis.map(|d| d.1),
        name_checked: name_checked.to_string(),
        name_matches: seen.ran && seen.name_error.is_none(),
        legacy_versions: Vec::new(),
        chain,
    }
}

/// The details of one certificate; a certificate that does not parse is described as such.
pub fn cert_info(der: &CertificateDer<'_>, now_unix: i64) -> CertInfo {
    use x509_parser::prelude::*;
    use x509_parser::public_key::PublicKey;
    let Ok((_, cert)) = X509Certificate::from_der(der.as_ref()) else {
        return CertInfo {
            subject: "(certificate does not parse)".into(),
            issuer: String::new(),
            sans: Vec::new(),
            not_before: String::new(),
            not_after: String::new(),
            days_left: 0,
            days_until_valid: 0,
            key_type: "unknown".into(),
            key_bits: 0,
            signature_algorithm: String::new(),
            serial: String::new(),
            self_signed: false,
            is_ca: false,
            common_name: None,
        };
    };
    let mut sans = Vec::new();
    if let Ok(Some(ext)) = cert.subject_alternative_name() {
        for n in &ext.value.general_names {
            match n {
                GeneralName::DNSName(d) => sans.push((*d).to_string()),
                GeneralName::IPAddress(b) => sans.push(ip_text(b)),
                _ => {}
            }
        }
    }
    let spki = cert.public_key();
    let (key_type, key_bits) = match spki.parsed() {
        Ok(PublicKey::RSA(k)) => ("RSA".to_string(), k.key_size() as u32),
        Ok(PublicKey::EC(k)) => {
            let bits = k.key_size() as u32;
            let curve = match bits {
                256 => "EC P-256",
                384 => "EC P-384",
                521 | 528 => "EC P-521",
                _ => "EC",
            };
            (curve.to_string(), bits)
        }
        Ok(PublicKey::DSA(_)) => ("DSA".into(), 0),
        _ => match spki.algorithm.algorithm.to_id_string().as_str() {
            "1.3.101.112" => ("Ed25519".into(), 256),
            "1.3.101.113" => ("Ed448".into(), 456),
            other => (other.to_string(), 0),
        },
    };
    let not_before = cert.validity().not_before.timestamp();
    let not_after = cert.validity().not_after.timestamp();
    // x509-parser's registry is built on first use: 30 µs measured (release build), under 1 % of
    // the quickest probe, so no table of our own.
    let oid = &cert.signature_algorithm.algorithm;
    let signature_algorithm =
        x509_parser::objects::oid2sn(oid, x509_parser::objects::oid_registry())
            .map_or_else(|_| oid.to_id_string(), str::to_string);
    let common_name = cert
        .subject()
        .iter_common_name()
        .next()
        .and_then(|cn| cn.as_str().ok())
        .map(str::to_string);
    CertInfo {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        sans,
        not_before: rfc3339(not_before),
        not_after: rfc3339(not_after),
        days_left: (not_after - now_unix).div_euclid(86_400),
        days_until_valid: (not_before - now_unix).div_euclid(86_400).max(0),
        key_type,
        key_bits,
        signature_algorithm,
        serial: cert.raw_serial_as_string(),
        self_signed: cert.subject().as_raw() == cert.issuer().as_raw(),
        is_ca: cert.is_ca(),
        common_name,
    }
}

fn ip_text(b: &[u8]) -> String {
    match b.len() {
        4 => IpAddr::from(<[u8; 4]>::try_from(b).expect("length 4")).to_string(),
        16 => IpAddr::from(<[u8; 16]>::try_from(b).expect("length 16")).to_string(),
        _ => format!("(IP of {} bytes)", b.len()),
    }
}

/// Seconds since 1970 as `YYYY-MM-DDTHH:MM:SSZ` (UTC); outside the years 0–9999, which no
/// certificate or clock gives, the number itself.
pub fn rfc3339(unix: i64) -> String {
    use time::format_description::well_known::Rfc3339;
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| format!("@{unix}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_580_515_200), "2020-02-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(4_102_444_800 - 1), "2099-12-31T23:59:59Z");
        assert_eq!(rfc3339(-86_400), "1969-12-31T00:00:00Z");
        assert_eq!(rfc3339(i64::MAX), format!("@{}", i64::MAX));
    }

    #[test]
    fn the_public_roots_load() {
        let setup = TlsSetup::new(&Trust::WebPkiRoots).unwrap();
        assert_eq!(setup.trust, "webpki-roots");
        let (config, observer) = setup.config();
        assert!(config.alpn_protocols.is_empty());
        assert!(!observer.observation().ran);
    }

    #[test]
    fn server_names() {
        assert!(matches!(
            server_name("127.0.0.2"),
            Ok(ServerName::IpAddress(_))
        ));
        assert!(matches!(server_name("::1"), Ok(ServerName::IpAddress(_))));
        assert!(matches!(
            server_name("mail.test"),
            Ok(ServerName::DnsName(_))
        ));
        assert!(server_name("bad name").is_err());
    }
}
