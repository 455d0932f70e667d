// End-to-end: the page (advisor, checker, settings card, rules) and the embed demo in headless
// Chromium. Run: `cd e2e && npm test` (scripts/test.sh does, after scripts/build-pkg.sh).
// Screenshots: target/e2e/*.png. Figures (time to interactive, validate() latency) are printed.

import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launch, openPage, waitReady, shot, median, SHOTS } from './harness.mjs';

let server;
let browser;
const pages = [];
const figures = {};

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.stop();
  writeFileSync(join(SHOTS, 'figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`figures: ${JSON.stringify(figures)}`);
});

async function page(path = '', options) {
  const p = await openPage(browser, server.url, options);
  pages.push(p);
  await p.goto(server.url + path);
  return p;
}

afterEach(async () => {
  for (const p of pages.splice(0)) {
    const { console: errors, pageErrors, external, dialogs } = p.problems;
    await p.closeAll();
    assert.deepEqual(pageErrors, [], 'uncaught errors in the page');
    assert.deepEqual(errors, [], 'console errors');
    assert.deepEqual(external, [], 'requests to anything but the local server');
    assert.deepEqual(dialogs, [], 'dialogs');
  }
});

test('the page becomes interactive within 300 ms of navigation (median of 7 loads)', async () => {
  const p = await page();
  await waitReady(p);
  const times = [];
  for (let i = 0; i < 7; i++) {
    await p.reload();
    await waitReady(p);
    times.push(await p.evaluate(() => window.mailsetupReadyAt));
  }
  const ms = median(times);
  figures.interactiveMs = { median: Math.round(ms * 10) / 10, runs: times.map((t) => Math.round(t)) };
  assert.ok(ms <= 300, `interactive after ${ms} ms (runs: ${times.join(', ')})`);
  // The whole page, light and dark, desktop and phone.
  await shot(p, 'page-light');
});

test('validate() round trip from JS: median at most 0.2 ms over 1,000 calls', async () => {
  const p = await page();
  await waitReady(p);
  const result = await p.evaluate(async () => {
    // The site's page loads the advice module (the main module's API and advise()).
    const m = await import('./pkg/mailsetup_advice.js');
    const account = {
      email: 'someone@gmail.com',
      incoming: { protocol: 'imap', host: 'imap.gmail.com', port: 993, security: 'tls', auth: 'app-password', username: 'someone@gmail.com' },
      outgoing: { protocol: 'smtp', host: 'smtp.gmail.com', port: 465, security: 'tls', auth: 'app-password', username: 'someone@gmail.com' },
    };
    for (let i = 0; i < 100; i++) m.validate(account); // warm up
    const times = [];
    for (let i = 0; i < 1000; i++) {
      const t0 = performance.now();
      m.validate(account);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return { median: times[500], p95: times[950], crossOriginIsolated: self.crossOriginIsolated };
  });
  figures.validateMs = result;
  assert.ok(result.crossOriginIsolated, 'the page should be cross-origin isolated (fine timer resolution)');
  assert.ok(result.median <= 0.2, `validate() median ${result.median} ms`);
});

test('advisor: answers update the recommendation and its chart', async () => {
  const p = await page();
  await waitReady(p);
  const answer = p.locator('#advisor-answer');
  await p.fill('#adv-email', 'someone@gmail.com');
  await p.fill('#adv-devices', '1');
  await p.check('input[name=backup]');
  await assert.doesNotReject(answer.locator('.proto.pop3').waitFor());
  assert.equal(await answer.getAttribute('data-protocol'), 'pop3');
  // The chart draws the factors toward each side.
  assert.ok((await answer.locator('.chart .bar.pop3').count()) >= 1);
  const backupBar = answer.locator('.bar-row[data-input=backup] .bar');
  assert.ok(Number.parseFloat(await backupBar.evaluate((b) => b.style.width)) > 0);
  // The settings to type in are Gmail's POP3 ones, with the steps (switch on POP).
  await answer.locator('.server-card[data-role=incoming]').getByText('pop.gmail.com').waitFor();
  await shot(p, 'advisor-pop3');

  // Three devices and webmail: IMAP; the bars change in place.
  await p.fill('#adv-devices', '3');
  await p.check('input[name=webmail]');
  await answer.locator('.proto.imap').waitFor();
  assert.ok((await answer.locator('.chart .bar-row[data-input=devices] .bar.imap').count()) === 1);
  await answer.locator('.server-card[data-role=incoming]').getByText('imap.gmail.com').waitFor();

  // What-ifs are offered and can be tried.
  const tryIt = answer.locator('.what-if button').first();
  if (await tryIt.count()) {
    const before = await answer.getAttribute('data-protocol');
    await tryIt.click();
    await p.waitForFunction((b) => document.getElementById('advisor-answer').dataset.protocol !== b, before);
  }

  // "Check these settings" fills the checker; the recommended settings pass without an error.
  await p.uncheck('input[name=backup]');
  await p.fill('#adv-devices', '2');
  await answer.locator('#adv-check').click();
  await p.waitForFunction(() => ['ok', 'info', 'warning'].includes(document.getElementById('checker').dataset.verdict));
  assert.equal(await p.inputValue('#c-incoming-host'), 'imap.gmail.com');
});

test('checker: a mistyped host gets a finding, Apply fix makes it right', async () => {
  const p = await page('#check');
  await waitReady(p);
  await p.fill('#c-email', 'someone@gmail.com');
  // The email address picks Gmail and fills in its settings.
  assert.equal(await p.inputValue('#c-incoming-host'), 'imap.gmail.com');
  assert.equal(await p.inputValue('#c-outgoing-host'), 'smtp.gmail.com');
  await p.waitForFunction(() => document.getElementById('checker').dataset.verdict === 'ok');

  await p.fill('#c-incoming-host', 'imap.gmial.com');
  const finding = p.locator('[id="f-incoming.host"] .finding').first();
  await finding.waitFor();
  assert.equal(await p.getAttribute('#checker', 'data-verdict'), 'error');
  assert.match(await finding.innerText(), /imap\.gmail\.com/);
  // The code links to its rule's documentation.
  const code = await finding.locator('a.code').innerText();
  assert.equal(await finding.locator('a.code').getAttribute('href'), `rules.html#${code}`);
  assert.equal(await p.getAttribute('#c-incoming-host', 'aria-invalid'), 'true');
  await shot(p, 'checker-finding');

  await finding.getByRole('button', { name: /Apply fix/ }).click();
  assert.equal(await p.inputValue('#c-incoming-host'), 'imap.gmail.com');
  await p.waitForFunction(() => document.getElementById('checker').dataset.verdict === 'ok');
  assert.match(await p.innerText('#c-verdict'), /No problems found/);
  // Focus stays useful for keyboard users: on the field that was fixed (inside the element).
  assert.equal(await p.evaluate(() => document.activeElement.shadowRoot?.activeElement?.id), 'c-incoming-host');
  await shot(p, 'checker-fixed');
});

test('checker: the page\'s checker is <mail-settings-check account>, checked on every keystroke', async () => {
  const p = await page('#check');
  await waitReady(p);
  // One implementation: the page's form lives in the element's shadow root, not in the page.
  assert.deepEqual(await p.evaluate(() => {
    const el = document.getElementById('checker');
    return {
      element: el instanceof customElements.get('mail-settings-check'),
      account: el.hasAttribute('account'),
      inShadow: Boolean(el.shadowRoot.getElementById('c-incoming-host')),
      inPage: Boolean(document.querySelector('#c-email, #c-incoming-host, [id="f-incoming.host"], #c-verdict')),
    };
  }), { element: true, account: true, inShadow: true, inPage: false });
  assert.equal(await p.getAttribute('#checker', 'data-verdict'), 'empty');
  await p.evaluate(() => {
    window.reports = [];
    document.getElementById('checker').addEventListener('mailsetup-report', (e) => window.reports.push(e.detail));
  });
  await p.fill('#c-email', 'someone@gmail.com');
  await p.waitForFunction(() => document.getElementById('checker').dataset.verdict === 'ok');
  // Another protocol, nothing typed by hand yet: the provider's server for it, with its options.
  await p.selectOption('#c-incoming-protocol', 'pop3');
  assert.equal(await p.inputValue('#c-incoming-host'), 'pop.gmail.com');
  assert.equal(await p.inputValue('#c-incoming-port'), '995');
  assert.ok(await p.locator('#c-pop3-leaveOnServer').isVisible());
  await p.selectOption('#c-incoming-protocol', 'imap');
  assert.equal(await p.inputValue('#c-incoming-host'), 'imap.gmail.com');
  assert.ok(!(await p.locator('#c-pop3-leaveOnServer').isVisible()));

  // Key by key: each keystroke that changes the report draws it and fires the event.
  await p.fill('#c-incoming-host', '');
  await p.locator('#c-incoming-host').pressSequentially('imap.gmial.com');
  await p.locator('[id="f-incoming.host"] .finding[data-code=H006]').waitFor();
  const seen = await p.evaluate(() => window.reports.length);
  assert.ok(seen >= 3, `${seen} reports while typing`);
  // What is shown is the report the element holds and announced last, finding by finding.
  const { shown, held, last } = await p.evaluate(() => {
    const el = document.getElementById('checker');
    const codes = (fs) => fs.map((f) => `${f.field}:${f.code}`).sort();
    return {
      shown: [...el.shadowRoot.querySelectorAll('.finding')].map((li) => `${li.closest('.findings').id.slice(2)}:${li.dataset.code}`).sort(),
      held: codes(el.report.findings),
      last: codes(window.reports.at(-1).findings),
    };
  });
  assert.deepEqual(shown, held);
  assert.deepEqual(last, held);

  // Settings from elsewhere (the advisor uses this too).
  await p.locator('#checker').evaluate((el) => el.load({ email: 'someone@gmail.com', incoming: { protocol: 'imap', host: 'imap.gmail.com', port: 993, security: 'tls' } }));
  // A missing outgoing server: its finding sits on the server and its fix fills in all of it.
  const outgoing = p.locator('[id="f-outgoing"] .finding[data-code=P106]');
  await outgoing.getByRole('button', { name: /Apply fix/ }).click();
  assert.equal(await p.inputValue('#c-outgoing-host'), 'smtp.gmail.com');
  assert.equal(await p.inputValue('#c-outgoing-port'), '465');
  assert.equal(await p.evaluate(() => document.activeElement.shadowRoot?.activeElement?.id), 'c-outgoing-host');

  // POP3 options: a checkbox finding and its fix (servers typed by hand now: no pre-fill).
  await p.selectOption('#c-incoming-protocol', 'pop3');
  await p.fill('#c-incoming-host', 'pop.gmail.com');
  await p.fill('#c-incoming-port', '995');
  await p.locator('#c-pop3-leaveOnServer').uncheck();
  const keep = p.locator('[id="f-pop3.leaveOnServer"] .finding[data-code=O501]');
  await keep.getByRole('button', { name: /Apply fix/ }).click();
  assert.equal(await p.locator('#c-pop3-leaveOnServer').isChecked(), true);
  await p.locator('[id="f-pop3.leaveOnServer"] .finding[data-code=O501]').waitFor({ state: 'detached' });
  await shot(p, 'checker-pop3');
});

test('checker: Fix all, keyboard only, and input that cannot be understood', async () => {
  const p = await page('#check');
  await waitReady(p);
  await p.fill('#c-incoming-host', ' IMAPS://IMAP.EXAMPLE.COM/ ');
  await p.fill('#c-incoming-port', '995');
  await p.selectOption('#c-incoming-security', 'tls');
  await p.locator('[id="f-incoming.port"] .finding').waitFor();
  assert.equal(await p.getAttribute('#checker', 'data-verdict'), 'error');

  // Keyboard: focus the first "Apply fix" and press Enter.
  await p.locator('[id="f-incoming.port"] button.fix').focus();
  await p.keyboard.press('Enter');
  assert.equal(await p.inputValue('#c-incoming-port'), '993');

  await p.click('#c-fixall');
  assert.equal(await p.inputValue('#c-incoming-host'), 'imap.example.com');
  await p.waitForFunction(() => document.getElementById('checker').dataset.verdict !== 'error');

  // A port that is not a number: the core's message, at the port field.
  await p.fill('#c-incoming-port', '99x');
  await p.locator('[id="f-incoming.port"] .finding.error').waitFor();
  assert.equal(await p.getAttribute('#checker', 'data-verdict'), 'invalid');
  assert.match(await p.innerText('#c-verdict'), /Port: .*not a number/);

  // User text is text: markup typed into a field is shown, never interpreted.
  await p.fill('#c-incoming-port', '993');
  await p.fill('#c-incoming-host', '<img src=x onerror=alert(1)>.example');
  await p.locator('[id="f-incoming.host"] .finding').first().waitFor();
  assert.match(await p.innerText('[id="f-incoming.host"]'), /<img src=x onerror=alert\(1\)>/);
  assert.equal(await p.locator('#checker img').count(), 0);
});

test('settings card: a provider\'s table with copy buttons', async () => {
  const p = await page('#card');
  await waitReady(p);
  await p.selectOption('#card-provider', 'outlook');
  const card = p.locator('#card-settings');
  await card.locator('figure[data-protocol=imap]').getByText('outlook.office365.com').waitFor();
  assert.equal(await card.locator('figure').count(), 3); // IMAP, POP3, SMTP
  await p.fill('#card-email', 'someone@icloud.com');
  // The address picks the provider: iCloud has no POP3, and the username is filled in.
  await card.locator('figure[data-protocol=imap]').getByText('imap.mail.me.com').waitFor();
  assert.equal(await p.inputValue('#card-provider'), 'icloud');
  assert.equal(await card.locator('figure').count(), 2);
  await card.locator('figure[data-protocol=smtp]').getByText('someone@icloud.com').waitFor();
  const copy = card.locator('figure[data-protocol=imap] button.copy').first();
  await copy.click();
  assert.equal(await p.evaluate(() => navigator.clipboard.readText()), 'imap.mail.me.com');
  assert.equal(await copy.innerText(), 'Copied');

  // The documents module is not loaded until a first download asks for it.
  const loaded = () => p.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
  assert.ok((await loaded()).includes('/pkg/mailsetup_advice_bg.wasm'));
  assert.ok(!(await loaded()).includes('/pkg/mailsetup_bg.wasm'), 'the main module loaded beside the advice module');
  assert.ok(!(await loaded()).some((path) => path.includes('mailsetup_documents')), 'documents module loaded early');

  // Configuration files for the address, made in the page (blob downloads, no request).
  await p.fill('#card-email', 'someone@gmail.com');
  await card.locator('figure[data-protocol=imap]').getByText('imap.gmail.com').waitFor();
  const files = {};
  for (const button of await p.locator('#card-downloads button.download').all()) {
    const [download] = await Promise.all([p.waitForEvent('download'), button.click()]);
    const path = await download.path();
    files[download.suggestedFilename()] = readFileSync(path, 'utf8');
  }
  assert.deepEqual(Object.keys(files).sort(), [
    'autodiscover.xml', 'config-v1.1.xml', 'mail-settings.html', 'mail-settings.md', 'mail.mobileconfig', 'srv.zone',
  ]);
  assert.match(files['config-v1.1.xml'], /<hostname>imap\.gmail\.com<\/hostname>/);
  assert.match(files['mail.mobileconfig'], /someone@gmail\.com/);
  assert.doesNotMatch(files['mail.mobileconfig'], /Password<\/key>\s*<string>/);
  assert.match(files['srv.zone'], /_submissions?\._tcp/);
  assert.ok((await loaded()).includes('/pkg/mailsetup_documents_bg.wasm'));
  // The downloaded config lints clean in the module that wrote it (already initialised).
  const lint = await p.evaluate(async (xml) => (await import('./pkg/mailsetup_documents.js')).lintAutoconfig(xml), files['config-v1.1.xml']);
  assert.notEqual(lint.verdict, 'error', JSON.stringify(lint.findings));
  await shot(p, 'settings-card');
});

test('rules page: every rule documented at its anchor', async () => {
  const p = await page('rules.html#P101');
  await waitReady(p);
  const count = await p.evaluate(async () => (await import('./pkg/mailsetup_documents.js')).rules().length);
  assert.equal(await p.locator('article.rule').count(), count);
  assert.ok(await p.locator('#P101').isVisible());
  assert.match(await p.innerText('#P101'), /port-protocol-mismatch/);
  await p.fill('#rules-q', 'port');
  assert.ok((await p.locator('article.rule:not([hidden])').count()) < count);
  await shot(p, 'rules', false);
});

test('embed demo: the elements render and the compact checker fixes a host', async () => {
  const p = await page('embed-demo.html');
  await p.locator('mail-settings[data-state=ready]').first().waitFor();
  const imap = p.locator('mail-settings[protocol=imap]');
  await imap.getByText('imap.gmail.com').waitFor();
  await p.locator('mail-settings[protocol=smtp]').getByText('smtp.gmail.com').waitFor();
  const check = p.locator('mail-settings-check');
  await check.locator('select[name=auth]').selectOption('oauth2');
  await check.locator('input[name=username]').fill('someone@gmail.com');
  await check.locator('input[name=host]').fill('imap.gmail.com:993');
  await check.locator('input[name=port]').fill('993');
  await check.locator('.finding').first().waitFor();
  assert.equal(await check.getAttribute('data-verdict'), 'error');
  assert.equal(await check.locator('.finding a.code').first().getAttribute('href'), 'rules.html#H003');
  await check.locator('button.fix').first().click();
  assert.equal(await check.locator('input[name=host]').inputValue(), 'imap.gmail.com');
  await p.waitForFunction(() => document.querySelector('mail-settings-check').dataset.verdict === 'ok');
  await shot(p, 'embed-demo');

  // The embedded checker has what the page's has: findings beside their fields, and Fix all.
  await check.locator('input[name=host]').fill('IMAPS://IMAP.GMAIL.COM/');
  await check.locator('input[name=port]').fill('995');
  await check.locator('select[name=auth]').selectOption('');
  await check.locator('[id="f-port"] .finding[data-code=P101]').waitFor();
  await check.locator('[id="f-host"] .finding').first().waitFor();
  await check.locator('button#c-fixall').click();
  assert.equal(await check.locator('input[name=host]').inputValue(), 'imap.gmail.com');
  assert.equal(await check.locator('input[name=port]').inputValue(), '993');
  assert.equal(await check.locator('select[name=auth]').inputValue(), 'oauth2');
  await p.waitForFunction(() => document.querySelector('mail-settings-check').dataset.verdict === 'ok');
  assert.equal(await p.evaluate(() => document.querySelector('mail-settings-check').shadowRoot.activeElement?.id), 'c-verdict');
  // The elements never load the documents module (no download was asked for).
  const loaded = await p.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
  assert.ok(loaded.includes('/pkg/mailsetup_bg.wasm'));
  assert.deepEqual(loaded.filter((path) => path.includes('mailsetup_documents') || path.includes('mailsetup_advice')), []);
});

test('phone width, dark: nothing overflows sideways', async () => {
  for (const path of ['', 'embed-demo.html', 'rules.html']) {
    const p = await page(path, { width: 390, height: 844, colorScheme: 'dark' });
    if (path === 'embed-demo.html') await p.locator('mail-settings[data-state=ready]').first().waitFor();
    else await waitReady(p);
    if (path === '') {
      await p.fill('#c-email', 'someone@gmail.com');
      await p.fill('#c-incoming-port', '995');
    }
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${path || 'index.html'} is ${overflow}px wider than the phone`);
    await shot(p, `phone-dark-${path.replace('.html', '') || 'index'}`);
  }
});
