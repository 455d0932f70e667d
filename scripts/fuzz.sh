#!/usr/bin/env bash
# fuzz.sh — fuzz the autoconfig importer and linter (fuzz/fuzz_targets/import_autoconfig.rs) for
# SECONDS (default 60). Any panic, or an input taking over 2 s, fails the run and leaves the input
# in fuzz/artifacts/. Needs a nightly toolchain and cargo-fuzz (scripts/setup.sh installs both).
#
#   scripts/fuzz.sh [SECONDS]
#
# Seeds: autoconfig files mailsetup exports for a few providers, the corpus kept in
# fuzz/corpus/ (not committed), and Thunderbird's ISPDB (vendored in tests/data/ispdb).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:/usr/local/bin:$PATH"
secs=${1:-60}
corpus=fuzz/corpus/import_autoconfig
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
mkdir -p "$corpus"
for email in someone@gmail.com someone@icloud.com someone@outlook.com someone@gmx.net; do
  cargo run -q -- export --email "$email" --format autoconfig > "$seeds/$email.xml" || true
done
dirs=("$corpus" "$seeds" tests/data/ispdb)
# libFuzzer writes a line per new coverage point; keep that in a log and show its end.
log=target/fuzz-import_autoconfig.log
mkdir -p target
if cargo "+$(cat scripts/nightly-toolchain)" fuzz run import_autoconfig "${dirs[@]}" -- \
  -max_total_time="$secs" -timeout=2 -rss_limit_mb=1024 -max_len=16384 \
  -dict=fuzz/dict/autoconfig.dict -print_final_stats=1 >"$log" 2>&1; then
  grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" || tail -n 5 "$log"
else
  tail -n 60 "$log"
  echo "fuzz.sh: the fuzzer failed (full log: $log)" >&2
  exit 1
fi
