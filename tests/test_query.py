"""Query syntax checks: every malformed query gets a message saying how to fix it."""
from __future__ import annotations

import pytest

from kb.query import QueryError, check_syntax, fold_wildcards


@pytest.mark.parametrize("query, message", [
    ('"unclosed', "Unclosed quote"),
    ("AND AND", "'AND' needs a word on each side"),
    ("haine AND", "'AND' needs a word after it"),
    ("OR hate", "'OR' needs a word on each side"),
    ("((", "never closed"),
    ("a )", "never opened"),
    ("()", "Empty parentheses"),
    ('""', "Empty phrase"),
    ("-", "on its own is not a word"),
    ("*", "at least 2 letters"),
    ("author:x", "Unknown field 'author:'"),
    ("title:", "needs a value"),
    ("NOT", "'NOT' needs a word after it"),
    ("x" * 1001, "too long"),
])
def test_malformed_queries(query, message):
    with pytest.raises(QueryError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_syntax(query)


@pytest.mark.parametrize("query", [
    "extrémisme", '"vivre-ensemble" maires', "haine OR hate", "maires -paris",
    "radical*", "(haine OR hate) AND villes", "title:melbourne", "l'extrémisme",
    "a AND NOT b", "http://example.org",
])
def test_valid_queries(query):
    check_syntax(query)


def test_wildcards_are_folded():
    assert fold_wildcards("Extrém* Québec") == "extrem* Québec"


def test_field_query_with_a_phrase_value():
    check_syntax('city:"Cape Town" maires')
