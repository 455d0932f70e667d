//! Every format read back by a parser that is not mailsetup's: for any account, each of the six
//! exports either comes back as the same account (as far as the format can say it) or is refused
//! with a message that names what it cannot write. Autoconfig is also read by Thunderbird's own
//! reader in `tests/documents_thunderbird.rs`; here it goes through `roxmltree`, as Autodiscover
//! does; profiles through the `plist` crate, SRV records through hickory's zone-file parser, the
//! cards through `pulldown-cmark` and `scraper` (html5ever).

use mailsetup::documents::{export, ExportError, ExportInput, Format};
use mailsetup::model::{labels, Host};
use mailsetup::{Account, Auth, Pop3Options, Protocol, Security, Server};
use proptest::prelude::*;

/// One server as a format says it: host, port, security (as far as the format tells), sign-in,
/// username.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Said {
    host: String,
    port: u16,
    security: String,
    auth: String,
    username: Option<String>,
}

fn host(s: &Server) -> String {
    Host::parse(&s.host).ascii
}

fn servers(a: &Account) -> Vec<&Server> {
    std::iter::once(&a.incoming)
        .chain(a.outgoing.as_ref())
        .collect()
}

/// The username a format writes for a server of `a`: as given without spaces around it, else
/// (not given, or empty) the address, what clients default to.
fn username(a: &Account, s: &Server) -> Option<String> {
    match s.username.as_deref().map(str::trim) {
        Some(u) if !u.is_empty() => Some(u.to_owned()),
        _ => a.email.clone(),
    }
}

/// Whether a server's username is given (not missing, not empty).
fn given(s: &Server) -> bool {
    s.username.as_deref().is_some_and(|u| !u.trim().is_empty())
}

fn auth(s: &Server) -> Auth {
    s.auth.unwrap_or(Auth::Password)
}

// ---------- the independent readers ----------

fn autoconfig(doc: &str, a: &Account) -> Vec<Said> {
    let xml = roxmltree::Document::parse(doc).expect("well-formed XML");
    let (email, local, domain) = match &a.email {
        Some(e) => {
            let (l, d) = e.trim().rsplit_once('@').unwrap();
            (e.trim().to_owned(), l.to_owned(), Host::parse(d).ascii)
        }
        None => Default::default(),
    };
    xml.descendants()
        .filter(|n| n.has_tag_name("incomingServer") || n.has_tag_name("outgoingServer"))
        .map(|n| {
            let child = |name: &str| {
                n.children()
                    .find(|c| c.has_tag_name(name))
                    .and_then(|c| c.text())
                    .map(str::to_owned)
            };
            Said {
                host: child("hostname").unwrap(),
                port: child("port").unwrap().parse().unwrap(),
                security: child("socketType").unwrap(),
                auth: child("authentication").unwrap(),
                username: child("username").map(|u| {
                    u.replace("%EMAILADDRESS%", &email)
                        .replace("%EMAILLOCALPART%", &local)
                        .replace("%EMAILDOMAIN%", &domain)
                }),
            }
        })
        .collect()
}

fn autoconfig_expected(a: &Account) -> Vec<Said> {
    servers(a)
        .into_iter()
        .map(|s| Said {
            host: host(s),
            port: s.port,
            security: match s.security {
                Security::Tls => "SSL",
                Security::Starttls => "STARTTLS",
                _ => "plain",
            }
            .into(),
            auth: match auth(s) {
                Auth::Password | Auth::AppPassword => "password-cleartext",
                Auth::EncryptedPassword => "password-encrypted",
                Auth::Oauth2 => "OAuth2",
                _ => "none",
            }
            .into(),
            username: if auth(s) == Auth::None && !given(s) {
                None
            } else {
                username(a, s)
            },
        })
        .collect()
}

fn mobileconfig(doc: &str) -> Vec<Said> {
    let profile = plist::Value::from_reader_xml(doc.as_bytes()).expect("a property list");
    let payload = profile.as_dictionary().unwrap()["PayloadContent"]
        .as_array()
        .unwrap()[0]
        .as_dictionary()
        .unwrap()
        .clone();
    let text = |k: &str| {
        payload
            .get(k)
            .and_then(|v| v.as_string())
            .map(str::to_owned)
    };
    ["Incoming", "Outgoing"]
        .iter()
        .map(|d| Said {
            host: text(&format!("{d}MailServerHostName")).unwrap(),
            port: payload[&format!("{d}MailServerPortNumber")]
                .as_unsigned_integer()
                .unwrap() as u16,
            security: payload[&format!("{d}MailServerUseSSL")]
                .as_boolean()
                .unwrap()
                .to_string(),
            auth: text(&format!("{d}MailServerAuthentication")).unwrap(),
            username: text(&format!("{d}MailServerUsername")),
        })
        .collect()
}

fn mobileconfig_expected(a: &Account) -> Vec<Said> {
    servers(a)
        .into_iter()
        .map(|s| Said {
            host: host(s),
            port: s.port,
            security: (s.security != Security::None).to_string(),
            auth: match auth(s) {
                Auth::Password | Auth::AppPassword => "EmailAuthPassword",
                Auth::EncryptedPassword => "EmailAuthCRAMMD5",
                _ => "EmailAuthNone",
            }
            .into(),
            username: if auth(s) == Auth::None && s.protocol == Protocol::Smtp {
                None
            } else {
                username(a, s)
            },
        })
        .collect()
}

fn autodiscover(doc: &str) -> Vec<Said> {
    let xml = roxmltree::Document::parse(doc).expect("well-formed XML");
    xml.descendants()
        .filter(|n| n.has_tag_name("Protocol"))
        .map(|n| {
            let child = |name: &str| {
                n.children()
                    .find(|c| c.has_tag_name(name))
                    .and_then(|c| c.text())
                    .map(str::to_owned)
            };
            Said {
                host: child("Server").unwrap(),
                port: child("Port").unwrap().parse().unwrap(),
                security: format!("{}/{}", child("SSL").unwrap(), child("Encryption").unwrap()),
                auth: child("AuthRequired").unwrap(),
                username: child("LoginName"),
            }
        })
        .collect()
}

fn autodiscover_expected(a: &Account) -> Vec<Said> {
    servers(a)
        .into_iter()
        .map(|s| Said {
            host: host(s),
            port: s.port,
            security: match s.security {
                Security::Tls => "on/SSL",
                Security::Starttls => "on/TLS",
                _ => "off/None",
            }
            .into(),
            auth: if auth(s) == Auth::None { "off" } else { "on" }.into(),
            username: if auth(s) == Auth::None {
                None
            } else {
                username(a, s)
            },
        })
        .collect()
}

/// SRV records: service, port and target of each record a zone-file parser finds.
fn srv(doc: &str, a: &Account) -> Vec<Said> {
    use hickory_proto::rr::RData;
    use hickory_proto::serialize::txt::Parser;
    let domain = Host::parse(a.email.as_ref().unwrap().rsplit_once('@').unwrap().1).ascii;
    let zone = format!(
        "$ORIGIN {domain}.\n@ 3600 IN SOA ns.{domain}. hostmaster.{domain}. 1 7200 3600 1209600 3600\n@ 3600 IN NS ns.{domain}.\n{doc}"
    );
    let (_, records) = Parser::new(zone, None, None)
        .parse()
        .unwrap_or_else(|e| panic!("the zone does not load: {e}\n{doc}"));
    let mut out = Vec::new();
    for set in records.values() {
        for r in set.records_without_rrsigs() {
            if let RData::SRV(srv) = r.data() {
                if srv.target().is_root() {
                    continue;
                }
                let service = r
                    .name()
                    .iter()
                    .next()
                    .map(|l| String::from_utf8_lossy(l).into_owned());
                out.push(Said {
                    host: srv.target().to_ascii().trim_end_matches('.').to_owned(),
                    port: srv.port(),
                    security: service.unwrap_or_default(),
                    auth: String::new(),
                    username: None,
                });
            }
        }
    }
    out.sort_by(|x, y| (&x.security, &x.host).cmp(&(&y.security, &y.host)));
    out
}

fn srv_expected(a: &Account) -> Vec<Said> {
    let mut out: Vec<Said> = servers(a)
        .into_iter()
        .map(|s| {
            let service = match (s.protocol, s.security == Security::Tls) {
                (Protocol::Imap, true) => "_imaps",
                (Protocol::Imap, false) => "_imap",
                (Protocol::Pop3, true) => "_pop3s",
                (Protocol::Pop3, false) => "_pop3",
                (_, true) => "_submissions",
                (_, false) => "_submission",
            };
            Said {
                host: host(s),
                port: s.port,
                security: service.into(),
                auth: String::new(),
                username: None,
            }
        })
        .collect();
    out.sort_by(|x, y| (&x.security, &x.host).cmp(&(&y.security, &y.host)));
    out
}

/// The card's table rows (host, port, security, sign-in, username), from cells as a Markdown
/// or HTML parser gives them.
fn card_rows(cells: Vec<Vec<String>>) -> Vec<Said> {
    cells
        .into_iter()
        .skip(1)
        .map(|r| Said {
            host: r[1].clone(),
            port: r[2].parse().unwrap(),
            security: r[3].clone(),
            auth: r[4].to_lowercase(),
            username: Some(r[5].clone()),
        })
        .collect()
}

fn markdown(doc: &str) -> Vec<Said> {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut cell: Option<String> = None;
    for e in Parser::new_ext(doc, Options::ENABLE_TABLES) {
        match e {
            Event::Start(Tag::TableHead | Tag::TableRow) => rows.push(Vec::new()),
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => {
                if let (Some(c), Some(r)) = (cell.take(), rows.last_mut()) {
                    r.push(c);
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = cell.as_mut() {
                    c.push_str(&t);
                }
            }
            Event::Html(t) | Event::InlineHtml(t) => {
                assert!(cell.is_none(), "raw HTML in a cell: {t}\n{doc}")
            }
            _ => {}
        }
    }
    card_rows(rows)
}

fn html(doc: &str) -> Vec<Said> {
    let page = scraper::Html::parse_fragment(doc);
    let row = scraper::Selector::parse("tr").unwrap();
    let cell = scraper::Selector::parse("th, td").unwrap();
    let script = scraper::Selector::parse("script, img, iframe").unwrap();
    assert!(
        page.select(&script).next().is_none(),
        "markup from the input:\n{doc}"
    );
    card_rows(
        page.select(&row)
            .map(|r| {
                r.select(&cell)
                    .map(|c| c.text().collect::<String>())
                    .collect()
            })
            .collect(),
    )
}

fn card_expected(a: &Account) -> Vec<Said> {
    servers(a)
        .into_iter()
        .map(|s| Said {
            host: host(s),
            port: s.port,
            security: labels::security(s.security).into(),
            auth: labels::auth(auth(s)).to_lowercase(),
            username: Some(username(a, s).unwrap_or_else(|| "your full email address".into())),
        })
        .collect()
}

// ---------- the property ----------

fn arb_server(protocol: Protocol) -> impl Strategy<Value = Server> {
    (
        prop_oneof![
            6 => "[a-z][a-z0-9-]{0,8}\\.example\\.(org|net)",
            1 => "[A-Z][a-z]{0,5}\\.Example\\.ORG\\.?",
            1 => Just("mail.bücher.example".to_owned()),
            1 => "192\\.0\\.2\\.[1-9][0-9]?",
            1 => Just("2001:db8::25".to_owned()),
            1 => Just("[::1]".to_owned()),
            1 => "[a-z]{1,6}",
        ],
        1u16..,
        prop_oneof![
            Just(Security::Tls),
            Just(Security::Starttls),
            Just(Security::None)
        ],
        proptest::sample::select(vec![
            Auth::Password,
            Auth::AppPassword,
            Auth::EncryptedPassword,
            Auth::Oauth2,
            Auth::ClientCertificate,
            Auth::None,
        ]),
        proptest::option::of(prop_oneof![
            4 => "[a-z][a-z0-9._+-]{0,10}(@example\\.org)?",
            1 => "[<>&'\"|*_`\\\\\\]\\[a-z ]{1,10}",
            1 => "[a-zà-ÿ]{1,6} [a-z]{1,4}",
        ]),
    )
        .prop_map(move |(host, port, security, auth, username)| Server {
            protocol,
            host,
            port,
            security,
            auth: Some(auth),
            username,
        })
}

fn arb_account() -> impl Strategy<Value = Account> {
    (
        proptest::option::weighted(
            0.9,
            "[a-z][a-z0-9_+-]{0,8}@(example\\.org|bücher\\.example|Example\\.NET)",
        ),
        any::<bool>(),
        arb_server(Protocol::Imap),
        arb_server(Protocol::Pop3),
        proptest::option::weighted(0.9, arb_server(Protocol::Smtp)),
        proptest::option::of((any::<bool>(), proptest::option::of(1u32..400))),
    )
        .prop_map(|(email, pop, imap, pop3, outgoing, options)| Account {
            email,
            incoming: if pop { pop3 } else { imap },
            outgoing,
            pop3: options
                .filter(|_| pop)
                .map(|(leave_on_server, delete_after_days)| Pop3Options {
                    leave_on_server,
                    delete_after_days,
                }),
        })
}

/// A refusal must say what: a field, or what the format cannot write and what to do.
fn names_what(e: &ExportError) -> bool {
    match e {
        ExportError::Unexpressible { what, help, .. } => !what.is_empty() && !help.is_empty(),
        ExportError::ControlCharacter { field, .. } | ExportError::InvalidHost { field, .. } => {
            !field.is_empty()
        }
        ExportError::NotAHostName { value, why, .. } => !value.is_empty() && !why.is_empty(),
        ExportError::NeedsEmail { .. } | ExportError::InvalidEmail { .. } => true,
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_format_reads_back_as_the_account(a in arb_account()) {
        let input = ExportInput::Account(a.clone());
        for f in Format::ALL {
            let doc = match export(&input, *f) {
                Ok(doc) => doc,
                Err(e) => {
                    prop_assert!(names_what(&e), "{f}: {e:?}");
                    continue;
                }
            };
            let (read, want) = match f {
                Format::Autoconfig => (autoconfig(&doc, &a), autoconfig_expected(&a)),
                Format::Mobileconfig => (mobileconfig(&doc), mobileconfig_expected(&a)),
                Format::Autodiscover => (autodiscover(&doc), autodiscover_expected(&a)),
                Format::Srv => (srv(&doc, &a), srv_expected(&a)),
                Format::Markdown => (markdown(&doc), card_expected(&a)),
                Format::Html => (html(&doc), card_expected(&a)),
                _ => unreachable!("a format this test does not know"),
            };
            prop_assert_eq!(read, want, "{}\n{}", f, doc);
        }
    }
}

#[test]
fn the_readers_see_what_they_should() {
    // A fixed account through every reader, so a reader that sees nothing cannot pass.
    let a = Account {
        email: Some("jörg@bücher.example".into()),
        incoming: Server {
            protocol: Protocol::Imap,
            host: "Mail.Bücher.Example.".into(),
            port: 993,
            security: Security::Tls,
            auth: Some(Auth::Password),
            username: Some("o'brien & <co> | *x*".into()),
        },
        outgoing: Some(Server {
            protocol: Protocol::Smtp,
            host: "[2001:db8::25]".into(),
            port: 587,
            security: Security::Starttls,
            auth: Some(Auth::Password),
            username: None,
        }),
        pop3: None,
    };
    let input = ExportInput::Account(a.clone());
    let doc = |f| export(&input, f).unwrap();
    let mc = mobileconfig(&doc(Format::Mobileconfig));
    assert_eq!(mc[0].host, "mail.xn--bcher-kva.example");
    assert_eq!(mc[1].host, "2001:db8::25");
    assert_eq!(mc, mobileconfig_expected(&a));
    assert_eq!(
        autodiscover(&doc(Format::Autodiscover)),
        autodiscover_expected(&a)
    );
    assert_eq!(
        autoconfig(&doc(Format::Autoconfig), &a),
        autoconfig_expected(&a)
    );
    let md = markdown(&doc(Format::Markdown));
    assert_eq!(md[0].username.as_deref(), Some("o'brien & <co> | *x*"));
    assert_eq!(md, card_expected(&a));
    assert_eq!(html(&doc(Format::Html)), card_expected(&a));
    // SRV refuses the IP address, naming it.
    let e = export(&input, Format::Srv).unwrap_err().to_string();
    assert!(
        e.contains("2001:db8::25") && e.contains("IP address"),
        "{e}"
    );
    let mut named = a.clone();
    named.outgoing.as_mut().unwrap().host = "smtp.bücher.example".into();
    let zone = export(&ExportInput::Account(named.clone()), Format::Srv).unwrap();
    assert_eq!(srv(&zone, &named), srv_expected(&named));
    assert_eq!(srv(&zone, &named).len(), 2);
}
