#!/usr/bin/env python3
"""The PostgreSQL 15 full-text search peer: schema, loading and request → SQL (stdlib only).

    bench/peer.py schema                 DDL of the tables, functions and indexes
    bench/peer.py rows FILE.jsonl        the records as COPY text for `records`
    bench/peer.py sql 'q=nuoret&region=17'   one request as SQL

The peer does what tnohaku does, the way a PostgreSQL user would:

- one row per record; a stored tsvector: names weight A ('finnish' for fi, 'swedish' for
  sv, 'english' for en text), summaries, keywords and organisation names B (keywords and
  organisation names in all three configurations, as tnohaku analyses them in every
  language), descriptions C; a GIN index on it
- facet codes as text[] columns with ancestors expanded (as tnohaku's facet terms), GIN
  indexes on them; areas as region membership, and municipalities a record covers (declared
  ones plus every municipality of a declared region), so that an area count is one GROUP BY
- locations in a side table with a GiST index (bounding box), the exact haversine distance
  (the same formula and Earth radius as core/geo.cpp) checked on the record's points
- a request is ONE statement answering one JSON value: total, the 10 hits (stored record
  JSON), and every facet counted exactly by GROUP BY over unnest of the facet arrays;
  a facet with a selection is counted without its own clause (disjunctive, like
  core/facets.h), national records count in every area while included
- words: each word matches in any language (finnish | swedish | english tsquery), all
  words must match (&&), the last one as a prefix (:*) unless the text ends in a space;
  rank ts_rank (default weights), browse sorted by name, sort=distance by distance

Not replicated (tnohaku does more): the OR fallback when all words find nothing,
did-you-mean, highlighting, Voikko base forms and compound parts, synonyms.
"""
import json
import math
import sys
import urllib.parse

import benchlib as bl

SCHEMA = r"""
CREATE TABLE records (
  id text PRIMARY KEY,
  rtype text NOT NULL,
  national boolean NOT NULL,
  area_regions text[] NOT NULL,
  eff_munis text[] NOT NULL,
  tg text[] NOT NULL, th text[] NOT NULL, sc text[] NOT NULL, ch text[] NOT NULL,
  sl text[] NOT NULL, fu text[] NOT NULL, org text[] NOT NULL,
  start_day date, end_day date, updated date,
  lats float8[], lons float8[],
  sort_fi text COLLATE "fi-x-icu", sort_sv text COLLATE "sv-x-icu", sort_en text COLLATE "en-x-icu",
  name_fi text, name_sv text, name_en text,
  summary_fi text, summary_sv text, summary_en text,
  desc_fi text, desc_sv text, desc_en text,
  kw_org text,
  doc json NOT NULL,
  tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('finnish', coalesce(name_fi, '')), 'A') ||
    setweight(to_tsvector('swedish', coalesce(name_sv, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(name_en, '')), 'A') ||
    setweight(to_tsvector('finnish', coalesce(kw_org, '')), 'B') ||
    setweight(to_tsvector('swedish', coalesce(kw_org, '')), 'B') ||
    setweight(to_tsvector('english', coalesce(kw_org, '')), 'B') ||
    setweight(to_tsvector('finnish', coalesce(summary_fi, '')), 'B') ||
    setweight(to_tsvector('swedish', coalesce(summary_sv, '')), 'B') ||
    setweight(to_tsvector('english', coalesce(summary_en, '')), 'B') ||
    setweight(to_tsvector('finnish', coalesce(desc_fi, '')), 'C') ||
    setweight(to_tsvector('swedish', coalesce(desc_sv, '')), 'C') ||
    setweight(to_tsvector('english', coalesce(desc_en, '')), 'C')) STORED
);
CREATE TABLE locs (id text NOT NULL, p point NOT NULL);
CREATE TABLE bench_regions (code text PRIMARY KEY);
CREATE TABLE bench_munis (code text PRIMARY KEY, region text NOT NULL);
CREATE FUNCTION hav_km(double precision, double precision, double precision, double precision)
RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT 2 * 6371.0088 * asin(least(1.0, sqrt(sin(radians($3 - $1) / 2) ^ 2 +
   cos(radians($1)) * cos(radians($3)) * sin(radians($4 - $2) / 2) ^ 2))) $$;
CREATE FUNCTION nearest_km(float8[], float8[], double precision, double precision)
RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT min(hav_km($3, $4, la, lo)) FROM unnest($1, $2) AS l(la, lo) $$;
CREATE TABLE bench_queries (i int PRIMARY KEY, sql text NOT NULL);
CREATE SEQUENCE bench_seq;
CREATE FUNCTION bench_run(n bigint) RETURNS json LANGUAGE plpgsql AS $$
DECLARE s text; r json; c int;
BEGIN
  SELECT count(*) INTO c FROM bench_queries;
  SELECT sql INTO s FROM bench_queries WHERE i = (n - 1) % c;
  EXECUTE s INTO r;
  RETURN r;
END $$;
"""

# Built after loading (timed as part of the peer's indexing).
INDEXES = r"""
CREATE INDEX records_tsv ON records USING gin (tsv);
CREATE INDEX records_facets ON records USING gin (area_regions, eff_munis, tg, th, sc, ch, sl, fu, org);
CREATE INDEX records_rtype ON records (rtype);
CREATE INDEX records_sort_fi ON records (sort_fi, id);
CREATE INDEX locs_p ON locs USING gist (p);
CREATE INDEX locs_id ON locs (id);
ANALYZE records; ANALYZE locs;
"""

TABLE_COLUMNS = ("id rtype national area_regions eff_munis tg th sc ch sl fu org start_day end_day updated "
                 "lats lons sort_fi sort_sv sort_en name_fi name_sv name_en summary_fi summary_sv summary_en "
                 "desc_fi desc_sv desc_en kw_org doc").split()

# Facet parameter → column and API facet name.
CODE_FACETS = [("type", "rtype", "type"), ("target_group", "tg", "target_group"),
               ("theme", "th", "theme"), ("service_class", "sc", "service_class"),
               ("channel", "ch", "channel"), ("service_language", "sl", "service_language"),
               ("funding", "fu", "funding"), ("organisation", "org", "organisation")]


def _copy_escape(s):
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy_value(v):
    if v is None:
        return "\\N"
    if isinstance(v, bool):
        return "t" if v else "f"
    if isinstance(v, list):
        items = []
        for x in v:
            if isinstance(x, float):
                items.append(repr(x))
            else:
                items.append('"' + str(x).replace("\\", "\\\\").replace('"', '\\"') + '"')
        return _copy_escape("{" + ",".join(items) + "}")
    return _copy_escape(str(v))


def _first_day(text):
    if not text:
        return None
    parts = text.split("-")
    y = int(parts[0])
    m = int(parts[1]) if len(parts) > 1 else 1
    d = int(parts[2]) if len(parts) > 2 else 1
    return f"{y:04d}-{m:02d}-{d:02d}"


def _last_day(text):
    if not text:
        return None
    parts = text.split("-")
    y = int(parts[0])
    if len(parts) == 1:
        return f"{y:04d}-12-31"
    m = int(parts[1])
    if len(parts) == 2:
        import calendar
        return f"{y:04d}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}"
    return f"{y:04d}-{m:02d}-{int(parts[2]):02d}"


def _with_ancestors(vocab, facet, codes):
    out = []
    for c in codes:
        for a in vocab.self_and_ancestors(facet, c):
            if a not in out:
                out.append(a)
    return out


def record_row(vocab, r):
    """One record as the values of TABLE_COLUMNS, and its locations."""
    area = r.get("area", {})
    regions = list(area.get("regions", []))
    munis = list(area.get("municipalities", []))
    member = sorted(set(regions) | {vocab.region_of(m) for m in munis if vocab.region_of(m)})
    eff = set(munis)
    for reg in regions:
        eff.update(vocab.children["municipalities"].get(reg, []))
    orgs = []
    for o in r.get("organisations", []):
        code = o.get("id") or bl.slug(o.get("name", ""))
        if code and code not in orgs:
            orgs.append(code)
    name, summary, desc = r.get("name", {}), r.get("summary", {}), r.get("description", {})
    disp = lambda order: next((name[lang] for lang in order if name.get(lang)), "")
    locs = [(l["lat"], l["lon"]) for l in r.get("locations", []) if "lat" in l and "lon" in l]
    kw_org = " ".join(r.get("keywords", []) + [o.get("name", "") for o in r.get("organisations", [])])
    period = r.get("period", {})
    row = [r["id"], r["type"], bool(area.get("national")), member, sorted(eff),
           _with_ancestors(vocab, "target_groups", r.get("target_groups", [])),
           _with_ancestors(vocab, "themes", r.get("themes", [])),
           _with_ancestors(vocab, "service_classes", r.get("service_classes", [])),
           list(r.get("channels", [])),
           _with_ancestors(vocab, "service_languages", r.get("service_languages", [])),
           _with_ancestors(vocab, "funding", r.get("funding", [])),
           orgs, _first_day(period.get("start")), _last_day(period.get("end")), _first_day(r.get("updated")),
           [float(a) for a, _ in locs] or None, [float(b) for _, b in locs] or None,
           disp(["fi", "sv", "en"]), disp(["sv", "fi", "en"]), disp(["en", "fi", "sv"]),
           name.get("fi"), name.get("sv"), name.get("en"),
           summary.get("fi"), summary.get("sv"), summary.get("en"),
           desc.get("fi"), desc.get("sv"), desc.get("en"),
           kw_org or None, json.dumps(r, ensure_ascii=False, separators=(",", ":"))]
    return row, locs


def write_rows(vocab, path, out_records, out_locs):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            row, locs = record_row(vocab, r)
            out_records.write("\t".join(_copy_value(v) for v in row) + "\n")
            for lat, lon in locs:
                out_locs.write(f"{_copy_escape(r['id'])}\t({lon},{lat})\n")


def area_rows(vocab):
    regions = "".join(f"{c}\n" for c in vocab.codes["regions"])
    munis = "".join(f"{c}\t{vocab.region_of(c)}\n" for c in vocab.codes["municipalities"])
    return regions, munis


# ---------------------------------------------------------------------------------------
# Requests → SQL

def _lit(s):
    return "'" + s.replace("'", "''") + "'"


def _arr(values):
    return "ARRAY[" + ",".join(_lit(v) for v in values) + "]::text[]"


def _clean_word(w):
    return "".join(ch for ch in w if ch.isalnum() or ch == "-").strip("-")


class SqlMapper:
    def __init__(self, vocab):
        self.vocab = vocab

    def tsquery(self, q):
        words = [_clean_word(w.lower()) for w in q.split()]
        words = [w for w in words if w]
        if not words:
            return None
        prefix_last = not q[-1].isspace() and len(words[-1]) >= 2
        parts = []
        for i, w in enumerate(words):
            lexeme = _lit("'" + w.replace("'", "''") + "'" + (":*" if prefix_last and i == len(words) - 1 else ""))
            parts.append("(" + " || ".join(f"to_tsquery('{cfg}', {lexeme})"
                                           for cfg in ("finnish", "swedish", "english")) + ")")
        return " && ".join(parts)

    def sql(self, pairs):
        p = {}
        multi = {}
        for k, v in pairs:
            if k in ("region", "municipality") or any(k == name for name, _, _ in CODE_FACETS):
                multi.setdefault(k, [])
                for x in v.split(","):
                    if x and x not in multi[k]:
                        multi[k].append(x)
            elif v != "":
                p[k] = v
        lang = p.get("lang", "fi")
        q = p.get("q", "")
        include_national = p.get("national", "include") != "exclude"
        tsq = self.tsquery(q) if q.strip() else None
        text = f"tsv @@ ({tsq})" if tsq else None

        geo = dist = None
        if "near" in p:
            lat, lon = (float(x) for x in p["near"].split(","))
            r = float(p.get("radius_km", "50"))
            dlat = r / 110.5 * 1.05 + 0.001
            dlon = r / (111.32 * max(0.05, math.cos(math.radians(min(89.0, abs(lat) + dlat))))) * 1.05 + 0.001
            box = f"box(point({lon - dlon},{lat - dlat}),point({lon + dlon},{lat + dlat}))"
            dist = f"nearest_km(lats, lons, {lat}, {lon})"
            geo = (f"id IN (SELECT l.id FROM locs l WHERE l.p <@ {box}) AND {dist} <= {r}")
        period = None
        if p.get("status") == "active":
            today = "(now() AT TIME ZONE 'Europe/Helsinki')::date"
            period = f"(start_day IS NULL OR start_day <= {today}) AND (end_day IS NULL OR end_day >= {today})"
        elif p.get("status") == "ended":
            period = "end_day < (now() AT TIME ZONE 'Europe/Helsinki')::date"
        elif p.get("status") == "upcoming":
            period = "start_day > (now() AT TIME ZONE 'Europe/Helsinki')::date"

        def area_clause(national_in):
            regions, munis = multi.get("region", []), multi.get("municipality", [])
            if not regions and not munis:
                return None
            any_ = []
            if regions:
                any_.append(f"area_regions && {_arr(regions)}")
            if munis:
                any_.append(f"eff_munis && {_arr(munis)}")
            if national_in:
                any_.append("national")
            return "(" + " OR ".join(any_) + ")"

        clauses = {}  # facet name → SQL
        a = area_clause(include_national)
        if a:
            clauses["area"] = a
        for param, col, facet in CODE_FACETS:
            codes = multi.get(param)
            if codes:
                clauses[facet] = (f"rtype IN ({','.join(_lit(c) for c in codes)})" if col == "rtype"
                                  else f"{col} && {_arr(codes)}")
        if not include_national:
            clauses["national"] = "NOT national"

        def where(without=None, national_pass=False):
            parts = [x for x in (text, geo, period) if x]
            for f, c in clauses.items():
                if f == without:
                    continue
                if national_pass and f == "national":
                    continue
                if national_pass and f == "area":
                    c = area_clause(True)
                parts.append(c)
            return " AND ".join(parts) if parts else "true"

        browse = tsq is None
        sort = p.get("sort", "relevance")
        if sort == "distance" and dist:
            key, order = f"{dist} AS k", "k, id"
        elif sort == "relevance" and not browse:
            key, order = f"ts_rank(tsv, {tsq}) AS k", "k DESC, id"
        else:
            col = {"fi": "sort_fi", "sv": "sort_sv", "en": "sort_en"}.get(lang, "sort_fi")
            key, order = f"{col} AS k", "k, id"
        limit = int(p.get("limit", "10"))
        offset = int(p.get("offset", "0"))

        ctes = [f"p0 AS MATERIALIZED (SELECT id, rtype, national, area_regions, eff_munis, tg, th, sc, ch, sl, fu, "
                f"org, {key} FROM records WHERE {where()})"]
        facets = []
        for param, col, facet in CODE_FACETS:
            src = "p0"
            if facet in clauses:
                src = f"p_{col}"
                ctes.append(f"{src} AS MATERIALIZED (SELECT {col} FROM records WHERE {where(without=facet)})")
            if col == "rtype":
                agg = f"SELECT rtype AS c, count(*) AS n FROM {src} GROUP BY 1"
            else:
                agg = f"SELECT unnest({col}) AS c, count(*) AS n FROM {src} GROUP BY 1"
            facets.append(f"'{facet}', (SELECT json_object_agg(c, n) FROM ({agg}) s)")
        # area
        src = "p0"
        if "area" in clauses:
            src = "p_area"
            ctes.append(f"p_area AS MATERIALIZED (SELECT national, area_regions, eff_munis FROM records "
                        f"WHERE {where(without='area')})")
        nat = f"(SELECT count(*) FROM {src} WHERE national)" if include_national else "0"
        ctes.append(f"n_area AS MATERIALIZED (SELECT {nat} AS nat)")
        facets.append(
            "'area', (SELECT json_object_agg(c, n) FROM ("
            f"SELECT r.code AS c, n_area.nat + coalesce(l.n, 0) AS n FROM bench_regions r CROSS JOIN n_area "
            f"LEFT JOIN (SELECT unnest(area_regions) AS code, count(*) AS n FROM {src} WHERE NOT national "
            "GROUP BY 1) l USING (code) "
            f"UNION ALL SELECT m.region || '/' || m.code, n_area.nat + coalesce(l.n, 0) FROM bench_munis m "
            f"CROSS JOIN n_area LEFT JOIN (SELECT unnest(eff_munis) AS code, count(*) AS n FROM {src} "
            "WHERE NOT national GROUP BY 1) l USING (code)) s WHERE n > 0)")
        # national
        src = "p0"
        if not include_national:
            src = "p_nat"
            ctes.append(f"p_nat AS MATERIALIZED (SELECT national FROM records WHERE {where(national_pass=True)})")
        facets.append(f"'national', (SELECT json_object_agg(CASE WHEN national THEN 'national' ELSE 'local' END, n) "
                      f"FROM (SELECT national, count(*) AS n FROM {src} GROUP BY 1) s)")
        x_order = ", ".join("x." + part.strip() for part in order.split(","))
        hits = (f"(SELECT json_agg(r.doc ORDER BY {x_order}) FROM (SELECT id, k FROM p0 ORDER BY {order} "
                f"LIMIT {limit} OFFSET {offset}) x JOIN records r USING (id))")
        return ("WITH " + ", ".join(ctes) + " SELECT json_build_object('total', (SELECT count(*) FROM p0), "
                f"'hits', {hits}, 'facets', json_build_object(" + ", ".join(facets) + "))")


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    cmd = sys.argv[1]
    vocab = bl.Vocab()
    if cmd == "schema":
        sys.stdout.write(SCHEMA)
    elif cmd == "indexes":
        sys.stdout.write(INDEXES)
    elif cmd == "rows":
        # records COPY text on stdout, locations COPY text to the file given as argv[3]
        with open(sys.argv[3], "w", encoding="utf-8") as locs:
            write_rows(vocab, sys.argv[2], sys.stdout, locs)
    elif cmd == "areas":
        regions, munis = area_rows(vocab)
        with open(sys.argv[2], "w") as f:
            f.write(regions)
        with open(sys.argv[3], "w") as f:
            f.write(munis)
    elif cmd == "sql":
        print(SqlMapper(vocab).sql(urllib.parse.parse_qsl(sys.argv[2].split("?", 1)[-1])))
    else:
        print(f"peer.py: unknown command {cmd}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
