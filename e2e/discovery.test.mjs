// The page's lookup of a domain not in the table, in headless Chromium, against discovery's
// loopback fixtures: the test zone's DNS server and, in front of it, a DNS-over-HTTPS endpoint
// (RFC 8484) with the test CA (`cargo run --example discover_fixture`). Chromium reaches the
// page's default resolver, cloudflare-dns.com, on loopback (--host-resolver-rules; every other
// name fails) and accepts the test CA's key for it alone (--ignore-certificate-errors-spki-list).
//
// The page asks nothing before the click (no resolver, not even the discovery module), then
// finds the settings through the resolver: SRV records (srv.test), an MX at a big provider
// (google-hosted.test), nothing (nothing.test); and says what it could not do. Elements without
// the `discover` attribute never offer a lookup.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { chromium } from 'playwright-core';
import { ROOT, startServer, openPage, waitReady, shot } from './harness.mjs';

const RESOLVER = 'https://cloudflare-dns.com/dns-query';
let server;
let fixture;
let browser;

/** Starts the fixtures; resolves to { dns, https, dohHost, caPem, stop }. */
function startFixture() {
  return new Promise((resolve, reject) => {
    const child = spawn('cargo', ['run', '--quiet', '--example', 'discover_fixture'], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`discover_fixture printed nothing: ${out}`)), 600_000);
    child.on('exit', (code) => reject(new Error(`discover_fixture exited with ${code}: ${out}`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve({ ...JSON.parse(line), stop: () => child.stdin.end() });
      }
    });
  });
}

before(async () => {
  [server, fixture] = await Promise.all([startServer(), startFixture()]);
  const spki = new X509Certificate(fixture.caPem).publicKey.export({ type: 'spki', format: 'der' });
  const caKey = createHash('sha256').update(spki).digest('base64');
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage',
      `--host-resolver-rules=MAP ${fixture.dohHost} 127.0.0.1:${fixture.https}, MAP * ~NOTFOUND, EXCLUDE 127.0.0.1`,
      `--ignore-certificate-errors-spki-list=${caKey}`],
  });
});

after(async () => {
  await browser?.close();
  fixture?.stop();
  server?.stop();
});

/** The page with every request recorded (`requests`), and the card's address set to `email`. */
async function pageWithAddress(email) {
  const page = await openPage(browser, server.url);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(server.url);
  await waitReady(page);
  await page.fill('#card-email', email);
  const card = page.locator('#card-settings');
  await page.waitForFunction(() => document.getElementById('card-settings').dataset.state === 'missing');
  return { page, requests, card };
}

/** Clicks "Look up …" and waits for the result; returns the requests made by the lookup. */
async function lookUp(page, card, requests, domain) {
  const button = card.getByRole('button', { name: `Look up ${domain}` });
  await button.waitFor();
  const before = requests.length;
  await button.click();
  await page.waitForFunction(() => document.getElementById('card-settings').dataset.state === 'discovered', null, { timeout: 30_000 });
  return requests.slice(before);
}

test('before the click the page asks nothing; after it, the SRV records give the settings', async () => {
  const { page, requests, card } = await pageWithAddress('someone@srv.test');
  const offer = card.locator('.discover');
  await offer.waitFor();
  const text = await offer.innerText();
  assert.match(text, /cloudflare-dns\.com\/dns-query/, 'the offer shows the resolver');
  assert.match(text, /Nothing is sent before you click/);
  assert.match(text, /cannot read the domain’s own autoconfig file/);
  assert.match(text, /mailsetup discover someone@srv\.test/);
  // Nothing off the page, and not the discovery module either, before the click.
  assert.deepEqual(page.problems.external, [], 'no request off the page before the click');
  // (discovery.js, the small script that draws the offer, is one of the elements' modules; the
  // WebAssembly module is not loaded.)
  assert.ok(!requests.some((u) => u.includes('mailsetup_discovery')), `no discovery module before the click: ${requests.filter((u) => u.includes('mailsetup_discovery'))}`);
  await offer.scrollIntoViewIfNeeded();
  await shot(page, 'discovery-offer', false);

  const made = await lookUp(page, card, requests, 'srv.test');
  const doh = made.filter((u) => u.startsWith(RESOLVER));
  assert.ok(made.some((u) => u.includes('mailsetup_discovery_bg.wasm')), 'the module loads on the click');
  // MX and the six SRV names, by RFC 8484 GET, and nothing but the resolver off the page.
  assert.equal(doh.length, 7, doh.join('\n'));
  assert.ok(doh.every((u) => /\?dns=[A-Za-z0-9_-]+$/.test(u)));
  assert.ok(!made.some((u) => u.includes('someone')), 'the address is never sent');
  assert.deepEqual(page.problems.external.filter((u) => !u.startsWith(RESOLVER)), []);

  const result = await card.locator('.discover').innerText();
  assert.match(result, /imap\.srv\.test/);
  assert.match(result, /993/);
  assert.match(result, /smtp\.srv\.test/);
  assert.match(result, /465/);
  assert.match(result, /SRV _imaps\._tcp\.srv\.test/);
  assert.match(result, /What this page could not do/);
  assert.match(result, /autoconfig\.srv\.test/);
  assert.match(result, /CORS/);
  assert.deepEqual(page.problems.console, []);
  assert.deepEqual(page.problems.pageErrors, []);
  await card.locator('.discover').scrollIntoViewIfNeeded();
  await shot(page, 'discovery-srv', false);
  await page.closeAll();
});

test('an MX at a big provider gives its settings; a domain with nothing says what to publish', async () => {
  const { page, requests, card } = await pageWithAddress('someone@google-hosted.test');
  await lookUp(page, card, requests, 'google-hosted.test');
  const result = await card.locator('.discover').innerText();
  assert.match(result, /imap\.gmail\.com/);
  assert.match(result, /aspmx\.l\.google\.com/);

  await page.fill('#card-email', 'someone@nothing.test');
  await page.waitForFunction(() => document.getElementById('card-settings').dataset.state === 'missing');
  await lookUp(page, card, requests, 'nothing.test');
  const nothing = await card.locator('.discover').innerText();
  assert.match(nothing, /Nothing usable for nothing\.test in DNS/);
  assert.match(nothing, /_imaps\._tcp\.nothing\.test/, 'the advice names the SRV record to publish');
  assert.deepEqual(page.problems.pageErrors, []);
  await page.closeAll();
});

test('an element without `discover` never offers a lookup', async () => {
  const page = await openPage(browser, server.url);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(server.url);
  await waitReady(page);
  await page.evaluate(() => {
    const el = document.createElement('mail-settings');
    el.id = 'plain';
    el.setAttribute('email', 'someone@srv.test');
    document.body.append(el);
  });
  await page.waitForFunction(() => document.getElementById('plain').dataset.state === 'missing');
  const text = await page.locator('#plain p.missing').innerText();
  assert.match(text, /No provider/);
  assert.equal(await page.locator('#plain .discover').count(), 0);
  assert.ok(!requests.some((u) => u.includes('mailsetup_discovery')), 'no discovery module');
  assert.deepEqual(page.problems.external, []);
  await page.closeAll();
});
