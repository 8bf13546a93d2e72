"""Staff in French and in detail (issue 18, item 8), in a real browser: the review page
corrects the extraction before publishing; a long upload says it is working; the audit
log and staff home give times in the reader's time zone and language, actions by name
and what changed (fields, cities, the text as a diff); unpublishing says the document is
hidden. On a server of its own."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.staff_support import PASSWORD

from .conftest import browsing, screenshot, serving

pytestmark = pytest.mark.e2e
TEXT = ("Déclaration de Namur sur la jeunesse\n\n"
        "Les maires réunis à Namur le 3 mars 2025 déclarent leur volonté commune.\n\n"
        "Nous nous engageons à ouvrir des maisons de quartier pour les jeunes.")


@pytest.fixture(scope="module")
def detail_server(tmp_path_factory):
    with serving(tmp_path_factory.mktemp("e2e-staff-detail"), staff=("alice", PASSWORD)) as url:
        yield url


def test_review_corrections_then_the_log_in_french(browser, detail_server):
    with browsing(browser, detail_server, "fr", timezone="Asia/Tokyo") as page:
        page.goto("/login")
        page.get_by_label("Nom d’utilisateur").fill("alice")
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.goto("/staff/add")
        page.get_by_label("Coller le texte").fill(TEXT)
        page.get_by_label("Type").select_option("declaration")
        # A long upload says it is working: seen here by holding the form back once.
        page.evaluate("""() => document.querySelector('form[data-working]').addEventListener(
            'submit', e => e.preventDefault(), {once: true})""")
        button = page.get_by_role("button", name="Lire et montrer ce qui est extrait")
        button.click()
        working = page.locator("p.working")
        expect(working).to_have_text(re.compile("^Lecture du fichier et extraction de ce qu’il dit"))
        expect(page.locator("form[data-working]")).to_have_attribute("aria-busy", "true")
        screenshot(page, "staff-working-fr", full_page=False)
        page.evaluate("() => document.querySelector('form[data-working]').submit()")   # now for real

        # Review: correct the extraction before publishing.
        expect(page.get_by_role("heading", name="Relire avant de publier")).to_be_visible(timeout=60_000)
        expect(page.get_by_role("heading", name="Ce qui a été extrait, à corriger")).to_be_visible()
        adding = page.locator("fieldset", has_text="Ajouter des villes")
        adding.get_by_label("Nom").first.fill("Liège")
        adding.get_by_label("Pays").first.fill("BE")
        page.get_by_role("button", name="Enregistrer et extraire de nouveau").click()
        expect(page.locator("fieldset", has_text="Ajouter des villes").get_by_label("Nom").first).to_have_value("Liège")
        screenshot(page, "staff-review-corrections-fr")
        page.get_by_role("button", name="Publier", exact=True).click()
        expect(page.get_by_role("status").first).to_contain_text("Il est maintenant dans l’index.")

        # Correct it after: a field and the text.
        page.get_by_label("Titre").fill("Déclaration de Namur (révisée)")
        text = page.locator("textarea#text")
        text.fill(text.input_value().replace("ouvrir des maisons", "ouvrir trois maisons"))
        page.get_by_role("button", name="Enregistrer", exact=True).click()
        expect(page.get_by_role("status").first).to_contain_text("La version précédente est dans l’historique")

        # Unpublish: the message says it is hidden.
        page.get_by_role("button", name="Dépublier").click()
        status = page.get_by_role("status").first
        expect(status).to_contain_text("Dépublié : le document est caché au public.")
        expect(status).to_contain_text("La recherche et ses pages ne le montrent plus.")
        expect(status).not_to_contain_text("dans l’index")

        page.goto("/staff/log")
        rows = page.locator("table.log tbody tr")
        def action(name):
            return rows.filter(has=page.locator("td", has_text=re.compile(f"^{name}$"))).first
        corrected = action("Corrigé")
        expect(corrected).to_contain_text("Champs modifiés : Titre")
        published = action("Publié")
        expect(published).to_contain_text("Villes ajoutées : Liège")
        corrected.get_by_text("Texte modifié : la différence").click()
        expect(corrected.locator("pre .del")).to_contain_text("ouvrir des maisons")
        expect(corrected.locator("pre .add")).to_contain_text("ouvrir trois maisons")
        when = corrected.locator("time")
        assert when.get_attribute("datetime").endswith("+00:00")
        expect(when).to_have_text(re.compile(r"^\d{1,2} \S+ \d{4}, \d\d:\d\d UTC\+9$"))     # Tokyo, in French
        assert when.get_attribute("title").endswith(" UTC")                               # as written in UTC
        expect(action("Dépublié")).to_be_visible()
        screenshot(page, "staff-log-fr")
        page.goto("/staff/")
        expect(page.locator("ul.log")).to_contain_text("Dépublié")
        expect(page.locator("ul.log time").first).to_have_text(re.compile(r"UTC\+9"))
