#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test through ctest, printing how long
# each stage took.   ./scripts/test.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build"
stage_start=$SECONDS
stage() {
  local now=$SECONDS
  printf 'test.sh: %-10s %4ds\n' "$1" $((now - stage_start)) >> "$build/stages.txt"
  stage_start=$now
}

"$root/scripts/install-deps.sh" --test
mkdir -p "$build" && : > "$build/stages.txt"
stage install
"$root/scripts/build.sh" "$build" RelWithDebInfo
stage build
(cd "$build" && ctest --output-on-failure --timeout 900)
stage ctest
echo "test.sh: time per stage"
cat "$build/stages.txt"
