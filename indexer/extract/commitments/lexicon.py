"""The words of commitment, per language (``data/commitments.yaml``), and a cheap test of
whether a sentence may hold one before it is parsed.

>>> load_lexicon("fr").may_commit("Les signataires s’engagent à promouvoir la charte.")
True
>>> load_lexicon("en").may_commit("The weather was fine in Lyon.")
False
>>> load_lexicon("de") is None
True
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

LEXICON_PATH = Path(__file__).resolve().parent.parent / "data" / "commitments.yaml"

# Forms a stem cannot find: irregular verbs, auxiliaries and the French future tense.
_IRREGULAR = {
    "en": r"\b(?:will|shall|won't|'ll|must|should|ought|has to|have to|had to|needs?|let us|let's)\b",
    "fr": r"\b(?:doi[st]|doivent|dev\w+|fau[td]\w*|va|vont|allons|il nous revient|il appartient|\w+ons-nous)\b"
          r"|\b\w{3,}(?:erai|eras|era|erons|erez|eront|irai|ira|irons|iront|drai|dra|drons|dront)\b",
}


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


@dataclass(frozen=True)
class Lexicon:
    language: str
    words: dict[str, frozenset[str]]
    _prefilter: re.Pattern

    def __getattr__(self, name: str) -> frozenset[str]:
        try:
            return self.words[name]
        except KeyError:
            raise AttributeError(name) from None

    def may_commit(self, text: str) -> bool:
        """Whether ``text`` holds a word that can carry a commitment (worth parsing)."""
        return bool(self._prefilter.search(fold(text)))


# The kinds of words a commitment is carried by (the rest of the file describes clauses).
_CUES = ("pledge_verbs", "call_verbs", "resolution_verbs", "need_verbs", "need_modals", "need_nouns",
         "pledge_nouns", "call_nouns", "pledge_adjectives", "need_adjectives", "wish_verbs", "heading_nouns")


def _stem(lemma: str) -> str:
    """The start shared by a lemma's forms ("appeler" → "appel", "commit" → "commit")."""
    folded = fold(lemma)
    return folded if len(folded) <= 4 else folded[:max(4, len(folded) - 2)]


@lru_cache(maxsize=None)
def load_lexicon(language: str, path: Path = LEXICON_PATH) -> Lexicon | None:
    """The lexicon of ``language``, or None for a language it does not cover."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    entries = data.get(language)
    if entries is None:
        return None
    words = {name: frozenset(str(word).lower() for word in values) for name, values in entries.items()}
    stems = sorted({_stem(word) for name in _CUES for word in words.get(name, ())}, key=len, reverse=True)
    pattern = r"\b(?:" + "|".join(re.escape(stem) for stem in stems) + r")"
    if language in _IRREGULAR:
        pattern += "|" + _IRREGULAR[language]
    return Lexicon(language, words, re.compile(pattern))
