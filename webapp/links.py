"""Links the pages and the API build from the current URL parameters: the same ones with
some changed (facet toggles, chips, paging), and where to go back to after a redirect."""
from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping
import unicodedata
from urllib.parse import urlencode, urlsplit

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


# What Werkzeug's url_for leaves unescaped in a query string (the URL standard's set).
_QUERY_SAFE = "!$'()*,/:;?@"


def links_to(endpoint: str, **view_args: Any) -> Callable[[dict[str, list[str]]], str]:
    """A ``url_for_args`` for ``endpoint``: its URL with the parameters given, encoded as
    ``url_for`` encodes them. The route is built once, not for each of the hundreds of
    facet links a page has (a fifth of a search page's time).

    >>> from flask import Flask
    >>> app = Flask("x"); app.add_url_rule("/search", "search", lambda: "")
    >>> with app.test_request_context():
    ...     links_to("search")({"q": ["haine & co"], "city": ["Liège", "Paris"]})
    '/search?q=haine+%26+co&city=Li%C3%A8ge&city=Paris'
    """
    from flask import url_for

    path = url_for(endpoint, **view_args)

    def url_for_args(args: Mapping[str, list[str]]) -> str:
        pairs = [(key, value) for key, values in args.items() for value in values]
        return f"{path}?{urlencode(pairs, safe=_QUERY_SAFE)}" if pairs else path
    return url_for_args


# Every facet value and chip links to the current URL with one value changed, so each link
# is as long as the request: links stop once they add up to this many bytes per byte of the
# request's parameters (plus a floor no ordinary page comes near). Their total stays linear
# in the request; the values past it are shown without a link (``None``).
LINK_FLOOR = 256 * 1024
LINK_BYTES_PER_BYTE = 16


class LinkBudget:
    """``budget(url_for_args, args)``: the link, or None once the links built add up to
    ``LINK_FLOOR + LINK_BYTES_PER_BYTE × the size of the request's parameters``.

    >>> budget = LinkBudget(MultiDict([("q", "x")]), floor=30, per_byte=0)
    >>> budget(lambda a: "/search?q=x&city=Paris", {}), budget(lambda a: "/search?q=x&city=Lyon", {})
    ('/search?q=x&city=Paris', None)
    """

    def __init__(self, args: MultiDict, floor: int = LINK_FLOOR, per_byte: int = LINK_BYTES_PER_BYTE):
        size = sum(len(key) + len(value) + 2 for key, value in args.items(multi=True))
        self.left = floor + per_byte * size

    def __call__(self, url_for_args: Callable[[dict[str, list[str]]], str],
                 new_args: dict[str, list[str]]) -> str | None:
        if self.left <= 0:
            return None
        url = url_for_args(new_args)
        self.left -= len(url)
        return url if self.left >= 0 else None


def toggle_links(facets: Mapping[str, list[dict]], args: MultiDict,
                 url_for_args: Callable[[dict[str, list[str]]], str],
                 budget: LinkBudget | None = None) -> tuple[dict[str, list[dict]], list[dict]]:
    """Facets with a ``toggle_url`` on every value (adding it to the filters, or removing
    it when selected), and a chip with a ``remove_url`` for each selected value; the
    selected values first, and no link (``None``) past ``budget``."""
    budget = budget or LinkBudget(args)
    urls: dict[tuple[str, int], str | None] = {}
    for selected in (True, False):
        for name, entries in facets.items():
            current = args.getlist(name)
            for position, entry in enumerate(entries):
                if bool(entry["selected"]) != selected:
                    continue
                values = ([v for v in current if v != entry["value"]] if entry["selected"]
                          else [*current, entry["value"]])
                urls[name, position] = budget(url_for_args, args_with(args, **{name: values}))
    chips, out = [], {}
    for name, entries in facets.items():
        rows = [{**entry, "toggle_url": urls[name, position]} for position, entry in enumerate(entries)]
        chips += [{"facet": name, "value": row["value"], "remove_url": row["toggle_url"]}
                  for row in rows if row["selected"]]
        out[name] = rows
    return out, chips


# Control characters (CR, LF, NEL…), line and paragraph separators, and format characters:
# never in a path to go back to (a header could be split, or a path read differently).
UNSAFE = ("Cc", "Cf", "Zl", "Zp")


def safe_next(target: str | None) -> str | None:
    """A path on this site to go back to, or None: never another host (open redirects),
    never a control character.

    >>> safe_next("/search?q=haine"), safe_next("//evil.example"), safe_next("https://evil.example/")
    ('/search?q=haine', None, None)
    >>> safe_next("/search\\r\\nSet-Cookie: x=1"), safe_next("/search\\u2028x"), safe_next("/recherche?q=été")
    (None, None, '/recherche?q=été')
    """
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target or any(unicodedata.category(ch) in UNSAFE for ch in target):
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
