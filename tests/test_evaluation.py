"""Extraction evaluation: scores, matching rules, the gold file, and the gold-set levels."""
from __future__ import annotations

from pathlib import Path

import pytest

import kb.evaluation as evaluation_module

from kb.evaluation import (GoldDocument, GoldError, Score, compare_cities, compare_commitments,
                           compare_dates, compare_organisations, evaluate, format_table, load_gold,
                           parse_gold, text_similarity)

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "tests" / "gold" / "extraction" / "gold.yaml"
# F1 reached on the gold set when these levels were set (a little below what was measured:
# cities 0.988, dates 1.000, commitments 1.000, organisations 1.000). A drop below one of
# them is a regression in the extractors (or a gold change to look at).
LEVELS = {"cities": 0.95, "dates": 0.95, "commitments": 0.93, "organisations": 0.90}


def test_score_arithmetic():
    assert Score(3, 1, 2) + Score(1, 0, 0) == Score(4, 1, 2)
    assert Score(0, 0, 0).f1 == 1.0                 # nothing expected, nothing found
    assert Score(0, 2, 0).precision == 0.0 and Score(0, 0, 3).recall == 0.0
    assert Score(0, 2, 3).f1 == 0.0


def test_cities_match_by_name_or_surface_and_country():
    predicted = [{"name": "Brussels", "country": "BE", "surface": ["Bruxelles"]},
                 {"name": "London", "country": "CA", "surface": ["London"]}]
    gold = [{"name": "bruxelles", "country": "BE"}, {"name": "London", "country": "GB"}]
    comparison = compare_cities(gold, predicted)
    assert comparison.score == Score(1, 1, 1)
    assert comparison.missed == ("London (GB)",) and comparison.extra == ("London (CA)",)


def test_each_item_matches_once():
    gold = [{"name": "Paris", "country": "FR"}]
    predicted = [{"name": "Paris", "country": "FR"}, {"name": "Paris", "country": "FR"}]
    assert compare_cities(gold, predicted).score == Score(1, 1, 0)


def test_dates_match_by_value_and_end():
    gold = [{"value": "2024-05-14", "end": "2024-05-15"}, {"value": "2016"}]
    assert compare_dates(gold, [{"value": "2024-05-14"}, {"value": "2016"}]).score == Score(1, 1, 1)


@pytest.mark.parametrize("a, b, expected", [
    ("Nous nous engageons à agir.", "nous nous engageons à agir", 1.0),
    ("Promouvoir la paix ;", "- Promouvoir la paix", 1.0),                  # containment
    ("a b c d", "a b c e", 0.6),
    ("a b", "c d", 0.0),
    ("", "a", 0.0),
])
def test_text_similarity(a, b, expected):
    assert round(text_similarity(a, b), 1) == expected


def test_commitments_match_by_overlap():
    gold = [{"text": "Former les agents de première ligne à la prévention."},
            {"text": "Publier un rapport chaque année."}]
    predicted = [{"text": "Former les agents de première ligne à la prévention"},
                 {"text": "Accueillir les réfugiés dignement."}]
    assert compare_commitments(gold, predicted).score == Score(1, 1, 1)


def test_organisations_match_after_normalization():
    normalize = {"ONU": "United Nations", "Nations unies": "United Nations"}.get
    gold = ["ONU", "AIMF"]
    predicted = [{"name": "United Nations", "surface": ["Nations unies"]}, {"name": "Eurocities"}]
    assert compare_organisations(gold, predicted, lambda n: normalize(n, n)).score == Score(1, 1, 1)


def test_evaluate_sums_documents_and_formats_a_table():
    gold = [GoldDocument("a.md", dates=({"value": "2016"},)), GoldDocument("b.md", organisations=("AIMF",))]
    report = evaluate(gold, [{"dates": [{"value": "2016"}]}, {"organisations": []}])
    assert report.fields["dates"] == Score(1, 0, 0) and report.fields["organisations"] == Score(0, 0, 1)
    table = format_table(report)
    assert table.splitlines()[0].split() == ["field", "precision", "recall", "F1", "tp", "fp", "fn"]
    assert "organisations" in table and report.to_dict()["documents"]["b.md"]["organisations"]["missed"] == ["AIMF"]


def test_parse_gold_normalizes_yaml_values():
    (doc,) = parse_gold([{"path": "x.md", "dates": [{"value": 2016, "end": 2018}],
                          "organisations": [{"name": "AIMF"}, "ONU"]}])
    assert doc.dates == ({"value": "2016", "end": "2018"},) and doc.organisations == ("AIMF", "ONU")
    (doc,) = parse_gold([{"path": "x.md", "cities": [{"name": "Oslo", "country": False}]}])
    assert doc.cities[0]["country"] == "NO"      # an unquoted NO in YAML


@pytest.mark.parametrize("data, message", [
    ({"path": "x"}, "list of documents"),
    ([{"cities": []}], "needs a 'path'"),
    ([{"path": "x", "cities": [{"name": "Paris"}]}], "name, country"),
    ([{"path": "x", "dates": "2016"}], "must be a list"),
])
def test_malformed_gold(data, message):
    with pytest.raises(GoldError, match=message):
        parse_gold(data)


def test_load_gold_reports_bad_yaml(tmp_path):
    bad = tmp_path / "gold.yaml"
    bad.write_text("- path: [unclosed\n", encoding="utf-8")
    with pytest.raises(GoldError, match="not valid YAML"):
        load_gold(bad)


@pytest.mark.slow
def test_extraction_keeps_its_level_on_the_gold_set():
    if not GOLD.is_file():
        pytest.skip("no gold file")
    from indexer.extract import ExtractInput, extract_batch
    from indexer.extract.organisations import canonical_name
    from indexer.read import read_source

    gold = load_gold(GOLD)
    sources = [read_source(REPO / doc.path, REPO) for doc in gold]
    extractions = extract_batch([ExtractInput(s.text, s.language, s.title, s.meta.get("date")) for s in sources])
    report = evaluate(gold, [e.to_dict() for e in extractions], canonical_name)
    scores = {name: round(score.f1, 3) for name, score in report.fields.items()}
    assert all(scores[name] >= level for name, level in LEVELS.items()), (scores, format_table(report))


@pytest.mark.parametrize("module", [evaluation_module], ids=lambda m: m.__name__)
def test_docstring_examples(module):
    import doctest
    result = doctest.testmod(module)
    assert result.attempted and not result.failed
