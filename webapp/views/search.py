"""Search and document pages."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, url_for

from kb.schema import FACET_FIELDS
from kb.search import QueryError, SearchRequest, get_document, search

bp = Blueprint("search", __name__)


def kb():
    return current_app.extensions["kb"]


def _int_arg(name: str, default: int) -> int:
    raw = request.args.get(name, "")
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        abort(400, description=f"'{name}' must be a whole number, not {raw!r}.")


def search_request_from_args(default_page_size: int) -> SearchRequest:
    """A SearchRequest from URL parameters (q, page, size, sort, and one per facet)."""
    filters = {name: request.args.getlist(name) for name in FACET_FIELDS if request.args.getlist(name)}
    return SearchRequest(query=request.args.get("q", ""), filters=filters,
                         page=_int_arg("page", 1), page_size=_int_arg("size", default_page_size),
                         sort=request.args.get("sort", "relevance"))


def page_url(page: int) -> str:
    args = request.args.to_dict(flat=False)
    args["page"] = [str(page)]
    return url_for("search.search_page", **args)


@bp.route("/")
@bp.route("/search")
def search_page():
    settings = kb().settings
    search_request = search_request_from_args(settings.page_size)
    result, error = None, None
    try:
        result = search(kb().store, search_request, max_page_size=settings.max_page_size)
    except QueryError as exc:
        error = str(exc)
    status = 400 if error else 200
    return render_template("search/results.html", request_=search_request, result=result,
                           error=error, page_url=page_url), status


@bp.route("/documents/<doc_id>")
def document_page(doc_id: str):
    document = get_document(kb().store, doc_id)
    if document is None:
        abort(404, description=f"No document with id {doc_id!r}.")
    return render_template("search/document.html", doc=document)
