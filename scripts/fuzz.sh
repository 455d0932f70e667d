#!/usr/bin/env bash
# fuzz.sh — fuzz every reader of outside input (fuzz/fuzz_targets/):
#
#   import_autoconfig  the autoconfig importer and linter (any bytes as a document)
#   settings_json      settings files read as the command line reads them, and the rules: a
#                      coherent report (fixes agree, read back, leave no fixable error) or a refusal
#   host               host parsing (URLs, ports, IDNA, lookalikes, IP literals) and the host rules
#   advise             situation files and the advisor
#   export             every export format for arbitrary accounts and addresses, each document read
#                      back by an independent parser (roxmltree, plist, hickory, pulldown-cmark,
#                      html5ever), or a clear refusal
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# SECONDS (default 60) is the whole run, shared equally by the targets (all of them, or those
# named). Any panic, or an input taking over 2 s, fails the run and leaves the input in
# fuzz/artifacts/TARGET/. Prints each target's executions. Needs a nightly toolchain and
# cargo-fuzz (scripts/setup.sh installs both).
#
# A long hunt: FUZZ_RUNS=5000000 FUZZ_TIMEOUT=20 scripts/fuzz.sh 30000 — each target stops after
# FUZZ_RUNS executions (or its share of the time); FUZZ_TIMEOUT (default 2 s) is wall-clock, so
# on a loaded machine a larger one keeps a slow moment from passing for a slow input.
# FUZZ_SANITIZER=none drops AddressSanitizer (cargo fuzz's default): the crate forbids unsafe
# code, so the sanitizer finds little that a panic would not, and the hunt runs several times
# faster. CI keeps the default.
#
# Seeds: the project's own vectors and documents (tests/vectors, tests/advisor-vectors, the ISPDB
# copy in tests/data/ispdb, exports for a few providers), and the corpus each target keeps in
# fuzz/corpus/TARGET (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:/usr/local/bin:$PATH"
secs=${1:-60}
shift || true
all=(import_autoconfig settings_json host advise export)
targets=("${@:-${all[@]}}")
[ "${#targets[@]}" -gt 0 ] || targets=("${all[@]}")
each=$(( secs / ${#targets[@]} ))
[ "$each" -ge 1 ] || each=1
nightly=$(cat scripts/nightly-toolchain)

seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
mkdir -p "$seeds"/{import_autoconfig,settings_json,host,advise,export} target
for email in someone@gmail.com someone@icloud.com someone@outlook.com someone@gmx.net; do
  cargo run -q -- export --email "$email" --format autoconfig >"$seeds/import_autoconfig/$email.xml" || true
done
python3 - "$seeds" <<'PY'
import json, pathlib, sys
seeds = pathlib.Path(sys.argv[1])
def write(target, name, value):
    text = value if isinstance(value, str) else json.dumps(value)
    (seeds / target / name).write_text(text, encoding="utf-8")
for i, f in enumerate(sorted(pathlib.Path("tests/vectors").glob("*.json"))):
    v = json.loads(f.read_text(encoding="utf-8"))
    write("settings_json", f"v{i}.json", v["input"])
for f in sorted(pathlib.Path("tests/advisor-vectors").glob("*.json")):
    for i, v in enumerate(json.loads(f.read_text(encoding="utf-8"))):
        write("advise", f"{f.stem}{i}.json", v["input"])
hosts = ["imap.gmail.com", "IMAPS://Imap.Gmail.com:993/INBOX", "me@smtp.example.com", "[::1]:1143",
         "mail.bücher.example", "imap.gmаil.com", "ımap.gmail.com", "imap.gmail.cοm",
         "imap.xn--gmil-63d.com", "xn--zz.example.com", "imap.gmai1.com", "192.168.1.10",
         "imap\u202e.moc.liamg", "ｉｍａｐ．ｇｍａｉｌ．ｃｏｍ", "outlook.office365.com"]
for i, h in enumerate(hosts):
    write("host", f"h{i}", h)
PY

failed=0
for t in "${targets[@]}"; do
  corpus=fuzz/corpus/$t
  mkdir -p "$corpus" "fuzz/artifacts/$t"
  dirs=("$corpus" "$seeds/$t")
  extra=()
  case $t in
    import_autoconfig) dirs+=(tests/data/ispdb); extra=(-dict=fuzz/dict/autoconfig.dict -max_len=16384) ;;
    settings_json | advise) extra=(-dict=fuzz/dict/settings.dict -max_len=4096) ;;
    host) extra=(-max_len=512) ;;
    export) extra=(-max_len=2048) ;;
  esac
  log=target/fuzz-$t.log
  # libFuzzer writes a line per new coverage point; keep that in a log and show its end.
  if cargo "+$nightly" fuzz run --sanitizer "${FUZZ_SANITIZER:-address}" "$t" "${dirs[@]}" -- \
    -max_total_time="$each" -timeout="${FUZZ_TIMEOUT:-2}" -runs="${FUZZ_RUNS:--1}" -rss_limit_mb=1024 \
    -artifact_prefix="fuzz/artifacts/$t/" \
    -print_final_stats=1 "${extra[@]}" >"$log" 2>&1; then
    printf '%-18s %12s executions in %s s, peak RSS %s MB\n' "$t" \
      "$(grep -oP '^stat::number_of_executed_units:\s*\K\d+' "$log")" \
      "$(grep -oP '^Done \d+ runs in \K\d+' "$log" || echo "$each")" \
      "$(grep -oP '^stat::peak_rss_mb:\s*\K\d+' "$log")"
  else
    tail -n 40 "$log"
    echo "fuzz.sh: $t failed (full log: $log; the input is in fuzz/artifacts/$t/)" >&2
    failed=1
  fi
done
exit "$failed"
