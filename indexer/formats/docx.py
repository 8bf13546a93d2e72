"""Word documents (.docx, python-docx): paragraphs, headings, list items and tables.

A .docx is a zip archive: its sizes are checked before python-docx opens it, so that a
small file that unpacks to gigabytes (a zip bomb) is refused without being unpacked.
"""
from __future__ import annotations

import io
import zipfile

from model.messages import Message

from ..markdown import join_blocks
from .content import DOCX, FormatError, ReadText

MAX_UNPACKED_BYTES = 100 * 1024 * 1024    # every member together, as the archive declares them
MAX_MEMBERS = 2000
MAX_RATIO = 100                           # unpacked/packed, for members above RATIO_FROM bytes
RATIO_FROM = 1024 * 1024


def check_archive(data: bytes) -> None:
    """Refuse archives that would unpack too large, or whose members compress implausibly well."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise FormatError(Message("the Word document is damaged: %(problem)s", problem=str(exc))) from None
    if len(members) > MAX_MEMBERS:
        raise FormatError(Message("the Word document holds %(count)s parts (at most %(limit)s): refused as "
                                  "a possible zip bomb", count=len(members), limit=MAX_MEMBERS))
    total = sum(m.file_size for m in members)
    if total > MAX_UNPACKED_BYTES:
        raise FormatError(Message("the Word document would unpack to %(size)s MB (at most %(limit)s MB): "
                                  "refused as a possible zip bomb", size=total // (1024 * 1024),
                                  limit=MAX_UNPACKED_BYTES // (1024 * 1024)))
    for member in members:
        if member.file_size > RATIO_FROM and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise FormatError(Message("a part of the Word document (%(part)s) is compressed %(ratio)s to 1: "
                                      "refused as a possible zip bomb", part=member.filename,
                                      ratio=member.file_size // max(member.compress_size, 1)))
        if member.flag_bits & 0x1:
            raise FormatError(Message("the Word document is encrypted: save a copy without a password"))


def read(data: bytes) -> ReadText:
    import docx
    from docx.oxml.ns import qn

    check_archive(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:   # python-docx raises zip, XML and key errors on damaged files
        raise FormatError(Message("the Word document is damaged and cannot be opened (%(problem)s)",
                                  problem=type(exc).__name__)) from None
    blocks: list[str] = []
    title = (document.core_properties.title or "").strip()
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            paragraph = docx.text.paragraph.Paragraph(element, document)
            text = " ".join(paragraph.text.split())
            if not text:
                continue
            style = (paragraph.style.name if paragraph.style is not None else "") or ""
            if style.startswith("Heading") and style[-1:].isdigit():
                blocks.append("#" * min(int(style[-1]), 6) + " " + text)
                title = title or text
            elif style == "Title":
                blocks.append("# " + text)
                title = title or text
            elif style.startswith("List"):
                blocks.append("- " + text)
            else:
                blocks.append(text)
        elif element.tag == qn("w:tbl"):
            table = docx.table.Table(element, document)
            for row in table.rows:
                cells = [" ".join(cell.text.split()) for cell in row.cells]
                line = " | ".join(dict.fromkeys(c for c in cells if c))
                if line:
                    blocks.append(line)
    return ReadText(join_blocks(blocks), DOCX, title=title)

