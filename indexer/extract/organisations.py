"""Organisations of a text: known names, named institutions and spaCy ORG entities.

Known organisations (``data/organisations.yaml``) are found by their names and
abbreviations and get one name ("réseau Strong Cities" → "Strong Cities Network", "ONU" →
"United Nations"). Other organisations need evidence that they are one: a name followed
by its acronym ("… menant à la violence (CPRMV)"), an institution's name ("Centre
culturel islamique de Québec", "le consulat général des États-Unis à Strasbourg"), a
name introduced by its kind ("la fédération France Victimes"), or a spaCy ORG entity
whose words say it is an organisation ("Paris Junior College", "Indian Ocean
Commission") or that is an acronym. City governments ("la Ville de Paris", "the City of
Victoria") are cities, not organisations; programmes, events, buildings, lone titles
("Maire", "Guide") and sentence fragments are not organisations either.

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

from model.record import Organisation
from model.vocabulary import fold

from .gazetteer import load_gazetteer, name_key
from .pipeline import Entity

ORGANISATIONS_PATH = Path(__file__).with_name("data") / "organisations.yaml"
MAX_WORDS = 9
_ARTICLE = re.compile(r"^(?:l['’]|le\s+|la\s+|les\s+|the\s+|du\s+|des\s+|de\s+la\s+|de\s+l['’]|d['’])", re.IGNORECASE)
# Words that make a name an organisation's (folded).
ORGANISATION_WORDS = {
    "association", "associations", "fondation", "foundation", "institut", "institute", "college", "universite",
    "university", "commission", "conseil", "council", "comite", "committee", "network", "reseau", "agence",
    "agency", "office", "ministere", "ministry", "department", "departement", "fund", "fonds", "organisation",
    "organization", "union", "observatoire", "observatory", "consulat", "consulate", "embassy", "ambassade",
    "police", "federation", "coalition", "trust", "society", "societe", "alliance", "secretariat", "ong", "ngo",
    "croix-rouge", "cross", "bank", "banque", "authority", "autorite", "parliament", "parlement", "court", "cour",
    "tribunal", "church", "eglise", "mosque", "mosquee", "synagogue", "club", "party", "parti", "syndicat",
}
# Heads of French institutions' names: "Centre culturel islamique de Québec".
_INSTITUTION = re.compile(
    r"\b(?:(?P<head>Centre|Institut|Observatoire|Fondation|Association|Fédération|Agence|Office|Conseil|Commission|"
    r"Comité|Collège|Université|Consulat|Ambassade|Ministère|Haut-Commissariat|Secrétariat|Délégation|"
    r"Coalition|Réseau|Forum|Alliance|Ligue|Union|Congrès)|"
    r"(?<=\b(?:le|du|au) )(?P<lower>consulat|ambassade|ministère))\b"
    r"(?P<rest>(?:\s+(?:de|du|des|d['’]|l['’]|la|le|les|à|au|aux|pour|sur|contre|en)?\s*[\w'’-]+){1,10})")
_STOP = re.compile(r"\s+(?:et|qui|que|dont|où|a|ont|est|sont|sera|seront|avait|avaient|était|va|vont|peut|doit|"
                   r"créée?s?|fondée?s?|installée?s?|basée?s?|situé(?:e|s|es)?|ouvert(?:e|s|es)?|chargée?s?)\b", re.IGNORECASE)
_TRAILING = re.compile(r"(?:\s+(?:de|du|des|d['’]|l['’]|la|le|les|à|au|aux|pour|sur|contre|en))+$", re.IGNORECASE)
# "la fédération France Victimes", "the charity Hope Not Hate"
_KIND_AND_NAME = re.compile(
    r"\b(?:l['’]association|la\s+fédération|la\s+fondation|l['’]ONG|le\s+collectif|l['’]organisation|"
    r"the\s+(?:charity|NGO|association|foundation|federation|organisation|organization|non-profit))\s+"
    r"(?P<name>[A-ZÀ-Ý][\w'’-]+(?:\s+(?:de|du|des|of|the|and|et|for|pour)?\s*[A-ZÀ-Ý][\w'’-]+){0,5})")
_ACRONYM_AFTER = re.compile(r"\s*\((?P<acronym>[A-Z][A-Za-z]{1,9})\)")
_SMALL_WORDS = {"de", "du", "des", "d", "l", "la", "le", "les", "et", "a", "au", "aux", "pour", "sur", "en",
                "of", "the", "and", "for", "on", "in", "to"}


@dataclass(frozen=True)
class _Alias:
    name: str
    surface: str
    pattern: re.Pattern
    abbreviation: bool      # matched in the text as written, not in its folded form
    needle: str             # a piece of every match: the pattern runs only if it is there


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    folded = fold(char)
    return folded if len(folded) == 1 else char.lower()


def fold_aligned(text: str) -> str:
    """``fold`` that keeps every character in place (same length), for matching offsets.

    >>> fold_aligned("Réseau ŒIL")
    'reseau œil'
    """
    if text.isascii():
        return text.lower()
    return text.translate({ord(char): _fold_char(char) for char in set(text)})


def _is_abbreviation(surface: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][A-Z.&-]{1,9}", surface))


def _alias(name: str, surface: str) -> _Alias:
    """Exact capitals for abbreviations; otherwise folded words (match on folded text)."""
    if _is_abbreviation(surface):
        pattern = re.compile(rf"(?<![\w.-]){re.escape(surface)}(?![\w-]|\.\w)")
        return _Alias(name, surface, pattern, True, surface)
    words = fold_aligned(surface).split()
    body = r"\s+".join(re.escape(w) for w in words).replace("'", "['’]")
    # folded text writes every apostrophe "'", so each word appears in it as it is here
    return _Alias(name, surface, re.compile(rf"(?<![\w-]){body}(?![\w-])"), False, max(words, key=len))


@lru_cache(maxsize=1)
def known_organisations(path: Path = ORGANISATIONS_PATH) -> tuple[_Alias, ...]:
    """Every alias of ``organisations.yaml``, longest first."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    aliases = []
    for name, surfaces in data.items():
        for surface in dict.fromkeys([name, *(surfaces or [])]):
            aliases.append(_alias(name, surface))
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
        searched = text if alias.abbreviation else folded
        if alias.needle not in searched:
            continue
        for match in alias.pattern.finditer(searched):
            start, end = match.span()
            if any(start < e and s < end for s, e, _ in found):
                continue
            if alias.abbreviation and _in_capitals_line(text, start, end):
                continue
            found.append((start, end, alias.name))
    return sorted(found)


def known_in(text: str) -> list[tuple[int, int, str]]:
    """(start, end, canonical name) of the known organisations ``text`` names.

    >>> [name for _, _, name in known_in("les membres de l'AIMF")]
    ['Association Internationale des Maires Francophones']
    """
    return _known(text)


def _in_capitals_line(text: str, start: int, end: int) -> bool:
    """An abbreviation inside a line written in capitals ("UN NOUVEAU PLAN") is a word."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    letters = [c for c in line if c.isalpha()]
    return len(letters) > len(text[start:end]) + 3 and all(c.isupper() for c in letters)


def _is_place(name: str) -> bool:
    entry = load_gazetteer()._names.get(name_key(name))
    return entry is not None and bool(entry.cities or entry.country or entry.region)


def _with_acronym(text: str, end: int, name_start: int) -> str | None:
    """The name that an acronym in parentheses right after ``end`` spells, if any:
    "Centre de prévention de la radicalisation menant à la violence (CPRMV)"."""
    match = _ACRONYM_AFTER.match(text, end)
    if not match:
        return None
    letters = [c for c in match.group("acronym") if c.isupper()]
    words = re.findall(r"[\w’'-]+", text[name_start:end])
    initials = [w[0].upper() for w in words if fold(w).strip("'’") not in _SMALL_WORDS]
    return match.group("acronym") if initials[-len(letters):] == letters and len(initials) >= len(letters) else None


def _institutions(text: str, language: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of institutions named by rule: French institutional names (in
    French text: English names are Title Case, which spaCy finds) and names introduced
    by their kind."""
    found = []
    for match in _INSTITUTION.finditer(text) if language == "fr" else ():
        rest = match.group("rest")
        cut = re.search(r"[,.;:()«»\"“”\n]", rest)
        rest = rest[:cut.start()] if cut else rest
        stop = _STOP.search(rest)
        rest = _TRAILING.sub("", rest[:stop.start()] if stop else rest)
        words = rest.split()
        if not words or any(fold(w) in ("municipal", "municipale", "municipaux") for w in words):
            continue    # "Conseil municipal": a city's government
        head = match.group("head") or match.group("lower").capitalize()
        end = match.start("rest") + len(rest)
        name = head + rest
        if _is_place(name):
            continue
        found.append((match.start(), end, name))
    for match in _KIND_AND_NAME.finditer(text):
        name = match.group("name")
        if not _is_place(name):
            found.append((match.start("name"), match.end("name"), name))
    return found


def _clean(surface: str) -> str | None:
    """An ORG entity's text as an organisation's name, or None when nothing says it is one."""
    surface = surface.split("\n")[0].strip(" \t*_,;:.-–«»\"“”()")
    if surface.count("(") != surface.count(")"):
        surface = surface[:surface.rfind("(")].rstrip()       # "… Racism (ECCAR": the acronym comes after
    surface = _ARTICLE.sub("", surface).strip()
    words = surface.split()
    if not words or len(words) > MAX_WORDS or len(surface) < 2 or not surface[0].isupper():
        return None
    if re.search(r"[.;:!?«»\"“”]\s|[«»]", surface) or _is_place(surface):
        return None
    if re.fullmatch(r"[A-Z][A-Z&-]{1,6}", surface):
        return surface                       # an acronym: "CPRMV", "GCERF"
    folded = [fold(w).strip("'’") for w in re.findall(r"[\w’'-]+", surface)]
    if len(words) >= 2 and any(w in ORGANISATION_WORDS for w in folded[1:] + folded[:1]):
        return surface
    return None


def names_of(organisations: Sequence[Organisation]) -> frozenset[str]:
    """Every name the organisations go by: their names and surface forms (acronyms too)."""
    return frozenset(name for o in organisations for name in (o.name, *o.surface))


def extract_organisations(text: str, entities: Sequence[Entity] | None = None,
                          language: str = "fr") -> tuple[Organisation, ...]:
    """Organisations of ``text`` in order of first mention, each with its surface forms.

    >>> [o.name for o in extract_organisations("avec le soutien du consulat général des États-Unis à Strasbourg et de la Ville de Paris")]
    ['Consulat général des États-Unis à Strasbourg']
    """
    known = _known(text)
    found: list[tuple[int, str, str]] = [(s, name, text[s:e]) for s, e, name in known]
    spans = [(s, e) for s, e, _ in known]

    def add(start: int, end: int, name: str) -> None:
        if not any(start < e and s < end for s, e in spans):
            found.append((start, canonical_name(name), text[start:end]))
            spans.append((start, end))

    for start, end, name in _institutions(text, language):
        add(start, end, name)
    for entity in entities or ():
        if entity.label != "ORG":
            continue
        name = _clean(entity.text)
        start = entity.start + entity.text.find(name) if name else entity.start
        if name is None:
            # a name that spells the acronym after it is an organisation too
            cleaned = _ARTICLE.sub("", entity.text.split("\n")[0].strip())
            start = entity.start + entity.text.find(cleaned) if cleaned else entity.start
            if cleaned and _with_acronym(text, start + len(cleaned), start):
                name = cleaned
        if name:
            add(start, start + len(name), name)
    # "Forum belge pour la prévention (FBPSU)": the acronym is another surface of the name
    acronyms: dict[str, str] = {}
    for start, name, surface in found:
        acronym = _ACRONYM_AFTER.match(text, start + len(surface))
        if acronym and _with_acronym(text, start + len(surface), start):
            acronyms[acronym.group("acronym")] = name
    found = [(start, acronyms.get(name, name), surface) for start, name, surface in found]
    merged: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for _, name, surface in sorted(found):
        key = fold(name)
        names.setdefault(key, name)
        merged.setdefault(key, [])
        if surface not in merged[key]:
            merged[key].append(surface)
    return tuple(Organisation(names[key], tuple(surfaces)) for key, surfaces in merged.items())
