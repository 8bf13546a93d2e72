"""Snippets, passages and highlighted commitments: escaped text with <mark> around matches."""
from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

from whoosh import highlight

from ...passages import SNIPPET_CHARS, Passage, is_heading, paragraphs



class MarkFormatter(highlight.Formatter):
    """Every piece of document text escaped, matches wrapped in <mark>."""
    between = " … "

    def _text(self, text: str) -> str:
        return html.escape(text, quote=False)

    def format_token(self, text, token, replace=False):
        return "<mark>" + self._text(highlight.get_text(text, token, replace)) + "</mark>"


_HIGHLIGHTER = highlight.Highlighter(
    fragmenter=highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=80),
    formatter=MarkFormatter())


def snippet(text: str, terms: set[str], analyzer, top: int = 2) -> str:
    """The ``top`` best fragments of ``text`` around matches of ``terms`` (escaped, matches
    marked), as Whoosh's highlighter makes them for a hit; "" when nothing matches."""
    tokens = analyzer(text, positions=True, chars=True, mode="index", removestops=False)
    tokens = _HIGHLIGHTER._merge_matched_tokens(highlight.set_matched_filter(tokens, frozenset(terms)))
    fragments = _HIGHLIGHTER.fragmenter.fragment_tokens(text, tokens)
    fragments = highlight.top_fragments(fragments, top, _HIGHLIGHTER.scorer, _HIGHLIGHTER.order,
                                        minscore=1)
    return _HIGHLIGHTER.formatter.format(fragments)


_WORD_TERMS: dict[int, tuple[object, dict[str, tuple[str, ...]]]] = {}
_MAX_ANALYZERS, _MAX_WORDS = 16, 200_000


def _word_cache(analyzer) -> dict[str, tuple[str, ...]]:
    entry = _WORD_TERMS.get(id(analyzer))
    if entry is None or entry[0] is not analyzer:
        if len(_WORD_TERMS) >= _MAX_ANALYZERS:   # a new index generation brings new analyzers
            _WORD_TERMS.clear()
        entry = _WORD_TERMS[id(analyzer)] = (analyzer, {})
    if len(entry[1]) > _MAX_WORDS:
        entry[1].clear()
    return entry[1]


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
PREFIX_LENGTH = 3


@lru_cache(maxsize=256)
def candidate_words(terms: frozenset[str]) -> re.Pattern:
    """Words that may analyze to one of ``terms``: those whose start (or the start of a
    part after an apostrophe, as in l'extrémisme) is a term's first letters, accents
    and case ignored. Stemmers change word endings, so the other words cannot match;
    skipping them is most of the speed of finding passages (profiled)."""
    starts = sorted({"".join(_ACCENTED.get(c, re.escape(c)) for c in term[:PREFIX_LENGTH])
                     for term in terms if term})
    return re.compile(r"(?<![\w'’])(?:\w+['’])*(?:" + "|".join(starts) + r")\w*(?:['’]\w+)*",
                      re.IGNORECASE)


def _terms_in(text: str, analyzer, words: re.Pattern | None = None) -> set[str]:
    """The terms ``analyzer`` makes of ``text`` (of its ``words`` only, when given).

    The schema's analyzers are a regex tokenizer followed by filters that each see one
    token at a time, so each distinct word is analyzed once and remembered: hits show
    the same words over and over (profiled: analysis was a quarter of a search's time).
    """
    tokenizer = getattr(analyzer, "items", [None])[0]
    expression = getattr(tokenizer, "expression", None)
    if expression is None or getattr(tokenizer, "gaps", True):
        return {token.text for token in analyzer(text)}
    cache = _word_cache(analyzer)
    terms: set[str] = set()
    for word in set((words or expression).findall(text)):
        found = cache.get(word)
        if found is None:
            found = cache[word] = tuple(token.text for token in analyzer(word))
        terms.update(found)
    return terms


def term_spans(text: str, terms: set[str], analyzer) -> list[tuple[int, int]]:
    """(start, end) of every word of ``text`` that ``analyzer`` makes one of ``terms``."""
    if not terms:
        return []
    tokens = analyzer(text, positions=True, chars=True, mode="index", removestops=False)
    return [(token.startchar, token.endchar) for token in tokens if token.text in terms]


def best_passage(text: str, terms: set[str], analyzer) -> Passage | None:
    """The paragraph that holds the most distinct query terms (the first on ties)."""
    if not terms:
        return None
    words = candidate_words(frozenset(terms))
    best, best_score, heading, best_heading = None, 0, None, None
    for number, paragraph in enumerate(paragraphs(text), start=1):
        score = len(_terms_in(paragraph, analyzer, words) & terms)
        if score > best_score:
            best, best_score, best_heading = (number, paragraph), score, heading
        if is_heading(paragraph):
            heading = paragraph.strip()
    if best is None:
        return None
    return Passage(best[0], best_heading, best[1])


def mark_whole(text: str, terms: set[str], analyzer) -> str | None:
    """All of ``text`` escaped with matches marked, or None when no term matches."""
    if not terms or not (_terms_in(text, analyzer) & terms):
        return None
    return highlight.highlight(text, frozenset(terms), analyzer, highlight.WholeFragmenter(),
                               MarkFormatter())


def best_commitment(commitments: list[dict], terms: set[str], analyzer) -> dict | None:
    """The commitment sharing the most query terms, with its text highlighted."""
    if not terms:
        return None
    words = candidate_words(frozenset(terms))
    scored = [(len(_terms_in(c.get("text", ""), analyzer, words) & terms), i)
              for i, c in enumerate(commitments)]
    scored = [s for s in scored if s[0] > 0]
    if not scored:
        return None
    _, index = max(scored, key=lambda s: (s[0], -s[1]))
    commitment = commitments[index]
    return {"text": mark_whole(commitment["text"], terms, analyzer),
            "actor": commitment.get("actor", ""), "number": index + 1}
