"""Analyzers: accents, elisions, stop words and stemming in both languages, in each engine."""
from __future__ import annotations

import pytest

from kb.index.tantivy.analysis import ENGLISH, FRENCH, NEUTRAL, analyses
from kb.index.whoosh.schema import english_analyzer, french_analyzer, neutral_analyzer


def _whoosh(make):
    analyzer = make()
    return lambda text: [t.text for t in analyzer(text)]


def _tantivy(name):
    return lambda text: analyses()[name].analyze(text)


ANALYZERS = {
    "tantivy": {"fr": _tantivy(FRENCH), "en": _tantivy(ENGLISH), "neutral": _tantivy(NEUTRAL)},
    "whoosh": {"fr": _whoosh(french_analyzer), "en": _whoosh(english_analyzer),
               "neutral": _whoosh(neutral_analyzer)},
}


@pytest.fixture(params=sorted(ANALYZERS))
def terms(request):
    """Per language, the terms an engine's analyzer makes of a text."""
    return ANALYZERS[request.param]


def test_french_accents_fold_to_the_same_term(terms):
    fr = terms["fr"]
    assert fr("extrémisme") == fr("extremisme") == fr("EXTRÉMISME")


def test_french_elisions_are_removed(terms):
    fr = terms["fr"]
    assert fr("l'extrémisme") == fr("extrémisme")
    assert fr("d’intolérance") == fr("intolérance")
    assert fr("qu'elles") == fr("elles")
    assert fr("aujourd'hui") != fr("hui")            # not an elision: one word


def test_french_stemming_joins_plural_and_singular(terms):
    fr = terms["fr"]
    assert fr("villes") == fr("ville")
    assert fr("radicalisations") == fr("radicalisation")
    assert fr("la haine") == fr("haine")


def test_english_stemming_and_stop_words(terms):
    en = terms["en"]
    assert en("cities") == en("city")
    assert en("the mayors") == en("mayor")
    assert en("committed") == en("commit")


def test_english_folds_accents(terms):
    en = terms["en"]
    assert en("Québec") == en("Quebec") == ["quebec"]


def test_neutral_analyzer_does_not_stem(terms):
    assert terms["neutral"]("Déclarations de Montréal") == ["declarations", "montreal"]


def test_single_letters_are_not_words(terms):
    assert terms["fr"]("à y a 5 x") == [] and terms["en"]("a b 5") == []


def test_where_the_engines_analyse_differently():
    """The engines stem with different Snowball versions (about 0.3% of the project's
    French and English words, kb/index/tantivy/analysis.py) and fold ``œ`` differently.
    Acceptable: an engine analyses queries exactly as it analysed its documents, so
    each finds what it indexed; only the stems shown in "How the query was read" differ."""
    whoosh, tantivy = ANALYZERS["whoosh"], ANALYZERS["tantivy"]
    # Porter (Whoosh) merges 'international' with 'internal'; Porter2 (tantivy) does not.
    assert whoosh["en"]("international") == whoosh["en"]("internal")
    assert tantivy["en"]("international") != tantivy["en"]("internal")
    assert whoosh["fr"]("cœur") == ["cœur"] and tantivy["fr"]("cœur") == ["coeur"]
    assert tantivy["fr"]("cœur") == tantivy["fr"]("coeur")


def test_tantivy_keeps_the_place_of_a_dropped_word():
    """A stop word leaves a gap in tantivy (as in Lucene), so a phrase matches the words
    as written; Whoosh renumbers, so its "lutte contre haine" also finds "lutte contre
    la haine". tests/test_search.py shows the consequence."""
    positions = analyses()[FRENCH].positions("la lutte contre la haine")
    assert positions == [(1, "lutt"), (2, "contr"), (4, "hain")]
