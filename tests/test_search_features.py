"""Cross-language expansion, grouped translations, typo tolerance, passages, commitments,
more like this, and the interpretation of a query."""
from __future__ import annotations

import pytest

from model.record import City, Commitment, Extraction, Record
from kb.search import SearchRequest, search, similar

pytestmark = pytest.mark.every_engine

VOCABULARY = {"haine": ["hate"], "hate": ["haine"], "vivre-ensemble": ["social cohesion"],
              "social cohesion": ["vivre-ensemble"], "maire": ["mayor"], "mayor": ["maire"]}
CITIES = {"bruxelles": ["Brussels"], "brussels": ["Brussels"], "le cap": ["Cape Town"]}


def lookups():
    return (lambda text: VOCABULARY.get(text.lower(), []), lambda text: CITIES.get(text.lower(), []))


def record(doc_id, body, language="fr", **fields):
    return Record(id=doc_id, title=fields.pop("title", doc_id), type=fields.pop("type", "declaration"),
                  language=language, body=body, path=f"{doc_id}.md", fingerprint=doc_id, **fields)


@pytest.fixture
def kb(store):
    brussels = City("Brussels", "BE", 2800866, 50.85, 4.35, ("Bruxelles",), 1, ("venue",))
    cape_town = City("Cape Town", "ZA", 3369157, -33.9, 18.4, ("Cape Town",), 1, ("mentioned",))
    records = [
        record("fr-haine", "Les villes luttent contre la haine.\n\nLe vivre-ensemble est une priorité.",
               translation_key="pair", date="2020"),
        record("en-hate", "Cities fight hate.\n\nSocial cohesion is a priority.", "en",
               translation_key="pair", date="2020"),
        record("en-only", "A guide to social cohesion for every mayor.", "en", date="2021", type="guide"),
        record("fr-bruxelles", "Réunion des maires à Bruxelles.", date="2019",
               extraction=Extraction(cities=(brussels,))),
        record("en-capetown", "Mayors met in Cape Town about youth.", "en", date="2022",
               extraction=Extraction(cities=(cape_town,), themes=("youth",))),
        record("fr-guide",
               "Introduction\n\nUn texte général sur les villes.\n\nPrévention dans les écoles\n\n"
               "Les éducateurs préviennent la radicalisation des jeunes dans les écoles.", type="guide",
               extraction=Extraction(
                   commitments=(Commitment("Nous nous engageons à former les éducateurs des écoles.",
                                           "les maires"),), themes=("youth",))),
    ]
    with store.write() as writer:
        for r in records:
            writer.put(r)
    return store


def run(store, query, **kwargs):
    return search(store, SearchRequest(query=query, **kwargs), lookups=lookups)


def ids(result):
    return [h.id for h in result.hits]


def test_french_query_finds_english_documents_through_the_vocabulary(kb):
    result = run(kb, "vivre-ensemble")
    assert set(ids(result)) == {"fr-haine", "en-only"}   # the pair is one result
    assert ids(run(kb, "vivre-ensemble", expand=False)) == ["fr-haine"]


def test_original_language_ranks_above_expansion(kb):
    assert ids(run(kb, "social cohesion"))[0] in {"en-hate", "en-only"}
    assert ids(run(kb, "vivre-ensemble"))[0] == "fr-haine"


def test_translations_are_grouped_with_their_languages(kb):
    result = run(kb, "haine")
    assert result.total == 1 and result.documents == 2
    hit = result.hits[0]
    assert hit.languages == ["en", "fr"]
    assert [v["id"] for v in hit.versions] == ["en-hate" if hit.id == "fr-haine" else "fr-haine"]


def test_language_filter_picks_the_version(kb):
    result = run(kb, "haine", filters={"language": ["en"]})
    assert ids(result) == ["en-hate"]


def test_city_names_match_in_any_language(kb):
    assert ids(run(kb, "Le Cap")) == ["en-capetown"]
    assert ids(run(kb, "Brussels")) == ["fr-bruxelles"]
    assert ids(run(kb, "Le Cap", expand=False)) == []


def test_interpretation_explains_expansions_and_stems(kb):
    result = run(kb, "haine Bruxelles")
    interpretation = result.interpretation
    assert interpretation["words"] == ["haine", "Bruxelles"]
    assert {"text": "haine", "kind": "vocabulary", "alternatives": ["hate"], "weights": []} in interpretation["expansions"]
    assert {"text": "Bruxelles", "kind": "city", "alternatives": ["Brussels"], "weights": []} in interpretation["expansions"]
    assert "hain" in interpretation["stems"]["body_fr"]
    assert run(kb, "haine", expand=False).interpretation["expansions"] == []


def test_typo_tolerance_and_did_you_mean(kb):
    result = run(kb, "radicalsation")
    assert ids(result) == ["fr-guide"]
    assert result.suggestions == ["radicalisation"]
    assert result.interpretation["corrections"] == {"radicalsation": ["radicalisation"]}


def test_a_word_only_drafts_hold_is_neither_known_nor_offered(kb):
    assert run(kb, "zorglubism").suggestions == []          # no word close to it yet
    with kb.write() as writer:
        writer.put(record("fr-draft", "Un brouillon sur le zorglubisme et la radicalsation.", status="draft"))
    assert run(kb, "zorglubism").suggestions == []          # "zorglubisme": only a draft has it
    assert run(kb, "radicalsation").suggestions == ["radicalisation"]   # the draft's typo is no word
    with kb.write() as writer:
        writer.put(record("fr-draft", "Un texte sur le zorglubisme et la radicalsation."))
    assert run(kb, "zorglubism").suggestions == ["zorglubisme"]     # published: it is offered
    assert run(kb, "radicalsation").suggestions == []


def test_short_words_and_known_words_are_not_corrected(kb):
    assert run(kb, "vile").suggestions == []
    assert run(kb, "haine").suggestions == []


def test_hit_names_its_passage_and_commitment(kb):
    hit = run(kb, "écoles éducateurs").hits[0]
    assert hit.passage == {"number": 4, "heading": "Prévention dans les écoles", "anchor": "p-4"}
    assert "<mark>éducateurs</mark>" in hit.snippet
    assert hit.commitment["actor"] == "les maires"
    assert "<mark>éducateurs</mark>" in hit.commitment["text"]


def test_more_like_this_crosses_languages_but_skips_translations(kb):
    found = [d["id"] for d in similar(kb, "fr-guide")]
    assert "en-capetown" in found            # shares the youth theme, in English
    assert "fr-guide" not in found
    assert similar(kb, "fr-haine") is not None and "en-hate" not in [d["id"] for d in similar(kb, "fr-haine")]
    assert similar(kb, "nope") is None


def test_field_queries_are_normalized(kb):
    assert ids(run(kb, "city:bruxelles")) == ["fr-bruxelles"]
    assert ids(run(kb, "city:Brussels")) == ["fr-bruxelles"]
    assert ids(run(kb, "type:Guide", sort="oldest")) == ["fr-guide", "en-only"]
    assert ids(run(kb, "réunion -city:bruxelles")) == []


def test_the_kind_of_commitment_is_a_facet(store):
    pledge = Commitment("Nous nous engageons à former les jeunes.", "les maires", kind="pledge")
    call = Commitment("Nous appelons les États à agir.", "les maires", kind="call")
    with store.write() as writer:
        writer.put(record("both", "Engagements et appels.", extraction=Extraction(commitments=(pledge, call))))
        writer.put(record("pledge", "Engagements.", extraction=Extraction(commitments=(pledge,))))
        writer.put(record("none", "Rien."))
    result = run(store, "")
    assert {f.value: f.count for f in result.facets["kind"]} == {"pledge": 2, "call": 1}
    assert sorted(ids(run(store, "", filters={"kind": ["call"]}))) == ["both"]
    assert sorted(ids(run(store, "", filters={"kind": ["call", "pledge"]}))) == ["both", "pledge"]


@pytest.mark.parametrize("query", ['« vivre-ensemble »', '«\u00a0vivre-ensemble\u00a0»', '“vivre-ensemble”',
                                   '„vivre-ensemble“'])
def test_french_and_typographic_quotes_are_phrases(kb, query):
    straight = run(kb, '"vivre-ensemble"')
    quoted = run(kb, query)
    assert ids(quoted) == ids(straight) and quoted.total == straight.total >= 1
    assert quoted.interpretation["relaxed"] is False


def test_a_query_of_exclusions_only_lists_every_document_without_them(kb):
    everything = run(kb, "")
    result = run(kb, '-haine -"Cape Town"', expand=False)
    assert result.interpretation["only_excluded"] == ["haine", "Cape Town"]
    assert set(ids(run(kb, "", page_size=50))) - set(h.id for h in result.hits) >= {"en-capetown"}
    assert result.documents == everything.documents - 2       # fr-haine and en-capetown: either one
    assert run(kb, "villes -haine").interpretation["only_excluded"] == []


def test_a_relaxed_query_lists_the_documents_with_every_word_first(kb):
    for sort in ("relevance", "newest", "oldest"):
        result = run(kb, "villes haine", sort=sort)
        assert result.interpretation["relaxed"] is True
        # en-capetown has 'town', a translation of 'villes' (the dictionary), not 'haine'
        assert result.hits[0].id == "fr-haine" and result.hits[0].match == "all"
        assert {(h.id, h.match) for h in result.hits[1:]} == {("fr-guide", "some"), ("en-capetown", "some")}
        assert result.matches == {"all": 1, "translated": 0, "some": 2}
    assert result.to_dict()["matches"] == result.matches
    assert result.to_dict()["hits"][-1]["match"] == "some"


def test_every_word_comes_first_whatever_the_sort(store):
    with store.write() as writer:
        for doc_id, body, date in (("both", "Les maires contre la haine.", "2018"),
                                   ("maires", "Les maires se réunissent.", "2024"),
                                   ("haine", "La haine en ligne.", "2016")):
            writer.put(record(doc_id, body, date=date))
    for sort, rest in (("newest", ["maires", "haine"]), ("oldest", ["haine", "maires"])):
        result = search(store, SearchRequest(query="maires haine", sort=sort, expand=False))
        assert [h.id for h in result.hits] == ["both", *rest]
        assert [h.match for h in result.hits] == ["all", "some", "some"]
    second = search(store, SearchRequest(query="maires haine", sort="newest", expand=False, page=2,
                                         page_size=2))
    assert [(h.id, h.match) for h in second.hits] == [("haine", "some")]
    assert second.matches == {"all": 1, "some": 2}


def test_a_relaxed_query_without_expansions_counts_every_word_and_some(kb):
    result = run(kb, "maires écoles", expand=False)
    assert result.matches == {"all": 0, "some": 2}
    assert [h.match for h in result.hits] == ["some", "some"]


def test_results_found_through_a_translation_say_so_and_keep_their_rank(kb):
    # en-only before en-capetown, the newer: BM25 (on Typesense, the first results reranked)
    result = run(kb, "maire")
    assert [(h.id, h.match) for h in result.hits] == [
        ("fr-bruxelles", "all"), ("en-only", "translated"), ("en-capetown", "translated")]
    assert result.matches == {"all": 1, "translated": 2}
    newest = run(kb, "maire", sort="newest")       # no tier first: the dates decide
    assert [h.id for h in newest.hits] == ["en-capetown", "en-only", "fr-bruxelles"]


def test_a_result_is_shown_and_labelled_by_its_best_language_version(kb):
    # The pair's versions share a date: newest first, either could be listed, but the one
    # with the word as typed is shown, and the result is labelled by it.
    for sort in ("relevance", "newest"):
        for word, version in (("hate", "en-hate"), ("haine", "fr-haine")):
            [hit] = run(kb, word, sort=sort).hits
            assert (hit.id, hit.match) == (version, "all")


def test_plain_queries_without_expansion_or_relaxation_have_no_match_labels(kb):
    result = run(kb, "radicalisation", expand=False)
    assert result.matches == {} and result.hits and {h.match for h in result.hits} == {None}


# -- what issue 18 asks of the index interface, on every engine -------------------------
def test_tiers_order_count_and_name_the_results(store):
    """IndexQuery.tiers: results in the ``first`` tier or an earlier one come first
    whatever the sort, each page of groups continuing where the last stopped; a group is
    in its best version's tier."""
    from kb.index import IndexQuery
    from kb.query import Relaxed, parse_query
    with store.write() as writer:
        for doc_id, body, date, key in (
                ("both-fr", "Les maires contre la haine.", "2015", "pair"),
                ("both-en", "Mayors against hatred.", "2015", "pair"),       # 'maires' only in French
                ("maires", "Les maires se réunissent.", "2024", ""),
                ("haine", "La haine en ligne.", "2016", ""),
                ("tous", "Les maires et la haine, encore.", "2020", "")):
            writer.put(record(doc_id, body, date=date, **({"translation_key": key} if key else {})))
    words = parse_query("maires haine")
    tiers = (("all", words),)
    for sort in ("relevance", "newest", "oldest"):
        query = IndexQuery(query=Relaxed(words), tiers=tiers, rest="some", first="all", sort=sort)
        answer = store.search(query)
        assert answer.total == 4 and answer.matches == {"all": 2, "some": 2}
        assert {h.id for h in answer.hits[:2]} == {"both-fr", "tous"}
        assert [h.match for h in answer.hits] == ["all", "all", "some", "some"]
        pages = [store.search(IndexQuery(query=Relaxed(words), tiers=tiers, rest="some", first="all",
                                         sort=sort, offset=offset, limit=1)).hits
                 for offset in range(4)]
        assert [p[0].id for p in pages] == [h.id for h in answer.hits]
    newest = store.search(IndexQuery(query=Relaxed(words), tiers=tiers, rest="some", first="all",
                                     sort="newest"))
    assert [h.id for h in newest.hits] == ["tous", "both-fr", "maires", "haine"]
    unordered = store.search(IndexQuery(query=Relaxed(words), tiers=tiers, rest="some", sort="newest"))
    assert [h.id for h in unordered.hits] == ["maires", "tous", "haine", "both-fr"]   # no tier first
    assert [h.match for h in unordered.hits] == ["some", "all", "some", "all"]
    counted = store.search(IndexQuery(query=Relaxed(words), tiers=tiers, rest="some", first="all",
                                      limit=0))
    assert counted.hits == [] and counted.matches == {"all": 2, "some": 2}
    plain = store.search(IndexQuery(query=Relaxed(words)))
    assert plain.matches == {} and all(h.match is None for h in plain.hits)


def test_match_spans_are_the_words_the_search_matched(store):
    from kb.query import parse_query
    body = "Les maires luttent contre la haine.\n\nLa radicalisation des jeunes maire."
    with store.write() as writer:
        writer.put(record("doc", body))

    def marked(query):
        return [body[start:end] for start, end in store.match_spans("doc", parse_query(query))]
    assert marked("maire") == ["maires", "maire"]                  # stems
    assert marked("HAINE radical*") == ["haine", "radicalisation"]  # case, prefixes
    assert marked('"la haine"') == ["haine"]                        # a phrase's words, not stop words
    assert marked('"jeunes maire"') == ["maires", "jeunes", "maire"]
    assert marked("maire -haine") == ["maires", "maire"]            # not what it excludes
    assert marked("maire (jeunes -haine)") == ["maires", "jeunes", "maire"]   # at any depth
    assert marked("maire NOT haine jeunes") == ["maires", "jeunes", "maire"]
    assert marked("mayor") == []
    assert store.match_spans("nope", parse_query("maire")) is None


def test_facets_list_as_many_values_as_asked(store):
    from kb.index import IndexQuery
    with store.write() as writer:
        for n in range(60):
            writer.put(record(f"d{n}", "Un texte.", type=f"type{n:02d}"))
    assert len(store.search(IndexQuery()).facets["type"]) == 50           # MAX_FACET_VALUES
    assert len(store.search(IndexQuery(facet_limit=3)).facets["type"]) == 3
    assert len(store.search(IndexQuery(facet_limit=100_000)).facets["type"]) == 60
