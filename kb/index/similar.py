"""More like this, in either language: key terms of the document in its own language,
plus the themes, cities and organisations it shares with documents in any language, and
(given ``translate``) the key terms' translations searched in the other language.

Scored with the array scorer (``scoring.py``: Whoosh's BM25F scores and order), so a
shared city or theme that thousands of documents carry costs a few array operations,
not a walk through each of them."""
from __future__ import annotations

import json
from typing import Callable

import numpy as np
from whoosh import query as wq

from ..schema import BODY_FIELDS, GROUP_FIELD, OTHER_BODY_FIELD
from .scoring import best_first, score
from .store import IndexStore

KEY_TERMS = 15
SHARED_BOOST = {"theme": 1.5, "city": 1.0, "organisation": 0.5}


# (language, [(word, weight)]) → [(other language, translation, weight)]
TranslateTerms = Callable[[str, list[tuple[str, float]]], list[tuple[str, str, float]]]


def similar(store: IndexStore, doc_id: str, limit: int = 5,
            translate: TranslateTerms | None = None) -> list[dict] | None:
    """Documents most like ``doc_id`` (not its own translations); None if it is unknown."""
    with store.reading() as searcher:
        return _similar(searcher, store.generation(searcher), doc_id, limit, translate)


def _surface_words(searcher, field: str, body: str, terms: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Each key term (as the analyzer made it: ``radicalis``) as the text writes it
    first (``radicalisation``), with its weight."""
    wanted = {term for term, _ in terms}
    first: dict[str, str] = {}
    for token in searcher.schema[field].analyzer(body, chars=True, mode="index"):
        if token.text in wanted and token.text not in first:
            first[token.text] = body[token.startchar:token.endchar]
            if len(first) == len(wanted):
                break
    return [(first[term], weight) for term, weight in terms if term in first]


def _translated_clauses(searcher, language: str, words: list[tuple[str, float]],
                        translate: TranslateTerms) -> list:
    clauses = []
    for other, text, weight in translate(language, words):
        field = BODY_FIELDS.get(other)
        if field is None:
            continue
        for token in searcher.schema[field].analyzer(text):
            clauses.append(wq.Term(field, token.text, boost=weight))
    return clauses


def similar_query(searcher, docnum: int, translate: TranslateTerms | None = None):
    """The query of documents like ``docnum`` (None when it has nothing to look for),
    and the query of the documents left out: its own group (translations) and drafts."""
    stored = searcher.stored_fields(docnum)
    meta = json.loads(stored.get("meta") or "{}")
    extraction = meta.get("extraction", {})
    field = BODY_FIELDS.get(stored["language"], OTHER_BODY_FIELD)
    key_terms = searcher.key_terms_from_text(field, stored.get("body", ""), numterms=KEY_TERMS)
    clauses = [wq.Term(field, term, boost=weight) for term, weight in key_terms]
    if translate is not None and stored["language"] in BODY_FIELDS and key_terms:
        words = _surface_words(searcher, field, stored.get("body", ""), key_terms)
        clauses += _translated_clauses(searcher, stored["language"], words, translate)
    shared = {"theme": extraction.get("themes", []),
              "city": [c["name"] for c in extraction.get("cities", [])],
              "organisation": meta.get("organisations", [])}
    for name, values in shared.items():
        clauses += [wq.Term(name, value, boost=SHARED_BOOST[name]) for value in values]
    group = stored.get("translation_key") or stored["id"]
    excluded = wq.Or([wq.Term(GROUP_FIELD, group), wq.Term("status", "draft")])
    return (wq.Or(clauses) if clauses else None), excluded


def _similar(searcher, generation, doc_id: str, limit: int,
             translate: TranslateTerms | None = None) -> list[dict] | None:
    docnum = searcher.document_number(id=doc_id)
    if docnum is None:
        return None
    wanted, excluded = similar_query(searcher, docnum, translate)
    if wanted is None:
        return []
    scored = score(searcher, generation, wanted)
    keep = ~np.isin(scored.ids, score(searcher, generation, excluded).ids)
    ids, scores = scored.ids[keep], scored.scores[keep]
    best = best_first(ids, scores, limit)[:limit]
    hits = []
    for number, value in zip(best.tolist(), scores[np.searchsorted(ids, best)].tolist()):
        hit = searcher.stored_fields(number)
        hits.append({"id": hit["id"], "title": hit["title"], "language": hit["language"],
                     "type": hit["type"], "date": hit.get("date") or None, "score": round(value, 4)})
    return hits
