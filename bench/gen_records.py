#!/usr/bin/env python3
"""Deterministic generator of realistic tnohaku records for benchmarks (stdlib only).

    bench/gen_records.py --count 100000 [--seed 1] [--out FILE]   (default: stdout)

Every record validates against schema/record.schema.json and the rules of
core/validate.cpp (bench/smoke.sh and bench/run.sh check it: tnohaku-index exits 0).

What the records are made of (see bench/benchlib.py):
- Finnish text: real service names, summaries and description sentences from
  corpus/*.jsonl and data/ptv-export/services.jsonl; a local record's name often carries
  its municipality ("Ohjaamo Oulu", "Nuorten työpaja, Kajaani"). Swedish text (from the
  Swedish records of corpus/ and data/ptv-json) is likely in Ostrobothnia, Uusimaa,
  Southwest Finland and nationally, and the only language on Åland; English is rare.
- areas: 12 % national, 13 % whole regions, 75 % municipalities; municipalities are
  drawn by approximate population (benchlib.LARGE_MUNICIPALITIES for the ~40 largest,
  an equal share of the rest for the others), sometimes with neighbours of the same
  region; a few records (--overlap) declare a region and one of its municipalities.
- codes (target groups, themes, service classes, channels, funding): the frequencies
  seen in the real records, smoothed so that every vocabulary code occurs.
- locations: 0–3 points near the municipality centre (approximate centres for the large
  municipalities, region centroids plus a fixed offset for the others).
- periods: services mostly permanent; projects 1–3.5 years between 2018 and 2028,
  some written as YYYY or YYYY-MM.
"""
import argparse
import bisect
import json
import random
import sys

import benchlib as bl

TYPES = (["service", "project", "network", "programme"], [0.65, 0.25, 0.05, 0.05])
STREETS = ["Kauppakatu", "Koulukatu", "Asemakatu", "Rantatie", "Kirkkokatu", "Torikatu",
           "Puistokatu", "Isokatu", "Hallituskatu", "Keskuskatu", "Rautatienkatu", "Opintie",
           "Satamakatu", "Kirjastokatu", "Urheilutie", "Teollisuustie"]
ORG_PATTERNS_FI = ["Ohjaamo {m}", "Työllisyyspalvelut {m}", "Kansalaisopisto {m}",
                   "Nuorisopalvelut {m}", "Kirjasto {m}", "Aikuislukio {m}",
                   "Kotoutumispalvelut {m}", "Oppilaanohjaus {m}", "Etsivä nuorisotyö {m}"]
NAME_SUFFIX_FI = ["{n} {m}", "{n}, {m}", "{n} – {m}", "{m}: {n}"]
HOURS_FI = ["ma–pe klo 8–16", "ma–to klo 9–16, pe klo 9–14", "ti ja to klo 12–18",
            "ajanvarauksella", "ma–pe klo 10–15, kesällä suljettu", "avoinna arkisin klo 9–15"]
HOURS_SV = ["mån–fre kl. 8–16", "tis och tors kl. 12–18", "enligt överenskommelse"]
SV_REGIONS = {"15": 0.7, "01": 0.25, "02": 0.2, "16": 0.2}  # share of records with Swedish text
CHARGE = (["free", "chargeable", "unknown"], [0.78, 0.07, 0.15])
OTHER_LANGS = ["ru", "et", "ar", "so", "uk", "fa", "fi-plain", "se"]
PROJECT_FUNDING = ["esr-plus", "jtf", "okm", "tem", "ely", "rrf", "oph", "jotpa", "erasmus-plus",
                   "municipality", "foundation"]
SERVICE_FUNDING = ["municipality", "wellbeing-county", "state", "own"]


class Picker:
    """Weighted choice from precomputed cumulative weights."""

    def __init__(self, items, weights):
        self.items, self.cum, total = list(items), [], 0.0
        for w in weights:
            total += w
            self.cum.append(total)
        self.total = total

    def __call__(self, rng):
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]

    def several(self, rng, n):
        out = []
        for _ in range(n * 4):
            if len(out) >= n:
                break
            x = self(rng)
            if x not in out:
                out.append(x)
        return out


class Generator:
    def __init__(self, seed, overlap=0.015):
        self.rng = random.Random(seed)
        self.overlap = overlap
        self.vocab = bl.Vocab()
        self.pools = bl.Pools()
        self.munis = bl.municipalities(self.vocab)
        self.by_region = {}
        for m in self.munis:
            self.by_region.setdefault(m.region, []).append(m)
        self.muni_pick = Picker(self.munis, [m.population for m in self.munis])
        regions = self.vocab.codes["regions"]
        region_pop = {r: sum(m.population for m in self.by_region.get(r, [])) for r in regions}
        self.region_pick = Picker(regions, [region_pop[r] or 1 for r in regions])
        self.region_muni_pick = {r: Picker(ms, [m.population for m in ms]) for r, ms in self.by_region.items()}
        cc = self.pools.code_counts
        v = self.vocab
        self.tg_pick = Picker(*self._weights("target_groups", cc["target_groups"], v.codes["target_groups"], 0.6))
        self.theme_pick = Picker(*self._weights("themes", cc["themes"], v.leaves("themes"), 0.8))
        self.sc_pick = Picker(*self._weights("service_classes", cc["service_classes"], v.codes["service_classes"], 0.15))
        self.channel_pick = Picker(["face-to-face", "phone", "online", "chat", "outreach"], [5, 3, 5, 1, 1])
        self.type_pick = Picker(*TYPES)
        self.charge_pick = Picker(*CHARGE)
        self.org_national = [(oid, name) for oid, name in self.pools.orgs]
        self.sv_names = self.pools.names["sv"] + [
            "Vägledning för " + v.labels["target_groups"][c].get("sv", "").lower()
            for c in v.codes["target_groups"] if v.labels["target_groups"][c].get("sv")]

    @staticmethod
    def _weights(field, counts, codes, smoothing):
        return codes, [counts.get(c, 0) + smoothing for c in codes]

    # -- pieces -------------------------------------------------------------------------
    def area(self):
        rng = self.rng
        u = rng.random()
        if u < 0.12:
            return {"national": True}, None
        if u < 0.25:
            regions = [self.region_pick(rng)]
            if rng.random() < 0.1:
                r2 = self.region_pick(rng)
                if r2 not in regions:
                    regions.append(r2)
            area = {"regions": sorted(regions)}
            primary = self.region_muni_pick[regions[0]](rng)
            if rng.random() < self.overlap:  # a region and one of its municipalities
                area["municipalities"] = [primary.code]
            return area, primary
        m = self.muni_pick(rng)
        codes = [m.code]
        if rng.random() < 0.3:
            for n in rng.sample(self.by_region[m.region], min(len(self.by_region[m.region]), rng.randint(1, 5))):
                if n.code not in codes:
                    codes.append(n.code)
        return {"municipalities": sorted(codes)}, m

    def point(self, m):
        rng = self.rng
        lat = min(bl.LAT_MAX, max(bl.LAT_MIN, rng.gauss(m.lat, 0.035)))
        lon = min(bl.LON_MAX, max(bl.LON_MIN, rng.gauss(m.lon, 0.07)))
        return round(lat, 5), round(lon, 5)

    def locations(self, m, national):
        rng = self.rng
        u = rng.random()
        if m is None:
            if not national or u < 0.9:
                return []
            m = self.muni_pick(rng)
        if u < 0.25:
            return []
        n = 1 if u < 0.85 else rng.randint(2, 3)
        out = []
        for i in range(n):
            lat, lon = self.point(m)
            loc = {"name": rng.choice(ORG_PATTERNS_FI).format(m=m.fi),
                   "address": f"{rng.choice(STREETS)} {rng.randint(1, 60)}",
                   "postal_code": f"{(bl.stable_hash(m.code) % 980 + 10) * 100 + rng.randint(0, 99):05d}",
                   "municipality": m.code, "lat": lat, "lon": lon}
            out.append(loc)
        return out

    def date(self, y0, y1):
        rng = self.rng
        y, mo = rng.randint(y0, y1), rng.randint(1, 12)
        d = rng.randint(1, 28)
        return y, mo, d

    def period(self, rtype):
        rng = self.rng
        if rtype == "service":
            if rng.random() < 0.85:
                return None
            y, mo, d = self.date(2012, 2024)
            return {"start": f"{y}-{mo:02d}-{d:02d}"}
        if rtype in ("network", "programme") and rng.random() < 0.5:
            return None
        y, mo, d = self.date(2018, 2026)
        months = rng.randint(12, 42)
        ey, em = y + (mo - 1 + months) // 12, (mo - 1 + months) % 12 + 1
        fmt = rng.random()
        if fmt < 0.1:
            return {"start": f"{y}", "end": f"{ey}"}
        if fmt < 0.2:
            return {"start": f"{y}-{mo:02d}", "end": f"{ey}-{em:02d}"}
        return {"start": f"{y}-{mo:02d}-{d:02d}", "end": f"{ey}-{em:02d}-{min(d, 28):02d}"}

    def text(self, lang, n_min, n_max):
        pool = self.pools.sentences[lang]
        return " ".join(self.rng.choice(pool) for _ in range(self.rng.randint(n_min, n_max)))

    # -- a record -----------------------------------------------------------------------
    def record(self, i):
        rng, v = self.rng, self.vocab
        rtype = self.type_pick(rng)
        area, m = self.area()
        national = bool(area.get("national"))
        region = m.region if m else ""
        sv_share = 0.2 if national else SV_REGIONS.get(region, 0.03)
        only_sv = region == "21"
        has_sv = only_sv or rng.random() < sv_share
        has_en = rng.random() < (0.12 if national else 0.04)
        has_fi = not only_sv

        r = {"id": f"gen-{i:07d}", "type": rtype}
        name, summary, desc = {}, {}, {}
        long_text = rng.random() < (0.75 if rtype != "service" else 0.5)
        if has_fi:
            base = rng.choice(self.pools.names["fi"])
            if m and rng.random() < 0.5:
                base = rng.choice(NAME_SUFFIX_FI).format(n=base, m=m.fi)
            name["fi"] = base[:300]
            summary["fi"] = rng.choice(self.pools.summaries["fi"])
            if rng.random() < 0.3:
                summary["fi"] += " " + rng.choice(self.pools.sentences["fi"])
            if long_text:
                desc["fi"] = self.text("fi", 2, 8)
        if has_sv:
            base = rng.choice(self.sv_names)
            if m and rng.random() < 0.5:
                base = f"{base}, {m.sv}"
            name["sv"] = base[:300]
            summary["sv"] = rng.choice(self.pools.summaries["sv"])
            if long_text or only_sv:
                desc["sv"] = self.text("sv", 2, 6)
        if has_en:
            name["en"] = rng.choice(self.pools.names["en"])
            summary["en"] = rng.choice(self.pools.summaries["en"])
            if long_text and rng.random() < 0.5:
                desc["en"] = self.text("en", 2, 5)
        r["name"], r["summary"] = name, summary
        if desc:
            r["description"] = desc
        if has_sv and has_fi and rng.random() < 0.3:
            r["translated"] = ["sv"]

        orgs = []
        if m and rng.random() < 0.85:
            pattern = rng.choice(ORG_PATTERNS_FI)
            oname = pattern.format(m=m.fi)
            orgs.append({"id": bl.slug(oname), "name": oname, "role": "provider"})
        if (not orgs or rtype != "service") and self.org_national and rng.random() < 0.7:
            oid, oname = rng.choice(self.org_national)
            role = "provider" if not orgs else rng.choice(["coordinator", "partner", "funder"])
            if all(o["id"] != oid for o in orgs):
                orgs.append({"id": oid, "name": oname, "role": role})
        if orgs:
            r["organisations"] = orgs
        r["area"] = area

        if rng.random() < 0.9:
            r["target_groups"] = self.tg_pick.several(rng, rng.choice([1, 1, 2, 2, 3]))
        if rng.random() < (0.85 if rtype != "service" else 0.55):
            r["themes"] = self.theme_pick.several(rng, rng.randint(1, 4))
        if rng.random() < 0.85:
            r["service_classes"] = self.sc_pick.several(rng, rng.choice([1, 1, 2]))
        r["channels"] = self.channel_pick.several(rng, rng.choice([1, 1, 2, 3]))
        langs = (["fi"] if has_fi else []) + (["sv"] if has_sv else []) + (["en"] if has_en or rng.random() < 0.15 else [])
        if rng.random() < 0.06:
            extra = rng.choice(OTHER_LANGS)
            if extra not in langs:
                langs.append(extra)
        r["service_languages"] = langs
        if rtype == "project" and rng.random() < 0.9:
            r["funding"] = rng.sample(PROJECT_FUNDING, rng.choice([1, 1, 2]))
        elif rng.random() < 0.2:
            r["funding"] = [rng.choice(SERVICE_FUNDING)]
        if rng.random() < 0.4:
            kws = []
            for _ in range(rng.randint(1, 6)):
                k = rng.choice(self.pools.keywords)
                if k not in kws:
                    kws.append(k)
            r["keywords"] = kws
        period = self.period(rtype)
        if period:
            r["period"] = period
        locs = self.locations(m, national)
        if locs:
            r["locations"] = locs
        contact = {}
        host = bl.slug(m.fi) if m else "palvelut"
        if rng.random() < 0.8:
            contact["url"] = f"https://www.{host}.fi/palvelut/{bl.slug(name.get('fi') or name.get('sv'))[:60]}"
        if rng.random() < 0.4:
            contact["email"] = f"info@{host}.fi"
        if rng.random() < 0.3:
            contact["phone"] = f"0{rng.randint(2, 50)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
        if contact:
            r["contact"] = contact
        if rtype == "service":
            r["charge"] = self.charge_pick(rng)
        if rng.random() < 0.2:
            hours = {}
            if has_fi:
                hours["fi"] = rng.choice(HOURS_FI)
            if has_sv:
                hours["sv"] = rng.choice(HOURS_SV)
            r["service_hours"] = hours
        r["source"] = {"name": "tnohaku bench/gen_records.py", "id": str(i)}
        y, mo, d = self.date(2019, 2025)
        r["updated"] = f"{y}-{mo:02d}-{d:02d}"
        return r


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default="-")
    ap.add_argument("--overlap", type=float, default=0.015,
                    help="share of whole-region records that also declare one of the region's "
                         "municipalities (allowed by the schema; 0.015 = 0.2%% of all records)")
    args = ap.parse_args()
    gen = Generator(args.seed, args.overlap)
    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8")
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    buf = []
    for i in range(args.count):
        buf.append(dumps(gen.record(i)))
        if len(buf) >= 2000:
            out.write("\n".join(buf) + "\n")
            buf = []
    if buf:
        out.write("\n".join(buf) + "\n")
    if out is not sys.stdout:
        out.close()
    print(f"gen_records: {args.count} records, seed {args.seed}, sources {bl.sources_digest(bl.input_files())}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
