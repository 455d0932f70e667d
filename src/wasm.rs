//! The JavaScript API: free functions that convert in, call the core, convert out.
//!
//! It is built as two WebAssembly modules, so that pages load only what they use: the main
//! module (feature `wasm`: `validate`, `advise`, `providers`, `lookupProvider`, `version`), which
//! a page or an embedded element needs at once, and the documents module (feature
//! `wasm-documents`: `rules`, `exportConfig`, `lintAutoconfig`, `version`), which the rule pages
//! and the downloads load when they are used. Each module carries the whole provider table.
//!
//! No logic lives here. Every function returns a `Result`, so input that cannot be understood
//! becomes a thrown JS `Error` whose message names the field and the problem (and whose `field`
//! property holds the field path, when there is one); no path panics (on wasm32 a panic is a
//! trap that leaves the module unusable). The types in the generated `.d.ts` come from the
//! core's `tsify` derives through [`tsify::Ts`], so they are precise, not `any`.

#[cfg(feature = "wasm")]
use crate::advisor::{Recommendation, Situation};
use crate::diagnostic::Report;
#[cfg(feature = "wasm-documents")]
use crate::diagnostic::Rule;
#[cfg(feature = "wasm-documents")]
use crate::documents::{self, ExportInput, Format};
use crate::error::{InputError, MAX_INPUT_BYTES, MAX_INPUT_DEPTH};
#[cfg(feature = "wasm")]
use crate::model::Settings;
#[cfg(feature = "wasm")]
use crate::providers::{self, Provider};
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

#[cfg(feature = "wasm-documents")]
#[wasm_bindgen(typescript_custom_section)]
const TS_ALIASES: &str = r#"
/** One rule's documentation, as `rules()` returns it. */
export type RuleDoc = Rule;
"#;

/// Checks an account (`{ email?, incoming, outgoing?, pop3? }`) or a single server
/// (`{ protocol, host, port, security, auth?, username? }`) against every rule.
///
/// Throws an `Error` naming the field when the input cannot be understood at all (not an
/// object, an unknown field or value, a port outside 1–65535); its `field` property holds the
/// field path (`incoming.port`).
#[cfg(feature = "wasm")]
#[wasm_bindgen]
pub fn validate(settings: Ts<Settings>) -> Result<Ts<Report>, JsValue> {
    use_platform_idna();
    let settings = json_arg("validate", "the settings", &settings.js_value())?;
    let settings = crate::parse_settings(settings).map_err(input_error)?;
    to_js(&crate::rules::validate(&settings))
}

/// POP3 or IMAP for a situation (`{ devices?, webmail?, offline?, backup?, lowStorage?, slow?,
/// folders?, shared?, keepNothingOnServer?, email?, provider? }`): the answer, its reasons,
/// caveats, what-ifs and the settings to type in.
///
/// Throws an `Error` naming the field (`devices`, `email`, …) for a situation that cannot be
/// understood.
#[cfg(feature = "wasm")]
#[wasm_bindgen]
pub fn advise(situation: Ts<Situation>) -> Result<Ts<Recommendation>, JsValue> {
    use_platform_idna();
    let situation =
        crate::parse_situation(json_arg("advise", "a situation", &situation.js_value())?)
            .map_err(input_error)?;
    to_js(&crate::advise(&situation))
}

/// A configuration document for an account, for `{ email }`, or for an email address whose
/// provider is in the table: `format` is `autoconfig`, `autodiscover`, `mobileconfig`, `srv`,
/// `markdown` or `html`. Never contains a password.
///
/// Throws an `Error` for an unknown format, an account that cannot be understood (with its
/// `field`), or an address whose provider is unknown.
#[cfg(feature = "wasm-documents")]
#[wasm_bindgen(js_name = exportConfig)]
pub fn export_config(
    #[wasm_bindgen(unchecked_param_type = "Account | { email: string } | string")] account: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Format")] format: JsValue,
) -> Result<String, JsValue> {
    use_platform_idna();
    let format: Format = string_arg("exportConfig", "a format", &format)?
        .parse()
        .map_err(input_error)?;
    let input = json_arg(
        "exportConfig",
        "an account, { email } or an address",
        &account,
    )?;
    let input = ExportInput::from_json_value(input).map_err(input_error)?;
    documents::export(&input, format).map_err(|e| error(&e.to_string(), None))
}

/// Lints a Thunderbird autoconfig document (the ISPDB format): the document rules (D) and every
/// settings rule on each server in it; field paths name the element (`incomingServer[2].port`).
///
/// Throws an `Error` when the text is not an autoconfig document at all (not well-formed, a DTD
/// or entities, too large or too deep, another root element).
#[cfg(feature = "wasm-documents")]
#[wasm_bindgen(js_name = lintAutoconfig)]
pub fn lint_autoconfig(
    #[wasm_bindgen(unchecked_param_type = "string")] xml: JsValue,
) -> Result<Ts<Report>, JsValue> {
    use_platform_idna();
    let xml = string_arg("lintAutoconfig", "the XML text", &xml)?;
    let report = documents::lint_autoconfig(&xml).map_err(|e| error(&e.to_string(), None))?;
    to_js(&report)
}

/// The curated provider table, sorted by id.
#[cfg(feature = "wasm")]
#[wasm_bindgen]
pub fn providers() -> Result<Vec<Ts<Provider>>, JsValue> {
    providers::PROVIDERS.iter().map(to_js).collect()
}

/// The provider of an email address or a domain (`someone@gmail.com`, `gmail.com`), if it is in
/// the table.
#[cfg(feature = "wasm")]
#[wasm_bindgen(js_name = lookupProvider)]
pub fn lookup_provider(
    #[wasm_bindgen(js_name = emailOrDomain, unchecked_param_type = "string")]
    email_or_domain: JsValue,
) -> Result<Option<Ts<Provider>>, JsValue> {
    let text = string_arg(
        "lookupProvider",
        "an email address or a domain",
        &email_or_domain,
    )?;
    providers::by_email(&text).map(to_js).transpose()
}

/// Every rule's documentation, sorted by code.
#[cfg(feature = "wasm-documents")]
#[wasm_bindgen(unchecked_return_type = "RuleDoc[]")]
pub fn rules() -> Result<Vec<Ts<Rule>>, JsValue> {
    crate::catalog::RULES.iter().map(|r| to_js(*r)).collect()
}

/// The version of mailsetup.
#[wasm_bindgen]
pub fn version() -> String {
    crate::VERSION.to_owned()
}

// ---------------------------------------------------------------------------------------------
// Conversions.

/// Serializes a core value as a plain JS object of its TypeScript type: JSON text (the same the
/// command line's `--json` prints) read by `JSON.parse`.
///
/// Not serde-wasm-bindgen: it builds objects by assignment (`object[key] = value`), which runs
/// any setter a page (or a library on it) defined on `Object.prototype`; a setter that throws
/// unwound through the module and, call after call, leaked its stack until every export
/// trapped. `JSON.parse` defines the properties instead, running no code of the page.
fn to_js<T: Tsify + serde::Serialize>(value: &T) -> Result<Ts<T>, JsValue> {
    let text = serde_json::to_string(value).map_err(|e| error(&e.to_string(), None))?;
    json_parse(&text)
        .map(Ts::new_unchecked)
        .map_err(|e| error(&threw("JSON.parse", &e), None))
}

/// A JS `Error` with `message`, and a `field` property when the problem concerns one field.
fn error(message: &str, field: Option<&str>) -> JsValue {
    let error: JsValue = JsError::new(message).into();
    if let Some(field) = field {
        // Setting a property on a fresh Error object cannot fail; if it did, the message still names the field.
        let _ = js_sys::Reflect::set(&error, &"field".into(), &field.into());
    }
    error
}

fn input_error(e: InputError) -> JsValue {
    error(&e.to_string(), e.path())
}

// The JS operations the module performs on values it was given, and on globals a page can
// replace (`JSON`, `URL`). Each of them can run the caller's code (a getter, a Proxy trap) or meet
// a revoked Proxy, and so throw. A throw must never unwind through the module: it skips the
// epilogues of the wasm frames, leaks the module's stack each time, and after a few hundred calls
// every export, `version()` included, traps ("memory access out of bounds").
//
// So each is a total function here: it returns whether it succeeded and leaves its result, or
// what was thrown, for `take()`. Not `#[wasm_bindgen(catch)]` on the builtins themselves: for an
// import that returns a JS value, wasm-bindgen 0.2.130 allocates the slot of its return value
// before it looks for the exception and never frees it on that path, so each caught throw leaked
// a slot and the module's memory grew without bound (measured: 26 to 85 pages in 300,000 calls
// with a throwing getter; flat with this).
#[wasm_bindgen(inline_js = r#"
let held;
function attempt(f) {
  try { held = f(); return true; } catch (e) { held = e; return false; }
}
export function take() { const v = held; held = undefined; return v; }
export function isArray(v) { return attempt(() => Array.isArray(v)); }
export function keys(v) { return attempt(() => Object.keys(v)); }
export function get(target, key) { return attempt(() => Reflect.get(target, key)); }
export function parse(text) { return attempt(() => JSON.parse(text)); }
export function decimal(n) { return attempt(() => BigInt.prototype.toString.call(n, 10)); }
export function hostname(name) { return attempt(() => new URL(`http://${name}/`).hostname); }
"#)]
extern "C" {
    fn take() -> JsValue;
    #[wasm_bindgen(js_name = isArray)]
    fn attempt_is_array(value: &JsValue) -> bool;
    #[wasm_bindgen(js_name = keys)]
    fn attempt_keys(value: &JsValue) -> bool;
    #[wasm_bindgen(js_name = get)]
    fn attempt_get(target: &JsValue, key: &JsValue) -> bool;
    #[wasm_bindgen(js_name = parse)]
    fn attempt_parse(text: &str) -> bool;
    #[wasm_bindgen(js_name = decimal)]
    fn attempt_decimal(bigint: &JsValue) -> bool;
    #[wasm_bindgen(js_name = hostname)]
    fn attempt_hostname(name: &str) -> bool;
}

/// The result of an attempt: `Ok` with its value, or `Err` with what was thrown.
fn taken(succeeded: bool) -> Result<JsValue, JsValue> {
    let value = take();
    if succeeded {
        Ok(value)
    } else {
        Err(value)
    }
}

/// `Array.isArray(value)`.
fn is_array(value: &JsValue) -> Result<bool, JsValue> {
    taken(attempt_is_array(value)).map(|v| v.is_truthy())
}

/// `Object.keys(value)`.
fn object_keys(value: &JsValue) -> Result<JsValue, JsValue> {
    taken(attempt_keys(value))
}

/// `Reflect.get(target, key)`.
fn get(target: &JsValue, key: &JsValue) -> Result<JsValue, JsValue> {
    taken(attempt_get(target, key))
}

/// `JSON.parse(text)`.
fn json_parse(text: &str) -> Result<JsValue, JsValue> {
    taken(attempt_parse(text))
}

/// An argument as JSON data, the way `JSON.stringify` sees it (`undefined` properties left out),
/// except that what JSON cannot hold (a function, a symbol, `NaN`, a bigint beyond 64 bits, a
/// cycle) is an error naming its field rather than silently dropped or nulled, and so is a getter
/// or a Proxy that throws. A missing argument (`undefined`) is an error naming the function.
///
/// The argument is held to the command line's limits before any work is done on a part of it:
/// [`MAX_INPUT_BYTES`] of JSON text in all (an array's length, an object's key count and a
/// string's length are checked before its items, keys or text are read) and
/// [`MAX_INPUT_DEPTH`] levels. A ten-million-item array is refused at once, not read.
fn json_arg(function: &str, what: &str, value: &JsValue) -> Result<serde_json::Value, JsValue> {
    if value.is_undefined() {
        return Err(error(
            &format!("{function}: expected {what}, found undefined"),
            None,
        ));
    }
    let mut reader = Reader {
        path: String::new(),
        left: MAX_INPUT_BYTES,
    };
    match reader.value(value, 0) {
        Ok(value) => Ok(value),
        Err(Refusal::Message(message)) => Err(input_error(InputError::Field {
            path: reader.path,
            message,
        })),
        Err(Refusal::Input(e)) => Err(input_error(e)),
    }
}

/// Why a conversion stopped.
enum Refusal {
    /// What is wrong at the reader's path.
    Message(String),
    /// A refusal with its own path (the limits).
    Input(InputError),
}

impl From<String> for Refusal {
    fn from(message: String) -> Self {
        Refusal::Message(message)
    }
}

/// The conversion of one argument: where it is (left at the failing field on an error) and how
/// many bytes of JSON text are still allowed.
struct Reader {
    path: String,
    left: usize,
}

impl Reader {
    /// Takes `bytes` of the budget, or refuses the input as too large at the current path.
    fn spend(&mut self, bytes: usize) -> Result<(), Refusal> {
        match self.left.checked_sub(bytes) {
            Some(left) => {
                self.left = left;
                Ok(())
            }
            None => Err(Refusal::Input(crate::error::too_large(&self.path))),
        }
    }

    /// A JS string as Rust text, its length checked against the budget before it is copied into
    /// the module's memory (a UTF-16 string of n units is at least n bytes of UTF-8).
    fn string(&mut self, value: &JsValue) -> Result<String, Refusal> {
        let units = value.unchecked_ref::<js_sys::JsString>().length() as usize;
        self.spend(units)?;
        let text = value.as_string().unwrap_or_default();
        // The rest of its UTF-8 length, and the quotes.
        self.spend(text.len().saturating_sub(units) + 2)?;
        Ok(text)
    }

    /// `Reflect.get(target, key)`, a throw turned into a refusal at the current path.
    fn get(&self, target: &JsValue, key: &JsValue) -> Result<JsValue, Refusal> {
        get(target, key).map_err(|e| Refusal::Message(threw(READING, &e)))
    }

    /// An array's or the keys' `length`, checked to be a length.
    fn length(&self, target: &JsValue) -> Result<usize, Refusal> {
        let length = self.get(target, &"length".into())?.as_f64();
        match length {
            Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= u32::MAX as f64 => Ok(n as usize),
            _ => Err("its length is not a length (a Proxy?)".to_string().into()),
        }
    }

    fn value(&mut self, value: &JsValue, depth: usize) -> Result<serde_json::Value, Refusal> {
        use serde_json::Value;
        if depth > MAX_INPUT_DEPTH {
            return Err(Refusal::Input(crate::error::too_deep(&self.path)));
        }
        // Every value takes at least a byte and a separator of JSON text.
        self.spend(2)?;
        if value.is_undefined() || value.is_null() {
            return Ok(Value::Null);
        }
        if let Some(b) = value.as_bool() {
            return Ok(Value::Bool(b));
        }
        if value.is_string() {
            return Ok(Value::String(self.string(value)?));
        }
        if let Some(x) = value.as_f64() {
            return json_number(x).ok_or_else(|| {
                format!("{} is not a number JSON can hold", crate::text::number(x)).into()
            });
        }
        if value.is_bigint() {
            let text = taken(attempt_decimal(value))
                .ok()
                .filter(|s| s.is_string() && s.unchecked_ref::<js_sys::JsString>().length() <= 40)
                .and_then(|s| s.as_string())
                .unwrap_or_default();
            return text
                .parse::<i64>()
                .map(Value::from)
                .or_else(|_| text.parse::<u64>().map(Value::from))
                .map_err(|_| format!("the bigint {text} is outside 64 bits").into());
        }
        if !value.is_object() {
            return Err(format!("expected JSON data, found {}", js_kind(value)).into());
        }
        if is_array(value).map_err(|e| Refusal::Message(threw(READING, &e)))? {
            let length = self.length(value)?;
            // Checked before any item is read: an item is at least two bytes of JSON text.
            self.spend(length.saturating_mul(2))?;
            let mut items = Vec::with_capacity(length);
            for i in 0..length {
                let len = self.path.len();
                self.path.push_str(&format!("[{i}]"));
                let item = self.get(value, &JsValue::from(i as u32))?;
                items.push(self.value(&item, depth + 1)?);
                self.path.truncate(len);
            }
            return Ok(Value::Array(items));
        }
        let keys = object_keys(value).map_err(|e| Refusal::Message(threw(READING, &e)))?;
        let count = self.length(&keys)?;
        // Checked before any key is read: `"":` and a value take at least five bytes.
        self.spend(count.saturating_mul(5))?;
        let mut map = serde_json::Map::new();
        for i in 0..count {
            let key = self.get(&keys, &JsValue::from(i as u32))?;
            if !key.is_string() {
                return Err("Object.keys gave a key that is not a string"
                    .to_string()
                    .into());
            }
            let key_js = key;
            let key = self.string(&key_js)?;
            let len = self.path.len();
            if !self.path.is_empty() {
                self.path.push('.');
            }
            self.path.push_str(&key);
            let item = self.get(value, &key_js)?;
            if !item.is_undefined() {
                let item = self.value(&item, depth + 1)?;
                // Two JS keys can become one Rust string (lone surrogates become U+FFFD): the
                // same key twice, as in JSON text, is refused rather than one value dropped.
                if map.insert(key, item).is_some() {
                    return Err(Refusal::Input(crate::error::duplicate_key(&self.path)));
                }
            }
            self.path.truncate(len);
        }
        Ok(Value::Object(map))
    }
}

/// What the conversion was doing when the caller's code threw.
const READING: &str = "reading it (a getter or a Proxy?)";

/// "reading it threw …": a caught JS exception in words, with the thrown error's own message when
/// it has one that is a string (read without running more of the caller's code than a getter,
/// itself caught, and shortened).
fn threw(doing: &str, exception: &JsValue) -> String {
    const MAX: u32 = 200;
    let message = if exception.is_string() {
        Some(exception.clone())
    } else if exception.is_object() {
        get(exception, &"message".into()).ok()
    } else {
        None
    };
    let message = message
        .filter(|m| m.is_string() && m.unchecked_ref::<js_sys::JsString>().length() <= MAX)
        .and_then(|m| m.as_string());
    match message {
        Some(m) if !m.is_empty() => {
            format!("{doing} threw an exception: {}", crate::text::Quoted(&m))
        }
        _ => format!("{doing} threw an exception"),
    }
}

/// A JS number as a JSON number: whole numbers as integers (what serde's integer fields want).
fn json_number(x: f64) -> Option<serde_json::Value> {
    // 2^63: the whole numbers below it are exact in both f64 and i64/u64.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if x.fract() == 0.0 && x.abs() < LIMIT {
        Some(if x < 0.0 {
            serde_json::Value::from(x as i64)
        } else {
            serde_json::Value::from(x as u64)
        })
    } else {
        serde_json::Number::from_f64(x).map(serde_json::Value::Number)
    }
}

/// A string argument, or an error naming the function, the argument and what was passed instead.
/// Its length is checked against [`MAX_INPUT_BYTES`] before it is copied into the module.
fn string_arg(function: &str, what: &str, value: &JsValue) -> Result<String, JsValue> {
    if !value.is_string() {
        return Err(error(
            &format!(
                "{function}: expected {what} as a string, found {}",
                js_kind(value)
            ),
            None,
        ));
    }
    let mut reader = Reader {
        path: String::new(),
        left: MAX_INPUT_BYTES + 2,
    };
    reader.string(value).map_err(|_| {
        error(
            &format!("{function}: {what} is larger than {MAX_INPUT_BYTES} bytes"),
            None,
        )
    })
}

/// How a JS value is described in error messages.
fn js_kind(value: &JsValue) -> String {
    if value.is_null() {
        "null".into()
    } else if is_array(value).unwrap_or(false) {
        "an array".into()
    } else {
        let kind = value.js_typeof().as_string().unwrap_or_default();
        match kind.as_str() {
            "undefined" => kind,
            "object" => "an object".into(),
            _ => format!("a {kind}"),
        }
    }
}

/// IDNA ToASCII by the platform's URL parser: the UTS #46 processing with the URL Standard's
/// options, which the `idna` crate does natively, without shipping its Unicode tables
/// (see `model::set_idna`).
fn platform_idna(name: &str) -> Option<String> {
    // Only a bare name may reach the URL parser: it would split at these, and decode `%xx`.
    let forbidden = |c: char| c.is_ascii_control() || " #%/:<>?@[\\]^|".contains(c);
    if name.chars().any(forbidden) {
        return None;
    }
    let hostname = taken(attempt_hostname(name)).ok()?;
    // An A-label name is at most 253 bytes; anything else is not the platform's parser.
    if !hostname.is_string() || hostname.unchecked_ref::<js_sys::JsString>().length() > 253 {
        return None;
    }
    hostname.as_string()
}

/// Installs [`platform_idna`] before anything parses a host (the first call wins; cheap after).
fn use_platform_idna() {
    crate::model::set_idna(platform_idna);
}
