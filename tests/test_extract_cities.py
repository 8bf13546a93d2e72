"""Cities: gazetteer names in French and English, evidence, context resolution, roles."""
from __future__ import annotations

import pytest

import indexer.extract.cities as cities_module
import indexer.extract.gazetteer as gazetteer_module
import indexer.extract.pipeline as pipeline_module
import indexer.extract.sentences as sentences_module

from indexer.extract.cities import extract_cities
from indexer.extract.gazetteer import load_gazetteer
from indexer.extract.pipeline import Entity


def cities(text, entities=None):
    return [(c.name, c.country) for c in extract_cities(text, entities)]


@pytest.mark.parametrize("name, english, country", [
    ("Bruxelles", "Brussels", "BE"), ("Beyrouth", "Beirut", "LB"), ("Genève", "Geneva", "CH"),
    ("Montréal", "Montreal", "CA"), ("Le Cap", "Cape Town", "ZA"), ("Londres", "London", "GB"),
    ("Anvers", "Antwerp", "BE"), ("La Haye", "The Hague", "NL"), ("Alger", "Algiers", "DZ"),
    ("Québec", "Quebec City", "CA"), ("Yaoundé", "Yaoundé", "CM"), ("Port-Louis", "Port Louis", "MU"),
])
def test_french_names_resolve_to_the_english_gazetteer_name(name, english, country):
    place = load_gazetteer().lookup(name)[0]
    assert (place.name, place.country) == (english, country)
    assert cities(f"Signée par Dakar, {name} et Tunis.")[1] == (english, country)


def test_contract_fields():
    (brussels,) = extract_cities("Les maires se sont réunis à Bruxelles, puis à Bruxelles encore.")
    assert brussels.geonameid == 2800866 and brussels.country == "BE"
    assert round(brussels.lat, 2) == 50.85 and round(brussels.lon, 2) == 4.35
    assert brussels.surface == ("Bruxelles",) and brussels.count == 2


def test_common_words_and_buildings_are_not_cities():
    text = ("Réunis vendredi à l'Hôtel de Ville, les Maires ont parlé. Convaincu que le Centre "
            "de la Francophonie en Europe et en Afrique aide les Villes, le Président a signé.")
    assert cities(text) == []


def test_lower_case_words_are_never_city_names():
    assert cities("une orange, un nice day, la ville de nantes") == []


def test_a_capitalised_first_word_needs_evidence():
    # spaCy (entities=[]) finds no place in the sentence
    assert [c.name for c in extract_cities("Nice to meet you all.", [], language="en")] == []
    assert cities("The mayor of Nice spoke.") == [("Nice", "FR")]
    assert cities("Le sommet se tiendra à Nice.") == [("Nice", "FR")]


@pytest.mark.parametrize("text, language, entities", [
    ("Members of Bush's cabinet received savings.", "en", [Entity(11, 15, "PER", "Bush")]),
    ("The annexation of the occupied West Bank was postponed.", "en", []),
    ("The institutions of the Roman Republic and the mos maiorum.", "en", []),
    ("Our world is in crisis and our Republic is in danger.", "en", []),
    ("Le projet de détourner l'Aar dans le lac de Bienne a échoué.", "fr", []),
    ("Les Andes centrales appartiennent aux Andes de type andin.", "fr", []),
    ("La Gare était fermée ce jour-là, comme le Temple voisin.", "fr", []),
])
def test_persons_words_and_longer_names_are_not_cities(text, language, entities):
    assert extract_cities(text, entities, language=language) == ()


def test_a_municipal_title_outweighs_a_person_reading():
    text = "Jacqueline Eustache-Brinio, maire de Saint Gratien (95), a été auditionnée."
    found = extract_cities(text, [Entity(text.index("Saint"), text.index(" (95)"), "PER", "Saint Gratien")],
                           language="fr")
    assert [(c.name, c.country) for c in found] == [("Saint-Gratien", "FR")]


def test_a_long_list_inside_an_organisation_entity_is_still_a_list_of_cities():
    text = "Signatory Cities:\n\nAbidjan - Algiers - Drummondville - Gatineau - Glasgow - Haifa"
    start = text.index("Drummondville")
    found = extract_cities(text, [Entity(start, len(text), "ORG", text[start:])], language="en")
    assert [c.name for c in found] == ["Abidjan", "Algiers", "Drummondville", "Gatineau", "Glasgow", "Haifa"]


def test_countries_and_regions_are_not_cities():
    assert cities("La France, le Luxembourg, le Kenya et le Maryland.") == []
    assert cities("Il vit au Québec depuis 2010.") == []


def test_a_country_name_is_a_city_in_a_list_of_cities():
    assert cities("Libreville, Liège, Luxembourg, Montréal") == [
        ("Libreville", "GA"), ("Liège", "BE"), ("Luxembourg", "LU"), ("Montreal", "CA")]


def test_big_city_named_like_a_region_is_a_city():
    assert cities("Une conférence à Washington, puis le lancement à New York.") == [
        ("Washington", "US"), ("New York City", "US")]


def test_county_is_not_a_city():
    assert cities("la stratégie du comté de Montgomery dans le Maryland") == []
    assert cities("Montgomery County officials met.") == []


def test_a_person_name_is_not_a_city():
    text = "explique Ali Hassan Joho, gouverneur de Mombasa, au Kenya."
    start = text.index("Ali")
    people = [Entity(start, start + len("Ali Hassan Joho"), "PER", "Ali Hassan Joho")]
    assert cities(text, people) == [("Mombasa", "KE")]


def test_acronyms_are_not_cities():
    assert cities("The UN and the EU met the mayor of Beirut.") == [("Beirut", "LB")]


@pytest.mark.parametrize("text, expected", [
    ("The mayors met in Paris, Texas.", ("Paris", "US")),
    ("A declaration signed in London, Ontario.", ("London", "CA")),
    ("Réunis à Paris avec les maires de Lyon.", ("Paris", "FR")),
    ("Le sommet se tiendra à Antalya, en Turquie.", ("Antalya", "TR")),
])
def test_ambiguous_names_resolve_by_a_country_or_region_named_next(text, expected):
    assert cities(text)[0] == expected


def test_ambiguous_names_resolve_by_the_other_cities_of_the_document():
    assert ("Victoria", "CA") in cities("Signée par Montréal, Québec, Victoria et Toronto.")
    assert cities("Signée par Montréal, Québec, Victoria et Toronto.").count(("Victoria", "CA")) == 1
    assert cities("Meeting in Melbourne.") == [("Melbourne", "AU")]     # else by population


def test_roles():
    text = ("Strasbourg, France\n\nLe réseau, réunis hier à New York, cite Tunis. Le sommet se tiendra "
            "les 11 et 12 mai à Antalya. La déclaration est signée par Abidjan, Bamako et Dakar.")
    roles = {c.name: c.roles for c in extract_cities(text)}
    assert roles == {"Strasbourg": ("venue",), "New York City": ("venue",), "Tunis": ("mentioned",),
                     "Antalya": ("venue",), "Abidjan": ("signatory",), "Bamako": ("signatory",),
                     "Dakar": ("signatory",)}


def test_english_roles():
    text = "The summit was held in Cape Town. The declaration was signed by Mombasa and Beirut."
    assert {c.name: c.roles for c in extract_cities(text)} == {
        "Cape Town": ("venue",), "Mombasa": ("signatory",), "Beirut": ("signatory",)}


def test_several_roles_and_surfaces_for_one_city():
    text = "Réunis à Bruxelles, les maires. La déclaration est signée par Brussels et Paris."
    (brussels, paris) = extract_cities(text)
    assert brussels.roles == ("venue", "signatory") and brussels.surface == ("Bruxelles", "Brussels")
    assert paris.roles == ("signatory",)


@pytest.mark.slow
def test_with_spacy_entities_on_a_seed():
    from indexer.extract.pipeline import entities
    from indexer.extract.windows import windows
    text = ("Paris franchit aujourd'hui une nouvelle étape. Anne Hidalgo participait à Montréal. "
            "Réunis à l'Hôtel de Ville de Paris, les Maires. Convaincu, le Président Barack Obama.")
    (ents,) = entities([text], "fr", [windows(text, load_gazetteer().find(text))])
    assert cities(text, ents) == [("Paris", "FR"), ("Montreal", "CA")]


@pytest.mark.parametrize("module", [gazetteer_module, cities_module, sentences_module, pipeline_module], ids=lambda m: m.__name__)
def test_docstring_examples(module):
    import doctest
    result = doctest.testmod(module)
    assert result.attempted and not result.failed


def test_a_document_in_another_language_is_extracted_with_the_gazetteer_and_rules():
    from indexer.extract import extract_text
    extraction = extract_text("Los alcaldes de Bruselas y Ginebra se reunieron en Madrid en 2023.", "es")
    assert [(c.name, c.country) for c in extraction.cities] == [
        ("Brussels", "BE"), ("Geneva", "CH"), ("Madrid", "ES")]
    assert [d.value for d in extraction.dates] == ["2023"] and extraction.language == "es"


def test_names_that_begin_an_organisation_or_are_common_words_are_not_cities():
    text = "As the Washington Post reported, Victoria Police and Monash University met in Bath."
    ents = [Entity(3, 22, "ORG", "the Washington Post"), Entity(33, 48, "ORG", "Victoria Police"),
            Entity(53, 70, "ORG", "Monash University")]
    assert cities(text, ents) == [("Bath", "GB")]
    assert cities("The University staff called the Police.") == []      # small towns need evidence
    assert cities("Réunis à l'Université de Montréal.",
                  [Entity(12, 34, "ORG", "Université de Montréal")]) == [("Montreal", "CA")]


@pytest.mark.parametrize("written, name", [("Liège", "Liège"), ("Liege", "Liège"), ("Aarhus", "Aarhus"),
                                           ("Århus", "Aarhus"), ("Düsseldorf", "Düsseldorf"),
                                           ("Malmö", "Malmö"), ("Genève", "Geneva")])
def test_names_keep_their_accents_and_usual_form(written, name):
    assert [c.name for c in extract_cities(f"Signée par Dakar, {written} et Tunis.")][1] == name


class CountingEntities(list):
    """spaCy's entities, counting how many times one is looked at."""
    looked_at = 0

    def __iter__(self):
        for entity in super().__iter__():
            CountingEntities.looked_at += 1
            yield entity


def test_entities_are_looked_at_a_bounded_number_of_times_whatever_the_length():
    """City matching stays linear in the text: each name found looks only at the entities
    around it, not at every entity of the document (a 1,500-page PDF took more than ten
    minutes when each of its city mentions scanned every entity)."""
    sentence = "Les maires de Bruxelles et de Genève se sont réunis avec Anne Martin à Lyon. "
    text = sentence * 400
    found, offset = [], 0
    for _ in range(400):
        for name, label in (("Bruxelles", "LOC"), ("Genève", "LOC"), ("Anne Martin", "PER"), ("Lyon", "LOC")):
            start = text.index(name, offset)
            found.append(Entity(start, start + len(name), label, name))
            offset = start + len(name)
    entities = CountingEntities(found)
    CountingEntities.looked_at = 0
    result = extract_cities(text, entities)
    assert {c.name for c in result} == {"Brussels", "Geneva", "Lyon"}
    assert CountingEntities.looked_at <= 3 * len(found)     # today: every entity per mention


def test_a_country_name_in_a_list_of_countries_is_the_country():
    assert cities("Experts came from Djibouti, Ethiopia, Kenya, Mozambique and Uganda, and from Nairobi.") == [
        ("Nairobi", "KE")]


def test_another_spelling_resolves_to_a_town_of_a_country_the_document_names():
    # "Saida" is the own name of a town in Algeria and another spelling of Sidon
    assert cities("Networks were set up in Saida and Tripoli in Lebanon.") == [("Sidon", "LB"), ("Tripoli", "LB")]
    assert cities("Signée par Oran, Saida et Alger.")[1] == ("Saïda", "DZ")
    # an own name in a country named wins over another spelling there or elsewhere
    assert cities("In the United States, the conference met in Milan.") == [("Milan", "IT")]


def test_another_spelling_followed_by_a_name_the_gazetteer_lacks_is_not_taken():
    # "Majdal" is also a former name of Ashkelon; "Majdal Anjar" is a town of its own
    text = "Networks in Saida, Tripoli and Majdal Anjar in Lebanon."
    assert ("Ashkelon", "IL") not in cities(text)


def test_a_city_and_a_year_are_a_city():
    text = "After the attacks (Madrid 2004, Londres 2005, Manchester 2017), the cities met."
    start = text.index("Manchester")
    event = [Entity(start, start + len("Manchester 2017"), "MISC", "Manchester 2017")]
    assert ("Manchester", "GB") in cities(text, event)
    dated = "Press release (Melbourne, March 2018)"
    date = [Entity(dated.index("March"), dated.index("2018") + 4, "DATE", "March 2018")]
    assert cities(dated, date) == [("Melbourne", "AU")]


def test_an_arabic_article_joined_to_the_name():
    assert cities("Mohamed Boudra, Mayor of Alhoceima, spoke.") == [("Al Hoceïma", "MA")]
