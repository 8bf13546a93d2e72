"""Search: a query string, filters and a page in; grouped hits with escaped snippets,
facet counts and the interpretation of the query out."""
from __future__ import annotations

import json
import math
import re
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Mapping, Sequence

from .expansion import Expansion, expand
from .index import IndexStore
from .index.searching import Execution
from .index.similar import similar as similar_in_index
from .messages import Message
from .query import QueryError, check_syntax, normalize_field_values, quote_hyphenated
from .schema import FACET_FIELDS

SORTS = ("relevance", "newest", "oldest")
ISO_PREFIX = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
FEW_RESULTS = 5       # below this many results, typo tolerance and relaxed matching step in
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
    relax: bool = True      # plain queries with few results: also documents with most words
    translate: bool = True  # with expand: other words through the dictionary too
    skip: tuple[str, ...] = ()   # alternatives turned off, as "word:alternative"


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
            "relax": self.request.relax,
            "translate": self.request.translate,
            "skip": list(self.request.skip),
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
        raise QueryError(Message("Unknown filter '%(name)s'; filters: %(filters)s.", name=unknown[0],
                                 filters=", ".join(FACET_FIELDS)))
    if request.sort not in SORTS:
        raise QueryError(Message("Unknown sort '%(sort)s'; use one of: %(sorts)s.", sort=request.sort,
                                 sorts=", ".join(SORTS)))
    for name, value in (("from", request.date_from), ("to", request.date_to)):
        if value and not ISO_PREFIX.match(value):
            raise QueryError(Message("'%(name)s' must be a date such as 2016, 2016-04 or 2016-04-08, not %(value)s.",
                                     name=name, value=repr(value)))
    if request.page < 1:
        raise QueryError(Message("The page number starts at 1."))
    if not 1 <= request.page_size <= max_page_size:
        raise QueryError(Message("The page size must be between 1 and %(limit)s.", limit=max_page_size))


def default_lookups() -> tuple[Lookup, Lookup]:
    """(vocabulary, city) lookups for expansion: the bilingual vocabulary and the gazetteer."""
    from .lookups import city_names, vocabulary_terms
    return vocabulary_terms, city_names


def default_translator(store: IndexStore):
    """The translator of the data folder of ``store`` (``kb.translation``)."""
    from .translation import translator_for
    return translator_for(store)


def _plain_words(text: str) -> list[str]:
    """Words of a query that are neither operators, exclusions nor field queries."""
    words = []
    for token in re.findall(r'"[^"]*"|[^\s()"]+', text):
        for word in re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", token.strip('"')):
            if word not in ("AND", "OR", "NOT", "ANDNOT") and not token.startswith("-") and ":" not in token:
                words.append(word)
    return words


def _is_plain_query(text: str) -> bool:
    """Words only: no phrase, operator, group, exclusion, prefix or field query."""
    return (not re.search(r'["():*?^]', text)
            and not any(t in ("AND", "OR", "NOT", "ANDNOT") or t[0] in "-+" for t in text.split()))


def _with_corrections(text: str, fixes: dict[str, list[str]], best_only: bool) -> str:
    def swap(match: re.Match) -> str:
        word = match.group(0)
        options = fixes.get(word)
        if not options:
            return word
        return options[0] if best_only else "(" + " OR ".join([word, *options]) + ")"
    return re.sub(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", swap, text)


def search(store: IndexStore, request: SearchRequest, max_page_size: int = 100,
           lookups: Callable[[], tuple[Lookup, Lookup]] = default_lookups,
           translator: Callable[[IndexStore], Any] | None = default_translator) -> SearchResult:
    """Run ``request``; QueryError for a query or parameter the user must fix.
    ``translator``: the ``kb.translation.Translator`` for ``store`` (None: none)."""
    started = time.perf_counter()
    _validate(request, max_page_size)
    text = request.query.strip()
    if text:
        check_syntax(text)
    vocabulary, cities = lookups() if text else (None, None)
    translation = _translation(translator(store) if translator and text and request.expand else None,
                               request, text)
    with store.reading() as searcher:
        execution = Execution(store, searcher, filters=request.filters, date_from=request.date_from,
                              date_to=request.date_to, include_drafts=request.include_drafts)
        return _run(execution, request, text, vocabulary, cities, started, translation)


def _translation(translator, request: SearchRequest, text: str) -> tuple[Any, dict[str, Any]]:
    """(the translator for this query or None, what the interpretation says of it)."""
    said: dict[str, Any] = {"dictionary": bool(translator and translator.has_dictionary),
                            "used": bool(translator and translator.has_dictionary and request.translate),
                            "language": None}
    return translator, said


def _run(execution: Execution, request: SearchRequest, text: str, vocabulary: Lookup | None,
         cities: Lookup | None, started: float,
         translation: tuple[Any, dict[str, Any]] = (None, {})) -> SearchResult:
    translator, translation_said = translation
    translate = None
    if translator is not None:
        translate = translator.for_query(text, request.translate, execution.document_share,
                                         execution.groups_with)
        translation_said["language"] = translate.language
    skip = frozenset(s.lower() for s in request.skip)
    expansions: list[Expansion] = []

    def understand(query_text: str, relaxed: bool = False):
        if not query_text:
            return execution.parse("")
        query_text = normalize_field_values(quote_hyphenated(query_text), cities)
        if not request.expand:
            return execution.parse(query_text, relaxed=relaxed)
        expanded = expand(query_text, vocabulary, cities, translate, skip)
        expansions[:] = expanded.expansions
        return execution.parse(expanded.text, expanded.alternatives, relaxed=relaxed)

    parsed = understand(text)
    matched, facets = execution.match(parsed)
    fixes: dict[str, list[str]] = {}
    if text and execution.group_count(matched) < FEW_RESULTS:
        fixes = execution.corrections(_plain_words(text))
        if fixes:
            fuzzy_parsed = understand(_with_corrections(text, fixes, best_only=False))
            fuzzy_matched, fuzzy_facets = execution.match(fuzzy_parsed)
            if len(fuzzy_matched) > len(matched):
                parsed, matched, facets = fuzzy_parsed, fuzzy_matched, fuzzy_facets
            else:
                fixes = {}
    relaxed = False
    if (text and request.relax and execution.group_count(matched) < FEW_RESULTS
            and _is_plain_query(text)
            and len(_plain_words(text)) > 1):
        relaxed_parsed = understand(_with_corrections(text, fixes, best_only=False), relaxed=True)
        relaxed_matched, relaxed_facets = execution.match(relaxed_parsed)
        if len(relaxed_matched) > len(matched):
            parsed, matched, facets, relaxed = relaxed_parsed, relaxed_matched, relaxed_facets, True
    total = execution.group_count(matched)
    first = (request.page - 1) * request.page_size
    hits = [] if first >= total else [
        Hit(**hit) for hit in execution.page(parsed, matched, first=first, size=request.page_size,
                                             has_text=bool(text), sort=request.sort)]
    interpretation = {
        "query": text,
        "words": _plain_words(text),
        "expanded": request.expand,
        "expansions": [e.to_dict() for e in expansions],
        "translation": translation_said,
        "skipped": sorted(request.skip),
        "corrections": fixes,
        "relaxed": relaxed,
        "stems": execution.stems(parsed) if text else {},
        "filters": {k: list(v) for k, v in request.filters.items() if v},
        "from": request.date_from or None,
        "to": request.date_to or None,
    }
    suggestions = [_with_corrections(text, fixes, best_only=True)] if fixes else []
    return SearchResult(request=request, total=total, documents=len(matched), hits=hits,
                        facets=facets, interpretation=interpretation, suggestions=suggestions,
                        took_ms=(time.perf_counter() - started) * 1000)


def similar(store: IndexStore, doc_id: str, limit: int = 5,
            translator: Callable[[IndexStore], Any] | None = default_translator) -> list[dict] | None:
    """More like this (``kb.index.similar``), the document's key words also searched in
    the other language through ``translator``; None for an unknown document."""
    found = translator(store) if translator else None
    return similar_in_index(store, doc_id, limit, translate=found.key_terms if found else None)


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
