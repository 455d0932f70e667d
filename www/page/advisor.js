// The page's "Which protocol?": the reader's situation (form #advisor-form) goes to the core's
// advise(); the answer shows the protocol, a chart of what counted, the reasons, what would change
// it, the settings to type in and the steps, and hands those settings to the checker.

import { LABELS } from '../labels.js';
import { FIELD_NAME, h, fill, cap, copyable, settingsRows, messageOnly } from '../ui.js';

/** The advisor's inputs as the chart names them. */
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

/** Wires the form to advise(); `checker`: the page's <mail-settings-check> (for "Check these
 * settings"). */
export function startAdvisor(m, checker) {
  const answer = document.getElementById('advisor-answer');
  if (typeof m.advise !== 'function') {
    fill(answer, h('p', { class: 'failed' }, 'The advisor is not part of this build.'));
    return;
  }
  const form = document.getElementById('advisor-form');
  const run = () => renderAdvice(m, form, answer, checker);
  // Checkboxes, numbers and text all report `input`; `change` (on blur) is not needed and would
  // redraw the answer under a button being clicked. applyWhatIf dispatches `input` too.
  form.addEventListener('input', run);
  run();
}

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

/** advise() for the situation; input it refuses (a half-typed address, 0 devices) is marked at
 * its field and the answer is given without it. Returns the recommendation, or null. */
function advise(m, form, answer, s) {
  const hint = document.getElementById('adv-provider');
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  try {
    const rec = m.advise(s);
    fill(hint, rec.provider ? `Provider: ${rec.provider.name}.` : '');
    return rec;
  } catch (e) {
    form.elements[e.field]?.setAttribute('aria-invalid', 'true');
    if (e.field === 'email') fill(hint, messageOnly(e));
    delete s[e.field];
    try {
      return m.advise(s);
    } catch (again) {
      fill(answer, h('p', { class: 'failed' }, String(again.message)));
      return null;
    }
  }
}

function renderAdvice(m, form, answer, checker) {
  const s = situation(form);
  const key = JSON.stringify(s);
  if (key === answer.dataset.situation) return;
  answer.dataset.situation = key;
  const rec = advise(m, form, answer, s);
  if (!rec) return;
  answer.dataset.protocol = rec.protocol;
  // The chart figure is reused (chart() finds it), so its bars move as answers change.
  fill(
    answer,
    headline(rec),
    rec.constraint ? h('p', { class: 'constraint' }, rec.constraint.message) : null,
    chart(answer, rec),
    reasons(rec),
    whatIfs(rec, form),
    rec.settings ? [h('h3', null, 'Settings to type in'), accountTables(rec.settings)] : null,
    steps(rec),
    rec.settings ? checkButton(rec.settings, checker) : null,
  );
}

/** "IMAP fits best · 80% sure" (or "is the only choice here"). */
function headline(rec) {
  return h(
    'p',
    { class: 'verdict-big', id: 'adv-verdict' },
    h('span', { class: `proto ${rec.protocol}` }, LABELS.protocol[rec.protocol]),
    h('span', { class: 'conf' }, rec.constraint ? 'is the only choice here' : `fits best · ${Math.round(rec.confidence * 100)}% sure`),
  );
}

/** Why (the top three reasons for), on the other side (every reason against), and the caveats. */
function reasons(rec) {
  const why = rec.factors.filter((f) => f.favours === rec.protocol && f.input !== 'baseline').slice(0, 3);
  const against = rec.factors.filter((f) => f.favours !== rec.protocol);
  return [
    why.length ? [h('h3', null, 'Why'), h('ul', { class: 'reasons' }, why.map((f) => h('li', null, f.reason)))] : null,
    against.length ? [h('h3', null, 'On the other side'), h('ul', { class: 'counter' }, against.map((f) => h('li', null, f.reason)))] : null,
    rec.caveats.length
      ? [h('h3', null, 'Keep in mind'), h('ul', { class: 'caveats' }, rec.caveats.map((c) => h('li', { class: 'caveat', 'data-id': c.id }, c.text)))]
      : null,
  ];
}

/** What would change the answer, each with "Try it". */
function whatIfs(rec, form) {
  if (!rec.whatIf.length) return null;
  return [
    h('h3', null, 'What would change the answer'),
    h(
      'ul',
      { class: 'what-if' },
      rec.whatIf.map((w) => h('li', null, w.sentence, ' ', h('button', { type: 'button', class: 'copy', onclick: () => applyWhatIf(form, w.set) }, 'Try it'))),
    ),
  ];
}

/** The steps (switch POP on, sign in with the provider, …), with their links. */
function steps(rec) {
  if (!rec.steps.length) return null;
  return [
    h('h3', null, rec.settings ? 'Also' : 'What to do'),
    h(
      'ol',
      { class: 'steps' },
      rec.steps.map((st) => h('li', { 'data-kind': st.kind }, st.text, st.url ? [' ', h('a', { href: st.url, rel: 'noopener noreferrer', target: '_blank' }, 'Open')] : null)),
    ),
  ];
}

/** "Check these settings": fills the checker with them and takes the reader there. */
function checkButton(settings, checker) {
  const go = async () => {
    await checker.load(settings);
    document.getElementById('check').scrollIntoView();
    checker.focusVerdict();
  };
  return h('p', null, h('button', { type: 'button', class: 'primary', id: 'adv-check', onclick: go }, 'Check these settings'));
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
    row.querySelector('.sr').textContent = weight ? `: ${weight} toward ${LABELS.protocol[favours]}` : ': even';
  };
  const makeRow = (key, label) =>
    h(
      'div',
      { class: 'bar-row', 'data-input': key },
      h('span', { class: 'label' }, label, h('span', { class: 'sr' })),
      h('div', { class: 'track', 'aria-hidden': 'true' }, h('div', { class: 'bar' })),
    );
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
  const axis =
    fig.querySelector('.axis-labels') ??
    h(
      'div',
      { class: 'axis-labels', 'aria-hidden': 'true' },
      h('span'),
      h('span', { class: 'to-imap' }, `← toward ${LABELS.protocol.imap}`),
      h('span', { class: 'to-pop3' }, `toward ${LABELS.protocol.pop3} →`),
    );
  const caption = fig.querySelector('figcaption') ?? h('figcaption', { class: 'sr' }, `What counted, toward ${LABELS.protocol.imap} or toward ${LABELS.protocol.pop3}`);
  fig.replaceChildren(caption, axis, ...ordered, total);
  return fig;
}

/** Sets the form as a what-if says, and answers again. */
function applyWhatIf(form, set) {
  for (const [key, value] of Object.entries(set)) {
    const el = form.elements[key];
    if (!el) continue;
    if (el.type === 'checkbox') el.checked = Boolean(value);
    else el.value = String(value);
  }
  form.dispatchEvent(new Event('input'));
}

/** The account to type in: one small table per server, with copy buttons. */
function accountTables(a) {
  const status = h('span', { class: 'sr', role: 'status', 'aria-live': 'polite' });
  const card = (role, s) =>
    h(
      'figure',
      { class: 'server-card', 'data-role': role },
      h('figcaption', null, `${cap(LABELS.protocolRole[s.protocol])} `, h('small', null, LABELS.protocol[s.protocol])),
      settingsRows([
        [FIELD_NAME.host, copyable(s.host, `${role} server`, status)],
        [FIELD_NAME.port, copyable(s.port, `${role} port`, status)],
        [FIELD_NAME.security, LABELS.security[s.security]],
        [FIELD_NAME.username, s.username ? copyable(s.username, `${role} username`, status) : 'your provider’s login name'],
        [FIELD_NAME.auth, s.auth ? LABELS.auth[s.auth] : '—'],
      ]),
    );
  const pop = a.pop3
    ? h(
        'p',
        { class: 'hint' },
        a.pop3.leaveOnServer
          ? `${LABELS.protocol.pop3}: leave a copy of messages on the server${a.pop3.deleteAfterDays ? `, remove them after ${a.pop3.deleteAfterDays} days` : ''}.`
          : `${LABELS.protocol.pop3}: messages are removed from the server once downloaded.`,
      )
    : null;
  return h(
    'div',
    { class: 'account' },
    h('div', { class: 'server-cards' }, card('incoming', a.incoming), a.outgoing ? card('outgoing', a.outgoing) : null),
    pop,
    status,
  );
}
