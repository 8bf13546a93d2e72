"""Running a search on the Whoosh index: matching, facet counts, grouping of language
versions, ranking, snippets. ``kb/search.py`` decides what to run; this module runs it."""
from __future__ import annotations

import json
from typing import Any, Mapping, Sequence

from whoosh import highlight
from whoosh import query as wq

from ..schema import BODY_FIELDS, FACET_FIELDS, GROUP_FIELD, OTHER_BODY_FIELD
from .facets import count_facets
from .highlight import SNIPPET_CHARS, MarkFormatter, best_commitment, best_passage, plain_snippet
from .parsing import parse, parse_expanded, relax
from .spelling import corrections
from .store import IndexStore

TABLE_FIELDS = (*FACET_FIELDS, GROUP_FIELD)
_MEMBERS: tuple[list, dict[str, list[int]]] = ([], {})


def _group_members(column: list[tuple[str, ...]]) -> dict[str, list[int]]:
    """Group → its document numbers, built once per index generation (the column is the
    generation's group table): scanning the column on every search grew with the index."""
    global _MEMBERS
    cached_column, members = _MEMBERS
    if cached_column is not column:
        members = {}
        for docnum, values in enumerate(column):
            if values:
                members.setdefault(values[0], []).append(docnum)
        _MEMBERS = (column, members)
    return members


class Execution:
    """One search against one generation of the index."""

    def __init__(self, store: IndexStore, *, filters: Mapping[str, Sequence[str]],
                 date_from: str = "", date_to: str = "", include_drafts: bool = False):
        self.searcher = store.searcher()
        self.table = store.facet_values(self.searcher, TABLE_FIELDS)
        self.filters = filters
        self.date_from, self.date_to = date_from, date_to
        self.include_drafts = include_drafts

    def parse(self, text: str, alternatives: dict[str, list[str]] | None = None,
              relaxed: bool = False):
        """The engine query for a checked query (placeholders stand for alternatives);
        ``relaxed``: most words rather than all words must match."""
        if not text:
            return wq.Every()
        if alternatives:
            parsed = parse_expanded(text, alternatives, self.searcher.schema)
        else:
            parsed = parse(text, self.searcher.schema, checked=True)
        return relax(parsed) if relaxed else parsed

    def _drafts(self) -> set[int]:
        return set(self.searcher.docs_for_query(wq.Term("status", "draft")))

    def match(self, parsed) -> tuple[set[int], dict[str, list[dict[str, Any]]]]:
        """(matching document numbers, facet counts)."""
        base = set(self.searcher.docs_for_query(parsed))
        if self.date_from or self.date_to:
            upper = (self.date_to or "9999") + "\uffff"
            base &= set(self.searcher.docs_for_query(wq.TermRange("date", self.date_from or "0", upper)))
        if not self.include_drafts:
            base -= self._drafts()
        return count_facets(self.searcher, self.table, base, self.filters)

    def group_count(self, docnums: set[int]) -> int:
        column = self.table[GROUP_FIELD]
        return len({column[d][0] for d in docnums if column[d]})

    def corrections(self, words: list[str]) -> dict[str, list[str]]:
        return corrections(self.searcher.reader(), self.searcher.schema, words)

    def stems(self, parsed) -> dict[str, list[str]]:
        """The terms searched in each field, as the analyzers made them."""
        out: dict[str, list[str]] = {}
        for name, term in parsed.iter_all_terms(phrases=True):
            term = term.decode("utf-8") if isinstance(term, bytes) else term
            out.setdefault(name, [])
            if term not in out[name]:
                out[name].append(term)
        return out

    def page(self, parsed, matched: set[int], *, first: int, size: int, has_text: bool,
             sort: str) -> list[dict[str, Any]]:
        """Hits first..first+size as dicts, the best version of each group only."""
        if not matched:   # Whoosh reads an empty filter set as "no filter"
            return []
        sort_options: dict[str, Any] = {}
        if sort != "relevance" or not has_text:
            sort_options = {"sortedby": "date", "reverse": sort != "oldest"}
        page = self._best_of_each_group(parsed, matched, first, size, has_text, sort_options)
        versions = self._versions({h.docnum for h in page})
        scored = not sort_options  # when sorted by date, Whoosh's "score" is the date
        return [self._hit(h, parsed if has_text else None, scored, versions) for h in page]

    def _best_of_each_group(self, parsed, matched, first, size, has_text, sort_options) -> list:
        # Whoosh's own collapsing is ignored when a filter is given, so it is done here.
        column = self.table[GROUP_FIELD]
        wanted, limit = first + size, (first + size) * 2
        while True:
            results = self.searcher.search(parsed, limit=limit, filter=matched, terms=has_text,
                                           **sort_options)
            results.fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=80)
            results.formatter = MarkFormatter()
            seen: set[str] = set()
            best = []
            for hit in results:
                group = column[hit.docnum][0] if column[hit.docnum] else str(hit.docnum)
                if group not in seen:
                    seen.add(group)
                    best.append(hit)
            if len(best) >= wanted or results.scored_length() >= len(matched):
                return best[first:wanted]
            limit *= 2

    def _versions(self, docnums: set[int]) -> dict[str, list[int]]:
        """Every visible version (document number) of the groups of ``docnums``."""
        column = self.table[GROUP_FIELD]
        members = _group_members(column)
        hidden = set() if self.include_drafts else self._drafts()
        return {group: [d for d in members[group] if d not in hidden]
                for group in {column[d][0] for d in docnums if column[d]}}

    def _hit(self, whoosh_hit, parsed, scored: bool, versions: dict[str, list[int]]) -> dict[str, Any]:
        stored = whoosh_hit.fields()
        meta = json.loads(stored.get("meta") or "{}")
        extraction = meta.get("extraction", {})
        body = stored.get("body", "")
        field_name = BODY_FIELDS.get(stored["language"], OTHER_BODY_FIELD)
        snippet, passage, commitment = "", None, None
        if parsed is not None:
            analyzer = self.searcher.schema[field_name].analyzer
            terms = {t.decode("utf-8") if isinstance(t, bytes) else t
                     for name, t in parsed.iter_all_terms(phrases=True) if name == field_name}
            best = best_passage(body, terms, analyzer)
            if best is not None:
                passage = best.to_dict()
                snippet = whoosh_hit.highlights(field_name, text=best.text, top=2)
            snippet = snippet or whoosh_hit.highlights(field_name, text=body, top=2)
            commitment = best_commitment(extraction.get("commitments", []), terms, analyzer)
        group = stored.get("translation_key") or stored["id"]
        others = [self.searcher.stored_fields(d) for d in versions.get(group, []) if d != whoosh_hit.docnum]
        return {
            "id": stored["id"], "title": stored["title"], "type": stored["type"],
            "language": stored["language"], "date": stored.get("date") or None,
            "path": stored["path"],
            "score": round(float(whoosh_hit.score), 4) if scored else 0.0,
            "snippet": snippet or plain_snippet(body),
            "translation_key": stored.get("translation_key") or None,
            "source_url": meta.get("source_url"),
            "cities": [{"name": c["name"], "country": c["country"], "roles": c.get("roles", [])}
                       for c in extraction.get("cities", [])],
            "organisations": meta.get("organisations", []),
            "themes": extraction.get("themes", []),
            "commitments": len(extraction.get("commitments", [])),
            "languages": sorted({stored["language"], *(o["language"] for o in others)}),
            "versions": [{"id": o["id"], "language": o["language"], "title": o["title"]} for o in others],
            "passage": passage, "commitment": commitment,
        }
