"""Arriving at the words searched (issue 18, item 5): a document opened from a result
scrolls to the passage that matched, with the query's words (and their translation)
highlighted; the side-by-side view puts each section of one version beside the same
section of the other, whatever paragraphs one has more."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from . import corpus
from .conftest import browsing, screenshot, serving

pytestmark = pytest.mark.e2e

FILLER = "Le conseil municipal a examiné les rapports des services et des quartiers."
LONG_FR = "\n\n".join(["Plan de Liège pour le vivre-ensemble", "Introduction",
                       *[f"{FILLER} Point {n}." for n in range(1, 31)],
                       "Médiation",
                       "La ville forme des médiateurs de rue qui accompagnent les jeunes du quartier.",
                       *[f"{FILLER} Annexe {n}." for n in range(1, 11)]])
LONG_EN = "\n\n".join(["Liège plan for living together", "Introduction",
                       *[f"The city council reviewed reports from services and districts. Item {n}."
                         for n in range(1, 31)],
                       "Mediation",
                       "The city trains street mediators who support the young people of the district.",
                       *[f"The city council reviewed reports. Annex {n}." for n in range(1, 11)]])


@pytest.fixture(scope="module")
def long_server(tmp_path_factory):
    def build(store):
        corpus.build(store)
        with store.write() as writer:
            writer.put(corpus.record("liege-plan-fr", "Plan de Liège", LONG_FR, "fr", type="report",
                                     date="2022", translation_key="liege-plan"))
            writer.put(corpus.record("liege-plan-en", "Liège plan", LONG_EN.replace(
                "Item 1.", "Item 1.\n\nAn extra paragraph only in English."), "en", type="report",
                date="2022", translation_key="liege-plan"))
    with serving(tmp_path_factory.mktemp("e2e-long"), build=build) as url:
        yield url


def test_a_result_opens_at_its_passage_with_the_words_marked(browser, long_server):
    with browsing(browser, long_server, "fr") as page:
        page.goto("/")
        page.get_by_role("searchbox", name="Rechercher dans les documents").fill("médiateurs jeunes")
        page.get_by_role("searchbox", name="Rechercher dans les documents").press("Enter")
        # the plan is shown by its French version, which has the words as typed (its
        # English one, with their translations, scores higher but matches less)
        hit = page.locator("li.hit", has_text="Plan de Liège")
        hit.get_by_role("link", name="Plan de Liège").click()
        expect(page).to_have_url(re.compile(r"/documents/liege-plan-fr\?q=m%C3%A9diateurs\+jeunes#p-34$"))
        passage = page.locator("#p-34")
        expect(passage).to_be_in_viewport()
        assert page.evaluate("window.scrollY") > 1000                  # it scrolled down to it
        assert page.evaluate("document.querySelector(':target').id") == "p-34"
        expect(passage.locator("mark")).to_have_text(["médiateurs", "jeunes"])
        expect(page.locator("p.query-marks")).to_contain_text("2 occurrences de votre recherche")
        screenshot(page, "document-arrived-fr", full_page=False)
        # the other version keeps the search: the translations are marked there, at the
        # passage of its own numbering (one paragraph more before it)
        page.get_by_role("link", name=re.compile("Liège plan")).first.click()
        expect(page.locator("#p-35 mark")).to_have_text(["mediators", "young", "people"])
        page.get_by_role("link", name="Afficher sans surlignage").click()
        expect(page.locator("mark")).to_have_count(0)


def test_the_side_by_side_view_aligns_sections(browser, long_server):
    with browsing(browser, long_server) as page:
        page.goto("/documents/liege-plan-fr/compare/liege-plan-en")
        french = page.locator(".compare-cell[lang=fr] h3", has_text="Médiation")
        english = page.locator(".compare-cell[lang=en] h3", has_text="Mediation")
        french.scroll_into_view_if_needed()
        # English has one paragraph more before; the sections still start on one line
        assert abs(french.bounding_box()["y"] - english.bounding_box()["y"]) < 2
        assert french.evaluate("e => e.parentElement.dataset.section") == \
            english.evaluate("e => e.parentElement.dataset.section")
        screenshot(page, "compare-sections-en", full_page=False)
