#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test through ctest, printing how long
# each stage took.   ./scripts/test.sh
#
# Three build folders:
#   build/       RelWithDebInfo: every test (unit, end-to-end, faults, the soak, browser,
#                the benchmark smoke run)
#   build-asan/  AddressSanitizer + UndefinedBehaviorSanitizer (gcc): the unit, end-to-end
#                and fault tests again (not the soak, browser or benchmark)
#   build-fuzz/  clang + libFuzzer (+ ASan/UBSan): each fuzz target for
#                TNOHAKU_FUZZ_SECONDS (30) after replaying its seeds and past crashes
# TNOHAKU_SKIP_SANITIZERS=1 or TNOHAKU_SKIP_FUZZ=1 leave a stage out (for a quick local run;
# CI runs all of them).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build"
stage_start=$SECONDS
stage() {
  local now=$SECONDS
  printf 'test.sh: %-10s %4ds\n' "$1" $((now - stage_start)) >> "$build/stages.txt"
  stage_start=$now
}
# Sanitizer reports stop the program; RapidJSON's known ones are suppressed (the file says
# which and why).
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:check_initialization_order=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$root/tests/sanitizers/ubsan.supp"

"$root/scripts/install-deps.sh" --test
mkdir -p "$build" && : > "$build/stages.txt"
stage install
"$root/scripts/build.sh" "$build" RelWithDebInfo
stage build
(cd "$build" && ctest --output-on-failure --timeout 900)
stage ctest

if [[ "${TNOHAKU_SKIP_SANITIZERS:-0}" != 1 ]]; then
  asan="$root/build-asan"
  cmake -S "$root" -B "$asan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DTNOHAKU_SANITIZE=ON >/dev/null
  cmake --build "$asan" --target tnohaku_tests tnohaku_reliability_tests -- -k 0
  stage asan-build
  (cd "$asan" && ctest --output-on-failure --timeout 900 -R '^(unit\.|reliability\.faults$)')
  stage asan-ctest
fi

if [[ "${TNOHAKU_SKIP_FUZZ:-0}" != 1 ]]; then
  fuzz="$root/build-fuzz"
  CXX=clang++-14 cmake -S "$root" -B "$fuzz" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DTNOHAKU_FUZZ=ON -DTNOHAKU_SANITIZE=ON >/dev/null
  cmake --build "$fuzz" --target fuzz_record fuzz_params fuzz_query -- -k 0
  stage fuzz-build
  (cd "$fuzz" && ctest --output-on-failure --timeout 900 -L fuzz)
  stage fuzz
fi
echo "test.sh: time per stage"
cat "$build/stages.txt"
