"""Opening custom drop-downs one by one to read the options they draw only when open."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from typing import Any

from playwright.async_api import (
    ElementHandle,
    Locator,
    Page,
)
from playwright.async_api import Error as PlaywrightError

from checks.model import Control, Option, Widget
from crawler.fetch.browser import scripts as js
from crawler.fetch.browser.errors import first_line, is_closed_error


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


async def wait_for_options(page: Page, seconds: float) -> int:
    """Poll until new options appeared and their count stopped growing; 0 if none came."""
    end = time.monotonic() + seconds
    last = 0
    while True:
        state = await page.evaluate(js.OPEN_STATE_JS)
        count = int(state["count"])
        if count and count == last:
            return count
        last = count
        if time.monotonic() >= end:
            return count
        await asyncio.sleep(0.1)


async def close_dropdown(page: Page) -> None:
    try:
        await page.keyboard.press("Escape")
        await page.evaluate(js.CLOSE_OPEN_JS)
    except PlaywrightError as exc:
        if is_closed_error(exc):
            raise


def _control_dict(candidate: Mapping[str, Any], options: Sequence[Mapping[str, Any]],
                  virtual: bool) -> dict[str, Any]:
    """A ``checks.model.Control`` dict for a widget read by clicking it."""
    hints = str(candidate.get("hints") or "")
    hints = " ".join(filter(None, [hints, "opened-by-click", "virtualized" if virtual else ""]))
    control = Control(
        widget=Widget.COMBOBOX if candidate.get("widget") == "combobox" else Widget.LISTBOX,
        selector=str(candidate.get("selector") or ""),
        options=tuple(Option.from_any(o) for o in options),
        name=candidate.get("name") or None,
        id=candidate.get("id") or None,
        label=candidate.get("label") or None,
        placeholder=candidate.get("placeholder") or None,
        hints=hints,
    )
    return control.to_dict()


async def probe_widgets(
    page: Page,
    *,
    max_widgets: int = 10,
    max_unnamed: int = 4,
    per_widget: float = 2.0,
    budget: float = 15.0,
    max_options: int = 2000,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Open custom dropdowns (react-select, intl-tel-input, MUI, select2, …) one by one and
    read the options they draw only when open, scrolling virtualised lists to the end.

    Returns Control dicts and notes. Widgets whose options are in the DOM before the click
    are skipped: the static extractor reads those from the HTML already.
    """
    end = time.monotonic() + budget
    notes: list[str] = []
    controls: list[dict[str, Any]] = []
    try:
        candidates = await page.evaluate(
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
        selector = f'[data-xk-probe="{candidate["index"]}"]'
        try:
            await page.evaluate(js.SNAPSHOT_OPTIONS_JS)
            if not await click_like_user(page.locator(selector).first, per_widget):
                continue
            if not await wait_for_options(page, per_widget / 2):
                # Some comboboxes open from the keyboard only (downshift, headless UI).
                await page.keyboard.press("ArrowDown")
                if not await wait_for_options(page, per_widget / 2):
                    await close_dropdown(page)
                    continue
            left_ms = max(1000.0, (end - time.monotonic()) * 1000)
            found = await page.evaluate(
                js.COLLECT_OPTIONS_JS, {"max": max_options, "budgetMs": min(10000.0, left_ms)}
            )
            await close_dropdown(page)
        except PlaywrightError as exc:
            if is_closed_error(exc):
                raise
            notes.append(f"widget {candidate.get('selector')}: {first_line(exc)}"[:200])
            continue
        if found["options"]:
            controls.append(_control_dict(candidate, found["options"], bool(found["virtual"])))
    if not candidates:
        return controls, notes
    try:
        await page.evaluate(js.UNMARK_JS)
    except PlaywrightError as exc:
        if is_closed_error(exc):
            raise
    return controls, notes
