"""Commitments: the sentences and list items in which the authors pledge to act.

A sentence is a commitment when its authors commit, pledge, resolve, call on others or
declare the need to act ("nous nous engageons à", "ils se sont engagés à", "we commit
to", "we pledge", "we call on", "we will", "we resolve", "nous déclarons la nécessité
de"). A lead-in ending with a colon ("nous déclarons la nécessité pour les maires de :")
makes each item of the list after it one commitment. Invitations and logistics ("nous
vous invitons", registration, hotels), past facts ("avaient souligné") and descriptions
of what others do are not commitments.

The text of a commitment is an exact substring of the document (a list item without its
"- " marker). Its actor comes from the lead-in ("pour les maires … de :"), the opening
of the declaration ("Nous, les maires …", "We, the mayors of …"), the subject of the
sentence, or, for "ils"/"they", the last group of people named before.

>>> text = "Nous, les maires du réseau :\\n\\nNous nous engageons à lutter contre la haine.\\n\\nNous vous invitons à vous inscrire."
>>> [(c.text, c.actor) for c in extract_commitments(text)]
[('Nous nous engageons à lutter contre la haine.', 'les maires du réseau')]
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kb.record import Commitment
from kb.vocabulary import load_vocabulary

from .sentences import sentence_spans

_I = re.IGNORECASE
# A pledge by the authors ("nous", "we") or reported in the present or perfect tense.
_PLEDGE = re.compile(r"|".join([
    r"\bnous\s+(?:nous\s+)?engageons\b", r"\bengageons[-\s]nous\b", r"\bnous\s+nous\s+engagerons\b",
    r"\bprenons\s+l['’]engagement\b", r"\bnous\s+(?:nous\s+)?promettons\b", r"\bnous\s+résolvons\b",
    r"\bnous\s+décidons\s+(?:de|d['’])", r"\bnous\s+(?:lançons\s+un\s+)?appel(?:ons|\s+à)\b",
    r"\bnous\s+exhortons\b", r"\bnous\s+demandons\s+(?:aux|à|au|instamment)\b",
    r"\bnous\s+invitons\s+(?:les|l['’]|tous|toutes|à\s+(?!vous))",
    r"\bnous\s+(?:déclarons|affirmons|réaffirmons|reconnaissons|soulignons)\s+(?:la\s+nécessité|le\s+besoin|"
    r"l['’]urgence|l['’]impératif|notre\s+(?:engagement|volonté|détermination))",
    r"\bnous\s+réaffirmons\s+notre\b", r"\bnous\s+nous\s+efforcerons\b",
    r"\bnous\s+(?:allons|continuerons|poursuivrons|renforcerons|soutiendrons|développerons|mettrons\s+en\s+(?:place|œuvre)|"
    r"travaillerons|œuvrerons|agirons|promouvrons|partagerons|créerons|veillerons)\b",
    r"\bs['’]engage(?:nt)?\s+(?:à|a)\b", r"\bs['’]engage(?:nt)?\s+[\w'’-]+\s+(?:à|a)\b", r"\bse\s+sont\s+engagé(?:e|s|es)?\s+(?:à|a)\b", r"\bs['’]est\s+engagée?\s+(?:à|a)\b",
    r"\bse\s+sont\s+engagé(?:e|s|es)?\s+[\w'’-]+\s+(?:à|a)\b",
    r"\bont\s+pris\s+l['’]engagement\b", r"\ba\s+pris\s+l['’]engagement\b",
    r"\b(?:ont|a)\s+(?:déclaré|affirmé|réaffirmé|proclamé)\s+(?:solennellement\s+)?(?:«\s*)?(?:le\s+devoir|la\s+nécessité|"
    r"l['’]engagement)",
    r"\b(?:ont|a)\s+(?:par\s+ailleurs\s+|aussi\s+|également\s+)?(?:demandé|appelé|exhorté)\s+(?:aux|à|aux?\s+\w+|les)\b",
    r"\b(?:appellent|exhortent|demandent)\s+(?:les|aux|à)\b",
    r"\bwe\s+(?:hereby\s+|also\s+|therefore\s+|further\s+|jointly\s+)?(?:commit|pledge|resolve|undertake|will|shall|"
    r"call\s+(?:on|upon)|urge|promise|vow|agree\s+to|are\s+committed|recommit|dedicate\s+ourselves|strive|intend\s+to|"
    r"declare\s+(?:the\s+need|our\s+(?:commitment|determination|resolve))|reaffirm\s+our|affirm\s+our\s+commitment|"
    r"stand\s+ready\s+to|endeavour|endeavor)\b",
    r"\b(?:have|has|had)?\s*(?:committed|pledged|resolved|vowed|undertaken|undertook|agreed)\s+to\b",
    r"\b(?:commit|commits|pledge|pledges)\s+to\b",
]), _I)
# The start of a paragraph under a "Nous, les maires … :" opening, subject left out.
_BARE_PLEDGE = re.compile(
    r"^\W*(?:nous\s+)?(?:engageons|nous\s+engageons|appelons|exhortons|décidons|résolvons|promettons|"
    r"commit|pledge|resolve|call\s+(?:on|upon)|undertake|urge|agree\s+to|declare\s+the\s+need)\b", _I)
_LEAD_IN = re.compile(
    r"(?:\b(?:déclarons|affirmons|soulignons|reconnaissons)\s+(?:la\s+nécessité|le\s+besoin|l['’]urgence)|"
    r"\bnous\s+(?:nous\s+)?engageons|\bengageons|\bappelons|\bs['’]engage(?:nt)?|\bse\s+sont\s+engagé(?:e|s|es)?|"
    r"\b(?:commit|commits|pledge|pledges|resolve|resolves|undertake|undertakes|will|shall|call\s+on|calls\s+on|"
    r"agree|agrees|declare\s+the\s+need)\b)[^:]*:\s*$", _I)
_NOT = re.compile(
    r"\b(?:vous|you|your|votre|vos)\b|inscri|regist|hôtel|hotel|formulaire|ordre\s+du\s+jour|agenda|logisti|"
    r"\bavai(?:en)?t\s+(?:[\w-]+\s+){0,3}(?:souligné|déclaré|affirmé|promis|engagé)|\bhad\s+(?:\w+\s+){0,2}(?:committed|pledged)", _I)
_ITEM = re.compile(r"^\s*(?:[-*•–]|\d+[.)])\s+")
_OPENING = re.compile(
    r"\b(?:Nous|We)\s*[*_]*\s*,\s*(?P<actor>(?:(?:les|the)\s)?(?:maires|mayors|élus|représentants|leaders|dirigeants|"
    r"members|membres|représentantes|signataires|signatories|participants|cities|villes)\b[^:;\n]{0,250}?)\s*"
    r"(?::|;|\n|,\s*(?:nous\s+)?(?:nous\s+engageons|déclarons|réunis|rassemblés|commit|pledge|declare|resolve|call|"
    r"affirm|reaffirm|agree|meeting|gathered|assembled|having|ayant|will|shall))", _I)
_FOR_WHOM = re.compile(r"\b(?:pour|for)\s+(?P<x>(?:les|the|l['’]ensemble\s+des|all)\s[^:]{3,160}?)\s+(?:de|d['’]|to)\s*:\s*$", _I)
_GROUP = re.compile(
    r"\b(?i:les|des|the|le|la|l['’])\s*(?P<head>(?i:maires|élus|membres|villes|dirigeants|leaders|représentants|signataires|"
    r"participants|responsables|gouvernements|municipalités|bureau|conseil|réseau|mayors|members|cities|signatories|"
    r"governments|municipalities|board|council|network|network's\s+members))\b"
    r"(?:\s+(?:(?:d|l)['’])?(?:membres|members|du|de|des|of|the|la|le|bureau|board|réseau|network|conseil|council|comité|committee|"
    r"association|[A-ZÀ-Ý][\w'’-]*)){0,6}")
_PRONOUN = re.compile(r"^\W*(?:\w+\s+){0,4}?(?:ils|elles|they)\b", _I)


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    text: str
    item: bool


def _units(text: str) -> list[_Unit]:
    """Sentences and list items; items without their marker and trailing " ;"."""
    units = []
    for start, end in sentence_spans(text):
        piece = text[start:end]
        marker = _ITEM.match(piece)
        if marker:
            start += marker.end()
        while end > start and text[end - 1] in " ;,\t":
            end -= 1
        units.append(_Unit(start, end, text[start:end], bool(marker)))
    return units


def _clean_group(phrase: str) -> str:
    phrase = re.sub(r"\s+", " ", phrase).strip(" ,;:.")
    # drop a trailing preposition left without its object
    return re.sub(r"\s+(?:de|du|des|d['’]|of|the|l['’]|la|le)$", "", phrase, flags=_I)


def opening_actor(text: str) -> str:
    """Who "Nous"/"We" are, from the declaration's opening, or "".

    >>> opening_actor("*Nous*, les maires, élus, et leaders locaux du Strong Cities Network :")
    'les maires, élus, et leaders locaux du Strong Cities Network'
    """
    match = _OPENING.search(text.replace("*", "").replace("_", " ") if "*" in text else text)
    return _clean_group(match.group("actor")) if match else ""


def _words(phrase: str) -> list[str]:
    return re.findall(r"[\w'’-]+", phrase.lower())


def _lead_in_actor(lead_in: str, default: str) -> str:
    """"pour les maires, élus et leaders locaux de :" → that group, completed from the opening."""
    match = _FOR_WHOM.search(lead_in)
    if not match:
        return default
    group = _clean_group(match.group("x"))
    if default:
        mine, theirs = _words(group), _words(default)
        if theirs[:len(mine)] == mine and len(theirs) > len(mine):
            # "les maires, élus et leaders locaux" + " du Strong Cities Network"
            rest = default
            for word in mine:
                rest = rest[rest.lower().index(word) + len(word):]
            return group + rest
    return group


def _last_group(text: str) -> str:
    matches = list(_GROUP.finditer(text))
    return _clean_group(matches[-1].group()) if matches else ""


def _actor(unit: _Unit, units: list[_Unit], index: int, trigger: re.Match,
           default: str, fallback: str) -> str:
    """Who commits in ``unit``: "nous"/"we" are the authors; otherwise the subject before
    the pledge, or for "ils"/"they" the last group of people named before."""
    before = unit.text[:trigger.start()]
    if re.search(r"\b(?:nous|we|our|notre|nos)\b", unit.text[:trigger.end()], _I):
        return default or fallback
    if not re.search(r"\b(?:ils|elles|they)\b", before[-40:], _I):
        subject = _last_group(before)
        if subject:
            return subject
    for previous in reversed(units[max(0, index - 6):index]):
        group = _last_group(previous.text)
        if group:
            return group
    return default or fallback


def extract_commitments(text: str, language: str = "fr", fallback_actor: str = "") -> tuple[Commitment, ...]:
    """Commitments of ``text`` in document order.

    >>> text = "Nous déclarons la nécessité pour les maires de :\\n\\n- Promouvoir la paix ;\\n- Former les agents."
    >>> [(c.text, c.actor) for c in extract_commitments(text)]
    [('Promouvoir la paix', 'les maires'), ('Former les agents.', 'les maires')]
    >>> extract_commitments("In 2015 the mayors had pledged to act. We invite you to register.")
    ()
    """
    vocabulary = load_vocabulary()
    default = opening_actor(text)
    units = _units(text)
    found: list[Commitment] = []
    lead: tuple[str, str] | None = None     # (actor, lead-in) while inside a list
    for index, unit in enumerate(units):
        if unit.item and lead is not None:
            found.append(Commitment(unit.text, lead[0], tuple(vocabulary.themes_in(unit.text))))
            continue
        lead = None
        if _LEAD_IN.search(unit.text) and not _NOT.search(unit.text):
            lead = (_lead_in_actor(unit.text, default) or default or fallback_actor, unit.text)
            continue
        trigger = _PLEDGE.search(unit.text)
        if trigger is None and default and _BARE_PLEDGE.match(unit.text):
            trigger = _BARE_PLEDGE.match(unit.text)
        if trigger is None or _NOT.search(unit.text) or unit.text.rstrip().endswith("?"):
            continue
        actor = _actor(unit, units, index, trigger, default, fallback_actor)
        found.append(Commitment(unit.text, actor, tuple(vocabulary.themes_in(unit.text))))
    return tuple(found)
