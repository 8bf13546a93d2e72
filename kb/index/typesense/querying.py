"""A parsed query (``kb.query`` tree) → a Typesense ``filter_by`` expression that selects
exactly the documents the Whoosh engine matches, and the terms that rank them.

Each leaf is analysed per search field as the Whoosh parser does (``schema.query_terms``)
and becomes a lookup in the ``terms`` array: a word is any of its field terms, a phrase
the two-term entries of its consecutive terms (within ``slop`` > 1: all its terms), a
prefix the terms of the vocabulary that begin with it (``Vocabulary``). ``And``, ``Or``,
``Not`` and the rest become ``&&``, ``||`` and ``!=`` (negations pushed down to the
leaves, as Typesense 0.24 negates single conditions only). Field queries on facets
(``type:guide``, ``city:"Brussels"``) filter those facet fields.

Ranking (``Ranking``): Typesense ranks by the query terms a document holds. The terms of
the positive leaves that some document holds, strongest boost first (the words as typed before
their cross-language expansions), follow ``schema.EVERY``, which every document holds,
and tokens are dropped from the right until every document the filter selects is found:
documents holding the first terms rank first.
"""
from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

from model.fields import BY_NAME
from model.messages import Message

from ...query import (And, AndMaybe, AndNot, Every, Not, Or, Pattern, Phrase, QueryError, Relaxed,
                      Word)
from .schema import EVERY, NAMESPACES, NOTHING, SEARCH_FIELDS, bigram, date_key, query_terms, term

MAX_RANKING_TERMS = 12
FIELD_ORDER = {"f": 0, "e": 0, "o": 0, "c": 1, "t": 2}   # namespaces, in ranking order
# Typesense 0.24 refuses a filter of more than 100 tokens (conditions, operators and
# parentheses: about 50 conditions).
MAX_FILTER_TOKENS = 100


class _Const:
    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


TRUE, FALSE = _Const("TRUE"), _Const("FALSE")


def quote(value: str) -> str:
    return "`" + value.replace("`", "") + "`"


def _any_of(field_name: str, values: Sequence[str], negate: bool = False):
    values = list(dict.fromkeys(v for v in values if v))
    if not values:
        return TRUE if negate else FALSE
    return f"{field_name}:{'!=' if negate else '='}[{','.join(quote(v) for v in values)}]"


def _and(parts):
    parts = [p for p in parts if p is not None and p is not TRUE]
    if any(p is FALSE for p in parts):
        return FALSE
    if not parts:
        return TRUE
    return parts[0] if len(parts) == 1 else "(" + " && ".join(parts) + ")"


_ANY_TERM = re.compile(r"terms:=\[(`[^`]*`(?:,`[^`]*`)*)\]")


def _or(parts):
    """Alternatives; those that are each a list of terms become one list (Typesense 0.24
    refuses a filter of a few hundred ``||``, which a translated more-like-this makes)."""
    parts = [p for p in parts if p is not None and p is not FALSE]
    if any(p is TRUE for p in parts):
        return TRUE
    if not parts:
        return FALSE
    lists = [m.group(1) for m in map(_ANY_TERM.fullmatch, parts) if m]
    if len(lists) > 1:
        parts = [f"terms:=[{','.join(lists)}]"] + [p for p in parts if not _ANY_TERM.fullmatch(p)]
    return parts[0] if len(parts) == 1 else "(" + " || ".join(parts) + ")"


@dataclass
class Translation:
    """A query's filter (a string, TRUE or FALSE), its ranking terms, and the terms
    searched in each field as analysed (the interpretation's stems)."""
    filter: object
    ranking: list[str]
    searched: dict[str, list[str]] = field(default_factory=dict)
    boosts: dict[str, float] = field(default_factory=dict)     # ranking term → its boost
    leaves: dict = field(default_factory=dict)      # positive leaf → the terms of each field it matches by


class Translator:
    """Translates one tree; ``prefixes(namespace, prefix)`` lists the vocabulary's terms
    that begin with ``prefix`` in a field (``Vocabulary.expand``)."""

    def __init__(self, prefixes: Callable[[str, str], list[str]]):
        self.prefixes = prefixes
        self.searched: dict[str, list[str]] = {}
        self.ranked: list[tuple[float, int, str]] = []
        self.leaves: dict[object, list[tuple[str, ...]]] = {}

    def translate(self, node) -> Translation:
        if isinstance(node, Every):
            return Translation(TRUE, [])
        built = self.relax(node.query) if isinstance(node, Relaxed) else self.build(node, False)
        if built is None:
            raise QueryError(Message("The query has only common words (such as 'the' or 'les'); add a more "
                                     "specific word."))
        # strongest boost first; within one, body terms before city names before titles
        ranking = [t for _, _, t in sorted(self.ranked, key=lambda r: (-r[0], FIELD_ORDER[r[2][0]], r[1]))]
        ranking = list(dict.fromkeys(ranking))
        boosts: dict[str, float] = {}
        for boost, _, value in self.ranked:
            boosts[value] = max(boost, boosts.get(value, 0.0))
        return Translation(built, ranking, self.searched, boosts, self.leaves)

    # -- the tree ------------------------------------------------------------------------
    def build(self, node, negate: bool):
        """The filter of ``node`` (negated when ``negate``), or None when nothing is left
        of it to search (only stop words): an And then leaves it out, as Whoosh does."""
        if isinstance(node, (Word, Phrase, Pattern)):
            return self.leaf(node, negate)
        if isinstance(node, (And, Or)):
            parts = [self.build(p, negate) for p in node.parts]
            parts = [p for p in parts if p is not None]
            if not parts:
                return None
            conjunction = isinstance(node, And) != negate       # De Morgan
            return _and(parts) if conjunction else _or(parts)
        if isinstance(node, Not):
            return self.build(node.part, not negate)
        if isinstance(node, AndNot):
            kept, removed = self.build(node.kept, negate), self.build(node.removed, not negate)
            if kept is None or removed is None:
                return kept if removed is None else removed
            return _or([kept, removed]) if negate else _and([kept, removed])
        if isinstance(node, AndMaybe):
            required = self.build(node.required, negate)
            self.build(node.optional, negate)        # it only ranks: its terms are kept
            return required
        if isinstance(node, Every):
            return FALSE if negate else TRUE
        if isinstance(node, Relaxed):
            return self.build(node.query, negate)
        raise TypeError(f"not a query node: {node!r}")

    def relax(self, node):
        """All words required → any of them, as on the embedded engines; those holding
        more of them rank first (the ranking terms)."""
        if not isinstance(node, And):
            return self.build(node, False)
        parts = [p for p in (self.build(part, False) for part in node.parts) if p is not None]
        return _or(parts) if parts else None

    # -- leaves --------------------------------------------------------------------------
    def leaf(self, node, negate: bool):
        if node.field is not None and node.field not in NAMESPACES and node.field in BY_NAME:
            return self.facet(node, negate)
        fields = SEARCH_FIELDS if node.field is None else (node.field,)
        if isinstance(node, Pattern):
            parts = [self.pattern(node, name, negate) for name in fields]
            return _and(parts) if negate else _or(parts)
        wanted = [w for w in (self.wanted(node, name, negate) for name in fields) if w]
        if not wanted:
            return None
        if negate:        # in no field: none of each field's terms (a word's, in one condition)
            words = [terms[0] for terms in wanted if len(terms) == 1]
            phrases = [terms for terms in wanted if len(terms) > 1]
            return _and([_any_of("terms", words, True) if words else TRUE,
                         *(_or([_any_of("terms", [w], True) for w in terms]) for terms in phrases)])
        if len({len(terms) for terms in wanted}) == 1:
            # One condition per place: the terms of every field at that place. Looser than
            # "all the places in one field" only for a phrase split across fields, and it
            # keeps a query under Typesense 0.24's limit of about 50 conditions a filter
            # (a phrase and its organisation's other names in five fields went past it).
            return _and([_any_of("terms", list(column)) for column in zip(*wanted)])
        return _or([_and([_any_of("terms", [w]) for w in terms]) for terms in wanted])

    def wanted(self, node, name: str, negate: bool) -> list[str]:
        """The terms ``node`` asks of field ``name``: its words, or a phrase's pairs of
        consecutive words (all of them needed)."""
        analysed = query_terms(name, node.text)
        if not analysed:
            return []
        self._searched(name, analysed)
        if isinstance(node, Phrase) and len(analysed) > 1 and node.slop <= 1:
            wanted = [bigram(name, a, b) for a, b in zip(analysed, analysed[1:])]
        else:
            wanted = [term(name, a) for a in analysed]
        if not negate:
            for value in analysed:
                self.ranked.append((node.boost, len(self.ranked), term(name, value)))
            self.leaves.setdefault(node, []).append(tuple(wanted))
        return wanted

    def pattern(self, node: Pattern, name: str, negate: bool):
        text = node.text
        head = text[:min((text.index(c) for c in "*?" if c in text), default=len(text))]
        found = self.prefixes(NAMESPACES[name], head)
        if node.prefix is None:          # a wildcard: the candidates that fit all of it
            found = [t for t in found if fnmatch.fnmatchcase(t, text)]
        self._searched(name, [text])
        if not negate:
            self.ranked.extend((node.boost * 0.5, len(self.ranked), term(name, t)) for t in found[:3])
            self.leaves.setdefault(node, []).extend((term(name, t),) for t in found[:3])
        return _any_of("terms", [term(name, t) for t in found], negate)

    def facet(self, node, negate: bool):
        value = node.text
        self._searched(node.field, [value])
        if isinstance(node, Pattern):
            return FALSE if not negate else TRUE     # no prefix search on facet values
        return _any_of(node.field, [value], negate)

    def _searched(self, name: str, values: list[str]) -> None:
        found = self.searched.setdefault(name, [])
        found.extend(v for v in values if v not in found)


def cumulative_tiers(nodes: Sequence, prefixes: Callable[[str, str], list[str]]) -> list[object]:
    """For each of ``nodes`` (``IndexQuery.tiers``, each within the next): the filter of
    the documents that it or an earlier one matches."""
    inside, out = [], []
    for node in nodes:
        kept = Translator(prefixes).build(node, False)
        inside.append(FALSE if kept is None else kept)      # only stop words: matches nothing
        out.append(_or(list(inside)))
    return out


_QUOTED = re.compile(r"`[^`]*`")
_TOKEN = re.compile(r"&&|\|\||[():]")


def tokens(filter_by: str) -> int:
    """The tokens Typesense counts in a filter: conditions, operators and parentheses."""
    return len(_TOKEN.findall(_QUOTED.sub("", filter_by)))


def render(condition) -> str:
    """A filter as Typesense reads it (TRUE and FALSE as conditions on ``terms``)."""
    if condition is TRUE:
        return f"terms:={quote(EVERY)}"
    if condition is FALSE:
        return f"terms:={quote(NOTHING)}"
    return condition


def conjunction(*conditions) -> str:
    return render(_and(list(conditions)))


def facet_filter(name: str, values: Sequence[str]):
    return _any_of(name, values)


def date_filter(date_from: str, date_to: str):
    """Dated documents with from <= date <= to, as ISO prefixes (``date_key``)."""
    if not date_from and not date_to:
        return TRUE
    low = date_key(date_from) if date_from else 1
    high = (date_key(date_to) + {4: 9999, 7: 99, 10: 0}[len(date_to)]) if date_to else 99999999
    return f"date_key:[{max(low, 1)}..{high}]"
