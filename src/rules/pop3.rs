//! O: POP3 options — copies left on the server, deletion after days, Gmail-style recent mode and
//! the provider's own server-side setting.

use super::analysis::{Analysis, Field};
use super::findings::Findings;
use super::registry::SettingsRule;
use super::target::recent_allowed;
#[cfg(test)]
use crate::diagnostic::Vector;
use crate::diagnostic::{FixValue, Rule, Severity};
use crate::model::labels;
use crate::model::{Pop3Options, Protocol};

pub(crate) const O501: SettingsRule = SettingsRule {
    rule: Rule {
        code: "O501",
        name: "pop3-no-server-copy",
        severity: Severity::Warning,
        summary: "POP3 deletes each message from the server once this device downloads it",
        what: "A POP3 account with `leaveOnServer: false` (and no `deleteAfterDays`).",
        why: "Web mail, the phone and every other device stop seeing a message as soon as this one downloads it, \
              and this device then holds the only copy: a lost laptop or a dead disk loses the mail. Leaving a \
              copy costs only server space.",
        example: "`\"pop3\": {\"leaveOnServer\": false}` → `true`.",
        references: &["RFC 1939 §5 (DELE) and §6 (UPDATE state)"],
    },
    check: no_server_copy,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "O501",
                "a copy is left on the server",
                r#"{"incoming":{"protocol":"pop3","host":"pop.example.com","port":995,"security":"tls"},"pop3":{"leaveOnServer":true}}"#,
            ),
            Vector::fires(
                "O501",
                "no copy left on the server",
                r#"{"incoming":{"protocol":"pop3","host":"pop.example.com","port":995,"security":"tls"},"pop3":{"leaveOnServer":false}}"#,
            ),
        ]
    },
};

fn no_server_copy(a: &Analysis, out: &mut Findings) {
    if let Some(Pop3Options {
        leave_on_server: false,
        delete_after_days: None,
    }) = pop3_options(a)
    {
        out.emit(
            &O501.rule,
            "pop3.leaveOnServer",
            "no copy is left on the server: web mail and your other devices lose each message once this device downloads it, and this device holds the only copy".into(),
            "turn on \"leave a copy of messages on the server\"".into(),
            Some(FixValue::Flag(true)),
        );
    }
}

/// The POP3 options of an account whose incoming server is POP3 (where they apply).
fn pop3_options(a: &Analysis) -> Option<Pop3Options> {
    let acc = a.account()?;
    acc.pop3.filter(|_| acc.incoming.protocol == Protocol::Pop3)
}

pub(crate) const O502: SettingsRule = SettingsRule {
    rule: Rule {
        code: "O502",
        name: "pop3-delete-after-without-leave",
        severity: Severity::Warning,
        summary: "deleteAfterDays has no effect without leaveOnServer",
        what: "`deleteAfterDays` set while `leaveOnServer` is false.",
        why: "Without a copy left on the server there is nothing to delete later: every message disappears from \
              the server at download, which is probably not what the number of days was meant to do.",
        example: "`{\"leaveOnServer\": false, \"deleteAfterDays\": 14}` → `leaveOnServer: true`.",
        references: &["RFC 1939 §6", "Thunderbird autoconfig: leaveMessagesOnServer, daysToLeaveMessagesOnServer"],
    },
    check: delete_after_without_leave,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "O502",
                "a copy left and removed after 14 days",
                r#"{"incoming":{"protocol":"pop3","host":"pop.example.com","port":995,"security":"tls"},"pop3":{"leaveOnServer":true,"deleteAfterDays":14}}"#,
            ),
            Vector::fires(
                "O502",
                "days to delete after, without leaving a copy",
                r#"{"incoming":{"protocol":"pop3","host":"pop.example.com","port":995,"security":"tls"},"pop3":{"leaveOnServer":false,"deleteAfterDays":14}}"#,
            ),
        ]
    },
};

fn delete_after_without_leave(a: &Analysis, out: &mut Findings) {
    if let Some(Pop3Options {
        leave_on_server: false,
        delete_after_days: Some(d),
    }) = pop3_options(a)
    {
        out.emit(
            &O502.rule,
            "pop3.leaveOnServer",
            format!("deleteAfterDays {d} has no effect: without leaveOnServer each message is deleted from the server at download"),
            "turn on \"leave a copy of messages on the server\"; the copy is then removed after the days set".into(),
            Some(FixValue::Flag(true)),
        );
    }
}

pub(crate) const O503: SettingsRule = SettingsRule {
    rule: Rule {
        code: "O503",
        name: "pop3-delete-after-zero",
        severity: Severity::Warning,
        summary: "deleteAfterDays 0 removes the server copy at once",
        what: "`leaveOnServer: true` with `deleteAfterDays: 0`.",
        why: "Zero days is the same as not leaving a copy: other devices and web mail lose each message at the \
              next download.",
        example: "`deleteAfterDays: 0` → a number of days long enough for the other devices to fetch mail, e.g. 14.",
        references: &["RFC 1939 §6"],
    },
    check: delete_after_zero,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "O503",
                "a copy kept for 7 days",
                r#"{"incoming":{"protocol":"pop3","host":"pop.example.com","port":995,"security":"tls"},"pop3":{"leaveOnServer":true,"deleteAfterDays":7}}"#,
            ),
            Vector::fires(
                "O503",
                "a copy kept for 0 days",
                r#"{"incoming":{"protocol":"pop3","host":"pop.example.com","port":995,"security":"tls"},"pop3":{"leaveOnServer":true,"deleteAfterDays":0}}"#,
            ),
        ]
    },
};

fn delete_after_zero(a: &Analysis, out: &mut Findings) {
    if let Some(Pop3Options {
        leave_on_server: true,
        delete_after_days: Some(0),
    }) = pop3_options(a)
    {
        out.emit(
            &O503.rule,
            "pop3.deleteAfterDays",
            "deleteAfterDays 0 removes the server copy at the next download, as if no copy were left".into(),
            "set a number of days long enough for your other devices to fetch the mail, e.g. 14".into(),
            None,
        );
    }
}

pub(crate) const O504: SettingsRule = SettingsRule {
    rule: Rule {
        code: "O504",
        name: "pop3-options-without-pop3",
        severity: Severity::Info,
        summary: "POP3 options are set, but the incoming server is not POP3",
        what: "An account with `pop3` options whose incoming server uses IMAP.",
        why: "They do nothing: IMAP keeps the mail on the server anyway. Either the options are left over, or \
              POP3 was meant.",
        example: "IMAP with `\"pop3\": {\"leaveOnServer\": false}` → drop the `pop3` options.",
        references: &["RFC 9051 §1.1"],
    },
    check: pop3_options_without_pop3,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "O504",
                "POP3 options with a POP3 server",
                r#"{"incoming":{"protocol":"pop3","host":"pop.example.com","port":995,"security":"tls"},"pop3":{"leaveOnServer":true}}"#,
            ),
            Vector::fires(
                "O504",
                "POP3 options with an IMAP server",
                r#"{"incoming":{"protocol":"imap","host":"imap.example.com","port":993,"security":"tls"},"pop3":{"leaveOnServer":false}}"#,
            ),
        ]
    },
};

fn pop3_options_without_pop3(a: &Analysis, out: &mut Findings) {
    let Some(acc) = a.account() else { return };
    if acc.pop3.is_none() || acc.incoming.protocol == Protocol::Pop3 {
        return;
    }
    out.emit(
        &O504.rule,
        "pop3",
        format!(
            "POP3 options are set, but the incoming server uses {}; they do nothing",
            labels::protocol(acc.incoming.protocol)
        ),
        "remove the pop3 options, or set the incoming protocol to pop3 if that was meant".into(),
        None,
    );
}

pub(crate) const O505: SettingsRule = SettingsRule {
    rule: Rule {
        code: "O505",
        name: "pop3-recent-mode",
        severity: Severity::Info,
        summary: "with several POP3 clients, use the provider's recent mode",
        what: "POP3 at a provider with recent mode (Gmail) without the `recent:` prefix on the username.",
        why: "With plain POP3 each message is handed out once: the first device to download it gets it, the \
              others never see it. With `recent:` before the username, every device gets the last 30 days.",
        example: "Gmail POP3 on a phone and a laptop: username `recent:me@gmail.com` on both.",
        references: &["https://support.google.com/mail/answer/7104828"],
    },
    check: recent_mode_advice,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "O505",
                "recent mode already used at Gmail POP3",
                r#"{"protocol":"pop3","host":"pop.gmail.com","port":995,"security":"tls","username":"recent:me@gmail.com"}"#,
            ),
            Vector::fires(
                "O505",
                "Gmail POP3 without recent mode",
                r#"{"protocol":"pop3","host":"pop.gmail.com","port":995,"security":"tls","username":"me@gmail.com"}"#,
            ),
        ]
    },
};

fn recent_mode_advice(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let Some(u) = s.username else {
            continue;
        };
        if u.recent || !recent_allowed(s.server.protocol, s.provider) {
            continue;
        }
        let p = s.provider.map_or("", |p| p.name.as_str());
        out.emit(
            &O505.rule,
            s.field(Field::Username),
            format!(
                "if more than one device downloads this {p} account with POP3, only the first gets each message"
            ),
            format!(
                "on every device, sign in as recent:{} to get the last 30 days of mail",
                u.rest.trim()
            ),
            None,
        );
    }
}

pub(crate) const O506: SettingsRule = SettingsRule {
    rule: Rule {
        code: "O506",
        name: "recent-prefix-misplaced",
        severity: Severity::Error,
        summary: "the `recent:` prefix only works for POP3 at a provider with recent mode",
        what:
            "A username starting with `recent:` for IMAP or SMTP, or at a server without recent mode.",
        why: "Anywhere but Gmail's POP3 the prefix is part of the username, so the sign-in fails.",
        example: "Gmail IMAP with `recent:me@gmail.com` → `me@gmail.com`.",
        references: &["https://support.google.com/mail/answer/7104828"],
    },
    check: recent_mode_elsewhere,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "O506",
                "recent mode at Gmail POP3",
                r#"{"protocol":"pop3","host":"pop.gmail.com","port":995,"security":"tls","username":"recent:me@gmail.com"}"#,
            ),
            Vector::fires(
                "O506",
                "recent mode with IMAP",
                r#"{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","username":"recent:me@gmail.com"}"#,
            ),
            Vector::fires(
                "O506",
                "recent mode at an unknown provider",
                r#"{"protocol":"pop3","host":"pop.example.com","port":995,"security":"tls","username":"recent:me@example.com"}"#,
            ),
        ]
    },
};

fn recent_mode_elsewhere(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        let Some(u) = s.username else {
            continue;
        };
        if !u.recent || recent_allowed(s.server.protocol, s.provider) {
            continue;
        }
        let message = match s.provider {
            _ if s.server.protocol != Protocol::Pop3 => format!(
                "\"recent:\" is for POP3 only; for {} it becomes part of the username and the sign-in fails",
                labels::protocol(s.server.protocol)
            ),
            Some(p) => format!(
                "{} has no POP3 recent mode; \"recent:\" becomes part of the username and the sign-in fails",
                p.name
            ),
            None => "only Gmail's POP3 knows \"recent:\"; here it becomes part of the username and the sign-in fails".into(),
        };
        out.emit(
            &O506.rule,
            s.field(Field::Username),
            message,
            format!("remove \"recent:\": {}", u.rest.trim()),
            s.username_fix(),
        );
    }
}

pub(crate) const O507: SettingsRule = SettingsRule {
    rule: Rule {
        code: "O507",
        name: "pop3-provider-decides-copy",
        severity: Severity::Info,
        summary: "the provider's own setting decides what happens to its copy after a POP3 download",
        what: "POP3 at a provider that keeps, archives or deletes its copy according to a setting in its web \
               interface (Gmail), whatever the client's leave-on-server option says.",
        why: "People set the client to delete and find the mail still in web mail, or set it to keep and find it \
              archived; the provider's setting is the one that counts.",
        example: "Gmail: Settings → Forwarding and POP/IMAP → \"When messages are accessed with POP\".",
        references: &["https://support.google.com/mail/answer/7104828"],
    },
    check: provider_decides_server_copy,
    #[cfg(test)]
    vectors: || {
        vec![
            Vector::silent(
                "O507",
                "POP3 at an unknown provider",
                r#"{"protocol":"pop3","host":"pop.example.com","port":995,"security":"tls"}"#,
            ),
            Vector::fires(
                "O507",
                "Gmail POP3, whose own setting decides",
                r#"{"protocol":"pop3","host":"pop.gmail.com","port":995,"security":"tls"}"#,
            ),
        ]
    },
};

fn provider_decides_server_copy(a: &Analysis, out: &mut Findings) {
    for s in &a.servers {
        if s.server.protocol != Protocol::Pop3 || s.endpoint.is_none() {
            continue;
        }
        let Some(p) = s.provider else { continue };
        let Some(setting) = p.pop3.iter().find(|n| n.server_setting) else {
            continue;
        };
        let setting = &setting.summary;
        let field = if a.is_account() {
            "pop3.leaveOnServer"
        } else {
            s.field(Field::Protocol)
        };
        out.emit(
            &O507.rule,
            field,
            format!(
                "{} decides itself what happens to its copy after a POP3 download, whatever the client's leave-on-server option says",
                p.name
            ),
            format!("check it in the web settings of {}: {setting}", p.name),
            None,
        );
    }
}
