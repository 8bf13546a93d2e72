"""Scanned documents: the pages of a PDF that have no text layer, and image uploads, read
by OCR (``ocr``), page by page, with progress.

A PDF with a text layer on some pages keeps that text and is recognised only where it
has none (where OCR is not installed, such a PDF is read from its text layer alone, as
it was before OCR). The language is the one staff chose, or else told from the first pages: the
first page to recognise is read with both languages' data, and the rest with the language
that its text (and any text layer) is in.

Recognising takes seconds a page, so a caller that cannot wait asks only to check
(``OcrOptions(run=False)``): the file is opened, counted and checked, and ``NeedsOcr``
says how many pages are to be recognised, for the work to be queued.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

from model.messages import Message

from ..language import detect_language
from ..markdown import join_blocks
from . import image, ocr, pdf
from .content import PDF, FormatError, ReadText, TooLarge

MIN_CONFIDENCE = 30.0     # a page read with less (Tesseract's mean word confidence) is noise


@dataclass(frozen=True)
class OcrOptions:
    """How to read a scan: the language (``fr``, ``en``; ``""`` to detect it), the most
    pages to recognise, whether to recognise now or only check, and a progress callback
    called with (pages done, pages to do)."""
    language: str = ""
    max_pages: int = 100
    run: bool = True
    progress: Callable[[int, int], None] | None = None


class NeedsOcr(FormatError):
    """A scan that can be recognised, not recognised yet (``OcrOptions(run=False)``)."""

    def __init__(self, pages: int, total: int):
        super().__init__(Message("%(pages)s pages are to be recognised (OCR)", pages=pages))
        self.pages = pages      # pages to recognise
        self.total = total      # pages in the file


def read_pdf(data: bytes, layer: pdf.TextLayer, options: OcrOptions) -> ReadText:
    """A PDF some of whose pages have no text layer: those recognised, the others kept."""
    missing = [number for number, text in enumerate(layer.pages) if pdf.lacks_text(text)]
    if len(missing) < len(layer.pages) and ocr.missing() is not None:
        return pdf.from_layer(layer)     # without OCR, the pages that have text (as before OCR)
    _check(len(missing), len(layer.pages), options)
    rendered = (pdf.render(data, number, ocr.DPI) for number in missing)
    known = "\n".join(text for text in layer.pages if not pdf.lacks_text(text))
    recognised = dict(zip(missing, list(_recognise(rendered, len(missing), options, known))))
    paragraphs = [p for number, text in enumerate(layer.pages)
                  for p in (recognised[number] if number in recognised else pdf.reflow(text))]
    title = layer.title or _first_line(paragraphs)
    return _result(paragraphs, PDF, title, len(layer.pages), len(missing))


def read_image(data: bytes, content_type: str, options: OcrOptions) -> ReadText:
    """An image upload (every page of a TIFF), recognised."""
    count = image.count_pages(data)
    _check(count, count, options)
    paragraphs = [p for page in _recognise(image.pages(data), count, options) for p in page]
    return _result(paragraphs, content_type, _first_line(paragraphs), count, count)


def _check(pages: int, total: int, options: OcrOptions) -> None:
    if pages > options.max_pages:
        raise TooLarge(Message("the scan has %(count)s pages to recognise (OCR); at most %(limit)s are "
                               "accepted: split it, or ask for a higher max_ocr_pages setting",
                               count=pages, limit=options.max_pages))
    why = ocr.missing()
    if why is not None:
        raise FormatError(Message("it is a scan (no text layer), and OCR is not available on this server: "
                                  "%(how)s", how=why))
    if not options.run:
        raise NeedsOcr(pages, total)


def _recognise(images: Iterator, count: int, options: OcrOptions, known: str = "") -> Iterator[list[str]]:
    """The paragraphs of each page image; pages read as noise give none."""
    language = options.language
    report = options.progress or (lambda done, total: None)
    report(0, count)
    readable = 0
    for done, page_image in enumerate(images, 1):
        try:
            page = ocr.recognise(page_image, language)
        except ocr.OcrError as exc:
            raise FormatError(Message("page %(page)s could not be read: %(problem)s",
                                      page=done, problem=exc.args[0])) from None
        good = page.confidence >= MIN_CONFIDENCE and page.words > 0
        readable += good
        if not language and good:
            told = detect_language(f"{known}\n{' '.join(page.paragraphs)}")
            language = told if told in ocr.LANGUAGES else ""
        report(done, count)
        yield page.paragraphs if good else []
    if not readable and not known.strip():
        raise FormatError(Message("nothing could be read in the scan (blank, or too faint, blurred or small?): "
                                  "scan it again at 300 dpi, in black and white or grey levels"))


def _first_line(paragraphs: list[str]) -> str:
    return next((p for p in paragraphs if len(p) > 3), "")[:200]


def _result(paragraphs: list[str], content_type: str, title: str, pages: int, recognised: int) -> ReadText:
    """The text read, a sentence cut by a page break joined again."""
    return ReadText(join_blocks(ocr.rejoin(paragraphs)), content_type, title=title, pages=pages,
                    recognised=recognised)
