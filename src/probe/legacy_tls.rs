//! Handshakes rustls will not make, on connections of their own: after a refused modern
//! handshake, a ClientHello offering TLS 1.0–1.2 with the legacy cipher suites tells which
//! version and suite the server would have used (an obsolete version, or TLS 1.2 with suites
//! current clients retire); after a modern handshake that worked, TLS 1.1 and 1.0 ClientHellos
//! tell whether the server still accepts those (RFC 8996). Both after STARTTLS where the
//! endpoint uses it.
//!
//! The ClientHello is written by hand because rustls, by design, implements neither TLS 1.0 nor
//! 1.1 nor these suites (nor will: RFC 8996, RFC 9325); the only alternative is a C library
//! (OpenSSL). Only the first record of the answer is read: the handshake is never completed, so
//! no cryptography is needed.

use super::dialect::Dialect;
use super::dialect::{Status, Stop};
use super::io::{exchange, read_greeting, Conn, Counted, Lines};
use super::tls::suite_names;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;
use tokio::time::{timeout, timeout_at, Instant};

/// The TLS versions on the wire.
pub const TLS1_0: u16 = 0x0301;
pub const TLS1_1: u16 = 0x0302;
pub const TLS1_2: u16 = 0x0303;

/// The suites offered by the legacy ClientHellos: every suite a TLS 1.0–1.2 server of the last
/// twenty years picks, strongest first. (rustls offers only the ECDHE AEAD ones and TLS 1.3's.)
const SUITES: &[u16] = &[
    // ECDHE with AEAD: what rustls offers too (a server that picks one failed for another reason)
    0xc02c, 0xc030, 0xc02b, 0xc02f, 0xcca9, 0xcca8, // finite-field DHE
    0x009f, 0x009e, 0xccaa, 0x006b, 0x0067, 0x0039, 0x0033, // ECDHE with CBC
    0xc024, 0xc028, 0xc023, 0xc027, 0xc00a, 0xc014, 0xc009, 0xc013,
    // RSA key exchange (no forward secrecy)
    0x009d, 0x009c, 0x003d, 0x003c, 0x0035, 0x002f, // obsolete ciphers
    0x000a, 0x0005, 0x0004,
];

/// What a server answered to one of the legacy ClientHellos.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LegacyAnswer {
    /// A ServerHello: the version it chose (on the wire, `0x0301` …) and the cipher suite.
    Speaks { version: u16, suite: u16 },
    /// An alert: it refuses what was offered.
    Alert(u8),
    /// Something else (not enough bytes yet is `None` from [`parse_answer`]).
    Other,
}

/// `TLSv1.0`, `TLSv1.2`, `SSLv3`.
pub fn version_name(v: u16) -> String {
    match v {
        0x0300 => "SSLv3".into(),
        TLS1_0 => "TLSv1.0".into(),
        TLS1_1 => "TLSv1.1".into(),
        TLS1_2 => "TLSv1.2".into(),
        0x0304 => "TLSv1.3".into(),
        other => format!("version 0x{other:04x}"),
    }
}

/// An alert's name as RFC 8446 §6 spells it: `protocol_version (70)`.
pub fn alert_name(a: u8) -> String {
    let name = match a {
        0 => "close_notify",
        10 => "unexpected_message",
        20 => "bad_record_mac",
        40 => "handshake_failure",
        42 => "bad_certificate",
        47 => "illegal_parameter",
        50 => "decode_error",
        51 => "decrypt_error",
        70 => "protocol_version",
        71 => "insufficient_security",
        80 => "internal_error",
        86 => "inappropriate_fallback",
        90 => "user_canceled",
        109 => "missing_extension",
        110 => "unsupported_extension",
        112 => "unrecognized_name",
        _ => return format!("alert {a}"),
    };
    format!("{name} ({a})")
}

/// Connects to `addr` (doing STARTTLS first when `starttls` is the endpoint's dialect), sends a
/// ClientHello offering versions up to `max_version` with the legacy suites, and reads the first
/// record of the answer.
pub async fn hello(
    addr: SocketAddr,
    deadline: Instant,
    starttls: Option<&dyn Dialect>,
    client_name: &str,
    host: &str,
    max_version: u16,
) -> Result<LegacyAnswer, String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let stream = super::io::connect(addr, deadline)
        .await
        .map_err(|e| format!("cannot connect again: {e}"))?;
    let mut conn = Conn::Plain(Counted::new(stream));
    if let Some(d) = starttls {
        let mut lines = Lines::new(conn, deadline);
        let go = async {
            read_greeting(&mut lines, Some(d.protocol()))
                .await
                .map_err(|(s, _)| s)?;
            if let Some(hello) = d.before_starttls(client_name) {
                exchange(&mut lines, d, &hello).await?;
            }
            let reply = exchange(&mut lines, d, &d.starttls_command("l1")).await?;
            Ok::<bool, Stop>(d.status(&reply) == Status::Positive)
        };
        if !go.await.map_err(|s| s.message)? {
            return Err("STARTTLS refused on the second connection".into());
        }
        conn = lines.into_conn_discarding().0;
    }
    let hello = client_hello(max_version, Some(host));
    let mut buf = [0u8; 128];
    let mut have = 0;
    let talk = async {
        conn.write_all(&hello).await?;
        conn.flush().await?;
        loop {
            let n = conn.read(&mut buf[have..]).await?;
            if n == 0 {
                return Ok::<Option<LegacyAnswer>, std::io::Error>(parse_answer(&buf[..have]));
            }
            have += n;
            if let Some(a) = parse_answer(&buf[..have]) {
                return Ok(Some(a));
            }
            if have == buf.len() {
                return Ok(Some(LegacyAnswer::Other));
            }
        }
    };
    let answer = match timeout_at(deadline, talk).await {
        Err(_) => Err(format!(
            "no answer to a ClientHello offering up to {}",
            version_name(max_version)
        )),
        Ok(Err(e)) => Err(format!("legacy handshake: {e}")),
        Ok(Ok(None)) => Err(format!(
            "the server closed the connection on a ClientHello offering up to {}",
            version_name(max_version)
        )),
        Ok(Ok(Some(a))) => Ok(a),
    };
    // The handshake is abandoned here: end it as a client would, with a fatal handshake_failure
    // alert and a FIN, after reading what of the server's flight has arrived (closing with
    // unread data sends a reset: Exim then held each connection half a second more). Not
    // waiting for the server's own close: Exim takes half a second after a TLS failure.
    // In the record version the server chose: another one is a protocol error of its own.
    let record = match &answer {
        Ok(LegacyAnswer::Speaks { version, .. }) => *version,
        _ => TLS1_0,
    };
    let [major, minor] = record.to_be_bytes();
    let end = async {
        conn.write_all(&[0x15, major, minor, 0x00, 0x02, 0x02, 0x28])
            .await?;
        conn.shutdown().await?;
        let mut rest = [0u8; 4096];
        while let Ok(Ok(n)) = timeout(Duration::from_millis(2), conn.read(&mut rest)).await {
            if n == 0 {
                break;
            }
        }
        Ok::<(), std::io::Error>(())
    };
    let _ = timeout_at(deadline, end).await;
    answer
}

/// The obsolete versions (TLS 1.1, TLS 1.0) a server still accepts besides the modern ones: a
/// TLS 1.1 and a TLS 1.0 ClientHello, each on a connection of its own, side by side. (One after
/// the other, the second only when the first was accepted, saved a connection on the servers
/// that refuse both, but doubled the time on those that accept them — Postfix's, Exim's and
/// Courier's defaults, where each handshake costs the server a process: bench-probe.sh.)
/// Errors (no answer, a closed connection) count as refusals: a server that drops an old
/// ClientHello does not accept it.
pub async fn accepted_versions(
    addr: SocketAddr,
    deadline: Instant,
    starttls: Option<&dyn Dialect>,
    client_name: &str,
    host: &str,
) -> Vec<u16> {
    let (v11, v10) = tokio::join!(
        Box::pin(hello(addr, deadline, starttls, client_name, host, TLS1_1)),
        Box::pin(hello(addr, deadline, starttls, client_name, host, TLS1_0)),
    );
    let mut out: Vec<u16> = [v10, v11]
        .into_iter()
        .filter_map(|a| match a {
            Ok(LegacyAnswer::Speaks { version, .. }) if version <= TLS1_1 => Some(version),
            _ => None,
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// A ClientHello (record version 1.0) offering versions up to `max_version` with the legacy
/// suites, the usual extensions of such clients (SNI, groups, point formats, signature
/// algorithms, renegotiation info), for a server a modern handshake failed with.
pub fn client_hello(max_version: u16, sni: Option<&str>) -> Vec<u8> {
    let mut ext = Vec::new();
    if let Some(name) = sni.filter(|n| n.parse::<IpAddr>().is_err() && n.len() < 256) {
        let n = name.as_bytes();
        let list_len = n.len() + 3;
        ext.extend_from_slice(&[0x00, 0x00]);
        ext.extend_from_slice(&((list_len + 2) as u16).to_be_bytes());
        ext.extend_from_slice(&(list_len as u16).to_be_bytes());
        ext.push(0);
        ext.extend_from_slice(&(n.len() as u16).to_be_bytes());
        ext.extend_from_slice(n);
    }
    // supported_groups: x25519, secp256r1, secp384r1, ffdhe2048; ec_point_formats:
    // uncompressed; renegotiation_info: empty.
    ext.extend_from_slice(&[
        0x00, 0x0a, 0x00, 0x0a, 0x00, 0x08, 0x00, 0x1d, 0x00, 0x17, 0x00, 0x18, 0x01, 0x00,
    ]);
    ext.extend_from_slice(&[0x00, 0x0b, 0x00, 0x02, 0x01, 0x00]);
    ext.extend_from_slice(&[0xff, 0x01, 0x00, 0x01, 0x00]);
    // signature_algorithms (TLS 1.2; older servers ignore it): ECDSA and RSA with SHA-2, PSS,
    // Ed25519, and SHA-1 last.
    const SIGS: &[u16] = &[
        0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0807, 0x0203,
        0x0201,
    ];
    ext.extend_from_slice(&[0x00, 0x0d]);
    ext.extend_from_slice(&((SIGS.len() * 2 + 2) as u16).to_be_bytes());
    ext.extend_from_slice(&((SIGS.len() * 2) as u16).to_be_bytes());
    for s in SIGS {
        ext.extend_from_slice(&s.to_be_bytes());
    }
    // TLS 1.0 and 1.1 have no AEAD suites: offer them only to a TLS 1.2 server.
    let suites: Vec<u16> = SUITES
        .iter()
        .copied()
        .filter(|&s| max_version >= TLS1_2 || !suite_names(s).is_some_and(|n| n.aead_or_sha2))
        .collect();

    let mut body = max_version.to_be_bytes().to_vec();
    // The random need not be secret: this handshake is never completed.
    body.extend((0u8..32).map(|i| i.wrapping_mul(37).wrapping_add(11)));
    body.push(0); // no session id
    body.extend_from_slice(&((suites.len() * 2) as u16).to_be_bytes());
    for s in &suites {
        body.extend_from_slice(&s.to_be_bytes());
    }
    body.extend_from_slice(&[1, 0]); // compression: null
    body.extend_from_slice(&(ext.len() as u16).to_be_bytes());
    body.extend_from_slice(&ext);

    let mut hs = vec![0x01];
    hs.extend_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
    hs.extend_from_slice(&body);
    let mut rec = vec![0x16, 0x03, 0x01];
    rec.extend_from_slice(&(hs.len() as u16).to_be_bytes());
    rec.extend_from_slice(&hs);
    rec
}

/// Reads the first record of the server's answer; `None` when more bytes are needed.
pub fn parse_answer(b: &[u8]) -> Option<LegacyAnswer> {
    if b.len() < 5 {
        return None;
    }
    match b[0] {
        0x15 if b.len() >= 7 => Some(LegacyAnswer::Alert(b[6])),
        0x15 => None,
        0x16 => {
            // record header (5), handshake type (1), length (3), server_version (2), random
            // (32), session id (1 + n), cipher suite (2)
            if b.len() < 6 {
                return None;
            }
            if b[5] != 0x02 {
                return Some(LegacyAnswer::Other);
            }
            let sid = *b.get(43)? as usize;
            if sid > 32 {
                return Some(LegacyAnswer::Other);
            }
            let at = 44 + sid;
            let suite = u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]);
            Some(LegacyAnswer::Speaks {
                version: u16::from_be_bytes([b[9], b[10]]),
                suite,
            })
        }
        _ => Some(LegacyAnswer::Other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_hello_is_well_formed() {
        for max in [TLS1_0, TLS1_1, TLS1_2] {
            let h = client_hello(max, Some("mail.test"));
            assert_eq!(&h[..3], &[0x16, 0x03, 0x01]);
            let rec_len = u16::from_be_bytes([h[3], h[4]]) as usize;
            assert_eq!(rec_len, h.len() - 5);
            assert_eq!(h[5], 0x01);
            let hs_len = u32::from_be_bytes([0, h[6], h[7], h[8]]) as usize;
            assert_eq!(hs_len, h.len() - 9);
            assert_eq!(u16::from_be_bytes([h[9], h[10]]), max);
            assert!(h.windows(9).any(|w| w == b"mail.test"));
        }
        assert!(!client_hello(TLS1_2, Some("127.0.0.1"))
            .windows(9)
            .any(|w| w == b"127.0.0.1"));
        // GCM suites only for TLS 1.2.
        let gcm = 0x009cu16.to_be_bytes();
        assert!(client_hello(TLS1_2, None).windows(2).any(|w| w == gcm));
        assert!(!client_hello(TLS1_1, None)[..60]
            .windows(2)
            .any(|w| w == gcm));
    }

    #[test]
    fn legacy_answers() {
        assert_eq!(parse_answer(&[0x16, 3, 1]), None);
        let mut hello = vec![0x16, 3, 3, 0, 50, 2, 0, 0, 46, 3, 3];
        hello.extend([7u8; 32]);
        assert_eq!(parse_answer(&hello), None, "no session id length yet");
        hello.push(0);
        hello.extend([0x00, 0x35]);
        assert_eq!(
            parse_answer(&hello),
            Some(LegacyAnswer::Speaks {
                version: TLS1_2,
                suite: 0x0035
            })
        );
        assert_eq!(
            parse_answer(&[0x15, 3, 1, 0, 2, 2, 70]),
            Some(LegacyAnswer::Alert(70))
        );
        assert_eq!(parse_answer(b"* OK hi"), Some(LegacyAnswer::Other));
        assert_eq!(alert_name(70), "protocol_version (70)");
        assert_eq!(alert_name(200), "alert 200");
        assert_eq!(version_name(TLS1_0), "TLSv1.0");
    }
}
