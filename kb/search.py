"""Search: a query string, filters and a page in; grouped hits with escaped snippets,
facet counts and the interpretation of the query out."""
from __future__ import annotations

import json
import math
import re
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Mapping, Sequence

from whoosh import highlight
from whoosh import query as wq

from .expansion import Expansion, expand
from .facets import count_facets
from .highlight import SNIPPET_CHARS, MarkFormatter, best_commitment, best_passage, plain_snippet
from .index import IndexStore
from .query import (QueryError, check_syntax, normalize_field_values, parse, parse_expanded,
                    quote_hyphenated)
from .schema import BODY_FIELDS, FACET_FIELDS, GROUP_FIELD, OTHER_BODY_FIELD
from .similar import similar
from .spelling import corrections

SORTS = ("relevance", "newest", "oldest")
ISO_PREFIX = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
FEW_RESULTS = 3       # below this many results, typo tolerance steps in
TABLE_FIELDS = (*FACET_FIELDS, GROUP_FIELD)
__all__ = ["QueryError", "SearchRequest", "SearchResult", "Hit", "search", "get_document", "similar"]

Lookup = Callable[[str], Sequence[str]]


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
    expand: bool = True     # cross-language expansion through the bilingual vocabulary


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
    languages: list[str]                  # of every version in the result group
    versions: list[dict[str, str]]        # the other language versions: id, language, title
    passage: dict[str, Any] | None        # where the best match is: number, heading, anchor
    commitment: dict[str, Any] | None     # the commitment the query matches, highlighted


@dataclass
class SearchResult:
    request: SearchRequest
    total: int                 # results, translations grouped as one
    documents: int             # matching documents, each version counted
    hits: list[Hit]
    facets: dict[str, list[dict[str, Any]]]
    interpretation: dict[str, Any]
    suggestions: list[str]
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
            "expand": self.request.expand,
            "page": self.request.page,
            "page_size": self.request.page_size,
            "pages": self.pages,
            "total": self.total,
            "documents": self.documents,
            "took_ms": round(self.took_ms, 2),
            "hits": [asdict(h) for h in self.hits],
            "facets": self.facets,
            "interpretation": self.interpretation,
            "suggestions": self.suggestions,
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


def default_lookups() -> tuple[Lookup, Lookup]:
    """(vocabulary, city) lookups for expansion: the bilingual vocabulary and the gazetteer."""
    from .lookups import city_names, vocabulary_terms
    return vocabulary_terms, city_names


def _plain_words(text: str) -> list[str]:
    """Words of a query that are neither operators, exclusions nor field queries."""
    words = []
    for token in re.findall(r'"[^"]*"|[^\s()"]+', text):
        for word in re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", token.strip('"')):
            if word not in ("AND", "OR", "NOT", "ANDNOT") and not token.startswith("-") and ":" not in token:
                words.append(word)
    return words


def _with_corrections(text: str, fixes: dict[str, list[str]], best_only: bool) -> str:
    def swap(match: re.Match) -> str:
        word = match.group(0)
        options = fixes.get(word)
        if not options:
            return word
        return options[0] if best_only else "(" + " OR ".join([word, *options]) + ")"
    return re.sub(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", swap, text)


class _Run:
    """One execution of a request against one searcher generation."""

    def __init__(self, store: IndexStore, request: SearchRequest, lookups):
        self.store = store
        self.request = request
        self.searcher = store.searcher()
        self.table = store.facet_values(self.searcher, TABLE_FIELDS)
        self.lookups = lookups
        self.expansions: list[Expansion] = []

    def parse(self, text: str):
        if not text:
            return wq.Every()
        vocabulary, cities = self.lookups()
        text = normalize_field_values(quote_hyphenated(text), cities)
        if self.request.expand:
            expanded = expand(text, vocabulary, cities)
            self.expansions = expanded.expansions
            if expanded.alternatives:
                return parse_expanded(expanded.text, expanded.alternatives, self.searcher.schema)
        return parse(text, self.searcher.schema, checked=True)

    def match(self, parsed) -> tuple[set[int], dict]:
        request, searcher = self.request, self.searcher
        base = set(searcher.docs_for_query(parsed))
        if request.date_from or request.date_to:
            date_range = wq.TermRange("date", request.date_from or "0", (request.date_to or "9999") + "\uffff")
            base &= set(searcher.docs_for_query(date_range))
        if not request.include_drafts:
            base -= set(searcher.docs_for_query(wq.Term("status", "draft")))
        return count_facets(searcher, self.table, base, request.filters)

    def groups(self, docnums: set[int]) -> set[str]:
        column = self.table[GROUP_FIELD]
        return {column[d][0] for d in docnums if column[d]}


def search(store: IndexStore, request: SearchRequest, max_page_size: int = 100,
           lookups: Callable[[], tuple[Lookup, Lookup]] = default_lookups) -> SearchResult:
    """Run ``request``; QueryError for a query or parameter the user must fix."""
    started = time.perf_counter()
    _validate(request, max_page_size)
    text = request.query.strip()
    if text:
        check_syntax(text)
    run = _Run(store, request, lookups)
    parsed = run.parse(text)
    matched, facets = run.match(parsed)
    fixes: dict[str, list[str]] = {}
    if text and len(run.groups(matched)) < FEW_RESULTS:
        fixes = corrections(run.searcher.reader(), run.searcher.schema, _plain_words(text))
        if fixes:
            fuzzy_parsed = run.parse(_with_corrections(text, fixes, best_only=False))
            fuzzy_matched, fuzzy_facets = run.match(fuzzy_parsed)
            if len(fuzzy_matched) > len(matched):
                parsed, matched, facets = fuzzy_parsed, fuzzy_matched, fuzzy_facets
            else:
                fixes = {}
    hits, total = _page_of_hits(run, parsed, matched, bool(text))
    suggestions = []
    if fixes:
        suggestions.append(_with_corrections(text, fixes, best_only=True))
    interpretation = _interpretation(run, text, parsed, fixes)
    return SearchResult(request=request, total=total, documents=len(matched), hits=hits,
                        facets=facets, interpretation=interpretation, suggestions=suggestions,
                        took_ms=(time.perf_counter() - started) * 1000)


def _page_of_hits(run: _Run, parsed, matched: set[int], has_text: bool) -> tuple[list[Hit], int]:
    request = run.request
    total = len(run.groups(matched))
    first = (request.page - 1) * request.page_size
    if not matched or first >= total:   # Whoosh reads an empty filter set as "no filter"
        return [], total
    sort_options: dict[str, Any] = {}
    if request.sort != "relevance" or not has_text:
        sort_options = {"sortedby": "date", "reverse": request.sort != "oldest"}
    page = _best_of_each_group(run, parsed, matched, first, request.page_size, has_text,
                               sort_options)
    versions = _versions(run, {h.docnum for h in page})
    scored = not sort_options  # when sorted by date, Whoosh's "score" is the date
    return [_hit(run, h, parsed if has_text else None, scored, versions) for h in page], total


def _best_of_each_group(run: _Run, parsed, matched: set[int], first: int, size: int,
                        has_text: bool, sort_options: dict[str, Any]) -> list:
    """The hits ranked first..first+size, keeping only the best version of each group.

    (Whoosh's own collapsing ignores it when a filter is given, so it is done here.)
    """
    column = run.table[GROUP_FIELD]
    wanted = first + size
    limit = wanted * 2
    while True:
        results = run.searcher.search(parsed, limit=limit, filter=matched, terms=has_text,
                                      **sort_options)
        results.fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=80)
        results.formatter = MarkFormatter()
        seen: set[str] = set()
        best = []
        for hit in results:
            group = column[hit.docnum][0] if column[hit.docnum] else str(hit.docnum)
            if group not in seen:
                seen.add(group)
                best.append(hit)
        if len(best) >= wanted or results.scored_length() >= len(matched):
            return best[first:wanted]
        limit *= 2


def _versions(run: _Run, docnums: set[int]) -> dict[str, list[int]]:
    """Every published version (document number) of the groups of ``docnums``."""
    column = run.table[GROUP_FIELD]
    wanted = {column[d][0] for d in docnums if column[d]}
    out: dict[str, list[int]] = {g: [] for g in wanted}
    for docnum, values in enumerate(column):
        if values and values[0] in out:
            out[values[0]].append(docnum)
    if not run.request.include_drafts:
        drafts = set(run.searcher.docs_for_query(wq.Term("status", "draft")))
        out = {g: [d for d in ds if d not in drafts] for g, ds in out.items()}
    return out


def _query_terms(parsed, field_name: str) -> set[str]:
    terms = set()
    for name, text in parsed.iter_all_terms(phrases=True):
        if name == field_name:
            terms.add(text.decode("utf-8") if isinstance(text, bytes) else text)
    return terms


def _hit(run: _Run, whoosh_hit, parsed, scored: bool, versions: dict[str, list[int]]) -> Hit:
    stored = whoosh_hit.fields()
    meta = json.loads(stored.get("meta") or "{}")
    extraction = meta.get("extraction", {})
    body = stored.get("body", "")
    field_name = BODY_FIELDS.get(stored["language"], OTHER_BODY_FIELD)
    snippet, passage, commitment = "", None, None
    if parsed is not None:
        analyzer = run.searcher.schema[field_name].analyzer
        terms = _query_terms(parsed, field_name)
        best = best_passage(body, terms, analyzer)
        if best is not None:
            passage = best.to_dict()
            snippet = whoosh_hit.highlights(field_name, text=best.text, top=2)
        snippet = snippet or whoosh_hit.highlights(field_name, text=body, top=2)
        commitment = best_commitment(extraction.get("commitments", []), terms, analyzer)
    group = stored.get("translation_key") or stored["id"]
    others = [run.searcher.stored_fields(d) for d in versions.get(group, []) if d != whoosh_hit.docnum]
    return Hit(
        id=stored["id"], title=stored["title"], type=stored["type"],
        language=stored["language"], date=stored.get("date") or None, path=stored["path"],
        score=round(float(whoosh_hit.score), 4) if scored else 0.0,
        snippet=snippet or plain_snippet(body),
        translation_key=stored.get("translation_key") or None,
        source_url=meta.get("source_url"),
        cities=[{"name": c["name"], "country": c["country"], "roles": c.get("roles", [])}
                for c in extraction.get("cities", [])],
        organisations=meta.get("organisations", []),
        themes=extraction.get("themes", []),
        commitments=len(extraction.get("commitments", [])),
        languages=sorted({stored["language"], *(o["language"] for o in others)}),
        versions=[{"id": o["id"], "language": o["language"], "title": o["title"]} for o in others],
        passage=passage, commitment=commitment,
    )


def _interpretation(run: _Run, text: str, parsed, fixes: dict[str, list[str]]) -> dict[str, Any]:
    """How the query was understood: words, stems per field, expansions, corrections, filters."""
    stems: dict[str, list[str]] = {}
    if text:
        for name, term in parsed.iter_all_terms(phrases=True):
            term = term.decode("utf-8") if isinstance(term, bytes) else term
            stems.setdefault(name, [])
            if term not in stems[name]:
                stems[name].append(term)
    request = run.request
    return {
        "query": text,
        "words": _plain_words(text),
        "expanded": request.expand,
        "expansions": [e.to_dict() for e in run.expansions],
        "corrections": fixes,
        "stems": stems,
        "filters": {k: list(v) for k, v in request.filters.items() if v},
        "from": request.date_from or None,
        "to": request.date_to or None,
    }


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
