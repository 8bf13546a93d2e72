"""Query syntax checks: every malformed query gets a message saying how to fix it."""
from __future__ import annotations

import pytest

from kb.query import (AndNot, Or, Phrase, QueryError, Word, check_syntax, fold_wildcards, normalize_quotes,
                      parse_query)


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


@pytest.mark.parametrize("typed, read", [
    ("« villes fortes »", '"villes fortes"'), ("«\u202fvilles fortes\u202f»", '"villes fortes"'),
    ("“strong cities” OR haine", '"strong cities" OR haine'), ("„Städte“", '"Städte"'),
    ("l’extrémisme ‘x’", "l’extrémisme ‘x’"),
])
def test_guillemets_and_curly_quotes_are_phrases(typed, read):
    assert normalize_quotes(typed) == read


def test_an_excluded_phrase_and_several_exclusions():
    check_syntax('radicalisation -"vivre ensemble"')
    tree = parse_query('maires -paris -"vivre ensemble"')
    assert tree == AndNot(Word("maires"), Or((Word("paris"), Phrase("vivre ensemble"))))   # either one
