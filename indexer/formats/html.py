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
                return data.decode(codecs.lookup(declared.group(1).decode("ascii")).name)
            except (LookupError, UnicodeDecodeError):
                pass
        raise FormatError(Message("the page is not UTF-8 (undecodable byte at offset %(offset)s) and "
                                  "declares no charset that decodes it", offset=exc.start)) from None


def read(data: bytes) -> ReadText:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode(data), "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup.find_all(DROPPED):
        tag.decompose()
    if soup.head:
        soup.head.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for level in range(1, 7):
        for heading in soup.find_all(f"h{level}"):
            text = " ".join(heading.get_text(" ").split())
            if not title and level == 1:
                title = text
            heading.replace_with(f"\n\n{'#' * level} {text}\n\n" if text else "\n\n")
    for item in soup.find_all("li"):
        item.insert_before("\n\n- ")
        item.insert_after("\n\n")
    for cell in soup.find_all(("td", "th")):
        cell.insert_after(" | ")
    for block in soup.find_all(BLOCKS):
        block.insert_before("\n\n")
        block.insert_after("\n\n")
    paragraphs = []
    for chunk in re.split(r"\n\s*\n", soup.get_text()):
        lines = [" ".join(line.split()) for line in chunk.split("\n")]
        text = " ".join(line for line in lines if line).strip(" |")
        if text and text != "-":
            paragraphs.append(text)
    return ReadText(join_blocks(paragraphs), HTML, title=title)

