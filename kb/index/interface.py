"""The index interface: what every search engine behind the knowledge base offers.

Above this interface, code sees ``Record``s and the typed results below, never an
engine's stored fields or query objects. An engine (``kb/index/<engine>/``) implements
``Index``; ``kb.index.open_index`` chooses one from the ``engine`` setting.

Visibility is the engine's job: drafts (``status: draft``) are left out unless a call
asks for them (``include_drafts``); deleted documents are not in the index at all.
Queries arrive as ``kb.query`` trees (``kb.query.parse_query``), never as strings.

Most methods are abstract. Three that query translation needs (``kb.translation``) have
a default written with the abstract ones, so every engine has them: ``word_counts`` (how
many documents of a language use a word), ``key_terms`` and ``similar_with`` (more like
this across languages: a document's key words, and its likeness with their translations
added). An engine overrides them when it can answer better; the Whoosh engine does (its
term statistics, its own key terms, one scored query).
"""
from __future__ import annotations

import math
import re
from abc import ABC, abstractmethod
from collections import Counter
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Hashable, Iterator, Mapping, Sequence

from model.fields import organisations
from model.record import Record

from ..passages import plain_snippet
from ..query import Every, Node, QueryError, Word

MAX_FACET_VALUES = 50
SORTS = ("relevance", "newest", "oldest")
KEY_TERMS = 15          # key words of a document that more like this looks for
_KEY_WORD = re.compile(r"[^\W\d_]{3,}")
_CANDIDATES = 60        # the default key_terms counts the documents of this many words
_POOL = 50              # the default similar_with merges this many of each ranking


class IndexBusyError(RuntimeError):
    """Another process held the index write lock for longer than the timeout."""


class IndexUnavailableError(RuntimeError):
    """The engine's servers cannot be reached, or refused a write for longer than the
    timeout (a cluster without a leader). The message says which and what to do; nothing
    is lost: the corpus keeps every file, and ``kb index`` adds what was not written."""


@dataclass(frozen=True)
class IndexedDocument:
    """What the index remembers of a file, to decide whether it changed."""
    id: str
    path: str
    fingerprint: str


@dataclass(frozen=True)
class IndexQuery:
    """One search as an engine runs it.

    Every matching document is counted (``documents``) and so are the groups of language
    versions (``total``: documents sharing a ``translation_key`` are one result); the
    page holds ``limit`` groups from ``offset``, each shown by its best version; ``limit``
    0 asks for the counts only (``kb.translation`` counts so a language's documents).
    Facet counts: values of one facet combine with OR, facets with AND, and each facet's
    counts reflect every other active filter but not its own.

    ``tiers``: named queries narrower than ``query``, each within the next (the words as
    typed, then with their translations…); ``Hit.match`` names the first a hit matches
    (``rest`` when none), and the hit is a version in that tier (the one with the words
    as typed, though a translation may score higher); ``IndexAnswer.matches`` counts the
    results of each. Results
    in the tier named ``first`` or an earlier one are listed before the others, whatever
    the sort; within those two parts, the sort decides.
    """
    query: Node = Every()
    tiers: tuple[tuple[str, Node], ...] = ()
    rest: str = "rest"
    first: str = ""
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)   # facet → values
    date_from: str = ""        # ISO prefix, inclusive
    date_to: str = ""          # ISO prefix, inclusive: "2018" includes "2018-12-31"
    sort: str = "relevance"    # relevance | newest | oldest (undated last when newest)
    offset: int = 0
    limit: int = 10
    include_drafts: bool = False
    facet_limit: int = MAX_FACET_VALUES    # values listed per facet (the pages ask for all)
    snippets: bool = True      # False: hits without snippet, passage nor commitment marked


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int
    selected: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "count": self.count, "selected": self.selected}


def facet_entries(name: str, counts: Mapping[str, int], selected: Sequence[str],
                  limit: int = MAX_FACET_VALUES) -> list[FacetCount]:
    """One facet's counts in the order pages show them: years newest first, other values
    most documents first (then by value); at most ``limit``, and a selected
    value stays listed (with 0) when nothing matches it now."""
    chosen = set(selected)
    order = (sorted(counts.items(), reverse=True) if name == "year"
             else sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    entries = [FacetCount(value, count, value in chosen) for value, count in order[:limit]]
    return entries + [FacetCount(value, 0, True) for value in sorted(chosen - set(counts))]


@dataclass
class Hit:
    """One result: the best-matching version of a group of language versions."""
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
    match: str | None = None              # the name of the first IndexQuery.tiers it matches

    @classmethod
    def of(cls, record: Record, score: float, others: Sequence[Record] = (), snippet: str = "",
           passage: dict[str, Any] | None = None, commitment: dict[str, Any] | None = None,
           match: str | None = None) -> "Hit":
        """A hit for ``record`` (``others``: its other visible language versions)."""
        extraction = record.extraction
        return cls(
            id=record.id, title=record.title, type=record.type, language=record.language,
            date=record.date or None, path=record.path, score=round(score, 4),
            snippet=snippet or plain_snippet(record.body),
            translation_key=record.translation_key or None, source_url=record.source_url,
            cities=[{"name": c.name, "country": c.country, "roles": list(c.roles)} for c in extraction.cities],
            organisations=organisations(record), themes=list(extraction.themes),
            commitments=len(extraction.commitments),
            languages=sorted({record.language, *(o.language for o in others)}),
            versions=[{"id": o.id, "language": o.language, "title": o.title} for o in others],
            passage=passage, commitment=commitment, match=match)


@dataclass(frozen=True)
class IndexAnswer:
    total: int                              # groups of language versions
    documents: int                          # matching documents, each version counted
    hits: list[Hit]
    facets: dict[str, list[FacetCount]]     # every facet of model.fields.FACETS, in that order
    terms: dict[str, list[str]]             # field → the terms searched there, as analysed
    matches: dict[str, int] = field(default_factory=dict)   # tier name → results; {} without tiers


@dataclass(frozen=True)
class SimilarDocument:
    id: str
    title: str
    language: str
    type: str
    date: str | None
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "language": self.language, "type": self.type,
                "date": self.date, "score": self.score}


class IndexWriter(ABC):
    """Adds, replaces and removes documents inside one transaction."""

    @abstractmethod
    def put(self, record: Record) -> None:
        """Add ``record``, replacing the document with its id if there is one."""

    @abstractmethod
    def remove(self, doc_id: str) -> None:
        """Remove the document ``doc_id`` (nothing happens if there is none)."""


class Index(ABC):
    """A search engine holding the knowledge base's Records. An engine also has
    ``FORMAT`` (the version of what it stores) and ``open(settings)`` (its index for
    those settings), which ``kb.index.open_index`` calls."""

    FORMAT: str = ""

    @classmethod
    @abstractmethod
    def open(cls, settings) -> "Index":
        """The index of ``settings`` (in its data folder, or its servers)."""

    # -- reading documents -------------------------------------------------------------
    @abstractmethod
    def get(self, doc_id: str, include_drafts: bool = False) -> Record | None:
        """The document ``doc_id``, or None (unknown, or a draft when not asked for)."""

    @abstractmethod
    def find(self, *, id: str | None = None, path: str | None = None, text_key: str | None = None,
             translation_key: str | None = None, include_drafts: bool = True) -> list[Record]:
        """The documents with that id, corpus path, text hash (``model.record.text_key``) or
        translation key (one of them), drafts included unless told otherwise. A lookup,
        not a search: it costs the same whatever the size of the index."""

    @abstractmethod
    def iterate(self, include_drafts: bool = False) -> Iterator[Record]:
        """Every document of one committed state of the index."""

    @abstractmethod
    def indexed(self) -> dict[str, IndexedDocument]:
        """What is indexed, by corpus path: what ``kb index`` and ``kb check`` compare
        with the files. Raises whatever the engine raises when the index cannot be read."""

    @abstractmethod
    def count(self) -> int:
        """How many documents (drafts included)."""

    @abstractmethod
    def version(self) -> Hashable:
        """A token equal between two calls when nothing was committed in between:
        what is built from the whole index (``kb.catalog``) is kept while it holds."""

    # -- searching --------------------------------------------------------------------
    @abstractmethod
    def search(self, query: IndexQuery) -> IndexAnswer:
        """Matches, counts, facet counts and one page of hits with snippets and passages."""

    def word_counts(self, language: str, words: Sequence[str]) -> list[int | None]:
        """For each word, how many documents in ``language`` have it in their text (title
        and body, as that language's analyser reads them: ``prévention`` and
        ``préventions`` alike in French); None for a word the index does not search (a
        stop word). Query translation asks it to keep the translations a language's
        documents use, and to tell a word both languages use.

        The default counts with ``search`` (the word alone, a language filter, counts
        only), which also finds it where every search looks: titles and city names, read
        without the language's stemming (so ``prévention`` finds English documents with
        "Prevention" in their title). An engine that can count in the text alone should."""
        counts: list[int | None] = []
        for word in words:
            try:
                counts.append(self.search(IndexQuery(query=Word(word), filters={"language": [language]},
                                                     limit=0)).documents)
            except QueryError:             # nothing left to search: a stop word
                counts.append(None)
        return counts

    @abstractmethod
    def match_spans(self, doc_id: str, query: Node) -> list[tuple[int, int]] | None:
        """Where the terms of ``query`` are in the text of the document ``doc_id``, as
        its search matched them (same analysis: stems, folded accents): character
        (start, end) spans in order; None when the document is unknown. Excluded terms
        are not matches."""

    @abstractmethod
    def corrections(self, words: Sequence[str]) -> dict[str, list[str]]:
        """For each word of 5 letters or more that the index does not know, the closest
        words it knows (most frequent first, at most 3): typo tolerance and "did you mean".
        Only documents that are not drafts count: a word only drafts hold is neither known
        nor offered, as the suggestions reach the public site."""

    @abstractmethod
    def similar(self, doc_id: str, limit: int = 5) -> list[SimilarDocument] | None:
        """More like this: documents sharing key terms with ``doc_id`` in its language,
        or its themes, cities and organisations in any; never its own language versions
        nor drafts. None when ``doc_id`` is unknown."""

    def key_terms(self, doc_id: str, count: int = KEY_TERMS) -> list[tuple[str, float]] | None:
        """The words that set ``doc_id`` apart from the other documents of its language,
        as its text writes them (``radicalisation``, not a stem), with their weights, most
        telling first: the key terms ``similar`` looks for. None when ``doc_id`` is unknown.

        The default weighs each of the document's most frequent words by how few
        documents of its language have it (tf·idf, counted with ``word_counts``)."""
        record = self.get(doc_id, include_drafts=True)
        if record is None:
            return None
        found: dict[str, str] = {}
        frequency: Counter[str] = Counter()
        for word in _KEY_WORD.findall(f"{record.title}\n{record.body}"):
            found.setdefault(word.lower(), word)
            frequency[word.lower()] += 1
        documents = self.search(IndexQuery(filters={"language": [record.language]}, limit=0)).documents
        candidates = frequency.most_common(_CANDIDATES)
        counts = self.word_counts(record.language, [found[word] for word, _ in candidates])
        weighted = [(found[word], times * math.log(1 + documents / having))
                    for (word, times), having in zip(candidates, counts) if having]   # None: a stop word
        weighted.sort(key=lambda item: (-item[1], item[0]))
        return [(word, round(weight, 4)) for word, weight in weighted[:count]]

    def similar_with(self, doc_id: str, extra: Node, language: str,
                     limit: int = 5) -> list[SimilarDocument] | None:
        """``similar``, with ``extra`` adding to the likeness: a query tree searched in
        the text of the documents in ``language`` only, each leaf's boost as its weight
        (``kb`` builds it: the document's key terms translated, for more like this across
        languages). Same exclusions as ``similar``; None when ``doc_id`` is unknown.

        The default adds the scores of two rankings, ``similar``'s and a ``search`` of
        ``extra`` (a document in both gets the sum); an engine that can score both in
        one query should (the best of ``extra`` alone may rank lower in that one)."""
        alike = self.similar(doc_id, limit=_POOL)
        record = self.get(doc_id, include_drafts=True)
        if alike is None or record is None:
            return None
        group = record.translation_key or record.id
        scores = {d.id: d.score for d in alike}
        found = {d.id: d for d in alike}
        try:
            answer = self.search(IndexQuery(query=extra, filters={"language": [language]}, limit=_POOL,
                                            snippets=False))
        except QueryError:                 # nothing to search: only stop words
            answer = None
        for hit in answer.hits if answer is not None else ():
            if (hit.translation_key or hit.id) == group:
                continue
            scores[hit.id] = scores.get(hit.id, 0.0) + hit.score
            found.setdefault(hit.id, SimilarDocument(hit.id, hit.title, hit.language, hit.type,
                                                     hit.date, 0.0))
        best = sorted(scores, key=lambda doc: (-scores[doc], doc))[:limit]
        return [SimilarDocument(found[doc].id, found[doc].title, found[doc].language, found[doc].type,
                                found[doc].date, round(scores[doc], 4)) for doc in best]

    # -- writing ------------------------------------------------------------------------
    @abstractmethod
    def write(self, clear: bool = False, bulk: bool = False) -> AbstractContextManager[IndexWriter]:
        """A transaction: committed when the block ends, cancelled if it raises; searches
        see all of it or none of it. ``clear``: the block's documents replace the whole
        index. ``bulk``: many documents follow (the engine may use more processes).
        IndexBusyError when another writer holds the index for too long."""

    @abstractmethod
    def set_aside(self) -> str:
        """Move an index that cannot be read out of the way (kept for a person to look at)
        and start an empty one; returns where it went."""

    @abstractmethod
    def close(self) -> None:
        """Release what the engine holds open; the index can still be used afterwards."""
