// The audit's HTML reports in Debian's Chromium: each renders with the client × outcome matrix
// at the top, makes no request at all beyond the file itself (no script, style sheet, font or
// image from anywhere), runs no script, shows what the domain served as text, and prints.
// The reports are written by `cargo test --test audit` (target/e2e/audit/, no probes) and, with
// Dovecot, `cargo test --features real-servers --test audit_real` (target/e2e/audit-real/).
// Screenshots and PDFs go to target/e2e/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, ROOT, SHOTS } from './harness.mjs';

const PLAIN = join(ROOT, 'target', 'e2e', 'audit');
const REAL = join(ROOT, 'target', 'e2e', 'audit-real');
const CLIENTS = ['Thunderbird', 'Thunderbird for Android', 'Outlook', 'Outlook (new)', 'Apple Mail', 'Delta Chat'];

function reports(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.html'))
    .map((f) => join(dir, f));
}

let browser;
before(async () => {
  if (reports(PLAIN).length === 0) {
    throw new Error(`no reports in ${PLAIN}: run \`cargo test --test audit\` first (scripts/test.sh does)`);
  }
  browser = await launch();
});
after(async () => browser?.close());

/** Opens a report from its file, recording every request, console error, page error, dialog. */
async function open(file, media = 'screen') {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: true });
  const page = await context.newPage();
  const url = pathToFileURL(file).href;
  const seen = { requests: [], console: [], errors: [], dialogs: [] };
  page.on('request', (r) => seen.requests.push(r.url()));
  page.on('console', (m) => m.type() === 'error' && seen.console.push(m.text()));
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  page.on('dialog', (d) => {
    seen.dialogs.push(d.message());
    d.dismiss();
  });
  await page.emulateMedia({ media });
  await page.goto(url, { waitUntil: 'load' });
  return { page, url, seen, close: () => context.close() };
}

for (const file of [...reports(PLAIN), ...reports(REAL)]) {
  const name = `${file.includes('audit-real') ? 'real-' : ''}${file.split('/').pop().replace('.html', '')}`;
  test(`audit report ${name}: renders offline with the matrix first`, async () => {
    const { page, url, seen, close } = await open(file);
    try {
      // Nothing but the file itself was requested.
      assert.deepEqual(seen.requests, [url], `requests off the page: ${seen.requests.join(', ')}`);
      assert.deepEqual(seen.console, []);
      assert.deepEqual(seen.errors, []);
      assert.deepEqual(seen.dialogs, [], 'no script ran');
      assert.equal(await page.locator('script, img, link, iframe, object, embed').count(), 0);
      // Nothing the CSP would block silently either: no CSS url() or @import.
      const source = readFileSync(file, 'utf8');
      assert.ok(!/url\(|@import/i.test(source.match(/<style>[\s\S]*?<\/style>/)?.[0] ?? ''), 'no url() in the CSS');
      assert.ok(!/ style=/.test(source), 'no inline style attributes with resources');
      if (name.includes('overview')) {
        const heads = await page.locator('table.matrix thead th').allInnerTexts();
        assert.deepEqual(heads.slice(1, 1 + CLIENTS.length), CLIENTS);
        assert.ok((await page.locator('table.matrix tbody tr').count()) >= 1);
      } else {
        // The first section is the matrix: one header and one cell per client.
        const first = await page.locator('h2').first().innerText();
        assert.equal(first, 'Clients');
        const heads = await page.locator('table.matrix thead th').allInnerTexts();
        assert.deepEqual(heads, CLIENTS);
        const cells = await page.locator('table.matrix tbody td.cell').allInnerTexts();
        assert.equal(cells.length, CLIENTS.length);
        // The matrix is above the fold.
        const box = await page.locator('table.matrix').boundingBox();
        assert.ok(box && box.y + box.height < 900, `matrix at ${JSON.stringify(box)}`);
      }
      await page.screenshot({ path: join(SHOTS, `audit-${name}.png`), fullPage: true });
    } finally {
      await close();
    }
  });
}

test('audit report: what the domain served is shown as text', async () => {
  const file = join(PLAIN, 'hostile.html');
  assert.ok(existsSync(file), 'hostile.html (cargo test --test audit)');
  const { page, seen, close } = await open(file);
  try {
    assert.deepEqual(seen.dialogs, []);
    const text = await page.locator('body').innerText();
    assert.ok(text.includes('<script>alert(1)</script>'), 'the served markup is visible as text');
    assert.equal(await page.locator('script, img').count(), 0);
  } finally {
    await close();
  }
});

test('audit report: the matrix says what the scenarios expect (no probes)', async () => {
  const expect = {
    'httponly.html': { 'Thunderbird for Android': 'needs confirmation', Outlook: 'typed by hand' },
    'google.html': { 'Thunderbird for Android': 'needs confirmation', 'Apple Mail': 'typed by hand' },
    'nothing.html': { Outlook: 'typed by hand', 'Outlook (new)': 'not documented' },
  };
  for (const [file, cells] of Object.entries(expect)) {
    const { page, close } = await open(join(PLAIN, file));
    try {
      const heads = await page.locator('table.matrix thead th').allInnerTexts();
      const values = await page.locator('table.matrix tbody td.cell').allInnerTexts();
      for (const [client, want] of Object.entries(cells)) {
        assert.equal(values[heads.indexOf(client)], want, `${file} ${client}`);
      }
    } finally {
      await close();
    }
  }
});

test('audit report: prints (print CSS, every section on paper)', async () => {
  const file = join(PLAIN, 'stale.html');
  const { page, close } = await open(file, 'print');
  try {
    const maxWidth = await page.evaluate(() => getComputedStyle(document.body).maxWidth);
    assert.equal(maxWidth, 'none', 'print rules apply');
    const pdf = join(SHOTS, 'audit-stale.pdf');
    writeFileSync(pdf, await page.pdf({ format: 'A4', printBackground: true }));
    assert.ok(statSync(pdf).size > 10_000, 'a real PDF');
    for (const h of ['Clients', 'Problems', 'What to publish', 'Each client, step by step', 'What the domain publishes']) {
      assert.ok(await page.getByRole('heading', { name: h, exact: true }).isVisible(), h);
    }
  } finally {
    await close();
  }
});
