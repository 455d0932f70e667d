// The two WebAssembly modules beside this file, each loaded once: the main one (what the elements
// and pages need at once) and the documents one (rule documentation and configuration files,
// loaded only when asked for).

import init, * as api from './pkg/mailsetup.js';

let loading = null;
let loadingDocuments = null;
let table = null;

/** Loads the main WebAssembly module once; resolves to its API (`validate`, `advise`,
 * `providers`, `lookupProvider`, `version`). */
export function ready() {
  loading ??= init().then(() => api);
  return loading;
}

/** Loads the documents module once, on first use (the elements never need it); resolves to its
 * API (`rules`, `exportConfig`, `lintAutoconfig`, `version`). */
export function documents() {
  loadingDocuments ??= import('./pkg/mailsetup_documents.js').then(async (d) => {
    await d.default();
    return d;
  });
  return loadingDocuments;
}

/** The provider table (read once; it is static data). Call after `ready()`. */
export function providerTable() {
  table ??= api.providers();
  return table;
}
