"""The interface in French and English: every message translated, the language chosen from
Accept-Language or the cookie the switch sets, dates in words in the interface language."""
from __future__ import annotations

import ast
import re
from html import unescape
from pathlib import Path

import pytest

from tests.e2e import corpus as web_corpus
from webapp import i18n

WEBAPP = Path(i18n.__file__).parent
TEMPLATE_MESSAGE = re.compile(
    r"""\b(?P<fn>_n?)\(\s*(?P<q>["'])(?P<a>(?:(?!(?P=q)).)*)(?P=q)"""
    r"""(?:\s*,\s*(?P<q2>["'])(?P<b>(?:(?!(?P=q2)).)*)(?P=q2))?""", re.S)
ROOT = WEBAPP.parent
MESSAGE_CALLS = {"translate": 1, "translate_plural": 2, "Message": 1}   # name: how many leading texts


def python_messages(path: Path) -> set[str]:
    """The texts given to translate(), translate_plural() and Message() in a Python file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MESSAGE_CALLS:
            for arg in node.args[:MESSAGE_CALLS[node.func.id]]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.add(arg.value)
    return found


def interface_messages() -> set[str]:
    """Every English message of the templates, the views, i18n.py's labels, and the
    Messages of kb and indexer (what staff pages show of their errors)."""
    found: set[str] = set()
    for path in WEBAPP.joinpath("templates").rglob("*.html"):
        for match in TEMPLATE_MESSAGE.finditer(path.read_text(encoding="utf-8")):
            found.add(match["a"])
            if match["fn"] == "_n" and match["b"] is not None:
                found.add(match["b"])
    for package in ("webapp", "kb", "indexer", "model"):
        for path in ROOT.joinpath(package).rglob("*.py"):
            found |= python_messages(path)
    for names in (i18n.FACET_NAMES, *i18n.VALUE_NAMES.values(), i18n.ROLE_NAMES):
        found.update(names.values())
    return found


def test_the_collector_sees_staff_pages_and_kb_messages():
    messages = interface_messages()
    assert {"Staff login", "Review before publishing", "the file is empty",
            "Some fields need correcting: %(problems)s"} <= messages


def test_every_message_has_a_french_translation():
    french = i18n.catalog("fr")
    missing = sorted(m for m in interface_messages() if m not in french)
    assert not missing, f"add these to webapp/translations/fr.yaml: {missing}"


@pytest.mark.parametrize("message", sorted(i18n.catalog("fr")))
def test_translations_keep_their_placeholders(message):
    placeholders = re.compile(r"%\((\w+)\)")
    assert sorted(placeholders.findall(i18n.catalog("fr")[message])) == sorted(placeholders.findall(message))


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
