"""The development set's format (``../shared/devset``) for search evaluation.

A dev-set folder holds ``docs/NNN.txt`` (plain text), ``gold.yaml`` (per document: its
language, type, publication date, title and the document it translates) and
``queries.yaml`` (queries with graded relevance over those documents). Its texts belong to
their publishers: they are written, with front matter from ``gold.yaml``, into a
temporary corpus folder for indexing, never into the repository.

The set is split by document into two fixed halves: ``A`` holds the odd-numbered
documents (001, 003 … 039), ``B`` the even-numbered ones. Each half has ten English and
ten French documents, a translation pair (001↔021: numbers twenty apart) stays in one
half, and the cross-lingual queries fall six in each (split by tens, 001–010 + 021–030
against the rest, they fall nine and three). A query belongs to the half that holds most
of its grade-2 documents; on a tie, to the half of the first grade-2 document it lists.

>>> half_of("007"), half_of("015"), half_of("028"), half_of("040")
('A', 'A', 'B', 'B')
"""
from __future__ import annotations

from pathlib import Path

import yaml

from .evaluation.gold import HALVES, GoldDocument, GoldQuery


def is_devset(folder: Path) -> bool:
    """Whether ``folder`` is in the dev set's format (queries.yaml, gold.yaml and docs/)."""
    folder = Path(folder)
    return ((folder / "queries.yaml").is_file() and (folder / "gold.yaml").is_file()
            and (folder / "docs").is_dir())


def half_of(doc_id: str) -> str:
    """``A`` for odd-numbered documents, ``B`` for even-numbered ones: the halves of
    extraction's evaluation (``kb.evaluation.gold``)."""
    return GoldDocument("", id=doc_id).half


def query_half(relevant: dict[str, int]) -> str:
    """The half holding most of the query's grade-2 documents (ties: its first one's)."""
    best = [doc for doc, grade in relevant.items() if grade == 2] or list(relevant)
    counts = {half: sum(half_of(doc) == half for doc in best) for half in HALVES}
    top = max(counts.values())
    tied = [half for half in HALVES if counts[half] == top]
    return tied[0] if len(tied) == 1 else half_of(best[0])


def load_devset_queries(folder: Path) -> list[GoldQuery]:
    """The queries of ``folder/queries.yaml``, each with its half."""
    data = yaml.safe_load((Path(folder) / "queries.yaml").read_text(encoding="utf-8")) or {}
    queries = []
    for item in data.get("queries") or []:
        relevant = {str(doc): int(grade) for doc, grade in (item.get("relevant") or {}).items()}
        queries.append(GoldQuery(item["text"], item.get("language", ""),
                                 bool(item.get("cross_lingual")), relevant,
                                 id=str(item.get("id", "")), half=query_half(relevant)))
    return queries


def _translation_key(doc: dict) -> str | None:
    other = doc.get("translation_of")
    if not other:
        return None
    return "devset-" + "-".join(sorted((str(doc["id"]), str(other))))


def write_corpus(folder: Path, target: Path) -> int:
    """Write the dev set's documents into ``target`` as ``NNN.<lang>.txt`` files whose
    front matter comes from ``gold.yaml`` (id, title, type, language, date, translation
    key); the number of documents written."""
    folder, target = Path(folder), Path(target)
    gold = yaml.safe_load((folder / "gold.yaml").read_text(encoding="utf-8")) or {}
    target.mkdir(parents=True, exist_ok=True)
    count = 0
    for doc in gold.get("documents") or []:
        doc_id = str(doc["id"])
        meta = {"id": doc_id, "title": doc.get("title") or doc_id, "type": doc["type"],
                "language": doc["language"]}
        if doc.get("published"):
            meta["date"] = str(doc["published"])
        key = _translation_key(doc)
        if key:
            meta["translation_key"] = key
        text = (folder / doc["file"]).read_text(encoding="utf-8")
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
        (target / f"{doc_id}.{doc['language']}.txt").write_text(f"---\n{front}---\n{text}",
                                                                encoding="utf-8")
        count += 1
    return count
