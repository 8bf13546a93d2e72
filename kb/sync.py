"""Bringing the index in line with the corpus: add new files, re-index changed ones,
remove deleted ones; or rebuild everything. One writer, one commit per run."""
from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from indexer.corpus import OUTSIDE, load_records, scan_documents
from indexer.errors import DocumentError
from indexer.read import fingerprint

from .config import Settings
from .index import Index, built_with, mark_built_with, open_index
from .storage import locked

BULK_DOCUMENTS = 100     # a batch this large is written in bulk (Index.write)


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    errors: list[DocumentError] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return len(self.added) + len(self.updated) + len(self.removed)

    def summary(self) -> str:
        return (f"{len(self.added)} added, {len(self.updated)} updated, {len(self.removed)} removed, "
                f"{self.unchanged} unchanged, {len(self.errors)} error(s)")


def _relative_paths(paths: list[Path], corpus_dir: Path) -> dict[Path, str]:
    """Corpus-relative POSIX paths of resolved files, resolving each folder once rather
    than every file (profiled: resolve() was 44% of a run that found nothing changed)."""
    root = corpus_dir.resolve()
    folders: dict[Path, Path] = {}
    out = {}
    for path in paths:
        if path.is_symlink():
            real = path.resolve()
        else:
            if path.parent not in folders:
                folders[path.parent] = path.parent.resolve()
            real = folders[path.parent] / path.name
        out[path] = real.relative_to(root).as_posix()
    return out


def sync_index(settings: Settings, index: Index, *, rebuild: bool = False,
               progress: Callable[[int], None] | None = None) -> SyncReport:
    """Index what changed in ``settings.corpus_dir`` (everything with ``rebuild``).

    A file that fails to read keeps its previous version in the index, if it had one,
    and is reported in ``errors``; the rest of the corpus is indexed.
    """
    corpus_dir = settings.corpus_dir
    report = SyncReport()
    indexed = {} if rebuild else index.indexed()
    paths, outside = scan_documents(corpus_dir)
    rel = _relative_paths(paths, corpus_dir)

    to_load: list[Path] = []
    for path in paths:
        previous = indexed.get(rel[path])
        if previous and previous.fingerprint == fingerprint(path.read_bytes()):
            report.unchanged += 1
        else:
            to_load.append(path)
    loading = {rel[p] for p in to_load}
    current_paths = set(rel.values())
    taken_ids = {doc.id: doc.path for doc in indexed.values()
                 if doc.path in current_paths and doc.path not in loading}
    result = load_records(to_load, corpus_dir, id_owner=taken_ids.get,
                          cache_dir=settings.cache_dir, progress=progress)
    report.errors = [DocumentError(path, OUTSIDE) for path in outside] + result.errors
    if not rebuild and not result.records and all(path in current_paths for path in indexed):
        # Nothing to write, so no commit: a commit makes a new generation, and every
        # searcher would rebuild its per-generation tables (seconds at 100k documents).
        return report

    bulk = len(result.records) >= BULK_DOCUMENTS
    with index.write(clear=rebuild, bulk=bulk) as writer:
        # Removals first: a renamed file keeps its id, and its new version must survive.
        for path, doc in indexed.items():
            if path not in current_paths:
                writer.remove(doc.id)
                report.removed.append(doc.id)
        _put_records(writer, result.records, {path: doc.id for path, doc in indexed.items()}, report)
    return report


def _put_records(writer, records, previous_ids: dict[str, str], report: SyncReport) -> None:
    """Put ``records``; ``previous_ids``: corpus path → id of what is indexed there now."""
    for record in records:
        previous = previous_ids.get(record.path)
        if previous and previous != record.id:
            writer.remove(previous)
        writer.put(record)
        (report.updated if previous else report.added).append(record.id)


def index_paths(settings: Settings, index: Index, paths: list[Path],
                removed: list[str] = ()) -> SyncReport:
    """Index the given corpus files now, and drop the index entries of ``removed``
    (corpus-relative paths of files that are gone), through the same reading, extraction
    and writer as ``sync_index``: what staff publish is searchable at once.

    Each file is checked again once the write lock is held, so that of two quick saves
    of one file the index ends with the last, and a file deleted meanwhile is not put
    back. A file that cannot be read is reported in ``errors``; ``kb index`` picks it
    up once fixed. The index is asked about these files and their ids only, not read
    whole: the time this takes does not grow with the corpus.
    """
    corpus_dir = settings.corpus_dir
    report = SyncReport()
    paths = [Path(p) for p in paths if Path(p).is_file()]
    rel = _relative_paths(paths, corpus_dir)
    loading = set(rel.values())

    def id_owner(doc_id: str) -> str | None:
        """The path of another file, still in the corpus, indexed with ``doc_id``."""
        for record in index.find(id=doc_id):
            if record.path not in loading and (corpus_dir / record.path).is_file():
                return record.path
        return None

    def load(files: list[Path]):
        return load_records(files, corpus_dir, id_owner=id_owner, cache_dir=settings.cache_dir)

    result = load(paths)
    report.errors = list(result.errors)
    previous_ids = {path: record.id for path in {*loading, *removed}
                    for record in index.find(path=path)}
    if not result.records and not any(path in previous_ids for path in removed):
        return report                        # nothing to write: no new generation
    with index.write() as writer:
        for path in removed:
            doc_id = previous_ids.get(path)
            if doc_id and not (corpus_dir / path).is_file():
                writer.remove(doc_id)
                report.removed.append(doc_id)
        records = []
        for record in result.records:
            path = corpus_dir / record.path
            try:
                current = fingerprint(path.read_bytes())
            except OSError:
                continue                     # deleted meanwhile: its deletion removes it
            if current == record.fingerprint:
                records.append(record)
            else:                            # saved again meanwhile: index the last version
                again = load([path])
                report.errors += again.errors
                records += again.records
        _put_records(writer, records, previous_ids, report)
    return report


def open_current_index(settings: Settings, say: Callable[[str], None] = lambda message: None) -> Index:
    """The index of ``settings``, for a command or the web app. When the data folder's
    index was built with another engine (the ``engine`` setting changed), it is rebuilt
    with this one from the corpus, the extractions read from the cache (nothing is
    extracted again), and ``say`` tells. Processes starting together rebuild it once."""
    with locked(settings.data_dir / ".engine.lock"):
        previous = built_with(settings)
        if previous in (None, settings.engine):
            index = open_index(settings)
            if previous is None:
                mark_built_with(settings)
            return index
        say(f"The index in {settings.index_dir} was built with {previous}: rebuilding it with "
            f"{settings.engine} from the corpus (extractions from the cache, none run again)")
        shutil.rmtree(settings.index_dir, ignore_errors=True)
        index = open_index(settings)
        report = sync_index(settings, index, rebuild=True)
        mark_built_with(settings)
        say(f"Rebuilt with {settings.engine}: {report.summary()}")
        return index
