"""The interface in French and English: every message translated, the language chosen from
Accept-Language or the cookie the switch sets, dates in words in the interface language."""
from __future__ import annotations

import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from model.fields import FIELDS
from tests.e2e import corpus as web_corpus
from webapp import i18n

ROOT = Path(i18n.__file__).parent.parent
CATALOG = ROOT / "webapp/translations/fr/LC_MESSAGES/messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """Every English message of the interface, as ``pybabel extract`` finds them (babel.cfg:
    the templates, the views, lazy_gettext, and the Messages of kb, indexer and model)."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg",
                    "--no-location", "-o", str(pot), "."], cwd=ROOT, check=True)
    with pot.open("rb") as handle:
        return {message.id for message in read_po(handle) if message.id}


@pytest.fixture(scope="module")
def french():
    with CATALOG.open("rb") as handle:
        return read_po(handle)


def texts(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def test_extraction_sees_staff_pages_kb_messages_and_field_labels(extracted):
    assert {"Staff login", "Review before publishing", "the file is empty", "From", "signatory",
            "Some fields need correcting: %(problems)s", ("%(n)s document", "%(n)s documents")} <= extracted
    labels = {str(f.label) for f in FIELDS} | {str(v) for f in FIELDS for v in f.value_labels.values()}
    assert labels <= extracted, "write the labels of model/fields.py as Message(\"…\")"


def test_every_message_has_a_french_translation(extracted, french):
    missing = sorted(str(m) for m in extracted
                     if not (french.get(m) and all(texts(french.get(m))) and not french.get(m).fuzzy))
    assert not missing, f"run `make translations`, then write their French in {CATALOG.relative_to(ROOT)}: {missing}"


def test_the_catalog_holds_only_messages_of_the_interface(extracted, french):
    unused = sorted(str(m.id) for m in french if m.id and m.id not in extracted)
    assert not unused, f"no longer in the interface (`make translations` drops them): {unused}"


def test_translations_keep_their_placeholders(french):
    wrong = []
    for message in french:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = sorted(set(PLACEHOLDER.findall(ids[-1])))
        wrong += [text for text in texts(message) if text and sorted(set(PLACEHOLDER.findall(text))) != wanted]
    assert not wrong


def test_the_compiled_catalog_is_current(french):
    """Flask-Babel reads the .mo that `make install` compiles from the .po."""
    compiled = CATALOG.with_suffix(".mo")
    assert compiled.is_file(), "run `make install` to compile the catalogs"
    with compiled.open("rb") as handle:
        current = {plain(m.id): plain(m.string) for m in read_mo(handle) if m.id}
    wanted = {plain(m.id): plain(m.string) for m in french if m.id and not m.fuzzy}
    assert current == wanted, "run `make install` to compile the catalogs again"


def plain(text):
    return tuple(text) if isinstance(text, (list, tuple)) else text


@pytest.mark.parametrize("value, lang, expected", [
    ("2024-04-08", "fr", "8 avril 2024"), ("2024-04-08", "en", "8 April 2024"),
    ("2024-05-01", "fr", "1er mai 2024"), ("2018-07", "fr", "juillet 2018"),
    ("2018-07", "en", "July 2018"), ("2016", "fr", "2016"), ("2016-08-15", "en", "15 August 2016"),
    ("", "fr", ""), (None, "en", ""), ("someday", "en", "someday"), ("2018-13", "en", "2018"),
])
def test_dates_in_words(value, lang, expected):
    assert i18n.format_date(value, lang) == expected


def test_date_ranges():
    assert i18n.format_range("2024-05-14", "2024-05-15", "fr") == "14 mai 2024 – 15 mai 2024"
    assert i18n.format_range("2024-05-14", None, "en") == "14 May 2024"


@pytest.fixture
def site(store, client):
    web_corpus.build(store)
    return client


def test_english_by_default(site):
    response = site.get("/timeline")
    html = response.get_data(as_text=True)
    assert '<html lang="en">' in html and ">Timeline</h1>" in html
    assert "July 2018" in html and "8 April 2016" in html
    assert "Accept-Language" in response.headers["Vary"]


def test_french_from_accept_language(site):
    html = site.get("/timeline", headers={"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="fr">' in html and ">Chronologie</h1>" in html
    assert "juillet 2018" in html and "8 avril 2016" in html and "Communiqué de presse" in html
    assert ">Rechercher</button>" in html


@pytest.mark.parametrize("header, expected", [
    ("de, fr-BE;q=0.5, en;q=0.3", "fr"), ("en-US,en;q=0.9,fr;q=0.8", "en"), ("fr-CA", "fr"),
    ("*", "en"), ("", "en"), ("es, de;q=0.8", "en"), ("EN-gb", "en"), ("fr;q=0.2, en;q=0.1", "fr"),
])
def test_language_from_accept_language(site, header, expected):
    html = site.get("/timeline", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{expected}">' in html


def test_a_language_the_site_does_not_have_falls_back_to_english(site):
    html = site.get("/timeline", headers={"Accept-Language": "de-DE,de;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in html


def test_switch_sets_a_cookie_and_goes_back(site):
    response = site.get("/language/fr?next=/search?q%3Dhaine%26type%3Ddeclaration")
    assert response.status_code == 303
    assert response.headers["Location"] == "/search?q=haine&type=declaration"
    assert "lang=fr" in response.headers["Set-Cookie"] and "Max-Age=" in response.headers["Set-Cookie"]
    # remembered, whatever the browser says
    html = site.get("/commitments", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="fr">' in html and ">Engagements</h1>" in html
    site.get("/language/en?next=/commitments")
    assert '<html lang="en">' in site.get("/commitments").get_data(as_text=True)


def test_switch_links_point_back_to_the_page(site):
    html = site.get("/search?q=haine&type=declaration").get_data(as_text=True)
    assert 'href="/language/fr?next=/search?q%3Dhaine%26type%3Ddeclaration"' in html
    assert 'hreflang="fr"' in html


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example",
                                    "javascript:alert(1)", "", "/x\r\nSet-Cookie: a=1", "/x\x85y",
                                    "/x\u2028y", "/x\x7f", "/\u202eevil"])
def test_switch_never_redirects_off_site(site, target):
    response = site.get("/language/fr", query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_unknown_language_sets_nothing(site):
    response = site.get("/language/de?next=/timeline")
    assert response.status_code == 303 and "Set-Cookie" not in response.headers


def test_search_page_in_french(site):
    html = site.get("/search?q=radicalisation", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert re.search(r"<strong>2</strong> résultats pour <q>radicalisation</q>", html)
    assert "Trier par" in html and ">Thème</h3>" in html
    assert "Ajouter le filtre : </span>Déclaration</a>" in html            # type labels
    assert "Ajouter le filtre : </span>Coopération entre villes</a>" in html   # theme labels
    assert "29 septembre 2015" in html


def test_document_page_in_french_with_citation(site):
    html = site.get("/documents/aimf-2016", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "8 avril 2016" in html and "Citer ce document" in html
    assert re.search(r"AIMF, « L&#39;AIMF contre le terrorisme », 8 avril 2016, http://localhost/documents/aimf-2016 "
                     r"\(consulté le \d", html)


@pytest.mark.parametrize("path, french, english", [
    ('/search?q="haine', "Guillemet non fermé : ajoutez un", 'Unclosed quote: add a closing'),
    ("/search?q=haine+AND", "'AND' doit être suivi d’un mot.", "'AND' needs a word after it."),
    ("/commitments?year=20x6", "'year' doit être une année comme 2016, pas '20x6'.",
     "'year' must be a year such as 2016, not '20x6'."),
])
def test_query_errors_in_the_interface_language_and_english_in_the_api(site, path, french, english):
    response = site.get(path, headers={"Accept-Language": "fr"})
    assert response.status_code == 400 and french in unescape(response.get_data(as_text=True))
    api = site.get("/api" + path, headers={"Accept-Language": "fr"})
    assert api.status_code == 400 and english in api.get_json()["error"]["message"]


def test_error_pages_explain_in_the_interface_language(site):
    missing = site.get("/no/such/page", headers={"Accept-Language": "fr"})
    assert missing.status_code == 404
    assert "Il n’y a rien à cette adresse" in missing.get_data(as_text=True)
    assert "requested URL" not in missing.get_data(as_text=True)
    wrong_method = site.post("/timeline")
    assert wrong_method.status_code == 405
    assert "This address cannot be used that way." in wrong_method.get_data(as_text=True)
    unknown = site.get("/documents/nope", headers={"Accept-Language": "fr"})
    assert unknown.status_code == 404 and "Aucun document" in unknown.get_data(as_text=True)
