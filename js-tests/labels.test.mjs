// www/labels.js is the one place the JavaScript takes its words for the vocabulary from (it is
// generated from src/model/labels.rs). Checked here: its exact shape, that it names every value of
// the core's types, that the kit imports in Node without a DOM, and that no other JavaScript file
// holds a copy of a label table. Run: `node --test js-tests/` (the vocabulary check reads
// pkg/mailsetup.d.ts: run scripts/build-pkg.sh first).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WWW = join(ROOT, 'www');
const { LABELS } = await import(new URL('../www/labels.js', import.meta.url));

const HEADER = '// Generated from src/model/labels.rs by `UPDATE_LABELS=1 cargo test --test labels`. Do not edit.';
const PREFIX = 'export const LABELS = ';

test('labels.js: the generated shape (a header line, then JSON after `export const LABELS = `, then `;`)', () => {
  const text = readFileSync(join(WWW, 'labels.js'), 'utf8');
  const [first, ...rest] = text.split('\n');
  assert.equal(first, HEADER);
  const body = rest.join('\n').trimEnd();
  assert.ok(body.startsWith(PREFIX), 'the second line starts the LABELS constant');
  assert.ok(body.endsWith(';'));
  assert.deepEqual(JSON.parse(body.slice(PREFIX.length, -1)), LABELS, 'the constant is plain JSON');
  assert.deepEqual(Object.keys(LABELS), ['protocol', 'protocolRole', 'security', 'securityShort', 'auth', 'authShort', 'username', 'credential', 'severity']);
});

/** The string values of a union type in the package's generated .d.ts (`export type Auth = "a" | "b";`). */
function union(name) {
  const dts = readFileSync(join(ROOT, 'pkg', 'mailsetup.d.ts'), 'utf8');
  const m = new RegExp(`export type ${name} = ([^;]+);`).exec(dts);
  assert.ok(m, `pkg/mailsetup.d.ts has no type ${name} (run scripts/build-pkg.sh)`);
  return [...m[1].matchAll(/"([^"]+)"/g)].map((x) => x[1]).sort();
}

test('labels.js names every value of the core\'s vocabulary, and nothing else', () => {
  const tables = {
    protocol: 'Protocol', protocolRole: 'Protocol', security: 'Security', securityShort: 'Security',
    auth: 'Auth', authShort: 'Auth', username: 'UsernameFormat', severity: 'Severity',
  };
  for (const [table, type] of Object.entries(tables)) {
    assert.deepEqual(Object.keys(LABELS[table]).sort(), union(type), `LABELS.${table} against ${type}`);
    for (const [key, text] of Object.entries(LABELS[table])) assert.ok(typeof text === 'string' && text.trim() !== '', `LABELS.${table}.${key}`);
  }
});

test('the UI kit and the provider helpers import in Node (no DOM at import time) and use the labels', async () => {
  const ui = await import(new URL('../www/ui.js', import.meta.url));
  const providers = await import(new URL('../www/providers.js', import.meta.url));
  assert.equal(typeof ui.h, 'function');
  const report = (severities, verdict) => ({ verdict, findings: severities.map((severity) => ({ severity })) });
  assert.equal(ui.verdictText(report([], 'ok')), 'No problems found.');
  assert.equal(ui.verdictText(report(['error', 'info', 'info'], 'error')), 'Needs fixing: 1 error, 2 pieces of advice.');
  assert.equal(providers.usernameFor('local-part', 'ann@example.org'), 'ann');
  assert.equal(providers.usernameFor('local-part', 'ann@'), LABELS.username['local-part']);
  assert.equal(providers.usernameFor('generated', 'ann@example.org'), LABELS.username.generated);
  assert.equal(providers.usernameValue('either', 'ann@example.org'), 'ann@example.org');
  const provider = {
    signIn: [{ protocol: 'imap', methods: ['app-password', 'password'], note: 'An app password.' }],
    servers: [
      { protocol: 'pop3', host: 'pop.example.org', port: 995, security: 'tls', username: 'email-address' },
      { protocol: 'imap', host: 'imap.example.org', port: 993, security: 'tls', username: 'local-part' },
      { protocol: 'imap', host: 'imap.example.org', port: 143, security: 'starttls', username: 'local-part' },
    ],
  };
  assert.deepEqual(providers.preferredServer(provider, 'imap', 'ann@example.org'), {
    protocol: 'imap', host: 'imap.example.org', port: 993, security: 'tls', auth: 'app-password', username: 'ann',
  });
  assert.equal(providers.preferredServer(provider, 'pop3', '').username, undefined);
  assert.equal(providers.preferredServer(provider, 'pop3', 'ann@example.org').auth, undefined, 'no sign-in method known: left out');
  assert.equal(providers.preferredServer(provider, 'smtp', 'ann@example.org'), undefined);
});

/** Every .js file of the page and the elements. */
function sources(dir = WWW) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'pkg' ? [] : sources(path);
    return e.name.endsWith('.js') ? [path] : [];
  });
}

/** The string literals of a source, as written ('…', "…", `…` with ${…} parts left in). */
function literals(source) {
  return [...source.matchAll(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g)].map((m) => m[0].slice(1, -1));
}

/**
 * The label copies in a source: string literals equal to a label (`'STARTTLS'`), literals
 * containing a label of several words (`'Outgoing mail (SMTP)'`, whatever the case), and object
 * literals that map two or more keys of one label table to strings (`{ tls: 'SSL', none: 'Off' }`:
 * a copy with other words).
 */
function labelCopies(source) {
  const values = [...new Set(Object.values(LABELS).flatMap((t) => Object.values(t)))];
  const phrases = values.filter((v) => v.includes(' ')).map((v) => v.toLowerCase());
  const found = [];
  for (const lit of literals(source)) {
    if (values.includes(lit)) found.push(`the literal '${lit}'`);
    const phrase = phrases.find((v) => lit.toLowerCase().includes(v));
    if (phrase) found.push(`'${lit}' (contains "${phrase}")`);
  }
  for (const [object] of source.matchAll(/\{[^{}]*\}/g)) {
    // Keys with text values; a value that is an identifier (`'password-cleartext'`, a format's
    // own name) is a mapping to another vocabulary, not a label.
    const keys = [...object.matchAll(/(?:^|[{,\s])['"]?([\w-]+)['"]?\s*:\s*(['"`])([^'"`]*)\2/g)]
      .filter((m) => !/^[a-z0-9.-]+$/.test(m[3]))
      .map((m) => m[1]);
    for (const [name, table] of Object.entries(LABELS)) {
      const hits = keys.filter((k) => k in table);
      if (hits.length >= 2 && hits.length === keys.length) found.push(`a LABELS.${name} table { ${hits.join(', ')} }`);
    }
  }
  return found;
}

test('no JavaScript file but labels.js holds a label table or a label', () => {
  const files = sources();
  assert.ok(files.some((f) => f.endsWith('checker.js')) && files.some((f) => f.endsWith(join('page', 'advisor.js'))));
  const copies = files
    .filter((f) => !f.endsWith(join('www', 'labels.js')))
    .flatMap((f) => labelCopies(readFileSync(f, 'utf8')).map((c) => `${relative(ROOT, f)}: ${c}`));
  assert.deepEqual(copies, []);
});

test('the label check finds the copies the page used to have', () => {
  // The tables app.js and elements.js held before labels.js (the check must be able to fail).
  const before = `
export const SECURITY = { tls: 'SSL/TLS', starttls: 'STARTTLS', none: 'None (unencrypted)' };
const AUTH_SHORT = { password: 'Normal password', oauth2: 'OAuth2 (sign in with the provider)', none: 'None' };
const SECURITY_CHOICES = { tls: 'SSL/TLS', starttls: 'STARTTLS', none: 'None' };
const outgoing = server('outgoing', 'Outgoing mail (SMTP)', null);
    case 'local-part':
      return valid ? email.slice(0, at) : 'the part of your address before the @';
const MENU = { 'app-password': 'App-specific password', 'client-certificate': 'Certificate' };
`;
  const copies = labelCopies(before);
  for (const expected of [
    "the literal 'STARTTLS'",
    "'None (unencrypted)' (contains \"none (unencrypted)\")",
    'a LABELS.security table { tls, starttls, none }',
    'a LABELS.auth table { password, oauth2, none }',
    "'Outgoing mail (SMTP)' (contains \"outgoing mail\")",
    "'the part of your address before the @' (contains \"the part of your address before the @\")",
    'a LABELS.auth table { app-password, client-certificate }',
  ]) assert.ok(copies.includes(expected), `missed ${expected} in ${JSON.stringify(copies, null, 1)}`);
  // Tables keyed by something else are not label copies, nor mappings to a format's names.
  assert.deepEqual(labelCopies(`const M = { password: 'password-cleartext', oauth2: 'oauth2', none: 'none' };`), []);
  assert.deepEqual(labelCopies(`const HEAD = { ok: 'Looks right', error: 'Needs fixing' }; const n = { error: 0, warning: 0 };`), []);
});
