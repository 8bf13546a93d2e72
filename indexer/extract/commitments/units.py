"""The units a commitment can be: sentences and list items, and the opening that says
who "we" are.

>>> [(u.text, u.item) for u in split_units("Nous, les maires :\\n\\n- Promouvoir la paix ;\\n- Agir.")]
[('Nous, les maires :', False), ('Promouvoir la paix', True), ('Agir.', True)]
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..sentences import sentence_spans

_I = re.IGNORECASE
# A heading is short: a few words, no sentence's end.
HEADING_WORDS = 10
_ITEM = re.compile(r"\s*(?:[-*•–]|\d+[.)])\s+")      # at the start of a unit
_OPENING = re.compile(
    r"\b(?:Nous|We)\s*[*_]*\s*,\s*(?P<actor>(?:(?:les|the)\s)?(?:maires|mayors|élus|élu\.?e\.?s|représentants|"
    r"leaders|dirigeants|members|membres|représentantes|signataires|signatories|participants|cities|villes|"
    r"local|locaux|gouvernements|governments|partenaires|partners)\b[^:;\n]{0,250}?)\s*"
    r"(?::|;|\n|,\s*(?:nous\s+)?(?:nous\s+engageons|déclarons|réunis|rassemblés|commit|pledge|declare|resolve|call|"
    r"affirm|reaffirm|agree|meeting|gathered|assembled|having|ayant|will|shall|are|sommes|must|devons|"
    r"accept|assumons|take|find|constatons|reconnaissons|appelons))", _I)


@dataclass(frozen=True)
class Unit:
    start: int
    end: int
    text: str
    item: bool                 # a list item (its marker left out)

    @property
    def lead_in(self) -> bool:
        """Ends with a colon: what follows completes it."""
        return self.text.rstrip().endswith(":")

    @property
    def heading(self) -> bool:
        """A short line without a sentence's end: a title ("Commitment 1 – Greater
        vigilance", "Les objectifs")."""
        return not self.item and len(self.text.split()) <= HEADING_WORDS and \
            not self.text.rstrip().endswith((".", "!", "?", ";", ",", ":"))


def split_units(text: str) -> list[Unit]:
    """Sentences and list items; items without their marker, and without a trailing " ;"."""
    found = []
    for start, end in sentence_spans(text):
        marker = _ITEM.match(text, start, end)
        if marker:
            start = marker.end()
        while end > start and text[end - 1] in " ;,\t":
            end -= 1
        if end > start:
            found.append(Unit(start, end, text[start:end], bool(marker)))
    return found


def clean_group(phrase: str) -> str:
    """A noun phrase without surrounding punctuation or a dangling preposition."""
    phrase = re.sub(r"\s+", " ", phrase).strip(" ,;:.")
    return re.sub(r"\s+(?:de|du|des|d['’]|of|the|l['’]|la|le)$", "", phrase, flags=_I)


def opening_actor(text: str) -> str:
    """Who "Nous"/"We" are, from a declaration's opening, or "".

    >>> opening_actor("*Nous*, les maires, élus, et leaders locaux du Strong Cities Network :")
    'les maires, élus, et leaders locaux du Strong Cities Network'
    >>> opening_actor("Nous, maires de Québec et de Bordeaux, réunis à Québec,")
    'les maires de Québec et de Bordeaux'
    """
    match = _OPENING.search(text)
    if not match:
        return ""
    actor = clean_group(match.group("actor"))
    if not re.match(r"(?:les|the)\s", actor, _I):     # "Nous, maires de …" → "les maires de …"
        actor = ("les " if match.group().lower().startswith("nous") else "the ") + actor
    return actor


def opening_span(text: str) -> tuple[int, int] | None:
    """Where the opening names who "Nous"/"We" are ("We, the mayors of Victoria and Halifax,")."""
    match = _OPENING.search(text)
    return match.span("actor") if match else None
