#!/usr/bin/env python3
"""Serves the page on loopback only: www/ at /, the wasm package at /pkg/.

    python3 scripts/serve.py [--port N] [--root DIR]      (port 0 = any free port)

Prints one line, "mailsetup: http://127.0.0.1:PORT/", once it listens. .wasm goes out as
application/wasm (streaming compilation needs it). The page is cross-origin isolated (COOP/COEP),
which also gives performance.now() its fine resolution for the latency measurement. No page may
be framed by another site (X-Frame-Options and the CSP's frame-ancestors, which a <meta> CSP
cannot carry): a framed checker could be overlaid to trick clicks (clickjacking).
"""
import argparse
import errno
import http.server
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".css": "text/css",
        ".html": "text/html; charset=utf-8",
        ".json": "application/json",
        ".ts": "text/plain; charset=utf-8",
        ".md": "text/markdown; charset=utf-8",
    }

    def translate_path(self, path):
        # /pkg/... comes from the package build; everything else from www/.
        clean = path.split("?", 1)[0].split("#", 1)[0]
        if clean == "/pkg" or clean.startswith("/pkg/"):
            self.directory = os.path.join(self.server.root, "pkg")
            path = path[len("/pkg"):] or "/"
        else:
            self.directory = os.path.join(self.server.root, "www")
        return super().translate_path(path)

    def list_directory(self, path):
        self.send_error(404, "no directory listings")
        return None

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        self.send_header("X-Frame-Options", "DENY")
        self.send_header("Content-Security-Policy", "frame-ancestors 'none'")
        super().end_headers()

    def log_message(self, fmt, *args):
        if os.environ.get("SERVE_QUIET") != "1":
            super().log_message(fmt, *args)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8765")),
                    help="port on 127.0.0.1 (default 8765, or $PORT; 0 = any free port; "
                         "a busy port falls back to a free one)")
    ap.add_argument("--root", default=ROOT, help="the project root (holds www/ and pkg/)")
    args = ap.parse_args()
    if not os.path.isfile(os.path.join(args.root, "pkg", "mailsetup_bg.wasm")):
        sys.exit("serve.py: pkg/ is not built; run scripts/build-pkg.sh (or scripts/serve.sh)")
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    except OSError as e:
        if e.errno != errno.EADDRINUSE or args.port == 0:
            raise
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.root = args.root
    port = server.server_address[1]
    print(f"mailsetup: http://127.0.0.1:{port}/", flush=True)
    print("(loopback only; Ctrl-C stops it)", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
