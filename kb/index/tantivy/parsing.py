"""A parsed query (``kb.query`` tree) → a tantivy query over every language's fields.

Never from the query string: tantivy's own parser refuses what people type
(``l'extrémisme``). Each leaf is analysed by the analyzer of each field it searches
(``analysis.py``), as the documents were: a word that leaves one term is a term query,
one that leaves several (``aujourd'hui`` in English) a phrase, a stop word nothing. A
leaf without a field searches every searched field (title counted twice); a field
query on a facet (``city:Brussels``, ``type:declaration``) is an exact value.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import tantivy

from model.fields import FACETS
from model.messages import Message

from ...query import (And, AndMaybe, AndNot, Every, Not, Or, Pattern, Phrase, QueryError,
                      Relaxed, Word)
from .analysis import analyses
from .schema import FIELD_BOOSTS, FILTER_FIELD, SEARCH_FIELDS, TEXT_ANALYZERS, facet_key

MUST, SHOULD, MUST_NOT = tantivy.Occur.Must, tantivy.Occur.Should, tantivy.Occur.MustNot
# Alternatives (a word and its translations, "a OR b") score as the best of them plus
# this share of the others: a word with many senses, or many translations that a document
# all has, does not outweigh the query's other words. Measured on the dev set's queries
# with the dictionary (nDCG@10, all/same-language/cross-language): summed 0.706/0.691/0.722,
# the best plus 0.1 of the others 0.738/0.723/0.753 (0.3: 0.736/0.720/0.753).
OR_TIE_BREAKER = 0.1
_REGEX_SPECIAL = re.compile(r"([\\.+*?()|\[\]{}^$#&~-])")


@dataclass
class Built:
    """A tantivy query and the terms it searches in each field, as analysed."""
    query: tantivy.Query
    terms: dict[str, list[str]] = field(default_factory=dict)


def to_tantivy(node, schema: tantivy.Schema) -> Built:
    """The tantivy query of ``node``; QueryError when nothing is left to search (only
    common words)."""
    builder = _Builder(schema)
    if isinstance(node, Every):
        return Built(tantivy.Query.all_query())
    if isinstance(node, Relaxed):
        query = builder.relaxed(node.query)
    else:
        query = builder.build(node)
    if query is None:
        raise QueryError(Message("The query has only common words (such as 'the' or 'les'); add a more "
                                 "specific word."))
    return Built(query, builder.terms)


def boolean(clauses: list[tuple[tantivy.Occur, tantivy.Query]]) -> tantivy.Query:
    return tantivy.Query.boolean_query(clauses)


def boosted(query: tantivy.Query, boost: float) -> tantivy.Query:
    return query if boost == 1.0 else tantivy.Query.boost_query(query, boost)


class _Builder:
    def __init__(self, schema: tantivy.Schema):
        self.schema = schema
        self.analyses = analyses()
        self.terms: dict[str, list[str]] = {}

    def relaxed(self, node) -> tantivy.Query | None:
        """Most words rather than all: documents matching any of an And's parts, those
        matching at least half of them (rounded up) first: they match a second clause
        that asks for that many, and its score adds to theirs. (Whoosh, whose relevance
        figures the gold set was measured with, finds any word too.)"""
        if not isinstance(node, And):
            return self.build(node)
        parts = [p for p in (self.build(part) for part in node.parts) if p is not None]
        if len(parts) < 2:
            return parts[0] if parts else None
        query = boolean([(SHOULD, tantivy.Query.boolean_query([(SHOULD, p) for p in parts],
                                                              minimum_number_should_match=needed))
                         for needed in sorted({1, (len(parts) + 1) // 2})])
        return boosted(query, node.boost)

    def build(self, node) -> tantivy.Query | None:
        if isinstance(node, (Word, Phrase, Pattern)):
            if node.field is None:
                parts = [self.leaf(node, name) for name in SEARCH_FIELDS]
                parts = [p for p in parts if p is not None]
                if not parts:
                    return None
                return parts[0] if len(parts) == 1 else boolean([(SHOULD, p) for p in parts])
            return self.leaf(node, node.field)
        if isinstance(node, And):
            clauses = []
            for part in node.parts:
                if isinstance(part, Not):          # excluded from the And
                    built = self.build(part.part)
                    if built is not None:
                        clauses.append((MUST_NOT, built))
                    continue
                built = self.build(part)
                if built is not None:
                    clauses.append((MUST, built))
            return self._combined(clauses, node.boost)
        if isinstance(node, Or):
            built = [b for b in (self.build(p) for p in node.parts) if b is not None]
            if len(built) < 2:
                return self._combined([(SHOULD, b) for b in built], node.boost)
            return boosted(tantivy.Query.disjunction_max_query(built, OR_TIE_BREAKER), node.boost)
        if isinstance(node, Not):
            part = self.build(node.part)
            return None if part is None else boolean([(MUST, tantivy.Query.all_query()), (MUST_NOT, part)])
        if isinstance(node, AndNot):
            kept, removed = self.build(node.kept), self.build(node.removed)
            if kept is None or removed is None:
                return kept if removed is None else None
            return boolean([(MUST, kept), (MUST_NOT, removed)])
        if isinstance(node, AndMaybe):
            required, optional = self.build(node.required), self.build(node.optional)
            if required is None or optional is None:
                return required if optional is None else optional
            return boolean([(MUST, required), (SHOULD, optional)])
        if isinstance(node, Every):
            return tantivy.Query.all_query()
        if isinstance(node, Relaxed):
            return self.build(node.query)      # relaxed only at the top (to_tantivy)
        raise TypeError(f"not a query node: {node!r}")

    @staticmethod
    def _combined(clauses, boost: float) -> tantivy.Query | None:
        if not clauses:
            return None
        if len(clauses) == 1 and clauses[0][0] is not MUST_NOT:
            return clauses[0][1]           # a group of one is that one (and keeps no boost)
        if all(occur is MUST_NOT for occur, _ in clauses):
            clauses = [(MUST, tantivy.Query.all_query()), *clauses]
        return boosted(boolean(clauses), boost)

    # -- leaves ------------------------------------------------------------------------
    def leaf(self, node, name: str) -> tantivy.Query | None:
        if name in FACETS:
            return self.facet_leaf(node, name)
        analyzer = TEXT_ANALYZERS.get(name)
        if analyzer is None:
            return None
        boost = node.boost * FIELD_BOOSTS.get(name, 1.0)
        if isinstance(node, Pattern):
            return boosted(tantivy.Query.regex_query(self.schema, name, _regex(node)), boost)
        terms = self.analyses[analyzer].positions(node.text)
        # kb's slop 1 is words side by side, tantivy's 0; a word that leaves several terms
        # is a phrase of them
        slop = max(0, node.slop - 1) if isinstance(node, Phrase) else 0
        if not terms:
            return None
        self._searched(name, [t for _, t in terms])
        if len(terms) == 1:
            query = tantivy.Query.term_query(self.schema, name, terms[0][1])
        else:
            first = terms[0][0]
            query = tantivy.Query.phrase_query(self.schema, name, [(p - first, t) for p, t in terms], slop)
        return boosted(query, boost)

    def facet_leaf(self, node, name: str) -> tantivy.Query:
        if isinstance(node, Pattern):
            return boosted(tantivy.Query.regex_query(self.schema, name, _regex(node)), node.boost)
        self._searched(name, [node.text])
        term = tantivy.Query.term_query(self.schema, FILTER_FIELD, facet_key(name, node.text))
        return boosted(term, node.boost)

    def _searched(self, name: str, terms: list[str]) -> None:
        found = self.terms.setdefault(name, [])
        found += [t for t in terms if t not in found]


def _regex(node: Pattern) -> str:
    """A kb pattern (``radical*``, ``eng?g*``) as a regular expression over whole terms."""
    return "".join(".*" if c == "*" else "." if c == "?" else _REGEX_SPECIAL.sub(r"\\\1", c)
                   for c in node.text)
