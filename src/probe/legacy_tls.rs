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
use tokio::time::{timeout_at, Instant};

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
    // The server's whole first flight is read (up to ServerHelloDone, or its alert), so that the
    // connection ends with nothing unread: closing with unread data sends a reset, and Exim then
    // held each connection half a second more. Reading to the flight's end instead of waiting
    // for a pause cost nothing: the flight arrives at once (a 2 ms pause took 2 ms every time).
    let mut flight = Vec::with_capacity(4096);
    let talk = async {
        conn.write_all(&hello).await?;
        conn.flush().await?;
        let mut chunk = [0u8; 4096];
        loop {
            let n = conn.read(&mut chunk).await?;
            if n == 0 {
                return Ok::<bool, std::io::Error>(false);
            }
            flight.extend_from_slice(&chunk[..n]);
            if flight_ended(&flight) || flight.len() >= FLIGHT_CAP {
                return Ok(true);
            }
        }
    };
    let talked = timeout_at(deadline, talk).await;
    let answer = match talked {
        Err(_) => Err(format!(
            "no answer to a ClientHello offering up to {}",
            version_name(max_version)
        )),
        Ok(Err(e)) => Err(format!("legacy handshake: {e}")),
        Ok(Ok(_)) => parse_answer(&flight).ok_or_else(|| {
            format!(
                "the server closed the connection on a ClientHello offering up to {}",
                version_name(max_version)
            )
        }),
    };
    // The handshake is abandoned here. A server that spoke gets what a client would send, a
    // fatal handshake_failure alert (in the record version it chose: another one is a protocol
    // error of its own), then a FIN; one that refused or closed only the FIN. Not waiting for
    // the server's own close: Exim takes half a second after a TLS failure.
    let end = async {
        if let Ok(LegacyAnswer::Speaks { version, .. }) = &answer {
            let [major, minor] = version.to_be_bytes();
            conn.write_all(&[0x15, major, minor, 0x00, 0x02, 0x02, 0x28])
                .await?;
        }
        conn.shutdown().await
    };
    let _ = timeout_at(deadline, end).await;
    answer
}

/// The most of a server's first flight read (a certificate chain fits many times over).
const FLIGHT_CAP: usize = 64 * 1024;

/// Whether `b` holds the end of the server's first flight: a ServerHelloDone, an alert, or
/// anything that is not a TLS handshake record (a cleartext greeting): nothing more comes
/// before the client speaks.
pub fn flight_ended(b: &[u8]) -> bool {
    let mut handshake = Vec::new();
    let mut off = 0;
    while b.len() - off >= 5 {
        if b[off] != 0x16 {
            return true;
        }
        let len = u16::from_be_bytes([b[off + 3], b[off + 4]]) as usize;
        let body = &b[off + 5..];
        handshake.extend_from_slice(&body[..len.min(body.len())]);
        if body.len() < len {
            break;
        }
        off += 5 + len;
    }
    let mut at = 0;
    while handshake.len() - at >= 4 {
        let kind = handshake[at];
        let len = u32::from_be_bytes([0, handshake[at + 1], handshake[at + 2], handshake[at + 3]])
            as usize;
        if kind == 14 {
            return true;
        }
        if handshake.len() - at - 4 < len {
            return false;
        }
        at += 4 + len;
    }
    false
}

/// The obsolete versions (TLS 1.1, TLS 1.0) a server still accepts besides the modern ones. One
/// ClientHello offering both: a server that refuses them (the recommended setup) costs one
/// connection; one that picks TLS 1.0 accepts only that; one that picks TLS 1.1 gets a second
/// ClientHello offering TLS 1.0 alone. Measured (`scripts/bench-probe.sh`, 2026-12-03): two
/// side by side made Cyrus, whose workers exit after a failed handshake, start a process for
/// the second while the conversation ran (Cyrus 993: 1.77× s_client, 0.91–1.08× with one);
/// the second one after the first costs Postfix, Exim and Courier, which accept both by
/// default, about 0.5 ms (it doubled their time only while each ClientHello ended with a 2 ms
/// wait for the server to close: [`hello`] now reads to the end of the server's flight).
/// Errors (no answer, a closed connection) count as refusals: a server that drops an old
/// ClientHello does not accept it.
pub async fn accepted_versions(
    addr: SocketAddr,
    deadline: Instant,
    starttls: Option<&dyn Dialect>,
    client_name: &str,
    host: &str,
) -> Vec<u16> {
    let v11 = hello(addr, deadline, starttls, client_name, host, TLS1_1).await;
    let v10 = match v11 {
        Ok(LegacyAnswer::Speaks {
            version: TLS1_1, ..
        }) => hello(addr, deadline, starttls, client_name, host, TLS1_0).await,
        _ => Err("not asked".into()),
    };
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
    fn flight_ends_at_server_hello_done_or_an_alert() {
        let record = |kind: u8, body: &[u8]| {
            let mut r = vec![kind, 3, 2];
            r.extend_from_slice(&(body.len() as u16).to_be_bytes());
            r.extend_from_slice(body);
            r
        };
        let message = |kind: u8, len: usize| {
            let mut m = vec![kind];
            m.extend_from_slice(&(len as u32).to_be_bytes()[1..]);
            m.extend(std::iter::repeat_n(7u8, len));
            m
        };
        assert!(!flight_ended(&[]));
        assert!(!flight_ended(&[0x16, 3]));
        assert!(flight_ended(&record(0x15, &[2, 70])), "an alert");
        assert!(flight_ended(b"* OK IMAP ready\r\n"), "cleartext");
        // ServerHello, Certificate, ServerHelloDone in one record, and split over records.
        let mut hs = message(2, 70);
        hs.extend(message(11, 3000));
        hs.extend(message(14, 0));
        assert!(flight_ended(&record(0x16, &hs)));
        let whole = [record(0x16, &hs[..100]), record(0x16, &hs[100..])].concat();
        assert!(flight_ended(&whole));
        for cut in [5, 60, 200, whole.len() - 1] {
            assert!(!flight_ended(&whole[..cut]), "cut at {cut}");
        }
        // Without ServerHelloDone the flight goes on.
        assert!(!flight_ended(&record(0x16, &hs[..hs.len() - 4])));
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
