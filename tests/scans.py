"""Small generated scans for the OCR tests and benchmarks: text drawn on a page with
Pillow (DejaVu Sans, Debian's fonts-dejavu-core, which `make test` installs), turned a
little and speckled with noise, saved as PNG, JPEG, TIFF or an image-only PDF; and the
character error rate of a recognised text."""
from __future__ import annotations

import io
import random
import re
import textwrap
import unicodedata
from pathlib import Path

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
DPI = 200
PAGE = (int(8.27 * DPI), int(11.69 * DPI))       # A4


def page_image(text: str, rotation: float = 0.8, noise: float = 0.004, seed: int = 1, size: int = 30,
               width: int = 68):
    """``text`` (paragraphs separated by blank lines) drawn on a white A4 page at 200 dpi
    in lines of ``width`` characters, turned ``rotation`` degrees, with ``noise`` of its
    pixels flipped at random."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(FONT), size)
    page = Image.new("L", PAGE, 255)
    draw = ImageDraw.Draw(page)
    y = int(0.8 * DPI)
    for paragraph in text.split("\n\n"):
        for line in _wrapped(paragraph, width):
            draw.text((int(0.8 * DPI), y), line, font=font, fill=0)
            y += int(size * 1.5)
        y += int(size * 1.2)
    page = page.rotate(rotation, resample=Image.BICUBIC, fillcolor=255)
    randomness = random.Random(seed)
    pixels = page.load()
    for _ in range(int(noise * PAGE[0] * PAGE[1])):
        pixels[randomness.randrange(PAGE[0]), randomness.randrange(PAGE[1])] = randomness.choice((0, 90, 255))
    return page


def paginate(text: str, width: int = 90, lines: int = 44) -> list[str]:
    r"""``text`` cut into pages of at most ``lines`` lines of ``width`` characters (a blank
    line between paragraphs), for ``page_image(…, size=22, width=width)``.

    >>> paginate("un deux trois\n\nquatre cinq six sept neuf", width=8, lines=3)
    ['un deux\ntrois', 'quatre\ncinq six\nsept', 'neuf']
    """
    pages: list[list[str]] = [[]]
    used = 0
    for paragraph in text.split("\n\n"):
        wrapped = _wrapped(paragraph, width)
        while wrapped:
            room = lines - used
            if room <= 0:
                pages.append([])
                used, room = 0, lines
            pages[-1].append("\n".join(wrapped[:room]))
            used += len(wrapped[:room]) + 1
            wrapped = wrapped[room:]
    return ["\n\n".join(page) for page in pages if page]


def _wrapped(paragraph: str, width: int) -> list[str]:
    """The lines of a paragraph: each of its own lines (list items) wrapped at ``width``."""
    return [wrapped for line in paragraph.split("\n") for wrapped in textwrap.wrap(line, width)]


def image_bytes(pages: list[str], kind: str = "PNG", bilevel: bool = False, **options) -> bytes:
    """One page per text, as ``kind`` (PNG, JPEG, TIFF: every page; PDF: image-only pages),
    in grey levels or black and white (``bilevel``: a PDF's pages then CCITT G4, as
    office scanners make them, 75 kB a page)."""
    images = [page_image(text, seed=number, **options) for number, text in enumerate(pages, 1)]
    if bilevel:
        images = [image.point(lambda v: 255 if v > 128 else 0, "1") for image in images]
    buffer = io.BytesIO()
    extra = {"save_all": True, "append_images": images[1:]} if kind in ("TIFF", "PDF") else {}
    if kind == "PDF":
        extra["resolution"] = DPI
    if kind == "TIFF":
        extra["compression"] = "tiff_adobe_deflate"     # small: the test client spools big bodies to files
    images[0].save(buffer, format=kind, **extra)
    return buffer.getvalue()


def joined_pdf(*documents: bytes) -> bytes:
    """The pages of several PDFs, one after the other (a text page, then a scanned one…)."""
    import pypdfium2 as pdfium

    joined = pdfium.PdfDocument.new()
    for data in documents:
        joined.import_pages(pdfium.PdfDocument(data))
    buffer = io.BytesIO()
    joined.save(buffer)
    return buffer.getvalue()


def normalised(text: str) -> str:
    """NFC, typographic apostrophes made plain, whitespace single spaces."""
    text = unicodedata.normalize("NFC", text).replace("’", "'")
    return re.sub(r"\s+", " ", text).strip()


def character_error_rate(recognised: str, original: str) -> float:
    """Edits (insertions, deletions, substitutions) from the original to the recognised
    text, over the original's length, both normalised.

    >>> character_error_rate("Lyon", "Lyon"), character_error_rate("Lvon", "Lyon")
    (0.0, 0.25)
    """
    a, b = normalised(original), normalised(recognised)
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other)))
        previous = current
    return previous[-1] / max(1, len(a))
