#!/usr/bin/env python3
"""Generate schema/vocab/*.json from the official code lists in data/codes/ and the
hand-authored sources in schema/vocab-src/.

Re-run after replacing a code list with a new year's version:
    python3 scripts/gen-vocab.py [--out schema/vocab]
No code is typed by hand here: official codes come from the lists, guidance codes from
schema/vocab-src/. The output is deterministic (sorted keys, stable order), so a test can
regenerate into a temporary folder and compare.
"""
import argparse
import csv
import io
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CODES = os.path.join(ROOT, "data", "codes")
SRC = os.path.join(ROOT, "schema", "vocab-src")
LANGS = ("fi", "sv", "en")


def labels_of(pref):
    out = {}
    for lang in LANGS:
        text = (pref.get(lang) or pref.get("fi") or "").strip()
        if not text:
            sys.exit(f"gen-vocab: missing label {lang} in {pref}")
        out[lang] = text
    return out


def entry(code, labels, parent=None, **extra):
    e = {"code": code, "labels": labels}
    if parent:
        e["parent"] = parent
    e.update(extra)
    return e


def load_json(*parts):
    with open(os.path.join(*parts), encoding="utf-8") as f:
        return json.load(f)


def municipality_regions():
    """The official municipality -> region table. The CSV as published has three preamble
    lines (encoding, scheme names, a blank line) before its header, is ';'-separated and
    quotes codes like "'564'"."""
    path = os.path.join(CODES, "municipality_to_region_2022.csv")
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("sourcecode;"))
    table = {}
    for row in csv.DictReader(io.StringIO("\n".join(lines[start:])), delimiter=";"):
        code = row["sourcecode"].strip("'\" ")
        region = row["targetcode"].strip("'\" ")
        if code:
            table[code] = region
    return table


def regions():
    data = load_json(CODES, "region_codes.json")
    # The export marks every region DRAFT (the scheme's publication state), so status is
    # not a filter here; the codes themselves are the official 19.
    return [entry(c["codeValue"], labels_of(c["prefLabel"])) for c in data["codes"]]


def municipalities(region_codes):
    data = load_json(CODES, "municipality_codes_2023.json")
    table = municipality_regions()
    out = []
    for c in data["results"]:
        code = c["codeValue"]
        region = table.get(code)
        if region is None or region not in region_codes:
            sys.exit(f"gen-vocab: municipality {code} has no region in the official table")
        out.append(entry(code, labels_of(c["prefLabel"]), parent=region))
    return out


def broader(c):
    b = c.get("broaderCode")
    return b.get("codeValue") if b else None


def target_groups():
    data = load_json(CODES, "codelist_target_groups.json")
    out = [entry(c["codeValue"], labels_of(c["prefLabel"]), parent=broader(c))
           for c in data["codes"]]
    out.sort(key=lambda e: [int(p) for p in e["code"][2:].split(".")])
    for e in load_json(SRC, "target_groups_guidance.json")["codes"]:
        out.append(entry(e["code"], e["labels"], parent=e.get("parent")))
    return out


def service_classes():
    data = load_json(CODES, "ptv_classes_2023.json")
    out = [entry(c["codeValue"], labels_of(c["prefLabel"]), parent=broader(c))
           for c in data["results"]]
    out.sort(key=lambda e: [int(p) for p in e["code"][1:].split(".")])
    return out


def from_src(name, key=None):
    data = load_json(SRC, name)
    items = data[key] if key else data["codes"]
    return [entry(e["code"], e["labels"], parent=e.get("parent")) for e in items]


def check(facet, codes):
    seen = set()
    for e in codes:
        code = e["code"]
        if code in seen:
            sys.exit(f"gen-vocab: {facet}: duplicate code {code}")
        if any(ch in code for ch in "+, /?#&%") or not code:
            sys.exit(f"gen-vocab: {facet}: code {code!r} is not URL-safe")
        seen.add(code)
    for e in codes:
        if facet != "municipalities" and e.get("parent") and e["parent"] not in seen:
            sys.exit(f"gen-vocab: {facet}: {e['code']} has unknown parent {e['parent']}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "schema", "vocab"))
    args = ap.parse_args()
    regs = regions()
    vocabs = {
        "regions": ("Regions (maakunnat), official two-digit codes", "region_codes.json", regs),
        "municipalities": ("Municipalities, official three-digit codes; parent = region",
                           "municipality_codes_2023.json + municipality_to_region_2022.csv",
                           municipalities({r["code"] for r in regs})),
        "target_groups": ("PTV target groups (KR codes) and guidance groups under them",
                          "codelist_target_groups.json + vocab-src/target_groups_guidance.json",
                          target_groups()),
        "service_classes": ("PTV service classes (P codes)", "ptv_classes_2023.json",
                            service_classes()),
        "themes": ("ELO strategy themes and service topics", "vocab-src/themes.json",
                   from_src("themes.json")),
    }
    for key in ("types", "channels", "service_languages", "funding"):
        vocabs[key] = (key.replace("_", " ").capitalize(), "vocab-src/enumerations.json",
                       from_src("enumerations.json", key))
    os.makedirs(args.out, exist_ok=True)
    for name, (title, source, codes) in vocabs.items():
        check(name, codes)
        doc = {"vocabulary": name, "title": title, "source": source, "codes": codes}
        with open(os.path.join(args.out, name + ".json"), "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, indent=1)
            f.write("\n")
    print(f"gen-vocab: wrote {len(vocabs)} vocabularies to {args.out}")


if __name__ == "__main__":
    main()
