#!/usr/bin/env bash
# The one command of the quality evaluation: builds what it needs, indexes the corpus, runs
# the judged queries against tnohaku and PostgreSQL full-text search, prints both and writes
# bench/quality/RESULTS.md. Everything listens on 127.0.0.1; the work folder (index,
# PostgreSQL cluster) is removed on exit, also when a run fails or is interrupted.
#   bench/quality/run.sh [--build-dir DIR] [--no-build] [--no-peer]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/tnohaku-quality.XXXXXX)
chmod 755 "$work"   # PostgreSQL runs as the postgres user when we are root
trap 'rm -rf "$work"' EXIT
python3 "$here/evaluate.py" "$work" "$@"
