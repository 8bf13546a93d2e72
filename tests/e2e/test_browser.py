"""The web app in a real browser: search, facets, a document, the language switch, the
commitments explorer, the cities map, the timeline and a CSV export."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import screenshot

pytestmark = pytest.mark.e2e


def test_search_toggle_a_facet_and_remove_its_chip(page):
    page.goto("/")
    page.get_by_role("searchbox", name="Search the documents").fill("radicalisation")
    page.get_by_role("searchbox", name="Search the documents").press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=radicalisation"))
    expect(page.get_by_role("searchbox", name="Search the documents")).to_have_value("radicalisation")
    status = page.get_by_role("status")
    expect(status).to_contain_text("for")
    first_count = int(re.search(r"\d+", status.inner_text()).group())
    assert first_count >= 2
    # the Melbourne declaration is one result with both language versions
    melbourne = page.locator("li.hit", has_text="Melbourne")
    expect(melbourne.locator(".langs")).to_contain_text("EN")
    expect(melbourne.locator(".langs")).to_contain_text("FR")
    expect(page.locator(".hit mark").first).to_be_visible()
    screenshot(page, "search")

    facet = page.locator("section.facet", has=page.get_by_role("heading", name="Type"))
    facet.get_by_role("link", name=re.compile("Press release")).click()
    expect(page).to_have_url(re.compile(r"type=press_release"))
    chip = page.get_by_role("list", name="Active filters").get_by_role("link")
    expect(chip).to_contain_text("Press release")
    titles = page.locator("li.hit h2").all_inner_texts()
    assert titles == ["Paris joins the Strong Cities Network"]
    screenshot(page, "search-filtered")
    chip.click()
    expect(page).not_to_have_url(re.compile("type="))
    expect(page.locator("li.hit")).to_have_count(first_count)


def test_sort_select_and_interpretation(page):
    page.goto("/search?q=haine")
    page.get_by_label("Sort by").select_option("oldest")      # submits itself (app.js)
    expect(page).to_have_url(re.compile(r"sort=oldest"))
    expect(page.get_by_label("Sort by")).to_have_value("oldest")
    page.get_by_text("How the query was read").click()
    expect(page.locator("details.interpretation")).to_contain_text("haine")


def test_open_a_document_with_marked_text_and_versions(page):
    page.goto("/search?q=Melbourne")
    page.locator("li.hit h2 a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Melbourne")
    text = page.locator("section.text")
    expect(text.locator("a.entity.city").first).to_be_visible()
    expect(text.locator("a.entity.organisation").first).to_be_visible()
    expect(text.locator("span.commitment").first).to_be_visible()
    # the list of commitments links to their place in the text
    page.locator(".commitment-list a").first.click()
    expect(page).to_have_url(re.compile(r"#c-1$"))
    expect(page.locator("#c-1")).to_be_in_viewport()
    expect(page.locator("#citation")).to_contain_text("Strong Cities Network")
    screenshot(page, "document")
    # the other language version, then both side by side
    page.get_by_role("link", name="side by side").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two versions side by side")
    expect(page.locator(".compare-cell[lang=fr]").first).to_be_visible()
    expect(page.locator(".compare-cell[lang=en]").first).to_be_visible()
    screenshot(page, "compare")
    # an extracted city links to its search
    page.go_back()
    page.locator("section.text a.entity.city", has_text="Paris").first.click()
    expect(page).to_have_url(re.compile(r"/search\?city=Paris"))


def test_switch_language_and_remember_it(page):
    page.goto("/search?q=haine")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_url(re.compile(r"/search\?q=haine"))            # back on the same page
    expect(page.get_by_role("button", name="Rechercher")).to_be_visible()
    page.goto("/timeline")                                              # remembered (cookie)
    expect(page.get_by_role("heading", level=1)).to_have_text("Chronologie")
    expect(page.locator(".year-list")).to_contain_text("juillet 2018")
    screenshot(page, "timeline-fr")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".year-list")).to_contain_text("July 2018")


def test_commitments_explorer_filters_and_exports(page):
    page.goto("/commitments")
    expect(page.get_by_role("heading", level=1)).to_have_text("Commitments")
    rows = page.locator("table.commitments-table tbody tr")
    total = rows.count()
    assert total >= 6
    page.get_by_label("Words in the commitment or its actor").fill("prévention")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(3)        # accents ignored: "prevention" in English too
    theme = page.locator("section.facet", has=page.get_by_role("heading", name="Theme"))
    theme.get_by_role("link").first.click()
    expect(page.get_by_role("list", name="Active filters")).to_be_visible()
    screenshot(page, "commitments")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert content.splitlines()[0].count(",") >= 3 and "prévention" in content


def test_cities_map_and_a_city_page(page):
    page.goto("/cities")
    points = page.locator("figure.world-map a.city-point")
    expect(points).to_have_count(8)
    expect(page.locator("figure.world-map image")).to_have_attribute("href", "/cities/world.svg")
    expect(page.locator("table.cities-table tbody tr").first).to_contain_text("Montreal")   # 4 documents, like Paris
    screenshot(page, "cities")
    page.locator("figure.world-map a.city-point", has=page.locator("title", has_text="Montreal")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Montreal")
    expect(page.locator(".doc-list li")).to_have_count(4)
    screenshot(page, "city")


def test_timeline_bars_filter_the_search(page):
    page.goto("/timeline")
    bar = page.get_by_role("link", name=re.compile(r"^2018: 2 documents"))
    bar.click()
    expect(page).to_have_url(re.compile(r"/search\?year=2018"))
    expect(page.locator("li.hit")).to_have_count(1)          # the two versions are one result


def test_search_results_export_csv(page):
    page.goto("/search?q=haine")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) >= 2 and "id" in lines[0]


def test_phone_layout(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844},
                                  device_scale_factor=1, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto("/search?q=haine")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
        screenshot(page, "search-phone")
        for name, url in (("document-phone", "/documents/melbourne-2018-fr"),
                          ("commitments-phone", "/commitments"), ("cities-phone", "/cities")):
            page.goto(url)
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
            screenshot(page, name)
    finally:
        context.close()


def test_keyboard_reaches_the_search_box_and_focus_is_visible(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"
