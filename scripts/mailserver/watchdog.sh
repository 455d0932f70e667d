#!/usr/bin/env bash
# watchdog.sh PID DIR -- when process PID exits, stop the mail harness and fault peers of DIR.
#
# Test binaries start servers that outlive them (Rust never drops statics). Each harness DIR gets
# one watchdog: it polls PID every 0.2 s, then runs the pid-file based, idempotent stops. It writes
# its own pid to DIR/watchdog.pid so that the next run can end a watchdog left waiting.
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
pid=${1:?usage: watchdog.sh PID DIR}
dir=${2:?usage: watchdog.sh PID DIR}
exec >>"$dir/watchdog.log" 2>&1
echo "$(date +%T) watching pid $pid"
echo $$ > "$dir/watchdog.pid"
while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
FAST_STOP=1 "$HERE/start-test-mailserver.sh" stop "$dir" >/dev/null 2>&1
"$HERE/fault-peers.sh" stop "$dir" >/dev/null 2>&1
echo "$(date +%T) pid $pid is gone; stopped the harness"
rm -f "$dir/watchdog.pid"
