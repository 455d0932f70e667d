//! The JavaScript API: free functions that convert in, call the core, convert out.
//!
//! It is built as four WebAssembly modules, so that pages load only what they use:
//! - the main module (feature `wasm`: `validate`, `defineProvider`, `providers`,
//!   `providerById`, `lookupProvider`, `loadProviders`, `version`): what an embedded element
//!   needs, within the 100 KB budget;
//! - the advice module (features `wasm` and `wasm-advice`): the main module's API and `advise`,
//!   for a page that asks "which protocol?" (the site's own page loads it instead of the main
//!   module);
//! - the documents module (feature `wasm-documents`: `rules`, `exportConfig`, `lintAutoconfig`,
//!   `importAutoconfig`, `loadProviders`, `version`), which the rule pages and the downloads load
//!   when they are used (and an element that reads an organisation's own autoconfig file).
//! - the discovery module (feature `wasm-discovery`: `PageDiscovery`, `loadProviders`,
//!   `version`), loaded when a page looks a domain up.
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
#[cfg(any(feature = "wasm", feature = "wasm-documents"))]
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
    // Built by JSON.parse, as `to_js` builds every result (no setter of the page runs).
    let text = serde_json::to_string(&imported).map_err(|e| error(&e.to_string(), None))?;
    json_parse(&text).map_err(|e| error(&threw("JSON.parse", &e), None))
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
// The discovery module (feature `wasm-discovery`), loaded when a page looks a domain up: a
// discovery driven by the page, its DNS through DNS-over-HTTPS (`discovery::page`).

/// One discovery run by a web page: `new PageDiscovery(address, resolver)`, then `next(ms)` for
/// the DNS-over-HTTPS queries to send, `answer(id, …)` or `failed(id, …)` for each, `next(ms)`
/// again for the follow-ups until it returns none and nothing is `pending()`, then `result()`.
#[cfg(feature = "wasm-discovery")]
#[wasm_bindgen(js_name = PageDiscovery)]
pub struct JsPageDiscovery(crate::discovery::page::PageDiscovery);

#[cfg(feature = "wasm-discovery")]
#[wasm_bindgen(js_class = PageDiscovery)]
impl JsPageDiscovery {
    /// A discovery of an address or a domain through the DNS-over-HTTPS resolver at `resolver`
    /// (`https://…/dns-query`). Throws an `Error` for input that is not an address or a domain,
    /// or a resolver that is not an https:// URL.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] resolver: JsValue,
    ) -> Result<JsPageDiscovery, JsValue> {
        use_platform_idna();
        let input = string_arg("PageDiscovery", "an email address or a domain", &input)?;
        let resolver = string_arg("PageDiscovery", "the resolver's URL", &resolver)?;
        crate::discovery::page::PageDiscovery::new(&input, &resolver)
            .map(JsPageDiscovery)
            .map_err(|e| error(&e.to_string(), None))
    }

    /// The domain looked up (lower case, A-labels).
    #[wasm_bindgen(getter)]
    pub fn domain(&self) -> String {
        self.0.domain().to_owned()
    }

    /// The queries to send now: `GET url` with `Accept: application/dns-message`. `nowMs`: the
    /// page's clock since the discovery began.
    pub fn next(
        &mut self,
        #[wasm_bindgen(js_name = nowMs, unchecked_param_type = "number")] now_ms: JsValue,
    ) -> Result<Vec<Ts<crate::discovery::page::DohQuery>>, JsValue> {
        let now = number_arg("next", "nowMs", &now_ms)?;
        self.0.next(now).iter().map(to_js).collect()
    }

    /// The resolver's answer to query `id`: HTTP status, `Content-Type`, body (a `Uint8Array`
    /// or an `ArrayBuffer`).
    pub fn answer(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] status: JsValue,
        #[wasm_bindgen(js_name = contentType, unchecked_param_type = "string | null")]
        content_type: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer")] body: JsValue,
        #[wasm_bindgen(js_name = nowMs, unchecked_param_type = "number")] now_ms: JsValue,
    ) -> Result<(), JsValue> {
        let id = id_arg("answer", &id)?;
        let status = number_arg("answer", "status", &status)?;
        let status = u16::try_from(status as i64)
            .ok()
            .filter(|s| f64::from(*s) == status)
            .ok_or_else(|| error("answer: status is not an HTTP status code", None))?;
        let content_type = if content_type.is_null() || content_type.is_undefined() {
            None
        } else {
            Some(string_arg("answer", "contentType", &content_type)?)
        };
        let body = bytes_arg("answer", "body", &body)?;
        let now = number_arg("answer", "nowMs", &now_ms)?;
        self.0
            .answer(id, status, content_type.as_deref(), &body, now)
            .map_err(|e| error(&e.to_string(), None))
    }

    /// Query `id` got no answer: `message` is what the browser said; `timedOut` when the page
    /// gave up after `seconds`.
    pub fn failed(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] message: JsValue,
        #[wasm_bindgen(js_name = timedOut, unchecked_param_type = "boolean")] timed_out: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] seconds: JsValue,
        #[wasm_bindgen(js_name = nowMs, unchecked_param_type = "number")] now_ms: JsValue,
    ) -> Result<(), JsValue> {
        let id = id_arg("failed", &id)?;
        let message = string_arg("failed", "the message", &message)?;
        let seconds = number_arg("failed", "seconds", &seconds)?;
        let now = number_arg("failed", "nowMs", &now_ms)?;
        self.0
            .failed(id, &message, timed_out.is_truthy(), seconds, now)
            .map_err(|e| error(&e.to_string(), None))
    }

    /// How many queries wait for an answer.
    pub fn pending(&self) -> usize {
        self.0.pending()
    }

    /// What discovery found: ranked candidates with provenance and trust, disagreements, the
    /// trace of every lookup (and of what the page could not do, with the reason), advice.
    pub fn result(&self) -> Result<Ts<crate::discovery::Discovery>, JsValue> {
        to_js(&self.0.result())
    }
}

/// A finite number argument.
#[cfg(feature = "wasm-discovery")]
fn number_arg(function: &str, what: &str, value: &JsValue) -> Result<f64, JsValue> {
    value.as_f64().filter(|x| x.is_finite()).ok_or_else(|| {
        error(
            &format!(
                "{function}: expected {what} as a finite number, found {}",
                js_kind(value)
            ),
            None,
        )
    })
}

/// A query id: a whole number from `next()`.
#[cfg(feature = "wasm-discovery")]
fn id_arg(function: &str, value: &JsValue) -> Result<u32, JsValue> {
    let x = number_arg(function, "id", value)?;
    u32::try_from(x as i64)
        .ok()
        .filter(|i| f64::from(*i) == x)
        .ok_or_else(|| error(&format!("{function}: id is not a query number"), None))
}

/// Bytes from a `Uint8Array` or an `ArrayBuffer`, at most [`MAX_DNS_MESSAGE`] of them. Copied
/// by a total JS function: `instanceof` and `byteLength` run a Proxy's traps, which may throw,
/// and a throw must not unwind through the module (see the conversions below).
#[cfg(feature = "wasm-discovery")]
fn bytes_arg(function: &str, what: &str, value: &JsValue) -> Result<Vec<u8>, JsValue> {
    let copy = copy_bytes(value, MAX_DNS_MESSAGE as f64);
    if let Some(a) = copy.dyn_ref::<js_sys::Uint8Array>() {
        return Ok(a.to_vec());
    }
    let found = if copy.is_undefined() {
        format!("more than {MAX_DNS_MESSAGE} bytes")
    } else {
        js_kind(value)
    };
    Err(error(
        &format!("{function}: expected {what} as a Uint8Array or an ArrayBuffer of a DNS message, found {found}"),
        None,
    ))
}

/// The largest DNS message (RFC 1035 §4.2.2: a two-byte length).
#[cfg(feature = "wasm-discovery")]
const MAX_DNS_MESSAGE: usize = 65_535;

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
export function copyBytes(v, max) {
  try {
    const a = v instanceof ArrayBuffer ? new Uint8Array(v) : v instanceof Uint8Array ? v : null;
    if (a === null) return null;
    if (a.byteLength > max) return undefined;
    return new Uint8Array(a);
  } catch (e) {
    return null;
  }
}
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
    // The discovery module's bytes: a copy the module owns (a fresh `Uint8Array`), `undefined`
    // when larger than `max`, `null` for anything else, a value whose traps throw included. In
    // this one snippet because every module's snippets share one path (`snippets/<crate>/inline0.js`):
    // a second inline snippet in one module overwrote another module's.
    #[cfg(feature = "wasm-discovery")]
    #[wasm_bindgen(js_name = copyBytes)]
    fn copy_bytes(value: &JsValue, max: f64) -> JsValue;
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
