#!/usr/bin/env bash
# OCSP over HTTP, Hallmark beside `openssl ocsp`, in one run with the same load client and settings:
# `ab -c 8 -p req.der -T application/ocsp-request`, without and with keep-alive (-k).
# Usage: scripts/bench-ocsp-http.sh DATA_DIR [REQUESTS=50000]
#   DATA_DIR: a Hallmark data directory whose idevid-ca has issued the certificates to serve, e.g. filled
#   with `hallmark factory run --simulate 1000000 --no-bundles --out OUT`. The peer gets an index of the
#   same number of certificates.
set -euo pipefail
data=$(cd "$1" && pwd); requests=${2:-50000}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command -v ab >/dev/null && command -v sqlite3 >/dev/null || { echo "needs ab (apache2-utils) and sqlite3" >&2; exit 1; }
work=$(mktemp -d); trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
read -r https_port http_port < <(python3 -c 'import socket
s=[socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1",0)) for x in s]; print(*[x.getsockname()[1] for x in s])')

n=$(sqlite3 "$data/hallmark.db" "SELECT COUNT(*) FROM certificates WHERE ca_name = 'idevid-ca'")
serial=$(sqlite3 "$data/hallmark.db" "SELECT serial FROM certificates WHERE ca_name = 'idevid-ca' ORDER BY serial LIMIT 1 OFFSET $((n / 2))")
HALLMARK_JAVA_OPTS="${HALLMARK_JAVA_OPTS:--Xmx1g}" "$here/hallmark" --data "$data" serve --listen "127.0.0.1:$https_port" \
  --http-listen "127.0.0.1:$http_port" > "$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 240); do grep -q "listening on https" "$work/serve.log" && break; sleep 0.5; done
grep -q "listening on https" "$work/serve.log" || { cat "$work/serve.log" >&2; exit 1; }
openssl ocsp -issuer "$data/ca/idevid-ca.pem" -serial "0x$serial" -no_nonce -reqout "$work/req.der" >/dev/null
url="http://127.0.0.1:$http_port/ocsp"
status=$(curl -s -H 'Content-Type: application/ocsp-request' --data-binary "@$work/req.der" "$url" | openssl ocsp -respin /dev/stdin -resp_text -noverify 2>/dev/null | awk '/Cert Status/ {print $3}')
echo "Hallmark: idevid-ca with $n certificates; asking for serial $serial (status: $status); $(grep -o 'P-256.*' "$work/serve.log" | head -1)"
ab -q -n 2000 -c 8 -p "$work/req.der" -T application/ocsp-request "$url" > /dev/null   # warm-up (JIT, pre-produced response)
for opts in "" "-k"; do
  ab -q -l $opts -n "$requests" -c 8 -p "$work/req.der" -T application/ocsp-request "$url" > "$work/ab.txt"
  echo "hallmark ocsp: $n certificates, $requests requests, concurrency 8 ${opts}: $(awk '/Requests per second/ {print $4}' "$work/ab.txt") responses/s, p99 $(awk '$1 == "99%" {print $2}' "$work/ab.txt") ms, failed $(awk '/Failed requests/ {print $3}' "$work/ab.txt"), non-2xx $(awk '/Non-2xx/ {print $3}' "$work/ab.txt")"
  AB_OPTS="$opts" "$here/scripts/bench-ocsp-peer.sh" "$n" "$requests" "$((http_port + 7))"
done
