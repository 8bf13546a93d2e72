"""A parsed query (``kb.query`` tree) → a Whoosh query over every language's fields.

Each leaf is analysed as Whoosh's own query parser would analyse it (the field's
analyzer: stop words dropped, stems, accents folded), through the parser's term and
phrase builders; a leaf without a field is searched in every searched field (an OR).
The result is what Whoosh's parser made of the same query string before; the tests
hold them equal.
"""
from __future__ import annotations

from whoosh import qparser
from whoosh import query as wq
from whoosh.qparser.plugins import PhrasePlugin

from model.messages import Message

from ...query import (And, AndMaybe, AndNot, Every, Not, Or, Pattern, Phrase, QueryError,
                      Relaxed, Word)
from .schema import SEARCH_FIELDS

RELAXED_COORDINATION = 0.9


_PARSERS: dict[int, tuple[object, qparser.QueryParser]] = {}


def _parser(schema) -> qparser.QueryParser:
    """Whoosh's parser of ``schema``, used only for its per-field term and phrase builders."""
    found = _PARSERS.get(id(schema))
    if found is None or found[0] is not schema:
        if len(_PARSERS) > 8:
            _PARSERS.clear()
        found = _PARSERS[id(schema)] = (schema, qparser.MultifieldParser(
            list(SEARCH_FIELDS), schema, group=qparser.AndGroup))
    return found[1]


def to_whoosh(node, schema):
    """The Whoosh query of ``node``; QueryError when nothing is left to search (only
    common words)."""
    if isinstance(node, Every):
        return wq.Every()
    relaxed = isinstance(node, Relaxed)
    built = _Builder(_parser(schema)).build(node.query if relaxed else node)
    built = built.normalize() if built is not None else None
    if built is None or built is wq.NullQuery or not list(built.leaves()):
        raise QueryError(Message("The query has only common words (such as 'the' or 'les'); add a more "
                                 "specific word."))
    return relax(built) if relaxed else built      # not normalized again: that would merge its ORs


def in_field(node, schema, fieldname: str):
    """The Whoosh query of ``node`` with each leaf that names no field searched in
    ``fieldname`` only (one language's bodies, for more like this); not normalized, so
    an Or of words stays an Or of their terms. None when nothing is left to search."""
    return _Builder(_parser(schema), (fieldname,)).build(node)


class _Builder:
    def __init__(self, parser: qparser.QueryParser, fields: tuple[str, ...] = SEARCH_FIELDS):
        self.parser = parser
        self.fields = fields      # where a leaf without a field is searched

    def build(self, node):
        if isinstance(node, (Word, Phrase, Pattern)):
            if node.field is None and len(self.fields) == 1:
                return self.leaf(node, self.fields[0])
            if node.field is None:
                parts = [self.leaf(node, name) for name in self.fields]
                return wq.Or([p for p in parts if p is not None])
            return self.leaf(node, node.field)
        if isinstance(node, (And, Or)):
            parts = [self.build(part) for part in node.parts]
            kind = wq.And if isinstance(node, And) else wq.Or
            return kind([p for p in parts if p is not None], boost=node.boost)
        if isinstance(node, Not):
            part = self.build(node.part)
            return wq.Not(part) if part else None
        if isinstance(node, (AndNot, AndMaybe)):
            left, right = ((node.kept, node.removed) if isinstance(node, AndNot)
                           else (node.required, node.optional))
            a, b = self.build(left), self.build(right)
            if a is None or b is None:
                return a if b is None else b
            return (wq.AndNot if isinstance(node, AndNot) else wq.AndMaybe)(a, b)
        if isinstance(node, Every):
            return wq.Every()
        if isinstance(node, Relaxed):
            return self.build(node.query)     # relaxed only at the top (to_whoosh)
        raise TypeError(f"not a query node: {node!r}")

    def leaf(self, node, fieldname: str):
        parser = self.parser
        if isinstance(node, Phrase):
            syntax = PhrasePlugin.PhraseNode(node.text, 0, node.slop)
            syntax.fieldname, syntax.boost = fieldname, node.boost
            syntax.startchar, syntax.endchar = 0, len(node.text)
            return syntax.query(parser)
        if isinstance(node, Pattern):
            prefix = node.prefix
            kind, text = (wq.Prefix, prefix) if prefix is not None else (wq.Wildcard, node.text)
            return parser.term_query(fieldname, text, kind, boost=node.boost, tokenize=False,
                                     removestops=False)
        return parser.term_query(fieldname, node.text, parser.termclass, boost=node.boost)


def relax(query):
    """All words required → any word: a top-level AND of word groups becomes an OR with a
    coordination bonus for documents matching more words. (It asks for half of them,
    rounded up, but whoosh-reloaded does not implement ``minmatch``: any word matches, and
    the relevance figures were measured so.) Any other query is returned as it is."""
    if not isinstance(query, wq.And) or len(query.subqueries) < 2:
        return query
    needed = (len(query.subqueries) + 1) // 2
    return wq.Or(query.subqueries, boost=query.boost, minmatch=needed, scale=RELAXED_COORDINATION)


def searched_terms(query) -> dict[str, list[str]]:
    """The terms searched in each field, as the analyzers made them."""
    out: dict[str, list[str]] = {}
    for name, term in query.iter_all_terms(phrases=True):
        term = term.decode("utf-8") if isinstance(term, bytes) else term
        out.setdefault(name, [])
        if term not in out[name]:
            out[name].append(term)
    return out
