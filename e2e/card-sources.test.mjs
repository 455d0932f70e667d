// The settings card says where its settings come from (issue 11, item 7): next to each
// protocol's settings, the core's words for the source of the preferred server and its date
// ("per Gmail's own page (…, read 2026-12-02)", "per Thunderbird's ISPDB (as of 2026-03-12)
// only; unconfirmed by …"), links to the sources, "Unconfirmed" where no page of the provider's
// own backs it; and the facts a reader acts on — the credential to use and how to get it (an app
// password, an authorization code), switches to turn on, limits, announced changes — each
// marked the same way. Accessible (axe), within 375 px, and without moving the page (CLS).
// Providers are picked from the package's table by what their facts say, so that the test
// follows the data.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startServer, launch, openPage, shot } from './harness.mjs';

const AXE = readFileSync(join(ROOT, 'e2e', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const pkg = new URL('../pkg/', import.meta.url);
const table = (await import(new URL('provider-table.js', pkg))).default;
const core = await import(new URL('mailsetup.js', pkg));
core.initSync({ module: readFileSync(new URL('mailsetup_bg.wasm', pkg)) });
core.loadProviders(table);

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

const about = (fact, protocol) => !fact.protocols?.length || fact.protocols.includes(protocol);
const preferred = (id, protocol) => core.providerById(id).servers.find((s) => s.protocol === protocol);
const pick = (what, test) => {
  const p = table.find(test);
  assert.ok(p, `a provider of the table with ${what}`);
  return p.id;
};
// What the cards show, chosen by the facts.
const CONFIRMED = 'gmail';
const UNCONFIRMED = pick('an unconfirmed IMAP server', (p) => p.servers?.some((s) => s.protocol === 'imap') && !preferred(p.id, 'imap').confirmed);
const CODE = pick('an authorization code with steps', (p) => p.credentials?.some((c) => c.kind === 'authorization-code' && c.accepted && c.how));
const SWITCH = pick('a POP3 switch to turn on', (p) => core.providerById(p.id).enable?.some((e) => e.required && e.protocols.includes('pop3')) && p.servers?.some((s) => s.protocol === 'pop3'));
const LIMITS = pick('SMTP limits', (p) => p.plans?.some((x) => about(x, 'smtp')) && p.servers?.some((s) => s.protocol === 'smtp'));
const ANNOUNCED = pick('an announced change', (p) => p.changes?.some((c) => c.status === 'announced'));
const CARDS = [
  [CONFIRMED, 'imap'],
  [UNCONFIRMED, 'imap'],
  [CODE, 'imap'],
  [SWITCH, 'pop3'],
  [LIMITS, 'smtp'],
  [ANNOUNCED, null],
];
const BODY = CARDS.map(([id, protocol]) => `<mail-settings id="card-${id}" provider="${id}"${protocol ? ` protocol="${protocol}"` : ''}></mail-settings><p>Text after the card.</p>`).join('\n');

async function cardsPage({ width = 1000, colorScheme = 'light' } = {}) {
  const page = await openPage(browser, server.url, { width, colorScheme });
  page.shifts = [];
  await page.route(`${server.url}fixture.html`, (route) =>
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Cards</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<style>body { font: 16px/1.5 system-ui, sans-serif; margin: 1rem; } :root { color-scheme: light dark; }
@media (prefers-color-scheme: dark) { body { background: #0d1117; color: #e6edf3; } }
mail-settings:not(:defined) { display: block; min-height: 21.5rem; }
@media (max-width: 40rem) { mail-settings:not(:defined) { min-height: 44rem; } }</style>
<script type="module" src="elements.js"></script></head><body><main><h1>Mail apps</h1>${BODY}</main></body></html>`,
    }),
  );
  await page.addInitScript(() => {
    window.__cls = { widgets: 0, all: 0 };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.hadRecentInput) continue;
        window.__cls.all += e.value;
        const widget = (n) => n?.isConnected && [...document.querySelectorAll('mail-settings')].some((w) => w === n || w.compareDocumentPosition(n) & Node.DOCUMENT_POSITION_FOLLOWING);
        if ((e.sources ?? []).some((s) => widget(s.node))) window.__cls.widgets += e.value;
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await page.goto(`${server.url}fixture.html`);
  await page.waitForFunction(() => [...document.querySelectorAll('mail-settings')].every((e) => e.dataset.state === 'ready'), null, { timeout: 20_000 });
  return page;
}

/** One card as the reader sees it. */
function card(page, id, protocol) {
  return page.evaluate(([i, p]) => {
    const f = document.getElementById(`card-${i}`).shadowRoot.querySelector(`figure[data-protocol=${p}]`);
    const basis = f.querySelector('.basis');
    return {
      basis: basis.textContent,
      unconfirmed: Boolean(basis.querySelector('.badge.unconfirmed')),
      links: [...basis.querySelectorAll('a')].map((a) => a.href),
      notes: [...f.querySelectorAll('.notes li')].map((li) => ({ text: li.textContent, unconfirmed: Boolean(li.querySelector('.badge.unconfirmed')), links: [...li.querySelectorAll('a[title]')].map((a) => a.href) })),
    };
  }, [id, protocol]);
}

/** The sources of a fact, as the card links them (the provider's own settings are not linked). */
const linkedSources = (provider, fact) => fact.sources.map((i) => provider.sources[i]).filter((s) => s.url && s.kind !== 'definition').map((s) => new URL(s.url).href);

test('each card says where its settings come from, with the date, the links, and "Unconfirmed" where only a database says so', async () => {
  const page = await cardsPage();
  for (const [id, protocol] of [[CONFIRMED, 'imap'], [UNCONFIRMED, 'imap'], [CODE, 'imap'], [LIMITS, 'smtp']]) {
    const provider = core.providerById(id);
    const endpoint = preferred(id, protocol);
    const { attribution, asOf } = core.validate({ protocol, host: endpoint.host, port: endpoint.port, security: endpoint.security }, { provider: table.find((p) => p.id === id) }).provider.basis[0];
    const got = await card(page, id, protocol);
    const said = `${attribution.charAt(0).toUpperCase()}${attribution.slice(1)}.`;
    assert.ok(got.basis.replace(/^Unconfirmed /, '').startsWith(said), `${id}: "${got.basis}" starts with "${said}"`);
    assert.ok(asOf && got.basis.includes(asOf), `${id}: the date ${asOf} is shown`);
    assert.equal(got.unconfirmed, !endpoint.confirmed, `${id}: marked unconfirmed exactly when the server is`);
    assert.deepEqual(got.links, linkedSources(provider, endpoint), `${id}: links to the server's sources`);
  }
  const gmail = await card(page, CONFIRMED, 'imap');
  assert.match(gmail.basis, /^Per Gmail's own page \(developers\.google\.cn, (read|as of) \d{4}-\d{2}(-\d{2})?\)\. Sources: /);
  const unconfirmed = await card(page, UNCONFIRMED, 'imap');
  assert.match(unconfirmed.basis, /^Unconfirmed Per .*only; unconfirmed by /);
  await shot(page, 'card-sources');
  assert.deepEqual(page.problems.console, []);
  assert.deepEqual(page.problems.pageErrors, []);
  assert.deepEqual(page.problems.external, []);
  await page.closeAll();
});

test('the facts a reader acts on: the credential and how to get it, switches, limits, announced changes, each with its marks', async () => {
  const page = await cardsPage();
  /** The note that says `text`, with the marks its facts give. */
  const note = async (id, protocol, start, facts) => {
    const provider = core.providerById(id);
    const got = (await card(page, id, protocol)).notes.find((n) => n.text.startsWith(start));
    assert.ok(got, `${id} ${protocol}: a note starting "${start}"`);
    assert.equal(got.unconfirmed, !facts.every((f) => f.confirmed), `${id}: "${start}" marked unconfirmed exactly when a fact is`);
    assert.deepEqual(got.links, [...new Set(facts.flatMap((f) => linkedSources(provider, f)))], `${id}: "${start}" links its sources`);
    return got;
  };
  const code = core.providerById(CODE).credentials.find((c) => c.kind === 'authorization-code' && c.accepted && c.how);
  await note(CODE, 'imap', `How to get an authorization code: ${code.how}`, [code]);
  const sign = core.providerById(CODE).signIn.find((s) => s.protocol === 'imap');
  await note(CODE, 'imap', sign.note, core.providerById(CODE).credentials.filter((c) => c.accepted !== undefined && c.kind !== 'unknown' && about(c, 'imap')));
  const toggle = core.providerById(SWITCH).enable.find((e) => e.required && e.protocols.includes('pop3'));
  await note(SWITCH, 'pop3', `Switch it on first: ${toggle.steps}`, [toggle]);
  const plan = core.providerById(LIMITS).plans.find((x) => about(x, 'smtp'));
  await note(LIMITS, 'smtp', `Limits: ${plan.text}`, [plan]);
  const change = core.providerById(ANNOUNCED).changes.find((c) => c.status === 'announced');
  const protocol = change.protocols?.[0] ?? 'imap';
  await note(ANNOUNCED, protocol, `From ${change.date}: ${change.summary}`, [change]);
  await page.closeAll();
});

for (const colorScheme of ['light', 'dark']) {
  test(`the cards are accessible (axe, WCAG 2.1 A and AA) in the ${colorScheme} scheme`, async () => {
    const page = await cardsPage({ colorScheme });
    await page.evaluate(AXE);
    const violations = await page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const r = await axe.run({ include: [['mail-settings']] }, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'], resultTypes: ['violations'] });
      return r.violations.flatMap((v) => v.nodes.map((n) => `${v.id} ${n.target.join(' > ')}: ${n.failureSummary}`));
    });
    assert.deepEqual(violations, []);
    await page.closeAll();
  });
}

test('at 375 px the cards fit the screen, and drawing them moves nothing (CLS < 0.1)', async () => {
  for (const width of [375, 1000]) {
    const page = await cardsPage({ width });
    await page.waitForTimeout(300);
    const wide = await page.evaluate(() => {
      const out = [];
      for (const el of document.querySelectorAll('mail-settings')) {
        for (const node of el.shadowRoot.querySelectorAll('*')) {
          const r = node.getBoundingClientRect();
          if (r.width && r.right > document.documentElement.clientWidth + 0.5) out.push(`${el.id} ${node.localName}.${node.className}: right ${Math.round(r.right)}`);
        }
      }
      return { out, scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth };
    });
    assert.deepEqual(wide.out, [], `${width} px: nothing sticks out`);
    assert.ok(wide.scroll <= wide.client, `${width} px: no sideways scrolling (${wide.scroll} > ${wide.client})`);
    const cls = await page.evaluate(() => window.__cls);
    assert.ok(cls.widgets < 0.1, `${width} px: the cards' CLS is ${cls.widgets.toFixed(3)}`);
    if (width === 375) await shot(page, 'card-sources-375');
    await page.closeAll();
  }
});
