#!/usr/bin/env python3
"""Search quality of tnohaku against PostgreSQL full-text search, on the judged query set.

    bench/quality/evaluate.py WORK_DIR [--build-dir DIR] [--no-build] [--no-peer]

Builds tnohaku (unless --no-build), indexes corpus/*.jsonl with tnohaku-index into WORK_DIR,
serves it with tnohaku-server on 127.0.0.1 (a free port), runs every query of
bench/quality/queries.jsonl over HTTP, loads the same records into a PostgreSQL 15 cluster
of its own in WORK_DIR and runs the same queries in both styles of pg_fts.py; prints the
figures side by side and writes bench/quality/RESULTS.md and RESULTS.json. run.sh makes
WORK_DIR and removes it afterwards.
"""
import argparse
import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import metrics  # noqa: E402
import pg_fts  # noqa: E402
import render  # noqa: E402

CORPUS = [os.path.join(ROOT, "corpus", "seeds.jsonl"), os.path.join(ROOT, "corpus", "ptv.jsonl")]
QUERIES = os.path.join(HERE, "queries.jsonl")
SYNONYMS = os.path.join(ROOT, "schema", "synonyms", "synonyms.txt")


def log(msg):
    print(f"[quality] {msg}", file=sys.stderr, flush=True)


def load_queries(path=QUERIES):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def build(build_dir):
    if os.path.exists(os.path.join(build_dir, "CMakeCache.txt")):
        subprocess.check_call(["cmake", "--build", build_dir, "--", "-j2"], stdout=subprocess.DEVNULL)
    else:
        subprocess.check_call([os.path.join(ROOT, "scripts", "build.sh"), build_dir, "RelWithDebInfo"],
                              stdout=subprocess.DEVNULL)


class Server:
    """tnohaku-server on 127.0.0.1 over an index of the corpus."""

    def __init__(self, build_dir, work):
        self.build_dir, self.work = build_dir, work
        self.proc = None
        self.port = pg_fts.free_port()

    def start(self):
        db = os.path.join(self.work, "db")
        subprocess.check_call([os.path.join(self.build_dir, "indexer", "tnohaku-index"), "--db", db] + CORPUS,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        args = [os.path.join(self.build_dir, "server", "tnohaku-server"), "--db", db, "--host", "127.0.0.1",
                "--port", str(self.port), "--threads", "2", "--searchers", "1", "--synonyms", SYNONYMS]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.work,
                                                                                             "server.log"), "w"))
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/ready", timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("tnohaku-server did not become ready (see server.log)")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def search(self, query):
        params = [("q", query["q"]), ("lang", query.get("lang", "fi")), ("limit", "10"), ("facets", "none")]
        params += [("region", r) for r in query.get("region", [])]
        params += [("municipality", m) for m in query.get("municipality", [])]
        url = f"http://127.0.0.1:{self.port}/v1/search?" + urllib.parse.urlencode(params)
        with urllib.request.urlopen(url, timeout=30) as r:
            answer = json.load(r)
        return [h["id"] for h in answer["hits"]], answer["total"]


def score(queries, runs):
    """{system: {"per_query": {...}, "summary": {...}}} from {system: {qid: (ids, total)}}."""
    categories = {q["id"]: q["category"] for q in queries}
    out = {}
    for system, answers in runs.items():
        per_query = {q["id"]: dict(metrics.query_metrics(q["relevant"], *answers[q["id"]]),
                                   ranked=answers[q["id"]][0][:5], total=answers[q["id"]][1])
                     for q in queries}
        out[system] = {"per_query": per_query, "summary": metrics.summarise(per_query, categories)}
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("work")
    ap.add_argument("--build-dir", default=os.path.join(ROOT, "build"))
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--no-peer", action="store_true")
    args = ap.parse_args()
    queries = load_queries()
    log(f"{len(queries)} judged queries")
    if not args.no_build:
        log(f"building in {args.build_dir}")
        build(args.build_dir)
    server = Server(args.build_dir, args.work)
    cluster = None
    runs = {}
    try:
        log("indexing the corpus and starting tnohaku-server")
        server.start()
        runs["tnohaku"] = {q["id"]: server.search(q) for q in queries}
        server.stop()
        pg_version = ""
        if not args.no_peer:
            cluster = pg_fts.Cluster(args.work)
            log(f"starting PostgreSQL on 127.0.0.1:{cluster.port}")
            cluster.start()
            pg_version = cluster.version
            log(f"loaded {cluster.load(CORPUS)} records into PostgreSQL {pg_version}")
            for style in pg_fts.STYLES:
                runs[f"pg {style}"] = pg_fts.run_queries(cluster, style, queries)
    finally:
        server.stop()
        if cluster:
            cluster.stop()
    scored = score(queries, runs)
    print(render.console_table(scored))
    with open(os.path.join(HERE, "RESULTS.json"), "w", encoding="utf-8") as f:
        json.dump({"pg_version": pg_version, "systems": scored}, f, ensure_ascii=False, indent=1)
    with open(os.path.join(HERE, "RESULTS.md"), "w", encoding="utf-8") as f:
        f.write(render.markdown(queries, scored, pg_version))
    log("wrote bench/quality/RESULTS.md and RESULTS.json")


if __name__ == "__main__":
    main()
