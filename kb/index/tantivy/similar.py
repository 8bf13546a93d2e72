"""More like this, in either language: key terms of the document in its own language,
plus the themes, cities and organisations it shares with documents in any language.

Key terms are chosen here (tf-idf, ties by term) rather than by tantivy's more-like-this
query, whose choice among equal weights changes from one thread to another.
"""
from __future__ import annotations

import math
from collections import Counter

import tantivy

from model.fields import organisations

from ..interface import KEY_TERMS, SimilarDocument
from .parsing import MUST_NOT, SHOULD, boolean
from .analysis import analyses
from .schema import (BODY_FIELDS, FILTER_FIELD, GROUP_FIELD, OTHER_BODY_FIELD, TEXT_ANALYZERS,
                     facet_key, record_of)
from .searching import draft_query, search_records
from .store import IndexStore

SHARED_BOOST = {"theme": 1.5, "city": 1.0, "organisation": 0.5}


def similar(store: IndexStore, doc_id: str, limit: int = 5) -> list[SimilarDocument] | None:
    """Documents most like ``doc_id`` (not its own translations); None if it is unknown."""
    searcher, _ = store.reading()
    schema = store.schema
    found = search_records(searcher, tantivy.Query.term_query(schema, "id", doc_id))
    if not found:
        return None
    record = found[0]
    field = BODY_FIELDS.get(record.language, OTHER_BODY_FIELD)
    clauses = [(SHOULD, tantivy.Query.boost_query(tantivy.Query.term_query(schema, field, term), weight))
               for term, weight in key_terms(searcher, field, f"{record.title}\n\n{record.body}")]
    shared = {"theme": list(record.extraction.themes),
              "city": [c.name for c in record.extraction.cities],
              "organisation": organisations(record)}
    for name, values in shared.items():
        for value in dict.fromkeys(values):
            term = tantivy.Query.term_query(schema, FILTER_FIELD, facet_key(name, value))
            clauses.append((SHOULD, tantivy.Query.const_score_query(term, SHARED_BOOST[name])))
    group = record.translation_key or record.id
    clauses += [(MUST_NOT, tantivy.Query.term_query(schema, GROUP_FIELD, group)),
                (MUST_NOT, draft_query(schema))]
    hits = []
    for score, address in searcher.search(boolean(clauses), limit, count=False).hits:
        hit = record_of(searcher.doc(address).get_first("record"))
        hits.append(SimilarDocument(hit.id, hit.title, hit.language, hit.type, hit.date or None,
                                    round(score, 4)))
    return hits


def key_terms(searcher: tantivy.Searcher, field: str, text: str) -> list[tuple[str, float]]:
    """The ``KEY_TERMS`` terms of ``text`` that best tell it apart (tf-idf, in ``field``),
    with weights from 1 down; terms no other document has are left out."""
    counts = Counter(analyses()[TEXT_ANALYZERS[field]].analyze(text))
    documents = max(1, searcher.num_docs)
    scored = []
    for term, frequency in counts.items():
        holders = searcher.doc_freq(field, term)
        if holders > 1:
            scored.append((frequency * math.log(1 + documents / holders), term))
    best = sorted(scored, key=lambda st: (-st[0], st[1]))[:KEY_TERMS]
    return [(term, weight / best[0][0]) for weight, term in best]
