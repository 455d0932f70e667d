//! `mailsetup advise`: POP3 or IMAP for a situation, with reasons and the settings to type in.

use crate::render::{self, BOLD, DIM, GREEN};
use crate::{CmdResult, Exit, UsageError};
use anstyle::{AnsiColor, Style};
use mailsetup::advisor::{
    advise, ConstraintKind, Factor, Recommendation, Situation, StepKind, WEIGHTS,
};
use mailsetup::model::labels;
use mailsetup::text::Escaped;
use mailsetup::{InputError, Server};
use serde::Serialize;
use std::io::Write;

/// Recommend POP3 or IMAP for your situation, explain why, and give the settings to type in.
#[derive(clap::Args)]
#[command(after_help = "\
Examples:
  mailsetup advise --devices 1 --backup --email someone@gmail.com
  mailsetup advise --devices 3 --email someone@icloud.com
  mailsetup advise --devices 2 --webmail --folders --provider outlook
  mailsetup advise --explain                      # the weights behind every answer
  mailsetup advise --slow --low-storage --json

A flag left out means \"no\"; --devices left out means \"not said\" (it matters most).
--email and --provider together: an address on your own domain hosted by that provider.")]
pub struct Args {
    /// How many devices (computers, phones, tablets) read this mailbox.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    devices: Option<u32>,
    /// You also read this mailbox in the provider's web interface.
    #[arg(long)]
    webmail: bool,
    /// You need the full history without a connection.
    #[arg(long)]
    offline: bool,
    /// You want a local archive of every message.
    #[arg(long)]
    backup: bool,
    /// The server quota is tight.
    #[arg(long)]
    low_storage: bool,
    /// Your connection is dial-up, metered or unreliable.
    #[arg(long)]
    slow: bool,
    /// You organise mail in folders or labels that should match everywhere.
    #[arg(long)]
    folders: bool,
    /// Several people read this mailbox.
    #[arg(long)]
    shared: bool,
    /// You want mail taken off the server.
    #[arg(long)]
    keep_nothing_on_server: bool,
    /// Your email address (selects the provider, fills in the username).
    #[arg(long, value_name = "ADDR")]
    email: Option<String>,
    /// A provider id (`mailsetup providers` lists them).
    #[arg(long, value_name = "ID")]
    provider: Option<String>,
    /// Also print the table of weights and every factor that counted.
    #[arg(long)]
    explain: bool,
    /// Print JSON: the Recommendation (with --explain: {"weights": [...], "recommendation": {...}}).
    #[arg(long)]
    json: bool,
}

impl Args {
    fn situation(&self) -> Result<Situation, UsageError> {
        let flag = |b: bool| b.then_some(true);
        Situation {
            devices: self.devices,
            webmail: flag(self.webmail),
            offline: flag(self.offline),
            backup: flag(self.backup),
            low_storage: flag(self.low_storage),
            slow: flag(self.slow),
            folders: flag(self.folders),
            shared: flag(self.shared),
            keep_nothing_on_server: flag(self.keep_nothing_on_server),
            email: self.email.clone(),
            provider: self.provider.clone(),
        }
        .checked()
        .map_err(|e| match &e {
            // Name the flag rather than the JSON field.
            InputError::Field { path, message } if !path.is_empty() => {
                UsageError(format!("--{}: {message}", kebab(path)))
            }
            _ => UsageError(e.to_string()),
        })
    }
}

fn kebab(camel: &str) -> String {
    let mut out = String::new();
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[derive(Serialize)]
struct Explained<'a> {
    weights: &'static [mailsetup::advisor::Weight],
    recommendation: &'a Recommendation,
}

pub fn run(args: Args) -> CmdResult {
    let situation = args.situation()?;
    let rec = advise(&situation);
    if args.json {
        if args.explain {
            render::json(&Explained {
                weights: WEIGHTS,
                recommendation: &rec,
            })?;
        } else {
            render::json(&rec)?;
        }
    } else {
        let mut out = anstream::stdout().lock();
        if args.explain {
            weights_table(&mut out, &situation)?;
        }
        human(&mut out, &rec, args.explain)?;
    }
    Ok(Exit::Clean)
}

const WIDTH: usize = 96;
const PROTO: Style = AnsiColor::Cyan.on_default().bold();

/// Word-wraps `text` to `WIDTH`, the first line after `first` and the rest indented by `indent`.
fn wrap(out: &mut impl Write, first: &str, indent: usize, text: &str) -> std::io::Result<()> {
    writeln!(out, "{}", render::wrap(text, WIDTH, first, indent))
}

fn weights_table(out: &mut impl Write, s: &Situation) -> std::io::Result<()> {
    writeln!(
        out,
        "{BOLD}Weights{BOLD:#} {DIM}(each row adds its points to one protocol; more points wins, a tie goes to IMAP; ✓ = applies here){DIM:#}"
    )?;
    let iw = WEIGHTS
        .iter()
        .map(|w| w.input.as_str().len())
        .max()
        .unwrap_or(0);
    let ww = WEIGHTS.iter().map(|w| w.when.len()).max().unwrap_or(0);
    for w in WEIGHTS {
        let mark = if w.applies_to(s) { "✓" } else { " " };
        let head = format!(
            "  {mark} {:<iw$}  {:<ww$}  {:<4}  {:>3}  ",
            w.input.as_str(),
            w.when,
            labels::protocol(w.favours),
            w.weight
        );
        let indent = head.chars().count();
        wrap(out, &head, indent, w.reason)?;
    }
    writeln!(
        out,
        "  {DIM}confidence = (winner's points + {d}) / (all points + {d2}); 1 when the provider leaves no choice{DIM:#}\n",
        d = mailsetup::advisor::CONFIDENCE_DOUBT,
        d2 = 2.0 * mailsetup::advisor::CONFIDENCE_DOUBT
    )?;
    Ok(())
}

fn human(out: &mut impl Write, r: &Recommendation, all_factors: bool) -> std::io::Result<()> {
    let (win, lose) = match r.protocol {
        mailsetup::Protocol::Pop3 => (r.scores.pop3, r.scores.imap),
        _ => (r.scores.imap, r.scores.pop3),
    };
    let other = labels::protocol(if r.protocol == mailsetup::Protocol::Pop3 {
        mailsetup::Protocol::Imap
    } else {
        mailsetup::Protocol::Pop3
    });
    let points = format!(
        "confidence {:.0}%; {} {win} points, {other} {lose}",
        r.confidence * 100.0,
        labels::protocol(r.protocol),
    );
    match &r.constraint {
        Some(c) if c.kind == ConstraintKind::NoMailAccess => {
            writeln!(out, "{BOLD}No mail app can read this mailbox{BOLD:#}")?;
            wrap(out, "  ", 2, &Escaped(&c.message).to_string())?;
            wrap(
                out,
                "  ",
                2,
                &format!(
                    "If it could, {} would fit your situation ({points}).",
                    labels::protocol(r.protocol)
                ),
            )?;
        }
        c => {
            writeln!(
                out,
                "{BOLD}Use{BOLD:#} {PROTO}{}{PROTO:#}  {DIM}({points}){DIM:#}",
                labels::protocol(r.protocol)
            )?;
            if let Some(c) = c {
                wrap(out, "  ", 2, &Escaped(&c.message).to_string())?;
            }
        }
    }

    let reasons: Vec<_> = if all_factors {
        r.reasons().collect()
    } else {
        r.reasons().take(3).collect()
    };
    if !reasons.is_empty() {
        writeln!(out, "\n{BOLD}Why{BOLD:#}")?;
        for f in reasons {
            factor(out, f)?;
        }
    }
    let against: Vec<_> = if all_factors {
        r.counterpoints().collect()
    } else {
        r.counterpoints().take(1).collect()
    };
    if !against.is_empty() {
        writeln!(out, "\n{BOLD}On the other side{BOLD:#}")?;
        for f in against {
            factor(out, f)?;
        }
    }
    if !r.caveats.is_empty() {
        writeln!(out, "\n{BOLD}Keep in mind{BOLD:#}")?;
        for c in &r.caveats {
            wrap(out, "  • ", 4, &Escaped(&c.text).to_string())?;
        }
    }
    if !r.what_if.is_empty() {
        writeln!(out, "\n{BOLD}What would change the answer{BOLD:#}")?;
        for w in &r.what_if {
            wrap(out, "  • ", 4, &Escaped(&w.sentence).to_string())?;
        }
    }
    let shown = match (&r.settings, &r.provider, &r.template) {
        (Some(a), Some(p), _) => Some((a, format!("Settings for {}", Escaped(&p.name)))),
        (None, None, Some(t)) => Some((
            t,
            "Settings to fill in (your provider's help names the servers)".to_owned(),
        )),
        _ => None,
    };
    if let Some((a, title)) = shown {
        writeln!(out, "\n{BOLD}{title}{BOLD:#}")?;
        if let Some(e) = &a.email {
            writeln!(out, "  Email address  {}", Escaped(e))?;
        }
        server(out, "Incoming", &a.incoming)?;
        if let Some(o) = &a.outgoing {
            server(out, "Outgoing", o)?;
        }
        if let Some(p3) = &a.pop3 {
            let keep = match (p3.leave_on_server, p3.delete_after_days) {
                (false, _) => "no (the server's copy is removed once downloaded)".to_owned(),
                (true, None) => "yes, and keep it there".to_owned(),
                (true, Some(d)) => format!("yes, then remove it after {d} days"),
            };
            writeln!(out, "  POP3           leave a copy on the server: {keep}")?;
        }
    }
    if !r.steps.is_empty() {
        writeln!(out, "\n{BOLD}Before you start{BOLD:#}")?;
        for (i, s) in r.steps.iter().enumerate() {
            let label = match s.kind {
                StepKind::Enable => "Switch on: ",
                StepKind::SignIn => "Sign-in: ",
                StepKind::ServerSetting => "On the server: ",
                StepKind::Username => "Username: ",
                StepKind::Plan => "Plan: ",
                StepKind::Bridge => "Bridge: ",
                StepKind::Help => "",
                _ => "Note: ",
            };
            let mut text = format!("{label}{}", Escaped(&s.text));
            if let Some(u) = &s.url {
                text.push_str(&format!(" <{}>", Escaped(u)));
            }
            if let Some(source) = &s.source {
                text.push_str(&format!(" {DIM}({}){DIM:#}", Escaped(source)));
            }
            let head = format!("  {}. ", i + 1);
            let indent = head.len();
            wrap(out, &head, indent, &text)?;
        }
    }
    Ok(())
}

fn factor(out: &mut impl Write, f: &Factor) -> std::io::Result<()> {
    let tag = format!(
        "[{}: {} +{}]",
        f.input.as_str(),
        labels::protocol(f.favours),
        f.weight
    );
    wrap(
        out,
        "  • ",
        4,
        &format!("{} {DIM}{tag}{DIM:#}", Escaped(f.reason)),
    )
}

fn server(out: &mut impl Write, label: &str, s: &Server) -> std::io::Result<()> {
    let host = if s.host.is_empty() {
        "(your provider's)"
    } else {
        &s.host
    };
    writeln!(
        out,
        "  {label:<13}  {GREEN}{}{GREEN:#}  server {BOLD}{}{BOLD:#}  port {BOLD}{}{BOLD:#}  security {BOLD}{}{BOLD:#}",
        labels::protocol(s.protocol),
        Escaped(host),
        s.port,
        labels::security(s.security)
    )?;
    let user = s
        .username
        .as_deref()
        .map(|u| format!("username {BOLD}{}{BOLD:#}", Escaped(u)))
        .unwrap_or_else(|| "username: see below".to_owned());
    let auth = s
        .auth
        .map(|a| {
            format!(
                "  sign-in {BOLD}{}{BOLD:#}",
                labels::in_sentence(labels::auth(a))
            )
        })
        .unwrap_or_default();
    writeln!(out, "  {:<13}  {user}{auth}", "")
}
