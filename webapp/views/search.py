"""Search and document pages."""
from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, Response, abort, current_app, render_template, request, send_file
from flask_babel import gettext

from kb import citation
from kb.changes import original_file
from kb.search import ALL, SOME, QueryError, get_document, search
from model.fields import BY_NAME, QUERY_FIELDS

from ..i18n import facet_name, localise, problem_of
from ..links import links_to
from .documents import document_context, original_url, reference_of
from .search_data import ALL_FACET_VALUES, flag_arg, request_from_args, search_data

bp = Blueprint("search", __name__)


def kb():
    return current_app.extensions["kb"]


@bp.route("/")
@bp.route("/search")
def search_page():
    settings = kb().settings
    search_request = replace(request_from_args(request.args, settings.page_size), facet_limit=ALL_FACET_VALUES)
    try:
        result = search(kb().index, search_request, max_page_size=settings.max_page_size)
    except QueryError as exc:
        return render_template("search/results.html", request_=search_request, data=None,
                               error=problem_of(exc), error_parameter=getattr(exc, "parameter", None)), 400
    data = search_data(result, request.args,
                       links_to("search.search_page"))
    return render_template("search/results.html", request_=search_request, data=data, error=None,
                           groups=hit_groups(data))


def hit_groups(data: dict) -> list[dict]:
    """The page's hits in runs: those with every word (as typed or through a translation,
    ``kb.search.MATCHES``), then those with only some of the words (a relaxed query), each
    run with the number of its first hit in the whole list; one run (match None) when no
    result has only some of the words."""
    start = (data["page"] - 1) * data["page_size"] + 1
    if not data.get("matches", {}).get(SOME):
        return [{"match": None, "hits": data["hits"], "start": start}] if data["hits"] else []
    groups: list[dict] = []
    for hit in data["hits"]:
        match = SOME if hit["match"] == SOME else ALL
        if not groups or groups[-1]["match"] != match:
            groups.append({"match": match, "hits": [], "start": start})
        groups[-1]["hits"].append(hit)
        start += 1
    return groups


@bp.route("/search/help")
def help_page():
    """The query language, with examples in both languages that run the search."""
    fields = [(name, facet_name(name) if BY_NAME[name].is_facet else localise(BY_NAME[name].label),
               field_query(name, HELP_EXAMPLES.get(name) or BY_NAME[name].example)) for name in QUERY_FIELDS]
    return render_template("search/help.html", fields=fields)


HELP_EXAMPLES = {"title": "melbourne", "city": "Bruxelles", "theme": "radicalisation"}


def field_query(name: str, value: str) -> str:
    """``name:value``, the value quoted when it has spaces: ``organisation:"Strong Cities Network"``."""
    return f'{name}:"{value}"' if " " in value else f"{name}:{value}"


@bp.route("/documents/<doc_id>")
def document_page(doc_id: str):
    document = get_document(kb().index, doc_id)
    if document is None:
        abort(404, description=gettext("No document with id %(id)s.", id=repr(doc_id)))
    query = request.args.get("q", "").strip()
    return render_template("search/document.html", **document_context(
        kb().index, document, query, flag_arg(request.args, "expand", True),
        flag_arg(request.args, "translate", True)))


@bp.route("/documents/<doc_id>/citation.<any(bib, ris, json):extension>")
def citation_file(doc_id: str, extension: str):
    """The document as a reference to import: BibTeX, RIS or CSL-JSON (``kb.citation``)."""
    document = get_document(kb().index, doc_id)
    if document is None:
        abort(404, description=gettext("No document with id %(id)s.", id=repr(doc_id)))
    item = reference_of(document)
    text = {"bib": citation.bibtex, "json": citation.csl_json,
            "ris": lambda i: citation.ris(i, document["type"])}[extension](item)
    response = Response(text, mimetype=citation.FORMATS[extension])
    response.headers["Content-Disposition"] = f'attachment; filename="{doc_id}.{extension}"'
    return response


@bp.route("/documents/<doc_id>/original")
def document_original(doc_id: str):
    """The original file (PDF, Word, HTML) a published document was made from: for
    everyone when the ``public_originals`` setting is on, else for staff; always as a
    download, never shown by the browser as a page of this site."""
    record = kb().index.get(doc_id)
    if record is None:
        abort(404, description=gettext("No document with id %(id)s.", id=repr(doc_id)))
    if original_url({"id": doc_id, "original": record.original}) is None and record.original:
        abort(403, description=gettext("The original files are for staff only."))
    path = original_file(kb().settings.corpus_dir, record)
    if path is None:
        abort(404, description=gettext("This document has no original file."))
    return send_file(path, as_attachment=True, download_name=path.name)
