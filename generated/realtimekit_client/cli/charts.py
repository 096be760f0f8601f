# Copied from scripts/generator/lib/cli/charts.py by scripts/generator. DO NOT EDIT: change that file and run `make generate`.
"""The series a view draws (MOS, packet loss, RTT, jitter over the call) and the terminal's one-line sparklines.

A view turns its response into ``Chart``s (one per measure, one ``Line`` per stream), ``Period``s (bad stretches,
shaded in the HTML report) and ``Mark``s (events on the time axis); the sparklines and the HTML report draw the
same objects, so both show the same numbers.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from .common import Clock, fmt

BARS = "▁▂▃▄▅▆▇█"
ASCII_BARS = "_.-:=+*#"
WIDTH = 48
"""Columns of a sparkline."""


@dataclass(frozen=True)
class Line:
    """One stream's values over time, e.g. 'audio send'."""

    label: str
    points: list[tuple[datetime.datetime, float]]


@dataclass(frozen=True)
class Chart:
    """One measure: its lines share the unit and the vertical scale."""

    title: str
    unit: str  # "" for MOS, " %", " ms"
    lines: list[Line] = field(default_factory=list)
    higher_is_better: bool = False
    scale: tuple[float, float] | None = None  # a fixed scale (MOS 1-5); else 0 to the largest value
    missing: str = "no samples in the response"  # said instead of a line when there are no points

    @property
    def points(self) -> list[tuple[datetime.datetime, float]]:
        return [point for line in self.lines for point in line.points]

    def bounds(self) -> tuple[float, float]:
        """The vertical scale: fixed, or from 0 (or the lowest value, if negative) to the largest value."""
        if self.scale is not None:
            return self.scale
        values = [value for _, value in self.points]
        low = min([0.0, *values])
        high = max([low, *values])
        return low, high if high > low else low + 1

    def worst(self) -> tuple[datetime.datetime, float] | None:
        """The worst point: the lowest when higher is better, else the highest (the earliest of equals)."""
        points = sorted(self.points, key=lambda point: point[0])
        if not points:
            return None
        if self.higher_is_better:
            return min(points, key=lambda point: point[1])
        return max(points, key=lambda point: point[1])


@dataclass(frozen=True)
class Period:
    """A bad stretch of the call (shaded in the HTML report)."""

    start: datetime.datetime
    end: datetime.datetime
    label: str


@dataclass(frozen=True)
class Mark:
    """An event on the time axis."""

    time: datetime.datetime
    label: str


def span(charts: Sequence[Chart]) -> tuple[datetime.datetime, datetime.datetime] | None:
    """The time span all charts share (so their columns line up), or None when there are no points."""
    times = [moment for chart in charts for moment, _ in chart.points]
    return (min(times), max(times)) if times else None


def sparkline(chart: Chart, start: datetime.datetime, end: datetime.datetime, bars: str = BARS) -> str:
    """WIDTH columns from start to end; each shows the worst value that falls in it (blank: no sample)."""
    seconds = (end - start).total_seconds()
    columns: list[float | None] = [None] * WIDTH
    pick = min if chart.higher_is_better else max
    for moment, value in chart.points:
        index = round((moment - start).total_seconds() / seconds * (WIDTH - 1)) if seconds > 0 else 0
        index = max(0, min(WIDTH - 1, index))
        current = columns[index]
        columns[index] = value if current is None else pick(current, value)
    low, high = chart.bounds()
    top = len(bars) - 1

    def bar(value: float | None) -> str:
        if value is None:
            return " "
        level = (min(max(value, low), high) - low) / (high - low)
        return bars[round(level * top)]

    return "".join(bar(value) for value in columns)


def sparklines(charts: Sequence[Chart], clock: Clock, *, ascii_only: bool = False) -> list[str]:
    """A heading and one line per chart: the sparkline, the range with its unit and the worst moment."""
    whole = span(charts)
    if whole is None:
        return ["Over the call: no samples in the response"]
    start, end = whole
    step = (end - start).total_seconds() / (WIDTH - 1)
    heading = (
        f"Over the call ({clock.short(start)}-{clock.short(end)} {clock.name}, one column per {fmt(step)} s,"
        f" the worst value in each)"
    )
    width = max(len(chart.title) for chart in charts)
    lines = [heading]
    for chart in charts:
        worst = chart.worst()
        if worst is None:
            lines.append(f"  {chart.title.ljust(width)}  {chart.missing}")
            continue
        values = [value for _, value in chart.points]
        spark = sparkline(chart, start, end, ASCII_BARS if ascii_only else BARS)
        scale = f"{fmt(min(values))}-{fmt(max(values), chart.unit)}"
        moment, value = worst
        lines.append(
            f"  {chart.title.ljust(width)}  {spark}  {scale}, worst {fmt(value, chart.unit)} at {clock.short(moment)}"
        )
    return lines
