"""Waiting until the form is there: network activity, frames, and the settle loop.

Sites draw country lists late (after an XHR, a framework boot, a timer); a page is read once
its country control has options, or once document and network have been quiet for a moment.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import (
    Frame,
    Page,
    Request,
)

from crawler.fetch.browser import scripts as js
from crawler.fetch.browser.errors import is_navigation_error


class NetworkTracker:
    """Counts the page's requests in flight, to tell a quiet page from a loading one."""

    def __init__(self) -> None:
        self._inflight: set[Request] = set()
        self._last = time.monotonic()

    def attach(self, page: Page) -> NetworkTracker:
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)
        return self

    def _started(self, request: Request) -> None:
        self._inflight.add(request)
        self._last = time.monotonic()

    def _ended(self, request: Request) -> None:
        self._inflight.discard(request)
        self._last = time.monotonic()

    def idle_for(self) -> float:
        """Seconds since the last request ended, 0 while any is in flight."""
        return 0.0 if self._inflight else time.monotonic() - self._last



def _origin(url: str) -> tuple[str, str, int] | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.scheme, parts.hostname, port


def same_origin_frames(page: Page) -> tuple[list[Frame], list[str]]:
    """Child frames we may read (same origin, or about:blank/srcdoc that inherit it) and
    the URLs of those we skip (cross-origin: a third party's document, e.g. a payment form)."""
    top = _origin(page.url)
    readable: list[Frame] = []
    skipped: list[str] = []
    for frame in page.frames:
        if frame is page.main_frame or frame.is_detached():
            continue
        url = frame.url or "about:blank"
        if url.startswith("about:"):
            readable.append(frame)
            continue
        if url.startswith("blob:"):
            url = url[5:]
        if top is not None and _origin(url) == top:
            readable.append(frame)
        else:
            skipped.append(url)
    return readable, skipped


async def evaluate_in(target: Page | Frame, script: str, arg: Any = None,
                    timeout: float | None = None) -> Any:
    call = target.evaluate(script, arg)
    if timeout is None:
        return await call
    return await asyncio.wait_for(call, max(0.05, timeout))


async def settle_page(
    page: Page,
    *,
    deadline: float,
    network: NetworkTracker | None = None,
    quiet: float = 0.5,
    poll: float = 0.1,
) -> str:
    """Wait until the country control is there, bounded by ``deadline`` (monotonic time).

    Returns ``"ready"`` (a country-looking control has options, or a custom dropdown to
    open is present), ``"stable"`` (no country select is waiting to be filled and the
    document and network were quiet for ``quiet`` s) or ``"deadline"``. A visible empty
    select named like a country keeps us waiting (a list filled ten seconds late is still
    read), even when another list on the page is complete.
    """
    last_sig: str | None = None
    changed_at = time.monotonic()
    polls = 0
    while True:
        now = time.monotonic()
        frames, _ = same_origin_frames(page)
        ready = waiting = False
        sigs = [str(len(frames))]
        for frame in [page.main_frame, *frames]:
            try:
                state = await evaluate_in(frame, js.SETTLE_STATE_JS, timeout=deadline - now)
            except (TimeoutError, PlaywrightError) as exc:
                if isinstance(exc, PlaywrightError) and not is_navigation_error(exc):
                    raise
                sigs.append("busy")
                continue
            ready = ready or bool(state["ready"])
            waiting = waiting or bool(state["waiting"])
            sigs.append(str(state["sig"]))
        if ready and not waiting:
            return "ready"
        sig = "|".join(sigs)
        now = time.monotonic()
        if sig != last_sig:
            last_sig, changed_at = sig, now
        dom_quiet = now - changed_at
        net_quiet = network.idle_for() if network is not None else quiet
        if not waiting and dom_quiet >= quiet and (net_quiet >= quiet or dom_quiet >= 3.0):
            return "stable"
        if now >= deadline:
            return "deadline"
        # Most lists are drawn within a few dozen ms of loading: look again soon at first
        # (25, 50, 75 ms…), then every ``poll`` s (a fixed 100 ms added ~60 ms per page).
        polls += 1
        await asyncio.sleep(min(poll, 0.025 * polls, max(0.0, deadline - now)))
