"""``--html FILE``: one self-contained HTML page (inline CSS and SVG; no scripts, fonts or images, nothing fetched).

The page holds the summary, one chart per measure (a line per stream, the bad periods shaded, the events as
vertical marks), the events on their own time axis and in a table, and the device and network facts. Every text
from the API goes through ``html.escape``, and a Content-Security-Policy forbids scripts and remote loads anyway.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from .charts import Chart, Mark, Period, span
from .common import Clock, fmt

WIDTH, HEIGHT = 960, 210
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 12, 28
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2")
STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1100px; color: #1b1b1b; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; }
.sub { color: #555; margin: 0 0 16px; }
.summary p { margin: 2px 0; } .summary .verdict { font-weight: 600; }
figure { margin: 0 0 18px; } figcaption { font-weight: 600; margin-bottom: 2px; }
svg { display: block; background: #fff; }
svg text { font: 11px system-ui, sans-serif; fill: #444; }
.grid { stroke: #e6e6e6; } .axis { stroke: #888; }
.period { fill: #d62728; fill-opacity: 0.13; } .mark { stroke: #777; stroke-dasharray: 3 3; }
.series { fill: none; stroke-width: 1.6; stroke-linejoin: round; }
.legend { list-style: none; padding: 0; margin: 2px 0 0; display: flex; gap: 14px; flex-wrap: wrap; color: #333; }
.legend span { display: inline-block; width: 14px; height: 3px; margin-right: 5px; vertical-align: middle; }
.missing { color: #777; font-style: italic; }
table { border-collapse: collapse; margin: 4px 0 12px; } td, th { padding: 2px 12px 2px 0; text-align: left; }
h1, h2, p, li, td, th { overflow-wrap: anywhere; }
th { color: #555; font-weight: 600; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.facts td:first-child { color: #555; }
.ranked td:nth-child(4) { font: 12px ui-monospace, monospace; white-space: nowrap; }
"""


@dataclass(frozen=True)
class Table:
    """A titled table (the peer report's bad periods, the session's participants)."""

    title: str
    header: list[str]
    rows: list[list[str]]
    css: str = ""


@dataclass(frozen=True)
class Page:
    """Everything the report shows; the views build it."""

    title: str
    subtitle: str
    clock: Clock
    summary: list[str] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)  # shown after the summary
    facts: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)


MAX_TICKS = 8
DAY = 86400


class _Axis:
    """Maps times to x positions over the shared span."""

    def __init__(self, start: datetime.datetime, end: datetime.datetime) -> None:
        self.start = start
        self.end = end
        self.seconds = max((end - start).total_seconds(), 1.0)

    def x(self, moment: datetime.datetime) -> float:
        offset = (moment - self.start).total_seconds() / self.seconds
        return LEFT + max(0.0, min(1.0, offset)) * PLOT_W

    def holds(self, moment: datetime.datetime) -> bool:
        return self.start <= moment <= self.end

    def step(self) -> int:
        """Seconds between ticks: a round step (1, 2, 5, 10, 15, 30 minutes, 1, 2, 4, 8 hours, 1, 2, 7, 14 days...)
        that puts at most MAX_TICKS across the span."""
        steps = [60 * m for m in (1, 2, 5, 10, 15, 30, 60, 120, 240, 480)] + [DAY * d for d in (1, 2, 7, 14, 28)]
        found = next((s for s in steps if self.seconds / s <= MAX_TICKS), None)
        return found if found is not None else math.ceil(self.seconds / MAX_TICKS / DAY) * DAY

    def ticks(self, clock: Clock) -> list[datetime.datetime]:
        """Times round on the clock of the page's zone (a +05:30 zone gets 14:00, not 14:30), at most MAX_TICKS."""
        step = self.step()
        local = clock.local(self.start)
        offset = local.utcoffset() if local is not None else None
        shift = offset.total_seconds() if offset is not None else 0.0
        start = self.start.timestamp()
        stamp = math.ceil((start + shift) / step) * step - shift
        ticks: list[datetime.datetime] = []
        while stamp <= start + self.seconds and len(ticks) <= MAX_TICKS:
            ticks.append(datetime.datetime.fromtimestamp(stamp, datetime.UTC))
            stamp += step
        return ticks

    def label(self, tick: datetime.datetime, clock: Clock) -> str:
        """'14:05'; with the date ('03-30 00:00') on another day than the page's first, or every day's date when
        the ticks are days apart."""
        local = clock.local(tick) or tick
        if self.step() >= DAY:
            return f"{local:%Y-%m-%d}"
        return f"{local:%H:%M}" if local.date() == clock.day else f"{local:%m-%d %H:%M}"


def _num(value: float) -> str:
    return f"{value:.1f}"


def _chart_svg(chart: Chart, axis: _Axis, page: Page) -> str:
    low, high = chart.bounds()

    def y(value: float) -> float:
        return TOP + PLOT_H - (min(max(value, low), high) - low) / (high - low) * PLOT_H

    parts = [
        f'<svg class="chart" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img"'
        f' aria-label="{escape(chart.title)} over time" data-measure="{escape(chart.title)}">'
    ]
    for period in page.periods:
        if period.end < axis.start or period.start > axis.end:
            continue
        x1, x2 = axis.x(period.start), axis.x(period.end)
        parts.append(
            f'<rect class="period" x="{_num(x1)}" y="{TOP}" width="{_num(max(x2 - x1, 2.0))}" height="{PLOT_H}">'
            f"<title>{escape(period.label)}</title></rect>"
        )
    for k in range(5):
        value = low + (high - low) * k / 4
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{LEFT + PLOT_W}" y1="{_num(y(value))}" y2="{_num(y(value))}"/>'
            f'<text x="{LEFT - 6}" y="{_num(y(value) + 4)}" text-anchor="end">{escape(fmt(value))}</text>'
        )
    for tick in axis.ticks(page.clock):
        x = axis.x(tick)
        parts.append(
            f'<line class="axis" x1="{_num(x)}" x2="{_num(x)}" y1="{TOP + PLOT_H}" y2="{TOP + PLOT_H + 4}"/>'
            f'<text x="{_num(x)}" y="{HEIGHT - 8}" text-anchor="middle">{escape(axis.label(tick, page.clock))}</text>'
        )
    parts.append(f'<line class="axis" x1="{LEFT}" x2="{LEFT + PLOT_W}" y1="{TOP + PLOT_H}" y2="{TOP + PLOT_H}"/>')
    for mark in page.marks:
        if not axis.holds(mark.time):
            continue
        x = axis.x(mark.time)
        parts.append(
            f'<line class="mark" x1="{_num(x)}" x2="{_num(x)}" y1="{TOP}" y2="{TOP + PLOT_H}">'
            f"<title>{escape(page.clock.short(mark.time))} {escape(mark.label)}</title></line>"
        )
    for index, line in enumerate(chart.lines):
        color = COLORS[index % len(COLORS)]
        points = sorted(line.points, key=lambda point: point[0])
        coordinates = " ".join(f"{_num(axis.x(t))},{_num(y(v))}" for t, v in points)
        parts.append(
            f'<polyline class="series" stroke="{color}" data-label="{escape(line.label)}"'
            f' data-count="{len(points)}" points="{coordinates}"/>'
        )
        if len(points) == 1:  # one point draws no line: show it as a dot
            ((t, v),) = points
            parts.append(f'<circle cx="{_num(axis.x(t))}" cy="{_num(y(v))}" r="2.5" fill="{color}"/>')
    parts.append("</svg>")
    return "".join(parts)


def _events_svg(page: Page, axis: _Axis) -> str:
    """The events on the time axis, each label in the first row where it does not overlap the one before."""
    row_ends: list[float] = []
    placed = []
    for mark in sorted((mark for mark in page.marks if axis.holds(mark.time)), key=lambda mark: mark.time):
        x = axis.x(mark.time)
        width = 6.5 * len(mark.label) + 8  # ~11 px sans-serif
        start = x - width if x + width > WIDTH else x  # labels near the right edge end at their mark
        row = next((i for i, end in enumerate(row_ends) if end <= start), len(row_ends))
        if row == len(row_ends):
            row_ends.append(0.0)
        row_ends[row] = start + width
        placed.append((x, row, "end" if start < x else "start", mark.label))
    height = 26 + 16 * max(1, len(row_ends))
    parts = [
        f'<svg class="timeline" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" role="img"'
        ' aria-label="events over time">',
        f'<line class="axis" x1="{LEFT}" x2="{LEFT + PLOT_W}" y1="14" y2="14"/>',
    ]
    for x, row, anchor, label in placed:
        y = 30 + row * 16
        parts.append(
            f'<line class="mark" x1="{_num(x)}" x2="{_num(x)}" y1="8" y2="{y - 10}"/>'
            f'<text x="{_num(x)}" y="{y}" text-anchor="{anchor}">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], css: str = "") -> str:
    head = "".join(f"<th>{escape(cell)}</th>" for cell in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows)
    klass = f' class="{css}"' if css else ""
    thead = f"<thead><tr>{head}</tr></thead>" if header else ""
    return f"<table{klass}>{thead}<tbody>{body}</tbody></table>"


MARGIN = datetime.timedelta(minutes=5)
"""How far before the first sample or after the last an event or period may lie and still widen the time axis."""


def _span(page: Page) -> tuple[datetime.datetime, datetime.datetime] | None:
    """The time axis: the charts' points, widened for the events and bad periods near them (at most MARGIN, or
    the samples' own span, away). Anything farther (an event stamped 1970-01-01) would squeeze every sample into a
    line: it stays out of the charts and is listed in the events table."""
    charted = span(page.charts)
    if charted is None:
        return None
    first, last = charted
    pad = max(MARGIN, last - first)
    times = [*charted, *(mark.time for mark in page.marks)]
    times += [moment for period in page.periods for moment in (period.start, period.end)]
    near = [moment for moment in times if first - pad <= moment <= last + pad]
    return min(near), max(near)


def render(page: Page) -> str:
    """The whole page as one string."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        # No scripts, no remote anything: only the inline style may apply.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(page.title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(page.title)}</h1>",
        f'<p class="sub">{escape(page.subtitle)}</p>',
    ]
    if page.summary:
        out.append('<section class="summary"><h2>Summary</h2>')
        out.extend(f"<p>{escape(line)}</p>" for line in page.summary)
        out.append("</section>")
    for table in page.tables:
        out.append(f"<section><h2>{escape(table.title)}</h2>{_table(table.header, table.rows, table.css)}</section>")
    whole = _span(page)
    if page.charts:
        out.append('<section class="charts"><h2>Over the call</h2>')
        if page.periods:
            out.append('<p class="sub">Shaded: the periods the diagnosis found bad. Dashed: events.</p>')
        for chart in page.charts:
            unit = f" ({chart.unit.strip()})" if chart.unit.strip() else ""
            out.append(f'<figure class="measure"><figcaption>{escape(chart.title + unit)}</figcaption>')
            if whole is None or not chart.lines:
                out.append(f'<p class="missing">{escape(chart.missing)}</p></figure>')
                continue
            out.append(_chart_svg(chart, _Axis(*whole), page))
            legend = "".join(
                f'<li><span style="background:{COLORS[i % len(COLORS)]}"></span>{escape(line.label)}'
                f" ({len(line.points)} samples)</li>"
                for i, line in enumerate(chart.lines)
            )
            out.append(f'<ul class="legend">{legend}</ul></figure>')
        out.append("</section>")
    if page.marks:
        out.append(f'<section class="events"><h2>Events ({page.clock.name})</h2>')
        if whole is not None:
            out.append(_events_svg(page, _Axis(*whole)))
            outside = sum(not _Axis(*whole).holds(mark.time) for mark in page.marks)
            if outside:
                events = f"{outside} event{'s' if outside > 1 else ''}"
                out.append(f'<p class="missing">{events} far from the samples in time: in the table only.</p>')
        rows = [[page.clock.short(mark.time), mark.label] for mark in sorted(page.marks, key=lambda m: m.time)]
        out.append(_table(["time", "event"], rows))
        out.append("</section>")
    for title, facts in page.facts:
        out.append(f'<section class="facts"><h2>{escape(title)}</h2>')
        out.append(_table([], [[label, value] for label, value in facts], "facts"))
        out.append("</section>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
