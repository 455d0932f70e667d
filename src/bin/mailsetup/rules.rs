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
                UsageError(format!("no rule {q:?}; `mailsetup rules` lists them"))
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
    writeln!(out, "{BOLD}What it checks{BOLD:#}\n{}\n", wrap(r.what))?;
    writeln!(out, "{BOLD}Why{BOLD:#}\n{}\n", wrap(r.why))?;
    writeln!(out, "{BOLD}Example{BOLD:#}\n{}\n", wrap(r.example))?;
    writeln!(out, "{BOLD}References{BOLD:#}")?;
    for reference in r.references {
        writeln!(out, "  {DIM}-{DIM:#} {reference}")?;
    }
    Ok(())
}

/// A paragraph indented by two spaces and wrapped at 90 columns (words longer than a line, such
/// as URLs, stay whole).
fn wrap(text: &str) -> String {
    const WIDTH: usize = 90;
    let mut out = String::new();
    let mut line = String::from("  ");
    for word in text.split_whitespace() {
        if line.len() > 2 && line.len() + 1 + word.len() > WIDTH {
            out.push_str(&line);
            out.push('\n');
            line = String::from("  ");
        }
        if line.len() > 2 {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn wrap_keeps_words_and_width() {
        let text = "one two three ".repeat(20);
        let wrapped = super::wrap(&text);
        assert!(wrapped
            .lines()
            .all(|l| l.len() <= 90 && l.starts_with("  ")));
        assert_eq!(
            wrapped.split_whitespace().collect::<Vec<_>>(),
            text.split_whitespace().collect::<Vec<_>>()
        );
    }
}
