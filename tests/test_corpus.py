"""The repository's corpus: every file valid, the client's texts kept as they are."""
from __future__ import annotations

import pytest

from indexer.corpus import list_documents, load_records
from indexer.frontmatter import split
from tests.conftest import REPO

CORPUS = REPO / "corpus"
SEEDS = REPO.parent / "shared" / "seeds"


def test_every_corpus_file_reads_without_error():
    result = load_records(list_documents(CORPUS), CORPUS)
    assert result.errors == []
    assert len(result.records) >= 5
    for record in result.records:
        assert record.title and record.type != "unknown" and record.language == "fr"
        assert record.date, f"{record.path} has no date"


def test_seed_texts_are_kept_verbatim():
    bodies = {split(p.read_text(encoding="utf-8"), p)[1] for p in CORPUS.rglob("*.md")}
    seeds = sorted(SEEDS.glob("*.txt"))
    if not seeds:
        pytest.skip("shared/seeds is not beside this checkout")
    for seed in seeds:
        assert seed.read_text(encoding="utf-8").lstrip("\n") in bodies, seed.name
