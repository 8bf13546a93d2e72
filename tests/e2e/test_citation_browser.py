"""Citations a researcher can paste or import (issue 18, item 4), in a real browser: the
citation names the publishing organisation (not those found in the text), its BibTeX, RIS
and CSL-JSON downloads, the original file for the public; the corpus path for staff only."""
from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from model.record import Extraction, Organisation
from tests.staff_support import PASSWORD

from . import corpus
from .conftest import browsing, screenshot, serving

pytestmark = pytest.mark.e2e
PDF = b"%PDF-1.4 the original of the Liege plan\n"


@pytest.fixture(scope="module")
def cited_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("e2e-cite")

    def build(store):
        corpus.build(store)
        with store.write() as writer:
            writer.put(corpus.record(
                "liege-2019", "Plan {prévention} & jeunesse", "Le plan de Liège, préparé avec l'AIMF.", "fr",
                type="report", date="2019-03-05", organisations=("Ville de Liège",),
                original="liege-2019.pdf", source_url="https://example.org/liege",
                extraction=Extraction(language="fr", organisations=(Organisation("AIMF", ("AIMF",)),))))
        (root / "corpus" / "report").mkdir(parents=True)
        (root / "corpus" / "report" / "liege-2019.pdf").write_bytes(PDF)

    with serving(root, staff=("alice", PASSWORD), build=build) as url:
        yield url


def download(page, link_name: str):
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name, exact=True).click()
    download = info.value
    with open(download.path(), "rb") as handle:
        return download.suggested_filename, handle.read()


def test_a_researcher_cites_and_downloads_the_original(browser, cited_server):
    with browsing(browser, cited_server) as page:
        page.goto("/search?q=plan+Liège")
        page.get_by_role("link", name="Plan {prévention} & jeunesse").click()
        citation = page.locator("#citation")
        expect(citation).to_have_text(re.compile(r"^Ville de Liège, “Plan \{prévention\} & jeunesse”, 5 March 2019, "
                                                 r"https://example\.org/liege \(accessed .+\)\.$"))
        expect(citation).not_to_contain_text("AIMF")
        expect(page.get_by_text("report/liege-2019.fr.md")).to_have_count(0)      # staff only
        screenshot(page, "document-citation-en", full_page=False)

        name, bib = download(page, "BibTeX")
        assert name == "liege-2019.bib"
        assert "author = {{Ville de Li\\`ege}}" in bib.decode() and "\\{pr\\'evention\\} \\&" in bib.decode()
        name, ris = download(page, "RIS")
        assert name == "liege-2019.ris" and ris.decode().startswith("TY  - RPRT\n")
        assert "AU  - Ville de Liège\n" in ris.decode()
        name, csl = download(page, "CSL-JSON")
        assert json.loads(csl)[0]["author"] == [{"literal": "Ville de Liège"}]
        name, original = download(page, "Download the original file (PDF)")
        assert (name, original) == ("liege-2019.pdf", PDF)


def test_staff_see_the_corpus_path(browser, cited_server):
    with browsing(browser, cited_server, "fr") as page:
        page.goto("/login")
        page.get_by_label("Nom d’utilisateur").fill("alice")
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.goto("/documents/liege-2019")
        expect(page.locator("dd", has_text="report/liege-2019.fr.md")).to_contain_text("équipe seulement")
        expect(page.get_by_role("link", name="Télécharger le fichier original (PDF)")).to_be_visible()
        expect(page.locator(".cite-exports")).to_contain_text("L’importer dans un gestionnaire de références")
