"""Scoring extraction against gold documents, and the tables ``kb eval`` prints.

Scores are micro-averaged: counts summed over documents, then precision, recall and F1.
Each is given on certain items (uncertain ones neither rewarded nor penalised) and with
uncertain items counted, for the whole set, per language and per half.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from model.record import COMMITMENT_KINDS

from .gold import HALVES, GoldDocument
from .matching import (Comparison, Score, compare_cities, compare_commitments, compare_dates,
                       compare_organisations, fold, same_actor)

FIELDS = ("cities", "dates", "commitments", "organisations")


@dataclass(frozen=True)
class DocumentResult:
    gold: GoldDocument
    language: str                                # the predicted language
    fields: dict[str, Comparison]
    not_cities_taken: tuple[str, ...] = ()       # gold hard negatives found as cities

    @property
    def annotated(self) -> set[str]:
        """The fields this document's gold annotates (a dev set has no organisations)."""
        return {name for name in FIELDS if name != "organisations" or self.gold.organisations
                or not self.gold.id}


@dataclass
class Report:
    documents: list[DocumentResult] = field(default_factory=list)

    def score(self, name: str, certain_only: bool = True, kind: str | None = None,
              where: Callable[[DocumentResult], bool] = lambda d: True) -> Score:
        total = Score()
        for document in self.documents:
            if where(document) and name in document.annotated:
                total = total + document.fields[name].scored(certain_only, kind)
        return total

    @property
    def fields(self) -> dict[str, Score]:
        """Certain-item scores per field, over every document."""
        return {name: self.score(name) for name in FIELDS}

    def fields_present(self) -> list[str]:
        return [name for name in FIELDS if any(name in d.annotated for d in self.documents)]

    def language_accuracy(self, where: Callable[[DocumentResult], bool] = lambda d: True) -> float | None:
        judged = [d for d in self.documents if where(d) and d.gold.language]
        return sum(d.language == d.gold.language for d in judged) / len(judged) if judged else None

    def agreement(self, attribute: Callable[[dict, dict], bool],
                  where: Callable[[DocumentResult], bool] = lambda d: True) -> tuple[int, int]:
        """(agreeing, judged) over matched certain commitments whose gold has the attribute."""
        pairs = [(g, p) for d in self.documents if where(d)
                 for g, p in d.fields["commitments"].matched()]
        judged = [attribute(g, p) for g, p in pairs if attribute(g, p) is not None]
        return sum(judged), len(judged)

    def to_dict(self) -> dict[str, Any]:
        def scores(where=lambda d: True) -> dict[str, Any]:
            return {name: {mode: _score_dict(self.score(name, certain, where=where))
                           for mode, certain in (("certain", True), ("all", False))}
                    for name in self.fields_present()}
        groups = _groups(self)
        return {
            "fields": {name: _score_dict(s) for name, s in self.fields.items() if name in self.fields_present()},
            "groups": {label: scores(where) for label, where in groups},
            "commitment_kinds": {kind: _score_dict(self.score("commitments", kind=kind))
                                 for kind in COMMITMENT_KINDS},
            "language_accuracy": self.language_accuracy(),
            "documents": {d.gold.name: {name: {"missed": list(c.missed), "extra": list(c.extra)}
                                        for name, c in d.fields.items() if name in d.annotated}
                          for d in self.documents},
        }


def _score_dict(s: Score) -> dict[str, Any]:
    return {"precision": round(s.precision, 4), "recall": round(s.recall, 4), "f1": round(s.f1, 4),
            "tp": s.tp, "fp": s.fp, "fn": s.fn}


def _groups(report: Report) -> list[tuple[str, Callable[[DocumentResult], bool]]]:
    """The sets scored apart: all, each language the gold names, each half (dev sets)."""
    groups: list[tuple[str, Callable[[DocumentResult], bool]]] = [("all", lambda d: True)]
    languages = sorted({d.gold.language for d in report.documents if d.gold.language})
    groups += [(language, lambda d, language=language: d.gold.language == language) for language in languages]
    if any(d.gold.id for d in report.documents):
        groups += [(f"half {half}", lambda d, half=half: d.gold.half == half) for half in HALVES]
    return groups


def _same_kind(gold: dict, predicted: dict) -> bool | None:
    return gold.get("kind") == predicted.get("kind") if gold.get("kind") else None


def _same_actor(gold: dict, predicted: dict) -> bool | None:
    return same_actor(gold["actor"], predicted.get("actor") or "") if gold.get("actor") else None


def compare(gold: GoldDocument, predicted: dict, normalize: Callable[[str], str] = lambda name: name
            ) -> DocumentResult:
    """Every field of one document: ``predicted`` is the ``kb extract --json`` dict."""
    cities = predicted.get("cities", [])
    surfaces = {fold(s) for c in cities for s in [c["name"], *c.get("surface", ())]}
    return DocumentResult(
        gold, predicted.get("language", ""),
        {"cities": compare_cities(gold.cities, cities),
         "dates": compare_dates(gold.dates, predicted.get("dates", [])),
         "commitments": compare_commitments(gold.commitments, predicted.get("commitments", [])),
         "organisations": compare_organisations(gold.organisations, predicted.get("organisations", []), normalize)},
        tuple(n for n in gold.not_cities if fold(n) in surfaces))


def evaluate(gold: Sequence[GoldDocument], predictions: Sequence[dict],
             normalize: Callable[[str], str] = lambda name: name) -> Report:
    """The report of ``predictions[i]`` against ``gold[i]``, for every document."""
    return Report([compare(document, predicted, normalize)
                   for document, predicted in zip(gold, predictions, strict=True)])


def _row(label: str, group: str, certain: Score, every: Score | None) -> str:
    line = (f"{label:<14} {group:<7} {certain.precision:>6.3f} {certain.recall:>6.3f} {certain.f1:>6.3f}"
            f" {certain.tp:>4} {certain.fp:>4} {certain.fn:>4}")
    if every is not None:
        line += f"   {every.precision:>6.3f} {every.recall:>6.3f} {every.f1:>6.3f}"
    return line


def format_table(report: Report) -> str:
    """The report as plain-text tables: per field and set (certain items, then with
    uncertain ones), commitments per kind, and agreement on kind, actor and language.

    >>> print(format_table(Report()).splitlines()[1])
    field          set          P      R     F1   tp   fp   fn        P      R     F1
    """
    groups = _groups(report)
    lines = [f"{'':<22}{'certain items':^34}   {'with uncertain':^20}",
             f"{'field':<14} {'set':<7} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"
             f"   {'P':>6} {'R':>6} {'F1':>6}"]
    for name in report.fields_present() or FIELDS:
        for label, where in groups:
            lines.append(_row(name, label, report.score(name, True, where=where),
                              report.score(name, False, where=where)))
    if any(g.get("kind") for d in report.documents for g in d.fields["commitments"].gold):
        lines += ["", "commitments per kind (certain items)"]
        for kind in COMMITMENT_KINDS:
            for label, where in groups:
                if label in ("all",) or label.startswith("half"):
                    lines.append(_row(kind, label, report.score("commitments", True, kind, where), None))
    lines += [""] + list(_agreements(report, groups))
    return "\n".join(lines)


def _agreements(report: Report, groups) -> Iterable[str]:
    for label, where in groups:
        parts = []
        for name, attribute in (("kind", _same_kind), ("actor", _same_actor)):
            agreeing, judged = report.agreement(attribute, where)
            if judged:
                parts.append(f"{name} {agreeing}/{judged}")
        accuracy = report.language_accuracy(where)
        if accuracy is not None:
            parts.append(f"language {accuracy:.2f}")
        taken = sum(len(d.not_cities_taken) for d in report.documents if where(d))
        total = sum(len(d.gold.not_cities) for d in report.documents if where(d))
        if total:
            parts.append(f"not-cities taken {taken}/{total}")
        if parts:
            yield f"{label:<8} matched commitments with the right " + ", ".join(parts)
