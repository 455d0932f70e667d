//! Outlook Autodiscover "POX" responses for IMAP, POP3 and SMTP accounts ([MS-OXDSCLI] §2.2.4).
//!
//! One `<Protocol>` per server: IMAP first, then POP3, then SMTP, each the preferred server of
//! its kind. `<Encryption>` says which TLS: `SSL` is implicit TLS, `TLS` is STARTTLS, `None` is
//! none; `<SSL>` is kept for older Outlook versions that read only it.

use super::xml::XmlWriter;
use super::{ExportError, Format, Plan, PlanServer};
use crate::model::{Auth, Protocol, Security};

const RESPONSE_NS: &str = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006";
const OUTLOOK_NS: &str =
    "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";

/// How a server signs in, as POX can say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Login {
    /// A password (normal or app password) over the connection.
    Password,
    /// No login.
    None,
}

/// The first of the server's methods POX can express.
fn login_for(s: &PlanServer) -> Result<Login, ExportError> {
    s.auth
        .iter()
        .find_map(|a| match a {
            Auth::Password | Auth::AppPassword => Some(Login::Password),
            Auth::None => Some(Login::None),
            _ => None,
        })
        .ok_or_else(|| {
            let first = s.auth.first().copied().unwrap_or(Auth::Password);
            let help = match first {
                Auth::Oauth2 => "Outlook signs in to the big providers with their own account types (File → Add Account); for others, use a password or an app password",
                Auth::EncryptedPassword => "Outlook cannot do CRAM-MD5; use the normal password over an encrypted connection",
                _ => "Outlook cannot sign in to this server with a POX configuration",
            };
            ExportError::Unexpressible {
                format: Format::Autodiscover,
                what: format!("{} on {}", super::auth_label(first), s.host),
                help: help.into(),
            }
        })
}

/// The preferred server of each protocol, IMAP, POP3, SMTP.
fn chosen(plan: &Plan) -> Vec<&PlanServer> {
    [Protocol::Imap, Protocol::Pop3, Protocol::Smtp]
        .iter()
        .filter_map(|p| plan.servers().find(|s| s.protocol == *p))
        .collect()
}

pub(crate) fn write(plan: &Plan) -> Result<String, ExportError> {
    // As the other account formats: an account that cannot send is not one Outlook sets up.
    if plan.outgoing.is_empty() {
        return Err(ExportError::Unexpressible {
            format: Format::Autodiscover,
            what: "an account without an outgoing server".into(),
            help: "Outlook needs an SMTP <Protocol> to send; add `outgoing` to the account".into(),
        });
    }
    let servers: Vec<(&PlanServer, Login)> = chosen(plan)
        .into_iter()
        .map(|s| Ok((s, login_for(s)?)))
        .collect::<Result<_, ExportError>>()?;
    let mut w = XmlWriter::new(b' ', 2);
    w.declaration("utf-8");
    w.start("Autodiscover", &[("xmlns", RESPONSE_NS)]);
    w.start("Response", &[("xmlns", OUTLOOK_NS)]);
    w.start("Account", &[]);
    w.element("AccountType", &[], "email");
    w.element("Action", &[], "settings");
    for (s, login) in &servers {
        protocol(&mut w, plan, s, *login);
    }
    w.end("Account");
    w.end("Response");
    w.end("Autodiscover");
    Ok(w.finish()?)
}

fn on_off(b: bool) -> &'static str {
    if b {
        "on"
    } else {
        "off"
    }
}

fn protocol(w: &mut XmlWriter, plan: &Plan, s: &PlanServer, login: Login) {
    let kind = match s.protocol {
        Protocol::Imap => "IMAP",
        Protocol::Pop3 => "POP3",
        Protocol::Smtp => "SMTP",
    };
    let encryption = match s.security {
        Security::Tls => "SSL",
        Security::Starttls => "TLS",
        Security::None => "None",
    };
    w.start("Protocol", &[]);
    w.element("Type", &[], kind);
    w.element("Server", &[], &s.host);
    w.element("Port", &[], &s.port.to_string());
    w.element("DomainRequired", &[], "off");
    if login == Login::Password {
        if let Some(u) = s.username.resolve(plan.email.as_ref()) {
            w.element("LoginName", &[], &u);
        }
    }
    // SPA is NTLM; mailsetup never asks for it.
    w.element("SPA", &[], "off");
    w.element("SSL", &[], on_off(s.security.is_encrypted()));
    w.element("Encryption", &[], encryption);
    w.element("AuthRequired", &[], on_off(login == Login::Password));
    w.end("Protocol");
}
