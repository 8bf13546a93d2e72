"""Tables of measurements: a header naming the machine and versions, rows of figures,
printed as text and written as JSON to ``bench/results/`` (gitignored)."""
from __future__ import annotations

import json
import math
import os
import platform
import statistics
import subprocess
import time
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Sequence

RESULTS = Path(__file__).resolve().parent / "results"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def _git_commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                             cwd=Path(__file__).resolve().parent, timeout=5)
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _load_average() -> str:
    """The 1-minute load average when the run started: other work on the machine skews timings."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "?"


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "tantivy": _version("tantivy"),
        "whoosh": _version("whoosh-reloaded"),
        "spacy": _version("spacy"),
        "sqlite": __import__("sqlite3").sqlite_version,
        "platform": platform.platform(terse=True),
        "commit": _git_commit(),
        "load_average": _load_average(),
        "date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
    }


def header_line(info: dict[str, Any] | None = None) -> str:
    info = info or machine()
    return (f"{info['cpus']} CPUs, Python {info['python']}, tantivy {info.get('tantivy', '?')}, "
            f"whoosh {info['whoosh']}, "
            f"spaCy {info['spacy']}, SQLite {info['sqlite']}, {info['platform']}, "
            f"commit {info['commit']}, {info['date']}, load average {info.get('load_average', '?')}")


# -- statistics ------------------------------------------------------------------
@dataclass(frozen=True)
class Spread:
    """Median of several runs, with the smallest and largest."""
    median: float
    low: float
    high: float
    runs: int

    @classmethod
    def of(cls, values: Sequence[float]) -> "Spread":
        values = list(values)
        return cls(statistics.median(values), min(values), max(values), len(values))

    def text(self, digits: int = 1) -> str:
        if self.runs == 1:
            return f"{self.median:,.{digits}f}"
        return f"{self.median:,.{digits}f} ({self.low:,.{digits}f}–{self.high:,.{digits}f})"


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of ``values``."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), math.ceil(p / 100 * len(ordered))))
    return ordered[rank - 1]


def ratio(value: float, reference: float) -> str:
    if not reference or reference != reference or value != value:
        return "–"
    share = value / reference
    return f"{share:.2f}×" if share < 0.1 else f"{share:.1f}×"    # 0.04×, not 0.0×


# -- tables ----------------------------------------------------------------------
@dataclass
class Table:
    name: str
    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    data: list[dict[str, Any]] = field(default_factory=list)   # raw figures, for JSON

    def add(self, *cells: Any, **raw: Any) -> None:
        if len(cells) != len(self.columns):
            raise ValueError(f"{self.name}: {len(cells)} cells for {len(self.columns)} columns")
        self.rows.append(list(cells))
        self.data.append(raw or dict(zip(self.columns, cells)))

    def column(self, name: str) -> list[Any]:
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def render(self) -> str:
        cells = [[_cell(c) for c in row] for row in self.rows]
        widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h)
                  for i, h in enumerate(self.columns)]
        line = lambda row: "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |"
        out = [f"### {self.title}", "", line(self.columns),
               "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
        out += [line(row) for row in cells]
        out += [""] + [f"- {note}" for note in self.notes]
        return "\n".join(out).rstrip() + "\n"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def write_results(name: str, tables: list[Table], info: dict[str, Any], options: dict[str, Any],
                  folder: Path = RESULTS) -> Path:
    """``folder/<name>-<timestamp>.json`` and ``folder/<name>-latest.json``."""
    folder.mkdir(parents=True, exist_ok=True)
    payload = {"machine": info, "options": options, "tables": [t.to_dict() for t in tables]}
    text = json.dumps(payload, ensure_ascii=False, indent=1, default=str)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    path = folder / f"{name}-{stamp}.json"
    path.write_text(text, encoding="utf-8")
    (folder / f"{name}-latest.json").write_text(text, encoding="utf-8")
    return path
