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
    what: "The SMTP `SIZE` extension declares a limit under 10 MB (10,000,000 bytes: Postfix's default, 10,240,000, \
           is the usual \"10 MB\" and not small). Said once per host, for the endpoints named first.",
    why: "Attachments are base64-encoded (a third larger); messages over the limit are refused when sending.",
    example: "`SIZE 1000000` → messages over about 730 KB of attachments bounce.",
    references: &["RFC 1870 §4"],
};

/// Below this a size limit is small: 10 MB as providers write it.
const SMALL: u64 = 10_000_000;

/// N501 from the SIZE extension: once per host and limit, on the first endpoint that declares it
/// (the one named before the alternatives probed to find a fix).
pub fn overall(endpoints: &[EndpointReport], out: &mut Vec<Finding>) {
    let mut said: Vec<(&str, u64)> = Vec::new();
    for (i, e) in endpoints.iter().enumerate() {
        let Some(size) = e
            .smtp
            .as_ref()
            .and_then(|s| s.size)
            .filter(|&n| n > 0 && n < SMALL)
        else {
            continue;
        };
        if said.contains(&(e.host.as_str(), size)) {
            continue;
        }
        said.push((&e.host, size));
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
            input: Input::Overall(vec![submission(size)], false),
            codes,
        };
        let on = |port, size| with(submission(Some(size)), |e| e.port = port);
        run(
            &[&N501],
            &[
                vector("SIZE 1000000", Some(1_000_000), &["N501"]),
                vector("SIZE 10 MiB", Some(10 * 1024 * 1024), &[]),
                vector("Postfix's default, 10240000", Some(10_240_000), &[]),
                vector("no SIZE", None, &[]),
                Vector {
                    what: "the same small limit on three endpoints of a host: said once",
                    input: Input::Overall(
                        vec![on(465, 1_000_000), on(587, 1_000_000), on(2525, 1_000_000)],
                        false,
                    ),
                    codes: &["N501"],
                },
            ],
        );
    }
}
