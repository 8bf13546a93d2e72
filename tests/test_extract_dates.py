"""Dates: French and English forms, ranges, years in context, relative dates, roles, non-dates."""
from __future__ import annotations

import pytest

import indexer.extract.dates as dates_module

from indexer.extract.dates import extract_dates


def values(text, base=None):
    return [(d.value, d.end) for d in extract_dates(text, base_date=base)]


@pytest.mark.parametrize("text, expected", [
    ("les 14-15 mai 2024", [("2024-05-14", "2024-05-15")]),
    ("14-15 mai 2024", [("2024-05-14", "2024-05-15")]),
    ("les 14 et 15 mai 2024", [("2024-05-14", "2024-05-15")]),
    ("du 2 au 4 octobre 2022", [("2022-10-02", "2022-10-04")]),
    ("du 30 septembre au 2 octobre 2022", [("2022-09-30", "2022-10-02")]),
    ("3–5 June 2023", [("2023-06-03", "2023-06-05")]),
    ("June 3-5, 2023", [("2023-06-03", "2023-06-05")]),
    ("le 8 avril 2024", [("2024-04-08", None)]),
    ("le 1er septembre 2022", [("2022-09-01", None)]),
    ("jeudi 12 février 2015", [("2015-02-12", None)]),
    ("on 14 May 2024", [("2024-05-14", None)]),
    ("on May 14, 2024", [("2024-05-14", None)]),
    ("on the 3rd of June 2023", [("2023-06-03", None)]),
    ("Déclaration – Juillet 2018", [("2018-07", None)]),
    ("en juillet 2018", [("2018-07", None)]),
    ("in September 2015", [("2015-09", None)]),
    ("l'année 2016 a vu", [("2016", None)]),
    ("since 2016,", [("2016", None)]),
    ("soutenu dès 2015 la création", [("2015", None)]),
    ("the 2015–2020 plan", [("2015", "2020")]),
    ("le 14/05/2024", [("2024-05-14", None)]),
    ("2024-05-14", [("2024-05-14", None)]),
])
def test_forms(text, expected):
    assert values(text) == expected


@pytest.mark.parametrize("text", [
    "plus de 25 000 morts", "220 villes", "Contact : 01.42.76.49.61", "Tél. +33 1 42 76 49 61",
    "1,200 participants", "au XXIe siècle", "2016 participants", "we may act", "Mars attacks",
    "Article 2019 du code", "page 2020",
])
def test_non_dates(text):
    assert values(text) == []


def test_dates_without_a_year_take_the_base_year():
    assert values("le 11 et 12 mai", "2016") == [("2016-05-11", "2016-05-12")]
    assert values("le 11 et 12 mai") == []
    assert values("en janvier", "2015-09-30") == [("2015-01", None)]


@pytest.mark.parametrize("text, base, expected", [
    ("réunies hier à New York", "2015-09-30", "2015-09-29"),
    ("yesterday", "2015-09-30", "2015-09-29"),
    ("Mi-mars, la Maire", "2015-09-30", "2015-03"),
    ("En juin dernier", "2015-09-30", "2015-06"),
    ("en octobre dernier", "2016-04", "2015-10"),
    ("last June", "2015-09-30", "2015-06"),
    ("s'est réuni vendredi", "2016-04-06", "2016-04-01"),
    ("se tiendra vendredi", "2016-04-06", "2016-04-08"),
    ("l'an prochain à Toulouse", "2019-04", "2020"),
    ("Last year the city invested", "2023-06-05", "2022"),
    ("d'ici à la fin de l'année", "2024-02-16", "2024"),
])
def test_relative_dates_resolve_against_the_base_date(text, base, expected):
    assert values(text, base) == [(expected, None)]


@pytest.mark.parametrize("text, base", [
    ("réunies hier", None), ("last June", None), ("vendredi", "2016-04"), ("hier", "2016"),
    ("en juin dernier", "2016"),
])
def test_relative_dates_are_left_out_without_enough_base(text, base):
    assert values(text, base) == []


@pytest.mark.parametrize("text", [
    "Paris franchit aujourd'hui une nouvelle étape", "today", "Durement éprouvée cette année",
    "ouverte du mardi au samedi, de 9 h à 17 h", "du lundi au vendredi", "open Monday to Friday",
])
def test_vague_or_repeated_dates_and_opening_hours_are_left_out(text):
    assert values(text, "2015-09-30") == []


@pytest.mark.parametrize("text, expected", [
    ("Between January and August 2022", ("2022-01", "2022-08")),
    ("entre janvier et septembre 2023", ("2023-01", "2023-09")),
    ("de mars à juin 2020", ("2020-03", "2020-06")),
])
def test_month_ranges(text, expected):
    assert values(text) == [expected]


def test_roles():
    text = ("INVITATION\n\n**14-15 mai 2024**\n\nStrasbourg, France\n\n"
            "Inscrivez-vous au plus tard le 8 avril 2024. Le réseau compte 35 villes depuis septembre "
            "2015. L'année 2016 a vu plus de pays que jamais souffrir.")
    roles = {d.value: d.role for d in extract_dates(text)}
    assert roles == {"2024-05-14": "event", "2024-04-08": "deadline", "2015-09": "reference",
                     "2016": "reference"}


def test_english_roles():
    text = ("Register no later than 15 May 2023. The summit will take place on 3–5 June 2023. "
            "Applications by 1 March 2023. In 2016 many attacks happened.")
    assert [(d.value, d.role) for d in extract_dates(text)] == [
        ("2023-05-15", "deadline"), ("2023-06-03", "event"), ("2023-03-01", "deadline"),
        ("2016", "reference")]


def test_one_entry_per_date_with_its_first_surface():
    (date,) = extract_dates("Le 14-15 mai 2024 à Strasbourg. Rendez-vous les 14 et 15 mai 2024 !")
    assert (date.value, date.end, date.surface) == ("2024-05-14", "2024-05-15", "14-15 mai 2024")


def test_contract_dict():
    (date,) = extract_dates("Publié le 8 avril 2024 par la ville.")
    assert date.to_dict() == {"value": "2024-04-08", "surface": "8 avril 2024", "role": "reference"}


@pytest.mark.parametrize("module", [dates_module], ids=lambda m: m.__name__)
def test_docstring_examples(module):
    import doctest
    result = doctest.testmod(module)
    assert result.attempted and not result.failed


@pytest.mark.parametrize("text, expected", [
    ("On World Refugee Day 2016, we call on governments.", [("2016", None)]),
    ("Preventing Radicalisation at the Local Level, 2016, Efus, Paris, 92 pages.", [("2016", None)]),
    ("Wednesday, November 28 – Friday, November 30", [("2018-11-28", "2018-11-30")]),
])
def test_years_of_names_references_and_weekday_ranges(text, expected):
    assert [(d.value, d.end) for d in extract_dates(text, "en", "2018-11-27")] == expected


@pytest.mark.parametrize("text", [
    "The day is observed every year on 16 May.",
    "La journée est célébrée chaque année le 16 mai.",
    "Sessions will take place in Room 2024 of the cultural centre.",
])
def test_recurring_days_and_numbered_rooms_are_not_dates(text):
    assert extract_dates(text, "en", "2019-09-05") == ()
