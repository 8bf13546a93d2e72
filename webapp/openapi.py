"""The OpenAPI document served at ``/api/openapi.json``: the routes and response types
written in ``openapi.json``, and what depends on the fields of a document generated from
``model.fields`` (each facet's parameter and its counts in the ``Facets`` schema), so
that a new facet is described without anyone editing the document."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from kb.config import Settings
from kb.search import MAX_PAGE
from model.fields import BY_NAME, FACETS
from model.record import CALENDAR_DATE_PATTERN

BASE = Path(__file__).with_name("openapi.json")
FACETS_AFTER = "#/components/parameters/skip"      # in every search route, the facets follow it
DATES = ("from", "to")         # empty, or a day of the calendar (model.record.CALENDAR_DATE_PATTERN)


def facet_parameter(name: str) -> dict:
    field = BY_NAME[name]
    items: dict = {"type": "string"}
    if field.values:
        items["enum"] = list(field.values)
    if field.pattern:
        items["pattern"] = field.pattern
    parameter = {"name": name, "in": "query",
                 "description": field.help + " Repeat to combine values with OR; facets combine with AND.",
                 "schema": {"type": "array", "items": items}, "style": "form", "explode": True}
    if field.example:
        parameter["example"] = [field.example]
    return parameter


def bound(parameters: dict, settings: Settings) -> None:
    """What every request may ask (``webapp.limits``, ``kb.search``), said in the schemas
    of the ``parameters``: values of a facet or filter (not empty, at most
    ``max_facet_values``), the length of a value, the pages, the page size, the dates."""
    for parameter in parameters.values():
        if parameter["in"] != "query":
            continue
        schema = parameter["schema"]
        if schema["type"] == "array":
            schema["maxItems"] = settings.max_facet_values
            schema["items"].update(minLength=1, maxLength=settings.max_query_length)
        elif schema["type"] == "string" and "enum" not in schema:
            schema["maxLength"] = settings.max_query_length
    for name in DATES:
        parameters[name]["schema"]["pattern"] = f"^$|{CALENDAR_DATE_PATTERN}"
    parameters["page"]["schema"]["maximum"] = MAX_PAGE
    parameters["size"]["schema"]["maximum"] = settings.max_page_size


@lru_cache(maxsize=4)
def document(settings: Settings = Settings()) -> dict:
    """The whole document, for the bounds of ``settings`` (built once per process)."""
    spec = json.loads(BASE.read_text(encoding="utf-8"))
    components = spec["components"]
    facets = components["schemas"]["Facets"]
    facets["properties"] = {name: {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}}
                            for name in FACETS}
    facets["required"] = list(FACETS)
    for name in FACETS:
        components["parameters"][f"facet_{name}"] = facet_parameter(name)
    bound(components["parameters"], settings)
    references = [{"$ref": f"#/components/parameters/facet_{name}"} for name in FACETS]
    for route in spec["paths"].values():
        for operation in route.values():
            parameters = operation.get("parameters", [])
            for position, parameter in enumerate(parameters):
                if parameter.get("$ref") == FACETS_AFTER:
                    parameters[position + 1:position + 1] = references
                    break
    return spec


@lru_cache(maxsize=4)
def text(settings: Settings = Settings()) -> str:
    return json.dumps(document(settings), ensure_ascii=False, indent=1)
