#!/usr/bin/env bash
# setup.sh — install everything the build and the tests need on a fresh Debian machine.
# Idempotent: a second run takes about a second. Needs root or passwordless sudo for apt-get.
#
#   scripts/setup.sh          everything (wasm toolchain, Chromium, Dovecot, npm packages)
#   scripts/setup.sh wasm     only what building and serving the page needs
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
export PATH="$HOME/.cargo/bin:/usr/local/bin:$PATH"

log() { printf '[setup] %s\n' "$*"; }
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo

apt_install() {   # installs the missing ones of "$@"; apt-get update only when something is missing
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  # Installing Dovecot must not start the system's own Dovecot on the real ports.
  local rc_made=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null; $SUDO chmod +x /usr/sbin/policy-rc.d; rc_made=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ $rc_made = 1 ] && $SUDO rm -f /usr/sbin/policy-rc.d
  return 0
}

# python3 serves the page (scripts/serve.py) and runs the test mail server's fault peers; cargo
# links with the system C compiler (gcc, libc6-dev), which a minimal Debian lacks.
apt_install python3 gcc libc6-dev

# cargo fmt and cargo clippy (scripts/test.sh), when the toolchain came without them.
for c in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$c"; then
    log "rustup component add $c"; rustup component add "$c" >/dev/null
  fi
done

# Rust toolchain pieces: the wasm target, wasm-bindgen-cli at Cargo.lock's version, wasm-opt (native
# binaryen built from the wasm-opt crate; see setup-wasm-tools.sh), Chromium + chromedriver.
[ -f Cargo.lock ] || cargo generate-lockfile
SKIP_CHROMIUM=$([ "$what" = wasm ] && echo 1 || echo 0) \
  WITH_CARGO_FUZZ=$([ "$what" = all ] && echo 1 || echo 0) scripts/setup-wasm-tools.sh

# One pinned nightly (scripts/nightly-toolchain), with the standard library's source: the wasm
# package is built with -Zbuild-std (see scripts/build-pkg.sh), and cargo fuzz needs nightly too.
nightly=$(cat scripts/nightly-toolchain)
if ! rustup run "$nightly" rustc --version >/dev/null 2>&1 \
  || ! rustup component list --toolchain "$nightly" --installed 2>/dev/null | grep -q '^rust-src'; then
  log "rustup toolchain install $nightly --component rust-src (wasm package, cargo fuzz)"
  rustup toolchain install "$nightly" --profile minimal --component rust-src >/dev/null
fi

if [ "$what" = all ]; then
  # The probe tests' mail server (scripts/mailserver/): Dovecot, openssl for its CA, ss (iproute2)
  # to see which ports are taken.
  apt_install dovecot-core dovecot-imapd dovecot-pop3d dovecot-submissiond openssl iproute2
  # The real-server matrix (scripts/realservers/): Postfix, Cyrus, Courier and Exim on loopback.
  scripts/realservers/install.sh
  # node runs the npm package's tests and the e2e tests (a node from elsewhere, with its npm, is fine).
  { command -v node && command -v npm; } >/dev/null 2>&1 || apt_install nodejs npm
  for d in e2e; do
    if [ -f "$d/package.json" ]; then
      if [ -f "$d/node_modules/.package-lock.json" ] && [ "$d/node_modules/.package-lock.json" -nt "$d/package-lock.json" ]; then
        log "ok: npm packages in $d"
      else
        log "npm ci in $d"; (cd "$d" && npm ci --no-audit --no-fund >/dev/null)
      fi
    fi
  done
fi
log "ready"
