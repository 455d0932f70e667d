//! From the data format ([`ProviderFile`]) to the typed facts ([`Provider`]): for the compiled-in
//! table and for a provider given at run time.

use super::facts::*;
use super::schema::{self, Problem, ProviderFile};
use crate::error::InputError;
use crate::model::{Protocol, Security};

impl Provider {
    /// A provider given at run time as JSON — an organisation's own service, in the format of a
    /// data file (`src/providers/data/SCHEMA.md`). Facts may leave out `sources`: they then rest
    /// on the definition itself (a source of kind `definition`, which counts as the provider's
    /// own word), and sources need no dates.
    ///
    /// The smallest useful definition:
    ///
    /// ```
    /// let p = mailsetup::providers::Provider::from_json(r#"{
    ///   "id": "example-org", "name": "Example Org",
    ///   "domains": [{"names": ["example.org"]}],
    ///   "servers": [{"protocol": "imap", "host": "mail.example.org", "port": 993,
    ///                "security": "tls", "username": "email-address"}]
    /// }"#).unwrap();
    /// assert!(p.defined && p.servers[0].confirmed);
    /// ```
    ///
    /// `Err` names the field (`servers[0].port`) and what is wrong with it.
    pub fn from_json(text: &str) -> Result<Provider, InputError> {
        Provider::from_json_value(crate::error::json_value(text)?)
    }

    /// As [`Provider::from_json`], from a parsed JSON value.
    pub fn from_json_value(value: serde_json::Value) -> Result<Provider, InputError> {
        let file = schema::read(&value).map_err(|problems| {
            let p = first_problem(problems);
            InputError::Field {
                path: p.path,
                message: p.message,
            }
        })?;
        Ok(convert(file, true))
    }
}

/// The first of `problems`, saying how many more there are.
pub(super) fn first_problem(problems: Vec<Problem>) -> Problem {
    let more = match problems.len().saturating_sub(1) {
        0 => String::new(),
        1 => " (and 1 more problem)".to_owned(),
        n => format!(" (and {n} more problems)"),
    };
    let first = problems.into_iter().next();
    let (path, message) = first.map_or_else(Default::default, |p| (p.path, p.message));
    Problem {
        path,
        message: format!("{message}{more}"),
    }
}

/// The typed provider of a checked file. `defined`: given at run time (facts without sources
/// rest on the definition).
pub(super) fn convert(mut f: ProviderFile, defined: bool) -> Provider {
    if defined && needs_definition_source(&f) {
        f.sources.push(schema::SourceEntry {
            id: DEFINITION_ID.to_owned(),
            kind: schema::DEFINITION_KIND.to_owned(),
            title: Some(format!("{}'s own settings, given to mailsetup", f.name)),
            url: f.help.first().map(|h| h.url.clone()),
            as_of: Some("unknown".to_owned()),
            ..Default::default()
        });
    }
    let sources: Vec<Source> = f.sources.iter().map(source).collect();
    let definition = sources.iter().position(|s| s.id == DEFINITION_ID);
    // Source ids to indexes; a fact without sources rests on the definition (run time only).
    let refs = |ids: &[String]| -> (Vec<u16>, bool) {
        let mut idx: Vec<u16> = ids
            .iter()
            .filter_map(|id| sources.iter().position(|s| &s.id == id))
            .map(|i| i as u16)
            .collect();
        if idx.is_empty() {
            idx.extend(definition.map(|i| i as u16));
        }
        let confirmed = idx.iter().any(|&i| sources[i as usize].kind.confirms());
        (idx, confirmed)
    };
    let protocols = |names: &[String]| -> Vec<Protocol> {
        names.iter().filter_map(|n| Protocol::parse(n)).collect()
    };
    let text = |s: &Option<String>| s.clone().filter(|t| !t.is_empty());

    let domains = f
        .domains
        .iter()
        .map(|d| {
            let (sources, confirmed) = refs(&d.sources);
            Domains {
                names: d.names.clone(),
                sources,
                confirmed,
            }
        })
        .collect();
    let mx =
        f.mx.iter()
            .map(|d| {
                let (sources, confirmed) = refs(&d.sources);
                MxSuffixes {
                    suffixes: d.suffixes.clone(),
                    sources,
                    confirmed,
                }
            })
            .collect();
    let servers = f
        .servers
        .iter()
        .map(|e| {
            let (sources, confirmed) = refs(&e.sources);
            Endpoint {
                protocol: Protocol::parse(&e.protocol).unwrap_or(Protocol::Imap),
                host: e.host.clone(),
                port: e.port as u16,
                security: Security::parse(&e.security).unwrap_or(Security::Tls),
                username: UsernameForm::from_name(&e.username).unwrap_or(UsernameForm::Unknown),
                username_note: text(&e.username_note),
                variant: e.variant.as_deref().and_then(Variant::from_name),
                domains: e.domains.clone(),
                note: text(&e.note),
                sources,
                confirmed,
            }
        })
        .collect();
    let not_offered = f
        .not_offered
        .iter()
        .filter_map(|n| {
            let (sources, confirmed) = refs(&n.sources);
            Some(NotOffered {
                what: NotOfferedKind::from_name(&n.what)?,
                protocol: n.protocol.as_deref().and_then(Protocol::parse),
                port: n.port.map(|p| p as u16),
                summary: n.summary.clone(),
                sources,
                confirmed,
            })
        })
        .collect();
    let mechanisms = f
        .mechanisms
        .iter()
        .map(|m| {
            let (sources, confirmed) = refs(&m.sources);
            Mechanisms {
                protocols: protocols(&m.protocols),
                names: m
                    .names
                    .iter()
                    .filter_map(|n| Mechanism::from_name(n))
                    .collect(),
                note: text(&m.note),
                sources,
                confirmed,
            }
        })
        .collect();
    let credentials = f
        .credentials
        .iter()
        .map(|c| {
            let (sources, confirmed) = refs(&c.sources);
            let kind = CredentialKind::from_name(&c.kind).unwrap_or(CredentialKind::Unknown);
            Credential {
                kind,
                accepted: c.accepted.filter(|_| kind != CredentialKind::Unknown),
                protocols: protocols(&c.protocols),
                requires: c
                    .requires
                    .iter()
                    .filter_map(|r| Requirement::from_name(r))
                    .collect(),
                how: text(&c.how),
                since: c.since.clone(),
                until: c.until.clone(),
                note: text(&c.note),
                // "Unknown" rests on no source; it is not confirmed by anything.
                confirmed: confirmed && kind != CredentialKind::Unknown,
                sources: if c.sources.is_empty() && kind == CredentialKind::Unknown {
                    Vec::new()
                } else {
                    sources
                },
            }
        })
        .collect();
    let changes = f
        .changes
        .iter()
        .filter_map(|c| {
            let (sources, confirmed) = refs(&c.sources);
            Some(Change {
                date: c.date.clone(),
                status: ChangeStatus::from_name(&c.status)?,
                summary: c.summary.clone(),
                protocols: protocols(&c.protocols),
                sources,
                confirmed,
            })
        })
        .collect();
    let enable = f
        .enable
        .iter()
        .map(|e| {
            let (sources, confirmed) = refs(&e.sources);
            Enable {
                protocols: protocols(&e.protocols),
                steps: e.steps.clone(),
                url: text(&e.url),
                off_by_default: e.default.as_deref() == Some("off"),
                required: e.required != Some(false),
                sources,
                confirmed,
            }
        })
        .collect();
    let statements = |list: &[schema::SummaryFact]| -> Vec<Statement> {
        list.iter()
            .map(|s| {
                let (sources, confirmed) = refs(&s.sources);
                Statement {
                    text: s.summary.clone(),
                    protocols: protocols(&s.protocols),
                    sources,
                    confirmed,
                }
            })
            .collect()
    };
    let plans = statements(&f.plans);
    let client_requirements = statements(&f.client_requirements);
    let no_mail_app_access = statements(&f.no_mail_app_access);
    let bridges = f
        .bridges
        .iter()
        .map(|b| {
            let (sources, confirmed) = refs(&b.sources);
            Bridge {
                name: b.name.clone(),
                summary: b.summary.clone(),
                url: text(&b.url),
                sources,
                confirmed,
            }
        })
        .collect();
    let pop3 = f
        .pop3
        .iter()
        .map(|p| {
            let (sources, confirmed) = refs(&p.sources);
            Pop3Fact {
                summary: p.summary.clone(),
                recent_mode: p.recent_mode,
                server_setting: p.server_setting,
                sources,
                confirmed,
            }
        })
        .collect();
    let notes = f
        .notes
        .iter()
        .map(|n| {
            let (sources, confirmed) = refs(&n.sources);
            Statement {
                text: n.text.clone(),
                protocols: Vec::new(),
                sources,
                confirmed,
            }
        })
        .collect();
    let help = f
        .help
        .iter()
        .map(|h| {
            let (sources, confirmed) = refs(&h.sources);
            Help {
                url: h.url.clone(),
                title: h.title.clone(),
                sources,
                confirmed,
            }
        })
        .collect();
    let mut p = Provider {
        id: f.id,
        name: f.name,
        defined,
        domains,
        mx,
        servers,
        not_offered,
        mechanisms,
        credentials,
        changes,
        enable,
        plans,
        client_requirements,
        bridges,
        no_mail_app_access,
        pop3,
        notes,
        help,
        sources,
        sign_in: Vec::new(),
    };
    p.sign_in = [Protocol::Imap, Protocol::Pop3, Protocol::Smtp]
        .into_iter()
        .filter(|&protocol| p.offers(protocol))
        .map(|protocol| SignIn {
            protocol,
            methods: p.sign_in_methods(protocol),
            note: p.sign_in_note(protocol),
        })
        .collect();
    p
}

/// The id of the source a runtime definition's unsourced facts rest on.
const DEFINITION_ID: &str = "definition";

fn needs_definition_source(f: &ProviderFile) -> bool {
    let unsourced = |s: &[String]| s.is_empty();
    f.domains.iter().any(|x| unsourced(&x.sources))
        || f.mx.iter().any(|x| unsourced(&x.sources))
        || f.servers.iter().any(|x| unsourced(&x.sources))
        || f.not_offered.iter().any(|x| unsourced(&x.sources))
        || f.mechanisms.iter().any(|x| unsourced(&x.sources))
        || f.credentials
            .iter()
            .any(|x| unsourced(&x.sources) && x.kind != "unknown")
        || f.changes.iter().any(|x| unsourced(&x.sources))
        || f.enable.iter().any(|x| unsourced(&x.sources))
        || [&f.plans, &f.client_requirements, &f.no_mail_app_access]
            .iter()
            .any(|l| l.iter().any(|x| unsourced(&x.sources)))
        || f.bridges.iter().any(|x| unsourced(&x.sources))
        || f.pop3.iter().any(|x| unsourced(&x.sources))
        || f.notes.iter().any(|x| unsourced(&x.sources))
        || f.help.iter().any(|x| unsourced(&x.sources))
}

fn source(s: &schema::SourceEntry) -> Source {
    Source {
        id: s.id.clone(),
        kind: SourceKind::from_name(&s.kind).unwrap_or(SourceKind::ThirdParty),
        url: s.url.clone(),
        title: s.title.clone(),
        quote: s.quote.clone(),
        locator: s.locator.clone(),
        as_of: s.as_of.clone().unwrap_or_else(|| "unknown".to_owned()),
        read_on: s.read_on.clone(),
        published: s.published.clone(),
        file: s.file.clone().or_else(|| s.entry.clone()),
        snapshot: s.snapshot.clone(),
    }
}
