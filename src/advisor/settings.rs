//! The concrete account for a provider: its preferred servers, the username in the provider's
//! format, the sign-in method, POP3 options that fit the situation, and the steps around them.

use super::{Situation, Step, StepKind};
use crate::model::{Account, Auth, Email, Pop3Options, Protocol, Server};
use crate::providers::{Endpoint, Provider, UsernameFormat};

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
fn username(p: &Provider, format: UsernameFormat, email: &str) -> Option<String> {
    match format {
        UsernameFormat::EmailAddress | UsernameFormat::Either => Some(email.to_owned()),
        UsernameFormat::LocalPart => {
            let e = Email::split(email)?;
            let domain = e.domain.to_ascii_lowercase();
            p.domains
                .contains(&domain.as_str())
                .then(|| e.local.to_owned())
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
        .and_then(|e| username(p, p.username_for(ep.protocol), e))
        .map(|u| if recent { format!("recent:{u}") } else { u });
    Server {
        protocol: ep.protocol,
        host: ep.host.to_owned(),
        port: ep.port,
        security: ep.security,
        auth,
        username,
    }
}

/// The account for `protocol` at provider `p`, or `None` when the provider does not offer it.
pub(super) fn build(p: &'static Provider, protocol: Protocol, s: &Situation) -> Option<Built> {
    let incoming_ep = p.preferred(protocol)?;
    let email = s
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| crate::model::email::address_problem(e).is_ok());
    let auth = p.auth.accepted.first().copied();
    let recent =
        protocol == Protocol::Pop3 && s.several_clients() && p.pop3.is_some_and(|n| n.recent_mode);
    let account = Account {
        email: email.map(str::to_owned),
        incoming: server(p, incoming_ep, email, auth, recent),
        outgoing: p
            .preferred(Protocol::Smtp)
            .map(|ep| server(p, ep, email, auth, false)),
        pop3: (protocol == Protocol::Pop3).then(|| {
            let mut opts = pop3_options(s);
            // Where the provider decides what happens to downloaded mail (Gmail), the app's
            // "remove after N days" does nothing; do not pretend it does.
            if p.pop3.is_some_and(|n| n.server_side_setting.is_some()) {
                opts.delete_after_days = None;
            }
            opts
        }),
    };

    let mut steps = Vec::new();
    if let Some(t) = p.toggle_for(protocol) {
        steps.push(Step {
            kind: StepKind::Enable,
            text: t.note.to_owned(),
            url: t.url.map(str::to_owned),
        });
    }
    steps.push(Step {
        kind: StepKind::SignIn,
        text: p.auth.note.to_owned(),
        url: None,
    });
    let known = account.incoming.username.is_some();
    let format = p.username_for(protocol);
    let recent_name = account.incoming.username.as_deref();
    if let Some(text) = username_step(
        p,
        format,
        known,
        email.is_some(),
        recent.then_some(recent_name),
    ) {
        steps.push(Step {
            kind: StepKind::Username,
            text,
            url: None,
        });
    }
    if let (Some(notes), Some(opts)) = (p.pop3.as_ref(), account.pop3) {
        if let Some(setting) = notes.server_side_setting {
            let choice = if opts.leave_on_server {
                "keep the server's copy"
            } else {
                "delete the server's copy"
            };
            steps.push(Step {
                kind: StepKind::ServerSetting,
                text: format!(
                    "{setting} For these settings, choose to {choice}; the mail app's \"leave a copy on the server\" does not change what {} does.",
                    p.name
                ),
                url: None,
            });
        }
        if let Some(n) = notes.note {
            steps.push(note(n));
        }
    }
    steps.extend(p.note.map(note));
    steps.push(help(p));
    Some(Built { account, steps })
}

/// Steps for a provider that no mail app can reach: its note and its own instructions.
pub(super) fn steps_without_access(p: &'static Provider) -> Vec<Step> {
    p.note.map(note).into_iter().chain([help(p)]).collect()
}

fn note(text: &str) -> Step {
    Step {
        kind: StepKind::Note,
        text: text.to_owned(),
        url: None,
    }
}

fn help(p: &Provider) -> Step {
    Step {
        kind: StepKind::Help,
        text: format!("{}: instructions for mail apps.", p.name),
        url: Some(p.help_url.to_owned()),
    }
}

/// What to say about the username: its format when the settings cannot fill it in (`known` is
/// false), what a generated name is, and why Gmail's `recent:` prefix is there (`recent` holds
/// the incoming username, when known, if recent mode is in use).
fn username_step(
    p: &Provider,
    format: UsernameFormat,
    known: bool,
    have_email: bool,
    recent: Option<Option<&str>>,
) -> Option<String> {
    let name = p.name;
    let mut text = match format {
        UsernameFormat::Generated => format!(
            "The username is not your address: use the one {name} shows for mail apps."
        ),
        _ if known => String::new(),
        UsernameFormat::LocalPart if have_email => format!(
            "The username is the part of your {name} address before the @ (your {name} address, not the one on your own domain)."
        ),
        UsernameFormat::LocalPart => {
            format!("The username is the part of your {name} address before the @.")
        }
        UsernameFormat::Either => {
            "The username is your full email address (the part before the @ works too).".to_owned()
        }
        UsernameFormat::EmailAddress => "The username is your full email address.".to_owned(),
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
        let name = |f, e| username(icloud, f, e);
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
