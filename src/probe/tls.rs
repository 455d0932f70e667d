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

/// Which roots certificates are verified against.
#[derive(Debug, Clone)]
pub enum Trust {
    /// The usual public web roots (Mozilla's set, compiled in through `webpki-roots`).
    WebPkiRoots,
    /// Only the certificates of a PEM file (`--ca-file`): a private CA, or a test CA.
    CaFile(Vec<CertificateDer<'static>>),
}

impl Trust {
    /// Reads every certificate of a PEM file.
    pub fn from_pem_file(path: &Path) -> Result<Trust, String> {
        use rustls::pki_types::pem::PemObject;
        let shown = path.display();
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
            .map_err(|e| format!("cannot read CA file {shown}: {e}"))?
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
    pub trust: &'static str,
}

impl TlsSetup {
    pub fn new(trust: &Trust) -> Result<TlsSetup, String> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = RootCertStore::empty();
        match trust {
            Trust::WebPkiRoots => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
            Trust::CaFile(certs) => {
                for c in certs {
                    roots.add(c.clone()).map_err(|e| {
                        format!("a certificate of the CA file is not usable as a root: {e}")
                    })?;
                }
            }
        }
        let verifier =
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                .build()
                .map_err(|e| format!("cannot build the certificate verifier: {e}"))?;
        Ok(TlsSetup {
            provider,
            verifier,
            trust: trust.label(),
        })
    }

    /// A client configuration for one handshake, with its own observer. TLS 1.2 and 1.3 only;
    /// no session resumption (every probe sees the full handshake and the certificate).
    pub fn config(&self) -> (Arc<ClientConfig>, Arc<DangerousObservingVerifier>) {
        let observer = Arc::new(DangerousObservingVerifier {
            inner: self.verifier.clone(),
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
        let (chain_error, name_error) = match verdict {
            Ok(_) => (None, None),
            Err(e) if is_name_error(&e) => (None, Some(e)),
            Err(e) => {
                let name = ParsedCertificate::try_from(end_entity)
                    .and_then(|c| verify_server_name(&c, server_name))
                    .err();
                (Some(e), name)
            }
        };
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

/// A certificate problem in a few words.
pub fn describe_cert_error(e: &rustls::Error) -> String {
    match e {
        rustls::Error::InvalidCertificate(c) => match c {
            CertificateError::UnknownIssuer => {
                "not issued by a trusted authority (unknown issuer, or self-signed)".into()
            }
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => "expired".into(),
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                "not valid yet".into()
            }
            CertificateError::BadSignature => "badly signed".into(),
            CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => {
                "not meant for TLS servers (key usage)".into()
            }
            CertificateError::NotValidForNameContext {
                expected,
                presented,
            } => format!(
                "not valid for {} (it names {})",
                show_server_name(expected),
                if presented.is_empty() {
                    "nothing".to_string()
                } else {
                    presented.join(", ")
                }
            ),
            CertificateError::NotValidForName => "not valid for this name".into(),
            CertificateError::Revoked => "revoked".into(),
            other => format!("{other:?}"),
        },
        other => other.to_string(),
    }
}

fn show_server_name(n: &ServerName<'_>) -> String {
    match n {
        ServerName::DnsName(d) => d.as_ref().to_string(),
        ServerName::IpAddress(ip) => IpAddr::from(*ip).to_string(),
        _ => "the name".into(),
    }
}

/// `TLSv1_3` → `TLSv1.3`.
pub fn version_name(v: rustls::ProtocolVersion) -> String {
    match v {
        rustls::ProtocolVersion::TLSv1_3 => "TLSv1.3".into(),
        rustls::ProtocolVersion::TLSv1_2 => "TLSv1.2".into(),
        rustls::ProtocolVersion::TLSv1_1 => "TLSv1.1".into(),
        rustls::ProtocolVersion::TLSv1_0 => "TLSv1.0".into(),
        other => format!("{other:?}"),
    }
}

/// Fills the session and certificate details after a handshake.
pub fn session_info(
    conn: &rustls::ClientConnection,
    seen: &Observation,
    trust: &'static str,
    name_checked: &str,
    now_unix: i64,
) -> TlsInfo {
    let chain = seen.chain.iter().map(|c| cert_info(c, now_unix)).collect();
    TlsInfo {
        version: conn
            .protocol_version()
            .map(version_name)
            .unwrap_or_else(|| "unknown".into()),
        cipher_suite: conn
            .negotiated_cipher_suite()
            .map(|s| format!("{:?}", s.suite()))
            .unwrap_or_else(|| "unknown".into()),
        key_exchange: conn
            .negotiated_key_exchange_group()
            .map(|g| format!("{:?}", g.name())),
        trust,
        verified: seen.ran && seen.chain_error.is_none() && seen.name_error.is_none(),
        chain_problem: seen.chain_error.as_ref().map(|e| match e {
            rustls::Error::InvalidCertificate(
                CertificateError::Expired | CertificateError::ExpiredContext { .. },
            ) => CertProblem::Expired,
            rustls::Error::InvalidCertificate(
                CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. },
            ) => CertProblem::NotYetValid,
            _ => CertProblem::Untrusted,
        }),
        chain_error: seen.chain_error.as_ref().map(describe_cert_error),
        name_checked: name_checked.to_string(),
        name_matches: seen.ran && seen.name_error.is_none(),
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
            key_type: "unknown".into(),
            key_bits: 0,
            signature_algorithm: String::new(),
            serial: String::new(),
            self_signed: false,
            is_ca: false,
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
    CertInfo {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        sans,
        not_before: rfc3339(not_before),
        not_after: rfc3339(not_after),
        days_left: (not_after - now_unix).div_euclid(86_400),
        key_type,
        key_bits,
        signature_algorithm,
        serial: cert.raw_serial_as_string(),
        self_signed: cert.subject().as_raw() == cert.issuer().as_raw(),
        is_ca: cert.is_ca(),
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
