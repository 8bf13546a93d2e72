"""The gazetteer compiled into the data folder reads back as the gazetteer it was built
from, and is built again when its sources change."""
from __future__ import annotations

import marshal

import pytest

from indexer.extract import gazetteer


@pytest.fixture
def compiled_in(tmp_path, monkeypatch):
    """Load the gazetteer with ``tmp_path`` as data folder (the module's state restored after)."""
    monkeypatch.setattr(gazetteer, "_data_folder", [])
    gazetteer.load_gazetteer.cache_clear()

    def load():
        gazetteer.use_data_folder(tmp_path)
        gazetteer.load_gazetteer.cache_clear()
        return gazetteer.load_gazetteer()
    yield load
    gazetteer.load_gazetteer.cache_clear()


def test_the_compiled_gazetteer_equals_the_built_one(compiled_in, tmp_path):
    built = compiled_in()                       # built, then written
    assert (tmp_path / gazetteer.COMPILED_NAME).is_file()
    read = compiled_in()                        # read back
    assert type(read.cities) is not dict
    assert sorted(read.cities) == sorted(built.cities)
    assert all(read.cities[gid] == built.cities[gid] for gid in built.cities)
    assert sorted(read._names) == sorted(built._names)
    for key in built._names:
        ours, theirs = read._names[key], built._names[key]
        assert (ours.cities, bool(ours.country), ours.region, ours.ambiguous, ours.blocked) == \
            (theirs.cities, bool(theirs.country), theirs.region, theirs.ambiguous, theirs.blocked)
    text = "Les maires de Bruxelles, de Montréal (Québec) et du Cap, réunis à Paris, Texas."
    assert read.find(text) == built.find(text)
    assert read.lookup("Le Cap") == built.lookup("Le Cap")
    assert read.french == built.french and read.french[2800866] == "Bruxelles"


def test_a_stale_or_damaged_compiled_file_is_built_again(compiled_in, tmp_path):
    compiled_in()
    path = tmp_path / gazetteer.COMPILED_NAME
    data = marshal.loads(path.read_bytes())
    path.write_bytes(marshal.dumps({**data, "key": "an older source"}))
    assert compiled_in().lookup("Bruxelles")[0].name == "Brussels"
    assert marshal.loads(path.read_bytes())["key"] == gazetteer.source_key()
    path.write_bytes(b"not marshal data")
    assert compiled_in().lookup("Genève")[0].name == "Geneva"


def test_french_names_of_cities():
    found = gazetteer.load_gazetteer()
    names = {found.cities[gid].name: name for gid, name in found.french.items()}
    assert names["Brussels"] == "Bruxelles" and names["Geneva"] == "Genève"     # places.yaml's first alias
    assert names["Cape Town"] == "Le Cap" and names["Montreal"] == "Montréal"
    assert names["Vienna"] == "Vienne" and names["Bucharest"] == "Bucarest"     # CLDR, known to GeoNames
    assert "Liège" not in names and "Paris" not in names                          # the same in both
    assert "Victoria" not in names          # its zone (Indian/Mahe) is not named after it


def test_city_names_in_the_reader_s_language():
    from kb.lookups import city_name
    assert city_name("Brussels", "fr") == "Bruxelles" and city_name("Brussels", "en") == "Brussels"
    assert city_name("London", "fr") == "Londres" and city_name("London", "fr", "CA") == "London"
    assert city_name("Liège", "fr") == "Liège" and city_name("Nowhere", "fr") == "Nowhere"
