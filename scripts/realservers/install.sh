#!/usr/bin/env bash
# install.sh -- install the real-server matrix's products on Debian 12 (root or passwordless sudo).
# Idempotent: a second run takes well under a second. Never starts a system service.
#
# Installed with apt: postfix (+ Cyrus SASL: sasl2-bin, libsasl2-modules), cyrus-common,
# courier-base, courier-authdaemon, courier-authlib-userdb, openssl.
# Unpacked, not installed, into $PREFIX (default /opt/mailsetup-realservers): cyrus-imapd,
# cyrus-pop3d, courier-imap and courier-pop at the versions of the installed cyrus-common and
# courier-base, and exim4-daemon-light. The Debian packages of the first four "Conflicts:
# imap-server / pop3-server", which dovecot-imapd and dovecot-pop3d provide, and the project's
# Dovecot harness needs those: apt would remove Dovecot to install them. Exim "Conflicts:
# mail-transport-agent", which Postfix provides. Their binaries only need libraries the installed
# packages bring (libgnutls-dane0 for Exim). Exim's compiled-in user Debian-exim is created here,
# as exim4-base's postinst would.
#
# Postfix is preseeded with "No configuration", so /etc/postfix/main.cf is not written; the matrix
# never reads /etc/postfix, /etc/imapd.conf or /etc/courier (start.sh says how).
set -euo pipefail
PREFIX=${PREFIX:-/opt/mailsetup-realservers}
APT_PACKAGES=(postfix sasl2-bin libsasl2-modules libsasl2-modules-db cyrus-common courier-base
  courier-authdaemon courier-authlib-userdb libgnutls-dane0 gnutls-bin openssl python3)
UNPACKED=(cyrus-imapd cyrus-pop3d courier-imap courier-pop exim4-daemon-light)

log() { printf '[realservers] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

SUDO=()
if [[ $(id -u) != 0 ]]; then
  sudo -n true 2>/dev/null || die "run as root (or with passwordless sudo): it installs Debian packages"
  SUDO=(sudo -n)
fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
version_of() { dpkg-query -W -f='${Version}' "$1"; }

missing=()
for p in "${APT_PACKAGES[@]}"; do installed "$p" || missing+=("$p"); done
if (( ${#missing[@]} )); then
  log "apt-get install ${missing[*]}"
  # No system service may start on the real ports while installing: a policy-rc.d that denies
  # every start, only for the time of the install and only if none is there already.
  made_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    "${SUDO[@]}" sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d'
    made_policy=1
  fi
  echo "postfix postfix/main_mailer_type select No configuration" | "${SUDO[@]}" debconf-set-selections
  APT=("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=300)
  rc=0
  { "${APT[@]}" update -qq && "${APT[@]}" install --no-install-recommends "${missing[@]}"; } \
    >/tmp/realservers-apt.log 2>&1 || rc=$?
  [[ $made_policy == 1 ]] && "${SUDO[@]}" rm -f /usr/sbin/policy-rc.d
  [[ $rc == 0 ]] || { tail -n 30 /tmp/realservers-apt.log >&2; die "apt-get install failed (log: /tmp/realservers-apt.log)"; }
  # Nor at the next boot: the packages enable their services (cyrus-common's would listen on
  # 0.0.0.0:143 and spawn the imapd that is not installed). Only the ones installed just now.
  if command -v systemctl >/dev/null; then
    for unit in postfix cyrus-imapd courier-authdaemon; do
      "${SUDO[@]}" systemctl disable "$unit.service" >/dev/null 2>&1 || true
    done
  fi
fi

if ! getent passwd Debian-exim >/dev/null; then
  "${SUDO[@]}" useradd --system --user-group --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin Debian-exim
fi

# The unpacked packages, at the versions their installed siblings require (cyrus-imapd depends on
# cyrus-common of its own version, and so on).
# Fast path: already unpacked for the installed cyrus-common and courier-base.
stamp="built-for cyrus-common=$(version_of cyrus-common) courier-base=$(version_of courier-base) + exim4-daemon-light"
if [[ -f $PREFIX/versions ]] && [[ $(head -n 1 "$PREFIX/versions") == "$stamp" ]]; then
  exit 0
fi
want=""
for p in "${UNPACKED[@]}"; do
  case $p in
    cyrus-*) v=$(version_of cyrus-common) ;;
    courier-*) v=$(version_of courier-base) ;;
    exim4-*) v=$(apt-cache policy exim4-daemon-light | sed -n 's/^ *Candidate: //p') ;;
  esac
  # courier-imap's version is "<its own>+<courier-base's>", e.g. 5.0.13+1.0.16-3+b6
  if [[ $p == courier-imap ]]; then
    v=$(apt-cache show courier-imap | sed -n 's/^Version: //p' | grep -F -- "+$v" | head -n 1)
    [[ -n $v ]] || die "no courier-imap built with courier-base $(version_of courier-base) (apt-get update?)"
  fi
  want+="$p=$v"$'\n'
done
log "unpacking ${UNPACKED[*]} into $PREFIX"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
while IFS= read -r spec; do
  [[ -n $spec ]] || continue
  (cd "$tmp" && apt-get download -q "$spec" >/dev/null 2>&1) \
    || (cd "$tmp" && "${SUDO[@]}" apt-get update -qq && apt-get download -q "$spec" >/dev/null 2>&1) \
    || die "apt-get download $spec failed (is the version still in the archive? apt-cache policy ${spec%%=*})"
done <<< "$want"
"${SUDO[@]}" rm -rf "$PREFIX.new"
"${SUDO[@]}" mkdir -p "$PREFIX.new"
for deb in "$tmp"/*.deb; do "${SUDO[@]}" dpkg-deb -x "$deb" "$PREFIX.new"; done
# Exim's binary comes setuid root; the matrix runs it as root, so no setuid binary is left lying about.
"${SUDO[@]}" chmod u-s "$PREFIX.new/usr/sbin/exim4"
printf '%s\n%s' "$stamp" "$want" | "${SUDO[@]}" tee "$PREFIX.new/versions" >/dev/null
for b in usr/lib/cyrus/bin/imapd usr/lib/cyrus/bin/pop3d usr/bin/imapd \
  usr/lib/courier/courier/imaplogin usr/lib/courier/courier/courierpop3login \
  usr/lib/courier/courier/courierpop3d usr/sbin/exim4; do
  [[ -x $PREFIX.new/$b ]] || die "$b missing after unpacking"
  if ldd "$PREFIX.new/$b" | grep -q 'not found'; then die "$b: $(ldd "$PREFIX.new/$b" | grep 'not found')"; fi
done
"${SUDO[@]}" rm -rf "$PREFIX"
"${SUDO[@]}" mv "$PREFIX.new" "$PREFIX"
log "ready: $(tr '\n' ' ' < "$PREFIX/versions")"
