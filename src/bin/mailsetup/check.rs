//! `mailsetup check`: validate settings given as flags, a JSON file, or stdin.

use crate::{render, CmdResult, UsageError};
use mailsetup::providers::{Provider, Providers};
use mailsetup::{
    parse_settings_json, validate_with, Auth, Protocol, Security, Server, Settings,
    ValidationContext,
};
use std::path::{Path, PathBuf};

/// Check server settings against the RFCs and the provider's requirements.
#[derive(clap::Args)]
#[command(after_help = "\
Examples:
  mailsetup check --protocol imap --host imap.gmail.com --port 993 --security tls
  mailsetup check --protocol imap --host imap.gmial.com --port 995 --security starttls
  mailsetup check --protocol pop3 --host pop.gmail.com --port 995 --security ssl --email me@gmail.com
  mailsetup check --protocol smtp --host smtp.qq.com --port 465 --security tls --auth password --email me@qq.com
  mailsetup check account.json
  mailsetup check server.json --email me@example.org --provider-file example-org.json
  echo '{\"protocol\":\"smtp\",\"host\":\"smtp.gmail.com\",\"port\":25,\"security\":\"none\"}' | mailsetup check -

The JSON is an Account {email?, incoming, outgoing?, pop3?} or a single Server
{protocol, host, port, security, auth?, username?}. --email gives the address a single server
is for (IMAP, POP3 or SMTP). --provider-file adds an organisation's own provider, in the format
of mailsetup's provider data files as JSON (src/providers/data/SCHEMA.md), looked up before the
curated table.")]
pub struct Args {
    /// An Account or Server as JSON; `-` reads standard input. Leave out to use the flags.
    #[arg(value_name = "FILE", conflicts_with_all = ["protocol", "host", "port", "security", "auth", "username"])]
    file: Option<PathBuf>,
    /// imap, pop3 or smtp.
    #[arg(long)]
    protocol: Option<Protocol>,
    /// The server's host name.
    #[arg(long)]
    host: Option<String>,
    /// The port (1-65535).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    port: Option<u16>,
    /// tls (also: ssl, ssl/tls), starttls, or none (also: plain).
    #[arg(long)]
    security: Option<Security>,
    /// password, app-password, oauth2, encrypted-password, client-certificate or none.
    #[arg(long)]
    auth: Option<Auth>,
    /// The login name.
    #[arg(long)]
    username: Option<String>,
    /// The email address the server is for (selects the provider); an account's own wins.
    #[arg(long)]
    email: Option<String>,
    /// A provider of your own, as JSON in the data-file format, judged before the table.
    #[arg(long, value_name = "FILE")]
    provider_file: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> CmdResult {
    let settings = match &args.file {
        Some(path) => read_settings(path)?,
        None => from_flags(&args)?,
    };
    let own: Vec<Provider> = match &args.provider_file {
        Some(path) => vec![read_provider(path)?],
        None => Vec::new(),
    };
    let context = ValidationContext {
        email: args.email.as_deref(),
        providers: Providers::with(&own),
    };
    let report = validate_with(&settings, &context);
    if args.json {
        render::json(&report)?;
    } else {
        render::report("check", &report)?;
    }
    Ok(render::exit_for(&report))
}

fn read_settings(path: &Path) -> Result<Settings, UsageError> {
    let name = mailsetup::text::Escaped(&path.to_string_lossy()).to_string();
    let text = crate::input::read_capped(path, 1 << 20, "a settings file")
        .map_err(|e| UsageError(format!("{name}: {e}")))?;
    parse_settings_json(&text).map_err(|e| UsageError(format!("{name}: {e}")))
}

fn read_provider(path: &Path) -> Result<Provider, UsageError> {
    let name = path.display();
    let text = crate::input::read_capped(path, 1 << 20, "a provider file")
        .map_err(|e| UsageError(format!("{name}: {e}")))?;
    Provider::from_json(&text).map_err(|e| UsageError(format!("{name}: {e}")))
}

fn from_flags(a: &Args) -> Result<Settings, UsageError> {
    let missing: Vec<&str> = [
        ("--protocol", a.protocol.is_none()),
        ("--host", a.host.is_none()),
        ("--port", a.port.is_none()),
        ("--security", a.security.is_none()),
    ]
    .into_iter()
    .filter_map(|(n, m)| m.then_some(n))
    .collect();
    if !missing.is_empty() {
        return Err(UsageError(format!(
            "missing {}; give a FILE (or - for stdin) or all of --protocol, --host, --port and --security",
            missing.join(", ")
        )));
    }
    let (Some(protocol), Some(host), Some(port), Some(security)) =
        (a.protocol, a.host.clone(), a.port, a.security)
    else {
        unreachable!("checked above")
    };
    let server = Server {
        protocol,
        host,
        port,
        security,
        auth: a.auth,
        username: a.username.clone(),
    };
    Ok(Settings::Server(server))
}
