"""Snippets, passages and highlighted commitments for any engine: escaped text with
<mark> around the words whose terms the query searched.

An engine gives its analysis as an ``Analysis``: the expression of its tokens and what
its analyzer makes of one token (``terms``). The snippet is Whoosh's: fragments of up to
``SNIPPET_CHARS`` characters around matches with 80 characters of context, the two that
match the most distinct terms, in text order, joined by " … ".
"""
from __future__ import annotations

import heapq
import html
import re
import unicodedata
from collections import deque
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from ..passages import SNIPPET_CHARS, Passage, is_heading, paragraphs

SURROUND = 80            # characters of context before the first and after the last match
CHAR_LIMIT = 32768       # matches further into a text are not looked for
BETWEEN = " … "
PREFIX_LENGTH = 3


class Analysis(Protocol):
    words: re.Pattern            # one match is one token

    def terms(self, word: str) -> tuple[str, ...]:
        """What the analyzer makes of a word (cached by the engine)."""


def _variants() -> dict[str, str]:
    """Each lower-case letter → a regex class of it and its accented forms."""
    forms: dict[str, set[str]] = {}
    for code in range(0xC0, 0x250):
        char = chr(code).lower()
        base = unicodedata.normalize("NFKD", char)[0]
        if len(char) == 1 and base.isascii() and base.isalpha() and base != char:
            forms.setdefault(base, {base}).add(char)
    return {base: "[" + "".join(sorted(chars)) + "]" for base, chars in forms.items()}


_ACCENTED = _variants()
_LIGATURES = {"oe": "œ", "ae": "æ", "ss": "ß"}     # folded to two letters by some analyzers


def _start_pattern(start: str) -> str:
    out, i = [], 0
    while i < len(start):
        pair = start[i:i + 2]
        if pair in _LIGATURES:
            out.append("(?:" + "".join(_ACCENTED.get(c, re.escape(c)) for c in pair) + "|"
                       + _LIGATURES[pair] + ")")
            i += 2
            continue
        out.append(_ACCENTED.get(start[i], re.escape(start[i])))
        i += 1
    return "".join(out)


@lru_cache(maxsize=256)
def candidate_words(terms: frozenset[str]) -> re.Pattern:
    """Words that may analyze to one of ``terms``: those whose start (or the start of a
    part after an apostrophe, as in l'extrémisme) is a term's first letters, accents
    and case ignored. Stemmers change word endings, so the other words cannot match;
    skipping them is most of the speed of finding passages (profiled)."""
    starts = sorted({_start_pattern(term[:PREFIX_LENGTH]) for term in terms if term})
    return re.compile(r"(?<![\w'’])(?:\w+['’])*(?:" + "|".join(starts) + r")\w*(?:['’]\w+)*",
                      re.IGNORECASE)


def terms_in(text: str, analysis: Analysis, words: re.Pattern | None = None) -> set[str]:
    """The terms of ``text`` (of its ``words`` only, when given)."""
    found: set[str] = set()
    for word in set((words or analysis.words).findall(text)):
        found.update(analysis.terms(word))
    return found


def best_passage(text: str, terms: set[str], analysis: Analysis) -> Passage | None:
    """The paragraph that holds the most distinct query terms (the first on ties)."""
    if not terms:
        return None
    words = candidate_words(frozenset(terms))
    best, best_score, heading, best_heading = None, 0, None, None
    for number, paragraph in enumerate(paragraphs(text), start=1):
        score = len(terms_in(paragraph, analysis, words) & terms)
        if score > best_score:
            best, best_score, best_heading = (number, paragraph), score, heading
        if is_heading(paragraph):
            heading = paragraph.strip()
    if best is None:
        return None
    return Passage(best[0], best_heading, best[1])


@dataclass
class _Fragment:
    start: int
    end: int
    matches: list[tuple[int, int, str]] = field(default_factory=list)   # start, end, term

    def score(self) -> int:
        return len(self.matches) * (len({term for _, _, term in self.matches}) * 100 or 1)


def _tokens(text: str, terms: set[str], analysis: Analysis):
    """(start, end, matched term or None) of each token of ``text``."""
    for match in analysis.words.finditer(text):
        if match.end() > CHAR_LIMIT:
            return
        matched = next((t for t in analysis.terms(match.group()) if t in terms), None)
        yield match.start(), match.end(), matched


def _fragments(text: str, terms: set[str], analysis: Analysis, maxchars: int):
    """Whoosh's ContextFragmenter: runs of matches with their context."""
    first = None
    firsts: deque = deque()
    countdown = -1
    matches: list = []
    end = None
    length = 0
    for start, end, matched in _tokens(text, terms, analysis):
        size = end - start
        if countdown < 0 and matched is None:
            firsts.append(start)
            while firsts and end - firsts[0] > SURROUND:
                firsts.popleft()
        elif length + size > maxchars:
            countdown = 0
        elif matched is not None:
            countdown = SURROUND
            if first is None:
                if firsts:
                    first = firsts[0]
                else:
                    first = start
                    countdown += SURROUND
            matches.append((start, end, matched))
        if countdown >= 0:
            length += size
            countdown -= size
            if countdown <= 0:
                yield _Fragment(first, end, matches)
                matches, firsts, first, length = [], deque(), None, 0
    if matches:
        yield _Fragment(first, end, matches)


def _format(text: str, fragment: _Fragment) -> str:
    out, index = [], fragment.start
    for start, end, _ in fragment.matches:
        if start < index:
            continue
        out.append(html.escape(text[index:start], quote=False))
        out.append("<mark>" + html.escape(text[start:end], quote=False) + "</mark>")
        index = end
    out.append(html.escape(text[index:fragment.end], quote=False))
    return "".join(out)


def snippet(text: str, terms: set[str], analysis: Analysis, top: int = 2) -> str:
    """The ``top`` best fragments of ``text`` around matches of ``terms`` (escaped, matches
    marked), in text order; "" when nothing matches."""
    if not terms or not candidate_words(frozenset(terms)).search(text):
        return ""
    fragments = list(_fragments(text, terms, analysis, SNIPPET_CHARS))
    # the best ones; of equal ones, the later (as Whoosh chooses)
    best = heapq.nlargest(top, fragments, key=lambda f: (f.score(), f.start))
    best = sorted((f for f in best if f.score() >= 1), key=lambda f: f.start)
    return BETWEEN.join(_format(text, f) for f in best)


def mark_whole(text: str, terms: set[str], analysis: Analysis) -> str | None:
    """All of ``text`` escaped with matches marked, or None when no term matches."""
    if not terms:
        return None
    matches = [(s, e, t) for s, e, t in _tokens(text, terms, analysis) if t is not None]
    if not matches:
        return None
    return _format(text, _Fragment(0, len(text), matches))


def best_commitment(commitments: list[dict], terms: set[str], analysis: Analysis) -> dict | None:
    """The commitment sharing the most query terms, with its text highlighted."""
    if not terms:
        return None
    words = candidate_words(frozenset(terms))
    scored = [(len(terms_in(c.get("text", ""), analysis, words) & terms), i)
              for i, c in enumerate(commitments)]
    scored = [s for s in scored if s[0] > 0]
    if not scored:
        return None
    _, index = max(scored, key=lambda s: (s[0], -s[1]))
    commitment = commitments[index]
    return {"text": mark_whole(commitment["text"], terms, analysis),
            "actor": commitment.get("actor", ""), "number": index + 1}
