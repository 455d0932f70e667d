#!/usr/bin/env bash
# test.sh — every test of the project: formatting, lints, native tests (with a real Dovecot on
# loopback for the probe: the `real-servers` feature), the wasm package and its size budget, browser
# tests in headless Chromium. Installs what it needs first (scripts/setup.sh), then checks that
# every prerequisite is really there and stops, naming what is missing, if one is not: no test
# is skipped quietly. (Plain `cargo test` needs none of this: it runs what a fresh clone can.)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:/usr/local/bin:$PATH"
step() { printf '\n=== %s\n' "$*"; }
start=$(date +%s)

step "setup"
scripts/setup.sh

step "prerequisites"
missing=()
need() {   # need WHAT CHECK...: runs CHECK; when it fails, WHAT is missing
  local what=$1; shift
  "$@" >/dev/null 2>&1 || missing+=("$what")
}
have() { command -v "$1"; }
need "cc (the C linker cargo uses)" have cc
need "cargo fmt (rustfmt)" cargo fmt --version
need "cargo clippy" cargo clippy --version
need "the wasm32-unknown-unknown target" sh -c 'rustup target list --installed | grep -qx wasm32-unknown-unknown'
need "the pinned nightly $(cat scripts/nightly-toolchain) with rust-src" \
  sh -c 'rustup component list --toolchain "$(cat scripts/nightly-toolchain)" --installed | grep -q "^rust-src"'
need "cargo fuzz" cargo fuzz --version
need "wasm-bindgen" have wasm-bindgen
need "wasm-bindgen-test-runner" have wasm-bindgen-test-runner
need "wasm-opt" have wasm-opt
need "chromium" have chromium
need "chromedriver" have chromedriver
need "node" have node
need "npm packages of e2e/ (npm ci)" test -d e2e/node_modules
need "python3" have python3
need "openssl" have openssl
need "ss (iproute2)" have ss
# The probe tests start Dovecot from /usr/sbin (which a non-root PATH may lack).
for tool in dovecot doveconf; do
  need "$tool (Dovecot)" sh -c "command -v $tool || test -x /usr/sbin/$tool"
done
need "Dovecot's IMAP server (dovecot-imapd)" test -x /usr/lib/dovecot/imap
need "Dovecot's POP3 server (dovecot-pop3d)" test -x /usr/lib/dovecot/pop3
need "Dovecot's submission server (dovecot-submissiond)" test -x /usr/lib/dovecot/submission
# The real-server matrix (scripts/realservers/install.sh): Postfix from Debian, the others unpacked.
need "Postfix (scripts/realservers/install.sh)" test -x /usr/sbin/postfix
need "Cyrus, Courier and Exim unpacked by scripts/realservers/install.sh" test -d /opt/mailsetup-realservers
if [ ${#missing[@]} -gt 0 ]; then
  printf 'test.sh: MISSING PREREQUISITES, nothing was tested:\n' >&2
  printf '  - %s\n' "${missing[@]}" >&2
  printf 'scripts/setup.sh installs them on Debian (it needs root or passwordless sudo).\n' >&2
  exit 1
fi
echo "all present"

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy (native, all targets) and (wasm32: each module's features, and both with the web tests)"
cargo clippy --all-targets --features real-servers -- -D warnings
cargo clippy --lib --no-default-features --features wasm --target wasm32-unknown-unknown -- -D warnings
cargo clippy --lib --no-default-features --features wasm,wasm-advice --target wasm32-unknown-unknown -- -D warnings
cargo clippy --lib --no-default-features --features wasm-documents --target wasm32-unknown-unknown -- -D warnings
cargo clippy --lib --no-default-features --features wasm-discovery --target wasm32-unknown-unknown -- -D warnings
cargo clippy --lib --test web --no-default-features --features wasm,wasm-advice,wasm-documents --target wasm32-unknown-unknown -- -D warnings

step "cargo test --features real-servers (native: core, CLI, vectors, corpora, properties, probe against Dovecot)"
cargo test --features real-servers

step "Thunderbird's own autoconfig reader as the oracle of lint and export (js-tests/thunderbird)"
(cd js-tests/thunderbird && npm ci --no-audit --no-fund)
cargo test --test documents_thunderbird -- --include-ignored

step "fuzz every reader of outside input (scripts/fuzz.sh: five targets, 60 s in all)"
scripts/fuzz.sh 60

step "wasm package (scripts/build-pkg.sh) and its size budget (scripts/check-pkg-size.sh)"
SKIP_SETUP=1 scripts/build-pkg.sh
scripts/check-pkg-size.sh

step "wasm-bindgen-test: the JS API in headless Chromium"
cargo test --target wasm32-unknown-unknown --no-default-features --features wasm,wasm-advice,wasm-documents --test web

step "node tests of the npm package"
node --test js-tests/

step "end-to-end: the page and the embed demo in headless Chromium (screenshots in target/e2e/)"
(cd e2e && npm test)

step "the README's embedding recipes, built with each docs toolchain and checked in Chromium (e2e/toolchains/; figures in target/e2e/toolchains.json)"
(cd e2e && npm run test:toolchains)

printf '\n=== all tests passed in %ss\n' "$(( $(date +%s) - start ))"
