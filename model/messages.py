"""Messages that staff see, written once in English and shown in the interface language.

A ``Message`` is the English text itself (a ``str``, so the command line, logs and
exceptions use it as they are), and it remembers its template and values, so that the
web interface can translate it as gettext would (``webapp.i18n.localise``: the template
looked up in the gettext catalog, the same values filled in). ``pybabel extract`` finds
the templates of ``Message("…")`` calls (``babel.cfg``), so write the template as a literal.

>>> m = Message("the PDF has %(count)s pages; at most %(limit)s are accepted", count=900, limit=500)
>>> str(m), m.template, m.values["count"]
('the PDF has 900 pages; at most 500 are accepted', 'the PDF has %(count)s pages; at most %(limit)s are accepted', 900)
"""
from __future__ import annotations

from typing import Any


class Message(str):
    """English text made from ``template % values``; values may be Messages themselves."""

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, **values: Any) -> "Message":
        text = super().__new__(cls, template % values if values else template)
        text.template = template
        text.values = values
        return text


def message_data(message: str) -> dict[str, Any]:
    """A Message (or plain text) as JSON data, to cross a process or be stored:
    ``{"template", "values"}``, its values numbers, text or Messages in turn.

    >>> m = message_of(message_data(Message("page %(page)s: %(why)s", page=2, why=Message("blank"))))
    >>> str(m), m.values["why"].template, message_data("plain")
    ('page 2: blank', 'blank', {'template': 'plain', 'values': {}})
    """
    def value(v: Any) -> Any:
        if isinstance(v, Message):
            return message_data(v)
        return v if isinstance(v, (int, float)) or v is None else str(v)
    return {"template": getattr(message, "template", str(message)),
            "values": {k: value(v) for k, v in getattr(message, "values", {}).items()}}


def message_of(data: dict[str, Any]) -> Message:
    """The Message ``message_data`` made ``data`` of."""
    return Message(data["template"], **{k: message_of(v) if isinstance(v, dict) else v
                                        for k, v in (data.get("values") or {}).items()})
