//! The JavaScript API: free functions that convert in, call the core, convert out.
//!
//! It is built as three WebAssembly modules, so that pages load only what they use:
//! - the main module (feature `wasm`: `validate`, `defineProvider`, `providers`,
//!   `providerById`, `lookupProvider`, `loadProviders`, `version`): what an embedded element
//!   needs, within the 100 KB budget;
//! - the advice module (features `wasm` and `wasm-advice`): the main module's API and `advise`,
//!   for a page that asks "which protocol?" (the site's own page loads it instead of the main
//!   module);
//! - the documents module (feature `wasm-documents`: `rules`, `exportConfig`, `lintAutoconfig`,
//!   `importAutoconfig`, `loadProviders`, `version`), which the rule pages and the downloads load
//!   when they are used (and an element that reads an organisation's own autoconfig file).
//!
//! None carries the provider table: the package ships it as `provider-table.js` (a JS module whose
//! default export is the table), and `wasm.js` hands it to `loadProviders` of each module it
//! loads.
//!
//! No logic lives here. Every function returns a `Result`, so input that cannot be understood
//! becomes a thrown JS `Error` whose message names the field and the problem (and whose `field`
//! property holds the field path, when there is one); no path panics (on wasm32 a panic is a
//! trap that leaves the module unusable). The types in the generated `.d.ts` come from the
//! core's `tsify` derives through [`tsify::Ts`], so they are precise, not `any`.

#[cfg(feature = "wasm-advice")]
use crate::advisor::{Recommendation, Situation};
use crate::diagnostic::Report;
#[cfg(feature = "wasm-documents")]
use crate::diagnostic::Rule;
#[cfg(feature = "wasm-documents")]
use crate::documents::{self, ExportInput, Format};
use crate::error::InputError;
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

#[wasm_bindgen(typescript_custom_section)]
const TS_PROVIDER_DEFINITION: &str = r#"
/** A provider in the format of mailsetup's provider data files (src/providers/data/SCHEMA.md):
 *  an entry of the table `loadProviders` takes, or an organisation's own provider given at run
 *  time (then `sources` may be left out, on the provider and on its facts). */
export type ProviderDefinition = ProviderFile;
"#;

#[cfg(feature = "wasm")]
#[wasm_bindgen]
extern "C" {
    /// The second argument of `validate` (its TypeScript type is written out below).
    #[wasm_bindgen(typescript_type = "ValidateOptions")]
    pub type ValidateOptions;
}

#[cfg(feature = "wasm")]
#[wasm_bindgen(typescript_custom_section)]
const TS_OPTIONS: &str = r#"
/** The second argument of `validate`. */
export interface ValidateOptions {
  /** The address the settings are for, when they give none (a single server). */
  email?: string;
  /** An organisation's own provider(s), judged before the curated table. */
  provider?: ProviderDefinition | ProviderDefinition[];
}
"#;

/// Checks an account (`{ email?, incoming, outgoing?, pop3? }`) or a single server
/// (`{ protocol, host, port, security, auth?, username? }`) against every rule.
///
/// Throws an `Error` naming the field when the input cannot be understood at all (not an
/// object, an unknown field or value, a port outside 1–65535); its `field` property holds the
/// field path (`incoming.port`).
///
/// `options` (optional): `{ email?, provider? }` — the address a single server is for, and an
/// organisation's own provider (or a list of them) in the format of mailsetup's provider data
/// files (`ProviderDefinition`), judged before the curated table. Errors in it name their field
/// (`provider.servers[0].port`).
#[cfg(feature = "wasm")]
#[wasm_bindgen]
pub fn validate(
    settings: Ts<Settings>,
    options: Option<ValidateOptions>,
) -> Result<Ts<Report>, JsValue> {
    use_platform_idna();
    let settings = json_arg("validate", "the settings", &settings.js_value())?;
    let settings = crate::parse_settings(settings).map_err(input_error)?;
    let options = match options.map(JsValue::from).filter(|o| !o.is_null()) {
        None => crate::ValidationOptions::default(),
        Some(options) => {
            let value = json_arg("validate", "the options", &options)?;
            crate::ValidationOptions::from_json_value(value).map_err(input_error)?
        }
    };
    to_js(&crate::rules::validate_with(&settings, &options.context()))
}

/// An organisation's own provider, read and checked: the definition (an object) in the format of
/// mailsetup's provider data files. Returns the `Provider` as `providers()` shows them, each
/// fact with its sources (facts without `sources` rest on the definition itself, a source of
/// kind `definition`). Throws an `Error` naming the field (`servers[0].security`).
#[cfg(feature = "wasm")]
#[wasm_bindgen(js_name = defineProvider)]
pub fn define_provider(
    #[wasm_bindgen(unchecked_param_type = "ProviderDefinition")] definition: JsValue,
) -> Result<Ts<Provider>, JsValue> {
    let value = json_arg("defineProvider", "a provider definition", &definition)?;
    to_js(&Provider::from_json_value(value).map_err(input_error)?)
}

/// POP3 or IMAP for a situation (`{ devices?, webmail?, offline?, backup?, lowStorage?, slow?,
/// folders?, shared?, keepNothingOnServer?, email?, provider? }`): the answer, its reasons,
/// caveats, what-ifs and the settings to type in.
///
/// Throws an `Error` naming the field (`devices`, `email`, …) for a situation that cannot be
/// understood.
#[cfg(feature = "wasm-advice")]
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

#[cfg(feature = "wasm-documents")]
#[wasm_bindgen(typescript_custom_section)]
const TS_IMPORTED: &str = r#"
/** One server `importAutoconfig` read: the server (placeholders such as `%EMAILADDRESS%` kept as
 *  written), its POP3 options, where it is in the file, and the further sign-in methods offered. */
export interface ImportedServer {
  server: Server;
  pop3?: Pop3Options;
  path: string;
  line: number;
  otherAuth: Auth[];
}
/** What `importAutoconfig` read from an autoconfig file. */
export interface ImportedAutoconfig {
  id?: string;
  displayName?: string;
  domains: string[];
  incoming: ImportedServer[];
  outgoing: ImportedServer[];
  skipped: { path: string; line: number; reason: string }[];
}
"#;

/// Reads a Thunderbird autoconfig document with the defensive reader `lintAutoconfig` uses: its
/// provider id, display name and domains, and the IMAP, POP3 and SMTP servers Thunderbird would
/// take from it, best first (placeholders kept as written); servers it would not take are in
/// `skipped` with the reason (`lintAutoconfig` explains them). An organisation's element reads its
/// own file with it.
///
/// Throws an `Error` when the text is not an autoconfig document at all (as `lintAutoconfig`).
#[cfg(feature = "wasm-documents")]
#[wasm_bindgen(js_name = importAutoconfig, unchecked_return_type = "ImportedAutoconfig")]
pub fn import_autoconfig(
    #[wasm_bindgen(unchecked_param_type = "string")] xml: JsValue,
) -> Result<JsValue, JsValue> {
    use_platform_idna();
    let xml = string_arg("importAutoconfig", "the XML text", &xml)?;
    let imported =
        documents::import_autoconfig(&xml, None).map_err(|e| error(&e.to_string(), None))?;
    serde::Serialize::serialize(&imported, &serde_wasm_bindgen::Serializer::new())
        .map_err(|e| error(&e.to_string(), None))
}

/// The curated provider table, sorted by id: every fact with its sources (indexes into the
/// provider's `sources`: kind, URL, the date of the copy read) and whether the provider's own
/// documentation confirms it. Titles and quotes of sources are left out of this module
/// (`mailsetup providers --json` has them).
#[cfg(feature = "wasm")]
#[wasm_bindgen]
pub fn providers() -> Result<Vec<Ts<Provider>>, JsValue> {
    providers::all().iter().map(to_js).collect()
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

/// The provider of the table with this id (`gmail`), if there is one: one provider read, where
/// `providers()` reads them all (an element that names a provider needs only that one).
#[cfg(feature = "wasm")]
#[wasm_bindgen(js_name = providerById)]
pub fn provider_by_id(
    #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
) -> Result<Option<Ts<Provider>>, JsValue> {
    let id = string_arg("providerById", "a provider id", &id)?;
    providers::by_id(&id).map(to_js).transpose()
}

/// Every rule's documentation, sorted by code.
#[cfg(feature = "wasm-documents")]
#[wasm_bindgen(unchecked_return_type = "RuleDoc[]")]
pub fn rules() -> Result<Vec<Ts<Rule>>, JsValue> {
    crate::catalog::RULES.iter().map(|r| to_js(*r)).collect()
}

/// Loads the provider table into this module: the default export of the package's
/// `provider-table.js` (182 providers do not fit in a module's size budget, so no module carries
/// them). `wasm.js` calls it once, after `init()`, before anything that needs a provider
/// (`validate`, `lookupProvider`, `providers`, `advise`, and in the documents module
/// `exportConfig` and `lintAutoconfig`); until then they know no provider. Returns how many
/// providers it holds. Throws an `Error` when the value is not the table, or when a table is
/// already loaded.
#[wasm_bindgen(js_name = loadProviders)]
pub fn load_providers(
    #[wasm_bindgen(unchecked_param_type = "ProviderDefinition[]")] table: JsValue,
) -> Result<u32, JsValue> {
    let value = json_arg(
        "loadProviders",
        "the provider table (the default export of provider-table.js)",
        &table,
    )?;
    crate::providers::install(&value)
        .map(|n| n as u32)
        .map_err(input_error)
}

/// The version of mailsetup.
#[wasm_bindgen]
pub fn version() -> String {
    crate::VERSION.to_owned()
}

// ---------------------------------------------------------------------------------------------
// Conversions.

/// Serializes a core value as a plain JS object of its TypeScript type.
fn to_js<T: Tsify + serde::Serialize>(value: &T) -> Result<Ts<T>, JsValue> {
    value.into_ts().map_err(|e| error(&e.to_string(), None))
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

/// How deep input may nest: the deepest input (`incoming.oauth2.…`) is three levels, and the cap
/// turns a cyclic object into an error instead of a stack overflow (a trap).
const MAX_DEPTH: usize = 32;

/// An argument as JSON data, the way `JSON.stringify` sees it (`undefined` properties left out),
/// except that what JSON cannot hold (a function, a symbol, `NaN`, a bigint beyond 64 bits, a
/// cycle) is an error naming its field rather than silently dropped or nulled. A missing argument
/// (`undefined`) is an error naming the function.
fn json_arg(function: &str, what: &str, value: &JsValue) -> Result<serde_json::Value, JsValue> {
    if value.is_undefined() {
        return Err(error(
            &format!("{function}: expected {what}, found undefined"),
            None,
        ));
    }
    let mut path = String::new();
    json_at(value, &mut path, 0).map_err(|message| input_error(InputError::Field { path, message }))
}

/// The conversion at `path` (left at the failing field on an error).
fn json_at(value: &JsValue, path: &mut String, depth: usize) -> Result<serde_json::Value, String> {
    use serde_json::Value;
    if depth > MAX_DEPTH {
        return Err(format!(
            "nested more than {MAX_DEPTH} levels deep (is there a cycle?)"
        ));
    }
    if value.is_undefined() || value.is_null() {
        return Ok(Value::Null);
    }
    if let Some(b) = value.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Some(s) = value.as_string() {
        return Ok(Value::String(s));
    }
    if let Some(x) = value.as_f64() {
        return json_number(x)
            .ok_or_else(|| format!("{} is not a number JSON can hold", crate::text::number(x)));
    }
    if value.is_bigint() {
        let text = js_sys::BigInt::from(value.clone())
            .to_string(10)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default();
        return text
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| text.parse::<u64>().map(Value::from))
            .map_err(|_| format!("the bigint {text} is outside 64 bits"));
    }
    if js_sys::Array::is_array(value) {
        let array: &js_sys::Array = value.unchecked_ref();
        let mut items = Vec::new();
        for (i, item) in array.iter().enumerate() {
            let len = path.len();
            path.push_str(&format!("[{i}]"));
            items.push(json_at(&item, path, depth + 1)?);
            path.truncate(len);
        }
        return Ok(Value::Array(items));
    }
    if value.is_object() {
        let mut map = serde_json::Map::new();
        for entry in js_sys::Object::entries(value.unchecked_ref()).iter() {
            let entry: js_sys::Array = entry.unchecked_into();
            let key = entry.get(0).as_string().unwrap_or_default();
            let item = entry.get(1);
            if item.is_undefined() {
                continue;
            }
            let len = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(&key);
            let item = json_at(&item, path, depth + 1)?;
            path.truncate(len);
            map.insert(key, item);
        }
        return Ok(Value::Object(map));
    }
    Err(format!("expected JSON data, found {}", js_kind(value)))
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
fn string_arg(function: &str, what: &str, value: &JsValue) -> Result<String, JsValue> {
    value.as_string().ok_or_else(|| {
        error(
            &format!(
                "{function}: expected {what} as a string, found {}",
                js_kind(value)
            ),
            None,
        )
    })
}

/// How a JS value is described in error messages.
fn js_kind(value: &JsValue) -> String {
    if value.is_null() {
        "null".into()
    } else if js_sys::Array::is_array(value) {
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

#[wasm_bindgen]
extern "C" {
    /// The platform's WHATWG `URL` (browsers, Node, Deno).
    #[wasm_bindgen(js_name = URL)]
    type Url;
    #[wasm_bindgen(constructor, js_class = "URL", catch)]
    fn new(url: &str) -> Result<Url, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn hostname(this: &Url) -> String;
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
    Url::new(&format!("http://{name}/"))
        .ok()
        .map(|u| u.hostname())
}

/// Installs [`platform_idna`] before anything parses a host (the first call wins; cheap after).
fn use_platform_idna() {
    crate::model::set_idna(platform_idna);
}
