"""The query language in the browser (issue 18, item 2): French and curly quotes are
phrases, a query of exclusions only says what it does, and the search help, linked from
the search box, shows the language with examples that run."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import browsing, screenshot

pytestmark = pytest.mark.e2e


def search_for(page, text: str, box: str = "Search the documents") -> None:
    page.get_by_role("searchbox", name=box).fill(text)
    page.get_by_role("searchbox", name=box).press("Enter")


def titles(page) -> list[str]:
    return page.locator("li.hit h2").all_inner_texts()


def test_guillemets_and_curly_quotes_search_a_phrase(browser, live_server):
    box = "Rechercher dans les documents"
    with browsing(browser, live_server, "fr") as page:
        page.goto("/")
        search_for(page, "ligne première", box)          # both words are in the Melbourne declaration
        assert titles(page) == ["Déclaration de Melbourne"]
        search_for(page, "« ligne première »", box)      # as a phrase, in this order: nowhere
        expect(page.get_by_role("heading", name="Aucun document ne correspond")).to_be_visible()
        search_for(page, "« première ligne »", box)
        expect(page.get_by_role("status")).to_contain_text("1 résultat pour")
        assert titles(page) == ["Déclaration de Melbourne"]
        expect(page.locator("li.hit mark").first).to_have_text(re.compile("première", re.I))
        screenshot(page, "search-guillemets-fr")
        search_for(page, "“ligne première”", box)
        expect(page.get_by_role("heading", name="Aucun document ne correspond")).to_be_visible()
        search_for(page, "“première ligne”", box)
        assert titles(page) == ["Déclaration de Melbourne"]


def test_a_query_of_exclusions_only_says_what_it_lists(browser, live_server):
    with browsing(browser, live_server, "fr") as page:
        page.goto("/")
        search_for(page, '-haine -"Cape Town"', "Rechercher dans les documents")
        notice = page.locator("p.only-excluded")
        expect(notice).to_contain_text("Votre requête ne fait qu’exclure : voici tous les documents sans")
        expect(notice.locator("q")).to_have_text(["haine", "Cape Town"])
        expect(page.get_by_text("mots courants")).to_have_count(0)
        assert "A guide to social cohesion for mayors" not in titles(page)
        assert "Déclaration de Melbourne" not in titles(page) and titles(page)
        screenshot(page, "search-exclusions-fr")


@pytest.mark.parametrize("language, link, heading, example", [
    ("en", "How to search: phrases, OR, exclusions, fields", "How to search", "hate OR racism"),
    ("fr", "Comment chercher : expressions, OR, exclusions, champs", "Comment chercher", "« vivre ensemble »"),
])
def test_the_search_help_is_linked_from_the_search_box(browser, live_server, language, link, heading, example):
    with browsing(browser, live_server, language) as page:
        page.goto("/timeline")
        page.get_by_role("link", name=link).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.get_by_role("table", name=re.compile("query language|langage des requêtes"))).to_be_visible()
        screenshot(page, f"search-help-{language}")
        page.get_by_role("link", name=example, exact=True).click()
        expect(page).to_have_url(re.compile(r"/search\?q="))
        expect(page.get_by_role("searchbox")).to_have_value(example)
        expect(page.locator("li.hit").first).to_be_visible()
