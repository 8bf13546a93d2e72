"""User query syntax: checked for mistakes with helpful messages, and normalized before
the engine parses it (``kb/index/parsing.py``).

Syntax: words (all must match), "exact phrases", OR, AND, NOT, -exclusion, prefix*,
(groups), and field queries such as title:melbourne or type:declaration.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Mapping, Sequence

from model.fields import QUERY_FIELDS
from model.messages import Message
from model.vocabulary import fold

FIELD_QUERIES = QUERY_FIELDS
BINARY_OPERATORS = ("AND", "OR", "ANDNOT")
MAX_QUERY_LENGTH = 1000

_TOKEN = re.compile(r'-?\w+:"[^"]*"|[-+]?"[^"]*"|\(|\)|[^\s()"]+')
_FIELD_PREFIX = re.compile(r"^-?(\w+):(?!//)")


class QueryError(ValueError):
    """A query the user must fix; the message says how."""


class ParameterError(QueryError):
    """A search parameter other than the query text (a filter, a date, the sort, the page)
    the user must fix; ``parameter`` names it."""

    def __init__(self, message, parameter: str):
        super().__init__(message)
        self.parameter = parameter


# Phrases in French and typographic quotes: « villes fortes », “villes fortes”, „…“.
_TYPOGRAPHIC_QUOTES = re.compile(r"«[\s\u00a0\u202f]*([^«»]*?)[\s\u00a0\u202f]*»|“([^“”]*)”|„([^„“”]*)[“”]")


def normalize_quotes(query: str) -> str:
    """Phrases in guillemets or typographic quotes as phrases in straight quotes (the
    apostrophe ’ of elisions is left alone).

    >>> normalize_quotes("« villes fortes » OR “strong cities” l’extrémisme")
    '"villes fortes" OR "strong cities" l’extrémisme'
    """
    return _TYPOGRAPHIC_QUOTES.sub(lambda m: '"' + next(g for g in m.groups() if g is not None) + '"', query)


def check_phrases(query: str) -> None:
    """QueryError for a query longer than ``MAX_QUERY_LENGTH`` or with a quote left open:
    what every query must pass, the search's and the commitments explorer's.

    >>> check_phrases('"unclosed phrase')
    Traceback (most recent call last):
    ...
    kb.query.QueryError: Unclosed quote: add a closing " to end the phrase.
    """
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryError(Message("The query is too long (%(length)s characters; at most %(limit)s).",
                                 length=len(query), limit=MAX_QUERY_LENGTH))
    if query.count('"') % 2:
        raise QueryError(Message('Unclosed quote: add a closing " to end the phrase.'))


def check_syntax(query: str) -> None:
    """Raise QueryError for the mistakes people make when typing queries.

    >>> check_syntax('haine AND')
    Traceback (most recent call last):
    ...
    kb.query.QueryError: 'AND' needs a word after it.
    """
    check_phrases(query)
    tokens = _TOKEN.findall(query)
    depth = 0
    previous = None
    for position, token in enumerate(tokens):
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
            if depth < 0:
                raise QueryError(Message("A ')' closes a group that was never opened: remove it or add '('."))
            if previous == "(":
                raise QueryError(Message("Empty parentheses '()': put words inside or remove them."))
        elif token in BINARY_OPERATORS or token == "NOT":
            is_binary = token in BINARY_OPERATORS
            if is_binary and (previous is None or previous == "(" or previous in BINARY_OPERATORS
                              or previous == "NOT"):
                raise QueryError(Message("'%(operator)s' needs a word on each side, as in: haine %(operator)s hate.",
                                         operator=token))
            following = tokens[position + 1] if position + 1 < len(tokens) else None
            if following is None or following == ")" or following in BINARY_OPERATORS:
                raise QueryError(Message("'%(operator)s' needs a word after it.", operator=token))
        else:
            _check_word(token)
        previous = token
    if depth > 0:
        raise QueryError(Message("A '(' is never closed: add ')' at the end of the group."))


def _check_word(token: str) -> None:
    if token.lstrip("-+").startswith('"'):
        if not token.lstrip("-+").strip('" '):
            raise QueryError(Message('Empty phrase "": put words between the quotes.'))
        return
    match = _FIELD_PREFIX.match(token)
    if match:
        name = match.group(1)
        if name not in FIELD_QUERIES:
            raise QueryError(Message("Unknown field '%(field)s:'; fields you can search: %(fields)s.",
                                     field=name, fields=", ".join(f"{f}:" for f in FIELD_QUERIES)))
        token = token[match.end():]
        if not token:
            raise QueryError(Message("'%(field)s:' needs a value after it, as in %(field)s:paris.", field=name))
    word = token.lstrip("-+")
    if not word:
        raise QueryError(Message("'%(token)s' on its own is not a word: use -word to exclude a word.",
                                 token=token))
    if "*" in word or "?" in word:
        stem = re.split(r"[*?]", word, 1)[0]
        if len(stem) < 2:
            raise QueryError(Message("'%(word)s': a prefix search needs at least 2 letters before '*'.",
                                     word=word))


def fold_wildcards(query: str) -> str:
    """Lower-case and strip accents from prefix terms, which Whoosh does not analyze."""
    return re.sub(r"[^\s()\"]*[*?][^\s()\"]*", lambda match: fold(match.group(0)), query)


_HYPHENATED = re.compile(r'"[^"]*"|(?<![\w-])([^\W\d_][\w\'’]*(?:-[\w\'’]+)+)')


def quote_hyphenated(query: str) -> str:
    """``vivre-ensemble`` → ``"vivre-ensemble"``: a hyphen inside a word is not an exclusion.

    >>> quote_hyphenated('vivre-ensemble -paris "anti-racisme"')
    '"vivre-ensemble" -paris "anti-racisme"'
    """
    return _HYPHENATED.sub(lambda m: f'"{m.group(1)}"' if m.group(1) else m.group(0), query)


_FIELD_VALUE = re.compile(r'(?<![\w-])(-?)(city|country|type|language|year):("[^"]*"|[^\s()"]+)')


def normalize_field_values(query: str, city_names) -> str:
    """Field values as the index keeps them: ``city:bruxelles`` → ``city:Brussels``,
    ``country:be`` → ``country:BE``, ``type:Declaration`` → ``type:declaration``."""
    def fix(match: re.Match) -> str:
        sign, name, value = match.groups()
        bare = value.strip('"')
        if name == "city":
            names = list(city_names(bare)) or [bare]
            values = [f'city:"{n}"' for n in names]
            return sign + (values[0] if len(values) == 1 else "(" + " OR ".join(values) + ")")
        bare = bare.upper() if name == "country" else bare.lower()
        return f'{sign}{name}:"{bare}"'
    return _FIELD_VALUE.sub(fix, query)


# -- the parsed query: a tree every engine translates -----------------------------------
# Engines never parse query strings (tantivy's parser refuses what users type, such as
# l'extrémisme): ``parse_query`` turns a checked query into these nodes, and each engine
# builds its own query from them. Leaves hold text as typed; the engine analyses it per
# field (stemming, accent folding, elisions, stop words), as it analysed the documents.

@dataclass(frozen=True)
class Leaf:
    """Text as typed, searched in ``field`` (None: every searched text field, that is the
    title, the bodies in every language and the city names), its score times ``boost``."""
    text: str
    field: str | None = None
    boost: float = 1.0


@dataclass(frozen=True)
class Word(Leaf):
    """A word."""


@dataclass(frozen=True)
class Phrase(Leaf):
    """Words at consecutive positions (``slop`` > 1: within that many positions)."""
    slop: int = 1


@dataclass(frozen=True)
class Pattern(Leaf):
    """A prefix or wildcard pattern (``radical*``, ``eng?g*``), lower-cased, accents folded."""

    @property
    def prefix(self) -> str | None:
        """The prefix when the pattern is one (a single trailing ``*``), else None."""
        head = self.text[:-1]
        return head if self.text.endswith("*") and "*" not in head and "?" not in head else None


@dataclass(frozen=True)
class And:
    parts: tuple["Node", ...]
    boost: float = 1.0


@dataclass(frozen=True)
class Or:
    parts: tuple["Node", ...]
    boost: float = 1.0


@dataclass(frozen=True)
class Not:
    """Documents without ``part`` (inside an And: excluded from it)."""
    part: "Node"


@dataclass(frozen=True)
class AndNot:
    """``kept`` documents, less those matching ``removed`` (``-word``, ``ANDNOT``)."""
    kept: "Node"
    removed: "Node"


@dataclass(frozen=True)
class AndMaybe:
    """``required`` documents; those also matching ``optional`` rank higher (``+word``)."""
    required: "Node"
    optional: "Node"


@dataclass(frozen=True)
class Every:
    """Every document (an empty query)."""


@dataclass(frozen=True)
class Relaxed:
    """Most words rather than all: when ``query``, once analysed, is an And of several
    parts, documents matching any of them are found, and those matching more rank first
    (tantivy: those matching at least half of them, rounded up; Whoosh: a small bonus per
    part). Any other query is searched as it is."""
    query: "Node"


Node = Word | Phrase | Pattern | And | Or | Not | AndNot | AndMaybe | Every | Relaxed
LEAVES = Leaf

_PHRASE_END = r'(?:~\d+)?(?:\^\d*(?:\.\d+)?)?'     # ~slop, ^boost
_PARSE_TOKEN = re.compile(rf'[-+]?\w+:"[^"]*"{_PHRASE_END}|[-+]?"[^"]*"{_PHRASE_END}|\(|\)|[^\s()"]+')
_BOOST = re.compile(r"\^(\d*(?:\.\d+)?)$")
_SLOP = re.compile(r"^~(\d+)")
_PLUS, _MINUS = object(), object()


def parse_query(query: str, alternatives: Mapping[str, Sequence[str]] | None = None,
                weight: float = 1.0) -> Node:
    """The tree of a checked query (``check_syntax``). Words next to each other must all
    match; ``OR`` binds tighter than that, ``AND`` tighter than ``OR``, ``NOT`` tightest,
    ``ANDNOT`` loosest; ``+word`` is required (the rest then only ranks), ``-word``
    excluded. ``alternatives`` maps placeholder words (``kb.expansion``) to the queries
    they stand for, searched with ``weight`` times their boost.

    >>> parse_query('haine "vivre ensemble" -paris')
    AndNot(kept=And(parts=(Word(text='haine', field=None, boost=1.0), Phrase(text='vivre ensemble', field=None, boost=1.0, slop=1)), boost=1.0), removed=Word(text='paris', field=None, boost=1.0))
    >>> parse_query("radical* OR title:melbourne")
    Or(parts=(Pattern(text='radical*', field=None, boost=1.0), Word(text='melbourne', field='title', boost=1.0)), boost=1.0)
    >>> parse_query('mayor^2.5 OR "réseau Strong Cities"^2.5')   # weighted alternatives
    Or(parts=(Word(text='mayor', field=None, boost=2.5), Phrase(text='réseau Strong Cities', field=None, boost=2.5, slop=1)), boost=1.0)
    """
    tokens = _PARSE_TOKEN.findall(fold_wildcards(quote_hyphenated(query)))
    position = 0

    def group() -> list:
        nonlocal position
        items: list = []
        while position < len(tokens):
            token = tokens[position]
            position += 1
            if token == ")":
                break
            if token == "(":
                items.append(_group(group()))
            elif token in ("AND", "OR", "ANDNOT", "NOT"):
                items.append(token)
            else:
                items += _leaf(token, alternatives, weight)
        return items

    tree = _group(group())
    return tree if tree is not None else Every()


def _leaf(token: str, alternatives, weight: float) -> list:
    """The markers (+, -) and the node of one token."""
    out: list = []
    if token[0] in "+-" and len(token) > 1:
        out.append(_PLUS if token[0] == "+" else _MINUS)
        token = token[1:]
    field = None
    match = _FIELD_PREFIX.match(token)
    if match and match.group(1) in FIELD_QUERIES:
        field, token = match.group(1), token[match.end():]
    if token.startswith('"'):             # "words", "words"~2, "words"^2.5 (a weighted alternative)
        text, _, end = token[1:].partition('"')
        slop, boost = _SLOP.match(end), _BOOST.search(end)
        out.append(Phrase(text, field, float(boost.group(1)) if boost and boost.group(1) else 1.0,
                          int(slop.group(1)) if slop else 1))
        return out
    boost = 1.0
    found = _BOOST.search(token)
    if found and found.group(1) and token[:found.start()]:
        boost, token = float(found.group(1)), token[:found.start()]
    if alternatives and token in alternatives and field is None:
        parts = [weaken(parse_query(alt), weight) for alt in alternatives[token]]
        out.append(parts[0] if len(parts) == 1 else Or(tuple(parts)))
    elif "*" in token or "?" in token:
        out.append(Pattern(token, field, boost))
    else:
        out.append(Word(token, field, boost))
    return out


def _group(items: list) -> Node | None:
    """One group's items (nodes, operator names, +/- markers) as a node, the way Whoosh's
    parser groups them (its plus/minus filter, then NOT, AND, OR, ANDNOT in that order)."""
    required, optional, banned = [], [], []
    target = optional
    for item in items:
        if item is _PLUS:
            target = required
        elif item is _MINUS:
            target = banned
        else:
            target.append(item)
            target = optional
    node = _operators(optional)
    if required:
        kept = _operators(required)
        node = kept if node is None else AndMaybe(kept, node)
    if banned:      # documents with any excluded part are left out (Whoosh: an Or of them)
        removed = banned[0] if len(banned) == 1 else Or(tuple(banned))
        node = AndNot(node if node is not None else Every(), removed)
    return node


def _operators(items: list) -> Node | None:
    items = list(items)
    i = 0
    while i < len(items):                      # NOT: the next item
        if items[i] == "NOT":
            del items[i]
            if i < len(items) and not isinstance(items[i], str):
                items[i] = Not(items[i])
        i += 1
    for name, make in (("AND", And), ("OR", Or), ("ANDNOT", None)):
        i = 0
        while i < len(items):
            if items[i] != name:
                i += 1
                continue
            if 0 < i < len(items) - 1 and not isinstance(items[i - 1], str) \
                    and not isinstance(items[i + 1], str):
                left, right = items[i - 1], items[i + 1]
                if make is None:
                    joined = AndNot(left, right)
                elif isinstance(left, make):
                    joined = make((*left.parts, right))
                else:
                    joined = make((left, right))
                items[i - 1:i + 2] = [joined]
            else:
                del items[i]
    nodes = [item for item in items if not isinstance(item, str)]
    if not nodes:
        return None
    return nodes[0] if len(nodes) == 1 else And(tuple(nodes))


def parts_of(node: Node) -> tuple[Node, ...]:
    """The nodes a compound node is made of (none for a leaf or Every)."""
    if isinstance(node, (And, Or)):
        return node.parts
    if isinstance(node, (Not, AndNot, AndMaybe, Relaxed)):
        return tuple(getattr(node, f.name) for f in dataclasses.fields(node))
    return ()


def weaken(node: Node, factor: float) -> Node:
    """``node`` with the boost of every leaf multiplied by ``factor``."""
    if isinstance(node, LEAVES):
        return dataclasses.replace(node, boost=node.boost * factor)
    parts = [weaken(part, factor) for part in parts_of(node)]
    if isinstance(node, (And, Or)):
        return dataclasses.replace(node, parts=tuple(parts))
    return type(node)(*parts) if parts else node


def leaves(node: Node):
    """Every Word, Phrase and Pattern of ``node``, left to right."""
    if isinstance(node, LEAVES):
        yield node
    for part in parts_of(node):
        yield from leaves(part)


def wanted_leaves(node: Node):
    """The leaves of ``node`` that a document it matches may contain, left to right: not
    those it excludes (``-word``, ``NOT word``, the right side of ``ANDNOT``).

    >>> [leaf.text for leaf in wanted_leaves(parse_query('ville -haine (jeunes ANDNOT sport)'))]
    ['ville', 'jeunes']
    """
    if isinstance(node, LEAVES):
        yield node
    elif isinstance(node, AndNot):
        yield from wanted_leaves(node.kept)
    elif not isinstance(node, Not):
        for part in parts_of(node):
            yield from wanted_leaves(part)
