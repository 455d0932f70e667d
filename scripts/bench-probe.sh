#!/usr/bin/env bash
# bench-probe.sh — what `mailsetup probe` costs and how long it may take, measured side by side
# with `openssl s_client` on every server the tests run: the Dovecot of scripts/mailserver and the
# real-server matrix of scripts/realservers (Postfix, Cyrus, Courier, Exim).
#
#   scripts/bench-probe.sh        (as root: the matrix needs it; PAIRS=20 PORT_BASE=21000
#                                  RS_PORT_BASE=15000 by default; RS_DIR=DIR uses a running matrix)
#
# Builds the release binary, starts the servers (Dovecot with long-lived login processes,
# FAST_LOGIN=1, so the server's own process start does not hide the client's cost), then measures,
# interleaved and alternating which goes first, medians of PAIRS pairs after 2 warm-ups:
#
#   1. Every server: whole-process time of `mailsetup probe SCHEME://HOST:PORT` against
#      `openssl s_client` doing the same conversation as the probe's main connection (IMAP and
#      POP3: -quiet with CAPABILITY, LOGOUT / CAPA, QUIT on stdin; SMTP: the handshake, s_client
#      sends its own EHLO). The probe also does its side checks on connections of their own (the
#      STARTTLS injection test, TLS 1.1/1.0 still accepted, POP3's USER before TLS).
#      Target: probe / s_client <= 0.8 on every endpoint.
#   2. A bare host: `mailsetup probe HOST` (the six standard endpoints of IMAP, POP3 and
#      submission, concurrently): the probe's own time (the report's ms, from the request to the
#      report) against its slowest endpoint's own time in the same runs. Target: <= 1.5 (the
#      endpoints run side by side; nothing else adds up). Like against like: both are times inside
#      the process. The whole process adds about 2.5 ms that do not grow with the endpoints
#      (exec, loading, printing, and the measuring script's own fork), which a faster endpoint
#      makes a larger share: printed too, with each endpoint probed alone, for the record.
#   3. Deadlines (--timeout 1.5 s, whole process, slowest of FAULT_RUNS runs): each misbehaving
#      peer of scripts/mailserver/fault-peers.sh alone, all of them in one probe, and a host whose
#      DNS server never answers (a black hole on loopback, --resolver), six endpoints. Target:
#      every one within --timeout + 1 s.
#
# Prints a table per part and the result; exits 1 when a target is missed.
set -euo pipefail
cd "$(dirname "$0")/.."
PAIRS=${PAIRS:-20}
FAULT_RUNS=${FAULT_RUNS:-3}
PORT_BASE=${PORT_BASE:-21000}
# Under /tmp: when run as root, Dovecot's unprivileged user must reach it.
DIR=${TMPDIR:-/tmp}/mailsetup-bench-probe
export PATH="$HOME/.cargo/bin:$PATH"
[[ $(id -u) == 0 ]] || { echo "bench-probe.sh: the real-server matrix needs root" >&2; exit 1; }
command -v openssl >/dev/null || { echo "openssl missing: apt-get install openssl" >&2; exit 1; }

echo "[bench] cargo build --release --bin mailsetup" >&2
cargo build --release --quiet --bin mailsetup
BIN=$PWD/target/release/mailsetup

mkdir -p "$DIR"
FAST_STOP=1 scripts/mailserver/start-test-mailserver.sh stop "$DIR" >/dev/null 2>&1 || true
FAST_LOGIN=1 RELAY_SINK=0 INSTALL_PACKAGES=0 PORT_BASE=$PORT_BASE \
  scripts/mailserver/start-test-mailserver.sh start "$DIR" > "$DIR/env.txt"
own_matrix=0
if [[ -z ${RS_DIR:-} ]]; then
  RS_DIR=$DIR/realservers
  own_matrix=1
  scripts/realservers/start.sh stop "$RS_DIR" >/dev/null 2>&1 || true
  setsid --fork scripts/realservers/watchdog.sh $$ "$RS_DIR" </dev/null >/dev/null 2>&1
  PORT_BASE=${RS_PORT_BASE:-15000} STANDARD_PORTS=no scripts/realservers/start.sh start "$RS_DIR" >/dev/null
fi
stop_all() {
  FAST_STOP=1 scripts/mailserver/start-test-mailserver.sh stop "$DIR" >/dev/null 2>&1 || true
  scripts/mailserver/fault-peers.sh stop "$DIR" >/dev/null 2>&1 || true
  if [[ $own_matrix == 1 ]]; then scripts/realservers/start.sh stop "$RS_DIR" >/dev/null 2>&1 || true; fi
}
trap stop_all EXIT
CA=$(sed -n 's/^MAIL_CA_FILE=//p' "$DIR/env.txt")
scripts/mailserver/fault-peers.sh stop "$DIR" >/dev/null 2>&1 || true
CERTS_DIR=$(dirname "$CA") PORT_BASE=$PORT_BASE scripts/mailserver/fault-peers.sh start "$DIR" \
  > "$DIR/faults.txt" 2> "$DIR/faults.log" || { cat "$DIR/faults.log" >&2; exit 1; }
echo "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $PAIRS pairs; $BIN"
echo "matrix: $(grep -E '^(POSTFIX|CYRUS|COURIER|EXIM)_VERSION=' "$RS_DIR/realservers.env" | tr '\n' ' ')"

BIN=$BIN CA=$CA PORT_BASE=$PORT_BASE PAIRS=$PAIRS FAULT_RUNS=$FAULT_RUNS \
  FAULTS="$DIR/faults.txt" RS_ENV="$RS_DIR/realservers.env" python3 - <<'PY'
import os, socket, statistics, subprocess, sys, threading, time

BIN, CA = os.environ["BIN"], os.environ["CA"]
BASE, PAIRS = int(os.environ["PORT_BASE"]), int(os.environ["PAIRS"])
FAULT_RUNS = int(os.environ["FAULT_RUNS"])
ENV = dict(os.environ, NO_COLOR="1")
ENV.pop("MAILSETUP_PASSWORD", None)
rs = dict(l.split("=", 1) for l in open(os.environ["RS_ENV"]).read().splitlines() if "=" in l)
failed = []


def timed(argv, stdin=None):
    # A pause before each run (25 ms), not timed: Exim holds a connection half a second after a failed
    # TLS handshake (the probe's TLS 1.1/1.0 checks), and refuses new ones past 20 held.
    time.sleep(0.025)
    t = time.perf_counter()
    p = subprocess.run(argv, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV, timeout=120)
    return (time.perf_counter() - t) * 1000, p


def p90(v):
    return sorted(v)[int(0.9 * (len(v) - 1))]


def interleaved(named, pairs):
    """named: [(name, argv, stdin, ok(p) -> bool)]; 2 warm-ups, then pairs rounds alternating."""
    times = {name: [] for name, *_ in named}
    for i in range(2 + pairs):
        order = named if i % 2 == 0 else list(reversed(named))
        for name, argv, stdin, ok in order:
            ms, p = timed(argv, stdin)
            if not ok(p):
                sys.exit("%s: %s exited %d:\n%s\n%s" % (name, " ".join(argv), p.returncode,
                         p.stdout.decode(errors="replace")[-600:], p.stderr.decode(errors="replace")[-300:]))
            if i >= 2:
                times[name].append(ms)
    return times


def probe_clean(p):
    return p.returncode in (0, 1) and b"findings:" in p.stdout


CONVERSATION = {"imap": b"a1 CAPABILITY\na2 LOGOUT\n", "pop3": b"CAPA\nQUIT\n", "smtp": b""}


def s_client_ok(proto):
    def ok(p):
        if proto == "smtp":
            return p.returncode == 0
        # Some servers close after LOGOUT/QUIT without a TLS close_notify, which s_client reports
        # as exit 1: the conversation itself must be complete.
        return p.returncode in (0, 1) and (b"a1 OK" in p.stdout or b"\n.\r\n" in p.stdout)
    return ok


# --- 1. every server against s_client ---------------------------------------------------------
# (label, address, name for TLS, port, URL scheme, protocol, STARTTLS?, CA file)
dovecot = ("127.0.0.2", "mail.test", CA)
ENDPOINTS = [
    ("Dovecot imaps", *dovecot[:2], BASE + 993, "imaps", "imap", False, CA),
    ("Dovecot imap STARTTLS", *dovecot[:2], BASE + 143, "imap", "imap", True, CA),
    ("Dovecot pop3s", *dovecot[:2], BASE + 995, "pop3s", "pop3", False, CA),
    ("Dovecot pop3 STLS", *dovecot[:2], BASE + 110, "pop3", "pop3", True, CA),
    ("Dovecot submissions", *dovecot[:2], BASE + 465, "submissions", "smtp", False, CA),
    ("Dovecot submission STARTTLS", *dovecot[:2], BASE + 587, "submission", "smtp", True, CA),
]
for label, product, key, scheme, proto, starttls in [
    ("Postfix submissions", "POSTFIX", "SUBMISSIONS", "submissions", "smtp", False),
    ("Postfix submission STARTTLS", "POSTFIX", "SUBMISSION", "submission", "smtp", True),
    ("Cyrus imaps", "CYRUS", "IMAPS", "imaps", "imap", False),
    ("Cyrus imap STARTTLS", "CYRUS", "IMAP", "imap", "imap", True),
    ("Cyrus pop3s", "CYRUS", "POP3S", "pop3s", "pop3", False),
    ("Courier imaps", "COURIER", "IMAPS", "imaps", "imap", False),
    ("Courier imap STARTTLS", "COURIER", "IMAP", "imap", "imap", True),
    ("Courier pop3 STLS", "COURIER", "POP3", "pop3", "pop3", True),
    ("Exim submissions", "EXIM", "SUBMISSIONS", "submissions", "smtp", False),
    ("Exim submission STARTTLS", "EXIM", "SUBMISSION", "submission", "smtp", True),
]:
    ENDPOINTS.append((label, rs[product + "_ADDR"], rs[product + "_NAME"], int(rs["%s_%s_PORT" % (product, key)]),
                      scheme, proto, starttls, rs["RS_CA_FILE"]))

print("\n1. probe vs openssl s_client, whole process, %d pairs each (target: ratio <= 0.8)" % PAIRS)
print("| %-30s | %-21s | %-24s | %-16s |" % ("endpoint", "probe median (p90) ms", "s_client median (p90) ms", "probe / s_client"))
print("|%s|%s|%s|%s|" % ("-" * 32, "-" * 23, "-" * 26, "-" * 18))
for label, addr, name, port, scheme, proto, starttls, ca in ENDPOINTS:
    probe = [BIN, "probe", "%s://%s:%d" % (scheme, addr, port), "--tls-name", name, "--ca-file", ca]
    sc = ["openssl", "s_client", "-connect", "%s:%d" % (addr, port), "-servername", name, "-CAfile", ca,
          "-verify_return_error", "-verify_hostname", name]
    if starttls:
        sc += ["-starttls", proto]
    if proto != "smtp":
        sc += ["-quiet", "-crlf"]
    t = interleaved([("probe", probe, None, probe_clean), ("s_client", sc, CONVERSATION[proto], s_client_ok(proto))], PAIRS)
    pm, sm = statistics.median(t["probe"]), statistics.median(t["s_client"])
    ratio = pm / sm
    if ratio > 0.8:
        failed.append("%s: %.2f" % (label, ratio))
    print("| %-30s | %8.1f (%7.1f)     | %8.1f (%7.1f)        | %16.2f |" % (label, pm, p90(t["probe"]), sm, p90(t["s_client"]), ratio))

# --- 2. a bare host: six endpoints at once --------------------------------------------------
print("\n2. a bare host: the six standard endpoints at once (Dovecot, %d runs, after 2 warm-ups)" % PAIRS)
host = "127.0.0.2"
together = [BIN, "probe", host, "--tls-name", "mail.test", "--ca-file", CA, "--standard-port-offset", str(BASE), "--json"]
whole, own, slowest = [], [], []
for i in range(2 + PAIRS):
    ms, p = timed(together)
    report = __import__("json").loads(p.stdout)
    assert report["verdict"] != "error", p.stdout[-600:]
    if i >= 2:
        whole.append(ms)
        own.append(report["ms"])
        slowest.append(max(e["ms"] for e in report["endpoints"]))
r2 = statistics.median(own) / statistics.median(slowest)
print("  the probe's own time         %7.2f ms   (the report's ms: from the request to the report)" % statistics.median(own))
print("  its slowest endpoint         %7.2f ms   (the endpoint's own time, in the same runs)" % statistics.median(slowest))
print("  ratio                        %7.3f      target <= 1.5" % r2)
print("  (for the record: the whole process %.2f ms, %.2f x the slowest endpoint: %s)" % (
    statistics.median(whole), statistics.median(whole) / statistics.median(slowest), " ".join(together[1:])))
if r2 > 1.5:
    failed.append("bare host: %.2f x its slowest endpoint" % r2)
# For the record (no target): each endpoint probed alone, interleaved with the six at once. On
# loopback the servers' CPU is what the endpoints share, so this ratio grows with the load.
alone = [("%s %d" % (scheme, port), [BIN, "probe", "%s://%s:%d" % (scheme, host, port), "--tls-name", "mail.test", "--ca-file", CA])
         for _, _, _, port, scheme, _, _, _ in ENDPOINTS[:6]]
named = [("all six", together[:-1], None, probe_clean)] + [(n, a, None, probe_clean) for n, a in alone]
t = interleaved(named, PAIRS)
med = {k: statistics.median(v) for k, v in t.items()}
print("  (for the record: each alone %s ms; all six %.2f ms, %.2f x the slowest alone, %.2f x all added up)" % (
    ", ".join("%.1f" % med[n] for n, _ in alone), med["all six"], med["all six"] / max(med[n] for n, _ in alone),
    med["all six"] / sum(med[n] for n, _ in alone)))

# --- 3. deadlines ----------------------------------------------------------------------------
faults = dict(l.strip().split("=", 1) for l in open(os.environ["FAULTS"]) if "=" in l)
peers = sorted(k[len("FAULT_"):-len("_PORT")] for k in faults if k.startswith("FAULT_") and k.endswith("_PORT") and k != "FAULT_CLOSED_PORT")
FAULT_CA, T = faults["FAULT_CA_FILE"], 1.5
budget = (T + 1) * 1000


def probe_args(targets, *extra):
    return [BIN, "probe", *targets, "--ca-file", FAULT_CA, "--timeout", str(T), *extra]


def slowest_of(argv):
    return max(timed(argv)[0] for _ in range(FAULT_RUNS))


print("\n3. deadlines: --timeout %.1f s, whole process, the slowest of %d runs (target: <= %.0f ms)" % (T, FAULT_RUNS, budget))
late = []
for key in peers:
    ms = slowest_of(probe_args(["127.0.0.1:%s" % faults["FAULT_%s_PORT" % key]]))
    print("  %-32s %7.0f ms" % (key, ms))
    if ms > budget:
        late.append(key)
all_targets = ["127.0.0.1:%s" % faults["FAULT_%s_PORT" % k] for k in peers]
ms = slowest_of(probe_args(all_targets, "--protocol", "imap"))
print("  all %d peers in one probe        %7.0f ms" % (len(peers), ms))
if ms > budget:
    late.append("all together")
# A DNS server that never answers: a UDP socket on loopback that reads and drops.
hole = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
hole.bind(("127.0.0.1", 0))
threading.Thread(target=lambda: [hole.recv(512) for _ in iter(int, 1)], daemon=True).start()
resolver = "127.0.0.1:%d" % hole.getsockname()[1]
ms = slowest_of([BIN, "probe", "mail.example.com", "--resolver", resolver, "--timeout", str(T)])
print("  DNS black hole, 6 endpoints      %7.0f ms   probe mail.example.com --resolver %s" % (ms, resolver))
if ms > budget:
    late.append("DNS black hole")
if late:
    failed.append("late: " + ", ".join(late))

print("\nresult: %s" % ("PASS" if not failed else "FAIL (" + "; ".join(failed) + ")"))
sys.exit(0 if not failed else 1)
PY
