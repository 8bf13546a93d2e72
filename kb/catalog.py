"""The knowledge base seen by entity: cities, organisations, themes and commitments.

Computed from the extraction of every published document (the ``kb extract`` contract in
DESIGN.md) and built once per state of the index: ``catalog_for(index)`` returns the
same ``Catalog`` until the index changes. Everything else here is a pure function of
Records, so a ``Catalog`` can also be built from a list.

>>> catalog = Catalog([])
>>> catalog.cities(), catalog.organisations(), catalog.commitments()["total"]
([], [], 0)
"""
from __future__ import annotations

import math
import re
import threading
import weakref
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Mapping, Sequence

from model.fields import organisations, value_problem
from model.messages import Message
from model.record import City, Commitment, Organisation, Record
from model.vocabulary import fold, load_vocabulary

from .expansion import Expansion
from .index import Index
from .query import QueryError, check_phrases, normalize_quotes

# Filters of the commitments explorer. ``city``, ``country`` and ``organisation`` are
# those that committed (the entities the actor resolves to), not every one a document
# names; ``deadline`` is the year of a commitment's own deadline; ``actor`` searches the
# actor as the text names them.
COMMITMENT_FILTERS = ("kind", "city", "organisation", "country", "actor", "deadline", "theme", "year",
                      "language", "document")
COMMITMENT_FACETS = ("kind", "city", "organisation", "country", "deadline", "theme", "year", "language")
MAX_FACET_VALUES = 50


def match_spans(text: str, patterns: Sequence[re.Pattern]) -> list[tuple[int, int]]:
    """Where ``patterns`` (of ``query_terms``) match ``text``, as spans of ``text``
    itself (folding changes lengths: accents go, "œ" becomes "oe"), in order, merged.

    >>> match_spans("Les Élèves et l'œuvre", [p for t in query_terms("eleves oeuvre") for p in t.patterns])
    [(4, 10), (16, 21)]
    """
    folded, origin = [], []
    for position, char in enumerate(text):
        for piece in fold(char):
            folded.append(piece)
            origin.append(position)
    folded_text = "".join(folded)
    spans = sorted((origin[m.start()], origin[m.end() - 1] + 1)
                   for pattern in patterns for m in pattern.finditer(folded_text) if m.end() > m.start())
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _query_words(query: str) -> list[str]:
    """The words and "quoted phrases" of ``query``, folded (« », “ ” as ").

    >>> _query_words('Élèves « vivre ensemble »')
    ['eleves', 'vivre ensemble']
    """
    words = []
    for phrase, word in re.findall(r'"([^"]*)"|([^\s"]+)', normalize_quotes(query)):
        text = " ".join(fold(phrase or word).split())
        text = text if phrase else text.strip(".,;:!?()[]'")
        if text:
            words.append(text)
    return words


def _word_start(text: str) -> re.Pattern:
    """``text`` at the start of a word, a space or a hyphen between its words matching
    either (as search's analysers read them: "front line" finds "front-line")."""
    return re.compile(r"(?<!\w)" + r"[\s-]+".join(re.escape(part) for part in re.split(r"[\s-]+", text)))


@dataclass(frozen=True)
class Term:
    """One word or phrase of a commitments query: found as typed or as one of the
    equivalents search gives it (``kb.expansion``: the vocabulary, a city's other names,
    the dictionary's translations), or not needed at all in a commitment of a language
    that cannot contain it (a word translation leaves optional there)."""
    patterns: tuple[re.Pattern, ...]
    optional_in: frozenset[str] = frozenset()

    def found_in(self, commitment: "_Commitment") -> bool:
        return (commitment.document.language in self.optional_in
                or any(p.search(commitment.folded) for p in self.patterns))


def query_terms(query: str, expansions: Sequence[Expansion] = ()) -> list[Term]:
    """The terms a commitment must all contain: each word or "phrase" of ``query``, with
    the alternatives of the expansions made of it (a run of words, as expansion reads
    "social cohesion" whole).

    >>> from kb.expansion import Expansion
    >>> terms = query_terms("haine jeunes", [Expansion("haine", "vocabulary", ("hate", "hatred"))])
    >>> [[p.pattern for p in t.patterns] for t in terms]
    [['(?<!\\\\w)haine', '(?<!\\\\w)hate', '(?<!\\\\w)hatred'], ['(?<!\\\\w)jeunes']]
    """
    check_phrases(query)
    words = _query_words(query)
    alternatives: list[list[str]] = [[w] for w in words]
    optional: list[set[str]] = [set() for _ in words]
    covered = [1] * len(words)                     # words each term spans from its first
    for expansion in expansions:
        typed = fold(expansion.text).split()
        for start in range(len(words) - len(typed) + 1):
            if words[start:start + len(typed)] != typed and words[start] != " ".join(typed):
                continue
            span = 1 if words[start] == " ".join(typed) else len(typed)
            covered[start] = max(covered[start], span)
            if expansion.kind == "optional":
                optional[start].update(expansion.alternatives)
            else:
                alternatives[start] += [_alternative_text(a) for a in expansion.alternatives]
            break
    terms, position = [], 0
    while position < len(words):
        span = covered[position]
        texts = [" ".join(words[position:position + span]), *alternatives[position][1:]]
        terms.append(Term(tuple(_word_start(t) for t in dict.fromkeys(texts) if t),
                          frozenset(optional[position])))
        position += span
    return terms


def _alternative_text(alternative: str) -> str:
    """An expansion's alternative as plain folded words: ``"vivre-ensemble"^0.5`` →
    ``vivre-ensemble``."""
    return " ".join(fold(re.sub(r"\^[\d.]+$", "", alternative).replace('"', " ")).split())


@dataclass(frozen=True)
class Document:
    """What the catalog shows of a document beside an entity."""
    id: str
    title: str
    type: str
    language: str
    date: str | None
    translation_key: str | None

    @classmethod
    def of(cls, record: Record) -> "Document":
        return cls(record.id, record.title, record.type, record.language, record.date or None,
                   record.translation_key or None)

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "type": self.type, "language": self.language,
                "date": self.date, "year": self.year}


def newest_first(documents: Iterable[Document]) -> list[Document]:
    """Newest first, undated last, ties by id: one stable order for every listing."""
    return sorted(sorted(documents, key=lambda d: d.id), key=lambda d: d.date or "", reverse=True)


@dataclass
class _City:
    name: str
    country: str
    geonameid: int | None
    lat: float | None
    lon: float | None
    surfaces: set[str] = field(default_factory=set)
    mentions: int = 0
    roles: Counter = field(default_factory=Counter)            # role → documents
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)   # id → roles, mentions

    def summary(self) -> dict[str, Any]:
        return {"name": self.name, "country": self.country, "geonameid": self.geonameid,
                "lat": self.lat, "lon": self.lon, "document_count": len(self.documents),
                "mentions": self.mentions,
                "roles": dict(sorted(self.roles.items(), key=lambda kv: (-kv[1], kv[0]))),
                "surfaces": sorted(self.surfaces), "document_ids": sorted(self.documents)}


@dataclass
class _Organisation:
    name: str
    surfaces: set[str] = field(default_factory=set)
    documents: set[str] = field(default_factory=set)

    def summary(self) -> dict[str, Any]:
        return {"name": self.name, "document_count": len(self.documents),
                "surfaces": sorted(self.surfaces), "document_ids": sorted(self.documents)}


@dataclass(frozen=True)
class _Commitment:
    document: Document
    number: int              # 1-based position among the document's commitments
    item: Commitment
    folded: str              # text and actor, folded, for word search

    @property
    def cities(self) -> tuple[str, ...]:
        return tuple(e.name for e in self.item.actor_entities if e.type == "city")

    @property
    def countries(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.country for e in self.item.actor_entities if e.type == "city" and e.country))

    @property
    def organisations(self) -> tuple[str, ...]:
        return tuple(e.name for e in self.item.actor_entities if e.type == "organisation")

    def to_dict(self) -> dict[str, Any]:
        item = self.item
        return {"document_id": self.document.id, "document_title": self.document.title,
                "date": self.document.date, "year": self.document.year,
                "language": self.document.language, "type": self.document.type,
                "number": self.number, "text": item.text, "kind": item.kind, "actor": item.actor,
                "actor_entities": [e.to_dict() for e in item.actor_entities], "deadline": item.deadline,
                "themes": list(item.themes), "cities": list(self.cities), "organisations": list(self.organisations),
                "countries": list(self.countries)}

    def facet_values(self, name: str) -> Iterable[str]:
        if name == "kind":
            return (self.item.kind,)
        if name == "theme":
            return self.item.themes
        if name == "city":
            return self.cities
        if name == "organisation":
            return self.organisations
        if name == "country":
            return self.countries
        if name == "deadline":
            return (self.item.deadline[:4],) if self.item.deadline else ()
        if name == "year":
            return (str(self.document.year),) if self.document.year else ()
        if name == "language":
            return (self.document.language,)
        if name == "actor":
            return (self.item.actor,) if self.item.actor else ()
        return ()


def theme_labels() -> dict[str, dict[str, str]]:
    """Theme id → {language: label} from ``model/vocabulary.yaml``; empty when there is no
    vocabulary yet (themes are then shown by id)."""
    try:
        vocabulary = load_vocabulary()
    except FileNotFoundError:
        return {}
    return {theme_id: dict(theme.labels) for theme_id, theme in vocabulary.themes.items()}


class Catalog:
    """Cities, organisations, themes and commitments of the published documents given."""

    def __init__(self, records: Iterable[Record]):
        self.documents: dict[str, Document] = {}
        self._cities: dict[tuple[str, str], _City] = {}
        self._organisations: dict[str, _Organisation] = {}
        self._theme_documents: dict[str, set[str]] = {}
        self._theme_commitments: Counter = Counter()
        commitments: list[_Commitment] = []
        for record in records:
            if record.status == "draft":
                continue
            document = Document.of(record)
            self.documents[document.id] = document
            extraction = record.extraction
            self._add_cities(document, extraction.cities)
            self._add_organisations(document, organisations(record), extraction.organisations)
            for theme in extraction.themes:
                self._theme_documents.setdefault(theme, set()).add(document.id)
            for number, item in enumerate(extraction.commitments, start=1):
                self._theme_commitments.update(set(item.themes))
                for theme in item.themes:
                    self._theme_documents.setdefault(theme, set())
                commitments.append(_Commitment(document, number, item, fold(f"{item.text}\n{item.actor}")))
        order = {doc.id: rank for rank, doc in enumerate(newest_first(self.documents.values()))}
        self._commitments = sorted(commitments, key=lambda c: (order[c.document.id], c.number))

    # -- building --------------------------------------------------------------
    def _add_cities(self, document: Document, found: Sequence[City]) -> list[_City]:
        cities = []
        for item in found:
            key = (item.name, item.country or "")
            city = self._cities.get(key)
            if city is None:
                city = self._cities[key] = _City(item.name, item.country or "", item.geonameid,
                                                 item.lat, item.lon)
            roles = sorted(set(item.roles or ()))
            mentions = int(item.count or 1)
            seen = city.documents.get(document.id)
            if seen is None:
                city.documents[document.id] = {"roles": roles, "mentions": mentions}
                city.roles.update(roles)
            else:     # the same city twice in one extraction: merge, count the document once
                new = [r for r in roles if r not in seen["roles"]]
                seen["roles"] = sorted({*seen["roles"], *new})
                seen["mentions"] += mentions
                city.roles.update(new)
            city.mentions += mentions
            city.surfaces.update(item.surface or ())
            cities.append(city)
        return cities

    def _add_organisations(self, document: Document, names: list[str],
                           found: Sequence[Organisation]) -> None:
        surfaces = {item.name: item.surface or () for item in found}
        for name in dict.fromkeys([*names, *surfaces]):
            organisation = self._organisations.setdefault(name, _Organisation(name))
            organisation.documents.add(document.id)
            organisation.surfaces.update(s for s in surfaces.get(name, ()) if s != name)

    # -- cities ------------------------------------------------------------------
    def cities(self, country: str = "") -> list[dict[str, Any]]:
        """Every city named in a published document, most documents first."""
        chosen = [c for c in self._cities.values()
                  if not country or c.country.upper() == country.strip().upper()]
        chosen.sort(key=lambda c: (-len(c.documents), c.name, c.country))
        return [c.summary() for c in chosen]

    def city(self, name: str, country: str = "") -> dict[str, Any] | None:
        """One city with its documents, found by its name, a form the documents use
        (``Bruxelles``) or its GeoNames id, accents and case ignored; None if unknown.
        When two countries have a city of that name, ``country`` chooses, else the one
        in most documents."""
        wanted = fold(name.strip())
        candidates = [c for c in self._cities.values()
                      if (not country or c.country.upper() == country.strip().upper())
                      and (fold(c.name) == wanted or wanted in {fold(s) for s in c.surfaces}
                           or (wanted.isdigit() and c.geonameid == int(wanted)))]
        if not candidates:
            return None
        best = min(candidates, key=lambda c: (-len(c.documents), c.country))
        documents = newest_first(self.documents[i] for i in best.documents)
        return {**best.summary(),
                "documents": [{**d.to_dict(), **best.documents[d.id]} for d in documents],
                "other_countries": sorted(c.country for c in candidates if c is not best)}

    # -- organisations and themes -----------------------------------------------
    def organisations(self) -> list[dict[str, Any]]:
        """Every organisation of a published document (front matter and extraction)."""
        chosen = sorted(self._organisations.values(), key=lambda o: (-len(o.documents), fold(o.name)))
        return [o.summary() for o in chosen]

    def themes(self, labels: Mapping[str, Mapping[str, str]] | None = None) -> list[dict[str, Any]]:
        """Every theme of the vocabulary (``labels``, by default ``theme_labels()``) and
        every theme found in a document, with their document and commitment counts."""
        labels = theme_labels() if labels is None else labels
        ids = {*labels, *self._theme_documents}
        entries = [{"id": theme_id, "labels": dict(labels.get(theme_id, {})),
                    "document_count": len(self._theme_documents.get(theme_id, ())),
                    "commitment_count": self._theme_commitments.get(theme_id, 0),
                    "document_ids": sorted(self._theme_documents.get(theme_id, ()))}
                   for theme_id in ids]
        return sorted(entries, key=lambda t: (-t["document_count"], -t["commitment_count"], t["id"]))

    # -- commitments ---------------------------------------------------------------
    def iter_commitments(self, query: str = "", filters: Mapping[str, Sequence[str]] | None = None,
                         expansions: Sequence[Expansion] = ()) -> Iterator[dict[str, Any]]:
        """Every commitment matching ``query`` and ``filters``, newest documents first."""
        return (c.to_dict() for c in self._matching(query_terms(query, expansions), filters or {}))

    def commitments(self, query: str = "", filters: Mapping[str, Sequence[str]] | None = None,
                    page: int = 1, page_size: int = 20, max_page_size: int = 100,
                    expansions: Sequence[Expansion] = (),
                    facet_limit: int = MAX_FACET_VALUES) -> dict[str, Any]:
        """One page of the commitments matching ``query`` (every word or "phrase", or one
        of its ``expansions``, at the start of a word of the text or the actor, accents
        and case ignored: ``query_terms``) and ``filters`` (values of one filter combine
        with OR, filters with AND); with counts of themes, years, languages, countries,
        cities and actors over every match (``facet_limit`` values of each)."""
        filters = _clean_filters(filters or {})
        if page < 1:
            raise QueryError(Message("The page number starts at 1."))
        if not 1 <= page_size <= max_page_size:
            raise QueryError(Message("The page size must be between 1 and %(limit)s.", limit=max_page_size))
        matched = self._matching(query_terms(query, expansions), filters)
        first = (page - 1) * page_size
        return {"query": query, "filters": filters, "page": page, "page_size": page_size,
                "pages": max(1, math.ceil(len(matched) / page_size)), "total": len(matched),
                "commitments": [c.to_dict() for c in matched[first:first + page_size]],
                "facets": _facets(matched, filters, facet_limit)}

    def _matching(self, terms: Sequence[Term], filters: Mapping[str, Sequence[str]]) -> list[_Commitment]:
        filters = _clean_filters(filters)
        tests = [_filter_test(name, values) for name, values in filters.items()]
        return [c for c in self._commitments
                if all(term.found_in(c) for term in terms) and all(test(c) for test in tests)]


def _clean_filters(filters: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    unknown = sorted(set(filters) - set(COMMITMENT_FILTERS))
    if unknown:
        raise QueryError(Message("Unknown filter '%(name)s'; filters: %(filters)s.", name=unknown[0],
                                 filters=", ".join(COMMITMENT_FILTERS)))
    out = {}
    for name, values in filters.items():
        values = [values] if isinstance(values, str) else list(values)
        for value in values:
            problem = value_problem(name, value, like="year" if name in ("year", "deadline") else "")
            if problem:
                raise QueryError(problem)
        values = [v.strip() for v in values if v.strip()]
        if values:
            out[name] = values
    return out


def _filter_test(name: str, values: list[str]):
    folded = [fold(v) for v in values]
    if name == "actor":
        return lambda c: any(v in fold(c.item.actor) for v in folded)
    if name in ("city", "organisation"):
        return lambda c: any(fold(entity) in folded for entity in c.facet_values(name))
    if name == "country":
        return lambda c: any(country.upper() in {v.upper() for v in values} for country in c.countries)
    if name == "document":
        return lambda c: c.document.id in values
    if name == "language":
        return lambda c: c.document.language in folded
    return lambda c: any(value in values for value in c.facet_values(name))


def _facets(matched: list[_Commitment], filters: Mapping[str, Sequence[str]],
            limit: int = MAX_FACET_VALUES) -> dict[str, list[dict]]:
    facets = {}
    for name in COMMITMENT_FACETS:
        counts = Counter(v for c in matched for v in dict.fromkeys(c.facet_values(name)))
        order = (sorted(counts.items(), reverse=True) if name == "year"
                 else sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        chosen = set(filters.get(name, ()))
        facets[name] = [{"value": value, "count": count, "selected": value in chosen}
                        for value, count in order[:limit]]
    return facets


# -- one catalog per index generation ----------------------------------------------
_cache: "weakref.WeakKeyDictionary[Any, tuple[Any, Catalog]]" = weakref.WeakKeyDictionary()
_cache_lock = threading.Lock()
_build_lock = threading.Lock()


def catalog_for(index: Index) -> Catalog:
    """The catalog of the latest state of ``index``, built on first use and reused until
    the index changes. Requests arriving while it is built wait for that one build rather
    than each starting their own (under load, a dozen parallel builds made every one of
    them take half a minute)."""
    with _build_lock:
        version = index.version()
        with _cache_lock:
            cached = _cache.get(index)
        if cached is not None and cached[0] == version:
            return cached[1]
        catalog = Catalog(index.iterate())
        with _cache_lock:
            _cache[index] = (version, catalog)
        return catalog
