#!/usr/bin/env bash
# Set-up command 2: installs what is needed, builds everything, starts a throwaway
# PostgreSQL 15 cluster and a MariaDB server on 127.0.0.1, and runs every test (unit, integration on SQLite and
# PostgreSQL, process and crash tests, benchmark smoke runs) plus the format check.
#   scripts/test.sh              the suite
#   scripts/test.sh --sanitize   the suite again under AddressSanitizer + UBSan, built by clang
#                                with libFuzzer's instrumentation: the fuzz targets run too
#                                (build-asan/)
#   scripts/test.sh --tsan       the suite again under ThreadSanitizer (build-tsan/), without
#                                the kill -9 loops and the PostgreSQL outage (they prove
#                                durability across processes, and run in the other two);
#                                --tsan --all runs them too
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
# Each step with the seconds since the start, so a slow CI run says where its time went.
leg=${1:---release}
step() { echo "== test.sh $leg +${SECONDS}s: $*"; }
step "install-deps"
scripts/install-deps.sh

# ccache keeps its cache outside the clone (~/.cache/ccache), keyed on the sources' contents,
# not their path: a later run on this machine, from any clone, compiles only what changed.
export CCACHE_BASEDIR=$root CCACHE_NOHASHDIR=true CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-20G}
# Depend mode: a miss compiles once (the dependencies come from the compiler's -MD), instead
# of running the preprocessor first to look the result up.
export CCACHE_DEPEND=true

build=build
cmake_args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
ctest_args=()
case "${1:-}" in
  --sanitize)
    build=build-asan
    cmake_args=(-DCMAKE_BUILD_TYPE=Debug -DFULFIL_SANITIZE=ON -DFULFIL_FUZZ=ON
      -DCMAKE_C_COMPILER=clang-16 -DCMAKE_CXX_COMPILER=clang++-16)
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    export LSAN_OPTIONS=suppressions=$root/tests/lsan.supp:print_suppressions=0
    export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-16/bin/llvm-symbolizer  # stacks with names
    ;;
  --tsan)
    build=build-tsan
    cmake_args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DFULFIL_TSAN=ON)
    [ "${2:-}" = "--all" ] ||
      ctest_args+=(-E '^(Crash|RdsCrash|PgOutage|ReviewCluster)\.')
    export TSAN_OPTIONS="suppressions=$root/tests/tsan.supp halt_on_error=1 second_deadlock_stack=1"
    ;;
  "") ;;
  *)
    echo "usage: scripts/test.sh [--sanitize|--tsan [--all]]" >&2
    exit 2
    ;;
esac
step "npm ci"
# The API contract test's packages (pinned by tests/api/package-lock.json).
npm ci --prefix tests/api --no-audit --no-fund --silent
# The browser tests' driver (playwright-core; the browser is Debian's chromium).
npm ci --prefix tests/browser --no-audit --no-fund --silent
step "cmake"
cmake -S . -B "$build" -G Ninja -DFULFIL_BUILD_TESTS=ON "${cmake_args[@]}" >/dev/null
step "build"
cmake --build "$build" -j "$(nproc)"
step "check_format"
cmake --build "$build" --target check_format
step "services"

# ippeveprinter (the real IPP printer of the CUPS test) needs DNS-SD: start D-Bus and Avahi
# when they are not running and we may; otherwise that one test says why it is skipped.
if ! avahi-daemon --check 2>/dev/null; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo -n"
  $sudo mkdir -p /run/dbus 2>/dev/null || true
  if ! dbus-send --system --dest=org.freedesktop.DBus --print-reply /org/freedesktop/DBus \
    org.freedesktop.DBus.GetId >/dev/null 2>&1; then
    # No bus answers: a socket and pid file left by one that died keep a new one from starting.
    $sudo rm -f /run/dbus/system_bus_socket /run/dbus/pid 2>/dev/null || true
    $sudo dbus-daemon --system --fork 2>/dev/null || true
  fi
  $sudo avahi-daemon --daemonize --no-drop-root --no-chroot 2>/dev/null || true
fi

pgdir=$(mktemp -d /tmp/fulfil-pg.XXXXXX)
mydir=$(mktemp -d /tmp/fulfil-mariadb.XXXXXX)
port=$((56000 + RANDOM % 4000))
trap '"$root/tests/scripts/pg-cluster.sh" stop "$pgdir" || true; rm -rf "$pgdir";
  "$root/tests/scripts/mariadb-server.sh" stop "$mydir" || true; rm -rf "$mydir"' EXIT
FULFIL_TEST_PG_URL=$(tests/scripts/pg-cluster.sh start "$pgdir" "$port")
export FULFIL_TEST_PG_URL
echo "PostgreSQL for tests: $FULFIL_TEST_PG_URL"
# The shops' push database (聚石塔 RDS) is MySQL: a MariaDB server on loopback.
FULFIL_TEST_MYSQL_URL=$(tests/scripts/mariadb-server.sh start "$mydir" "$((port + 1))")
export FULFIL_TEST_MYSQL_URL
echo "MariaDB for tests: $FULFIL_TEST_MYSQL_URL"

cd "$build"
# Two tests a core: most integration tests spend their time waiting on processes they kill,
# simulators' latency and sockets, so one a core left the cores half idle (the release suite
# took 538 s at -j2 and 226 s at -j4 on two cores, the ASan one 480 s and 297 s).
jobs=${FULFIL_TEST_JOBS:-$((2 * $(nproc)))}
step "ctest -j $jobs"
ctest -j "$jobs" --output-on-failure "${ctest_args[@]}"
step "done"
