//! `mailsetup advise` (being built; see the issue).

use crate::{CmdResult, UsageError};

/// (being built)
#[derive(clap::Args)]
pub struct Args {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    rest: Vec<String>,
}

pub fn run(_args: Args) -> CmdResult {
    Err(UsageError("`advise` is not built yet".into()))
}
