"""Exports for spreadsheets (issue 18, item 9), downloaded in the browser: UTF-8 with a
byte-order mark, a column with each row's URL, formulas made inert."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from model.record import Commitment, Extraction

from . import corpus
from .conftest import browsing, screenshot, serving

pytestmark = pytest.mark.e2e


def with_a_formula(store) -> None:
    """The browser tests' corpus and a document whose title and commitment are formulas."""
    corpus.build(store)
    with store.write() as writer:
        writer.put(corpus.record(
            "formula", '=HYPERLINK("http://evil.example","Déclaration")', "La haine se combat à Liège.", "fr",
            date="2019", extraction=Extraction(language="fr", commitments=(
                Commitment("La haine se combat à Liège.", "@SUM(A1)", (), "pledge"),))))


@pytest.fixture(scope="module")
def export_server(tmp_path_factory):
    with serving(tmp_path_factory.mktemp("e2e-exports"), build=with_a_formula) as url:
        yield url


def download(page, link_name: str) -> bytes:
    with page.expect_download() as download:
        page.get_by_role("link", name=link_name, exact=True).click()
    return Path(download.value.path()).read_bytes()


def rows_of(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "no byte-order mark: spreadsheets would read it as Latin-1"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_search_and_commitments_csv_open_in_a_spreadsheet(browser, export_server):
    with browsing(browser, export_server, "fr") as page:
        page.goto("/search?q=haine")
        expect(page.locator("li.hit", has_text="HYPERLINK")).to_be_visible()
        rows = rows_of(download(page, "CSV"))
        formula = next(row for row in rows if row["id"] == "formula")
        assert formula["title"] == "'=HYPERLINK(\"http://evil.example\",\"Déclaration\")"
        assert formula["url"] == f"{export_server}/documents/formula"
        assert all(row["url"] == f"{export_server}/documents/{row['id']}" for row in rows)
        page.goto(formula["url"])           # the URL opens the document
        expect(page.get_by_role("heading", level=1)).to_contain_text("HYPERLINK")

        page.goto("/commitments?q=Liège")
        rows = rows_of(download(page, "CSV"))
        assert [(row["actor"], row["text"]) for row in rows] == [("'@SUM(A1)", "La haine se combat à Liège.")]
        page.goto(rows[0]["url"])           # the commitment in its document
        expect(page.locator("#c-1")).to_be_in_viewport()
        screenshot(page, "commitment-from-csv")
