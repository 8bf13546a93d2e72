"""Extraction evaluation: precision, recall and F1 per field against a gold file.

The gold file (``tests/gold/extraction/gold.yaml``) is a list of documents::

    - path: corpus/declaration/declaration-de-melbourne-2018.fr.md   # repo-relative
      cities: [{name: Melbourne, country: AU, role: mentioned}]
      dates: [{value: 2018-07, role: reference}]
      commitments: [{text: "…", actor: "…"}]
      organisations: [Strong Cities Network]

How predictions match gold items (each item matches at most one):
- cities by name and country (accents and case aside; a gold name may also be one of
  the predicted city's surface forms, so "Bruxelles"/BE matches Brussels/BE);
- dates by value and end;
- commitments by text: same text, one inside the other, or a word overlap (Jaccard)
  of at least ``COMMITMENT_OVERLAP``;
- organisations by name, after ``normalize`` (the extractor's canonical names).

Everything here is a pure function of its arguments; ``kb eval`` does the reading.

>>> s = Score(tp=9, fp=1, fn=0)
>>> round(s.precision, 2), s.recall, round(s.f1, 3)
(0.9, 1.0, 0.947)
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

import yaml

FIELDS = ("cities", "dates", "commitments", "organisations")
COMMITMENT_OVERLAP = 0.5


class GoldError(ValueError):
    """The gold file is malformed."""


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).lower().split())


@dataclass(frozen=True)
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        predicted = self.tp + self.fp
        return self.tp / predicted if predicted else (1.0 if self.fn == 0 else 0.0)

    @property
    def recall(self) -> float:
        expected = self.tp + self.fn
        return self.tp / expected if expected else (1.0 if self.fp == 0 else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: "Score") -> "Score":
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


@dataclass(frozen=True)
class Comparison:
    """One field of one document: the score, and what was missed or extra."""
    score: Score
    missed: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()


@dataclass(frozen=True)
class GoldDocument:
    path: str
    cities: tuple[dict, ...] = ()
    dates: tuple[dict, ...] = ()
    commitments: tuple[dict, ...] = ()
    organisations: tuple[str, ...] = ()


@dataclass
class Report:
    fields: dict[str, Score] = field(default_factory=lambda: {f: Score() for f in FIELDS})
    documents: dict[str, dict[str, Comparison]] = field(default_factory=dict)

    def add(self, path: str, comparisons: dict[str, Comparison]) -> None:
        self.documents[path] = comparisons
        for name, comparison in comparisons.items():
            self.fields[name] = self.fields[name] + comparison.score

    def to_dict(self) -> dict[str, Any]:
        return {
            "fields": {name: {"precision": round(s.precision, 4), "recall": round(s.recall, 4),
                              "f1": round(s.f1, 4), "tp": s.tp, "fp": s.fp, "fn": s.fn}
                       for name, s in self.fields.items()},
            "documents": {path: {name: {"missed": list(c.missed), "extra": list(c.extra)}
                                 for name, c in fields.items()}
                          for path, fields in self.documents.items()},
        }


# ---- reading the gold file -------------------------------------------------------------

def parse_gold(data: Any) -> list[GoldDocument]:
    """GoldDocuments from the parsed YAML; GoldError naming the entry that is wrong.

    >>> parse_gold([{"path": "a.md", "dates": [{"value": 2016}], "organisations": ["AIMF"]}])[0].dates
    ({'value': '2016'},)
    """
    if not isinstance(data, list):
        raise GoldError("the gold file must be a list of documents")
    documents = []
    for number, entry in enumerate(data, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            raise GoldError(f"gold entry #{number}: needs a 'path'")
        where = f"gold entry #{number} ({entry['path']})"
        # YAML 1.1 reads an unquoted NO (Norway) as false
        cities = tuple({**c, "country": "NO" if c["country"] is False else str(c["country"])}
                       for c in _items(entry, "cities", where, required=("name", "country")))
        dates = tuple({**d, "value": _iso(d["value"]), **({"end": _iso(d["end"])} if d.get("end") else {})}
                      for d in _items(entry, "dates", where, required=("value",)))
        commitments = tuple(_items(entry, "commitments", where, required=("text",)))
        organisations = entry.get("organisations") or []
        if not isinstance(organisations, list):
            raise GoldError(f"{where}: 'organisations' must be a list")
        names = tuple(o["name"] if isinstance(o, dict) else str(o) for o in organisations)
        documents.append(GoldDocument(entry["path"], cities, dates, commitments, names))
    return documents


def _items(entry: dict, key: str, where: str, required: Sequence[str]) -> Iterable[dict]:
    items = entry.get(key) or []
    if not isinstance(items, list):
        raise GoldError(f"{where}: '{key}' must be a list")
    for item in items:
        if not isinstance(item, dict) or any(item.get(name) is None or item.get(name) == "" for name in required):
            raise GoldError(f"{where}: each of '{key}' needs {', '.join(required)}")
        yield item


def _iso(value: Any) -> str:
    """YAML may read 2016-04-01 as a date and 2016 as a number: back to ISO text."""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def load_gold(path) -> list[GoldDocument]:
    with open(path, encoding="utf-8") as handle:
        try:
            data = yaml.safe_load(handle)
        except yaml.YAMLError as exc:
            raise GoldError(f"{path}: not valid YAML: {exc}") from None
    return parse_gold(data)


# ---- matching ------------------------------------------------------------------------------

def _one_to_one(gold: Sequence, predicted: Sequence, similarity: Callable[[Any, Any], float]) -> list[tuple[int, int]]:
    """Pairs (gold index, predicted index), best similarities first, each item used once."""
    pairs = sorted(((similarity(g, p), -i, -j, i, j) for i, g in enumerate(gold) for j, p in enumerate(predicted)),
                   reverse=True)
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    matched = []
    for value, _, _, i, j in pairs:
        if value <= 0:
            break
        if i in used_gold or j in used_predicted:
            continue
        used_gold.add(i)
        used_predicted.add(j)
        matched.append((i, j))
    return matched


def _compare(gold: Sequence, predicted: Sequence, similarity, show_gold, show_predicted) -> Comparison:
    matched = _one_to_one(gold, predicted, similarity)
    gold_hit = {i for i, _ in matched}
    predicted_hit = {j for _, j in matched}
    return Comparison(Score(len(matched), len(predicted) - len(matched), len(gold) - len(matched)),
                      tuple(show_gold(g) for i, g in enumerate(gold) if i not in gold_hit),
                      tuple(show_predicted(p) for j, p in enumerate(predicted) if j not in predicted_hit))


def compare_cities(gold: Sequence[dict], predicted: Sequence[dict]) -> Comparison:
    """Cities match by country and by name (the predicted name or one of its surfaces).

    >>> compare_cities([{"name": "Bruxelles", "country": "BE"}],
    ...                [{"name": "Brussels", "country": "BE", "surface": ["Bruxelles"]}]).score
    Score(tp=1, fp=0, fn=0)
    """
    def similarity(g, p) -> float:
        if str(g["country"]).upper() != str(p["country"]).upper():
            return 0.0
        names = {_fold(p["name"]), *(_fold(s) for s in p.get("surface", ()))}
        return 1.0 if _fold(g["name"]) in names else 0.0
    return _compare(gold, predicted, similarity,
                    lambda g: f"{g['name']} ({g['country']})", lambda p: f"{p['name']} ({p['country']})")


def compare_dates(gold: Sequence[dict], predicted: Sequence[dict]) -> Comparison:
    """Dates match by value and end.

    >>> compare_dates([{"value": "2024-05-14", "end": "2024-05-15"}, {"value": "2016"}],
    ...               [{"value": "2024-05-14", "end": "2024-05-15"}, {"value": "2016-05"}]).score
    Score(tp=1, fp=1, fn=1)
    """
    def key(d) -> tuple[str, str]:
        return _iso(d["value"]), _iso(d["end"]) if d.get("end") else ""

    def show(d) -> str:
        value, end = key(d)
        return f"{value}/{end}" if end else value
    return _compare(gold, predicted, lambda g, p: 1.0 if key(g) == key(p) else 0.0, show, show)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", _fold(text))


def text_similarity(a: str, b: str) -> float:
    """1.0 when one text contains the other, else the Jaccard overlap of their words.

    >>> text_similarity("Nous nous engageons à agir.", "nous nous engageons à agir")
    1.0
    >>> round(text_similarity("promouvoir la paix", "promouvoir la guerre"), 2)
    0.5
    """
    fa, fb = " ".join(words(a)), " ".join(words(b))
    if not fa or not fb:
        return 0.0
    if fa in fb or fb in fa:
        return 1.0
    sa, sb = set(fa.split()), set(fb.split())
    return len(sa & sb) / len(sa | sb)


def compare_commitments(gold: Sequence[dict], predicted: Sequence[dict],
                        threshold: float = COMMITMENT_OVERLAP) -> Comparison:
    """Commitments match when their texts overlap enough (``text_similarity`` ≥ threshold)."""
    def similarity(g, p) -> float:
        value = text_similarity(g["text"], p["text"])
        return value if value >= threshold else 0.0

    def show(c) -> str:
        text = " ".join(c["text"].split())
        return text if len(text) <= 90 else text[:87] + "…"
    return _compare(gold, predicted, similarity, show, show)


def compare_organisations(gold: Sequence[str], predicted: Sequence[dict],
                          normalize: Callable[[str], str] = lambda name: name) -> Comparison:
    """Organisations match by name once both sides are normalized (canonical names).

    >>> compare_organisations(["ONU"], [{"name": "United Nations"}],
    ...                       lambda name: {"ONU": "United Nations"}.get(name, name)).score
    Score(tp=1, fp=0, fn=0)
    """
    def canonical(name: str) -> str:
        return _fold(normalize(name) or name)

    def similarity(g, p) -> float:
        names = {canonical(p["name"]), *(canonical(s) for s in p.get("surface", ()))}
        return 1.0 if canonical(g) in names else 0.0
    return _compare(gold, predicted, similarity, str, lambda p: p["name"])


def compare(gold: GoldDocument, predicted: dict, normalize: Callable[[str], str] = lambda name: name
            ) -> dict[str, Comparison]:
    """Every field of one document: ``predicted`` is the ``kb extract --json`` dict."""
    return {
        "cities": compare_cities(gold.cities, predicted.get("cities", [])),
        "dates": compare_dates(gold.dates, predicted.get("dates", [])),
        "commitments": compare_commitments(gold.commitments, predicted.get("commitments", [])),
        "organisations": compare_organisations(gold.organisations, predicted.get("organisations", []), normalize),
    }


def evaluate(gold: Sequence[GoldDocument], predictions: Sequence[dict],
             normalize: Callable[[str], str] = lambda name: name) -> Report:
    """Scores summed over documents (micro-averaged): ``predictions[i]`` is for ``gold[i]``."""
    report = Report()
    for document, predicted in zip(gold, predictions, strict=True):
        report.add(document.path, compare(document, predicted, normalize))
    return report


def format_table(report: Report) -> str:
    """The report as a plain-text table, one line per field.

    >>> print(format_table(Report()).splitlines()[0])
    field          precision  recall     F1    tp   fp   fn
    """
    lines = [f"{'field':<14} {'precision':>9} {'recall':>7} {'F1':>6} {'tp':>5} {'fp':>4} {'fn':>4}"]
    total = Score()
    for name in FIELDS:
        s = report.fields[name]
        total = total + s
        lines.append(f"{name:<14} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f} {s.tp:>5} {s.fp:>4} {s.fn:>4}")
    lines.append(f"{'all':<14} {total.precision:>9.3f} {total.recall:>7.3f} {total.f1:>6.3f} "
                 f"{total.tp:>5} {total.fp:>4} {total.fn:>4}")
    return "\n".join(lines)
