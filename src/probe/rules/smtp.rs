//! N5xx: SMTP submission extensions that change what can be sent.

use super::{field, finding};
use crate::diagnostic::{Finding, Rule, Severity};
use crate::probe::report::EndpointReport;

/// `N501`: a small SMTP message size limit.
pub const N501: Rule = Rule {
    code: "N501",
    name: "smtp-size-limit-small",
    severity: Severity::Info,
    summary: "the submission server accepts only small messages",
    what: "The SMTP `SIZE` extension declares a limit under 10 MiB.",
    why: "Attachments are base64-encoded (a third larger); messages over the limit are refused when sending.",
    example: "`SIZE 1000000` → messages over about 730 KB of attachments bounce.",
    references: &["RFC 1870 §4"],
};

/// N501 from the SIZE extension.
pub fn check(i: usize, e: &EndpointReport, out: &mut Vec<Finding>) {
    let Some(size) = e
        .smtp
        .as_ref()
        .and_then(|s| s.size)
        .filter(|&n| n > 0 && n < 10 * 1024 * 1024)
    else {
        return;
    };
    out.push(finding(
        &N501,
        field(i, "smtp"),
        format!(
            "{}: messages are limited to {size} bytes (about {} KB of attachments)",
            e.label(),
            size * 3 / 4 / 1000
        ),
        "send large files another way (a link) or ask the provider",
        None,
    ));
}

#[cfg(test)]
mod vectors {
    use super::super::vectors::*;
    use super::*;
    use crate::model::{Protocol, Security};
    use crate::probe::report::{Role, SmtpInfo};

    fn submission(size: Option<u64>) -> EndpointReport {
        with(
            secure(
                endpoint(Protocol::Smtp, 465, Security::Tls, Role::Given),
                Security::Tls,
            ),
            |e| {
                e.smtp = Some(SmtpInfo {
                    size,
                    auth: vec!["PLAIN".into()],
                    ..SmtpInfo::default()
                })
            },
        )
    }

    #[test]
    fn n5xx() {
        let vector = |what, size, codes| Vector {
            what,
            input: Input::Endpoint(submission(size)),
            codes,
        };
        run(
            &[&N501],
            &[
                vector("SIZE 1000000", Some(1_000_000), &["N501"]),
                vector("SIZE 10 MiB", Some(10 * 1024 * 1024), &[]),
                vector("SIZE 0: no limit declared", Some(0), &[]),
                vector("no SIZE", None, &[]),
            ],
        );
    }
}
