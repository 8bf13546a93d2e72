"""What keeps indexing fast keeps it right: the bulk writer (Whoosh's processes, tantivy's
threads; used for batches of ``kb.sync.BULK_DOCUMENTS`` documents or more, forced on here
for a small corpus), and no commit when nothing changed."""
from __future__ import annotations

import pytest

import kb.sync
from kb.search import SearchRequest, search

pytestmark = pytest.mark.every_engine


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


def test_unchanged_run_keeps_the_generation(corpus, index, store):
    corpus.make_document(id="a")
    index()
    version = store.version()
    report = index()
    assert report.unchanged == 1 and report.changed == 0
    assert store.version() == version            # no commit: what is built on it stays
    corpus.make_document(id="b")
    assert index().added == ["b"]
    assert store.version() != version
