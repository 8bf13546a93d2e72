"""The tantivy store: the one place that opens, writes and reads the tantivy index.

Writes are all-or-nothing: tantivy publishes a commit by replacing ``meta.json``
atomically, so a run killed half-way leaves the previous commit to searchers. One
writer at a time, across processes (tantivy's lock file, released by the OS when a
process dies), with retries up to a timeout. Readers share one searcher per commit: it
is safe for any number of threads (the segments are memory-mapped and tantivy releases
the GIL while it searches), and it is replaced when ``meta.json`` changes, so what any
process commits is seen by the next search.
"""
from __future__ import annotations

import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Hashable, Iterator

import tantivy

from model.record import Record

from ..folders import Busy, when_free
from ..interface import IndexWriter
from .analysis import register
from .schema import FORMAT, build_schema, document_for

FORMAT_FILE = "TANTIVY_FORMAT"
META_FILE = "meta.json"
MB = 1_000_000
HEAP = {1: 64 * MB, 2: 2 * 192 * MB}      # writer memory by threads (bulk: 2)


class TantivyWriter(IndexWriter):
    """Adds, replaces and removes documents inside one tantivy writer's transaction."""

    def __init__(self, writer: tantivy.IndexWriter):
        self._writer = writer

    def put(self, record: Record) -> None:
        # A delete applies to what was added before it: the new version stays.
        self._writer.delete_documents_by_term("id", record.id)
        self._writer.add_document(document_for(record))

    def remove(self, doc_id: str) -> None:
        self._writer.delete_documents_by_term("id", doc_id)


class IndexStore:
    def __init__(self, index_dir: Path, lock_timeout: float = 30.0):
        self.index_dir = Path(index_dir)
        self.lock_timeout = lock_timeout
        self._lock = threading.Lock()
        self._index: tantivy.Index | None = None
        self._seen: Hashable = None                  # meta.json when the searcher was made
        self._searcher: tantivy.Searcher | None = None

    # -- opening -------------------------------------------------------------
    def _is_current(self) -> bool:
        stamp = self.index_dir / FORMAT_FILE
        return ((self.index_dir / META_FILE).is_file() and stamp.is_file()
                and stamp.read_text().strip() == FORMAT)

    def _open(self) -> tantivy.Index:
        with self._lock:
            if self._index is None:
                if not self._is_current():
                    self._create()
                index = tantivy.Index.open(str(self.index_dir))
                register(index)
                index.config_reader(reload_policy="manual")
                self._index = index
            return self._index

    def _create(self) -> None:
        """A fresh empty index (first run, or a format change that needs a rebuild)."""
        if self.index_dir.exists():
            shutil.rmtree(self.index_dir)
        self.index_dir.mkdir(parents=True)
        tantivy.Index(build_schema(), path=str(self.index_dir), reuse=False)
        (self.index_dir / FORMAT_FILE).write_text(FORMAT + "\n")

    @property
    def schema(self) -> tantivy.Schema:
        return self._open().schema

    # -- writing -------------------------------------------------------------
    @contextmanager
    def writer(self, clear: bool = False, threads: int = 1) -> Iterator[TantivyWriter]:
        """A transaction: committed when the block ends, cancelled if it raises.
        ``clear=True`` replaces the whole index with what the block adds, in one commit.
        ``threads``: tantivy's indexing threads (2 for large batches)."""
        writer = self._acquire_writer(threads)
        try:
            if clear:
                writer.delete_all_documents()
            yield TantivyWriter(writer)
        except BaseException:
            writer.rollback()
            writer.wait_merging_threads()     # ends the writer: its lock is released
            raise
        try:
            writer.commit()
        finally:
            writer.wait_merging_threads()

    def _acquire_writer(self, threads: int) -> tantivy.IndexWriter:
        index = self._open()

        def attempt() -> tantivy.IndexWriter:
            try:
                return index.writer(HEAP.get(threads, HEAP[1]), threads)
            except ValueError as exc:
                if "LockBusy" in str(exc):
                    raise Busy from None
                raise

        writer = when_free(attempt, self.index_dir, self.lock_timeout)
        # Files a writer killed before its commit left behind would be in the way of this
        # one's (same names): removed first.
        writer.garbage_collect_files()
        return writer

    # -- reading -------------------------------------------------------------
    def _meta(self) -> Hashable:
        try:
            stat = os.stat(self.index_dir / META_FILE)
        except FileNotFoundError:
            return None
        return (stat.st_ino, stat.st_mtime_ns, stat.st_size)

    def reading(self) -> tuple[tantivy.Searcher, Hashable]:
        """A searcher on the latest commit, and a token of that commit (equal until the
        next one). Checking costs one ``stat``; a new commit reloads the reader."""
        index = self._open()
        with self._lock:
            seen = self._meta()
            if self._searcher is None or seen != self._seen:
                index.reload()
                self._searcher, self._seen = index.searcher(), seen
            return self._searcher, self._seen

    def separate_searcher(self) -> tantivy.Searcher:
        """A searcher on the latest commit through an index object of its own (its own
        memory maps, released with it)."""
        self._open()                          # created if need be
        index = tantivy.Index.open(str(self.index_dir))
        index.config_reader(reload_policy="manual")
        return index.searcher()

    def close(self) -> None:
        """Let go of the searcher and the index (their memory maps); the store opens
        them again if it is used afterwards."""
        with self._lock:
            self._searcher, self._seen, self._index = None, None, None
