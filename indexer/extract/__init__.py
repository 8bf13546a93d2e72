"""Extraction: cities, dates, commitments, organisations and themes of a document.

``extract_sources`` is what indexing calls: it batches documents per language, reuses
cached results (by content hash and extractor version) and returns one Extraction per
source, in order.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from kb.record import Extraction

from .cache import ExtractionCache

# Bump when any extractor changes its output: cached results are then recomputed.
EXTRACTOR_VERSION = "0"


@dataclass(frozen=True)
class ExtractInput:
    text: str
    language: str
    title: str = ""
    base_date: str | None = None   # the document's date: resolves yearless and relative dates


def extract_batch(items: Sequence[ExtractInput]) -> list[Extraction]:
    """Extract every item (no cache). One Extraction per item, in order."""
    return [Extraction(language=item.language, title=item.title) for item in items]


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
