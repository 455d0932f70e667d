// measure-own-settings.mjs — what a page with one <mail-settings> costs a reader, by the way it
// gets its settings: a provider of the table (the baseline) against an organisation's own
// settings as inline JSON, as attributes, and as a same-site autoconfig file (the examples of
// e2e/own-settings/, which the README shows). Figures, not asserts: medians of cold loads in
// Debian's Chromium, each in a fresh context, against the loopback server (scripts/serve.py).
//
//   scripts/build-pkg.sh && node scripts/measure-own-settings.mjs [RUNS]   (default 9 runs)
//
// Per page: the bytes of every response (raw, and gzip -9 of each as a compressing server would
// send it), the requests, and time-to-widget: from navigation start to the element's
// data-state="ready" (performance.now() in the page). Needs e2e/node_modules (npm ci in e2e/).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT, startServer, launch, openPage, median } from '../e2e/harness.mjs';

const RUNS = Number(process.argv[2] ?? 9);
const example = (name) => readFileSync(join(ROOT, 'e2e', 'own-settings', name), 'utf8').trim();
/** The autoconfig example's first element only (the checker is another widget). */
const autoconfigCard = example('autoconfig.html').split('\n')[0];
const AUTOCONFIG = `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1"><emailProvider id="example.edu"><domain>example.edu</domain><domain>staff.example.edu</domain>
<displayName>Example University</displayName>
<incomingServer type="imap"><hostname>imap.example.edu</hostname><port>993</port><socketType>SSL</socketType><authentication>password-cleartext</authentication><username>%EMAILLOCALPART%</username></incomingServer>
<incomingServer type="pop3"><hostname>pop.example.edu</hostname><port>995</port><socketType>SSL</socketType><authentication>password-cleartext</authentication><username>%EMAILLOCALPART%</username></incomingServer>
<outgoingServer type="smtp"><hostname>smtp.example.edu</hostname><port>587</port><socketType>STARTTLS</socketType><authentication>password-cleartext</authentication><username>%EMAILLOCALPART%</username></outgoingServer>
</emailProvider></clientConfig>
`;

const PAGES = [
  ['table provider (gmail, all protocols)', '<mail-settings provider="gmail" downloads></mail-settings>'],
  ['own: inline JSON', example('inline-json.html')],
  ['own: attributes', example('attributes.html')],
  ['own: autoconfig file', autoconfigCard],
];

const server = await startServer();
const browser = await launch();

async function load(body) {
  const page = await openPage(browser, server.url, { width: 1000 });
  const sizes = [];
  page.on('requestfinished', async (req) => {
    const res = await req.response();
    const buf = res ? await res.body().catch(() => Buffer.alloc(0)) : Buffer.alloc(0);
    sizes.push({ url: req.url(), raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length });
  });
  await page.route(`${server.url}mail/config-v1.1.xml`, (route) => route.fulfill({ contentType: 'application/xml', body: AUTOCONFIG }));
  await page.route(`${server.url}fixture.html`, (route) =>
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Mail</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<script type="module" src="elements.js"></script></head><body><main><h1>Mail</h1>${body}</main></body></html>`,
    }),
  );
  await page.addInitScript(() => {
    new MutationObserver(() => {
      const el = document.querySelector('mail-settings');
      if (el?.dataset.state && window.__ready === undefined) window.__ready = { state: el.dataset.state, at: performance.now() };
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
  });
  await page.goto(`${server.url}fixture.html`);
  await page.waitForFunction(() => window.__ready, null, { timeout: 20_000 });
  const ready = await page.evaluate(() => window.__ready);
  if (ready.state !== 'ready') throw new Error(`the widget is ${ready.state}: ${page.problems.console.join('\n')}`);
  await page.waitForLoadState('networkidle');
  await page.closeAll();
  const own = sizes.filter((s) => !s.url.endsWith('fixture.html'));
  const sum = (k) => own.reduce((n, s) => n + s[k], 0);
  return { ms: ready.at, raw: sum('raw'), gzip: sum('gzip'), files: own.map((s) => s.url.slice(server.url.length)).sort() };
}

const rows = [];
try {
  for (const [name, body] of PAGES) {
    await load(body); // warm the server's files in the OS cache; not counted
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await load(body));
    rows.push({ name, ms: median(runs.map((r) => r.ms)), raw: median(runs.map((r) => r.raw)), gzip: median(runs.map((r) => r.gzip)), files: runs[0].files });
  }
} finally {
  await browser.close();
  server.stop();
}
const base = rows[0];
console.log(`${RUNS} cold loads each, medians; bytes = every response but the page itself`);
console.log(['page', 'time-to-widget ms', 'x baseline', 'bytes raw', 'bytes gzip -9', 'x baseline', 'requests'].join(' | '));
for (const r of rows) {
  console.log([r.name, r.ms.toFixed(0), (r.ms / base.ms).toFixed(2), r.raw, r.gzip, (r.gzip / base.gzip).toFixed(2), r.files.length].join(' | '));
}
for (const r of rows) console.log(`${r.name}: ${r.files.join(' ')}`);
