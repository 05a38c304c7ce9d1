#!/usr/bin/env python3
"""The benchmark harness behind bench/run.sh (python3 standard library only).

    bench/run.sh [--quick] [options]      (see --help)

For each size (10k, 100k, 1M; --quick: 10k): generate records (bench/gen_records.py),
index them with tnohaku-index (throughput, index size), start tnohaku-server on
127.0.0.1, fetch the workload once (warm-up; every answer must be 200), measure it with
wrk at 1, 8 and 64 keep-alive connections (and at 8 twice compressed: Accept-Encoding gzip,
and what browsers send, "gzip, deflate, br"), the server's RSS at rest
and under load, the in-process latency (tnohaku-bench-query), then the same records and
requests on PostgreSQL 15 (bench/peer.py; pgbench at 1 and 8 connections) and check that
both give the same totals and facet counts where they must. Finally a callgrind profile
of the in-process bench over a fixed sample of the workload. Writes bench/RESULTS.md
(--quick: bench/RESULTS-quick.md) and the raw figures as JSON beside it.

Cores: tnohaku-server and postgres may use both cores (taskset 0-1); wrk and pgbench run
one thread pinned to core 1 (SERVER_CPUS, LOADGEN_CPU below), so the load generator
takes its CPU from the server's second core. Its CPU time is reported with each run.
"""
import argparse
import datetime
import glob
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)

import compare  # noqa: E402

SERVER_CPUS = "0,1"
LOADGEN_CPU = "1"
# What Chromium and Firefox send: the coding a browser client gets.
BROWSER_ACCEPT_ENCODING = "gzip, deflate, br"
CLK_TCK = os.sysconf("SC_CLK_TCK")
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
T0 = time.time()


def log(msg):
    print(f"[bench {time.time() - T0:7.1f}s] {msg}", file=sys.stderr, flush=True)


class BenchError(Exception):
    pass


def loadavg():
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


def proc_stat(pid):
    with open(f"/proc/{pid}/stat") as f:
        rest = f.read().rsplit(")", 1)[1].split()
    return rest


def proc_cpu_s(pid, children=True):
    """CPU seconds of a process (and of its waited-for children)."""
    f = proc_stat(pid)
    ticks = int(f[11]) + int(f[12]) + ((int(f[13]) + int(f[14])) if children else 0)
    return ticks / CLK_TCK


def tree_cpu_s(pid):
    """CPU seconds of a process, its reaped children and its live children (postgres)."""
    total = proc_cpu_s(pid)
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            f = proc_stat(int(d))
            if int(f[1]) == pid:
                total += (int(f[11]) + int(f[12])) / CLK_TCK
        except (OSError, IndexError, ValueError):
            pass
    return total


def proc_mem_kb(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                k, v = line.split(":")
                out[k] = int(v.split()[0])
    return out


def dir_bytes(path):
    total = 0
    for dirpath, _, files in os.walk(path):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(dirpath, name))
            except OSError:
                pass
    return total


def percentile(values, p):
    if not values:
        return None
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_measured(cmd, stdout_path=None, stdin=None, env=None, cwd=None):
    """Runs cmd; returns rc, wall s, user s, sys s, max RSS KiB (of that process alone)."""
    out = open(stdout_path, "w") if stdout_path else subprocess.DEVNULL
    try:
        t = time.time()
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE if not stdout_path else subprocess.STDOUT,
                             stdin=stdin, env=env, cwd=cwd)
        if not stdout_path:
            err = p.stderr.read()
        _, status, ru = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        wall = time.time() - t
    finally:
        if stdout_path:
            out.close()
    if not stdout_path and p.returncode != 0:
        sys.stderr.write(err.decode("utf-8", "replace")[-4000:])
    return {"rc": p.returncode, "wall_s": wall, "user_s": ru.ru_utime, "sys_s": ru.ru_stime,
            "maxrss_kb": ru.ru_maxrss}


class Harness:
    def __init__(self, args):
        self.args = args
        self.work = args.workdir
        os.makedirs(self.work, exist_ok=True)
        os.chmod(self.work, 0o755)
        self.pids_file = os.path.join(self.work, "pids")
        self.server = None
        self.pg = None
        self.results = {"mode": "quick" if args.quick else "full", "sizes": {}, "started": _now(),
                        "loadavg": {"start": loadavg()}, "notes": []}

    # -- build ---------------------------------------------------------------------------
    def build(self):
        a = self.args
        if a.bin_dir:
            # A folder holding the programs, or a build folder (searched a few levels down).
            self.bin = {}
            for n in ("tnohaku-index", "tnohaku-server", "tnohaku-bench-query"):
                found = [p for d in ("", "*", "*/*") for p in glob.glob(os.path.join(a.bin_dir, d, n))]
                self.bin[n] = found[0] if found else os.path.join(a.bin_dir, n)
        else:
            with open(os.path.join(ROOT, "CMakeLists.txt")) as f:
                top = f.read()
            if re.search(r"^\s*add_subdirectory\(\s*bench\s*\)", top, re.M):
                src, build = ROOT, a.build_dir
            else:
                # bench/ is not (yet) part of the top-level build: a wrapper adds it.
                src = a.build_dir + "-wrapper-src"
                build = a.build_dir + "-wrapper"
                os.makedirs(src, exist_ok=True)
                text = ("cmake_minimum_required(VERSION 3.25)\nproject(tnohaku_bench_wrapper LANGUAGES CXX)\n"
                        f"add_subdirectory({ROOT} main)\nadd_subdirectory({BENCH} bench)\n")
                path = os.path.join(src, "CMakeLists.txt")
                if not os.path.exists(path) or open(path).read() != text:
                    with open(path, "w") as f:
                        f.write(text)
            for attempt in range(1, 4):
                log(f"build ({build}, Release), attempt {attempt}")
                ok = subprocess.call(["cmake", "-S", src, "-B", build, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release"],
                                     stdout=subprocess.DEVNULL) == 0
                ok = ok and subprocess.call(["cmake", "--build", build, "--target", "tnohaku-index",
                                             "tnohaku-server", "tnohaku-bench-query"], stdout=subprocess.DEVNULL) == 0
                if ok:
                    break
                if attempt == 3:
                    raise BenchError("the build failed three times (see the compiler output above)")
                time.sleep(30)
            sub = "" if src == ROOT else "main/"
            self.bin = {"tnohaku-index": os.path.join(build, sub + "indexer", "tnohaku-index"),
                        "tnohaku-server": os.path.join(build, sub + "server", "tnohaku-server"),
                        "tnohaku-bench-query": os.path.join(build, "bench", "tnohaku-bench-query")}
        for name, path in self.bin.items():
            if not os.access(path, os.X_OK):
                raise BenchError(f"{name} not found at {path}")

    # -- inputs --------------------------------------------------------------------------
    def records(self, size_name):
        n = SIZES[size_name]
        name = f"records-{size_name}-seed{self.args.seed}.jsonl"
        if self.args.cache_dir:
            os.makedirs(self.args.cache_dir, exist_ok=True)
            path = os.path.join(self.args.cache_dir, name)
            if os.path.exists(path):
                log(f"records {size_name}: cached {path}")
                return path, None
        else:
            path = os.path.join(self.work, name)
        log(f"generating {n} records")
        t = time.time()
        tmp = path + ".tmp"
        rc = subprocess.call([sys.executable, os.path.join(BENCH, "gen_records.py"), "--count", str(n),
                              "--seed", str(self.args.seed), "--out", tmp])
        if rc != 0:
            raise BenchError("gen_records.py failed")
        os.replace(tmp, path)
        return path, time.time() - t

    def workload(self):
        out = os.path.join(self.work, "workload")
        rc = subprocess.call([sys.executable, os.path.join(BENCH, "gen_workload.py"), "--count",
                              str(self.args.workload_size), "--out", out])
        if rc != 0:
            raise BenchError("gen_workload.py failed")
        self.workload_txt = os.path.join(out, "workload.txt")
        self.workload_sql = os.path.join(out, "workload.sql")
        cats = {}
        for cat, _ in compare.read_workload(self.workload_txt):
            cats[cat] = cats.get(cat, 0) + 1
        self.results["workload"] = {"requests": sum(cats.values()), "categories": cats}

    # -- tnohaku -------------------------------------------------------------------------
    def index(self, size_name, jsonl):
        """Indexes the records twice: the default (updatable) build, which the server then
        serves, and a --rebuild-only one (no termlist table), measured right after it and
        removed."""
        db = os.path.join(self.work, f"db-{size_name}")
        log(f"indexing {size_name}")
        out = self.build_index(size_name, jsonl, db, [])
        rebuild_only_db = os.path.join(self.work, f"db-{size_name}-rebuild-only")
        shutil.rmtree(rebuild_only_db, ignore_errors=True)
        log(f"indexing {size_name} with --rebuild-only")
        out["rebuild_only"] = self.build_index(size_name, jsonl, rebuild_only_db, ["--rebuild-only"])
        shutil.rmtree(rebuild_only_db, ignore_errors=True)
        return db, out

    def build_index(self, size_name, jsonl, db, flags):
        m = run_measured([self.bin["tnohaku-index"], "--db", db, "--quiet", *flags, jsonl])
        if m["rc"] != 0:
            raise BenchError(f"tnohaku-index {' '.join(flags)} exited {m['rc']} on {jsonl}: "
                             "generated records must all validate")
        n = SIZES[size_name]
        gens = [g for g in glob.glob(os.path.join(db, "gen-*")) if not g.endswith(".tmp")]
        size = sum(dir_bytes(g) for g in gens)
        cpu = m["user_s"] + m["sys_s"]
        return {"records": n, "wall_s": round(m["wall_s"], 2), "records_per_s": round(n / m["wall_s"]),
                "cpu_s": round(cpu, 2), "records_per_cpu_s": round(n / cpu) if cpu else None,
                "index_bytes": size, "bytes_per_record": round(size / n), "peak_rss_kb": m["maxrss_kb"],
                "input_bytes": os.path.getsize(jsonl), "loadavg": loadavg()}

    def start_server(self, size_name, db):
        logf = os.path.join(self.work, f"server-{size_name}.log")
        err = open(logf, "w")
        # The result cache is off: wrk cycles through the same requests, and with it on the
        # run would measure cache hits, not searching (the peer has no such cache either).
        cmd = ["taskset", "-c", SERVER_CPUS, self.bin["tnohaku-server"], "--db", db, "--host", "127.0.0.1",
               "--port", "0", "--result-cache-mb", "0"]
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        err.close()
        with open(self.pids_file, "a") as f:
            f.write(f"{p.pid}\n")
        self.server = p
        deadline = time.time() + 120
        while time.time() < deadline:
            if p.poll() is not None:
                raise BenchError(f"tnohaku-server exited {p.returncode}: {open(logf).read()[-2000:]}")
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", open(logf, errors="replace").read())
            if m:
                self.port = int(m.group(1))
                return p
            time.sleep(0.05)
        raise BenchError("tnohaku-server did not print 'listening on' within 120 s")

    def stop_server(self):
        p, self.server = self.server, None
        if p and p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()

    def wrk(self, connections, duration, accept_encoding=""):
        import report
        label = report.encoding_label({"accept_encoding": accept_encoding})
        out = os.path.join(self.work, "-".join(filter(None, ["wrk", str(connections), label])) + ".out")
        cmd = ["taskset", "-c", LOADGEN_CPU, "wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "30s",
               "-s", os.path.join(BENCH, "wrk_workload.lua")]
        if accept_encoding:
            cmd += ["-H", f"Accept-Encoding: {accept_encoding}"]
        cmd += [f"http://127.0.0.1:{self.port}", "--", self.workload_txt]
        pid = self.server.pid
        cpu0 = proc_cpu_s(pid)
        samples = []
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                try:
                    samples.append(proc_mem_kb(pid)["VmRSS"])
                except (OSError, KeyError):
                    pass
                stop.wait(0.2)

        th = threading.Thread(target=sample)
        th.start()
        m = run_measured(cmd, stdout_path=out)
        stop.set()
        th.join()
        cpu1 = proc_cpu_s(pid)
        text = open(out).read()
        js = [l for l in text.splitlines() if l.startswith("{")]
        if m["rc"] != 0 or not js:
            raise BenchError(f"wrk failed: {text[-2000:]}")
        r = json.loads(js[-1])
        secs = r["duration_us"] / 1e6
        lat = r["latency_us"]
        errors = sum(r["errors"].values())
        return {"connections": connections, "gzip": bool(accept_encoding), "accept_encoding": accept_encoding,
                "requests": r["requests"], "seconds": round(secs, 2),
                "rps": round(r["requests"] / secs, 1),
                "p50_ms": lat["p50"] / 1000, "p90_ms": lat["p90"] / 1000, "p95_ms": lat["p95"] / 1000,
                "p99_ms": lat["p99"] / 1000, "mean_ms": round(lat["mean"] / 1000, 3), "max_ms": lat["max"] / 1000,
                "errors": r["errors"], "error_count": errors,
                "mean_response_bytes": round(r["bytes"] / max(1, r["requests"])),
                "server_cpu_ms_per_request": round((cpu1 - cpu0) * 1000 / max(1, r["requests"]), 3),
                "server_cpu_util": round((cpu1 - cpu0) / secs, 2),
                "loadgen_cpu_util": round((m["user_s"] + m["sys_s"]) / secs, 2),
                "rss_max_kb": max(samples) if samples else None, "loadavg": loadavg()}

    def inproc(self, db, queries, threads=1, http_c1=None):
        out = os.path.join(self.work, f"inproc-{threads}.json")
        samples = os.path.join(self.work, f"inproc-{threads}.samples")
        cmd = ["taskset", "-c", SERVER_CPUS if threads > 1 else LOADGEN_CPU, self.bin["tnohaku-bench-query"],
               "--db", db, "--workload", self.workload_txt, "--warmup", "1", "--passes", "1",
               "--threads", str(threads), "--samples", samples]
        if queries:
            cmd += ["--queries", str(queries)]
        m = run_measured(cmd, stdout_path=out)
        if m["rc"] != 0:
            raise BenchError(f"tnohaku-bench-query failed: {open(out).read()[-2000:]}")
        r = json.loads(open(out).read())
        r["cpu_s"] = round(m["user_s"] + m["sys_s"], 2)
        r["loadavg"] = loadavg()
        if http_c1 and os.path.exists(samples):
            # The HTTP run at 1 connection answered the workload's first N requests in order:
            # the in-process latency of exactly those requests.
            lat = []
            with open(samples) as f:
                for line in f:
                    p = line.rstrip("\n").split("\t")
                    lat.append(float(p[2]) + float(p[3]))
            n = min(len(lat), http_c1["requests"])
            same = lat[:n]
            if same:
                r["same_as_http_c1"] = {"requests": n, "p50": _r(percentile(same, 50)),
                                        "p99": _r(percentile(same, 99)), "mean": _r(sum(same) / n)}
        return r

    # -- the size loop -------------------------------------------------------------------
    def run_size(self, size_name):
        a = self.args
        duration = a.duration if SIZES[size_name] < 1_000_000 else max(a.duration, a.duration_1m)
        res = self.results["sizes"].setdefault(size_name, {})
        res["duration_s"] = duration
        jsonl, gen_s = self.records(size_name)
        if gen_s:
            res["generate_s"] = round(gen_s, 1)
        db, res["index"] = self.index(size_name, jsonl)
        log(f"indexed {size_name}: {res['index']['records_per_s']} records/s, "
            f"{res['index']['index_bytes'] / 1e6:.0f} MB")

        n_check = a.check_queries if SIZES[size_name] < 1_000_000 else min(a.check_queries, a.check_queries_1m)
        self.start_server(size_name, db)
        try:
            time.sleep(0.5)
            mem = {"rest_cold_kb": proc_mem_kb(self.server.pid)["VmRSS"]}
            log(f"server up on port {self.port}; fetching {n_check} requests once (warm-up and check)")
            ours = os.path.join(self.work, f"ours-{size_name}.jsonl")
            rc = compare.fetch(argparse.Namespace(port=self.port, workload=self.workload_txt, out=ours,
                                                  limit=n_check))
            if rc != 0:
                raise BenchError(f"some requests were not answered 200 (see {ours})")
            mem["rest_warm_kb"] = proc_mem_kb(self.server.pid)["VmRSS"]
            runs = []
            for c in a.connections:
                log(f"wrk {size_name}: {c} connection(s), {duration} s")
                r = self.wrk(c, duration)
                runs.append(r)
                log(f"  {r['rps']} req/s, p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms, "
                    f"errors {r['error_count']}")
            if a.gzip_run:
                for accept in ("gzip", BROWSER_ACCEPT_ENCODING):
                    log(f"wrk {size_name}: 8 connections with Accept-Encoding: {accept}")
                    runs.append(self.wrk(8, duration, accept_encoding=accept))
            res["http"] = runs
            mem["load_max_kb"] = max((r["rss_max_kb"] or 0) for r in runs)
            mem["hwm_kb"] = proc_mem_kb(self.server.pid)["VmHWM"]
            res["memory"] = mem
        finally:
            self.stop_server()

        q = a.inproc_queries if SIZES[size_name] < 1_000_000 else min(a.inproc_queries or 10**9, a.inproc_queries_1m)
        log(f"in-process bench {size_name} ({q or 'all'} requests, 1 thread)")
        c1 = next((r for r in res.get("http", []) if r["connections"] == 1 and not r["gzip"]), None)
        if c1 and q and c1["requests"] > q:
            q = min(c1["requests"], len(compare.read_workload(self.workload_txt)))
        res["inproc"] = self.inproc(db, q, threads=1, http_c1=c1)
        if not a.quick:
            log(f"in-process bench {size_name} (2 threads)")
            res["inproc_2threads"] = self.inproc(db, q, threads=2)

        if self.pg:
            self.peer_size(size_name, jsonl, res, n_check, ours, duration)
        self.results["sizes"][size_name] = res
        self.save()
        return db

    # -- PostgreSQL ----------------------------------------------------------------------
    def peer_size(self, size_name, jsonl, res, n_check, ours, duration):
        a = self.args
        log(f"peer: loading {size_name} into PostgreSQL")
        res["peer_load"] = self.pg.load(jsonl)
        log(f"peer loaded: {res['peer_load']['rows_per_s']} rows/s, {res['peer_load']['total_bytes'] / 1e6:.0f} MB")
        self.pg.load_workload(self.workload_sql)
        peer_out = os.path.join(self.work, f"peer-{size_name}.txt")
        log(f"peer: {n_check} requests once (warm-up and check)")
        res["peer_check_s"] = round(self.pg.run_file(self.workload_sql, n_check, peer_out), 1)
        with open(os.path.join(self.work, f"diff-{size_name}.json"), "w") as f:
            subprocess.call([sys.executable, os.path.join(BENCH, "compare.py"), "diff", "--workload",
                             self.workload_txt, "--ours", ours, "--peer", peer_out], stdout=f)
        res["agreement"] = json.loads(open(os.path.join(self.work, f"diff-{size_name}.json")).read())
        runs = []
        for c in a.peer_connections:
            log(f"pgbench {size_name}: {c} connection(s), {duration} s")
            r = self.pg.pgbench(c, duration)
            runs.append(r)
            log(f"  {r['tps']} q/s, p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms")
        res["peer"] = runs

    def save(self):
        self.results["loadavg"]["end"] = loadavg()
        with open(os.path.join(self.work, "results.json"), "w") as f:
            json.dump(self.results, f, indent=1)

    # -- callgrind -----------------------------------------------------------------------
    def profile(self, db, size_name):
        q = self.args.profile_queries
        out = os.path.join(self.work, "callgrind.out")
        log(f"callgrind: {q} requests of the workload on {size_name} (after one warm-up pass)")
        cmd = ["valgrind", "--tool=callgrind", "--collect-atstart=no", f"--callgrind-out-file={out}",
               self.bin["tnohaku-bench-query"], "--db", db, "--workload", self.workload_txt, "--warmup", "1",
               "--passes", "1", "--queries", str(q), "--callgrind"]
        m = run_measured(cmd, stdout_path=os.path.join(self.work, "callgrind.log"))
        if m["rc"] != 0:
            raise BenchError("callgrind run failed: " + open(os.path.join(self.work, "callgrind.log")).read()[-2000:])
        incl = subprocess.run(["callgrind_annotate", "--inclusive=yes", out], capture_output=True, text=True).stdout
        excl = subprocess.run(["callgrind_annotate", out], capture_output=True, text=True).stdout
        total = _callgrind_total(incl)
        self.results["profile"] = {"size": size_name, "queries": q, "total_ir": total,
                                   "ir_per_request": total // q if total else None,
                                   "inclusive": _callgrind_top(incl, 45), "self": _callgrind_top(excl, 25)}

    # -- where the time goes: the same requests with fewer facets ------------------------
    ATTRIBUTION = [("all facets (as measured)", ""), ("no facets (facets=none)", "&facets=none"),
                   ("type facet only", "&facets=type"), ("area facet only", "&facets=area"),
                   ("all but area", "&facets=target_group,theme,service_class,type,channel,service_language,"
                                    "funding,organisation,national"),
                   ("all facets, facet_limit=20", "&facet_limit=20")]

    def attribution(self, db, size_name):
        """CPU time per request of the first N requests with facets switched off or on, in-process."""
        n = self.args.attribution_queries
        work = compare.read_workload(self.workload_txt)[:n]
        rows = []
        for label, suffix in self.ATTRIBUTION:
            path = os.path.join(self.work, "attribution.txt")
            with open(path, "w", encoding="utf-8") as f:
                for cat, p in work:
                    f.write(f"{cat}\t{p}{suffix}\n")
            out = os.path.join(self.work, "attribution.json")
            log(f"attribution {size_name}: {label}")
            m = run_measured(["taskset", "-c", LOADGEN_CPU, self.bin["tnohaku-bench-query"], "--db", db,
                              "--workload", path, "--warmup", "1", "--passes", "1"], stdout_path=out)
            if m["rc"] != 0:
                raise BenchError(f"tnohaku-bench-query failed: {open(out).read()[-2000:]}")
            r = json.loads(open(out).read())
            cpu = m["user_s"] + m["sys_s"]
            per_request = r.get("cpu_ms_per_request")  # the measured pass only
            if per_request is None:
                per_request = cpu * 1000 / (2 * len(work))  # older binary: warm-up + measured + start-up
            rows.append({"variant": label, "suffix": suffix, "requests": len(work),
                         "cpu_ms_per_request": round(per_request, 2),
                         "cpu_scope": "measured" if r.get("cpu_ms_per_request") is not None else "process",
                         "mean_ms": r["total"]["mean"], "p50_ms": r["total"]["p50"], "p99_ms": r["total"]["p99"],
                         "json_mean_ms": r["json"]["mean"], "mean_response_bytes": r["mean_response_bytes"]})
        self.results["attribution"] = {"size": size_name, "rows": rows}

    # -- main ----------------------------------------------------------------------------
    def main(self):
        a = self.args
        self.results["environment"] = environment()
        self.build()
        self.results["binaries"] = self.bin
        self.workload()
        if not a.no_peer:
            self.pg = Postgres(self.work, self.pids_file)
            self.pg.start()
            self.results["environment"]["postgres"] = self.pg.version
        for size_name in a.sizes:
            db = self.run_size(size_name)
            if size_name == a.profile_size:
                if not a.no_callgrind:
                    self.profile(db, size_name)
                self.attribution(db, size_name)
            if not a.keep:
                shutil.rmtree(db, ignore_errors=True)
            if size_name != a.sizes[-1]:
                self.write_report(partial=True)  # a later size may fail or be interrupted
        self.results["finished"] = _now()
        self.write_report()

    def write_report(self, partial=False):
        import report
        a = self.args
        self.results["partial"] = partial
        self.save()
        out_json = os.path.splitext(a.out)[0] + ".json"
        shutil.copy(os.path.join(self.work, "results.json"), out_json)
        with open(a.out, "w") as f:
            f.write(report.render(self.results, a))
        log(f"wrote {a.out} and {out_json}{' (partial)' if partial else ''}")

    def cleanup(self):
        self.stop_server()
        if self.pg:
            self.pg.stop()


class Postgres:
    """A throw-away PostgreSQL 15 cluster in the work folder, on a spare loopback port."""

    def __init__(self, work, pids_file):
        self.dir = os.path.join(work, "pg")
        self.pids_file = pids_file
        self.bindir = self._bindir()
        self.port = free_port()
        self.running = False
        self.as_postgres = os.geteuid() == 0

    @staticmethod
    def _bindir():
        for d in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
            if os.path.exists(os.path.join(d, "initdb")):
                return d
        raise BenchError("PostgreSQL is not installed (apt-get install postgresql), or pass --no-peer")

    def _as_pg(self, cmd):
        return (["runuser", "-u", "postgres", "--"] + cmd) if self.as_postgres else cmd

    def start(self):
        os.makedirs(self.dir, exist_ok=True)
        if self.as_postgres:
            shutil.chown(self.dir, "postgres")
        data = os.path.join(self.dir, "data")
        log(f"peer: initdb and start PostgreSQL on 127.0.0.1:{self.port}")
        subprocess.check_call(self._as_pg([os.path.join(self.bindir, "initdb"), "-D", data, "--auth=trust",
                                           "--encoding=UTF8", "--locale=C.UTF-8", "-U", "postgres"]),
                              stdout=subprocess.DEVNULL)
        opts = " ".join([
            f"-p {self.port}", "-c listen_addresses=127.0.0.1", f"-c unix_socket_directories={self.dir}",
            "-c shared_buffers=2GB", "-c work_mem=64MB", "-c maintenance_work_mem=1GB",
            "-c effective_cache_size=8GB", "-c random_page_cost=1.1", "-c jit=off", "-c fsync=off",
            "-c synchronous_commit=off", "-c full_page_writes=off", "-c max_wal_size=16GB",
            "-c checkpoint_timeout=30min", "-c autovacuum=off", "-c max_connections=100"])
        subprocess.check_call(["taskset", "-c", SERVER_CPUS] + self._as_pg(
            [os.path.join(self.bindir, "pg_ctl"), "-D", data, "-o", opts, "-l", os.path.join(self.dir, "log"),
             "-w", "-t", "120", "start"]), stdout=subprocess.DEVNULL)
        self.running = True
        with open(os.path.join(data, "postmaster.pid")) as f:
            self.pid = int(f.readline())
        with open(self.pids_file, "a") as f:
            f.write(f"pg:{data}\n")
        self.version = self.psql("SHOW server_version", db="postgres").strip()

    def stop(self):
        if self.running:
            subprocess.call(self._as_pg([os.path.join(self.bindir, "pg_ctl"), "-D", os.path.join(self.dir, "data"),
                                         "-m", "immediate", "-w", "stop"]), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
            self.running = False

    def _psql_cmd(self, db):
        return ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(self.port),
                "-U", "postgres", "-d", db]

    def psql(self, sql, db="bench", stdin=None):
        r = subprocess.run(self._psql_cmd(db) + ["-At", "-c", sql], capture_output=True, text=True, stdin=stdin)
        if r.returncode != 0:
            raise BenchError(f"psql failed: {r.stderr[-2000:]}")
        return r.stdout

    def load(self, jsonl):
        self.psql("DROP DATABASE IF EXISTS bench", db="postgres")
        self.psql("CREATE DATABASE bench", db="postgres")
        schema = subprocess.run([sys.executable, os.path.join(BENCH, "peer.py"), "schema"], capture_output=True,
                                text=True, check=True).stdout
        subprocess.run(self._psql_cmd("bench"), input=schema, text=True, check=True, stdout=subprocess.DEVNULL)
        regions = os.path.join(self.dir, "regions.txt")
        munis = os.path.join(self.dir, "munis.txt")
        subprocess.check_call([sys.executable, os.path.join(BENCH, "peer.py"), "areas", regions, munis])
        self.psql(f"\\copy bench_regions FROM '{regions}'")
        self.psql(f"\\copy bench_munis FROM '{munis}'")
        import peer
        locs = os.path.join(self.dir, "locs.txt")
        cpu0 = tree_cpu_s(self.pid)
        t = time.time()
        conv = subprocess.Popen([sys.executable, os.path.join(BENCH, "peer.py"), "rows", jsonl, locs],
                                stdout=subprocess.PIPE)
        cols = ",".join(peer.TABLE_COLUMNS)
        r = subprocess.run(self._psql_cmd("bench") + ["-c", f"\\copy records ({cols}) FROM STDIN"],
                           stdin=conv.stdout, capture_output=True, text=True)
        conv.stdout.close()
        if conv.wait() != 0 or r.returncode != 0:
            raise BenchError(f"loading the peer failed: {r.stderr[-2000:]}")
        self.psql(f"\\copy locs FROM '{locs}'")
        copy_s = time.time() - t
        indexes = subprocess.run([sys.executable, os.path.join(BENCH, "peer.py"), "indexes"], capture_output=True,
                                 text=True, check=True).stdout
        subprocess.run(self._psql_cmd("bench"), input=indexes, text=True, check=True, stdout=subprocess.DEVNULL)
        wall = time.time() - t
        cpu = tree_cpu_s(self.pid) - cpu0
        n = int(self.psql("SELECT count(*) FROM records"))
        sizes = self.psql("SELECT pg_total_relation_size('records') + pg_total_relation_size('locs'), "
                          "pg_relation_size('records_tsv'), pg_database_size('bench')").strip().split("|")
        return {"rows": n, "wall_s": round(wall, 2), "copy_s": round(copy_s, 2), "rows_per_s": round(n / wall),
                "server_cpu_s": round(cpu, 2), "total_bytes": int(sizes[0]), "tsv_index_bytes": int(sizes[1]),
                "database_bytes": int(sizes[2]), "loadavg": loadavg()}

    def load_workload(self, sql_path):
        rows = os.path.join(self.dir, "queries.txt")
        with open(sql_path, encoding="utf-8") as f, open(rows, "w", encoding="utf-8") as out:
            for i, line in enumerate(f):
                s = line.strip().rstrip(";")
                out.write(f"{i}\t{s.replace(chr(92), chr(92) * 2)}\n")
        self.psql("TRUNCATE bench_queries")
        self.psql(f"\\copy bench_queries FROM '{rows}'")
        # The request count as a constant: pgbench's nextval() cycles through the list.
        self.psql("CREATE OR REPLACE FUNCTION bench_run(n bigint) RETURNS json LANGUAGE plpgsql AS $$ "
                  "DECLARE s text; r json; BEGIN "
                  f"SELECT sql INTO s FROM bench_queries WHERE i = (n - 1) % {i + 1}; "
                  "EXECUTE s INTO r; RETURN r; END $$")

    def run_file(self, sql_path, n, out_path):
        part = os.path.join(self.dir, "check.sql")
        with open(sql_path, encoding="utf-8") as f, open(part, "w", encoding="utf-8") as out:
            out.write("SET client_min_messages = warning;\n")
            for i, line in enumerate(f):
                if i >= n:
                    break
                out.write(line)
        t = time.time()
        with open(out_path, "w") as out:
            r = subprocess.run(self._psql_cmd("bench") + ["-At", "-f", part], stdout=out, stderr=subprocess.PIPE,
                               text=True)
        if r.returncode != 0:
            raise BenchError(f"the peer's SQL failed: {r.stderr[-2000:]}")
        return time.time() - t

    def pgbench(self, clients, duration):
        script = os.path.join(self.dir, "bench.sql")
        with open(script, "w") as f:
            f.write("SELECT bench_run(nextval('bench_seq'));\n")
        logdir = os.path.join(self.dir, f"pgbench-{clients}")
        shutil.rmtree(logdir, ignore_errors=True)
        os.makedirs(logdir)
        self.psql("SELECT setval('bench_seq', 1, false)")
        cpu0 = tree_cpu_s(self.pid)
        cmd = ["taskset", "-c", LOADGEN_CPU, os.path.join(self.bindir, "pgbench"), "-n", "-h", "127.0.0.1",
               "-p", str(self.port), "-U", "postgres", "-c", str(clients), "-j", "1", "-T", str(duration),
               "-f", script, "-l", "--log-prefix", os.path.join(logdir, "tx"), "bench"]
        out = os.path.join(logdir, "stdout")
        m = run_measured(cmd, stdout_path=out)
        time.sleep(0.5)  # backends exit and are reaped: their CPU moves to the postmaster's
        cpu = tree_cpu_s(self.pid) - cpu0
        text = open(out).read()
        if m["rc"] != 0:
            raise BenchError(f"pgbench failed: {text[-2000:]}")
        lat = []
        first = last = None
        for path in glob.glob(os.path.join(logdir, "tx*")):
            with open(path) as f:
                for line in f:
                    p = line.split()
                    if len(p) >= 6:
                        lat.append(int(p[2]) / 1000)
                        end = int(p[4]) + int(p[5]) / 1e6
                        first = end if first is None else min(first, end)
                        last = end if last is None else max(last, end)
        tps = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", text)
        n = len(lat)
        return {"connections": clients, "transactions": n, "seconds": duration,
                "tps": round(float(tps.group(1)), 2) if tps else round(n / duration, 2),
                "p50_ms": _r(percentile(lat, 50)), "p95_ms": _r(percentile(lat, 95)),
                "p99_ms": _r(percentile(lat, 99)), "mean_ms": _r(sum(lat) / n if n else None),
                "max_ms": _r(max(lat) if lat else None),
                "server_cpu_ms_per_query": round(cpu * 1000 / max(1, n), 2),
                "server_cpu_util": round(cpu / duration, 2),
                "loadgen_cpu_util": round((m["user_s"] + m["sys_s"]) / duration, 2), "loadavg": loadavg()}


def _r(x, nd=3):
    return None if x is None else round(x, nd)


def _now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def _callgrind_total(text):
    m = re.search(r"^([\d,]+) \([^)]*\)\s+PROGRAM TOTALS", text, re.M)
    return int(m.group(1).replace(",", "")) if m else None


def _callgrind_top(text, n):
    out = []
    started = False
    for line in text.splitlines():
        if "file:function" in line:
            started = True
            continue
        if not started:
            continue
        m = re.match(r"^\s*([\d,]+) \(\s*([\d.]+)%\)\s+(.*)$", line)
        if not m:
            if out and not line.strip():
                break
            continue
        fn = m.group(3)
        obj = re.search(r"\[([^\]]*)\]\s*$", fn)
        fn = re.sub(r"\s*\[[^\]]*\]\s*$", "", fn)  # the object file
        fn = re.sub(r"^[^:]*:", "", fn, count=1) if ":" in fn.split("(")[0] else fn
        if re.fullmatch(r"0x[0-9a-f]+('\d+)?", fn) and obj:
            fn = f"{os.path.basename(obj.group(1))} {fn} (no symbol)"
        if _WRAPPER.search(fn):
            continue
        out.append({"ir": int(m.group(1).replace(",", "")), "pct": float(m.group(2)), "function": _short(fn)})
        if len(out) >= n:
            break
    return out


# Frames above the measured loop (process start, main, the bench's lambdas).
_WRAPPER = re.compile(r"__libc_start|below main|^main$|^main::|ld-linux|^0x0000000000001ab70|_dl_")


def _short(fn):
    """A readable C++ name: template and std::function arguments elided."""
    fn = fn.replace("std::__cxx11::", "std::").replace("[abi:cxx11]", "")
    fn = re.sub(r"std::basic_string<char, std::char_traits<char>, std::allocator<char> >", "std::string", fn)
    # elide the contents of <...> nested deeper than one level
    out, depth = [], 0
    for ch in fn:
        if ch == "<":
            depth += 1
            if depth == 1:
                out.append("<")
            elif depth == 2:
                out.append("…")
            continue
        if ch == ">":
            depth -= 1
            if depth == 0:
                out.append(">")
            continue
        if depth <= 1:
            out.append(ch)
    fn = "".join(out)
    return fn[:160] + ("…" if len(fn) > 160 else "")


def environment():
    env = {"host_cpus": os.cpu_count(), "python": platform.python_version(), "kernel": platform.release()}
    try:
        with open("/proc/cpuinfo") as f:
            env["cpu"] = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "")
        with open("/proc/meminfo") as f:
            env["mem_gib"] = round(int(f.readline().split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    def cmd(c):
        try:
            return subprocess.run(c, capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return ""
    env["git"] = cmd(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"])
    env["git_dirty_files"] = len(cmd(["git", "-C", ROOT, "status", "--porcelain"]).splitlines())
    env["xapian"] = cmd(["pkg-config", "--modversion", "xapian-core"])
    env["wrk"] = cmd(["dpkg-query", "-W", "-f=${Version}", "wrk"])
    env["valgrind"] = cmd(["valgrind", "--version"])
    return env


def parse_args(argv):
    ap = argparse.ArgumentParser(prog="bench/run.sh", description="tnohaku benchmarks → bench/RESULTS.md")
    ap.add_argument("--quick", action="store_true", help="10k records, 5 s runs, small samples (~1-2 minutes)")
    ap.add_argument("--sizes", help="comma list of 10k,100k,1M (default: all; --quick: 10k)")
    ap.add_argument("--duration", type=int, help="seconds per wrk/pgbench run (default 20; --quick 5)")
    ap.add_argument("--connections", default="1,8,64", help="wrk connection counts")
    ap.add_argument("--peer-connections", default="1,8", help="pgbench connection counts")
    ap.add_argument("--workload-size", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1, help="gen_records.py seed")
    ap.add_argument("--check-queries", type=int, help="requests fetched once from both (default 1000; --quick 300)")
    ap.add_argument("--check-queries-1m", type=int, default=300, help="the same at 1M")
    ap.add_argument("--inproc-queries", type=int, help="in-process requests (default 1000; --quick 300)")
    ap.add_argument("--inproc-queries-1m", type=int, default=300)
    ap.add_argument("--duration-1m", type=int, default=40, help="seconds per run at 1M (few requests fit in 20 s)")
    ap.add_argument("--profile-size", help="size profiled with callgrind (default 100k; --quick 10k)")
    ap.add_argument("--profile-queries", type=int, help="requests profiled (default 60; --quick 20)")
    ap.add_argument("--attribution-queries", type=int, help="requests of the facet attribution (default 300; "
                    "--quick 100)")
    ap.add_argument("--render", metavar="RESULTS.json", help="only re-render the report from saved figures")
    ap.add_argument("--attribution-only", metavar="DB", help="(with --render) run the facet attribution on this "
                    "index, add it to the figures and re-render")
    ap.add_argument("--no-peer", action="store_true", help="skip PostgreSQL")
    ap.add_argument("--no-callgrind", action="store_true")
    ap.add_argument("--no-gzip-run", dest="gzip_run", action="store_false")
    ap.add_argument("--build-dir", default="/tmp/build-bench")
    ap.add_argument("--bin-dir", help="use these binaries instead of building")
    ap.add_argument("--cache-dir", help="keep generated records here and reuse them")
    ap.add_argument("--workdir", required=True, help="temporary folder (bench/run.sh makes and removes it)")
    ap.add_argument("--keep", action="store_true", help="keep the indexes (bench/run.sh keeps the work folder)")
    ap.add_argument("--out", help="default bench/RESULTS.md (--quick: bench/RESULTS-quick.md)")
    a = ap.parse_args(argv)
    q = a.quick
    a.sizes = (a.sizes or ("10k" if q else "10k,100k,1M")).split(",")
    for s in a.sizes:
        if s not in SIZES:
            ap.error(f"unknown size {s}")
    a.duration = a.duration or (5 if q else 20)
    a.connections = [int(x) for x in a.connections.split(",")]
    a.peer_connections = [int(x) for x in a.peer_connections.split(",")]
    a.check_queries = a.check_queries or (300 if q else min(1000, a.workload_size))
    a.inproc_queries = a.inproc_queries if a.inproc_queries is not None else (300 if q else 1000)
    a.profile_size = a.profile_size or ("10k" if q else ("100k" if "100k" in a.sizes else a.sizes[0]))
    if a.profile_size not in a.sizes:
        a.profile_size = a.sizes[0]
    a.profile_queries = a.profile_queries or (20 if q else 60)
    a.attribution_queries = a.attribution_queries or (100 if q else 300)
    if q and a.gzip_run:
        a.gzip_run = False
    a.out = a.out or os.path.join(BENCH, "RESULTS-quick.md" if q else "RESULTS.md")
    return a


def render_only(args):
    import report
    with open(args.render) as f:
        results = json.load(f)
    if args.attribution_only:
        h = Harness(args)
        h.results = results
        h.build()
        h.workload()
        h.attribution(args.attribution_only, results.get("profile", {}).get("size", "?"))
        with open(args.render, "w") as f:
            json.dump(h.results, f, indent=1)
    with open(args.out, "w") as f:
        f.write(report.render(results, args))
    log(f"wrote {args.out}")
    return 0


def main():
    args = parse_args(sys.argv[1:])
    if args.render:
        try:
            return render_only(args)
        except BenchError as e:
            log(f"FAILED: {e}")
            return 1
    h = Harness(args)

    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    try:
        h.main()
    except BenchError as e:
        log(f"FAILED: {e}")
        return 1
    except KeyboardInterrupt as e:
        log(f"interrupted ({e})")
        return 130
    finally:
        h.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
