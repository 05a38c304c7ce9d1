"""Relevance metrics over a judged query set (stdlib only).

A judged query names records with grades: 3 (2 when no record has 3) is what the person
looked for; lower grades are related records that still help. Metrics per query, from a
system's ranked ids (best first) and its total:

- success@k: a record of the query's highest grade is among the first k
- reciprocal rank (MRR@10): 1 / rank of the first record of the highest grade, 0 beyond 10
- nDCG@10: gains 2^grade - 1, log2 discount, ideal from the judgements
- zero result: the system found nothing

tests/core/quality_test.cpp computes the same figures in C++ (same definitions).
"""
import math

CUTOFF = 10


def query_metrics(relevant, ranked, total):
    """Metrics of one query: `relevant` {id: grade}, `ranked` ids best first."""
    top = max(relevant.values())
    ranked = ranked[:CUTOFF]
    first = next((i for i, rid in enumerate(ranked, 1) if relevant.get(rid, 0) == top), None)
    dcg = sum((2 ** relevant.get(rid, 0) - 1) / math.log2(i + 1) for i, rid in enumerate(ranked, 1))
    ideal = sorted(relevant.values(), reverse=True)[:CUTOFF]
    idcg = sum((2 ** g - 1) / math.log2(i + 1) for i, g in enumerate(ideal, 1))
    return {
        "s1": 1.0 if first == 1 else 0.0,
        "s5": 1.0 if first is not None and first <= 5 else 0.0,
        "mrr": 1.0 / first if first else 0.0,
        "ndcg": dcg / idcg if idcg else 0.0,
        "zero": 1.0 if total == 0 else 0.0,
        "first": first,
    }


NAMES = [("s1", "success@1"), ("s5", "success@5"), ("mrr", "MRR@10"), ("ndcg", "nDCG@10"),
         ("zero", "zero-result rate")]


def mean(rows, key):
    return sum(r[key] for r in rows) / len(rows) if rows else 0.0


def summarise(per_query, categories):
    """{category or 'overall': {metric: mean, 'n': count}} from per-query metrics."""
    groups = {"overall": list(per_query.values())}
    for qid, m in per_query.items():
        groups.setdefault(categories[qid], []).append(m)
    return {g: dict({k: mean(rows, k) for k, _ in NAMES}, n=len(rows)) for g, rows in groups.items()}
