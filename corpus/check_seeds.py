#!/usr/bin/env python3
"""Sanity checker for corpus/seeds.jsonl (standard library only).

A safety net for hand-made seed records; the authoritative validator is the C++ one in
core/validate.cpp. This script checks, per line:

  * the line is a JSON object; only fields of schema/record.schema.json, with their types
    and size limits; required fields (id, type, name, source, area)
  * id pattern ^[a-z0-9][a-z0-9-]*$ and uniqueness across the file
  * every code in its vocabulary (schema/vocab/*.json); themes are leaf codes; no repeats
  * area is not empty; a region is not listed together with one of its own municipalities
  * dates are real calendar dates (YYYY, YYYY-MM, YYYY-MM-DD) and a period does not end
    before it starts (an end names its last day, a start its first)
  * locations: 5-digit postal codes, known municipality, lat/lon pairs inside Finland
    (59.4-70.2 N, 19.0-31.6 E)
  * translated languages have text; name not blank; summary not overly long
  * organisation ids are stable: one id, one name
  * no personal data: no e-mail addresses or phone numbers in any text, contact e-mails
    only for organisations (no firstname.lastname@), no "Puh."/"Email:" fragments
  * no leftover bullet characters or typical OCR noise in texts

Usage: python3 corpus/check_seeds.py [corpus/seeds.jsonl]
Exit status 0 when no problems were found, 1 otherwise.
"""
import calendar
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMA = os.path.join(ROOT, "schema", "record.schema.json")
VOCAB_DIR = os.path.join(ROOT, "schema", "vocab")

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DATE_RE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE_RE = re.compile(r"(?<![\w.,/-])(?:\+358[\s-]?|0)[1-9][0-9]{0,2}[\s-]?[0-9]{3,4}[\s-]?[0-9]{2,5}(?![\w,/-]|[.][0-9])")
PERSONAL_EMAIL_RE = re.compile(r"^[a-zåäö]+[.][a-zåäö-]+@", re.IGNORECASE)
PERSONAL_HINT_RE = re.compile(r"\b(?:puh\.|puhelin:|email:|e-mail:|sähköposti:|gsm)", re.IGNORECASE)
# OCR noise: bullets and stray symbols, and digits read for letters inside words ("Ty6-", "tyon6").
# (Umlauts lost by OCR, e.g. "tyollisyys", cannot be caught reliably and are checked by reading.)
OCR_CHARS = set("•¢»«■▪●◦")
OCR_WORD_RE = re.compile(r"\b[A-Za-zÄÖäö]+[06](?:[a-zäö]+\b|-)")
LAT_MIN, LAT_MAX, LON_MIN, LON_MAX = 59.4, 70.2, 19.0, 31.6

CODE_FIELDS = {
    "target_groups": "target_groups",
    "themes": "themes",
    "service_classes": "service_classes",
    "channels": "channels",
    "service_languages": "service_languages",
    "funding": "funding",
}
LANGS = ("fi", "sv", "en")


def load_vocab(name):
    with open(os.path.join(VOCAB_DIR, name + ".json"), encoding="utf-8") as f:
        data = json.load(f)
    codes = {c["code"]: c for c in data["codes"]}
    parents = {c.get("parent") for c in data["codes"] if c.get("parent")}
    return codes, parents


def parse_date(text):
    """Return (first_day, last_day) as (y, m, d) tuples, or None if not a valid partial date."""
    m = DATE_RE.match(text or "")
    if not m:
        return None
    y = int(m.group(1))
    if not 1900 <= y <= 2199:
        return None
    if m.group(2) is None:
        return (y, 1, 1), (y, 12, 31)
    mo = int(m.group(2))
    if not 1 <= mo <= 12:
        return None
    last = calendar.monthrange(y, mo)[1]
    if m.group(3) is None:
        return (y, mo, 1), (y, mo, last)
    d = int(m.group(3))
    if not 1 <= d <= last:
        return None
    return (y, mo, d), (y, mo, d)


def texts_of(record):
    """All free-text strings of a record with their field paths."""
    out = []
    for field in ("name", "summary", "description", "service_hours"):
        for lang, text in (record.get(field) or {}).items():
            out.append((f"{field}.{lang}", text))
    for i, k in enumerate(record.get("keywords") or []):
        out.append((f"keywords[{i}]", k))
    for i, org in enumerate(record.get("organisations") or []):
        out.append((f"organisations[{i}].name", org.get("name", "")))
    for i, loc in enumerate(record.get("locations") or []):
        for k in ("name", "address"):
            if k in loc:
                out.append((f"locations[{i}].{k}", loc[k]))
    return out


class Checker:
    def __init__(self):
        with open(SCHEMA, encoding="utf-8") as f:
            self.schema = json.load(f)
        self.props = self.schema["properties"]
        self.vocab = {v: load_vocab(v) for v in
                      ("target_groups", "themes", "service_classes", "channels", "service_languages",
                       "funding", "regions", "municipalities", "types")}
        self.problems = []
        self.ids = {}
        self.org_names = {}

    def add(self, line, rid, field, reason):
        self.problems.append(f"seeds.jsonl:{line}: id={rid or '?'}: field '{field}': {reason}")

    # ------------------------------------------------------------------ structure
    def check_lang_text(self, n, rid, field, value, max_len):
        if not isinstance(value, dict):
            self.add(n, rid, field, "must be an object {fi, sv, en}")
            return
        for k, v in value.items():
            if k not in LANGS:
                self.add(n, rid, f"{field}.{k}", "unknown language key")
            elif not isinstance(v, str):
                self.add(n, rid, f"{field}.{k}", "must be a string")
            elif len(v) > max_len:
                self.add(n, rid, f"{field}.{k}", f"longer than {max_len} characters")

    def check_codes(self, n, rid, field, codes, vocab_name, leaf_only=False):
        if not isinstance(codes, list):
            self.add(n, rid, field, "must be a list")
            return
        known, parents = self.vocab[vocab_name]
        seen = set()
        for i, c in enumerate(codes):
            where = f"{field}[{i}]"
            if c not in known:
                self.add(n, rid, where, f"unknown code '{c}' (not in schema/vocab/{vocab_name}.json)")
            elif c in seen:
                self.add(n, rid, where, f"repeats the code '{c}'")
            elif leaf_only and c in parents:
                self.add(n, rid, where, f"'{c}' is a parent code; use a leaf code")
            seen.add(c)

    def check_record(self, n, r):
        rid = r.get("id") if isinstance(r.get("id"), str) else None
        for key in r:
            if key not in self.props:
                self.add(n, rid, key, "is not a field of the schema")
        for key in ("id", "type", "name", "source", "area"):
            if key not in r:
                self.add(n, rid, key, "is required")

        # id
        if rid is not None:
            if not ID_RE.match(rid) or len(rid) > 100:
                self.add(n, rid, "id", "must match ^[a-z0-9][a-z0-9-]*$ (at most 100 characters)")
            if rid in self.ids:
                self.add(n, rid, "id", f"duplicate of line {self.ids[rid]}")
            else:
                self.ids[rid] = n
        elif "id" in r:
            self.add(n, rid, "id", "must be a string")

        if "type" in r and r["type"] not in self.vocab["types"][0]:
            self.add(n, rid, "type", f"unknown type '{r['type']}'")

        # texts
        if "name" in r:
            self.check_lang_text(n, rid, "name", r["name"], 300)
            if isinstance(r["name"], dict) and not any(
                    isinstance(v, str) and v.strip() for v in r["name"].values()):
                self.add(n, rid, "name", "needs a non-blank name in at least one language")
        if "summary" in r:
            self.check_lang_text(n, rid, "summary", r["summary"], 2000)
            for lang, text in (r["summary"] if isinstance(r["summary"], dict) else {}).items():
                if isinstance(text, str) and len(text) > 600:
                    self.add(n, rid, f"summary.{lang}", "is long for one or two sentences (> 600 characters)")
        if "description" in r:
            self.check_lang_text(n, rid, "description", r["description"], 20000)
        if "service_hours" in r:
            self.check_lang_text(n, rid, "service_hours", r["service_hours"], 20000)

        tr = r.get("translated", [])
        if not isinstance(tr, list) or len(set(tr)) != len(tr) or any(t not in LANGS for t in tr):
            self.add(n, rid, "translated", "must be a list of distinct fi/sv/en")
        else:
            for t in tr:
                if not any(isinstance(r.get(f), dict) and (r[f].get(t) or "").strip()
                           for f in ("name", "summary", "description")):
                    self.add(n, rid, "translated", f"lists '{t}' but the record has no text in that language")

        # organisations
        orgs = r.get("organisations", [])
        if not isinstance(orgs, list) or len(orgs) > 50:
            self.add(n, rid, "organisations", "must be a list of at most 50")
            orgs = []
        for i, org in enumerate(orgs):
            where = f"organisations[{i}]"
            if not isinstance(org, dict):
                self.add(n, rid, where, "must be an object")
                continue
            for k in org:
                if k not in ("id", "name", "role"):
                    self.add(n, rid, f"{where}.{k}", "is not a field of an organisation")
            if not isinstance(org.get("name"), str) or not org["name"].strip() or len(org["name"]) > 300:
                self.add(n, rid, f"{where}.name", "is required, not blank, at most 300 characters")
            if org.get("role") not in ("provider", "coordinator", "partner", "funder"):
                self.add(n, rid, f"{where}.role", "must be provider, coordinator, partner or funder")
            oid = org.get("id")
            if oid is not None:
                if not isinstance(oid, str) or not ID_RE.match(oid):
                    self.add(n, rid, f"{where}.id", "must match ^[a-z0-9][a-z0-9-]*$")
                else:
                    prev = self.org_names.setdefault(oid, org.get("name"))
                    if prev != org.get("name"):
                        self.add(n, rid, f"{where}.name", f"organisation '{oid}' is also called '{prev}'")

        # area
        area = r.get("area")
        if area is not None:
            if not isinstance(area, dict):
                self.add(n, rid, "area", "must be an object")
            else:
                for k in area:
                    if k not in ("national", "regions", "municipalities"):
                        self.add(n, rid, f"area.{k}", "is not a field of area")
                if not (area.get("national") is True or area.get("regions") or area.get("municipalities")):
                    self.add(n, rid, "area", "must declare national, regions or municipalities")
                if "national" in area and not isinstance(area["national"], bool):
                    self.add(n, rid, "area.national", "must be true or false")
                self.check_codes(n, rid, "area.regions", area.get("regions", []), "regions")
                self.check_codes(n, rid, "area.municipalities", area.get("municipalities", []), "municipalities")
                muni = self.vocab["municipalities"][0]
                regions = set(area.get("regions") or [])
                for m in area.get("municipalities") or []:
                    if m in muni and muni[m].get("parent") in regions:
                        self.add(n, rid, "area", f"lists region {muni[m]['parent']} and its municipality {m}; "
                                                 "a region means the whole region")

        # code lists
        for field, vocab_name in CODE_FIELDS.items():
            if field in r:
                self.check_codes(n, rid, field, r[field], vocab_name, leaf_only=(field == "themes"))

        # keywords
        kws = r.get("keywords", [])
        if not isinstance(kws, list) or len(kws) > 100:
            self.add(n, rid, "keywords", "must be a list of at most 100")
        else:
            lowered = set()
            for i, k in enumerate(kws):
                if not isinstance(k, str) or not k.strip() or len(k) > 100:
                    self.add(n, rid, f"keywords[{i}]", "must be a non-blank string of at most 100 characters")
                elif k.lower() in lowered:
                    self.add(n, rid, f"keywords[{i}]", f"repeats '{k}'")
                else:
                    lowered.add(k.lower())

        # dates
        period = r.get("period")
        if period is not None:
            if not isinstance(period, dict) or not period:
                self.add(n, rid, "period", "must be an object with start and/or end")
            else:
                for k in period:
                    if k not in ("start", "end"):
                        self.add(n, rid, f"period.{k}", "is not a field of period")
                start = parse_date(period.get("start")) if "start" in period else None
                end = parse_date(period.get("end")) if "end" in period else None
                if "start" in period and start is None:
                    self.add(n, rid, "period.start", f"'{period['start']}' is not a valid date")
                if "end" in period and end is None:
                    self.add(n, rid, "period.end", f"'{period['end']}' is not a valid date")
                if start and end and end[1] < start[0]:
                    self.add(n, rid, "period.end", f"'{period['end']}' is before the start '{period['start']}'")
        if "updated" in r and parse_date(r["updated"]) is None:
            self.add(n, rid, "updated", f"'{r['updated']}' is not a valid date")

        # locations
        for i, loc in enumerate(r.get("locations") or []):
            where = f"locations[{i}]"
            if "postal_code" in loc and not re.match(r"^[0-9]{5}$", str(loc["postal_code"])):
                self.add(n, rid, f"{where}.postal_code", "must be 5 digits")
            if "municipality" in loc and loc["municipality"] not in self.vocab["municipalities"][0]:
                self.add(n, rid, f"{where}.municipality", f"unknown code '{loc['municipality']}'")
            has_lat, has_lon = "lat" in loc, "lon" in loc
            if has_lat != has_lon:
                self.add(n, rid, where, "gives only one of lat and lon")
            elif has_lat:
                lat, lon = loc["lat"], loc["lon"]
                if not all(isinstance(v, (int, float)) for v in (lat, lon)) or not (
                        LAT_MIN <= lat <= LAT_MAX and LON_MIN <= lon <= LON_MAX):
                    self.add(n, rid, where, f"coordinates {lat}, {lon} are outside Finland")

        # contact
        contact = r.get("contact") or {}
        for k in contact:
            if k not in ("url", "email", "phone"):
                self.add(n, rid, f"contact.{k}", "is not a field of contact")
        url = contact.get("url")
        if url is not None and not re.match(r"^https?://[^\s]+$", url):
            self.add(n, rid, "contact.url", "must be an http(s) URL without spaces")
        email = contact.get("email")
        if email is not None:
            if not EMAIL_RE.fullmatch(email):
                self.add(n, rid, "contact.email", f"'{email}' is not an e-mail address")
            elif PERSONAL_EMAIL_RE.match(email):
                self.add(n, rid, "contact.email", f"'{email}' looks like a personal address")

        # source
        src = r.get("source")
        if src is not None:
            if not isinstance(src, dict) or not (src.get("name") or "").strip():
                self.add(n, rid, "source", "needs a name")
            else:
                for k in src:
                    if k not in ("name", "id", "url"):
                        self.add(n, rid, f"source.{k}", "is not a field of source")

        # personal data and OCR noise in texts
        for field, text in texts_of(r):
            if not isinstance(text, str):
                continue
            if EMAIL_RE.search(text):
                self.add(n, rid, field, "contains an e-mail address")
            if PHONE_RE.search(text):
                self.add(n, rid, field, f"contains something like a phone number: '{PHONE_RE.search(text).group(0)}'")
            if PERSONAL_HINT_RE.search(text):
                self.add(n, rid, field, "contains a contact-person fragment (Puh./Email:)")
            bad = OCR_CHARS.intersection(text)
            if bad:
                self.add(n, rid, field, f"contains bullet or OCR characters {''.join(sorted(bad))}")
            m = OCR_WORD_RE.search(text)
            if m:
                self.add(n, rid, field, f"looks like OCR noise: '{m.group(0)}'")
            if text != text.strip() or "  " in text:
                self.add(n, rid, field, "has leading/trailing or double spaces")

    def run(self, path):
        count = 0
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    self.add(n, None, "(line)", "is empty")
                    continue
                try:
                    r = json.loads(line)
                except json.JSONDecodeError as e:
                    self.add(n, None, "(line)", f"is not valid JSON: {e}")
                    continue
                if not isinstance(r, dict):
                    self.add(n, None, "(line)", "is not a JSON object")
                    continue
                count += 1
                self.check_record(n, r)
        return count


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "corpus", "seeds.jsonl")
    checker = Checker()
    count = checker.run(path)
    for p in checker.problems:
        print(p)
    types = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            try:
                t = json.loads(line).get("type")
            except (json.JSONDecodeError, AttributeError):
                continue
            types[t] = types.get(t, 0) + 1
    summary = ", ".join(f"{k}: {v}" for k, v in sorted(types.items(), key=lambda kv: str(kv[0])))
    print(f"{count} records ({summary}); {len(checker.problems)} problem(s)")
    return 1 if checker.problems else 0


if __name__ == "__main__":
    sys.exit(main())
