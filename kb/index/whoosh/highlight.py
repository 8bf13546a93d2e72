"""Snippets, passages and highlighted commitments of the Whoosh engine: the shared
``kb/index/highlighting.py`` over Whoosh's analyzers.

This module used to drive Whoosh's own highlighter (its fragmenter run on every word of
the passage, with caches around its analyzers); the module written for tantivy analyses
only the words that can match, and serves both. What that costs: fragments are cut
around runs of matches rather than by Whoosh's ContextFragmenter, and a word with an
apostrophe inside (``aujourd'hui``, one term for Whoosh) is not marked, since the shared
module's words are runs of letters and digits.
"""
from __future__ import annotations

import threading

MAX_CACHED = 200_000
_LOCK = threading.Lock()
_ANALYSES: dict[int, tuple[object, "WhooshAnalysis"]] = {}


class WhooshAnalysis:
    """A Whoosh analyzer as ``kb.index.highlighting`` uses it: the terms of one word,
    cached (hits show the same words over and over)."""

    def __init__(self, analyzer):
        self.analyzer = analyzer
        self._cache: dict[str, tuple[str, ...]] = {}

    def terms(self, word: str) -> tuple[str, ...]:
        found = self._cache.get(word)
        if found is None:
            if len(self._cache) > MAX_CACHED:
                self._cache.clear()
            found = self._cache[word] = tuple(token.text for token in self.analyzer(word))
        return found


def analysis_of(analyzer) -> WhooshAnalysis:
    """The one WhooshAnalysis of ``analyzer`` (a new index generation brings new ones)."""
    with _LOCK:
        entry = _ANALYSES.get(id(analyzer))
        if entry is None or entry[0] is not analyzer:
            if len(_ANALYSES) >= 16:
                _ANALYSES.clear()
            entry = _ANALYSES[id(analyzer)] = (analyzer, WhooshAnalysis(analyzer))
        return entry[1]
