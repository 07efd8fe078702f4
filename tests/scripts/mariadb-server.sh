#!/usr/bin/env bash
# Starts or stops a throwaway MariaDB server on 127.0.0.1 for the tests: the merchant's
# push database (聚石塔 RDS) that the platform's push service writes trades into.
#   mariadb-server.sh start DIR PORT  -> prints the URL (mysql://fulfil@127.0.0.1:PORT/jdp)
#   mariadb-server.sh stop DIR
# The server runs as the mysql user when we are root; user fulfil has no password and may
# create databases (each test makes its own).
set -euo pipefail
cmd=$1 dir=$2
command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || {
  echo "mariadb-server: no server binary (apt-get install mariadb-server)" >&2; exit 1; }
owner=()
[ "$(id -u)" = 0 ] && owner=(--user=mysql)
case "$cmd" in
  start)
    port=$3
    mkdir -p "$dir/data"
    [ "$(id -u)" = 0 ] && chown -R mysql "$dir"
    mariadb-install-db --no-defaults "${owner[@]}" --datadir="$dir/data" \
      --auth-root-authentication-method=socket --skip-test-db >"$dir/install.log" 2>&1
    # The push service's tables are InnoDB with utf8mb4 (buyer names hold emoji); the buffer pool
    # holds a million trades (1.2 GB), as a push database is sized for its data.
    /usr/sbin/mariadbd --no-defaults "${owner[@]}" --datadir="$dir/data" --bind-address=127.0.0.1 \
      --port="$port" --socket="$dir/mysqld.sock" --pid-file="$dir/mysqld.pid" \
      --log-error="$dir/server.log" --character-set-server=utf8mb4 \
      --collation-server=utf8mb4_general_ci --max-connections=300 --skip-name-resolve \
      --innodb-buffer-pool-size=2G >/dev/null 2>&1 &
    for _ in $(seq 1 100); do
      [ -S "$dir/mysqld.sock" ] && mariadb --no-defaults -S "$dir/mysqld.sock" -u root -e "SELECT 1" \
        >/dev/null 2>&1 && break
      sleep 0.2
    done
    mariadb --no-defaults -S "$dir/mysqld.sock" -u root -e "
      CREATE USER IF NOT EXISTS 'fulfil'@'127.0.0.1';
      GRANT ALL ON *.* TO 'fulfil'@'127.0.0.1';
      CREATE DATABASE IF NOT EXISTS jdp CHARACTER SET utf8mb4;" || {
      echo "mariadb-server: the server did not start; see $dir/server.log" >&2; exit 1; }
    echo "mysql://fulfil@127.0.0.1:$port/jdp"
    ;;
  stop)
    [ -f "$dir/mysqld.pid" ] && kill "$(cat "$dir/mysqld.pid")" 2>/dev/null || true
    for _ in $(seq 1 100); do [ -f "$dir/mysqld.pid" ] || break; sleep 0.1; done
    ;;
  *) echo "usage: mariadb-server.sh start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
