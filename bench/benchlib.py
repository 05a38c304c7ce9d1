"""Shared pieces of the benchmark generators (python3 standard library only).

- the vocabularies (schema/vocab/*.json): codes, parents, labels
- an approximate municipality table: population and centre coordinates for the ~40
  largest municipalities (rounded 2023 figures from memory of Statistics Finland's
  tables, good to a few per cent: enough to weight areas, not a data source); every
  other municipality gets an equal share of the remaining population and a centre
  placed deterministically near its region's approximate centroid
- text pools sampled from the real records: corpus/*.jsonl, data/ptv-export/services.jsonl
  and the Swedish/English texts of data/ptv-json
- code distributions (target groups, themes, ...) counted from the real records, smoothed
  so that every code of the vocabulary can occur

Everything here is deterministic: pools are sorted and de-duplicated, so that the same
inputs and seed give byte-identical output. `sources_digest()` names the inputs' hash.
"""
import glob
import hashlib
import json
import math
import os
import re
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Finland's bounding box as the validator checks it (schema/README.md rule 8), with a margin.
LAT_MIN, LAT_MAX, LON_MIN, LON_MAX = 59.35, 70.15, 19.05, 31.65

# Approximate population (2023, rounded) and centre (WGS84) of the largest municipalities,
# keyed by Finnish name (codes are looked up in schema/vocab/municipalities.json).
LARGE_MUNICIPALITIES = {
    "Helsinki": (664000, 60.170, 24.938),
    "Espoo": (305000, 60.205, 24.655),
    "Tampere": (249000, 61.498, 23.761),
    "Vantaa": (242000, 60.294, 25.040),
    "Oulu": (212000, 65.012, 25.465),
    "Turku": (201000, 60.452, 22.267),
    "Jyväskylä": (146000, 62.242, 25.747),
    "Kuopio": (124000, 62.892, 27.678),
    "Lahti": (121000, 60.983, 25.656),
    "Pori": (83000, 61.485, 21.797),
    "Kouvola": (80000, 60.868, 26.704),
    "Joensuu": (77000, 62.601, 29.763),
    "Lappeenranta": (73000, 61.058, 28.187),
    "Hämeenlinna": (68000, 60.996, 24.464),
    "Vaasa": (68000, 63.096, 21.616),
    "Seinäjoki": (65000, 62.790, 22.840),
    "Rovaniemi": (64000, 66.503, 25.729),
    "Mikkeli": (52000, 61.688, 27.273),
    "Porvoo": (51000, 60.393, 25.664),
    "Kotka": (51000, 60.467, 26.946),
    "Salo": (51000, 60.385, 23.125),
    "Kokkola": (48000, 63.838, 23.131),
    "Hyvinkää": (47000, 60.631, 24.861),
    "Lohja": (46000, 60.249, 24.065),
    "Järvenpää": (46000, 60.474, 25.090),
    "Nurmijärvi": (44000, 60.464, 24.808),
    "Rauma": (39000, 61.128, 21.511),
    "Tuusula": (39000, 60.403, 25.029),
    "Kirkkonummi": (41000, 60.124, 24.438),
    "Kajaani": (36000, 64.227, 27.728),
    "Kerava": (38000, 60.403, 25.105),
    "Nokia": (35000, 61.478, 23.509),
    "Kaarina": (35000, 60.407, 22.369),
    "Ylöjärvi": (34000, 61.550, 23.596),
    "Kangasala": (33000, 61.464, 24.065),
    "Savonlinna": (31000, 61.869, 28.879),
    "Riihimäki": (29000, 60.739, 24.772),
    "Imatra": (25000, 61.193, 28.777),
    "Raahe": (24000, 64.684, 24.479),
    "Sipoo": (22000, 60.377, 25.272),
    "Kemi": (20000, 65.736, 24.564),
    "Naantali": (20000, 60.468, 22.026),
    "Kempele": (19000, 64.913, 25.508),
    "Maarianhamina": (12000, 60.097, 19.935),
}
FINLAND_POPULATION = 5_600_000

# Approximate centroids of the regions (maakunnat) and how far (degrees lat, lon) a
# municipality centre may lie from them.
REGION_CENTROIDS = {
    "01": (60.35, 24.80, 0.25, 0.7), "02": (60.55, 22.50, 0.3, 0.7),
    "04": (61.50, 22.10, 0.35, 0.5), "05": (60.90, 24.30, 0.2, 0.4),
    "06": (61.70, 23.80, 0.4, 0.7), "07": (61.10, 25.70, 0.2, 0.4),
    "08": (60.75, 26.70, 0.2, 0.4), "09": (61.15, 28.30, 0.2, 0.5),
    "10": (61.80, 27.80, 0.35, 0.8), "11": (63.00, 27.30, 0.45, 0.8),
    "12": (62.80, 30.00, 0.45, 0.8), "13": (62.50, 25.50, 0.5, 0.9),
    "14": (62.80, 23.00, 0.35, 0.6), "15": (63.00, 22.00, 0.4, 0.4),
    "16": (63.70, 23.90, 0.25, 0.5), "17": (64.90, 26.00, 0.6, 1.2),
    "18": (64.30, 28.30, 0.4, 0.8), "19": (67.50, 26.50, 1.3, 1.8),
    "21": (60.20, 20.10, 0.1, 0.3),
}


def sources_digest(paths):
    h = hashlib.sha256()
    for p in paths:
        h.update(os.path.relpath(p, ROOT).encode())
        with open(p, "rb") as f:
            h.update(hashlib.sha256(f.read()).digest())
    return h.hexdigest()[:16]


def corpus_files():
    return sorted(glob.glob(os.path.join(ROOT, "corpus", "*.jsonl")))


def input_files():
    files = corpus_files() + [os.path.join(ROOT, "data", "ptv-export", "services.jsonl")]
    files += sorted(glob.glob(os.path.join(ROOT, "data", "ptv-json", "**", "*.json"), recursive=True))
    files += sorted(glob.glob(os.path.join(ROOT, "schema", "vocab", "*.json")))
    return files


def slug(text):
    text = unicodedata.normalize("NFD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    out = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return out[:100]


def stable_hash(text):
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


# ---------------------------------------------------------------------------------------
# Vocabularies

class Vocab:
    def __init__(self, root=ROOT):
        self.codes, self.parent, self.labels = {}, {}, {}
        for path in sorted(glob.glob(os.path.join(root, "schema", "vocab", "*.json"))):
            name = os.path.splitext(os.path.basename(path))[0]
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
            self.codes[name] = [c["code"] for c in data["codes"]]
            self.parent[name] = {c["code"]: c.get("parent", "") for c in data["codes"]}
            self.labels[name] = {c["code"]: c.get("labels", {}) for c in data["codes"]}
        self.children = {}
        for name, parents in self.parent.items():
            kids = {}
            for code, p in parents.items():
                if p:
                    kids.setdefault(p, []).append(code)
            self.children[name] = kids

    def self_and_ancestors(self, facet, code):
        out, seen = [], set()
        while code and code not in seen:
            seen.add(code)
            out.append(code)
            code = self.parent[facet].get(code, "")
        return out

    def leaves(self, facet):
        kids = self.children[facet]
        return [c for c in self.codes[facet] if c not in kids]

    def region_of(self, municipality):
        return self.parent["municipalities"].get(municipality, "")


class Municipality:
    __slots__ = ("code", "region", "fi", "sv", "population", "lat", "lon")


def municipalities(vocab):
    """Every municipality with an approximate population and centre."""
    by_name = {vocab.labels["municipalities"][c].get("fi", ""): c for c in vocab.codes["municipalities"]}
    large = {}
    for name, (pop, lat, lon) in LARGE_MUNICIPALITIES.items():
        code = by_name.get(name)
        if code:
            large[code] = (pop, lat, lon)
    rest = [c for c in vocab.codes["municipalities"] if c not in large]
    share = max(1000, (FINLAND_POPULATION - sum(p for p, _, _ in large.values())) // max(1, len(rest)))
    out = []
    for code in vocab.codes["municipalities"]:
        m = Municipality()
        m.code = code
        m.region = vocab.region_of(code)
        labels = vocab.labels["municipalities"][code]
        m.fi, m.sv = labels.get("fi", code), labels.get("sv") or labels.get("fi", code)
        if code in large:
            m.population, m.lat, m.lon = large[code]
        else:
            m.population = share
            clat, clon, dlat, dlon = REGION_CENTROIDS.get(m.region, (62.5, 25.5, 0.5, 0.8))
            h = stable_hash("muni:" + code)
            u1 = ((h & 0xFFFF) / 0xFFFF) * 2 - 1
            u2 = (((h >> 16) & 0xFFFF) / 0xFFFF) * 2 - 1
            m.lat = min(LAT_MAX - 0.1, max(LAT_MIN + 0.1, clat + u1 * dlat))
            m.lon = min(LON_MAX - 0.1, max(LON_MIN + 0.1, clon + u2 * dlon))
        out.append(m)
    return out


# ---------------------------------------------------------------------------------------
# Text pools from the real records

_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÅ0-9])")
_BAD = re.compile(r"@|https?://|www\.|\t")


def _sentences(text):
    out = []
    for s in _SENTENCE_SPLIT.split(text.replace("\n", " ")):
        s = re.sub(r"\s+", " ", s).strip()
        if 25 <= len(s) <= 400 and not _BAD.search(s):
            out.append(s)
    return out


def _clean_name(s):
    s = re.sub(r"\s+", " ", s or "").strip()
    return s if 3 <= len(s) <= 200 and not _BAD.search(s) else ""


class Pools:
    """Names, summaries, sentences and keywords per language, and code frequencies."""

    def __init__(self, root=ROOT):
        names = {"fi": set(), "sv": set(), "en": set()}
        summaries = {"fi": set(), "sv": set(), "en": set()}
        sentences = {"fi": set(), "sv": set(), "en": set()}
        keywords, orgs = set(), {}
        code_counts = {k: {} for k in ("target_groups", "themes", "service_classes", "channels",
                                        "funding", "service_languages")}
        for path in corpus_files():
            with open(path, encoding="utf-8") as f:
                for line in f:
                    line = line.strip()
                    if not line:
                        continue
                    r = json.loads(line)
                    for lang, v in r.get("name", {}).items():
                        if _clean_name(v):
                            names[lang].add(_clean_name(v))
                    for lang, v in r.get("summary", {}).items():
                        if 20 <= len(v) <= 600 and not _BAD.search(v):
                            summaries[lang].add(re.sub(r"\s+", " ", v).strip())
                        sentences[lang].update(_sentences(v))
                    for lang, v in r.get("description", {}).items():
                        sentences[lang].update(_sentences(v))
                    for k in r.get("keywords", []):
                        k = k.strip()
                        if 2 <= len(k) <= 60 and not _BAD.search(k):
                            keywords.add(k)
                    for o in r.get("organisations", []):
                        if o.get("id") and o.get("name"):
                            orgs.setdefault(o["id"], o["name"])
                    for field, counts in code_counts.items():
                        for c in r.get(field, []):
                            counts[c] = counts.get(c, 0) + 1
        export = os.path.join(root, "data", "ptv-export", "services.jsonl")
        if os.path.exists(export):
            with open(export, encoding="utf-8") as f:
                for line in f:
                    if not line.strip():
                        continue
                    r = json.loads(line)
                    if _clean_name(r.get("name")):
                        names["fi"].add(_clean_name(r["name"]))
                    s = r.get("summary") or ""
                    if 20 <= len(s) <= 600 and not _BAD.search(s):
                        summaries["fi"].add(re.sub(r"\s+", " ", s).strip())
                        sentences["fi"].update(_sentences(s))
        for path in sorted(glob.glob(os.path.join(root, "data", "ptv-json", "**", "*.json"), recursive=True)):
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
            items = data if isinstance(data, list) else list(data.values()) if "id" not in data else [data]
            for x in items:
                if not isinstance(x, dict):
                    continue
                for n in x.get("serviceNames") or []:
                    if n.get("language") in names and _clean_name(n.get("value")):
                        names[n["language"]].add(_clean_name(n["value"]))
                for d in x.get("serviceDescriptions") or []:
                    lang, v = d.get("language"), d.get("value")
                    if lang not in names or not v:
                        continue
                    if d.get("type") == "Summary" and 20 <= len(v) <= 600 and not _BAD.search(v):
                        summaries[lang].add(re.sub(r"\s+", " ", v).strip())
                    if d.get("type") in ("Summary", "Description"):
                        sentences[lang].update(_sentences(v))
        self.names = {k: sorted(v) for k, v in names.items()}
        self.summaries = {k: sorted(v) for k, v in summaries.items()}
        self.sentences = {k: sorted(v) for k, v in sentences.items()}
        self.keywords = sorted(keywords)
        self.orgs = sorted(orgs.items())
        self.code_counts = code_counts


def weighted_codes(vocab, field, counts, codes=None, smoothing=0.5):
    """(codes, cumulative weights): observed counts plus `smoothing` for every code."""
    codes = codes if codes is not None else vocab.codes[field]
    weights = [counts.get(c, 0) + smoothing for c in codes]
    cum, total = [], 0.0
    for w in weights:
        total += w
        cum.append(total)
    return codes, cum


def words(text):
    """Words of a text as people would type them (letters, digits and inner hyphens)."""
    return re.findall(r"[A-Za-zÅÄÖåäöÉéÜü0-9]+(?:-[A-Za-zÅÄÖåäöÉéÜü0-9]+)*", text)


def haversine_km(lat1, lon1, lat2, lon2):
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(a)))
