"""What query expansion looks up: bilingual equivalents and normalized city names; and
the names of cities in French, for the interface.

Each is loaded once per process, on the first query or page that needs it.
"""
from __future__ import annotations

from functools import lru_cache

from indexer.extract.gazetteer import load_gazetteer
from model.vocabulary import load_vocabulary

# A query word is read as a city only when it names a sizeable one: many small towns
# share their names with common words.
CITY_MIN_POPULATION = 50_000


def vocabulary_terms(text: str) -> list[str]:
    """Equivalents of a word or phrase in either language (``haine`` → ``hate``)."""
    return load_vocabulary().expansions(text)


def city_names(text: str) -> list[str]:
    """The normalized name of the city ``text`` names in any language (``Le Cap`` → ``Cape Town``)."""
    places = [p for p in load_gazetteer().lookup(text) if p.population >= CITY_MIN_POPULATION]
    return [places[0].name] if places else []


@lru_cache(maxsize=1)
def french_city_names() -> dict:
    """The French names of cities where they are not the English ones (the gazetteer's:
    ``places.yaml``, CLDR), by English name and country (``("Brussels", "BE")`` →
    ``Bruxelles``) and by English name alone (``"London"`` → ``Londres``: the largest
    city of that name that has one)."""
    gazetteer = load_gazetteer()
    names: dict = {}
    places = sorted((gazetteer.cities[gid] for gid in gazetteer.french), key=lambda p: -p.population)
    for place in places:
        french = gazetteer.french[place.geonameid]
        names.setdefault((place.name, place.country), french)
        names.setdefault(place.name, french)
    return names


def city_name(name: str, language: str, country: str | None = None) -> str:
    """A city's name (as stored: English) in ``language``: ``city_name("Brussels", "fr")``
    is ``Bruxelles``; the name as it is in English or when no other is known."""
    if language != "fr":
        return name
    names = french_city_names()
    return names.get((name, country) if country else name) or name


def load() -> None:
    """Load the vocabulary and the gazetteer now (about a second) rather than on the
    first query that needs them."""
    load_vocabulary()
    load_gazetteer()
