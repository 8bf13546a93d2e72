"""What reading a file gives, whatever its format: the content types, the text read
(``ReadText``), and why a file is refused (``FormatError``). Each reader (``text``,
``html``, ``pdf``, ``docx``) and ``indexer.formats`` itself build on this module."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML = "text/html"
TEXT = "text/plain"
ZIP = "application/zip"
OLE = "application/x-ole-storage"          # old .doc, and password-protected Office files
UNDECODABLE = "text/x-unknown-encoding"    # text, but not UTF-8
BINARY = "application/octet-stream"

# The extension an original is kept under, by content type (text is kept as the .md itself).
EXTENSIONS = {PDF: "pdf", DOCX: "docx", HTML: "html"}


class FormatError(ValueError):
    """A file that cannot be read: damaged, encrypted, without text… The subclasses say
    more; the web app maps each kind to an HTTP status."""


class UnsupportedFormat(FormatError):
    """Not a supported type, or not the type its name claims."""


class EmptyFile(FormatError):
    """No bytes at all."""


class TooLarge(FormatError):
    """More than a reader accepts (pages of a PDF)."""


@dataclass(frozen=True)
class ReadText:
    """The text of a file and what it says about itself."""
    text: str                       # plain text (Markdown for .md uploads), paragraphs separated by blank lines
    content_type: str
    title: str = ""                 # from the file's own metadata or first heading, when it has one
    meta: dict[str, Any] = field(default_factory=dict)   # front matter of an uploaded .md
    pages: int | None = None        # PDFs

    @property
    def extension(self) -> str | None:
        """The extension the original is kept under, or None when the text is the original."""
        return EXTENSIONS.get(self.content_type)


def normalise_line(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip()


def normalise_text(text: str) -> str:
    """NFC, Unix newlines, no control characters, no trailing spaces, at most one blank line."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]", "", text)
    text = re.sub(r"[ \t\u00a0]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()
