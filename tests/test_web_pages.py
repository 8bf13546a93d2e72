"""Cities (list, map, a page per city), the commitments explorer, the timeline, and what
the search page adds around its results: year chart, interpretation, empty states, exports."""
from __future__ import annotations

import html
import re

import pytest

from tests.e2e import corpus as web_corpus
from webapp.views import worldmap
from webapp.views.charts import year_chart

pytestmark = pytest.mark.every_engine


@pytest.fixture
def site(store, client):
    web_corpus.build(store)
    return client


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:800]
    return response.get_data(as_text=True)


# -- cities -------------------------------------------------------------------------------
def cities_table(html: str) -> dict[str, tuple]:
    rows = re.findall(r'<th scope="row"><a href="(/cities/[^"]+)">([^<]+)</a></th>\s*<td>([^<]*)</td>\s*'
                      r'<td class="num"><a href="[^"]+"[^>]*>(\d+)</a></td>\s*'
                      r'<td class="num">(\d*)</td>\s*<td class="num">(\d*)</td>\s*<td class="num">(\d*)</td>', html)
    return {name: (url, country, int(docs), signatory, venue, mentioned)
            for url, name, country, docs, signatory, venue, mentioned in rows}


@pytest.mark.every_engine
def test_cities_table_with_counts_and_roles(site):
    html = page(site, "/cities")
    table = cities_table(html)
    assert table["Paris"] == ("/cities/Paris", "France", 4, "4", "", "")
    assert table["Melbourne"] == ("/cities/Melbourne", "Australia", 2, "", "2", "")
    assert table["Brussels"][2] == 1 and table["Brussels"][5] == "1"
    assert len(table) == 8
    assert "8 cities are named in the documents" in html


def test_cities_and_countries_by_their_french_names_in_french(site):
    html = site.get("/cities", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    table = cities_table(html)
    assert table["Bruxelles"][:2] == ("/cities/Brussels", "Belgique")     # the URL stays
    assert table["Le Cap"][:2] == ("/cities/Cape%20Town", "Afrique du Sud")
    assert table["Beyrouth"][1] == "Liban" and table["Montréal"][1] == "Canada"
    assert 'aria-hidden="true">Le Cap</text>' in html            # on the map too
    assert "Brussels" not in re.sub(r'href="[^"]*"', "", html.split("<main", 1)[1])
    city = site.get("/cities/Brussels", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<h1>Bruxelles <span class="muted">(Belgique)</span></h1>' in city
    english = site.get("/cities/Brussels").get_data(as_text=True)
    assert '<h1>Brussels <span class="muted">(Belgium)</span></h1>' in english


def test_country_facets_show_names_in_the_reader_s_language(site):
    for language, names in (("en", ("Belgium", "Lebanon", "South Africa")),
                            ("fr", ("Belgique", "Liban", "Afrique du Sud"))):
        html = site.get("/search", headers={"Accept-Language": language}).get_data(as_text=True)
        facet = html.split('id="facet-country"', 1)[1].split("</section>", 1)[0]
        for name in names:
            assert re.search(rf'href="/search\?country=[A-Z]{{2}}">.*?{name}</a>', facet), (language, name)
        assert not re.search(r">[A-Z]{2}</a>", facet)
        chips = site.get("/search?country=BE&city=Brussels",
                         headers={"Accept-Language": language}).get_data(as_text=True)
        assert (("Pays : Belgique" in chips and "Ville : Bruxelles" in chips) if language == "fr"
                else ("Country: Belgium" in chips and "City: Brussels" in chips))


def test_map_has_one_point_per_city_sized_by_documents(site):
    html = page(site, "/cities")
    assert '<image href="/cities/world.svg"' in html
    circles = re.findall(r'<a href="(/cities/[^"]+)" class="city-point" aria-label="([^"]+)">\s*<title>[^<]+</title>\s*'
                         r'<circle cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"/>', html)
    assert len(circles) == 8
    radius = {url: float(r) for url, _label, _x, _y, r in circles}
    assert radius["/cities/Paris"] > radius["/cities/Melbourne"] > radius["/cities/Beirut"]
    labels = {url: label for url, label, *_ in circles}
    assert labels["/cities/Paris"] == "Paris: 4 documents"
    x, y = {url: (float(cx), float(cy)) for url, _l, cx, cy, _r in circles}["/cities/Melbourne"]
    assert x > worldmap.WIDTH / 2 and y > worldmap.HEIGHT / 2        # south-east of the map


def test_world_map_is_a_cached_svg_drawn_from_the_vendored_outlines(site):
    response = site.get("/cities/world.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.cache_control.max_age >= 3600
    svg = response.get_data(as_text=True)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and svg.count("M") > 150
    assert len(svg) < 300_000
    assert worldmap.SHAPEFILE.stat().st_size < 300_000


def test_projection_puts_places_where_they_belong():
    paris, cape_town, montreal, melbourne = (worldmap.project(48.85, 2.35), worldmap.project(-33.93, 18.42),
                                             worldmap.project(45.51, -73.59), worldmap.project(-37.81, 144.96))
    assert montreal[0] < paris[0] < cape_town[0] < melbourne[0]
    assert paris[1] < cape_town[1] and montreal[1] < melbourne[1]
    assert all(0 <= x <= worldmap.WIDTH and 0 <= y <= worldmap.HEIGHT for x, y in (paris, cape_town, montreal, melbourne))


def test_map_labels_do_not_overlap():
    cities = [{"name": name, "lat": 48.8 + i * 0.1, "lon": 2.3 + i * 0.1, "document_count": 5 - i}
              for i, name in enumerate(["Paris", "Versailles", "Saint-Denis", "Montreuil"])]
    points = worldmap.points(cities, lambda c: "")
    labelled = [p for p in points if p.label]
    assert labelled[0].name == "Paris" and 1 <= len(labelled) < 4


def test_city_page_with_documents_commitments_and_timeline(site):
    html = page(site, "/cities/Paris")
    assert re.search(r"<h1>Paris <span class=\"muted\">\(France\)</span></h1>", html)
    assert html.count('<li><a href="/documents/') == 4
    assert 'href="/search?city=Paris&amp;year=2016"' in html            # a bar of its timeline
    assert "Paris commits to sharing its experience" in html            # its commitments
    assert 'href="/documents/paris-2015#c-1"' in html
    assert 'viewBox="' in html and 'class="city-dot"' in html


def test_a_city_named_in_another_language_redirects_to_its_page(site):
    response = site.get("/cities/Bruxelles")
    assert response.status_code == 301 and response.headers["Location"].endswith("/cities/Brussels")
    assert site.get("/cities/brussels").headers["Location"].endswith("/cities/Brussels")


def test_unknown_city_is_a_404_page(site):
    html = page(site, "/cities/Atlantis", status=404)
    assert "No city named Atlantis" in html and '<html lang="en">' in html


def test_no_city_yet(client, store):
    html = page(client, "/cities")
    assert "No city has been found in the documents yet." in html and "<svg" not in html


# -- commitments ----------------------------------------------------------------------------
def test_commitments_table_lists_every_commitment(site):
    html = page(site, "/commitments")
    assert re.search(r'role="status">8 commitments</p>', html)
    rows = re.findall(r'<td class="text" lang="(\w+)" data-label="Commitment">([^<]+?)(?: <span class="deadline">[^<]*</span>)?</td>', html)
    assert len(rows) == 8 and ("en", "Paris commits to sharing its experience of preventing radicalisation with other cities.") in rows
    assert 'href="/documents/melbourne-2018-fr#c-2"' in html
    assert '<a href="/commitments?actor=les+maires">les maires</a>' in html
    assert '<a href="/cities/Paris">Paris</a>' in html                         # who committed
    assert '<a href="/commitments?organisation=Strong+Cities+Network">Strong Cities Network</a>' in html
    assert re.search(r'<a class="badge kind-pledge" href="/commitments\?kind=pledge">Pledge</a>', html)
    assert '<span class="tag">Training of front-line staff</span>' in html


def test_commitments_words_and_filters(site):
    html = page(site, "/commitments?q=jeunes")
    assert re.search(r'role="status">1 commitment</p>', html)
    html = page(site, "/commitments?theme=radicalisation&language=en")
    assert re.search(r'role="status">2 commitments</p>', html)
    chips = html[html.index('class="chips"'):html.index("</ul>", html.index('class="chips"'))]
    assert "Theme: Radicalisation" in chips and "Language: English" in chips
    assert 'href="/commitments?language=en"' in chips                     # removing the theme keeps the rest


def test_commitments_of_one_document(site):
    html = page(site, "/commitments?document=melbourne-2018-fr")
    assert re.search(r'role="status">3 commitments</p>', html)
    assert "Document: Déclaration de Melbourne" in html


def test_commitments_export_link_keeps_the_filters(site):
    html = page(site, "/commitments?q=jeunes&theme=youth-and-education")
    assert 'href="/api/commitments.csv?q=jeunes&amp;theme=youth-and-education"' in html


def test_commitments_bad_parameters(site):
    assert "&#39;year&#39; must be a year" in page(site, "/commitments?year=soon", status=400)
    page(site, "/commitments?page=x", status=400)


def test_no_commitment_matches(site):
    html = page(site, "/commitments?q=zzzz&theme=radicalisation")
    assert "No commitment matches" in html and 'href="/commitments?q=zzzz"' in html


# -- timeline ---------------------------------------------------------------------------------
def test_timeline_bars_link_to_the_search_by_year(site):
    html = page(site, "/timeline")
    bars = re.findall(r'<a href="/search\?year=(\d{4})" class="bar" aria-label="([^"]+)">', html)
    assert dict(bars) == {"2015": "2015: 1 document", "2016": "2016: 1 document",
                          "2018": "2018: 2 documents", "2021": "2021: 1 document", "2024": "2024: 1 document"}
    assert re.search(r'<text x="[\d.]+" y="[\d.]+" text-anchor="middle" class="year" aria-hidden="true">2019</text>', html)
    assert re.search(r'<details class="year" id="year-undated">\s*<summary><span class="year-name">Undated</span>', html)
    assert "A note without date" in html


# -- long pages (issue 18, item 7) --------------------------------------------------------
def test_the_timeline_groups_years_newest_open_with_a_filter(site):
    html = page(site, "/timeline")
    assert '<details class="year" id="year-2024" open>' in html and '<details class="year" id="year-2018">' in html
    filtered = page(site, "/timeline?filter=melbourne")
    assert '<details class="year" id="year-2018" open>' in filtered and 'id="year-2024"' not in filtered
    assert "Melbourne Declaration" in filtered and "Paris joins" not in filtered
    assert "2 lines match <q>melbourne</q>." in filtered


def test_the_cities_page_is_paged_and_filtered(site, monkeypatch):
    from webapp.views import pages
    monkeypatch.setattr(pages, "CITIES_PER_PAGE", 3)
    first = cities_table(page(site, "/cities"))
    assert len(first) == 3
    html = page(site, "/cities?page=3")
    assert len(cities_table(html)) == 2 and "Page 3 of 3" in html
    assert '<a rel="prev" href="/cities?page=2">' in html
    french = site.get("/cities?filter=belgique", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert list(cities_table(french)) == ["Bruxelles"]             # by its country's French name
    assert list(cities_table(page(site, "/cities?filter=le%20cap"))) == []       # the English page: Cape Town
    assert list(cities_table(page(site, "/cities?filter=cape"))) == ["Cape Town"]
    filtered = page(site, "/cities?country=ZA&filter=cape&page=1")
    assert '<a href="/cities?country=ZA">Show all</a>' in filtered          # the rest of the view kept


def test_a_city_page_pages_its_documents(site, monkeypatch):
    from webapp.views import pages
    monkeypatch.setattr(pages, "CITY_DOCUMENTS_PER_PAGE", 2)
    monkeypatch.setattr(pages, "CITY_COMMITMENTS", 0)
    html = page(site, "/cities/Paris")
    assert html.count('<li><a href="/documents/') == 2 and "Page 1 of 2" in html
    assert 'href="/cities/Paris?page=2"' in html
    assert "Paris commits to sharing" not in html                         # past the first ones…
    assert '<a href="/commitments?city=Paris">All 1 commitments in the explorer</a>' in html   # …in the explorer


@pytest.mark.every_engine
def test_facets_show_all_their_values_with_a_search(site, store):
    from model.record import City, Extraction
    from tests.e2e import corpus as web_corpus
    with store.write() as writer:           # 60 cities more: past the engine's first 50 too
        for n in range(60):
            town = City(f"Town{n:02d}", "FR", 100 + n, 45.0, 1.0, (f"Town{n:02d}",), 1, ("mentioned",))
            writer.put(web_corpus.record(f"town-{n}", f"Town {n}", "Texte.", "fr",
                                         extraction=Extraction(language="fr", cities=(town,))))
    html = page(site, "/search")
    city = html.split('id="facet-city"', 1)[1].split("</section>", 1)[0]
    assert "<summary>Show all 68</summary>" in city
    assert re.search(r'<label class="facet-search" hidden>Search in city\s*<input type="search" data-facet-filter', city)
    assert city.count("<li>") == 68                      # every value, 8 first and 60 under "show all"
    assert len(site.get("/api/search").get_json()["facets"]["city"]) == 50    # the API: the first 50


def test_the_filters_can_be_skipped_or_opened_from_the_top(site):
    html = page(site, "/search?q=haine")
    assert html.index('class="skip-filters" href="#results"') < html.index('<aside class="facets" id="filters"')
    assert '<div class="results" id="results" tabindex="-1">' in html
    assert re.search(r'<button type="button" class="filters-button secondary" aria-controls="filters" '
                     r'aria-expanded="false" hidden>', html)


def test_year_chart_geometry():
    chart = year_chart([("2016", 4), ("2020", 2)], lambda year: f"/y/{year}", selected=["2020"])
    assert [b.year for b in chart.bars] == [2016, 2017, 2018, 2019, 2020]
    full, none, half = chart.bars[0], chart.bars[1], chart.bars[4]
    assert none.height == 0 and none.url is None
    assert abs(full.height - 2 * half.height) < 0.2 and full.y < half.y
    assert half.selected and half.url == "/y/2020"
    assert all(0 <= b.x and b.x + b.width <= chart.width for b in chart.bars)
    assert year_chart([]).bars == []


# -- around the search results ------------------------------------------------------------------
@pytest.mark.every_engine
def test_search_page_has_a_year_chart_that_filters(site):
    html = page(site, "/search?q=")
    assert 'href="/search?year=2018" class="bar"' in html
    selected = page(site, "/search?year=2018")
    assert 'href="/search" class="bar selected"' in selected                 # the selected bar removes it


@pytest.mark.every_engine
def test_result_cards(site):
    html = page(site, "/search?q=Melbourne")
    card = html[html.index('<li class="hit">'):html.index("</li>", html.index('class="snippet"'))]
    assert '<span class="badge type">Declaration</span>' in card
    assert re.search(r'class="badge lang current"[^>]*>(FR|EN)</span>', card)
    assert re.search(r'<a class="badge lang" href="/documents/melbourne-2018-(fr|en)" hreflang="(fr|en)"', card)
    assert '<time datetime="2018-07">July 2018</time>' in card
    assert '<a href="/cities/Paris">Paris</a>' in card
    assert re.search(r"\d commitments", card)
    assert "<mark>" in card


@pytest.mark.every_engine
def test_interpretation_on_demand(site):
    html = page(site, "/search?q=haine")
    box = html[html.index('<details class="interpretation">'):html.index("</details>", html.index('class="interpretation"'))]
    assert "<summary>How the query was read</summary>" in box
    assert re.search(r"<code>haine</code> → .*<code>hate</code>", box)
    assert 'href="/search?q=haine&amp;expand=0"' in box
    off = page(site, "/search?q=haine&expand=0")
    assert "not searched (expansion turned off)" in off and 'href="/search?q=haine">Search the other language too' in off


@pytest.mark.every_engine
def test_empty_state_suggests_what_to_try(site):
    html = page(site, "/search?q=zzzzqqq&type=guide")
    assert "No document matches" in html
    assert 'Remove a filter: <a href="/search?q=zzzzqqq">Type: Guide</a>' in html
    assert "radical*" in html and 'href="/search">Browse every document</a>' in html


@pytest.mark.every_engine
def test_did_you_mean(site):
    html = page(site, "/search?q=radicalisaton")
    assert "Did you mean" in html
    assert re.search(r'<a class="suggestion" href="/search\?q=radicalisation"><q>radicalisation</q></a>', html)


def test_sort_control_keeps_the_query_and_filters(site):
    html = page(site, "/search?q=haine&type=declaration&sort=newest")
    form = html[html.index('<form class="sort"'):html.index("</form>", html.index('<form class="sort"'))]
    kept = ('<input type="hidden" name="q" value="haine">', '<input type="hidden" name="type" value="declaration">',
            '<option value="newest" selected>newest first</option>', '<label for="sort">Sort by</label>')
    assert all(fragment in form for fragment in kept), form


def test_export_links_carry_the_search(site):
    html = page(site, "/search?q=haine&type=declaration")
    assert 'href="/api/search.csv?q=haine&amp;type=declaration"' in html
    assert 'href="/api/search.json?q=haine&amp;type=declaration"' in html


def test_every_form_control_has_a_label(site):
    for url in ("/search?q=haine", "/commitments", "/cities", "/timeline", "/documents/aimf-2016"):
        html = page(site, url)
        for control in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
            if 'type="hidden"' in control:
                continue
            control_id = re.search(r'id="([^"]+)"', control)
            assert control_id and f'for="{control_id.group(1)}"' in html, f"{control} has no label in {url}"


def test_pages_have_one_h1_and_a_skip_link(site):
    for url in ("/search?q=haine", "/commitments", "/cities", "/cities/Paris", "/timeline",
                "/documents/aimf-2016", "/documents/melbourne-2018-fr/compare/melbourne-2018-en"):
        html = page(site, url)
        assert html.count("<h1") == 1, url
        assert '<a class="skip" href="#main">' in html and '<main id="main"' in html
        assert "style=" not in html and "<script>" not in html and " on" + "click=" not in html


# -- start-up -------------------------------------------------------------------------------
@pytest.mark.every_engine
def test_warm_up_builds_the_catalog_of_the_current_index_in_the_background(app, store):
    from kb import catalog

    web_corpus.build(store)
    knowledge_base = app.extensions["kb"]
    assert knowledge_base.index not in catalog._cache
    knowledge_base.warm_up_in_background().join(timeout=120)
    version, built = catalog._cache[knowledge_base.index]
    assert version == knowledge_base.index.version()
    assert built.cities() and catalog.catalog_for(knowledge_base.index) is built


@pytest.mark.parametrize("path, french", [
    ("/search?q=haine&page=deux", "« page » doit être un nombre entier, pas 'deux'."),
    ("/search?q=haine&expand=peut-être", "« expand » doit valoir 1 ou 0 (true ou false), pas 'peut-être'."),
    ("/commitments?page=1.5", "« page » doit être un nombre entier, pas '1.5'."),
])
def test_bad_parameters_on_pages_are_a_400_in_the_interface_language(client, path, french):
    response = client.get(path, headers={"Accept-Language": "fr"})
    assert response.status_code == 400
    assert french in html.unescape(response.get_data(as_text=True))


def test_commitments_words_are_searched_in_the_other_language_too(site):
    """As in search: "première ligne" also finds "front-line" (the vocabulary), marked,
    and the page says what it added, with a link to search only the words as typed."""
    html = page(site, "/commitments?q=premi%C3%A8re+ligne")
    assert re.search(r'role="status">2 commitments</p>', html)
    assert "<mark>première ligne</mark>" in html and "Train <mark>front-line</mark> professionals" in html
    also = html[html.index('class="also-searched"'):html.index("</p>", html.index('class="also-searched"'))]
    assert "<code>première ligne</code> →" in also and '<span class="alternative">front line</span>' in also
    assert 'href="/commitments?q=premi%C3%A8re+ligne&amp;expand=0"' in also
    html = page(site, "/commitments?q=premi%C3%A8re+ligne&expand=0")
    assert re.search(r'role="status">1 commitment</p>', html) and "also-searched" not in html
