#!/usr/bin/env bash
# The peer side of the OCSP HTTP benchmark: an `openssl ocsp` responder over an index of N certificates
# (P-256 CA and responder key), driven by `ab` with one pre-made request. Prints responses/s and p99.
# Usage: scripts/bench-ocsp-peer.sh [N=100000] [REQUESTS=20000] [PORT=8899]
#        scripts/bench-ocsp-peer.sh --serve N PORT DIR
#   --serve: make the CA, responder and index in DIR, write the request to DIR/req.der, then run the
#   responder in the foreground (scripts/bench-ocsp-http.sh runs it beside Hallmark this way).
set -euo pipefail
command -v openssl >/dev/null && command -v ab >/dev/null || { echo "needs openssl and ab (apt-get install apache2-utils)" >&2; exit 1; }

# Makes the peer's files in the current directory: N valid certificates in the index (random 159-bit
# serials) and req.der, a request without nonce for the last one.
prepare() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -subj "/CN=Peer CA" -days 30 2>/dev/null
  printf 'extendedKeyUsage=OCSPSigning\nkeyUsage=critical,digitalSignature\n' > ocsp.ext
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ocsp.key -out ocsp.csr -subj "/CN=Peer OCSP" 2>/dev/null
  openssl x509 -req -in ocsp.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out ocsp.pem -days 7 -extfile ocsp.ext 2>/dev/null
  awk -v n="$1" 'BEGIN { srand(); for (i = 0; i < n; i++) { s = ""; for (j = 0; j < 40; j++) s = s sprintf("%X", int(rand() * 16)); sub(/^[89A-F]/, "1", s);
    printf "V\t301231235959Z\t\t%s\tunknown\t/CN=device-%d\n", s, i; last = s } print last > "last.serial" }' > index.txt
  openssl ocsp -issuer ca.pem -serial "0x$(cat last.serial)" -no_nonce -reqout req.der >/dev/null
}

if [ "${1:-}" = --serve ]; then
  cd "$4" && prepare "$2"
  exec openssl ocsp -index index.txt -port "$3" -rsigner ocsp.pem -rkey ocsp.key -CA ca.pem -nmin 60 -ignore_err >/dev/null 2>&1
fi

n=${1:-100000}; requests=${2:-20000}; port=${3:-8899}
work=$(mktemp -d); trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$work" && prepare "$n"
openssl ocsp -index index.txt -port "$port" -rsigner ocsp.pem -rkey ocsp.key -CA ca.pem -nmin 60 -ignore_err >/dev/null 2>&1 &
pid=$!
for _ in $(seq 50); do (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.2; done
# -l: responses differ in length (ECDSA signatures vary by a byte or two), which is not a failure.
ab -q -l ${AB_OPTS:-} -n "$requests" -c 8 -p req.der -T application/ocsp-request "http://127.0.0.1:$port/" > ab.txt
rps=$(awk '/Requests per second/ {print $4}' ab.txt); p99=$(awk '$1 == "99%" {print $2}' ab.txt)
failed=$(awk '/Failed requests/ {print $3}' ab.txt)
echo "openssl ocsp: index of $n certificates, $requests requests, concurrency 8 ${AB_OPTS:-}: $rps responses/s, p99 ${p99} ms, failed $failed"
