"""The browser fetcher: load a page in Chromium and read the country controls a script drew.

Many sites build the country list with JavaScript: late, from an XHR, inside a custom
dropdown that exists only once clicked, in a shadow root or an iframe. This module drives
Playwright to see them and turns everything it finds into a :class:`FetchOutcome`.

Two layers:

* page logic (``settle_page``, ``run_steps``, ``read_document``, ``read_frames``,
  ``probe_widgets``, ``screenshot_control``, ``RequestGuard``): async functions that take a
  Playwright ``Page``, so the Scrapy crawler (scrapy-playwright hands out async pages) can
  reuse them unchanged;
* :class:`BrowserFetcher`: a blocking context manager for ``xktracker check``. It runs one
  browser on a private event-loop thread (so it also works when the caller has a loop),
  opens a fresh context per URL and relaunches the browser after a crash or every
  ``recycle_every`` pages to bound memory.

Failures are outcomes, never exceptions (only a missing browser raises, at start).
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import threading
import time
from collections.abc import Callable, Coroutine, Iterable, Mapping, Sequence
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

from playwright.async_api import (
    Browser,
    ElementHandle,
    FloatRect,
    Frame,
    Locator,
    Page,
    Playwright,
    Request,
    Route,
    ViewportSize,
    async_playwright,
)
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from checks.model import Control, Option, Widget
from crawler.fetch import dom_scripts as js
from crawler.fetch.chromium import BrowserBinary, BrowserUnavailable, find_chromium
from crawler.fetch.guard import GuardError, IPNetwork, Resolver, check_host, check_url, validate_url
from crawler.fetch.outcome import FetchOutcome
from crawler.fetch.static import DEFAULT_USER_AGENT

T = TypeVar("T")
# Given the outcome read so far (document, frames, clicked-open controls), the selector of
# the control to photograph; it may leave its analysis in ``FetchOutcome.analysed``.
ChooseControl = Callable[[FetchOutcome], str | None]

DEFAULT_MAX_HTML_BYTES = 10 * 1024 * 1024
DEFAULT_VIEWPORT = (1280, 900)
# Resource types never needed to read a form; skipping them saves time on every page.
SKIPPED_RESOURCE_TYPES = frozenset({"image", "font", "media"})
# What the screenshot scrolls a list to: the territory's names (regex), codes and the name
# it sorts under when it is missing (the gap where it should be is the evidence).
DEFAULT_FOCUS: Mapping[str, Any] = {
    "pattern": "kosov|kosova|kosovë|косов|科索沃|コソボ|코소보|كوسوفو|קוסובו|Κοσσυφοπέδιο",
    "codes": ["XK", "XKX"],
    "sortName": "Kosovo",
}
_HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml", "text/plain")

_CLOSED_MARKERS = (
    "has been closed", "Target closed", "Browser closed", "browser has disconnected",
    "Connection closed", "Page crashed", "Target crashed",
)
_NAV_MARKERS = ("Execution context was destroyed", "navigat", "Frame was detached",
                "frame got detached", "Cannot find context")

# Chromium net error names (net::ERR_*) to outcome reasons; the first matching prefix wins.
_NET_REASONS: tuple[tuple[str, str], ...] = (
    ("ERR_NAME_NOT_RESOLVED", "dns"), ("ERR_NAME_RESOLUTION_FAILED", "dns"), ("ERR_DNS_", "dns"),
    ("ERR_CERT_", "tls"), ("ERR_SSL_", "tls"), ("ERR_BAD_SSL", "tls"),
    ("ERR_TIMED_OUT", "timeout"), ("ERR_CONNECTION_TIMED_OUT", "timeout"),
    ("ERR_TOO_MANY_REDIRECTS", "too_many_redirects"),
    ("ERR_INVALID_URL", "bad_url"), ("ERR_DISALLOWED_URL_SCHEME", "bad_url"),
    ("ERR_UNKNOWN_URL_SCHEME", "bad_url"), ("ERR_UNSAFE_PORT", "bad_url"),
    ("ERR_BLOCKED_BY_CLIENT", "private_address"),
    ("ERR_INVALID_RESPONSE", "bad_content"), ("ERR_INVALID_HTTP_RESPONSE", "bad_content"),
    ("ERR_CONTENT_DECODING_FAILED", "bad_content"), ("ERR_RESPONSE_HEADERS_", "bad_content"),
    ("ERR_INVALID_CHUNKED_ENCODING", "bad_content"),
    ("ERR_INCOMPLETE_CHUNKED_ENCODING", "bad_content"),
    ("ERR_CONTENT_LENGTH_MISMATCH", "bad_content"), ("ERR_BLOCKED_BY_RESPONSE", "bad_content"),
    ("ERR_BLOCKED_BY_ORB", "bad_content"), ("ERR_FILE_TOO_BIG", "too_large"),
)


# ---------------------------------------------------------------------------------------
# Errors


class StepFailed(Exception):
    """A catalog step (click, fill, …) could not be carried out."""


class _Stop(Exception):
    """Ends a fetch early with an outcome reason (``error`` unless ``blocked`` is set)."""

    def __init__(self, reason: str, detail: str | None = None) -> None:
        super().__init__(detail or reason)
        self.reason = reason
        self.detail = detail


# Public name for callers that read pages themselves (the crawler's browser path).
PageStop = _Stop


def is_closed_error(exc: BaseException) -> bool:
    """True when the page, context or browser went away (a crash, a kill, a close)."""
    if type(exc).__name__ == "TargetClosedError":
        return True
    text = str(exc)
    return any(marker in text for marker in _CLOSED_MARKERS)


def _is_navigation_error(exc: BaseException) -> bool:
    return not is_closed_error(exc) and any(m in str(exc) for m in _NAV_MARKERS)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]


def net_error_reason(name: str) -> str:
    """Map a Chromium ``ERR_*`` name to an outcome reason (unknown ones are ``connection``)."""
    for prefix, reason in _NET_REASONS:
        if name.startswith(prefix):
            return reason
    return "connection"


# Node's network error names (route.fetch) to (reason, Playwright abort code).
_FETCH_FAILURES: tuple[tuple[str, str, str], ...] = (
    ("ECONNREFUSED", "connection", "connectionrefused"),
    ("ECONNRESET", "connection", "connectionreset"),
    ("ENOTFOUND", "dns", "namenotresolved"), ("EAI_AGAIN", "dns", "namenotresolved"),
    ("ETIMEDOUT", "timeout", "timedout"), ("Timeout", "timeout", "timedout"),
    ("EHOSTUNREACH", "connection", "addressunreachable"),
    ("ENETUNREACH", "connection", "addressunreachable"),
    ("CERT", "tls", "failed"), ("SSL", "tls", "failed"), ("TLS", "tls", "failed"),
    ("certificate", "tls", "failed"),
)


def _fetch_failure(exc: BaseException) -> tuple[str, str]:
    text = str(exc)
    for marker, reason, code in _FETCH_FAILURES:
        if marker in text:
            return reason, code
    return "connection", "failed"


def classify_error(exc: BaseException) -> tuple[str, str]:
    """Reason and short detail for an exception raised while driving the browser."""
    text = str(exc)
    if isinstance(exc, PlaywrightTimeout | asyncio.TimeoutError | FutureTimeout):
        return "timeout", _first_line(exc)
    found = re.search(r"net::(ERR_[A-Z0-9_]+)", text)
    if found:
        return net_error_reason(found.group(1)), found.group(1)
    if "Download is starting" in text:
        return "bad_content", "the URL starts a download, not a page"
    if is_closed_error(exc):
        return "browser_crashed", _first_line(exc)
    return "connection", _first_line(exc)


# ---------------------------------------------------------------------------------------
# Request guard and network activity


class RequestGuard:
    """A route handler that lets the page fetch only what the address guard allows.

    Every request (document, iframe, script, XHR, …) is checked; images, fonts and media
    are dropped outright. Decisions are cached per scheme and host for the page's life,
    so a page with 200 requests to one CDN costs one DNS look-up.

    Playwright never shows a route handler the hops of a redirect, so with
    ``check_redirects`` documents (pages and iframes) are fetched through ``route.fetch``
    one hop at a time: a redirect to a refused address is aborted before anything is sent
    there. Subresource redirects are not seen; the document's server address is checked
    again after loading (see ``BrowserFetcher``).
    """

    def __init__(
        self,
        *,
        allow_private: bool,
        allow_networks: Iterable[str | IPNetwork] = (),
        resolver: Resolver | None = None,
        skip_types: frozenset[str] = SKIPPED_RESOURCE_TYPES,
        check_redirects: bool | None = None,
        fetch_timeout: float = 20.0,
        chain: bool = False,
    ) -> None:
        self.allow_private = allow_private
        # chain: let another route handler (scrapy-playwright's) see what we allow, instead
        # of sending it on ourselves.
        self.chain = chain
        self.allow_networks = tuple(allow_networks)
        self.resolver = resolver
        self.skip_types = skip_types
        self.check_redirects = (not allow_private) if check_redirects is None else check_redirects
        self.fetch_timeout = fetch_timeout
        self.refused: list[tuple[str, str]] = []  # (url, reason), in order
        self.refused_redirect: tuple[str, str] | None = None  # (target, reason)
        self.redirect_loop = False
        self.document_error: tuple[str, str, str] | None = None  # (url, reason, detail)
        self.skipped = 0
        self._hosts: dict[tuple[str, str], GuardError | None] = {}
        self._hops: set[str] = set()

    def _check(self, url: str) -> None:
        check_url(url, allow_private=self.allow_private, resolver=self.resolver,
                  allow_networks=self.allow_networks)

    async def refusal(self, url: str) -> GuardError | None:
        """The guard's objection to ``url``, or ``None`` when it may be fetched."""
        parts = urlsplit(url)
        key = (parts.scheme.lower(), parts.netloc.lower())
        if key in self._hosts:
            cached = self._hosts[key]
            if cached is not None:
                return cached
            try:
                validate_url(url)  # shape only; the host was approved already
            except GuardError as exc:
                return exc
            return None
        try:
            await asyncio.to_thread(self._check, url)
            verdict: GuardError | None = None
        except GuardError as exc:
            verdict = exc
        self._hosts[key] = verdict
        return verdict

    async def handle(self, route: Route) -> None:
        """Playwright route handler: abort what the guard refuses, continue the rest."""
        request = route.request
        try:
            if request.resource_type in self.skip_types:
                self.skipped += 1
                await route.abort("blockedbyclient")
                return
            if not request.url.startswith(("http://", "https://")):
                await self._pass(route)
                return
            objection = await self.refusal(request.url)
            if objection is not None:
                self.refused.append((request.url, objection.reason))
                await route.abort("blockedbyclient")
                return
            if self.check_redirects and request.resource_type == "document":
                await self._document_hop(route)
                return
            await self._pass(route)
        except PlaywrightError:
            pass  # the page or browser went away while we decided; nothing to route

    async def _pass(self, route: Route) -> None:
        if self.chain:
            await route.fallback()
        else:
            await route.continue_()

    async def _document_hop(self, route: Route) -> None:
        """Fetch one hop of a document ourselves and vet a redirect before the browser
        follows it (the browser's follow-up request comes back through ``handle``)."""
        request = route.request
        try:
            response = await route.fetch(max_redirects=0, timeout=self.fetch_timeout * 1000)
        except PlaywrightError as exc:
            if is_closed_error(exc):
                raise
            reason, code = _fetch_failure(exc)
            self.document_error = (request.url, reason, _first_line(exc))
            await route.abort(code)
            return
        location = response.headers.get("location")
        if 300 <= response.status < 400 and location:
            target = urljoin(request.url, location.strip())
            if target in self._hops or target == request.url:
                self.redirect_loop = True
            self._hops.add(request.url)
            if target.startswith(("http://", "https://")):
                objection = await self.refusal(target)
                if objection is not None:
                    self.refused.append((target, objection.reason))
                    self.refused_redirect = (target, objection.reason)
                    await route.abort("blockedbyclient")
                    return
        await route.fulfill(response=response)

    def reason_for(self, url: str) -> str | None:
        """Why the navigation to ``url`` was aborted by us, if it was."""
        if self.refused_redirect is not None:
            return self.refused_redirect[1]
        for refused_url, reason in self.refused:
            if refused_url.split("#")[0] == url.split("#")[0]:
                return reason
        return None

    def explain(self, url: str, reason: str, detail: str | None) -> tuple[str, str | None]:
        """Sharpen a navigation error with what this guard saw: a refused address or
        redirect, a redirect loop, or a document hop it judged itself."""
        if reason == "private_address":
            reason = self.reason_for(url) or reason
            if self.refused_redirect is not None:
                detail = f"redirect to {self.refused_redirect[0][:200]} refused"
        if reason == "too_many_redirects" and self.redirect_loop:
            reason = "redirect_loop"
        if self.document_error is not None:
            _, reason, detail = self.document_error
        return reason, detail

    def summary(self) -> str | None:
        """A short note for ``FetchOutcome.detail`` about requests we refused."""
        if not self.refused:
            return None
        reasons = sorted({reason for _, reason in self.refused})
        first = self.refused[0][0][:120]
        return (f"refused {len(self.refused)} request(s) ({', '.join(reasons)}), "
                f"first {first}")


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


# ---------------------------------------------------------------------------------------
# Page logic (async, takes a Playwright Page: reusable from scrapy-playwright)


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


async def _evaluate(target: Page | Frame, script: str, arg: Any = None,
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
                state = await _evaluate(frame, js.SETTLE_STATE_JS, timeout=deadline - now)
            except (TimeoutError, PlaywrightError) as exc:
                if isinstance(exc, PlaywrightError) and not _is_navigation_error(exc):
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
            raise StepFailed(f"step {number} {kind} {arg!r}: {_first_line(exc)}"[:400]) from None


async def read_document(target: Page | Frame) -> str:
    """The live document as HTML, open shadow roots flattened in (``page.content()`` if the
    browser is too old for ``getHTML``); retried once if a navigation gets in the way."""
    for attempt in range(2):
        try:
            html = await target.evaluate(js.SERIALIZE_JS)
            if html is None:
                html = await target.content()
            return str(html)
        except PlaywrightError as exc:
            if attempt or not _is_navigation_error(exc):
                raise
            await target.wait_for_load_state("domcontentloaded", timeout=5000)
    raise AssertionError("unreachable")


async def read_frames(
    page: Page, *, max_bytes: int = DEFAULT_MAX_HTML_BYTES, max_frames: int = 20
) -> tuple[list[tuple[str, str]], list[str]]:
    """``(url, html)`` of same-origin child frames, and notes on the frames left out."""
    frames, cross = same_origin_frames(page)
    out: list[tuple[str, str]] = []
    notes: list[str] = []
    if cross:
        hosts = sorted({urlsplit(u).hostname or u[:40] for u in cross})
        notes.append(f"skipped {len(cross)} cross-origin frame(s): {', '.join(hosts[:5])}")
    for frame in frames:
        if len(out) >= max_frames:
            notes.append(f"read only the first {max_frames} frames")
            break
        try:
            html = await read_document(frame)
        except PlaywrightError as exc:
            if is_closed_error(exc) and not page.is_closed() and frame.is_detached():
                continue
            if is_closed_error(exc):
                raise
            continue
        url = frame.url or "about:blank"
        if url.startswith("about:") and not re.search(r"<(select|input|iframe)\b", html):
            continue  # an empty placeholder frame (ads, trackers): nothing to read
        if len(html.encode("utf-8")) > max_bytes:
            notes.append(f"frame {url[:80]} larger than {max_bytes} bytes, left out")
            continue
        out.append((url, html))
    return out, notes


async def _click(locator: Locator | ElementHandle, seconds: float) -> bool:
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


async def _wait_options(page: Page, seconds: float) -> int:
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


async def _close_dropdown(page: Page) -> None:
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
        return [], [f"widget probe failed: {_first_line(exc)}"]
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
            if not await _click(page.locator(selector).first, per_widget):
                continue
            if not await _wait_options(page, per_widget / 2):
                # Some comboboxes open from the keyboard only (downshift, headless UI).
                await page.keyboard.press("ArrowDown")
                if not await _wait_options(page, per_widget / 2):
                    await _close_dropdown(page)
                    continue
            left_ms = max(1000.0, (end - time.monotonic()) * 1000)
            found = await page.evaluate(
                js.COLLECT_OPTIONS_JS, {"max": max_options, "budgetMs": min(10000.0, left_ms)}
            )
            await _close_dropdown(page)
        except PlaywrightError as exc:
            if is_closed_error(exc):
                raise
            notes.append(f"widget {candidate.get('selector')}: {_first_line(exc)}"[:200])
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


async def _find(page: Page, selector: str) -> ElementHandle | None:
    """The chosen control as an element, found with plain CSS in the page, its open shadow
    roots or a same-origin frame; ``None`` when that finds nothing (then :func:`_locate`)."""
    frames, _ = same_origin_frames(page)
    for frame in [page.main_frame, *frames]:
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
    frames, _ = same_origin_frames(page)
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
) -> tuple[bytes, str | None]:
    """PNG of the chosen control, else of the viewport; returns the image and the selector
    it shows (``None`` for the viewport fallback).

    A custom dropdown is shown open; a native select is shown as an open list box (a
    headless screenshot cannot show its popup). Either is scrolled to the territory named
    by ``focus``, or to where it would be alphabetically: that is the evidence a reader wants.
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
                                               viewport, ms)
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
                         ms: float) -> bytes | None:
    png: bytes | None = None
    if open_dropdown:
        await element.evaluate("el => el.scrollIntoView({block: 'center'})")
        await page.evaluate(js.SNAPSHOT_OPTIONS_JS)
        boxes = [await element.bounding_box()]
        if (await _click(element, 1.0) and await _wait_options(page, 1.5)
                and await page.evaluate(js.MARK_OPEN_LIST_JS)):
            await page.evaluate(js.FOCUS_LIST_JS, {**focus, "budgetMs": 3000})
            shot = page.locator("[data-xk-shot]").first
            boxes.append(await shot.bounding_box(timeout=ms))
        png = await _shoot(page, boxes, viewport, ms)
        await _close_dropdown(page)
        await page.evaluate(js.UNMARK_JS)
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


# ---------------------------------------------------------------------------------------
# A loaded page to a FetchOutcome (shared by BrowserFetcher and the crawler's browser path)


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """Budgets for reading a loaded page: ``timeout`` bounds settling and each step."""

    timeout: float = 20.0
    probe: bool = True
    probe_budget: float = 15.0
    screenshots: bool = True
    max_html_bytes: int = DEFAULT_MAX_HTML_BYTES


def check_server_address(address: Mapping[str, Any] | None, *, allow_private: bool,
                         allow_networks: Iterable[str | IPNetwork] = ()) -> None:
    """Refuse a document served from a non-public address (DNS changed after our check, or
    a redirect the route handler never saw); ``address`` is Playwright's ``server_addr()``."""
    if allow_private or not address:
        return
    ip = str(address.get("ipAddress") or "").strip("[]")
    if not ip:
        return
    try:
        check_host(ip, int(address.get("port") or 0), allow_private=False,
                   allow_networks=allow_networks)
    except GuardError as exc:
        raise _Stop(exc.reason, f"document served from {ip}: {exc.detail}") from None


def judge_status(status: int | None) -> bool:
    """Raise the outcome of an error status like the static path; True for a 401/403 wall."""
    if status is None:
        return False
    if status in (401, 403):
        return True
    if status == 429:
        raise _Stop("rate_limited", "HTTP 429")
    if 400 <= status < 500:
        raise _Stop("http_4xx", f"HTTP {status}")
    if status >= 500:
        raise _Stop("http_5xx", f"HTTP {status}")
    return False


def store_html(out: FetchOutcome, html: str, max_bytes: int) -> None:
    """Keep the rendered document (and its hash) in ``out``, refusing one over ``max_bytes``."""
    data = html.encode("utf-8")
    if len(data) > max_bytes:
        raise _Stop("too_large", f"rendered document exceeds {max_bytes} bytes")
    out.html = html
    out.body_sha256 = hashlib.sha256(data).hexdigest()
    out.encoding = "utf-8"


async def read_page(
    page: Page,
    out: FetchOutcome,
    *,
    steps: Sequence[Mapping[str, Any]],
    choose: ChooseControl | None,
    deadline: float,
    network: NetworkTracker | None,
    notes: list[str],
    options: ReadOptions,
) -> None:
    """Everything after the navigation: judge ``out.status``, settle, run ``steps``, read the
    document, frames and custom dropdowns, take the screenshot.

    ``out.status``/``content_type`` must be set from the main response. Raises the errors
    :func:`record_failure` turns into reasons; the caller closes the page.
    """
    forbidden = judge_status(out.status)
    media = (out.content_type or "").split(";")[0].strip().lower()
    if media and not media.startswith(_HTML_TYPES):
        raise _Stop("bad_content", f"content type {media}")
    if forbidden:
        # A wall page: its text helps name it (bot wall, captcha), the form is not there.
        await settle_page(page, deadline=min(deadline, time.monotonic() + 2.0),
                          network=network)
        store_html(out, await read_document(page), options.max_html_bytes)
        out.final_url = page.url
        raise _Stop("forbidden", f"HTTP {out.status}")
    state = await settle_page(page, deadline=deadline, network=network)
    if state == "deadline":
        notes.append(f"form did not settle within {options.timeout:g}s")
    if steps:
        await run_steps(page, steps, timeout=options.timeout)
        await settle_page(page, deadline=time.monotonic() + options.timeout, network=network)
    out.final_url = page.url
    store_html(out, await read_document(page), options.max_html_bytes)
    out.frames, frame_notes = await read_frames(page, max_bytes=options.max_html_bytes)
    notes.extend(frame_notes)
    if options.probe:
        out.extra_controls, probe_notes = await probe_widgets(page, budget=options.probe_budget)
        notes.extend(probe_notes)
    if options.screenshots:
        await _screenshot(page, out, choose, notes)


def record_failure(out: FetchOutcome, exc: BaseException, notes: list[str]) -> None:
    """Turn an error raised while reading a page into the outcome's reason."""
    if isinstance(exc, _Stop):
        if exc.reason == "forbidden":
            out.blocked = "forbidden"
        else:
            out.error = exc.reason
        if exc.detail:
            notes.insert(0, exc.detail)
    elif isinstance(exc, StepFailed):
        out.error = "step_failed"
        notes.insert(0, str(exc))
    else:
        reason, detail = classify_error(exc)
        out.error = reason
        notes.insert(0, detail)


def finish_outcome(out: FetchOutcome, notes: list[str], guard: RequestGuard | None,
                   start: float) -> None:
    """Drop half-read evidence of a failed fetch and write the detail and elapsed time."""
    if out.error is not None:
        out.html = out.body_sha256 = out.screenshot_png = out.screenshot_selector = None
        out.frames, out.extra_controls = [], []
    if guard is not None:
        notes.append(guard.summary() or "")
    out.detail = "; ".join(dict.fromkeys(n for n in notes if n))[:1000] or None
    out.elapsed_ms = round((time.monotonic() - start) * 1000.0, 1)


async def _screenshot(
    page: Page, out: FetchOutcome, choose: ChooseControl | None, notes: list[str]
) -> None:
    selector: str | None = None
    if choose is not None and out.html is not None:
        try:
            selector = choose(out)
        except Exception as exc:  # the caller's analysis must not sink the fetch
            notes.append(f"choose_control failed: {type(exc).__name__}: {exc}"[:200])
    custom = bool(selector) and any(
        c.get("selector") == selector for c in out.extra_controls
    )
    try:
        png, shown = await screenshot_control(page, selector, open_dropdown=custom)
    except (TimeoutError, PlaywrightError) as exc:
        if isinstance(exc, PlaywrightError) and is_closed_error(exc):
            raise
        notes.append(f"screenshot failed: {_first_line(exc)}")
        return
    if selector and shown is None:
        notes.append(f"control {selector[:80]} not found for the screenshot")
    out.screenshot_png, out.screenshot_selector = png, shown


# ---------------------------------------------------------------------------------------
# The blocking fetcher behind `xktracker check --browser`


class BrowserFetcher:
    """One Chromium per run, a fresh context per URL; every failure becomes an outcome.

    ``timeout`` bounds navigation plus waiting for the form (and each step); widget
    probing and the screenshot have their own small budgets. ``allow_networks`` lets
    chosen non-public ranges through without ``allow_private`` (tests: 127.0.0.1/32).
    """

    def __init__(
        self,
        *,
        timeout: float = 20.0,
        allow_private: bool = False,
        executable_path: str | None = None,
        max_html_bytes: int = DEFAULT_MAX_HTML_BYTES,
        user_agent: str | None = None,
        viewport: tuple[int, int] = DEFAULT_VIEWPORT,
        allow_networks: Iterable[str | IPNetwork] = (),
        resolver: Resolver | None = None,
        recycle_every: int = 50,
        probe: bool = True,
        probe_budget: float = 15.0,
        screenshots: bool = True,
        launch_args: Sequence[str] = (),
    ) -> None:
        self.timeout = timeout
        self.allow_private = allow_private
        self.executable_path = executable_path
        self.max_html_bytes = max_html_bytes
        self.user_agent = user_agent
        self.viewport = viewport
        self.allow_networks = tuple(allow_networks)
        self.resolver = resolver
        self.recycle_every = max(1, recycle_every)
        self.probe = probe
        self.probe_budget = probe_budget
        self.screenshots = screenshots
        self.launch_args = tuple(launch_args)
        self.binary: BrowserBinary | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._pw: Playwright | None = None
        self._browser: Browser | None = None
        self._pages = 0
        self._launches = 0
        self._lock = threading.Lock()

    # -- lifecycle --------------------------------------------------------------------

    def __enter__(self) -> BrowserFetcher:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def launches(self) -> int:
        """How many times a browser was launched (crash recovery and recycling add one)."""
        return self._launches

    def start(self) -> None:
        """Start the loop thread, find Chromium and launch it; raise BrowserUnavailable."""
        if self._loop is not None:
            return
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="xk-browser",
                                        daemon=True)
        self._thread.start()
        try:
            self._run(self._start())
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Close the browser and the driver and stop the loop thread (idempotent)."""
        loop, thread = self._loop, self._thread
        if loop is None:
            return
        try:
            self._run(self._shutdown(), timeout=30)
        except Exception:  # closing a dead browser may fail; the process is gone anyway
            pass
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(timeout=10)
        loop.close()
        self._loop = self._thread = None

    def _run(self, coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        assert self._loop is not None, "BrowserFetcher is not started"
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        try:
            return future.result(timeout)
        except FutureTimeout:
            future.cancel()
            raise

    async def _start(self) -> None:
        self._pw = await async_playwright().start()
        self.binary = find_chromium(self.executable_path, playwright=self._pw)
        try:
            await self._launch()
        except PlaywrightError as exc:
            raise BrowserUnavailable(
                f"Chromium at {self.binary.path} did not start: {_first_line(exc)}"
            ) from None

    async def _launch(self) -> Browser:
        assert self._pw is not None and self.binary is not None
        options = self.binary.launch_options(extra_args=self.launch_args)
        self._browser = await self._pw.chromium.launch(**options, timeout=30_000)
        self._pages = 0
        self._launches += 1
        return self._browser

    async def _drop_browser(self) -> None:
        browser, self._browser = self._browser, None
        if browser is not None:
            try:
                await asyncio.wait_for(browser.close(), 10)
            except (TimeoutError, PlaywrightError):
                pass

    async def _shutdown(self) -> None:
        await self._drop_browser()
        if self._pw is not None:
            try:
                await asyncio.wait_for(self._pw.stop(), 10)
            except (TimeoutError, PlaywrightError, OSError):
                pass
            self._pw = None
        # Route handlers of a dead browser may still wait; end them before the loop stops.
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)

    async def _ensure_browser(self) -> Browser:
        """The running browser; relaunched after a crash or every ``recycle_every`` pages."""
        if self._browser is not None and (
            not self._browser.is_connected() or self._pages >= self.recycle_every
        ):
            await self._drop_browser()
        if self._browser is not None:
            return self._browser
        try:
            return await self._launch()
        except PlaywrightError as exc:
            # The driver itself may have died with the browser: restart it once.
            await self._shutdown()
            try:
                self._pw = await async_playwright().start()
                return await self._launch()
            except PlaywrightError:
                raise _Stop("browser_unavailable", _first_line(exc)) from None

    # -- fetching ---------------------------------------------------------------------

    def fetch(
        self,
        url: str,
        *,
        steps: Sequence[Mapping[str, Any]] = (),
        choose_control: ChooseControl | None = None,
    ) -> FetchOutcome:
        """Load ``url``, run ``steps``, read the document, frames and custom dropdowns, and
        screenshot the control ``choose_control`` picks. Never raises for a bad page."""
        if self._loop is None:
            try:
                self.start()
            except BrowserUnavailable as exc:
                return FetchOutcome(requested_url=url, method="browser",
                                    error="browser_unavailable", detail=str(exc))
        hard_limit = self.timeout * (3 + len(steps)) + self.probe_budget + 60
        with self._lock:
            start = time.monotonic()
            try:
                return self._run(self._fetch(url, list(steps), choose_control), hard_limit)
            except FutureTimeout:
                self._run(self._drop_browser(), timeout=30)
                out = FetchOutcome(requested_url=url, method="browser", error="timeout",
                                   detail=f"browser fetch exceeded {hard_limit:g}s")
                out.elapsed_ms = round((time.monotonic() - start) * 1000.0, 1)
                return out

    async def _fetch(
        self, url: str, steps: list[Mapping[str, Any]], choose: ChooseControl | None
    ) -> FetchOutcome:
        start = time.monotonic()
        out = FetchOutcome(requested_url=url, method="browser")
        notes: list[str] = []
        guard = RequestGuard(allow_private=self.allow_private,
                             allow_networks=self.allow_networks, resolver=self.resolver,
                             fetch_timeout=self.timeout)
        try:
            await self._fetch_into(out, url, steps, choose, start, notes, guard)
        except (_Stop, StepFailed, TimeoutError, PlaywrightError) as exc:
            record_failure(out, exc, notes)
            if not isinstance(exc, _Stop | StepFailed) and (
                    self._browser is None or not self._browser.is_connected()):
                out.error = "browser_crashed"
                await self._drop_browser()
        finish_outcome(out, notes, guard, start)
        return out

    def _context_options(self, browser: Browser) -> dict[str, Any]:
        agent = self.user_agent or (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            f"Chrome/{browser.version} Safari/537.36 {DEFAULT_USER_AGENT}"
        )
        width, height = self.viewport
        return {
            "service_workers": "block",
            "viewport": {"width": width, "height": height},
            "user_agent": agent,
            "locale": "en-US",
            "accept_downloads": False,
        }

    async def _check_server(self, address: Mapping[str, Any] | None) -> None:
        check_server_address(address, allow_private=self.allow_private,
                             allow_networks=self.allow_networks)

    async def _fetch_into(
        self,
        out: FetchOutcome,
        url: str,
        steps: list[Mapping[str, Any]],
        choose: ChooseControl | None,
        start: float,
        notes: list[str],
        guard: RequestGuard,
    ) -> None:
        objection = await guard.refusal(url)
        if objection is not None:
            raise _Stop(objection.reason, objection.detail)
        browser = await self._ensure_browser()
        self._pages += 1
        deadline = start + self.timeout
        context = await browser.new_context(**self._context_options(browser))
        try:
            await context.route("**/*", guard.handle)
            page = await context.new_page()
            network = NetworkTracker().attach(page)
            try:
                response = await page.goto(
                    url, wait_until="domcontentloaded",
                    timeout=max(1.0, (deadline - time.monotonic()) * 1000),
                )
            except PlaywrightError as exc:
                reason, detail = guard.explain(url, *classify_error(exc))
                if reason == "browser_crashed" or is_closed_error(exc):
                    raise
                raise _Stop(reason, detail) from None
            if response is not None:
                out.status = response.status
                out.final_url = response.url
                out.content_type = await response.header_value("content-type")
                hop = response.request.redirected_from
                while hop is not None:
                    out.redirects.insert(0, hop.url)
                    hop = hop.redirected_from
                await self._check_server(await response.server_addr())
            await read_page(page, out, steps=steps, choose=choose, deadline=deadline,
                            network=network, notes=notes, options=self._read_options())
        finally:
            try:
                await asyncio.wait_for(context.close(), 10)
            except (TimeoutError, PlaywrightError):
                pass

    def _read_options(self) -> ReadOptions:
        return ReadOptions(timeout=self.timeout, probe=self.probe,
                           probe_budget=self.probe_budget, screenshots=self.screenshots,
                           max_html_bytes=self.max_html_bytes)
