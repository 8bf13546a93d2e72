"""Language detection: deterministic, on the seeds and on short texts."""
from __future__ import annotations

import pytest

from indexer.frontmatter import split
from indexer.language import UNDETERMINED, detect_blocks, detect_language
from tests.conftest import REPO

SEED_FILES = sorted((REPO / "corpus").rglob("*.fr.md"))


def test_the_five_seeds_are_in_the_corpus():
    assert len(SEED_FILES) >= 5


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name)
def test_seeds_are_detected_as_french(seed):
    _, body, _ = split(seed.read_text(encoding="utf-8"), seed)
    assert detect_language(body) == "fr"


def test_english_and_french_sentences():
    assert detect_language("We pledge to support the victims of terrorism in our cities.") == "en"
    assert detect_language("Nous soutenons les victimes du terrorisme dans nos villes.") == "fr"


def test_detection_is_deterministic():
    text = "Strong Cities Network Montréal 2024"
    assert len({detect_language(text) for _ in range(5)}) == 1


def test_text_without_words_is_undetermined():
    assert detect_language("2024 — 01.42.76.49.61") == UNDETERMINED


def test_blocks_of_mixed_text():
    text = ("Les maires se sont réunis à Paris pour parler de prévention.\n\n"
            "The mayors met in Paris to discuss prevention of violent extremism.")
    assert [lang for lang, _ in detect_blocks(text)] == ["fr", "en"]
