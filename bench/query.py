"""Query latency: p50/p95/p99 over a varied query set, every query with all facet counts
(``kb.search.search`` always computes them), in-process and through HTTP on the served
app, for each engine, against SQLite FTS5 on the same documents and queries; the served
app's launch-to-first-search and memory."""
from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from typing import Callable, Sequence

from kb.index import EMBEDDED_ENGINES, open_index
from kb.search import search
from kb.translation import use_data_folder as use_translation_folder

from . import fts
from .indexes import BuiltIndex, fts_index, query_index
from .queries import BenchQuery, query_set
from .report import Table, percentile, ratio
from .server import Server, fetch

MB = 1024 * 1024


@dataclass
class Latencies:
    """Milliseconds per query (the median of its runs), in query-set order; and the CPU
    time of the thread that ran it (in-process: what other work on the machine does not
    inflate, since the engines search in the calling thread)."""
    ms: list[float]
    cpu_ms: list[float]

    def p(self, q: float) -> float:
        return percentile(self.ms, q)

    def cpu(self, q: float) -> float:
        return percentile(self.cpu_ms, q)


def time_queries(run: Callable[[BenchQuery], object], queries: Sequence[BenchQuery],
                 runs: int) -> Latencies:
    """Each query's median over ``runs`` passes, after one warm-up pass."""
    for query in queries:
        run(query)
    samples: list[list[float]] = [[] for _ in queries]
    cpu: list[list[float]] = [[] for _ in queries]
    for _ in range(runs):
        for i, query in enumerate(queries):
            started, thread = time.perf_counter(), time.thread_time()
            run(query)
            samples[i].append((time.perf_counter() - started) * 1000)
            cpu[i].append((time.thread_time() - thread) * 1000)
    return Latencies([statistics.median(s) for s in samples], [statistics.median(c) for c in cpu])


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
    """One engine's figures: in-process, and over HTTP on the served app."""
    use_translation_folder(built.settings.data_dir)   # as kb and the web app: the compiled dictionary
    out: dict[str, Latencies | float] = {"first_ms": first_search_ms(built, queries[0])}
    store = open_index(built.settings)
    try:
        out["kb"] = time_queries(lambda q: search(store, q.request()), queries, runs)
    finally:
        store.close()
    if http:
        with Server(built.settings) as server:
            out["startup_s"] = server.started_s
            out["start_rss_mb"] = server.rss_mb()
            conn = server.connection()

            def get(query: BenchQuery) -> None:
                status, _ = fetch(conn, query.url())
                if status != 200:
                    raise RuntimeError(f"{query.url()}: HTTP {status}")
            try:
                out["http"] = time_queries(get, queries, runs)
            finally:
                conn.close()
            out["rss_mb"] = server.rss_mb()
    return out


def measure_fts(path, queries: Sequence[BenchQuery], runs: int) -> Latencies:
    searcher = fts.FtsSearcher(path)
    try:
        return time_queries(searcher.search, queries, runs)
    finally:
        searcher.close()


def run(sizes: Sequence[int] = (10_000, 100_000), runs: int = 3, scale: float = 1.0,
        http: bool = True, root=None, engines: Sequence[str] = EMBEDDED_ENGINES) -> list[Table]:
    """The latency table (per index size: each engine, then FTS5), a per-kind breakdown at
    the largest size, index sizes and build times, and the served app's start and memory."""
    queries = query_set(sample_docs=min(2000, max(sizes)), scale=scale)
    latency = Table("query", f"Query latency, {len(queries)} queries with all facet counts "
                    f"(ms; each query's median of {runs} runs)",
                    ["docs", "engine", "queries", "p50", "p95", "p99", "max", "p95 vs FTS5",
                     "CPU p50", "CPU p95"])
    sizes_table = Table("index-size", "Index size and build (no NLP: Records with generated extractions, "
                        "one transaction, bulk writer)",
                        ["docs", "engine", "build s", "docs/s", "size MB", "size vs FTS5"])
    kinds = Table("query-kinds", f"Latency by kind of query at {max(sizes):,} documents (ms)",
                  ["kind", "queries", *[f"{e} {p}" for e in engines for p in ("p50", "p95")],
                   "FTS5 p50", "FTS5 p95"])
    served = Table("served", "The served app (Waitress, one process): launch to first search, "
                   "resident memory, first search in a fresh process",
                   ["docs", "engine", "launch to first search s", "RSS at start MiB",
                    "RSS after the queries MiB", "first search in-process ms"])
    for n in sizes:
        fts_built = fts_index(n, root=root)
        fts_lat = measure_fts(fts_built.path, queries, runs)
        results = {}
        for engine in engines:
            built = query_index(n, engine, root=root)
            sizes_table.add(n, engine, round(built.seconds, 1), round(n / built.seconds, 1),
                            round(built.bytes() / MB, 1), ratio(built.bytes(), fts_built.bytes()),
                            docs=n, engine=engine, seconds=built.seconds, bytes=built.bytes())
            if built.reused:
                sizes_table.notes.append(f"{n:,} {engine}: index reused from bench/.cache "
                                         "(build figures from when it was built)")
            results[engine] = result = measure(built, queries, runs, http=http)
            for label, key in (("in-process", "kb"), ("over HTTP", "http")):
                if key in result:
                    lat = result[key]
                    in_process = key == "kb"
                    latency.add(n, f"{engine} {label}", len(lat.ms), round(lat.p(50), 1),
                                round(lat.p(95), 1), round(lat.p(99), 1), round(max(lat.ms), 1),
                                ratio(lat.p(95), fts_lat.p(95)),
                                round(lat.cpu(50), 1) if in_process else "–",
                                round(lat.cpu(95), 1) if in_process else "–",
                                docs=n, engine=f"{engine} {label}",
                                queries=len(lat.ms), p50=lat.p(50), p95=lat.p(95), p99=lat.p(99),
                                max=max(lat.ms), ms=lat.ms, cpu_ms=lat.cpu_ms if in_process else None)
            if http:
                served.add(n, engine, round(result["startup_s"], 2), round(result["start_rss_mb"]),
                           round(result["rss_mb"]), round(result["first_ms"], 1), docs=n, engine=engine,
                           startup_s=result["startup_s"], start_rss_mb=result["start_rss_mb"],
                           rss_mb=result["rss_mb"], first_ms=result["first_ms"])
        latency.add(n, "SQLite FTS5", len(fts_lat.ms), round(fts_lat.p(50), 1), round(fts_lat.p(95), 1),
                    round(fts_lat.p(99), 1), round(max(fts_lat.ms), 1), "1.0×", round(fts_lat.cpu(50), 1),
                    round(fts_lat.cpu(95), 1), docs=n, engine="SQLite FTS5",
                    queries=len(fts_lat.ms), p50=fts_lat.p(50), p95=fts_lat.p(95), p99=fts_lat.p(99),
                    max=max(fts_lat.ms), ms=fts_lat.ms, cpu_ms=fts_lat.cpu_ms)
        sizes_table.add(n, "SQLite FTS5", round(fts_built.seconds, 1), round(n / fts_built.seconds, 1),
                        round(fts_built.bytes() / MB, 1), "1.0×", docs=n, engine="SQLite FTS5",
                        seconds=fts_built.seconds, bytes=fts_built.bytes())
        for engine, result in results.items():
            latency.notes.append(f"{n:,} docs, {engine}: first search in a fresh process "
                                 f"{result['first_ms']:,.0f} ms"
                                 + (f"; server launch to first search answered {result['startup_s']:.1f} s"
                                    if "startup_s" in result else ""))
        if n == max(sizes):
            for kind in dict.fromkeys(q.kind for q in queries):
                picked = [i for i, q in enumerate(queries) if q.kind == kind]
                cells = []
                for engine in engines:
                    ms = [results[engine]["kb"].ms[i] for i in picked]
                    cells += [round(percentile(ms, 50), 1), round(percentile(ms, 95), 1)]
                fts_ms = [fts_lat.ms[i] for i in picked]
                kinds.add(kind, len(picked), *cells, round(percentile(fts_ms, 50), 1),
                          round(percentile(fts_ms, 95), 1))
    latency.notes.append("kb: stemming, cross-language expansion, grouping, passages and snippets, "
                         "every facet counted; FTS5: unicode61 tokenizer, no stemming, snippet()")
    latency.notes.append("CPU: the CPU time of the thread that searched (in-process; every engine "
                         "searches in the calling thread), which other work on the machine does not "
                         "inflate as it does the elapsed time; see the load average in the header")
    return [latency, kinds, sizes_table, *([served] if http else [])]
