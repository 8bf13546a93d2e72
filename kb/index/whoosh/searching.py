"""Running a search on the Whoosh index: matching, facet counts, grouping of language
versions, ranking, snippets. ``kb/search.py`` decides what to run; this module runs it."""
from __future__ import annotations

import numpy as np
from whoosh import query as wq

from model.fields import FACETS

from ...query import Every, Or, QueryError, wanted_leaves
from ..highlighting import highlights, term_spans
from ..interface import Hit, IndexAnswer, IndexQuery
from .facets import count_facets
from .highlight import analysis_of
from .parsing import searched_terms, to_whoosh
from .schema import BODY_FIELDS, GROUP_FIELD, OTHER_BODY_FIELD, record_of
from .scoring import Scored, best_first, score
from .spelling import corrections
from .store import IndexStore


def run(store: IndexStore, query: IndexQuery) -> IndexAnswer:
    """``query`` on the latest committed generation."""
    with store.reading() as searcher:
        execution = Execution(store, searcher, query)
        parsed = execution.parse()
        matched, facets = execution.match(parsed)
        has_text = not isinstance(query.query, Every)
        total = execution.group_count(matched)
        hits = [] if query.offset >= total or query.limit <= 0 else execution.page(
            parsed, matched, first=query.offset, size=query.limit, has_text=has_text, sort=query.sort)
        return IndexAnswer(total=total, documents=len(matched), hits=hits, facets=facets,
                           terms=searched_terms(parsed) if has_text else {},
                           matches=execution.tier_counts(matched))


def match_spans(store: IndexStore, doc_id: str, query) -> list[tuple[int, int]] | None:
    """Spans of the document's body whose terms the query searches in its language's field."""
    with store.reading() as searcher:
        stored = searcher.document(id=doc_id)
        if stored is None:
            return None
        record = record_of(stored)
        field_name = BODY_FIELDS.get(record.language, OTHER_BODY_FIELD)
        wanted = tuple(wanted_leaves(query))        # not the words it excludes, at any depth
        if not wanted:
            return []
        kept = to_whoosh(Or(parts=wanted), searcher.schema)
        found = [t for name, t in kept.iter_all_terms(phrases=True) if name == field_name]
        for leaf in kept.leaves():           # a prefix or wildcard: the words it stands for
            if isinstance(leaf, wq.MultiTerm) and leaf.field() == field_name:
                found += list(leaf._btexts(searcher.reader()))
        terms = {t.decode("utf-8") if isinstance(t, bytes) else t for t in found}
        return term_spans(record.body, terms, analysis_of(searcher.schema[field_name].analyzer))


def _visible_holders(store: IndexStore, searcher):
    """``holders(field, term)``: how many documents that are not drafts hold the term."""
    generation = store.generation(searcher)
    hidden = generation.postings(searcher, "status", b"draft").ids

    def holders(field: str, term: str | bytes) -> int:
        text = term.encode("utf-8") if isinstance(term, str) else term
        return len(np.setdiff1d(generation.postings(searcher, field, text).ids, hidden, assume_unique=True))
    return holders


def suggest(store: IndexStore, words) -> dict[str, list[str]]:
    with store.reading() as searcher:
        return corrections(searcher.reader(), searcher.schema, list(words), _visible_holders(store, searcher))


def word_counts(store: IndexStore, language: str, words) -> list[int | None]:
    """For each word, the visible documents whose body field of ``language`` (title and
    body, that language's analyzer) has it; a word the analyzer cuts in several terms
    counts by its rarest, one it drops entirely is None."""
    field = BODY_FIELDS.get(language, OTHER_BODY_FIELD)
    with store.reading() as searcher:
        holders = _visible_holders(store, searcher)
        analyzer = searcher.schema[field].analyzer
        return [min((holders(field, token.text) for token in analyzer(word)), default=None) for word in words]


class Execution:
    """One search against one generation of the index."""

    def __init__(self, store: IndexStore, searcher, query: IndexQuery):
        self.searcher = searcher     # from store.reading(), for this thread only
        self.generation = store.generation(self.searcher)
        self.table = self.generation.table
        self.query = query
        self._scored: dict[int, tuple[object, Scored]] = {}
        self._levels: np.ndarray | None = None

    def parse(self):
        """The Whoosh query of the request's parsed query."""
        return to_whoosh(self.query.query, self.searcher.schema)

    def _drafts(self) -> np.ndarray:
        return self.generation.postings(self.searcher, "status", b"draft").ids

    def _score(self, parsed) -> Scored:
        """Every document matching ``parsed`` with its score, computed once per query."""
        found = self._scored.get(id(parsed))
        if found is None or found[0] is not parsed:
            found = self._scored[id(parsed)] = (parsed, score(self.searcher, self.generation, parsed))
        return found[1]

    def match(self, parsed):
        """(matching document numbers, ascending; facet counts)."""
        query = self.query
        base = np.zeros(self.generation.size, dtype=bool)
        base[self._score(parsed).ids] = True
        if query.date_from or query.date_to:
            base &= self._dated_between(query.date_from or "0", (query.date_to or "9999") + "\uffff")
        if not query.include_drafts:
            base[self._drafts()] = False
        columns = {name: self.generation.facet(name) for name in FACETS}
        matched, facets = count_facets(columns, base, query.filters, query.facet_limit)
        return np.flatnonzero(matched), facets

    def _dated_between(self, low: str, high: str) -> np.ndarray:
        """Mask of the dated documents with low <= date <= high (as strings)."""
        dates = self.generation.values("date")
        return (dates != "") & (dates >= low) & (dates <= high)

    def levels(self) -> np.ndarray | None:
        """Each document's tier (``IndexQuery.tiers``): the index of the first it matches,
        ``len(tiers)`` for the rest; None without tiers."""
        tiers = self.query.tiers
        if not tiers:
            return None
        if self._levels is None:
            levels = np.full(self.generation.size, len(tiers), dtype=np.int64)
            for number in reversed(range(len(tiers))):
                try:
                    ids = self._score(to_whoosh(tiers[number][1], self.searcher.schema)).ids
                except QueryError:       # nothing left to search: no document in this tier
                    continue
                levels[ids] = number
            self._levels = levels
        return self._levels

    def _group_levels(self, matched: np.ndarray) -> np.ndarray:
        """Each group's tier: its best version's among ``matched`` (len(tiers) + 1: none)."""
        codes = self.generation.codes(GROUP_FIELD)
        best = np.full(int(codes.max()) + 1 if len(codes) else 0, len(self.query.tiers) + 1, dtype=np.int64)
        np.minimum.at(best, codes[matched], self.levels()[matched])
        return best

    def tier_counts(self, matched: np.ndarray) -> dict[str, int]:
        """Results (groups of language versions) per tier, each group in its best version's."""
        if self.levels() is None:
            return {}
        names = [name for name, _ in self.query.tiers] + [self.query.rest]
        best = self._group_levels(matched)
        counts = np.bincount(best[best < len(names)], minlength=len(names))
        return dict(zip(names, counts.tolist()))

    def group_count(self, docnums: np.ndarray) -> int:
        return int(np.count_nonzero(np.bincount(self.generation.codes(GROUP_FIELD)[docnums])))

    def page(self, parsed, matched: np.ndarray, *, first: int, size: int, has_text: bool,
             sort: str) -> list[Hit]:
        """Hits first..first+size, the best version of each group only."""
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
        levels = self.levels()
        names = [name for name, _ in self.query.tiers] + [self.query.rest]
        ranked = keys
        if levels is not None and self.query.first in names and len(keys):   # those first, whatever the key
            span = float(keys.max() - keys.min()) + 1.0
            ranked = keys + (levels[docnums] <= names.index(self.query.first)) * span
        page = self._page_of_groups(docnums, ranked, first, size)
        scores = (keys[np.searchsorted(docnums, page)].tolist() if sort == "relevance" and has_text
                  else [0.0] * len(page))
        group_levels = self._group_levels(matched) if levels is not None else None
        codes = self.generation.codes(GROUP_FIELD)
        if group_levels is not None:
            page = np.array([self._in_best_tier(d, matched, group_levels[codes[d]]) for d in page.tolist()],
                            dtype=page.dtype)
        versions = self._versions(set(page.tolist()))
        return [self._hit(d, score_, parsed if has_text else None, versions,
                          names[group_levels[codes[d]]] if group_levels is not None else None)
                for d, score_ in zip(page.tolist(), scores)]

    def _in_best_tier(self, docnum: int, matched: np.ndarray, best: int) -> int:
        """The version a result is shown by: ``docnum``, or, when it is not in its group's
        best tier, a version that is (when the versions share a date, the one with the
        words as typed rather than the one indexed first)."""
        levels, codes = self.levels(), self.generation.codes(GROUP_FIELD)
        if levels[docnum] == best:
            return docnum
        versions = matched[codes[matched] == codes[docnum]]
        return int(versions[levels[versions] == best][0])

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
        hidden = set() if self.query.include_drafts else set(self._drafts().tolist())
        return {group: [d for d in members[group] if d not in hidden]
                for group in {column[d][0] for d in docnums if column[d]}}

    def _hit(self, docnum: int, score: float, parsed, versions: dict[str, list[int]],
             match: str | None = None) -> Hit:
        record = record_of(self.searcher.stored_fields(docnum))
        marked, passage, commitment = "", None, None
        if parsed is not None and self.query.snippets:
            field_name = BODY_FIELDS.get(record.language, OTHER_BODY_FIELD)
            analysis = analysis_of(self.searcher.schema[field_name].analyzer)
            terms = {t.decode("utf-8") if isinstance(t, bytes) else t
                     for name, t in parsed.iter_all_terms(phrases=True) if name == field_name}
            marked, passage, commitment = highlights(
                record.body, [c.to_dict() for c in record.extraction.commitments], terms, analysis)
        group = record.translation_key or record.id
        others = [record_of(self.searcher.stored_fields(d)) for d in versions.get(group, []) if d != docnum]
        return Hit.of(record, score, others, snippet=marked, passage=passage, commitment=commitment,
                      match=match)
