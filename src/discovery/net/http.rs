//! HTTP(S) for discovery: reqwest on our own rustls configuration (the roots of `--ca-file` or
//! the public web roots), host names resolved by discovery's DNS, redirects followed by hand (so
//! that each hop is recorded and judged), and a cap on time, size and hops.

use super::dns::Dns;
use crate::discovery::evidence::{HttpOutcome, HttpResult, Redirect};
use crate::probe::Trust;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// The largest document read: the XML reader's own limit (`documents::xml::MAX_DOCUMENT_BYTES`).
pub const MAX_BODY: u64 = crate::documents::xml::MAX_DOCUMENT_BYTES as u64;
/// The most redirects followed (Thunderbird follows a handful; a loop stops here).
pub const MAX_REDIRECTS: usize = 5;

/// The HTTP client of one discovery (or a whole batch); clones share the connection pool.
#[derive(Clone)]
pub struct Http {
    client: reqwest::Client,
    timeout: Duration,
}

/// reqwest asks this for addresses: discovery's own DNS, never the system's.
struct Resolver(Arc<Dns>);

/// A name that did not resolve (found again in the error chain, to say so).
#[derive(Debug)]
struct NoAddress(String);

impl std::fmt::Display for NoAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for NoAddress {}

impl reqwest::dns::Resolve for Resolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let dns = self.0.clone();
        let host = name.as_str().to_owned();
        Box::pin(async move {
            match dns.addresses(&host).await {
                Ok(ips) => {
                    let addrs: Vec<SocketAddr> =
                        ips.into_iter().map(|ip| SocketAddr::new(ip, 0)).collect();
                    Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
                }
                Err(e) => Err(Box::new(NoAddress(e)) as Box<dyn std::error::Error + Send + Sync>),
            }
        })
    }
}

impl Http {
    /// `timeout`: for each request, redirects and body included.
    pub fn new(dns: Arc<Dns>, trust: &Trust, timeout: Duration) -> Result<Http, String> {
        let mut roots = rustls::RootCertStore::empty();
        match trust {
            Trust::WebPkiRoots => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
            Trust::CaFile(certs) => {
                for c in certs {
                    roots.add(c.clone()).map_err(|e| {
                        format!("a certificate of the CA file cannot be a root: {e}")
                    })?;
                }
            }
        }
        let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
        let client = reqwest::Client::builder()
            .use_preconfigured_tls(tls)
            .dns_resolver(Arc::new(Resolver(dns)))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .connect_timeout(timeout)
            .timeout(timeout)
            .user_agent(concat!(
                "mailsetup/",
                env!("CARGO_PKG_VERSION"),
                " (discover)"
            ))
            .build()
            .map_err(|e| format!("cannot set up the HTTP client: {e}"))?;
        Ok(Http { client, timeout })
    }

    /// GET (or POST `body` as XML) `url`, following redirects by hand.
    pub async fn fetch(&self, url: &str, post: Option<&str>) -> HttpResult {
        let mut result = HttpResult {
            outcome: HttpOutcome::Error {
                message: String::new(),
            },
            redirects: Vec::new(),
            final_url: url.to_owned(),
            https_verified: url.starts_with("https://"),
        };
        let deadline = tokio::time::Instant::now() + self.timeout;
        let outcome =
            match tokio::time::timeout_at(deadline, self.follow(url, post, &mut result)).await {
                Ok(o) => o,
                Err(_) => HttpOutcome::Timeout {
                    seconds: self.timeout.as_secs_f64(),
                },
            };
        if !matches!(outcome, HttpOutcome::Body { .. }) {
            result.https_verified = false;
        }
        result.outcome = outcome;
        result
    }

    async fn follow(&self, url: &str, post: Option<&str>, result: &mut HttpResult) -> HttpOutcome {
        let mut current = url.to_owned();
        loop {
            let request = match post {
                Some(body) => self
                    .client
                    .post(&current)
                    .header("content-type", "text/xml; charset=utf-8")
                    .body(body.to_owned()),
                None => self.client.get(&current),
            };
            let response = match request.send().await {
                Ok(r) => r,
                Err(e) => return classify(&e, self.timeout),
            };
            let status = response.status();
            if status.is_redirection() {
                let Some(location) = response
                    .headers()
                    .get("location")
                    .and_then(|v| v.to_str().ok())
                else {
                    return HttpOutcome::Status {
                        code: status.as_u16(),
                    };
                };
                let next = match response.url().join(location) {
                    Ok(u) => u.to_string(),
                    Err(e) => {
                        return HttpOutcome::RedirectRefused {
                            to: location.to_owned(),
                            reason: format!("not a URL: {e}"),
                        }
                    }
                };
                if result.redirects.len() >= MAX_REDIRECTS
                    || result.redirects.iter().any(|r| r.from == next)
                {
                    result.redirects.push(Redirect {
                        status: status.as_u16(),
                        from: current.clone(),
                        to: next,
                    });
                    return HttpOutcome::TooManyRedirects {
                        limit: MAX_REDIRECTS,
                    };
                }
                let refuse = if current.starts_with("https://") && !next.starts_with("https://") {
                    Some("from HTTPS to plain HTTP (a downgrade)")
                } else if !next.starts_with("https://") && !next.starts_with("http://") {
                    Some("not an http(s) URL")
                } else {
                    None
                };
                if let Some(reason) = refuse {
                    return HttpOutcome::RedirectRefused {
                        to: next,
                        reason: reason.into(),
                    };
                }
                result.redirects.push(Redirect {
                    status: status.as_u16(),
                    from: current.clone(),
                    to: next.clone(),
                });
                result.final_url = next.clone();
                current = next;
                continue;
            }
            if !status.is_success() {
                return HttpOutcome::Status {
                    code: status.as_u16(),
                };
            }
            if response.content_length().is_some_and(|n| n > MAX_BODY) {
                return HttpOutcome::TooLarge { limit: MAX_BODY };
            }
            let content_type = response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let code = status.as_u16();
            let mut response = response;
            let mut body: Vec<u8> = Vec::new();
            loop {
                match response.chunk().await {
                    Ok(Some(chunk)) => {
                        if body.len() as u64 + chunk.len() as u64 > MAX_BODY {
                            return HttpOutcome::TooLarge { limit: MAX_BODY };
                        }
                        body.extend_from_slice(&chunk);
                    }
                    Ok(None) => break,
                    Err(e) => return classify(&e, self.timeout),
                }
            }
            return match String::from_utf8(body) {
                Ok(body) => HttpOutcome::Body {
                    code,
                    content_type,
                    body,
                },
                Err(_) => HttpOutcome::NotText,
            };
        }
    }
}

/// An error of the client in words: the name, the connection, the certificate, the time.
fn classify(e: &reqwest::Error, timeout: Duration) -> HttpOutcome {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if let Some(found) = known(s) {
            return found;
        }
        source = s.source();
    }
    if e.is_timeout() {
        return HttpOutcome::Timeout {
            seconds: timeout.as_secs_f64(),
        };
    }
    let deepest = {
        let mut s: &dyn std::error::Error = e;
        while let Some(n) = s.source() {
            s = n;
        }
        s.to_string()
    };
    // hyper-util hands the handshake's error on as text only: rustls's words are recognised.
    if deepest.starts_with("invalid peer certificate") {
        let message = match deepest.split_once("certificate is only valid for ") {
            Some((_, names)) if deepest.contains("not valid for name") => {
                format!(
                    "the certificate is for another name (it names {})",
                    names.replace("DnsName(", "").replace(')', "")
                )
            }
            _ => deepest.clone(),
        };
        return HttpOutcome::Tls { message };
    }
    if e.is_connect() {
        return HttpOutcome::Connect { message: deepest };
    }
    HttpOutcome::Error { message: deepest }
}

/// A DNS or TLS failure in one link of an error chain (an `io::Error`'s own `source()` skips the
/// error it wraps, so that one is looked into).
fn known(s: &(dyn std::error::Error + 'static)) -> Option<HttpOutcome> {
    if let Some(n) = s.downcast_ref::<NoAddress>() {
        return Some(HttpOutcome::Dns {
            message: n.0.clone(),
        });
    }
    if let Some(r) = s.downcast_ref::<rustls::Error>() {
        return Some(HttpOutcome::Tls {
            message: tls_words(r),
        });
    }
    if let Some(io) = s.downcast_ref::<std::io::Error>() {
        return io.get_ref().and_then(|i| known(i));
    }
    None
}

/// A certificate problem in plain words.
fn tls_words(e: &rustls::Error) -> String {
    use rustls::CertificateError as C;
    match e {
        rustls::Error::InvalidCertificate(c) => match c {
            C::NotValidForName | C::NotValidForNameContext { .. } => {
                let names = match c {
                    C::NotValidForNameContext { presented, .. } => {
                        format!(" (it names {})", presented.join(", "))
                    }
                    _ => String::new(),
                };
                format!("the certificate is for another name{names}")
            }
            C::UnknownIssuer => {
                "the certificate is not issued by a trusted authority (unknown issuer)".into()
            }
            C::Expired | C::ExpiredContext { .. } => "the certificate has expired".into(),
            C::NotValidYet | C::NotValidYetContext { .. } => {
                "the certificate is not valid yet".into()
            }
            C::BadSignature => "the certificate's signature does not verify".into(),
            C::Revoked => "the certificate is revoked".into(),
            other => format!("the certificate is not valid: {other:?}"),
        },
        other => other.to_string(),
    }
}
