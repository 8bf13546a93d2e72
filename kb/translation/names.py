"""Names in the other language: organisations through their aliases, countries through
the gazetteer. Names are not translated word by word: ``Conseil de l'Europe`` is
``Council of Europe``, not "advice of Europe", and ``Liban`` is ``Lebanon``.

>>> organisation_names("Radicalisation Awareness Network")[0]
'Radicalisation Awareness Network'
>>> "nations unies" in [name.lower() for name in organisation_names("united nations")[1]]
True
>>> country_names("Liban")
['Lebanon']
>>> country_names("jordan")
['Jordanie']
"""
from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

import yaml

from model.vocabulary import fold

MIN_ABBREVIATION = 4     # shorter abbreviations (UN, RAN, EU) are words of their own too


@lru_cache(maxsize=1)
def _organisations() -> tuple[dict[str, str], dict[str, list[str]]]:
    """(folded alias → name, name → its aliases that are not short abbreviations)."""
    from indexer.extract.organisations import known_organisations

    by_alias: dict[str, str] = {}
    aliases: dict[str, list[str]] = defaultdict(list)
    for alias in known_organisations():
        if not alias.abbreviation:
            by_alias.setdefault(fold(alias.surface), alias.name)
        elif len(alias.surface.replace(".", "")) >= MIN_ABBREVIATION:
            by_alias.setdefault(alias.surface, alias.name)
        else:
            continue
        if fold(alias.surface) not in {fold(a) for a in aliases[alias.name]}:
            aliases[alias.name].append(alias.surface)
    return by_alias, dict(aliases)


def organisation_names(text: str) -> tuple[str, list[str]] | None:
    """(the organisation's name, its other names) when ``text`` names a known
    organisation, else None."""
    by_alias, aliases = _organisations()
    name = by_alias.get(text) or by_alias.get(fold(text))
    if name is None:
        return None
    return name, [a for a in aliases.get(name, []) if fold(a) != fold(text)]


@lru_cache(maxsize=1)
def _countries() -> dict[str, list[str]]:
    """ISO code → the country's names: English (GeoNames) first, then French."""
    from indexer.extract.gazetteer import PLACES_PATH, load_gazetteer

    names = {code: [name] for code, name in load_gazetteer().countries.items()}
    with open(PLACES_PATH, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    for code, extra in (data.get("countries") or {}).items():
        names.setdefault(code, []).extend(n for n in extra if n not in names.get(code, []))
    return names


def country_names(text: str) -> list[str]:
    """The other names of the country ``text`` names (any language, any case), or []."""
    from indexer.extract.gazetteer import load_gazetteer

    text = text.strip()
    hits = load_gazetteer().find(text[:1].upper() + text[1:])
    if len(hits) != 1 or hits[0].country is None or hits[0].surface != text[:1].upper() + text[1:]:
        return []
    return [n for n in _countries().get(hits[0].country, []) if fold(n) != fold(text)]
