"""PDF files (pypdfium2): the text layer of every page, lines joined back into paragraphs.

Encrypted and damaged files are refused with a message that says so. Pages without a text
layer (scanned pages) are found here (``lacks_text``) and rendered (``render``) for OCR
(``indexer.formats.scan``).
"""
from __future__ import annotations

import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from statistics import median

from model.messages import Message

from ..markdown import join_blocks
from .content import PDF, FormatError, ReadText, TooLarge

MAX_PAGES = 500            # the default of the max_pdf_pages setting
PASSWORD_ERROR = 4          # FPDF_ERR_PASSWORD
MIN_LETTERS = 20            # fewer letters in a page's text layer: a scanned page
_LETTER = re.compile(r"[^\W\d_]")
_LOCK = threading.Lock()    # PDFium is not thread-safe
_SYMBOLS = "•▪◦●·‣∙*–—-"
_BULLET = re.compile(r"^(?:[•▪◦●·‣∙*–—-]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")
_PAGE_NUMBER = re.compile(r"^(?:(?:page|p\.)\s*)?\d{1,4}(?:\s*(?:/|of|sur)\s*\d{1,4})?$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:;»\"”…]$")


@dataclass(frozen=True)
class TextLayer:
    """The text layer of each page of a PDF (empty for a scanned page), and its title."""
    pages: list[str]
    title: str


@contextmanager
def _opened(data: bytes):
    """The PDFium document of ``data``, under the lock; ``FormatError`` when it is
    encrypted or damaged."""
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
            yield document
        except pdfium.PdfiumError as exc:
            raise FormatError(Message("the PDF is damaged: %(problem)s", problem=str(exc))) from None
        finally:
            document.close()


def text_layer(data: bytes, max_pages: int = MAX_PAGES) -> TextLayer:
    """Every page's text layer; ``TooLarge`` beyond ``max_pages`` pages."""
    with _opened(data) as document:
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
    return TextLayer(pages, title)


def lacks_text(page_text: str) -> bool:
    """A page whose text layer holds (almost) no letters: a scanned page.

    >>> lacks_text(" 3 "), lacks_text("Nous nous engageons à agir.")
    (True, False)
    """
    return next(islice(_LETTER.finditer(page_text), MIN_LETTERS - 1, None), None) is None


def render(data: bytes, number: int, dpi: int):
    """Page ``number`` (from 0) as a grey-level Pillow image: at the resolution of the scan
    it holds (its largest image), else at ``dpi``. Scaling a scan up or down only blurs
    it, and its noise with it."""
    with _opened(data) as document:
        page = document[number]
        try:
            return page.render(scale=(scan_dpi(page) or dpi) / 72, grayscale=True).to_pil()
        finally:
            page.close()


def scan_dpi(page) -> float | None:
    """The resolution of the largest image on ``page`` (a PDFium page), within 100–600 dpi,
    or None when it has none."""
    import pypdfium2.raw as pdfium_c

    best, dpi = 0.0, None
    for found in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, bottom, right, top = found.get_bounds()
        width, _ = found.get_px_size()
        area = (right - left) * (top - bottom)
        if area > best and right - left > 0:
            best, dpi = area, width / ((right - left) / 72)
    return min(max(dpi, 100.0), 600.0) if dpi else None


def read(data: bytes, max_pages: int = MAX_PAGES) -> ReadText:
    return from_layer(text_layer(data, max_pages))


def from_layer(layer: TextLayer) -> ReadText:
    """The text of a PDF whose pages all have a text layer."""
    return ReadText(join_blocks(paragraphs_of(layer.pages)), PDF, title=title_of(layer),
                    pages=len(layer.pages))


def paragraphs_of(pages: list[str]) -> list[str]:
    return [p for page in pages for p in reflow(page)]


def title_of(layer: TextLayer) -> str:
    """The metadata's title, else the first line of the first page (usually the heading)."""
    if layer.title or not layer.pages:
        return layer.title
    return next((line.strip() for line in layer.pages[0].splitlines() if len(line.strip()) > 3), "")[:200]


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
