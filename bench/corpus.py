"""Generated corpora for the benchmarks (``shared/tools/gen_corpus.py``), as Markdown
folders (indexed through ``kb.sync``) or as Records built directly with generated
extractions (large query indexes, where extraction is not what is measured).

Document i depends only on (seed, i): a 10k corpus is the prefix of a 100k one.
Generated files live under ``bench/.cache`` (gitignored) or a temporary folder.
"""
from __future__ import annotations

import hashlib
import importlib.util
import itertools
import os
import random
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from model.record import City, Commitment, Extraction, Organisation, Record

REPO = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("KB_BENCH_CACHE", REPO / "bench" / ".cache"))
SEED = 42
THEMES = ("radicalisation", "hate speech", "social cohesion", "youth", "polarisation",
          "interfaith dialogue", "prevention", "training")
_COMMITMENT = re.compile(r"\b(?:engage|engageons|commit|pledges)\b")
_SENTENCE = re.compile(r"[^.!?]+[.!?]")


class GeneratorMissing(RuntimeError):
    """shared/tools/gen_corpus.py is not beside this checkout."""


def generator_path() -> Path:
    candidates = [Path(p) for p in (os.environ.get("KB_GEN_CORPUS", ""),) if p]
    candidates += [REPO.parent / "shared" / "tools" / "gen_corpus.py",
                   Path("/work/shared/tools/gen_corpus.py")]
    for path in candidates:
        if path.is_file():
            return path
    raise GeneratorMissing("gen_corpus.py not found: put shared/ beside the checkout or set KB_GEN_CORPUS")


@lru_cache(maxsize=1)
def _generator():
    spec = importlib.util.spec_from_file_location("gen_corpus", generator_path())
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sentences = {lang: module.load_sentences(module.DEFAULT_TEXT_DIR, lang) for lang in ("fr", "en")}
    return module, sentences


def documents(n: int, seed: int = SEED, start: int = 0) -> Iterator[dict]:
    """Generated documents start..n-1 as dicts (front matter fields, ``body``, ``cities``)."""
    module, sentences = _generator()
    for i in range(start, n):
        yield module.make_document(seed, i, sentences, 0.5)


def to_markdown(doc: dict) -> str:
    module, _ = _generator()
    return module.to_markdown(doc)


def write_markdown(n: int, folder: Path, seed: int = SEED) -> Path:
    """``n`` documents as ``folder/<type>/<id>.md``; reused when already complete."""
    folder = Path(folder)
    stamp = folder / ".complete"
    if stamp.is_file() and stamp.read_text() == f"{n} {seed}":
        return folder
    for doc in documents(n, seed):
        target = folder / doc["type"] / f"{doc['id']}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(to_markdown(doc), encoding="utf-8")
    stamp.write_text(f"{n} {seed}")
    return folder


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    module, _ = _generator()
    return {english: country for english, _, country in module.CITIES}


def _plain_body(body: str) -> str:
    """The generator's Markdown is a heading and paragraphs: its plain text, as read."""
    lines = body.split("\n", 1)
    heading = lines[0].lstrip("# ").strip()
    return (heading + "\n\n" + (lines[1] if len(lines) > 1 else "")).strip()


def generated_extraction(doc: dict) -> Extraction:
    """A plausible extraction from the generator's ground truth: cities, organisation,
    commitments (sentences with a commitment verb) and themes, deterministic per document."""
    countries = _countries()
    digest = int(hashlib.sha256(doc["id"].encode()).hexdigest()[:8], 16)
    rng = random.Random(digest)
    cities = tuple(City(name=name, country=countries.get(name, ""), geonameid=0, lat=0.0, lon=0.0,
                        surface=(name,), roles=("mentioned",)) for name in doc["cities"])
    commitments = tuple(Commitment(text=s.strip()) for s in _SENTENCE.findall(doc["body"])
                        if _COMMITMENT.search(s))
    return Extraction(
        language=doc["language"], title=doc["title"], cities=cities,
        commitments=commitments[:10],
        organisations=tuple(Organisation(name=o) for o in doc["organisations"]),
        themes=tuple(sorted(rng.sample(THEMES, rng.randint(0, 3)))))


def to_record(doc: dict, index: int) -> Record:
    body = _plain_body(doc["body"])
    return Record(
        id=doc["id"], title=doc["title"], type=doc["type"], language=doc["language"],
        body=body, path=f"{doc['type']}/{doc['id']}.md",
        fingerprint=hashlib.sha256(body.encode()).hexdigest(), date=str(doc["date"]),
        # One document in twenty has a translation partner: exercises result grouping.
        translation_key=f"pair-{index // 2}" if index % 40 in (0, 1) else None,
        organisations=tuple(doc["organisations"]), extraction=generated_extraction(doc))


def records(n: int, seed: int = SEED) -> Iterator[Record]:
    """``n`` Records with generated extractions, without reading files or running NLP."""
    for i, doc in zip(itertools.count(), documents(n, seed)):
        yield to_record(doc, i)
