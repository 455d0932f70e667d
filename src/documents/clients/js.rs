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

use crate::documents::xml::Element;

/// A value as JXON hands it to `readFromXML`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum JsValue {
    /// `undefined`: no such element or attribute.
    Missing,
    /// An empty element (`true`), or the text `true`/`false` in any case.
    Bool(bool),
    /// Text JavaScript reads as a finite number (`" 993 "`, `"1e3"`), as `parseFloat` reads it
    /// (which can be `NaN`: `"  "`).
    Number(f64),
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
        } else if string_to_number(s).is_finite() {
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

    /// JavaScript's `String(v)`.
    pub fn to_js_string(&self) -> String {
        match self {
            JsValue::Missing => "undefined".into(),
            JsValue::Bool(b) => b.to_string(),
            JsValue::Number(n) => number_to_string(*n),
            JsValue::Text(t) => t.clone(),
            JsValue::Object => "[object Object]".into(),
        }
    }

    /// Whether `!v` is false (`nonemptystring` refuses the others).
    pub fn truthy(&self) -> bool {
        match self {
            JsValue::Missing => false,
            JsValue::Bool(b) => *b,
            JsValue::Number(n) => *n != 0.0 && !n.is_nan(),
            JsValue::Text(t) => !t.is_empty(),
            JsValue::Object => true,
        }
    }

    /// `InputSanitizer.integer`: a number truncated, else `parseInt` of the text; `None` for NaN.
    pub fn to_integer(&self) -> Option<f64> {
        let n = match self {
            JsValue::Number(n) if !n.is_nan() => n.trunc(),
            _ => parse_int(&self.to_js_string()),
        };
        (!n.is_nan()).then_some(n)
    }

    /// `InputSanitizer.integerRange(v, 1, 65535)`.
    pub fn to_port(&self) -> Option<u16> {
        self.to_integer()
            .filter(|n| (1.0..=65535.0).contains(n))
            .map(|n| n as u16)
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

/// The length of the longest prefix of `s` that is a `StrUnsignedDecimalLiteral` without
/// `Infinity` (`12`, `1.5e3`, `.5`, `5.`); 0 when there is none.
fn decimal_prefix(s: &str) -> usize {
    let b = s.as_bytes();
    let digits = |mut i: usize| {
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        i
    };
    let int_end = digits(0);
    let mut end = int_end;
    let mut any = int_end > 0;
    if b.get(end) == Some(&b'.') {
        let frac_end = digits(end + 1);
        if any || frac_end > end + 1 {
            any |= frac_end > end + 1;
            end = frac_end;
        }
    }
    if !any {
        return 0;
    }
    if matches!(b.get(end), Some(b'e' | b'E')) {
        let mut i = end + 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp_end = digits(i);
        if exp_end > i {
            end = exp_end;
        }
    }
    end
}

/// `[+-]? (Infinity | decimal)` at the start of `s`: its length and value.
fn signed_decimal_prefix(s: &str) -> Option<(usize, f64)> {
    let (sign, rest) = match s.as_bytes().first() {
        Some(b'-') => (-1.0, &s[1..]),
        Some(b'+') => (1.0, &s[1..]),
        _ => (1.0, s),
    };
    let signed = s.len() - rest.len();
    if rest.starts_with("Infinity") {
        return Some((signed + 8, sign * f64::INFINITY));
    }
    let n = decimal_prefix(rest);
    // A decimal literal Rust parses exactly as JavaScript does (round to nearest).
    (n > 0).then(|| {
        (
            signed + n,
            sign * rest[..n].parse::<f64>().unwrap_or(f64::NAN),
        )
    })
}

/// `Number(s)` for a string (ECMAScript `StringToNumber`).
pub(crate) fn string_to_number(s: &str) -> f64 {
    let t = js_trim(s);
    if t.is_empty() {
        return 0.0;
    }
    let radix = match t.get(..2) {
        Some("0x" | "0X") => 16,
        Some("0o" | "0O") => 8,
        Some("0b" | "0B") => 2,
        _ => 10,
    };
    if radix != 10 {
        let digits = &t[2..];
        if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return f64::NAN;
        }
        return digits.chars().fold(0.0, |n, c| {
            n * f64::from(radix) + f64::from(c.to_digit(radix).unwrap_or(0))
        });
    }
    match signed_decimal_prefix(t) {
        Some((n, v)) if n == t.len() => v,
        _ => f64::NAN,
    }
}

/// The global `parseFloat`.
pub(crate) fn parse_float(s: &str) -> f64 {
    signed_decimal_prefix(s.trim_start_matches(is_js_space)).map_or(f64::NAN, |(_, v)| v)
}

/// The global `parseInt` without a radix.
pub(crate) fn parse_int(s: &str) -> f64 {
    let t = s.trim_start_matches(is_js_space);
    let (sign, t) = match t.as_bytes().first() {
        Some(b'-') => (-1.0, &t[1..]),
        Some(b'+') => (1.0, &t[1..]),
        _ => (1.0, t),
    };
    let (radix, t) = match t.get(..2) {
        Some("0x" | "0X") => (16, &t[2..]),
        _ => (10, t),
    };
    let digits: Vec<u32> = t.chars().map_while(|c| c.to_digit(radix)).collect();
    if digits.is_empty() {
        return f64::NAN;
    }
    sign * digits
        .iter()
        .fold(0.0, |n, &d| n * f64::from(radix) + f64::from(d))
}

/// JavaScript's `Number::toString(10)`: the shortest digits that read back as `x`, placed as
/// ECMAScript says (`1000`, `0.001`, `1e+21`, `1.5e-7`).
pub(crate) fn number_to_string(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x == 0.0 {
        return "0".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if x < 0.0 {
        return format!("-{}", number_to_string(-x));
    }
    // Rust's `{:e}` gives the shortest round-trip digits, as ECMAScript asks: "d.ddde±x".
    let sci = format!("{x:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let k = digits.len() as i32;
    let n = exp.parse::<i32>().unwrap_or(0) + 1;
    if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        format!("{}.{}", &digits[..n as usize], &digits[n as usize..])
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let sign = if n - 1 < 0 { '-' } else { '+' };
        let e = (n - 1).abs();
        match digits.split_at(1) {
            (d, "") => format!("{d}e{sign}{e}"),
            (d, rest) => format!("{d}.{rest}e{sign}{e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_text_as_jxon() {
        let p = JsValue::parse_text;
        assert_eq!(p("TRUE"), JsValue::Bool(true));
        assert_eq!(p(" 993 "), JsValue::Number(993.0));
        assert_eq!(p("1e3"), JsValue::Number(1000.0));
        assert_eq!(p("0x3E1"), JsValue::Number(0.0));
        assert!(matches!(p("  "), JsValue::Number(n) if n.is_nan()));
        assert_eq!(p("993a"), JsValue::Text("993a".into()));
        assert_eq!(p("Infinity"), JsValue::Text("Infinity".into()));
        assert_eq!(p("1e400"), JsValue::Text("1e400".into()));
        assert_eq!(p(" SSL "), JsValue::Text(" SSL ".into()));
    }

    #[test]
    fn numbers_print_as_javascript_prints_them() {
        for (x, s) in [
            (7.0, "7"),
            (1000.0, "1000"),
            (0.5, "0.5"),
            (1e21, "1e+21"),
            (123e18, "123000000000000000000"),
            (1.5e-7, "1.5e-7"),
            (0.000001, "0.000001"),
            (-2.25, "-2.25"),
            (f64::NAN, "NaN"),
        ] {
            assert_eq!(number_to_string(x), s);
        }
    }

    #[test]
    fn integers_as_input_sanitizer_reads_them() {
        let port = |s: &str| JsValue::parse_text(s).to_port();
        assert_eq!(port("993"), Some(993));
        assert_eq!(port(" 993 "), Some(993));
        assert_eq!(port("993a"), Some(993));
        assert_eq!(port("993.9"), Some(993));
        assert_eq!(port("0x3E1"), None);
        assert_eq!(port("abc"), None);
        assert_eq!(port("0"), None);
        assert_eq!(port("65536"), None);
        assert_eq!(JsValue::Bool(true).to_port(), None);
        assert_eq!(JsValue::Missing.to_port(), None);
    }
}
