"""User query syntax: checked for mistakes with helpful messages, and normalized before
the engine parses it (``kb/index/parsing.py``).

Syntax: words (all must match), "exact phrases", OR, AND, NOT, -exclusion, prefix*,
(groups), and field queries such as title:melbourne or type:declaration.
"""
from __future__ import annotations

import re
import unicodedata

from .messages import Message

FIELD_QUERIES = ("title", "type", "language", "year", "city", "country", "organisation", "theme")
BINARY_OPERATORS = ("AND", "OR", "ANDNOT")
MAX_QUERY_LENGTH = 1000

_TOKEN = re.compile(r'-?\w+:"[^"]*"|"[^"]*"|\(|\)|[^\s()"]+')
_FIELD_PREFIX = re.compile(r"^-?(\w+):(?!//)")


class QueryError(ValueError):
    """A query the user must fix; the message says how."""


def check_syntax(query: str) -> None:
    """Raise QueryError for the mistakes people make when typing queries.

    >>> check_syntax('"unclosed phrase')
    Traceback (most recent call last):
    ...
    kb.query.QueryError: Unclosed quote: add a closing " to end the phrase.
    """
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryError(Message("The query is too long (%(length)s characters; at most %(limit)s).",
                                 length=len(query), limit=MAX_QUERY_LENGTH))
    if query.count('"') % 2:
        raise QueryError(Message('Unclosed quote: add a closing " to end the phrase.'))
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
    if token.startswith('"'):
        if not token.strip('" '):
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
    def fold(match: re.Match) -> str:
        decomposed = unicodedata.normalize("NFKD", match.group(0).lower())
        return "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^\s()\"]*[*?][^\s()\"]*", fold, query)


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
