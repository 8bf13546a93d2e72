"""The tantivy engine's analyzers, and the same analysis on the Python side.

Tantivy analyses documents in Rust with the analyzers registered here (by name in the
schema); queries and highlighting go through the very same ``TextAnalyzer`` objects, so
a query word becomes the terms the documents hold. As in the Whoosh engine: words of two
letters or more, lower-cased, stop words dropped (``kb/index/analysis.py``), Snowball
stemming per language, accents folded after stemming. Words are runs of letters and
digits (tantivy's simple tokenizer, several times faster than a regular expression:
profiled, it was most of the cost of indexing), so an apostrophe splits a word: a French
elision is a word of its own, dropped like a stop word (``l'extrémisme`` → ``extrem``),
and ``aujourd'hui`` is two words, which a query for it finds as a phrase.

Differences with Whoosh's analysis, measured on the project's French and English texts:
about 0.3% of distinct words stem differently (tantivy's English stemmer is Snowball's
Porter2 where Whoosh's is the original Porter; ``internal``/``international`` stay
apart), ``œ`` folds to ``oe``, and a dropped stop word keeps its position (a phrase
matches the words as written, with the stop words between them).
"""
from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field

import tantivy

from ..analysis import ELIDED, MIN_WORD_LENGTH, STOP_WORDS

# Words shorter than MIN_WORD_LENGTH (the simple tokenizer has no length filter: the
# letters and digits of the Latin scripts, as stop words) and the elided words.
SHORT_WORDS = frozenset(c for c in map(chr, [*range(0x30, 0x3A), *range(0x61, 0x7B), *range(0xC0, 0x250)])
                        if c.isalnum() and c == c.lower() and len(c) < MIN_WORD_LENGTH)
NOT_WORDS = SHORT_WORDS | frozenset(ELIDED)

FRENCH, ENGLISH, NEUTRAL, WORDS, RAW = "kb_fr", "kb_en", "kb_neutral", "kb_words", "raw"


def _build(stop: frozenset[str], stemmer: str | None, fold: bool) -> tantivy.TextAnalyzer:
    builder = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
               .filter(tantivy.Filter.lowercase())
               .filter(tantivy.Filter.custom_stopword(sorted(stop))))
    if stemmer:
        builder = builder.filter(tantivy.Filter.stemmer(stemmer))
    if fold:
        builder = builder.filter(tantivy.Filter.ascii_fold())
    return builder.build()


@dataclass
class Analysis:
    """One analyzer, registered in the index under ``name``, and used for queries and
    highlighting (``kb/index/highlighting.py``) with ``terms(word)`` cached: hits show
    the same words over and over."""
    name: str
    description: str
    analyzer: tantivy.TextAnalyzer
    _cache: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False, repr=False)

    MAX_CACHED = 200_000

    def terms(self, word: str) -> tuple[str, ...]:
        """The terms of one token of ``words`` (none for a stop word or an elision)."""
        found = self._cache.get(word)
        if found is None:
            if len(self._cache) > self.MAX_CACHED:
                self._cache.clear()
            found = self._cache[word] = tuple(self.analyzer.analyze(word))
        return found

    def analyze(self, text: str) -> list[str]:
        return self.analyzer.analyze(text)

    def positions(self, text: str) -> list[tuple[int, str]]:
        """(position, term) of each term of ``text``: dropped words keep their place."""
        return [(token.position, token.text) for token in self.analyzer.pre_tokenize(text).tokens]


_LOCK = threading.Lock()
_ANALYSES: dict[str, Analysis] = {}


def analyses() -> dict[str, Analysis]:
    """Every analyzer of the schema by name, built once per process."""
    with _LOCK:
        if not _ANALYSES:
            made = {
                FRENCH: (STOP_WORDS | NOT_WORDS, "french", True),
                ENGLISH: (STOP_WORDS | NOT_WORDS, "english", True),
                NEUTRAL: (STOP_WORDS | NOT_WORDS, None, True),
                WORDS: (NOT_WORDS, None, False),     # suggestions: words as written, accents kept
            }
            for name, (stop, stemmer, fold) in made.items():
                listed = hashlib.sha256(" ".join(sorted(stop)).encode()).hexdigest()[:12]   # any change
                description = f"simple stop words {listed} {stemmer} {fold}"
                _ANALYSES[name] = Analysis(name, description, _build(stop, stemmer, fold))
        return _ANALYSES


def register(index: tantivy.Index) -> None:
    """Make the analyzers known to ``index`` (needed by each opened Index object)."""
    for name, analysis in analyses().items():
        index.register_tokenizer(name, analysis.analyzer)
