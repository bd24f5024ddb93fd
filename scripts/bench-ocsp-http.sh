#!/usr/bin/env bash
# OCSP over HTTP, Hallmark beside `openssl ocsp` and a control, in one run with the same load client and
# settings: `ab -c 8 -p req.der -T application/ocsp-request`, without and with keep-alive (-k).
# Usage: scripts/bench-ocsp-http.sh DATA_DIR [REQUESTS=50000]
#   DATA_DIR: a Hallmark data directory whose idevid-ca has issued the certificates to serve, e.g. filled
#   with `hallmark factory run --simulate 1000000 --no-bundles --out OUT`. The peer gets an index of the
#   same number of certificates.
# Environment: RUNS=3 rounds per mode (the three servers take turns within a round, so load from elsewhere
#   hits all of them alike; medians are reported); PIN=1 runs the servers on CPU 0 and ab on CPU 1.
# The control (scripts/bench-http-control.c, built if cc is there) answers a fixed body of the same size
# without parsing anything: what the TCP stack and ab allow on this machine, whatever the server does.
set -euo pipefail
data=$(cd "$1" && pwd); requests=${2:-50000}; runs=${RUNS:-3}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command -v ab >/dev/null && command -v sqlite3 >/dev/null || { echo "needs ab (apache2-utils) and sqlite3" >&2; exit 1; }
server_cpu=(); ab_cpu=()
[ "${PIN:-0}" = 1 ] && { server_cpu=(taskset -c 0); ab_cpu=(taskset -c 1); }
work=$(mktemp -d); pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
read -r https_port http_port peer_port control_port < <(python3 -c 'import socket
s=[socket.socket() for _ in range(4)]
[x.bind(("127.0.0.1",0)) for x in s]; print(*[x.getsockname()[1] for x in s])')
wait_port() { for _ in $(seq 300); do (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.5; done; return 1; }

n=$(sqlite3 "$data/hallmark.db" "SELECT COUNT(*) FROM certificates WHERE ca_name = 'idevid-ca'")
serial=$(sqlite3 "$data/hallmark.db" "SELECT serial FROM certificates WHERE ca_name = 'idevid-ca' ORDER BY serial LIMIT 1 OFFSET $((n / 2))")
HALLMARK_JAVA_OPTS="${HALLMARK_JAVA_OPTS:--Xmx1g}" "${server_cpu[@]}" "$here/hallmark" --data "$data" serve --listen "127.0.0.1:$https_port" \
  --http-listen "127.0.0.1:$http_port" > "$work/serve.log" 2>&1 &
pids+=($!); declare -A pid=([hallmark]=$!)
mkdir "$work/peer"
"${server_cpu[@]}" "$here/scripts/bench-ocsp-peer.sh" --serve "$n" "$peer_port" "$work/peer" &
pids+=($!); pid[openssl]=$!
servers=(hallmark openssl)
if command -v cc >/dev/null && cc -O2 -o "$work/control" "$here/scripts/bench-http-control.c"; then
  servers+=(control)
fi
for _ in $(seq 240); do grep -q "listening on https" "$work/serve.log" && break; sleep 0.5; done
grep -q "listening on https" "$work/serve.log" || { cat "$work/serve.log" >&2; exit 1; }
openssl ocsp -issuer "$data/ca/idevid-ca.pem" -serial "0x$serial" -no_nonce -reqout "$work/req.der" >/dev/null
declare -A url=([hallmark]="http://127.0.0.1:$http_port/ocsp" [openssl]="http://127.0.0.1:$peer_port/" [control]="http://127.0.0.1:$control_port/ocsp")
declare -A req=([hallmark]="$work/req.der" [openssl]="$work/peer/req.der" [control]="$work/req.der")
response=$(curl -s -H 'Content-Type: application/ocsp-request' --data-binary "@$work/req.der" "${url[hallmark]}" | tee "$work/resp.der" | wc -c)
status=$(openssl ocsp -respin "$work/resp.der" -resp_text -noverify 2>/dev/null | awk '/Cert Status/ {print $3}')
if [[ " ${servers[*]} " == *" control "* ]]; then
  "${server_cpu[@]}" "$work/control" "$control_port" "$response" & pids+=($!); pid[control]=$!
  wait_port "$control_port"
fi
wait_port "$peer_port" || { echo "the openssl peer did not start" >&2; exit 1; }
echo "Hallmark: idevid-ca with $n certificates; asking for serial $serial (status: $status)"
echo "$(nproc) CPUs, ${PIN:+servers pinned to CPU 0 and ab to CPU 1, }load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

ab_run() { # server opts -> "responses/s p99 cpu_us_per_response failed non2xx"
  local ticks0 ticks1
  ticks0=$(awk '{print $14 + $15}' "/proc/${pid[$1]}/stat")
  "${ab_cpu[@]}" ab -q -l $2 -n "$3" -c 8 -p "${req[$1]}" -T application/ocsp-request "${url[$1]}" > "$work/ab.txt" 2>&1 || true
  ticks1=$(awk '{print $14 + $15}' "/proc/${pid[$1]}/stat")
  awk -v ticks=$((ticks1 - ticks0)) -v hz="$(getconf CLK_TCK)" -v n="$3" '
    /Requests per second/ {rps = $4} $1 == "99%" {p99 = $2} /Failed requests/ {failed = $3} /Non-2xx/ {non2xx = $3}
    END {printf "%d %s %.0f %s %s\n", rps, p99 == "" ? "-" : p99, ticks * 1e6 / hz / n, failed == "" ? "all" : failed, non2xx == "" ? 0 : non2xx}' "$work/ab.txt"
}
for s in "${servers[@]}"; do ab_run "$s" -k 50000 > /dev/null; ab_run "$s" "" 20000 > /dev/null; done   # warm-up (JIT, caches)

declare -A results
for opts in "" "-k"; do
  for r in $(seq "$runs"); do
    for s in "${servers[@]}"; do
      read -r rps p99 cpu failed non2xx < <(ab_run "$s" "$opts" "$requests")
      results[$s$opts]+="$rps $p99 $cpu"$'\n'
      echo "run $r ${opts:-(new connection per request)} $s: $rps responses/s, p99 $p99 ms, server CPU $cpu µs/response, failed $failed, non-2xx $non2xx"
    done
  done
done
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
echo
echo "medians of $runs runs, $requests requests each, ab -c 8${PIN:+, pinned}:"
echo "| | $(printf '%s | ' "${servers[@]}")Hallmark / openssl |"
echo "|---|$(for _ in "${servers[@]}"; do printf -- '---|'; done)---|"
for opts in "" "-k"; do
  row="| $([ -z "$opts" ] && echo "new connection per request" || echo "keep-alive (ab -k)") |"
  for s in "${servers[@]}"; do
    rps=$(cut -d' ' -f1 <<< "${results[$s$opts]}" | grep . | median)
    p99=$(cut -d' ' -f2 <<< "${results[$s$opts]}" | grep . | median)
    cpu=$(cut -d' ' -f3 <<< "${results[$s$opts]}" | grep . | median)
    declare "m_$s=$rps"
    row+=" $rps /s, p99 $p99 ms, $cpu µs CPU |"
  done
  echo "$row $(awk -v a="$m_hallmark" -v b="$m_openssl" 'BEGIN {printf "%.1f", a / b}') |"
done
