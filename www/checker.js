// The settings checker behind <mail-settings-check> (the page's "Check my settings" is that
// element too): a form for one server, or for a whole account (email address, incoming and
// outgoing server, POP3 options); every keystroke is checked by the core's validate(); each
// finding appears beside its field with its fix ("Apply fix"), and "Fix all" applies every fix
// at once. In the account form the email address picks the provider and fills in its settings.
// With an organisation's own settings (own.js), readers' settings are judged against that
// provider: the core gets its definition with every check.

import { LABELS } from './labels.js';
import { FIELD_NAME, h, fill, cap, options, own, messageOnly, findingItem, unreadableItem, verdictText } from './ui.js';
import { ready } from './wasm.js';
import { endpoints, preferredServer, noAccessNote } from './providers.js';
import { describeWay, ownsAddress } from './own.js';

/** The names of the fields that are not a server's (those are in ui.js FIELD_NAME). */
const OTHER_FIELD = {
  email: 'Email address',
  protocol: 'Protocol',
  leaveOnServer: 'Leave a copy on the server',
  deleteAfterDays: 'Remove from the server after',
  incoming: 'Incoming server',
  outgoing: 'Outgoing server',
  pop3: `${LABELS.protocol.pop3} options`,
  general: 'The settings',
};

/** A field's name for a path ("incoming.port" -> "Port"). */
function fieldLabel(path) {
  const last = path.split('.').pop();
  return own(FIELD_NAME, last) ?? own(OTHER_FIELD, last) ?? path;
}

/** The path of a server's field: "incoming.port" in an account, "port" for a lone server. */
function pathOf(prefix, name) {
  return prefix ? `${prefix}.${name}` : name;
}

const isObject = (v) => v !== null && typeof v === 'object';

/** The server a field path belongs to ("incoming.port" -> "incoming"; a lone server's: ""). */
const serverOf = (path) => (path.includes('.') ? path.split('.')[0] : '');

/** What each text field says when empty, and the sign-in menu's "don't know" choice. */
const PLACEHOLDER = { incoming: ['imap.example.com', '993'], outgoing: ['smtp.example.com', '465'], '': ['imap.example.com', '993'] };
const AUTH_MENU = { '': 'Not sure', ...LABELS.authShort };

export class Checker {
  /**
   * Builds the form into `root` at once (the checks start when `start()` has loaded the module).
   * `account`: the whole-account form, else one server. `protocol`: the (incoming) protocol to
   * start with; `email`: the account form's address; `server`: a lone server's starting values.
   * `rulesHref()`: where the rule documentation lives (codes become links), or null.
   * `onCheck(state, report, changed)`: after every check; `state` is the verdict, or `empty`,
   * `invalid`, `loading`, `failed`, `unusable`. `onFailure(error, retry)`: what to show when the
   * module cannot be loaded (an element), given the error and a function that tries again.
   * `ownSettings(m)`: the organisation's own settings to judge against (`{ definition,
   * provider }`, or null; it throws an OwnSettingsError when they cannot be used).
   */
  constructor(root, { account = false, protocol, email, server = {}, rulesHref = () => null, onCheck = () => {}, onFailure, ownSettings = async () => null } = {}) {
    this.account = account;
    this.rulesHref = rulesHref;
    this.onCheck = onCheck;
    this.onFailure = onFailure;
    this.ownSettings = ownSettings;
    this.own = null; // the organisation's own settings, once read
    this.email = account ? undefined : email; // a lone server's address, when the site knows it
    // Keyed by field paths that come from the core's findings: no inherited keys.
    this.inputs = Object.create(null); // field path -> input/select
    this.lists = Object.create(null); // field path (or server prefix) -> findings <ul>
    this.m = null; // the main module's API, once loaded
    this.report = null; // the report on screen
    this.drawn = null; // that report as JSON: redraw only when it changes
    this.touched = false; // edited by hand since the last pre-fill
    this.filledFor = null; // the provider of the last pre-fill
    root.append(this.buildForm());
    if (account) {
      this.setServer('incoming', { protocol });
      this.setServer('outgoing', null);
      this.inputs.email.value = email ?? '';
    } else {
      this.setServer('', { protocol, ...server });
    }
    this.state('loading');
  }

  /** Loads the module, then checks what is in the form. When it cannot be loaded the form is
   * switched off (it would check nothing) and says so, with a way to try again. */
  async start() {
    this.setEnabled(true);
    try {
      this.m = await ready();
    } catch (e) {
      this.setEnabled(false);
      this.summary.className = 'summary failed';
      const retry = () => {
        fill(this.verdict, 'Loading…');
        this.summary.className = 'summary';
        this.state('loading');
        return this.start();
      };
      fill(this.verdict, this.onFailure ? this.onFailure(e, retry) : `The checker could not be loaded: ${messageOnly(e)}`);
      this.state('failed');
      return;
    }
    if (!(await this.readOwn())) return;
    if (this.account && this.inputs.email.value) this.showProvider();
    this.check();
  }

  /** Reads the organisation's own settings (again, after they changed); when they cannot be
   * used, says so in the checker and in the console, switches the form off, and returns false. */
  async readOwn() {
    try {
      this.own = await this.ownSettings(this.m);
    } catch (e) {
      const what = e.way ? `its own settings (${describeWay(e.way)})` : 'its settings';
      console.error(`mailsetup: <mail-settings-check>: ${what} cannot be used: ${e.message}`);
      this.own = null;
      this.setEnabled(false);
      this.clear();
      this.summary.className = 'summary failed';
      fill(this.verdict, h('span', { role: 'alert' }, `The settings to check against cannot be used: ${e.message}.`.replace(/\.\.$/, '.')));
      this.state('unusable');
      return false;
    }
    this.setEnabled(true);
    this.drawn = null;
    this.verdictState = 'loading';
    return true;
  }

  /** The organisation's own settings changed (an attribute, the inline JSON): read them and
   * check again. */
  async ownChanged() {
    if (!this.m) return;
    if (await this.readOwn()) this.check();
  }

  /** Switches every field of the form on or off. */
  setEnabled(on) {
    for (const control of [...Object.values(this.inputs), this.fixAllButton]) control.disabled = !on;
    if (on) this.fixAllButton.disabled = true; // until a report has fixes
  }

  // ----------------------------------------------------------------------------------------------
  // The form.

  buildForm() {
    const servers = this.account
      ? [
          this.serverFieldset('incoming', cap(LABELS.protocolRole.imap), ['imap', 'pop3']),
          this.serverFieldset('outgoing', `${cap(LABELS.protocolRole.smtp)} (${LABELS.protocol.smtp})`, null),
        ]
      : [this.serverFieldset('', null, ['imap', 'pop3', 'smtp'])];
    if (this.account) servers[0].append(this.pop3Options());
    this.verdict = h('p', { class: 'verdict', id: 'c-verdict', role: 'status', 'aria-live': 'polite', tabindex: '-1', part: 'verdict' }, 'Loading…');
    this.fixAllButton = h('button', { type: 'button', id: 'c-fixall', class: 'primary', disabled: true, onclick: () => this.fixAll() }, 'Fix all');
    this.summary = h('div', { class: 'summary', id: 'c-summary', part: 'summary' }, this.verdict, this.fixAllButton);
    const general = this.findingsList('general');
    general.classList.add('general');
    const form = h(
      'form',
      { part: 'form', novalidate: true, onsubmit: (e) => e.preventDefault() },
      this.account ? this.emailField() : null,
      h('div', { class: this.account ? 'servers' : 'servers single' }, servers),
      this.summary,
      general,
      h('p', { class: 'privacy' }, 'Checked in your browser; nothing is sent anywhere.'),
    );
    form.addEventListener('input', (e) => this.onInput(e.target));
    // Text fields report every keystroke as `input`; a text field's `change` (on blur) would redraw
    // the findings under a button being clicked, so only selects and checkboxes count here.
    form.addEventListener('change', (e) => {
      if (e.target.tagName === 'SELECT' || e.target.type === 'checkbox') this.onChoice(e.target);
    });
    return form;
  }

  /** A findings list for a field path (or a server, or `general`). */
  findingsList(path) {
    this.lists[path] = h('ul', { class: 'findings', id: `f-${path}`, 'aria-label': `Findings: ${fieldLabel(path)}`, part: 'findings' });
    return this.lists[path];
  }

  /** A labelled control with its findings below it. */
  field(path, label, control, hint) {
    this.inputs[path] = control;
    control.id = `c-${path.replace('.', '-')}`;
    control.name = path;
    control.setAttribute('aria-describedby', `f-${path}`);
    return h('div', { class: 'field', 'data-field': path }, h('label', { for: control.id }, label), control, hint, this.findingsList(path));
  }

  emailField() {
    const email = h('input', { type: 'email', autocomplete: 'email', spellcheck: 'false', placeholder: 'someone@gmail.com' });
    this.providerHint = h('p', { class: 'hint provider-hint', id: 'c-provider' });
    return h('div', { class: 'top' }, this.field('email', OTHER_FIELD.email, email, this.providerHint));
  }

  /** One server's fields. `prefix`: `incoming`, `outgoing`, or '' for a lone server; `protocols`:
   * the protocol menu (none: SMTP only). */
  serverFieldset(prefix, legend, protocols) {
    const text = (props) => h('input', { type: 'text', autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false', ...props });
    const [hostHint, portHint] = PLACEHOLDER[prefix];
    const at = (name) => pathOf(prefix, name);
    const protocolMenu = protocols
      ? this.field(at('protocol'), OTHER_FIELD.protocol, h('select', null, options(Object.fromEntries(protocols.map((p) => [p, LABELS.protocol[p]])))))
      : null;
    return h(
      'fieldset',
      { id: `c-${prefix || 'server'}`, 'data-server': prefix || 'server', part: 'server' },
      legend ? h('legend', null, legend) : null,
      prefix ? this.findingsList(prefix) : null,
      protocolMenu
        ? h('div', { class: 'field-row protocol-host' }, protocolMenu, this.field(at('host'), FIELD_NAME.host, text({ placeholder: hostHint })))
        : this.field(at('host'), FIELD_NAME.host, text({ placeholder: hostHint })),
      h(
        'div',
        { class: 'field-row' },
        this.field(at('port'), FIELD_NAME.port, text({ inputmode: 'numeric', placeholder: portHint })),
        this.field(at('security'), FIELD_NAME.security, h('select', null, options(LABELS.securityShort))),
      ),
      h(
        'div',
        { class: 'field-row' },
        this.field(at('auth'), FIELD_NAME.auth, h('select', null, options(AUTH_MENU))),
        this.field(at('username'), FIELD_NAME.username, text({ placeholder: 'someone@example.com' })),
      ),
    );
  }

  pop3Options() {
    const leave = h('input', { type: 'checkbox', id: 'c-pop3-leaveOnServer', name: 'pop3.leaveOnServer', 'aria-describedby': 'f-pop3.leaveOnServer' });
    this.inputs['pop3.leaveOnServer'] = leave;
    this.pop3 = h(
      'div',
      { class: 'pop3-options', hidden: true },
      this.findingsList('pop3'),
      h(
        'div',
        { class: 'field', 'data-field': 'pop3.leaveOnServer' },
        h('label', { class: 'check-row' }, leave, h('span', null, 'Leave a copy of messages on the server')),
        this.findingsList('pop3.leaveOnServer'),
      ),
      this.field('pop3.deleteAfterDays', 'Remove them from the server after (days, optional)', h('input', { type: 'number', min: '1', inputmode: 'numeric' })),
    );
    return this.pop3;
  }

  // ----------------------------------------------------------------------------------------------
  // Reading and writing the form.

  /** The protocol menu of the lone server or of the incoming server. */
  get protocolMenu() {
    return this.inputs[this.account ? 'incoming.protocol' : 'protocol'];
  }

  serverValue(prefix, protocol) {
    const v = (name) => this.inputs[pathOf(prefix, name)].value;
    const server = { protocol, host: v('host'), port: v('port'), security: v('security') };
    if (v('auth')) server.auth = v('auth');
    if (v('username')) server.username = v('username');
    return server;
  }

  /** The settings as typed, as validate() takes them (ports as typed too: the core explains what
   * is wrong with them). */
  value() {
    if (!this.account) return this.serverValue('', this.protocolMenu.value);
    const account = { incoming: this.serverValue('incoming', this.protocolMenu.value) };
    if (this.inputs.email.value) account.email = this.inputs.email.value;
    if (['host', 'port', 'username'].some((n) => this.inputs[`outgoing.${n}`].value !== '')) account.outgoing = this.serverValue('outgoing', 'smtp');
    if (this.protocolMenu.value === 'pop3') {
      account.pop3 = { leaveOnServer: this.inputs['pop3.leaveOnServer'].checked };
      const days = this.inputs['pop3.deleteAfterDays'].value;
      if (days !== '') account.pop3.deleteAfterDays = Number(days);
    }
    return account;
  }

  /** Fills one server's fields (`s` null: empties them). */
  setServer(prefix, s) {
    const at = (name) => this.inputs[pathOf(prefix, name)];
    choose(at('protocol'), s?.protocol);
    for (const name of ['host', 'port', 'username']) at(name).value = s?.[name] ?? '';
    choose(at('security'), s?.security ?? 'tls');
    choose(at('auth'), s?.auth ?? '');
  }

  /** Fills the form with settings: an account (as validate() takes it) or one server. */
  setSettings(settings) {
    if (!isObject(settings)) return;
    const isAccount = Object.hasOwn(settings, 'incoming');
    if (!this.account) {
      this.setServer('', isAccount ? settings.incoming : settings);
      return;
    }
    if (!isAccount) {
      this.setServer(settings.protocol === 'smtp' ? 'outgoing' : 'incoming', settings);
      return;
    }
    if (settings.email !== undefined) this.inputs.email.value = settings.email;
    this.setServer('incoming', settings.incoming);
    this.setServer('outgoing', settings.outgoing);
    if (settings.pop3) {
      this.inputs['pop3.leaveOnServer'].checked = settings.pop3.leaveOnServer;
      this.inputs['pop3.deleteAfterDays'].value = settings.pop3.deleteAfterDays ?? '';
    }
  }

  /** One starting value (an element's attribute: `protocol`, `host`, `port`, `security`, `auth`,
   * `username`, `email`) changed: the form takes it and checks again. A lone server's fields, or
   * the account form's address. */
  setStartingValue(name, value) {
    if (name === 'email') {
      if (!this.account) this.email = value || undefined;
      else {
        this.inputs.email.value = value;
        this.showProvider();
      }
    } else if (!this.account) {
      this.setServer('', { ...this.value(), [name]: value });
    } else if (name === 'protocol') {
      choose(this.protocolMenu, value);
    } else {
      return; // the account form's servers come from the address
    }
    this.check();
  }

  /** Draws the findings again (the rules page moved). */
  redraw() {
    this.drawn = null;
    this.check();
  }

  /** Fills the form (from elsewhere: the page's advisor) and checks it. */
  load(settings) {
    this.setSettings(settings);
    this.touched = true;
    if (this.account) this.showProvider();
    this.check();
  }

  /** No text typed anywhere. */
  pristine() {
    const texts = this.account ? ['email', ...['incoming', 'outgoing'].flatMap((p) => ['host', 'port', 'username'].map((n) => `${p}.${n}`))] : ['host', 'port', 'username'];
    return texts.every((path) => this.inputs[path].value === '');
  }

  onInput(target) {
    if (target === this.inputs.email) this.showProvider();
    else if (target !== this.protocolMenu) this.touched = true;
    this.check();
  }

  onChoice(target) {
    // Another incoming protocol: the provider's server for it, unless the reader typed their own.
    if (target === this.protocolMenu && this.account && !this.touched && this.filledFor) this.prefill(this.filledFor);
    this.check();
  }

  // ----------------------------------------------------------------------------------------------
  // The provider (account form): the email address picks it and fills in its settings.

  /** Fills in the provider's preferred servers for the chosen incoming protocol. */
  prefill(provider) {
    const email = this.inputs.email.value.trim();
    let protocol = this.protocolMenu.value;
    if (!endpoints(provider, protocol).length) protocol = endpoints(provider, 'imap').length ? 'imap' : 'pop3';
    this.setServer('incoming', preferredServer(provider, protocol, email) ?? null);
    this.setServer('outgoing', preferredServer(provider, 'smtp', email) ?? null);
    if (protocol === 'pop3') this.inputs['pop3.leaveOnServer'].checked = true;
    this.touched = false;
    this.filledFor = provider;
  }

  /** Says which provider the address belongs to, and pre-fills its settings when nothing was
   * typed by hand. */
  showProvider() {
    if (!this.m) return;
    const email = this.inputs.email.value.trim();
    const ownProvider = this.own && ownsAddress(this.own.provider, email) ? this.own.provider : undefined;
    const provider = email.includes('@') ? ownProvider ?? this.m.lookupProvider(email) : undefined;
    if (!provider) {
      const domain = email.split('@')[1] ?? '';
      fill(this.providerHint, email.includes('@') && domain.includes('.') ? 'Not in mailsetup’s provider table: type the settings your provider gives you.' : '');
      return;
    }
    if (!this.touched) this.prefill(provider);
    const offers = ['imap', 'pop3', 'smtp'].some((p) => endpoints(provider, p).length);
    const refill = () => {
      this.prefill(provider);
      this.check();
    };
    fill(
      this.providerHint,
      `Recognised: ${provider.name}.`,
      offers ? null : ` ${noAccessNote(provider) ?? `${provider.name} offers no IMAP, POP3 or SMTP access.`}`,
      this.touched && offers ? h('button', { type: 'button', class: 'copy', onclick: refill }, `Fill in ${provider.name}’s settings`) : null,
    );
  }

  // ----------------------------------------------------------------------------------------------
  // Checking.

  /** Checks the form and shows the findings (nothing happens before the module is loaded). */
  check() {
    if (!this.m || this.verdictState === 'unusable') return;
    if (this.pop3) this.pop3.hidden = this.protocolMenu.value !== 'pop3';
    if (this.pristine()) {
      this.clear();
      this.summary.className = 'summary empty';
      fill(this.verdict, this.account
        ? 'Type your email address to fill in your provider’s settings, or type the settings your mail app shows.'
        : 'Type the server and port your mail app shows.');
      this.state('empty');
      return;
    }
    let report;
    try {
      report = this.m.validate(this.value(), this.options());
    } catch (e) {
      this.showUnreadable(e);
      return;
    }
    // Redraw only when the report changed: focus and a half-done click survive a no-op keystroke.
    const key = JSON.stringify(report);
    if (key === this.drawn) return;
    this.clear();
    this.drawn = key;
    this.report = report;
    this.placeFindings(report);
    this.summary.className = `summary ${report.verdict}`;
    fill(this.verdict, verdictText(report), report.provider ? ` Checked against ${report.provider.name}’s requirements.` : '');
    this.fixAllButton.disabled = !(report.fixed && report.findings.some((f) => f.fix && this.canApply(f.fix)));
    this.state(report.verdict, true);
  }

  /** What validate() is told besides the settings: the organisation's own provider, and a lone
   * server's address when the site gives it. */
  options() {
    const options = {};
    if (this.own) options.provider = this.own.definition;
    if (this.email) options.email = this.email;
    return options;
  }

  /** Input the core cannot read at all (a port that is not a number): shown at its field. */
  showUnreadable(error) {
    this.clear();
    const path = error.field && this.lists[error.field] ? error.field : 'general';
    const message = messageOnly(error);
    this.lists[path].append(unreadableItem(path, message));
    this.inputs[path]?.setAttribute('aria-invalid', 'true');
    this.summary.className = 'summary error';
    fill(this.verdict, `${path === 'general' ? 'Input' : fieldLabel(path)}: ${message}`);
    this.state('invalid');
  }

  /** Each finding beside its field; one about a field without a place (or the whole server) in
   * its server's list or the general one, named. */
  placeFindings(report) {
    const rulesHref = this.rulesHref();
    for (const f of report.findings) {
      const list = this.lists[f.field] ?? this.lists[f.field.split('.')[0]] ?? this.lists.general;
      const label = this.lists[f.field] ? null : fieldLabel(f.field);
      // One rule can say one thing about several fields of a server ("set security to tls and
      // the port to 465"), as one finding per field with the same help: its "Apply fix" applies
      // what the help names, every one of them.
      const together = report.findings.filter(
        (g) => g.code === f.code && g.help === f.help && g.fix && this.canApply(g.fix) && serverOf(g.field) === serverOf(f.field),
      );
      const onFix = f.fix && this.canApply(f.fix) ? () => this.applyFixes(together.map((g) => g.fix)) : null;
      list.append(findingItem(f, { rulesHref, onFix, label }));
      if (f.severity === 'error') this.inputs[f.field]?.setAttribute('aria-invalid', 'true');
    }
  }

  /** Empties every findings list and forgets the report on screen. */
  clear() {
    for (const list of Object.values(this.lists)) list.replaceChildren();
    for (const input of Object.values(this.inputs)) input.removeAttribute('aria-invalid');
    this.report = null;
    this.drawn = null;
    this.fixAllButton.disabled = true;
  }

  /** Tells the element (its `data-verdict`, its event). */
  state(state, changed = false) {
    this.verdictState = state;
    this.onCheck(state, this.report, changed);
  }

  // ----------------------------------------------------------------------------------------------
  // Fixing.

  /** Whether the form has the field a fix sets (a whole server: its fields). */
  canApply(fix) {
    return Boolean(this.inputs[fix.field] || (isObject(fix.value) && this.inputs[pathOf(fix.field, 'host')]));
  }

  /** Applies one fix, checks again, and leaves the focus on the field that was fixed. */
  applyFix(fix) {
    this.applyFixes([fix]);
  }

  /** Applies fixes, checks again, and leaves the focus on the first field fixed. */
  applyFixes(fixes) {
    const applicable = fixes.filter((fix) => this.canApply(fix));
    if (!applicable.length) return;
    for (const fix of applicable) {
      const input = this.inputs[fix.field];
      if (isObject(fix.value)) this.setServer(fix.field, fix.value);
      else if (input.type === 'checkbox') input.checked = Boolean(fix.value);
      else if (input.tagName === 'SELECT') choose(input, String(fix.value));
      else input.value = String(fix.value);
    }
    this.check();
    const first = applicable[0];
    (this.inputs[first.field] ?? this.inputs[pathOf(first.field, 'host')]).focus();
  }

  /** Applies every fix (the report's `fixed` settings), checks again, focus on the verdict. */
  fixAll() {
    if (this.report?.fixed) this.setSettings(this.report.fixed);
    this.check();
    this.verdict.focus();
  }
}

/** Selects `value` in a menu when it is one of its choices (else leaves the menu as it is). */
function choose(select, value) {
  if (select && value != null && [...select.options].some((o) => o.value === value)) select.value = value;
}
