//! The JavaScript API (feature `wasm`): free functions that convert in, call the core, convert out.
//!
//! No logic lives here. Every function returns a `Result`, so input that cannot be understood
//! becomes a thrown JS `Error` whose message names the field and the problem (and whose `field`
//! property holds the field path, when there is one); no path panics (on wasm32 a panic is a
//! trap that leaves the module unusable). The types in the generated `.d.ts` come from the
//! core's `tsify` derives through [`tsify::Ts`], so they are precise, not `any`.

use crate::advisor::{Recommendation, Situation};
use crate::diagnostic::Report;
use crate::documents::{self, ExportInput, Format};
use crate::error::InputError;
use crate::model::Settings;
use crate::providers::{self, Provider};
use crate::rules::{self, Rule};
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

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
#[wasm_bindgen]
pub fn validate(settings: Ts<Settings>) -> Result<Ts<Report>, JsValue> {
    use_platform_idna();
    let de = serde_wasm_bindgen::Deserializer::from(settings.js_value());
    let settings = crate::parse_settings(de).map_err(input_error)?;
    to_js(&rules::validate(&settings))
}

/// POP3 or IMAP for a situation (`{ devices?, webmail?, offline?, backup?, lowStorage?, slow?,
/// folders?, shared?, keepNothingOnServer?, email?, provider? }`): the answer, its reasons,
/// caveats, what-ifs and the settings to type in.
///
/// Throws an `Error` naming the field (`devices`, `email`, …) for a situation that cannot be
/// understood.
#[wasm_bindgen]
pub fn advise(situation: Ts<Situation>) -> Result<Ts<Recommendation>, JsValue> {
    use_platform_idna();
    let de = serde_wasm_bindgen::Deserializer::from(situation.js_value());
    let situation = crate::parse_situation(de).map_err(input_error)?;
    to_js(&crate::advise(&situation))
}

/// A configuration document for an account, for `{ email }`, or for an email address whose
/// provider is in the table: `format` is `autoconfig`, `autodiscover`, `mobileconfig`, `srv`,
/// `markdown` or `html`. Never contains a password.
///
/// Throws an `Error` for an unknown format, an account that cannot be understood (with its
/// `field`), or an address whose provider is unknown.
#[wasm_bindgen(js_name = exportConfig)]
pub fn export_config(
    #[wasm_bindgen(unchecked_param_type = "Account | { email: string } | string")] account: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Format")] format: JsValue,
) -> Result<String, JsValue> {
    use_platform_idna();
    let format: Format = string_arg("exportConfig", "a format", &format)?
        .parse()
        .map_err(input_error)?;
    let value: serde_json::Value = serde_wasm_bindgen::from_value(account)
        .map_err(|e| error(&format!("exportConfig: {e}"), None))?;
    let input = ExportInput::from_json_value(value).map_err(input_error)?;
    documents::export(&input, format).map_err(|e| error(&e.to_string(), None))
}

/// Lints a Thunderbird autoconfig document (the ISPDB format): the document rules (D) and every
/// settings rule on each server in it; field paths name the element (`incomingServer[2].port`).
///
/// Throws an `Error` when the text is not an autoconfig document at all (not well-formed, a DTD
/// or entities, too large or too deep, another root element).
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
#[wasm_bindgen]
pub fn providers() -> Result<Vec<Ts<Provider>>, JsValue> {
    providers::PROVIDERS.iter().map(to_js).collect()
}

/// The provider of an email address or a domain (`someone@gmail.com`, `gmail.com`), if it is in
/// the table.
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
#[wasm_bindgen(unchecked_return_type = "RuleDoc[]")]
pub fn rules() -> Result<Vec<Ts<Rule>>, JsValue> {
    rules::RULES.iter().map(|r| to_js(*r)).collect()
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
