#!/usr/bin/env bash
# lock.sh NAME... — (re)writes the package-lock.json of toolchain recipes after a change of their
# package.json: packs pkg/ as the tests do, resolves, and drops the tarball's checksum from the
# lock (it changes with every build; with it, `npm ci` would quietly install a stale copy from
# npm's cache). Run from anywhere; needs a built pkg/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out" "$here/mailsetup.tgz"' EXIT
cp "$out/$(cd "$out" && npm pack "$root/pkg" --silent)" "$here/mailsetup.tgz"
export npm_config_cache="$root/target/toolchains/npm-cache"
for name in "$@"; do
  (cd "$here/$name" && rm -f package-lock.json && npm install --package-lock-only --no-audit --no-fund --silent)
  node -e '
    const fs = require("fs"); const p = process.argv[1];
    const lock = JSON.parse(fs.readFileSync(p, "utf8"));
    delete lock.packages["node_modules/mailsetup"].integrity;
    fs.writeFileSync(p, JSON.stringify(lock, null, 2) + "\n");' "$here/$name/package-lock.json"
  echo "lock.sh: $name/package-lock.json"
done
