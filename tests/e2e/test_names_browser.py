"""Names in the reader's language (issue 18, item 3): in the French interface cities and
countries have their French names (Bruxelles, Le Cap; Belgique), in the English one their
English names; country facets show names, not codes; URLs stay the same in both."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import browsing, screenshot

pytestmark = pytest.mark.e2e


def test_cities_and_countries_in_french_then_in_english(browser, live_server):
    with browsing(browser, live_server, "fr") as page:
        page.goto("/cities")
        table = page.locator("table.cities-table")
        row = table.locator("tr", has=page.get_by_role("rowheader", name="Bruxelles"))
        expect(row.locator("td").first).to_have_text("Belgique")
        expect(table.get_by_role("rowheader", name="Le Cap")).to_be_visible()
        expect(table.locator("tr", has=page.get_by_role("rowheader", name="Beyrouth")).locator("td").first
               ).to_have_text("Liban")
        expect(table.get_by_role("rowheader", name="Brussels")).to_have_count(0)
        expect(page.locator("svg text.city-label", has_text="Le Cap")).to_have_count(1)
        screenshot(page, "cities-fr")
        table.get_by_role("link", name="Bruxelles", exact=True).click()
        expect(page).to_have_url(re.compile(r"/cities/Brussels$"))           # the same URL in both
        expect(page.get_by_role("heading", level=1)).to_have_text("Bruxelles (Belgique)")
        expect(page).to_have_title(re.compile(r"^Bruxelles"))
        screenshot(page, "city-fr")
        page.get_by_role("link", name="English").click()
        expect(page).to_have_url(re.compile(r"/cities/Brussels$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Brussels (Belgium)")


@pytest.mark.parametrize("language, country, city, chip", [
    ("fr", "Belgique", "Bruxelles", "Pays : Belgique"),
    ("en", "Belgium", "Brussels", "Country: Belgium"),
])
def test_country_facets_show_names_and_filter_by_code(browser, live_server, language, country, city, chip):
    with browsing(browser, live_server, language) as page:
        page.goto("/search")
        facet = page.locator("section", has=page.locator("#facet-country"))
        expect(facet.get_by_role("link", name=re.compile(r"^[A-Z]{2}$"))).to_have_count(0)
        facet.get_by_role("link", name=country).click()
        expect(page).to_have_url(re.compile(r"[?&]country=BE(&|$)"))
        expect(page.locator("ul.chips")).to_contain_text(chip)
        expect(page.locator("li.hit .cities").first).to_contain_text(city)
        if language == "fr":
            screenshot(page, "search-country-fr")
