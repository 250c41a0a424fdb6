"""Opening custom drop-downs one by one to read the options they draw only when open.

For each widget: click it (or press ArrowDown), read the rows it draws, scrolling a virtual
list to its end; where it has a search box and the rows drawn do not show the territory,
search for it by typing (``typing.py``); close what was opened. Each reading says how
complete it is (:class:`checks.model.Enumeration`), so that ``checks`` never reads an
absence into a list seen only in part. Popups of radio choices (an Ionic alert, a dialog)
are read the same way. Every frame is probed, other origins' included.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from playwright.async_api import (
    ElementHandle,
    Frame,
    Locator,
    Page,
)
from playwright.async_api import Error as PlaywrightError

from checks.frames import origin_of
from checks.model import Control, Enumeration, Option, Widget
from checks.recognize import WORLD_WIDE
from checks.territory import territory as load_territory
from crawler.fetch.browser import scripts as js
from crawler.fetch.browser.errors import first_line, is_closed_error
from crawler.fetch.browser.settle import NetworkTracker
from crawler.fetch.browser.typing import (
    country_count,
    names_territory,
    search_by_typing,
    search_hint,
)

# A drawn list this long or longer, or of a round length, may be a library's cap (Tom Select
# draws 50): a search then shows whether more is there.
CAP_SUSPECT = 20
TYPING_BUDGET = 9.0  # s per widget


async def click_like_user(locator: Locator | ElementHandle, seconds: float) -> bool:
    """Click like a user (real mouse events), forcing it if something covers the target."""
    try:
        await locator.click(timeout=max(100.0, min(1.0, seconds) * 1000))
        return True
    except PlaywrightError as exc:
        if is_closed_error(exc):
            raise
    try:
        await locator.click(timeout=500, force=True)
        return True
    except PlaywrightError as exc:
        if is_closed_error(exc):
            raise
        return False


async def wait_for_options(target: Page | Frame, seconds: float,
                           network: NetworkTracker | None = None) -> int:
    """Poll until new rows appeared and their count stopped growing; 0 if none came (given
    up early once the page has been quiet for a moment: nothing is coming)."""
    start = time.monotonic()
    end = start + seconds
    last = 0
    while True:
        state = await target.evaluate(js.OPEN_STATE_JS)
        count = int(state["count"])
        if count and count == last:
            return count
        last = count
        now = time.monotonic()
        idle = network.idle_for() if network is not None else 1.0
        if not count and now - start >= 0.3 and float(state["quietMs"]) >= 250 and idle >= 0.25:
            return 0
        if now >= end:
            return count
        await asyncio.sleep(0.05)


async def close_dropdown(page: Page, target: Page | Frame | None = None) -> None:
    try:
        await page.keyboard.press("Escape")
        await (target or page).evaluate(js.CLOSE_OPEN_JS)
    except PlaywrightError as exc:
        if is_closed_error(exc):
            raise


def _control_dict(candidate: Mapping[str, Any], options: Sequence[Mapping[str, Any]],
                  how: Enumeration, frame: str | None, extra_hints: str = "") -> dict[str, Any]:
    """A ``checks.model.Control`` dict for a widget read by clicking (and typing)."""
    hints = " ".join(filter(None, [str(candidate.get("hints") or ""), "opened-by-click",
                                   "virtualized" if how is Enumeration.SCROLLED else "",
                                   extra_hints]))
    control = Control(
        widget=Widget.COMBOBOX if candidate.get("widget") == "combobox" else Widget.LISTBOX,
        selector=str(candidate.get("selector") or ""),
        options=tuple(Option.from_any(o) for o in options),
        name=candidate.get("name") or None,
        id=candidate.get("id") or None,
        label=candidate.get("label") or None,
        placeholder=candidate.get("placeholder") or None,
        hints=hints,
        enumeration=how,
        frame=frame,
    )
    return control.to_dict()


def _maybe_capped(rows: Sequence[Mapping[str, Any]]) -> bool:
    n = len(rows)
    return n >= CAP_SUSPECT and (country_count(rows) < WORLD_WIDE or n % 50 == 0)


async def probe_widgets(
    page: Page,
    *,
    frames: Sequence[Frame] = (),
    territory: str = "XK",
    network: NetworkTracker | None = None,
    max_widgets: int = 10,
    max_unnamed: int = 4,
    per_widget: float = 2.0,
    budget: float = 15.0,
    max_options: int = 2000,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Open custom drop-downs (react-select, intl-tel-input, MUI, select2, …) one by one in
    the page and in ``frames``, and read the options they draw only when open.

    Returns Control dicts and notes. Widgets whose options are in the document before the
    click are skipped: the extraction reads those from the HTML already.
    """
    end = time.monotonic() + budget
    notes: list[str] = []
    controls: list[dict[str, Any]] = []
    terr = load_territory(territory)
    for frame in [page.main_frame, *frames]:
        if time.monotonic() >= end:
            notes.append("widget probe budget spent")
            break
        if frame.is_detached():
            continue
        origin = None if frame is page.main_frame else origin_of(frame.url)
        found, frame_notes = await _probe_frame(
            page, frame, terr=terr, network=network, end=end, max_widgets=max_widgets,
            max_unnamed=max_unnamed, per_widget=per_widget, max_options=max_options,
            origin=origin)
        controls.extend(found)
        notes.extend(frame_notes)
    return controls, notes


async def _probe_frame(page: Page, frame: Frame, *, terr: Any, network: NetworkTracker | None,
                       end: float, max_widgets: int, max_unnamed: int, per_widget: float,
                       max_options: int, origin: str | None
                       ) -> tuple[list[dict[str, Any]], list[str]]:
    notes: list[str] = []
    controls: list[dict[str, Any]] = []
    try:
        candidates = await frame.evaluate(
            js.FIND_TRIGGERS_JS, {"max": max_widgets, "maxOthers": max_unnamed}
        )
    except PlaywrightError as exc:
        if is_closed_error(exc):
            raise
        return [], [f"widget probe failed: {first_line(exc)}"]
    start_url = page.url
    for candidate in candidates:
        if time.monotonic() >= end:
            notes.append("widget probe budget spent")
            break
        if page.url != start_url:
            notes.append("the page navigated while probing widgets")
            break
        try:
            control = await _probe_one(page, frame, candidate, terr=terr, network=network,
                                       end=end, per_widget=per_widget,
                                       max_options=max_options, origin=origin)
        except PlaywrightError as exc:
            if is_closed_error(exc):
                raise
            notes.append(f"widget {candidate.get('selector')}: {first_line(exc)}"[:200])
            continue
        if control is not None:
            controls.append(control)
    if not candidates:
        return controls, notes
    try:
        await frame.evaluate(js.UNMARK_JS)
    except PlaywrightError as exc:
        if is_closed_error(exc):
            raise
    return controls, notes


async def _probe_one(page: Page, frame: Frame, candidate: Mapping[str, Any], *, terr: Any,
                     network: NetworkTracker | None, end: float, per_widget: float,
                     max_options: int, origin: str | None) -> dict[str, Any] | None:
    """Open one widget, read it (scrolling, typing where it helps), close it."""
    index = candidate["index"]
    selector = f'[data-xk-probe="{index}"]'
    await frame.evaluate(js.SNAPSHOT_OPTIONS_JS)
    if not await click_like_user(frame.locator(selector).first, per_widget):
        return None
    count = await wait_for_options(frame, per_widget / 2, network)
    if not count:
        # Some comboboxes open from the keyboard only (downshift, headless UI).
        await page.keyboard.press("ArrowDown")
        count = await wait_for_options(frame, per_widget / 2, network)
    drawn: list[dict[str, Any]] = []
    complete, virtual = True, False
    if count:
        left_ms = max(1000.0, (end - time.monotonic()) * 1000)
        found = await frame.evaluate(
            js.COLLECT_OPTIONS_JS,
            {"max": max_options, "budgetMs": min(10000.0, left_ms), "endWaitMs": 250})
        drawn = [dict(o) for o in found["options"]]
        complete, virtual = bool(found["complete"]), bool(found["virtual"])
    how = (Enumeration.PARTIAL if not complete
           else Enumeration.SCROLLED if virtual else Enumeration.WHOLE)
    rows, hints = drawn, ""
    countries = country_count(drawn)
    # Search where the rows drawn cannot settle the question: nothing drawn, or no territory
    # in a list that may be cut short (a complete world list without it needs no search).
    # Only country widgets: typing into a site's search box would only cost time.
    wants_search = (candidate.get("country") or countries > 0) and (
        not drawn or (not names_territory(drawn, terr)
                      and (countries < WORLD_WIDE or len(drawn) % 50 == 0)))
    if wants_search:
        target = await frame.evaluate(js.TYPING_TARGET_JS, {"index": index})
        if target["box"]:
            typed = await search_by_typing(
                page, frame, network, terr, target.get("lang") or None,
                target.get("scripts") or {}, drawn,
                enumerate_letters=not drawn or _maybe_capped(drawn),
                first_term_only=0 < len(drawn) < CAP_SUSPECT,
                end=min(end, time.monotonic() + TYPING_BUDGET))
            hints = "typed:" + ",".join(quote(q, safe="") for q in typed.queries[:40])
            if typed.unanswered:  # asked, never answered: nothing absent is proved by them
                hints += " unanswered:" + ",".join(quote(q, safe="")
                                                   for q in typed.unanswered[:10])
            if typed.hit is not None:
                hints += " " + search_hint(typed.hit)
            if typed.hit is not None or typed.beyond_drawn or not drawn:
                rows = typed.rows
                how = Enumeration.TYPED if typed.complete else Enumeration.PARTIAL
            elif not typed.complete:
                how = Enumeration.PARTIAL if _maybe_capped(drawn) else how
    await close_dropdown(page, frame)
    if not rows:
        return None
    return _control_dict(candidate, rows, how, origin, hints)
