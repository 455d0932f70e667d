// The page's "Settings card": a provider menu and an address drive a <mail-settings> element and
// the configuration-file downloads below it.

import { h, fill } from '../ui.js';
import { renderDownloads } from '../downloads.js';

/** Wires the section (`providers`: the table, sorted by name) and shows Gmail's card. */
export function startCard(m, providers) {
  const select = document.getElementById('card-provider');
  const email = document.getElementById('card-email');
  const card = document.getElementById('card-settings');
  const downloads = document.getElementById('card-downloads');
  fill(select, h('option', { value: '' }, 'Choose a provider…'), providers.map((p) => h('option', { value: p.id }, p.name)));

  const update = () => {
    // No provider chosen: the element goes by the address (and offers a lookup for a domain
    // not in the table).
    if (select.value) card.setAttribute('provider', select.value);
    else card.removeAttribute('provider');
    card.setAttribute('email', email.value.trim());
    renderDownloads(downloads, providers.find((p) => p.id === select.value), email.value.trim());
  };
  select.addEventListener('change', update);
  // The address picks its provider when mailsetup knows it, and none when its domain is not in
  // the table.
  email.addEventListener('input', () => {
    const address = email.value.trim();
    const domain = address.includes('@') ? address.slice(address.lastIndexOf('@') + 1) : '';
    const p = domain.includes('.') ? m.lookupProvider(address) : undefined;
    if (p && p.id !== select.value) select.value = p.id;
    else if (!p && domain.includes('.')) select.value = '';
    update();
  });
  select.value = 'gmail';
  update();
}
