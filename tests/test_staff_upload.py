"""Adding documents: upload or paste, review, publish (web), and `kb add`; bad input refused
with a clear message, a 4xx status and nothing stored."""
from __future__ import annotations

import json
import re

import pytest

from kb import audit
from kb.cli import cli
from kb.search import SearchRequest, search
from kb.uploads import uploads_dir
from tests.conftest import engine_environment
from tests.staff_support import (TEXT, docx_bytes, field, pdf_bytes, publish, upload,
                                 zip_bomb_docx)

def ids_found(store, query: str) -> list[str]:
    return [hit.id for hit in search(store, SearchRequest(query=query, expand=False)).hits]


def stored_files(settings) -> list[str]:
    """Everything under the corpus and the uploads folder."""
    found = [p for p in settings.corpus_dir.rglob("*") if p.is_file()]
    if uploads_dir(settings).exists():
        found += [p for p in uploads_dir(settings).rglob("*") if p.is_file()]
    return sorted(str(p) for p in found)


@pytest.fixture
def staff(auth):
    auth.login()
    return auth


def test_add_page(client, staff):
    html = client.get("/staff/add").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html and "at most 20 MB" in html


@pytest.mark.every_engine
def test_pasted_text_review_publish_searchable(client, staff, store, settings):
    response = upload(staff, text=TEXT, type="declaration")
    assert response.status_code == 303
    location = response.headers["Location"]
    assert re.match(r"^/staff/uploads/[A-Za-z0-9_-]{22}$", location)
    html = client.get(location).get_data(as_text=True)
    assert field(html, "title") == "Déclaration des maires pour la jeunesse"
    assert field(html, "language") == "fr"
    assert "What was extracted" in html and "Cities" in html
    response = publish(staff, location)
    assert response.status_code == 303
    doc_id = "declaration-des-maires-pour-la-jeunesse-fr"
    assert response.headers["Location"] == f"/staff/documents/{doc_id}"
    path = settings.corpus_dir / "declaration" / "declaration-des-maires-pour-la-jeunesse.fr.md"
    content = path.read_text()
    assert content.startswith(f"---\nid: {doc_id}\ntitle: Déclaration des maires pour la jeunesse\n"
                              "type: declaration\nlanguage: fr\n")
    assert "original:" not in content and content.rstrip().endswith("dans chaque quartier.")
    assert ids_found(store, "associations jeunesse quartier") == [doc_id]       # searchable at once
    assert "It is in the index now." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert not any(uploads_dir(settings).iterdir())                            # the draft is gone
    actions = [e["action"] for e in audit.entries(settings)]
    assert actions == ["login", "upload", "publish"]


@pytest.mark.parametrize("name, make, extension", [
    ("declaration.pdf", lambda: pdf_bytes([TEXT.replace("é", "e").replace("\n\n", "\n")]), "pdf"),
    ("declaration.docx", lambda: docx_bytes(TEXT.split("\n\n")[1:], heading=TEXT.split("\n\n")[0]), "docx"),
    ("declaration.html", lambda: ("<html><head><title>Déclaration des maires pour la jeunesse</title>"
                                  "<script>steal(document.cookie)</script></head><body><p>"
                                  + "</p><p>".join(TEXT.split("\n\n")[1:]) + "</p></body></html>").encode(), "html"),
])
def test_files_are_published_with_their_original_beside(client, staff, store, settings, name, make, extension):
    data = make()
    response = upload(staff, data, name, type="declaration")
    assert response.status_code == 303, response.get_data(as_text=True)
    review = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "steal" not in review and "<script>steal" not in review
    response = publish(staff, response.headers["Location"])
    assert response.status_code == 303
    doc_id = response.headers["Location"].rsplit("/", 1)[1]
    md = next(settings.corpus_dir.glob("declaration/*.fr.md"))
    original = md.with_name(md.name.replace(".md", f".{extension}"))
    assert original.read_bytes() == data
    assert f"original: {original.name}\n" in md.read_text()
    assert ids_found(store, "associations quartier") == [doc_id]
    with client.get(f"/staff/documents/{doc_id}/original") as download:
        assert download.status_code == 200 and download.data == data
        assert download.headers["Content-Type"] == "application/octet-stream"
        assert download.headers["Content-Disposition"].startswith("attachment")


def test_html_text_is_never_rendered(client, staff):
    page = b"<html><body><p>Nous nous engageons &lt;b&gt;vraiment&lt;/b&gt; contre la haine.</p></body></html>"
    response = upload(staff, page, "page.html")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<b>vraiment" not in html and "&lt;b&gt;vraiment&lt;/b&gt;" in html


def test_a_path_as_file_name_is_never_used_as_a_path(client, staff, settings, tmp_path):
    response = upload(staff, TEXT.encode(), "../../../../outside.txt")
    assert response.status_code == 303
    token = response.headers["Location"].rsplit("/", 1)[1]
    assert sorted(p.name for p in (uploads_dir(settings) / token).iterdir()) == ["draft.json"]
    assert json.loads((uploads_dir(settings) / token / "draft.json").read_text())["filename"] == "outside.txt"
    assert not list(tmp_path.rglob("outside*"))
    publish(staff, response.headers["Location"])
    assert [p.name for p in settings.corpus_dir.rglob("*.md")] == ["declaration-des-maires-pour-la-jeunesse.fr.md"]


def _bad_inputs():
    return [
        ("not a pdf", lambda: (TEXT.encode(), "report.pdf"), 415, "named .pdf but its content is plain text"),
        ("pdf named docx", lambda: (pdf_bytes(["x"]), "report.docx"), 415, "named .docx but its content is a PDF"),
        ("executable", lambda: (b"MZ\x90\0" * 50, "setup.exe"), 415, "not supported"),
        ("encrypted pdf", lambda: (pdf_bytes(["Secret"], encrypt=True), "secret.pdf"), 422, "encrypted"),
        ("damaged pdf", lambda: (b"%PDF-1.7\n1 0 obj <<", "broken.pdf"), 422, "damaged"),
        ("image that is not one", lambda: (b"\x89PNG\r\n\x1a\n" + b"x" * 64, "scan.png"), 422, "not an image"),
        ("empty file", lambda: (b"", "empty.txt"), 400, "the file is empty"),
        ("latin-1", lambda: ("Les élus de Montréal".encode("latin-1"), "notes.txt"), 422, "not UTF-8"),
        ("zip bomb", lambda: (zip_bomb_docx(20), "bomb.docx"), 422, "zip bomb"),
        ("binary as text", lambda: (b"\x00\x01\x02" * 100, "data.txt"), 415, "binary"),
    ]


@pytest.mark.parametrize("content, status, message", [case[1:] for case in _bad_inputs()],
                         ids=[case[0] for case in _bad_inputs()])
def test_bad_files_are_refused_and_nothing_is_stored(client, staff, settings, content, status, message):
    data, name = content()
    before = stored_files(settings)
    response = upload(staff, data, name)
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert message in html and 'role="alert"' in html
    assert stored_files(settings) == before
    assert [e["action"] for e in audit.entries(settings)] == ["login"]


@pytest.mark.parametrize("form, status, message", [
    ({}, 400, "Choose a file to upload, or paste the text"),
    ({"text": "   "}, 400, "Choose a file to upload, or paste the text"),
    ({"text": "1234 5678"}, 422, "no text was found"),
])
def test_missing_or_empty_input(client, staff, settings, form, status, message):
    response = staff.post("/staff/add", form, content_type="multipart/form-data")
    assert response.status_code == status and message in response.get_data(as_text=True)
    assert stored_files(settings) == []


def test_both_a_file_and_text_is_refused(staff, settings):
    response = upload(staff, TEXT.encode(), "a.txt", text=TEXT)
    assert response.status_code == 400 and "not both" in response.get_data(as_text=True)
    assert stored_files(settings) == []


def test_too_large_gets_a_friendly_413_and_nothing_stored(settings, make_app):
    from tests.staff_support import AuthActions

    app = make_app({"KB_SETTINGS": settings.replace(max_upload_mb=1), "TESTING": True})
    auth = AuthActions(app, app.test_client())
    auth.create()
    auth.login()
    response = upload(auth, b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024), "big.pdf")
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "The file is too large: at most 1 MB can be uploaded. Nothing was stored." in html
    assert 'name="file"' in html                      # the form again, to try another file
    assert stored_files(settings) == []


def test_a_duplicate_is_refused_naming_the_document(client, staff, corpus, index, settings):
    corpus.make_document(TEXT, id="bordeaux-jeunesse", title="Jeunesse à Bordeaux")
    index()
    before = stored_files(settings)
    response = upload(staff, TEXT.encode(), "copy.txt")
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "already in the knowledge base: document bordeaux-jeunesse" in html
    assert 'href="/staff/documents/bordeaux-jeunesse"' in html
    assert stored_files(settings) == before
    # The same text with other line breaks and spaces is the same text.
    response = upload(staff, text=TEXT.replace("\n\n", "\n\n\n").replace(" ", "  "))
    assert response.status_code == 409


@pytest.mark.every_engine
def test_a_duplicate_published_meanwhile_is_caught_at_publishing(client, staff, corpus, index, settings):
    response = upload(staff, TEXT.encode(), "a.txt")
    corpus.make_document(TEXT, id="published-meanwhile")
    index()
    response = publish(staff, response.headers["Location"])
    assert response.status_code == 409
    assert "document published-meanwhile" in response.get_data(as_text=True)
    assert len(list(settings.corpus_dir.rglob("*.md"))) == 1


@pytest.mark.every_engine
def test_duplicates_are_found_by_their_text_in_the_index(corpus, index, store):
    from kb.publishing import find_duplicate
    corpus.make_document(TEXT, id="first")
    corpus.make_document(TEXT.upper(), id="second")       # case folded: the same text
    index()
    assert find_duplicate(store, TEXT)["id"] == "first"
    assert find_duplicate(store, TEXT, ignore_id="first")["id"] == "second"   # an edit of "first"
    assert find_duplicate(store, TEXT + " Encore.") is None


@pytest.mark.parametrize("values, problem", [
    ({"title": ""}, "A title is required."),
    ({"date": "2024-13"}, "The date"),
    ({"date": "2024-02-30"}, "“2024-02-30” is not a real date"),
    ({"language": "french"}, "Choose the language"),
    ({"type": "poem"}, "Choose one of"),
    ({"source_url": "javascript:alert(1)"}, "web address"),
    ({"translation_key": "Not A Key"}, "translation key"),
])
def test_publishing_checks_the_metadata(client, staff, settings, values, problem):
    location = upload(staff, text=TEXT).headers["Location"]
    response = publish(staff, location, **values)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert problem in html and 'aria-invalid="true"' in html
    assert list(settings.corpus_dir.rglob("*.md")) == []
    assert client.get(location).status_code == 200            # the draft is kept, with the edits
    assert field(client.get(location).get_data(as_text=True), "date") == values.get("date", field(
        client.get(location).get_data(as_text=True), "date"))


def test_discard(client, staff, settings):
    location = upload(staff, TEXT.encode(), "a.pdf".replace("pdf", "txt")).headers["Location"]
    response = staff.post(location, {"action": "discard"})
    assert response.status_code == 303
    assert client.get(location).status_code == 404
    assert stored_files(settings) == []
    assert audit.latest(settings, 1)[0]["action"] == "discard"


def test_the_same_title_twice_gets_another_file_name(client, staff, settings):
    for text in (TEXT, TEXT + "\n\nUne phrase de plus."):
        publish(staff, upload(staff, text=text).headers["Location"])
    assert sorted(p.name for p in settings.corpus_dir.rglob("*.md")) == [
        "declaration-des-maires-pour-la-jeunesse-2.fr.md", "declaration-des-maires-pour-la-jeunesse.fr.md"]


@pytest.mark.every_engine
def test_publishing_as_a_draft_hides_it_from_the_public(client, staff, store):
    response = publish(staff, upload(staff, text=TEXT).headers["Location"], status="draft")
    doc_id = response.headers["Location"].rsplit("/", 1)[1]
    assert ids_found(store, "associations quartier") == []
    assert client.get(f"/documents/{doc_id}").status_code == 404
    assert doc_id in client.get("/staff/?status=draft").get_data(as_text=True)


def test_uploads_are_listed_on_the_dashboard(client, staff):
    upload(staff, TEXT.encode(), "liste.txt")
    html = client.get("/staff/").get_data(as_text=True)
    assert "Uploads waiting for review" in html and "liste.txt" in html


def test_unknown_upload(client, staff):
    assert client.get("/staff/uploads/" + "A" * 22).status_code == 404


# -- kb add -----------------------------------------------------------------------------
def kb(runner, settings, *args, input=None):
    return runner.invoke(cli, ["--corpus", str(settings.corpus_dir), "--data", str(settings.data_dir),
                               *args], input=input, env=engine_environment(settings))


@pytest.mark.every_engine
def test_kb_add_a_pdf(runner, settings, store, tmp_path):
    path = tmp_path / "nice.pdf"
    path.write_bytes(pdf_bytes(["Declaration de Nice", "Nous nous engageons a proteger les lieux de culte."]))
    result = kb(runner, settings, "add", str(path), "--type", "statement", "--lang", "fr",
                "--date", "2024-05", "--organisation", "Ville de Nice", "--yes")
    assert result.exit_code == 0, result.output
    assert "added declaration-de-nice-fr" in result.output
    md = settings.corpus_dir / "statement" / "declaration-de-nice.fr.md"
    assert (settings.corpus_dir / "statement" / "declaration-de-nice.fr.pdf").read_bytes() == path.read_bytes()
    assert "date: 2024-05\n" in md.read_text() and "- Ville de Nice\n" in md.read_text()
    assert ids_found(store, "lieux culte") == ["declaration-de-nice-fr"]
    assert audit.latest(settings, 1)[0]["user"].startswith("cli")


def test_kb_add_shows_the_extraction_and_asks(runner, settings, tmp_path):
    path = tmp_path / "a.md"
    path.write_text(TEXT)
    result = kb(runner, settings, "add", str(path), input="n\n")
    assert result.exit_code == 0
    assert "cities:" in result.output and "commitments:" in result.output and "Publish it?" in result.output
    assert "Nothing was written." in result.output
    assert list(settings.corpus_dir.rglob("*")) == []


def test_kb_add_refuses_bad_files_and_duplicates(runner, settings, tmp_path):
    bad = tmp_path / "fake.pdf"
    bad.write_text(TEXT)
    result = kb(runner, settings, "add", str(bad), "--yes")
    assert result.exit_code == 1 and "named .pdf but its content is plain text" in result.output
    good = tmp_path / "good.txt"
    good.write_text(TEXT)
    assert kb(runner, settings, "add", str(good), "--yes").exit_code == 0
    result = kb(runner, settings, "add", str(good), "--yes")
    assert result.exit_code == 1 and "already document declaration-des-maires-pour-la-jeunesse-fr" in result.output
    assert len(list(settings.corpus_dir.rglob("*.md"))) == 1


def test_kb_add_needs_a_language_it_cannot_detect(runner, settings, tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("Ok.")                       # too little text to tell its language
    result = kb(runner, settings, "add", str(path), "--yes")
    assert result.exit_code == 1 and "Choose the language" in result.output and "give --lang" in result.output
    assert kb(runner, settings, "add", str(path), "--yes", "--lang", "en").exit_code == 0


@pytest.mark.every_engine
def test_when_indexing_fails_the_file_stays_and_kb_index_adds_it(settings, store, runner, make_app):
    from tests.staff_support import AuthActions

    app = make_app({"KB_SETTINGS": settings.replace(index_lock_timeout=0.2), "TESTING": True})
    auth = AuthActions(app, app.test_client())
    auth.create()
    auth.login()
    location = upload(auth, text=TEXT).headers["Location"]
    with store.write():                       # another writer holds the index lock
        response = publish(auth, location)
    assert response.status_code == 303
    flash = auth.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "It is saved but not searchable yet" in flash and "`kb index` will add it" in flash
    assert "not in the index yet" in flash
    assert len(list(settings.corpus_dir.rglob("*.md"))) == 1
    assert ids_found(store, "associations quartier") == []
    result = kb(runner, settings, "index")
    assert result.exit_code == 0 and "1 added" in result.output
    assert ids_found(store, "associations quartier") == ["declaration-des-maires-pour-la-jeunesse-fr"]


def test_corrections_before_publishing(client, staff, store, settings):
    """Issue 18, item 8: the review page corrects the extraction as the document page does."""
    location = upload(staff, text=TEXT, type="declaration").headers["Location"]
    html = client.get(location).get_data(as_text=True)
    assert "What was extracted, to correct" in html
    assert '<input form="review-form" type="text" name="city_add-0-name"' in html
    added = {"city_add-0-name": "Bruxelles", "city_add-0-country": "", "city_add-0-role": "signatory"}
    preview = publish(staff, location, action="preview", **added)
    assert preview.status_code == 200
    assert 'name="city_add-0-name" value="Brussels"' in preview.get_data(as_text=True)     # kept, normalised
    response = publish(staff, location, **added)
    assert response.status_code == 303
    doc_id = response.headers["Location"].rsplit("/", 1)[1]
    content = next(settings.corpus_dir.rglob(f"{doc_id.rsplit('-', 1)[0]}.fr.md")).read_text()
    assert "corrections:" in content and "name: Brussels" in content
    assert ids_found(store, "city:Brussels") == [doc_id]
    logged = audit.latest(settings, 1, action="publish")[0]
    assert logged["detail"]["corrections"] == {"cities": {"added": ["Brussels"]}}


class Killed(Exception):
    """The server stopping in the middle of a publish."""


def test_a_publish_cut_short_after_writing_its_file_is_ended_not_repeated(client, staff, settings, store,
                                                                         monkeypatch):
    """Killed just after the file was written, the upload is still listed; publishing it
    again must index that file, not write the text a second time as <slug>-2."""
    location = upload(staff, text=TEXT).headers["Location"]

    def killed(*args, **kwargs):
        raise Killed
    with monkeypatch.context() as patch:
        patch.setattr("kb.publishing.audit.record", killed)
        with pytest.raises(Killed):
            publish(staff, location)
    doc_id = "declaration-des-maires-pour-la-jeunesse-fr"
    assert [p.name for p in settings.corpus_dir.rglob("*.md")] == ["declaration-des-maires-pour-la-jeunesse.fr.md"]
    assert ids_found(store, "associations quartier") == [] and client.get(location).status_code == 200
    response = publish(staff, location)
    assert response.status_code == 303 and response.headers["Location"] == f"/staff/documents/{doc_id}"
    assert [p.name for p in settings.corpus_dir.rglob("*.md")] == ["declaration-des-maires-pour-la-jeunesse.fr.md"]
    assert ids_found(store, "associations quartier") == [doc_id]
    assert client.get(location).status_code == 404                  # the upload is gone


def test_a_text_written_but_not_indexed_is_a_duplicate(settings, store, make_app):
    """The duplicate check looks at the corpus too: a file left unindexed (the index was
    locked) holds the text, and another upload of it is refused, not stored as <slug>-2."""
    from tests.staff_support import AuthActions

    app = make_app({"KB_SETTINGS": settings.replace(index_lock_timeout=0.2), "TESTING": True})
    auth = AuthActions(app, app.test_client())
    auth.create()
    auth.login()
    with store.write():                       # another writer holds the index lock
        assert publish(auth, upload(auth, text=TEXT).headers["Location"]).status_code == 303
    response = publish(auth, upload(auth, text=TEXT.replace("\n\n", "\n\n\n")).headers["Location"])
    assert response.status_code == 409
    assert "document declaration-des-maires-pour-la-jeunesse-fr" in response.get_data(as_text=True)
    assert len(list(settings.corpus_dir.rglob("*.md"))) == 1
