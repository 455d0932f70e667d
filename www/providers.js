// What a provider's entry (from `providers()` / `lookupProvider()`) means for one reader: its
// servers for a protocol, the username to type, the server settings to fill in. Plain data in,
// plain data out.

import { LABELS } from './labels.js';

/** A provider's endpoints for one protocol, best first. */
export function endpoints(provider, protocol) {
  return provider.servers.filter((e) => e.protocol === protocol);
}

/** The address split at its last @, or null when it is not a whole address. */
function splitAddress(email) {
  const at = email ? email.lastIndexOf('@') : -1;
  return at > 0 && at < email.length - 1 ? { local: email.slice(0, at), whole: email } : null;
}

/** What to type as the username, for a provider's username format: the value when the address
 * tells it, else what it is, in words (`note`: what the provider says to type, for the form
 * `other`). */
export function usernameFor(format, email, note) {
  const known = format === 'email-address' || format === 'local-part' || format === 'either';
  if (format === 'other' && note) return note;
  return (known && usernameValue(format, email)) || (Object.hasOwn(LABELS.username, format) && LABELS.username[format]) || LABELS.username.generated;
}

/** The text to type as username when the form is pre-filled (empty when it cannot be known). */
export function usernameValue(format, email) {
  const address = splitAddress(email);
  if (!address || format === 'generated') return '';
  return format === 'local-part' ? address.local : address.whole;
}

/** What to choose as the sign-in method for a protocol: `{ methods, note }` (the settings that
 * work, best first, and the credential in words), as the core derives it from the provider's
 * facts. */
export function signIn(provider, protocol) {
  return provider.signIn?.find((s) => s.protocol === protocol) ?? { methods: [], note: '' };
}

/** Why mail apps cannot reach the provider's mailbox, when a source says so; else undefined. */
export function noAccessNote(provider) {
  return provider.noMailAppAccess?.[0]?.text ?? provider.notOffered?.find((n) => n.what === 'mail-app-access')?.summary;
}

/** The switch to turn on first for a protocol (`{ steps, url? }`), if the provider has one. */
export function switchFor(provider, protocol) {
  return provider.enable?.find((t) => t.required && t.protocols.includes(protocol));
}

/** Whether a fact is about `protocol` (a fact with no protocols is about every one). */
const about = (fact, protocol) => !fact.protocols?.length || fact.protocols.includes(protocol);

/** What the provider says about signing in to `protocol` that a reader acts on: the credentials
 * it accepts with the steps to get them (an app password, an authorization code, …) and the
 * ones it refuses, each a fact with its sources. */
export function credentialsFor(provider, protocol) {
  return provider.credentials.filter((c) => c.accepted !== undefined && c.kind !== 'unknown' && about(c, protocol));
}

/** The provider's plan and sending limits for `protocol`. */
export function plansFor(provider, protocol) {
  return (provider.plans ?? []).filter((p) => about(p, protocol));
}

/** Announced changes for `protocol` (those in effect are in the facts already). */
export function announcedFor(provider, protocol) {
  return (provider.changes ?? []).filter((c) => c.status === 'announced' && about(c, protocol));
}

/** The sources of a fact (its `sources` are indexes into the provider's). */
export function sourcesOf(provider, fact) {
  return (fact.sources ?? []).map((i) => provider.sources[i]).filter(Boolean);
}

/** A source's date as the card shows it: the date of the copy read, else the day it was read. */
export function sourceDate(source) {
  return source.asOf && source.asOf !== 'unknown' ? source.asOf : source.readOn;
}

/** The provider's preferred server for a protocol as `validate()` takes it, with the username
 * for `email` (left out when it cannot be known); undefined when the provider does not offer
 * the protocol. */
export function preferredServer(provider, protocol, email) {
  const e = endpoints(provider, protocol)[0];
  if (!e) return undefined;
  const server = { protocol, host: e.host, port: e.port, security: e.security };
  const auth = signIn(provider, protocol).methods[0];
  if (auth) server.auth = auth;
  const username = usernameValue(e.username, email);
  if (username) server.username = username;
  return server;
}

/** Finds a provider of the table by id, email address or domain (`m`: the main module's API,
 * with the table). A bare name that is neither ("hotmail") is tried as a .com domain too. */
export function findProvider(m, query) {
  if (!query) return undefined;
  const q = query.toLowerCase();
  const bare = /^[a-z0-9-]+$/.test(q);
  return (bare ? m.providerById(q) : undefined) ?? m.lookupProvider(query) ?? (bare ? m.lookupProvider(`${q}.com`) : undefined);
}

/** Providers whose id or name is close to `query` (a typo, another spelling), best first: at
 * most two. `table`: the providers' ids and names. */
export function suggestProviders(table, query) {
  const q = String(query ?? '').toLowerCase().replace(/^.*@/, '').replace(/\.[a-z]+$/, '');
  if (q.length < 3) return [];
  const scored = table
    .map((p) => {
      const names = [p.id, p.name.toLowerCase()];
      const close = Math.min(...names.map((n) => distance(q, n)));
      const part = names.some((n) => n.includes(q) || q.includes(n)) ? 0 : Infinity;
      return { p, score: Math.min(close, part) };
    })
    .filter((x) => x.score <= Math.max(1, Math.floor(q.length / 4)))
    .sort((a, b) => a.score - b.score);
  return scored.slice(0, 2).map((x) => x.p);
}

/** Edit distance with a swap of two neighbouring letters as one edit ("gmial" is 1 from
 * "gmail"); short strings only (provider ids and names). */
function distance(a, b) {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
