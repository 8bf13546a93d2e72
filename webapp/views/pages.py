"""Pages by entity: cities (list, map, one page per city), the commitments explorer, the
timeline, and two language versions of a document side by side.

They read ``kb.catalog`` (built once per state of the index from the extractions);
the templates only render what these views hand them.
"""
from __future__ import annotations

from itertools import zip_longest
from typing import Any, Callable, Iterable, Mapping

from flask import (Blueprint, Response, abort, current_app, redirect, render_template, request,
                   url_for)
from flask_babel import gettext
from markupsafe import Markup, escape

from kb.catalog import catalog_for, match_spans, query_terms, theme_labels
from kb.query import QueryError
from kb.search import get_document
from model.vocabulary import fold

from ..i18n import city_label, country_label, current_language, problem_of, value_label
from ..links import LinkBudget, args_with, links_to, page_links, toggle_links
from . import worldmap
from .annotate import plain_blocks
from .charts import year_chart
from .search_data import ALL_FACET_VALUES, commitment_expansions, commitment_filters, int_arg

bp = Blueprint("pages", __name__)
COMMITMENTS_PER_PAGE = 25


def _index():
    return current_app.extensions["kb"].index


def _catalog():
    return catalog_for(_index())


# -- helpers for every template -------------------------------------------------------
@bp.app_template_global()
def search_url(drop: Iterable[str] = (), **changes: Any) -> str:
    """The current search with some parameters changed (and the page reset)."""
    return url_for("search.search_page", **args_with(request.args, drop=("page", *drop), **changes))


@bp.app_template_global()
def this_page_url(drop: Iterable[str] = (), **changes: Any) -> str:
    """The current page, whatever it is, with some parameters changed (and its page
    number reset)."""
    return url_for(request.endpoint, **(request.view_args or {}),
                   **args_with(request.args, drop=("page", *drop), **changes))


@bp.app_template_global()
def search_year_chart(entries: list[dict]):
    """The year facet of a search as bars: a bar shows only its year; the selected one
    removes the filter."""
    selected = {e["value"] for e in entries if e.get("selected")}
    toggles = {e["value"]: e.get("toggle_url") for e in entries}

    def link(year: int) -> str | None:
        if str(year) in toggles and toggles[str(year)] is None:
            return None           # past the links' budget (webapp.links.LinkBudget)
        if str(year) in selected:
            return toggles.get(str(year)) or search_url(year=None)
        return search_url(year=str(year))
    return year_chart([(e["value"], e["count"]) for e in entries], link, selected)


@bp.app_template_global()
def theme_label(theme_id: str) -> str:
    labels = _theme_labels().get(theme_id) or {}
    return labels.get(current_language()) or labels.get("en") or theme_id


@bp.app_template_global()
def facet_label(facet: str, value: str) -> str:
    """How a facet value reads: theme ids become their label in the interface language."""
    return theme_label(value) if facet == "theme" else value_label(facet, value)


def _theme_labels() -> dict[str, dict[str, str]]:
    cache = current_app.extensions.setdefault("theme_labels", {})
    if "labels" not in cache:
        cache["labels"] = theme_labels()
    return cache["labels"]


# -- long lists ---------------------------------------------------------------------------
CITIES_PER_PAGE = 50
CITY_DOCUMENTS_PER_PAGE = 20
CITY_COMMITMENTS = 10     # on a city page; the explorer has the rest


def listing(items: list, texts: Callable[[Any], Iterable[str]], endpoint: str, per_page: int,
            **view_args: Any) -> dict[str, Any]:
    """A long list as a page shows it: the items whose ``texts`` hold every word of the
    ``filter`` parameter (accents and case ignored), the ``page`` of them, the links."""
    wanted = fold(request.args.get("filter", "")).split()
    if wanted:
        items = [item for item in items if all(word in fold(" ".join(texts(item))) for word in wanted)]
    pages = max(1, -(-len(items) // per_page))
    page = min(max(int_arg(request.args, "page", 1), 1), pages)
    links = page_links(request.args, page, pages, links_to(endpoint, **view_args))
    return {"items": items[(page - 1) * per_page:page * per_page], "total": len(items), "page": page,
            "pages": pages, "first": (page - 1) * per_page + 1, "filter": request.args.get("filter", ""),
            "links": links}


# -- cities -----------------------------------------------------------------------------
def _city_url(city: Mapping[str, Any], ambiguous: set[str] = frozenset()) -> str:
    if city["name"] in ambiguous and city.get("country"):
        return url_for("pages.city", name=city["name"], country=city["country"])
    return url_for("pages.city", name=city["name"])


@bp.route("/cities")
def cities():
    listed = _catalog().cities()
    names = [c["name"] for c in listed]
    ambiguous = {n for n in names if names.count(n) > 1}
    for city in listed:
        city["url"] = _city_url(city, ambiguous)
    shown = listing(listed, lambda c: (c["name"], city_label(c["name"], c.get("country")), c.get("country") or "",
                                       country_label(c["country"]) if c.get("country") else ""),
                    "pages.cities", CITIES_PER_PAGE)
    points = worldmap.points(shown["items"] if shown["filter"] else listed, lambda c: c["url"],
                             name_of=lambda c: city_label(c["name"], c.get("country")))
    return render_template("pages/cities.html", cities=listed, shown=shown, points=points,
                           map_width=worldmap.WIDTH, map_height=worldmap.HEIGHT,
                           unplaced=[c for c in listed if c.get("lat") is None or c.get("lon") is None])


@bp.route("/cities/world.svg")
def world_map():
    response = Response(worldmap.world_svg(), mimetype="image/svg+xml")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response


@bp.route("/cities/<name>")
def city(name: str):
    country = request.args.get("country", "")
    found = _catalog().city(name, country)
    if found is None:
        abort(404, description=gettext("No city named %(name)s in the documents.", name=name))
    if found["name"] != name:      # a form the documents use, or another spelling: one URL per city
        return redirect(url_for("pages.city", name=found["name"], **({"country": country} if country else {})), 301)
    commitments = list(_catalog().iter_commitments(filters={"city": [found["name"]], **(
        {"country": [found["country"]]} if found.get("country") else {})}))
    years: dict[str, int] = {}
    for document in found["documents"]:
        if document.get("year"):
            years[str(document["year"])] = years.get(str(document["year"]), 0) + 1
    chart = year_chart(years.items(), lambda year: url_for("search.search_page", city=found["name"], year=str(year)))
    point = None
    viewbox = None
    if found.get("lat") is not None and found.get("lon") is not None:
        point = worldmap.points([found], lambda c: "", name_of=lambda c: city_label(c["name"], c.get("country")))[0]
        viewbox = worldmap.viewbox_around(found["lat"], found["lon"])
    documents = listing(found["documents"], lambda d: (d["title"], d.get("date") or ""), "pages.city",
                        CITY_DOCUMENTS_PER_PAGE, name=found["name"])
    return render_template("pages/city.html", city=found, documents=documents, commitments=commitments,
                           shown_commitments=commitments[:CITY_COMMITMENTS], chart=chart,
                           point=point, viewbox=viewbox, map_width=worldmap.WIDTH,
                           map_height=worldmap.HEIGHT)


# -- commitments ------------------------------------------------------------------------
@bp.route("/commitments")
def commitments():
    query = request.args.get("q", "").strip()
    filters = commitment_filters(request.args)
    page = int_arg(request.args, "page", 1)
    try:
        expansions = commitment_expansions(request.args, _index())
        result = _catalog().commitments(query, filters, page=page, page_size=COMMITMENTS_PER_PAGE,
                                        expansions=expansions, facet_limit=ALL_FACET_VALUES)
    except QueryError as exc:
        return render_template("pages/commitments.html", error=problem_of(exc), result=None, query=query,
                               facets={}, chips=[], links={}), 400
    counted = {name: list(entries) for name, entries in result["facets"].items()}
    for name, entries in counted.items():       # a chosen value stays visible and removable
        shown = {entry["value"] for entry in entries}
        entries += [{"value": v, "count": 0, "selected": True} for v in filters.get(name, []) if v not in shown]
    url_for_args = links_to("pages.commitments")
    budget = LinkBudget(request.args)
    facets, chips = toggle_links(counted, request.args, url_for_args, budget)
    for name in ("document",):
        for value in filters.get(name, []):
            document = _catalog().documents.get(value)
            chips.append({"facet": name, "value": document.title if document else value,
                          "remove_url": budget(url_for_args, args_with(
                              request.args, **{name: [v for v in filters[name] if v != value]}))})
    links = page_links(request.args, page, result["pages"], url_for_args)
    links.pop("self")
    query_string = request.query_string.decode("utf-8")
    exports = {kind: f"/api/commitments.{kind}" + (f"?{query_string}" if query_string else "")
               for kind in ("csv", "json")}
    patterns = [p for term in query_terms(query, expansions) for p in term.patterns]
    for item in result["commitments"]:
        item["marked"] = marked(item["text"], match_spans(item["text"], patterns))
    return render_template("pages/commitments.html", error=None, result=result, query=query,
                           facets=facets, chips=chips, links=links, exports=exports,
                           documents=_catalog().documents, expansions=expansions,
                           unexpanded_url=url_for("pages.commitments", **args_with(request.args, expand="0")))


def marked(text: str, spans) -> Markup:
    """``text`` escaped, with ``spans`` in <mark>."""
    out, last = [], 0
    for start, end in spans:
        out += [escape(text[last:start]), Markup("<mark>"), escape(text[start:end]), Markup("</mark>")]
        last = end
    out.append(escape(text[last:]))
    return Markup("").join(out)


# -- timeline ---------------------------------------------------------------------------
@bp.route("/timeline")
def timeline():
    documents = sorted(_catalog().documents.values(), key=lambda d: (d.date or "", d.id), reverse=True)
    every_year: dict[int | None, int] = {}
    for document in documents:
        every_year[document.year] = every_year.get(document.year, 0) + 1
    chart = year_chart(((year, n) for year, n in every_year.items() if year),
                       lambda year: url_for("search.search_page", year=str(year)))
    shown = listing(documents, lambda d: (d.title, d.date or ""), "pages.timeline", len(documents) or 1)
    by_year: dict[int | None, list] = {}
    for document in shown["items"]:
        by_year.setdefault(document.year, []).append(document)
    years = sorted((y for y in by_year if y), reverse=True)
    return render_template("pages/timeline.html", chart=chart, years=years, by_year=by_year,
                           undated=by_year.get(None, []), shown=shown)


# -- two versions side by side ------------------------------------------------------------
@bp.route("/documents/<doc_id>/compare/<other_id>")
def compare(doc_id: str, other_id: str):
    left, right = get_document(_index(), doc_id), get_document(_index(), other_id)
    if left is None or right is None:
        abort(404, description=gettext("No document with id %(id)s.",
                                       id=repr(doc_id if left is None else other_id)))
    if doc_id == other_id or not left["translation_key"] or left["translation_key"] != right["translation_key"]:
        abort(404, description=gettext("These two documents are not versions of one another."))
    rows = list(zip_longest(sections(plain_blocks(left["text"])), sections(plain_blocks(right["text"])),
                            fillvalue=[]))
    return render_template("pages/compare.html", left=left, right=right, rows=rows)


def sections(blocks: list) -> list[list]:
    """Blocks grouped by section: a heading and the blocks up to the next one (the blocks
    before the first heading are a section of their own). Two language versions are
    compared section by section, the n-th beside the n-th, so that a paragraph more or
    less in one section does not shift the rest.

    >>> text = "\\n\\n".join(["Intro.", "Titre", "Un.", "Deux.", "Fin"])
    >>> [[b.kind for b in s] for s in sections(plain_blocks(text))]
    [['paragraph'], ['heading', 'paragraph', 'paragraph'], ['heading']]
    """
    out: list[list] = []
    for block in blocks:
        if block.kind == "heading" or not out:
            out.append([])
        out[-1].append(block)
    return out
