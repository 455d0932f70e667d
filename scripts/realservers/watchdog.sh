#!/usr/bin/env bash
# watchdog.sh PID DIR -- when process PID (a test binary) exits, stop DIR's matrix.
#
# Rust never drops statics, so the test binary cannot stop the servers it started; this does, within
# 0.2 s of its exit. It records its own pid in DIR/run/watchdog.pid so that the next run can end a
# watchdog left waiting (tests/probe_matrix.rs does, before it starts the matrix again).
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
pid=${1:?usage: watchdog.sh PID DIR}
dir=${2:?usage: watchdog.sh PID DIR}
mkdir -p "$dir/run" "$dir/log"
exec >>"$dir/log/watchdog.log" 2>&1
echo "$(date +%T) watching pid $pid"
echo $$ > "$dir/run/watchdog.pid"
while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
"$here/start.sh" stop "$dir"
echo "$(date +%T) pid $pid is gone; stopped the matrix"
rm -f "$dir/run/watchdog.pid"
