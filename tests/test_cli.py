"""The kb command: index and search on any folder, JSON contract, errors."""
from __future__ import annotations

import json

import pytest

from kb.cli import cli
from tests.conftest import engine_environment


def run(runner, settings, *args):
    return runner.invoke(cli, ["--corpus", str(settings.corpus_dir), "--data", str(settings.data_dir), *args],
                         env=engine_environment(settings))


@pytest.mark.every_engine
def test_index_then_search_json(runner, settings, corpus):
    corpus.make_document("La haine n'a pas sa place à Montréal.", id="a", title="Montréal")
    corpus.write("notes/b.txt", "Mayors pledge to counter hate speech online in their cities.")
    result = run(runner, settings, "index")
    assert result.exit_code == 0, result.output
    assert "2 added" in result.output
    result = run(runner, settings, "search", "haine OR hate", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["total"] == 2
    assert {h["id"] for h in data["hits"]} == {"a", "b"}
    for hit in data["hits"]:
        assert {"id", "title", "language", "score", "path"} <= set(hit)
    assert {h["language"] for h in data["hits"]} == {"fr", "en"}
    assert "facets" in data and {"type", "language"} <= set(data["facets"])


@pytest.mark.every_engine
def test_search_text_output_and_filters(runner, settings, corpus):
    corpus.make_document("La haine n'a pas sa place.", id="fr-doc", title="Titre FR")
    corpus.make_document("Hate has no place here.", id="en-doc", title="Title EN", language="en")
    run(runner, settings, "index")
    result = run(runner, settings, "search", "haine OR hate", "--lang", "en")
    assert result.exit_code == 0
    assert "1 result(s)" in result.output and "Title EN" in result.output
    assert "Titre FR" not in result.output


@pytest.mark.every_engine
def test_search_says_what_a_relaxed_query_matched(runner, settings, corpus):
    corpus.make_document("Les maires contre la haine.", id="both", title="Les deux")
    corpus.make_document("Les maires se réunissent.", id="one", title="Un seul", date="2024")
    run(runner, settings, "index")
    result = run(runner, settings, "search", "maires haine", "--no-expand")
    assert result.exit_code == 0, result.output
    assert "results: 1 with every word as typed, 1 with some of the words" in result.output
    assert result.output.index("Les deux") < result.output.index("Un seul  [declaration, fr, 2024, with some")


def test_index_reports_bad_files_and_exits_nonzero(runner, settings, corpus):
    corpus.make_document(id="good")
    corpus.write("bad.md", "---\ntype: pamphlet\n---\nText\n")
    result = run(runner, settings, "index")
    assert result.exit_code == 1
    assert "bad.md: unknown type 'pamphlet'" in result.output
    assert "1 added" in result.output


def test_malformed_query_is_a_clear_error(runner, settings, corpus):
    corpus.make_document(id="a")
    run(runner, settings, "index")
    result = run(runner, settings, "search", "AND AND")
    assert result.exit_code == 1
    assert "Error: 'AND' needs a word on each side" in result.output
    assert "Traceback" not in result.output


def test_missing_corpus_folder(runner, tmp_path):
    result = runner.invoke(cli, ["--corpus", str(tmp_path / "nope"), "--data", str(tmp_path / "d"), "index"])
    assert result.exit_code == 1
    assert "corpus folder not found" in result.output


def test_serve_is_a_command_the_web_app_adds_without_kb_importing_it(runner):
    import subprocess
    import sys

    listing = runner.invoke(cli, ["--help"])
    assert listing.exit_code == 0 and "serve" in listing.output
    assert runner.invoke(cli, ["serve", "--help"]).output.count("--port") == 1
    # kb's own modules import nothing of the web app (a fresh interpreter, kb search's path)
    code = "import sys, kb.cli, kb.search; print(any(m.startswith('webapp') for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"


def test_search_never_prints_control_characters(runner, settings, corpus):
    """A title or text holding an escape sequence (ESC ] … BEL sets a terminal's title,
    C1 CSI starts a command) reaches the terminal as plain text, in text and JSON output."""
    corpus.make_document("La haine \x1b[2J efface l'écran\u202e.", id="evil",
                         title="Titre\x1b]0;owned\x07 \x9b31m rouge")
    assert run(runner, settings, "index").exit_code == 0
    for args in (("search", "haine"), ("search", "haine", "--json")):
        result = run(runner, settings, *args)
        assert result.exit_code == 0, result.output
        assert not any(ch in result.output for ch in "\x1b\x07\x9b\u202e"), repr(result.output)
    assert "Titre]0;owned 31m rouge" in run(runner, settings, "search", "haine").output
    assert json.loads(run(runner, settings, "search", "haine", "--json").output)["hits"][0]["title"] == \
        "Titre\x1b]0;owned\x07 \x9b31m rouge"
