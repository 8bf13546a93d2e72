"""Typo tolerance and "did you mean" on Whoosh (the rules: ``kb.index.spelling``): close
words drawn from the index vocabulary, counted by the visible documents that hold them."""
from __future__ import annotations

from ..spelling import Holders, best, correctable, max_edits
from .schema import SEARCH_FIELDS, WORDS_FIELD


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
    if not correctable(word) or is_known(reader, schema, word, holders):
        return []
    found = [term.decode("utf-8") if isinstance(term, bytes) else term
             for term in reader.terms_within(WORDS_FIELD, lowered, max_edits(lowered))]
    return best({term: holders(WORDS_FIELD, term) for term in found if term != lowered})


def corrections(reader, schema, words: list[str], holders: Holders) -> dict[str, list[str]]:
    """For each unknown word of 5+ letters, its close known words."""
    out = {}
    for word in words:
        candidates = close_words(reader, schema, word, holders)
        if candidates:
            out[word] = candidates
    return out
