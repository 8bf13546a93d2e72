"""Exports: safe CSV cells, streamed CSV and JSON, every page of a search, file names."""
from __future__ import annotations

import csv
import io
import json

import pytest

from kb.export import (SEARCH_COLUMNS, csv_lines, filename, json_lines, safe_cell, search_all,
                       search_row)
from kb.query import QueryError
from model.record import City, Extraction, Record
from kb.search import SearchRequest, search

pytestmark = pytest.mark.every_engine


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+33 1 23", "'+33 1 23"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=cmd", "'\t=cmd"), ("\r=cmd", "'\r=cmd"),
    ("a=b", "a=b"), ("Déclaration", "Déclaration"), ("", ""), (None, ""), (0.5, "0.5"),
    (["Brussels", "Paris"], "Brussels; Paris"), (("=x",), "'=x"),
])
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_csv_lines_are_one_valid_csv_document():
    rows = [{"a": 'quote " and, comma', "b": "line\nbreak"}, {"a": "=evil", "c": "not a column"}]
    lines = list(csv_lines(("a", "b"), rows))
    assert len(lines) == 3
    assert lines[0].startswith("\ufeff") and lines[0].endswith("\r\n")
    parsed = list(csv.reader(io.StringIO("".join(lines)[1:])))
    assert parsed == [["a", "b"], ['quote " and, comma', "line\nbreak"], ["'=evil", ""]]


@pytest.mark.parametrize("head", [{"total": 0, "query": "é"}, {}])
def test_json_lines_are_one_json_document(head):
    for items in ([], [{"id": 1}, {"id": "ü"}]):
        document = json.loads("".join(json_lines(head, "hits", iter(items))))
        assert document == {**head, "hits": items}


@pytest.mark.parametrize("kind, query, extension, expected", [
    ("search", "Haine & hate", "csv", "search-haine-hate.csv"),
    ("search", "l'extrémisme violent", "json", "search-l-extremisme-violent.json"),
    ("search", '"../../etc/passwd"', "csv", "search-etc-passwd.csv"),
    ("search", "", "csv", "search.csv"),
    ("commitments", "العربية", "csv", "commitments.csv"),
    ("search", "x" * 200, "csv", "search-" + "x" * 60 + ".csv"),
])
def test_filename(kind, query, extension, expected):
    assert filename(kind, query, extension) == expected


@pytest.fixture
def many(store):
    paris = City("Paris", "FR", 2988507, 48.85, 2.35)
    with store.write() as writer:
        for n in range(23):
            writer.put(Record(id=f"doc-{n:02d}", title=f"Doc {n}", type="report", language="fr",
                              body=f"La haine, numéro {n}.", path=f"{n}.md", fingerprint=str(n),
                              date=f"{2000 + n}", translation_key="pair" if n in (3, 4) else None,
                              extraction=Extraction(cities=(paris,))))
    return store


@pytest.mark.every_engine
def test_search_all_gives_every_hit_of_every_page(many, monkeypatch):
    monkeypatch.setattr("kb.export.PAGE_SIZE", 5)
    calls = []

    def counting(*args, **kwargs):
        calls.append(args[1].page)
        return search(*args, **kwargs)
    first, hits = search_all(many, SearchRequest(query="haine", sort="newest", page=3, page_size=2),
                             run=counting)
    assert calls == [1]                      # the first page runs at once, the rest on demand
    ids = [hit["id"] for hit in hits]
    assert first.total == 22 == len(ids) == len(set(ids))      # the two versions of "pair" are one
    assert calls == [1, 2, 3, 4, 5]
    assert ids[:2] == ["doc-22", "doc-21"]


@pytest.mark.every_engine
def test_search_all_respects_a_smaller_max_page_size(many):
    first, hits = search_all(many, SearchRequest(), max_page_size=7)
    assert first.request.page_size == 7 and len(list(hits)) == 22


def test_search_all_raises_query_errors_before_anything_is_streamed(many):
    with pytest.raises(QueryError, match="Unclosed quote"):
        search_all(many, SearchRequest(query='"unclosed'))


@pytest.mark.every_engine
def test_search_row_flattens_cities_for_csv(many):
    first, hits = search_all(many, SearchRequest(query="haine"))
    row = search_row(next(hits))
    assert row["cities"] == ["Paris"] and row["countries"] == ["FR"]
    line = list(csv_lines(SEARCH_COLUMNS, [row]))[1]
    assert ",Paris,FR," in line


def test_docstring_examples():
    import doctest

    import kb.export
    result = doctest.testmod(kb.export)
    assert result.attempted and not result.failed
