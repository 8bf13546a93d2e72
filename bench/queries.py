"""A fixed, varied set of queries drawn from the generated corpus: single words (common,
mid-frequency, rare), phrases, two-word AND, facet filters, page 5, cross-language
words, and browsing (empty query with filters). Each query is given in the knowledge
base's syntax and as the equivalent SQLite FTS5 MATCH expression."""
from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable
from urllib.parse import urlencode

from kb.index.analysis import STOP_WORDS
from kb.search import SearchRequest

from . import corpus

# How many queries of each kind (220 in all); ``scale`` shrinks them for tiny runs.
MIX = {"word": 60, "phrase": 30, "and": 40, "filter": 30, "page5": 20, "expand": 25, "browse": 15}
# Words the bilingual vocabulary is meant to know, and city names in French.
CROSS_LANGUAGE = ("haine", "hate", "radicalisation", "radicalization", "polarisation", "extrémisme",
                  "extremism", "jeunesse", "youth", "vivre-ensemble", "social cohesion",
                  "cohésion sociale", "prévention", "prevention", "discours de haine",
                  "hate speech", "Bruxelles", "Genève", "Londres", "Varsovie", "Anvers",
                  "Lisbonne", "Beyrouth", "Copenhague", "Athènes")
_WORD = re.compile(r"[^\W\d_]{3,}")


@dataclass(frozen=True)
class BenchQuery:
    kind: str
    query: str                              # knowledge-base syntax
    fts: str                                # FTS5 MATCH expression; "" lists every document
    filters: tuple[tuple[str, str], ...] = ()
    page: int = 1

    def request(self) -> SearchRequest:
        filters: dict[str, list[str]] = {}
        for name, value in self.filters:
            filters.setdefault(name, []).append(value)
        return SearchRequest(query=self.query, filters=filters, page=self.page,
                             sort="relevance" if self.query else "newest")

    def url(self) -> str:
        params = [("q", self.query), *self.filters]
        if self.page > 1:
            params.append(("page", str(self.page)))
        return "/search?" + urlencode(params)


def _fts_term(text: str) -> str:
    return '"' + text.replace('"', " ") + '"'


def _fts_alternatives(text: str) -> str:
    """The FTS5 form of a word or phrase and of its cross-language equivalents."""
    from kb.lookups import city_names, vocabulary_terms
    options = dict.fromkeys([text, *vocabulary_terms(text), *city_names(text)])
    if len(options) == 1:
        return _fts_term(text)
    return "(" + " OR ".join(_fts_term(o) for o in options) + ")"


def _vocabulary(docs: Iterable[dict]) -> dict[str, list[str]]:
    """Per language, the corpus words (3+ letters, not stop words) by falling frequency."""
    counts: dict[str, Counter] = {"fr": Counter(), "en": Counter()}
    for doc in docs:
        words = {w.lower() for w in _WORD.findall(doc["body"])}
        counts[doc["language"]].update(w for w in words if w not in STOP_WORDS and "'" not in w)
    # Sorted by count, then word: independent of string hashing (sets differ between processes).
    return {lang: [w for w, c in sorted(counter.items(), key=lambda wc: (-wc[1], wc[0])) if c >= 2]
            for lang, counter in counts.items()}


def _bigrams(docs: Iterable[dict]) -> list[str]:
    pairs: Counter = Counter()
    for doc in docs:
        words = _WORD.findall(doc["body"].lower())
        pairs.update(f"{a} {b}" for a, b in zip(words, words[1:])
                     if a not in STOP_WORDS and b not in STOP_WORDS)
    return [p for p, c in pairs.most_common(400) if c >= 3]


def query_set(sample_docs: int = 2000, seed: int = 7, scale: float = 1.0) -> list[BenchQuery]:
    """The benchmark queries: deterministic for a given sample, seed and scale."""
    docs = list(corpus.documents(sample_docs))
    vocab = _vocabulary(docs)
    bigrams = _bigrams(docs)
    rng = random.Random(seed)
    module, _ = corpus._generator()
    cities = [c[0] for c in module.CITIES]
    years = sorted({str(d["date"])[:4] for d in docs})
    count = {kind: max(1, round(n * scale)) for kind, n in MIX.items()}
    out: list[BenchQuery] = []

    def word(band: str) -> str:
        words = vocab[rng.choice(("fr", "en"))]
        third = max(1, len(words) // 3)
        pool = {"common": words[:200], "mid": words[200:third] or words,
                "rare": words[third:] or words}[band]
        return rng.choice(pool)

    for i in range(count["word"]):
        w = word(("common", "mid", "rare")[i % 3])
        out.append(BenchQuery("word", w, _fts_term(w)))
    for _ in range(count["phrase"]):
        p = rng.choice(bigrams)
        out.append(BenchQuery("phrase", f'"{p}"', _fts_term(p)))
    for _ in range(count["and"]):
        lang = rng.choice(("fr", "en"))
        a, b = rng.choice(vocab[lang][:600]), rng.choice(vocab[lang][:3000])
        out.append(BenchQuery("and", f"{a} {b}", f"{_fts_term(a)} {_fts_term(b)}"))
    facet_choices = [lambda: ("type", rng.choice(module.TYPES)), lambda: ("language", rng.choice(("fr", "en"))),
                     lambda: ("year", rng.choice(years)), lambda: ("city", rng.choice(cities))]
    for i in range(count["filter"]):
        w = word("common")
        filters = tuple(sorted({rng.choice(facet_choices)() for _ in range(1 + i % 2)}))
        out.append(BenchQuery("filter", w, _fts_term(w), filters))
    for _ in range(count["page5"]):
        w = vocab[rng.choice(("fr", "en"))][rng.randrange(40)]
        out.append(BenchQuery("page5", w, _fts_term(w), page=5))
    for i in range(count["expand"]):
        text = CROSS_LANGUAGE[i % len(CROSS_LANGUAGE)]
        typed = f'"{text}"' if " " in text else text
        out.append(BenchQuery("expand", typed, _fts_alternatives(text)))
    for i in range(count["browse"]):
        filters = tuple(sorted({rng.choice(facet_choices)() for _ in range(i % 3)}))
        out.append(BenchQuery("browse", "", "", filters))
    return out
