"""Extraction evaluation: scores, matching rules, the gold file, and the gold-set levels."""
from __future__ import annotations

from pathlib import Path

import pytest

import kb.evaluation.gold
import kb.evaluation.matching
import kb.evaluation.report

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
    assert table.splitlines()[1].split() == ["field", "set", "P", "R", "F1", "tp", "fp", "fn", "P", "R", "F1"]
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
    from kb.evaluation.run import evaluate_extraction

    report = evaluate_extraction(GOLD, REPO)
    scores = {name: round(score.f1, 3) for name, score in report.fields.items()}
    assert all(scores[name] >= level for name, level in LEVELS.items()), (scores, format_table(report))


@pytest.mark.parametrize("module", [kb.evaluation.gold, kb.evaluation.matching, kb.evaluation.report],
                         ids=lambda m: m.__name__)
def test_docstring_examples(module):
    import doctest
    result = doctest.testmod(module)
    assert result.attempted and not result.failed


def test_uncertain_gold_items_are_neither_rewarded_nor_penalised():
    gold = [{"text": "We commit to act.", "kind": "pledge"},
            {"text": "Mayors must lead.", "kind": "need", "uncertain": True},
            {"text": "We hereby agree to the following:", "kind": "resolution", "uncertain": True}]
    predicted = [{"text": "Mayors must lead.", "kind": "need"}, {"text": "A headline.", "kind": "pledge"}]
    comparison = compare_commitments(gold, predicted)
    assert comparison.scored(certain_only=True) == Score(0, 1, 1)
    assert comparison.scored(certain_only=False) == Score(1, 1, 2)
    assert comparison.missed == ("[pledge] We commit to act.",)


def test_commitments_scored_per_kind():
    gold = [{"text": "We commit to act.", "kind": "pledge"}, {"text": "We call on states to act.", "kind": "call"}]
    predicted = [{"text": "We commit to act.", "kind": "pledge"}, {"text": "We call on states to act.", "kind": "pledge"}]
    comparison = compare_commitments(gold, predicted)
    assert comparison.scored(kind="pledge") == Score(1, 1, 0)
    assert comparison.scored(kind="call") == Score(0, 0, 1)
    assert comparison.score == Score(2, 0, 0)          # the text matched, whatever the kind


def _devset(tmp_path, documents):
    (tmp_path / "docs").mkdir()
    for entry in documents:
        (tmp_path / entry["file"]).write_text("Text of " + entry["id"], encoding="utf-8")
    (tmp_path / "gold.yaml").write_text(__import__("yaml").safe_dump({"version": 1, "documents": documents}),
                                        encoding="utf-8")
    return tmp_path


def test_a_dev_set_folder_is_read_with_its_halves(tmp_path):
    folder = _devset(tmp_path, [
        {"id": "001", "file": "docs/001.txt", "language": "en", "published": "2015-06-11",
         "cities": [{"name": "Montreal", "country": "CA", "surface": ["Montréal"]}],
         "not_cities": [{"surface": "Lebanon", "reason": "country"}],
         "commitments": [{"text": "We will act.", "kind": "pledge", "actor": "the mayors"}]},
        {"id": "002", "file": "docs/002.txt", "language": "fr", "published": None}])
    first, second = load_gold(folder)
    assert first.path == str(folder / "docs/001.txt") and first.language == "en"
    assert first.published == "2015-06-11" and first.not_cities == ("Lebanon",)
    assert (first.half, second.half) == ("A", "B") and second.published is None
    report = evaluate([first, second], [
        {"language": "en", "cities": [{"name": "Montreal", "country": "CA"}, {"name": "Lebanon", "country": "US"}],
         "commitments": [{"text": "We will act.", "kind": "call", "actor": "The mayors"}]},
        {"language": "en"}])
    assert report.score("cities") == Score(1, 1, 0)
    assert report.documents[0].not_cities_taken == ("Lebanon",)
    assert report.language_accuracy() == 0.5
    assert report.agreement(lambda g, p: g["kind"] == p["kind"]) == (0, 1)
    assert "organisations" not in report.fields_present()      # a dev set does not annotate them
    table = format_table(report)
    assert "half A" in table and "half B" in table and "commitments per kind" in table


@pytest.mark.parametrize("data, message", [
    ({"documents": "x"}, "'documents:', a list"),
    ({"documents": [{"id": "001"}]}, "needs an 'id' and a 'file'"),
])
def test_malformed_dev_set(tmp_path, data, message):
    from kb.evaluation import parse_devset
    with pytest.raises(GoldError, match=message):
        parse_devset(data, tmp_path)


def test_same_actor_ignores_the_annotators_notes():
    from kb.evaluation import same_actor
    assert same_actor("signatory cities (commitment 1)", "The signatory cities")
    assert not same_actor("UCLG", "the mayors")


DEVSET = REPO.parent / "shared" / "devset"
# F1 (certain items) on each fixed half of the real dev set, a little under what was
# measured: half A (developed on) cities 0.979, dates 1.000, commitments 0.963; half B
# (held out, then studied) cities 0.936, dates 0.961, commitments 0.938. Language was
# always right.
DEVSET_FLOORS = {"A": {"cities": 0.95, "dates": 0.97, "commitments": 0.92},
                 "B": {"cities": 0.90, "dates": 0.93, "commitments": 0.90}}


@pytest.fixture(scope="module")
def devset_report():
    if not (DEVSET / "gold.yaml").is_file():
        pytest.skip(f"the dev set is not beside the checkout ({DEVSET})")
    from kb.evaluation.run import evaluate_extraction
    return evaluate_extraction(DEVSET, REPO)


@pytest.mark.slow
@pytest.mark.parametrize("half", sorted(DEVSET_FLOORS))
def test_extraction_keeps_its_level_on_each_half_of_the_dev_set(devset_report, half):
    scores = {name: round(devset_report.score(name, where=lambda d: d.gold.half == half).f1, 3)
              for name in DEVSET_FLOORS[half]}
    assert all(scores[name] >= floor for name, floor in DEVSET_FLOORS[half].items()), \
        (half, scores, format_table(devset_report))


@pytest.mark.slow
def test_the_dev_set_language_is_always_detected(devset_report):
    assert devset_report.language_accuracy() == 1.0
