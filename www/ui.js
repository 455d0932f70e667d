// The UI kit the elements and the page share: DOM building where text is always text, copy
// buttons, small tables, findings and verdicts. Nothing here touches the DOM until called, so
// the module imports anywhere (a server-side build included).

import { LABELS } from './labels.js';

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

/** The first letter in upper case (messages and labels are written lower case first, to compose). */
export function cap(text) {
  const t = String(text);
  return t.charAt(0).toUpperCase() + t.slice(1);
}

/** `map[key]` when the map has that key of its own (never an inherited one such as
 * `constructor` or `__proto__`: keys here come from data). */
export function own(map, key) {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/** `<option>`s for a select, from a map of value to text (a LABELS table, say). */
export function options(map) {
  return Object.entries(map).map(([value, text]) => h('option', { value }, text));
}

/** An error message as the core writes it, without the "`field`: " it starts with (the page
 * shows the message at its field already). */
export function messageOnly(error) {
  return String(error?.message ?? error).replace(/^`[^`]*`: /, '');
}

// ------------------------------------------------------------------------------------------------
// Copying.

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

/** execCommand('copy') where the Clipboard API is refused (an http: page, an iframe without
 * permission). */
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

/** A value with a copy button. `status`: the aria-live region that announces the copy. */
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

// ------------------------------------------------------------------------------------------------
// Tables.

/** The names of a server's settings, as the tables and the checker's form show them. */
export const FIELD_NAME = { host: 'Server', port: 'Port', security: 'Security', username: 'Username', auth: 'Authentication' };

/** A two-column table of settings: `rows` is a list of [name, ...value parts]. `caption`
 * (optional) is read by screen readers only. */
export function settingsRows(rows, caption) {
  return h(
    'table',
    null,
    caption ? h('caption', { class: 'sr' }, caption) : null,
    h('tbody', null, rows.map(([name, ...value]) => h('tr', null, h('th', { scope: 'row' }, name), h('td', null, value)))),
  );
}

// ------------------------------------------------------------------------------------------------
// Findings.

/**
 * One finding: severity, message, what to do, its code linking to the rule's documentation, and
 * an "Apply fix" button when `onFix` is given. `rulesHref`: the rules page (`rules.html`); without
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
      severityBadge(f.severity),
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

/** Input the core could not read at all (a port that is not a number), shown as a finding
 * without a code. */
export function unreadableItem(field, message, label) {
  return h(
    'li',
    { class: 'finding error', 'data-field': field },
    h('div', { class: 'f-head' }, severityBadge('error'), ' ', label ? h('span', { class: 'where' }, `${label}: `) : null, message),
  );
}

/** The severity as a small badge ("Error", "Warning", "Advice"). */
export function severityBadge(severity) {
  return h('span', { class: `badge ${severity}` }, own(LABELS.severity, severity) ?? severity);
}

/** The verdict of a report as the head of its summary. */
const VERDICT_HEAD = { ok: 'Looks right', info: 'Looks right, with advice', warning: 'Works, with risks', error: 'Needs fixing' };

/** "Needs fixing: 2 errors, 1 warning." (or "No problems found."). */
export function verdictText(report) {
  if (report.findings.length === 0) return 'No problems found.';
  const n = { error: 0, warning: 0, info: 0 };
  for (const f of report.findings) n[f.severity] += 1;
  const parts = [];
  if (n.error) parts.push(`${n.error} ${n.error === 1 ? 'error' : 'errors'}`);
  if (n.warning) parts.push(`${n.warning} ${n.warning === 1 ? 'warning' : 'warnings'}`);
  if (n.info) parts.push(`${n.info} ${n.info === 1 ? 'piece' : 'pieces'} of advice`);
  return `${own(VERDICT_HEAD, report.verdict)}: ${parts.join(', ')}.`;
}

