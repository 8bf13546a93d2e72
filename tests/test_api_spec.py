"""The OpenAPI document: valid OpenAPI 3.1, served, in step with the routes and the README,
and every path in it called with its example parameters."""
from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import quote, urlencode

import pytest
from openapi_spec_validator import validate

from webapp import openapi

from tests.conftest import REPO

SPEC = openapi.document()
OPERATIONS = [(path, method) for path, item in SPEC["paths"].items() for method in item]


def resolve(node):
    while isinstance(node, dict) and "$ref" in node:
        target = SPEC
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def parameters(path: str, method: str) -> list[dict]:
    return [resolve(p) for p in SPEC["paths"][path][method].get("parameters", [])]


def url_for_operation(path: str, method: str, optional: bool = True, path_values=None) -> str:
    """The path with its path parameters and (with ``optional``) every query parameter
    filled in from the examples of the spec."""
    query = []
    for param in parameters(path, method):
        example = (path_values or {}).get(param["name"], param.get("example"))
        if param["in"] == "path":
            path = path.replace("{" + param["name"] + "}", quote(str(example), safe=""))
        elif optional:
            for value in example if isinstance(example, list) else [example]:
                query.append((param["name"], str(value)))
    return path + ("?" + urlencode(query) if query else "")


def success(path: str, method: str) -> tuple[str, dict]:
    response = resolve(SPEC["paths"][path][method]["responses"]["200"])
    (media_type, content), = response["content"].items()
    return media_type, response | {"schema": resolve(content["schema"])}


def check_success(response, path: str, method: str, expect_items: bool = False) -> None:
    """Status, media type, documented headers and top-level keys (and those of the first
    item of each documented list); with ``expect_items``, the main list is not empty."""
    media_type, documented = success(path, method)
    assert response.status_code == 200, (path, response.get_data(as_text=True))
    assert response.mimetype == media_type
    for header in documented.get("headers", {}):
        assert header in response.headers, (path, header)
    if media_type == "application/json":
        body = json.loads(response.get_data(as_text=True))
        assert set(documented["schema"].get("required", [])) <= set(body), path
        lists = []
        for key, schema in documented["schema"].get("properties", {}).items():
            item_schema = resolve(resolve(schema).get("items", {}))
            if "required" in item_schema and isinstance(body.get(key), list):
                lists.append(body[key])
                if body[key]:
                    assert set(item_schema["required"]) <= set(body[key][0]), (path, key)
        if expect_items and lists:
            assert lists[0], f"{path}: the examples of the spec find nothing"
    else:
        text = response.get_data(as_text=True)
        assert text.startswith("\ufeff"), f"{path}: CSV without its byte-order mark"
        rows = list(csv.reader(io.StringIO(text[1:])))
        columns = re.search(r"Columns: ([\w, ]+)\.", documented["description"]).group(1).split(", ")
        assert rows[0] == columns
        assert len(rows) > 1 or not expect_items, f"{path}: the examples of the spec find nothing"


def test_the_document_is_valid_openapi_3_1():
    assert SPEC["openapi"].startswith("3.1")
    validate(SPEC)


def test_the_document_is_served(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response.is_json
    assert response.get_json() == SPEC


def flask_paths(app) -> set[str]:
    paths = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        choices = re.search(r"<any\(([^)]*)\):\w+>", rule.rule)
        if choices:
            for choice in choices.group(1).split(","):
                paths.add(re.sub(r"<any\([^)]*\):\w+>", choice.strip(), rule.rule))
        else:
            paths.add(path)
    return paths


def test_every_route_is_documented_and_every_documented_path_exists(app):
    assert flask_paths(app) == set(SPEC["paths"])


def test_search_parameters_are_the_search_page_parameters():
    from webapp.views.api import COMMITMENT_PARAMS, SEARCH_PARAMS
    assert [p["name"] for p in parameters("/api/search", "get")] == list(SEARCH_PARAMS)
    assert [p["name"] for p in parameters("/api/commitments", "get")] == list(COMMITMENT_PARAMS)


@pytest.mark.parametrize("path, method", OPERATIONS)
def test_every_path_with_its_examples(client, published, path, method):  # noqa: F811
    url = url_for_operation(path, method)
    response = client.open(url, method=method.upper())
    check_success(response, path, method, expect_items=True)


@pytest.mark.parametrize("path, method", OPERATIONS)
def test_every_path_with_required_parameters_only(client, published, path, method):  # noqa: F811
    response = client.open(url_for_operation(path, method, optional=False), method=method.upper())
    check_success(response, path, method)


@pytest.mark.parametrize("path, method", OPERATIONS)
def test_every_documented_error(client, published, path, method):  # noqa: F811
    responses = SPEC["paths"][path][method]["responses"]
    for status in sorted(set(responses) - {"200"}):
        if status == "400":
            url = url_for_operation(path, method, optional=False) + "?no_such_parameter=1"
        elif status == "404":
            url = url_for_operation(path, method, optional=False,
                                    path_values={"doc_id": "no-such-document", "name": "Atlantis"})
        else:
            pytest.fail(f"no test for status {status} of {path}")
        response = client.open(url, method=method.upper())
        assert response.status_code == int(status), (url, response.get_data(as_text=True))
        assert set(resolve(success_schema(responses[status]))["required"]) <= set(response.get_json())


def success_schema(response) -> dict:
    (_, content), = resolve(response)["content"].items()
    return content["schema"]


def test_every_path_is_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for path in SPEC["paths"]:     # /api/documents/{doc_id} is written /api/documents/<id>
        pattern = re.escape(f"`GET {path}").replace(r"\{", "{").replace(r"\}", "}")
        assert re.search(re.sub(r"\{\w+\}", "<[a-z_]+>", pattern), readme), path
