//! The provider data. Sorted by id (a test keeps it so). Every fact has a source and the date it
//! was last checked against it.

use super::*;
use crate::model::Auth::{AppPassword, Oauth2};
use crate::model::Protocol::{Imap, Pop3, Smtp};
use crate::model::Security::{Starttls, Tls};

const fn ep(protocol: Protocol, host: &'static str, port: u16, security: Security) -> Endpoint {
    Endpoint {
        protocol,
        host,
        port,
        security,
        username: None,
    }
}

/// An endpoint whose username format differs from the provider's.
const fn ep_user(
    protocol: Protocol,
    host: &'static str,
    port: u16,
    security: Security,
    username: UsernameFormat,
) -> Endpoint {
    Endpoint {
        protocol,
        host,
        port,
        security,
        username: Some(username),
    }
}

const fn src(url: &'static str, title: &'static str, verified: &'static str) -> Source {
    Source {
        url,
        title,
        verified,
    }
}

pub static PROVIDERS: &[Provider] = &[
    Provider {
        id: "gmail",
        name: "Gmail",
        domains: &["gmail.com", "googlemail.com"],
        mx_suffixes: &["google.com", "googlemail.com"],
        servers: &[
            ep(Imap, "imap.gmail.com", 993, Tls),
            ep(Pop3, "pop.gmail.com", 995, Tls),
            ep(Smtp, "smtp.gmail.com", 465, Tls),
            ep(Smtp, "smtp.gmail.com", 587, Starttls),
        ],
        username: UsernameFormat::EmailAddress,
        auth: AuthPolicy {
            accepted: &[Oauth2, AppPassword],
            note: "Gmail refuses the normal password in mail apps: sign in with Google (OAuth2), or create an app password (needs 2-Step Verification) at https://myaccount.google.com/apppasswords.",
            since: Some("2022-05-30"),
        },
        enable: &[EnableToggle {
            protocol: Pop3,
            note: "In Gmail on the web: Settings → See all settings → Forwarding and POP/IMAP → POP download → Enable POP.",
            url: Some("https://mail.google.com/mail/u/0/#settings/fwdandpop"),
        }],
        pop3: Some(Pop3Notes {
            recent_mode: true,
            server_side_setting: Some("Settings → Forwarding and POP/IMAP → \"When messages are accessed with POP\": keep Gmail's copy in the Inbox, mark it as read, archive it, or delete it."),
            note: None,
        }),
        note: None,
        help_url: "https://support.google.com/mail/answer/7126229",
        sources: &[
            src("https://support.google.com/mail/answer/7126229", "Gmail Help: Check Gmail through other email platforms (IMAP)", "2026-11-26"),
            src("https://support.google.com/mail/answer/7104828", "Gmail Help: Read Gmail messages on other email clients using POP", "2026-11-26"),
            src("https://support.google.com/accounts/answer/185833", "Google Account Help: Sign in with app passwords", "2026-11-26"),
        ],
    },
    Provider {
        id: "icloud",
        name: "iCloud Mail",
        domains: &["icloud.com", "mac.com", "me.com"],
        mx_suffixes: &["mail.icloud.com"],
        servers: &[
            ep(Imap, "imap.mail.me.com", 993, Tls),
            ep_user(Smtp, "smtp.mail.me.com", 587, Starttls, UsernameFormat::EmailAddress),
        ],
        // Apple: IMAP "usually the name part of your iCloud Mail address … if that fails, try the full
        // address"; SMTP "your full iCloud Mail email address".
        username: UsernameFormat::Either,
        auth: AuthPolicy {
            accepted: &[AppPassword],
            note: "Mail apps other than Apple's need an app-specific password, created at https://account.apple.com → Sign-In and Security → App-Specific Passwords.",
            since: None,
        },
        enable: &[],
        pop3: None,
        note: Some("iCloud Mail has no POP3; use IMAP."),
        help_url: "https://support.apple.com/en-us/102525",
        sources: &[src("https://support.apple.com/en-us/102525", "Apple Support: iCloud Mail server settings for other email client apps", "2026-11-26")],
    },
    Provider {
        id: "outlook",
        name: "Outlook.com",
        domains: &["hotmail.com", "live.com", "msn.com", "outlook.com"],
        mx_suffixes: &["olc.protection.outlook.com"],
        servers: &[
            ep(Imap, "outlook.office365.com", 993, Tls),
            ep(Pop3, "outlook.office365.com", 995, Tls),
            ep(Smtp, "smtp-mail.outlook.com", 587, Starttls),
        ],
        username: UsernameFormat::EmailAddress,
        auth: AuthPolicy {
            accepted: &[Oauth2],
            note: "Outlook.com accepts only OAuth2 (\"modern authentication\") from mail apps; passwords and app passwords no longer work.",
            since: Some("2024-09-16"),
        },
        enable: &[EnableToggle {
            protocol: Pop3,
            note: "In Outlook.com: Settings → Mail → Forwarding and IMAP → POP options → Let devices and apps use POP: Yes.",
            url: Some("https://outlook.live.com/mail/0/options/mail/forwarding"),
        }],
        pop3: None,
        note: None,
        help_url: "https://support.microsoft.com/en-us/office/pop-imap-and-smtp-settings-for-outlook-com-d088b986-291d-42b8-9564-9c414e2aa040",
        sources: &[src(
            "https://support.microsoft.com/en-us/office/pop-imap-and-smtp-settings-for-outlook-com-d088b986-291d-42b8-9564-9c414e2aa040",
            "Microsoft Support: POP, IMAP, and SMTP settings for Outlook.com",
            "2026-11-26",
        )],
    },
];
