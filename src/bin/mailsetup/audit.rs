//! `mailsetup audit`: what each mail client configures for an address at a domain, whether it
//! works and is safe, and what the domain should publish — for mail admins and hosters.

use crate::render::{self, BOLD, DIM, GREEN};
use crate::{CmdResult, Exit, UsageError};
use anstyle::{AnsiColor, Style};
use futures_util::stream::{self, StreamExt};
use mailsetup::audit::{self, html, Audit, Outcome};
use mailsetup::discovery::net::batch;
use mailsetup::discovery::net::Engine;
use mailsetup::discovery::Request;
use mailsetup::Escaped;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Audit a domain: what Thunderbird, Thunderbird for Android, Outlook, Apple Mail and Delta Chat
/// configure for an address there, whether it works and is safe, and what to publish.
#[derive(clap::Args)]
#[command(
    args_override_self = true,
    after_help = "\
Examples:
  mailsetup audit example.org
  mailsetup audit example.org --html report.html
  mailsetup audit someone@example.org --json
  mailsetup audit --batch domains.txt --output audit.jsonl --html overview.html   # resumable

The audit sends what the clients send: the address (postmaster@DOMAIN unless one is given) to
the domain's autoconfig and Autodiscover, as Thunderbird and Outlook do. It reads plain-HTTP
autoconfig because Thunderbird and Delta Chat do. Every server any source names is probed —
greeting, TLS, certificate, capabilities; never a password (--no-probe to skip).

Exit codes: 0 no error findings, 1 error findings, 2 bad usage."
)]
pub struct Args {
    /// A domain, or an address at it.
    #[arg(
        value_name = "DOMAIN|ADDRESS",
        required_unless_present = "batch",
        conflicts_with = "batch"
    )]
    input: Option<String>,
    /// Audit every domain of FILE (one a line; `#` comments) as JSON Lines.
    #[arg(long, value_name = "FILE")]
    batch: Option<PathBuf>,
    /// With --batch: append the JSON Lines here, skipping domains it already holds (resume).
    #[arg(long, value_name = "FILE", requires = "batch")]
    output: Option<PathBuf>,
    /// Write the HTML report (with --batch: the overview of every line of the output) here.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// With --batch: audits at once.
    #[arg(long, value_name = "N", default_value = "16", requires = "batch", value_parser = clap::value_parser!(u16).range(1..=1024))]
    concurrency: u16,
    /// Do not connect to mail servers (no probes, no guessing): what clients would configure,
    /// without whether it works.
    #[arg(long)]
    no_probe: bool,
    /// Seconds allowed for one whole audit.
    #[arg(long, value_name = "SECS", default_value = "30", value_parser = crate::discover::parse_secs)]
    deadline: Duration,
    #[command(flatten)]
    lookup: crate::discover::Lookup,
    /// Print JSON (one Audit; with --batch and --output, the totals).
    #[arg(long)]
    json: bool,
}

/// The request for an input: a domain gets the postmaster address.
fn request(input: &str, args: &Args) -> Result<Request, String> {
    let options = audit::discovery_options(
        &args.lookup.ispdb_url,
        args.lookup.standard_port_offset,
        !args.no_probe,
    );
    let mut r = Request::new(input, options).map_err(|e| e.to_string())?;
    if r.email.is_none() {
        r.email = Some(audit::default_address(&r.domain));
    }
    Ok(r)
}

/// One audit: one round of fetching (discovery's lookups and the audit's), then the analysis.
async fn run_one(engine: &Engine, r: &Request, probe: bool) -> Audit {
    let evidence = engine
        .gather_with(r, |ev| audit::plan::lookups(r, ev, probe))
        .await;
    audit::audit(r, &evidence, probe)
}

pub fn run(args: Args) -> CmdResult {
    let config = args.lookup.config(args.deadline)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| UsageError(format!("cannot start the network runtime: {e}")))?;
    let _guard = runtime.enter();
    let engine = Engine::new(config).map_err(UsageError)?;
    if let Some(file) = &args.batch {
        return runtime.block_on(run_batch(&args, file, &engine));
    }
    let r = request(args.input.as_deref().unwrap_or_default(), &args).map_err(UsageError)?;
    let a = runtime.block_on(run_one(&engine, &r, !args.no_probe));
    if let Some(path) = &args.html {
        std::fs::write(path, html::report(&a))
            .map_err(|e| UsageError(format!("cannot write {}: {e}", path.display())))?;
    }
    if args.json {
        render::json(&a)?;
    } else {
        render::closed_ok(human(&a, args.html.as_ref()))?;
    }
    Ok(if a.verdict == mailsetup::Verdict::Error {
        Exit::Findings
    } else {
        Exit::Clean
    })
}

fn outcome_style(o: Outcome) -> Style {
    match o {
        Outcome::Works => GREEN,
        Outcome::Manual => AnsiColor::Blue.on_default().bold(),
        Outcome::Fails | Outcome::Unsafe => AnsiColor::Red.on_default().bold(),
        _ => AnsiColor::Yellow.on_default().bold(),
    }
}

fn human(a: &Audit, html: Option<&PathBuf>) -> std::io::Result<()> {
    let mut out = anstream::stdout().lock();
    let w = |t: &str, first: &str, indent: usize| {
        render::wrap(&Escaped(t).to_string(), 100, first, indent)
    };
    writeln!(
        out,
        "{BOLD}Audit of {}{BOLD:#}  {DIM}(simulated for {}; servers {}){DIM:#}",
        Escaped(&a.domain),
        Escaped(&a.email),
        if a.probed { "probed" } else { "not probed" }
    )?;
    writeln!(out)?;
    for c in &a.clients {
        let s = outcome_style(c.outcome);
        writeln!(
            out,
            "  {BOLD}{:<24}{BOLD:#} {s}{:<19}{s:#}",
            c.name,
            c.outcome.word()
        )?;
        writeln!(out, "{}", w(&c.headline, "      ", 6))?;
    }
    let v = render::verdict_style(a.verdict);
    writeln!(
        out,
        "\n{BOLD}Problems{BOLD:#}  {v}{}{v:#}",
        a.verdict.as_str()
    )?;
    if a.findings.is_empty() {
        writeln!(out, "  none")?;
    }
    for f in &a.findings {
        let s = render::severity_style(f.severity);
        writeln!(
            out,
            "  {s}{:<7}{s:#} {BOLD}{}{BOLD:#} {}",
            f.severity.as_str(),
            f.code,
            Escaped(&f.field)
        )?;
        writeln!(out, "{}", w(&f.message, "          ", 10))?;
        writeln!(out, "{}", w(&format!("→ {}", f.help), "          ", 12))?;
    }
    // The documents that fix a finding, in full; the others by name (--json and --html have
    // them all).
    let (fixing, other): (Vec<_>, Vec<_>) =
        a.publish.iter().partition(|p| p.why.contains(" Fixes "));
    if !fixing.is_empty() {
        writeln!(out, "\n{BOLD}What to publish{BOLD:#}")?;
        for p in &fixing {
            writeln!(
                out,
                "  {BOLD}{}{BOLD:#}  {}",
                p.format.as_str(),
                Escaped(&p.place)
            )?;
            writeln!(out, "{}", w(&p.why, "    ", 4))?;
            match (&p.content, &p.error) {
                (Some(c), _) => {
                    for l in c.lines() {
                        writeln!(
                            out,
                            "      {DIM}{}{DIM:#}",
                            Escaped(&l.replace('\t', "    "))
                        )?;
                    }
                }
                (None, Some(e)) => writeln!(
                    out,
                    "{}",
                    w(&format!("cannot be written: {e}"), "      ", 6)
                )?,
                _ => {}
            }
        }
        if !other.is_empty() {
            let names: Vec<&str> = other.iter().map(|p| p.format.as_str()).collect();
            writeln!(
                out,
                "  {DIM}also written (see --json or --html): {}{DIM:#}",
                names.join(", ")
            )?;
        }
    }
    writeln!(out, "\n{BOLD}Each client, step by step{BOLD:#}")?;
    for c in &a.clients {
        writeln!(out, "  {BOLD}{}{BOLD:#}", c.name)?;
        for s in &c.steps {
            writeln!(
                out,
                "{}",
                w(
                    &format!("{} — {} [{}]", s.what, s.result, s.cite),
                    "    - ",
                    6
                )
            )?;
        }
        for x in &c.confirm {
            writeln!(out, "{}", w(&format!("confirm: {x}"), "    ! ", 6))?;
        }
        for n in &c.notes {
            writeln!(out, "{}", w(n, &format!("    {DIM}note:{DIM:#} "), 10))?;
        }
    }
    let p = &a.published;
    writeln!(out, "\n{BOLD}What {} publishes{BOLD:#}", Escaped(&a.domain))?;
    writeln!(out, "{}", w(&format!("MX: {}", p.mx.answer), "  ", 4))?;
    let srv: Vec<String> = p
        .srv
        .iter()
        .filter(|s| s.offered)
        .map(|s| format!("{} ({})", s.name, s.answer))
        .collect();
    writeln!(
        out,
        "{}",
        w(
            &format!(
                "SRV: {}",
                if srv.is_empty() {
                    "none".into()
                } else {
                    srv.join(", ")
                }
            ),
            "  ",
            4
        )
    )?;
    for d in p.autoconfig.iter().chain(&p.ispdb) {
        writeln!(
            out,
            "{}",
            w(&format!("{} {}: {}", d.kind, d.url, d.fetched), "  ", 4)
        )?;
    }
    for x in &p.autodiscover {
        writeln!(
            out,
            "{}",
            w(
                &format!("Autodiscover {} {}: {}", x.method, x.url, x.fetched),
                "  ",
                4
            )
        )?;
    }
    writeln!(out, "  {BOLD}Servers named{BOLD:#}")?;
    for r in &p.servers {
        writeln!(
            out,
            "{}",
            w(
                &format!(
                    "{} — {} (named by {})",
                    mailsetup::audit::facts::server_label(&r.server),
                    r.check.summary,
                    r.named_by.join("; ")
                ),
                "    - ",
                6
            )
        )?;
    }
    if let Some(h) = html {
        writeln!(
            out,
            "\n{DIM}HTML report: {}{DIM:#}",
            Escaped(&h.display().to_string())
        )?;
    }
    Ok(())
}

async fn run_batch(args: &Args, file: &PathBuf, engine: &Engine) -> CmdResult {
    let text = std::fs::read_to_string(file)
        .map_err(|e| UsageError(format!("cannot read {}: {e}", file.display())))?;
    let mut inputs = batch::read_inputs(&text);
    let mut resumed = 0;
    let mut sink: Box<dyn Write> = match &args.output {
        Some(path) => {
            let previous = std::fs::read_to_string(path).unwrap_or_default();
            let done = batch::done_inputs(&previous);
            let before = inputs.len();
            inputs.retain(|i| !done.contains(i));
            resumed = before - inputs.len();
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| UsageError(format!("cannot write {}: {e}", path.display())))?;
            if !previous.is_empty() && !previous.ends_with('\n') {
                f.write_all(b"\n")?;
            }
            Box::new(std::io::BufWriter::new(f))
        }
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let total = inputs.len();
    let t0 = Instant::now();
    let tty = std::io::stderr().is_terminal();
    let probe = !args.no_probe;
    let mut lines: Vec<serde_json::Value> = Vec::new();
    let mut errors = 0usize;
    let mut with_errors = 0usize;
    let mut results = stream::iter(inputs)
        .map(|input| async move {
            let t = Instant::now();
            let value = match request(&input, args) {
                Err(e) => serde_json::json!({ "input": input, "error": e }),
                Ok(r) => {
                    let a = run_one(engine, &r, probe).await;
                    let mut v = serde_json::to_value(&a).unwrap_or_default();
                    if let Some(o) = v.as_object_mut() {
                        o.insert("input".into(), input.clone().into());
                    }
                    v
                }
            };
            let mut value = value;
            if let Some(o) = value.as_object_mut() {
                o.insert(
                    "ms".into(),
                    (t.elapsed().as_secs_f64() * 1e3).round().into(),
                );
            }
            value
        })
        .buffer_unordered(usize::from(args.concurrency));
    let mut n = 0;
    let mut failed: Option<std::io::Error> = None;
    while let Some(v) = results.next().await {
        n += 1;
        if v.get("error").is_some() {
            errors += 1;
        } else if v.get("verdict").and_then(|x| x.as_str()) == Some("error") {
            with_errors += 1;
        }
        if failed.is_none() {
            let written = serde_json::to_writer(&mut sink, &v)
                .map_err(std::io::Error::other)
                .and_then(|_| sink.write_all(b"\n"));
            if let Err(e) = written {
                failed = Some(e);
            }
        }
        if tty {
            eprint!("\r\x1b[2K{n}/{total} domains");
        } else {
            eprintln!("{n}/{total} domains");
        }
        if args.html.is_some() && args.output.is_none() {
            lines.push(v);
        }
    }
    if tty && total > 0 {
        eprintln!();
    }
    if let Some(e) = failed {
        return Err(UsageError(format!("cannot write the output: {e}")));
    }
    sink.flush()?;
    drop(sink);
    if let Some(path) = &args.html {
        // The overview of every line of the output (earlier runs' lines included).
        if let Some(out) = &args.output {
            let text = std::fs::read_to_string(out).unwrap_or_default();
            lines = text
                .lines()
                .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
                .collect();
        }
        let rows: Vec<html::OverviewRow> = lines
            .iter()
            .map(|v| html::OverviewRow {
                input: v.get("input").and_then(|i| i.as_str()).unwrap_or(""),
                result: match v.get("error").and_then(|e| e.as_str()) {
                    Some(e) => Err(e),
                    None => Ok(v),
                },
            })
            .collect();
        std::fs::write(path, html::overview(&rows))
            .map_err(|e| UsageError(format!("cannot write {}: {e}", path.display())))?;
    }
    eprintln!(
        "{n} domains audited in {:.1} s; {resumed} resumed from the output; {errors} not a domain or address; {with_errors} with error findings",
        t0.elapsed().as_secs_f64()
    );
    if args.json && args.output.is_some() {
        render::json(&serde_json::json!({
            "audited": n, "resumed": resumed, "invalid": errors, "withErrors": with_errors
        }))?;
    }
    Ok(Exit::Clean)
}
