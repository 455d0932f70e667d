// Shared set-up for the end-to-end tests: the loopback server (scripts/serve.py) and Debian's
// Chromium driven by playwright-core. Every page records console errors, page errors and every
// request that does not go to the local server; tests assert both lists are empty.

import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SHOTS = join(ROOT, 'target', 'e2e');
mkdirSync(SHOTS, { recursive: true });

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Starts scripts/serve.py on a free loopback port; resolves to { url, stop }. */
export function startServer() {
  return new Promise((resolve, reject) => {
    // E2E_SERVE_ROOT: serve another tree's www/ + pkg/ (default: this checkout).
    const root = process.env.E2E_SERVE_ROOT ?? ROOT;
    const child = spawn('python3', [join(ROOT, 'scripts', 'serve.py'), '--port', '0', '--root', root], {
      env: { ...process.env, SERVE_QUIET: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve.py printed no URL: ${out}`)), 10_000);
    child.on('exit', (code) => reject(new Error(`serve.py exited with ${code}: ${out}`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /mailsetup: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], stop: () => child.kill('SIGTERM') });
      }
    });
  });
}

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage'],
  });
}

/**
 * A fresh page (own context) that records problems: `page.problems.console`, `.pageErrors`,
 * `.external` (requests to anything but `origin`).
 */
export async function openPage(browser, origin, { width = 1200, height = 900, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const page = await context.newPage();
  const problems = { console: [], pageErrors: [], external: [], dialogs: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.console.push(msg.text());
  });
  page.on('pageerror', (e) => problems.pageErrors.push(String(e)));
  page.on('dialog', (d) => {
    problems.dialogs.push(d.message());
    d.dismiss();
  });
  page.on('request', (req) => {
    const u = req.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) problems.external.push(u);
  });
  page.problems = problems;
  page.closeAll = () => context.close();
  return page;
}

/** Waits for the page's own "ready" flag (set once the module is loaded and the page drawn). */
export async function waitReady(page) {
  await page.waitForSelector('html[data-ready]', { timeout: 15_000 });
  const state = await page.getAttribute('html', 'data-ready');
  if (state !== 'true') throw new Error(`page failed to start: ${state}`);
}

export async function shot(page, name, fullPage = true) {
  // A full-page shot from the top, so the sticky header sits where a reader sees it.
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
