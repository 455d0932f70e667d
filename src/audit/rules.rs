//! The C rules: what is wrong with what a domain publishes, judged by what the clients do with
//! it (each rule's documentation cites the client behaviour it rests on). Each rule is its
//! documentation and, right below it, its check; the vectors are in the tests at the end.

use super::check::CheckStatus;
use super::clients::{Client, ClientResult, Outcome};
use super::facts::{server_label, Facts, Fetch};
use super::fixes::Best;
use super::published::{Published, Taken};
use crate::diagnostic::{Finding, Rule, Severity};
use crate::discovery::plan;
use crate::model::Security;

const TB_FETCH: &str = "comm-central mail/components/accountcreation/modules/FetchConfig.sys.mjs (fetchConfigFromISP, fetchConfigForMX; FindConfig.sys.mjs: the highest-priority success wins)";
const TB_HTTP: &str = "comm-central mail/components/accountcreation/modules/FetchHTTP.sys.mjs (only text/xml, application/xml, text/rdf are parsed as XML)";
const TB_READER: &str = "comm-central mail/components/accountcreation/modules/readFromXML.sys.mjs (vendored in js-tests/thunderbird)";
const ANDROID_REGISTRY: &str = "thunderbird-android feature/autodiscovery/service/.../RealAutoDiscoveryRegistry.kt (autoconfig, ISPDB, MX by priority)";
const ANDROID_TRUST: &str = "thunderbird-android OkHttpFetcher.kt (trusted only over HTTPS) and AutoDiscoveryResultApprovalView.kt (approval checkbox)";
const ANDROID_PARSER: &str =
    "thunderbird-android feature/autodiscovery/autoconfig/.../RealAutoconfigParser.kt";
const DELTA: &str = "chatmail/core src/configure.rs (get_autoconfig: autoconfig, well-known, plain HTTP, Autodiscover, ISPDB; strict TLS)";
const OUTLOOK: &str = "https://support.microsoft.com/en-us/topic/outlook-2016-implementation-of-autodiscover-0d7b2709-958a-7249-1c87-434d257b9087";
const OXDISCO_REDIRECT: &str = "MS-OXDISCO 3.1.5.4 (https://learn.microsoft.com/en-us/openspecs/exchange_server_protocols/ms-oxdisco/115f06cf-62db-46a1-a825-8b30897f27d3)";
const TB_EXCHANGE: &str = "comm-central mail/components/accountcreation/modules/ExchangeAutoDiscover.sys.mjs (fetchFromPotentiallyUnsafeAddress: confirmation for another domain)";

/// `C101`: the domain's own autoconfig names other servers than the provider its MX points to.
pub const C101: Rule = Rule {
    code: "C101",
    name: "autoconfig-shadows-mx-provider",
    severity: Severity::Error,
    summary: "a stale autoconfig file overrides the provider the domain's mail goes to",
    what: "The domain's MX points to a provider mailsetup knows (its mail, and so the mailbox, is there), but the domain's own autoconfig file names servers that are not that provider's.",
    why: "Thunderbird takes the ISP's own file before the ISPDB and the MX lookup, Thunderbird for Android asks it first too, and Delta Chat reads it first and never looks at MX: every one of them sets up the file's servers — typically the old host from before a move — and never reaches the provider's settings.",
    example: "MX `aspmx.l.google.com`, but `https://autoconfig.example.org/mail/config-v1.1.xml` says `mail.example.org` → publish Google's settings in the file (or remove it).",
    references: &[TB_FETCH, ANDROID_REGISTRY, DELTA],
};

/// `C102`: the sources name different incoming servers.
pub const C102: Rule = Rule {
    code: "C102",
    name: "sources-disagree",
    severity: Severity::Warning,
    summary: "the domain's publications name different servers",
    what: "The domain's autoconfig, its SRV records, its Autodiscover answer and the ISPDB entry for it do not name the same incoming server.",
    why: "Each client reads another source (Thunderbird and Delta Chat autoconfig first, Outlook only Autodiscover, RFC 6186 clients SRV): people at the same domain end up with different servers, and the stale source breaks someone.",
    example: "autoconfig says `mail.example.org`, Autodiscover says `imap.oldhost.net` → publish the same servers everywhere.",
    references: &[TB_FETCH, OUTLOOK, DELTA, "RFC 6186"],
};

/// `C103`: a server's certificate does not name the host the domain advises.
pub const C103: Rule = Rule {
    code: "C103",
    name: "certificate-names-another-host",
    severity: Severity::Error,
    summary: "the advised server's certificate does not name the advised host",
    what: "A server the domain's publications name answers with TLS, but its certificate does not carry the host name the clients are told to use (RFC 7817). The usual cause is a shared host: one autoconfig template serving `mail.<customer domain>` for every customer while the server's certificate names the hoster.",
    why: "Thunderbird (ConfigVerifier.sys.mjs) and Thunderbird for Android ask the person to accept the certificate anyway — which teaches them to accept an attacker's — and Delta Chat, checking certificates strictly, fails.",
    example: "`imap.customer.example:993` answers with a certificate for `mail.hoster.net` → advise `mail.hoster.net` (which the certificate names) or get a certificate that names `imap.customer.example`.",
    references: &["RFC 7817 §3", "comm-central ConfigVerifier.sys.mjs (informUserOfCertError)", "thunderbird-android ServerCertificateErrorContract.kt", "chatmail/core src/transport.rs (strict_tls)"],
};

/// `C104`: a server the domain advises does not answer.
pub const C104: Rule = Rule {
    code: "C104",
    name: "advised-server-fails",
    severity: Severity::Error,
    summary: "a server the domain advises does not work",
    what: "A server named by the domain's autoconfig, SRV records or Autodiscover answer does not resolve, accepts no connection, does not speak the protocol, or does not complete TLS.",
    why: "Clients that read that source set the server up and fail; Delta Chat tries the next candidate, the others show a connection error.",
    example: "autoconfig names `mail.example.org:993`, which refuses connections → fix the server or the file.",
    references: &[TB_FETCH, DELTA, "RFC 8314 §3"],
};

/// `C105`: the domain advises a connection without encryption.
pub const C105: Rule = Rule {
    code: "C105",
    name: "advised-cleartext",
    severity: Severity::Error,
    summary: "the domain advises a connection without TLS",
    what: "A publication names a server with no encryption (`<socketType>plain</socketType>`, `SSL off`), so the password crosses the network readable.",
    why: "Thunderbird asks the person to tick \"I understand the risks\" (accountSetup.ftl) — most do; Delta Chat uses it silently; Thunderbird for Android refuses the whole file.",
    example: "`<socketType>plain</socketType>` on port 143 → `SSL` on 993 (RFC 8314).",
    references: &["RFC 8314 §4", "comm-central accountSetup.ftl (account-setup-insecure-server-checkbox)", ANDROID_PARSER, "chatmail/core src/configure/auto_mozilla.rs"],
};

/// `C106`: autoconfig only over plain HTTP.
pub const C106: Rule = Rule {
    code: "C106",
    name: "autoconfig-http-only",
    severity: Severity::Warning,
    summary: "the autoconfig file is served only over plain HTTP",
    what: "The domain's autoconfig answers over plain HTTP but not over HTTPS.",
    why: "Thunderbird uses an HTTP file without any warning (fetchFromISP.sslOnly is false by default), so anyone on the path can send people to their server; Thunderbird for Android shows it as untrusted and makes the person tick a box; Delta Chat uses it.",
    example: "`http://autoconfig.example.org/mail/config-v1.1.xml` only → serve the same file over HTTPS with a certificate naming `autoconfig.example.org`.",
    references: &[TB_FETCH, "comm-central mailnews/mailnews.js (mailnews.auto_config.fetchFromISP.sslOnly)", ANDROID_TRUST, DELTA],
};

/// `C107`: a client refuses the domain's autoconfig file.
pub const C107: Rule = Rule {
    code: "C107",
    name: "autoconfig-refused",
    severity: Severity::Error,
    summary: "a client refuses the domain's autoconfig file",
    what: "Thunderbird's reader or Thunderbird for Android's parser refuses the file the domain serves (lint says why, with D-rule codes).",
    why: "Thunderbird then skips the whole ISP source — it does not read the lower URLs — and falls back to the ISPDB, MX or guessing; Thunderbird for Android moves to the next source. People get other settings than the admin published, or none.",
    example: "`<socketType> SSL </socketType>` (spaces) → Thunderbird refuses the file (D103).",
    references: &[TB_READER, TB_FETCH, ANDROID_PARSER],
};

/// `C108`: autoconfig served with a content type Thunderbird does not parse.
pub const C108: Rule = Rule {
    code: "C108",
    name: "autoconfig-content-type",
    severity: Severity::Error,
    summary: "the autoconfig file is not served as XML",
    what: "The domain's autoconfig answers with a `Content-Type` other than `text/xml`, `application/xml` or `text/rdf` (or none).",
    why: "Thunderbird's FetchHTTP parses the body as XML only for those types; anything else reaches its reader as a string, which it refuses — and a refused first answer fails the whole ISP source.",
    example: "`Content-Type: text/plain` → `Content-Type: application/xml`.",
    references: &[TB_HTTP, TB_FETCH],
};

/// `C109`: the HTTPS autoconfig fails TLS.
pub const C109: Rule = Rule {
    code: "C109",
    name: "autoconfig-certificate",
    severity: Severity::Error,
    summary: "the HTTPS autoconfig host fails TLS",
    what: "A host serving the domain's autoconfig over HTTPS answers with a certificate that does not verify for it (or TLS fails). The usual cause is `autoconfig.<customer>` pointing to a hoster's server that has no certificate for the customer's name.",
    why: "Every client treats the HTTPS URL as absent: Thunderbird and Delta Chat fall back to plain HTTP (unauthenticated) or other sources, Thunderbird for Android to HTTP with an approval checkbox.",
    example: "`autoconfig.example.org` presents a certificate for `mail.hoster.net` → get a certificate naming `autoconfig.example.org`.",
    references: &[TB_FETCH, ANDROID_TRUST, DELTA, "RFC 6125"],
};

/// `C110`: Outlook finds nothing.
pub const C110: Rule = Rule {
    code: "C110",
    name: "no-autodiscover",
    severity: Severity::Info,
    summary: "Outlook finds no settings",
    what: "No Autodiscover answer names an IMAP or POP3 server, and the domain is not a Microsoft 365 domain.",
    why: "Outlook reads neither autoconfig nor SRV: without Autodiscover people type the settings by hand.",
    example: "publish an Autodiscover response at `https://autodiscover.example.org/autodiscover/autodiscover.xml`.",
    references: &[OUTLOOK],
};

/// `C111`: nothing published.
pub const C111: Rule = Rule {
    code: "C111",
    name: "nothing-published",
    severity: Severity::Warning,
    summary: "the domain publishes no settings",
    what: "No autoconfig file, no SRV record offering a service, no Autodiscover answer, no ISPDB entry, and the MX is not a provider clients know.",
    why: "Thunderbird and Delta Chat guess host names (slow, and they may find the wrong server); Thunderbird for Android, Outlook and Apple Mail leave the person to type everything.",
    example: "publish an autoconfig file and SRV records (see the documents below).",
    references: &[TB_FETCH, ANDROID_REGISTRY, OUTLOOK, DELTA, "RFC 6186"],
};

/// `C112`: no SRV records.
pub const C112: Rule = Rule {
    code: "C112",
    name: "no-srv",
    severity: Severity::Info,
    summary: "no RFC 6186 SRV records",
    what: "None of `_imaps`, `_imap`, `_pop3s`, `_pop3`, `_submissions`, `_submission` offers a service.",
    why: "None of the simulated clients reads them, but clients built on RFC 6186 (himalaya's email-lib) do, and RFC 8314 §5.1 asks clients to.",
    example: "`_imaps._tcp.example.org. 3600 IN SRV 0 1 993 mail.example.org.`",
    references: &["RFC 6186", "RFC 8314 §5.1"],
};

/// `C113`: Autodiscover only through a redirect to another domain.
pub const C113: Rule = Rule {
    code: "C113",
    name: "autodiscover-redirect-prompt",
    severity: Severity::Warning,
    summary: "Autodiscover is reached only through a redirect to another domain",
    what: "The Autodiscover answer comes only from the HTTP redirect method or an `_autodiscover._tcp` SRV record, on another domain.",
    why: "Outlook warns the person about the redirect and goes on only if they accept (MS-OXDISCO 3.1.5.4); Thunderbird asks before sending the credentials there.",
    example: "`http://autodiscover.example.org` redirects to `https://autodiscover.hoster.net/…` → serve Autodiscover on `https://autodiscover.example.org` itself.",
    references: &[OXDISCO_REDIRECT, TB_EXCHANGE],
};

/// `C120`: a client ends with settings that fail, or with none and gives up.
pub const C120: Rule = Rule {
    code: "C120",
    name: "client-fails",
    severity: Severity::Error,
    summary: "a client ends with settings that do not work",
    what: "Following the client's own documented behaviour over what the domain publishes, the client ends with servers that fail the probe, or with no settings and an error.",
    why: "People using that client cannot set the account up without help; the finding names the step that leads there.",
    example: "Delta Chat reads the stale autoconfig, which names a server that refuses connections.",
    references: &[TB_FETCH, ANDROID_REGISTRY, OUTLOOK, DELTA],
};

/// `C121`: a client works only after a person confirms something, or unsafely.
pub const C121: Rule = Rule {
    code: "C121",
    name: "client-needs-confirmation",
    severity: Severity::Warning,
    summary: "a client works only after a person confirms a risk",
    what: "The client sets the account up only after the person accepts something: an untrusted configuration, a certificate for another name, a redirect to another domain, a connection without encryption.",
    why: "People click through such questions; each one is a chance for an attacker to have theirs accepted.",
    example: "Thunderbird for Android shows settings fetched over plain HTTP with a checkbox the person must tick.",
    references: &[ANDROID_TRUST, "comm-central ConfigVerifier.sys.mjs", OXDISCO_REDIRECT],
};

/// Every C rule, sorted by code.
pub static RULES: &[&Rule] = &[
    &C101, &C102, &C103, &C104, &C105, &C106, &C107, &C108, &C109, &C110, &C111, &C112, &C113,
    &C120, &C121,
];

fn emit(out: &mut Vec<Finding>, rule: &'static Rule, field: &str, message: String, help: String) {
    out.push(rule.finding(field.to_owned(), message, help, None));
}

/// Runs every C rule.
pub fn check(
    facts: &Facts,
    published: &Published,
    clients: &[ClientResult],
    best: Option<&Best>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    shadows_mx(facts, published, &mut out);
    sources_disagree(published, &mut out);
    advised_servers(published, &mut out);
    autoconfig_channel(facts, published, &mut out);
    nothing_published(published, clients, &mut out);
    autodiscover(facts, published, clients, &mut out);
    client_outcomes(clients, &mut out);
    if let Some(b) = best {
        // The help of C101/C103 names the settings to publish.
        for f in &mut out {
            if f.code == C101.code || f.code == C103.code {
                if !f.help.ends_with('.') {
                    f.help.push('.');
                }
                f.help.push_str(&format!(
                    " The settings to publish: {} and {} ({}).",
                    server_label(&b.account.incoming),
                    b.account
                        .outgoing
                        .as_ref()
                        .map_or("no outgoing server".into(), server_label),
                    b.why
                ));
            }
        }
    }
    out
}

fn own_documents(p: &Published) -> impl Iterator<Item = &super::published::DocumentCheck> {
    p.autoconfig.iter().filter(|d| d.found)
}

fn shadows_mx(facts: &Facts, p: &Published, out: &mut Vec<Finding>) {
    let Some(top) = &p.mx.top else {
        return;
    };
    // What the MX leads to: the provider in mailsetup's table, else the MX host's domains'
    // ISPDB entries and autoconfig files (what Thunderbird's and Android's MX lookups read).
    let (name, hosts): (String, Vec<String>) = match p
        .mx
        .provider
        .as_ref()
        .and_then(|x| crate::providers::by_id(&x.id))
    {
        Some(provider) => (
            provider.name.to_owned(),
            provider.servers.iter().map(|e| e.host.to_owned()).collect(),
        ),
        None => {
            let docs: Vec<&super::published::DocumentCheck> = p
                .ispdb
                .iter()
                .filter(|d| d.found && d.kind.ends_with("(MX)"))
                .collect();
            let hosts: Vec<String> = docs
                .iter()
                .flat_map(|d| d.servers.iter().map(|s| s.host.clone()))
                .collect();
            match docs.first() {
                Some(d) => (format!("what {} publishes", d.url), hosts),
                None => return,
            }
        }
    };
    if hosts.is_empty() {
        return;
    }
    let owners: Vec<String> = hosts
        .iter()
        .map(|h| plan::registrable_domain(h).unwrap_or_else(|| plan::normalize(h)))
        .collect();
    for d in own_documents(p) {
        let Some(first) = d.servers.iter().find(|s| s.protocol.is_incoming()) else {
            continue;
        };
        let owner =
            plan::registrable_domain(&first.host).unwrap_or_else(|| plan::normalize(&first.host));
        if hosts
            .iter()
            .any(|h| plan::normalize(h) == plan::normalize(&first.host))
            || owners.contains(&owner)
        {
            continue;
        }
        emit(
            out,
            &C101,
            "autoconfig",
            format!(
                "{} names {}, but the mail of {} goes to {top} (MX), which leads to {name} ({}): Thunderbird, Thunderbird for Android and Delta Chat take the domain's own file first and never reach those settings",
                d.url,
                server_label(first),
                facts.domain,
                hosts.first().map(String::as_str).unwrap_or("")
            ),
            "replace the file with the settings the MX leads to (below), or remove it".into(),
        );
        return;
    }
}

fn sources_disagree(p: &Published, out: &mut Vec<Finding>) {
    let mut said: Vec<(String, String)> = Vec::new();
    let mut add = |source: &str, host: Option<&str>| {
        if let Some(h) = host {
            said.push((source.to_owned(), plan::normalize(h)));
        }
    };
    let first_in = |d: &super::published::DocumentCheck| {
        d.servers
            .iter()
            .find(|s| s.protocol.is_incoming())
            .map(|s| s.host.clone())
    };
    add(
        "the autoconfig file",
        own_documents(p).find_map(first_in).as_deref(),
    );
    add(
        "the SRV records",
        p.srv
            .iter()
            .filter(|s| s.offered && s.protocol.is_incoming())
            .find_map(|s| {
                p.servers
                    .iter()
                    .find(|r| r.named_by.iter().any(|n| n == &format!("SRV {}", s.name)))
            })
            .map(|r| r.server.host.as_str()),
    );
    add(
        "Autodiscover",
        p.autodiscover
            .iter()
            .find_map(|a| a.servers.iter().find(|s| s.protocol.is_incoming()))
            .map(|s| s.host.as_str()),
    );
    add(
        "the ISPDB entry",
        p.ispdb
            .first()
            .filter(|d| d.found)
            .and_then(first_in)
            .as_deref(),
    );
    let mut hosts: Vec<&str> = said.iter().map(|(_, h)| h.as_str()).collect();
    hosts.sort();
    hosts.dedup();
    if hosts.len() > 1 {
        emit(
            out,
            &C102,
            "sources",
            format!(
                "the sources name different incoming servers: {}",
                said.iter()
                    .map(|(s, h)| format!("{s} says {h}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            "publish the same servers in every source: Thunderbird and Delta Chat read autoconfig first, Outlook only Autodiscover".into(),
        );
    }
}

fn advised_servers(p: &Published, out: &mut Vec<Finding>) {
    for r in &p.servers {
        // Only what the domain itself publishes (its autoconfig, SRV, Autodiscover), not the
        // ISPDB's or a provider's.
        let own = r.named_by.iter().any(|n| {
            n.starts_with("autoconfig ") || n.starts_with("SRV ") || n.starts_with("Autodiscover ")
        });
        if !own {
            continue;
        }
        let by = r.named_by.join("; ");
        match r.check.status {
            CheckStatus::Certificate => emit(
                out,
                &C103,
                "servers",
                format!("{} (named by {by}): {}", server_label(&r.server), r.check.summary),
                match r.check.certificate_names.iter().find(|n| !n.starts_with('*')) {
                    Some(n) => format!("advise the name the certificate carries ({n}), or get a certificate that names {}", r.server.host),
                    None => format!("get a certificate that names {}", r.server.host),
                },
            ),
            CheckStatus::Fails => emit(
                out,
                &C104,
                "servers",
                format!("{} (named by {by}): {}", server_label(&r.server), r.check.summary),
                "fix the server, or stop advising it".into(),
            ),
            _ => {}
        }
        if r.server.security == Security::None {
            emit(
                out,
                &C105,
                "servers",
                format!("{} (named by {by}) has no encryption: the password crosses the network readable", server_label(&r.server)),
                "advise implicit TLS (IMAP 993, POP3 995, submission 465) or STARTTLS (RFC 8314)".into(),
            );
        }
    }
}

fn autoconfig_channel(facts: &Facts, p: &Published, out: &mut Vec<Finding>) {
    let https_found = p.autoconfig.iter().take(2).any(|d| d.found);
    let http_found = p.autoconfig.iter().skip(2).any(|d| d.found);
    if http_found && !https_found {
        let url = p
            .autoconfig
            .iter()
            .skip(2)
            .find(|d| d.found)
            .map(|d| d.url.clone())
            .unwrap_or_default();
        emit(
            out,
            &C106,
            "autoconfig",
            format!("{url} answers over plain HTTP only: Thunderbird uses it without a warning, Thunderbird for Android makes the person approve it"),
            format!("serve it over HTTPS at https://autoconfig.{}/mail/config-v1.1.xml with a certificate naming autoconfig.{}", facts.domain, facts.domain),
        );
    }
    for (i, d) in p.autoconfig.iter().enumerate() {
        if d.found {
            let mut who = Vec::new();
            if let Taken::Refuses(why) = &d.thunderbird {
                if why.starts_with("served as") {
                    emit(
                        out,
                        &C108,
                        "autoconfig",
                        format!("{}: {why}", d.url),
                        "serve it as application/xml (or text/xml)".into(),
                    );
                } else {
                    who.push(format!("Thunderbird ({why})"));
                }
            }
            if let Taken::Refuses(why) = &d.android {
                if !matches!(&d.thunderbird, Taken::Refuses(t) if t.contains(why.as_str())) {
                    who.push(format!("Thunderbird for Android ({why})"));
                }
            }
            if !who.is_empty() {
                emit(
                    out,
                    &C107,
                    "autoconfig",
                    format!("{}: refused by {}", d.url, who.join("; ")),
                    "publish the corrected file below (`mailsetup lint` explains each D code)"
                        .into(),
                );
            }
        }
        // The HTTPS URLs: a certificate problem.
        if i < 2 {
            let lookup = facts.own_autoconfig(true, i == 1);
            if let Some(msg) = facts.fetch(&lookup).tls_failed() {
                emit(
                    out,
                    &C109,
                    "autoconfig",
                    format!(
                        "{}: TLS fails ({msg}); every client treats the URL as absent",
                        d.url
                    ),
                    format!(
                        "get a certificate that names {}",
                        crate::discovery::analyze::host_of(&d.url)
                    ),
                );
            }
        }
    }
    let _ = Fetch::NotAsked;
}

fn nothing_published(p: &Published, clients: &[ClientResult], out: &mut Vec<Finding>) {
    let any_doc = p.autoconfig.iter().any(|d| d.found)
        || p.ispdb.iter().any(|d| d.found)
        || p.autodiscover.iter().any(|a| !a.servers.is_empty());
    let any_srv = p.srv.iter().any(|s| s.offered);
    if !any_doc && !any_srv && p.mx.provider.is_none() {
        let _ = clients;
        emit(
            out,
            &C111,
            "domain",
            "the domain publishes no settings: no autoconfig, SRV, Autodiscover or ISPDB entry, and its MX is not a known provider's".into(),
            "publish an autoconfig file and SRV records (below)".into(),
        );
    }
    if !any_srv {
        emit(
            out,
            &C112,
            "srv",
            "no RFC 6186 SRV record offers a mail service".into(),
            "publish the SRV records below".into(),
        );
    }
}

fn autodiscover(facts: &Facts, p: &Published, clients: &[ClientResult], out: &mut Vec<Finding>) {
    let outlook = clients.iter().find(|c| c.client == Client::Outlook);
    if outlook.is_some_and(|c| c.outcome == Outcome::Manual) {
        emit(
            out,
            &C110,
            "autodiscover",
            "Outlook finds no IMAP or POP3 settings in any Autodiscover answer".into(),
            format!("publish the Autodiscover response below at https://autodiscover.{}/autodiscover/autodiscover.xml", facts.domain),
        );
    }
    let direct = p.autodiscover.iter().take(4).any(|a| !a.servers.is_empty());
    let own = plan::registrable_domain(&facts.domain).unwrap_or_else(|| facts.domain.clone());
    if !direct {
        if let Some(a) = p
            .autodiscover
            .iter()
            .skip(5)
            .find(|a| !a.servers.is_empty())
        {
            let host = crate::discovery::analyze::host_of(&a.url);
            if plan::registrable_domain(&host).is_some_and(|r| r != own) {
                emit(
                    out,
                    &C113,
                    "autodiscover",
                    format!("Autodiscover answers only at {} (another domain, found by redirect or SRV): Outlook and Thunderbird ask the person first", a.url),
                    format!("serve Autodiscover at https://autodiscover.{}/autodiscover/autodiscover.xml", facts.domain),
                );
            }
        }
    }
}

fn client_outcomes(clients: &[ClientResult], out: &mut Vec<Finding>) {
    for c in clients {
        let field = format!(
            "clients.{}",
            serde_json::to_value(c.client)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        );
        match c.outcome {
            Outcome::Fails | Outcome::Unsafe => emit(
                out,
                &C120,
                &field,
                c.headline.clone(),
                "publish the settings below where this client reads them".into(),
            ),
            Outcome::Confirm => emit(
                out,
                &C121,
                &field,
                c.headline.clone(),
                "publish over HTTPS, with certificates naming the advised hosts, on the domain itself, so that nobody is asked".into(),
            ),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_sorted_unique_and_documented() {
        let codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(codes, sorted);
        for r in RULES {
            assert!(r.code.starts_with('C') && r.code.len() == 4, "{}", r.code);
            assert!(!r.references.is_empty(), "{} cites nothing", r.code);
            assert!(!r.what.is_empty() && !r.why.is_empty() && !r.example.is_empty());
        }
    }
}
