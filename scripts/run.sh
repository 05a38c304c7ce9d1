#!/usr/bin/env bash
# Installs what is missing, builds Release, indexes the shipped corpus and serves it.
#   ./scripts/run.sh                 http://127.0.0.1:8080
#   HOST=0.0.0.0 PORT=9000 ./scripts/run.sh
# Further arguments go to tnohaku-server (see build/server/tnohaku-server --help).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
host=${HOST:-127.0.0.1}
port=${PORT:-8080}
build="$root/build"
db="$root/var/index"

"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" "$build" Release
mkdir -p "$root/var"
"$build/indexer/tnohaku-index" --db "$db" "$root"/corpus/*.jsonl
echo "run.sh: serving http://$host:$port/ (Ctrl-C stops)"
exec "$build/server/tnohaku-server" --db "$db" --host "$host" --port "$port" --web-dir "$root/web" "$@"
