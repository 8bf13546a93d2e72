"""PDF files (pypdfium2): the text layer of every page, lines joined back into paragraphs.

Encrypted and damaged files are refused with a message that says so; a PDF without a text
layer (a scan) has no text and is refused by the caller.
"""
from __future__ import annotations

import re
import threading
from statistics import median

from model.messages import Message

from ..markdown import join_blocks
from .content import PDF, FormatError, ReadText, TooLarge

MAX_PAGES = 500            # the default of the max_pdf_pages setting
PASSWORD_ERROR = 4          # FPDF_ERR_PASSWORD
_LOCK = threading.Lock()    # PDFium is not thread-safe
_SYMBOLS = "•▪◦●·‣∙*–—-"
_BULLET = re.compile(r"^(?:[•▪◦●·‣∙*–—-]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")
_PAGE_NUMBER = re.compile(r"^(?:(?:page|p\.)\s*)?\d{1,4}(?:\s*(?:/|of|sur)\s*\d{1,4})?$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:;»\"”…]$")


def read(data: bytes, max_pages: int = MAX_PAGES) -> ReadText:
    import pypdfium2 as pdfium

    with _LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if getattr(exc, "err_code", None) == PASSWORD_ERROR:
                raise FormatError(Message("the PDF is encrypted (protected by a password): save a copy "
                                          "without a password and upload that")) from None
            raise FormatError(Message("the PDF is damaged and cannot be opened (%(problem)s)",
                                      problem=str(exc).removeprefix("Failed to load document "))) from None
        try:
            count = len(document)
            if count > max_pages:
                raise TooLarge(Message("the PDF has %(count)s pages; at most %(limit)s are accepted",
                                       count=count, limit=max_pages))
            pages = []
            for number in range(count):
                page = document[number]
                textpage = page.get_textpage()
                try:
                    pages.append(textpage.get_text_bounded())
                finally:
                    textpage.close()
                    page.close()
            title = (document.get_metadata_dict().get("Title") or "").strip()
        except pdfium.PdfiumError as exc:
            raise FormatError(Message("the PDF is damaged: %(problem)s", problem=str(exc))) from None
        finally:
            document.close()
    if not title and pages:
        # No title in the metadata: the first line of the first page, usually the heading.
        title = next((line.strip() for line in pages[0].splitlines() if len(line.strip()) > 3), "")[:200]
    paragraphs = [p for page in pages for p in reflow(page)]
    return ReadText(join_blocks(paragraphs), PDF, title=title, pages=count)


def reflow(page_text: str) -> list[str]:
    """A page's lines joined into paragraphs: a paragraph ends at a blank line, or at a
    line that ends a sentence and is clearly shorter than the page's lines; bullets start
    items; hyphens at line ends are joined; lone page numbers are dropped.

    >>> reflow("Nous, les maires des villes signataires, nous\\r\\nengageons à agir.\\r\\n• former les agents ;\\r\\n• soutenir les jeunes.")
    ['Nous, les maires des villes signataires, nous engageons à agir.', '- former les agents ;', '- soutenir les jeunes.']
    """
    lines = [line.strip() for line in page_text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lengths = [len(line) for line in lines if line]
    typical = median(lengths) if lengths else 0
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if not line or _PAGE_NUMBER.match(line):
            if current:
                paragraphs.append(current)
            current = ""
            continue
        bullet = _BULLET.match(line)
        if bullet:
            if current:
                paragraphs.append(current)
            current = "- " + line[bullet.end():] if line[0] in _SYMBOLS else line
            continue
        if not current:
            current = line
        elif current.endswith(("\u00ad", "\x02")):
            current = current[:-1] + line
        elif current.endswith("-") and not current.endswith(" -"):
            current += line
        else:
            current += " " + line
        if _SENTENCE_END.search(line) and len(line) < 0.8 * typical:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs
