// Types for elements.js: the <mail-settings> and <mail-settings-check> custom elements.
import type * as api from './mailsetup.js';
import type * as documentsApi from './mailsetup_documents.js';
import type { Discovery } from './mailsetup_discovery.js';
import type { Report, Provider, Protocol, Fix, Settings, Server, Account } from './mailsetup.js';

/** Loads the main WebAssembly module once; resolves to its API (validate, advise, providers, …). */
export function ready(): Promise<typeof api>;

/** Loads the documents module once, on first use; resolves to its API (rules, exportConfig,
 * lintAutoconfig, version). */
export function documents(): Promise<typeof documentsApi>;

/**
 * `<mail-settings provider="gmail" protocol="imap" email="someone@gmail.com">`: a provider's
 * settings table (server, port, security, username, authentication) with copy buttons.
 * `provider`: an id, an email address or a domain; `protocol`: imap, pop3, smtp or several
 * (space or comma separated), absent for all offered; `email`: fills in the username (and picks
 * the provider when `provider` is absent). With `discover`, a domain not in the table gets a
 * "Look up" button: its MX and SRV records through DNS-over-HTTPS (`doh-resolver`), only after
 * the click; then `data-state="discovered"` and a `mailsetup-discovery` event (detail: the
 * Discovery).
 */
export class MailSettings extends HTMLElement {
  static observedAttributes: string[];
  render(): Promise<void>;
}

/** A server as the checker's form holds it: the port as typed (the core explains what is wrong
 * with it), the menus' values as chosen. */
export type TypedServer = Omit<Server, 'port'> & { port: string };
/** An account as the checker's form holds it. */
export type TypedAccount = Omit<Account, 'incoming' | 'outgoing'> & { incoming: TypedServer; outgoing?: TypedServer };

/**
 * `<mail-settings-check protocol="imap" rules-href="rules.html">`: a live checker for one server
 * (`protocol`, `host`, `port`, `security`, `auth`, `username` give its starting values), or with
 * `account` (and optionally `email`) for a whole account: the address picks the provider and fills
 * in its settings, incoming and outgoing servers, POP3 options. Findings appear beside their
 * fields with "Apply fix"; "Fix all" applies every fix. `data-verdict` holds the state (`ok`,
 * `info`, `warning`, `error`, `empty`, `invalid`, `loading`, `failed`). Fires `mailsetup-report`
 * (detail: the Report) after every check that changed it.
 */
export class MailSettingsCheck extends HTMLElement {
  /** The report on screen; undefined while the form is empty or cannot be read. */
  readonly report: Report | undefined;
  /** The settings as typed (undefined before the element is connected). */
  value(): TypedServer | TypedAccount | undefined;
  /** Checks the form again, once the module is loaded. */
  check(): Promise<void>;
  /** Fills the form with settings and checks them. */
  load(settings: Settings): Promise<void>;
  /** Applies one finding's fix, as its "Apply fix" button does. */
  applyFix(fix: Fix): void;
  /** Applies every fix of the report on screen, as "Fix all" does. */
  fixAll(): void;
  /** Moves keyboard focus to the verdict, without scrolling. */
  focusVerdict(): void;
}

export function settingsCard(provider: Provider, protocol: Protocol, email: string, status?: HTMLElement): HTMLElement;

declare global {
  interface HTMLElementTagNameMap {
    'mail-settings': MailSettings;
    'mail-settings-check': MailSettingsCheck;
  }
  interface HTMLElementEventMap {
    'mailsetup-report': CustomEvent<Report>;
    'mailsetup-discovery': CustomEvent<Discovery>;
  }
}
