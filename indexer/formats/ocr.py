"""Optical character recognition with Tesseract, one page image at a time.

Self-contained (the ``tesseract`` command, Pillow, the standard library), so that it can
run wherever a page image can be handed to it, a sandboxed reader included. Debian's
packages ``tesseract-ocr``, ``tesseract-ocr-fra`` and ``tesseract-ocr-eng`` provide it
(``make run`` and ``make test`` install them).

A page is recognised by ``tesseract stdin stdout … tsv``: every word with its block,
paragraph and line, and Tesseract's confidence in it. The paragraphs Tesseract finds are
kept (lines joined, words cut by a hyphen at a line's end joined back), in its reading
order (columns one after the other).

>>> paragraphs_of_tsv(SAMPLE_TSV)
(['Nous nous engageons à agir.', 'Signé à Lyon.'], 92.4)
"""
from __future__ import annotations

import functools
import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass

from model.messages import Message

# Two-letter codes staff choose from, and Tesseract's names for their trained data.
LANGUAGES = {"fr": "fra", "en": "eng"}
BOTH = "fra+eng"
DPI = 300                  # what scanners make and what Tesseract is trained for
PAGE_TIMEOUT = 180         # seconds for one page before giving up on it
TURNED_CONFIDENCE = 70.0   # a page read with less may be turned: its orientation is looked at
SMALL_TEXT = 14            # words smaller than this (pixels high) are read again enlarged…
TEXT_HEIGHT = 22           # …to about this height (10.5 pt at 200 dpi is 18 pixels)
MAX_ENLARGEMENT = 3.0
MIN_ORIENTATION_CONFIDENCE = 2.0   # Tesseract's own threshold for trusting its orientation
# OpenMP threads fight the other work of a 2-core machine: one thread per page ran a page
# 3 times faster here (0.57 s instead of 1.68 s).
_ENVIRONMENT = {"OMP_THREAD_LIMIT": "1"}
HOW_TO_ENABLE = Message("OCR needs Tesseract with its French and English data: run `make run` (it installs them "
                        "where it can), or `sudo apt-get install tesseract-ocr tesseract-ocr-fra "
                        "tesseract-ocr-eng`, then restart the server")

SAMPLE_TSV = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
              "5\t1\t1\t1\t1\t1\t0\t0\t1\t1\t95\tNous\n5\t1\t1\t1\t1\t2\t0\t0\t1\t1\t96\tnous\n"
              "5\t1\t1\t1\t1\t3\t0\t0\t1\t1\t90\tenga-\n5\t1\t1\t1\t2\t1\t0\t0\t1\t1\t88\tgeons\n"
              "5\t1\t1\t1\t2\t2\t0\t0\t1\t1\t91\tà\n5\t1\t1\t1\t2\t3\t0\t0\t1\t1\t93\tagir.\n"
              "4\t1\t2\t1\t1\t0\t0\t0\t1\t1\t-1\t\n"
              "5\t1\t2\t1\t1\t1\t0\t0\t1\t1\t89\tSigné\n5\t1\t2\t1\t1\t2\t0\t0\t1\t1\t92\tà\n"
              "5\t1\t2\t1\t1\t3\t0\t0\t1\t1\t98\tLyon.\n")


class OcrError(Exception):
    """Tesseract is missing, failed, or took too long; the message says which."""


@dataclass(frozen=True)
class Page:
    """What was recognised on one page."""
    paragraphs: list[str]
    confidence: float           # mean word confidence, 0–100 (0 when no word)
    text_height: float = 0.0    # median height of its words, in pixels (0 when no word)

    @property
    def words(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)


@functools.lru_cache(maxsize=1)
def installed_languages() -> frozenset[str]:
    """Tesseract's installed trained data (``fra``, ``eng``…), empty when it is missing."""
    binary = shutil.which("tesseract")
    if binary is None:
        return frozenset()
    try:
        listed = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=30,
                                env={**os.environ, **_ENVIRONMENT})
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip() for line in listed.stdout.splitlines()[1:] if line.strip())


def trust_installed(languages) -> None:
    """Take ``languages`` as Tesseract's installed data without asking it: a reader
    process (``indexer.formats.isolated``) told by its parent, which asked."""
    global installed_languages
    known = frozenset(languages)
    installed_languages = lambda: known         # noqa: E731


def missing() -> Message | None:
    """Why OCR cannot run here (with how to enable it), or None when it can."""
    if not set(LANGUAGES.values()) <= installed_languages():
        return HOW_TO_ENABLE
    return None


def tesseract_languages(language: str) -> str:
    """Tesseract's ``-l`` for a two-letter code; both languages when it is not one of them.

    >>> tesseract_languages("fr"), tesseract_languages("")
    ('fra', 'fra+eng')
    """
    return LANGUAGES.get(language, BOTH)


def recognise(image, language: str = "") -> Page:
    """The text of one page image (a Pillow image) in ``language`` (``fr``, ``en``, or
    ``""`` for both at once). A page in small type is read again enlarged, and a page read
    poorly again the right way up when Tesseract finds it turned (scanned sideways or
    upside down)."""
    from PIL import Image

    page_image = despeckled(image.convert("L"))
    page = _read(page_image, language)
    if 0 < page.text_height < SMALL_TEXT:
        # Small type (a page scanned at 100–150 dpi): Tesseract reads it far better enlarged.
        factor = min(MAX_ENLARGEMENT, TEXT_HEIGHT / page.text_height)
        size = (round(page_image.width * factor), round(page_image.height * factor))
        page_image = page_image.resize(size, Image.LANCZOS)
        enlarged = _read(page_image, language)
        page = enlarged if enlarged.confidence >= page.confidence else page
    if page.confidence < TURNED_CONFIDENCE:
        turn = orientation(page_image)
        if turn:
            turned = _read(page_image.rotate(-turn, expand=True, fillcolor=255), language)
            page = turned if turned.confidence > page.confidence else page
    return page


def orientation(image) -> int:
    """Degrees to turn the page clockwise to read it (0, 90, 180, 270), by Tesseract's
    orientation detection; 0 when it cannot tell (too little text)."""
    try:
        found = _tesseract(image, ["--psm", "0"])
    except OcrError:
        return 0
    turn = re.search(r"^Rotate: (\d+)", found, re.MULTILINE)
    sure = re.search(r"^Orientation confidence: ([\d.]+)", found, re.MULTILINE)
    return int(turn.group(1)) % 360 if turn and sure and float(sure.group(1)) >= MIN_ORIENTATION_CONFIDENCE else 0


def _read(image, language: str) -> Page:
    tsv = _tesseract(image, ["-l", tesseract_languages(language), "--dpi", str(DPI), "--psm", "3", "tsv"])
    paragraphs, confidence = paragraphs_of_tsv(tsv)
    return Page(paragraphs, confidence, text_height(tsv))


def _tesseract(image, arguments: list[str]) -> str:
    """What ``tesseract stdin stdout ARGUMENTS`` prints for ``image``."""
    binary = shutil.which("tesseract")
    if binary is None:
        raise OcrError(HOW_TO_ENABLE)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    try:
        done = subprocess.run([binary, "stdin", "stdout", *arguments], input=buffer.getvalue(),
                              capture_output=True, timeout=PAGE_TIMEOUT, env={**os.environ, **_ENVIRONMENT})
    except subprocess.TimeoutExpired:
        raise OcrError(Message("a page took more than %(seconds)s seconds to read", seconds=PAGE_TIMEOUT)) from None
    except OSError as exc:
        raise OcrError(Message("Tesseract could not be started (%(problem)s)", problem=exc.strerror)) from None
    if done.returncode != 0:
        problem = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [str(done.returncode)]
        raise OcrError(Message("Tesseract failed (%(problem)s)", problem=problem[0][:200]))
    return done.stdout.decode("utf-8", "replace")


def despeckled(image):
    """A grey-level page with its lone dark pixels (specks of dust, scanner noise) made
    white; strokes of letters, two pixels wide or more, are left as they are. Tesseract
    reads the specks as accents and dots otherwise ("noùs", "Collectivemént")."""
    import numpy
    from PIL import Image

    pixels = numpy.asarray(image)
    dark = pixels < 128
    padded = numpy.pad(dark, 1)
    neighbours = sum(padded[1 + dy:padded.shape[0] - 1 + dy, 1 + dx:padded.shape[1] - 1 + dx]
                     for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx)
    lone = dark & (neighbours == 0)
    if not lone.any():
        return image
    cleaned = pixels.copy()
    cleaned[lone] = 255
    return Image.fromarray(cleaned)


def text_height(tsv: str) -> float:
    """The median height, in pixels, of the words of three letters or more in Tesseract's
    TSV output (0 when there is none).

    >>> text_height(SAMPLE_TSV)
    1
    """
    heights = sorted(int(cells[9]) for cells in (row.split("\t") for row in tsv.splitlines()[1:])
                     if len(cells) >= 12 and cells[0] == "5" and len(_LETTERS.findall(cells[11])) >= 3
                     and cells[9].isdigit())
    return heights[len(heights) // 2] if heights else 0


def paragraphs_of_tsv(tsv: str) -> tuple[list[str], float]:
    """Paragraphs (Tesseract's blocks and paragraphs, lines joined) and the mean confidence
    of their words, from Tesseract's TSV output."""
    paragraphs: dict[tuple[str, str], list[str]] = {}
    lines: dict[tuple[str, str, str], list[str]] = {}
    confidences: list[float] = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        word, confidence = cells[11].strip(), _number(cells[10])
        if not _WORD.search(word) and (confidence < SPECK_CONFIDENCE or _SPECK.match(word)):
            continue        # a speck of dust read as a dot or a quote
        block, paragraph, line = cells[2], cells[3], cells[4]
        lines.setdefault((block, paragraph, line), []).append(word)
        paragraphs.setdefault((block, paragraph), [])
        confidences.append(confidence)
    for (block, paragraph, _), words in lines.items():
        paragraphs[(block, paragraph)].append(" ".join(words))
    joined = rejoin([_join_lines(item) for found in paragraphs.values() for item in _items(found)])
    mean = sum(confidences) / len(confidences) if confidences else 0.0
    return joined, round(mean, 1)


_UNFINISHED = re.compile(r"[^.!?:;»\"”…)]$")


def rejoin(paragraphs: list[str]) -> list[str]:
    """A paragraph that stops mid-sentence and one that goes on in lower case are one (a
    last line Tesseract set apart).

    >>> rejoin(["Nous nous engageons à ouvrir des maisons pour les", "jeunes.", "Fait à Lyon"])
    ['Nous nous engageons à ouvrir des maisons pour les jeunes.', 'Fait à Lyon']
    >>> rejoin(["- former les agents,", "notamment les médiateurs ;", "- agir."])
    ['- former les agents, notamment les médiateurs ;', '- agir.']
    """
    out: list[str] = []
    for paragraph in paragraphs:
        if out and _UNFINISHED.search(out[-1]) and paragraph[:1].islower():
            out[-1] += " " + paragraph
        else:
            out.append(paragraph)
    return out


_CUT = re.compile(r"[^\W\d_]-$")
_BULLET = re.compile(r"^[-–—•▪●■♦*+_]\s+")     # "+" and "_": how Tesseract often reads ♦ and -


def _items(lines: list[str]) -> list[list[str]]:
    """A paragraph's lines cut where a line starts with a bullet, each item as ``- …``.

    >>> _items(["Nous voulons :", "• former", "les agents ;", "_ agir."])
    [['Nous voulons :'], ['- former', 'les agents ;'], ['- agir.']]
    """
    items: list[list[str]] = []
    for line in lines:
        bullet = _BULLET.match(line)
        if bullet or not items:
            items.append(["- " + line[bullet.end():] if bullet else line])
        else:
            items[-1].append(line)
    return items
_WORD = re.compile(r"\w")
_LETTERS = re.compile(r"[^\W\d_]")
_SPECK = re.compile(r"^[.,'`‘’_~^°¨|]+$")    # alone, never a word (French « : ; ! ? » are)
SPECK_CONFIDENCE = 60.0


def _number(text: str) -> float:
    try:
        return max(0.0, float(text))
    except ValueError:
        return 0.0


def _join_lines(lines: list[str]) -> str:
    """Lines of one paragraph as one line; ``enga-`` + ``geons`` → ``engageons``.

    >>> _join_lines(["Nous nous enga-", "geons, Saint-", "Denis"])
    'Nous nous engageons, Saint-Denis'
    """
    text = ""
    for line in lines:
        if _CUT.search(text) and line[:1].islower():
            text = text[:-1] + line
        elif _CUT.search(text):
            text += line
        else:
            text = f"{text} {line}".strip()
    return text
