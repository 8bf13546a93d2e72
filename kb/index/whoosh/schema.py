"""The one Whoosh schema: fields, analyzers, and the mapping between a Record and its
fields (``fields_for`` one way, ``record_of`` back). Only this engine's package knows
these field names; above ``kb.index`` the project speaks of Records and typed results.
"""
from __future__ import annotations

import hashlib
import json
import re

from whoosh import fields
from whoosh.analysis import (CharsetFilter, Filter, LowercaseFilter, RegexTokenizer,
                             StemFilter, StopFilter)
from whoosh.support.charset import accent_map

from model.fields import BY_NAME, FACETS, facet_values
from model.record import Extraction, Record, text_key

from ..analysis import ELIDED, STOP_WORDS

# Bump the number when fields or analyzers change: an index with another version is
# rebuilt. The facets of model.fields are part of it, so a new facet rebuilds by itself.
SCHEMA_VERSION = "4." + hashlib.sha256(repr([(BY_NAME[name].name, BY_NAME[name].many)
                                             for name in FACETS]).encode()).hexdigest()[:8]

BODY_FIELDS = {"fr": "body_fr", "en": "body_en"}
OTHER_BODY_FIELD = "body_other"
SEARCH_FIELDS = ("title", "body_fr", "body_en", "body_other", "city_names")
FACET_FIELDS = FACETS
GROUP_FIELD = "group"      # translation_key, or the id: one search result per group
WORDS_FIELD = "words"      # unstemmed words with their accents: suggestions and typo tolerance
CITY_NAMES_FIELD = "city_names"   # normalized city names and their surface forms

_ELISION = re.compile(r"^(?:" + "|".join(ELIDED) + r")['’]", re.IGNORECASE)
_FRENCH_WORD = r"\w+(?:['’]\w+)*"


class ElisionFilter(Filter):
    """Drops French elided articles and pronouns: ``l'extrémisme`` → ``extrémisme``."""

    def __call__(self, tokens):
        for token in tokens:
            stripped = _ELISION.sub("", token.text)
            if stripped:
                token.text = stripped
                yield token


def french_analyzer():
    """Words with elisions removed, lower-cased, stop words dropped, stemmed, accents folded."""
    return (RegexTokenizer(_FRENCH_WORD) | LowercaseFilter() | ElisionFilter()
            | StopFilter(stoplist=STOP_WORDS) | StemFilter(lang="fr")
            | CharsetFilter(accent_map))


def english_analyzer():
    """Lower-cased, stop words dropped, Snowball-stemmed, accents folded."""
    return (RegexTokenizer(r"\w+") | LowercaseFilter() | StopFilter(stoplist=STOP_WORDS)
            | StemFilter(lang="en") | CharsetFilter(accent_map))


def neutral_analyzer():
    """No stemming, stop words dropped: for titles and bodies in languages without their own analyzer."""
    return (RegexTokenizer(_FRENCH_WORD) | LowercaseFilter() | ElisionFilter()
            | StopFilter(stoplist=STOP_WORDS) | CharsetFilter(accent_map))


def words_analyzer():
    """Lower-cased words with elisions removed, accents kept: what suggestions show."""
    return RegexTokenizer(_FRENCH_WORD) | LowercaseFilter() | ElisionFilter()


def build_schema() -> fields.Schema:
    keyword = dict(commas=True, lowercase=False, scorable=False)
    facets = {name: fields.KEYWORD(**keyword) if BY_NAME[name].many else fields.ID for name in FACETS}
    # type and language are stored too: a Record is rebuilt from the stored fields
    facets.update(type=fields.ID(stored=True), language=fields.ID(stored=True))
    return fields.Schema(
        **facets,
        id=fields.ID(stored=True, unique=True),
        path=fields.ID(stored=True),
        fingerprint=fields.STORED,
        text_key=fields.ID,          # the hash of the text (model.record.text_key): duplicates
        title=fields.TEXT(analyzer=neutral_analyzer(), stored=True, field_boost=2.0),
        date=fields.ID(stored=True, sortable=True),
        status=fields.ID(stored=True),
        translation_key=fields.ID(stored=True),
        group=fields.ID(sortable=True),
        words=fields.TEXT(analyzer=words_analyzer(), phrase=False),
        city_names=fields.TEXT(analyzer=neutral_analyzer(), phrase=True),
        body_fr=fields.TEXT(analyzer=french_analyzer(), phrase=True),
        body_en=fields.TEXT(analyzer=english_analyzer(), phrase=True),
        body_other=fields.TEXT(analyzer=neutral_analyzer(), phrase=True),
        body=fields.STORED,
        meta=fields.STORED,
    )


def _keywords(values) -> str:
    return ",".join(sorted({v.replace(",", " ") for v in values if v}))


def fields_for(record: Record) -> dict:
    """The index fields of one Record. The only code that maps Records to fields."""
    extraction = record.extraction
    body_field = BODY_FIELDS.get(record.language, OTHER_BODY_FIELD)
    meta = {
        "source_url": record.source_url,
        "original": record.original,
        "organisations": list(record.organisations),
        "extraction": extraction.to_dict(),
    }
    facets = {name: _keywords(values) for name, values in facet_values(record).items()}
    return {
        "id": record.id,
        "path": record.path,
        "fingerprint": record.fingerprint,
        "text_key": text_key(record.body),
        "title": record.title,
        "date": record.date or "",
        "status": record.status,
        "translation_key": record.translation_key or "",
        "group": record.translation_key or record.id,
        "words": f"{record.title}\n{record.body}",
        "city_names": "\n".join(name for c in extraction.cities for name in (c.name, *c.surface)),
        body_field: f"{record.title}\n\n{record.body}",
        "body": record.body,
        "meta": json.dumps(meta, ensure_ascii=False),
        **facets,
    }


def record_of(stored: dict) -> Record:
    """The Record whose fields ``fields_for`` made (from a document's stored fields)."""
    meta = json.loads(stored.get("meta") or "{}")
    return Record(
        id=stored["id"], title=stored.get("title", ""), type=stored.get("type", ""),
        language=stored.get("language", ""), body=stored.get("body", ""), path=stored.get("path", ""),
        fingerprint=stored.get("fingerprint", ""), date=stored.get("date") or None,
        source_url=meta.get("source_url"), translation_key=stored.get("translation_key") or None,
        original=meta.get("original"), status=stored.get("status") or "published",
        organisations=tuple(meta.get("organisations") or ()),
        extraction=Extraction.from_dict(meta.get("extraction") or {}))
