//! Discovery as a web page runs it: the same plan and analysis, with the DNS lookups made through
//! DNS-over-HTTPS (RFC 8484) by the page, and what a page cannot do recorded as skipped, with
//! the reason, in the trace.
//!
//! A page can ask a DNS-over-HTTPS resolver that allows it (CORS), so the MX and SRV lookups run
//! as natively. It cannot read another site's autoconfig file unless that site allows it, and
//! autoconfig servers rarely send the CORS headers that would; the ISPDB does not document that
//! it allows web pages either; and a page cannot open a connection to a mail server, so it does
//! not guess. Those are left to `mailsetup discover`.
//!
//! The page drives it: [`PageDiscovery::next`] hands out the DNS queries to send (as RFC 8484
//! GET URLs), the page reports each answer ([`PageDiscovery::answer`]) or failure
//! ([`PageDiscovery::failed`]), asks `next` again for the follow-ups, and reads the result with
//! [`PageDiscovery::result`] when nothing is pending. No I/O here, and no clock: the page gives
//! the times.

use super::analyze::{analyze, Discovery};
use super::evidence::{
    DnsOutcome, DnsResult, Document, Evidence, Lookup, Observation, Observed, RecordType,
};
use super::plan::{Options, Request, RequestError};
use super::wire;
use serde::Serialize;

/// Why the page does not read a domain's autoconfig file or Autodiscover.
pub const SKIP_CROSS_SITE: &str = "a web page cannot read a file on another site unless that site allows it (CORS headers), and autoconfig servers rarely do; `mailsetup discover` reads it";
/// Why the page does not ask the ISPDB.
pub const SKIP_ISPDB: &str = "the ISPDB does not document that web pages may read it (CORS), so this page does not ask it; `mailsetup discover` does";
/// Why the page does not probe.
pub const SKIP_PROBE: &str =
    "a web page cannot connect to a mail server; `mailsetup discover` asks it for its greeting";

/// A DNS query for the page to send: `GET url` with `Accept: application/dns-message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-discovery", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct DohQuery {
    /// Its number, to report the answer with.
    pub id: u32,
    /// `MX example.org`.
    pub label: String,
    /// The resolver's URL with the query (`?dns=`, base64url, RFC 8484 §4.1).
    pub url: String,
}

/// A DNS-over-HTTPS resolver's URL discovery cannot use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the DNS-over-HTTPS resolver must be an https:// URL without a fragment (RFC 8484), not {}", crate::text::Quoted(.0))]
pub struct ResolverError(pub String);

/// Input a page discovery cannot start with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PageError {
    /// Not an address or a domain.
    #[error(transparent)]
    Request(#[from] RequestError),
    /// The resolver's URL.
    #[error(transparent)]
    Resolver(#[from] ResolverError),
    /// An answer for a query that was not handed out (or was answered already).
    #[error("no DNS query {0} is waiting for an answer")]
    UnknownQuery(u32),
}

/// One discovery run by a web page.
#[derive(Debug, Clone)]
pub struct PageDiscovery {
    request: Request,
    resolver: String,
    evidence: Evidence,
    /// Every lookup handed out or recorded, by id.
    started: Vec<Lookup>,
    /// When each DNS query was handed out, ms, by id (`None`: answered, or not a query).
    waiting: Vec<Option<f64>>,
}

impl PageDiscovery {
    /// A discovery of `input` (an address or a domain) through the DNS-over-HTTPS resolver at
    /// `resolver` (`https://…/dns-query`). The page sends nothing else: the address is never
    /// sent, and nothing is guessed.
    pub fn new(input: &str, resolver: &str) -> Result<PageDiscovery, PageError> {
        let resolver = resolver.trim();
        let ok = resolver
            .strip_prefix("https://")
            .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
            && !resolver.contains('#')
            && !resolver
                .chars()
                .any(|c| c.is_whitespace() || c.is_control());
        if !ok {
            return Err(ResolverError(resolver.to_owned()).into());
        }
        let options = Options {
            send_address: false,
            allow_http: false,
            guess: false,
            ..Options::default()
        };
        Ok(PageDiscovery {
            request: Request::new(input, options)?,
            resolver: resolver.to_owned(),
            evidence: Evidence::default(),
            started: Vec::new(),
            waiting: Vec::new(),
        })
    }

    /// The domain looked up.
    pub fn domain(&self) -> &str {
        &self.request.domain
    }

    /// The resolver asked.
    pub fn resolver(&self) -> &str {
        &self.resolver
    }

    /// The DNS queries to send now (`now_ms`: the page's clock, from the discovery's start): the
    /// first round, then what the answers so far call for. What a page cannot do is recorded as
    /// skipped, with the reason, and not handed out.
    pub fn next(&mut self, now_ms: f64) -> Vec<DohQuery> {
        let lookups = if self.started.is_empty() {
            self.request.initial()
        } else {
            self.request.follow_up(&self.evidence)
        };
        let mut out = Vec::new();
        for lookup in lookups {
            if self.started.contains(&lookup) {
                continue;
            }
            let id = self.started.len() as u32;
            self.started.push(lookup.clone());
            let skip = match &lookup {
                Lookup::Dns { name, rtype } => match wire::query_bytes(name, *rtype) {
                    Ok(bytes) => {
                        out.push(DohQuery {
                            id,
                            label: lookup.label(),
                            url: doh_url(&self.resolver, &bytes),
                        });
                        self.waiting.push(Some(now_ms));
                        continue;
                    }
                    Err(e) => e,
                },
                Lookup::Http {
                    document: Document::Ispdb { .. },
                    ..
                } => SKIP_ISPDB.to_owned(),
                Lookup::Http { .. } => SKIP_CROSS_SITE.to_owned(),
                Lookup::Probe { .. } => SKIP_PROBE.to_owned(),
            };
            self.waiting.push(None);
            self.evidence.observations.push(Observation {
                lookup,
                observed: Observed::Skipped { reason: skip },
                start_ms: now_ms,
                ms: 0.0,
                shared: false,
            });
        }
        out
    }

    /// The resolver's answer to query `id`: its HTTP status, content type and body.
    pub fn answer(
        &mut self,
        id: u32,
        status: u16,
        content_type: Option<&str>,
        body: &[u8],
        now_ms: f64,
    ) -> Result<(), PageError> {
        let (name, rtype) = self.waiting_query(id)?;
        let dns_message = content_type.is_some_and(|t| {
            t.trim()
                .to_ascii_lowercase()
                .starts_with("application/dns-message")
        });
        let (outcome, ad) = if !(200..300).contains(&status) {
            (
                DnsOutcome::Error {
                    message: format!("the DNS-over-HTTPS resolver answered HTTP {status}"),
                },
                false,
            )
        } else if !dns_message {
            (
                DnsOutcome::Error {
                    message: "the DNS-over-HTTPS resolver's answer is not a DNS message (Content-Type application/dns-message)".into(),
                },
                false,
            )
        } else {
            wire::read_answer(body, &name, rtype)
        };
        self.record(id, outcome, ad, now_ms);
        Ok(())
    }

    /// Query `id` got no answer: `message` says why (the browser says little: a refused
    /// cross-site request and an unreachable resolver look alike to a page); `timed_out` when
    /// the page gave up waiting after `seconds`.
    pub fn failed(
        &mut self,
        id: u32,
        message: &str,
        timed_out: bool,
        seconds: f64,
        now_ms: f64,
    ) -> Result<(), PageError> {
        self.waiting_query(id)?;
        let outcome = if timed_out {
            DnsOutcome::Timeout { seconds }
        } else {
            DnsOutcome::Error {
                message: format!(
                    "the DNS-over-HTTPS resolver could not be asked ({}): it is unreachable, or it does not allow web pages (CORS)",
                    crate::text::Escaped(message)
                ),
            }
        };
        self.record(id, outcome, false, now_ms);
        Ok(())
    }

    /// How many queries wait for an answer.
    pub fn pending(&self) -> usize {
        self.waiting.iter().filter(|w| w.is_some()).count()
    }

    /// The discovery from what came back so far (queries still waiting are recorded as
    /// skipped).
    pub fn result(&self) -> Discovery {
        let mut evidence = self.evidence.clone();
        for (id, w) in self.waiting.iter().enumerate() {
            if let Some(start) = w {
                evidence.observations.push(Observation {
                    lookup: self.started[id].clone(),
                    observed: Observed::Skipped {
                        reason: "the page stopped before the answer came".into(),
                    },
                    start_ms: *start,
                    ms: 0.0,
                    shared: false,
                });
            }
        }
        analyze(&self.request, &evidence)
    }

    /// The evidence so far (the audit reads the same shape).
    pub fn evidence(&self) -> &Evidence {
        &self.evidence
    }

    fn waiting_query(&self, id: u32) -> Result<(String, RecordType), PageError> {
        match (self.waiting.get(id as usize), self.started.get(id as usize)) {
            (Some(Some(_)), Some(Lookup::Dns { name, rtype })) => Ok((name.clone(), *rtype)),
            _ => Err(PageError::UnknownQuery(id)),
        }
    }

    fn record(&mut self, id: u32, outcome: DnsOutcome, ad: bool, now_ms: f64) {
        let i = id as usize;
        let start = self.waiting[i].take().unwrap_or(now_ms);
        self.evidence.observations.push(Observation {
            lookup: self.started[i].clone(),
            observed: Observed::Dns(DnsResult {
                outcome,
                // The channel to the resolver is HTTPS, so its AD bit reaches the page as it
                // sent it: believed as the native side believes a resolver on its own machine.
                authenticated: ad,
                resolver: self.resolver.clone(),
            }),
            start_ms: start,
            ms: (now_ms - start).max(0.0),
            shared: false,
        });
    }
}

/// `resolver?dns=<base64url query without padding>` (RFC 8484 §4.1).
pub fn doh_url(resolver: &str, query: &[u8]) -> String {
    use base64::Engine;
    let dns = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(query);
    let sep = if resolver.contains('?') { '&' } else { '?' };
    format!("{resolver}{sep}dns={dns}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_sends_dns_only_and_says_why_not_the_rest() {
        let mut p =
            PageDiscovery::new("someone@example.org", "https://doh.example/dns-query").unwrap();
        let queries = p.next(0.0);
        // MX and the six SRV names; nothing guessed, nothing fetched.
        assert_eq!(queries.len(), 7, "{queries:?}");
        assert!(queries
            .iter()
            .all(|q| q.url.starts_with("https://doh.example/dns-query?dns=")));
        assert!(queries.iter().all(|q| !q.url.contains("someone")));
        let skipped: Vec<&str> = p
            .evidence()
            .observations
            .iter()
            .filter_map(|o| match &o.observed {
                Observed::Skipped { reason } => Some(reason.as_str()),
                _ => None,
            })
            .collect();
        assert!(skipped.contains(&SKIP_ISPDB) && skipped.contains(&SKIP_CROSS_SITE));
        assert_eq!(p.pending(), 7);
        // An answer that is not a DNS message is an error, not "nothing there".
        p.answer(queries[0].id, 200, Some("text/html"), b"<html>", 5.0)
            .unwrap();
        assert!(matches!(
            p.answer(queries[0].id, 200, None, b"", 5.0),
            Err(PageError::UnknownQuery(_))
        ));
        p.failed(queries[1].id, "TypeError: Failed to fetch", false, 0.0, 6.0)
            .unwrap();
        assert_eq!(p.pending(), 5);
        let d = p.result();
        assert!(d.summary.unanswered >= 7, "{:?}", d.summary);
    }

    #[test]
    fn resolvers_are_https_urls() {
        for bad in [
            "http://doh.example/dns-query",
            "doh.example",
            "https://",
            "https:///x",
            "https://a b/",
        ] {
            assert!(
                matches!(
                    PageDiscovery::new("example.org", bad),
                    Err(PageError::Resolver(_))
                ),
                "{bad}"
            );
        }
        assert_eq!(
            doh_url("https://d.example/q?ct", b"\x00\x00"),
            "https://d.example/q?ct&dns=AAA"
        );
    }
}
