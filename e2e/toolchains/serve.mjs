// A static file server on loopback for a built docs site, served under a sub-path (as a
// GitHub Pages project site or any `site_url` with a path is): `/docs/` maps to the site's
// folder, everything else is a 404. Every request is logged (path and status), so a test can
// tell a widget's missing file from a site's own.

import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
};

function isFile(path) {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Serves `root` at `http://127.0.0.1:PORT${base}`; resolves to { url, log, stop }. */
export function serveSite(root, base = '/docs/') {
  const log = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const send = (status, file) => {
      log.push({ path, status });
      if (!file) {
        res.writeHead(status, { 'content-type': 'text/plain' }).end(`${status}\n`);
        return;
      }
      res.writeHead(status, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
      createReadStream(file).pipe(res);
    };
    if (!path.startsWith(base)) return send(404);
    const rel = normalize(path.slice(base.length));
    if (rel.startsWith('..') || rel.includes(`${sep}..`)) return send(404);
    const file = join(root, rel);
    // A folder's index.html, and "page" for page.html (clean URLs).
    for (const candidate of [file, join(file, 'index.html'), `${file}.html`]) {
      if (isFile(candidate)) {
        if (candidate === join(file, 'index.html') && !path.endsWith('/')) {
          log.push({ path, status: 301 });
          res.writeHead(301, { location: `${path}/` }).end();
          return undefined;
        }
        return send(200, candidate);
      }
    }
    return send(404);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}${base}`, log, stop: () => new Promise((r) => server.close(r)) });
    });
  });
}
