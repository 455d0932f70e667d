//! What Thunderbird's reader makes of a value: JXON turns each element into a JavaScript value
//! (`true` for an empty element, a boolean or a number when the text looks like one, else the
//! text), and `InputSanitizer` converts it with JavaScript's own rules (`String(v)`, `parseInt`,
//! loose `==`). Mirrored here so that lint says what Thunderbird does: `<port> 993 </port>` is 993,
//! `<port>993a</port>` is 993 too, `<username>007</username>` is the username `7`.
//!
//! Sources: comm-central `mailnews/base/src/JXON.sys.mjs` (`parseText`, `createObjTree`),
//! `mail/components/accountcreation/modules/InputSanitizer.sys.mjs`, and ECMAScript's
//! `StringToNumber`, `parseFloat`, `parseInt` and `Number::toString` (ECMA-262 §7.1.4.1.1,
//! §19.2.4, §19.2.5, §6.1.6.1.20). `tests/documents_thunderbird.rs` holds this to the real code.
//!
//! Numbers are kept as decimals, not `f64`: Rust's float parsing and printing would add about
//! 12 KB (gzip) to the WebAssembly module for a case that is almost never met. A decimal is what
//! JavaScript prints exactly when it has at most 15 significant digits or is an integer below
//! 2^53; beyond that JavaScript rounds to a double and mailsetup can only say it may ([`Decimal::exact`]).

use crate::documents::xml::Element;

/// A finite number as JavaScript reads it from text: the value is `0.DIGITS × 10^point`, with
/// no leading or trailing zeros in `digits` (empty for zero).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decimal {
    negative: bool,
    digits: String,
    point: i64,
}

impl Decimal {
    /// Whether JavaScript prints this number as these digits: at most 15 significant digits in
    /// the range of normal doubles, or an integer below 2^53.
    pub fn exact(&self) -> bool {
        let k = self.digits.len() as i64;
        let p = self.point;
        (k <= 15 && (-306..=308).contains(&p))
            || (p >= k
                && (p < 16 || (p == 16 && pad(&self.digits, 16).as_str() < "9007199254740992")))
    }

    /// Whether it rounds to infinity (at or above the midpoint between the largest double and
    /// 2^1024).
    fn infinite(&self) -> bool {
        const MIDPOINT: &str = "179769313486231580793728971405303415079934132";
        self.point > 309
            || (self.point == 309 && pad(&self.digits, MIDPOINT.len()).as_str() >= MIDPOINT)
    }

    /// `Math.trunc`, saturated far beyond any port or count of days.
    fn trunc(&self) -> i64 {
        let whole: i64 = match self.point {
            p if p <= 0 => 0,
            p if p > 15 => i64::MAX / 2,
            p => pad(&self.digits, p as usize).parse().unwrap_or(0),
        };
        if self.negative {
            -whole
        } else {
            whole
        }
    }
}

/// `digits` cut or padded with zeros to `n` characters.
fn pad(digits: &str, n: usize) -> String {
    let mut s: String = digits.chars().take(n).collect();
    while s.len() < n {
        s.push('0');
    }
    s
}

/// A value as JXON hands it to `readFromXML`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum JsValue {
    /// `undefined`: no such element or attribute.
    Missing,
    /// An empty element (`true`), or the text `true`/`false` in any case.
    Bool(bool),
    /// Text JavaScript reads as a finite number (`" 993 "`, `"1e3"`), as `parseFloat` reads it:
    /// `None` is NaN (`"  "`).
    Number(Option<Decimal>),
    /// Any other text.
    Text(String),
    /// An element with attributes or child elements, or only a comment: `String()` of it is
    /// `"[object Object]"`.
    Object,
}

impl JsValue {
    /// The value of an element (`None`: no such element).
    pub fn of_element(e: Option<&Element>) -> JsValue {
        let Some(e) = e else {
            return JsValue::Missing;
        };
        if e.empty && e.attributes.is_empty() {
            return JsValue::Bool(true);
        }
        if !e.children.is_empty() || !e.attributes.is_empty() || e.text.is_empty() {
            return JsValue::Object;
        }
        JsValue::parse_text(&e.text)
    }

    /// The value of an attribute.
    pub fn of_attribute(v: Option<&str>) -> JsValue {
        v.map_or(JsValue::Missing, JsValue::parse_text)
    }

    /// JXON's `parseText`.
    pub fn parse_text(s: &str) -> JsValue {
        if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false") {
            JsValue::Bool(s.eq_ignore_ascii_case("true"))
        } else if finite_number(s) {
            JsValue::Number(parse_float(s))
        } else {
            JsValue::Text(s.to_owned())
        }
    }

    /// The text, when the value is text: `translate` and `enum` compare with loose `==`, which
    /// matches their string keys only for a string.
    pub fn text(&self) -> Option<&str> {
        match self {
            JsValue::Text(t) => Some(t),
            _ => None,
        }
    }

    /// Whether JavaScript's `String(v)` is exactly what [`JsValue::to_js_string`] says (a number
    /// with more digits than a double keeps may print otherwise).
    pub fn exact(&self) -> bool {
        match self {
            JsValue::Number(Some(d)) => d.exact(),
            _ => true,
        }
    }

    /// JavaScript's `String(v)`.
    pub fn to_js_string(&self) -> String {
        match self {
            JsValue::Missing => "undefined".into(),
            JsValue::Bool(b) => b.to_string(),
            JsValue::Number(None) => "NaN".into(),
            JsValue::Number(Some(d)) => number_to_string(d),
            JsValue::Text(t) => t.clone(),
            JsValue::Object => "[object Object]".into(),
        }
    }

    /// Whether `!v` is false (`nonemptystring` refuses the others).
    pub fn truthy(&self) -> bool {
        match self {
            JsValue::Missing | JsValue::Number(None) => false,
            JsValue::Bool(b) => *b,
            JsValue::Number(Some(d)) => !d.digits.is_empty(),
            JsValue::Text(t) => !t.is_empty(),
            JsValue::Object => true,
        }
    }

    /// `InputSanitizer.integer`: a number truncated, else `parseInt` of the text; `None` for NaN.
    pub fn to_integer(&self) -> Option<i64> {
        match self {
            JsValue::Number(Some(d)) => Some(d.trunc()),
            _ => parse_int(&self.to_js_string()),
        }
    }

    /// `InputSanitizer.integerRange(v, 1, 65535)`.
    pub fn to_port(&self) -> Option<u16> {
        self.to_integer()
            .and_then(|n| u16::try_from(n).ok())
            .filter(|&n| n > 0)
    }

    /// `InputSanitizer.boolean`: only a boolean (JXON already turned `true`/`false` text into one).
    pub fn to_bool(&self) -> Option<bool> {
        match self {
            JsValue::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

/// ECMAScript's WhiteSpace and LineTerminator (what `trim` and `Number()` strip): Unicode
/// White_Space without U+0085, plus U+FEFF.
pub(crate) fn is_js_space(c: char) -> bool {
    (c.is_whitespace() && c != '\u{85}') || c == '\u{feff}'
}

/// `String.prototype.trim`.
pub(crate) fn js_trim(s: &str) -> &str {
    s.trim_matches(is_js_space)
}

/// A number read from the start of text: finite, or infinite.
enum Read {
    Finite(Decimal),
    Infinite,
}

/// The longest `[+-]? (Infinity | StrUnsignedDecimalLiteral)` at the start of `s` (`12`,
/// `-1.5e3`, `.5`, `5.`): its length and value.
fn decimal_prefix(s: &str) -> Option<(usize, Read)> {
    let b = s.as_bytes();
    let negative = b.first() == Some(&b'-');
    let mut i = usize::from(matches!(b.first(), Some(b'-' | b'+')));
    if s[i..].starts_with("Infinity") {
        return Some((i + 8, Read::Infinite));
    }
    let digits_from = |mut j: usize| {
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        j
    };
    let int_end = digits_from(i);
    let int = &s[i..int_end];
    let mut frac = "";
    i = int_end;
    if b.get(i) == Some(&b'.') {
        let frac_end = digits_from(i + 1);
        if !int.is_empty() || frac_end > i + 1 {
            frac = &s[i + 1..frac_end];
            i = frac_end;
        }
    }
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let mut exponent: i64 = 0;
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        let exp_negative = b.get(j) == Some(&b'-');
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let exp_end = digits_from(j);
        if exp_end > j {
            // Saturated: far beyond the range of doubles either way.
            exponent = s[j..exp_end].parse::<i64>().unwrap_or(1 << 40).min(1 << 40);
            if exp_negative {
                exponent = -exponent;
            }
            i = exp_end;
        }
    }
    let all = format!("{int}{frac}");
    let leading = all.len() - all.trim_start_matches('0').len();
    let digits = all[leading..].trim_end_matches('0').to_owned();
    let point = int.len() as i64 - leading as i64 + exponent;
    // Below half the smallest double (about 2.5e-324) a number is zero.
    let zero = digits.is_empty() || point <= -324;
    let d = Decimal {
        negative,
        point: if zero { 0 } else { point },
        digits: if zero { String::new() } else { digits },
    };
    Some((
        i,
        if d.infinite() {
            Read::Infinite
        } else {
            Read::Finite(d)
        },
    ))
}

/// `isFinite(s)` for a string: `Number(s)` (ECMAScript `StringToNumber`) is finite.
fn finite_number(s: &str) -> bool {
    let t = js_trim(s);
    let radix = match t.get(..2) {
        Some("0x" | "0X") => 16,
        Some("0o" | "0O") => 8,
        Some("0b" | "0B") => 2,
        _ => 10,
    };
    if radix != 10 {
        let digits = t[2..].trim_start_matches('0');
        // Below 2^1024: at most 1024 binary digits.
        let bits = match radix {
            16 => 4,
            8 => 3,
            _ => 1,
        } * digits.len();
        return !t[2..].is_empty() && t[2..].chars().all(|c| c.is_digit(radix)) && bits <= 1024;
    }
    t.is_empty() || matches!(decimal_prefix(t), Some((n, Read::Finite(_))) if n == t.len())
}

/// The global `parseFloat`, for text `isFinite` accepts (so never infinite); `None` is NaN.
fn parse_float(s: &str) -> Option<Decimal> {
    match decimal_prefix(s.trim_start_matches(is_js_space)) {
        Some((_, Read::Finite(d))) => Some(d),
        _ => None,
    }
}

/// The global `parseInt` without a radix, saturated far beyond any port; `None` is NaN.
pub(crate) fn parse_int(s: &str) -> Option<i64> {
    let t = s.trim_start_matches(is_js_space);
    let (sign, t) = match t.as_bytes().first() {
        Some(b'-') => (-1, &t[1..]),
        Some(b'+') => (1, &t[1..]),
        _ => (1, t),
    };
    let (radix, t) = match t.get(..2) {
        Some("0x" | "0X") => (16, &t[2..]),
        _ => (10, t),
    };
    let digits: Vec<u32> = t.chars().map_while(|c| c.to_digit(radix)).collect();
    if digits.is_empty() {
        return None;
    }
    let n = digits.iter().fold(0i64, |n, &d| {
        n.saturating_mul(i64::from(radix))
            .saturating_add(i64::from(d))
    });
    Some(sign * n)
}

/// JavaScript's `Number::toString(10)` of a decimal (exactly so where [`Decimal::exact`]):
/// `1000`, `0.001`, `1e+21`, `1.5e-7`.
fn number_to_string(d: &Decimal) -> String {
    let digits = &d.digits;
    if digits.is_empty() {
        return "0".into();
    }
    let k = digits.len() as i64;
    let n = d.point;
    let body = if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        format!("{}.{}", &digits[..n as usize], &digits[n as usize..])
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let sign = if n - 1 < 0 { '-' } else { '+' };
        let e = (n - 1).abs();
        match digits.split_at(1) {
            (first, "") => format!("{first}e{sign}{e}"),
            (first, rest) => format!("{first}.{rest}e{sign}{e}"),
        }
    };
    if d.negative {
        format!("-{body}")
    } else {
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string_of(text: &str) -> String {
        JsValue::parse_text(text).to_js_string()
    }

    #[test]
    fn parse_text_as_jxon() {
        let p = JsValue::parse_text;
        assert_eq!(p("TRUE"), JsValue::Bool(true));
        assert!(matches!(p(" 993 "), JsValue::Number(Some(_))));
        assert_eq!(p("  "), JsValue::Number(None));
        assert_eq!(p("993a"), JsValue::Text("993a".into()));
        assert_eq!(p("Infinity"), JsValue::Text("Infinity".into()));
        assert_eq!(p("1e400"), JsValue::Text("1e400".into()));
        assert_eq!(p(" SSL "), JsValue::Text(" SSL ".into()));
        assert!(matches!(p("0x10"), JsValue::Number(_)));
        assert_eq!(p("0x"), JsValue::Text("0x".into()));
    }

    /// `String(parseFloat(text))` for text `isFinite` accepts, as node prints it.
    #[test]
    fn numbers_print_as_javascript_prints_them() {
        for (text, js) in [
            ("7", "7"),
            ("007", "7"),
            (" +993 ", "993"),
            ("1e3", "1000"),
            ("0.5", "0.5"),
            (".5", "0.5"),
            ("5.", "5"),
            ("993.0", "993"),
            ("1e21", "1e+21"),
            ("123e18", "123000000000000000000"),
            ("1.5e-7", "1.5e-7"),
            ("0.000001", "0.000001"),
            ("-2.25", "-2.25"),
            ("-0", "0"),
            ("0x3E1", "0"),
            ("  ", "NaN"),
            ("1e-400", "0"),
            ("9007199254740991", "9007199254740991"),
        ] {
            assert_eq!(string_of(text), js, "{text}");
        }
        assert!(!JsValue::parse_text("12345678901234567").exact());
        assert!(JsValue::parse_text("9007199254740991").exact());
        assert!(JsValue::parse_text("1.23456789012345").exact());
        // 1.7976931348623157e308 is the largest double; 1.8e308 is Infinity.
        assert!(matches!(
            JsValue::parse_text("1.7976931348623157e308"),
            JsValue::Number(_)
        ));
        assert_eq!(
            JsValue::parse_text("1.8e308"),
            JsValue::Text("1.8e308".into())
        );
    }

    #[test]
    fn integers_as_input_sanitizer_reads_them() {
        let port = |s: &str| JsValue::parse_text(s).to_port();
        assert_eq!(port("993"), Some(993));
        assert_eq!(port(" 993 "), Some(993));
        assert_eq!(port("993a"), Some(993));
        assert_eq!(port("993.9"), Some(993));
        assert_eq!(port("1e3"), Some(1000));
        assert_eq!(port("0x3E1"), None);
        assert_eq!(port("abc"), None);
        assert_eq!(port("0"), None);
        assert_eq!(port("65536"), None);
        assert_eq!(port("99999999999999999999"), None);
        assert_eq!(JsValue::Bool(true).to_port(), None);
        assert_eq!(JsValue::Missing.to_port(), None);
        assert_eq!(parse_int("0x1F!"), Some(31));
        assert_eq!(parse_int("-12abc"), Some(-12));
    }
}
