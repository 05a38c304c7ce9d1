#!/usr/bin/env bash
# Measures what shards cost: HTTP latency of the judged queries (bench/quality/queries.jsonl,
# every facet counted) against tnohaku-server over the same corpus laid out four ways, all
# in one run on this machine (127.0.0.1):
#   local-1    one local index (the in-memory column path)
#   local-2    a set of 2 local shards (tnohaku-index --shards 2; Xapian match spies)
#   remote-1   the one index behind xapian-tcpsrv (network protocol, no sharding)
#   remote-2   the 2 shards behind two xapian-tcpsrv
# Requests go one at a time, the four servers interleaved query by query so that machine
# noise hits them alike; each is warmed up with one pass first. Prints a table of mean,
# p50 and p95 (ms) and ratios to local-1.
#   scripts/shard-costs.sh [PASSES]     (default 5)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-"$root/build"}
passes=${1:-5}
work=$(mktemp -d /tmp/tnohaku-shard-costs.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return; sleep 0.1; done; }

"$build/indexer/tnohaku-index" --db "$work/one" --quiet "$root"/corpus/*.jsonl
"$build/indexer/tnohaku-index" --db "$work/set" --shards 2 --quiet "$root"/corpus/*.jsonl

tcpsrv() {  # PATH → $port (xapian-tcpsrv in a session of its own: it signals its group).
  # Not called as $(tcpsrv …): a subshell would lose the pid that cleanup must stop.
  port=$(free_port)
  setsid /usr/bin/xapian-tcpsrv --interface 127.0.0.1 --port "$port" "$1" > "$work/tcpsrv-$port.log" 2>&1 &
  pids+=($!)
  wait_port "$port"
}
tcpsrv "$work/one/CURRENT"; one_port=$port
tcpsrv "$work/set/shard-0/CURRENT"; s0_port=$port
tcpsrv "$work/set/shard-1/CURRENT"; s1_port=$port

declare -A urls
serve() {  # NAME ARGS... → urls[NAME]
  local name=$1; shift
  local port; port=$(free_port)
  "$build/server/tnohaku-server" --port "$port" "$@" > "$work/server-$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 200); do grep -q "listening on" "$work/server-$name.log" 2>/dev/null && break; sleep 0.1; done
  urls[$name]="http://127.0.0.1:$port"
}
serve local-1 --db "$work/one"
serve local-2 --db "$work/set"
serve remote-1 --db "tcp://127.0.0.1:$one_port" --side "$work/set/side"
serve remote-2 --db "tcp://127.0.0.1:$s0_port,tcp://127.0.0.1:$s1_port" --side "$work/set/side"

python3 - "$root/bench/quality/queries.jsonl" "$passes" \
  "local-1=${urls[local-1]}" "local-2=${urls[local-2]}" \
  "remote-1=${urls[remote-1]}" "remote-2=${urls[remote-2]}" <<'PY'
import http.client, json, statistics, sys, time, urllib.parse
queries_path, passes = sys.argv[1], int(sys.argv[2])
servers = [a.split("=", 1) for a in sys.argv[3:]]
paths = []
for line in open(queries_path, encoding="utf-8"):
    if not line.strip():
        continue
    q = json.loads(line)
    params = [("q", q["q"]), ("lang", q["lang"])]
    params += [("region", r) for r in q.get("region", [])]
    params += [("municipality", m) for m in q.get("municipality", [])]
    paths.append("/v1/search?" + urllib.parse.urlencode(params))
conns = {name: http.client.HTTPConnection(urllib.parse.urlparse(url).netloc, timeout=30)
         for name, url in servers}
samples = {name: [] for name, _ in servers}
totals = {name: [] for name, _ in servers}
for p in range(passes + 1):
    for path in paths:
        for name, _ in servers:
            start = time.perf_counter()
            try:
                conns[name].request("GET", path)
                response = conns[name].getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as e:
                sys.exit(f"{name}: {path}: {e}")
            ms = (time.perf_counter() - start) * 1000
            if response.status != 200:
                sys.exit(f"{name}: {path}: HTTP {response.status}: {body[:200]!r}")
            if p == 0:
                totals[name].append(json.loads(body)["total"])
            else:
                samples[name].append(ms)
base = samples[servers[0][0]]
def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]
print(f"{len(paths)} judged queries x {passes} passes, one request at a time, every facet")
print(f"{'layout':10} {'mean':>7} {'p50':>7} {'p95':>7} {'mean/local-1':>13} {'p50/local-1':>12}")
for name, _ in servers:
    xs = samples[name]
    same = "" if totals[name] == totals[servers[0][0]] else "  (totals differ!)"
    print(f"{name:10} {statistics.mean(xs):7.2f} {pct(xs, .5):7.2f} {pct(xs, .95):7.2f} "
          f"{statistics.mean(xs) / statistics.mean(base):13.2f} {pct(xs, .5) / pct(base, .5):12.2f}{same}")
PY
