#!/usr/bin/env bash
# build-pkg.sh — build the npm-ready WebAssembly package in pkg/ (web target, no bundler needed).
#
#   scripts/build-pkg.sh            install the tools if missing, build, optimise, write pkg/package.json
#   SKIP_SETUP=1 scripts/build-pkg.sh   (the caller already ran scripts/setup.sh)
#
# pkg/ then holds mailsetup.js (ES module; `await init()`, `loadProviders(table)`, then validate,
# defineProvider, providers, lookupProvider, version), mailsetup_advice.js (the same and advise),
# mailsetup_documents.js (rules, exportConfig, lintAutoconfig: load it when needed),
# mailsetup_discovery.js (PageDiscovery: a domain's DNS lookup through DNS-over-HTTPS, loaded on
# the click), their .d.ts (types from tsify) and _bg.wasm (wasm-opt -Oz), provider-table.js (the
# provider table, the default export, which no module carries; wasm.js hands it to loadProviders),
# elements.js (the <mail-settings> custom elements, with the modules they import), labels.js (the
# words for protocols, security, sign-in methods, severities), rules.html (the rule documentation
# page the checker's rule codes can link to, with rules.js and rules.css), package.json and README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:/usr/local/bin:$PATH"
log() { printf '[build-pkg] %s\n' "$*"; }

[ "${SKIP_SETUP:-0}" = 1 ] || scripts/setup.sh wasm

crate=mailsetup

# Four modules from the one crate (see src/wasm.rs): the main one (feature wasm), the advice one
# (the main one and advise: features wasm,wasm-advice), the documents one (feature
# wasm-documents) and the discovery one (feature wasm-discovery: a page's DNS lookup through
# DNS-over-HTTPS, loaded on the click), each through wasm-bindgen and wasm-opt.
#
# Built with the pinned nightly of scripts/nightly-toolchain, rebuilding the standard library for
# size (-Zbuild-std, std's optimize_for_size, panic=immediate-abort: a panic traps at once, as it
# would anyway, without the code that formats its message). The main module is 10 % smaller
# than with stable (92 KB against 103 KB gzip), which is what keeps it within its 100 KB budget.
# Its own target directory, so the stable builds in target/ are not rebuilt after it.
nightly=$(cat scripts/nightly-toolchain)
pkg_target=target/pkg-build
target=$pkg_target/wasm32-unknown-unknown/release/$crate.wasm
build_module() { # FEATURE OUT_NAME
  log "cargo +$nightly build (wasm32, release, -Zbuild-std, --no-default-features --features $1)"
  RUSTFLAGS="-Cpanic=immediate-abort -Zunstable-options" \
    cargo "+$nightly" build --lib --release --target wasm32-unknown-unknown --target-dir "$pkg_target" \
    -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size \
    --no-default-features --features "$1"
  log "wasm-bindgen --target web --out-name $2"
  wasm-bindgen --target web --out-dir pkg --out-name "$2" "$target"
  # binaryen >= 116, native (see scripts/setup-wasm-tools.sh): Debian's 108 corrupts the externref table.
  log "wasm-opt -Oz ($(wasm-opt --version))"
  wasm-opt -Oz "pkg/${2}_bg.wasm" -o "pkg/${2}_bg.wasm.opt"
  mv "pkg/${2}_bg.wasm.opt" "pkg/${2}_bg.wasm"
}
rm -rf pkg
build_module wasm "$crate"
build_module wasm,wasm-advice "${crate}_advice"
build_module wasm-documents "${crate}_documents"
build_module wasm-discovery "${crate}_discovery"
# The provider table, which no module carries (182 providers do not fit the main module's budget;
# see src/providers/mod.rs): build.rs writes it to its OUT_DIR; it ships as a JS module whose
# default export is the table (a JS module: no fetch to configure, and bundlers split it into a chunk
# of its own), which wasm.js imports when something first needs a provider of the table (not for an
# organisation's own settings alone) and hands to loadProviders() of each module it loads.
out_dir=$(RUSTFLAGS="-Cpanic=immediate-abort -Zunstable-options" \
  cargo "+$nightly" build --lib --release --target wasm32-unknown-unknown --target-dir "$pkg_target" \
  -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size \
  --no-default-features --features wasm --message-format=json 2>/dev/null \
  | python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    pid = m.get("package_id", "")
    if m.get("reason") == "build-script-executed" and ("#mailsetup@" in pid or pid.startswith("mailsetup ")):
        print(m["out_dir"])')
[ -f "$out_dir/providers-lean.json" ] || { log "no provider table in the build's OUT_DIR ($out_dir)"; exit 1; }
{
  printf '// The provider table of mailsetup %s (src/providers/data), for loadProviders().\n' "$(git describe --always --dirty 2>/dev/null || echo)"
  printf 'export default '
  cat "$out_dir/providers-lean.json"
  printf ';\n'
} >pkg/provider-table.js
cat >pkg/provider-table.d.ts <<'DTS'
/** The provider table of mailsetup, for `loadProviders()` of each module. */
import type { ProviderDefinition } from './mailsetup.js';
declare const table: ProviderDefinition[];
export default table;
DTS

# The custom elements ship in the package too, with the modules they import: in www/ they load
# ./pkg/mailsetup.js (and ./pkg/mailsetup_documents.js on demand), beside the package ./mailsetup.js.
# elements.js and labels.js are public (exports, .d.ts); the others are the elements' own parts.
element_modules="elements.js labels.js checker.js ui.js wasm.js providers.js styles.js theme.js own.js downloads.js discovery.js"
for f in $element_modules; do sed "s#'./pkg/#'./#g" "www/$f" >"pkg/$f"; done
grep -q "from './$crate.js'" pkg/wasm.js || { log "www/wasm.js no longer imports './pkg/$crate.js'"; exit 1; }
grep -q "import('./${crate}_documents.js')" pkg/wasm.js || { log "www/wasm.js no longer loads './pkg/${crate}_documents.js'"; exit 1; }
grep -q "import('./${crate}_discovery.js')" pkg/wasm.js || { log "www/wasm.js no longer loads './pkg/${crate}_discovery.js'"; exit 1; }
grep -q "import('./${crate}_advice.js')" pkg/wasm.js || { log "www/wasm.js no longer loads './pkg/${crate}_advice.js'"; exit 1; }
grep -q "import('./provider-table.js')" pkg/wasm.js || { log "www/wasm.js no longer loads './pkg/provider-table.js'"; exit 1; }
# Every relative import of a packaged module must be packaged too.
for f in $element_modules; do
  for dep in $(grep -oE "(from|import\() *'\./[^']+'" "pkg/$f" | grep -oE "'\./[^']+'" | tr -d "'"); do
    [ -f "pkg/${dep#./}" ] || { log "pkg/$f imports $dep, which is not in the package"; exit 1; }
  done
done
cp www/elements.d.ts www/labels.d.ts pkg/
# The rules page, to host beside the elements (`rules-href`): www/rules.html without its links to
# mailsetup's own page (between <!-- page-only --> markers), its styles as rules.css.
sed "s#'./pkg/#'./#g" www/rules.js >pkg/rules.js
sed -e '/<!-- page-only/,/<!-- \/page-only -->/d' -e 's#href="pkg/#href="#g' -e 's#href="style.css"#href="rules.css"#' \
  -e 's#class="brand" href="./"#class="brand" href="rules.html"#' www/rules.html >pkg/rules.html
cp www/style.css pkg/rules.css
for f in rules.html rules.js; do
  grep -qE "(src|href)=\"(/|pkg/)|'\./pkg/" "pkg/$f" && { log "pkg/$f still refers to the page's paths"; exit 1; }
done
for dep in $(grep -oE "(from|import\() *'\./[^']+'" pkg/rules.js | grep -oE "'\./[^']+'" | tr -d "'"); do
  [ -f "pkg/${dep#./}" ] || { log "pkg/rules.js imports $dep, which is not in the package"; exit 1; }
done

version=$(cargo metadata --no-deps --format-version 1 --offline 2>/dev/null \
  | python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"]=="mailsetup"))')
python3 - "$version" $element_modules <<'PY'
import json, sys
from pathlib import Path
version, modules = sys.argv[1], sys.argv[2:]
# The JS half of the modules' guarded calls into the page (src/wasm.rs, inline_js), which
# wasm-bindgen writes under pkg/snippets/.
snippets = sorted(str(p.relative_to("pkg")) for p in Path("pkg/snippets").rglob("*.js"))
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
        "./labels": {"types": "./labels.d.ts", "import": "./labels.js", "default": "./labels.js"},
        "./advice": {"types": "./mailsetup_advice.d.ts", "import": "./mailsetup_advice.js", "default": "./mailsetup_advice.js"},
        "./documents": {"types": "./mailsetup_documents.d.ts", "import": "./mailsetup_documents.js", "default": "./mailsetup_documents.js"},
        "./discovery": {"types": "./mailsetup_discovery.d.ts", "import": "./mailsetup_discovery.js", "default": "./mailsetup_discovery.js"},
        "./provider-table": {"types": "./provider-table.d.ts", "import": "./provider-table.js", "default": "./provider-table.js"},
        "./mailsetup_bg.wasm": "./mailsetup_bg.wasm",
        "./mailsetup_advice_bg.wasm": "./mailsetup_advice_bg.wasm",
        "./mailsetup_documents_bg.wasm": "./mailsetup_documents_bg.wasm",
        "./mailsetup_discovery_bg.wasm": "./mailsetup_discovery_bg.wasm",
        "./rules.html": "./rules.html",
        "./package.json": "./package.json",
    },
    "files": ["mailsetup.js", "mailsetup.d.ts", "mailsetup_bg.wasm", "mailsetup_bg.wasm.d.ts",
              "mailsetup_advice.js", "mailsetup_advice.d.ts", "mailsetup_advice_bg.wasm",
              "mailsetup_advice_bg.wasm.d.ts",
              "mailsetup_documents.js", "mailsetup_documents.d.ts", "mailsetup_documents_bg.wasm",
              "mailsetup_documents_bg.wasm.d.ts", "mailsetup_discovery.js", "mailsetup_discovery.d.ts",
              "mailsetup_discovery_bg.wasm", "mailsetup_discovery_bg.wasm.d.ts",
              "provider-table.js", "provider-table.d.ts", "elements.d.ts", "labels.d.ts", *modules,
              "rules.html", "rules.js", "rules.css", "README.md", *snippets],
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

for m in "$crate" "${crate}_advice" "${crate}_documents" "${crate}_discovery"; do
  raw=$(stat -c %s "pkg/${m}_bg.wasm")
  gz=$(gzip -9 -c "pkg/${m}_bg.wasm" | wc -c)
  js=$(gzip -9 -c "pkg/$m.js" | wc -c)
  log "pkg/${m}_bg.wasm: $raw bytes, $gz bytes gzip -9; pkg/$m.js: $js bytes gzip -9"
done
