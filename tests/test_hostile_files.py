"""Files and front matter made to take the machine down: each is refused (or read within
limits) with a message, nothing is stored, and the rest of the corpus is indexed.
The inputs are made by tests/hostile_support.py; bench/hostile.py measures them at full size."""
from __future__ import annotations

import pytest

from indexer.errors import DocumentError
from indexer.frontmatter import split
from indexer.read import read_source
from kb.cli import cli
from tests import hostile_support as hostile

MAX_MESSAGE = 400      # no message repeats a whole value


# -- front matter ----------------------------------------------------------------------
def test_an_alias_bomb_is_refused_before_it_expands(corpus):
    path = corpus.write("declaration/bomb.md", hostile.alias_bomb())
    with pytest.raises(DocumentError) as caught:
        read_source(path, corpus.root)
    assert "aliases" in caught.value.problem and caught.value.line == 2
    assert "bomb.md:2" in str(caught.value) and len(str(caught.value)) < MAX_MESSAGE


def test_an_anchor_alone_is_refused_too(corpus):
    with pytest.raises(DocumentError, match="anchors and aliases"):
        split("---\ntitle: &t Déclaration\n---\nTexte.\n", corpus.root / "a.md")


def test_deep_nesting_is_refused_with_a_message(corpus):
    with pytest.raises(DocumentError) as caught:
        split(hostile.deep_yaml(5000), corpus.root / "deep.md")
    assert "nested more than" in caught.value.problem and caught.value.line == 2
    assert len(str(caught.value)) < MAX_MESSAGE


def test_a_duplicated_key_is_refused_naming_the_key_and_its_lines(corpus):
    with pytest.raises(DocumentError) as caught:
        split(hostile.duplicate_key(), corpus.root / "twice.md")
    assert caught.value.problem.startswith("invalid YAML in front matter: the key 'title' is given twice "
                                           "(lines 2 and 4)")
    assert caught.value.line == 4


def test_corrections_nest_deep_enough(corpus):
    meta, _, _ = split("---\ncorrections:\n  dates:\n    add:\n      - {value: '2024-05-15', role: event}\n"
                       "---\nTexte.\n", corpus.root / "a.md")
    assert meta["corrections"]["dates"]["add"][0]["value"] == "2024-05-15"


@pytest.mark.parametrize("front, quoted", [
    ("type: " + "x" * 5000, "unknown type 'xxx"),
    ("id: " + "A" * 5000, "'id' 'AAA"),
    ("title: [" + ", ".join(["word"] * 3000) + "]", "'title' must be text, got ['word'"),
    ("x" * 500 + ": 1", "unknown front-matter field(s): 'xxx"),
])
def test_no_message_repeats_a_whole_value(corpus, front, quoted):
    path = corpus.write("declaration/long.md", f"---\n{front}\n---\nTexte.\n")
    with pytest.raises(DocumentError) as caught:
        read_source(path, corpus.root)
    assert quoted in str(caught.value) and len(str(caught.value)) < MAX_MESSAGE


def test_kb_index_names_the_bad_files_and_indexes_the_rest(corpus, settings, runner, store):
    corpus.make_document(id="good", title="Bon document")
    corpus.write("declaration/bomb.md", hostile.alias_bomb())
    corpus.write("declaration/deep.md", hostile.deep_yaml(5000))
    corpus.write("declaration/twice.md", hostile.duplicate_key())
    store.close()
    result = runner.invoke(cli, ["--corpus", str(settings.corpus_dir), "--data", str(settings.data_dir), "index"])
    assert result.exit_code == 1, result.output
    for name in ("bomb.md:2", "deep.md:2", "twice.md:4"):
        assert name in result.output
    assert "1 document(s) in the index" in result.output
    assert len(result.output) < 3000


def test_kb_check_reports_the_bad_files(corpus, settings, runner, store):
    corpus.make_document(id="good", title="Bon document")
    corpus.write("declaration/bomb.md", hostile.alias_bomb())
    store.close()
    result = runner.invoke(cli, ["--corpus", str(settings.corpus_dir), "--data", str(settings.data_dir), "check"])
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
    assert "invalid: " in result.output and "bomb.md:2" in result.output
