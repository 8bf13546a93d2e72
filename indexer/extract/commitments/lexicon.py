"""The words of commitment, per language (``data/commitments.yaml``), and a cheap test of
whether a sentence may hold one before it is parsed.

The test reads the sentence's words as lemmas (French: the model's lookup table of
inflected forms; English: its regular endings taken off) and asks for a word that
commits by itself ("pledge", "s'engager", "duty", "nécessité"), or for a weaker one
(a modal, a future, "ask", "adopt", "vouloir") beside someone who can commit ("we",
"nous", an actor noun such as "mayors" or "réseau", an acronym such as "UCLG").

>>> load_lexicon("fr").may_commit("Les signataires s’engagent à promouvoir la charte.")
True
>>> load_lexicon("en").may_commit("The weather will be fine in Lyon, he said.")
False
>>> load_lexicon("en").may_commit("We will train every teacher.")
True
>>> load_lexicon("de") is None
True
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from .syntax import singular

LEXICON_PATH = Path(__file__).resolve().parent.parent / "data" / "commitments.yaml"

# The kinds of words that carry a commitment (the rest of the file describes clauses).
_CUES = ("pledge_verbs", "call_verbs", "resolution_verbs", "need_verbs", "need_modals", "need_nouns",
         "pledge_nouns", "call_nouns", "pledge_adjectives", "need_adjectives", "wish_verbs")
# …of which these commit only beside someone who can commit.
_WEAK = ("need_modals", "wish_verbs", "weak_words")
# Who may commit without being named: the authors, and the group "they" stand for.
_PRONOUNS = {"we", "us", "our", "they", "nous", "notre", "nos", "ils", "elles"}
_WORD = re.compile(r"[^\W\d_]+")          # elisions apart: "s'engagent" → "s", "engagent"
_ACRONYM = re.compile(r"\b[A-Z]{2,}[a-z]?\b")
_FRENCH_FUTURE = re.compile(r"(?:rai|ras|ra|rons|rez|ront|rais|rait|rions|riez|raient)$")   # and conditional
# Constructions that commit without a word of the lists: impersonal obligations ("il
# nous revient de", "il est urgent de", "it is essential that") and exhortations ("let
# us", "serrons-nous").
_CONSTRUCTIONS = re.compile(r"\bil\s+(?:nous\s+|leur\s+|lui\s+)?(?:revient|appartient|incombe|importe|faut)\b"
                            r"|\bthere\s+is\s+a\s+need\b|\blet\s+us\b|\blet['’]s\b|\w+ons-nous\b"
                            r"|\b(?:have|has)\s+to\b",
                            re.IGNORECASE)
# A French sentence that opens on a first person plural: an exhortation ("Et combattons
# sans relâche…", "Agissons") or a verb-first clause of a declaration ("Déclarons…").
_FIRST_PLURAL_OPENING = re.compile(r"^\W*(?:et\s+|ensemble\s*,\s*)?\w{3,}ons\b", re.IGNORECASE)
# "il est urgent de", "it is essential that": an impersonal need, with one of need_adjectives
_IMPERSONAL = re.compile(r"\b(?:il|it)\s+(?:est|is|was|serait|would\s+be)\b", re.IGNORECASE)
# Regular French verb endings, for forms the lookup table misses ("invite", "invitées").
_FRENCH_ENDINGS = (("ées", "er"), ("ée", "er"), ("és", "er"), ("é", "er"), ("ent", "er"), ("es", "er"),
                   ("e", "er"), ("ons", "er"), ("ez", "er"))
_ENGLISH_ENDINGS = (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("d", ""),
                    ("ing", ""), ("ing", "e"))


@lru_cache(maxsize=100_000)
def _english_lemmas(word: str) -> frozenset[str]:
    """The lemmas an English word may have: itself, and without a regular ending
    ("committed" → "commit", "urges" → "urge", "calling" → "call")."""
    forms = {"will" if word == "ll" else word}         # "we'll"
    for ending, replacement in _ENGLISH_ENDINGS:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            forms.add(word[:-len(ending)] + replacement)
    forms |= {form[:-1] for form in forms if len(form) > 3 and form[-1] == form[-2]}
    return frozenset(forms)


@lru_cache(maxsize=1)
def _french_table() -> dict:
    """The French model's table of inflected forms → lemmas (empty without the model)."""
    from ..pipeline import load_syntax

    nlp = load_syntax("fr")
    if nlp is None or "lemmatizer" not in nlp.pipe_names:
        return {}
    return nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")


@lru_cache(maxsize=100_000)
def _french_lemmas(word: str) -> frozenset[str]:
    """The lemmas a French word may have: the model's lookup, a regular verb's
    infinitive, an adjective's masculine singular ("déterminées" → "déterminé")."""
    found = _french_table().get(word)
    lemmas = {word, *([found] if isinstance(found, str) else found or ())}
    lemmas |= {word[:-len(ending)] + infinitive for ending, infinitive in _FRENCH_ENDINGS
               if word.endswith(ending) and len(word) > len(ending) + 2}
    lemmas.add(singular(word))
    if _FRENCH_FUTURE.search(word) and any(lemma.endswith(("er", "ir", "re")) and lemma != word for lemma in lemmas):
        lemmas.add("<future>")
    return frozenset(lemmas)


@dataclass(frozen=True)
class Lexicon:
    language: str
    words: dict[str, frozenset[str]]
    strong: frozenset[str]
    weak: frozenset[str]
    speakers: frozenset[str]

    @cached_property
    def cue_lemmas(self) -> frozenset[str]:
        """Every lemma a clause's way of committing can start from, but a verb's (which
        may commit by its tense or mood alone); ``clauses`` skips the other words."""
        auxiliaries = {"will", "shall", "would", "let"} if self.language == "en" else {"aller"}
        return frozenset().union(auxiliaries, *(self.words.get(name, ()) for name in _CUES + ("standing_verbs",)))

    def __getattr__(self, name: str) -> frozenset[str]:
        try:
            return self.words[name]
        except KeyError:
            raise AttributeError(name) from None

    def lemmas(self, text: str) -> set[str]:
        """The possible lemmas of ``text``'s words, in lower case."""
        lemmatize = _french_lemmas if self.language == "fr" else _english_lemmas
        found: set[str] = set()
        for word in _WORD.findall(text.replace("’", "'")):
            found |= lemmatize(word.lower())
        return found

    def may_commit(self, text: str, authors_known: bool = False,
                   organisations: frozenset[str] | None = None) -> bool:
        """Whether ``text`` holds a word that can carry a commitment (worth parsing);
        ``authors_known``: the document says who "we" are (verb-first clauses follow);
        ``organisations``: the names the document's organisations go by, when known, of
        which an acronym must be one to commit ("UCLG", not "MBA"); when None, any
        acronym may."""
        lemmas = self.lemmas(text)
        if lemmas & self.strong or _CONSTRUCTIONS.search(text):
            return True
        if self.language == "fr" and _FIRST_PLURAL_OPENING.match(text):
            return True
        if lemmas & self.words.get("need_adjectives", frozenset()) and _IMPERSONAL.search(text):
            return True
        if not (lemmas & self.weak or "<future>" in lemmas):
            return False
        if lemmas & self.speakers or any(organisations is None or acronym in organisations
                                          for acronym in _ACRONYM.findall(text)):
            return True
        # a verb-first clause under the opening: "ask national authorities to…"
        first = _WORD.search(text.replace("’", "'"))
        return authors_known and first is not None and bool(self.lemmas(first.group()) & self.weak)


@lru_cache(maxsize=None)
def load_lexicon(language: str, path: Path = LEXICON_PATH) -> Lexicon | None:
    """The lexicon of ``language``, or None for a language it does not cover."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    entries = data.get(language)
    if entries is None:
        return None
    words = {name: frozenset(str(word).lower() for word in values) for name, values in entries.items()}
    # "have" is a modal only in "have to", which _CONSTRUCTIONS looks for
    cues = frozenset().union(*(words.get(name, ()) for name in _CUES)) - {"have"}
    weak = frozenset().union(*(words.get(name, ()) for name in _WEAK)) - {"have"}
    speakers = words.get("actor_nouns", frozenset()) | words.get("document_nouns", frozenset()) | _PRONOUNS
    return Lexicon(language, words, cues - weak, weak, speakers)
