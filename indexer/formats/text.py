"""Plain text and Markdown: UTF-8 only; the front matter of a Markdown file pre-fills the
metadata form."""
from __future__ import annotations

from pathlib import Path

from model.messages import Message

from .. import frontmatter
from ..errors import DocumentError
from ..markdown import first_line_title
from .content import TEXT, FormatError, ReadText, UnsupportedFormat

UPLOAD = Path("upload")


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), or a FormatError naming the first undecodable byte."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(Message("the text is not UTF-8 (undecodable byte 0x%(byte)02x at offset "
                                  "%(offset)s): save it as UTF-8 and upload it again",
                                  byte=data[exc.start], offset=exc.start)) from None
    if "\x00" in text:
        raise UnsupportedFormat(Message("the file contains NUL bytes: a binary file, not text"))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read(data: bytes) -> ReadText:
    raw = decode(data)
    try:
        meta, body, _ = frontmatter.split(raw, UPLOAD)
        meta = frontmatter.validate(meta, UPLOAD)
    except DocumentError as exc:
        if exc.line:
            raise FormatError(Message("the front matter of the file cannot be used (line %(line)s): %(problem)s",
                                      line=exc.line, problem=exc.problem)) from None
        raise FormatError(Message("the front matter of the file cannot be used: %(problem)s",
                                  problem=exc.problem)) from None
    meta.pop("corrections", None)       # corrections belong to a published document only
    meta.pop("original", None)
    meta.pop("id", None)
    return ReadText(body, TEXT, title=meta.get("title") or first_line_title(body), meta=meta)
