#!/usr/bin/env bash
# api_wrk: the pack station's scan lookup under load, as stations scanning all day make it:
# wrk (Debian) with 64 connections on loopback against GET /api/v1/pack/SERIAL with a
# logged-in packer's session cookie, then the customer-service search, then /readyz (no
# login, no store) in the same run for the ratio. Prints requests/s and p99 of each.
#   tests/bench/api_wrk.sh FULFILD [SECONDS]
set -euo pipefail
fulfild=$(realpath "$1")
secs=${2:-10}
src=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d)
trap 'rc=$?; { kill -9 "${pid:-0}"; wait "${pid:-0}"; } 2>/dev/null || true; rm -rf "$dir"; exit $rc' EXIT
cd "$dir"
mkdir -p var/inbox
cp "$src/config/examples/orders-sample.csv" var/inbox/
touch -d '1 minute ago' var/inbox/orders-sample.csv
printf 'bench password 1\n' >pw && chmod 600 pw
"$fulfild" user add bench --role packer,customer_service --password-file pw >/dev/null 2>&1
"$fulfild" run --listen 127.0.0.1:0 --port-file port --log-level warn 2>daemon.log &
pid=$!
until [ -s port ] && curl -sf "http://127.0.0.1:$(cat port)/readyz" >/dev/null; do sleep 0.05; done
base="http://127.0.0.1:$(cat port)"
cookie=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
  -d '{"user":"bench","password":"bench password 1"}' "$base/api/v1/session" |
  tr -d '\r' | sed -n 's/^Set-Cookie: \([^;]*\).*/\1/ip')
serial=""
until [ -n "$serial" ]; do
  sleep 0.2
  serial=$(curl -s -H "Cookie: $cookie" "$base/api/v1/parcels?limit=1" |
    { grep -o '"serial":"[^"]*"' || true; } | head -1 | cut -d'"' -f4)
done
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base/api/v1/pack/$serial")" = 200 ]
run() {  # name, then wrk's arguments
  local name=$1; shift
  wrk -t2 -c64 -d"${secs}s" --latency "$@" | awk -v n="$name" '
    /Requests\/sec/ { rps = $2 } / 99%/ { p99 = $2 } /Non-2xx/ { bad = $NF }
    END { printf "%-28s %10.0f req/s  p99 %s%s\n", n, rps, p99, bad ? "  NON-2XX " bad : "" }'
}
run "pack lookup (logged in)" -H "Cookie: $cookie" "$base/api/v1/pack/$serial"
run "search (logged in)" -H "Cookie: $cookie" "$base/api/v1/search?q=$serial"
run "readyz" "$base/readyz"
