"""Many threads searching one index at once (as the web app's threads do) get the
same answers as one thread alone (Whoosh: each thread reads with its own searcher;
tantivy: one searcher, shared)."""
from __future__ import annotations

import sys
import threading

import pytest

from kb.index import Index, open_index
from kb.search import SearchRequest, search, similar

QUERIES = ["radicalisation", '"strong cities"', "maire OR mayor", "haine -jeunes", "Bruxelles",
           "vivre-ensemble", "prévention extrémisme violent", "engag*", "city", "déclaration"]
THREADS, ROUNDS = 8, 4
# Typesense answers from its own server: the races to find are in the client's connections,
# which fewer requests show as well (each one costs more than ten times what it costs an embedded engine).
SERVER_THREADS, SERVER_ROUNDS = 4, 1


def _answer(store: Index, text: str) -> tuple:
    result = search(store, SearchRequest(query=text, page_size=20))
    return (result.total, [h.id for h in result.hits], [h.snippet for h in result.hits],
            {name: [(v.value, v.count) for v in values] for name, values in result.facets.items()})


@pytest.mark.every_engine
def test_threads_searching_together_get_the_answers_of_one_thread(settings, engine, relevance_records):
    threads_count, rounds = (SERVER_THREADS, SERVER_ROUNDS) if engine.name == "typesense" else (THREADS, ROUNDS)
    store = open_index(settings)
    records = relevance_records
    with store.write() as writer:
        for record in records[: len(records) // 2]:
            writer.put(record)
    with store.write() as writer:                     # two segments
        for record in records[len(records) // 2:]:
            writer.put(record)
    expected = {text: _answer(store, text) for text in QUERIES}
    expected_similar = {r.id: similar(store, r.id) for r in records[:5]}
    assert sum(e[0] for e in expected.values()) > 20
    failures: list[str] = []

    def work(number: int) -> None:
        try:
            for round_ in range(rounds):
                for i in range(len(QUERIES)):
                    text = QUERIES[(i + number + round_) % len(QUERIES)]
                    if _answer(store, text) != expected[text]:
                        failures.append(f"thread {number}: {text}")
                for doc_id, want in expected_similar.items():
                    if similar(store, doc_id) != want:
                        failures.append(f"thread {number}: similar to {doc_id}")
        except Exception as error:   # a corrupt read raises inside Whoosh
            failures.append(f"thread {number}: {error!r}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(threads_count)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)        # switch threads often: races show up, if any
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
        store.close()
    assert failures == []
