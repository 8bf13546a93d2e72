"""Long pages (issue 18, item 7): on 80 more documents and cities, /cities is paged with a
filter box, the timeline grouped by year with a filter box, a facet longer than its first
values shows all of them with a search inside; on a phone the filters open from a button
near the top; keyboard users can skip the filters to the results."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from model.record import City, Extraction

from . import corpus
from .conftest import browsing, screenshot, serving

pytestmark = pytest.mark.e2e
TOWNS = 80


@pytest.fixture(scope="module")
def big_server(tmp_path_factory):
    def build(store):
        corpus.build(store)
        with store.write() as writer:
            for n in range(TOWNS):
                town = City(f"Town{n:02d}", "FR", 1000 + n, 44.0 + n / 10, 1.0 + n / 10, (f"Town{n:02d}",), 1,
                            ("mentioned",))
                writer.put(corpus.record(f"town-{n:02d}", f"Réunion à Town{n:02d}", f"Les maires de Town{n:02d}.",
                                         "fr", date=f"{2000 + n % 20}-01",
                                         extraction=Extraction(language="fr", cities=(town,))))
    with serving(tmp_path_factory.mktemp("e2e-big"), build=build) as url:
        yield url


def test_the_cities_page_is_paged_with_a_filter_box(browser, big_server):
    with browsing(browser, big_server) as page:
        page.goto("/cities")
        rows = page.locator("table.cities-table tbody tr")
        expect(rows).to_have_count(50)
        expect(page.get_by_text("Page 1 of 2")).to_be_visible()
        screenshot(page, "cities-paged-en", full_page=False)
        page.get_by_role("link", name="Next →").click()
        expect(rows).to_have_count(TOWNS + 8 - 50)
        page.get_by_role("searchbox", name="Find a city or a country").fill("town07")
        page.get_by_role("searchbox", name="Find a city or a country").press("Enter")
        expect(rows).to_have_count(1)
        expect(page).to_have_url(re.compile(r"filter=town07"))
        expect(page.get_by_role("status")).to_have_text("1 line matches town07.")


def test_the_timeline_groups_years(browser, big_server):
    with browsing(browser, big_server, "fr") as page:
        page.goto("/timeline")
        years = page.locator("details.year")
        expect(years.first).to_have_attribute("open", "")
        expect(years.nth(1)).not_to_have_attribute("open", "")
        assert page.evaluate("document.documentElement.scrollHeight") < 2500      # not 100 lines long
        page.get_by_role("searchbox", name="Trouver un document par son titre").fill("Town05")
        page.get_by_role("searchbox", name="Trouver un document par son titre").press("Enter")
        expect(page.locator("details.year[open] li")).to_have_count(1)


def test_a_facet_shows_all_its_values_with_a_search(browser, big_server):
    with browsing(browser, big_server) as page:
        page.goto("/search")
        facet = page.locator("section.facet", has=page.locator("#facet-city"))
        expect(facet.locator("> ul > li")).to_have_count(8)
        facet.get_by_text(f"Show all {TOWNS + 8}").click()
        box = facet.get_by_label("Search in city")
        expect(box).to_be_visible()
        box.fill("town4")
        expect(facet.locator("li:visible")).to_have_count(10)           # Town40 … Town49
        screenshot(page, "facet-show-all-en", full_page=False)
        facet.get_by_role("link", name="Town42").click()
        expect(page).to_have_url(re.compile(r"city=Town42"))


def test_on_a_phone_the_filters_open_from_a_button_near_the_top(browser, big_server):
    with browsing(browser, big_server) as page:
        page.set_viewport_size({"width": 390, "height": 780})
        page.goto("/search?q=maires")
        button = page.get_by_role("button", name="Filters")
        expect(button).to_be_visible()
        assert button.bounding_box()["y"] < 400
        expect(page.locator("#filters")).to_be_hidden()
        button.click()
        expect(button).to_have_attribute("aria-expanded", "true")
        heading = page.get_by_role("heading", name="Filter", exact=True)
        expect(heading).to_be_visible()
        assert heading.bounding_box()["y"] + page.evaluate("window.scrollY") < \
            page.locator("li.hit").first.bounding_box()["y"] + page.evaluate("window.scrollY")
        screenshot(page, "search-phone-filters-en", full_page=False)


def test_keyboard_users_skip_the_filters(browser, big_server):
    with browsing(browser, big_server) as page:
        page.goto("/search?q=maires")
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.className") == "skip-filters":
                break
        skip = page.get_by_role("link", name="Skip the filters, go to the results")
        expect(skip).to_be_focused()
        expect(skip).to_be_visible()
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "results"
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('#filters') === null")
        assert page.evaluate("document.activeElement.closest('#results') !== null")
