#!/usr/bin/env bash
# The PostgreSQL server's own CPU for one `hallmark bench factory` run on a local PostgreSQL: the bench's JDBC URL
# gets an ApplicationName of its own, its backends are found in pg_stat_activity while it runs, and their
# utime+stime is read from /proc (sampled every 0.2 s; a backend's last figure before it exits counts). The
# walwriter and checkpointer are shared by every client and are not counted. Needs psql and /proc access to the
# server's processes (the same machine).
#
#   scripts/bench-factory-pg-cpu.sh 'jdbc:postgresql://127.0.0.1:5432/test?user=postgres' --count 100000 --json
#
# Prints the bench's output, then the backends' CPU in total and per device (--count) on stderr.
set -euo pipefail
url=$1; shift
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
app="hallmark_bench_$$"
count=100000
for ((i = 1; i <= $#; i++)); do
  case "${!i}" in --count) j=$((i + 1)); count=${!j} ;; --count=*) count=${!i#--count=} ;; esac
done
psql_url=${url#jdbc:}
stop=$(mktemp); rm -f "$stop"
declare -A ticks
sample() {
  local n=0; declare -A known
  while [ ! -e "$stop" ]; do
    if ((n % 5 == 0)); then
      for p in $(psql "$psql_url" -Atc "SELECT pid FROM pg_stat_activity WHERE application_name = '$app'" 2>/dev/null); do known[$p]=1; done
    fi
    for p in "${!known[@]}"; do
      s=$(cat "/proc/$p/stat" 2>/dev/null) || continue
      s=${s##*) }; set -- $s; ticks[$p]=$((${12} + ${13}))
    done
    n=$((n + 1)); sleep 0.2
  done
  local total=0; for p in "${!ticks[@]}"; do total=$((total + ticks[$p])); done
  echo "$total"
}
sample > "$stop.total" &
sampler=$!
sep='?'; [[ $url == *'?'* ]] && sep='&'
"$here/hallmark" --db "$url${sep}ApplicationName=$app" bench factory "$@" || status=$?
touch "$stop"; wait "$sampler"
total=$(cat "$stop.total"); rm -f "$stop" "$stop.total"
hz=$(getconf CLK_TCK)
awk -v t="$total" -v hz="$hz" -v n="$count" 'BEGIN { printf "postgresql backends: %.2f s CPU, %.1f µs per device\n", t / hz, t / hz * 1e6 / n > "/dev/stderr" }'
exit "${status:-0}"
