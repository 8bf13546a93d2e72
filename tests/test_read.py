"""Reading corpus files: front matter, plain text, and every kind of bad file."""
from __future__ import annotations

import pytest

from indexer.corpus import list_documents, load_records
from indexer.errors import DocumentError
from indexer.read import read_source


def test_markdown_with_front_matter(corpus):
    path = corpus.make_document("## Titre\n\n*Nous*, les **maires** : [lien](http://x)",
                                id="melbourne-fr", title="Déclaration", date="2018-07",
                                organisations=["Strong Cities Network"])
    source = read_source(path, corpus.root)
    assert source.text == "Titre\n\nNous, les maires : lien"
    assert source.title == "Déclaration"
    assert source.meta["date"] == "2018-07"
    assert source.meta["organisations"] == ["Strong Cities Network"]
    assert source.rel_path == "declaration/melbourne-fr.md"


def test_bullets_keep_their_dash(corpus):
    path = corpus.make_document("Nous déclarons :\n\n- **Promouvoir** la paix ;\n- Partager.")
    assert read_source(path, corpus.root).text == "Nous déclarons :\n\n- Promouvoir la paix ;\n- Partager."


def test_plain_text_without_front_matter(corpus):
    path = corpus.write("notes/appel.txt", "\n# Appel des maires\n\nLes maires appellent à la solidarité "
                        "avec les victimes du terrorisme dans toutes les villes.\n")
    source = read_source(path, corpus.root)
    assert source.title == "Appel des maires"
    assert source.language == "fr"
    assert source.meta == {}
    record = load_records([path], corpus.root).records[0]
    assert record.type == "unknown"
    assert record.id == "appel"


def test_yaml_date_object_is_normalised(corpus):
    path = corpus.write("a.md", "---\nid: a\ndate: 2016-04-08\nlanguage: fr\n---\nTexte.\n")
    assert read_source(path, corpus.root).meta["date"] == "2016-04-08"


def test_language_detected_when_absent(corpus):
    path = corpus.make_document("We, the mayors of the network, commit to prevent hate "
                                "and violent extremism in our cities.", language=None)
    assert read_source(path, corpus.root).language == "en"


@pytest.mark.parametrize("content, problem, line", [
    ("---\nid: a\ntitle: [unclosed\n---\nText.\n", "invalid YAML", 3),
    ("---\nid: a\ntype: pamphlet\n---\nText.\n", "unknown type 'pamphlet'", None),
    ("---\nid: a\n---\n\n   \n", "empty body", None),
    ("---\nid: a\ntitle: x\nText without a closing fence\n", "never closed", 1),
    ("---\n- a\n- b\n---\nText.\n", "must be a mapping", 2),
    ("---\nid: A B\n---\nText.\n", "'id'", None),
    ("---\nid: a\ndate: 2018-13\n---\nText.\n", "not an ISO date", None),
    ("---\nid: a\ndate: 2018-02-30\n---\nText.\n", "not a real calendar date", None),
    ("---\nid: a\nlanguage: french\n---\nText.\n", "two-letter", None),
    ("---\nid: a\nauthor: me\n---\nText.\n", "unknown front-matter field", None),
])
def test_bad_files_name_file_and_problem(corpus, content, problem, line):
    path = corpus.write("bad.md", content)
    with pytest.raises(DocumentError) as caught:
        read_source(path, corpus.root)
    assert str(path) in str(caught.value)
    assert problem in str(caught.value)
    if line:
        assert caught.value.line == line


def test_undecodable_bytes(corpus):
    path = corpus.write("latin1.txt", "Déclaration des maires".encode("latin-1"))
    with pytest.raises(DocumentError, match="not valid UTF-8"):
        read_source(path, corpus.root)


def test_binary_file(corpus):
    path = corpus.write("binary.txt", b"abc\x00def")
    with pytest.raises(DocumentError, match="NUL"):
        read_source(path, corpus.root)


def test_bad_files_do_not_stop_the_rest(corpus):
    good = corpus.make_document(id="good")
    bad = corpus.write("bad.md", "---\ntype: nope\n---\nText.\n")
    result = load_records(list_documents(corpus.root), corpus.root)
    assert [r.id for r in result.records] == ["good"]
    assert [e.path for e in result.errors] == [str(bad)]
    assert good.exists()


def test_duplicate_id_is_reported_against_the_first_file(corpus):
    corpus.make_document(id="same", path="a/first.md")
    second = corpus.make_document(id="same", path="b/second.md")
    result = load_records(list_documents(corpus.root), corpus.root)
    assert [r.path for r in result.records] == ["a/first.md"]
    assert len(result.errors) == 1
    assert str(second) in str(result.errors[0])
    assert "duplicate id 'same': already used by a/first.md" in str(result.errors[0])


def test_originals_and_hidden_files_are_not_listed(corpus):
    corpus.make_document(id="a")
    corpus.write("declaration/a.pdf", b"%PDF-1.4")
    corpus.write(".trash/old.md", "---\nid: old\n---\nOld.\n")
    assert [p.name for p in list_documents(corpus.root)] == ["a.md"]
