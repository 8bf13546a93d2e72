"""Query translation beyond the bilingual vocabulary: every word of a query, through
FreeDict's French–English and English–French dictionaries (``dictionary.py``, compiled
into the data folder), and names through the organisation aliases and the gazetteer
(``names.py``). ``model/vocabulary.yaml`` stays the authority for the field's terms:
``kb.expansion`` asks the translator only about words the vocabulary and the city names
do not cover. What the documents say of a word (which translations the other language
uses) comes from the index, through its interface (``corpus.py``), whatever the engine.

Without the dictionary files (Debian's ``dict-freedict-fra-eng`` and
``dict-freedict-eng-fra``) nor a compiled copy, translation falls back to names only and
the query's interpretation says so.
"""
from __future__ import annotations

import threading
from pathlib import Path

from .dictionary import DICTD_DIR, Dictionary, load_dictionary
from .translator import Translation, Translator
from ..index.analysis import STOP_WORDS

__all__ = ["Dictionary", "Translation", "Translator", "default_translator", "load_translator",
           "use_data_folder"]

_lock = threading.Lock()
_translators: dict[tuple[str, str], Translator] = {}
_data_folder: list[Path] = []


def load_translator(data_dir: Path | None, dictd_dir: Path = DICTD_DIR) -> Translator:
    """The translator of a data folder, its dictionary compiled there if needed (None:
    compiled in memory only); one per process and folder."""
    key = (str(Path(data_dir).resolve()) if data_dir is not None else "", str(dictd_dir))
    with _lock:
        found = _translators.get(key)
        if found is None:
            found = _translators[key] = Translator(load_dictionary(data_dir, Path(dictd_dir)),
                                                   stop_words=STOP_WORDS)
        return found


def use_data_folder(folder: Path) -> None:
    """Keep the compiled dictionary in ``folder`` (the data folder) and read it from
    there: the kb command and the web app name theirs, as for the gazetteer."""
    _data_folder[:] = [Path(folder)]


def default_translator() -> Translator:
    """The translator of the data folder named by ``use_data_folder`` (none named: its
    dictionary compiled in memory, once per process)."""
    return load_translator(_data_folder[0] if _data_folder else None)
