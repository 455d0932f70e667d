#!/usr/bin/env bash
# start.sh -- the real-server matrix: Postfix, Cyrus IMAP, Courier-IMAP/POP3 and Exim on loopback, with a
# test PKI and their fault variants, for the probe's tests and benchmark (README.md has the table).
#
#   start.sh [start] DIR   set up DIR, start every product, wait until each is really serving, print
#                          KEY=VALUE lines (also written to DIR/realservers.env). Idempotent: when
#                          the matrix of DIR already runs, just prints its env.
#   start.sh stop DIR      stop what DIR's matrix runs (by pid file and session; never by name)
#   start.sh status DIR    exit 0 when every product of DIR runs
#   start.sh env DIR       print DIR/realservers.env
#
# Knobs: PORT_BASE [12000] (standard ports = PORT_BASE + 25, 110, 143, 465, 587, 993, 995),
# VARIANT_BASE [PORT_BASE + 10000] (the variants, VARIANT_BASE + 26 ... 908), PRODUCTS
# ["postfix cyrus courier exim"], START_TIMEOUT [30] s, PREFIX [/opt/mailsetup-realservers] (install.sh),
# STANDARD_PORTS [yes]: the standard endpoints (submission, IMAP, POP3 with and without TLS) also
# on their real port numbers, as PRODUCT_STD_KEY_PORT: advice about ports (a STARTTLS port set up as
# implicit TLS) only shows there. They bind 127.0.0.21-23 only, so only a listener on the wildcard
# address (a system mail server) stands in the way; "no" leaves them out.
#
# Runs as root: Postfix's master must (it then runs its services as "postfix"), and Cyrus and
# Courier run in private mount namespaces (ns-run.sh), which need it (they run as "cyrus" and as the
# mail user "courier"; Exim gives up root for "Debian-exim" at once, as its -C file is not a trusted
# one). Nothing is installed here (install.sh does that); nothing outside DIR is written (the
# namespaces' mounts vanish with them). Every listener binds 127.0.0.21-23 or 127.0.0.25 only.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

log() { printf '[realservers] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

cmd=start
case "${1:-}" in
  start|stop|status|env) cmd=$1; shift ;;
  -h|--help|help) sed -n '2,22p' "$0"; exit 0 ;;
esac
DIR=${1:-}
[[ -n $DIR ]] || die "usage: start.sh start|stop|status|env DIR"

PORT_BASE=${PORT_BASE:-12000}
VARIANT_BASE=${VARIANT_BASE:-$((PORT_BASE + 10000))}
PRODUCTS=${PRODUCTS:-"postfix cyrus courier exim"}
START_TIMEOUT=${START_TIMEOUT:-30}
STANDARD_PORTS=${STANDARD_PORTS:-yes}
PREFIX=${PREFIX:-/opt/mailsetup-realservers}
POSTFIX_ADDR=127.0.0.21 CYRUS_ADDR=127.0.0.22 COURIER_ADDR=127.0.0.23 EXIM_ADDR=127.0.0.25
USER1=alice PASSWORD1=alice-Secret-1 USER2=bob PASSWORD2=bob-Secret-1
B=$PORT_BASE V=$VARIANT_BASE

now_ms() { date +%s%3N; }

# --- processes: by pid file and session id, never by name ----------------------------------------
pid_alive() {  # alive = exists and is not a zombie
  [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null || return 1
  local st; st=$(< "/proc/$1/stat") 2>/dev/null || return 1
  st=${st##*) }
  [[ ${st:0:1} != Z ]]
}
session_members() {  # SID -> the live pids of that session
  local sid=$1 f stat
  for f in /proc/[0-9]*/stat; do
    stat=$(< "$f") 2>/dev/null || continue
    set -- ${stat##*) }   # $1 state, $2 ppid, $3 pgrp, $4 session
    if [[ ${4:-} == "$sid" && $1 != Z ]]; then f=${f#/proc/}; echo "${f%/stat}"; fi
  done
  return 0
}
stop_product() {  # NAME: SIGKILL its session (the setsid'ed launcher and everything it started)
  local pf=$DIR/run/$1.pid pid left i
  [[ -f $pf ]] || return 0
  pid=$(tr -dc '0-9' < "$pf")
  # Only a session this DIR started: its leader's command line names DIR.
  if [[ -n $pid ]] && pid_alive "$pid" && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "$DIR"; then
    for i in $(seq 1 50); do
      left=$(session_members "$pid")
      [[ -z $left ]] && break
      kill -KILL $left 2>/dev/null || true
      sleep 0.02
    done
    log "stopped $1 (session $pid)"
  fi
  rm -f "$pf"
}
do_stop() {
  [[ -d $DIR ]] || return 0
  DIR=$(cd "$DIR" && pwd)
  local p
  for p in postfix cyrus courier exim; do stop_product "$p"; done
}
running() {  # NAME
  local pf=$DIR/run/$1.pid pid
  [[ -f $pf ]] || return 1
  pid=$(tr -dc '0-9' < "$pf")
  pid_alive "$pid" && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "$DIR"
}

# --- the env file and the readiness list ----------------------------------------------------------
ENV_LINES=()
READY=()
envl() { ENV_LINES+=("$1=$2"); }
ep() {  # PRODUCT KEY PORT: one endpoint, announced as PRODUCT_KEY_PORT
  envl "${1}_${2}_PORT" "$3"
  local addr_var="${1}_ADDR"
  READY+=("listen:${!addr_var}:$3")
}
std_port() {  # PORT -> the real standard port of a standard endpoint (PORT_BASE + n), or nothing
  local n=$(( $1 - PORT_BASE ))
  [[ $STANDARD_PORTS == yes ]] || return 0
  case $n in 110|143|465|587|993|995) echo "$n" ;; esac
}

# --- Postfix ------------------------------------------------------------------------------------
setup_postfix() {
  local d=$DIR/postfix pki=$DIR/pki
  rm -rf "$d"
  mkdir -p "$d/sasl" "$d/queue" "$d/data"
  local q
  for q in active bounce corrupt defer deferred flush hold incoming private saved trace; do
    install -d -o postfix -g root -m 700 "$d/queue/$q"
  done
  install -d -o postfix -g postdrop -m 730 "$d/queue/maildrop"
  install -d -o postfix -g postdrop -m 710 "$d/queue/public"
  install -d -o root -g root -m 755 "$d/queue/pid"
  chown postfix "$d/data"
  cat > "$d/main.cf" <<EOF
# The matrix's Postfix (start.sh). Every inet service in master.cf names its own address
# ($POSTFIX_ADDR), so "all" binds nothing else; a lone 127.0.0.21 would be refused, as no interface has it.
compatibility_level = 3.6
queue_directory = $d/queue
data_directory = $d/data
mail_owner = postfix
myhostname = postfix.probe.test
mydomain = probe.test
myorigin = \$myhostname
inet_interfaces = all
inet_protocols = ipv4
mydestination =
relay_domains =
mynetworks = 127.0.0.0/8
# Nothing leaves: the matrix only talks SMTP with the probe.
default_transport = error:the test matrix delivers nothing
relay_transport = error:the test matrix delivers nothing
smtpd_peername_lookup = no
alias_maps =
alias_database =
maillog_file = $DIR/log/postfix.log
maillog_file_prefixes = $DIR/log
smtpd_tls_chain_files = $pki/postfix.key, $pki/postfix-chain.pem
smtpd_tls_security_level = may
smtpd_tls_auth_only = yes
smtpd_tls_loglevel = 1
smtpd_sasl_auth_enable = no
smtpd_sasl_type = cyrus
smtpd_sasl_path = smtpd
smtpd_sasl_local_domain = postfix.probe.test
cyrus_sasl_config_path = $d/sasl
smtpd_relay_restrictions = permit_sasl_authenticated defer_unauth_destination
EOF
  cat > "$d/sasl/smtpd.conf" <<EOF
pwcheck_method: auxprop
auxprop_plugin: sasldb
mech_list: PLAIN LOGIN CRAM-MD5
sasldb_path: $d/sasldb2
EOF
  printf '%s' "$PASSWORD1" | saslpasswd2 -p -c -f "$d/sasldb2" -u postfix.probe.test "$USER1"
  printf '%s' "$PASSWORD2" | saslpasswd2 -p -c -f "$d/sasldb2" -u postfix.probe.test "$USER2"
  chown postfix "$d/sasldb2"
  chmod 600 "$d/sasldb2"

  {
    cat <<'EOF'
# The matrix's Postfix services (start.sh): the usual unix services, chroot off ("n").
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
smtpd     pass  -       -       n       -       -       smtpd
tlsproxy  unix  -       -       n       -       0       tlsproxy
dnsblog   unix  -       -       n       -       0       dnsblog
EOF
    local auth="-o smtpd_sasl_auth_enable=yes" wrap="-o smtpd_tls_wrappermode=yes"
    local cert
    cert() { echo "-o smtpd_tls_chain_files=$pki/$1.key,$pki/$2"; }
    local tls10="-o smtpd_tls_protocols=TLSv1 -o smtpd_tls_mandatory_protocols=TLSv1 -o tls_medium_cipherlist=DEFAULT@SECLEVEL=0 -o tls_high_cipherlist=DEFAULT@SECLEVEL=0"
    local tls12="-o smtpd_tls_protocols=TLSv1.2 -o smtpd_tls_mandatory_protocols=TLSv1.2"
    pf() {  # KEY PORT SERVICE ARGS...
      ep POSTFIX "$1" "$2"
      local maxproc=-
      [[ $3 == postscreen ]] && maxproc=1   # postscreen insists on one process
      echo "$POSTFIX_ADDR:$2 inet n - n - $maxproc ${*:3}"
      local std; std=$(std_port "$2")
      if [[ -n $std ]]; then
        ep POSTFIX "STD_$1" "$std"
        echo "$POSTFIX_ADDR:$std inet n - n - - ${*:3}"
      fi
    }
    # The three standard endpoints.
    pf SMTP $((B + 25)) smtpd                                   # MX: STARTTLS offered, no AUTH
    pf SUBMISSION $((B + 587)) smtpd -o smtpd_tls_security_level=encrypt $auth   # STARTTLS, AUTH after it
    pf SUBMISSIONS $((B + 465)) smtpd $wrap $auth               # implicit TLS
    # Authentication and TLS variants.
    pf AUTH_BEFORE_TLS $((V + 588)) smtpd -o smtpd_tls_auth_only=no $auth
    pf NO_TLS $((V + 589)) smtpd -o smtpd_tls_security_level=none -o smtpd_tls_auth_only=no $auth
    pf STARTTLS_DISCARDED $((V + 602)) smtpd -o smtpd_discard_ehlo_keywords=starttls $auth
    pf TLS10_ONLY $((V + 598)) smtpd $wrap $auth $tls10
    pf TLS10_STARTTLS $((V + 605)) smtpd $auth $tls10
    pf TLS12_CBC $((V + 599)) smtpd $wrap $auth $tls12 -o tls_medium_cipherlist=AES256-SHA:AES128-SHA -o tls_high_cipherlist=AES256-SHA:AES128-SHA
    pf TLS12_DHE $((V + 600)) smtpd $wrap $auth $tls12 -o tls_medium_cipherlist=DHE-RSA-AES256-GCM-SHA384 -o tls_high_cipherlist=DHE-RSA-AES256-GCM-SHA384
    pf TLS12_ONLY $((V + 604)) smtpd -o smtpd_tls_security_level=encrypt $auth $tls12
    pf LEGACY_TLS $((V + 607)) smtpd $wrap $auth -o smtpd_tls_protocols=\>=TLSv1 -o smtpd_tls_mandatory_protocols=\>=TLSv1 -o tls_medium_cipherlist=DEFAULT@SECLEVEL=0 -o tls_high_cipherlist=DEFAULT@SECLEVEL=0
    pf SIZE_50M $((V + 601)) smtpd -o smtpd_tls_security_level=encrypt $auth -o message_size_limit=52428800 -o smtputf8_enable=yes
    pf SIZE_UNLIMITED $((V + 603)) smtpd -o smtpd_tls_security_level=encrypt $auth -o message_size_limit=0
    # postscreen in front of smtpd: greets with "220-" and waits 2 s before the final "220 "; it
    # remembers no client (no cache map), so every connection is tested for pregreeting.
    pf POSTSCREEN $((V + 26)) postscreen -o postscreen_access_list= -o postscreen_greet_action=enforce -o postscreen_dnsbl_sites= -o postscreen_greet_wait=2s -o postscreen_cache_map=
    # Fault certificates.
    pf EXPIRED_STARTTLS $((V + 590)) smtpd $auth "$(cert expired expired-chain.pem)"
    pf EXPIRED $((V + 591)) smtpd $wrap $auth "$(cert expired expired-chain.pem)"
    pf NOTYETVALID $((V + 592)) smtpd $wrap $auth "$(cert notyetvalid notyetvalid-chain.pem)"
    pf SOON $((V + 593)) smtpd $wrap $auth "$(cert soon soon-chain.pem)"
    pf WRONGNAME $((V + 594)) smtpd $wrap $auth "$(cert wrongname wrongname-chain.pem)"
    pf NOSAN $((V + 595)) smtpd $wrap $auth "$(cert nosan nosan-chain.pem)"
    pf SELFSIGNED_CA $((V + 596)) smtpd $wrap $auth "$(cert selfsigned-ca selfsigned-ca.crt)"
    pf NOCHAIN $((V + 597)) smtpd $wrap $auth "$(cert postfix postfix.crt)"
    pf SELFSIGNED_EE $((V + 606)) smtpd $wrap $auth "$(cert selfsigned-ee selfsigned-ee.crt)"
  } > "$d/master.cf"
  # Postfix waits (in steps of 0.3 s) until main.cf is a few seconds old, so as not to read a file
  # being written: these are complete, so they are dated back.
  touch -d "@$(( $(date +%s) - 10 ))" "$d/main.cf" "$d/master.cf"
  envl POSTFIX_ADDR $POSTFIX_ADDR
  envl POSTFIX_NAME postfix.probe.test
  envl POSTFIX_VERSION "$(postconf -d -h mail_version)"
  envl POSTFIX_LOG "$DIR/log/postfix.log"
  READY+=("greet:$POSTFIX_ADDR:$((B + 25)):220 " "greet:$POSTFIX_ADDR:$((V + 26)):220-")
}
start_postfix() {
  MAIL_CONFIG=$DIR/postfix setsid /usr/lib/postfix/sbin/master -s -c "$DIR/postfix" \
    </dev/null >>"$DIR/log/postfix-master.out" 2>&1 &
  echo $! > "$DIR/run/postfix.pid"
  READY+=("pid:$!")
  disown
}

# --- Cyrus IMAP / POP3 ----------------------------------------------------------------------------
setup_cyrus() {
  local d=$DIR/cyrus pki=$DIR/pki bin=$PREFIX/usr/lib/cyrus/bin
  rm -rf "$d"
  mkdir -p "$d"/{lib,proc,lock,spool,sieve,socket}
  {
    cat <<EOF
# The matrix's Cyrus (start.sh). Debian's defaults where they matter: allowplaintext yes.
configdirectory: $d/lib
proc_path: $d/proc
mboxname_lockpath: $d/lock
defaultpartition: default
partition-default: $d/spool
sievedir: $d/sieve
lmtpsocket: $d/socket/lmtp
idlesocket: $d/socket/idle
notifysocket: $d/socket/notify
servername: cyrus.probe.test
admins: cyrus
allowplaintext: yes
# POP3 "LOGIN-DELAY 60": logins of one user at least a minute apart (RFC 2449), enforced.
popminpoll: 1
autocreate_quota: 0
sasl_pwcheck_method: auxprop
sasl_auxprop_plugin: sasldb
sasl_sasldb_path: $d/sasldb2
sasl_mech_list: PLAIN LOGIN CRAM-MD5
sasl_auto_transition: no
tls_server_cert: $pki/cyrus-chain.pem
tls_server_key: $pki/cyrus.key
syslog_prefix: cyrus-matrix
# Per-service settings: "<service>_<option>" (imapd.conf(5)).
imaptlsreq_allowplaintext: no
poptlsreq_allowplaintext: no
EOF
    local s c
    for s in expired:expired-chain.pem:expired notyet:notyetvalid-chain.pem:notyetvalid \
      soon:soon-chain.pem:soon wrongname:wrongname-chain.pem:wrongname nosan:nosan-chain.pem:nosan \
      selfca:selfsigned-ca.crt:selfsigned-ca selfee:selfsigned-ee.crt:selfsigned-ee nochain:cyrus.crt:cyrus; do
      IFS=: read -r c chain key <<< "$s"
      echo "imaps${c}_tls_server_cert: $pki/$chain"
      echo "imaps${c}_tls_server_key: $pki/$key.key"
    done
  } > "$d/imapd.conf"
  local conf=$d/imapd.conf
  {
    echo 'START {'
    echo "  recover cmd=\"ctl_cyrusdb -C $conf -r\""
    echo '}'
    echo 'SERVICES {'
    cy() {  # KEY SERVICE-NAME PORT BINARY [-s]
      ep CYRUS "$1" "$3"
      echo "  $2 cmd=\"$bin/$4 -C $conf ${5:-}\" listen=\"$CYRUS_ADDR:$3\" prefork=0"
      local std; std=$(std_port "$3")
      if [[ -n $std ]]; then
        ep CYRUS "STD_$1" "$std"
        echo "  ${2}std cmd=\"$bin/$4 -C $conf ${5:-}\" listen=\"$CYRUS_ADDR:$std\" prefork=0"
      fi
    }
    cy IMAP imap $((B + 143)) imapd
    cy IMAPS imaps $((B + 993)) imapd -s
    cy POP3 pop3 $((B + 110)) pop3d
    cy POP3S pop3s $((B + 995)) pop3d -s
    cy IMAP_TLS_REQUIRED imaptlsreq $((V + 144)) imapd
    cy POP3_TLS_REQUIRED poptlsreq $((V + 111)) pop3d
    cy IMAPS_EXPIRED imapsexpired $((V + 901)) imapd -s
    cy IMAPS_NOTYETVALID imapsnotyet $((V + 902)) imapd -s
    cy IMAPS_SOON imapssoon $((V + 903)) imapd -s
    cy IMAPS_WRONGNAME imapswrongname $((V + 904)) imapd -s
    cy IMAPS_NOSAN imapsnosan $((V + 905)) imapd -s
    cy IMAPS_SELFSIGNED_CA imapsselfca $((V + 906)) imapd -s
    cy IMAPS_SELFSIGNED_EE imapsselfee $((V + 907)) imapd -s
    cy IMAPS_NOCHAIN imapsnochain $((V + 908)) imapd -s
    echo '}'
    echo 'EVENTS {'
    echo '}'
    echo 'DAEMON {'
    echo '}'
  } > "$d/cyrus.conf"
  printf '%s' "$PASSWORD1" | saslpasswd2 -p -c -f "$d/sasldb2" -u cyrus.probe.test "$USER1"
  printf '%s' "$PASSWORD2" | saslpasswd2 -p -c -f "$d/sasldb2" -u cyrus.probe.test "$USER2"
  chown -R cyrus:mail "$d"
  chmod 600 "$d/sasldb2"
  envl CYRUS_ADDR $CYRUS_ADDR
  envl CYRUS_NAME cyrus.probe.test
  envl CYRUS_VERSION "$(sed -n 's/^cyrus-imapd=//p' "$PREFIX/versions")"
  envl CYRUS_LOG "$DIR/log/cyrus.log"
  READY+=("greet:$CYRUS_ADDR:$((B + 143)):* OK" "greet:$CYRUS_ADDR:$((B + 110)):+OK")
}
start_cyrus() {
  # The master starts as root and becomes "cyrus"; syslog goes to DIR/log/cyrus.log (ns-run.sh).
  setsid unshare --mount --propagation private "$HERE/ns-run.sh" "$DIR" cyrus -- \
    /usr/lib/cyrus/bin/master -C "$DIR/cyrus/imapd.conf" -M "$DIR/cyrus/cyrus.conf" \
    -p "$DIR/cyrus/master.pid" </dev/null >>"$DIR/log/cyrus-master.out" 2>&1 &
  echo $! > "$DIR/run/cyrus.pid"
  READY+=("pid:$!")
  disown
}

# --- Courier-IMAP / POP3 --------------------------------------------------------------------------
setup_courier() {
  local d=$DIR/courier pki=$DIR/pki uid gid u
  uid=$(id -u courier) gid=$(id -g courier)
  rm -rf "$d"
  mkdir -p "$d/etc" "$d/run/authdaemon" "$d/home"
  cat > "$d/etc/authdaemonrc" <<'EOF'
authmodulelist="authuserdb"
authmodulelistorig="authuserdb"
daemons=2
authdaemonvar=/run/courier/authdaemon
DEBUG_LOGIN=0
DEFAULTOPTIONS=""
LOGGEROPTS=""
EOF
  : > "$d/etc/userdb"
  chmod 600 "$d/etc/userdb"
  for u in "$USER1:$PASSWORD1" "$USER2:$PASSWORD2"; do
    mkdir -p "$d/home/${u%%:*}"
    maildirmake "$d/home/${u%%:*}/Maildir"
    printf '%s\tuid=%s|gid=%s|home=%s|mail=%s|systempw=%s\n' "${u%%:*}" "$uid" "$gid" \
      "$d/home/${u%%:*}" "$d/home/${u%%:*}/Maildir" "$(openssl passwd -6 "${u#*:}")" >> "$d/etc/userdb"
  done
  makeuserdb -f "$d/etc/userdb"
  chown -R "$uid:$gid" "$d/home"
  chown courier "$d/run"
  # GnuTLS's predefined RFC 7919 group: instant, where generating one takes minutes.
  certtool --get-dh-params --sec-param medium > "$d/dhparams.pem" 2>/dev/null
  cat "$pki/courier.key" "$pki/courier.crt" > "$d/courier-nochain.pem"
  : > "$d/services"
  co() {  # KEY NAME PORT KIND [VAR=VALUE ...]
    local key=$1 name=$2 port=$3 kind=$4
    shift 4
    ep COURIER "$key" "$port"
    {
      echo 'set -a'
      cat <<EOF
IMAP_CAPABILITY="IMAP4rev1 UIDPLUS CHILDREN NAMESPACE THREAD=ORDEREDSUBJECT THREAD=REFERENCES SORT QUOTA IDLE"
IMAP_CAPABILITY_TLS="\$IMAP_CAPABILITY AUTH=PLAIN"
IMAP_KEYWORDS=1
IMAP_ACL=1
IMAP_PROXY=0
IMAP_IDLE_TIMEOUT=60
IMAP_UMASK=022
IMAP_USELOCKS=1
IMAP_TRASHFOLDERNAME=Trash
IMAP_EMPTYTRASH=Trash:7
IMAP_MOVE_EXPUNGE_TO_TRASH=0
POP3AUTH=""
POP3AUTH_TLS=""
COURIERTLS=/usr/bin/couriertls
TLS_CERTFILE=$pki/courier-all.pem
TLS_DHPARAMS=$d/dhparams.pem
TLS_TRUSTCERTS=/etc/ssl/certs/ca-certificates.crt
TLS_VERIFYPEER=NONE
TLS_CACHEFILE=$d/run/$name.tlscache
TLS_CACHESIZE=524288
EOF
      printf '%s\n' "$@"
    } > "$d/$name.env"
    echo "$name $port $kind" >> "$d/services"
    local std; std=$(std_port "$port")
    if [[ -n $std ]]; then
      ep COURIER "STD_$key" "$std"
      echo "$name $std $kind" >> "$d/services"
    fi
  }
  # Debian's defaults: STARTTLS offered, not required.
  co IMAP imap $((B + 143)) imap IMAP_STARTTLS=YES IMAP_TLS_REQUIRED=0
  co IMAPS imaps $((B + 993)) imaps IMAP_TLS=1
  co POP3 pop3 $((B + 110)) pop3 POP3_STARTTLS=YES POP3_TLS_REQUIRED=0
  co POP3S pop3s $((B + 995)) pop3s POP3_TLS=1 POP3_STARTTLS=NO POP3_TLS_REQUIRED=0
  co IMAP_TLS_REQUIRED imaptlsreq $((V + 143)) imap IMAP_STARTTLS=YES IMAP_TLS_REQUIRED=1
  co IMAP_NO_STARTTLS imapnotls $((V + 144)) imap IMAP_STARTTLS=NO IMAP_TLS_REQUIRED=0
  # STARTTLS accepted, then couriertls cannot open its session cache and says so in cleartext.
  co IMAP_STARTTLS_BROKEN imapbroken $((V + 145)) imap IMAP_STARTTLS=YES IMAP_TLS_REQUIRED=0 \
    TLS_CACHEFILE=/proc/matrix-unwritable/tlscache
  # No AUTH=PLAIN after STARTTLS: only the IMAP LOGIN command.
  co IMAP_LOGIN_ONLY imaplogin $((V + 146)) imap IMAP_STARTTLS=YES IMAP_TLS_REQUIRED=1 \
    'IMAP_CAPABILITY_TLS="$IMAP_CAPABILITY"'
  co POP3_TLS_REQUIRED pop3tlsreq $((V + 110)) pop3 POP3_STARTTLS=YES POP3_TLS_REQUIRED=1
  co POP3_NO_STLS pop3notls $((V + 111)) pop3 POP3_STARTTLS=NO POP3_TLS_REQUIRED=0
  # Fault certificates, served by GnuTLS (Cyrus and Postfix serve them with OpenSSL).
  co IMAPS_EXPIRED imapsexpired $((V + 901)) imaps IMAP_TLS=1 TLS_CERTFILE=$pki/expired-all.pem
  co IMAPS_WRONGNAME imapswrongname $((V + 904)) imaps IMAP_TLS=1 TLS_CERTFILE=$pki/wrongname-all.pem
  co IMAPS_SELFSIGNED_CA imapsselfca $((V + 906)) imaps IMAP_TLS=1 TLS_CERTFILE=$pki/selfsigned-ca-all.pem
  co IMAPS_NOCHAIN imapsnochain $((V + 908)) imaps IMAP_TLS=1 TLS_CERTFILE=$d/courier-nochain.pem
  envl COURIER_ADDR $COURIER_ADDR
  envl COURIER_NAME courier.probe.test
  envl COURIER_VERSION "$(sed -n 's/^courier-imap=//p' "$PREFIX/versions")"
  envl COURIER_LOG "$DIR/log/courier.log"
  READY+=("file:$d/run/authdaemon/socket" "greet:$COURIER_ADDR:$((B + 143)):* OK"
    "greet:$COURIER_ADDR:$((B + 110)):+OK")
}
start_courier() {
  setsid unshare --mount --propagation private "$HERE/ns-run.sh" "$DIR" courier \
    --bind "$DIR/courier/etc" /etc/courier --bind "$DIR/courier/run" /run/courier -- \
    env COURIER_ADDR=$COURIER_ADDR PREFIX="$PREFIX" "$HERE/courier-run.sh" "$DIR" \
    </dev/null >>"$DIR/log/courier-run.out" 2>&1 &
  echo $! > "$DIR/run/courier.pid"
  READY+=("pid:$!")
  disown
}

# --- Exim ------------------------------------------------------------------------------------------
setup_exim() {
  local d=$DIR/exim pki=$DIR/pki ifaces="" u
  rm -rf "$d"
  mkdir -p "$d/spool" "$d/log"
  ex() {  # KEY PORT: an Exim endpoint (the config below says what each port does)
    ep EXIM "$1" "$2"
    ifaces+=" ; $EXIM_ADDR.$2"
    local std; std=$(std_port "$2")
    if [[ -n $std ]]; then
      ep EXIM "STD_$1" "$std"
      ifaces+=" ; $EXIM_ADDR.$std"
      case $1 in SUBMISSIONS) tls_on_connect+=" : $std" ;; esac
    fi
  }
  local tls_on_connect=$((B + 465))
  ex SUBMISSION $((B + 587))
  ex SUBMISSIONS $((B + 465))
  ex AUTH_BEFORE_TLS $((V + 588))
  ex LOGIN_ONLY $((V + 589))
  # Plaintext authenticators (PLAIN, LOGIN) against a fixed list: user:password lines.
  local users=""
  for u in "$USER1:$PASSWORD1" "$USER2:$PASSWORD2"; do users+="${users:+ }$u"; done
  cat > "$d/exim.conf" <<EOF
# The matrix's Exim (start.sh). AUTH is offered only over TLS, except on AUTH_BEFORE_TLS; PLAIN is
# not offered on LOGIN_ONLY (AUTH LOGIN only).
primary_hostname = exim.probe.test
spool_directory = $d/spool
log_file_path = $d/log/%slog
exim_user = Debian-exim
exim_group = Debian-exim
never_users = root
keep_environment =
local_interfaces = <;${ifaces# ;}
tls_on_connect_ports = $tls_on_connect
tls_certificate = $pki/exim-chain.pem
tls_privatekey = $pki/exim.key
tls_advertise_hosts = *
auth_advertise_hosts = \${if or {{!eq{\$tls_in_cipher}{}} {eq{\$received_port}{$((V + 588))}}}{*}{}}
message_size_limit = 50M
host_lookup =
rfc1413_hosts =
acl_smtp_rcpt = acl_check_rcpt
begin acl
acl_check_rcpt:
  accept authenticated = *
  deny message = relay not permitted
begin routers
begin transports
begin authenticators
PLAIN:
  driver = plaintext
  public_name = PLAIN
  server_advertise_condition = \${if !eq{\$received_port}{$((V + 589))}}
  server_prompts = :
  server_condition = \${if inlist{\$auth2:\$auth3}{<, ${users// /, }}}
  server_set_id = \$auth2
LOGIN:
  driver = plaintext
  public_name = LOGIN
  server_prompts = <| Username: | Password:
  server_condition = \${if inlist{\$auth1:\$auth2}{<, ${users// /, }}}
  server_set_id = \$auth1
EOF
  # The config stays root's (Exim refuses one its user could change); spool and logs are Exim's.
  chown -R Debian-exim:Debian-exim "$d/spool" "$d/log"
  envl EXIM_ADDR $EXIM_ADDR
  envl EXIM_NAME exim.probe.test
  envl EXIM_VERSION "$(sed -n 's/^exim4-daemon-light=//p' "$PREFIX/versions")"
  envl EXIM_LOG "$d/log/mainlog"
  READY+=("greet:$EXIM_ADDR:$((B + 587)):220 ")
}
start_exim() {
  # -bdf: the daemon stays in the foreground, so this session holds it and its children.
  setsid "$PREFIX/usr/sbin/exim4" -C "$DIR/exim/exim.conf" -bdf -oP "$DIR/exim/exim.pid" \
    </dev/null >>"$DIR/log/exim.out" 2>&1 &
  echo $! > "$DIR/run/exim.pid"
  READY+=("pid:$!")
  disown
}

# --- start ----------------------------------------------------------------------------------------
require() {  # TEST-COMMAND... ; says what to run when it fails
  "$@" >/dev/null 2>&1 || die "missing: $* -- run scripts/realservers/install.sh (as root)"
}
do_start() {
  [[ $(id -u) == 0 ]] || die "start.sh needs root (Postfix's master and the mount namespaces of Cyrus and Courier do); the services themselves run as postfix, cyrus and courier"
  (( PORT_BASE >= 1024 && VARIANT_BASE + 908 <= 65535 )) || die "PORT_BASE/VARIANT_BASE out of range"
  mkdir -p "$DIR"
  DIR=$(cd "$DIR" && pwd)
  [[ $DIR =~ ^[A-Za-z0-9_./+-]+$ ]] || die "DIR must not contain spaces or special characters: $DIR"
  local p all=1
  for p in $PRODUCTS; do running "$p" || all=0; done
  if [[ $all == 1 && -f $DIR/realservers.env ]]; then
    log "already running in $DIR"
    cat "$DIR/realservers.env"
    return 0
  fi
  do_stop
  require test -x /usr/lib/postfix/sbin/master
  require command -v saslpasswd2
  require test -x /usr/lib/cyrus/bin/master
  require test -x "$PREFIX/usr/lib/cyrus/bin/imapd"
  require test -x "$PREFIX/usr/bin/imapd"
  require test -x /usr/lib/courier/courier-authlib/authdaemond
  require command -v makeuserdb
  require command -v certtool
  require command -v unshare
  require command -v python3
  require test -x "$PREFIX/usr/sbin/exim4"
  require getent passwd postfix cyrus courier Debian-exim

  local t0; t0=$(now_ms)
  chmod 755 "$DIR"   # the services' users must reach their files
  mkdir -p "$DIR/run" "$DIR/log"
  find "$DIR/log" -type f ! -name watchdog.log -delete   # each start has its own logs
  rm -f "$DIR/realservers.env"
  "$HERE/gen-pki.sh" "$DIR/pki"
  local t_pki; t_pki=$(now_ms)
  envl RS_DIR "$DIR"
  envl RS_PORT_BASE "$PORT_BASE"
  envl RS_VARIANT_BASE "$VARIANT_BASE"
  envl RS_CA_FILE "$DIR/pki/ca.pem"
  envl RS_PKI_DIR "$DIR/pki"
  envl RS_USER "$USER1"
  envl RS_PASSWORD "$PASSWORD1"
  envl RS_USER2 "$USER2"
  envl RS_PASSWORD2 "$PASSWORD2"
  envl RS_PRODUCTS "${PRODUCTS// /,}"
  for p in $PRODUCTS; do
    case $p in postfix|cyrus|courier|exim) ;; *) die "unknown product $p" ;; esac
    "setup_$p"
  done
  # Refuse ports already taken on our addresses (another matrix on the same PORT_BASE).
  python3 "$HERE/wait-ready.py" --free "${READY[@]}" \
    || die "ports already in use (another matrix? use another PORT_BASE)"
  for p in $PRODUCTS; do "start_$p"; done
  local t_set; t_set=$(now_ms)
  if ! python3 "$HERE/wait-ready.py" "$START_TIMEOUT" "${READY[@]}"; then
    local f
    for f in "$DIR"/log/*; do [[ -s $f ]] && { echo "--- $f" >&2; tail -n 15 "$f" >&2; }; done
    do_stop
    die "the matrix did not start"
  fi
  local t1; t1=$(now_ms)
  envl RS_PKI_MS $((t_pki - t0))
  envl RS_STARTUP_MS $((t1 - t0))
  printf '%s\n' "${ENV_LINES[@]}" > "$DIR/realservers.env.tmp"
  mv "$DIR/realservers.env.tmp" "$DIR/realservers.env"
  log "matrix up in $((t1 - t0)) ms (PKI $((t_pki - t0)) ms, set-up $((t_set - t_pki)) ms, serving after $((t1 - t_set)) ms): $PRODUCTS in $DIR"
  cat "$DIR/realservers.env"
}

case $cmd in
  start) do_start ;;
  stop) do_stop ;;
  status)
    DIR=$(cd "$DIR" 2>/dev/null && pwd) || { echo "not running"; exit 1; }
    for p in $PRODUCTS; do running "$p" || { echo "$p not running"; exit 1; }; done
    echo running ;;
  env) [[ -f $DIR/realservers.env ]] || die "no env in $DIR"; cat "$DIR/realservers.env" ;;
esac
