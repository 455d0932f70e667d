// Generated from src/model/labels.rs by `UPDATE_LABELS=1 cargo test --test labels`. Do not edit.
export const LABELS = {
  "protocol": {"imap": "IMAP", "pop3": "POP3", "smtp": "SMTP"},
  "protocolRole": {"imap": "incoming mail", "pop3": "incoming mail", "smtp": "outgoing mail"},
  "security": {"tls": "SSL/TLS", "starttls": "STARTTLS", "none": "None (unencrypted)"},
  "securityShort": {"tls": "SSL/TLS", "starttls": "STARTTLS", "none": "None"},
  "auth": {"password": "Normal password", "app-password": "App password", "oauth2": "OAuth2 (sign in with the provider)", "encrypted-password": "Encrypted password (CRAM-MD5)", "client-certificate": "TLS client certificate", "none": "No authentication"},
  "authShort": {"password": "Normal password", "app-password": "App password", "oauth2": "OAuth2", "encrypted-password": "Encrypted password", "client-certificate": "Client certificate", "none": "None"},
  "username": {"email-address": "your full email address", "local-part": "the part of your address before the @", "either": "your full email address (or the part before the @)", "generated": "the username your provider (or its bridge) shows you"},
  "credential": {"account-password": "the account's own password", "app-password": "an app password", "mail-password": "a separate password for mail programs", "authorization-code": "an authorization code", "secure-mail-key": "a Secure Mail Key", "external-app-password": "a password for external apps", "bridge-password": "the password its bridge shows", "oauth2": "OAuth2 (signing in through its web page)", "unknown": "an unknown credential"},
  "severity": {"error": "Error", "warning": "Warning", "info": "Advice"}
};
