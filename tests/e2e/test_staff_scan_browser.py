"""A scanned declaration added in a real browser, in French: uploaded, its reading (OCR)
followed on its job's page, reviewed, published, and found by a word that was only in the
image. On a server of its own, whose background jobs run as they do under `make run`."""
from __future__ import annotations

import re
import threading

import pytest
from playwright.sync_api import expect

from tests.scans import FONT, image_bytes
from tests.staff_support import PASSWORD

from .conftest import browsing, screenshot, serving

pytestmark = pytest.mark.e2e

PAGES = ["Déclaration de Besançon pour la jeunesse\n\n"
         "Les maires réunis à Besançon le 9 octobre 2025 déclarent leur volonté de prévenir la haine.\n\n"
         "Nous nous engageons à ouvrir des maisons de quartier pour les jeunes.",
         "Signé par le maire de Besançon, Quintessor Malaperte."]


@pytest.fixture(scope="module")
def staff_server(tmp_path_factory):
    from indexer.formats import ocr
    if ocr.missing() is not None or not FONT.is_file():
        pytest.skip("Tesseract (fra, eng) and fonts-dejavu-core are needed (make test installs them)")
    with serving(tmp_path_factory.mktemp("e2e-scan"), staff=("alice", PASSWORD)) as url:
        yield url


def send(page, scan, language: str = "") -> None:
    """Log in as alice and send ``scan`` from the add page."""
    page.goto("/staff/")
    page.get_by_label("Nom d’utilisateur").fill("alice")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("navigation", name="Équipe").get_by_role("link", name="Ajouter un document").click()
    page.get_by_label("Fichier").set_input_files(str(scan))
    page.get_by_label("Type").select_option("declaration")
    page.get_by_label(re.compile("Langue d’un document numérisé")).select_option(language)
    page.get_by_role("button", name="Lire et montrer ce qui est extrait").click()


def test_staff_add_a_scan_follow_its_reading_review_publish_and_find_it(browser, staff_server, tmp_path):
    scan = tmp_path / "besancon.tiff"
    scan.write_bytes(image_bytes(PAGES, "TIFF"))
    with browsing(browser, staff_server, "fr") as page:
        send(page, scan, language="fr")

        # The upload returns at once, on the job's page, which follows the reading.
        expect(page.get_by_role("heading", name="Lecture d’un document numérisé")).to_be_visible()
        expect(page.locator("progress")).to_have_attribute("max", "2")
        screenshot(page, "staff-scan-job-fr")

        # The page refreshes itself, and opens the review page once the scan is read (OCR of
        # two pages and the first extraction, which loads spaCy: seconds, more on a busy machine).
        expect(page.get_by_role("heading", name="Relire avant de publier")).to_be_visible(timeout=120_000)
        expect(page.get_by_label("Titre")).to_have_value("Déclaration de Besançon pour la jeunesse")
        extracted = page.locator(".preview")
        expect(extracted).to_contain_text("Besançon (France)")
        expect(extracted).to_contain_text("Nous nous engageons à ouvrir des maisons de quartier pour les jeunes.")
        expect(page.locator(".ocr-note")).to_contain_text("2 pages ont été reconnues par OCR")
        screenshot(page, "staff-scan-review-fr")
        page.get_by_role("button", name="Publier", exact=True).click()
        expect(page.get_by_role("status").first).to_contain_text("Il est maintenant dans l’index.")

        page.goto("/search?q=Malaperte")          # a name that was only in the image
        expect(page.locator("li.hit", has_text="Déclaration de Besançon pour la jeunesse")).to_have_count(1)


def test_the_staff_home_follows_a_scan_until_it_waits_for_review(browser, staff_server, tmp_path, monkeypatch):
    from kb import jobs

    gate = threading.Event()          # the job waits at its first page until the home page shows it
    progress = jobs.progress

    def held(job, done, pages):
        progress(job, done, pages)
        if done == 0:
            gate.wait(60)
    monkeypatch.setattr(jobs, "progress", held)
    scan = tmp_path / "lille.png"
    scan.write_bytes(image_bytes(["Déclaration de Lille sur les quartiers\n\n"
                                  "Nous nous engageons à soutenir les associations de quartier."]))
    with browsing(browser, staff_server, "fr") as page:
        send(page, scan)                   # the language told from the page
        page.goto("/staff/")
        live = page.locator("#live-uploads")
        expect(live.locator("progress")).to_have_attribute("value", "0")
        expect(live).to_contain_text("0 / 1 page")
        page.evaluate("window.notReloaded = true")
        gate.set()
        # Updated in place, without a reload: the upload now waits for review.
        expect(live.get_by_role("link", name="Déclaration de Lille sur les quartiers")).to_be_visible(timeout=120_000)
        expect(live.locator("progress")).to_have_count(0)
        assert page.evaluate("window.notReloaded") is True
        screenshot(page, "staff-home-scan-done-fr")
