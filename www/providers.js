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
 * tells it, else what it is, in words. */
export function usernameFor(format, email) {
  const known = format === 'email-address' || format === 'local-part' || format === 'either';
  return (known && usernameValue(format, email)) || LABELS.username[format] || LABELS.username.generated;
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

/** The newest date of the provider's sources (the copy read, else the day it was read). */
export function newestSourceDate(provider) {
  return provider.sources.map((s) => (s.asOf !== 'unknown' ? s.asOf : s.readOn)).filter(Boolean).sort().at(-1);
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

/** Finds a provider by id, email address or domain (`m`: the main module's API). */
export function findProvider(m, table, query) {
  if (!query) return undefined;
  return table.find((p) => p.id === query.toLowerCase()) ?? m.lookupProvider(query);
}
