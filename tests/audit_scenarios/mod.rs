//! The audit's scenario domains, on discovery's loopback fixtures (a real DNS server and a real
//! HTTPS server with a run-time CA, `tests/discover_fixture`), and for each scenario the outcome
//! expected in every client, written down with the client behaviour it rests on.
//!
//! Every mail host of the scenarios resolves to 127.0.0.2, where the real-server tests start
//! Dovecot (`scripts/mailserver/`, certificate for `mail.test`); the plain tests run without
//! probes. Documents name the real ports (the standard ones moved by the offset the fixture and
//! Dovecot share), as a lab that maps ports would publish them.

#![allow(dead_code)]

use crate::discover_fixture::{self as fx, Route, Zone};
use std::net::Ipv4Addr;

pub const AC: &str = "/mail/config-v1.1.xml";
pub const WK: &str = "/.well-known/autoconfig/mail/config-v1.1.xml";
pub const AD: &str = "/autodiscover/autodiscover.xml";

/// Where Dovecot listens in the real-server tests (MAIL_HOST).
pub const MAIL_IP: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 2);
/// A loopback address where nothing listens (an old server that is gone).
pub const DEAD_IP: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 3);

/// An autoconfig file: one IMAP and one SMTP server, both implicit TLS, at offset ports.
pub fn autoconfig(domain: &str, host: &str, o: u16) -> String {
    fx::autoconfig(domain, host, 993 + o, "SSL", host, 465 + o, "SSL")
}

/// The autoconfig template of a mailcow installation (`data/web/autoconfig.php`): one file for
/// every domain the server hosts, `<domain>%EMAILDOMAIN%</domain>`, the server's own name as
/// the provider id, IMAP, POP3 and two SMTP servers.
pub fn mailcow(host: &str, o: u16) -> String {
    format!(
        r#"<?xml version="1.0"?>
<clientConfig version="1.1">
  <emailProvider id="{host}">
    <domain>%EMAILDOMAIN%</domain>
    <displayName>A mailcow server</displayName>
    <displayShortName>mail server</displayShortName>
    <incomingServer type="imap">
      <hostname>{host}</hostname>
      <port>{imaps}</port>
      <socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username>
      <authentication>password-cleartext</authentication>
    </incomingServer>
    <incomingServer type="pop3">
      <hostname>{host}</hostname>
      <port>{pop3s}</port>
      <socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username>
      <authentication>password-cleartext</authentication>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>{host}</hostname>
      <port>{submissions}</port>
      <socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username>
      <authentication>password-cleartext</authentication>
    </outgoingServer>
    <outgoingServer type="smtp">
      <hostname>{host}</hostname>
      <port>{submission}</port>
      <socketType>STARTTLS</socketType>
      <username>%EMAILADDRESS%</username>
      <authentication>password-cleartext</authentication>
    </outgoingServer>
    <enable visiturl="https://{host}/admin">
      <instruction>If you didn't change the password given to you by the administrator or if you didn't change it in a long time, please consider doing that now.</instruction>
    </enable>
  </emailProvider>
</clientConfig>
"#,
        imaps = 993 + o,
        pop3s = 995 + o,
        submissions = 465 + o,
        submission = 587 + o,
    )
}

/// A file with `mail.%EMAILDOMAIN%`: the template a shared host serves for every customer
/// domain, whose server's certificate names only the host itself.
pub fn per_customer_template(o: u16) -> String {
    fx::autoconfig(
        "%EMAILDOMAIN%",
        "mail.%EMAILDOMAIN%",
        993 + o,
        "SSL",
        "mail.%EMAILDOMAIN%",
        465 + o,
        "SSL",
    )
    .replace(
        r#"<emailProvider id="%EMAILDOMAIN%">"#,
        r#"<emailProvider id="sharedhost.test">"#,
    )
}

/// An Autodiscover POX response with IMAP and SMTP (implicit TLS) at offset ports.
pub fn pox(host: &str, o: u16) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
    <Account>
      <AccountType>email</AccountType>
      <Action>settings</Action>
      <Protocol><Type>IMAP</Type><Server>{host}</Server><Port>{}</Port><SSL>on</SSL><Encryption>SSL</Encryption><AuthRequired>on</AuthRequired></Protocol>
      <Protocol><Type>SMTP</Type><Server>{host}</Server><Port>{}</Port><SSL>on</SSL><Encryption>SSL</Encryption><AuthRequired>on</AuthRequired></Protocol>
    </Account>
  </Response>
</Autodiscover>
"#,
        993 + o,
        465 + o
    )
}

/// The ISPDB entries the scenarios need, with the servers the real ISPDB lists (googlemail.com,
/// office365.com, hotmail.com in thunderbird/autoconfig — facts, not copies of the files).
fn ispdb(z: &mut Zone, o: u16) {
    let gmail = r#"<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="googlemail.com">
    <domain>gmail.com</domain>
    <domain>googlemail.com</domain>
    <domain>google.com</domain>
    <displayName>Google Mail</displayName>
    <incomingServer type="imap">
      <hostname>imap.gmail.com</hostname>
      <port>993</port>
      <socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username>
      <authentication>OAuth2</authentication>
      <authentication>password-cleartext</authentication>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.gmail.com</hostname>
      <port>465</port>
      <socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username>
      <authentication>OAuth2</authentication>
      <authentication>password-cleartext</authentication>
    </outgoingServer>
  </emailProvider>
</clientConfig>
"#;
    let microsoft = |id: &str, domains: &[&str]| {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="{id}">
{}
    <displayName>Microsoft</displayName>
    <incomingServer type="imap">
      <hostname>outlook.office365.com</hostname>
      <port>993</port>
      <socketType>SSL</socketType>
      <authentication>OAuth2</authentication>
      <username>%EMAILADDRESS%</username>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.office365.com</hostname>
      <port>587</port>
      <socketType>STARTTLS</socketType>
      <authentication>OAuth2</authentication>
      <username>%EMAILADDRESS%</username>
    </outgoingServer>
  </emailProvider>
</clientConfig>
"#,
            domains
                .iter()
                .map(|d| format!("    <domain>{d}</domain>"))
                .collect::<Vec<_>>()
                .join("\n")
        )
    };
    z.a("ispdb.test", Ipv4Addr::LOCALHOST);
    z.https("ispdb.test", "/v1.1/google.com", Route::Xml(gmail.into()));
    z.https(
        "ispdb.test",
        "/v1.1/mail.protection.outlook.com",
        Route::Xml(microsoft(
            "office365.com",
            &["office365.com", "mail.protection.outlook.com"],
        )),
    );
    z.https(
        "ispdb.test",
        "/v1.1/outlook.com",
        Route::Xml(microsoft("hotmail.com", &["hotmail.com", "outlook.com"])),
    );
    let _ = o;
}

/// Every scenario in one zone. `o`: the offset of the standard ports (HTTP(S) and Dovecot).
pub fn zone(o: u16) -> Zone {
    let lo = Ipv4Addr::LOCALHOST;
    let mut z = Zone::default();
    ispdb(&mut z, o);
    z.a("mail.test", MAIL_IP);

    // good.test: autoconfig over HTTPS, SRV, Autodiscover, all naming mail.test.
    z.mx("good.test", 10, "mx.good.test")
        .a("mx.good.test", MAIL_IP);
    z.a("autoconfig.good.test", lo)
        .a("autodiscover.good.test", lo);
    z.https(
        "autoconfig.good.test",
        AC,
        Route::Xml(autoconfig("good.test", "mail.test", o)),
    );
    z.https(
        "autodiscover.good.test",
        AD,
        Route::Xml(pox("mail.test", o)),
    );
    z.srv("_imaps._tcp.good.test", 0, 1, 993 + o, "mail.test");
    z.srv("_submissions._tcp.good.test", 0, 1, 465 + o, "mail.test");
    for s in ["_imap", "_pop3", "_pop3s", "_submission"] {
        z.srv(&format!("{s}._tcp.good.test"), 0, 0, 0, ".");
    }

    // mailcow.test: the mailcow template at autoconfig.<domain> and its Autodiscover; MX is
    // the mailcow server itself.
    z.mx("mailcow.test", 10, "mail.test");
    z.a("autoconfig.mailcow.test", lo)
        .a("autodiscover.mailcow.test", lo);
    z.https(
        "autoconfig.mailcow.test",
        AC,
        Route::Xml(mailcow("mail.test", o)),
    );
    z.https(
        "autodiscover.mailcow.test",
        AD,
        Route::Xml(pox("mail.test", o)),
    );

    // google.test: mail at Google, nothing published.
    z.mx("google.test", 1, "aspmx.l.google.com")
        .mx("google.test", 5, "alt1.aspmx.l.google.com");

    // ms.test: mail at Microsoft 365, nothing published.
    z.mx("ms.test", 0, "ms-test.mail.protection.outlook.com");

    // stale.test: moved to newhost.test (MX), but the old autoconfig still names the old
    // server, which is gone.
    z.mx("stale.test", 10, "mx.newhost.test")
        .a("mx.newhost.test", MAIL_IP);
    z.a("autoconfig.stale.test", lo)
        .a("mail.stale.test", DEAD_IP);
    z.https(
        "autoconfig.stale.test",
        AC,
        Route::Xml(autoconfig("stale.test", "mail.stale.test", o)),
    );
    z.a("autoconfig.newhost.test", lo);
    z.https(
        "autoconfig.newhost.test",
        AC,
        Route::Xml(autoconfig("newhost.test", "mail.test", o)),
    );

    // srv.test: RFC 6186 SRV only; mail.srv.test is the same server (its certificate names
    // mail.test).
    z.mx("srv.test", 10, "mx.srv.test")
        .a("mx.srv.test", MAIL_IP);
    z.a("mail.srv.test", MAIL_IP);
    z.srv("_imaps._tcp.srv.test", 0, 1, 993 + o, "mail.test");
    z.srv("_submissions._tcp.srv.test", 0, 1, 465 + o, "mail.test");
    for s in ["_imap", "_pop3", "_pop3s", "_submission"] {
        z.srv(&format!("{s}._tcp.srv.test"), 0, 0, 0, ".");
    }

    // httponly.test: autoconfig over plain HTTP only (HTTPS answers 404).
    z.a("autoconfig.httponly.test", lo);
    z.https("autoconfig.httponly.test", "/", Route::Status(404));
    z.http(
        "autoconfig.httponly.test",
        AC,
        Route::Xml(autoconfig("httponly.test", "mail.test", o)),
    );

    // nothing.test: the domain exists, publishes nothing.
    z.txt("nothing.test", "v=spf1 -all");

    // wrongcert.test: the shared host's template names mail.<customer domain>, whose
    // certificate names mail.test.
    z.a("autoconfig.wrongcert.test", lo)
        .a("mail.wrongcert.test", MAIL_IP);
    z.https(
        "autoconfig.wrongcert.test",
        AC,
        Route::Xml(per_customer_template(o)),
    );

    // refused.test (not a matrix scenario): the first autoconfig URL serves a file Thunderbird
    // refuses (spaces in <socketType>), the well-known URL a good one.
    z.a("autoconfig.refused.test", lo).a("refused.test", lo);
    z.https(
        "autoconfig.refused.test",
        AC,
        Route::Xml(autoconfig("refused.test", "mail.test", o).replace(">SSL<", "> SSL <")),
    );
    z.https(
        "refused.test",
        WK,
        Route::Xml(autoconfig("refused.test", "mail.test", o)),
    );

    // redirect.test (not a matrix scenario): Autodiscover only by the HTTP redirect method, to a
    // hoster's domain.
    z.a("autodiscover.redirect.test", lo)
        .a("autodiscover.hoster2.test", lo);
    z.http(
        "autodiscover.redirect.test",
        AD,
        Route::Redirect(format!("https://autodiscover.hoster2.test:{{PORT}}{AD}")),
    );
    z.https(
        "autodiscover.hoster2.test",
        AD,
        Route::Xml(pox("mail.test", o)),
    );

    // hostile.test (not a scenario): markup and escape sequences in what the domain serves, for
    // the report's escaping (e2e/audit.test.mjs).
    z.a("autodiscover.hostile.test", lo);
    z.https(
        "autodiscover.hostile.test",
        AD,
        Route::Xml(format!(
            r#"<?xml version="1.0"?><Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"><Response><Error><Message>{}</Message></Error></Response></Autodiscover>"#,
            HOSTILE
        )),
    );
    z
}

/// The text hostile.test's Autodiscover answer carries (XML-escaped in the answer, so the
/// reader hands it over as markup).
pub const HOSTILE: &str = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;";

/// What a client should end with in a scenario, and why (the behaviour it rests on).
pub struct Expect {
    /// The client id (`thunderbird`, …).
    pub client: &'static str,
    /// The outcome with probes (against Dovecot).
    pub probed: &'static str,
    /// The outcome without probes (`--no-probe`).
    pub unprobed: &'static str,
    /// The incoming host it ends with (`None`: none).
    pub host: Option<&'static str>,
    /// The client behaviour the expectation rests on.
    pub because: &'static str,
}

/// A scenario: its domain, whether its servers can be probed here, the expected outcomes, and
/// the C rules that must fire.
pub struct Scenario {
    pub name: &'static str,
    pub domain: &'static str,
    /// The providers' servers (Google, Microsoft) are not reachable from the test network: the
    /// scenario runs without probes in both modes.
    pub probe: bool,
    pub expect: &'static [Expect],
    /// C rules that fire in both modes.
    pub findings: &'static [&'static str],
    /// C rules that need the probe (they fire only with it).
    pub probed_findings: &'static [&'static str],
}

const fn e(
    client: &'static str,
    probed: &'static str,
    unprobed: &'static str,
    host: Option<&'static str>,
    because: &'static str,
) -> Expect {
    Expect {
        client,
        probed,
        unprobed,
        host,
        because,
    }
}

const NEW_OUTLOOK: Expect = e(
    "new-outlook",
    "not-documented",
    "not-documented",
    None,
    "Microsoft documents no discovery order for IMAP accounts in the new Outlook (it syncs them through the Microsoft Cloud)",
);

pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "good hosting",
        domain: "good.test",
        probe: true,
        expect: &[
            e("thunderbird", "works", "unverified", Some("mail.test"), "FetchConfig.sys.mjs: https://autoconfig.D/… is the first ISP URL; readFromXML accepts the file"),
            e("thunderbird-android", "works", "unverified", Some("mail.test"), "ProviderAutoconfigUrlProvider.kt: the HTTPS autoconfig first; trusted over HTTPS (OkHttpFetcher.kt)"),
            e("outlook", "works", "unverified", Some("mail.test"), "Outlook 2016 implementation of Autodiscover: https://autodiscover.D/… after the root domain, which does not resolve"),
            NEW_OUTLOOK,
            e("apple-mail", "manual", "manual", Some("mail.test"), "Apple documents no lookup: the person types the published settings"),
            e("delta-chat", "works", "unverified", Some("mail.test"), "configure.rs: https://autoconfig.D/… first, strict TLS passes for mail.test"),
        ],
        findings: &[],
        probed_findings: &[],
    },
    Scenario {
        name: "mailcow-style setup",
        domain: "mailcow.test",
        probe: true,
        expect: &[
            e("thunderbird", "works", "unverified", Some("mail.test"), "readFromXML: %EMAILDOMAIN% is allowed in <domain> (InputSanitizer.hostname), the first IMAP server is taken"),
            e("thunderbird-android", "works", "unverified", Some("mail.test"), "RealAutoconfigParser.kt replaces %EMAILDOMAIN% before checking <domain>; the provider id is a host name"),
            e("outlook", "works", "unverified", Some("mail.test"), "mailcow answers Autodiscover at autodiscover.D"),
            NEW_OUTLOOK,
            e("apple-mail", "manual", "manual", Some("mail.test"), "no lookup"),
            e("delta-chat", "works", "unverified", Some("mail.test"), "auto_mozilla.rs reads every imap/smtp server; the first works"),
        ],
        findings: &["C112"],
        probed_findings: &[],
    },
    Scenario {
        name: "Google-hosted MX",
        domain: "google.test",
        probe: false,
        expect: &[
            e("thunderbird", "unverified", "unverified", Some("imap.gmail.com"), "fetchConfigForMX: aspmx.l.google.com → l.google.com (nothing), then google.com in the ISPDB"),
            e("thunderbird-android", "confirm", "confirm", Some("imap.gmail.com"), "MxLookupAutoconfigDiscovery.kt: the ISPDB entry for google.com, untrusted because the MX answer is not DNSSEC-validated → approval checkbox"),
            e("outlook", "manual", "manual", None, "Outlook reads only Autodiscover, which the domain does not answer"),
            NEW_OUTLOOK,
            e("apple-mail", "manual", "manual", Some("imap.gmail.com"), "no lookup; the published settings are Google's (MX)"),
            e("delta-chat", "unverified", "unverified", None, "provider.rs has no MX lookup: Delta Chat guesses host names of the domain itself (not simulated without probes)"),
        ],
        findings: &["C110", "C121"],
        probed_findings: &[],
    },
    Scenario {
        name: "Microsoft-hosted MX",
        domain: "ms.test",
        probe: false,
        expect: &[
            e("thunderbird", "unverified", "unverified", Some("outlook.office365.com"), "fetchConfigForMX: getNextSubDomain gives protection.outlook.com (nothing), then outlook.com in the ISPDB"),
            e("thunderbird-android", "confirm", "confirm", Some("outlook.office365.com"), "RealSubDomainExtractor.kt: mail.protection.outlook.com, in the ISPDB; MX not DNSSEC-validated → approval"),
            e("outlook", "unverified", "unverified", None, "Outlook 2016 implementation of Autodiscover: Microsoft 365 mailboxes are found by asking Microsoft directly"),
            e("new-outlook", "unverified", "unverified", None, "Microsoft 365 accounts sign in directly"),
            e("apple-mail", "manual", "manual", Some("outlook.office365.com"), "no lookup; the published settings are Microsoft 365's (MX)"),
            e("delta-chat", "unverified", "unverified", None, "no MX lookup in Delta Chat: guesses (not simulated without probes)"),
        ],
        findings: &["C121"],
        probed_findings: &[],
    },
    Scenario {
        name: "stale autoconfig shadowing MX",
        domain: "stale.test",
        probe: true,
        expect: &[
            e("thunderbird", "fails", "unverified", Some("mail.stale.test"), "FindConfig.sys.mjs: the ISP's own file outranks the MX lookup, so the stale file wins"),
            e("thunderbird-android", "fails", "unverified", Some("mail.stale.test"), "RealAutoDiscoveryRegistry.kt: provider autoconfig before MX"),
            e("outlook", "manual", "manual", None, "no Autodiscover"),
            NEW_OUTLOOK,
            e("apple-mail", "fails", "manual", Some("mail.stale.test"), "no lookup; the person types what the domain publishes (the stale file), which fails"),
            e("delta-chat", "fails", "unverified", Some("mail.stale.test"), "configure.rs: autoconfig first and no MX lookup"),
        ],
        findings: &["C101"],
        probed_findings: &["C104", "C120"],
    },
    Scenario {
        name: "SRV only",
        domain: "srv.test",
        probe: true,
        expect: &[
            e("thunderbird", "confirm", "unverified", Some("mail.srv.test"), "Thunderbird reads no SRV; GuessConfig.sys.mjs: mail.srv.test:993 fails (certificate for mail.test, requireGoodCert), STARTTLS on 143 is listed, so it wins; the login then meets the certificate and asks (ConfigVerifier.sys.mjs)"),
            e("thunderbird-android", "manual", "manual", None, "no SRV, no guessing: the person types the servers"),
            e("outlook", "manual", "manual", None, "no Autodiscover"),
            NEW_OUTLOOK,
            e("apple-mail", "manual", "manual", Some("mail.test"), "no lookup; the published settings (SRV) name mail.test"),
            e("delta-chat", "fails", "unverified", None, "server_params.rs guesses srv.test, imap.srv.test, mail.srv.test; strict TLS refuses mail.srv.test's certificate (it names mail.test)"),
        ],
        findings: &["C110"],
        probed_findings: &["C120", "C121"],
    },
    Scenario {
        name: "autoconfig on HTTP only",
        domain: "httponly.test",
        probe: true,
        expect: &[
            e("thunderbird", "works", "unverified", Some("mail.test"), "fetchFromISP.sslOnly is false by default (mailnews.js): http://autoconfig.D/… is read, with no warning"),
            e("thunderbird-android", "confirm", "confirm", Some("mail.test"), "OkHttpFetcher.kt: not HTTPS → untrusted → approval checkbox"),
            e("outlook", "manual", "manual", None, "no Autodiscover"),
            NEW_OUTLOOK,
            e("apple-mail", "manual", "manual", Some("mail.test"), "no lookup"),
            e("delta-chat", "works", "unverified", Some("mail.test"), "configure.rs reads http://autoconfig.D/… third"),
        ],
        findings: &["C106", "C121"],
        probed_findings: &[],
    },
    Scenario {
        name: "nothing published",
        domain: "nothing.test",
        probe: true,
        expect: &[
            e("thunderbird", "manual", "unverified", None, "every source fails; GuessConfig finds no host: the person types the settings"),
            e("thunderbird-android", "manual", "manual", None, "nothing found: manual setup"),
            e("outlook", "manual", "manual", None, "no Autodiscover"),
            NEW_OUTLOOK,
            e("apple-mail", "manual", "manual", None, "no lookup, and nothing to type from the domain"),
            e("delta-chat", "fails", "unverified", None, "guesses fail: configuration fails"),
        ],
        findings: &["C111", "C112"],
        probed_findings: &["C120"],
    },
    Scenario {
        name: "wrong certificate on the advised host",
        domain: "wrongcert.test",
        probe: true,
        expect: &[
            e("thunderbird", "confirm", "unverified", Some("mail.wrongcert.test"), "ConfigVerifier.sys.mjs: the login meets a certificate for mail.test and opens the exception dialog"),
            e("thunderbird-android", "confirm", "unverified", Some("mail.wrongcert.test"), "ServerCertificateErrorContract.kt: the person may accept the certificate"),
            e("outlook", "manual", "manual", None, "no Autodiscover"),
            NEW_OUTLOOK,
            e("apple-mail", "manual", "manual", Some("mail.wrongcert.test"), "no lookup; the person types the published host, whose certificate fails"),
            e("delta-chat", "fails", "unverified", Some("mail.wrongcert.test"), "transport.rs: strict TLS refuses a certificate for another name, no question asked"),
        ],
        findings: &[],
        probed_findings: &["C103", "C120", "C121"],
    },
];
