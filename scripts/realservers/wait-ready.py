#!/usr/bin/env python3
"""wait-ready.py SECONDS ITEM... -- wait until every ITEM is ready; exit 1 naming what is not.

ITEM is one of
  listen:ADDR:PORT        a TCP socket listens on ADDR:PORT (read from /proc/net/tcp: no connection,
                          so no server logs a probe and no process is spawned for it)
  greet:ADDR:PORT:PREFIX  a connection there gets a first line starting with PREFIX (the product's
                          own greeting: a sign that it is really serving, not only bound)
  file:PATH               PATH exists (e.g. an authentication daemon's socket)
  pid:PID                 the process is alive (else fail at once: the product died while starting)

Polls every 20 ms; the deadline is SECONDS from the start.

wait-ready.py --free ITEM... checks instead that every listen:ADDR:PORT can still be bound (exit 1
naming the ones that cannot), before anything is started.
"""
import os
import socket
import sys
import time


def listening():
    """The set of (addr, port) in LISTEN state, from /proc/net/tcp."""
    found = set()
    with open("/proc/net/tcp") as f:
        next(f)
        for line in f:
            fields = line.split()
            local, state = fields[1], fields[3]
            if state != "0A":
                continue
            hexaddr, hexport = local.split(":")
            addr = ".".join(str(b) for b in reversed(bytes.fromhex(hexaddr)))
            found.add((addr, int(hexport, 16)))
    return found


def greets(addr, port, prefix):
    try:
        with socket.create_connection((addr, int(port)), timeout=1) as s:
            s.settimeout(2)
            data = b""
            while b"\n" not in data and len(data) < 4096:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
            return data.decode("latin-1").startswith(prefix)
    except OSError:
        return False


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def free(items):
    taken = []
    for item in items:
        if not item.startswith("listen:"):
            continue
        addr, port = item[len("listen:"):].rsplit(":", 1)
        with socket.socket() as s:
            # As the servers do: a connection of an earlier run in TIME_WAIT is no obstacle.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind((addr, int(port)))
            except OSError:
                taken.append(f"{addr}:{port}")
    if taken:
        print("already in use: " + " ".join(taken), file=sys.stderr)
        return 1
    return 0


def main():
    if sys.argv[1] == "--free":
        return free(sys.argv[2:])
    deadline = time.monotonic() + float(sys.argv[1])
    pending = list(sys.argv[2:])
    while True:
        sockets = listening()
        still = []
        for item in pending:
            kind, _, rest = item.partition(":")
            if kind == "pid":
                if not alive(rest):
                    print(f"process {rest} exited while starting", file=sys.stderr)
                    return 1
                still.append(item)  # checked every round, never "done"
            elif kind == "listen":
                addr, port = rest.rsplit(":", 1)
                if (addr, int(port)) not in sockets:
                    still.append(item)
            elif kind == "greet":
                addr, port, prefix = rest.split(":", 2)
                if (addr, int(port)) not in sockets or not greets(addr, port, prefix):
                    still.append(item)
            elif kind == "file":
                if not os.path.exists(rest):
                    still.append(item)
            else:
                print(f"bad item {item}", file=sys.stderr)
                return 2
        pending = still
        if all(i.startswith("pid:") for i in pending):
            return 0
        if time.monotonic() > deadline:
            print("not ready: " + " ".join(i for i in pending if not i.startswith("pid:")), file=sys.stderr)
            return 1
        time.sleep(0.02)


sys.exit(main())
