"""YAML front matter: parsing and validation of the fields DESIGN.md defines."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from model.fields import BY_NAME, FRONT_MATTER
from model.record import DOCUMENT_TYPES, ISO_DATE, LANGUAGES, is_calendar_date

from .errors import DocumentError, shown

FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,199}$")
LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")
KNOWN_FIELDS = set(FRONT_MATTER)
STATUSES = BY_NAME["status"].values


# Front matter is a flat mapping of fields; staff corrections nest four levels deep.
MAX_DEPTH = 10
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Refused(yaml.MarkedYAMLError):
    """YAML that front matter does not take, with where it is."""

    def __init__(self, problem: str, mark):
        super().__init__(problem=problem, problem_mark=mark)


class _Loader(_BASE_LOADER):
    """Safe YAML that leaves dates as text (validated here, with our own messages) and
    refuses a key given twice (the last one would silently win). With libyaml's parser
    when PyYAML has it (profiled: the pure-Python parser was a third of a warm `kb
    index`); ``_check_events`` refuses anchors and depth before anything is composed."""

    def construct_mapping(self, node, deep=False):
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.setdefault(key, key_node.start_mark.line)
            except TypeError:          # a list or mapping as a key: the constructor says so
                continue
            if first != key_node.start_mark.line:
                raise _Refused(f"the key {shown(key)} is given twice (lines {first + 2} and "
                               f"{key_node.start_mark.line + 2}): keep one", key_node.start_mark)
        return super().construct_mapping(node, deep=deep)


def _check_events(raw: str) -> None:
    """Refuse what people do not write in front matter but an attacker would, reading the
    parser's events only: anchors and aliases (a "billion laughs" alias bomb expands 600
    bytes into gigabytes) and nesting deeper than ``MAX_DEPTH`` (thousands of ``[``
    exhaust the recursion of a composer)."""
    depth = 0
    for event in yaml.parse(raw, Loader=_BASE_LOADER):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused("anchors and aliases (&name, *name) are not allowed in front matter; "
                           "write each value out", event.start_mark)
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH + 1:          # the front matter's own mapping is the first
                raise _Refused(f"values nested more than {MAX_DEPTH} levels deep", event.start_mark)
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def split(text: str, path: Path) -> tuple[dict[str, Any], str, int]:
    """Split ``text`` into (front matter mapping, body, line number where the body starts).

    Text that does not start with a ``---`` line has no front matter.
    """
    if not text.startswith("---"):
        return {}, text, 1
    first_newline = text.find("\n")
    if first_newline == -1 or text[:first_newline].strip() != "---":
        return {}, text, 1
    closing = FENCE.search(text, first_newline + 1)
    if closing is None:
        raise DocumentError(path, "front matter opened with '---' is never closed", line=1)
    raw = text[first_newline + 1:closing.start()]
    try:
        if raw.strip():
            _check_events(raw)
        data = yaml.load(raw, Loader=_Loader) if raw.strip() else {}
    except (RecursionError, MemoryError):
        raise DocumentError(path, "the front matter is too deeply nested or too large to read", line=2) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark is not None and mark.line >= raw.count("\n"):
            # The problem shows only at the end: point at where the broken value began.
            mark = getattr(exc, "context_mark", None) or mark
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        if "nesting depth" in problem:   # libyaml's own limit, met before the events say more
            problem = f"values nested more than {MAX_DEPTH} levels deep"
        raise DocumentError(path, f"invalid YAML in front matter: {problem}", line=line) from None
    if not isinstance(data, dict):
        raise DocumentError(path, "front matter must be a mapping of fields (key: value)", line=2)
    body_start = text.count("\n", 0, closing.end()) + 2
    return data, text[closing.end():].lstrip("\n"), body_start


def validate(meta: dict[str, Any], path: Path) -> dict[str, Any]:
    """Check and normalise front-matter fields; raise DocumentError on the first problem."""
    unknown = sorted(map(str, set(meta) - KNOWN_FIELDS))
    if unknown:
        names = ", ".join(name if len(name) <= 60 else shown(name) for name in unknown[:10])
        raise DocumentError(path, f"unknown front-matter field(s): {names}" + (" …" if len(unknown) > 10 else ""))
    clean = dict(meta)
    for name in ("id", "title", "type", "language", "source_url", "translation_key",
                 "original", "status"):
        if name in clean and clean[name] is not None and not isinstance(clean[name], str):
            raise DocumentError(path, f"'{name}' must be text, got {shown(clean[name])}")
    if clean.get("id") is not None and not ID_PATTERN.match(clean["id"]):
        raise DocumentError(path, f"'id' {shown(clean['id'])} must be lower-case letters, digits, '.', '_' or '-'")
    if clean.get("type") is not None and clean["type"] not in DOCUMENT_TYPES:
        raise DocumentError(path, f"unknown type {shown(clean['type'])}; expected one of {', '.join(DOCUMENT_TYPES)}")
    if clean.get("language") is not None and not LANGUAGE_CODE.match(clean["language"]):
        raise DocumentError(path, f"'language' {shown(clean['language'])} must be a two-letter ISO 639-1 code such as {' or '.join(LANGUAGES)}")
    if clean.get("status") is not None and clean["status"] not in STATUSES:
        raise DocumentError(path, f"unknown status {shown(clean['status'])}; expected one of {', '.join(STATUSES)}")
    if "date" in clean and clean["date"] is not None:
        clean["date"] = normalise_date(clean["date"], path)
    orgs = clean.get("organisations")
    if orgs is not None:
        if isinstance(orgs, str):
            orgs = [orgs]
        if not isinstance(orgs, list) or not all(isinstance(o, str) for o in orgs):
            raise DocumentError(path, "'organisations' must be a list of names")
        clean["organisations"] = [o.strip() for o in orgs if o.strip()]
    return clean


def normalise_date(value: Any, path: Path) -> str:
    """Front-matter dates: a YAML date, or text ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if not ISO_DATE.match(text):
        raise DocumentError(path, f"'date' {shown(value)} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    if not is_calendar_date(text):
        raise DocumentError(path, f"'date' {shown(text)} is not a real calendar date")
    return text
