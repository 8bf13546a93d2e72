"""BM25 on the first results: Typesense 0.24 ranks by how many of the query's terms a
document holds, not by how rare they are or how often the document says them. The first
``RERANKED`` results it lists are scored again as the tantivy engine scores
(``kb/index/tantivy/parsing.py``): a term weighs its inverse document frequency,
saturated by its frequency in the document (``counts``, stored with each document) and
normalized by the document's length (``length``) in a body field, twice as much in a
title; a word weighs the sum of its fields, a phrase that of its pairs of words, and the
query tree combines them as tantivy's queries do (the sum of an ``And``'s parts, the best
of an ``Or``'s plus a tenth of the others, boosts multiplied). Which of those results
hold each term, and how many documents do, Typesense says (one request).

>>> round(bm25(tf=1, length=100, average=100), 3), round(bm25(tf=3, length=100, average=100), 3)
(1.0, 1.571)
"""
from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from ...query import And, AndMaybe, AndNot, Leaf, Or, Relaxed

RERANKED = 50           # results scored again, from the first: pages within them agree
K1, B = 1.2, 0.75       # BM25's usual parameters (tantivy's and Whoosh's)
OR_TIE_BREAKER = 0.1    # as kb/index/tantivy/parsing.py
FIELD_BOOSTS = {"t": 2.0}                  # titles, as kb/index/tantivy/schema.py
BODY_NAMESPACES = ("f", "e", "o")
MAX_COUNTED = 300       # terms whose frequency is stored per document, most frequent first


@dataclass
class Scoring:
    """What a ranked search is ordered by. Typesense ranks by ``ranking`` (the terms
    some document holds, strongest first) with their ``boosts``; the first results are
    scored again by the query's ``tree``, with each positive leaf's terms per field
    (``leaves``: all of a field's needed, a phrase's pairs of words), on ``terms`` (those
    worth asking about: some document holds them)."""
    ranking: list[str]
    boosts: dict[str, float]
    tree: object
    leaves: dict = field(default_factory=dict)
    terms: list[str] = field(default_factory=list)


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


def tree_score(node, leaves: dict, weight: Callable[[str], float]) -> float:
    """``node``'s score for one document: ``weight`` is a term's weight there (0 when the
    document does not hold it)."""
    boost = getattr(node, "boost", 1.0)
    if isinstance(node, Leaf):
        fields = [[weight(t) for t in terms] for terms in leaves.get(node, ())]
        return boost * sum(sum(weights) for weights in fields if weights and all(weights))
    if isinstance(node, Or):
        scores = sorted((tree_score(part, leaves, weight) for part in node.parts), reverse=True)
        return boost * (scores[0] + OR_TIE_BREAKER * sum(scores[1:])) if scores else 0.0
    if isinstance(node, And):
        return boost * sum(tree_score(part, leaves, weight) for part in node.parts)
    if isinstance(node, AndMaybe):
        return tree_score(node.required, leaves, weight) + tree_score(node.optional, leaves, weight)
    if isinstance(node, AndNot):
        return tree_score(node.kept, leaves, weight)
    if isinstance(node, Relaxed):
        return tree_score(node.query, leaves, weight)
    return 0.0          # Not, Every: no term of theirs scores


def reranked(groups: list[list[tuple[dict, float]]], scoring: Scoring, ask: Callable[[list[dict]], list[dict]],
             quote: Callable[[str], str]) -> list[tuple[dict, float]]:
    """One document a result: for the first RERANKED of ``groups`` (each a result's
    versions, with their ``length`` and ``counts`` and Typesense's scores, best first),
    its version of best BM25 score, in the order of those scores; for the others, their
    first version. ``ask`` runs Typesense searches: which of those documents hold each
    term (asking Typesense to highlight the terms costs ten times as much), how many
    documents hold it, among how many."""
    rest = [found[0] for found in groups[RERANKED:]]
    pool = [[document for document, _ in found] for found in groups[:RERANKED]]
    documents = [document for found in pool for document in found]
    terms = scoring.terms
    if not documents or not terms:
        return [found[0] for found in groups]
    within = f"id:=[{','.join(quote(document['id']) for document in documents)}]"
    results = ask([{"q": "*", "filter_by": f"{within} && terms:=[{quote(t)}]", "per_page": len(documents),
                    "include_fields": "id"} for t in terms]
                  + [{"q": "*", "filter_by": f"terms:=[{quote(t)}]", "per_page": 0} for t in terms]
                  + [{"q": "*", "per_page": 0}])
    holders = {t: {hit["document"]["id"] for hit in result["hits"]} for t, result in zip(terms, results)}
    weights = {t: FIELD_BOOSTS.get(t[0], 1.0) * idf(results[-1]["found"], result["found"])
               for t, result in zip(terms, results[len(terms):])}
    average = sum(document.get("length", 0) for document in documents) / len(documents)

    def score(document: dict) -> float:
        counts = json.loads(document.get("counts") or "{}")

        def weight(t: str) -> float:
            if t not in holders or document["id"] not in holders[t]:
                return 0.0
            if t[0] not in BODY_NAMESPACES:
                return weights[t]
            return weights[t] * bm25(counts.get(t, 1), document.get("length", 0), average)
        return tree_score(scoring.tree, scoring.leaves, weight)

    # a result's best version (the first on a tie); results in order (ties keep Typesense's)
    best = [max(((document, score(document)) for document in found), key=lambda pair: pair[1]) for found in pool]
    best.sort(key=lambda pair: -pair[1])
    return best + rest
