"""Organisations of a text: known names (``data/organisations.yaml``) and spaCy ORG entities.

Known organisations are found by their names and abbreviations and get one name
("réseau Strong Cities" → "Strong Cities Network", "ONU" → "United Nations"). Other ORG
entities are kept when they look like a name: not a lone title ("Maire", "Guide"), not
a sentence fragment, not a place. "Ville de X" / "City of X" as an actor is an
organisation too.

>>> [(o.name, o.surface) for o in extract_organisations("Le réseau Strong Cities et l'ONU ; l'AIMF.")]
[('Strong Cities Network', ('réseau Strong Cities',)), ('United Nations', ('ONU',)), ('Association Internationale des Maires Francophones', ('AIMF',))]
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import yaml

from kb.record import Organisation
from kb.vocabulary import fold, load_vocabulary

from .gazetteer import load_gazetteer, name_key
from .pipeline import Entity

ORGANISATIONS_PATH = Path(__file__).with_name("data") / "organisations.yaml"
MAX_WORDS = 9
_TITLES = {
    "maire", "maires", "mayor", "mayors", "president", "presidente", "directeur", "directrice",
    "director", "guide", "guides", "centre", "center", "programme", "program", "conseil", "council",
    "bureau", "ville", "villes", "city", "cities", "reseau", "network", "gouvernement", "government",
    "etat", "etats", "state", "ministere", "ministry", "commission", "comite", "committee", "assemblee",
    "parlement", "parliament", "union", "association", "groupe", "group", "contact", "invitation",
    "declaration", "sommet", "summit", "conference", "francophonie", "secretaire", "secretary",
    "adjoint", "adjointe", "veuillez", "chers", "dear", "nous", "we", "strong",
}
# First words of programmes, documents and events, which spaCy often takes for organisations.
_NOT_ORGANISATIONS = {"programme", "program", "guide", "plan", "declaration", "conference", "sommet",
                      "summit", "strategie", "strategy", "projet", "project", "journee", "rapport",
                      "report", "charte", "charter", "convention", "pacte", "pact", "appel", "call"}
_ARTICLE = re.compile(r"^(?:l['’]|le\s+|la\s+|les\s+|the\s+|du\s+|des\s+|de\s+la\s+|de\s+l['’]|d['’])", re.IGNORECASE)
_CITY_AS_ACTOR = re.compile(
    r"\b(?P<word>Ville|City|Mairie|Municipalité|Municipality)\s+(?P<link>de\s+|d['’]|of\s+)(?P<city>[A-ZÀ-Ý][\w'’-]+(?:[\s-][A-ZÀ-Ý][\w'’-]+)?)")
_CITY_AS_PARTNER = re.compile(
    r"(?:collaboration|partenariat|partnership|coopération|soutien|support|organisée?s?|organi[sz]ed|invitation|"
    r"avec|with|par|by)\s+(?:\w+\s+){0,3}?(?:la|the)\s+(?P<word>ville|city|mairie|municipalité)\s+"
    r"(?P<link>de\s+|d['’]|of\s+)(?P<city>[A-ZÀ-Ý][\w'’-]+)")


@dataclass(frozen=True)
class _Alias:
    name: str
    surface: str
    pattern: re.Pattern


def fold_aligned(text: str) -> str:
    """``fold`` that keeps every character in place (same length), for matching offsets.

    >>> fold_aligned("Réseau ŒIL")
    'reseau œil'
    """
    out = []
    for char in text:
        folded = fold(char)
        out.append(folded if len(folded) == 1 else char.lower())
    return "".join(out)


def _is_abbreviation(surface: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][A-Z.&-]{1,9}", surface))


def _alias_pattern(surface: str) -> re.Pattern:
    """Exact capitals for abbreviations; otherwise folded words (match on folded text)."""
    if _is_abbreviation(surface):
        return re.compile(rf"(?<![\w.-]){re.escape(surface)}(?![\w-]|\.\w)")
    words = [re.escape(w) for w in fold_aligned(surface).split()]
    body = r"\s+".join(words).replace("'", "['’]")
    return re.compile(rf"(?<![\w-]){body}(?![\w-])")


@lru_cache(maxsize=1)
def known_organisations(path: Path = ORGANISATIONS_PATH) -> tuple[_Alias, ...]:
    """Every alias of ``organisations.yaml``, longest first."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    aliases = []
    for name, surfaces in data.items():
        for surface in dict.fromkeys([name, *(surfaces or [])]):
            aliases.append(_Alias(name, surface, _alias_pattern(surface)))
    return tuple(sorted(aliases, key=lambda a: (-len(a.surface), a.surface)))


@lru_cache(maxsize=1)
def _canonical_names() -> dict[str, str]:
    return {fold(a.surface): a.name for a in known_organisations()}


def canonical_name(name: str) -> str:
    """The knowledge base's name for an organisation (its own name when unknown).

    >>> canonical_name("Nations unies"), canonical_name("Ville de Paris")
    ('United Nations', 'Ville de Paris')
    """
    return _canonical_names().get(fold(name.strip()), name.strip())


def _known(text: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of known organisations, longest alias first, no overlaps."""
    folded = fold_aligned(text)
    found: list[tuple[int, int, str]] = []
    for alias in known_organisations():
        abbreviation = _is_abbreviation(alias.surface)
        for match in alias.pattern.finditer(text if abbreviation else folded):
            start, end = match.span()
            if any(start < e and s < end for s, e, _ in found):
                continue
            if abbreviation and _in_capitals_line(text, start, end):
                continue
            found.append((start, end, alias.name))
    return sorted(found)


def _in_capitals_line(text: str, start: int, end: int) -> bool:
    """An abbreviation inside a line written in capitals ("UN NOUVEAU PLAN") is a word."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    letters = [c for c in line if c.isalpha()]
    return len(letters) > len(text[start:end]) + 3 and all(c.isupper() for c in letters)


def _clean(surface: str) -> str | None:
    """An ORG entity's text as a name, or None when it is not one."""
    surface = surface.split("\n")[0].strip(" \t*_,;:.-–«»\"“”()")
    surface = _ARTICLE.sub("", surface).strip()
    words = surface.split()
    if not words or len(words) > MAX_WORDS or len(surface) < 2:
        return None
    if not surface[0].isupper() or re.search(r"[.;:!?«»\"“”]\s|[«»]", surface):
        return None
    if len(words) == 1 and (fold(surface) in _TITLES or (surface.isalpha() and surface.istitle() and len(surface) < 4)):
        return None
    if all(fold(w) in _TITLES or not w[0].isupper() for w in words) and len(words) <= 2:
        return None
    lower = [w for w in words if w[0].islower() and fold(w) not in {"de", "du", "des", "d", "la", "le", "les", "et",
                                                                  "pour", "of", "the", "and", "for", "l", "sur", "on", "en"}]
    if len(lower) > 2:
        return None   # a sentence fragment, not a name
    if fold(words[0]) in _NOT_ORGANISATIONS or load_vocabulary().themes_in(surface) and \
            len(words) <= 3 and all(w[0].isupper() for w in words if len(w) > 3):
        return None   # a programme, a document, an event; or a common concept in capitals
    gazetteer = load_gazetteer()
    entry = gazetteer._names.get(name_key(surface))
    if entry is not None and (entry.cities or entry.country or entry.region):
        return None   # a place
    return surface


def extract_organisations(text: str, entities: Sequence[Entity] | None = None) -> tuple[Organisation, ...]:
    """Organisations of ``text`` in order of first mention, each with its surface forms."""
    known = _known(text)
    found: list[tuple[int, str, str]] = [(s, name, text[s:e]) for s, e, name in known]
    spans = [(s, e) for s, e, _ in known]
    for pattern in (_CITY_AS_ACTOR, _CITY_AS_PARTNER):
        for match in pattern.finditer(text):
            city = match.group("city")
            if not load_gazetteer().lookup(city):
                continue
            start = match.start("word")
            if any(start < e and s < match.end() for s, e in spans):
                continue
            name = match.group("word").capitalize() + " " + re.sub(r"\s+", " ", text[match.start("link"):match.end()])
            found.append((start, name, text[start:match.end()]))
            spans.append((start, match.end()))
    for entity in entities or ():
        if entity.label != "ORG" or any(entity.start < e and s < entity.end for s, e in spans):
            continue
        name = _clean(entity.text)
        if name:
            found.append((entity.start, canonical_name(name), name))
    merged: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for _, name, surface in sorted(found):
        key = fold(name)
        names.setdefault(key, name)
        merged.setdefault(key, [])
        if surface not in merged[key]:
            merged[key].append(surface)
    return tuple(Organisation(names[key], tuple(surfaces)) for key, surfaces in merged.items())
