"""Extraction: cities, dates, commitments, organisations and themes of a document.

``extract_sources`` is what indexing calls: it batches documents per language, reuses
cached results (by content hash and extractor version) and returns one Extraction per
source, in order.

One module per job: ``pipeline`` (spaCy, one per language), ``gazetteer`` and ``cities``,
``dates``, ``commitments``, ``organisations``; themes come from ``model.vocabulary``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from model.record import Extraction

from .cache import ExtractionCache

# Bump when any extractor changes its output: cached results are then recomputed.
EXTRACTOR_VERSION = "7"
# A theme counts for a document named this many times (or once in its title or a commitment).
THEME_MIN_COUNT = 2


@dataclass(frozen=True)
class ExtractInput:
    text: str
    language: str
    title: str = ""
    base_date: str | None = None   # the document's date: resolves yearless and relative dates


def extract_batch(items: Sequence[ExtractInput], processes: int | None = None) -> list[Extraction]:
    """Extract every item (no cache). One Extraction per item, in order.

    Items go through spaCy in batches, one language at a time; a language without a
    model is extracted with the gazetteer and rules alone. A large batch is shared by
    two processes (``processes``: how many; see ``parallel``), a small one stays here.
    """
    from . import parallel

    processes = parallel.usable_processes(items, processes)
    if processes > 1:
        return parallel.map_in_processes(_extract_here, items, processes,
                                         lambda: _load({item.language for item in items}))
    return _extract_here(items)


@dataclass(frozen=True)
class Prepared:
    """One language's texts read up to the parse: their place names, the stretches read
    for entities and those entities, their organisations, and a commitment reader each
    (whose ``sentences()`` are what is left to parse)."""
    places: list
    stretches: list[list[tuple[int, int]]]
    entities: list
    organisations: list
    readers: list


def prepare(texts: Sequence[str], language: str) -> Prepared:
    from .commitments import CommitmentReader
    from .gazetteer import load_gazetteer
    from .organisations import extract_organisations, names_of
    from .pipeline import entities
    from .windows import windows

    places = [load_gazetteer().find(text) for text in texts]
    stretches = [windows(text, hits) for text, hits in zip(texts, places)]
    found = entities(texts, language, stretches)
    organisations = [extract_organisations(text, ents, language) for text, ents in zip(texts, found)]
    readers = [CommitmentReader(text, language, names_of(orgs)) for text, orgs in zip(texts, organisations)]
    return Prepared(places, stretches, found, organisations, readers)


def _extract_here(items: Sequence[ExtractInput]) -> list[Extraction]:
    """``extract_batch`` in this process: per language, every text prepared (``prepare``),
    then the candidate sentences of every text parsed in one batch."""
    from .pipeline import parse

    results: list[Extraction | None] = [None] * len(items)
    by_language: dict[str, list[int]] = {}
    for number, item in enumerate(items):
        by_language.setdefault(item.language, []).append(number)
    for language in sorted(by_language):
        numbers = by_language[language]
        batch = prepare([items[n].text for n in numbers], language)
        parsed = parse([s for reader in batch.readers for s in reader.sentences()], language) or []
        start = 0
        for number, hits, ents, orgs, reader in zip(numbers, batch.places, batch.entities, batch.organisations,
                                                     batch.readers):
            count = len(reader.wanted) if parsed else 0
            results[number] = _extract_one(items[number], hits, ents, orgs, reader, parsed[start:start + count])
            start += count
    return results  # type: ignore[return-value]


def _load(languages: set[str]) -> None:
    """Load what extraction loads lazily: the models of ``languages`` and the data."""
    from model.vocabulary import load_vocabulary

    from .gazetteer import load_gazetteer
    from .organisations import known_organisations
    from .pipeline import load, load_syntax

    for language in languages:
        load(language)
        load_syntax(language)
    load_gazetteer()
    load_vocabulary()
    known_organisations()


def _extract_one(item: ExtractInput, places, ents, organisations, reader, parsed) -> Extraction:
    from model.vocabulary import load_vocabulary

    from .cities import extract_cities
    from .commitments import resolve
    from .dates import extract_dates

    cities = extract_cities(item.text, ents, language=item.language, hits=places)
    dates = extract_dates(item.text, item.language, item.base_date)
    commitments = resolve(reader.read(parsed, organisations[0].name if organisations else ""),
                          cities, organisations, dates)
    counts = load_vocabulary().themes_in(item.text)
    strong = set(load_vocabulary().themes_in(item.title)) | {t for c in commitments for t in c.themes}
    themes = sorted((t for t, n in counts.items() if n >= THEME_MIN_COUNT or t in strong),
                    key=lambda t: (-counts[t], t))
    return Extraction(
        language=item.language,
        title=item.title,
        cities=cities,
        dates=dates,
        commitments=commitments,
        organisations=organisations,
        themes=tuple(themes),
    )


def extract_text(text: str, language: str, *, title: str = "",
                 base_date: str | None = None) -> Extraction:
    return extract_batch([ExtractInput(text, language, title, base_date)])[0]


def extract_sources(sources, cache_dir: Path | None = None) -> list[Extraction]:
    """Extractions for indexer Sources, computed once per content and cached on disk."""
    items = [ExtractInput(s.text, s.language, s.title, s.meta.get("date")) for s in sources]
    cache = ExtractionCache(cache_dir, EXTRACTOR_VERSION) if cache_dir else None
    results: list[Extraction | None] = [cache.get(item) if cache else None for item in items]
    missing = [i for i, result in enumerate(results) if result is None]
    for i, extraction in zip(missing, extract_batch([items[i] for i in missing])):
        results[i] = extraction
        if cache:
            cache.put(items[i], extraction)
    return results  # type: ignore[return-value]
