"""The Typesense engine behind ``kb.index.Index``: a collection on a cluster.

Collections, for the ``typesense_collection`` setting ``kb``:

- ``kb`` is an alias of the documents' collection ``kb-<token>``; a rebuild
  (``write(clear=True)``) fills a new collection and moves the alias in one call, so
  searches see the old documents or the new ones, never half of them;
- ``kb-state`` holds one document: the format of what is stored (``schema.FORMAT``;
  another format is rebuilt) and a token that changes at every commit (``version``);
- ``kb-vocabulary`` holds every term and word once: prefix queries and corrections
  look there.

A write is kept in memory until its block ends, then sent (removals, then the documents
in batches), so that a cancelled block sends nothing. Writers of one data folder take
turns through a lock file. Typesense has no transactions: between the first and the last
batch of a commit a search may see part of it (incremental writes only; a rebuild is
atomic), and a commit cut short by a failure leaves what it sent, which ``kb index``
completes (documents are keyed by id, every batch is an upsert).
"""
from __future__ import annotations

import fcntl
import json
import os
import secrets
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Hashable, Iterator, Sequence

from model.record import Record

from ...config import Settings
from ...query import Node
from ..interface import (Index, IndexAnswer, IndexBusyError, IndexedDocument, IndexQuery, IndexWriter,
                         SimilarDocument)
from . import searching
from .connection import AlreadyExists, Connection, NotFound, imported
from .schema import FORMAT, STORED_ONLY, WORD, collection_schema, fields_for, hashed, record_of, words

BATCH = 200              # documents per import request
VOCABULARY_BATCH = 5000
STATE_ID = "state"
REPLICATION_WAIT = 5.0   # seconds a commit waits for the followers to apply it


class TypesenseWriter(IndexWriter):
    def __init__(self):
        self.pending: dict[str, Record | None] = {}     # id → record to put, or None: remove

    def put(self, record: Record) -> None:
        self.pending.pop(record.id, None)
        self.pending[record.id] = record

    def remove(self, doc_id: str) -> None:
        self.pending.pop(doc_id, None)
        self.pending[doc_id] = None


class TypesenseIndex(Index):
    FORMAT = FORMAT

    def __init__(self, settings: Settings):
        self.settings = settings
        self.name = settings.typesense_collection
        self.lock_file = Path(settings.data_dir) / "typesense.lock"
        self.lock_timeout = settings.index_lock_timeout
        self._connection: Connection | None = None
        self._ready = False
        self._guard = threading.Lock()           # the connection
        self._preparing = threading.Lock()       # the first look at the cluster

    @classmethod
    def open(cls, settings: Settings) -> "TypesenseIndex":
        return cls(settings)

    # -- the cluster -----------------------------------------------------------------------
    @property
    def connection(self) -> Connection:
        with self._guard:
            if self._connection is None:
                self._connection = Connection(self.settings)
            return self._connection

    @property
    def client(self):
        """The client for reads."""
        return self.connection.client

    @property
    def writer(self):
        """The client for writes."""
        return self.connection.writer

    def documents(self):
        """The documents' collection (through the alias), created when missing."""
        if not self._ready:
            self._prepare()
        return self.client.collections[self.name].documents

    def _state(self) -> dict | None:
        try:
            return self.connection.read(
                lambda: self.client.collections[f"{self.name}-state"].documents[STATE_ID].retrieve())
        except NotFound:
            return None

    def _prepare(self) -> None:
        """Check the format of what the cluster holds; start afresh when it differs."""
        with self._preparing:
            if self._ready:
                return
            state = self._state()
            if state is None or state.get("format") != FORMAT or not self._alias_target():
                self._create_empty()
            self._ready = True

    def _alias_target(self) -> str | None:
        try:
            return self.connection.read(lambda: self.client.aliases[self.name].retrieve())["collection_name"]
        except NotFound:
            return None

    def _ensure_collection(self, schema: dict) -> None:
        try:
            self.connection.write(lambda: self.writer.collections.create(schema), "collection creation")
        except AlreadyExists:
            pass

    def _create_empty(self) -> str:
        """A new empty documents' collection behind the alias (the old one is dropped)."""
        physical = f"{self.name}-{secrets.token_hex(6)}"
        self._ensure_collection(collection_schema(physical))
        self._ensure_collection({"name": f"{self.name}-state", "fields": [{"name": "format", "type": "string"}]})
        self._ensure_collection({"name": f"{self.name}-vocabulary", "fields": [
            {"name": "ns", "type": "string", "facet": True}, {"name": "term", "type": "string"}]})
        self._point_alias(physical, drop_previous=True)
        self._commit_state()
        return physical

    def _point_alias(self, physical: str, drop_previous: bool) -> str | None:
        previous = self._alias_target()
        self.connection.write(lambda: self.writer.aliases.upsert(self.name, {"collection_name": physical}),
                              "alias update")
        if drop_previous and previous and previous != physical:
            self._drop(previous)
        return previous

    def _drop(self, collection: str) -> None:
        try:
            self.connection.write(lambda: self.writer.collections[collection].delete(), "collection removal")
        except NotFound:
            pass

    def _commit_state(self) -> None:
        """A new state token, written last: a node that has it has applied the commit.
        Returns once every node that answers has it (or after ``REPLICATION_WAIT``), so
        that what a commit wrote is searchable on any node when it returns."""
        state = {"id": STATE_ID, "format": FORMAT, "token": secrets.token_hex(8)}
        self.connection.write(lambda: self.writer.collections[f"{self.name}-state"].documents.upsert(state),
                              "state update")
        path = f"/collections/{self.name}-state/documents/{STATE_ID}"
        deadline = time.monotonic() + REPLICATION_WAIT
        while time.monotonic() < deadline:
            answers = self.connection.on_each_node(path)
            # a node that does not answer at all is down: it catches up when it comes back
            if all(a is None or a.get("token") == state["token"] for a in answers) \
                    and any(a is not None for a in answers):
                return
            time.sleep(0.02)

    # -- reading documents -------------------------------------------------------------------
    def get(self, doc_id: str, include_drafts: bool = False) -> Record | None:
        documents = self.documents()
        try:
            found = self.connection.read(lambda: documents[doc_id].retrieve())
        except NotFound:
            return None
        if found.get("status") == "draft" and not include_drafts:
            return None
        return record_of(found)

    def find(self, *, id: str | None = None, path: str | None = None, text_key: str | None = None,
             translation_key: str | None = None, include_drafts: bool = True) -> list[Record]:
        given = [(name, value) for name, value in (("id", id), ("path", path), ("text_key", text_key),
                                                   ("translation_key", translation_key))
                 if value is not None]
        if len(given) != 1:
            raise TypeError("find() takes exactly one of id, path, text_key, translation_key")
        name, value = given[0]
        if name == "id":
            found = self.get(value, include_drafts=True)
            records = [found] if found is not None else []
        else:
            field, key = {"path": ("path_key", hashed(value)), "text_key": ("text_key", value),
                          "translation_key": ("tkey", hashed(value))}[name]
            if not key:
                return []
            records = [record_of(d) for d in searching.matching(self, f"{field}:=`{key}`")]
        return [r for r in records if include_drafts or r.status != "draft"]

    def _export(self, fields: str | None = None) -> Iterator[dict]:
        documents = self.documents()
        options = {"include_fields": fields} if fields else {"exclude_fields": STORED_ONLY}
        text = self.connection.read(lambda: documents.export(options))
        for line in text.splitlines():
            if line.strip():
                yield json.loads(line)

    def iterate(self, include_drafts: bool = False) -> Iterator[Record]:
        for document in self._export():
            if include_drafts or document.get("status") != "draft":
                yield record_of(document)

    def indexed(self) -> dict[str, IndexedDocument]:
        return {d["path"]: IndexedDocument(d["id"], d["path"], d["fingerprint"])
                for d in self._export("id,path,fingerprint")}

    def count(self) -> int:
        self.documents()
        return int(self.connection.read(lambda: self.client.collections[self.name].retrieve())["num_documents"])

    def version(self) -> Hashable:
        state = self._state() or {}
        return state.get("token")

    # -- searching -------------------------------------------------------------------------
    def search(self, query: IndexQuery) -> IndexAnswer:
        return searching.run(self, query)

    def match_spans(self, doc_id: str, query: Node) -> list[tuple[int, int]] | None:
        return searching.match_spans(self, doc_id, query)

    def word_counts(self, language: str, words_: Sequence[str]) -> list[int | None]:
        return searching.word_counts(self, language, words_)

    def corrections(self, words_: Sequence[str]) -> dict[str, list[str]]:
        return searching.corrections(self, words_)

    def similar(self, doc_id: str, limit: int = 5) -> list[SimilarDocument] | None:
        return searching.similar(self, doc_id, limit)

    # -- writing ---------------------------------------------------------------------------
    @contextmanager
    def write(self, clear: bool = False, bulk: bool = False) -> Iterator[IndexWriter]:
        with self._write_lock():
            writer = TypesenseWriter()
            yield writer                    # an error in the block: nothing is sent
            self._send(writer.pending, clear)

    @contextmanager
    def _write_lock(self) -> Iterator[None]:
        """One writer per data folder at a time (threads and processes), as with Whoosh."""
        self.lock_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_file, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            deadline = time.monotonic() + self.lock_timeout
            delay = 0.05
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise IndexBusyError(f"the index of {self.settings.data_dir} is being written by "
                                             f"another process; gave up after {self.lock_timeout:g}s") from None
                    time.sleep(delay)
                    delay = min(delay * 2, 1.0)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def _send(self, pending: dict[str, Record | None], clear: bool) -> None:
        self.documents()
        records = [r for r in pending.values() if r is not None]
        if clear:
            target = f"{self.name}-{secrets.token_hex(6)}"
            self._ensure_collection(collection_schema(target))
        else:
            target = self.name
            for doc_id in [i for i, r in pending.items() if r is None]:
                self._delete(doc_id)
        collection = self.writer.collections[target].documents
        vocabulary: dict[str, dict] = {}
        for start in range(0, len(records), BATCH):
            batch = [(r, fields_for(r)) for r in records[start:start + BATCH]]
            self._import(collection, [document for _, document in batch], "documents")
            for record, document in batch:
                for ns, value in vocabulary_of(record, document):
                    key = hashed(f"{ns}.{value}")
                    vocabulary.setdefault(key, {"id": key, "ns": ns, "term": value})
        self._add_vocabulary(list(vocabulary.values()))
        if clear:
            self._point_alias(target, drop_previous=True)
        self._commit_state()

    def _delete(self, doc_id: str) -> None:
        documents = self.writer.collections[self.name].documents
        try:
            self.connection.write(lambda: documents[doc_id].delete(), "removal")
        except NotFound:
            pass

    def _import(self, collection, batch: list[dict], what: str) -> None:
        results = self.connection.write(lambda: imported(lambda: collection.import_(batch, {"action": "upsert"})),
                                        what)
        failed = [r for r in results if not r.get("success")]
        if failed:
            raise RuntimeError(f"Typesense refused {len(failed)} of {len(batch)} {what}: "
                               f"{failed[0].get('error')}")

    def _add_vocabulary(self, batch: list[dict]) -> None:
        vocabulary = self.writer.collections[f"{self.name}-vocabulary"].documents
        for start in range(0, len(batch), VOCABULARY_BATCH):
            self._import(vocabulary, batch[start:start + VOCABULARY_BATCH], "vocabulary entries")

    # -- replicas -------------------------------------------------------------------------
    def missing_on_nodes(self) -> dict[str, set[str]]:
        """For each node that answers, the ids of documents that another node holds and
        it does not. Empty sets when the nodes agree. (Typesense 0.24 does not always
        give a node back what it had applied before it was killed: see cluster.py.)"""
        self.documents()
        path = f"/collections/{self.name}/documents/export?include_fields=id"
        held: dict[str, set[str]] = {}
        for node, text in zip(self.connection.nodes, self.connection.on_each_node(path, raw=True)):
            if text is not None:
                held[f"{node['host']}:{node['port']}"] = {json.loads(line)["id"] for line in text.splitlines()
                                                          if line.strip()}
        every = set().union(*held.values()) if held else set()
        return {node: every - ids for node, ids in held.items()}

    def resend_missing(self) -> int:
        """Send again, through the leader, every document some node lacks (an upsert of
        the same document: the nodes that have it are unchanged). How many were sent."""
        missing = set().union(*self.missing_on_nodes().values())
        if not missing:
            return 0
        documents = [d for d in self._export_full() if d["id"] in missing]
        collection = self.writer.collections[self.name].documents
        for start in range(0, len(documents), BATCH):
            self._import(collection, documents[start:start + BATCH], "documents")
        self._commit_state()
        return len(documents)

    def _export_full(self) -> Iterator[dict]:
        documents = self.documents()
        for line in self.connection.read(lambda: documents.export()).splitlines():
            if line.strip():
                yield json.loads(line)

    def set_aside(self) -> str:
        previous = self._alias_target()
        self._ready = False
        physical = f"{self.name}-{secrets.token_hex(6)}"
        self._ensure_collection(collection_schema(physical))
        self._point_alias(physical, drop_previous=False)
        self._commit_state()
        self._ready = True
        return f"Typesense collection {previous}" if previous else "nothing (no collection)"

    def close(self) -> None:
        with self._guard:
            if self._connection is not None:
                self._connection.close()
                self._connection = None


def vocabulary_of(record: Record, document: dict) -> set[tuple[str, str]]:
    """(namespace, term) of every single term of ``record``'s ``document``, and
    (``w``, word) for its words as written (corrections)."""
    out = set()
    for entry in document["terms"]:
        ns, _, rest = entry.partition(".")
        if ns != "k" and "." not in rest:
            out.add((ns, rest))
    out.update((WORD, w) for w in words(f"{record.title}\n{record.body}"))
    return out
