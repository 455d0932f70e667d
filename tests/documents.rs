//! Export, import and lint of configuration documents: round trips, every format's content,
//! escaping of hostile input, refusal of hostile XML, and properties.

use mailsetup::documents::{
    export, import_autoconfig, lint_autoconfig, xml::XmlError, ExportError, ExportInput, Format,
    ImportError,
};
use mailsetup::{Account, Auth, Pop3Options, Protocol, Security, Server, Severity};
use proptest::prelude::*;

fn server(protocol: Protocol, host: &str, port: u16, security: Security) -> Server {
    Server {
        protocol,
        host: host.into(),
        port,
        security,
        auth: Some(Auth::Password),
        username: Some("me@example.com".into()),
    }
}

fn account() -> Account {
    Account {
        email: Some("me@example.com".into()),
        incoming: server(Protocol::Imap, "imap.example.com", 993, Security::Tls),
        outgoing: Some(server(
            Protocol::Smtp,
            "smtp.example.com",
            465,
            Security::Tls,
        )),
        pop3: None,
    }
}

fn export_account(a: &Account, f: Format) -> Result<String, ExportError> {
    export(&ExportInput::Account(a.clone()), f)
}

fn round_trip(a: &Account) -> Account {
    let xml = export_account(a, Format::Autoconfig).expect("exports");
    import_autoconfig(&xml, a.email.as_deref())
        .expect("imports")
        .account()
        .expect("has an account")
}

// ---------- autoconfig ----------

#[test]
fn gmail_autoconfig_is_complete_and_lints_clean() {
    let xml = export(
        &ExportInput::Email("someone@gmail.com".into()),
        Format::Autoconfig,
    )
    .unwrap();
    for needle in [
        r#"<clientConfig version="1.1">"#,
        r#"<emailProvider id="gmail.com">"#,
        "<domain>gmail.com</domain>",
        "<domain>googlemail.com</domain>",
        r#"<incomingServer type="imap">"#,
        "<hostname>imap.gmail.com</hostname>",
        "<socketType>SSL</socketType>",
        "<authentication>OAuth2</authentication>",
        "<authentication>password-cleartext</authentication>",
        "<username>%EMAILADDRESS%</username>",
        r#"<incomingServer type="pop3">"#,
        "<leaveMessagesOnServer>true</leaveMessagesOnServer>",
        "<socketType>STARTTLS</socketType>",
    ] {
        assert!(xml.contains(needle), "missing {needle} in\n{xml}");
    }
    // The provider's switch for POP and its help page, from the curated table.
    let gmail = mailsetup::providers::by_id("gmail").unwrap();
    let toggle = gmail.enable_for(Protocol::Pop3).unwrap();
    // The format's visiturl: the page where the switch is, else the help page.
    let url = toggle
        .url
        .as_deref()
        .unwrap_or(&gmail.help_page().unwrap().url);
    let visit = format!(r#"<enable visiturl="{url}">"#);
    assert!(xml.contains(&visit), "missing {visit} in\n{xml}");
    let docs = format!(
        r#"<documentation url="{}">"#,
        gmail.help_page().unwrap().url
    );
    assert!(xml.contains(&docs), "missing {docs} in\n{xml}");
    // IMAP is listed before POP3: the order is the preference.
    assert!(xml.find("type=\"imap\"") < xml.find("type=\"pop3\""));
    let report = lint_autoconfig(&xml).unwrap();
    assert!(
        report.findings.iter().all(|f| f.severity == Severity::Info),
        "{:#?}",
        report.findings
    );
}

#[test]
fn every_provider_exports_in_every_format_or_says_why() {
    // Providers known only by their MX hosts (custom domains) have no address to export for.
    for p in mailsetup::providers::all()
        .iter()
        .filter(|p| !p.domains.is_empty())
    {
        let email = format!("someone@{}", p.domain_names().next().unwrap());
        for f in Format::ALL {
            match export(&ExportInput::Email(email.clone()), *f) {
                Ok(doc) => {
                    assert!(!doc.is_empty());
                    if *f == Format::Autoconfig {
                        let report = lint_autoconfig(&doc).unwrap();
                        // A provider that documents only unencrypted servers (or port 25) gets
                        // them exported as documented; the standards' findings about that stay.
                        let plain = doc.contains("<socketType>plain</socketType>");
                        let relay = doc.contains("<port>25</port>");
                        // A provider that documents POP3 only: Thunderbird for Android reads
                        // IMAP only, and says so (D302).
                        let pop3_only = !doc.contains(r#"<incomingServer type="imap">"#);
                        let bad: Vec<_> = report
                            .findings
                            .iter()
                            .filter(|x| x.severity != Severity::Info)
                            .filter(|x| {
                                let standards_only = plain
                                    && matches!(
                                        x.code,
                                        "T201" | "T203" | "A308" | "D201" | "D202" | "D302"
                                    );
                                let port_25 = relay && x.code == "P103";
                                let no_imap = pop3_only && x.code == "D302";
                                !standards_only && !port_25 && !no_imap
                            })
                            .collect();
                        assert!(bad.is_empty(), "{}: {bad:#?}\n{doc}", p.id);
                    }
                }
                Err(e) => {
                    let msg = e.to_string();
                    assert!(
                        matches!(
                            e,
                            ExportError::Unexpressible { .. }
                                | ExportError::NoServers { .. }
                                // A local bridge (127.0.0.1) has no name to publish in DNS.
                                | ExportError::NotAHostName { .. }
                        ),
                        "{} {f}: {msg}",
                        p.id
                    );
                    assert!(msg.len() > 30, "{msg}");
                }
            }
        }
    }
}

#[test]
fn account_round_trips_through_autoconfig() {
    let a = account();
    assert_eq!(round_trip(&a), a);

    // POP3 with its options, the local part as username, STARTTLS outgoing on 587.
    let mut b = account();
    b.incoming = Server {
        username: Some("me".into()),
        auth: Some(Auth::EncryptedPassword),
        ..server(Protocol::Pop3, "pop.example.com", 995, Security::Tls)
    };
    b.outgoing = Some(server(
        Protocol::Smtp,
        "smtp.example.com",
        587,
        Security::Starttls,
    ));
    b.pop3 = Some(Pop3Options {
        leave_on_server: true,
        delete_after_days: Some(30),
    });
    assert_eq!(round_trip(&b), b);
    let xml = export_account(&b, Format::Autoconfig).unwrap();
    assert!(
        xml.contains("<username>%EMAILLOCALPART%</username>"),
        "{xml}"
    );
    assert!(xml.contains("<daysToLeaveMessagesOnServer>30</daysToLeaveMessagesOnServer>"));

    // A literal username.
    let mut c = account();
    c.incoming.username = Some("u12345".into());
    assert_eq!(round_trip(&c), c);
    // Clients refuse autoconfig files without an outgoing server, so none is written.
    c.outgoing = None;
    let e = export_account(&c, Format::Autoconfig).unwrap_err();
    assert!(e.to_string().contains("outgoing"), "{e}");
}

#[test]
fn app_password_round_trips_where_the_provider_needs_one() {
    let mut a = account();
    a.email = Some("someone@gmail.com".into());
    a.incoming = Server {
        auth: Some(Auth::AppPassword),
        username: Some("someone@gmail.com".into()),
        ..server(Protocol::Imap, "imap.gmail.com", 993, Security::Tls)
    };
    a.outgoing = Some(Server {
        auth: Some(Auth::Oauth2),
        username: Some("someone@gmail.com".into()),
        ..server(Protocol::Smtp, "smtp.gmail.com", 465, Security::Tls)
    });
    assert_eq!(round_trip(&a), a);
}

#[test]
fn unsaid_fields_get_the_documented_defaults() {
    let mut a = account();
    a.incoming.username = None;
    a.incoming.auth = None;
    let back = round_trip(&a);
    assert_eq!(back.incoming.username.as_deref(), Some("me@example.com"));
    assert_eq!(back.incoming.auth, Some(Auth::Password));
}

#[test]
fn autoconfig_needs_an_email_and_knowable_oauth2() {
    let mut a = account();
    a.email = None;
    let e = export_account(&a, Format::Autoconfig).unwrap_err();
    assert!(matches!(e, ExportError::NeedsEmail { .. }), "{e}");
    let mut b = account();
    b.incoming.auth = Some(Auth::Oauth2);
    let e = export_account(&b, Format::Autoconfig).unwrap_err();
    assert!(e.to_string().contains("OAuth2 for imap.example.com"), "{e}");
}

#[test]
fn imported_accounts_keep_placeholders_without_an_address() {
    let xml = export_account(&account(), Format::Autoconfig).unwrap();
    let imported = import_autoconfig(&xml, None).unwrap();
    assert_eq!(
        imported.incoming[0].server.username.as_deref(),
        Some("%EMAILADDRESS%")
    );
    assert_eq!(imported.domains, ["example.com"]);
    assert!(matches!(
        import_autoconfig(&xml, Some("not-an-address")),
        Err(ImportError::InvalidEmail { .. })
    ));
}

#[test]
fn lint_reports_each_problem_once_with_document_paths() {
    // A password over a plain connection: the D rule yields to the normal rule (T201) when the
    // build has it, so the problem is reported once.
    let mut a = account();
    a.incoming.port = 143;
    a.incoming.security = Security::None;
    let xml = export_account(&a, Format::Autoconfig).unwrap();
    let report = lint_autoconfig(&xml).unwrap();
    let on_socket: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.field == "incomingServer[1].socketType" && f.severity == Severity::Error)
        .map(|f| f.code)
        .collect();
    assert_eq!(on_socket.len(), 1, "{:#?}", report.findings);
    assert!(["T201", "D201"].contains(&on_socket[0]));
    // Fixes speak the file's vocabulary.
    for f in &report.findings {
        if let Some(fix) = &f.fix {
            assert_eq!(fix.field, f.field);
            if f.field.ends_with(".socketType") {
                let v = serde_json::to_value(&fix.value).unwrap();
                assert!(
                    ["SSL", "STARTTLS", "plain"].contains(&v.as_str().unwrap()),
                    "{v}"
                );
            }
        }
    }
    // A finding about the protocol points at the server's type attribute (GMX must switch IMAP
    // on first: V405, when the build has the provider rules).
    let gmx = export(
        &ExportInput::Email("someone@gmx.net".into()),
        Format::Autoconfig,
    )
    .unwrap();
    let report = lint_autoconfig(&gmx).unwrap();
    assert!(!report.findings.iter().any(|f| f.field.contains("protocol")));
    if mailsetup::catalog::lookup("V405").is_some() {
        assert!(
            report
                .findings
                .iter()
                .any(|f| f.code == "V405" && f.field == "incomingServer[1]@type"),
            "{:#?}",
            report.findings
        );
    }
}

// ---------- the other formats ----------

#[test]
fn autodiscover_maps_security_to_encryption() {
    let mut a = account();
    a.outgoing = Some(server(
        Protocol::Smtp,
        "smtp.example.com",
        587,
        Security::Starttls,
    ));
    let xml = export_account(&a, Format::Autodiscover).unwrap();
    let root = mailsetup::documents::xml::parse(&xml).unwrap();
    assert_eq!(root.name, "Autodiscover");
    let acct = root.child("Response").unwrap().child("Account").unwrap();
    assert_eq!(acct.child_text("AccountType"), Some("email"));
    let protocols: Vec<_> = acct.children_named("Protocol").collect();
    assert_eq!(protocols.len(), 2);
    let get = |i: usize, k: &str| protocols[i].child_text(k).unwrap().to_owned();
    assert_eq!(get(0, "Type"), "IMAP");
    assert_eq!(get(0, "Encryption"), "SSL");
    assert_eq!(get(1, "Type"), "SMTP");
    assert_eq!(get(1, "Encryption"), "TLS");
    assert_eq!(get(1, "SSL"), "on");
    assert_eq!(get(1, "LoginName"), "me@example.com");
    assert!(!xml.to_lowercase().contains("password"));
    let mut plain = account();
    plain.incoming.security = Security::None;
    let xml = export_account(&plain, Format::Autodiscover).unwrap();
    assert!(xml.contains("<Encryption>None</Encryption>") && xml.contains("<SSL>off</SSL>"));
    let e = export(
        &ExportInput::Email("someone@outlook.com".into()),
        Format::Autodiscover,
    )
    .unwrap_err();
    assert!(matches!(e, ExportError::Unexpressible { .. }), "{e}");
}

#[test]
fn mobileconfig_parses_as_a_plist_with_the_expected_keys() {
    let doc = export(
        &ExportInput::Email("someone@gmail.com".into()),
        Format::Mobileconfig,
    )
    .unwrap();
    let value = plist::Value::from_reader(std::io::Cursor::new(doc.as_bytes())).unwrap();
    let top = value.as_dictionary().unwrap();
    assert_eq!(
        top.get("PayloadType").and_then(|v| v.as_string()),
        Some("Configuration")
    );
    assert_eq!(
        top.get("PayloadVersion")
            .and_then(|v| v.as_signed_integer()),
        Some(1)
    );
    let content = top.get("PayloadContent").unwrap().as_array().unwrap();
    assert_eq!(content.len(), 1);
    let mail = content[0].as_dictionary().unwrap();
    let text = |k: &str| mail.get(k).and_then(|v| v.as_string()).map(str::to_owned);
    assert_eq!(
        text("PayloadType").as_deref(),
        Some("com.apple.mail.managed")
    );
    assert_eq!(text("EmailAccountType").as_deref(), Some("EmailTypeIMAP"));
    assert_eq!(text("EmailAddress").as_deref(), Some("someone@gmail.com"));
    assert_eq!(
        text("IncomingMailServerHostName").as_deref(),
        Some("imap.gmail.com")
    );
    assert_eq!(
        mail.get("IncomingMailServerPortNumber")
            .and_then(|v| v.as_signed_integer()),
        Some(993)
    );
    assert_eq!(
        mail.get("IncomingMailServerUseSSL")
            .and_then(|v| v.as_boolean()),
        Some(true)
    );
    assert_eq!(
        text("OutgoingMailServerHostName").as_deref(),
        Some("smtp.gmail.com")
    );
    assert_eq!(
        text("IncomingMailServerAuthentication").as_deref(),
        Some("EmailAuthPassword")
    );
    for k in mail.keys().chain(top.keys()) {
        assert!(
            !k.contains("Password") || k == "OutgoingPasswordSameAsIncomingPassword",
            "{k}"
        );
    }
    // UUIDs: well-formed, distinct, derived from the input.
    let uuid = |d: &plist::Dictionary| {
        d.get("PayloadUUID")
            .and_then(|v| v.as_string())
            .unwrap()
            .to_owned()
    };
    let (outer, inner) = (uuid(top), uuid(mail));
    assert_ne!(outer, inner);
    for u in [&outer, &inner] {
        assert_eq!(u.len(), 36);
        assert_eq!(u.as_bytes()[14], b'5', "version 5: {u}");
    }
    let again = export(
        &ExportInput::Email("someone@gmail.com".into()),
        Format::Mobileconfig,
    )
    .unwrap();
    assert_eq!(doc, again, "the same input gives the same file");
    let other = export(
        &ExportInput::Email("other@gmail.com".into()),
        Format::Mobileconfig,
    )
    .unwrap();
    assert!(!other.contains(&outer), "another address gets other UUIDs");
}

#[test]
fn mobileconfig_refuses_what_apple_cannot_do() {
    let e = export(
        &ExportInput::Email("someone@outlook.com".into()),
        Format::Mobileconfig,
    )
    .unwrap_err();
    assert!(e.to_string().contains("OAuth2"), "{e}");
    let mut a = account();
    a.outgoing = None;
    assert!(export_account(&a, Format::Mobileconfig).is_err());
    // POP3 accounts are EmailTypePOP.
    let mut p = account();
    p.incoming = server(Protocol::Pop3, "pop.example.com", 995, Security::Tls);
    let doc = export_account(&p, Format::Mobileconfig).unwrap();
    assert!(doc.contains("<string>EmailTypePOP</string>"));
}

#[test]
fn srv_records_follow_rfc_6186_and_8314() {
    let zone = export(&ExportInput::Email("someone@gmail.com".into()), Format::Srv).unwrap();
    let records: Vec<Vec<&str>> = zone
        .lines()
        .filter(|l| !l.starts_with(';'))
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(records.len(), 6, "{zone}");
    let find = |owner: &str| {
        records
            .iter()
            .find(|r| r[0] == owner)
            .unwrap_or_else(|| panic!("no {owner} in {zone}"))
    };
    assert_eq!(
        find("_imaps._tcp.gmail.com.")[1..],
        ["3600", "IN", "SRV", "0", "1", "993", "imap.gmail.com."]
    );
    assert_eq!(find("_imap._tcp.gmail.com.")[4..], ["0", "0", "0", "."]);
    assert_eq!(find("_pop3s._tcp.gmail.com.")[4..6], ["10", "1"]);
    assert_eq!(
        find("_submissions._tcp.gmail.com.")[4..],
        ["0", "1", "465", "smtp.gmail.com."]
    );
    assert_eq!(
        find("_submission._tcp.gmail.com.")[4..],
        ["10", "1", "587", "smtp.gmail.com."]
    );

    let mut ip = account();
    ip.incoming.host = "192.0.2.1".into();
    let e = export_account(&ip, Format::Srv).unwrap_err();
    assert!(e.to_string().contains("IP address"), "{e}");
    let mut bad = account();
    bad.incoming.host = "imap.example.com\n_evil._tcp IN TXT x".into();
    assert!(matches!(
        export_account(&bad, Format::Srv),
        Err(ExportError::ControlCharacter { ref field, .. }) if field == "incoming.host"
    ));
    bad.incoming.host = "imap.example.com _evil._tcp IN TXT x".into();
    assert!(matches!(
        export_account(&bad, Format::Srv),
        Err(ExportError::InvalidHost { ref field, .. }) if field == "incoming.host"
    ));
}

#[test]
fn cards_escape_what_they_are_given() {
    let mut a = account();
    a.incoming.username = Some("<script>alert(1)</script>|**x**".into());
    let html = export_account(&a, Format::Html).unwrap();
    assert!(!html.contains("<script>"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    let md = export_account(&a, Format::Markdown).unwrap();
    assert!(
        md.contains(r"\<script\>alert(1)\</script\>\|\*\*x\*\*"),
        "{md}"
    );
    let row = md.lines().find(|l| l.contains("Incoming (IMAP)")).unwrap();
    assert_eq!(
        row.matches(" | ").count(),
        5,
        "the row keeps six cells: {row}"
    );
}

#[test]
fn cards_say_what_to_do() {
    let md = export(
        &ExportInput::Email("someone@gmail.com".into()),
        Format::Markdown,
    )
    .unwrap();
    assert!(
        md.contains("| Incoming (IMAP) | imap.gmail.com | 993 | SSL/TLS |"),
        "{md}"
    );
    assert!(md.contains("**Turn on POP:**"), "{md}");
    assert!(md.contains("app password"), "{md}");
    let html = export(
        &ExportInput::Email("someone@icloud.com".into()),
        Format::Html,
    )
    .unwrap();
    assert!(html.contains("<td>smtp.mail.me.com</td>"), "{html}");
    let icloud = mailsetup::providers::by_id("icloud").unwrap();
    let help = &icloud.help_page().unwrap().url;
    assert!(html.contains(&format!("href=\"{help}\"")), "{html}");
}

#[test]
fn export_input_errors_are_clear() {
    let e = export(
        &ExportInput::Email("nobody@example.org".into()),
        Format::Html,
    )
    .unwrap_err();
    assert!(e.to_string().contains("example.org"), "{e}");
    let e = export(&ExportInput::Email("no-at-sign".into()), Format::Html).unwrap_err();
    assert!(e.to_string().contains("not an email address"), "{e}");
    let mut smtp_in = account();
    smtp_in.incoming.protocol = Protocol::Smtp;
    assert!(matches!(
        export_account(&smtp_in, Format::Html),
        Err(ExportError::InvalidAccount(_))
    ));
}

// ---------- hostile input ----------

// How quickly these are refused or linted is measured by `benches/hostile.rs`, not here.

#[test]
fn entity_bombs_and_external_entities_are_refused() {
    let laughs = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol9 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<clientConfig><emailProvider id="&lol9;"><domain>&lol9;</domain></emailProvider></clientConfig>"#;
    let e = lint_autoconfig(laughs).unwrap_err();
    assert!(
        matches!(e, ImportError::Xml(XmlError::Doctype { line: 2 })),
        "{e}"
    );
    assert!(e.to_string().contains("DOCTYPE"), "{e}");

    let xxe = r#"<?xml version="1.0"?><!DOCTYPE c [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><clientConfig>&xxe;</clientConfig>"#;
    assert!(matches!(
        import_autoconfig(xxe, None),
        Err(ImportError::Xml(XmlError::Doctype { .. }))
    ));
    let undeclared = "<clientConfig><emailProvider id=\"&xxe;\"/></clientConfig>";
    let e = lint_autoconfig(undeclared).unwrap_err();
    assert!(e.to_string().contains("undefined entity &xxe;"), "{e}");
}

#[test]
fn deep_nesting_and_many_elements_are_refused() {
    let deep = format!("{}{}", "<a>".repeat(100_000), "</a>".repeat(100_000));
    let e = lint_autoconfig(&deep).unwrap_err();
    assert!(
        matches!(e, ImportError::Xml(XmlError::TooDeep { .. })),
        "{e}"
    );
    let many = format!("<clientConfig>{}</clientConfig>", "<x/>".repeat(200_000));
    let e = lint_autoconfig(&many).unwrap_err();
    assert!(
        matches!(e, ImportError::Xml(XmlError::TooManyElements { .. })),
        "{e}"
    );
    let servers = format!(
        "<clientConfig><emailProvider>{}</emailProvider></clientConfig>",
        "<incomingServer type=\"imap\"/>".repeat(1000)
    );
    let e = lint_autoconfig(&servers).unwrap_err();
    assert!(matches!(e, ImportError::TooManyServers { .. }), "{e}");
    let attrs: String = (0..1000).map(|i| format!(" a{i}=\"\"")).collect();
    let e = lint_autoconfig(&format!("<clientConfig{attrs}/>")).unwrap_err();
    assert!(e.to_string().contains("attributes"), "{e}");
}

#[test]
fn a_fifty_megabyte_document_is_refused_for_its_size() {
    let huge = format!(
        "<clientConfig><emailProvider><domain>{}</domain></emailProvider></clientConfig>",
        "a".repeat(50 << 20)
    );
    let e = lint_autoconfig(&huge).unwrap_err();
    assert!(
        matches!(e, ImportError::Xml(XmlError::TooLarge { .. })),
        "{e}"
    );
    assert!(e.to_string().contains("bytes"), "{e}");
}

#[test]
fn worst_case_documents_within_the_caps_are_linted() {
    // Just under every cap: many siblings with long names, placeholders everywhere.
    let body: String = (0..9_000)
        .map(|i| format!("<unknownElement{i}>%EMAILADDRESS %EMAILADRESS% %x</unknownElement{i}>"))
        .collect();
    let doc =
        format!("<clientConfig><emailProvider id=\"x\">{body}</emailProvider></clientConfig>");
    assert!(doc.len() < mailsetup::documents::xml::MAX_DOCUMENT_BYTES);
    let report = lint_autoconfig(&doc).unwrap();
    assert!(report.findings.len() > 9_000);
    let text = format!(
        "<clientConfig><emailProvider id=\"x\"><domain>{}</domain></emailProvider></clientConfig>",
        "%EMAILADDRESS ".repeat(70_000)
    );
    let report = lint_autoconfig(&text).unwrap();
    assert_eq!(
        report.findings.iter().filter(|f| f.code == "D107").count(),
        1
    );
}

#[test]
fn not_autoconfig_and_broken_xml_say_where() {
    let e = lint_autoconfig("<html><body/></html>").unwrap_err();
    assert_eq!(
        e.to_string(),
        "not an autoconfig file: the root element is <html>, expected <clientConfig>"
    );
    let e = lint_autoconfig("<clientConfig>\n  <emailProvider>\n</clientConfig>").unwrap_err();
    assert!(e.to_string().starts_with("line 3, column"), "{e}");
    assert!(lint_autoconfig("").is_err());
    assert!(
        lint_autoconfig("\u{feff}<clientConfig/>").is_ok(),
        "a BOM is fine"
    );
}

// ---------- properties ----------

fn arb_auth(outgoing: bool) -> impl Strategy<Value = Auth> {
    let mut choices = vec![
        Auth::Password,
        Auth::EncryptedPassword,
        Auth::ClientCertificate,
    ];
    if outgoing {
        choices.push(Auth::None);
    }
    proptest::sample::select(choices)
}

fn arb_security() -> impl Strategy<Value = Security> {
    proptest::sample::select(vec![Security::Tls, Security::Starttls, Security::None])
}

prop_compose! {
    fn arb_account()(
        local in "[a-z][a-z0-9._-]{0,10}",
        domain in proptest::sample::select(vec!["example.com", "example.org", "mail.example.net"]),
        pop in any::<bool>(),
        in_port in 1u16..,
        in_sec in arb_security(),
        in_auth in arb_auth(false),
        in_user in 0..3u8,
        literal in "[a-z0-9][a-z0-9._+-]{0,15}",
        out in (1u16.., arb_security(), arb_auth(true), 0..3u8),
        pop3 in proptest::option::of((any::<bool>(), proptest::option::of(0u32..10_000))),
    ) -> Account {
        let email = format!("{local}@{domain}");
        let user = |k: u8| match k {
            0 => email.clone(),
            1 => local.clone(),
            _ => literal.clone(),
        };
        let protocol = if pop { Protocol::Pop3 } else { Protocol::Imap };
        Account {
            incoming: Server {
                protocol,
                host: format!("{}.{domain}", if pop { "pop" } else { "imap" }),
                port: in_port,
                security: in_sec,
                auth: Some(in_auth),
                username: Some(user(in_user)),
            },
            outgoing: Some(Server {
                protocol: Protocol::Smtp,
                host: format!("smtp.{domain}"),
                port: out.0,
                security: out.1,
                auth: Some(out.2),
                username: Some(user(out.3)),
            }),
            pop3: if pop {
                pop3.map(|(leave_on_server, delete_after_days)| Pop3Options { leave_on_server, delete_after_days })
            } else {
                None
            },
            email: Some(email),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Either the account comes back whole, or the export says what autoconfig cannot carry: a
    /// TLS client certificate, or a username Thunderbird would read differently (`0.` as `0`).
    #[test]
    fn export_then_import_gives_the_same_account(a in arb_account()) {
        match export_account(&a, Format::Autoconfig) {
            Ok(_) => prop_assert_eq!(round_trip(&a), a),
            Err(ExportError::Unexpressible { what, .. }) => {
                let certificate = [Some(&a.incoming), a.outgoing.as_ref()]
                    .into_iter()
                    .flatten()
                    .any(|s| s.auth == Some(Auth::ClientCertificate));
                prop_assert!(
                    (certificate && what.contains("TLS client certificate"))
                        || what.starts_with("the username"),
                    "{what}"
                );
            }
            // `a.@example.com`: not an address clients accept.
            Err(ExportError::InvalidEmail { email }) => {
                prop_assert!(email.contains(".@") || email.starts_with('.') || email.contains(".."), "{email}")
            }
            Err(e) => prop_assert!(false, "{e}"),
        }
    }

    #[test]
    fn every_format_exports_or_refuses_cleanly(a in arb_account()) {
        for f in Format::ALL {
            match export_account(&a, *f) {
                Ok(doc) => prop_assert!(!doc.is_empty()),
                Err(e) => prop_assert!(!e.to_string().is_empty()),
            }
        }
    }

    #[test]
    fn exported_autoconfig_has_no_document_findings(a in arb_account()) {
        let Ok(xml) = export_account(&a, Format::Autoconfig) else {
            return Ok(());
        };
        let report = lint_autoconfig(&xml).unwrap();
        // A plain connection is the account's own problem (D201/D202), and Thunderbird for
        // Android's limits (D302: POP3, plain, no username without sign-in) are that client's;
        // nothing else about the document itself may fire.
        for f in &report.findings {
            prop_assert!(
                !f.code.starts_with('D') || ["D201", "D202", "D302"].contains(&f.code),
                "{:?}\n{}", f, xml
            );
        }
    }

    #[test]
    fn import_and_lint_never_panic_on_any_text(s in "\\PC{0,400}") {
        let _ = import_autoconfig(&s, Some("me@example.com"));
        let _ = lint_autoconfig(&s);
    }

    #[test]
    fn import_and_lint_never_panic_on_mangled_documents(
        cut in 0usize..2000,
        insert in "[<>&%/=\"a-zA-Z0-9 ]{0,12}",
    ) {
        let xml = export(&ExportInput::Email("someone@gmail.com".into()), Format::Autoconfig).unwrap();
        let mut at = cut.min(xml.len());
        while !xml.is_char_boundary(at) { at -= 1; }
        let mangled = format!("{}{}{}", &xml[..at], insert, &xml[at..]);
        let _ = import_autoconfig(&mangled, Some("someone@gmail.com"));
        let _ = lint_autoconfig(&mangled);
    }
}
