"""Search: a query string, filters and a page in; hits with escaped snippets, counts out."""
from __future__ import annotations

import html
import json
import math
import re
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Mapping, Sequence

from whoosh import highlight
from whoosh import query as wq

from .facets import count_facets
from .index import IndexStore
from .query import QueryError, parse
from .schema import BODY_FIELDS, FACET_FIELDS, OTHER_BODY_FIELD

SORTS = ("relevance", "newest", "oldest")
ISO_PREFIX = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
SNIPPET_CHARS = 240
__all__ = ["QueryError", "SearchRequest", "SearchResult", "Hit", "search"]


class MarkFormatter(highlight.Formatter):
    """Snippet HTML: every piece of document text escaped, matches wrapped in <mark>."""
    between = " … "

    def _text(self, text: str) -> str:
        return html.escape(text, quote=False)

    def format_token(self, text, token, replace=False):
        return "<mark>" + self._text(highlight.get_text(text, token, replace)) + "</mark>"


@dataclass(frozen=True)
class SearchRequest:
    query: str = ""
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    page: int = 1
    page_size: int = 10
    sort: str = "relevance"
    include_drafts: bool = False
    date_from: str = ""     # ISO prefix (YYYY, YYYY-MM or YYYY-MM-DD), inclusive
    date_to: str = ""       # ISO prefix, inclusive: "2018" includes "2018-12-31"


@dataclass
class Hit:
    id: str
    title: str
    type: str
    language: str
    date: str | None
    path: str
    score: float
    snippet: str           # HTML: escaped text with <mark> around matches
    translation_key: str | None
    source_url: str | None
    cities: list[dict[str, Any]]
    organisations: list[str]
    themes: list[str]
    commitments: int


@dataclass
class SearchResult:
    request: SearchRequest
    total: int
    hits: list[Hit]
    facets: dict[str, list[dict[str, Any]]]
    took_ms: float

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.request.page_size))

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.request.query,
            "filters": {k: list(v) for k, v in self.request.filters.items()},
            "from": self.request.date_from or None,
            "to": self.request.date_to or None,
            "sort": self.request.sort,
            "page": self.request.page,
            "page_size": self.request.page_size,
            "pages": self.pages,
            "total": self.total,
            "took_ms": round(self.took_ms, 2),
            "hits": [asdict(h) for h in self.hits],
            "facets": self.facets,
        }


def _validate(request: SearchRequest, max_page_size: int) -> None:
    unknown = sorted(set(request.filters) - set(FACET_FIELDS))
    if unknown:
        raise QueryError(f"Unknown filter '{unknown[0]}'; filters: {', '.join(FACET_FIELDS)}.")
    if request.sort not in SORTS:
        raise QueryError(f"Unknown sort '{request.sort}'; use one of: {', '.join(SORTS)}.")
    for name, value in (("from", request.date_from), ("to", request.date_to)):
        if value and not ISO_PREFIX.match(value):
            raise QueryError(f"'{name}' must be a date such as 2016, 2016-04 or 2016-04-08, not {value!r}.")
    if request.page < 1:
        raise QueryError("The page number starts at 1.")
    if not 1 <= request.page_size <= max_page_size:
        raise QueryError(f"The page size must be between 1 and {max_page_size}.")


def _plain_snippet(text: str) -> str:
    cut = text[:SNIPPET_CHARS]
    if len(text) > SNIPPET_CHARS:
        cut = cut.rsplit(" ", 1)[0] + " …"
    return html.escape(cut, quote=False)


def _hit(whoosh_hit, highlight_ready: bool, scored: bool) -> Hit:
    stored = whoosh_hit.fields()
    meta = json.loads(stored.get("meta") or "{}")
    extraction = meta.get("extraction", {})
    body = stored.get("body", "")
    snippet = ""
    if highlight_ready:
        field_name = BODY_FIELDS.get(stored["language"], OTHER_BODY_FIELD)
        snippet = whoosh_hit.highlights(field_name, text=body, top=2)
    return Hit(
        id=stored["id"], title=stored["title"], type=stored["type"],
        language=stored["language"], date=stored.get("date") or None, path=stored["path"],
        score=round(float(whoosh_hit.score), 4) if scored else 0.0,
        snippet=snippet or _plain_snippet(body),
        translation_key=stored.get("translation_key") or None,
        source_url=meta.get("source_url"),
        cities=[{"name": c["name"], "country": c["country"], "roles": c.get("roles", [])}
                for c in extraction.get("cities", [])],
        organisations=meta.get("organisations", []),
        themes=extraction.get("themes", []),
        commitments=len(extraction.get("commitments", [])),
    )


def get_document(store: IndexStore, doc_id: str, include_drafts: bool = False) -> dict[str, Any] | None:
    """A document's metadata, text and extractions, or None when unknown (or a hidden draft)."""
    stored = store.stored_document(doc_id)
    if stored is None or (stored.get("status") == "draft" and not include_drafts):
        return None
    meta = json.loads(stored.get("meta") or "{}")
    return {
        "id": stored["id"], "title": stored["title"], "type": stored["type"],
        "language": stored["language"], "date": stored.get("date") or None,
        "path": stored["path"], "status": stored.get("status", "published"),
        "translation_key": stored.get("translation_key") or None,
        "source_url": meta.get("source_url"), "original": meta.get("original"),
        "organisations": meta.get("organisations", []),
        "text": stored.get("body", ""),
        "extraction": meta.get("extraction", {}),
    }


def search(store: IndexStore, request: SearchRequest, max_page_size: int = 100) -> SearchResult:
    """Run ``request``; QueryError for a query or parameter the user must fix."""
    started = time.perf_counter()
    _validate(request, max_page_size)
    searcher = store.searcher()
    text = request.query.strip()
    parsed = parse(text, searcher.schema) if text else wq.Every()
    base = set(searcher.docs_for_query(parsed))
    if request.date_from or request.date_to:
        date_range = wq.TermRange("date", request.date_from or "0", (request.date_to or "9999") + "\uffff")
        base &= set(searcher.docs_for_query(date_range))
    if not request.include_drafts:
        base -= set(searcher.docs_for_query(wq.Term("status", "draft")))
    table = store.facet_values(searcher, FACET_FIELDS)
    matched, facets = count_facets(searcher, table, base, request.filters)
    if not matched:  # Whoosh reads an empty filter set as "no filter"
        return SearchResult(request=request, total=0, hits=[], facets=facets,
                            took_ms=(time.perf_counter() - started) * 1000)
    sort_options: dict[str, Any] = {}
    if request.sort != "relevance" or not text:
        sort_options = {"sortedby": "date", "reverse": request.sort != "oldest"}
    page = searcher.search_page(parsed, request.page, pagelen=request.page_size,
                                filter=matched, terms=bool(text), **sort_options)
    results = page.results
    results.fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=80)
    results.formatter = MarkFormatter()
    # Whoosh answers a page past the end with the last page; the user asked for nothing there.
    beyond_last = page.pagenum != request.page
    scored = not sort_options  # when sorted by date, Whoosh's "score" is the date
    hits = [] if beyond_last else [_hit(h, bool(text), scored) for h in page]
    return SearchResult(request=request, total=page.total, hits=hits, facets=facets,
                        took_ms=(time.perf_counter() - started) * 1000)
