"""Search: a query string, filters and a page in; grouped hits with escaped snippets,
facet counts and the interpretation of the query out."""
from __future__ import annotations

import math
import re
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Mapping, Sequence

from model.fields import FACETS, organisations, value_problem
from model.messages import Message
from model.record import Record, is_calendar_date

from .expansion import Expansion, expand
from .index import FacetCount, Hit, Index, IndexQuery
from .index.interface import MAX_FACET_VALUES
from .query import (AndNot, Every, Node, Not, ParameterError, QueryError, Relaxed, check_syntax, leaves,
                    normalize_field_values, normalize_quotes, parse_query, quote_hyphenated)

SORTS = ("relevance", "newest", "oldest")
# What a result matches when the query was expanded or relaxed (Hit.match): every word as
# typed; every word, some only through their translation or city name (kb.expansion);
# only some of the words (relaxed: listed after the others, whatever the sort).
MATCHES = ALL, TRANSLATED, SOME = ("all", "translated", "some")
MAX_PAGE = 1_000_000     # pages of results a request may ask for
FEW_RESULTS = 5       # below this many results, typo tolerance and relaxed matching step in
EXPANSION_WEIGHT = 0.4   # an expansion's words count this much of the words as typed
__all__ = ["ParameterError", "QueryError", "SearchRequest", "SearchResult", "Hit", "search", "get_document", "similar"]

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
    facet_limit: int = MAX_FACET_VALUES     # values per facet: the pages ask for every one


@dataclass
class SearchResult:
    request: SearchRequest
    total: int                 # results, translations grouped as one
    documents: int             # matching documents, each version counted
    hits: list[Hit]
    facets: dict[str, list[FacetCount]]
    interpretation: dict[str, Any]
    suggestions: list[str]
    took_ms: float
    matches: dict[str, int] = field(default_factory=dict)   # MATCHES name → results; {}: all as typed

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.request.page_size))

    @property
    def sorted_by(self) -> str:
        """The order of the hits: relevance without a query lists the newest first."""
        return "newest" if self.request.sort == "relevance" and not self.request.query.strip() else self.request.sort

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.request.query,
            "filters": {k: list(v) for k, v in self.request.filters.items()},
            "from": self.request.date_from or None,
            "to": self.request.date_to or None,
            "sort": self.request.sort,
            "sorted_by": self.sorted_by,
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
            "facets": {name: [entry.to_dict() for entry in entries] for name, entries in self.facets.items()},
            "interpretation": self.interpretation,
            "suggestions": self.suggestions,
            "matches": self.matches,
        }


def _validate(request: SearchRequest, max_page_size: int) -> None:
    unknown = sorted(set(request.filters) - set(FACETS))
    if unknown:
        raise ParameterError(Message("Unknown filter '%(name)s'; filters: %(filters)s.", name=unknown[0],
                                     filters=", ".join(FACETS)), unknown[0])
    if request.sort not in SORTS:
        raise ParameterError(Message("Unknown sort '%(sort)s'; use one of: %(sorts)s.", sort=request.sort,
                                     sorts=", ".join(SORTS)), "sort")
    for name, values in request.filters.items():
        for value in values:
            problem = value_problem(name, value)
            if problem:
                raise ParameterError(problem, name)
    for name, value in (("from", request.date_from), ("to", request.date_to)):
        if value and not is_calendar_date(value):
            raise ParameterError(Message("'%(name)s' must be a date such as 2016, 2016-04 or 2016-04-08, not %(value)s.",
                                         name=name, value=repr(value[:60])), name)
    if request.date_from and request.date_to and request.date_from[:len(request.date_to)] > request.date_to:
        raise ParameterError(Message("'from' (%(start)s) is after 'to' (%(end)s): swap them.",
                                     start=request.date_from, end=request.date_to), "from")
    if not 1 <= request.page <= MAX_PAGE:
        raise ParameterError(Message("The page number must be between 1 and %(limit)s.", limit=MAX_PAGE), "page")
    if not 1 <= request.page_size <= max_page_size:
        raise ParameterError(Message("The page size must be between 1 and %(limit)s.", limit=max_page_size), "size")


def default_lookups() -> tuple[Lookup, Lookup]:
    """(vocabulary, city) lookups for expansion: the bilingual vocabulary and the gazetteer."""
    from .lookups import city_names, vocabulary_terms
    return vocabulary_terms, city_names


def default_translator():
    """The translator of the data folder the command or the web app named
    (``kb.translation.use_data_folder``)."""
    from .translation import default_translator as translator
    return translator()


def _plain_words(text: str) -> list[str]:
    """Words of a query that are neither operators, exclusions nor field queries."""
    words = []
    for token in re.findall(r'[-+]?"[^"]*"|[^\s()"]+', text):
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


def only_excluded(text: str) -> list[str]:
    """The words a query excludes when it does nothing else (``-haine``, ``NOT hate``):
    it lists every document without them. Empty for any other query.

    >>> only_excluded('-haine -"vivre ensemble"'), only_excluded("ville -haine"), only_excluded("")
    (['haine', 'vivre ensemble'], [], [])
    """
    if not text:
        return []
    tree = parse_query(text)
    if isinstance(tree, AndNot) and isinstance(tree.kept, Every):
        return [leaf.text for leaf in leaves(tree.removed)]
    if isinstance(tree, Not):
        return [leaf.text for leaf in leaves(tree.part)]
    return []


def understood(text: str, expanding: bool, vocabulary: Lookup | None, cities: Lookup | None,
               translate: Any = None, skip: frozenset[str] = frozenset()) -> tuple[Node, Node, list[Expansion]]:
    """A checked query's (tree searched, tree of the words as typed, expansions);
    ``translate``: the translation of its words (``_translation``), or None."""
    if not text:
        return Every(), Every(), []
    text = normalize_field_values(quote_hyphenated(text), cities)
    typed = parse_query(text)
    if not expanding:
        return typed, typed, []
    expanded = expand(text, vocabulary, cities, translate, skip)
    return parse_query(expanded.text, expanded.alternatives, EXPANSION_WEIGHT), typed, expanded.expansions


def highlights(index: Index, doc_id: str, query: str, expanding: bool = True, translating: bool = True,
               lookups: Callable[[], tuple[Lookup, Lookup]] = default_lookups,
               translator: Callable[[], Any] | None = default_translator) -> list[tuple[int, int]]:
    """Where the words of ``query`` (and, expanding, their equivalents: with
    ``translating``, the dictionary's too) are in the text of the document ``doc_id``:
    character spans, in order; none for a query that cannot be read or excludes only."""
    text = normalize_quotes(query.strip())
    if not text or only_excluded(text):
        return []
    try:
        check_syntax(text)
        translate, _ = _translation(translator() if translator and expanding else None,
                                    index, translating, text)
        tree, _, _ = understood(text, expanding, *lookups(), translate)
        return index.match_spans(doc_id, tree) or []
    except QueryError:
        return []


def search(index: Index, request: SearchRequest, max_page_size: int = 100,
           lookups: Callable[[], tuple[Lookup, Lookup]] = default_lookups,
           translator: Callable[[], Any] | None = default_translator) -> SearchResult:
    """Run ``request``; QueryError for a query or parameter the user must fix.
    ``translator`` gives the ``kb.translation.Translator`` to use (None: no translation)."""
    started = time.perf_counter()
    _validate(request, max_page_size)
    text = normalize_quotes(request.query.strip())
    if text:
        check_syntax(text)
    vocabulary, cities = lookups() if text else (None, None)
    translate, translation = _translation(translator() if translator and text and request.expand else None,
                                          index, request.translate, text)
    skip = frozenset(s.lower() for s in request.skip)

    read: dict[str, tuple[Node, Node, list[Expansion]]] = {}

    def understand(query_text: str) -> tuple[Node, Node, list[Expansion]]:
        """The query read once (the relaxed run reads the same text as the first)."""
        if query_text not in read:
            read[query_text] = understood(query_text, request.expand, vocabulary, cities, translate, skip)
        return read[query_text]

    def run(query_text: str, relax: bool = False):
        """The index's answer to ``query_text`` (most words only when ``relax``), each hit
        with its MATCHES when it was expanded or relaxed; and its expansions."""
        tree, typed, expansions = understand(query_text)
        tiers: tuple[tuple[str, Node], ...] = ((ALL, typed),) if expansions else ()
        rest, first = TRANSLATED, ""
        if relax:      # every word (or its translation) first, then some of the words
            first = TRANSLATED if expansions else ALL
            tiers, rest, tree = tiers + ((first, tree),), SOME, Relaxed(tree)
        return index.search(IndexQuery(
            query=tree, tiers=tiers, rest=rest, first=first, filters=request.filters,
            date_from=request.date_from, date_to=request.date_to, sort=request.sort,
            offset=(request.page - 1) * request.page_size, limit=request.page_size,
            include_drafts=request.include_drafts, facet_limit=request.facet_limit)), expansions

    answer, expansions = run(text)
    fixes: dict[str, list[str]] = {}
    if text and answer.total < FEW_RESULTS:
        fixes = index.corrections(_plain_words(text))
        if fixes:
            fuzzy, found = run(_with_corrections(text, fixes, best_only=False))
            if fuzzy.documents > answer.documents:
                answer, expansions = fuzzy, found
            else:
                fixes = {}
    relaxed = False
    if (text and request.relax and answer.total < FEW_RESULTS and _is_plain_query(text)
            and len(_plain_words(text)) > 1):
        loose, found = run(_with_corrections(text, fixes, best_only=False), relax=True)
        if loose.documents > answer.documents:
            answer, expansions, relaxed = loose, found, True
    interpretation = {
        "query": text,
        "words": _plain_words(text),
        "expanded": request.expand,
        "expansions": [e.to_dict() for e in expansions],
        "translation": translation,
        "skipped": sorted(request.skip),
        "corrections": fixes,
        "relaxed": relaxed,
        "only_excluded": only_excluded(text),
        "stems": answer.terms if text else {},
        "filters": {k: list(v) for k, v in request.filters.items() if v},
        "from": request.date_from or None,
        "to": request.date_to or None,
    }
    suggestions = [_with_corrections(text, fixes, best_only=True)] if fixes else []
    return SearchResult(request=request, total=answer.total, documents=answer.documents,
                        hits=answer.hits, facets=answer.facets, interpretation=interpretation,
                        suggestions=suggestions, took_ms=(time.perf_counter() - started) * 1000,
                        matches=answer.matches)


def query_expansions(index: Index, text: str, translate: bool = True,
                     lookups: Callable[[], tuple[Lookup, Lookup]] = default_lookups,
                     translator: Callable[[], Any] | None = default_translator) -> list[Expansion]:
    """What search adds to the words and phrases of ``text`` (the vocabulary's terms,
    a city's other names, and with ``translate`` the dictionary's translations): the
    commitments explorer finds with them what search would, in either language."""
    text = text.strip()
    if not text:
        return []
    vocabulary, cities = lookups()
    translate_words, _ = _translation(translator() if translator else None, index, translate, text)
    return expand(text, vocabulary, cities, translate_words).expansions


def _translation(translator, index: Index, use_dictionary: bool, text: str) -> tuple[Any, dict[str, Any]]:
    """(the translation of this query's words or None, what the interpretation says of
    it). The index tells the translator which words the documents of each language use
    (``kb.translation.corpus``)."""
    said: dict[str, Any] = {"dictionary": bool(translator and translator.has_dictionary),
                            "used": bool(translator and translator.has_dictionary and use_dictionary),
                            "language": None}
    if translator is None:
        return None, said
    from .translation.corpus import CorpusEvidence
    evidence = CorpusEvidence(index)
    translate = translator.for_query(text, use_dictionary, evidence.share, evidence.groups)
    said["language"] = translate.language
    return translate, said


def document_dict(record: Record) -> dict[str, Any]:
    """A document's metadata, text and extractions, as pages and the API show them."""
    return {
        "id": record.id, "title": record.title, "type": record.type,
        "language": record.language, "date": record.date or None,
        "path": record.path, "status": record.status,
        "translation_key": record.translation_key or None,
        "source_url": record.source_url, "original": record.original,
        "organisations": organisations(record),
        "publishers": list(record.organisations),      # the front matter's: the citation's authors
        "text": record.body,
        "extraction": record.extraction.to_dict(),
    }


def get_document(index: Index, doc_id: str, include_drafts: bool = False) -> dict[str, Any] | None:
    """A document's metadata, text and extractions, or None when unknown (or a hidden draft)."""
    record = index.get(doc_id, include_drafts=include_drafts)
    return document_dict(record) if record is not None else None


def similar(index: Index, doc_id: str, limit: int = 5,
            translator: Callable[[], Any] | None = default_translator) -> list[dict[str, Any]] | None:
    """More like this (``Index.similar``), as dicts, the document's key words also
    searched in the other language through ``translator`` (``Index.similar_with``); None
    when ``doc_id`` is unknown."""
    translated = _translated_key_terms(index, doc_id, translator()) if translator else None
    found = (index.similar(doc_id, limit) if translated is None
             else index.similar_with(doc_id, translated[1], translated[0], limit))
    return None if found is None else [document.to_dict() for document in found]


def _translated_key_terms(index: Index, doc_id: str, translator) -> tuple[str, Node] | None:
    """(the other language, the query of the document's key terms in it: each
    translation's words with its weight as their boost), or None (an unknown document,
    one in neither language, or nothing translated)."""
    from .query import Or, Word
    from .translation.words import index_words

    record = index.get(doc_id, include_drafts=True)
    words = index.key_terms(doc_id) if record is not None else None
    terms = translator.key_terms(record.language, words) if words else []
    if not terms:
        return None
    return terms[0][0], Or(tuple(Word(word, boost=weight) for _, text, weight in terms
                                 for word in index_words(text)))
