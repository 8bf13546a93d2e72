"""Plain text and Markdown: UTF-8 only; the front matter of a Markdown file pre-fills the
metadata form."""
from __future__ import annotations

from pathlib import Path

from . import TEXT, FormatError, ReadText

UPLOAD = Path("upload")


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), or a FormatError naming the first undecodable byte."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(f"the text is not UTF-8 (undecodable byte 0x{data[exc.start]:02x} at "
                          f"offset {exc.start}): save it as UTF-8 and upload it again") from None
    if "\x00" in text:
        raise FormatError("the file contains NUL bytes: a binary file, not text", status=415)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read(data: bytes) -> ReadText:
    from indexer import frontmatter
    from indexer.errors import DocumentError
    from indexer.read import first_line_title

    raw = decode(data)
    try:
        meta, body, _ = frontmatter.split(raw, UPLOAD)
        meta = frontmatter.validate(meta, UPLOAD)
    except DocumentError as exc:
        where = f" (line {exc.line})" if exc.line else ""
        raise FormatError(f"the front matter of the file cannot be used{where}: {exc.problem}") from None
    meta.pop("corrections", None)       # corrections belong to a published document only
    meta.pop("original", None)
    meta.pop("id", None)
    return ReadText(body, TEXT, title=meta.get("title") or first_line_title(body), meta=meta)
