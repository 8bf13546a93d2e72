"""The HTTP status of each kind of refusal that ``kb`` and ``indexer`` raise: the web app
is the only place that knows HTTP."""
from __future__ import annotations

from indexer.formats import EmptyFile, FormatError, TooLarge, UnsupportedFormat
from kb.errors import BadRequest, Conflict, InvalidChange, NotFound

STATUSES: dict[type[Exception], int] = {
    EmptyFile: 400, BadRequest: 400,
    NotFound: 404,
    Conflict: 409,
    TooLarge: 413,
    UnsupportedFormat: 415,
    FormatError: 422, InvalidChange: 422,
}


def status_of(error: Exception) -> int:
    """The status for ``error``: that of its most specific kind listed (422 otherwise).

    >>> status_of(UnsupportedFormat("a zip archive")), status_of(FormatError("damaged"))
    (415, 422)
    """
    for kind in type(error).__mro__:
        if kind in STATUSES:
            return STATUSES[kind]
    return 422


def allowed_methods(error) -> list[str]:
    """The methods the address of a 405 error takes, sorted (its ``Allow`` header).

    >>> from werkzeug.exceptions import MethodNotAllowed
    >>> allowed_methods(MethodNotAllowed(["OPTIONS", "GET", "HEAD"]))
    ['GET', 'HEAD', 'OPTIONS']
    """
    return sorted(getattr(error, "valid_methods", None) or ["GET"])
