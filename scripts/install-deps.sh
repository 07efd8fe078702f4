#!/usr/bin/env bash
# Installs what fulfild needs to build, run and test on Debian 12. Quick when all is there.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config git
  libboost1.81-all-dev libsoci-dev libsqlite3-dev libpq-dev libcurl4-openssl-dev libssl-dev
  libzmq3-dev cppzmq-dev libsodium-dev libtomlplusplus-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libzint-dev libpango1.0-dev libcairo2-dev libfreetype-dev libfontconfig-dev fonts-wqy-zenhei
  libcups2-dev cups-ipp-utils poppler-utils avahi-daemon dbus
  python3-zmq postgresql mariadb-server libmariadb-dev clang-format
  chromium wrk
  ccache clang-16 libclang-rt-16-dev llvm-16 libfiu-dev fiu-utils gnuplot-nox
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
