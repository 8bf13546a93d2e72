"""`kb check [--repair]`: corpus and index compared; what can be repaired is."""
from __future__ import annotations

import json

import pytest

from kb.check import check
from kb.cli import cli
from tests.conftest import engine_environment

pytestmark = pytest.mark.every_engine


def kb(runner, settings, *args):
    return runner.invoke(cli, ["--corpus", str(settings.corpus_dir), "--data", str(settings.data_dir), *args],
                         env=engine_environment(settings))


def test_a_corpus_in_line_with_its_index(corpus, index, store, settings, runner):
    corpus.make_document("Un premier texte.", id="a")
    corpus.make_document("Un second texte.", id="b", original="b.pdf")
    corpus.write("declaration/b.pdf", b"%PDF-1.4 original")
    index()
    report = check(settings, store)
    assert report.ok and (report.files, report.indexed) == (2, 2)
    result = kb(runner, settings, "check")
    assert result.exit_code == 0 and "corpus and index agree: 2 file(s), 2 indexed" in result.output


def test_everything_that_can_disagree(corpus, index, store, settings):
    corpus.make_document(id="kept")
    changed = corpus.make_document("Première version.", id="changed")
    gone = corpus.make_document(id="gone")
    index()
    corpus.make_document(id="new")                                     # never indexed
    changed.write_text(changed.read_text().replace("Première", "Deuxième"))
    gone.unlink()                                                      # indexed, file deleted
    corpus.write("declaration/broken.md", "---\ntype: poem\n---\nTexte.")
    corpus.make_document(id="kept", path="other/kept-again.md")        # the same id twice
    corpus.write("declaration/stray.pdf", b"%PDF-1.4")                 # named by no document
    corpus.write("declaration/.new.md.1a2b3c.kbtmp", "half a file")      # an interrupted write
    corpus.make_document(id="lost-original", original="lost.pdf")
    report = check(settings, store)
    assert not report.ok
    assert report.missing == ["declaration/lost-original.md", "declaration/new.md", "other/kept-again.md"]
    assert report.outdated == ["declaration/changed.md"]
    assert report.stale == [{"path": "declaration/gone.md", "id": "gone"}]
    assert len(report.invalid) == 2
    assert "declaration/broken.md" in report.invalid[0] and "unknown type 'poem'" in report.invalid[0]
    assert "its original lost.pdf is missing" in report.invalid[1]
    assert report.duplicate_ids == ["kept in declaration/kept.md and other/kept-again.md"]
    assert report.orphans == ["declaration/stray.pdf"]
    assert report.leftovers == ["declaration/.new.md.1a2b3c.kbtmp"]


def test_repair_brings_the_index_in_line(corpus, index, store, settings, runner):
    corpus.make_document("Un premier texte.", id="a")
    gone = corpus.make_document(id="gone")
    index()
    corpus.make_document("Un nouveau texte.", id="new")
    gone.unlink()
    corpus.write("declaration/.a.md.ffffff.kbtmp", "half")
    result = kb(runner, settings, "check")
    assert result.exit_code == 1
    assert "missing from the index: declaration/new.md" in result.output
    assert "in the index, file gone: declaration/gone.md (id gone)" in result.output
    result = kb(runner, settings, "check", "--repair")
    assert result.exit_code == 0, result.output
    assert "repaired: 1 added, 0 updated, 1 removed" in result.output
    assert "corpus and index agree: 2 file(s), 2 indexed" in result.output
    assert not (settings.corpus_dir / "declaration/.a.md.ffffff.kbtmp").exists()
    assert sorted(d.id for d in store.indexed().values()) == ["a", "new"]


def test_repair_leaves_what_needs_a_person(corpus, index, settings, runner):
    corpus.make_document(id="a")
    index()
    corpus.write("declaration/broken.md", "---\ntype: poem\n---\nTexte.")
    result = kb(runner, settings, "check", "--repair", "--json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["ok"] is False and len(data["invalid"]) == 1 and data["missing"] == []


def test_an_unreadable_index_is_moved_aside_and_rebuilt(index_files, corpus, index, store, settings, runner):
    corpus.make_document(id="a")
    index()
    store.close()
    for toc in settings.index_dir.glob(index_files["contents"]):
        toc.write_bytes(b"garbage")
    result = kb(runner, settings, "check")
    assert result.exit_code == 1 and "index cannot be read" in result.output
    result = kb(runner, settings, "check", "--repair")
    assert result.exit_code == 0, result.output
    assert list(settings.data_dir.glob("index.broken-*"))
    result = kb(runner, settings, "search", "haine", "--json")
    assert [h["id"] for h in json.loads(result.output)["hits"]] == ["a"]


def test_duplicate_texts_are_reported(corpus, index, store, settings, runner):
    """A publish interrupted after its file was written, then done again, left the text
    twice; kb check says so (it needs a person: which one to keep)."""
    corpus.make_document("Nous luttons contre la haine.", id="first")
    corpus.make_document("Nous  LUTTONS contre la haine.\n", id="second", path="report/second.md")
    corpus.make_document("Un autre texte.", id="other")
    index()
    report = check(settings, store)
    assert report.duplicate_texts == ["declaration/first.md and report/second.md"] and not report.ok
    result = kb(runner, settings, "check", "--json")
    assert json.loads(result.output)["duplicate_texts"] == ["declaration/first.md and report/second.md"]
    result = kb(runner, settings, "check")
    assert result.exit_code == 1 and "same text: declaration/first.md and report/second.md" in result.output


def test_a_link_to_a_file_outside_the_corpus_is_reported_not_read(corpus, index, store, settings, runner,
                                                                  tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: Secret\nlanguage: fr\n---\nUn texte hors du corpus.\n")
    corpus.make_document("Un texte du corpus.", id="inside")
    (settings.corpus_dir / "declaration" / "link.md").symlink_to(secret)
    result = kb(runner, settings, "index")
    assert "declaration/link.md: a link to a file outside the corpus: not read" in result.output
    assert [d.id for d in store.indexed().values()] == ["inside"]
    result = kb(runner, settings, "check")
    assert result.exit_code == 1, result.output      # a finding, not a traceback
    assert "invalid: declaration/link.md: a link to a file outside the corpus: not read" in result.output
