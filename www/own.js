// An organisation's own settings, given to an element in one of three ways:
//
//   1. inline JSON, a child <script type="application/json"> (not run by the browser, so a strict
//      Content-Security-Policy allows it): a provider definition in the format of mailsetup's
//      provider data files (src/providers/data/SCHEMA.md; `sources` may be left out);
//   2. attributes, for the simple case: `name`, `domain`, `username-form`, and per protocol
//      `imap-host`, `imap-port`, `imap-security` (and `pop3-…`, `smtp-…`);
//   3. `autoconfig="path/config-v1.1.xml"`: the organisation's autoconfig file on the same site,
//      fetched same-origin only and read by the core's defensive importer; the lint findings go
//      to the console for the site's author.
//
// Each becomes a definition that the core reads and checks (defineProvider: the same reader and
// rules as the data files); a problem is an OwnSettingsError naming the attribute or the field,
// which the elements show in the widget and in the console.

import { documents, autoconfigReader, registerOwn } from './wasm.js';

const PROTOCOLS = ['imap', 'pop3', 'smtp'];
const SERVER_FIELDS = ['host', 'port', 'security'];

/** The attributes of the simple way, and `autoconfig`. */
export const OWN_ATTRIBUTES = ['name', 'domain', 'username-form', 'autoconfig', ...PROTOCOLS.flatMap((p) => SERVER_FIELDS.map((f) => `${p}-${f}`))];

/** The largest autoconfig file read (real ones are a few KB; the core refuses more anyway). */
const MAX_AUTOCONFIG_BYTES = 1 << 20;

/** Own settings that cannot be used: `field` names the attribute (`imap-port`) or the field of
 * the definition (`servers[0].port`), `way` how they were given. */
export class OwnSettingsError extends Error {
  constructor(way, field, message) {
    super(field ? `${field}: ${message}` : message);
    this.name = 'OwnSettingsError';
    this.way = way;
    this.field = field;
  }
}

/** The inline JSON child, if any. */
function jsonChild(host) {
  return [...host.children].find((c) => c.localName === 'script' && c.type.trim().toLowerCase() === 'application/json') ?? null;
}

/** How the element gives its own settings: `json`, `attributes`, `autoconfig`, or null (none).
 * Two ways at once are one too many: an OwnSettingsError says so. */
export function ownWay(host) {
  const ways = [];
  if (jsonChild(host)) ways.push('json');
  if (PROTOCOLS.some((p) => SERVER_FIELDS.some((f) => host.hasAttribute(`${p}-${f}`)))) ways.push('attributes');
  if (host.hasAttribute('autoconfig')) ways.push('autoconfig');
  if (ways.length > 1) {
    throw new OwnSettingsError(ways[0], null, `the settings are given ${ways.length} ways (${ways.map(describeWay).join(', ')}); give them one way`);
  }
  return ways[0] ?? null;
}

/** How a way is named in messages. */
export function describeWay(way) {
  return { json: 'inline JSON', attributes: 'attributes', autoconfig: 'an autoconfig file' }[way] ?? way;
}

/** `[a-z0-9-]` from a name or domain ("Example University" -> "example-university"). */
function slug(text) {
  return String(text ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/** The definition the attributes give, and where each field of it came from. */
function fromAttributes(host) {
  const attr = (name) => host.getAttribute(name)?.trim() ?? null;
  const domains = (attr('domain') ?? '').split(/[\s,]+/).filter(Boolean);
  const name = attr('name') ?? domains[0];
  const definition = { id: slug(domains[0] ?? name) || 'own', name: name ?? '' };
  if (domains.length) definition.domains = [{ names: domains }];
  const origin = { id: 'name', name: 'name', domains: 'domain' };
  definition.servers = [];
  for (const protocol of PROTOCOLS) {
    if (!SERVER_FIELDS.some((f) => host.hasAttribute(`${protocol}-${f}`))) continue;
    const i = definition.servers.length;
    const server = { protocol, username: attr('username-form') ?? 'email-address' };
    for (const f of SERVER_FIELDS) {
      const value = attr(`${protocol}-${f}`);
      // A port that is all digits is a number; anything else goes to the core as typed, which
      // says what is wrong with it.
      if (value !== null) server[f] = f === 'port' && /^\d+$/.test(value) ? Number(value) : value;
      origin[`servers[${i}].${f}`] = `${protocol}-${f}`;
    }
    origin[`servers[${i}].username`] = 'username-form';
    origin[`servers[${i}]`] = `${protocol}-host`;
    definition.servers.push(server);
  }
  // The field path the core names -> the attribute: the longest known prefix.
  const attributeOf = (path) => {
    for (let p = path; p; p = p.replace(/(\.[^.[\]]*|\[\d+\])$/, '')) if (Object.hasOwn(origin, p)) return origin[p];
    return path;
  };
  return { definition, attributeOf };
}

/** The definition of the inline JSON child. */
function fromJson(host) {
  let definition;
  try {
    definition = JSON.parse(jsonChild(host).textContent);
  } catch (e) {
    throw new OwnSettingsError('json', null, `the JSON cannot be read: ${e.message}`);
  }
  if (definition === null || typeof definition !== 'object' || Array.isArray(definition)) {
    throw new OwnSettingsError('json', null, 'the JSON must be one provider definition (an object with id, name, domains and servers)');
  }
  return { definition, attributeOf: (path) => path };
}

// ------------------------------------------------------------------------------------------------
// The autoconfig way.

/** What the importer's placeholders mean as a username form. */
const USERNAME_FORM = { '%EMAILADDRESS%': 'email-address', '%EMAILLOCALPART%': 'local-part' };
/** The sign-in method as the autoconfig format names the mechanism (the definition format's
 * `mechanisms` are those names). */
const MECHANISM = {
  password: 'password-cleartext',
  'app-password': 'password-cleartext',
  'encrypted-password': 'password-encrypted',
  oauth2: 'oauth2',
  'client-certificate': 'tls-client-cert',
  none: 'none',
};

/** Files read once per page, by address: each is fetched, linted and imported once, however
 * many elements name it. */
const autoconfigs = new Map();

/** Reads an autoconfig file of the site into checked settings. */
function fromAutoconfig(host, m) {
  const path = host.getAttribute('autoconfig').trim();
  let url;
  try {
    url = new URL(path, document.baseURI);
  } catch {
    throw new OwnSettingsError('autoconfig', 'autoconfig', `"${path}" is not an address`);
  }
  if (url.origin !== location.origin) {
    throw new OwnSettingsError('autoconfig', 'autoconfig', `${url.href} is not on this site (${location.origin}); the file must be served by the site itself`);
  }
  const key = url.href;
  if (!autoconfigs.has(key)) {
    const reading = readAutoconfig(url, path, m);
    // A failure is forgotten after it is reported, so that a fixed file is read again.
    reading.catch(() => autoconfigs.delete(key));
    autoconfigs.set(key, reading);
  }
  return autoconfigs.get(key);
}

async function readAutoconfig(url, path, m) {
  const fail = (message) => new OwnSettingsError('autoconfig', 'autoconfig', `${path}: ${message}`);
  let response;
  try {
    // Same origin only, redirects included (mode), and never another site's cookies.
    response = await fetch(url, { mode: 'same-origin', credentials: 'same-origin' });
  } catch (e) {
    throw fail(`the file could not be fetched (${e.message})`);
  }
  if (!response.ok) throw fail(`the file could not be fetched (HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''})`);
  if (Number(response.headers.get('content-length')) > MAX_AUTOCONFIG_BYTES) throw fail(`the file is larger than ${MAX_AUTOCONFIG_BYTES} bytes`);
  const xml = await response.text();
  if (xml.length > MAX_AUTOCONFIG_BYTES) throw fail(`the file is larger than ${MAX_AUTOCONFIG_BYTES} bytes`);
  let imported;
  try {
    imported = (await autoconfigReader()).importAutoconfig(xml);
  } catch (e) {
    throw fail(`not a usable autoconfig file: ${e.message}`);
  }
  const servers = [...imported.incoming, ...imported.outgoing];
  if (!servers.length) {
    reportLint(url, { verdict: 'error', findings: [] }, imported);
    const why = imported.skipped.map((s) => `${s.path} (line ${s.line}): ${s.reason}`).join('; ');
    throw fail(`no server in it can be used${why ? `: ${why}` : ''}`);
  }
  const settings = define(m, 'autoconfig', definitionOf(imported), (p) => (p ? `autoconfig (${p})` : 'autoconfig'));
  // Linted with the providers the documents module holds (this file's settings among them), for
  // the author's console. Not awaited: the lint needs the provider table, which the card does
  // not, and readers should not wait for it (measured: scripts/measure-own-settings.mjs).
  documents().then(
    (d) => reportLint(url, d.lintAutoconfig(xml), imported),
    (e) => console.warn(`mailsetup: ${url.href}: this autoconfig file could not be linted (${e.message ?? e})`),
  );
  return settings;
}

/** The lint findings, for the site's author: in the console, never in the widget. */
function reportLint(url, report, imported) {
  const lines = report.findings.map((f) => `${f.severity} ${f.code} ${f.field}: ${f.message} (${f.help})`);
  for (const s of imported.skipped) lines.push(`skipped ${s.path} (line ${s.line}): ${s.reason}`);
  if (!lines.length) return;
  const log = report.verdict === 'error' ? console.error : console.warn;
  log(`mailsetup: ${url.href}: ${lines.length} finding(s) about this autoconfig file (readers do not see them):\n${lines.join('\n')}`);
}

/** The definition an imported autoconfig file gives. */
function definitionOf(imported) {
  const domains = imported.domains.map((d) => d.trim().toLowerCase()).filter(Boolean);
  const first = domains[0];
  const name = imported.displayName?.trim() || first || 'Your organisation';
  const definition = { id: slug(imported.id) || slug(first ?? name) || 'own', name };
  if (domains.length) definition.domains = [{ names: domains }];
  const mechanisms = {};
  definition.servers = [...imported.incoming, ...imported.outgoing].map(({ server, otherAuth }) => {
    const username = server.username ?? '';
    const form = USERNAME_FORM[username] ?? (username ? 'other' : 'unknown');
    const endpoint = {
      protocol: server.protocol,
      // A host made from the address's domain (mail.%EMAILDOMAIN%) is the organisation's own.
      host: first ? server.host.replaceAll('%EMAILDOMAIN%', first) : server.host,
      port: server.port,
      security: server.security,
      username: form,
    };
    if (form === 'other') endpoint.username_note = username;
    const names = (mechanisms[server.protocol] ??= []);
    for (const auth of [server.auth, ...otherAuth]) {
      const mechanism = MECHANISM[auth];
      if (mechanism && !names.includes(mechanism)) names.push(mechanism);
    }
    return endpoint;
  });
  const stated = Object.entries(mechanisms).filter(([, names]) => names.length);
  if (stated.length) definition.mechanisms = stated.map(([protocol, names]) => ({ protocols: [protocol], names }));
  return definition;
}

// ------------------------------------------------------------------------------------------------

/**
 * The element's own settings, read and checked by the core (`m`: the main module's API):
 * `{ way, definition, provider }`, or null when the element gives none. Throws an
 * OwnSettingsError naming the attribute or the field when they cannot be used.
 */
export async function ownSettings(host, m) {
  const way = ownWay(host);
  if (!way) return null;
  if (way === 'autoconfig') return fromAutoconfig(host, m);
  const { definition, attributeOf } = way === 'json' ? fromJson(host) : fromAttributes(host);
  return define(m, way, definition, attributeOf);
}

/** Reads and checks a definition with the core; registers it for the configuration files. */
function define(m, way, definition, attributeOf) {
  let provider;
  try {
    provider = m.defineProvider(definition);
  } catch (e) {
    const message = String(e.message).replace(/^`[^`]*`: /, '');
    throw new OwnSettingsError(way, e.field ? attributeOf(e.field) : null, message);
  }
  registerOwn(definition);
  return { way, definition, provider };
}

/** Whether an address belongs to one of a provider's domains. */
export function ownsAddress(provider, email) {
  const domain = String(email ?? '').split('@').at(-1).trim().toLowerCase().replace(/\.$/, '');
  return Boolean(domain) && provider.domains.some((d) => d.names.includes(domain));
}
