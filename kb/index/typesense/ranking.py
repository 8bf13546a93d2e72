"""BM25 on the first results: Typesense 0.24 ranks by how many of the query's terms a
document holds, not by how rare they are or how often the document says them. The first
``RERANKED`` results it lists are ordered again by BM25 as the embedded engines score:
each ranking term a document holds (asked of Typesense among those results only) weighs
its boost times its inverse document frequency, saturated by its frequency in the
document (``counts``, stored with each document) and normalized by the document's length
(``length``). A title's or a city name's term counts once, without length.

>>> round(bm25(tf=1, length=100, average=100), 3), round(bm25(tf=3, length=100, average=100), 3)
(1.0, 1.571)
"""
from __future__ import annotations

import json
import math
from collections import Counter
from typing import Callable

RERANKED = 50           # results ordered again, from the first: pages within them agree
K1, B = 1.2, 0.75       # BM25's usual parameters (Whoosh's and tantivy's)
BODY_NAMESPACES = ("f", "e", "o")
MAX_COUNTED = 300       # terms whose frequency is stored per document, most frequent first


def body_statistics(terms: list[str]) -> dict:
    """What a document stores for ranking: the length of its body's terms, and the
    frequency of those it says more than once."""
    counts = Counter(terms)
    frequent = {t: n for t, n in counts.most_common(MAX_COUNTED) if n > 1}
    return {"length": len(terms), "counts": json.dumps(frequent, ensure_ascii=False, separators=(",", ":"))}


def bm25(tf: int, length: int, average: float) -> float:
    """BM25's term frequency part, 1.0 for one occurrence in a document of average length."""
    norm = K1 * (1 - B + B * length / average) if average else K1
    return tf * (K1 + 1) / (tf + norm) / ((K1 + 1) / (1 + K1))


def idf(documents: int, frequency: int) -> float:
    return math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5))


def reranked(listed: list[tuple[dict, float]], terms: list[str], boosts: dict[str, float],
             ask: Callable[[list[dict]], list[dict]], quote: Callable[[str], str]) -> list[tuple[dict, float]]:
    """The first RERANKED of ``listed`` (documents with their ``length`` and ``counts``,
    and Typesense's scores) ordered by BM25 on ``terms``, the others after them; ``ask`` runs
    Typesense searches (one request): which of those documents hold each term (asking
    Typesense to highlight the terms costs ten times as much), and how many documents
    hold it among how many."""
    pool, rest = [document for document, _ in listed[:RERANKED]], listed[RERANKED:]
    if not pool or not terms:
        return listed
    within = f"id:=[{','.join(quote(document['id']) for document in pool)}]"
    results = ask([{"q": "*", "filter_by": f"{within} && terms:=[{quote(t)}]", "per_page": len(pool),
                    "include_fields": "id"} for t in terms]
                  + [{"q": "*", "filter_by": f"terms:=[{quote(t)}]", "per_page": 0} for t in terms]
                  + [{"q": "*", "per_page": 0}])
    holders = {t: {hit["document"]["id"] for hit in result["hits"]} for t, result in zip(terms, results)}
    documents = results[-1]["found"]
    weights = {t: boosts.get(t, 1.0) * idf(documents, result["found"])
               for t, result in zip(terms, results[len(terms):])}
    average = sum(document.get("length", 0) for document in pool) / len(pool)

    def score(document: dict) -> float:
        counts = json.loads(document.get("counts") or "{}")
        return sum(weight * (bm25(counts.get(t, 1), document.get("length", 0), average)
                             if t[0] in BODY_NAMESPACES else 1.0)
                   for t, weight in weights.items() if document["id"] in holders[t])

    scored = [(document, score(document)) for document in pool]
    scored.sort(key=lambda pair: -pair[1])           # stable: ties keep Typesense's order
    return scored + rest
