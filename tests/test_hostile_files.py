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
    assert result.exit_code == 1, result.output
    assert "invalid: " in result.output and "bomb.md:2" in result.output


# -- uploads and kb add: refused with a message, a 4xx status and nothing stored ----------
@pytest.fixture
def limited(settings, make_app):
    """``limited(**settings)``: a staff member logged in on an app with those settings."""
    from tests.staff_support import AuthActions

    def make(**changes):
        app = make_app({"KB_SETTINGS": settings.replace(**changes), "TESTING": True})
        staff = AuthActions(app, app.test_client())
        staff.create()
        staff.login()
        return staff
    return make


def stored(settings) -> list[str]:
    from kb.uploads import uploads_dir
    found = [p for p in settings.corpus_dir.rglob("*") if p.is_file()]
    if uploads_dir(settings).exists():
        found += [p for p in uploads_dir(settings).rglob("*") if p.is_file()]
    return sorted(str(p) for p in found)


def refused(response, status: int, *words: str) -> str:
    page = response.get_data(as_text=True)
    assert response.status_code == status, page[-2000:]
    for word in words:
        assert word in page
    return page


@pytest.mark.parametrize("name, make, status, words", [
    ("bomb.md", lambda: hostile.alias_bomb().encode(), 422, ("line 2", "anchors and aliases")),
    ("deep.md", lambda: hostile.deep_yaml(5000).encode(), 422, ("nested more than 10 levels",)),
    ("twice.md", lambda: hostile.duplicate_key().encode(), 422, ("the key &#39;title&#39; is given twice",)),
    ("undefined.html", hostile.undefined_charset_html, 422, ("declares no charset that decodes it",)),
    ("report.pdf", lambda: hostile.long_pdf(1500, lines=False), 413,
     ("the PDF has 1500 pages; at most 500 are accepted",)),
])
def test_hostile_uploads_are_refused(limited, settings, name, make, status, words):
    from tests.staff_support import upload
    staff = limited()
    page = refused(upload(staff, make(), name), status, *words)
    assert len(page) < 20_000 and stored(settings) == []


def test_text_over_the_text_limit_is_refused(limited, settings):
    from tests.staff_support import upload
    staff = limited(max_text_mb=0.25)       # (the test client sends larger files through a temporary file)
    refused(upload(staff, hostile.large_text(0.4), "large.txt"), 413,
            "its text is 0.4 MB; at most 0.25 MB of text is accepted")
    assert stored(settings) == []


def test_a_pdf_that_inflates_past_the_reader_memory_is_refused(limited, settings):
    from tests.staff_support import upload
    staff = limited(reader_memory_mb=300)
    refused(upload(staff, hostile.inflating_pdf(200), "bomb.pdf"), 422, "more than 300 MB of memory")
    assert stored(settings) == []


def test_a_reader_that_takes_too_long_is_stopped(limited, settings):
    from tests.staff_support import upload
    staff = limited(reader_timeout=0.2)      # 100,000 nested elements take some 3 s to read
    refused(upload(staff, hostile.nested_html(100_000), "deep.html"), 422, "took more than 0.2 seconds")
    assert stored(settings) == []


def test_deeply_nested_html_is_read_within_the_reader_time(limited, settings):
    """40,000 nested elements (100,000 in bench/hostile.py: 3 s; more than 3 minutes before)."""
    from tests.staff_support import upload
    staff = limited(reader_timeout=30)
    response = upload(staff, hostile.nested_html(40_000), "deep.html")
    assert response.status_code == 303, response.get_data(as_text=True)[-1000:]


def test_the_page_limit_is_a_setting(limited, settings):
    from tests.staff_support import upload
    staff = limited(max_pdf_pages=3)
    refused(upload(staff, hostile.long_pdf(4), "report.pdf"), 413, "the PDF has 4 pages; at most 3 are accepted")


def test_edited_text_is_held_to_the_text_limit(limited, settings):
    from tests.staff_support import TEXT, upload
    staff = limited(max_text_mb=0.01)
    location = upload(staff, text=TEXT, type="declaration").headers["Location"]
    form = {"action": "preview", "title": "Titre", "type": "declaration", "language": "fr",
            "text": TEXT + "\n\n" + "Nous agirons ensemble. " * 1000}
    refused(staff.post(location, form), 413, "at most 0.01 MB of text is accepted")


def add(runner, settings, path, *args, env=None):
    return runner.invoke(cli, ["--corpus", str(settings.corpus_dir), "--data", str(settings.data_dir),
                               "add", str(path), "--yes", "--type", "report", *args], env=env)


@pytest.mark.parametrize("name, make, words", [
    ("bomb.md", lambda: hostile.alias_bomb().encode(), "anchors and aliases"),
    ("undefined.html", hostile.undefined_charset_html, "declares no charset that decodes it"),
    ("report.pdf", lambda: hostile.long_pdf(600), "the PDF has 600 pages; at most 500 are accepted"),
    ("large.txt", lambda: hostile.large_text(2.5), "its text is 2.5 MB; at most 2 MB"),
])
def test_kb_add_refuses_the_same_files(runner, settings, store, tmp_path, name, make, words):
    path = tmp_path / name
    path.write_bytes(make())
    store.close()
    result = add(runner, settings, path)
    assert result.exit_code == 1 and words in result.output, result.output
    assert len(result.output) < 2000 and stored(settings) == []


def test_kb_add_has_the_upload_size_limit(runner, settings, store, tmp_path):
    path = tmp_path / "large.txt"
    path.write_bytes(hostile.large_text(1.5))
    store.close()
    result = add(runner, settings, path, env={"KB_MAX_UPLOAD_MB": "1"})
    assert result.exit_code == 1 and "at most 1 MB can be added" in result.output, result.output
    assert stored(settings) == []
