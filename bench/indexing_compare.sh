#!/usr/bin/env bash
# Compares two tnohaku-index binaries on the same records, alternating runs so that both
# see the same machine load. Per run: wall seconds, CPU seconds (user + sys), records/s,
# records per CPU-second, peak RSS and index size.
#   bench/indexing_compare.sh OLD_BINARY NEW_BINARY RECORDS.jsonl [RUNS] [NEW_ARGS...]
# Prints one line per run and the median of each binary.
set -euo pipefail
old=$1 new=$2 records=$3 runs=${4:-3}
shift $(( $# > 4 ? 4 : $# ))
count=$(grep -c . "$records")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run() {  # run NAME BINARY ARGS... → "NAME wall cpu rss_kb index_kb"
    local name=$1 binary=$2
    shift 2
    rm -rf "$work/db"
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$binary" -q --db "$work/db" "$@" "$records"
    read -r wall user sys rss < "$work/time"
    local index_kb
    index_kb=$(du -sk "$work/db" | cut -f1)
    echo "$name $wall $(echo "$user + $sys" | bc) $rss $index_kb"
}

for ((i = 0; i < runs; i++)); do
    run old "$old"
    run new "$new" "$@"
done | tee "$work/runs" | awk -v n="$count" '
    { printf "%-4s wall %6.2f s  cpu %6.2f s  %6.0f records/s  %6.0f records/cpu-s  rss %4.0f MB  index %4.0f MB\n",
             $1, $2, $3, n / $2, n / $3, $4 / 1024, $5 / 1024 }'
echo "medians over $runs runs of $count records:"
for name in old new; do
    awk -v want="$name" -v n="$count" '$1 == want { w[++k] = $2; c[k] = $3; r[k] = $4; x[k] = $5 }
        function median(a, k,   i, j, t) {
            for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
            return a[int((k + 1) / 2)]
        }
        END { printf "%-4s %6.0f records/s  %6.0f records/cpu-s  rss %4.0f MB  index %4.0f MB\n",
                     want, n / median(w, k), n / median(c, k), median(r, k) / 1024, median(x, k) / 1024 }' "$work/runs"
done
