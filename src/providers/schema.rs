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
    pub pop3: Vec<Pop3BehaviourFact>,
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

fact!(Pop3BehaviourFact {
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
// Reading is checking (a JSON value: a provider given at run time, the compiled table, or a TOML
// file turned into JSON by the build script).

/// One thing wrong with a provider: where (a path such as `servers[2].port`) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

/// Reads one provider from a JSON value, in the data-file format, and checks everything a
/// provider must be to be used: the types, the vocabulary (`protocol = "imap"`), host names,
/// ports, URLs, dates, ids, that every source a fact cites is defined. Keys may also be written
/// in camelCase (`notOffered`, `asOf`), as JavaScript would. `Err` lists every problem, each
/// naming its field (`servers[2].port`). Facts may leave out `sources` here (a provider given
/// at run time); what a data file must have besides is [`check_data_file`]'s.
pub fn read(v: &Value) -> Result<ProviderFile, Vec<Problem>> {
    let mut cx = Cx::default();
    let mut f = Fields::new(v, String::new(), &mut cx);
    let id = f.id("id");
    let name = f.text("name");
    let sources = f.list("sources", source);
    let mut seen: Vec<&str> = Vec::new();
    for (i, s) in sources.iter().enumerate() {
        if seen.contains(&s.id.as_str()) {
            f.fail(
                format!("sources[{i}].id"),
                format!("\"{}\" is defined twice", s.id),
            );
        }
        seen.push(&s.id);
    }
    f.cx.ids = sources.iter().map(|s| s.id.clone()).collect();
    let p = ProviderFile {
        id,
        name,
        sources,
        domains: f.list("domains", |f| DomainsFact {
            names: f.names("names"),
            shared: f.flag("shared"),
            sources: f.refs(),
            note: f.opt_string("note"),
        }),
        mx: f.list("mx", |f| MxFact {
            suffixes: f.names("suffixes"),
            sources: f.refs(),
            note: f.opt_string("note"),
        }),
        servers: f.list("servers", |f| {
            let s = ServerFact {
                protocol: f.word("protocol", PROTOCOLS),
                host: f.host("host"),
                port: f.port("port"),
                security: f.word("security", SECURITY),
                username: f.word("username", USERNAMES),
                username_note: f.opt_text("username_note"),
                variant: f.opt_word("variant", VARIANTS),
                domains: f.opt_names("domains"),
                sources: f.refs(),
                note: f.opt_string("note"),
            };
            if s.username == "other" && s.username_note.is_none() {
                f.fail_at(
                    "username_note",
                    "username \"other\" needs a `username_note` saying what to type",
                );
            }
            s
        }),
        not_offered: f.list("not_offered", |f| {
            let n = NotOfferedFact {
                what: f.word("what", NOT_OFFERED),
                summary: f.text("summary"),
                protocol: f.opt_word("protocol", PROTOCOLS),
                port: f.opt_port("port"),
                sources: f.refs(),
                note: f.opt_string("note"),
            };
            if matches!(n.what.as_str(), "protocol" | "port") && n.protocol.is_none() {
                f.fail_at("protocol", "names the protocol that is not offered");
            }
            if n.what == "port" && n.port.is_none() {
                f.fail_at("port", "names the port (1-65535) that is not offered");
            }
            n
        }),
        mechanisms: f.list("mechanisms", |f| MechanismsFact {
            protocols: f.words("protocols", PROTOCOLS, true),
            names: f.words("names", MECHANISMS, true),
            sources: f.refs(),
            note: f.opt_string("note"),
        }),
        credentials: f.list("credentials", |f| {
            let c = CredentialFact {
                kind: f.word("kind", CREDENTIALS),
                accepted: f.opt_bool("accepted"),
                protocols: f.words("protocols", PROTOCOLS, false),
                requires: f.words("requires", PREREQUISITES, false),
                how: f.opt_text("how"),
                since: f.opt_date("since", true),
                until: f.opt_date("until", true),
                sources: f.refs(),
                note: f.opt_string("note"),
            };
            if c.kind != "unknown" && c.accepted.is_none() {
                f.fail_at("accepted", "must be true or false");
            }
            c
        }),
        changes: f.list("changes", |f| ChangeFact {
            date: f.date("date", true),
            status: f.word("status", CHANGE_STATUS),
            summary: f.text("summary"),
            protocols: f.words("protocols", PROTOCOLS, false),
            sources: f.refs(),
            note: f.opt_string("note"),
        }),
        enable: f.list("enable", |f| EnableFact {
            protocols: f.words("protocols", PROTOCOLS, true),
            steps: f.text("steps"),
            url: f.opt_url("url"),
            default: f.opt_word("default", &["off", "on"]),
            required: f.opt_bool("required"),
            sources: f.refs(),
            note: f.opt_string("note"),
        }),
        plans: f.list("plans", summary),
        client_requirements: f.list("client_requirements", summary),
        bridges: f.list("bridges", |f| BridgeFact {
            name: f.text("name"),
            summary: f.text("summary"),
            url: f.opt_url("url"),
            sources: f.refs(),
            note: f.opt_string("note"),
        }),
        no_mail_app_access: f.list("no_mail_app_access", summary),
        pop3: f.list("pop3", |f| Pop3BehaviourFact {
            summary: f.text("summary"),
            recent_mode: f.flag("recent_mode"),
            server_setting: f.flag("server_setting"),
            sources: f.refs(),
            note: f.opt_string("note"),
        }),
        notes: f.list("notes", |f| NoteFact {
            text: f.text("text"),
            sources: f.refs(),
            note: f.opt_string("note"),
        }),
        help: f.list("help", |f| HelpFact {
            url: f.url("url"),
            title: f.text("title"),
            sources: f.refs(),
            note: f.opt_string("note"),
        }),
    };
    f.finish();
    if cx.problems.is_empty() {
        Ok(p)
    } else {
        Err(cx.problems)
    }
}

fn source(f: &mut Fields) -> SourceEntry {
    let s = SourceEntry {
        id: f.id("id"),
        kind: f.word("kind", SOURCE_KINDS_AT_RUN_TIME),
        url: f.opt_url("url"),
        title: f.opt_text("title"),
        quote: f.opt_string("quote"),
        locator: f.opt_string("locator"),
        as_of: f.opt_string("as_of"),
        read_on: f.opt_string("read_on"),
        published: f.opt_date("published", false),
        file: f.opt_string("file"),
        entry: f.opt_string("entry"),
        snapshot: f.opt_string("snapshot"),
        last_checked: f.opt_string("last_checked"),
    };
    let as_of = match s.as_of.as_deref() {
        Some("unknown") | None => None,
        Some(d) => {
            let date = parse_date(d, false);
            if date.is_none() {
                f.fail_at(
                    "as_of",
                    &format!("\"{d}\" is not a real date (YYYY-MM-DD or YYYY-MM), nor \"unknown\""),
                );
            }
            date
        }
    };
    if let Some(r) = &s.read_on {
        match parse_date(r, false).filter(|_| r.len() == 10) {
            None => f.fail_at("read_on", &format!("\"{r}\" is not a real YYYY-MM-DD date")),
            Some(r) if as_of.is_some_and(|a| a > r) => f.fail_at(
                "as_of",
                "the copy's date is after the day it was read (`read_on`)",
            ),
            Some(_) => {}
        }
    }
    s
}

fn summary(f: &mut Fields) -> SummaryFact {
    SummaryFact {
        summary: f.text("summary"),
        protocols: f.words("protocols", PROTOCOLS, false),
        sources: f.refs(),
        note: f.opt_string("note"),
    }
}

/// What reading one provider shares: the problems found, and the ids of its sources.
#[derive(Default)]
struct Cx {
    problems: Vec<Problem>,
    ids: Vec<String>,
}

/// The keys of one object being read: each taken once, the rest refused by [`Fields::finish`].
/// A problem does not stop the reading: the field reads as empty and the next is read, so every
/// problem is found at once, and the code has no early return (which measured about half the
/// size in WebAssembly).
struct Fields<'v, 'c> {
    map: Option<&'v Map<String, Value>>,
    path: String,
    taken: Vec<&'static str>,
    cx: &'c mut Cx,
}

impl<'v, 'c> Fields<'v, 'c> {
    fn new(v: &'v Value, path: String, cx: &'c mut Cx) -> Fields<'v, 'c> {
        let mut f = Fields {
            map: None,
            path,
            taken: Vec::new(),
            cx,
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
        self.cx.problems.push(Problem { path, message });
    }

    /// A problem with `key` of this object.
    fn fail_at(&mut self, key: &str, message: &str) {
        let path = self.at(key);
        self.fail(path, message.to_owned());
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
        self.fail_at(key, &format!("expected {expected}, found {}", kind_of(v)));
    }

    /// Whether `key` is absent (when the object is one; otherwise that is the problem).
    fn absent(&self, key: &str) -> bool {
        self.map
            .is_some_and(|m| !m.contains_key(key) && !m.contains_key(&camel(key)))
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

    /// A string that must say something.
    fn opt_text(&mut self, key: &'static str) -> Option<String> {
        let s = self.opt_string(key)?;
        if s.trim().is_empty() {
            self.fail_at(key, "must not be empty");
        }
        Some(s)
    }

    /// `Some` value, or empty and a problem if it is missing.
    fn required<T: Default>(&mut self, key: &str, value: Option<T>) -> T {
        if value.is_none() && self.absent(key) {
            self.fail_at(key, "is missing");
        }
        value.unwrap_or_default()
    }

    fn text(&mut self, key: &'static str) -> String {
        let s = self.opt_text(key);
        self.required(key, s)
    }

    /// `[a-z0-9-]`.
    fn id(&mut self, key: &'static str) -> String {
        let s = self.opt_string(key);
        if let Some(s) = s.as_deref().filter(|s| !is_id(s)) {
            self.fail_at(key, &format!("\"{s}\" must be lower case [a-z0-9-]"));
        }
        self.required(key, s)
    }

    fn check_word(&mut self, path: String, value: &str, vocabulary: &[&str]) {
        if !vocabulary.contains(&value) {
            self.fail(
                path,
                format!("\"{value}\" is not one of {}", quote_all(vocabulary)),
            );
        }
    }

    fn opt_word(&mut self, key: &'static str, vocabulary: &[&str]) -> Option<String> {
        let s = self.opt_string(key)?;
        let path = self.at(key);
        self.check_word(path, &s, vocabulary);
        Some(s)
    }

    fn word(&mut self, key: &'static str, vocabulary: &[&str]) -> String {
        let value = self.opt_word(key, vocabulary);
        self.required(key, value)
    }

    /// A list of strings, each passed to `each` with its path.
    fn list_of_strings(
        &mut self,
        key: &'static str,
        required: bool,
        mut each: impl FnMut(&mut Self, String, &str),
    ) -> Vec<String> {
        let mut out = Vec::new();
        match self.get(key) {
            None if required && self.absent(key) => self.fail_at(key, "is missing"),
            None => {}
            Some(Value::Array(items)) => {
                if required && items.is_empty() {
                    self.fail_at(key, "must list at least one value");
                }
                for (i, v) in items.iter().enumerate() {
                    let path = format!("{}[{i}]", self.at(key));
                    match v {
                        Value::String(s) => {
                            each(self, path, s);
                            out.push(s.clone());
                        }
                        v => self.fail(path, format!("expected a string, found {}", kind_of(v))),
                    }
                }
            }
            Some(v) => self.wrong(key, "a list of strings", v),
        }
        out
    }

    fn words(&mut self, key: &'static str, vocabulary: &[&str], required: bool) -> Vec<String> {
        self.list_of_strings(key, required, |f, path, s| {
            f.check_word(path, s, vocabulary)
        })
    }

    /// Lower-case domain names.
    fn domain_names(&mut self, key: &'static str, required: bool) -> Vec<String> {
        self.list_of_strings(key, required, |f, path, s| {
            if !is_host(s) {
                f.fail(path, format!("\"{s}\" is not a lower-case domain name"));
            }
        })
    }

    fn names(&mut self, key: &'static str) -> Vec<String> {
        self.domain_names(key, true)
    }

    fn opt_names(&mut self, key: &'static str) -> Vec<String> {
        self.domain_names(key, false)
    }

    /// The source ids a fact cites (`sources`), each defined in the provider's `sources`.
    fn refs(&mut self) -> Vec<String> {
        self.list_of_strings("sources", false, |f, path, s| {
            if !f.cx.ids.iter().any(|id| id == s) {
                f.fail(
                    path,
                    format!("no source \"{s}\" is defined in this provider's `sources`"),
                );
            }
        })
    }

    /// A host name or an IP address.
    fn host(&mut self, key: &'static str) -> String {
        let s = self.opt_string(key);
        if let Some(s) = s.as_deref() {
            if !is_host(s) && s.parse::<std::net::IpAddr>().is_err() {
                self.fail_at(
                    key,
                    &format!("\"{s}\" is not a lower-case host name or an IP address"),
                );
            }
        }
        self.required(key, s)
    }

    fn opt_port(&mut self, key: &'static str) -> Option<u32> {
        match self.get(key)? {
            Value::Number(n) => {
                let port = n
                    .as_u64()
                    .filter(|n| (1..=65535).contains(n))
                    .map(|n| n as u32);
                if port.is_none() {
                    // Not `{n}`: a float's formatting would weigh on the WebAssembly module.
                    let message = match n.as_u64() {
                        Some(n) => format!("{n} is not a port (1-65535)"),
                        None => "is not a port (a whole number, 1-65535)".to_owned(),
                    };
                    self.fail_at(key, &message);
                }
                port
            }
            v => {
                self.wrong(key, "a number", v);
                None
            }
        }
    }

    fn port(&mut self, key: &'static str) -> u32 {
        let value = self.opt_port(key);
        self.required(key, value)
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

    fn opt_url(&mut self, key: &'static str) -> Option<String> {
        let s = self.opt_string(key)?;
        let ok = (s.starts_with("https://") || s.starts_with("http://"))
            && s.len() > "https://".len()
            && !s.chars().any(|c| c.is_ascii_whitespace() || c.is_control());
        if !ok {
            self.fail_at(key, &format!("\"{s}\" is not an http(s) URL"));
        }
        Some(s)
    }

    fn url(&mut self, key: &'static str) -> String {
        let value = self.opt_url(key);
        self.required(key, value)
    }

    fn opt_date(&mut self, key: &'static str, allow_year: bool) -> Option<String> {
        let s = self.opt_string(key)?;
        if parse_date(&s, allow_year).is_none() {
            let forms = if allow_year {
                "YYYY, YYYY-MM or YYYY-MM-DD"
            } else {
                "YYYY-MM-DD or YYYY-MM"
            };
            self.fail_at(key, &format!("\"{s}\" is not a real date ({forms})"));
        }
        Some(s)
    }

    fn date(&mut self, key: &'static str, allow_year: bool) -> String {
        let value = self.opt_date(key, allow_year);
        self.required(key, value)
    }

    fn list<T>(&mut self, key: &'static str, item: impl Fn(&mut Fields) -> T) -> Vec<T> {
        let mut out = Vec::new();
        match self.get(key) {
            None => {}
            Some(Value::Array(items)) => {
                let path = self.at(key);
                for (i, v) in items.iter().enumerate() {
                    let mut f = Fields::new(v, format!("{path}[{i}]"), self.cx);
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
                    .min_by_key(|k| strsim::osa_distance(k, key))
                    .filter(|k| strsim::osa_distance(k, key) <= 2);
                let hint = near
                    .map(|k| format!(" (did you mean `{k}`?)"))
                    .unwrap_or_default();
                let message = format!(
                    "unknown field `{key}`{hint}; expected one of {}",
                    self.taken.join(", ")
                );
                let path = self.path.clone();
                self.fail(path, message);
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
#[allow(dead_code)]
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
/// Source kinds a provider given at run time may use.
const SOURCE_KINDS_AT_RUN_TIME: &[&str] = &[
    "provider-page",
    "provider-code",
    "ispdb",
    "provider-db",
    "third-party",
    DEFINITION_KIND,
];
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

// ------------------------------------------------------------------------------------------------
// What a data file must have besides (the build script's check; never run on a runtime provider).

/// The rules of curation a data file follows besides what [`read`] checks: every fact cites a
/// source, every source says what it is (a title), where (a URL or a locator), what it says (a
/// quote or a locator) and when (`as_of`, and `read_on` for what was read); database sources name
/// their file, entry and snapshot; every source is cited. Checks that need more than the file
/// (the file name, other providers, the public databases) are the caller's.
#[allow(dead_code)] // The library reads; the build script, which includes this file, checks.
pub fn check_data_file(p: &ProviderFile) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut add = |path: String, message: &str| {
        problems.push(Problem {
            path,
            message: message.to_owned(),
        })
    };
    let mut cited: Vec<&str> = Vec::new();
    for (table, i, sources, bare) in fact_sources(p) {
        if sources.is_empty() && !bare {
            add(
                format!("{table}[{i}].sources"),
                "every fact cites at least one source",
            );
        }
        cited.extend(sources.iter().map(String::as_str));
    }
    for (i, s) in p.sources.iter().enumerate() {
        let path = format!("sources[{i}]");
        let at = |key: &str| format!("{path}.{key}");
        if !SOURCE_KINDS.contains(&s.kind.as_str()) {
            add(
                at("kind"),
                &format!(
                    "\"{}\" is not one of {} (\"definition\" is for a provider given at run time)",
                    s.kind,
                    quote_all(SOURCE_KINDS)
                ),
            );
        }
        if s.title.is_none() {
            add(at("title"), "every source has a title");
        }
        if s.url.is_none() && s.locator.is_none() {
            add(
                at("url"),
                "needs a `url` (or, for a copy with no address, a `locator` saying where it was read)",
            );
        }
        if s.quote.is_none() && s.locator.is_none() {
            add(
                path.clone(),
                "needs a `quote` or a `locator` (where in the source the facts are)",
            );
        }
        match s.as_of.as_deref() {
            Some("unknown") if s.read_on.is_none() => add(
                at("read_on"),
                "as_of is \"unknown\": `read_on` must say when the copy was read",
            ),
            Some(_) => {}
            None => add(
                at("as_of"),
                "needs `as_of`: the date of the copy read (YYYY-MM-DD or YYYY-MM), or \"unknown\"",
            ),
        }
        let read_with_tools = matches!(
            s.kind.as_str(),
            "provider-page" | "provider-code" | "third-party"
        );
        if read_with_tools && s.read_on.is_none() {
            add(
                at("read_on"),
                "a page or code that was read needs `read_on`",
            );
        }
        if s.kind == "ispdb" {
            if s.file.is_none() {
                add(
                    at("file"),
                    "an ISPDB source names its `file` (\"qq.com.xml\")",
                );
            }
            if s.snapshot.is_none() {
                add(
                    at("snapshot"),
                    "an ISPDB source names the `snapshot` it was read from",
                );
            }
        }
        if s.kind == "provider-db" {
            if s.entry.is_none() {
                add(
                    at("entry"),
                    "a provider-db source names its `entry` (\"qq.md\")",
                );
            }
            if s.snapshot.is_none() {
                add(
                    at("snapshot"),
                    "a provider-db source names the `snapshot` it was read from",
                );
            }
            if s.last_checked.is_none() || s.last_checked != s.as_of {
                add(
                    at("as_of"),
                    "a provider-db source's as_of is the entry's `last_checked`",
                );
            }
        }
        if !cited.contains(&s.id.as_str()) {
            add(path.clone(), &format!("\"{}\" is cited by no fact", s.id));
        }
    }
    problems
}

/// Every fact's table, index and sources, and whether it may stand without one (a credential of
/// kind `unknown`: the absence of a source is its point).
#[allow(dead_code)]
fn fact_sources(p: &ProviderFile) -> Vec<(&'static str, usize, &[String], bool)> {
    let mut out: Vec<(&'static str, usize, &[String], bool)> = Vec::new();
    macro_rules! each {
        ($table:literal, $list:expr) => {
            out.extend(
                $list
                    .iter()
                    .enumerate()
                    .map(|(i, f)| ($table, i, &f.sources[..], false)),
            );
        };
    }
    each!("domains", p.domains);
    each!("mx", p.mx);
    each!("servers", p.servers);
    each!("not_offered", p.not_offered);
    each!("mechanisms", p.mechanisms);
    out.extend(
        p.credentials
            .iter()
            .enumerate()
            .map(|(i, f)| ("credentials", i, &f.sources[..], f.kind == "unknown")),
    );
    each!("changes", p.changes);
    each!("enable", p.enable);
    each!("plans", p.plans);
    each!("client_requirements", p.client_requirements);
    each!("bridges", p.bridges);
    each!("no_mail_app_access", p.no_mail_app_access);
    each!("pop3", p.pop3);
    each!("notes", p.notes);
    each!("help", p.help);
    out
}

/// `"a", "b" or "c"`.
fn quote_all(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("\"{s}\"")).collect();
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
