//! # mailsetup
//!
//! Helps people set up email clients correctly and safely. The core answers three questions:
//!
//! 1. **Which protocol?** POP3 or IMAP for a person's situation (the advisor).
//! 2. **Are these settings right?** Server, port, connection security, authentication and username,
//!    checked against the RFCs and against what each big provider requires ([`rules::validate`]),
//!    with a precise fix for every problem.
//! 3. **Does the server really behave like that?** The native `probe` module (feature `probe`)
//!    connects for real and reports in the same findings format.
//!
//! ## Design
//!
//! - [`model`]: the settings as a client shows them (Protocol, Security, Auth, Server, Account).
//! - [`rules`]: one registry of rules with stable codes, documentation and test vectors.
//! - [`diagnostic`]: the one findings shape ([`Report`]) used by the CLI's `--json`, the JS API and
//!   the probe.
//! - [`providers`]: the curated provider table, with sources and verification dates.
//! - [`advisor`]: POP3 or IMAP for a person's situation, with reasons, caveats, what-ifs and the
//!   settings to type in ([`advise`]).
//! - `probe` (feature `probe`, native only): real IMAP/POP3/SMTP connection checks that report
//!   N-family findings in the same [`Report`] shape, with every endpoint's details beside them.
//!
//! The core does no I/O (no clock, network or files), so the same rules run in the browser, in the
//! terminal and behind the probe.
//!
//! ## Features
//!
//! - `cli` (default): the `mailsetup` command.
//! - `probe` (default): real connection probes with tokio and rustls. Native only.
//! - `wasm`: the main WebAssembly module's API in `wasm.rs` (`validate`, `advise`, `providers`,
//!   `lookupProvider`, `version`; build with `--no-default-features --features wasm`).
//! - `wasm-documents`: the documents module's API in `wasm.rs` (`rules`, `exportConfig`,
//!   `lintAutoconfig`, `version`), loaded by pages only when they need it.

#![forbid(unsafe_code)]

pub mod advisor;
pub mod catalog;
pub mod diagnostic;
pub mod discovery;
pub mod documents;
pub mod error;
pub mod model;
pub mod probe;
pub mod providers;
pub mod rules;
pub mod text;
#[cfg(feature = "wasm-types")]
pub mod wasm;

pub use advisor::{advise, parse_situation, parse_situation_json, Recommendation, Situation};
pub use diagnostic::{Finding, Fix, FixValue, Report, Severity, Verdict};
pub use error::InputError;
pub use model::{
    parse_settings, parse_settings_json, Account, Auth, Pop3Options, Protocol, Security, Server,
    Settings,
};
pub use rules::validate;

/// The crate version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
