// Configuration files for a provider and an address (autoconfig, Autodiscover, Apple profile, SRV
// records, Markdown and HTML cards), made in the browser by the documents module — loaded on the
// first download — and saved as blob downloads (no request leaves the page).

import { h, fill } from './ui.js';
import { documents, documentsKnow } from './wasm.js';
import { endpoints, preferredServer } from './providers.js';
import { ownsAddress } from './own.js';

/** The documents exportConfig() writes, with the file names and types a download gets. */
export const EXPORTS = [
  { format: 'autoconfig', label: 'Thunderbird autoconfig', file: 'config-v1.1.xml', type: 'application/xml' },
  { format: 'autodiscover', label: 'Outlook Autodiscover', file: 'autodiscover.xml', type: 'application/xml' },
  { format: 'mobileconfig', label: 'Apple profile', file: 'mail.mobileconfig', type: 'application/x-apple-aspen-config' },
  { format: 'srv', label: 'DNS SRV records', file: 'srv.zone', type: 'text/plain' },
  { format: 'markdown', label: 'Markdown card', file: 'mail-settings.md', type: 'text/markdown' },
  { format: 'html', label: 'HTML card', file: 'mail-settings.html', type: 'text/html' },
];

/** The files an element offers by default (`<mail-settings downloads>`): what a reader installs
 * (the Apple profile) and what an organisation's administrator publishes (autoconfig, SRV). */
export const DEFAULT_FORMATS = ['mobileconfig', 'autoconfig', 'srv'];

/** What to export for a provider and an address: the address alone when it is at one of the
 * provider's domains and the documents module holds the provider (every server it offers, its
 * name), else an account with the provider's preferred servers (a custom domain hosted there).
 * `definition`: an organisation's own provider's definition (the documents module holds it when
 * it was given before the module was loaded). Call once the documents module is loaded. */
export function exportInput(provider, email, definition) {
  const held = provider.defined ? Boolean(definition && documentsKnow(definition)) : true;
  if (held && ownsAddress(provider, email)) return { email };
  const incoming = preferredServer(provider, 'imap', email) ?? preferredServer(provider, 'pop3', email);
  const outgoing = preferredServer(provider, 'smtp', email);
  const account = { email, incoming };
  if (outgoing) account.outgoing = outgoing;
  if (incoming?.protocol === 'pop3') account.pop3 = { leaveOnServer: true };
  return account;
}

/** Saves text as a file. */
export function saveFile(text, file, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  // Our own blob: URL (h() only links to http(s) and relative pages).
  const a = h('a', { download: file, class: 'offscreen' });
  a.href = url;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Fills `el` with one button per file for the provider and the address (empty without a
 * provider), and a status line that says what happened. `formats`: which files (all by
 * default); `definition`: an organisation's own provider's definition. */
export function renderDownloads(el, provider, email, { formats = EXPORTS.map((x) => x.format), definition } = {}) {
  if (!provider) {
    el.replaceChildren();
    return;
  }
  const status = h('p', { class: 'hint', role: 'status', 'aria-live': 'polite' });
  const incoming = endpoints(provider, 'imap').length + endpoints(provider, 'pop3').length > 0;
  const usable = email.includes('@') && incoming;
  const save = async (x) => {
    try {
      const d = await documents();
      saveFile(d.exportConfig(exportInput(provider, email, definition), x.format), x.file, x.type);
      fill(status, `Downloaded ${x.file}.`);
    } catch (e) {
      fill(status, `${x.label}: ${e.message}`);
    }
  };
  const buttons = EXPORTS.filter((x) => formats.includes(x.format)).map((x) =>
    h('button', { type: 'button', class: 'download', 'data-format': x.format, disabled: !usable, title: x.file, onclick: () => save(x) }, x.label),
  );
  fill(
    el,
    h('span', { class: 'label' }, 'Configuration files:'),
    buttons,
    status,
    usable ? null : h('p', { class: 'hint' }, incoming || endpoints(provider, 'smtp').length
      ? 'Type your email address to download files made for it.'
      : `${provider.name} offers no mail-app access to configure.`),
  );
}
