// The npm package as a JavaScript user gets it: pkg/mailsetup.js, pkg/mailsetup_advice.js and
// pkg/mailsetup_documents.js (web target) loaded in Node with initSync, each given the provider
// table of pkg/provider-table.js. Run: `node --test js-tests/` after scripts/build-pkg.sh. Catches a broken optimiser
// (the module must load after wasm-opt) and checks the published .d.ts has no `any` in the API.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const pkg = new URL('../pkg/', import.meta.url);
const m = await import(new URL('mailsetup.js', pkg));
m.initSync({ module: readFileSync(new URL('mailsetup_bg.wasm', pkg)) });
const docs = await import(new URL('mailsetup_documents.js', pkg));
docs.initSync({ module: readFileSync(new URL('mailsetup_documents_bg.wasm', pkg)) });
const adv = await import(new URL('mailsetup_advice.js', pkg));
adv.initSync({ module: readFileSync(new URL('mailsetup_advice_bg.wasm', pkg)) });
const table = (await import(new URL('provider-table.js', pkg))).default;
// Before the table, no module knows a provider.
const before = m.validate({ protocol: 'imap', host: 'imap.gmail.com', port: 993, security: 'tls' }, { email: 'someone@gmail.com' });
if (before.provider) throw new Error('a provider before loadProviders');
for (const module of [m, docs, adv]) module.loadProviders(table);

const gmail = {
  email: 'someone@gmail.com',
  incoming: { protocol: 'imap', host: 'imap.gmail.com', port: 993, security: 'tls', auth: 'app-password', username: 'someone@gmail.com' },
  outgoing: { protocol: 'smtp', host: 'smtp.gmail.com', port: 465, security: 'tls', auth: 'app-password', username: 'someone@gmail.com' },
};

/** Calls fn, which must throw an Error; returns it. */
function throws(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof Error, `threw ${typeof e}, not an Error`);
    assert.ok(e.message.length > 0);
    return e;
  }
  assert.fail('did not throw');
}

test('validate: an account, a server, plain objects out', () => {
  const r = m.validate(gmail);
  assert.notEqual(r.verdict, 'error');
  assert.equal(r.provider.id, 'gmail');
  assert.equal(Object.getPrototypeOf(r), Object.prototype);
  const bad = m.validate({ protocol: 'imap', host: 'imap.example.com', port: 995, security: 'tls' });
  const f = bad.findings.find((x) => x.code === 'P101');
  assert.deepEqual(f.fix, { field: 'port', value: 993 });
  assert.equal(f.url, 'rules.html#P101');
  assert.equal(bad.fixed.port, 993);
});

test('validate: IDNA works in Node too (its URL parser)', () => {
  const r = m.validate({ protocol: 'imap', host: 'MAIL.BÜCHER.example', port: 993, security: 'tls' });
  assert.equal(r.fixed.host, 'mail.xn--bcher-kva.example');
});

test('validate: bad input throws an Error naming the field', () => {
  let e = throws(() => m.validate({ incoming: { protocol: 'imap', host: 'h', port: 993, security: 'tsl' } }));
  assert.match(e.message, /`incoming\.security`.*did you mean `tls`/);
  assert.equal(e.field, 'incoming.security');
  e = throws(() => m.validate({ protocol: 'imap', host: 'h', port: 0, security: 'tls' }));
  assert.equal(e.field, 'port');
  e = throws(() => m.validate('imap.gmail.com'));
  assert.match(e.message, /expected an object/);
  e = throws(() => m.validate());
  assert.equal(e.message, 'validate: expected the settings, found undefined');
  e = throws(() => adv.advise());
  assert.equal(e.message, 'advise: expected a situation, found undefined');
  // After errors the module still works (nothing trapped, no poisoned state).
  assert.equal(m.validate(gmail).provider.id, 'gmail');
});

test('three modules: the main one for elements, the advice one for pages that advise, the documents one on demand', () => {
  const exported = (mod) => Object.keys(mod).filter((k) => typeof mod[k] === 'function' && !/^(default|initSync)$/.test(k)).sort();
  const main = ['defineProvider', 'loadProviders', 'lookupProvider', 'providerById', 'providers', 'validate', 'version'];
  assert.deepEqual(exported(m), main);
  assert.deepEqual(exported(adv), ['advise', ...main].sort());
  assert.deepEqual(exported(docs), ['exportConfig', 'importAutoconfig', 'lintAutoconfig', 'loadProviders', 'rules', 'version']);
  assert.equal(docs.version(), m.version());
  assert.equal(adv.version(), m.version());
  // The table loads once per module.
  assert.match(throws(() => m.loadProviders(table)).message, /already loaded/);
});

test('runtime providers: validate(settings, { provider }) and defineProvider', () => {
  const own = {
    id: 'example-org', name: 'Example Org',
    domains: [{ names: ['example.org'] }],
    servers: [{ protocol: 'imap', host: 'mail.example.org', port: 993, security: 'tls', username: 'email-address' }],
    notOffered: [{ what: 'protocol', protocol: 'pop3', summary: 'Example Org offers no POP3.' }],
  };
  const p = m.defineProvider(own);
  assert.equal(p.id, 'example-org');
  assert.equal(p.servers[0].confirmed, true);
  const pop = m.validate({ protocol: 'pop3', host: 'mail.example.org', port: 995, security: 'tls' }, { email: 'me@example.org', provider: own });
  assert.equal(pop.provider.id, 'example-org');
  assert.ok(pop.findings.some((f) => f.severity === 'error'), JSON.stringify(pop.findings));
  const e = throws(() => m.defineProvider({ ...own, servers: [{ ...own.servers[0], port: 99999 }] }));
  assert.equal(e.field, 'servers[0].port');
  assert.equal(throws(() => m.validate(gmail, { provider: { id: 'x' } })).field, 'provider.name');
});

test('providers, lookupProvider, rules, version', () => {
  const list = m.providers();
  assert.ok(list.length >= 3);
  assert.ok(list.every((p) => typeof p.id === 'string' && Array.isArray(p.servers) && p.sources.length > 0));
  assert.equal(m.lookupProvider('me@googlemail.com').id, 'gmail');
  assert.equal(m.lookupProvider('example.invalid'), undefined);
  assert.match(throws(() => m.lookupProvider(null)).message, /lookupProvider: expected .* as a string, found null/);
  const rules = docs.rules();
  assert.ok(rules.some((r) => r.code === 'P101' && r.name === 'port-protocol-mismatch'));
  assert.match(m.version(), /^\d+\.\d+\.\d+/);
});

test('advise: an answer with reasons and settings; bad situations throw', () => {
  const r = adv.advise({ devices: 1, backup: true, email: 'someone@gmail.com' });
  assert.equal(r.protocol, 'pop3');
  assert.equal(r.settings.incoming.host, 'pop.gmail.com');
  assert.ok(r.factors.length > 0 && r.whatIf.length > 0);
  assert.equal(adv.advise({ devices: 3, webmail: true }).protocol, 'imap');
  const e = throws(() => adv.advise({ devices: 0 }));
  assert.equal(e.field, 'devices');
  assert.match(throws(() => adv.advise({ webmial: true })).message, /did you mean `webmail`/);
});

test('exportConfig and lintAutoconfig: a round trip, and errors', () => {
  const xml = docs.exportConfig({ email: 'someone@gmail.com' }, 'autoconfig');
  assert.match(xml, /<hostname>imap\.gmail\.com<\/hostname>/);
  assert.notEqual(docs.lintAutoconfig(xml).verdict, 'error');
  assert.match(docs.exportConfig('someone@icloud.com', 'srv'), /_imaps\._tcp/);
  assert.match(throws(() => docs.exportConfig('someone@gmail.com', 'docx')).message, /docx/);
  assert.match(throws(() => docs.lintAutoconfig('<clientConfig')).message, /./);
  assert.match(throws(() => docs.lintAutoconfig(42)).message, /lintAutoconfig: expected the XML text as a string, found a number/);
  const cyclic = { email: 'someone@gmail.com' };
  cyclic.self = cyclic;
  assert.match(throws(() => docs.exportConfig(cyclic, 'srv')).message, /nested more than/);
});

/** The `export function` declarations of a generated .d.ts, by name. */
function declarations(file) {
  const dts = readFileSync(new URL(file, pkg), 'utf8');
  const api = dts.split('export type InitInput')[0];
  const fns = [...api.matchAll(/^export function (\w+)\((.*)\): (.*);$/gm)].map(([, name, params, ret]) => ({ name, params, ret }));
  for (const f of fns) assert.doesNotMatch(`${f.params} ${f.ret}`, /\bany\b/, `${f.name} mentions any`);
  return { api, byName: Object.fromEntries(fns.map((f) => [f.name, f])) };
}

test('the .d.ts types every API function precisely (no any)', () => {
  const { api, byName } = declarations('mailsetup.d.ts');
  assert.deepEqual(byName.validate, { name: 'validate', params: 'settings: Settings, options?: ValidateOptions | null', ret: 'Report' });
  assert.deepEqual(byName.defineProvider, { name: 'defineProvider', params: 'definition: ProviderDefinition', ret: 'Provider' });
  assert.deepEqual(byName.loadProviders, { name: 'loadProviders', params: 'table: ProviderDefinition[]', ret: 'number' });
  assert.deepEqual(byName.providers, { name: 'providers', params: '', ret: 'Provider[]' });
  assert.deepEqual(byName.lookupProvider, { name: 'lookupProvider', params: 'emailOrDomain: string', ret: 'Provider | undefined' });
  assert.deepEqual(byName.version, { name: 'version', params: '', ret: 'string' });
  assert.deepEqual(declarations('mailsetup_advice.d.ts').byName.advise, { name: 'advise', params: 'situation: Situation', ret: 'Recommendation' });
  assert.match(api, /export type Settings = Account \| Server;/);
  assert.match(api, /export type Security = "tls" \| "starttls" \| "none";/);

  const documents = declarations('mailsetup_documents.d.ts');
  assert.deepEqual(documents.byName.rules, { name: 'rules', params: '', ret: 'RuleDoc[]' });
  assert.deepEqual(documents.byName.version, { name: 'version', params: '', ret: 'string' });
  assert.deepEqual(documents.byName.exportConfig, {
    name: 'exportConfig', params: 'account: Account | { email: string } | string, format: Format', ret: 'string',
  });
  assert.deepEqual(documents.byName.lintAutoconfig, { name: 'lintAutoconfig', params: 'xml: string', ret: 'Report' });
  assert.match(documents.api, /export type Format = "autoconfig" \| "autodiscover" \| "mobileconfig" \| "srv" \| "markdown" \| "html";/);
});

test('package.json is npm-ready', () => {
  const p = JSON.parse(readFileSync(new URL('package.json', pkg), 'utf8'));
  assert.equal(p.name, 'mailsetup');
  assert.equal(p.type, 'module');
  assert.equal(p.module, './mailsetup.js');
  assert.equal(p.types, './mailsetup.d.ts');
  assert.equal(p.exports['.'].import, './mailsetup.js');
  assert.equal(p.exports['./elements'].import, './elements.js');
  assert.equal(p.exports['./documents'].import, './mailsetup_documents.js');
  assert.equal(p.exports['./documents'].types, './mailsetup_documents.d.ts');
  assert.equal(p.exports['./labels'].import, './labels.js');
  assert.equal(p.exports['./labels'].types, './labels.d.ts');
  for (const f of p.files) readFileSync(new URL(f, pkg)); // every listed file exists
});

/** The relative imports of a packaged module: static (`from './x.js'`) and dynamic (`import('./x.js')`). */
function imports(file) {
  const source = readFileSync(new URL(file, pkg), 'utf8');
  const found = (re) => [...source.matchAll(re)].map((m) => m[1].slice(2));
  return { static: found(/(?:from|import) '(\.\/[^']+)'/g), dynamic: found(/import\('(\.\/[^']+)'\)/g) };
}

test('the elements come with every module they import, and load the documents module only on demand', () => {
  const p = JSON.parse(readFileSync(new URL('package.json', pkg), 'utf8'));
  // The modules reachable from the public entry points, statically.
  const reached = new Set();
  const walk = (file) => {
    if (reached.has(file)) return;
    reached.add(file);
    for (const dep of imports(file).static) walk(dep);
  };
  walk('elements.js');
  walk('labels.js');
  walk('rules.js'); // the rules page's script (rules.html)
  for (const file of reached) assert.ok(p.files.includes(file), `${file} is imported but not in the package's files`);
  const shipped = p.files.filter((f) => f.endsWith('.js') && !f.startsWith('mailsetup') && f !== 'provider-table.js');
  assert.deepEqual(shipped.filter((f) => !reached.has(f)), [], 'packaged modules nothing imports');
  // Only wasm.js knows the WebAssembly modules and the provider table: the main one statically;
  // the table (when a provider of it is first needed), the advice one (a page that asks for it),
  // the documents one (a download, the rule docs, an own autoconfig file) and the discovery one
  // (a lookup) by dynamic import.
  const loaders = [...reached].filter((f) => !f.startsWith('mailsetup') && f !== 'provider-table.js');
  for (const f of loaders) {
    const { static: deps, dynamic } = imports(f);
    assert.ok(!deps.includes('mailsetup_documents.js'), `${f} imports the documents module statically`);
    // elements.js names the main module's glue only so that it is fetched with the other modules
    // (one round trip less before the .wasm download); wasm.js alone initialises it.
    const allowed = f === 'elements.js' ? ['mailsetup.js'] : [];
    if (f !== 'wasm.js') assert.deepEqual([...deps, ...dynamic].filter((d) => d.startsWith('mailsetup')), allowed, `${f} loads a WebAssembly module itself`);
  }
  assert.deepEqual(imports('wasm.js'), { static: ['mailsetup.js'], dynamic: ['provider-table.js', 'mailsetup_advice.js', 'mailsetup_documents.js', 'mailsetup_discovery.js'] });
});

test('the packaged modules import in Node (no DOM needed until they are used)', async () => {
  const p = JSON.parse(readFileSync(new URL('package.json', pkg), 'utf8'));
  const modules = p.files.filter((f) => f.endsWith('.js') && !f.startsWith('mailsetup'));
  assert.ok(modules.includes('checker.js') && modules.includes('ui.js'));
  for (const f of modules) await import(new URL(f, pkg));
  const { LABELS } = await import(new URL('labels.js', pkg));
  assert.equal(LABELS.security.starttls, 'STARTTLS');
});
