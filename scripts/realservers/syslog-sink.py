#!/usr/bin/env python3
"""syslog-sink.py SOCKET LOGFILE -- receive syslog datagrams on a Unix socket, append them to LOGFILE.

Cyrus and Courier log logins only through syslog(3), i.e. to /dev/log. ns-run.sh puts this sink's
socket there, inside the server's private mount namespace, so the matrix keeps its own logs (tests
count failed logins in them) without a system syslog daemon and without touching the host's /dev.
"""
import os
import re
import socket
import sys
import time

path, logfile = sys.argv[1], sys.argv[2]
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
if os.path.exists(path):
    os.unlink(path)
sock.bind(path)
os.chmod(path, 0o666)  # the services log as their own users (cyrus, courier)
with open(logfile, "ab", buffering=0) as out:
    while True:
        data = sock.recv(65536)
        # "<PRI>" + the message; keep the message, prefixed with our own wall-clock time.
        data = re.sub(rb"^<\d+>", b"", data).rstrip(b"\0\n")
        out.write(time.strftime("%H:%M:%S ").encode() + data + b"\n")
