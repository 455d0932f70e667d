// The mailsetup page: "Which protocol?" (page/advisor.js), "Check my settings" (the
// <mail-settings-check account> element, elements.js) and "Settings card" (page/card.js).
// All text from the user or the data goes in as text (ui.js builds DOM nodes), never as HTML.

import { ready, providerTable } from './wasm.js';
import { fill } from './ui.js';
import './elements.js';
import { startCard } from './page/card.js';
import { startAdvisor } from './page/advisor.js';

async function main() {
  const m = await ready();
  fill(document.getElementById('version'), `mailsetup ${m.version()}`);
  const checker = document.getElementById('checker');
  const providers = providerTable().slice().sort((a, b) => a.name.localeCompare(b.name));
  startCard(m, providers);
  startAdvisor(m, checker);
  await checker.check();
  window.mailsetupReadyAt = performance.now();
  document.documentElement.dataset.ready = 'true';
}

main().catch((e) => {
  for (const el of document.querySelectorAll('.loading')) {
    el.className = 'failed';
    el.textContent = `mailsetup could not start: ${e.message}`;
  }
  document.documentElement.dataset.ready = 'failed';
  throw e;
});
