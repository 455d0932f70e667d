#!/usr/bin/env bash
# test.sh — every test of the project: formatting, lints, native tests (with a real Dovecot on
# loopback for the probe), the wasm package and its size budget, browser tests in headless Chromium.
# Installs what it needs first (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:/usr/local/bin:$PATH"
step() { printf '\n=== %s\n' "$*"; }
start=$(date +%s)

step "setup"
scripts/setup.sh

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy (native, all targets) and (wasm32: each module's features, and both with the web tests)"
cargo clippy --all-targets -- -D warnings
cargo clippy --lib --no-default-features --features wasm --target wasm32-unknown-unknown -- -D warnings
cargo clippy --lib --no-default-features --features wasm-documents --target wasm32-unknown-unknown -- -D warnings
cargo clippy --lib --test web --no-default-features --features wasm,wasm-documents --target wasm32-unknown-unknown -- -D warnings

step "cargo test (native: core, CLI, vectors, properties, probe against Dovecot)"
cargo test

step "fuzz the autoconfig importer and linter (60 s)"
scripts/fuzz.sh 60

step "wasm package (scripts/build-pkg.sh) and its size budget (scripts/check-pkg-size.sh)"
SKIP_SETUP=1 scripts/build-pkg.sh
scripts/check-pkg-size.sh

step "wasm-bindgen-test: the JS API in headless Chromium"
cargo test --target wasm32-unknown-unknown --no-default-features --features wasm,wasm-documents --test web

step "node tests of the npm package"
node --test js-tests/

step "end-to-end: the page and the embed demo in headless Chromium (screenshots in target/e2e/)"
(cd e2e && npm test)

printf '\n=== all tests passed in %ss\n' "$(( $(date +%s) - start ))"
