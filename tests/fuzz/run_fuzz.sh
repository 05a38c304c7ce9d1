#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time (called by ctest, see CMakeLists.txt):
#   run_fuzz.sh FUZZER SEED_DIR CRASH_DIR WORK_DIR SECONDS
# 1. replays every input of SEED_DIR and CRASH_DIR once (CRASH_DIR holds inputs that once
#    crashed: each is a regression test);
# 2. fuzzes for SECONDS, new inputs going to WORK_DIR/corpus (the checked-in seeds stay
#    as they are), a crash going to WORK_DIR/crash-*; prints the executions done.
# Fails when either step finds a crash, a leak, a timeout (10 s per input) or an input
# that needs more than 2 GB.
set -euo pipefail
fuzzer=$1 seeds=$2 crashes=$3 work=$4 seconds=$5
name=$(basename "$fuzzer")
here=$(cd "$(dirname "$0")" && pwd)
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$here/../sanitizers/ubsan.supp"
rm -rf "$work" && mkdir -p "$work/corpus"
flags=(-timeout=10 -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1)

replay=("$seeds")
[[ -d "$crashes" ]] && replay+=("$crashes")
echo "$name: replaying ${replay[*]}"
"$fuzzer" "${flags[@]}" -runs=0 "${replay[@]}" > "$work/replay.log" 2>&1 || {
  cat "$work/replay.log"; echo "$name: FAILED on a checked-in input" >&2; exit 1; }

echo "$name: fuzzing for ${seconds}s"
if ! "$fuzzer" "${flags[@]}" -max_total_time="$seconds" -artifact_prefix="$work/" \
    "$work/corpus" "$seeds" > "$work/fuzz.log" 2>&1; then
  tail -n 60 "$work/fuzz.log"
  echo "$name: FAILED; the input is in $work/ (crash-*, leak-*, timeout-*, oom-*)." >&2
  echo "$name: add it to $crashes/ with the fix, so the suite replays it." >&2
  exit 1
fi
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$work/fuzz.log" |
  sed "s/^/$name: /"
echo "$name: $(ls "$work/corpus" | wc -l) new inputs found"
