//! Settings cards: the table a help page shows (server, port, security, sign-in, username), and
//! what to do first (switches to turn on, app passwords), in Markdown or as an HTML fragment.
//!
//! Every cell goes through an escaping writer: Markdown punctuation is backslash-escaped, HTML
//! text and attributes are escaped by quick-xml, and only `https:`/`http:` links are written.

use super::{auth_label, security_label, EmailParts, ExportError, Plan, PlanServer, Username};
use crate::model::{Auth, Protocol};
use quick_xml::events::BytesText;
use quick_xml::Writer;
use std::fmt::Write as _;

/// The card's content, independent of the markup.
struct Card {
    title: String,
    /// Who it is for (the address), when known.
    for_whom: Option<String>,
    header: [&'static str; 6],
    rows: Vec<[String; 6]>,
    /// Notes: a bold lead, the text, and an optional link (label, URL).
    notes: Vec<Note>,
}

struct Note {
    lead: &'static str,
    text: String,
    link: Option<(String, String)>,
}

fn role(s: &PlanServer, nth: usize) -> String {
    let dir = if s.protocol.is_incoming() {
        "Incoming"
    } else {
        "Outgoing"
    };
    let proto = match s.protocol {
        Protocol::Imap => "IMAP",
        Protocol::Pop3 => "POP3",
        Protocol::Smtp => "SMTP",
    };
    if nth == 0 {
        format!("{dir} ({proto})")
    } else {
        format!("{dir} ({proto}, alternative)")
    }
}

fn username_cell(u: &Username, email: Option<&EmailParts>) -> String {
    match (u.resolve(email), u) {
        (Some(s), _) => s,
        (None, Username::LocalPart) => "the part of your address before the @".into(),
        (None, _) => "your email address".into(),
    }
}

fn card_of(plan: &Plan) -> Card {
    let email = plan.email.as_ref();
    let mut rows = Vec::new();
    let mut seen: Vec<Protocol> = Vec::new();
    for s in plan.servers() {
        let nth = seen.iter().filter(|p| **p == s.protocol).count();
        seen.push(s.protocol);
        let auth: Vec<&str> = s.auth.iter().map(|a| auth_label(*a)).collect();
        rows.push([
            role(s, nth),
            s.host.clone(),
            s.port.to_string(),
            security_label(s.security).to_owned(),
            capitalize(&auth.join(", or ")),
            username_cell(&s.username, email),
        ]);
    }
    let mut notes = Vec::new();
    if let Some(p) = plan.provider {
        notes.push(Note {
            lead: "Sign-in",
            text: p.auth.note.to_owned(),
            link: None,
        });
        let mut protocols: Vec<Protocol> = plan.servers().map(|s| s.protocol).collect();
        protocols.dedup();
        for t in protocols.iter().filter_map(|pr| p.toggle_for(*pr)) {
            notes.push(Note {
                lead: match t.protocol {
                    Protocol::Pop3 => "Turn on POP",
                    Protocol::Imap => "Turn on IMAP",
                    Protocol::Smtp => "Turn on SMTP",
                },
                text: t.note.to_owned(),
                link: t.url.map(|u| ("Open the setting".to_owned(), u.to_owned())),
            });
        }
    } else if plan
        .servers()
        .any(|s| s.auth.first() == Some(&Auth::AppPassword))
    {
        notes.push(Note {
            lead: "Sign-in",
            text: "Use an app password created in your provider's account settings, not your normal password.".into(),
            link: None,
        });
    }
    let pop3_used = plan.incoming.iter().any(|s| s.protocol == Protocol::Pop3);
    if let (true, Some(p)) = (pop3_used, plan.pop3) {
        let text = match (p.leave_on_server, p.delete_after_days) {
            (false, _) => "Messages are removed from the server once downloaded; other devices will not see them.".to_owned(),
            (true, None) => "Leave a copy of messages on the server.".to_owned(),
            (true, Some(d)) => format!("Leave a copy of messages on the server, and remove it after {d} days."),
        };
        notes.push(Note {
            lead: "POP3",
            text,
            link: None,
        });
    }
    if let Some(p) = plan.provider {
        let title = p
            .sources
            .iter()
            .find(|s| s.url == p.help_url)
            .map_or_else(|| format!("{} help", p.name), |s| s.title.to_owned());
        notes.push(Note {
            lead: "More help",
            text: String::new(),
            link: Some((title, p.help_url.to_owned())),
        });
    }
    Card {
        title: format!("Mail settings: {}", plan.display_name),
        for_whom: email.map(|e| e.address.clone()),
        header: [
            "Server",
            "Host name",
            "Port",
            "Connection security",
            "Sign-in",
            "Username",
        ],
        rows,
        notes,
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// Only web links are written; anything else is dropped.
fn safe_url(url: &str) -> Option<&str> {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then_some(url.trim())
}

/// Escapes text for Markdown: backslash before the punctuation Markdown or HTML would act on,
/// line breaks folded into spaces.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '#' | '!' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A link destination in angle brackets, with the characters that could end it percent-encoded.
fn md_url(url: &str) -> String {
    let mut out = String::from("<");
    for c in url.chars() {
        match c {
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            ' ' => out.push_str("%20"),
            '\\' => out.push_str("%5C"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('>');
    out
}

pub(crate) fn markdown(plan: &Plan) -> Result<String, ExportError> {
    let card = card_of(plan);
    let mut out = String::new();
    let _ = writeln!(out, "## {}\n", md(&card.title));
    if let Some(w) = &card.for_whom {
        let _ = writeln!(out, "For **{}**.\n", md(w));
    }
    let _ = writeln!(out, "| {} |", card.header.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(card.header.len()));
    for row in &card.rows {
        let cells: Vec<String> = row.iter().map(|c| md(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    if !card.notes.is_empty() {
        out.push('\n');
    }
    for n in &card.notes {
        let mut line = format!("- **{}:**", md(n.lead));
        if !n.text.is_empty() {
            line.push(' ');
            line.push_str(&md(&n.text));
        }
        if let Some((label, url)) = &n.link {
            if let Some(u) = safe_url(url) {
                let _ = write!(line, " [{}]({})", md(label), md_url(u));
            }
        }
        let _ = writeln!(out, "{line}");
    }
    Ok(out)
}

pub(crate) fn html(plan: &Plan) -> Result<String, ExportError> {
    let card = card_of(plan);
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.create_element("section")
        .with_attribute(("class", "mailsetup-card"))
        .write_inner_content(|w| {
            w.create_element("h2")
                .write_text_content(BytesText::new(&card.title))?;
            if let Some(who) = &card.for_whom {
                w.create_element("p").write_inner_content(|w| {
                    w.write_event(quick_xml::events::Event::Text(BytesText::new("For ")))?;
                    w.create_element("strong")
                        .write_text_content(BytesText::new(who))?;
                    w.write_event(quick_xml::events::Event::Text(BytesText::new(".")))?;
                    Ok(())
                })?;
            }
            w.create_element("table").write_inner_content(|w| {
                w.create_element("thead").write_inner_content(|w| {
                    w.create_element("tr").write_inner_content(|w| {
                        for h in card.header {
                            w.create_element("th")
                                .with_attribute(("scope", "col"))
                                .write_text_content(BytesText::new(h))?;
                        }
                        Ok(())
                    })?;
                    Ok(())
                })?;
                w.create_element("tbody").write_inner_content(|w| {
                    for row in &card.rows {
                        w.create_element("tr").write_inner_content(|w| {
                            w.create_element("th")
                                .with_attribute(("scope", "row"))
                                .write_text_content(BytesText::new(&row[0]))?;
                            for cell in &row[1..] {
                                w.create_element("td")
                                    .write_text_content(BytesText::new(cell))?;
                            }
                            Ok(())
                        })?;
                    }
                    Ok(())
                })?;
                Ok(())
            })?;
            if !card.notes.is_empty() {
                w.create_element("ul").write_inner_content(|w| {
                    for n in &card.notes {
                        w.create_element("li").write_inner_content(|w| {
                            w.create_element("strong")
                                .write_text_content(BytesText::new(&format!("{}:", n.lead)))?;
                            if !n.text.is_empty() {
                                w.write_event(quick_xml::events::Event::Text(BytesText::new(
                                    &format!(" {}", n.text),
                                )))?;
                            }
                            if let Some((label, url)) = &n.link {
                                if let Some(u) = safe_url(url) {
                                    w.write_event(quick_xml::events::Event::Text(BytesText::new(
                                        " ",
                                    )))?;
                                    w.create_element("a")
                                        .with_attribute(("href", u))
                                        .write_text_content(BytesText::new(label))?;
                                }
                            }
                            Ok(())
                        })?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    let mut out =
        String::from_utf8(w.into_inner()).map_err(|e| ExportError::Write(e.to_string()))?;
    out.push('\n');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escapes() {
        assert_eq!(md("a|b*c_d<e>\nf"), "a\\|b\\*c\\_d\\<e\\> f");
        assert_eq!(md_url("https://x/a b>c"), "<https://x/a%20b%3Ec>");
        assert_eq!(safe_url("javascript:alert(1)"), None);
        assert_eq!(safe_url(" https://x "), Some("https://x"));
    }
}
