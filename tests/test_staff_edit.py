"""Correcting documents from the staff pages: metadata, text and extraction corrections;
unpublish and publish again; delete and restore (web and `kb restore`); the audit log."""
from __future__ import annotations

import html as html_module
import re

import pytest

from kb import audit, history
from kb.cli import cli
from kb.search import SearchRequest, get_document, search
from tests.conftest import engine_environment

BODY = ("Les maires réunis à Lyon le 14 mai 2024 ont adopté une déclaration commune.\n\n"
        "Nous nous engageons à former les agents municipaux contre la radicalisation.")


@pytest.fixture
def doc(corpus, index, auth):
    path = corpus.make_document(BODY, id="lyon-declaration", title="Déclaration de Lyon",
                                date="2024-05", organisations=["Ville de Lyon"])
    index()
    auth.login()
    return path


def page(client, doc_id="lyon-declaration") -> str:
    response = client.get(f"/staff/documents/{doc_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def form_of(html: str) -> dict[str, str]:
    """The values the edit form would send as it is (text fields, selects, textareas,
    ticked boxes)."""
    form = re.search(r'<form method="post" action="/staff/documents/[^"]+" class="stacked" id="edit-form">(.*?)</form>',
                     html, re.S).group(1)
    data: dict = {}
    for name, value in re.findall(r'<input(?![^>]*type="checkbox")[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form):
        data[name] = html_module.unescape(value)
    for name, value in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        data[name] = html_module.unescape(value)
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', options) or re.search(r'<option value="([^"]*)"', options)
        data[name] = chosen.group(1)
    ticked = re.findall(r'<input type="checkbox" name="([^"]+)" value="([^"]*)" checked>', form)
    for name, value in ticked:
        data.setdefault(name, []).append(html_module.unescape(value))
    data.pop("csrf_token", None)
    return data


def save(auth, html: str, doc_id="lyon-declaration", **changes):
    data = {**form_of(html), "action": "save", **changes}
    return auth.post(f"/staff/documents/{doc_id}", data)


def found(store, query):
    return [h.id for h in search(store, SearchRequest(query=query, expand=False)).hits]


def test_the_edit_page_shows_the_document(client, doc):
    html = page(client)
    assert "Déclaration de Lyon" in html and "declaration/lyon-declaration.md" in html
    form = form_of(html)
    assert form["title"] == "Déclaration de Lyon" and form["date"] == "2024-05"
    assert form["organisations"] == "Ville de Lyon" and form["language"] == "fr"
    assert form["text"].strip() == BODY
    assert "Extraction and corrections" in html


@pytest.mark.every_engine
def test_save_metadata_and_text(client, doc, auth, store, settings):
    html = page(client)
    response = save(auth, html, title="Déclaration commune de Lyon", date="2024-05-14",
                    text=BODY + "\n\nNous soutiendrons les associations sportives.")
    assert response.status_code == 303
    content = doc.read_text()
    assert "title: Déclaration commune de Lyon\n" in content and "date: '2024-05-14'\n" in content
    assert "associations sportives" in content
    assert found(store, "associations sportives") == ["lyon-declaration"]
    assert get_document(store, "lyon-declaration")["title"] == "Déclaration commune de Lyon"
    entry = history.entries(settings, "lyon-declaration")[0]
    assert entry.kind == "replaced" and "Déclaration de Lyon" in entry.stored(entry.files[0]).read_text()
    logged = audit.latest(settings, 1)[0]
    assert logged["action"] == "update" and logged["user"] == "alice"
    assert logged["detail"]["fields"] == ["title", "date"] and logged["detail"]["text_changed"] is True


@pytest.mark.every_engine
def test_changing_the_type_moves_the_file(client, doc, auth, store, settings):
    save(auth, page(client), type="statement")
    assert not doc.exists()
    assert (settings.corpus_dir / "statement" / "lyon-declaration.md").is_file()
    assert store.get("lyon-declaration", include_drafts=True).path == "statement/lyon-declaration.md"
    assert len(store.indexed()) == 1


def test_a_save_over_someone_elses_is_refused(client, doc, auth):
    html = page(client)
    assert save(auth, html, title="First save").status_code == 303
    response = save(auth, html, title="Second save from the same old page")
    assert response.status_code == 409
    assert "changed by someone else since you opened it" in response.get_data(as_text=True)
    assert "title: First save\n" in doc.read_text()


def test_bad_metadata_or_corrections_are_refused_and_nothing_changes(client, doc, auth):
    before = doc.read_bytes()
    for changes, message in [({"title": ""}, "A title is required."),
                             ({"date": "14/05/2024"}, "The date"),
                             ({"text": "   "}, "The text is empty."),
                             ({"city_add-0-name": "Nowhereville", "city_add-0-country": "FR"}, "No city called"),
                             ({"commitment_add-0-text": "Une phrase qui n'est pas dans le texte."}, "must be a sentence of the text"),
                             ({"date_add-0-value": "mai 2024"}, "“mai 2024” is not a real date"),
                             ({"date_add-0-value": "2024-02-30"}, "“2024-02-30” is not a real date"),
                             ({"date_add-0-value": "2024-05-14", "date_add-0-end": "2024-13"},
                              "“2024-13” is not a real date")]:
        response = save(auth, page(client), **changes)
        assert response.status_code == 422, changes
        assert message in response.get_data(as_text=True), changes
    assert doc.read_bytes() == before


def test_preview_extracts_again_without_saving(client, doc, auth):
    before = doc.read_bytes()
    response = auth.post("/staff/documents/lyon-declaration",
                         {**form_of(page(client)), "action": "preview", "text": "Une autre version à Marseille."})
    assert response.status_code == 200 and "Une autre version à Marseille." in response.get_data(as_text=True)
    assert doc.read_bytes() == before


@pytest.mark.every_engine
def test_add_a_city_date_and_commitment(client, doc, auth, store):
    response = save(auth, page(client), **{
        "city_add-0-name": "Bruxelles", "city_add-0-country": "", "city_add-0-role": "signatory",
        "date_add-0-value": "2024-06-01", "date_add-0-role": "deadline",
        "commitment_add-0-text": "ont adopté une déclaration commune", "commitment_add-0-actor": "Les maires"})
    assert response.status_code == 303
    content = doc.read_text()
    assert "corrections:" in content and "name: Brussels" in content and "country: BE" in content
    extraction = get_document(store, "lyon-declaration")["extraction"]
    assert {"name": "Brussels", "country": "BE"}.items() <= next(
        c for c in extraction["cities"] if c["name"] == "Brussels").items()
    assert ("2024-06-01", "deadline") in [(d["value"], d["role"]) for d in extraction["dates"]]
    assert ("ont adopté une déclaration commune", "Les maires") in [
        (c["text"], c["actor"]) for c in extraction["commitments"]]
    html = page(client)                              # the additions come back as editable rows
    assert 'name="city_add-0-name" value="Brussels"' in html
    assert found(store, "city:Brussels") == ["lyon-declaration"]


@pytest.mark.slow   # depends on what the real extractor finds in BODY
def test_remove_what_extraction_got_wrong(client, doc, auth, store):
    html = page(client)
    extraction = get_document(store, "lyon-declaration")["extraction"]
    city = extraction["cities"][0]["name"]
    commitment = extraction["commitments"][0]["text"]
    response = save(auth, html, city_remove=[city], commitment_remove=[commitment])
    assert response.status_code == 303
    corrected = get_document(store, "lyon-declaration")["extraction"]
    assert city not in [c["name"] for c in corrected["cities"]]
    assert commitment not in [c["text"] for c in corrected["commitments"]]
    html = page(client)                               # shown ticked, struck through
    assert re.search(rf'<input type="checkbox" name="city_remove" value="{city}" checked>', html)
    # and they stay removed through a full rebuild
    from kb.sync import sync_index
    sync_index(auth.settings, store, rebuild=True)
    assert city not in [c["name"] for c in get_document(store, "lyon-declaration")["extraction"]["cities"]]


@pytest.mark.every_engine
def test_unpublish_and_publish_again(client, doc, auth, store, settings):
    response = auth.post("/staff/documents/lyon-declaration/status", {"status": "draft"})
    assert response.status_code == 303
    assert "status: draft\n" in doc.read_text()
    assert found(store, "radicalisation") == []
    assert client.get("/documents/lyon-declaration").status_code == 404
    assert client.get("/api/documents/lyon-declaration").status_code == 404
    assert "draft: hidden from the public" in page(client)
    auth.post("/staff/documents/lyon-declaration/status", {"status": "published"})
    assert found(store, "radicalisation") == ["lyon-declaration"]
    assert client.get("/documents/lyon-declaration").status_code == 200
    assert [e["action"] for e in audit.latest(settings, 2)] == ["republish", "unpublish"]


@pytest.mark.every_engine
def test_delete_needs_confirming_then_goes_to_the_history(client, doc, auth, store, settings):
    response = auth.post("/staff/documents/lyon-declaration/delete", {})
    assert response.status_code == 400 and doc.exists()
    response = auth.post("/staff/documents/lyon-declaration/delete", {"confirm": "yes"})
    assert response.status_code == 303 and response.headers["Location"] == "/staff/history"
    assert not doc.exists()
    assert found(store, "radicalisation") == []
    assert client.get("/documents/lyon-declaration").status_code == 404
    html = client.get("/staff/history").get_data(as_text=True)
    assert "Déclaration de Lyon" in html and "deleted" in html
    entry = history.entries(settings)[0]
    assert entry.stored("declaration/lyon-declaration.md").read_text().endswith(BODY + "\n")
    assert not any(settings.corpus_dir.rglob("*.md"))


@pytest.mark.every_engine
def test_restore_from_the_history_page(client, doc, auth, store, settings):
    auth.post("/staff/documents/lyon-declaration/delete", {"confirm": "yes"})
    entry = history.entries(settings)[0]
    response = auth.post(f"/staff/history/{entry.id}/restore", {})
    assert response.status_code == 303
    assert doc.read_text().endswith(BODY + "\n")
    assert found(store, "radicalisation") == ["lyon-declaration"]
    response = auth.post(f"/staff/history/{entry.id}/restore", {})      # it is there again
    assert response.status_code == 409
    assert "exists again in the corpus" in response.get_data(as_text=True)


@pytest.mark.every_engine
def test_restore_an_earlier_version(client, doc, auth, store, settings):
    save(auth, page(client), title="Une version malheureuse")
    entry = history.entries(settings, "lyon-declaration")[0]
    response = auth.post(f"/staff/history/{entry.id}/restore", {})
    assert response.status_code == 303
    assert "title: Déclaration de Lyon\n" in doc.read_text()
    assert get_document(store, "lyon-declaration")["title"] == "Déclaration de Lyon"
    kinds = [e.kind for e in history.entries(settings, "lyon-declaration")]
    assert kinds == ["replaced", "replaced"]       # the unlucky version is kept too


@pytest.mark.every_engine
def test_kb_restore_lists_and_restores(runner, doc, auth, store, settings):
    auth.post("/staff/documents/lyon-declaration/delete", {"confirm": "yes"})
    args = ["--corpus", str(settings.corpus_dir), "--data", str(settings.data_dir)]
    env = engine_environment(settings)
    listing = runner.invoke(cli, [*args, "restore"], env=env)
    entry_id = listing.output.split("\t", 1)[0]
    assert "deleted by alice" in listing.output and "declaration/lyon-declaration.md" in listing.output
    result = runner.invoke(cli, [*args, "restore", entry_id], env=env)
    assert result.exit_code == 0, result.output
    assert doc.exists() and found(store, "radicalisation") == ["lyon-declaration"]
    assert runner.invoke(cli, [*args, "restore", "no-such-entry"]).exit_code == 1
    log = runner.invoke(cli, [*args, "log", "--document", "lyon-declaration"]).output.splitlines()
    assert [line.split("  ")[2] for line in log] == ["restore", "delete"]


def test_unknown_documents_are_404(client, auth):
    auth.login()
    assert client.get("/staff/documents/nope").status_code == 404
    assert auth.post("/staff/documents/nope/delete", {"confirm": "yes"}).status_code == 404
    assert auth.post("/staff/documents/nope/status", {"status": "draft"}).status_code == 404


def test_the_audit_log_page(client, doc, auth):
    save(auth, page(client), title="Nouveau titre")
    html = client.get("/staff/log").get_data(as_text=True)
    assert "<td>Corrected</td>" in html and "lyon-declaration" in html and "alice" in html
    html = client.get("/staff/log?action=login").get_data(as_text=True)
    assert "Corrected</td>" not in html and "<td>Logged in</td>" in html
    assert '<option value="update">Corrected</option>' in html


def test_titles_and_texts_are_escaped_everywhere(client, corpus, index, auth):
    corpus.make_document("Nous nous engageons <script>alert(1)</script> contre la haine.",
                         id="xss", title="<img src=x onerror=alert(1)>")
    index()
    auth.login()
    for url in ("/staff/", "/staff/documents/xss"):
        html = client.get(url).get_data(as_text=True)
        assert "<img src=x" not in html and "<script>alert" not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html


# -- staff in French and in detail (issue 18, item 8) -----------------------------------------
def test_the_audit_log_says_what_changed(client, doc, auth):
    response = save(auth, page(client), title="Déclaration de Lyon (révisée)",
                    text=BODY.replace("ont adopté", "ont signé"),
                    **{"city_add-0-name": "Bruxelles", "city_add-0-country": "", "city_add-0-role": "signatory"})
    assert response.status_code == 303
    html = client.get("/staff/log").get_data(as_text=True)
    assert '<span class="detail">Fields changed: Title</span>' in html
    assert '<span class="detail">Cities added: Brussels</span>' in html
    assert re.search(r'<span class="del">-Les maires réunis à Lyon le 14 mai 2024 ont adopté', html)
    assert re.search(r'<span class="add">\+Les maires réunis à Lyon le 14 mai 2024 ont signé', html)
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT[\d:]+\+00:00" data-local>\d{1,2} \w{3} \d{4}, \d\d:\d\d UTC</time>',
                     html)
    assert "When (UTC)" not in html
    french = client.get("/staff/log", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "<td>Corrigé</td>" in french and "Champs modifiés : Titre" in french
    assert "Villes ajoutées : Brussels" in french and "Fichier : declaration/lyon-declaration.md" in french
    assert "Texte modifié : la différence" in french
    home = client.get("/staff/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "<strong>Corrigé</strong>" in home and "Champs modifiés : Titre" in home


def test_unpublishing_says_the_document_is_hidden(client, doc, auth):
    response = auth.post("/staff/documents/lyon-declaration/status", {"status": "draft"})
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Unpublished: the document is hidden from the public. Search and its pages no longer show it." in html
    assert "in the index now" not in html
    response = auth.post("/staff/documents/lyon-declaration/status", {"status": "published"})
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Published: the document is public again. Search shows it again." in html


def test_a_long_upload_says_it_is_working(client, auth):
    auth.login()
    html = client.get("/staff/add").get_data(as_text=True)
    assert 'data-working="Reading the file and extracting what it says… A long PDF takes up to a minute' in html
