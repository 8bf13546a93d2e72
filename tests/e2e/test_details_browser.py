"""Small things a visitor met in the browser (issue 18, item 10): the sort menu says the
order the list is in, impossible dates are refused with a message about dates, the API
says "no such document" for an unknown one, and /openapi.json leads to the API's document."""
from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from .conftest import screenshot

pytestmark = pytest.mark.e2e


def test_the_home_page_sort_menu_says_newest_first(page):
    page.goto("/")
    expect(page.get_by_label("Sort by")).to_have_value("newest")
    dates = page.locator("li.hit time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
    assert dates == sorted(dates, reverse=True)
    page.get_by_role("searchbox", name="Search the documents").fill("haine")
    page.get_by_role("searchbox", name="Search the documents").press("Enter")
    expect(page.get_by_label("Sort by")).to_have_value("relevance")


def test_a_date_that_is_not_on_the_calendar_is_refused_with_a_message(page):
    page.goto("/search?q=haine")
    page.get_by_label("To", exact=True).fill("2018-13")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"to=2018-13"))
    alert = page.get_by_role("alert")
    expect(alert.get_by_role("heading", level=1)).to_have_text("We could not use these dates")
    expect(alert).to_contain_text("'to' must be a date such as 2016, 2016-04 or 2016-04-08, not '2018-13'")
    expect(alert).not_to_contain_text("Put quotes around")
    screenshot(page, "search-bad-date")
    alert.get_by_role("link", name="Search again without these settings").click()
    expect(page).to_have_url(re.compile(r"/search\?q=haine$"))
    expect(page.locator("li.hit").first).to_be_visible()


def test_the_api_says_no_such_document_and_openapi_is_found_at_the_root(page):
    response = page.goto("/api/documents/nope")
    assert response.status == 404
    assert json.loads(page.locator("body").inner_text())["error"]["message"] == "No document with id 'nope'."
    response = page.goto("/openapi.json")
    assert response.status == 200 and page.url.endswith("/api/openapi.json")
    assert json.loads(page.locator("body").inner_text())["openapi"].startswith("3.1")
