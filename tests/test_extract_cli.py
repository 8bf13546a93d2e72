"""`kb extract` prints DESIGN.md's contract for the seed documents; `kb eval` prints scores."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from indexer.read import read_source
from kb.cli import cli

REPO = Path(__file__).resolve().parent.parent
SEEDS = sorted((REPO / "corpus").glob("*/*.md"))
AIMF = REPO / "corpus" / "press_release" / "aimf-lutte-contre-le-terrorisme-2016.fr.md"
ISO = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")

pytestmark = pytest.mark.slow


def extract(runner, path: Path) -> dict:
    result = runner.invoke(cli, ["extract", str(path), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def check_contract(data: dict, text: str) -> None:
    assert list(data) == ["language", "title", "cities", "dates", "commitments", "organisations", "themes"]
    assert isinstance(data["language"], str) and isinstance(data["title"], str)
    for city in data["cities"]:
        assert set(city) == {"name", "country", "geonameid", "lat", "lon", "surface", "count", "roles"}
        assert isinstance(city["geonameid"], int) and isinstance(city["count"], int) and city["count"] >= 1
        assert isinstance(city["lat"], float) and isinstance(city["lon"], float)
        assert re.fullmatch(r"[A-Z]{2}", city["country"])
        assert city["surface"] and all(s in text for s in city["surface"])
        assert city["roles"] and set(city["roles"]) <= {"signatory", "venue", "mentioned"}
    for date in data["dates"]:
        assert set(date) <= {"value", "end", "surface", "role"} and {"value", "surface", "role"} <= set(date)
        assert ISO.match(date["value"]) and (ISO.match(date["end"]) if "end" in date else True)
        assert date["surface"] in text and date["role"] in {"deadline", "event", "reference"}
    for commitment in data["commitments"]:
        assert {"text", "kind", "actor", "actor_entities", "themes"} <= set(commitment) \
            <= {"text", "kind", "actor", "actor_entities", "themes", "deadline"}
        assert commitment["text"] in text            # verbatim
        assert commitment["kind"] in {"pledge", "call", "need", "resolution"}
        assert isinstance(commitment["actor"], str) and isinstance(commitment["themes"], list)
        for entity in commitment["actor_entities"]:
            assert entity["type"] in {"city", "organisation"} and entity["name"]
            assert entity["type"] == "organisation" or re.fullmatch(r"[A-Z]{2}", entity["country"])
        assert ISO.match(commitment["deadline"]) if "deadline" in commitment else True
    for organisation in data["organisations"]:
        assert set(organisation) == {"name", "surface"} and isinstance(organisation["surface"], list)
    assert all(isinstance(theme, str) for theme in data["themes"])


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_extract_prints_the_contract_for_each_seed(runner, path):
    data = extract(runner, path)
    check_contract(data, read_source(path, path.parent).text)
    assert data["language"] == "fr" and data["cities"]


def test_seed_cities_are_normalized_and_common_words_are_not_cities(runner):
    data = extract(runner, AIMF)
    cities = {c["name"]: c for c in data["cities"]}
    for name, country, surface in [("Brussels", "BE", "Bruxelles"), ("Beirut", "LB", "Beyrouth"),
                                   ("Geneva", "CH", "Genève"), ("Montreal", "CA", "Montréal")]:
        assert cities[name]["country"] == country and surface in cities[name]["surface"]
        assert "signatory" in cities[name]["roles"]
    names = {c["name"] for c in data["cities"]} | {s for c in data["cities"] for s in c["surface"]}
    assert not names & {"Hôtel de Ville", "Maires", "Réunis", "Convaincu", "Hotel de Ville"}
    assert all("01.42" not in d["surface"] and "49.61" not in d["surface"] for d in data["dates"])
    assert [o["name"] for o in data["organisations"]] == ["Association Internationale des Maires Francophones"]


def test_extract_without_json_is_readable(runner):
    result = runner.invoke(cli, ["extract", str(AIMF)])
    assert result.exit_code == 0
    assert "Brussels (BE" in result.output and "commitments: 2" in result.output


def test_extract_a_text_file_without_front_matter(runner, tmp_path):
    path = tmp_path / "declaration.txt"
    path.write_text("Declaration of Cape Town\n\nWe, the mayors of Cape Town and Nairobi, meeting on "
                    "3–5 June 2023, commit to training front-line staff.\n", encoding="utf-8")
    data = extract(runner, path)
    check_contract(data, path.read_text(encoding="utf-8"))
    assert data["language"] == "en"
    assert [c["name"] for c in data["cities"]] == ["Cape Town", "Nairobi"]
    assert data["dates"][0]["value"] == "2023-06-03" and data["dates"][0]["end"] == "2023-06-05"
    assert len(data["commitments"]) == 1


def test_extract_reports_a_bad_file(runner, tmp_path):
    path = tmp_path / "bad.md"
    path.write_text("---\ntitle: [unclosed\n---\nText.\n", encoding="utf-8")
    result = runner.invoke(cli, ["extract", str(path)])
    assert result.exit_code != 0 and "bad.md" in result.output


def test_eval_prints_a_table(runner, tmp_path):
    gold = tmp_path / "gold.yaml"
    gold.write_text(f"- path: {AIMF.relative_to(REPO).as_posix()}\n"
                    "  cities: [{name: Brussels, country: BE}, {name: Kolofata, country: CM}]\n"
                    "  organisations: [AIMF]\n", encoding="utf-8")
    result = runner.invoke(cli, ["eval", "--gold", str(gold), "--details"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # field, set, P, R, F1, tp, fp, fn (certain items), then P, R, F1 with uncertain ones
    cities = next(line for line in lines if line.startswith("cities")).split()
    assert cities[1] == "all" and cities[5:8] == ["1", "28", "1"]
    organisations = next(line for line in lines if line.startswith("organisations")).split()
    assert organisations[4] == "1.000"                    # "AIMF" is the canonical name's alias
    assert "cities missed: Kolofata (CM)" in result.output


def test_eval_reports_a_missing_gold_file(runner, tmp_path):
    result = runner.invoke(cli, ["eval", "--gold", str(tmp_path / "none.yaml")])
    assert result.exit_code != 0
