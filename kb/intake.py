"""One intake for a new document, whether staff upload it on the web or run ``kb add``:
the file's text (its type sniffed from its bytes), refused when empty or already in the
knowledge base, its language detected, and the metadata form pre-filled from what was
given, the file's own front matter, and what the text says (first line, first date,
organisations found), with what extraction finds.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Mapping

from indexer.extract.dates import extract_dates
from indexer.formats import OcrOptions, ReadText, TooLarge
from indexer.formats.isolated import MB, Limits, read_isolated
from indexer.language import UNDETERMINED, detect_language
from indexer.markdown import first_line_title
from model.fields import FORM
from model.messages import Message
from model.record import DOCUMENT_TYPES, Extraction

from . import audit, uploads
from .changes import duplicate_error, find_duplicate, plain_text
from .config import Settings
from .errors import InvalidChange
from .index import Index
from .publishing import preview_extraction

METADATA_FIELDS = FORM
SUGGESTED_ORGANISATIONS = 5


def reading_limits(settings: Settings) -> Limits:
    """What reading one new file may take, from the settings."""
    return Limits(max_pages=settings.max_pdf_pages, max_text_mb=settings.max_text_mb,
                  memory_mb=settings.reader_memory_mb, seconds=settings.reader_timeout)


@dataclass(frozen=True)
class Intake:
    """A new document as read, before staff publish it."""
    read: ReadText
    plain: str                       # the text as it will be indexed
    detected_language: str           # "" when it cannot be told
    values: dict[str, str]           # the metadata form, pre-filled
    extraction: Extraction | None    # what extraction finds (None until the language is known)


def take_in(settings: Settings, index: Index, data: bytes, filename: str | None = None, *,
            given: Mapping[str, str | None] | None = None, default_type: str = "",
            ocr: OcrOptions | None = None) -> Intake:
    """Read ``data`` (a file called ``filename``, used for its extension only; pasted text
    when None). ``given`` values win over the file's front matter, which wins over what
    the text says; ``default_type`` is used when neither gives a type. A scan is
    recognised as ``ocr`` says (its page limit is the ``max_ocr_pages`` setting).

    The file is read in a process of its own within the settings' limits (``reader_memory_mb``,
    ``reader_timeout``, ``max_pdf_pages``, ``max_text_mb``; a scan's OCR gets
    ``reader_timeout`` a page), after its size is checked against ``max_upload_mb``: the
    same limits for the upload page, the background jobs and ``kb add``.

    Raises ``indexer.formats.FormatError`` for a file that cannot be used (``TooLarge``
    over a limit, ``NeedsOcr`` for a scan when ``ocr.run`` is false), ``InvalidChange``
    when it has no text, ``DuplicateText`` when the same text is there.
    """
    if len(data) > settings.max_upload_mb * MB:
        raise TooLarge(Message("the file is %(size)s MB; at most %(limit)s MB can be added", size=f"{len(data) / MB:.1f}",
                               limit=settings.max_upload_mb))
    ocr = dataclasses.replace(ocr or OcrOptions(), max_pages=settings.max_ocr_pages)
    read = read_isolated(data, filename, reading_limits(settings), ocr)
    plain = plain_text(read.text)
    if not plain:
        raise InvalidChange(Message("No text was found in it."))
    found = find_duplicate(index, plain)
    if found:
        raise duplicate_error(found)
    detected = detect_language(plain)
    detected = "" if detected == UNDETERMINED else detected
    given = {k: v for k, v in (given or {}).items() if v}
    meta = {k: v for k, v in read.meta.items() if v}
    values = {name: given.get(name) or meta.get(name) for name in METADATA_FIELDS}
    if isinstance(values["organisations"], (list, tuple)):
        values["organisations"] = "\n".join(values["organisations"])
    values["title"] = values["title"] or read.title or first_line_title(read.text)
    values["type"] = values["type"] or default_type or "unknown"
    if values["type"] not in DOCUMENT_TYPES:
        values["type"] = "unknown"
    values["language"] = values["language"] or detected
    values["status"] = values["status"] or "published"
    extraction = None
    if values["language"]:
        if not values["date"]:
            # The first date of the text (the date rules alone, cheap): extraction then runs
            # with the date the form will show, and is cached for publishing.
            dates = extract_dates(plain, values["language"])
            values["date"] = dates[0].value if dates else ""
        extraction = preview_extraction(settings, plain, values["language"],
                                        " ".join(values["title"].split()), values["date"] or None)
        if not values["organisations"]:
            values["organisations"] = "\n".join(
                o.name for o in extraction.organisations[:SUGGESTED_ORGANISATIONS])
    return Intake(read, plain, detected, {k: str(v or "") for k, v in values.items()}, extraction)


def keep_draft(settings: Settings, user: str, intake: Intake, filename: str | None,
               data: bytes) -> uploads.Upload:
    """The upload draft of what was taken in (the original kept when it is a file), for
    staff to review; logged as an upload."""
    read = intake.read
    draft = uploads.create(settings, user, filename=filename or "", content_type=read.content_type,
                           extension=read.extension, text=read.text, meta=intake.values,
                           detected_language=intake.detected_language,
                           original=data if read.extension else None, pages=read.pages,
                           recognised=read.recognised)
    audit.record(settings, user, "upload", None, upload=draft.token, file=draft.filename or "pasted text",
                 type=read.content_type, words=len(intake.plain.split()), recognised=read.recognised or None)
    return draft
