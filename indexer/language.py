"""Language detection: deterministic (fixed seed), per document and per block.

langdetect is not thread-safe: it loads its profiles lazily without a lock and reseeds
the global ``random`` on every call, so threads detecting at once get wrong languages
(measured: 8 threads on a French text gave 'pl', 'af', 'fi', 'und'…). Every detection
here takes one lock, so any caller may detect from any thread.
"""
from __future__ import annotations

import re
import threading

from langdetect import DetectorFactory, LangDetectException, detect_langs

DetectorFactory.seed = 0
UNDETERMINED = "und"
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
_detecting = threading.Lock()


def detect_language(text: str) -> str:
    """ISO 639-1 code of the most probable language, or ``"und"`` for text without words.

    >>> detect_language("Nous nous engageons à lutter contre la haine.")
    'fr'
    """
    if len(_LETTERS.findall(text)) < 3:
        return UNDETERMINED
    try:
        with _detecting:
            best = detect_langs(text[:5000])[0]
    except LangDetectException:
        return UNDETERMINED
    return best.lang


def detect_blocks(text: str) -> list[tuple[str, str]]:
    """(language, paragraph) for each paragraph of ``text``, for mixed-language documents."""
    return [(detect_language(block), block)
            for block in re.split(r"\n\s*\n", text) if block.strip()]
