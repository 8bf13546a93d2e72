"""Reading uploaded files: what a file really is (sniffed from its bytes, never from its
name), and its text.

One module per format (``text``, ``html``, ``pdf``, ``docx``), each with a ``read(data)``
function, on ``content`` (content types, ``ReadText``, ``FormatError``); scans (PDF pages
without a text layer, PNG, JPEG and TIFF images) are read by OCR (``scan``, ``ocr``,
``image``). ``read_upload`` is what callers use: it refuses a file whose content is not
what its name claims, a format that is not supported, and a file without text, with a
``FormatError`` that says why; ``read_file`` reads a file on disk (an original) the same way.

>>> sniff(b"%PDF-1.7 ...")
'application/pdf'
>>> sniff("<!doctype html><p>Bonjour</p>".encode())
'text/html'
>>> sniff("Nous, les maires".encode())
'text/plain'
>>> read_upload("Nous, les maires.".encode(), "../../etc/notes.txt").text
'Nous, les maires.'
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Callable

from model.messages import Message

from ..markdown import join_blocks
from . import docx, html, image, pdf, scan, text
from .content import (BINARY, DOCX, EXTENSIONS, HTML, IMAGES, JPEG, OLE, PDF, PNG, TEXT, TIFF,
                      UNDECODABLE, ZIP, EmptyFile, FormatError, ReadText, TooLarge, UnsupportedFormat,
                      normalise_line, normalise_text)
from .scan import NeedsOcr, OcrOptions

__all__ = ["EmptyFile", "FormatError", "NeedsOcr", "ORIGINAL_EXTENSIONS", "ORIGINAL_SUFFIXES", "OcrOptions",
           "ReadText", "TooLarge", "UnsupportedFormat", "join_blocks", "normalise_line", "normalise_text",
           "read_file", "read_upload", "sniff", "text_from_bytes"]

# What a file name may claim, and the content types that honour the claim.
CLAIMS: dict[str, tuple[str, ...]] = {
    ".pdf": (PDF,), ".docx": (DOCX,), ".html": (HTML, TEXT), ".htm": (HTML, TEXT),
    ".md": (TEXT,), ".markdown": (TEXT,), ".txt": (TEXT,),
    ".png": (PNG,), ".jpg": (JPEG,), ".jpeg": (JPEG,), ".tif": (TIFF,), ".tiff": (TIFF,),
}
# What an original is kept as beside its .md, and the names such originals may have.
ORIGINAL_EXTENSIONS = tuple(EXTENSIONS.values())
ORIGINAL_SUFFIXES = tuple(claim for claim, kinds in CLAIMS.items() if any(k in EXTENSIONS for k in kinds))
NAMES = {PDF: Message("a PDF"), DOCX: Message("a Word document (.docx)"), HTML: Message("an HTML page"),
         TEXT: Message("plain text"), ZIP: Message("a zip archive"), PNG: Message("a PNG image"),
         JPEG: Message("a JPEG image"), TIFF: Message("a TIFF image"),
         OLE: Message("an old-format or password-protected Office file"),
         UNDECODABLE: Message("text that is not UTF-8"), BINARY: Message("a binary file")}

_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])",
                         re.IGNORECASE | re.DOTALL)
_HTML_TAGS = re.compile(rb"<(html|head|body|p|div|h[1-6]|title|meta|script|table)[\s>/]", re.IGNORECASE)


def sniff(data: bytes) -> str:
    """The content type of ``data`` from its first bytes and structure, never a file name."""
    head = data[:1024]
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"%PDF-"):
        return PDF
    if image.image_type(data):
        return image.image_type(data)
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return BINARY
        return DOCX if "word/document.xml" in names and "[Content_Types].xml" in names else ZIP
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if b"\x00" in data:
        return BINARY
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if _HTML_START.match(stripped) or len(_HTML_TAGS.findall(head)) >= 2:
            return HTML          # another charset may be declared in the page
        return UNDECODABLE if _mostly_printable(data) else BINARY
    if _HTML_START.match(stripped):
        return HTML
    return TEXT if _mostly_printable(text.encode("utf-8")) else BINARY


def _mostly_printable(data: bytes) -> bool:
    sample = data[:4096]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls <= len(sample) // 100


def claimed_type(filename: str) -> str:
    """The extension a file name claims, lower case (``""`` when none)."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name.strip(".") else ""


READERS: dict[str, Callable[[bytes], ReadText]] = {PDF: pdf.read, DOCX: docx.read, HTML: html.read,
                                                   TEXT: text.read}


def read_upload(data: bytes, filename: str, ocr: OcrOptions | None = None, *,
                max_pages: int = pdf.MAX_PAGES) -> ReadText:
    """The text of an uploaded file called ``filename`` (used for its extension only);
    scanned pages recognised as ``ocr`` says (by default: now, the language detected).

    Raises ``UnsupportedFormat`` (415) for a type that is not supported or not the one
    its name claims, ``TooLarge`` (413) for a PDF of more than ``max_pages`` pages or a
    scan of more pages to recognise than ``ocr.max_pages``, ``NeedsOcr`` for a scan to
    recognise when ``ocr.run`` is false, ``FormatError`` (422) for a file that cannot be
    read or has no text. Files nobody vouches for are read by ``read_isolated``
    (``indexer.formats.isolated``): this, in a process of its own, with memory and time
    limits.
    """
    claim = claimed_type(filename)
    if claim not in CLAIMS:
        supported = ", ".join(sorted(CLAIMS))
        raise UnsupportedFormat(Message("files of type %(claim)s are not supported; upload one of: %(supported)s",
                                        claim=claim or Message("(no extension)"), supported=supported))
    if not data:
        raise EmptyFile(Message("the file is empty"))
    actual = sniff(data)
    if actual == UNDECODABLE and TEXT in CLAIMS[claim]:
        return text_from_bytes(data)      # raises the decoding error with its offset
    if actual not in CLAIMS[claim]:
        hint = Message(" (password-protected? save it again without a password, as .docx)") if actual == OLE else ""
        raise UnsupportedFormat(Message("the file is named %(claim)s but its content is %(actual)s%(hint)s",
                                        claim=claim, actual=NAMES.get(actual, actual), hint=hint))
    ocr = ocr or OcrOptions()
    if actual == PDF:
        layer = pdf.text_layer(data, max_pages)
        scanned = any(pdf.lacks_text(page) for page in layer.pages)
        result = scan.read_pdf(data, layer, ocr) if scanned else pdf.from_layer(layer)
    elif actual in IMAGES:
        result = scan.read_image(data, actual, ocr)
    else:
        result = READERS[actual](data)
    return _checked(result)


def text_from_bytes(data: bytes) -> ReadText:
    """Pasted or uploaded text: UTF-8 only."""
    return _checked(text.read(data))


def read_file(path: Path) -> ReadText:
    """The text of a file on disk (.pdf, .docx, .html, .md, .txt), as ``read_upload`` reads
    it; ``FormatError`` saying why it cannot be used."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise FormatError(f"{path}: cannot read: {exc.strerror}") from None
    return read_upload(data, Path(path).name)


def _checked(result: ReadText) -> ReadText:
    clean = normalise_text(result.text)
    if not re.search(r"[^\W\d_]{2,}", clean):
        raise FormatError(Message("no text was found in the file"))
    return ReadText(clean, result.content_type, normalise_line(result.title)[:300],
                    result.meta, result.pages, result.recognised)
