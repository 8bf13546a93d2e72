"""A document's paragraphs and passages, the same for every engine and for the pages: a
hit's passage ``p-N`` is the anchor of paragraph N on the document page."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

SNIPPET_CHARS = 240
_SENTENCE_END = re.compile(r"[.!?:;»…)]$")


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a document text; their 1-based positions are the anchors p-N."""
    return text.split("\n\n")


def is_heading(paragraph: str) -> bool:
    """A short line without final punctuation that is not a list item.

    >>> is_heading("Nos engagements"), is_heading("Nous nous engageons.")
    (True, False)
    """
    line = paragraph.strip()
    return (0 < len(line) <= 120 and "\n" not in line and not line.startswith("- ")
            and not _SENTENCE_END.search(line))


@dataclass(frozen=True)
class Passage:
    number: int             # 1-based paragraph number: the anchor is p-<number>
    heading: str | None     # the nearest heading above it, if any
    text: str

    def to_dict(self) -> dict:
        return {"number": self.number, "heading": self.heading, "anchor": f"p-{self.number}"}


def plain_snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    """The start of ``text``, escaped, cut at a word boundary.

    >>> plain_snippet("Nous, les maires <de> Nice", limit=17)
    'Nous, les maires …'
    """
    cut = text[:limit]
    if len(text) > limit:
        cut = cut.rsplit(" ", 1)[0] + " …"
    return html.escape(cut, quote=False)
