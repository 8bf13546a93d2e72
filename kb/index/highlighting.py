"""Snippets, passages and highlighted commitments for every engine: escaped text with
<mark> around the words whose terms the query searched. Words are runs of letters and
digits (tantivy's words; Whoosh's analyzers take them as they come, ``whoosh/highlight.py``).

The engine gives its analysis as an ``Analysis``: what its analyzer makes of one word.
Only the words that can match are analysed: a stemmer changes the end of a word, so a
word whose first letters (accents and case aside) begin no query term cannot match, and
one regular expression finds the others (profiled: analysing every word of every hit
was most of a search's time). A snippet is at most two fragments of the best passage,
each around a run of matches with ``SURROUND`` characters of context, the fragments
with the most matches of the most distinct terms first, shown in text order and joined
by " … ".
"""
from __future__ import annotations

import bisect
import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from ..passages import SNIPPET_CHARS, Passage, is_heading, paragraphs

SURROUND = 80            # characters of context before the first and after the last match
BETWEEN = " … "
PREFIX_LENGTH = 3
_WORD_START = re.compile(r"(?<![^\W_])[^\W_]")
_WORD_END = re.compile(r"[^\W_]*")


class Analysis(Protocol):
    def terms(self, word: str) -> tuple[str, ...]:
        """What the engine's analyzer makes of one word (cached by the engine)."""


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
_LIGATURES = {"oe": "œ", "ae": "æ", "ss": "ß"}     # folded to two letters


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
    """Words that may analyze to one of ``terms``: those that begin with a term's first
    letters, accents and case ignored."""
    starts = sorted({_start_pattern(term[:PREFIX_LENGTH]) for term in terms if term})
    return re.compile(r"(?<![^\W_])(?:" + "|".join(starts) + r")[^\W_]*", re.IGNORECASE)


def matches(text: str, terms: set[str], analysis: Analysis) -> list[tuple[int, int, str]]:
    """(start, end, term) of each word of ``text`` whose term is one of ``terms``."""
    if not terms:
        return []
    found = []
    for match in candidate_words(frozenset(terms)).finditer(text):
        term = next((t for t in analysis.terms(match.group()) if t in terms), None)
        if term is not None:
            found.append((match.start(), match.end(), term))
    return found


def term_spans(text: str, terms: set[str], analysis: Analysis) -> list[tuple[int, int]]:
    """(start, end) of every word of ``text`` whose term is one of ``terms``, in order:
    where a document page marks the words its search matched (``Index.match_spans``)."""
    return [(start, end) for start, end, _ in matches(text, terms, analysis)]


def best_passage(text: str, terms: set[str], analysis: Analysis) -> Passage | None:
    """The paragraph that holds the most distinct query terms (the first on ties)."""
    found = matches(text, terms, analysis)
    if not found:
        return None
    parts = paragraphs(text)
    starts, position = [], 0
    for part in parts:
        starts.append(position)
        position += len(part) + 2
    held: dict[int, set[str]] = {}
    for start, _, term in found:
        held.setdefault(bisect.bisect_right(starts, start) - 1, set()).add(term)
    best = min(held, key=lambda number: (-len(held[number]), number))
    heading = next((parts[i].strip() for i in range(best - 1, -1, -1) if is_heading(parts[i])), None)
    return Passage(best + 1, heading, parts[best])


@dataclass
class _Fragment:
    start: int
    end: int
    matches: list[tuple[int, int, str]]

    def score(self) -> tuple[int, int]:
        return len(self.matches) * len({term for _, _, term in self.matches}), self.start


def _fragments(text: str, found: list[tuple[int, int, str]]) -> list[_Fragment]:
    """Runs of matches that fit in a snippet, each with its context (up to SURROUND
    characters each side, cut at words, never over the previous fragment)."""
    runs: list[list[tuple[int, int, str]]] = []
    for match in found:
        if runs and match[1] - runs[-1][0][0] <= SNIPPET_CHARS - 2 * SURROUND:
            runs[-1].append(match)
        else:
            runs.append([match])
    fragments, previous_end = [], 0
    for run in runs:
        word = _WORD_START.search(text, max(previous_end, run[0][0] - SURROUND))
        start = min(word.start(), run[0][0]) if word else run[0][0]      # at the start of a word
        end = _WORD_END.match(text, min(len(text), run[-1][1] + SURROUND)).end()   # after one
        fragments.append(_Fragment(start, end, run))
        previous_end = end
    return fragments


def _format(text: str, fragment: _Fragment) -> str:
    out, index = [], fragment.start
    for start, end, _ in fragment.matches:
        out.append(html.escape(text[index:start], quote=False))
        out.append("<mark>" + html.escape(text[start:end], quote=False) + "</mark>")
        index = end
    out.append(html.escape(text[index:fragment.end], quote=False))
    return "".join(out)


def snippet(text: str, terms: set[str], analysis: Analysis, top: int = 2) -> str:
    """The ``top`` best fragments of ``text`` around matches of ``terms`` (escaped, matches
    marked), in text order; "" when nothing matches."""
    found = matches(text, terms, analysis)
    if not found:
        return ""
    best = sorted(_fragments(text, found), key=_Fragment.score, reverse=True)[:top]
    return BETWEEN.join(_format(text, f) for f in sorted(best, key=lambda f: f.start))


def mark_whole(text: str, terms: set[str], analysis: Analysis) -> str | None:
    """All of ``text`` escaped with matches marked, or None when no term matches."""
    found = matches(text, terms, analysis)
    return _format(text, _Fragment(0, len(text), found)) if found else None


def best_commitment(commitments: list[dict], terms: set[str], analysis: Analysis) -> dict | None:
    """The commitment sharing the most query terms, with its text highlighted."""
    if not terms:
        return None
    scored = [(len({t for _, _, t in matches(c.get("text", ""), terms, analysis)}), i)
              for i, c in enumerate(commitments)]
    scored = [s for s in scored if s[0] > 0]
    if not scored:
        return None
    _, index = max(scored, key=lambda s: (s[0], -s[1]))
    commitment = commitments[index]
    return {"text": mark_whole(commitment["text"], terms, analysis),
            "actor": commitment.get("actor", ""), "number": index + 1}


def highlights(body: str, commitments: list[dict], terms: set[str],
               analysis: Analysis) -> tuple[str, dict | None, dict | None]:
    """What a hit shows of its text: (its best passage marked, that passage, its best
    commitment); "" and None when no word of the body matches (the start is shown)."""
    best = best_passage(body, terms, analysis)
    if best is None:
        return "", None, best_commitment(commitments, terms, analysis)
    return snippet(best.text, terms, analysis), best.to_dict(), best_commitment(commitments, terms, analysis)
