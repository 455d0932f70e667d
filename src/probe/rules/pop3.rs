//! N4xx: POP3 options that decide whether "leave a copy on the server" works.

use super::{field, finding};
use crate::diagnostic::{Finding, Rule, Severity};
use crate::probe::report::EndpointReport;

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

/// N401–N404 from the POP3 capabilities.
pub fn check(i: usize, e: &EndpointReport, out: &mut Vec<Finding>) {
    let Some(p) = &e.pop3 else {
        return;
    };
    let w = e.label();
    if !p.uidl {
        out.push(finding(
            &N401,
            field(i, "pop3"),
            format!(
                "{w}: no UIDL: \"leave a copy on the server\" cannot tell old messages from new"
            ),
            "use IMAP, or let the client delete messages after downloading",
            None,
        ));
    }
    let expire = p
        .expire
        .as_deref()
        .and_then(|x| x.split_ascii_whitespace().next());
    match expire.map(|x| x.parse::<u64>()) {
        Some(Ok(0)) => out.push(finding(
            &N402,
            field(i, "pop3"),
            format!("{w}: EXPIRE 0: the server deletes messages once they are downloaded"),
            "\"leave a copy on the server\" cannot work here; use IMAP for several devices",
            None,
        )),
        Some(Ok(days)) => out.push(finding(
            &N403,
            field(i, "pop3"),
            format!(
                "{w}: EXPIRE {days}: downloaded messages are deleted from the server after {days} days"
            ),
            "copies left on the server disappear after that time, whatever the client says",
            None,
        )),
        _ => {}
    }
    if let Some(secs) = p.login_delay.filter(|&s| s > 0) {
        out.push(finding(
            &N404,
            field(i, "pop3"),
            format!("{w}: LOGIN-DELAY {secs}: at most one login every {secs} seconds"),
            match secs.div_ceil(60) {
                1 => "set the client to check for mail once a minute or less often".to_string(),
                n => format!("set the client to check for mail every {n} minutes or less often"),
            },
            None,
        ));
    }
}

#[cfg(test)]
mod vectors {
    use super::super::vectors::*;
    use super::*;
    use crate::model::{Protocol, Security};
    use crate::probe::report::{Pop3Info, Role};

    fn pop3(info: Pop3Info) -> EndpointReport {
        with(
            secure(
                endpoint(Protocol::Pop3, 995, Security::Tls, Role::Given),
                Security::Tls,
            ),
            |e| e.pop3 = Some(info),
        )
    }

    #[test]
    fn n4xx() {
        let uidl = Pop3Info {
            uidl: true,
            ..Pop3Info::default()
        };
        run(
            &[&N401, &N402, &N403, &N404],
            &[
                Vector {
                    what: "UIDL, no EXPIRE, no LOGIN-DELAY",
                    input: Input::Endpoint(pop3(uidl.clone())),
                    codes: &[],
                },
                Vector {
                    what: "no UIDL, EXPIRE 0, LOGIN-DELAY 900",
                    input: Input::Endpoint(pop3(Pop3Info {
                        uidl: false,
                        expire: Some("0".into()),
                        login_delay: Some(900),
                        ..Pop3Info::default()
                    })),
                    codes: &["N401", "N402", "N404"],
                },
                Vector {
                    what: "EXPIRE 30 USER",
                    input: Input::Endpoint(pop3(Pop3Info {
                        expire: Some("30 USER".into()),
                        ..uidl.clone()
                    })),
                    codes: &["N403"],
                },
                Vector {
                    what: "EXPIRE NEVER, LOGIN-DELAY 0",
                    input: Input::Endpoint(pop3(Pop3Info {
                        expire: Some("NEVER".into()),
                        login_delay: Some(0),
                        ..uidl
                    })),
                    codes: &[],
                },
            ],
        );
        let mut out = Vec::new();
        let minute = pop3(Pop3Info {
            login_delay: Some(60),
            ..Pop3Info::default()
        });
        check(
            0,
            &with(minute, |e| e.pop3.as_mut().unwrap().uidl = true),
            &mut out,
        );
        assert_eq!(
            out[0].help,
            "set the client to check for mail once a minute or less often"
        );
    }
}
