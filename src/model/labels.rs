//! The words people see for the vocabulary — protocols, connection security, sign-in methods,
//! username formats and severities — in one place for Rust and, generated from here, for the page
//! (`www/labels.js`, by `UPDATE_LABELS=1 cargo test --test labels`).
//!
//! Each table maps a canonical name (as JSON spells it) to its label. Labels are written as a
//! mail client's settings screen shows them (capitalised); [`in_sentence`] gives the form for the
//! middle of a sentence.

use super::{Auth, Protocol, Security, UsernameFormat};
use std::borrow::Cow;

/// A label table: canonical name → label.
pub type Table = &'static [(&'static str, &'static str)];

/// "IMAP", "POP3", "SMTP".
pub const PROTOCOL: Table = &[("imap", "IMAP"), ("pop3", "POP3"), ("smtp", "SMTP")];

/// What each protocol is for: "incoming mail", "outgoing mail".
pub const PROTOCOL_ROLE: Table = &[
    ("imap", "incoming mail"),
    ("pop3", "incoming mail"),
    ("smtp", "outgoing mail"),
];

/// Connection security as clients name it in their settings.
pub const SECURITY: Table = &[
    ("tls", "SSL/TLS"),
    ("starttls", "STARTTLS"),
    ("none", "None (unencrypted)"),
];

/// The same, short, for tight columns.
pub const SECURITY_SHORT: Table = &[
    ("tls", "SSL/TLS"),
    ("starttls", "STARTTLS"),
    ("none", "None"),
];

/// Connection security in the rules' messages, with the value to type in brackets: "implicit
/// TLS (tls)" (a finding explains what is wrong, so it names the mechanism, not the menu entry).
pub const SECURITY_IN_MESSAGES: Table = &[
    ("tls", "implicit TLS (tls)"),
    ("starttls", "STARTTLS (starttls)"),
    ("none", "no encryption (none)"),
];

/// Connection security as it happens on the wire, for what a probe saw: "implicit TLS" (the
/// connection opens with TLS), "STARTTLS", "no TLS".
pub const SECURITY_ON_THE_WIRE: Table = &[
    ("tls", "implicit TLS"),
    ("starttls", "STARTTLS"),
    ("none", "no TLS"),
];

/// Sign-in methods as clients name them.
pub const AUTH: Table = &[
    ("password", "Normal password"),
    ("app-password", "App password"),
    ("oauth2", "OAuth2 (sign in with the provider)"),
    ("encrypted-password", "Encrypted password (CRAM-MD5)"),
    ("client-certificate", "TLS client certificate"),
    ("none", "No authentication"),
];

/// The same, short.
pub const AUTH_SHORT: Table = &[
    ("password", "Normal password"),
    ("app-password", "App password"),
    ("oauth2", "OAuth2"),
    ("encrypted-password", "Encrypted password"),
    ("client-certificate", "Client certificate"),
    ("none", "None"),
];

/// What to type as the username, for each [`UsernameFormat`].
pub const USERNAME: Table = &[
    ("email-address", "your full email address"),
    ("local-part", "the part of your address before the @"),
    (
        "either",
        "your full email address (or the part before the @)",
    ),
    (
        "generated",
        "the username your provider (or its bridge) shows you",
    ),
];

/// The credential a provider's help names, for each `providers::CredentialKind` (as it
/// serializes): "How to get an app password: …".
pub const CREDENTIAL: Table = &[
    ("account-password", "the account's own password"),
    ("app-password", "an app password"),
    ("mail-password", "a separate password for mail programs"),
    ("authorization-code", "an authorization code"),
    ("secure-mail-key", "a Secure Mail Key"),
    ("external-app-password", "a password for external apps"),
    ("bridge-password", "the password its bridge shows"),
    ("oauth2", "OAuth2 (signing in through its web page)"),
    ("unknown", "an unknown credential"),
];

/// Finding severities (`error`, `warning`, `info`, as `Severity` serializes them).
pub const SEVERITY: Table = &[
    ("error", "Error"),
    ("warning", "Warning"),
    ("info", "Advice"),
];

/// Every table the page uses, under the name `www/labels.js` gives it, in that file's order.
pub const ALL: &[(&str, Table)] = &[
    ("protocol", PROTOCOL),
    ("protocolRole", PROTOCOL_ROLE),
    ("security", SECURITY),
    ("securityShort", SECURITY_SHORT),
    ("auth", AUTH),
    ("authShort", AUTH_SHORT),
    ("username", USERNAME),
    ("credential", CREDENTIAL),
    ("severity", SEVERITY),
];

/// The label of `name` in `table`; the name itself when the table lacks it (a test keeps every
/// table complete).
pub fn label(table: Table, name: &'static str) -> &'static str {
    table
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(name, |(_, l)| l)
}

/// "IMAP".
pub fn protocol(p: Protocol) -> &'static str {
    label(PROTOCOL, p.as_str())
}

/// "incoming mail".
pub fn protocol_role(p: Protocol) -> &'static str {
    label(PROTOCOL_ROLE, p.as_str())
}

/// "SSL/TLS", "STARTTLS", "None (unencrypted)".
pub fn security(s: Security) -> &'static str {
    label(SECURITY, s.as_str())
}

/// "SSL/TLS", "STARTTLS", "None".
pub fn security_short(s: Security) -> &'static str {
    label(SECURITY_SHORT, s.as_str())
}

/// "implicit TLS (tls)", for the rules' messages.
pub fn security_in_messages(s: Security) -> &'static str {
    label(SECURITY_IN_MESSAGES, s.as_str())
}

/// "implicit TLS", "STARTTLS", "no TLS": what a connection did.
pub fn security_on_the_wire(s: Security) -> &'static str {
    label(SECURITY_ON_THE_WIRE, s.as_str())
}

/// An endpoint as the probe names it: `mail.example.com:993 (IMAP, implicit TLS)`, an IPv6
/// address in brackets; the parts not known are left out.
pub fn endpoint(
    host: &str,
    port: u16,
    protocol: Option<Protocol>,
    security: Option<Security>,
) -> String {
    let at = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    match (
        protocol.map(self::protocol),
        security.map(security_on_the_wire),
    ) {
        (Some(p), Some(s)) => format!("{at} ({p}, {s})"),
        (Some(one), None) | (None, Some(one)) => format!("{at} ({one})"),
        (None, None) => at,
    }
}

/// The standard client ports of a protocol, for help texts: "IMAP uses 993 (implicit TLS) or
/// 143 (STARTTLS)"; every protocol's when none is known.
pub fn standard_ports(protocol: Option<Protocol>) -> String {
    use super::ports::*;
    let tls = security_on_the_wire(Security::Tls);
    let starttls = security_on_the_wire(Security::Starttls);
    match protocol {
        Some(Protocol::Imap) => format!("IMAP uses {IMAPS} ({tls}) or {IMAP} ({starttls})"),
        Some(Protocol::Pop3) => format!("POP3 uses {POP3S} ({tls}) or {POP3} ({starttls})"),
        Some(Protocol::Smtp) => {
            format!("SMTP submission uses {SUBMISSIONS} ({tls}) or {SUBMISSION} ({starttls})")
        }
        None => format!(
            "IMAP uses {IMAPS}/{IMAP}, POP3 {POP3S}/{POP3}, SMTP submission {SUBMISSIONS}/{SUBMISSION}"
        ),
    }
}

/// "Normal password", "OAuth2 (sign in with the provider)", ….
pub fn auth(a: Auth) -> &'static str {
    label(AUTH, a.as_str())
}

/// "Normal password", "OAuth2", ….
pub fn auth_short(a: Auth) -> &'static str {
    label(AUTH_SHORT, a.as_str())
}

/// "your full email address", ….
pub fn username(f: UsernameFormat) -> &'static str {
    label(USERNAME, f.as_str())
}

/// A label for the middle of a sentence: the first letter in lower case, unless the first word
/// is an acronym or a name written with capitals ("TLS client certificate", "OAuth2 …"). The
/// labels are ASCII; ASCII case is all it changes (Unicode case tables would add kilobytes to
/// the WebAssembly module).
pub fn in_sentence(label: &str) -> Cow<'_, str> {
    match label.as_bytes() {
        [first, second, ..] if first.is_ascii_uppercase() && !second.is_ascii_uppercase() => {
            let mut out = label.to_owned();
            out[..1].make_ascii_lowercase();
            Cow::Owned(out)
        }
        _ => Cow::Borrowed(label),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every table names each value of its vocabulary exactly once, in declaration order.
    #[test]
    fn tables_are_complete() {
        let names = |t: Table| t.iter().map(|(n, _)| *n).collect::<Vec<_>>();
        for t in [PROTOCOL, PROTOCOL_ROLE] {
            assert_eq!(names(t), Protocol::NAMES);
        }
        for t in [
            SECURITY,
            SECURITY_SHORT,
            SECURITY_IN_MESSAGES,
            SECURITY_ON_THE_WIRE,
        ] {
            assert_eq!(names(t), Security::NAMES);
        }
        for t in [AUTH, AUTH_SHORT] {
            assert_eq!(names(t), Auth::NAMES);
        }
        let formats: Vec<&str> = UsernameFormat::ALL.iter().map(|f| f.as_str()).collect();
        assert_eq!(names(USERNAME), formats);
        assert_eq!(names(SEVERITY), ["error", "warning", "info"]);
    }

    #[test]
    fn labels_by_value() {
        assert_eq!(protocol(Protocol::Pop3), "POP3");
        assert_eq!(security(Security::None), "None (unencrypted)");
        assert_eq!(security_in_messages(Security::Tls), "implicit TLS (tls)");
        assert_eq!(auth_short(Auth::Oauth2), "OAuth2");
        assert_eq!(
            username(UsernameFormat::LocalPart),
            "the part of your address before the @"
        );
    }

    #[test]
    fn endpoints_and_ports() {
        let imap = Some(Protocol::Imap);
        assert_eq!(
            endpoint("mail.example.com", 993, imap, Some(Security::Tls)),
            "mail.example.com:993 (IMAP, implicit TLS)"
        );
        assert_eq!(endpoint("::1", 143, imap, None), "[::1]:143 (IMAP)");
        assert_eq!(
            endpoint("h", 25, None, Some(Security::None)),
            "h:25 (no TLS)"
        );
        assert_eq!(endpoint("h", 25, None, None), "h:25");
        assert_eq!(
            standard_ports(imap),
            "IMAP uses 993 (implicit TLS) or 143 (STARTTLS)"
        );
        assert!(standard_ports(None).contains("SMTP submission 465/587"));
    }

    #[test]
    fn sentence_forms() {
        assert_eq!(in_sentence(auth(Auth::Password)), "normal password");
        assert_eq!(in_sentence(auth(Auth::None)), "no authentication");
        assert_eq!(in_sentence(auth(Auth::Oauth2)), auth(Auth::Oauth2));
        assert_eq!(
            in_sentence(auth(Auth::ClientCertificate)),
            "TLS client certificate"
        );
        assert_eq!(in_sentence("SSL/TLS"), "SSL/TLS");
        assert_eq!(in_sentence(""), "");
    }
}
