// Importing the package in Node, as a docs generator's server-side build does (VitePress,
// Astro, Docusaurus), never throws: every module of pkg/, the elements included. Nothing is
// registered and no DOM is touched at import time; the classes and the labels are usable.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';

const pkg = new URL('../pkg/', import.meta.url);

test('every JavaScript module of the package imports in Node without a DOM', async () => {
  assert.equal(globalThis.document, undefined);
  assert.equal(globalThis.HTMLElement, undefined);
  const modules = readdirSync(pkg).filter((f) => f.endsWith('.js'));
  assert.ok(modules.includes('elements.js') && modules.includes('theme.js') && modules.includes('rules.js'), modules.join(' '));
  for (const f of modules) await import(new URL(f, pkg));
});

test('mailsetup/elements in Node: the classes exist, nothing is registered, the helpers work', async () => {
  const elements = await import(new URL('elements.js', pkg));
  assert.equal(typeof elements.MailSettings, 'function');
  assert.equal(typeof elements.MailSettingsCheck, 'function');
  const attributes = elements.MailSettings.observedAttributes;
  assert.deepEqual(attributes.slice(0, 7), ['provider', 'protocol', 'email', 'downloads', 'theme', 'discover', 'doh-resolver']);
  // An organisation's own settings as attributes (www/own.js): every server field of every protocol.
  for (const a of ['name', 'domain', 'username-form', 'autoconfig', 'imap-host', 'pop3-port', 'smtp-security']) assert.ok(attributes.includes(a), a);
  assert.equal(globalThis.customElements, undefined);
  const { usernameFor } = await import(new URL('providers.js', pkg));
  assert.equal(usernameFor('email-address', 'jane@example.org'), 'jane@example.org');
  assert.equal(usernameFor('local-part', ''), 'the part of your address before the @');
});
