"""Query latency: p50/p95/p99 over a varied query set, every query with all facet counts
(``kb.search.search`` always computes them), in-process and through HTTP on the served
app, against SQLite FTS5 on the same documents and queries."""
from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from typing import Callable, Sequence

from kb.index import open_index
from kb.search import search
from kb.translation import use_data_folder as use_translation_folder

from . import fts
from .indexes import BuiltIndex, query_index
from .queries import BenchQuery, query_set
from .report import Table, percentile, ratio
from .server import Server, fetch

MB = 1024 * 1024


@dataclass
class Latencies:
    """Milliseconds per query (the median of its runs), in query-set order."""
    ms: list[float]

    def p(self, q: float) -> float:
        return percentile(self.ms, q)


def time_queries(run: Callable[[BenchQuery], object], queries: Sequence[BenchQuery],
                 runs: int) -> Latencies:
    """Each query's median over ``runs`` passes, after one warm-up pass."""
    for query in queries:
        run(query)
    samples: list[list[float]] = [[] for _ in queries]
    for _ in range(runs):
        for i, query in enumerate(queries):
            started = time.perf_counter()
            run(query)
            samples[i].append((time.perf_counter() - started) * 1000)
    return Latencies([statistics.median(s) for s in samples])


def first_search_ms(built: BuiltIndex, query: BenchQuery) -> float:
    """Opening the index and answering one search in a fresh store (per-generation tables built)."""
    store = open_index(built.settings)
    try:
        started = time.perf_counter()
        search(store, query.request())
        return (time.perf_counter() - started) * 1000
    finally:
        store.close()


def measure(built: BuiltIndex, queries: Sequence[BenchQuery], runs: int,
            http: bool = True) -> dict[str, Latencies | float]:
    use_translation_folder(built.settings.data_dir)   # as kb and the web app: the compiled dictionary
    out: dict[str, Latencies | float] = {"first_ms": first_search_ms(built, queries[0])}
    store = open_index(built.settings)
    try:
        out["kb"] = time_queries(lambda q: search(store, q.request()), queries, runs)
    finally:
        store.close()
    searcher = fts.FtsSearcher(built.fts_path)
    try:
        out["fts"] = time_queries(searcher.search, queries, runs)
    finally:
        searcher.close()
    if http:
        with Server(built.settings) as server:
            out["startup_s"] = server.started_s
            conn = server.connection()

            def get(query: BenchQuery) -> None:
                status, _ = fetch(conn, query.url())
                if status != 200:
                    raise RuntimeError(f"{query.url()}: HTTP {status}")
            try:
                out["http"] = time_queries(get, queries, runs)
            finally:
                conn.close()
    return out


def run(sizes: Sequence[int] = (10_000, 100_000), runs: int = 3, scale: float = 1.0,
        http: bool = True, root=None) -> list[Table]:
    """The latency table (one row per index size and engine) and a per-kind breakdown."""
    queries = query_set(sample_docs=min(2000, max(sizes)), scale=scale)
    latency = Table("query", f"Query latency, {len(queries)} queries with all facet counts "
                    f"(ms; each query's median of {runs} runs)",
                    ["docs", "engine", "queries", "p50", "p95", "p99", "max", "p95 vs FTS5"])
    sizes_table = Table("index-size", "Index size and build (no NLP: Records with generated extractions)",
                        ["docs", "engine", "build s", "docs/s", "size MB", "size vs FTS5"])
    kinds = Table("query-kinds", f"Latency by kind of query at {max(sizes):,} documents (ms)",
                  ["kind", "queries", "kb p50", "kb p95", "FTS5 p50", "FTS5 p95", "p95 vs FTS5"])
    startup = {}
    for n in sizes:
        built = query_index(n, root=root)
        for engine, seconds, size in (("whoosh (kb)", built.whoosh_seconds, built.whoosh_bytes()),
                                      ("SQLite FTS5", built.fts_seconds, built.fts_bytes())):
            sizes_table.add(n, engine, round(seconds, 1), round(n / seconds, 1), round(size / MB, 1),
                            ratio(size, built.fts_bytes()))
        if built.reused:
            sizes_table.notes.append(f"{n:,}: index reused from bench/.cache (build figures from when it was built)")
        result = measure(built, queries, runs, http=http)
        fts_lat = result["fts"]
        for label, key in (("kb in-process", "kb"), ("kb over HTTP", "http"), ("SQLite FTS5", "fts")):
            if key not in result:
                continue
            lat = result[key]
            latency.add(n, label, len(lat.ms), round(lat.p(50), 1), round(lat.p(95), 1),
                        round(lat.p(99), 1), round(max(lat.ms), 1), ratio(lat.p(95), fts_lat.p(95)),
                        docs=n, engine=label, queries=len(lat.ms), p50=lat.p(50), p95=lat.p(95),
                        p99=lat.p(99), max=max(lat.ms), ms=lat.ms)
        startup[n] = result
        if n == max(sizes):
            for kind in dict.fromkeys(q.kind for q in queries):
                picked = [i for i, q in enumerate(queries) if q.kind == kind]
                kb_ms = [result["kb"].ms[i] for i in picked]
                fts_ms = [fts_lat.ms[i] for i in picked]
                kinds.add(kind, len(picked), round(percentile(kb_ms, 50), 1), round(percentile(kb_ms, 95), 1),
                          round(percentile(fts_ms, 50), 1), round(percentile(fts_ms, 95), 1),
                          ratio(percentile(kb_ms, 95), percentile(fts_ms, 95)))
    for n, result in startup.items():
        line = f"{n:,} docs: first search in a fresh process {result['first_ms']:,.0f} ms"
        if "startup_s" in result:
            line += f"; server launch to first search answered {result['startup_s']:.1f} s"
        latency.notes.append(line)
    latency.notes.append("kb: whoosh-reloaded with stemming, cross-language expansion, grouping, "
                         "passages and snippets; FTS5: unicode61 tokenizer, no stemming, snippet()")
    return [latency, kinds, sizes_table]
