"""The Record: one immutable value per document (metadata + text + extractions).

The extraction part follows the ``kb extract --json`` contract in DESIGN.md;
``Extraction.to_dict()`` produces exactly that shape.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

DOCUMENT_TYPES = ("declaration", "press_release", "invitation", "guide", "report",
                  "statement", "article", "unknown")
LANGUAGES = ("fr", "en")
# An ISO date as the knowledge base writes them: YYYY, YYYY-MM or YYYY-MM-DD (groups: year, month, day).
ISO_DATE = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$")
# The same, to the day of the calendar (30 April, 28 or 29 February), in the syntax of
# JSON Schema (the API's description says it): ASCII digits, leap years of the Gregorian
# calendar (every fourth year, not every hundredth, every four-hundredth).
_DAY = "(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))"
_LEAP = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)"
CALENDAR_DATE_PATTERN = (f"^(?:[0-9]{{4}}(?:-(?:0[1-9]|1[0-2]))?|[0-9]{{4}}-{_DAY}|{_LEAP}-02-29)$")
_CALENDAR_DATE = re.compile(CALENDAR_DATE_PATTERN)


def is_calendar_date(text: str) -> bool:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, a day the calendar has.

    >>> [is_calendar_date(t) for t in ("2016", "2016-04", "2024-02-29", "2023-02-29", "2020-13-45", "2016\\n")]
    [True, True, True, False, False, False]
    """
    return bool(_CALENDAR_DATE.fullmatch(text))


@dataclass(frozen=True)
class City:
    name: str
    country: str
    geonameid: int
    lat: float
    lon: float
    surface: tuple[str, ...] = ()
    count: int = 1
    roles: tuple[str, ...] = ("mentioned",)


@dataclass(frozen=True)
class DateMention:
    value: str
    surface: str
    role: str = "reference"
    end: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = {"value": self.value, "surface": self.surface, "role": self.role}
        if self.end:
            data["end"] = self.end
        return data


COMMITMENT_KINDS = ("pledge", "call", "need", "resolution")


@dataclass(frozen=True)
class ActorEntity:
    """What a commitment's actor resolves to: a city (with its country) or an organisation."""
    type: str                      # "city" | "organisation"
    name: str
    country: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = {"type": self.type, "name": self.name}
        if self.country:
            data["country"] = self.country
        return data


@dataclass(frozen=True)
class Commitment:
    text: str
    actor: str = ""
    themes: tuple[str, ...] = ()
    kind: str = "pledge"           # one of COMMITMENT_KINDS
    actor_entities: tuple[ActorEntity, ...] = ()
    deadline: str | None = None    # ISO date by which the commitment is to be met, if it says

    def to_dict(self) -> dict[str, Any]:
        data = {"text": self.text, "kind": self.kind, "actor": self.actor,
                "actor_entities": [e.to_dict() for e in self.actor_entities],
                "themes": list(self.themes)}
        if self.deadline:
            data["deadline"] = self.deadline
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Commitment":
        return cls(text=data["text"], actor=data.get("actor", ""),
                   themes=tuple(data.get("themes", ())), kind=data.get("kind", "pledge"),
                   actor_entities=tuple(ActorEntity(**e) for e in data.get("actor_entities", ())),
                   deadline=data.get("deadline"))


@dataclass(frozen=True)
class Organisation:
    name: str
    surface: tuple[str, ...] = ()


@dataclass(frozen=True)
class Extraction:
    language: str = ""
    title: str = ""
    cities: tuple[City, ...] = ()
    dates: tuple[DateMention, ...] = ()
    commitments: tuple[Commitment, ...] = ()
    organisations: tuple[Organisation, ...] = ()
    themes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "title": self.title,
            "cities": [_listify(asdict(c)) for c in self.cities],
            "dates": [d.to_dict() for d in self.dates],
            "commitments": [c.to_dict() for c in self.commitments],
            "organisations": [_listify(asdict(o)) for o in self.organisations],
            "themes": list(self.themes),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Extraction":
        return cls(
            language=data.get("language", ""),
            title=data.get("title", ""),
            cities=tuple(City(**_tuplify(c)) for c in data.get("cities", ())),
            dates=tuple(DateMention(**d) for d in data.get("dates", ())),
            commitments=tuple(Commitment.from_dict(c) for c in data.get("commitments", ())),
            organisations=tuple(Organisation(**_tuplify(o)) for o in data.get("organisations", ())),
            themes=tuple(data.get("themes", ())),
        )


def _listify(data: dict[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}


def _tuplify(data: dict[str, Any]) -> dict[str, Any]:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}


@dataclass(frozen=True)
class Record:
    """A document ready for the index."""
    id: str
    title: str
    type: str
    language: str
    body: str
    path: str                      # relative to the corpus folder, POSIX separators
    fingerprint: str               # content hash of the file (and indexer version)
    date: str | None = None        # ISO: YYYY, YYYY-MM or YYYY-MM-DD
    source_url: str | None = None
    translation_key: str | None = None
    original: str | None = None
    status: str = "published"
    organisations: tuple[str, ...] = ()   # from front matter: human decisions
    extraction: Extraction = field(default_factory=Extraction)

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None


def text_key(plain: str) -> str:
    """The content hash of a document's text, for finding duplicates: NFC, whitespace
    and case folded."""
    folded = " ".join(unicodedata.normalize("NFC", plain).split()).casefold()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()
