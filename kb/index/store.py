"""The index store: the one place that opens, writes and reads the Whoosh index.

Writes are all-or-nothing: Whoosh publishes a new generation only when a writer
commits (its table of contents is renamed into place), so a run killed half-way
leaves the previous generation for searchers. Writers are serialized by Whoosh's
file lock (released by the OS when a process dies), with retries up to a timeout.
"""
from __future__ import annotations

import shutil
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from whoosh import index as whoosh_index
from whoosh.writing import CLEAR, LockError

from ..record import Record
from ..schema import SCHEMA_VERSION, build_schema, fields_for

VERSION_FILE = "SCHEMA_VERSION"


class IndexBusyError(RuntimeError):
    """Another process held the index write lock for longer than the timeout."""


@dataclass(frozen=True)
class IndexedDocument:
    """What the index remembers of a file, to decide whether it changed."""
    id: str
    path: str
    fingerprint: str


class IndexWriter:
    """Adds, replaces and removes documents inside one transaction."""

    def __init__(self, writer):
        self._writer = writer

    def put(self, record: Record) -> None:
        self._writer.update_document(**fields_for(record))

    def remove(self, doc_id: str) -> None:
        self._writer.delete_by_term("id", doc_id)


def _facet_table(reader, field_names) -> dict[str, list[tuple[str, ...]]]:
    size = reader.doc_count_all()
    table = {}
    deleted = None
    for name in field_names:
        if reader.has_column(name):
            # One value per document, read straight from the column (profiled: the group
            # field, one term per document, took 0.23 s of 0.33 s at 10k documents this way
            # instead of 0.005 s: the first search after start-up or after each commit).
            if deleted is None:
                deleted = set(range(size)).difference(reader.all_doc_ids())
            table[name] = [(value,) if value and docnum not in deleted else ()
                           for docnum, value in enumerate(reader.column_reader(name))]
            continue
        values: list[list[str]] = [[] for _ in range(size)]
        for term in reader.lexicon(name):
            value = term.decode("utf-8")
            for docnum in reader.postings(name, term).all_ids():
                values[docnum].append(value)
        table[name] = [tuple(v) for v in values]
    return table


class IndexStore:
    def __init__(self, index_dir: Path, lock_timeout: float = 30.0):
        self.index_dir = Path(index_dir)
        self.lock_timeout = lock_timeout
        self._index = None
        self._searcher = None
        self._facet_values: dict[str, list[tuple[str, ...]]] | None = None
        self._searcher_lock = threading.Lock()

    # -- opening -------------------------------------------------------------
    def _is_current(self) -> bool:
        stamp = self.index_dir / VERSION_FILE
        return (whoosh_index.exists_in(str(self.index_dir))
                and stamp.is_file() and stamp.read_text().strip() == SCHEMA_VERSION)

    def _open(self):
        if self._index is None:
            if not self._is_current():
                self._create()
            self._index = whoosh_index.open_dir(str(self.index_dir))
        return self._index

    def _create(self) -> None:
        """A fresh empty index (first run, or a schema change that needs a rebuild)."""
        if self.index_dir.exists():
            shutil.rmtree(self.index_dir)
        self.index_dir.mkdir(parents=True)
        whoosh_index.create_in(str(self.index_dir), build_schema())
        (self.index_dir / VERSION_FILE).write_text(SCHEMA_VERSION + "\n")

    @property
    def schema(self):
        return self._open().schema

    # -- writing -------------------------------------------------------------
    @contextmanager
    def writer(self, clear: bool = False, procs: int = 1) -> Iterator[IndexWriter]:
        """A transaction: committed when the block ends, cancelled if it raises.

        ``clear=True`` replaces the whole index with what the block adds, in one commit.
        ``procs > 1`` analyzes added documents in that many processes, each writing its own
        segment (Whoosh's multi-process writer): about 2× faster on two cores, worth it for
        large batches only (bench/index.py measures it).
        """
        writer = self._acquire_writer(procs)
        try:
            yield IndexWriter(writer)
        except BaseException:
            writer.cancel()
            raise
        if clear:
            writer.commit(mergetype=CLEAR)
        else:
            writer.commit()

    def _acquire_writer(self, procs: int = 1):
        deadline = time.monotonic() + self.lock_timeout
        delay = 0.05
        options = {"procs": procs, "multisegment": True} if procs > 1 else {}
        while True:
            try:
                return self._open().writer(**options)
            except LockError:
                if time.monotonic() >= deadline:
                    raise IndexBusyError(
                        f"the index at {self.index_dir} is locked by another writer; "
                        f"gave up after {self.lock_timeout:g}s") from None
                time.sleep(delay)
                delay = min(delay * 2, 1.0)

    # -- reading -------------------------------------------------------------
    def searcher(self):
        """A searcher on the latest committed generation, reused until the index changes."""
        with self._searcher_lock:
            if self._searcher is None:
                self._searcher = self._open().searcher()
                self._facet_values = None
            elif not self._searcher.up_to_date():
                # A fresh searcher rather than refresh(): whoosh-reloaded's refresh fails
                # when the previous generation was empty.
                self._searcher.close()
                self._searcher = self._open().searcher()
                self._facet_values = None
            return self._searcher

    def facet_values(self, searcher, field_names) -> dict[str, list[tuple[str, ...]]]:
        """Per facet field, the values of every document number, built once per generation.

        Counting facets over these lists is far cheaper than Whoosh's own grouping.
        """
        with self._searcher_lock:
            if self._facet_values is None or searcher is not self._searcher:
                table = _facet_table(searcher.reader(), field_names)
                if searcher is not self._searcher:
                    return table
                self._facet_values = table
            return self._facet_values

    def indexed_documents(self) -> dict[str, IndexedDocument]:
        """Every indexed document by corpus path."""
        searcher = self.searcher()
        return {fields["path"]: IndexedDocument(fields["id"], fields["path"], fields["fingerprint"])
                for fields in searcher.all_stored_fields()}

    def stored_documents(self, searcher=None) -> Iterator[dict]:
        """The stored fields of every document of ``searcher``'s generation (the latest
        by default). ``searcher()`` returns the same object until the index changes, so
        callers may key per-generation caches on it (``kb/catalog.py`` does)."""
        return (searcher or self.searcher()).all_stored_fields()

    def stored_documents_with(self, field: str, value: str) -> list[dict]:
        """The stored fields of the documents whose ID field ``field`` is ``value``."""
        return list(self.searcher().documents(**{field: value}))

    def stored_document(self, doc_id: str) -> dict | None:
        """The stored fields of one document, or None."""
        return self.searcher().document(id=doc_id)

    def document_count(self) -> int:
        return self.searcher().doc_count()

    def close(self) -> None:
        with self._searcher_lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
