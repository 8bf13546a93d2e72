"""The staff pages in French: their labels, and the refusals that kb and indexer explain
(model.messages.Message), shown in the interface language; the command line keeps English."""
from __future__ import annotations

import pytest

from indexer.formats import FormatError, UnsupportedFormat, read_upload
from model.messages import Message
from tests.staff_support import TEXT, csrf_token, publish, upload


@pytest.fixture
def french(client):
    client.set_cookie("lang", "fr")
    return client


def test_a_message_is_its_english_text():
    message = Message("the PDF has %(count)s pages; at most %(limit)s are accepted", count=900, limit=500)
    assert message == "the PDF has 900 pages; at most 500 are accepted"
    with pytest.raises(UnsupportedFormat) as refused:
        read_upload(b"Nous, les maires.", "notes.pdf")
    assert str(refused.value) == "the file is named .pdf but its content is plain text"
    assert refused.value.args[0].values["actual"].template == "plain text"


def test_login_in_french(french, auth):
    page = french.get("/staff/", follow_redirects=True).get_data(as_text=True)
    assert '<html lang="fr">' in page and "<h1>Connexion de l’équipe</h1>" in page
    assert "Connectez-vous pour utiliser les pages de l’équipe." in page    # Flask-Login's message
    assert "Staff login" not in page and "User name" not in page
    response = auth.login(password="wrong", client=french)
    assert response.status_code == 401
    assert "Nom d’utilisateur ou mot de passe incorrect." in response.get_data(as_text=True)


def test_staff_pages_in_french(french, auth):
    auth.login(client=french)
    dashboard = french.get("/staff/").get_data(as_text=True)
    assert "Ajouter un document" in dashboard and "Journal des actions" in dashboard
    assert "Add a document" not in dashboard and "Log out" not in dashboard
    add_page = french.get("/staff/add").get_data(as_text=True)
    assert "20 Mo au plus" in add_page and '<option value="press_release">Communiqué de presse</option>' in add_page


@pytest.mark.parametrize("content, name, status, expected", [
    (b"", "vide.pdf", 400, "« vide.pdf » n’a pas été accepté : le fichier est vide"),
    (b"Nous, les maires.", "notes.pdf", 415,
     "« notes.pdf » n’a pas été accepté : le fichier porte l’extension .pdf mais son contenu est du texte brut</p>"),
    (b"\x00\x01binary", "notes.txt", 415, "son contenu est un fichier binaire"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.docx", 415,
     "son contenu est un fichier Office d’ancien format ou protégé par un mot de passe (protégé par un mot"),
    ("Déclaration".encode("latin-1"), "notes.txt", 422, "le texte n’est pas en UTF-8 (octet indécodable 0xe9 à la position 1)"),
])
def test_refusals_in_french(french, auth, settings, content, name, status, expected):
    auth.login(client=french)
    response = upload(auth, content, name)
    assert response.status_code == status
    assert expected in response.get_data(as_text=True)
    assert list(settings.corpus_dir.rglob("*.md")) == []


def test_form_errors_in_french(french, auth, settings):
    auth.login(client=french)
    location = upload(auth, text=TEXT).headers["Location"]
    response = publish(auth, location, date="2024-02-30", title="")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Certains champs sont à corriger : Un titre est obligatoire." in html
    assert "La date « 2024-02-30 » n’est pas une date réelle" in html
    assert list(settings.corpus_dir.rglob("*.md")) == []


def test_published_and_deleted_in_french(french, auth, settings):
    auth.login(client=french)
    location = upload(auth, text=TEXT).headers["Location"]
    edit_page = publish(auth, location, title="Déclaration de Bordeaux").headers["Location"]
    page = french.get(edit_page).get_data(as_text=True)
    assert "« Déclaration de Bordeaux » publié sous" in page and "Il est maintenant dans l’index." in page
    assert "Villes trouvées" in page and "Bordeaux (France)" in page
    doc_id = edit_page.rsplit("/", 1)[1]
    refused = french.post(f"/staff/documents/{doc_id}/delete", data={"csrf_token": csrf_token(page)})
    assert refused.status_code == 400 and "Cochez la case qui confirme la suppression." in refused.get_data(as_text=True)


def test_english_is_unchanged(client, auth):
    auth.login()
    response = upload(auth, b"", "empty.pdf")
    assert "“empty.pdf” was not accepted: the file is empty" in response.get_data(as_text=True)
    with pytest.raises(FormatError, match="^the file is empty$"):
        read_upload(b"", "empty.pdf")


def test_the_messages_module_examples():
    import doctest

    import model.messages
    result = doctest.testmod(model.messages)
    assert result.attempted and not result.failed
