"""The dev set's format for search evaluation: halves, queries, documents written as a
corpus, and `kb eval --search --gold DIR`. Uses a tiny made-up set in its format, so it
runs without ../shared/devset."""
from __future__ import annotations

import json

import pytest
import yaml

from kb.cli import cli
from kb.devset import half_of, is_devset, load_devset_queries, query_half, write_corpus
from kb.relevance import subsets

DOCS = {
    "001": ("en", "Mayors adopt a declaration against hate speech in Montreal."),
    "002": ("en", "A guide for cities on preventing violent extremism."),
    "021": ("fr", "Les maires adoptent une déclaration contre les discours de haine à Montréal."),
    "022": ("fr", "Un guide pour les villes sur la prévention de l'extrémisme violent."),
}


@pytest.fixture
def devset(tmp_path):
    folder = tmp_path / "devset"
    (folder / "docs").mkdir(parents=True)
    documents = []
    for doc_id, (language, text) in DOCS.items():
        (folder / "docs" / f"{doc_id}.txt").write_text(text + "\n", encoding="utf-8")
        pair = {"001": "021", "021": "001"}.get(doc_id)
        documents.append({"id": doc_id, "file": f"docs/{doc_id}.txt", "title": f"Title {doc_id}",
                          "language": language, "type": "declaration", "published": "2015-06-11",
                          **({"translation_of": pair} if pair else {})})
    (folder / "gold.yaml").write_text(yaml.safe_dump({"documents": documents}), encoding="utf-8")
    queries = [
        {"id": "q1", "text": "declaration against hate speech", "language": "en",
         "cross_lingual": False, "relevant": {"001": 2, "021": 2}},
        {"id": "q2", "text": "guide prévention extrémisme", "language": "fr",
         "cross_lingual": True, "relevant": {"002": 2, "022": 1}},
    ]
    (folder / "queries.yaml").write_text(yaml.safe_dump({"queries": queries}), encoding="utf-8")
    return folder


def test_halves_are_odd_and_even_documents_and_keep_translation_pairs_together():
    assert [half_of(f"{n:03d}") for n in (1, 2, 3, 21, 22, 40)] == ["A", "B", "A", "A", "B", "B"]
    assert all(half_of(f"{n:03d}") == half_of(f"{n + 20:03d}") for n in range(1, 21))


def test_a_query_goes_with_the_half_of_most_of_its_grade_2_documents():
    assert query_half({"001": 2, "003": 2, "002": 2, "004": 1, "006": 1}) == "A"
    assert query_half({"002": 2, "001": 1}) == "B"
    assert query_half({"004": 2, "001": 2}) == "B"          # a tie: the first one listed
    assert query_half({"003": 1, "004": 1}) == "A"          # no grade 2: every listed document


def test_queries_and_corpus_of_a_devset(devset, tmp_path):
    assert is_devset(devset) and not is_devset(tmp_path)
    queries = load_devset_queries(devset)
    assert [(q.id, q.half, q.cross_language) for q in queries] == [("q1", "A", False), ("q2", "B", True)]
    assert set(subsets(queries)) == {f"{prefix}{name}" for prefix in ("", "half A ", "half B ")
                                     for name in ("all", "same-language", "cross-language")}
    assert write_corpus(devset, tmp_path / "corpus") == 4
    written = (tmp_path / "corpus" / "021.fr.txt").read_text(encoding="utf-8")
    front = yaml.safe_load(written.split("---")[1])
    assert front == {"id": "021", "title": "Title 021", "type": "declaration", "language": "fr",
                     "date": "2015-06-11", "translation_key": "devset-001-021"}
    assert written.endswith(DOCS["021"][1] + "\n")


@pytest.mark.slow
def test_kb_eval_search_reads_a_devset_folder(runner, devset, tmp_path):
    result = runner.invoke(cli, ["--data", str(tmp_path / "data"), "eval", "--search",
                                 "--gold", str(devset), "--details"])
    assert result.exit_code == 0, result.output
    assert "the documents of" in result.output
    for row in ("cross-language", "half A all", "half B cross-language"):
        assert row in result.output
    assert "q2" in result.output and "guide prévention extrémisme" in result.output
    assert not (tmp_path / "data" / "index").exists()     # indexed in a temporary folder

    result = runner.invoke(cli, ["eval", "--search", "--gold", str(devset), "--json"])
    data = json.loads(result.output)
    first = data["scores"][0]
    assert (first["subset"], first["mode"], first["queries"]) == ("all", "off", 2)
    assert {q["id"] for q in data["per_query"]} == {"q1", "q2"}
    assert next(s for s in data["scores"] if s["subset"] == "all" and s["mode"] == "vocabulary")["ndcg"] > 0
