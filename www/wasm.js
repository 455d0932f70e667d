// The WebAssembly modules beside this file, each loaded once: the main one (what the elements
// and pages need at once), the documents one (rule documentation and configuration files,
// loaded only when asked for) and the discovery one (a domain's DNS lookup, loaded on the click).

import init, * as api from './pkg/mailsetup.js';

let loading = null;
let loadingDocuments = null;
let loadingDiscovery = null;
let table = null;

/** Loads the main WebAssembly module once; resolves to its API (`validate`, `advise`,
 * `providers`, `lookupProvider`, `version`). A failed load is forgotten, so that the next call
 * (a "Try again" button) tries again rather than failing for good. */
export function ready() {
  loading ??= init().then(
    () => api,
    (e) => {
      loading = null;
      throw e;
    },
  );
  return loading;
}

/** Loads the documents module once, on first use (the elements never need it); resolves to its
 * API (`rules`, `exportConfig`, `lintAutoconfig`, `version`). A failed load is forgotten too. */
export function documents() {
  loadingDocuments ??= import('./pkg/mailsetup_documents.js').then(
    async (d) => {
      await d.default();
      return d;
    },
  ).catch((e) => {
    loadingDocuments = null;
    throw e;
  });
  return loadingDocuments;
}

/** Loads the discovery module once, when a lookup starts (discovery.js); resolves to its API
 * (`PageDiscovery`, `version`). A failed load is forgotten too. */
export function discovery() {
  loadingDiscovery ??= import('./pkg/mailsetup_discovery.js').then(
    async (d) => {
      await d.default();
      return d;
    },
  ).catch((e) => {
    loadingDiscovery = null;
    throw e;
  });
  return loadingDiscovery;
}

/** Why a module did not load, in words for a reader (the error itself goes to the console). */
export function failureReason(error) {
  const text = String(error?.message ?? error);
  if (/Content.Security.Policy|unsafe-eval|violates/i.test(text)) return "the page's security policy blocked it";
  if (/magic word|expected magic|\b404\b|Not Found/i.test(text)) return 'its file was not found on this site';
  if (/fetch|network|Load failed/i.test(text)) return 'the network request failed';
  return 'an unexpected error';
}

/** The provider table (read once; it is static data). Call after `ready()`. */
export function providerTable() {
  table ??= api.providers();
  return table;
}
