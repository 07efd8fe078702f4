#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL 15 cluster on 127.0.0.1 for the tests.
#   pg-cluster.sh start DIR PORT   -> prints the base URL (postgresql://fulfil@127.0.0.1:PORT)
#   pg-cluster.sh stop DIR
#   pg-cluster.sh resume DIR PORT  -> starts a stopped cluster again, its data kept
# initdb refuses to run as root, so the cluster runs as the postgres user when we are root.
set -euo pipefail
cmd=$1 dir=$2
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "pg-cluster: no PostgreSQL server binaries (apt-get install postgresql)" >&2; exit 1; }
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$cmd" in
  start)
    port=$3
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U fulfil -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
    # fsync stays on: the tests measure and check the real durability path.
    as_owner "$bin/pg_ctl" -D "$dir/data" -o "-k $dir -h 127.0.0.1 -p $port -c max_connections=200" \
      -l "$dir/server.log" -w start >/dev/null
    echo "postgresql://fulfil@127.0.0.1:$port"
    ;;
  resume)
    as_owner "$bin/pg_ctl" -D "$dir/data" -o "-k $dir -h 127.0.0.1 -p $3 -c max_connections=200" \
      -l "$dir/server.log" -w start >/dev/null
    ;;
  stop)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    ;;
  *) echo "usage: pg-cluster.sh start DIR PORT | stop DIR | resume DIR PORT" >&2; exit 2 ;;
esac
