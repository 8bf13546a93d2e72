"""The French and English stop words spaCy knows, as one set: words that are neither a
place's name nor what a commitment is about."""
from __future__ import annotations

from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH
from spacy.lang.fr.stop_words import STOP_WORDS as FRENCH

STOP_WORDS = frozenset(ENGLISH | FRENCH)
