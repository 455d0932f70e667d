// The mailsetup page: "Which protocol?", "Check my settings", "Settings card".
// All text from the user or the data goes in as text (h()/fill() build DOM nodes), never as HTML.

import {
  ready, documents, providerTable, h, fill, copyable, findingItem, verdictText, endpoints, usernameValue, PROTOCOL, SECURITY,
  AUTH_CHOICES,
} from './elements.js';

const $ = (id) => document.getElementById(id);

async function main() {
  const checker = buildChecker();
  const m = await ready();
  fill($('version'), `mailsetup ${m.version()}`);
  const providers = providerTable().slice().sort((a, b) => a.name.localeCompare(b.name));
  checker.start(m);
  startCard(m, providers);
  startAdvisor(m, checker);
  window.mailsetupReadyAt = performance.now();
  document.documentElement.dataset.ready = 'true';
}

// ------------------------------------------------------------------------------------------------
// Check my settings

const SECURITY_CHOICES = { tls: 'SSL/TLS', starttls: 'STARTTLS', none: 'None' };
const AUTH_MENU = { '': 'Not sure', ...AUTH_CHOICES };
const FIELD_LABEL = {
  protocol: 'Protocol', host: 'Server', port: 'Port', security: 'Security', auth: 'Authentication', username: 'Username',
};

function options(map) {
  return Object.entries(map).map(([value, text]) => h('option', { value }, text));
}

/** Builds the checker form at once (before the module loads); `start` wires it to the API. */
function buildChecker() {
  const form = $('checker');
  const inputs = {}; // field path -> input/select
  const lists = {}; // field path (or server prefix) -> findings <ul>

  const findingsList = (path) => (lists[path] = h('ul', { class: 'findings', id: `f-${path}`, 'aria-label': `Findings for ${path}` }));

  const field = (path, label, control, hint) => {
    inputs[path] = control;
    control.id = `c-${path.replace('.', '-')}`;
    control.setAttribute('aria-describedby', `f-${path}`);
    return h('div', { class: 'field', 'data-field': path }, h('label', { for: control.id }, label), control, hint, findingsList(path));
  };
  const text = (props) => h('input', { type: 'text', autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false', ...props });

  const server = (prefix, legend, protocolControl) =>
    h(
      'fieldset',
      { id: `c-${prefix}`, 'data-server': prefix },
      h('legend', null, legend),
      findingsList(prefix),
      protocolControl,
      field(`${prefix}.host`, 'Server', text({ placeholder: prefix === 'incoming' ? 'imap.example.com' : 'smtp.example.com' })),
      h(
        'div',
        { class: 'field-row' },
        field(`${prefix}.port`, 'Port', text({ inputmode: 'numeric', placeholder: prefix === 'incoming' ? '993' : '465' })),
        field(`${prefix}.security`, 'Security', h('select', null, options(SECURITY_CHOICES))),
      ),
      h(
        'div',
        { class: 'field-row' },
        field(`${prefix}.auth`, 'Authentication', h('select', null, options(AUTH_MENU))),
        field(`${prefix}.username`, 'Username', text({ placeholder: 'someone@example.com' })),
      ),
    );

  const protocol = h('select', null, options({ imap: 'IMAP', pop3: 'POP3' }));
  const pop3 = h(
    'div',
    { class: 'pop3-options', hidden: true },
    findingsList('pop3'),
    h(
      'div',
      { class: 'field', 'data-field': 'pop3.leaveOnServer' },
      h(
        'label',
        { class: 'check-row' },
        (inputs['pop3.leaveOnServer'] = h('input', { type: 'checkbox', id: 'c-pop3-leaveOnServer', 'aria-describedby': 'f-pop3.leaveOnServer' })),
        h('span', null, 'Leave a copy of messages on the server'),
      ),
      findingsList('pop3.leaveOnServer'),
    ),
    field('pop3.deleteAfterDays', 'Remove them from the server after (days, optional)', h('input', { type: 'number', min: '1', inputmode: 'numeric' })),
  );
  const incoming = server('incoming', 'Incoming mail', field('incoming.protocol', 'Protocol', protocol));
  incoming.append(pop3);
  const outgoing = server('outgoing', 'Outgoing mail (SMTP)', null);

  const email = h('input', { type: 'email', autocomplete: 'email', spellcheck: 'false', placeholder: 'someone@gmail.com' });
  const providerHint = h('p', { class: 'hint provider-hint', id: 'c-provider' });
  const verdict = h('p', { class: 'verdict', id: 'c-verdict', role: 'status', 'aria-live': 'polite', tabindex: '-1' }, 'Loading…');
  const fixAll = h('button', { type: 'button', id: 'c-fixall', class: 'primary', disabled: true }, 'Fix all');
  const summary = h('div', { class: 'summary', id: 'c-summary' }, verdict, fixAll);
  const general = findingsList('general');
  general.classList.add('general');

  fill(
    form,
    h('div', { class: 'checker-top' }, field('email', 'Email address', email, providerHint)),
    h('div', { class: 'servers' }, incoming, outgoing),
    summary,
    general,
  );

  // --- state
  let m = null;
  let report = null;
  let touched = false; // edited by hand since the last pre-fill
  let filledFor = null; // provider id of the last pre-fill
  let drawn = null; // the report on screen, as JSON

  const value = (path) => inputs[path].value;

  function account() {
    const srv = (prefix, proto) => {
      const s = { protocol: proto, host: value(`${prefix}.host`), port: value(`${prefix}.port`), security: value(`${prefix}.security`) };
      if (value(`${prefix}.auth`)) s.auth = value(`${prefix}.auth`);
      if (value(`${prefix}.username`)) s.username = value(`${prefix}.username`);
      return s;
    };
    const a = { incoming: srv('incoming', protocol.value) };
    if (email.value) a.email = email.value;
    const out = ['host', 'port', 'username'].some((n) => value(`outgoing.${n}`) !== '');
    if (out) a.outgoing = srv('outgoing', 'smtp');
    if (protocol.value === 'pop3') {
      a.pop3 = { leaveOnServer: inputs['pop3.leaveOnServer'].checked };
      const days = inputs['pop3.deleteAfterDays'].value;
      if (days !== '') a.pop3.deleteAfterDays = Number(days);
    }
    return a;
  }

  function setServer(prefix, s) {
    if (!s) {
      for (const n of ['host', 'port', 'username']) inputs[`${prefix}.${n}`].value = '';
      inputs[`${prefix}.auth`].value = '';
      inputs[`${prefix}.security`].value = 'tls';
      return;
    }
    if (prefix === 'incoming' && s.protocol in { imap: 1, pop3: 1 }) protocol.value = s.protocol;
    inputs[`${prefix}.host`].value = s.host ?? '';
    inputs[`${prefix}.port`].value = s.port ?? '';
    inputs[`${prefix}.security`].value = s.security ?? 'tls';
    inputs[`${prefix}.auth`].value = s.auth ?? '';
    inputs[`${prefix}.username`].value = s.username ?? '';
  }

  function setAccount(a) {
    if ('incoming' in a) {
      if (a.email !== undefined) email.value = a.email;
      setServer('incoming', a.incoming);
      setServer('outgoing', a.outgoing);
      if (a.pop3) {
        inputs['pop3.leaveOnServer'].checked = a.pop3.leaveOnServer;
        inputs['pop3.deleteAfterDays'].value = a.pop3.deleteAfterDays ?? '';
      }
    }
  }

  /** Fills in the provider's preferred servers for the chosen incoming protocol. */
  function prefill(p) {
    const addr = email.value.trim();
    let proto = protocol.value;
    if (!endpoints(p, proto).length) proto = endpoints(p, 'imap').length ? 'imap' : 'pop3';
    const endpoint = (pr) => {
      const e = endpoints(p, pr)[0];
      if (!e) return null;
      return {
        protocol: pr, host: e.host, port: e.port, security: e.security, auth: p.auth.accepted[0],
        username: usernameValue(e.username ?? p.username, addr),
      };
    };
    setServer('incoming', endpoint(proto));
    setServer('outgoing', endpoint('smtp'));
    if (proto === 'pop3') {
      inputs['pop3.leaveOnServer'].checked = true;
    }
    touched = false;
    filledFor = p.id;
  }

  function showProvider() {
    const addr = email.value.trim();
    const p = addr.includes('@') ? m.lookupProvider(addr) : undefined;
    if (!p) {
      fill(providerHint, addr.includes('@') && addr.split('@')[1].includes('.') ? 'Not in mailsetup’s provider table: type the settings your provider gives you.' : '');
      return;
    }
    if (!touched) prefill(p);
    const offers = ['imap', 'pop3', 'smtp'].filter((x) => endpoints(p, x).length);
    fill(
      providerHint,
      `Recognised: ${p.name}.`,
      offers.length ? null : ` ${p.note ?? `${p.name} offers no IMAP, POP3 or SMTP access.`}`,
      touched && offers.length
        ? h('button', { type: 'button', class: 'copy', onclick: () => { prefill(p); check(); } }, `Fill in ${p.name}’s settings`)
        : null,
    );
  }

  function placeFindings(rep) {
    clear();
    for (const f of rep.findings) {
      const list = lists[f.field] ?? lists[f.field.split('.')[0]] ?? lists.general;
      const where = lists[f.field] ? null : (FIELD_LABEL[f.field.split('.').pop()] ?? f.field);
      const fixable = f.fix && (inputs[f.fix.field] || (typeof f.fix.value === 'object' && inputs[`${f.fix.field}.host`]));
      list.append(findingItem(f, { rulesHref: 'rules.html', onFix: fixable ? applyFix : null, label: where }));
      if (f.severity === 'error') inputs[f.field]?.setAttribute('aria-invalid', 'true');
    }
  }

  const pristine = () =>
    email.value === '' && ['incoming', 'outgoing'].every((p) => ['host', 'port', 'username'].every((n) => value(`${p}.${n}`) === ''));

  function clear() {
    for (const list of Object.values(lists)) list.replaceChildren();
    for (const input of Object.values(inputs)) input.removeAttribute('aria-invalid');
  }

  function check() {
    if (!m) return;
    pop3.hidden = protocol.value !== 'pop3';
    if (pristine()) {
      report = null;
      drawn = null;
      clear();
      summary.className = 'summary empty';
      fill(verdict, 'Type your email address to fill in your provider’s settings, or type the settings your mail app shows.');
      fixAll.disabled = true;
      form.dataset.verdict = 'empty';
      return;
    }
    try {
      report = m.validate(account());
    } catch (e) {
      // Input that cannot be understood at all (a port that is not a number): shown at its field.
      report = null;
      drawn = null;
      clear();
      const path = e.field && lists[e.field] ? e.field : 'general';
      const msg = String(e.message).replace(/^`[^`]*`: /, '');
      lists[path].append(h('li', { class: 'finding error', 'data-field': path }, h('span', { class: 'badge error' }, 'Error'), ' ', msg));
      inputs[path]?.setAttribute('aria-invalid', 'true');
      summary.className = 'summary error';
      fill(verdict, `${FIELD_LABEL[path.split('.').pop()] ?? 'Input'}: ${msg}`);
      fixAll.disabled = true;
      form.dataset.verdict = 'invalid';
      return;
    }
    // Redraw only when the report changed: focus and a half-done click survive a no-op keystroke.
    const key = JSON.stringify(report);
    if (key === drawn) return;
    drawn = key;
    placeFindings(report);
    summary.className = `summary ${report.verdict}`;
    fill(verdict, verdictText(report), report.provider ? ` Checked against ${report.provider.name}’s requirements.` : '');
    fixAll.disabled = !(report.fixed && report.findings.some((f) => f.fix));
    form.dataset.verdict = report.verdict;
  }

  function applyFix(fix) {
    if (fix.value !== null && typeof fix.value === 'object') {
      setServer(fix.field, fix.value);
    } else if (inputs[fix.field]?.type === 'checkbox') {
      inputs[fix.field].checked = Boolean(fix.value);
    } else if (inputs[fix.field]) {
      inputs[fix.field].value = String(fix.value);
    }
    check();
    const target = inputs[fix.field] ?? inputs[`${fix.field}.host`];
    (target ?? verdict).focus();
  }

  fixAll.addEventListener('click', () => {
    if (report?.fixed) setAccount(report.fixed);
    check();
    verdict.focus();
  });

  form.addEventListener('submit', (e) => e.preventDefault());
  form.addEventListener('input', (e) => {
    if (e.target === email) showProvider();
    else if (e.target !== protocol) touched = true;
    check();
  });
  // Text fields report every keystroke as `input`; a text field's `change` (on blur) would redraw
  // the findings under a button being clicked, so only selects and checkboxes count here.
  form.addEventListener('change', (e) => {
    if (e.target.tagName !== 'SELECT' && e.target.type !== 'checkbox') return;
    if (e.target === protocol && !touched && filledFor) {
      const p = providerTable().find((x) => x.id === filledFor);
      if (p) prefill(p);
    }
    check();
  });

  return {
    start(api) {
      m = api;
      setServer('incoming', null);
      setServer('outgoing', null);
      check();
    },
    /** Fills the form with an account (from the advisor) and checks it. */
    load(a) {
      setAccount(a);
      touched = true;
      showProvider();
      check();
    },
  };
}

// ------------------------------------------------------------------------------------------------
// Settings card

function startCard(m, providers) {
  const select = $('card-provider');
  const email = $('card-email');
  const card = $('card-settings');
  const downloads = $('card-downloads');
  fill(select, h('option', { value: '' }, 'Choose a provider…'), providers.map((p) => h('option', { value: p.id }, p.name)));

  const update = () => {
    if (select.value) card.setAttribute('provider', select.value);
    else card.removeAttribute('provider');
    card.setAttribute('email', email.value.trim());
    renderDownloads(m, downloads, providers.find((p) => p.id === select.value), email.value.trim());
  };
  select.addEventListener('change', update);
  email.addEventListener('input', () => {
    const p = email.value.includes('@') ? m.lookupProvider(email.value.trim()) : undefined;
    if (p && p.id !== select.value) select.value = p.id;
    update();
  });
  select.value = 'gmail';
  update();
}

/** The documents exportConfig() writes, with the file names and types a download gets. */
const EXPORTS = [
  { format: 'autoconfig', label: 'Thunderbird autoconfig', file: 'config-v1.1.xml', type: 'application/xml' },
  { format: 'autodiscover', label: 'Outlook Autodiscover', file: 'autodiscover.xml', type: 'application/xml' },
  { format: 'mobileconfig', label: 'Apple profile', file: 'mail.mobileconfig', type: 'application/x-apple-aspen-config' },
  { format: 'srv', label: 'DNS SRV records', file: 'srv.zone', type: 'text/plain' },
  { format: 'markdown', label: 'Markdown card', file: 'mail-settings.md', type: 'text/markdown' },
  { format: 'html', label: 'HTML card', file: 'mail-settings.html', type: 'text/html' },
];

/** What to export for a provider and an address: the address alone when it is the provider's
 * own domain (every server it offers), else an account with the provider's preferred servers
 * (a custom domain hosted there). */
function exportInput(m, provider, email) {
  if (m.lookupProvider(email)?.id === provider.id) return { email };
  const server = (protocol) => {
    const e = endpoints(provider, protocol)[0];
    return e && {
      protocol, host: e.host, port: e.port, security: e.security, auth: provider.auth.accepted[0],
      username: usernameValue(e.username ?? provider.username, email) || undefined,
    };
  };
  const incoming = server('imap') ?? server('pop3');
  const outgoing = server('smtp');
  const account = { email, incoming };
  if (outgoing) account.outgoing = outgoing;
  if (incoming?.protocol === 'pop3') account.pop3 = { leaveOnServer: true };
  return account;
}

function download(text, file, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  // Our own blob: URL (h() only links to http(s) and relative pages).
  const a = h('a', { download: file, class: 'offscreen' });
  a.href = url;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function renderDownloads(m, el, provider, email) {
  if (!provider) {
    el.replaceChildren();
    return;
  }
  const status = h('p', { class: 'hint', role: 'status', 'aria-live': 'polite' });
  const usable = email.includes('@') && endpoints(provider, 'imap').concat(endpoints(provider, 'pop3')).length > 0;
  const buttons = EXPORTS.map((x) =>
    h(
      'button',
      {
        type: 'button',
        class: 'download',
        'data-format': x.format,
        disabled: !usable,
        title: `${x.file}`,
        onclick: async () => {
          try {
            // The documents module loads on the first download.
            const d = await documents();
            download(d.exportConfig(exportInput(m, provider, email), x.format), x.file, x.type);
            fill(status, `Downloaded ${x.file}.`);
          } catch (e) {
            fill(status, `${x.label}: ${e.message}`);
          }
        },
      },
      x.label,
    ),
  );
  fill(
    el,
    h('span', { class: 'label' }, 'Configuration files:'),
    buttons,
    status,
    usable ? null : h('p', { class: 'hint' }, endpoints(provider, 'smtp').length || endpoints(provider, 'imap').length
      ? 'Type your email address above to download files made for it.'
      : `${provider.name} offers no mail-app access to configure.`),
  );
}

// ------------------------------------------------------------------------------------------------
// Which protocol?

function startAdvisor(m, checker) {
  const answer = $('advisor-answer');
  if (typeof m.advise !== 'function') {
    fill(answer, h('p', { class: 'failed' }, 'The advisor is not part of this build.'));
    return;
  }
  const form = $('advisor-form');
  const run = () => renderAdvice(m, form, answer, checker);
  // Checkboxes, numbers and text all report `input`; `change` (on blur) is not needed and would
  // redraw the answer under a button being clicked. applyWhatIf dispatches `input` too.
  form.addEventListener('input', run);
  run();
}

const INPUT_LABEL = {
  baseline: 'Starting point',
  devices: 'Devices',
  webmail: 'Webmail too',
  offline: 'Offline history',
  backup: 'Local backup',
  lowStorage: 'Tight server space',
  slow: 'Slow connection',
  folders: 'Folders everywhere',
  shared: 'Shared mailbox',
  keepNothingOnServer: 'Mail off the server',
};

/** The situation as the form says it (unchecked boxes are left out: "not said"). */
function situation(form) {
  const s = {};
  const devices = form.elements.devices.value;
  if (devices !== '') s.devices = Number(devices);
  for (const box of form.querySelectorAll('input[type=checkbox]')) if (box.checked) s[box.name] = true;
  const email = form.elements.email.value.trim();
  if (email) s.email = email;
  return s;
}

function renderAdvice(m, form, answer, checker) {
  const s = situation(form);
  const key = JSON.stringify(s);
  if (key === answer.dataset.situation) return;
  answer.dataset.situation = key;
  const hint = $('adv-provider');
  let rec;
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  try {
    rec = m.advise(s);
    fill(hint, rec.provider ? `Provider: ${rec.provider.name}.` : '');
  } catch (e) {
    // A half-typed address or a device count of 0: say so at the field, answer without it.
    const el = e.field && form.elements[e.field];
    if (el) el.setAttribute('aria-invalid', 'true');
    if (e.field === 'email') fill(hint, String(e.message).replace(/^`[^`]*`: /, ''));
    delete s[e.field];
    try {
      rec = m.advise(s);
    } catch (again) {
      fill(answer, h('p', { class: 'failed' }, String(again.message)));
      return;
    }
  }
  answer.dataset.protocol = rec.protocol;
  const conf = Math.round(rec.confidence * 100);
  const parts = [
    h(
      'p',
      { class: 'verdict-big', id: 'adv-verdict' },
      h('span', { class: `proto ${rec.protocol}` }, PROTOCOL[rec.protocol]),
      h('span', { class: 'conf' }, rec.constraint ? 'is the only choice here' : `fits best · ${conf}% sure`),
    ),
  ];
  if (rec.constraint) parts.push(h('p', { class: 'constraint' }, rec.constraint.message));
  parts.push(chart(answer, rec));
  const reasons = rec.factors.filter((f) => f.favours === rec.protocol && f.input !== 'baseline').slice(0, 3);
  const against = rec.factors.filter((f) => f.favours !== rec.protocol);
  if (reasons.length) parts.push(h('h3', null, 'Why'), h('ul', { class: 'reasons' }, reasons.map((f) => h('li', null, f.reason))));
  if (against.length) parts.push(h('h3', null, 'On the other side'), h('ul', { class: 'counter' }, against.map((f) => h('li', null, f.reason))));
  if (rec.caveats.length) {
    parts.push(h('h3', null, 'Keep in mind'), h('ul', { class: 'caveats' }, rec.caveats.map((c) => h('li', { class: 'caveat', 'data-id': c.id }, c.text))));
  }
  if (rec.whatIf.length) {
    parts.push(
      h('h3', null, 'What would change the answer'),
      h(
        'ul',
        { class: 'what-if' },
        rec.whatIf.map((w) =>
          h('li', null, w.sentence, ' ', h('button', { type: 'button', class: 'copy', onclick: () => applyWhatIf(form, w.set, answer) }, 'Try it')),
        ),
      ),
    );
  }
  if (rec.settings) parts.push(h('h3', null, 'Settings to type in'), settingsTable(rec.settings));
  if (rec.steps.length) {
    parts.push(
      h('h3', null, rec.settings ? 'Also' : 'What to do'),
      h('ol', { class: 'steps' }, rec.steps.map((st) => h('li', { 'data-kind': st.kind }, st.text, st.url ? [' ', h('a', { href: st.url, rel: 'noopener noreferrer', target: '_blank' }, 'Open')] : null))),
    );
  }
  if (rec.settings) {
    parts.push(
      h('p', null, h('button', { type: 'button', class: 'primary', id: 'adv-check', onclick: () => { checker.load(rec.settings); $('check').scrollIntoView(); $('c-verdict').focus({ preventScroll: true }); } }, 'Check these settings')),
    );
  }
  // The chart figure is reused (chart() finds it), so its bars move as answers change.
  fill(answer, parts);
}

/** The factors as a diverging bar chart: toward IMAP to the left, toward POP3 to the right. */
function chart(answer, rec) {
  const fig = answer.querySelector('figure.chart') ?? h('figure', { class: 'chart' });
  const rows = new Map([...fig.querySelectorAll('.bar-row[data-input]')].map((r) => [r.dataset.input, r]));
  const lead = rec.scores.imap - rec.scores.pop3;
  const scale = Math.max(1, Math.abs(lead), ...rec.factors.map((f) => f.weight));
  const setBar = (row, favours, weight) => {
    const bar = row.querySelector('.bar');
    bar.className = `bar ${favours}`;
    bar.style.width = `${(weight / scale) * 50}%`;
    row.querySelector('.sr').textContent = weight ? `: ${weight} toward ${PROTOCOL[favours]}` : ': even';
  };
  const makeRow = (key, label) =>
    h('div', { class: 'bar-row', 'data-input': key }, h('span', { class: 'label' }, label, h('span', { class: 'sr' })), h('div', { class: 'track', 'aria-hidden': 'true' }, h('div', { class: 'bar' })));
  const ordered = [];
  for (const f of rec.factors) {
    const row = rows.get(f.input) ?? makeRow(f.input, INPUT_LABEL[f.input] ?? f.input);
    rows.delete(f.input);
    row.title = f.reason;
    setBar(row, f.favours, f.weight);
    ordered.push(row);
  }
  const total = fig.querySelector('.bar-row.total') ?? makeRow('total', 'Overall');
  total.classList.add('total');
  delete total.dataset.input;
  setBar(total, lead >= 0 ? 'imap' : 'pop3', Math.abs(lead));
  const axis = fig.querySelector('.axis-labels') ?? h('div', { class: 'axis-labels', 'aria-hidden': 'true' }, h('span'), h('span', { class: 'to-imap' }, '← toward IMAP'), h('span', { class: 'to-pop3' }, 'toward POP3 →'));
  const caption = fig.querySelector('figcaption') ?? h('figcaption', { class: 'sr' }, 'What counted, toward IMAP or toward POP3');
  fig.replaceChildren(caption, axis, ...ordered, total);
  return fig;
}

function applyWhatIf(form, set, answer) {
  for (const [key, value] of Object.entries(set)) {
    const el = form.elements[key];
    if (!el) continue;
    if (el.type === 'checkbox') el.checked = Boolean(value);
    else el.value = String(value);
  }
  form.dispatchEvent(new Event('input'));
}

const AUTH_SHORT = {
  password: 'Normal password',
  'app-password': 'App password',
  oauth2: 'OAuth2 (sign in with the provider)',
  'encrypted-password': 'Encrypted password',
  'client-certificate': 'Client certificate',
  none: 'None',
};

/** The account to type in: one small table per server, with copy buttons. */
function settingsTable(a) {
  const status = h('span', { class: 'sr', role: 'status', 'aria-live': 'polite' });
  const card = (role, s) => {
    const row = (name, ...value) => h('tr', null, h('th', { scope: 'row' }, name), h('td', null, value));
    return h(
      'figure',
      { class: 'server-card', 'data-role': role.toLowerCase() },
      h('figcaption', null, `${role} mail `, h('small', null, PROTOCOL[s.protocol])),
      h(
        'table',
        null,
        h(
          'tbody',
          null,
          row('Server', copyable(s.host, `${role} server`, status)),
          row('Port', copyable(s.port, `${role} port`, status)),
          row('Security', SECURITY[s.security]),
          row('Username', s.username ? copyable(s.username, `${role} username`, status) : 'your provider’s login name'),
          row('Authentication', s.auth ? AUTH_SHORT[s.auth] : '—'),
        ),
      ),
    );
  };
  const pop = a.pop3
    ? h(
        'p',
        { class: 'hint' },
        a.pop3.leaveOnServer
          ? `POP3: leave a copy of messages on the server${a.pop3.deleteAfterDays ? `, remove them after ${a.pop3.deleteAfterDays} days` : ''}.`
          : 'POP3: messages are removed from the server once downloaded.',
      )
    : null;
  return h('div', { class: 'account' }, h('div', { class: 'server-cards' }, card('Incoming', a.incoming), a.outgoing ? card('Outgoing', a.outgoing) : null), pop, status);
}

main().catch((e) => {
  for (const el of document.querySelectorAll('.loading')) {
    el.className = 'failed';
    el.textContent = `mailsetup could not start: ${e.message}`;
  }
  document.documentElement.dataset.ready = 'failed';
  throw e;
});
