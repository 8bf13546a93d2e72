"""Where a text's named entities are read: stretches around the words they can decide.

Extraction asks spaCy's entities two questions only: whether a place name found by the
gazetteer is a place, part of a person's or an organisation's name, or neither; and
whether a name around an organisation's word ("Council", "Fondation") or an acronym is
an organisation's. So the entity model reads stretches of words around those, not the
whole text (in news and web text about a quarter of it):

- a place name or an acronym, with ``NEAR`` words on either side: the small models'
  entity recognizer sees four tokens either side of a word (four convolution layers of
  window one), so it decides alike on the stretch and on the whole text;
- an organisation's word, or an acronym in brackets after a name, with ``NAME_REACH``
  words either side, as an organisation's name may run on for that many words around its
  word ("Supreme Council for the Islamic Revolution in Iraq") or before its acronym.

Stretches that touch are merged. On the dev set and the project's gold, extraction gives
the same results with stretches as with whole texts (README, Extraction).

>>> from indexer.extract.gazetteer import load_gazetteer
>>> text = "Au cours de la réunion annuelle qui se tenait à Lyon, les participants de longue date ont parlé."
>>> [text[a:b] for a, b in windows(text, load_gazetteer().find(text))]
['qui se tenait à Lyon, les participants de longue']
"""
from __future__ import annotations

import bisect
import re
from typing import Iterable

from model.vocabulary import fold

from .gazetteer import NameHit
from .organisations import ORGANISATION_WORDS

NEAR = 4
NAME_REACH = 8
_WORD = re.compile(r"[^\W_]+")
_ACRONYM = re.compile(r"(?P<bracket>\()?(?<![\w&-])[A-Z][A-Z&-]{1,6}(?![\w&-])")


def windows(text: str, names: Iterable[NameHit]) -> list[tuple[int, int]]:
    """Merged (start, end) stretches of ``text`` around the names of cities among
    ``names`` (the gazetteer's, in ``text``), its organisation words and its acronyms,
    in text order."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    if not words:
        return []
    starts = [start for start, _ in words]

    def word_at(position: int) -> int:
        return max(0, bisect.bisect_right(starts, position) - 1)

    reach: dict[int, int] = {}          # word index → words either side
    for name in names:
        if not name.cities:
            continue            # a country or a region only: no city to decide on
        for index in range(word_at(name.start), word_at(name.end - 1) + 1):
            reach[index] = max(reach.get(index, 0), NEAR)
    for index, (start, end) in enumerate(words):
        if text[start].isupper() and fold(text[start:end]) in ORGANISATION_WORDS:
            reach[index] = NAME_REACH
    for match in _ACRONYM.finditer(text):
        index = word_at(match.end() - 1)
        reach[index] = max(reach.get(index, 0), NAME_REACH if match.group("bracket") else NEAR)
    stretches = sorted((words[max(0, i - r)][0], words[min(len(words) - 1, i + r)][1]) for i, r in reach.items())
    merged: list[tuple[int, int]] = []
    for start, end in stretches:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
