"""What query expansion looks up: bilingual equivalents and normalized city names.

Both are loaded once per process, on the first query that needs them.
"""
from __future__ import annotations

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


def load() -> None:
    """Load the vocabulary and the gazetteer now (about a second) rather than on the
    first query that needs them."""
    load_vocabulary()
    load_gazetteer()
