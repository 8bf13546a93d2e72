"""The tantivy engine's analyzers, and the same analysis on the Python side.

Tantivy analyses documents in Rust with the analyzers registered here (by name in the
schema); queries and highlighting go through the very same ``TextAnalyzer`` objects, so
a query word becomes the terms the documents hold. As in the Whoosh engine: words of two
letters or more, lower-cased, stop words dropped (``kb/index/analysis.py``), Snowball
stemming per language, accents folded after stemming; French elisions with either
apostrophe are tokens of their own, dropped like stop words (``l'extrémisme`` →
``extrem``), while ``aujourd'hui`` or ``presqu'île`` stay one word.

Differences with Whoosh's analysis, measured on the project's French and English texts:
about 0.3% of distinct words stem differently (tantivy's English stemmer is Snowball's
Porter2 where Whoosh's is the original Porter; ``internal``/``international`` stay
apart), ``œ`` folds to ``oe``, and a dropped stop word keeps its position (a phrase
matches the words as written, with the stop words between them).
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

import tantivy

from ..analysis import ELIDED, ELISIONS, STOP_WORDS

# A word: an elision on its own (dropped by the stop list), a word with apostrophes
# inside (aujourd'hui), or a run of two or more word characters. The same expression
# is Rust's (tokenizing documents) and Python's (highlighting).
FRENCH_WORD = (r"(?i)(?:" + "|".join(ELIDED) + r")['’]|\w+(?:['’]\w+)+|\w\w+")
PLAIN_WORD = r"\w\w+"

FRENCH, ENGLISH, NEUTRAL, WORDS, RAW = "kb_fr", "kb_en", "kb_neutral", "kb_words", "raw"


def _build(pattern: str, stop: frozenset[str], stemmer: str | None, fold: bool) -> tantivy.TextAnalyzer:
    builder = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(pattern)).filter(tantivy.Filter.lowercase())
    if stop:
        builder = builder.filter(tantivy.Filter.custom_stopword(sorted(stop)))
    if stemmer:
        builder = builder.filter(tantivy.Filter.stemmer(stemmer))
    if fold:
        builder = builder.filter(tantivy.Filter.ascii_fold())
    return builder.build()


@dataclass
class Analysis:
    """One analyzer, on both sides: ``analyzer`` (tantivy's, registered under ``name``)
    and ``words`` (its tokenizer as a Python expression), with ``terms(word)`` cached:
    hits show the same words over and over."""
    name: str
    pattern: str
    analyzer: tantivy.TextAnalyzer
    words: re.Pattern = field(init=False)
    _cache: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False, repr=False)

    MAX_CACHED = 200_000

    def __post_init__(self):
        self.words = re.compile(self.pattern)

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
            elisions = frozenset(ELISIONS)
            made = {
                FRENCH: (FRENCH_WORD, STOP_WORDS | elisions, "french", True),
                ENGLISH: (PLAIN_WORD, STOP_WORDS, "english", True),
                NEUTRAL: (FRENCH_WORD, STOP_WORDS | elisions, None, True),
                # suggestions: words as written (accents kept), elisions dropped
                WORDS: (FRENCH_WORD, elisions, None, False),
            }
            for name, (pattern, stop, stemmer, fold) in made.items():
                _ANALYSES[name] = Analysis(name, pattern, _build(pattern, stop, stemmer, fold))
        return _ANALYSES


def register(index: tantivy.Index) -> None:
    """Make the analyzers known to ``index`` (needed by each opened Index object)."""
    for name, analysis in analyses().items():
        index.register_tokenizer(name, analysis.analyzer)
