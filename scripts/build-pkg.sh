#!/usr/bin/env bash
# build-pkg.sh — build the npm-ready WebAssembly package in pkg/ (web target, no bundler needed).
#
#   scripts/build-pkg.sh            install the tools if missing, build, optimise, write pkg/package.json
#   SKIP_SETUP=1 scripts/build-pkg.sh   (the caller already ran scripts/setup.sh)
#
# pkg/ then holds mailsetup.js (ES module; `await init()` then the API), mailsetup.d.ts (types from
# tsify), mailsetup_bg.wasm (wasm-opt -Oz), elements.js (the <mail-settings> custom elements),
# package.json and README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:/usr/local/bin:$PATH"
log() { printf '[build-pkg] %s\n' "$*"; }

[ "${SKIP_SETUP:-0}" = 1 ] || scripts/setup.sh wasm

crate=mailsetup
target=target/wasm32-unknown-unknown/release/$crate.wasm
log "cargo build (wasm32, release, --no-default-features --features wasm)"
cargo build --lib --release --target wasm32-unknown-unknown --no-default-features --features wasm

rm -rf pkg
log "wasm-bindgen --target web"
wasm-bindgen --target web --out-dir pkg --out-name "$crate" "$target"

# binaryen >= 116 (npm) only: Debian's 108 corrupts the externref table (see scripts/setup-wasm-tools.sh).
log "wasm-opt -Oz ($(wasm-opt --version))"
wasm-opt -Oz "pkg/${crate}_bg.wasm" -o "pkg/${crate}_bg.wasm.opt"
mv "pkg/${crate}_bg.wasm.opt" "pkg/${crate}_bg.wasm"

# The custom elements ship in the package too; in www/ they import ./pkg/mailsetup.js, beside the
# package they import ./mailsetup.js.
sed "s#'./pkg/$crate.js'#'./$crate.js'#" www/elements.js >pkg/elements.js
grep -q "from './$crate.js'" pkg/elements.js || { log "www/elements.js no longer imports './pkg/$crate.js'"; exit 1; }
cp www/elements.d.ts pkg/elements.d.ts

version=$(cargo metadata --no-deps --format-version 1 --offline 2>/dev/null \
  | python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"]=="mailsetup"))')
python3 - "$version" <<'PY'
import json, sys
version = sys.argv[1]
pkg = {
    "name": "mailsetup",
    "version": version,
    "description": "Set up email clients correctly and safely: POP3 vs IMAP advice, settings validation, config export. WebAssembly, runs in the browser.",
    "license": "MIT OR Apache-2.0",
    "type": "module",
    "module": "./mailsetup.js",
    "main": "./mailsetup.js",
    "types": "./mailsetup.d.ts",
    "exports": {
        ".": {"types": "./mailsetup.d.ts", "import": "./mailsetup.js", "default": "./mailsetup.js"},
        "./elements": {"types": "./elements.d.ts", "import": "./elements.js", "default": "./elements.js"},
        "./mailsetup_bg.wasm": "./mailsetup_bg.wasm",
        "./package.json": "./package.json",
    },
    "files": ["mailsetup.js", "mailsetup.d.ts", "mailsetup_bg.wasm", "mailsetup_bg.wasm.d.ts",
              "elements.js", "elements.d.ts", "README.md"],
    "sideEffects": ["./elements.js"],
    "keywords": ["email", "imap", "pop3", "smtp", "autoconfig", "webassembly", "custom-elements"],
}
with open("pkg/package.json", "w") as f:
    json.dump(pkg, f, indent=2)
    f.write("\n")
PY
# The package's README: the project's one paragraph, then its "Embedding in your documentation" section.
{
  printf '# mailsetup\n\nSet up an email client correctly and safely: POP3 vs IMAP advice, settings validation\nagainst the RFCs and provider requirements, and configuration files. WebAssembly: everything runs in\nthe browser, nothing is sent anywhere.\n\n'
  awk '/^## Embedding in your documentation/{on=1} on && /^## / && !/^## Embedding/{exit} on' README.md
} >pkg/README.md
grep -q '<mail-settings' pkg/README.md || { log "README.md lost its embedding section"; exit 1; }
rm -f pkg/.gitignore

raw=$(stat -c %s "pkg/${crate}_bg.wasm")
gz=$(gzip -9 -c "pkg/${crate}_bg.wasm" | wc -c)
js=$(gzip -9 -c "pkg/$crate.js" | wc -c)
log "pkg/${crate}_bg.wasm: $raw bytes, $gz bytes gzip -9; pkg/$crate.js: $js bytes gzip -9"
