#!/usr/bin/env bash
# End-to-end remote factory batches, NDJSON against frames, on one server: `hallmark factory run --server`
# with --simulate N --no-bundles, the two wires alternating; one untimed warm-up round (the server's JIT),
# then RUNS rounds; prints each run's rate and the client's and server's CPU per device, then medians.
# Usage: scripts/bench-factory-wire.sh [N] [RUNS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n=${1:-30000}; runs=${2:-3}
work=$(mktemp -d /tmp/hallmark-wire.XXXXXX)
hm() { "$here/hallmark" "$@"; }
hm --data "$work/data" quickstart --no-serve --devices 0 >/dev/null
hm --data "$work/data" station create --name wire --ca idevid-ca --profile idevid --out "$work/station" >/dev/null
HALLMARK_JAVA_OPTS="${HALLMARK_JAVA_OPTS:--Xmx1g}" hm --data "$work/data" serve --listen 127.0.0.1:0 --http-listen 127.0.0.1:0 >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do grep -q "listening on" "$work/server.log" && break; sleep 0.5; done
url=$(sed -n 's/.*listening on \(https:[^ ]*\).*/\1/p' "$work/server.log" | head -n1)
jvm=$(pgrep -P "$server" java || echo "$server") # hm runs in a subshell; its child is the launcher, which execs java
stop() {
  kill "$jvm" "$server" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$jvm" 2>/dev/null || break; sleep 0.1; done # the JVM is no child of ours
  rm -rf "$work"
}
trap stop EXIT
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
echo "server $url, $n devices per run, $runs runs per wire, alternating; load: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq 0 "$runs"); do
  for wire in ndjson frames; do
    out="$work/out-$wire-$i"
    s0=$(ticks "$jvm"); t0=$(date +%s.%N)
    /usr/bin/time -f "%U %S" -o "$work/client.cpu" "$here/hallmark" factory run --server "$url" --wire "$wire" \
        --station-cert "$work/station/station.pem" --station-key "$work/station/station.key" --ca-cert "$work/data/ca/root.pem" \
        --simulate "$n" --no-bundles --out "$out" >/dev/null 2>"$work/client.log" || { cat "$work/client.log" >&2; exit 1; }
    t1=$(date +%s.%N); s1=$(ticks "$jvm")
    read -r cu cs <"$work/client.cpu"
    awk -v w="$wire" -v i="$i" -v n="$n" -v t="$(echo "$t1 - $t0" | bc)" -v c="$(echo "$cu + $cs" | bc)" -v s="$(( s1 - s0 ))" -v hz="$hz" \
        'BEGIN { printf "%-6s %s: %6.2f s wall, %6.0f devices/s, client CPU %5.0f us/device, server CPU %5.0f us/device\n", w, (i == 0 ? "warm-up" : "run " i), t, n / t, c * 1e6 / n, s / hz * 1e6 / n }' \
        | tee -a "$work/runs.txt"
  done
done
echo "medians of the $runs timed runs (load now: $(cut -d' ' -f1-3 /proc/loadavg)):"
for wire in ndjson frames; do
  grep "^$wire run" "$work/runs.txt" | awk -v w="$wire" '{ r[NR] = $7; c[NR] = $11; s[NR] = $15 }
    function med(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    END { printf "%-6s %6.0f devices/s, client CPU %5.0f us/device, server CPU %5.0f us/device\n", w, med(r, NR), med(c, NR), med(s, NR) }'
done
