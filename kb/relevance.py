"""Search relevance measured on a gold set: nDCG@10, recall@10 and MRR.

The gold set is a YAML list of queries, each with the ids of the documents that should
come first and a grade (2: perfect, 1: partially relevant). A hit stands for its whole
translation group, so a relevant document shown as another language version counts.
"""
from __future__ import annotations

import math
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import yaml

from .config import Settings
from .index import Index, open_index
from .search import SearchRequest, search
from .sync import sync_index

K = 10


@dataclass(frozen=True)
class GoldQuery:
    query: str
    language: str
    cross_language: bool
    relevant: dict[str, int]   # id → grade


def load_queries(path: Path) -> list[GoldQuery]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    queries = []
    for item in data:
        relevant = {r["id"]: int(r.get("grade", 1)) for r in item["relevant"]}
        queries.append(GoldQuery(item["query"], item.get("language", ""),
                                 bool(item.get("cross_language")), relevant))
    return queries


def ndcg(ranked: Sequence[set[str]], relevant: dict[str, int], k: int = K) -> float:
    """Normalized discounted cumulative gain of the first ``k`` results.

    >>> round(ndcg([{"a"}, {"b"}], {"a": 2, "b": 1}), 3)
    1.0
    >>> round(ndcg([{"x"}, {"a"}], {"a": 2}), 3)
    0.631
    """
    credited: set[str] = set()
    dcg = 0.0
    for rank, ids in enumerate(ranked[:k], start=1):
        fresh = [relevant[i] for i in ids if i in relevant and i not in credited]
        credited |= ids & relevant.keys()
        if fresh:
            dcg += (2 ** max(fresh) - 1) / math.log2(rank + 1)
    ideal = sorted(relevant.values(), reverse=True)[:k]
    idcg = sum((2 ** g - 1) / math.log2(rank + 1) for rank, g in enumerate(ideal, start=1))
    return dcg / idcg if idcg else 0.0


def recall(ranked: Sequence[set[str]], relevant: dict[str, int], k: int = K) -> float:
    found = set().union(*ranked[:k]) if ranked else set()
    return len(found & relevant.keys()) / len(relevant) if relevant else 0.0


def reciprocal_rank(ranked: Sequence[set[str]], relevant: dict[str, int]) -> float:
    for rank, ids in enumerate(ranked, start=1):
        if ids & relevant.keys():
            return 1.0 / rank
    return 0.0


@dataclass(frozen=True)
class Scores:
    queries: int
    ndcg: float
    recall: float
    mrr: float


def _mean(values: Iterable[float]) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def score(store: Index, queries: Sequence[GoldQuery], expand: bool) -> Scores:
    per_query = []
    for gold in queries:
        result = search(store, SearchRequest(query=gold.query, page_size=K, expand=expand))
        ranked = [{hit.id, *(v["id"] for v in hit.versions)} for hit in result.hits]
        per_query.append((ndcg(ranked, gold.relevant), recall(ranked, gold.relevant),
                          reciprocal_rank(ranked, gold.relevant)))
    return Scores(len(per_query), _mean(q[0] for q in per_query), _mean(q[1] for q in per_query),
                  _mean(q[2] for q in per_query))


def evaluate(store: Index, queries: Sequence[GoldQuery]) -> dict[tuple[str, bool], Scores]:
    """Scores for all queries and for the cross-language ones, with and without expansion."""
    subsets = {"all": list(queries), "cross-language": [q for q in queries if q.cross_language]}
    return {(name, expand): score(store, subset, expand)
            for name, subset in subsets.items() for expand in (True, False)}


def build_index(corpus_dirs: Sequence[Path], settings: Settings, workdir: Path) -> Index:
    """An index of the union of ``corpus_dirs``, built in ``workdir``."""
    corpus = workdir / "corpus"
    for number, folder in enumerate(corpus_dirs):
        shutil.copytree(folder, corpus / f"{number}")
    local = settings.replace(corpus_dir=corpus, data_dir=workdir / "data")
    store = open_index(local)
    report = sync_index(local, store)
    if report.errors:
        raise ValueError("relevance corpus has invalid files: " + "; ".join(map(str, report.errors)))
    return store


def format_table(results: dict[tuple[str, bool], Scores]) -> str:
    lines = [f"{'queries':<16}{'expansion':<11}{'n':>4}{'nDCG@10':>10}{'recall@10':>11}{'MRR':>8}"]
    for (name, expand), s in results.items():
        lines.append(f"{name:<16}{'on' if expand else 'off':<11}{s.queries:>4}"
                     f"{s.ndcg:>10.3f}{s.recall:>11.3f}{s.mrr:>8.3f}")
    return "\n".join(lines)


def run_relevance(settings: Settings, queries_path: Path, corpus_dirs: Sequence[Path]) -> str:
    with tempfile.TemporaryDirectory(prefix="kb-relevance-") as tmp:
        store = build_index(corpus_dirs, settings, Path(tmp))
        try:
            return format_table(evaluate(store, load_queries(queries_path)))
        finally:
            store.close()
