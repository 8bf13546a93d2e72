"""Typo tolerance and "did you mean" on tantivy (the rules: ``kb.index.spelling``): close
words drawn from the index vocabulary (the ``words`` field: words as written, accents
kept, elisions dropped), counted by the visible documents that hold them."""
from __future__ import annotations

import tantivy

from ..spelling import Holders, best, correctable, max_edits
from .analysis import analyses
from .schema import SEARCH_FIELDS, TEXT_ANALYZERS, WORDS_FIELD
from .searching import visible_holders

def is_known(searcher: tantivy.Searcher, word: str, holders: Holders) -> bool:
    """Whether ``word``, analyzed as each searched field does, occurs in a visible document."""
    every = analyses()
    for name in SEARCH_FIELDS:
        for term in every[TEXT_ANALYZERS[name]].analyze(word):
            if searcher.doc_freq(name, term) and holders(name, term):
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


def close_words(searcher: tantivy.Searcher, word: str, holders: Holders) -> list[str]:
    """Index words within a small edit distance of ``word``, most frequent first. The
    words looked at begin with the same letter as ``word`` (tantivy lists terms by
    prefix): a typo in the first letter is not corrected."""
    lowered = word.lower()
    if not correctable(word) or is_known(searcher, word, holders):
        return []
    limit = max_edits(lowered)
    found = [term for term, _ in searcher.terms_with_prefix(WORDS_FIELD, lowered[0])
             if term != lowered and abs(len(term) - len(lowered)) <= limit
             and distance(lowered, term, limit) <= limit]
    return best({term: holders(WORDS_FIELD, term) for term in found})


def corrections(searcher: tantivy.Searcher, schema: tantivy.Schema, words: list[str]) -> dict[str, list[str]]:
    """For each unknown word of 5+ letters, its close known words."""
    holders = visible_holders(searcher, schema)
    out = {}
    for word in words:
        candidates = close_words(searcher, word, holders)
        if candidates:
            out[word] = candidates
    return out
