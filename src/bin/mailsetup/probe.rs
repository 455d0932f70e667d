//! `mailsetup probe`: connect to a mail server for real and report what it does.

//!
//! Everything a server, a certificate or DNS said is printed through [`Escaped`] (human output)
//! or as JSON escapes (`--json`): control characters, escape sequences, C1 controls and
//! direction overrides never reach the terminal as themselves.

use crate::render::{self, severity_style, verdict_style, BOLD, DIM, GREEN};
use crate::{CmdResult, UsageError};
use anstyle::{AnsiColor, Style};
use mailsetup::probe::{
    self, Credentials, EndpointReport, Injection, LoginResult, ProbeOptions, ProbeReport,
    ProbeRequest, Progress, Secret, Trust,
};
use mailsetup::text::Escaped;
use mailsetup::{Auth, Protocol, Security, Verdict};
use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Connect to a mail server and report what it really does: TLS, certificate, greeting,
/// capabilities, STARTTLS, authentication.
#[derive(clap::Args)]
#[command(after_help = "\
Examples:
  mailsetup probe imap.example.com                 # IMAP on 993 (TLS) and 143 (STARTTLS), side by side
  mailsetup probe smtp.example.com:587
  mailsetup probe mail.example.com                 # every protocol's standard ports
  mailsetup probe imaps://127.0.0.1:10993 --ca-file ca.crt
  mailsetup probe mail.example.com --protocol imap --port 143 --security starttls --auth password
  MAILSETUP_PASSWORD=… mailsetup probe imap.example.com:993 --login me@example.com

Targets: HOST, HOST:PORT, [IPv6]:PORT, or a URL (imap, imaps, pop3, pop3s, smtp, smtps, submission,
submissions). A known port implies the protocol and security; on other ports both are detected.
Settings flags (--security, --auth, --username, --email) are compared with what the server does.

--login checks a password once per protocol: on the endpoint named, or else the best one (implicit
TLS first), one protocol after the other, and only over TLS with a certificate that verifies for the
host (and a STARTTLS nobody injected into). The password comes from MAILSETUP_PASSWORD or a hidden
prompt, and is never printed.

Exit codes: 0 no error findings, 1 error findings, 2 bad usage.")]
pub struct Args {
    /// What to probe: HOST, HOST:PORT or imaps://HOST:PORT (several are probed concurrently).
    #[arg(value_name = "HOST[:PORT]", required = true)]
    targets: Vec<String>,
    /// imap, pop3 or smtp (when the port does not say).
    #[arg(long)]
    protocol: Option<Protocol>,
    /// The port, for targets without one.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    port: Option<u16>,
    /// The configured security: tls (ssl), starttls, or none; compared with reality.
    #[arg(long)]
    security: Option<Security>,
    /// The configured authentication (password, app-password, oauth2, encrypted-password, …).
    #[arg(long)]
    auth: Option<Auth>,
    /// The configured login name.
    #[arg(long)]
    username: Option<String>,
    /// The email address (an incoming server's account).
    #[arg(long)]
    email: Option<String>,
    /// Trust only the certificates in this PEM file (instead of the usual public roots).
    #[arg(long, value_name = "PEM")]
    ca_file: Option<PathBuf>,
    /// Verify the certificate for this name (and send it as SNI), e.g. when probing an IP address.
    #[arg(long, value_name = "NAME")]
    tls_name: Option<String>,
    /// Seconds allowed for each endpoint, all stages together (DNS included); a --login has as
    /// long again for each protocol.
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = parse_timeout)]
    timeout: Duration,
    /// Check this login, once per protocol (the password from MAILSETUP_PASSWORD, or asked for
    /// without echo).
    #[arg(long, value_name = "USER")]
    login: Option<String>,
    /// Ask this DNS server instead of the system's resolvers (/etc/resolv.conf, /etc/hosts).
    #[arg(long, value_name = "ADDR:PORT")]
    resolver: Option<SocketAddr>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// Add N to every standard port (993 → 993+N): for a test server or a lab that maps ports.
    #[arg(long, value_name = "N", default_value = "0", hide = true)]
    standard_port_offset: u16,
}

fn parse_timeout(s: &str) -> Result<Duration, String> {
    let secs: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a number of seconds"))?;
    if !(0.05..=600.0).contains(&secs) {
        return Err("the timeout must be between 0.05 and 600 seconds".into());
    }
    Ok(Duration::from_secs_f64(secs))
}

pub fn run(args: Args) -> CmdResult {
    let trust = match &args.ca_file {
        Some(path) => {
            let shown = path.display().to_string();
            let bytes = crate::input::read_bytes(path, probe::MAX_CA_FILE, "a CA file")
                .map_err(|e| UsageError(format!("CA file {shown}: {e}")))?;
            Trust::from_pem(&bytes, &shown).map_err(UsageError)?
        }
        None => Trust::WebPkiRoots,
    };
    let login = match &args.login {
        Some(user) => Some(Credentials {
            user: user.clone(),
            password: password_for(user)?,
        }),
        None => None,
    };
    let progress = (!args.json && std::io::stderr().is_terminal()).then(progress_line);
    let request = ProbeRequest {
        targets: args.targets,
        protocol: args.protocol,
        port: args.port,
        security: args.security,
        auth: args.auth,
        username: args.username,
        email: args.email,
        options: ProbeOptions {
            timeout: args.timeout,
            trust,
            tls_name: args.tls_name,
            login,
            progress: progress.clone(),
            now: None,
            standard_port_offset: args.standard_port_offset,
            resolver: args.resolver,
        },
    };
    let report = probe::probe_blocking(request);
    if progress.is_some() {
        eprint!("\r\x1b[2K");
    }
    let report = report?;
    if args.json {
        render::json(&report)?;
    } else {
        human(&report)?;
    }
    Ok(render::exit_for(&report.as_report()))
}

/// The password for `--login`: MAILSETUP_PASSWORD, or a prompt without echo on the terminal.
fn password_for(user: &str) -> Result<Secret, UsageError> {
    if let Ok(p) = std::env::var("MAILSETUP_PASSWORD") {
        if p.is_empty() {
            return Err(UsageError("MAILSETUP_PASSWORD is empty".into()));
        }
        return Ok(Secret::new(p));
    }
    if !std::io::stdin().is_terminal() {
        return Err(UsageError(
            "--login needs a password: set MAILSETUP_PASSWORD, or run in a terminal to be asked"
                .into(),
        ));
    }
    let p = rpassword::prompt_password(format!("password for {user} (not shown): "))
        .map_err(|e| UsageError(format!("cannot read the password: {e}")))?;
    if p.is_empty() {
        return Err(UsageError("empty password".into()));
    }
    Ok(Secret::new(p))
}

/// One status line on stderr, rewritten as endpoints move through their stages.
fn progress_line() -> probe::ProgressFn {
    let state: Mutex<Vec<(String, &'static str, bool)>> = Mutex::new(Vec::new());
    Arc::new(move |p: &Progress| {
        let Ok(mut s) = state.lock() else { return };
        if s.len() <= p.index {
            s.resize(p.index + 1, (String::new(), "", false));
        }
        s[p.index] = (p.label.clone(), p.stage, p.done);
        let done = s.iter().filter(|e| e.2).count();
        let running: Vec<String> = s
            .iter()
            .filter(|e| !e.2 && !e.0.is_empty())
            .map(|e| format!("{} {}", e.0, e.1))
            .collect();
        let mut line = format!("probing {done}/{} done: {}", s.len(), running.join(" | "));
        if line.chars().count() > 110 {
            line = line.chars().take(109).collect::<String>() + "…";
        }
        eprint!("\r\x1b[2K{line}");
        let _ = std::io::stderr().flush();
    })
}

const STAGE_W: usize = 22;

fn human(r: &ProbeReport) -> std::io::Result<()> {
    let mut out = anstream::stdout().lock();
    let n = r.endpoints.len();
    let targets: Vec<String> = r.targets.iter().map(|t| Escaped(t).to_string()).collect();
    writeln!(
        out,
        "{BOLD}probe{BOLD:#} {}  {DIM}({n} endpoint{}, {:.1} ms, {}){DIM:#}",
        targets.join(" "),
        if n == 1 { "" } else { "s" },
        r.ms,
        r.checked_at
    )?;
    for e in &r.endpoints {
        writeln!(out)?;
        endpoint(&mut out, e)?;
    }
    writeln!(out)?;
    drop(out);
    render::report("findings", &r.as_report())
}

/// "3 days", "1 day".
fn days(n: i64) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

fn endpoint(out: &mut impl Write, e: &EndpointReport) -> std::io::Result<()> {
    let title = Escaped(&e.label()).to_string();
    let (word, style) = match (e.secure, e.verdict) {
        (true, Verdict::Ok) => ("secure".to_string(), GREEN),
        (true, v) => (format!("secure, {}", v.as_str()), verdict_style(v)),
        (false, _) if e.failure.is_none() && e.greeting.is_some() => (
            "works, NOT secure".to_string(),
            severity_style(mailsetup::Severity::Error),
        ),
        // A standard endpoint where nothing listens, beside others: absent, not broken.
        (false, _)
            if e.role == probe::Role::Standard
                && e.failure
                    .as_ref()
                    .is_some_and(|f| f.kind == probe::FailureKind::ConnectFailed) =>
        {
            ("not offered".to_string(), DIM)
        }
        (false, _) => (
            "fails".to_string(),
            severity_style(mailsetup::Severity::Error),
        ),
    };
    let role = match e.role {
        probe::Role::Given => "",
        probe::Role::Standard => "  (standard endpoint)",
        probe::Role::Alternative => "  (probed because the configured one failed)",
    };
    writeln!(
        out,
        "{BOLD}{title}{BOLD:#}  {style}{word}{style:#}{DIM}{role}{DIM:#}"
    )?;
    writeln!(
        out,
        "  {DIM}{:>9} {:>9}  {:<STAGE_W$} what{DIM:#}",
        "start", "took", "stage"
    )?;
    for s in &e.timeline {
        let mark: Style = if s.ok {
            Style::new()
        } else {
            AnsiColor::Red.on_default()
        };
        writeln!(
            out,
            "  {:>6.2} ms {:>6.2} ms  {mark}{:<STAGE_W$}{mark:#} {}",
            s.start_ms,
            s.ms,
            s.stage.as_str(),
            Escaped(&s.detail)
        )?;
    }
    let pad = " ".repeat(4);
    if let Some(t) = &e.tls {
        for (i, c) in t.chain.iter().enumerate() {
            let what = if i == 0 { "certificate" } else { "issued by" };
            writeln!(out, "{pad}{DIM}{what:<13}{DIM:#}{}", Escaped(&c.subject))?;
            let when = if c.days_left < 0 {
                format!("expired {} ago", days(-c.days_left))
            } else if c.days_until_valid > 0 {
                format!("not valid yet: valid in {}", days(c.days_until_valid))
            } else {
                format!("expires in {}", days(c.days_left))
            };
            let mut facts = vec![format!("valid {} → {} ({when})", c.not_before, c.not_after)];
            facts.push(if c.key_type.starts_with("EC") || c.key_bits == 0 {
                Escaped(&c.key_type).to_string()
            } else {
                format!("{} {}", c.key_type, c.key_bits)
            });
            facts.push(Escaped(&c.signature_algorithm).to_string());
            if c.self_signed {
                facts.push("self-signed".into());
            }
            writeln!(out, "{pad}{:<13}{}", "", facts.join(", "))?;
            if !c.sans.is_empty() {
                writeln!(out, "{pad}{:<13}names: {}", "", Escaped(&c.sans.join(", ")))?;
            }
        }
        let verdict = if t.verified {
            format!(
                "{GREEN}verified{GREEN:#} for {} against {}",
                Escaped(&t.name_checked),
                t.trust
            )
        } else {
            let bad = severity_style(mailsetup::Severity::Error);
            let mut why = Vec::new();
            if let Some(c) = &t.chain_error {
                why.push(Escaped(c).to_string());
            }
            if !t.name_matches {
                why.push(format!("not valid for {}", Escaped(&t.name_checked)));
            }
            format!(
                "{bad}NOT verified{bad:#}: {} (trust: {})",
                why.join("; "),
                t.trust
            )
        };
        writeln!(out, "{pad}{DIM}{:<13}{DIM:#}{verdict}", "trust")?;
        if let Some(names) = mailsetup::probe::suite_names_of(&t.cipher_suite) {
            writeln!(
                out,
                "{pad}{DIM}{:<13}{DIM:#}{} {} (OpenSSL: {})",
                "session", t.version, names.iana, names.openssl
            )?;
        }
        if !t.legacy_versions.is_empty() {
            let warn = severity_style(mailsetup::Severity::Warning);
            writeln!(
                out,
                "{pad}{DIM}{:<13}{DIM:#}{warn}still accepts {}{warn:#}",
                "old TLS",
                t.legacy_versions.join(" and ")
            )?;
        }
    }
    let methods = |m: &Option<Vec<String>>| match m {
        None => "?".to_string(),
        Some(v) if v.is_empty() => "none".to_string(),
        Some(v) => Escaped(&v.join(" ")).to_string(),
    };
    if e.auth.before_tls.is_some() || e.auth.after_tls.is_some() {
        let mut s = String::new();
        if e.auth.before_tls.is_some() {
            s += &format!("before TLS: {}", methods(&e.auth.before_tls));
            if e.auth.login_disabled_before_tls == Some(true) {
                s += " (LOGINDISABLED)";
            }
            if let Some(refused) = &e.auth.cleartext_refused {
                s += &format!(" (USER refused: {})", Escaped(refused));
            }
            s += "   ";
        }
        if e.auth.after_tls.is_some() {
            s += &format!("after TLS: {}", methods(&e.auth.after_tls));
        }
        writeln!(out, "{pad}{DIM}{:<13}{DIM:#}{s}", "auth")?;
    }
    if let Some(st) = &e.starttls {
        let inj = match &st.injection {
            Injection::NotVulnerable { .. } => "injection: not vulnerable".to_string(),
            Injection::Vulnerable { .. } => "injection: VULNERABLE".to_string(),
            Injection::Inconclusive { why } => {
                format!("injection: inconclusive ({})", Escaped(why))
            }
            Injection::NotTested => "injection: not tested".to_string(),
        };
        writeln!(
            out,
            "{pad}{DIM}{:<13}{DIM:#}advertised: {}, accepted: {}, {inj}",
            "starttls",
            yes(st.advertised),
            yes(st.accepted)
        )?;
    }
    if let Some(p) = &e.pop3 {
        writeln!(
            out,
            "{pad}{DIM}{:<13}{DIM:#}UIDL {}, EXPIRE {}, LOGIN-DELAY {}, TOP {}, APOP {}",
            "pop3",
            yes(p.uidl),
            Escaped(p.expire.as_deref().unwrap_or("not announced")),
            p.login_delay
                .map_or("none".to_string(), |d| format!("{d} s")),
            yes(p.top),
            yes(p.apop)
        )?;
    }
    if let Some(s) = &e.smtp {
        let size = match (s.size, s.no_size_limit) {
            (Some(n), _) => format!("{n} bytes"),
            (None, true) => "no fixed limit".to_string(),
            (None, false) => "not announced".to_string(),
        };
        writeln!(
            out,
            "{pad}{DIM}{:<13}{DIM:#}SIZE {size}, 8BITMIME {}, SMTPUTF8 {}, PIPELINING {}, AUTH {}",
            "smtp",
            yes(s.eight_bit_mime),
            yes(s.smtputf8),
            yes(s.pipelining),
            if s.auth.is_empty() {
                "none".to_string()
            } else {
                Escaped(&s.auth.join(" ")).to_string()
            }
        )?;
    }
    if let Some(l) = &e.login {
        let (word, style) = match l.result {
            LoginResult::Accepted => ("accepted", GREEN),
            LoginResult::Rejected => ("REJECTED", severity_style(mailsetup::Severity::Error)),
            LoginResult::Inconclusive => {
                ("not judged", severity_style(mailsetup::Severity::Warning))
            }
            LoginResult::NotAttempted => (
                "not attempted",
                severity_style(mailsetup::Severity::Warning),
            ),
        };
        writeln!(
            out,
            "{pad}{DIM}{:<13}{DIM:#}{} {style}{word}{style:#}{}: {}",
            "login",
            Escaped(&l.user),
            l.mechanism
                .as_deref()
                .map(|m| format!(" ({m})"))
                .unwrap_or_default(),
            Escaped(&l.response)
        )?;
    }
    writeln!(
        out,
        "{pad}{DIM}{:<13}{:.2} ms, {} bytes received{DIM:#}",
        "total", e.ms, e.bytes_received
    )?;
    Ok(())
}

fn yes(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}
