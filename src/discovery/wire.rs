//! DNS messages, as the native resolver and the browser's DNS-over-HTTPS both see them: the query
//! discovery sends, and an answer read into a [`DnsOutcome`]. hickory-proto's decoders read the
//! header, the names (compression included) and the records discovery wants (MX, SRV, A, AAAA,
//! CNAME); records of other types are stepped over by their length rather than decoded, so the
//! browser's module does not carry every record type's parser (CAA's pulls in a URL parser and
//! the IDNA tables: the module was 279,061 bytes gzip with `Message::from_vec`, 198,421 so,
//! measured when this was written). No I/O.

use super::evidence::{DnsOutcome, DnsRecord, RecordType};
use hickory_proto::op::{Header, Message, MessageType, OpCode, Query, ResponseCode};
use hickory_proto::rr::rdata::{A, AAAA, CNAME, MX, SRV};
use hickory_proto::rr::{Name, RecordType as WireType};
use hickory_proto::serialize::binary::{BinDecodable, BinDecoder, BinEncodable, BinEncoder};

/// The record type on the wire.
pub fn wire_type(rtype: RecordType) -> WireType {
    match rtype {
        RecordType::Mx => WireType::MX,
        RecordType::Srv => WireType::SRV,
        RecordType::A => WireType::A,
        RecordType::Aaaa => WireType::AAAA,
    }
}

fn question(name: &str, rtype: RecordType) -> Result<Query, String> {
    // hickory's errors are not formatted here: their Display writes names as Unicode, which
    // would link the idna crate's tables into the browser's module.
    let qname = Name::from_ascii(format!("{}.", name.trim_end_matches('.')))
        .map_err(|_| format!("{} is not a DNS name", crate::text::Quoted(name)))?;
    Ok(Query::query(qname, wire_type(rtype)))
}

fn header(id: u16) -> Header {
    let mut h = Header::new();
    h.set_id(id)
        .set_message_type(MessageType::Query)
        .set_op_code(OpCode::Query)
        .set_recursion_desired(true)
        // RFC 6840 §5.7: AD in a query asks the resolver to say whether it validated.
        .set_authentic_data(true);
    h
}

/// The query for `name` and `rtype` (for the native resolver, which sends it): recursion
/// desired, and the AD bit set to ask the resolver whether it validated the answer with DNSSEC.
pub fn query(name: &str, rtype: RecordType, id: u16) -> Result<Message, String> {
    let mut message = Message::new();
    message
        .set_header(header(id))
        .add_query(question(name, rtype)?);
    Ok(message)
}

/// The same query in wire format, id 0 as RFC 8484 §4.1 asks of DNS-over-HTTPS (answers can be
/// cached).
pub fn query_bytes(name: &str, rtype: RecordType) -> Result<Vec<u8>, String> {
    let q = question(name, rtype)?;
    let mut h = header(0);
    h.set_query_count(1);
    let mut bytes = Vec::with_capacity(64);
    let mut encoder = BinEncoder::new(&mut bytes);
    h.emit(&mut encoder)
        .and_then(|_| q.emit(&mut encoder))
        .map_err(|_| "the query cannot be encoded (a label longer than 63 bytes?)".to_owned())?;
    Ok(bytes)
}

/// An answer in wire format, read: its outcome and whether the resolver set the AD bit. An
/// answer that is not a response to `name` and `rtype` is an error (a resolver that mixes
/// answers up is not believed), as is one that does not read as a DNS message.
pub fn read_answer(bytes: &[u8], name: &str, rtype: RecordType) -> (DnsOutcome, bool) {
    let error = |message: String| (DnsOutcome::Error { message }, false);
    let mut d = BinDecoder::new(bytes);
    let Ok(header) = Header::read(&mut d) else {
        return error(format!(
            "the answer is not a DNS message ({} bytes)",
            bytes.len()
        ));
    };
    let asked = format!("{}.", name.trim_end_matches('.').to_ascii_lowercase());
    let matches = header.message_type() == MessageType::Response
        && header.query_count() == 1
        && Query::read(&mut d).is_ok_and(|q| {
            q.query_type() == wire_type(rtype) && q.name().to_ascii().to_ascii_lowercase() == asked
        });
    if !matches {
        return error(format!("the answer is not for {} {name}", rtype.as_str()));
    }
    let ad = header.authentic_data();
    match header.response_code() {
        ResponseCode::NoError => {}
        ResponseCode::NXDomain => return (DnsOutcome::NxDomain, ad),
        ResponseCode::ServFail => return (DnsOutcome::ServFail, false),
        code => {
            return (
                DnsOutcome::Rcode {
                    code: code.to_str().to_owned(),
                },
                false,
            )
        }
    }
    let records = match answers(&mut d, header.answer_count(), rtype) {
        Ok(r) => r,
        Err(()) => return error("the answer's records do not read as DNS records".into()),
    };
    if records.is_empty() {
        (DnsOutcome::NoData, ad)
    } else {
        // An alias alone is an answer too: the caller follows it.
        (DnsOutcome::Answer { records }, ad)
    }
}

/// The answer section's records of the type asked, and the aliases (CNAME) on the way, in order.
fn answers(d: &mut BinDecoder, count: u16, rtype: RecordType) -> Result<Vec<DnsRecord>, ()> {
    let text = |n: &Name| n.to_ascii().trim_end_matches('.').to_owned();
    let mut out = Vec::new();
    for _ in 0..count {
        let owner = Name::read(d).map_err(drop)?;
        let wire = WireType::from(d.read_u16().map_err(drop)?.unverified());
        let _class = d.read_u16().map_err(drop)?;
        let _ttl = d.read_u32().map_err(drop)?;
        let length = usize::from(d.read_u16().map_err(drop)?.unverified());
        let end = d.index() + length;
        let record = match (wire, rtype) {
            (WireType::MX, RecordType::Mx) => MX::read(d).ok().map(|mx| DnsRecord::Mx {
                preference: mx.preference(),
                exchange: text(mx.exchange()),
            }),
            (WireType::SRV, RecordType::Srv) => SRV::read(d).ok().map(|s| DnsRecord::Srv {
                priority: s.priority(),
                weight: s.weight(),
                port: s.port(),
                target: text(s.target()),
            }),
            (WireType::A, RecordType::A) => A::read(d).ok().map(|a| DnsRecord::A {
                address: a.0.to_string(),
            }),
            (WireType::AAAA, RecordType::Aaaa) => AAAA::read(d).ok().map(|a| DnsRecord::Aaaa {
                address: a.0.to_string(),
            }),
            (WireType::CNAME, _) => CNAME::read(d).ok().map(|c| DnsRecord::Cname {
                name: text(&owner),
                target: text(&c.0),
            }),
            _ => {
                d.read_slice(length).map_err(drop)?;
                None
            }
        };
        // A record must fill its length exactly: anything else is a broken message.
        match record {
            Some(r) if d.index() == end => out.push(r),
            _ if d.index() == end => {}
            _ => return Err(()),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_proto::rr::rdata::TXT;
    use hickory_proto::rr::{RData, Record};

    fn answer(q: &Message, code: ResponseCode, records: Vec<Record>) -> Vec<u8> {
        let mut m = q.clone();
        m.set_message_type(MessageType::Response)
            .set_response_code(code)
            .set_authentic_data(false);
        for r in records {
            m.add_answer(r);
        }
        m.to_vec().unwrap()
    }

    #[test]
    fn answers_are_read_by_type_and_code() {
        let q = query("example.org", RecordType::Mx, 0).unwrap();
        let mx = Record::from_rdata(
            Name::from_ascii("example.org.").unwrap(),
            60,
            RData::MX(MX::new(10, Name::from_ascii("mx.example.net.").unwrap())),
        );
        let bytes = answer(&q, ResponseCode::NoError, vec![mx]);
        assert_eq!(
            read_answer(&bytes, "example.org", RecordType::Mx),
            (
                DnsOutcome::Answer {
                    records: vec![DnsRecord::Mx {
                        preference: 10,
                        exchange: "mx.example.net".into()
                    }]
                },
                false
            )
        );
        // Records of other types are stepped over; aliases are kept; a cut message is refused.
        let owner = Name::from_ascii("example.org.").unwrap();
        let mixed = answer(
            &q,
            ResponseCode::NoError,
            vec![
                Record::from_rdata(owner.clone(), 60, RData::TXT(TXT::new(vec!["x".into()]))),
                Record::from_rdata(
                    owner,
                    60,
                    RData::CNAME(CNAME(Name::from_ascii("other.example.").unwrap())),
                ),
            ],
        );
        assert_eq!(
            read_answer(&mixed, "example.org", RecordType::Mx).0,
            DnsOutcome::Answer {
                records: vec![DnsRecord::Cname {
                    name: "example.org".into(),
                    target: "other.example".into()
                }]
            }
        );
        assert!(matches!(
            read_answer(&bytes[..bytes.len() - 3], "example.org", RecordType::Mx).0,
            DnsOutcome::Error { .. }
        ));
        let nx = answer(&q, ResponseCode::NXDomain, vec![]);
        assert_eq!(
            read_answer(&nx, "example.org", RecordType::Mx).0,
            DnsOutcome::NxDomain
        );
        let empty = answer(&q, ResponseCode::NoError, vec![]);
        assert_eq!(
            read_answer(&empty, "example.org", RecordType::Mx).0,
            DnsOutcome::NoData
        );
        let servfail = answer(&q, ResponseCode::ServFail, vec![]);
        assert_eq!(
            read_answer(&servfail, "example.org", RecordType::Mx).0,
            DnsOutcome::ServFail
        );
    }

    #[test]
    fn answers_to_another_question_are_refused() {
        let q = query("_imaps._tcp.example.org", RecordType::Srv, 0).unwrap();
        let srv = Record::from_rdata(
            Name::from_ascii("_imaps._tcp.example.org.").unwrap(),
            60,
            RData::SRV(SRV::new(
                0,
                1,
                993,
                Name::from_ascii("imap.example.org.").unwrap(),
            )),
        );
        let bytes = answer(&q, ResponseCode::NoError, vec![srv]);
        assert!(matches!(
            read_answer(&bytes, "example.org", RecordType::Srv).0,
            DnsOutcome::Error { .. }
        ));
        assert!(matches!(
            read_answer(&bytes, "_imaps._tcp.example.org", RecordType::Mx).0,
            DnsOutcome::Error { .. }
        ));
        assert!(matches!(
            read_answer(b"\x00\x01", "example.org", RecordType::Mx).0,
            DnsOutcome::Error { .. }
        ));
        // The query's own bytes are not an answer.
        assert!(matches!(
            read_answer(
                &query_bytes("example.org", RecordType::Mx).unwrap(),
                "example.org",
                RecordType::Mx
            )
            .0,
            DnsOutcome::Error { .. }
        ));
    }
}
