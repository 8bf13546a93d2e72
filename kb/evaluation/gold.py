"""Reading gold annotations: the project's gold file and the dev set's format.

Two formats are read:

- the project's gold file (``tests/gold/extraction/gold.yaml``): a list of documents,
  each naming its ``path`` (repository-relative) and its ``cities``, ``dates``,
  ``commitments`` and ``organisations``;
- a dev set folder (``../shared/devset``): ``gold.yaml`` holds ``documents:``, each with
  an ``id``, its ``file`` (relative to the folder), ``language``, ``published``, and
  ``cities``, ``not_cities``, ``dates`` and ``commitments`` (with ``kind`` and
  ``actor``); items may be ``uncertain: true``.

Documents are split into two fixed halves by their id (``half``): odd numbers are ``A``,
even numbers ``B``. Translation pairs of the dev set (001↔021, 002↔022…) fall in the
same half, so a half never sees the other language version of a document of the other.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

import yaml

HALVES = ("A", "B")


class GoldError(ValueError):
    """The gold file is malformed."""



@dataclass(frozen=True)
class GoldQuery:
    """A search query with the documents it should find, graded (``kb.relevance``)."""
    query: str
    language: str
    cross_language: bool
    relevant: dict[str, int]   # id → grade
    id: str = ""
    half: str = ""             # the half of the gold set the query belongs to, if it has halves

@dataclass(frozen=True)
class GoldDocument:
    path: str                                   # the file to extract from
    cities: tuple[dict, ...] = ()
    dates: tuple[dict, ...] = ()
    commitments: tuple[dict, ...] = ()
    organisations: tuple[str, ...] = ()
    not_cities: tuple[str, ...] = ()
    language: str | None = None                 # the gold language, when the gold says
    published: str | None = None                # the document's date, for yearless dates
    id: str = ""

    @property
    def name(self) -> str:
        return self.id or self.path

    @property
    def half(self) -> str:
        """"A" or "B": the fixed half of the dev set this document belongs to.

        >>> GoldDocument("docs/007.txt", id="007").half, GoldDocument("x.md").half
        ('A', 'B')
        """
        digits = re.findall(r"\d+", self.id or self.path)
        return "A" if digits and int(digits[-1]) % 2 else "B"


def _iso(value: Any) -> str:
    """YAML may read 2016-04-01 as a date and 2016 as a number: back to ISO text."""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _items(entry: dict, key: str, where: str, required: Sequence[str]) -> Iterable[dict]:
    items = entry.get(key) or []
    if not isinstance(items, list):
        raise GoldError(f"{where}: '{key}' must be a list")
    for item in items:
        if not isinstance(item, dict) or any(item.get(name) is None or item.get(name) == "" for name in required):
            raise GoldError(f"{where}: each of '{key}' needs {', '.join(required)}")
        yield item


def _fields(entry: dict, where: str) -> dict[str, tuple]:
    """The annotated items of one entry, with YAML's surprises undone."""
    # YAML 1.1 reads an unquoted NO (Norway) as false
    cities = tuple({**c, "country": "NO" if c["country"] is False else str(c["country"])}
                   for c in _items(entry, "cities", where, required=("name", "country")))
    dates = tuple({**d, "value": _iso(d["value"]), **({"end": _iso(d["end"])} if d.get("end") else {})}
                  for d in _items(entry, "dates", where, required=("value",)))
    commitments = tuple(_items(entry, "commitments", where, required=("text",)))
    organisations = entry.get("organisations") or []
    if not isinstance(organisations, list):
        raise GoldError(f"{where}: 'organisations' must be a list")
    names = tuple(o["name"] if isinstance(o, dict) else str(o) for o in organisations)
    not_cities = tuple(str(n["surface"]) if isinstance(n, dict) else str(n)
                       for n in entry.get("not_cities") or ())
    return {"cities": cities, "dates": dates, "commitments": commitments,
            "organisations": names, "not_cities": not_cities}


def parse_gold(data: Any) -> list[GoldDocument]:
    """GoldDocuments from the project's gold file (a list of documents with a ``path``).

    >>> parse_gold([{"path": "a.md", "dates": [{"value": 2016}], "organisations": ["AIMF"]}])[0].dates
    ({'value': '2016'},)
    """
    if not isinstance(data, list):
        raise GoldError("the gold file must be a list of documents")
    documents = []
    for number, entry in enumerate(data, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            raise GoldError(f"gold entry #{number}: needs a 'path'")
        documents.append(GoldDocument(entry["path"], **_fields(entry, f"gold entry #{number} ({entry['path']})")))
    return documents


def parse_devset(data: Any, folder: Path) -> list[GoldDocument]:
    """GoldDocuments from a dev set's ``gold.yaml`` (``documents:`` with ``id`` and ``file``)."""
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise GoldError("a dev set's gold.yaml must hold 'documents:', a list")
    documents = []
    for number, entry in enumerate(data["documents"], start=1):
        if not isinstance(entry, dict) or not entry.get("id") or not isinstance(entry.get("file"), str):
            raise GoldError(f"gold document #{number}: needs an 'id' and a 'file'")
        doc_id = str(entry["id"])
        published = _iso(entry["published"]) if entry.get("published") else None
        documents.append(GoldDocument(str(folder / entry["file"]), language=entry.get("language"),
                                      published=published, id=doc_id,
                                      **_fields(entry, f"gold document {doc_id}")))
    return documents


def load_gold(path) -> list[GoldDocument]:
    """Gold documents from a gold file, or from a dev set folder (its ``gold.yaml``)."""
    path = Path(path)
    gold_file = path / "gold.yaml" if path.is_dir() else path
    try:
        with open(gold_file, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except OSError as exc:
        raise GoldError(f"{gold_file}: cannot read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise GoldError(f"{gold_file}: not valid YAML: {exc}") from None
    if isinstance(data, dict):
        return parse_devset(data, gold_file.parent)
    return parse_gold(data)
