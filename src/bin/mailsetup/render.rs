//! Human and JSON output. Colour only when stdout is a terminal (anstream strips it otherwise,
//! and honours NO_COLOR / CLICOLOR).

use anstyle::{AnsiColor, Style};
use mailsetup::{FixValue, Report, Server, Settings, Severity, Verdict};
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

/// Treats a closed stdout (`mailsetup rules | head -1`) as success: the reader has what it
/// wanted, and an error message about it would only be noise.
pub fn closed_ok(r: std::io::Result<()>) -> std::io::Result<()> {
    match r {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r,
    }
}

/// Prints any serializable value as pretty JSON on stdout.
pub fn json<T: Serialize>(value: &T) -> Result<(), crate::UsageError> {
    let write = || -> std::io::Result<()> {
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, value)?;
        writeln!(out)?;
        out.flush()
    };
    closed_ok(write()).map_err(crate::UsageError::from)
}

/// A paragraph word-wrapped to `width` terminal columns: the first line starts with `first`, the
/// others with `indent` spaces. Lines break only at spaces, so a word longer than a line (a URL)
/// stays whole on a line of its own; colour codes take no room.
pub fn wrap(text: &str, width: usize, first: &str, indent: usize) -> String {
    let rest = " ".repeat(indent);
    let options = textwrap::Options::new(width)
        .initial_indent(first)
        .subsequent_indent(&rest)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit)
        .break_words(false);
    textwrap::fill(text, options)
}

/// Prints a report for people: the verdict, then each finding with severity, code, field and
/// message aligned in columns, its help and its fix below the message, and at the end the
/// settings with every fix applied.
pub fn report(title: &str, r: &Report) -> std::io::Result<()> {
    closed_ok(write_report(&mut anstream::stdout().lock(), title, r))
}

fn write_report(out: &mut impl Write, title: &str, r: &Report) -> std::io::Result<()> {
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
    let pad = " ".repeat(2 + 7 + 1 + 4 + 2 + field_w + 2);
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
        writeln!(out, "{pad}{DIM}help:{DIM:#} {}", f.help)?;
        if let Some(fix) = &f.fix {
            writeln!(
                out,
                "{pad}{DIM}fix:{DIM:#}  {GREEN}{} = {}{GREEN:#}",
                fix.field,
                fix_value(&fix.value)
            )?;
        }
    }
    if r.findings.is_empty() {
        writeln!(out, "  no problems found")?;
    }
    if let Some(fixed) = &r.fixed {
        writeln!(out, "\n{BOLD}with every fix applied:{BOLD:#}")?;
        match fixed {
            Settings::Server(s) => writeln!(out, "  mailsetup check {}", server_flags(s))?,
            Settings::Account(a) => {
                if let Some(e) = &a.email {
                    writeln!(out, "  email     {e}")?;
                }
                writeln!(out, "  incoming  {}", server_line(&a.incoming))?;
                if let Some(o) = &a.outgoing {
                    writeln!(out, "  outgoing  {}", server_line(o))?;
                }
                if let Some(p) = &a.pop3 {
                    let days = p
                        .delete_after_days
                        .map(|d| format!(", delete after {d} days"))
                        .unwrap_or_default();
                    writeln!(
                        out,
                        "  pop3      leave on server: {}{days}",
                        if p.leave_on_server { "yes" } else { "no" }
                    )?;
                }
            }
        }
    }
    Ok(())
}

/// A fix value as a person would type it.
fn fix_value(v: &FixValue) -> String {
    match v {
        FixValue::Text(t) => format!("{t:?}"),
        FixValue::Port(p) => p.to_string(),
        FixValue::Security(s) => s.as_str().to_owned(),
        FixValue::Auth(a) => a.as_str().to_owned(),
        FixValue::Flag(b) => b.to_string(),
        FixValue::Days(d) => d.to_string(),
        FixValue::Server(s) => server_line(s),
    }
}

/// `imap  imap.gmail.com  993  tls  auth oauth2  username me@gmail.com`
fn server_line(s: &Server) -> String {
    let mut line = format!(
        "{:<4}  {}  {}  {}",
        s.protocol.as_str(),
        s.host,
        s.port,
        s.security.as_str()
    );
    if let Some(a) = s.auth {
        line.push_str(&format!("  auth {a}"));
    }
    if let Some(u) = &s.username {
        line.push_str(&format!("  username {u:?}"));
    }
    line
}

/// The `check` flags that give this server.
fn server_flags(s: &Server) -> String {
    let mut flags = format!(
        "--protocol {} --host {} --port {} --security {}",
        s.protocol,
        shell_word(&s.host),
        s.port,
        s.security
    );
    if let Some(a) = s.auth {
        flags.push_str(&format!(" --auth {a}"));
    }
    if let Some(u) = &s.username {
        flags.push_str(&format!(" --username {}", shell_word(u)));
    }
    flags
}

/// Quotes a word for a POSIX shell when it needs it.
fn shell_word(w: &str) -> String {
    let plain = !w.is_empty()
        && w.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"@%+=:,./-_".contains(&b));
    if plain {
        w.to_owned()
    } else {
        format!("'{}'", w.replace('\'', "'\\''"))
    }
}

/// The exit status for a report.
pub fn exit_for(r: &Report) -> crate::Exit {
    if r.has_errors() {
        crate::Exit::Findings
    } else {
        crate::Exit::Clean
    }
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wrap_keeps_words_width_and_indent() {
        let text = "one two three ".repeat(20);
        let wrapped = wrap(&text, 90, "  ", 2);
        assert!(wrapped
            .lines()
            .all(|l| l.len() <= 90 && l.starts_with("  ") && !l.ends_with(' ')));
        assert_eq!(
            wrapped.split_whitespace().collect::<Vec<_>>(),
            text.split_whitespace().collect::<Vec<_>>()
        );
    }

    #[test]
    fn wrap_hangs_the_rest_under_the_first_line_and_keeps_long_words_whole() {
        let url = format!("<https://example.com/e-mail-{}>", "a".repeat(40));
        let wrapped = wrap(&format!("Read this: {url} now"), 30, "  1. ", 5);
        assert_eq!(wrapped, format!("  1. Read this:\n     {url}\n     now"));
    }

    #[test]
    fn wrap_gives_colour_codes_no_room() {
        let dim = "\x1b[2m[tag]\x1b[0m";
        let text = format!("{} {dim}", "word ".repeat(3).trim_end());
        // 2 + "word word word [tag]" (20) = 22 columns: one line at width 22.
        assert_eq!(wrap(&text, 22, "  ", 2).lines().count(), 1);
        assert_eq!(wrap(&text, 21, "  ", 2).lines().count(), 2);
    }
}
