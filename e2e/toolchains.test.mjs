// The README's embedding recipes, run: for each docs toolchain (e2e/toolchains/<name>/), install
// it from its lockfile and mailsetup from the packed tarball of pkg/ (as a reader would), build a
// minimal two-page site with the recipe, serve it under a sub-path on loopback, and check in
// Chromium that the widgets are drawn after a direct load AND after the site's client-side
// navigation, with no request leaving the site, no console error, no layout shift from the
// widgets (their CLS < 0.1; the page's own is reported),
// the documents module never fetched, the site's light and dark schemes followed, and AA
// contrast (axe-core) in both. Figures (install/build time, bytes, time-to-widget, CLS) go to
// target/e2e/toolchains.json and are printed as a table.
//
//   cd e2e && npm run test:toolchains                 every toolchain (scripts/test.sh runs it)
//   TOOLCHAINS=html,vite npm run test:toolchains      some of them
//
// npm's cache is kept inside the repository (target/toolchains/npm-cache), so nothing is cached
// outside it; the MkDocs venv is target/toolchains/mkdocs-venv.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SHOTS, launch, median } from './harness.mjs';
import { serveSite } from './toolchains/serve.mjs';

const DIR = join(ROOT, 'e2e', 'toolchains');
const WORK = join(ROOT, 'target', 'toolchains');
const TARBALL = join(DIR, 'mailsetup.tgz');
const ALL = ['html', 'node', 'vite', 'vitepress', 'astro', 'docusaurus', 'mkdocs'];
const CHOSEN = process.env.TOOLCHAINS ? process.env.TOOLCHAINS.split(',') : ALL;
const LOADS = Number(process.env.TOOLCHAIN_LOADS ?? 5);
const AXE = readFileSync(join(ROOT, 'e2e', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

let browser;
const figures = {};
const started = Date.now();

/** Runs a shell command in a toolchain's folder; fails the test with the end of its output. */
function run(name, label, command, env) {
  const log = join(WORK, `${name}-${label}.log`);
  const t0 = performance.now();
  const r = spawnSync('bash', ['-eo', 'pipefail', '-c', command], {
    cwd: join(DIR, name),
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - t0;
  writeFileSync(log, `$ ${command}\n${r.stdout}\n${r.stderr}`);
  assert.equal(r.status, 0, `${name}: \`${command}\` failed (${r.status ?? r.signal}); log ${log}:\n${`${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-25).join('\n')}`);
  return ms;
}

before(() => {
  mkdirSync(WORK, { recursive: true });
  // The tarball a reader installs: `npm pack` of the built package.
  const packed = spawnSync('npm', ['pack', join(ROOT, 'pkg'), '--pack-destination', WORK, '--json'], { encoding: 'utf8' });
  assert.equal(packed.status, 0, `npm pack failed: ${packed.stderr}`);
  const [{ filename, size, entryCount }] = JSON.parse(packed.stdout);
  copyFileSync(join(WORK, filename), TARBALL);
  figures.tarball = { filename, bytes: size, files: entryCount };
});

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
  figures.totalSeconds = Math.round((Date.now() - started) / 1000);
  writeFileSync(join(SHOTS, 'toolchains.json'), `${JSON.stringify(figures, null, 2)}\n`);
  const rows = Object.entries(figures).filter(([, f]) => f?.steps);
  const line = (cells) => `| ${cells.join(' | ')} |`;
  console.log(line(['toolchain', 'install+build s', 'browser checks s', 'page bytes', 'widget bytes', 'time-to-widget ms (median)', 'CLS widgets (max)', 'CLS page (max)']));
  for (const [name, f] of rows) {
    console.log(line([name, f.stepsSeconds, f.checkSeconds, f.pageBytes, f.widgetBytes, f.timeToWidgetMs, f.widgetCls, f.cls]));
  }
  console.log(`toolchains: ${figures.totalSeconds} s in all (figures in target/e2e/toolchains.json)`);
});

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** A fresh page that records what must not happen: requests leaving loopback (aborted), page
 * errors, console errors, and the figures (CLS, time-to-widget) through an init script. */
async function openSitePage({ colorScheme = 'light', width = 1200, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme });
  const problems = { external: [], pageErrors: [], console: [] };
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || LOOPBACK.has(url.hostname)) return route.continue();
    problems.external.push(url.href);
    return route.abort();
  });
  await context.addInitScript(() => {
    // CLS of the whole page, and the part the widgets cause: shifts of a widget or of what
    // follows one (a site's own shifts, such as VitePress moving its content under the nav bar
    // as it hydrates, move containers that come before the widgets).
    const figures = { cls: 0, widgetCls: 0, shifts: [], ready: null };
    window.__mailsetupFigures = figures;
    const afterWidget = (node) => {
      if (!node?.isConnected) return false;
      if (node.matches?.('mail-settings, mail-settings-check')) return true;
      return [...document.querySelectorAll('mail-settings, mail-settings-check')].some(
        // eslint-disable-next-line no-bitwise
        (w) => w.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING && !node.contains(w),
      );
    };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.hadRecentInput) continue;
        const ours = (e.sources ?? []).some((s) => afterWidget(s.node));
        figures.cls += e.value;
        if (ours) figures.widgetCls += e.value;
        figures.shifts.push({ value: e.value, at: e.startTime, ours, nodes: e.sources?.map((s) => s.node?.nodeName ?? '?') });
      }
    }).observe({ type: 'layout-shift', buffered: true });
    new MutationObserver(() => {
      if (figures.ready === null && document.querySelector('mail-settings[data-state=ready]')) figures.ready = performance.now();
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.pageErrors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.console.push(m.text());
  });
  const requests = [];
  page.on('requestfinished', async (req) => {
    const sizes = await req.sizes().catch(() => null);
    requests.push({ url: req.url(), bytes: sizes ? sizes.responseBodySize + sizes.responseHeadersSize : 0 });
  });
  page.problems = problems;
  page.requests = requests;
  return page;
}

/** Waits until every widget on the page is drawn (or failed, which the checks then report). */
async function widgetsDrawn(page) {
  await page.waitForFunction(
    () => {
      const settings = [...document.querySelectorAll('mail-settings')];
      const checks = [...document.querySelectorAll('mail-settings-check')];
      return settings.length === 2 && checks.length === 1
        && settings.every((e) => e.dataset.state && e.dataset.state !== 'loading')
        && checks.every((e) => e.dataset.verdict && e.dataset.verdict !== 'loading');
    },
    null,
    { timeout: 20_000 },
  );
  return page.evaluate(() => ({
    states: [...document.querySelectorAll('mail-settings')].map((e) => e.dataset.state),
    verdict: document.querySelector('mail-settings-check').dataset.verdict,
    gmail: document.querySelector('mail-settings').shadowRoot.textContent.includes('imap.gmail.com'),
    outlookCards: document.querySelectorAll('mail-settings')[1].shadowRoot.querySelectorAll('figure[data-protocol]').length,
  }));
}

function assertDrawn(drawn, when) {
  assert.deepEqual(drawn.states, ['ready', 'ready'], `${when}: <mail-settings> states`);
  assert.equal(drawn.verdict, 'empty', `${when}: the checker is ready and empty`);
  assert.ok(drawn.gmail, `${when}: Gmail's IMAP server is shown`);
  assert.equal(drawn.outlookCards, 3, `${when}: Outlook.com's three protocols`);
}

function assertClean(page, when) {
  assert.deepEqual(page.problems.external, [], `${when}: requests that left the site (aborted)`);
  assert.deepEqual(page.problems.pageErrors, [], `${when}: uncaught errors`);
  assert.deepEqual(page.problems.console, [], `${when}: console errors`);
  const wasm = page.requests.filter((r) => /\.wasm(\?|$)/.test(r.url));
  assert.equal(wasm.length, 1, `${when}: one WebAssembly module fetched (the main one; never the documents one): ${wasm.map((r) => r.url)}`);
  assert.ok(!page.requests.some((r) => /documents/.test(r.url)), `${when}: the documents module was fetched`);
}

/** Axe's colour-contrast rule over the widgets, with the checker showing findings. */
async function contrast(page) {
  await page.evaluate(() => document.querySelector('mail-settings-check').load({ protocol: 'imap', host: 'imap.gmial.com', port: 995, security: 'starttls', auth: 'password' }));
  await page.waitForFunction(() => document.querySelector('mail-settings-check').dataset.verdict === 'error');
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run({ include: [['mail-settings'], ['mail-settings-check']] }, { runOnly: ['color-contrast'], resultTypes: ['violations'] });
    return r.violations.flatMap((v) => v.nodes.map((n) => `${n.target.join(' > ')}: ${n.any.map((a) => a.message).join('; ')}`));
  });
  return result;
}

for (const name of CHOSEN) {
  test(`toolchain ${name}: the README recipe builds, and the widgets work after a direct load and after client-side navigation`, async () => {
    const def = (await import(join(DIR, name, 'toolchain.mjs'))).default;
    // The server first: a build that must know its address (MkDocs' site_url) gets it as SITE_URL.
    const server = await serveSite(join(DIR, name, def.site));
    const env = { MAILSETUP_TGZ: TARBALL, SITE_URL: server.url, npm_config_cache: join(WORK, 'npm-cache'), npm_config_update_notifier: 'false', ...def.env?.(WORK) };
    const steps = {};
    try {
      for (const [label, command] of def.steps) steps[label] = Math.round(run(name, label, command, env) / 100) / 10;
      await def.verify?.({ read: (path) => readFileSync(join(DIR, name, path), 'utf8') });
    } catch (e) {
      await server.stop();
      throw e;
    }
    const t0 = performance.now();
    const f = { steps, stepsSeconds: Math.round(Object.values(steps).reduce((a, b) => a + b, 0) * 10) / 10 };
    try {
      // Direct loads, each in a fresh context (cold cache): time-to-widget, bytes, CLS.
      const ready = [];
      const cls = [];
      const widgetCls = [];
      for (let i = 0; i < LOADS; i++) {
        const page = await openSitePage();
        await page.goto(server.url + def.widgets);
        const drawn = await widgetsDrawn(page);
        if (i === 0) assertDrawn(drawn, 'direct load');
        await page.waitForTimeout(300); // any late shift
        const m = await page.evaluate(() => window.__mailsetupFigures);
        ready.push(m.ready);
        cls.push(m.cls);
        widgetCls.push(m.widgetCls);
        assert.ok(m.widgetCls < 0.1, `direct load: the widgets' CLS ${m.widgetCls.toFixed(3)} (shifts: ${JSON.stringify(m.shifts)})`);
        assertClean(page, 'direct load');
        if (i === 0) {
          f.pageBytes = page.requests.reduce((a, r) => a + r.bytes, 0);
          f.widgetBytes = page.requests.filter((r) => /mailsetup|\.wasm/.test(r.url)).reduce((a, r) => a + r.bytes, 0);
          f.requests = page.requests.length;
          await page.screenshot({ path: join(SHOTS, `toolchain-${name}.png`), fullPage: true });
        }
        await page.context().close();
      }
      f.timeToWidgetMs = Math.round(median(ready));
      f.timeToWidgetRuns = ready.map(Math.round);
      f.cls = Math.round(Math.max(...cls) * 1000) / 1000;
      f.widgetCls = Math.round(Math.max(...widgetCls) * 1000) / 1000;

      // Client-side navigation from the first page to the widgets.
      const page = await openSitePage();
      await page.goto(server.url + def.start);
      await page.waitForLoadState('load');
      await page.evaluate(() => {
        window.__sameDocument = true;
      });
      await def.navigate(page);
      const drawn = await widgetsDrawn(page);
      assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the navigation was client-side (same document)');
      assertDrawn(drawn, 'after client-side navigation');
      assertClean(page, 'after client-side navigation');

      // The site's light and dark schemes: the widgets follow, and pass axe's contrast check.
      for (const scheme of ['dark', 'light']) {
        await def.theme(page, scheme);
        await page.waitForFunction(
          (s) => [...document.querySelectorAll('mail-settings, mail-settings-check')].every((e) => e.shadowRoot.querySelector('.root').dataset.scheme === s),
          scheme,
          { timeout: 5000 },
        ).catch(() => {});
        const schemes = await page.evaluate(() => [...document.querySelectorAll('mail-settings, mail-settings-check')].map((e) => e.shadowRoot.querySelector('.root').dataset.scheme));
        assert.deepEqual(schemes, [scheme, scheme, scheme], `the widgets follow the site's ${scheme} scheme`);
        assert.deepEqual(await contrast(page), [], `axe colour-contrast violations in the site's ${scheme} scheme`);
        await page.screenshot({ path: join(SHOTS, `toolchain-${name}-${scheme}.png`), fullPage: true });
      }
      assertClean(page, 'theme switches');
      await page.context().close();
    } finally {
      await server.stop();
      const missing = server.log.filter((r) => r.status === 404);
      f.notFound = missing.map((r) => r.path);
    }
    f.checkSeconds = Math.round((performance.now() - t0) / 100) / 10;
    figures[name] = f;
    assert.deepEqual(f.notFound, [], 'requests the site answered 404');
  });
}

test('the toolchain lockfiles pin everything, and never the mailsetup tarball\'s checksum (npm would install a stale copy from its cache)', () => {
  for (const name of readdirSync(DIR)) {
    let lock;
    try {
      lock = JSON.parse(readFileSync(join(DIR, name, 'package-lock.json'), 'utf8'));
    } catch {
      continue;
    }
    const entry = lock.packages['node_modules/mailsetup'];
    assert.ok(entry, `${name}: mailsetup is in the lockfile`);
    assert.equal(entry.resolved, 'file:../mailsetup.tgz', `${name}: installed from the packed tarball`);
    assert.equal(entry.integrity, undefined, `${name}: no integrity for the tarball (it changes with every build)`);
    const loose = Object.entries(lock.packages).filter(([k, v]) => k && k !== 'node_modules/mailsetup' && !v.link && !(v.version && v.integrity));
    assert.deepEqual(loose.map(([k]) => k), [], `${name}: packages without a pinned version and checksum`);
  }
});

process.on('exit', () => rmSync(TARBALL, { force: true }));
