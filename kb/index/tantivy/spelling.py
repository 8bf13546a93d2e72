"""Typo tolerance and "did you mean": close words drawn from the index vocabulary
(the ``words`` field: words as written, accents kept, elisions dropped)."""
from __future__ import annotations

import re

import tantivy

from .analysis import analyses
from .schema import SEARCH_FIELDS, TEXT_ANALYZERS, WORDS_FIELD

MIN_LENGTH = 5          # shorter words are too easy to confuse
MAX_CANDIDATES = 3
_WORD = re.compile(r"^[^\W\d_]+(?:['’-][^\W\d_]+)*$")


def _max_distance(word: str) -> int:
    return 1 if len(word) < 8 else 2


def is_known(searcher: tantivy.Searcher, word: str) -> bool:
    """Whether ``word``, analyzed as each searched field does, occurs in the index."""
    every = analyses()
    for name in SEARCH_FIELDS:
        for term in every[TEXT_ANALYZERS[name]].analyze(word):
            if searcher.doc_freq(name, term):
                return True
    return False


def distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of ``a`` and ``b`` (insertions, deletions, substitutions),
    or ``limit + 1`` once it is sure to exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def close_words(searcher: tantivy.Searcher, word: str) -> list[str]:
    """Index words within a small edit distance of ``word``, most frequent first. The
    words looked at begin with the same letter as ``word`` (tantivy lists terms by
    prefix): a typo in the first letter is not corrected."""
    lowered = word.lower()
    if len(lowered) < MIN_LENGTH or not _WORD.match(lowered) or is_known(searcher, word):
        return []
    limit = _max_distance(lowered)
    found = [(term, frequency) for term, frequency in searcher.terms_with_prefix(WORDS_FIELD, lowered[0])
             if term != lowered and abs(len(term) - len(lowered)) <= limit
             and distance(lowered, term, limit) <= limit]
    found.sort(key=lambda tf: (-tf[1], tf[0]))
    return [term for term, _ in found[:MAX_CANDIDATES]]


def corrections(searcher: tantivy.Searcher, words: list[str]) -> dict[str, list[str]]:
    """For each unknown word of 5+ letters, its close known words."""
    out = {}
    for word in words:
        candidates = close_words(searcher, word)
        if candidates:
            out[word] = candidates
    return out
