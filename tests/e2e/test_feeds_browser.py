"""Follow a search (issue 18, item 6): every search and commitments view links an Atom
feed of its newest documents, with the page's filters; a feed reader (feedparser) reads it
as valid Atom, and it lists the documents the page lists."""
from __future__ import annotations

import re
from urllib.parse import urlparse

import feedparser
import pytest
from playwright.sync_api import expect

from .conftest import browsing, screenshot

pytestmark = pytest.mark.e2e


def read_feed(page, href: str):
    response = page.request.get(href)
    assert response.ok and response.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.body())
    assert not parsed.bozo and parsed.version == "atom10"
    return parsed


def test_follow_a_search_with_its_filters(browser, live_server):
    with browsing(browser, live_server) as page:
        page.goto("/")
        page.get_by_role("searchbox", name="Search the documents").fill("haine")
        page.get_by_role("searchbox", name="Search the documents").press("Enter")
        page.locator("section", has=page.locator("#facet-city")).get_by_role("link", name="Montreal").click()
        expect(page).to_have_url(re.compile(r"city=Montreal"))
        link = page.get_by_role("link", name="Follow this search in a feed reader (Atom)")
        link.scroll_into_view_if_needed()
        href = link.get_attribute("href")
        assert re.fullmatch(r"/search\.atom\?q=haine&city=Montreal", href)
        assert page.locator('head link[rel="alternate"][type="application/atom+xml"]').get_attribute("href") == href
        screenshot(page, "search-feed-link-en")
        parsed = read_feed(page, href)
        titles = page.locator("li.hit h2").all_inner_texts()
        assert sorted(e.title for e in parsed.entries) == sorted(titles) and titles
        assert parsed.feed.title == "Search “haine” (City: Montreal) · City Declarations KB"
        # the feed's page is this page
        assert {link.rel: link.href for link in parsed.feed.links}["alternate"].endswith("/search?q=haine&city=Montreal")


def test_follow_commitments_in_french(browser, live_server):
    with browsing(browser, live_server, "fr") as page:
        page.goto("/commitments?kind=pledge")
        link = page.get_by_role("link", name="Flux Atom")
        expect(link).to_have_attribute("href", "/commitments.atom?kind=pledge")
        parsed = read_feed(page, link.get_attribute("href"))
        assert parsed.feed.title == "Engagements (Type d’engagement : Engagement) · Base des déclarations de villes"
        documents = set(page.locator("table a[href^='/documents/']").evaluate_all(
            "els => els.map(e => e.getAttribute('href').split('#')[0])"))
        assert {urlparse(e.id).path for e in parsed.entries} == documents
        screenshot(page, "commitments-feed-fr")
