//! Apple configuration profiles (`.mobileconfig`) with one `com.apple.mail.managed` payload.
//!
//! Unsigned (signing needs a certificate the person owns; devices show "Not Verified" and install
//! it all the same). Never contains a password: Mail asks for it after installing. The two
//! PayloadUUIDs are name-based UUIDs (RFC 9562 v5) of the settings, so the same settings always
//! give the same file, and installing it again replaces the old profile instead of adding one.
//!
//! Keys: <https://developer.apple.com/documentation/devicemanagement/mail>.

use super::xml::XmlWriter;
use super::{uuid_v5, ExportError, Format, Plan, PlanServer};
use crate::model::{Auth, Protocol, Security};

/// mailsetup's namespace for name-based UUIDs (a random v4 UUID, fixed forever).
const NAMESPACE: [u8; 16] = [
    250, 127, 91, 93, 84, 186, 78, 233, 185, 51, 140, 45, 10, 19, 83, 67,
];

/// A property-list value (the subset a mail profile needs).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    String(String),
    Integer(i64),
    Bool(bool),
    Array(Vec<Value>),
    Dict(Vec<(&'static str, Value)>),
}

fn s(v: impl Into<String>) -> Value {
    Value::String(v.into())
}

/// `EmailAuth…` for the first of the server's methods a profile can express.
fn auth_value(server: &PlanServer) -> Result<&'static str, ExportError> {
    server
        .auth
        .iter()
        .find_map(|a| match a {
            Auth::Password | Auth::AppPassword => Some("EmailAuthPassword"),
            Auth::EncryptedPassword => Some("EmailAuthCRAMMD5"),
            Auth::None => Some("EmailAuthNone"),
            _ => None,
        })
        .ok_or_else(|| {
            let first = server.auth.first().copied().unwrap_or(Auth::Password);
            ExportError::Unexpressible {
                format: Format::Mobileconfig,
                what: format!("{} on {}", super::auth_label(first), server.host),
                help: match first {
                    Auth::Oauth2 => "Apple's mail payload has no OAuth2 sign-in; on the device add the account under Settings → Mail → Accounts → Add Account, choosing the provider, or use an app password if the provider offers one".into(),
                    _ => "Apple's mail payload can only use a password, CRAM-MD5 or no sign-in".into(),
                },
            }
        })
}

pub(crate) fn write(plan: &Plan) -> Result<String, ExportError> {
    let incoming = plan.incoming.first().ok_or_else(|| {
        ExportError::InvalidAccount("there is no incoming server to put in the profile".into())
    })?;
    let outgoing = plan.outgoing.first().ok_or_else(|| ExportError::Unexpressible {
        format: Format::Mobileconfig,
        what: "an account without an outgoing server".into(),
        help: "Apple's mail payload requires an outgoing (SMTP) server; add `outgoing` to the account".into(),
    })?;
    let in_auth = auth_value(incoming)?;
    let out_auth = auth_value(outgoing)?;
    let email = plan.email.as_ref();
    let in_user = incoming.username.resolve(email);
    let out_user = outgoing.username.resolve(email);
    let who = email.map_or_else(|| plan.display_name.clone(), |e| e.address.clone());

    // The name the UUIDs derive from: every setting, length-prefixed so no two inputs collide.
    let mut name = String::from("mailsetup mobileconfig 1");
    for part in [
        who.as_str(),
        plan.display_name.as_str(),
        incoming.protocol.as_str(),
        incoming.host.as_str(),
        &incoming.port.to_string(),
        incoming.security.as_str(),
        in_auth,
        in_user.as_deref().unwrap_or(""),
        outgoing.host.as_str(),
        &outgoing.port.to_string(),
        outgoing.security.as_str(),
        out_auth,
        out_user.as_deref().unwrap_or(""),
    ] {
        name.push_str(&format!("|{}:{part}", part.len()));
    }
    let profile_uuid = uuid_v5(NAMESPACE, name.as_bytes());
    let mail_uuid = uuid_v5(NAMESPACE, format!("{name}|mail").as_bytes());
    let identifier = format!("mailsetup.profile.{}", profile_uuid.to_ascii_lowercase());

    let mut mail: Vec<(&'static str, Value)> = vec![
        ("EmailAccountDescription", s(plan.display_name.clone())),
        (
            "EmailAccountType",
            s(match incoming.protocol {
                Protocol::Pop3 => "EmailTypePOP",
                _ => "EmailTypeIMAP",
            }),
        ),
    ];
    if let Some(e) = email {
        mail.push(("EmailAddress", s(e.address.clone())));
    }
    mail.push(("IncomingMailServerAuthentication", s(in_auth)));
    mail.push(("IncomingMailServerHostName", s(incoming.host.clone())));
    mail.push((
        "IncomingMailServerPortNumber",
        Value::Integer(incoming.port.into()),
    ));
    mail.push((
        "IncomingMailServerUseSSL",
        Value::Bool(incoming.security != Security::None),
    ));
    if let Some(u) = &in_user {
        mail.push(("IncomingMailServerUsername", s(u.clone())));
    }
    mail.push(("OutgoingMailServerAuthentication", s(out_auth)));
    mail.push(("OutgoingMailServerHostName", s(outgoing.host.clone())));
    mail.push((
        "OutgoingMailServerPortNumber",
        Value::Integer(outgoing.port.into()),
    ));
    mail.push((
        "OutgoingMailServerUseSSL",
        Value::Bool(outgoing.security != Security::None),
    ));
    // A server without sign-in takes no username.
    if let Some(u) = out_user.as_ref().filter(|_| out_auth != "EmailAuthNone") {
        mail.push(("OutgoingMailServerUsername", s(u.clone())));
    }
    // One password prompt when both servers take the same login.
    let same_login = in_auth == "EmailAuthPassword" && out_auth == in_auth && in_user == out_user;
    mail.push((
        "OutgoingPasswordSameAsIncomingPassword",
        Value::Bool(same_login),
    ));
    mail.extend([
        (
            "PayloadDescription",
            s(format!("Mail account settings for {who}")),
        ),
        (
            "PayloadDisplayName",
            s(format!("{} mail", plan.display_name)),
        ),
        ("PayloadIdentifier", s(format!("{identifier}.mail"))),
        ("PayloadType", s("com.apple.mail.managed")),
        ("PayloadUUID", s(mail_uuid)),
        ("PayloadVersion", Value::Integer(1)),
    ]);
    let profile = Value::Dict(vec![
        ("PayloadContent", Value::Array(vec![Value::Dict(mail)])),
        (
            "PayloadDescription",
            s(format!(
                "Sets up {who} in Mail. It contains no password: Mail asks for it after installing."
            )),
        ),
        (
            "PayloadDisplayName",
            s(format!("{} mail: {who}", plan.display_name)),
        ),
        ("PayloadIdentifier", s(identifier)),
        ("PayloadRemovalDisallowed", Value::Bool(false)),
        ("PayloadType", s("Configuration")),
        ("PayloadUUID", s(profile_uuid)),
        ("PayloadVersion", Value::Integer(1)),
    ]);

    let mut w = XmlWriter::new(b'\t', 1);
    w.declaration("UTF-8");
    w.doctype(r#"plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd""#);
    w.start("plist", &[("version", "1.0")]);
    write_value(&mut w, &profile);
    w.end("plist");
    Ok(w.finish()?)
}

fn write_value(w: &mut XmlWriter, v: &Value) {
    match v {
        Value::String(t) => w.element("string", &[], t),
        Value::Integer(i) => w.element("integer", &[], &i.to_string()),
        Value::Bool(b) => w.empty(if *b { "true" } else { "false" }, &[]),
        Value::Array(items) => {
            w.start("array", &[]);
            for i in items {
                write_value(w, i);
            }
            w.end("array");
        }
        Value::Dict(entries) => {
            w.start("dict", &[]);
            for (k, v) in entries {
                w.element("key", &[], k);
                write_value(w, v);
            }
            w.end("dict");
        }
    }
}
