"""The OpenAPI document served at ``/api/openapi.json``: the routes and response types
written in ``openapi.json``, and what depends on the fields of a document generated from
``model.fields`` (each facet's parameter and its counts in the ``Facets`` schema), so
that a new facet is described without anyone editing the document."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from model.fields import BY_NAME, FACETS

BASE = Path(__file__).with_name("openapi.json")
FACETS_AFTER = "#/components/parameters/skip"      # in every search route, the facets follow it


def facet_parameter(name: str) -> dict:
    field = BY_NAME[name]
    parameter = {"name": name, "in": "query",
                 "description": field.help + " Repeat to combine values with OR; facets combine with AND.",
                 "schema": {"type": "array", "items": {"type": "string"}}, "style": "form", "explode": True}
    if field.example:
        parameter["example"] = [field.example]
    return parameter


@lru_cache(maxsize=1)
def document() -> dict:
    """The whole document (built once per process)."""
    spec = json.loads(BASE.read_text(encoding="utf-8"))
    components = spec["components"]
    facets = components["schemas"]["Facets"]
    facets["properties"] = {name: {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}}
                            for name in FACETS}
    facets["required"] = list(FACETS)
    for name in FACETS:
        components["parameters"][f"facet_{name}"] = facet_parameter(name)
    references = [{"$ref": f"#/components/parameters/facet_{name}"} for name in FACETS]
    for route in spec["paths"].values():
        for operation in route.values():
            parameters = operation.get("parameters", [])
            for position, parameter in enumerate(parameters):
                if parameter.get("$ref") == FACETS_AFTER:
                    parameters[position + 1:position + 1] = references
                    break
    return spec


@lru_cache(maxsize=1)
def text() -> str:
    return json.dumps(document(), ensure_ascii=False, indent=1)
