"""The tantivy schema: fields, their analyzers, and a Record → a tantivy document and back.
Only this package knows these field names.

A document holds, beside its searched text fields, one stored field with the whole
Record as JSON (a Record comes back from it unchanged), its facet values as fast fields
(counted by tantivy's aggregations), and a few keys for lookups and grouping.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import fields as dataclass_fields
from typing import Any

import tantivy

from model.fields import BY_NAME, FACETS, NO_VALUE, facet_values
from model.record import Extraction, Record, text_key

from .analysis import ENGLISH, FRENCH, NEUTRAL, RAW, WORDS, analyses

BODY_FIELDS = {"fr": "body_fr", "en": "body_en"}
OTHER_BODY_FIELD = "body_other"
SEARCH_FIELDS = ("title", "body_fr", "body_en", "body_other", "city_names")
FIELD_BOOSTS = {"title": 2.0}
TEXT_ANALYZERS = {"title": NEUTRAL, "body_fr": FRENCH, "body_en": ENGLISH, "body_other": NEUTRAL,
                  "city_names": NEUTRAL, "words": WORDS}
WORDS_FIELD = "words"          # words as written (accents kept): suggestions, typo tolerance
TRANSLATION_FIELD = "translation_key"   # only documents that have one: grouping counts
GROUP_FIELD = "group"          # translation_key, or the id: one search result per group
GROUP_NUMBER = "group_number"  # the group as a number (fast field): collapsing a page
DATE_FIELD = "date_number"     # YYYYMMDD, 00 for a missing month or day, 0 undated
FILTER_FIELD = "facet_keys"    # facet=value as one hashed token: filters in aggregations
KEY_FIELDS = ("id", "path", "text_key", "status", GROUP_FIELD)
# Stored: the Record (JSON), and what lookups and language versions read without it.
STORED_FIELDS = ("id", "path", "fingerprint", "status", GROUP_FIELD, "title", "language", "record")

# Bump the number when fields or analyzers change: an index of another format is rebuilt.
# The facets of model.fields are part of it, so a new facet rebuilds by itself.
FORMAT = "1." + hashlib.sha256(repr(([(BY_NAME[n].name, BY_NAME[n].many) for n in FACETS],
                                      sorted(TEXT_ANALYZERS.items()),
                                      [(a.name, a.description) for a in analyses().values()])
                                     ).encode()).hexdigest()[:8]


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in KEY_FIELDS:
        builder.add_text_field(name, stored=name in STORED_FIELDS, tokenizer_name=RAW, index_option="basic")
    builder.add_text_field(TRANSLATION_FIELD, tokenizer_name=RAW, index_option="basic", fast=True)
    builder.add_text_field("fingerprint", stored=True, tokenizer_name=RAW, index_option="basic")
    builder.add_bytes_field("record", stored=True)     # stored only: JSON as UTF-8
    for name in FACETS:
        builder.add_text_field(name, tokenizer_name=RAW, index_option="basic", fast=True,
                               stored=name in STORED_FIELDS)
    builder.add_text_field(FILTER_FIELD, tokenizer_name=RAW, index_option="basic")
    builder.add_unsigned_field(GROUP_NUMBER, fast=True)
    builder.add_unsigned_field(DATE_FIELD, indexed=True, fast=True)
    for name, analyzer in TEXT_ANALYZERS.items():
        builder.add_text_field(name, tokenizer_name=analyzer, stored=name in STORED_FIELDS,
                               index_option="freq" if name == WORDS_FIELD else "position")
    return builder.build()


def facet_key(name: str, value: str) -> str:
    """One facet value as a token any query syntax takes as it is (hex)."""
    return hashlib.blake2b(f"{name}\x00{value}".encode(), digest_size=12).hexdigest()


def group_number(group: str) -> int:
    return int.from_bytes(hashlib.blake2b(group.encode(), digest_size=8).digest(), "big")


def date_number(date: str | None) -> int:
    """``2018-07`` → 20180700: ISO prefixes in the order of their strings."""
    if not date:
        return 0
    parts = (date.split("-") + ["0", "0"])[:3]
    try:
        year, month, day = (int(p) for p in parts)
    except ValueError:
        return 0
    return year * 10000 + month * 100 + day


def document_for(record: Record) -> tantivy.Document:
    """The tantivy document of one Record. The only code that maps Records to fields."""
    extraction = record.extraction
    group = record.translation_key or record.id
    fields: dict[str, Any] = {
        "id": record.id, "path": record.path, "fingerprint": record.fingerprint,
        "text_key": text_key(record.body), "status": record.status, GROUP_FIELD: group,
        "title": record.title,
        WORDS_FIELD: f"{record.title}\n{record.body}",
        "city_names": [name for c in extraction.cities for name in (c.name, *c.surface)],
        BODY_FIELDS.get(record.language, OTHER_BODY_FIELD): f"{record.title}\n\n{record.body}",
    }
    if record.translation_key:
        fields[TRANSLATION_FIELD] = record.translation_key
    keys = []
    for name, values in facet_values(record).items():
        keys += [facet_key(name, value) for value in values]
        values = [v for v in values if v != NO_VALUE]     # never shown: not counted
        if values:
            fields[name] = list(values)
    fields[FILTER_FIELD] = keys
    document = tantivy.Document(**fields)
    document.add_bytes("record", json.dumps(record_dict(record), ensure_ascii=False,
                                            separators=(",", ":")).encode())
    document.add_unsigned(GROUP_NUMBER, group_number(group))
    document.add_unsigned(DATE_FIELD, date_number(record.date))
    return document


_RECORD_FIELDS = tuple(f.name for f in dataclass_fields(Record) if f.name != "extraction")


def record_dict(record: Record) -> dict[str, Any]:
    data = {name: getattr(record, name) for name in _RECORD_FIELDS}
    data["extraction"] = record.extraction.to_dict()
    return data


def record_of(stored: bytes) -> Record:
    """The Record of a document's ``record`` field (``record_dict`` as JSON)."""
    data = json.loads(stored)
    data["extraction"] = Extraction.from_dict(data.get("extraction") or {})
    data["organisations"] = tuple(data.get("organisations") or ())
    return Record(**data)
