#!/usr/bin/env bash
# One large remote factory batch (docs/benchmarks.md, "Remote, through the server", (b)): N simulated IDevIDs
# (default 1,000,000) in one `factory run --server` with zip bundles, the server's heap capped at 1 GiB; prints
# the rate, the server's peak RSS, the store's counts, the manifest's rows, `cert verify` and an `openssl verify`
# of the middle device's bundle.
# Usage: scripts/bench-factory-1m.sh [N]      (the work directory is printed and kept)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/bench-factory-common.sh"
n=${1:-1000000}
setup "$(mktemp -d /tmp/hallmark-1m.XXXXXX)"
trap 'stop_server' EXIT
echo "work $work, $n devices; load: $(cut -d' ' -f1-3 /proc/loadavg)"
start_server
t0=$(date +%s.%N)
batch "$work/out" --bundles zip --json >"$work/summary.json" 2>"$work/progress.jsonl" && status=0 || status=$?
seconds=$(echo "$(date +%s.%N) - $t0" | bc)
echo "exit $status in $seconds s: $(cat "$work/summary.json")"
echo "server peak RSS: $(grep VmHWM "/proc/$jvm/status" | awk '{ printf "%d MB", $2 / 1024 }')"
echo "store (rows | devices | serials): $(store_counts)"
echo "manifest: $(( $(wc -l <"$work/out/manifest.csv") - 1 )) rows, $(find "$work/out/bundles" -name '*.zip' | wc -l) archives"
stop_server
hm --data "$work/data" cert verify --ca idevid-ca
middle=$(awk -F, -v m=$(( n / 2 + 2 )) 'NR == m { print $7 }' "$work/out/manifest.csv")   # device n/2 + 1
unzip -p "$work/out/${middle%%!*}" "${middle#*!/}" | openssl x509 >"$work/one.pem"
openssl verify -x509_strict -CAfile "$work/data/ca/root.pem" -untrusted "$work/out/chain.pem" "$work/one.pem"
