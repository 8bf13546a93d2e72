"""Who commits: the actor as the text names them, and the entities it resolves to.

The actor of a sentence is its subject when that names someone ("the GPM", "Les
signataires", "la Ville de Rennes"); for "nous"/"we", the group the declaration's
opening names, else the last group of people named before; for "ils"/"they", the last
group named before; when nobody is named ("information must be shared"), the document's
first organisation.

An actor resolves to the cities and organisations it names ("the Mayor of Aarhus" →
Aarhus; "les membres de l'AIMF" → the AIMF) and, for the signatories of a document, to
its signatory cities.
"""
from __future__ import annotations

import re
from typing import Sequence

from model.record import ActorEntity, City, Organisation

from .units import clean_group

_I = re.IGNORECASE
_GROUP = re.compile(
    r"\b(?i:les|des|the|le|la|l['’])\s*(?:(?i:participating|signatory|member|three|two|four|five|twelve|"
    r"participants|signataires|membres|douze|trois|deux|quatre|cinq)\s+)?"
    r"(?P<head>(?i:maires|élus|élues|membres|villes|dirigeants|leaders|représentants|signataires|"
    r"participants|responsables|gouvernements|municipalités|bureau|conseil|réseau|mayors|members|cities|signatories|"
    r"governments|municipalities|board|council|network|network's\s+members|ville|city|municipalité|municipality|"
    r"mairie|commune))\b"
    r"(?:\s+(?:(?:d|l)['’])?(?:membres|members|signataires|participantes|participants|partenaires|concernées|"
    r"signatory|participating|du|de|des|of|the|la|le|bureau|board|réseau|network|conseil|council|comité|committee|"
    r"association|douze|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|vingt|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve|\d+|villes|cities|et|and|[A-ZÀ-Ý][\w'’-]*)){0,9}")
_SINGULAR_HEADS = {"bureau", "conseil", "réseau", "board", "council", "network", "ville", "city",
                   "municipalité", "municipality", "mairie", "commune"}
# "la Ville de Rennes", "the City of Paris, Texas": the full name of "la Ville", "the City"
_CITY_GOVERNMENT = re.compile(r"\b(?:(?i:la)\s+Ville|(?i:the)\s+City)\s+(?:de|du|d['’]|of)\s*[A-ZÀ-Ý][\w'’-]+"
                              r"(?:[\s-][A-ZÀ-Ý][\w'’-]+)*(?:,\s+(?:Texas|[A-Z][a-z]+)(?=[,\s]))?")
_FOR_WHOM = re.compile(r"\b(?:pour|for)\s+(?P<x>(?:les|the|l['’]ensemble\s+des|all)\s[^:]{3,160}?)\s+"
                       r"(?:de|d['’]|to)\s*:\s*$", _I)
_SIGNATORIES = re.compile(r"\b(?:signator(?:y|ies)|signataires?)\b", _I)
# "As mayors and local leaders, we…", "En tant que maires, nous…": the role the speakers
# give themselves just before "we" in their sentence
_ROLE = re.compile(r"\b(?:as\s+|en\s+tant\s+qu(?:e\s+|['’])|en\s+notre\s+qualité\s+d(?:e\s+|['’]))"
                   r"(?P<role>[^,;:.]{3,120}?)\s*,?\s*$", _I)
# The longest phrase kept as an actor; a longer subject is cut at its first comma.
MAX_ACTOR_WORDS = 14


def last_group(text: str, plural: bool | None = None) -> str:
    """The last group of people named in ``text`` (only plural ones for "ils", "they").

    >>> last_group("Elles participent aux secours, témoignent les Maires de l'AIMF.")
    "les Maires de l'AIMF"
    """
    matches = [m for m in _GROUP.finditer(text)
               if plural is None or (m.group("head").lower() not in _SINGULAR_HEADS) == plural]
    if not matches:
        return ""
    group = clean_group(matches[-1].group())
    # a trailing "et"/"and" without what follows is not part of the group
    return re.sub(r"\s+(?:et|and)$", "", group, flags=_I)


def full_city_government(group: str, text: str, before: int) -> str:
    """"La Ville" → "la Ville de Rennes" when the text named it so before."""
    if not re.fullmatch(r"(?:la\s+Ville|the\s+City)", group, _I):
        return group
    named = list(_CITY_GOVERNMENT.finditer(text, 0, before))
    return named[-1].group() if named else group


def subject_phrase(sentence: str, span: tuple[int, int]) -> str:
    """The subject as an actor: its words, without a relative clause or apposition after a
    comma when it is long.

    >>> subject_phrase("The GPM calls on all.", (0, 7))
    'The GPM'
    """
    phrase = clean_group(sentence[span[0]:span[1]])
    if len(phrase.split()) > MAX_ACTOR_WORDS and "," in phrase:
        phrase = clean_group(phrase.split(",")[0])
    return phrase


def first_person_role(before: str) -> str:
    """The role "we" give themselves in the words just before them, "" if none.

    >>> first_person_role("WHEREAS, as mayors and local leaders ")
    'mayors and local leaders'
    >>> first_person_role("En tant qu'élus locaux, ")
    'élus locaux'
    """
    match = _ROLE.search(before)
    return clean_group(match.group("role")) if match else ""


def lead_in_actor(lead_in: str, default: str) -> str:
    """"pour les maires, élus et leaders locaux de :" → that group, completed from the
    opening (``default``); "" when the lead-in names nobody this way."""
    match = _FOR_WHOM.search(lead_in)
    if not match:
        return ""
    group = clean_group(match.group("x"))
    mine, theirs = _words(group), _words(default)
    if default and theirs[:len(mine)] == mine and len(theirs) > len(mine):
        # "les maires, élus et leaders locaux" + " du Strong Cities Network"
        rest = default
        for word in mine:
            rest = rest[rest.lower().index(word) + len(word):]
        return group + rest
    return group


def _words(phrase: str) -> list[str]:
    return re.findall(r"[\w'’-]+", phrase.lower())


def _mentions(name: str, actor: str) -> bool:
    return bool(re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", actor, _I))


def actor_entities(actor: str, cities: Sequence[City], organisations: Sequence[Organisation],
                   known: Sequence[tuple[int, int, str]] = ()) -> tuple[ActorEntity, ...]:
    """The cities and organisations ``actor`` names; the signatory cities for "the
    signatories". ``known`` are the known organisations found in the actor's words.

    >>> paris = City("Paris", "FR", 2988507, 48.85, 2.35, ("Paris",), 1, ("signatory",))
    >>> [e.name for e in actor_entities("les signataires", [paris], [])]
    ['Paris']
    >>> [e.name for e in actor_entities("the Mayor of Paris", [paris], [Organisation("AIMF", ("AIMF",))])]
    ['Paris']
    """
    found: dict[tuple[str, str], ActorEntity] = {}
    for city in cities:
        if any(_mentions(surface, actor) for surface in (city.name, *city.surface)) or (
                _SIGNATORIES.search(actor) and "signatory" in city.roles):
            found.setdefault(("city", city.name), ActorEntity("city", city.name, city.country))
    for organisation in organisations:
        if any(_mentions(surface, actor) for surface in (organisation.name, *organisation.surface)):
            found.setdefault(("organisation", organisation.name), ActorEntity("organisation", organisation.name))
    for _, _, name in known:
        found.setdefault(("organisation", name), ActorEntity("organisation", name))
    return tuple(found.values())
