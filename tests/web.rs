//! The JS API (`src/wasm.rs`) in headless Chromium: every function of both modules, good input
//! and bad.
//!
//! Run: `cargo test --target wasm32-unknown-unknown --no-default-features --features wasm,wasm-advice,wasm-documents --test web`
//! (the runner comes from `.cargo/config.toml`; never with `-q`, the runner refuses it).
#![cfg(all(
    target_arch = "wasm32",
    feature = "wasm",
    feature = "wasm-advice",
    feature = "wasm-documents"
))]

use mailsetup::wasm;
use serde_json::{json, Value};
use tsify::{Ts, Tsify};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A JS value from JSON text (what a page would pass).
fn js(v: Value) -> JsValue {
    js_sys::JSON::parse(&v.to_string()).expect("valid JSON")
}

/// A JS value back as JSON, to assert on.
fn json_of(v: &JsValue) -> Value {
    let text: String = js_sys::JSON::stringify(v).expect("stringify").into();
    serde_json::from_str(&text).expect("JSON")
}

fn ts<T: Tsify>(v: JsValue) -> Ts<T> {
    Ts::new_unchecked(v)
}

/// The provider table the package ships beside the modules (`pkg/providers.json`), loaded once:
/// the modules do not carry it.
fn ensure_table() {
    static LOADED: std::sync::Once = std::sync::Once::new();
    LOADED.call_once(|| {
        let json = include_str!(concat!(env!("OUT_DIR"), "/providers-lean.json"));
        let table = js_sys::JSON::parse(json).expect("JSON");
        let n = wasm::load_providers(table).expect("the table loads");
        assert!(n >= 120, "{n} providers");
    });
}

fn validate(input: JsValue) -> Result<Value, JsValue> {
    ensure_table();
    wasm::validate(ts(input), None).map(|r| json_of(&r.js_value()))
}

/// The thrown value must be a real `Error`; returns its message and its `field` property.
fn thrown(e: JsValue) -> (String, Option<String>) {
    let field = js_sys::Reflect::get(&e, &"field".into())
        .ok()
        .and_then(|f| f.as_string());
    let error = e
        .dyn_into::<js_sys::Error>()
        .expect("bad input must throw an Error object");
    (error.message().into(), field)
}

fn codes(report: &Value) -> Vec<&str> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect()
}

fn gmail_account() -> Value {
    json!({
        "email": "someone@gmail.com",
        "incoming": { "protocol": "imap", "host": "imap.gmail.com", "port": 993, "security": "tls",
                      "auth": "app-password", "username": "someone@gmail.com" },
        "outgoing": { "protocol": "smtp", "host": "smtp.gmail.com", "port": 465, "security": "tls",
                      "auth": "app-password", "username": "someone@gmail.com" }
    })
}

#[wasm_bindgen_test]
fn validate_a_good_account() {
    let report = validate(js(gmail_account())).unwrap();
    assert_ne!(report["verdict"], "error", "{report:#}");
    assert_eq!(report["provider"]["id"], "gmail");
    // Plain objects, camelCase, the DESIGN.md shape.
    assert!(report["findings"].is_array());
}

#[wasm_bindgen_test]
fn validate_a_server_with_a_fix() {
    let report = validate(js(json!({
        "protocol": "imap", "host": "imap.example.com", "port": 995, "security": "tls"
    })))
    .unwrap();
    assert_eq!(report["verdict"], "error");
    let f = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "P101")
        .expect("P101");
    assert_eq!(f["rule"], "port-protocol-mismatch");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["field"], "port");
    assert_eq!(f["fix"], json!({ "field": "port", "value": 993 }));
    assert_eq!(f["url"], "rules.html#P101");
    assert_eq!(report["fixed"]["port"], 993);
    // Validating the fixed settings again leaves no fixable error.
    let again = validate(js(report["fixed"].clone())).unwrap();
    assert!(!codes(&again).contains(&"P101"), "{again:#}");
}

#[wasm_bindgen_test]
fn validate_accepts_what_people_type() {
    // Aliases, numeric strings from form fields, JS `undefined` for absent optional fields.
    let input = js(json!({
        "protocol": "IMAP", "host": "imap.example.com", "port": "993", "security": "SSL/TLS"
    }));
    js_sys::Reflect::set(&input, &"auth".into(), &JsValue::UNDEFINED).unwrap();
    let report = validate(input).unwrap();
    assert!(!codes(&report).contains(&"P101"), "{report:#}");
}

#[wasm_bindgen_test]
fn validate_internationalised_hosts_with_the_browsers_idna() {
    let server = |host: &str| {
        js(json!({ "protocol": "imap", "host": host, "port": 993, "security": "tls" }))
    };
    let ok = validate(server("mail.bücher.example")).unwrap();
    assert!(!codes(&ok).contains(&"H004"), "{ok:#}");
    // An upper-case IDN is canonicalised to its A-label form by the fix.
    let upper = validate(server("MAIL.BÜCHER.example")).unwrap();
    assert_eq!(
        upper["fixed"]["host"], "mail.xn--bcher-kva.example",
        "{upper:#}"
    );
    // A zero-width joiner between Latin letters is invalid IDNA (CONTEXTJ).
    let bad = validate(server("a\u{200d}b.example")).unwrap();
    assert!(codes(&bad).contains(&"H004"), "{bad:#}");
    // Characters the URL parser would split at never reach it.
    let bad = validate(server("bücher.example/x")).unwrap();
    assert!(codes(&bad).contains(&"H004"), "{bad:#}");
}

#[wasm_bindgen_test]
fn validate_throws_errors_that_name_the_field() {
    let (msg, field) = thrown(
        validate(js(json!({
            "incoming": { "protocol": "imap", "host": "h.example", "port": 993, "security": "tsl" }
        })))
        .unwrap_err(),
    );
    assert!(msg.contains("`incoming.security`"), "{msg}");
    assert!(msg.contains("did you mean `tls`"), "{msg}");
    assert_eq!(field.as_deref(), Some("incoming.security"));

    let (msg, field) = thrown(
        validate(js(json!({
            "protocol": "imap", "host": "h.example", "port": 70000, "security": "tls"
        })))
        .unwrap_err(),
    );
    assert!(msg.contains("`port`") && msg.contains("65535"), "{msg}");
    assert_eq!(field.as_deref(), Some("port"));

    let (msg, _) = thrown(
        validate(js(json!({
            "protocol": "imap", "host": "h.example", "prot": 993, "security": "tls"
        })))
        .unwrap_err(),
    );
    assert!(
        msg.contains("unknown field `prot`") && msg.contains("did you mean `port`"),
        "{msg}"
    );

    let (msg, field) = thrown(validate(JsValue::UNDEFINED).unwrap_err());
    assert_eq!(msg, "validate: expected the settings, found undefined");
    assert_eq!(field, None);
    let (msg, _) = thrown(validate(JsValue::NULL).unwrap_err());
    assert!(msg.contains("expected an object"), "{msg}");
}

#[wasm_bindgen_test]
fn nothing_traps_on_hostile_input() {
    let long = "a".repeat(100_000);
    let inputs: Vec<JsValue> = vec![
        JsValue::NULL,
        JsValue::from(42),
        JsValue::from(f64::NAN),
        JsValue::from("text"),
        JsValue::from(js_sys::Symbol::for_("x")),
        JsValue::from(js_sys::BigInt::from(1u64 << 60)),
        js_sys::Array::new().into(),
        js(json!({ "incoming": null })),
        js(json!({ "incoming": [] })),
        js(json!({ "protocol": "imap", "host": long, "port": 993, "security": "tls" })),
        js(json!({ "protocol": "imap", "host": "é".repeat(5000), "port": 993, "security": "tls" })),
        js(json!({ "protocol": "imap", "host": "h", "port": 1e300, "security": "tls" })),
        js(json!({ "protocol": "imap", "host": "h", "port": -1, "security": "tls" })),
        js(json!({ "protocol": "imap", "host": "h", "port": 99.5, "security": "tls" })),
        js(json!({ "protocol": "imap", "host": "[::1]:99999", "port": 993, "security": "tls" })),
        js(json!({ "protocol": "imap", "host": "\u{0}\u{ffff}", "port": 1, "security": "none" })),
        js(
            json!({ "email": "@@@", "incoming": { "protocol": "pop3", "host": "@", "port": 995,
                   "security": "none", "auth": "none", "username": " " },
                   "pop3": { "leaveOnServer": false, "deleteAfterDays": 4294967295u32 } }),
        ),
    ];
    for input in inputs {
        match validate(input) {
            Ok(report) => assert!(report["verdict"].is_string()),
            Err(e) => {
                let (msg, _) = thrown(e);
                assert!(!msg.is_empty());
            }
        }
    }
}

/// Sets `key` on a JS object.
fn set(target: &JsValue, key: &str, value: &JsValue) {
    js_sys::Reflect::set(target, &key.into(), value).expect("set a property");
}

#[wasm_bindgen_test]
fn cycles_deep_nesting_and_non_json_values_are_errors_with_a_field() {
    let server = || {
        js(json!({ "protocol": "imap", "host": "imap.gmail.com", "port": 993, "security": "tls" }))
    };

    // A cycle: an error, not a stack overflow (which would trap and leave the module unusable).
    let cyclic = server();
    set(&cyclic, "self", &cyclic);
    let (msg, field) = thrown(validate(cyclic).unwrap_err());
    assert!(msg.contains("nested more than"), "{msg}");
    assert!(field.unwrap().starts_with("self.self."));
    let mut deep = js(json!({}));
    for _ in 0..10_000 {
        let outer = js(json!({}));
        set(&outer, "x", &deep);
        deep = outer;
    }
    let account = js(json!({}));
    set(&account, "incoming", &deep);
    assert!(thrown(validate(account).unwrap_err())
        .0
        .contains("nested more than"));
    // The module still works afterwards.
    assert_eq!(validate(server()).unwrap()["verdict"], "info");

    let cases: Vec<(&str, JsValue, &str)> = vec![
        (
            "port",
            JsValue::from(f64::NAN),
            "NaN is not a number JSON can hold",
        ),
        (
            "port",
            JsValue::from(f64::INFINITY),
            "infinity is not a number JSON can hold",
        ),
        (
            "port",
            js_sys::BigInt::from(1u128 << 70).into(),
            "outside 64 bits",
        ),
        (
            "port",
            JsValue::from(993.5),
            "port 993.5 is not a whole number",
        ),
        (
            "username",
            js_sys::Symbol::for_("x").into(),
            "found a symbol",
        ),
        (
            "username",
            js_sys::Function::new_no_args("").into(),
            "found a function",
        ),
        ("security", JsValue::from(1.5), "floating point `1.5`"),
    ];
    for (key, value, want) in cases {
        let input = server();
        set(&input, key, &value);
        let (msg, field) = thrown(validate(input).unwrap_err());
        assert!(msg.contains(want), "{key}: {msg}");
        assert_eq!(field.as_deref(), Some(key), "{msg}");
    }
    // A bigint that fits is a number, and `undefined` properties are left out, as in JSON.
    let input = server();
    set(&input, "port", &js_sys::BigInt::from(993u32).into());
    set(&input, "username", &JsValue::UNDEFINED);
    assert_eq!(validate(input).unwrap()["verdict"], "info");
}

#[wasm_bindgen_test]
fn providers_lists_the_table() {
    ensure_table();
    let list: Vec<Value> = wasm::providers()
        .unwrap()
        .iter()
        .map(|p| json_of(&p.js_value()))
        .collect();
    assert!(list.len() >= 3);
    let ids: Vec<&str> = list.iter().map(|p| p["id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted);
    let gmail = list.iter().find(|p| p["id"] == "gmail").unwrap();
    let imap = gmail["servers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["host"] == "imap.gmail.com" && e["port"] == 993)
        .expect("Gmail's IMAP server");
    assert_eq!(imap["security"], "tls");
    assert_eq!(imap["confirmed"], true);
    // Each fact's sources are indexes into the provider's sources: kind and date of the copy.
    let i = imap["sources"][0].as_u64().unwrap() as usize;
    let source = &gmail["sources"][i];
    assert!(
        source["kind"].is_string() && source["asOf"].is_string(),
        "{source}"
    );
    // Titles and quotes stay in the native build (the module's size budget).
    assert!(source.get("quote").is_none(), "{source}");
}

/// An organisation's own provider, given at run time.
fn example_org() -> Value {
    json!({
        "id": "example-org", "name": "Example Org",
        "domains": [{ "names": ["example.org"] }],
        "servers": [{ "protocol": "imap", "host": "mail.example.org", "port": 993,
                      "security": "tls", "username": "email-address" }],
        "credentials": [{ "kind": "app-password", "accepted": true, "how": "Portal → App passwords" }]
    })
}

#[wasm_bindgen_test]
fn load_providers_refuses_a_second_table_and_what_is_not_one() {
    ensure_table();
    let (msg, _) = thrown(wasm::load_providers(js(json!([]))).unwrap_err());
    assert!(msg.contains("already loaded"), "{msg}");
    // Once loaded, nothing replaces it (a number no more than a table).
    let (msg, _) = thrown(wasm::load_providers(JsValue::from(1)).unwrap_err());
    assert!(msg.contains("already loaded"), "{msg}");
}

#[wasm_bindgen_test]
fn define_provider_checks_and_returns_the_provider() {
    let p = json_of(&wasm::define_provider(js(example_org())).unwrap().js_value());
    assert_eq!(p["id"], "example-org");
    assert_eq!(p["defined"], true);
    assert_eq!(p["servers"][0]["confirmed"], true);
    assert_eq!(p["sources"][0]["kind"], "definition");
    // An object, not its JSON text (`JSON.parse` it first).
    let text = JsValue::from(example_org().to_string());
    let (msg, _) = thrown(wasm::define_provider(text).unwrap_err());
    assert!(msg.contains("expected an object, found a string"), "{msg}");
    let mut bad = example_org();
    bad["servers"][0]["port"] = json!(0);
    let (msg, field) = thrown(wasm::define_provider(js(bad)).unwrap_err());
    assert_eq!(field.as_deref(), Some("servers[0].port"), "{msg}");
    let (msg, _) = thrown(wasm::define_provider(JsValue::UNDEFINED).unwrap_err());
    assert!(msg.contains("defineProvider"), "{msg}");
}

#[wasm_bindgen_test]
fn validate_with_an_organisations_provider_and_address() {
    ensure_table();
    let options = js(json!({ "email": "me@example.org", "provider": example_org() }));
    let server = js(
        json!({ "protocol": "imap", "host": "mail.example.org", "port": 143,
                            "security": "starttls", "auth": "password" }),
    );
    let report = json_of(
        &wasm::validate(ts(server), Some(options.unchecked_into()))
            .unwrap()
            .js_value(),
    );
    assert_eq!(report["provider"]["id"], "example-org");
    assert_eq!(report["provider"]["defined"], true);
    assert_eq!(
        report["provider"]["basis"][0]["attribution"],
        "per Example Org's own settings"
    );
    let found = codes(&report);
    assert!(
        found.contains(&"P108") && found.contains(&"V408"),
        "{report:#}"
    );
    // An error in the options names its field under `provider`.
    let mut bad = example_org();
    bad["servers"][0]["security"] = json!("ssl3");
    let options = js(json!({ "provider": [bad] }));
    let server =
        js(json!({ "protocol": "imap", "host": "h.example", "port": 993, "security": "tls" }));
    let (msg, field) =
        thrown(wasm::validate(ts(server), Some(options.unchecked_into())).unwrap_err());
    assert_eq!(
        field.as_deref(),
        Some("provider[0].servers[0].security"),
        "{msg}"
    );
}

#[wasm_bindgen_test]
fn lookup_provider_by_email_or_domain() {
    ensure_table();
    let found = wasm::lookup_provider("Someone@GMAIL.com".into())
        .unwrap()
        .unwrap();
    assert_eq!(json_of(&found.js_value())["id"], "gmail");
    let found = wasm::lookup_provider("icloud.com".into()).unwrap().unwrap();
    assert_eq!(json_of(&found.js_value())["id"], "icloud");
    assert!(wasm::lookup_provider("nobody@example.invalid".into())
        .unwrap()
        .is_none());
    assert!(wasm::lookup_provider("".into()).unwrap().is_none());
    let (msg, _) = thrown(wasm::lookup_provider(JsValue::from(42)).unwrap_err());
    assert_eq!(
        msg,
        "lookupProvider: expected an email address or a domain as a string, found a number"
    );
    let (msg, _) = thrown(wasm::lookup_provider(JsValue::UNDEFINED).unwrap_err());
    assert!(msg.ends_with("found undefined"), "{msg}");
}

#[wasm_bindgen_test]
fn rules_documents_every_rule() {
    let rules: Vec<Value> = wasm::rules()
        .unwrap()
        .iter()
        .map(|r| json_of(&r.js_value()))
        .collect();
    assert_eq!(rules.len(), mailsetup::catalog::RULES.len());
    let p101 = rules.iter().find(|r| r["code"] == "P101").unwrap();
    assert_eq!(p101["name"], "port-protocol-mismatch");
    for key in ["summary", "what", "why", "example"] {
        assert!(!p101[key].as_str().unwrap().is_empty(), "{key}");
    }
    assert!(!p101["references"].as_array().unwrap().is_empty());
    // Test vectors stay out of the documentation.
    assert!(p101.get("pass").is_none() && p101.get("fail").is_none());
}

#[wasm_bindgen_test]
fn version_is_the_crate_version() {
    assert_eq!(wasm::version(), env!("CARGO_PKG_VERSION"));
}

fn advise(input: Value) -> Result<Value, JsValue> {
    ensure_table();
    wasm::advise(ts(js(input))).map(|r| json_of(&r.js_value()))
}

#[wasm_bindgen_test]
fn advise_recommends_with_reasons_and_settings() {
    let pop =
        advise(json!({ "devices": 1, "backup": true, "email": "someone@gmail.com" })).unwrap();
    assert_eq!(pop["protocol"], "pop3", "{pop:#}");
    let confidence = pop["confidence"].as_f64().unwrap();
    assert!((0.5..=1.0).contains(&confidence), "{confidence}");
    assert!(pop["factors"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["reason"].is_string()));
    assert_eq!(pop["settings"]["incoming"]["host"], "pop.gmail.com");
    assert!(pop["whatIf"]
        .as_array()
        .unwrap()
        .iter()
        .all(|w| w["protocol"] == "imap"));
    // The settings it recommends pass validate() without an error.
    let report = validate(js(pop["settings"].clone())).unwrap();
    assert_ne!(report["verdict"], "error", "{report:#}");

    let imap = advise(json!({ "devices": 3, "email": "someone@icloud.com" })).unwrap();
    assert_eq!(imap["protocol"], "imap");
    assert_eq!(imap["settings"]["incoming"]["host"], "imap.mail.me.com");
    // Nothing said: still an answer.
    assert!(advise(json!({})).unwrap()["protocol"].is_string());
}

#[wasm_bindgen_test]
fn advise_throws_errors_that_name_the_field() {
    let (msg, field) = thrown(advise(json!({ "devices": 0 })).unwrap_err());
    assert!(msg.contains("devices"), "{msg}");
    assert_eq!(field.as_deref(), Some("devices"));
    let (msg, _) = thrown(advise(json!({ "devics": 2 })).unwrap_err());
    assert!(msg.contains("did you mean `devices`"), "{msg}");
    let (msg, field) = thrown(advise(json!({ "email": "not an address" })).unwrap_err());
    assert!(msg.contains("email"), "{msg}");
    assert_eq!(field.as_deref(), Some("email"));
    let (msg, _) = thrown(wasm::advise(ts(JsValue::from(3))).unwrap_err());
    assert!(msg.contains("expected an object"), "{msg}");
}

fn export(input: JsValue, format: &str) -> Result<String, JsValue> {
    ensure_table();
    wasm::export_config(input, format.into())
}

#[wasm_bindgen_test]
fn export_config_writes_every_format() {
    for format in [
        "autoconfig",
        "autodiscover",
        "mobileconfig",
        "srv",
        "markdown",
        "html",
    ] {
        let text = export(js(json!({ "email": "someone@gmail.com" })), format).unwrap();
        assert!(text.contains("gmail.com"), "{format}: {text}");
    }
    let xml = export("someone@gmail.com".into(), "autoconfig").unwrap();
    assert!(xml.contains("<hostname>imap.gmail.com</hostname>"), "{xml}");
    // An account exports exactly its servers.
    let account = json!({
        "email": "me@example.org",
        "incoming": { "protocol": "imap", "host": "mail.example.org", "port": 993, "security": "tls", "auth": "password", "username": "me@example.org" },
        "outgoing": { "protocol": "smtp", "host": "mail.example.org", "port": 465, "security": "tls", "auth": "password", "username": "me@example.org" }
    });
    let profile = export(js(account), "mobileconfig").unwrap();
    assert!(
        profile.contains("mail.example.org")
            && !profile
                .to_lowercase()
                .contains("<key>incomingpassword</key>"),
        "{profile}"
    );
}

#[wasm_bindgen_test]
fn export_config_throws_on_bad_input() {
    let (msg, _) = thrown(export("someone@gmail.com".into(), "pdf").unwrap_err());
    assert!(msg.contains("pdf") && msg.contains("autoconfig"), "{msg}");
    let (msg, _) =
        thrown(wasm::export_config("someone@gmail.com".into(), JsValue::from(1)).unwrap_err());
    assert!(msg.contains("exportConfig: expected a format"), "{msg}");
    let (msg, _) = thrown(export("nobody@example.invalid".into(), "autoconfig").unwrap_err());
    assert!(msg.contains("example.invalid"), "{msg}");
    let (msg, field) = thrown(
        export(js(json!({ "incoming": { "protocol": "imap", "host": "h.example", "port": 993, "security": "tsl" } })), "srv")
            .unwrap_err(),
    );
    assert!(msg.contains("incoming.security"), "{msg}");
    assert_eq!(field.as_deref(), Some("incoming.security"));
}

#[wasm_bindgen_test]
fn lint_autoconfig_reports_findings() {
    ensure_table();
    let exported = export("someone@gmail.com".into(), "autoconfig").unwrap();
    let clean = json_of(&wasm::lint_autoconfig(exported.into()).unwrap().js_value());
    assert_ne!(clean["verdict"], "error", "{clean:#}");
    let plain = r#"<?xml version="1.0"?><clientConfig version="1.1"><emailProvider id="example.org">
        <domain>example.org</domain>
        <incomingServer type="imap"><hostname>mail.example.org</hostname><port>143</port>
        <socketType>plain</socketType><authentication>password-cleartext</authentication>
        <username>%EMAILADDRESS%</username></incomingServer></emailProvider></clientConfig>"#;
    let report = json_of(&wasm::lint_autoconfig(plain.into()).unwrap().js_value());
    assert_eq!(report["verdict"], "error", "{report:#}");
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"].as_str().unwrap().starts_with('D')),
        "{report:#}"
    );
}

#[wasm_bindgen_test]
fn lint_autoconfig_throws_on_what_is_not_autoconfig() {
    let (msg, _) = thrown(wasm::lint_autoconfig("<not-closed".into()).unwrap_err());
    assert!(!msg.is_empty());
    let bomb =
        r#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><clientConfig>&a;</clientConfig>"#;
    assert!(wasm::lint_autoconfig(bomb.into()).is_err());
    let (msg, _) = thrown(wasm::lint_autoconfig(JsValue::NULL).unwrap_err());
    assert_eq!(
        msg,
        "lintAutoconfig: expected the XML text as a string, found null"
    );
}
