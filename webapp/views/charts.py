"""Geometry of the server-side SVG charts: documents per year as bars.

Templates draw the SVG; this module only decides where each bar goes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

WIDTH, HEIGHT = 720, 180
MAX_SLOT = 64          # a bar and its gap at most: few years make a narrow chart
TOP, BOTTOM, LEFT, RIGHT = 16, 28, 8, 8     # room for the counts above and years below


@dataclass(frozen=True)
class Bar:
    year: int
    count: int
    x: float
    y: float
    width: float
    height: float
    url: str | None
    selected: bool
    label: bool             # whether the year is written under the bar

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class YearChart:
    bars: list[Bar]
    width: int
    height: int
    baseline: float
    total: int

    @property
    def first(self) -> int | None:
        return self.bars[0].year if self.bars else None

    @property
    def last(self) -> int | None:
        return self.bars[-1].year if self.bars else None


def year_chart(counts: Iterable[tuple[str | int, int]],
               url_for_year: Callable[[int], str | None] = lambda year: None,
               selected: Iterable[str | int] = (), width: int = WIDTH,
               height: int = HEIGHT) -> YearChart:
    """Bars for every year from the first to the last one with documents (gaps included).

    >>> chart = year_chart([("2016", 2), ("2018", 1)])
    >>> [(b.year, b.count) for b in chart.bars]
    [(2016, 2), (2017, 0), (2018, 1)]
    >>> chart.bars[0].height > chart.bars[2].height > chart.bars[1].height == 0
    True
    """
    by_year: dict[int, int] = {}
    for value, count in counts:
        if str(value).isdigit():
            by_year[int(value)] = by_year.get(int(value), 0) + int(count)
    chosen = {int(v) for v in selected if str(v).isdigit()}
    baseline = height - BOTTOM
    if not by_year:
        return YearChart([], width, height, baseline, 0)
    years = list(range(min(by_year), max(by_year) + 1))
    highest = max(by_year.values()) or 1
    width = min(width, LEFT + RIGHT + MAX_SLOT * len(years))
    slot = (width - LEFT - RIGHT) / len(years)
    gap = min(slot * 0.2, 6)
    every = 1 if len(years) <= 12 else (2 if len(years) <= 24 else 5 if len(years) <= 60 else 10)
    last = years[-1]
    bars = []
    for position, year in enumerate(years):
        count = by_year.get(year, 0)
        bar_height = round((baseline - TOP) * count / highest, 1)
        bars.append(Bar(year=year, count=count, x=round(LEFT + position * slot + gap / 2, 1),
                        y=round(baseline - bar_height, 1), width=round(slot - gap, 1),
                        height=bar_height, url=url_for_year(year) if count else None,
                        selected=year in chosen,
                        label=year in (years[0], last) or (year % every == 0 and last - year >= every / 2
                                                                and year - years[0] >= every / 2)))
    return YearChart(bars, width, height, baseline, sum(by_year.values()))
