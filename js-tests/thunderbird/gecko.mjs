// The few Gecko globals Thunderbird's account-creation modules use, so that the unmodified
// comm-central files in comm-central/ load under node (`node --import ./gecko.mjs …`).
// Nothing here decides what Thunderbird accepts: that is all in the vendored modules. The
// globals only give them what the application would (constants, preferences at their defaults,
// localisation ids as messages, an URL parser for `Services.io.newURI`).
import { register } from 'node:module';

register('./resolve.mjs', import.meta.url);

const modules = {};
globalThis.ChromeUtils = {
  defineESModuleGetters(target, map) {
    for (const [name, url] of Object.entries(map)) {
      Object.defineProperty(target, name, {
        configurable: true,
        get() {
          const m = modules[url];
          if (!m) throw new Error(`module not loaded: ${url}`);
          return m[name];
        },
      });
    }
  },
  defineLazyGetter(target, name, make) {
    let value;
    let made = false;
    Object.defineProperty(target, name, {
      configurable: true,
      get() {
        if (!made) {
          value = make();
          made = true;
        }
        return value;
      },
    });
  },
};
// Messages are their Fluent ids ("allowed-value-error"), which is what the tests compare.
globalThis.Localization = class {
  formatValueSync(id) {
    return id;
  }
};
// nsMsgSocketType and nsMsgAuthMethod as in mailnews/base/public/MailNewsTypes2.idl.
globalThis.Ci = {
  nsMsgSocketType: { plain: 0, trySTARTTLS: 1, alwaysSTARTTLS: 2, SSL: 3 },
  nsMsgAuthMethod: {
    none: 1, old: 2, passwordCleartext: 3, passwordEncrypted: 4, GSSAPI: 5, NTLM: 6,
    External: 7, secure: 8, anything: 9, OAuth2: 10,
  },
  nsIURL: {},
};
// InputSanitizer appends "(bad value: …)" to its messages in automation: the tests want the value.
globalThis.Cu = { isInAutomation: true };
globalThis.dump = () => {};
console.createInstance = () => ({ debug() {}, info() {}, warn() {}, error() {}, log() {} });
globalThis.Services = {
  // Every preference at its default (mail.graph.enabled is false in Thunderbird's prefs).
  prefs: {
    getBoolPref: (_name, fallback) => fallback ?? false,
    getCharPref: (_name, fallback) => fallback ?? '',
    getIntPref: (_name, fallback) => fallback ?? 0,
  },
  io: {
    newURI(spec) {
      const u = new URL(spec);
      return { scheme: u.protocol.slice(0, -1), spec: u.href, QueryInterface() { return this; } };
    },
  },
  eTLD: { getBaseDomainFromHost: (host) => host.split('.').slice(-2).join('.') },
  vc: { compare: () => 0 },
};

const base = 'resource:///modules/';
for (const url of [
  `${base}hostnameUtils.sys.mjs`,
  `${base}JXON.sys.mjs`,
  `${base}OAuth2Providers.sys.mjs`,
  `${base}accountcreation/InputSanitizer.sys.mjs`,
  `${base}accountcreation/AccountCreationUtils.sys.mjs`,
  `${base}accountcreation/AccountConfig.sys.mjs`,
  `${base}accountcreation/readFromXML.sys.mjs`,
]) {
  modules[url] = await import(url);
}
globalThis.thunderbirdModules = modules;
