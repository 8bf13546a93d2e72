"""Staff work in a real browser, in French: log in, upload a PDF, review what was extracted,
publish, find it in search, delete it; a refused file, the staff link's contrast, a locked
login. On a server of its own (the public pages' tests share theirs, and count its documents)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.staff_support import PASSWORD, pdf_bytes

from .conftest import browsing, screenshot, serving

pytestmark = pytest.mark.e2e

PAGES = ["Declaration de Tournai sur la jeunesse\nLes maires reunis a Tournai le 12 mars 2025.",
         "Nous nous engageons a ouvrir des maisons de quartier pour les jeunes."]


@pytest.fixture(scope="module")
def staff_server(tmp_path_factory):
    with serving(tmp_path_factory.mktemp("e2e-staff"), staff=("alice", PASSWORD)) as url:
        yield url


def test_staff_add_review_publish_find_and_delete_a_pdf_in_french(browser, staff_server, tmp_path):
    pdf = tmp_path / "tournai.pdf"
    pdf.write_bytes(pdf_bytes(PAGES, title="Déclaration de Tournai"))
    with browsing(browser, staff_server, "fr") as page:
        page.goto("/staff/")
        expect(page.get_by_role("heading", name="Connexion de l’équipe")).to_be_visible()
        page.get_by_label("Nom d’utilisateur").fill("alice")
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        expect(page.get_by_role("heading", name="Documents", exact=True)).to_be_visible()

        page.get_by_role("navigation", name="Équipe").get_by_role("link", name="Ajouter un document").click()
        page.get_by_label("Fichier").set_input_files(str(pdf))
        page.get_by_label("Type").select_option("declaration")
        # The first upload loads spaCy (about 5 s, more on a busy machine): longer than the 10 s default.
        page.get_by_role("button", name="Lire et montrer ce qui est extrait").click(timeout=60_000)

        expect(page.get_by_role("heading", name="Relire avant de publier")).to_be_visible()
        expect(page.get_by_label("Titre")).to_have_value("Déclaration de Tournai")
        expect(page.get_by_label("Date", exact=False).first).to_have_value("2025-03-12")
        extracted = page.locator(".preview")
        expect(extracted).to_contain_text("Tournai (Belgique)")
        expect(extracted).to_contain_text("Nous nous engageons a ouvrir des maisons de quartier")
        screenshot(page, "staff-review-fr")
        page.get_by_role("button", name="Publier", exact=True).click()

        expect(page.get_by_role("status").first).to_contain_text("Il est maintenant dans l’index.")
        screenshot(page, "staff-edit-fr")
        page.goto("/search?q=Tournai")
        expect(page.locator("li.hit", has_text="Déclaration de Tournai")).to_have_count(1)

        page.goto("/staff/")
        page.get_by_role("link", name="Déclaration de Tournai").click()
        page.get_by_label(re.compile("Je veux supprimer ce document")).check()
        page.get_by_role("button", name="Supprimer").click()
        expect(page.get_by_role("heading", name="Historique")).to_be_visible()
        expect(page.locator("table.documents")).to_contain_text("Déclaration de Tournai")
        page.goto("/search?q=Tournai")
        expect(page.locator("li.hit")).to_have_count(0)


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two CSS rgb() colours."""
    def luminance(css: str) -> float:
        channels = [int(v) / 255 for v in re.findall(r"\d+", css)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def log_in(page, name: str = "alice", password: str = PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("Nom d’utilisateur").fill(name)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def test_a_refused_file_is_said_once_and_the_staff_link_is_readable(browser, staff_server, tmp_path):
    fake = tmp_path / "rapport.pdf"
    fake.write_text("Nous, les maires, nous engageons.", encoding="utf-8")
    with browsing(browser, staff_server, "fr") as page:
        log_in(page)
        link = page.get_by_role("link", name="Équipe (alice)")
        expect(link).to_be_visible()
        colour = link.evaluate("el => getComputedStyle(el).color")
        bar = page.locator("header.site").evaluate("el => getComputedStyle(el).backgroundColor")
        assert contrast(colour, bar) >= 4.5, (colour, bar)
        page.goto("/staff/add")
        page.get_by_label("Fichier").set_input_files(str(fake))
        page.get_by_role("button", name="Lire et montrer ce qui est extrait").click()
        alert = page.get_by_role("alert")
        expect(alert).to_have_text("« rapport.pdf » n’a pas été accepté : le fichier porte l’extension .pdf "
                                   "mais son contenu est du texte brut")
        assert alert.inner_text().count("accepté") == 1
        screenshot(page, "staff-refused-fr")


def test_a_locked_login_counts_its_minutes_in_words(browser, tmp_path):
    with serving(tmp_path, staff=("alice", PASSWORD)) as url, browsing(browser, url, "en") as page:
        for _ in range(5):
            page.goto("/login")
            page.get_by_label("User name").fill("alice")
            page.get_by_label("Password").fill("wrong password!")
            page.get_by_role("button", name="Log in").click()
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text("locked for 15 minutes after the last failure. Try again in 15 minutes (at ")
        expect(alert).not_to_contain_text("minute(s)")
        screenshot(page, "staff-locked")
