//! Discovery's network side (feature `discover`, native only): DNS ([`dns`]), HTTPS ([`http`]),
//! the executor ([`run`]) and batches ([`batch`]).

pub mod dns;
pub mod http;
pub mod run;

pub use run::{Config, Engine};
pub mod batch;
