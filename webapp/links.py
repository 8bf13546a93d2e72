"""Links the pages and the API build from the current URL parameters: the same ones with
some changed (facet toggles, chips, paging), and where to go back to after a redirect."""
from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping
from urllib.parse import urlsplit

from werkzeug.datastructures import MultiDict


def args_with(args: MultiDict, drop: Iterable[str] = ("page",), **changes: Iterable[str] | str | None
              ) -> dict[str, list[str]]:
    """URL parameters of ``args`` without empty values and ``drop`` (the page, unless told
    otherwise), with ``changes`` applied (None or empty removes a parameter).

    >>> args_with(MultiDict([("q", "haine"), ("city", "Paris"), ("page", "3"), ("type", "")]), city=None)
    {'q': ['haine']}
    """
    out = {key: [v for v in values if v] for key, values in args.lists() if key not in drop}
    out = {key: values for key, values in out.items() if values}
    for key, value in changes.items():
        values = [value] if isinstance(value, str) else list(value or [])
        if values:
            out[key] = values
        else:
            out.pop(key, None)
    return out


def toggle_links(facets: Mapping[str, list[dict]], args: MultiDict,
                 url_for_args: Callable[[dict[str, list[str]]], str]) -> tuple[dict[str, list[dict]], list[dict]]:
    """Facets with a ``toggle_url`` on every value (adding it to the filters, or removing
    it when selected), and a chip with a ``remove_url`` for each selected value."""
    chips, out = [], {}
    for name, entries in facets.items():
        current = args.getlist(name)
        rows = []
        for entry in entries:
            values = ([v for v in current if v != entry["value"]] if entry["selected"]
                      else [*current, entry["value"]])
            row = {**entry, "toggle_url": url_for_args(args_with(args, **{name: values}))}
            rows.append(row)
            if entry["selected"]:
                chips.append({"facet": name, "value": entry["value"], "remove_url": row["toggle_url"]})
        out[name] = rows
    return out, chips


def safe_next(target: str | None) -> str | None:
    """A path on this site to go back to, or None: never another host (open redirects).

    >>> safe_next("/search?q=haine"), safe_next("//evil.example"), safe_next("https://evil.example/")
    ('/search?q=haine', None, None)
    """
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    return target


def page_links(args: MultiDict, page: int, pages: int,
               url_for_args: Callable[[dict[str, list[str]]], str]) -> dict[str, Any]:
    """``self``, ``prev``, ``next`` and ``last`` links of a paged listing."""
    base = args_with(args)
    links = {"self": url_for_args({**base, **({"page": [str(page)]} if page > 1 else {})})}
    if page > 1:
        links["prev"] = url_for_args({**base, "page": [str(min(page - 1, pages))]})
    if page < pages:
        links["next"] = url_for_args({**base, "page": [str(page + 1)]})
    links["last"] = url_for_args({**base, "page": [str(pages)]})
    return links
