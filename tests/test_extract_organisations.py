"""Organisations: known names and abbreviations, cities as actors, filtered spaCy ORG entities."""
from __future__ import annotations

import pytest

import indexer.extract.organisations as organisations_module

from indexer.extract.organisations import canonical_name, extract_organisations
from indexer.extract.pipeline import Entity


def names(text, entities=None, language="fr"):
    return [o.name for o in extract_organisations(text, entities, language)]


@pytest.mark.parametrize("text, expected", [
    ("le réseau Strong Cities", "Strong Cities Network"),
    ("Strong Cities a lancé", "Strong Cities Network"),
    ("The Strong Cities Network", "Strong Cities Network"),
    ("l'AIMF", "Association Internationale des Maires Francophones"),
    ("l'Association International des Maires Francophones", "Association Internationale des Maires Francophones"),
    ("l'Assemblée générale de l'ONU", "United Nations"),
    ("aux Nations unies", "United Nations"),
    ("the UN", "United Nations"),
    ("l'Union européenne", "European Union"),
    ("the EU", "European Union"),
    ("le Parlement européen", "European Parliament"),
])
def test_known_organisations(text, expected):
    assert names(text) == [expected]


def test_surfaces_are_kept_once_each_in_order():
    (network,) = extract_organisations("Strong Cities ; le réseau Strong Cities ; Strong Cities.")
    assert network.surface == ("Strong Cities", "réseau Strong Cities")


def test_abbreviations_must_be_in_capitals():
    assert names("un plan, une ue, onu") == []
    assert names("UN NOUVEAU PLAN POUR LES VILLES") == []


def test_city_governments_are_not_organisations():
    assert names("La Ville de Paris et la municipalité de Beyrouth, avec la ville de Strasbourg.") == []
    assert names("The City of Cape Town hosted it.", language="en") == []


@pytest.mark.parametrize("text, expected", [
    ("l'attentat contre le Centre culturel islamique de Québec, qui a coûté", "Centre culturel islamique de Québec"),
    ("le travail du Centre de prévention de la radicalisation menant à la violence, créé à Montréal",
     "Centre de prévention de la radicalisation menant à la violence"),
    ("avec le soutien du consulat général des Etats-Unis à Strasbourg et de l'Union européenne",
     "Consulat général des Etats-Unis à Strasbourg"),
    ("en partenariat avec la fédération France Victimes.", "France Victimes"),
    ("supported by the charity Hope Not Hate.", "Hope Not Hate"),
    ("les villes qui souhaitent rejoindre la Coalition des villes contre le racisme, constituée",
     "Coalition des villes contre le racisme"),
    ("un appel du Réseau des élus locaux contre les discriminations.", "Réseau des élus locaux contre les discriminations"),
])
def test_institutions_named_by_rule(text, expected):
    assert expected in names(text)


def test_institution_rule_stops_at_verbs_and_skips_city_councils():
    assert names("La Commission a décidé de financer le Conseil municipal de Rennes.") == []


def entity(text, surface, label="ORG"):
    start = text.index(surface)
    return Entity(start, start + len(surface), label, surface)


def test_spacy_org_entities_are_kept_when_their_words_say_so():
    text = "With Paris Junior College, the Indian Ocean Commission, CPRMV, the Mayor, the Guide and Centre del Carme."
    found = names(text, [entity(text, "Paris Junior College"), entity(text, "Indian Ocean Commission"),
                         entity(text, "CPRMV"), entity(text, "Mayor"), entity(text, "Guide"),
                         entity(text, "Centre del Carme"), entity(text, "Paris", "LOC")], language="en")
    assert found == ["Paris Junior College", "Indian Ocean Commission", "CPRMV"]


def test_a_name_that_spells_its_acronym_is_an_organisation():
    text = "the Radical Middle Way Trust Exchange (RMWE) said"
    assert names(text, [entity(text, "Radical Middle Way Trust Exchange")], language="en") == [
        "Radical Middle Way Trust Exchange"]
    text = "the Radical Middle Way (RMW) said"
    assert names(text, [entity(text, "Radical Middle Way")], language="en") == ["Radical Middle Way"]


def test_sentence_fragments_and_places_are_not_organisations():
    text = "Les villes qui ont été touchées par les attentats de Paris et la Francophonie, et Kenya."
    ents = [entity(text, "Les villes qui ont été touchées par les attentats"), entity(text, "Kenya"),
            entity(text, "Francophonie")]
    assert names(text, ents) == []


def test_org_entity_that_is_a_known_alias_gets_its_canonical_name():
    text = "Les délégués des Nations Unies."
    assert names(text, [entity(text, "Nations Unies")]) == ["United Nations"]


def test_canonical_name():
    assert canonical_name("ONU") == "United Nations"
    assert canonical_name(" Réseau Strong Cities ") == "Strong Cities Network"
    assert canonical_name("Ville de Strasbourg") == "Ville de Strasbourg"


@pytest.mark.slow
def test_with_spacy_on_a_seed():
    from indexer.extract.gazetteer import load_gazetteer
    from indexer.extract.pipeline import entities
    from indexer.extract.windows import windows
    text = ("Le Strong Cities Network, en collaboration avec la ville de Strasbourg et avec le soutien "
            "de l'Union européenne, vous invite. Veuillez noter. Eric Rosand, Directeur exécutif.")
    (ents,) = entities([text], "fr", [windows(text, load_gazetteer().find(text))])
    assert names(text, ents) == ["Strong Cities Network", "European Union"]


@pytest.mark.parametrize("module", [organisations_module], ids=lambda m: m.__name__)
def test_docstring_examples(module):
    import doctest
    result = doctest.testmod(module)
    assert result.attempted and not result.failed


def test_an_entity_cut_inside_its_acronym_keeps_the_name():
    from indexer.extract.pipeline import Entity
    text = "We, the members of the European Coalition of Cities against Racism (ECCAR), meet."
    start = text.index("the European")
    entity = Entity(start, text.index("), meet"), "ORG", text[start:text.index("), meet")])
    assert [o.name for o in extract_organisations(text, [entity], "en")] == [
        "European Coalition of Cities against Racism"]
