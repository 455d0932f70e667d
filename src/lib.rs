//! # mailsetup
//!
//! Helps people set up email clients correctly and safely. The core answers three questions:
//!
//! 1. **Which protocol?** POP3 or IMAP for a person's situation (the advisor).
//! 2. **Are these settings right?** Server, port, connection security, authentication and username,
//!    checked against the RFCs and against what each big provider requires ([`validate`]), with a
//!    precise fix for every problem.
//! 3. **Does the server really behave like that?** The native `probe` module (feature `probe`)
//!    connects for real and reports in the same findings format.
//!
//! ## Design
//!
//! The modules form layers; each uses only the ones before it (`tests/layers.rs` keeps it so):
//!
//! - `text`, `error`: quoting and numbers for messages; [`InputError`] for input that cannot be
//!   understood.
//! - [`model`]: the settings as a client shows them (Protocol, Security, Auth, Server, Account),
//!   their parsing, email addresses ([`model::email`]) and the labels people see
//!   ([`model::labels`]).
//! - [`providers`]: the curated provider table, with sources and verification dates.
//! - [`diagnostic`]: the one findings shape ([`Report`]), a rule's identity and documentation
//!   ([`diagnostic::Rule`]) and the vectors rules are tested with ([`diagnostic::Vector`]).
//! - `rules`: the settings rules (H, P, T, A, V, O), each with its documentation, check and vectors,
//!   and the engine that runs them ([`validate`]).
//! - [`documents`] (export, import, and the D rules that lint autoconfig files), [`advisor`] (POP3
//!   or IMAP for a person's situation, [`advise`]) and `probe` (feature `probe`, native only: real
//!   IMAP/POP3/SMTP connection checks reporting N findings in the same [`Report`] shape).
//! - [`discovery`]: the right settings for any address from every source at once (plan, evidence,
//!   analysis without I/O; the native lookups with feature `discover`).
//! - [`catalog`]: every rule of every family, for listings and lookup.
//! - `wasm` (features `wasm`, `wasm-documents`) and the `mailsetup` command: thin layers over the
//!   above.
//!
//! The core does no I/O (no clock, network or files), so the same rules run in the browser, in the
//! terminal and behind the probe.
//!
//! ## Features
//!
//! - `cli` (default): the `mailsetup` command.
//! - `probe` (default): real connection probes with tokio and rustls. Native only.
//! - `discover` (default): discovery's lookups (hickory DNS, reqwest HTTPS, the probe). Native
//!   only.
//! - `wasm`: the main WebAssembly module's API in `wasm.rs` (`validate`, `advise`, `providers`,
//!   `lookupProvider`, `version`; build with `--no-default-features --features wasm`).
//! - `wasm-documents`: the documents module's API in `wasm.rs` (`rules`, `exportConfig`,
//!   `lintAutoconfig`, `version`), loaded by pages only when they need it.
//! - `wasm-discovery`: the discovery module's API in `wasm.rs` (`PageDiscovery`: a lookup through
//!   DNS-over-HTTPS, driven by the page), loaded when a page looks a domain up.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod advisor;
pub mod audit;
pub mod catalog;
pub mod diagnostic;
pub mod discovery;
pub mod documents;
mod error;
pub mod model;
pub mod probe;
pub mod providers;
mod rules;
pub mod text;
#[cfg(feature = "wasm-types")]
pub mod wasm;

pub use advisor::{advise, parse_situation, parse_situation_json, Recommendation, Situation};
pub use diagnostic::{Finding, Fix, FixValue, Report, Severity, Verdict};
#[cfg(not(target_arch = "wasm32"))]
pub use error::decode;
pub use error::{InputError, MAX_INPUT_BYTES, MAX_INPUT_DEPTH};
pub use model::{
    parse_settings, parse_settings_json, Account, Auth, Pop3Options, Protocol, Security, Server,
    Settings,
};
pub use rules::{validate, validate_with, ValidationContext, ValidationOptions};
/// Text from outside made safe for a terminal (the command line prints DNS answers, documents and
/// server replies through it).
pub use text::Escaped;

/// The crate version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
