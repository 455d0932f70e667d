// Reads autoconfig files exactly as Thunderbird desktop does when it fetches one: the bytes are
// decoded as Gecko's XML parser decodes them (byte-order mark, else the XML declaration's
// encoding, else UTF-8; malformed bytes are fatal), the text must be well-formed (expat's
// strictness, stood in for by saxes), the DOM (xmldom, standing in for Gecko's DOMParser) goes
// through comm-central's own JXON.build and readFromXML, then AccountConfig.replaceVariables
// fills in the address.
//
//   node --import ./gecko.mjs read.mjs LIST.json
//
// LIST.json is [{"file": PATH, "email": ADDRESS}, …]; stdout is one JSON array, in the same
// order, of {"file", "ok": true, "config": {…}} or {"file", "ok": false, "error": MESSAGE}.
// `config.substituted` is false when Thunderbird refused the address (placeholders stay).
import { readFileSync } from 'node:fs';
import { DOMParser } from '@xmldom/xmldom';
import { SaxesParser } from 'saxes';

const m = globalThis.thunderbirdModules;
const base = 'resource:///modules/';
const { JXON } = m[`${base}JXON.sys.mjs`];
const { readFromXML } = m[`${base}accountcreation/readFromXML.sys.mjs`];
const { AccountConfig } = m[`${base}accountcreation/AccountConfig.sys.mjs`];

// The names behind Ci.nsMsgSocketType and Ci.nsMsgAuthMethod values, in autoconfig's words.
const SOCKET = { 0: 'plain', 2: 'STARTTLS', 3: 'SSL' };
const AUTH = { 1: 'none', 3: 'password-cleartext', 4: 'password-encrypted', 5: 'GSSAPI', 6: 'NTLM', 10: 'OAuth2' };

/** The text of a document's bytes, as Gecko's XML parser decodes them. */
function decode(bytes) {
  const boms = [
    [[0xef, 0xbb, 0xbf], 'utf-8'],
    [[0xff, 0xfe], 'utf-16le'],
    [[0xfe, 0xff], 'utf-16be'],
  ];
  for (const [bom, label] of boms) {
    if (bom.every((b, i) => bytes[i] === b)) {
      return new TextDecoder(label, { fatal: true }).decode(bytes.subarray(bom.length));
    }
  }
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  const declared = head.match(/^<\?xml[^>]*?\sencoding\s*=\s*["']([^"']*)["']/);
  // An unknown label throws: Gecko refuses a document in an encoding it does not know. A
  // declared UTF-16 in bytes that were readable as ASCII is UTF-8 (as browsers read it).
  let label = declared ? new TextDecoder(declared[1]).encoding : 'utf-8';
  if (label.startsWith('utf-16')) label = 'utf-8';
  return new TextDecoder(label, { fatal: true }).decode(bytes);
}

/** Throws when the text is not well-formed XML (with namespaces), as expat would. */
function checkWellFormed(text) {
  const parser = new SaxesParser({ xmlns: true });
  let error = null;
  parser.on('error', (e) => {
    error ??= e;
  });
  parser.write(text).close();
  if (error) throw new Error(`not well-formed: ${error.message}`);
}

function server(s) {
  return {
    type: s.type,
    hostname: s.hostname,
    port: s.port,
    socketType: SOCKET[s.socketType] ?? String(s.socketType),
    auth: AUTH[s.auth] ?? String(s.auth),
    username: s.username,
  };
}

function read(file, email) {
  const text = decode(readFileSync(file));
  checkWellFormed(text);
  const doc = new DOMParser({ onError() {} }).parseFromString(text, 'text/xml');
  const config = readFromXML(JXON.build(doc), 'disk');
  // The address is the person's, not the file's: Thunderbird refuses some (two @, a domain that
  // is not a host name) before it reads any file. Then the placeholders stay as read.
  let substituted = true;
  try {
    // The real name stays a placeholder: mailsetup knows no one's name.
    AccountConfig.replaceVariables(config, '%REALNAME%', email, 'password');
  } catch {
    substituted = false;
  }
  return {
    substituted,
    id: config.id,
    domains: config.domains,
    incoming: [config.incoming, ...config.incomingAlternatives].map(server),
    outgoing: [config.outgoing, ...config.outgoingAlternatives].map(server),
  };
}

// Thunderbird logs what it skips with console.error; the result says what matters.
console.error = () => {};
const list = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const results = list.map(({ file, email }) => {
  try {
    return { file, ok: true, config: read(file, email) };
  } catch (e) {
    return { file, ok: false, error: String(e?.message ?? e) };
  }
});
process.stdout.write(JSON.stringify(results));
