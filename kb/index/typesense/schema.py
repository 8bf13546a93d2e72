"""What a Record becomes in Typesense, and back.

Typesense 0.24 has no stemming, and a field with ``locale: fr`` keeps accents, so the
project analyses the text itself, with the very analysers of the Whoosh schema (French
and English: elisions removed, stop words dropped, Snowball stems, accents folded) and
sends the result as one array of terms, ``terms``, each prefixed by the field it comes
from: ``f.hain`` (body in French), ``e.hate`` (body in English), ``o.`` (other
languages), ``t.`` (title), ``c.`` (city names). Two consecutive terms are sent as one
more term (``f.vivr.ensembl``), so a phrase of two words is one exact lookup. Queries
are analysed the same way (``terms_of``) and matched with ``filter_by`` on that array:
the project's boolean semantics, exactly. The raw text and what a Record needs are
stored beside it, not indexed (snippets are marked on the raw text by the project's own
highlighter, see ``searching.py``).
"""
from __future__ import annotations

import hashlib
import json

from model.fields import BY_NAME, FACETS, NO_VALUE, facet_values
from model.record import Extraction, Record, text_key

from ..whoosh.schema import BODY_FIELDS, OTHER_BODY_FIELD, SEARCH_FIELDS, build_schema  # noqa: F401
from .ranking import body_statistics

# Bump when fields or analysis change: a collection of another format is rebuilt.
FORMAT = "ts3." + hashlib.sha256(repr([(BY_NAME[n].name, BY_NAME[n].many) for n in FACETS]).encode()
                                 ).hexdigest()[:8]

NAMESPACES = {"title": "t", "body_fr": "f", "body_en": "e", OTHER_BODY_FIELD: "o", "city_names": "c"}
EVERY = "k.doc"          # a term every document has: a ranking query always matches
NOTHING = "k.none"       # a term no document has
WORD = "w"               # the vocabulary's namespace of words as written (corrections)
WHOOSH_SCHEMA = build_schema()   # the project's analysers, one per search field


_WORDS: dict[str, dict[str, tuple[str, ...]]] = {}
_MAX_WORDS = 500_000


def analyse(field: str, text: str) -> list[str]:
    """The terms of ``text`` in search field ``field`` (title, body_fr…), in order.

    The analysers are a regex tokenizer followed by filters that each see one token, so
    each distinct word is analysed once and remembered (a build analyses every document:
    this is most of its time)."""
    return _analysed(field, text)


def _analysed(field: str, text: str) -> list[str]:
    analyzer = WHOOSH_SCHEMA[field].analyzer
    expression = analyzer.items[0].expression
    cache = _WORDS.setdefault(field, {})
    if len(cache) > _MAX_WORDS:
        cache.clear()
    out: list[str] = []
    for match in expression.finditer(text):
        word = match.group(0)
        found = cache.get(word)
        if found is None:
            found = cache[word] = tuple(_clean(t.text) for t in analyzer(word))
        out.extend(found)
    return out


def query_terms(field: str, text: str) -> list[str]:
    """The terms of a query word in ``field``, as the Whoosh parser analyses it."""
    return [_clean(t) for t in WHOOSH_SCHEMA[field].process_text(text, mode="query")]


def words(text: str) -> list[str]:
    """Words as written (lower case, elisions removed, accents kept): the suggestions."""
    return _analysed("words", text)


def _clean(term: str) -> str:
    # Typesense drops apostrophes from tokens (they are not in symbols_to_index); drop
    # them here too, at index and query time alike, so that a term is one token.
    return term.replace("'", "").replace("’", "").replace("`", "")


def term(field: str, value: str) -> str:
    return f"{NAMESPACES[field]}.{value}"


def bigram(field: str, first: str, second: str) -> str:
    return f"{NAMESPACES[field]}.{first}.{second}"


def hashed(value: str) -> str:
    """An exact-match key for values Typesense would tokenise (paths, translation keys)."""
    return hashlib.sha1(value.encode("utf-8")).hexdigest()[:24] if value else ""


def order_key(doc_id: str) -> int:
    """A number of its own for each document: the order of results that tie on everything
    else, the same in every search (Typesense's own order of ties is not the same across
    the language lanes a page merges)."""
    return int(hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[:15], 16)


def date_key(date: str | None) -> int:
    """``2018-07`` → 20180700: the order of ISO prefixes as strings, as an integer."""
    if not date:
        return 0
    parts = (date.split("-") + ["00", "00"])[:3]
    return int(parts[0]) * 10000 + int(parts[1]) * 100 + int(parts[2])


def collection_schema(name: str) -> dict:
    facets = [{"name": n, "type": "string[]" if BY_NAME[n].many else "string", "facet": True,
               "optional": True} for n in FACETS]
    return {
        "name": name,
        "symbols_to_index": ["."],
        "default_sorting_field": "date_key",
        "fields": [
            {"name": "terms", "type": "string[]"},
            {"name": "path_key", "type": "string"},
            {"name": "text_key", "type": "string"},
            {"name": "tkey", "type": "string", "optional": True},
            {"name": "group", "type": "string", "facet": True},
            {"name": "status", "type": "string"},
            {"name": "date_key", "type": "int64"},
            {"name": "order_key", "type": "int64"},
            *facets,
        ],
    }


def fields_for(record: Record) -> dict:
    """The Typesense document of one Record (stored fields beside the indexed ones)."""
    extraction = record.extraction
    body_field = BODY_FIELDS.get(record.language, OTHER_BODY_FIELD)
    sources = {
        "title": record.title,
        body_field: f"{record.title}\n\n{record.body}",
        "city_names": "\n".join(name for c in extraction.cities for name in (c.name, *c.surface)),
    }
    terms = {EVERY}
    statistics = {}
    for field, text in sources.items():
        found = analyse(field, text)
        terms.update(term(field, t) for t in found)
        terms.update(bigram(field, a, b) for a, b in zip(found, found[1:]))
        if field == body_field:
            statistics = body_statistics([term(field, t) for t in found])
    facets = {name: [v for v in values if v != NO_VALUE]
              for name, values in facet_values(record).items()}
    facets = {name: (values if BY_NAME[name].many else values[0])
              for name, values in facets.items() if values}
    meta = {"source_url": record.source_url, "original": record.original,
            "organisations": list(record.organisations), "extraction": extraction.to_dict()}
    return {
        "id": record.id,
        "terms": sorted(terms),
        "path_key": hashed(record.path),
        "text_key": text_key(record.body),
        "tkey": hashed(record.translation_key or ""),
        "group": hashed(record.translation_key or record.id),
        "status": record.status,
        "date_key": date_key(record.date),
        "order_key": order_key(record.id),
        **facets,
        # stored, not indexed
        "path": record.path, "fingerprint": record.fingerprint, "title": record.title,
        "date": record.date or "", "translation_key": record.translation_key or "",
        "body": record.body, "meta": json.dumps(meta, ensure_ascii=False),
        "doc_type": record.type, "doc_language": record.language, **statistics,
    }


def record_of(document: dict) -> Record:
    """The Record whose document ``fields_for`` made."""
    meta = json.loads(document.get("meta") or "{}")
    return Record(
        id=document["id"], title=document.get("title", ""), type=document.get("doc_type", ""),
        language=document.get("doc_language", ""), body=document.get("body", ""),
        path=document.get("path", ""), fingerprint=document.get("fingerprint", ""),
        date=document.get("date") or None, source_url=meta.get("source_url"),
        translation_key=document.get("translation_key") or None, original=meta.get("original"),
        status=document.get("status") or "published",
        organisations=tuple(meta.get("organisations") or ()),
        extraction=Extraction.from_dict(meta.get("extraction") or {}))


STORED_ONLY = "terms"          # left out of what searches return (exclude_fields)
