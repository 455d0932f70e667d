//! Human and JSON output. Colour only when stdout is a terminal (anstream strips it otherwise,
//! and honours NO_COLOR / CLICOLOR).
//!
//! Every value that came from outside (a file, an argument, standard input, a server) is shown
//! through [`Escaped`] or [`Quoted`]: on a terminal a control character could set the window
//! title, clear the screen, hide text or write the clipboard (OSC 52), and a direction override
//! could reorder a line. JSON output escapes the same characters as `\uXXXX` ([`json`]).

use anstyle::{AnsiColor, Style};
use mailsetup::text::{is_hidden, Escaped, Quoted};
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

/// Prints any serializable value as pretty JSON on stdout, with every character [`is_hidden`]
/// names written as a `\uXXXX` escape: the same JSON for a reader, nothing a terminal acts on
/// (serde_json escapes C0 controls only, not DEL, C1 or direction controls).
pub fn json<T: Serialize>(value: &T) -> Result<(), crate::UsageError> {
    let write = || -> std::io::Result<()> {
        // Built whole, then written at once (stdout is line-buffered: a line per system call,
        // which the probe's reports made many of).
        let mut text = Vec::with_capacity(16 * 1024);
        let formatter = EscapingFormatter(serde_json::ser::PrettyFormatter::new());
        value.serialize(&mut serde_json::Serializer::with_formatter(
            &mut text, formatter,
        ))?;
        text.push(b'\n');
        let mut out = std::io::stdout().lock();
        out.write_all(&text)?;
        out.flush()
    };
    closed_ok(write()).map_err(crate::UsageError::from)
}

/// serde_json's pretty formatter, writing hidden characters in strings as `\uXXXX`.
struct EscapingFormatter<'a>(serde_json::ser::PrettyFormatter<'a>);

impl serde_json::ser::Formatter for EscapingFormatter<'_> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        out: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut rest = fragment;
        while let Some((i, c)) = rest.char_indices().find(|&(_, c)| is_hidden(c)) {
            out.write_all(&rest.as_bytes()[..i])?;
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(out, "\\u{unit:04x}")?;
            }
            rest = &rest[i + c.len_utf8()..];
        }
        out.write_all(rest.as_bytes())
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// Text from outside that may hold several lines (an error message): each line [`Escaped`],
/// the line breaks kept.
pub fn escaped_lines(text: &str) -> String {
    text.split('\n')
        .map(|line| Escaped(line).to_string())
        .collect::<Vec<_>>()
        .join("\n")
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
        .map(|p| format!(" (provider: {})", Escaped(&p.name)))
        .unwrap_or_default();
    let vs = verdict_style(r.verdict);
    writeln!(
        out,
        "{BOLD}{}{BOLD:#}{provider}: {vs}{}{vs:#}",
        Escaped(title),
        r.verdict.as_str()
    )?;
    let fields: Vec<String> = r
        .findings
        .iter()
        .map(|f| Escaped(&f.field).to_string())
        .collect();
    let field_w = fields.iter().map(String::len).max().unwrap_or(0);
    let pad = " ".repeat(2 + 7 + 1 + 4 + 2 + field_w + 2);
    for (f, field) in r.findings.iter().zip(&fields) {
        let ss = severity_style(f.severity);
        writeln!(
            out,
            "  {ss}{:<7}{ss:#} {BOLD}{}{BOLD:#}  {field:<field_w$}  {}",
            f.severity.as_str(),
            Escaped(f.code),
            Escaped(&f.message)
        )?;
        writeln!(out, "{pad}{DIM}help:{DIM:#} {}", Escaped(&f.help))?;
        if let Some(fix) = &f.fix {
            writeln!(
                out,
                "{pad}{DIM}fix:{DIM:#}  {GREEN}{} = {}{GREEN:#}",
                Escaped(&fix.field),
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
                    writeln!(out, "  email     {}", Escaped(e))?;
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
        FixValue::Text(t) => Quoted(t).to_string(),
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
        Escaped(&s.host),
        s.port,
        s.security.as_str()
    );
    if let Some(a) = s.auth {
        line.push_str(&format!("  auth {a}"));
    }
    if let Some(u) = &s.username {
        line.push_str(&format!("  username {}", Quoted(u)));
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

/// Quotes a word for a POSIX shell when it needs it: as it is when plain, in single quotes when
/// it holds nothing hidden, else in `$'…'` with escapes (as bash's `printf %q` does), so that
/// the line both shows safely and, pasted, gives the same word back.
fn shell_word(w: &str) -> String {
    let plain = !w.is_empty()
        && w.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"@%+=:,./-_".contains(&b));
    if plain {
        return w.to_owned();
    }
    if !w.chars().any(is_hidden) {
        return format!("'{}'", w.replace('\'', "'\\''"));
    }
    let mut out = String::from("$'");
    for c in w.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_ascii_control() => out.push_str(&format!("\\x{:02x}", u32::from(c))),
            c if is_hidden(c) && u32::from(c) <= 0xffff => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)))
            }
            c if is_hidden(c) => out.push_str(&format!("\\U{:08x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
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
    use super::{shell_word, wrap};

    #[test]
    fn shell_words_show_safely_and_paste_back() {
        assert_eq!(shell_word("imap.gmail.com"), "imap.gmail.com");
        assert_eq!(shell_word("it's here"), "'it'\\''s here'");
        assert_eq!(
            shell_word("mail.example.org\u{1b}]0;PWN\u{7}\u{1b}[8m"),
            "$'mail.example.org\\x1b]0;PWN\\x07\\x1b[8m'"
        );
        assert_eq!(shell_word("a\u{202e}b'\\"), "$'a\\u202eb\\'\\\\'");
        assert_eq!(shell_word("tag\u{e0041}"), "$'tag\\U000e0041'");
    }

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
