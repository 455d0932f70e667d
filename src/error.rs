//! Errors for input that cannot be understood at all.
//!
//! Anything that parses is judged by the rules and reported as findings; these errors are only
//! for input that is not JSON, has a value outside a vocabulary, an unknown key, or a port outside
//! 1–65535. Each says where (a field path such as `incoming.security`), what, and what is allowed.

use crate::text::{closest, Escaped, Quoted};

/// The most input one reader takes: a JSON file or standard input for the command line, one
/// argument of the JavaScript API (measured as the JSON text it would be). Settings are a few
/// hundred bytes; more is not settings, and refusing it before any work keeps a page or a
/// command from being stalled or made to hold gigabytes.
pub const MAX_INPUT_BYTES: usize = 1 << 20;

/// How deep JSON input may nest. The deepest settings (`incoming.…`) are two levels and a
/// provider definition a few more; the cap turns a cycle (in JS) or a pathological document into
/// an error naming the field instead of deep recursion.
pub const MAX_INPUT_DEPTH: usize = 32;

/// Input that cannot be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// The text is not well-formed JSON.
    #[error("input is not valid JSON (line {line}, column {column}): {message}")]
    Syntax {
        /// Where the reader stopped.
        line: usize,
        /// The column there.
        column: usize,
        /// What was wrong.
        message: String,
    },
    /// A field is missing, unknown or has a value that cannot be used.
    #[error("{}{message}", if path.is_empty() { String::new() } else { format!("`{}`: ", Escaped(path)) })]
    Field {
        /// The field path (`incoming.port`); empty for the input as a whole.
        path: String,
        /// What is wrong, and what is allowed.
        message: String,
    },
    /// Bytes that are not text in the encoding they are in (see [`decode`]).
    #[error("{0}")]
    Encoding(String),
    /// A value outside a fixed vocabulary (command-line flags).
    #[error(
        "unknown {what} {}; expected one of {}",
        Quoted(value),
        quote_list(allowed)
    )]
    UnknownValue {
        /// What the value is for (`security`).
        what: &'static str,
        /// The value given.
        value: String,
        /// The values allowed.
        allowed: &'static [&'static str],
    },
}

impl InputError {
    pub(crate) fn unknown_value(
        what: &'static str,
        value: &str,
        allowed: &'static [&'static str],
    ) -> Self {
        InputError::UnknownValue {
            what,
            value: value.to_owned(),
            allowed,
        }
    }

    /// The field path the error concerns, when there is one.
    pub fn path(&self) -> Option<&str> {
        match self {
            InputError::Field { path, .. } if !path.is_empty() => Some(path),
            _ => None,
        }
    }
}

/// `"a", "b", "c"` for error messages.
pub(crate) fn quote_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| Quoted(s).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// JSON text as a value, or a syntax error with its line and column. A byte-order mark that was
/// decoded with the text (U+FEFF first) is not part of it, as [`decode`] says.
///
/// Stricter than JSON itself in three ways, each refused naming the field: a key given twice in
/// one object (readers disagree on which value counts: serde and most JSON libraries take the
/// last, a person reading the file sees the first), nesting deeper than [`MAX_INPUT_DEPTH`], and
/// text over [`MAX_INPUT_BYTES`].
pub(crate) fn json_value(text: &str) -> Result<serde_json::Value, InputError> {
    use serde::de::DeserializeSeed;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.len() > MAX_INPUT_BYTES {
        return Err(too_large(""));
    }
    let refusal = std::cell::RefCell::new(None);
    let mut path = String::new();
    let mut reader = serde_json::Deserializer::from_str(text);
    let value = strict::Node {
        path: &mut path,
        depth: 0,
        refusal: &refusal,
    }
    .deserialize(&mut reader)
    .and_then(|value| reader.end().map(|()| value));
    value.map_err(|e| match refusal.into_inner() {
        Some((path, message)) => InputError::Field {
            path,
            message: format!("{message} (line {}, column {})", e.line(), e.column()),
        },
        None => InputError::Syntax {
            line: e.line(),
            column: e.column(),
            message: strip_position(&e.to_string()),
        },
    })
}

/// The refusal of input over [`MAX_INPUT_BYTES`], at `path`.
pub(crate) fn too_large(path: &str) -> InputError {
    InputError::Field {
        path: path.to_owned(),
        message: format!(
            "the input is larger than {MAX_INPUT_BYTES} bytes (as JSON text); settings are a few hundred"
        ),
    }
}

/// The refusal of input nested deeper than [`MAX_INPUT_DEPTH`], at `path`.
pub(crate) fn too_deep(path: &str) -> InputError {
    InputError::Field {
        path: path.to_owned(),
        message: format!("nested more than {MAX_INPUT_DEPTH} levels deep (is there a cycle?)"),
    }
}

/// The refusal of a key given twice in one object, at the key's path.
pub(crate) fn duplicate_key(path: &str) -> InputError {
    InputError::Field {
        path: path.to_owned(),
        message: "the key is given twice in one object; readers disagree on which value counts, so give it once".into(),
    }
}

/// A JSON reader that builds a [`serde_json::Value`] as serde_json's own does, but refuses a
/// duplicate key and deep nesting, keeping where it was: serde_json offers no such option.
mod strict {
    use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
    use serde_json::{Map, Value};
    use std::cell::RefCell;
    use std::fmt;

    /// The value at `path`, `depth` levels down; a refusal leaves its field and message in
    /// `refusal` (serde_json's error then only says where in the text).
    pub(super) struct Node<'p> {
        pub(super) path: &'p mut String,
        pub(super) depth: usize,
        pub(super) refusal: &'p RefCell<Option<(String, String)>>,
    }

    impl Node<'_> {
        fn refuse<E: de::Error>(&self, e: super::InputError) -> E {
            let message = match &e {
                super::InputError::Field { message, .. } => message.clone(),
                other => other.to_string(),
            };
            *self.refusal.borrow_mut() = Some((self.path.clone(), message));
            E::custom("refused")
        }

        fn child(&mut self, push: impl FnOnce(&mut String)) -> (Node<'_>, usize) {
            let len = self.path.len();
            push(self.path);
            (
                Node {
                    path: self.path,
                    depth: self.depth + 1,
                    refusal: self.refusal,
                },
                len,
            )
        }
    }

    impl<'de> DeserializeSeed<'de> for Node<'_> {
        type Value = Value;

        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
            if self.depth > super::MAX_INPUT_DEPTH {
                return Err(self.refuse(super::too_deep("")));
            }
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Node<'_> {
        type Value = Value;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("JSON data")
        }

        fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
            Ok(Value::Bool(b))
        }

        fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
            Ok(Value::from(n))
        }

        fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
            Ok(Value::from(n))
        }

        fn visit_f64<E>(self, x: f64) -> Result<Value, E> {
            Ok(serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number))
        }

        fn visit_str<E>(self, s: &str) -> Result<Value, E> {
            Ok(Value::String(s.to_owned()))
        }

        fn visit_string<E>(self, s: String) -> Result<Value, E> {
            Ok(Value::String(s))
        }

        fn visit_unit<E>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }

        fn visit_seq<A: SeqAccess<'de>>(mut self, mut items: A) -> Result<Value, A::Error> {
            let mut out = Vec::new();
            loop {
                let i = out.len();
                let (node, len) = self.child(|p| p.push_str(&format!("[{i}]")));
                match items.next_element_seed(node)? {
                    Some(item) => out.push(item),
                    None => {
                        self.path.truncate(len);
                        return Ok(Value::Array(out));
                    }
                }
                self.path.truncate(len);
            }
        }

        fn visit_map<A: MapAccess<'de>>(mut self, mut entries: A) -> Result<Value, A::Error> {
            let mut out = Map::new();
            while let Some(key) = entries.next_key::<String>()? {
                let (node, len) = self.child(|p| {
                    if !p.is_empty() {
                        p.push('.');
                    }
                    p.push_str(&key);
                });
                if out.contains_key(&key) {
                    return Err(node.refuse(super::duplicate_key("")));
                }
                let value = entries.next_value_seed(node)?;
                self.path.truncate(len);
                out.insert(key, value);
            }
            Ok(Value::Object(out))
        }
    }
}

/// Deserializes `T` from a JSON value, mapping the error to an [`InputError::Field`] with its path.
pub fn from_value<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
) -> Result<T, InputError> {
    at_path::deserialize(&value).map_err(|(mut path, e)| {
        if let at_path::Error::UnknownField { .. } = e {
            // The path ends with the unknown key itself; report its parent object.
            path = path
                .rsplit_once('.')
                .map_or(String::new(), |(parent, _)| parent.to_owned());
        }
        InputError::Field {
            path,
            message: e.explain(),
        }
    })
}

pub(crate) fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// Bytes as text, under the one policy every reader of the project follows (JSON and XML, a
/// file or standard input, for `check`, `export`, `advise` and `lint`):
///
/// - a byte-order mark says the encoding — UTF-8, UTF-16LE or UTF-16BE — and is not part of the
///   text (Windows editors write one; PowerShell's `>` writes UTF-16LE with one);
/// - without one, the text is UTF-8, unless it is an XML document whose declaration names another
///   encoding (`declared`), which is decoded as Gecko, and so Thunderbird, decodes it: with the
///   WHATWG Encoding Standard's decoders (`ISO-8859-1` is windows-1252 there; a declared UTF-16
///   without a byte-order mark is UTF-8), and an encoding Gecko does not know is refused, naming it;
/// - bytes that are not valid in their encoding are refused, saying where.
///
/// (A U+FEFF at the start of a string, a byte-order mark decoded with it, is dropped by the JSON
/// and XML readers of strings too.) Native only: the JS API takes strings, decoded already.
#[cfg(not(target_arch = "wasm32"))]
pub fn decode(bytes: &[u8], declared: Option<&str>) -> Result<String, InputError> {
    use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};
    let (encoding, body) = match Encoding::for_bom(bytes) {
        Some((encoding, bom)) => (encoding, &bytes[bom..]),
        None => match declared {
            None => (UTF_8, bytes),
            Some(label) => match Encoding::for_label_no_replacement(label.as_bytes()) {
                Some(e) if e == UTF_16LE || e == UTF_16BE => (UTF_8, bytes),
                Some(e) => (e, bytes),
                None => {
                    return Err(InputError::Encoding(format!(
                        "the document declares the encoding {}, which neither Thunderbird nor mailsetup reads; save it as UTF-8",
                        crate::text::Quoted(label)
                    )))
                }
            },
        },
    };
    if encoding == UTF_8 {
        return std::str::from_utf8(body).map(str::to_owned).map_err(|e| {
            InputError::Encoding(format!(
                "not UTF-8 text (invalid byte at offset {}); save the file as UTF-8",
                e.valid_up_to() + (bytes.len() - body.len())
            ))
        });
    }
    encoding
        .decode_without_bom_handling_and_without_replacement(body)
        .map(std::borrow::Cow::into_owned)
        .ok_or_else(|| {
            InputError::Encoding(format!(
                "not valid {} text; save the file as UTF-8",
                encoding.name()
            ))
        })
}

fn strip_position(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg.to_owned(),
    }
}

/// A value from the input in a message about it: in backticks, like the names it is compared
/// with, when that shows it exactly; quoted and escaped ([`Quoted`]) when it holds a backtick or
/// a character that cannot be seen.
pub(crate) fn shown(value: &str) -> String {
    if value.contains('`') || value.chars().any(crate::text::is_hidden) {
        Quoted(value).to_string()
    } else {
        format!("`{value}`")
    }
}

/// "unknown field `prot` (did you mean `port`?); expected one of `protocol`, `host`, …": built
/// from what serde reports (the value and the names allowed), never by re-reading a message.
fn unknown(kind: &str, bad: &str, allowed: &[&str]) -> String {
    let mut out = format!("unknown {kind} {}", shown(bad));
    if let Some(best) = closest(bad, allowed.iter().copied()) {
        out.push_str(&format!(" (did you mean `{best}`?)"));
    }
    if !allowed.is_empty() {
        out.push_str("; expected one of ");
        out.push_str(
            &allowed
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    out
}

/// Deserialization from a [`serde_json::Value`] that knows where it is: on an error, the path of
/// keys and indexes from the root to the value that failed (`incoming.security`, `servers[1].port`).
///
/// It does what `serde_path_to_error` does, for this one input type only: that crate wraps every
/// visitor generically, which cost 6 KB (gzip) of the WebAssembly module.
mod at_path {
    use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};
    use serde::forward_to_deserialize_any;
    use serde_json::Value;
    use std::cell::RefCell;
    use std::fmt;

    /// What went wrong: an unknown field or value with what is allowed (kept as data, so that the
    /// message never has to be taken apart again), or a message.
    ///
    /// Its own type rather than `serde_json::Error`: that one (like serde's `Unexpected`) prints
    /// an unexpected float with `f64`'s `Display`, whose formatting code and tables are the
    /// largest single piece of the WebAssembly module otherwise; here floats go through
    /// [`crate::text::number`]. The messages are serde_json's.
    #[derive(Debug)]
    pub(super) enum Error {
        /// A key the type does not have.
        UnknownField {
            field: String,
            expected: &'static [&'static str],
        },
        /// A value outside the type's vocabulary.
        UnknownValue {
            value: String,
            expected: &'static [&'static str],
        },
        /// Anything else.
        Message(String),
    }

    impl Error {
        /// The message for people.
        pub(super) fn explain(&self) -> String {
            match self {
                Error::UnknownField { field, expected } => super::unknown("field", field, expected),
                Error::UnknownValue { value, expected } => super::unknown("value", value, expected),
                Error::Message(m) => super::strip_position(m),
            }
        }
    }

    impl fmt::Display for Error {
        fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(&self.explain())
        }
    }

    impl std::error::Error for Error {}

    impl de::Error for Error {
        fn custom<T: fmt::Display>(msg: T) -> Self {
            Error::Message(msg.to_string())
        }

        fn invalid_type(unexp: de::Unexpected, exp: &dyn de::Expected) -> Self {
            Error::Message(format!(
                "invalid type: {}, expected {exp}",
                unexpected(unexp)
            ))
        }

        fn invalid_value(unexp: de::Unexpected, exp: &dyn de::Expected) -> Self {
            Error::Message(format!(
                "invalid value: {}, expected {exp}",
                unexpected(unexp)
            ))
        }

        fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
            Error::UnknownValue {
                value: variant.to_owned(),
                expected,
            }
        }

        fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
            Error::UnknownField {
                field: field.to_owned(),
                expected,
            }
        }
    }

    /// `unexp` as serde_json words it.
    fn unexpected(unexp: de::Unexpected) -> String {
        use de::Unexpected as U;
        match unexp {
            U::Bool(b) => format!("boolean `{b}`"),
            U::Unsigned(n) => format!("integer `{n}`"),
            U::Signed(n) => format!("integer `{n}`"),
            U::Float(x) => format!("floating point `{}`", crate::text::number(x)),
            U::Char(c) => format!("character {}", super::shown(c.encode_utf8(&mut [0; 4]))),
            U::Str(s) => format!("string {}", super::Quoted(s)),
            U::Bytes(_) => "byte array".into(),
            U::Unit => "null".into(),
            U::Option => "Option value".into(),
            U::NewtypeStruct => "newtype struct".into(),
            U::Seq => "sequence".into(),
            U::Map => "map".into(),
            U::Enum => "enum".into(),
            U::UnitVariant => "unit variant".into(),
            U::NewtypeVariant => "newtype variant".into(),
            U::TupleVariant => "tuple variant".into(),
            U::StructVariant => "struct variant".into(),
            U::Other(other) => other.into(),
        }
    }

    enum Segment<'a> {
        Key(&'a str),
        Index(usize),
    }

    /// The keys and indexes from the root to where the deserializer is; on an error, to the failure.
    type Path<'a> = RefCell<Vec<Segment<'a>>>;

    pub(super) fn deserialize<T: DeserializeOwned>(value: &Value) -> Result<T, (String, Error)> {
        let path = RefCell::new(Vec::new());
        T::deserialize(At { value, path: &path }).map_err(|e| (render(&path.borrow()), e))
    }

    fn render(path: &[Segment]) -> String {
        let mut out = String::new();
        for segment in path {
            match segment {
                Segment::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Segment::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }

    struct At<'a, 'p> {
        value: &'a Value,
        path: &'p Path<'a>,
    }

    impl<'a> de::Deserializer<'a> for At<'a, '_> {
        type Error = Error;

        fn deserialize_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
            match self.value {
                Value::Null => visitor.visit_unit(),
                Value::Bool(b) => visitor.visit_bool(*b),
                Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                    (Some(u), _) => visitor.visit_u64(u),
                    (None, Some(i)) => visitor.visit_i64(i),
                    _ => visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN)),
                },
                Value::String(s) => visitor.visit_borrowed_str(s),
                Value::Array(items) => visitor.visit_seq(Items {
                    items: items.iter().enumerate(),
                    path: self.path,
                }),
                Value::Object(map) => visitor.visit_map(Entries {
                    entries: map.iter(),
                    value: None,
                    path: self.path,
                }),
            }
        }

        fn deserialize_option<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
            match self.value {
                Value::Null => visitor.visit_none(),
                _ => visitor.visit_some(self),
            }
        }

        fn deserialize_enum<V: Visitor<'a>>(
            self,
            _name: &'static str,
            _variants: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, Error> {
            match self.value {
                Value::String(s) => visitor.visit_enum(de::value::BorrowedStrDeserializer::new(s)),
                _ => self.deserialize_any(visitor),
            }
        }

        fn deserialize_newtype_struct<V: Visitor<'a>>(
            self,
            _name: &'static str,
            visitor: V,
        ) -> Result<V::Value, Error> {
            visitor.visit_newtype_struct(self)
        }

        forward_to_deserialize_any! {
            <W: Visitor<'a>>
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
        }
    }

    struct Entries<'a, 'p> {
        entries: serde_json::map::Iter<'a>,
        value: Option<&'a Value>,
        path: &'p Path<'a>,
    }

    impl<'a> MapAccess<'a> for Entries<'a, '_> {
        type Error = Error;

        fn next_key_seed<K: DeserializeSeed<'a>>(
            &mut self,
            seed: K,
        ) -> Result<Option<K::Value>, Error> {
            let Some((key, value)) = self.entries.next() else {
                return Ok(None);
            };
            // Pushed before the key is read: an unknown key fails with its own path.
            self.path.borrow_mut().push(Segment::Key(key));
            self.value = Some(value);
            seed.deserialize(de::value::BorrowedStrDeserializer::new(key))
                .map(Some)
        }

        fn next_value_seed<V: DeserializeSeed<'a>>(&mut self, seed: V) -> Result<V::Value, Error> {
            let value = self
                .value
                .take()
                .ok_or_else(|| <Error as de::Error>::custom("a value was read before its key"))?;
            let out = seed.deserialize(At {
                value,
                path: self.path,
            })?;
            self.path.borrow_mut().pop();
            Ok(out)
        }
    }

    struct Items<'a, 'p> {
        items: std::iter::Enumerate<std::slice::Iter<'a, Value>>,
        path: &'p Path<'a>,
    }

    impl<'a> SeqAccess<'a> for Items<'a, '_> {
        type Error = Error;

        fn next_element_seed<T: DeserializeSeed<'a>>(
            &mut self,
            seed: T,
        ) -> Result<Option<T::Value>, Error> {
            let Some((i, value)) = self.items.next() else {
                return Ok(None);
            };
            self.path.borrow_mut().push(Segment::Index(i));
            let out = seed.deserialize(At {
                value,
                path: self.path,
            })?;
            self.path.borrow_mut().pop();
            Ok(Some(out))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_error(text: &str) -> (String, String) {
        match json_value(text).unwrap_err() {
            InputError::Field { path, message } => (path, message),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_key_given_twice_is_refused_naming_it() {
        let (path, message) = field_error(
            r#"{"protocol":"imap","host":"imap.evil.com","port":993,"security":"tls","host":"imap.gmail.com"}"#,
        );
        assert_eq!(path, "host");
        assert!(
            message.contains("given twice") && message.contains("column"),
            "{message}"
        );
        let (path, _) = field_error(r#"{"incoming":{"host":"a"},"outgoing":{},"incoming":{}}"#);
        assert_eq!(path, "incoming");
        let (path, _) = field_error(r#"{"servers":[{"port":1},{"port":1,"port":2}]}"#);
        assert_eq!(path, "servers[1].port");
        // Equal keys once unescaped are the same key.
        let (path, _) = field_error(r#"{"host":"a","h\u006fst":"b"}"#);
        assert_eq!(path, "host");
        // The same key in two objects is no duplicate.
        assert!(json_value(r#"{"a":{"k":1},"b":{"k":2},"k":[{"k":3}]}"#).is_ok());
    }

    #[test]
    fn depth_and_size_are_capped() {
        let deep = format!(
            "{}{}",
            "[".repeat(MAX_INPUT_DEPTH + 1),
            "]".repeat(MAX_INPUT_DEPTH + 1)
        );
        assert!(json_value(&deep).is_ok());
        let deeper = format!(
            "{}{}",
            "[".repeat(MAX_INPUT_DEPTH + 2),
            "]".repeat(MAX_INPUT_DEPTH + 2)
        );
        let (path, message) = field_error(&deeper);
        assert!(
            path.starts_with("[0][0]") && message.contains("levels deep"),
            "{path} {message}"
        );
        let big = format!("\"{}\"", "x".repeat(MAX_INPUT_BYTES));
        assert!(field_error(&big).1.contains("larger than"));
        assert!(matches!(
            json_value("{\"a\":1"),
            Err(InputError::Syntax { .. })
        ));
        assert!(matches!(json_value("1 2"), Err(InputError::Syntax { .. })));
    }

    #[test]
    fn unknown_values_are_explained_from_data_not_from_text() {
        // The error layer's own types: the model is above it.
        #[derive(serde::Deserialize, Debug)]
        #[serde(rename_all = "lowercase")]
        #[allow(dead_code)]
        enum Security {
            Tls,
            Starttls,
            None,
        }
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct S {
            security: Security,
        }
        let explain = |v: serde_json::Value| from_value::<S>(v).unwrap_err().to_string();
        assert_eq!(
            explain(serde_json::json!({"security": "tsl"})),
            "`security`: unknown value `tsl` (did you mean `tls`?); expected one of `tls`, `starttls`, `none`"
        );
        // A backtick in the value cannot pass for the list of what is allowed.
        assert_eq!(
            explain(serde_json::json!({"security": "a`b"})),
            "`security`: unknown value \"a`b\"; expected one of `tls`, `starttls`, `none`"
        );
        assert_eq!(
            explain(serde_json::json!({"security": "x`, `tls"})),
            "`security`: unknown value \"x`, `tls\"; expected one of `tls`, `starttls`, `none`"
        );
        let e = explain(serde_json::json!({"security": "\u{1b}]0;PWNED\u{7}"}));
        assert!(
            e.contains(r#""\u{1b}]0;PWNED\u{7}""#) && !e.contains('\u{1b}'),
            "{e}"
        );
        let e = explain(serde_json::json!({"s`ecurity": 1}));
        assert!(
            e.starts_with("unknown field \"s`ecurity\" (did you mean `security`?)"),
            "{e}"
        );
    }
}
