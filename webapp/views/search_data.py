"""The one dict a search view builds: hits, facets with counts, selected state and toggle
links, active-filter chips and paging links. HTML templates render it; the API returns it.
"""
from __future__ import annotations

import re
from typing import Any, Callable

from werkzeug.datastructures import MultiDict

from kb.catalog import COMMITMENT_FILTERS
from kb.expansion import Expansion
from kb.index import Index
from kb.search import SearchRequest, SearchResult, query_expansions
from model.fields import FACETS
from model.messages import Message

from ..limits import refuse
from ..links import args_with, page_links, toggle_links

# The pages list a facet's first values, and every one under "show all" (the API: the
# engine's first MAX_FACET_VALUES).
ALL_FACET_VALUES = 100_000
# URL parameters that are not facets.
PARAMS = ("q", "page", "size", "sort", "from", "to", "expand", "relax", "translate", "skip")
TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def int_arg(args: MultiDict, name: str, default: int) -> int:
    """A whole number written in ASCII digits, or ``default`` when the parameter is
    absent; anything else (``5.0``, `` 5``, ``5_0``, empty) is a 400."""
    if name not in args:
        return default
    raw = args.get(name, "")
    if not re.fullmatch(r"-?[0-9]{1,20}", raw):
        refuse(Message("'%(name)s' must be a whole number, not %(value)s.", name=name, value=repr(raw[:60])))
    return int(raw)


def flag_arg(args: MultiDict, name: str, default: bool) -> bool:
    """A yes/no URL parameter: 1/0, true/false, yes/no, on/off; anything else is a 400."""
    if name not in args:
        return default
    raw = args.get(name, "")
    if raw in TRUE:
        return True
    if raw in FALSE:
        return False
    refuse(Message("'%(name)s' must be 1 or 0 (true or false), not %(value)s.", name=name, value=repr(raw[:60])))


def commitment_filters(args: MultiDict) -> dict[str, list[str]]:
    """The commitments explorer's filters given in ``args`` (``kb.catalog`` refuses an
    empty or unknown value), for its page, its API, its exports and its feed."""
    return {name: args.getlist(name) for name in COMMITMENT_FILTERS if name in args}


def commitment_expansions(args: MultiDict, index: Index) -> list[Expansion]:
    """The equivalents search would add to the commitments explorer's words, in either
    language (``expand=0`` turns them off, ``translate=0`` keeps the vocabulary and names
    only)."""
    query = args.get("q", "").strip()
    expand, translate = flag_arg(args, "expand", True), flag_arg(args, "translate", True)   # checked always
    if not query or not expand:
        return []
    return query_expansions(index, query, translate)


def request_from_args(args: MultiDict, default_page_size: int) -> SearchRequest:
    """A SearchRequest from URL parameters: q, page, size, sort, from, to, expand, relax,
    translate, skip (repeatable: an alternative turned off, ``word:alternative``), and one
    per facet."""
    filters = {name: args.getlist(name) for name in FACETS if name in args}
    return SearchRequest(query=args.get("q", "").strip(),
                         filters=filters,
                         page=int_arg(args, "page", 1),
                         page_size=int_arg(args, "size", default_page_size),
                         sort=args.get("sort", "relevance"),
                         date_from=args.get("from", ""),
                         date_to=args.get("to", ""),
                         expand=flag_arg(args, "expand", True),
                         relax=flag_arg(args, "relax", True),
                         translate=flag_arg(args, "translate", True),
                         skip=tuple(dict.fromkeys(v.strip() for v in args.getlist("skip") if v.strip())))


def search_data(result: SearchResult, args: MultiDict,
                url_for_args: Callable[[dict[str, list[str]]], str]) -> dict[str, Any]:
    """The search result as a dict with toggle, chip and paging links built by ``url_for_args``."""
    data = result.to_dict()
    data["facets"], chips = toggle_links(data["facets"], args, url_for_args)
    for name in ("from", "to"):
        if args.get(name):
            chips.append({"facet": name, "value": args[name],
                          "remove_url": url_for_args(args_with(args, **{name: None}))})
    data["chips"] = chips
    data["links"] = page_links(args, result.request.page, data["pages"], url_for_args)
    return data
