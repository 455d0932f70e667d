//! Text for people: quoting and escaping what came from outside, numbers for messages, "did you
//! mean".
//!
//! [`Quoted`] and [`Escaped`] are the one way the project shows text it did not write itself
//! (a value from a file, an argument, a server, a certificate, a DNS answer): in messages, and on
//! a terminal, where a control character could set the window title, clear the screen, hide text
//! or write the clipboard, and a bidirectional override could reorder what is read. Both show
//! those characters as escapes (`\u{1b}`) and everything printable as itself, so text that needs
//! no escaping is unchanged (escaping twice changes nothing more).

/// Text in double quotes for a message, escaped so that what cannot be seen can be: quotes,
/// backslashes, control characters (C0, DEL, C1), direction controls, invisible characters and
/// unusual spaces (a no-break space pasted from a web page, a zero-width space) print as escapes
/// (`\u{a0}`); see [`is_hidden`]. Printable text, ASCII or not, prints as itself. Not `{:?}`: `str`'s `Debug` carries Unicode tables the WebAssembly module
/// does not otherwise need.
#[derive(Debug, Clone, Copy)]
pub struct Quoted<'a>(pub &'a str);

impl std::fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        use std::fmt::Write;
        f.write_char('"')?;
        for c in self.0.chars() {
            match c {
                '"' => f.write_str("\\\"")?,
                '\\' => f.write_str("\\\\")?,
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                '\0' => f.write_str("\\0")?,
                c if is_hidden(c) => write!(f, "\\u{{{:x}}}", u32::from(c))?,
                c => f.write_char(c)?,
            }
        }
        f.write_char('"')
    }
}

/// Whether `c` is a character [`Quoted`] and [`Escaped`] show as an escape: a control character
/// (C0, DEL, C1: the start of every terminal escape sequence, U+009B included), any space but
/// the plain one (tabs, line breaks, no-break and ideographic spaces, line separators), and what
/// shows nothing or moves other text:
///
/// - direction controls: U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069;
/// - zero-width and invisible characters: soft hyphen, combining grapheme joiner, U+180E,
///   U+200B–U+200D, U+2060–U+2064, U+FEFF, Hangul fillers, variation selectors, interlinear
///   annotation marks, and the tag characters (U+E0000–U+E007F, which can carry hidden ASCII).
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || (c.is_whitespace() && c != ' ')
        || matches!(c,
            '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{115f}' | '\u{1160}' | '\u{180e}'
            | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}'
            | '\u{ffa0}' | '\u{fff9}'..='\u{fffb}' | '\u{e0000}'..='\u{e007f}'
            | '\u{e0100}'..='\u{e01ef}')
}

/// A number for a message: whole numbers as integers, others to at most six decimals, very large
/// or very small ones as `1.5e20`. Not `f64`'s `Display`: only error messages print floats, and
/// its exact shortest-digits formatting (code and tables) would be the largest single piece of
/// the WebAssembly module.
pub(crate) fn number(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    let sign = if x.is_sign_negative() && x != 0.0 {
        "-"
    } else {
        ""
    };
    let a = x.abs();
    if a.is_infinite() {
        return format!("{sign}infinity");
    }
    if a < 1e12 && (a >= 1e-6 || a == 0.0) {
        return format!("{sign}{}", decimals(a));
    }
    // Scientific: the mantissa in [1, 10) by repeated scaling (exact enough for a message).
    let (mut m, mut exp) = (a, 0i32);
    while m >= 10.0 {
        m /= 10.0;
        exp += 1;
    }
    while m < 1.0 {
        m *= 10.0;
        exp -= 1;
    }
    if (m * 1e6).round() >= 1e7 {
        // 9.9999999 would print as 10.
        m /= 10.0;
        exp += 1;
    }
    format!("{sign}{}e{exp}", decimals(m))
}

/// `a` (finite, not negative, below 1e12) with up to six decimals, trailing zeros dropped.
fn decimals(a: f64) -> String {
    const SCALE: u64 = 1_000_000;
    // Below 1e12 the scaled value fits in a u64; the rounding can carry into the whole part.
    let scaled = (a * SCALE as f64).round() as u64;
    let (whole, frac) = (scaled / SCALE, scaled % SCALE);
    if frac == 0 {
        return whole.to_string();
    }
    let digits = format!("{frac:06}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// The candidate closest to `word` (optimal-string-alignment distance at most 2, and less than
/// the word's length), if any; the first of equally close ones.
pub(crate) fn closest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let max = 2.min(word.len().saturating_sub(1));
    candidates
        .into_iter()
        // Each edit changes the length by one character (four bytes) at most: a long word
        // (hostile input) is rejected before any distance is worked out.
        .filter(|c| c.len().abs_diff(word.len()) <= 4 * max)
        .map(|c| (strsim::osa_distance(word, c), c))
        .filter(|&(d, _)| d <= max)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_text_shows_what_cannot_be_seen() {
        let cases: &[(&str, &str)] = &[
            ("imap.gmial.com", r#""imap.gmial.com""#),
            ("mail.bücher.example", r#""mail.bücher.example""#),
            ("a\"b\\c", r#""a\"b\\c""#),
            ("tab\there\n", r#""tab\there\n""#),
            ("no\u{a0}break", r#""no\u{a0}break""#),
            ("zero\u{200b}width", r#""zero\u{200b}width""#),
            ("\u{1b}[31m", r#""\u{1b}[31m""#),
            ("", r#""""#),
        ];
        for &(text, want) in cases {
            assert_eq!(Quoted(text).to_string(), want);
            if text.chars().all(|c| c.is_ascii_graphic() || c == ' ') || text.contains('ü') {
                // Printable text quotes exactly as `{:?}` would.
                assert_eq!(Quoted(text).to_string(), format!("{text:?}"));
            }
        }
    }

    #[test]
    fn escaped_text_cannot_drive_a_terminal() {
        let cases: &[(&str, &str)] = &[
            ("imap.gmail.com", "imap.gmail.com"),
            (
                "mail.bücher.example \"q\" \\",
                "mail.bücher.example \"q\" \\",
            ),
            (
                "\u{1b}]0;PWNED\u{7}\u{1b}[2J",
                "\\u{1b}]0;PWNED\\u{7}\\u{1b}[2J",
            ),
            ("csi\u{9b}2J", "csi\\u{9b}2J"),
            ("del\u{7f}", "del\\u{7f}"),
            ("a\u{202e}fdp.exe", "a\\u{202e}fdp.exe"),
            (
                "\u{2066}x\u{2069}\u{61c}\u{200e}",
                "\\u{2066}x\\u{2069}\\u{61c}\\u{200e}",
            ),
            (
                "zero\u{200b}\u{200d}\u{feff}",
                "zero\\u{200b}\\u{200d}\\u{feff}",
            ),
            ("tag\u{e0041}", "tag\\u{e0041}"),
            ("line\nbreak\r\t", "line\\nbreak\\r\\t"),
        ];
        for &(text, want) in cases {
            let shown = Escaped(text).to_string();
            assert_eq!(shown, want);
            assert!(!shown.chars().any(is_hidden), "{shown}");
            assert_eq!(
                Escaped(&shown).to_string(),
                shown,
                "escaping twice changes nothing"
            );
        }
        for c in (0..0x110000).filter_map(char::from_u32) {
            let hidden =
                c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
            if hidden {
                assert!(is_hidden(c), "{:x}", u32::from(c));
            }
        }
    }

    #[test]
    fn numbers_for_messages() {
        let cases: &[(f64, &str)] = &[
            (0.0, "0"),
            (993.0, "993"),
            (993.5, "993.5"),
            (-1.25, "-1.25"),
            (0.1, "0.1"),
            (1.0 / 3.0, "0.333333"),
            (0.9999999, "1"),
            (1e-7, "1e-7"),
            (2.5e-9, "2.5e-9"),
            (1e20, "1e20"),
            (-1.5e300, "-1.5e300"),
            (9.99999999e20, "1e21"),
            (f64::INFINITY, "infinity"),
            (f64::NEG_INFINITY, "-infinity"),
            (f64::NAN, "NaN"),
        ];
        for &(x, want) in cases {
            assert_eq!(number(x), want, "{x:e}");
        }
    }

    #[test]
    fn closest_picks_best() {
        assert_eq!(closest("prot", ["protocol", "host", "port"]), Some("port"));
        assert_eq!(closest("zzzz", ["port"]), None);
    }
}

/// Text from outside (a file, an argument, a server, a certificate, a DNS answer) made safe for
/// a terminal, without quotes: what [`is_hidden`] names prints as an escape (`\u{1b}`, and `\n`,
/// `\r`, `\t`); everything else, quotes and backslashes included, prints as itself. Use it for
/// every such value a command prints; [`Quoted`] when the value is part of a sentence.
#[derive(Debug, Clone, Copy)]
pub struct Escaped<'a>(pub &'a str);

impl std::fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        // Runs of safe text are written whole: this is on the path of every line a command prints.
        let mut rest = self.0;
        while let Some((i, c)) = rest.char_indices().find(|&(_, c)| is_hidden(c)) {
            f.write_str(&rest[..i])?;
            match c {
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                c => write!(f, "\\u{{{:x}}}", u32::from(c))?,
            }
            rest = &rest[i + c.len_utf8()..];
        }
        f.write_str(rest)
    }
}
