"""Sentences and list items of a plain text, as character spans (rules, any language).

Blank lines, line breaks before list items ("- …") and line breaks after a sentence end
separate sentences; a line that goes on in lower case continues the sentence (hard-
wrapped text). Inside a line, ``. ! ? …`` followed by a capital (or a quote) ends a
sentence, except after common abbreviations and initials.

>>> text = "Nous, les maires :\\n\\n- Promouvoir la paix ;\\n- Agir. M. Kerry l'a dit à Washington D.C. Hier."
>>> [text[s:e] for s, e in sentence_spans(text)]
['Nous, les maires :', '- Promouvoir la paix ;', '- Agir.', "M. Kerry l'a dit à Washington D.C. Hier."]
"""
from __future__ import annotations

import bisect
import math
import re
from functools import lru_cache
from typing import Sequence

_ABBREVIATIONS = {
    "m", "mm", "mme", "mmes", "mlle", "dr", "pr", "st", "ste", "mr", "mrs", "ms", "prof",
    "etc", "cf", "p", "pp", "no", "n°", "vol", "art", "av", "ch", "chap", "env", "ex",
    "fig", "hon", "jr", "sr", "gen", "gov", "rev", "vs", "e.g", "i.e", "approx", "dept",
    "inc", "ltd", "co", "corp", "jan", "feb", "fév", "févr", "aug", "sept", "oct", "nov", "déc",
}
_END = re.compile(r"[.!?…]+[»\"”’)\]]*(?=\s+[«\"“(\[]?\s*[A-ZÀ-ÖØ-Þ0-9])")
_LINE_BREAK = re.compile(r"\n+")
_ITEM = re.compile(r"\s*(?:[-*•–]\s|\d+[.)]\s)")


def _line_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the logical lines: paragraphs, list items and lines that end a sentence."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _LINE_BREAK.finditer(text):
        before = text[start:match.start()].rstrip()
        after = text[match.end():match.end() + 40]
        blank = match.group().count("\n") > 1
        continues = (not blank and before and before[-1] not in ".!?…:;»\"”)"
                     and not _ITEM.match(after) and after[:1].islower())
        if not continues:
            spans.append((start, match.start()))
            start = match.end()
    spans.append((start, len(text)))
    return spans


def _is_abbreviation(text: str, end: int) -> bool:
    """Whether the period at ``text[end]`` closes an abbreviation or an initial."""
    word = re.search(r"([\w.°]+)$", text[max(0, end - 12):end])
    if not word:
        return False
    token = word.group(1).lower()
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()) or \
        bool(re.fullmatch(r"(?:\w\.)+\w", token))


@lru_cache(maxsize=16)
def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each sentence or list item, without surrounding white space.

    Cached: cities, dates and commitments each need the sentences of the same text.
    """
    out: list[tuple[int, int]] = []
    for line_start, line_end in _line_spans(text):
        start = line_start
        for match in _END.finditer(text, line_start, line_end):
            if match.group()[0] == "." and _is_abbreviation(text, match.start()):
                continue
            out.append((start, match.end()))
            start = match.end()
        out.append((start, line_end))
    return tuple(_strip(text, s, e) for s, e in out if text[s:e].strip())


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentence_of(spans: Sequence[tuple[int, int]], position: int) -> tuple[int, int]:
    """The span holding ``position`` (or the nearest one before it); ``spans`` in order."""
    index = bisect.bisect_right(spans, (position, math.inf)) - 1
    return spans[index] if index >= 0 else (0, 0)
