"""The indexes the query and load benchmarks search: Records with generated extractions
written through ``kb.index.Index.write()`` (no NLP), in each engine, and the same
documents in SQLite FTS5. Built once per document count, engine and code version, kept in
``bench/.cache``."""
from __future__ import annotations

import hashlib
import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from kb.config import ENGINES, Settings, load_settings
from kb.index import Index, engine_version, open_index

from . import corpus, fts


@dataclass(frozen=True)
class BuiltIndex:
    """One engine's index of the first ``docs`` generated documents."""
    docs: int
    engine: str
    settings: Settings          # data_dir holds index/, in the engine of settings.engine
    seconds: float              # to build it (from when it was built)
    reused: bool

    def bytes(self) -> int:
        return folder_bytes(self.settings.index_dir)

    @property
    def root(self) -> Path:
        """The folder of the cached indexes this one is in."""
        return self.settings.data_dir.parent.parent


@dataclass(frozen=True)
class BuiltFts:
    """The same documents in SQLite FTS5."""
    docs: int
    path: Path
    seconds: float
    reused: bool

    def bytes(self) -> int:
        return self.path.stat().st_size


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())


def _code_key(*parts: str) -> str:
    """Changes when what ends up in the index changes: the engine's format (bumped with any
    change of fields or analyzers) and the generated documents."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256("\n".join(parts).encode())
    for name in ("bench/corpus.py", "bench/fts.py"):
        digest.update((root / name).read_bytes())
    return digest.hexdigest()[:10]


def build(store: Index, n: int, bulk: bool = True) -> float:
    """Seconds to write ``n`` generated Records in one transaction (``bulk``: the engine's
    bulk writer, Whoosh's processes or tantivy's threads)."""
    started = time.perf_counter()
    with store.write(clear=True, bulk=bulk) as writer:
        for record in corpus.records(n):
            writer.put(record)
    return time.perf_counter() - started


def query_index(n: int, engine: str = ENGINES[0], root: Path | None = None, procs: int = 2) -> BuiltIndex:
    """``engine``'s index of the first ``n`` generated documents, built or reused."""
    root = Path(root) if root else corpus.CACHE / "indexes"
    folder = root / f"{n}-{engine}-{_code_key(engine, engine_version(engine))}"
    stamp = folder / "built.json"
    settings = load_settings({"corpus_dir": folder / "corpus", "data_dir": folder / "data",
                              "engine": engine}, environ={})
    if stamp.is_file():
        return BuiltIndex(n, engine, settings, json.loads(stamp.read_text())["seconds"], reused=True)
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "corpus").mkdir(parents=True)
    store = open_index(settings)
    try:
        seconds = build(store, n, bulk=procs > 1)
    finally:
        store.close()
    stamp.write_text(json.dumps({"seconds": seconds}))
    return BuiltIndex(n, engine, settings, seconds, reused=False)


def fts_index(n: int, root: Path | None = None) -> BuiltFts:
    """The FTS5 database of the first ``n`` generated documents, built or reused."""
    root = Path(root) if root else corpus.CACHE / "indexes"
    folder = root / f"{n}-fts5-{_code_key('fts5')}"
    path, stamp = folder / "fts.sqlite", folder / "built.json"
    if stamp.is_file():
        return BuiltFts(n, path, json.loads(stamp.read_text())["seconds"], reused=True)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    fts.build(path, corpus.records(n))
    seconds = time.perf_counter() - started
    stamp.write_text(json.dumps({"seconds": seconds}))
    return BuiltFts(n, path, seconds, reused=False)
