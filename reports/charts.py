"""Charts for the report, drawn with matplotlib and returned as inline SVG text.

``Figure`` objects are used directly, never ``pyplot``: no global state, no GUI backend
chosen behind our back (the Agg canvas does the layout, the SVG writer the output), and safe in
a web worker. Labels come from the catalog (categories) and fingerprints, so mathtext is off
(a ``$`` in a name must not be parsed as TeX); matplotlib's SVG writer escapes the text.
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

import matplotlib
import numpy as np
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from reports.analytics import Headline, SharePoint, UpstreamCount

LISTING = "#1b7837"
EXCLUDING = "#c51b7d"
INK = "#333333"
# Lines for categories, told apart by colour and dash (readable in grey print too).
_STYLES = [("#2166ac", "-"), ("#b35806", "--"), ("#542788", "-."), ("#8c510a", ":"),
           ("#01665e", "--"), ("#762a83", "-.")]


@contextmanager
def _style(salt: str) -> Iterator[None]:
    # A per-chart salt keeps the ids of clip paths unique when several SVGs share a page.
    rc: Any = {"svg.hashsalt": salt, "svg.id": f"chart-{salt}", "svg.fonttype": "none",
          "text.parse_math": False, "font.size": 9, "axes.edgecolor": INK, "axes.labelcolor": INK,
          "xtick.color": INK, "ytick.color": INK, "axes.spines.top": False,
          "axes.spines.right": False}
    with matplotlib.rc_context(rc), warnings.catch_warnings():
        # A label in a script the default font lacks is still written as text (fonttype
        # none: the reader's browser picks a font); only the layout estimate is rougher.
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font",
                                category=UserWarning)
        yield


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    # No metadata block: no date (the same data gives the same SVG) and no RDF links.
    figure.savefig(buffer, format="svg", bbox_inches="tight",
                   metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    text = buffer.getvalue()
    # Inline in HTML: drop the XML declaration and DOCTYPE, keep the <svg> element.
    return text[text.index("<svg"):]


def _dates(days: Sequence[date]) -> Any:
    """Days as numpy datetime64 (what matplotlib's date axis converts without a guess)."""
    return np.array(days, dtype="datetime64[D]")


def _percent(value: float | None) -> float:
    return math.nan if value is None else 100 * value


def share_chart(overall: Sequence[SharePoint],
                by_category: dict[str, list[SharePoint]] | None = None,
                *, max_categories: int = 6) -> str:
    """Share of judged sites listing Kosovo over time, overall and per category."""
    with _style("share"):
        figure = Figure(figsize=(8, 3.4))
        axes = figure.add_subplot()
        days = _dates([p.date for p in overall])
        axes.plot(days, [_percent(p.share) for p in overall], color=INK, linewidth=2.2,
                  marker="o" if len(days) < 40 else None, markersize=3, label="all sites")
        categories = by_category or {}
        if 1 < len(categories) <= max_categories:
            for (name, points), (colour, dash) in zip(categories.items(), _STYLES,
                                                      strict=False):
                axes.plot(_dates([p.date for p in points]), [_percent(p.share) for p in points],
                          color=colour, linestyle=dash, linewidth=1.3, label=name)
        axes.set_ylim(-2, 102)
        axes.set_ylabel("% of judged sites listing Kosovo")
        locator = AutoDateLocator()  # type: ignore[no-untyped-call]
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(
            ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
        axes.grid(axis="y", color="#dddddd", linewidth=0.6)
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        return _svg(figure)


def category_chart(by_category: dict[str, Headline]) -> str:
    """Sites listing and excluding Kosovo per category, at the period's end."""
    with _style("categories"):
        names = list(by_category)
        figure = Figure(figsize=(8, 0.45 * max(len(names), 2) + 0.9))
        axes = figure.add_subplot()
        listing = [by_category[n].listing for n in names]
        excluding = [by_category[n].excluding for n in names]
        rows = list(range(len(names)))
        axes.barh(rows, listing, color=LISTING, label="listing Kosovo")
        axes.barh(rows, excluding, left=listing, color=EXCLUDING, label="excluding Kosovo")
        axes.set_yticks(rows, names)
        axes.invert_yaxis()
        axes.set_xlabel("sites")
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.legend(loc="lower right", frameon=False)
        return _svg(figure)


def upstream_chart(counts: Sequence[UpstreamCount], limit: int = 12) -> str:
    """Excluding sites per upstream list they match."""
    with _style("upstream"):
        shown = list(counts[:limit])
        figure = Figure(figsize=(8, 0.45 * max(len(shown), 2) + 0.9))
        axes = figure.add_subplot()
        rows = list(range(len(shown)))
        axes.barh(rows, [c.sites for c in shown], color=EXCLUDING)
        axes.set_yticks(rows, [c.source for c in shown])
        axes.invert_yaxis()
        axes.set_xlabel("excluding sites whose list matches")
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        return _svg(figure)
