"""Catalog steps (click, fill, select, wait_for, scroll) run in the page before reading."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import (
    Page,
)

from crawler.fetch.browser import scripts as js
from crawler.fetch.browser.errors import StepFailed, first_line, is_closed_error


async def run_steps(page: Page, steps: Sequence[Mapping[str, Any]], *, timeout: float) -> None:
    """Run catalog steps in order, each bounded by ``timeout`` s; raise StepFailed."""
    ms = timeout * 1000
    for number, step in enumerate(steps, 1):
        if not isinstance(step, Mapping) or len(step) != 1:
            raise StepFailed(f"step {number}: expected one action, got {step!r}"[:300])
        ((kind, arg),) = step.items()
        try:
            if kind == "click":
                await page.click(str(arg), timeout=ms)
            elif kind == "fill":
                selector, text = arg
                await page.fill(str(selector), str(text), timeout=ms)
            elif kind == "select":
                selector, value = arg
                await page.select_option(str(selector), str(value), timeout=ms)
            elif kind == "wait_for":
                await page.wait_for_selector(str(arg), state="attached", timeout=ms)
            elif kind == "scroll":
                if arg in ("bottom", None):
                    await page.evaluate(js.SCROLL_BOTTOM_JS)
                elif arg == "top":
                    await page.evaluate(js.SCROLL_TOP_JS)
                else:
                    await page.locator(str(arg)).first.scroll_into_view_if_needed(timeout=ms)
                await page.wait_for_timeout(150)
            else:
                raise StepFailed(f"step {number}: unknown action {kind!r}")
        except (PlaywrightError, ValueError, TypeError) as exc:
            if isinstance(exc, PlaywrightError) and is_closed_error(exc):
                raise
            raise StepFailed(f"step {number} {kind} {arg!r}: {first_line(exc)}"[:400]) from None
