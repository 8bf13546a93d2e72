"""The Typesense engine on a local cluster of 1 and 3 nodes beside the embedded engine:
build throughput (Records with generated extractions written through
``kb.index.Index.write``, analysis included), query latency with every facet counted (the
query set of ``bench query``, in-process through ``kb.search.search``), resident memory
of each node, and, on 3 nodes, failover: the leader killed with SIGKILL during a stream
of searches and writes (time to a new leader, to the first write accepted, searches that
failed).

    python -m bench cluster [--sizes 10000,100000] [--runs 1]

Every node is on 127.0.0.1 (free ports), its data under bench/.cache/cluster/, stopped at
the end of each measurement. The embedded engine's figures (the default, tantivy) come from the same
run at the sizes given with ``--embedded`` (default: 10,000; its 100k index takes about
35 minutes to build once)."""
from __future__ import annotations

import dataclasses
import secrets
import shutil
import socket
import threading
import time
from pathlib import Path
from typing import Sequence

from kb.config import load_settings
from kb.index import IndexUnavailableError, open_index
from kb.index.typesense.cluster import PORT_STEP, LocalCluster
from kb.search import SearchRequest, search

from . import corpus
from .indexes import query_index
from .queries import query_set
from .query import time_queries
from .report import Table


def _free_base(nodes: int) -> int:
    for _ in range(200):
        base = 30000 + secrets.randbelow(2000) * PORT_STEP + 8
        try:
            for i in range(nodes):
                for port in (base + PORT_STEP * i, base - 1 + PORT_STEP * i):
                    with socket.socket() as probe:
                        probe.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise RuntimeError("no free ports")


def _process_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def failover(cluster: LocalCluster, store, settings, seconds_after: float = 3.0) -> dict:
    """Kill the leader during searches and writes; what the clients saw."""
    stop = threading.Event()
    seen = {"ok": 0, "failed": 0, "gap": 0.0, "writes": []}

    def searching():
        last = time.monotonic()
        while not stop.is_set():
            try:
                search(store, SearchRequest(query="haine", page_size=5))
                seen["ok"] += 1
                seen["gap"] = max(seen["gap"], time.monotonic() - last)
                last = time.monotonic()
            except IndexUnavailableError:
                seen["failed"] += 1
            time.sleep(0.01)

    def writing():
        n = 0
        for record in corpus.records(200, seed=99):
            if stop.is_set():
                break
            record = dataclasses.replace(record, id=f"failover-{n}", path=f"failover-{n}.md")
            with store.write() as writer:
                writer.put(record)
            seen["writes"].append(time.monotonic())
            n += 1
            time.sleep(0.05)

    threads = [threading.Thread(target=searching), threading.Thread(target=writing)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)
    leader = cluster.leader()
    killed = time.monotonic()
    cluster.kill(leader)
    new = None
    while new is None and time.monotonic() - killed < 60:
        new = cluster.leader()
        time.sleep(0.02)
    elected = time.monotonic() - killed
    time.sleep(seconds_after)
    stop.set()
    for thread in threads:
        thread.join(120)
    back = min((t - killed for t in seen["writes"] if t > killed), default=float("nan"))
    cluster.start_node(leader, fresh=True)
    return {"elected_s": elected, "write_back_s": back, "searches_ok": seen["ok"],
            "searches_failed": seen["failed"], "longest_gap_s": seen["gap"]}


def run(sizes: Sequence[int] = (10_000, 100_000), nodes: Sequence[int] = (1, 3), runs: int = 1,
        scale: float = 0.5, embedded: Sequence[int] = (10_000,), root=None) -> list[Table]:
    queries = query_set(sample_docs=min(2000, max(sizes)), scale=scale)
    build = Table("cluster-build", "Build: Records with generated extractions through Index.write "
                  "(analysis included), one transaction", ["docs", "engine", "seconds", "docs/s"])
    latency = Table("cluster-query", f"Query latency in-process, {len(queries)} queries with all facet "
                    f"counts (ms; median of {runs} runs)", ["docs", "engine", "p50", "p95", "p99", "max"])
    memory = Table("cluster-memory", "Resident memory after the queries (MiB)",
                   ["docs", "engine", "per node", "all nodes", "client process"])
    faults = Table("cluster-failover", "3 nodes: the leader killed (SIGKILL) during searches and writes",
                   ["docs", "new leader after s", "first write after s", "searches ok", "searches failed",
                    "longest search gap s"])
    cache = corpus.CACHE / "cluster"
    for n in sizes:
        if n in embedded:
            built = query_index(n, root=root)
            store = open_index(built.settings)
            try:
                lat = time_queries(lambda q: search(store, q.request()), queries, runs)
            finally:
                store.close()
            label = f"{built.engine} (embedded)"
            build.add(n, label, round(built.seconds, 1), round(n / built.seconds, 1))
            latency.add(n, label, round(lat.p(50), 1), round(lat.p(95), 1), round(lat.p(99), 1),
                        round(max(lat.ms), 1), docs=n, engine=built.engine, p50=lat.p(50), p95=lat.p(95))
        for k in nodes:
            folder = cache / f"{n}-{k}"
            shutil.rmtree(folder, ignore_errors=True)
            cluster = LocalCluster(folder, k, base_port=_free_base(k))
            label = f"typesense, {k} node{'s' if k > 1 else ''}"
            try:
                cluster.start(wait=120)
                settings = load_settings({"corpus_dir": folder / "corpus", "data_dir": folder / "kb",
                                          "engine": "typesense", "typesense_nodes": cluster.addresses,
                                          "typesense_api_key": cluster.api_key, "typesense_collection": "bench",
                                          "typesense_timeout": 10.0, "typesense_write_timeout": 120.0},
                                         environ={})
                store = open_index(settings)
                started = time.perf_counter()
                with store.write(clear=True, bulk=True) as writer:
                    for record in corpus.records(n):
                        writer.put(record)
                seconds = time.perf_counter() - started
                build.add(n, label, round(seconds, 1), round(n / seconds, 1))
                lat = time_queries(lambda q: search(store, q.request()), queries, runs)
                latency.add(n, label, round(lat.p(50), 1), round(lat.p(95), 1), round(lat.p(99), 1),
                            round(max(lat.ms), 1), docs=n, engine=label, p50=lat.p(50), p95=lat.p(95))
                resident = cluster.resident_mb()
                memory.add(n, label, " / ".join(f"{mb:,.0f}" for mb in resident.values()),
                           round(sum(resident.values())), round(_process_mb()), docs=n, engine=label,
                           nodes=resident)
                if k >= 3:
                    seen = failover(cluster, store, settings)
                    faults.add(n, round(seen["elected_s"], 2), round(seen["write_back_s"], 2),
                               seen["searches_ok"], seen["searches_failed"], round(seen["longest_gap_s"], 2),
                               **seen)
                store.close()
            finally:
                cluster.stop()
                shutil.rmtree(folder, ignore_errors=True)
    latency.notes.append("the same query set and kb.search code for every engine; Typesense over HTTP "
                         "on 127.0.0.1 (one multi_search per search, plus the grouped versions)")
    return [build, latency, memory, faults]
