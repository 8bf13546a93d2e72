"""Commitments: the sentences and list items in which their authors, or the signatories
and participants a release reports on, pledge, call on others, resolve, or declare a
need or obligation to act.

Sentences that hold a word of commitment (``lexicon``) are parsed with spaCy, and each is
judged on its syntax (``clauses``): who the subject is, the tense, the modality, whether
the clause is a belief's or a condemnation's content. A lead-in ending with a colon that
commits ("mayors engage more specifically to:", "nous appelons à :") makes each item of
the list after it a commitment of its kind, whatever the item's form; a heading such as
"Les objectifs :" does so for items that start with a verb; under an adoption formula
("hereby agree to the following:") each item is judged by itself.

The text of a commitment is an exact substring of the document (a list item without its
marker; a sentence without a leading dateline). ``actors`` says who commits.

>>> text = "Nous, les maires du réseau :\\n\\nNous nous engageons à lutter contre la haine.\\n\\nNous vous invitons à vous inscrire."
>>> [(c.text, c.kind, c.actor) for c in extract_commitments(text)]
[('Nous nous engageons à lutter contre la haine.', 'pledge', 'les maires du réseau')]
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Sequence

from model.record import City, Commitment, DateMention, Organisation
from model.vocabulary import load_vocabulary

from ..pipeline import parse
from ..stopwords import STOP_WORDS
from .actors import (actor_entities, first_person_role, full_city_government, last_group, lead_in_actor,
                     subject_phrase)
from .clauses import Context, Finding, analyse, committing_lead_in, infinitive_sentence, verb_first
from .lexicon import load_lexicon
from .units import HEADING_WORDS, Unit, opening_actor, opening_span, split_units

__all__ = ["CommitmentReader", "extract_commitments", "opening_actor", "opening_span", "resolve"]

# "Montréal, le 11 juin 2015 - ", "The Hague – January 25, 2019 – ": a dateline before a sentence
_DATELINE = re.compile(r"^(?:[A-ZÀ-Ý][^\n–—]{0,40}?\s[–—-]\s){1,2}(?=[A-ZÀ-Ý«\"“])")
# A sentence that may open on an infinitive: "To set up…", "Mettre en place…" (parsed to see).
_INFINITIVE_START = re.compile(r"^\W*(?:to\s+(\w+)|([A-ZÀ-Ý]\w{2,}(?:er|ir|re)))\b", re.IGNORECASE)
_CONTENT_LEAD = re.compile(r"\b(?:following|ce qui suit|suivants?|suivantes?)\b", re.IGNORECASE)
# How many units after a lead-in or a heading are parsed, to see whether they go on its list.
LIST_REACH = 12
# How far back (sentences) a pronoun or a "we" looks for the group it stands for.
LOOK_BACK = 6


@dataclass
class _Lead:
    """A lead-in whose list is open: the kind and actor its items take."""
    kind: str
    actor: str
    each_judged: bool = False       # "agree to the following:": items judged one by one
    verbs_only: bool = False        # a heading ("Les objectifs :"): items that start with a verb


def _text(unit: Unit) -> tuple[int, str]:
    """(offset, text) of a unit without its leading dateline."""
    dateline = _DATELINE.match(unit.text)
    offset = dateline.end() if dateline and len(unit.text) - dateline.end() > 40 else 0
    return offset, unit.text[offset:]


class CommitmentReader:
    """Reads one text's commitments in two steps, so that a batch of texts can have its
    sentences parsed together: ``sentences()`` to parse, then ``read(docs)``."""

    def __init__(self, text: str, language: str, organisations: frozenset[str] | None = None):
        self.text = text
        self.language = language
        self.organisations = organisations      # their names and acronyms, when known
        self.lexicon = load_lexicon(language)
        self.authors = opening_actor(text)
        self.fallback = ""
        self.units = split_units(text)
        self.wanted = self._wanted() if self.lexicon else []
        self.found: list[Commitment] = []
        self.last_actor = ""
        words = {w.lower() for w in re.findall(r"\w+", self.authors)} - {"the", "les", "of", "de", "and", "et"}
        self.context = Context(authors=bool(self.authors), authors_words=frozenset(words))

    def _titles(self, unit: Unit) -> bool:
        """A heading that announces commitments ("Les objectifs", "Commitment 1 – …")."""
        return unit.heading and bool(self.lexicon.lemmas(unit.text) & self.lexicon.heading_nouns)

    def _wanted(self) -> list[int]:
        """The units worth parsing: those that may commit, the lead-ins and headings, the
        units after a heading of commitments or after a lead-in that may commit or
        announces what follows ("hereby agree to the following:"), to see whether they go
        on its list ("Here is an overview of the exhibition:" opens none), and list items."""
        commits = [self.lexicon.may_commit(unit.text, bool(self.authors), self.organisations) for unit in self.units]
        titles = [self._titles(unit) for unit in self.units]
        opening = [i for i, unit in enumerate(self.units) if unit.lead_in or titles[i]]
        near = set(opening) | {j for i in opening if titles[i] or commits[i] or _CONTENT_LEAD.search(self.units[i].text)
                               for j in range(i + 1, i + LIST_REACH)}
        return [i for i, unit in enumerate(self.units)
                if unit.item or i in near or commits[i] or self._may_open_on_infinitive(unit.text)]

    def sentences(self) -> list[str]:
        """The sentences to parse (spaCy), in order, for ``read``."""
        return [_text(self.units[i])[1] for i in self.wanted]

    # ---- actors ------------------------------------------------------------------------

    def _group_before(self, index: int, plural: bool | None = None) -> str:
        unit = self.units[index]
        for previous in reversed(self.units[max(0, index - LOOK_BACK):index]):
            if re.match(r"\W*(?:nous|we)\b", previous.text, re.IGNORECASE):
                continue            # an earlier "we" sentence says nothing of who "we" are
            group = last_group(previous.text, plural)
            if group:
                return full_city_government(group, self.text, unit.start)
        return ""

    def actor(self, index: int, finding: Finding, offset: int) -> str:
        unit = self.units[index]
        if finding.subject_class in ("actor", "self", "holder") and finding.subject:
            start, end = finding.subject
            phrase = subject_phrase(unit.text[offset:], (start, end))
            return full_city_government(phrase, self.text, unit.start)
        if finding.subject_class == "pronoun":
            text = unit.text[offset:]
            pronoun = text[slice(*finding.subject)] if finding.subject else ""
            plural = pronoun.lower() in ("ils", "elles", "they")
            before = last_group(text[:finding.subject[0]], plural) if finding.subject else ""
            return before or self._group_before(index, plural) or self.last_actor or self.authors or self.fallback
        if finding.subject_class in ("first", "none"):
            role = first_person_role(unit.text[offset:][:finding.subject[0]]) if finding.subject else ""
            return self.authors or role or self._group_before(index) or self.fallback
        return self.authors or self.fallback

    # ---- the walk through the units --------------------------------------------------------

    def add(self, unit: Unit, offset: int, kind: str, actor: str) -> None:
        text = unit.text[offset:]
        themes = tuple(load_vocabulary().themes_in(text))
        self.found.append(Commitment(text, actor, themes, kind))
        self.last_actor = actor

    def read(self, parsed: Sequence, fallback_actor: str = "") -> tuple[Commitment, ...]:
        """The commitments, given the parses of ``sentences()`` (in order) and who commits
        when the text names nobody (the document's first organisation)."""
        if self.lexicon is None:
            return ()
        self.fallback, self.found, self.last_actor = fallback_actor, [], ""
        docs = dict(zip(self.wanted, parsed))
        lead: _Lead | None = None
        for index, unit in enumerate(self.units):
            doc = docs.get(index)
            offset, _ = _text(unit)
            if lead is not None and (unit.item or (doc is not None and verb_first(doc) and not unit.lead_in)):
                self._item(unit, doc, lead)
                continue
            lead = None
            if self._titles(unit):
                lead = _Lead("pledge", self.last_actor or self.authors or self.fallback, verbs_only=True)
                continue
            if doc is None:
                continue
            finding = analyse(doc, self.lexicon, self.context)
            if finding is None and self._committed() and not unit.heading and infinitive_sentence(doc):
                self.add(unit, offset, "pledge", self.last_actor)      # an objective of the plan committed to
                continue
            if unit.lead_in:
                lead = self._lead(index, unit, doc, finding, offset)
                continue
            if finding is not None:
                self.add(unit, offset, finding.kind, self.actor(index, finding, offset))
        return tuple(self.found)

    def _may_open_on_infinitive(self, text: str) -> bool:
        """Whether a sentence may open on an infinitive ("To set up…", "Mettre en place…"),
        once the document has committed: worth parsing to see."""
        start = _INFINITIVE_START.match(text)
        word = start and (start.group(1) or start.group(2))
        return bool(word) and word.lower() not in STOP_WORDS

    def _committed(self) -> bool:
        """The document has pledged before: what it sets out as objectives is pledged too."""
        return any(c.kind == "pledge" for c in self.found)

    def _lead(self, index: int, unit: Unit, doc, finding: Finding | None, offset: int) -> _Lead | None:
        """The list a lead-in opens (and the lead-in itself, a commitment of its own)."""
        if finding is not None:
            actor = lead_in_actor(unit.text, self.authors) or self.actor(index, finding, offset)
            self.add(unit, offset, finding.kind, actor)
            # "hereby agree to the following:" adopts a text whose items say each their own
            # thing; "their commitment to work on the following areas:" commits to each item
            adoption = finding.kind == "resolution" and bool(_CONTENT_LEAD.search(unit.text))
            return _Lead(finding.kind, actor, each_judged=adoption)
        kind = committing_lead_in(doc, self.lexicon)
        if kind is not None:
            actor = lead_in_actor(unit.text, self.authors) or self.authors or self._group_before(index + 1) \
                or self.fallback
            self.add(unit, offset, kind, actor)
            return _Lead(kind, actor)
        if len(unit.text.split()) <= HEADING_WORDS and self.lexicon.lemmas(unit.text) & self.lexicon.heading_nouns:
            return _Lead("pledge", self.last_actor or self.authors or self.fallback,
                         verbs_only=True)      # "Les objectifs :", after the signatories' pledge
        return None

    def _item(self, unit: Unit, doc, lead: _Lead) -> None:
        if lead.each_judged:
            finding = analyse(doc, self.lexicon, replace(self.context, listed=True)) if doc is not None else None
            if finding is not None:
                actor = lead.actor if finding.subject_class in ("first", "none", "implicit") else \
                    self.actor(self.units.index(unit), finding, 0)
                self.add(unit, 0, finding.kind, actor)
            return
        if lead.verbs_only and (doc is None or not verb_first(doc)):
            return
        self.add(unit, 0, lead.kind, lead.actor)


def extract_commitments(text: str, language: str = "fr", fallback_actor: str = "") -> tuple[Commitment, ...]:
    """Commitments of ``text`` in document order, each with its kind and actor (and no
    entities yet: ``resolve`` adds them).

    >>> text = "Nous déclarons la nécessité pour les maires de :\\n\\n- Promouvoir la paix ;\\n- Former les agents."
    >>> [(c.text, c.kind, c.actor) for c in extract_commitments(text)][1:]
    [('Promouvoir la paix', 'need', 'les maires'), ('Former les agents.', 'need', 'les maires')]
    >>> extract_commitments("In 2015 the mayors had pledged to act. We invite you to register.", "en")
    ()
    """
    reader = CommitmentReader(text, language)
    return reader.read(parse(reader.sentences(), language) or [], fallback_actor)


_DEADLINE_WORDS = re.compile(r"\b(?:by|before|until|no later than|d['’]ici|avant|au plus tard|jusqu['’]|"
                             r"d['’]ici à|within)\s*(?:la fin de |the end of |fin |end of |le |the )?$", re.IGNORECASE)


def _deadline(commitment: Commitment, dates: Sequence[DateMention]) -> str | None:
    """The date a commitment is to be met by, when it says ("by 2030", "d'ici fin 2025")."""
    for date in dates:
        position = commitment.text.find(date.surface)
        if position >= 0 and (date.role == "deadline" or _DEADLINE_WORDS.search(commitment.text[:position])):
            return date.end or date.value
    return None


def resolve(commitments: Sequence[Commitment], cities: Sequence[City], organisations: Sequence[Organisation],
            dates: Sequence[DateMention] = ()) -> tuple[Commitment, ...]:
    """Commitments with the entities their actors name and their own deadlines."""
    from ..organisations import known_in

    return tuple(replace(c, actor_entities=actor_entities(c.actor, cities, organisations, known_in(c.actor)),
                         deadline=_deadline(c, dates))
                 for c in commitments)
