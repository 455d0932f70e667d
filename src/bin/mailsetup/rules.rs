//! `mailsetup rules [CODE]`: the rule registry, or one rule's documentation.

use crate::render::{self, severity_style, BOLD, DIM};
use crate::{CmdResult, Exit, UsageError};
use mailsetup::catalog::{self, RULES};
use mailsetup::diagnostic::Rule;
use std::io::Write;

/// List every rule, or show one rule's documentation (by code or name).
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  mailsetup rules\n  mailsetup rules P101\n  mailsetup rules port-protocol-mismatch --json"
)]
pub struct Args {
    /// A rule code (P101) or name (port-protocol-mismatch).
    code: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> CmdResult {
    match args.code.as_deref() {
        None if args.json => render::json(&RULES)?,
        None => render::closed_ok(list())?,
        Some(q) => {
            let r = catalog::lookup(q).ok_or_else(|| {
                UsageError(format!(
                    "no rule {}; `mailsetup rules` lists them",
                    mailsetup::text::Quoted(q)
                ))
            })?;
            if args.json {
                render::json(r)?;
            } else {
                render::closed_ok(show(r))?;
            }
        }
    }
    Ok(Exit::Clean)
}

fn list() -> std::io::Result<()> {
    let mut out = anstream::stdout().lock();
    let w = RULES.iter().map(|r| r.name.len()).max().unwrap_or(0);
    for r in RULES {
        let ss = severity_style(r.severity);
        writeln!(
            out,
            "{BOLD}{}{BOLD:#}  {:<w$}  {ss}{:<7}{ss:#}  {}",
            r.code,
            r.name,
            r.severity.as_str(),
            r.summary
        )?;
    }
    Ok(())
}

fn show(r: &Rule) -> std::io::Result<()> {
    let mut out = anstream::stdout().lock();
    let ss = severity_style(r.severity);
    writeln!(
        out,
        "{BOLD}{} {}{BOLD:#} ({ss}{}{ss:#})",
        r.code,
        r.name,
        r.severity.as_str()
    )?;
    writeln!(out, "{}\n", r.summary)?;
    writeln!(out, "{BOLD}What it checks{BOLD:#}\n{}\n", paragraph(r.what))?;
    writeln!(out, "{BOLD}Why{BOLD:#}\n{}\n", paragraph(r.why))?;
    writeln!(out, "{BOLD}Example{BOLD:#}\n{}\n", paragraph(r.example))?;
    writeln!(out, "{BOLD}References{BOLD:#}")?;
    for reference in r.references {
        writeln!(out, "  {DIM}-{DIM:#} {reference}")?;
    }
    Ok(())
}

/// Rule documentation paragraphs: indented by two, wrapped at 90 columns.
fn paragraph(text: &str) -> String {
    render::wrap(text, 90, "  ", 2)
}
