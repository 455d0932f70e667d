//! The one table of weights behind every recommendation.
//!
//! Each row says: when this part of the situation holds, add `weight` points to the protocol it
//! favours, for the reason given. The protocol with more points wins; a tie goes to IMAP, the
//! choice that loses nothing when a device breaks. The numbers are judgement, made consistent by
//! the tests: the seed truths (one computer with a local backup → POP3; several devices → IMAP;
//! a slow link or a tight quota → POP3) and the monotonicity properties (another device never
//! moves the answer towards POP3; a backup or a slow link never towards IMAP).

use super::Situation;
use crate::model::Protocol;
use crate::model::Protocol::{Imap, Pop3};
use serde::Serialize;

/// The part of a [`Situation`] a weight (and a factor) depends on. Serialized as the
/// situation's field name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum Input {
    /// Always counts: what holds when nothing else is said.
    Baseline,
    /// How many devices read the mail.
    Devices,
    /// Web mail is used too.
    Webmail,
    /// The whole history is needed offline.
    Offline,
    /// A local archive is wanted.
    Backup,
    /// The mailbox on the server is small.
    LowStorage,
    /// The connection is slow or metered.
    Slow,
    /// Folders or labels should match everywhere.
    Folders,
    /// Several people share the mailbox.
    Shared,
    /// Nothing should stay on the server.
    KeepNothingOnServer,
}

impl Input {
    /// Every input, in table order.
    pub const ALL: &'static [Input] = &[
        Input::Baseline,
        Input::Devices,
        Input::Webmail,
        Input::Offline,
        Input::Backup,
        Input::LowStorage,
        Input::Slow,
        Input::Folders,
        Input::Shared,
        Input::KeepNothingOnServer,
    ];

    /// The situation's field name (`lowStorage`), as JSON spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Input::Baseline => "baseline",
            Input::Devices => "devices",
            Input::Webmail => "webmail",
            Input::Offline => "offline",
            Input::Backup => "backup",
            Input::LowStorage => "lowStorage",
            Input::Slow => "slow",
            Input::Folders => "folders",
            Input::Shared => "shared",
            Input::KeepNothingOnServer => "keepNothingOnServer",
        }
    }

    /// The yes/no inputs, with their accessor in [`Situation`].
    pub(crate) const FLAGS: &'static [Input] = &[
        Input::Webmail,
        Input::Offline,
        Input::Backup,
        Input::LowStorage,
        Input::Slow,
        Input::Folders,
        Input::Shared,
        Input::KeepNothingOnServer,
    ];

    /// The value of a yes/no input (`false` for `baseline` and `devices`).
    pub(crate) fn flag(self, s: &Situation) -> bool {
        match self {
            Input::Webmail => s.webmail(),
            Input::Offline => s.offline(),
            Input::Backup => s.backup(),
            Input::LowStorage => s.low_storage(),
            Input::Slow => s.slow(),
            Input::Folders => s.folders(),
            Input::Shared => s.shared(),
            Input::KeepNothingOnServer => s.keep_nothing_on_server(),
            Input::Baseline | Input::Devices => false,
        }
    }

    /// Sets a yes/no input (no effect on `baseline` and `devices`).
    pub(crate) fn set_flag(self, s: &mut Situation, on: bool) {
        let slot = match self {
            Input::Webmail => &mut s.webmail,
            Input::Offline => &mut s.offline,
            Input::Backup => &mut s.backup,
            Input::LowStorage => &mut s.low_storage,
            Input::Slow => &mut s.slow,
            Input::Folders => &mut s.folders,
            Input::Shared => &mut s.shared,
            Input::KeepNothingOnServer => &mut s.keep_nothing_on_server,
            Input::Baseline | Input::Devices => return,
        };
        *slot = Some(on);
    }

    /// How a change of this input reads in a what-if ("with a local archive wanted"); `on` is
    /// the new value. Not used for `devices` (see [`devices_phrase`]) and `baseline`.
    pub(crate) const fn phrase(self, on: bool) -> &'static str {
        match (self, on) {
            (Input::Webmail, true) => "with webmail used as well",
            (Input::Webmail, false) => "without webmail",
            (Input::Offline, true) => "with the full history needed offline",
            (Input::Offline, false) => "without the need to read old mail offline",
            (Input::Backup, true) => "with a local archive wanted",
            (Input::Backup, false) => "without the need for a local archive",
            (Input::LowStorage, true) => "with a tight server quota",
            (Input::LowStorage, false) => "with room enough on the server",
            (Input::Slow, true) => "with a slow or metered connection",
            (Input::Slow, false) => "with a fast, reliable connection",
            (Input::Folders, true) => "with folders that must match everywhere",
            (Input::Folders, false) => "without folders that must match everywhere",
            (Input::Shared, true) => "with other people reading this mailbox",
            (Input::Shared, false) => "with nobody else reading this mailbox",
            (Input::KeepNothingOnServer, true) => "with mail taken off the server",
            (Input::KeepNothingOnServer, false) => "with mail allowed to stay on the server",
            (Input::Baseline | Input::Devices, _) => "",
        }
    }
}

/// "with one device only", "with 3 devices".
pub(crate) fn devices_phrase(n: u32) -> String {
    if n == 1 {
        "with one device only".to_owned()
    } else {
        format!("with {n} devices")
    }
}

/// When a row applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Applies {
    Always,
    /// The row's yes/no input is set.
    Flag,
    /// The device count is in `min..=max`.
    Devices {
        min: u32,
        max: u32,
    },
}

/// One row of [`WEIGHTS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Weight {
    /// The situation's field it is about.
    pub input: Input,
    /// When the row applies, for people: `always`, `yes`, `1`, `5 or more`.
    pub when: &'static str,
    /// The protocol it speaks for.
    pub favours: Protocol,
    /// Points added to the favoured protocol.
    pub weight: u32,
    /// The trade-off, in one plain sentence.
    pub reason: &'static str,
    #[serde(skip)]
    pub(crate) applies: Applies,
}

impl Weight {
    /// Whether the row applies to `s`.
    pub fn applies_to(&self, s: &Situation) -> bool {
        match self.applies {
            Applies::Always => true,
            Applies::Flag => self.input.flag(s),
            Applies::Devices { min, max } => {
                s.device_count().is_some_and(|n| (min..=max).contains(&n))
            }
        }
    }
}

const fn flag(input: Input, favours: Protocol, weight: u32, reason: &'static str) -> Weight {
    Weight {
        input,
        when: "yes",
        favours,
        weight,
        reason,
        applies: Applies::Flag,
    }
}

const fn devices(
    when: &'static str,
    min: u32,
    max: u32,
    favours: Protocol,
    weight: u32,
    reason: &'static str,
) -> Weight {
    Weight {
        input: Input::Devices,
        when,
        favours,
        weight,
        reason,
        applies: Applies::Devices { min, max },
    }
}

/// Every weight, in [`Input`] order (a test keeps it so, and keeps the device rows contiguous).
///
/// The device rows grow with the count and stop at five: beyond that, more devices change nothing.
/// The baseline is small: it decides only when the situation says almost nothing, and then IMAP
/// is the safer default.
pub const WEIGHTS: &[Weight] = &[
    Weight {
        input: Input::Baseline,
        when: "always",
        favours: Imap,
        weight: 15,
        reason: "IMAP is the safer default: the server keeps your mail, so a lost or broken device loses nothing and a new one shows everything at once.",
        applies: Applies::Always,
    },
    devices("1", 1, 1, Pop3, 10,
        "Only one device reads this mailbox, so POP3's big drawback, mail scattered across devices, does not apply."),
    devices("2", 2, 2, Imap, 40,
        "Two devices read this mailbox: IMAP shows the same messages, read marks and folders on both, while POP3 would split your mail between them."),
    devices("3", 3, 3, Imap, 50,
        "Three devices read this mailbox: IMAP keeps all of them in step, while POP3 would scatter your mail across them."),
    devices("4", 4, 4, Imap, 60,
        "Four devices read this mailbox: IMAP keeps all of them in step, while POP3 would scatter your mail across them."),
    devices("5 or more", 5, u32::MAX, Imap, 70,
        "Five or more devices read this mailbox: only IMAP keeps that many in step."),
    flag(Input::Webmail, Imap, 20,
        "You also read mail in the web interface: with IMAP it shows exactly what your apps show, while POP3 leaves webmail out of step."),
    flag(Input::Offline, Pop3, 10,
        "You need the full history without a connection: POP3 keeps every message on the device (an IMAP app can too, if told to keep all mail offline)."),
    flag(Input::Backup, Pop3, 30,
        "You want a local archive: POP3 downloads every message to this computer, where your normal backups include it."),
    flag(Input::LowStorage, Pop3, 30,
        "The server quota is tight: POP3 moves mail off the server so the mailbox does not fill up, while IMAP keeps everything there."),
    flag(Input::Slow, Pop3, 30,
        "Your connection is slow, metered or unreliable: POP3 downloads each message once and then works offline, while IMAP keeps talking to the server."),
    flag(Input::Folders, Imap, 20,
        "You organise mail in folders: IMAP keeps folders on the server so they match everywhere, while POP3 only ever fetches the inbox."),
    flag(Input::Shared, Imap, 35,
        "Several people read this mailbox: with IMAP everyone sees the same mail and what the others have read or answered, while POP3 gives each person a separate copy."),
    flag(Input::KeepNothingOnServer, Pop3, 35,
        "You want your mail off the server: POP3 downloads it and can delete the server's copy, while IMAP is built around keeping it there."),
];

/// Points per protocol.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-types", derive(tsify::Tsify))]
pub struct Scores {
    /// Points for IMAP.
    pub imap: u32,
    /// Points for POP3.
    pub pop3: u32,
}

impl Scores {
    /// The winner; a tie goes to IMAP (nothing is lost when a device breaks).
    pub fn winner(self) -> Protocol {
        if self.pop3 > self.imap {
            Pop3
        } else {
            Imap
        }
    }

    /// IMAP's lead (negative when POP3 leads).
    pub fn imap_lead(self) -> i64 {
        i64::from(self.imap) - i64::from(self.pop3)
    }

    /// How sure the answer is, 0.5–1: the winner's share of all points, with
    /// [`CONFIDENCE_DOUBT`] points of doubt added to each side so that a situation that says
    /// little never looks certain. Rounded to two decimals.
    pub fn confidence(self) -> f64 {
        let d = CONFIDENCE_DOUBT;
        let win = f64::from(self.imap.max(self.pop3)) + d;
        let all = f64::from(self.imap) + f64::from(self.pop3) + 2.0 * d;
        (win / all * 100.0).round() / 100.0
    }
}

/// See [`Scores::confidence`].
pub const CONFIDENCE_DOUBT: f64 = 10.0;

/// The rows of [`WEIGHTS`] that apply to `s`, and the scores they add up to.
pub fn score(s: &Situation) -> (Scores, Vec<&'static Weight>) {
    let rows: Vec<&'static Weight> = WEIGHTS.iter().filter(|w| w.applies_to(s)).collect();
    let mut scores = Scores::default();
    for w in &rows {
        let slot = match w.favours {
            Pop3 => &mut scores.pop3,
            _ => &mut scores.imap,
        };
        *slot = slot.saturating_add(w.weight);
    }
    (scores, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_ordered_complete_and_documented() {
        for w in WEIGHTS.windows(2) {
            assert!(w[0].input <= w[1].input, "WEIGHTS out of Input order");
        }
        for input in Input::ALL {
            let rows: Vec<_> = WEIGHTS.iter().filter(|w| w.input == *input).collect();
            match input {
                Input::Devices => {
                    // Contiguous from 1 to u32::MAX, never shrinking towards IMAP.
                    let mut next = 1;
                    for r in &rows {
                        let Applies::Devices { min, max } = r.applies else {
                            panic!("device row without a device range")
                        };
                        assert_eq!(min, next, "device rows not contiguous");
                        assert!(max >= min);
                        next = max.saturating_add(1);
                    }
                    assert_eq!(
                        rows.last().map(|r| r.applies),
                        Some(Applies::Devices {
                            min: 5,
                            max: u32::MAX
                        })
                    );
                }
                _ => assert_eq!(rows.len(), 1, "{input:?}: one row per input"),
            }
        }
        for w in WEIGHTS {
            assert!(w.weight > 0, "{:?}: zero weight", w.input);
            assert!(matches!(w.favours, Imap | Pop3));
            assert!(
                w.reason.ends_with('.') && w.reason.len() > 40,
                "{:?}",
                w.reason
            );
            if Input::FLAGS.contains(&w.input) {
                assert_eq!(w.applies, Applies::Flag);
                assert!(!w.input.phrase(true).is_empty() && !w.input.phrase(false).is_empty());
            }
        }
    }

    #[test]
    fn device_weights_never_move_towards_pop3() {
        let lead = |n| {
            score(&Situation {
                devices: Some(n),
                ..Situation::default()
            })
            .0
            .imap_lead()
        };
        for n in 1..8 {
            assert!(lead(n + 1) >= lead(n), "{n} -> {}", n + 1);
        }
    }

    #[test]
    fn confidence_range() {
        assert_eq!(Scores::default().confidence(), 0.5);
        assert_eq!(Scores { imap: 15, pop3: 40 }.confidence(), 0.67);
        assert!(
            Scores {
                imap: u32::MAX,
                pop3: 0
            }
            .confidence()
                <= 1.0
        );
        assert_eq!(Scores { imap: 30, pop3: 30 }.winner(), Imap);
    }
}
