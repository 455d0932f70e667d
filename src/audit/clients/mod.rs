//! One simulation per client: the steps it takes for an address, in its own order, each citing
//! the client's source or documentation; the settings it ends with; what a person must confirm;
//! and, from the probes, whether those settings work and are safe. Pure functions of the facts.

pub mod android;
pub mod apple;
pub mod deltachat;
pub mod outlook;
pub mod thunderbird;

use super::check::{self, CheckStatus, ServerCheck};
use super::facts::{server_label, Facts};
use crate::model::Server;
use serde::Serialize;

/// The clients simulated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Client {
    /// Thunderbird desktop.
    Thunderbird,
    /// Thunderbird for Android (formerly K-9 Mail).
    ThunderbirdAndroid,
    /// Outlook for Windows ("classic", Microsoft 365 Apps).
    Outlook,
    /// The new Outlook for Windows.
    NewOutlook,
    /// Apple Mail on macOS and iOS.
    AppleMail,
    /// Delta Chat (chatmail core).
    DeltaChat,
}

impl Client {
    /// Every client, in the matrix's order.
    pub const ALL: &'static [Client] = &[
        Client::Thunderbird,
        Client::ThunderbirdAndroid,
        Client::Outlook,
        Client::NewOutlook,
        Client::AppleMail,
        Client::DeltaChat,
    ];

    /// The client's documentation: its name and the sources the simulation follows.
    pub fn doc(self) -> &'static ClientDoc {
        match self {
            Client::Thunderbird => &thunderbird::DOC,
            Client::ThunderbirdAndroid => &android::DOC,
            Client::Outlook => &outlook::DOC,
            Client::NewOutlook => &outlook::NEW_DOC,
            Client::AppleMail => &apple::DOC,
            Client::DeltaChat => &deltachat::DOC,
        }
    }
}

/// A source a simulation rests on.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Cite {
    /// A short key the steps refer to (`FetchConfig.sys.mjs`).
    pub key: &'static str,
    /// Where: a repository path at a commit, or a documentation URL.
    pub source: &'static str,
    /// What it is and how it was read (a source file at a commit; a vendor's page read through
    /// a stored copy whose date was not recorded).
    pub kind: &'static str,
}

/// A client's documentation.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientDoc {
    /// The client's name.
    pub name: &'static str,
    /// Its behaviour in short, as the simulation follows it.
    pub behaviour: &'static str,
    /// The sources.
    pub sources: &'static [Cite],
}

/// The matrix cell: how setting up an address at the domain goes in one client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Found automatically; the probe says the servers work, with TLS and a certificate for
    /// the host.
    Works,
    /// Found, but not probed (`--no-probe`, or no address): whether it works is not known.
    Unverified,
    /// The client does not document how it finds settings for such a domain.
    NotDocumented,
    /// Works only once a person confirms something (an untrusted configuration, a certificate
    /// for another name, a redirect to another domain, a cleartext connection).
    Confirm,
    /// The client finds nothing: the person types the settings.
    Manual,
    /// The client ends with settings that send the password in cleartext.
    Unsafe,
    /// The client ends with settings that do not work, or gives up.
    Fails,
}

impl Outcome {
    /// The word in the matrix.
    pub fn word(self) -> &'static str {
        match self {
            Outcome::Works => "works",
            Outcome::Unverified => "found (not probed)",
            Outcome::NotDocumented => "not documented",
            Outcome::Confirm => "needs confirmation",
            Outcome::Manual => "typed by hand",
            Outcome::Unsafe => "unsafe",
            Outcome::Fails => "fails",
        }
    }
}

/// A server a client ends with, and what the probe says about it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Configured {
    /// The server as the client sets it up.
    pub server: Server,
    /// The probe's judgement.
    pub check: ServerCheck,
}

/// One step of a client's path.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// What the client tries (`GET https://autoconfig.example.org/…`, `guess imap.example.org`).
    pub what: String,
    /// What happens, and what the client does about it.
    pub result: String,
    /// The key of the [`Cite`] this step follows.
    pub cite: &'static str,
}

/// How setting up an address at the domain goes in one client.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientResult {
    /// The client.
    pub client: Client,
    /// Its name.
    pub name: &'static str,
    /// The matrix cell.
    pub outcome: Outcome,
    /// The outcome in one sentence.
    pub headline: String,
    /// Where the settings come from (source and URL), when the client found any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found_by: Option<String>,
    /// The incoming server it ends with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incoming: Option<Configured>,
    /// The outgoing server it ends with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outgoing: Option<Configured>,
    /// What a person must confirm, in order.
    pub confirm: Vec<String>,
    /// Why it fails or is unsafe.
    pub problems: Vec<String>,
    /// The path through the client's sources.
    pub steps: Vec<Step>,
    /// Notes: what the simulation cannot see, and what the client does not document.
    pub notes: Vec<String>,
}

/// A simulation in progress.
pub(crate) struct Sim<'f, 'a> {
    pub facts: &'f Facts<'a>,
    pub client: Client,
    pub steps: Vec<Step>,
    pub confirm: Vec<String>,
    pub problems: Vec<String>,
    pub notes: Vec<String>,
    pub found_by: Option<String>,
}

/// How a client treats a certificate that does not verify for the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CertificatePolicy {
    /// It asks the person whether to accept the certificate anyway.
    Ask,
    /// It refuses the server.
    Refuse,
}

impl<'f, 'a> Sim<'f, 'a> {
    pub fn new(facts: &'f Facts<'a>, client: Client) -> Self {
        Sim {
            facts,
            client,
            steps: Vec::new(),
            confirm: Vec::new(),
            problems: Vec::new(),
            notes: Vec::new(),
            found_by: None,
        }
    }

    pub fn step(&mut self, what: impl Into<String>, result: impl Into<String>, cite: &'static str) {
        self.steps.push(Step {
            what: what.into(),
            result: result.into(),
            cite,
        });
    }

    /// Finishes with the servers the client ends with (`None`: it found none).
    /// `manual`: finding nothing means the person types the settings (else the client fails).
    pub fn finish(
        mut self,
        incoming: Option<Server>,
        outgoing: Option<Server>,
        certificates: CertificatePolicy,
        manual: bool,
    ) -> ClientResult {
        let doc = self.client.doc();
        let configured = |s: Option<Server>| {
            s.map(|server| Configured {
                check: check::check(self.facts, &server),
                server,
            })
        };
        let incoming = configured(incoming);
        let outgoing = configured(outgoing);
        let mut statuses = Vec::new();
        for c in incoming.iter().chain(&outgoing) {
            statuses.push(c.check.status);
            match c.check.status {
                CheckStatus::Ok | CheckStatus::NotProbed => {}
                CheckStatus::Certificate if certificates == CertificatePolicy::Ask => {
                    self.confirm.push(format!(
                        "accept the certificate of {} although {}",
                        server_label(&c.server),
                        c.check
                            .summary
                            .split_once(", but ")
                            .map_or(c.check.summary.as_str(), |(_, w)| w)
                    ));
                }
                _ => self.problems.push(c.check.summary.clone()),
            }
        }
        let worst = statuses.iter().copied().max();
        let outcome = match (&incoming, worst) {
            (None, _) if manual => Outcome::Manual,
            (None, _) => Outcome::Fails,
            (_, Some(CheckStatus::Fails)) => Outcome::Fails,
            (_, Some(CheckStatus::Certificate)) if certificates == CertificatePolicy::Refuse => {
                Outcome::Fails
            }
            (_, Some(CheckStatus::Cleartext)) => Outcome::Unsafe,
            _ if !self.confirm.is_empty() => Outcome::Confirm,
            (_, Some(CheckStatus::NotProbed)) => Outcome::Unverified,
            _ if outgoing.is_none() => Outcome::Manual,
            _ => Outcome::Works,
        };
        let headline = headline(doc.name, outcome, &incoming, &outgoing, &self);
        ClientResult {
            client: self.client,
            name: doc.name,
            outcome,
            headline,
            found_by: self.found_by,
            incoming,
            outgoing,
            confirm: self.confirm,
            problems: self.problems,
            steps: self.steps,
            notes: self.notes,
        }
    }
}

fn headline(
    name: &str,
    outcome: Outcome,
    incoming: &Option<Configured>,
    outgoing: &Option<Configured>,
    sim: &Sim,
) -> String {
    let servers = match (incoming, outgoing) {
        (Some(i), Some(o)) => format!(
            "{} and {}",
            server_label(&i.server),
            server_label(&o.server)
        ),
        (Some(i), None) => format!("{} (no outgoing server)", server_label(&i.server)),
        _ => String::new(),
    };
    let from = sim
        .found_by
        .as_deref()
        .map(|f| format!(" from {f}"))
        .unwrap_or_default();
    match outcome {
        Outcome::Works => format!("{name} sets up {servers}{from}; the probe says they work"),
        Outcome::Unverified => format!("{name} sets up {servers}{from} (not probed)"),
        Outcome::NotDocumented => format!("{name} does not document how it finds the settings"),
        Outcome::Confirm => format!(
            "{name} sets up {servers}{from} once a person confirms: {}",
            sim.confirm.join("; ")
        ),
        Outcome::Manual if incoming.is_some() && outgoing.is_none() => {
            format!("{name} finds only {servers}{from}: the person types the outgoing server")
        }
        Outcome::Manual => format!("{name} finds no settings: the person types them"),
        Outcome::Unsafe => format!(
            "{name} sets up {servers}{from}, but {}",
            sim.problems.join("; ")
        ),
        Outcome::Fails if incoming.is_none() => {
            format!("{name} finds no working settings and gives up")
        }
        Outcome::Fails => format!(
            "{name} sets up {servers}{from}, which fails: {}",
            sim.problems.join("; ")
        ),
    }
}

/// Runs one client's simulation. `published`: the best settings the domain publishes (what a
/// person would be told to type).
pub fn simulate(
    client: Client,
    facts: &Facts,
    published: Option<&crate::model::Account>,
) -> ClientResult {
    match client {
        Client::Thunderbird => thunderbird::simulate(facts),
        Client::ThunderbirdAndroid => android::simulate(facts),
        Client::Outlook => outlook::simulate(facts),
        Client::NewOutlook => outlook::simulate_new(facts),
        Client::AppleMail => apple::simulate(facts, published),
        Client::DeltaChat => deltachat::simulate(facts),
    }
}
