#!/usr/bin/env bash
# serve.sh — build the WebAssembly package and serve the page on 127.0.0.1 (loopback only).
#
#   scripts/serve.sh            (make serve) build, then serve on port 8765 or, if busy, a free one
#   PORT=9000 scripts/serve.sh  choose the port (0: any free port)
#
# Prints the URL to open. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-pkg.sh
exec python3 scripts/serve.py
