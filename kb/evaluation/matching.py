"""Matching predictions to gold items, one field of one document at a time.

How predictions match gold items (each item matches at most one, best first):
- cities by name and country (accents and case aside; a gold name may also be one of
  the predicted city's surface forms, so "Bruxelles"/BE matches Brussels/BE);
- dates by value and end;
- commitments by text: same text, one inside the other, or a word overlap (Jaccard)
  of at least ``COMMITMENT_OVERLAP``;
- organisations by name, after ``normalize`` (the extractor's canonical names).

A gold item marked ``uncertain`` is neither rewarded nor penalised when scoring
certain items only: a prediction that matches it is not counted, and missing it is
not a miss. Scored with uncertain items, it counts like any other.

>>> s = Score(tp=9, fp=1, fn=0)
>>> round(s.precision, 2), s.recall, round(s.f1, 3)
(0.9, 1.0, 0.947)
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable, Sequence

COMMITMENT_OVERLAP = 0.5


def fold(text: str) -> str:
    """Lower case, accents off, whitespace collapsed."""
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


def _uncertain(item: Any) -> bool:
    return isinstance(item, dict) and bool(item.get("uncertain"))


def _kind(item: Any) -> str | None:
    return item.get("kind") if isinstance(item, dict) else None


@dataclass(frozen=True)
class Comparison:
    """One field of one document: the gold and predicted items and which matched which."""
    gold: tuple = ()
    predicted: tuple = ()
    pairs: tuple[tuple[int, int], ...] = ()       # (gold index, predicted index)
    gold_labels: tuple[str, ...] = ()
    predicted_labels: tuple[str, ...] = ()

    def scored(self, certain_only: bool = True, kind: str | None = None) -> Score:
        """The score of this field; of one commitment ``kind`` when given (a pair counts
        only when both sides have that kind)."""
        ignored = {j for i, j in self.pairs if certain_only and _uncertain(self.gold[i])}
        counted = [(i, j) for i, j in self.pairs if j not in ignored]
        if kind is None:
            tp = len(counted)
            fp = len(self.predicted) - len(self.pairs)
            fn = sum(1 for i, g in enumerate(self.gold)
                     if not (certain_only and _uncertain(g))) - tp
            return Score(tp, fp, fn)
        tp = sum(1 for i, j in counted if _kind(self.gold[i]) == kind == _kind(self.predicted[j]))
        fp = sum(1 for j, p in enumerate(self.predicted) if _kind(p) == kind and j not in ignored) - tp
        fn = sum(1 for g in self.gold if _kind(g) == kind and not (certain_only and _uncertain(g))) - tp
        return Score(tp, fp, fn)

    @property
    def score(self) -> Score:
        return self.scored()

    @property
    def missed(self) -> tuple[str, ...]:
        hit = {i for i, _ in self.pairs}
        return tuple(label for i, label in enumerate(self.gold_labels)
                     if i not in hit and not _uncertain(self.gold[i]))

    @property
    def extra(self) -> tuple[str, ...]:
        hit = {j for _, j in self.pairs}
        return tuple(label for j, label in enumerate(self.predicted_labels) if j not in hit)

    def matched(self, certain_only: bool = True) -> list[tuple[Any, Any]]:
        """(gold item, predicted item) of every pair."""
        return [(self.gold[i], self.predicted[j]) for i, j in self.pairs
                if not (certain_only and _uncertain(self.gold[i]))]


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
    return sorted(matched)


def _compare(gold: Sequence, predicted: Sequence, similarity, show_gold, show_predicted) -> Comparison:
    return Comparison(tuple(gold), tuple(predicted), tuple(_one_to_one(gold, predicted, similarity)),
                      tuple(show_gold(g) for g in gold), tuple(show_predicted(p) for p in predicted))


def compare_cities(gold: Sequence[dict], predicted: Sequence[dict]) -> Comparison:
    """Cities match by country and by name (the predicted name or one of its surfaces).

    >>> compare_cities([{"name": "Bruxelles", "country": "BE"}],
    ...                [{"name": "Brussels", "country": "BE", "surface": ["Bruxelles"]}]).score
    Score(tp=1, fp=0, fn=0)
    """
    def similarity(g, p) -> float:
        if str(g["country"]).upper() != str(p["country"]).upper():
            return 0.0
        names = {fold(p["name"]), *(fold(s) for s in p.get("surface", ()))}
        gold_names = {fold(g["name"]), *(fold(s) for s in g.get("surface", ()))}
        return 1.0 if names & gold_names else 0.0
    return _compare(gold, predicted, similarity,
                    lambda g: f"{g['name']} ({g['country']})", lambda p: f"{p['name']} ({p['country']})")


def compare_dates(gold: Sequence[dict], predicted: Sequence[dict]) -> Comparison:
    """Dates match by value and end.

    >>> compare_dates([{"value": "2024-05-14", "end": "2024-05-15"}, {"value": "2016"}],
    ...               [{"value": "2024-05-14", "end": "2024-05-15"}, {"value": "2016-05"}]).score
    Score(tp=1, fp=1, fn=1)
    """
    def key(d) -> tuple[str, str]:
        return str(d["value"]), str(d["end"]) if d.get("end") else ""

    def show(d) -> str:
        value, end = key(d)
        return f"{value}/{end}" if end else value
    return _compare(gold, predicted, lambda g, p: 1.0 if key(g) == key(p) else 0.0, show, show)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text))


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
        text = text if len(text) <= 90 else text[:87] + "…"
        return f"[{c['kind']}] {text}" if c.get("kind") else text
    return _compare(gold, predicted, similarity, show, show)


def compare_organisations(gold: Sequence[str], predicted: Sequence[dict],
                          normalize: Callable[[str], str] = lambda name: name) -> Comparison:
    """Organisations match by name once both sides are normalized (canonical names).

    >>> compare_organisations(["ONU"], [{"name": "United Nations"}],
    ...                       lambda name: {"ONU": "United Nations"}.get(name, name)).score
    Score(tp=1, fp=0, fn=0)
    """
    def canonical(name: str) -> str:
        return fold(normalize(name) or name)

    def similarity(g, p) -> float:
        names = {canonical(p["name"]), *(canonical(s) for s in p.get("surface", ()))}
        return 1.0 if canonical(g) in names else 0.0
    return _compare(gold, predicted, similarity, str, lambda p: p["name"])


def same_actor(gold: str, predicted: str) -> bool:
    """Whether a predicted actor names who the gold actor names: one contains the other,
    or they share half their words (the gold's notes in brackets left out).

    >>> same_actor("The signatory cities", "the signatory cities of the Coalition")
    True
    >>> same_actor("Coalition of Cities against Racism (implicit)", "the mayors")
    False
    """
    gold = re.sub(r"\([^)]*\)", " ", gold)
    return text_similarity(gold, predicted) >= 0.5
