// Types for elements.js: the <mail-settings> and <mail-settings-check> custom elements.
import type * as api from './mailsetup.js';
import type * as documentsApi from './mailsetup_documents.js';
import type { Report, Provider, Protocol } from './mailsetup.js';

/** Loads the main WebAssembly module once; resolves to its API (validate, advise, providers, …). */
export function ready(): Promise<typeof api>;

/** Loads the documents module once, on first use; resolves to its API (rules, exportConfig,
 * lintAutoconfig, version). */
export function documents(): Promise<typeof documentsApi>;

/**
 * `<mail-settings provider="gmail" protocol="imap" email="someone@gmail.com">`: a provider's
 * settings table (server, port, security, username, authentication) with copy buttons.
 * `provider`: an id, an email address or a domain; `protocol`: imap, pop3, smtp or several
 * (space or comma separated), absent for all offered; `email`: fills in the username.
 */
export class MailSettings extends HTMLElement {
  static observedAttributes: string[];
  render(): Promise<void>;
}

/**
 * `<mail-settings-check protocol="imap" rules-href="rules.html">`: a compact live checker for one
 * server. Fires `mailsetup-report` (detail: the Report) after every check.
 */
export class MailSettingsCheck extends HTMLElement {
  readonly report: Report | undefined;
  value(): { protocol: Protocol; host: string; port: string; security: string };
  check(): Promise<void>;
}

export function settingsCard(provider: Provider, protocol: Protocol, email: string, status?: HTMLElement): HTMLElement;

declare global {
  interface HTMLElementTagNameMap {
    'mail-settings': MailSettings;
    'mail-settings-check': MailSettingsCheck;
  }
  interface HTMLElementEventMap {
    'mailsetup-report': CustomEvent<Report>;
  }
}
