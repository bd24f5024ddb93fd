# Shared by the remote factory benchmarks (sourced): a throwaway installation with a station, and `hallmark serve`
# on free ports, restartable on the same data directory. Sets: here, work, url, jvm.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
hm() { "$here/hallmark" "$@"; }

setup() { # WORK
  work=$1
  mkdir -p "$work"
  hm --data "$work/data" quickstart --no-serve --devices 0 >/dev/null
  hm --data "$work/data" station create --name bench --ca idevid-ca --profile idevid --quota 100000000 --out "$work/station" >/dev/null
}

start_server() { # starts serve with -Xmx1g (or HALLMARK_JAVA_OPTS) on free ports; sets url and jvm
  local log="$work/server-$(date +%s%N).log"
  HALLMARK_JAVA_OPTS="${HALLMARK_JAVA_OPTS:--Xmx1g}" hm --data "$work/data" serve --listen 127.0.0.1:0 --http-listen 127.0.0.1:0 >"$log" 2>&1 &
  local launcher=$!
  for _ in $(seq 1 240); do grep -q "listening on" "$log" && break; sleep 0.5; done
  url=$(sed -n 's/.*listening on \(https:[^ ]*\).*/\1/p' "$log" | head -n1)
  [ -n "$url" ] || { cat "$log" >&2; echo "the server did not start" >&2; exit 1; }
  jvm=$(pgrep -P "$launcher" java || echo "$launcher") # the launcher execs java; in a subshell it may be its child
}

stop_server() { # SIGTERM, or SIGKILL with "kill"
  [ -n "${jvm:-}" ] || return 0
  kill ${1:+-9} "$jvm" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$jvm" 2>/dev/null || break; sleep 0.1; done
  jvm=
}

batch() { # OUT EXTRA... : the station's remote run of the simulated devices
  local out=$1; shift
  hm factory run --server "$url" --station-cert "$work/station/station.pem" --station-key "$work/station/station.key" \
      --ca-cert "$work/data/ca/root.pem" --simulate "$n" --out "$out" "$@"
}

# Rows, distinct devices and distinct serials of the IDevIDs in the store (sqlite3, if installed).
store_counts() {
  if command -v sqlite3 >/dev/null; then
    sqlite3 "$work/data/hallmark.db" "SELECT COUNT(*), COUNT(DISTINCT device_id), COUNT(DISTINCT serial) FROM certificates WHERE profile = 'idevid'"
  else
    echo "(sqlite3 not installed: no SQL counts)"
  fi
}
