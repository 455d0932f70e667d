//! Human and JSON output. Colour only when stdout is a terminal (anstream strips it otherwise,
//! and honours NO_COLOR / CLICOLOR).

use anstyle::{AnsiColor, Style};
use mailsetup::{Report, Severity, Verdict};
use serde::Serialize;
use std::io::Write;

pub const BOLD: Style = Style::new().bold();
pub const DIM: Style = Style::new().dimmed();
pub const GREEN: Style = AnsiColor::Green.on_default().bold();

pub fn severity_style(s: Severity) -> Style {
    match s {
        Severity::Error => AnsiColor::Red.on_default().bold(),
        Severity::Warning => AnsiColor::Yellow.on_default().bold(),
        Severity::Info => AnsiColor::Cyan.on_default().bold(),
    }
}

pub fn verdict_style(v: Verdict) -> Style {
    match v {
        Verdict::Ok => GREEN,
        Verdict::Info => severity_style(Severity::Info),
        Verdict::Warning => severity_style(Severity::Warning),
        Verdict::Error => severity_style(Severity::Error),
    }
}

/// Prints any serializable value as pretty JSON on stdout.
pub fn json<T: Serialize>(value: &T) -> Result<(), crate::UsageError> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// Prints a report for people: the verdict, then each finding with code, field, message and fix,
/// aligned in columns.
pub fn report(title: &str, r: &Report) -> std::io::Result<()> {
    let mut out = anstream::stdout().lock();
    let provider = r
        .provider
        .as_ref()
        .map(|p| format!(" (provider: {})", p.name))
        .unwrap_or_default();
    let vs = verdict_style(r.verdict);
    writeln!(
        out,
        "{BOLD}{title}{BOLD:#}{provider}: {vs}{}{vs:#}",
        r.verdict.as_str()
    )?;
    let field_w = r.findings.iter().map(|f| f.field.len()).max().unwrap_or(0);
    for f in &r.findings {
        let ss = severity_style(f.severity);
        writeln!(
            out,
            "  {ss}{:<7}{ss:#} {BOLD}{}{BOLD:#}  {:<field_w$}  {}",
            f.severity.as_str(),
            f.code,
            f.field,
            f.message
        )?;
        let pad = " ".repeat(2 + 7 + 1 + 4 + 2 + field_w + 2);
        writeln!(out, "{pad}{DIM}help:{DIM:#} {}", f.help)?;
        if let Some(fix) = &f.fix {
            writeln!(
                out,
                "{pad}{DIM}fix:{DIM:#}  set {} to {}",
                fix.field,
                serde_json::to_string(&fix.value).unwrap_or_default()
            )?;
        }
    }
    if r.findings.is_empty() {
        writeln!(out, "  no problems found")?;
    }
    Ok(())
}

/// The exit status for a report.
pub fn exit_for(r: &Report) -> crate::Exit {
    if r.has_errors() {
        crate::Exit::Findings
    } else {
        crate::Exit::Clean
    }
}
