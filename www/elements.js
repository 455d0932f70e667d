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
import { FIELD_NAME, h, fill, own, cap, copyable, settingsRows } from './ui.js';
import { ready, documents, failureReason, providerNames, tableEntry } from './wasm.js';
import {
  endpoints, usernameFor, usernameValue, findProvider, suggestProviders, signIn, noAccessNote, switchFor,
  credentialsFor, plansFor, announcedFor, sourcesOf, sourceDate,
} from './providers.js';
import { OWN_ATTRIBUTES, ownWay, ownSettings, describeWay } from './own.js';
import { EXPORTS, DEFAULT_FORMATS, renderDownloads } from './downloads.js';
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
// <mail-settings name="Example University" domain="example.edu" imap-host="mail.example.edu" …>
//
// The settings table of a provider's help page: server, port, security, username, authentication
// per protocol, with copy buttons, where each setting comes from (its sources and their dates;
// what only a database says is marked unconfirmed), and what to do to sign in (the credential to
// use and how to get it, switches to turn on, limits). `provider`: an id, an email address or a
// domain. Or an organisation's own settings (own.js): inline JSON, attributes, or `autoconfig`.
// `protocol`: imap, pop3 or smtp, or several separated by spaces/commas; absent: every protocol
// offered. `email` (optional) fills in the username (a `provider` that is an address does too).
// `downloads` (optional): configuration files made for the reader's address (an address field
// and a button per file; `downloads="mobileconfig autoconfig srv"` picks them). `theme`:
// `light`, `dark` or `auto` (theme.js).

// `email` alone picks the provider too. For a domain not in the table, `discover` offers a lookup
// of its DNS (MX, SRV) through DNS-over-HTTPS (discovery.js) — only after a click, and only with
// that attribute; `doh-resolver` sets the resolver.

export class MailSettings extends Base {
  static observedAttributes = ['provider', 'protocol', 'email', 'downloads', 'theme', 'discover', 'doh-resolver', ...OWN_ATTRIBUTES];

  constructor() {
    super();
    const root = shadowBox(this, ['base', 'settings']);
    this.status = h('p', { class: 'sr', role: 'status', 'aria-live': 'polite' });
    this.body = h('div', { part: 'body' });
    root.append(this.body, this.status);
    // Inline JSON that arrives or changes after the element (a framework rendering its children).
    this.children$ = globalThis.MutationObserver ? new MutationObserver(() => this.render()) : null;
  }

  connectedCallback() {
    follow(this.applyScheme);
    this.children$?.observe(this, { childList: true, subtree: true, characterData: true });
    this.render();
  }

  disconnectedCallback() {
    unfollow(this.applyScheme);
    this.children$?.disconnect();
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

  /** The files `downloads` asks for (none without the attribute). */
  wantedDownloads() {
    if (!this.hasAttribute('downloads')) return [];
    const asked = this.getAttribute('downloads').toLowerCase().split(/[\s,]+/).filter((f) => EXPORTS.some((x) => x.format === f));
    return asked.length ? asked : DEFAULT_FORMATS;
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
    ];
  }

  /** Says why the element shows nothing: in the widget and, for the site's author, the console. */
  unusable(error) {
    const what = error.way ? `its own settings (${describeWay(error.way)})` : 'its settings';
    console.error(`mailsetup: <mail-settings>: ${what} cannot be used: ${error.message}`);
    fill(this.body, h('p', { class: 'missing', role: 'alert' }, `These settings cannot be shown: ${error.message}.`.replace(/\.\.$/, '.')));
    this.dataset.state = 'unusable';
  }

  async render() {
    const generation = (this.generation = (this.generation ?? 0) + 1);
    const current = () => generation === this.generation;
    if (!this.dataset.state || this.dataset.state === 'failed') fill(this.body, this.placeholder());
    let way;
    try {
      way = ownWay(this);
    } catch (e) {
      this.unusable(e);
      return;
    }
    let m;
    try {
      // An organisation's own settings need no provider of the table.
      m = await ready({ table: !way });
    } catch (e) {
      if (!current()) return;
      fill(this.body, loadFailed('settings', e, () => this.render()));
      this.dataset.state = 'failed';
      return;
    }
    if (!current()) return;
    const query = (this.getAttribute('provider') ?? '').trim() || (this.getAttribute('email') ?? '').trim();
    let provider;
    let definition;
    if (way) {
      let settings;
      try {
        settings = await ownSettings(this, m);
      } catch (e) {
        if (current()) this.unusable(e);
        return;
      }
      if (!current()) return;
      if (this.getAttribute('provider')) console.warn(`mailsetup: <mail-settings provider="${this.getAttribute('provider')}">: the element gives its own settings (${describeWay(way)}), which it shows instead.`);
      ({ provider, definition } = settings);
    } else {
      provider = findProvider(m, query);
      if (!provider) {
        const suggestions = query ? suggestProviders(await providerNames(), query) : [];
        if (!current()) return;
        const hint = suggestions.length ? ` Did you mean ${suggestions.map((p) => `“${p.id}” (${p.name})`).join(' or ')}?` : '';
        if (query) console.warn(`mailsetup: <mail-settings provider="${query}">: no such provider in mailsetup's table.${hint}`);
        fill(this.body, h('p', { class: 'missing' }, query ? `No provider “${query}” in mailsetup's table.${hint}` : 'Choose a provider.'));
        this.dataset.state = 'missing';
        if (query && this.hasAttribute('discover')) this.offerLookup(query, generation);
        return;
      }
      definition = tableEntry(provider.id);
    }
    this.shown = { m, provider, definition, email: this.getAttribute('email') ?? (query.includes('@') ? query : '') };
    this.cards = h('div', { class: 'cards' });
    this.draw();
    const help = provider.help?.[0];
    const formats = this.wantedDownloads();
    this.downloads = formats.length ? this.downloadsBlock(formats) : null;
    fill(
      this.body,
      this.cards,
      this.downloads,
      help
        ? h('p', { class: 'source', part: 'source' }, `${provider.name}'s help: `, h('a', { href: help.url, rel: 'noopener noreferrer', target: '_blank' }, help.title), factMarks(provider, help))
        : null,
    );
    this.dataset.state = 'ready';
    this.dataset.provider = provider.id;
  }

  /** Draws the cards for the address shown (it fills in the username). */
  draw() {
    const { m, provider, definition, email } = this.shown;
    const protocols = this.wantedProtocols() ?? Object.keys(LABELS.protocol).filter((p) => endpoints(provider, p).length);
    const judge = (server) => basisOf(m, definition, server);
    fill(
      this.cards,
      protocols.length
        ? protocols.map((p) => settingsCard(provider, p, email, this.status, judge))
        : h('p', { class: 'missing' }, noAccessNote(provider) ?? `${provider.name} offers no IMAP, POP3 or SMTP access.`),
    );
  }

  /** An address field and a button per file, made for that address. */
  downloadsBlock(formats) {
    const { provider, definition, email } = this.shown;
    const input = h('input', { type: 'email', id: 'address', autocomplete: 'email', spellcheck: 'false', placeholder: `someone@${provider.domains[0]?.names[0] ?? 'example.org'}` });
    input.value = email;
    const buttons = h('div', { class: 'files' });
    const update = () => {
      this.shown.email = input.value.trim();
      this.draw();
      renderDownloads(buttons, provider, this.shown.email, { formats, definition: provider.defined ? definition : undefined });
    };
    input.addEventListener('input', update);
    renderDownloads(buttons, provider, email, { formats, definition: provider.defined ? definition : undefined });
    return h(
      'div',
      { class: 'downloads', part: 'downloads' },
      h('label', { for: 'address' }, 'Your email address ', h('small', null, '(fills in the username and the files)')),
      input,
      buttons,
    );
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

/** What a server of the card rests on, as the core says it (`Report.provider.basis`): judged
 * against the provider's own definition — the element's, or the table's entry — so that the
 * words and the date are the ones the checker's findings use. */
function basisOf(m, definition, server) {
  if (!definition) return undefined;
  try {
    return m.validate(server, { provider: definition }).provider?.basis?.[0];
  } catch {
    return undefined;
  }
}

/** How a source is named in a link (its title and date are the link's tooltip). */
function sourceName(provider, source) {
  const site = () => {
    try {
      return new URL(source.url).hostname.replace(/^www\./, '');
    } catch {
      return 'a web page';
    }
  };
  switch (source.kind) {
    case 'provider-page':
      return `${provider.name}'s page`;
    case 'provider-code':
      return `${provider.name}'s code`;
    case 'ispdb':
      return "Thunderbird's database";
    case 'provider-db':
      return "Delta Chat's database";
    default:
      return site();
  }
}

/** Links to a fact's sources; null when none has an address. An organisation's own settings
 * rest on themselves (a source of kind `definition`, whose address is the help page the card
 * links already). */
function sourceLinks(provider, sources) {
  const linked = sources.filter((s) => s.url && s.kind !== 'definition');
  if (!linked.length) return null;
  return h(
    'span',
    { class: 'sources' },
    'Sources: ',
    linked.map((s, i) => [
      i ? ', ' : '',
      h('a', { href: s.url, rel: 'noopener noreferrer', target: '_blank', title: `${s.title ?? s.url}${sourceDate(s) ? ` (${s.asOf !== 'unknown' ? 'as of' : 'read'} ${sourceDate(s)})` : ''}` }, sourceName(provider, s)),
    ]),
  );
}

/** The marks of what some facts say: "unconfirmed" when one of them has no source of the
 * provider's own, and their sources. */
function factMarks(provider, ...facts) {
  const links = sourceLinks(provider, [...new Set(facts.flatMap((f) => sourcesOf(provider, f)))]);
  return [
    facts.every((f) => f.confirmed) ? null : [' ', h('span', { class: 'badge unconfirmed' }, 'Unconfirmed')],
    links ? [' ', links] : null,
  ];
}


/** The table for one protocol of one provider. `judge(server)`: what the preferred server rests
 * on (`Basis`), when known. */
export function settingsCard(provider, protocol, email, status, judge = () => undefined) {
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
      [FIELD_NAME.username, userValue ? copyable(userValue, `${name} username`, status) : usernameFor(format, email, best.usernameNote)],
      [FIELD_NAME.auth, sign.methods.map((a) => own(LABELS.auth, a) ?? a).join(' or ')],
    ],
    `${provider.name} ${name} settings`,
  );
  // Where the settings come from, next to them: the core's words for it ("per Gmail's own page
  // (developers.google.cn, read 2026-12-02)"), the sources, and "unconfirmed" when only a
  // database says so.
  const basis = judge({ protocol, host: best.host, port: best.port, security: best.security });
  const links = sourceLinks(provider, sourcesOf(provider, best));
  const basisLine = h(
    'p',
    { class: best.confirmed ? 'basis' : 'basis unconfirmed', part: 'basis' },
    best.confirmed ? null : [h('span', { class: 'badge unconfirmed' }, 'Unconfirmed'), ' '],
    basis ? `${cap(basis.attribution)}.` : `${provider.name}'s settings.`,
    links ? [' ', links] : null,
  );
  const notes = [];
  const toggle = switchFor(provider, protocol);
  if (toggle) {
    notes.push(h('li', { class: 'enable' }, 'Switch it on first: ', toggle.steps, toggle.url ? [' ', h('a', { href: toggle.url, rel: 'noopener noreferrer', target: '_blank' }, 'Open the setting')] : null, factMarks(provider, toggle)));
  }
  // Which password to use (the core's sentence, from the credential facts, which give it its
  // marks), then how to get each one that takes steps (the credential kinds of LABELS.credential).
  const credentials = credentialsFor(provider, protocol);
  if (sign.note) notes.push(h('li', { class: 'sign-in' }, sign.note, factMarks(provider, ...credentials)));
  for (const c of credentials.filter((x) => x.accepted && x.how)) {
    const dates = [c.since && `since ${c.since}`, c.until && `until ${c.until}`].filter(Boolean).join(', ');
    notes.push(h('li', { class: 'credential', 'data-kind': c.kind }, `How to get ${own(LABELS.credential, c.kind) ?? c.kind}${dates ? ` (${dates})` : ''}: `, c.how, factMarks(provider, c)));
  }
  for (const p of plansFor(provider, protocol)) notes.push(h('li', { class: 'plan' }, 'Limits: ', p.text, factMarks(provider, p)));
  for (const c of announcedFor(provider, protocol)) notes.push(h('li', { class: 'change' }, `From ${c.date}: `, c.summary, factMarks(provider, c)));
  if (protocol === 'pop3') for (const p of provider.pop3 ?? []) notes.push(h('li', null, p.summary, factMarks(provider, p)));
  return h('figure', { 'data-protocol': protocol, part: 'card' }, caption, table, basisLine, notes.length ? h('ul', { class: 'notes' }, notes) : null);
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
// documentation lives (codes become links). An organisation's own settings (own.js: inline JSON,
// attributes such as `imap-host`, or `autoconfig`) make it check readers' settings against that
// provider; `email` gives a lone server's address when the site knows it.

export class MailSettingsCheck extends Base {
  static observedAttributes = ['protocol', 'host', 'port', 'security', 'auth', 'username', 'email', 'rules-href', 'theme', ...OWN_ATTRIBUTES];

  constructor() {
    super();
    this.root = shadowBox(this, ['base', 'check']);
    this.children$ = globalThis.MutationObserver ? new MutationObserver(() => this.checker?.ownChanged()) : null;
  }

  connectedCallback() {
    follow(this.applyScheme);
    this.children$?.observe(this, { childList: true, subtree: true, characterData: true });
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
      ownSettings: (m) => ownSettings(this, m),
    });
    this.started = this.checker.start();
  }

  disconnectedCallback() {
    unfollow(this.applyScheme);
    this.children$?.disconnect();
  }

  /** A starting value changed after the element was drawn: the form follows it. */
  attributeChangedCallback(name, old, value) {
    if (!this.checker || old === value) return;
    if (name === 'theme') this.applyScheme();
    else if (name === 'rules-href') this.checker.redraw();
    else if (OWN_ATTRIBUTES.includes(name)) this.checker.ownChanged();
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
