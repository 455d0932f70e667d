// mailsetup custom elements for documentation sites, and the helpers the page shares with them.
//
//   <script type="module" src="…/elements.js"></script>
//   <mail-settings provider="gmail" protocol="imap"></mail-settings>
//   <mail-settings-check></mail-settings-check>
//
// Everything runs in the browser: the WebAssembly module beside this file does the work, and
// nothing is sent anywhere. Every piece of text is inserted with textContent / Text nodes, never
// as HTML. Styles live in constructable stylesheets, so a strict Content-Security-Policy
// (style-src 'self') is enough; the host page needs `script-src 'self' 'wasm-unsafe-eval'`.

import init, * as api from './pkg/mailsetup.js';

let loading = null;
let loadingDocuments = null;
let table = null;

/** Loads the main WebAssembly module once; resolves to its API (`validate`, `advise`,
 * `providers`, `lookupProvider`, `version`). */
export function ready() {
  loading ??= init().then(() => api);
  return loading;
}

/** Loads the documents module once, on first use (the elements never need it); resolves to its
 * API (`rules`, `exportConfig`, `lintAutoconfig`, `version`). */
export function documents() {
  loadingDocuments ??= import('./pkg/mailsetup_documents.js').then(async (d) => {
    await d.default();
    return d;
  });
  return loadingDocuments;
}

/** The provider table (read once; it is static data). Call after `ready()`. */
export function providerTable() {
  table ??= api.providers();
  return table;
}

// ------------------------------------------------------------------------------------------------
// DOM helpers: text is always text.

/**
 * Creates an element. `props`: `class`, `on<event>` handlers, `href` (http(s) or relative only),
 * other attributes (strings; `true` for a bare attribute; null/false to leave out). Children:
 * nodes, strings (inserted as text), arrays, null/false (skipped).
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value == null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'href') el.setAttribute('href', safeHref(value));
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  el.append(...flat(children));
  return el;
}

function flat(children) {
  return children.flat(Infinity).filter((c) => c != null && c !== false).map((c) => (c instanceof Node ? c : String(c)));
}

/** Replaces an element's children (text stays text). */
export function fill(el, ...children) {
  el.replaceChildren(...flat(children));
  return el;
}

/** Links only to http(s) and to relative pages; anything else (javascript:, data:) becomes "#". */
export function safeHref(url) {
  try {
    const u = new URL(String(url), document.baseURI);
    return u.protocol === 'https:' || u.protocol === 'http:' ? String(url) : '#';
  } catch {
    return '#';
  }
}

/** Text with `code spans` (as the rule docs write them) as <code> elements. */
export function withCode(text) {
  return String(text)
    .split('`')
    .map((part, i) => (i % 2 ? h('code', null, part) : part))
    .filter((part) => part !== '');
}

// ------------------------------------------------------------------------------------------------
// Words.

export const PROTOCOL = { imap: 'IMAP', pop3: 'POP3', smtp: 'SMTP' };
export const PROTOCOL_ROLE = { imap: 'incoming mail', pop3: 'incoming mail', smtp: 'outgoing mail' };
export const SECURITY = { tls: 'SSL/TLS', starttls: 'STARTTLS', none: 'None (unencrypted)' };
export const AUTH = {
  password: 'Normal password',
  'app-password': 'App password',
  oauth2: 'OAuth2 (sign in with the provider)',
  'encrypted-password': 'Encrypted password (CRAM-MD5)',
  'client-certificate': 'TLS client certificate',
  none: 'No authentication',
};
export const SEVERITY = { error: 'Error', warning: 'Warning', info: 'Advice' };
/** The authentication methods as a mail app's menu names them. */
export const AUTH_CHOICES = {
  password: 'Normal password',
  'app-password': 'App password',
  oauth2: 'OAuth2',
  'encrypted-password': 'Encrypted password',
  'client-certificate': 'Client certificate',
  none: 'None',
};

/** What to type as the username, for a provider's username format. */
export function usernameFor(format, email) {
  const at = email ? email.lastIndexOf('@') : -1;
  const valid = at > 0 && at < email.length - 1;
  switch (format) {
    case 'email-address':
      return valid ? email : 'your full email address';
    case 'local-part':
      return valid ? email.slice(0, at) : 'the part of your address before the @';
    case 'either':
      return valid ? email : 'your full email address (or the part before the @)';
    default:
      return 'the username your provider (or its bridge) shows you';
  }
}

/** The text to type as username when the form is pre-filled (empty when it cannot be known). */
export function usernameValue(format, email) {
  const at = email ? email.lastIndexOf('@') : -1;
  if (at <= 0 || at === email.length - 1) return '';
  if (format === 'local-part') return email.slice(0, at);
  if (format === 'generated') return '';
  return email;
}

/** A provider's endpoints for one protocol, best first. */
export function endpoints(provider, protocol) {
  return provider.servers.filter((e) => e.protocol === protocol);
}

/** Copies text; says so on the button and in an aria-live region. */
export async function copyText(text, button, status) {
  let ok = true;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    ok = fallbackCopy(text, button);
  }
  const label = button.dataset.label ?? button.textContent;
  button.dataset.label = label;
  button.textContent = ok ? 'Copied' : 'Copy failed';
  if (status) status.textContent = ok ? `Copied ${text}` : 'Copying is blocked here; select the text instead.';
  setTimeout(() => {
    button.textContent = label;
  }, 1500);
}

function fallbackCopy(text, near) {
  const area = h('textarea', { readonly: true, 'aria-hidden': 'true', class: 'offscreen' });
  area.value = text;
  near.after(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

/** A value with a copy button. */
export function copyable(value, label, status) {
  const text = String(value);
  const button = h('button', { type: 'button', class: 'copy', 'aria-label': `Copy ${label}: ${text}` }, 'Copy');
  button.addEventListener('click', () => copyText(text, button, status));
  return h('span', { class: 'copyable' }, h('code', null, breakable(text)), button);
}

/** Text with line-break opportunities before an @ and after each dot (addresses, host names). */
function breakable(text) {
  return text.split(/(?=@)|(?<=\.)/).flatMap((part, i) => (i ? [h('wbr'), part] : [part]));
}

/** The first letter in upper case (messages are written lower case first, to compose). */
export function cap(text) {
  const t = String(text);
  return t.charAt(0).toUpperCase() + t.slice(1);
}

/**
 * One finding: severity, message, what to do, its code linking to the rule's documentation, and
 * an "Apply fix" button when the fix is known. `rulesHref`: the rules page (`rules.html`); without
 * it the code is plain text with the rule name as its title. `label`: the field's name, when the
 * finding is not shown beside its field.
 */
export function findingItem(f, { rulesHref, onFix, label } = {}) {
  const code = rulesHref
    ? h('a', { class: 'code', href: `${rulesHref}#${f.code}`, title: `${f.rule}: what this rule checks and why` }, f.code)
    : h('span', { class: 'code', title: f.rule }, f.code);
  return h(
    'li',
    { class: `finding ${f.severity}`, 'data-code': f.code, 'data-field': f.field },
    h(
      'div',
      { class: 'f-head' },
      h('span', { class: `badge ${f.severity}` }, SEVERITY[f.severity] ?? f.severity),
      ' ',
      label ? h('span', { class: 'where' }, `${label}: `) : null,
      h('span', { class: 'message' }, cap(f.message)),
    ),
    h(
      'div',
      { class: 'f-help' },
      h('span', { class: 'help' }, `${cap(f.help)}.`.replace(/\.\.$/, '.')),
      f.fix && onFix
        ? h('button', { type: 'button', class: 'fix', 'aria-label': `Apply fix: ${f.help}`, onclick: () => onFix(f.fix) }, 'Apply fix')
        : null,
      code,
    ),
  );
}

/** "2 errors, 1 warning" (or "No problems found"). */
export function verdictText(report) {
  if (report.findings.length === 0) return 'No problems found.';
  const n = { error: 0, warning: 0, info: 0 };
  for (const f of report.findings) n[f.severity] += 1;
  const parts = [];
  if (n.error) parts.push(`${n.error} ${n.error === 1 ? 'error' : 'errors'}`);
  if (n.warning) parts.push(`${n.warning} ${n.warning === 1 ? 'warning' : 'warnings'}`);
  if (n.info) parts.push(`${n.info} ${n.info === 1 ? 'piece' : 'pieces'} of advice`);
  const head = { error: 'Needs fixing', warning: 'Works, with risks', info: 'Looks right, with advice' }[report.verdict] ?? 'Looks right';
  return `${head}: ${parts.join(', ')}.`;
}

// ------------------------------------------------------------------------------------------------
// Styles (constructable stylesheets: allowed under style-src 'self', scoped to each shadow root).

const BASE_CSS = `
:host { display: block; color-scheme: light dark;
  --ms-fg: var(--mailsetup-fg, #1b1f24); --ms-muted: var(--mailsetup-muted, #57606a);
  --ms-bg: var(--mailsetup-bg, #ffffff); --ms-subtle: var(--mailsetup-subtle, #f3f5f7);
  --ms-border: var(--mailsetup-border, #d0d7de); --ms-accent: var(--mailsetup-accent, #0b5cad);
  --ms-error: #b42318; --ms-warning: #9a6700; --ms-info: #0b5cad; --ms-ok: #1a7f37;
  font: var(--mailsetup-font, inherit); color: var(--ms-fg); }
@media (prefers-color-scheme: dark) { :host {
  --ms-fg: var(--mailsetup-fg, #e6edf3); --ms-muted: var(--mailsetup-muted, #9da7b3);
  --ms-bg: var(--mailsetup-bg, #161b22); --ms-subtle: var(--mailsetup-subtle, #1f262e);
  --ms-border: var(--mailsetup-border, #3d444d); --ms-accent: var(--mailsetup-accent, #58a6ff);
  --ms-error: #ff7b72; --ms-warning: #e3b341; --ms-info: #79c0ff; --ms-ok: #56d364; } }
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .92em; overflow-wrap: break-word; }
button { font: inherit; font-size: .85em; color: var(--ms-accent); background: var(--ms-bg); border: 1px solid var(--ms-border);
  border-radius: 6px; padding: .15em .6em; cursor: pointer; }
button:hover { border-color: var(--ms-accent); }
:focus-visible { outline: 2px solid var(--ms-accent); outline-offset: 2px; }
a { color: var(--ms-accent); }
.offscreen { position: absolute; left: -9999px; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.badge { display: inline-block; font-size: .75em; font-weight: 600; text-transform: uppercase; letter-spacing: .03em;
  padding: .05em .45em; border-radius: 4px; border: 1px solid currentColor; }
.badge.error { color: var(--ms-error); } .badge.warning { color: var(--ms-warning); } .badge.info { color: var(--ms-info); }
.badge.ok { color: var(--ms-ok); }
`;

const SETTINGS_CSS = `
.cards { display: grid; gap: .75rem; align-items: start; grid-template-columns: repeat(auto-fit, minmax(min(100%, 17rem), 1fr)); }
figure { margin: 0; border: 1px solid var(--ms-border); border-radius: 8px; background: var(--ms-bg); overflow: hidden; }
figcaption { font-weight: 600; padding: .5rem .75rem; background: var(--ms-subtle); border-bottom: 1px solid var(--ms-border); }
figcaption small { font-weight: 400; color: var(--ms-muted); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .4rem .75rem; border-top: 1px solid var(--ms-border); }
tr:first-child th, tr:first-child td { border-top: 0; }
th { font-weight: 500; color: var(--ms-muted); width: 34%; }
.copyable { display: inline-flex; flex-wrap: wrap; gap: .4rem; align-items: baseline; }
.notes { margin: 0; overflow-wrap: anywhere; padding: .5rem .75rem .6rem 1.9rem; border-top: 1px solid var(--ms-border); color: var(--ms-muted); font-size: .9em; }
.notes li + li { margin-top: .25rem; }
.alt { color: var(--ms-muted); font-size: .9em; }
.source { margin: .5rem 0 0; color: var(--ms-muted); font-size: .85em; }
.missing { padding: .75rem; border: 1px dashed var(--ms-border); border-radius: 8px; color: var(--ms-muted); }
`;

const CHECK_CSS = `
form { border: 1px solid var(--ms-border); border-radius: 8px; padding: .75rem; background: var(--ms-bg); }
.fields { display: grid; gap: .5rem; grid-template-columns: 7rem minmax(10rem, 1fr) 6rem 9rem; align-items: end; }
.fields .auth { grid-column: 1 / 3; } .fields .username { grid-column: 3 / 5; }
@media (max-width: 40rem) { .fields { grid-template-columns: 1fr 1fr; } .fields .host, .fields .auth, .fields .username { grid-column: 1 / -1; } }
label { display: grid; gap: .2rem; font-size: .85em; color: var(--ms-muted); }
input, select { font: inherit; font-size: 1rem; color: var(--ms-fg); background: var(--ms-bg); border: 1px solid var(--ms-border);
  border-radius: 6px; padding: .35rem .5rem; min-width: 0; width: 100%; }
input[aria-invalid="true"], select[aria-invalid="true"] { border-color: var(--ms-error); }
.verdict { margin: .6rem 0 0; font-weight: 600; }
.verdict.ok { color: var(--ms-ok); } .verdict.error { color: var(--ms-error); } .verdict.warning { color: var(--ms-warning); }
.verdict.info { color: var(--ms-info); }
ul { list-style: none; margin: .4rem 0 0; padding: 0; display: grid; gap: .35rem; }
.finding { padding: .4rem .55rem; border-left: 3px solid var(--ms-border); background: var(--ms-subtle); border-radius: 0 6px 6px 0; }
.finding.error { border-left-color: var(--ms-error); } .finding.warning { border-left-color: var(--ms-warning); }
.finding.info { border-left-color: var(--ms-info); }
.finding .f-help { display: flex; flex-wrap: wrap; align-items: baseline; gap: .2rem .6rem; margin-top: .1rem; }
.finding .code { font-family: ui-monospace, monospace; font-size: .8em; margin-left: auto; color: var(--ms-muted); }
a.code { color: var(--ms-accent); }
.finding .where { font-weight: 600; }
.finding .help { color: var(--ms-muted); }
.privacy { margin: .5rem 0 0; font-size: .8em; color: var(--ms-muted); }
`;

function sheet(css) {
  const s = new CSSStyleSheet();
  s.replaceSync(css);
  return s;
}
let sheets = null;
function styles(...names) {
  sheets ??= { base: sheet(BASE_CSS), settings: sheet(SETTINGS_CSS), check: sheet(CHECK_CSS) };
  return names.map((n) => sheets[n]);
}

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
    const provider = findProvider(m, query);
    if (!provider) {
      fill(this.body, h('p', { class: 'missing' }, query ? `No provider “${query}” in mailsetup's table.` : 'Choose a provider.'));
      this.dataset.state = 'missing';
      return;
    }
    const wanted = (this.getAttribute('protocol') ?? '').toLowerCase().split(/[\s,]+/).filter((p) => p in PROTOCOL);
    const protocols = wanted.length ? wanted : ['imap', 'pop3', 'smtp'].filter((p) => endpoints(provider, p).length);
    const email = this.getAttribute('email') ?? '';
    const cards = protocols.map((p) => settingsCard(provider, p, email, this.status));
    const latest = provider.sources.map((s) => s.verified).sort().at(-1);
    fill(
      this.body,
      protocols.length ? h('div', { class: 'cards' }, cards) : h('p', { class: 'missing' }, provider.note ?? `${provider.name} offers no IMAP, POP3 or SMTP access.`),
      h(
        'p',
        { class: 'source', part: 'source' },
        'Source: ',
        h('a', { href: provider.helpUrl, rel: 'noopener noreferrer', target: '_blank' }, `${provider.name} help`),
        latest ? `, checked ${latest}.` : '.',
      ),
    );
    this.dataset.state = 'ready';
    this.dataset.provider = provider.id;
  }
}

function findProvider(m, query) {
  if (!query) return undefined;
  return providerTable().find((p) => p.id === query.toLowerCase()) ?? m.lookupProvider(query);
}

/** The table for one protocol of one provider. */
export function settingsCard(provider, protocol, email, status) {
  const eps = endpoints(provider, protocol);
  const caption = h('figcaption', null, `${PROTOCOL[protocol]} `, h('small', null, `${PROTOCOL_ROLE[protocol]} · ${provider.name}`));
  if (eps.length === 0) {
    return h('figure', { 'data-protocol': protocol, part: 'card' }, caption, h('p', { class: 'notes' }, provider.note ?? `${provider.name} does not offer ${PROTOCOL[protocol]}.`));
  }
  const [best, ...others] = eps;
  const format = best.username ?? provider.username;
  const user = usernameFor(format, email);
  const userValue = usernameValue(format, email);
  const row = (name, ...value) => h('tr', null, h('th', { scope: 'row' }, name), h('td', null, value));
  const table = h(
    'table',
    null,
    h('caption', { class: 'sr' }, `${provider.name} ${PROTOCOL[protocol]} settings`),
    h(
      'tbody',
      null,
      row('Server', copyable(best.host, `${PROTOCOL[protocol]} server`, status)),
      row(
        'Port',
        copyable(best.port, `${PROTOCOL[protocol]} port`, status),
        others.map((o) => h('div', { class: 'alt' }, `or ${o.port} with ${SECURITY[o.security]}${o.host !== best.host ? ` at ${o.host}` : ''}`)),
      ),
      row('Security', SECURITY[best.security]),
      row('Username', userValue ? copyable(userValue, `${PROTOCOL[protocol]} username`, status) : user),
      row('Authentication', provider.auth.accepted.map((a) => AUTH[a] ?? a).join(' or ')),
    ),
  );
  const notes = [];
  const toggle = provider.enable.find((t) => t.protocol === protocol);
  if (toggle) notes.push(h('li', null, 'Switch it on first: ', toggle.note));
  notes.push(h('li', null, provider.auth.note));
  if (protocol === 'pop3' && provider.pop3?.serverSideSetting) notes.push(h('li', null, provider.pop3.serverSideSetting));
  if (protocol === 'pop3' && provider.pop3?.note) notes.push(h('li', null, provider.pop3.note));
  return h('figure', { 'data-protocol': protocol, part: 'card' }, caption, table, h('ul', { class: 'notes' }, notes));
}

// ------------------------------------------------------------------------------------------------
// <mail-settings-check protocol="imap" rules-href="rules.html">
//
// A compact live checker for one server: protocol, host, port, security; findings on every
// keystroke, each with "Apply fix" when the fix is known. Fires `mailsetup-report` (detail: the
// Report) after each check. `rules-href`: where the rule documentation lives (codes become links).

export class MailSettingsCheck extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: 'open' }).adoptedStyleSheets = styles('base', 'check');
  }

  connectedCallback() {
    if (this.form) return;
    const uid = `msc${Math.random().toString(36).slice(2, 8)}`;
    const opt = (map) => Object.entries(map).map(([v, t]) => h('option', { value: v }, t));
    const proto = h('select', { name: 'protocol', id: `${uid}-protocol` }, opt(PROTOCOL));
    const host = h('input', {
      name: 'host', id: `${uid}-host`, autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false',
      placeholder: 'imap.example.com',
    });
    const port = h('input', { name: 'port', id: `${uid}-port`, inputmode: 'numeric', autocomplete: 'off' });
    const security = h('select', { name: 'security', id: `${uid}-security` }, opt({ tls: 'SSL/TLS', starttls: 'STARTTLS', none: 'None' }));
    const auth = h('select', { name: 'auth', id: `${uid}-auth` }, opt({ '': 'Not sure', ...AUTH_CHOICES }));
    const username = h('input', {
      name: 'username', id: `${uid}-username`, autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false',
      placeholder: 'someone@example.com',
    });
    this.inputs = { protocol: proto, host, port, security, auth, username };
    proto.value = this.getAttribute('protocol') in PROTOCOL ? this.getAttribute('protocol') : 'imap';
    host.value = this.getAttribute('host') ?? '';
    port.value = this.getAttribute('port') ?? '';
    security.value = this.getAttribute('security') in SECURITY ? this.getAttribute('security') : 'tls';
    auth.value = this.getAttribute('auth') in AUTH ? this.getAttribute('auth') : '';
    username.value = this.getAttribute('username') ?? '';
    this.verdict = h('p', { class: 'verdict', role: 'status', 'aria-live': 'polite', part: 'verdict' });
    this.list = h('ul', { class: 'findings', part: 'findings', 'aria-label': 'Findings' });
    this.form = h(
      'form',
      { part: 'form', novalidate: true, onsubmit: (e) => e.preventDefault() },
      h(
        'div',
        { class: 'fields' },
        h('label', { for: proto.id }, 'Protocol', proto),
        h('label', { for: host.id, class: 'host' }, 'Server', host),
        h('label', { for: port.id }, 'Port', port),
        h('label', { for: security.id }, 'Security', security),
        h('label', { for: auth.id, class: 'auth' }, 'Sign-in', auth),
        h('label', { for: username.id, class: 'username' }, 'Username', username),
      ),
      this.verdict,
      this.list,
      h('p', { class: 'privacy' }, 'Checked in your browser; nothing is sent anywhere.'),
    );
    // Text fields report every keystroke as `input`; `change` matters only for the selects (a
    // text field's `change` on blur would redraw the findings under a button being clicked).
    this.form.addEventListener('input', () => this.check());
    this.form.addEventListener('change', (e) => {
      if (e.target.tagName === 'SELECT') this.check();
    });
    this.shadowRoot.append(this.form);
    this.check();
  }

  /** The server as typed (the port as typed too: the core explains what is wrong with it). */
  value() {
    const v = this.inputs;
    const server = { protocol: v.protocol.value, host: v.host.value, port: v.port.value, security: v.security.value };
    if (v.auth.value) server.auth = v.auth.value;
    if (v.username.value) server.username = v.username.value;
    return server;
  }

  async check() {
    const m = await ready();
    const labels = { protocol: 'Protocol', host: 'Server', port: 'Port', security: 'Security', auth: 'Sign-in', username: 'Username' };
    for (const input of Object.values(this.inputs)) input.removeAttribute('aria-invalid');
    if (this.inputs.host.value === '' && this.inputs.port.value === '') {
      this.verdict.className = 'verdict';
      fill(this.verdict, 'Type the server and port your mail app shows.');
      this.list.replaceChildren();
      this.dataset.verdict = 'empty';
      this.report = undefined;
      this.drawn = undefined;
      return;
    }
    let report;
    try {
      report = m.validate(this.value());
    } catch (e) {
      // Input that cannot be understood at all (a port that is not a number): say where.
      const field = e.field ?? '';
      this.inputs[field]?.setAttribute('aria-invalid', 'true');
      this.verdict.className = 'verdict error';
      fill(this.verdict, `${labels[field] ?? 'Input'}: ${e.message.replace(/^`[^`]*`: /, '')}`);
      this.list.replaceChildren();
      this.dataset.verdict = 'invalid';
      this.drawn = undefined;
      return;
    }
    // Redraw only what changed, so focus and a half-done click survive a keystroke that changes nothing.
    const key = JSON.stringify(report);
    if (key === this.drawn) return;
    this.drawn = key;
    const rulesHref = this.getAttribute('rules-href');
    for (const f of report.findings) this.inputs[f.field]?.setAttribute('aria-invalid', String(f.severity === 'error'));
    fill(
      this.list,
      report.findings.map((f) =>
        findingItem(f, { rulesHref, label: labels[f.field], onFix: f.fix && this.inputs[f.fix.field] ? (fix) => this.applyFix(fix) : null }),
      ),
    );
    this.verdict.className = `verdict ${report.verdict}`;
    fill(this.verdict, verdictText(report));
    this.dataset.verdict = report.verdict;
    this.report = report;
    this.dispatchEvent(new CustomEvent('mailsetup-report', { detail: report, bubbles: true, composed: true }));
  }

  applyFix(fix) {
    const input = this.inputs[fix.field];
    if (!input || typeof fix.value === 'object') return;
    input.value = String(fix.value);
    input.focus();
    this.check();
  }
}

if (!customElements.get('mail-settings')) customElements.define('mail-settings', MailSettings);
if (!customElements.get('mail-settings-check')) customElements.define('mail-settings-check', MailSettingsCheck);
