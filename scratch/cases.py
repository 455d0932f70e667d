# Scratch: the vector inputs, reviewed by hand before being written to tests/vectors/.
def srv(protocol, host, port, security, **kw):
    d = {"protocol": protocol, "host": host, "port": port, "security": security}
    d.update(kw)
    return d

def acc(incoming, email=None, outgoing=None, pop3=None):
    d = {}
    if email is not None: d["email"] = email
    d["incoming"] = incoming
    if outgoing is not None: d["outgoing"] = outgoing
    if pop3 is not None: d["pop3"] = pop3
    return d

G = "me@gmail.com"
GI = srv("imap", "imap.gmail.com", 993, "tls", auth="app-password", username=G)
GS = srv("smtp", "smtp.gmail.com", 465, "tls", auth="app-password", username=G)
CASES = [
 # host
 ("host-empty-bare", "an empty host, no provider known: nothing to suggest", srv("imap", "", 993, "tls")),
 ("host-empty-gmail", "an empty host on a Gmail account: the provider's IMAP host is the fix", acc(srv("imap", " ", 993, "tls", auth="oauth2", username=G), G, GS)),
 ("host-url-with-port", "a pasted imaps:// URL with a port and a path", srv("imap", "imaps://imap.example.com:993/INBOX", 993, "tls")),
 ("host-mailto", "a pasted mailto: address", srv("smtp", "mailto:me@smtp.example.com", 465, "tls")),
 ("host-email-address", "an email address typed as the host", srv("smtp", "me@smtp.example.com", 465, "tls")),
 ("host-with-port", "host:port typed into the host field", srv("smtp", "smtp.example.com:587", 587, "starttls")),
 ("host-double-dot", "an empty label: no fix for an unknown host", srv("imap", "imap..example.com", 993, "tls")),
 ("host-underscore", "an underscore is not allowed in a host name", srv("imap", "mail_server.example.com", 993, "tls")),
 ("host-double-dot-gmail", "a broken known host is still recognised and corrected", srv("imap", "imap..gmail.com", 993, "tls", auth="oauth2")),
 ("host-idna", "an internationalised host name is valid", srv("imap", "mail.bücher.example", 993, "tls")),
 ("host-not-canonical", "spaces, capitals and a trailing dot", srv("imap", " IMAP.Example.com. ", 993, "tls")),
 ("host-typo-gmail", "a swapped letter in Gmail's IMAP host", srv("imap", "imap.gmial.com", 993, "tls", auth="oauth2")),
 ("host-typo-tld", "a misspelt .com", srv("smtp", "smtp.gmail.con", 465, "tls", auth="oauth2")),
 ("host-typo-missing-dot", "a missing dot", srv("imap", "imapgmail.com", 993, "tls", auth="oauth2")),
 ("host-own-domain-not-typo", "a host under the person's own domain is never a misspelling", acc(srv("imap", "imap.gmial.com", 993, "tls", auth="password", username="me@gmial.com"), "me@gmial.com", srv("smtp", "smtp.gmial.com", 465, "tls", auth="password", username="me@gmial.com"))),
 ("host-country-suffix-not-typo", "a different two-letter country suffix is another name, not a typo", srv("imap", "imap.gmail.de", 993, "tls")),
 ("host-other-provider", "a Gmail address with iCloud's IMAP host", acc(srv("imap", "imap.mail.me.com", 993, "tls", auth="app-password", username=G), G, GS)),
 ("host-not-documented", "a Gmail address with a host Gmail does not document for IMAP", acc(srv("imap", "mail.google.com", 993, "tls", auth="app-password", username=G), G, GS)),
 ("host-pop-for-imap", "Gmail's POP3 host used for IMAP", srv("imap", "pop.gmail.com", 993, "tls", auth="oauth2")),
 ("host-imap-for-pop", "Gmail's IMAP host used for POP3", srv("pop3", "imap.gmail.com", 995, "tls", auth="oauth2", username="recent:me@gmail.com")),
 ("host-smtp-for-imap", "Gmail's SMTP host used for reading mail", srv("imap", "smtp.gmail.com", 993, "tls", auth="oauth2")),
 ("host-shared-by-protocols", "Outlook.com serves IMAP and POP3 on one host", srv("pop3", "outlook.office365.com", 995, "tls", auth="oauth2")),
 ("host-public-ip", "a public IP address with TLS: the certificate names a host", srv("imap", "142.250.27.108", 993, "tls")),
 ("host-private-ip", "a private IP address with STARTTLS", srv("smtp", "192.168.1.10", 587, "starttls")),
 ("host-ip-gmail-account", "an IP address on a Gmail account: the documented host is the fix", acc(srv("imap", "142.250.27.108", 993, "tls", auth="oauth2", username=G), G, GS)),
 # port
 ("port-imap-on-pop3s", "IMAP on the POP3-over-TLS port", srv("imap", "imap.example.com", 995, "tls")),
 ("port-smtp-on-imaps", "SMTP on the IMAP-over-TLS port", srv("smtp", "smtp.example.com", 993, "tls")),
 ("port-pop3-on-submission", "POP3 on the submission port with STARTTLS", srv("pop3", "pop.example.com", 587, "starttls")),
 ("port-imaps-with-starttls", "STARTTLS on the implicit-TLS port 993", srv("imap", "imap.example.com", 993, "starttls")),
 ("port-imap-with-tls", "implicit TLS on the STARTTLS port 143: the port moves to 993", srv("imap", "imap.example.com", 143, "tls")),
 ("port-submission-with-tls", "implicit TLS on 587: the port moves to 465", srv("smtp", "smtp.example.com", 587, "tls")),
 ("port-submissions-with-starttls", "STARTTLS on 465", srv("smtp", "smtp.example.com", 465, "starttls")),
 ("port-pop3s-with-none", "no encryption on 995: cannot connect", srv("pop3", "pop.example.com", 995, "none")),
 ("port-25-starttls", "a mail client on the relay port 25", srv("smtp", "smtp.example.com", 25, "starttls")),
 ("port-25-tls-gmail", "port 25 with TLS at Gmail", srv("smtp", "smtp.gmail.com", 25, "tls", auth="app-password")),
 ("port-25-none", "port 25 without encryption: relay port and cleartext password", srv("smtp", "smtp.example.com", 25, "none", auth="password")),
 ("port-gmail-143", "Gmail's IMAP host on 143: Gmail serves IMAP only on 993 with TLS", srv("imap", "imap.gmail.com", 143, "starttls", auth="oauth2")),
 ("port-nonstandard", "a non-standard SMTP port: allowed, nothing inferred", srv("smtp", "smtp.example.com", 2525, "starttls", auth="password")),
 ("port-nonstandard-cleartext", "a non-standard port without encryption: the fix is not knowable", srv("imap", "imap.example.com", 10143, "none", auth="password")),
 ("port-outlook-465-starttls", "Outlook.com sends only on 587 with STARTTLS", srv("smtp", "smtp-mail.outlook.com", 465, "starttls", auth="oauth2")),
 ("port-outlook-587-tls", "implicit TLS on Outlook.com's STARTTLS port", srv("smtp", "smtp-mail.outlook.com", 587, "tls", auth="oauth2")),
 ("port-imap-on-smtp-port-loopback", "a loopback server on a port of another protocol", srv("imap", "127.0.0.1", 465, "none", auth="none")),
 # tls
 ("tls-cleartext-imap", "a password over an unencrypted IMAP connection", srv("imap", "imap.example.com", 143, "none", auth="password")),
 ("tls-cleartext-no-auth-said", "no auth said over no encryption: clients send the password", srv("pop3", "pop.example.com", 110, "none")),
 ("tls-cleartext-oauth", "an OAuth2 token over no encryption", srv("smtp", "smtp.example.com", 587, "none", auth="oauth2")),
 ("tls-loopback-bridge", "a local bridge on a non-standard port without encryption: a warning, no fix", srv("imap", "127.0.0.1", 1143, "none", auth="password")),
 ("tls-loopback-standard-port", "a local server on 143 without encryption", srv("imap", "::1", 143, "none", auth="password")),
 ("tls-cleartext-no-auth", "no sign-in and no encryption: mail readable on the way", srv("smtp", "smtp.example.com", 587, "none", auth="none")),
 ("tls-gmail-starttls-advice", "Gmail's STARTTLS submission: implicit TLS is offered", srv("smtp", "smtp.gmail.com", 587, "starttls", auth="app-password", username=G)),
 ("tls-gmail-implicit-clean", "Gmail's implicit-TLS submission: nothing to say", srv("smtp", "smtp.gmail.com", 465, "tls", auth="app-password", username=G)),
 ("tls-acceptance-example", "the issue's example: a misspelt Gmail host, the POP3 port and STARTTLS", srv("imap", "imap.gmial.com", 995, "starttls")),
 ("tls-acceptance-example-account", "the issue's example as an account with an address", acc(srv("imap", "imap.gmial.com", 995, "starttls", auth="password", username="me"), G)),
 # auth / username
 ("auth-username-empty", "an empty username", srv("imap", "imap.example.com", 993, "tls", username="")),
 ("auth-username-empty-gmail", "an empty username on a Gmail account", acc(srv("imap", "imap.gmail.com", 993, "tls", auth="oauth2", username="  "), G, GS)),
 ("auth-username-not-given", "no username on a Gmail account", acc(srv("imap", "imap.gmail.com", 993, "tls", auth="oauth2"), G, GS)),
 ("auth-username-padded", "spaces around the username", srv("imap", "imap.example.com", 993, "tls", username=" me@example.com ")),
 ("auth-username-inner-space", "a space inside the username", srv("imap", "imap.example.com", 993, "tls", username="john smith")),
 ("auth-username-local-gmail", "only the part before the @ at Gmail", acc(srv("imap", "imap.gmail.com", 993, "tls", auth="app-password", username="me"), G, GS)),
 ("auth-username-local-icloud-smtp", "iCloud's SMTP wants the whole address", acc(srv("imap", "imap.mail.me.com", 993, "tls", auth="app-password", username="me"), "me@icloud.com", srv("smtp", "smtp.mail.me.com", 587, "starttls", auth="app-password", username="me"))),
 ("auth-username-icloud-imap-local", "iCloud's IMAP takes the part before the @", acc(srv("imap", "imap.mail.me.com", 993, "tls", auth="app-password", username="me"), "me@icloud.com", srv("smtp", "smtp.mail.me.com", 587, "starttls", auth="app-password", username="me@icloud.com"))),
 ("auth-username-syntax", "two @ in the username", srv("imap", "imap.example.com", 993, "tls", username="me@@example.com")),
 ("auth-username-syntax-gmail", "a broken address at Gmail: the account's address is the fix", acc(srv("imap", "imap.gmail.com", 993, "tls", auth="oauth2", username="me@gmail"), G, GS)),
 ("auth-email-no-at", "an email address without @", acc(srv("imap", "imap.example.com", 993, "tls"), "me.example.com")),
 ("auth-email-double-dot", "an email domain with an empty label", acc(srv("imap", "imap.example.com", 993, "tls"), "me@example..com")),
 ("auth-email-idna", "an internationalised address is valid", acc(srv("imap", "imap.example.com", 993, "tls", username="jörg"), "jörg@bücher.example", srv("smtp", "smtp.example.com", 465, "tls", username="jörg"))),
 ("auth-username-other-provider", "an iCloud address as the Gmail username", acc(srv("imap", "imap.gmail.com", 993, "tls", auth="oauth2", username="me@icloud.com"), G, GS)),
 ("auth-encrypted-password-cleartext", "CRAM-MD5/APOP over no encryption", srv("pop3", "pop.example.com", 110, "none", auth="encrypted-password")),
 ("auth-encrypted-password-tls", "CRAM-MD5 over TLS at an unknown server: advice", srv("imap", "imap.example.com", 993, "tls", auth="encrypted-password")),
 ("auth-client-certificate-cleartext", "a client certificate without TLS", srv("imap", "imap.example.com", 143, "none", auth="client-certificate")),
 ("auth-none-gmail", "no sign-in at Gmail", srv("imap", "imap.gmail.com", 993, "tls", auth="none")),
 ("auth-none-smtp", "no sign-in for sending", srv("smtp", "smtp.example.com", 587, "starttls", auth="none")),
 # provider policy
 ("provider-outlook-password", "Outlook.com refuses passwords: OAuth2 only", acc(srv("imap", "outlook.office365.com", 993, "tls", auth="password", username="me@outlook.com"), "me@outlook.com", srv("smtp", "smtp-mail.outlook.com", 587, "starttls", auth="app-password", username="me@outlook.com"))),
 ("provider-gmail-password", "Gmail refuses the normal password: app password", srv("imap", "imap.gmail.com", 993, "tls", auth="password", username=G)),
 ("provider-icloud-password", "iCloud needs an app-specific password", srv("imap", "imap.mail.me.com", 993, "tls", auth="password", username="me")),
 ("provider-gmail-encrypted-password", "Gmail has no CRAM-MD5", srv("imap", "imap.gmail.com", 993, "tls", auth="encrypted-password", username=G)),
 ("provider-gmail-no-auth", "no auth said at Gmail: advice with the accepted methods", srv("imap", "imap.gmail.com", 993, "tls", username=G)),
 ("provider-gmail-pop-toggle", "Gmail's POP must be enabled in its web settings", srv("pop3", "pop.gmail.com", 995, "tls", auth="oauth2", username="recent:me@gmail.com")),
 ("provider-icloud-pop3", "iCloud has no POP3", acc(srv("pop3", "pop.mail.me.com", 995, "tls", auth="app-password", username="me"), "me@icloud.com", srv("smtp", "smtp.mail.me.com", 587, "starttls", auth="app-password", username="me@icloud.com"))),
 ("provider-icloud-pop3-bare", "iCloud's IMAP host used for POP3", srv("pop3", "imap.mail.me.com", 995, "tls")),
 ("provider-different-providers", "Gmail incoming with iCloud outgoing, no address given", acc(srv("imap", "imap.gmail.com", 993, "tls", auth="app-password", username=G), None, srv("smtp", "smtp.mail.me.com", 587, "starttls", auth="app-password", username=G))),
 # pop3
 ("pop3-no-server-copy", "POP3 that deletes from the server", acc(srv("pop3", "pop.example.com", 995, "tls", username="me"), None, srv("smtp", "smtp.example.com", 465, "tls", username="me"), {"leaveOnServer": False})),
 ("pop3-delete-after-without-leave", "days set without leaving a copy", acc(srv("pop3", "pop.example.com", 995, "tls", username="me"), None, srv("smtp", "smtp.example.com", 465, "tls", username="me"), {"leaveOnServer": False, "deleteAfterDays": 14})),
 ("pop3-delete-after-zero", "zero days", acc(srv("pop3", "pop.example.com", 995, "tls", username="me"), None, srv("smtp", "smtp.example.com", 465, "tls", username="me"), {"leaveOnServer": True, "deleteAfterDays": 0})),
 ("pop3-keep-fourteen-days", "a copy kept 14 days: fine", acc(srv("pop3", "pop.example.com", 995, "tls", username="me"), None, srv("smtp", "smtp.example.com", 465, "tls", username="me"), {"leaveOnServer": True, "deleteAfterDays": 14})),
 ("pop3-options-with-imap", "POP3 options on an IMAP account", acc(srv("imap", "imap.example.com", 993, "tls", username="me"), None, srv("smtp", "smtp.example.com", 465, "tls", username="me"), {"leaveOnServer": False})),
 ("pop3-gmail-recent-advice", "Gmail POP3 without recent mode", acc(srv("pop3", "pop.gmail.com", 995, "tls", auth="app-password", username=G), G, GS, {"leaveOnServer": True})),
 ("pop3-recent-on-imap", "recent: with IMAP", srv("imap", "imap.gmail.com", 993, "tls", auth="oauth2", username="recent:me@gmail.com")),
 ("pop3-recent-elsewhere", "recent: at a server without recent mode", srv("pop3", "pop.example.com", 995, "tls", username="recent:me@example.com")),
 ("pop3-gmail-no-copy", "Gmail POP3 set to delete: the client option and Gmail's own setting", acc(srv("pop3", "pop.gmail.com", 995, "tls", auth="app-password", username="recent:me@gmail.com"), G, GS, {"leaveOnServer": False})),
 # account
 ("account-no-outgoing-gmail", "a Gmail account with no outgoing server: Gmail's SMTP is the fix", acc(srv("imap", "imap.gmail.com", 993, "tls", auth="app-password", username=G), G)),
 ("account-no-outgoing-unknown", "no outgoing server, provider unknown", acc(srv("imap", "imap.example.com", 993, "tls", username="me"), "me@example.com")),
 ("account-incoming-smtp", "an SMTP server as the incoming server", acc(srv("smtp", "smtp.example.com", 465, "tls", username="me"), None, srv("smtp", "smtp.example.com", 465, "tls", username="me"))),
 ("account-outgoing-imap", "an IMAP server as the outgoing server", acc(srv("imap", "imap.example.com", 993, "tls", username="me"), None, srv("imap", "imap.example.com", 993, "tls", username="me"))),
 ("account-gmail-clean", "a correct Gmail account", acc(GI, G, GS)),
 ("account-generic-clean", "a correct account at an unknown provider", acc(srv("imap", "mail.example.org", 993, "tls", auth="password", username="me@example.org"), "me@example.org", srv("smtp", "mail.example.org", 465, "tls", auth="password", username="me@example.org"))),
 ("account-custom-domain-outlook", "a custom domain on Microsoft's servers: judged by host", acc(srv("imap", "outlook.office365.com", 993, "tls", auth="password", username="me@contoso.example"), "me@contoso.example", srv("smtp", "smtp-mail.outlook.com", 587, "starttls", auth="oauth2", username="me@contoso.example"))),
 ("account-icloud-clean", "a correct iCloud account", acc(srv("imap", "imap.mail.me.com", 993, "tls", auth="app-password", username="me"), "me@icloud.com", srv("smtp", "smtp.mail.me.com", 587, "starttls", auth="app-password", username="me@icloud.com"))),
 ("account-everything-wrong", "many mistakes at once: every fix lands in fixed", acc(srv("imap", "imaps://IMAP.gmial.com/", 995, "starttls", auth="password", username=" me "), G, srv("smtp", "smtp.gmail.com:25", 25, "none", auth="password", username="recent:me@gmail.com"), {"leaveOnServer": False})),
]

ERRORS = [
 ("error-not-json", "text that is not JSON", "imap.gmail.com:993", "input is not valid JSON"),
 ("error-unknown-field", "a misspelt key gets a suggestion", '{"protocol":"imap","host":"imap.gmail.com","prot":993,"security":"tls"}', "did you mean `port`"),
 ("error-unknown-security", "a value outside the vocabulary", '{"incoming":{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tsl"}}', "`incoming.security`: unknown value `tsl` (did you mean `tls`?)"),
 ("error-port-zero", "port 0", '{"protocol":"imap","host":"imap.gmail.com","port":0,"security":"tls"}', "port 0 is outside 1-65535"),
 ("error-port-too-big", "port 70000", '{"protocol":"imap","host":"imap.gmail.com","port":70000,"security":"tls"}', "port 70000 is outside 1-65535"),
 ("error-array", "an array instead of an object", '[{"protocol":"imap"}]', "expected an object"),
 ("error-missing-host", "a server without a host", '{"protocol":"imap","port":993,"security":"tls"}', "missing field `host`"),
]
