"""Corrections of extractions (indexer/corrections.py): the shape of ``corrections:`` in the
front matter, applying them, and their surviving re-indexing and the extraction cache."""
from __future__ import annotations

from pathlib import Path

import pytest

from indexer.corrections import apply_corrections, validate_corrections
from indexer.errors import DocumentError
from model.record import City, Commitment, DateMention, Extraction, Organisation

HERE = Path("declaration/x.fr.md")
PARIS = City("Paris", "FR", 2988507, 48.85, 2.35, ("Paris",), 2, ("mentioned",))
LYON = City("Lyon", "FR", 2996944, 45.75, 4.85, ("Lyon",), 1, ("signatory",))
EXTRACTION = Extraction(
    language="fr", title="T", cities=(PARIS, LYON),
    dates=(DateMention("2024-05-14", "14 mai 2024", "event"), DateMention("2023", "2023", "reference")),
    commitments=(Commitment("Nous nous engageons à agir.", "Les maires", ("prevention",)),),
    organisations=(Organisation("Conseil", ("Conseil",)), Organisation("Strong Cities Network")),
    themes=("prevention",))


def test_no_corrections():
    assert validate_corrections(None, HERE) == {}
    assert validate_corrections({}, HERE) == {}
    assert apply_corrections(EXTRACTION, {}) is EXTRACTION


def test_shape_is_normalised():
    assert validate_corrections({
        "cities": {"remove": "Paris", "add": {"name": "Nice", "country": "fr"}},
        "dates": {"remove": [2023], "add": [{"value": "2024-05-15", "end": "2024-05-16", "role": "event"}]},
        "commitments": {"add": [{"text": "Nous agirons.", "actor": None}]},
        "organisations": {"remove": ["Conseil"], "add": "Ville de Nice"},
    }, HERE) == {
        "cities": {"remove": ["Paris"], "add": [{"name": "Nice", "country": "FR", "role": "mentioned"}]},
        "dates": {"remove": ["2023"], "add": [{"value": "2024-05-15", "end": "2024-05-16", "role": "event"}]},
        "commitments": {"add": [{"text": "Nous agirons."}]},
        "organisations": {"remove": ["Conseil"], "add": [{"name": "Ville de Nice"}]},
    }


@pytest.mark.parametrize("value, problem", [
    ("remove Paris", "must be a mapping"),
    ({"places": {}}, "unknown section(s) places"),
    ({"cities": ["Paris"]}, "'cities' must be a mapping with 'remove' and/or 'add'"),
    ({"cities": {"delete": ["Paris"]}}, "'cities' must be a mapping"),
    ({"cities": {"remove": [["Paris"]]}}, "cities.remove must be a list of non-empty texts"),
    ({"cities": {"remove": [""]}}, "cities.remove must be a list of non-empty texts"),
    ({"cities": {"add": [{"name": "Nice"}]}}, "needs a 'country'"),
    ({"cities": {"add": [{"name": "Nice", "country": "France"}]}}, "needs a 'country'"),
    ({"cities": {"add": [{"country": "FR"}]}}, "every item needs a 'name'"),
    ({"cities": {"add": [{"name": "Nice", "country": "FR", "role": "host"}]}}, "role 'host'"),
    ({"cities": {"add": [{"name": "Nice", "country": "FR", "lat": 1}]}}, "unknown key(s) lat"),
    ({"dates": {"remove": ["14 mai 2024"]}}, "'14 mai 2024' is not an ISO date"),
    ({"dates": {"add": [{"value": "2023-02-30"}]}}, "'2023-02-30' is not a real calendar date"),
    ({"dates": {"add": [{"value": "2024-05-16", "end": "2024-05-15"}]}}, "is before the start"),
    ({"dates": {"add": [{"value": "2024-05", "role": "birthday"}]}}, "role 'birthday'"),
    ({"commitments": {"add": [{"actor": "Nice"}]}}, "every item needs a 'text'"),
    ({"commitments": {"add": [{"text": {"nested": 1}}]}}, "every item needs a 'text'"),
    ({"commitments": {"add": [{"text": "x" * 5001}]}}, "longer than 5000"),
])
def test_bad_shapes_are_clear_errors(value, problem):
    with pytest.raises(DocumentError) as caught:
        validate_corrections(value, HERE)
    assert problem in str(caught.value) and str(HERE) in str(caught.value)


def test_remove_and_add():
    corrections = validate_corrections({
        "cities": {"remove": ["paris"], "add": [{"name": "Nice", "country": "FR", "role": "signatory"}]},
        "dates": {"remove": ["2023"], "add": [{"value": "2024-05-15", "role": "deadline"}]},
        "commitments": {"remove": ["Nous  nous engageons à agir."],
                        "add": [{"text": "Nous formerons les agents contre la radicalisation.", "actor": "Nice"}]},
        "organisations": {"remove": ["conseil"], "add": ["Ville de Nice"]},
    }, HERE)
    corrected = apply_corrections(EXTRACTION, corrections)
    assert [c.name for c in corrected.cities] == ["Lyon", "Nice"]
    nice = corrected.cities[1]
    assert (nice.country, nice.geonameid, nice.roles) == ("FR", 2990440, ("signatory",))
    assert round(nice.lat, 1) == 43.7
    assert [(d.value, d.role) for d in corrected.dates] == [("2024-05-14", "event"), ("2024-05-15", "deadline")]
    assert [(c.text, c.actor) for c in corrected.commitments] == [
        ("Nous formerons les agents contre la radicalisation.", "Nice")]
    assert "radicalisation" in corrected.commitments[0].themes
    assert set(corrected.commitments[0].themes) <= set(corrected.themes)
    assert [o.name for o in corrected.organisations] == ["Strong Cities Network", "Ville de Nice"]
    assert EXTRACTION.cities == (PARIS, LYON)             # the original is untouched


def test_adding_what_is_there_changes_nothing_and_unknown_cities_are_unplaced():
    corrections = validate_corrections({"cities": {"add": [{"name": "Lyon", "country": "FR"},
                                                           {"name": "Zzyzx Springs", "country": "US"}]}}, HERE)
    corrected = apply_corrections(EXTRACTION, corrections)
    assert [c.name for c in corrected.cities] == ["Paris", "Lyon", "Zzyzx Springs"]
    assert corrected.cities[2].lat is None and corrected.cities[2].lon is None


def test_a_front_matter_with_bad_corrections_is_an_error_naming_the_file(corpus, index):
    corpus.make_document(id="bad", corrections={"cities": {"remove": [{"x": 1}]}})
    report = index()
    assert len(report.errors) == 1
    assert "declaration/bad.md" in str(report.errors[0]) and "cities.remove" in str(report.errors[0])


@pytest.mark.every_engine
def test_corrections_apply_at_every_indexing_and_with_the_cache(corpus, index, store, settings):
    from kb.search import get_document

    body = "Les maires se sont réunis à Lyon. Nous nous engageons à agir contre la haine."
    corrections = {"cities": {"add": [{"name": "Nice", "country": "FR"}]},
                   "commitments": {"remove": ["Nous nous engageons à agir contre la haine."]}}
    corpus.make_document(body, id="lyon", corrections=corrections)
    index()
    for rebuild in (False, True, True):        # a second rebuild reads the extraction cache
        if rebuild:
            index(rebuild=True)
        extraction = get_document(store, "lyon")["extraction"]
        assert "Nice" in [c["name"] for c in extraction["cities"]]
        assert extraction["commitments"] == []
    assert any(settings.cache_dir.rglob("*.json"))
