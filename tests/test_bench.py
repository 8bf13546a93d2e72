"""The benchmarks run end to end on a tiny generated corpus: tables have the expected rows
and columns and sane counts. Timings are never asserted (DESIGN.md: speed is measured in
bench/, not in tests)."""
from __future__ import annotations

import json

import pytest

from bench import corpus
from bench.report import Spread, Table, percentile, write_results

TINY = 30


@pytest.fixture(autouse=True)
def bench_cache(tmp_path, monkeypatch):
    try:
        corpus.generator_path()
    except corpus.GeneratorMissing:
        pytest.skip("shared/tools/gen_corpus.py is not beside this checkout")
    monkeypatch.setattr(corpus, "CACHE", tmp_path / "cache")
    return tmp_path / "cache"


@pytest.fixture
def built(tmp_path):
    from bench.indexes import query_index
    return query_index(TINY, root=tmp_path / "indexes", procs=1)


@pytest.fixture
def fts_built(tmp_path):
    from bench.indexes import fts_index
    return fts_index(TINY, root=tmp_path / "indexes")


def test_generated_records_have_facets():
    records = list(corpus.records(TINY))
    assert len(records) == TINY and len({r.id for r in records}) == TINY
    assert all(r.body and r.language in ("fr", "en") for r in records)
    assert any(r.extraction.cities for r in records)
    assert any(r.translation_key for r in records)


def test_query_set_is_varied_and_deterministic():
    from bench.queries import MIX, query_set
    queries = query_set(sample_docs=TINY, scale=0.1)
    assert {q.kind for q in queries} == set(MIX)
    assert queries == query_set(sample_docs=TINY, scale=0.1)
    assert all(q.fts or q.kind == "browse" for q in queries)
    assert all(q.url().startswith("/search?q=") for q in queries)
    assert any(q.page == 5 for q in queries) and any(q.filters for q in queries)


def test_query_bench_tables(tmp_path):
    from bench import query
    latency, kinds, sizes, served = query.run(sizes=(TINY,), runs=1, scale=0.1, root=tmp_path / "indexes")
    assert latency.columns == ["docs", "engine", "queries", "p50", "p95", "p99", "max", "p95 vs FTS5",
                               "CPU p50", "CPU p95"]
    assert latency.column("engine") == ["tantivy in-process", "tantivy over HTTP", "whoosh in-process",
                                        "whoosh over HTTP", "SQLite FTS5"]
    assert len(set(latency.column("queries"))) == 1 and latency.column("queries")[0] >= 7
    for row in latency.data:
        assert 0 < row["p50"] <= row["p95"] <= row["p99"] <= row["max"]
    assert kinds.column("kind") and sum(kinds.column("queries")) == latency.column("queries")[0]
    assert kinds.columns[2:] == ["tantivy p50", "tantivy p95", "whoosh p50", "whoosh p95", "FTS5 p50", "FTS5 p95"]
    assert sizes.column("engine") == ["tantivy", "whoosh", "SQLite FTS5"]
    assert all(mb > 0 for mb in sizes.column("size MB"))
    assert any("first search" in note for note in latency.notes)
    assert served.column("engine") == ["tantivy", "whoosh"]
    assert all(row["rss_mb"] > 0 and row["startup_s"] > 0 for row in served.data)


def test_fts_baseline_counts_facets(fts_built):
    from bench.fts import FtsSearcher
    from bench.queries import BenchQuery
    searcher = FtsSearcher(fts_built.path)
    try:
        everything = searcher.search(BenchQuery("browse", "", ""))
        assert everything["total"] == TINY and len(everything["hits"]) == 10
        assert sum(count for _, count in everything["facets"]["language"]) == TINY
        french = searcher.search(BenchQuery("browse", "", "", (("language", "fr"),)))
        assert 0 < french["total"] < TINY
        # a selected facet counts without its own filter
        assert dict(french["facets"]["language"]) == dict(everything["facets"]["language"])
    finally:
        searcher.close()


def test_load_bench_has_no_errors(built):
    from bench import load
    (table,) = load.run(docs=TINY, clients=2, duration=1.0, threads=2, built=built, scale=0.1,
                        workers=(1, 2))
    assert table.column("kind") == ["all", "search", "facets", "document"] * 2
    assert table.column("processes") == [1] * 4 + [2] * 4
    for processes in (1, 2):
        rows = {row["kind"]: row for row in table.data if row["processes"] == processes}
        assert rows["all"]["requests"] > 0
        assert rows["all"]["requests"] == sum(rows[k]["requests"] for k in ("search", "facets", "document"))
        assert rows["all"]["pss_mb"] > 0
    assert all(row["errors"] == 0 for row in table.data)


def test_index_bench_modes(monkeypatch):
    from bench import index
    (table,) = index.run(sizes=(TINY,), runs=1, cold_limit=0)
    assert table.column("mode") == ["warm", "unchanged", "incremental"] * 2 + ["same docs, no NLP"]
    assert table.column("engine") == ["tantivy"] * 3 + ["whoosh"] * 3 + ["SQLite FTS5"]
    for engine in ("tantivy", "whoosh"):
        rows = {row["mode"]: row for row in table.data if row["engine"] == engine}
        assert rows["warm"]["changed"] == TINY
        assert rows["unchanged"]["changed"] == 0
        assert rows["incremental"]["changed"] == 1
        assert rows["warm"]["index_bytes"] > 0
    assert all(row["errors"] == 0 for row in table.data)
    assert any("capped" in note for note in table.notes)


@pytest.mark.slow
def test_extract_bench_compares_with_full_spacy():
    from bench import extract
    (table,) = extract.run(docs=2, runs=1)
    assert "spaCy full pipeline" in table.column("pipeline")
    assert "kb extract_batch" in table.column("pipeline")
    assert all(row["peak_mb"] > 0 and row["tokens"] > 0 for row in table.data)


def test_tables_render_and_write_json(tmp_path):
    table = Table("t", "A table", ["name", "value"])
    table.add("a", 1.25)
    table.notes.append("a note")
    text = table.render()
    assert "| name | value |" in text and "| a    | 1.2   |" in text and "- a note" in text
    path = write_results("t", [table], {"cpus": 2}, {"quick": True}, folder=tmp_path)
    saved = json.loads(path.read_text())
    assert saved["tables"][0]["rows"] == [["a", 1.25]] and (tmp_path / "t-latest.json").is_file()


def test_statistics():
    assert percentile([5, 1, 3, 2, 4], 50) == 3
    assert percentile(list(range(1, 101)), 95) == 95
    spread = Spread.of([3.0, 1.0, 2.0])
    assert (spread.median, spread.low, spread.high) == (2.0, 1.0, 3.0)
    assert spread.text() == "2.0 (1.0–3.0)"


def test_generated_pdf_pages_carry_a_word_of_their_own():
    from bench.upload import LINES_PER_PAGE, pdf_pages
    pages, marker = pdf_pages(0, 3)
    other_pages, other = pdf_pages(1, 3)
    assert len(pages) == 3 and all(len(page.split("\n")) <= LINES_PER_PAGE for page in pages)
    assert marker in pages[-1] and marker != other and marker not in "".join(other_pages)


def test_upload_bench_finds_each_published_pdf(built):
    from bench import upload
    (table,) = upload.run(docs=TINY, pages=2, runs=2, built=built)
    kb, fts = table.data
    assert table.column("engine")[0] == "tantivy (web app)" and fts["engine"] == "fts5"
    assert len(kb["totals"]) == 2 and all(total > 0 for total in kb["totals"])
    assert set(kb["first"]) == {"upload", "review", "publish", "search"}
    assert len(fts["seconds"]) == 2


@pytest.mark.typesense
def test_cluster_bench_tables(tmp_path):
    """bench cluster on one node (three nodes and failover: tests/typesense/test_faults.py)."""
    from bench import cluster
    build, latency, memory, failover = cluster.run(sizes=(TINY,), nodes=(1,), runs=1, scale=0.05,
                                                   embedded=(TINY,), root=tmp_path / "indexes")
    assert build.column("engine") == ["tantivy (embedded)", "typesense, 1 node"]
    assert latency.column("engine") == ["tantivy (embedded)", "typesense, 1 node"]
    assert memory.data[0]["nodes"] and all(mb > 0 for mb in memory.data[0]["nodes"].values())
    assert failover.data == []
