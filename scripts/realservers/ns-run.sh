#!/usr/bin/env bash
# ns-run.sh DIR NAME [--bind SRC DST]... -- COMMAND [ARGS...]
#
# Runs COMMAND in the private mount namespace it is started in (start.sh runs it as
# `setsid unshare --mount --propagation private ns-run.sh ...`), after:
#   * mounting each SRC over DST (for products whose paths are compiled in);
#   * giving the namespace a /dev of its own: a tmpfs holding the host's null, zero, full, random,
#     urandom (bind-mounted) and /dev/log, the socket of a syslog sink that writes DIR/log/NAME.log.
# Nothing is changed outside the namespace; every process stays in start.sh's session.
set -euo pipefail
dir=${1:?usage: ns-run.sh DIR NAME [--bind SRC DST]... -- COMMAND...}
name=${2:?usage}
shift 2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[[ $(findmnt -n -o PROPAGATION / 2>/dev/null) == private ]] \
  || { echo "ns-run.sh: not in a private mount namespace (run it under unshare --mount --propagation private)" >&2; exit 1; }
while [[ ${1:-} == --bind ]]; do
  [[ -d $3 ]] || mkdir -p "$3"   # the mount point (the product's package normally makes it)
  mount --bind "$2" "$3"
  shift 3
done
[[ ${1:-} == -- ]] && shift
(( $# )) || { echo "ns-run.sh: no command" >&2; exit 1; }

realdev=$dir/run/$name-realdev
mkdir -p "$realdev"
mount --bind /dev "$realdev"
mount -t tmpfs -o mode=755,size=1m tmpfs /dev
for n in null zero full random urandom; do
  : > "/dev/$n"
  mount --bind "$realdev/$n" "/dev/$n"
done
ln -s /proc/self/fd /dev/fd
python3 "$here/syslog-sink.py" /dev/log "$dir/log/$name.log" &
for _ in $(seq 200); do [[ -S /dev/log ]] && break; sleep 0.01; done
[[ -S /dev/log ]] || { echo "ns-run.sh: the syslog sink did not start" >&2; exit 1; }
exec "$@"
