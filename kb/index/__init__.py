"""The index: the search engine behind the knowledge base, behind one interface.

``interface`` defines what every engine offers (``Index``: get, find, iterate, search,
similar, write…) in Records and typed results; ``open_index(settings)`` opens the
engine the ``engine`` setting names. Each engine lives in its own package
(``kb/index/whoosh/``, ``kb/index/typesense/``) and is the only code that knows its library.
"""
from __future__ import annotations

import importlib

from ..config import ENGINES, ConfigError, Settings
from .interface import (FacetCount, Hit, Index, IndexAnswer, IndexBusyError, IndexedDocument,
                        IndexQuery, IndexUnavailableError, IndexWriter, SimilarDocument)

# engine setting → "module:class" of its Index, imported only when chosen.
IMPLEMENTATIONS = {"whoosh": "kb.index.whoosh:WhooshIndex",
                   "typesense": "kb.index.typesense:TypesenseIndex"}
assert set(IMPLEMENTATIONS) == set(ENGINES)


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


__all__ = ["FacetCount", "Hit", "Index", "IndexAnswer", "IndexBusyError", "IndexQuery",
           "IndexUnavailableError", "IndexWriter", "IndexedDocument", "SimilarDocument", "engine_version", "open_index"]
