#!/usr/bin/env bash
# Runs one libFuzzer target: every input of its seed corpus first (crashes found earlier are
# kept there), then SECONDS of fuzzing from them. New inputs go to a scratch folder, never
# into the repository; a crash leaves its input in $FULFIL_FUZZ_ARTIFACTS (default:
# fuzz-artifacts/ in the working directory): add it to the corpus once fixed.
#   run-fuzz.sh TARGET CORPUS [SECONDS]
set -euo pipefail
target=$1 corpus=$2 seconds=${3:-4}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
artifacts=${FULFIL_FUZZ_ARTIFACTS:-$PWD/fuzz-artifacts}
mkdir -p "$artifacts"
"$target" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 -max_len=65536 \
  -print_final_stats=1 -artifact_prefix="$artifacts/$(basename "$target")-" "$scratch" "$corpus"
