"""Search relevance measured on a gold set: nDCG@10, recall@10 and MRR.

The gold set is a YAML list of queries, each with the ids of the documents that should
come first and a grade (2: perfect, 1: partially relevant). A hit stands for its whole
translation group, so a relevant document shown as another language version counts.
Queries are scored in each cross-language mode (``MODES``), for all of them, the
same-language and the cross-language ones apart, and per half of a gold set that has
halves (the dev set's: ``kb/devset.py``).
"""
from __future__ import annotations

import json
import math
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Sequence

import yaml

from .config import Settings
from .devset import is_devset, load_devset_queries, write_corpus
from .evaluation.gold import GoldQuery
from .index import Index, open_index
from .search import SearchRequest, search
from .sync import sync_index

K = 10


# What each mode asks of the search: off (the words as typed); the bilingual vocabulary,
# city, country and organisation names (what search does without the dictionary); and
# the dictionary's translations of the other words too.
MODES: dict[str, dict[str, bool]] = {
    "off": {"expand": False},
    "vocabulary": {"expand": True, "translate": False},
    "dictionary": {"expand": True, "translate": True, "pairs": False},
    "dictionary+pairs": {"expand": True, "translate": True, "pairs": True},
}


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


def _translator(pairs: bool):
    from .translation import default_translator
    return lambda: default_translator().with_pairs(pairs)


def query_scores(store: Index, gold: GoldQuery, mode: str) -> tuple[float, float, float]:
    """(nDCG@10, recall@10, reciprocal rank) of one query searched in ``mode``."""
    options = dict(MODES[mode])
    pairs = options.pop("pairs", None)
    extra = {} if pairs is None else {"translator": _translator(pairs)}
    result = search(store, SearchRequest(query=gold.query, page_size=K, **options), **extra)
    ranked = [{hit.id, *(v["id"] for v in hit.versions)} for hit in result.hits]
    return (ndcg(ranked, gold.relevant), recall(ranked, gold.relevant),
            reciprocal_rank(ranked, gold.relevant))


def subsets(queries: Sequence[GoldQuery]) -> dict[str, list[GoldQuery]]:
    """All queries, same-language and cross-language ones, and the same per half."""
    def split(prefix: str, chosen: list[GoldQuery]) -> dict[str, list[GoldQuery]]:
        return {f"{prefix}all": chosen,
                f"{prefix}same-language": [q for q in chosen if not q.cross_language],
                f"{prefix}cross-language": [q for q in chosen if q.cross_language]}
    out = split("", list(queries))
    for half in sorted({q.half for q in queries if q.half}):
        out.update(split(f"half {half} ", [q for q in queries if q.half == half]))
    return out


def score_queries(store: Index, queries: Sequence[GoldQuery],
                  modes: Sequence[str] = tuple(MODES)) -> dict[tuple[int, str], tuple[float, float, float]]:
    """(position of the query in ``queries``, mode) → its (nDCG@10, recall@10, reciprocal rank)."""
    return {(number, mode): query_scores(store, q, mode)
            for number, q in enumerate(queries) for mode in modes}


def evaluate(store: Index, queries: Sequence[GoldQuery], modes: Sequence[str] = tuple(MODES),
             per_query: dict[tuple[int, str], tuple[float, float, float]] | None = None,
             ) -> dict[tuple[str, str], Scores]:
    """(subset, mode) → scores, for every subset of ``subsets`` and every mode."""
    if per_query is None:
        per_query = score_queries(store, queries, modes)
    position = {id(q): number for number, q in enumerate(queries)}
    results = {}
    for name, chosen in subsets(queries).items():
        for mode in modes:
            rows = [per_query[position[id(q)], mode] for q in chosen]
            results[name, mode] = Scores(len(rows), _mean(r[0] for r in rows),
                                         _mean(r[1] for r in rows), _mean(r[2] for r in rows))
    return results


def format_details(queries: Sequence[GoldQuery], modes: Sequence[str],
                   per_query: dict[tuple[int, str], tuple[float, float, float]]) -> str:
    """One line per query: its half, language, whether it is cross-language, nDCG@10 per mode."""
    lines = [f"{'query':<8}{'half':<5}{'lang':<5}{'cross':<6}"
             + "".join(f"{mode:>12}" for mode in modes) + "  text"]
    for number, q in enumerate(queries):
        lines.append(f"{q.id or number + 1!s:<8}{q.half or '-':<5}{q.language or '-':<5}"
                     f"{'yes' if q.cross_language else 'no':<6}"
                     + "".join(f"{per_query[number, mode][0]:>12.3f}" for mode in modes)
                     + f"  {q.query}")
    return "\n".join(lines)


def build_index(corpus_dirs: Sequence[Path], settings: Settings, workdir: Path,
                devset: Path | None = None) -> Index:
    """An index of the union of ``corpus_dirs`` (and of the documents of a dev-set
    folder), built in ``workdir``."""
    corpus = workdir / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for number, folder in enumerate(corpus_dirs):
        shutil.copytree(folder, corpus / f"{number}")
    if devset is not None:
        write_corpus(devset, corpus / "devset")
    local = settings.replace(corpus_dir=corpus, data_dir=workdir / "data")
    store = open_index(local)
    report = sync_index(local, store)
    if report.errors:
        raise ValueError("relevance corpus has invalid files: " + "; ".join(map(str, report.errors)))
    return store


def format_table(results: dict[tuple[str, str], Scores]) -> str:
    lines = [f"{'queries':<30}{'mode':<20}{'n':>4}{'nDCG@10':>10}{'recall@10':>11}{'MRR':>8}"]
    for (name, mode), s in results.items():
        lines.append(f"{name:<30}{mode:<20}{s.queries:>4}"
                     f"{s.ndcg:>10.3f}{s.recall:>11.3f}{s.mrr:>8.3f}")
    return "\n".join(lines)


def run_relevance(settings: Settings, queries_path: Path, corpus_dirs: Sequence[Path],
                  details: bool = False, as_json: bool = False) -> str:
    """The table of ``evaluate`` (and, with ``details``, nDCG@10 per query; with
    ``as_json``, the scores as JSON) for a queries file over ``corpus_dirs`` or, when
    ``queries_path`` is a dev-set folder, for its queries over its own documents."""

    devset = Path(queries_path) if is_devset(queries_path) else None
    modes = tuple(MODES)
    with tempfile.TemporaryDirectory(prefix="kb-relevance-") as tmp:
        store = build_index([] if devset else corpus_dirs, settings, Path(tmp), devset=devset)
        try:
            queries = load_devset_queries(devset) if devset else load_queries(queries_path)
            per_query = score_queries(store, queries, modes)
        finally:
            store.close()
    results = evaluate(store, queries, modes, per_query)
    if as_json:
        return json.dumps({
            "scores": [{"subset": name, "mode": mode, **asdict(s)} for (name, mode), s in results.items()],
            "per_query": [{"id": q.id, "query": q.query, "half": q.half, "language": q.language,
                           "cross_language": q.cross_language,
                           "ndcg": {mode: per_query[n, mode][0] for mode in modes}}
                          for n, q in enumerate(queries)]}, ensure_ascii=False, indent=2)
    table = format_table(results)
    return table + ("\n\n" + format_details(queries, modes, per_query) if details else "")
