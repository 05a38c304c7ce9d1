#!/usr/bin/env bash
# Sets up a sharded index with a read replica on this machine (127.0.0.1 only) and shows
# the replica following an update:
#   indexer   tnohaku-index --shards 2 --changesets N    → WORK/master/{shard-0,shard-1,side}
#   master    one xapian-replicate-server per database (its folder; the database is the
#             current generation, gen-N)
#   replica   xapian-replicate every 2 s               → WORK/replica/{shard-0,shard-1,side}
#   server    tnohaku-server --db replica shards --side replica side
# then adds a record with tnohaku-index --update on the master and waits until the
# replica's server finds it. Everything stops on exit (Ctrl-C, or KEEP=1 to keep serving).
#   scripts/replicate-loopback.sh [WORK_DIR]     (default: a new temporary folder)
# Ports: BASE_PORT (7300) + 0..2 for the replication servers, + 10 for tnohaku-server.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-"$root/build"}
work=${1:-$(mktemp -d /tmp/tnohaku-replica.XXXXXX)}
base=${BASE_PORT:-7300}
index="$build/indexer/tnohaku-index"
server="$build/server/tnohaku-server"
for program in "$index" "$server" /usr/bin/xapian-replicate-server /usr/bin/xapian-replicate; do
  [[ -x $program ]] || { echo "replicate-loopback: $program is missing (scripts/build.sh; apt-get install xapian-tools)" >&2; exit 1; }
done
mkdir -p "$work"
pids=()
cleanup() {
  # Xapian's servers run in sessions of their own (setsid): on SIGTERM they signal their
  # whole process group, which must not be ours.
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

echo "== indexing the corpus as 2 shards, with changesets, into $work/master"
"$index" --db "$work/master" --shards 2 --changesets 100 --quiet "$root"/corpus/*.jsonl

current() {  # the generation folder a store's CURRENT names: "gen-000001"
  sed -n 's/^auto //p' "$work/master/$1/CURRENT"
}
stores=(shard-0 shard-1 side)
for i in "${!stores[@]}"; do
  store=${stores[$i]}
  port=$((base + i))
  setsid /usr/bin/xapian-replicate-server --interface 127.0.0.1 --port "$port" \
    "$work/master/$store" > "$work/replicate-server-$store.log" 2>&1 &
  pids+=($!)
done
sleep 0.5
echo "== replicas following the current generations every 2 s"
for i in "${!stores[@]}"; do
  store=${stores[$i]}
  mkdir -p "$work/replica"
  setsid /usr/bin/xapian-replicate -h 127.0.0.1 -p $((base + i)) -m "$(current "$store")" \
    -i 2 -r 0 "$work/replica/$store" > "$work/replicate-$store.log" 2>&1 &
  pids+=($!)
done
for store in "${stores[@]}"; do
  for _ in $(seq 100); do [[ -f $work/replica/$store/XAPIANDB ]] && break; sleep 0.1; done
done
sleep 1

port=$((base + 10))
"$server" --db "$work/replica/shard-0,$work/replica/shard-1" --side "$work/replica/side" \
  --port "$port" > "$work/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q "listening on" "$work/server.log" 2>/dev/null && break; sleep 0.1; done
url="http://127.0.0.1:$port"
echo "== serving the replica at $url"
curl -s "$url/v1/search?q=ohjaamo&limit=0" | head -c 200; echo

id=replica-demo-record
echo "== adding $id on the master (--update: a changeset per shard touched)"
printf '%s\n' "{\"id\":\"$id\",\"type\":\"service\",\"name\":{\"fi\":\"Replikan koepalvelu\"},\"area\":{\"national\":true}}" \
  > "$work/update.jsonl"
"$index" --db "$work/master" --update --changesets 100 --quiet "$work/update.jsonl"
for second in $(seq 30); do
  if curl -sf "$url/v1/records/$id" > /dev/null; then
    echo "== the replica's server found $id after about ${second} s"
    break
  fi
  sleep 1
done
curl -sf "$url/v1/records/$id" > /dev/null || { echo "replicate-loopback: the replica did not catch up (logs in $work)" >&2; exit 1; }
echo "logs: $work/*.log"
if [[ "${KEEP:-0}" == 1 ]]; then
  echo "serving until Ctrl-C"
  wait
fi
