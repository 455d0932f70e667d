// Not part of the recipe: lays the pre-rendered table into the test site's two pages, with the
// package's browser files beside them (copied from node_modules, wasm-bindgen's snippets/ with
// them) for the live widgets.
import { cpSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';

const pkg = 'node_modules/mailsetup';
cpSync('../html/site', 'dist', { recursive: true, filter: (src) => !src.includes('/mailsetup') });
cpSync(pkg, 'dist/mailsetup', { recursive: true, filter: (src) => src === pkg || /\/snippets(\/|$)|\.(js|wasm)$|\/rules\./.test(src) });
const table = readFileSync('dist/mail/gmail-imap.html', 'utf8');
const page = readFileSync('dist/mail.html', 'utf8').replace('<p>Incoming mail:</p>', `<p>Incoming mail:</p>\n<div class="prerendered">${table}</div>`);
writeFileSync('dist/mail.html', page);
if (!readdirSync('dist/mailsetup').includes('elements.js')) throw new Error('elements.js was not copied');
