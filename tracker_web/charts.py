"""The share-over-time chart, drawn on the server as SVG geometry (no chart script).

:func:`share_chart` turns the rows of ``db.queries.share_listing_over_time`` into points and
axis ticks in a fixed view box; the template draws them with SVG presentation attributes,
which the CSP allows (no inline style), and repeats the numbers in a table for screen
readers and for anyone who prefers figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from db.queries import ShareRow

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 30
MIN_GAP = 90  # view-box units between two date labels


@dataclass(frozen=True, slots=True)
class Tick:
    position: float
    label: str
    anchor: str = "middle"  # SVG text-anchor: the last date label ends at the plot's edge


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    line: str  # "x,y x,y …" for <polyline points>
    area: str  # the same, closed along the bottom, for a light fill
    points: tuple[tuple[float, float, date, float], ...]  # x, y, date, share
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    plot: tuple[float, float, float, float]  # left, top, right, bottom
    latest: float | None

    @property
    def empty(self) -> bool:
        return not self.points


def _month_label(day: date) -> str:
    return day.strftime("%Y-%m")


def share_chart(rows: Sequence[ShareRow], width: int = WIDTH, height: int = HEIGHT) -> Chart:
    """Points for the share of judged sites listing Kosovo (0–100 %), one per row that has a
    share; rows with no judged site are skipped rather than drawn as zero."""
    left, top, right, bottom = LEFT, TOP, width - RIGHT, height - BOTTOM
    judged = [(r.date, r.share) for r in rows if r.share is not None]
    y_ticks = tuple(Tick(bottom - (bottom - top) * p / 100, f"{p} %") for p in (0, 25, 50, 75,
                                                                                  100))
    if not judged:
        return Chart(width, height, "", "", (), (), y_ticks, (left, top, right, bottom), None)
    first, last = judged[0][0], judged[-1][0]
    span = max((last - first).days, 1)

    def x_of(day: date) -> float:
        if first == last:
            return (left + right) / 2
        return round(left + (right - left) * (day - first).days / span, 1)

    points = tuple((x_of(day), round(bottom - (bottom - top) * share, 1), day, share)
                   for day, share in judged)
    line = " ".join(f"{x},{y}" for x, y, _, _ in points)
    area = f"{points[0][0]},{bottom} {line} {points[-1][0]},{bottom}"
    # About five date labels, never closer than MIN_GAP, the last one ending at the edge.
    def label(day: date) -> str:
        return day.isoformat() if span < 90 else _month_label(day)

    ticks: list[Tick] = []
    step = max(len(judged) // 5, 1)
    for index in range(0, len(judged), step):
        day = judged[index][0]
        if not ticks or x_of(day) - ticks[-1].position >= MIN_GAP:
            ticks.append(Tick(x_of(day), label(day)))
    if first != last:
        while ticks and x_of(last) - ticks[-1].position < MIN_GAP:
            ticks.pop()
        ticks.append(Tick(x_of(last), label(last), "end"))
    return Chart(width, height, line, area, points, tuple(ticks), y_ticks,
                 (left, top, right, bottom), judged[-1][1])
