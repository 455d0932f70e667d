// A docs build script: writes a page with Gmail's IMAP settings as plain HTML (no JavaScript
// needed to read them), in the words the widgets use, and the live checker below it.
import { initSync, loadProviders, providers } from 'mailsetup';
import init, { exportConfig, loadProviders as loadDocumentProviders } from 'mailsetup/documents';
import table from 'mailsetup/provider-table';
import { LABELS } from 'mailsetup/labels';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const wasm = (name) => readFileSync(fileURLToPath(import.meta.resolve(`mailsetup/${name}`)));
initSync({ module: wasm('mailsetup_bg.wasm') }); // synchronous: the main module
await init({ module_or_path: wasm('mailsetup_documents_bg.wasm') }); // or init with the bytes
loadProviders(table); // no module carries the providers: each gets the table once
loadDocumentProviders(table);

const gmail = providers().find((p) => p.id === 'gmail');
const imap = gmail.servers.find((s) => s.protocol === 'imap');
const signIn = gmail.signIn.find((s) => s.protocol === 'imap');
const escape = (s) => String(s).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const rows = [
  ['Server', imap.host],
  ['Port', imap.port],
  ['Security', LABELS.security[imap.security]],
  ['Username', LABELS.username[imap.username]],
  ['Authentication', signIn.methods.map((a) => LABELS.auth[a]).join(' or ')],
];
const html = rows.map(([k, v]) => `<tr><th scope="row">${escape(k)}</th><td>${escape(v)}</td></tr>`).join('\n');

mkdirSync('dist/mail', { recursive: true });
writeFileSync('dist/mail/gmail-imap.html', `<table>\n${html}\n</table>\n`);
writeFileSync('dist/mail/config-v1.1.xml', exportConfig({ email: 'someone@gmail.com' }, 'autoconfig'));
