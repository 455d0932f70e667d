//! Fuzzes every export format: an account made of arbitrary text (address, hosts, usernames)
//! and arbitrary choices, or an address alone, exported as each format. Each document is
//! well-formed for an independent reader — XML for roxmltree, a property list for `plist`, a
//! zone for hickory's parser, Markdown without raw HTML for pulldown-cmark, HTML without markup
//! from the input for html5ever (scraper) — or the export is a clear refusal.
#![no_main]

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use mailsetup::documents::{export, ExportInput, Format};
use mailsetup::model::Host;
use mailsetup::{Account, Auth, Pop3Options, Protocol, Security, Server};

#[derive(Arbitrary, Debug)]
struct FuzzServer {
    protocol: u8,
    host: String,
    port: u16,
    security: u8,
    auth: Option<u8>,
    username: Option<String>,
}

#[derive(Arbitrary, Debug)]
struct FuzzAccount {
    email: Option<String>,
    incoming: FuzzServer,
    outgoing: Option<FuzzServer>,
    pop3: Option<(bool, Option<u32>)>,
    address_only: bool,
}

fn pick<T: Copy>(all: &[T], i: u8) -> T {
    all[usize::from(i) % all.len()]
}

fn server(s: FuzzServer) -> Server {
    Server {
        protocol: pick(Protocol::ALL, s.protocol),
        host: s.host,
        port: s.port.max(1),
        security: pick(Security::ALL, s.security),
        auth: s.auth.map(|a| pick(Auth::ALL, a)),
        username: s.username,
    }
}

fn check(format: Format, doc: &str, email: Option<&str>) {
    match format {
        Format::Autoconfig | Format::Autodiscover => {
            if let Err(e) = roxmltree::Document::parse(doc) {
                panic!("{format}: not well-formed XML ({e}):\n{doc}");
            }
        }
        Format::Mobileconfig => {
            if let Err(e) = plist::Value::from_reader_xml(doc.as_bytes()) {
                panic!("mobileconfig: not a property list ({e}):\n{doc}");
            }
        }
        Format::Srv => {
            use hickory_proto::serialize::txt::Parser;
            let domain = email
                .and_then(|e| e.rsplit_once('@'))
                .map(|(_, d)| Host::parse(d).ascii)
                .unwrap_or_else(|| "example.com".into());
            let zone = format!(
                "$ORIGIN {domain}.\n@ 3600 IN SOA ns.{domain}. hostmaster.{domain}. 1 7200 3600 1209600 3600\n@ 3600 IN NS ns.{domain}.\n{doc}"
            );
            if let Err(e) = Parser::new(zone, None, None).parse() {
                panic!("srv: the zone does not load ({e}):\n{doc}");
            }
        }
        Format::Markdown => {
            use pulldown_cmark::{Event, Options, Parser};
            for e in Parser::new_ext(doc, Options::ENABLE_TABLES) {
                if let Event::Html(t) | Event::InlineHtml(t) = e {
                    panic!("markdown: raw HTML {t:?}:\n{doc}");
                }
            }
        }
        Format::Html => {
            let page = scraper::Html::parse_fragment(doc);
            for node in page.tree.nodes() {
                if let Some(element) = node.value().as_element() {
                    let name = element.name();
                    assert!(
                        !matches!(
                            name,
                            "script" | "img" | "iframe" | "svg" | "math" | "style" | "object" | "embed"
                                | "form" | "input" | "link" | "meta" | "base" | "template"
                        ),
                        "html: a <{name}> from the input:\n{doc}"
                    );
                    for (attribute, value) in element.attrs() {
                        assert!(
                            !attribute.starts_with("on") && !value.trim_start().to_ascii_lowercase().starts_with("javascript:"),
                            "html: {attribute}={value:?} from the input:\n{doc}"
                        );
                    }
                }
            }
        }
        _ => {}
    }
}

fuzz_target!(|input: FuzzAccount| {
    let email = input.email.clone();
    let export_input = if input.address_only {
        match &email {
            Some(e) => ExportInput::Email(e.clone()),
            None => return,
        }
    } else {
        ExportInput::Account(Account {
            email: input.email,
            incoming: server(input.incoming),
            outgoing: input.outgoing.map(server),
            pop3: input.pop3.map(|(leave, days)| Pop3Options {
                leave_on_server: leave,
                delete_after_days: days,
            }),
        })
    };
    for &format in Format::ALL {
        match export(&export_input, format) {
            Ok(doc) => check(format, &doc, email.as_deref()),
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
});
