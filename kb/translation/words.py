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

LANGUAGES = ("fr", "en")
OTHER = {"fr": "en", "en": "fr"}
# The words the index leaves out of documents and queries: the Snowball project's French
# and English stop lists, which the engines' analyzers drop (Whoosh's copy of them is
# what kb/index/whoosh/schema.py uses; tests/test_translation.py holds the two equal).
# Translation needs them without an engine: a translation made of them searches nothing.
STOP_WORDS = frozenset("""
ai aie aient aies ait as au aura aurai auraient aurais aurait auras aurez auriez aurions
aurons auront aux avaient avais avait avec avez aviez avions avons ayant ayante ayantes
ayants ayez ayons c ce ces d dans de des du elle en es est et eu eue eues eurent eus
eusse eussent eusses eussiez eussions eut eux eûmes eût eûtes furent fus fusse fussent
fusses fussiez fussions fut fûmes fût fûtes il j je l la le leur lui m ma mais me mes
moi mon même n ne nos notre nous on ont ou par pas pour qu que qui s sa se sera serai
seraient serais serait seras serez seriez serions serons seront ses soient sois soit
sommes son sont soyez soyons suis sur t ta te tes toi ton tu un une vos votre vous y à
étaient étais était étant étante étantes étants étiez étions été étée étées étés êtes
""".split()) | frozenset("""
a about above after again against all am an and any are as at be because been before
being below between both but by can did do does doing don down during each few for from
further had has have having he her here hers herself him himself his how i if in into is
it its itself just me more most my myself no nor not now of off on once only or other
our ours ourselves out over own s same she should so some such t than that the their
theirs them themselves then there these they this those through to too under until up
very was we were what when where which while who whom why will with you your yours
yourself yourselves
""".split())
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_ELISION = re.compile(r"^(?:qu|jusqu|lorsqu|puisqu|quoiqu|[cdjlmnst])['’]", re.IGNORECASE)
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
