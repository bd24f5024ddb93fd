#!/usr/bin/env bash
# Crash and resume of a remote factory batch (docs/benchmarks.md, "Remote, through the server", (a)): start
# `hallmark serve`, run `factory run --server ... --simulate N --no-bundles`, SIGKILL the server JVM once the
# manifest holds a random number of rows (uniform in 10-70 % of N), keep that manifest, restart the server on the
# same data directory (a new port), run the same command again; then check: no device twice, none missing, no
# answer given before the kill changed, every certificate verifies, the audit chain is intact.
# Usage: scripts/bench-factory-kill.sh [N]      (default 200000; the work directory is printed and kept)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/bench-factory-common.sh"
n=${1:-200000}
setup "$(mktemp -d /tmp/hallmark-kill.XXXXXX)"
trap 'stop_server' EXIT
echo "work $work, $n devices; load: $(cut -d' ' -f1-3 /proc/loadavg)"

start_server
target=$(( n / 10 + (RANDOM * 32768 + RANDOM) % (n * 6 / 10 + 1) ))
echo "kill target: $target rows"
set +e
batch "$work/out" --no-bundles >"$work/first.out" 2>"$work/first.err" &
client=$!
rows() { if [ -f "$1" ]; then echo $(( $(wc -l <"$1") - 1 )); else echo 0; fi; }
while [ "$(rows "$work/out/manifest.csv")" -lt "$target" ]; do
  kill -0 "$client" 2>/dev/null || { echo "the batch ended before the kill" >&2; cat "$work/first.err" >&2; exit 1; }
  sleep 0.05
done
stop_server kill
wait "$client"; first=$?
set -e
cp "$work/out/manifest.csv" "$work/before-kill.csv"
echo "first run: exit $first, $(( $(wc -l <"$work/before-kill.csv") - 1 )) rows; $(tail -n1 "$work/first.err")"

start_server
t0=$(date +%s.%N)
batch "$work/out" --no-bundles >"$work/rerun.out" 2>"$work/rerun.err" && rerun=0 || rerun=$?
echo "rerun: exit $rerun in $(echo "$(date +%s.%N) - $t0" | bc) s: $(cat "$work/rerun.out")"

final="$work/out/manifest.csv"
echo "final manifest: $(( $(wc -l <"$final") - 1 )) rows, $(tail -n +2 "$final" | cut -d, -f1 | sort -u | wc -l) devices, $(tail -n +2 "$final" | cut -d, -f3 | sort -u | wc -l) serials"
echo "store (rows | devices | serials): $(store_counts)"
changed=$(join -t, -j1 <(tail -n +2 "$work/before-kill.csv" | cut -d, -f1,3 | sort) <(tail -n +2 "$final" | cut -d, -f1,3 | sort) \
    | awk -F, '$2 != $3' | wc -l)
echo "answers before the kill changed since: $changed"
stop_server
hm --data "$work/data" cert verify --ca idevid-ca
hm --data "$work/data" audit verify
[ "$rerun" = 0 ] && [ "$changed" = 0 ]
