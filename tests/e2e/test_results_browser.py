"""Results that say what they are (issue 18, item 1): a relaxed query lists the documents
with every word first, then, under their own heading, those with only some of the words,
whatever the sort; the count says how many of each; a result found only through a
translation of the words says so. In English and in French."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import browsing, screenshot

pytestmark = pytest.mark.e2e

TEXT = {
    "en": {"box": "Search the documents", "count": "(1 with every word as typed, 4 with some of the words)",
           "all": "With every word", "some": "Also matching some of your words", "sort": "Sort by",
           "newest": "newest first", "translated": "through a translation"},
    "fr": {"box": "Rechercher dans les documents",
           "count": "(1 avec tous les mots tels que saisis, 4 avec une partie des mots)",
           "all": "Avec tous les mots", "some": "Aussi, avec une partie de vos mots seulement",
           "sort": "Trier par", "newest": "plus récents d'abord", "translated": "par une traduction"},
}


def search_for(page, text: str, box: str) -> None:
    page.get_by_role("searchbox", name=box).fill(text)
    page.get_by_role("searchbox", name=box).press("Enter")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_relaxed_query_lists_every_word_first_then_some_of_the_words(browser, live_server, language):
    text = TEXT[language]
    with browsing(browser, live_server, language) as page:
        page.goto("/")
        search_for(page, "maires terrorisme", text["box"])     # both words in one document only
        expect(page.get_by_role("status")).to_contain_text(text["count"])
        expect(page.locator("h2.match-heading")).to_have_count(2)
        every, some = page.locator("h2.match-heading").all()
        expect(every).to_have_text(text["all"])
        expect(some).to_have_text(text["some"])
        first = page.locator("ol.hits").nth(0).locator("li.hit")
        rest = page.locator("ol.hits").nth(1).locator("li.hit")
        expect(first).to_have_count(1)
        expect(first.locator("h2")).to_have_text("L'AIMF contre le terrorisme")
        expect(rest).to_have_count(4)
        assert page.locator("ol.hits").nth(1).get_attribute("start") == "2"
        # the headings sit between the results, in the order read
        assert every.bounding_box()["y"] < first.bounding_box()["y"] < some.bounding_box()["y"] \
            < rest.first.bounding_box()["y"]
        screenshot(page, f"results-relaxed-{language}")
        # newest first: the document with every word is still first (it is from 2016)
        page.get_by_label(text["sort"]).select_option(label=text["newest"])
        expect(page).to_have_url(re.compile(r"sort=newest"))
        expect(page.locator("ol.hits").nth(0).locator("li.hit h2")).to_have_text("L'AIMF contre le terrorisme")
        expect(page.locator("h2.match-heading").nth(1)).to_have_text(text["some"])
        dates = page.locator("ol.hits").nth(1).locator("li.hit time").evaluate_all(
            "els => els.map(e => e.getAttribute('datetime'))")
        assert dates == sorted(dates, reverse=True) and dates[0] > "2016"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_results_found_through_a_translation_say_so(browser, live_server, language):
    text = TEXT[language]
    with browsing(browser, live_server, language) as page:
        page.goto("/")
        search_for(page, "haine", text["box"])       # 'hate' in two English documents
        expect(page.locator("h2.match-heading")).to_have_count(0)
        melbourne = page.locator("li.hit", has_text="Déclaration de Melbourne")
        expect(melbourne.locator(".match-translated")).to_have_count(0)
        for title in ("A note without date", "A guide to social cohesion for mayors"):
            expect(page.locator("li.hit", has_text=title).locator(".match-translated")).to_have_text(
                text["translated"])
        expect(page.get_by_role("status")).to_contain_text(
            "(1 with every word as typed, 2 through a translation)" if language == "en"
            else "(1 avec tous les mots tels que saisis, 2 par une traduction)")
        screenshot(page, f"results-translated-{language}")
