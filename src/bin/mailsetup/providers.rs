//! `mailsetup providers [ID]`: the curated provider table.

use crate::render::{self, BOLD, DIM};
use crate::{CmdResult, Exit, UsageError};
use mailsetup::model::labels;
use mailsetup::providers::{self, Provider, PROVIDERS};
use std::io::Write;

/// List the curated providers, or show one (by id, email address or domain).
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  mailsetup providers\n  mailsetup providers gmail\n  mailsetup providers someone@web.de --json"
)]
pub struct Args {
    /// A provider id, an email address or a domain.
    id: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> CmdResult {
    let Some(q) = args.id.as_deref() else {
        if args.json {
            render::json(&PROVIDERS)?;
        } else {
            render::closed_ok(list())?;
        }
        return Ok(Exit::Clean);
    };
    let p = providers::by_id(q.trim())
        .or_else(|| providers::by_email(q))
        .ok_or_else(|| {
            UsageError(format!(
                "no provider {}; `mailsetup providers` lists them",
                mailsetup::text::Quoted(q)
            ))
        })?;
    if args.json {
        render::json(p)?;
    } else {
        render::closed_ok(show(p))?;
    }
    Ok(Exit::Clean)
}

fn list() -> std::io::Result<()> {
    let mut out = anstream::stdout().lock();
    let w = PROVIDERS.iter().map(|p| p.id.len()).max().unwrap_or(0);
    for p in PROVIDERS {
        writeln!(
            out,
            "{BOLD}{:<w$}{BOLD:#}  {}  {DIM}{}{DIM:#}",
            p.id,
            p.name,
            p.domains.join(", ")
        )?;
    }
    Ok(())
}

fn show(p: &Provider) -> std::io::Result<()> {
    let mut out = anstream::stdout().lock();
    writeln!(out, "{BOLD}{}{BOLD:#} ({})", p.name, p.id)?;
    writeln!(out, "  domains:  {}", p.domains.join(", "))?;
    if p.servers.is_empty() {
        writeln!(out, "  servers:  none (no standard mail-client access)")?;
    }
    for e in p.servers {
        writeln!(
            out,
            "  {:<5} {:<28} {:>5}  {:<8}  username: {}",
            e.protocol.as_str(),
            e.host,
            e.port,
            e.security.as_str(),
            labels::username(p.username_for(e.protocol))
        )?;
    }
    let auth: Vec<&str> = p.auth.accepted.iter().map(|a| a.as_str()).collect();
    writeln!(
        out,
        "  auth:     {}{}",
        auth.join(", "),
        p.auth
            .since
            .map(|d| format!(" (since {d})"))
            .unwrap_or_default()
    )?;
    writeln!(out, "            {}", p.auth.note)?;
    for t in p.enable {
        writeln!(out, "  enable {}: {}", t.protocol.as_str(), t.note)?;
    }
    if let Some(pop) = &p.pop3 {
        if pop.recent_mode {
            writeln!(
                out,
                "  pop3:     recent mode available (username recent:ADDRESS)"
            )?;
        }
        if let Some(s) = pop.server_side_setting {
            writeln!(out, "  pop3:     {s}")?;
        }
        if let Some(n) = pop.note {
            writeln!(out, "  pop3:     {n}")?;
        }
    }
    if let Some(n) = p.note {
        writeln!(out, "  note:     {n}")?;
    }
    writeln!(out, "  help:     {}", p.help_url)?;
    for s in p.sources {
        writeln!(
            out,
            "  {DIM}source:   {} ({}, verified {}){DIM:#}",
            s.url, s.title, s.verified
        )?;
    }
    Ok(())
}
