//! The settings rules and the engine that runs them.
//!
//! Every rule is a [`Rule`](crate::diagnostic::Rule) constant in the file of its family, with its
//! documentation, its check and its vectors beside it. The engine is split by job:
//!
//! - [`analysis`]: everything the rules need to know about one input, computed once;
//! - [`target`]: what each server should be once fixed (every fix takes its value from there);
//! - [`findings`]: the collector the checks emit into;
//! - [`registry`]: every settings rule with its check;
//! - [`precedence`]: which finding gives way to which, applied after every check ran;
//! - [`validate`](mod@validate): runs them and applies the fixes.
//!
//! Families (the letter of the code): H host, P port/transport, T TLS, A auth and username,
//! V provider policy, O POP3 options. D (document lint) rules live beside the autoconfig code in
//! `documents`, N (network probe) rules in `probe`. Codes are never reused.

pub(crate) mod analysis;
pub(crate) mod findings;
pub(crate) mod precedence;
pub(crate) mod registry;
pub(crate) mod target;
pub(crate) mod validate;

pub(crate) mod auth;
pub(crate) mod host;
pub(crate) mod lookalike;
pub(crate) mod pop3;
pub(crate) mod port;
pub(crate) mod provider;
pub(crate) mod tls;

pub use analysis::{ValidationContext, ValidationOptions};
pub use validate::{validate, validate_with};
