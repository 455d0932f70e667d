#!/usr/bin/env bash
# bench-probe.sh — what `mailsetup probe` costs, measured side by side with `openssl s_client`.
#
#   scripts/bench-probe.sh            (PAIRS=20 PORT_BASE=20000 by default)
#
# Starts the test Dovecot (scripts/mailserver) with long-lived login processes (FAST_LOGIN=1, so the
# server's own process start does not hide the client's cost), builds the release binary, then
# runs, interleaved and alternating which goes first:
#
#   1. whole-process time of `mailsetup probe imaps://HOST:PORT --ca-file CA` against
#      `openssl s_client -connect HOST:PORT -CAfile CA -quiet` sending CAPABILITY and LOGOUT
#      (both: TCP connect, TLS handshake, greeting, CAPABILITY, LOGOUT, exit). Target: ratio <= 0.8.
#   2. the protocol's standard endpoints probed concurrently (`mailsetup probe HOST --protocol imap`,
#      implicit TLS and STARTTLS at PORT_BASE + 993/143) against each one alone. Targets: the
#      concurrent run takes <= 1.5x the slower single one, and less than both alone added up.
#   3. the deadlines against misbehaving peers (scripts/mailserver/fault-peers.sh at
#      PORT_BASE + 200…, `--timeout 1.5`): each peer alone, whatever it does (silence, endless
#      lines, a stalled handshake, …), is done within 2 x timeout + 0.5 s (the endpoint's deadline,
#      plus the injection test's own beside it); all of them in one probe within 2 x timeout + 1 s.
#      Whole-process time, the slowest of FAULT_RUNS runs each.
#
# Prints medians (ms) and ratios; exits 1 when a target is missed. Needs what scripts/setup.sh
# installs (Dovecot, openssl, python3).
set -euo pipefail
cd "$(dirname "$0")/.."
PAIRS=${PAIRS:-20}
FAULT_RUNS=${FAULT_RUNS:-3}
PORT_BASE=${PORT_BASE:-20000}
# Under /tmp: when run as root, Dovecot's unprivileged user must reach it.
DIR=${TMPDIR:-/tmp}/mailsetup-bench-probe
export PATH="$HOME/.cargo/bin:$PATH"

echo "[bench] cargo build --release --bin mailsetup" >&2
cargo build --release --quiet --bin mailsetup
BIN=$PWD/target/release/mailsetup

mkdir -p "$DIR"
FAST_STOP=1 scripts/mailserver/start-test-mailserver.sh stop "$DIR" >/dev/null 2>&1 || true
FAST_LOGIN=1 RELAY_SINK=0 INSTALL_PACKAGES=0 PORT_BASE=$PORT_BASE \
  scripts/mailserver/start-test-mailserver.sh start "$DIR" > "$DIR/env.txt"
stop_all() {
  FAST_STOP=1 scripts/mailserver/start-test-mailserver.sh stop "$DIR" >/dev/null 2>&1 || true
  scripts/mailserver/fault-peers.sh stop "$DIR" >/dev/null 2>&1 || true
}
trap stop_all EXIT
CA=$(sed -n 's/^MAIL_CA_FILE=//p' "$DIR/env.txt")
HOST=127.0.0.2
scripts/mailserver/fault-peers.sh stop "$DIR" >/dev/null 2>&1 || true
CERTS_DIR=$(dirname "$CA") PORT_BASE=$PORT_BASE scripts/mailserver/fault-peers.sh start "$DIR" \
  > "$DIR/faults.txt" 2> "$DIR/faults.log" || { cat "$DIR/faults.log" >&2; exit 1; }

BIN=$BIN CA=$CA HOST=$HOST PORT_BASE=$PORT_BASE PAIRS=$PAIRS FAULT_RUNS=$FAULT_RUNS \
  FAULTS="$DIR/faults.txt" python3 - <<'PY'
import os, statistics, subprocess, sys, time

BIN, CA, HOST = os.environ["BIN"], os.environ["CA"], os.environ["HOST"]
BASE, PAIRS = int(os.environ["PORT_BASE"]), int(os.environ["PAIRS"])
FAULT_RUNS = int(os.environ["FAULT_RUNS"])
IMAPS, IMAP = BASE + 993, BASE + 143
ENV = dict(os.environ, NO_COLOR="1")

def run(argv, stdin=None, check_out=None):
    t = time.perf_counter()
    p = subprocess.run(argv, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=ENV)
    dt = (time.perf_counter() - t) * 1000
    if check_out and check_out not in p.stdout:
        sys.exit("unexpected output from %s:\n%s" % (argv[0], p.stdout.decode(errors="replace")))
    return dt

probe_tls = [BIN, "probe", "imaps://%s:%d" % (HOST, IMAPS), "--ca-file", CA]
probe_starttls = [BIN, "probe", "imap://%s:%d" % (HOST, IMAP), "--ca-file", CA]
probe_both = [BIN, "probe", HOST, "--protocol", "imap", "--ca-file", CA, "--standard-port-offset", str(BASE)]
s_client = ["openssl", "s_client", "-connect", "%s:%d" % (HOST, IMAPS), "-CAfile", CA,
            "-verify_return_error", "-quiet"]
s_client_in = b"a1 CAPABILITY\r\na2 LOGOUT\r\n"

def probe_ok(argv):
    return lambda: run(argv, check_out=b"findings: ok")

def s_client_ok():
    return run(s_client, stdin=s_client_in, check_out=b"a1 OK")

def interleaved(named, pairs):
    times = {name: [] for name, _ in named}
    for _ in range(3):                      # warm-up (page cache, Dovecot login processes)
        for _, f in named:
            f()
    for i in range(pairs):
        order = named if i % 2 == 0 else list(reversed(named))
        for name, f in order:
            times[name].append(f())
    return {k: statistics.median(v) for k, v in times.items()}, times

print("mailsetup probe vs openssl s_client: %d pairs, Dovecot %s:%d (FAST_LOGIN=1)" % (PAIRS, HOST, IMAPS))
med, _ = interleaved([("probe", probe_ok(probe_tls)), ("s_client", s_client_ok)], PAIRS)
r1 = med["probe"] / med["s_client"]
print("  median probe    %7.2f ms   %s" % (med["probe"], " ".join(probe_tls[1:])))
print("  median s_client %7.2f ms   %s  (stdin: CAPABILITY, LOGOUT)" % (med["s_client"], " ".join(s_client[1:])))
print("  ratio           %7.3f     target <= 0.8" % r1)

print("standard endpoints together vs alone: %d rounds" % PAIRS)
med2, _ = interleaved([("both", probe_ok(probe_both)), ("tls", probe_ok(probe_tls)),
                       ("starttls", probe_ok(probe_starttls))], PAIRS)
slowest = max(med2["tls"], med2["starttls"])
r2 = med2["both"] / slowest
print("  median 993+143 together %7.2f ms   %s" % (med2["both"], " ".join(probe_both[1:])))
print("  median 993 alone        %7.2f ms" % med2["tls"])
print("  median 143 alone        %7.2f ms   (STARTTLS, with its injection test)" % med2["starttls"])
print("  ratio to the slower     %7.3f     target <= 1.5" % r2)
r3 = med2["both"] / (med2["tls"] + med2["starttls"])
print("  ratio to both added up  %7.3f     target < 1 (side by side, not one after the other)" % r3)

faults = dict(l.strip().split("=", 1) for l in open(os.environ["FAULTS"]) if "=" in l)
peers = sorted(k[len("FAULT_"):-len("_PORT")] for k in faults if k.startswith("FAULT_") and k.endswith("_PORT"))
FAULT_CA, T = faults["FAULT_CA_FILE"], 1.5
def probe_args(targets, *extra):
    return [BIN, "probe", *targets, "--ca-file", FAULT_CA, "--timeout", str(T), *extra]
print("deadlines against %d misbehaving peers (--timeout %.1f s, slowest of %d runs)" % (len(peers), T, FAULT_RUNS))
budget_one, budget_all = (2 * T + 0.5) * 1000, (2 * T + 1) * 1000
late = []
for key in peers:
    target = "127.0.0.1:%s" % faults["FAULT_%s_PORT" % key]
    slowest = max(run(probe_args([target])) for _ in range(FAULT_RUNS))
    print("  %-24s %7.0f ms" % (key, slowest))
    if slowest > budget_one:
        late.append(key)
print("  each within             %7.0f ms     target: every peer (late: %s)" % (budget_one, ", ".join(late) or "none"))
all_targets = ["127.0.0.1:%s" % faults["FAULT_%s_PORT" % k] for k in peers]
together = max(run(probe_args(all_targets, "--protocol", "imap")) for _ in range(FAULT_RUNS))
print("  all %d in one probe     %7.0f ms     target <= %.0f ms" % (len(peers), together, budget_all))
ok = r1 <= 0.8 and r2 <= 1.5 and r3 < 1 and not late and together <= budget_all
print("result: %s" % ("PASS" if ok else "FAIL"))
sys.exit(0 if ok else 1)
PY
