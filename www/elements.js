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
//
// Importing this module anywhere is safe: in Node (a docs generator's server-side build) the
// classes are defined on a plain base class and nothing is registered; no DOM is touched until an
// element is connected. Elements that appear later (a docs site's client-side navigation, a
// framework's render) are upgraded by the browser as soon as they are in the document.

import { LABELS } from './labels.js';
import { FIELD_NAME, h, fill, own, copyable, settingsRows } from './ui.js';
import { ready, documents, providerTable, failureReason } from './wasm.js';
import { endpoints, usernameFor, usernameValue, findProvider, suggestProviders, signIn, noAccessNote, switchFor, newestSourceDate } from './providers.js';
import { styles } from './styles.js';
import { follow, unfollow, schemeFor } from './theme.js';
import { Checker } from './checker.js';
import { discoveryOffer, domainOf } from './discovery.js';
// Fetched together with the modules above rather than after wasm.js: one round trip less
// before the WebAssembly download starts when the files are served as they are.
import './pkg/mailsetup.js';

export { ready, documents };

/** HTMLElement in a browser; a stand-in where there is none (Node), so that the classes below
 * can be defined, imported and type-checked there. */
const Base = globalThis.HTMLElement ?? class {};

/** The shadow root's one box: English text laid out left to right whatever the page's direction
 * (all the elements' words are English), in the colour scheme theme.js picks. */
function shadowBox(host, sheets) {
  host.attachShadow({ mode: 'open' }).adoptedStyleSheets = styles(...sheets);
  const root = h('div', { class: 'root', part: 'root', dir: 'ltr', lang: 'en' });
  host.shadowRoot.append(root);
  host.applyScheme = () => {
    root.dataset.scheme = schemeFor(host);
  };
  return root;
}

/** Says in the element why it is empty, in plain words, with a button to try again; the
 * details go to the console for the site's author. */
function loadFailed(what, error, retry) {
  console.error(`mailsetup: the ${what} could not be loaded:`, error);
  return h(
    'p',
    { class: 'missing', role: 'alert' },
    `The ${what} could not be loaded (${failureReason(error)}).`,
    h('button', { type: 'button', class: 'retry', onclick: retry }, 'Try again'),
  );
}

// ------------------------------------------------------------------------------------------------
// <mail-settings provider="gmail" protocol="imap" email="someone@gmail.com">
//
// The settings table of a provider's help page: server, port, security, username, authentication
// per protocol, with copy buttons. `provider`: an id, an email address or a domain. `protocol`:
// imap, pop3 or smtp, or several separated by spaces/commas; absent: every protocol offered.
// `email` (optional) fills in the username (a `provider` that is an address does too). `theme`:
// `light`, `dark` or `auto` (theme.js).

// `email` alone picks the provider too. For a domain not in the table, `discover` offers a lookup
// of its DNS (MX, SRV) through DNS-over-HTTPS (discovery.js) — only after a click, and only with
// that attribute; `doh-resolver` sets the resolver.

export class MailSettings extends Base {
  static observedAttributes = ['provider', 'protocol', 'email', 'theme', 'discover', 'doh-resolver'];

  constructor() {
    super();
    const root = shadowBox(this, ['base', 'settings']);
    this.status = h('p', { class: 'sr', role: 'status', 'aria-live': 'polite' });
    this.body = h('div', { part: 'body' });
    root.append(this.body, this.status);
  }

  connectedCallback() {
    follow(this.applyScheme);
    this.render();
  }

  disconnectedCallback() {
    unfollow(this.applyScheme);
  }

  attributeChangedCallback(name) {
    if (!this.isConnected) return;
    if (name === 'theme') this.applyScheme();
    else this.render();
  }

  /** The protocols asked for (`protocol`), or null for every one the provider offers. */
  wantedProtocols() {
    const wanted = (this.getAttribute('protocol') ?? '').toLowerCase().split(/[\s,]+/).filter((p) => Object.hasOwn(LABELS.protocol, p));
    return wanted.length ? wanted : null;
  }

  /** Frames of the cards to come, at about their size, while the module loads (no layout shift
   * when they fill in). */
  placeholder() {
    const protocols = this.wantedProtocols() ?? ['imap', 'pop3', 'smtp'];
    return [
      h(
        'div',
        { class: 'cards placeholder', 'aria-busy': 'true' },
        protocols.map((p) => h('figure', { part: 'card' }, h('figcaption', null, `${LABELS.protocol[p]} `, h('small', null, 'Loading…')))),
      ),
      h('p', { class: 'source', part: 'source' }, 'Source:'),
    ];
  }

  async render() {
    const generation = (this.generation = (this.generation ?? 0) + 1);
    if (!this.dataset.state || this.dataset.state === 'failed') fill(this.body, this.placeholder());
    let m;
    try {
      m = await ready();
    } catch (e) {
      if (generation !== this.generation) return;
      fill(this.body, loadFailed('settings', e, () => this.render()));
      this.dataset.state = 'failed';
      return;
    }
    if (generation !== this.generation) return;
    const query = (this.getAttribute('provider') ?? '').trim() || (this.getAttribute('email') ?? '').trim();
    const table = providerTable();
    const provider = findProvider(m, table, query);
    if (!provider) {
      const suggestions = suggestProviders(table, query);
      const hint = suggestions.length ? ` Did you mean ${suggestions.map((p) => `“${p.id}” (${p.name})`).join(' or ')}?` : '';
      if (query) console.warn(`mailsetup: <mail-settings provider="${query}">: no such provider in mailsetup's table.${hint}`);
      fill(this.body, h('p', { class: 'missing' }, query ? `No provider “${query}” in mailsetup's table.${hint}` : 'Choose a provider.'));
      this.dataset.state = 'missing';
      if (query && this.hasAttribute('discover')) this.offerLookup(query, generation);
      return;
    }
    const protocols = this.wantedProtocols() ?? Object.keys(LABELS.protocol).filter((p) => endpoints(provider, p).length);
    const email = this.getAttribute('email') ?? (query.includes('@') ? query : '');
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

/** Offers the DNS lookup of a domain not in the table (its module loads on the click). */
MailSettings.prototype.offerLookup = function offerLookup(query, generation) {
  if (generation !== this.generation || !domainOf(query).includes('.')) return;
  this.body.append(
    discoveryOffer(query, {
      resolver: this.getAttribute('doh-resolver'),
      status: this.status,
      onDone: (discovery) => {
        this.dataset.state = 'discovered';
        this.dispatchEvent(new CustomEvent('mailsetup-discovery', { detail: discovery, bubbles: true, composed: true }));
      },
    }),
  );
};

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
        others.map((o) => h('div', { class: 'alt' }, `or ${o.port} with ${own(LABELS.security, o.security) ?? o.security}${o.host !== best.host ? ` at ${o.host}` : ''}`)),
      ],
      [FIELD_NAME.security, own(LABELS.security, best.security) ?? best.security],
      [FIELD_NAME.username, userValue ? copyable(userValue, `${name} username`, status) : usernameFor(format, email)],
      [FIELD_NAME.auth, sign.methods.map((a) => own(LABELS.auth, a) ?? a).join(' or ')],
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

export class MailSettingsCheck extends Base {
  static observedAttributes = ['protocol', 'host', 'port', 'security', 'auth', 'username', 'email', 'rules-href', 'theme'];

  constructor() {
    super();
    this.root = shadowBox(this, ['base', 'check']);
  }

  connectedCallback() {
    follow(this.applyScheme);
    if (this.checker) return;
    const attr = (name) => this.getAttribute(name) ?? undefined;
    this.checker = new Checker(this.root, {
      account: this.hasAttribute('account'),
      protocol: attr('protocol'),
      email: attr('email'),
      server: { host: attr('host'), port: attr('port'), security: attr('security'), auth: attr('auth'), username: attr('username') },
      rulesHref: () => this.getAttribute('rules-href'),
      onCheck: (state, report, changed) => {
        const before = this.dataset.verdict;
        this.dataset.verdict = state;
        // Listeners hear of every new report, and of the form becoming empty or unreadable
        // (detail null), so that they never keep a stale report.
        const cleared = (state === 'empty' || state === 'invalid') && before !== state && before !== 'loading';
        if (changed || cleared) this.dispatchEvent(new CustomEvent('mailsetup-report', { detail: changed ? report : null, bubbles: true, composed: true }));
      },
      onFailure: (error, retry) => loadFailed('checker', error, retry),
    });
    this.started = this.checker.start();
  }

  disconnectedCallback() {
    unfollow(this.applyScheme);
  }

  /** A starting value changed after the element was drawn: the form follows it. */
  attributeChangedCallback(name, old, value) {
    if (!this.checker || old === value) return;
    if (name === 'theme') this.applyScheme();
    else if (name === 'rules-href') this.checker.redraw();
    else this.checker.setStartingValue(name, value ?? '');
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

// Registered only where there is a registry (a browser): importing the module on a server
// defines nothing.
if (globalThis.customElements) {
  if (!customElements.get('mail-settings')) customElements.define('mail-settings', MailSettings);
  if (!customElements.get('mail-settings-check')) customElements.define('mail-settings-check', MailSettingsCheck);
}
