"""Every field of a document, declared once: what the front matter holds, what is a facet
(and its values for a Record), what a query may name, how the command line and the
interface call it. Front matter, the index schemas, facets and their order, query field
names, ``kb search``'s options, the API's parameters and the interface's labels are all
derived from ``FIELDS``: adding a facet is adding a row here (and its French label). Labels
are ``Message``s, so that ``pybabel extract`` finds them for the interface's catalog.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping

from .messages import Message
from .record import COMMITMENT_KINDS, DOCUMENT_TYPES, Record
from .vocabulary import fold

NO_VALUE = "none"      # the facet value of a document that has none (never shown)


def organisations(record: Record) -> list[str]:
    """Front matter and extracted organisations, once each whatever their case or accents
    (the front matter's spelling first), sorted."""
    names: dict[str, str] = {}
    for name in (*record.organisations, *(o.name for o in record.extraction.organisations)):
        names.setdefault(fold(name), name)
    return sorted(names.values())


@dataclass(frozen=True)
class Field:
    name: str                    # front-matter key, URL parameter, query field, facet name
    label: Message               # in the interface (English; translated in webapp/translations)
    help: str                    # command-line option and API parameter description
    front_matter: bool = False   # staff write it in a document's front matter
    form: bool = False           # on the staff metadata form (and a ``kb add`` option)
    facet: Callable[[Record], Iterable[str]] | None = None   # a facet: the Record's values
    many: bool = False           # a facet with several values per document
    query: bool = False          # ``name:value`` in a query
    option: str = ""             # the ``kb search`` option, when not ``--name``
    values: tuple[str, ...] = ()                              # the allowed values, when fixed
    value_labels: Mapping[str, Message] = field(default_factory=dict)   # values as the interface reads them
    example: str = ""            # a value, for the API's description
    pattern: str = ""            # what every value matches, when not free (a JSON Schema pattern)

    @property
    def is_facet(self) -> bool:
        return self.facet is not None


FIELDS: tuple[Field, ...] = (
    Field("id", Message("Id"), "Stable, unique, URL-safe (lower case).", front_matter=True),
    Field("title", Message("Title"), "Title.", front_matter=True, form=True, query=True),
    Field("type", Message("Type"), f"Document type ({', '.join(DOCUMENT_TYPES)}).", front_matter=True,
          form=True, query=True, example="declaration", facet=lambda r: (r.type,), values=DOCUMENT_TYPES,
          value_labels={"declaration": Message("Declaration"), "press_release": Message("Press release"),
                        "invitation": Message("Invitation"), "guide": Message("Guide"),
                        "report": Message("Report"), "statement": Message("Statement"),
                        "article": Message("Article"), "unknown": Message("Other")}),
    Field("language", Message("Language"), "Document language (ISO 639-1: fr, en).", front_matter=True,
          form=True, query=True, facet=lambda r: (r.language,), option="lang", example="fr",
          value_labels={"fr": Message("French"), "en": Message("English")}),
    Field("date", Message("Date"), "Publication or adoption: YYYY, YYYY-MM or YYYY-MM-DD.", front_matter=True,
          form=True),
    Field("source_url", Message("Source"), "Where the document was published.", front_matter=True, form=True),
    Field("organisations", Message("Organisations"),
          "The organisations that published the document (its citation's authors); searched and "
          "shown with the extracted ones.",
          front_matter=True, form=True),
    Field("translation_key", Message("Translation key"), "Shared by every language version.",
          front_matter=True, form=True),
    Field("original", Message("Original"), "The uploaded original kept beside the .md.", front_matter=True),
    Field("status", Message("Status"), "published, or draft (hidden from the public).", front_matter=True,
          form=True, values=("published", "draft")),
    Field("corrections", Message("Corrections"), "Staff corrections of the extraction.", front_matter=True),
    Field("year", Message("Year"), "Publication year.", query=True, example="2018", pattern="^[0-9]{4}$",
          facet=lambda r: (str(r.year),) if r.year else ()),
    Field("city", Message("City"), "A city named in the document (English gazetteer name).", query=True,
          many=True, example="Brussels", facet=lambda r: (c.name for c in r.extraction.cities)),
    Field("country", Message("Country"), "ISO 3166 alpha-2 code of a city named in the document.",
          query=True, many=True, example="BE", facet=lambda r: (c.country for c in r.extraction.cities)),
    Field("organisation", Message("Organisation"),
          "An organisation of the document (front matter or extracted).",
          query=True, many=True, example="Strong Cities Network", facet=organisations),
    Field("theme", Message("Theme"), "A theme id of the vocabulary.", query=True, many=True,
          example="violent-extremism", facet=lambda r: r.extraction.themes),
    Field("has_commitments", Message("Commitments"), "yes or no: whether commitments were extracted.",
          facet=lambda r: ("yes" if r.extraction.commitments else "no",), values=("yes", "no"), example="yes",
          value_labels={"yes": Message("With commitments"), "no": Message("Without commitments")}),
    Field("kind", Message("Kind of commitment"), "A kind of commitment the document holds (pledge, call, need, "
          "resolution).", many=True, facet=lambda r: (c.kind for c in r.extraction.commitments),
          values=COMMITMENT_KINDS, example="pledge",
          value_labels={"pledge": Message("Pledge"), "call": Message("Call to act"), "need": Message("Need"),
                        "resolution": Message("Resolution")}),
)
BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
FACETS = tuple(f.name for f in FIELDS if f.is_facet)            # in the order pages show them
QUERY_FIELDS = tuple(f.name for f in FIELDS if f.query)
FRONT_MATTER = tuple(f.name for f in FIELDS if f.front_matter)  # in the order files write them
FORM = tuple(f.name for f in FIELDS if f.form)                  # the staff metadata form


def facet_values(record: Record) -> dict[str, tuple[str, ...]]:
    """Every facet's values for ``record`` (``NO_VALUE`` when it has none)."""
    out = {}
    for name in FACETS:
        values = tuple(sorted({v for v in BY_NAME[name].facet(record) if v}))
        out[name] = values or (NO_VALUE,)
    return out


def value_problem(name: str, value: str, like: str = "") -> Message | None:
    """Why ``value`` cannot be a value of the facet or filter ``name`` (an empty one, one
    that is not among fixed ``values``, one that does not match ``pattern``; the rules of
    the field ``like`` when given), or None.

    >>> print(value_problem("kind", "promise"))
    'kind' is one of pledge, call, need, resolution, not 'promise'.
    >>> print(value_problem("year", "20x")), value_problem("city", "Paris")
    'year' must be a year such as 2016, not '20x'.
    (None, None)
    """
    field = BY_NAME.get(like or name)
    if not value:
        return Message("'%(name)s' is empty: give a value or leave it out.", name=name)
    if field is not None and field.values and value not in field.values:
        return Message("'%(name)s' is one of %(values)s, not %(value)s.", name=name,
                       values=", ".join(field.values), value=repr(value[:60]))
    if field is not None and field.pattern and not re.fullmatch(field.pattern, value):
        return Message("'%(name)s' must be a year such as 2016, not %(value)s.", name=name, value=repr(value[:60]))
    return None
