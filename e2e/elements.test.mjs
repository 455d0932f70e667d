// The elements as a docs author's page meets them, in headless Chromium: colours in the site's
// scheme with AA contrast for every severity (axe-core), a right-to-left page, a WebAssembly
// module that cannot be loaded (and then can), Apply fix for a finding that names two fields,
// attribute changes after the first draw, unknown providers. Fixture pages are served by the
// test itself on the loopback server's origin (page.route), beside www/elements.js.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startServer, launch, openPage, shot } from './harness.mjs';

const AXE = readFileSync(join(ROOT, 'e2e', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
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

/** A page with `body` in it, served at /fixture.html, loading ./elements.js. */
async function fixture(body, { html = '<html lang="en">', css = '', colorScheme = 'light', width = 1000 } = {}) {
  const page = await openPage(browser, server.url, { colorScheme, width });
  await page.route(`${server.url}fixture.html`, (route) =>
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html>${html}<head><meta charset="utf-8"><title>fixture</title><link rel="icon" href="data:,">
<style>body { font: 16px/1.5 system-ui, sans-serif; margin: 1rem; } ${css}</style>
<script type="module" src="elements.js"></script></head><body>${body}</body></html>`,
    }),
  );
  await page.goto(`${server.url}fixture.html`);
  return page;
}

// One checker per severity, and two settings tables.
const SEVERITIES = {
  error: { protocol: 'imap', host: 'imap.gmial.com', port: 995, security: 'starttls', auth: 'password' },
  warning: { protocol: 'smtp', host: 'smtp.example.com', port: 25, security: 'starttls', auth: 'password' },
  info: { protocol: 'imap', host: 'imap.example.com', port: 993, security: 'tls', auth: 'encrypted-password' },
  ok: { protocol: 'pop3', host: 'pop.example.com', port: 995, security: 'tls' },
};
const ALL_WIDGETS = `<mail-settings provider="gmail" protocol="imap"></mail-settings>
<mail-settings provider="outlook.com"></mail-settings>
${Object.keys(SEVERITIES).map((s) => `<mail-settings-check id="${s}" rules-href="rules.html"></mail-settings-check>`).join('\n')}`;

async function showSeverities(page) {
  await page.waitForFunction(() => [...document.querySelectorAll('mail-settings')].every((e) => e.dataset.state === 'ready'));
  for (const [id, settings] of Object.entries(SEVERITIES)) {
    await page.evaluate(([i, s]) => document.getElementById(i).load(s), [id, settings]);
    await page.waitForFunction((i) => document.getElementById(i).dataset.verdict === i, id);
  }
}

async function contrastViolations(page) {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run({ include: [['mail-settings'], ['mail-settings-check']] }, { runOnly: ['color-contrast'], resultTypes: ['violations'] });
    return r.violations.flatMap((v) => v.nodes.map((n) => `${n.target.join(' > ')}: ${n.any.map((a) => a.message).join('; ')}`));
  });
}

const schemes = (page) => page.evaluate(() => [...document.querySelectorAll('mail-settings, mail-settings-check')].map((e) => e.shadowRoot.querySelector('.root').dataset.scheme));

// The site's scheme wins over the system's: each case is a page as docs sites make them.
const CASES = [
  { name: 'light page, light system', colorScheme: 'light', css: '', want: 'light' },
  { name: 'page that follows a dark system', colorScheme: 'dark', css: ':root { color-scheme: light dark; } @media (prefers-color-scheme: dark) { body { background: #0d1117; color: #e6edf3; } }', want: 'dark' },
  { name: 'light-only page, dark system', colorScheme: 'dark', css: 'html { background: #fff; }', want: 'light' },
  { name: 'site switched dark (data-theme), light system', colorScheme: 'light', html: '<html lang="en" data-theme="dark">', css: '[data-theme=dark] body { background: #1b1b1d; color: #e3e3e3; }', want: 'dark' },
  { name: 'site switched light (.light class), dark system', colorScheme: 'dark', html: '<html lang="en" class="light">', css: 'body { background: #fff; }', want: 'light' },
  { name: 'dark site, no markers, light system', colorScheme: 'light', css: 'body { background: #202124; color: #e8eaed; }', want: 'dark' },
  { name: 'site colours and severity colours set by the page', colorScheme: 'light', html: '<html lang="en" class="dark">',
    css: `html.dark { background: #002b36; color: #eee8d5; }
      mail-settings, mail-settings-check { --mailsetup-bg: #073642; --mailsetup-subtle: #0b4150; --mailsetup-fg: #eee8d5; --mailsetup-muted: #b5c2c2;
        --mailsetup-accent: #7ec8f0; --mailsetup-error: #ff9a8f; --mailsetup-warning: #f5c542; --mailsetup-info: #8fd3ff; --mailsetup-ok: #8fe08f; }`,
    want: 'dark', themed: true },
];

for (const c of CASES) {
  test(`colours: ${c.name}: the widgets draw in the ${c.want} scheme, every severity at AA contrast (axe)`, async () => {
    const page = await fixture(ALL_WIDGETS, c);
    await showSeverities(page);
    assert.deepEqual(await schemes(page), Array(6).fill(c.want));
    if (c.themed) {
      const bg = await page.evaluate(() => getComputedStyle(document.querySelector('mail-settings-check').shadowRoot.querySelector('form')).backgroundColor);
      assert.equal(bg, 'rgb(7, 54, 66)', 'the page set the background');
      const badge = await page.evaluate(() => getComputedStyle(document.getElementById('warning').shadowRoot.querySelector('.badge.warning')).color);
      assert.equal(badge, 'rgb(245, 197, 66)', 'the page set the warning colour');
    }
    assert.deepEqual(await contrastViolations(page), []);
    await shot(page, `elements-${c.name.replace(/[^a-z]+/gi, '-')}`);
    assert.deepEqual(page.problems.pageErrors, []);
    assert.deepEqual(page.problems.console, []);
    await page.closeAll();
  });
}

test('colours: the widgets follow the site\'s switch when it changes, and the theme attribute overrides it', async () => {
  const page = await fixture(ALL_WIDGETS, { css: 'html.dark body { background: #111; }' });
  await showSeverities(page);
  assert.deepEqual(await schemes(page), Array(6).fill('light'));
  await page.evaluate(() => document.documentElement.classList.add('dark'));
  await page.waitForFunction(() => document.querySelector('mail-settings').shadowRoot.querySelector('.root').dataset.scheme === 'dark');
  assert.deepEqual(await schemes(page), Array(6).fill('dark'));
  await page.evaluate(() => document.querySelector('mail-settings').setAttribute('theme', 'light'));
  assert.equal((await schemes(page))[0], 'light');
  await page.closeAll();
});

test('a right-to-left page: the English widget stays left to right', async () => {
  const page = await fixture(ALL_WIDGETS, { html: '<html lang="ar" dir="rtl">' });
  await showSeverities(page);
  const layout = await page.evaluate(() => {
    const check = document.getElementById('error').shadowRoot;
    const root = check.querySelector('.root');
    return { dir: getComputedStyle(root).direction, lang: root.lang, align: getComputedStyle(check.querySelector('.verdict')).textAlign };
  });
  assert.deepEqual(layout, { dir: 'ltr', lang: 'en', align: 'left' });
  await shot(page, 'elements-rtl');
  await page.closeAll();
});

test('the WebAssembly cannot be loaded: a plain message, the checker switched off; Try again loads it', async () => {
  const page = await openPage(browser, server.url);
  const wasm = `${server.url}pkg/mailsetup_bg.wasm`;
  await page.route(wasm, (route) => route.abort('connectionrefused'));
  await page.route(`${server.url}fixture.html`, (route) =>
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: '<!doctype html><html lang="en"><head><title>f</title><link rel="icon" href="data:,"><script type="module" src="elements.js"></script></head><body><mail-settings provider="gmail" protocol="imap"></mail-settings><mail-settings-check protocol="imap"></mail-settings-check></body></html>',
    }),
  );
  await page.goto(`${server.url}fixture.html`);
  await page.waitForFunction(() => document.querySelector('mail-settings').dataset.state === 'failed' && document.querySelector('mail-settings-check').dataset.verdict === 'failed');
  const failed = await page.evaluate(() => ({
    settings: document.querySelector('mail-settings').shadowRoot.querySelector('[role=alert]').textContent,
    check: document.querySelector('mail-settings-check').shadowRoot.querySelector('.verdict').textContent,
    disabled: [...document.querySelector('mail-settings-check').shadowRoot.querySelectorAll('input, select')].every((i) => i.disabled),
  }));
  assert.equal(failed.settings, 'The settings could not be loaded (the network request failed).Try again');
  assert.equal(failed.check, 'The checker could not be loaded (the network request failed).Try again');
  assert.ok(failed.disabled, 'the checker\'s fields are switched off');
  assert.ok(page.problems.console.every((m) => m.startsWith('mailsetup: the ') || m.includes('ERR_CONNECTION_REFUSED')), page.problems.console.join('\n'));
  assert.ok(page.problems.console.some((m) => m.startsWith('mailsetup: the settings could not be loaded')), 'the details go to the console');
  await shot(page, 'elements-failed', false);
  // The network is back: each Try again loads the module (the failed load was not kept).
  await page.unroute(wasm);
  await page.evaluate(() => document.querySelector('mail-settings').shadowRoot.querySelector('button.retry').click());
  await page.waitForFunction(() => document.querySelector('mail-settings').dataset.state === 'ready');
  await page.evaluate(() => document.querySelector('mail-settings-check').shadowRoot.querySelector('button.retry').click());
  await page.waitForFunction(() => document.querySelector('mail-settings-check').dataset.verdict === 'empty');
  assert.ok(await page.evaluate(() => [...document.querySelector('mail-settings-check').shadowRoot.querySelectorAll('input, select')].every((i) => !i.disabled)));
  assert.deepEqual(page.problems.pageErrors, []);
  await page.closeAll();
});

test('Apply fix does all its help says: "set security to tls and the port to 465" sets both', async () => {
  const page = await fixture('<mail-settings-check protocol="smtp" host="smtp.gmail.com" port="587" security="starttls" auth="app-password"></mail-settings-check>');
  const check = page.locator('mail-settings-check');
  await page.waitForFunction(() => document.querySelector('mail-settings-check').dataset.verdict === 'info');
  const fixes = check.locator('li.finding[data-code="T204"] button.fix');
  assert.equal(await fixes.count(), 2);
  await fixes.first().click();
  await page.waitForFunction(() => document.querySelector('mail-settings-check').dataset.verdict === 'ok');
  const v = await page.evaluate(() => document.querySelector('mail-settings-check').value());
  assert.deepEqual([v.port, v.security], ['465', 'tls']);
  await page.closeAll();
});

test('the checker follows attribute changes, and tells listeners when the form is cleared', async () => {
  const page = await fixture('<mail-settings-check protocol="imap"></mail-settings-check>');
  await page.waitForFunction(() => document.querySelector('mail-settings-check').dataset.verdict === 'empty');
  await page.evaluate(() => {
    window.reports = [];
    document.addEventListener('mailsetup-report', (e) => window.reports.push(e.detail?.verdict ?? null));
    const el = document.querySelector('mail-settings-check');
    // Without an address the misspelt host is only a question (H012, a warning); POP3's port
    // for IMAP is an error whoever the provider is.
    el.setAttribute('host', 'imap.gmial.com');
    el.setAttribute('port', '995');
  });
  await page.waitForFunction(() => document.querySelector('mail-settings-check').dataset.verdict === 'error');
  assert.equal(await page.evaluate(() => document.querySelector('mail-settings-check').value().host), 'imap.gmial.com');
  await page.evaluate(() => {
    const el = document.querySelector('mail-settings-check');
    el.setAttribute('host', '');
    el.setAttribute('port', '');
  });
  await page.waitForFunction(() => document.querySelector('mail-settings-check').dataset.verdict === 'empty');
  const reports = await page.evaluate(() => window.reports);
  assert.equal(reports.at(-1), null, `the last report event says the form is empty: ${JSON.stringify(reports)}`);
  assert.ok(reports.includes('error'));
  await page.closeAll();
});

test('providers by other names: a bare name as its .com domain, a typo gets "did you mean" and a console warning, an address fills the username', async () => {
  const page = await fixture('<mail-settings id="a" provider="hotmail" protocol="imap"></mail-settings><mail-settings id="b" provider="gmial"></mail-settings><mail-settings id="c" provider="jane@fastmail.com" protocol="imap"></mail-settings>');
  const warnings = [];
  page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  await page.waitForFunction(() => [...document.querySelectorAll('mail-settings')].every((e) => e.dataset.state && e.dataset.state !== 'loading'));
  const got = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('mail-settings')].map((e) => [e.id, { state: e.dataset.state, provider: e.dataset.provider, text: e.shadowRoot.textContent }])));
  assert.equal(got.a.provider, 'outlook');
  assert.equal(got.b.state, 'missing');
  assert.match(got.b.text, /Did you mean “gmail” \(Gmail\)\?/);
  assert.ok(got.c.text.includes('jane@fastmail.com'), 'the username is the address');
  await page.waitForTimeout(100);
  assert.ok(warnings.some((w) => w.includes('provider="gmial"')), warnings.join('\n'));
  await page.closeAll();
});
