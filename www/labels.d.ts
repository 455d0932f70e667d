// Types for labels.js: the words mailsetup uses for its vocabulary (generated from the Rust core's
// src/model/labels.rs, the one source; the CLI says the same).
import type { Protocol, Security, Auth, UsernameFormat, Severity, CredentialKind } from './mailsetup.js';

export const LABELS: {
  /** "IMAP", "POP3", "SMTP". */
  readonly protocol: Readonly<Record<Protocol, string>>;
  /** What a protocol is for, lower case to compose: "incoming mail", "outgoing mail". */
  readonly protocolRole: Readonly<Record<Protocol, string>>;
  /** Connection security as a settings table says it ("None (unencrypted)"). */
  readonly security: Readonly<Record<Security, string>>;
  /** Connection security as a mail app's menu says it ("None"). */
  readonly securityShort: Readonly<Record<Security, string>>;
  /** Sign-in methods as a settings table says them ("OAuth2 (sign in with the provider)"). */
  readonly auth: Readonly<Record<Auth, string>>;
  /** Sign-in methods as a mail app's menu says them ("OAuth2"). */
  readonly authShort: Readonly<Record<Auth, string>>;
  /** What to type as the username, in words, for each username format. */
  readonly username: Readonly<Record<UsernameFormat, string>>;
  /** The credential a provider's help names ("an app password"), for each credential kind. */
  readonly credential: Readonly<Record<CredentialKind, string>>;
  /** "Error", "Warning", "Advice". */
  readonly severity: Readonly<Record<Severity, string>>;
};
