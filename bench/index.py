"""Indexing throughput and index size through ``kb.sync.sync_index`` on generated
Markdown corpora, with Settings pointing at temporary folders:

- cold: empty index and empty extraction cache (reading, extraction, indexing);
- warm: empty index, extraction cache filled by the cold run (cached by content hash);
- unchanged: a second run on an up-to-date index (nothing to do);
- incremental: one document changed in an up-to-date index.

SQLite FTS5 indexing the same documents is the baseline.
"""
from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from typing import Sequence

from kb.config import load_settings
from kb.index import open_index
from kb.sync import sync_index

from . import corpus, fts
from .indexes import folder_bytes
from .report import Spread, Table, ratio

MB = 1024 * 1024


def _sync(settings, rebuild: bool = False):
    store = open_index(settings)
    try:
        started = time.perf_counter()
        report = sync_index(settings, store, rebuild=rebuild)
        return time.perf_counter() - started, report
    finally:
        store.close()


def _fts_seconds(n: int, folder: Path) -> float:
    records = list(corpus.records(n))
    started = time.perf_counter()
    fts.build(folder / "fts.sqlite", records)
    return time.perf_counter() - started


def prefill_cache(settings) -> int:
    """Fill the extraction cache with generated extractions (bench/corpus.py) under the keys
    indexing uses, instead of running spaCy: for warm runs when the cold run is capped."""
    from indexer.corpus import list_documents
    from indexer.extract import EXTRACTOR_VERSION, ExtractInput
    from indexer.extract.cache import ExtractionCache
    from indexer.read import read_source

    cache = ExtractionCache(settings.cache_dir, EXTRACTOR_VERSION)
    count = 0
    for path in list_documents(settings.corpus_dir):
        source = read_source(path, settings.corpus_dir)
        doc = {"id": source.meta.get("id", ""), "language": source.language, "title": source.title,
               "body": source.text, "cities": [], "organisations": source.meta.get("organisations") or []}
        item = ExtractInput(source.text, source.language, source.title, source.meta.get("date"))
        cache.put(item, corpus.generated_extraction(doc))
        count += 1
    return count


def measure(n: int, runs: int, cold: bool = True, workdir: Path | None = None,
            cold_runs: int = 1) -> dict:
    """Seconds per mode (lists, one per run), index bytes and changed-document counts."""
    corpus_dir = corpus.write_markdown(n, corpus.CACHE / f"md-{n}")
    base = Path(tempfile.mkdtemp(prefix=f"kb-bench-index-{n}-", dir=workdir))
    try:
        settings = load_settings({"corpus_dir": corpus_dir, "data_dir": base / "data"}, environ={})
        out: dict = {"docs": n, "cold": [], "warm": [], "unchanged": [], "incremental": []}
        for _ in range(cold_runs if cold else 0):
            shutil.rmtree(settings.data_dir, ignore_errors=True)
            seconds, report = _sync(settings)
            out["cold"].append(seconds)
            out["indexed"] = len(report.added)
            out["errors"] = len(report.errors)
        if not cold:   # the warm runs need a filled cache: filled once, untimed
            prefill_cache(settings)
        for _ in range(runs):
            shutil.rmtree(settings.index_dir, ignore_errors=True)
            seconds, report = _sync(settings)
            out["warm"].append(seconds)
            out["indexed"] = len(report.added)
            out["errors"] = len(report.errors)
        out["index_bytes"] = folder_bytes(settings.index_dir)
        for _ in range(runs):
            seconds, report = _sync(settings)
            out["unchanged"].append(seconds)
            out["unchanged_changed"] = report.changed
        victim = sorted(corpus_dir.rglob("*.md"))[n // 2]
        original = victim.read_bytes()
        try:
            for run in range(runs):
                victim.write_bytes(original + f"\nA sentence added by the benchmark, run {run}.\n".encode())
                seconds, report = _sync(settings)
                out["incremental"].append(seconds)
                out["incremental_changed"] = report.changed
        finally:
            victim.write_bytes(original)
            _sync(settings)
        out["index_bytes_after"] = folder_bytes(settings.index_dir)
        out["fts"] = [_fts_seconds(n, base) for _ in range(runs)]
        out["fts_bytes"] = (base / "fts.sqlite").stat().st_size
        return out
    finally:
        shutil.rmtree(base, ignore_errors=True)


def run(sizes: Sequence[int] = (1_000, 10_000), runs: int = 3, cold_limit: int | None = None,
        runs_large: int = 1, cold_runs: int = 1) -> list[Table]:
    """One row per size and mode. ``cold_limit``: skip cold runs above that many documents.
    Cold runs (real extraction, minutes per thousand documents) run ``cold_runs`` times."""
    table = Table("index", "Indexing through kb.sync.sync_index (docs/s: median (min–max) of runs)",
                  ["docs", "mode", "runs", "docs/s", "seconds", "changed", "index MB", "vs FTS5 docs/s"])
    for n in sizes:
        n_runs = runs if n <= 1_000 else runs_large
        cold = cold_limit is None or n <= cold_limit
        result = measure(n, n_runs, cold=cold, cold_runs=cold_runs)
        if not cold:
            table.notes.append(f"{n:,}: cold run (real extraction) capped by the cold limit "
                               f"({cold_limit:,} documents); the warm runs read an extraction cache "
                               "pre-filled with generated extractions")
        fts_rate = n / Spread.of(result["fts"]).median
        for mode in ("cold", "warm", "unchanged", "incremental"):
            seconds = result[mode]
            if not seconds:
                continue
            processed = n if mode in ("cold", "warm") else result.get(f"{mode}_changed", 0)
            rates = Spread.of([n / s for s in seconds]) if processed == n else None
            size = result["index_bytes"] if mode in ("cold", "warm") else result["index_bytes_after"]
            table.add(n, mode, len(seconds), rates.text(1) if rates else "–",
                      Spread.of(seconds).text(2), processed, round(size / MB, 1),
                      ratio(rates.median, fts_rate) if rates else "–",
                      docs=n, mode=mode, seconds=seconds, changed=processed,
                      docs_per_s=rates.median if rates else None, index_bytes=size,
                      errors=result.get("errors", 0))
        fts_spread = Spread.of([n / s for s in result["fts"]])
        table.add(n, "SQLite FTS5 (same docs, no NLP)", len(result["fts"]), fts_spread.text(1),
                  Spread.of(result["fts"]).text(2), n, round(result["fts_bytes"] / MB, 1), "1.0×",
                  docs=n, mode="fts5", seconds=result["fts"], changed=n,
                  docs_per_s=fts_spread.median, index_bytes=result["fts_bytes"], errors=0)
    table.notes.append("unchanged and incremental runs work on an up-to-date index of the same size; "
                       "'changed' is what the run re-indexed")
    return [table]
