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

from model.record import Commitment
from model.vocabulary import load_vocabulary

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
    r"\b(?i:les|des|the|le|la|l['’])\s*(?:(?i:participating|signatory|member|three|two|four|five|twelve|"
    r"participants|signataires|membres|douze|trois|deux|quatre|cinq)\s+)?"
    r"(?P<head>(?i:maires|élus|membres|villes|dirigeants|leaders|représentants|signataires|"
    r"participants|responsables|gouvernements|municipalités|bureau|conseil|réseau|mayors|members|cities|signatories|"
    r"governments|municipalities|board|council|network|network's\s+members|ville|city|municipalité|municipality|"
    r"mairie|commune))\b"
    r"(?:\s+(?:(?:d|l)['’])?(?:membres|members|signataires|participantes|participants|partenaires|concernées|"
    r"signatory|participating|du|de|des|of|the|la|le|bureau|board|réseau|network|conseil|council|comité|committee|"
    r"association|douze|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|vingt|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve|\d+|villes|cities|et|and|[A-ZÀ-Ý][\w'’-]*)){0,9}")
# "la Ville de Rennes", "the City of Paris, Texas": the full name of "la Ville", "the City"
_CITY_GOVERNMENT = re.compile(r"\b(?:(?i:la)\s+Ville|(?i:the)\s+City)\s+(?:de|du|d['’]|of)\s*[A-ZÀ-Ý][\w'’-]+"
                              r"(?:[\s-][A-ZÀ-Ý][\w'’-]+)*(?:,\s+(?:Texas|[A-Z][a-z]+)(?=[,\s]))?")
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
    >>> opening_actor("Nous, maires de Québec et de Bordeaux, réunis à Québec,")
    'les maires de Québec et de Bordeaux'
    """
    match = _OPENING.search(text)
    if not match:
        return ""
    actor = _clean_group(match.group("actor"))
    if not re.match(r"(?:les|the)\s", actor, _I):     # "Nous, maires de …" → "les maires de …"
        actor = ("les " if match.group().lower().startswith("nous") else "the ") + actor
    return actor


def opening_span(text: str) -> tuple[int, int] | None:
    """Where the opening names who "Nous"/"We" are ("We, the mayors of Victoria and Halifax,")."""
    match = _OPENING.search(text)
    return match.span("actor") if match else None


def _words(phrase: str) -> list[str]:
    return re.findall(r"[\w'’-]+", phrase.lower())


def _lead_in_actor(lead_in: str, default: str) -> str:
    """"pour les maires, élus et leaders locaux de :" → that group, completed from the opening;
    "As a member, the City of Paris commits to:" → its subject."""
    match = _FOR_WHOM.search(lead_in)
    if not match:
        trigger = _LEAD_IN.search(lead_in)
        subject = "" if re.search(r"\b(?:nous|we)\b", lead_in, _I) else _last_group(lead_in[:trigger.start()] if trigger else "")
        return subject or default
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


_SINGULAR_HEADS = {"bureau", "conseil", "réseau", "board", "council", "network", "ville", "city",
                   "municipalité", "municipality", "mairie", "commune"}


def _last_group(text: str, plural: bool | None = None) -> str:
    """The last group of people named in ``text`` (only plural ones for "ils", "they")."""
    matches = [m for m in _GROUP.finditer(text)
               if plural is None or (m.group("head").lower() not in _SINGULAR_HEADS) == plural]
    if not matches:
        return ""
    group = _clean_group(matches[-1].group())
    # a trailing "et"/"and" without what follows is not part of the group
    return re.sub(r"\s+(?:et|and)$", "", group, flags=_I)


def _full_city_government(group: str, text: str, before: int) -> str:
    """"La Ville" → "la Ville de Rennes" when the text named it so before."""
    if not re.fullmatch(r"(?:la\s+Ville|the\s+City)", group, _I):
        return group
    named = list(_CITY_GOVERNMENT.finditer(text, 0, before))
    return named[-1].group() if named else group


def _actor(unit: _Unit, units: list[_Unit], index: int, trigger: re.Match,
           default: str, fallback: str) -> str:
    """Who commits in ``unit``: "nous"/"we" are the authors; otherwise the subject before
    the pledge, or for "ils"/"they" the last group of people named before."""
    before = unit.text[:trigger.start()]
    if re.search(r"\b(?:nous|we|our|notre|nos)\b", unit.text[:trigger.end()], _I):
        if default:
            return default
        # "In a joint statement, the mayors said: « We will … »": the group named just before
        for previous in reversed(units[max(0, index - 4):index + 1]):
            if previous is not unit and re.match(r"\W*(?:nous|we)\b", previous.text, _I):
                continue        # an earlier "we" sentence of the same quotation
            group = _last_group(previous.text if previous is not unit else before)
            if group:
                return group
        return fallback
    if not re.search(r"\b(?:ils|elles|they)\b", before[-40:], _I):
        subject = _last_group(before)
        if subject:
            return subject
    plural = bool(re.search(r"\b(?:ils|elles|they)\b", before, _I))
    for previous in reversed(units[max(0, index - 6):index]):
        group = _last_group(previous.text, plural)
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
            actor = _full_city_government(_lead_in_actor(unit.text, default), text, unit.start)
            lead = (actor or default or fallback_actor, unit.text)
            continue
        trigger = _PLEDGE.search(unit.text)
        if trigger is None and default and _BARE_PLEDGE.match(unit.text):
            trigger = _BARE_PLEDGE.match(unit.text)
        if trigger is None or _NOT.search(unit.text) or unit.text.rstrip().endswith("?"):
            continue
        actor = _full_city_government(_actor(unit, units, index, trigger, default, fallback_actor), text, unit.start)
        found.append(Commitment(unit.text, actor, tuple(vocabulary.themes_in(unit.text))))
    return tuple(found)
