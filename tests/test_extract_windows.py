"""Where named entities are read (indexer.extract.windows) and how they come back to the
text (pipeline.entities on stretches)."""
from pathlib import Path

import pytest

from indexer.extract import pipeline
from indexer.extract.cities import extract_cities
from indexer.extract.gazetteer import load_gazetteer
from indexer.extract.organisations import extract_organisations
from indexer.extract.windows import NAME_REACH, NEAR, windows

DEVSET = Path(__file__).resolve().parent.parent.parent / "shared" / "devset"


def stretches(text: str) -> list[str]:
    return [text[start:end] for start, end in windows(text, load_gazetteer().find(text))]


def words(count: int, word: str = "mot") -> str:
    return " ".join([word] * count)


def test_a_place_name_is_read_with_near_words_on_either_side():
    text = f"{words(10)} à Lyon {words(10)}"
    (stretch,) = stretches(text)
    assert stretch == f"{words(NEAR - 1)} à Lyon {words(NEAR)}"


def test_stretches_that_touch_are_merged_and_others_kept_apart():
    close = f"{words(10)} Lyon {words(3)} Nantes {words(10)}"
    assert stretches(close) == [f"{words(NEAR)} Lyon {words(3)} Nantes {words(NEAR)}"]
    far = f"Lyon {words(2 * NEAR + 5)} Nantes"
    assert stretches(far) == [f"Lyon {words(NEAR)}", f"{words(NEAR)} Nantes"]


def test_a_country_or_a_lower_case_word_opens_no_stretch():
    assert stretches(f"{words(5)} la France et la ville de lyon {words(5)}") == []


def test_an_organisation_word_and_a_bracketed_acronym_reach_further_than_a_lone_acronym():
    name = "Supreme Council for the Islamic Revolution in Iraq"
    (council,) = stretches(f"{words(10, 'the')} {name} {words(10, 'the')}")
    assert council == f"{words(NAME_REACH - 1, 'the')} {name} {words(2, 'the')}"
    (bracketed,) = stretches(f"{words(10)} du réseau européen des villes (ECCAR) {words(10)}")
    assert bracketed.startswith("mot mot mot du réseau") and bracketed.endswith(f"(ECCAR) {words(NAME_REACH)}")
    (lone,) = stretches(f"{words(10)} selon le CPRMV {words(10)}")
    assert lone == f"{words(NEAR - 2)} selon le CPRMV {words(NEAR)}"


def test_a_text_without_a_name_has_no_stretch():
    assert stretches("") == [] and stretches("rien à lire ici, que des mots") == []


@pytest.mark.slow
def test_entities_read_on_stretches_carry_the_offsets_of_the_text(monkeypatch):
    text = (f"{words(30)} Anne Hidalgo, maire de Paris, a reçu le maire de Montréal. {words(30)}\n\n"
            f"{words(30)} Le Conseil de l'Europe et l'Union européenne soutiennent le réseau. {words(30)}")
    monkeypatch.setattr(pipeline, "MAX_PIECE_CHARS", 60)     # long stretches are cut in pieces
    (found,) = pipeline.entities([text], "fr", [windows(text, load_gazetteer().find(text))])
    assert found and all(text[e.start:e.end] == e.text for e in found)
    assert {"Paris", "Montréal"} <= {e.text for e in found if e.label == "LOC"}
    assert pipeline.entities([text, text], "fr", [[], []]) == [[], []]
    assert pipeline.entities([text], "xx", [[(0, len(text))]]) == [None]


@pytest.mark.slow
def test_on_the_dev_set_stretches_give_the_cities_and_organisations_of_whole_texts():
    if not (DEVSET / "gold.yaml").is_file():
        pytest.skip(f"the dev set is not beside the checkout ({DEVSET})")
    from indexer.language import detect_language
    texts = [path.read_text(encoding="utf-8") for path in sorted((DEVSET / "docs").glob("*"))]
    for language in ("en", "fr"):
        mine = [text for text in texts if detect_language(text) == language]
        whole = pipeline.entities(mine, language, [[(0, len(text))] for text in mine])
        read = pipeline.entities(mine, language, [windows(text, load_gazetteer().find(text)) for text in mine])
        for text, everywhere, around in zip(mine, whole, read):
            assert extract_cities(text, around, language=language) == \
                extract_cities(text, everywhere, language=language)
            assert extract_organisations(text, around, language) == extract_organisations(text, everywhere, language)
