//! A DNS server on loopback for the probe's tests (a test never asks the system's resolver): it
//! answers A queries for the names it is given, says NXDOMAIN for every other name — or, as a
//! black hole, never answers at all (the fault a slow or broken resolver produces).
//!
//! Small and hand-written on purpose: the probe asks through hickory-resolver, so the test's
//! server must be independent of it; RFC 1035 §4.1 is all it needs.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr, UdpSocket};

/// How the server answers.
#[derive(Debug, Clone)]
pub enum Zone {
    /// Never answers (the socket reads and drops every query).
    BlackHole,
    /// A records for these names (lower case, without the final dot); NXDOMAIN for the rest.
    Names(HashMap<String, Ipv4Addr>),
}

/// Starts the server on 127.0.0.1 (a free UDP port) in a thread of its own, for the life of the
/// test binary; returns its address.
pub fn dns_server(zone: Zone) -> SocketAddr {
    let socket = UdpSocket::bind("127.0.0.1:0").expect("cannot bind a loopback UDP socket");
    let addr = socket.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut buf = [0u8; 512];
        while let Ok((n, from)) = socket.recv_from(&mut buf) {
            if let Some(answer) = answer(&zone, &buf[..n]) {
                let _ = socket.send_to(&answer, from);
            }
        }
    });
    addr
}

/// The response to one query, or `None` (black hole, or not a query).
fn answer(zone: &Zone, q: &[u8]) -> Option<Vec<u8>> {
    let Zone::Names(names) = zone else {
        return None;
    };
    if q.len() < 12 || q[2] & 0x80 != 0 {
        return None;
    }
    // The question: labels up to the root, then QTYPE and QCLASS.
    let mut at = 12;
    let mut labels = Vec::new();
    loop {
        let len = *q.get(at)? as usize;
        at += 1;
        if len == 0 {
            break;
        }
        labels.push(String::from_utf8_lossy(q.get(at..at + len)?).to_ascii_lowercase());
        at += len;
    }
    let qtype = u16::from_be_bytes([*q.get(at)?, *q.get(at + 1)?]);
    let question = &q[12..at + 4];
    let name = labels.join(".");
    let found = names.get(&name);
    let mut r = Vec::with_capacity(64);
    r.extend_from_slice(&q[..2]); // ID
    let rcode = if found.is_some() { 0 } else { 3 }; // NOERROR / NXDOMAIN
    r.push(0x84 | (q[2] & 0x01)); // QR, AA, RD as asked
    r.push(0x80 | rcode); // RA
    let answers = u16::from(found.is_some() && qtype == 1);
    r.extend_from_slice(&[0, 1]);
    r.extend_from_slice(&answers.to_be_bytes());
    r.extend_from_slice(&[0, 0, 0, 0]);
    r.extend_from_slice(question);
    if let (Some(ip), 1) = (found, answers) {
        r.extend_from_slice(&[0xc0, 12]); // the name in the question
        r.extend_from_slice(&[0, 1, 0, 1]); // A, IN
        r.extend_from_slice(&60u32.to_be_bytes());
        r.extend_from_slice(&[0, 4]);
        r.extend_from_slice(&ip.octets());
    }
    Some(r)
}
