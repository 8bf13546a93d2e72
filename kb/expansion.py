"""Cross-language query expansion: the words of a query, and their equivalents.

A plain word or phrase of the query that the bilingual vocabulary knows gets its
equivalents in the other language added as weaker alternatives, and a city name in any
language gets the city's normalized name (searched in the city field). Original words
keep full weight, so documents that match them rank above those that match only an
expansion. Excluded words (``-word``), field queries and operators are left as typed.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Callable, Sequence

MAX_PHRASE_WORDS = 3
_TOKEN = re.compile(r'-?\w+:"[^"]*"|[-+]?"[^"]*"|\(|\)|[^\s()"]+')
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT"}

Lookup = Callable[[str], Sequence[str]]


@dataclass(frozen=True)
class Expansion:
    text: str                  # as typed
    kind: str                  # "vocabulary" or "city"
    alternatives: tuple[str, ...]

    def to_dict(self) -> dict:
        data = asdict(self)
        data["alternatives"] = list(self.alternatives)
        return data


def _is_plain(token: str) -> bool:
    return (token not in _OPERATORS and token not in "()" and not token.startswith(("-", "+"))
            and ":" not in token and "*" not in token and "?" not in token and "^" not in token)


def _quote(text: str) -> str:
    text = text.replace('"', " ").strip()
    return f'"{text}"' if " " in text or "-" in text else text


def _alternatives(text: str, vocabulary: Lookup, cities: Lookup) -> list[Expansion]:
    found = []
    terms = [t for t in vocabulary(text) if t.lower() != text.lower()]
    if terms:
        found.append(Expansion(text, "vocabulary", tuple(dict.fromkeys(terms))))
    names = list(cities(text))
    if names:
        found.append(Expansion(text, "city", tuple(dict.fromkeys(names))))
    return found


def placeholder(number: int) -> str:
    """A token no analyzer changes, standing for the alternatives of one expansion."""
    return f"xpnd{number}q"


def _alternative_queries(expansions: list[Expansion]) -> list[str]:
    parts = []
    for expansion in expansions:
        if expansion.kind == "city":
            parts += [f'city:"{name}"' for name in expansion.alternatives]
        else:
            parts += [_quote(term) for term in expansion.alternatives]
    return parts


def _rewrite(original: str, mark: str) -> str:
    if " " in original and not original.startswith('"'):
        original = f"({original})"
    return f"({original} OR {mark})"


@dataclass(frozen=True)
class ExpandedQuery:
    text: str                            # the query with a placeholder OR-ed to each expanded part
    alternatives: dict[str, list[str]]   # placeholder → query strings of its alternatives
    expansions: list[Expansion]


def expand(query: str, vocabulary: Lookup, cities: Lookup) -> ExpandedQuery:
    """The query with its expandable parts marked, and what each one expands to.

    >>> vocab = {"haine": ["hate"], "social cohesion": ["vivre-ensemble"]}.get
    >>> expanded = expand("haine social cohesion -x", lambda t: vocab(t.lower(), []), lambda t: [])
    >>> expanded.text
    '(haine OR xpnd0q) ((social cohesion) OR xpnd1q) -x'
    >>> expanded.alternatives
    {'xpnd0q': ['hate'], 'xpnd1q': ['"vivre-ensemble"']}
    """
    tokens = _TOKEN.findall(query)
    out: list[str] = []
    expansions: list[Expansion] = []
    alternatives: dict[str, list[str]] = {}

    def mark(original: str, found: list[Expansion]) -> str:
        if not found:
            return original
        expansions.extend(found)
        key = placeholder(len(alternatives))
        alternatives[key] = _alternative_queries(found)
        return _rewrite(original, key)

    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.startswith('"') and token.endswith('"') and len(token) > 1:
            phrase = token.strip('"').strip()
            out.append(mark(token, _alternatives(phrase, vocabulary, cities) if phrase else []))
            i += 1
            continue
        if not _is_plain(token):
            out.append(token)
            i += 1
            continue
        # Longest run of plain words first, so "social cohesion" and "Le Cap" match whole.
        for size in range(MAX_PHRASE_WORDS, 0, -1):
            run = tokens[i:i + size]
            if len(run) < size or not all(_is_plain(t) and not t.startswith('"') for t in run):
                continue
            text = " ".join(run)
            found = _alternatives(text, vocabulary, cities)
            if found or size == 1:
                out.append(mark(text, found))
                i += size
                break
    return ExpandedQuery(" ".join(out), alternatives, expansions)
