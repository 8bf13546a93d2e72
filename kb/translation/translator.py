"""Query translation: what a word or phrase of a query is in the other language.

Names first: an organisation's other names (its aliases), a country's names in the other
language (the gazetteer). Then the bilingual dictionary, from the query's language
(``words.query_language``; both directions when it cannot tell). The translations of one
word are alternatives of that word, weighted by their probability relative to the most
probable one, so that a word with many senses is not counted as several words. With the
index at hand (``share``), a translation that no document of the other language
contains is dropped before weighting: the corpus says which translations this field uses.

A function word (one whose translations are mostly stop words: ``contre`` → ``against``)
and a plain word that nothing translates are not required of documents in the other
language (kind ``optional``): they cannot contain it, and a word they lack should not
hide them. A word the other language uses too (``discrimination``: in at least
``SHARED`` of the proportion of documents of its own language that do) already matches
there as typed, and is neither translated nor made optional. Capitalised words are
names, the same in both languages, and stay required (``kb.expansion`` also keeps every
word required when none of the query reaches the other language).

The index's translation pairs (documents with the same ``translation_key``) can update
the dictionary's probabilities (``use_pairs``): of a word's documents that have a version
in the other language, the share whose version has each translation. Measured on the
dev set (5 pairs) and the test gold (7), it changed nothing on cross-language queries, so
it is off (``USE_PAIRS``); ``kb eval --search`` measures it as ``dictionary+pairs``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from model.vocabulary import fold

from .dictionary import Dictionary
from .names import country_names, organisation_names
from .words import LANGUAGES, OTHER, lemma_key, query_language, split_words

MAX_ALTERNATIVES = 4
MIN_SHARE = 0.2               # of the best translation's probability
FUNCTION_WORD_SHARE = 1 / 3   # probability of stop-word translations that makes a function word
SHARED = 0.1                  # a word is of both languages when the other uses it this often, relatively
SELF_WEIGHT = 0.5             # more like this: a key word searched as written in the other language
PAIR_PRIOR = 1.0              # the dictionary's probabilities count as this many translation pairs
USE_PAIRS = False

Share = Callable[[str, str], float]   # (language, text) → share of that language's documents with it
Groups = Callable[[str, "str | None"], frozenset]   # (language, text) → translation groups with it


@dataclass(frozen=True)
class Translation:
    kind: str        # "dictionary", "cognate", "organisation", "country", "optional" or "shared"
    alternatives: tuple[str, ...]     # for "optional": the languages that need not have the word
    weights: tuple[float, ...] = ()   # per alternative, relative to the best one


class QueryTranslation:
    """Translates the words and phrases of one query (called with each)."""

    def __init__(self, translator: "Translator", query: str, use_dictionary: bool,
                 share: Share | None, groups: Groups | None = None):
        self.translator = translator
        self.language = query_language(query)
        self.use_dictionary = use_dictionary and translator.dictionary is not None
        self.share = share
        self.groups = groups if translator.use_pairs else None
        self._paired: dict[str, frozenset] = {}
        words = split_words(query)
        self._first = words[0] if words else ""

    def __call__(self, text: str) -> Translation | None:
        organisation = organisation_names(text)
        if organisation is not None:
            others = tuple(organisation[1])
            return Translation("organisation", others, (1.0,) * len(others)) if others else None
        countries = country_names(text)
        if countries:
            return Translation("country", tuple(countries), (1.0,) * len(countries))
        if not self.use_dictionary:
            return None
        if self._is_shared(text):
            return Translation("shared", ())    # the other language uses it too: it matches as typed
        found = self._from_dictionary(text)
        if found is None:
            found = self._cognates(text)
        if found is None and self._is_plain_word(text):
            return Translation("optional", (OTHER[self.language],))
        return found or None

    def _is_plain_word(self, text: str) -> bool:
        """One word of the query's (known) language, not a name."""
        words = split_words(text)
        return (self.language is not None and len(words) == 1 and words[0].isalpha()
                and not (words[0][:1].isupper() and words[0] != self._first))

    def _is_shared(self, text: str) -> bool:
        """A plain word that the other language's documents use about as much (at least
        ``SHARED`` of the proportion of its own language's)."""
        if self.share is None or not self._is_plain_word(text):
            return False
        own = self.share(self.language, text)
        return own > 0 and self.share(OTHER[self.language], text) >= SHARED * own

    def _cognates(self, text: str) -> Translation | None:
        """Words of the other language that a plain word of the query resembles: itself
        without accents (``prévention``), or with an ending rewritten by a rule learned
        from the dictionary (``extrémisme`` → ``extremism``), that the other language's
        documents use."""
        if self.share is None or not self._is_plain_word(text):
            return None
        lemma = lemma_key(text, self.language)
        found: dict[str, float] = {}
        if fold(text) != text.lower():
            found[fold(text)] = 1.0
        for candidate, precision in self.translator.dictionary.cognates(lemma, self.language):
            found.setdefault(candidate, precision)
        kept = sorted(((c, p) for c, p in found.items() if self.share(OTHER[self.language], c)),
                      key=lambda item: (-item[1], item[0]))
        if not kept:
            return None
        best = kept[0][1]
        return Translation("cognate", tuple(c for c, _ in kept), tuple(round(p / best, 3) for _, p in kept))

    def _with_pairs(self, text: str, language: str, candidates: list[tuple[str, float]]) -> list[tuple[str, float]]:
        """The dictionary's probabilities updated by the translation pairs of the index:
        of the documents in ``language`` with ``text`` that have a version in the other
        language, the share whose version has each translation (with the dictionary's
        probability as a prior worth ``PAIR_PRIOR`` pairs)."""
        other = OTHER[language]
        if other not in self._paired:
            self._paired[other] = self.groups(other, None)
        paired = self.groups(language, text) & self._paired[other]
        total = sum(p for _, p in candidates)
        if not paired or not total:
            return candidates
        updated = [(t, (len(paired & self.groups(other, t)) + PAIR_PRIOR * p / total)
                    / (len(paired) + PAIR_PRIOR)) for t, p in candidates]
        return sorted(updated, key=lambda item: (-item[1], item[0]))

    def _from_dictionary(self, text: str) -> Translation | None:
        """The dictionary's translations; None when it has none (or only stop words,
        or none that the other language's documents use); an empty Translation for a
        stop word."""
        stop = self.translator.stop_words
        words = [fold(w) for w in split_words(text)]
        if not words or all(w in stop for w in words):
            return Translation("dictionary", ())
        found: dict[str, float] = {}
        for language in ((self.language,) if self.language else LANGUAGES):
            candidates = self.translator.dictionary.lookup(text, language)
            stop_share = sum(p for t, p in candidates if all(fold(w) in stop for w in split_words(t)))
            if candidates and stop_share >= FUNCTION_WORD_SHARE * sum(p for _, p in candidates):
                return None           # a function word
            if self.groups is not None:
                candidates = self._with_pairs(text, language, candidates)
            for translation, p in candidates:
                if fold(translation) == fold(text) or all(fold(w) in stop for w in split_words(translation)):
                    continue
                if self.share is not None and not self.share(OTHER[language], translation):
                    continue
                found[translation] = max(found.get(translation, 0.0), p)
        if not found:
            return None
        ranked = sorted(found.items(), key=lambda item: (-item[1], item[0]))
        best = ranked[0][1]
        kept = [(t, p) for t, p in ranked if p >= MIN_SHARE * best][:MAX_ALTERNATIVES]
        return Translation("dictionary", tuple(t for t, _ in kept), tuple(round(p / best, 3) for _, p in kept))


class Translator:
    """Translations of the words of queries, from names and a dictionary (None: names
    only); ``use_pairs``: weighted by the index's translation pairs too."""

    def __init__(self, dictionary: Dictionary | None, stop_words: Iterable[str] = (),
                 use_pairs: bool = USE_PAIRS):
        self.dictionary = dictionary
        self.stop_words = frozenset(fold(w) for w in stop_words)
        self.use_pairs = use_pairs

    def with_pairs(self, use_pairs: bool) -> "Translator":
        """The same translator, with or without the evidence of translation pairs."""
        return Translator(self.dictionary, self.stop_words, use_pairs)

    @property
    def has_dictionary(self) -> bool:
        return self.dictionary is not None

    def key_terms(self, language: str, words: list[tuple[str, float]]) -> list[tuple[str, str, float]]:
        """The key words of a document (``language``, with their weights) in the other
        language, for more like this: (other language, translation, weight). A word the
        vocabulary knows gets its equivalents; else its dictionary translations, weighted
        by probability; else its likely cognates. The word itself is looked for there too,
        at half weight (``discrimination`` is both French and English)."""
        from model.vocabulary import expansions

        other = OTHER.get(language)
        if other is None:
            return []
        out: list[tuple[str, str, float]] = []
        for word, weight in words:
            found = [(t, 1.0) for t in expansions(word, language)]
            if not found and self.dictionary is not None:
                candidates = [(t, p) for t, p in self.dictionary.lookup(word, language)
                              if not all(fold(w) in self.stop_words for w in split_words(t))]
                if candidates:
                    best = candidates[0][1]
                    found = [(t, p / best) for t, p in candidates if p >= MIN_SHARE * best][:MAX_ALTERNATIVES]
                else:
                    found = self.dictionary.cognates(lemma_key(word, language), language)
            out += [(other, text, round(weight * share, 4)) for text, share in found]
            out.append((other, fold(word), round(weight * SELF_WEIGHT, 4)))
        return out

    def for_query(self, query: str, use_dictionary: bool = True, share: Share | None = None,
                  groups: Groups | None = None) -> QueryTranslation:
        """The translation of the words of ``query``; ``use_dictionary=False``: names
        only; ``share`` tells how many documents of a language use a word, ``groups``
        which translation groups have a word in a language."""
        return QueryTranslation(self, query, use_dictionary, share, groups)
