"""The bilingual vocabulary: themes, matching, expansions, file errors."""
from __future__ import annotations

import pytest

import model.vocabulary as vocabulary_module

from model.vocabulary import (LANGUAGES, VocabularyError, expansions, fold, load_vocabulary,
                           parse_vocabulary, stem)

REQUIRED_THEMES = {
    "violent-extremism", "hate-and-discrimination", "social-cohesion", "refugees-and-migration",
    "youth-and-education", "victims-of-terrorism", "public-private-partnerships",
    "local-data-and-evidence", "front-line-training", "human-rights", "polarisation",
    "radicalisation", "terrorism", "online-hate",
}


def test_every_theme_has_labels_and_terms_in_both_languages():
    vocabulary = load_vocabulary()
    assert REQUIRED_THEMES <= set(vocabulary.themes)
    for theme in vocabulary.themes.values():
        assert all(theme.labels[lang] and theme.terms[lang] for lang in LANGUAGES), theme.id


@pytest.mark.parametrize("term, language, expected", [
    ("radicalisation", "fr", "radicalization"),
    ("radicalization", "en", "radicalisation"),
    ("vivre-ensemble", "fr", "social cohesion"),
    ("social cohesion", "en", "vivre-ensemble"),
    ("maire", "fr", "mayor"),
    ("haine", "fr", "hate"),
    ("villes", "fr", "city"),
    ("jeunes", "fr", "youth"),
    ("réfugiés", "fr", "refugee"),
    ("victimes", "fr", "victim"),
    ("Extrémisme violent", "fr", "violent extremism"),
    ("extremisme violent", None, "violent extremism"),
    ("hate", "en", "haine"),
])
def test_expansions(term, language, expected):
    assert expected in expansions(term, language)


def test_expansions_leave_out_the_term_and_unknown_words():
    assert "haine" not in expansions("haine", "fr")
    assert expansions("bicyclette", "fr") == []
    assert expansions("", "fr") == []
    assert expansions("hate", "fr") == []   # "hate" is not a French form


def test_themes_in_text_match_accents_plurals_and_prefixes():
    vocabulary = load_vocabulary()
    found = vocabulary.themes_in("La RADICALISATION des jeunes, les réfugiés et la cohesion sociale ; "
                                 "radicalized youth, hate speech online.")
    assert {"radicalisation", "youth-and-education", "refugees-and-migration", "social-cohesion",
            "online-hate"} <= set(found)
    assert found["radicalisation"] == 2


def test_longest_term_wins():
    found = load_vocabulary().themes_in("le discours de haine")
    assert found == {"online-hate": 1}


def test_fold_and_stem():
    assert fold("Cœur ÉLUS") == "coeur elus"
    assert stem("villes") == "ville" and stem("cities") == "city" and stem("reseaux") == "reseau"


def test_label():
    vocabulary = load_vocabulary()
    assert vocabulary.label("radicalisation", "fr") == "Radicalisation"
    assert vocabulary.label("unknown-theme") == "unknown-theme"


@pytest.mark.parametrize("data, message", [
    ([], "mapping"),
    ({"themes": [{"label": {"fr": "a", "en": "b"}}]}, "needs an 'id'"),
    ({"themes": [{"id": "x", "label": {"fr": "a"}}]}, "label in fr and en"),
    ({"themes": [{"id": "x", "label": {"fr": "a", "en": "b"}, "fr": [1]}]}, "list of words"),
    ({"themes": [{"id": "x", "label": {"fr": "a", "en": "b"}}] * 2}, "defined twice"),
    ({"terms": [{"fr": ["haine"]}]}, "fr and en"),
])
def test_malformed_vocabulary(data, message):
    with pytest.raises(VocabularyError, match=message):
        parse_vocabulary(data)


@pytest.mark.parametrize("module", [vocabulary_module], ids=lambda m: m.__name__)
def test_docstring_examples(module):
    import doctest
    result = doctest.testmod(module)
    assert result.attempted and not result.failed
