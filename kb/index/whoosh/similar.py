"""More like this, in either language: key terms of the document in its own language,
plus the themes, cities and organisations it shares with documents in any language.

Scored with the array scorer (``scoring.py``: Whoosh's BM25F scores and order), so a
shared city or theme that thousands of documents carry costs a few array operations,
not a walk through each of them."""
from __future__ import annotations

import numpy as np
from whoosh import query as wq

from model.fields import organisations

from ..interface import SimilarDocument
from .schema import BODY_FIELDS, GROUP_FIELD, OTHER_BODY_FIELD, record_of
from .scoring import best_first, score
from .store import IndexStore

KEY_TERMS = 15
SHARED_BOOST = {"theme": 1.5, "city": 1.0, "organisation": 0.5}


def similar(store: IndexStore, doc_id: str, limit: int = 5) -> list[SimilarDocument] | None:
    """Documents most like ``doc_id`` (not its own translations); None if it is unknown."""
    with store.reading() as searcher:
        return _similar(searcher, store.generation(searcher), doc_id, limit)


def similar_query(searcher, docnum: int):
    """The query of documents like ``docnum`` (None when it has nothing to look for),
    and the query of the documents left out: its own group (translations) and drafts."""
    record = record_of(searcher.stored_fields(docnum))
    field = BODY_FIELDS.get(record.language, OTHER_BODY_FIELD)
    clauses = [wq.Term(field, term, boost=weight)
               for term, weight in searcher.key_terms_from_text(field, record.body, numterms=KEY_TERMS)]
    shared = {"theme": list(record.extraction.themes),
              "city": [c.name for c in record.extraction.cities],
              "organisation": organisations(record)}
    for name, values in shared.items():
        clauses += [wq.Term(name, value, boost=SHARED_BOOST[name]) for value in values]
    group = record.translation_key or record.id
    excluded = wq.Or([wq.Term(GROUP_FIELD, group), wq.Term("status", "draft")])
    return (wq.Or(clauses) if clauses else None), excluded


def _similar(searcher, generation, doc_id: str, limit: int) -> list[SimilarDocument] | None:
    docnum = searcher.document_number(id=doc_id)
    if docnum is None:
        return None
    wanted, excluded = similar_query(searcher, docnum)
    if wanted is None:
        return []
    scored = score(searcher, generation, wanted)
    keep = ~np.isin(scored.ids, score(searcher, generation, excluded).ids)
    ids, scores = scored.ids[keep], scored.scores[keep]
    best = best_first(ids, scores, limit)[:limit]
    hits = []
    for number, value in zip(best.tolist(), scores[np.searchsorted(ids, best)].tolist()):
        hit = searcher.stored_fields(number)
        hits.append(SimilarDocument(hit["id"], hit["title"], hit["language"], hit["type"],
                                    hit.get("date") or None, round(value, 4)))
    return hits
