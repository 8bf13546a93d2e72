"""What keeps indexing fast keeps it right: Whoosh's multi-process writer (used for
batches of ``kb.sync.PARALLEL_MIN_DOCUMENTS`` documents or more, forced on here for a small
corpus), and no commit when nothing changed."""
from __future__ import annotations

import pytest

import kb.sync
from kb.search import SearchRequest, search


@pytest.fixture
def parallel(monkeypatch):
    monkeypatch.setattr(kb.sync, "BULK_DOCUMENTS", 1)


def test_parallel_writer_adds_updates_removes_and_rebuilds(parallel, corpus, index, store):
    for i in range(5):
        corpus.make_document(f"Document numéro {i} sur la cohésion sociale.", id=f"d{i}")
    changed = corpus.make_document("Première version.", id="changed")
    gone = corpus.make_document("Bientôt supprimé.", id="gone")
    assert len(index().added) == 7
    changed.write_text(changed.read_text().replace("Première version.", "Deuxième version à Lyon."))
    gone.unlink()
    report = index()
    assert (report.updated, report.removed, report.unchanged) == (["changed"], ["gone"], 5)
    assert store.count() == 6
    assert [h.id for h in search(store, SearchRequest(query="deuxième")).hits] == ["changed"]
    assert search(store, SearchRequest(query="cohésion")).total == 5
    assert len(index(rebuild=True).added) == 6 and store.count() == 6


def test_unchanged_run_keeps_the_generation_and_the_searcher(corpus, index, store):
    corpus.make_document(id="a")
    index()
    with store.store.reading() as searcher:      # the Whoosh engine's searcher
        pass
    report = index()
    assert report.unchanged == 1 and report.changed == 0
    with store.store.reading() as again:
        assert again is searcher and searcher.up_to_date()
    corpus.make_document(id="b")
    assert index().added == ["b"]
    with store.store.reading() as after:
        assert after is not searcher
