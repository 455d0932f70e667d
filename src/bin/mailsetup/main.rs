//! `mailsetup`: the command line. Thin: parse arguments, call the library, render.

mod advise;
#[cfg(feature = "discover")]
mod audit;
mod check;
#[cfg(feature = "discover")]
mod discover;
mod export;
mod input;
mod lint;
#[cfg(feature = "probe")]
mod probe;
mod providers;
mod render;
mod rules;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  mailsetup check --protocol imap --host imap.gmail.com --port 993 --security tls
  mailsetup check account.json
  mailsetup advise --devices 3 --email someone@icloud.com
  mailsetup providers gmail
  mailsetup rules P101
  mailsetup export --email someone@gmail.com --format autoconfig
  mailsetup lint config-v1.1.xml
  mailsetup probe imap.example.com:993
  mailsetup discover someone@example.org
  mailsetup audit example.org --html report.html

Exit codes: 0 no error findings, 1 error findings, 2 bad usage or input that cannot be understood.
Every command takes --json (a stable contract: the same types the JavaScript API returns).";

/// Set up email clients correctly and safely.
#[derive(Parser)]
#[command(name = "mailsetup", version, about, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Check(check::Args),
    Advise(advise::Args),
    Providers(providers::Args),
    Rules(rules::Args),
    Export(export::Args),
    Lint(lint::Args),
    #[cfg(feature = "discover")]
    Discover(discover::Args),
    #[cfg(feature = "discover")]
    Audit(audit::Args),
    #[cfg(feature = "probe")]
    Probe(probe::Args),
}

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Nothing at error severity.
    Clean = 0,
    /// Error findings.
    Findings = 1,
}

/// Bad usage or input that cannot be understood (exit code 2), with a message for stderr.
#[derive(Debug)]
pub struct UsageError(pub String);

impl<E: std::fmt::Display> From<E> for UsageError {
    fn from(e: E) -> Self {
        UsageError(e.to_string())
    }
}

pub type CmdResult = Result<Exit, UsageError>;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() => {
            // clap repeats a bad argument as given: its message is escaped, without colour.
            eprint!("{}", render::escaped_lines(&e.render().to_string()));
            return ExitCode::from(2);
        }
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(0);
        }
    };
    let result = match cli.command {
        Command::Check(a) => check::run(a),
        Command::Advise(a) => advise::run(a),
        Command::Providers(a) => providers::run(a),
        Command::Rules(a) => rules::run(a),
        Command::Export(a) => export::run(a),
        Command::Lint(a) => lint::run(a),
        #[cfg(feature = "discover")]
        Command::Discover(a) => discover::run(a),
        #[cfg(feature = "discover")]
        Command::Audit(a) => audit::run(a),
        #[cfg(feature = "probe")]
        Command::Probe(a) => probe::run(a),
    };
    match result {
        Ok(exit) => ExitCode::from(exit as u8),
        Err(UsageError(msg)) => {
            // Messages name what they echo with Quoted already; this keeps it so for every one.
            eprintln!("mailsetup: error: {}", render::escaped_lines(&msg));
            ExitCode::from(2)
        }
    }
}
