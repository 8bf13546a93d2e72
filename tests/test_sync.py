"""Incremental indexing: add, change, delete, rename, rebuild; bad files; atomic commits."""
from __future__ import annotations

import pytest

from kb.index import engine_version, open_index

pytestmark = pytest.mark.every_engine


def ids(store):
    return sorted(doc.id for doc in store.indexed().values())


def test_first_run_adds_everything(corpus, index, store):
    corpus.make_document(id="a")
    corpus.make_document(id="b")
    report = index()
    assert sorted(report.added) == ["a", "b"]
    assert ids(store) == ["a", "b"]


def test_second_run_changes_nothing(corpus, index):
    corpus.make_document(id="a")
    index()
    report = index()
    assert (report.added, report.updated, report.removed, report.unchanged) == ([], [], [], 1)


def test_changed_file_is_reindexed(corpus, index, store):
    path = corpus.make_document("Première version.", id="a")
    corpus.make_document(id="b")
    index()
    path.write_text(path.read_text().replace("Première version.", "Deuxième version sur Montréal."))
    report = index()
    assert report.updated == ["a"] and report.unchanged == 1
    assert "Montréal" in store.get("a", include_drafts=True).body


def test_new_extractor_version_reindexes_unchanged_files(corpus, index, settings, monkeypatch):
    corpus.make_document("Réunis à Montréal, nous nous engageons à agir.", id="a")
    index()
    cached = set((settings.cache_dir / "extract").rglob("*.json"))
    monkeypatch.setattr("indexer.extract.EXTRACTOR_VERSION", "next")
    report = index()
    assert report.updated == ["a"] and report.unchanged == 0
    # extracted again, not read back from the cache of the previous version
    assert len(set((settings.cache_dir / "extract").rglob("*.json")) - cached) == 1
    assert index().unchanged == 1


def test_deleted_file_is_removed(corpus, index, store):
    path = corpus.make_document(id="a")
    corpus.make_document(id="b")
    index()
    path.unlink()
    report = index()
    assert report.removed == ["a"]
    assert ids(store) == ["b"]


def test_renamed_file_keeps_its_id(corpus, index, store):
    path = corpus.make_document(id="a", path="old/a.md")
    index()
    target = corpus.root / "new" / "a.md"
    target.parent.mkdir()
    path.rename(target)
    report = index()
    assert report.errors == []
    assert ids(store) == ["a"]
    assert store.get("a", include_drafts=True).path == "new/a.md"


def test_changed_id_replaces_the_old_entry(corpus, index, store):
    path = corpus.make_document(id="old-id")
    index()
    path.write_text(path.read_text().replace("id: old-id", "id: new-id"))
    index()
    assert ids(store) == ["new-id"]


def test_broken_file_keeps_its_last_good_version(corpus, index, store):
    path = corpus.make_document("Texte valide.", id="a")
    index()
    path.write_text("---\ntype: [oops\n---\nCassé.\n")
    report = index()
    assert len(report.errors) == 1 and str(path) in str(report.errors[0])
    assert store.get("a", include_drafts=True).body == "Texte valide."


def test_errors_do_not_stop_the_rest(corpus, index, store):
    corpus.make_document(id="good")
    corpus.write("bad.md", "---\ntype: nope\n---\nText\n")
    report = index()
    assert report.added == ["good"] and len(report.errors) == 1


def test_rebuild_starts_from_scratch(corpus, index, store):
    corpus.make_document(id="a")
    index()
    report = index(rebuild=True)
    assert report.added == ["a"] and report.unchanged == 0
    assert ids(store) == ["a"]


def test_failed_transaction_leaves_previous_generation(corpus, index, store, settings):
    corpus.make_document(id="a")
    index()
    with pytest.raises(RuntimeError):
        with store.write() as writer:
            writer.remove("a")
            raise RuntimeError("crash in the middle of a run")
    fresh = open_index(settings)
    assert ids(fresh) == ["a"]
    fresh.close()


def test_schema_version_mismatch_rebuilds(index_files, corpus, index, store, settings):
    corpus.make_document(id="a")
    index()
    store.close()
    (settings.index_dir / index_files["format"]).write_text("0-old\n")
    reopened = open_index(settings)
    assert ids(reopened) == []
    assert (settings.index_dir / index_files["format"]).read_text().strip() == engine_version(settings.engine)
    reopened.close()


def test_search_sees_new_generation_without_restart(corpus, index, store):
    corpus.make_document(id="a")
    index()
    assert store.count() == 1
    corpus.make_document(id="b")
    index()
    assert store.count() == 2


def test_indexing_given_files_refuses_an_id_another_indexed_file_has(corpus, index, store, settings):
    from kb.sync import index_paths
    corpus.make_document(id="same", path="a/first.md", title="First")
    index()
    second = corpus.make_document(id="same", path="b/second.md", title="Second")
    report = index_paths(settings, store, [second])
    assert report.added == [] and "already used by a/first.md" in str(report.errors[0])
    assert store.get("same", include_drafts=True).title == "First"
    # once the first file is gone, the id is free
    (corpus.root / "a" / "first.md").unlink()
    report = index_paths(settings, store, [second], removed=["a/first.md"])
    assert report.removed == ["same"] and report.added == ["same"] and not report.errors
    assert store.get("same", include_drafts=True).path == "b/second.md"


def test_indexing_a_given_file_again_replaces_its_entry_under_a_new_id(corpus, index, store, settings):
    from kb.sync import index_paths
    path = corpus.make_document(id="old", path="a/doc.md")
    index()
    corpus.make_document(id="new", path="a/doc.md")
    report = index_paths(settings, store, [path])
    assert report.updated == ["new"] and store.get("old", include_drafts=True) is None
    assert store.count() == 1
