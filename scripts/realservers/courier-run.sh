#!/usr/bin/env bash
# courier-run.sh DIR -- run Courier-IMAP/POP3 for the matrix, inside its own mount namespace.
#
# start.sh runs it through ns-run.sh, which mounts DIR/courier/etc over /etc/courier and
# DIR/courier/run over /run/courier in a private mount namespace: Courier's authentication library
# has those paths compiled in (authdaemonrc, userdb, the socket run/authdaemon/socket), and this way
# the system's Courier files are neither read nor changed, and several matrices can run side by side.
# It starts authdaemond and one couriertcpd per line of DIR/courier/services ("NAME PORT KIND", KIND = imap | imaps | pop3 |
# pop3s; the service's environment is DIR/courier/NAME.env) and waits. couriertls runs as "courier",
# as Debian's init scripts run it (the STARTTLS one is started by the login process, which is
# "courier" too, and both write the service's TLS session cache): the whole session is
# stopped together (start.sh stop).
set -euo pipefail
dir=${1:?usage: courier-run.sh DIR}
co=$dir/courier
opt=${PREFIX:-/opt/mailsetup-realservers}
addr=${COURIER_ADDR:-127.0.0.23}

/usr/lib/courier/courier-authlib/authdaemond >>"$dir/log/courier-authdaemond.log" 2>&1 &

while read -r name port kind; do
  [[ -n $name ]] || continue
  tcpd=(/usr/sbin/couriertcpd "-address=$addr" -nodnslookup -noidentlookup -maxprocs=40 -maxperip=40 "$port")
  case $kind in
    imap)  prog=("$opt/usr/lib/courier/courier/imaplogin" "$opt/usr/bin/imapd" Maildir) ;;
    imaps) prog=(/usr/bin/couriertls -server -tcpd -user=courier "$opt/usr/lib/courier/courier/imaplogin" "$opt/usr/bin/imapd" Maildir) ;;
    pop3)  prog=("$opt/usr/lib/courier/courier/courierpop3login" "$opt/usr/lib/courier/courier/courierpop3d" Maildir) ;;
    pop3s) prog=(/usr/bin/couriertls -server -tcpd -user=courier "$opt/usr/lib/courier/courier/courierpop3login" "$opt/usr/lib/courier/courier/courierpop3d" Maildir) ;;
    *) echo "courier-run.sh: bad kind $kind" >&2; exit 1 ;;
  esac
  # A clean environment with only the service's settings, as Debian's init scripts give it.
  env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin /bin/sh -c '. "$0"; exec "$@"' "$co/$name.env" \
    "${tcpd[@]}" "${prog[@]}" >>"$dir/log/courier-$name.log" 2>&1 &
done < "$co/services"
wait
