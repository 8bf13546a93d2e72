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
