"""The rules of typo tolerance and "did you mean", the same on every engine: which words
are corrected, how far a correction may be, and how the candidates are ranked. Each
engine finds the close words of its vocabulary and counts who holds them; only documents
that are not drafts count, as the suggestions reach the public site.

>>> correctable("radicalsation"), correctable("vile"), correctable("COVID-19")
(True, False, False)
>>> max_edits("haine"), max_edits("radicalsation")
(1, 2)
>>> best({"radicalisation": 4, "radicalization": 9, "radicaliser": 0})
['radicalization', 'radicalisation']
"""
from __future__ import annotations

import re
from typing import Callable, Mapping

MIN_LENGTH = 5          # shorter words are too easy to confuse
LONG_WORD = 8           # from this length, two edits are allowed
MAX_CANDIDATES = 3
_WORD = re.compile(r"^[^\W\d_]+(?:['’-][^\W\d_]+)*$")
# (field, term) → how many visible documents hold the term
Holders = Callable[[str, str], int]


def correctable(word: str) -> bool:
    """A word long enough to correct, made of letters (hyphens and apostrophes inside)."""
    return len(word) >= MIN_LENGTH and bool(_WORD.match(word.lower()))


def max_edits(word: str) -> int:
    return 1 if len(word) < LONG_WORD else 2


def best(holders: Mapping[str, int]) -> list[str]:
    """The candidates that visible documents hold, most held first (then alphabetically),
    at most MAX_CANDIDATES."""
    ranked = sorted((-count, word) for word, count in holders.items() if count)
    return [word for _, word in ranked[:MAX_CANDIDATES]]
