"""Scanned pages sent as images (PNG, JPEG, TIFF; a TIFF may hold several pages), opened
with Pillow: checked to be what they claim and of a sane size before any is recognised.

>>> image_type(b"\\x89PNG\\r\\n\\x1a\\n...")
'image/png'
>>> image_type(b"II*\\x00...")
'image/tiff'
>>> image_type(b"%PDF-1.7") is None
True
"""
from __future__ import annotations

import io
import warnings
from typing import Iterator

from model.messages import Message

from .content import JPEG, PNG, TIFF, FormatError

MAX_PIXELS = 89_000_000       # Pillow's own limit (an A4 page at 600 dpi is 35 megapixels)
_MAGIC = ((b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG), (b"II*\x00", TIFF), (b"MM\x00*", TIFF))


def image_type(data: bytes) -> str | None:
    """The image type of ``data`` from its first bytes, or None."""
    return next((kind for magic, kind in _MAGIC if data.startswith(magic)), None)


def _open(data: bytes):
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image.size  # noqa: B018 – parsed header
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _unreadable(exc) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_large() from None
    return image


def _unreadable(exc: Exception) -> FormatError:
    return FormatError(Message("the image cannot be read: it is damaged or not an image (%(problem)s)",
                               problem=str(exc)[:200]))


def _too_large() -> FormatError:
    return FormatError(Message("the image is too large to read (more than %(limit)s megapixels)",
                               limit=MAX_PIXELS // 1_000_000))


def count_pages(data: bytes) -> int:
    """How many pages the image holds; ``FormatError`` when it cannot be read or is too
    large."""
    image = _open(data)
    pages = getattr(image, "n_frames", 1)
    for number in range(pages):
        image.seek(number)
        if image.width * image.height > MAX_PIXELS:
            raise _too_large()
    return pages


def pages(data: bytes) -> Iterator:
    """Each page of the image, decoded, in grey levels."""
    image = _open(data)
    for number in range(getattr(image, "n_frames", 1)):
        image.seek(number)
        try:
            yield image.convert("L")
        except (OSError, ValueError, SyntaxError) as exc:
            raise _unreadable(exc) from None
