"""Running a search on the Whoosh index: matching, facet counts, grouping of language
versions, ranking, snippets. ``kb/search.py`` decides what to run; this module runs it."""
from __future__ import annotations

import json
from typing import Any, Mapping, Sequence

import numpy as np
from whoosh import query as wq

from ..schema import BODY_FIELDS, FACET_FIELDS, GROUP_FIELD, OTHER_BODY_FIELD
from .facets import count_facets
from .highlight import best_commitment, best_passage, plain_snippet, snippet
from .parsing import parse, parse_expanded, relax
from .scoring import Scored, best_first, score
from .spelling import corrections
from .store import IndexStore


class Execution:
    """One search against one generation of the index."""

    def __init__(self, store: IndexStore, searcher, *, filters: Mapping[str, Sequence[str]],
                 date_from: str = "", date_to: str = "", include_drafts: bool = False):
        self.searcher = searcher     # from store.reading(), for this thread only
        self.generation = store.generation(self.searcher)
        self.table = self.generation.table
        self.filters = filters
        self.date_from, self.date_to = date_from, date_to
        self.include_drafts = include_drafts
        self._scored: dict[int, tuple[Any, Scored]] = {}

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

    def _drafts(self) -> np.ndarray:
        return self.generation.postings(self.searcher, "status", b"draft").ids

    def _score(self, parsed) -> Scored:
        """Every document matching ``parsed`` with its score, computed once per query."""
        found = self._scored.get(id(parsed))
        if found is None or found[0] is not parsed:
            found = self._scored[id(parsed)] = (parsed, score(self.searcher, self.generation, parsed))
        return found[1]

    def match(self, parsed) -> tuple[np.ndarray, dict[str, list[dict[str, Any]]]]:
        """(matching document numbers, ascending; facet counts)."""
        base = np.zeros(self.generation.size, dtype=bool)
        base[self._score(parsed).ids] = True
        if self.date_from or self.date_to:
            base &= self._dated_between(self.date_from or "0", (self.date_to or "9999") + "\uffff")
        if not self.include_drafts:
            base[self._drafts()] = False
        columns = {name: self.generation.facet(name) for name in FACET_FIELDS}
        matched, facets = count_facets(columns, base, self.filters)
        return np.flatnonzero(matched), facets

    def _dated_between(self, low: str, high: str) -> np.ndarray:
        """Mask of the dated documents with low <= date <= high (as strings)."""
        dates = self.generation.values("date")
        return (dates != "") & (dates >= low) & (dates <= high)

    def group_count(self, docnums: np.ndarray) -> int:
        return int(np.count_nonzero(np.bincount(self.generation.codes(GROUP_FIELD)[docnums])))

    def document_share(self, language: str, text: str) -> float:
        """The share of the documents in ``language`` that may contain ``text``: those
        with its rarest word, as that language's analyzer reads it (0 when it has none)."""
        name = BODY_FIELDS.get(language, OTHER_BODY_FIELD)
        reader = self.searcher.reader()
        documents = reader.doc_frequency("language", language)
        if not documents:
            return 0.0
        terms = [token.text for token in self.searcher.schema[name].analyzer(text)]
        return min((reader.doc_frequency(name, term) for term in terms), default=0) / documents

    def groups_with(self, language: str, text: str | None = None) -> np.ndarray:
        """The translation groups (codes, ascending) of the documents in ``language``
        that have every word of ``text`` (every document in ``language`` when None)."""
        if text is None:
            docnums = self.generation.postings(self.searcher, "language", language.encode("utf-8")).ids
        else:
            name = BODY_FIELDS.get(language, OTHER_BODY_FIELD)
            docnums = None
            for token in self.searcher.schema[name].analyzer(text):
                ids = self.generation.postings(self.searcher, name, token.text.encode("utf-8")).ids
                docnums = ids if docnums is None else np.intersect1d(docnums, ids, assume_unique=True)
            if docnums is None:
                return np.zeros(0, dtype=np.int64)
        return np.unique(self.generation.codes(GROUP_FIELD)[docnums])

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

    def page(self, parsed, matched: np.ndarray, *, first: int, size: int, has_text: bool,
             sort: str) -> list[dict[str, Any]]:
        """Hits first..first+size as dicts, the best version of each group only."""
        if not len(matched):
            return []
        if sort == "relevance" and has_text:
            scored = self._score(parsed)
            wanted = np.zeros(self.generation.size, dtype=bool)
            wanted[matched] = True
            keep = wanted[scored.ids]
            docnums, keys = scored.ids[keep], scored.scores[keep]
        else:        # newest (or oldest) first; undated last when newest first
            dates = self.generation.codes("date")[matched]
            docnums, keys = matched, (dates if sort != "oldest" else -dates).astype(np.float64)
        page = self._page_of_groups(docnums, keys, first, size)
        scores = (keys[np.searchsorted(docnums, page)].tolist() if sort == "relevance" and has_text
                  else [0.0] * len(page))
        versions = self._versions(set(page.tolist()))
        return [self._hit(d, score_, parsed if has_text else None, versions)
                for d, score_ in zip(page.tolist(), scores)]

    def _page_of_groups(self, docnums: np.ndarray, keys: np.ndarray, first: int, size: int) -> np.ndarray:
        """Documents first..first+size by descending key (ties by document number), the
        first of each group only. Only the best few are sorted: a few more each round."""
        groups = self.generation.codes(GROUP_FIELD)
        limit = 2 * (first + size)
        while True:
            ranked = best_first(docnums, keys, limit)
            _, firsts = np.unique(groups[ranked], return_index=True)
            listed = ranked[np.sort(firsts)]
            if len(listed) >= first + size or len(ranked) == len(docnums):
                return listed[first:first + size]
            limit *= 4

    def _versions(self, docnums: set[int]) -> dict[str, list[int]]:
        """Every visible version (document number) of the groups of ``docnums``."""
        column = self.table[GROUP_FIELD]
        members = self.generation.members(GROUP_FIELD)
        hidden = set() if self.include_drafts else set(self._drafts().tolist())
        return {group: [d for d in members[group] if d not in hidden]
                for group in {column[d][0] for d in docnums if column[d]}}

    def _hit(self, docnum: int, score: float, parsed, versions: dict[str, list[int]]) -> dict[str, Any]:
        stored = self.searcher.stored_fields(docnum)
        meta = json.loads(stored.get("meta") or "{}")
        extraction = meta.get("extraction", {})
        body = stored.get("body", "")
        field_name = BODY_FIELDS.get(stored["language"], OTHER_BODY_FIELD)
        marked, passage, commitment = "", None, None
        if parsed is not None:
            analyzer = self.searcher.schema[field_name].analyzer
            terms = {t.decode("utf-8") if isinstance(t, bytes) else t
                     for name, t in parsed.iter_all_terms(phrases=True) if name == field_name}
            best = best_passage(body, terms, analyzer)
            if best is not None:
                passage = best.to_dict()
                marked = snippet(best.text, terms, analyzer)
            marked = marked or snippet(body, terms, analyzer)
            commitment = best_commitment(extraction.get("commitments", []), terms, analyzer)
        group = stored.get("translation_key") or stored["id"]
        others = [self.searcher.stored_fields(d) for d in versions.get(group, []) if d != docnum]
        return {
            "id": stored["id"], "title": stored["title"], "type": stored["type"],
            "language": stored["language"], "date": stored.get("date") or None,
            "path": stored["path"],
            "score": round(score, 4),
            "snippet": marked or plain_snippet(body),
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
