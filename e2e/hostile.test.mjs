// Hostile callers in Chromium (issue 14: D1, D6, D13, D16 of the adversarial report): the page's
// checker and the <mail-settings>/<mail-settings-check> elements keep working after every export
// of both WebAssembly modules was called 10,000 times with throwing getters, revoked proxies,
// ten-million-item arrays, deep and cyclic objects, 50 MB strings and poisoned prototypes, and
// after hostile attributes and hostile calls to the elements; the modules' memory stays flat; and
// no page of the site can be framed. Figures (time, memory) go to target/e2e/hostile.json.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHOTS, startServer, launch, openPage, waitReady } from './harness.mjs';

let server;
let browser;
const figures = {};

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.stop();
  writeFileSync(join(SHOTS, 'hostile.json'), `${JSON.stringify(figures, null, 2)}\n`);
});

/** Asserts a page met nothing unexpected: no uncaught error, no console error, no request
 * elsewhere, no dialog (an injected alert()). */
function clean(page, allowConsole = () => false) {
  const { console: errors, pageErrors, external, dialogs } = page.problems;
  assert.deepEqual(pageErrors, [], 'uncaught errors in the page');
  assert.deepEqual(errors.filter((e) => !allowConsole(e)), [], 'console errors');
  assert.deepEqual(external, [], 'requests to anything but the local server');
  assert.deepEqual(dialogs, [], 'dialogs');
}

/**
 * Runs in the page: every export of both modules (the instances the page itself uses) called
 * `calls` times with the hostile kinds in turn; resolves to the figures, or throws on a trap.
 */
async function hostileCalls(calls) {
  // The modules as wasm.js loaded them, with the provider table (the page's own instances: the
  // advice module on a page that asks for it); init() again hands back the same instance.
  const loader = await import('./wasm.js');
  const main = await loader.ready();
  const docs = await loader.documents();
  const glue = document.documentElement.dataset.mailsetupModule === 'advice' ? './pkg/mailsetup_advice.js' : './pkg/mailsetup.js';
  const mainWasm = await (await import(glue)).default();
  const docsWasm = await (await import('./pkg/mailsetup_documents.js')).default();
  const server = { protocol: 'imap', host: 'imap.gmail.com', port: 993, security: 'tls' };
  const { proxy: revoked, revoke } = Proxy.revocable({}, {});
  revoke();
  let deep = { ...server };
  for (let i = 0; i < 10_000; i++) deep = { incoming: deep };
  const cyclic = { ...server };
  cyclic.incoming = cyclic;
  const hugeArray = new Array(1e7).fill('x');
  const hugeString = 'x'.repeat(5e7);
  const kinds = [
    () => ({ ...server, get host() { throw new Error('boom'); } }),
    () => ({ email: 'a@gmail.com', incoming: { ...server, get username() { throw 1; } } }),
    () => revoked,
    () => ({ email: 'a@gmail.com', incoming: revoked }),
    () => new Proxy({}, { ownKeys() { throw new TypeError('no keys'); } }),
    () => ({ ...server, username: new Proxy([], { get: (t, k) => (k === 'length' ? 2 ** 32 - 1 : t[k]) }) }),
    () => ({ ...server, username: hugeArray }),
    () => hugeArray,
    () => deep,
    () => cyclic,
    () => ({ ...server, host: hugeString }),
    () => hugeString,
  ];
  const exported = (mod) => Object.keys(mod).filter((k) => typeof mod[k] === 'function' && !/^(default|initSync)$/.test(k) && !/^[A-Z]/.test(k));
  const out = {};
  for (const [label, mod, wasm] of [['main', main, mainWasm], ['documents', docs, docsWasm]]) {
    const names = exported(mod);
    const before = wasm.memory.buffer.byteLength;
    const started = performance.now();
    let n = 0;
    for (const name of names) {
      const f = mod[name];
      for (let i = 0; i < calls; i++) {
        const value = kinds[i % kinds.length]();
        for (const args of [[value], [value, value], ['someone@gmail.com', value]]) {
          try {
            f(...args);
          } catch (e) {
            if (e instanceof WebAssembly.RuntimeError) throw new Error(`${name} trapped: ${e.message}`);
            if (!(e instanceof Error)) throw new Error(`${name} threw ${typeof e}`);
          }
          n++;
        }
      }
    }
    out[label] = {
      functions: names,
      calls: n,
      seconds: +((performance.now() - started) / 1000).toFixed(1),
      memoryBefore: before,
      memoryAfter: wasm.memory.buffer.byteLength,
    };
  }
  // Setters a page (or a library on it) put on Object.prototype never run: results come from
  // JSON.parse.
  Object.defineProperty(Object.prototype, 'verdict', { set() { throw new Error('poisoned'); }, configurable: true });
  try {
    for (let i = 0; i < calls; i++) main.validate(server);
  } finally {
    delete Object.prototype.verdict;
  }
  out.stillWorks = main.validate(server).provider?.id === 'gmail' && main.version() === docs.version();
  return out;
}

test("the page's checker survives hostile calls to both modules, and hostile typing", async () => {
  const page = await openPage(browser, server.url);
  await page.goto(`${server.url}#check`);
  await waitReady(page);
  const result = await page.evaluate(hostileCalls, 10_000);
  figures.page = result;
  assert.ok(result.stillWorks);
  for (const label of ['main', 'documents']) {
    const r = result[label];
    assert.ok(r.memoryAfter - r.memoryBefore <= 1 << 20, `${label}: memory ${r.memoryBefore} -> ${r.memoryAfter}`);
  }
  // The page's own checker still checks: the address fills in Gmail, then a lookalike host.
  await page.fill('#c-email', 'someone@gmail.com');
  await page.waitForFunction(() => document.getElementById('checker').dataset.verdict === 'ok');
  await page.fill('#c-incoming-host', 'imap.gm\u0430il.com');
  await page.locator('[data-code="H011"], a.code:text("H011")').first().waitFor();
  assert.equal(await page.getAttribute('#checker', 'data-verdict'), 'error');
  // Pasted text of a megabyte and of control characters: a clear refusal or a finding.
  await page.fill('#c-incoming-host', 'x'.repeat(1_100_000));
  await page.fill('#c-incoming-host', 'imap.gmail.com\u001b]0;PWNED\u0007\u202e');
  await page.waitForFunction(() => document.getElementById('checker').dataset.verdict === 'error');
  await page.fill('#c-incoming-host', 'imap.gmail.com');
  await page.waitForFunction(() => document.getElementById('checker').dataset.verdict === 'ok');
  clean(page);
  await page.closeAll();
});

test('the elements survive hostile attributes and hostile calls', async () => {
  const page = await openPage(browser, server.url);
  await page.route(`${server.url}fixture.html`, (route) =>
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>fixture</title><link rel="icon" href="data:,">
<script type="module" src="elements.js"></script></head><body>
<mail-settings id="a" provider="gmail" protocol="constructor toString __proto__"></mail-settings>
<mail-settings id="b" provider="&lt;img src=x onerror=alert(1)&gt;" email="&quot;&gt;&lt;svg onload=alert(2)&gt;"></mail-settings>
<mail-settings-check id="c" protocol="constructor" security="toString" auth="hasOwnProperty" port="1e309"
  host="imap.gmail.com&#x1b;]0;PWNED&#x7;&#x202e;" username="__proto__" rules-href="javascript:alert(3)"></mail-settings-check>
<mail-settings-check id="d" host="imap.gm&#x430;il.com" port="993" security="tls" protocol="imap"></mail-settings-check>
</body></html>`,
    }),
  );
  await page.goto(`${server.url}fixture.html`);
  await page.waitForFunction(() => ['a', 'b'].every((id) => ['ready', 'missing'].includes(document.getElementById(id).dataset.state)));
  await page.waitForFunction(() => document.getElementById('d').dataset.verdict === 'error');
  // D13: prototype names are no protocols: no "function Object() { [native code] }" title.
  const titles = await page.evaluate(() => document.getElementById('a').shadowRoot.textContent);
  assert.doesNotMatch(titles, /native code|\[object Object\]/);
  // Hostile JS calls to the elements, then the hostile module calls through the same page.
  const elementCalls = await page.evaluate(async () => {
    const el = document.getElementById('c');
    const { proxy: revoked, revoke } = Proxy.revocable({}, {});
    revoke();
    const kinds = [
      revoked,
      { protocol: 'imap', get host() { throw new Error('boom'); }, port: 993, security: 'tls' },
      { incoming: revoked },
      { protocol: 'imap', host: 'x'.repeat(2_000_000), port: 993, security: 'tls' },
      { protocol: 'imap', host: 'h', port: 993, security: 'tls', username: new Array(1e6).fill(0) },
      null,
      42,
    ];
    let n = 0;
    for (let i = 0; i < 10_000; i++) {
      try {
        await el.load(kinds[i % kinds.length]);
      } catch {
        // The caller's own getter or proxy throws, and the call rejects: fine, if the element lives on.
      }
      n++;
    }
    for (const [name, value] of [['host', 'h'.repeat(2_000_000)], ['port', '-1'], ['protocol', '__proto__'], ['rules-href', ' \tjava\nscript:alert(4)']]) {
      el.setAttribute(name, value);
    }
    el.load({ protocol: 'imap', host: 'imap.gmail.com', port: 993, security: 'tls', auth: 'oauth2' });
    return n;
  });
  await page.waitForFunction(() => ['ok', 'info'].includes(document.getElementById('c').dataset.verdict));
  const result = await page.evaluate(hostileCalls, 2_000);
  figures.elements = { elementCalls, ...result };
  assert.ok(result.stillWorks);
  // The elements still draw: a provider's table and a check.
  await page.evaluate(() => document.getElementById('a').setAttribute('protocol', 'imap'));
  await page.waitForFunction(() => document.getElementById('a').shadowRoot.textContent.includes('imap.gmail.com'));
  await page.evaluate(() => document.getElementById('d').load({ protocol: 'imap', host: 'imap.gmail.com', port: 993, security: 'tls' }));
  await page.waitForFunction(() => ['ok', 'info'].includes(document.getElementById('d').dataset.verdict));
  const hrefs = await page.evaluate(() => [...document.getElementById('c').shadowRoot.querySelectorAll('a')].map((a) => a.getAttribute('href')));
  assert.ok(hrefs.every((h) => !/script:/i.test(h ?? '')), hrefs.join(' '));
  clean(page);
  await page.closeAll();
});

test('no page of the site can be framed (D16)', async () => {
  for (const path of ['', 'rules.html', 'embed-demo.html', 'pkg/rules.html']) {
    const response = await fetch(server.url + path);
    assert.equal(response.headers.get('x-frame-options'), 'DENY', path);
    assert.match(response.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/, path);
  }
  const page = await openPage(browser, server.url);
  await page.route(`${server.url}framer.html`, (route) =>
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>framer</title><link rel="icon" href="data:,"></head><body><iframe id="f" src="./"></iframe></body></html>',
    }),
  );
  await page.goto(`${server.url}framer.html`);
  await page.waitForTimeout(1000);
  const framed = page.frames().find((f) => f !== page.mainFrame());
  const hasChecker = framed ? await framed.evaluate(() => Boolean(document.getElementById('checker'))).catch(() => false) : false;
  assert.equal(hasChecker, false, 'the checker page loaded inside a frame');
  clean(page, (e) => /frame|Refused to display|frame-ancestors/i.test(e));
  await page.closeAll();
});
