"""HTML pages: text only. Scripts, styles and other non-text elements are dropped; block
elements become paragraphs, headings Markdown headings, list items ``- `` lines."""
from __future__ import annotations

import codecs
import re

from model.messages import Message

from ..markdown import join_blocks
from .content import HTML, FormatError, ReadText

DROPPED = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
           "canvas", "math", "audio", "video", "form", "button", "select", "input", "textarea")
BLOCKS = ("p", "div", "section", "article", "main", "header", "footer", "aside", "nav",
          "blockquote", "pre", "table", "tr", "ul", "ol", "dl", "dt", "dd", "figure",
          "figcaption", "address", "hr", "details", "summary")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def decode(data: bytes) -> str:
    """UTF-8, else the charset the page declares; never a guess."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        declared = _CHARSET.search(data[:4096])
        if declared:
            try:
                codec = codecs.lookup(declared.group(1).decode("ascii"))
                # Only a text encoding: "undefined" raises whatever it is given, "rot13"
                # and "base64" are transforms, not charsets; a page that says in ASCII
                # that it is UTF-16 is not (the HTML standard reads it as UTF-8).
                if getattr(codec, "_is_text_encoding", True) and not codec.name.startswith(("utf-16", "utf-32")):
                    return data.decode(codec.name)
            except (LookupError, ValueError):      # UnicodeError is a ValueError
                pass
        raise FormatError(Message("the page is not UTF-8 (undecodable byte at offset %(offset)s) and "
                                  "declares no charset that decodes it", offset=exc.start)) from None


def read(data: bytes) -> ReadText:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode(data), "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    text, first_heading = _text(soup)
    paragraphs = []
    for chunk in re.split(r"\n\s*\n", text):
        lines = [" ".join(line.split()) for line in chunk.split("\n")]
        text = " ".join(line for line in lines if line).strip(" |")
        if text and text != "-":
            paragraphs.append(text)
    return ReadText(join_blocks(paragraphs), HTML, title=title or first_heading)


def _text(soup) -> tuple[str, str]:
    """The page's text with blank lines around blocks, headings as Markdown headings and
    list items as ``- `` lines; and the first level-1 heading. One walk of the tree with
    a stack of its own, nothing changed in it: a page of 100,000 nested elements is read
    in seconds (changing the tree in place walked it to the bottom at every change)."""
    from bs4 import CData, NavigableString, Tag

    buffers: list[list[str]] = [[]]
    first_heading = ""
    stack: list = [soup]
    while stack:
        node = stack.pop()
        if isinstance(node, _End):
            if node.heading:
                heading = " ".join("".join(buffers.pop()).split())
                if node.heading == 1 and not first_heading:
                    first_heading = heading
                buffers[-1].append(f"\n\n{'#' * node.heading} {heading}\n\n" if heading else "\n\n")
            else:
                buffers[-1].append(node.text)
            continue
        if isinstance(node, NavigableString):
            if type(node) in (NavigableString, CData):
                buffers[-1].append(str(node))
            continue
        if not isinstance(node, Tag):
            continue
        name = node.name
        if name in DROPPED or name == "head":
            continue
        if name == "br":
            buffers[-1].append("\n")
            continue
        heading = int(name[1]) if len(name) == 2 and name[0] == "h" and name[1] in "123456" else 0
        if heading:
            buffers.append([])
            stack.append(_End("", heading))
        elif name == "li":
            buffers[-1].append("\n\n- ")
            stack.append(_End("\n\n"))
        elif name in ("td", "th"):
            stack.append(_End(" | "))
        elif name in BLOCKS:
            buffers[-1].append("\n\n")
            stack.append(_End("\n\n"))
        stack.extend(reversed(node.contents))
    return "".join(buffers[0]), first_heading


class _End:
    """What closes an element in the walk: the text after it, or the end of a heading."""
    __slots__ = ("text", "heading")

    def __init__(self, text: str, heading: int = 0):
        self.text = text
        self.heading = heading
