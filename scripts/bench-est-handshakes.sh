#!/usr/bin/env bash
# EST enrollment beside bare TLS handshakes, on one machine and in one run:
#   - `hallmark bench est` (a full mutual-TLS handshake and one simpleenroll per enrollment) with 1, 4 and 8 clients;
#   - `openssl s_time -new` (a full handshake with the same client certificate, no request) against the same server;
#   - the same `openssl s_time -new` against `openssl s_server` serving the same key and certificate.
# Each row: rate over wall time, the server's CPU per operation (from /proc/PID/stat) and the load average at its end.
# Then the median of each over the rounds. The server runs without the per-client EST rate limit, which the bench
# would otherwise meet (16 demo devices at 1,000 enrollments a minute each).
# Usage: [HTTP_CLIENT=1] [CURL=1 [CURL_N=800] [CURL_PARALLEL=4]] [STIME_PARALLEL=1] scripts/bench-est-handshakes.sh DATA [ROUNDS=3] [SECONDS=10] [CLIENTS="1 4 8"] [PORT=18443]
#   DATA: a data directory from `hallmark --data DATA quickstart --no-serve --devices 16` (its demo IDevIDs are used),
#   no server running on it.
set -euo pipefail
command -v openssl >/dev/null && command -v jq >/dev/null || { echo "needs openssl and jq" >&2; exit 1; }
data=$(cd "$1" && pwd); rounds=${2:-3}; secs=${3:-10}; clients=${4:-1 4 8}; port=${5:-18443}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"; hm="$here/hallmark"
work=$(mktemp -d)
cleanup() { kill "${serve:-}" "${peer:-}" 2>/dev/null || true; wait 2>/dev/null || true; if [ -n "${KEEP:-}" ]; then echo "kept $work" >&2; else rm -rf "$work"; fi; }
trap cleanup EXIT

# One server key and certificate for both servers (P-256, from Hallmark's clients CA).
"$hm" --data "$data" issue --ca clients-ca --profile server --generate-key --subject CN=est-bench --ip 127.0.0.1 \
    --chain --out "$work/tls.pem" >/dev/null
"$hm" --data "$data" serve --listen "127.0.0.1:$port" --http-listen "127.0.0.1:$((port + 2))" --rate-limit est=off \
    --tls-cert "$work/tls.pem" --tls-key "$work/tls.key" >"$work/serve.log" 2>&1 &
serve=$!
# s_server asks for a client certificate (as Hallmark does) and checks it against the IDevID chain.
cat "$data/ca/root.pem" "$data/ca/idevid-ca.pem" > "$work/idevid-trust.pem"
awk '/BEGIN/ { n++ } n > 1' "$work/tls.pem" > "$work/tls-chain.pem" # the issuers: s_server sends the same chain as Hallmark
openssl s_server -accept "127.0.0.1:$((port + 1))" -cert "$work/tls.pem" -cert_chain "$work/tls-chain.pem" -key "$work/tls.key" -CAfile "$work/idevid-trust.pem" \
    -verify 2 -naccept 2000000000 -quiet >"$work/s_server.log" 2>&1 &
peer=$!
for p in "$port" "$((port + 1))"; do
  for _ in $(seq 150); do (echo > "/dev/tcp/127.0.0.1/$p") 2>/dev/null && break; sleep 0.2; done
done
# The process that listens (the launcher execs java, but a wrapper in between would make $! the wrong one for /proc).
serve=$(ss -ltnpH "sport = :$port" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
[ -n "$serve" ] && kill -0 "$serve" || { echo "hallmark serve did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }

device=$(ls "$data"/demo/*.pem | head -1); key="${device%.pem}.key"
hz=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
load() { cut -d' ' -f1 /proc/loadavg; }

# s_time PORT PID LABEL DURATION: STIME_PARALLEL (1) processes of `s_time -new` at once, their handshakes summed
# (s_time itself makes one connection at a time, so alone it measures one client's handshake latency, not the
# server's handshake capacity; several at once are the like-for-like peer of enrollments made several at a time).
handshakes() {
  local a b t0 t1 n i pids=()
  a=$(ticks "$2"); t0=$(date +%s.%N)
  for ((i = 0; i < ${STIME_PARALLEL:-1}; i++)); do
    openssl s_time -connect "127.0.0.1:$1" -new -time "$4" -cert "$device" -key "$key" -CAfile "$data/ca/root.pem" \
        > "$work/s_time.$i" 2>&1 &
    pids+=($!)
  done
  wait "${pids[@]}" || true
  n=$(cat "$work"/s_time.* | awk '/connections in .* real seconds/ {n += $1} END {print n + 0}'); rm -f "$work"/s_time.*
  t1=$(date +%s.%N); b=$(ticks "$2")
  awk -v l="$3" -v n="${n:-0}" -v s="$(echo "$t1 - $t0" | bc)" -v c=$((b - a)) -v hz="$hz" -v la="$(load)" \
      'BEGIN { printf "%s\t%.1f\t%.2f\t%s\t%d ops\n", l, n / s, n ? c * 1000 / hz / n : 0, la, n }'
}

# bench est CLIENTS LABEL DURATION [CLIENT-KIND=socket]
enrollments() {
  local a b json
  a=$(ticks "$serve")
  json=$("$hm" bench est --server "https://127.0.0.1:$port" --ca-cert "$data/ca/root.pem" --idevid-dir "$data/demo" \
      --clients "$1" --duration "$3" --client "${4:-socket}" --json)
  b=$(ticks "$serve")
  jq -r --arg l "$2" --arg load "$(load)" --argjson c $((b - a)) --argjson hz "$hz" \
      '"\($l)\t\(.perSecond)\t\(if .enrollments > 0 then ($c * 100000 / $hz / .enrollments | round / 100) else 0 end)\t\($load)\t\(.enrollments) ops, \(.errors) errors, \(.fullHandshakes) full handshakes"' <<<"$json"
  [ "$(jq '.errors' <<<"$json")" = 0 ] || echo "errors: $(jq -r '.firstError' <<<"$json")" >&2
}

# CURL=1: enrollments by curl (OpenSSL, the TLS stack of s_time), CURL_N of them, CURL_PARALLEL (4) at a time, each a new
# connection (the server is asked to close it) and a full handshake (--no-sessionid: no session is offered for
# resumption), with the same 16 x 4 CSRs as bench est makes, but made by openssl. Every response is checked after the
# clock: HTTP 200 and a certificate for the CSR's key.
curl_prepare() {
  mkdir -p "$work/curl"
  local i=0 pem k
  for pem in $(ls "$data"/demo/*.pem | head -16); do
    k="${pem%.pem}.key"
    for j in 1 2 3 4; do
      openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/curl/$i.key" \
          -subj "$(openssl x509 -in "$pem" -noout -subject -nameopt compat | sed 's/^subject=//')" -outform DER -out "$work/curl/$i.der" 2>/dev/null
      base64 -w64 "$work/curl/$i.der" > "$work/curl/$i.b64"
      openssl pkey -in "$work/curl/$i.key" -pubout > "$work/curl/$i.pub"
      echo "$pem $k" > "$work/curl/$i.who"
      i=$((i + 1))
    done
  done
  ncsr=$i
}
# curl-enroll LABEL ROUND
curl_enroll() {
  local a b t0 t1 i c out="$work/curl/out-$2" cfg="$work/curl/cfg-$2" n="${CURL_N:-800}"
  mkdir -p "$out"; : > "$cfg"
  for i in $(seq 0 $((n - 1))); do
    c=$((i % ncsr)); read -r pem k < "$work/curl/$c.who"
    printf 'url = "https://127.0.0.1:%s/.well-known/est/simpleenroll"\ncacert = "%s"\ncert = "%s"\nkey = "%s"\nno-sessionid\nsilent\nshow-error\ndata-binary = "@%s"\noutput = "%s"\nheader = "Content-Type: application/pkcs10"\nheader = "Content-Transfer-Encoding: base64"\nheader = "Connection: close"\nwrite-out = "%%{http_code} %s\\n"\nnext\n' \
        "$port" "$data/ca/root.pem" "$pem" "$k" "$work/curl/$c.b64" "$out/$i.b64" "$c $i" >> "$cfg"
  done
  sed -i '$ d' "$cfg" # no "next" after the last transfer: an empty one would abort the others
  a=$(ticks "$serve"); t0=$(date +%s.%N)
  curl -sS --parallel --parallel-max "${CURL_PARALLEL:-4}" -K "$cfg" > "$out.codes" 2>"$out.err" || true
  t1=$(date +%s.%N); b=$(ticks "$serve")
  local ok; ok=$(awk '$1 == 200' "$out.codes" | wc -l)
  awk -v l="$1" -v n="$ok" -v all="$n" -v s="$(echo "$t1 - $t0" | bc)" -v c=$((b - a)) -v hz="$hz" -v la="$(load)" \
      'BEGIN { printf "%s\t%.1f\t%.2f\t%s\t%d ops of %d\n", l, n / s, n ? c * 1000 / hz / n : 0, la, n, all }'
}
curl_check() { # every response of every round: a certificate for the key of the CSR sent
  local bad=0 f code c i
  for f in "$work"/curl/out-*.codes; do
    while read -r code c i; do
      [ "$code" = 200 ] && base64 -d "${f%.codes}/$i.b64" | openssl pkcs7 -inform DER -print_certs 2>/dev/null \
          | openssl x509 -noout -pubkey 2>/dev/null | cmp -s - "$work/curl/$c.pub" || bad=$((bad + 1))
    done < "$f"
  done
  echo "curl responses checked: $(cat "$work"/curl/out-*.codes | wc -l), not a certificate for the CSR's key: $bad"
}
[ -z "${CURL:-}" ] || curl_prepare

echo "warm-up (discarded)" >&2
enrollments 4 warm-up $((secs * 2)) >/dev/null; handshakes "$port" "$serve" warm-up 5 >/dev/null; handshakes "$((port + 1))" "$peer" warm-up 5 >/dev/null

printf 'what\tper second\tserver CPU ms/op\tload\tcount\n' | tee "$work/rows"
for r in $(seq "$rounds"); do
  handshakes "$port" "$serve" "s_time -new -> hallmark" "$secs" | tee -a "$work/rows"
  handshakes "$((port + 1))" "$peer" "s_time -new -> s_server" "$secs" | tee -a "$work/rows"
  for c in $clients; do enrollments "$c" "bench est --clients $c" "$secs" | tee -a "$work/rows"; done
  # HTTP_CLIENT=1: also the device's own client (a new SSLContext and java.net.http client per enrollment), 4 clients
  [ -z "${HTTP_CLIENT:-}" ] || enrollments 4 "bench est --client http-client --clients 4" "$secs" http-client | tee -a "$work/rows"
  [ -z "${CURL:-}" ] || curl_enroll "curl --parallel-max ${CURL_PARALLEL:-4}" "$r" | tee -a "$work/rows"
done
[ -z "${CURL:-}" ] || curl_check
echo
echo "medians of $rounds:"
tail -n +2 "$work/rows" | sort -t$'\t' -k1,1 -s | awk -F'\t' '
  function median(s,   v, n) { n = split(s, v, " "); asort(v); return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }
  { rate[$1] = rate[$1] " " $2; cpu[$1] = cpu[$1] " " $3 }
  END { for (k in rate) { printf "%s\t%.1f/s\tserver %.2f ms CPU/op\n", k, median(rate[k]), median(cpu[k]); m[k] = median(rate[k]) }
        bare = m["s_time -new -> hallmark"]
        for (k in m) if (k ~ /^(bench est|curl)/) printf "ratio %s / s_time -new -> hallmark: %.2f\n", k, m[k] / bare
        printf "ratio hallmark / s_server handshakes: %.2f\n", bare / m["s_time -new -> s_server"] }'
