"""The JSON API under ``/api/``: the twin of every page, the catalog of entities, exports.

``/api/search`` takes exactly the parameters of the search page and returns the dict the
search page renders (``search_data``), with its links pointing back at the API. The
OpenAPI document (``webapp/openapi.py``, served at ``/api/openapi.json``) describes
every route; ``tests/test_api_spec.py`` calls each one.

Every error is JSON, ``{"error": {"status": 400, "message": "…"}}``: handlers scoped to
this blueprint cover errors raised in its views, and ``webapp._error_page`` answers the
same way for routing errors (unknown path, wrong method) under ``/api/``.
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator
from urllib.parse import quote

from flask import Blueprint, Response, current_app, jsonify, redirect, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException, NotFound

from kb.catalog import COMMITMENT_FILTERS, catalog_for
from kb.export import (COMMITMENT_COLUMNS, SEARCH_COLUMNS, csv_lines, filename, json_lines,
                       search_all, search_row)
from kb.search import MAX_PAGE, QueryError, get_document, search, similar
from model.fields import FACETS
from model.messages import Message

from ..errors import allowed_methods
from ..limits import refuse
from ..links import args_with, links_to, page_links
from ..openapi import text as openapi_text
from .documents import STAFF_ONLY, for_reader, is_staff
from .search_data import PARAMS, commitment_expansions, commitment_filters, int_arg, request_from_args, search_data

bp = Blueprint("api", __name__, url_prefix="/api")

SEARCH_PARAMS = (*PARAMS, *FACETS)
EXPORT_IGNORED = ("page", "size")      # an export has every match, not one page
COMMITMENT_PARAMS = ("q", "page", "size", "expand", "translate", *COMMITMENT_FILTERS)
SIMILAR_LIMIT, MAX_SIMILAR_LIMIT = 5, 50


def kb():
    return current_app.extensions["kb"]


# -- errors --------------------------------------------------------------------------
def error_response(status: int, message: str) -> tuple[Response, int]:
    return jsonify({"error": {"status": status, "message": message}}), status


def routing_error(error) -> tuple[Response, int]:
    """The JSON answer to an error outside this blueprint's views under ``/api/``: an
    unknown route or a method a route does not take (``webapp._error_page`` calls it)."""
    code = getattr(error, "code", 500) or 500
    if code == 404 and getattr(error, "description", None) not in (None, "", NotFound.description):
        return error_response(404, error.description)       # a view's own: "No document with id …"
    if code == 404:
        return error_response(404, f"No API route {request.path}; the routes are listed at "
                                   f"{url_for('api.index')} and {url_for('api.openapi')}.")
    if code == 405:
        methods = ", ".join(allowed_methods(error))
        return error_response(405, f"{request.method} is not allowed on {request.path}; use {methods}.")
    return error_response(code, getattr(error, "description", None) or "Something went wrong.")


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    return error_response(error.code or 500, error.description or error.name)


@bp.errorhandler(QueryError)
def _query_error(error: QueryError):
    return error_response(400, str(error))


# -- parameters ------------------------------------------------------------------------
def _only(allowed: Iterable[str]) -> None:
    """400 for a parameter this route does not take (a misspelt filter must not be ignored)."""
    allowed = tuple(allowed)
    unknown = sorted(set(request.args) - set(allowed))
    if unknown:
        refuse(Message("Unknown parameter '%(name)s'; this route takes: %(names)s.", name=unknown[0][:40],
                       names=", ".join(allowed) or "no parameters"))


def _int(name: str, default: int, low: int, high: int) -> int:
    value = int_arg(request.args, name, default)
    if not low <= value <= high:
        refuse(Message("'%(name)s' must be between %(low)s and %(high)s, not %(value)s.", name=name, low=low,
                       high=high, value=value))
    return value


def _search_request(args: MultiDict):
    _only(SEARCH_PARAMS)
    return request_from_args(args, kb().settings.page_size)


def _args(drop: Iterable[str] = ()) -> dict[str, list[str]]:
    """The request's parameters (empty ones and ``drop`` left out), for building links."""
    return args_with(request.args, drop=drop)


def _page_urls():
    """``page(doc_id, anchor="")``: the absolute URL of a document's page. Made while the
    request is there: an export builds its rows after the response has started."""
    prefix = url_for("search.document_page", doc_id="ID", _external=True)[:-len("ID")]
    return lambda doc_id, anchor="": prefix + quote(doc_id, safe="") + (f"#{anchor}" if anchor else "")


def _download(lines: Iterator[str], name: str, mimetype: str) -> Response:
    response = Response(lines, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# -- routes ------------------------------------------------------------------------------
@bp.get("/")
def index():
    return jsonify({
        "name": "City Declarations KB API",
        "openapi": url_for("api.openapi"),
        "endpoints": {
            "search": url_for("api.search_json"),
            "search_csv": url_for("api.search_export", extension="csv"),
            "search_json": url_for("api.search_export", extension="json"),
            "document": url_for("api.document", doc_id="ID"),
            "similar": url_for("api.similar_documents", doc_id="ID"),
            "cities": url_for("api.cities"),
            "city": url_for("api.city", name="NAME"),
            "organisations": url_for("api.organisations"),
            "themes": url_for("api.themes"),
            "commitments": url_for("api.commitments"),
            "commitments_csv": url_for("api.commitments_export", extension="csv"),
            "commitments_json": url_for("api.commitments_export", extension="json"),
        },
    })


@bp.get("/openapi.json")
def openapi():
    _only(())
    return Response(openapi_text(kb().settings), mimetype="application/json")


@bp.record_once
def _openapi_at_the_root(state) -> None:
    """``/openapi.json``, where tools look first, leads to the API's document."""
    state.app.add_url_rule("/openapi.json", "openapi_root",
                           lambda: redirect(url_for("api.openapi"), code=308))


@bp.get("/search")
def search_json():
    settings = kb().settings
    result = search(kb().index, _search_request(request.args), max_page_size=settings.max_page_size)
    data = search_data(result, request.args, links_to("api.search_json"))
    data["hits"] = [for_reader(hit) for hit in data["hits"]]
    exported = _args(drop=EXPORT_IGNORED)
    data["links"].update(html=url_for("search.search_page", **_args()),
                         csv=url_for("api.search_export", extension="csv", **exported),
                         json=url_for("api.search_export", extension="json", **exported))
    return jsonify(data)


@bp.get("/search.<any(csv, json):extension>")
def search_export(extension: str):
    args = MultiDict([(k, v) for k, v in request.args.items(multi=True) if k not in EXPORT_IGNORED])
    search_request = _search_request(args)
    first, found = search_all(kb().index, search_request)
    page = _page_urls()
    staff = is_staff()
    hits = (for_reader({**hit, "url": page(hit["id"])}, staff) for hit in found)
    name = filename("search", search_request.query, extension)
    if extension == "csv":
        columns = SEARCH_COLUMNS if staff else tuple(c for c in SEARCH_COLUMNS if c not in STAFF_ONLY)
        return _download(csv_lines(columns, (search_row(h) for h in hits)), name, "text/csv")
    head = {"query": search_request.query, "filters": first.to_dict()["filters"],
            "from": search_request.date_from or None, "to": search_request.date_to or None,
            "sort": search_request.sort, "expand": search_request.expand, "total": first.total,
            "matches": first.matches}
    return _download(json_lines(head, "hits", hits), name, "application/json")


def _document_or_404(doc_id: str) -> dict[str, Any]:
    document = get_document(kb().index, doc_id)
    if document is None:
        raise NotFound(f"No document with id {doc_id!r}.")
    return document


@bp.get("/documents/<doc_id>")
def document(doc_id: str):
    _only(())
    data = for_reader(_document_or_404(doc_id))
    data["links"] = {"self": url_for("api.document", doc_id=doc_id),
                     "html": url_for("search.document_page", doc_id=doc_id),
                     "similar": url_for("api.similar_documents", doc_id=doc_id)}
    return jsonify(data)


@bp.get("/documents/<doc_id>/similar")
def similar_documents(doc_id: str):
    _only(("limit",))
    limit = _int("limit", SIMILAR_LIMIT, 1, MAX_SIMILAR_LIMIT)
    _document_or_404(doc_id)
    found = similar(kb().index, doc_id, limit) or []
    for item in found:
        item["url"] = url_for("api.document", doc_id=item["id"])
    return jsonify({"id": doc_id, "limit": limit, "similar": found})


def _city_url(city: dict[str, Any]) -> str:
    return url_for("api.city", name=city["name"], country=city["country"] or None)


@bp.get("/cities")
def cities():
    _only(("country",))
    found = catalog_for(kb().index).cities(country=request.args.get("country", ""))
    for city in found:
        city["url"] = _city_url(city)
    return jsonify({"total": len(found), "cities": found})


@bp.get("/cities/<name>")
def city(name: str):
    _only(("country",))
    found = catalog_for(kb().index).city(name, country=request.args.get("country", ""))
    if found is None:
        raise NotFound(f"No published document names the city {name!r}.")
    for item in found["documents"]:
        item["url"] = url_for("api.document", doc_id=item["id"])
    found["url"] = _city_url(found)
    return jsonify(found)


@bp.get("/organisations")
def organisations():
    _only(())
    found = catalog_for(kb().index).organisations()
    return jsonify({"total": len(found), "organisations": found})


@bp.get("/themes")
def themes():
    _only(())
    found = catalog_for(kb().index).themes()
    return jsonify({"total": len(found), "themes": found})


@bp.get("/commitments")
def commitments():
    _only(COMMITMENT_PARAMS)
    settings = kb().settings
    page = _int("page", 1, 1, MAX_PAGE)
    size = _int("size", settings.page_size, 1, settings.max_page_size)
    expansions = commitment_expansions(request.args, kb().index)
    data = catalog_for(kb().index).commitments(request.args.get("q", "").strip(), commitment_filters(request.args),
                                              page=page, page_size=size,
                                              max_page_size=settings.max_page_size, expansions=expansions)
    data["expansions"] = [e.to_dict() for e in expansions]
    for item in data["commitments"]:
        item["document_url"] = url_for("api.document", doc_id=item["document_id"])
    links = page_links(request.args, page, data["pages"], links_to("api.commitments"))
    links["self"] = url_for("api.commitments", **_args())
    links.pop("last")
    exported = _args(drop=EXPORT_IGNORED)
    links["csv"] = url_for("api.commitments_export", extension="csv", **exported)
    links["json"] = url_for("api.commitments_export", extension="json", **exported)
    data["links"] = links
    return jsonify(data)


@bp.get("/commitments.<any(csv, json):extension>")
def commitments_export(extension: str):
    _only(COMMITMENT_PARAMS)
    query = request.args.get("q", "").strip()
    catalog = catalog_for(kb().index)
    filters = commitment_filters(request.args)
    expansions = commitment_expansions(request.args, kb().index)
    total = catalog.commitments(query, filters, page_size=1, expansions=expansions)["total"]   # checks the filters now
    page = _page_urls()
    rows = ({**row, "url": page(row["document_id"], f"c-{row['number']}")}
            for row in catalog.iter_commitments(query, filters, expansions))
    name = filename("commitments", query, extension)
    if extension == "csv":
        return _download(csv_lines(COMMITMENT_COLUMNS, rows), name, "text/csv")
    head = {"query": query, "expansions": [e.to_dict() for e in expansions], "filters": filters, "total": total}
    return _download(json_lines(head, "commitments", rows), name, "application/json")
