//! `mailsetup export`: write a configuration document for an address or an account.

use crate::{render, CmdResult, Exit, UsageError};
use mailsetup::documents::{export, ExportInput, Format};
use mailsetup::text::{is_hidden, Escaped};
use serde::Serialize;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Write a configuration document: Thunderbird autoconfig, Outlook Autodiscover, an Apple
/// profile, DNS SRV records, or a Markdown/HTML settings card.
#[derive(clap::Args)]
#[command(after_help = "\
Examples:
  mailsetup export --email someone@gmail.com --format autoconfig
  mailsetup export --email someone@icloud.com --format mobileconfig --output icloud.mobileconfig
  mailsetup export account.json --format srv
  mailsetup export --email someone@outlook.com --format markdown --json

With --email alone, the servers come from the provider's entry in the curated table
(`mailsetup providers`). With FILE (an account as JSON, or - for stdin) the document describes
exactly that account; --email then sets the account's address.
No document ever contains a password.")]
pub struct Args {
    /// An account as JSON (as `mailsetup check` takes it), or - for stdin.
    file: Option<PathBuf>,
    /// The email address (its provider's servers, or the address of the account in FILE).
    #[arg(long)]
    email: Option<String>,
    /// The document to write: autoconfig, autodiscover, mobileconfig, srv, markdown or html.
    #[arg(long, value_parser = parse_format, value_name = "FORMAT")]
    format: Format,
    /// Write the document to this file instead of stdout.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Print a JSON object: format, fileName, mediaType and the document as content.
    #[arg(long)]
    json: bool,
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse::<Format>().map_err(|e| e.to_string())
}

/// What `--json` prints.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Exported<'a> {
    format: Format,
    file_name: &'static str,
    media_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    output: Option<String>,
    content: &'a str,
}

pub fn run(args: Args) -> CmdResult {
    let input = match (&args.file, &args.email) {
        (None, None) => {
            return Err(UsageError(
                "give --email ADDRESS (a provider's settings) or FILE (an account as JSON)".into(),
            ))
        }
        (None, Some(email)) => ExportInput::Email(email.clone()),
        (Some(path), email) => {
            let text = read_input(path)?;
            let name = mailsetup::text::Escaped(&path.to_string_lossy()).to_string();
            let input =
                ExportInput::from_json(&text).map_err(|e| UsageError(format!("{name}: {e}")))?;
            match (input, email) {
                (ExportInput::Account(mut a), Some(email)) => {
                    a.email = Some(email.clone());
                    ExportInput::Account(a)
                }
                (ExportInput::Email(_), Some(email)) => ExportInput::Email(email.clone()),
                (input, None) => input,
            }
        }
    };
    let content = export(&input, args.format).map_err(|e| UsageError(e.to_string()))?;
    if let Some(path) = &args.output {
        std::fs::write(path, &content).map_err(|e| {
            UsageError(format!(
                "cannot write {}: {e}",
                Escaped(&path.to_string_lossy())
            ))
        })?;
    }
    if args.json {
        render::json(&Exported {
            format: args.format,
            file_name: args.format.file_name(),
            media_type: args.format.media_type(),
            output: args.output.as_ref().map(|p| p.display().to_string()),
            content: &content,
        })?;
    } else if let Some(path) = &args.output {
        eprintln!(
            "wrote {} ({}, {} bytes)",
            Escaped(&path.to_string_lossy()),
            args.format,
            content.len()
        );
    } else {
        let mut out = std::io::stdout().lock();
        if out.is_terminal() && content.chars().any(is_hidden) {
            // On a terminal the document is read, not saved: what it holds that a terminal would
            // act on is shown escaped. Redirected to a file, it is written exactly.
            out.write_all(crate::render::escaped_lines(&content).as_bytes())?;
        } else {
            out.write_all(content.as_bytes())?;
        }
        out.flush()?;
    }
    Ok(Exit::Clean)
}

/// Reads an account file (or stdin for `-`), refusing anything over 1 MiB.
fn read_input(path: &Path) -> Result<String, UsageError> {
    crate::input::read_capped(path, 1 << 20, "an account file")
        .map_err(|e| UsageError(format!("{}: {e}", Escaped(&path.to_string_lossy()))))
}
