"""The Whoosh engine's analyzers: accents, elisions, stop words and stemming in both languages."""
from __future__ import annotations

import pytest

from kb.index.whoosh.schema import english_analyzer, french_analyzer, neutral_analyzer


def terms(analyzer, text):
    return [t.text for t in analyzer(text)]


@pytest.mark.parametrize("analyzer, text, same_as", [
    # French: accents and case folded, elisions removed, plurals stemmed, stop words dropped
    (french_analyzer, "extrémisme", "extremisme"), (french_analyzer, "EXTRÉMISME", "extremisme"),
    (french_analyzer, "l'extrémisme", "extrémisme"), (french_analyzer, "d’intolérance", "intolérance"),
    (french_analyzer, "qu'elles", "elles"), (french_analyzer, "villes", "ville"),
    (french_analyzer, "radicalisations", "radicalisation"), (french_analyzer, "la haine", "haine"),
    # English: stemmed, stop words dropped
    (english_analyzer, "cities", "city"), (english_analyzer, "the mayors", "mayor"),
    (english_analyzer, "committed", "commit"),
])
def test_forms_of_a_word_analyze_to_the_same_terms(analyzer, text, same_as):
    assert terms(analyzer(), text) == terms(analyzer(), same_as)


def test_english_folds_accents():
    en = english_analyzer()
    assert terms(en, "Québec") == terms(en, "Quebec") == ["quebec"]


def test_neutral_analyzer_does_not_stem():
    assert terms(neutral_analyzer(), "Déclarations de Montréal") == ["declarations", "montreal"]
