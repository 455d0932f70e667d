// The WebAssembly modules beside this file, each loaded once: the main one (what the elements
// and pages need at once) or, on a page that also advises (<html data-mailsetup-module=advice>,
// the site's own page), the advice one (the main one's API and advise(): one module instead of
// two); the documents one (rule documentation and configuration files, loaded only when asked
// for); and the discovery one (a domain's DNS lookup, loaded on the click). No module carries the
// provider table: it is provider-table.js, handed to each.
//
// The table is a module of its own, fetched when something first needs it (a named provider, a
// checker, a download, a lookup), alongside the WebAssembly: an element that shows only an
// organisation's own settings never fetches it nor spends the time to read it (the larger part of
// the time to the first widget; see the README's figures).

import init, * as api from './pkg/mailsetup.js';

let loadingModule = null;
let loadingTable = null;
let loading = null;
let loadingDocuments = null;
let loadingDocumentsModule = null;
let loadingDiscovery = null;
let table = null;
let loaded = null;
/** The table's data once fetched. */
let tableValue = null;
/** The modules that hold the table already (a module takes it once). */
const withTable = new WeakSet();

/** The provider table's data (the default export of provider-table.js), fetched once. */
function tableData() {
  loadingTable ??= import('./pkg/provider-table.js').then(
    (t) => (tableValue = t.default),
    (e) => {
      loadingTable = null;
      throw e;
    },
  );
  return loadingTable;
}

/** Hands the provider table to a module, once. */
function giveTable(m, data) {
  if (!withTable.has(m)) {
    m.loadProviders(data);
    withTable.add(m);
  }
  return m;
}

/** Whether this page asked for the advice module (read when the first module loads). */
function wantsAdvice() {
  return globalThis.document?.documentElement?.dataset?.mailsetupModule === 'advice';
}

/** The main module (or the advice one), loaded once, without the table. */
function loadModule() {
  loadingModule ??= (wantsAdvice()
    ? import('./pkg/mailsetup_advice.js').then(async (a) => {
        await a.default();
        return a;
      })
    : init().then(() => api)
  ).catch((e) => {
    loadingModule = null;
    throw e;
  });
  return loadingModule;
}

/** Loads the main WebAssembly module once (the advice module on a page that asks for it), with
 * the provider table; resolves to its API (`validate`, `defineProvider`, `providers`,
 * `lookupProvider`, `version`, and `advise` in the advice module). `{ table: false }`: the
 * module alone, for what needs no provider of the table (an organisation's own settings); the
 * table is neither fetched nor read then. A failed load is forgotten, so that the next call (a
 * "Try again" button) tries again rather than failing for good. */
export function ready({ table: wanted = true } = {}) {
  if (!wanted) return loadModule();
  loading ??= Promise.all([loadModule(), tableData()]).then(
    ([m, data]) => {
      loaded = giveTable(m, data);
      return m;
    },
    (e) => {
      loading = null;
      throw e;
    },
  );
  return loading;
}

// The documents module makes configuration files from the providers it holds, and it takes them
// once: the table, and the organisations' own settings given on the page so far (registerOwn),
// so that a file for an address at an organisation is made from all of its settings (every
// server, its name), as one for an address at a provider of the table is.

/** Own definitions by id, for the documents module's table. */
const own = new Map();
/** The own definitions the documents module holds (as JSON), once it has its table. */
let ownInDocuments = null;

/** Remembers an organisation's own definition (checked already) for the documents module, if it
 * has not taken its table yet. */
export function registerOwn(definition) {
  if (!ownInDocuments) own.set(definition.id, definition);
}

/** Whether the documents module makes files from this own definition (else the files for it
 * are made from one account of its settings: it came after the module took its table). */
export function documentsKnow(definition) {
  return ownInDocuments?.get(definition.id) === JSON.stringify(definition);
}

/** The table with the own definitions: an own definition replaces a provider of the table with
 * its id and takes its domains from any other (as validate() judges an own provider first). */
function tableWithOwn(data) {
  if (!own.size) return data;
  const mine = new Set([...own.values()].flatMap((d) => (d.domains ?? []).flatMap((x) => x.names ?? []).map((n) => String(n).toLowerCase())));
  const curated = data
    .filter((p) => !own.has(p.id))
    .map((p) => (p.domains?.some((d) => d.names.some((n) => mine.has(n)))
      ? { ...p, domains: p.domains.map((d) => ({ ...d, names: d.names.filter((n) => !mine.has(n)) })).filter((d) => d.names.length) }
      : p));
  return [...curated, ...own.values()];
}

/** The documents module alone (reading an autoconfig file needs no provider). */
function documentsModule() {
  loadingDocumentsModule ??= import('./pkg/mailsetup_documents.js').then(
    async (d) => {
      await d.default();
      return d;
    },
    (e) => {
      loadingDocumentsModule = null;
      throw e;
    },
  );
  return loadingDocumentsModule;
}

/** Loads the documents module once, on first use (the elements need it only for a download or
 * to read an organisation's autoconfig file); resolves to its API (`rules`, `exportConfig`,
 * `lintAutoconfig`, `importAutoconfig`, `version`), with the table and the own definitions
 * registered so far. A failed load is forgotten too. */
export function documents() {
  loadingDocuments ??= Promise.all([documentsModule(), tableData()]).then(
    ([d, data]) => {
      if (!withTable.has(d)) {
        d.loadProviders(tableWithOwn(data));
        withTable.add(d);
        ownInDocuments = new Map([...own].map(([id, definition]) => [id, JSON.stringify(definition)]));
      }
      return d;
    },
  ).catch((e) => {
    loadingDocuments = null;
    throw e;
  });
  return loadingDocuments;
}

/** Loads the discovery module once, when a lookup starts (discovery.js), with the table (an MX
 * leads to a provider of it); resolves to its API (`PageDiscovery`, `version`). A failed load is
 * forgotten too. */
export function discovery() {
  loadingDiscovery ??= Promise.all([
    import('./pkg/mailsetup_discovery.js').then(async (d) => {
      await d.default();
      return d;
    }),
    tableData(),
  ]).then(([d, data]) => giveTable(d, data)).catch((e) => {
    loadingDiscovery = null;
    throw e;
  });
  return loadingDiscovery;
}

/** The documents module, for reading an autoconfig file: without the table when it has not
 * taken it yet (the file's own settings can still join it), else with it. */
export function autoconfigReader() {
  return loadingDocuments ?? documentsModule();
}

/** Why a module did not load, in words for a reader (the error itself goes to the console). */
export function failureReason(error) {
  const text = String(error?.message ?? error);
  if (/Content.Security.Policy|unsafe-eval|violates/i.test(text)) return "the page's security policy blocked it";
  if (/magic word|expected magic|\b404\b|Not Found/i.test(text)) return 'its file was not found on this site';
  if (/fetch|network|Load failed|dynamically imported module/i.test(text)) return 'the network request failed';
  return 'an unexpected error';
}

/** The provider table as `providers()` gives it (every provider read; read once). Call after
 * `ready()`. */
export function providerTable() {
  table ??= loaded.providers();
  return table;
}

/** A provider's entry in the table (the data-file format `validate` takes as `provider`), once
 * the table is fetched. */
export function tableEntry(id) {
  return tableValue?.find((p) => p.id === id);
}

/** The ids and names of the table's providers, without reading them all (for "did you mean"). */
export async function providerNames() {
  return (await tableData()).map((p) => ({ id: p.id, name: p.name }));
}
