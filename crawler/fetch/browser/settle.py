"""Waiting until the form is there: network activity, frames, and the settle loop.

Sites draw country lists late (after an XHR, a framework boot, a timer); a page is read once
its country control has options, or once document and network have been quiet for a moment.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import (
    Frame,
    Page,
    Request,
    Response,
)

from crawler.fetch.browser import scripts as js
from crawler.fetch.browser.errors import is_navigation_error

# Requests whose failure may leave a search unanswered: what a widget asks its server with
# (XHR, fetch, a JSONP script, an event stream). Images, fonts and media are aborted on
# purpose (``guard.skip_unneeded``); a beacon or a style sheet answers no search.
_ANSWERING_TYPES = frozenset({"xhr", "fetch", "script", "eventsource", "other"})


class NetworkTracker:
    """Counts the page's requests in flight, to tell a quiet page from a loading one, and
    remembers when a request that could carry an answer failed (an error status, a refused
    or aborted connection): a search whose request failed has not answered."""

    def __init__(self) -> None:
        self._inflight: dict[Request, float] = {}
        self._last = time.monotonic()
        self.last_start = 0.0  # when the latest request started (monotonic time)
        # When the answering requests that failed had started (monotonic time); the
        # latest ones are enough.
        self._failures: deque[float] = deque(maxlen=256)

    def attach(self, page: Page) -> NetworkTracker:
        page.on("request", self._started)
        page.on("response", self._responded)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._failed)
        return self

    def _started(self, request: Request) -> None:
        self._inflight[request] = self._last = self.last_start = time.monotonic()

    def _ended(self, request: Request) -> None:
        self._inflight.pop(request, None)
        self._last = time.monotonic()

    def _responded(self, response: Response) -> None:
        request = response.request
        if response.status >= 400 and request.resource_type in _ANSWERING_TYPES:
            self._failures.append(self._inflight.get(request, time.monotonic()))

    def _failed(self, request: Request) -> None:
        started = self._inflight.get(request, time.monotonic())
        self._ended(request)
        if request.resource_type in _ANSWERING_TYPES:
            self._failures.append(started)

    def failed_since(self, since: float) -> int:
        """How many answering requests started at or after ``since`` (monotonic time)
        failed: an error status, or no answer at all (refused, aborted, cut)."""
        return sum(1 for t in self._failures if t >= since)

    def pending_since(self, since: float) -> int:
        """How many requests started at or after ``since`` are still in flight."""
        return sum(1 for t in self._inflight.values() if t >= since)

    def idle_for(self) -> float:
        """Seconds since the last request ended, 0 while any is in flight."""
        return 0.0 if self._inflight else time.monotonic() - self._last

    def idle_since(self, since: float) -> float:
        """Like :meth:`idle_for`, counting only the requests started at or after ``since``
        (a long poll started before a search does not keep the search from settling)."""
        return 0.0 if self.pending_since(since) else time.monotonic() - self._last

    @property
    def busy(self) -> bool:
        return bool(self._inflight)

    @property
    def last_event(self) -> float:
        """When a request last started or ended (monotonic time)."""
        return self._last



def child_frames(page: Page, max_frames: int = 20) -> list[Frame]:
    """The page's child frames that hold a document, whatever their origin (a payment
    provider's form is another origin's frame); at most ``max_frames``."""
    out: list[Frame] = []
    for frame in page.frames:
        if frame is page.main_frame or frame.is_detached():
            continue
        url = frame.url or "about:blank"
        if not url.startswith(("http:", "https:", "about:", "blob:", "data:")):
            continue
        out.append(frame)
        if len(out) >= max_frames:
            break
    return out


async def scroll_through(page: Page, *, network: NetworkTracker | None, deadline: float,
                         max_steps: int = 12) -> int:
    """Scroll down a screen at a time, as a person reading the page, so that what loads
    when it comes into view (a lazy address section) is fetched; then back to the top.
    Bounded by ``max_steps`` and ``deadline``; returns the steps taken (0: a short page)."""
    steps = 0
    while steps < max_steps and time.monotonic() < deadline:
        try:
            moved = await page.evaluate(js.SCROLL_STEP_JS)
        except PlaywrightError as exc:
            if not is_navigation_error(exc):
                raise
            break
        if not moved:
            break
        steps += 1
        await asyncio.sleep(0.05)
        # Something started loading: give it a moment before the next screen.
        while network is not None and network.busy and time.monotonic() < min(
                deadline, network.last_start + 1.5):
            await asyncio.sleep(0.05)
    if steps:
        await page.evaluate(js.SCROLL_TOP_JS)
    return steps


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
        frames = child_frames(page)
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
