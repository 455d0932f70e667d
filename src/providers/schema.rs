//! The provider data format (`src/providers/data/SCHEMA.md`): the files as they are written, and
//! the checks every file must pass.
//!
//! One definition serves every reader: the build script (`build.rs` includes this file) reads and
//! checks every data file with it (TOML, as a JSON value) and writes the table as JSON, and the
//! library reads that table and any provider given at run time (an organisation's own settings,
//! [`super::Provider::from_json`]) with the same [`read`] and the same [`check`]. So this file
//! uses nothing but `serde`, `serde_json`, `strsim` and `std` (its TypeScript types, for the WebAssembly
//! API's `ProviderDefinition`, are derived on `wasm32` only: the build script, compiled for the
//! host with the same features, has no `tsify`).
//!
//! [`read`] is written by hand rather than derived: the derived readers of these twenty types
//! measured 150 KB of WebAssembly before optimisation (two copies, one per input type), more
//! than the whole main module's budget; this one names the field of every error too.

use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// One provider file: what it says, as written.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(
    all(feature = "wasm-types", target_arch = "wasm32"),
    derive(tsify::Tsify)
)]
pub struct ProviderFile {
    /// `[a-z0-9-]`; the file name.
    pub id: String,
    /// What people call it.
    pub name: String,
    /// Every source the facts cite.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<SourceEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<DomainsFact>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mx: Vec<MxFact>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub servers: Vec<ServerFact>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_offered: Vec<NotOfferedFact>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mechanisms: Vec<MechanismsFact>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub credentials: Vec<CredentialFact>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<ChangeFact>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enable: Vec<EnableFact>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plans: Vec<SummaryFact>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        alias = "clientRequirements"
    )]
    pub client_requirements: Vec<SummaryFact>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bridges: Vec<BridgeFact>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        alias = "noMailAppAccess"
    )]
    pub no_mail_app_access: Vec<SummaryFact>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pop3: Vec<Pop3Fact>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<NoteFact>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub help: Vec<HelpFact>,
}

/// A source the facts cite.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(
    all(feature = "wasm-types", target_arch = "wasm32"),
    derive(tsify::Tsify)
)]
pub struct SourceEntry {
    pub id: String,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locator: Option<String>,
    /// The date of the copy read, or `unknown`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        alias = "lastChecked"
    )]
    pub last_checked: Option<String>,
}

/// What every fact has besides its own keys: the sources it cites, and an optional note.
macro_rules! fact {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, Serialize)]
        #[cfg_attr(all(feature = "wasm-types", target_arch = "wasm32"), derive(tsify::Tsify))]
                pub struct $name {
            $($(#[$fmeta])* pub $field: $ty,)*
            /// Source ids of this file.
            #[serde(default, skip_serializing_if = "Vec::is_empty")]
            pub sources: Vec<String>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub note: Option<String>,
        }
    };
}

fact!(DomainsFact {
    names: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    shared: bool,
});

fact!(MxFact { suffixes: Vec<String> });

fact!(ServerFact {
    protocol: String,
    host: String,
    port: u32,
    security: String,
    username: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    username_note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    variant: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    domains: Vec<String>,
});

fact!(NotOfferedFact {
    what: String,
    summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    protocol: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    port: Option<u32>,
});

fact!(MechanismsFact {
    protocols: Vec<String>,
    names: Vec<String>,
});

fact!(CredentialFact {
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    accepted: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    protocols: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    requires: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    how: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    since: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    until: Option<String>,
});

fact!(ChangeFact {
    date: String,
    status: String,
    summary: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    protocols: Vec<String>,
});

fact!(EnableFact {
    protocols: Vec<String>,
    steps: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    default: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    required: Option<bool>,
});

fact!(
    /// `plans`, `client_requirements`, `no_mail_app_access`.
    SummaryFact {
        summary: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        protocols: Vec<String>,
    }
);

fact!(BridgeFact {
    name: String,
    summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    url: Option<String>,
});

fact!(Pop3Fact {
    summary: String,
    #[serde(
        default,
        skip_serializing_if = "std::ops::Not::not",
        alias = "recentMode"
    )]
    recent_mode: bool,
    #[serde(
        default,
        skip_serializing_if = "std::ops::Not::not",
        alias = "serverSetting"
    )]
    server_setting: bool,
});

fact!(NoteFact { text: String });

fact!(HelpFact {
    url: String,
    title: String
});

// ------------------------------------------------------------------------------------------------
// Reading (a JSON value: a provider given at run time, the compiled table, or a TOML file turned
// into JSON by the build script).

/// Reads one provider from a JSON value, in the data-file format. Keys may also be written in
/// camelCase (`notOffered`, `asOf`), as JavaScript would. `Err` names the field
/// (`servers[2].port`) and says what is wrong; whether the values make sense is [`check`]'s job.
pub fn read(v: &Value) -> Result<ProviderFile, Problem> {
    let mut first: Option<Problem> = None;
    let mut f = Fields::new(v, String::new(), &mut first);
    let p = ProviderFile {
        id: f.string("id"),
        name: f.string("name"),
        sources: f.list("sources", source),
        domains: f.list("domains", |f| DomainsFact {
            names: f.strings("names"),
            shared: f.flag("shared"),
            sources: f.strings_or_empty("sources"),
            note: f.opt_string("note"),
        }),
        mx: f.list("mx", |f| MxFact {
            suffixes: f.strings("suffixes"),
            sources: f.strings_or_empty("sources"),
            note: f.opt_string("note"),
        }),
        servers: f.list("servers", |f| ServerFact {
            protocol: f.string("protocol"),
            host: f.string("host"),
            port: f.number("port"),
            security: f.string("security"),
            username: f.string("username"),
            username_note: f.opt_string("username_note"),
            variant: f.opt_string("variant"),
            domains: f.strings_or_empty("domains"),
            sources: f.strings_or_empty("sources"),
            note: f.opt_string("note"),
        }),
        not_offered: f.list("not_offered", |f| NotOfferedFact {
            what: f.string("what"),
            summary: f.string("summary"),
            protocol: f.opt_string("protocol"),
            port: f.opt_number("port"),
            sources: f.strings_or_empty("sources"),
            note: f.opt_string("note"),
        }),
        mechanisms: f.list("mechanisms", |f| MechanismsFact {
            protocols: f.strings("protocols"),
            names: f.strings("names"),
            sources: f.strings_or_empty("sources"),
            note: f.opt_string("note"),
        }),
        credentials: f.list("credentials", |f| CredentialFact {
            kind: f.string("kind"),
            accepted: f.opt_bool("accepted"),
            protocols: f.strings_or_empty("protocols"),
            requires: f.strings_or_empty("requires"),
            how: f.opt_string("how"),
            since: f.opt_string("since"),
            until: f.opt_string("until"),
            sources: f.strings_or_empty("sources"),
            note: f.opt_string("note"),
        }),
        changes: f.list("changes", |f| ChangeFact {
            date: f.string("date"),
            status: f.string("status"),
            summary: f.string("summary"),
            protocols: f.strings_or_empty("protocols"),
            sources: f.strings_or_empty("sources"),
            note: f.opt_string("note"),
        }),
        enable: f.list("enable", |f| EnableFact {
            protocols: f.strings("protocols"),
            steps: f.string("steps"),
            url: f.opt_string("url"),
            default: f.opt_string("default"),
            required: f.opt_bool("required"),
            sources: f.strings_or_empty("sources"),
            note: f.opt_string("note"),
        }),
        plans: f.list("plans", summary),
        client_requirements: f.list("client_requirements", summary),
        bridges: f.list("bridges", |f| BridgeFact {
            name: f.string("name"),
            summary: f.string("summary"),
            url: f.opt_string("url"),
            sources: f.strings_or_empty("sources"),
            note: f.opt_string("note"),
        }),
        no_mail_app_access: f.list("no_mail_app_access", summary),
        pop3: f.list("pop3", |f| Pop3Fact {
            summary: f.string("summary"),
            recent_mode: f.flag("recent_mode"),
            server_setting: f.flag("server_setting"),
            sources: f.strings_or_empty("sources"),
            note: f.opt_string("note"),
        }),
        notes: f.list("notes", |f| NoteFact {
            text: f.string("text"),
            sources: f.strings_or_empty("sources"),
            note: f.opt_string("note"),
        }),
        help: f.list("help", |f| HelpFact {
            url: f.string("url"),
            title: f.string("title"),
            sources: f.strings_or_empty("sources"),
            note: f.opt_string("note"),
        }),
    };
    f.finish();
    match first {
        Some(problem) => Err(problem),
        None => Ok(p),
    }
}

fn source(f: &mut Fields) -> SourceEntry {
    SourceEntry {
        id: f.string("id"),
        kind: f.string("kind"),
        url: f.opt_string("url"),
        title: f.opt_string("title"),
        quote: f.opt_string("quote"),
        locator: f.opt_string("locator"),
        as_of: f.opt_string("as_of"),
        read_on: f.opt_string("read_on"),
        published: f.opt_string("published"),
        file: f.opt_string("file"),
        entry: f.opt_string("entry"),
        snapshot: f.opt_string("snapshot"),
        last_checked: f.opt_string("last_checked"),
    }
}

fn summary(f: &mut Fields) -> SummaryFact {
    SummaryFact {
        summary: f.string("summary"),
        protocols: f.strings_or_empty("protocols"),
        sources: f.strings_or_empty("sources"),
        note: f.opt_string("note"),
    }
}

/// The keys of one object being read: each taken once, the rest refused by [`Fields::finish`].
/// Problems are not returned at once but kept (the first one): reading goes on with empty
/// values, and the code has no early return, which measured about half the size in WebAssembly.
struct Fields<'v, 'e> {
    map: Option<&'v Map<String, Value>>,
    path: String,
    taken: Vec<&'static str>,
    first: &'e mut Option<Problem>,
}

impl<'v, 'e> Fields<'v, 'e> {
    fn new(v: &'v Value, path: String, first: &'e mut Option<Problem>) -> Fields<'v, 'e> {
        let mut f = Fields {
            map: None,
            path,
            taken: Vec::new(),
            first,
        };
        match v {
            Value::Object(map) => f.map = Some(map),
            _ => f.fail(
                f.path.clone(),
                format!("expected an object, found {}", kind_of(v)),
            ),
        }
        f
    }

    fn fail(&mut self, path: String, message: String) {
        if self.first.is_none() {
            *self.first = Some(Problem { path, message });
        }
    }

    fn at(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The value of `key` (snake_case, or its camelCase spelling), if present and not null.
    fn get(&mut self, key: &'static str) -> Option<&'v Value> {
        self.taken.push(key);
        let map = self.map?;
        map.get(key)
            .or_else(|| map.get(&camel(key)))
            .filter(|v| !v.is_null())
    }

    fn wrong(&mut self, key: &str, expected: &str, v: &Value) {
        let path = self.at(key);
        self.fail(path, format!("expected {expected}, found {}", kind_of(v)));
    }

    fn missing(&mut self, key: &str) {
        let path = self.at(key);
        self.fail(path, "is missing".to_owned());
    }

    fn opt_string(&mut self, key: &'static str) -> Option<String> {
        match self.get(key)? {
            Value::String(s) => Some(s.clone()),
            v => {
                self.wrong(key, "a string", v);
                None
            }
        }
    }

    fn string(&mut self, key: &'static str) -> String {
        let s = self.opt_string(key);
        if s.is_none()
            && self
                .map
                .is_some_and(|m| !m.contains_key(key) && !m.contains_key(&camel(key)))
        {
            self.missing(key);
        }
        s.unwrap_or_default()
    }

    fn opt_bool(&mut self, key: &'static str) -> Option<bool> {
        match self.get(key)? {
            Value::Bool(b) => Some(*b),
            v => {
                self.wrong(key, "true or false", v);
                None
            }
        }
    }

    fn flag(&mut self, key: &'static str) -> bool {
        self.opt_bool(key).unwrap_or(false)
    }

    fn opt_number(&mut self, key: &'static str) -> Option<u32> {
        match self.get(key)? {
            Value::Number(n) => {
                let n = n.as_u64().and_then(|n| u32::try_from(n).ok());
                if n.is_none() {
                    let path = self.at(key);
                    self.fail(path, "is not a whole number from 0".to_owned());
                }
                n
            }
            v => {
                self.wrong(key, "a number", v);
                None
            }
        }
    }

    fn number(&mut self, key: &'static str) -> u32 {
        let n = self.opt_number(key);
        if n.is_none() && self.map.is_some_and(|m| !m.contains_key(key)) {
            self.missing(key);
        }
        n.unwrap_or(0)
    }

    fn strings_or_empty(&mut self, key: &'static str) -> Vec<String> {
        let mut out = Vec::new();
        match self.get(key) {
            None => {}
            Some(Value::Array(items)) => {
                for (i, v) in items.iter().enumerate() {
                    match v {
                        Value::String(s) => out.push(s.clone()),
                        v => {
                            let path = format!("{}[{i}]", self.at(key));
                            self.fail(path, format!("expected a string, found {}", kind_of(v)));
                        }
                    }
                }
            }
            Some(v) => self.wrong(key, "a list of strings", v),
        }
        out
    }

    fn strings(&mut self, key: &'static str) -> Vec<String> {
        if self
            .map
            .is_some_and(|m| !m.contains_key(key) && !m.contains_key(&camel(key)))
        {
            self.missing(key);
        }
        self.strings_or_empty(key)
    }

    fn list<T>(&mut self, key: &'static str, item: impl Fn(&mut Fields) -> T) -> Vec<T> {
        let mut out = Vec::new();
        match self.get(key) {
            None => {}
            Some(Value::Array(items)) => {
                let path = self.at(key);
                for (i, v) in items.iter().enumerate() {
                    let mut f = Fields::new(v, format!("{path}[{i}]"), self.first);
                    out.push(item(&mut f));
                    f.finish();
                }
            }
            Some(v) => self.wrong(key, "a list", v),
        }
        out
    }

    /// Refuses a key that was not read (a misspelling would otherwise pass unnoticed).
    fn finish(mut self) {
        let Some(map) = self.map else {
            return;
        };
        for key in map.keys() {
            let known = self.taken.iter().any(|k| k == key || camel(k) == *key);
            if !known {
                let near = self
                    .taken
                    .iter()
                    .copied()
                    .min_by_key(|k| strsim::levenshtein(k, key))
                    .filter(|k| strsim::levenshtein(k, key) <= 2);
                let hint = near
                    .map(|k| format!(" (did you mean `{k}`?)"))
                    .unwrap_or_default();
                let message = format!(
                    "unknown field `{key}`{hint}; expected one of {}",
                    self.taken.join(", ")
                );
                let path = self.path.clone();
                self.fail(path, message);
                return;
            }
        }
    }
}

/// `not_offered` → `notOffered`.
fn camel(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

// ------------------------------------------------------------------------------------------------
// Vocabulary (SCHEMA.md).

/// Source kinds a data file may use.
pub const SOURCE_KINDS: &[&str] = &[
    "provider-page",
    "provider-code",
    "ispdb",
    "provider-db",
    "third-party",
];
/// The source kind of what an organisation states about its own service at run time (a runtime
/// provider only; never in a data file).
pub const DEFINITION_KIND: &str = "definition";
pub const PROTOCOLS: &[&str] = &["imap", "pop3", "smtp"];
pub const SECURITY: &[&str] = &["tls", "starttls", "none"];
pub const USERNAMES: &[&str] = &[
    "email-address",
    "local-part",
    "either",
    "generated",
    "account-address",
    "other",
    "unknown",
];
pub const VARIANTS: &[&str] = &["personal", "org", "custom-domain"];
pub const MECHANISMS: &[&str] = &[
    "password-cleartext",
    "password-encrypted",
    "oauth2",
    "none",
    "client-ip-address",
    "tls-client-cert",
    "gssapi",
    "ntlm",
];
pub const CREDENTIALS: &[&str] = &[
    "account-password",
    "app-password",
    "mail-password",
    "authorization-code",
    "secure-mail-key",
    "external-app-password",
    "bridge-password",
    "oauth2",
    "unknown",
];
pub const PREREQUISITES: &[&str] = &[
    "2-step-verification",
    "paid-plan",
    "enable-access",
    "bridge-running",
];
pub const CHANGE_STATUS: &[&str] = &["in-effect", "announced"];
pub const NOT_OFFERED: &[&str] = &["protocol", "port", "unencrypted", "mail-app-access"];

/// How strictly a provider is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A file of `src/providers/data`: every fact cites a source, every source is complete.
    DataFile,
    /// A provider given at run time: facts may leave out `sources` (they then rest on the
    /// definition itself, kind `definition`), and sources need no dates.
    Runtime,
}

/// One thing wrong with a provider: where (a path such as `servers[2].port`) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

/// The problems of one provider (none when it is well-formed). Checks that need more than the
/// file (other providers, the clock, the public databases) are the caller's.
pub fn check(p: &ProviderFile, mode: Mode) -> Vec<Problem> {
    let mut c = Checker {
        mode,
        problems: Vec::new(),
    };
    c.provider(p);
    c.problems
}

struct Checker {
    mode: Mode,
    problems: Vec<Problem>,
}

impl Checker {
    fn add(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.into(),
            message: message.into(),
        });
    }

    fn one_of(&mut self, path: &str, value: &str, allowed: &[&str]) {
        if !allowed.contains(&value) {
            self.add(
                path,
                format!("{value:?} is not one of {}", quote_all(allowed)),
            );
        }
    }

    fn all_of(&mut self, path: &str, values: &[String], allowed: &[&str], required: bool) {
        if required && values.is_empty() {
            self.add(path, "must list at least one value");
        }
        for (i, v) in values.iter().enumerate() {
            self.one_of(&format!("{path}[{i}]"), v, allowed);
        }
    }

    fn text(&mut self, path: &str, value: &str) {
        if value.trim().is_empty() {
            self.add(path, "must not be empty");
        }
    }

    fn url(&mut self, path: &str, value: &str) {
        let ok = (value.starts_with("https://") || value.starts_with("http://"))
            && value.len() > "https://".len()
            && !value.chars().any(|c| c.is_whitespace() || c.is_control());
        if !ok {
            self.add(path, format!("{value:?} is not an http(s) URL"));
        }
    }

    fn date(&mut self, path: &str, value: &str, allow_year: bool) {
        if parse_date(value, allow_year).is_none() {
            let forms = if allow_year {
                "YYYY, YYYY-MM or YYYY-MM-DD"
            } else {
                "YYYY-MM-DD or YYYY-MM"
            };
            self.add(path, format!("{value:?} is not a real date ({forms})"));
        }
    }

    fn provider(&mut self, p: &ProviderFile) {
        if !is_id(&p.id) {
            self.add("id", format!("{:?} must be lower case [a-z0-9-]", p.id));
        }
        self.text("name", &p.name);
        let mut ids = BTreeSet::new();
        for (i, s) in p.sources.iter().enumerate() {
            let path = format!("sources[{i}]");
            if !is_id(&s.id) {
                self.add(
                    format!("{path}.id"),
                    format!("{:?} must be lower case [a-z0-9-]", s.id),
                );
            } else if !ids.insert(s.id.as_str()) {
                self.add(format!("{path}.id"), format!("{:?} is defined twice", s.id));
            }
            self.source(&path, s);
        }
        let mut cited = BTreeSet::new();
        let mut fact = |c: &mut Checker, table: &str, i: usize, sources: &[String], bare: bool| {
            let path = format!("{table}[{i}].sources");
            if sources.is_empty() && c.mode == Mode::DataFile && !bare {
                c.add(path.clone(), "every fact cites at least one source");
            }
            for (j, s) in sources.iter().enumerate() {
                if !ids.contains(s.as_str()) {
                    c.add(
                        format!("{path}[{j}]"),
                        format!("no source {s:?} is defined in this provider's `sources`"),
                    );
                }
                cited.insert(s.clone());
            }
        };
        for (i, f) in p.domains.iter().enumerate() {
            fact(self, "domains", i, &f.sources, false);
            if f.names.is_empty() {
                self.add(
                    format!("domains[{i}].names"),
                    "must list at least one domain",
                );
            }
            for (j, d) in f.names.iter().enumerate() {
                if !is_host(d) {
                    self.add(
                        format!("domains[{i}].names[{j}]"),
                        format!("{d:?} is not a lower-case domain name"),
                    );
                }
            }
        }
        for (i, f) in p.mx.iter().enumerate() {
            fact(self, "mx", i, &f.sources, false);
            for (j, d) in f.suffixes.iter().enumerate() {
                if !is_host(d) {
                    self.add(
                        format!("mx[{i}].suffixes[{j}]"),
                        format!("{d:?} is not a lower-case domain name"),
                    );
                }
            }
        }
        for (i, f) in p.servers.iter().enumerate() {
            fact(self, "servers", i, &f.sources, false);
            self.server(&format!("servers[{i}]"), f);
        }
        for (i, f) in p.not_offered.iter().enumerate() {
            fact(self, "not_offered", i, &f.sources, false);
            let path = format!("not_offered[{i}]");
            self.one_of(&format!("{path}.what"), &f.what, NOT_OFFERED);
            self.text(&format!("{path}.summary"), &f.summary);
            if matches!(f.what.as_str(), "protocol" | "port") {
                match &f.protocol {
                    Some(proto) => self.one_of(&format!("{path}.protocol"), proto, PROTOCOLS),
                    None => self.add(
                        format!("{path}.protocol"),
                        "names the protocol that is not offered",
                    ),
                }
            }
            if f.what == "port" && !f.port.is_some_and(|x| (1..=65535).contains(&x)) {
                self.add(
                    format!("{path}.port"),
                    "names the port (1-65535) that is not offered",
                );
            }
        }
        for (i, f) in p.mechanisms.iter().enumerate() {
            fact(self, "mechanisms", i, &f.sources, false);
            let path = format!("mechanisms[{i}]");
            self.all_of(&format!("{path}.protocols"), &f.protocols, PROTOCOLS, true);
            self.all_of(&format!("{path}.names"), &f.names, MECHANISMS, true);
        }
        for (i, f) in p.credentials.iter().enumerate() {
            let unknown = f.kind == "unknown";
            fact(self, "credentials", i, &f.sources, unknown);
            let path = format!("credentials[{i}]");
            self.one_of(&format!("{path}.kind"), &f.kind, CREDENTIALS);
            if !unknown && f.accepted.is_none() {
                self.add(format!("{path}.accepted"), "must be true or false");
            }
            self.all_of(&format!("{path}.protocols"), &f.protocols, PROTOCOLS, false);
            self.all_of(
                &format!("{path}.requires"),
                &f.requires,
                PREREQUISITES,
                false,
            );
            if let Some(h) = &f.how {
                self.text(&format!("{path}.how"), h);
            }
            for (key, value) in [("since", &f.since), ("until", &f.until)] {
                if let Some(d) = value {
                    self.date(&format!("{path}.{key}"), d, true);
                }
            }
        }
        for (i, f) in p.changes.iter().enumerate() {
            fact(self, "changes", i, &f.sources, false);
            let path = format!("changes[{i}]");
            self.date(&format!("{path}.date"), &f.date, true);
            self.one_of(&format!("{path}.status"), &f.status, CHANGE_STATUS);
            self.text(&format!("{path}.summary"), &f.summary);
            self.all_of(&format!("{path}.protocols"), &f.protocols, PROTOCOLS, false);
        }
        for (i, f) in p.enable.iter().enumerate() {
            fact(self, "enable", i, &f.sources, false);
            let path = format!("enable[{i}]");
            self.all_of(&format!("{path}.protocols"), &f.protocols, PROTOCOLS, true);
            self.text(&format!("{path}.steps"), &f.steps);
            if let Some(u) = &f.url {
                self.url(&format!("{path}.url"), u);
            }
            if let Some(d) = &f.default {
                self.one_of(&format!("{path}.default"), d, &["off", "on"]);
            }
        }
        for (table, list) in [
            ("plans", &p.plans),
            ("client_requirements", &p.client_requirements),
            ("no_mail_app_access", &p.no_mail_app_access),
        ] {
            for (i, f) in list.iter().enumerate() {
                fact(self, table, i, &f.sources, false);
                self.text(&format!("{table}[{i}].summary"), &f.summary);
                self.all_of(
                    &format!("{table}[{i}].protocols"),
                    &f.protocols,
                    PROTOCOLS,
                    false,
                );
            }
        }
        for (i, f) in p.bridges.iter().enumerate() {
            fact(self, "bridges", i, &f.sources, false);
            self.text(&format!("bridges[{i}].name"), &f.name);
            self.text(&format!("bridges[{i}].summary"), &f.summary);
            if let Some(u) = &f.url {
                self.url(&format!("bridges[{i}].url"), u);
            }
        }
        for (i, f) in p.pop3.iter().enumerate() {
            fact(self, "pop3", i, &f.sources, false);
            self.text(&format!("pop3[{i}].summary"), &f.summary);
        }
        for (i, f) in p.notes.iter().enumerate() {
            fact(self, "notes", i, &f.sources, false);
            self.text(&format!("notes[{i}].text"), &f.text);
        }
        for (i, f) in p.help.iter().enumerate() {
            fact(self, "help", i, &f.sources, false);
            self.url(&format!("help[{i}].url"), &f.url);
            self.text(&format!("help[{i}].title"), &f.title);
        }
        for (i, s) in p.sources.iter().enumerate() {
            if self.mode == Mode::DataFile && !cited.contains(&s.id) {
                self.add(
                    format!("sources[{i}]"),
                    format!("{:?} is cited by no fact", s.id),
                );
            }
        }
    }

    fn source(&mut self, path: &str, s: &SourceEntry) {
        let data_file = self.mode == Mode::DataFile;
        let kinds: &[&str] = if data_file {
            SOURCE_KINDS
        } else {
            &[
                "provider-page",
                "provider-code",
                "ispdb",
                "provider-db",
                "third-party",
                DEFINITION_KIND,
            ]
        };
        self.one_of(&format!("{path}.kind"), &s.kind, kinds);
        match &s.title {
            Some(t) => self.text(&format!("{path}.title"), t),
            None if data_file => self.add(format!("{path}.title"), "every source has a title"),
            None => {}
        }
        match &s.url {
            Some(u) => self.url(&format!("{path}.url"), u),
            None if data_file && s.locator.is_none() => self.add(
                format!("{path}.url"),
                "needs a `url` (or, for a copy with no address, a `locator` saying where it was read)",
            ),
            None => {}
        }
        if data_file && s.quote.is_none() && s.locator.is_none() {
            self.add(
                path,
                "needs a `quote` or a `locator` (where in the source the facts are)",
            );
        }
        match s.as_of.as_deref() {
            Some("unknown") if data_file && s.read_on.is_none() => self.add(
                format!("{path}.read_on"),
                "as_of is \"unknown\": `read_on` must say when the copy was read",
            ),
            Some("unknown") => {}
            Some(d) => self.date(&format!("{path}.as_of"), d, false),
            None if data_file => self.add(
                format!("{path}.as_of"),
                "needs `as_of`: the date of the copy read (YYYY-MM-DD or YYYY-MM), or \"unknown\"",
            ),
            None => {}
        }
        if let Some(d) = &s.published {
            self.date(&format!("{path}.published"), d, false);
        }
        if let Some(r) = &s.read_on {
            if r.len() != 10 || parse_date(r, false).is_none() {
                self.add(
                    format!("{path}.read_on"),
                    format!("{r:?} is not a real YYYY-MM-DD date"),
                );
            } else if let Some(a) = s.as_of.as_deref().and_then(|a| parse_date(a, false)) {
                if parse_date(r, false).is_some_and(|r| a > r) {
                    self.add(
                        format!("{path}.as_of"),
                        "the copy's date is after the day it was read (`read_on`)",
                    );
                }
            }
        }
        let read_with_tools = matches!(
            s.kind.as_str(),
            "provider-page" | "provider-code" | "third-party"
        );
        if data_file && read_with_tools && s.read_on.is_none() {
            self.add(
                format!("{path}.read_on"),
                "a page or code that was read needs `read_on`",
            );
        }
        if data_file && s.kind == "ispdb" {
            if s.file.is_none() {
                self.add(
                    format!("{path}.file"),
                    "an ISPDB source names its `file` (\"qq.com.xml\")",
                );
            }
            if s.snapshot.is_none() {
                self.add(
                    format!("{path}.snapshot"),
                    "an ISPDB source names the `snapshot` it was read from",
                );
            }
        }
        if data_file && s.kind == "provider-db" {
            if s.entry.is_none() {
                self.add(
                    format!("{path}.entry"),
                    "a provider-db source names its `entry` (\"qq.md\")",
                );
            }
            if s.snapshot.is_none() {
                self.add(
                    format!("{path}.snapshot"),
                    "a provider-db source names the `snapshot` it was read from",
                );
            }
            if s.last_checked.is_none() || s.last_checked != s.as_of {
                self.add(
                    format!("{path}.as_of"),
                    "a provider-db source's as_of is the entry's `last_checked`",
                );
            }
        }
    }

    fn server(&mut self, path: &str, f: &ServerFact) {
        self.one_of(&format!("{path}.protocol"), &f.protocol, PROTOCOLS);
        self.one_of(&format!("{path}.security"), &f.security, SECURITY);
        self.one_of(&format!("{path}.username"), &f.username, USERNAMES);
        if let Some(v) = &f.variant {
            self.one_of(&format!("{path}.variant"), v, VARIANTS);
        }
        if !is_host(&f.host) && f.host.parse::<std::net::IpAddr>().is_err() {
            self.add(
                format!("{path}.host"),
                format!(
                    "{:?} is not a lower-case host name or an IP address",
                    f.host
                ),
            );
        }
        if !(1..=65535).contains(&f.port) {
            self.add(format!("{path}.port"), format!("{} is not 1-65535", f.port));
        }
        if f.username == "other" && f.username_note.is_none() {
            self.add(
                format!("{path}.username_note"),
                "username \"other\" needs a `username_note` saying what to type",
            );
        }
        for (j, d) in f.domains.iter().enumerate() {
            if !is_host(d) {
                self.add(
                    format!("{path}.domains[{j}]"),
                    format!("{d:?} is not a domain name"),
                );
            }
        }
    }
}

/// `"a", "b" or "c"`.
fn quote_all(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("{s:?}")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.join(""),
    }
}

/// `[a-z0-9][a-z0-9-]*`.
pub fn is_id(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
}

/// A lower-case DNS name: labels of `[a-z0-9-]`, 1-63 long, no hyphen at either end, 253 in all.
pub fn is_host(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|label| {
            let b = label.as_bytes();
            !b.is_empty()
                && b.len() <= 63
                && b[0] != b'-'
                && b[b.len() - 1] != b'-'
                && b.iter()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        })
}

/// A real calendar date `(year, month, day)` from `YYYY-MM-DD`, `YYYY-MM` (the first day) or,
/// when allowed, `YYYY` (the first of January).
pub fn parse_date(s: &str, allow_year: bool) -> Option<(u16, u8, u8)> {
    let num = |t: &str| -> Option<u32> {
        (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())).then(|| t.parse().ok())?
    };
    let parts: Vec<&str> = s.split('-').collect();
    let (y, m, d) = match parts.as_slice() {
        [y] if allow_year && y.len() == 4 => (num(y)?, 1, 1),
        [y, m] if y.len() == 4 && m.len() == 2 => (num(y)?, num(m)?, 1),
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => (num(y)?, num(m)?, num(d)?),
        _ => return None,
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (y >= 1970 && (1..=days).contains(&d)).then_some((y as u16, m as u8, d as u8))
}
