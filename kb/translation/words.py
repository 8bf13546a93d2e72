"""Words as the dictionary looks them up: lemmas, and the language of a query.

A word typed in a query is rarely a dictionary headword: ``municipalités``,
``occidentaux``, ``preventing``. Its lemma (``simplemma``: lemmas from lexical data for
each language) finds the headword. Keys are folded: lower case, accents removed.

>>> lemma_key("Municipalités", "fr"), lemma_key("preventing", "en"), lemma_key("lieux de culte", "fr")
('municipalite', 'prevent', 'lieu de culte')
>>> query_language("assassinat du maire de Gdansk et discours de haine")
'fr'
>>> query_language("discrimination") is None
True
"""
from __future__ import annotations

import re
from functools import lru_cache

from model.vocabulary import fold

from ..index.analysis import APOSTROPHES, ELIDED

LANGUAGES = ("fr", "en")
OTHER = {"fr": "en", "en": "fr"}
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_ELISION = re.compile(f"^(?:{'|'.join(ELIDED)})[{APOSTROPHES}]", re.IGNORECASE)
# How much more of a query one language must know than the other to be its language.
LANGUAGE_MARGIN = 0.25


def split_words(text: str) -> list[str]:
    """The words of ``text`` as typed, French elisions removed (``l'État`` → ``État``);
    hyphens separate words."""
    return [_ELISION.sub("", w) for w in _WORD.findall(text.replace("-", " "))]


_INDEX_WORD = re.compile(r"\w+(?:['’]\w+)*")


def index_words(text: str) -> list[str]:
    """The words of ``text`` as the index's tokenizers cut them (digits kept, elisions
    left to its analyzers): how a translation is searched, one word at a time.

    >>> index_words("l'État, 11 septembre")
    ["l'État", '11', 'septembre']
    """
    return _INDEX_WORD.findall(text)


def _lemma(word: str, language: str) -> str:
    import simplemma
    return simplemma.lemmatize(word, lang=language)


@lru_cache(maxsize=65536)
def lemma_key(text: str, language: str) -> str:
    """The folded lemmas of the words of ``text``, space-separated."""
    return " ".join(fold(_lemma(w.lower(), language)) for w in split_words(text))


def headword_key(text: str) -> str:
    """A headword's own key: its folded words (a headword is already a lemma)."""
    return " ".join(fold(w) for w in split_words(text))


def query_language(text: str) -> str | None:
    """``fr`` or ``en`` when the words of ``text`` are clearly of that language (the
    share of them each language's lexicon knows differs by ``LANGUAGE_MARGIN`` or more),
    else None: too short or mixed to tell."""
    import simplemma

    if not split_words(text):
        return None
    shares = dict(simplemma.langdetect(text, lang=LANGUAGES))
    first, second = sorted(LANGUAGES, key=lambda lang: -shares.get(lang, 0.0))
    return first if shares.get(first, 0.0) - shares.get(second, 0.0) >= LANGUAGE_MARGIN else None
