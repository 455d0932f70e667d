//! N0xx: reaching the server — the name resolves, something accepts the connection, greets in
//! time, in the expected protocol, and within the caps.

use super::{field, finding};
use crate::diagnostic::{Finding, Rule, Severity};
use crate::model::labels;
use crate::probe::report::{EndpointReport, Failure, FailureKind, Role};

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

/// `N008`: this computer ran out of resources.
pub const N008: Rule = Rule {
    code: "N008",
    name: "local-resources-exhausted",
    severity: Severity::Error,
    summary: "this computer could not open the connections the probe needed",
    what: "Opening a connection failed on this computer itself (too many open files: the process's or the \
           system's limit on file descriptors), so nothing was learnt about those endpoints. It is not the \
           servers' fault.",
    why: "An endpoint that could not be tried is neither good nor bad; the probe says so instead of blaming the server.",
    example: "Probing 2,000 endpoints under `ulimit -n 256` → probe fewer at once, or raise the limit.",
    references: &["POSIX open(2): EMFILE, ENFILE"],
};

/// N008, once, naming how many endpoints could not be tried.
pub fn local(endpoints: &[EndpointReport]) -> Vec<Finding> {
    let hit: Vec<&EndpointReport> = endpoints
        .iter()
        .filter(|e| {
            e.failure
                .as_ref()
                .is_some_and(|f| f.kind == FailureKind::Local)
        })
        .collect();
    let Some(first) = hit.first() else {
        return Vec::new();
    };
    vec![finding(
        &N008,
        "endpoints".into(),
        format!(
            "{} of {} endpoints could not be tried: {}",
            hit.len(),
            endpoints.len(),
            first.failure.as_ref().map_or("", |f| f.message.as_str())
        ),
        "probe fewer endpoints at once, or raise this computer's limit on open files (ulimit -n)",
        None,
    )]
}

/// N001, once per host that does not resolve.
pub fn unresolved(endpoints: &[EndpointReport]) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut hosts: Vec<&str> = Vec::new();
    for e in endpoints {
        if let Some(fail) = e
            .failure
            .as_ref()
            .filter(|f| f.kind == FailureKind::NotFound)
        {
            if !hosts.contains(&e.host.as_str()) {
                hosts.push(&e.host);
                out.push(finding(
                    &N001,
                    "host".into(),
                    fail.message.clone(),
                    "check the spelling of the host name against the provider's documentation",
                    None,
                ));
            }
        }
    }
    out
}

/// N002–N007: the conversation with endpoint `i` stopped before it was secured. A standard
/// endpoint that is simply closed is shown in the report, not as a finding; a host that does not
/// resolve is reported once, by [`unresolved`].
pub fn failure(i: usize, e: &EndpointReport, fail: &Failure) -> Option<Finding> {
    let w = e.label();
    let stage = fail.stage.as_str();
    let hint = labels::standard_ports(e.protocol);
    let at_stage = || format!("{w}: {stage}: {}", fail.message);
    Some(match fail.kind {
        FailureKind::ConnectFailed if e.role == Role::Given => finding(
            &N002,
            field(i, "connect"),
            format!("{w}: {}", fail.message),
            format!("check the port ({hint}); a firewall may also block it"),
            None,
        ),
        FailureKind::Timeout => finding(
            &N003,
            field(i, stage),
            at_stage(),
            format!("check that this is the provider's server and port ({hint}) and the security setting"),
            None,
        ),
        FailureKind::WrongProtocol => finding(
            &N004,
            field(i, stage),
            format!("{w}: {}", fail.message),
            format!("check the port and the protocol: {}", labels::standard_ports(None)),
            None,
        ),
        FailureKind::Refused => finding(
            &N005,
            field(i, "greeting"),
            format!("{w}: {}", fail.message),
            "the server refuses clients now: try again later, or ask the provider",
            None,
        ),
        FailureKind::Closed => finding(
            &N006,
            field(i, stage),
            at_stage(),
            format!("check the port ({hint}); the service may be down or reject this address"),
            None,
        ),
        FailureKind::TooLong => finding(
            &N007,
            field(i, stage),
            at_stage(),
            format!("this is not a working mail server; check the host and port ({hint})"),
            None,
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod vectors {
    use super::super::vectors::*;
    use super::*;
    use crate::model::{Protocol, Security};
    use crate::probe::report::StageKind;

    fn imaps(role: Role) -> EndpointReport {
        endpoint(Protocol::Imap, 993, Security::Tls, role)
    }

    fn stopped(stage: StageKind, kind: FailureKind) -> EndpointReport {
        failed(imaps(Role::Given), stage, kind, "it went wrong")
    }

    #[test]
    fn n0xx() {
        let unknown = |host: &str| {
            let mut e = failed(
                imaps(Role::Standard),
                StageKind::Resolve,
                FailureKind::NotFound,
                "no-such-host.invalid does not resolve",
            );
            e.host = host.into();
            e
        };
        let mut pop = unknown("no-such-host.invalid");
        pop.protocol = Some(Protocol::Pop3);
        run(
            &[&N001, &N002, &N003, &N004, &N005, &N006, &N007, &N008],
            &[
                Vector {
                    what: "a host that does not resolve, probed on two ports, is one finding",
                    input: Input::Overall(
                        vec![
                            unknown("no-such-host.invalid"),
                            pop,
                            unknown("other.invalid"),
                        ],
                        true,
                    ),
                    codes: &["N001", "N001"],
                },
                Vector {
                    what: "this computer ran out of file descriptors: one finding, none about the server",
                    input: Input::Overall(
                        vec![
                            failed(
                                imaps(Role::Given),
                                StageKind::Connect,
                                FailureKind::Local,
                                "this computer could not open a connection (Too many open files (os error 24))",
                            ),
                            with(
                                failed(
                                    imaps(Role::Given),
                                    StageKind::Connect,
                                    FailureKind::Local,
                                    "too many open files",
                                ),
                                |e| e.port = 143,
                            ),
                        ],
                        false,
                    ),
                    codes: &["N008"],
                },
                Vector {
                    what: "nothing on a standard endpoint is not a finding",
                    input: Input::Endpoint(failed(
                        imaps(Role::Standard),
                        StageKind::Connect,
                        FailureKind::ConnectFailed,
                        "connection refused",
                    )),
                    codes: &[],
                },
                Vector {
                    what: "nothing on the endpoint named",
                    input: Input::Endpoint(stopped(StageKind::Connect, FailureKind::ConnectFailed)),
                    codes: &["N002"],
                },
                Vector {
                    what: "no greeting in time",
                    input: Input::Endpoint(stopped(StageKind::Greeting, FailureKind::Timeout)),
                    codes: &["N003"],
                },
                Vector {
                    what: "an HTTP answer",
                    input: Input::Endpoint(stopped(
                        StageKind::Greeting,
                        FailureKind::WrongProtocol,
                    )),
                    codes: &["N004"],
                },
                Vector {
                    what: "* BYE as the greeting",
                    input: Input::Endpoint(stopped(StageKind::Greeting, FailureKind::Refused)),
                    codes: &["N005"],
                },
                Vector {
                    what: "closed in the middle of the greeting",
                    input: Input::Endpoint(stopped(StageKind::Greeting, FailureKind::Closed)),
                    codes: &["N006"],
                },
                Vector {
                    what: "reset as soon as the connection was made",
                    input: Input::Endpoint(stopped(StageKind::Connect, FailureKind::Closed)),
                    codes: &["N006"],
                },
                Vector {
                    what: "an endless line",
                    input: Input::Endpoint(stopped(StageKind::Greeting, FailureKind::TooLong)),
                    codes: &["N007"],
                },
            ],
        );
        let f = &stopped(StageKind::Greeting, FailureKind::Timeout);
        let n003 = failure(0, f, f.failure.as_ref().unwrap()).unwrap();
        assert_eq!(n003.field, "endpoints.0.greeting");
        assert!(n003
            .message
            .starts_with("mail.example.com:993 (IMAP, implicit TLS): greeting: "));
    }
}
