#!/usr/bin/env python3
"""Answers of tnohaku and of the PostgreSQL peer to the same workload, side by side.

    bench/compare.py fetch --port N --workload workload.txt --out ours.jsonl [--limit N]
        every request once over one keep-alive connection: status, total, facet counts
        (per line; also checks that every answer is HTTP 200 with JSON)
    bench/compare.py diff --workload workload.txt --ours ours.jsonl --peer peer.txt
        peer.txt is psql -At output of workload.sql (one JSON a line). For requests
        without text (browse, and geo without q) both must agree exactly: the same total
        and the same count for every facet value (text matching differs by design:
        Voikko vs Snowball). Prints a JSON summary.
"""
import argparse
import http.client
import json
import sys
import time


def flatten_ours(doc):
    facets = {}
    for name, values in (doc.get("facets") or {}).items():
        out = {}
        for v in values:
            if v.get("count", 0) > 0:
                out[v["code"]] = v["count"]
            for c in v.get("children", []) or []:
                if c.get("count", 0) > 0:
                    out[v["code"] + "/" + c["code"]] = c["count"]
        facets[name] = out
    return {"total": doc.get("total"), "facets": facets, "hits": len(doc.get("hits") or [])}


def flatten_peer(doc):
    facets = {}
    for name, values in (doc.get("facets") or {}).items():
        facets[name] = {k: v for k, v in (values or {}).items() if v > 0}
    return {"total": doc.get("total"), "facets": facets, "hits": len(doc.get("hits") or [])}


def read_workload(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line:
                cat, p = line.split("\t", 1)
                out.append((cat, p))
    return out


def fetch(args):
    work = read_workload(args.workload)
    if args.limit:
        work = work[:args.limit]
    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=120)
    bad = 0
    t0 = time.time()
    with open(args.out, "w", encoding="utf-8") as out:
        for i, (cat, path) in enumerate(work):
            conn.request("GET", path)
            resp = conn.getresponse()
            body = resp.read()
            rec = {"i": i, "cat": cat, "status": resp.status}
            if resp.status == 200:
                try:
                    rec.update(flatten_ours(json.loads(body)))
                except ValueError:
                    rec["status"] = -1
            if rec["status"] != 200:
                bad += 1
                rec["body"] = body[:300].decode("utf-8", "replace")
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    summary = {"requests": len(work), "not_ok": bad, "seconds": round(time.time() - t0, 2)}
    print(json.dumps(summary))
    return 0 if bad == 0 else 1


def diff(args):
    work = read_workload(args.workload)
    ours = [json.loads(l) for l in open(args.ours, encoding="utf-8")]
    peer = [flatten_peer(json.loads(l)) for l in open(args.peer, encoding="utf-8") if l.strip()]
    n = min(len(ours), len(peer))
    checked = agree = 0
    zero_ours = zero_peer = 0
    text_total_ratio = []
    mismatches = []
    for i in range(n):
        o, p = ours[i], peer[i]
        if o.get("status") != 200:
            continue
        zero_ours += o["total"] == 0
        zero_peer += p["total"] == 0
        path = work[i][1]
        has_text = "q=" in path
        if has_text:
            if o["total"] and p["total"]:
                text_total_ratio.append(p["total"] / o["total"])
            continue
        checked += 1
        same = o["total"] == p["total"]
        bad_facets = []
        for name, counts in o["facets"].items():
            if counts != p["facets"].get(name, {}):
                same = False
                keys = set(counts) | set(p["facets"].get(name, {}))
                diffs = [(k, counts.get(k), p["facets"].get(name, {}).get(k)) for k in sorted(keys)
                         if counts.get(k) != p["facets"].get(name, {}).get(k)]
                bad_facets.append({"facet": name, "first": diffs[:3], "n": len(diffs)})
        if same:
            agree += 1
        elif len(mismatches) < 5:
            mismatches.append({"i": i, "path": path, "total": [o["total"], p["total"]], "facets": bad_facets})
    text_total_ratio.sort()
    med = text_total_ratio[len(text_total_ratio) // 2] if text_total_ratio else None
    summary = {"compared": n, "exact_checked": checked, "exact_agree": agree,
               "zero_hits_ours": zero_ours, "zero_hits_peer": zero_peer,
               "text_total_ratio_peer_over_ours_median": round(med, 3) if med else None,
               "mismatches": mismatches}
    print(json.dumps(summary, ensure_ascii=False))
    return 0 if agree == checked else 1


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("fetch")
    f.add_argument("--port", type=int, required=True)
    f.add_argument("--workload", required=True)
    f.add_argument("--out", required=True)
    f.add_argument("--limit", type=int, default=0)
    d = sub.add_parser("diff")
    d.add_argument("--workload", required=True)
    d.add_argument("--ours", required=True)
    d.add_argument("--peer", required=True)
    args = ap.parse_args()
    sys.exit(fetch(args) if args.cmd == "fetch" else diff(args))


if __name__ == "__main__":
    main()
