// The WebAssembly modules beside this file, each loaded once: the main one (what the elements
// and pages need at once) or, on a page that also advises (<html data-mailsetup-module="advice">,
// the site's own page), the advice one (the main one's API and advise(): one module instead of
// two); and the documents one (rule documentation and configuration files, loaded only when asked
// for). No module carries the provider table: it is provider-table.js, handed to each.

import init, * as api from './pkg/mailsetup.js';
import providerData from './pkg/provider-table.js';

let loading = null;
let loadingDocuments = null;
let table = null;
let loaded = null;

/** Whether this page asked for the advice module (read once, when the first module loads). */
function wantsAdvice() {
  return globalThis.document?.documentElement?.dataset?.mailsetupModule === 'advice';
}

/** Loads the main WebAssembly module once (the advice module on a page that asks for it), with
 * the provider table; resolves to its API (`validate`, `defineProvider`, `providers`,
 * `lookupProvider`, `version`, and `advise` in the advice module). */
export function ready() {
  loading ??= (wantsAdvice()
    ? import('./pkg/mailsetup_advice.js').then(async (a) => {
        await a.default();
        return a;
      })
    : init().then(() => api)
  ).then((m) => {
    m.loadProviders(providerData);
    loaded = m;
    return m;
  });
  return loading;
}

/** Loads the documents module once, on first use (the elements never need it); resolves to its
 * API (`rules`, `exportConfig`, `lintAutoconfig`, `version`). */
export function documents() {
  loadingDocuments ??= import('./pkg/mailsetup_documents.js').then(async (d) => {
    await d.default();
    d.loadProviders(providerData);
    return d;
  });
  return loadingDocuments;
}

/** The provider table (read once; it is static data). Call after `ready()`. */
export function providerTable() {
  table ??= loaded.providers();
  return table;
}
