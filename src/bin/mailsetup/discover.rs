//! `mailsetup discover`: the settings for an address from every source at once, with the trace.

use crate::render::{self, BOLD, DIM, GREEN};
use crate::{CmdResult, Exit, UsageError};
use anstyle::{AnsiColor, Style};
use mailsetup::discovery::net::batch::{self, BatchLine, Totals};
use mailsetup::discovery::net::{Config, Engine};
use mailsetup::discovery::{Discovery, Options, Request, StepOutcome, Trust};
use mailsetup::probe::{ProbeReport, Trust as Roots};
use mailsetup::Escaped;
use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Find the settings for an address: provider table, the domain's autoconfig, ISPDB, MX, SRV,
/// Autodiscover and guessing, all at once, with a trace of every attempt.
#[derive(clap::Args)]
#[command(
    args_override_self = true,
    after_help = "\
Examples:
  mailsetup discover someone@example.org
  mailsetup discover example.org --json
  mailsetup discover someone@example.org --send-address --verify
  mailsetup discover --batch domains.txt --output results.jsonl      # resumable
  mailsetup discover someone@lab.test --resolver 127.0.0.1:5353 --ca-file lab-ca.pem

Nothing is sent to the domain but lookups: the address goes to its autoconfig and Autodiscover
only with --send-address; plain-HTTP autoconfig is read only with --allow-http (and is untrusted);
guessed servers are asked for their greeting and capabilities, never a password.

Exit codes: 0 settings found, 1 nothing usable found, 2 bad usage."
)]
pub struct Args {
    /// An email address or a domain.
    #[arg(
        value_name = "ADDRESS|DOMAIN",
        required_unless_present = "batch",
        conflicts_with = "batch"
    )]
    input: Option<String>,
    /// Discover every address or domain of FILE (one a line; `#` comments) as JSON Lines.
    #[arg(long, value_name = "FILE")]
    batch: Option<PathBuf>,
    /// With --batch: append the JSON Lines here, skipping inputs it already holds (resume).
    #[arg(long, value_name = "FILE", requires = "batch")]
    output: Option<PathBuf>,
    /// With --batch: discoveries at once.
    #[arg(long, value_name = "N", default_value = "64", requires = "batch", value_parser = clap::value_parser!(u16).range(1..=4096))]
    concurrency: u16,
    /// Send the address to the domain's autoconfig (?emailaddress=) and Autodiscover.
    #[arg(long)]
    send_address: bool,
    /// Also read autoconfig over plain HTTP (marked untrusted).
    #[arg(long)]
    allow_http: bool,
    /// Do not guess host names (no connection to mail servers).
    #[arg(long)]
    no_guess: bool,
    /// Probe the chosen servers (TLS, certificate, capabilities; never a password).
    #[arg(long, conflicts_with = "batch")]
    verify: bool,
    /// Seconds allowed for one whole discovery.
    #[arg(long, value_name = "SECS", default_value = "15", value_parser = parse_secs)]
    deadline: Duration,
    #[command(flatten)]
    lookup: Lookup,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// The options of the lookups themselves, the same for `discover` and `audit`.
#[derive(clap::Args)]
pub(crate) struct Lookup {
    /// Ask these DNS resolvers (ADDR:PORT, repeatable) instead of those of /etc/resolv.conf.
    #[arg(long, value_name = "ADDR:PORT")]
    pub resolver: Vec<SocketAddr>,
    /// Trust only the certificates of these PEM files (repeatable; HTTPS and the probe).
    #[arg(long, value_name = "PEM")]
    pub ca_file: Vec<PathBuf>,
    /// The ISPDB to ask: <URL><domain> is fetched.
    #[arg(long, value_name = "URL", default_value = mailsetup::discovery::DEFAULT_ISPDB_URL)]
    pub ispdb_url: String,
    /// Seconds allowed for each lookup (each DNS query, HTTP request, probe).
    #[arg(long, value_name = "SECS", default_value = "5", value_parser = parse_secs)]
    pub timeout: Duration,
    /// Add N to every standard port (443 → 443+N, 993 → 993+N): for a lab that maps ports.
    #[arg(long, value_name = "N", default_value = "0")]
    pub standard_port_offset: u16,
}

impl Lookup {
    /// The engine's configuration: these options, and `deadline` for one whole discovery or audit.
    pub fn config(&self, deadline: Duration) -> Result<Config, UsageError> {
        Ok(Config {
            resolvers: (!self.resolver.is_empty()).then(|| self.resolver.clone()),
            trust: self.trust()?,
            dns_timeout: self.timeout,
            http_timeout: self.timeout,
            probe_timeout: self.timeout,
            deadline,
        })
    }

    /// The roots: the web's, or the certificates of every `--ca-file`.
    fn trust(&self) -> Result<Roots, UsageError> {
        if self.ca_file.is_empty() {
            return Ok(Roots::WebPkiRoots);
        }
        let mut all = Vec::new();
        for f in &self.ca_file {
            if let Roots::CaFile(certs) = Roots::from_pem_file(f).map_err(UsageError)? {
                all.extend(certs);
            }
        }
        Ok(Roots::CaFile(all))
    }
}

/// A deadline in seconds (0.05 to 600), for discover's and audit's `--timeout` and `--deadline`.
pub(crate) fn parse_secs(s: &str) -> Result<Duration, String> {
    let secs: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{} is not a number of seconds", mailsetup::text::Quoted(s)))?;
    if !(0.05..=600.0).contains(&secs) {
        return Err("give between 0.05 and 600 seconds".into());
    }
    Ok(Duration::from_secs_f64(secs))
}

pub fn run(args: Args) -> CmdResult {
    let config = args.lookup.config(args.deadline)?;
    let options = Options {
        send_address: args.send_address,
        allow_http: args.allow_http,
        ispdb_url: args.lookup.ispdb_url.clone(),
        port_offset: args.lookup.standard_port_offset,
        guess: !args.no_guess,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| UsageError(format!("cannot start the network runtime: {e}")))?;
    let _guard = runtime.enter();
    let engine = Engine::new(config).map_err(UsageError)?;
    if let Some(file) = &args.batch {
        return runtime.block_on(run_batch(&args, file, &engine, &options));
    }
    let input = args.input.as_deref().unwrap_or_default();
    let request = Request::new(input, options)?;
    let (_, d) = runtime.block_on(engine.discover(&request));
    let verified = if args.verify {
        runtime.block_on(engine.verify(&d, args.lookup.standard_port_offset))
    } else {
        Vec::new()
    };
    if args.json {
        #[derive(serde::Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Out<'a> {
            resolver: &'a str,
            #[serde(flatten)]
            discovery: &'a Discovery,
            #[serde(skip_serializing_if = "Vec::is_empty")]
            verify: Vec<serde_json::Value>,
        }
        let verify = verified
            .iter()
            .map(|r| match r {
                Ok(report) => serde_json::to_value(report).unwrap_or_default(),
                Err(e) => serde_json::json!({ "error": e }),
            })
            .collect();
        render::json(&Out {
            resolver: engine.resolver_label(),
            discovery: &d,
            verify,
        })?;
    } else {
        render::closed_ok(human(&d, engine.resolver_label(), &verified))?;
    }
    let verify_failed = verified
        .iter()
        .any(|r| r.as_ref().map_or(true, |p| p.has_errors()));
    Ok(if d.incoming.is_none() || verify_failed {
        Exit::Findings
    } else {
        Exit::Clean
    })
}

fn trust_style(t: Trust) -> Style {
    match t {
        Trust::High => GREEN,
        Trust::Medium => AnsiColor::Yellow.on_default().bold(),
        Trust::Low => AnsiColor::Red.on_default().bold(),
    }
}

fn trust_word(t: Trust) -> &'static str {
    match t {
        Trust::High => "high",
        Trust::Medium => "medium",
        Trust::Low => "low",
    }
}

fn human(
    d: &Discovery,
    resolver: &str,
    verified: &[Result<ProbeReport, String>],
) -> std::io::Result<()> {
    let mut out = anstream::stdout().lock();
    let who = d.email.as_deref().unwrap_or(&d.domain);
    writeln!(out, "{BOLD}Discovery for {}{BOLD:#}", Escaped(who))?;
    writeln!(out)?;
    for (label, pick) in [("Incoming", d.incoming), ("Outgoing", d.outgoing)] {
        match pick.map(|i| &d.candidates[i]) {
            Some(c) => {
                let t = trust_style(c.trust);
                writeln!(
                    out,
                    "  {BOLD}{label}{BOLD:#}  {}  {t}trust {}{t:#}  {DIM}from {}{DIM:#}",
                    Escaped(&c.label()),
                    trust_word(c.trust),
                    c.provenance.source.words()
                )?;
                if let Some(u) = &c.server.username {
                    writeln!(out, "            username {}", Escaped(u))?;
                }
            }
            None => writeln!(out, "  {BOLD}{label}{BOLD:#}  nothing usable found")?,
        }
    }
    if !d.candidates.is_empty() {
        writeln!(out, "\n{BOLD}Candidates, best first{BOLD:#}")?;
        for (i, c) in d.candidates.iter().enumerate() {
            let t = trust_style(c.trust);
            writeln!(
                out,
                "  {:>2}. {}  {t}{}{t:#}  {}  {DIM}{}{DIM:#}",
                i + 1,
                Escaped(&c.label()),
                trust_word(c.trust),
                c.provenance.source.words(),
                Escaped(&c.provenance.origin)
            )?;
            for n in &c.provenance.notes {
                writeln!(
                    out,
                    "{}",
                    render::wrap(&Escaped(n).to_string(), 100, "        - ", 10)
                )?;
            }
            for f in &c.findings {
                let s = render::severity_style(f.severity);
                writeln!(
                    out,
                    "{}",
                    render::wrap(
                        &format!("{s}{}{s:#} {}", f.code, Escaped(&f.message)),
                        100,
                        "        ",
                        8
                    )
                )?;
            }
        }
    }
    if !d.disagreements.is_empty() {
        writeln!(out, "\n{BOLD}Disagreements{BOLD:#}")?;
        for x in &d.disagreements {
            writeln!(
                out,
                "{}",
                render::wrap(&Escaped(&x.message).to_string(), 100, "  - ", 4)
            )?;
        }
    }
    writeln!(
        out,
        "\n{BOLD}Trace{BOLD:#} {DIM}(DNS: {}; start and duration in ms){DIM:#}",
        Escaped(resolver)
    )?;
    let mut steps: Vec<_> = d.trace.iter().collect();
    steps.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
    for s in steps {
        let (word, style) = match s.outcome {
            StepOutcome::Found => ("found", GREEN),
            StepOutcome::NotFound => ("none", DIM),
            StepOutcome::Failed => ("failed", AnsiColor::Red.on_default().bold()),
            StepOutcome::Skipped => ("skipped", AnsiColor::Yellow.on_default()),
        };
        writeln!(
            out,
            "  {DIM}{:>8.1} {:>8.1}{DIM:#}  {style}{word:<7}{style:#}  {}",
            s.start_ms,
            s.ms,
            Escaped(&s.what)
        )?;
        writeln!(
            out,
            "{}",
            render::wrap(
                &Escaped(&s.detail).to_string(),
                100,
                "                             ",
                29
            )
        )?;
    }
    for r in verified {
        writeln!(out, "\n{BOLD}Verified{BOLD:#}")?;
        match r {
            Ok(p) => {
                for e in &p.endpoints {
                    let v = render::verdict_style(e.verdict);
                    writeln!(
                        out,
                        "  {}  {v}{}{v:#}",
                        Escaped(&e.label()),
                        e.verdict.as_str()
                    )?;
                    for f in &e.findings {
                        writeln!(
                            out,
                            "{}",
                            render::wrap(
                                &format!("{} {}", f.code, Escaped(&f.message)),
                                100,
                                "    ",
                                4
                            )
                        )?;
                    }
                }
            }
            Err(e) => writeln!(out, "  could not probe: {}", Escaped(e))?,
        }
    }
    if !d.advice.is_empty() {
        writeln!(
            out,
            "\n{BOLD}What the admin of {} could publish{BOLD:#}",
            Escaped(&d.domain)
        )?;
        for a in &d.advice {
            writeln!(
                out,
                "{}",
                render::wrap(&Escaped(&a.message).to_string(), 100, "  - ", 4)
            )?;
            if let Some(p) = &a.publish {
                for l in p.lines() {
                    writeln!(out, "      {DIM}{}{DIM:#}", Escaped(l))?;
                }
            }
        }
    }
    Ok(())
}

async fn run_batch(args: &Args, file: &PathBuf, engine: &Engine, options: &Options) -> CmdResult {
    let text = std::fs::read_to_string(file)
        .map_err(|e| UsageError(format!("cannot read {}: {e}", file.display())))?;
    let mut inputs = batch::read_inputs(&text);
    let mut totals = Totals::default();
    let mut sink: Box<dyn Write> = match &args.output {
        Some(path) => {
            // Read line by line: a long run's output is not held in memory.
            let (done, cut_short) = match std::fs::File::open(path) {
                Ok(f) => {
                    let done = batch::done_inputs_from(std::io::BufReader::new(&f));
                    (done, ends_without_newline(&f))
                }
                Err(_) => Default::default(),
            };
            let before = inputs.len();
            inputs.retain(|i| !done.contains(i));
            totals.resumed = before - inputs.len();
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| UsageError(format!("cannot write {}: {e}", path.display())))?;
            // A line cut short by an interruption: start on a fresh line.
            if cut_short {
                f.write_all(b"\n")?;
            }
            Box::new(std::io::BufWriter::new(f))
        }
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let total = inputs.len();
    let t0 = Instant::now();
    let tty = std::io::stderr().is_terminal();
    let mut last = Instant::now();
    let mut n = 0usize;
    let mut failed: Option<std::io::Error> = None;
    batch::run(
        engine,
        inputs,
        options,
        usize::from(args.concurrency),
        |line: BatchLine| {
            totals.add(&line);
            n += 1;
            if failed.is_none() {
                let written = serde_json::to_writer(&mut sink, &line)
                    .map_err(std::io::Error::other)
                    .and_then(|_| sink.write_all(b"\n"));
                if let Err(e) = written {
                    failed = Some(e);
                }
            }
            if last.elapsed() >= Duration::from_secs(1) || n == total {
                last = Instant::now();
                let rate = n as f64 / t0.elapsed().as_secs_f64().max(1e-9);
                if tty {
                    eprint!("\r\x1b[2K{n}/{total} domains ({rate:.0}/s)");
                } else {
                    eprintln!("{n}/{total} domains ({rate:.0}/s)");
                }
            }
        },
    )
    .await;
    if tty && total > 0 {
        eprintln!();
    }
    if let Some(e) = failed {
        return Err(UsageError(format!("cannot write the output: {e}")));
    }
    sink.flush()?;
    drop(sink);
    let secs = t0.elapsed().as_secs_f64();
    eprintln!(
        "{} domains in {secs:.1} s ({:.0}/s); {} resumed from the output, {} not an address or domain\n  autoconfig {}  SRV {}  implicit TLS {}  STARTTLS only {}  cleartext only {}  nothing {}  unknown {}\n  {} with lookups that got no answer (timeouts, SERVFAIL): run those again to be sure",
        totals.domains,
        totals.domains as f64 / secs.max(1e-9),
        totals.resumed,
        totals.invalid,
        totals.autoconfig,
        totals.srv,
        totals.implicit_tls,
        totals.starttls_only,
        totals.cleartext_only,
        totals.nothing,
        totals.unknown,
        totals.incomplete
    );
    if args.json && args.output.is_some() {
        render::json(&totals)?;
    }
    Ok(Exit::Clean)
}

/// Whether a file is not empty and does not end with a newline (its last line was cut short).
fn ends_without_newline(mut f: &std::fs::File) -> bool {
    use std::io::{Read, Seek, SeekFrom};
    let mut last = [0u8; 1];
    f.seek(SeekFrom::End(-1)).is_ok() && f.read_exact(&mut last).is_ok() && last[0] != b'\n'
}
