//! The concrete account for a provider: its preferred servers, the username in the provider's
//! format, the sign-in method, POP3 options that fit the situation, and the steps around them.

use super::{Situation, Step, StepKind};
use crate::model::{Account, Auth, Email, Pop3Options, Protocol, Server};
use crate::providers::{
    ChangeStatus, CredentialKind, Endpoint, Provider, Sourced, UsernameForm, UsernameFormat,
};

/// Days a POP3 server keeps a downloaded message when the copy is a safety net (or gives the
/// other devices time to fetch it) but should not stay for ever.
pub const POP3_KEEP_DAYS: u32 = 14;

/// The account and the steps around it.
pub(super) struct Built {
    pub account: Account,
    pub steps: Vec<Step>,
}

/// POP3 options for a situation:
///
/// | others read it too¹ | wants it off the server² | leave a copy | delete after |
/// |---|---|---|---|
/// | yes | no  | yes | never (webmail and the others keep everything) |
/// | yes | yes | yes | 14 days (the others get two weeks to fetch it) |
/// | no  | yes | no  | — |
/// | no  | no  | yes | 14 days (a safety net if a download or the device fails) |
///
/// ¹ several devices, webmail, or several people. ² `keepNothingOnServer` or `lowStorage`.
pub fn pop3_options(s: &Situation) -> Pop3Options {
    let others = s.several_clients() || s.webmail();
    let trim = s.keep_nothing_on_server() || s.low_storage();
    let (leave_on_server, delete_after_days) = match (others, trim) {
        (true, false) => (true, None),
        (true, true) | (false, false) => (true, Some(POP3_KEEP_DAYS)),
        (false, true) => (false, None),
    };
    Pop3Options {
        leave_on_server,
        delete_after_days,
    }
}

/// The username in `format` for `email` at provider `p`; `None` when it cannot be known: a
/// generated name, or the part before the @ of an address on another domain (an own domain
/// hosted by the provider: the name part of the provider's address is not the own domain's).
fn username(p: &Provider, format: Option<UsernameFormat>, email: &str) -> Option<String> {
    match format? {
        UsernameFormat::EmailAddress | UsernameFormat::Either => Some(email.to_owned()),
        UsernameFormat::LocalPart => {
            let e = Email::split(email)?;
            let domain = e.domain.to_ascii_lowercase();
            p.has_domain(&domain).then(|| e.local.to_owned())
        }
        UsernameFormat::Generated => None,
    }
}

fn server(
    p: &Provider,
    ep: &Endpoint,
    email: Option<&str>,
    auth: Option<Auth>,
    recent: bool,
) -> Server {
    let username = email
        .and_then(|e| username(p, ep.username.format(), e))
        .map(|u| if recent { format!("recent:{u}") } else { u });
    Server {
        protocol: ep.protocol,
        host: ep.host.clone(),
        port: ep.port,
        security: ep.security,
        auth,
        username,
    }
}

/// The account for `protocol` at provider `p`, or `None` when the provider documents no server
/// for it.
pub(super) fn build(p: &Provider, protocol: Protocol, s: &Situation) -> Option<Built> {
    let email = s
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| crate::model::email::address_problem(e).is_ok());
    // The endpoints for the address's domain (an own domain hosted by the provider gets its
    // custom-domain ones, where it documents them: iCloud+ signs in with the iCloud address).
    let domain = email
        .and_then(Email::split)
        .map(|e| e.domain.to_ascii_lowercase());
    let endpoint = |proto: Protocol| match &domain {
        Some(d) => p
            .servers_for_domain(proto, d)
            .next()
            .or_else(|| p.preferred(proto)),
        None => p.preferred(proto),
    };
    let incoming_ep = endpoint(protocol)?;
    let auth_for = |proto: Protocol| p.sign_in_methods(proto).first().copied();
    let recent = protocol == Protocol::Pop3 && s.several_clients() && p.recent_mode();
    let server_setting = p.pop3.iter().find(|n| n.server_setting);
    let account = Account {
        email: email.map(str::to_owned),
        incoming: server(p, incoming_ep, email, auth_for(protocol), recent),
        outgoing: endpoint(Protocol::Smtp)
            .map(|ep| server(p, ep, email, auth_for(Protocol::Smtp), false)),
        pop3: (protocol == Protocol::Pop3).then(|| {
            let mut opts = pop3_options(s);
            // Where the provider decides what happens to downloaded mail (Gmail), the app's
            // "remove after N days" does nothing; do not pretend it does.
            if server_setting.is_some() {
                opts.delete_after_days = None;
            }
            opts
        }),
    };

    let mut steps = Vec::new();
    let protocols = [protocol, Protocol::Smtp];
    let mut enables: Vec<&crate::providers::Enable> = Vec::new();
    for t in protocols.iter().filter_map(|x| p.enable_for(*x)) {
        if !enables.iter().any(|e| std::ptr::eq(*e, t)) {
            enables.push(t);
        }
    }
    for t in enables {
        steps.push(Step {
            kind: StepKind::Enable,
            text: t.steps.clone(),
            url: t.url.clone(),
            source: Some(p.attribution(t)),
        });
    }
    steps.extend(sign_in_steps(p, protocol));
    for plan in p
        .plans
        .iter()
        .filter(|x| x.protocols.is_empty() || protocols.iter().any(|y| x.protocols.contains(y)))
    {
        steps.push(Step {
            kind: StepKind::Plan,
            text: plan.text.clone(),
            url: None,
            source: Some(p.attribution(plan)),
        });
    }
    let known = account.incoming.username.is_some();
    let format = incoming_ep.username;
    let recent_name = account.incoming.username.as_deref();
    if let Some(text) = username_step(
        p,
        format,
        incoming_ep.username_note.as_deref(),
        known,
        email.is_some(),
        recent.then_some(recent_name),
    ) {
        steps.push(Step {
            kind: StepKind::Username,
            text,
            url: None,
            source: Some(p.attribution(incoming_ep)),
        });
    }
    if let (Some(fact), Some(opts)) = (server_setting, account.pop3) {
        let choice = if opts.leave_on_server {
            "keep the server's copy"
        } else {
            "delete the server's copy"
        };
        steps.push(Step {
            kind: StepKind::ServerSetting,
            text: format!(
                "{} For these settings, choose to {choice}; the mail app's \"leave a copy on the server\" does not change what {} does.",
                fact.summary, p.name
            ),
            url: None,
            source: Some(p.attribution(fact)),
        });
    }
    if protocol == Protocol::Pop3 {
        for fact in p
            .pop3
            .iter()
            .filter(|n| !n.server_setting && !n.recent_mode)
        {
            steps.push(note(p, fact.summary.clone(), fact));
        }
    }
    for r in p
        .client_requirements
        .iter()
        .filter(|x| x.protocols.is_empty() || protocols.iter().any(|y| x.protocols.contains(y)))
    {
        steps.push(note(p, r.text.clone(), r));
    }
    steps.extend(bridge_steps(p));
    steps.extend(help(p));
    Some(Built { account, steps })
}

/// How to sign in: the credential a source says is accepted, with what it needs and how to get
/// it; what is refused; that no source says, when none does; announced changes.
fn sign_in_steps(p: &Provider, protocol: Protocol) -> Vec<Step> {
    let mut steps = Vec::new();
    let refused = match p.judge_auth(protocol, Auth::Password) {
        crate::providers::AuthVerdict::Refused(c) => Some(c),
        _ => None,
    };
    match p.accepted(protocol).next() {
        Some(c) => {
            let mut text = p.sign_in_note(protocol);
            if let Some(how) = p.accepted(protocol).find_map(|c| c.how.as_deref()) {
                text.push(' ');
                text.push_str(how);
            }
            if c.kind != CredentialKind::Oauth2 && c.kind != CredentialKind::AccountPassword {
                text.push_str(&format!(
                    " In the mail app, choose the normal-password sign-in and type {} as the password.",
                    c.kind.phrase()
                ));
            }
            let basis = refused.unwrap_or(c);
            steps.push(Step {
                kind: StepKind::SignIn,
                text,
                url: None,
                source: Some(p.attribution(basis)),
            });
        }
        None => steps.push(Step {
            kind: StepKind::SignIn,
            text: p.sign_in_note(protocol),
            url: None,
            source: None,
        }),
    }
    for c in p.changes.iter().filter(|c| {
        c.status == ChangeStatus::Announced
            && (c.protocols.is_empty()
                || c.protocols.contains(&protocol)
                || c.protocols.contains(&Protocol::Smtp))
    }) {
        steps.push(Step {
            kind: StepKind::Note,
            text: format!("Announced for {}: {}", c.date, c.summary),
            url: None,
            source: Some(p.attribution(c)),
        });
    }
    steps
}

/// Without a known provider: the settings to fill in — implicit TLS on the standard port of the
/// recommended protocol and of SMTP (RFC 8314), the normal-password sign-in, the address as the
/// username (what most providers want), the POP3 options for this situation, and empty host
/// names, which only the provider's own help can give.
pub(super) fn template(protocol: Protocol, s: &Situation) -> Account {
    use crate::model::{ports, Security};
    let email = s
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| crate::model::email::address_problem(e).is_ok())
        .map(str::to_owned);
    let server = |protocol: Protocol| Server {
        protocol,
        host: String::new(),
        port: match protocol {
            Protocol::Imap => ports::IMAPS,
            Protocol::Pop3 => ports::POP3S,
            Protocol::Smtp => ports::SUBMISSIONS,
        },
        security: Security::Tls,
        auth: Some(Auth::Password),
        username: email.clone(),
    };
    Account {
        email: email.clone(),
        incoming: server(protocol),
        outgoing: Some(server(Protocol::Smtp)),
        pop3: (protocol == Protocol::Pop3).then(|| pop3_options(s)),
    }
}

/// Steps for a provider that no mail app can reach directly: why, its bridge, its own
/// instructions.
pub(super) fn steps_without_access(p: &Provider) -> Vec<Step> {
    let mut steps: Vec<Step> = p
        .no_mail_app_access
        .iter()
        .map(|x| note(p, x.text.clone(), x))
        .collect();
    if steps.is_empty() {
        if let Some(n) = p.mail_app_access_not_offered() {
            steps.push(note(p, n.summary.clone(), n));
        }
    }
    steps.extend(bridge_steps(p));
    steps.extend(help(p));
    steps
}

fn bridge_steps(p: &Provider) -> Vec<Step> {
    p.bridges
        .iter()
        .map(|b| Step {
            kind: StepKind::Bridge,
            text: format!("{}: {}", b.name, b.summary),
            url: b.url.clone(),
            source: Some(p.attribution(b)),
        })
        .collect()
}

fn note(p: &Provider, text: String, fact: &impl Sourced) -> Step {
    Step {
        kind: StepKind::Note,
        text,
        url: None,
        source: Some(p.attribution(fact)),
    }
}

fn help(p: &Provider) -> Option<Step> {
    p.help_page().map(|h| Step {
        kind: StepKind::Help,
        text: format!("{}: {}", p.name, h.title),
        url: Some(h.url.clone()),
        source: Some(p.attribution(h)),
    })
}

/// What to say about the username: its format when the settings cannot fill it in (`known` is
/// false), what a generated name is, and why Gmail's `recent:` prefix is there (`recent` holds
/// the incoming username, when known, if recent mode is in use).
fn username_step(
    p: &Provider,
    form: UsernameForm,
    form_note: Option<&str>,
    known: bool,
    have_email: bool,
    recent: Option<Option<&str>>,
) -> Option<String> {
    let name = &p.name;
    let mut text = match form {
        UsernameForm::Generated => format!(
            "The username is not your address: use the one {name} shows for mail apps."
        ),
        UsernameForm::AccountAddress => format!(
            "The username is your {name} account's own address, not the address on your own domain."
        ),
        UsernameForm::Other => form_note.map_or_else(
            || format!("The username is what {name} gives you for mail apps."),
            str::to_owned,
        ),
        UsernameForm::Unknown => format!(
            "No source here says what the username is at {name}; most providers want the full email address."
        ),
        _ if known => String::new(),
        UsernameForm::LocalPart if have_email => format!(
            "The username is the part of your {name} address before the @ (your {name} address, not the one on your own domain)."
        ),
        UsernameForm::LocalPart => {
            format!("The username is the part of your {name} address before the @.")
        }
        UsernameForm::Either => {
            "The username is your full email address (the part before the @ works too).".to_owned()
        }
        _ => "The username is your full email address.".to_owned(),
    };
    // `recent` is `Some(username)` when Gmail's recent mode is in use.
    if let Some(username) = recent {
        if !text.is_empty() {
            text.push(' ');
        }
        let is = match username {
            Some(u) => u.to_owned(),
            None => "\"recent:\" followed by your address".to_owned(),
        };
        text.push_str(&format!(
            "More than one device downloads this mailbox with POP3, so the username is {is}: this \"recent mode\" gives every device the last 30 days of mail, not only what no other device has fetched yet."
        ));
    }
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pop3_options_table() {
        let s = |json: &str| super::super::parse_situation_json(json).unwrap();
        let o = pop3_options(&s(r#"{"devices":1,"backup":true}"#));
        assert_eq!(
            (o.leave_on_server, o.delete_after_days),
            (true, Some(POP3_KEEP_DAYS))
        );
        let o = pop3_options(&s(r#"{"devices":1,"keepNothingOnServer":true}"#));
        assert_eq!((o.leave_on_server, o.delete_after_days), (false, None));
        let o = pop3_options(&s(r#"{"devices":1,"webmail":true}"#));
        assert_eq!((o.leave_on_server, o.delete_after_days), (true, None));
        let o = pop3_options(&s(r#"{"devices":2,"lowStorage":true}"#));
        assert_eq!(
            (o.leave_on_server, o.delete_after_days),
            (true, Some(POP3_KEEP_DAYS))
        );
    }

    #[test]
    fn usernames() {
        let icloud = crate::providers::by_id("icloud").unwrap();
        let name = |f, e| username(icloud, Some(f), e);
        assert_eq!(
            name(UsernameFormat::LocalPart, "me@ME.com").as_deref(),
            Some("me")
        );
        // An own domain hosted at iCloud: the iCloud name is not the own address's local part.
        assert_eq!(name(UsernameFormat::LocalPart, "me@x.org"), None);
        assert_eq!(
            name(UsernameFormat::Either, "me@x.org").as_deref(),
            Some("me@x.org")
        );
        assert_eq!(
            name(UsernameFormat::EmailAddress, "me@x.org").as_deref(),
            Some("me@x.org")
        );
        assert_eq!(name(UsernameFormat::Generated, "me@x.org"), None);
    }
}
