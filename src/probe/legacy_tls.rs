//! The legacy-TLS check: after a server refused TLS 1.2 and 1.3, a TLS 1.0/1.1 ClientHello on a
//! new connection (after STARTTLS, where the endpoint uses it) tells whether it speaks only an
//! obsolete version, and which.
//!
//! The ClientHello is written by hand because rustls, by design, implements neither TLS 1.0 nor
//! 1.1 (nor will: RFC 8996); the only alternative is a C library (OpenSSL). Only its first answer
//! record is read: the handshake is never completed, so no cryptography is needed.

use super::dialect::Dialect;
use super::dialect::{Status, Stop};
use super::io::{exchange, read_greeting, Conn, Counted, Lines};
use std::net::{IpAddr, SocketAddr};
use tokio::net::TcpStream;
use tokio::time::{timeout_at, Instant};

/// Sends the legacy ClientHello (after STARTTLS when the endpoint uses it: `starttls` is its
/// dialect) and reads the first record of the answer.
pub async fn check(
    addr: SocketAddr,
    deadline: Instant,
    starttls: Option<&dyn Dialect>,
    client_name: &str,
    host: &str,
) -> Result<LegacyAnswer, String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let stream = timeout_at(deadline, TcpStream::connect(addr))
        .await
        .map_err(|_| "timed out connecting again".to_string())?
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
    let hello = client_hello(Some(host));
    let mut buf = [0u8; 16];
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
    match timeout_at(deadline, talk).await {
        Err(_) => Err("no answer to a TLS 1.0/1.1 ClientHello".into()),
        Ok(Err(e)) => Err(format!("legacy handshake: {e}")),
        Ok(Ok(None)) => Err("the server closed the connection on a TLS 1.0/1.1 ClientHello".into()),
        Ok(Ok(Some(a))) => Ok(a),
    }
}

/// A TLS 1.0/1.1 ClientHello (record version 1.0, client version 1.1) with the usual legacy cipher
/// suites, for a server that refused TLS 1.2 and 1.3: its ServerHello says which version it speaks.
pub fn client_hello(sni: Option<&str>) -> Vec<u8> {
    const SUITES: &[u16] = &[
        0xc014, 0xc013, 0xc00a, 0xc009, 0x0039, 0x0033, 0x0035, 0x002f, 0x000a,
    ];
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
    // supported_groups: secp256r1, secp384r1, x25519; ec_point_formats: uncompressed;
    // renegotiation_info: empty.
    ext.extend_from_slice(&[
        0x00, 0x0a, 0x00, 0x08, 0x00, 0x06, 0x00, 0x17, 0x00, 0x18, 0x00, 0x1d,
    ]);
    ext.extend_from_slice(&[0x00, 0x0b, 0x00, 0x02, 0x01, 0x00]);
    ext.extend_from_slice(&[0xff, 0x01, 0x00, 0x01, 0x00]);

    let mut body = vec![0x03, 0x02];
    // The random need not be secret: this handshake is never completed.
    body.extend((0u8..32).map(|i| i.wrapping_mul(37).wrapping_add(11)));
    body.push(0); // no session id
    body.extend_from_slice(&((SUITES.len() * 2) as u16).to_be_bytes());
    for s in SUITES {
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

/// What a server answered to [`client_hello`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LegacyAnswer {
    /// A ServerHello for this version (`TLSv1.0`, `TLSv1.1`, `SSLv3`).
    Speaks(String),
    /// An alert: it refuses the legacy versions too.
    Alert(u8),
    /// Something else (not enough bytes yet is `None` from [`parse_answer`]).
    Other,
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
            // record header (5), handshake type (1), length (3), server_version (2)
            if b.len() < 11 {
                return None;
            }
            if b[5] != 0x02 {
                return Some(LegacyAnswer::Other);
            }
            let v = match (b[9], b[10]) {
                (3, 0) => "SSLv3".to_string(),
                (3, 1) => "TLSv1.0".to_string(),
                (3, 2) => "TLSv1.1".to_string(),
                (3, 3) => "TLSv1.2".to_string(),
                (x, y) => format!("version {x}.{y}"),
            };
            Some(LegacyAnswer::Speaks(v))
        }
        _ => Some(LegacyAnswer::Other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_hello_is_well_formed() {
        let h = client_hello(Some("mail.test"));
        assert_eq!(&h[..3], &[0x16, 0x03, 0x01]);
        let rec_len = u16::from_be_bytes([h[3], h[4]]) as usize;
        assert_eq!(rec_len, h.len() - 5);
        assert_eq!(h[5], 0x01);
        let hs_len = u32::from_be_bytes([0, h[6], h[7], h[8]]) as usize;
        assert_eq!(hs_len, h.len() - 9);
        assert!(h.windows(9).any(|w| w == b"mail.test"));
        assert!(!client_hello(Some("127.0.0.1"))
            .windows(9)
            .any(|w| w == b"127.0.0.1"));
    }

    #[test]
    fn legacy_answers() {
        assert_eq!(parse_answer(&[0x16, 3, 1]), None);
        assert_eq!(
            parse_answer(&[0x16, 3, 1, 0, 50, 2, 0, 0, 46, 3, 1]),
            Some(LegacyAnswer::Speaks("TLSv1.0".into()))
        );
        assert_eq!(
            parse_answer(&[0x15, 3, 1, 0, 2, 2, 70]),
            Some(LegacyAnswer::Alert(70))
        );
        assert_eq!(parse_answer(b"* OK hi"), Some(LegacyAnswer::Other));
    }
}
