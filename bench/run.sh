#!/usr/bin/env bash
# tnohaku benchmarks: indexing, HTTP (wrk), in-process, memory, the PostgreSQL peer and a
# callgrind profile, written to bench/RESULTS.md (--quick: bench/RESULTS-quick.md).
#
#   bench/run.sh             10k, 100k and 1M records (the 1M part takes long: hours on 2 cores)
#   bench/run.sh --quick     10k records, 5 s runs (~1-2 minutes once built)
#   bench/run.sh --help      every option (bench/harness.py)
#
# Needs wrk, postgresql, valgrind (scripts/install-deps.sh --bench). Runs servers on
# 127.0.0.1 only. The work folder, tnohaku-server and the PostgreSQL cluster are removed or
# stopped on exit, also when the run fails or is interrupted (--keep keeps the folder).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

for tool in python3 wrk taskset cmake; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (scripts/install-deps.sh --bench)" >&2; exit 1; }
done
case " $* " in *" --help "*|*" -h "*) exec python3 "$here/harness.py" --workdir /nonexistent --help ;; esac

work=$(mktemp -d "${TMPDIR:-/tmp}/tnohaku-bench.XXXXXX")
keep=0
case " $* " in *" --keep "*) keep=1 ;; esac

cleanup() {
  local rc=$?
  # The harness stops what it started; this is the safety net if it was killed.
  if [[ -f "$work/pids" ]]; then
    while read -r entry; do
      case "$entry" in
        pg:*) data=${entry#pg:}
              if [[ -f "$data/postmaster.pid" ]]; then
                if [[ $(id -u) -eq 0 ]]; then
                  runuser -u postgres -- "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
                else
                  "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
                fi
              fi ;;
        *) kill "$entry" 2>/dev/null || true ;;
      esac
    done < "$work/pids"
  fi
  if [[ $keep -eq 1 ]]; then
    echo "run.sh: kept $work" >&2
  else
    rm -rf "$work"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

python3 "$here/harness.py" --workdir "$work" "$@"
