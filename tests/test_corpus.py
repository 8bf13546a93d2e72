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


def test_front_matter_organisations_take_the_knowledge_base_names(tmp_path):
    from indexer.corpus import to_record
    from indexer.read import read_source
    from model.fields import organisations
    from model.record import Extraction, Organisation
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: A\norganisations: [Forum européen pour la sécurité urbaine, AIMF, Efus]\n---\n"
                    "Les maires agissent.\n", encoding="utf-8")
    record = to_record(read_source(path, tmp_path), Extraction(organisations=(
        Organisation("association internationale des maires francophones"),)))
    assert record.organisations == ("European Forum for Urban Security",
                                    "Association Internationale des Maires Francophones")
    assert organisations(record) == ["Association Internationale des Maires Francophones",
                                     "European Forum for Urban Security"]
