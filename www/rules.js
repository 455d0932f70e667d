// The rule documentation page: every rule from rules(), grouped by family, each at #CODE.

import { documents } from './wasm.js';
import { h, fill, withCode, severityBadge } from './ui.js';

const FAMILY = {
  H: 'Host',
  P: 'Port and transport',
  T: 'TLS',
  A: 'Authentication and username',
  C: 'Domain audit (terminal and report)',
  V: 'Provider policy',
  O: 'POP3 options',
  D: 'Autoconfig documents',
  N: 'Network probe (terminal only)',
};

/** A reference as text, with RFCs and web addresses as links. */
function reference(text) {
  const rfc = /^RFC\s?(\d{3,5})/.exec(text);
  if (rfc) return h('a', { href: `https://www.rfc-editor.org/rfc/rfc${rfc[1]}`, rel: 'noopener noreferrer' }, text);
  const url = /https:\/\/\S+/.exec(text);
  if (url) {
    const before = text.slice(0, url.index);
    return [before, h('a', { href: url[0], rel: 'noopener noreferrer' }, url[0]), text.slice(url.index + url[0].length)];
  }
  return text;
}

function ruleSection(r) {
  return h(
    'article',
    { class: 'rule', id: r.code, 'data-search': `${r.code} ${r.name} ${r.summary} ${r.what} ${r.why}`.toLowerCase(), tabindex: '-1' },
    h(
      'h3',
      null,
      h('a', { class: 'code', href: `#${r.code}` }, r.code),
      h('span', { class: 'name' }, r.name),
      severityBadge(r.severity),
    ),
    h('p', { class: 'summary-line' }, withCode(r.summary)),
    h(
      'dl',
      null,
      h('dt', null, 'What'),
      h('dd', null, withCode(r.what)),
      h('dt', null, 'Why'),
      h('dd', null, withCode(r.why)),
      h('dt', null, 'Example'),
      h('dd', null, withCode(r.example)),
      h('dt', null, 'References'),
      h('dd', null, h('ul', null, r.references.map((ref) => h('li', null, reference(ref))))),
    ),
  );
}

async function main() {
  const m = await documents();
  fill(document.getElementById('version'), `mailsetup ${m.version()}`);
  const rules = m.rules();
  const groups = new Map();
  for (const r of rules) {
    const letter = r.code[0];
    if (!groups.has(letter)) groups.set(letter, []);
    groups.get(letter).push(r);
  }
  const container = document.getElementById('rules');
  fill(
    container,
    [...groups].map(([letter, list]) =>
      h('section', { class: 'family', 'data-family': letter, 'aria-labelledby': `family-${letter}` },
        h('h2', { id: `family-${letter}` }, `${letter} — ${FAMILY[letter] ?? 'Other'}`),
        list.map(ruleSection)),
    ),
  );
  const count = document.getElementById('rules-count');
  const q = document.getElementById('rules-q');
  const filter = () => {
    const words = q.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const el of container.querySelectorAll('.rule')) {
      const hit = words.every((w) => el.dataset.search.includes(w));
      el.hidden = !hit;
      if (hit) shown += 1;
    }
    for (const sec of container.querySelectorAll('.family')) sec.hidden = !sec.querySelector('.rule:not([hidden])');
    fill(count, `${shown} of ${rules.length} rules`);
  };
  q.addEventListener('input', filter);
  filter();
  // The anchor target exists only now: scroll to it.
  const target = location.hash.slice(1) && document.getElementById(location.hash.slice(1));
  if (target) {
    target.scrollIntoView();
    target.focus({ preventScroll: true });
  }
  window.mailsetupReadyAt = performance.now();
  document.documentElement.dataset.ready = 'true';
}

// The page's script: it runs where there is a page (imported in Node, it does nothing).
if (globalThis.document) {
  main().catch((e) => {
    for (const el of document.querySelectorAll('.loading')) {
      el.className = 'failed';
      el.textContent = `mailsetup could not start: ${e.message}`;
    }
    document.documentElement.dataset.ready = 'failed';
    throw e;
  });
}
