"""``python -m bench {extract,index,query,load,upload,all} [--quick]``: run benchmarks, print
tables (header: machine and versions), write JSON to bench/results/."""
from __future__ import annotations

import argparse
import sys
import time

from .report import header_line, machine, write_results

# Full runs, and --quick runs (a couple of minutes in all once the generated files exist).
PLANS = {
    "full": {"extract": {"docs": 60, "runs": 3},
             "index": {"sizes": (1_000, 10_000), "runs": 3, "cold_limit": None},
             "query": {"sizes": (1_000, 10_000, 100_000), "runs": 3, "scale": 1.0},
             "load": {"docs": 10_000, "clients": 20, "duration": 60.0},
             "upload": {"docs": 10_000, "pages": 20, "runs": 3},
             "cluster": {"sizes": (10_000, 100_000), "runs": 1, "scale": 0.5}},
    "quick": {"extract": {"docs": 20, "runs": 1},
              "index": {"sizes": (300,), "runs": 1, "cold_limit": None},
              "query": {"sizes": (2_000,), "runs": 1, "scale": 0.5},
              "load": {"docs": 2_000, "clients": 20, "duration": 10.0},
              "upload": {"docs": 2_000, "pages": 20, "runs": 1},
              "cluster": {"sizes": (2_000,), "runs": 1, "scale": 0.25, "embedded": (2_000,)}},
}
CAPPED = ("--quick caps: extraction on 20 documents, indexing 300 documents (no 1k/10k runs), "
          "queries on a 2,000-document index (no 10k/100k) with 110 queries and 1 run, "
          "load test 10 s on 2,000 documents, one upload to 2,000 documents")


def _run(name: str, options: dict):
    if name == "extract":
        from . import extract
        return extract.run(**options)
    if name == "index":
        from . import index
        return index.run(**options)
    if name == "query":
        from . import query
        return query.run(**options)
    if name == "load":
        from . import load
        return load.run(**options)
    if name == "upload":
        from . import upload
        return upload.run(**options)
    if name == "cluster":
        from . import cluster
        return cluster.run(**options)
    raise ValueError(name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("what", choices=(*PLANS["full"], "all"))
    parser.add_argument("--quick", action="store_true", help="small sizes, one run: a couple of minutes")
    parser.add_argument("--runs", type=int, help="runs per measurement (median and min–max)")
    parser.add_argument("--sizes", type=lambda s: tuple(int(x) for x in s.split(",")),
                        help="document counts for index/query, e.g. 1000,10000")
    parser.add_argument("--duration", type=float, help="load test seconds")
    parser.add_argument("--clients", type=int, help="load test client threads")
    parser.add_argument("--nodes", type=lambda s: tuple(int(x) for x in s.split(",")),
                        help="cluster: Typesense cluster sizes, e.g. 1,3")
    parser.add_argument("--cold-limit", type=int,
                        help="index: skip cold runs (real extraction) above this many documents")
    parser.add_argument("--engines", type=lambda s: tuple(s.split(",")),
                        help="index, query, load, upload: these engines only, e.g. tantivy")
    parser.add_argument("--workers", type=lambda s: tuple(int(x) for x in s.split(",")),
                        help="load: worker processes to try for each engine, e.g. 1,2")
    args = parser.parse_args(argv)
    plan = PLANS["quick" if args.quick else "full"]
    names = tuple(PLANS["full"]) if args.what == "all" else (args.what,)
    info = machine()
    print(f"# Benchmarks ({'quick' if args.quick else 'full'}): {header_line(info)}\n")
    if args.quick:
        print(f"{CAPPED}\n")
    status = 0
    for name in names:
        options = dict(plan[name])
        if args.runs and name != "load":
            options["runs"] = args.runs
        if args.sizes and name in ("index", "query", "cluster"):
            options["sizes"] = args.sizes
        if args.sizes and name in ("load", "upload"):
            options["docs"] = args.sizes[0]
        if args.duration and name == "load":
            options["duration"] = args.duration
        if args.clients and name == "load":
            options["clients"] = args.clients
        if args.nodes and name == "cluster":
            options["nodes"] = args.nodes
        if args.cold_limit is not None and name == "index":
            options["cold_limit"] = args.cold_limit
        if args.engines and name in ("index", "query", "load", "upload"):
            options["engines"] = args.engines
        if args.workers and name == "load":
            options["workers"] = args.workers
        started = time.perf_counter()
        tables = _run(name, options)
        for table in tables:
            print(table.render())
        path = write_results(name, tables, info, {**options, "quick": args.quick})
        print(f"({name}: {time.perf_counter() - started:.0f} s; {path.relative_to(path.parents[2])})\n",
              flush=True)
        if name == "load" and any(row["errors"] for row in tables[0].data):
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
