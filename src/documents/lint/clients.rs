//! D3xx: what each client would skip or refuse, in its own terms — Thunderbird desktop (its
//! reader runs as the test oracle) and Thunderbird for Android (followed from its source).

use super::{at, DocumentRule, Lint, ANDROID, READER};
#[cfg(test)]
use crate::diagnostic::Vector;
use crate::diagnostic::{FixValue, Rule, Severity};
use crate::documents::autoconfig::{Direction, ServerElement, ServerKind};
use crate::documents::clients::android::SOURCE;
use crate::documents::clients::thunderbird::legal_host_or_ip;
use crate::model::Host;
use crate::rules::findings::Findings;

pub(crate) const D301: DocumentRule = DocumentRule {
    rule: Rule {
        code: "D301",
        name: "thunderbird-skips-server",
        severity: Severity::Warning,
        summary: "Thunderbird skips a server",
        what: "An IMAP, POP3 or SMTP server Thunderbird's reader leaves out, for a reason no other rule names: a host name it does not accept (Unicode, an underscore, an IPv6 address in brackets, an element with attributes).",
        why: "The settings of that server are never used; when it was meant as the main server, people get the next one.",
        example: "`<hostname>mail.bücher.example</hostname>` → `mail.xn--bcher-kva.example` (Thunderbird checks host names in ASCII); `[2001:db8::1]` → `2001:db8::1`.",
        references: &[READER],
    },
    check: thunderbird_skips_server,
    #[cfg(test)]
    vectors: || {
        use super::fixtures::*;
        vec![
            Vector::silent("D301", "a clean file", GOOD),
            Vector::fires(
                "D301",
                "an IMAP alternative with a Unicode host name",
                good_with(&[(
                    "<outgoingServer",
                    r#"<incomingServer type="imap"><hostname>imap.bücher.example</hostname><port>993</port><socketType>SSL</socketType><authentication>password-cleartext</authentication><username>%EMAILADDRESS%</username></incomingServer><outgoingServer"#,
                )]),
            ),
        ]
    },
};

fn thunderbird_skips_server(lint: &Lint, out: &mut Findings) {
    // IMAP, POP3 and SMTP servers: the others are for other clients (D102 names unknown types).
    for (s, r) in lint.doc.servers.iter().zip(&lint.thunderbird.servers) {
        let (ServerKind::Mail(_), Err(skip)) = (s.kind, r) else {
            continue;
        };
        // A host in Unicode or an IPv6 address in brackets: the form Thunderbird reads.
        let fix = s
            .text("hostname")
            .map(Host::parse)
            .filter(|h| skip.field.ends_with(".hostname") && h.kind.is_some())
            .map(|h| h.ascii)
            .filter(|a| legal_host_or_ip(a));
        out.emit(
            &D301.rule,
            &skip.field,
            format!(
                "Thunderbird skips {}: {}{}",
                s.path,
                skip.why,
                at(s.element.line)
            ),
            match &fix {
                Some(f) => format!("write {f}"),
                None => "correct the value, or remove the server".into(),
            },
            fix.map(FixValue::Text),
        );
    }
}

pub(crate) const D302: DocumentRule = DocumentRule {
    rule: Rule {
        code: "D302",
        name: "android-refuses-file",
        severity: Severity::Warning,
        summary: "Thunderbird for Android refuses the whole file",
        what: "A file Thunderbird desktop reads but Thunderbird for Android does not: its reader reads only IMAP and SMTP servers, needs `SSL` or `STARTTLS`, a `<username>` on every server, an `OAuth2`, `password-cleartext` or `password-encrypted` sign-in, a host-name `id`, digits-only ports, and stops at the first server that lacks one.",
        why: "People on Android get no settings from the file and must type them in. For a POP3-only provider or a relay without sign-in this is a limit of that client, not a mistake in the file; for an unencrypted server it is one more reason to offer TLS.",
        example: "`<socketType>plain</socketType>` → `SSL` on 993/465; an SMTP server without sign-in → add `<username>%EMAILADDRESS%</username>` (harmless for the desktop).",
        references: &[ANDROID],
    },
    check: android_refuses_file,
    #[cfg(test)]
    vectors: || {
        use super::fixtures::*;
        vec![
            Vector::silent("D302", "a clean file", GOOD),
            Vector::fires(
                "D302",
                "a POP3-only file",
                good_with(&[(r#"type="imap""#, r#"type="pop3""#), ("<port>993</port>", "<port>995</port>")]),
            ),
            Vector::fires(
                "D302",
                "a port with spaces around it",
                good_with(&[("<port>993</port>", "<port> 993 </port>")]),
            ),
        ]
    },
};

fn android_refuses_file(lint: &Lint, out: &mut Findings) {
    let Err(refusal) = lint.android else {
        return;
    };
    out.emit(
        &D302.rule,
        &refusal.field,
        format!(
            "Thunderbird for Android refuses the file: {} ({SOURCE}){}",
            refusal.why,
            at(refusal.line)
        ),
        refusal.help.into(),
        None,
    );
}

pub(crate) const D303: DocumentRule = DocumentRule {
    rule: Rule {
        code: "D303",
        name: "android-skips-preferred-server",
        severity: Severity::Info,
        summary: "Thunderbird for Android skips the file's preferred incoming server",
        what: "A file whose first incoming server is POP3, with an IMAP server after it: Thunderbird sets up POP3, Thunderbird for Android (which reads only `<incomingServer type=\"imap\">`) sets up the IMAP server.",
        why: "People get a different kind of account on Android than on the desktop: IMAP keeps mail on the server, POP3 (as the file prefers) downloads it.",
        example: "A POP3 server listed before IMAP: fine if either suits; list IMAP first if it is the better choice for most people.",
        references: &[ANDROID, READER],
    },
    check: android_skips_preferred_server,
    #[cfg(test)]
    vectors: || {
        use super::fixtures::*;
        vec![
            Vector::silent("D303", "a clean file", GOOD),
            Vector::silent(
                "D303",
                "a POP3 alternative after IMAP",
                good_with(&[(
                    "<outgoingServer",
                    r#"<incomingServer type="pop3"><hostname>pop.example.com</hostname><port>995</port><socketType>SSL</socketType><authentication>password-cleartext</authentication><username>%EMAILADDRESS%</username></incomingServer><outgoingServer"#,
                )]),
            ),
            Vector::fires(
                "D303",
                "POP3 before IMAP",
                good_with(&[(
                    "<incomingServer",
                    r#"<incomingServer type="pop3"><hostname>pop.example.com</hostname><port>995</port><socketType>SSL</socketType><authentication>password-cleartext</authentication><username>%EMAILADDRESS%</username></incomingServer><incomingServer"#,
                )]),
            ),
        ]
    },
};

fn android_skips_preferred_server(lint: &Lint, out: &mut Findings) {
    let (Ok(android), Some(first)) = (lint.android, first_incoming(lint)) else {
        return;
    };
    if android.used.contains(&first.path) {
        return;
    }
    let Some(instead) = android.used.iter().find(|p| p.contains("incomingServer")) else {
        return;
    };
    out.emit(
        &D303.rule,
        &first.path,
        format!(
            "Thunderbird sets up {} ({}); Thunderbird for Android skips it and sets up {instead} (imap){}",
            first.path,
            first.type_attr.unwrap_or(""),
            at(first.element.line)
        ),
        "list the incoming server most people should use first".into(),
        None,
    );
}

/// The incoming server Thunderbird sets up: the first it reads.
fn first_incoming<'l>(lint: &'l Lint) -> Option<&'l ServerElement<'l>> {
    lint.doc
        .servers
        .iter()
        .zip(&lint.thunderbird.servers)
        .find(|(s, r)| s.direction == Direction::Incoming && r.is_ok())
        .map(|(s, _)| s)
}
