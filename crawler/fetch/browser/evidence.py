"""The screenshot of the deciding control: a native select shown as an open list box, a
custom drop-down shown open, each scrolled to the territory or to where it would be."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Mapping
from typing import Any

from playwright.async_api import (
    ElementHandle,
    FloatRect,
    Frame,
    Locator,
    Page,
    ViewportSize,
)
from playwright.async_api import Error as PlaywrightError

from crawler.fetch.browser import scripts as js
from crawler.fetch.browser.errors import is_closed_error
from crawler.fetch.browser.limits import DEFAULT_FOCUS, DEFAULT_VIEWPORT
from crawler.fetch.browser.probe import click_like_user, close_dropdown, wait_for_options
from crawler.fetch.browser.settle import child_frames
from crawler.fetch.browser.typing import Typist


async def _find(page: Page, selector: str) -> ElementHandle | None:
    """The chosen control as an element, found with plain CSS in the page, its open shadow
    roots or a frame; ``None`` when that finds nothing (then :func:`_locate`)."""
    for frame in [page.main_frame, *child_frames(page)]:
        try:
            handle = await frame.evaluate_handle(js.FIND_JS, selector)
        except PlaywrightError as exc:
            if is_closed_error(exc):
                raise
            continue
        element = handle.as_element()
        if element is not None:
            return element
        await handle.dispose()
    return None


async def _locate(page: Page, selector: str) -> Locator | None:
    """Find the chosen control again: in the page (shadow roots pierced) or a frame."""
    tries = [selector]
    last = re.split(r"\s*>\s*|\s+", selector.strip())[-1]
    if last and last != selector:
        tries.append(last)
    frames = child_frames(page)
    for sel in tries:
        for frame in [page.main_frame, *frames]:
            try:
                locator = frame.locator(sel)
                if await locator.count():
                    return locator.first
            except PlaywrightError as exc:
                if is_closed_error(exc):
                    raise
    return None


async def _type_search(page: Page, frame: Frame, search: str) -> bool:
    """Type again what showed the territory when the control was read by typing, so that
    the picture shows the suggestion a person would see."""
    target = await frame.evaluate(js.TYPING_TARGET_JS, {"index": -1})
    if not target["box"]:
        return False
    asked = await Typist(page, frame, None, time.monotonic() + 4.0).ask(search)
    return bool(asked and asked.rows)


def _union(boxes: Iterable[FloatRect | None]) -> FloatRect | None:
    real = [b for b in boxes if b and b["width"] > 0 and b["height"] > 0]
    if not real:
        return None
    x0 = min(b["x"] for b in real)
    y0 = min(b["y"] for b in real)
    x1 = max(b["x"] + b["width"] for b in real)
    y1 = max(b["y"] + b["height"] for b in real)
    return FloatRect(x=x0, y=y0, width=x1 - x0, height=y1 - y0)


def _clip(box: FloatRect, viewport: ViewportSize) -> FloatRect | None:
    """Pad the box (room for the label above it) and keep it inside the viewport."""
    x0 = max(0.0, box["x"] - 16)
    y0 = max(0.0, box["y"] - 44)
    x1 = min(float(viewport["width"]), box["x"] + box["width"] + 16)
    y1 = min(float(viewport["height"]), box["y"] + box["height"] + 16)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    return FloatRect(x=x0, y=y0, width=x1 - x0, height=y1 - y0)


async def _shoot(page: Page, boxes: list[FloatRect | None], viewport: ViewportSize,
                 ms: float) -> bytes | None:
    box = _union(boxes)
    clip = _clip(box, viewport) if box else None
    return await page.screenshot(clip=clip, timeout=ms, caret="initial") if clip else None


async def screenshot_control(
    page: Page,
    selector: str | None,
    *,
    open_dropdown: bool = False,
    focus: Mapping[str, Any] | None = None,
    timeout: float = 5.0,
    search: str | None = None,
) -> tuple[bytes, str | None]:
    """PNG of the chosen control, else of the viewport; returns the image and the selector
    it shows (``None`` for the viewport fallback).

    A custom dropdown is shown open; a native select is shown as an open list box (a
    headless screenshot cannot show its popup). Either is scrolled to the territory named
    by ``focus``, or to where it would be alphabetically: that is the evidence a reader wants.
    A control read by typing has ``search`` (what showed the territory) typed again.
    """
    ms = timeout * 1000
    focus = dict(focus or DEFAULT_FOCUS)
    viewport = page.viewport_size or ViewportSize(width=DEFAULT_VIEWPORT[0],
                                                  height=DEFAULT_VIEWPORT[1])
    if selector:
        try:
            # Resolved once, to an element: each call on a locator looks the selector up
            # again, which on a page of a few thousand elements cost 50-80 ms a call.
            element = await _find(page, selector)
            if element is None:
                target = await _locate(page, selector)
                element = await target.element_handle(timeout=ms) if target is not None \
                    else None
            if element is not None:
                try:
                    png = await _shoot_control(page, element, open_dropdown, focus,
                                               viewport, ms, search)
                finally:
                    await element.dispose()
                if png is not None:
                    return png, selector
        except PlaywrightError as exc:
            if is_closed_error(exc):
                raise
    return await page.screenshot(timeout=ms), None


async def _shoot_control(page: Page, element: ElementHandle, open_dropdown: bool,
                         focus: Mapping[str, Any], viewport: ViewportSize,
                         ms: float, search: str | None = None) -> bytes | None:
    png: bytes | None = None
    if open_dropdown:
        frame = await element.owner_frame() or page.main_frame
        await element.evaluate("el => el.scrollIntoView({block: 'center'})")
        await frame.evaluate(js.SNAPSHOT_OPTIONS_JS)
        boxes = [await element.bounding_box()]
        opened = await click_like_user(element, 1.0) and (
            await wait_for_options(frame, 1.5) or search is not None)
        typed = opened and search is not None and await _type_search(page, frame, search)
        if opened and (not search or typed) and await frame.evaluate(js.MARK_OPEN_LIST_JS):
            await frame.evaluate(js.FOCUS_LIST_JS, {**focus, "budgetMs": 3000})
            shot = frame.locator("[data-xk-shot]").first
            boxes.append(await shot.bounding_box(timeout=ms))
        png = await _shoot(page, boxes, viewport, ms)
        if typed:
            await page.keyboard.press("ControlOrMeta+a")
            await page.keyboard.press("Backspace")
        await close_dropdown(page, frame)
        await frame.evaluate(js.UNMARK_JS)
    else:
        shown = await element.evaluate(js.SHOW_SELECT_JS, focus)
        box: FloatRect | None = None
        if shown and shown["top"]:
            box = FloatRect(x=shown["x"], y=shown["y"], width=shown["width"],
                            height=shown["height"])
        elif shown:  # in a frame: Playwright adds the frame's offset
            box = await element.bounding_box()
        png = await _shoot(page, [box], viewport, ms)
    return png
