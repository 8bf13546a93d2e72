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
from kb.index import EMBEDDED_ENGINES, open_index
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
            cold_runs: int = 1, engines: Sequence[str] = EMBEDDED_ENGINES) -> dict:
    """Per engine, seconds per mode (lists, one per run), index bytes and changed-document
    counts; and FTS5's. The cold runs (extraction, whatever the engine) are the first
    engine's; the others start from the extraction cache it filled."""
    corpus_dir = corpus.write_markdown(n, corpus.CACHE / f"md-{n}")
    base = Path(tempfile.mkdtemp(prefix=f"kb-bench-index-{n}-", dir=workdir))
    try:
        out: dict = {"docs": n, "engines": {}}
        filled: Path | None = None
        for engine in engines:
            settings = load_settings({"corpus_dir": corpus_dir, "data_dir": base / engine,
                                      "engine": engine}, environ={})
            if filled is not None:
                shutil.copytree(filled, settings.cache_dir)
            result = out["engines"][engine] = _measure_engine(
                settings, n, runs, cold_runs if cold and filled is None else 0,
                prefill=not cold and filled is None)
            filled = filled or settings.cache_dir
            out["errors"] = result.get("errors", 0)
        out["fts"] = [_fts_seconds(n, base) for _ in range(runs)]
        out["fts_bytes"] = (base / "fts.sqlite").stat().st_size
        return out
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _measure_engine(settings, n: int, runs: int, cold_runs: int, prefill: bool) -> dict:
    corpus_dir = settings.corpus_dir
    out: dict = {"cold": [], "warm": [], "unchanged": [], "incremental": []}
    for _ in range(cold_runs):
        shutil.rmtree(settings.data_dir, ignore_errors=True)
        seconds, report = _sync(settings)
        out["cold"].append(seconds)
        out["indexed"] = len(report.added)
        out["errors"] = len(report.errors)
    if prefill:   # the warm runs need a filled cache: filled once, untimed
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
    return out


def run(sizes: Sequence[int] = (1_000, 10_000), runs: int = 3, cold_limit: int | None = None,
        runs_large: int = 1, cold_runs: int = 1, engines: Sequence[str] = EMBEDDED_ENGINES) -> list[Table]:
    """One row per size, engine and mode. ``cold_limit``: skip cold runs above that many
    documents. Cold runs (real extraction, minutes per thousand documents) run
    ``cold_runs`` times, with the first engine."""
    table = Table("index", "Indexing through kb.sync.sync_index (docs/s: median (min–max) of runs)",
                  ["docs", "engine", "mode", "runs", "docs/s", "seconds", "changed", "index MB",
                   "vs FTS5 docs/s"])
    for n in sizes:
        n_runs = runs if n <= 1_000 else runs_large
        cold = cold_limit is None or n <= cold_limit
        result = measure(n, n_runs, cold=cold, cold_runs=cold_runs, engines=engines)
        if not cold:
            table.notes.append(f"{n:,}: cold run (real extraction) capped by the cold limit "
                               f"({cold_limit:,} documents); the warm runs read an extraction cache "
                               "pre-filled with generated extractions")
        fts_rate = n / Spread.of(result["fts"]).median
        for engine, measured in result["engines"].items():
            for mode in ("cold", "warm", "unchanged", "incremental"):
                seconds = measured[mode]
                if not seconds:
                    continue
                processed = n if mode in ("cold", "warm") else measured.get(f"{mode}_changed", 0)
                rates = Spread.of([n / s for s in seconds]) if processed == n else None
                size = measured["index_bytes"] if mode in ("cold", "warm") else measured["index_bytes_after"]
                table.add(n, engine, mode, len(seconds), rates.text(1) if rates else "–",
                          Spread.of(seconds).text(2), processed, round(size / MB, 1),
                          ratio(rates.median, fts_rate) if rates else "–",
                          docs=n, engine=engine, mode=mode, seconds=seconds, changed=processed,
                          docs_per_s=rates.median if rates else None, index_bytes=size,
                          errors=measured.get("errors", 0))
        fts_spread = Spread.of([n / s for s in result["fts"]])
        table.add(n, "SQLite FTS5", "same docs, no NLP", len(result["fts"]), fts_spread.text(1),
                  Spread.of(result["fts"]).text(2), n, round(result["fts_bytes"] / MB, 1), "1.0×",
                  docs=n, engine="fts5", mode="fts5", seconds=result["fts"], changed=n,
                  docs_per_s=fts_spread.median, index_bytes=result["fts_bytes"], errors=0)
    table.notes.append("unchanged and incremental runs work on an up-to-date index of the same size; "
                       "'changed' is what the run re-indexed; warm: every file read, its extraction "
                       "read from the cache by content hash, indexed, one commit")
    return [table]
