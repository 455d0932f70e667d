//! POP3 or IMAP: a recommendation for one person's situation, with its reasons, its caveats, what
//! would change it, and the exact settings to type in.
//!
//! [`advise`] scores the [`Situation`] against the one table of [`WEIGHTS`] (deterministic, no
//! I/O), lets the provider's constraints overrule the preference (iCloud has no POP3; Tuta has
//! neither), and builds the [`Account`] for the person's provider from the provider table. Every
//! account it recommends passes [`crate::validate`] without an error (a test checks every
//! provider).
//!
//! ```
//! use mailsetup::advisor::{advise, parse_situation_json};
//! let s = parse_situation_json(r#"{"devices": 1, "backup": true, "email": "someone@gmail.com"}"#).unwrap();
//! let r = advise(&s);
//! assert_eq!(r.protocol, mailsetup::Protocol::Pop3);
//! assert_eq!(r.settings.unwrap().incoming.host, "pop.gmail.com");
//! ```

mod settings;
mod situation;
mod weights;

pub use situation::{parse_situation, parse_situation_json, Situation};
pub use weights::{score, Input, Scores, Weight, CONFIDENCE_DOUBT, WEIGHTS};

use crate::diagnostic::ProviderRef;
use crate::model::{labels, Account, Protocol};
use crate::providers::{self, Provider};
use serde::Serialize;
use weights::devices_phrase;

/// The advisor's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Recommendation {
    /// `imap` or `pop3`: the protocol to use. When the provider allows no mail app at all
    /// (`constraint.kind` is `no-mail-access`), the one that would fit the situation if it did.
    pub protocol: Protocol,
    /// How sure the answer is, 0–1 (0.5 is a coin toss; 1 when the provider leaves no choice).
    pub confidence: f64,
    /// The points each protocol got from the situation (before provider constraints).
    pub scores: Scores,
    /// Every part of the situation that counted, strongest first.
    pub factors: Vec<Factor>,
    /// What to keep in mind with this answer.
    pub caveats: Vec<Caveat>,
    /// The smallest changes to the situation that would flip the answer.
    pub what_if: Vec<WhatIf>,
    /// The provider's limits, when they overrule or narrow the choice.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub constraint: Option<Constraint>,
    /// The provider the settings are for.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub provider: Option<ProviderRef>,
    /// The account to type into the mail app; absent when the provider is unknown or offers
    /// no access by mail app.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub settings: Option<Account>,
    /// Without a known provider: the settings to fill in — the recommended protocol with
    /// implicit TLS on its standard port, SMTP likewise, the POP3 options for this situation,
    /// and empty host names (the provider's help names them).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub template: Option<Account>,
    /// What to do besides typing in the settings, in order (switch on POP, create an app
    /// password, …).
    pub steps: Vec<Step>,
}

impl Recommendation {
    /// The strongest factors in favour of the recommended protocol.
    pub fn reasons(&self) -> impl Iterator<Item = &Factor> {
        self.factors
            .iter()
            .filter(move |f| f.favours == self.protocol)
    }

    /// The factors that pulled the other way.
    pub fn counterpoints(&self) -> impl Iterator<Item = &Factor> {
        self.factors
            .iter()
            .filter(move |f| f.favours != self.protocol)
    }

    /// Whether a caveat with this id is present.
    pub fn has_caveat(&self, id: &str) -> bool {
        self.caveats.iter().any(|c| c.id == id)
    }
}

/// One part of the situation that counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Factor {
    /// The situation's field (`devices`, `backup`, …; `baseline` for the default).
    pub input: Input,
    /// The protocol it speaks for.
    pub favours: Protocol,
    /// The points it adds to that protocol.
    pub weight: u32,
    /// The trade-off, in one plain sentence.
    pub reason: &'static str,
}

/// Something to keep in mind; `id` is stable (kebab-case) for programs, `text` is for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
pub struct Caveat {
    /// Stable identifier (`imap-offline`).
    pub id: &'static str,
    /// The caveat, in plain words.
    pub text: String,
}

/// A change to the situation that would flip the answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
pub struct WhatIf {
    /// The changed fields only (merge them into the situation to see the other answer).
    pub set: Situation,
    /// The answer after the change.
    pub protocol: Protocol,
    /// "With one device only, POP3 would fit."
    pub sentence: String,
}

/// How a provider narrows the choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ConstraintKind {
    /// No POP3: IMAP is the only choice (iCloud).
    NoPop3,
    /// No IMAP: POP3 is the only choice.
    NoImap,
    /// Neither: no mail app can read the mailbox directly (Tuta).
    NoMailAccess,
    /// No source names a POP3 server (and none says there is none): the settings use IMAP.
    Pop3NotDocumented,
    /// No source names an IMAP server (and none says there is none): the settings use POP3.
    ImapNotDocumented,
    /// No source names any server, and none says mail apps cannot connect.
    NothingDocumented,
}

/// The provider's limits and what they mean for this person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
pub struct Constraint {
    /// What the provider limits.
    pub kind: ConstraintKind,
    /// What the situation alone would favour.
    pub preferred: Protocol,
    /// The reason, in plain words.
    pub message: String,
}

/// What kind of thing a step asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum StepKind {
    /// A switch to turn on in the provider's web interface.
    Enable,
    /// How to sign in (app password, OAuth2).
    SignIn,
    /// A setting on the provider's side (Gmail's keep/archive/delete for POP).
    ServerSetting,
    /// What to type as the username.
    Username,
    /// Anything else the provider requires.
    Note,
    /// A paid-plan or sending limit.
    Plan,
    /// A local bridge to install and run (Proton Mail Bridge).
    Bridge,
    /// The provider's own instructions.
    Help,
}

/// One thing to do besides typing in the settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
pub struct Step {
    /// What kind of thing it asks for.
    pub kind: StepKind,
    /// What to do, in plain words.
    pub text: String,
    /// Where to do it (the provider's page), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub url: Option<String>,
    /// Where the fact comes from: "per QQ Mail's own page (…, read 2026-12-02)", or "per …;
    /// unconfirmed by QQ Mail".
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm-types", tsify(optional))]
    pub source: Option<String>,
}

/// The recommendation for a situation. Deterministic, never fails: any [`Situation`] gets an
/// answer (a provider id that is not in the table counts as an unknown provider, with a caveat;
/// [`parse_situation`] refuses it up front).
pub fn advise(s: &Situation) -> Recommendation {
    let (scores, rows) = score(s);
    let preferred = scores.winner();
    let (provider, mut caveats) = resolve_provider(s);

    let (protocol, constraint) = match provider {
        Some(p) => constrain(p, preferred),
        None => (preferred, None),
    };
    let forced = constraint
        .as_ref()
        .is_some_and(|c| c.kind != ConstraintKind::NoMailAccess);
    let confidence = if forced { 1.0 } else { scores.confidence() };

    let mut factors: Vec<Factor> = rows
        .iter()
        .map(|w| Factor {
            input: w.input,
            favours: w.favours,
            weight: w.weight,
            reason: w.reason,
        })
        .collect();
    // Strongest first; equal weights keep table order (the sort is stable).
    factors.sort_by_key(|f| std::cmp::Reverse(f.weight));

    let what_if = if constraint.is_none() {
        what_ifs(s, preferred)
    } else {
        Vec::new()
    };

    let built = provider.and_then(|p| settings::build(p, protocol, s));
    let template = match provider {
        None => Some(settings::template(protocol, s)),
        Some(_) => None,
    };
    // Advice about using a protocol is moot where no mail app can connect at all.
    if !constraint.as_ref().is_some_and(|c| {
        matches!(
            c.kind,
            ConstraintKind::NoMailAccess | ConstraintKind::NothingDocumented
        )
    }) {
        caveats.extend(situation_caveats(
            s,
            protocol,
            built.as_ref().map(|b| &b.account).or(template.as_ref()),
        ));
    }
    if let Some(c) = built
        .as_ref()
        .and_then(|b| unencrypted_caveat(provider, &b.account))
    {
        caveats.push(c);
    }
    let (settings, steps) = match built {
        Some(b) => (Some(b.account), b.steps),
        None => (
            None,
            provider
                .map(settings::steps_without_access)
                .unwrap_or_default(),
        ),
    };

    Recommendation {
        protocol,
        confidence,
        scores,
        factors,
        caveats,
        what_if,
        constraint,
        provider: provider.map(Into::into),
        settings,
        template,
        steps,
    }
}

/// The provider: the one whose domain the address is on; otherwise the one given by id (an own
/// domain hosted by a big provider). An id that contradicts the address is overruled, because an
/// address on a provider's own domain can only be served by that provider.
fn resolve_provider(s: &Situation) -> (Option<&'static Provider>, Vec<Caveat>) {
    let mut caveats = Vec::new();
    let by_email = s.email.as_deref().and_then(providers::by_email);
    let by_id = match s.provider.as_deref().map(str::trim) {
        Some(id) if !id.is_empty() => {
            let found = providers::by_id(&id.to_ascii_lowercase());
            if found.is_none() {
                caveats.push(Caveat {
                    id: "unknown-provider-id",
                    text: format!(
                        "There is no provider {} in the provider table, so it is ignored.",
                        crate::text::Quoted(id)
                    ),
                });
            }
            found
        }
        _ => None,
    };
    let provider = match (by_email, by_id) {
        (Some(e), Some(i)) if e.id != i.id => {
            caveats.push(Caveat {
                id: "provider-mismatch",
                text: format!(
                    "{} is an address at {}, so these are {}'s settings, not {}'s.",
                    s.email.as_deref().unwrap_or_default().trim(),
                    e.name,
                    e.name,
                    i.name
                ),
            });
            Some(e)
        }
        (e, i) => e.or(i),
    };
    if provider.is_none() {
        let text = match s.email.as_deref() {
            Some(e) => format!(
                "{} is not in the provider table, so its server names are unknown here: your provider's help pages name them. The template below has implicit TLS (\"SSL/TLS\") on the standard ports: IMAP on port 993, POP3 on 995, SMTP on 465 (or 587 with STARTTLS).",
                crate::model::email::domain_of(e).to_ascii_lowercase()
            ),
            None => "Give your email address (or your provider) to get the exact settings to type in; the template below has the standard ports and security, with the host names to fill in.".to_owned(),
        };
        caveats.push(Caveat {
            id: "unknown-provider",
            text,
        });
    }
    (provider, caveats)
}

/// The provider's limits: the protocol to use and, when the provider narrows the choice, why.
/// "Has no POP3" only where a source says so; where no source names a server for a protocol,
/// the settings use the documented one and say that the other is not documented.
fn constrain(p: &Provider, preferred: Protocol) -> (Protocol, Option<Constraint>) {
    let (imap, pop3) = (p.offers(Protocol::Imap), p.offers(Protocol::Pop3));
    let name = &p.name;
    let leaning = |missing: Protocol| {
        if preferred == missing {
            format!(
                " Your situation leans towards {}; the caveats below say how to get the most of it with {}.",
                labels::protocol(missing),
                labels::protocol(other(missing))
            )
        } else {
            String::new()
        }
    };
    let per = |f: &crate::providers::NotOffered| format!(" ({})", p.attribution(f));
    let missing = |lacking: Protocol, kind_no, kind_undocumented| {
        let (kind, message) = match p.protocol_not_offered(lacking) {
            Some(f) => (
                kind_no,
                format!(
                    "{name} has no {}{}, so {} is the only way to read it in a mail app.{}",
                    labels::protocol(lacking),
                    per(f),
                    labels::protocol(other(lacking)),
                    leaning(lacking)
                ),
            ),
            None => (
                kind_undocumented,
                format!(
                    "No source here names a {} server of {name} (none says it has none either), so these settings use {}; {name}'s own help may name one.{}",
                    labels::protocol(lacking),
                    labels::protocol(other(lacking)),
                    leaning(lacking)
                ),
            ),
        };
        Constraint {
            kind,
            preferred,
            message,
        }
    };
    match (imap, pop3) {
        (true, true) => (preferred, None),
        (true, false) => (
            Protocol::Imap,
            Some(missing(
                Protocol::Pop3,
                ConstraintKind::NoPop3,
                ConstraintKind::Pop3NotDocumented,
            )),
        ),
        (false, true) => (
            Protocol::Pop3,
            Some(missing(
                Protocol::Imap,
                ConstraintKind::NoImap,
                ConstraintKind::ImapNotDocumented,
            )),
        ),
        (false, false) => {
            let explicit = p.no_access_note().is_some();
            let (kind, message) = if explicit {
                (
                    ConstraintKind::NoMailAccess,
                    format!(
                        "{name} offers neither IMAP nor POP3 to mail apps, so no ordinary mail app can read it directly: use {name}'s own apps or web page{}.",
                        if p.bridges.is_empty() { "" } else { ", or its bridge" }
                    ),
                )
            } else {
                (
                    ConstraintKind::NothingDocumented,
                    format!(
                        "No source here names an IMAP or POP3 server of {name}; its own help may."
                    ),
                )
            };
            (
                preferred,
                Some(Constraint {
                    kind,
                    preferred,
                    message,
                }),
            )
        }
    }
}

/// A caveat when the provider documents only unencrypted servers for what the settings use: the
/// settings are what it documents, and the password travels readable (RFC 8314 asks for TLS).
fn unencrypted_caveat(provider: Option<&Provider>, account: &Account) -> Option<Caveat> {
    let p = provider?;
    let plain: Vec<&str> = std::iter::once(&account.incoming)
        .chain(account.outgoing.as_ref())
        .filter(|s| !s.security.is_encrypted())
        .map(|s| labels::protocol(s.protocol))
        .collect();
    if plain.is_empty() {
        return None;
    }
    Some(Caveat {
        id: "unencrypted-only",
        text: format!(
            "{} documents only unencrypted servers for {}: with these settings your password and your mail travel readable by anyone on the network. Ask {} for an encrypted (SSL/TLS) server; until then, use these only on a network you trust.",
            p.name,
            plain.join(" and "),
            p.name
        ),
    })
}

/// The other protocol for reading mail.
fn other(p: Protocol) -> Protocol {
    if p == Protocol::Pop3 {
        Protocol::Imap
    } else {
        Protocol::Pop3
    }
}

/// Caveats that follow from the situation and the chosen protocol.
fn situation_caveats(s: &Situation, protocol: Protocol, account: Option<&Account>) -> Vec<Caveat> {
    let mut out = Vec::new();
    let mut add = |id: &'static str, text: String| out.push(Caveat { id, text });
    let devices = s.device_count();
    if devices.is_none() {
        add(
            "devices-unknown",
            "You did not say how many devices read this mailbox, and that matters most: with one, POP3 can fit; with two or more, IMAP does.".to_owned(),
        );
    }
    if protocol == Protocol::Pop3 {
        let mut others = Vec::new();
        if devices.is_some_and(|n| n > 1) {
            others.push("your other devices");
        }
        if s.webmail() {
            others.push("webmail");
        }
        if s.shared() {
            others.push("the other people reading this mailbox");
        }
        if !others.is_empty() {
            let who = join_and(&others);
            add(
                "pop3-leave-copy",
                format!(
                    "POP3 downloads mail to one device. Leave a copy on the server ({}) so that {who} still see it; without that copy, mail a device has downloaded vanishes from {who}.",
                    if account.and_then(|a| a.pop3).is_some_and(|o| o.leave_on_server) {
                        "the settings below do"
                    } else {
                        "set this in the mail app"
                    }
                ),
            );
        }
        if s.several_clients() {
            add(
                "pop3-no-sync",
                "POP3 shares nothing between devices: read marks, replies, folders, deletions and sent mail stay on the device where they happened.".to_owned(),
            );
        }
        if s.folders() {
            add(
                "pop3-inbox-only",
                "POP3 fetches only the inbox: folders you make exist on this device alone, and mail the server files into other folders (filters, webmail) is never downloaded.".to_owned(),
            );
        }
        // The plan for the server's copy: the account's, or what it would be.
        let plan = account
            .and_then(|a| a.pop3)
            .unwrap_or_else(|| settings::pop3_options(s));
        let removed_after = if plan.leave_on_server {
            plan.delete_after_days.map(|d| format!("after {d} days"))
        } else {
            Some("once it is downloaded".to_owned())
        };
        if let Some(when) = removed_after {
            add(
                "pop3-only-copy",
                format!(
                    "The server deletes its copy {when}; from then on the copy on this device is the only one, so {}.",
                    if s.backup() {
                        "make sure your backups include the mail app's folder"
                    } else {
                        "back this device up"
                    }
                ),
            );
        }
    } else {
        add(
            "imap-mirrors",
            "IMAP mirrors the server: reading, flagging, moving or deleting a message on one device does the same on every device and in webmail, and drafts and sent mail appear everywhere. Deleting mail on a phone to save space deletes it for good.".to_owned(),
        );
        if s.backup() {
            add(
                "imap-no-backup",
                "With IMAP the server holds the one copy, and that is not a backup: a deletion anywhere deletes it everywhere. For a local archive, set the app to keep every message on this computer (Thunderbird: Account Settings → Synchronization & Storage) and back the computer up.".to_owned(),
            );
        }
        if s.offline() {
            add(
                "imap-offline",
                "Set the app to keep all messages for offline use: many IMAP apps fetch a message only when you open it.".to_owned(),
            );
        }
        if s.slow() {
            add(
                "imap-slow",
                "On a slow or metered link, have the app check for mail less often and download large messages only when you open them.".to_owned(),
            );
        }
        if s.low_storage() {
            add(
                "imap-quota",
                "IMAP keeps everything on the server: empty Trash and Junk regularly and move old mail to local folders to stay under the quota.".to_owned(),
            );
        }
        if s.keep_nothing_on_server() {
            add(
                "imap-keeps-mail",
                "IMAP keeps mail on the server; to take messages off it, move them to the app's local folders.".to_owned(),
            );
        }
    }
    out
}

fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// One change to a situation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Devices(u32),
    Flag(Input, bool),
}

impl Change {
    fn apply(self, s: &mut Situation) {
        match self {
            Change::Devices(n) => s.devices = Some(n),
            Change::Flag(input, on) => input.set_flag(s, on),
        }
    }

    fn phrase(self) -> String {
        match self {
            Change::Devices(n) => devices_phrase(n),
            Change::Flag(input, on) => input.phrase(on).to_owned(),
        }
    }
}

/// How many what-ifs of two changes to give at most.
const MAX_PAIR_WHAT_IFS: usize = 3;

/// The smallest changes that flip the answer: every single change that does (for the device
/// count, the nearest count that does); when none does, up to three pairs of changes.
fn what_ifs(s: &Situation, current: Protocol) -> Vec<WhatIf> {
    // Device counts to try, nearest first (1–5: beyond five, counts weigh the same).
    let mut device_options: Vec<(u32, u32)> = (1..=5)
        .filter(|&n| s.device_count() != Some(n))
        .map(|n| (s.device_count().map_or(0, |d| d.abs_diff(n)), n))
        .collect();
    device_options.sort();
    let flag_options: Vec<Change> = Input::FLAGS
        .iter()
        .map(|&i| Change::Flag(i, !i.flag(s)))
        .collect();

    let flips = |changes: &[Change]| {
        let mut t = s.clone();
        for c in changes {
            c.apply(&mut t);
        }
        score(&t).0.winner() != current
    };

    let mut singles: Vec<Vec<Change>> = Vec::new();
    if let Some(&(_, n)) = device_options
        .iter()
        .find(|(_, n)| flips(&[Change::Devices(*n)]))
    {
        singles.push(vec![Change::Devices(n)]);
    }
    singles.extend(
        flag_options
            .iter()
            .filter(|c| flips(&[**c]))
            .map(|c| vec![*c]),
    );

    let chosen = if singles.is_empty() {
        let mut pairs: Vec<(u32, Vec<Change>)> = Vec::new();
        for (i, a) in flag_options.iter().enumerate() {
            for b in &flag_options[i + 1..] {
                pairs.push((0, vec![*a, *b]));
            }
        }
        for &(dist, n) in &device_options {
            for f in &flag_options {
                pairs.push((dist, vec![Change::Devices(n), *f]));
            }
        }
        // Stable: equal distances keep the order above (flags in table order).
        pairs.sort_by_key(|p| p.0);
        pairs
            .into_iter()
            .filter(|(_, c)| flips(c))
            .take(MAX_PAIR_WHAT_IFS)
            .map(|(_, c)| c)
            .collect()
    } else {
        singles
    };

    let flipped = other(current);
    chosen
        .into_iter()
        .map(|changes| {
            let mut set = Situation::default();
            for c in &changes {
                c.apply(&mut set);
            }
            // "With one device only and a local archive wanted": "with" is said once.
            let clauses: Vec<String> = changes
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let p = c.phrase();
                    match p.strip_prefix("with ") {
                        Some(rest) if i > 0 => rest.to_owned(),
                        _ => p,
                    }
                })
                .collect();
            let mut sentence = format!(
                "{}, {} would fit.",
                clauses.join(" and "),
                labels::protocol(flipped)
            );
            if let Some(first) = sentence.get(..1) {
                let upper = first.to_ascii_uppercase();
                sentence.replace_range(..1, &upper);
            }
            WhatIf {
                set,
                protocol: flipped,
                sentence,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sit(json: &str) -> Situation {
        parse_situation_json(json).unwrap()
    }

    #[test]
    fn seed_truths() {
        let r = advise(&sit(r#"{"devices":1,"backup":true}"#));
        assert_eq!(r.protocol, Protocol::Pop3);
        let r = advise(&sit(r#"{"devices":3}"#));
        assert_eq!(r.protocol, Protocol::Imap);
        assert!(r.has_caveat("imap-mirrors"));
        assert_eq!(advise(&sit(r#"{"slow":true}"#)).protocol, Protocol::Pop3);
        assert_eq!(
            advise(&sit(r#"{"lowStorage":true}"#)).protocol,
            Protocol::Pop3
        );
    }

    #[test]
    fn what_ifs_really_flip() {
        let s = sit(r#"{"devices":1,"backup":true}"#);
        let r = advise(&s);
        assert!(!r.what_if.is_empty());
        assert_eq!(r.what_if[0].sentence, "With 2 devices, IMAP would fit.");
        assert!(r
            .what_if
            .iter()
            .any(|w| w.sentence == "Without the need for a local archive, IMAP would fit."));
        // No single change flips three devices; pairs are offered.
        let r = advise(&sit(r#"{"devices":3}"#));
        assert!(!r.what_if.is_empty() && r.what_if.len() <= MAX_PAIR_WHAT_IFS);
        for w in &r.what_if {
            assert_eq!(w.protocol, Protocol::Pop3);
            assert!(
                w.sentence.starts_with("With one device only and "),
                "{}",
                w.sentence
            );
            assert!(!w.sentence.contains(" and with "), "{}", w.sentence);
        }
    }

    /// A provider given at run time (its JSON), for the limits a provider can set.
    fn fake(json: &str) -> Provider {
        Provider::from_json(json).unwrap()
    }

    #[test]
    fn provider_limits_win() {
        let none = fake(
            r#"{"id":"fake","name":"Fake Mail","domains":[{"names":["fake.example"]}],
                "no_mail_app_access":[{"summary":"Use the Fake apps."}]}"#,
        );
        let (p, c) = constrain(&none, Protocol::Imap);
        let c = c.unwrap();
        assert_eq!((p, c.kind), (Protocol::Imap, ConstraintKind::NoMailAccess));
        assert!(
            c.message.contains("Fake Mail offers neither IMAP nor POP3"),
            "{}",
            c.message
        );
        let s = Situation::default();
        assert!(settings::build(&none, Protocol::Imap, &s).is_none());

        let pop_only = r#"{"id":"fake","name":"Fake Mail","domains":[{"names":["fake.example"]}],
            "servers":[{"protocol":"pop3","host":"pop.fake.example","port":995,"security":"tls","username":"email-address"}]"#;
        let said = fake(&format!(
            r#"{pop_only},"not_offered":[{{"what":"protocol","protocol":"imap","summary":"No IMAP."}}]}}"#
        ));
        let (p, c) = constrain(&said, Protocol::Imap);
        let c = c.unwrap();
        assert_eq!(
            (p, c.kind, c.preferred),
            (Protocol::Pop3, ConstraintKind::NoImap, Protocol::Imap)
        );
        assert!(
            c.message.contains("no IMAP") && c.message.contains("leans towards IMAP"),
            "{}",
            c.message
        );
        let (p, c) = constrain(&said, Protocol::Pop3);
        assert_eq!(p, Protocol::Pop3);
        assert!(!c.unwrap().message.contains("leans"));
        // No source says there is no IMAP: not documented, not "has no IMAP".
        let silent = fake(&format!("{pop_only}}}"));
        let (p, c) = constrain(&silent, Protocol::Imap);
        let c = c.unwrap();
        assert_eq!(
            (p, c.kind),
            (Protocol::Pop3, ConstraintKind::ImapNotDocumented)
        );
        assert!(!c.message.contains("has no IMAP"), "{}", c.message);
    }

    #[test]
    fn join() {
        assert_eq!(join_and(&["a"]), "a");
        assert_eq!(join_and(&["a", "b"]), "a and b");
        assert_eq!(join_and(&["a", "b", "c"]), "a, b and c");
    }
}
