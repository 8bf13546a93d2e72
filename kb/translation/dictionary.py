"""The bilingual dictionary: FreeDict's French–English and English–French dictionaries
compiled into one table of translation probabilities per direction.

Each direction uses both dictionaries: the forward one (``fra-eng`` for French words)
says which words translate a headword, sense by sense; the backward one (``eng-fra``)
says which English headwords list the French word among their translations. Each gives
a probability of every translation t of a word w, with senses equally likely and the
words of a sense too:

- forward: p(t|w) = Σ over w's senses that list t of 1 / (senses × words of the sense);
- backward: p(t|w) ∝ p(w|t), the same computed on t's own entry (uniform prior on t).

When both know the word their mean is used, so a translation both confirm ranks first.
Translations that share a lemma (``prevent``, ``preventing``) are one translation.
Pairs of proper names (both capitalised: ``Liban`` → ``Lebanon``) are left to the
gazetteer and the organisation aliases. A word is looked up by its lemma (``words.py``).

The compiled table is kept in the data folder (``translation/dictionary.json``) and
compiled again when the dictionary files change, like a cache.
"""
from __future__ import annotations

import hashlib
import json
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .cognates import Rules, candidates, learn_rules
from .freedict import Entry, read_dictionary
from .words import LANGUAGES, OTHER, headword_key, lemma_key

DICTD_DIR = Path("/usr/share/dictd")
SOURCES = {"fr": "freedict-fra-eng", "en": "freedict-eng-fra"}   # dictionary of headwords in each language
COMPILED = Path("translation") / "dictionary.json"
FORMAT = 3            # bump when the compiled table changes meaning: it is compiled again
MAX_WORDS = 3         # longer translations are explanations, not words a text would use
KEEP = 8              # translations kept per word

Translations = list[tuple[str, float]]
_lock = threading.Lock()
_compiled: dict[str, tuple["Dictionary", str]] = {}    # sources → compiled dictionary and its JSON


@dataclass(frozen=True)
class Dictionary:
    """Translations by lemma key, for words of each language, and the cognate endings
    learned from them (``cognates.py``)."""
    lemmas: dict[str, dict[str, Translations]]
    endings: dict[str, Rules] = field(default_factory=dict)

    def cognates(self, word: str, language: str) -> Translations:
        """Words of the other language that ``word`` may be a cognate of, with the
        precision of the ending rule that made each."""
        return candidates(word, self.endings.get(language, {}))

    def lookup(self, text: str, language: str) -> Translations:
        """Translations of ``text`` (a word or phrase in ``language``) with their
        probabilities, most probable first; [] when the dictionary does not know it."""
        return list(self.lemmas.get(language, {}).get(lemma_key(text, language)) or [])

    def knows(self, text: str, language: str) -> bool:
        return bool(self.lookup(text, language))


def source_files(dictd_dir: Path = DICTD_DIR) -> dict[str, tuple[Path, Path]]:
    """language → (.index, .dict.dz) of its dictionary, for those installed."""
    found = {}
    for language, name in SOURCES.items():
        index, data = Path(dictd_dir) / f"{name}.index", Path(dictd_dir) / f"{name}.dict.dz"
        if index.is_file() and data.is_file():
            found[language] = (index, data)
    return found


def fingerprint(files: dict[str, tuple[Path, Path]]) -> dict[str, str]:
    """A content hash of each dictionary file, the compiled format and the lemmatizer's
    version (translations are merged by lemma)."""
    from importlib.metadata import version
    out = {"format": str(FORMAT), "simplemma": version("simplemma")}
    for language, paths in sorted(files.items()):
        for path in paths:
            out[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _is_name(word: str) -> bool:
    return word[:1].isupper()


def _clean(translation: str, language: str) -> str | None:
    """A translation as a text would use it (French reflexive pronoun dropped), or None."""
    words = translation.split()
    if language == "fr" and words and words[0].lower() in ("se", "s'"):
        words = words[1:]
    elif language == "fr" and words and words[0].lower().startswith(("s'", "s’")):
        words[0] = words[0][2:]
    if not words or len(words) > MAX_WORDS or "..." in translation:
        return None
    return " ".join(words)


def _sense_weights(entry: Entry) -> dict[str, float]:
    """p(t | headword) from one entry: senses equally likely, words of a sense too."""
    weights: dict[str, float] = defaultdict(float)
    for sense in entry.senses:
        for word in sense:
            weights[word] += 1.0 / (len(entry.senses) * len(sense))
    return weights


def _normalized(weights: dict[str, float]) -> dict[str, float]:
    total = sum(weights.values())
    return {k: v / total for k, v in weights.items()} if total else {}


def _direction(forward: list[Entry], backward: list[Entry], source: str) -> dict[str, dict[str, float]]:
    """Headword key (in ``source``) → {translation: probability}."""
    target = OTHER[source]
    fwd: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    surfaces: dict[str, dict[str, float]] = {}
    for entry in forward:
        key = headword_key(entry.headword)
        for word, weight in _sense_weights(entry).items():
            clean = _clean(word, target)
            if key and clean and not (_is_name(entry.headword) and _is_name(clean)):
                fwd[key][clean] += weight
    bwd: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for entry in backward:
        translation = _clean(entry.headword, target)
        if translation is None:
            continue
        for word, weight in _sense_weights(entry).items():
            clean = _clean(word, source)
            key = headword_key(clean) if clean else ""
            if key and not (_is_name(entry.headword) and _is_name(clean)):
                bwd[key][translation] += weight
    for key in set(fwd) | set(bwd):
        parts = [_normalized(d) for d in (fwd.get(key), bwd.get(key)) if d]
        merged: dict[str, float] = defaultdict(float)
        for part in parts:
            for word, p in part.items():
                merged[word] += p / len(parts)
        surfaces[key] = merged
    return surfaces


def _by_lemma(weights: dict[str, float], language: str) -> Translations:
    """Translations sharing a lemma merged into their most probable form, best first."""
    groups: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for word, p in weights.items():
        groups[lemma_key(word, language)].append((word, p))
    merged = []
    for members in groups.values():
        best = min(members, key=lambda m: (-m[1], len(m[0]), m[0]))[0]
        merged.append((best, round(sum(p for _, p in members), 4)))
    merged.sort(key=lambda m: (-m[1], m[0]))
    return merged[:KEEP]


def compile_dictionary(entries: dict[str, list[Entry]]) -> Dictionary:
    """A Dictionary from each language's entries (``{"fr": fra-eng, "en": eng-fra}``);
    a direction is compiled from whichever of the two dictionaries are given."""
    lemmas: dict[str, dict[str, Translations]] = {}
    for source in LANGUAGES:
        weights = _direction(entries.get(source, []), entries.get(OTHER[source], []), source)
        lemmas[source] = {key: _by_lemma(w, OTHER[source]) for key, w in weights.items() if w}
    endings = {source: learn_rules((key, word) for key, translations in lemmas[source].items()
                                   for word, _ in translations if " " not in key and " " not in word)
               for source in LANGUAGES}
    return Dictionary(lemmas, endings)


def _to_json(dictionary: Dictionary, sources: dict[str, str]) -> str:
    return json.dumps({"sources": sources, "lemmas": dictionary.lemmas, "endings": dictionary.endings},
                      ensure_ascii=False, separators=(",", ":"))


def _from_json(data: dict) -> Dictionary:
    def tables(raw: dict) -> dict[str, dict[str, Translations]]:
        return {lang: {k: [(w, p) for w, p in v] for k, v in table.items()} for lang, table in raw.items()}
    return Dictionary(tables(data["lemmas"]), tables(data["endings"]))


def load_dictionary(data_dir: Path | None, dictd_dir: Path = DICTD_DIR) -> Dictionary | None:
    """The compiled dictionary of ``data_dir``, compiled first if the dictionary files
    changed since (or it was never compiled); None when neither is there. Without a data
    folder (None) it is compiled in memory only."""
    from ..storage import atomic_write

    files = source_files(dictd_dir)
    compiled = Path(data_dir) / COMPILED if data_dir is not None else None
    stored = None
    if compiled is not None and compiled.is_file():
        try:
            stored = json.loads(compiled.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stored = None
    if stored and stored.get("sources", {}).get("format") != str(FORMAT):
        stored = None
    if not files:
        return _from_json(stored) if stored else None
    sources = fingerprint(files)
    if stored and stored.get("sources") == sources:
        return _from_json(stored)
    key = json.dumps(sources, sort_keys=True)
    with _lock:
        if key not in _compiled:         # once per process, whatever the data folder
            _compiled.clear()
            dictionary = compile_dictionary({lang: read_dictionary(*paths) for lang, paths in files.items()})
            _compiled[key] = (dictionary, _to_json(dictionary, sources))
        dictionary, text = _compiled[key]
    if compiled is None:
        return dictionary
    try:
        atomic_write(compiled, text)
    except OSError:
        pass          # a read-only data folder: compiled again by the next process
    return dictionary
