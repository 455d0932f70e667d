#!/usr/bin/env bash
# gen-pki.sh DIR -- the real-server matrix's test PKI: root CA -> intermediate CA -> leaves, and the
# fault certificates a real server can serve. Everything goes into DIR (created); DIR/ca.pem is the
# only root a client should trust.
#
#   <product>.key / <product>-chain.pem   good leaf (+ intermediate) for postfix, cyrus, courier, exim
#   <product>.crt                         that leaf alone (served without its intermediate: "nochain")
#   <fault>.key / <fault>-chain.pem       fault leaves, each valid for every product name and address:
#       expired      CA-signed, valid 2023-01-01 .. 2024-01-01
#       notyetvalid  CA-signed, valid 2035-01-01 .. 2036-01-01
#       soon         CA-signed, expires 5 days after generation
#       wrongname    CA-signed, SAN other.example.net only
#       nosan        CA-signed, CN=mail.probe.test and no subjectAltName at all
#   selfsigned-ca.{key,crt}   `openssl req -x509` as people type it: self-signed AND CA:TRUE
#   selfsigned-ee.{key,crt}   self-signed with CA:FALSE (an end-entity certificate)
#   ca-bundle.pem            root + intermediate; <name>-all.pem = key + leaf + intermediate (Courier)
#
# Postfix's and Courier's leaves and the `openssl req -x509` one are RSA 2048, as on most servers
# (and RSA key exchange and DHE-RSA need an RSA leaf); the CAs, Cyrus's leaf (as in the report this
# matrix reproduces) and the other fault leaves are ECDSA P-256, because RSA key generation is what
# makes a PKI slow (about 0.5 s a key on a loaded 2-core machine). Regenerated when older than a
# day, so that "soon" keeps expiring in about 5 days; otherwise reused.
set -euo pipefail
dir=${1:?usage: gen-pki.sh DIR}
mkdir -p "$dir"
cd "$dir"
# Reused when made today by this very script (a changed script makes a new PKI).
me=$(sha256sum "${BASH_SOURCE[0]}" | cut -d' ' -f1)
if [[ -f done && -n $(find done -mmin -1440 2>/dev/null) && $(cat done) == "$me" ]]; then exit 0; fi
rm -rf db ./*.pem ./*.key ./*.crt ./*.csr done
mkdir -p db
: > db/index.txt
echo 1000 > db/serial

ALL_NAMES="DNS:mail.probe.test,DNS:postfix.probe.test,DNS:cyrus.probe.test,DNS:courier.probe.test,DNS:exim.probe.test"
ALL_ADDRS="IP:127.0.0.21,IP:127.0.0.22,IP:127.0.0.23,IP:127.0.0.25"

cat > ca.cnf <<'CNF'
[ ca ]
default_ca = int
[ int ]
dir = .
database = db/index.txt
serial = db/serial
new_certs_dir = db
certificate = int.crt
private_key = int.key
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[ any ]
commonName = supplied
organizationName = optional
[ req ]
distinguished_name = dn
[ dn ]
[ v3_root ]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ v3_int ]
basicConstraints = critical,CA:true,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_leaf ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = $ENV::SAN
[ v3_leaf_nosan ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_selfsigned_ee ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
subjectAltName = $ENV::SAN
CNF
export SAN=DNS:unused

openssl ecparam -name prime256v1 -out p256.pem
ec="ec:"$(pwd)/p256.pem
openssl req -x509 -newkey "$ec" -nodes -keyout root.key -out root.crt -days 3650 \
  -subj "/O=mailsetup real-server matrix/CN=Matrix Test Root CA" -config ca.cnf -extensions v3_root 2>/dev/null
openssl req -newkey "$ec" -nodes -keyout int.key -out int.csr \
  -subj "/O=mailsetup real-server matrix/CN=Matrix Test Intermediate CA" -config ca.cnf 2>/dev/null
openssl x509 -req -in int.csr -CA root.crt -CAkey root.key -CAcreateserial -days 1825 \
  -extfile ca.cnf -extensions v3_int -out int.crt 2>/dev/null

leaf() {  # NAME CN SAN EXTENSIONS START END [KEYSPEC]
  local name=$1 cn=$2 san=$3 ext=$4 start=$5 end=$6 key=${7:-rsa:2048}
  SAN=$san openssl req -newkey "$key" -nodes -keyout "$name.key" -out "$name.csr" \
    -subj "/O=mailsetup real-server matrix/CN=$cn" -config ca.cnf 2>/dev/null
  SAN=$san openssl ca -batch -config ca.cnf -extensions "$ext" -startdate "$start" -enddate "$end" \
    -in "$name.csr" -out "$name.crt" -notext 2>/dev/null
  cat "$name.crt" int.crt > "$name-chain.pem"
  cat "$name.key" "$name.crt" int.crt > "$name-all.pem"
}
now=$(date -u +%Y%m%d%H%M%SZ)
year=$(date -u -d '+365 days' +%Y%m%d%H%M%SZ)
soon=$(date -u -d '+5 days' +%Y%m%d%H%M%SZ)

leaf postfix postfix.probe.test "DNS:postfix.probe.test,IP:127.0.0.21" v3_leaf "$now" "$year"
leaf cyrus cyrus.probe.test "DNS:cyrus.probe.test,IP:127.0.0.22" v3_leaf "$now" "$year" "$ec"
leaf courier courier.probe.test "DNS:courier.probe.test,IP:127.0.0.23" v3_leaf "$now" "$year"
leaf exim exim.probe.test "DNS:exim.probe.test,IP:127.0.0.25" v3_leaf "$now" "$year" "$ec"
leaf expired mail.probe.test "$ALL_NAMES,$ALL_ADDRS" v3_leaf 20230101000000Z 20240101000000Z "$ec"
leaf notyetvalid mail.probe.test "$ALL_NAMES,$ALL_ADDRS" v3_leaf 20350101000000Z 20360101000000Z "$ec"
leaf soon mail.probe.test "$ALL_NAMES,$ALL_ADDRS" v3_leaf "$now" "$soon" "$ec"
leaf wrongname other.example.net "DNS:other.example.net" v3_leaf "$now" "$year" "$ec"
leaf nosan mail.probe.test "" v3_leaf_nosan "$now" "$year" "$ec"

# Self-signed, the way most people make one: `openssl req -x509` with the default openssl.cnf, whose
# v3_ca section marks it CA:TRUE.
openssl req -x509 -newkey rsa:2048 -nodes -keyout selfsigned-ca.key -out selfsigned-ca.crt -days 365 \
  -subj "/CN=mail.probe.test" -addext "subjectAltName=$ALL_NAMES,$ALL_ADDRS" 2>/dev/null
SAN="$ALL_NAMES,$ALL_ADDRS" openssl req -x509 -newkey "$ec" -nodes -keyout selfsigned-ee.key \
  -out selfsigned-ee.crt -days 365 -subj "/CN=mail.probe.test" -config ca.cnf \
  -extensions v3_selfsigned_ee 2>/dev/null
for s in selfsigned-ca selfsigned-ee; do
  cp "$s.crt" "$s-chain.pem"
  cat "$s.key" "$s.crt" > "$s-all.pem"
done

# Sanity: the fault certificates are what their names say.
openssl x509 -in selfsigned-ca.crt -noout -ext basicConstraints | grep -q 'CA:TRUE'
openssl x509 -in selfsigned-ee.crt -noout -ext basicConstraints | grep -q 'CA:FALSE'
! openssl x509 -in nosan.crt -noout -ext subjectAltName 2>/dev/null | grep -q DNS

cp root.crt ca.pem
cat root.crt int.crt > ca-bundle.pem
rm -f ./*.csr p256.pem
# The services read their keys as unprivileged users (postfix, cyrus); the PKI is throw-away.
chmod 644 ./*.key ./*.pem ./*.crt
echo "$me" > done
