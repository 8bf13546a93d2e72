"""Query translation (kb/translation): reading FreeDict's dictd files, compiling them into
translation probabilities (cached in the data folder), cognates, names, and what search
does with them. Uses tiny dictionaries written here, so it runs without Debian's."""
from __future__ import annotations

import gzip

import pytest

from kb.search import SearchRequest, search
from model.record import Record
from kb.translation import load_translator
from kb.translation.dictionary import COMPILED, compile_dictionary, load_dictionary
from kb.translation.freedict import decode_number, parse_entry, read_dictionary
from kb.translation.translator import Translator
from kb.translation.words import query_language

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

FRA_ENG = [
    "assassinat /asasina/ <n, masc>\nmurder, assassination\n",
    "maire /mɛʀ/ <n, masc>\n1. mayor\n2. burgomaster, provost\n",
    "lieu /ljø/ <n, masc>\n1. inducement, motive\n2. location, place, spot\n",
    "contre /kɔ̃tʀ/ <adv>\n1. against\n2. opposite\n",
    "Liban /libɑ̃/ <n, masc>\nLebanon\n",
    "extrémisme /ɛkstʀemism/ <n, masc>\nextremism\n",
    "racisme /ʀasism/ <n, masc>\nracism\n",
    "réalisme /ʀealism/ <n, masc>\nrealism\n",
    "fascisme /faʃism/ <n, masc>\nfascism\n",
]
ENG_FRA = [
    "murder /məːdər/\nassassinat, meurtre\n",
    "mayor /mɛər/\nmaire\n",
    "place /pleis/\n1. lieu, endroit\n2. place\n",
    "Lebanon /lebənən/\nLiban\n",
]


def _encode(number: int) -> str:
    digits = ""
    while True:
        digits = _B64[number % 64] + digits
        number //= 64
        if not number:
            return digits


def write_dictd(folder, name: str, entries: list[str]) -> None:
    """A dictd dictionary: the entries' texts one after another, and their index."""
    folder.mkdir(parents=True, exist_ok=True)
    data, index = b"", []
    for entry in ["00-database-info\nA test dictionary.\n", *entries]:
        raw = entry.encode("utf-8")
        headword = "00databaseinfo" if entry.startswith("00") else entry.split(" /")[0].split("\n")[0]
        index.append(f"{headword}\t{_encode(len(data))}\t{_encode(len(raw))}")
        data += raw
    (folder / f"{name}.dict.dz").write_bytes(gzip.compress(data))
    (folder / f"{name}.index").write_text("\n".join(index) + "\n", encoding="utf-8")


@pytest.fixture
def dictd(tmp_path):
    folder = tmp_path / "dictd"
    write_dictd(folder, "freedict-fra-eng", FRA_ENG)
    write_dictd(folder, "freedict-eng-fra", ENG_FRA)
    return folder


def test_reading_a_dictd_dictionary(dictd):
    assert decode_number("BgXs") == 394732 and decode_number(_encode(394732)) == 394732
    entries = read_dictionary(dictd / "freedict-fra-eng.index", dictd / "freedict-fra-eng.dict.dz")
    assert [e.headword for e in entries][:3] == ["assassinat", "maire", "lieu"]     # no database info
    assert entries[1].senses == (("mayor",), ("burgomaster", "provost"))
    assert entries[1].pos == "n, masc"
    assert parse_entry("take off /teik/\n1. enlever (vêtements), ôter\n2.  [cul] découper\n").domains == ("", "cul")


def test_compiled_probabilities_use_both_dictionaries(dictd):
    entries = {"fr": read_dictionary(dictd / "freedict-fra-eng.index", dictd / "freedict-fra-eng.dict.dz"),
               "en": read_dictionary(dictd / "freedict-eng-fra.index", dictd / "freedict-eng-fra.dict.dz")}
    dictionary = compile_dictionary(entries)
    mayor = dict(dictionary.lookup("maires", "fr"))          # found by its lemma
    assert max(mayor, key=mayor.get) == "mayor"               # both dictionaries say so
    assert mayor["mayor"] > mayor["burgomaster"] + mayor["provost"]
    place = dict(dictionary.lookup("lieux", "fr"))
    assert max(place, key=place.get) == "place"               # confirmed by "place → lieu"
    assert dictionary.lookup("Liban", "fr") == []             # names are left to the gazetteer
    assert dict(dictionary.lookup("murder", "en"))["assassinat"] > 0
    assert dictionary.lookup("inconnu", "fr") == []
    # Endings learned from the pairs: -isme → -ism, for words the dictionary lacks.
    assert ("terrorism", 1.0) in dictionary.cognates("terrorisme", "fr")


def test_compiled_once_into_the_data_folder_and_again_when_the_source_changes(dictd, tmp_path):
    data = tmp_path / "data"
    first = load_dictionary(data, dictd)
    compiled = data / COMPILED
    assert compiled.is_file() and first.lookup("maire", "fr")
    stamp = compiled.stat().st_mtime_ns
    assert load_dictionary(data, dictd).lookup("maire", "fr") == first.lookup("maire", "fr")
    assert compiled.stat().st_mtime_ns == stamp               # read, not compiled again
    write_dictd(dictd, "freedict-fra-eng", FRA_ENG + ["haine /ɛn/ <n, fem>\nhatred\n"])
    assert load_dictionary(data, dictd).lookup("haine", "fr") == [("hatred", 1.0)]
    assert load_dictionary(tmp_path / "elsewhere", tmp_path / "none") is None


def test_the_stop_words_are_the_snowball_lists_whoosh_has_too():
    """One stop list, kb/index/analysis.py's, for the engines and for translation."""
    from whoosh.lang import stopwords_for_language

    from kb.index.analysis import STOP_WORDS
    assert STOP_WORDS == frozenset(stopwords_for_language("fr")) | frozenset(stopwords_for_language("en"))


def test_query_language():
    assert query_language("assassinat du maire et discours de haine") == "fr"
    assert query_language("threats against mayors and local politicians") == "en"
    assert query_language("discrimination") is None           # both languages have it


def _translate(dictd, tmp_path, query: str, share=None):
    translator = Translator(load_dictionary(tmp_path / "data", dictd), stop_words={"the", "of", "de", "du"})
    return translator.for_query(query, share=share)


def test_translations_are_weighted_alternatives_of_a_word(dictd, tmp_path):
    translate = _translate(dictd, tmp_path, "assassinat du maire de la ville")
    assert translate.language == "fr"
    found = translate("maire")
    assert found.kind == "dictionary" and found.alternatives[0] == "mayor"
    assert found.weights[0] == 1.0 and all(w < 1.0 for w in found.weights[1:])
    assert translate("de").alternatives == ()                 # a stop word: nothing to translate


def test_names_come_from_the_gazetteer_and_organisation_aliases(dictd, tmp_path):
    translate = _translate(dictd, tmp_path, "prévention au Liban et en Jordanie")
    assert translate("Liban").kind == "country" and translate("Liban").alternatives == ("Lebanon",)
    united_nations = translate("Nations unies")
    assert united_nations.kind == "organisation" and "United Nations" in united_nations.alternatives


def test_the_corpus_decides_which_translations_and_which_words_are_needed(dictd, tmp_path):
    used = {("en", "place"): 0.3, ("en", "mayor"): 0.5, ("fr", "maire"): 0.5, ("en", "terrorism"): 0.2,
            ("fr", "discrimination"): 0.4, ("en", "discrimination"): 0.3, ("fr", "partenariat"): 0.2}
    translate = _translate(dictd, tmp_path, "le maire contre le partenariat", share=lambda lang, text: used.get((lang, text), 0.0))
    assert translate("lieux").alternatives == ("place",)      # the only one English documents use
    assert translate("maire").alternatives == ("mayor",)
    assert translate("discrimination").kind == "shared"        # English documents use it as typed
    assert translate("terrorisme").kind == "cognate"
    assert translate("terrorisme").alternatives == ("terrorism",)
    # A function word, and a word nothing translates, are not required of English documents.
    assert translate("contre").kind == "optional" and translate("contre").alternatives == ("en",)
    assert translate("partenariat").kind == "optional"
    assert translate("Zemmour") is None                       # a name: the same in both languages


def record(doc_id, body, language="fr", **fields):
    return Record(id=doc_id, title=fields.pop("title", doc_id), type="declaration", language=language,
                  body=body, path=f"{doc_id}.md", fingerprint=doc_id, **fields)


@pytest.fixture
def kb(store):
    with store.write() as writer:
        writer.put(record("en-gdansk", "The murder of the mayor of Gdansk shocked every city.", "en"))
        writer.put(record("en-other", "A mayor spoke about the weather and the harbour.", "en"))
        writer.put(record("fr-maire", "Le maire a parlé du port et de la météo.", "fr"))
    return store


def no_lookups():
    return (lambda text: [], lambda text: [])


def test_a_french_query_finds_an_english_document_through_the_dictionary(kb, dictd, tmp_path):
    def translator():
        return load_translator(tmp_path / "data", dictd)

    def run(query, **kwargs):
        return search(kb, SearchRequest(query=query, relax=False, **kwargs), lookups=no_lookups,
                      translator=translator)

    result = run("assassinat du maire")
    assert [h.id for h in result.hits] == ["en-gdansk"]
    said = result.interpretation
    assert said["translation"] == {"dictionary": True, "used": True, "language": "fr"}
    murder = next(e for e in said["expansions"] if e["text"] == "assassinat")
    assert murder["kind"] == "dictionary" and "murder" in murder["alternatives"]
    assert len(murder["weights"]) == len(murder["alternatives"])
    # A translation turned off is not searched, and the interpretation says so.
    result = run("assassinat du maire", skip=("assassinat:murder",))
    assert result.hits == []
    assert result.interpretation["skipped"] == ["assassinat:murder"]
    assert all("murder" not in e["alternatives"] for e in result.interpretation["expansions"])
    # translate=False: the vocabulary (and names) only.
    off = run("assassinat du maire", translate=False)
    assert off.interpretation["translation"]["used"] is False
    assert all(e["kind"] != "dictionary" for e in off.interpretation["expansions"])


def test_without_the_dictionary_search_works_and_says_so(kb, tmp_path):
    def translator():
        return load_translator(tmp_path / "empty-data", tmp_path / "no-dictd")

    result = search(kb, SearchRequest(query="maire"), lookups=no_lookups, translator=translator)
    assert [h.id for h in result.hits] == ["fr-maire"]
    assert result.interpretation["translation"] == {"dictionary": False, "used": False, "language": "fr"}


@pytest.mark.parametrize("name", ["freedict", "words", "names", "cognates"])
def test_docstring_examples(name):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"kb.translation.{name}"))
    assert result.failed == 0 and result.attempted > 0


def test_devset_docstring_examples():
    import doctest

    import kb.devset
    assert doctest.testmod(kb.devset).failed == 0


def test_optional_words_need_a_word_that_reaches_the_other_language():
    from kb.expansion import expand
    from kb.translation.translator import Translation

    table = {"contre": Translation("optional", ("en",)), "maire": Translation("dictionary", ("mayor",), (1.0,)),
             "haine": Translation("shared", ())}

    def nothing(text):
        return []

    expanded = expand("maire contre", nothing, nothing, table.get)
    assert [e.kind for e in expanded.expansions] == ["dictionary", "optional"]
    assert expanded.alternatives == {"xpnd0q": ["mayor^2.5"], "xpnd1q": ["language:en^0.0001"]}
    assert expand("haine contre", nothing, nothing, table.get).expansions[0].kind == "optional"
    alone = expand("contre", nothing, nothing, table.get)     # else every English document matches
    assert (alone.text, alone.expansions, alone.alternatives) == ("contre", [], {})



@pytest.fixture
def translated_app(store, dictd, tmp_path, monkeypatch, client):
    """The web app, its translator reading the tiny dictionaries of this file."""
    import kb.translation
    monkeypatch.setattr(kb.translation, "default_translator",
                        lambda: load_translator(tmp_path / "data", dictd))
    with store.write() as writer:
        writer.put(record("en-gdansk", "The murder of the mayor of Gdansk shocked every city.", "en"))
        writer.put(record("fr-maire", "Le maire a parlé du port et de la météo.", "fr"))
    return client


def test_the_panel_shows_translations_and_turns_one_off(translated_app):
    html = translated_app.get("/search?q=assassinat+du+maire&relax=0").get_data(as_text=True)
    assert "How the query was read" in html
    assert "<code>murder</code>" in html and "(dictionary)" in html
    assert "skip=assassinat:murder" in html                    # the × that turns it off
    assert "translate=0" in html                               # the dictionary as a whole
    html = translated_app.get("/search?q=assassinat+du+maire&relax=0&skip=assassinat:murder").get_data(as_text=True)
    assert "<code>murder</code>" not in html.split("Turned off")[0]
    assert "Turned off" in html and "search it again" in html
    html = translated_app.get("/search?q=assassinat+du+maire&translate=0").get_data(as_text=True)
    assert "turned off: only the bilingual vocabulary and names" in html and "Translate every word" in html


def test_the_api_interpretation_carries_the_translations(translated_app):
    data = translated_app.get("/api/search?q=assassinat+du+maire&relax=0").get_json()
    assert [h["id"] for h in data["hits"]] == ["en-gdansk"]
    assert data["translate"] is True and data["skip"] == []
    interpretation = data["interpretation"]
    assert interpretation["translation"] == {"dictionary": True, "used": True, "language": "fr"}
    murder = next(e for e in interpretation["expansions"] if e["text"] == "assassinat")
    assert murder["kind"] == "dictionary" and murder["weights"][0] == 1.0
    data = translated_app.get("/api/search?q=assassinat+du+maire&relax=0&skip=assassinat:murder"
                              "&skip=assassinat:assassination").get_json()
    assert data["hits"] == [] and data["interpretation"]["skipped"] == ["assassinat:assassination",
                                                                         "assassinat:murder"]
    assert translated_app.get("/api/search?q=maire&translate=maybe").status_code == 400


def test_more_like_this_finds_the_documents_of_the_other_language_that_say_the_same(store, dictd, tmp_path):
    from kb.search import similar

    with store.write() as writer:
        # titles of their own: ids as titles ("fr-…") would make the French ones alike
        writer.put(record("fr-source", "Le maire condamne l'assassinat. Le maire appelle au calme.", "fr",
                          title="Communiqué"))
        writer.put(record("en-same", "The mayor condemns the murder and calls for calm.", "en", title="Statement"))
        writer.put(record("en-other", "Harbour works and weather forecasts for the summer.", "en", title="Notice"))
        writer.put(record("fr-other", "Le port et la météo de cet été.", "fr", title="Avis"))

    def translator():
        return load_translator(tmp_path / "data", dictd)

    assert [d["id"] for d in similar(store, "fr-source", translator=translator)] == ["en-same"]
    assert similar(store, "fr-source", translator=None) == []     # the key words alone: French only


@pytest.mark.every_engine
def test_word_counts_count_a_languages_text_as_its_analyzer_reads_it(store):
    from kb.index.interface import Index

    with store.write() as writer:
        writer.put(record("en-guide", "Cities act early.", "en", title="Prevention guide"))
        writer.put(record("en-draft", "The mayor spoke.", "en", status="draft"))
        writer.put(record("fr-texte", "La prévention des préventions.", "fr"))
    assert store.word_counts("fr", ["préventions", "de", "mayor"]) == [1, None, 0]
    # English stems "Prevention" as "prevent", "prévention" stays "prevention": not in the
    # English text. A search finds it in the title (read without stemming, accents folded):
    # the interface's default, through search, counts that document.
    assert store.word_counts("en", ["prévention", "prevention", "mayor"]) == [0, 1, 0]   # drafts hidden
    assert Index.word_counts(store, "en", ["prévention", "mayor", "the"]) == [1, 0, None]
    many = [f"mot{n}" for n in range(60)]        # past Typesense's 50 searches a request
    assert store.word_counts("fr", many + ["préventions"]) == [0] * 60 + [1]


def test_an_engine_without_its_own_key_terms_and_similar_with_gets_them_from_the_interface(settings, dictd, tmp_path):
    """The interface's defaults (written with get, search and similar) give query
    translation and cross-language more like this to an engine that has nothing of its
    own for them."""
    from kb.index.interface import Index
    from kb.index.whoosh import WhooshIndex
    from kb.search import similar

    class Plain(WhooshIndex):
        word_counts = Index.word_counts
        key_terms = Index.key_terms
        similar_with = Index.similar_with

    index = Plain.open(settings)
    try:
        with index.write() as writer:
            writer.put(record("fr-source", "Le maire condamne l'assassinat. Le maire appelle au calme.", "fr"))
            writer.put(record("en-same", "The mayor condemns the murder and calls for calm.", "en"))
            writer.put(record("en-other", "Harbour works and weather forecasts for the summer.", "en"))
            writer.put(record("fr-other", "Le port et la météo de cet été.", "fr"))
        words = [word for word, _ in index.key_terms("fr-source")]
        assert words[0] == "maire" and "le" not in words       # the most frequent, no stop word
        assert index.key_terms("unknown") is None

        def translator():
            return load_translator(tmp_path / "data", dictd)

        assert [d["id"] for d in similar(index, "fr-source", translator=translator)] == ["en-same"]
        assert similar(index, "unknown", translator=translator) is None
        found = search(index, SearchRequest(query="assassinat", relax=False), lookups=no_lookups,
                       translator=translator)
        assert {h.id for h in found.hits} == {"fr-source", "en-same"}    # murder: English uses it
    finally:
        index.close()
