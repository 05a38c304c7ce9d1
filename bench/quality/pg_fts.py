"""PostgreSQL 15 full-text search over the same records, the way its users search (stdlib only).

The table, its weighted tsvector (names A; summaries, keywords and organisation names B;
descriptions C; 'finnish', 'swedish' and 'english' configurations) and the GIN index are
bench/peer.py's, so the quality peer is the performance peer. Two query styles:

- "prefix-and" (the Helsinki service map's): every word a prefix, AND-ed,
  to_tsquery('w1:* & w2:*'); each word may match in any of the three configurations
- "websearch": websearch_to_tsquery(q) in each configuration, OR-ed

Both rank by ts_rank (default weights), ties by id, and apply the same area filter as
tnohaku (schema/index-format.md): region R → the record covers R, or is national;
municipality M → the record covers M (a declared region includes its municipalities), or
is national.

The cluster lives in a temporary folder, listens on 127.0.0.1 on a free port only, and
Cluster.stop() (also called on errors by evaluate.py) removes nothing but stops it.
"""
import os
import shutil
import socket
import subprocess
import sys

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.append(BENCH)
import benchlib  # noqa: E402  (read-only use of the performance bench's peer)
import peer  # noqa: E402

STYLES = ("prefix-and", "websearch")
CONFIGS = ("finnish", "swedish", "english")


class PgError(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _bindir():
    for d in sorted(os.listdir("/usr/lib/postgresql"), reverse=True) if os.path.isdir("/usr/lib/postgresql") else []:
        b = os.path.join("/usr/lib/postgresql", d, "bin")
        if os.path.exists(os.path.join(b, "initdb")):
            return b
    raise PgError("PostgreSQL is not installed (apt-get install postgresql)")


class Cluster:
    def __init__(self, work):
        self.dir = os.path.join(work, "pg")
        self.bindir = _bindir()
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0
        self.running = False
        self.version = ""

    def _as_pg(self, cmd):
        return (["runuser", "-u", "postgres", "--"] + cmd) if self.as_postgres else cmd

    def start(self):
        os.makedirs(self.dir, exist_ok=True)
        if self.as_postgres:
            shutil.chown(self.dir, "postgres")
        data = os.path.join(self.dir, "data")
        subprocess.check_call(self._as_pg([os.path.join(self.bindir, "initdb"), "-D", data, "--auth=trust",
                                           "--encoding=UTF8", "--locale=C.UTF-8", "-U", "postgres"]),
                              stdout=subprocess.DEVNULL)
        opts = (f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.dir} "
                "-c fsync=off -c synchronous_commit=off -c jit=off")
        subprocess.check_call(self._as_pg([os.path.join(self.bindir, "pg_ctl"), "-D", data, "-o", opts, "-l",
                                           os.path.join(self.dir, "log"), "-w", "-t", "60", "start"]),
                              stdout=subprocess.DEVNULL)
        self.running = True
        self.version = self.psql("SHOW server_version", db="postgres").strip()

    def stop(self):
        if self.running:
            subprocess.call(self._as_pg([os.path.join(self.bindir, "pg_ctl"), "-D", os.path.join(self.dir, "data"),
                                         "-m", "fast", "-w", "stop"]),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.running = False

    def _psql(self, db):
        return ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(self.port),
                "-U", "postgres", "-d", db]

    def psql(self, sql, db="quality", stdin_text=None):
        cmd = self._psql(db) + ["-At"] + (["-c", sql] if sql is not None else [])
        r = subprocess.run(cmd, input=stdin_text, capture_output=True, text=True)
        if r.returncode != 0:
            raise PgError(f"psql failed: {r.stderr[-2000:]}")
        return r.stdout

    def load(self, jsonl_paths):
        """Creates the peer's table from the records and builds its indexes."""
        self.psql("CREATE DATABASE quality", db="postgres")
        self.psql(None, stdin_text=peer.SCHEMA)
        vocab = benchlib.Vocab()
        rows, locs = os.path.join(self.dir, "rows.txt"), os.path.join(self.dir, "locs.txt")
        with open(rows, "w", encoding="utf-8") as out, open(locs, "w", encoding="utf-8") as loc_out:
            for path in jsonl_paths:
                peer.write_rows(vocab, path, out, loc_out)
        cols = ",".join(peer.TABLE_COLUMNS)
        self.psql(f"\\copy records ({cols}) FROM '{rows}'")
        self.psql(None, stdin_text=peer.INDEXES)
        return int(self.psql("SELECT count(*) FROM records"))


def _lit(s):
    return "'" + s.replace("'", "''") + "'"


def _words(q):
    # What a tsquery accepts as a word: letters and digits (other characters separate).
    cleaned = "".join(ch if ch.isalnum() else " " for ch in q.lower())
    return cleaned.split()


def tsquery(style, q):
    if style == "websearch":
        return " || ".join(f"websearch_to_tsquery('{c}', {_lit(q)})" for c in CONFIGS)
    words = _words(q)
    if not words:
        return None
    per_word = ["(" + " || ".join(f"to_tsquery('{c}', {_lit(w + ':*')})" for c in CONFIGS) + ")"
                for w in words]
    return " && ".join(per_word)


def area_clause(query):
    regions, munis = query.get("region", []), query.get("municipality", [])
    if not regions and not munis:
        return None
    any_ = ["national"]
    if regions:
        any_.append("area_regions && ARRAY[" + ",".join(_lit(r) for r in regions) + "]::text[]")
    if munis:
        any_.append("eff_munis && ARRAY[" + ",".join(_lit(m) for m in munis) + "]::text[]")
    return "(" + " OR ".join(any_) + ")"


def query_sql(style, query, limit=10):
    """One statement answering {"total": n, "ids": [...]} for a judged query."""
    tsq = tsquery(style, query["q"])
    if tsq is None:
        return "SELECT json_build_object('total', 0, 'ids', '[]'::json)"
    where = [f"tsv @@ ({tsq})"]
    area = area_clause(query)
    if area:
        where.append(area)
    return ("WITH m AS MATERIALIZED (SELECT id, ts_rank(tsv, " + tsq + ") AS k FROM records WHERE "
            + " AND ".join(where) + ") SELECT json_build_object('total', (SELECT count(*) FROM m), 'ids', "
            f"(SELECT coalesce(json_agg(id ORDER BY k DESC, id), '[]'::json) FROM "
            f"(SELECT id, k FROM m ORDER BY k DESC, id LIMIT {limit}) t))")


def run_queries(cluster, style, queries):
    """{query id: (ranked ids, total)} for one style, all queries in one psql run."""
    import json
    script = "".join(query_sql(style, q) + ";\n" for q in queries)
    lines = [l for l in cluster.psql(None, stdin_text=script).splitlines() if l.strip()]
    if len(lines) != len(queries):
        raise PgError(f"{style}: {len(lines)} answers to {len(queries)} queries")
    out = {}
    for q, line in zip(queries, lines):
        answer = json.loads(line)
        out[q["id"]] = (answer["ids"], answer["total"])
    return out
