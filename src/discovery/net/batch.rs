//! Batches: many domains through one engine with bounded concurrency, one JSON line each as it
//! finishes, resumable (inputs already in the output are skipped), and a summary.

use super::run::Engine;
use crate::discovery::analyze::{Discovery, Offer};
use crate::discovery::plan::{Options, Request};
use futures_util::stream::{self, StreamExt};
use serde::Serialize;
use std::collections::HashSet;

/// One line of a batch's output.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchLine {
    /// The line of the input, as given (trimmed).
    pub input: String,
    /// The discovery, or why the input could not be looked up.
    #[serde(flatten)]
    pub result: BatchResult,
    /// How long the discovery took.
    pub ms: f64,
}

/// A discovery, or an input error.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase", untagged)]
pub enum BatchResult {
    /// The input was looked up.
    Found {
        /// What discovery found (or did not).
        discovery: Box<Discovery>,
    },
    /// The input is not an address or a domain.
    Error {
        /// Why.
        error: String,
    },
}

/// How many domains publish what.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Totals {
    /// Lines read.
    pub domains: usize,
    /// Inputs that were not an address or a domain.
    pub invalid: usize,
    /// Skipped because the output already had them (resumed).
    pub resumed: usize,
    /// Domains with an autoconfig file of their own.
    pub autoconfig: usize,
    /// Domains whose SRV records offer some service.
    pub srv: usize,
    /// Domains with some server offering implicit TLS.
    pub implicit_tls: usize,
    /// Domains offering STARTTLS at best.
    pub starttls_only: usize,
    /// Domains offering cleartext only.
    pub cleartext_only: usize,
    /// Domains where nothing was found.
    pub nothing: usize,
}

impl Totals {
    /// Counts one line.
    pub fn add(&mut self, line: &BatchLine) {
        match &line.result {
            BatchResult::Error { .. } => self.invalid += 1,
            BatchResult::Found { discovery } => {
                self.domains += 1;
                let s = discovery.summary;
                self.autoconfig += usize::from(s.autoconfig);
                self.srv += usize::from(s.srv);
                match s.offer {
                    Offer::ImplicitTls => self.implicit_tls += 1,
                    Offer::StarttlsOnly => self.starttls_only += 1,
                    Offer::CleartextOnly => self.cleartext_only += 1,
                    Offer::Nothing => self.nothing += 1,
                }
            }
        }
    }
}

/// The inputs of a batch file: one address or domain per line; blank lines and `#` comments are
/// left out; duplicates once.
pub fn read_inputs(text: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter(|l| seen.insert(l.to_string()))
        .map(str::to_owned)
        .collect()
}

/// The inputs an earlier run's output already holds (its `input` fields), to resume. A last line
/// cut short by an interruption is not counted (it is done again).
pub fn done_inputs(previous_output: &str) -> HashSet<String> {
    previous_output
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("input").and_then(|i| i.as_str()).map(str::to_owned))
        .collect()
}

/// Runs `inputs` with at most `concurrency` discoveries at once; `line` is called with each line
/// as it finishes (in finishing order).
pub async fn run(
    engine: &Engine,
    inputs: Vec<String>,
    options: &Options,
    concurrency: usize,
    mut line: impl FnMut(BatchLine),
) {
    let mut results = stream::iter(inputs)
        .map(|input| async move {
            let t0 = std::time::Instant::now();
            let result = match Request::new(&input, options.clone()) {
                Err(e) => BatchResult::Error {
                    error: e.to_string(),
                },
                Ok(request) => {
                    let (_, d) = engine.discover(&request).await;
                    BatchResult::Found {
                        discovery: Box::new(d),
                    }
                }
            };
            BatchLine {
                input,
                result,
                ms: super::run::ms(t0.elapsed()),
            }
        })
        .buffer_unordered(concurrency.max(1));
    while let Some(l) = results.next().await {
        line(l);
    }
}
