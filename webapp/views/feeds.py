"""Atom feeds: follow a search or a view of the commitments in a feed reader.

``/search.atom`` and ``/commitments.atom`` take the parameters of their page (the query,
filters, dates) and list its newest documents, newest first (``FEED_SIZE`` of them): a
document of the search, or a document with the commitments of the view it holds. The
page links its feed (``feed_url``), in its head for feed readers and next to its exports.
``feedgen`` writes the XML, so every title and text is escaped. An entry is the
document's page; it is ``updated`` when its file last changed (its date when there is no
file), ``published`` on the document's date.
"""
from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable

from feedgen.feed import FeedGenerator
from flask import Blueprint, Response, current_app, request, url_for
from flask_babel import gettext
from werkzeug.datastructures import MultiDict

from kb.catalog import COMMITMENT_FILTERS, catalog_for
from kb.query import QueryError
from kb.search import search
from model.fields import FACETS

from ..i18n import city_label, current_language, facet_name, format_date, problem_of, value_label
from .pages import facet_label
from .search_data import commitment_expansions, commitment_filters, request_from_args

bp = Blueprint("feeds", __name__)
FEED_SIZE = 20
MIME = "application/atom+xml"
# What a feed takes from its page's URL: not the page, its size nor its order.
IGNORED = ("page", "size", "sort")
FILTERS = frozenset(("from", "to", *FACETS, *COMMITMENT_FILTERS))   # what a feed's title names
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


@bp.app_template_global()
def feed_url(endpoint: str, args: MultiDict | None = None, external: bool = False) -> str:
    """The feed of a page (``feeds.search_feed`` or ``feeds.commitments_feed``) with the
    page's parameters (``args``: this request's)."""
    return url_for(endpoint, _external=external, **_kept(request.args if args is None else args))


def _kept(args: MultiDict) -> dict[str, list[str]]:
    """The parameters a feed shares with its page."""
    return {k: [v for v in args.getlist(k) if v] for k in args if k not in IGNORED and any(args.getlist(k))}


def _kb():
    return current_app.extensions["kb"]


def date_time(value: str | None) -> dt.datetime | None:
    """The first moment of an ISO date (``2018-07`` → 1 July 2018, UTC), or None.

    >>> date_time("2018-07"), date_time(None)
    (datetime.datetime(2018, 7, 1, 0, 0, tzinfo=datetime.timezone.utc), None)
    """
    if not value:
        return None
    parts = [int(p) for p in value.split("-")[:3]] + [1, 1]
    try:
        return dt.datetime(parts[0], parts[1] or 1, parts[2] or 1, tzinfo=dt.timezone.utc)
    except ValueError:
        return None


def _changed(path: str | None, date: str | None) -> dt.datetime:
    """When a document last changed: its file's modification time, else its date."""
    if path:
        try:
            stamp = (Path(_kb().settings.corpus_dir) / path).stat().st_mtime
            return dt.datetime.fromtimestamp(int(stamp), dt.timezone.utc)
        except OSError:
            pass
    return date_time(date) or EPOCH


def _feed(title: str, page_url: str, entries: list[dict[str, Any]]) -> Response:
    feed = FeedGenerator()
    here = feed_url(request.endpoint, external=True)     # without the page's page, size and order
    feed.id(here)
    feed.title(title)
    feed.subtitle(gettext("The newest documents of this view, newest first (at most %(n)s).", n=FEED_SIZE))
    feed.author({"name": gettext("City Declarations KB")})
    feed.link(href=here, rel="self", type=MIME)
    feed.link(href=page_url, rel="alternate", type="text/html")
    feed.language(current_language())
    feed.generator("City Declarations KB")
    feed.updated(max((e["updated"] for e in entries), default=EPOCH))
    for item in entries:
        entry = feed.add_entry(order="append")
        entry.id(item["url"].split("#")[0])          # the document, wherever the link leads in it
        entry.title(item["title"])
        entry.link(href=item["url"], rel="alternate", type="text/html")
        entry.updated(item["updated"])
        if item.get("published"):
            entry.published(item["published"])
        for term, label in item.get("categories") or ():
            entry.category({"term": term, "label": label})
        entry.summary(item["summary"], type="text")
    response = Response(feed.atom_str(pretty=True), mimetype=MIME)
    response.headers["Content-Type"] = f"{MIME}; charset=utf-8"
    return response


def _error(exc: Exception) -> Response:
    return Response(problem_of(exc), status=400, mimetype="text/plain")


def _summary(parts: Iterable[str]) -> str:
    return " · ".join(p for p in parts if p)


@bp.route("/search.atom")
def search_feed():
    """The newest documents of a search, with the search page's filters."""
    args = MultiDict([(k, v) for k, v in request.args.items(multi=True) if k not in IGNORED])
    try:
        search_request = replace(request_from_args(args, FEED_SIZE), sort="newest", page=1, page_size=FEED_SIZE)
        result = search(_kb().index, search_request)
    except QueryError as exc:
        return _error(exc)
    entries = []
    for hit in result.hits:
        entries.append({
            "url": url_for("search.document_page", doc_id=hit.id, _external=True),
            "title": hit.title,
            "updated": _changed(hit.path, hit.date),
            "published": date_time(hit.date),
            "categories": [(t, facet_label("theme", t)) for t in hit.themes],
            "summary": _summary([value_label("type", hit.type), format_date(hit.date),
                                 ", ".join(city_label(c["name"], c["country"]) for c in hit.cities[:6]),
                                 _plain(hit.snippet)]),
        })
    query = search_request.query
    title = (gettext("Search “%(query)s”", query=query) if query else gettext("Newest documents"))
    return _feed(_titled(title, args), url_for("search.search_page", _external=True, **_kept(args)), entries)


@bp.route("/commitments.atom")
def commitments_feed():
    """The newest documents with commitments of a view of the explorer, each with the
    commitments of the view it holds."""
    query = request.args.get("q", "").strip()
    catalog = catalog_for(_kb().index)
    try:
        found = catalog.iter_commitments(query, commitment_filters(request.args),
                                         commitment_expansions(request.args, _kb().index))
        by_document: dict[str, list[dict]] = {}
        for item in found:                   # newest documents first
            if item["document_id"] not in by_document and len(by_document) == FEED_SIZE:
                break
            by_document.setdefault(item["document_id"], []).append(item)
    except QueryError as exc:
        return _error(exc)
    entries = []
    for doc_id, items in by_document.items():
        first = items[0]
        record = _kb().index.get(doc_id)
        entries.append({
            "url": url_for("search.document_page", doc_id=doc_id, _anchor=f"c-{first['number']}", _external=True),
            "title": first["document_title"],
            "updated": _changed(record.path if record else None, first["date"]),
            "published": date_time(first["date"]),
            "categories": [(t, facet_label("theme", t)) for t in dict.fromkeys(t for i in items for t in i["themes"])],
            "summary": "\n".join(f"{i['number']}. {i['text']}" + (f" — {i['actor']}" if i["actor"] else "")
                                 for i in items),
        })
    title = gettext("Commitments “%(query)s”", query=query) if query else gettext("Commitments")
    return _feed(_titled(title, request.args), url_for("pages.commitments", _external=True, **_kept(request.args)),
                 entries)


def _titled(title: str, args: MultiDict) -> str:
    """The feed's title: its query, its filters (as the page names them), the site."""
    filters = [gettext("%(facet)s: %(value)s", facet=facet_name(k), value=facet_label(k, v))
               for k, v in args.items(multi=True) if k in FILTERS and v]
    with_filters = f"{title} ({', '.join(filters)})" if filters else title
    return f"{with_filters} · {gettext('City Declarations KB')}"


def _plain(snippet_html: str) -> str:
    """A hit's snippet (escaped HTML with <mark>) as text: feedgen escapes it again."""
    return html.unescape(re.sub(r"<[^>]+>", "", snippet_html or ""))
