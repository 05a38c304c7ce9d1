#!/usr/bin/env python3
"""Deterministic query workload for the benchmarks (stdlib only).

    bench/gen_workload.py [--count 2000] [--seed 7] --out DIR
writes
    DIR/workload.txt  one request a line: CATEGORY <TAB> /v1/search?QUERY-STRING
    DIR/workload.sql  the same requests as SQL for the PostgreSQL peer, line for line
                      (bench/peer.py; one statement a line, answering one JSON value)

The workload does not depend on the number of records: 10k, 100k and 1M run the same
requests, so latencies compare across sizes. Every request counts all facets (the
server's default) with the default page of 10 hits. Categories:

  word      one word: typical guidance searches in base and inflected forms
            ("nuorille", "työpajaan", "maahanmuuttajien") and words drawn from the real
            records' names and summaries by frequency
  words     2-4 words: a run of content words from a real name or summary, so that
            every word together finds something
  prefix    as-you-type: a word cut after 2-6 letters, alone or after a full word
  browse    no text, 1-3 filters (a few with none: "everything")
  geo       near=<a municipality centre> with radius 10/25/50 km, often sort=distance,
            half with a word
  sv        Swedish words with lang=sv

Text requests carry 0-3 filters (region, municipality by population; target group,
theme, service class by the real records' frequencies; type, channel, service language,
funding), sometimes national=exclude or status=active.
"""
import argparse
import os
import random
import re
import urllib.parse
from collections import Counter

import benchlib as bl
import peer

# Typical searches of a guidance map, base forms with the inflections people type.
TYPICAL_FI = [
    "nuoret", "nuorille", "nuorten", "nuoria", "työ", "työtä", "töihin", "työpaja", "työpajaan",
    "työpajat", "ohjaus", "ohjausta", "ohjaukseen", "opinto-ohjaus", "uraohjaus", "uraohjausta",
    "ohjaamo", "ohjaamoon", "ohjaamot", "maahanmuuttajat", "maahanmuuttajille",
    "maahanmuuttajien", "kotoutuminen", "kotoutumista", "työllisyyspalvelut",
    "työllisyyspalveluihin", "te-palvelut", "te-toimisto", "työnhaku", "työnhakijoille",
    "koulutus", "koulutukseen", "koulutusta", "opiskelu", "opiskelijoille", "opiskelijat",
    "työttömät", "työttömille", "yrittäjä", "yrittäjille", "yrittäjyys", "kuntoutus",
    "kuntoutukseen", "neuvonta", "neuvontaa", "osaaminen", "osaamisen tunnistaminen",
    "jatkuva oppiminen", "etsivä nuorisotyö", "nuorisotyö", "mielenterveys", "kirjasto",
    "kirjastoon", "kielikurssi", "suomen kieli", "aikuiskoulutus", "oppisopimus",
    "palkkatuki", "starttiraha", "harrastukset", "asuminen", "päihdepalvelut", "esr",
]
TYPICAL_SV = ["vägledning", "unga", "ungdomar", "arbete", "utbildning", "invandrare",
              "sysselsättning", "studiehandledning", "karriär", "arbetssökande", "integration",
              "tjänster", "företagare", "bibliotek"]
STOP = set("""ja tai sekä on ei että joka jotka jossa kun kuin mutta myös niin se ne sen
niiden hän he me te ovat oli olla voi voit voidaan kaikki muun muut muiden tämä tämän
nämä tähän siitä siinä sitä sekä eli esim mm jne ym the and for of to in on at with
och att det som en ett är för på med av till den de om har kan eller""".split())

FILTER_KINDS = [("region", 3), ("municipality", 2), ("target_group", 3), ("theme", 2),
                ("service_class", 1), ("type", 2), ("channel", 1), ("service_language", 1),
                ("funding", 1)]


class Workload:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.vocab = bl.Vocab()
        self.pools = bl.Pools()
        self.munis = bl.municipalities(self.vocab)
        # Word frequencies of the real Finnish names and summaries.
        counts = Counter()
        texts = self.pools.names["fi"] + self.pools.summaries["fi"]
        for t in texts:
            for w in bl.words(t):
                w = w.lower()
                if len(w) >= 4 and w not in STOP and not any(ch.isdigit() for ch in w):
                    counts[w] += 1
        common = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3000]
        self.corpus_words = [w for w, _ in common]
        self.corpus_weights = [c ** 0.7 for _, c in common]
        sv_counts = Counter()
        for t in self.pools.names["sv"] + self.pools.summaries["sv"]:
            for w in bl.words(t):
                w = w.lower()
                if len(w) >= 4 and w not in STOP and not any(ch.isdigit() for ch in w):
                    sv_counts[w] += 1
        self.sv_words = sorted(sv_counts)
        self.texts = texts
        cc = self.pools.code_counts
        self.tg = (self.vocab.codes["target_groups"],
                   [cc["target_groups"].get(c, 0) + 1 for c in self.vocab.codes["target_groups"]])
        self.themes = (self.vocab.codes["themes"],
                       [cc["themes"].get(c, 0) + 1 for c in self.vocab.codes["themes"]])
        sc = self.vocab.codes["service_classes"]
        self.sc = (sc, [cc["service_classes"].get(c, 0) + 0.3 for c in sc])
        regions = self.vocab.codes["regions"]
        pop = Counter()
        for m in self.munis:
            pop[m.region] += m.population
        self.regions = (regions, [pop[r] or 1 for r in regions])

    def pick(self, pair):
        return self.rng.choices(pair[0], weights=pair[1])[0]

    def muni(self):
        return self.rng.choices(self.munis, weights=[m.population for m in self.munis])[0]

    def word(self):
        if self.rng.random() < 0.5:
            return self.rng.choice(TYPICAL_FI)
        return self.rng.choices(self.corpus_words, weights=self.corpus_weights)[0]

    def phrase(self):
        for _ in range(20):
            t = self.rng.choice(self.texts)
            ws = [w.lower() for w in bl.words(t) if len(w) >= 3 and w.lower() not in STOP
                  and not any(ch.isdigit() for ch in w)]
            if len(ws) >= 2:
                k = min(len(ws), self.rng.choice([2, 2, 2, 3, 3, 4]))
                i = self.rng.randint(0, len(ws) - k)
                return " ".join(ws[i:i + k])
        return self.word()

    def prefix(self):
        w = self.rng.choice(TYPICAL_FI) if self.rng.random() < 0.5 else self.word()
        w = w.split()[-1] if " " in w else w
        cut = min(len(w) - 1, self.rng.randint(2, 6))
        p = w[:max(2, cut)]
        if self.rng.random() < 0.3:
            return self.word().split()[0] + " " + p
        return p

    def filters(self, n):
        out = []
        kinds = [k for k, _ in FILTER_KINDS]
        weights = [w for _, w in FILTER_KINDS]
        chosen = []
        while len(chosen) < n:
            k = self.rng.choices(kinds, weights=weights)[0]
            if k not in chosen and not (k in ("region", "municipality") and
                                        ({"region", "municipality"} & set(chosen))):
                chosen.append(k)
        for k in chosen:
            if k == "region":
                v = self.pick(self.regions)
            elif k == "municipality":
                v = self.muni().code
            elif k == "target_group":
                v = self.pick(self.tg)
            elif k == "theme":
                v = self.pick(self.themes)
            elif k == "service_class":
                v = self.pick(self.sc)
            elif k == "type":
                v = self.rng.choices(["service", "project", "network", "programme"], [5, 3, 1, 1])[0]
            elif k == "channel":
                v = self.rng.choice(["face-to-face", "phone", "online", "chat", "outreach"])
            elif k == "service_language":
                v = self.rng.choice(["sv", "sv", "en", "fi-plain", "ru", "ar"])
            else:
                v = self.rng.choice(["esr-plus", "esr-plus", "okm", "tem", "eu", "jtf", "municipality"])
            out.append((k, v))
        if self.rng.random() < 0.05:
            out.append(("national", "exclude"))
        if self.rng.random() < 0.1:
            out.append(("status", "active"))
        return out

    def n_filters(self):
        return self.rng.choices([0, 1, 2, 3], weights=[45, 30, 17, 8])[0]

    def request(self):
        rng = self.rng
        cat = rng.choices(["word", "words", "prefix", "browse", "geo", "sv"],
                          weights=[30, 20, 20, 15, 10, 5])[0]
        params = []
        if cat == "word":
            params.append(("q", self.word()))
            params += self.filters(self.n_filters())
        elif cat == "words":
            params.append(("q", self.phrase()))
            params += self.filters(self.n_filters())
        elif cat == "prefix":
            params.append(("q", self.prefix()))
            params += self.filters(rng.choices([0, 1], weights=[70, 30])[0])
        elif cat == "browse":
            params += self.filters(rng.choices([0, 1, 2, 3], weights=[5, 50, 30, 15])[0])
        elif cat == "geo":
            m = self.muni()
            lat = round(m.lat + rng.uniform(-0.05, 0.05), 4)
            lon = round(m.lon + rng.uniform(-0.1, 0.1), 4)
            if rng.random() < 0.5:
                params.append(("q", self.word()))
            params.append(("near", f"{lat},{lon}"))
            params.append(("radius_km", str(rng.choice([10, 25, 50]))))
            if rng.random() < 0.6:
                params.append(("sort", "distance"))
            params += self.filters(rng.choices([0, 1], weights=[70, 30])[0])
        else:
            w = rng.choice(TYPICAL_SV) if rng.random() < 0.6 else rng.choice(self.sv_words)
            if rng.random() < 0.3:
                w += " " + rng.choice(self.sv_words)
            params.append(("q", w))
            params.append(("lang", "sv"))
            params += self.filters(rng.choices([0, 1], weights=[60, 40])[0])
        return cat, params


def to_path(params):
    return "/v1/search?" + "&".join(f"{k}={urllib.parse.quote(v, safe=',')}" for k, v in params)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", required=True, help="output folder")
    args = ap.parse_args()
    wl = Workload(args.seed)
    mapper = peer.SqlMapper(wl.vocab)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "workload.txt"), "w", encoding="utf-8") as txt, \
            open(os.path.join(args.out, "workload.sql"), "w", encoding="utf-8") as sql:
        for _ in range(args.count):
            cat, params = wl.request()
            path = to_path(params)
            txt.write(f"{cat}\t{path}\n")
            sql.write(mapper.sql(urllib.parse.parse_qsl(path.split("?", 1)[1])) + ";\n")


if __name__ == "__main__":
    main()
