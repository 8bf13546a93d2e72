"""Search and document pages through Flask's test client: content, not only status codes."""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.every_engine


@pytest.fixture
def indexed(corpus, index):
    for n in range(12):
        corpus.make_document(f"Les maires luttent contre la haine, numéro {n}.",
                             id=f"maires-{n:02d}", title=f"Maires {n:02d}", date=f"20{10 + n}")
    corpus.make_document("We commit to social cohesion in Montréal.", id="en-doc",
                         title="Mayors commit", language="en", type="statement", date="2024-05-14")
    index()


def titles(html: str) -> list[str]:
    return re.findall(r'<h2[^>]*><a href="/documents/[^"]+"[^>]*>([^<]+)</a></h2>', html)


@pytest.mark.every_engine
def test_home_shows_search_box_and_documents(client, indexed):
    html = client.get("/").get_data(as_text=True)
    assert '<input id="q" name="q" type="search"' in html
    assert "<strong>13</strong> documents" in html


@pytest.mark.every_engine
def test_results_with_count_snippet_and_query_kept(client, indexed):
    response = client.get("/search?q=cohesion")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert titles(html) == ["Mayors commit"]
    assert re.search(r"<strong>1</strong> result\s+for", html)
    assert "<mark>cohesion</mark>" in html
    assert 'value="cohesion"' in html
    assert "2024-05-14" in html and ">EN<" in html


@pytest.mark.every_engine
def test_pagination_links_keep_the_query(client, indexed):
    # expand=0: "maires" alone, not also "mayors" (which finds the English document too)
    html = client.get("/search?q=maires&expand=0").get_data(as_text=True)
    assert len(titles(html)) == 10
    assert "Page 1 of 2" in html
    assert 'href="/search?q=maires&amp;expand=0&amp;page=2"' in html
    second = client.get("/search?q=maires&expand=0&page=2").get_data(as_text=True)
    assert len(titles(second)) == 2 and "Page 2 of 2" in second


@pytest.mark.every_engine
def test_page_past_the_end(client, indexed):
    html = client.get("/search?q=maires&page=7").get_data(as_text=True)
    assert "There is no page 7" in html and titles(html) == []


@pytest.mark.every_engine
def test_filters_from_url(client, indexed):
    html = client.get("/search?type=statement").get_data(as_text=True)
    assert titles(html) == ["Mayors commit"]


def test_malformed_query_gets_a_message_not_an_error_page(client, indexed):
    response = client.get('/search?q=%22unclosed')
    assert response.status_code == 400
    assert "Unclosed quote" in response.get_data(as_text=True)
    assert 'value="&#34;unclosed"' in response.get_data(as_text=True)


@pytest.mark.parametrize("query", ["page=abc", "size=0", "sort=random", "page=0"])
def test_bad_parameters_are_4xx(client, indexed, query):
    response = client.get(f"/search?q=maires&{query}")
    assert response.status_code == 400


@pytest.mark.parametrize("query", ["to=2018-13", "from=2018-02-30", "from=2020&to=2019"])
def test_impossible_dates_are_a_400_that_speaks_of_dates(client, indexed, query):
    response = client.get(f"/search?q=haine&{query}")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "We could not use these dates" in html and "Put quotes around" not in html
    assert 'href="/search?q=haine">Search again without these settings' in html


def test_the_sort_menu_says_newest_first_when_that_is_the_order(client, indexed):
    home = client.get("/").get_data(as_text=True)
    assert '<option value="newest" selected>newest first</option>' in home
    assert client.get("/api/search").get_json()["sorted_by"] == "newest"
    searched = client.get("/search?q=haine").get_data(as_text=True)
    assert '<option value="relevance" selected>relevance</option>' in searched


@pytest.mark.every_engine
def test_query_with_script_is_escaped(client, indexed):
    html = client.get("/search?q=<script>alert(1)</script>").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.every_engine
def test_document_with_script_is_escaped(client, corpus, index):
    corpus.make_document("Texte", id="xss", title="<script>alert('t')</script> titre")
    corpus.write("xss2.txt", "Paragraphe <img src=x onerror=alert(1)> sur la haine et les villes.")
    index()
    page = client.get("/documents/xss").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    results = client.get("/search?q=haine").get_data(as_text=True)
    assert "<img src=x" not in results and "&lt;img src=x onerror=alert(1)&gt;" in results


@pytest.mark.every_engine
def test_document_page_shows_metadata_and_full_text(client, indexed):
    html = client.get("/documents/en-doc").get_data(as_text=True)
    assert re.search(r"<h1[^>]*>Mayors commit</h1>", html)
    assert "We commit to social cohesion in Montréal." in html
    assert '<span class="badge type">Statement</span>' in html and "2024-05-14" in html
    assert "statement/en-doc.md" not in html          # the corpus path: staff only


def test_unknown_document_is_404_page(client, indexed):
    response = client.get("/documents/nope")
    assert response.status_code == 404
    assert "No document with id" in response.get_data(as_text=True)


def test_security_headers(client, indexed):
    response = client.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.every_engine
def test_facets_have_counts_and_toggle_links(client, indexed):
    html = client.get("/search?q=&type=statement").get_data(as_text=True)
    assert re.search(r'href="/search\?type=statement&amp;type=declaration">.*?Declaration</a> '
                     r'<span class="n">12</span>', html)
    # the selected value's link removes it, and it shows as a removable chip
    assert re.search(r'href="/search"[^>]*class="selected">.*?Statement</a>', html)
    assert 'id="chips-heading">Active filters<' in html and "Type: Statement" in html


def test_the_search_help_shows_the_query_language_with_examples_that_run(client, indexed):
    home = client.get("/").get_data(as_text=True)
    assert '<a href="/search/help">How to search: phrases, OR, exclusions, fields</a>' in home
    html = client.get("/search/help").get_data(as_text=True)
    assert "<h1>How to search</h1>" in html
    assert '<a href="/search?q=%C2%AB+vivre+ensemble+%C2%BB" lang="fr"><code>« vivre ensemble »</code></a>' in html
    assert '<a href="/search?q=hate+OR+racism" lang="en">' in html
    assert '<a href="/search?q=organisation:%22Strong+Cities+Network%22"><code>organisation:&#34;Strong Cities Network&#34;</code></a>' in html
    french = client.get("/search/help", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "<h1>Comment chercher</h1>" in french and "<td>Ville</td>" in french


@pytest.mark.every_engine
def test_a_query_of_exclusions_only_says_so(client, indexed):
    html = client.get("/search?q=-haine").get_data(as_text=True)
    assert "Your query only excludes: these are all the documents without <q>haine</q>." in html
    assert "only common words" not in html
    html = client.get("/search?q=-%22%3Cb%3Ex%22").get_data(as_text=True)        # -"<b>x"
    assert "without <q>&lt;b&gt;x</q>" in html


@pytest.mark.every_engine
def test_a_relaxed_query_says_what_its_results_match(client, indexed):
    # Nothing has 'maires' and 'Montréal' as typed; the English document has 'Mayors' (the
    # translation) and Montréal; the French ones only 'maires'.
    html = client.get("/search?q=maires+Montr%C3%A9al").get_data(as_text=True)
    assert re.search(r"<strong>13</strong> results\s+for <q>maires Montréal</q>", html)
    assert ("(0 with every word as typed, 1 through a translation, 12 with some of the words)"
            in html)
    assert html.index('id="match-all"') < html.index("Mayors commit") < html.index('id="match-some"')
    assert re.search(r'<h2 class="match-heading match-some" id="match-some">\s*Also matching some of '
                     r'your words\s*</h2>\s*<ol class="hits" start="2">', html)
    assert 'class="badge match-translated"' in html and ">through a translation<" in html
    second = client.get("/search?q=maires+Montr%C3%A9al&page=2").get_data(as_text=True)
    assert 'id="match-all"' not in second and 'start="11"' in second
    assert "Also matching some of your words" in second


@pytest.mark.every_engine
def test_the_match_counts_in_french(client, indexed):
    html = client.get("/search?q=maires+Montr%C3%A9al",
                      headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "(0 avec tous les mots tels que saisis, 1 par une traduction, 12 avec une partie des mots)" in html
    assert "Aussi, avec une partie de vos mots seulement" in html and "Avec tous les mots" in html


@pytest.mark.every_engine
def test_results_with_every_word_say_nothing_more(client, indexed):
    html = client.get("/search?q=cohesion").get_data(as_text=True)
    assert "match-heading" not in html and "with every word" not in html
    html = client.get("/search?q=maires&expand=0").get_data(as_text=True)
    assert "match-heading" not in html and "match-counts" not in html


@pytest.mark.every_engine
def test_results_found_through_a_translation_are_marked_where_they_rank(client, indexed):
    html = client.get("/search?q=mayors").get_data(as_text=True)
    assert "match-heading" not in html          # not relaxed: the list keeps its ranking
    assert "(1 with every word as typed, 12 through a translation)" in html
    assert titles(html)[0] == "Mayors commit"
    assert html.count(">through a translation<") == 9       # the rest of the page
