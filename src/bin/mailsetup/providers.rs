//! `mailsetup providers [ID] [--stale [MONTHS]]`: the provider table, every fact with where it
//! comes from.

use crate::render::{self, BOLD, DIM};
use crate::{CmdResult, Exit, UsageError};
use mailsetup::model::labels;
use mailsetup::providers::{self, Provider, Sourced};
use serde::Serialize;
use std::io::Write;

/// List the providers, show one (by id, email address or domain), or list stale facts.
#[derive(clap::Args)]
#[command(after_help = "Examples:
  mailsetup providers
  mailsetup providers gmail
  mailsetup providers someone@web.de --json
  mailsetup providers --stale          facts whose newest source is over 12 months old
  mailsetup providers qq --stale 6

Each fact says where it comes from: \"per Gmail's own page (…, read 2026-12-02)\" when the
provider's own documentation backs it, \"per Thunderbird's ISPDB (as of 2026-03-12) only;
unconfirmed by KPN Mail\" when only a database or a third party does.")]
pub struct Args {
    /// A provider id, an email address or a domain.
    id: Option<String>,
    /// List the facts whose newest source is older than MONTHS months (default 12).
    #[arg(long, value_name = "MONTHS", num_args = 0..=1, default_missing_value = "12",
          value_parser = clap::value_parser!(u32).range(0..=1200))]
    stale: Option<u32>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> CmdResult {
    let chosen = match args.id.as_deref() {
        None => None,
        Some(q) => Some(
            providers::by_id(q.trim())
                .or_else(|| providers::by_email(q))
                .ok_or_else(|| {
                    UsageError(format!(
                        "no provider {}; `mailsetup providers` lists them",
                        mailsetup::text::Quoted(q)
                    ))
                })?,
        ),
    };
    if let Some(months) = args.stale {
        let list: Vec<&Provider> = match chosen {
            Some(p) => vec![p],
            None => providers::all().iter().collect(),
        };
        let stale = stale_facts(&list, months, today());
        if args.json {
            render::json(&stale)?;
        } else {
            render::closed_ok(print_stale(&stale, months))?;
        }
        return Ok(Exit::Clean);
    }
    match (chosen, args.json) {
        (None, true) => render::json(&providers::all())?,
        (None, false) => render::closed_ok(list())?,
        (Some(p), true) => render::json(p)?,
        (Some(p), false) => render::closed_ok(show(p))?,
    }
    Ok(Exit::Clean)
}

fn list() -> std::io::Result<()> {
    let mut out = anstream::stdout().lock();
    let all = providers::all();
    let w = all.iter().map(|p| p.id.len()).max().unwrap_or(0);
    for p in all {
        let domains: Vec<&str> = p.domain_names().collect();
        let shown = if domains.len() > 4 {
            format!("{} and {} more", domains[..4].join(", "), domains.len() - 4)
        } else {
            domains.join(", ")
        };
        let confirmed = p.facts().iter().any(|f| f.fact.confirmed());
        let mark = if confirmed { " " } else { "?" };
        writeln!(
            out,
            "{BOLD}{:<w$}{BOLD:#} {mark} {}  {DIM}{shown}{DIM:#}",
            p.id, p.name,
        )?;
    }
    writeln!(
        out,
        "\n{DIM}? = no fact confirmed by the provider's own documentation; `mailsetup providers ID` shows the sources{DIM:#}"
    )?;
    Ok(())
}

/// " (per …)", dimmed.
fn per(p: &Provider, f: &dyn Sourced) -> String {
    format!("{DIM}({}){DIM:#}", p.attribution(f))
}

fn show(p: &Provider) -> std::io::Result<()> {
    let mut out = anstream::stdout().lock();
    writeln!(out, "{BOLD}{}{BOLD:#} ({})", p.name, p.id)?;
    for d in &p.domains {
        let names = if d.names.len() > 12 {
            format!(
                "{} and {} more (--json lists them all)",
                d.names[..12].join(", "),
                d.names.len() - 12
            )
        } else {
            d.names.join(", ")
        };
        writeln!(out, "  domains:  {names} {}", per(p, d))?;
    }
    for m in &p.mx {
        writeln!(out, "  mx:       {} {}", m.suffixes.join(", "), per(p, m))?;
    }
    if p.servers.is_empty() {
        writeln!(out, "  servers:  none documented")?;
    }
    for e in &p.servers {
        let variant = e.variant.map(|v| format!(" [{v}]")).unwrap_or_default();
        writeln!(
            out,
            "  {:<5} {:<30} {:>5}  {:<8} username: {}{variant} {}",
            e.protocol.as_str(),
            e.host,
            e.port,
            e.security.as_str(),
            e.username_note.as_deref().unwrap_or(e.username.as_str()),
            per(p, e)
        )?;
        if let Some(n) = &e.note {
            writeln!(out, "        {DIM}{n}{DIM:#}")?;
        }
    }
    for n in &p.not_offered {
        writeln!(out, "  not offered: {} {}", n.summary, per(p, n))?;
    }
    for c in &p.credentials {
        let verdict = match c.accepted {
            Some(true) => "accepted",
            Some(false) => "refused",
            None => {
                writeln!(out, "  sign-in:  no source says which credential works")?;
                continue;
            }
        };
        let protocols = if c.protocols.is_empty() {
            String::new()
        } else {
            let names: Vec<&str> = c.protocols.iter().map(|x| labels::protocol(*x)).collect();
            format!(" for {}", names.join(", "))
        };
        let dates = match (&c.since, &c.until) {
            (Some(s), Some(u)) => format!(" (since {s}, until {u})"),
            (Some(s), None) => format!(" (since {s})"),
            (None, Some(u)) => format!(" (until {u})"),
            (None, None) => String::new(),
        };
        writeln!(
            out,
            "  sign-in:  {} {verdict}{protocols}{dates} {}",
            c.kind.phrase(),
            per(p, c)
        )?;
        if !c.requires.is_empty() {
            let r: Vec<&str> = c.requires.iter().map(|x| x.as_str()).collect();
            writeln!(out, "            needs: {}", r.join(", "))?;
        }
        if let Some(how) = &c.how {
            writeln!(out, "            how: {how}")?;
        }
        if let Some(n) = &c.note {
            writeln!(out, "            {DIM}{n}{DIM:#}")?;
        }
    }
    for m in &p.mechanisms {
        let names: Vec<&str> = m.names.iter().map(|x| x.as_str()).collect();
        let protocols: Vec<&str> = m.protocols.iter().map(|x| x.as_str()).collect();
        writeln!(
            out,
            "  mechanisms ({}): {} {}",
            protocols.join(", "),
            names.join(", "),
            per(p, m)
        )?;
    }
    for c in &p.changes {
        writeln!(
            out,
            "  change {} ({}): {} {}",
            c.date,
            c.status,
            c.summary,
            per(p, c)
        )?;
    }
    for e in &p.enable {
        let protocols: Vec<&str> = e.protocols.iter().map(|x| x.as_str()).collect();
        let what = if e.required {
            "switch on"
        } else {
            "nothing to switch on"
        };
        writeln!(
            out,
            "  {what} ({}): {} {}",
            protocols.join(", "),
            e.steps,
            per(p, e)
        )?;
        if let Some(u) = &e.url {
            writeln!(out, "            {u}")?;
        }
    }
    for (label, list) in [
        ("plan", &p.plans),
        ("client", &p.client_requirements),
        ("no access", &p.no_mail_app_access),
        ("note", &p.notes),
    ] {
        for s in list {
            writeln!(out, "  {label}: {} {}", s.text, per(p, s))?;
        }
    }
    for b in &p.bridges {
        writeln!(out, "  bridge:   {}: {} {}", b.name, b.summary, per(p, b))?;
    }
    for x in &p.pop3 {
        writeln!(out, "  pop3:     {} {}", x.summary, per(p, x))?;
    }
    for h in &p.help {
        writeln!(out, "  help:     {} ({}) {}", h.url, h.title, per(p, h))?;
    }
    writeln!(out, "  {BOLD}sources{BOLD:#}")?;
    for (i, s) in p.sources.iter().enumerate() {
        let when = match (s.as_of.as_str(), &s.read_on) {
            ("unknown", Some(r)) => format!("copy undated, read {r}"),
            (a, Some(r)) => format!("as of {a}, read {r}"),
            (a, None) => format!("as of {a}"),
        };
        let confirms = if s.kind.confirms() {
            ""
        } else {
            ", does not confirm"
        };
        writeln!(
            out,
            "  [{i}] {} ({}{confirms}; {when})",
            s.title.as_deref().unwrap_or(&s.id),
            s.kind
        )?;
        if let Some(u) = &s.url {
            writeln!(out, "      {DIM}{u}{DIM:#}")?;
        }
        if let Some(q) = &s.quote {
            writeln!(out, "      {DIM}\u{201c}{q}\u{201d}{DIM:#}")?;
        }
        if let Some(l) = &s.locator {
            writeln!(out, "      {DIM}{l}{DIM:#}")?;
        }
    }
    Ok(())
}

/// One fact whose newest source is older than the limit.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StaleFact {
    provider: String,
    table: &'static str,
    index: usize,
    summary: String,
    /// The newest date among its sources.
    newest: String,
    confirmed: bool,
    attribution: String,
}

/// Today's date, `(year, month, day)`, from the system clock (the core has none).
fn today() -> (i64, i64, i64) {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The facts of `list` whose newest source date lies more than `months` months before `today`.
fn stale_facts(list: &[&Provider], months: u32, today: (i64, i64, i64)) -> Vec<StaleFact> {
    let (y, m, d) = today;
    let total = y * 12 + (m - 1) - i64::from(months);
    let limit = format!(
        "{:04}-{:02}-{d:02}",
        total.div_euclid(12),
        total.rem_euclid(12) + 1
    );
    let mut out = Vec::new();
    for p in list {
        for f in p.facts() {
            let Some(newest) = p.newest_date(f.fact) else {
                continue;
            };
            // A month date ("2024-08") counts as its last possible day: compare by prefix.
            let older = if newest.len() == 7 {
                newest.as_str() < &limit[..7]
            } else {
                newest < limit
            };
            if older {
                out.push(StaleFact {
                    provider: p.id.clone(),
                    table: f.table,
                    index: f.index,
                    summary: f.summary,
                    newest,
                    confirmed: f.fact.confirmed(),
                    attribution: p.attribution(f.fact),
                });
            }
        }
    }
    out
}

fn print_stale(stale: &[StaleFact], months: u32) -> std::io::Result<()> {
    let mut out = anstream::stdout().lock();
    for s in stale {
        writeln!(
            out,
            "{BOLD}{}{BOLD:#} {}[{}] newest {}  {}  {DIM}({}){DIM:#}",
            s.provider, s.table, s.index, s.newest, s.summary, s.attribution
        )?;
    }
    writeln!(
        out,
        "{} fact(s) whose newest source is older than {months} month(s)",
        stale.len()
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_uses_the_newest_source() {
        let gmail = providers::by_id("gmail").unwrap();
        // Everything is older than "now" in the year 2100; nothing is older than 1970 + 0.
        assert!(!stale_facts(&[gmail], 0, (2100, 1, 1)).is_empty());
        assert!(stale_facts(&[gmail], 0, (2000, 1, 1)).is_empty());
        // ISPDB's snapshot is 2026-03-12: stale 6 months after, not 3 months after.
        let kpn = providers::by_id("kpn").unwrap();
        assert!(stale_facts(&[kpn], 3, (2026, 6, 1)).is_empty());
        assert!(!stale_facts(&[kpn], 6, (2026, 10, 1)).is_empty());
    }
}
