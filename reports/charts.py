"""Charts for the report, drawn with matplotlib and returned as inline SVG text.

``Figure`` objects are used directly, never ``pyplot``: no global state, no GUI backend
chosen behind our back (the Agg canvas does the layout, the SVG writer the output), and safe in
a web worker. Labels come from the catalog (categories) and fingerprints, so mathtext is off
(a ``$`` in a name must not be parsed as TeX); matplotlib's SVG writer escapes the text.
"""

from __future__ import annotations

import io
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

from db.history import SharePoint, UpstreamUse
from db.verdicts import STACKED
from reports.analytics import Headline

INK = "#333333"
# The parts, told apart by colour and by the legend's words (the tables repeat the numbers).
COLOURS = {"listed": "#1b7837", "listed_qualified": "#dfc27d", "wrong_code": "#e08214",
           "partial": "#de77ae", "missing": "#c51b7d"}
WORDS = {"listed": "list Kosovo", "listed_qualified": "list it under another state",
         "wrong_code": "give it a wrong dialling code",
         "partial": "leave it out on some pages", "missing": "leave it out"}


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


def share_chart(overall: Sequence[SharePoint]) -> str:
    """Sites over time, stacked by part (listed, under another state, wrong dialling code,
    partly or wholly left out): the top of the stack is the number of judged sites, and the
    last point of each band is the table's number."""
    with _style("share"):
        figure = Figure(figsize=(8, 3.4))
        axes = figure.add_subplot()
        days = _dates([p.date for p in overall])
        bands = [[p.counts.get(part, 0) for p in overall] for part in STACKED]
        if len(days) == 1:  # one day: bars, since an area needs two points
            bottom = np.zeros(1)
            for part, values in zip(STACKED, bands, strict=True):
                axes.bar(days, values, bottom=bottom, color=COLOURS[part], label=WORDS[part],
                         width=0.8)
                bottom = bottom + np.array(values)
        else:
            axes.stackplot(days, *bands, colors=[COLOURS[p] for p in STACKED],
                           labels=[WORDS[p] for p in STACKED], step="post")
        axes.set_ylabel("sites")
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        locator = AutoDateLocator()  # type: ignore[no-untyped-call]
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(
            ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
        axes.grid(axis="y", color="#dddddd", linewidth=0.6)
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        return _svg(figure)


def category_chart(by_category: dict[str, Headline]) -> str:
    """Sites per category at the period's end, stacked by part."""
    with _style("categories"):
        names = list(by_category)
        figure = Figure(figsize=(8, 0.45 * max(len(names), 2) + 0.9))
        axes = figure.add_subplot()
        rows = list(range(len(names)))
        left = np.zeros(len(names))
        for part in STACKED:
            values = np.array([by_category[n].counts.get(part, 0) for n in names])
            axes.barh(rows, values, left=left, color=COLOURS[part], label=WORDS[part])
            left = left + values
        axes.set_yticks(rows, names)
        axes.invert_yaxis()
        axes.set_xlabel("sites")
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        return _svg(figure)


def upstream_chart(uses: Sequence[UpstreamUse], limit: int = 12) -> str:
    """Sites whose list lacks Kosovo, per upstream library (or family) it matches."""
    with _style("upstream"):
        shown = [u for u in uses if u.sites_without][:limit]
        figure = Figure(figsize=(8, 0.45 * max(len(shown), 2) + 0.9))
        axes = figure.add_subplot()
        rows = list(range(len(shown)))
        axes.barh(rows, [len(u.sites_without) for u in shown], color=COLOURS["missing"])
        axes.set_yticks(rows, [_short(u.name) for u in shown])
        axes.invert_yaxis()
        axes.set_xlabel("sites whose list lacks Kosovo and matches")
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        return _svg(figure)


def _short(name: str, limit: int = 48) -> str:
    return name if len(name) <= limit else name[:limit - 1] + "…"
