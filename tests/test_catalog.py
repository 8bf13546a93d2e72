"""The catalog: cities, organisations, themes and commitments from stored extractions."""
from __future__ import annotations

import pytest

from kb.catalog import Catalog, catalog_for, fold, theme_labels
from kb.expansion import Expansion
from kb.query import QueryError
from model.record import ActorEntity, City, Commitment, Extraction, Organisation, Record

pytestmark = pytest.mark.every_engine

BRUSSELS = City("Brussels", "BE", 2800866, 50.85, 4.35, ("Bruxelles",), 2, ("signatory",))
PARIS = City("Paris", "FR", 2988507, 48.85, 2.35, ("Paris",), 3, ("venue", "signatory"))
PARIS_TX = City("Paris", "US", 4717560, 33.66, -95.56, ("Paris",), 1, ("mentioned",))
MONTREAL = City("Montreal", "CA", 6077243, 45.5, -73.57, ("Montréal",), 1, ("mentioned",))


def record(doc_id, language="fr", **fields):
    return Record(id=doc_id, title=fields.pop("title", doc_id.title()), type=fields.pop("type", "declaration"),
                  language=language, body=fields.pop("body", "Texte."), path=f"{doc_id}.md",
                  fingerprint=doc_id, **fields)


RECORDS = [
    record("melbourne", date="2018-07", organisations=("Strong Cities Network",),
           extraction=Extraction(
               cities=(BRUSSELS, PARIS),
               organisations=(Organisation("Strong Cities Network", ("réseau Strong Cities",)),),
               themes=("violent-extremism", "social-cohesion"),
               commitments=(
                   Commitment("Nous nous engageons à prévenir l'extrémisme violent.", "Les maires",
                              ("violent-extremism",), "pledge",
                              (ActorEntity("city", "Brussels", "BE"), ActorEntity("city", "Paris", "FR"),
                               ActorEntity("organisation", "Strong Cities Network"))),
                   Commitment("Nous appelons les États à renforcer la cohésion sociale dans nos villes.", "Les maires",
                              ("social-cohesion",), "call",
                              (ActorEntity("city", "Brussels", "BE"), ActorEntity("city", "Paris", "FR")),
                              deadline="2020")))),
    record("montreal", "en", date="2024-05-14", type="statement",
           extraction=Extraction(
               cities=(MONTREAL, PARIS),
               organisations=(Organisation("UNESCO"),),
               themes=("youth-and-education",),
               commitments=(Commitment("We commit to training teachers in every school.",
                                       "The Mayor of Montréal", ("youth-and-education",), "pledge",
                                       (ActorEntity("city", "Montreal", "CA"),), "2025-06"),))),
    record("texas", "en", date="2015", extraction=Extraction(cities=(PARIS_TX,))),
    record("undated", extraction=Extraction(
        cities=(BRUSSELS,), commitments=(Commitment("Former les éducateurs.", "La ville", (), "need"),))),
    record("brouillon", status="draft", extraction=Extraction(
        cities=(City("Lyon", "FR", 2996944, 45.75, 4.85),), themes=("secret",),
        organisations=(Organisation("Hidden Org"),),
        commitments=(Commitment("Un engagement non publié.", "Lyon"),))),
]


@pytest.fixture
def catalog(store):
    with store.write() as writer:
        for r in RECORDS:
            writer.put(r)
    return catalog_for(store)


def test_fold_ignores_accents_case_and_ligatures():
    assert fold("Œuvre ÉLÈVES l’été") == "oeuvre eleves l'ete"


def test_cities_with_counts_roles_and_documents(catalog):
    cities = catalog.cities()
    assert [(c["name"], c["country"]) for c in cities] == [
        ("Brussels", "BE"), ("Paris", "FR"), ("Montreal", "CA"), ("Paris", "US")]
    paris = cities[1]
    assert paris == {"name": "Paris", "country": "FR", "geonameid": 2988507, "lat": 48.85, "lon": 2.35,
                     "document_count": 2, "mentions": 6, "roles": {"signatory": 2, "venue": 2},
                     "surfaces": ["Paris"], "document_ids": ["melbourne", "montreal"]}
    assert cities[0]["roles"] == {"signatory": 2} and cities[0]["mentions"] == 4


@pytest.mark.every_engine
def test_drafts_are_left_out(catalog):
    assert "Lyon" not in {c["name"] for c in catalog.cities()}
    assert "Hidden Org" not in {o["name"] for o in catalog.organisations()}
    assert "secret" not in {t["id"] for t in catalog.themes(labels={})}
    assert "brouillon" not in catalog.documents
    assert catalog.commitments(query="publié")["total"] == 0


def test_cities_of_one_country(catalog):
    assert [c["name"] for c in catalog.cities(country="fr")] == ["Paris"]


def test_city_by_name_surface_or_geonameid_with_its_documents(catalog):
    brussels = catalog.city("bruxelles")
    assert brussels["name"] == "Brussels"
    assert [d["id"] for d in brussels["documents"]] == ["melbourne", "undated"]   # newest first
    assert brussels["documents"][0] == {"id": "melbourne", "title": "Melbourne", "type": "declaration",
                                        "language": "fr", "date": "2018-07", "year": 2018,
                                        "roles": ["signatory"], "mentions": 2}
    assert catalog.city("MONTRÉAL")["name"] == "Montreal"
    assert catalog.city("2800866")["name"] == "Brussels"
    assert catalog.city("Atlantis") is None


def test_city_names_shared_by_two_countries(catalog):
    paris = catalog.city("Paris")
    assert paris["country"] == "FR" and paris["other_countries"] == ["US"]
    texas = catalog.city("Paris", country="us")
    assert texas["country"] == "US" and [d["id"] for d in texas["documents"]] == ["texas"]


def test_organisations_merge_front_matter_and_extraction(catalog):
    assert catalog.organisations() == [
        {"name": "Strong Cities Network", "document_count": 1, "surfaces": ["réseau Strong Cities"],
         "document_ids": ["melbourne"]},
        {"name": "UNESCO", "document_count": 1, "surfaces": [], "document_ids": ["montreal"]}]


def test_themes_with_labels_and_counts(catalog):
    labels = {"violent-extremism": {"fr": "Extrémisme violent", "en": "Violent extremism"},
              "victims-of-terrorism": {"fr": "Victimes", "en": "Victims"}}
    themes = {t["id"]: t for t in catalog.themes(labels=labels)}
    assert themes["violent-extremism"] == {"id": "violent-extremism", "labels": labels["violent-extremism"],
                                           "document_count": 1, "commitment_count": 1,
                                           "document_ids": ["melbourne"]}
    assert themes["victims-of-terrorism"]["document_count"] == 0      # in the vocabulary, in no document
    assert themes["youth-and-education"]["labels"] == {}               # found, not in the vocabulary


def test_theme_labels_come_from_the_vocabulary_when_there_is_one():
    labels = theme_labels()
    assert isinstance(labels, dict)
    for entry in labels.values():
        assert set(entry) >= {"fr", "en"}


def test_every_commitment_with_its_document(catalog):
    result = catalog.commitments()
    assert result["total"] == 4 and result["pages"] == 1
    first = result["commitments"][0]
    assert first == {"document_id": "montreal", "document_title": "Montreal", "date": "2024-05-14",
                     "year": 2024, "language": "en", "type": "statement", "number": 1,
                     "text": "We commit to training teachers in every school.", "kind": "pledge",
                     "actor": "The Mayor of Montréal",
                     "actor_entities": [{"type": "city", "name": "Montreal", "country": "CA"}],
                     "deadline": "2025-06", "themes": ["youth-and-education"],
                     "cities": ["Montreal"], "organisations": [], "countries": ["CA"]}
    assert [(c["document_id"], c["number"]) for c in result["commitments"]] == [
        ("montreal", 1), ("melbourne", 1), ("melbourne", 2), ("undated", 1)]


@pytest.mark.parametrize("query, expected", [
    ("extremisme", [("melbourne", 1)]),            # accents ignored
    ("VILLE", [("melbourne", 2), ("undated", 1)]),  # case ignored, word starts: villes, ville (actor)
    ("montreal", [("montreal", 1)]),                # the actor is searched too
    ('"cohésion sociale" villes', [("melbourne", 2)]),
    ("art", []),                                    # not inside words
    ("teachers nothing", []),                       # every word must match
])
def test_commitments_searched_by_words(catalog, query, expected):
    found = catalog.commitments(query=query)["commitments"]
    assert [(c["document_id"], c["number"]) for c in found] == expected


@pytest.mark.parametrize("query, expansions, expected", [
    ("enseignants", [], []),
    ("enseignants", [Expansion("enseignants", "dictionary", ("teachers", "teacher"), (1.0, 0.5))],
     [("montreal", 1)]),
    # a run of words expanded whole, the alternative's quotes and weight dropped
    ("social cohesion", [Expansion("social cohesion", "vocabulary", ('"cohésion sociale"^2',))],
     [("melbourne", 2)]),
    # a word the other language need not have: required in French, not in English
    ("teachers zzz", [Expansion("zzz", "optional", ("en",))], [("montreal", 1)]),
    ("villes zzz", [Expansion("zzz", "optional", ("en",))], []),
])
def test_commitments_searched_with_expansions(catalog, query, expansions, expected):
    found = catalog.commitments(query=query, expansions=expansions)["commitments"]
    assert [(c["document_id"], c["number"]) for c in found] == expected
    assert [(c["document_id"], c["number"]) for c in catalog.iter_commitments(query, {}, expansions)] == expected


@pytest.mark.parametrize("filters, expected", [
    ({"actor": ["maires"]}, [("melbourne", 1), ("melbourne", 2)]),
    # the city that committed, not every city the document names (montreal names Paris)
    ({"city": ["paris"]}, [("melbourne", 1), ("melbourne", 2)]),
    ({"organisation": ["strong cities network"]}, [("melbourne", 1)]),
    ({"country": ["be"]}, [("melbourne", 1), ("melbourne", 2)]),
    ({"kind": ["pledge"]}, [("montreal", 1), ("melbourne", 1)]),
    ({"kind": ["call", "need"]}, [("melbourne", 2), ("undated", 1)]),
    ({"deadline": ["2025"]}, [("montreal", 1)]),
    ({"theme": ["social-cohesion", "youth-and-education"]}, [("montreal", 1), ("melbourne", 2)]),
    ({"year": ["2018"]}, [("melbourne", 1), ("melbourne", 2)]),
    ({"language": ["en"]}, [("montreal", 1)]),
    ({"document": ["undated"]}, [("undated", 1)]),
    ({"country": ["BE"], "year": ["2018"], "theme": ["social-cohesion"]}, [("melbourne", 2)]),
    ({"kind": ["pledge"], "city": ["Montreal"]}, [("montreal", 1)]),
])
def test_commitments_filtered(catalog, filters, expected):
    found = catalog.commitments(filters=filters)["commitments"]
    assert [(c["document_id"], c["number"]) for c in found] == expected


def test_commitment_facets_count_every_match(catalog):
    facets = catalog.commitments(filters={"country": ["BE"]}, page_size=1)["facets"]
    assert facets["year"] == [{"value": "2018", "count": 2, "selected": False}]
    assert facets["country"][0] == {"value": "BE", "count": 2, "selected": True}
    assert facets["kind"] == [{"value": "call", "count": 1, "selected": False},
                              {"value": "pledge", "count": 1, "selected": False}]
    assert facets["city"] == [{"value": "Brussels", "count": 2, "selected": False},
                              {"value": "Paris", "count": 2, "selected": False}]
    assert facets["deadline"] == [{"value": "2020", "count": 1, "selected": False}]


def test_commitments_paged(catalog):
    second = catalog.commitments(page=2, page_size=3)
    assert second["pages"] == 2 and [c["document_id"] for c in second["commitments"]] == ["undated"]
    assert catalog.commitments(page=5, page_size=3)["commitments"] == []


@pytest.mark.parametrize("kwargs, message", [
    ({"filters": {"colour": ["red"]}}, "Unknown filter 'colour'"),
    ({"filters": {"year": ["20x8"]}}, "'year' must be a year"),
    ({"filters": {"deadline": ["soon"]}}, "'deadline' must be a year"),
    ({"filters": {"kind": ["promise"]}}, "'kind' is one of pledge, call, need, resolution"),
    ({"page": 0}, "page number starts at 1"),
    ({"page_size": 0}, "page size must be between 1 and 100"),
    ({"page_size": 101}, "page size must be between 1 and 100"),
])
def test_bad_commitment_requests(catalog, kwargs, message):
    with pytest.raises(QueryError, match=message):
        catalog.commitments(**kwargs)


def test_iter_commitments_gives_every_match(catalog):
    assert len(list(catalog.iter_commitments("", {"country": ["BE"]}))) == 2


@pytest.mark.every_engine
def test_one_catalog_per_index_generation(store, catalog):
    assert catalog_for(store) is catalog
    with store.write() as writer:
        writer.remove("undated")
    fresh = catalog_for(store)
    assert fresh is not catalog
    assert fresh.city("Brussels")["document_ids"] == ["melbourne"]
    assert catalog_for(store) is fresh


@pytest.mark.slow   # indexing a corpus runs extraction (spaCy)
def test_documents_without_extraction(corpus, index, store):
    corpus.make_document("Un texte sans ville.", id="plain")
    corpus.make_document("Brouillon.", id="draft", status="draft")
    index()
    catalog = catalog_for(store)
    assert set(catalog.documents) == {"plain"}
    assert catalog.commitments(filters={"document": ["draft"]})["total"] == 0


def test_a_catalog_from_records_directly():
    from model.record import City, Extraction, Record

    lille = City("Lille", "FR", 2998324, 50.63, 3.06)
    catalog = Catalog([Record("a", "A", "report", "fr", "Texte.", "a.md", "f",
                              extraction=Extraction(cities=(lille,)))])
    assert catalog.city("lille")["documents"][0]["date"] is None
    assert catalog.cities()[0]["geonameid"] == 2998324


def test_docstring_examples():
    import doctest

    import kb.catalog
    result = doctest.testmod(kb.catalog)
    assert result.attempted and not result.failed
