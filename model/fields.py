"""What the knowledge base declares about a document's fields, whatever the engine: the
facets and their order, the fields a query may name, and the facet values of a Record.

Engines (``kb/index/<engine>/``) index these values as they see fit; everything above
the index interface speaks of them by these names.
"""
from __future__ import annotations

from .record import Record

# Facets, in the order pages show them. Values of one facet combine with OR, facets with AND.
FACETS = ("type", "language", "year", "city", "country", "organisation", "theme",
          "has_commitments")
# Fields a query may name (``title:melbourne``).
QUERY_FIELDS = ("title", "type", "language", "year", "city", "country", "organisation", "theme")
NO_VALUE = "none"      # the facet value of a document that has none (never shown)


def organisations(record: Record) -> list[str]:
    """Front matter and extracted organisations, once each, sorted."""
    return sorted({*record.organisations, *(o.name for o in record.extraction.organisations)})


def facet_values(record: Record) -> dict[str, tuple[str, ...]]:
    """Every facet's values for ``record`` (``NO_VALUE`` when it has none)."""
    extraction = record.extraction

    def values(found) -> tuple[str, ...]:
        return tuple(sorted({v for v in found if v})) or (NO_VALUE,)

    return {
        "type": (record.type,),
        "language": (record.language,),
        "year": (str(record.year),) if record.year else (NO_VALUE,),
        "city": values(c.name for c in extraction.cities),
        "country": values(c.country for c in extraction.cities),
        "organisation": values(organisations(record)),
        "theme": values(extraction.themes),
        "has_commitments": ("yes" if extraction.commitments else "no",),
    }
