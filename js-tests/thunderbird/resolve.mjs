// Module resolution for the vendored comm-central files: Thunderbird's resource:// URLs map to
// comm-central/, and the two platform modules the account-creation code imports (timers, the
// add-on manager, neither used while reading a file) to tiny stand-ins.

const here = new URL('.', import.meta.url);

export async function resolve(specifier, context, next) {
  const m = specifier.match(/^resource:\/\/\/modules\/(?:accountcreation\/)?([A-Za-z0-9]+\.sys\.mjs)$/);
  if (m) return { url: new URL(`comm-central/${m[1]}`, here).href, shortCircuit: true };
  if (specifier === 'resource://gre/modules/Timer.sys.mjs') {
    return { url: 'data:text/javascript,export const { setTimeout, clearTimeout } = globalThis;', shortCircuit: true };
  }
  if (specifier === 'resource://gre/modules/AddonManager.sys.mjs') {
    return { url: 'data:text/javascript,export const AddonManager = {};', shortCircuit: true };
  }
  return next(specifier, context);
}
