//! N: what a real connection shows — the findings of `mailsetup probe`.
//!
//! These rules are documented here with the others (so `mailsetup rules N104` and the page explain
//! them), but only the native probe (`crate::probe`, feature `probe`) emits them: they judge what a
//! server did, not what a person typed. They have no in-file vectors; the probe's tests
//! (`tests/probe_*.rs`, against a real Dovecot and misbehaving peers) produce each one.
//!
//! Fields: a finding about one probed endpoint names it by its index in the probe report
//! (`endpoints.0.certificate`, `endpoints.1.starttls`, …); a finding about the settings the person
//! gave uses the settings' own paths (`security`, `port`, `auth`), with a fix where one is known.
//!
//! Families inside N: N0xx reaching the server, N1xx TLS and certificates, N2xx STARTTLS and
//! cleartext, N3xx logging in, N4xx POP3 options, N5xx SMTP submission, N6xx the configured
//! settings against what the server does.

use crate::diagnostic::Rule;
use crate::diagnostic::Severity;

/// `N001`: the host name does not resolve.
pub const N001: Rule = Rule {
    code: "N001",
    name: "host-not-found",
    severity: Severity::Error,
    summary: "the host name does not resolve to any address",
    what: "The DNS lookup of the server's host name failed or returned no address.",
    why: "A client cannot connect to a name that does not resolve; the name is misspelt, or the domain has no such server.",
    example: "`imap.gmial.com` → no such host; the provider's server is `imap.gmail.com`.",
    references: &["RFC 1034 §3.6", "RFC 1123 §2.1", "RFC 6186"],
};

/// `N002`: the TCP connection failed.
pub const N002: Rule = Rule {
    code: "N002",
    name: "connection-failed",
    severity: Severity::Error,
    summary: "nothing accepts connections on this port",
    what: "The TCP connection was refused, reset, unreachable or not answered in time. Reported for endpoints the person \
           named; a standard endpoint that is simply closed while another one works is shown in the report, not as a finding.",
    why: "The client cannot reach the server there: the port is wrong, a firewall drops it, or the service is down.",
    example: "`mail.example.com:993` refused → the server offers IMAP with STARTTLS on 143 instead.",
    references: &["RFC 8314 §3", "RFC 9293 §3.5"],
};

/// `N003`: a stage timed out.
pub const N003: Rule = Rule {
    code: "N003",
    name: "server-timeout",
    severity: Severity::Error,
    summary: "the server stopped answering",
    what: "After the connection was made, the server sent nothing (or not enough) within the time limit: no greeting, \
           no answer to a command, or a TLS handshake that never completed.",
    why: "A mail client waits and then fails with a timeout. A port that accepts but never greets is often a service that \
          expects the client to speak first (HTTP, or implicit TLS when cleartext was expected) or a broken proxy.",
    example: "Port 993 configured as \"no encryption\": the server waits for a TLS handshake and never greets → use SSL/TLS.",
    references: &["RFC 9051 §7.1", "RFC 1939 §4", "RFC 5321 §4.5.3.2"],
};

/// `N004`: the port speaks another protocol.
pub const N004: Rule = Rule {
    code: "N004",
    name: "wrong-protocol",
    severity: Severity::Error,
    summary: "the port speaks another protocol",
    what: "The greeting is not the expected protocol's: an HTTP response, another mail protocol's greeting \
           (`+OK` on an IMAP port), or something unrecognisable.",
    why: "The client and the server cannot understand each other; the port or the protocol setting is wrong.",
    example: "IMAP configured on port 995 → the server greets with `+OK` (POP3); IMAP over TLS is on 993.",
    references: &["RFC 9051 §7.1", "RFC 1939 §4", "RFC 5321 §4.2", "RFC 8314 §7"],
};

/// `N005`: the greeting refuses service.
pub const N005: Rule = Rule {
    code: "N005",
    name: "service-refused",
    severity: Severity::Error,
    summary: "the server refuses service in its greeting",
    what: "A greeting that says no: IMAP `* BYE`, POP3 `-ERR`, SMTP `554` or `421`.",
    why: "The server is shutting down, overloaded, or refuses clients from this address; nothing else can be done on this connection.",
    example: "`* BYE Server shutting down` → try again later, or ask the provider.",
    references: &["RFC 9051 §7.1.5", "RFC 1939 §4", "RFC 5321 §3.1", "RFC 5321 §4.2.3"],
};

/// `N006`: the connection closed in the middle of a stage.
pub const N006: Rule = Rule {
    code: "N006",
    name: "connection-closed",
    severity: Severity::Error,
    summary: "the server closed the connection unexpectedly",
    what: "The connection was closed or reset before a complete greeting or answer arrived.",
    why: "A client sees a broken connection; the service crashes, rejects this address, or is not a mail server.",
    example: "A greeting cut off half-way: `* OK hal` and then the connection closes.",
    references: &["RFC 9051 §7.1", "RFC 1939 §4", "RFC 5321 §3.8"],
};

/// `N007`: an answer too long to be a mail protocol's.
pub const N007: Rule = Rule {
    code: "N007",
    name: "response-too-long",
    severity: Severity::Error,
    summary: "the server sent a line or an answer far longer than any mail server does",
    what: "A single line over 8 KiB, or one answer over 64 KiB, before the probe stopped reading.",
    why: "Real greetings and capability lists are a few hundred bytes. An endless line is a broken or hostile peer; \
          clients hang or run out of memory on it.",
    example: "A greeting of 1 MiB with no line end → not a mail server.",
    references: &["RFC 2683 §3.2.1.5", "RFC 5321 §4.5.3.1"],
};

/// `N101`: the TLS handshake failed.
pub const N101: Rule = Rule {
    code: "N101",
    name: "tls-handshake-failed",
    severity: Severity::Error,
    summary: "the TLS handshake failed",
    what: "TLS could not be established for a reason other than the ones with their own rule (old TLS version, \
           certificate problems, cleartext on a TLS port): an alert from the server, no common cipher suite, a broken record.",
    why: "Without TLS nothing may be sent, and a client shows a connection error.",
    example: "`received fatal alert: HandshakeFailure` → the server offers no cipher suite a current client accepts.",
    references: &["RFC 8446 §6", "RFC 8314 §5", "RFC 9325"],
};

/// `N102`: the server speaks only TLS 1.0/1.1.
pub const N102: Rule = Rule {
    code: "N102",
    name: "tls-obsolete-version",
    severity: Severity::Error,
    summary: "the server only speaks TLS 1.0 or 1.1",
    what: "The server refused TLS 1.2 and 1.3; a second, legacy handshake shows it answers TLS 1.0 or 1.1 (or refuses every version).",
    why: "TLS 1.0 and 1.1 are deprecated for mail (RFC 8997): current clients refuse them, so the account stops working \
          after an update, and the old versions have known weaknesses.",
    example: "A server that answers only TLS 1.0 → the provider must enable TLS 1.2 or later.",
    references: &["RFC 8996", "RFC 8997", "RFC 8314 §4.1"],
};

/// `N103`: the certificate chain does not lead to a trusted root.
pub const N103: Rule = Rule {
    code: "N103",
    name: "certificate-untrusted",
    severity: Severity::Error,
    summary: "the certificate is not signed by a trusted authority",
    what: "The certificate chain does not verify against the trusted roots (the usual web roots, or `--ca-file`): \
           a self-signed certificate, an unknown or missing intermediate, a bad signature, or a certificate not meant for servers.",
    why: "Anyone in the network path can present such a certificate; a client that accepts it hands the password to them. \
          The probe continues only to report what the server does, and never sends credentials on such a connection.",
    example: "A self-signed certificate on `mail.example.com` → install a certificate from a public CA (e.g. Let's Encrypt).",
    references: &["RFC 5280 §6", "RFC 8314 §5", "RFC 7817 §3"],
};

/// `N104`: the certificate has expired.
pub const N104: Rule = Rule {
    code: "N104",
    name: "certificate-expired",
    severity: Severity::Error,
    summary: "the server's certificate has expired",
    what: "The current time is after the certificate's `notAfter` date.",
    why: "Clients refuse the connection or train people to click through warnings; the certificate must be renewed.",
    example: "`notAfter 2020-02-01` → the provider must renew the certificate.",
    references: &["RFC 5280 §4.1.2.5", "RFC 8314 §5"],
};

/// `N105`: the certificate is not valid yet.
pub const N105: Rule = Rule {
    code: "N105",
    name: "certificate-not-yet-valid",
    severity: Severity::Error,
    summary: "the server's certificate is not valid yet",
    what: "The current time is before the certificate's `notBefore` date.",
    why: "Clients refuse it. Usually the server's (or this computer's) clock is wrong.",
    example: "`notBefore 2099-01-01` → check the clocks; reissue the certificate.",
    references: &["RFC 5280 §4.1.2.5"],
};

/// `N106`: the certificate is for another name.
pub const N106: Rule = Rule {
    code: "N106",
    name: "certificate-name-mismatch",
    severity: Severity::Error,
    summary: "the certificate is not valid for the host name the client uses",
    what: "None of the certificate's subject alternative names matches the host name that was probed (RFC 7817: the name \
           the person configured, not one found through DNS).",
    why: "A client cannot tell the server from an impostor. Often the right host name is the one in the certificate.",
    example: "Probing `mail.example.com`, certificate for `*.hosting.example` → configure the host the certificate names, \
              if the provider documents it.",
    references: &["RFC 7817 §3", "RFC 6125 §6", "RFC 8314 §5"],
};

/// `N107`: the certificate expires soon.
pub const N107: Rule = Rule {
    code: "N107",
    name: "certificate-expires-soon",
    severity: Severity::Warning,
    summary: "the server's certificate expires within 14 days",
    what: "A certificate that verifies today but whose `notAfter` is less than 14 days away.",
    why: "Automated renewal normally happens 30 days ahead; a certificate this close to its end has probably missed it, \
          and clients will fail when it runs out.",
    example: "5 days left → the provider should renew now.",
    references: &["RFC 5280 §4.1.2.5"],
};

/// `N108`: a TLS port answered in cleartext.
pub const N108: Rule = Rule {
    code: "N108",
    name: "cleartext-on-tls-port",
    severity: Severity::Error,
    summary: "the port answered in cleartext where implicit TLS was expected",
    what: "The probe started a TLS handshake and the server answered with a cleartext greeting: this port uses \
           STARTTLS (or nothing), not implicit TLS.",
    why: "A client set to SSL/TLS on this port fails with a handshake error.",
    example: "Port 143 set to SSL/TLS → set the security to STARTTLS, or use port 993 with SSL/TLS.",
    references: &["RFC 8314 §3", "RFC 9051 §6.2.1"],
};

/// `N201`: no STARTTLS on a cleartext port.
pub const N201: Rule = Rule {
    code: "N201",
    name: "starttls-not-offered",
    severity: Severity::Warning,
    summary: "the cleartext port does not offer STARTTLS",
    what: "A cleartext endpoint that neither advertises STARTTLS (POP3: STLS) nor accepts it when asked.",
    why: "A client on this port can only send the password and the mail unencrypted. It is an error when no other \
          endpoint offers TLS (see N603).",
    example: "IMAP on 143 without STARTTLS → use 993 with SSL/TLS if the server offers it.",
    references: &["RFC 8314 §3", "RFC 3207 §4", "RFC 2595 §3", "RFC 9051 §6.2.1"],
};

/// `N202`: STARTTLS advertised but refused.
pub const N202: Rule = Rule {
    code: "N202",
    name: "starttls-refused",
    severity: Severity::Error,
    summary: "the server advertises STARTTLS but refuses it",
    what: "STARTTLS (STLS) is in the capabilities, but the command is answered with an error.",
    why: "A client that requires encryption cannot connect; one that falls back sends everything in cleartext. A middlebox \
          that rewrites the conversation (STARTTLS stripping) looks exactly like this.",
    example: "`a2 NO TLS unavailable` → the server's TLS setup is broken, or something between here and the server interferes.",
    references: &["RFC 3207 §4", "RFC 2595 §3.1", "Poddebniak et al., \"Why TLS is better without STARTTLS\", USENIX Security 2021"],
};

/// `N203`: STARTTLS command injection.
pub const N203: Rule = Rule {
    code: "N203",
    name: "starttls-command-injection",
    severity: Severity::Error,
    summary: "the server runs commands sent in cleartext before STARTTLS as if they came over TLS",
    what: "The probe sent STARTTLS and a second command in one write. The server answered the second one inside the \
           TLS session, so it kept cleartext input across the upgrade.",
    why: "An attacker in the network path can inject commands that the server runs in the encrypted session (for \
          example to save a login in a folder the attacker reads).",
    example: "`a2 STARTTLS\\r\\na3 NOOP\\r\\n` → `a3 OK` arrives over TLS: the server must discard buffered input at STARTTLS.",
    references: &["RFC 3207 §4.2", "CVE-2011-0411", "Poddebniak et al., \"Why TLS is better without STARTTLS\", USENIX Security 2021"],
};

/// `N204`: a password login offered without TLS.
pub const N204: Rule = Rule {
    code: "N204",
    name: "cleartext-password-offered",
    severity: Severity::Warning,
    summary: "the server offers password login before TLS",
    what: "Before STARTTLS the server advertises a cleartext password mechanism: IMAP without LOGINDISABLED or with \
           AUTH=PLAIN/LOGIN, POP3 USER or SASL PLAIN/LOGIN, SMTP AUTH PLAIN/LOGIN.",
    why: "A client set to \"no encryption\", or one tricked by STARTTLS stripping, sends the password in cleartext and \
          the server accepts it.",
    example: "IMAP on 143 advertising `AUTH=PLAIN` before STARTTLS → the server should set LOGINDISABLED until TLS.",
    references: &["RFC 9051 §6.2.3", "RFC 2595 §3.2", "RFC 4954 §4", "RFC 8314 §5"],
};

/// `N205`: STARTTLS works but is not advertised.
pub const N205: Rule = Rule {
    code: "N205",
    name: "starttls-not-advertised",
    severity: Severity::Warning,
    summary: "STARTTLS works but is not in the capabilities",
    what: "The capabilities before TLS do not list STARTTLS (STLS), yet the command succeeds.",
    why: "Clients that follow the capabilities never upgrade and send everything in cleartext. The capability may be \
          stripped by something in the network path.",
    example: "`CAPABILITY IMAP4rev1 AUTH=PLAIN`, then `STARTTLS` → OK.",
    references: &["RFC 3207 §4", "RFC 2595 §3.1", "RFC 9051 §6.2.1"],
};

/// `N206`: extra data before the TLS handshake.
pub const N206: Rule = Rule {
    code: "N206",
    name: "data-before-tls-handshake",
    severity: Severity::Warning,
    summary: "cleartext data arrived after the STARTTLS answer, before TLS began",
    what: "Bytes that followed the server's \"begin TLS\" answer in cleartext. The probe discarded them, as every client must.",
    why: "Anything sent there was not protected by TLS. It is either a server bug or an attacker injecting answers \
          (the client-side variant of STARTTLS injection).",
    example: "`a2 OK Begin TLS` followed at once by `* OK [CAPABILITY … AUTH=PLAIN]` in cleartext.",
    references: &["RFC 3207 §4.2", "RFC 2595 §3.1", "Poddebniak et al., \"Why TLS is better without STARTTLS\", USENIX Security 2021"],
};

/// `N301`: no way to log in.
pub const N301: Rule = Rule {
    code: "N301",
    name: "no-login-offered",
    severity: Severity::Error,
    summary: "the server offers no way to log in, even over TLS",
    what: "After TLS the server advertises no authentication at all: IMAP LOGINDISABLED with no AUTH= mechanism, POP3 \
           neither USER nor SASL, SMTP no AUTH.",
    why: "The client cannot log in. On a submission port, mail cannot be sent.",
    example: "Port 587 with no `AUTH` after STARTTLS → this is a relay server, not submission; use the provider's submission server.",
    references: &["RFC 9051 §6.2", "RFC 2449 §6.3", "RFC 4954 §3", "RFC 6409 §4.1"],
};

/// `N302`: the configured authentication method is not offered.
pub const N302: Rule = Rule {
    code: "N302",
    name: "configured-auth-not-offered",
    severity: Severity::Error,
    summary: "the server does not offer the configured authentication method",
    what: "The `auth` setting (`--auth`) asks for a method the server does not advertise after TLS: a normal password \
           without PLAIN/LOGIN, OAuth2 without XOAUTH2/OAUTHBEARER, an encrypted password without CRAM-MD5, SCRAM or APOP.",
    why: "The client fails at login with a confusing error.",
    example: "`--auth encrypted-password` on a server that offers only PLAIN over TLS → set the authentication to normal password.",
    references: &["RFC 4954 §3", "RFC 7628", "RFC 5802", "RFC 9051 §6.2.2"],
};

/// `N303`: the login was rejected.
pub const N303: Rule = Rule {
    code: "N303",
    name: "login-failed",
    severity: Severity::Error,
    summary: "the server rejected the login",
    what: "With `--login`, the server refused the user name and password; the finding quotes the server's own words.",
    why: "The user name or password is wrong, or the provider requires an app password or OAuth2 for this client.",
    example: "`a5 NO [AUTHENTICATIONFAILED] Authentication failed.` → check the user name (often the full address) and password.",
    references: &["RFC 9051 §6.2.3", "RFC 5530", "RFC 4954 §6", "RFC 1939 §7"],
};

/// `N304`: the login was not attempted because the connection was not safe.
pub const N304: Rule = Rule {
    code: "N304",
    name: "login-not-attempted",
    severity: Severity::Warning,
    summary: "the login was not tried because the connection was not safe",
    what: "`--login` was given, but this endpoint had no TLS, or its certificate did not verify, so the probe did not send \
           the password.",
    why: "The probe never sends credentials over cleartext or to a server it cannot authenticate; a mail client should not either.",
    example: "Port 143 without STARTTLS → login skipped; use an endpoint with TLS.",
    references: &["RFC 8314 §5", "RFC 7817 §3", "RFC 9051 §6.2.3"],
};

/// `N401`: POP3 without UIDL.
pub const N401: Rule = Rule {
    code: "N401",
    name: "pop-no-uidl",
    severity: Severity::Warning,
    summary: "the POP3 server does not offer UIDL",
    what: "The POP3 capabilities lack UIDL, the unique message identifiers.",
    why: "\"Leave a copy on the server\" needs UIDL to know which messages were already downloaded; without it the client \
          downloads everything again, or must delete after download.",
    example: "No UIDL → use IMAP, or let the client delete messages after downloading them.",
    references: &["RFC 1939 §7", "RFC 2449 §6.8"],
};

/// `N402`: POP3 EXPIRE 0.
pub const N402: Rule = Rule {
    code: "N402",
    name: "pop-deletes-after-download",
    severity: Severity::Warning,
    summary: "the POP3 server deletes messages once they are downloaded (EXPIRE 0)",
    what: "The POP3 capability `EXPIRE 0`: the server removes every message after a client retrieves it.",
    why: "\"Leave a copy on the server\" cannot work: other devices and webmail will not see the mail.",
    example: "EXPIRE 0 and several devices → use IMAP.",
    references: &["RFC 2449 §6.7"],
};

/// `N403`: POP3 EXPIRE n.
pub const N403: Rule = Rule {
    code: "N403",
    name: "pop-server-expires-messages",
    severity: Severity::Info,
    summary: "the POP3 server deletes downloaded messages after some days (EXPIRE)",
    what: "The POP3 capability `EXPIRE n` with n > 0: the server keeps retrieved messages for n days at most.",
    why: "\"Leave a copy on the server\" keeps them only that long, whatever the client is set to.",
    example: "`EXPIRE 30` → copies on the server disappear after 30 days.",
    references: &["RFC 2449 §6.7"],
};

/// `N404`: POP3 LOGIN-DELAY.
pub const N404: Rule = Rule {
    code: "N404",
    name: "pop-login-delay",
    severity: Severity::Info,
    summary: "the POP3 server limits how often a client may log in (LOGIN-DELAY)",
    what: "The POP3 capability `LOGIN-DELAY n`: at most one login every n seconds.",
    why: "A client that checks more often gets login errors; set its check interval to at least n seconds.",
    example: "`LOGIN-DELAY 900` → check for new mail every 15 minutes or less often.",
    references: &["RFC 2449 §6.5"],
};

/// `N501`: a small SMTP message size limit.
pub const N501: Rule = Rule {
    code: "N501",
    name: "smtp-size-limit-small",
    severity: Severity::Info,
    summary: "the submission server accepts only small messages",
    what: "The SMTP `SIZE` extension declares a limit under 10 MiB.",
    why: "Attachments are base64-encoded (a third larger); messages over the limit are refused when sending.",
    example: "`SIZE 1000000` → messages over about 730 KB of attachments bounce.",
    references: &["RFC 1870 §4"],
};

/// `N601`: the configured port and security do not work.
pub const N601: Rule = Rule {
    code: "N601",
    name: "configured-endpoint-fails",
    severity: Severity::Error,
    summary: "the configured port and security do not give a safe connection",
    what: "The endpoint the settings name (host, port, security) failed or could not be secured. The probe then tries \
           the protocol's standard endpoints and, when one works, gives the fix.",
    why: "The client will fail to connect, or connect without protection.",
    example: "STARTTLS configured on 143, the server does not offer it, 993 with TLS works → port 993, security tls.",
    references: &["RFC 8314 §3", "RFC 8314 §5", "RFC 6186"],
};

/// `N602`: cleartext configured although TLS works.
pub const N602: Rule = Rule {
    code: "N602",
    name: "cleartext-configured-tls-available",
    severity: Severity::Warning,
    summary: "no encryption is configured, but the server offers TLS",
    what: "The settings say `security: none` while the same port accepts STARTTLS, or the server offers implicit TLS.",
    why: "The password and the mail travel in cleartext for no reason.",
    example: "IMAP on 143 with no encryption, STARTTLS works → set the security to STARTTLS.",
    references: &["RFC 8314 §3", "RFC 8314 §5"],
};

/// `N603`: no secure endpoint.
pub const N603: Rule = Rule {
    code: "N603",
    name: "no-secure-endpoint",
    severity: Severity::Error,
    summary: "no probed endpoint gives a verified, encrypted connection",
    what: "Of the endpoints probed for a protocol, none completed TLS with a certificate that verifies for the host name.",
    why: "There is no way to use this server without exposing the password or trusting an unauthenticated peer.",
    example: "Only cleartext IMAP on 143 → ask the provider for TLS; do not send the password this way.",
    references: &["RFC 8314 §3", "RFC 8314 §5"],
};

/// `N604`: only STARTTLS, no implicit TLS.
pub const N604: Rule = Rule {
    code: "N604",
    name: "implicit-tls-unavailable",
    severity: Severity::Info,
    summary: "the server offers STARTTLS but not implicit TLS",
    what: "Of the protocol's standard endpoints, the STARTTLS one works and the implicit TLS one (993, 995, 465) does not.",
    why: "RFC 8314 prefers implicit TLS: it cannot be stripped and has no cleartext phase. STARTTLS is still fine when the \
          client requires it.",
    example: "143 with STARTTLS works, 993 is closed → use STARTTLS on 143 and make the client require it.",
    references: &["RFC 8314 §3", "RFC 8314 §4.5"],
};
