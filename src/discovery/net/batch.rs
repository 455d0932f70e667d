//! Batches: many domains through one engine with bounded concurrency, one JSON line each as it
//! finishes, resumable (inputs already in the output are skipped), and a summary.

use super::run::Engine;
use crate::discovery::analyze::{Discovery, Offer};
use crate::discovery::plan::{Options, Request};
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
    /// Domains where nothing was found, every lookup answered.
    pub nothing: usize,
    /// Domains where nothing was found, but some lookups got no answer (a DNS timeout or
    /// SERVFAIL, an HTTP timeout, the deadline): whether there is nothing is not known.
    pub unknown: usize,
    /// Domains (whatever was found) with some lookup unanswered: run them again to be sure.
    pub incomplete: usize,
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
                    Offer::Nothing if s.unanswered > 0 => self.unknown += 1,
                    Offer::Nothing => self.nothing += 1,
                }
                self.incomplete += usize::from(s.unanswered > 0);
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
    done_inputs_from(previous_output.as_bytes())
}

/// [`done_inputs`] from a reader, line by line (an output of millions of lines is not read into
/// memory whole).
pub fn done_inputs_from(previous_output: impl std::io::BufRead) -> HashSet<String> {
    #[derive(serde::Deserialize)]
    struct Input {
        input: String,
    }
    previous_output
        .lines()
        .map_while(Result::ok)
        .filter_map(|l| serde_json::from_str::<Input>(&l).ok())
        .map(|i| i.input)
        .collect()
}

/// Runs `inputs` with at most `concurrency` discoveries at once, each its own task (so that a
/// multi-threaded runtime spreads them over the cores); `line` is called with each line as it
/// finishes (in finishing order). Call it inside a Tokio runtime.
pub async fn run(
    engine: &Engine,
    inputs: impl IntoIterator<Item = String>,
    options: &Options,
    concurrency: usize,
    mut line: impl FnMut(BatchLine),
) {
    let mut inputs = inputs.into_iter();
    let mut running = tokio::task::JoinSet::new();
    loop {
        while running.len() < concurrency.max(1) {
            let Some(input) = inputs.next() else {
                break;
            };
            let (engine, options) = (engine.clone(), options.clone());
            running.spawn(async move { one(&engine, input, options).await });
        }
        match running.join_next().await {
            None => break,
            Some(Ok(l)) => line(l),
            // A discovery that panicked is a bug: carry the panic on rather than lose a line.
            Some(Err(e)) => match e.try_into_panic() {
                Ok(panic) => std::panic::resume_unwind(panic),
                Err(e) => panic!("a discovery task was cancelled: {e}"),
            },
        }
    }
}

async fn one(engine: &Engine, input: String, options: Options) -> BatchLine {
    let t0 = std::time::Instant::now();
    let result = match Request::new(&input, options) {
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
}
