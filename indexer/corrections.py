"""Corrections staff make to what extraction found: kept in the document's front matter
and applied after extraction on every (re)index, so they survive re-indexing, extractor
upgrades and cache hits.

```yaml
corrections:
  cities:
    remove: [Paris]                                   # English names, as extracted
    add: [{name: Nice, country: FR, role: signatory}] # role: signatory | venue | mentioned
  dates:
    remove: ["2024-05-14"]                            # ISO values, as extracted
    add: [{value: "2024-05-14", end: "2024-05-15", role: event}]   # role: deadline | event | reference
  commitments:
    remove: ["Nous nous engageons à …"]               # the exact text, as extracted
    add: [{text: "…a sentence of the document…", actor: "La Ville de Nice"}]
  organisations:
    remove: [Conseil]
```

Every section and both lists are optional. ``validate_corrections`` checks the shape and
returns it normalised; ``apply_corrections`` is a pure function of an Extraction.
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from model.record import ISO_DATE, City, Commitment, DateMention, Extraction, Organisation, is_calendar_date

from .errors import DocumentError, shown

SECTIONS = ("cities", "dates", "commitments", "organisations")
CITY_ROLES = ("signatory", "venue", "mentioned")
DATE_ROLES = ("deadline", "event", "reference")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
MAX_TEXT = 5000


def _fail(path: Path, problem: str) -> DocumentError:
    return DocumentError(path, f"'corrections': {problem}")


def _strings(value: Any, where: str, path: Path) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (str, int)):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) and str(v).strip() for v in value):
        raise _fail(path, f"{where} must be a list of non-empty texts")
    return [str(v).strip() for v in value]


def _mappings(value: Any, where: str, keys: set[str], required: str, path: Path) -> list[dict]:
    if value is None:
        return []
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise _fail(path, f"{where} must be a list of mappings")
    out = []
    for item in value:
        unknown = sorted(set(item) - keys)
        if unknown:
            raise _fail(path, f"{where}: unknown key(s) {', '.join(map(_name, unknown))}; expected {', '.join(sorted(keys))}")
        if not isinstance(item.get(required), (str, int)) or not str(item[required]).strip():
            raise _fail(path, f"{where}: every item needs a '{required}'")
        if any(v is not None and not isinstance(v, (str, int)) for v in item.values()):
            raise _fail(path, f"{where}: values must be texts")
        out.append({k: str(v).strip() for k, v in item.items() if v is not None and str(v).strip()})
    return out


def _name(key: Any) -> str:
    """A key as a message names it (a long one cut)."""
    return str(key) if len(str(key)) <= 60 else shown(str(key))


def _iso(value: str, where: str, path: Path) -> str:
    if not ISO_DATE.match(value):
        raise _fail(path, f"{where}: {shown(value)} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    if not is_calendar_date(value):
        raise _fail(path, f"{where}: {shown(value)} is not a real calendar date")
    return value


def validate_corrections(value: Any, path: Path) -> dict[str, dict[str, list]]:
    """The corrections of a front matter, checked and normalised (``{}`` when none).

    >>> validate_corrections({"cities": {"remove": "Paris", "add": [{"name": "Nice", "country": "fr"}]}}, Path("x.md"))
    {'cities': {'remove': ['Paris'], 'add': [{'name': 'Nice', 'country': 'FR', 'role': 'mentioned'}]}}
    """
    if value in (None, {}, []):
        return {}
    if not isinstance(value, dict):
        raise _fail(path, "must be a mapping with " + ", ".join(SECTIONS))
    unknown = sorted(set(value) - set(SECTIONS))
    if unknown:
        raise _fail(path, f"unknown section(s) {', '.join(map(_name, unknown))}; expected {', '.join(SECTIONS)}")
    clean: dict[str, dict[str, list]] = {}
    for section, lists in value.items():
        if lists is None:
            continue
        if not isinstance(lists, dict) or set(lists) - {"remove", "add"}:
            raise _fail(path, f"'{section}' must be a mapping with 'remove' and/or 'add'")
        remove = _strings(lists.get("remove"), f"{section}.remove", path)
        if section == "cities":
            add = _mappings(lists.get("add"), "cities.add", {"name", "country", "role"}, "name", path)
            for item in add:
                item["country"] = item.get("country", "").upper()
                if not _COUNTRY.match(item["country"]):
                    raise _fail(path, f"cities.add: {shown(item['name'])} needs a 'country' (ISO 3166 two-letter code)")
                item.setdefault("role", "mentioned")
                if item["role"] not in CITY_ROLES:
                    raise _fail(path, f"cities.add: role {shown(item['role'])}; expected {', '.join(CITY_ROLES)}")
        elif section == "dates":
            remove = [_iso(v, "dates.remove", path) for v in remove]
            add = _mappings(lists.get("add"), "dates.add", {"value", "end", "role", "surface"}, "value", path)
            for item in add:
                _iso(item["value"], "dates.add", path)
                if "end" in item:
                    _iso(item["end"], "dates.add", path)
                    if item["end"] < item["value"]:
                        raise _fail(path, f"dates.add: the end {item['end']} is before the start {item['value']}")
                item.setdefault("role", "reference")
                if item["role"] not in DATE_ROLES:
                    raise _fail(path, f"dates.add: role {shown(item['role'])}; expected {', '.join(DATE_ROLES)}")
        elif section == "commitments":
            add = _mappings(lists.get("add"), "commitments.add", {"text", "actor"}, "text", path)
            if any(len(item["text"]) > MAX_TEXT for item in add):
                raise _fail(path, f"commitments.add: a commitment is longer than {MAX_TEXT} characters")
        else:
            add = [{"name": name} for name in _strings(lists.get("add"), "organisations.add", path)]
        entry = {}
        if remove:
            entry["remove"] = remove
        if add:
            entry["add"] = add
        if entry:
            clean[section] = entry
    return clean


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def _city(item: dict) -> City:
    from .extract.gazetteer import load_gazetteer

    places = [p for p in load_gazetteer().lookup(item["name"]) if p.country == item["country"]]
    role = (item.get("role") or "mentioned",)
    if places:
        p = places[0]
        return City(p.name, p.country, p.geonameid, p.lat, p.lon, (item["name"],), 1, role)
    return City(item["name"], item["country"], None, None, None, (item["name"],), 1, role)  # type: ignore[arg-type]


def apply_corrections(extraction: Extraction, corrections: dict[str, dict[str, list]]) -> Extraction:
    """``extraction`` with the corrections applied: removals first, then additions (an
    addition of something already there changes nothing)."""
    if not corrections:
        return extraction
    changes: dict[str, Any] = {}
    section = corrections.get("cities")
    if section:
        gone = {_folded(n) for n in section.get("remove", ())}
        cities = [c for c in extraction.cities
                  if _folded(c.name) not in gone and not any(_folded(s) in gone for s in c.surface)]
        for item in section.get("add", ()):
            city = _city(item)
            if not any(c.name == city.name and c.country == city.country for c in cities):
                cities.append(city)
        changes["cities"] = tuple(cities)
    section = corrections.get("dates")
    if section:
        gone = set(section.get("remove", ()))
        dates = [d for d in extraction.dates if d.value not in gone]
        for item in section.get("add", ()):
            if not any(d.value == item["value"] and d.end == item.get("end") for d in dates):
                dates.append(DateMention(item["value"], item.get("surface", item["value"]),
                                         item.get("role", "reference"), item.get("end")))
        changes["dates"] = tuple(dates)
    section = corrections.get("commitments")
    if section:
        gone = {_folded(t) for t in section.get("remove", ())}
        commitments = [c for c in extraction.commitments if _folded(c.text) not in gone]
        themes = list(extraction.themes)
        for item in section.get("add", ()):
            if any(_folded(c.text) == _folded(item["text"]) for c in commitments):
                continue
            found = tuple(sorted(_themes(item["text"])))
            commitments.append(Commitment(item["text"], item.get("actor", ""), found))
            themes += [t for t in found if t not in themes]
        changes["commitments"] = tuple(commitments)
        changes["themes"] = tuple(themes)
    section = corrections.get("organisations")
    if section:
        gone = {_folded(n) for n in section.get("remove", ())}
        organisations = [o for o in extraction.organisations if _folded(o.name) not in gone]
        for item in section.get("add", ()):
            if not any(_folded(o.name) == _folded(item["name"]) for o in organisations):
                organisations.append(Organisation(item["name"], (item["name"],)))
        changes["organisations"] = tuple(organisations)
    return replace(extraction, **changes)


def _themes(text: str) -> list[str]:
    from model.vocabulary import load_vocabulary
    return list(load_vocabulary().themes_in(text))

