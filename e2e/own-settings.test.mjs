// An organisation's own settings in the elements, in headless Chromium, each way a site gives
// them: inline JSON (under a strict Content-Security-Policy), attributes, and its autoconfig file
// on the same site. For each: the card shows the organisation's servers with copy buttons; the
// files made for a reader's address (Apple profile, autoconfig, SRV records) are downloaded and
// read back — the autoconfig by Thunderbird's own reader (js-tests/thunderbird), the profile by
// the browser's XML parser, the SRV lines field by field; the checker judges readers' settings
// against the organisation's servers; a definition that cannot be used says why, naming the
// attribute or field, in the widget and in the console. Fixture pages are served by the test on
// the loopback server's origin (page.route), beside www/elements.js. The elements of each way are
// the files of e2e/own-settings/, which the README shows as they are (js-tests/readme-recipes).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, startServer, launch, openPage, shot } from './harness.mjs';

const THUNDERBIRD = join(ROOT, 'js-tests', 'thunderbird');
/** The README's examples of the three ways (e2e/own-settings/*.html). */
const example = (name) => readFileSync(join(ROOT, 'e2e', 'own-settings', name), 'utf8').trim();
const JSON_EXAMPLE = example('inline-json.html');
const ATTRIBUTES_EXAMPLE = example('attributes.html');
const AUTOCONFIG_EXAMPLE = example('autoconfig.html');
let server;
let browser;

before(async () => {
  // Thunderbird's reader reads the downloaded autoconfig files back (pinned, installed once).
  if (!existsSync(join(THUNDERBIRD, 'node_modules'))) {
    const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: THUNDERBIRD, encoding: 'utf8' });
    assert.equal(r.status, 0, `npm ci in js-tests/thunderbird: ${r.stderr}`);
  }
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

/** The organisation of these tests: three servers, a username that is the part before the @,
 * app passwords with the steps to get one, the account password refused, a help page. */
const ORG = {
  id: 'example-university',
  name: 'Example University',
  domains: [{ names: ['example.edu', 'staff.example.edu'] }],
  servers: [
    { protocol: 'imap', host: 'imap.example.edu', port: 993, security: 'tls', username: 'local-part' },
    { protocol: 'pop3', host: 'pop.example.edu', port: 995, security: 'tls', username: 'local-part' },
    { protocol: 'smtp', host: 'smtp.example.edu', port: 587, security: 'starttls', username: 'local-part' },
  ],
  credentials: [
    { kind: 'app-password', accepted: true, how: 'Staff portal → Security → App passwords → Create' },
    { kind: 'account-password', accepted: false, note: 'The university password works in the web portal only.' },
  ],
  help: [{ url: 'https://help.example.edu/mail', title: 'Mail at Example University' }],
};
const STRICT_CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; style-src 'self'; img-src 'self' data:";
/** The attributes of the README's example (its <mail-settings downloads …>), for the checker too. */
const ATTRIBUTES = /^<mail-settings downloads ([\s\S]*?)><\/mail-settings>$/.exec(ATTRIBUTES_EXAMPLE)[1];
const json = (definition) => `<script type="application/json">${JSON.stringify(definition)}</script>`;
/** The README's inline JSON child, as it is written there. */
const JSON_CHILD = /<script type="application\/json">[\s\S]*?<\/script>/.exec(JSON_EXAMPLE)[0];

test('the README\'s examples are the organisation of these tests', () => {
  assert.deepEqual(JSON.parse(/<script type="application\/json">([\s\S]*?)<\/script>/.exec(JSON_EXAMPLE)[1]), ORG);
  assert.match(ATTRIBUTES, /name="Example University" domain="example\.edu staff\.example\.edu"/);
  assert.equal(AUTOCONFIG_EXAMPLE.match(/autoconfig="mail\/config-v1\.1\.xml"/g).length, 2);
});

/** The organisation's autoconfig file: the same servers, and one a client should not be given
 * (POP3 without TLS), which lint reports to the site's author. */
const AUTOCONFIG = `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="example.edu">
    <domain>example.edu</domain>
    <domain>staff.example.edu</domain>
    <displayName>Example University</displayName>
    <incomingServer type="imap">
      <hostname>imap.%EMAILDOMAIN%</hostname>
      <port>993</port>
      <socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILLOCALPART%</username>
    </incomingServer>
    <incomingServer type="pop3">
      <hostname>pop.example.edu</hostname>
      <port>995</port>
      <socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILLOCALPART%</username>
    </incomingServer>
    <incomingServer type="pop3">
      <hostname>pop.example.edu</hostname>
      <port>110</port>
      <socketType>plain</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILLOCALPART%</username>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.example.edu</hostname>
      <port>587</port>
      <socketType>STARTTLS</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILLOCALPART%</username>
    </outgoingServer>
  </emailProvider>
</clientConfig>
`;

/** A page with `body` in it at /fixture.html (loading ./elements.js), with `files` served beside
 * it (path -> [content type, body]). Records every console message and every request. */
async function fixture(body, { csp = STRICT_CSP, files = {}, width = 1000 } = {}) {
  const page = await openPage(browser, server.url, { width });
  page.messages = [];
  page.requested = [];
  page.on('console', (m) => page.messages.push({ type: m.type(), text: m.text() }));
  page.on('request', (r) => page.requested.push(r.url()));
  for (const [path, [type, content, status = 200]] of Object.entries(files)) {
    await page.route(`${server.url}${path}`, (route) => route.fulfill({ status, contentType: type, body: content }));
  }
  await page.route(`${server.url}fixture.html`, (route) =>
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Mail at Example University</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
${csp ? `<meta http-equiv="Content-Security-Policy" content="${csp}">` : ''}
<link rel="icon" href="data:,"><script type="module" src="elements.js"></script></head><body><main>${body}</main></body></html>`,
    }),
  );
  await page.goto(`${server.url}fixture.html`);
  return page;
}

/** Waits until every element on the page is drawn (or says why not). */
async function drawn(page) {
  await page.waitForFunction(
    () => [...document.querySelectorAll('mail-settings')].every((e) => e.dataset.state)
      && [...document.querySelectorAll('mail-settings-check')].every((e) => e.dataset.verdict && e.dataset.verdict !== 'loading'),
    null,
    { timeout: 20_000 },
  );
}

/** What a card shows, protocol by protocol: the table's rows, the source line, the notes. */
function cards(page, selector = 'mail-settings') {
  return page.evaluate((sel) => {
    const root = document.querySelector(sel).shadowRoot;
    return Object.fromEntries(
      [...root.querySelectorAll('figure[data-protocol]')].map((f) => [
        f.dataset.protocol,
        {
          rows: Object.fromEntries([...f.querySelectorAll('tr')].map((tr) => [tr.querySelector('th').textContent, tr.querySelector('td code')?.textContent ?? tr.querySelector('td').textContent])),
          basis: f.querySelector('.basis')?.textContent ?? null,
          notes: [...f.querySelectorAll('.notes li')].map((li) => li.textContent),
        },
      ]),
    );
  }, selector);
}

/** Types the reader's address into a card's download field and downloads each file. */
async function downloadAll(page, selector, email) {
  const el = page.locator(selector);
  await el.locator('input[type=email]').fill(email);
  const files = {};
  for (const format of ['mobileconfig', 'autoconfig', 'srv']) {
    const button = el.locator(`button.download[data-format=${format}]`);
    await page.waitForFunction(([s, f]) => !document.querySelector(s).shadowRoot.querySelector(`button.download[data-format=${f}]`).disabled, [selector, format]);
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    files[format] = { name: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8') };
  }
  return files;
}

/** An autoconfig document as Thunderbird reads it, for an address. */
function thunderbirdReads(xml, email) {
  const dir = mkdtempSync(join(tmpdir(), 'mailsetup-tb-'));
  try {
    writeFileSync(join(dir, 'config-v1.1.xml'), xml);
    writeFileSync(join(dir, 'list.json'), JSON.stringify([{ file: join(dir, 'config-v1.1.xml'), email }]));
    const r = spawnSync(process.execPath, ['--import', './gecko.mjs', 'read.mjs', join(dir, 'list.json')], { cwd: THUNDERBIRD, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const [result] = JSON.parse(r.stdout);
    assert.ok(result.ok, `Thunderbird refuses the file: ${result.error}\n${xml}`);
    return result.config;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An Apple profile's mail payload, read by the browser's XML parser: key -> value. */
function profilePayload(page, plist) {
  return page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    if (doc.querySelector('parsererror')) throw new Error('the profile is not well-formed XML');
    const dict = [...doc.querySelectorAll('dict')].find((d) => [...d.children].some((k) => k.textContent === 'IncomingMailServerHostName'));
    const out = {};
    const kids = [...dict.children];
    for (let i = 0; i < kids.length; i += 2) {
      const v = kids[i + 1];
      out[kids[i].textContent] = v.localName === 'true' ? true : v.localName === 'false' ? false : v.localName === 'integer' ? Number(v.textContent) : v.textContent;
    }
    return out;
  }, plist);
}

/** SRV records of a zone file's lines: `_service._tcp.domain.` -> { priority, weight, port, target }. */
function srvRecords(zone) {
  const records = {};
  for (const line of zone.split('\n')) {
    if (!line.trim() || line.startsWith(';')) continue;
    const m = /^(\S+)\s+(\d+)\s+IN\s+SRV\s+(\d+)\s+(\d+)\s+(\d+)\s+(\S+)$/.exec(line.trim());
    assert.ok(m, `not an SRV record line: ${line}`);
    records[m[1]] = { priority: Number(m[3]), weight: Number(m[4]), port: Number(m[5]), target: m[6] };
  }
  return records;
}

/** The files for jane@example.edu, read back: each says what the organisation's settings say
 * (`more`: further incoming servers its settings list, as Thunderbird reads them). */
async function assertFiles(page, files, more = []) {
  assert.deepEqual(Object.values(files).map((f) => f.name), ['mail.mobileconfig', 'config-v1.1.xml', 'srv.zone']);
  const tb = thunderbirdReads(files.autoconfig.text, 'jane@example.edu');
  assert.ok(tb.substituted, 'Thunderbird took the address');
  assert.ok(tb.domains.includes('example.edu') && tb.domains.includes('staff.example.edu'), `domains ${tb.domains}`);
  assert.deepEqual(tb.incoming.map((s) => [s.type, s.hostname, s.port, s.socketType, s.username]), [
    ['imap', 'imap.example.edu', 993, 'SSL', 'jane'],
    ['pop3', 'pop.example.edu', 995, 'SSL', 'jane'],
    ...more,
  ]);
  assert.deepEqual(tb.outgoing.map((s) => [s.type, s.hostname, s.port, s.socketType, s.username]), [['smtp', 'smtp.example.edu', 587, 'STARTTLS', 'jane']]);
  assert.match(files.autoconfig.text, /<displayName>Example University<\/displayName>/);
  const profile = await profilePayload(page, files.mobileconfig.text);
  assert.equal(profile.EmailAddress, 'jane@example.edu');
  assert.deepEqual(
    [profile.IncomingMailServerHostName, profile.IncomingMailServerPortNumber, profile.IncomingMailServerUseSSL, profile.IncomingMailServerUsername],
    ['imap.example.edu', 993, true, 'jane'],
  );
  assert.deepEqual([profile.OutgoingMailServerHostName, profile.OutgoingMailServerPortNumber, profile.OutgoingMailServerUsername], ['smtp.example.edu', 587, 'jane']);
  assert.ok(!/password<\/key>\s*<string>/i.test(files.mobileconfig.text), 'no password in the profile');
  const srv = srvRecords(files.srv.text);
  assert.deepEqual(srv['_imaps._tcp.example.edu.'], { priority: 0, weight: 1, port: 993, target: 'imap.example.edu.' });
  // IMAP first (RFC 6186: the lower priority is preferred across the access protocols).
  assert.deepEqual(srv['_pop3s._tcp.example.edu.'], { priority: 10, weight: 1, port: 995, target: 'pop.example.edu.' });
  assert.deepEqual(srv['_submission._tcp.example.edu.'], { priority: 0, weight: 1, port: 587, target: 'smtp.example.edu.' });
}

/** The card of the organisation, as each way gives it. */
function assertOrgCard(got) {
  assert.deepEqual(Object.keys(got), ['imap', 'pop3', 'smtp']);
  assert.deepEqual(got.imap.rows, { Server: 'imap.example.edu', Port: '993', Security: 'SSL/TLS', Username: 'the part of your address before the @', Authentication: got.imap.rows.Authentication });
  assert.equal(got.smtp.rows.Server, 'smtp.example.edu');
  assert.equal(got.smtp.rows.Port, '587');
  assert.equal(got.smtp.rows.Security, 'STARTTLS');
  assert.equal(got.imap.basis, "Per Example University's own settings.", 'the source: the organisation itself');
}

test('inline JSON under a strict CSP: the card, its copy buttons, and files made from all of its settings, without the provider table', async () => {
  const page = await fixture(`<h1>Mail at Example University</h1>${JSON_EXAMPLE}<p>Questions? Write to the help desk.</p>`);
  await drawn(page);
  const el = page.locator('mail-settings');
  assert.equal(await el.getAttribute('data-state'), 'ready');
  assert.equal(await el.getAttribute('data-provider'), 'example-university');
  const got = await cards(page);
  assertOrgCard(got);
  assert.equal(got.imap.rows.Authentication, 'App password');
  assert.deepEqual(got.imap.notes, [
    'Example University accepts an app password from mail apps, not the account\'s own password.',
    'How to get an app password: Staff portal → Security → App passwords → Create',
  ]);
  const help = await page.evaluate(() => document.querySelector('mail-settings').shadowRoot.querySelector('.source a').href);
  assert.equal(help, 'https://help.example.edu/mail');
  // Nothing of the curated table is needed, so nothing of it is fetched.
  assert.deepEqual(page.requested.filter((u) => /provider-table|documents/.test(u)), []);
  // The copy buttons copy the organisation's values.
  await el.locator('figure[data-protocol=imap] button.copy').first().click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'imap.example.edu');
  // The address fills in the username, and the files are made for it.
  const files = await downloadAll(page, 'mail-settings', 'jane@example.edu');
  assert.equal((await cards(page)).imap.rows.Username, 'jane');
  await assertFiles(page, files);
  await shot(page, 'own-json');
  assert.deepEqual(page.problems.console, []);
  assert.deepEqual(page.problems.pageErrors, []);
  assert.deepEqual(page.problems.external, []);
  await page.closeAll();
});

test('inline JSON: the checker judges readers\' settings against the organisation\'s servers', async () => {
  const page = await fixture(`<mail-settings-check id="one" protocol="imap">${JSON_CHILD}</mail-settings-check>
<mail-settings-check id="account" account>${JSON_CHILD}</mail-settings-check>`);
  await drawn(page);
  const one = page.locator('#one');
  // The organisation's host with another port and security: what it documents instead.
  await page.evaluate(() => document.getElementById('one').load({ protocol: 'imap', host: 'imap.example.edu', port: 143, security: 'starttls', username: 'jane@example.edu' }));
  await page.waitForFunction(() => document.getElementById('one').report);
  let report = await page.evaluate(() => document.getElementById('one').report);
  assert.equal(report.provider.id, 'example-university');
  assert.equal(report.provider.defined, true);
  const port = report.findings.find((f) => f.field === 'port');
  assert.match(port.message, /Example University documents IMAP on imap\.example\.edu, port 993/);
  assert.deepEqual(port.fix, { field: 'port', value: 993 });
  assert.ok(report.findings.some((f) => f.field === 'username' && f.fix?.value === 'jane'), 'the username is the part before the @');
  assert.match(await one.locator('.verdict').textContent(), /Checked against Example University’s requirements/);
  await one.locator('button#c-fixall').click();
  await page.waitForFunction(() => !document.getElementById('one').report?.findings.some((f) => f.severity !== 'info'));
  assert.deepEqual(await page.evaluate(() => document.getElementById('one').value()), { protocol: 'imap', host: 'imap.example.edu', port: '993', security: 'tls', auth: 'app-password', username: 'jane' });
  // A misspelt host of the organisation: did you mean its server.
  await page.evaluate(() => document.getElementById('one').load({ protocol: 'imap', host: 'imap.exmaple.edu', port: 993, security: 'tls' }));
  await page.waitForFunction(() => document.getElementById('one').report?.findings.some((f) => f.field === 'host'));
  report = await page.evaluate(() => document.getElementById('one').report);
  assert.match(report.findings.find((f) => f.field === 'host').message, /did you mean imap\.example\.edu \(Example University\)/);
  // The account form: an address at the organisation picks it and fills in its servers.
  const account = page.locator('#account');
  await account.locator('#c-email').fill('jane@staff.example.edu');
  await account.locator('#c-provider').getByText('Recognised: Example University.').waitFor();
  const value = await page.evaluate(() => document.getElementById('account').value());
  assert.deepEqual([value.incoming.host, value.incoming.port, value.incoming.username, value.outgoing.host, value.outgoing.port], ['imap.example.edu', '993', 'jane', 'smtp.example.edu', '587']);
  await page.waitForFunction(() => document.getElementById('account').report?.provider?.id === 'example-university');
  assert.deepEqual(page.problems.console, []);
  assert.deepEqual(page.problems.pageErrors, []);
  await page.closeAll();
});

test('attributes: the card and the checker from name, domain and host/port/security per protocol; a bad value names its attribute, and a fix of it is followed', async () => {
  const page = await fixture(`${ATTRIBUTES_EXAMPLE}
<mail-settings-check protocol="smtp" ${ATTRIBUTES}></mail-settings-check>
<mail-settings id="bad" name="Example University" imap-host="imap.example.edu" imap-port="993" imap-security="ssl3"></mail-settings>`);
  await drawn(page);
  const got = await cards(page);
  assertOrgCard(got);
  // Attributes say nothing of credentials: the card says that no source says.
  assert.equal(got.imap.rows.Authentication, 'Normal password');
  assert.match(got.imap.notes[0], /No source here says which password Example University accepts/);
  await assertFiles(page, await downloadAll(page, 'mail-settings', 'jane@example.edu'));
  // The checker, against the organisation's SMTP server.
  await page.evaluate(() => document.querySelector('mail-settings-check').load({ protocol: 'smtp', host: 'smtp.example.edu', port: 465, security: 'tls' }));
  await page.waitForFunction(() => document.querySelector('mail-settings-check').report?.provider);
  const report = await page.evaluate(() => document.querySelector('mail-settings-check').report);
  assert.match(report.findings.find((f) => f.field === 'port').message, /Example University documents SMTP on smtp\.example\.edu, port 587/);
  // A value the core refuses: the attribute is named, in the widget and in the console.
  const bad = page.locator('#bad');
  assert.equal(await bad.getAttribute('data-state'), 'unusable');
  assert.equal(await bad.locator('[role=alert]').textContent(), 'These settings cannot be shown: imap-security: "ssl3" is not one of "tls", "starttls" or "none".');
  assert.ok(page.problems.console.some((m) => m.includes('<mail-settings>: its own settings (attributes) cannot be used: imap-security: "ssl3"')), page.problems.console.join('\n'));
  await page.evaluate(() => document.getElementById('bad').setAttribute('imap-security', 'tls'));
  await page.waitForFunction(() => document.getElementById('bad').dataset.state === 'ready');
  assert.equal((await cards(page, '#bad')).imap.rows.Server, 'imap.example.edu');
  assert.deepEqual(page.problems.pageErrors, []);
  await page.closeAll();
});

test('autoconfig: the organisation\'s file on the same site, read by the core; lint findings go to the console, not to readers', async () => {
  const files = { 'mail/config-v1.1.xml': ['application/xml', AUTOCONFIG] };
  const page = await fixture(AUTOCONFIG_EXAMPLE, { files });
  await drawn(page);
  const got = await cards(page);
  assertOrgCard(got);
  // The autoconfig file's other POP3 server (port 110, no TLS) is shown as the file lists it.
  assert.match(await page.locator('mail-settings figure[data-protocol=pop3]').textContent(), /or 110 with None \(unencrypted\)/);
  // Read once for both elements.
  assert.equal(page.requested.filter((u) => u.endsWith('mail/config-v1.1.xml')).length, 1);
  // The lint comes after the card is drawn (it waits for the provider table; readers do not).
  const linted = () => page.messages.filter((m) => m.text.includes('mail/config-v1.1.xml') && m.text.includes('readers do not see them'));
  for (let waited = 0; !linted().length && waited < 10_000; waited += 100) await page.waitForTimeout(100);
  const lint = linted();
  assert.equal(lint.length, 1, JSON.stringify(page.messages));
  assert.match(lint[0].text, /incomingServer\[3\]/, 'the finding names the server element');
  const widgetText = await page.evaluate(() => [...document.querySelectorAll('mail-settings, mail-settings-check')].map((e) => e.shadowRoot.textContent).join(' '));
  assert.ok(!/incomingServer|readers do not see/.test(widgetText), 'lint findings are not shown to readers');
  // The checker judges against the file's servers.
  await page.evaluate(() => document.querySelector('mail-settings-check').load({ protocol: 'imap', host: 'imap.example.edu', port: 143, security: 'starttls' }));
  await page.waitForFunction(() => document.querySelector('mail-settings-check').report?.provider?.id === 'example-edu');
  await assertFiles(page, await downloadAll(page, 'mail-settings', 'jane@example.edu'), [['pop3', 'pop.example.edu', 110, 'plain', 'jane']]);
  assert.deepEqual(page.problems.pageErrors, []);
  assert.deepEqual(page.problems.external, []);
  await page.closeAll();
});

test('autoconfig that cannot be used: another site, a missing file, a file that is not autoconfig, one without a usable server', async () => {
  const other = server.url.replace('127.0.0.1', '127.0.0.2');
  const files = {
    'org/missing.xml': ['text/plain', 'not here', 404],
    'org/page.xml': ['text/html', '<!doctype html><p>Hello'],
    'org/none.xml': ['application/xml', '<clientConfig version="1.1"><emailProvider id="x"><domain>example.edu</domain><incomingServer type="exchange"><hostname>mail.example.edu</hostname></incomingServer></emailProvider></clientConfig>'],
  };
  const page = await fixture(`<mail-settings id="other" autoconfig="${other}org/config-v1.1.xml"></mail-settings>
<mail-settings id="missing" autoconfig="org/missing.xml"></mail-settings>
<mail-settings id="page" autoconfig="org/page.xml"></mail-settings>
<mail-settings id="none" autoconfig="org/none.xml"></mail-settings>
<mail-settings-check id="check" autoconfig="org/missing.xml"></mail-settings-check>`, { files, csp: null });
  await drawn(page);
  const said = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('[id]')].map((e) => [e.id, { state: e.dataset.state ?? e.dataset.verdict, text: e.shadowRoot.querySelector('[role=alert]')?.textContent }])));
  for (const id of ['other', 'missing', 'page', 'none']) assert.equal(said[id].state, 'unusable', id);
  assert.match(said.other.text, /^These settings cannot be shown: autoconfig: http:\/\/127\.0\.0\.2:\d+\/org\/config-v1\.1\.xml is not on this site \(http:\/\/127\.0\.0\.1:\d+\); the file must be served by the site itself\.$/);
  assert.equal(said.missing.text, 'These settings cannot be shown: autoconfig: org/missing.xml: the file could not be fetched (HTTP 404 Not Found).');
  assert.match(said.page.text, /^These settings cannot be shown: autoconfig: org\/page\.xml: not a usable autoconfig file: /);
  assert.match(said.none.text, /^These settings cannot be shown: autoconfig: org\/none\.xml: no server in it can be used: incomingServer\[1\] \(line 1\): /);
  assert.equal(said.check.state, 'unusable');
  assert.equal(said.check.text, 'The settings to check against cannot be used: autoconfig: org/missing.xml: the file could not be fetched (HTTP 404 Not Found).');
  assert.ok(await page.evaluate(() => [...document.getElementById('check').shadowRoot.querySelectorAll('input, select')].every((i) => i.disabled)), 'the checker is switched off');
  assert.ok(!page.requested.some((u) => u.startsWith(other)), 'nothing was fetched from the other site');
  for (const id of ['other', 'missing', 'page', 'none']) {
    assert.ok(page.problems.console.some((m) => m.startsWith('mailsetup: <mail-settings>: its own settings (an autoconfig file) cannot be used: ') && m.includes(said[id].text.replace(/^These settings cannot be shown: /, '').replace(/\.$/, ''))), `${id} in the console`);
  }
  await page.closeAll();
});

test('a definition that cannot be used: the field is named in the widget and the console; JSON that does not parse; two ways at once', async () => {
  const wrong = { ...ORG, servers: [{ ...ORG.servers[0], security: 'ssl3' }] };
  const page = await fixture(`<mail-settings id="field">${json(wrong)}</mail-settings>
<mail-settings id="syntax"><script type="application/json">{"id": "x", </script></mail-settings>
<mail-settings id="two" imap-host="imap.example.edu">${json(ORG)}</mail-settings>
<mail-settings-check id="check">${json(wrong)}</mail-settings-check>`);
  await drawn(page);
  const said = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('[id]')].map((e) => [e.id, e.shadowRoot.querySelector('[role=alert]')?.textContent])));
  assert.equal(said.field, 'These settings cannot be shown: servers[0].security: "ssl3" is not one of "tls", "starttls" or "none".');
  assert.match(said.syntax, /^These settings cannot be shown: the JSON cannot be read: /);
  assert.equal(said.two, 'These settings cannot be shown: the settings are given 2 ways (inline JSON, attributes); give them one way.');
  assert.equal(said.check, 'The settings to check against cannot be used: servers[0].security: "ssl3" is not one of "tls", "starttls" or "none".');
  assert.ok(page.problems.console.some((m) => m === 'mailsetup: <mail-settings>: its own settings (inline JSON) cannot be used: servers[0].security: "ssl3" is not one of "tls", "starttls" or "none"'), page.problems.console.join('\n'));
  assert.ok(page.problems.console.some((m) => m.startsWith('mailsetup: <mail-settings-check>: its own settings (inline JSON) cannot be used: servers[0].security')));
  // The inline JSON fixed in place (a framework re-rendering it): the element follows.
  await page.evaluate((text) => {
    document.getElementById('field').querySelector('script').textContent = text;
  }, JSON.stringify(ORG));
  await page.waitForFunction(() => document.getElementById('field').dataset.state === 'ready');
  assert.equal((await cards(page, '#field')).imap.rows.Server, 'imap.example.edu');
  assert.deepEqual(page.problems.pageErrors, []);
  await page.closeAll();
});
