"""Query translation beyond the bilingual vocabulary: every word of a query, through
FreeDict's French–English and English–French dictionaries (``dictionary.py``, compiled
into the data folder), and names through the organisation aliases and the gazetteer
(``names.py``). ``kb/vocabulary.yaml`` stays the authority for the field's terms:
``kb.expansion`` asks the translator only about words the vocabulary and the city names
do not cover.

Without the dictionary files (Debian's ``dict-freedict-fra-eng`` and
``dict-freedict-eng-fra``) nor a compiled copy, translation falls back to names only and
the query's interpretation says so.
"""
from __future__ import annotations

import threading
from pathlib import Path

from .dictionary import DICTD_DIR, Dictionary, load_dictionary
from .translator import Translation, Translator

__all__ = ["Dictionary", "Translation", "Translator", "load_translator", "translator_for"]

_lock = threading.Lock()
_translators: dict[tuple[str, str], Translator] = {}


def load_translator(data_dir: Path, dictd_dir: Path = DICTD_DIR) -> Translator:
    """The translator of a data folder, its dictionary compiled there if needed; one per
    process and folder."""
    key = (str(Path(data_dir).resolve()), str(dictd_dir))
    with _lock:
        found = _translators.get(key)
        if found is None:
            from ..schema import STOP_WORDS
            found = _translators[key] = Translator(load_dictionary(Path(data_dir), Path(dictd_dir)),
                                                   stop_words=STOP_WORDS)
        return found


def translator_for(store) -> Translator:
    """The translator of the data folder that holds ``store``'s index."""
    return load_translator(Path(store.index_dir).parent)
