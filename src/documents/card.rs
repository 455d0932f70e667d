//! Settings cards: the table a help page shows (server, port, security, sign-in, username), and
//! what to do first (switches to turn on, app passwords), in Markdown or as an HTML fragment.
//!
//! Every cell goes through an escaping writer: Markdown punctuation is backslash-escaped, HTML
//! text and attributes are escaped by quick-xml, and only `https:`/`http:` links are written.

use super::xml::XmlWriter;
use super::{auth_label, EmailParts, ExportError, Plan, PlanServer, Username};
use crate::model::{labels, UsernameFormat};
use crate::model::{Auth, Protocol};
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
    let proto = labels::protocol(s.protocol);
    if nth == 0 {
        format!("{dir} ({proto})")
    } else {
        format!("{dir} ({proto}, alternative)")
    }
}

fn username_cell(u: &Username, email: Option<&EmailParts>) -> String {
    match (u.resolve(email), u) {
        (Some(s), _) => s,
        (None, Username::LocalPart) => labels::username(UsernameFormat::LocalPart).into(),
        (None, _) => labels::username(UsernameFormat::EmailAddress).into(),
    }
}

fn card_of(plan: &Plan) -> Card {
    let email = plan.email.as_ref();
    let mut rows = Vec::new();
    let mut seen: Vec<Protocol> = Vec::new();
    for s in plan.servers() {
        let nth = seen.iter().filter(|p| **p == s.protocol).count();
        seen.push(s.protocol);
        let auth: Vec<_> = s.auth.iter().map(|a| auth_label(*a)).collect();
        rows.push([
            role(s, nth),
            s.host.clone(),
            s.port.to_string(),
            labels::security(s.security).to_owned(),
            capitalize(&auth.join(", or ")),
            username_cell(&s.username, email),
        ]);
    }
    let mut notes = Vec::new();
    if let Some(p) = plan.provider {
        notes.push(Note {
            lead: "Sign-in",
            text: p.sign_in_note(plan.servers().next().map_or(Protocol::Imap, |s| s.protocol)),
            link: None,
        });
        let mut protocols: Vec<Protocol> = plan.servers().map(|s| s.protocol).collect();
        protocols.dedup();
        for (pr, t) in protocols
            .iter()
            .filter_map(|pr| p.enable_for(*pr).map(|t| (*pr, t)))
        {
            notes.push(Note {
                lead: match pr {
                    Protocol::Pop3 => "Turn on POP",
                    Protocol::Imap => "Turn on IMAP",
                    Protocol::Smtp => "Turn on SMTP",
                },
                text: t.steps.clone(),
                link: t
                    .url
                    .as_ref()
                    .map(|u| ("Open the setting".to_owned(), u.clone())),
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
    if let Some(help) = plan.provider.and_then(|p| p.help_page()) {
        notes.push(Note {
            lead: "More help",
            text: String::new(),
            link: Some((help.title.clone(), help.url.clone())),
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

/// The labels are ASCII; ASCII case keeps Unicode case tables out of the WebAssembly build.
fn capitalize(s: &str) -> String {
    let mut out = s.to_owned();
    if let Some(first) = out.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    out
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
    let mut w = XmlWriter::new(b' ', 2);
    w.start("section", &[("class", "mailsetup-card")]);
    w.element("h2", &[], &card.title);
    if let Some(who) = &card.for_whom {
        w.start("p", &[]);
        w.text("For ");
        w.element("strong", &[], who);
        w.text(".");
        w.end("p");
    }
    w.start("table", &[]);
    w.start("thead", &[]);
    w.start("tr", &[]);
    for h in card.header {
        w.element("th", &[("scope", "col")], h);
    }
    w.end("tr");
    w.end("thead");
    w.start("tbody", &[]);
    for row in &card.rows {
        w.start("tr", &[]);
        w.element("th", &[("scope", "row")], &row[0]);
        for cell in &row[1..] {
            w.element("td", &[], cell);
        }
        w.end("tr");
    }
    w.end("tbody");
    w.end("table");
    if !card.notes.is_empty() {
        w.start("ul", &[]);
        for n in &card.notes {
            w.start("li", &[]);
            w.element("strong", &[], &format!("{}:", n.lead));
            if !n.text.is_empty() {
                w.text(&format!(" {}", n.text));
            }
            if let Some((label, url)) = &n.link {
                if let Some(u) = safe_url(url) {
                    w.text(" ");
                    w.element("a", &[("href", u)], label);
                }
            }
            w.end("li");
        }
        w.end("ul");
    }
    w.end("section");
    Ok(w.finish()?)
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
