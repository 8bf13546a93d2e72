"""``python -m bench.profile [DOCS] [KIND,...] [ENGINE]``: where a search spends its time.

Runs the benchmark queries (optionally only some kinds) on the cached DOCS-document index
of ENGINE (default: the default engine) under pyinstrument (a dev dependency) and prints
the call tree: the evidence behind the speed-ups in the search code and behind what is left.
"""
from __future__ import annotations

import sys
import time


def main(argv: list[str]) -> None:
    from pyinstrument import Profiler

    from kb.index import open_index
    from kb.search import search

    from .indexes import query_index
    from .queries import query_set

    from kb.config import ENGINES

    docs = int(argv[0]) if argv else 10_000
    kinds = set(argv[1].split(",")) if len(argv) > 1 and argv[1] != "all" else None
    engine = argv[2] if len(argv) > 2 else ENGINES[0]
    queries = [q for q in query_set(sample_docs=min(2000, docs)) if not kinds or q.kind in kinds]
    store = open_index(query_index(docs, engine).settings)
    for query in queries:            # warm: searcher, facet tables, lookups
        search(store, query.request())
    profiler = Profiler(interval=0.001)
    started = time.perf_counter()
    profiler.start()
    for query in queries:
        search(store, query.request())
    profiler.stop()
    elapsed = (time.perf_counter() - started) * 1000 / len(queries)
    print(f"{len(queries)} queries on {docs:,} documents ({engine}): {elapsed:.1f} ms a query under the profiler")
    print(profiler.output_text(unicode=True, color=False))
    store.close()


if __name__ == "__main__":
    main(sys.argv[1:])
