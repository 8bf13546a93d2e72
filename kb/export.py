"""Exports: every match of a search or of a commitments query, streamed as CSV or JSON.

A search export runs the search page after page (the same ``kb.search.search`` as the
web pages, so the same hits in the same order) and yields hits as it goes; nothing
holds the whole result in memory. The first page runs before anything is yielded, so a
bad query is an error the caller can report, not a broken download.

CSV is for spreadsheet programs: UTF-8 with a byte-order mark (without one, Excel reads
the file in the computer's legacy code page and "Déclaration" becomes "DÃ©claration"),
comma-separated, quoted as RFC 4180 says, lines ending in CRLF. Spreadsheets run cells
that begin with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before one) as
formulas: cells beginning so are prefixed with a quote (``'=1+1``). Every row has the
``url`` of what it describes, so a reader of the spreadsheet can open it.
"""
from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import replace
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from .search import SearchRequest, SearchResult, search

PAGE_SIZE = 250         # hits per search run: 3,000 hits export in ~3 s (100: ~6 s)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"          # UTF-8's byte-order mark: spreadsheet programs then read UTF-8

SEARCH_COLUMNS = ("id", "title", "url", "type", "language", "languages", "date", "score", "match", "cities",
                  "countries", "organisations", "themes", "commitments", "translation_key",
                  "source_url", "path")
COMMITMENT_COLUMNS = ("document_id", "document_title", "url", "date", "year", "language", "type",
                      "number", "kind", "actor", "text", "deadline", "cities", "organisations", "countries",
                      "themes")


def safe_cell(value: Any) -> str:
    """A CSV cell: lists joined with "; ", None empty, formula starts neutralized.

    >>> [safe_cell(v) for v in ("=HYPERLINK(1)", "-2", ["a", "b"], None, 3, "ok")]
    ["'=HYPERLINK(1)", "'-2", 'a; b', '', '3', 'ok']
    """
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_lines(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """The byte-order mark and the header line, then one line per row (only ``columns``),
    each cell made safe.

    >>> list(csv_lines(("a", "b"), [{"a": "=1+1", "b": "Liège"}]))
    ['\\ufeffa,b\\r\\n', "'=1+1,Liège\\r\\n"]
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        return buffer.getvalue()

    yield BOM + line(columns)
    for row in rows:
        yield line([safe_cell(row.get(name)) for name in columns])


def json_lines(head: Mapping[str, Any], key: str, items: Iterable[Any]) -> Iterator[str]:
    """One JSON object, in pieces: the fields of ``head``, then ``key``: [every item].

    >>> "".join(json_lines({"total": 2}, "hits", [1, 2]))
    '{"total": 2, "hits": [\\n1,\\n2\\n]}\\n'
    """
    opening = json.dumps(dict(head), ensure_ascii=False)[:-1]
    yield opening + (", " if head else "") + json.dumps(key) + ": ["
    separator = "\n"
    for item in items:
        yield separator + json.dumps(item, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"


def search_row(hit: Mapping[str, Any]) -> dict[str, Any]:
    """A search hit flattened for CSV."""
    return {**hit,
            "cities": [c["name"] for c in hit.get("cities", [])],
            "countries": sorted({c["country"] for c in hit.get("cities", []) if c.get("country")})}


def search_all(index, request: SearchRequest, max_page_size: int | None = None,
               run: Callable[..., SearchResult] = search) -> tuple[SearchResult, Iterator[dict]]:
    """(first page's result, every hit of every page), ``PAGE_SIZE`` hits (at most
    ``max_page_size``) per search run. The first page runs now, so a QueryError is
    raised here; later pages run as the iterator is consumed."""
    size = max(1, min(PAGE_SIZE, max_page_size or PAGE_SIZE))
    first = run(index, replace(request, page=1, page_size=size), max_page_size=size)

    def hits() -> Iterator[dict]:
        result, seen = first, set()
        while True:
            for hit in result.to_dict()["hits"]:
                if hit["id"] not in seen:    # a page boundary may move if the index changes
                    seen.add(hit["id"])
                    yield hit
            if result.request.page >= result.pages or not result.hits:
                return
            result = run(index, replace(result.request, page=result.request.page + 1), max_page_size=size)
    return first, hits()


def filename(kind: str, query: str, extension: str) -> str:
    """A download name: ``filename("search", "Haine & hate", "csv")`` → ``search-haine-hate.csv``.

    >>> filename("commitments", "", "json")
    'commitments.json'
    """
    ascii_text = unicodedata.normalize("NFKD", query).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].rstrip("-")
    return f"{kind}-{slug}.{extension}" if slug else f"{kind}.{extension}"
