//! `mailsetup lint`: check autoconfig files (Thunderbird's ISPDB format).

use crate::render::{self, severity_style, BOLD};
use crate::{CmdResult, Exit, UsageError};
use mailsetup::documents::{lint_autoconfig, xml};
use mailsetup::text::Escaped;
use mailsetup::{Report, Severity};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Check autoconfig files: the document itself (D rules) and every server in it (all rules).
#[derive(clap::Args)]
#[command(after_help = "\
Examples:
  mailsetup lint config-v1.1.xml
  mailsetup lint ispdb/*.xml
  curl -s https://autoconfig.example.com/mail/config-v1.1.xml | mailsetup lint -
  mailsetup lint config-v1.1.xml --json

Files are read as Thunderbird reads them: UTF-8, UTF-16 with a byte-order mark, or the
encoding their XML declaration names (ISO-8859-1, windows-1252, Shift_JIS, ...).
Field paths name the element (incomingServer[2].port); messages give the line. Errors D001-D004
and D006 mean Thunderbird refuses the whole file; D3xx say what Thunderbird and Thunderbird for
Android would skip or refuse.
Exit codes: 0 no errors, 1 error findings, 2 a file could not be read as an autoconfig file.")]
pub struct Args {
    /// Autoconfig files, or - for stdin.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Print JSON: one object per file, with its report or the reason it could not be read.
    #[arg(long)]
    json: bool,
}

/// One file's result in `--json` output.
#[derive(Serialize)]
struct FileResult {
    file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<Report>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

pub fn run(args: Args) -> CmdResult {
    let mut results = Vec::new();
    for path in &args.files {
        let file = path.to_string_lossy().into_owned();
        let outcome =
            read_file(path).and_then(|text| lint_autoconfig(&text).map_err(|e| e.to_string()));
        results.push(match outcome {
            Ok(report) => FileResult {
                file,
                report: Some(report),
                error: None,
            },
            Err(error) => FileResult {
                file,
                report: None,
                error: Some(error),
            },
        });
    }
    if args.json {
        render::json(&results)?;
    } else {
        human(&results)?;
    }
    let unreadable = results.iter().filter(|r| r.error.is_some()).count();
    let errors = results
        .iter()
        .filter_map(|r| r.report.as_ref())
        .any(Report::has_errors);
    if unreadable > 0 {
        return Err(UsageError(format!(
            "{unreadable} of {} files could not be read as autoconfig files",
            results.len()
        )));
    }
    Ok(if errors { Exit::Findings } else { Exit::Clean })
}

fn human(results: &[FileResult]) -> Result<(), UsageError> {
    for r in results {
        match (&r.report, &r.error) {
            (Some(report), _) => render::report(&r.file, report)?,
            (None, Some(e)) => {
                let ss = severity_style(Severity::Error);
                let mut out = anstream::stdout().lock();
                writeln!(
                    out,
                    "{BOLD}{}{BOLD:#}: {ss}cannot be read{ss:#}: {}",
                    Escaped(&r.file),
                    Escaped(e)
                )?;
            }
            (None, None) => {}
        }
    }
    if results.len() > 1 {
        let count = |s: Severity| {
            results
                .iter()
                .filter_map(|r| r.report.as_ref())
                .flat_map(|r| &r.findings)
                .filter(|f| f.severity == s)
                .count()
        };
        let unreadable = results.iter().filter(|r| r.error.is_some()).count();
        let mut out = anstream::stdout().lock();
        write!(
            out,
            "\n{BOLD}{} files{BOLD:#}: {} errors, {} warnings, {} info",
            results.len(),
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Info)
        )?;
        if unreadable > 0 {
            write!(out, "; {unreadable} could not be read")?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// Reads a file (or stdin for `-`), refusing more than the document cap without reading it all,
/// and decodes it as its byte-order mark or XML declaration says.
fn read_file(path: &Path) -> Result<String, String> {
    let bytes = crate::input::read_bytes(
        path,
        xml::MAX_DOCUMENT_BYTES as u64,
        "an autoconfig file (those are a few kilobytes)",
    )?;
    xml::decode(&bytes).map_err(|e| e.to_string())
}
