"""The index: the search engine behind the knowledge base, behind one interface.

``interface`` defines what every engine offers (``Index``: get, find, iterate, search,
similar, write…) in Records and typed results; ``open_index(settings)`` opens the
engine the ``engine`` setting names. Each engine lives in its own package
(``kb/index/whoosh/``, ``kb/index/typesense/``) and is the only code that knows its library.
"""
from __future__ import annotations

import importlib

from ..config import ENGINES, ConfigError, Settings
from ..storage import atomic_write
from .interface import (FacetCount, Hit, Index, IndexAnswer, IndexBusyError, IndexedDocument,
                        IndexQuery, IndexUnavailableError, IndexWriter, SimilarDocument)

# engine setting → "module:class" of its Index, imported only when chosen.
IMPLEMENTATIONS = {"tantivy": "kb.index.tantivy:TantivyIndex", "whoosh": "kb.index.whoosh:WhooshIndex",
                   "typesense": "kb.index.typesense:TypesenseIndex"}
assert set(IMPLEMENTATIONS) == set(ENGINES)
# The file an engine with an index folder keeps in it: whose index a folder holds, for a
# data folder that has no ENGINE_STAMP yet.
MARKERS = {"tantivy": "TANTIVY_FORMAT", "whoosh": "SCHEMA_VERSION"}
EMBEDDED_ENGINES = tuple(MARKERS)   # an index folder in the data folder (the others are servers)
ENGINE_STAMP = "index.engine"     # in the data folder: the engine its index was built with


def built_with(settings: Settings) -> str | None:
    """The engine the data folder's index was built with (None: no index yet)."""
    stamp = settings.data_dir / ENGINE_STAMP
    if stamp.is_file():
        return stamp.read_text().strip() or None
    for engine, marker in MARKERS.items():
        if (settings.index_dir / marker).is_file():
            return engine
    return None


def mark_built_with(settings: Settings) -> None:
    """Remember that the data folder's index is ``settings.engine``'s."""
    atomic_write(settings.data_dir / ENGINE_STAMP, settings.engine + "\n")


def open_index(settings: Settings) -> Index:
    """The index of ``settings`` (its data folder), in the engine ``settings.engine``."""
    return _engine(settings.engine).open(settings)


def engine_version(engine: str) -> str:
    """The version of what ``engine`` stores (``FORMAT``): an index of another version is
    rebuilt. Benchmarks key their cached indexes on it."""
    return _engine(engine).FORMAT


def _engine(engine: str) -> type[Index]:
    where = IMPLEMENTATIONS.get(engine)
    if where is None:
        raise ConfigError(f"unknown engine {engine!r}; engines: {', '.join(IMPLEMENTATIONS)}")
    module, name = where.split(":")
    return getattr(importlib.import_module(module), name)


__all__ = ["EMBEDDED_ENGINES", "FacetCount", "Hit", "Index", "IndexAnswer", "IndexBusyError", "IndexQuery",
           "IndexUnavailableError", "IndexWriter", "IndexedDocument", "SimilarDocument", "built_with",
           "engine_version", "mark_built_with", "open_index"]
