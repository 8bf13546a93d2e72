"""A bounded load test of the served app, on loopback only: N client threads (kept-alive
http.client connections) for a fixed time, on a mix of searches, facet browsing and
document pages. Reports requests/s, latency percentiles and errors (which must be 0)."""
from __future__ import annotations

import http.client
import random
import sys
import threading
import time
from typing import Sequence
from urllib.parse import quote

from kb.index import EMBEDDED_ENGINES

from . import corpus
from .indexes import BuiltIndex, query_index
from .queries import BenchQuery, query_set
from .report import Table, percentile
from .server import Server, fetch

MAX_REQUESTS_PER_CLIENT = 100_000   # a bound besides time


def request_mix(queries: Sequence[BenchQuery], doc_ids: Sequence[str], seed: int = 11,
                size: int = 1000) -> list[tuple[str, str]]:
    """(kind, path): 60% searches, 20% facet browsing (filters, empty or common query), 20% documents."""
    rng = random.Random(seed)
    searches = [q.url() for q in queries if q.query]
    facets = [q.url() for q in queries if q.filters]
    out = []
    for _ in range(size):
        roll = rng.random()
        if roll < 0.6:
            out.append(("search", rng.choice(searches)))
        elif roll < 0.8:
            out.append(("facets", rng.choice(facets)))
        else:
            out.append(("document", "/documents/" + quote(rng.choice(doc_ids))))
    return out


def hammer(server: Server, mix: list[tuple[str, str]], clients: int, duration: float) -> dict:
    """Run ``clients`` threads for ``duration`` seconds; every latency and error recorded."""
    deadline = time.perf_counter() + duration
    latencies: dict[str, list[float]] = {"search": [], "facets": [], "document": []}
    errors: list[str] = []
    lock = threading.Lock()

    def client(number: int) -> None:
        rng = random.Random(number)
        conn = server.connection(timeout=60)
        mine: dict[str, list[float]] = {k: [] for k in latencies}
        my_errors: list[str] = []
        try:
            for _ in range(MAX_REQUESTS_PER_CLIENT):
                if time.perf_counter() >= deadline:
                    break
                kind, path = rng.choice(mix)
                started = time.perf_counter()
                try:
                    status, _ = fetch(conn, path)
                except (OSError, http.client.HTTPException) as exc:
                    my_errors.append(f"{path}: {exc!r}")
                    conn.close()
                    conn = server.connection(timeout=60)
                    continue
                mine[kind].append((time.perf_counter() - started) * 1000)
                if status != 200:
                    my_errors.append(f"{path}: HTTP {status}")
        finally:
            conn.close()
            with lock:
                for kind, values in mine.items():
                    latencies[kind].extend(values)
                errors.extend(my_errors)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + 120)
    return {"elapsed": time.perf_counter() - started, "latencies": latencies, "errors": errors}


# Worker processes per engine: tantivy's index is shared by processes (memory-mapped),
# Whoosh's is copied into each searcher of each process.
WORKERS = {"tantivy": (1, 2), "whoosh": (1,)}


def run(docs: int = 10_000, clients: int = 20, duration: float = 60.0, threads: int = 8,
        built: BuiltIndex | None = None, scale: float = 1.0, engines: Sequence[str] = EMBEDDED_ENGINES,
        workers: Sequence[int] | None = None) -> list[Table]:
    """One load test per engine and number of worker processes (``WORKERS``, or
    ``workers`` for every engine); ``built``: that index only."""
    queries = query_set(sample_docs=min(2000, docs), scale=scale)
    doc_ids = [d["id"] for d in corpus.documents(min(docs, 5000))]
    mix = request_mix(queries, doc_ids)
    table = Table("load", f"Load test: {clients} clients for {duration:g} s on 127.0.0.1, "
                  f"{docs:,} documents, Waitress with {threads} threads per process (latency in ms)",
                  ["engine", "processes", "kind", "requests", "requests/s", "p50", "p95", "p99", "errors"])
    for engine in ([built.engine] if built else engines):
        index = built or query_index(docs, engine)
        for processes in (workers or WORKERS.get(engine, (1,))):
            with Server(index.settings, threads=threads, workers=processes) as server:
                result = hammer(server, mix, clients, duration)
                rss, pss = server.rss_mb(), server.pss_mb()
                startup = server.started_s
                server_log = server.errors() if result["errors"] else ""
            elapsed = result["elapsed"]
            every = [ms for values in result["latencies"].values() for ms in values]
            for kind, values in [("all", every), *result["latencies"].items()]:
                errors = len(result["errors"]) if kind == "all" else sum(
                    1 for e in result["errors"] if _kind_of(e, mix) == kind)
                table.add(engine, processes, kind, len(values), round(len(values) / elapsed, 1),
                          round(percentile(values, 50), 1), round(percentile(values, 95), 1),
                          round(percentile(values, 99), 1), errors,
                          engine=engine, processes=processes, kind=kind, requests=len(values),
                          rps=len(values) / elapsed, p50=percentile(values, 50),
                          p95=percentile(values, 95), p99=percentile(values, 99), errors=errors,
                          rss_mb=rss, pss_mb=pss, startup_s=startup)
            table.notes.append(f"{engine}, {processes} process(es): launch to first search answered "
                               f"{startup:.1f} s; memory after the test {rss:,.0f} MiB resident "
                               f"({pss:,.0f} MiB proportional: pages shared by processes counted once)")
            if result["errors"]:
                table.notes.append(f"{engine}, {processes} process(es), first errors: "
                                   + "; ".join(result["errors"][:3]))
                print(f"server log (end):\n{server_log}", file=sys.stderr)
    return [table]


def _kind_of(error: str, mix: list[tuple[str, str]]) -> str:
    path = error.split(": ", 1)[0]
    return next((kind for kind, p in mix if p == path), "search")
