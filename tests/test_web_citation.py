"""Citations a researcher can paste or import (issue 18, item 4): the publishing
organisations of the front matter as authors, BibTeX, RIS and CSL-JSON exports, the
original file for the public when the setting allows it, the corpus path for staff only."""
from __future__ import annotations

import json
import re

import bibtexparser
import pytest
import rispy

from model.record import Extraction, Organisation
from tests.e2e import corpus as web_corpus

PDF = b"%PDF-1.4 the original\n"


@pytest.fixture
def site(store, client, corpus):
    web_corpus.build(store)
    with store.write() as writer:      # published by Liège; the text also names the AIMF
        writer.put(web_corpus.record(
            "liege-2019", "Plan {prévention} & 100% jeunesse", "Texte du plan, avec l'AIMF.", "fr",
            type="report", date="2019-03-05", organisations=("Ville de Liège",), original="liege-2019.pdf",
            extraction=Extraction(language="fr", organisations=(Organisation("AIMF", ("AIMF",)),
                                                                Organisation("Ville de Liège", ())))))
    corpus.write("report/liege-2019.pdf", PDF)
    return client


def get(client, url: str, status: int = 200):
    response = client.get(url)
    response.get_data()
    response.close()            # a file sent is closed
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response


def test_the_citation_s_author_is_the_publishing_organisation(site):
    html = get(site, "/documents/liege-2019").get_data(as_text=True)
    citation = re.search(r'<p id="citation" class="citation">(.*?)</p>', html).group(1)
    assert citation.startswith("Ville de Liège, “Plan {prévention} &amp; 100% jeunesse”, 5 March 2019, ")
    assert "AIMF" not in citation                       # extracted from the text, not its author
    assert "AIMF" in html                               # still shown among the organisations


def test_bibtex_export(site):
    response = get(site, "/documents/liege-2019/citation.bib")
    assert response.mimetype == "application/x-bibtex"
    assert response.headers["Content-Disposition"] == 'attachment; filename="liege-2019.bib"'
    text = response.get_data(as_text=True)
    [entry] = bibtexparser.parse_string(text).entries
    assert entry.entry_type == "misc" and entry.key == "liege-2019"
    assert entry["author"] == "{Ville de Li\\`ege}"                 # one corporate author, not split
    assert entry["title"] == "Plan \\{pr\\'evention\\} \\& 100\\% jeunesse"   # braces cannot end the field
    assert (entry["year"], entry["month"], entry["note"]) == ("2019", "3", "Report")
    assert entry["url"] == "http://localhost/documents/liege-2019" and re.match(r"\d{4}-\d\d-\d\d$", entry["urldate"])


def test_ris_export(site):
    response = get(site, "/documents/liege-2019/citation.ris")
    assert response.mimetype == "application/x-research-info-systems"
    [entry] = rispy.loads(response.get_data(as_text=True))
    assert entry["type_of_reference"] == "RPRT" and entry["authors"] == ["Ville de Liège"]
    assert entry["title"] == "Plan {prévention} & 100% jeunesse"
    assert entry["date"] == "2019/03/05/" and entry["urls"] == ["http://localhost/documents/liege-2019"]


def test_csl_json_export(site):
    response = get(site, "/documents/melbourne-2018-fr/citation.json")
    assert response.mimetype == "application/vnd.citationstyles.csl+json"
    [item] = json.loads(response.get_data(as_text=True))
    assert item["author"] == [{"literal": "Strong Cities Network"}]
    assert item["title"] == "Déclaration de Melbourne" and item["issued"] == {"date-parts": [[2018, 7]]}
    assert item["URL"] == "https://example.org/melbourne-fr" and item["type"] == "document"
    assert item["genre"] == "Declaration" and item["language"] == "fr"
    undated = json.loads(get(site, "/documents/undated-note/citation.json").get_data(as_text=True))[0]
    assert "issued" not in undated and "author" not in undated
    get(site, "/documents/nope/citation.bib", 404)
    get(site, "/documents/liege-2019/citation.xml", 404)


def test_the_page_links_the_exports_and_the_original(site):
    html = get(site, "/documents/liege-2019").get_data(as_text=True)
    for extension in ("bib", "ris", "json"):
        assert f'href="/documents/liege-2019/citation.{extension}"' in html
    assert '<a class="original" href="/documents/liege-2019/original" download>' in html
    response = get(site, "/documents/liege-2019/original")
    assert response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert 'class="original"' not in get(site, "/documents/melbourne-2018-fr").get_data(as_text=True)
    get(site, "/documents/melbourne-2018-fr/original", 404)


def test_originals_for_staff_only_when_the_setting_is_off(site, app, auth):
    app.extensions["kb"].settings = app.extensions["kb"].settings.replace(public_originals=False)
    assert 'class="original"' not in get(site, "/documents/liege-2019").get_data(as_text=True)
    get(site, "/documents/liege-2019/original", 403)
    auth.login()
    assert 'class="original"' in get(site, "/documents/liege-2019").get_data(as_text=True)
    assert get(site, "/documents/liege-2019/original").data == PDF


def test_the_corpus_path_is_for_staff_only(site, auth):
    path = "report/liege-2019.fr.md"
    assert path not in get(site, "/documents/liege-2019").get_data(as_text=True)
    assert "path" not in get(site, "/api/documents/liege-2019").get_json()
    assert all("path" not in hit for hit in get(site, "/api/search?q=plan").get_json()["hits"])
    assert ",path" not in get(site, "/api/search.csv?q=plan").get_data(as_text=True).splitlines()[0]
    auth.login()
    assert f"<code>{path}</code>" in get(site, "/documents/liege-2019").get_data(as_text=True)
    assert get(site, "/api/documents/liege-2019").get_json()["path"] == path
    assert get(site, "/api/search.csv?q=plan").get_data(as_text=True).splitlines()[0].endswith(",path")
