"""More like this, in either language: key terms of the document in its own language,
plus the themes, cities and organisations it shares with documents in any language."""
from __future__ import annotations

import json

from whoosh import query as wq

from ..schema import BODY_FIELDS, OTHER_BODY_FIELD
from .store import IndexStore

KEY_TERMS = 15
SHARED_BOOST = {"theme": 1.5, "city": 1.0, "organisation": 0.5}


def similar(store: IndexStore, doc_id: str, limit: int = 5) -> list[dict] | None:
    """Documents most like ``doc_id`` (not its own translations); None if it is unknown."""
    with store.reading() as searcher:
        return _similar(searcher, doc_id, limit)


def _similar(searcher, doc_id: str, limit: int) -> list[dict] | None:
    docnum = searcher.document_number(id=doc_id)
    if docnum is None:
        return None
    stored = searcher.stored_fields(docnum)
    extraction = json.loads(stored.get("meta") or "{}").get("extraction", {})
    meta = json.loads(stored.get("meta") or "{}")
    field = BODY_FIELDS.get(stored["language"], OTHER_BODY_FIELD)
    clauses = [wq.Term(field, term, boost=weight)
               for term, weight in searcher.key_terms_from_text(field, stored.get("body", ""),
                                                                  numterms=KEY_TERMS)]
    shared = {"theme": extraction.get("themes", []),
              "city": [c["name"] for c in extraction.get("cities", [])],
              "organisation": meta.get("organisations", [])}
    for name, values in shared.items():
        clauses += [wq.Term(name, value, boost=SHARED_BOOST[name]) for value in values]
    if not clauses:
        return []
    group = stored.get("translation_key") or stored["id"]
    exclude = wq.Or([wq.Term("group", group), wq.Term("status", "draft")])
    results = searcher.search(wq.Or(clauses), limit=limit, mask=exclude)
    return [{"id": hit["id"], "title": hit["title"], "language": hit["language"],
             "type": hit["type"], "date": hit.get("date") or None,
             "score": round(float(hit.score), 4)} for hit in results]
