"""Atom feeds of searches and commitments views (issue 18, item 6): valid Atom as a feed
reader parses it, the newest documents first, the same filters as the page, everything
escaped; the pages link their feed."""
from __future__ import annotations

import re

import feedparser
import pytest

from tests.e2e import corpus as web_corpus


@pytest.fixture
def site(store, client):
    web_corpus.build(store, hostile=True)
    return client


def feed(client, url: str, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    return parsed, response.get_data(as_text=True)


@pytest.mark.every_engine
def test_a_search_feed_lists_the_newest_documents_with_the_page_s_filters(site):
    parsed, _ = feed(site, "/search.atom?q=maires&language=fr&sort=oldest&page=2")
    links = {link.rel: link.href for link in parsed.feed.links}
    assert links["self"] == "http://localhost/search.atom?q=maires&language=fr"   # no page nor order
    assert links["alternate"] == "http://localhost/search?q=maires&language=fr"
    assert parsed.feed.id == links["self"]
    api = site.get("/api/search?q=maires&language=fr&sort=newest").get_json()
    assert [e.link for e in parsed.entries] == [f"http://localhost/documents/{h['id']}" for h in api["hits"]]
    assert [e.id for e in parsed.entries] == [e.link for e in parsed.entries]
    dates = [e.published for e in parsed.entries if "published" in e]
    assert dates == sorted(dates, reverse=True) and len(dates) >= 2
    assert parsed.feed.title == "Search “maires” (Language: French) · City Declarations KB"


def test_a_feed_without_a_query_follows_every_new_document(site):
    parsed, _ = feed(site, "/search.atom")
    assert [e.title for e in parsed.entries[:3]] == ["Dialogue transatlantique à Strasbourg",   # 2024
                                                      "A guide to social cohesion for mayors",   # 2021
                                                      "<script>alert('title')</script> Titre"]    # 2020
    assert parsed.feed.title == "Newest documents · City Declarations KB"


def test_everything_is_escaped(site):
    parsed, xml = feed(site, "/search.atom?q=haine")
    assert "<script>" not in xml and "&lt;script&gt;alert('title')&lt;/script&gt; Titre" in xml
    hostile = next(e for e in parsed.entries if e.link.endswith("/documents/hostile"))
    assert hostile.title == "<script>alert('title')</script> Titre"
    assert "<img src=x onerror=alert(1)>" in hostile.summary and "<img" not in xml


def test_the_feed_in_french(site):
    parsed, _ = feed(site, "/search.atom?q=haine&city=Paris", **{"Accept-Language": "fr"})
    assert parsed.feed.title == "Recherche « haine » (Ville : Paris) · Base des déclarations de villes"
    assert parsed.feed.language == "fr"
    assert all("Paris" in e.summary for e in parsed.entries) and parsed.entries


def test_a_commitments_feed_lists_documents_with_their_commitments(site):
    parsed, _ = feed(site, "/commitments.atom?q=jeunes&kind=pledge")
    links = {link.rel: link.href for link in parsed.feed.links}
    assert links["alternate"] == "http://localhost/commitments?q=jeunes&kind=pledge"
    assert parsed.feed.title == "Commitments “jeunes” (Kind of commitment: Pledge) · City Declarations KB"
    everything, _ = feed(site, "/commitments.atom")
    melbourne = next(e for e in everything.entries if e.id.endswith("/documents/melbourne-2018-fr"))
    assert re.search(r"/documents/melbourne-2018-fr#c-1$", melbourne.link)
    assert "1. Nous nous engageons à partager" in melbourne.summary and "3. Soutenir les jeunes" in melbourne.summary
    years = [e.published[:4] for e in everything.entries if "published" in e]
    assert years == sorted(years, reverse=True)


def test_a_commitments_feed_finds_what_its_page_finds_in_either_language(site):
    """The feed reads the explorer's words and filters as the page does: "première
    ligne" also finds "front-line"; expand=0 and translate=0 are not filters."""
    page = site.get("/api/commitments?q=premi%C3%A8re+ligne").get_json()
    parsed, _ = feed(site, "/commitments.atom?q=premi%C3%A8re+ligne&translate=0")
    listed = [line for e in parsed.entries for line in e.summary.splitlines()]
    assert sorted(listed) == sorted(f"{c['number']}. {c['text']}" + (f" — {c['actor']}" if c["actor"] else "")
                                    for c in page["commitments"])
    assert any("front-line" in line for line in listed)
    assert parsed.feed.title == "Commitments “première ligne” · City Declarations KB"


@pytest.mark.parametrize("url, says", [
    ('/search.atom?q="unclosed', "quote"),
    ('/commitments.atom?q="unclosed', "quote"),
    ("/commitments.atom?actor=", "empty"),
    ("/commitments.atom?q=haine&expand=maybe", "expand"),
])
def test_a_bad_query_or_filter_is_a_400(site, url, says):
    response = site.get(url)
    assert response.status_code == 400 and says in response.get_data(as_text=True)


def test_the_pages_link_their_feeds(site):
    html = site.get("/search?q=haine&city=Paris&page=1").get_data(as_text=True)
    assert ('<link rel="alternate" type="application/atom+xml" title="Newest documents of this search (Atom feed)" '
            'href="/search.atom?q=haine&amp;city=Paris">') in html
    assert '<a href="/search.atom?q=haine&amp;city=Paris" type="application/atom+xml">Follow this search' in html
    commitments = site.get("/commitments?country=FR").get_data(as_text=True)
    assert 'href="/commitments.atom?country=FR"' in commitments
