// mailsetup custom elements for documentation sites (and for mailsetup's own page).
//
//   <script type="module" src="…/elements.js"></script>
//   <mail-settings provider="gmail" protocol="imap"></mail-settings>
//   <mail-settings-check></mail-settings-check>
//
// Everything runs in the browser: the WebAssembly module beside this file does the work, and
// nothing is sent anywhere. Every piece of text is inserted with textContent / Text nodes, never
// as HTML. Styles live in constructable stylesheets (styles.js), so a strict
// Content-Security-Policy (style-src 'self') is enough; the host page needs
// `script-src 'self' 'wasm-unsafe-eval'`.

import { LABELS } from './labels.js';
import { FIELD_NAME, h, fill, copyable, settingsRows } from './ui.js';
import { ready, documents, providerTable } from './wasm.js';
import { endpoints, usernameFor, usernameValue, findProvider, signIn, noAccessNote, switchFor, newestSourceDate } from './providers.js';
import { styles } from './styles.js';
import { Checker } from './checker.js';

export { ready, documents };

// ------------------------------------------------------------------------------------------------
// <mail-settings provider="gmail" protocol="imap" email="someone@gmail.com">
//
// The settings table of a provider's help page: server, port, security, username, authentication
// per protocol, with copy buttons. `provider`: an id, an email address or a domain. `protocol`:
// imap, pop3 or smtp, or several separated by spaces/commas; absent: every protocol offered.
// `email` (optional) fills in the username.

export class MailSettings extends HTMLElement {
  static observedAttributes = ['provider', 'protocol', 'email'];

  constructor() {
    super();
    this.attachShadow({ mode: 'open' }).adoptedStyleSheets = styles('base', 'settings');
    this.status = h('p', { class: 'sr', role: 'status', 'aria-live': 'polite' });
    this.body = h('div', { part: 'body' });
    this.shadowRoot.append(this.body, this.status);
  }

  connectedCallback() {
    this.render();
  }

  attributeChangedCallback() {
    if (this.isConnected) this.render();
  }

  async render() {
    const generation = (this.generation = (this.generation ?? 0) + 1);
    let m;
    try {
      m = await ready();
    } catch (e) {
      fill(this.body, h('p', { class: 'missing' }, `The settings could not be loaded: ${e.message}`));
      return;
    }
    if (generation !== this.generation) return;
    const query = (this.getAttribute('provider') ?? '').trim();
    const provider = findProvider(m, providerTable(), query);
    if (!provider) {
      fill(this.body, h('p', { class: 'missing' }, query ? `No provider “${query}” in mailsetup's table.` : 'Choose a provider.'));
      this.dataset.state = 'missing';
      return;
    }
    const wanted = (this.getAttribute('protocol') ?? '').toLowerCase().split(/[\s,]+/).filter((p) => p in LABELS.protocol);
    const protocols = wanted.length ? wanted : Object.keys(LABELS.protocol).filter((p) => endpoints(provider, p).length);
    const email = this.getAttribute('email') ?? '';
    const cards = protocols.map((p) => settingsCard(provider, p, email, this.status));
    const latest = newestSourceDate(provider);
    const help = provider.help?.[0];
    fill(
      this.body,
      protocols.length ? h('div', { class: 'cards' }, cards) : h('p', { class: 'missing' }, noAccessNote(provider) ?? `${provider.name} offers no IMAP, POP3 or SMTP access.`),
      h(
        'p',
        { class: 'source', part: 'source' },
        'Source: ',
        help ? h('a', { href: help.url, rel: 'noopener noreferrer', target: '_blank' }, `${provider.name} help`) : `${provider.name}'s sources`,
        latest ? `, as of ${latest}.` : '.',
      ),
    );
    this.dataset.state = 'ready';
    this.dataset.provider = provider.id;
  }
}

/** The table for one protocol of one provider. */
export function settingsCard(provider, protocol, email, status) {
  const name = LABELS.protocol[protocol];
  const eps = endpoints(provider, protocol);
  const caption = h('figcaption', null, `${name} `, h('small', null, `${LABELS.protocolRole[protocol]} · ${provider.name}`));
  if (eps.length === 0) {
    return h('figure', { 'data-protocol': protocol, part: 'card' }, caption, h('p', { class: 'notes' }, noAccessNote(provider) ?? `${provider.name} does not offer ${name}.`));
  }
  const [best, ...others] = eps;
  const format = best.username;
  const sign = signIn(provider, protocol);
  const userValue = usernameValue(format, email);
  const table = settingsRows(
    [
      [FIELD_NAME.host, copyable(best.host, `${name} server`, status)],
      [
        FIELD_NAME.port,
        copyable(best.port, `${name} port`, status),
        others.map((o) => h('div', { class: 'alt' }, `or ${o.port} with ${LABELS.security[o.security]}${o.host !== best.host ? ` at ${o.host}` : ''}`)),
      ],
      [FIELD_NAME.security, LABELS.security[best.security]],
      [FIELD_NAME.username, userValue ? copyable(userValue, `${name} username`, status) : usernameFor(format, email)],
      [FIELD_NAME.auth, sign.methods.map((a) => LABELS.auth[a] ?? a).join(' or ')],
    ],
    `${provider.name} ${name} settings`,
  );
  const notes = [];
  const toggle = switchFor(provider, protocol);
  if (toggle) notes.push(h('li', null, 'Switch it on first: ', toggle.steps));
  if (sign.note) notes.push(h('li', null, sign.note));
  if (protocol === 'pop3') for (const p of provider.pop3 ?? []) notes.push(h('li', null, p.summary));
  return h('figure', { 'data-protocol': protocol, part: 'card' }, caption, table, h('ul', { class: 'notes' }, notes));
}

// ------------------------------------------------------------------------------------------------
// <mail-settings-check protocol="imap" rules-href="rules.html">
// <mail-settings-check account email="someone@example.com" rules-href="rules.html">
//
// A live checker (checker.js): findings on every keystroke, beside their fields, each with
// "Apply fix" when the fix is known, and "Fix all". Without `account`, one server (`protocol`,
// `host`, `port`, `security`, `auth`, `username` give the starting values); with it, the whole
// account: the email address picks the provider and fills in its settings, incoming (IMAP or
// POP3, with the POP3 options) and outgoing servers. Fires `mailsetup-report` (detail: the Report)
// after each check that changed it; `data-verdict` says the state. `rules-href`: where the rule
// documentation lives (codes become links).

export class MailSettingsCheck extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: 'open' }).adoptedStyleSheets = styles('base', 'check');
  }

  connectedCallback() {
    if (this.checker) return;
    const attr = (name) => this.getAttribute(name) ?? undefined;
    this.checker = new Checker(this.shadowRoot, {
      account: this.hasAttribute('account'),
      protocol: attr('protocol'),
      email: attr('email'),
      server: { host: attr('host'), port: attr('port'), security: attr('security'), auth: attr('auth'), username: attr('username') },
      rulesHref: () => this.getAttribute('rules-href'),
      onCheck: (state, report, changed) => {
        this.dataset.verdict = state;
        if (changed) this.dispatchEvent(new CustomEvent('mailsetup-report', { detail: report, bubbles: true, composed: true }));
      },
    });
    this.started = this.checker.start();
  }

  /** The report on screen (undefined while the form is empty or cannot be read). */
  get report() {
    return this.checker?.report ?? undefined;
  }

  /** The settings as typed (an Account with `account`, else a Server; ports as typed). */
  value() {
    return this.checker?.value();
  }

  /** Checks the form again (once the module is loaded). */
  async check() {
    await this.started;
    this.checker?.check();
  }

  /** Fills the form with settings (an Account or a Server, as validate() takes them) and checks them. */
  async load(settings) {
    await this.started;
    this.checker?.load(settings);
  }

  /** Applies one finding's fix, as its "Apply fix" button does. */
  applyFix(fix) {
    this.checker?.applyFix(fix);
  }

  /** Applies every fix, as "Fix all" does. */
  fixAll() {
    this.checker?.fixAll();
  }

  /** Moves keyboard focus to the verdict without scrolling (after filling the form from elsewhere). */
  focusVerdict() {
    this.checker?.verdict.focus({ preventScroll: true });
  }
}

if (!customElements.get('mail-settings')) customElements.define('mail-settings', MailSettings);
if (!customElements.get('mail-settings-check')) customElements.define('mail-settings-check', MailSettingsCheck);
