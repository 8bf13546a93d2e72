"""What the documents say of words, asked of the index through its interface (any
engine): how many documents of a language use a word, and which translation groups
(documents sharing a ``translation_key``) of a language have one. The translator uses
the first to keep only the translations the other language's documents use, and the
second to weigh translations by the corpus's translation pairs (``translator.py``).

The first is ``Index.word_counts`` (the documents of a language with the word in their
text), over a search with a language filter and counts only (``IndexQuery`` with
``limit`` 0: the documents of the language). The second is a search with a language
filter, every group of its hits (it also finds words in titles and city names as every
search does; only the ``dictionary+pairs`` evaluation mode uses it). A stop word the
index drops counts for nothing. Counts are kept for as long as the index does not
change (``Index.version``): the next queries ask again about the same words.
"""
from __future__ import annotations

import threading
import weakref
from typing import Hashable

from ..index import Index, IndexQuery
from ..query import And, Every, Node, QueryError, Word
from .words import index_words


KEPT = 50_000     # counts kept per index (then forgotten, all at once)

_lock = threading.Lock()
_kept: "weakref.WeakKeyDictionary[Index, tuple[Hashable, dict]]" = weakref.WeakKeyDictionary()


class CorpusEvidence:
    """The index's answers for one query's translation."""

    def __init__(self, index: Index):
        self.index = index
        version = index.version()
        with _lock:
            kept = _kept.get(index)
            if kept is None or kept[0] != version or len(kept[1]) > KEPT:
                kept = _kept[index] = (version, {})
        self._counts: dict[tuple[str, Node | str], int | None] = kept[1]   # queries and words

    def _words(self, language: str, words: list[str]) -> list[int | None]:
        """``Index.word_counts``, each word asked once for this state of the index."""
        missing = [w for w in dict.fromkeys(words) if (language, w) not in self._counts]
        if missing:
            for word, count in zip(missing, self.index.word_counts(language, missing)):
                self._counts[language, word] = count
        return [self._counts[language, w] for w in words]

    def _count(self, language: str, query: Node) -> int | None:
        """Documents in ``language`` matching ``query``; None when nothing is left of it
        to search (only stop words)."""
        key = (language, query)
        if key not in self._counts:
            try:
                answer = self.index.search(IndexQuery(query=query, filters={"language": [language]}, limit=0))
                self._counts[key] = answer.documents
            except QueryError:
                self._counts[key] = None
        return self._counts[key]

    def share(self, language: str, text: str) -> float:
        """The share of the documents in ``language`` that may contain ``text``: those
        with its rarest word (0 when it has no word the index searches)."""
        documents = self._count(language, Every())
        counts = [c for c in self._words(language, index_words(text)) if c is not None]
        return min(counts, default=0) / documents if documents else 0.0

    def groups(self, language: str, text: str | None = None) -> frozenset[str]:
        """The translation groups of the documents in ``language`` that have every word
        of ``text`` (of every document in ``language`` when None)."""
        words = index_words(text) if text is not None else []
        if text is not None and not words:
            return frozenset()
        query: Node = Every() if text is None else And(tuple(Word(w) for w in words))
        total = self._count(language, query)
        if not total:
            return frozenset()
        try:
            answer = self.index.search(IndexQuery(query=query, filters={"language": [language]}, limit=total))
        except QueryError:
            return frozenset()
        return frozenset(hit.translation_key or hit.id for hit in answer.hits)
