"""Parsing a checked query into a Whoosh query over every language's fields."""
from __future__ import annotations

from whoosh import qparser
from whoosh.query import BinaryQuery, CompoundQuery, NullQuery

from ..messages import Message
from ..query import QueryError, check_syntax, fold_wildcards, quote_hyphenated
from ..schema import SEARCH_FIELDS


def make_parser(schema) -> qparser.QueryParser:
    """Whoosh parser over every language's body, all words required by default."""
    parser = qparser.MultifieldParser(list(SEARCH_FIELDS), schema, group=qparser.AndGroup)
    # Apostrophes belong to French words (l'extrémisme), not to quoting.
    parser.remove_plugin_class(qparser.SingleQuotePlugin)
    parser.add_plugin(qparser.PlusMinusPlugin())
    return parser


def parse(query: str, schema, checked: bool = False):
    """A Whoosh query for ``query``; QueryError when its syntax is wrong.

    ``checked=True`` skips the syntax check, for a query rewritten from a checked one.
    """
    if not checked:
        check_syntax(query)
    parsed = make_parser(schema).parse(fold_wildcards(quote_hyphenated(query)))
    if parsed is None or parsed is NullQuery or not list(parsed.leaves()):
        raise QueryError(Message("The query has only common words (such as 'the' or 'les'); add a more "
                                 "specific word."))
    return parsed


EXPANSION_BOOST = 0.4


def _placeholder_of(node, keys) -> str | None:
    """The placeholder a leaf or a compound of leaves stands for, if it is one."""
    leaves = [node] if node.is_leaf() else list(node.leaves())
    texts = {getattr(leaf, "text", None) for leaf in leaves}
    if len(texts) == 1:
        text = texts.pop()
        return text if text in keys else None
    return None


def _weaken(node, boost: float):
    for leaf in (node.leaves() if not node.is_leaf() else [node]):
        leaf.boost = leaf.boost * boost
    return node


def parse_expanded(text: str, alternatives: dict[str, list[str]], schema):
    """Parse a query whose placeholders stand for weaker alternatives (kb.expansion).

    The parser spreads a placeholder over every searched field (and may merge those
    terms into the enclosing OR); each group of placeholder terms becomes its
    alternatives, once.
    """
    parser = make_parser(schema)
    replacements = {key: _weaken(qparser.query.Or([parser.parse(alt) for alt in alts]), EXPANSION_BOOST)
                    for key, alts in alternatives.items()}

    def swap(node):
        key = _placeholder_of(node, replacements)
        if key:
            return replacements[key]
        if not isinstance(node, CompoundQuery) or isinstance(node, BinaryQuery):
            return node.apply(swap)
        kept, seen = [], []
        for child in node.subqueries:
            key = _placeholder_of(child, replacements)
            if key is None:
                kept.append(swap(child))
            elif key not in seen:
                seen.append(key)
                kept.append(replacements[key])
        return node.__class__(kept, boost=node.boost)

    return swap(parse(text, schema, checked=True)).normalize()


RELAXED_COORDINATION = 0.9


def relax(query):
    """All words required → most words required: a top-level AND of word groups becomes an
    OR that needs half of them (rounded up) and ranks documents matching more words first.
    Any other query is returned as it is."""
    if not isinstance(query, qparser.query.And) or len(query.subqueries) < 2:
        return query
    needed = (len(query.subqueries) + 1) // 2
    return qparser.query.Or(query.subqueries, boost=query.boost, minmatch=needed,
                            scale=RELAXED_COORDINATION)
