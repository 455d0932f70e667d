// The package's TypeScript types, checked with tsc --strict: correct use compiles, wrong use is
// refused. Run after scripts/build-pkg.sh (it reads pkg/*.d.ts).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { ROOT } from './harness.mjs';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** Compiles `source` against pkg/*.d.ts; returns tsc's output ('' when it compiles). */
function compile(source) {
  const dir = mkdtempSync(join(tmpdir(), 'mailsetup-types-'));
  try {
    for (const f of ['mailsetup.d.ts', 'mailsetup_advice.d.ts', 'mailsetup_documents.d.ts', 'mailsetup_discovery.d.ts', 'provider-table.d.ts', 'elements.d.ts', 'labels.d.ts']) copyFileSync(join(ROOT, 'pkg', f), join(dir, f));
    writeFileSync(join(dir, 'use.ts'), source);
    execFileSync(process.execPath, [tsc, '--strict', '--noEmit', '--target', 'es2022', '--module', 'es2022',
      '--moduleResolution', 'bundler', '--lib', 'es2022,dom,esnext.disposable', '--skipLibCheck', 'false', join(dir, 'use.ts')], { encoding: 'utf8' });
    return '';
  } catch (e) {
    return `${e.stdout}${e.stderr}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('correct use of the API and the elements compiles under --strict', () => {
  const out = compile(`
import init, { validate, providers, lookupProvider, loadProviders, defineProvider, version, type Report, type Account, type ProviderDefinition } from './mailsetup.js';
import initDocuments, { rules, exportConfig, lintAutoconfig, loadProviders as loadDocumentProviders, type RuleDoc, type Format } from './mailsetup_documents.js';
import initAdvice, { advise, loadProviders as loadAdviceProviders, type Recommendation } from './mailsetup_advice.js';
import table from './provider-table.js';
import { ready, documents } from './elements.js';
import { LABELS } from './labels.js';
import { PageDiscovery, type Discovery } from './mailsetup_discovery.js';
await init();
await initDocuments();
await initAdvice();
const count: number = loadProviders(table) + loadDocumentProviders(table) + loadAdviceProviders(table);
const own: ProviderDefinition = { id: 'example-org', name: 'Example Org', domains: [{ names: ['example.org'] }] };
const defined: string = defineProvider(own).id;
const judged: Report = validate({ protocol: 'imap', host: 'mail.example.org', port: 993, security: 'tls' }, { email: 'a@example.org', provider: own });
const rec: Recommendation = advise({ devices: 2, email: 'a@gmail.com' });
const account: Account = { email: 'a@gmail.com', incoming: { protocol: 'imap', host: 'imap.gmail.com', port: 993, security: 'tls' } };
const r: Report = validate(account);
const verdict: 'ok' | 'info' | 'warning' | 'error' = r.verdict;
const firstFix: number | string | boolean | object | undefined = r.findings[0]?.fix?.value;
const hosts: string[] = providers().flatMap((p) => p.servers.map((e) => e.host));
const maybe = lookupProvider('a@gmail.com');
const name: string | undefined = maybe?.name;
const docs: RuleDoc[] = rules();
const format: Format = 'mobileconfig';
const profile: string = exportConfig(account, format) + exportConfig('a@gmail.com', 'srv');
const lint: Report = lintAutoconfig(exportConfig({ email: 'a@gmail.com' }, 'autoconfig'));
const v: string = version();
const api = await ready();
const later: RuleDoc[] = (await documents()).rules();
const again: Report = api.validate({ protocol: 'smtp', host: 'smtp.gmail.com', port: 465, security: 'tls', auth: 'oauth2' });
const el = document.createElement('mail-settings-check');
el.addEventListener('mailsetup-report', (e) => console.log(e.detail.verdict));
await el.load(account);
const typed = el.value();
const typedPort: string | undefined = typed && 'incoming' in typed ? typed.incoming.port : typed?.port;
const fix = el.report?.findings[0]?.fix;
if (fix) el.applyFix(fix);
el.fixAll();
el.focusVerdict();
const lookup = new PageDiscovery('someone@example.org', 'https://doh.example/dns-query');
for (const q of lookup.next(0)) lookup.answer(q.id, 200, 'application/dns-message', new Uint8Array(), 1);
const found: Discovery = lookup.result();
const foundHost: string | undefined = found.incoming === undefined ? undefined : found.candidates[found.incoming].server.host;
const trust: 'high' | 'medium' | 'low' = found.candidates[0].trust;
const from: 'provider-table' | 'autoconfig' | 'srv' | 'ispdb' | 'mx' | 'autodiscover' | 'guess' = found.trace[0].source;
const element = document.createElement('mail-settings');
element.addEventListener('mailsetup-discovery', (e) => console.log(e.detail.summary.unanswered, foundHost, trust, from));
const words: string = LABELS.security.starttls + LABELS.authShort['app-password'] + LABELS.username['local-part'] + LABELS.severity.info;
console.log(verdict, firstFix, hosts, name, docs, profile, lint, v, again, later, typedPort, words, count, defined, judged, rec);
`);
  assert.equal(out, '');
});

test('wrong use is refused by the types', () => {
  for (const [source, code] of [
    [`import { validate } from './mailsetup.js'; validate({ protocol: 'imap', host: 'h', port: 993, security: 'ssl3' });`, 'TS2322'],
    [`import { validate } from './mailsetup.js'; validate({ protocol: 'imap', host: 'h', security: 'tls' });`, 'TS2345'],
    [`import { lookupProvider } from './mailsetup.js'; lookupProvider(42);`, 'TS2345'],
    [`import { lookupProvider } from './mailsetup.js'; const n: string = lookupProvider('x').name;`, 'TS2532'],
    [`import { rules } from './mailsetup_documents.js'; const s: number = rules()[0].code;`, 'TS2322'],
    [`import { exportConfig } from './mailsetup_documents.js'; exportConfig({ email: 'a@gmail.com' }, 'docx');`, 'TS2345'],
    // The documents functions live in the documents module only.
    [`import { rules } from './mailsetup.js'; rules();`, 'TS2724'],
    [`import { PageDiscovery } from './mailsetup.js'; new PageDiscovery('a', 'b');`, 'TS2614'],
    [`import { PageDiscovery } from './mailsetup_discovery.js'; new PageDiscovery('a.org', 'b').next();`, 'TS2554'],
    // advise lives in the advice module; a provider definition names its servers' fields.
    [`import { advise } from './mailsetup.js'; advise({});`, 'TS2614'],
    [`import { defineProvider } from './mailsetup.js'; defineProvider({ id: 'x', name: 'X', servers: [{ protocol: 'imap', host: 'h', port: 993, security: 'tls', user: 'x' }] });`, 'TS2353'],
    // The labels are keyed by the core's vocabulary, read-only.
    [`import { LABELS } from './labels.js'; LABELS.security.ssl;`, 'TS2339'],
    [`import { LABELS } from './labels.js'; LABELS.protocol.imap = 'x';`, 'TS2540'],
    [`import './elements.js'; document.createElement('mail-settings-check').load({ protocol: 'imap', host: 'h', port: '993', security: 'tls' });`, 'TS2322'],
  ]) {
    const out = compile(source);
    assert.match(out, new RegExp(code), `expected ${code} for: ${source}\n${out}`);
  }
});
