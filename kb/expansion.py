"""Cross-language query expansion: the words of a query, and their equivalents.

A plain word or phrase of the query that the bilingual vocabulary knows gets its
equivalents in the other language added as weaker alternatives, and a city name in any
language gets the city's normalized name (searched in the city field). Other words and
phrases go to a translator (``kb.translation``): an organisation's other names, a
country's, or the dictionary's translations, each weighted by its probability. Original
words keep full weight, so documents that match them rank above those that match only
an expansion. Excluded words (``-word``), field queries and operators are left as typed;
so are the alternatives a user turned off (``skip``).
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any, Callable, Sequence

MAX_PHRASE_WORDS = 5      # "Association internationale des maires francophones"
OPTIONAL_WEIGHT = 0.0001  # a word documents of the other language need not have: no score
# Translations (weighted alternatives) are boosted by this times the expansion boost
# (0.4, kb/index/parsing.py): a certain translation weighs as the word itself, since a
# document in the other language can only match the word through it.
TRANSLATION_WEIGHT = 2.5
_TOKEN = re.compile(r'-?\w+:"[^"]*"|[-+]?"[^"]*"|\(|\)|[^\s()"]+')
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT"}

Lookup = Callable[[str], Sequence[str]]
Translate = Callable[[str], Any]     # text → kb.translation.Translation or None


@dataclass(frozen=True)
class Expansion:
    text: str                  # as typed
    kind: str                  # "vocabulary", "city", "organisation", "country" or "dictionary"
    alternatives: tuple[str, ...]
    weights: tuple[float, ...] = ()   # dictionary translations: the probability of each

    def to_dict(self) -> dict:
        data = asdict(self)
        data["alternatives"] = list(self.alternatives)
        data["weights"] = list(self.weights)
        return data


def skip_key(text: str, alternative: str) -> str:
    """How a user names an alternative to turn off: ``haine:hatred``."""
    return f"{text}:{alternative}"


def _without(expansion: Expansion, skip: frozenset[str]) -> Expansion | None:
    """``expansion`` without the alternatives in ``skip`` (compared without case)."""
    if not skip:
        return expansion
    kept = [i for i, alt in enumerate(expansion.alternatives)
            if skip_key(expansion.text, alt).lower() not in skip]
    if not kept:
        return None
    weights = tuple(expansion.weights[i] for i in kept) if expansion.weights else ()
    return Expansion(expansion.text, expansion.kind, tuple(expansion.alternatives[i] for i in kept), weights)


def _is_plain(token: str) -> bool:
    return (token not in _OPERATORS and token not in "()" and not token.startswith(("-", "+"))
            and ":" not in token and "*" not in token and "?" not in token and "^" not in token)


def _quote(text: str) -> str:
    text = text.replace('"', " ").strip()
    return f'"{text}"' if " " in text or "-" in text else text


def _alternatives(text: str, vocabulary: Lookup, cities: Lookup,
                  translate: Translate | None = None) -> list[Expansion]:
    found = []
    terms = [t for t in vocabulary(text) if t.lower() != text.lower()]
    if terms:
        found.append(Expansion(text, "vocabulary", tuple(dict.fromkeys(terms))))
    names = list(cities(text))
    if names:
        found.append(Expansion(text, "city", tuple(dict.fromkeys(names))))
    if not found and translate is not None:
        translation = translate(text)
        if translation is not None and (translation.alternatives or translation.kind == "shared"):
            found.append(Expansion(text, translation.kind, tuple(translation.alternatives),
                                   tuple(translation.weights)))
    return found


def placeholder(number: int) -> str:
    """A token no analyzer changes, standing for the alternatives of one expansion."""
    return f"xpnd{number}q"


def _alternative_queries(expansions: list[Expansion]) -> list[str]:
    parts = []
    for expansion in expansions:
        if expansion.kind == "city":
            parts += [f'city:"{name}"' for name in expansion.alternatives]
        elif expansion.kind == "optional":      # documents in these languages need not have it
            parts += [f"language:{language}^{OPTIONAL_WEIGHT}" for language in expansion.alternatives]
        elif expansion.weights:
            parts += [f"{_quote(term)}^{weight * TRANSLATION_WEIGHT:.4g}"
                      for term, weight in zip(expansion.alternatives, expansion.weights)]
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


def expand(query: str, vocabulary: Lookup, cities: Lookup, translate: Translate | None = None,
           skip: frozenset[str] = frozenset()) -> ExpandedQuery:
    """The query with its expandable parts marked, and what each one expands to;
    ``translate`` translates what the vocabulary and city names do not know; ``skip``
    holds the alternatives to leave out (``skip_key``, lower case).

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
    carried = 0                                  # words that reach the other language
    optional: list[tuple[int, str, str]] = []    # (place in out, placeholder, text) of optional words

    def mark(original: str, found: list[Expansion]) -> str:
        nonlocal carried
        carried += any(e.kind != "optional" for e in found)
        found = [e for e in (_without(e, skip) for e in found) if e is not None and e.kind != "shared"]
        if not found:
            return original
        expansions.extend(found)
        key = placeholder(len(alternatives))
        alternatives[key] = _alternative_queries(found)
        if found[0].kind == "optional":
            optional.append((len(out), key, original))
        return _rewrite(original, key)

    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.startswith('"') and token.endswith('"') and len(token) > 1:
            phrase = token.strip('"').strip()
            out.append(mark(token, _alternatives(phrase, vocabulary, cities, translate) if phrase else []))
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
            found = _alternatives(text, vocabulary, cities, translate)
            if found or size == 1:
                out.append(mark(text, found))
                i += size
                break
    if optional and not carried:
        # Nothing of the query reaches the other language: leaving these words out there
        # would match every document in it.
        for place, key, original in optional:
            out[place] = original
            del alternatives[key]
        expansions = [e for e in expansions if e.kind != "optional"]
    return ExpandedQuery(" ".join(out), alternatives, expansions)
