"""The scoreboard's chart, drawn on the server as SVG geometry (no chart script).

:func:`parts_chart` turns the points of :func:`db.history.share_over_time` into stacked
columns, one per day (or week), one band per part of :data:`db.verdicts.STACKED`: listed,
under another state, wrong dialling code, left out on some pages, left out. The top of a
column is the number of judged sites, and its bands are the cards' numbers on that day, so no
band hides what it counts. The template draws the rectangles with SVG presentation attributes,
which the CSP allows (no inline style), and repeats the numbers in a table for screen readers
and for anyone who prefers figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from db.history import SharePoint
from db.verdicts import STACKED

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 12, 30
MIN_GAP = 90  # view-box units between two date labels
# One colour per part, distinct in lightness too (readable in grey), text always beside it.
COLOURS = {"listed": "#1b7837", "listed_qualified": "#c9a227", "wrong_code": "#d95f02",
           "partial": "#e7298a", "missing": "#8e0152"}


@dataclass(frozen=True, slots=True)
class Tick:
    position: float
    label: str
    anchor: str = "middle"  # SVG text-anchor: the last date label ends at the plot's edge


@dataclass(frozen=True, slots=True)
class Band:
    part: str
    x: float
    y: float
    width: float
    height: float
    count: int

    @property
    def colour(self) -> str:
        return COLOURS[self.part]


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    bands: tuple[Band, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    plot: tuple[float, float, float, float]  # left, top, right, bottom
    latest: SharePoint | None

    @property
    def empty(self) -> bool:
        return self.latest is None

    def bands_svg(self) -> Markup:
        """The columns as SVG ``<rect>`` elements, written once here: every value is a number
        or one of our own part names and colours, so nothing needs escaping (a year of days
        would otherwise cost thousands of escapes per page)."""
        return Markup("".join(
            f'<rect x="{b.x}" y="{b.y}" width="{b.width}" height="{b.height}" '
            f'fill="{COLOURS[b.part]}" data-part="{b.part}" data-count="{int(b.count)}"/>'
            for b in self.bands))


def _nice_top(value: int) -> int:
    """A round top for the y axis at or above ``value`` (at least 1)."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if value <= step * 4:
            return max(step * ((value + step - 1) // step), step)
    return value


def parts_chart(points: Sequence[SharePoint], width: int = WIDTH,
                height: int = HEIGHT) -> Chart:
    """Stacked columns of the judged sites by part; buckets without a judged site stay
    empty (never drawn as zero)."""
    left, top, right, bottom = LEFT, TOP, width - RIGHT, height - BOTTOM
    judged = [p for p in points if p.judged]
    if not judged:
        return Chart(width, height, (), (), (), (left, top, right, bottom), None)
    ceiling = _nice_top(max(p.judged for p in judged))
    y_step = ceiling // 4 if ceiling >= 4 else 1
    y_ticks = tuple(Tick(round(bottom - (bottom - top) * v / ceiling, 1), str(v))
                    for v in range(0, ceiling + 1, y_step))
    slot = (right - left) / len(points)
    column = max(min(slot * 0.8, 40.0), 1.0)
    bands: list[Band] = []
    centres: list[tuple[float, date]] = []
    for index, point in enumerate(points):
        centre = left + slot * (index + 0.5)
        centres.append((round(centre, 1), point.date))
        base = float(bottom)
        for part in STACKED:
            count = point.counts.get(part, 0)
            if not count:
                continue
            size = (bottom - top) * count / ceiling
            base -= size
            bands.append(Band(part, round(centre - column / 2, 1), round(base, 1),
                              round(column, 1), round(size, 1), count))
    span = (points[-1].date - points[0].date).days

    def label(day: date) -> str:
        return day.isoformat() if span < 90 else day.strftime("%Y-%m")

    ticks: list[Tick] = []
    step = max(len(centres) // 5, 1)
    for x, day in centres[::step]:
        if not ticks or x - ticks[-1].position >= MIN_GAP:
            ticks.append(Tick(x, label(day)))
    if len(centres) > 1:
        last_x, last_day = centres[-1]
        while ticks and last_x - ticks[-1].position < MIN_GAP:
            ticks.pop()
        ticks.append(Tick(last_x, label(last_day), "end" if last_x > right - 40 else "middle"))
    return Chart(width, height, tuple(bands), tuple(ticks), y_ticks,
                 (left, top, right, bottom), points[-1])
