"""Changing the ``engine`` setting on a data folder: its index is rebuilt with the new
engine from the corpus and the extraction cache (no extraction runs again), and the
command line and the web app say so."""
from __future__ import annotations

import json
import logging

import pytest

import indexer.extract
from kb.cli import cli
from kb.index import ENGINE_STAMP, built_with


def kb(runner, settings, engine, *args):
    return runner.invoke(cli, ["--corpus", str(settings.corpus_dir), "--data", str(settings.data_dir), *args],
                         env={"KB_ENGINE": engine})


@pytest.fixture
def indexed_with_whoosh(corpus, settings, runner):
    corpus.make_document("Les maires s'engagent contre la haine.", id="a")
    corpus.make_document("Cities fight hate speech.", id="b", language="en")
    result = kb(runner, settings, "whoosh", "index")
    assert result.exit_code == 0, result.output
    assert built_with(settings) == "whoosh"
    return settings


@pytest.fixture
def no_extraction(monkeypatch):
    def refuse(items):
        if items:
            raise AssertionError("extraction ran again")
        return []
    monkeypatch.setattr(indexer.extract, "extract_batch", refuse)


def test_the_command_line_rebuilds_with_the_new_engine_and_says_so(indexed_with_whoosh, runner, no_extraction):
    settings = indexed_with_whoosh
    result = kb(runner, settings, "tantivy", "search", "haine", "--json", "--no-expand")
    assert result.exit_code == 0, result.output
    assert "was built with whoosh: rebuilding it with tantivy" in result.stderr
    assert "Rebuilt with tantivy: 2 added" in result.stderr
    assert [h["id"] for h in json.loads(result.stdout)["hits"]] == ["a"]
    assert built_with(settings) == "tantivy" and (settings.data_dir / ENGINE_STAMP).is_file()
    again = kb(runner, settings, "tantivy", "index")       # done once
    assert "rebuilding" not in again.stderr and "0 added, 0 updated, 0 removed, 2 unchanged" in again.stdout
    back = kb(runner, settings, "whoosh", "search", "hate", "--json", "--no-expand")
    assert "was built with tantivy: rebuilding it with whoosh" in back.stderr
    assert [h["id"] for h in json.loads(back.stdout)["hits"]] == ["b"]


def test_a_data_folder_from_before_the_stamp_is_known_by_its_files(indexed_with_whoosh, runner, no_extraction):
    settings = indexed_with_whoosh
    (settings.data_dir / ENGINE_STAMP).unlink()
    assert built_with(settings) == "whoosh"        # Whoosh's SCHEMA_VERSION in the index folder
    result = kb(runner, settings, "tantivy", "index")
    assert "rebuilding it with tantivy" in result.stderr and result.exit_code == 0


def test_the_web_app_rebuilds_at_start_and_logs_it(indexed_with_whoosh, make_app, no_extraction, caplog):
    settings = indexed_with_whoosh.replace(engine="tantivy")
    with caplog.at_level(logging.WARNING, logger="webapp"):
        app = make_app({"KB_SETTINGS": settings, "TESTING": True})
    assert any("rebuilding it with tantivy" in r.getMessage() for r in caplog.records)
    data = app.test_client().get("/api/search?q=hate&expand=0").get_json()
    assert [h["id"] for h in data["hits"]] == ["b"]
