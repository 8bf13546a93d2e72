"""The bilingual vocabulary (``model/vocabulary.yaml``): themes and French/English terms.

One file is the source of the themes that extraction assigns to documents and
commitments, and of the equivalences that cross-language search adds to a query.
Matching is accent- and case-insensitive and ignores plural endings:

>>> vocabulary = load_vocabulary()
>>> vocabulary.expansions("Radicalisation", "fr")
['radicalization']
>>> vocabulary.expansions("villes", "fr")
['city']
>>> vocabulary.themes_in("Nous luttons contre la haine et la radicalisation des jeunes.")
{'hate-and-discrimination': 1, 'radicalisation': 1, 'youth-and-education': 1}
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .record import LANGUAGES

VOCABULARY_PATH = Path(__file__).with_name("vocabulary.yaml")
_WORD = re.compile(r"[^\W_]+")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "’": "'"})


class VocabularyError(ValueError):
    """The vocabulary file is malformed."""


def fold(text: str) -> str:
    """Lower case without accents: ``fold("Cohésion Œuvre")`` → ``'cohesion oeuvre'``.

    >>> fold("Extrémisme VIOLENT")
    'extremisme violent'
    """
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    marks = {ord(c): None for c in set(text) if unicodedata.combining(c)}   # each distinct character once
    return text.translate(marks).lower()


def stem(word: str) -> str:
    """A folded word without its plural ending (French and English, deliberately light).

    >>> [stem(w) for w in ("villes", "cities", "reseaux", "city", "progress")]
    ['ville', 'city', 'reseau', 'city', 'progress']
    """
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    if len(word) > 4 and word.endswith("ux"):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """Folded words of ``text`` (hyphens and apostrophes separate words)."""
    return _WORD.findall(fold(text))


def key(text: str) -> tuple[str, ...]:
    """The matching key of a term or phrase: its stemmed, folded words."""
    return tuple(stem(w) for w in words(text))


@dataclass(frozen=True)
class Theme:
    id: str
    labels: dict[str, str]
    terms: dict[str, tuple[str, ...]]

    def label(self, language: str = "en") -> str:
        return self.labels.get(language) or self.labels.get("en") or self.id


@dataclass(frozen=True)
class _Pattern:
    words: tuple[str, ...]   # stemmed words; the last may be a prefix
    prefix: bool
    theme: str

    def matches(self, tokens: list[str], start: int) -> bool:
        end = start + len(self.words)
        if end > len(tokens):
            return False
        *exact, last = self.words
        if tuple(tokens[start:end - 1]) != tuple(exact):
            return False
        return tokens[end - 1].startswith(last) if self.prefix else tokens[end - 1] == last


class Vocabulary:
    """Themes, their matcher, and the bilingual term groups."""

    def __init__(self, themes: list[Theme], groups: list[dict[str, tuple[str, ...]]]):
        self.themes = {theme.id: theme for theme in themes}
        self.groups = groups
        self._by_first: dict[str, list[_Pattern]] = {}
        self._prefix_first: list[_Pattern] = []
        for theme in themes:
            for language_terms in theme.terms.values():
                for term in language_terms:
                    pattern = self._pattern(term, theme.id)
                    if len(pattern.words) == 1 and pattern.prefix:
                        self._prefix_first.append(pattern)
                    else:
                        self._by_first.setdefault(pattern.words[0], []).append(pattern)
        self._prefixes = tuple(p.words[0] for p in self._prefix_first)
        self._group_index: dict[tuple[str, ...], list[int]] = {}
        for number, group in enumerate(groups):
            for forms in group.values():
                for form in forms:
                    self._group_index.setdefault(key(form), []).append(number)

    @staticmethod
    def _pattern(term: str, theme: str) -> _Pattern:
        prefix = term.endswith("*")
        found = words(term.rstrip("*"))
        if not found:
            raise VocabularyError(f"theme {theme!r}: empty term {term!r}")
        stems = tuple(stem(w) for w in found[:-1]) + ((found[-1],) if prefix else (stem(found[-1]),))
        return _Pattern(stems, prefix, theme)

    def themes_in(self, text: str) -> dict[str, int]:
        """Theme id → number of term occurrences in ``text`` (longest term wins at a place)."""
        tokens = [stem(w) for w in words(text)]
        counts: dict[str, int] = {}
        i = 0
        while i < len(tokens):
            candidates = self._by_first.get(tokens[i], [])
            if tokens[i].startswith(self._prefixes):    # one test for every prefix term
                candidates = candidates + self._prefix_first
            found = [p for p in candidates if p.matches(tokens, i)]
            if found:
                best = max(len(p.words) for p in found)
                for theme in dict.fromkeys(p.theme for p in found if len(p.words) == best):
                    counts[theme] = counts.get(theme, 0) + 1
                i += best
            else:
                i += 1
        return dict(sorted(counts.items()))

    def expansions(self, term: str, language: str | None = None) -> list[str]:
        """Equivalents of ``term`` (written in ``language``, or either when None).

        Forms of the other language come first, then spelling variants; the term itself
        and plural variants of a form already given are left out. Unknown terms have none.

        >>> load_vocabulary().expansions("social cohesion", "en")
        ['vivre-ensemble', 'cohésion sociale', 'living together']
        """
        wanted = key(term)
        if not wanted:
            return []
        out: list[str] = []
        for number in self._group_index.get(wanted, []):
            group = self.groups[number]
            if language in LANGUAGES and not any(key(f) == wanted for f in group.get(language, ())):
                continue
            other = [lang for lang in LANGUAGES if lang != language] if language in LANGUAGES else list(LANGUAGES)
            order = other + [lang for lang in LANGUAGES if lang not in other]
            for lang in order:
                out += [f for f in group.get(lang, ()) if key(f) != wanted]
        unique: dict[tuple[str, ...], str] = {}
        for form in out:           # one form per key: "maire" stands for "maires" too
            unique.setdefault(key(form), form)
        return list(unique.values())

    def label(self, theme_id: str, language: str = "en") -> str:
        theme = self.themes.get(theme_id)
        return theme.label(language) if theme else theme_id


def _strings(value, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise VocabularyError(f"{where}: expected a list of words or phrases")
    return tuple(v.strip() for v in value)


def parse_vocabulary(data: dict) -> Vocabulary:
    """A Vocabulary from the parsed YAML mapping; VocabularyError naming what is wrong."""
    if not isinstance(data, dict):
        raise VocabularyError("the vocabulary must be a mapping with 'themes' and 'terms'")
    themes, seen = [], set()
    for number, item in enumerate(data.get("themes") or [], start=1):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise VocabularyError(f"theme #{number}: needs an 'id'")
        if item["id"] in seen:
            raise VocabularyError(f"theme {item['id']!r} is defined twice")
        seen.add(item["id"])
        labels = item.get("label") or {}
        if not isinstance(labels, dict) or not all(labels.get(lang) for lang in LANGUAGES):
            raise VocabularyError(f"theme {item['id']!r}: needs a label in fr and en")
        terms = {lang: _strings(item.get(lang), f"theme {item['id']!r} {lang}") for lang in LANGUAGES}
        themes.append(Theme(item["id"], {lang: str(labels[lang]) for lang in LANGUAGES}, terms))
    groups = []
    for number, item in enumerate(data.get("terms") or [], start=1):
        if not isinstance(item, dict) or not all(item.get(lang) for lang in LANGUAGES):
            raise VocabularyError(f"terms #{number}: needs fr and en forms")
        groups.append({lang: _strings(item[lang], f"terms #{number} {lang}") for lang in LANGUAGES})
    return Vocabulary(themes, groups)


@lru_cache(maxsize=4)
def load_vocabulary(path: Path | str = VOCABULARY_PATH) -> Vocabulary:
    """The vocabulary in ``path`` (the project's by default), parsed once per process."""
    with open(path, encoding="utf-8") as handle:
        # libyaml's safe loader when installed (4× faster: the first query waits for it)
        return parse_vocabulary(yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


def expansions(term: str, language: str | None = None) -> list[str]:
    """Equivalents of ``term`` in the project vocabulary (see ``Vocabulary.expansions``).

    >>> expansions("haine", "fr")
    ['hate', 'hatred']
    >>> expansions("mayor", "en")
    ['maire']
    """
    return load_vocabulary().expansions(term, language)
