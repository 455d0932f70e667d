//! Discovery's loopback fixtures, started in process by the tests and the bench: a real DNS server
//! (hickory-server's authoritative catalog) serving the test zone on 127.0.0.1, a real HTTPS
//! server (hyper on rustls) with a test CA made at start (rcgen), serving the autoconfig files,
//! the ISPDB mirror and Autodiscover, and a plain-HTTP listener. Nothing leaves loopback: every
//! name of the zone points to 127.0.0.x, and discovery asks only this DNS server.
//!
//! Why hickory-server in process rather than knot/nsd/unbound: it needs no package and no root,
//! so the tests run in a plain `cargo test`; each test binary gets its own server on an ephemeral
//! port; and the faults a test needs (a name that never answers, a slow answer, SERVFAIL, the AD
//! bit of a validating resolver) are a wrapper around the real catalog, not a fake server.
//!
//! The HTTPS and HTTP listeners sit on the standard ports moved by an offset (443 + N, 80 + N),
//! which discovery is told with `--standard-port-offset N`, as a lab that maps ports would.

#![allow(dead_code)]

use bytes::Bytes;
use hickory_proto::op::{Header, ResponseCode};
use hickory_proto::rr::rdata::{A, CNAME, MX, SOA, SRV, TXT};
use hickory_proto::rr::{LowerName, Name, RData, Record};
use hickory_server::authority::{Catalog, MessageResponse, MessageResponseBuilder, ZoneType};
use hickory_server::server::{Request, RequestHandler, ResponseHandler, ResponseInfo};
use hickory_server::store::in_memory::InMemoryAuthority;
use hickory_server::ServerFuture;
use http_body_util::{combinators::BoxBody, BodyExt, Full, StreamBody};
use hyper::body::Frame;
use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// The zone's apex: every fixture domain is below it.
pub const ZONE: &str = "test.";

/// A DNS fault for every name at or below a domain.
#[derive(Debug, Clone, Copy)]
pub enum DnsFault {
    /// Never answers.
    BlackHole,
    /// Answers after this long.
    Delay(Duration),
    /// Answers SERVFAIL.
    ServFail,
    /// Answers with the AD bit, as a validating resolver does for a signed zone.
    Authenticated,
}

/// What the HTTP(S) server answers for a host and path.
#[derive(Debug, Clone)]
pub enum Route {
    Xml(String),
    /// 302 to this location.
    Redirect(String),
    Status(u16),
    /// A document of this many bytes, streamed without a Content-Length.
    Huge(usize),
    /// A document after a delay.
    Slow(Duration, String),
    /// A DNS-over-HTTPS endpoint (RFC 8484 GET, `?dns=`) in front of the fixture DNS server,
    /// allowing web pages (CORS), for the page's browser test.
    Doh,
}

/// The scenarios' content, built before the servers start.
#[derive(Default)]
pub struct Zone {
    records: Vec<Record>,
    faults: Vec<(String, DnsFault)>,
    https: HashMap<(String, String), Route>,
    http: HashMap<(String, String), Route>,
    /// Hosts whose certificate names another host.
    wrong_cert: Vec<String>,
    /// Domains that are zones of their own (the rest of the names are in the `test.` zone).
    apexes: Vec<String>,
}

fn name(n: &str) -> Name {
    Name::from_str(&format!("{}.", n.trim_end_matches('.'))).unwrap()
}

impl Zone {
    pub fn a(&mut self, host: &str, ip: Ipv4Addr) -> &mut Self {
        self.records
            .push(Record::from_rdata(name(host), 60, RData::A(A(ip))));
        self
    }
    pub fn mx(&mut self, domain: &str, pref: u16, exchange: &str) -> &mut Self {
        self.records.push(Record::from_rdata(
            name(domain),
            60,
            RData::MX(MX::new(pref, name(exchange))),
        ));
        self
    }
    pub fn srv(
        &mut self,
        owner: &str,
        prio: u16,
        weight: u16,
        port: u16,
        target: &str,
    ) -> &mut Self {
        let target = if target == "." {
            Name::root()
        } else {
            name(target)
        };
        self.records.push(Record::from_rdata(
            name(owner),
            60,
            RData::SRV(SRV::new(prio, weight, port, target)),
        ));
        self
    }
    pub fn cname(&mut self, alias: &str, target: &str) -> &mut Self {
        self.records.push(Record::from_rdata(
            name(alias),
            60,
            RData::CNAME(CNAME(name(target))),
        ));
        self
    }
    pub fn txt(&mut self, owner: &str, text: &str) -> &mut Self {
        self.records.push(Record::from_rdata(
            name(owner),
            60,
            RData::TXT(TXT::new(vec![text.into()])),
        ));
        self
    }
    pub fn fault(&mut self, domain: &str, f: DnsFault) -> &mut Self {
        self.faults.push((domain.to_owned(), f));
        self
    }
    pub fn https(&mut self, host: &str, path: &str, r: Route) -> &mut Self {
        self.https.insert((host.to_owned(), path.to_owned()), r);
        self
    }
    pub fn http(&mut self, host: &str, path: &str, r: Route) -> &mut Self {
        self.http.insert((host.to_owned(), path.to_owned()), r);
        self
    }
    pub fn wrong_cert(&mut self, host: &str) -> &mut Self {
        self.wrong_cert.push(host.to_owned());
        self
    }
    /// Makes `domain` a zone of its own, as each real domain is: its names are answered from its
    /// own authority. Why it matters for the bench: hickory-server's in-memory authority scans
    /// every record of a zone to tell NXDOMAIN from NODATA, so 10,000 domains in the one `test.`
    /// zone made each negative answer cost ~40,000 comparisons (75 % of the bench's CPU).
    pub fn apex(&mut self, domain: &str) -> &mut Self {
        self.apexes.push(domain.to_owned());
        self
    }
}

/// The running fixtures.
pub struct Fixture {
    pub dns: SocketAddr,
    /// The offset of the HTTP(S) ports (443 + offset, 80 + offset).
    pub offset: u16,
    /// The test CA, as a PEM file (give it to discovery with --ca-file).
    pub ca_file: PathBuf,
    pub ca_pem: String,
    /// `https://ispdb.test:<port>/v1.1/`.
    pub ispdb_url: String,
    _runtime_thread: std::thread::JoinHandle<()>,
}

impl Fixture {
    /// The arguments that point `mailsetup discover` at the fixtures.
    pub fn args(&self) -> Vec<String> {
        vec![
            "--resolver".into(),
            self.dns.to_string(),
            "--ca-file".into(),
            self.ca_file.display().to_string(),
            "--ispdb-url".into(),
            self.ispdb_url.clone(),
            "--standard-port-offset".into(),
            self.offset.to_string(),
        ]
    }
}

/// The DNS handler: the real catalog, behind the faults.
struct Faulty {
    catalog: Catalog,
    faults: Vec<(LowerName, DnsFault)>,
}

#[derive(Clone)]
struct SetAd<R>(R);

#[async_trait::async_trait]
impl<R: ResponseHandler> ResponseHandler for SetAd<R> {
    async fn send_response<'a>(
        &mut self,
        mut response: MessageResponse<
            '_,
            'a,
            impl Iterator<Item = &'a Record> + Send + 'a,
            impl Iterator<Item = &'a Record> + Send + 'a,
            impl Iterator<Item = &'a Record> + Send + 'a,
            impl Iterator<Item = &'a Record> + Send + 'a,
        >,
    ) -> std::io::Result<ResponseInfo> {
        response.header_mut().set_authentic_data(true);
        self.0.send_response(response).await
    }
}

#[async_trait::async_trait]
impl RequestHandler for Faulty {
    async fn handle_request<R: ResponseHandler>(
        &self,
        request: &Request,
        mut response_handle: R,
    ) -> ResponseInfo {
        let fault = request.request_info().ok().and_then(|info| {
            let qname = info.query.name();
            self.faults
                .iter()
                .find(|(d, _)| d.zone_of(qname))
                .map(|(_, f)| *f)
        });
        match fault {
            Some(DnsFault::BlackHole) => {
                // Hold the query unanswered well past any client deadline.
                tokio::time::sleep(Duration::from_secs(30)).await;
                ResponseInfo::from(Header::new())
            }
            Some(DnsFault::ServFail) => {
                let builder = MessageResponseBuilder::from_message_request(request);
                let msg = builder.error_msg(request.header(), ResponseCode::ServFail);
                response_handle
                    .send_response(msg)
                    .await
                    .unwrap_or_else(|_| ResponseInfo::from(Header::new()))
            }
            Some(DnsFault::Delay(d)) => {
                tokio::time::sleep(d).await;
                self.catalog.handle_request(request, response_handle).await
            }
            Some(DnsFault::Authenticated) => {
                self.catalog
                    .handle_request(request, SetAd(response_handle))
                    .await
            }
            None => self.catalog.handle_request(request, response_handle).await,
        }
    }
}

/// Makes the test PKI: a CA, and one leaf per host (the wrong-cert hosts get a leaf for another name).
struct Pki {
    ca_pem: String,
    leaves: HashMap<String, Arc<rustls::sign::CertifiedKey>>,
}

fn pki(hosts: &[String], wrong: &[String]) -> Pki {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "mailsetup discovery test CA");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let provider = rustls::crypto::ring::default_provider();
    let mut leaves = HashMap::new();
    for h in hosts {
        let names = if wrong.contains(h) {
            vec!["wrong.example".to_owned()]
        } else {
            vec![h.clone()]
        };
        let key = KeyPair::generate().unwrap();
        let params = CertificateParams::new(names).unwrap();
        let cert = params.signed_by(&key, &ca, &ca_key).unwrap();
        let der_key = rustls::pki_types::PrivateKeyDer::try_from(key.serialize_der()).unwrap();
        let signing = provider.key_provider.load_private_key(der_key).unwrap();
        let ck =
            rustls::sign::CertifiedKey::new(vec![cert.der().clone(), ca.der().clone()], signing);
        leaves.insert(h.clone(), Arc::new(ck));
    }
    Pki {
        ca_pem: ca.pem(),
        leaves,
    }
}

#[derive(Debug)]
struct BySni(HashMap<String, Arc<rustls::sign::CertifiedKey>>);

impl rustls::server::ResolvesServerCert for BySni {
    fn resolve(
        &self,
        hello: rustls::server::ClientHello<'_>,
    ) -> Option<Arc<rustls::sign::CertifiedKey>> {
        self.0.get(hello.server_name()?).cloned()
    }
}

type Body = BoxBody<Bytes, std::io::Error>;

fn full(s: impl Into<Bytes>) -> Body {
    Full::new(s.into()).map_err(|never| match never {}).boxed()
}

/// Asks the fixture DNS server the query of a DoH GET, over UDP, and answers with its reply.
async fn doh(dns: SocketAddr, query: Option<&str>) -> hyper::Response<Body> {
    use base64::Engine;
    let bad = |code: u16, why: &'static str| {
        hyper::Response::builder()
            .status(code)
            .header("access-control-allow-origin", "*")
            .body(full(why))
            .unwrap()
    };
    let Some(q) = query
        .unwrap_or("")
        .split('&')
        .find_map(|kv| kv.strip_prefix("dns="))
    else {
        return bad(400, "no dns parameter");
    };
    let Ok(message) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(q) else {
        return bad(400, "dns is not base64url");
    };
    let Ok(socket) = tokio::net::UdpSocket::bind("127.0.0.1:0").await else {
        return bad(502, "no socket");
    };
    let mut buf = vec![0u8; 4096];
    let reply = async {
        socket.send_to(&message, dns).await?;
        let (n, _) = socket.recv_from(&mut buf).await?;
        Ok::<_, std::io::Error>(n)
    };
    match tokio::time::timeout(Duration::from_secs(5), reply).await {
        Ok(Ok(n)) => hyper::Response::builder()
            .header("content-type", "application/dns-message")
            .header("access-control-allow-origin", "*")
            .body(full(buf[..n].to_vec()))
            .unwrap(),
        _ => bad(504, "the DNS server did not answer"),
    }
}

async fn answer(
    routes: Arc<HashMap<(String, String), Route>>,
    dns: SocketAddr,
    req: hyper::Request<hyper::body::Incoming>,
) -> Result<hyper::Response<Body>, std::convert::Infallible> {
    let host = req
        .headers()
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("")
        .split(':')
        .next()
        .unwrap_or("")
        .to_owned();
    let path = req.uri().path().to_owned();
    let response =
        |code: u16, body: Body| hyper::Response::builder().status(code).body(body).unwrap();
    Ok(match routes.get(&(host, path)) {
        None => response(404, full("not found")),
        Some(Route::Xml(x)) => hyper::Response::builder()
            .header("content-type", "text/xml")
            .body(full(x.clone()))
            .unwrap(),
        Some(Route::Redirect(to)) => hyper::Response::builder()
            .status(302)
            .header("location", to.as_str())
            .body(full(""))
            .unwrap(),
        Some(Route::Status(c)) => response(*c, full("")),
        Some(Route::Doh) => doh(dns, req.uri().query()).await,
        Some(Route::Slow(d, x)) => {
            tokio::time::sleep(*d).await;
            response(200, full(x.clone()))
        }
        Some(Route::Huge(n)) => {
            let chunk = Bytes::from(vec![b' '; 64 * 1024]);
            let count = n / chunk.len();
            let head = Bytes::from_static(b"<?xml version=\"1.0\"?><clientConfig version=\"1.1\">");
            let frames = std::iter::once(head)
                .chain(std::iter::repeat_n(chunk, count))
                .map(|b| Ok::<_, std::io::Error>(Frame::data(b)));
            let body = StreamBody::new(futures_util::stream::iter(frames));
            response(200, BodyExt::boxed(body))
        }
    })
}

async fn serve_http(
    listener: tokio::net::TcpListener,
    tls: Option<tokio_rustls::TlsAcceptor>,
    routes: Arc<HashMap<(String, String), Route>>,
    dns: SocketAddr,
) {
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            continue;
        };
        let (tls, routes) = (tls.clone(), routes.clone());
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| answer(routes.clone(), dns, req));
            let builder = hyper::server::conn::http1::Builder::new();
            match tls {
                Some(acceptor) => {
                    if let Ok(stream) = acceptor.accept(tcp).await {
                        let _ = builder
                            .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                            .await;
                    }
                }
                None => {
                    let _ = builder
                        .serve_connection(hyper_util::rt::TokioIo::new(tcp), service)
                        .await;
                }
            }
        });
    }
}

/// Starts the fixtures for `zone` on their own runtime thread. `offset`: the HTTP(S) port offset
/// (`None`: the first free one from a few tried).
pub fn start(zone: Zone, offset: Option<u16>) -> Fixture {
    let (tx, rx) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("fixture")
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            // DNS: the catalog with the test zone and the zones of their own, behind the faults.
            let authority = |origin: &Name| {
                let mut a = InMemoryAuthority::empty(origin.clone(), ZoneType::Primary, false);
                let soa = SOA::new(name("ns.test"), name("admin.test"), 1, 3600, 600, 86400, 60);
                a.upsert_mut(Record::from_rdata(origin.clone(), 60, RData::SOA(soa)), 1);
                a
            };
            let mut zones: HashMap<LowerName, InMemoryAuthority> = HashMap::new();
            for apex in std::iter::once(ZONE).chain(zone.apexes.iter().map(String::as_str)) {
                let origin = name(apex);
                zones.insert(LowerName::new(&origin), authority(&origin));
            }
            for r in zone.records {
                // The closest enclosing zone (every fixture name is below `test.`).
                let mut owner = LowerName::new(r.name());
                while !zones.contains_key(&owner) {
                    owner = owner.base_name();
                }
                zones.get_mut(&owner).unwrap().upsert_mut(r, 1);
            }
            let mut catalog = Catalog::new();
            for (origin, a) in zones {
                catalog.upsert(origin, vec![Arc::new(a)]);
            }
            let faults = zone
                .faults
                .iter()
                .map(|(d, f)| (LowerName::new(&name(d)), *f))
                .collect();
            let mut server = ServerFuture::new(Faulty { catalog, faults });
            let udp = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
            let dns = udp.local_addr().unwrap();
            let tcp = tokio::net::TcpListener::bind(dns).await.unwrap();
            server.register_socket(udp);
            server.register_listener(tcp, Duration::from_secs(5));

            // HTTPS and HTTP on 443 + offset and 80 + offset.
            let mut hosts: Vec<String> = zone.https.keys().map(|(h, _)| h.clone()).collect();
            hosts.sort();
            hosts.dedup();
            let pki = pki(&hosts, &zone.wrong_cert);
            let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
                rustls::crypto::ring::default_provider(),
            ))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_cert_resolver(Arc::new(BySni(pki.leaves)));
            config.alpn_protocols = vec![b"http/1.1".to_vec()];
            let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
            let bind = |port: u16| async move {
                tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await
            };
            let mut chosen = None;
            let tries: Vec<u16> = match offset {
                Some(o) => vec![o],
                None => {
                    let seed = (std::process::id() as u16).wrapping_mul(7919) % 200;
                    (0..40)
                        .map(|k| 20000 + ((seed + k * 37) % 200) * 100)
                        .collect()
                }
            };
            for o in tries {
                if let (Ok(s), Ok(p)) = (bind(443 + o).await, bind(80 + o).await) {
                    chosen = Some((o, s, p));
                    break;
                }
            }
            let (offset, https, http) = chosen.expect("no free port pair for the HTTP(S) fixtures");
            let port = (443 + offset).to_string();
            let fill =
                |routes: HashMap<(String, String), Route>| -> HashMap<(String, String), Route> {
                    routes
                        .into_iter()
                        .map(|(k, r)| match r {
                            Route::Redirect(to) => {
                                (k, Route::Redirect(to.replace("{PORT}", &port)))
                            }
                            r => (k, r),
                        })
                        .collect()
                };
            let (zone_https, zone_http) = (fill(zone.https), fill(zone.http));
            tokio::spawn(serve_http(https, Some(acceptor), Arc::new(zone_https), dns));
            tokio::spawn(serve_http(http, None, Arc::new(zone_http), dns));

            let dir = std::env::temp_dir().join(format!(
                "mailsetup-discover-{}-{offset}",
                std::process::id()
            ));
            std::fs::create_dir_all(&dir).unwrap();
            let ca_file = dir.join("ca.pem");
            std::fs::write(&ca_file, &pki.ca_pem).unwrap();
            tx.send((dns, offset, ca_file, pki.ca_pem)).unwrap();
            let _ = server.block_until_done().await;
        });
    });
    let (dns, offset, ca_file, ca_pem) = rx.recv().expect("the fixtures did not start");
    Fixture {
        dns,
        offset,
        ca_file,
        ca_pem,
        ispdb_url: format!("https://ispdb.test:{}/v1.1/", 443 + offset),
        _runtime_thread: thread,
    }
}

/// An autoconfig file for a domain with an IMAP and an SMTP server.
pub fn autoconfig(
    domain: &str,
    imap: &str,
    imap_port: u16,
    imap_sec: &str,
    smtp: &str,
    smtp_port: u16,
    smtp_sec: &str,
) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="{domain}">
    <domain>{domain}</domain>
    <displayName>{domain} mail</displayName>
    <incomingServer type="imap">
      <hostname>{imap}</hostname>
      <port>{imap_port}</port>
      <socketType>{imap_sec}</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILADDRESS%</username>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>{smtp}</hostname>
      <port>{smtp_port}</port>
      <socketType>{smtp_sec}</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILADDRESS%</username>
    </outgoingServer>
  </emailProvider>
</clientConfig>
"#
    )
}

/// An Autodiscover POX response with IMAP and SMTP.
pub fn autodiscover(imap: &str, smtp: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
    <Account>
      <AccountType>email</AccountType>
      <Action>settings</Action>
      <Protocol><Type>IMAP</Type><Server>{imap}</Server><Port>993</Port><SSL>on</SSL><LoginName>someone@autodiscover.test</LoginName></Protocol>
      <Protocol><Type>SMTP</Type><Server>{smtp}</Server><Port>587</Port><Encryption>TLS</Encryption></Protocol>
    </Account>
  </Response>
</Autodiscover>
"#
    )
}

/// The DNS-over-HTTPS resolver the page asks by default (www/discovery.js).
pub const DOH_HOST: &str = "cloudflare-dns.com";

const AC: &str = "/mail/config-v1.1.xml";
const WK: &str = "/.well-known/autoconfig/mail/config-v1.1.xml";
const AD: &str = "/autodiscover/autodiscover.xml";

/// Every scenario of the tests in one zone (one server per test binary).
pub fn scenarios() -> Zone {
    let lo = Ipv4Addr::LOCALHOST;
    let mut z = Zone::default();
    z.a("ispdb.test", lo);
    z.https(
        "ispdb.test",
        "/v1.1/ispdb-only.test",
        Route::Xml(autoconfig(
            "ispdb-only.test",
            "imap.mailhost.test",
            993,
            "SSL",
            "smtp.mailhost.test",
            465,
            "SSL",
        )),
    );

    // Own autoconfig (HTTPS), and the well-known URL of another domain.
    z.a("autoconfig.own.test", lo)
        .mx("own.test", 10, "mx.own.test");
    z.https(
        "autoconfig.own.test",
        AC,
        Route::Xml(autoconfig(
            "own.test",
            "imap.own.test",
            993,
            "SSL",
            "smtp.own.test",
            587,
            "STARTTLS",
        )),
    );
    z.a("wellknown.test", lo);
    z.https(
        "wellknown.test",
        WK,
        Route::Xml(autoconfig(
            "wellknown.test",
            "mail.wellknown.test",
            993,
            "SSL",
            "mail.wellknown.test",
            465,
            "SSL",
        )),
    );

    // ISPDB only: nothing of its own.
    z.mx("ispdb-only.test", 10, "mx.mailhost.test");

    // MX at the big providers.
    z.mx("google-hosted.test", 1, "aspmx.l.google.com").mx(
        "google-hosted.test",
        5,
        "alt1.aspmx.l.google.com",
    );
    z.mx(
        "ms-hosted.test",
        0,
        "ms-hosted-test.mail.protection.outlook.com",
    );
    // A stale autoconfig shadowing a Google MX.
    z.mx("stale.test", 1, "aspmx.l.google.com")
        .a("autoconfig.stale.test", lo);
    z.https(
        "autoconfig.stale.test",
        AC,
        Route::Xml(autoconfig(
            "stale.test",
            "mail.stale.test",
            993,
            "SSL",
            "mail.stale.test",
            465,
            "SSL",
        )),
    );

    // SRV only (RFC 6186 / 8314), "." for what is not offered; and DNSSEC-validated SRV.
    for d in ["srv.test", "secure.test"] {
        z.srv(&format!("_imaps._tcp.{d}"), 0, 1, 993, &format!("imap.{d}"));
        z.srv(&format!("_imap._tcp.{d}"), 0, 0, 0, ".");
        z.srv(&format!("_pop3s._tcp.{d}"), 0, 0, 0, ".");
        z.srv(&format!("_pop3._tcp.{d}"), 0, 0, 0, ".");
        z.srv(
            &format!("_submissions._tcp.{d}"),
            0,
            1,
            465,
            &format!("smtp.{d}"),
        );
        z.srv(
            &format!("_submission._tcp.{d}"),
            10,
            1,
            587,
            &format!("smtp.{d}"),
        );
    }
    z.fault("secure.test", DnsFault::Authenticated);
    // SRV pointing elsewhere.
    z.srv(
        "_imaps._tcp.srv-elsewhere.test",
        0,
        1,
        993,
        "imap.hoster.test",
    );
    z.srv(
        "_submissions._tcp.srv-elsewhere.test",
        0,
        1,
        465,
        "smtp.hoster.test",
    );

    // Autodiscover POX (with --send-address), its host an alias.
    z.cname(
        "autodiscover.autodiscover.test",
        "ad-host.autodiscover.test",
    )
    .a("ad-host.autodiscover.test", lo);
    z.https(
        "autodiscover.autodiscover.test",
        AD,
        Route::Xml(autodiscover(
            "imap.autodiscover.test",
            "smtp.autodiscover.test",
        )),
    );

    // Guess only: names that resolve to the Dovecot of the real-server tests (127.0.0.2).
    let dovecot = Ipv4Addr::new(127, 0, 0, 2);
    for h in ["imap.guess.test", "smtp.guess.test", "mail.guess.test"] {
        z.a(h, dovecot);
    }

    // The browser test's DNS-over-HTTPS resolver: the page's default one, which Chromium is
    // told lives on loopback (e2e/discovery.test.mjs).
    z.https(DOH_HOST, "/dns-query", Route::Doh);

    // Nothing at all, but the domain exists.
    z.txt("nothing.test", "v=spf1 -all");

    // Faults.
    z.fault("blackhole.test", DnsFault::BlackHole);
    z.fault("servfail.test", DnsFault::ServFail);
    z.fault("slowdns.test", DnsFault::Delay(Duration::from_millis(300)));
    z.a("autoconfig.slowdns.test", lo);
    z.https(
        "autoconfig.slowdns.test",
        AC,
        Route::Xml(autoconfig(
            "slowdns.test",
            "imap.slowdns.test",
            993,
            "SSL",
            "smtp.slowdns.test",
            465,
            "SSL",
        )),
    );
    z.a("autoconfig.loop.test", lo);
    z.https("autoconfig.loop.test", AC, Route::Redirect("/a".into()));
    z.https("autoconfig.loop.test", "/a", Route::Redirect("/b".into()));
    z.https("autoconfig.loop.test", "/b", Route::Redirect("/a".into()));
    z.a("autoconfig.cross.test", lo)
        .a("autoconfig.hoster.test", lo);
    z.https(
        "autoconfig.cross.test",
        AC,
        Route::Redirect(format!("https://autoconfig.hoster.test:{{PORT}}{AC}")),
    );
    z.https(
        "autoconfig.hoster.test",
        AC,
        Route::Xml(autoconfig(
            "cross.test",
            "imap.hoster.test",
            993,
            "SSL",
            "smtp.hoster.test",
            465,
            "SSL",
        )),
    );
    z.a("autoconfig.large.test", lo);
    z.https("autoconfig.large.test", AC, Route::Huge(50 << 20));
    z.a("autoconfig.wrongcert.test", lo);
    z.https(
        "autoconfig.wrongcert.test",
        AC,
        Route::Xml(autoconfig(
            "wrongcert.test",
            "imap.wrongcert.test",
            993,
            "SSL",
            "smtp.wrongcert.test",
            465,
            "SSL",
        )),
    );
    z.wrong_cert("autoconfig.wrongcert.test");
    z.a("autoconfig.httponly.test", lo);
    z.http(
        "autoconfig.httponly.test",
        AC,
        Route::Xml(autoconfig(
            "httponly.test",
            "imap.httponly.test",
            993,
            "SSL",
            "smtp.httponly.test",
            465,
            "SSL",
        )),
    );
    z.a("autoconfig.slowhttp.test", lo);
    z.https(
        "autoconfig.slowhttp.test",
        AC,
        Route::Slow(Duration::from_secs(30), String::new()),
    );
    z.a("autoconfig.refused.test", lo);
    z.https(
        "autoconfig.refused.test",
        AC,
        Route::Xml("<!DOCTYPE x [<!ENTITY a \"b\">]><clientConfig/>".into()),
    );
    z
}
