"""The document page: marked-up text with linked entities and anchored commitments, other
language versions and the side-by-side view, similar documents, the citation; and hostile
text, titles and extractions escaped everywhere."""
from __future__ import annotations

import re

import pytest

from kb.search import SearchRequest, search
from tests.e2e import corpus as web_corpus
from webapp.views.annotate import annotate, commitment_spans, entity_spans

pytestmark = pytest.mark.every_engine


@pytest.fixture
def site(store, client):
    web_corpus.build(store, hostile=True)
    return client


def page(client, url: str, status: int = 200, **headers) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def test_text_marks_cities_organisations_and_dates_with_links_to_their_search(site):
    html = page(site, "/documents/melbourne-2018-fr")
    assert re.search(r'<a class="entity city" href="/search\?city=Montreal" title="Montreal \(CA\)">Montréal</a>', html)
    assert '<a class="entity organisation" href="/search?organisation=Strong+Cities+Network"' in html
    assert re.search(r'<a class="entity date" href="/search\?year=2018" title="2018-07">juillet 2018</a>', html)


def test_commitments_are_anchored_in_the_text_and_listed(site):
    html = page(site, "/documents/melbourne-2018-fr")
    assert '<span class="commitment" id="c-1" data-n="1">Nous nous engageons à partager' in html
    # a commitment that is a list item keeps its list item
    assert re.search(r'<li><span class="commitment" id="c-2" data-n="2">Former les professionnels', html)
    for n in (1, 2, 3):
        assert f'<a href="#c-{n}">' in html
    assert "— les maires du Strong Cities Network" in html
    assert '<span class="tag">Training of front-line staff</span>' in html      # theme labels


@pytest.mark.every_engine
def test_paragraph_anchors_match_the_passages_of_search_results(site, store):
    hit = search(store, SearchRequest(query="familles")).hits[0]
    html = page(site, f"/documents/{hit.id}")
    assert hit.passage and f'id="{hit.passage["anchor"]}"' in html


@pytest.mark.every_engine
def test_other_versions_and_side_by_side(site):
    html = page(site, "/documents/melbourne-2018-fr")
    assert '<a href="/documents/melbourne-2018-en" hreflang="en" lang="en">' in html
    assert 'href="/documents/melbourne-2018-fr/compare/melbourne-2018-en"' in html
    both = page(site, "/documents/melbourne-2018-fr/compare/melbourne-2018-en")
    assert '<div class="compare-cell" lang="fr" data-section="1">' in both and '<div class="compare-cell" lang="en" data-section="1">' in both
    assert both.index("Condamnons la montée") < both.index("Condemn the rise")
    assert "swap sides" in both and 'href="/documents/melbourne-2018-en/compare/melbourne-2018-fr"' in both


@pytest.mark.parametrize("url", ["/documents/aimf-2016/compare/paris-2015",
                                 "/documents/melbourne-2018-fr/compare/melbourne-2018-fr",
                                 "/documents/melbourne-2018-fr/compare/nope"])
def test_compare_only_versions_of_one_document(site, url):
    page(site, url, status=404)


@pytest.mark.every_engine
def test_similar_documents_and_source(site):
    html = page(site, "/documents/melbourne-2018-fr")
    similar = html[html.index('id="similar-heading"'):]
    assert "/documents/melbourne-2018-en" not in similar          # its own translation is not "similar"
    assert re.search(r'<a href="/documents/[\w-]+" lang="(fr|en)">', similar)
    assert '<a class="source" href="https://example.org/melbourne-fr" rel="noopener nofollow">' in html


def test_citation_line(site):
    html = page(site, "/documents/melbourne-2018-fr")
    assert re.search(r'<p id="citation" class="citation">Strong Cities Network, “Déclaration de Melbourne”, '
                     r'July 2018, https://example\.org/melbourne-fr \(accessed \d{1,2} \w+ \d{4}\)\.</p>', html)
    undated = page(site, "/documents/undated-note")
    assert re.search(r"“A note without date”, n\.d\., http://localhost/documents/undated-note \(accessed", undated)


def test_a_document_without_extraction(site):
    html = page(site, "/documents/undated-note")
    assert "No commitment was found in this document." in html
    assert '<p id="p-1">A short statement about hate speech online.</p>' in html


HOSTILE = ("<script>alert", "<img src=x", "<svg onload", "<b>Evil", "<i>Org", "<theme>",
           'href="javascript:')


@pytest.mark.every_engine
@pytest.mark.parametrize("url", ["/documents/hostile", "/search?q=haine", "/search?q=", "/commitments",
                                 "/commitments?q=engageons", "/cities", "/timeline",
                                 "/search?q=<script>alert(1)</script>", "/commitments?q=<svg onload=x>",
                                 "/cities/%3Cimg%20src=x%3E"])
def test_hostile_input_is_escaped_everywhere(site, url):
    response = site.get(url)
    html = response.get_data(as_text=True)
    for raw in HOSTILE:
        assert raw not in html, f"{raw!r} unescaped in {url}"


@pytest.mark.every_engine
def test_hostile_document_keeps_its_text_visible(site):
    html = page(site, "/documents/hostile")
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; Titre" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "— &lt;svg onload=alert(4)&gt;" in html
    assert "<dd>javascript:alert(3)</dd>" in html                   # shown, never a link
    assert "http://localhost/documents/hostile (accessed" in html    # cited by its page instead


def test_annotation_prefers_longer_surfaces_and_never_splits_words():
    text = "Les maires de Paris et de Parisville, à Saint-Paris."
    spans = entity_spans(text, {"cities": [{"name": "Paris", "surface": ["Paris"]},
                                           {"name": "Saint-Paris", "surface": ["Saint-Paris"]}]})
    assert [(text[s.start:s.end], s.value) for s in spans] == [("Paris", "Paris"), ("Saint-Paris", "Saint-Paris")]


def test_commitments_not_found_in_the_text_get_no_anchor():
    text = "Nous nous engageons à agir."
    assert commitment_spans(text, [{"text": "Une phrase absente."}, {"text": "Nous nous engageons à agir."}]) \
        and commitment_spans(text, [{"text": "Une phrase absente."}])[:1] == []
    blocks = annotate(text, {"commitments": [{"text": "Une phrase absente."}]}, lambda k, v: "")
    assert str(blocks[0].html) == "Nous nous engageons à agir."


# -- arriving at the words searched (issue 18, item 5) ---------------------------------------
@pytest.mark.every_engine
def test_results_open_their_document_at_the_passage_with_the_query(site):
    html = page(site, "/search?q=familles")
    assert '<h2 lang="fr"><a href="/documents/melbourne-2018-fr?q=familles#p-5">' in html
    assert '<p class="passage"><a href="/documents/melbourne-2018-fr?q=familles#p-5">' in html
    unexpanded = page(site, "/search?q=familles&expand=0")
    assert 'href="/documents/melbourne-2018-fr?q=familles&amp;expand=0#p-5"' in unexpanded
    browsing = page(site, "/search")                     # no query: the plain page
    assert re.search(r'<h2 lang="\w+"><a href="/documents/melbourne-2018-(fr|en)">', browsing)
    assert "?q=" not in "".join(re.findall(r'<h2 lang="\w+"><a href="([^"]+)"', browsing))


@pytest.mark.every_engine
def test_the_document_marks_the_query_s_words_and_their_translation(site):
    html = page(site, "/documents/melbourne-2018-en?q=haine")
    assert '<mark id="m-1">hate</mark>' in html
    assert "1 match of your search <q>haine</q> is highlighted." in html and 'href="#m-1"' in html
    french = page(site, "/documents/melbourne-2018-fr?q=familles%20jeunes", **{"Accept-Language": "fr"})
    assert re.search(r'<mark id="m-1">jeunes</mark> et les <mark id="m-2">familles</mark>', html := french)
    assert "2 occurrences de votre recherche <q>familles jeunes</q> sont surlignées." in html
    # inside an entity link: the mark is innermost
    assert re.search(r'<a class="entity city" href="/search\?city=Melbourne"[^>]*><mark id="m-\d+">Melbourne</mark></a>',
                     page(site, "/documents/melbourne-2018-fr?q=melbourne"))
    # the other version keeps the query
    assert 'href="/documents/melbourne-2018-en?q=haine"' in page(site, "/documents/melbourne-2018-fr?q=haine")


@pytest.mark.every_engine
def test_no_marks_without_a_query_or_for_exclusions(site):
    assert "<mark" not in page(site, "/documents/melbourne-2018-fr")
    html = page(site, "/documents/melbourne-2018-fr?q=-haine")
    assert "<mark" not in html and "is not in this version" in html
    assert "<mark" not in page(site, "/documents/melbourne-2018-fr?q=%22unclosed")


def test_a_hostile_query_is_escaped_on_the_document(site):
    html = page(site, "/documents/hostile?q=%3Cscript%3Ealert(5)%3C/script%3E%20haine")
    assert "<script>alert(5)" not in html and "&lt;script&gt;alert(5)&lt;/script&gt; haine" in html
    assert '<mark id="m-2">haine</mark>' in html and '<mark id="m-1">alert</mark>' in html   # words of the text


def test_compare_aligns_the_versions_by_section(store, client):
    french = "Préambule.\n\nUn paragraphe de plus.\n\nNos engagements\n\nNous nous engageons.\n\nCalendrier\n\nEn 2025."
    english = "Preamble.\n\nOur commitments\n\nWe commit.\n\nTimeline\n\nIn 2025."
    with store.write() as writer:
        writer.put(web_corpus.record("pair-fr", "Paire", french, "fr", translation_key="pair"))
        writer.put(web_corpus.record("pair-en", "Pair", english, "en", translation_key="pair"))
    html = page(client, "/documents/pair-fr/compare/pair-en")
    cells = re.findall(r'<div class="compare-cell" lang="(\w+)" data-section="(\d+)">(.*?)</div>', html, re.S)
    by_section = {}
    for language, number, content in cells:
        by_section.setdefault(number, {})[language] = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", content)).strip()
    assert by_section["1"] == {"fr": "Préambule. Un paragraphe de plus.", "en": "Preamble."}
    assert by_section["2"] == {"fr": "Nos engagements Nous nous engageons.", "en": "Our commitments We commit."}
    assert by_section["3"] == {"fr": "Calendrier En 2025.", "en": "Timeline In 2025."}


@pytest.mark.every_engine
def test_the_dictionary_s_translations_are_marked_unless_turned_off(site):
    assert re.search(r"<mark id=\"m-1\">families</mark>", page(site, "/documents/melbourne-2018-en?q=familles"))
    assert "<mark" not in page(site, "/documents/melbourne-2018-en?q=familles&translate=0")
    # a result opened from a search without the dictionary keeps it off
    html = page(site, "/search?q=familles&translate=0")
    assert 'href="/documents/melbourne-2018-fr?q=familles&amp;translate=0#p-5"' in html
