//! The audit as one self-contained HTML page: inline CSS only (with print rules), no script, no
//! image, no font, no request of any kind off the page — readable offline, mailed as a file, and
//! printed. Every text from outside is escaped here; nothing is glued into markup unescaped.

use super::clients::{Client, ClientResult, Outcome};
use super::facts::server_label;
use super::Audit;
use crate::diagnostic::{Severity, Verdict};
use std::fmt::Write;

/// Text made safe for HTML content and attribute values.
pub struct Html<'a>(pub &'a str);

impl std::fmt::Display for Html<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        for c in self.0.chars() {
            match c {
                '&' => f.write_str("&amp;")?,
                '<' => f.write_str("&lt;")?,
                '>' => f.write_str("&gt;")?,
                '"' => f.write_str("&quot;")?,
                '\'' => f.write_str("&#39;")?,
                // Control characters (but tab and newline) show as escapes, as in the terminal.
                c if c.is_control() && c != '\n' && c != '\t' => {
                    write!(f, "\\u{{{:x}}}", u32::from(c))?
                }
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

const STYLE: &str = r#"
:root{color-scheme:light;--ok:#0b6b2f;--okbg:#e3f4e8;--warn:#7a4b00;--warnbg:#fff1d6;--bad:#9b1c1c;--badbg:#fde4e4;--info:#1f4e8c;--infobg:#e5eefb;--mute:#555;--line:#d0d4da}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#16181b;background:#fff;margin:0 auto;max-width:72rem;padding:1.5rem}
h1{font-size:1.6rem;margin:0 0 .2rem}h2{font-size:1.25rem;margin:2rem 0 .6rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
p.sub{color:var(--mute);margin:0 0 1rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem}th,td{border:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}th{background:#f3f5f7}
td.cell{font-weight:600;white-space:nowrap}
.works{background:var(--okbg);color:var(--ok)}.confirm,.unverified,.not-documented{background:var(--warnbg);color:var(--warn)}.manual{background:var(--infobg);color:var(--info)}.fails,.unsafe{background:var(--badbg);color:var(--bad)}
.sev-error{color:var(--bad);font-weight:600}.sev-warning{color:var(--warn);font-weight:600}.sev-info{color:var(--info);font-weight:600}
.verdict{display:inline-block;padding:.1rem .5rem;border-radius:.3rem;font-weight:600}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.86rem}
pre{background:#f6f7f9;border:1px solid var(--line);padding:.6rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
ol.steps{margin:.2rem 0 .6rem;padding-left:1.4rem}ol.steps li{margin:.15rem 0}
.cite{color:var(--mute);font-size:.85rem}
.client{border:1px solid var(--line);border-radius:.4rem;padding:.6rem .9rem;margin:.8rem 0;break-inside:avoid}
.client h3{margin-top:.2rem}
ul{margin:.2rem 0 .6rem}
small{color:var(--mute)}
@media print{body{max-width:none;padding:0;font-size:11pt}h2{break-after:avoid}.client,table,pre{break-inside:avoid}a{color:inherit;text-decoration:none}pre{white-space:pre-wrap}.works,.confirm,.unverified,.not-documented,.manual,.fails,.unsafe{print-color-adjust:exact;-webkit-print-color-adjust:exact}}
"#;

fn outcome_class(o: Outcome) -> &'static str {
    match o {
        Outcome::Works => "works",
        Outcome::Unverified => "unverified",
        Outcome::NotDocumented => "not-documented",
        Outcome::Confirm => "confirm",
        Outcome::Manual => "manual",
        Outcome::Unsafe => "unsafe",
        Outcome::Fails => "fails",
    }
}

fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Ok => "works",
        Verdict::Info => "manual",
        Verdict::Warning => "confirm",
        Verdict::Error => "fails",
    }
}

fn severity_class(s: Severity) -> &'static str {
    match s {
        Severity::Error => "sev-error",
        Severity::Warning => "sev-warning",
        Severity::Info => "sev-info",
    }
}

fn head(out: &mut String, title: &str) {
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        Html(title)
    );
}

/// The matrix row cells of one audit.
fn matrix_cells(out: &mut String, a: &Audit) {
    for c in &a.clients {
        let _ = write!(
            out,
            "<td class=\"cell {}\" title=\"{}\">{}</td>",
            outcome_class(c.outcome),
            Html(&c.headline),
            Html(c.outcome.word())
        );
    }
}

fn server_cell(c: &Option<super::clients::Configured>) -> String {
    match c {
        None => "—".into(),
        Some(c) => format!(
            "<code>{}</code><br><small>{}</small>",
            Html(&server_label(&c.server)),
            Html(&c.check.summary)
        ),
    }
}

fn client_section(out: &mut String, c: &ClientResult) {
    let doc = c.client.doc();
    let _ = write!(
        out,
        "<section class=\"client\" id=\"client-{}\"><h3>{} <span class=\"verdict {}\">{}</span></h3><p>{}</p>",
        Html(&format!("{:?}", c.client).to_ascii_lowercase()),
        Html(c.name),
        outcome_class(c.outcome),
        Html(c.outcome.word()),
        Html(&c.headline)
    );
    let _ = write!(
        out,
        "<table><tr><th>Incoming</th><td>{}</td></tr><tr><th>Outgoing</th><td>{}</td></tr><tr><th>Found by</th><td>{}</td></tr></table>",
        server_cell(&c.incoming),
        server_cell(&c.outgoing),
        Html(c.found_by.as_deref().unwrap_or("—"))
    );
    if !c.confirm.is_empty() {
        out.push_str("<p><strong>The person must confirm:</strong></p><ul>");
        for x in &c.confirm {
            let _ = write!(out, "<li>{}</li>", Html(x));
        }
        out.push_str("</ul>");
    }
    if !c.problems.is_empty() {
        out.push_str("<p><strong>Problems:</strong></p><ul>");
        for x in &c.problems {
            let _ = write!(out, "<li>{}</li>", Html(x));
        }
        out.push_str("</ul>");
    }
    out.push_str("<p><strong>Steps</strong> (in the client's order):</p><ol class=\"steps\">");
    for s in &c.steps {
        let _ = write!(
            out,
            "<li><code>{}</code> — {} <span class=\"cite\">[{}]</span></li>",
            Html(&s.what),
            Html(&s.result),
            Html(s.cite)
        );
    }
    out.push_str("</ol>");
    if !c.notes.is_empty() {
        out.push_str("<ul>");
        for n in &c.notes {
            let _ = write!(out, "<li><small>{}</small></li>", Html(n));
        }
        out.push_str("</ul>");
    }
    let _ = write!(out, "<p class=\"cite\">{} — ", Html(doc.behaviour));
    for (i, s) in doc.sources.iter().enumerate() {
        let _ = write!(
            out,
            "{}[{}] {} ({})",
            if i > 0 { "; " } else { "" },
            Html(s.key),
            Html(s.source),
            Html(s.kind)
        );
    }
    out.push_str("</p></section>\n");
}

/// The report of one audit.
pub fn report(a: &Audit) -> String {
    let mut out = String::with_capacity(32 * 1024);
    head(&mut out, &format!("Mail setup audit: {}", a.domain));
    let _ = writeln!(
        out,
        "<h1>Mail setup audit: {}</h1><p class=\"sub\">What each mail client configures for <code>{}</code>, whether it works and is safe, and what to publish. Servers {}. Verdict: <span class=\"verdict {}\">{}</span></p>",
        Html(&a.domain),
        Html(&a.email),
        if a.probed { "probed (greeting, TLS, certificate, capabilities; never a password)" } else { "not probed (--no-probe)" },
        verdict_class(a.verdict),
        Html(a.verdict.as_str())
    );
    // The matrix, first.
    out.push_str("<h2 id=\"matrix\">Clients</h2><table class=\"matrix\"><thead><tr>");
    for c in Client::ALL {
        let _ = write!(out, "<th>{}</th>", Html(c.doc().name));
    }
    out.push_str("</tr></thead><tbody><tr>");
    matrix_cells(&mut out, a);
    out.push_str("</tr></tbody></table><ul>");
    for c in &a.clients {
        let _ = write!(
            out,
            "<li><strong>{}</strong>: {}</li>",
            Html(c.name),
            Html(&c.headline)
        );
    }
    out.push_str("</ul>\n");
    // Findings.
    out.push_str("<h2 id=\"findings\">Problems</h2>");
    if a.findings.is_empty() {
        out.push_str("<p>None.</p>");
    } else {
        out.push_str("<table><thead><tr><th>Code</th><th>Severity</th><th>What</th><th>What to do</th></tr></thead><tbody>");
        for f in &a.findings {
            let _ = write!(
                out,
                "<tr><td><a href=\"#{}\"><code>{}</code></a></td><td class=\"{}\">{}</td><td>{}</td><td>{}</td></tr>",
                Html(f.code),
                Html(f.code),
                severity_class(f.severity),
                Html(f.severity.as_str()),
                Html(&f.message),
                Html(&f.help)
            );
        }
        out.push_str("</tbody></table>");
    }
    // What to publish.
    out.push_str("<h2 id=\"publish\">What to publish</h2>");
    if a.publish.is_empty() {
        out.push_str("<p>mailsetup found no working settings to publish: find out which servers the domain's mailboxes are on, then run <code>mailsetup export</code>.</p>");
    }
    for p in &a.publish {
        let _ = write!(
            out,
            "<h3>{}</h3><p>Where: {}. {}</p>",
            Html(p.format.as_str()),
            Html(&p.place),
            Html(&p.why)
        );
        match (&p.content, &p.error) {
            (Some(c), _) => {
                let _ = write!(out, "<pre>{}</pre>", Html(c));
            }
            (None, Some(e)) => {
                let _ = write!(out, "<p><small>Cannot be written: {}</small></p>", Html(e));
            }
            _ => {}
        }
    }
    // Each client.
    out.push_str("<h2 id=\"clients\">Each client, step by step</h2>");
    for c in &a.clients {
        client_section(&mut out, c);
    }
    // What the domain publishes.
    let p = &a.published;
    out.push_str("<h2 id=\"published\">What the domain publishes</h2>");
    let _ = write!(
        out,
        "<h3>MX</h3><p><code>{}</code>{}{}</p>",
        Html(&p.mx.answer),
        p.mx.provider
            .as_ref()
            .map(|x| format!(" — {}", Html(&x.name)))
            .unwrap_or_default(),
        if p.mx.dnssec {
            " (DNSSEC-validated)"
        } else {
            ""
        }
    );
    out.push_str("<h3>SRV (RFC 6186, RFC 8314)</h3><table><tbody>");
    for s in &p.srv {
        let _ = write!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td></tr>",
            Html(&s.name),
            Html(&s.answer)
        );
    }
    out.push_str("</tbody></table><h3>Autoconfig and ISPDB</h3><table><thead><tr><th>Document</th><th>Answer</th><th>Thunderbird</th><th>Thunderbird for Android</th><th>Lint</th></tr></thead><tbody>");
    for d in p.autoconfig.iter().chain(&p.ispdb) {
        let taken = |t: &super::published::Taken| match t {
            super::published::Taken::Reads(s) => format!("reads {s}"),
            super::published::Taken::Refuses(s) => format!("refuses: {s}"),
            super::published::Taken::Absent => "—".into(),
        };
        let lint = d
            .lint
            .as_ref()
            .map(|r| {
                if r.findings.is_empty() {
                    "clean".to_owned()
                } else {
                    r.findings
                        .iter()
                        .map(|f| format!("{} {}", f.code, f.message))
                        .collect::<Vec<_>>()
                        .join("; ")
                }
            })
            .unwrap_or_else(|| "—".into());
        let _ = write!(
            out,
            "<tr><td>{}<br><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td><small>{}</small></td></tr>",
            Html(&d.kind),
            Html(&d.url),
            Html(&d.fetched),
            Html(&taken(&d.thunderbird)),
            Html(&taken(&d.android)),
            Html(&lint)
        );
    }
    out.push_str("</tbody></table><h3>Autodiscover</h3><table><tbody>");
    for x in &p.autodiscover {
        let servers: Vec<String> = x.servers.iter().map(server_label).collect();
        let _ = write!(
            out,
            "<tr><td>{} <code>{}</code></td><td>{}{}</td></tr>",
            x.method,
            Html(&x.url),
            Html(&x.fetched),
            if servers.is_empty() {
                String::new()
            } else {
                format!("<br>{}", Html(&servers.join(", ")))
            }
        );
    }
    let _ = write!(
        out,
        "<tr><td>SRV <code>_autodiscover._tcp.{}</code></td><td>{}</td></tr></tbody></table>",
        Html(&a.domain),
        Html(&p.autodiscover_srv)
    );
    out.push_str("<h3>Every server named, probed</h3><table><thead><tr><th>Server</th><th>Named by</th><th>Probe</th></tr></thead><tbody>");
    for r in &p.servers {
        let _ = write!(
            out,
            "<tr><td><code>{}</code></td><td><small>{}</small></td><td class=\"{}\">{}</td></tr>",
            Html(&server_label(&r.server)),
            Html(&r.named_by.join("; ")),
            match r.check.status {
                super::CheckStatus::Ok => "works",
                super::CheckStatus::NotProbed => "unverified",
                super::CheckStatus::Certificate | super::CheckStatus::Cleartext => "confirm",
                super::CheckStatus::Fails => "fails",
            },
            Html(&r.check.summary)
        );
    }
    out.push_str("</tbody></table>");
    if !a.rules.is_empty() {
        out.push_str("<h2 id=\"rules\">The rules behind the problems</h2>");
        for r in &a.rules {
            let _ = write!(
                out,
                "<h3 id=\"{}\"><code>{}</code> {}</h3><p>{}</p><p>{}</p><p><small>Example: {}</small></p><p class=\"cite\">References: {}</p>",
                Html(r.code),
                Html(r.code),
                Html(r.name),
                Html(r.what),
                Html(r.why),
                Html(r.example),
                Html(&r.references.join("; "))
            );
        }
    }
    out.push_str("<p><small>Made by mailsetup audit. Nothing on this page loads anything from the network.</small></p>\n</body>\n</html>\n");
    out
}

/// One line of a batch overview.
pub struct OverviewRow<'a> {
    /// The input line.
    pub input: &'a str,
    /// The audit as its JSON (the `--json` contract: a batch's overview is made from the JSON
    /// Lines output, so that a resumed batch's earlier lines are in it too), or why the input
    /// could not be audited.
    pub result: Result<&'a serde_json::Value, &'a str>,
}

fn outcome_of(word: &str) -> Option<Outcome> {
    Some(match word {
        "works" => Outcome::Works,
        "unverified" => Outcome::Unverified,
        "not-documented" => Outcome::NotDocumented,
        "confirm" => Outcome::Confirm,
        "manual" => Outcome::Manual,
        "unsafe" => Outcome::Unsafe,
        "fails" => Outcome::Fails,
        _ => return None,
    })
}

/// The overview of a batch: one row per domain, the matrix cells, the verdict and the findings'
/// codes.
pub fn overview(rows: &[OverviewRow]) -> String {
    let mut out = String::with_capacity(8 * 1024 + rows.len() * 600);
    head(&mut out, "Mail setup audit: overview");
    let _ = write!(
        out,
        "<h1>Mail setup audit: {} domain{}</h1><p class=\"sub\">What each mail client configures for an address at each domain. The JSON Lines output has every detail.</p>",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    );
    out.push_str("<table class=\"matrix\"><thead><tr><th>Domain</th>");
    for c in Client::ALL {
        let _ = write!(out, "<th>{}</th>", Html(c.doc().name));
    }
    out.push_str("<th>Verdict</th><th>Problems</th></tr></thead><tbody>\n");
    let text =
        |v: &serde_json::Value, k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_owned();
    for r in rows {
        match r.result {
            Ok(a) => {
                let _ = write!(
                    out,
                    "<tr><td><code>{}</code></td>",
                    Html(&text(a, "domain"))
                );
                let clients = a
                    .get("clients")
                    .and_then(|c| c.as_array())
                    .cloned()
                    .unwrap_or_default();
                for c in Client::ALL {
                    let id = serde_json::to_value(c)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default();
                    match clients.iter().find(|x| text(x, "client") == id) {
                        Some(x) => {
                            let o = outcome_of(&text(x, "outcome"));
                            let _ = write!(
                                out,
                                "<td class=\"cell {}\" title=\"{}\">{}</td>",
                                o.map_or("", outcome_class),
                                Html(&text(x, "headline")),
                                Html(o.map_or("?", Outcome::word))
                            );
                        }
                        None => out.push_str("<td>—</td>"),
                    }
                }
                let verdict = text(a, "verdict");
                let mut codes: Vec<String> = a
                    .get("findings")
                    .and_then(|f| f.as_array())
                    .map(|f| f.iter().map(|x| text(x, "code")).collect())
                    .unwrap_or_default();
                codes.dedup();
                let class = match verdict.as_str() {
                    "error" => "fails",
                    "warning" => "confirm",
                    "info" => "manual",
                    _ => "works",
                };
                let _ = writeln!(
                    out,
                    "<td class=\"cell {class}\">{}</td><td>{}</td></tr>",
                    Html(&verdict),
                    Html(&codes.join(" "))
                );
            }
            Err(e) => {
                let _ = writeln!(
                    out,
                    "<tr><td><code>{}</code></td><td colspan=\"{}\">{}</td></tr>",
                    Html(r.input),
                    Client::ALL.len() + 2,
                    Html(e)
                );
            }
        }
    }
    out.push_str("</tbody></table><p><small>Made by mailsetup audit --batch. Nothing on this page loads anything from the network.</small></p>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_markup_and_controls() {
        assert_eq!(
            Html("<script>\"x\" & 'y'</script>\u{1b}[31m").to_string(),
            "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;\\u{1b}[31m"
        );
    }
}
