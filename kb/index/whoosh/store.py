"""The index store: the one place that opens, writes and reads the Whoosh index.

Writes are all-or-nothing: Whoosh publishes a new generation only when a writer
commits (its table of contents is renamed into place), so a run killed half-way
leaves the previous generation for searchers. Writers are serialized by Whoosh's
file lock (released by the OS when a process dies), with retries up to a timeout.
"""
from __future__ import annotations

import shutil
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from whoosh import index as whoosh_index
from whoosh.writing import CLEAR, LockError

from model.record import Record

from ..folders import Busy, when_free
from ..interface import IndexWriter
from .generation import Generation, SegmentArrays, generation_number
from .schema import SCHEMA_VERSION, build_schema, fields_for

VERSION_FILE = "SCHEMA_VERSION"
READERS = 2      # searchers open at once, per store


class WhooshWriter(IndexWriter):
    """Adds, replaces and removes documents inside one Whoosh writer's transaction."""

    def __init__(self, writer):
        self._writer = writer

    def put(self, record: Record) -> None:
        self._writer.update_document(**fields_for(record))

    def remove(self, doc_id: str) -> None:
        self._writer.delete_by_term("id", doc_id)


class IndexStore:
    def __init__(self, index_dir: Path, lock_timeout: float = 30.0, readers: int = READERS):
        self.index_dir = Path(index_dir)
        self.lock_timeout = lock_timeout
        self._index = None
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(readers)
        self._idle: list = []                 # searchers no thread is reading with
        self._busy: list = []
        self._held = threading.local()        # the searcher this thread is reading with
        self._generation_lock = threading.Lock()
        self._generations: dict[int, Generation] = {}
        self._segments = SegmentArrays()      # what generations read from each segment

    # -- opening -------------------------------------------------------------
    def _is_current(self) -> bool:
        stamp = self.index_dir / VERSION_FILE
        return (whoosh_index.exists_in(str(self.index_dir))
                and stamp.is_file() and stamp.read_text().strip() == SCHEMA_VERSION)

    def _open(self):
        with self._lock:
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
    def writer(self, clear: bool = False, procs: int = 1) -> Iterator[WhooshWriter]:
        """A transaction: committed when the block ends, cancelled if it raises.

        ``clear=True`` replaces the whole index with what the block adds, in one commit.
        ``procs > 1`` analyzes added documents in that many processes, each writing its own
        segment (Whoosh's multi-process writer): about 2× faster on two cores, worth it for
        large batches only (bench/index.py measures it).
        """
        writer = self._acquire_writer(procs)
        try:
            yield WhooshWriter(writer)
        except BaseException:
            writer.cancel()
            raise
        if clear:
            writer.commit(mergetype=CLEAR)
        else:
            writer.commit()

    def _acquire_writer(self, procs: int = 1):
        options = {"procs": procs, "multisegment": True} if procs > 1 else {}

        def attempt():
            try:
                return self._open().writer(**options)
            except LockError:
                raise Busy from None

        return when_free(attempt, self.index_dir, self.lock_timeout)

    # -- reading -------------------------------------------------------------
    @contextmanager
    def reading(self) -> Iterator:
        """A searcher on the latest committed generation, for this block and this thread
        only: Whoosh reads its files with seek and read, and a searcher shared by threads
        read corrupt postings under load. At most ``readers`` searchers are open (each
        holds a copy of the index in memory); a thread waits for one to be free. Nested
        blocks in one thread share the outer block's searcher."""
        held = getattr(self._held, "searcher", None)
        if held is not None:
            yield held
            return
        with self._slots:
            searcher = self._take()
            self._held.searcher = searcher
            try:
                yield searcher
            finally:
                self._held.searcher = None
                with self._lock:
                    self._busy.remove(searcher)
                    self._idle.append(searcher)

    def _take(self):
        with self._lock:
            searcher = self._idle.pop() if self._idle else None
        if searcher is None or not searcher.up_to_date():
            if searcher is not None:
                searcher.close()
            # A fresh searcher rather than refresh(): whoosh-reloaded's refresh fails when
            # the previous generation was empty.
            searcher = self._open().searcher()
        with self._lock:
            self._busy.append(searcher)
        return searcher

    def generation(self, searcher) -> Generation:
        """The arrays of ``searcher``'s generation (``generation.py``), built once: the
        first request after start-up or after a commit builds them, the others wait."""
        number = generation_number(searcher)
        with self._generation_lock:
            found = self._generations.get(number)
            if found is None or found.size != searcher.doc_count_all():   # a recreated index
                found = Generation(searcher, self._segments)
                self._segments.keep_only(searcher)
                # The one before stays for threads still reading it.
                self._generations = {n: g for n, g in self._generations.items() if n >= number - 1}
                self._generations[number] = found
            return found

    def close(self) -> None:
        """Close the idle searchers (one in use goes back to the pool when its block
        ends). The store can still be read afterwards: it opens new searchers."""
        with self._lock:
            idle, self._idle = self._idle, []
        with self._generation_lock:
            self._generations = {}
        for searcher in idle:
            searcher.close()
