// Looking a domain up from the page: the domain's MX and SRV records through a DNS-over-HTTPS
// resolver (RFC 8484), read by the same discovery code as `mailsetup discover` (the discovery
// WebAssembly module, loaded on the click). Nothing is requested before the person clicks "Look
// up": not the module, not the resolver.
//
// What a page cannot do is said, not hidden: it cannot read the domain's own autoconfig file
// (another site's file is readable only if that site allows it with CORS headers, and autoconfig
// servers rarely do), it does not ask Thunderbird's ISPDB (which does not document that it allows
// web pages), and it cannot connect to mail servers to try guessed names or test a certificate.
// The trace lists those steps as skipped, with the reason, and points to the command line.
//
//   <mail-settings email="someone@example.org" discover doh-resolver="https://…/dns-query">
//
// `discover` turns the offer on (off by default: an element never offers a lookup unless its
// embedder asks); `doh-resolver` sets the resolver (default below), which the offer shows.

import { LABELS } from './labels.js';
import { h, fill, own, copyable, settingsRows, FIELD_NAME } from './ui.js';
import { discovery } from './wasm.js';

/** The resolver asked unless the embedder sets another: Cloudflare's, which documents RFC 8484
 * wire-format GET at this URL (developers.cloudflare.com/1.1.1.1/encryption/dns-over-https/). */
export const DEFAULT_RESOLVER = 'https://cloudflare-dns.com/dns-query';

/** How long one DNS query may take. */
const QUERY_TIMEOUT_MS = 5000;
/** The largest DNS message (RFC 1035 over TCP, and so over HTTPS). */
const MAX_MESSAGE = 65535;

/** The domain of an address or a domain, as typed (lower case; '' when there is none). */
export function domainOf(input) {
  const text = String(input ?? '').trim();
  const at = text.lastIndexOf('@');
  return (at >= 0 ? text.slice(at + 1) : text).replace(/\.$/, '').toLowerCase();
}

/**
 * Discovers `input` (an address or a domain) through the DNS-over-HTTPS resolver `resolver`.
 * Resolves to the Discovery (candidates, trace, advice), the same shape `mailsetup discover
 * --json` prints. `fetchImpl` is for tests.
 */
export async function discover(input, { resolver = DEFAULT_RESOLVER, fetchImpl = globalThis.fetch } = {}) {
  const m = await discovery();
  const session = new m.PageDiscovery(input, resolver);
  try {
    const t0 = performance.now();
    const now = () => performance.now() - t0;
    const running = new Set();
    const send = (query) => {
      const p = ask(query).finally(() => running.delete(p));
      running.add(p);
    };
    const ask = async (query) => {
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), QUERY_TIMEOUT_MS);
      try {
        const response = await fetchImpl(query.url, {
          headers: { accept: 'application/dns-message' },
          mode: 'cors',
          credentials: 'omit',
          referrerPolicy: 'no-referrer',
          signal: abort.signal,
        });
        const body = await readCapped(response, MAX_MESSAGE);
        if (body === null) session.failed(query.id, `the answer is larger than ${MAX_MESSAGE} bytes`, false, 0, now());
        else session.answer(query.id, response.status, response.headers.get('content-type'), body, now());
      } catch (e) {
        session.failed(query.id, String(e?.message ?? e), abort.signal.aborted, QUERY_TIMEOUT_MS / 1000, now());
      } finally {
        clearTimeout(timer);
      }
      for (const next of session.next(now())) send(next);
    };
    for (const query of session.next(0)) send(query);
    while (running.size) await Promise.race(running);
    return session.result();
  } finally {
    session.free();
  }
}

/** The body, or null when it passes `limit` bytes (reading stops there). */
async function readCapped(response, limit) {
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

const CSS = `
.discover { margin-top: .75rem; padding: .75rem; border: 1px solid var(--ms-border); border-radius: 8px; background: var(--ms-bg); }
.discover p { margin: 0 0 .6rem; }
.discover .hint { color: var(--ms-muted); font-size: .9em; }
.discover h3 { font-size: 1em; margin: 0 0 .5rem; }
.discover .cards { margin: .5rem 0; }
.discover ul, .discover ol { margin: .25rem 0 .6rem; padding-left: 1.3rem; }
.discover li { margin: .15rem 0; overflow-wrap: anywhere; }
.discover details { margin-top: .5rem; }
.discover pre { margin: .3rem 0; padding: .4rem .5rem; background: var(--ms-subtle); border-radius: 6px; overflow-x: auto; font-size: .85em; }
.discover summary { cursor: pointer; color: var(--ms-accent); }
.discover .step-found { color: var(--ms-ok); } .discover .step-failed { color: var(--ms-error); }
.discover .step-skipped, .discover .step-not-found { color: var(--ms-muted); }
.discover .trust-high { color: var(--ms-ok); } .discover .trust-medium { color: var(--ms-warning); } .discover .trust-low { color: var(--ms-error); }
`;
let sheet = null;

/** Adds the lookup's styles to the shadow root (or document) `node` lives in. */
function adoptStyles(node) {
  const root = node.getRootNode();
  if (!('adoptedStyleSheets' in root)) return;
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}

/** The command that does the whole lookup, for `input`. */
function cliCommand(input) {
  return `mailsetup discover ${input.includes('@') ? input : `someone@${input}`}`;
}

/**
 * The offer to look `input` up: what will be asked of whom, the button, and what a page cannot
 * do. `status`: a live region for copy buttons; `onDone(discovery)` after the result is shown.
 */
export function discoveryOffer(input, { resolver, status, onDone } = {}) {
  const domain = domainOf(input);
  const doh = resolver || DEFAULT_RESOLVER;
  const box = h('div', { class: 'discover', part: 'discover' });
  const button = h('button', { type: 'button', class: 'primary', onclick: () => run() }, `Look up ${domain}`);
  const offer = () => [
    h(
      'p',
      null,
      `This page can look for ${domain}'s mail settings in DNS (its MX and SRV records), through the DNS-over-HTTPS resolver `,
      h('code', null, doh),
      ', which then learns the domain name (not your address). Nothing is sent before you click.',
    ),
    button,
    h(
      'p',
      { class: 'hint' },
      'A web page cannot read the domain’s own autoconfig file (most servers do not allow web pages to), does not ask Thunderbird’s ISPDB, and cannot connect to mail servers to try names or check their certificates. The command line does all of that: ',
      copyable(cliCommand(input), 'command', status),
    ),
  ];
  const run = async () => {
    button.disabled = true;
    fill(box, h('p', { role: 'status' }, `Looking up ${domain} through ${doh}…`));
    try {
      const d = await discover(input, { resolver: doh });
      fill(box, discoveryView(d, input, status));
      onDone?.(d);
    } catch (e) {
      console.error('mailsetup: the lookup failed:', e);
      button.disabled = false;
      fill(box, h('p', { role: 'alert' }, `The lookup could not run: ${e?.message ?? e}`), offer());
    }
  };
  fill(box, offer());
  queueMicrotask(() => adoptStyles(box));
  return box;
}

const TRUST_WORDS = {
  high: 'high: published by the domain with DNSSEC, or curated',
  medium: 'medium: published, but nothing proves the answer was not changed on the way',
  low: 'low: anyone on the way could have changed it',
};

/** The result: the settings found (or that none were), where they come from and how far to trust
 * them, disagreements, what the page could not do, and every lookup. */
export function discoveryView(d, input, status) {
  const parts = [h('h3', null, `What DNS says about ${d.domain}`)];
  const chosen = [d.incoming, d.outgoing].filter((i) => i != null).map((i) => d.candidates[i]);
  if (chosen.length) {
    parts.push(h('div', { class: 'cards' }, chosen.map((c) => candidateCard(c, status))));
  } else {
    parts.push(h('p', null, `Nothing usable for ${d.domain} in DNS.`));
  }
  if (d.disagreements.length) {
    parts.push(h('p', null, 'The sources disagree:'), h('ul', null, d.disagreements.map((x) => h('li', null, x.message))));
  }
  const skipped = d.trace.filter((s) => s.outcome === 'skipped');
  if (skipped.length) {
    parts.push(
      h('p', null, 'What this page could not do:'),
      h('ul', { class: 'skipped' }, skipped.map((s) => h('li', null, h('code', null, s.what), ` — ${s.detail}`))),
    );
  }
  if (!chosen.length && d.advice.length) {
    parts.push(
      h('p', null, `What ${d.domain}’s administrator could publish:`),
      h('ul', null, d.advice.map((a) => h('li', null, a.message, a.publish ? h('pre', null, a.publish) : null))),
    );
  }
  parts.push(
    h(
      'details',
      { class: 'trace' },
      h('summary', null, `Every lookup (${d.trace.length})`),
      h(
        'ol',
        null,
        d.trace.map((s) =>
          h('li', { class: `step-${s.outcome}` }, h('code', null, s.what), ` — ${s.outcome.replace('-', ' ')}: ${s.detail}`, s.ms ? ` (${Math.round(s.ms)} ms)` : ''),
        ),
      ),
    ),
    h('p', { class: 'hint' }, 'For the whole lookup, with a test of the servers: ', copyable(`${cliCommand(input)} --verify`, 'command', status)),
  );
  return parts;
}

function candidateCard(c, status) {
  const s = c.server;
  const name = own(LABELS.protocol, s.protocol) ?? s.protocol;
  const rows = [
    [FIELD_NAME.host, copyable(s.host, `${name} server`, status)],
    [FIELD_NAME.port, copyable(s.port, `${name} port`, status)],
    [FIELD_NAME.security, own(LABELS.security, s.security) ?? s.security],
  ];
  if (s.username) rows.push([FIELD_NAME.username, copyable(s.username, `${name} username`, status)]);
  return h(
    'figure',
    { 'data-protocol': s.protocol, part: 'card' },
    h('figcaption', null, `${name} `, h('small', null, own(LABELS.protocolRole, s.protocol) ?? '')),
    settingsRows(rows, `${name} settings found for the domain`),
    h(
      'ul',
      { class: 'notes' },
      h('li', null, `From ${c.provenance.origin}; trust `, h('span', { class: `trust-${c.trust}` }, TRUST_WORDS[c.trust] ?? c.trust), '.'),
      c.provenance.notes.map((n) => h('li', null, n)),
    ),
  );
}
