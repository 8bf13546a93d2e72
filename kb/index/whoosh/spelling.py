"""Typo tolerance and "did you mean": close words drawn from the index vocabulary.

Words count by the documents that are not drafts holding them (``holders``): a word only
a draft holds is neither known nor offered."""
from __future__ import annotations

import re
from typing import Callable

from .schema import SEARCH_FIELDS, WORDS_FIELD

MIN_LENGTH = 5          # shorter words are too easy to confuse
MAX_CANDIDATES = 3
Holders = Callable[[str, str], int]     # (field, term) → visible documents holding it
_WORD = re.compile(r"^[^\W\d_]+(?:['’-][^\W\d_]+)*$")


def _max_distance(word: str) -> int:
    return 1 if len(word) < 8 else 2


def is_known(reader, schema, word: str, holders: Holders) -> bool:
    """Whether ``word``, analyzed as each searched field does, occurs in a visible document."""
    for name in SEARCH_FIELDS:
        for term in schema[name].process_text(word, mode="query"):
            if reader.doc_frequency(name, term) and holders(name, term):
                return True
    return False


def close_words(reader, schema, word: str, holders: Holders) -> list[str]:
    """Index words within a small edit distance of ``word``, most frequent first."""
    lowered = word.lower()
    if len(lowered) < MIN_LENGTH or not _WORD.match(lowered) or is_known(reader, schema, word, holders):
        return []
    found = [term.decode("utf-8") if isinstance(term, bytes) else term
             for term in reader.terms_within(WORDS_FIELD, lowered, _max_distance(lowered))]
    ranked = sorted((-count, t) for t in found if t != lowered and (count := holders(WORDS_FIELD, t)))
    return [t for _, t in ranked[:MAX_CANDIDATES]]


def corrections(reader, schema, words: list[str], holders: Holders) -> dict[str, list[str]]:
    """For each unknown word of 5+ letters, its close known words."""
    out = {}
    for word in words:
        candidates = close_words(reader, schema, word, holders)
        if candidates:
            out[word] = candidates
    return out
