"""The Whoosh engine behind ``kb.index.Index``."""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Hashable, Iterator, Sequence

from model.record import Record

from ...config import Settings
from ...query import Node
from ..interface import (KEY_TERMS, Index, IndexAnswer, IndexedDocument, IndexQuery, IndexWriter,
                         SimilarDocument)
from ..folders import move_aside
from . import searching, similar
from .schema import SCHEMA_VERSION, record_of
from .store import IndexStore


class WhooshIndex(Index):
    """The index in a folder (``<data>/index``), read through a pool of searchers and
    written by one writer at a time (see ``store.py``)."""

    FORMAT = SCHEMA_VERSION

    def __init__(self, index_dir: Path, lock_timeout: float = 30.0):
        self.store = IndexStore(index_dir, lock_timeout)

    @classmethod
    def open(cls, settings: Settings) -> "WhooshIndex":
        return cls(settings.index_dir, settings.index_lock_timeout)

    # -- reading documents -----------------------------------------------------------
    def get(self, doc_id: str, include_drafts: bool = False) -> Record | None:
        with self.store.reading() as searcher:
            stored = searcher.document(id=doc_id)
        if stored is None or (stored.get("status") == "draft" and not include_drafts):
            return None
        return record_of(stored)

    def find(self, *, id: str | None = None, path: str | None = None, text_key: str | None = None,
             translation_key: str | None = None, include_drafts: bool = True) -> list[Record]:
        given = {name: value for name, value in (("id", id), ("path", path), ("text_key", text_key),
                                                  ("translation_key", translation_key))
                 if value is not None}
        if len(given) != 1:
            raise TypeError("find() takes exactly one of id, path, text_key, translation_key")
        with self.store.reading() as searcher:
            found = list(searcher.documents(**given))
        return [record_of(stored) for stored in found
                if include_drafts or stored.get("status") != "draft"]

    def iterate(self, include_drafts: bool = False) -> Iterator[Record]:
        with self.store.reading() as searcher:
            for stored in searcher.all_stored_fields():
                if include_drafts or stored.get("status") != "draft":
                    yield record_of(stored)

    def indexed(self) -> dict[str, IndexedDocument]:
        with self.store.reading() as searcher:
            return {stored["path"]: IndexedDocument(stored["id"], stored["path"], stored["fingerprint"])
                    for stored in searcher.all_stored_fields()}

    def count(self) -> int:
        with self.store.reading() as searcher:
            return searcher.doc_count()

    def version(self) -> Hashable:
        with self.store.reading() as searcher:
            return self.store.generation(searcher)     # the same object until a commit

    # -- searching ----------------------------------------------------------------------
    def search(self, query: IndexQuery) -> IndexAnswer:
        return searching.run(self.store, query)

    def match_spans(self, doc_id: str, query: Node) -> list[tuple[int, int]] | None:
        return searching.match_spans(self.store, doc_id, query)

    def corrections(self, words: Sequence[str]) -> dict[str, list[str]]:
        return searching.suggest(self.store, words)

    def word_counts(self, language: str, words: Sequence[str]) -> list[int | None]:
        return searching.word_counts(self.store, language, words)

    def similar(self, doc_id: str, limit: int = 5) -> list[SimilarDocument] | None:
        return similar.similar(self.store, doc_id, limit)

    def key_terms(self, doc_id: str, count: int = KEY_TERMS) -> list[tuple[str, float]] | None:
        return similar.key_terms(self.store, doc_id, count)

    def similar_with(self, doc_id: str, extra: Node, language: str,
                     limit: int = 5) -> list[SimilarDocument] | None:
        return similar.similar(self.store, doc_id, limit, extra, language)

    # -- writing ------------------------------------------------------------------------
    @contextmanager
    def write(self, clear: bool = False, bulk: bool = False) -> Iterator[IndexWriter]:
        # A large batch is analysed in two processes (measured: 2.1× the single-process
        # rate on two cores); a small one is not worth starting processes for.
        procs = 2 if bulk and (os.cpu_count() or 1) > 1 else 1
        with self.store.writer(clear=clear, procs=procs) as writer:
            yield writer

    def set_aside(self) -> str:
        self.store.close()
        broken = move_aside(self.store.index_dir)
        self.store = IndexStore(self.store.index_dir, self.store.lock_timeout)
        return str(broken)

    def close(self) -> None:
        self.store.close()
