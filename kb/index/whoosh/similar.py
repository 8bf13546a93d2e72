"""More like this, in either language: key terms of the document in its own language,
plus the themes, cities and organisations it shares with documents in any language, and
(``similar_with``) a query tree searched in one language's bodies: the key terms
translated, which ``kb`` builds from ``key_terms``.

Scored with the array scorer (``scoring.py``: Whoosh's BM25F scores and order), so a
shared city or theme that thousands of documents carry costs a few array operations,
not a walk through each of them."""
from __future__ import annotations

import numpy as np
from whoosh import query as wq

from model.fields import organisations

from ...query import Node
from ..interface import KEY_TERMS, SimilarDocument
from .parsing import in_field
from .schema import BODY_FIELDS, GROUP_FIELD, OTHER_BODY_FIELD, record_of
from .scoring import best_first, score
from .store import IndexStore

SHARED_BOOST = {"theme": 1.5, "city": 1.0, "organisation": 0.5}
KEPT = 512        # documents whose key terms a generation keeps


def similar(store: IndexStore, doc_id: str, limit: int = 5, extra: Node | None = None,
            language: str | None = None) -> list[SimilarDocument] | None:
    """Documents most like ``doc_id`` (not its own translations), ``extra`` searched in
    the bodies of ``language`` adding to it; None if it is unknown."""
    with store.reading() as searcher:
        return _similar(searcher, store.generation(searcher), doc_id, limit, extra, language)


def key_terms(store: IndexStore, doc_id: str, count: int = KEY_TERMS) -> list[tuple[str, float]] | None:
    """The key terms more like this looks for, each as the text writes it first."""
    with store.reading() as searcher:
        docnum = searcher.document_number(id=doc_id)
        if docnum is None:
            return None
        record = record_of(searcher.stored_fields(docnum))
        field = BODY_FIELDS.get(record.language, OTHER_BODY_FIELD)
        terms = _key_terms(searcher, store.generation(searcher), docnum, field, record.body, count)
        return _surface_words(searcher, field, record.body, terms)


def _key_terms(searcher, generation, docnum: int, field: str, body: str,
               count: int = KEY_TERMS) -> list[tuple[str, float]]:
    """The document's key terms as analysed, with their weights (Whoosh's
    ``key_terms_from_text``), computed once per generation for ``KEY_TERMS``."""
    if count != KEY_TERMS:
        return searcher.key_terms_from_text(field, body, numterms=count)
    found = generation.key_terms.get(docnum)
    if found is None:
        if len(generation.key_terms) >= KEPT:
            generation.key_terms.clear()
        found = generation.key_terms[docnum] = searcher.key_terms_from_text(field, body, numterms=count)
    return found


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


def similar_query(searcher, docnum: int, extra: Node | None = None, language: str | None = None,
                  generation=None):
    """The query of documents like ``docnum`` (None when it has nothing to look for),
    and the query of the documents left out: its own group (translations) and drafts.
    ``generation``: the searcher's, whose key terms it keeps (None: computed here)."""
    record = record_of(searcher.stored_fields(docnum))
    field = BODY_FIELDS.get(record.language, OTHER_BODY_FIELD)
    terms = (_key_terms(searcher, generation, docnum, field, record.body) if generation is not None
             else searcher.key_terms_from_text(field, record.body, numterms=KEY_TERMS))
    clauses = [wq.Term(field, term, boost=weight) for term, weight in terms]
    if extra is not None and clauses:
        added = in_field(extra, searcher.schema, BODY_FIELDS.get(language, OTHER_BODY_FIELD))
        clauses += added.subqueries if isinstance(added, wq.Or) else [added] if added is not None else []
    shared = {"theme": list(record.extraction.themes),
              "city": [c.name for c in record.extraction.cities],
              "organisation": organisations(record)}
    for name, values in shared.items():
        clauses += [wq.Term(name, value, boost=SHARED_BOOST[name]) for value in values]
    group = record.translation_key or record.id
    excluded = wq.Or([wq.Term(GROUP_FIELD, group), wq.Term("status", "draft")])
    return (wq.Or(clauses) if clauses else None), excluded


def _similar(searcher, generation, doc_id: str, limit: int, extra: Node | None = None,
             language: str | None = None) -> list[SimilarDocument] | None:
    docnum = searcher.document_number(id=doc_id)
    if docnum is None:
        return None
    wanted, excluded = similar_query(searcher, docnum, extra, language, generation)
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
