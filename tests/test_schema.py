"""Analyzers: accents, elisions, stop words and stemming in both languages."""
from __future__ import annotations

from kb.index.whoosh.schema import english_analyzer, french_analyzer, neutral_analyzer


def terms(analyzer, text):
    return [t.text for t in analyzer(text)]


def test_french_accents_fold_to_the_same_term():
    fr = french_analyzer()
    assert terms(fr, "extrémisme") == terms(fr, "extremisme") == terms(fr, "EXTRÉMISME")


def test_french_elisions_are_removed():
    fr = french_analyzer()
    assert terms(fr, "l'extrémisme") == terms(fr, "extrémisme")
    assert terms(fr, "d’intolérance") == terms(fr, "intolérance")
    assert terms(fr, "qu'elles") == terms(fr, "elles")


def test_french_stemming_joins_plural_and_singular():
    fr = french_analyzer()
    assert terms(fr, "villes") == terms(fr, "ville")
    assert terms(fr, "radicalisations") == terms(fr, "radicalisation")
    assert terms(fr, "la haine") == terms(fr, "haine")


def test_english_stemming_and_stop_words():
    en = english_analyzer()
    assert terms(en, "cities") == terms(en, "city")
    assert terms(en, "the mayors") == terms(en, "mayor")
    assert terms(en, "committed") == terms(en, "commit")


def test_english_folds_accents():
    en = english_analyzer()
    assert terms(en, "Québec") == terms(en, "Quebec") == ["quebec"]


def test_neutral_analyzer_does_not_stem():
    assert terms(neutral_analyzer(), "Déclarations de Montréal") == ["declarations", "montreal"]
