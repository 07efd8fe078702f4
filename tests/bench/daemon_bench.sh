#!/usr/bin/env bash
# daemon_bench: the daemon's main job as `fulfild run` does it on the embedded defaults
# (SQLite, the CSV inbox, pool waybills, labels to the spool folders), timed from outside:
# N orders dropped into the inbox, the time until every parcel's labels are printed, the
# time from start to ready, and from SIGTERM to exit. Compares builds run back to back.
#   tests/bench/daemon_bench.sh FULFILD [N]
set -euo pipefail
fulfild=$(realpath "$1")
n=${2:-5000}
src=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d)
trap 'kill -9 "${pid:-0}" 2>/dev/null || true; rm -rf "$dir"' EXIT
cd "$dir"
mkdir -p var/inbox
# N distinct buyers (no merges), from the sample's first row.
awk -F, -v n="$n" 'NR == 1 { print; next }
  NR == 2 { for (i = 0; i < n; i++) { $1 = "392847561" sprintf("%010d", 20 * i); $6 = "buyer" i; $18 = ""; $19 = ""; $20 = 0;
                                      $21 = "392847561" sprintf("%010d", 20 * i + 1); print } }' OFS=, \
  "$src/config/examples/orders-sample.csv" >var/inbox/orders.csv
touch -d '1 minute ago' var/inbox/orders.csv
"$fulfild" waybill pool import ZTO --range 75100000000001-$((75100000000000 + n)) >/dev/null
"$fulfild" waybill pool import YTO --range YT1000000000001-YT$((1000000000000 + n)) >/dev/null

token=$("$fulfild" token add bench --role supervisor 2>/dev/null)

now() { date +%s.%N; }
start=$(now)
"$fulfild" run --listen 127.0.0.1:0 --port-file port --log-level warn 2>daemon.log &
pid=$!
until [ -s port ] && curl -sf "http://127.0.0.1:$(cat port)/readyz" >/dev/null; do sleep 0.02; done
ready=$(now)
printed() {
  curl -sf "http://127.0.0.1:$(cat port)/api/v1/review/queues" -H "Authorization: Bearer $token" |
    grep -o '"printed":[0-9]*' | head -n 1 | cut -d: -f2
}
while [ "$(printed || true)" != "$n" ]; do
  sleep 0.2
  kill -0 "$pid" 2>/dev/null || { cat daemon.log >&2; exit 1; }
  [ ! -e var/inbox/failed/orders.csv ] || { cat var/inbox/failed/*.why >&2; exit 1; }
done
done_at=$(now)
kill -TERM "$pid"
stop=$(now)
wait "$pid"
stopped=$(now)
awk -v s="$start" -v r="$ready" -v d="$done_at" -v t="$stop" -v e="$stopped" -v n="$n" 'BEGIN {
  printf "ready %.2f s; %d orders imported, reviewed, waybilled and printed in %.2f s (%.0f orders/s); SIGTERM to exit %.2f s\n",
    r - s, n, d - s, n / (d - s), e - t }'
