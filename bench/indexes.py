"""The indexes the query and load benchmarks search: Records with generated extractions
written through ``kb.index.Index.write()`` (no NLP), and the same documents in
SQLite FTS5. Built once per document count and code version, kept in ``bench/.cache``."""
from __future__ import annotations

import hashlib
import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from kb.config import Settings, load_settings
from kb.index import Index, engine_version, open_index

from . import corpus, fts


@dataclass(frozen=True)
class BuiltIndex:
    docs: int
    settings: Settings          # data_dir holds index/ (Whoosh) and fts.sqlite
    whoosh_seconds: float
    fts_seconds: float
    reused: bool

    @property
    def fts_path(self) -> Path:
        return self.settings.data_dir / "fts.sqlite"

    def whoosh_bytes(self) -> int:
        return folder_bytes(self.settings.index_dir)

    def fts_bytes(self) -> int:
        return self.fts_path.stat().st_size


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())


def _code_key() -> str:
    """Changes when what ends up in the index changes: the schema version (bumped with
    any change of fields or analyzers) and the generated documents."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(engine_version("whoosh").encode())
    for name in ("bench/corpus.py", "bench/fts.py"):
        digest.update((root / name).read_bytes())
    return digest.hexdigest()[:10]


def build_whoosh(store: Index, n: int, procs: int = 2) -> float:
    """Seconds to write ``n`` generated Records in one transaction (``procs`` > 1: in bulk)."""
    started = time.perf_counter()
    with store.write(clear=True, bulk=procs > 1) as writer:
        for record in corpus.records(n):
            writer.put(record)
    return time.perf_counter() - started


def query_index(n: int, root: Path | None = None, procs: int = 2) -> BuiltIndex:
    """The Whoosh and FTS5 indexes of the first ``n`` generated documents, built or reused."""
    root = Path(root) if root else corpus.CACHE / "indexes"
    folder = root / f"{n}-{_code_key()}"
    stamp = folder / "built.json"
    settings = load_settings({"corpus_dir": folder / "corpus", "data_dir": folder / "data"}, environ={})
    if stamp.is_file():
        times = json.loads(stamp.read_text())
        return BuiltIndex(n, settings, times["whoosh"], times["fts"], reused=True)
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "corpus").mkdir(parents=True)
    store = open_index(settings)
    try:
        whoosh_seconds = build_whoosh(store, n, procs)
    finally:
        store.close()
    started = time.perf_counter()
    fts.build(settings.data_dir / "fts.sqlite", corpus.records(n))
    fts_seconds = time.perf_counter() - started
    stamp.write_text(json.dumps({"whoosh": whoosh_seconds, "fts": fts_seconds}))
    return BuiltIndex(n, settings, whoosh_seconds, fts_seconds, reused=False)
