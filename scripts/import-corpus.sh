#!/usr/bin/env bash
# Regenerates corpus/ptv.jsonl from the PTV data in data/ (the open API samples in
# data/ptv-json and the export in data/ptv-export) with the built tnohaku-import.
#   scripts/import-corpus.sh [BUILD_DIR]      BUILD_DIR defaults to ./build
# The output depends only on the input files (records sorted by id), so re-running it
# on unchanged data gives a byte-identical file. Warnings and skipped items go to stderr;
# the exit code is tnohaku-import's (0 all imported, 2 some skipped, 1 failure: then
# corpus/ptv.jsonl is left as it was).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
[[ "$build" = /* ]] || build="$PWD/$build"
bin="$build/importer/tnohaku-import"
if [[ ! -x "$bin" ]]; then
  echo "import-corpus.sh: $bin not found: build first (scripts/build.sh) or pass the build folder" >&2
  exit 1
fi

cd "$root"
mkdir -p corpus
tmp=$(mktemp corpus/.ptv.jsonl.XXXXXX)
trap 'rm -f "$tmp"' EXIT
status=0
"$bin" ptv-json data/ptv-json ptv-export data/ptv-export/services.jsonl > "$tmp" || status=$?
if (( status != 0 && status != 2 )); then
  echo "import-corpus.sh: tnohaku-import failed (exit $status); corpus/ptv.jsonl unchanged" >&2
  exit "$status"
fi
chmod 644 "$tmp"
mv "$tmp" corpus/ptv.jsonl
echo "import-corpus.sh: corpus/ptv.jsonl has $(wc -l < corpus/ptv.jsonl) records" >&2
exit "$status"
