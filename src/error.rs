//! Errors for input that cannot be understood at all.
//!
//! Anything that parses is judged by the rules and reported as findings; these errors are only
//! for input that is not JSON, has a value outside a vocabulary, an unknown key, or a port outside
//! 1–65535. Each says where (a field path such as `incoming.security`), what, and what is allowed.

use crate::text::closest;

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
    #[error("{}{message}", if path.is_empty() { String::new() } else { format!("`{path}`: ") })]
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
        crate::text::Quoted(value),
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
        .map(|s| crate::text::Quoted(s).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// JSON text as a value, or a syntax error with its line and column. A byte-order mark that was
/// decoded with the text (U+FEFF first) is not part of it, as [`decode`] says.
pub(crate) fn json_value(text: &str) -> Result<serde_json::Value, InputError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_json::from_str(text).map_err(|e| InputError::Syntax {
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })
}

/// Deserializes `T` from a JSON value, mapping the error to an [`InputError::Field`] with its path.
pub fn from_value<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
) -> Result<T, InputError> {
    at_path::deserialize(&value).map_err(|(path, e)| {
        let mut path = path;
        let message = explain(&e.to_string());
        // For an unknown key the path ends with the key itself; report its parent object.
        if message.starts_with("unknown field") {
            path = path
                .rsplit_once('.')
                .map_or(String::new(), |(parent, _)| parent.to_owned());
        }
        InputError::Field { path, message }
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

/// Adds "did you mean" to serde's `unknown field`/`unknown variant` messages.
fn explain(msg: &str) -> String {
    let msg = strip_position(msg);
    let kind = if msg.starts_with("unknown field `") {
        "field"
    } else if msg.starts_with("unknown variant `") {
        "value"
    } else {
        return msg;
    };
    let mut ticks = msg.split('`').skip(1).step_by(2);
    let Some(bad) = ticks.next() else { return msg };
    let allowed: Vec<&str> = ticks.collect();
    let mut out = format!("unknown {kind} `{bad}`");
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

    /// What went wrong, as a message.
    ///
    /// Its own type rather than `serde_json::Error`: that one (like serde's `Unexpected`) prints
    /// an unexpected float with `f64`'s `Display`, whose formatting code and tables are the
    /// largest single piece of the WebAssembly module otherwise; here floats go through
    /// [`crate::text::number`]. The messages are serde_json's.
    #[derive(Debug)]
    pub(super) struct Error(String);

    impl fmt::Display for Error {
        fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(&self.0)
        }
    }

    impl std::error::Error for Error {}

    impl de::Error for Error {
        fn custom<T: fmt::Display>(msg: T) -> Self {
            Error(msg.to_string())
        }

        fn invalid_type(unexp: de::Unexpected, exp: &dyn de::Expected) -> Self {
            Error(format!(
                "invalid type: {}, expected {exp}",
                unexpected(unexp)
            ))
        }

        fn invalid_value(unexp: de::Unexpected, exp: &dyn de::Expected) -> Self {
            Error(format!(
                "invalid value: {}, expected {exp}",
                unexpected(unexp)
            ))
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
            U::Char(c) => format!("character `{c}`"),
            U::Str(s) => format!("string {}", crate::text::Quoted(s)),
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
