"""Matching and BM25F scoring of a whole query at once, over posting lists read block by
block into arrays, with the scores Whoosh itself would give.

Whoosh walks its matchers one document at a time in Python; for a word found in half of
a 10,000-document index that is most of a search's time (profiled: BM25F ``score`` and
``doc_field_length`` per posting). Here a term's postings become two arrays (document
numbers, weights), its BM25F scores one vectorized expression, and AND/OR/AND NOT set
operations on sorted arrays; exact phrases check the positions of their candidates only.
Other query nodes (sloppy phrases, prefixes, fuzzy terms, coordination, NOT inside AND)
are searched by Whoosh itself, subtree by subtree, so every query gets exactly Whoosh's
matches and scores (tests/test_scoring.py compares).

Postings and field lengths come from ``generation.py``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh import query as wq
from whoosh.scoring import BM25F

from .generation import Generation, Postings

_NATIVE = (wq.Term, wq.Phrase, wq.Every, wq.And, wq.Or, wq.AndNot, wq.AndMaybe)


@dataclass(frozen=True)
class Scored:
    """Matching document numbers (ascending) and their scores."""
    ids: np.ndarray
    scores: np.ndarray

    @classmethod
    def empty(cls) -> "Scored":
        return cls(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))

    def __len__(self) -> int:
        return len(self.ids)


def score(searcher, generation: Generation, query) -> Scored:
    """Every live document matching ``query`` with its Whoosh score; ``generation`` is
    ``searcher``'s (``IndexStore.generation``)."""
    return _Scorer(searcher, generation).run(query)


class _Scorer:
    def __init__(self, searcher, generation: Generation):
        self.generation = generation
        self.searcher = searcher
        weighting = self.searcher.weighting
        self.bm25 = weighting if type(weighting) is BM25F else None

    def run(self, query) -> Scored:
        if self.bm25 is None or not isinstance(query, _NATIVE) or _has_not(query):
            return self._by_whoosh(query)
        if isinstance(query, wq.Term):
            return self._term(query)
        if isinstance(query, wq.Every):
            if query.fieldname not in (None, "", "*"):
                return self._by_whoosh(query)
            ids = np.flatnonzero(self.generation.live)     # Whoosh weighs each by the boost
            return Scored(ids, np.full(len(ids), float(query.boost)))
        if isinstance(query, wq.Phrase):
            if query.slop != 1 or not _has_positions(self.searcher.schema, query.fieldname):
                return self._by_whoosh(query)
            return self._phrase(query)
        if isinstance(query, wq.AndNot):
            return _minus(self.run(query.a), self.run(query.b))
        if isinstance(query, wq.AndMaybe):
            return _maybe(self.run(query.a), self.run(query.b))
        if isinstance(query, wq.Or) and query.scale:
            return self._by_whoosh(query)
        parts = [self.run(sub) for sub in query.subqueries]
        if not parts:
            return Scored.empty()
        combined = _all_of(parts) if isinstance(query, wq.And) else _any_of(parts)
        # Whoosh applies a compound's boost only when it has more than one part.
        return _boosted(combined, query.boost) if len(parts) > 1 else combined

    def _term(self, query: wq.Term) -> Scored:
        text = _to_bytes(self.searcher.schema, query.fieldname, query.text)
        if text is None:
            return Scored.empty()
        postings = self.generation.postings(self.searcher, query.fieldname, text)
        scored = Scored(postings.ids, self._bm25(query.fieldname, text, postings))
        return _boosted(scored, query.boost)

    def _bm25(self, fieldname: str, text: bytes, postings: Postings) -> np.ndarray:
        """Whoosh's BM25F score of each posting (its weight for an unscored field)."""
        if not len(postings.ids) or not self.searcher.schema[fieldname].scorable:
            return postings.weights.copy()
        bm25 = self.bm25
        b, k1 = bm25._field_B.get(fieldname, bm25.B), bm25.K1
        idf = self.searcher.idf(fieldname, text)
        average = self.searcher.avg_field_length(fieldname) or 1
        lengths = self.generation.lengths(self.searcher, fieldname)[postings.ids]
        weights = postings.weights
        return idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * lengths / average)))

    def _phrase(self, query: wq.Phrase) -> Scored:
        """Words at consecutive positions; scored as the AND of its words (as Whoosh does)."""
        schema = self.searcher.schema
        texts = [_to_bytes(schema, query.fieldname, word) for word in query.words]
        if not texts or any(t is None for t in texts):
            return Scored.empty()
        decode = schema[query.fieldname].format.decode_positions
        terms = [self.generation.postings(self.searcher, query.fieldname, t, values=True) for t in texts]
        candidates = _all_of([Scored(p.ids, self._bm25(query.fieldname, t, p))
                              for p, t in zip(terms, texts)])
        rows = [np.searchsorted(p.ids, candidates.ids) for p in terms]
        keep = np.zeros(len(candidates), dtype=bool)
        for i in range(len(candidates)):
            starts = set(decode(terms[0].values[rows[0][i]]))
            for offset in range(1, len(terms)):
                starts &= {p - offset for p in decode(terms[offset].values[rows[offset][i]])}
                if not starts:
                    break
            keep[i] = bool(starts)
        return _boosted(Scored(candidates.ids[keep], candidates.scores[keep]), query.boost)

    def _by_whoosh(self, query) -> Scored:
        """Whoosh's own search over this subtree, document by document."""
        pairs = sorted(self.searcher.search(query, limit=None).items())
        return Scored(np.asarray([d for d, _ in pairs], dtype=np.int64),
                      np.asarray([s for _, s in pairs], dtype=np.float64))


def best_first(docnums: np.ndarray, keys: np.ndarray, limit: int) -> np.ndarray:
    """The ``limit`` documents of highest key (and any tied with the last), sorted by
    descending key then document number (Whoosh's order), without sorting the rest."""
    if limit < len(keys):
        threshold = np.partition(keys, len(keys) - limit)[len(keys) - limit]
        chosen = keys >= threshold
        docnums, keys = docnums[chosen], keys[chosen]
    return docnums[np.lexsort((docnums, -keys))]


def _to_bytes(schema, fieldname: str, text) -> bytes | None:
    if fieldname not in schema:
        return None
    try:
        return schema[fieldname].to_bytes(text)
    except ValueError:
        return None


def _has_positions(schema, fieldname: str) -> bool:
    field = schema[fieldname] if fieldname in schema else None
    return bool(field and field.format and field.format.supports("positions"))


def _boosted(scored: Scored, boost: float) -> Scored:
    return scored if boost == 1.0 else Scored(scored.ids, scored.scores * boost)


def _has_not(query) -> bool:
    """A NOT inside an AND or OR: Whoosh gives those its own treatment, so they are left to it."""
    subqueries = getattr(query, "subqueries", ())
    return isinstance(query, (wq.And, wq.Or)) and any(isinstance(q, wq.Not) for q in subqueries)


def _any_of(parts: list[Scored]) -> Scored:
    ids = np.concatenate([p.ids for p in parts])
    scores = np.concatenate([p.scores for p in parts])
    unique, inverse = np.unique(ids, return_inverse=True)
    return Scored(unique, np.bincount(inverse, weights=scores, minlength=len(unique)))


def _all_of(parts: list[Scored]) -> Scored:
    result = parts[0]
    for part in parts[1:]:
        common, left, right = np.intersect1d(result.ids, part.ids, assume_unique=True,
                                             return_indices=True)
        result = Scored(common, result.scores[left] + part.scores[right])
    return result


def _minus(kept: Scored, removed: Scored) -> Scored:
    keep = ~np.isin(kept.ids, removed.ids, assume_unique=True)
    return Scored(kept.ids[keep], kept.scores[keep])


def _maybe(required: Scored, optional: Scored) -> Scored:
    _, left, right = np.intersect1d(required.ids, optional.ids, assume_unique=True,
                                    return_indices=True)
    scores = required.scores.copy()
    scores[left] += optional.scores[right]
    return Scored(required.ids, scores)
