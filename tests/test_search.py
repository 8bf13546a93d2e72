"""Search: words, phrases, OR, exclusion, prefixes, accents, filters, pages, facets, snippets."""
from __future__ import annotations

import pytest

from kb.index import IndexQuery
from kb.query import Relaxed, Word, parse_query
from kb.search import QueryError, SearchRequest, get_document, search

pytestmark = pytest.mark.every_engine


@pytest.fixture
def indexed(corpus, index, store):
    corpus.make_document(
        "Les maires s'engagent contre l'extrémisme violent et la haine à Québec.",
        id="fr-quebec", title="Déclaration de Québec", date="2016-04", type="declaration")
    corpus.make_document(
        "Le vivre-ensemble est au cœur de la prévention de la radicalisation des jeunes.",
        id="fr-jeunes", title="Prévenir la radicalisation", date="2018-07", type="guide")
    corpus.make_document(
        "We, the mayors, commit to fight hate speech and violent extremism in our cities.",
        id="en-mayors", title="Mayors against hate", language="en", date="2024-05",
        type="declaration")
    corpus.make_document(
        "Un brouillon interne sur l'extrémisme.", id="draft-doc", status="draft")
    index()
    return store


def found(store, query, **kwargs):
    """Ids found; without cross-language expansion, which tests/test_search_features.py covers."""
    kwargs.setdefault("expand", False)
    kwargs.setdefault("relax", False)
    return [h.id for h in search(store, SearchRequest(query=query, **kwargs)).hits]


@pytest.mark.parametrize("query, expected", [
    ("extremisme", ["fr-quebec"]),                 # accents do not matter
    ("Quebec", ["fr-quebec"]),
    ("l'extrémisme violent", ["fr-quebec"]),       # elisions
    ("haine Québec", ["fr-quebec"]),               # every word must match
    ("haine radicalisation", []),
    ("haine OR hate", ["en-mayors", "fr-quebec"]),  # both languages
    ('"extrémisme violent"', ["fr-quebec"]),       # exact phrases
    ('"violent extremism"', ["en-mayors"]),
    ('"violent hate"', []),
    ("extrémisme -Québec", []),                    # exclusion
    ("hate OR haine -mayors", ["fr-quebec"]),
    ("radical*", ["fr-jeunes"]),                   # prefixes, accents folded
    ("Préven*", ["fr-jeunes"]),
    ("mayor city", ["en-mayors"]),                 # English stemming
])
def test_query_syntax_and_analysis(indexed, query, expected):
    assert sorted(found(indexed, query)) == expected


def test_drafts_are_hidden(indexed):
    assert "draft-doc" not in found(indexed, "brouillon")
    assert found(indexed, "brouillon", include_drafts=True) == ["draft-doc"]
    assert get_document(indexed, "draft-doc") is None


def test_no_results(indexed):
    result = search(indexed, SearchRequest(query="xylophone"))
    assert result.total == 0 and result.hits == []


def test_filters_combine_or_within_and_across(indexed):
    assert sorted(found(indexed, "", filters={"type": ["declaration"]})) == ["en-mayors", "fr-quebec"]
    assert found(indexed, "", filters={"type": ["declaration"], "language": ["en"]}) == ["en-mayors"]
    assert sorted(found(indexed, "", filters={"type": ["guide", "declaration"], "language": ["fr"]})) \
        == ["fr-jeunes", "fr-quebec"]


def test_empty_query_lists_newest_first(indexed):
    assert found(indexed, "") == ["en-mayors", "fr-jeunes", "fr-quebec"]
    assert found(indexed, "", sort="oldest") == ["fr-quebec", "fr-jeunes", "en-mayors"]


def test_paging(indexed):
    first = search(indexed, SearchRequest(query="", page=1, page_size=2))
    second = search(indexed, SearchRequest(query="", page=2, page_size=2))
    assert first.total == second.total == 3 and first.pages == 2
    assert [h.id for h in first.hits + second.hits] == ["en-mayors", "fr-jeunes", "fr-quebec"]
    beyond = search(indexed, SearchRequest(query="", page=5, page_size=2))
    assert beyond.total == 3 and beyond.hits == []


def test_facet_counts_reflect_other_filters(indexed):
    result = search(indexed, SearchRequest(query="", filters={"language": ["fr"]}))
    types = {f.value: f.count for f in result.facets["type"]}
    assert types == {"declaration": 1, "guide": 1}
    languages = {f.value: (f.count, f.selected) for f in result.facets["language"]}
    assert languages == {"fr": (2, True), "en": (1, False)}


def test_snippet_marks_matches_and_escapes(corpus, index, store):
    corpus.write("xss.txt", "Un texte avec <script>alert('x')</script> et la haine des autres.")
    index()
    hit = search(store, SearchRequest(query="haine", expand=False, relax=False)).hits[0]
    assert "<mark>haine</mark>" in hit.snippet
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet


def test_hits_without_snippets_when_none_are_asked_for(indexed):
    """More like this reads only who is alike and how much: no snippet is marked for it."""
    marked = indexed.search(IndexQuery(query=Word("extrémisme")))
    bare = indexed.search(IndexQuery(query=Word("extrémisme"), snippets=False))
    assert "<mark>" in marked.hits[0].snippet
    assert [(h.id, "<mark>" in h.snippet) for h in bare.hits] == [(marked.hits[0].id, False)]


def test_most_of_many_words_finds_what_every_engine_finds(indexed):
    """Most of eight words: on Typesense, whose filters hold about 50 conditions, any of
    them (as Whoosh reads it), rather than the 70 groups of four written out."""
    words = parse_query("maires haine villes jeunes écoles prévention radicalisation extrémisme")
    assert {h.id for h in indexed.search(IndexQuery(query=Relaxed(words))).hits} == {"fr-jeunes", "fr-quebec"}


def test_a_query_past_what_the_engine_takes_is_refused_with_a_message(indexed, engine):
    """Sixty words required, one condition each: past Typesense 0.24's limit of 100
    tokens a filter, refused with what to do; the embedded engines answer it."""
    query = IndexQuery(query=parse_query(" ".join(f"mot{n}" for n in range(60))))
    if engine.name == "typesense":
        with pytest.raises(QueryError, match="too many parts for the search cluster.*expand=0"):
            indexed.search(query)
    else:
        assert indexed.search(query).total == 0


def test_markdown_drops_inline_html(corpus, index, store):
    corpus.make_document("Un texte avec <script>alert('x')</script> et la haine.", id="md-html")
    index()
    assert "<script>" not in store.get("md-html", include_drafts=True).body


@pytest.mark.parametrize("request_, message", [
    (SearchRequest(query="x", sort="random"), "Unknown sort"),
    (SearchRequest(query="x", page=0), "page number must be between 1 and"),
    (SearchRequest(query="x", date_from="2020-13-45"), "'from' must be a date"),
    (SearchRequest(query="x", filters={"kind": ["promise"]}), "'kind' is one of"),
    (SearchRequest(query="x", page_size=0), "page size"),
    (SearchRequest(query="x", filters={"colour": ["red"]}), "Unknown filter"),
    (SearchRequest(query='"open'), "Unclosed quote"),
])
def test_bad_requests(indexed, request_, message):
    with pytest.raises(QueryError, match=message):
        search(indexed, request_)


def test_date_range(indexed):
    assert found(indexed, "", date_from="2017") == ["en-mayors", "fr-jeunes"]
    assert found(indexed, "", date_to="2018") == ["fr-jeunes", "fr-quebec"]
    assert found(indexed, "", date_from="2016-05", date_to="2018-07") == ["fr-jeunes"]
    with pytest.raises(QueryError, match="'from' must be a date"):
        search(indexed, SearchRequest(date_from="last year"))


def test_expansion_with_the_real_vocabulary(indexed):
    assert found(indexed, "extremisme", expand=True) == ["fr-quebec", "en-mayors"]


def test_plain_queries_with_few_results_are_relaxed(indexed):
    strict = search(indexed, SearchRequest(query="haine radicalisation", expand=False, relax=False))
    assert strict.total == 0 and strict.interpretation["relaxed"] is False
    relaxed = search(indexed, SearchRequest(query="haine radicalisation", expand=False))
    assert relaxed.interpretation["relaxed"] is True
    assert sorted(h.id for h in relaxed.hits) == ["fr-jeunes", "fr-quebec"]


def test_queries_with_operators_are_never_relaxed(indexed):
    result = search(indexed, SearchRequest(query='"haine" radicalisation', expand=False))
    assert result.total == 0 and result.interpretation["relaxed"] is False


def test_a_phrase_keeps_its_stop_words_in_tantivy(indexed, engine):
    """Engines differ: Whoosh numbers the words left once stop words are dropped, so
    "violent haine" is a phrase of "violent et la haine"; tantivy keeps the places of the
    dropped words, so a phrase matches the words as written, stop words included (as
    Lucene does). Acceptable, and closer to what quotes ask for; both find the phrase as
    written. Typesense's terms are made by the Whoosh analysers, numbered as Whoosh does."""
    assert found(indexed, '"violent et la haine"') == ["fr-quebec"]
    assert found(indexed, '"violent haine"') == ([] if engine.name == "tantivy" else ["fr-quebec"])


def test_counts_only_and_word_counts(indexed):
    """What query translation asks of every engine: a search of limit 0 counts without a
    page, and how many documents of a language have a word (drafts left out)."""
    answer = indexed.search(IndexQuery(query=Word("extrémisme"), limit=0))
    assert (answer.documents, answer.hits) == (1, [])
    assert indexed.word_counts("fr", ["extrémisme", "radicalisations", "mayors", "la"]) == [1, 1, 0, None]
    assert indexed.word_counts("en", ["mayor"]) == [1]
