"""Bounds on what one request may ask, checked before any view runs: how many URL
parameters, how many values of one parameter, how long a value. Above them a request is
a 400 with a message saying which bound (``Settings.max_parameters``,
``max_facet_values``, ``max_query_length``), so no request makes a page, a search or an
export grow without end.

>>> from kb.config import Settings
>>> print(parameter_problem(MultiDict([("q", "haine"), ("city", "Paris")]), Settings()))
None
>>> print(parameter_problem(MultiDict([("city", str(n)) for n in range(11)]), Settings()))
'city' is given 11 times; at most 10 values of one parameter are accepted.
"""
from __future__ import annotations

from collections import Counter
from typing import NoReturn

from flask import request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest

from kb.config import Settings
from model.messages import Message

from .i18n import localise


def is_api_request() -> bool:
    """Whether this request is the API's (its errors are JSON, in English)."""
    return request.path == "/api" or request.path.startswith("/api/")


def refuse(problem: Message) -> NoReturn:
    """A 400 saying ``problem``: in English in the API, in the interface language on a page."""
    raise BadRequest(str(problem) if is_api_request() else localise(problem))


def parameter_problem(args: MultiDict, settings: Settings) -> Message | None:
    """Why the URL parameters ``args`` are more than a request may ask, or None."""
    items = list(args.items(multi=True))
    if len(items) > settings.max_parameters:
        return Message("This request has %(count)s parameters; at most %(limit)s are accepted.",
                       count=len(items), limit=settings.max_parameters)
    counts = Counter(name for name, _ in items)
    for name, count in counts.most_common(1):
        if count > settings.max_facet_values:
            return Message("'%(name)s' is given %(count)s times; at most %(limit)s values of one parameter are "
                           "accepted.", name=_name(name), count=count, limit=settings.max_facet_values)
    for name, value in items:
        if len(value) > settings.max_query_length or len(name) > settings.max_query_length:
            return Message("'%(name)s' is %(length)s characters long; at most %(limit)s are accepted.",
                           name=_name(name), length=max(len(value), len(name)), limit=settings.max_query_length)
    return None


def _name(name: str) -> str:
    return name if len(name) <= 40 else name[:40] + "…"
