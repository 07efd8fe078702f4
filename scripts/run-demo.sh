#!/usr/bin/env bash
# Set-up command 1: installs what is needed, builds fulfild, and runs the daemon on its
# embedded defaults: SQLite under ./var, the bundled sample orders dropped into the CSV
# inbox, reviewed, given pool waybills, and their labels printed to the spool folders
# var/labels/zpl (waybills, ZPL) and var/labels/pdf (packing lists, PDF); the API on
# http://127.0.0.1:8080 (/healthz, /readyz, /api/v1/orders, /api/v1/parcels,
# /api/v1/couriers), with an admin user and an API token made on the first run.
# Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --target fulfild
mkdir -p var/inbox
# Older than the inbox's settle time, so it is picked up on the first pass.
[ -e var/inbox/done/orders-sample.csv ] || cp config/examples/orders-sample.csv var/inbox/
touch -d '1 minute ago' var/inbox/*.csv 2>/dev/null || true
# Pre-printed waybill numbers for the two pool couriers of the embedded config (importing
# them again adds nothing).
build/daemon/fulfild waybill pool import ZTO --range 75100000000001-75100000005000
build/daemon/fulfild waybill pool import YTO --range YT1000000000001-YT1000000005000
# The first admin, with a random password kept in var/demo-password (only you can read it),
# and an API token for curl in var/demo-token.
if [ ! -s var/demo-password ]; then
  (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' >var/demo-password)
  build/daemon/fulfild user add admin --role admin --password-file var/demo-password
  (umask 077 && build/daemon/fulfild token add demo --role supervisor >var/demo-token)
fi
echo "fulfild: http://127.0.0.1:8080/ (log in as admin, password in var/demo-password)"
echo "API: curl -H \"Authorization: Bearer \$(cat var/demo-token)\" http://127.0.0.1:8080/api/v1/orders"
echo "labels: var/labels/zpl/*.zpl (waybills), var/labels/pdf/*.pdf (packing lists)"
exec build/daemon/fulfild run "$@"
