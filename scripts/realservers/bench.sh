#!/usr/bin/env bash
# bench.sh [BIN] -- the probe against `openssl s_client`, whole process, on every server of the
# real-server matrix: per endpoint 2 warm-ups, then PAIRS (20) interleaved pairs in alternating
# order; prints medians, p90 and the ratio probe / s_client. (Issue 12's budget: ratio <= 0.8;
# phase 2 merges this into scripts/bench-probe.sh.)
#
#   BIN     the mailsetup binary [target/release/mailsetup]
#   PAIRS   pairs per endpoint [20]
#   RS_DIR  a running matrix to use; by default one is started in a temporary directory (as root:
#           see start.sh) and stopped at the end (a watchdog stops it if this script is killed).
#
# s_client runs the same conversation as the probe's main connection: for IMAP and POP3 with -quiet
# and "CAPABILITY, LOGOUT" / "CAPA, QUIT" on stdin; for SMTP the handshake only (stdin at EOF), as
# it sends its own EHLO. The probe also runs its STARTTLS-injection test on a second connection.
set -euo pipefail
cd "$(dirname "$0")/../.."
HERE=scripts/realservers
BIN=${1:-target/release/mailsetup}
PAIRS=${PAIRS:-20}
[[ -x $BIN ]] || { echo "no $BIN: cargo build --release" >&2; exit 1; }
command -v openssl >/dev/null || { echo "openssl missing: apt-get install openssl" >&2; exit 1; }

own=0
if [[ -z ${RS_DIR:-} ]]; then
  RS_DIR=$(mktemp -d /tmp/realservers-bench.XXXXXX)
  own=1
  setsid --fork "$HERE/watchdog.sh" $$ "$RS_DIR" </dev/null >/dev/null 2>&1
  PORT_BASE=${PORT_BASE:-15000} STANDARD_PORTS=no "$HERE/start.sh" start "$RS_DIR" >/dev/null
  trap '"$HERE/start.sh" stop "$RS_DIR" 2>/dev/null; rm -rf "$RS_DIR"' EXIT
fi
echo "matrix: $RS_DIR ($(grep -E '^(POSTFIX|CYRUS|COURIER|EXIM)_VERSION=' "$RS_DIR/realservers.env" | tr '\n' ' '))"
echo "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $PAIRS pairs per endpoint; $BIN"

python3 - "$BIN" "$RS_DIR/realservers.env" "$PAIRS" <<'EOF'
import os, statistics, subprocess, sys, time

bin_, env_file, pairs = sys.argv[1], sys.argv[2], int(sys.argv[3])
env = dict(l.split("=", 1) for l in open(env_file).read().splitlines() if "=" in l)
ca = env["RS_CA_FILE"]
run_env = dict(os.environ, NO_COLOR="1")
run_env.pop("MAILSETUP_PASSWORD", None)

# (label, product, endpoint key, URL scheme, protocol, STARTTLS?)
ENDPOINTS = [
    ("Postfix submissions (465)", "POSTFIX", "SUBMISSIONS", "submissions", "smtp", False),
    ("Postfix submission STARTTLS (587)", "POSTFIX", "SUBMISSION", "submission", "smtp", True),
    ("Cyrus imaps (993)", "CYRUS", "IMAPS", "imaps", "imap", False),
    ("Cyrus imap STARTTLS (143)", "CYRUS", "IMAP", "imap", "imap", True),
    ("Cyrus pop3s (995)", "CYRUS", "POP3S", "pop3s", "pop3", False),
    ("Courier imaps (993)", "COURIER", "IMAPS", "imaps", "imap", False),
    ("Courier imap STARTTLS (143)", "COURIER", "IMAP", "imap", "imap", True),
    ("Courier pop3 STLS (110)", "COURIER", "POP3", "pop3", "pop3", True),
    ("Exim submissions (465)", "EXIM", "SUBMISSIONS", "submissions", "smtp", False),
    ("Exim submission STARTTLS (587)", "EXIM", "SUBMISSION", "submission", "smtp", True),
]
CONVERSATION = {"imap": b"a1 CAPABILITY\na2 LOGOUT\n", "pop3": b"CAPA\nQUIT\n", "smtp": None}


def timed(argv, stdin):
    t = time.perf_counter()
    p = subprocess.run(argv, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=run_env, timeout=60)
    return (time.perf_counter() - t) * 1000, p


def p90(v):
    return sorted(v)[int(0.9 * (len(v) - 1))]


rows = []
for label, product, key, scheme, proto, starttls in ENDPOINTS:
    addr, name, port = env[f"{product}_ADDR"], env[f"{product}_NAME"], env[f"{product}_{key}_PORT"]
    probe = [bin_, "probe", f"{scheme}://{addr}:{port}", "--tls-name", name, "--ca-file", ca]
    sc = ["openssl", "s_client", "-connect", f"{addr}:{port}", "-servername", name, "-CAfile", ca,
          "-verify_return_error", "-verify_hostname", name]
    if starttls:
        sc += ["-starttls", proto]
    sc_in = CONVERSATION[proto]
    if sc_in is None:
        sc_in = b""  # handshake only: stdin at EOF ends s_client after the handshake
    else:
        sc += ["-quiet", "-crlf"]
    runs = {"p": [], "s": []}
    for i in range(2 + pairs):
        order = [("p", probe, None), ("s", sc, sc_in)]
        if i % 2:
            order.reverse()
        for kind, argv, stdin in order:
            ms, p = timed(argv, stdin)
            if kind == "p":
                ok = p.returncode in (0, 1)
            elif proto == "smtp":
                ok = p.returncode == 0
            else:
                # Some servers close after LOGOUT/QUIT without a TLS close_notify, which s_client
                # reports as exit 1: the conversation itself must be complete.
                ok = p.returncode in (0, 1) and (b"a1 OK" in p.stdout or b"\n.\r\n" in p.stdout)
            if not ok:
                sys.exit(f"{label}: {argv[0]} exited {p.returncode}: {p.stderr[-300:]!r}")
            if i >= 2:
                runs[kind].append(ms)
    pm, sm = statistics.median(runs["p"]), statistics.median(runs["s"])
    rows.append((label, pm, p90(runs["p"]), sm, p90(runs["s"]), pm / sm))

print()
print(f"| {'endpoint':36} | probe median (p90) ms | s_client median (p90) ms | probe / s_client |")
print(f"|{'-' * 38}|{'-' * 23}|{'-' * 26}|{'-' * 18}|")
for label, pm, pp, sm, sp, ratio in rows:
    print(f"| {label:36} | {pm:8.1f} ({pp:7.1f})    | {sm:8.1f} ({sp:7.1f})       | {ratio:16.2f} |")
EOF
