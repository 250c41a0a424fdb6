"""The blocking fetcher behind ``xktracker check --browser``.

It runs one browser on a private event-loop thread (so it also works when the caller has a
loop), opens a fresh context per URL and relaunches the browser after a crash or every
``recycle_every`` pages to bound memory. Chromium has no network of its own: the browser
and each context go through the egress proxy (:mod:`crawler.fetch.egress`), a session per
context, so the address guard and the byte caps hold for everything a page does. Failures
are outcomes, never exceptions (only a missing browser raises, at start).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Coroutine, Mapping, Sequence
from concurrent.futures import TimeoutError as FutureTimeout
from types import TracebackType
from typing import Any, TypeVar

from playwright.async_api import (
    Browser,
    Playwright,
    async_playwright,
)
from playwright.async_api import Error as PlaywrightError

from crawler.errors import BrowserUnavailable, GuardError
from crawler.fetch.browser.errors import (
    PageStop,
    StepFailed,
    classify_error,
    first_line,
    is_closed_error,
)
from crawler.fetch.browser.guard import Navigations, explain, hop_guard, skip_unneeded
from crawler.fetch.browser.limits import DEFAULT_MAX_HTML_BYTES, DEFAULT_VIEWPORT
from crawler.fetch.browser.read import (
    ChooseControl,
    ReadOptions,
    finish_outcome,
    read_page,
    record_failure,
)
from crawler.fetch.browser.settle import NetworkTracker
from crawler.fetch.chromium import BrowserBinary, find_chromium
from crawler.fetch.egress import EgressLimits, EgressProxy, EgressSession
from crawler.fetch.guard import EgressPolicy
from crawler.fetch.outcome import FetchOutcome
from crawler.fetch.static import DEFAULT_USER_AGENT, HopCheck, HopRefused
from foundation.vocabulary import ErrorReason

T = TypeVar("T")


class BrowserFetcher:
    """One Chromium per run, a fresh context per URL; every failure becomes an outcome.

    ``timeout`` bounds navigation plus waiting for the form (and each step); widget
    probing and the screenshot have their own small budgets. ``policy`` says where the
    browser may connect and ``limits`` caps each page's bytes; ``verify=False`` accepts any
    server certificate (tests with a self-signed local server only).
    """

    def __init__(
        self,
        *,
        timeout: float = 20.0,
        policy: EgressPolicy | None = None,
        limits: EgressLimits | None = None,
        verify: bool = True,
        executable_path: str | None = None,
        max_html_bytes: int = DEFAULT_MAX_HTML_BYTES,
        user_agent: str | None = None,
        viewport: tuple[int, int] = DEFAULT_VIEWPORT,
        recycle_every: int = 50,
        crash_retries: int = 1,
        probe: bool = True,
        probe_budget: float = 15.0,
        screenshots: bool = True,
        launch_args: Sequence[str] = (),
        territory: str = "XK",
    ) -> None:
        self.timeout = timeout
        self.policy = policy or EgressPolicy()
        self.egress = EgressProxy(self.policy, limits=limits or EgressLimits(
            max_document_bytes=max_html_bytes), verify=verify)
        self.executable_path = executable_path
        self.max_html_bytes = max_html_bytes
        self.user_agent = user_agent
        self.viewport = viewport
        self.recycle_every = max(1, recycle_every)
        self.crash_retries = max(0, crash_retries)
        self.probe = probe
        self.probe_budget = probe_budget
        self.screenshots = screenshots
        self.launch_args = tuple(launch_args)
        self.territory = territory  # what typing searches for (see read.ReadOptions)
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
            self.egress.start()
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
        self.egress.close()

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
                f"Chromium at {self.binary.path} did not start: {first_line(exc)}"
            ) from None

    async def _launch(self) -> Browser:
        assert self._pw is not None and self.binary is not None
        options = self.binary.launch_options(extra_args=self.launch_args)
        # What no context's own session claims still goes through the guard.
        options["proxy"] = self.egress.catch_all().playwright_proxy()
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
                raise PageStop("browser_unavailable", first_line(exc)) from None

    # -- fetching ---------------------------------------------------------------------

    def fetch(
        self,
        url: str,
        *,
        steps: Sequence[Mapping[str, Any]] = (),
        choose_control: ChooseControl | None = None,
        hop_check: HopCheck | None = None,
    ) -> FetchOutcome:
        """Load ``url``, run ``steps``, read the document, frames and custom dropdowns, and
        screenshot the control ``choose_control`` picks. Never raises for a bad page.
        ``hop_check`` sees every navigation of the page first (see :func:`hop_guard`)."""
        if self._loop is None:
            try:
                self.start()
            except BrowserUnavailable as exc:
                return FetchOutcome(requested_url=url, method="browser",
                                    error="browser_unavailable", detail=str(exc))
        hard_limit = self.timeout * (3 + len(steps)) + self.probe_budget + 60
        with self._lock:
            for attempt in range(1, self.crash_retries + 2):
                start = time.monotonic()
                try:
                    out = self._run(self._fetch(url, list(steps), choose_control, hop_check),
                                   hard_limit)
                except FutureTimeout:
                    self._run(self._drop_browser(), timeout=30)
                    out = FetchOutcome(requested_url=url, method="browser", error="timeout",
                                       detail=f"browser fetch exceeded {hard_limit:g}s")
                    out.elapsed_ms = round((time.monotonic() - start) * 1000.0, 1)
                out.attempts = attempt
                # A crash says nothing about the page: once more, with a fresh browser.
                if out.error != ErrorReason.BROWSER_CRASHED:
                    break
            return out

    async def _fetch(
        self, url: str, steps: list[Mapping[str, Any]], choose: ChooseControl | None,
        hop_check: HopCheck | None = None,
    ) -> FetchOutcome:
        start = time.monotonic()
        out = FetchOutcome(requested_url=url, method="browser")
        notes: list[str] = []
        session: EgressSession | None = None
        try:
            try:
                # Refused before a browser is even asked (shape, scheme, address, port).
                await asyncio.to_thread(self.policy.guard_url, url)
            except GuardError as exc:
                raise PageStop(exc.reason, exc.detail) from None
            session = await self.egress.open_session_async()
            await self._fetch_into(out, url, steps, choose, start, notes, session, hop_check)
        except HopRefused as exc:
            if exc.blocked:
                out.blocked = exc.reason
            else:
                out.error = exc.reason
            notes.insert(0, exc.detail)
        except (PageStop, StepFailed, TimeoutError, PlaywrightError) as exc:
            record_failure(out, exc, notes)
            if not isinstance(exc, PageStop | StepFailed) and (
                    self._browser is None or not self._browser.is_connected()):
                out.error = "browser_crashed"
                await self._drop_browser()
        finally:
            if session is not None:
                await self.egress.close_session_async(session)
        finish_outcome(out, notes, session, start)
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

    async def _fetch_into(
        self,
        out: FetchOutcome,
        url: str,
        steps: list[Mapping[str, Any]],
        choose: ChooseControl | None,
        start: float,
        notes: list[str],
        session: EgressSession,
        hop_check: HopCheck | None = None,
    ) -> None:
        browser = await self._ensure_browser()
        self._pages += 1
        deadline = start + self.timeout
        # The session ends Chromium's TLS to read what comes back, so the context accepts its
        # certificates; the session checks the real server's certificate itself.
        context = await browser.new_context(**self._context_options(browser),
                                            proxy=session.playwright_proxy(),
                                            ignore_https_errors=True)
        try:
            await context.route("**/*", skip_unneeded)
            navigations = Navigations()
            if hop_check is not None:  # routed first: the last handler added runs first
                await context.route("**/*", hop_guard(hop_check, navigations))
            page = await context.new_page()
            network = NetworkTracker().attach(page)
            try:
                response = await page.goto(
                    url, wait_until="domcontentloaded",
                    timeout=max(1.0, (deadline - time.monotonic()) * 1000),
                )
            except PlaywrightError as exc:
                first = navigations.first_refused()
                if first is not None:
                    raise first from None  # answered 204 here, which aborts the load
                reason, detail = explain(session, url, *classify_error(exc))
                if reason == "browser_crashed" or is_closed_error(exc):
                    raise
                raise PageStop(reason, detail) from None
            first = navigations.first_refused()
            if first is not None:
                raise first  # the page's own URL: nothing was asked of the site
            if response is not None:
                out.status = response.status
                out.final_url = response.url
                out.content_type = await response.header_value("content-type")
                hop = response.request.redirected_from
                while hop is not None:
                    out.redirects.insert(0, hop.url)
                    hop = hop.redirected_from
            await read_page(page, out, steps=steps, choose=choose, deadline=deadline,
                            network=network, notes=notes, options=self._read_options(),
                            egress=session)
            notes.extend(f"a navigation was not followed: {exc.detail}"
                         for _, exc in navigations.refused[:3])
        finally:
            try:
                await asyncio.wait_for(context.close(), 10)
            except (TimeoutError, PlaywrightError):
                pass

    def _read_options(self) -> ReadOptions:
        return ReadOptions(timeout=self.timeout, probe=self.probe,
                           probe_budget=self.probe_budget, screenshots=self.screenshots,
                           max_html_bytes=self.max_html_bytes, territory=self.territory)
